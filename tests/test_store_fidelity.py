"""Finding 10 of issue 12: the store normalises some literals; what leaves the project keeps the files' terms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from zhanaozen_graph import load_graph
from zhanaozen_graph.graph.build import store_differences
from zhanaozen_graph.graph.shacl import validate_quads
from zhanaozen_graph.sparql.remote import push

from .test_push import Recorder, Seen, servers  # noqa: F401 - servers is a fixture

XSD = "http://www.w3.org/2001/XMLSchema#"


def file_quads(kg: object) -> list[ox.Quad]:
    path: Path = kg.path / "graph.nq"  # type: ignore[attr-defined]
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def test_store_differences_compares_terms_not_values(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    nq.write_text(
        f'<http://a> <http://b> "12"^^<{XSD}nonNegativeInteger> <http://g> .\n'
        f'<http://a> <http://c> "48.0"^^<{XSD}decimal> <http://g> .\n'
        '<http://a> <http://d> "kept" <http://g> .\n'
    )
    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    found = [
        (f.object.datatype.value, f.object.value, s and (s.object.datatype.value, s.object.value))
        for f, s in store_differences(nq, store)
    ]  # type: ignore[union-attr]
    assert sorted(found) == [
        (f"{XSD}decimal", "48.0", (f"{XSD}decimal", "48")),
        (f"{XSD}nonNegativeInteger", "12", (f"{XSD}integer", "12")),
    ]


def test_the_store_holds_exactly_the_quads_of_the_files() -> None:
    # The builder writes every literal in the canonical form the store keeps (xsd:integer offsets,
    # "48" for 48.0), so the store and the files are term-identical: datatype and lexical form.
    kg = load_graph()
    assert store_differences(kg.path / "graph.nq", kg.store) == []
    assert set(kg.store) == set(file_quads(kg))
    report = validate_quads(list(kg.store))
    assert (report.conforms, report.results) == (True, [])


def test_push_sends_the_terms_of_the_files_and_they_pass_shacl(servers: Callable[..., Recorder]) -> None:  # noqa: F811
    bodies: dict[str, bytes] = {}

    def store(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        graph = seen.path.split("graph=", 1)[1]
        if seen.method == "PUT":
            bodies[graph] = seen.body
            return 204, {}, b""
        return 200, {"Content-Type": "application/n-triples"}, bodies.get(graph, b"")

    kg = load_graph()
    push(kg, servers(store).url + "/store")
    import urllib.parse

    sent = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(urllib.parse.unquote(g)))
        for g, body in bodies.items()
        for t in ox.parse(body, ox.RdfFormat.N_TRIPLES)
    ]
    assert set(sent) == set(file_quads(kg))  # term for term: datatype and lexical form
    report = validate_quads(sent)
    assert (report.conforms, report.results) == (True, [])


def test_to_rdflib_keeps_the_terms_of_the_files() -> None:
    kg = load_graph()
    ds = kg.to_rdflib()
    ours = {(str(q[0]), str(q[1]), str(q[2]), str(getattr(q[2], "datatype", None) or "")) for q in ds.quads()}
    files = {
        (
            q.subject.value,
            q.predicate.value,
            q.object.value,
            q.object.datatype.value if isinstance(q.object, ox.Literal) else "",
        )
        for q in file_quads(kg)
    }
    offsets = {x for x in files if x[1] == "http://www.w3.org/ns/oa#start"}
    assert offsets and {x[3] for x in offsets} == {f"{XSD}integer"}
    assert offsets <= ours
