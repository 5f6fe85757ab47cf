"""Every read command x {local build, Oxigraph server, Virtuoso 7.2}, on the real data and the fixture sources.

Issue 17: a command given ``--endpoint URL`` reads the graph only through SPARQL, and prints what it
prints on the local build, byte for byte (standard output, standard error, written files). Each
server is started once per session (conftest) and loaded once per data set with `push`. Where a
server differs in a documented way, a test below names the quirk and shows that the project's
queries are written so that every server agrees.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from zhanaozen_graph import load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.graph.build import GRAPH_BASE, RemoteGraph
from zhanaozen_graph.sparql.remote import Endpoint

from .conftest import DATA, MINI, load_into
from .test_queries import CONCATENATED

pytestmark = pytest.mark.server

# Every read command, in the forms whose output is deterministic (a table, CSV, JSON, a file).
COMMANDS: list[tuple[str, ...]] = [
    ("timeline",),
    ("timeline", "-f", "json"),
    ("timeline", "-f", "csv"),
    ("stats", "-f", "json"),
    ("sources",),
    ("sources", "-f", "json"),
    ("coverage",),
    ("coverage", "--clauses", "-f", "json"),
    ("analyze", "centrality"),
    ("analyze", "communities"),
    ("analyze", "ego", "KNB"),
    ("analyze", "path", "Bolat Atabaev", "KNB"),
    ("analyze", "slice", "--as-of", "2011-12-17"),
    ("analyze", "evolution", "-f", "csv"),
    ("export", "-f", "gexf"),
    ("export", "-f", "graphml", "--network", "coparticipation"),
    ("export", "-f", "json", "--network", "precedence"),
    ("export", "-f", "json", "--network", "places"),
    ("export", "-f", "graphml", "--network", "actor-event"),
    ("export", "-f", "timelinejs"),
    ("export", "-f", "csv"),
    ("export", "-f", "ftm"),
    ("query", "legal-provisions", "-f", "csv"),
    ("query", "uncertain-dates", "-f", "json"),
]


@pytest.fixture(scope="module", params=["real", "many"])
def dataset(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data, build dir): the real document alone, or with the two invented sources."""
    if request.param == "real":
        return DATA, tmp_path_factory.mktemp("matrix-real-build")
    many: tuple[Path, Path] = request.getfixturevalue("many")
    return many


def run(args: tuple[str, ...] | list[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture(scope="module")
def local(dataset: tuple[Path, Path]) -> dict[tuple[str, ...], Result]:
    """Each command's result on the local build (built once)."""
    data, build = dataset
    load_graph(data, build)  # built first: a command that has to build says so on stderr, a remote one never
    where = ("--data", str(data), "--build-dir", str(build))
    return {cmd: run([*cmd, *where]) for cmd in COMMANDS}


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(kind, base URL) of a session's server."""
    base: str = request.getfixturevalue(f"{request.param}_server")
    return request.param, base


@pytest.fixture
def remote(server: tuple[str, str], dataset: tuple[Path, Path]) -> str:
    """The query URL of the server holding the data set (pushed once, unless another test loaded another)."""
    return load_into(*server, *dataset)


@pytest.mark.parametrize("cmd", COMMANDS, ids=" ".join)
def test_read_command_prints_the_same_on_the_server(
    remote: str, local: dict[tuple[str, ...], Result], cmd: tuple[str, ...]
) -> None:
    here = local[cmd]
    there = run([*cmd, "--endpoint", remote])
    assert (here.exit_code, there.exit_code) == (0, 0), there.output
    assert there.stdout_bytes == here.stdout_bytes
    assert there.stderr_bytes == here.stderr_bytes
    assert len(here.stdout_bytes) > 100  # something real was compared


def test_the_environment_variable_names_the_endpoint(
    remote: str, local: dict[tuple[str, ...], Result]
) -> None:
    there = run(
        ["timeline", "-f", "json"], env={"ZHANAOZEN_ENDPOINT": remote, "ZHANAOZEN_DATA": "/nonexistent"}
    )
    assert there.exit_code == 0, there.output
    assert there.stdout_bytes == local[("timeline", "-f", "json")].stdout_bytes


def test_explorer_page_is_the_same_file(remote: str, dataset: tuple[Path, Path], tmp_path: Path) -> None:
    data, build = dataset
    here = run(
        ["explore", "--data", str(data), "--build-dir", str(build), "-o", str(tmp_path / "local.html")]
    )
    there = run(["explore", "--endpoint", remote, "-o", str(tmp_path / "remote.html")])
    assert (here.exit_code, there.exit_code) == (0, 0), there.output
    assert there.stderr.replace("remote.html", "local.html") == here.stderr  # "wrote FILE (N nodes...)"
    page = (tmp_path / "remote.html").read_bytes()
    assert page == (tmp_path / "local.html").read_bytes()
    # the quotes are shown in their sentence: the text came from the graph, not from data/
    assert b"Zhanaozen" in page


def test_explorer_without_output_writes_into_the_current_directory(
    remote: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    there = run(["explore", "--endpoint", remote])
    assert there.exit_code == 0, there.output
    assert there.stderr.startswith("wrote explorer.html (")
    assert (tmp_path / "explorer.html").stat().st_size > 100_000


def concat_free(text: str, name: str) -> list[list[Any]]:
    """A query's JSON rows with each GROUP_CONCAT cell as a sorted list: SPARQL leaves their order open."""
    split = CONCATENATED.get(name, {})
    doc = json.loads(text)
    rows = []
    for b in doc["results"]["bindings"]:
        row = []
        for v in doc["head"]["vars"]:
            cell = b.get(v, {}).get("value")
            row.append(sorted(cell.split(split[v])) if v in split and cell is not None else cell)
        rows.append(row)
    return rows


def test_group_concat_order_is_the_engines(remote: str, dataset: tuple[Path, Path]) -> None:
    # The one output that may differ: the order inside GROUP_CONCAT, which SPARQL 1.1 leaves to the
    # engine (Virtuoso's differs from Oxigraph's). Rows, their order and every other cell agree.
    data, build = dataset
    here = run(["query", "timeline", "-f", "json", "--data", str(data), "--build-dir", str(build)])
    there = run(["query", "timeline", "-f", "json", "--endpoint", remote])
    assert (here.exit_code, there.exit_code) == (0, 0), there.output
    assert concat_free(there.stdout, "timeline") == concat_free(here.stdout, "timeline")


def test_construct_gives_the_same_triples(remote: str, dataset: tuple[Path, Path]) -> None:
    # N-Triples lines come in the engine's order; the triples are the same.
    data, build = dataset
    args = ["query", "record", "-p", "record=atabaev-released", "-f", "nt"]
    here = run([*args, "--data", str(data), "--build-dir", str(build)])
    there = run([*args, "--endpoint", remote])
    assert (here.exit_code, there.exit_code) == (0, 0), there.output
    lines = sorted(here.stdout.splitlines())
    assert sorted(there.stdout.splitlines()) == lines
    assert len(lines) > 20


def test_load_graph_with_an_endpoint_reads_the_same_rows(remote: str, dataset: tuple[Path, Path]) -> None:
    from zhanaozen_graph.reports import coverage, stats
    from zhanaozen_graph.timeline import timeline

    kg = load_graph(*dataset)
    rg = load_graph(endpoint=remote)
    assert isinstance(rg, RemoteGraph) and rg.path is None
    assert timeline(rg) == timeline(kg)
    assert stats(rg) == stats(kg)
    assert coverage(rg) == coverage(kg)
    assert len(rg) == len(kg) == rg.count_quads()


# -- The documented differences of Virtuoso 7.2, each shown, and that the project's queries avoid it ----


@pytest.fixture
def virtuoso_many(virtuoso_server: str, many: tuple[Path, Path]) -> str:
    return load_into("virtuoso", virtuoso_server, *many)


def test_quirk_virtuoso_default_graph_holds_system_graphs(virtuoso_many: str, many_kg: Any) -> None:
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    remote = RemoteGraph(virtuoso_many)
    assert int(remote.select(everything)[0]["n"]) > len(many_kg)  # its own graphs are in the default graph
    # so every count is taken over the build's named graphs (GRAPH_BASE): the same number as locally
    assert remote.count_quads() == len(many_kg)
    run_stats = run(["stats", "-f", "json", "--endpoint", virtuoso_many])
    assert json.loads(run_stats.stdout)["quads"] == len(many_kg)


def test_quirk_virtuoso_binds_inside_an_unmatched_optional(virtuoso_many: str, many_kg: Any) -> None:
    q = """SELECT ?e ?x WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> .
      OPTIONAL { ?e <urn:nothing> ?y BIND(COALESCE(?y, "none") AS ?x) } } ORDER BY ?e LIMIT 2"""
    # The standard (and pyoxigraph): ?x stays unbound, as the OPTIONAL group did not match.
    assert [r["x"] for r in many_kg.select(q)] == [None, None]
    assert [r["x"] for r in RemoteGraph(virtuoso_many).select(q)] == ["none", "none"]  # Virtuoso 7.2
    # The project's queries therefore BIND outside OPTIONAL (COALESCE after it): no query text of
    # the library or the catalogue has a BIND inside an OPTIONAL group.
    assert [name for name, text in _all_query_texts() if _bind_in_optional(text)] == []


def test_quirk_virtuoso_orders_long_strings_wrongly(virtuoso_many: str, many_kg: Any) -> None:
    labels = f"""SELECT DISTINCT ?label WHERE {{
      GRAPH ?g {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
      FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }} ORDER BY %s"""
    local = [r["label"] for r in many_kg.select(labels % "?label")]
    by_term = [r["label"] for r in RemoteGraph(virtuoso_many).select(labels % "?label")]
    by_str = [r["label"] for r in RemoteGraph(virtuoso_many).select(labels % "STR(?label)")]
    assert local == sorted(local) and len(local) > 200
    assert by_str == local
    # Virtuoso 7.2 puts a long label before a shorter one it starts with:
    assert by_term != local
    first = next(i for i, (a, b) in enumerate(zip(by_term, local, strict=True)) if a != b)
    assert by_term[first].startswith(local[first]) and len(by_term[first]) > len(local[first])
    # so the catalogue sorts labels by STR() (timeline.rq and the others that sort by a label)
    assert "STR(?label)" in dict(_all_query_texts())["timeline"]


def test_quirk_virtuoso_answers_json_with_typed_literal(virtuoso_many: str, many_kg: Any) -> None:
    import urllib.parse
    import urllib.request

    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/Person> }"
    body = urllib.parse.urlencode({"query": q}).encode()
    request = urllib.request.Request(
        virtuoso_many, data=body, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        raw = json.loads(answer.read())
    assert raw["results"]["bindings"][0]["n"]["type"] == "typed-literal"  # SPARQL 1.1 says "literal"
    # read as the integer it is, as from the local store
    rows = RemoteGraph(virtuoso_many).select(q)
    assert rows == many_kg.select(q)
    assert isinstance(rows[0]["n"], int) and rows[0]["n"] >= 5


def test_quirk_virtuoso_gives_construct_as_a_table_for_a_results_accept(virtuoso_many: str) -> None:
    import urllib.parse
    import urllib.request

    q = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 1"
    body = urllib.parse.urlencode({"query": q}).encode()
    request = urllib.request.Request(
        virtuoso_many, data=body, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("application/sparql-results+json")
    # so CONSTRUCT and DESCRIBE are sent with an RDF Accept header, and come back as triples
    result = Endpoint(virtuoso_many).query(q)
    assert result.kind == "graph" and len(result.triples) == 1
    assert isinstance(result.triples[0], ox.Triple)


def _all_query_texts() -> list[tuple[str, str]]:
    """Every SPARQL text of the package: the catalogue's .rq files and the query constants of the modules."""
    from zhanaozen_graph.sparql.queries import list_queries

    out = [(q.name, q.text) for q in list_queries()]
    package = Path(__file__).resolve().parents[1] / "src" / "zhanaozen_graph"
    for path in sorted(package.rglob("*.py")):
        for n, match in enumerate(re.finditer(r'"""(.*?)"""', path.read_text("utf-8"), re.S)):
            if "WHERE" in match.group(1):
                out.append((f"{path.relative_to(package)}#{n}", match.group(1)))
    return out


def _bind_in_optional(text: str) -> bool:
    """True when a BIND inside an OPTIONAL group has a value without the group's variables.

    That is Virtuoso's quirk: it evaluates such a BIND (COALESCE, IF, BOUND) even when the group
    does not match. A BIND of a function of the group's variables (STRAFTER(STR(?type), ...))
    fails on an unbound argument and stays unbound on every engine.
    """
    text = re.sub(r'"[^"\n]*"|#[^\n]*', '""', text)
    optionals: list[int] = []
    depth = 0
    for token in re.finditer(r"OPTIONAL\s*\{|\{|\}|\bBIND\s*\(\s*(\w+)", text, re.I):
        t = token.group().upper()
        if t.startswith("OPTIONAL"):
            depth += 1
            optionals.append(depth)
        elif t == "{":
            depth += 1
        elif t == "}":
            if optionals and optionals[-1] == depth:
                optionals.pop()
            depth -= 1
        elif optionals and token.group(1).upper() in ("COALESCE", "IF", "BOUND"):
            return True
    return False


def test_bind_in_optional_detector() -> None:
    assert _bind_in_optional("SELECT * WHERE { OPTIONAL { ?a ?b ?c . BIND(COALESCE(?c, 1) AS ?x) } }")
    assert _bind_in_optional("SELECT * WHERE { OPTIONAL { ?a ?b ?c { ?c ?d ?e } BIND(IF(?e, 1, 2) AS ?x) } }")
    assert not _bind_in_optional("SELECT * WHERE { OPTIONAL { ?a ?b ?c } BIND(COALESCE(?c, 1) AS ?x) }")
    assert not _bind_in_optional('SELECT * WHERE { OPTIONAL { ?a ?b "{" } BIND(IF(?c, 1, 2) AS ?x) }')
    assert not _bind_in_optional("SELECT * WHERE { OPTIONAL { ?a ?b ?c BIND(STRAFTER(STR(?c), 1) AS ?x) } }")


def test_graph_base_names_every_graph_of_a_build(kg: Any) -> None:
    graphs = {q.graph_name.value for q in kg.store}
    assert graphs and all(g.startswith(GRAPH_BASE) for g in graphs)


def test_endpoint_with_local_options_is_a_usage_error() -> None:
    result = run(["timeline", "--endpoint", "http://127.0.0.1:9/query", "--rebuild", "--data", "data"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --data and --rebuild cannot be used with --endpoint: the remote graph is read as it is"
    )


def test_unreachable_endpoint_is_one_line() -> None:
    result = run(["timeline", "--endpoint", "http://127.0.0.1:9/query"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot reach http://127.0.0.1:9/query: [Errno 111] Connection refused; "
        "check the URL and that the server is running\n"
    )


def test_a_store_url_that_is_not_a_query_endpoint_says_so(oxigraph_server: str) -> None:
    result = run(["stats", "--endpoint", oxigraph_server + "/"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {oxigraph_server}/ answered 404: POST / is not supported by this server; give the URL of "
        "the SPARQL query endpoint itself (Oxigraph http://HOST:7878/query, Virtuoso http://HOST:8890/sparql, "
        "Fuseki http://HOST:3030/DATASET/query)\n"
    )


def test_select_binds_variables_on_the_server(remote: str, dataset: tuple[Path, Path]) -> None:
    q = "SELECT ?e ?label WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    event = ox.NamedNode("https://w3id.org/zhanaozen-graph/id/event/atabaev-released")
    there = load_graph(endpoint=remote).select(q, e=event)
    assert (
        there
        == load_graph(*dataset).select(q, e=event)
        == [
            {
                "e": event.value,
                "label": "Bolat Atabaev is released and walks free from Pre-trial Detention Centre Number One in Aktau under Article 65",
            }
        ]
    )


def test_endpoint_with_a_local_option_is_refused() -> None:
    from zhanaozen_graph.errors import BuildError

    with pytest.raises(BuildError) as caught:
        load_graph("data", endpoint="http://127.0.0.1:9/query", rebuild=True)
    assert str(caught.value) == (
        "data_dir, rebuild cannot be used with an endpoint: the remote graph is read as it is; "
        "drop them, or drop the endpoint to use the local build"
    )


def test_a_remote_graph_has_no_local_store() -> None:
    rg = load_graph(endpoint="http://user:secret@127.0.0.1:9/query")
    with pytest.raises(
        AttributeError, match=r"^the graph at http://127.0.0.1:9/query is remote: it has no local"
    ):
        rg.store  # noqa: B018  # the attribute access is what is tested
    assert "secret" not in repr(rg.manifest)


def test_the_file_name_comes_from_the_graph(oxigraph_server: str, tmp_path: Path) -> None:
    # FtM's Document.fileName is the name of the source's text file: a zg:fileName in the graph, so
    # that an export from a server gives it too (it used to be read from the data directory's YAML).
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "sources" / "example-mini.txt").rename(data / "sources" / "mini-text.txt")
    meta = data / "sources" / "example-mini.yaml"
    meta.write_text(meta.read_text() + "file: mini-text.txt\n")
    build = tmp_path / "build"
    url = load_into("oxigraph", oxigraph_server, data, build)
    here = run(["export", "-f", "ftm", "--data", str(data), "--build-dir", str(build)])
    shutil.rmtree(data)  # nothing local is read from here on
    there = run(["export", "-f", "ftm", "--endpoint", url])
    assert (here.exit_code, there.exit_code) == (0, 0), there.output
    assert there.stdout_bytes == here.stdout_bytes
    docs = [json.loads(line) for line in there.stdout.splitlines() if '"Document"' in line]
    assert [d["properties"]["fileName"] for d in docs] == [["mini-text.txt"]]
