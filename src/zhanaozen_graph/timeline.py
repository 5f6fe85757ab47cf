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
SELECT ?event ?label ?typeLabel ?date ?dateText ?earliest ?latest ?status ?reason WHERE {
  ?event a sem:Event ; rdfs:label ?label ; sem:eventType ?type ; zg:date ?date ;
         sem:hasEarliestBeginTimeStamp ?earliest ; sem:hasLatestEndTimeStamp ?latest ; zg:dateStatus ?st .
  BIND(STRAFTER(STR(?st), "DateStatus-") AS ?status)
  BIND(STRAFTER(STR(?type), "EventType-") AS ?typeLabel)
  OPTIONAL { ?event zg:dateText ?dateText }
  OPTIONAL { ?event zg:dateReason ?reason }
}"""
)

PLACES = (
    PREFIXES
    + """
SELECT ?event ?label WHERE { ?event a sem:Event ; sem:hasPlace ?p . ?p rdfs:label ?label }"""
)

PARTICIPANTS = (
    PREFIXES
    + """
SELECT ?event ?label ?role WHERE {
  ?event a sem:Event ; sem:hasActor ?r . ?r rdf:value ?a ; sem:roleType ?rt . ?a rdfs:label ?label .
  BIND(STRAFTER(STR(?rt), "Role-") AS ?role)
}"""
)

EVIDENCE = (
    PREFIXES
    + """
SELECT ?event ?quote ?source ?start WHERE {
  ?event a sem:Event ; zg:evidence ?q .
  ?q oa:hasTarget ?t . ?t oa:hasSource ?s ; oa:hasSelector ?sel, ?pos .
  ?sel oa:exact ?quote . ?pos oa:start ?start .
  BIND(STRAFTER(STR(?s), "/id/source/") AS ?source)
}"""
)


class Participant(TypedDict):
    """An actor in an event with its role."""

    label: str
    role: str


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
    places: list[str]
    participants: list[Participant]
    evidence: list[Quote]


def timeline(kg: KnowledgeGraph) -> list[TimelineEntry]:
    """Every event in chronological order (by earliest bound, then latest bound, then label).

    Parameters
    ----------
    kg
        The graph, from :func:`~zhanaozen_graph.graph.build.load_graph`.

    Returns
    -------
    list of TimelineEntry
        Dicts with ``id``, ``label``, ``type``, ``date`` (EDTF), ``earliest``, ``latest``
        (``YYYY-MM-DD``), ``places``, ``participants`` and ``evidence``.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> events = timeline(load_graph())
    >>> release = next(e for e in events if e["id"] == "atabaev-released")
    >>> release["earliest"], release["date_status"]
    ('2012-07-03', 'year-inferred')
    """
    places: dict[str, list[str]] = defaultdict(list)
    for row in kg.select(PLACES):
        places[row["event"]].append(row["label"])
    participants: dict[str, list[Participant]] = defaultdict(list)
    for row in kg.select(PARTICIPANTS):
        participants[row["event"]].append({"label": row["label"], "role": row["role"]})
    evidence: dict[str, list[tuple[int, Quote]]] = defaultdict(list)
    for row in kg.select(EVIDENCE):
        evidence[row["event"]].append(
            (row["start"], {"quote": SourceIndex.normalise(row["quote"]), "source": row["source"]})
        )
    entries: list[TimelineEntry] = []
    for row in kg.select(EVENTS):
        iri: str = row["event"]
        entries.append(
            {
                "id": iri.rsplit("/", 1)[1],
                "label": row["label"],
                "type": row["typeLabel"],
                "date": row["date"],
                "date_text": row["dateText"],
                "earliest": row["earliest"],
                "latest": row["latest"],
                "date_status": row["status"],
                "date_reason": row["reason"],
                "places": sorted(places[iri]),
                "participants": sorted(participants[iri], key=lambda p: (p["role"], p["label"])),
                "evidence": [q for _, q in sorted(evidence[iri], key=lambda x: x[0])],
            }
        )
    entries.sort(key=lambda e: (e["earliest"], e["latest"], e["label"]))
    return entries


def as_rows(entries: list[TimelineEntry]) -> list[dict[str, Any]]:
    """Flat rows for CSV and tables: lists joined with ``; ``."""
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
            "id": e["id"],
        }
        for e in entries
    ]
