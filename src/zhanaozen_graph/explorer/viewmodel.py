"""The explorer's view model: the nodes, edges, dates and quotes the page shows, read from the graph.

The renderer takes this plain, JSON-ready structure, not RDF, so that it can also draw a synthetic
graph (the benchmark) and so that the page holds only what it shows.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import product
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from ..graph.build import KnowledgeGraph
from ..graph.chronology import gc_paused
from ..records.model import sparql_prefixes

__all__ = [
    "KINDS",
    "STANCE_COLOURS",
    "STATUSES",
    "Attribution",
    "Cluster",
    "Coordinates",
    "DateInfo",
    "EdgeView",
    "Evidence",
    "KindStyle",
    "NodeView",
    "Number",
    "Overview",
    "ViewModel",
    "build_view_model",
    "gc_paused",
    "new_node",
    "quote_in_sentence",
    "visible_controls",
]


class KindStyle(TypedDict):
    """How one kind of node is drawn: its label, colour and vis-network shape."""

    key: str
    label: str
    color: str
    shape: str


class SourceDate(TypedDict):
    """The date one source gives."""

    source: str
    edtf: str
    earliest: str
    latest: str


class DateInfo(TypedDict):
    """A date as written, in EDTF, with its bounds (``YYYY-MM-DD``), status and the reason for it.

    With several sources it is their combined date; ``agreement`` says whether they agree, and
    ``by_source`` gives each source's own date.
    """

    edtf: str
    text: str | None
    earliest: str
    latest: str
    status: str
    reason: str | None
    agreement: str
    by_source: list[SourceDate]


class Evidence(TypedDict):
    """A verbatim quote inside its sentence: ``before + quote + after`` is the sentence."""

    source: str
    before: str
    quote: str
    after: str


class Number(TypedDict):
    """A number the text gives (``"killed: at least 15 people"``) with the quote that states it.

    ``source`` is the source that gives it, ``according_to`` the node ids of whom that source reports
    it through (``relatives-of-those-held``), and ``agreement`` compares it with the other sources'
    numbers of the same ``measure`` and ``unit`` of the record: ``single`` (no other source gives
    one), ``agree`` (their ranges meet) or ``conflict`` (they do not: "12" against "at least 15").
    """

    text: str
    evidence: list[Evidence]
    source: NotRequired[str]
    measure: NotRequired[str]
    unit: NotRequired[str | None]
    according_to: NotRequired[list[str]]
    agreement: NotRequired[str]


class Attribution(TypedDict):
    """Who gives one value (an alias, a description) of a record.

    ``sources`` are the sources whose graphs state it; ``register`` and ``external`` say whether the
    register (the names a record is referred to by) or outside knowledge gives it too.
    """

    value: str
    sources: list[str]
    register: bool
    external: bool


class Coordinates(TypedDict):
    """A place's WGS84 position; ``external`` when it is outside knowledge (not from the documents)."""

    lat: float
    long: float
    external: bool


class NodeView(TypedDict):
    """One node of the network (an actor, place, legal provision, event or claim)."""

    id: str
    label: str
    kind: str
    type: str | None
    aliases: list[str]
    roles: list[str]
    description: str | None
    date: DateInfo | None
    stance: str | None
    quantities: list[str]
    evidence: list[Evidence]
    sources: list[str]
    numbers: NotRequired[list[Number]]
    alias_sources: NotRequired[list[Attribution]]
    role_sources: NotRequired[list[Attribution]]
    coordinates: NotRequired[Coordinates]
    x: NotRequired[float]
    y: NotRequired[float]
    size: NotRequired[float]


# One edge: ``from`` and ``to`` are node ids; ``kind`` is ``reference`` (a property such as
# ``places`` or ``claimed by``), ``participant`` (an event's actor, labelled with the role) or
# ``relationship`` (a documented link, with its evidence); ``external`` marks outside knowledge.
# "from" is a Python keyword, hence the functional syntax.
EdgeView = TypedDict(
    "EdgeView",
    {
        "from": str,
        "to": str,
        "label": str,
        "kind": str,
        "external": bool,
        "evidence": list[Evidence],
    },
)


class Cluster(TypedDict):
    """One cluster of the overview of a large graph: a source document and the records placed in it."""

    id: str
    label: str
    members: list[str]
    x: float
    y: float


class Overview(TypedDict):
    """The opening view of a large graph: clusters to expand and the nodes drawn from the start."""

    clusters: list[Cluster]
    shown: list[str]


class ViewModel(TypedDict):
    """Everything the page shows: title, legend (kinds, stances, date statuses), nodes, edges, sources."""

    title: str
    kinds: list[KindStyle]
    stances: list[KindStyle]
    statuses: dict[str, str]
    sources: dict[str, str]
    nodes: list[NodeView]
    edges: list[EdgeView]
    # Only above the overview threshold: the clusters and nodes the page opens on (see overview.py).
    overview: NotRequired[Overview]


# Colours from Okabe & Ito's palette for colour-blind readers (tests/test_explorer.py checks every pair
# under simulated deuteranopia, protanopia and tritanopia), and one shape per kind, so that greyscale
# print and colour-blind readers still tell kinds apart.
KINDS: list[KindStyle] = [
    {"key": "Person", "label": "Person", "color": "#0072b2", "shape": "dot"},
    {"key": "Group", "label": "Group of people", "color": "#56b4e9", "shape": "hexagon"},
    {"key": "Organisation", "label": "Organisation", "color": "#e69f00", "shape": "square"},
    {"key": "Place", "label": "Place", "color": "#009e73", "shape": "triangle"},
    {"key": "LegalProvision", "label": "Legal provision", "color": "#555555", "shape": "triangleDown"},
    {"key": "Event", "label": "Event", "color": "#d55e00", "shape": "diamond"},
    {"key": "Claim", "label": "Claim", "color": "#cc79a7", "shape": "star"},
]

# Claims are stars coloured by stance; an allegation is a dark wine, far from the event vermilion.
STANCE_COLOURS = {
    "allegation": "#882255",
    "denial": "#44aa99",
    "official_position": "#cccccc",
    "assessment": "#ddcc77",
    "testimony": "#332288",
    "justification": "#999933",
}

STATUSES = {
    "stated": "date stated in the text",
    "year-inferred": "year inferred (the text leaves it out)",
    "relative": "relative to another event",
    "derived": "derived bounds (the text gives no date)",
}

_P = sparql_prefixes()

_LABELS = _P + "SELECT DISTINCT ?s ?label WHERE { ?s rdfs:label ?label }"
_VALUES = (
    _P
    + "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { schema:alternateName zg:describedAs schema:description } ?s ?p ?o }"
)
_TERMS = _P + "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { sem:eventType zg:placeType zg:stance } ?s ?p ?o }"
# The date triples of records and of what each source dates them (zg:dated), read as triples and
# joined in Python by _dates(): the SPARQL join with its OPTIONALs cost 70-100 us a row, 1.4 s at 14k dates.
# One query per predicate (see _triples): 88k date triples at 20k records in 0.55-0.61 s, against
# 0.73-0.94 s through one ``VALUES ?p`` query, which also returns (and converts) the predicate per row.
_DATE_PREDICATES = (
    "zg:date",
    "sem:hasEarliestBeginTimeStamp",
    "sem:hasLatestEndTimeStamp",
    "zg:dateStatus",
    "zg:dateText",
    "zg:dateReason",
    "zg:dateAgreement",
    "zg:dated",
)
_DATED_BY = _P + "SELECT DISTINCT ?d ?src WHERE { ?s zg:dated ?d . ?d dcterms:source ?src }"
# What each source says of a record: that it speaks of it, and the date it gives.
# Per source (issue 15, per-source agreement): which graph states an alias or a description, each
# quantity's graph and bounds, and whom a source reports a record through.
_SOURCE_GRAPHS = _P + "SELECT DISTINCT ?g ?src WHERE { ?g a zg:SourceGraph ; dcterms:source ?src }"
_VALUE_GRAPHS = (
    _P
    + "SELECT DISTINCT ?s ?p ?o ?g WHERE { VALUES ?p { schema:alternateName zg:describedAs } GRAPH ?g { ?s ?p ?o } }"
)
_QUANTITY_GRAPHS = (
    _P
    + """SELECT DISTINCT ?q ?g ?low ?high WHERE { GRAPH ?g { ?s zg:quantity ?q }
  OPTIONAL { ?q zg:low ?low } OPTIONAL { ?q zg:high ?high } }"""
)
_ACCORDING_TO = _P + "SELECT DISTINCT ?s ?who ?g WHERE { GRAPH ?g { ?s zg:accordingTo ?who } }"
_SOURCES_OF = (
    _P
    + """SELECT DISTINCT ?s ?source WHERE {
  ?g a zg:SourceGraph ; dcterms:source ?src . GRAPH ?g { ?s prov:wasDerivedFrom ?src }
  BIND(STRAFTER(STR(?src), "/id/source/") AS ?source) }"""
)
# The reference properties only (VALUES filled in from the model): every IRI-valued triple is ten
# times as many rows, and reading them was most of the explorer's time at 10^5 triples and above.
_LINKS = (
    _P
    + "SELECT DISTINCT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?o)) }}"
)
# The roles, as the triples ``?e sem:hasActor ?r . ?r rdf:value ?a ; sem:roleType ?role`` joined in
# Python (_roles): 0.33 s at 14k roles, against 0.47 s as one SPARQL join.
_ROLE_PREDICATES = ("sem:hasActor", "rdf:value", "sem:roleType")
_RELATIONS = (
    _P
    + """SELECT DISTINCT ?rel ?s ?p ?o WHERE {
  ?rel a zg:Relationship ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"""
)
_COORDINATES = _P + "SELECT DISTINCT ?s ?lat ?long ?g WHERE { GRAPH ?g { ?s geo:lat ?lat ; geo:long ?long } }"
_QUANTITIES = (
    _P
    + """SELECT DISTINCT ?s ?q ?value ?measure ?qualifier ?unit WHERE {
  ?s zg:quantity ?q . ?q zg:measure ?measure ; zg:qualifier ?qualifier .
  OPTIONAL { ?q rdf:value ?given } OPTIONAL { ?q zg:low ?low }
  BIND(COALESCE(?given, ?low) AS ?value)
  OPTIONAL { ?q schema:unitText ?unit } }"""
)
# The quotes, in four small joins keyed by the quote's target and joined in Python by _evidence_rows():
# as one SPARQL join they cost 2-3 s of CPU at 20k records (28k quotes) in pyoxigraph 0.5 (6.8 s with
# DISTINCT and the optional prefix and suffix), read as their 280k triples about 2.5 s, like this 1.2 s.
# The result is that of the join (see _evidence_rows). The stored prefix and suffix are read only when a
# quote is not found in its source's text (oa:prefix and oa:suffix, in _evidence_rows).
_EVIDENCE_TARGETS = _P + "SELECT ?s ?t WHERE { ?s zg:evidence ?q . ?q oa:hasTarget ?t }"
_EVIDENCE_SOURCES = _P + "SELECT ?t ?src WHERE { ?t oa:hasSource ?src }"
_EVIDENCE_EXACT = _P + "SELECT ?t ?exact WHERE { ?sel oa:exact ?exact . ?t oa:hasSelector ?sel }"
_EVIDENCE_OFFSETS = (
    _P + "SELECT ?t ?start ?end WHERE { ?pos oa:start ?start ; oa:end ?end . ?t oa:hasSelector ?pos }"
)
_EVIDENCE_SELECTORS = _P + "SELECT ?t ?exact ?sel WHERE { ?sel oa:exact ?exact . ?t oa:hasSelector ?sel }"
_SOURCES = (
    _P
    + "SELECT DISTINCT ?s ?title WHERE { ?s a <https://w3id.org/zhanaozen-graph/ontology#SourceDocument> ; rdfs:label ?title }"
)

_TEXTS = """SELECT ?source ?text WHERE {
  ?s a <https://w3id.org/zhanaozen-graph/ontology#SourceDocument> ; <https://schema.org/text> ?text .
  BIND(STRAFTER(STR(?s), "/id/source/") AS ?source) }"""

_WS = re.compile(r"\s+")
_HYPHEN_BREAK = re.compile(r"-[ \t]*\r?\n\s*")
_CONTEXT_LIMIT = 400


def _squash(text: str) -> str:
    return _WS.sub(" ", _HYPHEN_BREAK.sub("-", text))


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def new_node(node_id: str, label: str, kind: str) -> NodeView:
    """A node with its id, label and kind, and every other field empty (filled in by the view model).

    Examples
    --------
    >>> node = new_node("knb", "Committee for National Security", "Organisation")
    >>> node["label"], node["aliases"], node["date"], node["sources"]
    ('Committee for National Security', [], None, [])
    """
    return {
        "id": node_id,
        "label": label,
        "kind": kind,
        "type": None,
        "aliases": [],
        "roles": [],
        "description": None,
        "date": None,
        "stance": None,
        "quantities": [],
        "evidence": [],
        "sources": [],
    }


def visible_controls(text: str) -> str:
    """Show control and bidirectional-control characters of a quote as visible marks, ``⟦U+202E⟧``.

    A quote may hold them only where its source does (the quote must be found there); shown raw, U+202E
    would turn "evil" into "live" on the page.

    Examples
    --------
    >>> visible_controls("evil\u202e live")
    'evil⟦U+202E⟧ live'
    """
    return _CONTROLS.sub(lambda m: f"⟦U+{ord(m.group()):04X}⟧", text)


def quote_in_sentence(
    text: str, start: int, end: int, spans: Sequence[tuple[int, int]], ends: Sequence[int] | None = None
) -> tuple[str, str, str]:
    """The sentence around ``text[start:end]`` as ``(before, quote, after)``, whitespace collapsed.

    ``spans`` are the sentence offsets of ``text`` in order (:func:`zhanaozen_graph.records.evidence.sentences`),
    found by bisection (a linear scan per quote cost seconds at 28k quotes); a quote that runs over several sentences gets all of them. Context longer than 400 characters
    on either side is cut with an ellipsis. ``ends``, the spans' ends, saves working them out again
    for every quote of the same text.

    Examples
    --------
    >>> from zhanaozen_graph.records.evidence import sentences
    >>> t = "He spoke. He was arrested on\\n15 June by KNB officers. He was freed."
    >>> quote_in_sentence(t, 17, 36, sentences(t))
    ('He was ', 'arrested on 15 June', ' by KNB officers.')
    """
    first, last = start, end
    if ends is None:
        ends = [b for _, b in spans]
    for a, b in spans[bisect.bisect_right(ends, start) :]:
        if a >= end:
            break
        if b > start:
            first, last = min(first, a), max(last, b)
    before = _squash(text[first:start]).lstrip()
    after = _squash(text[end:last]).rstrip()
    if len(before) > _CONTEXT_LIMIT:
        before = "…" + before[-_CONTEXT_LIMIT:]
    if len(after) > _CONTEXT_LIMIT:
        after = after[:_CONTEXT_LIMIT] + "…"
    return before, _squash(text[start:end]).strip(), after


def _source_texts(kg: KnowledgeGraph, data_dir: Path | str | None) -> dict[str, str]:
    """The text of each source document: from the graph (``schema:text``), or from ``data_dir`` if given."""
    if data_dir is None:
        return {row["source"]: row["text"] for row in kg.select(_TEXTS)}
    from ..errors import ZhanaozenError
    from ..records.load import load_source_texts

    if not Path(data_dir).is_dir():
        return {}
    try:
        return load_source_texts(data_dir)  # the texts only: reading every record costs seconds at scale
    except ZhanaozenError:
        return {}


def _tuples(kg: KnowledgeGraph, sparql: str) -> Iterator[tuple[Any, ...]]:
    """The rows of a SELECT query as tuples of the terms' lexical values (None when unbound).

    Cheaper than :meth:`KnowledgeGraph.select` (no dict per row, no conversion by datatype), through
    ``query()``, which a local and a remote graph both have.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> arrest = "<https://w3id.org/zhanaozen-graph/id/event/atabaev-arrested>"
    >>> list(_tuples(load_graph(), _P + f"SELECT ?label WHERE {{ {arrest} rdfs:label ?label }}"))
    [('KNB officers arrest Bolat Atabaev as he is leaving his home in Almaty',)]
    """
    for row in kg.query(sparql):
        yield tuple([None if term is None else term.value for term in row])


def _triples(kg: KnowledgeGraph, predicates: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """``{predicate: {subject: [objects]}}`` for each prefixed name in ``predicates``, each object once.

    One query ``SELECT ?x ?y WHERE { ?x p ?y }`` per predicate: a ``VALUES ?p`` query over all of them
    also returns the predicate on every row, and converting it costs more than the extra queries. A
    triple in several named graphs comes once per graph in the union default graph: it is kept once.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> t = _triples(load_graph(), ("zg:dateText", "zg:dateStatus"))
    >>> arrest = "https://w3id.org/zhanaozen-graph/id/event/atabaev-arrested"
    >>> t["zg:dateText"][arrest], t["zg:dateStatus"][arrest][0].rsplit("#", 1)[1]
    (['on 15 June'], 'DateStatus-year-inferred')
    """
    out: dict[str, dict[str, list[str]]] = {}
    for p in predicates:
        by_subject: dict[str, list[str]] = defaultdict(list)
        for x, y in kg.query(f"{_P}SELECT ?x ?y WHERE {{ ?x {p} ?y }}"):
            objects = by_subject[x.value]
            value = y.value
            if value not in objects:
                objects.append(value)
        out[p] = by_subject
    return out


def _optional(values: Sequence[str] | None) -> Sequence[str | None]:
    """The values of an optional property, or one None (an unbound OPTIONAL)."""
    return values or (None,)


def _source_slug(iri: str) -> str:
    return iri.split("/id/source/", 1)[1] if "/id/source/" in iri else ""


def _dates(kg: KnowledgeGraph) -> tuple[dict[str, DateInfo], dict[str, list[SourceDate]]]:
    """Each record's date, and the dates its sources give, keyed by record IRI.

    The answers of the SPARQL joins ``?s zg:date ?edtf ; sem:hasEarliestBeginTimeStamp ?earliest ;
    sem:hasLatestEndTimeStamp ?latest ; zg:dateStatus ?st`` (``zg:dateText``, ``zg:dateReason``,
    ``zg:dateAgreement`` optional) and ``?s zg:dated ?d . ?d zg:date ?edtf ; ... ; dcterms:source ?src``,
    computed from the triples (see :data:`_DATE_PREDICATES`); ``by_source`` distinct, ordered by source.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> dates, by_source = _dates(load_graph())
    >>> arrest = "https://w3id.org/zhanaozen-graph/id/event/atabaev-arrested"
    >>> [dates[arrest][k] for k in ("edtf", "text", "status", "agreement")]
    ['2012-06-15', 'on 15 June', 'year-inferred', 'single']
    >>> by_source[arrest]  # doctest: +NORMALIZE_WHITESPACE
    [{'source': 'amnesty-ua-2012-07-atabaev-released', 'edtf': '2012-06-15', 'earliest': '2012-06-15',
      'latest': '2012-06-15'}]
    """
    t = _triples(kg, _DATE_PREDICATES)
    edtf, earliest, latest = t["zg:date"], t["sem:hasEarliestBeginTimeStamp"], t["sem:hasLatestEndTimeStamp"]
    status, text, reason, agreement = (
        t["zg:dateStatus"],
        t["zg:dateText"],
        t["zg:dateReason"],
        t["zg:dateAgreement"],
    )
    dates: dict[str, DateInfo] = {}
    for s, statuses in status.items():
        for e, lo, hi, st in product(edtf.get(s, ()), earliest.get(s, ()), latest.get(s, ()), statuses):
            for tx, why, agreed in product(
                _optional(text.get(s)), _optional(reason.get(s)), _optional(agreement.get(s))
            ):
                dates[s] = {
                    "edtf": e,
                    "text": tx,
                    "earliest": lo,
                    "latest": hi,
                    "status": st.split("DateStatus-", 1)[1] if "DateStatus-" in st else "",
                    "reason": why,
                    "agreement": agreed or "single",
                    "by_source": [],
                }
    sources: dict[str, list[str]] = defaultdict(list)
    for d, src in _tuples(kg, _DATED_BY):
        sources[d].append(_source_slug(src))
    by_source: dict[str, list[SourceDate]] = {}
    for s, dated in t["zg:dated"].items():
        found = {
            (source, e, lo, hi)
            for d in dated
            for source, e, lo, hi in product(
                sources.get(d, ()), edtf.get(d, ()), earliest.get(d, ()), latest.get(d, ())
            )
        }
        if found:
            by_source[s] = [
                {"source": src, "edtf": e, "earliest": lo, "latest": hi} for src, e, lo, hi in sorted(found)
            ]
    return dates, by_source


def _roles(kg: KnowledgeGraph) -> list[tuple[str, str, str]]:
    """``(event, actor, role)`` of every participation, each once, sorted.

    The rows of the join ``?e sem:hasActor ?r . ?r rdf:value ?a ; sem:roleType ?role``, from its
    triples (see :data:`_ROLE_PREDICATES`).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> base = "https://w3id.org/zhanaozen-graph/id/"
    >>> [(a.removeprefix(base), r.rsplit("#", 1)[1]) for e, a, r in _roles(load_graph())
    ...  if e == base + "event/atabaev-arrested"]  # doctest: +NORMALIZE_WHITESPACE
    [('group/knb-officers', 'Role-arresting_agency'), ('organisation/knb', 'Role-arresting_agency'),
     ('person/bolat-atabaev', 'Role-detainee')]
    """
    t = _triples(kg, _ROLE_PREDICATES)
    actor, role_type = t["rdf:value"], t["sem:roleType"]
    return sorted(
        {
            (e, a, role)
            for e, roles in t["sem:hasActor"].items()
            for r in roles
            for a, role in product(actor.get(r, ()), role_type.get(r, ()))
        }
    )


def _grouped(rows: Iterator[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    """The rest of each row, grouped by its first value, each once (the union of graphs repeats a row)."""
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        values = out[row[0]]
        item = row[1:]
        if item not in values:
            values.append(item)
    return out


def _evidence_rows(
    kg: KnowledgeGraph, texts: dict[str, str]
) -> dict[str, list[tuple[str, int, int, str, str | None, str | None]]]:
    """Each record's quotes as ``(source, start, end, exact, prefix, suffix)``, keyed by record IRI.

    The rows of the SPARQL join ``?s zg:evidence ?q . ?q oa:hasTarget ?t . ?t oa:hasSource ?src ;
    oa:hasSelector ?sel, ?pos . ?sel oa:exact ?exact . ?pos oa:start ?start ; oa:end ?end`` with
    ``oa:prefix`` and ``oa:suffix`` of ``?sel`` optional and ``source`` the id after ``/id/source/``
    (empty if none), distinct, ordered by source, start, then the rest as text; computed from smaller
    joins (see :data:`_EVIDENCE_TARGETS`). Prefix and suffix are read only for a quote that is not
    found at its offsets in ``texts`` (they are not shown otherwise), and are None for the others.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> kg = load_graph()
    >>> arrest = "https://w3id.org/zhanaozen-graph/id/event/atabaev-arrested"
    >>> _evidence_rows(kg, _source_texts(kg, None))[arrest]  # doctest: +NORMALIZE_WHITESPACE
    [('amnesty-ua-2012-07-atabaev-released', 2317, 2399,
      'He was arrested on 15 June by KNB officers as he was leaving his home \\n\\nin Almaty.', None, None)]
    >>> [row[4:] for row in _evidence_rows(kg, {})[arrest]]  # no text: the stored prefix and suffix
    [("of the country's Criminal Code. ", ' After his arrest he was put in ')]
    """
    targets = _grouped(_tuples(kg, _EVIDENCE_TARGETS))
    sources = _grouped(_tuples(kg, _EVIDENCE_SOURCES))
    exacts = _grouped(_tuples(kg, _EVIDENCE_EXACT))
    offsets = _grouped(_tuples(kg, _EVIDENCE_OFFSETS))
    out: dict[str, set[tuple[str, int, int, str, str | None, str | None]]] = defaultdict(set)
    missing: list[tuple[str, str, str, int, int, str]] = []  # (record, target, source, start, end, exact)
    for s, record_targets in targets.items():
        rows = out[s]
        for (t,) in record_targets:
            for (src,) in sources.get(t, ()):
                slug = _source_slug(src)
                text = texts.get(slug)
                for (ex,), (a, b) in product(exacts.get(t, ()), offsets.get(t, ())):
                    i, j = int(a), int(b)
                    if text is not None and text[i:j] == ex:
                        rows.add((slug, i, j, ex, None, None))
                    else:
                        missing.append((s, t, slug, i, j, ex))
    if missing:
        selectors = _grouped(_tuples(kg, _EVIDENCE_SELECTORS))
        affixes = _triples(kg, ("oa:prefix", "oa:suffix"))
        prefix, suffix = affixes["oa:prefix"], affixes["oa:suffix"]
        for s, t, slug, i, j, ex in missing:
            for exact, sel in selectors.get(t, ()):
                if exact == ex:
                    for pre, suf in product(_optional(prefix.get(sel)), _optional(suffix.get(sel))):
                        out[s].add((slug, i, j, ex, pre, suf))
    return {
        s: sorted(rows, key=lambda r: (r[0], r[1], str(r[2]), r[3], str(r[4]), str(r[5])))
        for s, rows in out.items()
        if rows
    }


def _attribute(
    kg: KnowledgeGraph,
    nodes: dict[str, NodeView],
    quantity_kind: dict[str, tuple[str, str | None]],
    numbers: dict[str, list[Number]],
    graph_base: str,
) -> None:
    """Add who gives each alias and description, and each number's source and agreement.

    ``numbers`` hold the quantity's IRI in ``measure`` on entry; each gets its source, measure, unit,
    the actors its source reports it through, and whether the sources' numbers of that measure and
    unit agree. Never averaged: a conflict keeps every value with its own quote.
    """
    source_of = {g: _source_slug(src) for g, src in _tuples(kg, _SOURCE_GRAPHS)}
    said: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}  # (record, prop, value) -> graphs
    for s, p, o, g in _tuples(kg, _VALUE_GRAPHS):
        if s in nodes:
            found = said.setdefault(
                (s, "alias" if p.endswith("alternateName") else "role", o), (set(), set())
            )
            (found[0] if g in source_of else found[1]).add(source_of.get(g, g))
    for (s, prop, value), (sources, others) in sorted(said.items()):
        node = nodes[s]
        key = "alias_sources" if prop == "alias" else "role_sources"
        node.setdefault(key, []).append(  # type: ignore[misc]
            {
                "value": value,
                "sources": sorted(sources),
                "register": graph_base + "register" in others,
                "external": graph_base + "external" in others,
            }
        )
    bounds: dict[str, tuple[str, float | None, float | None]] = {}  # quantity -> (source, low, high)
    for q, g, low, high in _tuples(kg, _QUANTITY_GRAPHS):
        if g in source_of:
            bounds[q] = (
                source_of[g],
                None if low is None else float(low),
                None if high is None else float(high),
            )
    through: dict[tuple[str, str], list[str]] = defaultdict(list)  # (record, source) -> actor ids
    for s, who, g in _tuples(kg, _ACCORDING_TO):
        if g in source_of and who in nodes:
            through[(s, source_of[g])].append(nodes[who]["id"])
    for record, given in numbers.items():
        groups: dict[tuple[str, str | None], list[tuple[Number, str, float | None, float | None]]] = (
            defaultdict(list)
        )
        for number in given:
            q = number["measure"]  # the quantity's IRI, until here
            measure, unit = quantity_kind[q]
            source, low, high = bounds.get(q, ("", None, None))
            number["measure"] = measure
            number["unit"] = unit
            number["source"] = source
            number["according_to"] = sorted(through.get((record, source), []))
            groups[(measure, unit)].append((number, source, low, high))
        for group in groups.values():
            # as quantity_estimates (sparql.compare): the highest lower bound above the lowest upper bound
            low = max((lo for _, _, lo, _ in group if lo is not None), default=None)
            high = min((hi for _, _, _, hi in group if hi is not None), default=None)
            if len({src for _, src, _, _ in group}) < 2:
                agreement = "single"
            else:
                agreement = "conflict" if low is not None and high is not None and low > high else "agree"
            for number, *_ in group:
                number["agreement"] = agreement


def build_view_model(
    kg: KnowledgeGraph, *, title: str = "zhanaozen-graph explorer", data_dir: Path | str | None = None
) -> ViewModel:
    """Read the nodes, edges, dates and evidence the explorer shows from the graph.

    Nodes are the records of every kind but relationships and sources; a relationship becomes an
    edge carrying its evidence, and each participation an edge labelled with the role. Quotes are
    shown inside their sentence, cut from the source text the graph holds (``schema:text`` of each
    source, so a remote graph shows the same), or from ``data_dir`` if given; without a text, the
    quote's stored prefix and suffix stand in.

    Parameters
    ----------
    kg
        The graph, from :func:`~zhanaozen_graph.graph.build.load_graph`.
    title
        The page title.
    data_dir
        Read the source texts from this data directory instead of the graph.

    Returns
    -------
    ViewModel
        JSON-ready nodes and edges (no layout yet: see :func:`~zhanaozen_graph.explorer.layout`).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> vm = build_view_model(load_graph())
    >>> knb = next(n for n in vm["nodes"] if n["id"] == "knb")
    >>> knb["kind"], knb["label"], "KNB" in knb["aliases"]
    ('Organisation', 'Committee for National Security', True)
    >>> arrest = next(n for n in vm["nodes"] if n["id"] == "atabaev-arrested")
    >>> arrest["date"]["text"], arrest["date"]["earliest"], arrest["date"]["status"]
    ('on 15 June', '2012-06-15', 'year-inferred')
    """
    with gc_paused():
        return _build_view_model(kg, title, data_dir)


def _build_view_model(kg: KnowledgeGraph, title: str, data_dir: Path | str | None) -> ViewModel:
    from ..records.evidence import sentences
    from ..records.model import get_model

    model = get_model()
    id_base = model.base + "id/"
    graph_base = model.base + "graph/"
    zg = model.prefixes["zg"]
    kind_by_path = {k.path: k.name for k in model.kinds.values()}
    shown = {k["key"] for k in KINDS}

    def parse(iri: str) -> tuple[str, str] | None:
        """(kind, slug) of a record IRI, or None for anything else (quotes, roles, quantities)."""
        if not iri.startswith(id_base):
            return None
        parts = iri[len(id_base) :].split("/")
        if len(parts) != 2 or parts[0] not in kind_by_path:
            return None
        return kind_by_path[parts[0]], parts[1]

    def term_label(iri: str) -> str:
        local = iri[len(zg) :] if iri.startswith(zg) else iri.rsplit("/", 1)[-1]
        prefix, _, key = local.partition("-")
        for vocab in model.vocabularies.values():
            if vocab.prefix == prefix and key in vocab.terms:
                return vocab.terms[key].label
        return key or local

    nodes: dict[str, NodeView] = {}
    for iri, label in _tuples(kg, _LABELS):
        parsed = parse(iri)
        if parsed is None or parsed[0] not in shown:
            continue
        kind, slug = parsed
        nodes[iri] = new_node(slug, label, kind)
    for s, p, o in _tuples(kg, _VALUES):
        node = nodes.get(s)
        if node is None:
            continue
        prop = p.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if prop == "alternateName":
            node["aliases"].append(o)
        elif prop == "describedAs":
            node["roles"].append(o)
        else:
            node["description"] = o
    for s, p, o in _tuples(kg, _TERMS):
        node = nodes.get(s)
        if node is None:
            continue
        if p.endswith("stance"):
            node["stance"] = o.rsplit("Stance-", 1)[-1]
        node["type"] = term_label(o)
    dates, by_source = _dates(kg)
    for iri, date in dates.items():
        node = nodes.get(iri)
        if node is not None:
            node["date"] = date
            date["by_source"] = by_source.get(iri, [])
    for s, source in _tuples(kg, _SOURCES_OF):
        node = nodes.get(s)
        if node is not None:
            node["sources"].append(source)
    for node in nodes.values():
        node["sources"].sort()
    quantity_of: dict[str, tuple[str, str]] = {}  # quantity IRI -> (record IRI, its text)
    quantity_kind: dict[str, tuple[str, str | None]] = {}  # quantity IRI -> (measure, unit)
    for row in kg.select(_QUANTITIES):
        node = nodes.get(row["s"])
        if node is not None:
            qualifier = row["qualifier"].rsplit("Qualifier-", 1)[-1]
            words = {"exactly": "", "vague": "at least (vague) "}.get(
                qualifier, term_label(row["qualifier"]) + " "
            )
            unit = f" {row['unit']}" if row["unit"] else ""
            number = f"{row['measure']}: {words}{row['value']}{unit}"
            node["quantities"].append(number)
            quantity_of[row["q"]] = (row["s"], number)
            quantity_kind[row["q"]] = (row["measure"], row["unit"] or None)
    for row in kg.select(_COORDINATES):
        node = nodes.get(row["s"])
        if node is not None:
            node["coordinates"] = {
                "lat": float(row["lat"]),
                "long": float(row["long"]),
                "external": row["g"] == graph_base + "external",
            }

    texts = _source_texts(kg, data_dir)
    spans: dict[str, tuple[list[tuple[int, int]], list[int]]] = {}  # each text's sentences and their ends
    evidence: dict[str, list[tuple[str, int, Evidence]]] = defaultdict(list)
    for iri, quotes in _evidence_rows(kg, texts).items():
        items = evidence[iri]
        for source, start, end, exact, prefix, suffix in quotes:
            text = texts.get(source)
            if text is not None and text[start:end] == exact:
                if source not in spans:  # found when the text is first quoted
                    split = sentences(text)
                    spans[source] = split, [b for _, b in split]
                before, quote, after = quote_in_sentence(text, start, end, *spans[source])
            else:
                before = "…" + _squash(prefix or "").lstrip()
                quote = _squash(exact).strip()
                after = _squash(suffix or "").rstrip() + "…"
            item: Evidence = {
                "source": source,
                "before": visible_controls(before),
                "quote": visible_controls(quote),
                "after": visible_controls(after),
            }
            items.append((source, start, item))
    for iri, items in evidence.items():
        if iri in nodes:
            nodes[iri]["evidence"] = [e for _, _, e in sorted(items, key=lambda x: (x[0], x[1]))]
    # Each number beside its own quote (a quantity's evidence is its own, not the record's).
    numbers: dict[str, list[Number]] = defaultdict(list)
    for q_iri, (record, number) in quantity_of.items():
        items = sorted(evidence.get(q_iri, []), key=lambda x: (x[0], x[1]))
        numbers[record].append({"text": number, "evidence": [e for _, _, e in items], "measure": q_iri})
    for iri, found in numbers.items():
        nodes[iri]["numbers"] = sorted(found, key=lambda n: n["text"])
    _attribute(kg, nodes, quantity_kind, numbers, graph_base)

    # Edges: every reference property of the model between two shown records, named after the property.
    names: dict[str, str] = {}
    for spec in model.kinds.values():
        for prop in spec.properties.values():
            if prop.base_type == "ref" and prop.rdf:
                # contained_in and contained_in_external share a predicate; the graph tells them apart.
                names[model.expand(prop.rdf)] = prop.name.removesuffix("_external").replace("_", " ")
    names[model.expand("prov:wasAttributedTo")] = "claimed by"
    edges: list[EdgeView] = []
    seen: set[tuple[str, str, str]] = set()
    links = _LINKS.format(predicates=" ".join(f"<{iri}>" for iri in sorted(names)))
    for s, p, o, g in _tuples(kg, links):
        label = names.get(p)
        if label is None or s not in nodes or o not in nodes:
            continue
        key = (s, label, o)
        if key in seen:
            continue
        seen.add(key)
        edges.append(
            {
                "from": nodes[s]["id"],
                "to": nodes[o]["id"],
                "label": label,
                "kind": "reference",
                "external": g == graph_base + "external",
                "evidence": [],
            }
        )
    for e, a, role in _roles(kg):
        if e in nodes and a in nodes:
            edges.append(
                {
                    "from": nodes[e]["id"],
                    "to": nodes[a]["id"],
                    "label": term_label(role),
                    "kind": "participant",
                    "external": False,
                    "evidence": [],
                }
            )
    for row in kg.select(_RELATIONS):
        if row["s"] in nodes and row["o"] in nodes:
            edges.append(
                {
                    "from": nodes[row["s"]]["id"],
                    "to": nodes[row["o"]]["id"],
                    "label": term_label(row["p"]),
                    "kind": "relationship",
                    "external": False,
                    "evidence": [
                        e for _, _, e in sorted(evidence.get(row["rel"], []), key=lambda x: (x[0], x[1]))
                    ],
                }
            )
    # A relationship record also states its link directly (member_of): keep the one with evidence.
    documented = {(e["from"], e["label"], e["to"]) for e in edges if e["kind"] == "relationship"}
    edges = [
        e for e in edges if e["kind"] == "relationship" or (e["from"], e["label"], e["to"]) not in documented
    ]
    edges.sort(key=lambda e: (e["from"], e["to"], e["label"], e["kind"]))
    for node in nodes.values():
        node["aliases"].sort()
        node["roles"].sort()
        node["quantities"].sort()
    # in id order: a SPARQL answer without ORDER BY comes in the engine's order, which servers differ in
    sources = dict(sorted((row["s"].rsplit("/", 1)[-1], row["title"]) for row in kg.select(_SOURCES)))
    vocab = model.vocabularies["stances"].terms
    stances: list[KindStyle] = [
        {"key": key, "label": vocab[key].label, "color": STANCE_COLOURS.get(key, "#b07aa1"), "shape": "star"}
        for key in vocab
    ]
    return {
        "title": title,
        "kinds": [dict(k) for k in KINDS],  # type: ignore[misc]
        "stances": stances,
        "statuses": dict(STATUSES),
        "sources": sources,
        "nodes": sorted(nodes.values(), key=lambda n: (n["kind"], n["id"])),
        "edges": edges,
    }
