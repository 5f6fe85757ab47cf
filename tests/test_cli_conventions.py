"""The command-line conventions of docs/cli.md: no truncation off a terminal, ``-`` is stdout, line ends,
progress on a terminal only, and implicit builds that say so and honour ``--no-shacl``."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from zhanaozen_graph.cli import cli
from zhanaozen_graph.cli.progress import QUIET, Progress, progress_wanted

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SRC = REPO / "src"
# The longest event label of the Amnesty data (120 characters): cut at any terminal width below it.
LONGEST = (
    "Bolat Atabaev is released and walks free from Pre-trial Detention Centre Number One in Aktau under "
    "Article 65"
)


def run(build_dir: Path, *args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, [*args, "--data", str(DATA), "--build-dir", str(build_dir)])
    return result.exit_code, result.stdout_bytes, result.stderr


# --- No truncation off a terminal ------------------------------------------------------------------


def test_a_piped_table_keeps_every_cell_whole(build_dir: Path) -> None:
    code, out, _ = run(build_dir, "query", "timeline")
    assert code == 0
    assert LONGEST in out.decode("utf-8")
    assert "…" not in out.decode("utf-8")


def test_a_table_on_a_terminal_fits_it(build_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zhanaozen_graph.output.terminal_width", lambda: 80)
    code, out, _ = run(build_dir, "timeline")
    assert code == 0
    lines = out.decode("utf-8").splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.endswith("…") for line in lines)
    assert LONGEST not in out.decode("utf-8")


@pytest.mark.parametrize("command", [["timeline"], ["query", "timeline"]])
def test_a_table_written_to_a_file_is_never_cut(
    build_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setattr("zhanaozen_graph.output.terminal_width", lambda: 80)  # even from a terminal
    out = tmp_path / "timeline.txt"
    code, _, err = run(build_dir, *command, "-o", str(out))
    assert (code, err) == (0, f"wrote {out}\n")
    assert LONGEST in out.read_text("utf-8")
    assert "…" not in out.read_text("utf-8")


def test_query_on_a_terminal_fits_it(build_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Seven columns, none cut below 12 characters: 140 columns is a width the table can fit.
    monkeypatch.setattr("zhanaozen_graph.output.terminal_width", lambda: 140)
    code, out, _ = run(build_dir, "query", "timeline")
    assert code == 0
    lines = out.decode("utf-8").splitlines()
    assert max(len(line) for line in lines) == 140 and any(line.endswith("…") for line in lines)


# --- "-" is standard output -------------------------------------------------------------------------


def test_explore_dash_writes_the_page_to_stdout(
    build_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(build_dir, "explore", "-o", "-")
    assert (code, err) == (0, "")
    page = out.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_explore_dash_with_open_is_a_usage_error(build_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["explore", "-o", "-", "--open", "--data", str(DATA), "--build-dir", str(build_dir)]
    )
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: --open needs a file: give -o FILE, not -o -"


@pytest.mark.parametrize(
    "args",
    [["timeline", "-f", "csv"], ["query", "timeline", "-f", "csv"], ["export", "-f", "timelinejs"]],
)
def test_dash_and_a_file_get_the_same_bytes(build_dir: Path, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run(build_dir, *args, "-o", "-")
    assert code == 0
    code, _, err = run(build_dir, *args, "-o", str(out))
    assert (code, err) == (0, f"wrote {out}\n")
    assert out.read_bytes() == stdout


# --- Line ends ----------------------------------------------------------------------------------------

CSV = [
    ["query", "timeline", "-f", "csv"],
    ["timeline", "-f", "csv"],
    ["export", "-f", "csv"],
    ["analyze", "slice", "-f", "csv"],
    ["stats", "-f", "csv"],
    ["sources", "-f", "csv"],
    ["queries", "-f", "csv"],
]
LF = [
    ["query", "timeline", "-f", "tsv"],
    ["query", "timeline", "-f", "json"],
    ["query", "timeline"],
    ["timeline", "-f", "json"],
    ["timeline"],
    ["analyze", "slice", "-f", "json"],
    ["export", "-f", "gexf"],
    ["export", "-f", "graphml"],
    ["export", "-f", "ftm"],
    ["query", "record", "-p", "record=atabaev-released"],
    ["model", "ontology"],
]


@pytest.mark.parametrize("args", CSV, ids=" ".join)
def test_csv_rows_end_with_crlf(build_dir: Path, args: list[str]) -> None:
    if args[0] == "queries":  # the catalogue: no graph
        result = CliRunner().invoke(cli, args)
        code, out = result.exit_code, result.stdout_bytes
    else:
        code, out, _ = run(build_dir, *args)
    assert code == 0
    assert out.count(b"\n") > 1
    assert out.count(b"\r\n") == out.count(b"\n")  # every line end is CRLF
    assert out.endswith(b"\r\n") and not out.endswith(b"\r\n\r\n")


@pytest.mark.parametrize("args", LF, ids=" ".join)
def test_everything_else_ends_lines_with_lf(build_dir: Path, args: list[str]) -> None:
    if args[0] == "model":
        result = CliRunner().invoke(cli, args)
        code, out = result.exit_code, result.stdout_bytes
    else:
        code, out, _ = run(build_dir, *args)
    assert code == 0
    assert b"\r" not in out
    assert out.endswith(b"\n")


# --- Progress -----------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_and_erased() -> None:
    screen = Terminal()
    with Progress("writing documents", total=3, delay=0, stream=screen) as bar:
        bar.advance(3)
    text = screen.getvalue()
    assert text.startswith("\r\x1b[Kwriting documents ")
    assert text.endswith("\r\x1b[K")


def test_progress_waits_a_second_and_stays_off_pipes_and_quiet() -> None:
    screen = Terminal()
    with Progress("quick", stream=screen):  # ends well within the second
        pass
    assert screen.getvalue() == ""
    piped = io.StringIO()
    with Progress("slow", delay=0, stream=piped):
        pass
    assert piped.getvalue() == ""
    with click.Context(click.Command("x")) as ctx:
        ctx.meta[QUIET] = True
        assert progress_wanted(Terminal()) is False
    assert progress_wanted(Terminal()) is True


def _build_on_a_terminal(tmp_path: Path, *extra: str) -> str:
    """Run ``build`` with standard error on a pseudo-terminal; what it drew there."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHANAOZEN_")}
    env["PYTHONPATH"] = str(SRC)
    env["ZHANAOZEN_PROGRESS_DELAY"] = (
        "0"  # drawn at once: a fast machine builds the real data within a second
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "zhanaozen_graph",
            "build",
            "--data",
            str(DATA),
            "--build-dir",
            str(tmp_path / "b"),
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=600) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_build_shows_progress_on_a_terminal_and_not_with_quiet(tmp_path: Path) -> None:
    # The line is drawn at once (ZHANAOZEN_PROGRESS_DELAY=0), then erased; never with --quiet.
    drawn = _build_on_a_terminal(tmp_path)
    assert "\r\x1b[Kbuilding (SHACL included) " in drawn
    assert drawn.count("\r\x1b[K") >= 2
    assert _build_on_a_terminal(tmp_path / "q", "--quiet") == ""


# --- Implicit builds ------------------------------------------------------------------------------------


def test_an_implicit_build_says_so_and_why(mini: Path, tmp_path: Path) -> None:
    build = tmp_path / "b"

    def stats(*extra: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["stats", "--data", str(mini), "--build-dir", str(build), *extra])
        return result.exit_code, result.stderr

    assert stats("--no-shacl") == (0, f"building {build} without SHACL: there is no build in it yet\n")
    assert stats() == (0, "")  # up to date: nothing to say
    records = mini / "records" / "example.yaml"
    records.write_text(records.read_text("utf-8") + "# a comment changes the data\n", "utf-8")
    assert stats() == (
        0,
        f"building {build} with SHACL (--no-shacl skips it): "
        "the data, the model or the code changed since the last build\n",
    )


def test_no_shacl_skips_the_check_of_an_implicit_build(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kw: object) -> None:
        raise RuntimeError("SHACL ran")

    monkeypatch.setattr("zhanaozen_graph.graph.shacl.validate_quads", refuse)
    args = ["timeline", "--data", str(mini), "--build-dir", str(tmp_path / "b")]
    ran = CliRunner().invoke(cli, args)
    assert ran.exit_code == 1
    assert "RuntimeError: SHACL ran" in ran.output
    skipped = CliRunner().invoke(cli, [*args, "--no-shacl"])
    assert skipped.exit_code == 0, skipped.output
