"""SHACL made cheap (flat shapes, only the triples the shapes read, in parts) gives the verdicts of whole-graph validation."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from zhanaozen_graph.graph.ontology import shapes_turtle
from zhanaozen_graph.graph.rdf import build_quads
from zhanaozen_graph.graph.shacl import (
    PARTITION_READS,
    _read_predicates,
    affected_focus_nodes,
    partition_safe,
    shacl_parameters,
    validate_changed,
    validate_focus,
    validate_quads,
)
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
    whole = validate_quads(quads, cheap=False)
    # One part in this process; 13,000 quads in parts of 1,000 triples in two worker processes.
    cheap = validate_quads(quads)
    parts = validate_quads(quads, workers=2, part_triples=1_000)
    assert cheap.results == parts.results == whole.results
    assert not cheap.conforms and not parts.conforms and not whole.conforms
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


JANE = ox.NamedNode("https://w3id.org/zhanaozen-graph/id/person/jane-doe")
ROLE_LINES = [
    f"https://w3id.org/zhanaozen-graph/id/event/{event}/role/jane-doe-detainee "
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#value: Value does not have class sem:Actor"
    for event in ("jane-doe-detained", "jane-doe-released")
]


def untyped_jane() -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The mini graph without Jane Doe's types (in the register graph), and the two quads taken out."""
    quads = build_quads(check_dataset(load_dataset(MINI)))
    gone = [q for q in quads if q.subject == JANE and q.predicate.value == RDF_TYPE]
    assert [q.graph_name.value for q in gone] == [REGISTER, REGISTER]
    return [q for q in quads if q not in gone], gone


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
REGISTER = "https://w3id.org/zhanaozen-graph/graph/register"


@pytest.mark.parametrize(("workers", "part_triples"), [(1, 1), (2, 30), (1, 100_000)])
def test_a_violation_across_graphs_is_found_in_parts(workers: int, part_triples: int) -> None:
    """sh:class on a node typed in another graph: the roles (in the source's graph) lose their actor's class.

    With ``part_triples=1`` every subject is a part of its own, validated with nothing but its context.
    """
    broken, _gone = untyped_jane()
    report = validate_quads(broken, workers=workers, part_triples=part_triples)
    assert report.results == validate_quads(broken, cheap=False).results == ROLE_LINES
    assert not report.conforms


def test_every_subject_alone_gives_the_whole_graph_results_on_the_corrupted_real_graph() -> None:
    quads = corrupt(real(), 4)
    assert (
        validate_quads(quads, workers=1, part_triples=1).results == validate_quads(quads, cheap=False).results
    )


def test_the_changed_quads_find_what_they_break_in_other_graphs() -> None:
    broken, gone = untyped_jane()
    store = ox.Store()
    store.extend(broken)
    assert {n.value for n in affected_focus_nodes(store, gone)} == {
        JANE.value,
        *(line.split(" ")[0] for line in ROLE_LINES),
    }
    assert validate_changed(store, gone).results == ROLE_LINES
    # Putting the types back: what they affected conforms again.
    store.extend(gone)
    assert validate_changed(store, gone) == validate_quads(list(store))
    assert validate_changed(store, gone).conforms


def test_a_changed_selector_reaches_its_annotation_through_the_sequence_path(
    synthetic: list[ox.Quad],
) -> None:
    """oa:hasTarget/oa:hasSelector/oa:start: a broken selector is reported on the annotation two hops up."""
    start = "http://www.w3.org/ns/oa#start"
    old = next(q for q in synthetic if q.predicate.value == start)
    new = ox.Quad(
        old.subject, old.predicate, ox.Literal("-1", datatype=ox.NamedNode(XSD + "integer")), old.graph_name
    )
    store = ox.Store()
    store.extend(synthetic)
    store.remove(old)
    store.add(new)
    report = validate_changed(store, [old, new])
    assert report.results == validate_quads(list(store), cheap=False).results
    annotation = old.subject.value.rsplit("/", 1)[0]
    assert report.results == [
        f"{annotation} (http://www.w3.org/ns/oa#hasTarget http://www.w3.org/ns/oa#hasSelector "
        'http://www.w3.org/ns/oa#start): Value is not >= Literal("0", datatype=xsd:integer)'
    ]


def test_validate_focus_reports_only_the_nodes_asked_for(synthetic: list[ox.Quad]) -> None:
    quads = corrupt(synthetic, 5)
    whole = validate_quads(quads, cheap=False).results
    store = ox.Store()
    store.extend(quads)
    focus = sorted({line.split(" ")[0] for line in whole})[::3]
    report = validate_focus(store, [ox.NamedNode(f) for f in focus], workers=2, part_triples=500)
    assert report.results == [line for line in whole if line.split(" ")[0] in focus]
    assert len(report.results) > 10


def test_parts_are_sound_for_every_constraint_the_shapes_use() -> None:
    """The generated shapes use only the parameters whose reads a part provides (PARTITION_READS)."""
    shapes = rdflib.Graph().parse(data=shapes_turtle(), format="turtle")
    assert shacl_parameters(shapes) == {
        "NodeShape",
        "targetClass",
        "property",
        "path",
        "minCount",
        "maxCount",
        "datatype",
        "nodeKind",
        "in",
        "minInclusive",
        "or",
        "class",
        "lessThanOrEquals",
    }
    assert shacl_parameters(shapes) - {"NodeShape"} == set(PARTITION_READS)
    assert partition_safe(shapes)


@pytest.mark.parametrize(
    "shape",
    [
        "sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:maxCount 1 ]",
        "sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:T ]",
        "sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:or ( [ sh:path ex:q ; sh:minCount 1 ] ) ]",
        "sh:targetSubjectsOf ex:p",
    ],
)
def test_shapes_parts_cannot_evaluate_are_not_cut(shape: str) -> None:
    """An inverse path, sh:node, a nested path, other targets read beyond a part: one part, whole graph."""
    shapes = rdflib.Graph().parse(
        format="turtle",
        data=f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> . ex:S a sh:NodeShape ; {shape} .",
    )
    assert not partition_safe(shapes)


def test_a_worker_that_dies_is_an_error_not_a_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed (say by the kernel, out of memory) must not pass for a graph without violations."""
    import subprocess
    import sys

    from zhanaozen_graph.errors import BuildError
    from zhanaozen_graph.graph import shacl

    def dies(self: shacl._Worker) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import sys; sys.exit(3)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    monkeypatch.setattr(shacl._Worker, "__init__", dies)
    quads = build_quads(check_dataset(load_dataset(MINI)))
    with pytest.raises(BuildError) as error:
        validate_quads(quads, workers=2, part_triples=50)
    assert str(error.value) == (
        "a SHACL validation worker ended with exit code 3; it may have run out of memory: validate with "
        "workers=1, or on a machine with more memory"
    )


def test_validate_focus_with_shapes_that_cannot_be_cut_reports_only_the_nodes_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With shapes outside PARTITION_READS the store's whole union is one part; the lines are still filtered."""
    from zhanaozen_graph.graph import shacl

    broken, _gone = untyped_jane()
    store = ox.Store()
    store.extend(broken)
    shapes = shacl._Shapes.get()
    monkeypatch.setattr(shapes, "paths", None)
    role = ox.NamedNode(ROLE_LINES[0].split(" ")[0])
    assert validate_focus(store, [role]).results == ROLE_LINES[:1]
    assert validate_focus(store, [JANE]).conforms
