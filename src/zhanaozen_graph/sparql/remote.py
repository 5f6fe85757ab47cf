"""Remote triple stores: query one over the SPARQL 1.1 Protocol, push the graph with the Graph Store Protocol.

Works with any store that speaks the standards: Oxigraph server, Apache Jena Fuseki,
OpenLink Virtuoso, GraphDB. Only the standard library's ``urllib`` is used. Credentials are
sent only in answer to the server's challenge (Basic or Digest, whichever it asks for), never
up front; redirects are never followed (so credentials never go to another host) and never
count as success; a password, given or written in the URL, never appears in a message.
"""

from __future__ import annotations

import logging
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import QueryError, ZhanaozenError
from ..graph.endpoint import ACCEPT_RESULTS, SparqlClient, redact, split_credentials
from .results import RECORD_LOOKUP, QueryResult, Term, collect, record_lookup_bindings
from .text import declared_prefixes, insert_values, query_form

if TYPE_CHECKING:
    from ..graph.build import KnowledgeGraph

__all__ = ["Endpoint", "PushError", "PushResult", "push", "redact", "split_credentials"]

log = logging.getLogger(__name__)

# What to ask for, by query form: a store that is asked for results JSON may answer a CONSTRUCT
# with a table (Virtuoso 7.2 does).
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/ld+json;q=0.5"
ACCEPT = ACCEPT_RESULTS + ", application/n-triples;q=0.4, text/turtle;q=0.3"
BATCH = 1000  # triples per INSERT DATA: Virtuoso 7.2 refuses ~5,000 ("SP031 ... 10000 lines")


class PushError(ZhanaozenError):
    """The graph could not be loaded into the remote store."""


@dataclass
class Endpoint(SparqlClient):
    """A remote SPARQL endpoint, answering the catalogue's queries as :class:`QueryResult` objects.

    Examples
    --------
    >>> Endpoint("http://127.0.0.1:7878/query").url
    'http://127.0.0.1:7878/query'
    """

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
        form = query_form(text)
        accept = ACCEPT_GRAPH if form in ("CONSTRUCT", "DESCRIBE") else ACCEPT_RESULTS if form else ACCEPT
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        status, ctype, data = self._open(request)
        if status >= 300:
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
    """The triples to send, by destination graph.

    They are read from the build's N-Quads file when there is one: the store normalises some
    literals (``xsd:nonNegativeInteger`` reads back as ``xsd:integer``, ``"48.0"`` as ``"48"``),
    the file keeps them as the builder wrote them.
    """
    quads: Any = kg.exact_quads() if hasattr(kg, "exact_quads") else kg.store
    out: dict[str, dict[ox.Triple, None]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            name = target_graph or ""
        else:
            name = target_graph or quad.graph_name.value
        out.setdefault(name, {})[quad.triple] = None  # the same triple from several sources once
    return {k: list(v) for k, v in sorted(out.items())}


def push(
    kg: KnowledgeGraph,
    endpoint: str,
    *,
    graph: str | None = None,
    method: str = "auto",
    update_endpoint: str | None = None,
    query_endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
    verify: bool = True,
) -> PushResult:
    """Load the graph into a remote store, replacing the graphs of the same names, and check it arrived.

    Parameters
    ----------
    kg
        The graph (one named graph per source, ``graph/external``, ``graph/ontology``); its
        triples are read from the build's N-Quads, exactly as written.
    endpoint
        The Graph Store Protocol URL (Oxigraph ``/store``, Fuseki ``/ds/data``, Virtuoso
        ``/sparql-graph-crud`` or ``/sparql-graph-crud-auth``), or with ``method="update"`` the
        SPARQL Update URL. A ``user:password@`` in it is used as the credentials and never shown.
    graph
        Put every triple into this one named graph instead of one graph per source.
    method
        ``gsp`` (an HTTP PUT per graph), ``update`` (each graph loaded into a temporary graph in
        batches of :data:`BATCH` triples, then moved over the old one with ``MOVE``, so that the
        graph is replaced at once), or ``auto``: the Graph Store Protocol, falling back to SPARQL
        Update when the server refuses it (404, 405, 415, 501).
    update_endpoint
        Where updates go in the fallback (default: ``endpoint``).
    query_endpoint
        Where the triples are counted after an update (default: the update URL with a final
        ``/update`` replaced by ``/query``, else the update URL itself, as on Virtuoso).
    user, password
        Credentials, sent only in answer to the server's challenge (Basic or Digest).
    verify
        Count the triples of each named graph at the destination afterwards; a count that
        differs from what was sent is an error.

    Raises
    ------
    PushError
        The store refused the data or redirected, or holds another number of triples afterwards.

    Examples
    --------
    >>> push(None, "http://127.0.0.1:9/store", method="ftp")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    PushError: unknown method 'ftp'; use gsp, update or auto
    """
    if method not in ("gsp", "update", "auto"):
        raise PushError(f"unknown method {method!r}", hint="use gsp, update or auto")
    gsp = Endpoint(endpoint, user, password, timeout)
    upd = Endpoint(update_endpoint or endpoint, gsp.user, gsp.password, timeout)
    graphs = _graphs(kg, graph)
    used = method if method != "auto" else "gsp"
    for name, triples in graphs.items():
        if used == "gsp":
            status, message = _put(gsp, name, triples)
            if status in (404, 405, 415, 501) and method == "auto":
                log.info("the store refused the Graph Store Protocol (%d); using SPARQL Update", status)
                used = "update"
            elif status >= 300:
                raise PushError(f"the store refused graph <{name}>: {status} {message}", hint=_AUTH_HINT)
        if used == "update":
            status, message = _update(upd, name, triples)
            if status >= 300:
                raise PushError(
                    f"the store refused the update of <{name}>: {status} {message}", hint=_AUTH_HINT
                )
        log.info("pushed %d triples into <%s>", len(triples), name or "default graph")
    if verify:
        counter = (
            gsp
            if used == "gsp"
            else Endpoint(query_endpoint or _query_url(upd.url), upd.user, upd.password, timeout)
        )
        for name, triples in graphs.items():
            if not name:
                continue  # a store's default graph may hold more than what was pushed (Virtuoso's does)
            found = _count_gsp(counter, name) if used == "gsp" else _count_query(counter, name)
            if found != len(triples):
                raise PushError(
                    f"after the push the store holds {found} triples in <{name}>, not the {len(triples)} sent",
                    hint="another client may have written at the same time, or the store dropped data",
                )
    return PushResult({k: len(v) for k, v in graphs.items()}, used)


_AUTH_HINT = "check the URL, that the store accepts writes, and --user/--password if it needs them"


def _query_url(update_url: str) -> str:
    return update_url[: -len("/update")] + "/query" if update_url.endswith("/update") else update_url


def _message(data: bytes) -> str:
    return " ".join(data.decode("utf-8", "replace").split())[:300]


def _graph_url(ep: Endpoint, graph: str) -> str:
    sep = "&" if "?" in ep.url else "?"
    return f"{ep.url}{sep}graph={urllib.parse.quote(graph, safe='')}" if graph else f"{ep.url}{sep}default"


def _put(ep: Endpoint, graph: str, triples: list[ox.Triple]) -> tuple[int, str]:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    request = urllib.request.Request(
        _graph_url(ep, graph), data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    status, _ctype, data = ep._open(request)
    return status, _message(data)


def _count_gsp(ep: Endpoint, graph: str) -> int:
    """The number of distinct triples in a graph, fetched with a Graph Store Protocol GET."""
    from .format import format_for_media_type

    request = urllib.request.Request(_graph_url(ep, graph), headers={"Accept": ACCEPT_GRAPH})
    status, ctype, data = ep._open(request)
    if status == 404:
        return 0
    if status >= 300:
        raise PushError(f"cannot read back graph <{graph}> to count it: {status} {_message(data)}")
    formats = {"nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
    fmt = formats.get(format_for_media_type(ctype) or "")
    if fmt is None:
        raise PushError(f"cannot read back graph <{graph}> to count it: unexpected content type {ctype!r}")
    return len({q.triple for q in ox.parse(data, fmt)})


def _count_query(ep: Endpoint, graph: str) -> int:
    """The number of triples in a graph, counted by a SPARQL query."""
    try:
        result = ep.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", name="count")
    except QueryError as exc:
        raise PushError(f"cannot count the triples of <{graph}> after the push: {exc.message}") from None
    value = result.rows[0][0] if result.rows else None
    return int(value.value) if isinstance(value, ox.Literal) else 0


def _update(ep: Endpoint, graph: str, triples: list[ox.Triple], batch: int = BATCH) -> tuple[int, str]:
    """Load ``triples`` into a fresh temporary graph in batches, then ``MOVE`` it over ``graph``.

    ``MOVE`` replaces the target in one operation: until it runs, the old graph stays as it was,
    and a failure on the way leaves it untouched (the temporary graph is dropped).
    """
    temp = f"urn:zhanaozen-graph:push:{uuid.uuid4()}"
    target = f"GRAPH <{graph}>" if graph else "DEFAULT"
    statements = []
    for i in range(0, len(triples), batch):
        data = (ox.serialize(triples[i : i + batch], format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        statements.append(f"INSERT DATA {{ GRAPH <{temp}> {{\n{data}}} }}")
    statements.append(f"MOVE SILENT GRAPH <{temp}> TO {target}" if triples else f"CLEAR SILENT {target}")
    for statement in statements:
        status, message = _send_update(ep, statement)
        if status >= 300:
            _send_update(ep, f"DROP SILENT GRAPH <{temp}>")
            return status, message
    return 200, ""


def _send_update(ep: Endpoint, statement: str) -> tuple[int, str]:
    request = urllib.request.Request(
        ep.url,
        data=statement.encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/sparql-update"},
    )
    status, _ctype, answer = ep._open(request)
    return status, _message(answer)
