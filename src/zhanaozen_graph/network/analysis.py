"""Network questions as pandas DataFrames: centrality, communities, ego networks, paths, slices, evolution.

Each function takes a :class:`~zhanaozen_graph.graph.build.KnowledgeGraph` (and then works on its actor
co-participation network, :func:`~zhanaozen_graph.network.projections.coparticipation_graph`, optionally sliced in
time) or, where it makes sense, a NetworkX graph you built yourself. The CLI's ``analyze`` commands call
these functions and print their frames, so a notebook and the command line give the same answers.
"""

from __future__ import annotations

import math
from itertools import islice, pairwise
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..graph.build import KnowledgeGraph
from .projections import (
    DateLike,
    _roles,
    _rows,
    coparticipation_graph,
    evidence_quotes,
    resolve_name,
    time_slice,
)

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = [
    "METRICS",
    "centrality",
    "communities",
    "ego",
    "evolution",
    "links",
    "paths",
    "records",
]

Window = tuple[DateLike | None, DateLike | None]

METRICS = ("events", "degree", "strength", "betweenness", "closeness", "pagerank", "core")
"""The per-actor measures of :func:`centrality` (and the metrics :func:`evolution` can follow)."""


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as plain Python dicts (NaN as ``None``): the shape of the CLI's JSON.

    Examples
    --------
    >>> import pandas as pd
    >>> records(pd.DataFrame({"id": ["a"], "x": [float("nan")], "n": [2]}))
    [{'id': 'a', 'x': None, 'n': 2}]
    """
    out: list[dict[str, Any]] = []
    for row in frame.to_dict("records"):
        clean: dict[str, Any] = {}
        for k, v in row.items():
            if hasattr(v, "item") and not isinstance(v, list | tuple | str):
                v = v.item()
            if isinstance(v, float) and math.isnan(v):
                v = None
            clean[str(k)] = v
        out.append(clean)
    return out


def _network(
    source: KnowledgeGraph | nx.Graph,
    include_allegations: bool,
    as_of: DateLike | None,
    window: Window | None,
    certain: bool,
) -> nx.Graph:
    if isinstance(source, KnowledgeGraph):
        return coparticipation_graph(source, include_allegations, as_of=as_of, window=window, certain=certain)
    if as_of is not None or window is not None:
        raise QueryError(
            "a time slice needs the knowledge graph, not a NetworkX graph",
            hint="pass the KnowledgeGraph, or slice when you build the graph",
        )
    import networkx as nx

    if not source.is_directed() and not source.is_multigraph():
        return source
    simple = nx.Graph(name=source.graph.get("name", ""))
    simple.add_nodes_from(source.nodes(data=True))
    for u, v in source.edges():
        if u == v:
            continue
        if simple.has_edge(u, v):
            simple.edges[u, v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    return simple


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def centrality(
    source: KnowledgeGraph | nx.Graph,
    *,
    include_allegations: bool = False,
    as_of: DateLike | None = None,
    window: Window | None = None,
    certain: bool = False,
    sample: int | None = None,
    seed: int = 42,
    top: int | None = None,
    metrics: tuple[str, ...] = METRICS,
) -> pd.DataFrame:
    """Per-actor centrality of the co-participation network, most between first.

    Columns: ``id``, ``label``, ``type``, ``events`` (events the actor takes part in), ``degree``
    (distinct co-participants), ``strength`` (shared events, summed over co-participants),
    ``betweenness`` (normalised, on hop counts), ``closeness`` (Wasserman-Faust, for a network in
    pieces), ``pagerank`` (weighted by shared events) and ``core`` (k-core number). Sorted by
    betweenness, then degree, then label.

    Parameters
    ----------
    source
        The knowledge graph, or a NetworkX graph (a directed or multi graph is made simple and
        undirected, each parallel edge adding 1 to ``weight``).
    include_allegations
        Also link the claimants of each claim to the actors it is about.
    as_of, window, certain
        A time slice (see :func:`~zhanaozen_graph.network.projections.time_slice`).
    sample
        Estimate betweenness from this many source nodes (for large graphs); exact when ``None``.
    seed
        The random seed of that sample.
    top
        Keep only the first ``top`` rows.
    metrics
        Compute only these columns of :data:`METRICS` (closeness is exact and O(nodes x edges); leave it
        out on large graphs). Rows are sorted by the first of betweenness, degree and the first metric
        that is computed.

    Raises
    ------
    QueryError
        An unknown metric.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> centrality(load_graph(), metrics=("degree",), top=1).values.tolist()
    [['bolat-atabaev', 'Bolat Atabaev', 'Person', 10]]
    >>> table = centrality(load_graph())
    >>> table[["id", "degree"]].head(2).values.tolist()
    [['security-forces', 9], ['bolat-atabaev', 10]]
    """
    unknown = [m for m in metrics if m not in METRICS]
    if unknown or not metrics:
        raise QueryError(f"unknown metric {(unknown or [''])[0]!r}", hint=f"use one of: {', '.join(METRICS)}")
    chosen = [m for m in METRICS if m in metrics]
    G = _network(source, include_allegations, as_of, window, certain)
    columns = ["id", "label", "type", *chosen]
    if G.number_of_nodes() == 0:
        return _frame([], columns)
    values = {m: _measure(G, m, sample, seed) for m in chosen}
    rows = [
        {"id": n, "label": a.get("label", n), "type": a.get("type"), **{m: values[m][n] for m in chosen}}
        for n, a in G.nodes(data=True)
    ]
    keys = [m for m in ("betweenness", "degree") if m in chosen] or chosen[:1]
    rows.sort(key=lambda r: (*(-r[k] for k in keys), str(r["label"])))
    return _frame(rows[:top] if top is not None else rows, columns)


def _measure(G: nx.Graph, metric: str, sample: int | None = None, seed: int = 42) -> dict[Any, Any]:
    """One of :data:`METRICS` for every node of ``G``."""
    import networkx as nx

    if metric == "events":
        return {n: len(a.get("events", [])) + len(a.get("claims", [])) for n, a in G.nodes(data=True)}
    if metric == "degree":
        return dict(G.degree())
    if metric == "strength":
        return dict(G.degree(weight="weight"))
    if metric == "betweenness":
        k = sample if sample is not None and sample < G.number_of_nodes() else None
        return dict(nx.betweenness_centrality(G, k=k, seed=seed if k else None))
    if metric == "closeness":
        return dict(nx.closeness_centrality(G))
    if metric == "pagerank":
        return dict(nx.pagerank(G, weight="weight"))
    if metric == "core":
        H = G.copy()
        H.remove_edges_from(nx.selfloop_edges(H))
        return dict(nx.core_number(H))
    raise QueryError(f"unknown metric {metric!r}", hint=f"use one of: {', '.join(METRICS)}")


def communities(
    source: KnowledgeGraph | nx.Graph,
    *,
    method: str = "louvain",
    seed: int = 42,
    resolution: float = 1.0,
    include_allegations: bool = False,
    as_of: DateLike | None = None,
    window: Window | None = None,
    certain: bool = False,
) -> pd.DataFrame:
    """The communities of the co-participation network, one row per actor.

    Columns: ``community`` (numbered from 1, largest first), ``size``, ``id``, ``label``, ``type``,
    ``degree``. The modularity of the partition is in ``frame.attrs["modularity"]``.

    Parameters
    ----------
    method
        ``louvain`` (NetworkX's Louvain with a fixed ``seed``) or ``greedy`` (Clauset-Newman-Moore
        greedy modularity, deterministic).
    resolution
        Above 1 favours smaller communities.

    Raises
    ------
    QueryError
        An unknown method.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> table = communities(load_graph())
    >>> table.loc[table["id"] == "knb", "community"].item() == table.loc[
    ...     table["id"] == "knb-officers", "community"].item()
    True
    """
    import networkx as nx
    from networkx.algorithms import community as nxc

    G = _network(source, include_allegations, as_of, window, certain)
    if method == "louvain":
        parts = nxc.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    elif method == "greedy":
        parts = nxc.greedy_modularity_communities(G, weight="weight", resolution=resolution)
    else:
        raise QueryError(f"unknown community method {method!r}", hint="use louvain or greedy")
    groups = sorted(
        (sorted(p) for p in parts), key=lambda p: (-len(p), min(str(G.nodes[n].get("label", n)) for n in p))
    )
    rows: list[dict[str, Any]] = []
    for i, members in enumerate(groups, 1):
        members.sort(key=lambda n: (-G.degree(n), str(G.nodes[n].get("label", n))))
        for n in members:
            a = G.nodes[n]
            rows.append(
                {
                    "community": i,
                    "size": len(members),
                    "id": n,
                    "label": a.get("label", n),
                    "type": a.get("type"),
                    "degree": G.degree(n),
                }
            )
    frame = _frame(rows, ["community", "size", "id", "label", "type", "degree"])
    frame.attrs["modularity"] = (
        nx.community.modularity(G, parts, weight="weight") if G.number_of_edges() else 0.0
    )
    frame.attrs["method"] = method
    return frame


def ego(
    kg: KnowledgeGraph,
    name: str,
    *,
    radius: int = 1,
    include_allegations: bool = False,
    as_of: DateLike | None = None,
    window: Window | None = None,
    certain: bool = False,
) -> pd.DataFrame:
    """The actors within ``radius`` links of an actor, nearest and most linked first.

    Columns: ``id``, ``label``, ``type``, ``distance`` (links from the ego), ``weight`` (events shared
    with the ego, 0 beyond distance 1), ``events`` (those events' ids). The ego itself is the first row
    (distance 0, its own events). ``frame.attrs["ego"]`` holds its id.

    Raises
    ------
    NameLookupError
        ``name`` is unknown or ambiguous.
    QueryError
        The actor is not in the network of the time slice, or ``radius`` is below 1.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> table = ego(load_graph(), "KNB")
    >>> table[["id", "weight"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['knb', 0], ['bolat-atabaev', 4], ['film-director-friend', 1], ['knb-officers', 1],
     ['aktau-prosecutors-office', 1]]
    """
    import networkx as nx

    if radius < 1:
        raise QueryError(f"radius must be at least 1, not {radius}")
    G = coparticipation_graph(kg, include_allegations, as_of=as_of, window=window, certain=certain)
    (node,) = _resolve_in(kg, G, [name], include_allegations)
    dist = nx.single_source_shortest_path_length(G, node, cutoff=radius)
    rows: list[dict[str, Any]] = []
    for n, d in dist.items():
        a = G.nodes[n]
        if d == 0:
            shared = list(a.get("events", [])) + list(a.get("claims", []))
            weight = 0
        elif d == 1:
            data = G.edges[node, n]
            shared = list(data["events"]) + list(data.get("claims", []))
            weight = data["weight"]
        else:
            shared, weight = [], 0
        rows.append(
            {
                "id": n,
                "label": a.get("label", n),
                "type": a.get("type"),
                "distance": d,
                "weight": weight,
                "events": shared,
            }
        )
    rows.sort(key=lambda r: (r["distance"], -r["weight"], str(r["label"])))
    frame = _frame(rows, ["id", "label", "type", "distance", "weight", "events"])
    frame.attrs["ego"] = node
    return frame


def _resolve_in(kg: KnowledgeGraph, G: nx.Graph, names: list[str], include_allegations: bool) -> list[str]:
    """Resolve ``names`` among all actors, then check each is in the (possibly sliced) network ``G``."""
    sliced = G.graph.get("time_slice") != time_slice().describe()
    everyone = coparticipation_graph(kg, include_allegations) if sliced else G
    out: list[str] = []
    for name in names:
        node = resolve_name(everyone, name, "actor")
        if node not in G:
            raise QueryError(
                f"{everyone.nodes[node]['label']!r} ({node}) takes part in no event {G.graph['time_slice']}",
                hint="widen the time slice",
            )
        out.append(node)
    return out


def paths(
    kg: KnowledgeGraph,
    a: str,
    b: str,
    *,
    limit: int = 10,
    include_allegations: bool = False,
    as_of: DateLike | None = None,
    window: Window | None = None,
    certain: bool = False,
) -> pd.DataFrame:
    """The shortest chains of shared events linking two actors, hop by hop, with the evidence.

    One row per hop and linking event: ``path`` and ``hop`` (numbered from 1), ``source``,
    ``source_label``, ``target``, ``target_label``, ``event``, ``event_label``, ``date`` (EDTF),
    ``earliest``, ``latest``, ``link`` (``event``, or ``claim`` with ``include_allegations``),
    ``source_role``, ``target_role`` (``claimant``/``about`` for a claim), ``quotes`` (the event's
    evidence, in document order) and ``document`` (the source of the first quote). A hop two actors
    share several events for has one row per event. An empty frame when the actors are not connected.

    Parameters
    ----------
    a, b
        Names of the two actors (id, label or alias).
    limit
        At most this many shortest paths.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> table = paths(load_graph(), "Bolat Atabaev", "Prosecutor General's Office")
    >>> table[["hop", "target", "event"]].values.tolist()
    [[1, 'security-forces', 'atabaev-protests-lethal-force'], [2, 'prosecutor-generals-office', 'pgo-criminal-investigation']]
    """
    import networkx as nx

    columns = [
        "path",
        "hop",
        "source",
        "source_label",
        "target",
        "target_label",
        "event",
        "event_label",
        "date",
        "earliest",
        "latest",
        "link",
        "source_role",
        "target_role",
        "quotes",
        "document",
    ]
    G = coparticipation_graph(kg, include_allegations, as_of=as_of, window=window, certain=certain)
    u, v = _resolve_in(kg, G, [a, b], include_allegations)
    if u == v:
        raise QueryError(f"both names are {G.nodes[u]['label']!r} ({u})", hint="give two different actors")
    try:
        found = list(islice(nx.all_shortest_paths(G, u, v), limit))
    except nx.NetworkXNoPath:
        return _frame([], columns)
    links = {
        r
        for p in found
        for x, y in pairwise(p)
        for r in G.edges[x, y]["events"] + G.edges[x, y].get("claims", [])
    }
    quotes = evidence_quotes(kg, links)
    roles = _roles(kg)
    nodes = _rows(kg).nodes
    rows: list[dict[str, Any]] = []
    for i, p in enumerate(found, 1):
        for hop, (x, y) in enumerate(pairwise(p), 1):
            for r in G.edges[x, y]["events"] + G.edges[x, y].get("claims", []):
                event = nodes[r]
                evidence = quotes.get(r, [])
                rows.append(
                    {
                        "path": i,
                        "hop": hop,
                        "source": x,
                        "source_label": G.nodes[x]["label"],
                        "target": y,
                        "target_label": G.nodes[y]["label"],
                        "event": r,
                        "event_label": event["label"],
                        "date": event.get("date"),
                        "earliest": event.get("earliest"),
                        "latest": event.get("latest"),
                        "link": "claim" if event["type"] == "Claim" else "event",
                        "source_role": ", ".join(roles.get((r, x), [])),
                        "target_role": ", ".join(roles.get((r, y), [])),
                        "quotes": [q for q, _s in evidence],
                        "document": evidence[0][1] if evidence else None,
                    }
                )
    return _frame(rows, columns)


def links(
    kg: KnowledgeGraph,
    *,
    include_allegations: bool = False,
    as_of: DateLike | None = None,
    window: Window | None = None,
    certain: bool = False,
) -> pd.DataFrame:
    """The links of the co-participation network in a time slice, strongest first.

    Columns: ``source``, ``source_label``, ``target``, ``target_label``, ``weight``, ``events`` (the
    shared events' ids, in chronological order), ``first`` and ``last`` (the earliest and latest bound
    of those events). ``frame.attrs`` holds ``actors`` (how many take part in an event of the slice),
    ``events`` (how many events the slice holds) and ``slice`` (in words).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> before = links(load_graph(), as_of="2011-12-15")
    >>> "police" in set(before["source"]) | set(before["target"])
    False
    >>> after = links(load_graph(), as_of="2011-12-16")
    >>> after.loc[(after["source"] == "police") & (after["target"] == "protesters"), "events"].item()
    ['zhanaozen-clashes']
    """
    G = coparticipation_graph(kg, include_allegations, as_of=as_of, window=window, certain=certain)
    meta = G.graph["events"]
    rows: list[dict[str, Any]] = []
    for u, v, data in G.edges(data=True):
        shared = list(data["events"]) + list(data.get("claims", []))
        dated = [meta[r] for r in shared if "earliest" in meta[r]]
        rows.append(
            {
                "source": u,
                "source_label": G.nodes[u]["label"],
                "target": v,
                "target_label": G.nodes[v]["label"],
                "weight": data["weight"],
                "events": shared,
                "first": min((m["earliest"] for m in dated), default=None),
                "last": max((m["latest"] for m in dated), default=None),
            }
        )
    rows.sort(key=lambda r: (-r["weight"], str(r["source_label"]), str(r["target_label"])))
    frame = _frame(
        rows, ["source", "source_label", "target", "target_label", "weight", "events", "first", "last"]
    )
    frame.attrs["actors"] = G.number_of_nodes()
    frame.attrs["events"] = len(meta)
    frame.attrs["slice"] = G.graph["time_slice"]
    return frame


def evolution(
    kg: KnowledgeGraph,
    metric: str = "degree",
    *,
    dates: list[DateLike] | None = None,
    top: int | None = None,
    include_allegations: bool = False,
    certain: bool = False,
    sample: int | None = None,
    seed: int = 42,
    max_steps: int = 24,
) -> pd.DataFrame:
    """A measure of each actor in the network as it stood at a series of dates.

    One row per actor, one column per date (ISO strings), after ``id`` and ``label``; the value is
    the actor's ``metric`` (one of :data:`METRICS`) in the network ``as_of`` that date, or missing
    (NaN) while the actor takes part in no event yet. Rows are sorted by the value at the last date.

    Parameters
    ----------
    metric
        ``events``, ``degree``, ``strength``, ``betweenness``, ``closeness``, ``pagerank`` or ``core``.
    dates
        The dates; by default every distinct earliest bound of an event (each date the network may
        grow), in order, or ``max_steps`` of them evenly spread (always the last) when there are more.
    top
        Keep only this many rows.
    sample, seed
        Estimate betweenness from this many sources (see :func:`centrality`).

    Raises
    ------
    QueryError
        An unknown metric or a malformed date.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> table = evolution(load_graph(), "degree", dates=["2011-12-15", "2011-12-16"])
    >>> records(table[table["id"] == "police"])
    [{'id': 'police', 'label': 'Police', '2011-12-15': None, '2011-12-16': 3.0}]
    """
    if metric not in METRICS:
        raise QueryError(f"unknown metric {metric!r}", hint=f"use one of: {', '.join(METRICS)}")
    rows = _rows(kg)
    if dates is None:
        steps = sorted(
            {a["earliest"] for a in rows.nodes.values() if a["type"] == "Event" and "earliest" in a}
        )
        if max_steps < 1:
            raise QueryError(f"max_steps must be at least 1, not {max_steps}")
        if len(steps) > max_steps:
            end = len(steps) - 1
            spread = max(max_steps - 1, 1)
            picks = {end * i // spread for i in range(max_steps)} if max_steps > 1 else set()
            steps = [steps[i] for i in sorted(picks | {end})]
    else:
        steps = []
        for d in dates:
            iso = time_slice(as_of=d).end
            if iso is not None:
                steps.append(iso)
    labels: dict[str, str] = {}
    values: dict[str, dict[str, float]] = {}
    for d in steps:
        G = coparticipation_graph(kg, include_allegations, as_of=d, certain=certain)
        measured = _measure(G, metric, sample, seed) if G.number_of_nodes() else {}
        for n, value in measured.items():
            labels[n] = G.nodes[n].get("label", n)
            values.setdefault(n, {})[d] = float(value)
    last = steps[-1] if steps else None
    order = sorted(
        values,
        key=lambda n: (-(values[n].get(last, -math.inf) if last else 0.0), labels[n]),
    )
    if top is not None:
        order = order[:top]
    out = [{"id": n, "label": labels[n], **{d: values[n].get(d, math.nan) for d in steps}} for n in order]
    frame = _frame(out, ["id", "label", *steps])
    frame.attrs["metric"] = metric
    return frame
