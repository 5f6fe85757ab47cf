"""The review page's local server: loopback only, a random token checked on every request.

A WSGI application served by the standard library's ``wsgiref`` (as the SPARQL server is). Every
request must carry the token (``?token=``), compared in constant time, and a ``Host`` header naming the
loopback address it listens on (a DNS-rebinding page cannot reach it). No request names a file: the
page, its script and its style sheet are fixed package files; bodies are bounded. The page's
Content-Security-Policy allows only its own script and style (no inline script); the script inserts
every text of the document with ``textContent``.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import secrets
import urllib.parse
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..errors import ZhanaozenError
from .review import ReviewSession

__all__ = ["CSP", "MAX_BODY", "make_review_app", "serve_review"]

MAX_BODY = 1_000_000
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_STATUS = {200: "200 OK", 400: "400 Bad Request", 403: "403 Forbidden", 404: "404 Not Found"}
_STATUS |= {405: "405 Method Not Allowed", 413: "413 Payload Too Large", 415: "415 Unsupported Media Type"}
_ASSETS = {
    "/review.js": ("review.js", "text/javascript; charset=utf-8"),
    "/review.css": ("review.css", "text/css; charset=utf-8"),
}


def _asset(name: str) -> bytes:
    return resources.files("zhanaozen_graph.extract").joinpath("assets").joinpath(name).read_bytes()


def make_review_app(session: ReviewSession, token: str, hosts: set[str]) -> Callable[..., Iterable[bytes]]:
    """The WSGI application of a review session.

    Parameters
    ----------
    session
        The review of one source.
    token
        The secret every request must carry as ``?token=``.
    hosts
        The ``Host`` header values accepted (``127.0.0.1:PORT``, ``localhost:PORT``).

    Examples
    --------
    >>> import io, pathlib, shutil, tempfile
    >>> from zhanaozen_graph.records.load import default_data_dir
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "data"
    >>> _ = shutil.copytree(default_data_dir(), d)
    >>> app = make_review_app(ReviewSession("amnesty-ua-2012-07-atabaev-released", d), "t0k", {"127.0.0.1:1"})
    >>> got = []
    >>> env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": "token=wrong", "HTTP_HOST": "127.0.0.1:1"}
    >>> _ = app(env, lambda status, headers: got.append(status))
    >>> got
    ['403 Forbidden']
    """
    page = _asset("review.html").replace(b"__TOKEN__", token.encode())

    def respond(start_response: StartResponse, status: int, body: bytes, ctype: str) -> list[bytes]:
        headers = [
            ("Content-Type", ctype),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Content-Security-Policy", CSP),
        ]
        start_response(_STATUS[status], headers)
        return [body]

    def error(start_response: StartResponse, status: int, message: str) -> list[bytes]:
        body = json.dumps({"error": message}).encode()
        return respond(start_response, status, body, "application/json")

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        given = (params.get("token") or [""])[0]
        if not hmac.compare_digest(given.encode(), token.encode()):
            return error(start_response, 403, "missing or wrong token")
        if environ.get("HTTP_HOST", "") not in hosts:
            return error(start_response, 403, "unexpected Host header")
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if method == "GET":
            if path == "/":
                return respond(start_response, 200, page, "text/html; charset=utf-8")
            if path in _ASSETS:
                name, ctype = _ASSETS[path]
                return respond(start_response, 200, _asset(name), ctype)
            if path == "/api/state":
                body = json.dumps(session.state(), ensure_ascii=False).encode()
                return respond(start_response, 200, body, "application/json; charset=utf-8")
            return error(start_response, 404, "not found")
        if method != "POST":
            return error(start_response, 405, "GET or POST only")
        if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            return error(start_response, 415, "send application/json")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error(start_response, 400, "bad Content-Length")
        if length > MAX_BODY:
            return error(start_response, 413, f"the request is larger than {MAX_BODY} bytes")
        try:
            data = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            return error(start_response, 400, "the body is not a JSON object")
        try:
            if path == "/api/accept":
                yaml_text = data.get("yaml")
                record = session.accept(
                    str(data.get("id")), yaml_text if isinstance(yaml_text, str) else None
                )
            elif path == "/api/reject":
                session.reject(str(data.get("id")))
                record = {}
            elif path == "/api/create":
                record = session.create(
                    str(data.get("section")),
                    int(data.get("start", -1)),
                    int(data.get("end", -1)),
                    str(data.get("selected", "")),
                    str(data.get("yaml", "")),
                )
            else:
                return error(start_response, 404, "not found")
        except ZhanaozenError as exc:
            return error(start_response, 400, str(exc))
        except (TypeError, ValueError):
            return error(start_response, 400, "malformed request")
        body = json.dumps({"ok": True, "record": record}, ensure_ascii=False, default=str).encode()
        return respond(start_response, 200, body, "application/json; charset=utf-8")

    return app


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: the URLs carry the token."""


def serve_review(
    session: ReviewSession,
    port: int = 0,
    *,
    ready: Callable[[str], None] | None = None,
    token: str | None = None,
) -> None:
    """Serve the review page on 127.0.0.1 until interrupted; ``ready`` gets the URL with its token.

    Examples
    --------
    >>> callable(serve_review)
    True
    """
    token = token or secrets.token_urlsafe(32)
    host = "127.0.0.1"
    hosts: set[str] = set()
    app = make_review_app(session, token, hosts)
    with make_server(host, port, app, WSGIServer, _QuietHandler) as httpd:
        hosts.update({f"127.0.0.1:{httpd.server_port}", f"localhost:{httpd.server_port}"})
        if ready is not None:
            ready(f"http://{host}:{httpd.server_port}/?token={token}")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
