"""Shared fixtures: the real graph (built once per session) and a writable copy of the mini example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhanaozen_graph import KnowledgeGraph, load_graph

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
MINI = REPO / "tests" / "fixtures" / "mini"


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build directory for the real data, private to the test session."""
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def kg(build_dir: Path) -> KnowledgeGraph:
    """The graph of the real document."""
    return load_graph(DATA, build_dir)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the invented mini dataset (tests/fixtures/mini)."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target
