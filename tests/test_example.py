"""The shipped example is the checkout's data/, and `demo` makes a project of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from zhanaozen_graph.cli import cli
from zhanaozen_graph.records.example import EXAMPLE_DATA, create_demo

from .conftest import DATA


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_shipped_example_is_data() -> None:
    # src/zhanaozen_graph/example/ is a copy of data/ (an installed package cannot see the checkout):
    # after changing data/, run: rm -r src/zhanaozen_graph/example/* && cp -r data/* src/zhanaozen_graph/example/
    assert tree(EXAMPLE_DATA) == tree(DATA)


def test_demo_writes_a_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote {tmp_path / 'x' / 'data'}\n"
        f"next: cd {tmp_path / 'x'} && zhanaozen-graph build && zhanaozen-graph timeline\n"
    )
    assert tree(tmp_path / "x" / "data") == tree(DATA)


def test_demo_accepts_an_empty_folder(tmp_path: Path) -> None:
    assert create_demo(tmp_path) == tmp_path / "data"


def test_demo_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["demo", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {tmp_path}: the folder exists and is not empty; choose a new folder for the demo\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_no_data_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHANAOZEN_DATA", raising=False)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: no data directory: ZHANAOZEN_DATA is unset and there is no ./data/sources/; give --data DIR"
        " or set ZHANAOZEN_DATA, or run `zhanaozen-graph demo DIR` for a project with the example\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_build_goes_beside_the_data_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    create_demo(tmp_path / "x")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHANAOZEN_BUILD", raising=False)
    result = CliRunner().invoke(cli, ["build", "--data", "x/data"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "build" / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]
