"""A real Oxigraph server: push the graph, run every catalogue query there, compare with the local rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from zhanaozen_graph import load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.sparql.queries import list_queries, run_query
from zhanaozen_graph.sparql.remote import PushError, push

from .conftest import OXIGRAPH, clear_store, free_port  # noqa: F401  (other test modules import them from here)
from .test_queries import CONCATENATED

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def oxigraph(oxigraph_server: str) -> str:
    """The session's Oxigraph server (union default graph, like the local engine), emptied."""
    clear_store("oxigraph", oxigraph_server)
    return oxigraph_server


@pytest.fixture(scope="module")
def pushed(oxigraph: str, many: tuple[Path, Path]) -> str:
    data, build = many
    args = ["push", "--endpoint", f"{oxigraph}/store", "--data", str(data), "--build-dir", str(build)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    kg = load_graph(data, build)
    graphs = {q.graph_name.value for q in kg.store}
    assert (
        result.stdout == f"pushed {len(kg)} triples in {len(graphs)} graphs with the Graph Store Protocol\n"
    )
    return oxigraph


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_catalogue_query_gives_the_local_rows(pushed: str, many: tuple[Path, Path], name: str) -> None:
    local = run_query(load_graph(*many), name)
    remote = run_query(f"{pushed}/query", name)
    assert remote.kind == local.kind
    if local.kind == "graph":
        assert set(remote.triples) == set(local.triples)
    else:
        assert remote.variables == local.variables
        assert unordered_lists(name, remote) == unordered_lists(name, local)
        assert len(local.rows) > 0


def unordered_lists(name: str, result: Any) -> list[tuple[Any, ...]]:
    """Rows with the GROUP_CONCAT cells as sorted lists: the order inside them is up to the engine."""
    split = CONCATENATED.get(name, {})
    return [
        tuple(
            tuple(sorted(t.value.split(split[v]))) if v in split and isinstance(t, ox.Literal) else t
            for v, t in zip(result.variables, row, strict=True)
        )
        for row in result.rows
    ]


def test_parameters_reach_the_remote_store(pushed: str) -> None:
    local = run_query(load_graph(), "actor", {"actor": "knb"})
    remote = run_query(f"{pushed}/query", "actor", {"actor": "knb"})
    assert unordered_lists("actor", remote) == unordered_lists("actor", local)
    # KNB: 4 events, 1 claim by it, 1 claim about it, 1 relationship (its officers are members)
    assert len(remote.rows) == 7


def test_query_command_with_endpoint(pushed: str, many: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(
        cli, ["query", "legal-provisions", "--endpoint", f"{pushed}/query", "-f", "csv"]
    )
    assert result.exit_code == 0
    data, build = many
    local = CliRunner().invoke(
        cli, ["query", "legal-provisions", "-f", "csv", "--data", str(data), "--build-dir", str(build)]
    )
    assert result.stdout_bytes == local.stdout_bytes


def test_remote_syntax_error_is_one_line(pushed: str) -> None:
    result = CliRunner().invoke(
        cli, ["query", "-e", "SELECT * WHERE { ?s ?p }", "--endpoint", f"{pushed}/query"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: -e: the endpoint answered 400: ")
    assert result.stderr.count("\n") == 1


def test_push_with_sparql_update_into_one_graph(oxigraph: str) -> None:
    kg: Any = load_graph()
    target = "https://example.org/zhanaozen"
    result = push(kg, f"{oxigraph}/update", graph=target, method="update")
    assert result.method == "update" and list(result.graphs) == [target]
    count = run_query(
        f"{oxigraph}/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
    )
    assert count.records() == [{"n": result.triples}]
    assert result.triples == len({q.triple for q in kg.store})


def test_push_falls_back_to_update(oxigraph: str) -> None:
    # /update refuses a Graph Store Protocol PUT, so "auto" switches to SPARQL Update.
    result = push(load_graph(), f"{oxigraph}/update", graph="https://example.org/fallback")
    assert result.method == "update"


def test_push_refused(oxigraph: str) -> None:
    with pytest.raises(PushError, match=r"the store refused graph <.*>: 4\d\d "):
        push(load_graph(), f"{oxigraph}/query", method="gsp")
