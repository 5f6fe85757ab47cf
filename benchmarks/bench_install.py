"""Installed size and cold start of the package: a fresh venv, `pip install SPEC`, then timed commands.

For each SPEC (a path, a wheel, or `path[extra]`) the script creates a venv under --root, installs
SPEC (pip's cache and index as configured; give --pip-args "--no-index --find-links DIR" to stay
offline), reports `du -sm` of its site-packages and the largest packages in it, makes the example
project (`demo`, `build`) and times `zhanaozen-graph --help` and `zhanaozen-graph query timeline` as
whole new processes, the installs taking turns (--runs times each, median and min).

Run: nice .venv/bin/python benchmarks/bench_install.py --root /tmp/zg/sizes OLD-CHECKOUT . '.[analysis]'
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path


def du_mb(path: Path) -> int:
    out = subprocess.run(["du", "-sm", str(path)], check=True, capture_output=True, text=True).stdout
    return int(out.split()[0])


def prepare(spec: str, root: Path, pip_args: list[str]) -> tuple[str, Path]:
    """The venv of ``spec`` (created and installed once), its size, and a built example project."""
    name = "".join(c if c.isalnum() else "-" for c in spec).strip("-") or "dot"
    venv = root / f"venv-{name}"
    if not venv.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *pip_args, spec], check=True
        )
    site = next((venv / "lib").glob("python3.*/site-packages"))
    biggest = sorted(((du_mb(p), p.name) for p in site.iterdir()), reverse=True)[:8]
    print(f"- `{spec}`: site-packages {du_mb(site)} MB (du -sm); largest: ", end="")
    print(", ".join(f"{n} {mb}" for mb, n in biggest))
    exe = str(venv / "bin" / "zhanaozen-graph")
    project = root / f"project-{name}"
    if not project.exists():
        subprocess.run([exe, "demo", str(project)], check=True, capture_output=True)
        subprocess.run([exe, "build"], cwd=project, check=True, capture_output=True)
    return exe, project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("specs", nargs="+", help="what to pip install: a path, a wheel, path[extra]")
    parser.add_argument("--root", type=Path, required=True, help="where the venvs and projects go")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--pip-args", default="", help="extra arguments for pip install")
    args = parser.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    root = args.root.resolve()
    print("Installed size:\n")
    installs = [prepare(spec, root, shlex.split(args.pip_args)) for spec in args.specs]
    print(
        f"\nCold start, whole new processes, the installs taking turns ({args.runs} runs; median / min s):\n"
    )
    print("| command | " + " | ".join(f"`{s}`" for s in args.specs) + " |")
    print("|---|" + "---:|" * len(args.specs))
    for label, cmd in (("--help", ["--help"]), ("query timeline", ["query", "timeline"])):
        times: list[list[float]] = [[] for _ in installs]
        for exe, project in installs:  # warm the OS cache once
            subprocess.run([exe, *cmd], cwd=project, check=True, capture_output=True)
        for _ in range(args.runs):
            for i, (exe, project) in enumerate(installs):
                start = time.perf_counter()
                subprocess.run([exe, *cmd], cwd=project, check=True, capture_output=True)
                times[i].append(time.perf_counter() - start)
        cells = [f"{statistics.median(t):.3f} / {min(t):.3f}" for t in times]
        print(f"| `zhanaozen-graph {label}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
