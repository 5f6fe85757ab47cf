"""The explorer's layout on synth builds: its CPU time and how well it reads, for several refinement budgets.

What it measures, on the laid-out graph (every node, edge length ~1 unit before scaling):

- ``edge_cv``: the coefficient of variation of the edge lengths (standard deviation over mean). Lower
  reads better: neighbours at similar distances. A layout that stopped too early stretches some edges.
- ``long``: the share of edges longer than three times the median edge length (edges that cross the
  picture).
- ``overlap``: the share of nodes whose nearest node is closer than a quarter of the median edge length.
- ``np``: neighbourhood preservation, the mean over nodes of the share of a node's ``d`` nearest nodes
  (``d`` its degree, at most 60) that are its neighbours in the graph.

``--finest R,E`` lays the graph out with R refinement rounds and close pairs found every E rounds at the
levels of 10,000 nodes or more (explorer/layout.py ``_rounds``), instead of the code's own choice
(``code``). The smaller levels keep the code's budget. Each variant runs ``--runs`` times; CPU median.

Run: PYTHONPATH=src .venv/bin/python benchmarks/bench_explorer_layout.py --documents 128 150 \\
         --finest code 20,3 10,5 5,5 2,5
(the corpora and builds are bench_explorer.py's, made once under ``--work``; needs scipy, the ``analysis`` extra).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_explorer import corpus


def quality(pos: Any, pairs: Any) -> dict[str, float]:
    """The measures of the module docstring for positions ``pos`` (n, 2) and unique edges ``pairs`` (m, 2)."""
    import numpy as np
    from scipy.spatial import cKDTree

    n = len(pos)
    degree = np.bincount(pairs.ravel(), minlength=n)
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b in pairs.tolist():
        neighbours[a].add(b)
        neighbours[b].add(a)
    tree = cKDTree(pos)
    kmax = min(int(degree.max()) + 1, 60)
    _, nearest = tree.query(pos, k=kmax + 1)
    shares = []
    for v in range(n):
        d = min(int(degree[v]), kmax)
        if d:
            shares.append(sum(1 for j in nearest[v][1 : d + 1].tolist() if j in neighbours[v]) / d)
    lengths = np.linalg.norm(pos[pairs[:, 0]] - pos[pairs[:, 1]], axis=1)
    median = float(np.median(lengths))
    closest, _ = tree.query(pos, k=2)
    return {
        "edge_cv": round(float(lengths.std() / lengths.mean()), 3),
        "long": round(float((lengths > 3 * median).mean()), 3),
        "overlap": round(float((closest[:, 1] < 0.25 * median).mean()), 3),
        "np": round(float(np.mean(shares)), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="*", default=[128, 150])
    parser.add_argument("--build", type=Path, nargs="*", default=[], help="Existing build directories.")
    parser.add_argument("--finest", nargs="*", default=["code", "20,3", "10,5"], help="code or ROUNDS,EVERY")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zg-bench-explorer")
    args = parser.parse_args()

    import numpy as np
    import pyoxigraph as ox

    from zhanaozen_graph.explorer import build_view_model
    from zhanaozen_graph.explorer import layout as L
    from zhanaozen_graph.graph.build import KnowledgeGraph

    builds = [(f"synth, {n} documents", corpus(args.work, n)[1]) for n in args.documents]
    builds += [(str(b), b) for b in args.build]
    code_rounds = L._rounds
    for name, build in builds:
        vm = build_view_model(KnowledgeGraph(ox.Store.read_only(str(build / "store"))))
        index = {node["id"]: i for i, node in enumerate(vm["nodes"])}
        edges = [
            (index[e["from"]], index[e["to"]]) for e in vm["edges"] if e["from"] in index and e["to"] in index
        ]
        n = len(vm["nodes"])
        pairs = np.unique(np.sort(np.array([(a, b) for a, b in edges if a != b]), axis=1), axis=0)
        for variant in args.finest:
            if variant == "code":
                L._rounds = code_rounds
            else:
                rounds, every = (int(x) for x in variant.split(","))
                L._rounds = lambda m, r=rounds, e=every: (r, e) if m >= 10_000 else code_rounds(m)
            cpu = []
            for _ in range(args.runs):
                t = time.process_time()
                pos = L.layout_positions(n, edges)
                cpu.append(time.process_time() - t)
            row = {
                "graph": name,
                "nodes": n,
                "finest": variant,
                "cpu_median": round(statistics.median(cpu), 2),
            }
            print(json.dumps(row | quality(np.array(pos, dtype=float), pairs)), flush=True)
        L._rounds = code_rounds


if __name__ == "__main__":
    main()
