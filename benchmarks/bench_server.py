"""Load on `zhanaozen-graph serve` over loopback: concurrent clients, error rate, latency, memory, worker kills.

Starts the real server (waitress, 2 worker processes) on the built graph, then runs CLIENTS threads that
each send REQUESTS requests over one HTTP/1.1 connection (kept alive), for two queries in turn: a
catalogue query (``/catalogue/legal-provisions``) and a join of 0.2-0.5 s. Every run is bounded in
count and in time (``--max-seconds`` per query; clients stop when it is reached). Reports per query:
requests done, the share of each status, whether every 503 carried ``Retry-After``, p50/p99 latency,
throughput, peak RSS of the server and its workers (sampled every 0.2 s from /proc), and how many
workers were killed for overrunning the time limit (the server logs each kill). Writes a Markdown
table to docs/benchmarks-server.md (``benchmarks/run.py`` includes it in docs/benchmarks.md).

Run: .venv/bin/python benchmarks/bench_server.py [--clients 20 --requests 50 --max-seconds 300]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import select
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

from zhanaozen_graph import load_graph

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "benchmarks-server.md"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c <http://www.w3.org/2000/01/rdf-schema#label> ?d }"
QUERIES = {
    "catalogue query `legal-provisions`": "/catalogue/legal-provisions?format=json",
    "a join of 0.2-0.5 s (`?a ?p ?b . ?c rdfs:label ?d`)": "/sparql?"
    + urllib.parse.urlencode({"query": HEAVY, "format": "json"}),
}


def start(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str, list[str]]:
    cmd = [sys.executable, "-m", "zhanaozen_graph", "serve", "--port", "0", "--workers", str(args.workers)]
    cmd += ["--timeout", str(args.timeout)]
    proc = subprocess.Popen(cmd, cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.5)
        if ready:
            line = proc.stderr.readline()
            if line.startswith("SPARQL endpoint at "):
                url = line.split(" at ", 1)[1].strip().removesuffix("sparql")
                log: list[str] = []
                threading.Thread(target=log.extend, args=(proc.stderr,), daemon=True).start()
                return proc, url, log
    proc.kill()
    raise SystemExit("the server did not start")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return total


def client(url: str, path: str, n: int, deadline: float, out: list[tuple[int, float, bool]]) -> None:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        start = time.monotonic()
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            status, retry = r.status, r.headers.get("Retry-After") is not None
            if r.will_close:
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
        except OSError:
            status, retry = 0, False
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
        out.append((status, time.monotonic() - start, retry))
    conn.close()


def run(
    url: str, path: str, proc: subprocess.Popen[str], log: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    kills_before = sum("query stopped after" in line for line in log)
    results: list[tuple[int, float, bool]] = []
    deadline = time.monotonic() + args.max_seconds
    peak = [rss_mb(proc.pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak.append(rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(url, path, args.requests, deadline, results))
        for _ in range(args.clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    done.set()
    sampler.join()
    time.sleep(0.5)
    latencies = sorted(r[1] for r in results)
    statuses = Counter(r[0] for r in results)
    busy = [r for r in results if r[0] == 503]
    return {
        "requests": len(results),
        "planned": args.clients * args.requests,
        "statuses": dict(statuses),
        "error_rate": 1 - statuses.get(200, 0) / max(1, len(results)),
        "retry_after": all(r[2] for r in busy),
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0,
        "throughput": len(results) / elapsed,
        "seconds": elapsed,
        "peak_rss_mb": max(peak),
        "kills": sum("query stopped after" in line for line in log) - kills_before,
    }


def single(url: str, path: str) -> float:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
    times = []
    for _ in range(5):
        start = time.monotonic()
        conn.request("GET", path)
        conn.getresponse().read()
        times.append(time.monotonic() - start)
    conn.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    kg = load_graph()
    triples = len(kg)
    del kg
    proc, url, log = start(args)
    rows = []
    try:
        for label, path in QUERIES.items():
            alone = single(url, path)
            fig = run(url, path, proc, log, args)
            rows.append((label, alone, fig))
            print(label, f"{alone:.3f}s alone", fig, flush=True)
    finally:
        proc.terminate()
        proc.wait(10)
    lines = [
        "# Server benchmarks",
        "",
        f"`benchmarks/bench_server.py`: `zhanaozen-graph serve` (waitress, {args.workers} worker processes, "
        f"time limit {args.timeout:g} s) on the real graph ({triples:,} quads), {args.clients} concurrent "
        f"clients x {args.requests} requests each over kept-alive HTTP/1.1 connections on loopback, each "
        f"query run capped at {args.max_seconds:g} s. One run on: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores; Python {platform.python_version()}. The machine was shared with other work.",
        "",
        "| query | alone (s) | requests | 200 | 503 (all with Retry-After?) | other | error rate | p50 (s) | p99 (s) | req/s | peak RSS MB | workers killed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, alone, f in rows:
        st = f["statuses"]
        other = sum(v for k, v in st.items() if k not in (200, 503))
        busy = st.get(503, 0)
        lines.append(
            f"| {label} | {alone:.3f} | {f['requests']}/{f['planned']} | {st.get(200, 0)} | "
            f"{busy} ({('yes' if f['retry_after'] else 'no') if busy else 'n/a'}) | {other} | {f['error_rate']:.1%} | "
            f"{f['p50']:.3f} | {f['p99']:.3f} | {f['throughput']:.1f} | {f['peak_rss_mb']:.0f} | {f['kills']} |"
        )
    lines += [
        "",
        "*peak RSS* is the server and its workers together. Reproduce: "
        f"`.venv/bin/python benchmarks/bench_server.py --clients {args.clients} --requests {args.requests}`.",
        "",
    ]
    args.out.write_text("\n".join(lines))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
