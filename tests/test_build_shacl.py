"""SHACL made cheap (flat shapes, only the triples the shapes read) gives the verdicts of whole-graph validation."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from zhanaozen_graph.graph.ontology import shapes_turtle
from zhanaozen_graph.graph.rdf import build_quads
from zhanaozen_graph.graph.shacl import _read_predicates, validate_quads
from zhanaozen_graph.records.load import load_dataset
from zhanaozen_graph.records.validate import check_dataset
from zhanaozen_graph.synth import generate_corpus

from .conftest import DATA, MINI

SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def corrupt(quads: list[ox.Quad], seed: int) -> list[ox.Quad]:
    """Quads with every kind of damage the shapes catch: missing values, ill-typed and inverted dates."""
    rnd = random.Random(seed)
    earliest, latest = (
        ox.NamedNode(SEM + "hasEarliestBeginTimeStamp"),
        ox.NamedNode(SEM + "hasLatestEndTimeStamp"),
    )
    out = []
    for q in quads:
        roll = rnd.random()
        if roll < 0.01:
            continue  # a value, a type or a link lost
        if q.predicate == earliest and roll < 0.05:
            q = ox.Quad(
                q.subject,
                q.predicate,
                ox.Literal("2999-01-01", datatype=ox.NamedNode(XSD + "date")),
                q.graph_name,
            )
        elif q.predicate == latest and roll < 0.05:
            q = ox.Quad(q.subject, q.predicate, ox.Literal("soon"), q.graph_name)
        out.append(q)
    return out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[ox.Quad]:
    root = tmp_path_factory.mktemp("synth")
    generate_corpus(root, 2, 7)
    return build_quads(check_dataset(load_dataset(root)))


def real() -> list[ox.Quad]:
    return build_quads(check_dataset(load_dataset(DATA)))


def test_the_same_verdict_on_the_real_data() -> None:
    quads = real()
    cheap, whole = validate_quads(quads), validate_quads(quads, cheap=False)
    assert cheap.conforms and whole.conforms
    assert cheap.results == whole.results == []


@pytest.mark.parametrize("seed", [1, 2])
def test_the_same_violations_on_a_corrupted_real_graph(seed: int) -> None:
    quads = corrupt(real(), seed)
    cheap, whole = validate_quads(quads), validate_quads(quads, cheap=False)
    assert not cheap.conforms and not whole.conforms
    assert cheap.results == whole.results
    assert len(cheap.results) > 20


def test_the_same_violations_on_a_corrupted_synthetic_corpus(synthetic: list[ox.Quad]) -> None:
    assert validate_quads(synthetic).conforms
    quads = corrupt(synthetic, 3)
    cheap, whole = validate_quads(quads), validate_quads(quads, cheap=False)
    assert cheap.results == whole.results
    text = "\n".join(cheap.results)
    # Every kind of constraint is exercised: cardinality, class, datatype, order of the bounds, and
    # a sequence path, printed as its steps rather than as a blank node's random id.
    for kind in (
        "Less than 1 values",
        "Value does not have class",
        "Value is not Literal with datatype",
        '->sem:hasLatestBeginTimeStamp < Literal("2999-01-01", datatype=xsd:date)',
    ):
        assert kind in text, kind
    assert (
        " (http://www.w3.org/ns/oa#hasTarget http://www.w3.org/ns/oa#hasSource): Less than 1 values" in text
    )


def test_a_missing_bound_is_reported_the_same_way() -> None:
    quads = build_quads(check_dataset(load_dataset(MINI)))
    event = ox.NamedNode("https://w3id.org/zhanaozen-graph/id/event/jane-doe-detained")
    broken = [
        q
        for q in quads
        if not (q.subject == event and q.predicate.value == SEM + "hasEarliestBeginTimeStamp")
    ]
    expected = [
        "https://w3id.org/zhanaozen-graph/id/event/jane-doe-detained "
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp: Less than 1 values on "
        "<https://w3id.org/zhanaozen-graph/id/event/jane-doe-detained>->sem:hasEarliestBeginTimeStamp"
    ]
    assert validate_quads(broken).results == validate_quads(broken, cheap=False).results == expected


def test_only_predicates_the_shapes_name_are_kept_unless_a_shape_reads_them_all() -> None:
    shapes = rdflib.Graph().parse(data=shapes_turtle(), format="turtle")
    names = _read_predicates(shapes)
    assert names is not None
    assert "https://w3id.org/zhanaozen-graph/ontology#mentions" not in names
    assert {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/oa#exact"} <= names
    closed = rdflib.Graph().parse(
        format="turtle",
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . <http://e/S> a sh:NodeShape ; sh:closed true .",
    )
    assert _read_predicates(closed) is None


def test_mini_graph_checked_from_its_files(tmp_path: Path) -> None:
    """The quads as a store reads them back (normalised literals) pass as the builder's own do."""
    quads = build_quads(check_dataset(load_dataset(MINI)))
    store = ox.Store()
    store.extend(quads)
    assert validate_quads(list(store)).results == validate_quads(quads).results == []
