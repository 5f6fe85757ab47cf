"""Remote triple stores: query one over the SPARQL 1.1 Protocol, push the graph with the Graph Store Protocol.

Works with any store that speaks the standards: Oxigraph server, Apache Jena Fuseki,
OpenLink Virtuoso, GraphDB. Only the standard library's ``urllib`` is used, with HTTP
Basic or Digest authentication when credentials are given.
"""

from __future__ import annotations

import base64
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import QueryError, ZhanaozenError
from .results import RECORD_LOOKUP, QueryResult, Term, collect, record_lookup_bindings
from .text import declared_prefixes, insert_values

if TYPE_CHECKING:
    from ..graph.build import KnowledgeGraph

__all__ = ["Endpoint", "PushError", "PushResult", "push"]

log = logging.getLogger(__name__)

ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.5"
)
USER_AGENT = "zhanaozen-graph (+https://w3id.org/zhanaozen-graph/)"


class PushError(ZhanaozenError):
    """The graph could not be loaded into the remote store."""


@dataclass
class Endpoint:
    """A remote SPARQL endpoint (queries are sent as an HTML form POST, the most widely accepted way).

    Examples
    --------
    >>> Endpoint("http://127.0.0.1:7878/query").url
    'http://127.0.0.1:7878/query'
    """

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0

    def _open(self, request: urllib.request.Request) -> tuple[int, str, bytes]:
        request.add_header("User-Agent", USER_AGENT)
        handlers: list[urllib.request.BaseHandler] = []
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            mgr.add_password(None, self.url, self.user, self.password or "")
            handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")
            return exc.code, exc.headers.get("Content-Type", "") if exc.headers else "", body.encode()
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise QueryError(
                f"cannot reach {self.url}: {reason}", hint="check the URL and that the server is running"
            ) from None

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        name: str = "query",
        max_rows: int | None = None,
    ) -> QueryResult:
        """Send a query; parameters go in a ``VALUES`` block of serialised terms (SPARQL has no other way)."""
        from .format import format_for_media_type, parse_json_results

        values = {k: str(v) for k, v in (bindings or {}).items()}
        sent = insert_values(text, values) if values else text
        body = urllib.parse.urlencode({"query": sent}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT},
        )
        status, ctype, data = self._open(request)
        if status >= 400:
            message = " ".join(data.decode("utf-8", "replace").split())[:300]
            raise QueryError(f"{name}: the endpoint answered {status}: {message}")
        prefixes = declared_prefixes(text)
        fmt = format_for_media_type(ctype) or ""
        if fmt == "json":
            result = parse_json_results(data, prefixes)
        elif fmt in ("xml", "tsv"):
            formats = {"xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}
            result = collect(ox.parse_query_results(data, formats[fmt]), prefixes)
        elif fmt in ("nt", "turtle", "jsonld"):
            rdf = {
                "nt": ox.RdfFormat.N_TRIPLES,
                "turtle": ox.RdfFormat.TURTLE,
                "jsonld": ox.RdfFormat.JSON_LD,
            }
            triples = [q.triple for q in ox.parse(data, rdf[fmt])]
            result = QueryResult("graph", triples=triples, prefixes=prefixes)
        else:
            raise QueryError(f"{name}: the endpoint answered with an unexpected content type {ctype!r}")
        if max_rows is not None and len(result.rows) > max_rows:
            result.rows = result.rows[:max_rows]
            result.truncated = True
        return result

    def lookup(self, slug: str) -> list[str]:
        """The IRIs of the record ``slug`` in the remote store."""
        result = self.query(RECORD_LOOKUP, record_lookup_bindings(slug), name="record lookup")
        return [row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)]


@dataclass(frozen=True)
class PushResult:
    """What a push loaded: triples per graph, and the protocol used."""

    graphs: dict[str, int]
    method: str

    @property
    def triples(self) -> int:
        """The number of triples sent."""
        return sum(self.graphs.values())


def _graphs(kg: KnowledgeGraph, target_graph: str | None) -> dict[str, list[ox.Triple]]:
    """The triples to send, by destination graph."""
    out: dict[str, list[ox.Triple]] = {}
    for quad in kg.store:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            name = target_graph or ""
        else:
            name = target_graph or quad.graph_name.value
        out.setdefault(name, []).append(quad.triple)
    if target_graph is not None:  # the same triple from several sources once
        out = {k: list(dict.fromkeys(v)) for k, v in out.items()}
    return dict(sorted(out.items()))


def push(
    kg: KnowledgeGraph,
    endpoint: str,
    *,
    graph: str | None = None,
    method: str = "auto",
    update_endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
) -> PushResult:
    """Load the graph into a remote store, replacing the graphs of the same names.

    Parameters
    ----------
    kg
        The graph (one named graph per source, ``graph/external``, ``graph/ontology``).
    endpoint
        The Graph Store Protocol URL (Oxigraph ``/store``, Fuseki ``/ds/data``, Virtuoso
        ``/sparql-graph-crud``), or with ``method="update"`` the SPARQL Update URL.
    graph
        Put every triple into this one named graph instead of one graph per source.
    method
        ``gsp`` (an HTTP PUT per graph), ``update`` (``DROP SILENT GRAPH`` then ``INSERT DATA``),
        or ``auto``: the Graph Store Protocol, falling back to SPARQL Update when the server
        refuses it (404, 405, 415, 501).
    update_endpoint
        Where updates go in the fallback (default: ``endpoint``).
    user, password
        Credentials (HTTP Basic, or Digest when the server asks for it).

    Raises
    ------
    PushError
        The store refused the data (the status and the server's message).

    Examples
    --------
    >>> push(None, "http://127.0.0.1:9/store", method="ftp")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    PushError: unknown method 'ftp'; use gsp, update or auto
    """
    if method not in ("gsp", "update", "auto"):
        raise PushError(f"unknown method {method!r}", hint="use gsp, update or auto")
    gsp = Endpoint(endpoint, user, password, timeout)
    upd = Endpoint(update_endpoint or endpoint, user, password, timeout)
    graphs = _graphs(kg, graph)
    used = method if method != "auto" else "gsp"
    for name, triples in graphs.items():
        if used == "gsp":
            status, message = _put(gsp, name, triples)
            if status in (404, 405, 415, 501) and method == "auto":
                log.info("the store refused the Graph Store Protocol (%d); using SPARQL Update", status)
                used = "update"
            elif status >= 400:
                raise PushError(f"the store refused graph <{name}>: {status} {message}", hint=_AUTH_HINT)
        if used == "update":
            status, message = _update(upd, name, triples)
            if status >= 400:
                raise PushError(
                    f"the store refused the update of <{name}>: {status} {message}", hint=_AUTH_HINT
                )
        log.info("pushed %d triples into <%s>", len(triples), name or "default graph")
    return PushResult({k: len(v) for k, v in graphs.items()}, used)


_AUTH_HINT = "check the URL, that the store accepts writes, and --user/--password if it needs them"


def _message(data: bytes) -> str:
    return " ".join(data.decode("utf-8", "replace").split())[:300]


def _put(ep: Endpoint, graph: str, triples: list[ox.Triple]) -> tuple[int, str]:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    sep = "&" if "?" in ep.url else "?"
    target = f"{ep.url}{sep}graph={urllib.parse.quote(graph, safe='')}" if graph else f"{ep.url}{sep}default"
    request = urllib.request.Request(
        target, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    status, _ctype, data = ep._open(request)
    return status, _message(data)


def _update(ep: Endpoint, graph: str, triples: list[ox.Triple], batch: int = 5000) -> tuple[int, str]:
    target = f"GRAPH <{graph}>" if graph else ""
    first = f"DROP SILENT GRAPH <{graph}>" if graph else "DROP SILENT DEFAULT"
    statements = [first]
    for i in range(0, len(triples), batch):
        data = (ox.serialize(triples[i : i + batch], format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        statements.append(
            f"INSERT DATA {{ {target} {{\n{data}}} }}" if graph else f"INSERT DATA {{\n{data}}}"
        )
    for statement in statements:
        request = urllib.request.Request(
            ep.url,
            data=statement.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/sparql-update"},
        )
        status, _ctype, answer = ep._open(request)
        if status >= 400:
            return status, _message(answer)
    return 200, ""
