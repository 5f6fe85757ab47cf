"""A read-only SPARQL 1.1 Protocol endpoint over the built graph, with a query page and the explorer.

The HTTP side is a WSGI application served by the standard library's ``wsgiref`` with one
thread per request: no hand-written HTTP parsing, no extra dependency, and the application
is a plain function that tests can call. Queries run in a small pool of worker processes,
each holding the graph: pyoxigraph cannot cancel a query, so a query that exceeds the time
limit is stopped by killing its worker, which is then replaced.
"""

from __future__ import annotations

import contextlib
import html
import logging
import multiprocessing
import queue
import signal
import socketserver
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..errors import QueryError
from .text import UPDATE_KEYWORDS, keywords, query_form

__all__ = ["ServerConfig", "WorkerPool", "make_app", "serve"]

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000
FORMAT_PARAM = ("json", "xml", "csv", "tsv", "turtle", "nt", "jsonld")
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    403: "403 Forbidden",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    406: "406 Not Acceptable",
    413: "413 Payload Too Large",
    415: "415 Unsupported Media Type",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}


@dataclass(frozen=True)
class ServerConfig:
    """What the server serves and how it protects itself."""

    nquads: Path
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    explorer: Path | None = None
    queries_dir: Path | None = None


# -- worker processes ---------------------------------------------------------------------------


def _worker_main(conn: Connection, nquads: str, queries_dir: str | None) -> None:
    """Load the graph, then answer requests from ``conn`` until it closes."""
    import pyoxigraph as ox

    from ..graph.build import KnowledgeGraph
    from .format import MEDIA_TYPES, negotiate, serialize
    from .queries import resolve_query, run_query

    store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    kg = KnowledgeGraph(store)
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            info = resolve_query(job["query"], queries_dir)
            result = run_query(kg, info, job.get("params"), max_rows=job["max_rows"])
            fmt = job.get("format") or negotiate(job.get("accept"), result.kind)
            if fmt is None or (fmt in ("turtle", "nt", "jsonld")) != (result.kind == "graph"):
                kinds = "json, xml, csv, tsv" if result.kind != "graph" else "turtle, nt, jsonld"
                conn.send(
                    ("error", 406, f"cannot answer this {result.kind} query in the format asked; use {kinds}")
                )
                continue
            body = serialize(result, fmt).encode("utf-8")
            conn.send(("ok", MEDIA_TYPES[fmt], body, result.truncated))
        except QueryError as exc:
            conn.send(("error", 400, str(exc)))
        except Exception as exc:  # a bug must not take the worker down silently
            conn.send(("error", 500, f"internal error: {type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, ctx: Any, config: ServerConfig) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main,
            args=(child, str(config.nquads), str(config.queries_dir) if config.queries_dir else None),
            daemon=True,
            name="zhanaozen-sparql-worker",
        )
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.stop()
            raise QueryError("a query worker did not start in time")
        self.conn.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """Worker processes that run queries; one that overruns the time limit is killed and replaced."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        workers = [self._spawn() for _ in range(max(1, config.workers))]
        for w in workers:
            w.wait_ready(60)
            self._idle.put(w)

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self.config)
        with self._lock:
            self._all.append(w)
        return w

    def _replace(self, old: _Worker) -> None:
        old.stop()
        with self._lock:
            if old in self._all:
                self._all.remove(old)
        fresh = self._spawn()
        try:
            fresh.wait_ready(60)
        except QueryError:
            log.error("a replacement worker failed to start")
            return
        self._idle.put(fresh)

    def run(self, job: dict[str, Any]) -> tuple[int, str, bytes, dict[str, str]]:
        """Run a job; returns status, content type, body and extra headers."""
        timeout = self.config.timeout
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _text(503, "the server is busy; try again shortly")
        try:
            worker.conn.send(job)
            left = max(0.0, timeout - (time.monotonic() - started))
            if not worker.conn.poll(left):
                log.warning("query stopped after %.1f s; replacing its worker", timeout)
                threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
                return _text(503, f"the query did not finish within the time limit of {timeout:g} s")
            answer = worker.conn.recv()
        except (EOFError, OSError):
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            return _text(500, "the query worker died; try again")
        self._idle.put(worker)
        if answer[0] == "error":
            return _text(answer[1], answer[2])
        headers = {"X-Zhanaozen-Truncated": str(self.config.max_rows)} if answer[3] else {}
        return 200, f"{answer[1]}; charset=utf-8", answer[2], headers

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()


def _text(status: int, message: str) -> tuple[int, str, bytes, dict[str, str]]:
    return status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), {}


# -- the WSGI application -------------------------------------------------------------------------


def _respond(
    start_response: StartResponse,
    status: int,
    ctype: str,
    body: bytes,
    extra: dict[str, str] | None = None,
) -> Iterable[bytes]:
    headers = [("Content-Type", ctype), ("Content-Length", str(len(body)))]
    headers += [("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store")]
    headers += list((extra or {}).items())
    start_response(_STATUS.get(status, f"{status} Error"), headers)
    return [body]


def _read_request(environ: dict[str, Any]) -> tuple[dict[str, list[str]], str | None]:
    """The parameters of a request and the query sent directly in a POST body, if any."""
    method = environ["REQUEST_METHOD"]
    params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True, errors="strict")
    if method != "POST":
        return params, None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise _HttpError(400, "invalid Content-Length") from None
    if length > MAX_BODY:
        raise _HttpError(413, f"the request body is larger than {MAX_BODY} bytes")
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _HttpError(400, "the request body is not UTF-8") from None
    if ctype == "application/x-www-form-urlencoded":
        for k, v in urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict").items():
            params.setdefault(k, []).extend(v)
        return params, None
    if ctype == "application/sparql-query":
        return params, text
    if ctype == "application/sparql-update":
        raise _HttpError(403, "this endpoint is read-only: SPARQL updates are refused")
    raise _HttpError(
        415,
        f"unsupported Content-Type {ctype or '(none)'!r}; send application/x-www-form-urlencoded "
        "or application/sparql-query",
    )


class _HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise _HttpError(400, f"more than one {name!r} parameter")
    return values[0] if values else None


def _check_query(text: str) -> None:
    if not text.strip():
        raise _HttpError(400, "the query is empty")
    form = query_form(text)
    if form in UPDATE_KEYWORDS:
        raise _HttpError(403, f"this endpoint is read-only: {form} (an update) is refused")
    if "SERVICE" in keywords(text):
        raise _HttpError(400, "SERVICE (federated query) is disabled on this endpoint")


def make_app(
    config: ServerConfig, pool: WorkerPool
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI application: ``/sparql`` (the SPARQL 1.1 Protocol), ``/`` (a query page), ``/explorer``.

    ``/catalogue/<name>`` runs a catalogue query with its parameters taken from the query string.
    """

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path in ("/", "/index.html"):
                if method != "GET":
                    raise _HttpError(405, "use GET")
                return _respond(start_response, 200, "text/html; charset=utf-8", _page(config, environ))
            if path == "/explorer":
                explorer = config.explorer
                if explorer is None or not explorer.is_file():
                    raise _HttpError(404, "no explorer has been built; run `zhanaozen-graph explore` first")
                return _respond(start_response, 200, "text/html; charset=utf-8", explorer.read_bytes())
            if path == "/sparql" or path.startswith("/catalogue/"):
                if method not in ("GET", "POST"):
                    start_response(_STATUS[405], [("Allow", "GET, POST"), ("Content-Type", "text/plain")])
                    return [b"use GET or POST\n"]
                params, direct = _read_request(environ)
                if "update" in params:
                    raise _HttpError(403, "this endpoint is read-only: SPARQL updates are refused")
                for unsupported in ("default-graph-uri", "named-graph-uri", "using-graph-uri"):
                    if unsupported in params:
                        raise _HttpError(
                            400,
                            f"{unsupported} is not supported: the default graph is the union of all named "
                            "graphs; use GRAPH <iri> in the query",
                        )
                fmt = _single(params, "format")
                if fmt is not None and fmt not in FORMAT_PARAM:
                    raise _HttpError(400, f"unknown format {fmt!r}; use one of {', '.join(FORMAT_PARAM)}")
                job: dict[str, Any] = {
                    "accept": environ.get("HTTP_ACCEPT"),
                    "format": fmt,
                    "max_rows": config.max_rows,
                }
                if path == "/sparql":
                    query = _single(params, "query")
                    if direct is not None:
                        if query is not None:
                            raise _HttpError(400, "a query both in the body and in the URL")
                        query = direct
                    if query is None:
                        raise _HttpError(400, "no query: send it in the 'query' parameter")
                    _check_query(query)
                    job["query"] = query
                else:
                    name = path.split("/", 2)[2]
                    job["query"] = name if name and "/" not in name and "." not in name else "-"
                    job["params"] = {k: v[-1] for k, v in params.items() if k != "format"}
                status, ctype, body, extra = pool.run(job)
                return _respond(start_response, status, ctype, body, extra)
            raise _HttpError(404, f"no such page {path!r}; the SPARQL endpoint is /sparql")
        except _HttpError as exc:
            return _respond(
                start_response, exc.status, "text/plain; charset=utf-8", (exc.message + "\n").encode()
            )
        except UnicodeDecodeError:
            return _respond(
                start_response, 400, "text/plain; charset=utf-8", b"the request is not valid UTF-8\n"
            )

    return app


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zhanaozen-graph SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; }}
textarea {{ width: 100%; font: 13px/1.4 ui-monospace, monospace; }}
li {{ margin: .2em 0; }} code {{ font-size: 90%; }}
</style></head><body>
<h1>zhanaozen-graph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>/sparql</code> (GET or POST). The default graph is the union of
all named graphs. Queries stop after {timeout:g} s; at most {max_rows} rows are returned.{explorer}</p>
<form method="get" action="/sparql">
<textarea name="query" rows="16" spellcheck="false">{query}</textarea>
<p><label>Format <select name="format">{options}</select></label> <button type="submit">Run</button></p>
</form>
<h2>Catalogue</h2>
<p>Load a query into the box, or run it with its parameters at <code>/catalogue/&lt;name&gt;?param=value</code>.</p>
<ul>{catalogue}</ul>
</body></html>
"""


def _page(config: ServerConfig, environ: dict[str, Any]) -> bytes:
    from .queries import list_queries

    chosen = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("example", [""])[0]
    queries = list_queries(config.queries_dir)
    text = next((q.text for q in queries if q.name == chosen), "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    items = "".join(
        f'<li><a href="/?example={html.escape(q.name)}">{html.escape(q.name)}</a>: {html.escape(q.title)}'
        + (
            " <small>("
            + ", ".join(f"{html.escape(p.name)}={html.escape(p.default or '')}" for p in q.parameters)
            + ")</small>"
            if q.parameters
            else ""
        )
        + "</li>"
        for q in queries
    )
    options = "".join(f'<option value="{f}">{f}</option>' for f in ("", *FORMAT_PARAM))
    explorer = (
        ' The <a href="/explorer">explorer</a> shows the graph.'
        if config.explorer is not None and config.explorer.is_file()
        else ""
    )
    page = _PAGE.format(
        timeout=config.timeout,
        max_rows=config.max_rows,
        query=html.escape(text),
        options=options,
        catalogue=items,
        explorer=explorer,
    )
    return page.encode("utf-8")


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


def serve(
    config: ServerConfig,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; ``ready`` is called with the base URL once the workers are up.

    Examples
    --------
    >>> ServerConfig(Path("build/graph.nq")).max_rows
    10000
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    pool = WorkerPool(config)
    try:
        with make_server(host, port, make_app(config, pool), _ThreadingServer, _QuietHandler) as httpd:
            url = f"http://{host}:{httpd.server_port}/"
            if ready is not None:
                ready(url)
            with contextlib.suppress(KeyboardInterrupt, SystemExit):
                httpd.serve_forever()
    finally:
        pool.close()


def _stop(signum: int, frame: Any) -> None:
    """On SIGTERM, leave ``serve_forever`` so that the workers are stopped too."""
    raise SystemExit(0)
