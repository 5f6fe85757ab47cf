"""``push`` streams: one graph's triples in memory at a time, progress reported, the store gets every quad."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from zhanaozen_graph import KnowledgeGraph
from zhanaozen_graph.sparql import remote
from zhanaozen_graph.sparql.remote import push

from .test_remote import oxigraph  # noqa: F401  (the real Oxigraph server fixture)


def by_graph(kg: KnowledgeGraph) -> dict[str, set[ox.Triple]]:
    out: dict[str, set[ox.Triple]] = defaultdict(set)
    for q in kg.exact_quads():
        out[q.graph_name.value].add(q.triple)
    return dict(out)


def test_spooling_holds_few_triples_at_a_time_and_loses_none(
    many_kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "_SPOOL_FLUSH", 7)
    sizes: list[int] = []
    serialize = ox.serialize

    def counting(triples: Any, *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(triples))
        return serialize(triples, *args, **kwargs)

    monkeypatch.setattr(remote.ox, "serialize", counting)
    spooled = remote._spool(many_kg, None, tmp_path)
    monkeypatch.undo()
    assert max(sizes) <= 7 and len(sizes) > 100
    expected = by_graph(many_kg)
    assert sorted(spooled) == sorted(expected)
    for name, part in spooled.items():
        got = {q.triple for q in ox.parse(path=str(part.path), format=ox.RdfFormat.N_TRIPLES)}
        assert got == expected[name], name
        assert part.triples == len(expected[name])
    # In batches of 5 lines: every line once, none longer than 5 triples.
    part = spooled["https://w3id.org/zhanaozen-graph/graph/register"]
    batches = list(part.batches(5))
    assert all(b.count(b"\n") <= 5 for b in batches)
    assert b"".join(batches) == part.path.read_bytes()


def test_one_target_graph_gets_the_distinct_union(many_kg: KnowledgeGraph, tmp_path: Path) -> None:
    spooled = remote._spool(many_kg, "https://example.org/all", tmp_path)
    union = {q.triple for q in many_kg.exact_quads()}
    assert list(spooled) == ["https://example.org/all"]
    path = spooled["https://example.org/all"].path
    assert {q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)} == union
    assert spooled["https://example.org/all"].triples == len(union)


def test_push_reports_progress_and_the_server_holds_every_graph(
    many_kg: KnowledgeGraph,
    oxigraph: str,  # noqa: F811
) -> None:
    seen: list[tuple[int, int]] = []
    result = push(many_kg, f"{oxigraph}/store", method="gsp", progress=lambda a, b: seen.append((a, b)))
    expected = by_graph(many_kg)
    total = sum(len(v) for v in expected.values())
    assert result.graphs == {k: len(v) for k, v in sorted(expected.items())}
    assert len(seen) == len(expected)
    assert [b for _, b in seen] == [total] * len(seen)
    assert [a for a, _ in seen] == sorted(a for a, _ in seen) and seen[-1] == (total, total)
