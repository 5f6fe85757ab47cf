"""Sources side by side: what each says, where they agree, where they conflict, and the range of each number.

Each function runs a query of the catalogue (``by-source``, ``corroboration``, ``conflicts``,
``quantities``), so that the same answers come from a local graph, a remote endpoint, the command
line (``zhanaozen-graph sources``, ``zhanaozen-graph query conflicts``) and a notebook.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, TypedDict

from .queries import run_query

if TYPE_CHECKING:
    from ..graph.build import KnowledgeGraph

__all__ = [
    "Conflict",
    "Estimate",
    "SourceSummary",
    "by_source",
    "conflicts",
    "corroboration",
    "quantity_estimates",
    "source_summaries",
]

_PREFIXES = """PREFIX zg: <https://w3id.org/zhanaozen-graph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
_SOURCES = (
    _PREFIXES
    + """SELECT ?source ?date ?publisher
       (COUNT(DISTINCT ?record) AS ?records) (COUNT(DISTINCT ?quote) AS ?quotes) WHERE {
  ?g a zg:SourceGraph ; dcterms:source ?src .
  ?src zg:date ?date .
  OPTIONAL { ?src dcterms:publisher ?pub }
  OPTIONAL { GRAPH ?g { ?record prov:wasDerivedFrom ?src } }
  OPTIONAL { GRAPH ?g { ?quote a oa:Annotation } }
  BIND(STRAFTER(STR(?src), "/id/source/") AS ?source)
  BIND(REPLACE(STR(?pub), "^.*/", "") AS ?publisher)
} GROUP BY ?source ?date ?publisher ORDER BY ?source"""
)


def _short(value: Any) -> Any:
    return value.rsplit("/", 1)[1] if isinstance(value, str) and "/id/" in value else value


def _records(kg: KnowledgeGraph, name: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
    return [{k: _short(v) for k, v in row.items()} for row in run_query(kg, name, params).records()]


def by_source(kg: KnowledgeGraph, source: str) -> list[dict[str, Any]]:
    """Every statement one source makes: ``record``, ``label``, ``property``, ``value``.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> rows = by_source(load_graph(), "amnesty-ua-2012-07-atabaev-released")
    >>> next(r for r in rows if r["record"] == "atabaev-released" and r["property"] == "date")["value"]
    '2012-07-03T22:00:00'
    """
    return [
        {k: v for k, v in row.items() if k != "source"}
        for row in _records(kg, "by-source", {"source": source})
    ]


def corroboration(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """The statements two or more sources make alike.

    Each row has ``record``, ``label``, ``property``, ``value``, ``count`` and ``sources`` (a list).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> corroboration(load_graph())  # one source: nothing is corroborated
    []
    """
    rows = _records(kg, "corroboration")
    for row in rows:
        row["sources"] = sorted(row["sources"].split("; "))
    return rows


class Conflict(TypedDict):
    """A date or a number the sources give differently: each source's value, side by side."""

    record: str
    label: str
    what: str
    values: dict[str, str]


def conflicts(kg: KnowledgeGraph) -> list[Conflict]:
    """The records whose sources give dates no single day satisfies, or numbers whose ranges do not meet.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> conflicts(load_graph())  # one source cannot disagree with itself
    []
    """
    out: list[Conflict] = []
    for row in _records(kg, "conflicts"):
        values = dict(part.split(": ", 1) for part in row["values"].split("; "))
        out.append(
            {
                "record": row["record"],
                "label": row["label"],
                "what": row["what"],
                "values": {s: values[s].replace("_", " ") for s in sorted(values)},
            }
        )
    return out


class SourceSummary(TypedDict):
    """One source: its date, publisher, and how much of the graph rests on it."""

    source: str
    date: str
    publisher: str
    records: int
    statements: int
    quotes: int
    conflicts: int


def source_summaries(kg: KnowledgeGraph) -> tuple[list[SourceSummary], list[Conflict]]:
    """Each source with counts (records it speaks of, statements, quotes, conflicts), and the conflicts.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> sources, found = source_summaries(load_graph())
    >>> [(s["source"], s["records"], s["conflicts"]) for s in sources], found
    ([('amnesty-ua-2012-07-atabaev-released', 154, 0)], [])
    """
    found = conflicts(kg)
    involved: dict[str, int] = defaultdict(int)
    for c in found:
        for s in c["values"]:
            involved[s] += 1
    summaries: list[SourceSummary] = []
    for row in kg.select(_SOURCES):
        summaries.append(
            {
                "source": row["source"],
                "date": row["date"],
                "publisher": row["publisher"] or "",
                "records": int(row["records"]),
                "statements": len(by_source(kg, row["source"])),
                "quotes": int(row["quotes"]),
                "conflicts": involved[row["source"]],
            }
        )
    return summaries, found


class Estimate(TypedDict):
    """The range all the sources of a number allow together, with the sources of each bound."""

    record: str
    measure: str
    unit: str | None
    low: float | None
    low_sources: list[str]
    best: list[float]
    best_sources: list[str]
    high: float | None
    high_sources: list[str]
    agreement: str
    sources: list[str]


def quantity_estimates(kg: KnowledgeGraph) -> list[Estimate]:
    """For each number (record, measure, unit) across sources: low, best and high, never averaged.

    ``low`` is the highest lower bound any source sets and ``high`` the lowest upper bound, each with
    the sources that set it; ``best`` lists the distinct estimates the sources give (exactly N,
    about N). ``agreement`` is ``single``, ``agree`` or ``conflict`` (low above high): in a conflict
    the bounds are those of the sources that disagree, shown side by side.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> killed = next(e for e in quantity_estimates(load_graph()) if e["record"] == "zhanaozen-clashes"
    ...               and e["measure"] == "killed")
    >>> killed["low"], killed["high"], killed["best"], killed["agreement"]
    (15, None, [], 'single')
    """
    groups: dict[tuple[str, str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for row in _records(kg, "quantities"):
        groups[(row["of"], row["measure"], row["unit"])].append(row)
    out: list[Estimate] = []
    for (record, measure, unit), rows in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")
    ):
        lows = [r for r in rows if r["low"] is not None]
        highs = [r for r in rows if r["high"] is not None]
        low = max((r["low"] for r in lows), default=None)
        high = min((r["high"] for r in highs), default=None)
        sources = sorted({r["source"] for r in rows})
        if len(sources) == 1:
            agreement = "single"
        else:
            agreement = "conflict" if low is not None and high is not None and low > high else "agree"
        out.append(
            {
                "record": record,
                "measure": measure,
                "unit": unit,
                "low": _number(low),
                "low_sources": sorted({r["source"] for r in lows if r["low"] == low}),
                "best": sorted({_number(r["best"]) for r in rows if r["best"] is not None}),
                "best_sources": sorted({r["source"] for r in rows if r["best"] is not None}),
                "high": _number(high),
                "high_sources": sorted({r["source"] for r in highs if r["high"] == high}),
                "agreement": agreement,
                "sources": sources,
            }
        )
    return out


def _number(value: Any) -> Any:
    """Numbers from the store as ints where whole (decimals come back as strings)."""
    if isinstance(value, str):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value
