"""The wheel, installed into a fresh venv, works from an empty folder outside the checkout.

The wheel is built offline (``pip wheel --no-build-isolation`` with the setuptools of the dev extra) from a
copy of the files it is made of, so that the checkout's ``build/`` is left alone. The fresh venv sees the
dependencies already installed in the test's venv through a ``.pth`` file (``--system-site-packages``
would show the base interpreter's packages, not the test venv's), so nothing is downloaded; the package
itself comes only from the wheel.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from .conftest import DATA, REPO

pytestmark = pytest.mark.install

NO_DATA = (
    "Error: no data directory: ZHANAOZEN_DATA is unset and there is no ./data/sources/; give --data DIR"
    " or set ZHANAOZEN_DATA, or run `zhanaozen-graph demo DIR` for a project with the example\n"
)
BUILD_FILES = ["graph.jsonld", "graph.nq", "graph.nt", "graph.trig", "graph.ttl", "manifest.json", "store"]


def run(exe: Path, *args: str, cwd: Path, code: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHANAOZEN_")}
    proc = subprocess.run([str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == code, proc.stderr
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The console script of the wheel, installed with --no-deps into a fresh venv."""
    start = time.perf_counter()
    tmp = tmp_path_factory.mktemp("install")
    tree = tmp / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "THIRD-PARTY.md"):
        shutil.copy(REPO / name, tree / name)
    shutil.copytree(REPO / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp / "dist"), str(tree)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp / "dist").glob("zhanaozen_graph-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "test-venv-packages.pth").write_text("\n".join(sorted(ours)) + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    where = subprocess.run(
        [python, "-c", "import zhanaozen_graph; print(zhanaozen_graph.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp,
    ).stdout.strip()
    assert Path(where).is_relative_to(Path(purelib)), where  # the wheel's copy, not the checkout's
    print(
        f"wheel {wheel.stat().st_size / 1e3:.0f} kB; built and installed in {time.perf_counter() - start:.1f} s"
    )
    return venv / "bin" / "zhanaozen-graph"


def test_the_wheel_holds_the_licences_and_the_example(installed: Path) -> None:
    site = installed.parents[1] / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    (info,) = (site / "site-packages").glob("zhanaozen_graph-*.dist-info")
    assert sorted(p.name for p in (info / "licenses").iterdir()) == ["LICENSE", "THIRD-PARTY.md"]
    assert "License-Expression: MIT" in (info / "METADATA").read_text()
    example = site / "site-packages" / "zhanaozen_graph" / "example"
    assert sorted(str(p.relative_to(example)) for p in example.rglob("*.*")) == sorted(
        str(p.relative_to(DATA)) for p in DATA.rglob("*.*")
    )


def test_without_data_build_says_so_in_one_line(installed: Path, tmp_path: Path) -> None:
    proc = run(installed, "build", cwd=tmp_path, code=1)
    assert (proc.stdout, proc.stderr) == ("", NO_DATA)
    assert list(tmp_path.iterdir()) == []


def test_demo_then_every_command_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    proc = run(installed, "demo", "x", cwd=work)
    assert proc.stdout == "wrote x/data\nnext: cd x && zhanaozen-graph build && zhanaozen-graph timeline\n"
    x = work / "x"

    proc = run(installed, "build", cwd=x)
    first, *files = proc.stdout.splitlines()
    assert re.fullmatch(r"built \d+ triples \(\d+ quads\) in \d+\.\d\d s", first), first
    assert files == [f"  {x.resolve() / 'build' / name}" for name in BUILD_FILES]

    # The installed commands print what the tree under test prints for its data/ (its own src/ first
    # on the path: the dev venv's console script may be an editable install of another checkout).
    reference = ["--data", str(DATA), "--build-dir", str(tmp_path / "reference-build")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHANAOZEN_")}
    env["PYTHONPATH"] = str(REPO / "src")
    for args in (["timeline"], ["query", "timeline", "-f", "csv"]):
        got = run(installed, *args, cwd=x).stdout
        want = subprocess.run(
            [sys.executable, "-m", "zhanaozen_graph", *args, *reference],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        ).stdout
        assert got == want
    assert run(installed, "timeline", cwd=x).stdout.splitlines()[0].split() == [
        "earliest",
        "latest",
        "date",
        "status",
        "type",
        "label",
    ]
    assert run(installed, "query", "timeline", "-f", "csv", cwd=x).stdout.splitlines()[0] == (
        "earliest,latest,date,status,type,event,label,places,participants,sources"
    )

    proc = run(installed, "explore", cwd=x)
    assert re.fullmatch(
        rf"wrote {re.escape(str(x.resolve() / 'build' / 'explorer.html'))} "
        r"\(\d+ nodes, \d+ edges, \d+\.\d MB\)\n",
        proc.stderr,  # a message, not data: on stderr
    ), proc.stderr
    assert proc.stdout == ""
    assert sorted(p.name for p in x.iterdir()) == [".build.lock", "build", "data"]
    assert sorted(p.name for p in work.iterdir()) == ["x"]
