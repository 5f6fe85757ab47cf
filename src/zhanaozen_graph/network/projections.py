"""Project the knowledge graph onto NetworkX graphs, from SPARQL queries over the store.

Five projections, each built from a handful of SELECT queries (never by converting every triple):

* :func:`full_graph` -- the typed multigraph of entities, events and (optionally) claims, edges labelled
  with the record property they come from (``places``, ``part_of``, ``member_of``, ``about``...), the
  role of a participant, or the relation of a documented relationship (``friend_of``...);
* :func:`actor_event_graph` -- the bipartite graph of actors and the events they take part in;
* :func:`coparticipation_graph` -- actors linked by the events they share, weighted by their number;
* :func:`place_tree` -- places and what contains them;
* :func:`precedence_graph` -- events ordered by their date bounds, transitively reduced, plus the explicit
  ``follows`` links of the records.

Which properties become edges is read from the model (``kinds.yaml``: every ``ref:`` property with an
``rdf`` predicate), not listed here. Node ids are the record ids (``bolat-atabaev``); nodes carry
``type`` (the record kind), ``label``, ``aliases`` (names the documents use; ``aliases_external`` for
names known from outside them) and, for events and claims, their date bounds
``earliest``/``latest`` (ISO dates) with ``date`` (EDTF) and ``date_status``.

Every projection takes the same time-slice arguments: ``as_of`` (the network as it stood at a date:
events that may have begun by then), ``window`` (events whose bounds overlap a ``(start, end)`` pair) and
``certain`` (only events whose bounds lie wholly inside the slice).
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import NameLookupError, QueryError
from ..graph.build import KnowledgeGraph
from ..records.model import Model, get_model, sparql_prefixes

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "EXPORT_FORMATS",
    "NETWORKS",
    "DateLike",
    "TimeSlice",
    "actor_event_graph",
    "coparticipation_graph",
    "edge_relations",
    "evidence_quotes",
    "export_network",
    "for_export",
    "full_graph",
    "place_tree",
    "precedence_graph",
    "project",
    "resolve_name",
    "time_slice",
]

DateLike = dt.date | str
"""A date given as :class:`datetime.date` or an ISO string ``YYYY-MM-DD``."""

_DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2011-12-16"


# -- time slices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeSlice:
    """Which dated records a projection keeps: those whose bounds overlap ``[start, end]``.

    An open ``start`` or ``end`` is unbounded. With ``certain``, a record is kept only when its bounds lie
    wholly inside the slice (it certainly happened within it); otherwise when they overlap it (it may have).
    Undated records (claims with no date and no ``made_during`` event) are left out of every bounded slice.
    """

    start: str | None = None
    end: str | None = None
    certain: bool = False

    @property
    def bounded(self) -> bool:
        """Whether the slice leaves anything out."""
        return self.start is not None or self.end is not None

    def keeps(self, earliest: str | None, latest: str | None) -> bool:
        """Whether a record with these bounds (ISO dates) belongs to the slice.

        Examples
        --------
        >>> s = time_slice(as_of="2011-12-15")
        >>> s.keeps("2011-12-16", "2011-12-16"), s.keeps("2011-05-01", "2012-07-31")
        (False, True)
        >>> time_slice(as_of="2011-12-15", certain=True).keeps("2011-05-01", "2012-07-31")
        False
        """
        if not self.bounded:
            return True
        if earliest is None or latest is None:
            return False
        lo, hi = self.start, self.end
        if self.certain:
            return (lo is None or earliest >= lo) and (hi is None or latest <= hi)
        return (hi is None or earliest <= hi) and (lo is None or latest >= lo)

    def describe(self) -> str:
        """The slice in words, for messages.

        Examples
        --------
        >>> time_slice(as_of="2011-12-15").describe()
        'as of 2011-12-15'
        """
        if self.start is None and self.end is not None:
            return f"as of {self.end}"
        if self.start is not None and self.end is None:
            return f"from {self.start}"
        if self.bounded:
            return f"from {self.start} to {self.end}"
        return "over the whole timeline"


def _iso(value: DateLike | None, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise QueryError(f"invalid {what} date {value!r}", hint=_DATE_HINT)
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise QueryError(f"invalid {what} date {value!r}: no such day", hint=_DATE_HINT) from None


def time_slice(
    as_of: DateLike | None = None,
    window: tuple[DateLike | None, DateLike | None] | None = None,
    certain: bool = False,
) -> TimeSlice:
    """Check and build a :class:`TimeSlice`.

    Parameters
    ----------
    as_of
        The network as it stood at this date: records that may have begun by then (or, with
        ``certain``, that had certainly ended by then).
    window
        ``(start, end)``: records whose bounds overlap it (either end may be ``None``).
    certain
        Keep only records whose bounds lie wholly inside the slice.

    Raises
    ------
    QueryError
        A date is not ``YYYY-MM-DD``, the window ends before it starts, or both ``as_of`` and ``window``
        are given.

    Examples
    --------
    >>> time_slice(window=("2011-12-16", "2011-12-31"))
    TimeSlice(start='2011-12-16', end='2011-12-31', certain=False)
    >>> time_slice(as_of="16 December 2011")
    Traceback (most recent call last):
    ...
    zhanaozen_graph.errors.QueryError: invalid as-of date '16 December 2011'; write dates as YYYY-MM-DD, e.g. 2011-12-16
    """
    if as_of is not None and window is not None:
        raise QueryError("give either an as-of date or a window, not both", hint="--as-of D is --to D")
    if window is not None:
        start, end = _iso(window[0], "start"), _iso(window[1], "end")
        if start is not None and end is not None and end < start:
            raise QueryError(f"the window ends ({end}) before it starts ({start})", hint=_DATE_HINT)
        return TimeSlice(start, end, certain)
    return TimeSlice(None, _iso(as_of, "as-of"), certain)


# -- rows fetched once per graph ---------------------------------------------------------------------

_PREFIXES = sparql_prefixes()

# $VALUES is replaced by a list of IRIs read from the model (classes, predicates).
_NODES = (
    _PREFIXES
    + "SELECT DISTINCT ?node ?class ?label WHERE { VALUES ?class { $VALUES } ?node a ?class ; rdfs:label ?label }"
)
_CATEGORIES = _PREFIXES + "SELECT DISTINCT ?node ?p ?v WHERE { VALUES ?p { $VALUES } ?node ?p ?v }"
_REFS = _PREFIXES + "SELECT DISTINCT ?s ?p ?o ?g WHERE { VALUES ?p { $VALUES } GRAPH ?g { ?s ?p ?o } }"
_ALIASES = (
    _PREFIXES + "SELECT DISTINCT ?node ?alias ?g WHERE { GRAPH ?g { ?node schema:alternateName ?alias } }"
)
_DATES = (
    _PREFIXES
    + """SELECT DISTINCT ?node ?earliest ?latest ?date ?st WHERE {
  ?node sem:hasEarliestBeginTimeStamp ?earliest ; sem:hasLatestEndTimeStamp ?latest .
  OPTIONAL { ?node zg:date ?date } OPTIONAL { ?node zg:dateStatus ?st }
}"""
)
_PARTICIPANTS = (
    _PREFIXES
    + """SELECT DISTINCT ?event ?actor ?rt WHERE {
  ?event sem:hasActor ?r . ?r rdf:value ?actor ; sem:roleType ?rt .
}"""
)
_RELATIONSHIPS = (
    _PREFIXES
    + """SELECT DISTINCT ?rel ?s ?p ?o WHERE {
  ?rel a zg:Relationship ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
}"""
)
_COORDINATES = _PREFIXES + "SELECT DISTINCT ?node ?lat ?long WHERE { ?node geo:lat ?lat ; geo:long ?long }"
_QUOTES = (
    _PREFIXES
    + """SELECT DISTINCT ?node ?quote ?start ?source WHERE {
  VALUES ?node { $VALUES }
  ?node zg:evidence ?q . ?q oa:hasTarget ?t . ?t oa:hasSource ?s ; oa:hasSelector ?sel, ?pos .
  ?sel oa:exact ?quote . ?pos oa:start ?start .
  BIND(STRAFTER(STR(?s), "/id/source/") AS ?source)
}"""
)


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


@dataclass(frozen=True)
class EdgeRelation:
    """A record property that becomes an edge: ``predicate`` (IRI) links ``kind`` to a ``ref:`` target."""

    name: str
    kind: str
    predicate: str
    external: bool


def edge_relations(model: Model | None = None) -> list[EdgeRelation]:
    """The record properties that become edges, read from the model (``ref:`` types with an ``rdf`` predicate).

    Relationship records are edges of their own (subject, relation, object) and participants are edges
    with a role; neither is listed here.

    Examples
    --------
    >>> sorted({r.name for r in edge_relations()})[:6]
    ['about', 'according_to', 'based_in', 'claimed_by', 'contained_in', 'contained_in_external']
    """
    m = model or get_model()
    out: list[EdgeRelation] = []
    for kind in m.kinds.values():
        if kind.name == "Relationship":
            continue
        for prop in kind.properties.values():
            if prop.base_type == "ref" and prop.rdf:
                out.append(EdgeRelation(prop.name, kind.name, m.expand(prop.rdf), prop.external))
    return out


@dataclass
class _Rows:
    """What the projections need, fetched from the store once per :class:`KnowledgeGraph`."""

    nodes: dict[str, dict[str, Any]]
    participations: list[tuple[str, str, str]]  # (event, actor, role)
    edges: list[tuple[str, str, str, bool]]  # (source, target, relation, external)
    relationships: list[tuple[str, str, str, str]]  # (record, subject, relation, object)
    actor_kinds: tuple[str, ...]
    coordinates: dict[str, tuple[float, float]] = field(default_factory=dict)

    def of_type(self, *kinds: str) -> list[str]:
        return sorted(n for n, a in self.nodes.items() if a["type"] in kinds)


_CACHE: weakref.WeakKeyDictionary[KnowledgeGraph, _Rows] = weakref.WeakKeyDictionary()


def _rows(kg: KnowledgeGraph) -> _Rows:
    cached = _CACHE.get(kg)
    if cached is None:
        cached = _CACHE[kg] = _fetch(kg, get_model())
    return cached


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _in_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows sorted by all their values: SPARQL gives no order without ORDER BY, and engines differ.

    Where a later row overwrites an earlier one, or the order of the rows becomes the order of the
    attributes written, this keeps the output the same on every store (local, Oxigraph, Virtuoso).
    """
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r.values()))


def _fetch(kg: KnowledgeGraph, m: Model) -> _Rows:
    kinds = {m.expand(k.classes[0]): k.name for k in m.kinds.values() if k.name != "Relationship"}
    nodes: dict[str, dict[str, Any]] = {}
    for row in _in_order(kg.select(_NODES.replace("$VALUES", _values(kinds)))):
        nodes[_slug(row["node"])] = {
            "type": kinds[row["class"]],
            "label": row["label"],
            "aliases": [],
            "aliases_external": [],
            "iri": row["node"],
        }
    external_graph = m.graph_iri("external")
    for row in kg.select(_ALIASES):
        node = nodes.get(_slug(row["node"]))
        if node is not None:
            node["aliases_external" if row["g"] == external_graph else "aliases"].append(row["alias"])
    for node in nodes.values():
        node["aliases"] = sorted(set(node["aliases"]))
        node["aliases_external"] = sorted(set(node["aliases_external"]) - set(node["aliases"]))
    # Categories: the enum properties with a predicate (event type, stance, place type).
    categories: dict[str, tuple[str, str]] = {}
    for kind in m.kinds.values():
        for prop in kind.properties.values():
            if prop.base_type == "enum" and prop.rdf and prop.argument:
                attr = prop.argument[:-1] if prop.argument.endswith("s") else prop.argument
                categories[m.expand(prop.rdf)] = (attr, m.term_iri(prop.argument, ""))
    if categories:
        for row in _in_order(kg.select(_CATEGORIES.replace("$VALUES", _values(categories)))):
            node = nodes.get(_slug(row["node"]))
            if node is not None:
                attr, prefix = categories[row["p"]]
                node[attr] = row["v"].removeprefix(prefix)
    status_prefix = m.prefixes["zg"] + "DateStatus-"
    for row in _in_order(kg.select(_DATES)):
        node = nodes.get(_slug(row["node"]))
        if node is not None:
            node["earliest"], node["latest"] = row["earliest"], row["latest"]
            node["date"] = row["date"]
            node["date_status"] = (row["st"] or "").removeprefix(status_prefix) or None
    role_prefix = m.term_iri("roles", "")
    participations = sorted(
        {
            (_slug(r["event"]), _slug(r["actor"]), r["rt"].removeprefix(role_prefix))
            for r in kg.select(_PARTICIPANTS)
        }
    )
    relations = edge_relations(m)
    names = {(r.predicate, r.external): r.name for r in relations}
    edges: set[tuple[str, str, str, bool]] = set()
    for row in kg.select(_REFS.replace("$VALUES", _values({r.predicate for r in relations}))):
        external = row["g"] == external_graph
        name = names.get((row["p"], external)) or names.get((row["p"], not external))
        s, o = _slug(row["s"]), _slug(row["o"])
        if name and s in nodes and o in nodes:
            edges.add((s, o, name, external))
    relation_prefix = m.term_iri("relations", "")
    relationships = sorted(
        (_slug(r["rel"]), _slug(r["s"]), r["p"].removeprefix(relation_prefix), _slug(r["o"]))
        for r in kg.select(_RELATIONSHIPS)
    )
    # A claim with no date of its own takes the bounds of the event it was made during.
    for s, o, name, _ext in sorted(edges):
        if name == "made_during" and "earliest" not in nodes[s] and "earliest" in nodes[o]:
            for key in ("earliest", "latest", "date", "date_status"):
                nodes[s][key] = nodes[o][key]
            nodes[s]["date_from"] = o
    coordinates = {
        _slug(r["node"]): (float(r["lat"]), float(r["long"])) for r in _in_order(kg.select(_COORDINATES))
    }
    return _Rows(
        nodes=nodes,
        participations=participations,
        edges=sorted(edges),
        relationships=relationships,
        actor_kinds=m.kinds_matching("Actor"),
        coordinates=coordinates,
    )


def _node_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in attrs.items() if k not in ("iri", "aliases_external") and v is not None}
    out["aliases"] = list(attrs["aliases"])
    if attrs["aliases_external"]:
        out["aliases_external"] = list(attrs["aliases_external"])
    return out


def _dated_in(rows: _Rows, when: TimeSlice, kinds: tuple[str, ...]) -> set[str]:
    return {
        n
        for n, a in rows.nodes.items()
        if a["type"] in kinds and when.keeps(a.get("earliest"), a.get("latest"))
    }


def _claim_links(rows: _Rows, claims: set[str]) -> dict[str, list[tuple[str, str]]]:
    """The actors linked to each claim: (actor, 'claimant') and (actor, 'about')."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    actor_kinds = set(rows.actor_kinds)
    for s, o, name, _ext in rows.edges:
        if s in claims and rows.nodes[o]["type"] in actor_kinds:
            if name == "claimed_by":
                out[s].append((o, "claimant"))
            elif name == "about":
                out[s].append((o, "about"))
    return out


def _seen(rows: _Rows, records: Iterable[str]) -> tuple[str | None, str | None]:
    bounds = [
        (rows.nodes[r]["earliest"], rows.nodes[r]["latest"]) for r in records if "earliest" in rows.nodes[r]
    ]
    if not bounds:
        return None, None
    return min(b[0] for b in bounds), max(b[1] for b in bounds)


# -- projections ------------------------------------------------------------------------------------


def full_graph(
    kg: KnowledgeGraph,
    include_allegations: bool = True,
    *,
    as_of: DateLike | None = None,
    window: tuple[DateLike | None, DateLike | None] | None = None,
    certain: bool = False,
) -> nx.MultiDiGraph:
    """The typed multigraph of entities, events and (optionally) claims.

    Edges point from the record that holds the property to its value: event -> actor (``relation``
    ``participants``, with its ``role``), event -> place (``places``), event -> event (``part_of``,
    ``follows``), actor -> organisation (``member_of``), place -> place (``contained_in``; knowledge from
    outside the documents has ``external=True``), claim -> actor (``claimed_by``), claim -> anything
    (``about``); a relationship record gives subject -> object with its ``relation`` (``friend_of``) and
    ``record`` id. Each edge's ``label`` is its role or relation; its key is the same.

    Parameters
    ----------
    kg
        The graph, from :func:`~zhanaozen_graph.graph.build.load_graph`.
    include_allegations
        Include the claims (allegations, denials, official positions, assessments, testimony).
    as_of, window, certain
        A time slice (see :func:`time_slice`): events and claims outside it are left out, and so are
        entities no remaining event or claim links to.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> G = full_graph(load_graph())
    >>> G.nodes["knb"]["type"], G.nodes["knb"]["aliases"]
    ('Organisation', ['KNB', 'Komitet Nationalnoi Bezopasnosti'])
    >>> G.has_edge("atabaev-arrested", "bolat-atabaev", key="detainee")
    True
    >>> "eyewitnesses-police-fired-into-crowd" in full_graph(load_graph(), include_allegations=False)
    False
    """
    import networkx as nx

    when = time_slice(as_of, window, certain)
    rows = _rows(kg)
    dated_kinds = ("Event", "Claim") if include_allegations else ("Event",)
    keep_dated = _dated_in(rows, when, dated_kinds)
    nodes = {n for n, a in rows.nodes.items() if a["type"] not in ("Event", "Claim")} | keep_dated
    links: list[tuple[str, str, str, dict[str, Any]]] = []
    for event, actor, role in rows.participations:
        links.append((event, actor, role, {"relation": "participants", "role": role, "label": role}))
    for s, o, name, external in rows.edges:
        attrs: dict[str, Any] = {"relation": name, "label": name}
        if external:
            attrs["external"] = True
        links.append((s, o, name, attrs))
    for record, s, relation, o in rows.relationships:
        links.append((s, o, relation, {"relation": relation, "label": relation, "record": record}))
    links = [link for link in links if link[0] in nodes and link[1] in nodes]
    if when.bounded:
        touched = {n for s, o, _k, _a in links if s in keep_dated or o in keep_dated for n in (s, o)}
        nodes = keep_dated | touched
        links = [link for link in links if link[0] in nodes and link[1] in nodes]
    G = nx.MultiDiGraph(name="full", time_slice=when.describe())
    for n in sorted(nodes):
        G.add_node(n, **_node_attrs(rows.nodes[n]))
    for s, o, key, attrs in links:
        G.add_edge(s, o, key=key, **attrs)
    return G


def actor_event_graph(
    kg: KnowledgeGraph,
    include_allegations: bool = False,
    *,
    as_of: DateLike | None = None,
    window: tuple[DateLike | None, DateLike | None] | None = None,
    certain: bool = False,
) -> nx.Graph:
    """The bipartite graph of actors (``bipartite=0``) and the events they take part in (``bipartite=1``).

    Each edge carries ``roles``, the list of the actor's roles in the event. With ``include_allegations``,
    claims join the events' side, linked to their claimants (role ``claimant``) and to the actors they
    are about (role ``about``).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> B = actor_event_graph(load_graph())
    >>> B.edges["atabaev-arrested", "knb"]["roles"]
    ['arresting_agency']
    >>> sorted(B["friend-intervenes"])
    ['bolat-atabaev', 'film-director-friend', 'knb']
    """
    import networkx as nx

    when = time_slice(as_of, window, certain)
    rows = _rows(kg)
    incidences = _incidences(rows, when, include_allegations)
    B = nx.Graph(name="actor-event", time_slice=when.describe())
    actors = sorted({a for _r, a, _role in incidences})
    records = sorted({r for r, _a, _role in incidences})
    for a in actors:
        B.add_node(a, bipartite=0, **_node_attrs(rows.nodes[a]))
    for r in records:
        B.add_node(r, bipartite=1, **_node_attrs(rows.nodes[r]))
    for r, a, role in incidences:
        if B.has_edge(a, r):
            B.edges[a, r]["roles"].append(role)
        else:
            B.add_edge(a, r, roles=[role])
    return B


def _incidences(rows: _Rows, when: TimeSlice, include_allegations: bool) -> list[tuple[str, str, str]]:
    """(event or claim, actor, role) for the records of the slice."""
    keep = _dated_in(rows, when, ("Event",))
    out = [(e, a, role) for e, a, role in rows.participations if e in keep]
    if include_allegations:
        claims = _dated_in(rows, when, ("Claim",))
        for claim, links in _claim_links(rows, claims).items():
            out.extend((claim, a, role) for a, role in links)
    return sorted(set(out))


def coparticipation_graph(
    kg: KnowledgeGraph,
    include_allegations: bool = False,
    *,
    as_of: DateLike | None = None,
    window: tuple[DateLike | None, DateLike | None] | None = None,
    certain: bool = False,
) -> nx.Graph:
    """Actors linked by the events they take part in together, weighted by the number of shared events.

    Every actor that takes part in an event of the slice is a node, even with no co-participant.
    Nodes carry ``events`` (the events the actor takes part in) and ``first_seen``/``last_seen`` (the
    bounds of those events); each edge carries ``weight`` and ``events``, the ids of the shared events,
    in chronological order. ``G.graph["events"]`` maps each event id to its label, type and bounds.
    With ``include_allegations``, a claim also links its claimants and the actors it is about; such
    links are listed in the edge's ``claims`` (and counted in its weight).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> G = coparticipation_graph(load_graph())
    >>> G.edges["bolat-atabaev", "knb"]["events"]
    ['atabaev-charged', 'atabaev-arrested', 'friend-intervenes', 'statement-accepted']
    >>> G.edges["bolat-atabaev", "knb"]["weight"]
    4
    """
    import networkx as nx

    when = time_slice(as_of, window, certain)
    rows = _rows(kg)
    incidences = _incidences(rows, when, include_allegations)
    by_record: dict[str, set[str]] = defaultdict(set)
    for r, a, _role in incidences:
        by_record[r].add(a)

    def order(r: str) -> tuple[str, str, str]:
        n = rows.nodes[r]
        return (n.get("earliest") or "", n.get("latest") or "", r)

    records = sorted(by_record, key=order)
    G = nx.Graph(name="co-participation", time_slice=when.describe())
    G.graph["events"] = {
        r: {
            k: rows.nodes[r][k]
            for k in ("type", "label", "date", "earliest", "latest", "event_type", "stance")
            if rows.nodes[r].get(k) is not None
        }
        for r in records
    }
    member: dict[str, list[str]] = defaultdict(list)
    for r in records:
        for a in by_record[r]:
            member[a].append(r)
    for a in sorted(member):
        first, last = _seen(rows, member[a])
        attrs = _node_attrs(rows.nodes[a])
        attrs["events"] = [r for r in member[a] if rows.nodes[r]["type"] == "Event"]
        if include_allegations:
            attrs["claims"] = [r for r in member[a] if rows.nodes[r]["type"] == "Claim"]
        G.add_node(a, **attrs, first_seen=first, last_seen=last)
    for r in records:
        actors = sorted(by_record[r])
        field_name = "claims" if rows.nodes[r]["type"] == "Claim" else "events"
        for i, u in enumerate(actors):
            for v in actors[i + 1 :]:
                if not G.has_edge(u, v):
                    G.add_edge(u, v, weight=0, events=[], **({"claims": []} if include_allegations else {}))
                data = G.edges[u, v]
                data[field_name].append(r)
                data["weight"] += 1
    return G


def place_tree(kg: KnowledgeGraph) -> nx.DiGraph:
    """The places, each linked from the place that contains it (a forest: some places have no parent).

    Edges carry ``external=True`` when the containment comes from outside the documents. Nodes carry
    ``place_type`` and, where known (external knowledge), ``lat`` and ``long``.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> T = place_tree(load_graph())
    >>> sorted(T.successors("aktau"))
    ['aktau-detention-centre']
    >>> T.edges["mangistau-region", "aktau"]["external"], T.edges["kazakhstan", "mangistau-region"]["external"]
    (True, False)
    """
    import networkx as nx

    rows = _rows(kg)
    T = nx.DiGraph(name="places")
    for p in rows.of_type("Place"):
        attrs = _node_attrs(rows.nodes[p])
        if p in rows.coordinates:
            attrs["lat"], attrs["long"] = rows.coordinates[p]
        T.add_node(p, **attrs)
    for s, o, name, external in rows.edges:
        if name.startswith("contained_in") and s in T and o in T:
            T.add_edge(o, s, external=external)
    return T


def precedence_graph(
    kg: KnowledgeGraph,
    *,
    as_of: DateLike | None = None,
    window: tuple[DateLike | None, DateLike | None] | None = None,
    certain: bool = False,
) -> nx.DiGraph:
    """Events ordered by their date bounds and by the records' explicit ``follows`` links.

    ``u -> v`` with ``kind="dates"`` when ``latest(u) < earliest(v)`` (u certainly ended before v began),
    transitively reduced (no edge that a chain of two or more already implies); ``kind="follows"`` when
    the record of v says it came after or followed from u; ``kind="both"`` when both hold.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> P = precedence_graph(load_graph())
    >>> P.edges["atabaev-released", "atabaev-press-conference"]["kind"]
    'dates'
    >>> P.edges["atabaev-arrested", "atabaev-convoy"]["kind"]
    'follows'
    """
    import networkx as nx

    when = time_slice(as_of, window, certain)
    rows = _rows(kg)
    events = sorted(_dated_in(rows, when, ("Event",)))
    P = nx.DiGraph(name="precedence", time_slice=when.describe())
    for e in events:
        P.add_node(e, **_node_attrs(rows.nodes[e]))
    for u, v in _date_order_reduced(
        [(e, rows.nodes[e]["earliest"], rows.nodes[e]["latest"]) for e in events]
    ):
        P.add_edge(u, v, kind="dates")
    for s, o, name, _ext in rows.edges:
        if name == "follows" and s in P and o in P:
            if P.has_edge(o, s):
                P.edges[o, s]["kind"] = "both"
            else:
                P.add_edge(o, s, kind="follows")
    return P


def _date_order_reduced(events: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The transitive reduction of ``u < v iff latest(u) < earliest(v)`` in O(n log n + edges).

    ``u -> v`` stays unless some w fits between them (``latest(u) < earliest(w)`` and
    ``latest(w) < earliest(v)``); so v's earliest must lie in ``(latest(u), m(u)]`` where ``m(u)`` is the
    smallest latest bound among the events that begin after u ends.

    Examples
    --------
    >>> _date_order_reduced([("a", "2011-01-01", "2011-01-01"), ("b", "2011-02-01", "2011-02-01"),
    ...                      ("c", "2011-03-01", "2011-03-01"), ("d", "2011-01-15", "2011-03-15")])
    [('a', 'b'), ('a', 'd'), ('b', 'c')]
    """
    by_start = sorted(events, key=lambda e: (e[1], e[0]))
    starts = [e[1] for e in by_start]
    suffix_min: list[str] = [""] * (len(by_start) + 1)
    suffix_min[len(by_start)] = "9999-12-31"
    for i in range(len(by_start) - 1, -1, -1):
        suffix_min[i] = min(by_start[i][2], suffix_min[i + 1])
    out: list[tuple[str, str]] = []
    for u, _start, latest in sorted(events):
        i = bisect.bisect_right(starts, latest)
        if i == len(by_start):
            continue
        j = bisect.bisect_right(starts, suffix_min[i])
        out.extend((u, by_start[k][0]) for k in range(i, j))
    return sorted(out)


# -- names ------------------------------------------------------------------------------------------

_QUOTES_MAP = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES_MAP).casefold().split())


def resolve_name(G: nx.Graph, name: str, what: str = "node") -> str:
    """The id of the node of ``G`` called ``name``: its id, label or an alias, in any case.

    An exact match (id, label or alias, ignoring case, spacing and typographic quotes) wins; else the
    only node whose id, label or alias begins with ``name``; else the only one that contains it as
    whole words ("Atabaev", not "Ataba").

    Parameters
    ----------
    G
        A graph from this module (nodes carry ``label`` and ``aliases``).
    name
        What the user typed.
    what
        What the nodes are, for the error message (``actor``).

    Raises
    ------
    NameLookupError
        No node matches (the message lists close matches), or several do (it lists them).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> G = coparticipation_graph(load_graph())
    >>> resolve_name(G, "KNB"), resolve_name(G, "prosecutor general's office")
    ('knb', 'prosecutor-generals-office')
    >>> resolve_name(G, "bolat")
    'bolat-atabaev'
    >>> resolve_name(G, "Atabaev", "actor")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    zhanaozen_graph.errors.NameLookupError: 'Atabaev' matches 5 actors: 'Bolat Atabaev' (bolat-atabaev), ...
    """
    wanted = _norm(name)
    names: dict[str, list[str]] = {}
    for n, attrs in G.nodes(data=True):
        aliases = [*attrs.get("aliases", []), *attrs.get("aliases_external", [])]
        names[n] = [_norm(n), _norm(str(attrs.get("label", n)))] + [_norm(a) for a in aliases]
    exact = sorted(n for n, keys in names.items() if wanted in keys)
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        partial = exact
    else:
        prefix = sorted(n for n, keys in names.items() if any(k.startswith(wanted) for k in keys))
        if len(prefix) == 1:
            return prefix[0]
        word = re.compile(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)")
        partial = sorted(
            {n for n, keys in names.items() if any(word.search(k) for k in keys)} | set(prefix),
            key=lambda n: (n not in prefix, len(str(G.nodes[n].get("label", n))), n),
        )
        if len(partial) == 1:
            return partial[0]

    def show(n: str) -> str:
        return f"{G.nodes[n].get('label', n)!r} ({n})"

    if partial:
        shown = ", ".join(show(n) for n in partial[:8]) + (", ..." if len(partial) > 8 else "")
        raise NameLookupError(
            f"{name!r} matches {len(partial)} {what}s: {shown}",
            candidates=tuple(partial),
            hint="give the id or the full label",
        )
    keys = {k: n for n, ks in names.items() for k in ks}
    close = []
    for k in difflib.get_close_matches(wanted, list(keys), n=12, cutoff=0.6):
        if keys[k] not in close:
            close.append(keys[k])
    hint = f"did you mean {', '.join(show(n) for n in close[:5])}?" if close else None
    raise NameLookupError(
        f"no {what} called {name!r} in the {G.graph.get('name', '')} network".replace("  ", " "),
        candidates=tuple(close[:5]),
        hint=hint or "list them with `zhanaozen-graph analyze centrality`",
    )


def evidence_quotes(kg: KnowledgeGraph, records: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """The evidence quotes of each record, in document order: ``(quote, source)`` pairs.

    Whitespace inside a quote is collapsed (line breaks of the document become spaces).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> evidence_quotes(load_graph(), ["atabaev-convoy"])  # doctest: +NORMALIZE_WHITESPACE
    {'atabaev-convoy': [('After his arrest he was put in a convoy to travel by road to a pre-trial
    detention centre in Aktau.', 'amnesty-ua-2012-07-atabaev-released')]}
    """
    rows = _rows(kg)
    iris = [rows.nodes[r]["iri"] for r in records if r in rows.nodes]
    found: dict[str, set[tuple[str, int, str, str]]] = defaultdict(set)
    if not iris:
        return {}
    for row in kg.select(_QUOTES.replace("$VALUES", _values(iris))):
        found[_slug(row["node"])].add(
            (row["source"], int(row["start"]), " ".join(row["quote"].split()), row["source"])
        )
    return {r: [(q, s) for _src, _start, q, s in sorted(quotes)] for r, quotes in found.items()}


def _roles(kg: KnowledgeGraph) -> dict[tuple[str, str], list[str]]:
    """(record, actor) -> the actor's roles in it (events), or claimant/about (claims)."""
    rows = _rows(kg)
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e, a, role in rows.participations:
        out[e, a].append(role)
    claims = {n for n, x in rows.nodes.items() if x["type"] == "Claim"}
    for claim, links in _claim_links(rows, claims).items():
        for a, role in links:
            out[claim, a].append(role)
    return out


# -- exports ----------------------------------------------------------------------------------------

NETWORKS = ("full", "actor-event", "coparticipation", "places", "precedence")
"""The projections by name, as the CLI's ``--network`` option knows them."""

EXPORT_FORMATS = ("graphml", "gexf", "json")
"""GraphML (yEd, Cytoscape), GEXF 1.2 with dates (Gephi), node-link JSON (D3)."""


def project(
    kg: KnowledgeGraph,
    network: str = "full",
    include_allegations: bool | None = None,
    *,
    as_of: DateLike | None = None,
    window: tuple[DateLike | None, DateLike | None] | None = None,
    certain: bool = False,
) -> nx.Graph:
    """The projection called ``network`` (one of :data:`NETWORKS`).

    ``include_allegations=None`` keeps each projection's default (claims in the full graph, not in
    the others). The place tree takes no time slice.

    Raises
    ------
    QueryError
        An unknown network name, or a time slice of the place tree.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> project(load_graph(), "places").number_of_nodes()
    11
    """
    kw: dict[str, Any] = {"as_of": as_of, "window": window, "certain": certain}
    if network == "places":
        if as_of is not None or window is not None:
            raise QueryError("the place tree has no dates to slice", hint="drop --as-of/--from/--to")
        return place_tree(kg)
    if network == "precedence":
        return precedence_graph(kg, **kw)
    makers = {"full": full_graph, "actor-event": actor_event_graph, "coparticipation": coparticipation_graph}
    if network not in makers:
        raise QueryError(f"unknown network {network!r}", hint=f"use one of: {', '.join(NETWORKS)}")
    if include_allegations is None:
        return makers[network](kg, **kw)
    return makers[network](kg, include_allegations, **kw)


def _merge(spans: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge overlapping date intervals.

    Examples
    --------
    >>> _merge([("2011-12-16", "2012-01-15"), ("2011-05-01", "2011-05-31"), ("2011-12-01", "2011-12-31")])
    [('2011-05-01', '2011-05-31'), ('2011-12-01', '2012-01-15')]
    """
    out: list[tuple[str, str]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value


def for_export(G: nx.Graph, fmt: str) -> nx.Graph:
    """A copy of a projection that ``fmt``'s writer accepts, with dates Gephi's timeline understands.

    For ``gexf`` and ``graphml``: lists are joined with ``"; "``, ``None`` values and graph-level
    tables are dropped. For ``gexf``: a dated node (event, claim) gets ``start``/``end`` (its bounds);
    an undated node linked to dated ones (an actor, a place) gets ``spells``, the merged bounds of the
    events and claims it is linked to; an edge gets the bounds of its events (``spells``) or of its dated
    end (``start``/``end``), so the timeline shows each link while the events it stands for may be under
    way. ``json`` is left as it is.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> G = for_export(coparticipation_graph(load_graph()), "gexf")
    >>> G.edges["knb", "knb-officers"]["spells"]
    [('2012-06-15', '2012-06-15')]
    """
    H = G.copy()
    if fmt == "json":
        return H
    H.graph = {k: v for k, v in G.graph.items() if isinstance(v, str | int | float | bool)}
    gexf = fmt == "gexf"
    events = G.graph.get("events", {})

    def bounds(n: Any) -> tuple[str, str] | None:
        a = G.nodes[n]
        if "earliest" in a and "latest" in a:
            return (a["earliest"], a["latest"])
        return None

    if gexf:
        linked: dict[Any, list[tuple[str, str]]] = defaultdict(list)
        edge_iter = (
            H.edges(keys=True, data=True)
            if H.is_multigraph()
            else ((u, v, None, d) for u, v, d in H.edges(data=True))
        )
        for u, v, _k, d in edge_iter:
            spans = [
                (events[r]["earliest"], events[r]["latest"])
                for r in list(d.get("events", [])) + list(d.get("claims", []))
                if r in events and "earliest" in events[r]
            ]
            bu, bv = bounds(u), bounds(v)
            if spans:
                d["spells"] = _merge(spans)
            elif bu and bv:
                lo, hi = max(bu[0], bv[0]), min(bu[1], bv[1])
                if lo <= hi:
                    d["start"], d["end"] = lo, hi
            elif bu or bv:
                d["start"], d["end"] = bu or bv  # type: ignore[misc]
            if "spells" in d:
                linked[u].extend(d["spells"])
                linked[v].extend(d["spells"])
            elif "start" in d:
                linked[u].append((d["start"], d["end"]))
                linked[v].append((d["start"], d["end"]))
        for n, a in H.nodes(data=True):
            b = bounds(n)
            if b:
                a["start"], a["end"] = b
            elif linked.get(n):
                a["spells"] = _merge(linked[n])
    for _n, a in H.nodes(data=True):
        for k in [k for k, v in a.items() if v is None]:
            del a[k]
        for k, v in list(a.items()):
            if k != "spells":
                a[k] = _flat(v)
    for *_e, d in H.edges(data=True):
        for k in [k for k, v in d.items() if v is None]:
            del d[k]
        for k, v in list(d.items()):
            if k != "spells":
                d[k] = _flat(v)
    return H


def export_network(
    kg: KnowledgeGraph,
    fmt: str = "gexf",
    network: str = "full",
    include_allegations: bool | None = None,
    *,
    as_of: DateLike | None = None,
    window: tuple[DateLike | None, DateLike | None] | None = None,
    certain: bool = False,
) -> str:
    """A projection as GraphML, GEXF (dynamic, with dates) or node-link JSON (for D3).

    Parameters
    ----------
    fmt
        ``graphml``, ``gexf`` or ``json``.
    network
        Which projection (see :func:`project`).

    Raises
    ------
    QueryError
        An unknown format or network.

    Examples
    --------
    >>> import networkx as nx
    >>> from zhanaozen_graph import load_graph
    >>> text = export_network(load_graph(), "gexf", "precedence")
    >>> 'mode="dynamic"' in text and 'timeformat="date"' in text
    True
    """
    import json

    import networkx as nx

    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(EXPORT_FORMATS)}")
    G = for_export(
        project(kg, network, include_allegations, as_of=as_of, window=window, certain=certain), fmt
    )
    if fmt == "json":
        data = nx.node_link_data(G, edges="links")
        return json.dumps(data, indent=1, ensure_ascii=False, default=str)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(G, prettyprint=True))
    return _gexf(G)


def _gexf(G: nx.Graph) -> str:
    """GEXF 1.2 that its XSD accepts: networkx writes ``graph/@name``, which the schema has not.

    The name (and the time slice) go to ``meta/description`` instead.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(name="precedence", time_slice="all dates")
    >>> G.add_edge("a", "b")
    >>> text = _gexf(G)
    >>> "name=" in text, "<description>precedence (all dates)</description>" in text
    (False, True)
    """
    from xml.etree.ElementTree import Element, SubElement

    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(prettyprint=True)
    writer.add_graph(G)
    writer.graph_element.attrib.pop("name", None)
    name, when = G.graph.get("name"), G.graph.get("time_slice")
    if name:
        meta = writer.xml.find("meta")
        if meta is None:  # networkx writes one; make sure
            meta = Element("meta")
            writer.xml.insert(0, meta)
        description = SubElement(meta, "description")
        description.text = f"{name} ({when})" if when else str(name)
    return "\n".join(str(writer).splitlines())
