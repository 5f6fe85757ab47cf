"""The explorer's view model: the nodes, edges, dates and quotes the page shows, read from the graph.

The renderer takes this plain, JSON-ready structure, not RDF, so that it can also draw a synthetic
graph (the benchmark) and so that the page holds only what it shows.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from ..graph.build import KnowledgeGraph
from ..records.model import sparql_prefixes

__all__ = [
    "KINDS",
    "STANCE_COLOURS",
    "STATUSES",
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
    """A number the text gives (``"killed: at least 15 people"``) with the quote that states it."""

    text: str
    evidence: list[Evidence]


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
_DATES = (
    _P
    + """SELECT DISTINCT ?s ?edtf ?text ?earliest ?latest ?status ?reason ?agreement WHERE {
  ?s zg:date ?edtf ; sem:hasEarliestBeginTimeStamp ?earliest ; sem:hasLatestEndTimeStamp ?latest ;
     zg:dateStatus ?st .
  BIND(STRAFTER(STR(?st), "DateStatus-") AS ?status)
  OPTIONAL { ?s zg:dateText ?text } OPTIONAL { ?s zg:dateReason ?reason }
  OPTIONAL { ?s zg:dateAgreement ?agreement } }"""
)
# What each source says of a record: that it speaks of it, and the date it gives.
_SOURCES_OF = (
    _P
    + """SELECT DISTINCT ?s ?source WHERE {
  ?g a zg:SourceGraph ; dcterms:source ?src . GRAPH ?g { ?s prov:wasDerivedFrom ?src }
  BIND(STRAFTER(STR(?src), "/id/source/") AS ?source) }"""
)
_SOURCE_DATES = (
    _P
    + """SELECT DISTINCT ?s ?source ?edtf ?earliest ?latest WHERE {
  ?s zg:dated ?d . ?d zg:date ?edtf ; sem:hasEarliestBeginTimeStamp ?earliest ;
     sem:hasLatestEndTimeStamp ?latest ; dcterms:source ?src .
  BIND(STRAFTER(STR(?src), "/id/source/") AS ?source) }"""
)
# The reference properties only (VALUES filled in from the model): every IRI-valued triple is ten
# times as many rows, and reading them was most of the explorer's time at 10^5 triples and above.
_LINKS = (
    _P
    + "SELECT DISTINCT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?o)) }}"
)
_ROLES = (
    _P + "SELECT DISTINCT ?e ?a ?role WHERE { ?e sem:hasActor ?r . ?r rdf:value ?a ; sem:roleType ?role }"
)
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
# The triples of the quotes (record -> quote -> target -> source and selectors), joined in Python by
# _evidence_rows(): as one SPARQL join it cost 6.8 s of CPU at 20k records (28k quotes), read as
# triples about 1 s. The result is that of the join (see _evidence_rows).
_EVIDENCE_PREDICATES = (
    "zg:evidence",
    "oa:hasTarget",
    "oa:hasSource",
    "oa:hasSelector",
    "oa:exact",
    "oa:start",
    "oa:end",
    "oa:prefix",
    "oa:suffix",
)
_EVIDENCE = _P + "SELECT ?x ?p ?y WHERE {{ VALUES ?p {{ {} }} ?x ?p ?y }}".format(
    " ".join(_EVIDENCE_PREDICATES)
)
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
    text: str, start: int, end: int, spans: Sequence[tuple[int, int]]
) -> tuple[str, str, str]:
    """The sentence around ``text[start:end]`` as ``(before, quote, after)``, whitespace collapsed.

    ``spans`` are the sentence offsets of ``text`` in order (:func:`zhanaozen_graph.records.evidence.sentences`),
    found by bisection (a linear scan per quote cost seconds at 28k quotes); a quote that runs over several sentences gets all of them. Context longer than 400 characters
    on either side is cut with an ellipsis.

    Examples
    --------
    >>> from zhanaozen_graph.records.evidence import sentences
    >>> t = "He spoke. He was arrested on\\n15 June by KNB officers. He was freed."
    >>> quote_in_sentence(t, 17, 36, sentences(t))
    ('He was ', 'arrested on 15 June', ' by KNB officers.')
    """
    first, last = start, end
    for a, b in spans[bisect.bisect_right(spans, start, key=lambda span: span[1]) :]:
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


def _evidence_rows(kg: KnowledgeGraph, expand: Callable[[str], str]) -> list[dict[str, Any]]:
    """Each quote of a record: ``s``, ``source``, ``start``, ``end``, ``exact``, ``prefix``, ``suffix``.

    The rows of the SPARQL join ``?s zg:evidence ?q . ?q oa:hasTarget ?t . ?t oa:hasSource ?src ;
    oa:hasSelector ?sel, ?pos . ?sel oa:exact ?exact . ?pos oa:start ?start ; oa:end ?end`` with
    ``oa:prefix`` and ``oa:suffix`` of ``?sel`` optional and ``source`` the id after ``/id/source/``
    (empty if none), distinct, ordered; computed from the triples (see :data:`_EVIDENCE`).
    """
    objects: dict[str, dict[str, list[Any]]] = {expand(p): defaultdict(list) for p in _EVIDENCE_PREDICATES}
    for row in kg.select(_EVIDENCE):
        objects[row["p"]][row["x"]].append(row["y"])
    (evidence, target, source, selector, exact, start, end, prefix, suffix) = (
        objects[expand(p)] for p in _EVIDENCE_PREDICATES
    )
    out: set[tuple[Any, ...]] = set()
    for s, quotes in evidence.items():
        for q in quotes:
            for t in target.get(q, ()):
                sels = selector.get(t, ())
                for src in source.get(t, ()):
                    slug = src.split("/id/source/", 1)[1] if "/id/source/" in src else ""
                    for sel in sels:
                        for ex in exact.get(sel, ()):
                            for pos in sels:
                                for a in start.get(pos, ()):
                                    for b in end.get(pos, ()):
                                        for pre in prefix.get(sel) or [None]:
                                            for suf in suffix.get(sel) or [None]:
                                                out.add((s, slug, a, b, ex, pre, suf))
    names = ("s", "source", "start", "end", "exact", "prefix", "suffix")
    return [dict(zip(names, row, strict=True)) for row in sorted(out, key=lambda r: tuple(map(str, r)))]


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
    for row in kg.select(_LABELS):
        parsed = parse(row["s"])
        if parsed is None or parsed[0] not in shown:
            continue
        kind, slug = parsed
        nodes[row["s"]] = {
            "id": slug,
            "label": row["label"],
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
    for row in kg.select(_VALUES):
        node = nodes.get(row["s"])
        if node is None:
            continue
        prop = row["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if prop == "alternateName":
            node["aliases"].append(row["o"])
        elif prop == "describedAs":
            node["roles"].append(row["o"])
        else:
            node["description"] = row["o"]
    for row in kg.select(_TERMS):
        node = nodes.get(row["s"])
        if node is None:
            continue
        if row["p"].endswith("stance"):
            node["stance"] = row["o"].rsplit("Stance-", 1)[-1]
        node["type"] = term_label(row["o"])
    for row in kg.select(_DATES):
        node = nodes.get(row["s"])
        if node is not None:
            node["date"] = {
                "edtf": row["edtf"],
                "text": row["text"],
                "earliest": row["earliest"],
                "latest": row["latest"],
                "status": row["status"],
                "reason": row["reason"],
                "agreement": row["agreement"] or "single",
                "by_source": [],
            }
    for row in kg.select(_SOURCE_DATES):
        node = nodes.get(row["s"])
        if node is not None and node["date"] is not None:
            node["date"]["by_source"].append(
                {
                    "source": row["source"],
                    "edtf": row["edtf"],
                    "earliest": row["earliest"],
                    "latest": row["latest"],
                }
            )
    for row in kg.select(_SOURCES_OF):
        node = nodes.get(row["s"])
        if node is not None:
            node["sources"].append(row["source"])
    for node in nodes.values():
        node["sources"].sort()
        if node["date"] is not None:
            node["date"]["by_source"].sort(key=lambda d: d["source"])
    quantity_of: dict[str, tuple[str, str]] = {}  # quantity IRI -> (record IRI, its text)
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
    for row in kg.select(_COORDINATES):
        node = nodes.get(row["s"])
        if node is not None:
            node["coordinates"] = {
                "lat": float(row["lat"]),
                "long": float(row["long"]),
                "external": row["g"] == graph_base + "external",
            }

    texts = _source_texts(kg, data_dir)
    spans = {slug: sentences(text) for slug, text in texts.items()}
    evidence: dict[str, list[tuple[str, int, Evidence]]] = defaultdict(list)
    for row in _evidence_rows(kg, model.expand):
        source, start, end = row["source"], int(row["start"]), int(row["end"])
        text = texts.get(source)
        if text is not None and text[start:end] == row["exact"]:
            before, quote, after = quote_in_sentence(text, start, end, spans[source])
        else:
            before = "…" + _squash(row["prefix"] or "").lstrip()
            quote = _squash(row["exact"]).strip()
            after = _squash(row["suffix"] or "").rstrip() + "…"
        item: Evidence = {
            "source": source,
            "before": visible_controls(before),
            "quote": visible_controls(quote),
            "after": visible_controls(after),
        }
        evidence[row["s"]].append((source, start, item))
    for iri, items in evidence.items():
        if iri in nodes:
            nodes[iri]["evidence"] = [e for _, _, e in sorted(items, key=lambda x: (x[0], x[1]))]
    # Each number beside its own quote (a quantity's evidence is its own, not the record's).
    numbers: dict[str, list[Number]] = defaultdict(list)
    for q_iri, (record, number) in quantity_of.items():
        items = sorted(evidence.get(q_iri, []), key=lambda x: (x[0], x[1]))
        numbers[record].append({"text": number, "evidence": [e for _, _, e in items]})
    for iri, found in numbers.items():
        nodes[iri]["numbers"] = sorted(found, key=lambda n: n["text"])

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
    for row in kg.select(links):
        label = names.get(row["p"])
        if label is None or row["s"] not in nodes or row["o"] not in nodes:
            continue
        key = (row["s"], label, row["o"])
        if key in seen:
            continue
        seen.add(key)
        edges.append(
            {
                "from": nodes[row["s"]]["id"],
                "to": nodes[row["o"]]["id"],
                "label": label,
                "kind": "reference",
                "external": row["g"] == graph_base + "external",
                "evidence": [],
            }
        )
    for row in kg.select(_ROLES):
        if row["e"] in nodes and row["a"] in nodes:
            edges.append(
                {
                    "from": nodes[row["e"]]["id"],
                    "to": nodes[row["a"]]["id"],
                    "label": term_label(row["role"]),
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
