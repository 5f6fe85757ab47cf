"""Benchmarks of the whole pipeline at about 10^4, 10^5 and 10^6 triples, against plain rdflib.

Run by ``make bench``; ``python benchmarks/run.py --sizes 1e4`` for a quick run. Each stage runs in a
fresh subprocess (``--stage``) that prints its wall time and peak RSS (``ru_maxrss``) as JSON; the
parent writes ``benchmarks/results.json``, ``docs/benchmarks.md`` and ``docs/benchmarks.png``.
Stages that other branches provide (catalogue queries, NetworkX projection, explorer) are measured
with whatever this checkout has: the catalogue's queries if ``zhanaozen_graph.sparql.queries`` exists (else
the timeline's own queries), ``zhanaozen_graph.network.projections`` (else a co-participation projection from
SPARQL), ``zhanaozen_graph.explorer`` (else the stage is skipped).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
LARGE = REPO / "benchmarks" / "results-large.json"  # written by `make bench-large` (10^7 triples)
TRIPLES_PER_DOCUMENT = 5200  # measured: a synthetic document gives ~5,200 triples
ONTOLOGY_TRIPLES = 1350
SEED = 7
STAGE_TIMEOUT = 3600.0
QUERY_RUNS = 3
QUERY_ONE_RUN_OVER = 10.0  # seconds: 5x the 2 s target
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
ID = "https://w3id.org/zhanaozen-graph/id/"
COPARTICIPATION = f"""
PREFIX sem: <{SEM}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?a ?b (COUNT(DISTINCT ?e) AS ?weight) WHERE {{
  ?e a sem:Event ; sem:hasActor ?ra, ?rb . ?ra rdf:value ?a . ?rb rdf:value ?b . FILTER(STR(?a) < STR(?b))
}} GROUP BY ?a ?b"""


# --- the stages, run in a child process ----------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_CPU: list[float] = []  # CPU seconds of each _timed call in this process, the last one last


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    _CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, value


def _catalogue() -> list[tuple[str, str, dict[str, str]]]:
    """(name, SPARQL, parameters) of every catalogue query, or the timeline's queries without one."""
    params = {
        "actor": f"<{ID}person/d00000-person-1>",
        "place": f"<{ID}place/d00000-place-1>",
        "event": f"<{ID}event/d00000-event-1>",
        "record": f"<{ID}event/d00000-event-1>",
        "claim": f"<{ID}claim/d00000-claim-1>",
        "entity": f"<{ID}organisation/d00000-organisation-2>",
        "source": f"<{ID}source/synth-00000>",
    }
    try:
        from zhanaozen_graph.sparql.queries import list_queries  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        from zhanaozen_graph import timeline as tl

        return [
            (f"timeline-{n.lower()}", getattr(tl, n), {})
            for n in ("EVENTS", "PLACES", "PARTICIPANTS", "EVIDENCE")
        ]
    out = []
    for info in list_queries():
        names = {p.name for p in info.parameters}
        out.append((info.name, info.text, {k: v for k, v in params.items() if k in names}))
    return out


def _bindings(text: str, params: dict[str, str]) -> dict[str, Any]:
    """The pyoxigraph terms the catalogue binds (its header's defaults and our ``params``)."""
    if not params and "# param:" not in text:
        return {}
    from zhanaozen_graph.sparql.queries import QueryInfo, bind_parameters  # type: ignore[import-not-found, unused-ignore]

    return dict(bind_parameters(QueryInfo.from_text(text), params))


def _query_median(target: Any, name: str, runs: int = QUERY_RUNS) -> tuple[float, float, int, int]:
    """Median wall and CPU seconds of up to ``runs`` runs of catalogue query ``name`` as ``zhanaozen-graph query`` runs it.

    ``run_query`` binds the parameters the way the command does (a ``VALUES`` block), on the graph or on an
    endpoint URL; CPU is this process's (for a server, see :func:`_server_cpu`). A query whose first run
    takes longer than :data:`QUERY_ONE_RUN_OVER` is run once (it misses the 2 s target whatever the median;
    at 10^7 this saves ~20 minutes). Returns (wall, CPU, rows, runs).
    """
    from zhanaozen_graph.sparql.queries import run_query

    _, _, params = next(q for q in _catalogue() if q[0] == name)
    walls, cpus, rows = [], [], 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_query(target, name, params)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        rows = len(result.rows) if result.kind == "select" else len(result.triples)
        if walls[0] > QUERY_ONE_RUN_OVER:
            break
    return statistics.median(walls), statistics.median(cpus), rows, len(walls)


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the process ``pid`` has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RdflibGraph:
    """Plain rdflib behind the ``select`` of :class:`~zhanaozen_graph.graph.build.KnowledgeGraph` (for the same code)."""

    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None) -> Any:
        from rdflib import BNode, Literal, URIRef, Variable

        def term(t: Any) -> Any:
            import pyoxigraph as ox

            if isinstance(t, ox.NamedNode):
                return URIRef(t.value)
            if isinstance(t, ox.BlankNode):
                return BNode(t.value)
            if t.language:
                return Literal(t.value, lang=t.language)
            return Literal(t.value, datatype=URIRef(t.datatype.value))

        bindings = {Variable(k): term(v) for k, v in (substitutions or {}).items()}
        return self.dataset.query(sparql, initBindings=bindings)

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        from rdflib import Literal

        result = self.query(sparql, bindings or None)
        names = [str(v) for v in result.vars]
        ints = (
            "http://www.w3.org/2001/XMLSchema#integer",
            "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
        )

        def py(t: Any) -> Any:
            if t is None:
                return None
            if isinstance(t, Literal) and t.datatype is not None and str(t.datatype) in ints:
                return int(t)
            return str(t)

        return [{n: py(row[n]) for n in names} for row in result]


def _network(kg: Any) -> int:
    import networkx as nx

    try:
        from zhanaozen_graph.network.projections import coparticipation_graph  # type: ignore[import-not-found, unused-ignore]

        graph = coparticipation_graph(kg)
    except ImportError:
        graph = nx.Graph()
        for row in kg.select(COPARTICIPATION):
            graph.add_edge(row["a"], row["b"], weight=int(row["weight"]))
    nx.degree_centrality(graph)
    nx.pagerank(graph, weight="weight")
    nx.betweenness_centrality(graph, k=min(200, len(graph)), seed=1)
    return int(graph.number_of_edges())


def _explorer(kg: Any, out: Path) -> int:
    from zhanaozen_graph.explorer import write_explorer  # type: ignore[import-not-found, unused-ignore]

    write_explorer(kg, out / "explorer.html")
    return (out / "explorer.html").stat().st_size


def run_stage(stage: str, data: Path, build: Path, work: Path) -> dict[str, Any]:
    """Run one stage in this process; return its figures."""
    from zhanaozen_graph.graph.build import build as run_build
    from zhanaozen_graph.graph.build import load_graph

    result: dict[str, Any] = {}
    if stage == "build":
        seconds, res = _timed(lambda: run_build(data, build, shacl=False))
        result["triples"] = res.triples
    elif stage == "quotes":
        from zhanaozen_graph.records.evidence import SourceIndex
        from zhanaozen_graph.records.load import load_dataset

        ds = load_dataset(data)
        quotes = [
            (q if isinstance(q, str) else q["quote"], r.default_source if isinstance(q, str) else q["source"])
            for r in ds.records.values()
            for q in r.data["evidence"]
        ]

        def verify() -> int:
            indexes = {sid: SourceIndex(s.text) for sid, s in ds.sources.items()}
            missing = sum(indexes[str(src)].find(q) is None for q, src in quotes)
            assert missing == 0
            return len(quotes)

        seconds, result["quotes"] = _timed(verify)
    elif stage == "shacl":
        from zhanaozen_graph.graph.rdf import build_quads
        from zhanaozen_graph.graph.shacl import validate_quads
        from zhanaozen_graph.records.load import load_dataset
        from zhanaozen_graph.records.validate import check_dataset

        quads = build_quads(check_dataset(load_dataset(data)))
        seconds, report = _timed(lambda: validate_quads(quads))
        result["conforms"] = report.conforms
    elif stage == "shacl-whole":
        from zhanaozen_graph.graph.rdf import build_quads
        from zhanaozen_graph.graph.shacl import validate_quads
        from zhanaozen_graph.records.load import load_dataset
        from zhanaozen_graph.records.validate import check_dataset

        quads = build_quads(check_dataset(load_dataset(data)))
        seconds, report = _timed(lambda: validate_quads(quads, cheap=False))
        result["conforms"] = report.conforms
    elif stage in ("load", "load-memory"):
        seconds, kg = _timed(lambda: load_graph(data, build, in_memory=stage == "load-memory"))
        result["quads"] = kg.manifest["quads"]
    elif stage.startswith("query:"):
        name = stage.split(":", 1)[1]
        kg = load_graph(data, build)
        seconds, cpu, rows, runs = _query_median(kg, name)
        result.update(rows=rows, cpu=cpu, runs=runs, load=os.getloadavg()[0])
    elif stage in ("timeline", "timeline-memory"):
        from zhanaozen_graph.timeline import timeline

        kg = load_graph(data, build, in_memory=stage == "timeline-memory")
        seconds, entries = _timed(lambda: timeline(kg))
        result["rows"] = len(entries)
    elif stage == "network":
        kg = load_graph(data, build)
        seconds, result["edges"] = _timed(lambda: _network(kg))
    elif stage == "explorer":
        kg = load_graph(data, build)
        seconds, result["bytes"] = _timed(lambda: _explorer(kg, work))
    elif stage == "rdflib-build":
        seconds = _rdflib_build(data, work)
    elif stage in ("rdflib-session", "rdflib-network"):
        return _rdflib_session(build, network=stage == "rdflib-network")
    elif stage in ("oxigraph-session", "oxigraph-session-no-push", "oxigraph-session-read-only"):
        return _oxigraph_session(
            data, build, work, push=stage == "oxigraph-session", read_only=stage.endswith("read-only")
        )
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    if stage.startswith("shacl") or stage == "build":
        # pyshacl's parts run in forked workers (issue-17d), a big build's formats and store in two more
        # processes: count them too (CPU added; the largest helper's peak given apart)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["cpu"] = (_CPU[-1] if _CPU else 0.0) + children.ru_utime + children.ru_stime
        result["children_peak_mb"] = children.ru_maxrss / 1024
    result.setdefault("cpu", _CPU[-1] if _CPU else None)
    result.setdefault("load", os.getloadavg()[0])
    result.update(seconds=seconds, peak_mb=_peak_mb())
    return result


def _rdflib_build(data: Path, work: Path) -> float:
    """The same build, with rdflib holding the graph and writing the five formats."""
    import rdflib

    from zhanaozen_graph.graph.rdf import build_quads
    from zhanaozen_graph.records.load import load_dataset
    from zhanaozen_graph.records.validate import check_dataset

    def run() -> None:
        quads = build_quads(check_dataset(load_dataset(data)))
        import pyoxigraph as ox

        ds = rdflib.Dataset()
        ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
        union = rdflib.Graph()
        for s, p, o, _g in ds.quads():
            union.add((s, p, o))
        union.serialize(work / "rdflib.ttl", format="turtle")
        union.serialize(work / "rdflib.nt", format="nt")
        ds.serialize(work / "rdflib.trig", format="trig")
        ds.serialize(work / "rdflib.nq", format="nquads")
        ds.serialize(work / "rdflib.jsonld", format="json-ld")

    seconds, _ = _timed(run)
    return seconds


def _rdflib_session(build: Path, network: bool) -> dict[str, Any]:
    """Load the N-Quads into rdflib once, then time each query and the timeline, or the projection."""
    import rdflib

    from zhanaozen_graph.timeline import timeline

    ds = rdflib.Dataset(default_union=True)
    figures: dict[str, Any] = {}
    figures["load"], _ = _timed(lambda: ds.parse(build / "graph.nq", format="nquads"))
    kg = RdflibGraph(ds)
    if network:
        figures["network"], _ = _timed(lambda: _network(kg))
        return {"stages": figures, "peak_mb": _peak_mb()}
    from zhanaozen_graph.sparql.text import insert_values

    for name, text, params in _catalogue():
        # The text `zhanaozen-graph query` sends: the parameters in a VALUES block (see _query_median).
        sent = insert_values(text, {k: str(v) for k, v in _bindings(text, params).items()})
        figures[f"query:{name}"], _ = _timed(lambda t=sent: list(ds.query(t)))  # type: ignore[misc]
    figures["timeline"], _ = _timed(lambda: timeline(kg))  # type: ignore[arg-type]
    return {"stages": figures, "peak_mb": _peak_mb()}


def _oxigraph_session(
    data: Path, build: Path, work: Path, push: bool = True, read_only: bool = False
) -> dict[str, Any]:
    """An Oxigraph server on loopback: bulk load, push over HTTP, then open, timeline and every query through it.

    With ``read_only`` the server serves the build's own store (``oxigraph serve-read-only``): no bulk
    load and no push, for 10^7 triples, where the two would take longer than everything else together.
    """
    import socket
    import urllib.request

    from zhanaozen_graph.graph.build import load_graph
    from zhanaozen_graph.sparql.remote import load_oxigraph_directory
    from zhanaozen_graph.sparql.remote import push as push_graph
    from zhanaozen_graph.timeline import timeline

    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    location = build / "store" if read_only else work / "oxigraph"
    kg = load_graph(data, build)
    figures: dict[str, Any] = {}
    if not read_only:
        shutil.rmtree(location, ignore_errors=True)
        figures["server:bulk-load"], _ = _timed(lambda: load_oxigraph_directory(kg, location))
        figures["server:stage-cpu:bulk-load"] = _CPU[-1]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            exe,
            "serve-read-only" if read_only else "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        if push and not read_only:
            before = _server_cpu(proc.pid)
            figures["server:push"], _ = _timed(
                lambda: push_graph(kg, f"{base}/store", method="gsp", timeout=3600)
            )
            figures["server:stage-cpu:push"] = _CPU[-1] + _server_cpu(proc.pid) - before  # client + server
        figures["server:open"], remote = _timed(lambda: load_graph(endpoint=f"{base}/query", timeout=600))
        figures["server:stage-cpu:open"] = _CPU[-1]  # the client's: opening sends one ASK
        before = _server_cpu(proc.pid)
        figures["server:timeline"], _ = _timed(lambda: timeline(remote))
        figures["server:stage-cpu:timeline"] = _CPU[-1] + _server_cpu(proc.pid) - before  # client + server
        for name, _, _ in _catalogue():
            before = _server_cpu(proc.pid)
            wall, _, rows, runs = _query_median(f"{base}/query", name)
            figures[f"server:query:{name}"] = wall
            figures[f"server:cpu:{name}"] = (_server_cpu(proc.pid) - before) / runs
            figures[f"server:rows:{name}"] = rows
            figures[f"server:runs:{name}"] = runs
        figures["server:load"] = os.getloadavg()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if not read_only:
            shutil.rmtree(location, ignore_errors=True)
    return {"stages": figures, "peak_mb": _peak_mb(), "read_only": read_only}


# --- the parent: corpora, children, tables ---------------------------------------------------------


def child(stage: str, data: Path, build: Path, work: Path) -> dict[str, Any] | None:
    """Run ``stage`` in a fresh interpreter; its figures, or None if it failed or timed out."""
    cmd = [sys.executable, __file__, "--stage", stage, "--data", str(data), "--build", str(build)]
    cmd += ["--work", str(work)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=STAGE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        print(f"  {stage}: timed out after {STAGE_TIMEOUT:.0f} s", file=sys.stderr)
        return None
    if proc.returncode != 0:
        print(f"  {stage}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    figures: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures


def documents_for(triples: float) -> int:
    return max(1, round((triples - ONTOLOGY_TRIPLES) / TRIPLES_PER_DOCUMENT))


def _wanted(stage: str, only: list[str] | None) -> bool:
    """Whether ``--stages`` asks for ``stage`` (all stages without it; ``query`` names every catalogue query)."""
    return only is None or stage in only or stage.split(":", 1)[0] in only


def bench_size(
    target: float,
    root: Path,
    with_rdflib: bool,
    only: list[str] | None = None,
    push: bool = True,
    server_read_only: bool = False,
    save: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    from zhanaozen_graph.synth import generate_corpus

    docs = documents_for(target)
    data, build, work = root / f"corpus-{docs}", root / f"build-{docs}", root / f"work-{docs}"
    if not (data / "sources").is_dir():
        generate_corpus(data, docs, SEED)
    if _wanted("build", only):
        shutil.rmtree(build, ignore_errors=True)
    elif not (build / "manifest.json").exists():
        raise SystemExit(f"{build} has no build: run the build stage too")
    work.mkdir(parents=True, exist_ok=True)
    print(f"size ~{target:.0e}: {docs} documents", file=sys.stderr)
    stages: dict[str, Any] = {}
    started, load_before = time.time(), os.getloadavg()

    def run(stage: str) -> None:
        if not _wanted(stage, only):
            return
        figures = child(stage, data, build, work)
        if figures is not None:
            stages[stage] = figures
            print(f"  {stage}: {figures['seconds']:.3f} s, {figures['peak_mb']:.0f} MB", file=sys.stderr)
        if save is not None:  # what is measured so far, should a later stage never end
            save({"documents": docs, "triples": stages.get("build", {}).get("triples", 0), "stages": stages})

    for stage in ("build", "quotes", "shacl", "shacl-whole", "load", "load-memory"):
        run(stage)
    for stage in ("timeline", "timeline-memory"):
        run(stage)
    for name, _, _ in _catalogue():
        run(f"query:{name}")
    run("network")
    if _has_module("zhanaozen_graph.explorer"):
        run("explorer")
    triples = stages["build"]["triples"] if "build" in stages else _manifest_triples(build)
    result: dict[str, Any] = {"documents": docs, "triples": triples, "stages": stages}
    result["run"] = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "commit": _commit(),
        "load_at_start": [round(x, 2) for x in load_before],
    }
    if _wanted("oxigraph-session", only):
        kind = "oxigraph-session-read-only" if server_read_only else "oxigraph-session"
        if not push and not server_read_only:
            kind = "oxigraph-session-no-push"
        server = child(kind, data, build, work)
        if server is not None:
            result["oxigraph"] = server
    if with_rdflib and (only is None or "rdflib" in only):
        rb = child("rdflib-build", data, build, work)
        session = child("rdflib-session", data, build, work)
        net = child("rdflib-network", data, build, work)
        rdf: dict[str, Any] = dict(session["stages"]) if session else {}
        if net:
            rdf["network"] = net["stages"]["network"]
        if rb:
            rdf["build"] = rb["seconds"]
        result["rdflib"] = {"seconds": rdf, "peak_mb": session["peak_mb"] if session else None}
    shutil.rmtree(work, ignore_errors=True)
    result["run"]["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    result["run"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return result


def _commit() -> str:
    """The checkout's commit (with ``+`` if it has changes), or ``unknown``."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+" if dirty else "")


def _manifest_triples(build: Path) -> int:
    manifest = json.loads((build / "manifest.json").read_text())
    return int(manifest.get("triples", manifest["quads"]))


def _has_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def cold_start(runs: int = 5) -> dict[str, Any]:
    """``zhanaozen-graph query`` (or ``timeline`` before the catalogue exists) on the real graph, as a whole command."""
    exe = str(Path(sys.executable).with_name("zhanaozen-graph"))
    build = Path(os.environ.get("TMPDIR", "/tmp")) / "zg-bench-real-build"
    env = dict(os.environ, ZHANAOZEN_BUILD=str(build), ZHANAOZEN_DATA=str(REPO / "data"))
    has_query = (
        subprocess.run([exe, "query", "--help"], capture_output=True, env=env, check=False).returncode == 0
    )
    command = [exe, "query", "timeline"] if has_query else [exe, "timeline"]
    subprocess.run(command, capture_output=True, env=env, check=True)  # builds the cache once

    def median(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env, check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    from zhanaozen_graph.timeline import EVENTS

    rdflib_cmd = [
        sys.executable,
        "-c",
        "import sys, rdflib; ds = rdflib.Dataset(default_union=True); "
        f"ds.parse({str(build / 'graph.nq')!r}, format='nquads'); "
        f"[print(*r) for r in ds.query({EVENTS!r})]",
    ]
    return {
        "command": " ".join(["zhanaozen-graph", *command[1:]]),
        "seconds": median(command),
        "rdflib": median(rdflib_cmd),
    }


# --- the report -------------------------------------------------------------------------------------

STAGE_NAMES = {
    "build": "build from records (no SHACL; 5 formats + store)",
    "quotes": "quote verification",
    "shacl": "SHACL validation (pyshacl, flat shapes, only the triples they read)",
    "shacl-whole": "SHACL validation (pyshacl, whole graph, shapes as generated)",
    "load": "load (persisted store, read-only)",
    "load-memory": "load (N-Quads into memory)",
    "timeline": "timeline (persisted store)",
    "timeline-memory": "timeline (in memory)",
    "network": "NetworkX projection + metrics",
    "explorer": "explorer generation",
}
SERVER_NAMES = {
    "server:bulk-load": "bulk load into the stopped server's directory (`push --oxigraph-dir`)",
    "server:push": "push over HTTP (Graph Store Protocol, streamed, counted after)",
    "server:open": "open (`load_graph(endpoint=...)`)",
    "server:timeline": "`timeline()` through the endpoint",
    "server:query:timeline": "query `timeline` (median of 3)",
    "server:query:actor": "query `actor` (median of 3)",
    "server:query:detentions": "query `detentions` (median of 3)",
}
RDFLIB_EQUIVALENT = {"load-memory": "load", "timeline-memory": "timeline", "load": "load"}


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
        )
        mem_gb = int(mem.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        mem_gb = 0.0
    import pyoxigraph
    import rdflib

    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}"
    )


def render(results: dict[str, Any]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`benchmarks/run.py`); the figures below are from one run on:",
        "",
        f"> {results['machine']}",
        "",
        "Corpora come from `zhanaozen-graph synth` (seed 7, ~5,200 triples a document). Each stage runs in a",
        "fresh process; *peak MB* is that process's maximum resident set size (loading included). The rdflib",
        "column is the same stage with plain rdflib holding the graph (`rdflib.Dataset`, default union graph):",
        "for the build, rdflib parses the quads and writes the five formats; queries, timeline and projection",
        "run in one rdflib process after one load, whose peak memory is given on the *load* line.",
        "*ratio* = rdflib time / our time (higher is better for us). SHACL runs on rdflib in both (pyshacl)",
        "and quote verification is pure Python, so they have no ratio.",
        "",
        "The *Oxigraph server* columns are the same stage through `oxigraph serve --union-default-graph` on",
        "loopback (the build bulk-loaded into its directory, then pushed over HTTP as well), as",
        "`load_graph(endpoint=...)` and `zhanaozen-graph query --endpoint` use it.",
        "",
        "The machine is shared: other sessions build, test and drive Chromium on the same 2 cores, so each",
        "size gives the load average when it ran and each stage its CPU seconds beside the wall time. Read the",
        "CPU column for what a stage costs and the wall column for what a user waited.",
        "",
        "Reproduce: `make bench` (10^4 to 10^6 with rdflib, an hour or more), or",
        "`.venv/bin/python benchmarks/run.py --sizes 1e4` for a quick run; `make bench-large` for 10^7 (it",
        "writes `docs/benchmarks-large.md`, and its results, `benchmarks/results-large.json`, are added to",
        "this page). `--no-rdflib` skips the comparison;",
        "`--from-json benchmarks/results.json` redraws this page. How the store was chosen, and what was",
        "optimised for these sizes: [scale.md](scale.md).",
        "",
    ]
    cold = results.get("cold_start")
    if cold:
        lines += [
            f"**Cold start** of `{cold['command']}` on the real graph, as a whole command (median of 5):",
            f"{cold['seconds']:.3f} s; the same query as a one-shot rdflib script: {cold['rdflib']:.3f} s"
            f" (ratio {cold['rdflib'] / cold['seconds']:.1f}).",
            "",
        ]
    lines += _targets(results)
    for size in results["sizes"]:
        lines += _size_table(size)
    lines += ["![time against size per stage](benchmarks.png)", ""]
    queries = REPO / "docs" / "benchmarks-queries.md"  # the catalogue queries at 10^6, before and after #17
    if queries.exists():
        section = queries.read_text().replace(
            "# Catalogue queries at 10^6 triples",
            "## Catalogue queries at 10^6 triples, before and after #17",
            1,
        )
        lines += [section.rstrip(), ""]
    explorer = REPO / "docs" / "benchmarks-explorer.md"  # written by benchmarks/bench_explorer.py
    if explorer.exists():
        section = explorer.read_text().replace(
            "# Explorer benchmarks", "## The explorer in Chromium, next to plain pyvis", 1
        )
        lines += [section.rstrip(), ""]
    server = REPO / "docs" / "benchmarks-server.md"  # written by benchmarks/bench_server.py
    if server.exists():
        section = server.read_text().replace(
            "# Server benchmarks", "## The SPARQL server under 20 concurrent clients", 1
        )
        lines += [section.rstrip(), ""]
    return "\n".join(lines)


SERVER_EQUIVALENT = {"load": "server:open", "timeline": "server:timeline"}
SERVER_ONLY = {
    "server:bulk-load": "bulk load into the stopped server's directory (`push --oxigraph-dir`)",
    "server:push": "push over HTTP (Graph Store Protocol, streamed, counted after)",
}


def _size_table(size: dict[str, Any]) -> list[str]:
    """One size: every stage on our side, through the Oxigraph server and with plain rdflib; the catalogue."""
    rdf = (size.get("rdflib") or {}).get("seconds", {})
    rdf_peak = (size.get("rdflib") or {}).get("peak_mb")
    server = (size.get("oxigraph") or {}).get("stages", {})
    run = size.get("run") or {}
    lines = [f"## {size['triples']:,} triples ({size['documents']} documents)", ""]
    if run:
        lines += [
            f"Run {run.get('started', '?')} to {run.get('finished', '?')} at commit `{run.get('commit', '?')}`;"
            f" load average (1, 5, 15 min) {_loads(run.get('load_at_start'))} at the start,"
            f" {_loads(run.get('load_at_end'))} at the end (2 cores). *load* in the table is the 1-minute load"
            " average when the stage ended.",
            "",
        ]
    if size.get("partial"):
        lines += [
            "**Not finished**: this size's run was stopped before its last stages (the deadline of the session"
            " that ran it); the stages not listed below were not measured.",
            "",
        ]
    if size.get("note"):
        lines += [size["note"], ""]
    if server.get("server:open") is not None and (size.get("oxigraph") or {}).get("read_only"):
        lines += [
            "The Oxigraph server served the build's own store (`oxigraph serve-read-only`): no bulk load and no"
            " push at this size.",
            "",
        ]
    lines += [
        "| stage | seconds | CPU s | load | peak MB | Oxigraph server s | server CPU s | rdflib seconds | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for stage, fig in size["stages"].items():
        if stage.startswith("query:"):
            continue  # in the catalogue table below
        label = STAGE_NAMES.get(stage, stage)
        other = rdf.get(RDFLIB_EQUIVALENT.get(stage, stage))
        peak = f"{fig['peak_mb']:.0f}"
        if stage == "load" and rdf_peak:
            peak += f" (rdflib {rdf_peak:.0f})"
        if fig.get("children_peak_mb"):
            peak += f" (+ workers {fig['children_peak_mb']:.0f})"
        ratio = f"{other / fig['seconds']:.1f}" if other and fig["seconds"] > 0 else "n/a"
        key = SERVER_EQUIVALENT.get(stage.removesuffix("-memory"), "") if stage != "load-memory" else ""
        there = server.get(key) if key else None
        there_cpu = server.get(f"server:stage-cpu:{key.split(':', 1)[1]}") if key else None
        lines.append(
            f"| {label} | {fig['seconds']:.3f} | {_num(fig.get('cpu'))} | {_num(fig.get('load'), 1)} "
            f"| {peak} | {_num(there)} | {_num(there_cpu)} | {_num(other)} | {ratio} |"
        )
    for key, label in SERVER_ONLY.items():
        if key in server:
            cpu = server.get(f"server:stage-cpu:{key.split(':', 1)[1]}")
            lines.append(f"| {label} | n/a | n/a | n/a | n/a | {server[key]:.3f} | {_num(cpu)} | n/a | n/a |")
    if server:
        lines += [
            "",
            f"Oxigraph server columns: `oxigraph serve` on loopback, the client in one process (peak"
            f" {size['oxigraph']['peak_mb']:.0f} MB), load average {_num(server.get('server:load'), 1)} at the end;"
            " *server CPU s* is the client's and the server process's together for the timeline, the"
            " client's for open (one ASK).",
        ]
    lines.append("")
    lines += _catalogue_table(size)
    return lines


def _loads(values: list[float] | None) -> str:
    return ", ".join(f"{v:.1f}" for v in values) if values else "?"


def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _verdict(value: float, limit: float) -> str:
    if value < limit:
        return f"met ({value / limit:.0%} of the limit)"
    return f"**missed** by {value - limit:.2f} ({value / limit:.1f}x)"


def _catalogue_table(size: dict[str, Any]) -> list[str]:
    """Every catalogue query on the persisted store and through the Oxigraph server, against the 2 s target."""
    stages = size["stages"]
    server = (size.get("oxigraph") or {}).get("stages", {})
    rdf = (size.get("rdflib") or {}).get("seconds", {})
    names = [k.split(":", 1)[1] for k in stages if k.startswith("query:")]
    if not names:
        return []
    lines = [
        f"Catalogue queries ({size['triples']:,} triples), as `zhanaozen-graph query NAME` runs them (parameters",
        f"bound by a `VALUES` block), median of {QUERY_RUNS} runs each (one run, marked ¹, when the first took over",
        f"{QUERY_ONE_RUN_OVER:g} s); *CPU s* is the querying process's on the persisted store and the server process's",
        "through the server; target < 2 s median (aim 1 s):",
        "",
        "| query | rows | persisted store s | CPU s | load | verdict | Oxigraph server s | server CPU s | verdict | rdflib s |",
        "|---|---:|---:|---:|---:|---|---:|---:|---|---:|",
    ]
    for name in names:
        fig = stages[f"query:{name}"]
        there = server.get(f"server:query:{name}")
        once = "¹" if fig.get("runs", QUERY_RUNS) < QUERY_RUNS else ""
        there_once = "¹" if server.get(f"server:runs:{name}", QUERY_RUNS) < QUERY_RUNS else ""
        lines.append(
            f"| `{name}` | {fig.get('rows', 'n/a')} | {fig['seconds']:.3f}{once} | {_num(fig.get('cpu'))} "
            f"| {_num(fig.get('load'), 1)} | {_verdict(fig['seconds'], 2.0)} | {_num(there)}{there_once if there is not None else ''} "
            f"| {_num(server.get(f'server:cpu:{name}'))} | {_verdict(there, 2.0) if there is not None else 'n/a'} "
            f"| {_num(rdf.get(f'query:{name}'))} |"
        )
    return [*lines, ""]


def _near(results: dict[str, Any], triples: float) -> dict[str, Any] | None:
    """The size of ``results`` within a factor of 2 of ``triples`` (the largest such), or None."""
    found = [s for s in results["sizes"] if triples / 2 <= s["triples"] <= triples * 2]
    return found[-1] if found else None


def _catalogue_rows(
    size: dict[str, Any], where: str, cpus: dict[str, float]
) -> list[tuple[str, float | None, float, Any, str]]:
    """The 2 s catalogue target on the persisted store and through the server: slowest query and how many met."""
    rows: list[tuple[str, float | None, float, Any, str]] = []
    server = (size.get("oxigraph") or {}).get("stages", {})
    cpu_of = {
        "persisted store": lambda q: size["stages"][f"query:{q}"].get("cpu"),
        "Oxigraph server": lambda q: server.get(f"server:cpu:{q}"),
    }
    for label, times in (
        (
            "persisted store",
            {k.split(":", 1)[1]: v["seconds"] for k, v in size["stages"].items() if k.startswith("query:")},
        ),
        (
            "Oxigraph server",
            {k.split(":", 2)[2]: v for k, v in server.items() if k.startswith("server:query:")},
        ),
    ):
        if not times:
            rows.append(
                (f"{where}: every catalogue query < 2 s median ({label})", None, 2.0, None, "not run")
            )
            continue
        slowest = max(times, key=times.__getitem__)
        met = sum(v < 2.0 for v in times.values())
        name = f"{where}: every catalogue query < 2 s median ({label}); slowest `{slowest}`"
        if cpu_of[label](slowest) is not None:
            cpus[name] = cpu_of[label](slowest)
        rows.append(
            (
                name,
                times[slowest],
                2.0,
                None,
                f"{met} of {len(times)} met",
            )
        )
    return rows


def _targets(results: dict[str, Any]) -> list[str]:
    """The targets of issues #7 and #17 at 10^6 and 10^7 triples, each met or missed by how much."""
    Row = tuple[str, float | None, float, Any, str]
    rows: list[Row] = []
    cpus: dict[str, float] = {}  # row name -> CPU seconds of the same measurement, where there is one
    mid = _near(results, 1e6)
    if mid is not None:
        stages = mid["stages"]
        rdf = (mid.get("rdflib") or {}).get("seconds", {})
        server = (mid.get("oxigraph") or {}).get("stages", {})
        where = f"10^6 ({mid['triples']:,} triples)"
        shacl = stages.get("shacl", {})
        shacl_peak = (shacl.get("peak_mb", 0) + shacl.get("children_peak_mb", 0)) / 1024 or None
        peak = (
            max(
                (
                    f["peak_mb"] + f.get("children_peak_mb", 0)
                    for n, f in stages.items()
                    if not n.startswith("shacl")
                ),
                default=0,
            )
            / 1024
        )
        incremental = stages.get("incremental", {}).get("seconds")
        rows += [
            (
                f"{where}: loading a persisted build (#7)",
                stages.get("load", {}).get("seconds"),
                1.0,
                rdf.get("load"),
                "",
            ),
            (
                f"{where}: a full build from records, no SHACL (#7)",
                stages.get("build", {}).get("seconds"),
                60.0,
                rdf.get("build"),
                "",
            ),
            (f"{where}: peak memory of any stage but SHACL, GB (#7)", peak or None, 2.0, None, ""),
            (
                f"{where}: `timeline()` on the persisted store (#17)",
                stages.get("timeline", {}).get("seconds"),
                1.0,
                rdf.get("timeline"),
                "",
            ),
            (
                f"{where}: `timeline()` through the Oxigraph server",
                server.get("server:timeline"),
                1.0,
                None,
                "not a #17 target at 10^6; for comparison",
            ),
            (f"{where}: SHACL validation (#17)", shacl.get("seconds"), 30.0, None, ""),
            (
                f"{where}: peak memory of SHACL validation, GB (#17)",
                shacl_peak,
                2.0,
                None,
                "the process's peak plus its largest worker's: an upper bound (forked workers share pages)",
            ),
            (
                f"{where}: explorer generation (#17)",
                stages.get("explorer", {}).get("seconds"),
                15.0,
                None,
                "",
            ),
            *_catalogue_rows(mid, where, cpus),
            (
                f"{where}: rebuild after one source of 192 changed (#17)",
                incremental,
                5.0,
                None,
                ""
                if incremental is not None
                else "not measured by `make bench` (issue-17f measures it; see scale.md)",
            ),
        ]
    big = _near(results, 1e7)
    if big is not None:
        stages = big["stages"]
        server = (big.get("oxigraph") or {}).get("stages", {})
        where = f"10^7 ({big['triples']:,} triples)"
        build = stages.get("build", {})
        rows += [
            (
                f"{where}: a full build, no SHACL, s (#17: 10 min)",
                build.get("seconds"),
                600.0,
                None,
                f"CPU {_num(build.get('cpu'), 1)} s",
            ),
            (
                f"{where}: peak memory of the build, GB (#17)",
                (build.get("peak_mb", 0) + build.get("children_peak_mb", 0)) / 1024 or None,
                8.0,
                None,
                "the build process's peak plus its largest helper's, if any",
            ),
            (
                f"{where}: open the persisted store (`load` stage, imports included) (#17)",
                stages.get("load", {}).get("seconds"),
                1.0,
                None,
                "",
            ),
            (
                f"{where}: open through the Oxigraph server (#17)",
                server.get("server:open"),
                1.0,
                None,
                "" if server else "not run",
            ),
            (
                f"{where}: `timeline()` on the persisted store (#17)",
                stages.get("timeline", {}).get("seconds"),
                5.0,
                None,
                "",
            ),
            (
                f"{where}: `timeline()` through the Oxigraph server (#17)",
                server.get("server:timeline"),
                5.0,
                None,
                "" if server else "not run",
            ),
            *_catalogue_rows(big, where, cpus),
        ]
    if big is None:
        rows.append(
            (
                "10^7: build < 10 min and < 8 GB, open < 1 s, timeline < 5 s, catalogue queries < 2 s (#17)",
                None,
                0,
                None,
                "no finished 10^7 size in these results (`make bench-large`); the run by hand is in scale.md",
            )
        )
    for size, keys in ((mid, "10^6"), (big, "10^7")):
        if size is None:
            continue
        stage_rows = {
            "loading a persisted build (#7)": "load",
            "a full build from records, no SHACL (#7)": "build",
            "`timeline()` on the persisted store (#17)": "timeline",
            "SHACL validation (#17)": "shacl",
            "explorer generation (#17)": "explorer",
            "a full build, no SHACL, s (#17: 10 min)": "build",
            "open the persisted store (`load` stage, imports included) (#17)": "load",
        }
        server_rows = {
            "`timeline()` through the Oxigraph server": "timeline",
            "open through the Oxigraph server (#17)": "open",
        }
        there = (size.get("oxigraph") or {}).get("stages", {})
        for row in rows:
            if not row[0].startswith(keys):
                continue
            tail = row[0].split(": ", 1)[1]
            stage = stage_rows.get(tail)
            if stage and size["stages"].get(stage, {}).get("cpu") is not None:
                cpus[row[0]] = size["stages"][stage]["cpu"]
            for prefix, key in server_rows.items():
                if tail.startswith(prefix) and there.get(f"server:stage-cpu:{key}") is not None:
                    cpus[row[0]] = there[f"server:stage-cpu:{key}"]
    cold = results.get("cold_start")
    if cold:
        rows.append(
            (
                f"`{cold['command']}` on the real graph, a whole command (#7)",
                cold["seconds"],
                0.5,
                cold["rdflib"],
                "",
            )
        )
    lines = [
        "## Targets",
        "",
        "Each target of issues #7 and #17 at the size it names, with the figure of the tables below (seconds",
        "unless marked), met or missed by how much (*missed by* is the excess in the same unit, and the ratio).",
        "",
        "| target | measured | limit | verdict | CPU s | verdict on CPU | plain rdflib | note |",
        "|---|---:|---:|---|---:|---|---:|---|",
    ]
    for name, value, limit, other, note in rows:
        verdict = _verdict(value, limit) if value is not None else "not measured"
        cpu = cpus.get(name)
        on_cpu = _verdict(cpu, limit) if cpu is not None and limit else ""
        line = f"| {name} | {_num(value)} | {limit:g} | {verdict} | {_num(cpu)} | {on_cpu} | {_num(other)} | {note} |"
        lines.append(line.replace(" | 0 | ", " | - | "))
    return [*lines, ""]


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    fig, ax = plt.subplots(figsize=(13, 6))
    for name in STAGE_NAMES:
        have = [s for s in sizes if name in s["stages"]]
        if len(have) < 2:
            continue
        xs = [s["triples"] for s in have]
        line = ax.plot(xs, [s["stages"][name]["seconds"] for s in have], marker="o", label=STAGE_NAMES[name])[
            0
        ]
        key = RDFLIB_EQUIVALENT.get(name, name)
        pairs = [
            (s["triples"], (s.get("rdflib") or {}).get("seconds", {}).get(key))
            for s in sizes
            if (s.get("rdflib") or {}).get("seconds", {}).get(key)
        ]
        if len(pairs) >= 2 and name not in ("load", "timeline"):
            ax.plot(
                *zip(*pairs, strict=True),
                marker="x",
                linestyle="--",
                color=line.get_color(),
                label=f"{key} (rdflib)",
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples")
    ax.set_ylabel("seconds")
    ax.set_title("zhanaozen-graph: time against size (dashed: plain rdflib)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the lines, not over them
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="Approximate triple counts, comma-separated.")
    parser.add_argument("--no-rdflib", action="store_true", help="Skip the rdflib comparison.")
    parser.add_argument(
        "--rdflib-max", type=float, default=1e7, help="Compare with rdflib only up to this many triples."
    )
    parser.add_argument(
        "--stages",
        help="Only these stages, comma-separated (build, load, query, timeline, oxigraph-session, ...; "
        "without build, the size's existing build is reused).",
    )
    parser.add_argument("--no-push", action="store_true", help="Server session without the HTTP push.")
    parser.add_argument(
        "--server-read-only",
        action="store_true",
        help="The server serves the build's store read-only (no bulk load, no push: for 10^7).",
    )
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "zg-bench")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results.json")
    parser.add_argument("--docs", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--from-json", type=Path, help="Only redraw the docs from saved results.")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.data, args.build, args.work)))
        return
    source = args.from_json or args.json
    if args.from_json:
        results = json.loads(args.from_json.read_text())
    else:
        args.root.mkdir(parents=True, exist_ok=True)
        results = {"machine": _machine(), "cold_start": cold_start(), "sizes": []}
        for size in args.sizes.split(","):
            results["sizes"].append(
                bench_size(
                    float(size),
                    args.root,
                    not args.no_rdflib and float(size) <= args.rdflib_max,
                    args.stages.split(",") if args.stages else None,
                    push=not args.no_push,
                    server_read_only=args.server_read_only,
                    save=lambda partial: args.json.write_text(
                        json.dumps(
                            {**results, "sizes": [*results["sizes"], {**partial, "partial": True}]}, indent=2
                        )
                    ),
                )
            )
            args.json.write_text(
                json.dumps(results, indent=2) + "\n"
            )  # after each size: a crash keeps the rest
    if source.resolve() != LARGE.resolve() and LARGE.exists():
        # `make bench-large`'s 10^7 run joins the tables of `make bench`.
        large = json.loads(LARGE.read_text())
        results = {**results, "sizes": [*results["sizes"], *large["sizes"]]}
    args.docs.write_text(render(results))
    if len(results["sizes"]) > 1:  # one size draws no line (its page shows benchmarks.png, with all sizes)
        plot(results, args.docs.with_suffix(".png"))
    print(f"wrote {args.docs} and {args.docs.with_suffix('.png')}", file=sys.stderr)


if __name__ == "__main__":
    main()
