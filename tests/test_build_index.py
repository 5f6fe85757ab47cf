"""The timeline index a build writes: the same rows as the assembled timeline, and never stale."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from zhanaozen_graph import KnowledgeGraph, build, load_graph
from zhanaozen_graph.graph.chronology import INDEX_GRAPH, assemble_timeline, index_quads, read_index
from zhanaozen_graph.timeline import timeline

INDEX = ox.NamedNode(INDEX_GRAPH)


def _dump(entries: object) -> str:
    return json.dumps(entries, ensure_ascii=False)  # key order and list order count, as in --format json


def test_the_index_holds_the_assembled_timeline_of_the_real_data(kg: KnowledgeGraph) -> None:
    indexed = read_index(kg)
    assert indexed is not None
    assert len(indexed) == len(
        kg.select("SELECT DISTINCT ?e WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }")
    )
    assert _dump(indexed) == _dump(assemble_timeline(kg))
    assert timeline(kg) == indexed


def test_the_index_holds_the_assembled_timeline_of_the_fixture_sources(many_kg: KnowledgeGraph) -> None:
    indexed = read_index(many_kg)
    assert indexed is not None
    assert _dump(indexed) == _dump(assemble_timeline(many_kg))
    assert {s for e in indexed for s in e["sources"]} == {
        "amnesty-ua-2012-07-atabaev-released",
        "caspian-labour-bulletin-2012-07",
        "steppe-rights-monitor-2011-12-20",
    }
    # Events that several sources date keep each source's date beside the combined one.
    assert any(len(e["dates"]) > 1 for e in indexed)


def _ids_and_dates(kg: KnowledgeGraph) -> list[tuple[str, str, str]]:
    return [(e["id"], e["label"], e["earliest"]) for e in timeline(kg)]


def test_the_index_follows_a_changed_record(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert _ids_and_dates(load_graph(mini, out)) == [
        ("jane-doe-detained", "The Example Agency detains Jane Doe", "2020-05-03"),
        ("jane-doe-released", "Jane Doe is released", "2020-05-04"),
    ]
    records = mini / "records" / "example.yaml"
    text = records.read_text()
    text = text.replace(
        'date: {edtf: "2020-05-03", text: "On 3 May 2020"}', 'date: {edtf: "2020-05", text: "On 3 May 2020"}'
    )
    text = text.replace("label: Jane Doe is released\n", "label: Jane Doe is freed\n")
    records.write_text(text)
    kg = load_graph(mini, out)  # the data changed: rebuilt, index included
    # The detention now has the whole of May; the release is "the next day" after it: 2 May to 1 June.
    assert _ids_and_dates(kg) == [
        ("jane-doe-detained", "The Example Agency detains Jane Doe", "2020-05-01"),
        ("jane-doe-released", "Jane Doe is freed", "2020-05-02"),
    ]
    assert read_index(kg) == assemble_timeline(kg)


def test_the_index_is_in_every_output_and_the_manifest_counts_it(mini: Path, tmp_path: Path) -> None:
    result = build(mini, tmp_path / "b")
    quads = list(ox.parse(path=str(result.files["graph.nq"]), format=ox.RdfFormat.N_QUADS))
    index = [q for q in quads if q.graph_name == INDEX]
    # Two events in one part (its number and its entries), and the index's version, count and parts.
    assert sorted(q.predicate.value.rsplit("#", 1)[1] for q in index) == [
        "count",
        "entries",
        "part",
        "parts",
        "version",
    ]
    assert len(quads) == result.quads
    store = ox.Store.read_only(str(result.files["store"]))
    assert len(list(store.quads_for_pattern(None, None, None, INDEX))) == 5


def _without_index(kg: KnowledgeGraph, drop: int | None = None) -> KnowledgeGraph:
    """The graph in memory without its index, or with the ``drop``-th part of the index removed."""
    store = ox.Store()
    entries = ox.NamedNode("https://w3id.org/zhanaozen-graph/index#entries")
    quads = [q for q in kg.store if q.graph_name != INDEX or drop is not None]
    if drop is not None:
        victim = [q for q in quads if q.predicate == entries][drop]
        quads.remove(victim)
    store.extend(quads)
    return KnowledgeGraph(store)


def test_a_graph_without_an_index_or_with_part_of_one_gets_the_assembled_timeline(
    many_kg: KnowledgeGraph,
) -> None:
    expected = _dump(assemble_timeline(many_kg))
    for kg in (_without_index(many_kg), _without_index(many_kg, drop=0)):
        assert read_index(kg) is None
        assert _dump(timeline(kg)) == expected


class Reversed:
    """A graph whose every SELECT answers its rows in the opposite order (as another engine may)."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    def select(self, sparql: str, **bindings: object) -> list[dict[str, object]]:
        return list(reversed(self.kg.select(sparql, **bindings)))


def test_events_alike_in_all_but_their_id_keep_one_order_whatever_the_engine(
    mini: Path, tmp_path: Path
) -> None:
    kg = load_graph(mini, tmp_path / "build")
    released = "https://w3id.org/zhanaozen-graph/id/event/jane-doe-released"
    twins = [released + "-a", released + "-z"]
    store = ox.Store()
    store.extend(q for q in kg.store if q.graph_name != INDEX)
    for twin in twins:  # the same statements about another event: a tie on dates, depth and label
        store.extend(
            ox.Quad(ox.NamedNode(twin), q.predicate, q.object, q.graph_name)
            for q in kg.store
            if q.subject.value == released and q.graph_name != INDEX
        )
    copy = KnowledgeGraph(store)
    ids = [e["id"] for e in assemble_timeline(copy)]
    assert ids == ["jane-doe-detained", "jane-doe-released", "jane-doe-released-a", "jane-doe-released-z"]
    assert [e["id"] for e in assemble_timeline(Reversed(copy))] == ids


def test_an_index_in_several_parts_reads_back_whole_and_a_missing_part_is_noticed(
    many_kg: KnowledgeGraph,
) -> None:
    expected = assemble_timeline(many_kg)
    store = ox.Store()
    store.extend(q for q in many_kg.store if q.graph_name != INDEX)
    quads = index_quads(expected, part_bytes=2000)  # a few entries a part
    parts = [q for q in quads if q.predicate.value.endswith("#part")]
    assert len(parts) > 3
    store.extend(quads)
    assert _dump(read_index(KnowledgeGraph(store))) == _dump(expected)
    # A part that holds other entries than the header counts (a hand-edited or mixed-up index).
    middle = next(
        q for q in quads if q.predicate.value.endswith("#entries") and q.subject == parts[1].subject
    )
    store.remove(middle)
    store.add(ox.Quad(middle.subject, middle.predicate, ox.Literal("[]"), INDEX))
    assert read_index(KnowledgeGraph(store)) is None
    store.remove(ox.Quad(middle.subject, middle.predicate, ox.Literal("[]"), INDEX))
    assert read_index(KnowledgeGraph(store)) is None  # a part missing
    assert _dump(timeline(KnowledgeGraph(store))) == _dump(expected)
