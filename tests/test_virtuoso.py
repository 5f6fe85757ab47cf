"""Virtuoso 7.2 (Debian's virtuoso-opensource) on loopback: push with Digest, every catalogue query remotely.

Findings 12 and 13 of issue 12. Virtuoso is started by the fixture with its own database directory and
stopped by PID; with CI=true a missing Virtuoso fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from zhanaozen_graph import load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.sparql.queries import list_queries, run_query
from zhanaozen_graph.sparql.remote import Endpoint, _send_update

from .conftest import stop_process, wait_until_up
from .test_remote import free_port, unordered_lists

pytestmark = pytest.mark.server
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(VIRTUOSO).exists():
        reason = "virtuoso-t is missing: apt-get install -y virtuoso-opensource"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the Virtuoso tests must run)")
        pytest.skip(reason)
    d = tmp_path_factory.mktemp("virtuoso")
    port = free_port()
    (d / "virtuoso.ini").write_text(INI.format(d=d, sql=free_port(), http=port))
    proc = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(d / "virtuoso.ini")],
        cwd=d,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/sparql?query=ASK%7B%7D", proc, "virtuoso", seconds=90, poll=0.25)
    try:
        yield base
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def pushed(virtuoso: str, many: tuple[Path, Path]) -> str:
    # The documented way: the Graph Store Protocol with Digest (finding 13: Basic sent first got a 401).
    data, build = many
    result = CliRunner().invoke(
        cli,
        [
            *(
                "push",
                "--endpoint",
                f"{virtuoso}/sparql-graph-crud-auth",
                "--user",
                "dba",
                "--password",
                "dba",
            ),
            *("--data", str(data), "--build-dir", str(build)),
        ],
    )
    kg = load_graph(data, build)
    graphs = {q.graph_name.value for q in kg.store}
    assert (result.exit_code, result.stdout) == (
        0,
        f"pushed {len(kg)} triples in {len(graphs)} graphs with the Graph Store Protocol\n",
    ), result.output
    return virtuoso


def as_stored(term: Any) -> Any:
    """A term as a pyoxigraph store keeps it (which normalises some literals; Virtuoso keeps them)."""
    if not isinstance(term, ox.Literal):
        return term
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), term))
    return next(iter(store)).object


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_catalogue_query_gives_the_local_rows(pushed: str, many: tuple[Path, Path], name: str) -> None:
    local = run_query(load_graph(*many), name)
    remote = run_query(f"{pushed}/sparql", name)
    assert remote.kind == local.kind
    if local.kind == "graph":
        assert set(remote.triples) == set(local.triples)
        return
    assert remote.variables == local.variables
    remote.rows = [tuple(as_stored(t) for t in row) for row in remote.rows]
    assert unordered_lists(name, remote) == unordered_lists(name, local)
    assert len(local.rows) > 0


def test_virtuoso_holds_the_terms_of_the_files(pushed: str) -> None:
    remote = run_query(f"{pushed}/sparql", "evidence")
    datatypes = {t.datatype.value for row in remote.rows for t in row if isinstance(t, ox.Literal)}
    # The offsets are written as xsd:integer, the form every store keeps: Virtuoso holds the files' terms.
    assert "http://www.w3.org/2001/XMLSchema#integer" in datatypes
    assert "http://www.w3.org/2001/XMLSchema#nonNegativeInteger" not in datatypes


def test_construct_over_the_endpoint_as_turtle(pushed: str, many: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["query", "record", "--endpoint", f"{pushed}/sparql", "-f", "turtle"])
    data, build = many
    local = CliRunner().invoke(
        cli, ["query", "record", "-f", "nt", "--data", str(data), "--build-dir", str(build)]
    )
    assert result.exit_code == 0, result.output
    remote = set(ox.parse(result.stdout.encode(), ox.RdfFormat.TURTLE))
    assert {q.triple for q in remote} == {
        q.triple for q in ox.parse(local.stdout.encode(), ox.RdfFormat.N_TRIPLES)
    }


def test_update_push_in_batches_that_virtuoso_accepts(pushed: str) -> None:
    target = "https://example.org/zhanaozen-update"
    result = CliRunner().invoke(
        cli,
        [
            "push",
            "--method",
            "update",
            "--endpoint",
            f"{pushed}/sparql-auth",
            "--graph",
            target,
            "--user",
            "dba",
            "--password",
            "dba",
        ],
    )
    try:
        n = len({q.triple for q in load_graph().store})
        assert (result.exit_code, result.stdout) == (
            0,
            f"pushed {n} triples in 1 graphs with SPARQL Update\n",
        )
        count = run_query(
            f"{pushed}/sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
        )
        assert count.records() == [{"n": n}]
    finally:
        _send_update(Endpoint(f"{pushed}/sparql-auth", "dba", "dba"), f"DROP SILENT GRAPH <{target}>")
