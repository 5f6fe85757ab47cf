"""Remote triple stores: query one over the SPARQL 1.1 Protocol, push the graph with the Graph Store Protocol.

Works with any store that speaks the standards: Oxigraph server, Apache Jena Fuseki,
OpenLink Virtuoso, GraphDB. Only the standard library's ``urllib`` is used. Credentials are
sent only in answer to the server's challenge (Basic or Digest, whichever it asks for), never
up front; redirects are never followed (so credentials never go to another host) and never
count as success; a password, given or written in the URL, never appears in a message.
"""

from __future__ import annotations

import itertools
import logging
import tempfile
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import QueryError, ZhanaozenError
from ..graph.endpoint import ACCEPT_RESULTS, SparqlClient, redact, split_credentials
from .results import RECORD_LOOKUP, QueryResult, Term, record_lookup_bindings
from .text import declared_prefixes, insert_values, query_form

if TYPE_CHECKING:
    from ..graph.build import KnowledgeGraph

__all__ = [
    "Endpoint",
    "PushError",
    "PushResult",
    "load_oxigraph_directory",
    "push",
    "redact",
    "split_credentials",
]

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
        from .format import format_for_media_type, parse_results

        values = {k: str(v) for k, v in (bindings or {}).items()}
        sent = insert_values(text, values) if values else text
        form = query_form(text)
        accept = ACCEPT_GRAPH if form in ("CONSTRUCT", "DESCRIBE") else ACCEPT_RESULTS if form else ACCEPT
        status, ctype, data = self._post_query(sent, accept)
        if status >= 300:
            message = " ".join(data.decode("utf-8", "replace").split())[:300]
            raise QueryError(f"{name}: the endpoint answered {status}: {message}")
        prefixes = declared_prefixes(text)
        fmt = format_for_media_type(ctype) or ""
        if fmt in ("json", "xml", "tsv"):
            result = parse_results(data, fmt, prefixes)
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


_SPOOL_FLUSH = 20_000  # triples buffered in memory before they are appended to their graph's file


@dataclass(frozen=True)
class _Spooled:
    """The triples of one destination graph, as N-Triples in a file of their own."""

    path: Path
    triples: int

    def batches(self, size: int) -> Iterator[bytes]:
        """The N-Triples in pieces of at most ``size`` lines (one triple a line)."""
        with open(self.path, "rb") as fh:
            while lines := list(itertools.islice(fh, size)):
                yield b"".join(lines)


def _spool(kg: KnowledgeGraph, target_graph: str | None, directory: Path) -> dict[str, _Spooled]:
    """Write the triples to send into one N-Triples file per destination graph, in one pass.

    The quads are read as a stream from the build's N-Quads file when there is one (the store
    normalises some literals: ``xsd:nonNegativeInteger`` reads back as ``xsd:integer``), and
    memory holds at most :data:`_SPOOL_FLUSH` triples at a time, whatever the size of the graph.
    A build holds each quad once; with one target graph for everything, the triples that several
    graphs share are sent once: they are read from the build's ``graph.nt`` (the distinct union).
    """
    union = kg.path / "graph.nt" if target_graph and kg.path is not None else None
    quads: Any
    if union is not None and union.is_file():
        quads = (
            ox.Quad(t.subject, t.predicate, t.object)
            for t in ox.parse(path=str(union), format=ox.RdfFormat.N_TRIPLES)
        )
        distinct = True
    else:
        quads = kg.exact_quads() if hasattr(kg, "exact_quads") else iter(kg.store)
        distinct = not target_graph
    seen: set[ox.Triple] = set()
    files: dict[str, Path] = {}
    counts: dict[str, int] = {}
    buffers: dict[str, list[ox.Triple]] = {}
    buffered = 0

    def flush() -> None:
        for name, triples in buffers.items():
            if name not in files:
                files[name] = directory / f"{len(files)}.nt"
            with open(files[name], "ab") as fh:
                ox.serialize(triples, fh, ox.RdfFormat.N_TRIPLES)
        buffers.clear()

    for quad in quads:
        if target_graph:
            name = target_graph
        elif isinstance(quad.graph_name, ox.DefaultGraph):
            name = ""
        else:
            name = quad.graph_name.value
        triple = quad.triple
        if not distinct:  # a store without its build's files, pushed into one graph
            if triple in seen:
                continue
            seen.add(triple)
        buffers.setdefault(name, []).append(triple)
        counts[name] = counts.get(name, 0) + 1
        buffered += 1
        if buffered >= _SPOOL_FLUSH:
            flush()
            buffered = 0
    flush()
    return {name: _Spooled(files[name], counts[name]) for name in sorted(files)}


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
    progress: Callable[[int, int], None] | None = None,
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
    progress
        Called with (triples sent, triples to send) after each graph.

    The triples are streamed: one pass over the build's N-Quads writes one N-Triples file per
    graph into a temporary directory, and each graph is sent from its file (a PUT of that graph,
    or batches of updates), so memory holds one graph's request at a time, never the dataset.

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
    with tempfile.TemporaryDirectory(prefix="zhanaozen-push-") as spool:
        return _push(kg, graph, method, gsp, upd, query_endpoint, timeout, verify, progress, Path(spool))


def _push(
    kg: KnowledgeGraph,
    graph: str | None,
    method: str,
    gsp: Endpoint,
    upd: Endpoint,
    query_endpoint: str | None,
    timeout: float,
    verify: bool,
    progress: Callable[[int, int], None] | None,
    spool: Path,
) -> PushResult:
    graphs = _spool(kg, graph, spool)
    total = sum(g.triples for g in graphs.values())
    sent = 0
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
        log.info("pushed %d triples into <%s>", triples.triples, name or "default graph")
        sent += triples.triples
        if progress is not None:
            progress(sent, total)
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
            if found != triples.triples:
                raise PushError(
                    f"after the push the store holds {found} triples in <{name}>, not the {triples.triples} sent",
                    hint="another client may have written at the same time, or the store dropped data",
                )
    return PushResult({k: v.triples for k, v in graphs.items()}, used)


_AUTH_HINT = "check the URL, that the store accepts writes, and --user/--password if it needs them"


def _query_url(update_url: str) -> str:
    return update_url[: -len("/update")] + "/query" if update_url.endswith("/update") else update_url


def _message(data: bytes) -> str:
    return " ".join(data.decode("utf-8", "replace").split())[:300]


def _graph_url(ep: Endpoint, graph: str) -> str:
    sep = "&" if "?" in ep.url else "?"
    return f"{ep.url}{sep}graph={urllib.parse.quote(graph, safe='')}" if graph else f"{ep.url}{sep}default"


def _put(ep: Endpoint, graph: str, triples: _Spooled) -> tuple[int, str]:
    body = triples.path.read_bytes()
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


def _update(ep: Endpoint, graph: str, triples: _Spooled, batch: int = BATCH) -> tuple[int, str]:
    """Load ``triples`` into a fresh temporary graph in batches, then ``MOVE`` it over ``graph``.

    ``MOVE`` replaces the target in one operation: until it runs, the old graph stays as it was,
    and a failure on the way leaves it untouched (the temporary graph is dropped).
    """
    temp = f"urn:zhanaozen-graph:push:{uuid.uuid4()}"
    target = f"GRAPH <{graph}>" if graph else "DEFAULT"
    inserts = (f"INSERT DATA {{ GRAPH <{temp}> {{\n{data.decode()}}} }}" for data in triples.batches(batch))
    last = f"MOVE SILENT GRAPH <{temp}> TO {target}" if triples.triples else f"CLEAR SILENT {target}"
    for statement in itertools.chain(inserts, [last]):
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


def load_oxigraph_directory(
    kg: KnowledgeGraph, location: Path | str, *, progress: Callable[[int, int], None] | None = None
) -> PushResult:
    """Bulk-load the build into the database directory of an Oxigraph server that is stopped.

    Oxigraph's bulk loader (the one ``oxigraph load`` runs) reads the build's N-Quads straight into
    the RocksDB files, without HTTP or SPARQL Update: at 10^6 triples it is many times faster than
    a push over HTTP. The named graphs of the build are removed first, so each is replaced as a
    whole; other graphs in the database stay. The server must be stopped (it holds a lock on the
    directory); start it again with ``oxigraph serve --location DIR --union-default-graph``.

    Raises
    ------
    PushError
        The directory is in use or not an Oxigraph database, or the build has no N-Quads file.

    Examples
    --------
    >>> import tempfile
    >>> from zhanaozen_graph import load_graph
    >>> result = load_oxigraph_directory(load_graph(), tempfile.mkdtemp())
    >>> result.method, result.triples == len(load_graph())
    ('oxigraph-load', True)
    """
    nquads = kg.path / "graph.nq" if kg.path is not None else None
    if nquads is None or not nquads.is_file():
        raise PushError(
            "the graph has no build with a graph.nq to load", hint="run `zhanaozen-graph build` first"
        )
    counts: dict[str, int] = {}
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):  # a stream: one quad at a time
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        counts[name] = counts.get(name, 0) + 1
    try:
        store = ox.Store(str(location))
    except OSError as exc:
        raise PushError(
            f"cannot open the Oxigraph database in {location}: {exc}",
            hint="stop the server that uses it (it holds a lock on the directory) and try again",
        ) from None
    try:
        for name in counts:
            if name:
                store.remove_graph(ox.NamedNode(name))
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.flush()
        for name, expected in counts.items():
            if not name:
                continue
            found = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
            if found != expected:
                raise PushError(
                    f"after the load the database holds {found} triples in <{name}>, not {expected}"
                )
    finally:
        del store  # closes the database: the server can open it again
    if progress is not None:
        total = sum(counts.values())
        progress(total, total)
    return PushResult(dict(sorted(counts.items())), "oxigraph-load")
