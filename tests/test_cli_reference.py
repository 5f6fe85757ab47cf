"""The CLI reference page is current, short flags mean one thing, and every help example runs.

Each ``Example:`` (and ``Then:``) line of each command's help is run as written inside a project made
by ``demo``, with three substitutions a shared machine needs: ``/tmp/corpus`` becomes a private
folder, the fixed ports of ``serve`` and ``push`` become free loopback ports (``push`` goes to a real
Oxigraph server), and ``--open`` calls a recorder instead of a browser.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhanaozen_graph.cli import cli
from zhanaozen_graph.cli.reference import cli_reference, commands, help_examples, short_flags
from zhanaozen_graph.records.example import create_demo

from .conftest import free_port, stop_process, wait_until_up

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
SLUG = "amnesty-ua-2012-07-atabaev-released"


def test_docs_cli_md_is_generated_from_the_commands() -> None:
    committed = (REPO / "docs" / "cli.md").read_text("utf-8")
    assert committed == cli_reference(), (
        "docs/cli.md is stale: run `python -m zhanaozen_graph.cli.reference docs/cli.md`"
    )


def test_each_short_flag_has_one_meaning() -> None:
    flags = short_flags()
    assert {flag: sorted(meanings) for flag, meanings in flags.items()} == {
        "-e": ["--expression"],
        "-f": ["--format"],
        "-h": ["--help"],
        "-n": ["--documents"],
        "-o": ["--output"],
        "-p": ["--param"],
        "-q": ["--quiet"],
        "-s": ["--seed"],
        "-v": ["--verbose"],
    }


def test_every_command_has_an_example() -> None:
    with_examples = {name for name, _ in help_examples()}
    assert [name for name, _ in commands() if name not in with_examples] == []


EXAMPLES: dict[str, list[str]] = {}
for _name, _example in help_examples():
    EXAMPLES.setdefault(_name, []).append(_example)

MUTATING = {"zhanaozen-graph add-source", "zhanaozen-graph propose", "zhanaozen-graph import-label-studio"}
SERVERS = {"zhanaozen-graph serve", "zhanaozen-graph review"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by ``demo``, shared by the examples that only read it."""
    root = tmp_path_factory.mktemp("examples") / "zhanaozen-demo"
    create_demo(root)
    return root


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("ZHANAOZEN_DATA", "ZHANAOZEN_BUILD", "ZHANAOZEN_ENDPOINT", "ZHANAOZEN_QUERIES"):
        monkeypatch.delenv(var, raising=False)


def _args(example: str, tmp_path: Path, push_base: str | None = None) -> list[str]:
    example = example.replace("/tmp/corpus", str(tmp_path / "corpus"))
    if push_base is not None:
        example = example.replace("http://localhost:7878", push_base)
    args = shlex.split(example)
    assert args[0] == "zhanaozen-graph"
    return args[1:]


def _prepare(name: str, where: Path) -> None:
    """What an example expects to find beside it."""
    if name == "zhanaozen-graph add-source":
        (where / "release.txt").write_text("On 20 December 2011 police fired on strikers in Zhanaozen.\n")
    if name == "zhanaozen-graph import-label-studio":
        out = CliRunner().invoke(cli, ["propose", SLUG, "--format", "label-studio"])
        assert out.exit_code == 0, out.output
        (task,) = json.loads(out.stdout)
        task["annotations"] = [{"result": task["predictions"][0]["result"][:1]}]  # an annotator keeps one
        (where / "export.json").write_text(json.dumps([task]))


IN_PROCESS = sorted(set(EXAMPLES) - SERVERS - {"zhanaozen-graph push"})


@pytest.mark.parametrize("name", IN_PROCESS)
def test_help_examples_run(
    name: str,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    where = project
    if name in MUTATING:
        where = tmp_path / "own"
        create_demo(where)
    monkeypatch.chdir(where)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    _prepare(name, where)
    for example in EXAMPLES[name]:
        result = CliRunner().invoke(cli, _args(example, tmp_path))
        assert result.exit_code == 0, f"{example}\n{result.output}"
        if " -o " in f" {example} ":
            target = Path(_args(example, tmp_path)[_args(example, tmp_path).index("-o") + 1])
            assert (where / target).exists(), example
    if name == "zhanaozen-graph explore":
        assert opened == [(where / "build" / "explorer.html").resolve().as_uri()]


@pytest.mark.server
def test_push_example_runs(
    project: Path,
    tmp_path: Path,
    oxigraph_server: str,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    monkeypatch.chdir(project)
    (example,) = EXAMPLES["zhanaozen-graph push"]
    result = CliRunner().invoke(cli, _args(example, tmp_path, push_base=oxigraph_server))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("pushed ")


@pytest.fixture
def server_env() -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHANAOZEN_")}
    env["PYTHONPATH"] = str(SRC)
    yield env


@pytest.mark.server
@pytest.mark.parametrize("name", sorted(SERVERS))
def test_server_examples_run(name: str, tmp_path: Path, server_env: dict[str, str]) -> None:
    where = tmp_path / "own"
    create_demo(where)
    (example,) = EXAMPLES[name]
    args = _args(example, tmp_path)
    port = free_port()
    if "--port" in args:
        args[args.index("--port") + 1] = str(port)
    else:
        args += ["--port", str(port)]
    cmd = [sys.executable, "-m", "zhanaozen_graph", *args]
    proc = subprocess.Popen(
        cmd, cwd=where, env=server_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        if name == "zhanaozen-graph serve":
            url = f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D"
            wait_until_up(url, proc, "serve", seconds=120, poll=0.2)
            with urllib.request.urlopen(url, timeout=30) as answer:
                assert json.loads(answer.read())["boolean"] is True
        else:
            assert proc.stdout is not None
            line = proc.stdout.readline()  # "Review SLUG at URL  (Ctrl+C to stop)"
            assert line.startswith(f"Review {SLUG} at http://127.0.0.1:{port}/"), line
            url = line.split(" at ", 1)[1].split()[0]
            with urllib.request.urlopen(url, timeout=30) as answer:
                assert answer.status == 200
    finally:
        stop_process(proc)
