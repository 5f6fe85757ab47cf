"""Median latency of each catalogue query on the document's graph, and the cold start of a one-shot query.

Run: .venv/bin/python benchmarks/bench_catalogue.py [--repeat 21] [--cold 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from zhanaozen_graph import load_graph
from zhanaozen_graph.sparql.queries import list_queries, run_query

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=21, help="runs per query (median reported)")
    parser.add_argument("--cold", type=int, default=15, help="runs of the whole `query timeline` command")
    args = parser.parse_args()

    kg = load_graph()
    print(f"graph: {len(kg)} quads; {args.repeat} runs per query, median and min in ms\n")
    print("| query | rows | median ms | min ms |")
    print("|---|---:|---:|---:|")
    for q in list_queries():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = run_query(kg, q)
            times.append((time.perf_counter() - start) * 1000)
        print(f"| {q.name} | {len(result)} | {statistics.median(times):.2f} | {min(times):.2f} |")

    exe = str(Path(sys.executable).with_name("zhanaozen-graph"))
    cmd = [exe, "query", "timeline"]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)  # warm the build cache and the OS cache
    runs = []
    for _ in range(args.cold):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - start)
    print(
        f"\n`zhanaozen-graph query timeline` as a whole command (new process, cached build), {args.cold} runs: "
        f"median {statistics.median(runs):.3f} s, min {min(runs):.3f} s, max {max(runs):.3f} s"
    )


if __name__ == "__main__":
    main()
