"""Write and read query results: the SPARQL 1.1 result formats, tables, and RDF for graph results.

SELECT and ASK: ``json`` (SPARQL 1.1 Query Results JSON), ``xml`` (SPARQL Query Results XML),
``csv`` and ``tsv`` (SPARQL 1.1 Query Results CSV and TSV), ``table`` and ``md`` for people.
CONSTRUCT and DESCRIBE: ``turtle``, ``nt`` (N-Triples) and ``jsonld``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from .results import XSD, QueryResult, Term

__all__ = [
    "GRAPH_FORMATS",
    "MEDIA_TYPES",
    "TABLE_FORMATS",
    "display",
    "format_for_media_type",
    "negotiate",
    "parse_json_results",
    "serialize",
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
_ABBREVIATED = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*|\.?\d+)[eE][+-]?\d+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def serialize(result: QueryResult, fmt: str | None = None) -> str:
    """``result`` in ``fmt``; the default is ``table`` for SELECT and ASK, ``turtle`` for graphs.

    Raises
    ------
    QueryError
        The format does not fit the kind of result (e.g. ``csv`` for a CONSTRUCT).

    Examples
    --------
    >>> r = QueryResult("select", ["s", "n"], [(ox.NamedNode("urn:a"), ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")))])
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
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, separators=(",", ":"))
        if fmt == "xml":
            return (
                '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head>'
                f"<boolean>{'true' if result.boolean else 'false'}</boolean></sparql>"
            )
        return "true" if result.boolean else "false"
    return _WRITERS[fmt](result)


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _json(result: QueryResult) -> str:
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def escape(text: str) -> str:
    """XML character data; line breaks, tabs and edge spaces as character references.

    Some readers (pyoxigraph's among them) trim the whitespace around a text node; written
    as references it survives every reader. ``html.escape`` is used because ``xml.sax``
    imports urllib, which costs 20 ms of start-up.

    Examples
    --------
    >>> escape(" a < b\\n")
    '&#32;a &lt; b&#10;'
    """
    body = html.escape(text, quote=False).replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")
    stripped = body.strip(" ")
    if not stripped:
        return "&#32;" * len(body)
    if stripped != body:
        lead = len(body) - len(body.lstrip(" "))
        trail = len(body) - len(body.rstrip(" "))
        body = "&#32;" * lead + stripped + "&#32;" * trail
    return body


def quoteattr(text: str) -> str:
    """An XML attribute value in double quotes."""
    return f'"{html.escape(text, quote=True)}"'


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD + "string":
        attr = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attr}>{escape(term.value)}</literal>"


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("</head><results>")
    for row in result.rows:
        out.append("<result>")
        for v, t in zip(result.variables, row, strict=True):
            if t is not None:
                out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out)


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _csv(result: QueryResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language:
        pattern = _ABBREVIATED.get(term.datatype.value)
        if pattern is not None and pattern.fullmatch(term.value):
            return term.value
    return str(term)


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


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


def _table(result: QueryResult) -> str:
    from ..output import render_rows

    text = render_rows(_rows_for_people(result), "table", result.variables)
    return f"{text}\n({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})"


def _md(result: QueryResult) -> str:
    from ..output import render_rows

    return render_rows(_rows_for_people(result), "md", result.variables)


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv, "table": _table, "md": _md}


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


def _json_value(obj: dict[str, Any]) -> Term:
    kind = obj.get("type")
    value = obj.get("value")
    if kind == "uri":
        return ox.NamedNode(str(value))
    if kind == "bnode":
        return ox.BlankNode(str(value))
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in obj:
            return ox.Literal(str(value), language=str(obj["xml:lang"]))
        if "datatype" in obj:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(obj["datatype"])))
        return ox.Literal(str(value))
    if kind == "triple" and isinstance(value, dict):
        s, p, o = (_json_value(value[k]) for k in ("subject", "predicate", "object"))
        if isinstance(s, ox.NamedNode | ox.BlankNode | ox.Triple) and isinstance(p, ox.NamedNode):
            return ox.Triple(s, p, o)
    raise ValueError(f"unknown term {obj!r}")


def parse_json_results(data: bytes | str, prefixes: dict[str, str] | None = None) -> QueryResult:
    """Read SPARQL 1.1 JSON results (also Virtuoso's older ``typed-literal`` terms).

    Examples
    --------
    >>> r = parse_json_results('{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"typed-literal","value":"1","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}')
    >>> r.records()
    [{'s': 1}]
    """
    try:
        doc = json.loads(data)
        if "boolean" in doc:
            return QueryResult("ask", boolean=bool(doc["boolean"]), prefixes=dict(prefixes or {}))
        names = [str(v) for v in doc["head"].get("vars", [])]
        rows = [
            tuple(_json_value(b[n]) if n in b else None for n in names) for b in doc["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise QueryError(f"the endpoint's JSON results cannot be read: {exc}") from None
    return QueryResult("select", names, rows, prefixes=dict(prefixes or {}))
