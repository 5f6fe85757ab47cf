"""Close pairs of points and connected components with numpy alone, for the explorer's layout.

They stand in for ``scipy.spatial.cKDTree.query_pairs`` and ``scipy.sparse.csgraph.connected_components``
(the same answers; tests/test_spatial.py compares them), so that the core install does without scipy
(143 MB of the 297 MB the core took with it).
"""

from __future__ import annotations

from typing import Any

__all__ = ["close_pairs", "component_labels"]

# A cell and the four neighbours after it: each pair of cells is looked at once.
_OFFSETS = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))


def close_pairs(pos: Any, r: float) -> Any:
    """The pairs ``(i, j)``, ``i < j``, of points no farther apart than ``r``, sorted.

    The points go into a grid of cells of side ``r``; only points of the same or neighbouring cells
    are compared, so the cost follows the number of close pairs, not the square of the points.

    Examples
    --------
    >>> import numpy as np
    >>> close_pairs(np.array([[0.0, 0.0], [0.5, 0.0], [3.0, 0.0], [0.0, 1.0]]), 1.0).tolist()
    [[0, 1], [0, 3]]
    """
    import numpy as np

    n = len(pos)
    if n < 2 or r <= 0:
        return np.empty((0, 2), dtype=np.intp)
    cell = np.floor(pos / r).astype(np.int64)
    cell -= cell.min(axis=0)
    height = int(cell[:, 1].max()) + 3  # one spare row on each side: no key wraps into another column
    key = (cell[:, 0] + 1) * height + (cell[:, 1] + 1)
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    found = []
    for dx, dy in _OFFSETS:
        target = key + dx * height + dy
        lo = np.searchsorted(sorted_keys, target, side="left")
        counts = np.searchsorted(sorted_keys, target, side="right") - lo
        i = np.repeat(np.arange(n), counts)
        j = order[np.arange(int(counts.sum())) + np.repeat(lo - (np.cumsum(counts) - counts), counts)]
        if dx == 0 and dy == 0:
            i, j = i[i < j], j[i < j]
        d = pos[i] - pos[j]
        close = (d * d).sum(axis=1) <= r * r
        i, j = i[close], j[close]
        found.append(np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1))
    pairs = np.concatenate(found)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def component_labels(n: int, pairs: Any) -> Any:
    """The connected component of each of ``n`` nodes joined by ``pairs``, numbered by their lowest node.

    Each node points to the lowest node it is known to be connected to; every round hooks both ends
    of each edge to the lower of their two roots and then follows pointers to the end (pointer
    jumping), so a path of any length takes a few rounds.

    Examples
    --------
    >>> import numpy as np
    >>> component_labels(6, np.array([[4, 5], [0, 2], [2, 3]])).tolist()
    [0, 1, 0, 0, 2, 2]
    """
    import numpy as np

    label = np.arange(n)
    if len(pairs):
        a, b = pairs[:, 0], pairs[:, 1]
        while True:
            la, lb = label[a], label[b]
            if (la == lb).all():
                break
            low = np.minimum(la, lb)
            np.minimum.at(label, la, low)
            np.minimum.at(label, lb, low)
            while True:
                jumped = label[label]
                if (jumped == label).all():
                    break
                label = jumped
    return np.unique(label, return_inverse=True)[1].reshape(n)
