"""Many sources side by side: each statement in its source's graph, one row per event, agreement and conflict.

The fixture (tests/fixtures/many-sources/README.md) adds two invented sources to the Amnesty document.
Every expected value below was worked out by reading those files and data/records, not copied from output.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from zhanaozen_graph import KnowledgeGraph, load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.records.load import load_dataset
from zhanaozen_graph.sparql.queries import list_queries, run_query
from zhanaozen_graph.timeline import timeline

from .conftest import with_fixture_sources

AMNESTY = "amnesty-ua-2012-07-atabaev-released"
STEPPE = "steppe-rights-monitor-2011-12-20"
CASPIAN = "caspian-labour-bulletin-2012-07"
GRAPH = "https://w3id.org/zhanaozen-graph/graph/"


def test_the_timeline_has_one_item_per_event_with_its_sources(many_kg: KnowledgeGraph) -> None:
    events = timeline(many_kg)
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids)) == 56  # Amnesty's 55 events and the detentions the Monitor reports
    clashes = next(e for e in events if e["id"] == "zhanaozen-clashes")
    assert clashes["sources"] == [AMNESTY, CASPIAN, STEPPE]
    # 16 December (Amnesty, Monitor) and mid-December (Bulletin: 11-20 December) agree on the 16th.
    assert (clashes["date"], clashes["earliest"], clashes["latest"], clashes["date_agreement"]) == (
        "2011-12-16",
        "2011-12-16",
        "2011-12-16",
        "agree",
    )
    assert [(d["source"], d["date"]) for d in clashes["dates"]] == [
        (AMNESTY, "2011-12-16"),
        (CASPIAN, "2011-12"),
        (STEPPE, "2011-12-16"),
    ]
    assert clashes["place_sources"] == {
        "The square in Zhanaozen": [STEPPE],
        "Zhanaozen": [AMNESTY, CASPIAN, STEPPE],
    }
    police = next(p for p in clashes["participants"] if p["label"] == "Police")
    assert police == {"label": "Police", "role": "participant", "sources": [AMNESTY, STEPPE]}
    released = next(e for e in events if e["id"] == "atabaev-released")
    # 3 July (Amnesty) and 4 July 2012 (Bulletin) cannot both hold: the span, marked as a conflict.
    assert (released["date"], released["date_status"], released["date_agreement"]) == (
        "2012-07-03/2012-07-04",
        "conflicting",
        "conflict",
    )
    detentions = next(e for e in events if e["id"] == "detentions-after-shooting")
    assert detentions["according_to"] == [
        {"label": "Relatives of people held after the shooting (Steppe Rights Monitor)", "source": STEPPE}
    ]


@pytest.mark.parametrize("name", [q.name for q in list_queries() if q.name != "record"])
def test_no_catalogue_query_returns_a_duplicated_row(many_kg: KnowledgeGraph, name: str) -> None:
    result = run_query(many_kg, name)
    assert len(result.rows) == len(set(result.rows)), name


def test_the_timeline_query_lists_each_event_once(many_kg: KnowledgeGraph) -> None:
    rows = run_query(many_kg, "timeline").records()
    assert Counter(r["event"] for r in rows).most_common(1)[0][1] == 1
    clashes = next(r for r in rows if r["event"].endswith("/zhanaozen-clashes"))
    assert set(clashes["sources"].split("; ")) == {AMNESTY, STEPPE, CASPIAN}
    assert (clashes["date"], clashes["earliest"], clashes["latest"]) == (
        "2011-12-16",
        "2011-12-16",
        "2011-12-16",
    )


def _graph(kg: KnowledgeGraph, slug: str) -> set[ox.Quad]:
    return {
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(GRAPH + slug))
        for q in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH + slug))
    }


@pytest.mark.parametrize("slug", [AMNESTY, STEPPE, CASPIAN])
def test_each_source_graph_is_what_that_source_alone_says(
    many_kg: KnowledgeGraph, slug: str, tmp_path: Path
) -> None:
    alone = load_graph(with_fixture_sources(tmp_path / "data", only=slug), tmp_path / "build")
    assert [
        g.value for g in alone.store.named_graphs() if "/graph/" in g.value and g.value.endswith(slug)
    ] == [GRAPH + slug]
    assert _graph(alone, slug) == _graph(many_kg, slug)
    assert len(_graph(alone, slug)) > 20


def test_adding_a_source_leaves_the_amnesty_graph_as_it_was(
    many_kg: KnowledgeGraph, kg: KnowledgeGraph
) -> None:
    assert _graph(many_kg, AMNESTY) == _graph(kg, AMNESTY)


def test_a_reference_may_be_an_exact_alias() -> None:
    ds = load_dataset(Path(__file__).resolve().parents[1] / "data")
    assert ds.resolve("KNB") == "knb"
    assert ds.resolve("knb") == "knb"
    assert ds.resolve("Knb") is None


def rows(kg: Any, name: str, **params: str) -> list[dict[str, Any]]:
    return run_query(kg, name, params).records()


def test_sources_command_lists_sources_and_conflicts(many_kg: KnowledgeGraph, tmp_path: Path) -> None:
    data = with_fixture_sources(tmp_path / "data")
    result = CliRunner().invoke(cli, ["sources", "--data", str(data), "--build-dir", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["source", "date", "publisher", "records", "statements", "quotes", "conflicts"]
    body = {line.split()[0]: line.split() for line in lines[2:5]}
    assert set(body) == {AMNESTY, STEPPE, CASPIAN}
    assert body[CASPIAN][-1] == "2" and body[STEPPE][-1] == "1" and body[AMNESTY][-1] == "2"
    assert lines[5] == ""
    assert lines[6:] == [
        "Conflicts:",
        "  atabaev-released, date: amnesty-ua-2012-07-atabaev-released says 2012-07-03T22:00:00; "
        "caspian-labour-bulletin-2012-07 says 2012-07-04",
        "  zhanaozen-clashes, killed (people): amnesty-ua-2012-07-atabaev-released says at least 15; "
        "caspian-labour-bulletin-2012-07 says exactly 12; steppe-rights-monitor-2011-12-20 says at least 16",
    ]


def test_ties_in_the_timeline_are_broken_by_follows_and_relative_dates(kg: KnowledgeGraph) -> None:
    from zhanaozen_graph.timeline import ORDER

    events = timeline(kg)
    position = {e["id"]: i for i, e in enumerate(events)}
    bounds = {e["id"]: (e["earliest"], e["latest"]) for e in events}
    label = {e["id"]: e["label"] for e in events}
    pairs = [(r["event"].rsplit("/", 1)[1], r["before"].rsplit("/", 1)[1]) for r in kg.select(ORDER)]
    ties = [(later, earlier) for later, earlier in pairs if bounds[later] == bounds[earlier]]
    # e.g. the KNB accepts the statement after he writes it (15 June - 3 July both).
    assert ("statement-accepted", "atabaev-writes-statement") in ties
    # Sorting by label alone would put some of these the wrong way round.
    assert any(label[later] < label[earlier] for later, earlier in ties)
    assert all(position[later] > position[earlier] for later, earlier in ties)


# -- one clear line for each mistake of the many-sources format (on the invented mini example) ------


MANY_CASES = [
    pytest.param(
        {
            "records/example-mini/more.yaml": "source: example-mini\nevents:\n  - about: jane-doe-detaned\n    evidence: ['Exampletown']\n"
        },
        "{d}/records/example-mini/more.yaml:3: 'about: jane-doe-detaned' names no record; did you mean "
        "jane-doe-detained, jane-doe-released, jane-doe?",
        id="unknown-about",
    ),
    pytest.param(
        {"register/r.yaml": "source: example-mini\npeople:\n  - id: john-roe\n    label: John Roe\n"},
        "{d}/register/r.yaml:1: the register belongs to no source; declare records here without 'source:'; "
        "put what a source says in data/records/<source>/",
        id="register-with-source",
    ),
    pytest.param(
        {"register/r.yaml": "claims:\n  - id: c\n    label: C\n"},
        "{d}/register/r.yaml:1: claims are not declared in the register; declare claims with 'id:' in the "
        "record file of the source that reports them",
        id="claim-in-register",
    ),
    pytest.param(
        {"register/r.yaml": "people:\n  - id: john-roe\n    label: John Roe\n    roles: [witness]\n"},
        "{d}/register/r.yaml:4: 'roles' of 'john-roe' is said by a source, not declared in the register; "
        "what a source says goes in its record file, in a block 'about: john-roe'",
        id="statement-in-register",
    ),
    pytest.param(
        {
            "register/r.yaml": "people:\n  - id: john-roe\n    label: John Roe\n",
            "records/example-mini/more.yaml": "source: example-mini\npeople:\n  - about: john-roe\n    label: J. Roe\n"
            "    evidence: ['Jane Doe']\n",
        },
        "{d}/records/example-mini/more.yaml:4: 'label' of 'john-roe' belongs to the register, not to a source's "
        "block; 'label' is declared once, in the register entry of 'john-roe'",
        id="identity-in-a-block",
    ),
    pytest.param(
        {
            "records/example-mini/more.yaml": "source: example-mini\npeople:\n  - about: jane-doe\n    evidence: ['Jane Doe']\n"
        },
        "{d}/records/example-mini/more.yaml:3: a second block about 'jane-doe' from source 'example-mini' "
        "(the first is in example.yaml:4); put everything one source says about a record in one block",
        id="second-block-of-a-source",
    ),
    pytest.param(
        {
            "records/example-mini/more.yaml": "source: example-mini\nevents:\n  - id: beating\n    type: ill_treatment\n"
            "    label: Jane Doe is beaten\n    date: {edtf: '2020-05'}\n    evidence: ['she was beaten in custody']\n"
        },
        "{d}/records/example-mini/more.yaml:7: quote 'she was beaten in custody' of 'beating' starts inside "
        "reported speech ('claimed'); name who reports it with 'according_to: [ACTOR]', or make it a claim",
        id="reported-speech",
    ),
    pytest.param(
        {
            "records/example-mini/more.yaml": "source: example-mini\nevents:\n  - id: hunger-strike\n    type: protest\n"
            "    label: Jane Doe's hunger strike\n    date: {edtf: '2020-06'}\n    part_of: jane-doe-detained\n"
            "    evidence: ['hunger strike']\n"
        },
        "{d}/records/example-mini/more.yaml:7: 'hunger-strike' (2020-06-01..2020-06-30) lies outside its parent "
        "'jane-doe-detained' (2020-05-03..2020-05-03); check both dates, or drop part_of",
        id="part-outside-its-parent",
    ),
    pytest.param(
        {"sources/example-mini.yaml": 'sha256: "0000"\n'},
        "{d}/sources/example-mini.yaml:8: the SHA-256 of example-mini.txt is {sha}, not 0000; the document "
        "changed since it was recorded: check it against the original, then update sha256",
        id="sha256-mismatch",
    ),
]


@pytest.mark.parametrize(("files", "expected"), MANY_CASES)
def test_each_mistake_of_the_many_sources_format_is_one_line(
    mini: Path, files: dict[str, str], expected: str
) -> None:
    import hashlib

    for rel, text in files.items():
        path = mini / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(path.read_text() + text if path.exists() else text)
    result = CliRunner().invoke(cli, ["validate", "--data", str(mini)])
    sha = hashlib.sha256((mini / "sources" / "example-mini.txt").read_bytes()).hexdigest()
    assert result.exit_code == 1
    # A mistake that stops the loading is an error ("Error: ..."); the checks list one line per problem.
    assert result.output.splitlines()[0].removeprefix("Error: ") == expected.format(d=mini, sha=sha)


def test_a_reference_by_alias_is_the_record(mini: Path, tmp_path: Path) -> None:
    path = mini / "records" / "example.yaml"
    path.write_text(
        path.read_text().replace(
            "{actor: example-agency, role: arresting_agency}", "{actor: EA, role: arresting_agency}"
        )
    )
    kg = load_graph(mini, tmp_path / "build")
    rows = run_query(kg, "actor", {"actor": "example-agency"}).records()
    assert ("event", "arresting_agency") in {(r["what"], r["as"]) for r in rows}


def test_coverage_names_each_source_s_records_by_id(tmp_path: Path) -> None:
    from zhanaozen_graph import check_dataset
    from zhanaozen_graph.reports import coverage

    report = check_dataset(load_dataset(with_fixture_sources(tmp_path / "data")))
    cov = coverage(report)
    # The Bulletin's last sentence: its block about Bolat Atabaev ("Theatre director Bolat Atabaev, who had
    # supported the strikers") and about the release ("was freed on 4 July 2012").
    last = [s for s in cov.sentences if s.source == CASPIAN][-1]
    assert last.records == ("atabaev-released", "bolat-atabaev")
