"""The chronology of events, read from the graph, sorted by their earliest bound."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypedDict

from .graph.build import KnowledgeGraph
from .records.evidence import SourceIndex
from .records.model import sparql_prefixes

__all__ = ["TimelineEntry", "timeline"]

PREFIXES = sparql_prefixes()

EVENTS = (
    PREFIXES
    + """
SELECT DISTINCT ?event ?label ?typeLabel ?date ?dateText ?earliest ?latest ?status ?reason ?agreement WHERE {
  ?event a sem:Event ; rdfs:label ?label ; sem:eventType ?type ; zg:date ?date ;
         sem:hasEarliestBeginTimeStamp ?earliest ; sem:hasLatestEndTimeStamp ?latest ; zg:dateStatus ?st .
  BIND(STRAFTER(STR(?st), "DateStatus-") AS ?status)
  BIND(STRAFTER(STR(?type), "EventType-") AS ?typeLabel)
  OPTIONAL { ?event zg:dateText ?dateText }
  OPTIONAL { ?event zg:dateReason ?reason }
  OPTIONAL { ?event zg:dateAgreement ?agreement }
}"""
)

# Each statement below is read from the named graph of the source that makes it, with that source.
_IN_SOURCE = """  ?g a zg:SourceGraph ; dcterms:source ?src .
  BIND(STRAFTER(STR(?src), "/id/source/") AS ?source)"""

SOURCES = (
    PREFIXES
    + f"""
SELECT DISTINCT ?event ?source WHERE {{
{_IN_SOURCE}
  GRAPH ?g {{ ?event prov:wasDerivedFrom ?src }}
  ?event a sem:Event .
}}"""
)

DATES = (
    PREFIXES
    + f"""
SELECT DISTINCT ?event ?source ?date ?earliest ?latest ?status WHERE {{
{_IN_SOURCE}
  GRAPH ?g {{
    ?event zg:dated ?d .
    ?d zg:date ?date ; sem:hasEarliestBeginTimeStamp ?earliest ; sem:hasLatestEndTimeStamp ?latest ; zg:dateStatus ?st .
  }}
  ?event a sem:Event .
  BIND(STRAFTER(STR(?st), "DateStatus-") AS ?status)
}}"""
)

PLACES = (
    PREFIXES
    + f"""
SELECT DISTINCT ?event ?label ?source WHERE {{
{_IN_SOURCE}
  GRAPH ?g {{ ?event sem:hasPlace ?p }}
  ?event a sem:Event . ?p rdfs:label ?label .
}}"""
)

PARTICIPANTS = (
    PREFIXES
    + f"""
SELECT DISTINCT ?event ?label ?role ?source WHERE {{
{_IN_SOURCE}
  GRAPH ?g {{ ?event sem:hasActor ?r . ?r rdf:value ?a ; sem:roleType ?rt }}
  ?event a sem:Event . ?a rdfs:label ?label .
  BIND(STRAFTER(STR(?rt), "Role-") AS ?role)
}}"""
)

ACCORDING_TO = (
    PREFIXES
    + f"""
SELECT DISTINCT ?event ?label ?source WHERE {{
{_IN_SOURCE}
  GRAPH ?g {{ ?event zg:accordingTo ?a }}
  ?event a sem:Event . ?a rdfs:label ?label .
}}"""
)

ORDER = (
    PREFIXES
    + """
SELECT DISTINCT ?event ?before WHERE {
  ?event a sem:Event .
  { ?event zg:follows ?before } UNION { ?event zg:dated/zg:dateRelativeTo ?before }
}"""
)

EVIDENCE = (
    PREFIXES
    + """
SELECT DISTINCT ?event ?quote ?source ?start WHERE {
  ?event a sem:Event ; zg:evidence ?q .
  ?q oa:hasTarget ?t . ?t oa:hasSource ?s ; oa:hasSelector ?sel, ?pos .
  ?sel oa:exact ?quote . ?pos oa:start ?start .
  BIND(STRAFTER(STR(?s), "/id/source/") AS ?source)
}"""
)


class Participant(TypedDict):
    """An actor in an event with its role, and the sources that say so."""

    label: str
    role: str
    sources: list[str]


class Attribution(TypedDict):
    """Who a source reports an event through ("according to X")."""

    label: str
    source: str


class SourceDate(TypedDict):
    """The date one source gives for an event."""

    source: str
    date: str
    earliest: str
    latest: str
    status: str


class Quote(TypedDict):
    """A verbatim quote and its source."""

    quote: str
    source: str


class TimelineEntry(TypedDict):
    """One event of the timeline (the JSON shape of ``timeline --format json``)."""

    id: str
    label: str
    type: str
    date: str
    date_text: str | None
    earliest: str
    latest: str
    date_status: str
    date_reason: str | None
    date_agreement: str
    dates: list[SourceDate]
    places: list[str]
    place_sources: dict[str, list[str]]
    participants: list[Participant]
    according_to: list[Attribution]
    sources: list[str]
    evidence: list[Quote]


def _depths(edges: dict[str, set[str]]) -> dict[str, int]:
    """The length of the longest chain of events each event follows (``follows``, relative dates)."""
    depth: dict[str, int] = {}

    def visit(node: str, seen: frozenset[str]) -> int:
        if node not in depth:
            earlier = [visit(b, seen | {node}) + 1 for b in edges.get(node, ()) if b not in seen]
            depth[node] = max(earlier, default=0)
        return depth[node]

    for node in edges:
        visit(node, frozenset())
    return depth


def timeline(kg: KnowledgeGraph) -> list[TimelineEntry]:
    """Every event once, in chronological order, with the sources of each of its values.

    Events sort by their earliest bound, then their latest bound; ties are broken by the
    chains of ``follows`` and relative dates (an event never sorts before one it follows or is
    dated from), then by label. The date is the combined date over all the sources that date the
    event (``date_agreement``: single, agree or conflict), and ``dates`` gives each source's own.

    Parameters
    ----------
    kg
        The graph, from :func:`~zhanaozen_graph.graph.build.load_graph`.

    Returns
    -------
    list of TimelineEntry
        Dicts with ``id``, ``label``, ``type``, ``date`` (EDTF), ``earliest``, ``latest``
        (``YYYY-MM-DD``), ``dates``, ``places`` (and ``place_sources``), ``participants`` (each with
        its ``sources``), ``according_to``, ``sources`` and ``evidence``.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> events = timeline(load_graph())
    >>> release = next(e for e in events if e["id"] == "atabaev-released")
    >>> release["earliest"], release["date_status"], release["sources"]
    ('2012-07-03', 'year-inferred', ['amnesty-ua-2012-07-atabaev-released'])
    """
    sources: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(SOURCES):
        sources[row["event"]].add(row["source"])
    dates: dict[str, list[SourceDate]] = defaultdict(list)
    for row in kg.select(DATES):
        dates[row["event"]].append(
            {
                "source": row["source"],
                "date": row["date"],
                "earliest": row["earliest"],
                "latest": row["latest"],
                "status": row["status"],
            }
        )
    places: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in kg.select(PLACES):
        places[row["event"]][row["label"]].add(row["source"])
    participants: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in kg.select(PARTICIPANTS):
        participants[row["event"]][(row["role"], row["label"])].add(row["source"])
    according: dict[str, list[Attribution]] = defaultdict(list)
    for row in kg.select(ACCORDING_TO):
        according[row["event"]].append({"label": row["label"], "source": row["source"]})
    before: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(ORDER):
        before[row["event"]].add(row["before"])
    depth = _depths(before)
    evidence: dict[str, list[tuple[str, int, Quote]]] = defaultdict(list)
    for row in kg.select(EVIDENCE):
        evidence[row["event"]].append(
            (
                row["source"],
                row["start"],
                {"quote": SourceIndex.normalise(row["quote"]), "source": row["source"]},
            )
        )
    entries: list[tuple[int, TimelineEntry]] = []
    for row in kg.select(EVENTS):
        iri: str = row["event"]
        entry: TimelineEntry = {
            "id": iri.rsplit("/", 1)[1],
            "label": row["label"],
            "type": row["typeLabel"],
            "date": row["date"],
            "date_text": row["dateText"],
            "earliest": row["earliest"],
            "latest": row["latest"],
            "date_status": row["status"],
            "date_reason": row["reason"],
            "date_agreement": row["agreement"] or "single",
            "dates": sorted(dates[iri], key=lambda d: d["source"]),
            "places": sorted(places[iri]),
            "place_sources": {label: sorted(s) for label, s in sorted(places[iri].items())},
            "participants": [
                {"label": label, "role": role, "sources": sorted(s)}
                for (role, label), s in sorted(participants[iri].items())
            ],
            "according_to": sorted(according[iri], key=lambda a: (a["source"], a["label"])),
            "sources": sorted(sources[iri]),
            "evidence": [q for _, _, q in sorted(evidence[iri], key=lambda x: (x[0], x[1]))],
        }
        entries.append((depth.get(iri, 0), entry))
    entries.sort(key=lambda de: (de[1]["earliest"], de[1]["latest"], de[0], de[1]["label"]))
    return [e for _, e in entries]


def as_rows(entries: list[TimelineEntry]) -> list[dict[str, Any]]:
    """Flat rows for CSV and tables: lists joined with ``; ``.

    A spreadsheet keeps the evidence: the date's reason, the date as written, and every quote with its
    source (``quote [source]``, joined with `` | ``).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> row = next(r for r in as_rows(timeline(load_graph())) if r["id"] == "atabaev-released")
    >>> row["date_text"], row["evidence"].split(" | ")[0]
    ('at 10pm on 3 July', 'Prisoner of conscience Bolat Atabaev was released on 3 July. [amnesty-ua-2012-07-atabaev-released]')
    """
    return [
        {
            "earliest": e["earliest"],
            "latest": e["latest"],
            "date": e["date"],
            "status": e["date_status"],
            "type": e["type"],
            "label": e["label"],
            "places": "; ".join(e["places"]),
            "participants": "; ".join(f"{p['label']} ({p['role']})" for p in e["participants"]),
            "according_to": "; ".join(sorted({a["label"] for a in e["according_to"]})),
            "sources": "; ".join(e["sources"]),
            "id": e["id"],
            "date_text": e["date_text"] or "",
            "date_reason": e["date_reason"] or "",
            "evidence": " | ".join(f"{q['quote']} [{q['source']}]" for q in e["evidence"]),
        }
        for e in entries
    ]
