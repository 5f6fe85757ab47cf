"""The synthetic corpus: deterministic for a seed, valid, verified quotes, and built end to end."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhanaozen_graph import DataError, build, check_dataset, load_dataset
from zhanaozen_graph.cli import cli
from zhanaozen_graph.synth import generate_corpus


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    generate_corpus(out, documents=2, seed=1)
    return out


def test_same_seed_writes_identical_files(corpus: Path, tmp_path: Path) -> None:
    again = generate_corpus(tmp_path / "again", documents=2, seed=1)
    assert files_of(again.out_dir) == files_of(corpus)


def test_another_seed_writes_other_files(corpus: Path, tmp_path: Path) -> None:
    other = files_of(generate_corpus(tmp_path / "other", documents=2, seed=2).out_dir)
    mine = files_of(corpus)
    assert sorted(other) == sorted(mine)  # the same file names...
    assert all(other[name] != mine[name] for name in mine)  # ...with other contents


def test_the_files_of_a_corpus(corpus: Path) -> None:
    assert sorted(files_of(corpus)) == [
        f"records/synth-0000{i}/{name}"
        for i in (0, 1)
        for name in (
            "actors.yaml",
            "claims.yaml",
            "events.yaml",
            "legal.yaml",
            "places.yaml",
            "relationships.yaml",
        )
    ] + [f"sources/synth-0000{i}.{ext}" for i in (0, 1) for ext in ("txt", "yaml")]


def test_the_corpus_is_valid_and_every_quote_is_found(corpus: Path) -> None:
    report = check_dataset(load_dataset(corpus))
    assert report.issues == []
    quotes = sum(len(b.data["evidence"]) for b in report.dataset.blocks)  # every block has its quotes
    assert sum(len(found) for found in report.evidence.values()) == quotes
    for evidence in report.evidence.values():
        for ev in evidence:  # the offsets point at the quoted words in the text
            text = report.dataset.sources[ev.source].text[ev.match.start : ev.match.end]
            assert " ".join(text.split()) == ev.quote


def test_the_corpus_has_the_shape_of_the_real_data(corpus: Path) -> None:
    ds = load_dataset(corpus)
    kinds = Counter(r.kind for r in ds.records.values())
    assert set(kinds) == {
        "Claim",
        "Event",
        "Group",
        "LegalProvision",
        "Organisation",
        "Person",
        "Place",
        "Relationship",
    }
    # Per document the real data has 55 events, 39 groups, 19 claims, 14 organisations...
    assert 2 * 44 <= kinds["Event"] <= 2 * 66
    assert 2 * 31 <= kinds["Group"] <= 2 * 47
    assert kinds["LegalProvision"] == 4
    statuses = Counter(
        d.status for key, d in check_dataset(ds).dates.items() if not key.startswith("source:")
    )
    assert set(statuses) == {"stated", "year-inferred", "relative", "derived"}
    assert statuses["derived"] > statuses["stated"]  # as in the real data, most dates are derived
    events = ds.by_kind("Event")
    assert any(len(e.data.get("participants", [])) >= 3 for e in events)
    assert any(e.data.get("quantities") for e in events)
    assert any(r.data.get("aliases") for r in ds.records.values())
    assert any(p.data.get("contained_in") for p in ds.by_kind("Place"))
    # The second document refers back to an actor of the first.
    refs = {p["actor"] for e in events if e.id.startswith("d00001") for p in e.data.get("participants", [])}
    refs |= {a for c in ds.by_kind("Claim") if c.id.startswith("d00001") for a in c.data["about"]}
    assert "d00000-person-1" in refs


def test_a_corrupted_quote_stops_the_check(corpus: Path, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    events = data / "records" / "synth-00000" / "events.yaml"
    text = events.read_text()
    first = load_dataset(corpus).records["d00000-event-1"]
    quote = first.data["evidence"][0]
    events.write_text(text.replace(quote, quote.replace(" ", " not ", 1), 1))
    report = check_dataset(load_dataset(data))
    corrupted = quote.replace(" ", " not ", 1)
    short = corrupted if len(corrupted) <= 60 else corrupted[:57] + "..."
    assert [str(i) for i in report.issues] == [
        f"{events}:{first.line_of('evidence')}: quote not found in source 'synth-00000': {short!r}; "
        "copy the words exactly from the document (only whitespace may differ)"
    ]
    with pytest.raises(DataError, match="quote not found in source 'synth-00000'"):
        build(data, tmp_path / "build", shacl=False)


def test_the_corpus_builds_and_conforms_to_the_shapes(corpus: Path, tmp_path: Path) -> None:
    result = build(corpus, tmp_path / "build", shacl=True)
    assert result.counts["Source"] == 2
    assert result.triples > 9000


def test_refuses_a_directory_that_holds_a_corpus(corpus: Path) -> None:
    with pytest.raises(DataError) as err:
        generate_corpus(corpus, documents=1)
    assert err.value.message == "sources/ is not empty"
    assert err.value.hint == "write the corpus to a new or empty directory"


def test_synth_command_writes_a_corpus(tmp_path: Path) -> None:
    out = tmp_path / "c"
    result = CliRunner().invoke(cli, ["synth", "--documents", "1", "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = generate_corpus(tmp_path / "lib", documents=1, seed=1)
    assert result.output == (
        f"wrote 1 documents, {written.records} records and {written.quotes} quotes (8 files) to {out}\n"
    )
    assert files_of(out) == files_of(written.out_dir)


def test_synth_command_on_a_full_directory_fails_with_one_line(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["synth", "-n", "1", "-o", str(corpus)])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {corpus}: sources/ is not empty; write the corpus to a new or empty directory\n"
    )


def test_synth_command_rejects_zero_documents(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["synth", "-n", "0", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "Invalid value for '--documents' / '-n': 0 is not in the range x>=1." in result.output
