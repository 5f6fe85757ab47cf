"""The build: outputs in five formats, independent parsers agree, SHACL conforms, the cache is reused."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import rdflib
from click.testing import CliRunner

from zhanaozen_graph import KnowledgeGraph, build, load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.graph.rdf import build_quads
from zhanaozen_graph.graph.shacl import validate_quads
from zhanaozen_graph.records.load import load_dataset
from zhanaozen_graph.records.validate import check_dataset

from .conftest import DATA, MINI


def test_turtle_parses_to_the_same_triples_with_rdflib_and_pyoxigraph(kg: KnowledgeGraph) -> None:
    assert kg.path is not None
    ttl = kg.path / "graph.ttl"
    with_rdflib = rdflib.Graph().parse(ttl, format="turtle")
    with_oxigraph = list(ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))
    assert len(with_rdflib) == len(with_oxigraph) == kg.manifest["triples"]
    assert len(with_oxigraph) > 4000


def test_every_format_holds_the_same_quads(kg: KnowledgeGraph) -> None:
    assert kg.path is not None
    nq = len(kg)
    trig = rdflib.Dataset().parse(kg.path / "graph.trig", format="trig")
    jsonld = rdflib.Dataset().parse(kg.path / "graph.jsonld", format="json-ld")
    assert len(list(trig.quads())) == len(list(jsonld.quads())) == nq
    document = json.loads((kg.path / "graph.jsonld").read_text())
    assert document["@context"]["sem"] == "http://semanticweb.cs.vu.nl/2009/11/sem/"
    nt = list(ox.parse(path=str(kg.path / "graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert len(nt) == kg.manifest["triples"]


def test_shacl_validation_passes_on_the_real_graph() -> None:
    report = validate_quads(build_quads(check_dataset(load_dataset(DATA))))
    assert report.conforms, report.results[:5]


def test_shacl_catches_a_graph_that_breaks_the_shapes() -> None:
    quads = build_quads(check_dataset(load_dataset(MINI)))
    earliest = ox.NamedNode("http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp")
    event = ox.NamedNode("https://w3id.org/zhanaozen-graph/id/event/jane-doe-detained")
    broken = [q for q in quads if not (q.subject == event and q.predicate == earliest)]
    report = validate_quads(broken)
    assert not report.conforms
    assert report.results == [
        "https://w3id.org/zhanaozen-graph/id/event/jane-doe-detained "
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp: Less than 1 values on "
        "<https://w3id.org/zhanaozen-graph/id/event/jane-doe-detained>->sem:hasEarliestBeginTimeStamp"
    ]


def test_one_named_graph_per_source_plus_register_combined_external_index_and_ontology(
    kg: KnowledgeGraph,
) -> None:
    graphs = sorted(g.value for g in kg.store.named_graphs())
    assert graphs == [
        "https://w3id.org/zhanaozen-graph/graph/amnesty-ua-2012-07-atabaev-released",
        "https://w3id.org/zhanaozen-graph/graph/combined",
        "https://w3id.org/zhanaozen-graph/graph/external",
        "https://w3id.org/zhanaozen-graph/graph/index/timeline",
        "https://w3id.org/zhanaozen-graph/graph/ontology",
        "https://w3id.org/zhanaozen-graph/graph/register",
    ]


def test_outside_knowledge_lives_only_in_the_external_graph(kg: KnowledgeGraph) -> None:
    rows = kg.select(
        """SELECT DISTINCT ?p WHERE { GRAPH <https://w3id.org/zhanaozen-graph/graph/external> { ?s ?p ?o } } ORDER BY ?p"""
    )
    # Identifiers, coordinates, containment and names the text does not give, and the Amnesty update's own
    # date (its month is known from outside the text: `external:` in its metadata) with its four time stamps.
    assert [r["p"] for r in rows] == [
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp",
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestEndTimeStamp",
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestBeginTimeStamp",
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestEndTimeStamp",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2002/07/owl#sameAs",
        "http://www.w3.org/2003/01/geo/wgs84_pos#lat",
        "http://www.w3.org/2003/01/geo/wgs84_pos#long",
        "https://schema.org/alternateName",
        "https://schema.org/containedInPlace",
        "https://w3id.org/zhanaozen-graph/ontology#date",
        "https://w3id.org/zhanaozen-graph/ontology#dateIsExternal",
        "https://w3id.org/zhanaozen-graph/ontology#dateReason",
        "https://w3id.org/zhanaozen-graph/ontology#dateStatus",
        "https://w3id.org/zhanaozen-graph/ontology#externalKnowledge",
    ]
    source = "<https://w3id.org/zhanaozen-graph/id/source/amnesty-ua-2012-07-atabaev-released>"
    dated = kg.select(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ {source} <https://w3id.org/zhanaozen-graph/ontology#date> ?d }} }}"
    )
    assert [r["g"] for r in dated] == ["https://w3id.org/zhanaozen-graph/graph/external"]
    same_as = kg.select("SELECT ?s ?o WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o } ORDER BY ?o")
    assert [(r["s"].rsplit("/", 1)[1], r["o"].rsplit("/", 1)[1]) for r in same_as] == [
        ("kazakhstan", "Q232"),
        ("mangistau-region", "Q238931"),
        ("almaty", "Q35493"),
        ("amnesty-international", "Q42970"),
    ]


def test_load_graph_reuses_an_up_to_date_build_and_rebuilds_a_stale_one(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    first = load_graph(mini, out)
    stamp = (out / "graph.nq").stat().st_mtime_ns
    again = load_graph(mini, out)
    assert (out / "graph.nq").stat().st_mtime_ns == stamp
    assert len(again) == len(first)
    records = mini / "records" / "example.yaml"
    records.write_text(records.read_text().replace("label: Jane Doe\n", "label: Jane Q. Doe\n"))
    changed = load_graph(mini, out)
    assert changed.select(
        "SELECT ?l WHERE { <https://w3id.org/zhanaozen-graph/id/person/jane-doe> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    ) == [{"l": "Jane Q. Doe"}]


def test_build_command_writes_every_format(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "cache",  # what the next, incremental build reuses (graph/cache.py)
        "graph.jsonld",
        "graph.nq",
        "graph.nt",
        "graph.trig",
        "graph.ttl",
        "manifest.json",
        "store",
    ]
    assert result.output.startswith("built ")


def test_build_result_counts(mini: Path, tmp_path: Path) -> None:
    result = build(mini, tmp_path / "b")
    assert result.counts == {
        "Claim": 2,
        "Event": 2,
        "Group": 1,
        "Organisation": 1,
        "Person": 1,
        "Place": 1,
        "Quote": 8,
        "Source": 1,
    }
