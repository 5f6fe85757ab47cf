"""A build is all or nothing: killed, interrupted, out of disk or raced, the previous build stays as it was."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from zhanaozen_graph import KnowledgeGraph, load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.graph import build as build_module

from .test_bad_input import snapshot

# Runs a build in a real process that stops at a named point (after announcing it in a marker file),
# so that the test can kill it there.
DRIVER = """
import os, sys, time
from pathlib import Path
import zhanaozen_graph.graph.build as b

point, marker, data, out = sys.argv[1:5]


def pause():
    Path(marker).write_text(str(os.getpid()))
    time.sleep(120)


if point == "formats-half-written":
    def half_jsonld(quads, prefixes, fh):
        fh.write(b'{"@context": {')
        fh.flush()
        pause()
    b.write_jsonld = half_jsonld
elif point == "store-written":  # loaded from scratch (a full build), or updated (an incremental one)
    write_store, update_store = b.write_store, b._update_store
    def store_then_pause(nquads, target, **options):
        write_store(nquads, target, **options)
        pause()
    def update_then_pause(*args, **options):
        index = update_store(*args, **options)
        pause()
        return index
    b.write_store, b._update_store = store_then_pause, update_then_pause
elif point == "before-swap":
    swap_in = b._swap_in
    def pause_then_swap(new, out):
        pause()
        swap_in(new, out)
    b._swap_in = pause_then_swap

from zhanaozen_graph.cli import main

sys.argv = ["zhanaozen-graph", "build", "--data", data, "--build-dir", out]
main()
"""

LABEL = "SELECT ?l WHERE { <https://w3id.org/zhanaozen-graph/id/person/jane-doe> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


def relabel(mini: Path, old: str, new: str) -> None:
    path = mini / "records" / "example.yaml"
    path.write_text(path.read_text().replace(f"label: {old}\n", f"label: {new}\n"))


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*") if not p.name.endswith(".lock"))


def labels_of(out: Path) -> tuple[list[str], list[str]]:
    """Jane Doe's label as the store answers and as graph.nq (which `serve` loads) holds it."""
    store = ox.Store.read_only(str(out / "store"))
    from_store = [row["l"].value for row in store.query(LABEL, use_default_graph_as_union=True)]
    memory = ox.Store()
    memory.bulk_load(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    from_nq = [row["l"].value for row in memory.query(LABEL, use_default_graph_as_union=True)]
    return from_store, from_nq


@pytest.mark.parametrize("point", ["formats-half-written", "store-written", "before-swap"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_build_killed_midway_leaves_the_previous_build_intact(
    mini: Path, built: Path, tmp_path: Path, point: str, sig: signal.Signals
) -> None:
    before = snapshot(built)
    relabel(mini, "Jane Doe", "Jane Q. Doe")
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, point, str(marker), str(mini), str(built)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the build never reached the point"
            time.sleep(0.05)
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=120)  # a loaded machine (load 18) once needed more than 30 s
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    assert snapshot(built) == before
    if sig == signal.SIGINT:
        assert proc.returncode == 1
        assert err.strip() == "Aborted!"
        assert leftovers(built) == []  # cleaned up on the way out
    else:
        assert proc.returncode == -signal.SIGKILL
    # Reverting the data: the cache calls the old build up to date, and both of its readers agree.
    relabel(mini, "Jane Q. Doe", "Jane Doe")
    kg = load_graph(mini, built)
    assert snapshot(built) == before
    assert labels_of(built) == (["Jane Doe"], ["Jane Doe"])
    assert kg.select(LABEL) == [{"l": "Jane Doe"}]
    # The next build succeeds and removes what the dead one left.
    relabel(mini, "Jane Doe", "Jane Q. Doe")
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(built)])
    assert result.exit_code == 0, result.output
    assert leftovers(built) == []
    assert labels_of(built) == (["Jane Q. Doe"], ["Jane Q. Doe"])


def test_a_full_disk_is_reported_and_the_previous_build_kept(
    mini: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(built)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_module, "write_jsonld", full)
    relabel(mini, "Jane Doe", "Jane Q. Doe")
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(built)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {built}: cannot write the build: No space left on device; "
        "free some disk space (the previous build was kept as it was)\n"
    )
    assert snapshot(built) == before
    assert leftovers(built) == []


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> object:
    """A 3 MB tmpfs mounted for the test, where the machine allows it (root, mount permitted)."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_on_a_small_tmpfs(mini: Path, small_tmpfs: Path) -> None:
    out = small_tmpfs / "build"
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    before = snapshot(out)
    # Fill the disk, then leave only a little room: less than a second build needs.
    filler = small_tmpfs / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    os.truncate(filler, max(0, filler.stat().st_size - 100_000))
    relabel(mini, "Jane Doe", "Jane Q. Doe")
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out}: cannot write the build: No space left on device; "
        "free some disk space (the previous build was kept as it was)\n"
    )
    assert snapshot(out) == before
    assert leftovers(out) == []
    filler.unlink()
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert labels_of(out) == (["Jane Q. Doe"], ["Jane Q. Doe"])


def test_leftovers_of_dead_builds_are_removed_and_other_files_kept(mini: Path, built: Path) -> None:
    stale = built.parent / f".{built.name}.new-dead"
    (stale / "store").mkdir(parents=True)
    (built / ".graph.nq.x1y2").write_text("a temporary file of an older builder")
    (built / "explorer.html").write_text("<html></html>")
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(built)])
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert not (built / ".graph.nq.x1y2").exists()
    assert (built / "explorer.html").read_text() == "<html></html>"


def test_a_build_lost_between_two_renames_is_restored(mini: Path, built: Path) -> None:
    before = snapshot(built)
    built.rename(built.parent / f".{built.name}.old-abc")
    with build_module.build_lock(built):
        build_module._clean_leftovers(built)
    assert snapshot(built) == before


def test_concurrent_builds_wait_for_each_other(
    mini: Path, built: Path, caplog: pytest.LogCaptureFixture
) -> None:
    finished: list[float] = []
    with build_module.build_lock(built):
        thread = threading.Thread(
            target=lambda: (build_module.build(mini, built, shacl=False), finished.append(time.monotonic()))
        )
        thread.start()
        time.sleep(1.0)
        released = time.monotonic()
        assert not finished  # still waiting for the lock
    thread.join(60)
    assert finished and finished[0] >= released
    assert f"waiting for another build of {built} (process {os.getpid()}) to finish" in caplog.text


def test_data_changed_during_the_build_is_refused(
    mini: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(built)
    write_store = build_module.write_store

    def write_then_edit(nquads: Path, target: Path, **options: Any) -> Path:
        relabel(mini, "Jane Doe", "Jane Q. Doe")
        return write_store(nquads, target, **options)

    update_store = build_module._update_store

    def update_then_edit(*args: Any, **options: Any) -> list[Any]:
        relabel(mini, "Jane Doe", "Jane Q. Doe")
        return update_store(*args, **options)

    monkeypatch.setattr(build_module, "write_store", write_then_edit)
    monkeypatch.setattr(build_module, "_update_store", update_then_edit)  # an incremental build
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(built)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {mini}: the data changed while the graph was being built; build again once the files are saved\n"
    )
    assert snapshot(built) == before


def test_a_tampered_build_is_not_called_up_to_date(mini: Path, built: Path) -> None:
    with open(built / "graph.nq", "a") as fh:
        fh.write("<http://a> <http://b> <http://c> .\n")
    kg = load_graph(mini, built)
    manifest = json.loads((built / "manifest.json").read_text())
    assert (built / "graph.nq").stat().st_size == manifest["outputs"]["graph.nq"]["bytes"]
    assert len(kg) == manifest["quads"]


def test_allow_empty_builds_an_empty_source_set(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    result = CliRunner().invoke(
        cli, ["build", "--allow-empty", "--data", str(data), "--build-dir", str(tmp_path / "b")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("built ")


def test_crlf_source_gives_offsets_into_the_text_as_stored(mini: Path, tmp_path: Path) -> None:
    source = mini / "sources" / "example-mini.txt"
    source.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    kg = load_graph(mini, tmp_path / "b")
    text = source.read_bytes().decode("utf-8")  # no newline translation
    rows = kg.select(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start ?end WHERE {
          ?t oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }"""
    )
    assert len(rows) == 8
    for row in rows:
        assert text[row["start"] : row["end"]] == row["exact"]
    assert any("\r\n" in row["exact"] for row in rows)


def test_a_folder_that_is_not_a_build_is_never_taken_over(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(folder)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {folder}: the build directory holds other files and no manifest.json; "
        "choose a new or empty --build-dir\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["precious.txt"]


def test_every_selector_of_the_real_graph_points_at_its_quote_in_the_file(kg: KnowledgeGraph) -> None:
    from .conftest import DATA

    text = (DATA / "sources" / "amnesty-ua-2012-07-atabaev-released.txt").read_bytes().decode("utf-8")
    rows = kg.select(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT DISTINCT ?exact ?start ?end WHERE {
          ?t oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }"""
    )
    assert len(rows) == 141  # the distinct quotes of the Amnesty records (zhanaozen-graph stats)
    assert all(text[row["start"] : row["end"]] == row["exact"] for row in rows)
