"""Node positions and sizes computed in Python, so that the page draws at once with physics off.

A multilevel force layout in numpy (Walshaw 2003; Hu 2005): the graph is coarsened by matching
neighbours (and folding leaves into their neighbour) until a few dozen nodes remain; those are laid
out with all-pairs forces, then each finer level starts from its parent's position and is refined
by a force layout whose repulsion only reaches nodes within three edge lengths (pairs from a grid
of cells, see :mod:`~zhanaozen_graph.explorer.spatial`). Each level costs O(n log n) and the levels
shrink geometrically, so the whole is near-linear and bounded: there is no eigen-solver
(``nx.spectral_layout`` took 141 s at 19k nodes) and no all-pairs step above the coarsest level. Components are laid out apart and packed in rows.

The same graph and seed give the same positions. Needs numpy only: the close pairs and the components
come from :mod:`~zhanaozen_graph.explorer.spatial` (scipy's answers, without scipy in the core install).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["layout_positions", "node_sizes"]

SCALE = 60.0  # canvas units per unit of edge length
COARSEST = 40  # below this many nodes, all pairs repel each other
CUTOFF = 3.0  # repulsion reaches this many edge lengths above the coarsest level
REFINE_STEP = 0.5  # the first step of a refinement, in edge lengths


def node_sizes(
    n: int, edges: Sequence[tuple[int, int]], smallest: float = 8.0, largest: float = 34.0
) -> list[float]:
    """Node sizes by degree centrality: the square root of the degree, scaled to [smallest, largest].

    Examples
    --------
    >>> [round(s, 1) for s in node_sizes(3, [(0, 1), (0, 2)])]
    [34.0, 26.4, 26.4]
    """
    degree = [0] * n
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    top = math.sqrt(max(degree, default=0)) or 1.0
    return [smallest + (largest - smallest) * math.sqrt(d) / top for d in degree]


def _coarsen(n: int, edges: Any) -> tuple[Any, int]:
    """A parent for each node (``n`` -> fewer): matched pairs of neighbours, leaves folded in.

    Nodes are visited by increasing degree (then index), so the result depends on the graph only.
    Each unmatched node is matched to its unmatched neighbour of lowest degree; a node left
    unmatched (all its neighbours taken, as around a hub) joins its lowest-degree neighbour's group.
    """
    import numpy as np

    degree = np.bincount(edges.ravel(), minlength=n)
    both = np.concatenate([edges, edges[:, ::-1]])
    order = np.lexsort((both[:, 1], degree[both[:, 1]], both[:, 0]))
    src, dst = both[order, 0], both[order, 1]
    starts = np.searchsorted(src, np.arange(n + 1))
    dst_list = dst.tolist()
    start_list = starts.tolist()
    parent = [-1] * n
    count = 0
    visit = np.lexsort((np.arange(n), degree)).tolist()
    for v in visit:
        if parent[v] >= 0:
            continue
        for w in dst_list[start_list[v] : start_list[v + 1]]:
            if parent[w] < 0 and w != v:
                parent[v] = parent[w] = count
                count += 1
                break
    for v in visit:
        if parent[v] >= 0:
            continue
        neighbours = dst_list[start_list[v] : start_list[v + 1]]
        if neighbours:
            parent[v] = parent[neighbours[0]]
        else:
            parent[v] = count
            count += 1
    return np.array(parent, dtype=np.int64), count


def _forces(
    pos: Any,
    edges: Any,
    weight: Any,
    k: float,
    cutoff: float | None,
    iterations: int,
    step: float,
    pairs_every: int = 3,
) -> Any:
    """Fruchterman-Reingold with Hu's adaptive step; repulsion within ``cutoff`` (None: all pairs).

    The close pairs are found again every ``pairs_every`` rounds.

    Repulsion between two groups grows with the number of original nodes each stands for
    (``weight``), so that a coarse layout leaves room for what it will expand into.
    """
    import numpy as np

    from .spatial import close_pairs

    n = len(pos)
    energy = math.inf
    progress = 0
    ii: Any = None
    jj: Any = None
    if cutoff is None:
        ii, jj = np.triu_indices(n, 1)
    for round_ in range(iterations):
        if cutoff is not None and round_ % pairs_every == 0:
            # Nodes move less than an edge length in a few rounds: the pairs found now still serve.
            pairs = close_pairs(pos, cutoff * k)
            ii, jj = pairs[:, 0], pairs[:, 1]
        d = pos[ii] - pos[jj]
        dist2 = np.maximum((d * d).sum(axis=1), 1e-6 * k * k)
        rep = d * ((k * k) * weight[ii] * weight[jj] / dist2)[:, None]
        # (bincount of no pairs gives integers: no node was near another)
        fx = (np.bincount(ii, rep[:, 0], n) - np.bincount(jj, rep[:, 0], n)).astype(float)
        fy = (np.bincount(ii, rep[:, 1], n) - np.bincount(jj, rep[:, 1], n)).astype(float)
        if len(edges):
            a, b = edges[:, 0], edges[:, 1]
            d = pos[a] - pos[b]
            att = d * (np.sqrt((d * d).sum(axis=1)) / k)[:, None]
            fx += np.bincount(b, att[:, 0], n) - np.bincount(a, att[:, 0], n)
            fy += np.bincount(b, att[:, 1], n) - np.bincount(a, att[:, 1], n)
        force = np.stack([fx, fy], axis=1)
        length = np.maximum(np.sqrt((force * force).sum(axis=1)), 1e-12)
        pos = pos + force * (step / length)[:, None]
        new_energy = float((length * length).sum())
        # Hu's adaptive cooling: grow the step after five improvements in a row, else shrink it.
        if new_energy < energy:
            progress += 1
            if progress >= 5:
                progress = 0
                step /= 0.9
        else:
            progress = 0
            step *= 0.9
        energy = new_energy
    return pos


def _rounds(n: int) -> tuple[int, int]:
    """Refinement rounds at a level of ``n`` nodes, and the rounds between two searches for close pairs.

    From 10,000 nodes on, 10 rounds with pairs every 5 (else 20 rounds, pairs every 3): on the synth
    corpora of 128 and 150 documents (18,627 and 21,813 nodes) the layout takes 1.14-1.41 and 1.15-1.26 s
    of CPU instead of 1.69-1.96 and 2.01-2.22 s, and the coefficient of variation of the edge lengths
    goes from 1.17 to 1.22 and from 1.15 to 1.21 (5 rounds: 1.29 and 1.33; 2 rounds: 1.36 and 1.46). The
    other measures move by at most 0.015 (benchmarks/bench_explorer_layout.py; docs/benchmarks-explorer.md).
    """
    if n >= 10_000:
        return 10, 5
    return (60 if n < 1000 else 30 if n < 5000 else 20), 3


def _component_layout(n: int, edges: Any, seed: int) -> Any:
    """Positions of one connected component (``edges`` as an (m, 2) array), edge length ~1, centred."""
    import numpy as np

    if n <= 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]][:n])
    rng = np.random.default_rng(seed)
    levels: list[tuple[Any, Any, int]] = []  # (edges, parent of each node, n) from fine to coarse
    sizes: Any = np.ones(n)
    cur_edges, cur_n = edges, n
    weights: list[Any] = [sizes]
    while cur_n > COARSEST:
        parent, m = _coarsen(cur_n, cur_edges)
        if m > 0.95 * cur_n:
            break
        levels.append((cur_edges, parent, cur_n))
        coarse = parent[cur_edges]
        coarse = coarse[coarse[:, 0] != coarse[:, 1]]
        coarse = np.unique(np.sort(coarse, axis=1), axis=0)
        weights.append(np.bincount(parent, weights[-1], m))
        cur_edges, cur_n = coarse, m
    # The coarsest level: random start, all pairs repel, many cheap rounds.
    pos = rng.uniform(0, math.sqrt(cur_n), (cur_n, 2))
    start_step = max(1.0, math.sqrt(cur_n) / 4)
    pos = _forces(
        pos, cur_edges, np.sqrt(weights[-1]), 1.0, None, 100 if levels else 50 + 5 * cur_n, start_step
    )
    for depth in range(len(levels) - 1, -1, -1):
        fine_edges, parent, fine_n = levels[depth]
        coarse_n = len(pos)
        pos = pos[parent] * math.sqrt(fine_n / coarse_n) + rng.normal(0, 0.1, (fine_n, 2))
        rounds, every = _rounds(fine_n)
        # A refinement starts from a good layout: small steps (a large one scatters the nodes).
        pos = _forces(pos, fine_edges, np.sqrt(weights[depth]), 1.0, CUTOFF, rounds, REFINE_STEP, every)
    pos = pos - pos.mean(axis=0)
    # Turn the longest axis horizontal: screens are wider than tall.
    _, axes = np.linalg.eigh(pos.T @ pos)
    return pos @ axes[:, ::-1]


def layout_positions(n: int, edges: Sequence[tuple[int, int]], seed: int = 1) -> list[tuple[float, float]]:
    """Positions for ``n`` nodes joined by ``edges`` (pairs of node indices), in canvas units.

    Each connected component is laid out on its own by a multilevel force layout (see the module),
    then the components are packed in rows, largest first. The same input and seed give the same
    positions.

    Examples
    --------
    >>> pos = layout_positions(4, [(0, 1), (1, 2)])
    >>> len(pos), all(isinstance(c, float) for xy in pos for c in xy)
    (4, True)
    >>> pos == layout_positions(4, [(0, 1), (1, 2)])
    True
    """
    import numpy as np

    from .spatial import component_labels

    pairs = np.array([(a, b) for a, b in edges if a != b], dtype=np.int64).reshape(-1, 2)
    if n == 0:
        return []
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    label = component_labels(n, pairs)
    members: dict[int, list[int]] = {}
    for v, c in enumerate(label.tolist()):
        members.setdefault(c, []).append(v)
    components = sorted(members.values(), key=lambda c: (-len(c), c[0]))
    local = np.empty(n, dtype=np.int64)
    for comp in components:
        local[comp] = np.arange(len(comp))
    edge_comp = label[pairs[:, 0]]
    by_comp: dict[int, Any] = {}
    if len(pairs):
        order = np.argsort(edge_comp, kind="stable")
        split = np.searchsorted(edge_comp[order], np.arange(label.max() + 2))
        for c in range(label.max() + 1):
            by_comp[c] = local[pairs[order[split[c] : split[c + 1]]]]
    placed: list[tuple[list[int], Any]] = []
    for comp in components:
        comp_edges = by_comp.get(int(label[comp[0]]), np.zeros((0, 2), dtype=np.int64))
        placed.append((comp, _component_layout(len(comp), comp_edges, seed)))
    # Shelf packing, largest first.
    result: list[tuple[float, float]] = [(0.0, 0.0)] * n
    # Rows as wide as the largest component, or as a square of what remains if that is wider.
    rest_area = sum((float(np.ptp(p[:, 0])) + 2) * (float(np.ptp(p[:, 1])) + 2) for _, p in placed[1:])
    row_width = max(math.sqrt(rest_area) * 1.2, float(np.ptp(placed[0][1][:, 0])) + 2)
    x = y = row_height = 0.0
    for comp, pos in placed:
        width = float(np.ptp(pos[:, 0])) + 2
        height = float(np.ptp(pos[:, 1])) + 2
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        left, top = pos.min(axis=0)
        xs = np.round((pos[:, 0] - left + x + 1) * SCALE, 1).tolist()
        ys = np.round((pos[:, 1] - top + y + 1) * SCALE, 1).tolist()
        for v, px, py in zip(comp, xs, ys, strict=True):
            result[v] = (float(px), float(py))
        x += width
        row_height = max(row_height, height)
    return result
