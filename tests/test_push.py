"""`push` against small recording HTTP servers on loopback: redirects, credentials, batches, counts (issue 12)."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zhanaozen_graph import load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.graph.build import KnowledgeGraph
from zhanaozen_graph.sparql.remote import BATCH, Endpoint, PushError, push

from .conftest import DATA

pytestmark = pytest.mark.server


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Recorder:
    """A loopback HTTP server whose answers a test decides, recording every request."""

    answer: Callable[[Seen], tuple[int, dict[str, str], bytes]]
    host: str = "127.0.0.1"
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def start(self) -> Recorder:
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                recorder.seen.append(seen)
                status, headers, body = recorder.answer(seen)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = handle_one

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((self.host, 0), Handler)
        self.url = f"http://{self.host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers() -> Iterator[Callable[..., Recorder]]:
    started: list[Recorder] = []

    def make(
        answer: Callable[[Seen], tuple[int, dict[str, str], bytes]], host: str = "127.0.0.1"
    ) -> Recorder:
        r = Recorder(answer, host).start()
        started.append(r)
        return r

    yield make
    for r in started:
        r.stop()


def ok(_: Seen) -> tuple[int, dict[str, str], bytes]:
    return 204, {}, b""


# -- 5. redirects, credentials ----------------------------------------------------------------------


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed_nor_success(
    servers: Callable[..., Recorder], code: int, kg: KnowledgeGraph, build_dir: Path
) -> None:
    elsewhere = servers(ok, host="127.0.0.2")
    store = servers(lambda s: (code, {"Location": f"{elsewhere.url}/store"}, b""))
    where = ["--data", str(DATA), "--build-dir", str(build_dir)]  # the session's build: no build notice
    result = CliRunner().invoke(
        cli, ["push", *where, "--endpoint", f"{store.url}/store", "--user", "admin", "--password", "pw"]
    )
    assert result.exit_code == 1
    graph = sorted({q.graph_name.value for q in kg.store})[0]
    assert result.stderr == (
        f"Error: the store refused graph <{graph}>: {code} a redirect to {elsewhere.url}/store, which is not "
        "followed; check the URL, that the store accepts writes, and --user/--password if it needs them\n"
    )
    assert elsewhere.seen == []
    assert all("Authorization" not in s.headers for s in store.seen)


def test_update_redirect_sends_no_credentials_elsewhere(servers: Callable[..., Recorder]) -> None:
    elsewhere = servers(ok, host="127.0.0.2")
    store = servers(lambda s: (302, {"Location": f"{elsewhere.url}/steal"}, b""))
    with pytest.raises(
        PushError, match=r": 302 a redirect to http://127\.0\.0\.2:\d+/steal, which is not followed"
    ):
        push(load_graph(), f"{store.url}/update", method="update", user="admin", password="pw")
    assert elsewhere.seen == []


def test_no_credentials_before_the_challenge_and_digest_works(servers: Callable[..., Recorder]) -> None:
    def digest(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        auth = seen.headers.get("Authorization", "")
        if not auth.startswith("Digest "):
            challenge = 'Digest realm="store", nonce="abc123", qop="auth", algorithm="MD5"'
            return 401, {"WWW-Authenticate": challenge}, b"who are you?"
        if seen.method == "GET":
            return 200, {"Content-Type": "application/n-triples"}, b""
        return 204, {}, b""

    store = servers(digest)
    with pytest.raises(PushError, match=r"after the push the store holds 0 triples in <"):
        push(load_graph(), f"{store.url}/store", user="admin", password="pw")
    first, second = store.seen[0], store.seen[1]
    assert "Authorization" not in first.headers  # the old code sent Basic up front
    assert second.headers["Authorization"].startswith(
        'Digest username="admin", realm="store", nonce="abc123"'
    )
    assert all(not s.headers.get("Authorization", "").startswith("Basic") for s in store.seen)


def test_basic_is_sent_when_the_store_asks_for_it(servers: Callable[..., Recorder]) -> None:
    def basic(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        if seen.headers.get("Authorization") != "Basic YWRtaW46cHc=":
            return 401, {"WWW-Authenticate": 'Basic realm="store"'}, b""
        return 200, {"Content-Type": "application/sparql-results+json"}, b'{"head":{},"boolean":true}'

    store = servers(basic)
    assert Endpoint(f"{store.url}/sparql", "admin", "pw").query("ASK {}").boolean is True
    assert "Authorization" not in store.seen[0].headers


def test_a_password_in_the_url_is_never_printed() -> None:
    result = CliRunner().invoke(cli, ["push", "--endpoint", "http://admin:hunter2@127.0.0.1:9/store"])
    assert result.exit_code == 1
    assert "hunter2" not in result.output and "hunter2" not in result.stderr
    assert result.stderr.startswith("Error: cannot reach http://127.0.0.1:9/store: ")


def test_a_password_in_the_url_is_used_on_challenge(servers: Callable[..., Recorder]) -> None:
    def basic(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        if seen.headers.get("Authorization") != "Basic YWRtaW46aHVudGVyMg==":
            return 401, {"WWW-Authenticate": 'Basic realm="x"'}, b""
        return 200, {"Content-Type": "application/sparql-results+json"}, b'{"head":{},"boolean":true}'

    store = servers(basic)
    url = store.url.replace("http://", "http://admin:hunter2@") + "/sparql"
    assert Endpoint(url).query("ASK {}").boolean is True


# -- 12. the update fallback: batches, a temporary graph, MOVE -------------------------------------


def test_update_loads_batches_into_a_temporary_graph_then_moves_it(servers: Callable[..., Recorder]) -> None:
    graph = "https://example.org/g"
    kg = load_graph()
    sent = len({q.triple for q in kg.store})
    count = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"%d"}}]}}' % sent
    store = servers(
        lambda s: (
            (200, {"Content-Type": "application/sparql-results+json"}, count)
            if s.body.startswith(b"query=")
            else (204, {}, b"")
        )
    )
    result = push(kg, f"{store.url}/sparql", graph=graph, method="update")
    assert result.graphs == {graph: sent}
    updates = [
        s.body.decode() for s in store.seen if s.headers["Content-Type"] == "application/sparql-update"
    ]
    temp = re.match(r"INSERT DATA \{ GRAPH <(urn:zhanaozen-graph:push:[0-9a-f-]+)>", updates[0])
    assert temp is not None
    assert len(updates) == -(-sent // BATCH) + 1
    assert all(u.startswith(f"INSERT DATA {{ GRAPH <{temp.group(1)}> {{\n") for u in updates[:-1])
    assert all(u.count("\n") <= BATCH + 1 for u in updates[:-1])
    assert updates[-1] == f"MOVE SILENT GRAPH <{temp.group(1)}> TO GRAPH <{graph}>"  # one atomic replace
    assert not any("DROP" in u for u in updates)


def test_a_count_mismatch_after_the_push_is_an_error(servers: Callable[..., Recorder]) -> None:
    short = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"12"}}]}}'
    store = servers(
        lambda s: (
            (200, {"Content-Type": "application/sparql-results+json"}, short)
            if s.body.startswith(b"query=")
            else (204, {}, b"")
        )
    )
    with pytest.raises(
        PushError,
        match=r"^after the push the store holds 12 triples in <https://example\.org/g>, not the \d+ sent",
    ):
        push(load_graph(), f"{store.url}/sparql", graph="https://example.org/g", method="update")


def test_a_failed_batch_drops_the_temporary_graph(servers: Callable[..., Recorder]) -> None:
    def refuse_second(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        inserts = sum(1 for s in store.seen if s.body.startswith(b"INSERT"))
        return (
            (400, {}, b"SP031 too long")
            if inserts == 2 and seen.body.startswith(b"INSERT")
            else (204, {}, b"")
        )

    store = servers(refuse_second)
    with pytest.raises(
        PushError, match=r"the store refused the update of <https://example\.org/g>: 400 SP031 too long"
    ):
        push(load_graph(), f"{store.url}/sparql", graph="https://example.org/g", method="update")
    bodies = [s.body.decode() for s in store.seen]
    assert bodies[-1].startswith("DROP SILENT GRAPH <urn:zhanaozen-graph:push:")
    assert not any(b.startswith("MOVE") for b in bodies)


# -- 13. the Accept header by query form ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT * { ?s ?p ?o }", "application/sparql-results+json, application/sparql-results+xml;q=0.5"),
        ("ASK { ?s ?p ?o }", "application/sparql-results+json, application/sparql-results+xml;q=0.5"),
        (
            "CONSTRUCT WHERE { ?s ?p ?o }",
            "application/n-triples, text/turtle;q=0.9, application/ld+json;q=0.5",
        ),
        (
            "PREFIX x: <urn:x> DESCRIBE <urn:a>",
            "application/n-triples, text/turtle;q=0.9, application/ld+json;q=0.5",
        ),
    ],
)
def test_accept_fits_the_query_form(servers: Callable[..., Recorder], query: str, accept: str) -> None:
    store = servers(lambda s: (200, {"Content-Type": "application/n-triples"}, b""))
    Endpoint(f"{store.url}/sparql").query(query)
    assert store.seen[0].headers["Accept"] == accept
