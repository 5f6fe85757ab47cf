"""The SPARQL endpoint, started as `zhanaozen-graph serve` in a subprocess and queried by real clients over loopback."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zhanaozen_graph import load_graph
from zhanaozen_graph.sparql.queries import run_query

from .conftest import stop_process

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[1]
EVENT = "http://semanticweb.cs.vu.nl/2009/11/sem/Event"


def start_server(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """Start `serve --port 0` and read the URL it prints once its workers are ready."""
    cmd = [sys.executable, "-m", "zhanaozen_graph", "serve", "--port", "0", *args]
    proc = subprocess.Popen(
        cmd, cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.5)
        if ready:
            line = proc.stderr.readline()
            if line.startswith("SPARQL endpoint at "):
                return proc, line.split(" at ", 1)[1].strip().removesuffix("sparql")
        if proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("the server did not start")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    load_graph()  # build once, outside the server
    # A time limit far above these queries' (a loaded machine must not turn them into 503s); the time
    # limit itself is tested on a server of its own.
    proc, url = start_server("--timeout", "10", "--max-rows", "50", "--workers", "2")
    try:
        yield url + "sparql"
    finally:
        stop_process(proc)


def request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read()


def get(endpoint: str, query: str, accept: str | None = None, **params: str) -> tuple[int, str, bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return request(f"{endpoint}?{qs}", headers={"Accept": accept} if accept else {})


LEGAL = "PREFIX zg: <https://w3id.org/zhanaozen-graph/ontology#> SELECT ?p ?n WHERE { ?p zg:articleNumber ?n } ORDER BY ?n"


def test_sparqlwrapper_select_and_ask(endpoint: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(LEGAL)
    client.setReturnFormat(JSON)
    doc: Any = client.query().convert()
    assert [b["n"]["value"] for b in doc["results"]["bindings"]] == ["164", "65"]
    client.setQuery(f"ASK {{ ?e a <{EVENT}> }}")
    assert client.query().convert()["boolean"] is True


def test_sparqlwrapper_post_and_construct(endpoint: str) -> None:
    from SPARQLWrapper import POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(
        "CONSTRUCT { ?p a ?t } WHERE { ?p a ?t ; <https://w3id.org/zhanaozen-graph/ontology#articleNumber> ?n }"
    )
    client.setReturnFormat(TURTLE)
    data = client.query().convert()
    assert b"criminal-code-article-164" in data and b"criminal-code-article-65" in data


def test_rdflib_sparqlstore_gives_the_local_rows(endpoint: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint, returnFormat="json")
    from rdflib import Graph

    remote = [tuple(str(x) for x in row) for row in Graph(store=store).query(LEGAL)]
    local = [tuple(str(t.value) for t in row) for row in run_query(load_graph(), LEGAL).rows]
    assert remote == local


@pytest.mark.parametrize(
    ("accept", "ctype", "start"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", b'{"head":{"vars":["p","n"]}'),
        ("application/sparql-results+xml", "application/sparql-results+xml", b'<?xml version="1.0"?><sparql'),
        ("text/csv", "text/csv", b"p,n\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", b"?p\t?n\n"),
        (None, "application/sparql-results+json", b'{"head"'),
    ],
)
def test_content_negotiation_for_select(endpoint: str, accept: str | None, ctype: str, start: bytes) -> None:
    status, content_type, body = get(endpoint, LEGAL, accept)
    assert status == 200
    assert content_type == f"{ctype}; charset=utf-8"
    assert body.startswith(start)


@pytest.mark.parametrize(
    ("accept", "ctype"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
    ],
)
def test_content_negotiation_for_construct(endpoint: str, accept: str, ctype: str) -> None:
    status, content_type, body = get(
        endpoint,
        "CONSTRUCT WHERE { ?p <https://w3id.org/zhanaozen-graph/ontology#articleNumber> ?n }",
        accept,
    )
    assert (status, content_type) == (200, f"{ctype}; charset=utf-8")
    assert b"criminal-code-article-65" in body


def test_post_form_and_direct(endpoint: str) -> None:
    form = urllib.parse.urlencode({"query": LEGAL}).encode()
    a = request(endpoint, form, {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    b = request(endpoint, LEGAL.encode(), {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert a == b
    assert (
        a[0] == 200
        and a[2].splitlines()[1] == b"https://w3id.org/zhanaozen-graph/id/law/criminal-code-article-164,164"
    )


def test_format_parameter_overrides_accept(endpoint: str) -> None:
    status, ctype, _ = get(endpoint, LEGAL, "application/sparql-results+json", format="tsv")
    assert (status, ctype) == (200, "text/tab-separated-values; charset=utf-8")


def test_catalogue_route_binds_parameters(endpoint: str) -> None:
    base = endpoint.rsplit("/", 1)[0]
    status, _, body = request(f"{base}/catalogue/mentions?entity=bolat-atabaev&format=json")
    assert status == 200
    # His 4 own quotes and 5 that name him (see test_catalogue.test_mentions).
    assert json.loads(body)["results"]["bindings"][0]["quotes"]["value"] == "9"


def test_row_cap(endpoint: str) -> None:
    status, _, body = request(
        endpoint + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
        headers={"Accept": "text/csv"},
    )
    assert status == 200
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert len(rows) == 51  # header and the 50-row cap (a literal may hold line breaks)


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"query": "SELECT * WHERE { ?s ?p }"}, 400, b"<query>:1:18: syntax error at '?s ?p }'\n"),
        (
            {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
            403,
            b"this endpoint is read-only: INSERT (an update) is refused\n",
        ),
        (
            {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
            403,
            b"this endpoint is read-only: SPARQL updates are refused\n",
        ),
        ({}, 400, b"no query: send it in the 'query' parameter\n"),
        ({"query": "  "}, 400, b"the query is empty\n"),
        (
            {"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"},
            400,
            b"SERVICE (federated query) is disabled on this endpoint\n",
        ),
        (
            {"query": LEGAL, "format": "pdf"},
            400,
            b"unknown format 'pdf'; use one of json, xml, csv, tsv, turtle, nt, jsonld\n",
        ),
        (
            {"query": LEGAL, "default-graph-uri": "urn:g"},
            400,
            b"default-graph-uri is not supported: the default graph is the union of all named graphs; use GRAPH <iri> in the query\n",
        ),
    ],
)
def test_bad_requests(endpoint: str, kwargs: dict[str, str], status: int, message: bytes) -> None:
    got = request(endpoint + "?" + urllib.parse.urlencode(kwargs))
    assert got == (status, "text/plain; charset=utf-8", message)


def test_two_query_parameters(endpoint: str) -> None:
    got = request(endpoint + "?query=ASK%7B%7D&query=ASK%7B%7D")
    assert got[:2] == (400, "text/plain; charset=utf-8") and got[2] == b"more than one 'query' parameter\n"


def test_update_content_type_is_refused(endpoint: str) -> None:
    got = request(
        endpoint, b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", {"Content-Type": "application/sparql-update"}
    )
    assert got[0] == 403


def test_unsupported_content_type(endpoint: str) -> None:
    got = request(endpoint, b"{}", {"Content-Type": "application/json"})
    assert got[0] == 415 and got[2].startswith(b"unsupported Content-Type 'application/json'")


def test_not_acceptable(endpoint: str) -> None:
    status, _, body = get(endpoint, LEGAL, "text/turtle")
    assert status == 406 and body.startswith(b"cannot answer this select query in the format asked")


def test_other_methods_and_paths(endpoint: str) -> None:
    assert request(endpoint, method="DELETE")[0] == 405
    base = endpoint.rsplit("/", 1)[0]
    assert request(base + "/nothing-here")[0] == 404


def test_timeout_kills_the_worker_and_the_server_recovers() -> None:
    load_graph()  # build once, outside the server
    proc, url = start_server("--timeout", "3", "--workers", "2")  # 3 s: an ASK on a loaded machine fits
    endpoint = url + "sparql"
    try:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
        start = time.monotonic()
        got = get(endpoint, slow)
        assert got == (
            503,
            "text/plain; charset=utf-8",
            b"the query did not finish within the time limit of 3 s\n",
        )
        assert time.monotonic() - start < 6
        # The other worker answers at once; the killed one is replaced.
        for _ in range(4):
            assert get(endpoint, f"ASK {{ ?e a <{EVENT}> }}")[0] == 200
    finally:
        stop_process(proc)


def test_query_page(endpoint: str) -> None:
    base = endpoint.rsplit("/", 1)[0]
    status, ctype, body = request(base + "/?example=timeline")
    assert (status, ctype) == (200, "text/html; charset=utf-8")
    page = body.decode()
    assert '<form class="zg-run" id="zg-query" method="get" action="/sparql">' in page
    assert '<form class="zg-run" id="zg-catalogue" method="get" action="/catalogue/timeline">' in page
    assert "SELECT DISTINCT ?earliest ?latest ?date ?status ?type ?event ?label ?places ?participants" in page
    assert "http" not in page.split("<body")[0].replace("http-equiv", "")  # no external resources
    assert re.findall(r'(?:src|href|action)="([^"]*)"', page) == re.findall(
        r'(?:src|href|action)="(/[^"]*)"', page
    )  # every link and form stays on this server


def test_explorer_is_served_when_built(tmp_path: Path) -> None:
    build = tmp_path / "build"
    load_graph(build_dir=build)
    (build / "explorer.html").write_text("<!doctype html><title>explorer</title>")
    env = {**os.environ, "ZHANAOZEN_BUILD": str(build)}
    proc, url = start_server("--workers", "1", env=env)
    try:
        assert request(url + "explorer") == (
            200,
            "text/html; charset=utf-8",
            b"<!doctype html><title>explorer</title>",
        )
        (build / "explorer.html").unlink()
        status, _, body = request(url + "explorer")
        assert (status, body) == (404, b"no explorer has been built; run `zhanaozen-graph explore` first\n")
    finally:
        stop_process(proc)
    assert proc.returncode == 0


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def test_the_default_run_works_without_the_page_script(endpoint: str) -> None:
    """The form sent as a browser sends it with scripts off: an empty format= and the browser's Accept."""
    qs = urllib.parse.urlencode({"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10", "format": ""})
    status, ctype, body = request(f"{endpoint}?{qs}", headers={"Accept": BROWSER_ACCEPT})
    assert (status, ctype) == (200, "application/sparql-results+xml; charset=utf-8")
    assert body.count(b"<result>") == 10


# -- the query page in a real Chromium ----------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose build has an explorer, so that the query page links into it."""
    from zhanaozen_graph.explorer import write_explorer

    build = tmp_path_factory.mktemp("served") / "build"
    write_explorer(load_graph(build_dir=build), build / "explorer.html")
    proc, url = start_server("--workers", "1", env={**os.environ, "ZHANAOZEN_BUILD": str(build)})
    try:
        yield url
    finally:
        stop_process(proc)


@pytest.fixture
def page(browser: Any, served: str) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.zg_errors = []  # console errors and failed loads, checked after each test
    page.zg_requests = []
    page.on("console", lambda m: page.zg_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.zg_errors.append(str(e)))
    page.on("request", lambda r: page.zg_requests.append(r.url))
    yield page
    assert page.zg_errors == []
    assert all(u.startswith(served) for u in page.zg_requests), page.zg_requests
    page.close()


def _table(page: Any) -> tuple[list[str], list[list[str]]]:
    head = page.eval_on_selector_all("#zg-result th", "els => els.map(e => e.textContent)")
    rows = page.eval_on_selector_all(
        "#zg-result tbody tr", "trs => trs.map(tr => [...tr.cells].map(td => td.textContent))"
    )
    return head, rows


def test_query_page_runs_the_default_query_into_a_table(page: Any, served: str) -> None:
    page.goto(served)
    page.click("#zg-query button[type=submit]")
    page.wait_for_selector("#zg-result table")
    head, rows = _table(page)
    assert head == ["s", "p", "o"] and len(rows) == 10
    assert re.fullmatch(r"10 rows in \d+ ms", page.inner_text("#zg-status"))
    assert page.url == served  # the page stayed: the table is on it


def test_query_page_fills_catalogue_parameters_and_links_into_the_explorer(page: Any, served: str) -> None:
    page.goto(served + "?example=events-at-place")
    assert page.input_value("#zg-p-place") == "aktau"  # the default from the query's header
    page.click("#zg-catalogue button[type=submit]")
    page.wait_for_selector("#zg-result table")
    head, rows = _table(page)
    assert head == ["place", "event", "earliest", "latest", "label", "at"]
    assert [r[1] for r in rows] == [
        "event/atabaev-convoy",
        "event/atabaev-released",
        "event/atabaev-released",
        "event/atabaev-flies-home",
    ]
    assert [r[5] for r in rows] == [
        "place/aktau",
        "place/aktau",
        "place/aktau-detention-centre",
        "place/aktau",
    ]
    assert rows[0][2:5] == [
        "2012-06-15",
        "2012-07-03",
        "Bolat Atabaev is taken by road in a convoy to a pre-trial detention centre in Aktau",
    ]
    links = page.eval_on_selector_all("#zg-result a.zg-explore", "as => as.map(a => a.getAttribute('href'))")
    assert links[:3] == ["/explorer#sel=aktau", "/explorer#sel=atabaev-convoy", "/explorer#sel=aktau"]
    # Another value for the parameter: the rows are the library's rows for it.
    page.fill("#zg-p-place", "almaty")
    page.click("#zg-catalogue button[type=submit]")
    page.wait_for_selector("#zg-result table")  # the click's handler removed the previous table
    _, rows = _table(page)
    expected = run_query(load_graph(), "events-at-place", {"place": "almaty"})
    event = expected.variables.index("event")
    assert [r[1] for r in rows] == [str(row[event].value).rsplit("/id/", 1)[1] for row in expected.rows]
    assert len(rows) >= 1
    # A record link opens the explorer on that record.
    page.click("#zg-result a.zg-explore >> nth=1")
    page.wait_for_url(re.compile(r".*/explorer#sel=atabaev-"))
    assert page.title() == "zhanaozen-graph explorer"


def test_query_page_shows_errors_and_hostile_values_as_text(page: Any, served: str) -> None:
    page.goto(served)
    page.fill("#zg-text", "SELECT")
    page.click("#zg-query button[type=submit]")
    page.wait_for_selector("#zg-status.zg-error")
    assert page.inner_text("#zg-status").startswith("Error 400: ")
    payload = "<img src=x onerror=alert(1)>"
    page.fill("#zg-text", f'SELECT ?x WHERE {{ BIND("{payload}" AS ?x) }}')
    page.click("#zg-query button[type=submit]")
    page.wait_for_selector("#zg-result table")
    assert _table(page) == (["x"], [[payload]])
    assert page.eval_on_selector_all("#zg-result img", "els => els.length") == 0
    page.zg_errors = [e for e in page.zg_errors if "400" not in e]  # the refused query's own 400


def test_query_page_other_formats_submit_the_form(page: Any, served: str) -> None:
    page.goto(served)
    page.select_option("#zg-query select[name=format]", "csv")
    with page.expect_response(lambda r: "/sparql?" in r.url) as answer:
        page.click("#zg-query button[type=submit]")
    assert answer.value.status == 200 and answer.value.headers["content-type"] == "text/csv; charset=utf-8"
    assert "format=csv" in answer.value.url  # the form itself went to the endpoint (a CSV download)
    status, _, body = request(answer.value.url)
    assert status == 200 and body.decode().splitlines()[0] == "s,p,o"
