"""The streamed build: quads made and written one graph at a time, with every output equal to the whole graph."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from zhanaozen_graph import KnowledgeGraph
from zhanaozen_graph.graph import build as build_module
from zhanaozen_graph.graph.build import NQUADS, write_jsonld
from zhanaozen_graph.graph.chronology import INDEX_GRAPH
from zhanaozen_graph.graph.rdf import build_quads, iter_graph_chunks
from zhanaozen_graph.records.load import load_dataset
from zhanaozen_graph.records.validate import check_dataset

F = ox.RdfFormat
SCHEMA = "https://schema.org/"


def parsed(path: Path, fmt: ox.RdfFormat) -> list[tuple[str, ...]]:
    """The quads (or triples) of a file as sortable tuples of their N-Triples terms."""
    rows = []
    for q in ox.parse(path=str(path), format=fmt):
        g = q.graph_name  # N-Triples and Turtle: the default graph
        rows.append(
            (str(q.subject), str(q.predicate), str(q.object), "" if g == ox.DefaultGraph() else str(g))
        )
    return rows


def test_every_file_and_the_store_hold_the_quads_of_the_whole_graph(
    many: tuple[Path, Path], many_kg: KnowledgeGraph
) -> None:
    data, out = many
    whole = build_quads(check_dataset(load_dataset(data)))
    nq = parsed(out / NQUADS, F.N_QUADS)
    assert len(nq) == len(set(nq))  # no quad written twice
    index = [row for row in nq if row[3] == f"<{INDEX_GRAPH}>"]
    expected = {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in whole}
    assert set(nq) == expected | set(index)
    # The index (version 2, issue-17h): 56 events in 4 parts of ~16 KB, each a number and its entries; version, count, parts.
    assert len(index) == 2 * 4 + 3
    assert {(r[1].rsplit("#", 1)[1], r[2]) for r in index if r[1].endswith(("#count>", "#parts>"))} == {
        ("count>", '"56"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("parts>", '"4"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    }
    assert sorted(parsed(out / "graph.trig", F.TRIG)) == sorted(nq)
    assert sorted(parsed(out / "graph.jsonld", F.JSON_LD)) == sorted(nq)
    nt = parsed(out / "graph.nt", F.N_TRIPLES)
    assert len(nt) == len(set(nt))  # each triple once, though several graphs hold some of them
    assert set(nt) == {(*row[:3], "") for row in nq}
    assert len(nt) < len(nq)
    assert sorted(parsed(out / "graph.ttl", F.TURTLE)) == sorted(nt)
    store = ox.Store.read_only(str(out / "store"))
    assert sorted(
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in store
    ) == sorted(nq)


def test_each_graph_is_written_in_one_run(many_kg: KnowledgeGraph) -> None:
    order: list[str] = []
    for quad in many_kg.exact_quads():
        if not order or order[-1] != quad.graph_name.value:
            order.append(quad.graph_name.value)
    assert len(order) == len(set(order))  # no graph comes back after another one
    assert order[-2:] == ["https://w3id.org/zhanaozen-graph/graph/ontology", INDEX_GRAPH]


def test_the_quads_are_handed_out_one_source_graph_at_a_time(many: tuple[Path, Path]) -> None:
    data, _ = many
    report = check_dataset(load_dataset(data))
    runs = list(iter_graph_chunks(report))
    graphs = [{q.graph_name.value for q in run} for run in runs]
    assert all(len(g) == 1 for g in graphs)
    sources = [g.pop() for g in graphs if next(iter(g)).rsplit("/", 1)[1] in report.dataset.sources]
    assert sources == [f"https://w3id.org/zhanaozen-graph/graph/{s}" for s in report.dataset.sources]
    # Every source's graph is handed out whole, in one run.
    assert len(sources) == len(set(sources))


def jsonld(quads: list[ox.Quad]) -> bytes:
    out = io.BytesIO()
    write_jsonld(quads, {"schema": SCHEMA, "ex": "https://example.org/"}, out)
    return out.getvalue()


def test_json_ld_in_small_pieces_is_the_same_document(
    many_kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    quads = list(many_kg.exact_quads())
    whole = jsonld(quads)
    monkeypatch.setattr(build_module, "_JSONLD_PIECE", 7)  # a graph in many pieces, cut between subjects
    assert jsonld(quads) == whole
    document = json.loads(whole)
    assert [g["@id"] for g in document["@graph"]] == list(dict.fromkeys(q.graph_name.value for q in quads))


def test_json_ld_compacts_iris_but_never_the_text_of_a_literal() -> None:
    g = ox.NamedNode("https://example.org/g")
    a, name = ox.NamedNode(f"{SCHEMA}a"), ox.NamedNode(f"{SCHEMA}name")
    hostile = '{"@id":"https://schema.org/b","https://schema.org/name":[' + "\\" + '"'
    quads = [
        ox.Quad(a, name, ox.Literal(hostile), g),
        ox.Quad(a, ox.NamedNode(f"{SCHEMA}about"), ox.NamedNode(f"{SCHEMA}b"), g),
        ox.Quad(a, name, ox.Literal("x", datatype=ox.NamedNode(f"{SCHEMA}T")), ox.DefaultGraph()),
    ]
    text = jsonld(quads)
    assert text == (
        b'{"@context":{"schema":"https://schema.org/","ex":"https://example.org/"},"@graph":['
        b'{"@id":"https://example.org/g","@graph":[{"@id":"schema:a","schema:name":[{"@value":'
        + json.dumps(hostile).encode()
        + b'}],"schema:about":[{"@id":"schema:b"}]}]},'
        b'{"@id":"schema:a","schema:name":[{"@type":"https://schema.org/T","@value":"x"}]}]}'
    )
    back = list(ox.parse(text, format=F.JSON_LD))
    assert sorted(map(str, back)) == sorted(map(str, quads))


def test_a_source_graph_is_dropped_once_handed_out(many: tuple[Path, Path]) -> None:
    from zhanaozen_graph.graph.rdf import _Builder
    from zhanaozen_graph.records.model import get_model

    data, _ = many
    report = check_dataset(load_dataset(data))
    builder = _Builder(report, get_model())
    sources = {f"https://w3id.org/zhanaozen-graph/graph/{s}" for s in report.dataset.sources}
    handed = 0
    for run in builder.chunks():
        if run and run[0].graph_name.value in sources:
            handed += 1
            # Nothing of any source's graph is held while the caller writes this one.
            assert [g.value for g in builder.out if g.value in sources] == []
    assert handed == len(sources) == 3


def test_the_store_loaded_in_small_parts_holds_every_quad(
    many_kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert many_kg.path is not None
    monkeypatch.setattr(build_module, "_BULK_LINES", 1000)  # several parts, the last one short
    store = ox.Store.read_only(str(build_module.write_store(many_kg.path / NQUADS, tmp_path / "store")))
    nq = parsed(many_kg.path / NQUADS, F.N_QUADS)
    assert len(nq) > 2000 and len(nq) % 1000 != 0
    assert sorted(
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in store
    ) == sorted(nq)


def test_a_big_build_writes_the_same_bytes_and_store_from_two_more_processes(
    many: tuple[Path, Path], many_kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above _PARALLEL_QUADS the formats and the store come from two more processes: same bytes, store, cache."""
    data, one_process = many
    assert many_kg.manifest["quads"] < build_module._PARALLEL_QUADS  # the fixture build was written here
    tasks: list[str] = []

    class Counted(build_module._Worker):
        def __init__(self, task: str, *args: Any) -> None:
            tasks.append(task)
            super().__init__(task, *args)

    monkeypatch.setattr(build_module, "_PARALLEL_QUADS", 1000)  # after the first source graph
    monkeypatch.setattr(build_module, "_BULK_LINES", 1000)  # the store loaded in several parts
    monkeypatch.setattr(build_module, "_Worker", Counted)
    out = tmp_path / "three"
    result = build_module.build(data, out, shacl=False, full=True)
    assert tasks == ["formats", "store"]
    for name in ("graph.nq", "graph.trig", "graph.nt", "graph.ttl", "graph.jsonld"):
        assert (out / name).read_bytes() == (one_process / name).read_bytes(), name
    assert (result.triples, result.quads) == (many_kg.manifest["triples"], many_kg.manifest["quads"])
    assert sorted(map(str, ox.Store.read_only(str(out / "store")))) == sorted(map(str, many_kg.store))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*build_module.OUTPUTS, "store", "cache", "manifest.json"]
    )
    outputs = json.loads((out / "manifest.json").read_text())["outputs"]
    assert outputs == json.loads((one_process / "manifest.json").read_text())["outputs"]
    # The cache the formats' process wrote serves the next build: every run reused, in this process.
    again = build_module.build(data, out, shacl=False)
    assert tasks == ["formats", "store"] and again.incremental and again.changed == ()
    assert again.reused == 3 * (result.graphs - 1) + 3  # TriG, Turtle and JSON-LD of every run
    for name in ("graph.nq", "graph.trig", "graph.nt", "graph.ttl", "graph.jsonld"):
        assert (out / name).read_bytes() == (one_process / name).read_bytes(), name


def test_a_process_of_the_build_reports_what_stopped_it(tmp_path: Path) -> None:
    nq = b'<http://a> <http://b> "c" <http://g> .\n'
    good = (nq, hashlib.sha256(nq).hexdigest(), "http://g")
    with build_module._Worker("formats", tmp_path, {}, None, "v1") as worker:
        worker.send(good)
        assert worker.finish({})["triples"] == 1
    assert (tmp_path / "graph.nt").read_bytes() == b'<http://a> <http://b> "c" .\n'
    bad = b"<http://a> <http://b> <http://g> .\n"  # no object: made (parsed) since not in the cache
    with (
        build_module._Worker("formats", tmp_path, {}, None, "v1") as worker,
        pytest.raises(build_module.BuildError) as e,
    ):
        worker.send((bad, hashlib.sha256(bad).hexdigest(), "http://g"))
        worker.finish({})
    assert str(e.value).startswith("cannot write the build: SyntaxError: ")
    (tmp_path / "a-file").write_text("")  # the OSError as such, which build() turns into one line
    with (
        build_module._Worker("formats", tmp_path / "a-file", {}, None, "v1") as worker,
        pytest.raises(NotADirectoryError),
    ):
        worker.send(good)
        worker.finish({})
