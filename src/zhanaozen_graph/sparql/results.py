"""The shared types of the SPARQL layer: a query's answer, its terms, and the record lookup.

Every engine (the local pyoxigraph store, a remote endpoint) answers with a :class:`QueryResult`;
the formatters, the server, the catalogue and the remote client all build on these types,
so they live here, below all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pyoxigraph as ox

__all__ = [
    "BASE",
    "RECORD_LOOKUP",
    "XSD",
    "QueryResult",
    "Term",
    "collect",
    "python_value",
    "record_lookup_bindings",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "https://w3id.org/zhanaozen-graph/"


@dataclass
class QueryResult:
    """The answer to a query, the same whichever engine ran it.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE). A SELECT
    result has ``variables`` and ``rows`` (tuples of terms, None where unbound);
    ASK has ``boolean``; a graph result has ``triples``. ``prefixes`` are those the
    query declares (used to abbreviate output).
    """

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    truncated: bool = False

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts of Python values (see :func:`python_value`).

        Examples
        --------
        >>> r = QueryResult("select", ["n"], [(ox.Literal("2", datatype=ox.NamedNode(XSD + "integer")),)])
        >>> r.records()
        [{'n': 2}]
        """
        return [{v: python_value(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame, one column per variable (for notebooks).

        Examples
        --------
        >>> r = QueryResult("select", ["n"], [(ox.Literal("2", datatype=ox.NamedNode(XSD + "integer")),)])
        >>> r.to_dataframe()["n"].tolist()
        [2]
        """
        from ..errors import require

        pd = require("pandas", "analysis", "a DataFrame of the results")
        return pd.DataFrame(self.records(), columns=self.variables)

    def __len__(self) -> int:
        if self.kind == "select":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.triples)
        return 1


def python_value(term: Term | None) -> Any:
    """A term as a Python value: an int for integers, a bool for booleans, else the lexical form or IRI.

    Examples
    --------
    >>> python_value(ox.Literal("15", datatype=ox.NamedNode(XSD + "integer")))
    15
    >>> python_value(ox.NamedNode("urn:a"))
    'urn:a'
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        if dtype in (XSD + "integer", XSD + "nonNegativeInteger", XSD + "int", XSD + "long"):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dtype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def collect(answer: Any, prefixes: dict[str, str] | None = None, max_rows: int | None = None) -> QueryResult:
    """Materialise a pyoxigraph answer as a :class:`QueryResult` (at most ``max_rows`` rows or triples).

    Examples
    --------
    >>> collect(ox.Store().query("ASK { }")).boolean
    True
    """
    prefixes = dict(prefixes or {})
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer), prefixes=prefixes)
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows: list[tuple[Term | None, ...]] = []
        truncated = False
        for solution in answer:
            if max_rows is not None and len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(solution[n] for n in names))
        return QueryResult("select", names, rows, prefixes=prefixes, truncated=truncated)
    triples: list[ox.Triple] = []
    truncated = False
    for t in answer:  # QueryTriples
        if max_rows is not None and len(triples) >= max_rows:
            truncated = True
            break
        triples.append(t)
    return QueryResult("graph", triples=triples, prefixes=prefixes, truncated=truncated)


def record_lookup_bindings(slug: str) -> dict[str, Term]:
    """The bindings of :data:`RECORD_LOOKUP` that find the IRI of the record ``slug``.

    Examples
    --------
    >>> record_lookup_bindings("knb")["tail"]
    <Literal value=/knb datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    return {"base": ox.Literal(f"{BASE}id/"), "tail": ox.Literal(f"/{slug}")}


RECORD_LOOKUP = """SELECT DISTINCT ?iri ?base ?tail WHERE {
  ?iri <http://www.w3.org/2000/01/rdf-schema#label> ?label .
  FILTER(STRSTARTS(STR(?iri), ?base) && STRENDS(STR(?iri), ?tail)
         && !CONTAINS(SUBSTR(STR(?iri), STRLEN(?base) + 1, STRLEN(STR(?iri)) - STRLEN(?base) - STRLEN(?tail)), "/"))
} ORDER BY ?iri"""
