"""The package's lazy public API: cheap to import, every name still there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import zhanaozen_graph

from .conftest import DATA


def test_import_loads_no_parser_of_yaml_or_edtf() -> None:
    code = "import sys, zhanaozen_graph; print(sorted(m for m in ('yaml', 'edtf', 'rdflib', 'zhanaozen_graph.records.validate') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


def test_every_public_name_resolves() -> None:
    for name in zhanaozen_graph.__all__:
        assert getattr(zhanaozen_graph, name) is not None, name
    assert set(zhanaozen_graph.__all__) <= set(dir(zhanaozen_graph))


def test_build_is_the_function_not_the_submodule() -> None:
    import zhanaozen_graph.graph.build  # noqa: F401 - the submodule of the same name
    from zhanaozen_graph import build

    assert callable(build) and build.__module__ == "zhanaozen_graph.graph.build"


def test_unknown_name() -> None:
    try:
        zhanaozen_graph.nothing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'zhanaozen_graph' has no attribute 'nothing'"
    else:
        raise AssertionError("no AttributeError")


# The core install leaves these to extras ([analysis], [pyvis], [notebook]).
EXTRAS_ONLY = ("networkx", "scipy", "pandas", "pyvis", "IPython", "jinja2", "matplotlib")
BLOCKER = """
import sys
from importlib.abc import MetaPathFinder

class Block(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, Block())
from zhanaozen_graph.cli import main
sys.argv = ["zhanaozen-graph", *sys.argv[1:]]
main()
"""


def _core(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command line with the extras' packages made unimportable, as in a core install."""
    code = BLOCKER.format(blocked=set(EXTRAS_ONLY))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHANAOZEN_")}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )


def test_the_core_commands_need_no_extra(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    for args in (
        ["build"],
        ["validate"],
        ["timeline", "--format", "json"],
        ["query", "timeline", "-f", "csv"],
        ["explore", "-o", str(tmp_path / "page.html")],
        ["stats"],
        ["export", "--format", "timelinejs", "-o", str(tmp_path / "timeline.json")],
    ):
        proc = _core(*args, cwd=tmp_path)
        assert proc.returncode == 0, (args, proc.stderr)
    assert (tmp_path / "page.html").stat().st_size > 100_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "centrality"], "network analysis needs networkx"),
        (["export", "--format", "gexf"], "network analysis needs networkx"),
    ],
)
def test_without_the_analysis_extra_one_line_says_how_to_install_it(
    tmp_path: Path, args: list[str], message: str
) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    proc = _core(*args, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        f"Error: {message}, which is not installed; install it with: pip install 'zhanaozen-graph[analysis]'\n"
    )


def _system_deps(tmp_path: Path, uid: int, *, chromium: str, virtuoso: str) -> tuple[int, str, str]:
    """Run .ci/system-deps with a fake `id` and a fake `apt-get` that logs its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "apt.log"}\n')
    for tool in ("id", "apt-get"):
        (bin_dir / tool).chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CHROMIUM": chromium, "VIRTUOSO": virtuoso}
    script = Path(__file__).resolve().parents[1] / ".ci" / "system-deps"
    proc = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    log = tmp_path / "apt.log"
    return proc.returncode, proc.stderr, log.read_text() if log.exists() else ""


def test_system_deps_names_the_exact_command_when_it_cannot_install(tmp_path: Path) -> None:
    assert _system_deps(tmp_path, 1000, chromium="/nonexistent/chromium", virtuoso="no-such-virtuoso") == (
        1,
        "make test needs chromium virtuoso-opensource; run: sudo apt-get update && sudo apt-get install -y"
        " chromium virtuoso-opensource\n",
        "",
    )


def test_system_deps_installs_what_is_missing_as_root(tmp_path: Path) -> None:
    assert _system_deps(tmp_path, 0, chromium="/bin/sh", virtuoso="no-such-virtuoso") == (
        0,
        "make test: installing virtuoso-opensource (apt-get install -y virtuoso-opensource)\n",
        "update -qq\ninstall -y -qq virtuoso-opensource\n",
    )


def test_system_deps_does_nothing_when_all_is_there(tmp_path: Path) -> None:
    assert _system_deps(tmp_path, 0, chromium="/bin/sh", virtuoso="sh") == (0, "", "")


def test_a_dataframe_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhanaozen_graph.sparql.results import QueryResult

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(zhanaozen_graph.MissingExtraError) as info:
        QueryResult("select", ["x"], []).to_dataframe()
    assert str(info.value) == (
        "a DataFrame of the results needs pandas, which is not installed;"
        " install it with: pip install 'zhanaozen-graph[analysis]'"
    )


def test_the_explorer_in_a_notebook_without_ipython_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhanaozen_graph.explorer import show_explorer

    monkeypatch.setitem(sys.modules, "IPython.display", None)
    with pytest.raises(zhanaozen_graph.MissingExtraError) as info:
        show_explorer(
            {
                "title": "t",
                "kinds": [],
                "stances": [],
                "statuses": {},
                "sources": {},
                "nodes": [],
                "edges": [],
            }
        )
    assert str(info.value) == (
        "showing the explorer in a notebook needs IPython, which is not installed;"
        " install it with: pip install 'zhanaozen-graph[notebook]'"
    )
