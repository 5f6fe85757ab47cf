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
EXTRAS_ONLY = ("networkx", "pandas", "pyvis", "IPython", "jinja2", "matplotlib")
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
