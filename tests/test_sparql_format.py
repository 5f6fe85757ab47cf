"""Result formats: the SPARQL 1.1 formats checked against pyoxigraph's own writers and readers."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from zhanaozen_graph import QueryError
from zhanaozen_graph.sparql.format import negotiate, parse_json_results, serialize
from zhanaozen_graph.sparql.queries import get_query, list_queries, run_query
from zhanaozen_graph.sparql.results import QueryResult

SELECTS = [q.name for q in list_queries() if q.name != "record"]
FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}
XSD = "http://www.w3.org/2001/XMLSchema#"


def _oxigraph_answer(kg: Any, name: str) -> Any:
    from zhanaozen_graph.sparql.queries import _graph_lookup, bind_parameters

    info = get_query(name)
    subs = {ox.Variable(k): v for k, v in bind_parameters(info, {}, _graph_lookup(kg)).items()}
    return kg.store.query(info.text, use_default_graph_as_union=True, substitutions=subs or None)


@pytest.mark.parametrize("name", SELECTS)
def test_csv_and_tsv_equal_pyoxigraphs_writer(kg: Any, name: str) -> None:
    ours = run_query(kg, name)
    for fmt in ("csv", "tsv"):
        theirs = _oxigraph_answer(kg, name).serialize(format=getattr(ox.QueryResultsFormat, fmt.upper()))
        assert serialize(ours, fmt).encode() == theirs


@pytest.mark.parametrize("name", SELECTS)
def test_json_xml_tsv_read_back_as_the_same_rows(kg: Any, name: str) -> None:
    ours = run_query(kg, name)
    for fmt, oxfmt in FORMATS.items():
        parsed = ox.parse_query_results(serialize(ours, fmt), oxfmt)
        names = [v.value for v in parsed.variables]
        assert names == ours.variables
        assert [tuple(s[n] for n in names) for s in parsed] == ours.rows, fmt


def test_our_json_reader_reads_pyoxigraphs_json(kg: Any) -> None:
    data = _oxigraph_answer(kg, "quantities").serialize(format=ox.QueryResultsFormat.JSON)
    assert parse_json_results(data).rows == run_query(kg, "quantities").rows


def test_special_characters_round_trip() -> None:
    terms = [
        ox.Literal('tab\there, "quoted", new\nline <&>'),
        ox.Literal("hi", language="en"),
        ox.Literal("2011-12-16", datatype=ox.NamedNode(XSD + "date")),
        ox.NamedNode("urn:a?b=c&d"),
        ox.BlankNode("b0"),
    ]
    result = QueryResult("select", ["x"], [(t,) for t in terms] + [(None,)])
    for fmt, oxfmt in FORMATS.items():
        parsed = ox.parse_query_results(serialize(result, fmt), oxfmt)
        assert [s["x"] for s in parsed] == [*terms, None], fmt
    assert serialize(result, "csv").splitlines()[1] == '"tab\there, ""quoted"", new'


def test_ask_in_every_format() -> None:
    yes = QueryResult("ask", boolean=True)
    assert serialize(yes, "json") == '{"head":{},"boolean":true}'
    assert bool(ox.parse_query_results(serialize(yes, "xml"), ox.QueryResultsFormat.XML)) is True
    assert serialize(yes, "table") == "true"
    assert serialize(QueryResult("ask", boolean=False), "csv") == "false"


def test_table_abbreviates_iris_with_the_querys_prefixes(kg: Any) -> None:
    text = serialize(run_query(kg, "legal-provisions"), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["provision", "code", "number", "title", "event", "type", "earliest", "latest"]
    assert lines[2].startswith("law:criminal-code-article-65 ")
    assert lines[-1] == "(2 rows)"


def test_markdown(kg: Any) -> None:
    text = serialize(run_query(kg, "mentions"), "md")
    assert text.splitlines() == [
        "| entity | source | title | date | quotes |",
        "|---|---|---|---|---|",
        "| https://w3id.org/zhanaozen-graph/id/organisation/knb | source:amnesty-ua-2012-07-atabaev-released "
        "| Urgent Action: Bolat Atabaev released | 2012-07 | 8 |",
    ]


def test_graph_formats(kg: Any) -> None:
    result = run_query(kg, "record")
    turtle = serialize(result)
    assert "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> ." in turtle
    for fmt, rdf in (
        ("turtle", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ):
        assert {q.triple for q in ox.parse(serialize(result, fmt), rdf)} == set(result.triples), fmt


def test_table_format_for_a_graph_is_refused(kg: Any) -> None:
    with pytest.raises(
        QueryError,
        match=r"a CONSTRUCT or DESCRIBE result cannot be written as csv; use one of: turtle, nt, jsonld",
    ):
        serialize(run_query(kg, "record"), "csv")


def test_graph_format_for_a_select_is_refused(kg: Any) -> None:
    with pytest.raises(
        QueryError, match=r"a SELECT result cannot be written as turtle; use one of: table, csv"
    ):
        serialize(run_query(kg, "mentions"), "turtle")


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        (None, "select", "json"),
        ("*/*", "graph", "turtle"),
        ("application/sparql-results+xml", "select", "xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "select", "tsv"),
        ("application/ld+json", "graph", "jsonld"),
        ("application/n-triples, text/turtle;q=0.1", "graph", "nt"),
        ("text/turtle", "select", None),
        ("text/csv;q=0", "select", None),
    ],
)
def test_negotiate(accept: str | None, kind: str, expected: str | None) -> None:
    assert negotiate(accept, kind) == expected
