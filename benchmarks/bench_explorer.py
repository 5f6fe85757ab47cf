"""Benchmark the explorer on the real graph and on synthetic corpora, next to plain pyvis in the same run.

Graphs: the real graph (``data/``) and the output of ``zhanaozen-graph synth`` at several sizes (built
without SHACL into ``--work``, reused when present), not a random graph. For each graph:

- generation, by stage: the view model (SPARQL queries and quotes), the layout (with the overview
  above its threshold), the page (JSON and HTML); the graph is opened beforehand;
- in Debian's headless Chromium (Playwright): first meaningful draw (navigation start to the
  network's first ``afterDrawing``), a search until its results show, the date filter (the page's
  own ``filterMs``: re-filtering network, timeline and map), and pan frames (``requestAnimationFrame``
  intervals while the mouse drags the network for about a second);
- the same graph drawn whole (no overview), to show where the overview threshold lies;
- plain pyvis 0.3.2 with its defaults on the same nodes and edges (physics on; vis-network in line;
  the Bootstrap CDN links it always adds are blocked), its first draw capped.

Run: .venv/bin/python benchmarks/bench_explorer.py [--documents 32 128 --runs 3 --cap 60]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from zhanaozen_graph import load_graph
from zhanaozen_graph.explorer import ViewModel, build_view_model, lay_out
from zhanaozen_graph.explorer.overview import OVERVIEW_THRESHOLD
from zhanaozen_graph.explorer.page import render_page

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[1]
KEEP = "<!-- Written by hand from here on: bench_explorer.py keeps it when it rewrites the tables above. -->"
VIEWPORT = {"width": 1440, "height": 900}

FRAMES_START = """
(() => {
  window.__frames = [];
  let last = performance.now();
  window.__frameLoop = true;
  const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__frameLoop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()
"""


def corpus(work: Path, documents: int) -> tuple[Path, Path]:
    """The synthetic corpus of ``documents`` documents and its build, made once under ``work``."""
    from zhanaozen_graph.graph.build import build
    from zhanaozen_graph.synth import generate_corpus

    data, out = work / f"synth-{documents}", work / f"synth-{documents}-build"
    if not (data / "sources").is_dir():
        generate_corpus(data, documents, seed=1)
    if not (out / "manifest.json").is_file():
        build(data, out, shacl=False)
    return data, out


def generate(
    kg: Any, data_dir: Path | None, threshold: int | None = None
) -> tuple[ViewModel, str, dict[str, float]]:
    """The page for ``kg`` and the seconds each stage took."""
    t0, c0 = time.perf_counter(), time.process_time()
    vm = build_view_model(kg, data_dir=data_dir)
    t1, c1 = time.perf_counter(), time.process_time()
    lay_out(vm, overview_threshold=threshold)
    t2, c2 = time.perf_counter(), time.process_time()
    page = render_page(vm)
    t3, c3 = time.perf_counter(), time.process_time()
    return (
        vm,
        page,
        {
            "view_model": t1 - t0,
            "layout": t2 - t1,
            "page": t3 - t2,
            "total": t3 - t0,
            "cpu_view_model": c1 - c0,
            "cpu_layout": c2 - c1,
            "cpu_page": c3 - c2,
            "cpu_total": c3 - c0,
        },
    )


def generate_runs(
    kg: Any, data_dir: Path | None, runs: int, threshold: int | None = None
) -> tuple[ViewModel, str, dict[str, float], list[float]]:
    """:func:`generate` ``runs`` times: the last page, the median of each stage, and every run's CPU total."""
    results = [generate(kg, data_dir, threshold) for _ in range(max(1, runs))]
    vm, page, _ = results[-1]
    stages = {k: statistics.median(t[k] for _, _, t in results) for k in results[0][2]}
    return vm, page, stages, [t["cpu_total"] for _, _, t in results]


def _cpu_range(cpu: list[float]) -> str:
    return f"{min(cpu):.2f}-{max(cpu):.2f}" if len(cpu) > 1 else f"{cpu[0]:.2f}"


def _poll(page: Any, expression: str, cap: float) -> float | None:
    """Seconds until ``expression`` is truthy (polled from Python: the page's CSP forbids eval)."""
    start = time.perf_counter()
    while time.perf_counter() - start < cap:
        if page.evaluate(expression):
            return time.perf_counter() - start
        page.wait_for_timeout(10)
    return None


def pan_frames(page: Any, selector: str) -> list[float]:
    """Frame intervals (ms) while the mouse drags across ``selector`` for about a second."""
    box = page.locator(selector).bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.evaluate(FRAMES_START)
    page.mouse.down()
    for i in range(60):
        page.mouse.move(cx + 150 * ((i % 20) / 20 - 0.5) * 2, cy + 60 * ((i % 10) / 10 - 0.5), steps=1)
        page.wait_for_timeout(16)
    page.mouse.up()
    page.evaluate("window.__frameLoop = false")
    frames = page.evaluate("window.__frames")
    return [float(f) for f in frames[2:]]  # the first intervals include the set-up


def measure_explorer(browser: Any, path: Path, query: str) -> dict[str, Any]:
    page = browser.new_page(viewport=VIEWPORT)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    _poll(page, "document.documentElement.dataset.drawn === '1'", 120)
    first_draw = page.evaluate("zgExplorer.timings.firstDraw") / 1000
    drawn = page.evaluate("zgExplorer.nodesView.length")
    page.wait_for_timeout(300)
    frames = pan_frames(page, "#zg-network")
    t1 = time.perf_counter()
    page.fill("#zg-search", query)
    _poll(page, "document.querySelectorAll('#zg-results li').length > 0", 30)
    search = time.perf_counter() - t1
    page.fill("#zg-search", "")
    before = page.evaluate("zgExplorer.timings.filterMs || 0")
    page.fill("#zg-from", "2012-01-01")
    page.dispatch_event("#zg-from", "change")
    _poll(page, f"(zgExplorer.timings.filterMs || 0) !== {before!r}", 10)
    filter_ms = page.evaluate("zgExplorer.timings.filterMs")
    page.close()
    frames.sort()
    return {
        "first_draw_s": first_draw,
        "drawn": drawn,
        "search_s": search,
        "filter_ms": filter_ms,
        "frame_p50": statistics.median(frames) if frames else float("nan"),
        "frame_p95": frames[int(len(frames) * 0.95)] if frames else float("nan"),
        "requests": len(requests),
        "errors": len(errors),
    }


PYVIS_HOOK = """
(() => {
  const t = setInterval(() => {
    if (window.network && window.network.once) {
      clearInterval(t);
      window.network.once('afterDrawing', () => { window.__firstDraw = performance.now(); });
    }
  }, 5);
})();
"""


def measure_pyvis(browser: Any, vm: ViewModel, out: Path, cap: float) -> dict[str, Any]:
    from pyvis.network import Network

    t0 = time.perf_counter()
    net = Network(cdn_resources="in_line")
    for n in vm["nodes"]:
        net.add_node(n["id"], label=n["label"], title=n["label"])
    for e in vm["edges"]:
        net.add_edge(e["from"], e["to"], title=e["label"])
    net.write_html(str(out))
    python_s = time.perf_counter() - t0
    page = browser.new_page(viewport=VIEWPORT)
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.add_init_script(PYVIS_HOOK)
    page.goto(out.as_uri(), wait_until="commit")
    waited = _poll(page, "window.__firstDraw !== undefined", cap)
    draw = page.evaluate("window.__firstDraw") / 1000 if waited is not None else None
    frames = sorted(pan_frames(page, "#mynetwork")) if waited is not None else []
    page.close()
    return {
        "python_s": python_s,
        "first_draw_s": draw,
        "frame_p50": statistics.median(frames) if frames else None,
        "frame_p95": frames[int(len(frames) * 0.95)] if frames else None,
        "blocked": sorted(set(blocked)),
        "bytes": out.stat().st_size,
    }


def subgraph(vm: ViewModel, limit: int) -> ViewModel:
    """The records of the first source documents (in id order) up to ``limit`` nodes, with their edges."""
    order = sorted(vm["sources"])
    keep: set[str] = set()
    for source in order:
        members = {n["id"] for n in vm["nodes"] if n["sources"] and n["sources"][0] == source}
        if keep and len(keep) + len(members) > limit:
            break
        keep |= members
    nodes = [dict(n) for n in vm["nodes"] if n["id"] in keep]
    for n in nodes:  # laid out again on its own
        n.pop("x", None)
        n.pop("y", None)
        n.pop("size", None)
    edges = [e for e in vm["edges"] if e["from"] in keep and e["to"] in keep]
    out: Any = {**vm, "nodes": nodes, "edges": edges, "title": f"first {len(nodes)} nodes"}
    out.pop("overview", None)
    return out


def scan(browser: Any, vm: ViewModel, sizes: list[int], runs: int, tmp: Path) -> list[dict[str, Any]]:
    """First draw and pan frames of the whole graph (no overview) at growing sizes: where it stops being fast."""
    rows = []
    for size in sizes:
        part = subgraph(vm, size)
        lay_out(part, overview_threshold=10**9)
        path = tmp / f"scan-{size}.html"
        path.write_text(render_page(part), encoding="utf-8")
        measured = [measure_explorer(browser, path, "arrested") for _ in range(runs)]
        row = {k: statistics.median(r[k] for r in measured) for k in measured[0]}
        row.update(nodes=len(part["nodes"]), edges=len(part["edges"]))
        rows.append(row)
        print("scan", row, file=sys.stderr)
    return rows


def _s(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f} s"


def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f} ms"


def _verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return f"met ({value:.3g} < {limit:g})" if value < limit else f"**missed** ({value:.3g} >= {limit:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="*", default=[32, 128], help="Synthetic corpus sizes.")
    parser.add_argument(
        "--generation-only", type=int, nargs="*", default=[], help="Sizes timed in Python only."
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zg-bench-explorer")
    parser.add_argument("--cap", type=float, default=60.0, help="Longest wait for pyvis' first draw (s).")
    parser.add_argument("--runs", type=int, default=3, help="Page loads per graph (median).")
    parser.add_argument(
        "--generation-runs", type=int, default=3, help="Generations per graph (median of each stage)."
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-explorer.md")
    parser.add_argument("--skip-pyvis", action="store_true")
    parser.add_argument(
        "--pyvis-max-nodes",
        type=int,
        default=5000,
        help="Larger graphs skip pyvis (its add_edge scans every edge: quadratic).",
    )
    parser.add_argument(
        "--scan",
        type=int,
        nargs="*",
        default=[],
        help="Whole-graph draws of the first synth corpus cut at these sizes.",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-explorer-"))
    graphs: list[dict[str, Any]] = []
    sources: list[tuple[str, Any, Path | None, str]] = [("real graph", load_graph(), None, "Atabaev")]
    for n in args.documents:
        data, out = corpus(args.work, n)
        sources.append((f"synth, {n} documents", load_graph(data, out), data, "arrested"))
    for name, kg, data, query in sources:
        triples = len(kg)
        vm, page, stages, cpu = generate_runs(kg, data, args.generation_runs)
        path = tmp / f"{len(graphs)}.html"
        path.write_text(page, encoding="utf-8")
        whole = None
        if "overview" in vm:  # the same graph drawn whole, to show why the overview is there
            _, page_whole, _ = generate(kg, data, threshold=10**9)
            whole = tmp / f"{len(graphs)}-whole.html"
            whole.write_text(page_whole, encoding="utf-8")
        graphs.append(
            {
                "name": name,
                "triples": triples,
                "nodes": len(vm["nodes"]),
                "edges": len(vm["edges"]),
                "overview": "overview" in vm,
                "clusters": len(vm["overview"]["clusters"]) if "overview" in vm else 0,
                "stages": stages,
                "cpu_runs": cpu,
                "bytes": len(page.encode("utf-8")),
                "path": path,
                "whole": whole,
                "query": query,
                "vm": vm,
            }
        )
        print(name, triples, len(vm["nodes"]), len(vm["edges"]), stages, file=sys.stderr, flush=True)
    big: list[dict[str, Any]] = []
    for n in args.generation_only:
        data, out = corpus(args.work, n)
        kg = load_graph(data, out)
        vm, page, stages, cpu = generate_runs(kg, data, args.generation_runs)
        big.append(
            {
                "name": f"synth, {n} documents",
                "triples": len(kg),
                "nodes": len(vm["nodes"]),
                "edges": len(vm["edges"]),
                "stages": stages,
                "cpu_runs": cpu,
                "bytes": len(page.encode("utf-8")),
            }
        )
        print(big[-1], file=sys.stderr)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        version = browser.version
        for g in graphs:
            runs = [measure_explorer(browser, g["path"], g["query"]) for _ in range(args.runs)]
            g["browser"] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            if g["whole"] is not None:
                whole_runs = [measure_explorer(browser, g["whole"], g["query"]) for _ in range(args.runs)]
                g["browser_whole"] = {k: statistics.median(r[k] for r in whole_runs) for k in whole_runs[0]}
            if not args.skip_pyvis and g["nodes"] <= args.pyvis_max_nodes:
                g["pyvis"] = measure_pyvis(browser, g["vm"], tmp / f"pyvis-{g['nodes']}.html", args.cap)
            print(
                g["name"],
                g.get("browser"),
                g.get("browser_whole"),
                g.get("pyvis"),
                file=sys.stderr,
                flush=True,
            )
        scanned = (
            scan(browser, graphs[1]["vm"], args.scan, args.runs, tmp) if args.scan and len(graphs) > 1 else []
        )
        browser.close()

    cpu = subprocess.run(
        ["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True
    )
    load = os.getloadavg()[0]
    docs = " ".join(str(n) for n in args.documents)
    gen_only = (
        f" --generation-only {' '.join(map(str, args.generation_only))}" if args.generation_only else ""
    )
    lines = [
        "# Explorer benchmarks",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu.stdout.strip() or platform.machine()}), "
        f"Python {platform.python_version()}, Chromium {version} (Debian, headless), {time.strftime('%Y-%m-%d %H:%M')}; "
        f"load average {load:.1f} at the end of the run (the machine is shared: trust ratios over absolute times).",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_explorer.py --documents {docs}{gen_only} --runs {args.runs} "
        f"--generation-runs {args.generation_runs} "
        f"--cap {args.cap:g}{' --scan ' + ' '.join(map(str, args.scan)) if args.scan else ''}` (median of {args.runs} "
        f"page load(s) per row and of {args.generation_runs} generation(s), the CPU column also giving the "
        f"range; pyvis once, on graphs up to {args.pyvis_max_nodes:,} nodes).",
        "",
        "Graphs: the real graph and `zhanaozen-graph synth --seed 1` corpora (built without SHACL). Generation:",
        "view model (SPARQL and quotes) + layout (and overview) + page (JSON, HTML); the graph is opened first;",
        "wall-clock seconds, and the process's CPU seconds (what the work costs when the machine is not shared).",
        "First draw: navigation start to the network's first `afterDrawing`. Filter: the page's own time to",
        "re-filter network, timeline and map after typing 2012-01-01 into *from*. Frames: `requestAnimationFrame`",
        "intervals while the mouse drags the network (60 moves, 16 ms apart), median and 95th percentile.",
        f"Above {OVERVIEW_THRESHOLD:,} nodes the page opens on the overview (source documents as clusters and the",
        "150 most connected nodes); the *whole* rows draw the same graph with every node.",
        "",
        "| graph | triples | nodes / edges | renderer | generation, wall (view model + layout + page) | CPU | HTML | first draw "
        "| nodes drawn | search | date filter | pan frame p50 / p95 |",
        "|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for g in graphs:
        st, b = g["stages"], g["browser"]
        label = "explorer, overview" if g["overview"] else "explorer"
        lines.append(
            f"| {g['name']} | {g['triples']:,} | {g['nodes']:,} / {g['edges']:,} | {label} | "
            f"{st['total']:.2f} s ({st['view_model']:.2f} + {st['layout']:.2f} + {st['page']:.2f}) | "
            f"{st['cpu_total']:.2f} s ({_cpu_range(g['cpu_runs'])}) | {g['bytes'] / 1e6:.1f} MB | {b['first_draw_s']:.2f} s | {b['drawn']:,.0f} | {b['search_s']:.2f} s | "
            f"{b['filter_ms']:.0f} ms | {b['frame_p50']:.1f} / {b['frame_p95']:.1f} ms |"
        )
        if "browser_whole" in g:
            w = g["browser_whole"]
            lines.append(
                f"| {g['name']} | | | explorer, whole graph | | | | {w['first_draw_s']:.2f} s | {w['drawn']:,.0f} | "
                f"{w['search_s']:.2f} s | {w['filter_ms']:.0f} ms | {w['frame_p50']:.1f} / {w['frame_p95']:.1f} ms |"
            )
        if "pyvis" in g:
            pv = g["pyvis"]
            draw = _s(pv["first_draw_s"]) if pv["first_draw_s"] is not None else f"none within {args.cap:g} s"
            frames = (
                f"{pv['frame_p50']:.1f} / {pv['frame_p95']:.1f} ms" if pv["frame_p50"] is not None else "n/a"
            )
            lines.append(
                f"| {g['name']} | | | pyvis 0.3.2 defaults | {pv['python_s']:.2f} s | | {pv['bytes'] / 1e6:.1f} MB | "
                f"{draw} | {g['nodes']:,} | no search | no filter | {frames} |"
            )
    for g in big:
        st = g["stages"]
        lines.append(
            f"| {g['name']} | {g['triples']:,} | {g['nodes']:,} / {g['edges']:,} | explorer, overview | "
            f"{st['total']:.2f} s ({st['view_model']:.2f} + {st['layout']:.2f} + {st['page']:.2f}) | "
            f"{st['cpu_total']:.2f} s ({_cpu_range(g['cpu_runs'])}) | {g['bytes'] / 1e6:.1f} MB | not drawn | | | | |"
        )
    if scanned:
        lines += [
            "",
            f"Where the overview starts: the {graphs[1]['name']} corpus cut to its first documents, drawn whole "
            f"(`--scan {' '.join(map(str, args.scan))}`):",
            "",
            "| nodes / edges | first draw | pan frame p50 / p95 | date filter |",
            "|---|---:|---|---:|",
        ]
        for r in scanned:
            lines.append(
                f"| {r['nodes']:,} / {r['edges']:,} | {r['first_draw_s']:.2f} s | {r['frame_p50']:.1f} / "
                f"{r['frame_p95']:.1f} ms | {r['filter_ms']:.0f} ms |"
            )
    largest = max(graphs, key=lambda g: g["nodes"])
    lines += ["", f"Targets, on the largest graph drawn ({largest['name']}, {largest['nodes']:,} nodes):", ""]
    b = largest["browser"]
    lines += [
        f"- generation < 10 s: wall {_verdict(largest['stages']['total'], 10)}; "
        f"CPU {_verdict(largest['stages']['cpu_total'], 10)}",
        f"- first draw < 2 s: {_verdict(b['first_draw_s'], 2)}",
        f"- filter < 100 ms: {_verdict(b['filter_ms'], 100)}",
        # Headless Chromium paces requestAnimationFrame at 60 Hz: an interval of one vsync (16.7 ms) is a
        # frame on time, two (33 ms) a dropped frame. The 95th percentile says whether dragging stutters.
        f"- pan frames on time at 60 fps (95th percentile of the intervals at most one vsync, 17 ms): "
        f"{_verdict(b['frame_p95'], 17.0)}",
    ]
    for g in big:
        if g["triples"] >= 900_000:
            lines.append(
                f"- generation < 15 s at {g['triples']:,} triples ({g['name']}): wall {_verdict(g['stages']['total'], 15)}; "
                f"CPU {_verdict(g['stages']['cpu_total'], 15)}"
            )
    pv_blocked = sorted({u.rsplit("/", 1)[-1] for g in graphs for u in g.get("pyvis", {}).get("blocked", [])})
    if pv_blocked:
        lines += [
            "",
            f"pyvis' pages asked for outside URLs ({', '.join(pv_blocked)} from a public CDN), blocked here; the "
            f"explorer's pages made {max(g['browser']['requests'] for g in graphs):.0f} request (the file itself) "
            f"and logged {max(g['browser']['errors'] for g in graphs):.0f} console errors.",
        ]
    lines += [
        "",
        "Layout: a multilevel force layout in numpy (explorer/layout.py), near-linear; vis-network draws with",
        "physics off.",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Sections written by hand (before/after comparisons, layout quality) follow KEEP and survive a re-run.
    old = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
    if KEEP in old:
        lines += ["", KEEP + old.split(KEEP, 1)[1].rstrip("\n"), ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
