"""Benchmark SHACL validation (``validate_quads``): CPU of the process and its workers, peak PSS of the tree.

Each run is a fresh process that reads the quads of an N-Quads file (before the clock starts, unless
``--stream``), validates them with the ``zhanaozen_graph`` found under ``--src`` (so two checkouts can be
compared side by side) and prints one JSON line. While it runs, the summed proportional set size
(PSS, from ``/proc/PID/smaps_rollup``) of the process and its children is sampled every 0.25 s: a
worker's RSS counts pages it shares with its parent, PSS splits them. CPU seconds are the process's
plus its children's (``RUSAGE_CHILDREN``): on a shared machine they are the figures to compare.

Run: .venv/bin/python benchmarks/bench_shacl.py --quads graph.nq [--src SRC ...] [--runs 2]
     [--options '{"part_triples": 25000}'] [--stream]
The quads of a build are its ``graph.nq``; ``before``/``after`` comparisons alternate the ``--src`` trees.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import pyoxigraph as ox
from zhanaozen_graph.graph.shacl import validate_quads
options = json.loads(sys.argv[3])
stream = options.pop("stream", False)
quads = ox.parse(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)
if not stream:
    quads = list(quads)
wall, cpu = time.perf_counter(), time.process_time()
report = validate_quads(quads, **options)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": round(wall, 2), "cpu_s": round(cpu + children.ru_utime + children.ru_stime, 2),
                  "cpu_parent_s": round(cpu, 2), "conforms": report.conforms, "results": len(report.results)}))
"""


def _pss_kb(pid: int) -> int:
    """The PSS of a process and its descendants, in kB (0 for a process that is gone)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        # Each thread's own children: the workers are started from threads of their own.
        children = [
            c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()
        ]
    except OSError:
        return total
    return total + sum(_pss_kb(int(child)) for child in children)


def run(src: str, quads: str, options: dict[str, object]) -> dict[str, object]:
    """One validation in a fresh process; its figures and the tree's peak PSS."""
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, src, quads, json.dumps(options)], stdout=subprocess.PIPE, text=True
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _pss_kb(process.pid))
        time.sleep(0.25)
    out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"the run failed with exit code {process.returncode}")
    figures: dict[str, object] = {
        "src": src,
        "options": options,
        **json.loads(out),
        "peak_pss_mb": peak // 1024,
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", required=True, help="an N-Quads file (a build's graph.nq)")
    parser.add_argument("--src", nargs="+", default=[str(Path(__file__).resolve().parents[1] / "src")])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--options", default="{}", help="keyword arguments of validate_quads, as JSON")
    parser.add_argument("--stream", action="store_true", help="pass the quads as they are parsed")
    args = parser.parse_args()
    options = json.loads(args.options)
    if args.stream:
        options["stream"] = True
    for _ in range(args.runs):
        for src in args.src:
            print(json.dumps(run(src, args.quads, dict(options))), flush=True)


if __name__ == "__main__":
    main()
