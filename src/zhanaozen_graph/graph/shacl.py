"""Validate the built graph against the SHACL shapes generated from the model (pyshacl)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .ontology import shapes_turtle

__all__ = ["ShaclReport", "validate_all", "validate_quads"]


@dataclass(frozen=True)
class ShaclReport:
    """The outcome of SHACL validation: whether the graph conforms, and one line per violation."""

    conforms: bool
    results: list[str] = field(default_factory=list)


def validate_quads(quads: Iterable[ox.Quad]) -> ShaclReport:
    """Validate the union of the quads' graphs (the ontology graph included) against the shapes.

    Examples
    --------
    >>> from zhanaozen_graph.records.load import load_dataset
    >>> from zhanaozen_graph.records.validate import check_dataset
    >>> from zhanaozen_graph.graph.rdf import build_quads
    >>> validate_quads(build_quads(check_dataset(load_dataset()))).conforms
    True
    """
    import rdflib
    from pyshacl import validate

    data = rdflib.Graph()
    nt = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    data.parse(data=nt, format="nt")
    shapes = rdflib.Graph().parse(data=shapes_turtle(), format="turtle")
    conforms, graph, _text = validate(data, shacl_graph=shapes, inference="none", advanced=False)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    results: list[str] = []
    for result in graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = graph.value(result, sh.focusNode)
        path = graph.value(result, sh.resultPath)
        message = graph.value(result, sh.resultMessage)
        results.append(f"{focus} {path}: {message}")
    return ShaclReport(conforms=bool(conforms), results=sorted(results))


def validate_all(data_dir: Path | str | None = None, *, allow_empty: bool = False) -> tuple[list[str], bool]:
    """Check the records, then the graph against the shapes; one line per problem, and a verdict.

    A data directory without a source document is a problem unless ``allow_empty``.

    Examples
    --------
    >>> lines, ok = validate_all()
    >>> ok, lines[-1].startswith("valid:")
    (True, True)
    """
    from ..records.load import load_dataset
    from ..records.validate import check_dataset, empty_dataset_error
    from .rdf import build_quads

    dataset = load_dataset(data_dir)
    empty = None if allow_empty else empty_dataset_error(dataset)
    if empty is not None:
        return [str(empty), "invalid: 1 problem(s) in the records"], False
    report = check_dataset(dataset)
    if not report.valid:
        lines = [str(issue) for issue in report.issues]
        lines.append(f"invalid: {len(report.issues)} problem(s) in the records")
        return lines, False
    quads = build_quads(report)
    shacl = validate_quads(quads)
    if not shacl.conforms:
        return [*shacl.results, f"invalid: {len(shacl.results)} SHACL violation(s)"], False
    n = len(report.dataset.records)
    quotes = sum(len(v) for v in report.evidence.values())
    return [
        f"valid: {n} records, {quotes} quotes found in {len(report.dataset.sources)} source(s), {len(quads)} quads conform to the SHACL shapes"
    ], True
