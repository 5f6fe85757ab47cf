"""The overview of a large graph: its source documents as clusters and its most connected nodes.

Above :data:`OVERVIEW_THRESHOLD` nodes, drawing every node is neither readable nor fast (see
docs/benchmarks-explorer.md), so the page opens on an overview and expands a cluster on demand.
The clusters are the source documents: a reader knows what a report is, a cluster named after one
says only what that report speaks of (truth first: no algorithm's guess at a community), and it costs
one pass over the nodes. A record that several documents speak of belongs to one cluster only: the
document that most of its neighbours share (ties: the first document id), so expanding a cluster
draws each node once. Records no document speaks of (none in a built graph; a hand-made view model
may have them) form the cluster :data:`UNSOURCED`.
"""

from __future__ import annotations

from collections import Counter

from .viewmodel import Cluster, Overview, ViewModel

__all__ = ["OVERVIEW_THRESHOLD", "SHOWN", "UNSOURCED", "Cluster", "Overview", "build_overview"]

# Measured in docs/benchmarks-explorer.md: above this many nodes a full draw pans below 60 fps.
OVERVIEW_THRESHOLD = 2000
SHOWN = 150  # the most connected nodes drawn in the opening view besides the clusters
UNSOURCED = "~unsourced"  # cannot be a source id (those are lower-case slugs)


def build_overview(model: ViewModel, *, shown: int = SHOWN) -> Overview:
    """Clusters by source document and the ``shown`` most connected nodes of a laid-out view model.

    Parameters
    ----------
    model
        A view model whose nodes have ``x`` and ``y`` (see :func:`~zhanaozen_graph.explorer.lay_out`).
    shown
        How many of the most connected nodes the opening view draws (degree, then id).

    Returns
    -------
    Overview
        Clusters, largest first (then by id), each with its members (sorted ids) and the mean of
        their positions; and the ids of the nodes shown from the start, most connected first.

    Examples
    --------
    >>> vm = {"title": "t", "kinds": [], "stances": [], "statuses": {}, "sources": {"r1": "Report 1"},
    ...       "nodes": [{"id": "a", "sources": ["r1"], "x": 0.0, "y": 0.0},
    ...                 {"id": "b", "sources": ["r1"], "x": 10.0, "y": 4.0}],
    ...       "edges": [{"from": "a", "to": "b"}]}
    >>> build_overview(vm, shown=1)  # doctest: +NORMALIZE_WHITESPACE
    {'clusters': [{'id': 'r1', 'label': 'Report 1', 'members': ['a', 'b'], 'x': 5.0, 'y': 2.0}],
     'shown': ['a']}
    """
    nodes = {n["id"]: n for n in model["nodes"]}
    neighbours: dict[str, list[str]] = {i: [] for i in nodes}
    for edge in model["edges"]:
        a, b = edge["from"], edge["to"]
        if a in nodes and b in nodes and a != b:
            neighbours[a].append(b)
            neighbours[b].append(a)
    members: dict[str, list[str]] = {}
    for node_id, node in nodes.items():
        sources = sorted(node.get("sources") or [])
        if len(sources) > 1:
            shared = Counter(s for m in neighbours[node_id] for s in nodes[m].get("sources") or [])
            home = min(sources, key=lambda s: (-shared[s], s))
        else:
            home = sources[0] if sources else UNSOURCED
        members.setdefault(home, []).append(node_id)
    clusters: list[Cluster] = []
    for cluster_id, ids in members.items():
        ids.sort()
        label = (
            "Records no source document speaks of"
            if cluster_id == UNSOURCED
            else model["sources"].get(cluster_id, cluster_id)
        )
        clusters.append(
            {
                "id": cluster_id,
                "label": label,
                "members": ids,
                "x": round(sum(nodes[i].get("x", 0.0) for i in ids) / len(ids), 1),
                "y": round(sum(nodes[i].get("y", 0.0) for i in ids) / len(ids), 1),
            }
        )
    clusters.sort(key=lambda c: (-len(c["members"]), c["id"]))
    by_degree = sorted(nodes, key=lambda i: (-len(neighbours[i]), i))
    return {"clusters": clusters, "shown": by_degree[:shown]}
