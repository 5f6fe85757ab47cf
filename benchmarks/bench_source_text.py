"""What storing each source's text in the graph (``schema:text``) costs: triples, N-Quads bytes, store bytes.

A build holds the texts; the same build without them is made by dropping the ``schema:text`` quads
from its N-Quads and loading the rest into a store the way a build does (``write_store``).

Run: .venv/bin/python benchmarks/bench_source_text.py --data DIR --build-dir DIR
(for a synthetic corpus: zhanaozen-graph synth -n 192 -s 7 -o DIR first; the build is made if needed,
without SHACL)
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from zhanaozen_graph.graph.build import NQUADS, STORE, build, write_store

TEXT = b"<https://schema.org/text>"


def size(path: Path) -> int:
    """Bytes of a file, or of every file under a directory."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--build-dir", type=Path, required=True)
    args = parser.parse_args()
    out: Path = args.build_dir
    if not (out / NQUADS).is_file():
        build(args.data, out, shacl=False)
    tmp = Path(tempfile.mkdtemp(prefix="bench-source-text-"))
    try:
        without = tmp / NQUADS
        quads = texts = 0
        with open(out / NQUADS, "rb") as src, open(without, "wb") as dst:
            for line in src:
                quads += 1
                if TEXT in line:
                    texts += 1
                else:
                    dst.write(line)
        write_store(without, tmp / STORE)
        rows = [
            ("quads", quads, quads - texts),
            ("graph.nq bytes", size(out / NQUADS), size(without)),
            ("store/ bytes", size(out / STORE), size(tmp / STORE)),
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("| | with the texts | without | difference |")
    print("|---|---:|---:|---:|")
    for name, a, b in rows:
        print(f"| {name} | {a:,} | {b:,} | +{a - b:,} (+{(a - b) / b:.2%}) |")


if __name__ == "__main__":
    main()
