"""Build time of two revisions side by side, at about 10^6 triples (not part of ``make test``).

    python benchmarks/compare_build.py BASE [HEAD] [--documents 192] [--runs 3] [--match]

Each revision is checked out in a temporary git worktree; its own ``synth`` writes the corpus (seed 7),
and its own ``benchmarks/run.py --stage build`` (no SHACL; five formats and the store) builds it in a
fresh process. The runs alternate (base, head, base, head, ...) so that a busy machine weighs on both
alike. With ``--match`` the head's corpus gets as many documents as it takes to come closest to the
base's triple count, so that the two are compared at the same size. Prints one line per run (wall
and CPU seconds, peak MB) and a Markdown table of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = 7


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree / "src")}


def _corpus(tree: Path, out: Path, documents: int) -> None:
    code = f"from pathlib import Path; from zhanaozen_graph.synth import generate_corpus; generate_corpus(Path({str(out)!r}), {documents}, {SEED})"
    subprocess.run([sys.executable, "-c", code], env=_env(tree), check=True)


def _build(tree: Path, corpus: Path, work: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [
            *(sys.executable, str(tree / "benchmarks" / "run.py"), "--stage", "build", "--data", str(corpus)),
            *("--build", str(work / "build"), "--work", str(work / "work")),
        ],
        env=_env(tree),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["cpu_seconds"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    subprocess.run(["rm", "-rf", str(work / "build"), str(work / "work")], check=True)
    return result


def _triples(tree: Path, corpus: Path, work: Path) -> int:
    return int(_build(tree, corpus, work)["triples"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base")
    parser.add_argument("head", nargs="?", default="HEAD")
    parser.add_argument("--documents", type=int, default=192)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--match", action="store_true", help="Size the head's corpus to the base's triples.")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="zg-compare-"))
    trees = {}
    for name, rev in (("base", args.base), ("head", args.head)):
        trees[name] = root / name
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(trees[name]), rev], check=True
        )
    try:
        corpora = {name: root / f"corpus-{name}" for name in trees}
        _corpus(trees["base"], corpora["base"], args.documents)
        documents = args.documents
        if args.match:
            target = _triples(trees["base"], corpora["base"], root)
            _corpus(trees["head"], corpora["head"], documents)
            per_document = _triples(trees["head"], corpora["head"], root) / documents
            documents = round(target / per_document)
            subprocess.run(["rm", "-rf", str(corpora["head"])], check=True)
        _corpus(trees["head"], corpora["head"], documents)
        runs: dict[str, list[dict[str, float]]] = {"base": [], "head": []}
        for i in range(args.runs):
            for name in ("base", "head"):
                result = _build(trees[name], corpora[name], root)
                runs[name].append(result)
                print(f"{name} {i + 1}: {json.dumps(result)}", file=sys.stderr)
        base = statistics.median(r["seconds"] for r in runs["base"])
        print("| revision | documents | triples | build s (median) | CPU s (median) | peak MB | ratio |")
        print("|---|---|---|---|---|---|---|")
        for name, rev, docs in (("base", args.base, args.documents), ("head", args.head, documents)):
            seconds = statistics.median(r["seconds"] for r in runs[name])
            cpu = statistics.median(r["cpu_seconds"] for r in runs[name])
            peak = max(r["peak_mb"] for r in runs[name])
            triples = int(runs[name][0]["triples"])
            print(
                f"| {rev} | {docs} | {triples:,} | {seconds:.1f} | {cpu:.1f} | {peak:.0f} | {seconds / base:.2f} |"
            )
    finally:
        for tree in trees.values():
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
        subprocess.run(["rm", "-rf", str(root)], check=False)


if __name__ == "__main__":
    main()
