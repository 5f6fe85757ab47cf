"""Result formats: the SPARQL 1.1 formats checked against pyoxigraph's own writers and readers."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from zhanaozen_graph import QueryError
from zhanaozen_graph.sparql.format import (
    negotiate,
    parse_json_results,
    parse_results,
    serialize,
)
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
    from zhanaozen_graph.sparql.text import insert_values

    # The text run_query sends (parameters in a VALUES block), so that both writers get the same rows
    # in the same order: the order inside a GROUP_CONCAT cell follows the engine's plan.
    info = get_query(name)
    values = {k: str(v) for k, v in bind_parameters(info, {}, _graph_lookup(kg)).items()}
    return kg.store.query(insert_values(info.text, values), use_default_graph_as_union=True)


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


# The bytes the hand-written writers of 0.1.0 produced for these rows (checked by hand: CSV quoting per
# RFC 4180, TSV's abbreviated integer/decimal/double/boolean, unbound as empty); pyoxigraph must write the same.
SPECIAL = QueryResult(
    "select",
    ["x", "y"],
    [
        (ox.Literal('tab\there, "quoted", new\nline <&>'), ox.Literal("0")),
        (ox.Literal("hi", language="en"), None),
        (ox.Literal("2011-12-16", datatype=ox.NamedNode(XSD + "date")), ox.Literal("2")),
        (ox.Literal("16", datatype=ox.NamedNode(XSD + "integer")), None),
        (ox.Literal("-1.5", datatype=ox.NamedNode(XSD + "decimal")), ox.Literal("4")),
        (ox.Literal("1.0E3", datatype=ox.NamedNode(XSD + "double")), None),
        (ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), ox.Literal("6")),
        (ox.Literal(" Жаңаөзен "), None),
        (ox.NamedNode("urn:a?b=c&d"), ox.Literal("8")),
        (ox.BlankNode("b0"), None),
        (None, None),
    ],
)
SPECIAL_CSV = (
    'x,y\r\n"tab\there, ""quoted"", new\nline <&>",0\r\nhi,\r\n2011-12-16,2\r\n16,\r\n-1.5,4\r\n'
    "1.0E3,\r\ntrue,6\r\n Жаңаөзен ,\r\nurn:a?b=c&d,8\r\n_:b0,\r\n,\r\n"
)
SPECIAL_TSV = (
    '?x\t?y\n"tab\\there, \\"quoted\\", new\\nline <&>"\t"0"\n"hi"@en\t\n'
    '"2011-12-16"^^<http://www.w3.org/2001/XMLSchema#date>\t"2"\n16\t\n-1.5\t"4"\n1.0E3\t\ntrue\t"6"\n'
    '" Жаңаөзен "\t\n<urn:a?b=c&d>\t"8"\n_:b0\t\n\t\n'
)
SPECIAL_JSON = (
    '{"head":{"vars":["x","y"]},"results":{"bindings":['
    '{"x":{"type":"literal","value":"tab\\there, \\"quoted\\", new\\nline <&>"},"y":{"type":"literal","value":"0"}},'
    '{"x":{"type":"literal","value":"hi","xml:lang":"en"}},'
    '{"x":{"type":"literal","value":"2011-12-16","datatype":"http://www.w3.org/2001/XMLSchema#date"},'
    '"y":{"type":"literal","value":"2"}},'
    '{"x":{"type":"literal","value":"16","datatype":"http://www.w3.org/2001/XMLSchema#integer"}},'
    '{"x":{"type":"literal","value":"-1.5","datatype":"http://www.w3.org/2001/XMLSchema#decimal"},'
    '"y":{"type":"literal","value":"4"}},'
    '{"x":{"type":"literal","value":"1.0E3","datatype":"http://www.w3.org/2001/XMLSchema#double"}},'
    '{"x":{"type":"literal","value":"true","datatype":"http://www.w3.org/2001/XMLSchema#boolean"},'
    '"y":{"type":"literal","value":"6"}},'
    '{"x":{"type":"literal","value":" Жаңаөзен "}},'
    '{"x":{"type":"uri","value":"urn:a?b=c&d"},"y":{"type":"literal","value":"8"}},'
    '{"x":{"type":"bnode","value":"b0"}},{}]}}'
)


@pytest.mark.parametrize(
    ("fmt", "expected"), [("csv", SPECIAL_CSV), ("tsv", SPECIAL_TSV), ("json", SPECIAL_JSON)]
)
def test_the_same_bytes_as_the_hand_written_writers(fmt: str, expected: str) -> None:
    assert serialize(SPECIAL, fmt) == expected


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_every_term_reads_back_from_our_own_reader(fmt: str) -> None:
    assert parse_results(serialize(SPECIAL, fmt), fmt).rows == SPECIAL.rows


def test_a_triple_term_round_trips() -> None:
    inner = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))
    nested = ox.Triple(ox.BlankNode("b1"), ox.NamedNode("urn:q"), inner)  # RDF 1.2: objects only
    result = QueryResult("select", ["t"], [(inner,), (nested,)])
    for fmt in ("json", "xml", "tsv"):
        assert parse_results(serialize(result, fmt), fmt).rows == result.rows, fmt


def test_virtuosos_typed_literal_is_read() -> None:
    data = (
        '{"head":{"link":[],"vars":["n","d"]},"results":{"distinct":false,"ordered":true,"bindings":['
        '{"n":{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"16"},'
        '"d":{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#date","value":"2011-12-16"}}]}}'
    )
    result = parse_json_results(data)
    assert result.rows == [
        (
            ox.Literal("16", datatype=ox.NamedNode(XSD + "integer")),
            ox.Literal("2011-12-16", datatype=ox.NamedNode(XSD + "date")),
        )
    ]
    assert result.records() == [{"n": 16, "d": "2011-12-16"}]


@pytest.mark.parametrize(
    ("fmt", "data", "message"),
    [
        ("json", b'{"head":{"vars":["s"]},"results":', "the endpoint's JSON results cannot be read: "),
        ("xml", b"<sparql><head>", "the endpoint's XML results cannot be read: "),
        ("tsv", b"?s\n<urn:a", "the endpoint's TSV results cannot be read: "),
    ],
)
def test_unreadable_results_are_one_query_error(fmt: str, data: bytes, message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_results(data, fmt)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (QueryResult("select", [], [()]), '{"head":{"vars":[]},"results":{"bindings":[{}]}}'),
        (QueryResult("select", [], []), '{"head":{"vars":[]},"results":{"bindings":[]}}'),
        (QueryResult("select", ["x"], []), '{"head":{"vars":["x"]},"results":{"bindings":[]}}'),
    ],
)
def test_no_variables_or_no_rows(result: QueryResult, expected: str) -> None:
    assert serialize(result, "json") == expected
    assert parse_results(expected, "json").rows == result.rows


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
        "| Urgent Action: Bolat Atabaev released | 2012-07 | 7 |",  # see test_catalogue.test_mentions
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
