"""Write and read query results: the SPARQL 1.1 result formats, tables, and RDF for graph results.

SELECT and ASK: ``json`` (SPARQL 1.1 Query Results JSON), ``xml`` (SPARQL Query Results XML),
``csv`` and ``tsv`` (SPARQL 1.1 Query Results CSV and TSV), ``table`` and ``md`` for people.
CONSTRUCT and DESCRIBE: ``turtle``, ``nt`` (N-Triples) and ``jsonld``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from .results import QueryResult, Term, collect

__all__ = [
    "GRAPH_FORMATS",
    "MEDIA_TYPES",
    "TABLE_FORMATS",
    "display",
    "format_for_media_type",
    "negotiate",
    "parse_json_results",
    "parse_results",
    "serialize",
    "to_solutions",
]

TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "table": "text/plain",
    "md": "text/markdown",
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/rdf+json": "jsonld",
}


_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def serialize(result: QueryResult, fmt: str | None = None, *, width: int | None = 0) -> str:
    """``result`` in ``fmt``; the default is ``table`` for SELECT and ASK, ``turtle`` for graphs.

    The SPARQL result formats (``json``, ``xml``, ``csv``, ``tsv``) and the RDF formats are
    pyoxigraph's own writers; only ``table`` and ``md`` are written here. A ``table`` is never cut
    (``width=0``, for files and the server) unless a ``width`` is given; ``None`` fits the terminal
    when standard output is one (see :func:`~zhanaozen_graph.output.render_rows`).

    Raises
    ------
    QueryError
        The format does not fit the kind of result (e.g. ``csv`` for a CONSTRUCT).

    Examples
    --------
    >>> r = QueryResult("select", ["s", "n"], [(ox.NamedNode("urn:a"), ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))])
    >>> serialize(r, "csv")
    's,n\\r\\nurn:a,1\\r\\n'
    >>> print(serialize(r, "tsv").replace("\\t", " | "), end="")
    ?s | ?n
    <urn:a> | 1
    >>> serialize(r, "json")
    '{"head":{"vars":["s","n"]},"results":{"bindings":[{"s":{"type":"uri","value":"urn:a"},"n":{"type":"literal","value":"1","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
    >>> serialize(QueryResult("ask", boolean=False), "table")
    'false'
    """
    if result.kind == "graph":
        fmt = fmt or "turtle"
        if fmt not in _RDF_FORMATS:
            raise QueryError(
                f"a CONSTRUCT or DESCRIBE result cannot be written as {fmt}",
                hint=f"use one of: {', '.join(GRAPH_FORMATS)}",
            )
        prefixes = result.prefixes if fmt != "nt" else None
        data = ox.serialize(result.triples, format=_RDF_FORMATS[fmt], prefixes=prefixes)
        return data.decode("utf-8") if data else ""
    fmt = fmt or "table"
    if fmt not in TABLE_FORMATS:
        raise QueryError(
            f"a {result.kind.upper()} result cannot be written as {fmt}",
            hint=f"use one of: {', '.join(TABLE_FORMATS)}",
        )
    if fmt in ("table", "md") and result.kind == "ask":
        return "true" if result.boolean else "false"
    if fmt == "table":
        return _table(result, width)
    if fmt == "md":
        return _md(result)
    data = to_solutions(result).serialize(format=_RESULT_FORMATS[fmt])
    return (data or b"").decode("utf-8")


def _nt(term: Term | None) -> str:
    """A term in the syntax of SPARQL TSV (N-Triples, with RDF 1.2 triple terms); empty when unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<<( {_nt(term.subject)} {_nt(term.predicate)} {_nt(term.object)} )>>"
    return str(term)


def to_solutions(result: QueryResult) -> ox.QuerySolutions | ox.QueryBoolean:
    """A SELECT or ASK result as pyoxigraph's own result object, whose ``serialize`` writes every format.

    pyoxigraph builds these objects only by running a query or reading results, so the rows are
    handed to its TSV reader, written in the TSV terms' syntax (N-Triples), which loses nothing.

    Examples
    --------
    >>> r = QueryResult("select", ["x"], [(ox.Literal("a\\nb", language="en"),), (None,)])
    >>> [s["x"] for s in to_solutions(r)] == [r.rows[0][0], None]
    True
    >>> to_solutions(QueryResult("ask", boolean=True))
    <QueryBoolean true>
    """
    if result.kind == "ask":
        doc = b'{"head":{},"boolean":true}' if result.boolean else b'{"head":{},"boolean":false}'
        return ox.parse_query_results(doc, ox.QueryResultsFormat.JSON)
    if result.kind != "select":
        raise QueryError(f"a {result.kind} result has no solutions")
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += [
        "\t".join(["" if t is None else str(t) if type(t) is not ox.Triple else _nt(t) for t in row])
        for row in result.rows
    ]
    lines.append("")
    answer = ox.parse_query_results("\n".join(lines).encode("utf-8"), ox.QueryResultsFormat.TSV)
    assert isinstance(answer, ox.QuerySolutions)
    return answer


def display(term: Term | None, prefixes: dict[str, str] | None = None) -> str:
    """A term for people: a literal's text, an IRI abbreviated with the query's prefixes.

    Examples
    --------
    >>> display(ox.NamedNode("https://w3id.org/zhanaozen-graph/ontology#Role-victim"), {"zg": "https://w3id.org/zhanaozen-graph/ontology#"})
    'zg:Role-victim'
    >>> display(ox.Literal("Aktau"))
    'Aktau'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = ""
        for prefix, ns in (prefixes or {}).items():
            if term.value.startswith(ns) and len(ns) > len(best) and len(term.value) > len(ns):
                best = ns
                name = f"{prefix}:{term.value[len(ns) :]}"
        return name if best else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _rows_for_people(result: QueryResult) -> list[dict[str, Any]]:
    return [
        {v: display(t, result.prefixes) for v, t in zip(result.variables, row, strict=True)}
        for row in result.rows
    ]


def _table(result: QueryResult, width: int | None = 0) -> str:
    from ..output import render_rows

    text = render_rows(_rows_for_people(result), "table", result.variables, width=width)
    return f"{text}\n({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})"


def _md(result: QueryResult) -> str:
    from ..output import render_rows

    return render_rows(_rows_for_people(result), "md", result.variables)


def format_for_media_type(media_type: str) -> str | None:
    """The format name of a media type, or None.

    Examples
    --------
    >>> format_for_media_type("application/sparql-results+json; charset=utf-8")
    'json'
    """
    base = media_type.split(";")[0].strip().lower()
    for name, mt in MEDIA_TYPES.items():
        if mt == base and name not in ("table", "md"):
            return name
    return _ALIASES.get(base)


def negotiate(accept: str | None, kind: str) -> str | None:
    """The best format for an ``Accept`` header and a kind of result, or None if nothing fits.

    JSON is the default for SELECT and ASK, Turtle for graphs (for ``*/*`` or no header).

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "select")
    'xml'
    >>> negotiate("text/turtle", "select") is None
    True
    >>> negotiate(None, "graph")
    'turtle'
    """
    allowed: Sequence[str] = ("json", "xml", "csv", "tsv") if kind != "graph" else GRAPH_FORMATS
    default = "json" if kind != "graph" else "turtle"
    if not accept or not accept.strip():
        return default
    choices: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        q = 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            choices.append((q, order, default))
            continue
        name = format_for_media_type(media)
        if name is not None and name in allowed:
            choices.append((q, order, name))
    if not choices:
        return None
    choices.sort(key=lambda c: (-c[0], c[1]))
    return choices[0][2]


def parse_results(data: bytes | str, fmt: str, prefixes: dict[str, str] | None = None) -> QueryResult:
    """Read SPARQL 1.1 results in ``json``, ``xml`` or ``tsv`` with pyoxigraph's readers.

    The JSON reader also takes Virtuoso's older ``typed-literal`` terms.

    Raises
    ------
    QueryError
        The data cannot be read as ``fmt``.

    Examples
    --------
    >>> r = parse_results('{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"typed-literal","value":"1","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}', "json")
    >>> r.records()
    [{'s': 1}]
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        return collect(ox.parse_query_results(raw, _RESULT_FORMATS[fmt]), prefixes)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"the endpoint's {fmt.upper()} results cannot be read: {exc}") from None


def parse_json_results(data: bytes | str, prefixes: dict[str, str] | None = None) -> QueryResult:
    """Read SPARQL 1.1 JSON results (also Virtuoso's older ``typed-literal`` terms).

    Examples
    --------
    >>> parse_json_results('{"head":{},"boolean":true}').boolean
    True
    """
    return parse_results(data, "json", prefixes)
