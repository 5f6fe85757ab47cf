"""Issue 12 against a real `serve` over loopback: no file read, no outbound request, bounded work, safe pages.

Each test reproduces one finding of the issue and fails on the wsgiref server that preceded this one.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import json
import math
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zhanaozen_graph import load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.sparql.queries import run_query
from zhanaozen_graph.sparql.text import tokens

from .conftest import stop_process
from .test_server import request, start_server

pytestmark = pytest.mark.server
TEXT = "text/plain; charset=utf-8"
LABEL_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c <http://www.w3.org/2000/01/rdf-schema#label> ?d }"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    load_graph()
    proc, url = start_server("--timeout", "5", "--max-rows", "50", "--workers", "2")
    try:
        yield url
    finally:
        stop_process(proc)


def sparql(base: str, query: str, **params: str) -> tuple[int, str, bytes]:
    return request(base + "sparql?" + urllib.parse.urlencode({"query": query, **params}))


# -- 1. queries are text, never paths ---------------------------------------------------------------


def test_a_path_is_not_read_or_run(base: str, tmp_path: Path) -> None:
    runnable = tmp_path / "ask.rq"
    runnable.write_text("ASK { ?s ?p ?o }\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-LINE { x }\n")
    for path in (runnable, secret, tmp_path / "missing.rq"):
        status, ctype, body = sparql(base, str(path))
        # The same answer whether the file exists or not, and never its content.
        assert (status, ctype) == (400, TEXT)
        assert body == f"<query>:1:1: syntax error at {str(path)[:40]!r}\n".encode()
    assert b"TOPSECRET" not in sparql(base, str(secret))[2]


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "timeline.rq", "%2Fetc%2Fshadow", "a%20b"])
def test_the_catalogue_route_takes_names_only(base: str, name: str) -> None:
    status, ctype, body = request(base + "catalogue/" + name)
    assert (status, ctype) == (404, TEXT)
    assert body == f"no query named {urllib.parse.unquote(name)!r} in the catalogue\n".encode()


def test_an_unknown_catalogue_name_is_404(base: str) -> None:
    status, _, body = request(base + "catalogue/nothing")
    assert status == 404 and body.startswith(b"no query named 'nothing' in the catalogue; choose one of: ")


# -- 2. SERVICE refused by construction -------------------------------------------------------------


class Listener:
    """A loopback TCP listener that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


FUZZ = [
    "PREFIX ex: <http://ex/> SELECT ?s WHERE {{ BIND(ex:a\\#b AS ?i) SERVICE <{url}> {{ ?a ?b ?s }} }}",
    "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVIC\\u0045 <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * {{ ?x ?y "}}" SERVICE <{url}> {{ ?s ?p ?o }} }}',
    "SELECT * {{ # }}\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?x <urn:a#SERVICE> ?y . SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX s: <{url}> SELECT * {{ SERVICE s: {{ ?s ?p ?o }} }}",
    "BASE <{url}> SELECT * {{ SERVICE <> {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT * {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * {{ {{ SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "ASK {{ SERVICE <{url}> {{ }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE\t<{url}>{{?s ?p ?o}} }}",
    "SELECT * {{ SERVICE/* */<{url}> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", FUZZ)
def test_service_never_leaves_the_server(base: str, template: str) -> None:
    listener = Listener()
    url = f"http://127.0.0.1:{listener.port}/x"
    status, ctype, body = sparql(base, template.format(url=url))
    assert (status, ctype) == (400, TEXT)
    assert body == b"SERVICE (federated query) is disabled on this endpoint\n" or b"syntax error" in body
    time.sleep(0.2)
    assert listener.connections == 0


def test_a_worker_cannot_open_a_connection() -> None:
    listener = Listener()
    code = (
        "import socket, sys\n"
        "from zhanaozen_graph.sparql.server import _no_network\n"
        "assert _no_network()\n"
        f"try:\n socket.create_connection(('127.0.0.1', {listener.port}), timeout=2)\n"
        "except OSError as e:\n print(type(e).__name__)\nelse:\n print('connected')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout == "OSError\n" or out.stdout.endswith("Error\n"), out.stderr
    assert "connected" not in out.stdout
    assert listener.connections == 0


# -- 3. linear time, size and depth before parsing -------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "count"),
    [("a.", 100_000), ('\\"', 100_000), ("<a", 100_000), ("ex:a", 50_000), ("a.:", 75_000)],
    ids=["dots", "escaped-quotes", "iri-starts", "pnames", "mixed"],
)
def test_the_lexer_is_linear(unit: str, count: int) -> None:
    # Twice the text takes about twice the CPU (a quadratic lexer takes four times): the ratio of the
    # best of three runs, robust to a busy machine where an absolute limit is not. The old lexer took
    # ~42 s of CPU for 'a.' * 30,000; here 'a.' * 200,000 takes about a second.
    import gc

    def cpu(n: int) -> float:
        text = ('"' if unit == '\\"' else "") + unit * n
        best = float("inf")
        gc.disable()  # a collection inside one run is not the lexer's time
        try:
            for _ in range(3):
                start = time.process_time()
                tokens(text)
                best = min(best, time.process_time() - start)
        finally:
            gc.enable()
        return best

    small = cpu(count)
    while small < 0.2 and count < 4_000_000:  # long enough that the ratio is not noise
        count *= 2
        small = cpu(count)
    # Measured here: ratios 1.4-2.3. Two attempts, so that one disturbed measurement does not decide.
    ratios = []
    for _ in range(2):
        large = cpu(2 * count)
        ratios.append(large / cpu(count))
        if ratios[-1] < 3:
            break
    assert min(ratios) < 3, (count, ratios)
    assert large < 30


def test_deep_nesting_is_refused_by_the_cli() -> None:
    deep = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    out = subprocess.run(
        [sys.executable, "-m", "zhanaozen_graph", "query", "-e", deep],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (out.returncode, out.stderr) == (1, "Error: the query nests brackets 3000 deep; the limit is 48\n")


def test_deep_nesting_and_size_are_refused_by_the_server(base: str) -> None:
    deep = "SELECT * WHERE " + "{" * 40_000 + "}" * 40_000
    got = request(base + "sparql", deep.encode(), {"Content-Type": "application/sparql-query"})
    assert got == (400, TEXT, b"the query nests brackets 40000 deep; the limit is 48\n")
    big = "ASK {}" + " " * 100_000
    got = request(base + "sparql", big.encode(), {"Content-Type": "application/sparql-query"})
    assert got == (400, TEXT, b"the query is 100006 bytes long; the limit is 100000\n")
    slow = "a." * 30_000
    start = time.monotonic()
    got = request(base + "sparql", slow.encode(), {"Content-Type": "application/sparql-query"})
    assert got[0] == 400 and time.monotonic() - start < 10
    assert sparql(base, "ASK { ?s ?p ?o }")[:2] == (200, "application/sparql-results+json; charset=utf-8")


# -- 4. Host allow-list, CSP, methods, headers ------------------------------------------------------


def raw(base: str, method: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=20)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_a_foreign_host_header_is_refused(base: str) -> None:
    for path in ("/", "/sparql?query=ASK%7B%7D", "/explorer", "/catalogue/timeline"):
        r = raw(base, "GET", path, {"Host": "attacker.example:7878"})
        assert r.status == 403
    conn = http.client.HTTPConnection(
        urllib.parse.urlsplit(base).hostname or "", urllib.parse.urlsplit(base).port
    )
    conn.request("GET", "/", headers={"Host": "rebound.example"})
    r = conn.getresponse()
    assert (r.status, r.read()) == (
        403,
        b"the Host 'rebound.example' is not served here; start the server with --allow-host NAME to serve that name\n",
    )
    assert raw(base, "GET", "/", {"Host": "localhost"}).status == 200


def test_allow_host_adds_a_name() -> None:
    proc, url = start_server("--workers", "1", "--allow-host", "graph.example")
    try:
        assert raw(url, "GET", "/sparql?query=ASK%7B%7D", {"Host": "graph.example:80"}).status == 200
        assert raw(url, "GET", "/sparql?query=ASK%7B%7D", {"Host": "other.example"}).status == 403
    finally:
        stop_process(proc)


def test_pages_send_a_strict_policy(base: str) -> None:
    r = raw(base, "GET", "/")
    csp = r.headers["Content-Security-Policy"]
    # The query page's one script and one style, by hash; it may fetch answers from this server only.
    assert re.match(r"default-src 'none'; script-src 'sha256-[^' ]+'; style-src 'sha256-[^' ]+'; ", csp)
    assert "connect-src 'self'" in csp and "form-action 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert (r.headers["X-Frame-Options"], r.headers["X-Content-Type-Options"]) == ("DENY", "nosniff")


@pytest.mark.parametrize(
    ("path", "method", "allow"),
    [
        ("/", "PUT", "GET, HEAD"),
        ("/", "POST", "GET, HEAD"),
        ("/explorer", "PUT", "GET, HEAD"),
        ("/explorer", "DELETE", "GET, HEAD"),
        ("/sparql", "DELETE", "GET, POST"),
        ("/sparql", "PUT", "GET, POST"),
        ("/catalogue/timeline", "POST", "GET"),
    ],
)
def test_other_methods_get_405(base: str, path: str, method: str, allow: str) -> None:
    r = raw(base, method, path)
    assert (r.status, r.headers["Allow"]) == (405, allow)
    assert (r.headers["Cache-Control"], r.headers["X-Content-Type-Options"]) == ("no-store", "nosniff")


@pytest.mark.parametrize("path", ["/nothing", "/sparql?query=SELECT", "/catalogue/nothing"])
def test_errors_carry_the_safety_headers(base: str, path: str) -> None:
    r = raw(base, "GET", path)
    assert r.status in (400, 404)
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


def test_the_explorer_is_served_with_its_hashes(tmp_path: Path) -> None:
    from zhanaozen_graph.explorer import write_explorer

    build = tmp_path / "build"
    kg = load_graph(build_dir=build)
    write_explorer(kg, build / "explorer.html")
    proc, url = start_server("--workers", "1", env={**os.environ, "ZHANAOZEN_BUILD": str(build)})
    try:
        r = raw(url, "GET", "/explorer")
        csp = r.headers["Content-Security-Policy"]
        assert r.status == 200
        with urllib.request.urlopen(url + "/explorer", timeout=20) as page:
            body = page.read()
        # vis-network, d3-array, d3-geo, topojson-client (the map), the explorer's script, its stylesheet
        inline = re.findall(r"<(script|style)>(.*?)</\1>", body.decode(), flags=re.S)
        hashes = {
            "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
            for _, code in inline
        }
        assert len(hashes) == 6 and set(re.findall(r"'sha256-[^']+'", csp)) == hashes  # each, no other
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
    finally:
        stop_process(proc)


def test_cors_is_off_unless_asked(base: str) -> None:
    assert "Access-Control-Allow-Origin" not in raw(base, "GET", "/sparql?query=ASK%7B%7D").headers
    assert raw(base, "OPTIONS", "/sparql").status == 405


def test_cors_origin() -> None:
    proc, url = start_server("--workers", "1", "--cors", "https://app.example")
    try:
        r = raw(url, "GET", "/sparql?query=ASK%7B%7D")
        assert r.headers["Access-Control-Allow-Origin"] == "https://app.example"
        r = raw(url, "OPTIONS", "/sparql")
        assert (r.status, r.headers["Access-Control-Allow-Methods"]) == (204, "GET, POST")
    finally:
        stop_process(proc)


# -- 11. the client's values are bound, not the comment header's defaults ---------------------------


def test_remote_parameters_bind_the_clients_values(base: str) -> None:
    local = run_query(load_graph(), "actor", {"actor": "knb"})
    remote = run_query(base + "sparql", "actor", {"actor": "knb"})
    assert len(remote.rows) == len(local.rows) == 7
    result = CliRunner().invoke(
        cli, ["query", "actor", "-p", "actor=knb", "--endpoint", base + "sparql", "-f", "csv"]
    )
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) > 1


# -- 14. the query page's default format ------------------------------------------------------------


def test_the_query_page_runs_with_the_default_format(base: str) -> None:
    status, ctype, body = request(base + "sparql?query=ASK+%7B%7D&format=")
    assert (status, ctype) == (200, "application/sparql-results+json; charset=utf-8")
    assert json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.browser
def test_the_query_page_in_a_browser(base: str, browser: Any) -> None:
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "?example=legal-provisions")
        with page.expect_response(lambda r: "/catalogue/legal-provisions?" in r.url) as answer:
            page.click("button[type=submit]")
        response = answer.value
        assert response.status == 200  # the old page: 400 unknown format ''
        assert response.headers["content-type"].endswith("; charset=utf-8")
        assert errors == []
    finally:
        page.close()


# -- 6-9. under load --------------------------------------------------------------------------------


def server_threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def children(pid: int) -> list[int]:
    """The query workers of a server process (its spawned children, not the resource tracker)."""
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split():
            with contextlib.suppress(OSError):
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                    out.append(int(child))
    return out


def timed_sparql(url: str, query: str) -> tuple[int, float]:
    start = time.monotonic()
    status = sparql(url, query)[0]
    return status, time.monotonic() - start


def test_waiting_for_a_worker_does_not_count_against_the_time_limit() -> None:
    # The limit is set from this machine's own speed, so that a loaded machine (where one query may
    # take seconds) tests the same thing as a quiet one: the limit is three times one query's time
    # (at least 2 s), and there are enough clients that the last waits about two limits in the queue.
    proc, url = start_server("--workers", "2", "--timeout", "120")
    try:
        single = min(timed_sparql(url, LABEL_JOIN)[1] for _ in range(3))
    finally:
        stop_process(proc)
    limit = max(2, math.ceil(3 * single))
    clients = min(64, max(8, math.ceil(2 * 2 * limit / single)))  # 2 workers; the queue holds 64
    proc, url = start_server("--workers", "2", "--queue", "64", "--timeout", str(limit))
    try:
        with ThreadPoolExecutor(clients) as pool:
            answers = list(pool.map(lambda _: timed_sparql(url, LABEL_JOIN), range(clients)))
        assert [status for status, _ in answers] == [200] * clients
        # The premise: some client waited, in all, longer than the limit (else the test shows nothing).
        assert max(seconds for _, seconds in answers) > limit, (single, limit, clients, answers)
    finally:
        stop_process(proc)


def test_slow_connections_hold_no_threads_and_http_11(base: str) -> None:
    parts = urllib.parse.urlsplit(base)
    socks = []
    try:
        for _ in range(150):
            s = socket.create_connection((parts.hostname or "", parts.port or 0))
            s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            socks.append(s)
        start = time.monotonic()
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        conn.request("GET", "/sparql?query=ASK%7B%7D")
        r = conn.getresponse()
        assert (r.status, r.version) == (200, 11)
        assert time.monotonic() - start < 5
    finally:
        for s in socks:
            s.close()


def test_slow_connections_do_not_grow_the_threads() -> None:
    proc, url = start_server("--workers", "1", "--queue", "4")
    parts = urllib.parse.urlsplit(url)
    socks = []
    try:
        before = server_threads(proc.pid)
        for _ in range(200):
            s = socket.create_connection((parts.hostname or "", parts.port or 0))
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            socks.append(s)
        time.sleep(1)
        assert server_threads(proc.pid) <= before + 2  # the old server: one thread per connection
    finally:
        for s in socks:
            s.close()
        stop_process(proc)


def test_the_answer_is_capped_in_bytes_and_says_so() -> None:
    proc, url = start_server("--workers", "1", "--max-bytes", "2000")
    concat = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o }"  # one row of ~hundreds of kB
    many = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 500"
    try:
        r = raw(url, "GET", "/sparql?" + urllib.parse.urlencode({"query": concat, "format": "json"}))
        assert (r.status, r.headers["X-Zhanaozen-Truncated"]) == (200, "2000 bytes (0 rows kept)")
        status, _, body = sparql(url, concat, format="json")
        assert json.loads(body) == {
            "head": {"link": ["urn:zhanaozen-graph:truncated"], "vars": ["all"]},
            "results": {"bindings": []},
        }
        status, _, body = sparql(url, many, format="csv")
        assert status == 200 and len(body) <= 2000
    finally:
        stop_process(proc)


def test_a_worker_that_grew_too_big_is_replaced() -> None:
    proc, url = start_server("--workers", "1", "--worker-memory", "1")  # every worker is past 1 MB
    try:
        before = children(proc.pid)
        for _ in range(3):
            assert sparql(url, "ASK { ?s ?p ?o }")[0] == 200
        time.sleep(1)
        after = children(proc.pid)
        assert len(after) == 1 and after != before
    finally:
        stop_process(proc)


def test_the_pool_heals_after_workers_die_while_the_store_is_missing(tmp_path: Path) -> None:
    build = tmp_path / "build"
    load_graph(build_dir=build)
    proc, url = start_server("--workers", "2", env={**os.environ, "ZHANAOZEN_BUILD": str(build)})
    try:
        workers = children(proc.pid)
        assert len(workers) >= 2
        for w in workers:  # each worker has the persisted store open, not a copy in memory
            fds = [os.readlink(f"/proc/{w}/fd/{fd}") for fd in os.listdir(f"/proc/{w}/fd")]
            assert any(str(build / "store") in fd for fd in fds)
        (build / "store").rename(build / "store.away")
        for w in workers:
            os.kill(w, 9)
        time.sleep(3)  # the supervisor tries to replace them and fails: the store is missing
        assert children(proc.pid) == [] or all(w not in workers for w in children(proc.pid))
        (build / "store.away").rename(build / "store")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if sparql(url, "ASK {}")[0] == 200:
                break
            time.sleep(0.5)
        assert [sparql(url, "ASK {}")[0] for _ in range(4)] == [200] * 4
    finally:
        stop_process(proc)
