"""The query catalogue, parameter binding, syntax errors, time limits, and rdflib's engine against pyoxigraph."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from zhanaozen_graph import QueryError
from zhanaozen_graph.sparql.queries import (
    PARAM_TYPES,
    QueryInfo,
    bind_parameters,
    catalogue_dirs,
    get_query,
    list_queries,
    parse_term,
    run_query,
)

# rdflib warns about its own use of Dataset.default_context; nothing to act on here.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.contexts is deprecated:DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/zhanaozen-graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"
# Columns built with GROUP_CONCAT: the order inside them is up to the engine.
CONCATENATED = {
    "timeline": {"places": "; ", "participants": "; ", "sources": "; "},
    "detentions": {"by": "; ", "places": "; ", "articles": "; ", "accordingTo": "; ", "sources": "; "},
    "corroboration": {"sources": "; "},
    "uncertain-dates": {"sources": "; "},
    "conflicts": {"values": "; "},
    "claims-by-stance": {"claimedBy": "; ", "quote": " [...] "},
    "allegations-and-responses": {"allegedByLabels": "; ", "respondedByLabels": "; "},
    "charges": {"defendants": "; ", "prosecutors": "; ", "articles": "; "},
    "co-participants": {"events": "; "},
    "relationships": {"quote": " [...] "},
}


# -- the catalogue ----------------------------------------------------------------------------


def test_catalogue_has_at_least_15_documented_queries() -> None:
    queries = list_queries()
    assert len(queries) >= 15
    for q in queries:
        assert q.title and q.description, q.name
        assert len(q.description) > 60, q.name
        for p in q.parameters:
            assert p.type in PARAM_TYPES and p.default and p.description, (q.name, p.name)


def test_the_repository_queries_folder_is_the_packaged_catalogue() -> None:
    top = ROOT / "queries"
    assert top.resolve() == catalogue_dirs()[-1]
    assert sorted(p.name for p in top.glob("*.rq")) == sorted(f"{q.name}.rq" for q in list_queries())


def test_the_catalogue_is_package_data() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert '"queries/*.rq"' in text


def test_get_query_reads_the_header() -> None:
    q = get_query("between-dates")
    assert q.title == "What happened between two dates"
    assert [(p.name, p.type, p.default) for p in q.parameters] == [
        ("start", "date", "2011-12-01"),
        ("end", "date", "2011-12-31"),
    ]
    assert q.parameters[0].description == "The first day of the period (YYYY-MM-DD)."


def test_unknown_query_lists_the_catalogue() -> None:
    with pytest.raises(
        QueryError, match=r"no query named 'timelin' in the catalogue; choose one of: actor, "
    ):
        get_query("timelin")


def test_queries_dir_adds_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "mine.rq").write_text("# title: Mine\n# description: Counts events.\nASK { ?s ?p ?o }\n")
    (tmp_path / "timeline.rq").write_text("# title: My timeline\nASK { ?s ?p ?o }\n")
    names = {q.name: q.title for q in list_queries(tmp_path)}
    assert names["mine"] == "Mine" and names["timeline"] == "My timeline"
    assert get_query("timeline", tmp_path).title == "My timeline"
    assert get_query("actor", tmp_path).title == "Everything about one actor"


def test_queries_dir_must_exist(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="the queries directory does not exist"):
        list_queries(tmp_path / "nope")


def test_bad_header_line(tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_text("# title: Bad\n# colour: blue\nASK {}\n")
    with pytest.raises(QueryError, match=r"bad.rq:2: cannot read the header line '# colour: blue'"):
        get_query("bad", tmp_path)


def test_bad_parameter_type(tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_text("# param: x: colour = red\nASK {}\n")
    with pytest.raises(QueryError, match=r"cannot read the parameter 'x: colour = red'"):
        get_query("bad", tmp_path)


# -- parameters -------------------------------------------------------------------------------


def test_parse_term_by_type() -> None:
    assert parse_term("2011-12-16", "date") == ox.Literal("2011-12-16", datatype=ox.NamedNode(XSD + "date"))
    assert parse_term("15", "integer") == ox.Literal("15", datatype=ox.NamedNode(XSD + "integer"))
    assert parse_term("1.5", "decimal") == ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal"))
    assert parse_term("Aktau", "string") == ox.Literal("Aktau")
    assert parse_term("<urn:x>", "iri") == ox.NamedNode("urn:x")
    assert parse_term('"2011"^^xsd:gYear') == ox.Literal("2011", datatype=ox.NamedNode(XSD + "gYear"))
    assert parse_term("42") == ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))
    assert parse_term("free text") == ox.Literal("free text")


def test_parse_term_rejects_a_bad_date() -> None:
    with pytest.raises(QueryError, match=r"'16/12/2011' is not a date; write it as YYYY-MM-DD"):
        parse_term("16/12/2011", "date")


def test_parse_term_rejects_a_literal_for_an_iri() -> None:
    with pytest.raises(QueryError, match=r"""'"Aktau"' is not an IRI"""):
        parse_term('"Aktau"', "iri")


def test_parse_term_rejects_an_undeclared_prefix() -> None:
    with pytest.raises(QueryError, match=r"'nope:x' is not a valid iri"):
        parse_term("nope:x", "iri")


def test_record_ids_are_resolved_in_the_graph(kg: Any) -> None:
    r = run_query(kg, "actor", {"actor": "knb"})
    assert {row["actor"] for row in r.records()} == {BASE + "id/organisation/knb"}


def test_unknown_record_id(kg: Any) -> None:
    with pytest.raises(QueryError, match=r"no record with the id 'nobody' in the graph"):
        run_query(kg, "actor", {"actor": "nobody"})


def test_unknown_parameter(kg: Any) -> None:
    with pytest.raises(
        QueryError, match=r"the query 'actor' has no parameter 'person'; its parameters: actor"
    ):
        run_query(kg, "actor", {"person": "knb"})


def test_parameter_of_an_ad_hoc_query_must_be_a_variable(kg: Any) -> None:
    with pytest.raises(QueryError, match=r"the query has no variable \?x to bind"):
        run_query(kg, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", {"x": "1"})


def test_parameters_are_bound_not_pasted(kg: Any) -> None:
    # A value that would break the query if it were pasted into the text.
    tricky = 'x" } UNION { ?s ?p ?o } #'
    r = run_query(
        kg,
        "SELECT ?label ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        {"label": f'"{tricky.replace(chr(34), chr(92) + chr(34))}"'},
    )
    assert r.rows == []
    r = run_query(
        kg,
        "SELECT ?label ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        {"label": '"Aktau"'},
    )
    assert [row["s"] for row in r.records()] == [BASE + "id/place/aktau"]


def test_defaults_fill_in_missing_parameters() -> None:
    q = get_query("between-dates")
    bound = bind_parameters(q, {"end": "2012-01-01"})
    assert bound == {
        "end": ox.Literal("2012-01-01", datatype=ox.NamedNode(XSD + "date")),
        "start": ox.Literal("2011-12-01", datatype=ox.NamedNode(XSD + "date")),
    }


# -- running ----------------------------------------------------------------------------------


def test_ask_and_construct(kg: Any) -> None:
    assert run_query(kg, "ASK { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }").boolean is True
    r = run_query(kg, "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3")
    assert r.kind == "graph" and len(r.triples) == 3


def test_updates_are_refused(kg: Any) -> None:
    with pytest.raises(QueryError, match=r"<query>: INSERT is an update; only queries can be run here"):
        run_query(kg, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMT 3", "<query>:1:29: syntax error at 'LIMT 3'"),
        ("SELECT ?x WHERE {\n  ?s ?p ?o\n  FILTER(?o > 3\n}", "<query>:3:3: syntax error at 'FILTER(?o > 3'"),
        ("SELCT * WHERE { ?s ?p ?o }", "<query>:1:1: syntax error at 'SELCT * WHERE { ?s ?p ?o }'"),
        (
            "SELECT * WHERE {\n ?s foo:bar ?o }",
            "<query>:2:5: syntax error at 'foo:bar': the prefix 'foo:' is not declared; add PREFIX foo: <...> at the top",
        ),
    ],
)
def test_syntax_errors_give_line_column_and_text(kg: Any, text: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        run_query(kg, text)
    assert str(info.value) == message


def test_a_syntax_error_is_placed_in_the_text_as_written_when_a_parameter_is_bound(kg: Any) -> None:
    # The parameter goes in a VALUES block on the WHERE line; the column is still that of the text given.
    with pytest.raises(QueryError) as info:
        run_query(kg, "SELECT ?s WHERE { ?s ?p ?o } LIMT 3", {"s": "<urn:x>"})
    assert str(info.value) == "<query>:1:30: syntax error at 'LIMT 3'"


def test_a_parameter_is_bound_in_every_branch_of_a_union(kg: Any) -> None:
    # The WHERE group is one UNION chain: the VALUES block goes into each branch (a join distributes
    # over a union), so each branch starts from the bound term; the rows are those of the term bound.
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?x ?what WHERE { { ?x a ?what } UNION { ?x rdfs:label ?what } } ORDER BY STR(?what)"
    )
    r = run_query(kg, text, {"x": f"<{BASE}id/place/aktau>"})
    assert [(row["x"], row["what"]) for row in r.records()] == [
        (BASE + "id/place/aktau", "Aktau"),
        (BASE + "id/place/aktau", "http://semanticweb.cs.vu.nl/2009/11/sem/Place"),
        (BASE + "id/place/aktau", "https://schema.org/Place"),
    ]


def test_timeout_stops_waiting(kg: Any) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    start = time.perf_counter()
    with pytest.raises(QueryError, match=r"the query did not finish within 0.3 s; narrow it down"):
        run_query(kg, slow, timeout=0.3)
    assert time.perf_counter() - start < 1.0


def test_max_rows_truncates(kg: Any) -> None:
    r = run_query(kg, "timeline", max_rows=5)
    assert len(r.rows) == 5 and r.truncated


# -- rdflib's engine against pyoxigraph ---------------------------------------------------------


def _canonical(term: Any) -> Any:
    """A comparable form of an rdflib or a pyoxigraph term: numbers by value, literals with their datatype."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, ox.NamedNode | rdflib.URIRef):
        return ("iri", str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, ox.BlankNode | rdflib.BNode):
        return ("bnode",)
    if isinstance(term, ox.Literal):
        lexical, datatype, language = term.value, term.datatype.value, term.language
    else:
        lexical, language = str(term), term.language
        datatype = str(term.datatype) if term.datatype else (None if language else XSD + "string")
        if language:
            datatype = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
    if datatype in (XSD + "decimal", XSD + "integer"):
        return ("number", Decimal(lexical))
    return ("literal", lexical, datatype, language)


def _rdflib_rows(ds: Any, info: QueryInfo, bindings: dict[str, Any]) -> tuple[str, Any]:
    import rdflib

    init = {}
    for name, term in bindings.items():
        if isinstance(term, ox.NamedNode):
            init[name] = rdflib.URIRef(term.value)
        else:
            init[name] = rdflib.Literal(
                term.value, datatype=rdflib.URIRef(term.datatype.value) if term.datatype else None
            )
    result = ds.query(info.text, initBindings=init)
    if result.type == "CONSTRUCT":
        return "graph", {tuple(_canonical(x) for x in t) for t in result}
    names = [str(v) for v in result.vars]
    return "select", (names, [tuple(_canonical(row[v]) for v in names) for row in result])


def _normalise(name: str, names: list[str], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    split = CONCATENATED.get(name, {})
    return [
        tuple(
            tuple(sorted(cell[1].split(split[var])))
            if var in split and cell and cell[0] == "literal"
            else cell
            for var, cell in zip(names, row, strict=True)
        )
        for row in rows
    ]


@pytest.fixture(scope="module")
def rdflib_dataset(many_kg: Any) -> Any:
    import rdflib

    # On the graph of three sources, so that the comparing queries have rows. The engines are compared on
    # the same terms: the store's (which normalises some literals, see test_store_fidelity.py), not the
    # files' that to_rdflib() reads.
    ds = rdflib.Dataset()
    ds.parse(data=many_kg.store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    ds.default_union = True
    return ds


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_rdflib_and_pyoxigraph_give_the_same_rows(many_kg: Any, rdflib_dataset: Any, name: str) -> None:
    # On the graph of three sources, so that the comparing queries have rows.
    kg = many_kg
    from zhanaozen_graph.sparql.queries import _graph_lookup

    info = get_query(name)
    bindings = bind_parameters(info, {}, _graph_lookup(kg))
    ours = run_query(kg, info)
    kind, theirs = _rdflib_rows(rdflib_dataset, info, bindings)
    if ours.kind == "graph":
        assert kind == "graph"
        assert {
            tuple(_canonical(x) for x in (t.subject, t.predicate, t.object)) for t in ours.triples
        } == theirs
        return
    names, their_rows = theirs
    assert names == ours.variables
    our_rows = [tuple(_canonical(t) for t in row) for row in ours.rows]
    assert len(our_rows) > 0
    assert _normalise(name, names, their_rows) == _normalise(name, names, our_rows)
