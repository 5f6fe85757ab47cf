"""SPARQL result writers and JSON reader: this tree's (pyoxigraph's) against another revision's, side by side.

A synthetic store answers one SELECT with ``--rows`` rows of six columns (IRIs, labels with quotes and
non-ASCII text, xsd:date, xsd:integer, language-tagged literals, an optional column left unbound in a
third of the rows). The same collected result is written by both revisions' ``serialize`` in turn
(interleaved, ``--repeat`` times, medians reported), and the JSON is read back by both revisions'
``parse_json_results``. The bytes of JSON, CSV and TSV must be equal; XML is only checked to read back.

Run: nice .venv/bin/python benchmarks/bench_result_formats.py [--rows 150000] [--repeat 5] [--before df467dc]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox

from zhanaozen_graph.sparql import format as after
from zhanaozen_graph.sparql.results import collect

ROOT = Path(__file__).resolve().parents[1]
EX = "https://w3id.org/zhanaozen-graph/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
QUERY = """SELECT ?event ?label ?date ?count ?place ?note WHERE {
  ?event <urn:label> ?label ; <urn:date> ?date ; <urn:count> ?count ; <urn:place> ?place .
  OPTIONAL { ?event <urn:note> ?note }
}"""


def revision_module(rev: str) -> ModuleType:
    """``sparql/format.py`` as it was at ``rev``, imported beside this tree's modules."""
    source = subprocess.run(
        ["git", "show", f"{rev}:src/zhanaozen_graph/sparql/format.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "format_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("zhanaozen_graph.sparql._format_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def store(rows: int) -> ox.Store:
    st = ox.Store()
    quads = []
    for i in range(rows):
        e = ox.NamedNode(f"{EX}event/e{i}")
        quads += [
            ox.Quad(
                e, ox.NamedNode("urn:label"), ox.Literal(f'Event {i}: "the strike" in Жаңаөзен, day {i % 31}')
            ),
            ox.Quad(
                e,
                ox.NamedNode("urn:date"),
                ox.Literal(f"2011-12-{1 + i % 28:02d}", datatype=ox.NamedNode(XSD + "date")),
            ),
            ox.Quad(e, ox.NamedNode("urn:count"), ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer"))),
            ox.Quad(e, ox.NamedNode("urn:place"), ox.NamedNode(f"{EX}place/p{i % 500}")),
        ]
        if i % 3:
            quads.append(
                ox.Quad(e, ox.NamedNode("urn:note"), ox.Literal(f"note\t{i}\nline two", language="en"))
            )
    st.bulk_extend(quads)
    return st


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", default="df467dc", help="the git revision to compare with")
    args = parser.parse_args()

    before = revision_module(args.before)
    st = store(args.rows)
    result = collect(st.query(QUERY))
    print(f"{len(result.rows)} rows x {len(result.variables)} columns; {args.repeat} runs, median seconds\n")
    base = statistics.median(timed(lambda: sum(1 for _ in st.query(QUERY)))[0] for _ in range(args.repeat))
    print(f"the query alone, its answer iterated: {base:.3f} s")
    print(
        "the last column runs the query again and writes straight from pyoxigraph's answer (no Python rows)\n"
    )
    print(
        f"| format | {args.before} (hand-written) | this tree (pyoxigraph) | ratio | query + direct write |"
    )
    print("|---|---:|---:|---:|---:|")
    for fmt in ("json", "csv", "tsv", "xml"):
        old_t, new_t, direct_t = [], [], []
        for _ in range(args.repeat):
            t, old = timed(lambda fmt=fmt: before.serialize(result, fmt))
            old_t.append(t)
            t, new = timed(lambda fmt=fmt: after.serialize(result, fmt))
            new_t.append(t)
            answer = st.query(QUERY)
            t, _ = timed(lambda answer=answer, fmt=fmt: answer.serialize(format=after._RESULT_FORMATS[fmt]))
            direct_t.append(t)
        if fmt != "xml":
            assert old == new, f"{fmt}: the bytes differ"
        else:
            assert after.parse_results(new, "xml").rows == result.rows
        o, n, d = (statistics.median(x) for x in (old_t, new_t, direct_t))
        print(f"| {fmt} | {o:.3f} | {n:.3f} | {o / n:.1f}x | {d:.3f} |")

    data = after.serialize(result, "json")
    old_t, new_t = [], []
    for _ in range(args.repeat):
        t, old_r = timed(lambda: before.parse_json_results(data))
        old_t.append(t)
        t, new_r = timed(lambda: after.parse_results(data, "json"))
        new_t.append(t)
    assert old_r.rows == new_r.rows == result.rows
    o, n = statistics.median(old_t), statistics.median(new_t)
    print(f"| read json | {o:.3f} | {n:.3f} | {o / n:.1f}x | |")
    print(f"\npython {sys.version.split()[0]}, pyoxigraph {ox.__version__}")


if __name__ == "__main__":
    main()
