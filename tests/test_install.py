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


def clean_env(keep_path: bool = False) -> dict[str, str]:
    """The environment without the project's variables, and without PYTHONPATH for the installed package."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZHANAOZEN_") and (keep_path or k != "PYTHONPATH")
    }


def run(
    exe: Path, *args: str, cwd: Path, code: int = 0, keep_path: bool = False
) -> subprocess.CompletedProcess[str]:
    env = clean_env(keep_path)
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
        env=clean_env(),
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

    # The installed commands print what the checkout's print for its data/.
    checkout = Path(sys.executable).parent / "zhanaozen-graph"
    reference = ["--data", str(DATA), "--build-dir", str(tmp_path / "reference-build")]
    for args in (["timeline"], ["query", "timeline", "-f", "csv"]):
        got = run(installed, *args, cwd=x).stdout
        assert got == run(checkout, *args, *reference, cwd=tmp_path, keep_path=True).stdout
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
    assert proc.stdout == ""  # what was written is a message: stderr
    assert re.fullmatch(
        rf"wrote {re.escape(str(x.resolve() / 'build' / 'explorer.html'))} "
        r"\(\d+ nodes, \d+ edges, \d+\.\d MB\)\n",
        proc.stderr,  # a message, not data: on stderr
    ), proc.stderr
    assert sorted(p.name for p in x.iterdir()) == [".build.lock", "build", "data"]
    assert sorted(p.name for p in work.iterdir()) == ["x"]


# Every folder the sdist must hold for its tests, notebooks and benchmarks, with one file each as a witness.
SDIST_WITNESSES = [
    ".ci/run",
    "Makefile",
    "MANIFEST.in",
    "LICENSE",
    "THIRD-PARTY.md",
    "CHANGELOG.md",
    "tests/conftest.py",
    "tests/fixtures/mini",
    "tests/fixtures/many-sources/register",
    "data/sources/amnesty-ua-2012-07-atabaev-released.txt",
    "docs/sparql.md",
    "notebooks/01-getting-started.ipynb",
    "ontology/zhanaozen.ttl",
    "benchmarks/run.py",
    "src/zhanaozen_graph/queries/timeline.rq",
]
SDIST_TESTS = ["tests/test_layout.py", "tests/test_example.py", "tests/test_dates.py"]


def test_the_sdist_holds_the_project_and_its_tests_run_from_it(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    skip = shutil.ignore_patterns(
        ".git", ".venv", "build", "__pycache__", "*.egg-info", ".*_cache", ".hypothesis", ".build*"
    )
    shutil.copytree(REPO, tree, ignore=skip, symlinks=True)
    code = "import sys, setuptools.build_meta as b; print(b.build_sdist(sys.argv[1]))"
    name = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "dist")],
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout.split()[-1]
    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(tmp_path / "dist" / name, unpacked)
    (root,) = unpacked.iterdir()
    missing = [w for w in SDIST_WITNESSES if not (root / w).exists()]
    assert missing == []
    assert sorted(p.name for p in (root / "tests").glob("test_*.py")) == sorted(
        p.name for p in (REPO / "tests").glob("test_*.py")
    )
    assert not list(root.rglob("__pycache__")) and not (root / "build").exists()

    env = clean_env()
    env["PYTHONPATH"] = str(root / "src")
    where = subprocess.run(
        [sys.executable, "-c", "import zhanaozen_graph; print(zhanaozen_graph.__file__)"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(root / "src"), where  # the sdist's own code, not the checkout's
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *SDIST_TESTS],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert re.search(r"^\d+ passed", proc.stdout.splitlines()[-1]), proc.stdout[-500:]


def test_serve_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    import select
    import urllib.request

    from .conftest import stop_process

    run(installed, "demo", "x", cwd=tmp_path)
    x = tmp_path / "x"
    run(installed, "explore", cwd=x)  # builds, then writes build/explorer.html for /explorer
    expected_csv = run(installed, "query", "timeline", "-f", "csv", cwd=x).stdout
    env = clean_env()
    proc = subprocess.Popen(
        [str(installed), "serve", "--host", "127.0.0.1", "--port", "0", "--workers", "1"],
        cwd=x,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        url = ""
        deadline = time.monotonic() + 60
        while not url and time.monotonic() < deadline and proc.poll() is None:
            if select.select([proc.stderr], [], [], 0.5)[0]:
                line = proc.stderr.readline()
                if line.startswith("SPARQL endpoint at http://127.0.0.1:"):
                    url = line.split(" at ", 1)[1].strip().removesuffix("sparql")
        assert url, "the installed server did not start"

        def get(path: str, accept: str) -> tuple[int, str, str]:
            request = urllib.request.Request(url + path, headers={"Accept": accept})
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, answer.headers["Content-Type"], answer.read().decode("utf-8")

        status, ctype, body = get("catalogue/timeline", "text/csv")
        assert (status, ctype.split(";")[0]) == (200, "text/csv")
        # The rows the installed command line writes; the protocol's CSV keeps its CRLF line ends.
        assert body.splitlines() == expected_csv.splitlines() and body.endswith("\r\n")
        query = urllib.request.quote("ASK { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }")
        assert (
            get(f"sparql?query={query}", "application/sparql-results+json")[2] == '{"head":{},"boolean":true}'
        )
        status, ctype, page = get("explorer", "text/html")
        assert (status, ctype.split(";")[0]) == (200, "text/html")
        assert page == (x / "build" / "explorer.html").read_text(encoding="utf-8")
    finally:
        stop_process(proc)
    assert proc.returncode is not None
