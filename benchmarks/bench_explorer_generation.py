"""Explorer generation only (view model + layout + page), wall and CPU by stage, on synth builds.

Run it twice with a different ``PYTHONPATH`` to compare two versions of the code on the same builds, in
the same session, side by side (docs/benchmarks-explorer.md, "Generation"):

    git archive e0ce1fd src | tar -x -C /tmp/before
    for code in /tmp/before/src src; do
        PYTHONPATH=$code .venv/bin/python benchmarks/bench_explorer_generation.py --documents 128 150
    done

Each run prints one JSON line per graph and run (seconds by stage, the sha256 of the page: the same
page from both versions), then the medians. The corpora and builds are made once under ``--work``
(``zhanaozen-graph synth --seed 1``, built without SHACL: bench_explorer.py's corpora, shared); ``--build DIR``
times existing build directories instead.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_explorer import corpus, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="*", default=[128, 150])
    parser.add_argument("--build", type=Path, nargs="*", default=[], help="Existing build directories.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zg-bench-explorer")
    args = parser.parse_args()

    import pyoxigraph as ox

    import zhanaozen_graph
    from zhanaozen_graph.graph.build import KnowledgeGraph

    builds = [(f"synth, {n} documents", corpus(args.work, n)[1]) for n in args.documents]
    builds += [(str(b), b) for b in args.build]
    print(f"code: {Path(zhanaozen_graph.__file__).parent}", file=sys.stderr)
    for name, build in builds:
        times: list[dict[str, float]] = []
        for run in range(args.runs):
            kg = KnowledgeGraph(ox.Store.read_only(str(build / "store")))
            vm, page, t = generate(kg, None)
            times.append(t)
            row = {"graph": name, "run": run + 1, "nodes": len(vm["nodes"]), "edges": len(vm["edges"])}
            row["page_sha256"] = hashlib.sha256(page.encode()).hexdigest()[:16]
            print(json.dumps(row | {k: round(v, 2) for k, v in t.items()}), flush=True)
        medians = {k: round(statistics.median(t[k] for t in times), 2) for k in times[0]}
        print(json.dumps({"graph": name, "median_of": args.runs} | medians), flush=True)


if __name__ == "__main__":
    main()
