"""A SPARQL 1.1 endpoint over HTTP, as the graph layer sees it: the transport and the raw answers.

Only the standard library's ``urllib`` is used. Credentials are sent only in answer to the server's
challenge (Basic or Digest, whichever it asks for), never up front; redirects are never followed (so
credentials never go to another host) and never count as success; a password, given or written in
the URL, never appears in a message. :class:`~zhanaozen_graph.sparql.remote.Endpoint` adds the
catalogue's result handling on top.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError

__all__ = ["ACCEPT_RESULTS", "NOT_AN_ENDPOINT", "USER_AGENT", "SparqlClient", "redact", "split_credentials"]

ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
USER_AGENT = "zhanaozen-graph (+https://w3id.org/zhanaozen-graph/)"
NOT_AN_ENDPOINT = (
    "give the URL of the SPARQL query endpoint itself "
    "(Oxigraph http://HOST:7878/query, Virtuoso http://HOST:8890/sparql, Fuseki http://HOST:3030/DATASET/query)"
)
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """A URL without its ``user:password@`` part, and that user and password.

    Examples
    --------
    >>> split_credentials("http://dba:s3cret@127.0.0.1:8890/sparql")
    ('http://127.0.0.1:8890/sparql', 'dba', 's3cret')
    >>> split_credentials("http://127.0.0.1/store")
    ('http://127.0.0.1/store', None, None)
    """
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    clean = urllib.parse.urlunsplit(parts._replace(netloc=hostport))
    return (
        clean,
        urllib.parse.unquote(user) or None,
        urllib.parse.unquote(password) if sep else None,
    )


def redact(url: str) -> str:
    """A URL fit to print: any ``user:password@`` part is dropped.

    Examples
    --------
    >>> redact("http://dba:s3cret@127.0.0.1:8890/x")
    'http://127.0.0.1:8890/x'
    """
    return split_credentials(url)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: the 3xx answer comes back as it is (and is then an error)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class SparqlClient:
    """A remote SPARQL endpoint over HTTP: the transport (credentials on challenge, no redirects).

    Queries are sent as an HTML form POST, the most widely accepted way.

    Examples
    --------
    >>> SparqlClient("http://dba:s3cret@127.0.0.1:8890/sparql").url
    'http://127.0.0.1:8890/sparql'
    """

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0

    def __post_init__(self) -> None:
        self.url, user, password = split_credentials(self.url)
        if self.user is None:
            self.user, self.password = user, password if self.password is None else self.password

    def _open(self, request: urllib.request.Request) -> tuple[int, str, bytes]:
        """Send a request: credentials only when challenged, no redirect followed.

        A redirect comes back as its 3xx status with the ``Location`` in the message.
        """
        request.add_header("User-Agent", USER_AGENT)
        handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
        if self.user is not None:
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            mgr.add_password(None, self.url, self.user, self.password or "")
            digest = urllib.request.HTTPDigestAuthHandler(mgr)
            handlers += [digest, urllib.request.HTTPBasicAuthHandler(mgr)]
            if request.data:
                self._answer_challenge(request, digest)
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            headers = exc.headers
            if 300 <= exc.code < 400:
                where = redact(headers.get("Location", "") if headers else "") or "nowhere"
                message = f"a redirect to {where}, which is not followed"
                return exc.code, "text/plain", message.encode()
            body = exc.read().decode("utf-8", "replace")
            return exc.code, headers.get("Content-Type", "") if headers else "", body.encode()
        except ValueError as exc:  # urllib's auth handlers on a scheme they do not know
            raise QueryError(f"{redact(self.url)}: {exc}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise QueryError(
                f"cannot reach {redact(self.url)}: {reason}",
                hint="check the URL and that the server is running",
            ) from None

    def _post_query(self, text: str, accept: str) -> tuple[int, str, bytes]:
        """POST a query as a form (SPARQL 1.1 Protocol), asking for ``accept``: status, content type, body."""
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": text}).encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        return self._open(request)

    def _answer_challenge(
        self, request: urllib.request.Request, digest: urllib.request.HTTPDigestAuthHandler
    ) -> None:
        """Before a request with a body, ask for the server's challenge with a GET and answer it.

        A server that requires authentication may answer 401 before reading a large body and close
        the connection (Virtuoso does), so the body would never arrive; the credentials still go
        only where and how the server asked for them.
        """
        import base64

        probe = urllib.request.Request(request.full_url, method="GET", headers={"User-Agent": USER_AGENT})
        opener = urllib.request.build_opener(_NoRedirect())
        try:
            with opener.open(probe, timeout=self.timeout):
                return  # no challenge for a GET: let the request itself be challenged
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 and exc.headers else ""
            exc.close()
        except (urllib.error.URLError, OSError, ValueError):
            return
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() == "digest":
            chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            auth = digest.get_authorization(request, chal)
            if auth:
                request.add_unredirected_header("Authorization", f"Digest {auth}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def solutions(self, text: str) -> Any:
        """Send a SELECT or ASK query and parse the answer with pyoxigraph.

        Returns pyoxigraph's ``QuerySolutions`` (rows of terms, also from Virtuoso's older
        ``typed-literal`` JSON) or ``QueryBoolean``.

        Raises
        ------
        QueryError
            The endpoint cannot be reached, refuses the query, or answers with something else than
            SPARQL results.
        """
        status, ctype, data = self._post_query(text, ACCEPT_RESULTS)
        if status >= 300:
            message = " ".join(re.sub(r"<[^>]*>", " ", data.decode("utf-8", "replace")).split())[:300]
            raise QueryError(
                f"{redact(self.url)} answered {status}: {message}",
                hint=NOT_AN_ENDPOINT if status in (404, 405, 406, 415) or 300 <= status < 400 else None,
            )
        fmt = _RESULT_FORMATS.get(ctype.split(";")[0].strip().lower())
        if fmt is None:
            raise QueryError(
                f"{redact(self.url)} answered with {ctype or 'no content type'!r}, not SPARQL results",
                hint=NOT_AN_ENDPOINT,
            )
        if fmt == ox.QueryResultsFormat.JSON and b'"bnode"' in data:
            data = _valid_blank_nodes(data)
        try:
            return ox.parse_query_results(data, fmt)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"the answer of {redact(self.url)} cannot be read: {exc}") from None


def _valid_blank_nodes(data: bytes) -> bytes:
    """JSON results with blank node labels that pyoxigraph accepts (Virtuoso writes ``nodeID://b123``).

    A label is only meaningful within one answer: each is mapped to a valid one, the same
    for the same label.

    Examples
    --------
    >>> _valid_blank_nodes(b'{"head":{"vars":["b"]},"results":{"bindings":[{"b":{"type":"bnode","value":"nodeID://b1"}}]}}')
    b'{"head": {"vars": ["b"]}, "results": {"bindings": [{"b": {"type": "bnode", "value": "nodeID___b1"}}]}}'
    """
    import json

    try:
        doc = json.loads(data)
        for row in doc["results"]["bindings"]:
            for term in row.values():
                if term.get("type") == "bnode":
                    term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", str(term["value"])) or "_"
    except (ValueError, KeyError, TypeError, AttributeError):
        return data  # not what it should be: let the parser say what is wrong
    return json.dumps(doc).encode()
