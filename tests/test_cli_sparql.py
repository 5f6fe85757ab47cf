"""The SPARQL commands through click: query, queries, and the cold start of a one-shot query."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhanaozen_graph import load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.cli.sparql import RESULT_FORMATS
from zhanaozen_graph.sparql.format import GRAPH_FORMATS, TABLE_FORMATS, serialize
from zhanaozen_graph.sparql.queries import list_queries, run_query

ROOT = Path(__file__).resolve().parents[1]


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def test_result_formats_agree_with_the_library() -> None:
    assert set(RESULT_FORMATS) == set(TABLE_FORMATS) | set(GRAPH_FORMATS)


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml", "md"])
def test_query_output_is_the_library_result(fmt: str) -> None:
    code, out, _ = invoke("query", "actor", "--param", "actor=knb", "--format", fmt)
    assert code == 0
    expected = serialize(run_query(load_graph(), "actor", {"actor": "knb"}), fmt)
    assert out == (expected if expected.endswith("\n") else expected + "\n")


def test_query_json_rows() -> None:
    code, out, _ = invoke("query", "mentions", "-p", "entity=knb", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["head"]["vars"] == ["entity", "source", "title", "date", "quotes"]
    assert doc["results"]["bindings"][0]["quotes"] == {
        "type": "literal",
        "value": "8",  # the KNB is named in eight quotes (a mention in any quote of the source counts)
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


def test_query_from_a_file_stdin_and_expression(tmp_path: Path) -> None:
    text = "ASK { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }"
    path = tmp_path / "ask.rq"
    path.write_text(text)
    assert invoke("query", str(path)) == (0, "true\n", "")
    assert invoke("query", "-", input=text) == (0, "true\n", "")
    assert invoke("query", "-e", text.replace("Event", "Nothing")) == (0, "false\n", "")


def test_construct_prints_turtle_by_default() -> None:
    code, out, _ = invoke("query", "record", "-p", "record=atabaev-convoy")
    assert code == 0
    assert out.startswith("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .")
    assert "sem:hasPlace <https://w3id.org/zhanaozen-graph/id/place/almaty>" in out


def test_construct_as_ntriples() -> None:
    code, out, _ = invoke("query", "record", "-f", "nt")
    assert code == 0
    assert all(line.endswith(" .") for line in out.splitlines() if line)


def test_query_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "timeline.csv"
    code, _, err = invoke("query", "timeline", "-f", "csv", "-o", str(out))
    assert code == 0 and err == f"wrote {out}\n"
    assert (
        out.read_text().splitlines()[0]
        == "earliest,latest,date,status,type,event,label,places,participants,sources"
    )


def test_queries_lists_the_catalogue() -> None:
    code, out, _ = invoke("queries")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "title", "parameters"]
    assert len(lines) == 2 + len(list_queries())
    assert any(
        line.startswith("between-dates ") and "start=2011-12-01, end=2011-12-31" in line for line in lines
    )


def test_queries_json_has_the_parameters() -> None:
    code, out, _ = invoke("queries", "-f", "json")
    assert code == 0
    doc = {q["name"]: q for q in json.loads(out)}
    assert doc["actor"]["parameters"] == [
        {
            "name": "actor",
            "type": "iri",
            "default": "bolat-atabaev",
            "description": "The person, group or organisation: a record id, a prefixed name or an <IRI>.",
        }
    ]


def test_queries_dir_option(tmp_path: Path) -> None:
    (tmp_path / "mine.rq").write_text("# title: Mine\nASK { ?s ?p ?o }\n")
    code, out, _ = invoke("queries", "--queries-dir", str(tmp_path))
    assert code == 0 and any(line.startswith("mine ") for line in out.splitlines())
    assert invoke("query", "mine", "--queries-dir", str(tmp_path)) == (0, "true\n", "")


# -- errors: one line, exit 1 ------------------------------------------------------------------


def test_syntax_error() -> None:
    code, out, err = invoke("query", "-e", "SELECT * WHERE {\n  ?s ?p ?o\n} LIMT 3")
    assert (code, out) == (1, "")
    assert err == "Error: -e:3:3: syntax error at 'LIMT 3'\n"


def test_unknown_query() -> None:
    code, _, err = invoke("query", "timelin")
    assert code == 1
    assert err.startswith("Error: no query named 'timelin' in the catalogue; choose one of: actor, ")
    assert err.count("\n") == 1


def test_missing_query_file() -> None:
    code, _, err = invoke("query", "nowhere/mine.rq")
    assert (code, err) == (1, "Error: nowhere/mine.rq: no such query file\n")


def test_bad_param_syntax() -> None:
    code, _, err = invoke("query", "actor", "--param", "knb")
    assert code == 2
    assert "Invalid value for '--param': 'knb' is not NAME=VALUE" in err


def test_bad_param_value() -> None:
    code, _, err = invoke("query", "between-dates", "-p", "start=December")
    assert (code, err) == (1, "Error: 'December' is not a date; write it as YYYY-MM-DD, e.g. 2011-12-16\n")


def test_unknown_record_id() -> None:
    code, _, err = invoke("query", "actor", "-p", "actor=nobody")
    assert code == 1
    assert (
        err
        == "Error: no record with the id 'nobody' in the graph; check the id in data/records, or give the full <IRI>\n"
    )


def test_no_query_given() -> None:
    code, _, err = invoke("query")
    assert code == 2 and "give a query: a catalogue NAME, a FILE, - for standard input, or -e SPARQL" in err


def test_query_and_expression_together() -> None:
    code, _, err = invoke("query", "timeline", "-e", "ASK {}")
    assert code == 2 and "give either NAME|FILE|- or -e SPARQL, not both" in err


def test_wrong_format_for_the_kind() -> None:
    code, _, err = invoke("query", "record", "-f", "csv")
    assert (code, err) == (
        1,
        "Error: a CONSTRUCT or DESCRIBE result cannot be written as csv; use one of: turtle, nt, jsonld\n",
    )


def test_update_is_refused() -> None:
    code, _, err = invoke("query", "-e", "DELETE WHERE { ?s ?p ?o }")
    assert (code, err) == (1, "Error: -e: DELETE is an update; only queries can be run here\n")


def test_unreachable_endpoint() -> None:
    code, _, err = invoke("query", "timeline", "--endpoint", "http://127.0.0.1:9/query")
    assert code == 1
    assert err.startswith("Error: cannot reach http://127.0.0.1:9/query: ")


# -- whole commands in a fresh process -----------------------------------------------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"


def test_timeout_ends_the_process_promptly() -> None:
    load_graph()  # the build is cached
    cmd = [sys.executable, "-m", "zhanaozen_graph", "query", "-e", SLOW, "--timeout", "0.5"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: the query did not finish within 0.5 s; narrow it down (a LIMIT, more specific patterns) "
        "or raise --timeout\n"
    )


def test_cold_start_imports_nothing_heavy() -> None:
    load_graph()
    cmd = [sys.executable, "-X", "importtime", "-m", "zhanaozen_graph", "query", "timeline", "-f", "csv"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20, cwd=ROOT)
    assert proc.returncode == 0
    modules = {
        line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")
    }
    assert "pyoxigraph" in modules and "click" in modules
    heavy = {
        "rdflib",
        "edtf",
        "networkx",
        "pandas",
        "pyshacl",
        "scipy",
        "pyvis",
        "urllib.request",
        "zhanaozen_graph.records.validate",
    }
    assert not heavy & modules
