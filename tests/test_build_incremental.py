"""Incremental builds: after each kind of change, the incremental build equals a fresh full build, file for file."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from zhanaozen_graph.cli import cli
from zhanaozen_graph.errors import BuildError
from zhanaozen_graph.graph import build as build_module
from zhanaozen_graph.graph import rdf as rdf_module
from zhanaozen_graph.graph.build import GRAPH_BASE, OUTPUTS, BuildResult, build, load_graph
from zhanaozen_graph.graph.chronology import read_index

from .conftest import MANY, with_fixture_sources

AMNESTY = "amnesty-ua-2012-07-atabaev-released"
STEPPE = "steppe-rights-monitor-2011-12-20"
CASPIAN = "caspian-labour-bulletin-2012-07"
STEPPE_RECORDS = f"records/{STEPPE}/records.yaml"
CLASHES_IN_AMNESTY = '  - about: zhanaozen-clashes\n    date:\n      edtf: "2011-12-16"\n'
STEPPE_CLASHES_DATE = '    date: {edtf: "2011-12-16", text: "16 December 2011"}\n'


def edit(data: Path, rel: str, old: str, new: str) -> None:
    path = data / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (rel, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def state(out: Path) -> dict[str, Any]:
    """Everything a build is: the five files' bytes, the store's quads, the manifest (but its timing), the timeline."""
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["seconds"]
    # The data files' digests; their stat is left out (a file changed within two seconds of a build is
    # recorded without one, so that two builds a second apart may differ there).
    manifest["files"] = {name: entry[4] for name, entry in manifest["files"].items()}
    store = ox.Store.read_only(str(out / "store"))
    return {
        "files": {name: (out / name).read_bytes() for name in OUTPUTS},
        "store": sorted(str(q) for q in store),
        "manifest": manifest,
        "timeline": read_index(load_graph(build_dir=out, data_dir=manifest["data_dir"])),
    }


def graphs(result: BuildResult) -> list[str]:
    return sorted(g.removeprefix(GRAPH_BASE) for g in result.changed)


def without_caspian(data: Path) -> None:
    for path in [
        data / "records" / CASPIAN,
        data / "sources" / f"{CASPIAN}.txt",
        data / "sources" / f"{CASPIAN}.yaml",
    ]:
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def with_caspian(data: Path) -> None:
    shutil.copytree(MANY / "records" / CASPIAN, data / "records" / CASPIAN)
    for suffix in (".txt", ".yaml"):
        shutil.copy(MANY / "sources" / f"{CASPIAN}{suffix}", data / "sources" / f"{CASPIAN}{suffix}")


# Each case: how to prepare the data before the first build, the change, and the named graphs whose
# quads the change alters (worked out by hand from the records; the others are reused).
CASES: dict[str, tuple[Callable[[Path], None], Callable[[Path], None], list[str], list[str]]] = {
    # A quote of one source: only that source's graph.
    "quote": (
        lambda d: None,
        lambda d: edit(
            d, STEPPE_RECORDS, '["STEPPE RIGHTS MONITOR"]', '["STEPPE RIGHTS MONITOR - PRESS RELEASE"]'
        ),
        [STEPPE],
        [],
    ),
    # A register label that every source's quotes name ("Zhanaozen"): the mentions of all three change.
    "label-fans-out": (
        lambda d: None,
        lambda d: edit(d, "register/places.yaml", "label: Zhanaozen\n", "label: Zhanaozen town\n"),
        [AMNESTY, CASPIAN, "register", STEPPE],
        [],
    ),
    # An alias of the register: it belongs to the register only (no quote names "KNB" besides the one about it).
    "alias": (
        lambda d: None,
        lambda d: edit(d, "register/actors.yaml", "aliases: [KNB]", "aliases: [KNB-x]"),
        ["register"],
        [],
    ),
    # Steppe gives no date for the clashes: its "in the days after the shooting" is derived from
    # Amnesty's date of them, so changing that date changes Steppe's graph too.
    "derived-date": (
        lambda d: edit(d, STEPPE_RECORDS, STEPPE_CLASHES_DATE, ""),
        lambda d: edit(
            d, f"records/{AMNESTY}/events.yaml", CLASHES_IN_AMNESTY, CLASHES_IN_AMNESTY.replace("16", "14")
        ),
        [AMNESTY, "combined", STEPPE],
        [],
    ),
    "add-source": (
        without_caspian,
        with_caspian,
        [CASPIAN, "combined", "register"],
        [],
    ),
    "remove-source": (
        lambda d: None,
        without_caspian,
        ["combined", "register"],
        [CASPIAN],
    ),
    # The register's own words (a label no quote uses).
    "register": (
        lambda d: None,
        lambda d: edit(
            d,
            "register/fixture.yaml",
            "label: Steppe Rights Monitor (fictional)",
            "label: Steppe Rights Monitor",
        ),
        ["register"],
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_incremental_build_equals_a_full_build(case: str, tmp_path: Path) -> None:
    prepare, change, changed, removed = CASES[case]
    data = with_fixture_sources(tmp_path / "data")
    prepare(data)
    out = tmp_path / "build"
    first = build(data, out)
    assert not first.incremental and first.why == f"there is no previous build in {out}"
    change(data)
    again = build(data, out)
    # The incremental path was taken: the previous generation's entries were reused, only the changed
    # graphs were written anew, and the store was updated rather than loaded.
    assert again.incremental
    assert graphs(again) == changed
    assert [g.removeprefix(GRAPH_BASE) for g in again.removed] == removed
    assert again.reused > 0
    fresh = build(data, tmp_path / "full", full=True)
    assert not fresh.incremental and fresh.changed == tuple(sorted(fresh.changed))
    assert state(out) == state(tmp_path / "full")
    assert (again.triples, again.quads, again.counts) == (fresh.triples, fresh.quads, fresh.counts)


def test_an_unchanged_rebuild_writes_nothing_anew_and_loads_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = with_fixture_sources(tmp_path / "data")
    out = tmp_path / "build"
    first = build(data, out)
    before = state(out)

    def no_load(*args: Any, **kwargs: Any) -> Path:
        raise AssertionError("an incremental build loaded the store from scratch")

    monkeypatch.setattr(build_module, "write_store", no_load)
    again = build(data, out)
    assert again.incremental and again.changed == () and again.removed == ()
    # Every entry of the cache was taken from the previous one, none made.
    entries = json.loads((out / "cache" / "index.json").read_text())["entries"]
    assert again.reused == len(entries) > 3 * first.graphs - 1
    assert state(out) == before
    # The records stage cached its files in the build (the first build had nowhere to keep them).
    (records,) = (out / "cache" / "records").iterdir()
    assert records.name.startswith("records-") and len(list(records.rglob("*.json"))) >= 2 * 10


def test_the_cli_says_which_graphs_were_rebuilt_and_full_rebuilds_all(tmp_path: Path) -> None:
    data = with_fixture_sources(tmp_path / "data")
    out = tmp_path / "build"
    args = ["build", "--data", str(data), "--build-dir", str(out), "--no-shacl"]
    runner = CliRunner()
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert first.stderr.splitlines()[-1] == f"full build: there is no previous build in {out}"
    CASES["quote"][1](data)
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines()[-1] == (
        f"incremental build: 1 of 8 named graphs changed ({STEPPE}), the 7 others reused from the cache"
    )
    full = runner.invoke(cli, [*args, "--full"])
    assert full.stderr.splitlines()[-1] == "full build: --full was given"
    assert full.stdout.startswith("built ")
    quiet = runner.invoke(cli, [*args, "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_shacl_on_the_changed_graphs_refuses_what_a_full_build_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = with_fixture_sources(tmp_path / "data")
    out = tmp_path / "build"
    build(data, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    chunks = rdf_module.iter_graph_chunks
    latest = ox.NamedNode("http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestEndTimeStamp")

    def broken(report: Any) -> Any:  # one date of Steppe's graph made ill-typed, as a bug might
        for run in chunks(report):
            yield [
                ox.Quad(q.subject, q.predicate, ox.Literal("soon"), q.graph_name)
                if q.predicate == latest and STEPPE in str(q.graph_name) and "detentions" in q.subject.value
                else q
                for q in run
            ]

    monkeypatch.setattr(rdf_module, "iter_graph_chunks", broken)
    with pytest.raises(BuildError) as incremental:
        build(data, out)
    with pytest.raises(BuildError) as full:
        build(data, tmp_path / "full", full=True)
    assert str(incremental.value) == str(full.value)
    assert "SHACL constraint" in str(full.value)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.parametrize(
    "damage",
    ["truncated", "other-bytes", "symlink", "index-garbage", "index-hostile-name", "store-truncated"],
)
def test_a_damaged_cache_is_refused_and_the_build_is_still_right(
    damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = with_fixture_sources(tmp_path / "data")
    out = tmp_path / "build"
    build(data, out, shacl=False)
    cache = out / "cache"
    index = json.loads((cache / "index.json").read_text())
    trig = sorted(name for name in index["entries"] if name.startswith("trig/"))
    victim = cache / trig[0]
    if damage == "truncated":
        victim.write_bytes(victim.read_bytes()[:-10])
    elif damage == "other-bytes":  # same size: only the digest can tell
        text = victim.read_bytes()
        victim.write_bytes(text.replace(b"zhanaozen", b"ZHANAOZEN", 1))
        assert len(victim.read_bytes()) == len(text)
    elif damage == "symlink":
        secret = tmp_path / "secret"
        secret.write_bytes(victim.read_bytes())
        victim.unlink()
        os.symlink(secret, victim)
    elif damage == "index-garbage":
        (cache / "index.json").write_text("{not json")
    elif damage == "index-hostile-name":
        index["entries"]["trig/../../../../etc/passwd"] = [10, "0" * 64]
        (cache / "index.json").write_text(json.dumps(index))
    elif damage == "store-truncated":
        store = ox.Store(str(out / "store"))
        store.remove(next(iter(store)))
        store.flush()
        del store
    CASES["quote"][1](data)
    with caplog.at_level(logging.INFO):
        again = build(data, out, shacl=False)
    fresh = build(data, tmp_path / "full", shacl=False, full=True)
    assert state(out) == state(tmp_path / "full")
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    if damage in ("truncated", "other-bytes"):
        assert messages == [
            f"build cache entry {trig[0]} refused: its bytes are not those the cache recorded; making it again"
        ]
    elif damage == "symlink":
        assert messages == [
            f"build cache entry {trig[0]} refused: cannot be read (Too many levels of symbolic links); making it again"
        ]
    elif damage == "index-garbage":
        assert not again.incremental
        assert again.why == f"the previous build in {out} has no readable build cache"
    elif damage == "index-hostile-name":
        assert again.incremental and messages == []
    else:
        assert messages == [f"the store in {out} is not the one its build wrote: loading it from scratch"]
        assert (
            again.why == "the store was loaded from scratch (the previous one is not the one its build wrote)"
        )
    assert fresh.quads == again.quads
