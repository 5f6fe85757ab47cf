"""Shared fixtures: the real graph (built once per session) and a writable copy of the mini example."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from zhanaozen_graph import KnowledgeGraph, load_graph

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
MINI = REPO / "tests" / "fixtures" / "mini"
MANY = REPO / "tests" / "fixtures" / "many-sources"


def with_fixture_sources(target: Path, only: str | None = None) -> Path:
    """``data/`` with the invented sources of tests/fixtures/many-sources laid over it.

    With ``only``, the data holds the register and that one source (its text, metadata and records).
    """
    shutil.copytree(DATA / "register", target / "register")
    shutil.copytree(MANY / "register", target / "register", dirs_exist_ok=True)
    for part in ("sources", "records"):
        (target / part).mkdir(parents=True)
        for base in (DATA, MANY):
            for item in (base / part).iterdir():
                if only is not None and not item.name.startswith(only):
                    continue
                if item.is_dir():
                    shutil.copytree(item, target / part / item.name)
                else:
                    shutil.copy(item, target / part / item.name)
    return target


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build directory for the real data, private to the test session."""
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def kg(build_dir: Path) -> KnowledgeGraph:
    """The graph of the real document."""
    return load_graph(DATA, build_dir)


@pytest.fixture(scope="session")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Amnesty document with the two invented sources (tests/fixtures/many-sources): (data, build dir)."""
    root = tmp_path_factory.mktemp("many")
    return with_fixture_sources(root / "data"), root / "build"


@pytest.fixture(scope="session")
def many_kg(many: tuple[Path, Path]) -> KnowledgeGraph:
    """The graph of the Amnesty document with the two invented sources."""
    return load_graph(*many)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the invented mini dataset (tests/fixtures/mini)."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


def wait_until_up(url: str, proc: subprocess.Popen[str], what: str, seconds: float, poll: float) -> None:
    """Wait until ``url`` answers, or fail the test when ``seconds`` pass or the server exits first."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=max(1.0, poll * 8)):
                return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError(f"{what} did not start") from None
            time.sleep(poll)


def stop_process(proc: subprocess.Popen[str]) -> None:
    """Stop a server started by a test: SIGTERM by PID, then SIGKILL if it does not exit in 10 s."""
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(5)
