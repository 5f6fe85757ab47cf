"""The explorer at scale without a browser: the multilevel layout and the overview of a large graph."""

from __future__ import annotations

import gc
import math
import random
import time
from typing import Any

import pytest

from zhanaozen_graph.explorer import lay_out
from zhanaozen_graph.explorer.layout import layout_positions
from zhanaozen_graph.explorer.overview import OVERVIEW_THRESHOLD, UNSOURCED, build_overview


def _documents(n_docs: int, per_doc: int, seed: int = 5) -> tuple[int, list[tuple[int, int]]]:
    """A graph shaped like the synthetic corpus: dense documents, each linked to the one before."""
    rng = random.Random(seed)
    edges: list[tuple[int, int]] = []
    for d in range(n_docs):
        base = d * per_doc
        edges += [(base + i, base + rng.randrange(i)) for i in range(1, per_doc)]
        edges += [(base + rng.randrange(per_doc), base + rng.randrange(per_doc)) for _ in range(per_doc)]
        if d:
            edges += [(base + rng.randrange(per_doc), base - 1 - rng.randrange(per_doc)) for _ in range(3)]
    return n_docs * per_doc, edges


# --------------------------------------------------------------------------- layout


def test_layout_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    n, edges = _documents(8, 60)
    first = layout_positions(n, edges, seed=1)
    assert layout_positions(n, edges, seed=1) == first
    assert layout_positions(n, edges, seed=2) != first
    assert len(set(first)) == n  # no two nodes on one spot


def test_layout_keeps_neighbours_close_and_documents_apart() -> None:
    n, edges = _documents(10, 80)
    pos = layout_positions(n, edges)

    def dist(a: int, b: int) -> float:
        return math.dist(pos[a], pos[b])

    edge_lengths = sorted(dist(a, b) for a, b in edges if a != b)
    rng = random.Random(1)
    far = sorted(dist(rng.randrange(80), 9 * 80 + rng.randrange(80)) for _ in range(500))
    median_edge, median_far = edge_lengths[len(edge_lengths) // 2], far[len(far) // 2]
    assert 20 < median_edge < 200  # about one edge length (60 canvas units), not collapsed
    assert median_far > 8 * median_edge  # the first and the last document lie apart


def test_layout_time_grows_near_linearly() -> None:
    """Four times the nodes take well under sixteen times as long (an all-pairs step would)."""
    small, big = _documents(12, 100), _documents(48, 100)

    def best(graph: tuple[int, list[tuple[int, int]]]) -> float:
        times = []
        for _ in range(3):
            gc.disable()
            try:
                start = time.process_time()
                layout_positions(*graph)
                times.append(time.process_time() - start)
            finally:
                gc.enable()
        return min(times)

    ratio = best(big) / best(small)
    if ratio >= 8:  # a busy machine: measure once more before deciding
        ratio = min(ratio, best(big) / best(small))
    assert ratio < 8, f"4x the nodes took {ratio:.1f}x as long"


def test_a_refinement_where_no_node_is_near_another_still_pulls_along_the_edges() -> None:
    import numpy as np

    from zhanaozen_graph.explorer.layout import _forces

    pos = np.array([[0.0, 0.0], [10.0, 0.0], [20.0, 0.0]])  # farther apart than the repulsion reaches
    after = _forces(pos, np.array([[0, 1], [1, 2]]), np.ones(3), 1.0, 3.0, 1, 0.5)
    assert after.tolist() == [[0.5, 0.0], [10.0, 0.0], [19.5, 0.0]]


def test_layout_of_components_and_isolated_nodes() -> None:
    pos = layout_positions(5, [(0, 1), (1, 2), (2, 2)])  # a self-loop is ignored
    assert len(set(pos)) == 5
    assert layout_positions(0, []) == []


# --------------------------------------------------------------------------- overview


def _model(nodes: list[dict[str, Any]], edges: list[tuple[str, str]]) -> Any:
    return {
        "title": "t",
        "kinds": [],
        "stances": [],
        "statuses": {},
        "sources": {"r1": "Report one", "r2": "Report two"},
        "nodes": nodes,
        "edges": [{"from": a, "to": b, "label": "l", "kind": "reference"} for a, b in edges],
    }


SMALL = [
    {"id": "a", "sources": ["r1"], "x": 0.0, "y": 0.0},
    {"id": "b", "sources": ["r1"], "x": 30.0, "y": 0.0},
    {"id": "c", "sources": ["r1", "r2"], "x": 60.0, "y": 60.0},  # two of its neighbours are in r2
    {"id": "d", "sources": ["r2"], "x": 90.0, "y": 30.0},
    {"id": "e", "sources": ["r2"], "x": 120.0, "y": 0.0},
    {"id": "f", "sources": [], "x": 500.0, "y": 500.0},
]
SMALL_EDGES = [("a", "b"), ("a", "c"), ("c", "d"), ("c", "e"), ("d", "e"), ("b", "a")]


def test_overview_clusters_by_document_with_exact_members_and_centres() -> None:
    overview = build_overview(_model(SMALL, SMALL_EDGES), shown=3)
    assert overview == {
        "clusters": [
            {"id": "r2", "label": "Report two", "members": ["c", "d", "e"], "x": 90.0, "y": 30.0},
            {"id": "r1", "label": "Report one", "members": ["a", "b"], "x": 15.0, "y": 0.0},
            {
                "id": UNSOURCED,
                "label": "Records no source document speaks of",
                "members": ["f"],
                "x": 500.0,
                "y": 500.0,
            },
        ],
        # degrees: a 3 (b twice, c), c 3, b 2, d 2, e 2, f 0; ties by id
        "shown": ["a", "c", "b"],
    }


def test_a_record_of_two_documents_goes_where_its_neighbours_are_or_to_the_first_on_a_tie() -> None:
    nodes = [
        {"id": "x", "sources": ["r2", "r1"], "x": 0.0, "y": 0.0},
        {"id": "y", "sources": ["r1"], "x": 10.0, "y": 0.0},
        {"id": "z", "sources": ["r2"], "x": 20.0, "y": 0.0},
    ]
    tie = build_overview(_model(nodes, [("x", "y"), ("x", "z")]))
    assert [(c["id"], c["members"]) for c in tie["clusters"]] == [("r1", ["x", "y"]), ("r2", ["z"])]
    lean = build_overview(_model(nodes, [("x", "z")]))
    assert [(c["id"], c["members"]) for c in lean["clusters"]] == [("r2", ["x", "z"]), ("r1", ["y"])]


def test_lay_out_adds_the_overview_only_above_the_threshold() -> None:
    model = _model([dict(n) for n in SMALL], SMALL_EDGES)
    lay_out(model, overview_threshold=6)
    assert "overview" not in model  # 6 nodes: not above 6
    lay_out(model, overview_threshold=5)
    assert [c["id"] for c in model["overview"]["clusters"]] == ["r2", "r1", UNSOURCED]
    assert model["overview"]["shown"] == ["a", "c", "b", "d", "e", "f"]
    lay_out(model, overview_threshold=6)
    assert "overview" not in model  # a stale overview is removed


def test_the_real_graph_is_drawn_whole(vm_laid_out: Any) -> None:
    assert len(vm_laid_out["nodes"]) < OVERVIEW_THRESHOLD and "overview" not in vm_laid_out


@pytest.fixture(scope="module")
def vm_laid_out() -> Any:
    from zhanaozen_graph import load_graph
    from zhanaozen_graph.explorer import build_view_model

    return lay_out(build_view_model(load_graph()))
