"""Time the network projections and metrics on a KnowledgeGraph.

    python benchmarks/bench_network.py                  # the real graph (data/)
    python benchmarks/bench_network.py --sample 200     # betweenness from 200 sampled sources
    python benchmarks/bench_network.py --json

From Python (e.g. on a generated corpus):

    from bench_network import bench
    rows = bench(kg, sample=200)

Each row: step, seconds, nodes, edges, and the growth of the process's peak RSS (MB) during the step.
The first step runs the SPARQL queries the projections share (cached per graph afterwards).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zhanaozen_graph import KnowledgeGraph, load_graph
from zhanaozen_graph import network as net
from zhanaozen_graph.network.analysis import METRICS, centrality, communities, evolution, links, paths


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _size(result: Any) -> tuple[int | None, int | None]:
    if hasattr(result, "number_of_nodes"):
        return result.number_of_nodes(), result.number_of_edges()
    if hasattr(result, "__len__"):
        return len(result), None
    return None, None


def bench(kg: KnowledgeGraph, *, sample: int | None = None, seed: int = 42) -> list[dict[str, Any]]:
    """Time each projection and metric once on ``kg``; betweenness is sampled when ``sample`` is set."""
    net._CACHE.pop(kg, None)  # time the SPARQL fetch too
    rows: list[dict[str, Any]] = []

    def step(name: str, fn: Callable[[], Any]) -> Any:
        peak = _peak_mb()
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        nodes, edges = _size(result)
        print(f"{name}: {seconds:.3f} s", file=sys.stderr, flush=True)
        rows.append(
            {
                "step": name,
                "seconds": round(seconds, 4),
                "nodes": nodes,
                "edges": edges,
                "peak_rss_growth_mb": round(_peak_mb() - peak, 1),
            }
        )
        return result

    step("imports (networkx, pandas, scipy)", _imports)
    step("sparql rows (shared)", lambda: net._rows(kg).nodes)
    step("full_graph", lambda: net.full_graph(kg))
    step("actor_event_graph", lambda: net.actor_event_graph(kg))
    G = step("coparticipation_graph", lambda: net.coparticipation_graph(kg))
    step("place_tree", lambda: net.place_tree(kg))
    step("precedence_graph", lambda: net.precedence_graph(kg))
    step(
        f"centrality (betweenness {'k=' + str(sample) if sample else 'exact'})",
        lambda: centrality(G, sample=sample, seed=seed),
    )
    step(
        "centrality without closeness", lambda: centrality(G, sample=sample, seed=seed, metrics=_NO_CLOSENESS)
    )
    step("communities (louvain)", lambda: communities(G, seed=seed))
    step("links as_of median date", lambda: links(kg, as_of=_median_date(kg)))
    top = sorted(G.degree, key=lambda x: (-x[1], x[0]))[:2]
    if len(top) == 2:
        step("paths between the two busiest actors", lambda: paths(kg, top[0][0], top[1][0]))
    step("evolution of degree (each event start)", lambda: evolution(kg, "degree"))
    step("export gexf (full)", lambda: net.export_network(kg, "gexf", "full"))
    return rows


_NO_CLOSENESS = tuple(m for m in METRICS if m != "closeness")


def _imports() -> None:
    import networkx
    import pandas
    import scipy.sparse

    del networkx, pandas, scipy


def _median_date(kg: KnowledgeGraph) -> str:
    dates = sorted(
        a["earliest"] for a in net._rows(kg).nodes.values() if a["type"] == "Event" and "earliest" in a
    )
    return dates[len(dates) // 2] if dates else "2000-01-01"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="data directory [default: ./data]")
    parser.add_argument("--build-dir", type=Path, help="build directory [default: build/]")
    parser.add_argument("--sample", type=int, help="estimate betweenness from K sources")
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    kg = load_graph(args.data, args.build_dir)
    load = time.perf_counter() - start
    rows = bench(kg, sample=args.sample)
    if args.json:
        print(json.dumps({"triples": len(kg), "load_seconds": round(load, 3), "steps": rows}, indent=2))
    else:
        from zhanaozen_graph.output import render_rows

        print(f"{len(kg)} quads loaded in {load:.2f} s", file=sys.stderr)
        print(render_rows(rows, "table"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
