"""Shared fixtures: the real graph (built once per session) and a writable copy of the mini example."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zhanaozen_graph import KnowledgeGraph, load_graph
from zhanaozen_graph.cli import cli

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
MINI = REPO / "tests" / "fixtures" / "mini"
MANY = REPO / "tests" / "fixtures" / "many-sources"


def with_fixture_sources(target: Path, only: str | None = None) -> Path:
    """``data/`` with the invented sources of tests/fixtures/many-sources laid over it.

    With ``only``, the data holds the register and that one source (its text, metadata and records).
    """
    shutil.copytree(DATA / "register", target / "register")
    shutil.copytree(MANY / "register", target / "register", dirs_exist_ok=True)
    for part in ("sources", "records"):
        (target / part).mkdir(parents=True)
        for base in (DATA, MANY):
            for item in (base / part).iterdir():
                if only is not None and not item.name.startswith(only):
                    continue
                if item.is_dir():
                    shutil.copytree(item, target / part / item.name)
                else:
                    shutil.copy(item, target / part / item.name)
    return target


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build directory for the real data, private to the test session."""
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def kg(build_dir: Path) -> KnowledgeGraph:
    """The graph of the real document."""
    return load_graph(DATA, build_dir)


@pytest.fixture(scope="session")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Amnesty document with the two invented sources (tests/fixtures/many-sources): (data, build dir)."""
    root = tmp_path_factory.mktemp("many")
    return with_fixture_sources(root / "data"), root / "build"


@pytest.fixture(scope="session")
def many_kg(many: tuple[Path, Path]) -> KnowledgeGraph:
    """The graph of the Amnesty document with the two invented sources."""
    return load_graph(*many)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the invented mini dataset (tests/fixtures/mini)."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def built(mini: Path, tmp_path: Path) -> Path:
    """A good build of the mini data, to check that a failed build leaves it untouched."""
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out


def wait_until_up(url: str, proc: subprocess.Popen[str], what: str, seconds: float, poll: float) -> None:
    """Wait until ``url`` answers, or fail the test when ``seconds`` pass or the server exits first."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=max(1.0, poll * 8)):
                return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError(f"{what} did not start") from None
            time.sleep(poll)


def stop_process(proc: subprocess.Popen[str]) -> None:
    """Stop a server started by a test: SIGTERM by PID, then SIGKILL if it does not exit in 10 s."""
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(5)


# -- A real Chromium (Debian's; never `playwright install`) ------------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_unavailable(reason: str) -> None:
    """Skip a browser test, or fail it when ``CI=true`` (CI must run every browser test)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium through Playwright, launched once per test module."""
    if not CHROMIUM.exists():
        browser_unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


# -- Real SPARQL servers on loopback, each started once per session (issue 17) -----------------------
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
VIRTUOSO_CREDENTIALS = ("dba", "dba")  # the private database's default administrator, on loopback only
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


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serving_oxigraph(location: Path) -> Iterator[str]:
    """Serve the Oxigraph database in ``location`` on a free loopback port (union default graph, like the
    local engine) while the block runs: its base URL. The server is stopped by its PID afterwards."""
    assert Path(OXIGRAPH).exists(), "the oxigraph binary (pip install oxigraph) is missing"
    port = free_port()
    cmd = [
        OXIGRAPH,
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/query?query=ASK%7B%7D", proc, "oxigraph", seconds=20, poll=0.05)
        yield base
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server on a free loopback port for the whole session: its base URL."""
    with serving_oxigraph(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Virtuoso 7.2 with its own database directory on free loopback ports: its base URL.

    With CI=true a missing Virtuoso fails the run instead of skipping.
    """
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


# What each session server holds now (its base URL -> the (data, build) pushed into it last), so that a
# test loads a data set only when the server holds another one; anything that changes a server without
# `load_into` goes through `clear_store`, which forgets what it held.
LOADED: dict[str, tuple[Path, Path]] = {}


def clear_store(kind: str, base: str) -> None:
    """Remove what earlier tests loaded into a session's server, so that the next push stands alone.

    Oxigraph: ``DROP ALL``. Virtuoso: every graph but its own system graphs (which ``DROP ALL``
    would take too): the project's (under ``graph/``) and the tests' (under https://example.org/).
    """
    from zhanaozen_graph.graph.build import GRAPH_BASE
    from zhanaozen_graph.sparql.remote import Endpoint, _send_update

    LOADED.pop(base, None)
    if kind == "oxigraph":
        status, message = _send_update(Endpoint(base + "/update"), "DROP ALL")
        assert status < 300, message
        return
    found = Endpoint(base + "/sparql").query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}") || STRSTARTS(STR(?g), "https://example.org/")) }}'
    )
    admin = Endpoint(base + "/sparql-auth", *VIRTUOSO_CREDENTIALS)
    for (graph,) in found.rows:
        assert graph is not None
        status, message = _send_update(admin, f"DROP SILENT GRAPH <{graph.value}>")
        assert status < 300, message


def push_to(kind: str, base: str, data: Path, build: Path) -> tuple[int, str]:
    """Load the graph of ``data`` into an emptied server with `push`: (exit code, output)."""
    clear_store(kind, base)
    target = (
        [f"{base}/store"]
        if kind == "oxigraph"
        else [
            f"{base}/sparql-graph-crud-auth",
            "--user",
            VIRTUOSO_CREDENTIALS[0],
            "--password",
            VIRTUOSO_CREDENTIALS[1],
        ]
    )
    result = CliRunner().invoke(
        cli, ["push", "--endpoint", *target, "--data", str(data), "--build-dir", str(build)]
    )
    return result.exit_code, result.output


def load_into(kind: str, base: str, data: Path, build: Path) -> str:
    """The query URL of a server that holds the graph of ``data`` alone (pushed unless it already does)."""
    if LOADED.get(base) != (data, build):
        code, output = push_to(kind, base, data, build)
        assert code == 0, output
        LOADED[base] = (data, build)
    return query_url(kind, base)


def query_url(kind: str, base: str) -> str:
    """The SPARQL query endpoint of a server."""
    return f"{base}/query" if kind == "oxigraph" else f"{base}/sparql"
