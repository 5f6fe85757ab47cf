"""A read-only SPARQL 1.1 Protocol endpoint over the built graph, with a query page and the explorer.

The HTTP side is a WSGI application served by waitress (HTTP/1.1; connections are read by an
event loop, so a slow client holds no thread; idle connections are closed after
``channel_timeout``). Queries run in a pool of worker processes, each with the persisted store
(``build/store``) open read-only and no network (a private network namespace where the kernel
allows it): pyoxigraph cannot cancel a query, so a query that exceeds the time limit is stopped
by killing its worker. A supervisor thread replaces every worker that dies or is killed, retrying
until it succeeds, so the pool heals whatever happens.

A request waits for a free worker in a bounded queue (``503`` with ``Retry-After`` when the queue
is full or the wait too long); the time limit counts only the query's own execution.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import logging
import multiprocessing
import queue
import re
import signal
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import QueryError
from .text import MAX_QUERY_BYTES, UPDATE_KEYWORDS, query_form

__all__ = ["ServerConfig", "WorkerPool", "make_app", "serve"]

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000
FORMAT_PARAM = ("json", "xml", "csv", "tsv", "turtle", "nt", "jsonld")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
RETRY_AFTER = "2"
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_STATUS = {
    200: "200 OK",
    204: "204 No Content",
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
# Answers that are not HTML pages may load nothing and may not be framed.
_BASE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class ServerConfig:
    """What the server serves and how it protects itself.

    ``store`` is the persisted store directory (``build/store``), opened read-only by each worker.
    ``queue`` is how many requests may wait for a worker; ``queue_timeout`` how long one may wait.
    ``max_bytes`` caps the size of an answer; a worker whose resident memory exceeds
    ``worker_memory_mb`` after a query is replaced; ``allow_hosts`` adds names to the loopback names
    accepted in the ``Host`` header; ``cors`` is an origin allowed to read answers cross-site.
    """

    store: Path
    timeout: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 50_000_000
    workers: int = 2
    queue: int = 32
    queue_timeout: float = 30.0
    explorer: Path | None = None
    queries_dir: Path | None = None
    worker_memory_mb: int = 1024
    allow_hosts: tuple[str, ...] = ()
    cors: str | None = None
    channel_timeout: float = 30.0


# -- worker processes ---------------------------------------------------------------------------


def _no_network() -> bool:
    """Move this process into a new, empty network namespace: no connection can leave it.

    Returns False where the kernel refuses (then SERVICE is still refused by the parser check).
    """
    import ctypes
    import os

    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - not Linux
        return False
    if libc.unshare(clone_newnet) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(clone_newuser | clone_newnet) != 0:
        return False
    with contextlib.suppress(OSError):  # keep the same ids inside the user namespace
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    return True


def _worker_main(conn: Connection, store_path: str, queries_dir: str | None, memory_mb: int) -> None:
    """Open the store read-only, cut the network, then answer jobs from ``conn`` until it closes."""
    import sys

    sandboxed = _no_network()
    sys.setrecursionlimit(20_000)
    threading.stack_size(256 * 1024 * 1024)  # rdflib's parser recurses deeply
    thread = threading.Thread(target=_worker_loop, args=(conn, store_path, queries_dir, sandboxed, memory_mb))
    thread.start()
    thread.join()


def _rss_mb() -> float:
    """The resident memory of the current process in MB (0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0.0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _worker_loop(
    conn: Connection, store_path: str, queries_dir: str | None, sandboxed: bool, memory_mb: int
) -> None:
    import pyoxigraph as ox

    from ..graph.build import KnowledgeGraph

    try:
        kg = KnowledgeGraph(ox.Store.read_only(store_path))
    except (OSError, RuntimeError, ValueError) as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", sandboxed))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        answer = _answer(kg, job, queries_dir)
        recycle = _rss_mb() > memory_mb  # a big answer leaves the allocator holding its memory
        conn.send((answer, recycle))
        if recycle:
            return


def _answer(kg: Any, job: dict[str, Any], queries_dir: str | None) -> tuple[Any, ...]:
    """Run one job in a worker: ("ok", media type, body, truncation note) or ("error", status, text)."""
    from .format import MEDIA_TYPES, negotiate, serialize
    from .guard import check_remote_query
    from .queries import QueryInfo, get_query, run_query

    try:
        if "catalogue" in job:
            info = get_query(job["catalogue"], queries_dir)
            result = run_query(kg, info, job["params"], max_rows=job["max_rows"])
        else:
            text = job["text"]
            check_remote_query(text, "<query>", job["max_query_bytes"])
            # The text as sent, run as it is: a comment header's defaults never rebind the client's values.
            result = run_query(kg, QueryInfo(name="<query>", text=text), None, max_rows=job["max_rows"])
        fmt = job.get("format") or negotiate(job.get("accept"), result.kind)
        if fmt is None or (fmt in ("turtle", "nt", "jsonld")) != (result.kind == "graph"):
            kinds = "json, xml, csv, tsv" if result.kind != "graph" else "turtle, nt, jsonld"
            return ("error", 406, f"cannot answer this {result.kind} query in the format asked; use {kinds}")
        body = serialize(result, fmt).encode("utf-8")
        note = f"{job['max_rows']} rows" if result.truncated else ""
        cap = job["max_bytes"]
        if len(body) > cap:
            body, kept = _cut(result, fmt, cap)
            note = f"{cap} bytes ({kept} rows kept)"
        return ("ok", MEDIA_TYPES[fmt], body, note)
    except QueryError as exc:
        status = 404 if str(exc).startswith("no query named") else 400
        if "(an update) is refused" in str(exc):
            status = 403
        return ("error", status, str(exc))
    except MemoryError:
        return ("error", 503, "the answer is too large for the server's memory; narrow the query")
    except Exception as exc:  # a bug must not take the worker down silently
        return ("error", 500, f"internal error: {type(exc).__name__}: {exc}")


def _cut(result: Any, fmt: str, cap: int) -> tuple[bytes, int]:
    """The longest prefix of whole rows (or triples) whose answer fits in ``cap`` bytes, and its length."""
    from .format import serialize

    items = result.triples if result.kind == "graph" else result.rows
    lo, hi = 0, len(items)
    while lo < hi:  # the largest n such that n items fit: O(log n) serialisations
        mid = (lo + hi + 1) // 2
        part = _with_items(result, items[:mid])
        if len(serialize(part, fmt).encode("utf-8")) <= cap:
            lo = mid
        else:
            hi = mid - 1
    body = serialize(_with_items(result, items[:lo]), fmt).encode("utf-8")
    return _mark_truncated(body, fmt, cap), lo


def _with_items(result: Any, items: list[Any]) -> Any:
    import dataclasses

    if result.kind == "graph":
        return dataclasses.replace(result, triples=items)
    return dataclasses.replace(result, rows=items)


TRUNCATED_LINK = "urn:zhanaozen-graph:truncated"


def _mark_truncated(body: bytes, fmt: str, cap: int) -> bytes:
    """Say in the body itself that it was cut: a ``link`` in the results' head, or a comment line."""
    if fmt == "json" and body.startswith(b'{"head":{'):
        return body.replace(b'{"head":{', b'{"head":{"link":["' + TRUNCATED_LINK.encode() + b'"],', 1)
    if fmt == "xml":
        return body.replace(b"<head>", b'<head><link href="' + TRUNCATED_LINK.encode() + b'"/>', 1)
    if fmt in ("turtle", "nt"):
        return body + f"# truncated: the answer was cut at {cap} bytes\n".encode()
    return body  # CSV, TSV and JSON-LD have no place for a note: the header says it


class _Worker:
    def __init__(self, ctx: Any, config: ServerConfig) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main,
            args=(
                child,
                str(config.store),
                str(config.queries_dir) if config.queries_dir else None,
                config.worker_memory_mb,
            ),
            daemon=True,
            name="zhanaozen-sparql-worker",
        )
        self.process.start()
        child.close()
        self.sandboxed = False

    def wait_ready(self, timeout: float) -> None:
        """Wait for the worker's first message; raise QueryError if it fails or does not come."""
        try:
            if not self.conn.poll(timeout):
                raise QueryError("a query worker did not start in time")
            message = self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            raise QueryError("a query worker died while starting") from None
        except QueryError:
            self.stop()
            raise
        if message[0] != "ready":
            self.stop()
            raise QueryError(f"a query worker could not open the store: {message[1]}")
        self.sandboxed = bool(message[1])

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


Reply = tuple[int, str, bytes, dict[str, str]]


class WorkerPool:
    """Worker processes that run queries; any worker that dies or overruns is replaced by a supervisor."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._missing = threading.Semaphore(0)  # one release per worker to (re)start
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._waiting = 0
        self.kills = 0
        self.recycled = 0
        self.sandboxed = True
        for _ in range(max(1, config.workers)):
            w = _Worker(self._ctx, config)
            w.wait_ready(60)
            self.sandboxed = self.sandboxed and w.sandboxed
            self._adopt(w)
        if not self.sandboxed:
            log.warning("the kernel refused a private network namespace: workers can open connections")
        self._supervisor = threading.Thread(target=self._supervise, name="zhanaozen-supervisor", daemon=True)
        self._supervisor.start()

    def _adopt(self, w: _Worker) -> None:
        with self._lock:
            self._all.add(w)
        self._idle.put(w)

    def _retire(self, w: _Worker) -> None:
        """Stop a worker and have the supervisor start another."""
        with self._lock:
            self._all.discard(w)
        threading.Thread(target=w.stop, daemon=True).start()
        self._missing.release()

    def _supervise(self) -> None:
        """Start a worker for every one retired, retrying with a growing pause until one starts."""
        while not self._closed.is_set():
            if not self._missing.acquire(timeout=0.5):
                continue
            pause = 0.2
            while not self._closed.is_set():
                try:
                    w = _Worker(self._ctx, self.config)
                    w.wait_ready(60)
                except Exception as exc:  # whatever happened, try again: the pool must heal
                    log.error("a replacement worker failed to start (%s); retrying in %.1f s", exc, pause)
                    self._closed.wait(pause)
                    pause = min(pause * 2, 5.0)
                    continue
                if self._closed.is_set():
                    w.stop()
                    return
                self._adopt(w)
                break

    def run(self, job: dict[str, Any]) -> Reply:
        """Run a job; returns status, content type, body and extra headers."""
        cfg = self.config
        with self._lock:
            if self._waiting >= cfg.queue + cfg.workers:
                return _busy("the server is busy: too many queries are waiting; try again shortly")
            self._waiting += 1
        deadline = time.monotonic() + cfg.queue_timeout
        try:
            while True:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
                if worker.process.is_alive():
                    break
                self._retire(worker)  # died while idle (killed from outside): replace it, take another
        except queue.Empty:
            return _busy("the server is busy: no query worker became free in time; try again shortly")
        finally:
            with self._lock:
                self._waiting -= 1
        try:
            worker.conn.send(job)
            started = time.monotonic()  # the time limit counts only the query's own execution
            if not worker.conn.poll(cfg.timeout):
                log.warning("query stopped after %.1f s; replacing its worker", time.monotonic() - started)
                self.kills += 1
                self._retire(worker)
                status, ctype, body, extra = _text(
                    503, f"the query did not finish within the time limit of {cfg.timeout:g} s"
                )
                return status, ctype, body, extra
            answer, recycle = worker.conn.recv()
        except (EOFError, OSError):
            self._retire(worker)
            return _text(500, "the query worker died; try again")
        if recycle:
            log.info("a worker grew past %d MB; replacing it", cfg.worker_memory_mb)
            self.recycled += 1
            self._retire(worker)
        else:
            self._idle.put(worker)
        if answer[0] == "error":
            status, ctype, body, extra = _text(answer[1], answer[2])
            if answer[1] == 503:
                extra["Retry-After"] = RETRY_AFTER
            return status, ctype, body, extra
        headers = {"X-Zhanaozen-Truncated": answer[3]} if answer[3] else {}
        return 200, f"{answer[1]}; charset=utf-8", answer[2], headers

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def close(self) -> None:
        """Stop the supervisor and every worker."""
        self._closed.set()
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()


def _text(status: int, message: str) -> Reply:
    return status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), {}


def _busy(message: str) -> Reply:
    status, ctype, body, _ = _text(503, message)
    return status, ctype, body, {"Retry-After": RETRY_AFTER}


# -- the WSGI application -------------------------------------------------------------------------


class _HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _respond(
    start_response: StartResponse,
    status: int,
    ctype: str,
    body: bytes,
    extra: dict[str, str] | None = None,
) -> Iterable[bytes]:
    headers = {
        "Content-Type": ctype,
        "Content-Length": str(len(body)),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Content-Security-Policy": _BASE_CSP,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }
    headers.update(extra or {})
    start_response(_STATUS.get(status, f"{status} Error"), list(headers.items()))
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


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise _HttpError(400, f"more than one {name!r} parameter")
    return values[0] if values else None


def _check_query(text: str, max_bytes: int) -> None:
    """The cheap checks, in the HTTP thread; the parse and the SERVICE check run in the worker."""
    if not text.strip():
        raise _HttpError(400, "the query is empty")
    if len(text) > max_bytes:  # characters; the worker checks UTF-8 bytes
        raise _HttpError(
            400, f"the query is {len(text.encode('utf-8'))} bytes long; the limit is {max_bytes}"
        )
    form = query_form(text)
    if form in UPDATE_KEYWORDS:
        raise _HttpError(403, f"this endpoint is read-only: {form} (an update) is refused")


def host_allowed(host_header: str | None, allowed: Iterable[str]) -> bool:
    """Whether a ``Host`` header names one of ``allowed`` (any port).

    Examples
    --------
    >>> host_allowed("127.0.0.1:7878", LOOPBACK_HOSTS), host_allowed("[::1]:80", LOOPBACK_HOSTS)
    (True, True)
    >>> host_allowed("attacker.example:7878", LOOPBACK_HOSTS), host_allowed(None, LOOPBACK_HOSTS)
    (False, False)
    """
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):
        name = host[1 : host.find("]")] if "]" in host else host
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name.rstrip(".") in {a.lower() for a in allowed}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def page_csp(page: str, *, form_action: str = "'none'", connect: str = "'none'") -> str:
    """A Content Security Policy for an HTML page: its inline scripts and styles by hash, nothing else.

    Examples
    --------
    >>> page_csp("<script>x()</script>").split("; ")[1]
    "script-src 'sha256-D6IGS8VMvCoyaR/l0h9tERrBTATY01CoPS7l6xDv0kI='"
    >>> "unsafe-inline" in page_csp("<style>p {}</style><script>x()</script>")
    False
    """
    scripts = " ".join(_hash(s) for s in _SCRIPT.findall(page)) or "'none'"
    styles = " ".join(_hash(s) for s in _STYLE.findall(page)) or "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src {styles}; img-src data:; "
        f"connect-src {connect}; base-uri 'none'; form-action {form_action}; frame-ancestors 'none'"
    )


_ROUTES = {"/": ("GET", "HEAD"), "/index.html": ("GET", "HEAD"), "/explorer": ("GET", "HEAD")}


def make_app(
    config: ServerConfig, pool: WorkerPool
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI application: ``/sparql`` (the SPARQL 1.1 Protocol), ``/`` (a query page), ``/explorer``.

    ``/catalogue/<name>`` runs a catalogue query, by name only, with its parameters taken from the
    query string. A query sent to ``/sparql`` is always SPARQL text, never a name or a path.
    """
    allowed_hosts = (*LOOPBACK_HOSTS, *config.allow_hosts)

    def cors_headers() -> dict[str, str]:
        if config.cors is None:
            return {}
        return {"Access-Control-Allow-Origin": config.cors, "Vary": "Origin"}

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if not host_allowed(environ.get("HTTP_HOST"), allowed_hosts):
                raise _HttpError(
                    403,
                    f"the Host {environ.get('HTTP_HOST', '')!r} is not served here; "
                    "start the server with --allow-host NAME to serve that name",
                )
            if path in _ROUTES:
                if method not in _ROUTES[path]:
                    raise _HttpError(405, "use GET", {"Allow": ", ".join(_ROUTES[path])})
                if path == "/explorer":
                    explorer = config.explorer
                    if explorer is None or not explorer.is_file():
                        raise _HttpError(
                            404, "no explorer has been built; run `zhanaozen-graph explore` first"
                        )
                    page = explorer.read_text(encoding="utf-8")
                    csp = page_csp(page)
                else:
                    page = _page(config, environ)
                    csp = page_csp(page, form_action="'self'", connect="'self'")
                return _respond(
                    start_response,
                    200,
                    "text/html; charset=utf-8",
                    page.encode("utf-8"),
                    {"Content-Security-Policy": csp},
                )
            is_sparql = path == "/sparql"
            if is_sparql or path.startswith("/catalogue/"):
                allow = "GET, POST" if is_sparql else "GET"
                if config.cors is not None and method == "OPTIONS":
                    return _respond(
                        start_response,
                        204,
                        "text/plain; charset=utf-8",
                        b"",
                        {
                            **cors_headers(),
                            "Access-Control-Allow-Methods": allow,
                            "Access-Control-Allow-Headers": "Content-Type, Accept",
                            "Access-Control-Max-Age": "600",
                        },
                    )
                if method not in allow.split(", "):
                    raise _HttpError(405, f"use {allow.replace(', ', ' or ')}", {"Allow": allow})
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
                fmt = _single(params, "format") or None  # an empty format= means: by the Accept header
                if fmt is not None and fmt not in FORMAT_PARAM:
                    raise _HttpError(400, f"unknown format {fmt!r}; use one of {', '.join(FORMAT_PARAM)}")
                job: dict[str, Any] = {
                    "accept": environ.get("HTTP_ACCEPT"),
                    "format": fmt,
                    "max_rows": config.max_rows,
                    "max_bytes": config.max_bytes,
                    "max_query_bytes": MAX_QUERY_BYTES,
                }
                if is_sparql:
                    query = _single(params, "query")
                    if direct is not None:
                        if query is not None:
                            raise _HttpError(400, "a query both in the body and in the URL")
                        query = direct
                    if query is None:
                        raise _HttpError(400, "no query: send it in the 'query' parameter")
                    _check_query(query, MAX_QUERY_BYTES)
                    job["text"] = query
                else:
                    name = path.split("/", 2)[2]
                    if not _NAME.match(name):
                        raise _HttpError(404, f"no query named {name!r} in the catalogue")
                    job["catalogue"] = name
                    job["params"] = {k: v[-1] for k, v in params.items() if k != "format"}
                status, ctype, body, extra = pool.run(job)
                return _respond(start_response, status, ctype, body, {**extra, **cors_headers()})
            raise _HttpError(404, f"no such page {path!r}; the SPARQL endpoint is /sparql")
        except _HttpError as exc:
            return _respond(
                start_response,
                exc.status,
                "text/plain; charset=utf-8",
                (exc.message + "\n").encode(),
                exc.headers,
            )
        except UnicodeDecodeError:
            return _respond(
                start_response, 400, "text/plain; charset=utf-8", b"the request is not valid UTF-8\n"
            )

    return app


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zhanaozen-graph SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{css}</style></head>
<body data-base="{base}" data-kinds="{kinds}" data-explorer="{has_explorer}">
<h1>zhanaozen-graph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>/sparql</code> (GET or POST). The default graph is the union of
all named graphs. Queries stop after {timeout:g} s; at most {max_rows} rows are returned.{explorer}</p>
{catalogue_form}<form class="zg-run" id="zg-query" method="get" action="/sparql">
<label class="zg-text" for="zg-text">{text_label}</label>
<textarea id="zg-text" name="query" rows="14" spellcheck="false">{query}</textarea>
<p><label>Answer as <select name="format">{options}</select></label> <button type="submit">Run</button></p>
</form>
<div id="zg-status" role="status" aria-live="polite"></div>
<div id="zg-result"></div>
<h2>Catalogue</h2>
<p>Choose a query to fill in its parameters, or run it at <code>/catalogue/&lt;name&gt;?param=value</code>.</p>
<ul>{catalogue}</ul>
<script>{js}</script>
</body></html>
"""

_CATALOGUE_FORM = """<form class="zg-run" id="zg-catalogue" method="get" action="/catalogue/{name}">
<fieldset><legend>Catalogue query {name}: {title}</legend>
{fields}<p><label>Answer as <select name="format">{options}</select></label> <button type="submit">Run {name}</button></p>
</fieldset></form>
"""


def _asset(name: str) -> str:
    from importlib import resources

    text = resources.files("zhanaozen_graph.sparql").joinpath("assets", name).read_text(encoding="utf-8")
    return text.replace("</s", "<\\/s")  # cannot close its element early (no such text in the files)


def _page(config: ServerConfig, environ: dict[str, Any]) -> str:
    """The query page: a SPARQL box, the chosen catalogue query with a field per parameter, the catalogue.

    Without a format chosen, the page's script runs the query and shows the answer as a table whose
    record IRIs link into the explorer; with one, the browser submits the form as it is.
    """
    from ..records.model import get_model
    from .queries import list_queries

    model = get_model()
    chosen = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("example", [""])[0]
    queries = list_queries(config.queries_dir)
    info = next((q for q in queries if q.name == chosen), None)
    text = info.text if info is not None else "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
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
    # The first choice is the table on this page; without the page's script the form sends an empty
    # format=, which means: by the Accept header.
    options = '<option value="">table (on this page)</option>' + "".join(
        f'<option value="{f}">{f}</option>' for f in FORMAT_PARAM
    )
    catalogue_form = ""
    if info is not None:
        fields = "".join(
            f'<div class="zg-param"><label for="zg-p-{html.escape(p.name)}">{html.escape(p.name)} '
            f"<small>({html.escape(p.type)})</small></label>"
            f'<input id="zg-p-{html.escape(p.name)}" name="{html.escape(p.name)}" '
            f'value="{html.escape(p.default or "")}" spellcheck="false">'
            f"<small>{html.escape(p.description)}</small></div>\n"
            for p in info.parameters
        )
        catalogue_form = _CATALOGUE_FORM.format(
            name=html.escape(info.name), title=html.escape(info.title), fields=fields, options=options
        )
    has_explorer = config.explorer is not None and config.explorer.is_file()
    return _PAGE.format(
        css=_asset("query.css"),
        js=_asset("query.js"),
        base=html.escape(model.base),
        kinds=" ".join(sorted(k.path for k in model.kinds.values())),  # the explorer ignores ids it lacks
        has_explorer="1" if has_explorer else "0",
        timeout=config.timeout,
        max_rows=config.max_rows,
        query=html.escape(text),
        text_label="Or edit its SPARQL and run the text (parameters unbound)"
        if info is not None
        else "SPARQL query",
        options=options,
        catalogue_form=catalogue_form,
        catalogue=items,
        explorer=' The <a href="/explorer">explorer</a> shows the graph.' if has_explorer else "",
    )


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
    >>> ServerConfig(Path("build/store")).max_rows
    10000
    """
    from waitress.server import create_server

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    pool = WorkerPool(config)
    try:
        server: Any = create_server(
            make_app(config, pool),
            host=host,
            port=port,
            threads=config.workers + config.queue + 4,  # spare threads answer pages and 503s
            backlog=1024,
            connection_limit=1000,
            channel_timeout=config.channel_timeout,
            cleanup_interval=max(1, int(config.channel_timeout // 3)),
            ident="zhanaozen-graph",
            clear_untrusted_proxy_headers=True,
            max_request_body_size=MAX_BODY,
            asyncore_use_poll=True,
        )
        url = f"http://{host if ':' not in host else f'[{host}]'}:{server.effective_port}/"
        if ready is not None:
            ready(url)
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            server.run()
        server.close()
    finally:
        pool.close()


def _stop(signum: int, frame: Any) -> None:
    """On SIGTERM, leave the server's loop so that the workers are stopped too."""
    raise SystemExit(0)
