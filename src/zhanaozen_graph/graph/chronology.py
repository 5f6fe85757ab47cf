"""The chronology of events: assembled from the graph's statements, and the index a build writes of it."""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypedDict

import pyoxigraph as ox

from ..records.evidence import SourceIndex
from ..records.model import get_model, sparql_prefixes

__all__ = [
    "INDEX_GRAPH",
    "Selectable",
    "TimelineEntry",
    "assemble_timeline",
    "gc_paused",
    "index_quads",
    "read_index",
]


class Selectable(Protocol):
    """Anything that answers a SELECT query as rows of Python values (a local or a remote graph)."""

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of Python values; an unbound variable is None."""
        ...


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


def assemble_timeline(kg: Selectable) -> list[TimelineEntry]:
    """Every event once, in chronological order, with the sources of each of its values.

    Events sort by their earliest bound, then their latest bound; ties are broken by the
    chains of ``follows`` and relative dates (an event never sorts before one it follows or is
    dated from), then by label and id. The date is the combined date over all the sources that date the
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
    >>> events = assemble_timeline(load_graph())
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
    # The id last: events alike in all else keep one order whatever the store returns them in.
    entries.sort(key=lambda de: (de[1]["earliest"], de[1]["latest"], de[0], de[1]["label"], de[1]["id"]))
    return [e for _, e in entries]


# -- The index a build writes --------------------------------------------------------------------
# ``timeline()`` on 10^6 triples in the persisted store takes 2-3 s to assemble (eight joins, each
# pattern a RocksDB read). The build assembles it once, from the very quads it writes, and stores the
# result in a named graph of its own: the entries in order, as JSON arrays of about 16 KB each (a "part").
# Reading it back is one scan of that graph, and it travels with the rest of the graph (files, store,
# ``push``), so a remote store answers it through the same SPARQL. It is derived data: it says nothing
# the other graphs do not say, and a build writes it with them in one generation, so it is never stale.
# Version 1 held one JSON literal per entry: at 10^7 triples (110,048 entries) reading 220,096 literals
# cost 3.3 s and decoding them one by one 4.7 s; in parts it is ~1,600 literals and one decode each.
INDEX_GRAPH = get_model().graph_iri("index/timeline")
INDEX_NS = f"{get_model().base}index#"
INDEX_VERSION = 2
# A part is at most PART_BYTES plus one entry. Virtuoso 7.2 refuses a graph holding a literal of more
# than about 64 KB ("unsupported type text/plain": between 60,000 and 70,000 characters, measured by
# tests/test_virtuoso.py), so a part stays well below that.
PART_BYTES = 1 << 14
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

READ_INDEX = f"""SELECT ?part ?entries WHERE {{
  GRAPH <{INDEX_GRAPH}> {{ ?node <{INDEX_NS}part> ?part ; <{INDEX_NS}entries> ?entries }}
}}"""
READ_HEADER = f"""SELECT ?version ?entries ?parts WHERE {{
  GRAPH <{INDEX_GRAPH}> {{
    <{INDEX_GRAPH}> <{INDEX_NS}version> ?version ; <{INDEX_NS}count> ?entries ; <{INDEX_NS}parts> ?parts
  }}
}}"""


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


def _parts(entries: Iterable[TimelineEntry], size: int) -> Iterator[tuple[int, str]]:
    """The entries as JSON arrays of about ``size`` bytes (at least one entry each), with their count."""
    texts: list[str] = []
    length = 0
    for item in entries:
        text = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        texts.append(text)
        length += len(text) + 1
        if length >= size:
            yield len(texts), "[" + ",".join(texts) + "]"
            texts, length = [], 0
    if texts:
        yield len(texts), "[" + ",".join(texts) + "]"


def index_quads(entries: Iterable[TimelineEntry], part_bytes: int = PART_BYTES) -> list[ox.Quad]:
    """The quads of the timeline index: the entries in order, in parts of about ``part_bytes`` of JSON.

    Each part is a node with its number (``index#part``) and a JSON array of its entries
    (``index#entries``); the index itself says its version, its number of entries and of parts.

    Examples
    --------
    >>> entries = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}, {"id": "c", "label": "C"}]
    >>> quads = index_quads(entries, part_bytes=40)  # type: ignore[arg-type]
    >>> [(q.predicate.value.rsplit("#", 1)[1], q.object.value) for q in quads]  # doctest: +NORMALIZE_WHITESPACE
    [('part', '0'), ('entries', '[{"id":"a","label":"A"},{"id":"b","label":"B"}]'),
     ('part', '1'), ('entries', '[{"id":"c","label":"C"}]'),
     ('version', '2'), ('count', '3'), ('parts', '2')]
    >>> {q.graph_name.value for q in quads} == {INDEX_GRAPH}
    True
    """
    graph = ox.NamedNode(INDEX_GRAPH)
    part, content = ox.NamedNode(INDEX_NS + "part"), ox.NamedNode(INDEX_NS + "entries")
    base = get_model().base
    quads: list[ox.Quad] = []
    n = parts = 0
    for parts, (count, text) in enumerate(_parts(entries, part_bytes), start=1):
        node = ox.NamedNode(f"{base}index/timeline/{parts - 1}")
        quads.append(ox.Quad(node, part, _integer(parts - 1), graph))
        quads.append(ox.Quad(node, content, ox.Literal(text), graph))
        n += count
    quads.append(ox.Quad(graph, ox.NamedNode(INDEX_NS + "version"), _integer(INDEX_VERSION), graph))
    quads.append(ox.Quad(graph, ox.NamedNode(INDEX_NS + "count"), _integer(n), graph))
    quads.append(ox.Quad(graph, ox.NamedNode(INDEX_NS + "parts"), _integer(parts), graph))
    return quads


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while building many small objects that hold no cycles.

    Decoding 110,048 timeline entries (4.4 million lists, dicts and strings) with the collector on
    triggers full collections over everything decoded so far: 8.1 s of decoding, 2.5 s without them
    (10^7 triples, docs/scale.md); the explorer's view model of 20k nodes lost 0.4-1.1 s the same way.
    Such objects hold no cycles, so nothing is left for the collector to find; its state is restored
    afterwards, whatever happens.

    Examples
    --------
    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_index(kg: Selectable) -> list[TimelineEntry] | None:
    """The timeline from the index the build wrote, or None if the graph has no complete index of this version.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> kg = load_graph()
    >>> read_index(kg) == assemble_timeline(kg)
    True
    """
    header = kg.select(READ_HEADER)
    if len(header) != 1 or int(header[0]["version"]) != INDEX_VERSION:
        return None
    rows = kg.select(READ_INDEX)
    if len(rows) != int(header[0]["parts"]):
        return None  # a store that holds only part of the index (an interrupted load)
    rows.sort(key=lambda row: int(row["part"]))
    entries: list[TimelineEntry] = []
    with gc_paused():
        for row in rows:
            entries.extend(json.loads(row["entries"]))
    if len(entries) != int(header[0]["entries"]):
        return None
    return entries
