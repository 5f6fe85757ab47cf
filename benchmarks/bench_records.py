"""The records stage (reading and checking the YAML records) cold, with its cache, and with one file changed.

``python benchmarks/bench_records.py --documents 192 --seed 7`` writes a synthetic corpus into a temporary
directory (or reads ``--data DIR``) and runs each case ``--repeat`` times (default 3), every run in a fresh
interpreter, printing the median wall and CPU seconds of ``load_dataset`` + ``check_dataset``:

* ``cold``: no cache;
* ``cache, first``: an empty cache directory (every file parsed, checked and written);
* ``cache, unchanged``: the same cache, nothing changed;
* ``cache, one file changed``: one record file's label edited before each run (a new text each time).

With ``--old SRC`` (a ``src/`` directory of another checkout) the cold case also runs with that code.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_RUN = """
import json, sys, time
from pathlib import Path
t0, c0 = time.perf_counter(), time.process_time()
from zhanaozen_graph.records.load import load_dataset
from zhanaozen_graph.records.validate import check_dataset
t1, c1 = time.perf_counter(), time.process_time()
kw = {"cache_dir": sys.argv[2]} if len(sys.argv) > 2 else {}
ds = load_dataset(Path(sys.argv[1]), **kw)
report = check_dataset(ds)
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"wall": t2 - t1, "cpu": c2 - c1, "import": t1 - t0, "issues": len(report.issues),
                  "parsed": len(getattr(ds, "parsed", [])), "checked": len(getattr(report, "checked", []))}))
"""


def run(src: Path, data: Path, cache: Path | None) -> dict[str, float]:
    """One measured run in a fresh interpreter with ``src`` first on the path."""
    args = [sys.executable, "-c", _RUN, str(data), *([str(cache)] if cache is not None else [])]
    out = subprocess.run(
        args,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def edit_one(data: Path, n: int) -> Path:
    """Change the first label of one events file (a different text on each call)."""
    path = sorted((data / "records").rglob("events.yaml"))[len(sorted((data / "records").glob("*"))) // 2]
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("  label: ")
    line, nl, tail = rest.partition("\n")
    path.write_text(f"{head}{sep}{line.split(' (edit')[0]} (edit {n}){nl}{tail}", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=192)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, help="an existing data directory (copied, never changed)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old", type=Path, help="the src/ directory of another checkout, for the cold case")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-records-"))
    data = work / "data"
    try:
        if args.data is not None:
            shutil.copytree(args.data, data)
        else:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "zhanaozen_graph",
                    "synth",
                    "-n",
                    str(args.documents),
                    "-s",
                    str(args.seed),
                    "-q",
                    "-o",
                    str(data),
                ],
                env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
                check=True,
            )
        src = REPO / "src"
        cases: dict[str, list[dict[str, float]]] = {}
        if args.old is not None:
            cases["cold (old code)"] = [run(args.old, data, None) for _ in range(args.repeat)]
        cases["cold"] = [run(src, data, None) for _ in range(args.repeat)]
        firsts = []
        for i in range(args.repeat):
            cache = work / f"cache-{i}"
            firsts.append(run(src, data, cache))
        cases["cache, first"] = firsts
        cache = work / "cache-0"
        cases["cache, unchanged"] = [run(src, data, cache) for _ in range(args.repeat)]
        changed = []
        for i in range(args.repeat):
            edit_one(data, i)
            changed.append(run(src, data, cache))
        cases["cache, one file changed"] = changed
        print(
            f"| case ({args.documents if args.data is None else args.data} documents) | wall s (median) | CPU s (median) | parsed | checked | issues |"
        )
        print("|---|---|---|---|---|---|")
        for name, runs in cases.items():
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            last = runs[-1]
            print(
                f"| {name} | {wall:.2f} | {cpu:.2f} | {last['parsed']:.0f} | {last['checked']:.0f} | {last['issues']:.0f} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
