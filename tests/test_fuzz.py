"""Fuzzing the real record files: every mutation builds a valid graph or fails with one line, build/ unchanged."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from zhanaozen_graph.cli import cli

from .conftest import DATA
from .test_bad_input import snapshot

FILES = sorted(p.relative_to(DATA).as_posix() for p in (DATA / "records").rglob("*.yaml"))
# Values a careless or hostile editor might put anywhere.
HOSTILE = [
    "",
    "123",
    ".nan",
    "-.inf",
    "~",
    "[]",
    "{}",
    "&a x",
    "*a",
    "'unterminated",
    '"\\0"',
    '"\\u202e"',
    "\x07",
    "\t",
    "- - -",
    "[[[[[[[[",
    "a: b: c",
    "!!python/object:os.system ls",
    "http://exa mple.org/",
    "../../../etc/passwd",
    "2012-13-45",
    "é",
]


class Mutation:
    """One change to the text of a record file."""

    def __init__(self, kind: str, where: float, value: str, width: int) -> None:
        self.kind, self.where, self.value, self.width = kind, where, value, width

    def apply(self, data: bytes) -> bytes:
        lines = data.split(b"\n")
        i = int(self.where * (len(lines) - 1))
        if self.kind == "bytes":
            pos = int(self.where * len(data))
            return data[:pos] + self.value.encode("utf-8", "surrogatepass") + data[pos + self.width :]
        if self.kind == "delete-lines":
            return b"\n".join(lines[:i] + lines[i + 1 + self.width :])
        if self.kind == "duplicate-line":
            return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
        if self.kind == "swap-lines":
            j = min(len(lines) - 1, i + 1 + self.width)
            lines[i], lines[j] = lines[j], lines[i]
            return b"\n".join(lines)
        # "value": replace what follows the first ": " of a line by a hostile value
        head, sep, _ = lines[i].partition(b": ")
        if sep:
            lines[i] = head + sep + self.value.encode("utf-8", "surrogatepass")
        return b"\n".join(lines)

    def __repr__(self) -> str:
        return f"Mutation({self.kind!r}, {self.where!r}, {self.value!r}, {self.width!r})"


mutations = st.builds(
    Mutation,
    st.sampled_from(["bytes", "delete-lines", "duplicate-line", "swap-lines", "value", "value"]),
    st.floats(0, 1),
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)),
    st.integers(0, 3),
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("fuzz")
    data, out = root / "data", root / "build"
    shutil.copytree(DATA, data)
    result = CliRunner().invoke(cli, ["build", "--no-shacl", "--data", str(data), "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    yield data, out


def _alarm(signum: int, frame: Any) -> None:
    raise TimeoutError("the build hung")


@seed(13)
@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=st.sampled_from(FILES), change=st.lists(mutations, min_size=1, max_size=3))
def test_mutated_records_build_or_fail_with_one_line(
    workspace: tuple[Path, Path], file: str, change: list[Mutation]
) -> None:
    data, out = workspace
    path = data / file
    original = (DATA / file).read_bytes()
    mutated = original
    for m in change:
        mutated = m.apply(mutated)
    path.write_bytes(mutated)
    before = snapshot(out)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(30)
    try:
        result = CliRunner().invoke(
            cli, ["build", "--no-shacl", "--data", str(data), "--build-dir", str(out)]
        )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        path.write_bytes(original)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    event("built" if result.exit_code == 0 else result.output.split(": ", 3)[-1].split(";")[0][:40])
    if result.exit_code == 0:
        assert result.output.startswith("built ")
        quads = list(ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS))
        assert quads
    else:
        assert result.exit_code == 1
        lines = result.output.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
        assert "internal error" not in lines[0], lines[0]
        assert snapshot(out) == before
