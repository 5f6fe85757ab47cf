"""The records stage: the one-pass YAML reader, and the cache of parsed and checked record files (issue 17).

Every test compares against the path without a cache (or the checked two-pass YAML path), so a cached
result that differs by one line, one issue or one line number fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from zhanaozen_graph.errors import DataError
from zhanaozen_graph.records import cache as records_cache
from zhanaozen_graph.records.files import check_yaml
from zhanaozen_graph.records.load import Dataset, _Loader, load_dataset, parse_yaml_text
from zhanaozen_graph.records.validate import Report, check_dataset, empty_dataset_error

from .conftest import DATA, MINI, with_fixture_sources
from .test_bad_input import CASES, FILE_CASES, break_records


def snapshot(ds: Dataset, report: Report) -> list[str]:
    """Everything the build reads from the records stage, as lines: records with their data and lines,
    blocks, aliases, sources, issues (in order), dates, combined dates and evidence."""

    def data(value: Any) -> Any:
        if isinstance(value, dict):
            lines = getattr(value, "key_lines", None)
            return {
                "@line": getattr(value, "line", None),
                "@keys": lines,
                **{k: data(v) for k, v in value.items()},
            }
        if isinstance(value, list):
            return [data(v) for v in value]
        return repr(value)

    out = [f"issue {i}" for i in report.issues]
    for rid, rec in ds.records.items():
        out.append(
            f"record {rid} {rec.kind} {rec.path} {rec.line} {[b.key for b in rec.blocks]} {json.dumps(data(rec.data))}"
        )
    out += [f"block {b.key} {b.path} {b.line} {b.declares} {json.dumps(data(b.data))}" for b in ds.blocks]
    out.append(f"aliases {ds.aliases}")
    out += [f"source {s.id} {s.sha256} {json.dumps(data(s.meta))}" for s in ds.sources.values()]
    out += [f"date {k} {v}" for k, v in report.dates.items()]
    out += [f"combined {k} {v}" for k, v in report.combined_dates.items()]
    out += [f"evidence {k} {v}" for k, v in report.evidence.items()]
    out += [f"quantity {k} {v}" for k, v in report.quantity_evidence.items()]
    return out


def outcome(data: Path, cache: Path | None) -> list[str]:
    """The error lines of reading and checking ``data`` (one line when it cannot be read)."""
    try:
        ds = load_dataset(data, cache_dir=cache)
    except DataError as exc:
        return [f"load: {exc}"]
    empty = empty_dataset_error(ds)  # as the build does, before checking
    return [f"load: {empty}"] if empty is not None else [str(i) for i in check_dataset(ds).issues]


@pytest.fixture
def many_data(tmp_path: Path) -> Path:
    """A writable copy of the real data with the invented sources of tests/fixtures/many-sources."""
    return with_fixture_sources(tmp_path / "data")


@pytest.mark.parametrize("which", ["real", "many-sources", "mini"])
def test_cached_results_equal_uncached_ones(which: str, tmp_path: Path) -> None:
    data = {"real": DATA, "mini": MINI}.get(which) or with_fixture_sources(tmp_path / "data")
    cache = tmp_path / "cache"
    plain_ds = load_dataset(data)
    plain = snapshot(plain_ds, check_dataset(plain_ds))
    first_ds = load_dataset(data, cache_dir=cache)
    first = check_dataset(first_ds)
    again_ds = load_dataset(data, cache_dir=cache)
    again = check_dataset(again_ds)
    assert snapshot(first_ds, first) == plain
    assert snapshot(again_ds, again) == plain
    files = sorted([*(data / "sources").glob("*.yaml"), *data.glob("re*/**/*.yaml")])
    assert sorted(first_ds.parsed) == files  # the first time every YAML file is parsed...
    assert again_ds.parsed == [] and again.checked == []  # ...and then none
    assert sorted(first.checked) == sorted(p for p in files if p.parent.name != "sources")
    assert not list(cache.rglob(".tmp-*"))  # every write was renamed into place


def test_one_edited_file_is_the_only_one_parsed_and_checked(many_data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check_dataset(load_dataset(many_data, cache_dir=cache))
    path = many_data / "records" / "amnesty-ua-2012-07-atabaev-released" / "events.yaml"
    text = path.read_text()
    old = "reason: The demands are those of the striking workers"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "reason: The demands were those of the striking workers"))
    ds = load_dataset(many_data, cache_dir=cache)
    report = check_dataset(ds)
    assert ds.parsed == [path]
    assert report.checked == [path]
    assert report.dates["workers-demands@amnesty-ua-2012-07-atabaev-released"].reason == (
        "The demands were those of the striking workers, so they were made once the strikes had begun "
        "(May 2011); the text gives no date.; latest bound is the document's date"
    )
    plain = load_dataset(many_data)
    assert snapshot(ds, report) == snapshot(plain, check_dataset(plain))


def test_a_changed_source_text_rechecks_the_files_that_quote_it(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert outcome(mini, cache) == []
    text = mini / "sources" / "example-mini.txt"
    text.write_text(text.read_text().replace("detained Jane Doe", "held Jane Doe"))
    expected = outcome(mini, None)
    assert outcome(mini, cache) == expected
    records = mini / "records" / "example.yaml"
    assert expected == [
        f"{records}:6: quote not found in source 'example-mini': 'the Example Agency detained Jane Doe'; "
        "copy the words exactly from the document (only whitespace may differ)",
        f"{records}:15: quote not found in source 'example-mini': 'the Example Agency detained Jane Doe'; "
        "copy the words exactly from the document (only whitespace may differ)",
        f"{records}:30: quote not found in source 'example-mini': 'On 3 May 2020 the Example Agency detained Jane Doe in "
        "Exa...'; copy the words exactly from the document (only whitespace may differ)",
    ]
    ds = load_dataset(mini, cache_dir=cache)
    assert ds.parsed == []
    assert check_dataset(ds).checked == []  # checked again above, and cached with the new text


@pytest.mark.parametrize(("mutate", "expected"), FILE_CASES)
def test_hostile_input_gives_the_same_lines_with_the_cache_every_time(
    mini: Path, tmp_path: Path, mutate: Callable[[Path], Path], expected: str
) -> None:
    cache = tmp_path / "cache"
    check_dataset(load_dataset(mini, cache_dir=cache))  # a cache of the good files
    path = mutate(mini)
    plain = outcome(mini, None)
    assert expected.format(p=path, mini=mini) in [line.removeprefix("load: ") for line in plain]
    assert outcome(mini, cache) == plain
    assert outcome(mini, cache) == plain  # a file with an error is never cached as good


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_record_errors_give_the_same_lines_with_the_cache_every_time(
    mini: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    cache = tmp_path / "cache"
    path = break_records(mini, old, new)
    plain = outcome(mini, None)
    assert expected.format(p=path) in [line.removeprefix("load: ") for line in plain]
    assert outcome(mini, cache) == plain
    assert outcome(mini, cache) == plain


def _entry(cache: Path, kind: str, path: Path) -> Path:
    """The cache entry of one file (parse or check)."""
    c = records_cache.RecordsCache(cache)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    key = c.key(kind, digest) if kind == "parse" else c.key(kind, digest, "records")
    entry = c.path(kind, key)
    assert entry.is_file()
    return entry


def _with_digest(body: bytes) -> bytes:
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "one byte flipped": lambda p: p.write_bytes(p.read_bytes().replace(b"Jane", b"Jone", 1)),
    "empty": lambda p: p.write_bytes(b""),
    "not JSON, right digest": lambda p: p.write_bytes(_with_digest(b"\x80\x04 not json")),
    "a plain object, right digest": lambda p: p.write_bytes(
        _with_digest(json.dumps(["parse", p.stem, [{"people": []}]]).encode())
    ),
    "another entry's key, right digest": lambda p: p.write_bytes(
        _with_digest(json.dumps(["parse", "0" * 64, [None]]).encode())
    ),
    "a FIFO": lambda p: (p.unlink(), os.mkfifo(p)),
    "a directory": lambda p: (p.unlink(), p.mkdir()),
    "deeply nested, right digest": lambda p: p.write_bytes(_with_digest(b"[" * 100_000 + b"]" * 100_000)),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_parse_entry_is_parsed_again(mini: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    plain_ds = load_dataset(mini)
    plain = snapshot(plain_ds, check_dataset(plain_ds))
    check_dataset(load_dataset(mini, cache_dir=cache))
    records = mini / "records" / "example.yaml"
    DAMAGE[damage](_entry(cache, "parse", records))
    ds = load_dataset(mini, cache_dir=cache)
    report = check_dataset(ds)
    assert ds.parsed == [records]
    assert report.checked == []  # the file's checks were still good
    assert snapshot(ds, report) == plain


CHECK_DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": DAMAGE["truncated"],
    "a step of the wrong shape, right digest": lambda p: p.write_bytes(
        _with_digest(
            p.read_bytes()
            .partition(b"\n")[2]
            .replace(b'["d"]', b'["d",1]', 1)
            .replace(b'["i",', b'["i",1,', 1)
        )
    ),
    "a quote outside its source, right digest": lambda p: p.write_bytes(
        _with_digest(p.read_bytes().partition(b"\n")[2].replace(b'"example-mini",', b'"elsewhere",', 1))
    ),
}


@pytest.mark.parametrize("damage", list(CHECK_DAMAGE))
def test_a_damaged_check_entry_is_checked_again(mini: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    plain_ds = load_dataset(mini)
    plain = snapshot(plain_ds, check_dataset(plain_ds))
    check_dataset(load_dataset(mini, cache_dir=cache))
    records = mini / "records" / "example.yaml"
    entry = _entry(cache, "check", records)
    before = entry.read_bytes()
    CHECK_DAMAGE[damage](entry)
    assert entry.read_bytes() != before
    ds = load_dataset(mini, cache_dir=cache)
    report = check_dataset(ds)
    assert ds.parsed == []
    assert report.checked == [records]
    assert snapshot(ds, report) == plain
    assert entry.read_bytes() == before  # written again, whole


def test_a_hostile_cache_entry_never_runs(mini: Path, tmp_path: Path) -> None:
    """A pickle planted in the cache (the threat: code run by whoever can write the build directory)."""
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    cache = tmp_path / "cache"
    check_dataset(load_dataset(mini, cache_dir=cache))
    records = mini / "records" / "example.yaml"
    for kind in ("parse", "check"):
        entry = _entry(cache, kind, records)
        entry.write_bytes(_with_digest(pickle.dumps(Payload())))
    plain_ds = load_dataset(mini)
    ds = load_dataset(mini, cache_dir=cache)
    report = check_dataset(ds)
    assert not marker.exists()
    assert ds.parsed == [records] and report.checked == [records]
    assert snapshot(ds, report) == snapshot(plain_ds, check_dataset(plain_ds))


def test_a_python_tag_in_a_record_file_is_refused_every_time(mini: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = records_path = mini / "records" / "example.yaml"
    path.write_text(path.read_text() + f'extra: !!python/object/apply:os.system ["touch {marker}"]\n')
    cache = tmp_path / "cache"
    expected = [
        f"load: {records_path}:55: YAML syntax error: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    ]
    assert outcome(mini, None) == expected
    assert outcome(mini, cache) == expected
    assert outcome(mini, cache) == expected
    assert not marker.exists()


def test_an_unwritable_cache_is_no_error(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.write_text("a file where the directory should be")
    ds = load_dataset(mini, cache_dir=cache)
    assert len(check_dataset(ds).checked) == 1 and check_dataset(ds).valid


def _checked_path(text: str) -> Any:
    """The reference: the two-pass path (the event scan, then PyYAML's loaders) without the fast reader."""
    path = Path("x.yaml")
    check_yaml(text, path)
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DataError(
            f"YAML syntax error: {exc.problem}", path=path, line=mark.line + 1 if mark else None
        ) from None


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (
            getattr(a, "line", None) == getattr(b, "line", None)
            and getattr(a, "key_lines", None) == getattr(b, "key_lines", None)
            and list(a) == list(b)
            and all(_same(a[k], b[k]) for k in a)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b or (a != a and b != b)  # NaN equals NaN here


YAML_CASES = [
    "a: 1\nb: [x, 'y', \"z\", 2012-07-03, 2012-07-03 10:00:00, yes, No, ~, null, '', 0x1F, 0o17, 1_000, -2.5e3]\n",
    "a: .nan\nb: -.inf\nc: +.5\nd: 1:30\ne: 0b101\nf: '001'\ng: 007\n",
    "people:\n  - id: a\n    label: >\n      folded\n      text\n    notes: |\n      kept\n      lines\n",
    "1: one\ntrue: yes\nnull: x\n2012-07-03: d\n",
    "a: {b: {c: {d: [1, [2, [3]]]}}}\n",
    "",
    "# only a comment\n",
    "---\na: 1\n...\n",
    "---\n",
    "- 1\n- 2\n",
    "just text\n",
    "a: &x 1\nb: *x\n",
    "a: &x [1]\n",
    "a: 1\nb: 2\na: 3\n",
    "a: 1\n'a': 2\n",
    "? [a, b]\n: c\n",
    "<<: {a: 1}\nb: 2\n",
    "a: =\n",
    "=: a\n",
    "a: !!str 12\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!omap [{x: 1}]\n",
    "a: !custom x\n",
    "a: ! 12\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "a:\n\t- tab\n",
    'a: "\\0"\n',
    "a: 2012-13-45\n",
    "[" * 40 + "]" * 40 + "\n",
    "a: " + "[" * 31 + "]" * 31 + "\n",
    "a: " + "[" * 32 + "]" * 32 + "\n",
    "x: \u0085\n",
    "a: '\ud7ff'\n",
]


@pytest.mark.parametrize("text", YAML_CASES)
def test_the_one_pass_reader_reads_as_the_checked_path_does(text: str) -> None:
    try:
        expected: Any = _checked_path(text)
    except DataError as exc:
        expected = exc
    except Exception as exc:  # PyYAML's own failures (e.g. a bad date) must stay the same
        expected = exc
    try:
        got: Any = parse_yaml_text(text, Path("x.yaml"))
    except Exception as exc:  # compared below
        got = exc
    if isinstance(expected, Exception):
        assert type(got) is type(expected) and str(got) == str(expected)
    else:
        assert _same(got, expected), (got, expected)


def test_a_damaged_cache_directory_tree_is_no_error(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check_dataset(load_dataset(mini, cache_dir=cache))
    for entry in cache.rglob("*.json"):
        entry.unlink()
        entry.symlink_to("/dev/zero")
    ds = load_dataset(mini, cache_dir=cache)
    report = check_dataset(ds)
    assert len(ds.parsed) == 2 and len(report.checked) == 1 and report.valid
    shutil.rmtree(cache)


def test_entries_of_another_version_are_removed_when_writing(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    stale = cache / "records-0123456789abcdef" / "parse" / "ab"
    stale.mkdir(parents=True)
    (stale / "x.json").write_text("old")
    unrelated = cache / "something-else"
    unrelated.mkdir()
    check_dataset(load_dataset(mini, cache_dir=cache))
    assert sorted(p.name for p in cache.iterdir()) == [
        f"records-{records_cache.code_version()[:16]}",
        "something-else",
    ]
