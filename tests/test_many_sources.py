"""Many sources side by side: each statement in its source's graph, one row per event, agreement and conflict.

The fixture (tests/fixtures/many-sources/README.md) adds two invented sources to the Amnesty document.
Every expected value below was worked out by reading those files and data/records, not copied from output.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from zhanaozen_graph import KnowledgeGraph, load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.records.load import load_dataset
from zhanaozen_graph.sparql.queries import list_queries, run_query
from zhanaozen_graph.timeline import timeline

from .conftest import with_fixture_sources

AMNESTY = "amnesty-ua-2012-07-atabaev-released"
STEPPE = "steppe-rights-monitor-2011-12-20"
CASPIAN = "caspian-labour-bulletin-2012-07"
GRAPH = "https://w3id.org/zhanaozen-graph/graph/"


def test_the_timeline_has_one_item_per_event_with_its_sources(many_kg: KnowledgeGraph) -> None:
    events = timeline(many_kg)
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids)) == 56  # Amnesty's 55 events and the detentions the Monitor reports
    clashes = next(e for e in events if e["id"] == "zhanaozen-clashes")
    assert clashes["sources"] == [AMNESTY, CASPIAN, STEPPE]
    # 16 December (Amnesty, Monitor) and mid-December (Bulletin: 11-20 December) agree on the 16th.
    assert (clashes["date"], clashes["earliest"], clashes["latest"], clashes["date_agreement"]) == (
        "2011-12-16",
        "2011-12-16",
        "2011-12-16",
        "agree",
    )
    assert [(d["source"], d["date"]) for d in clashes["dates"]] == [
        (AMNESTY, "2011-12-16"),
        (CASPIAN, "2011-12"),
        (STEPPE, "2011-12-16"),
    ]
    assert clashes["place_sources"] == {
        "The square in Zhanaozen": [STEPPE],
        "Zhanaozen": [AMNESTY, CASPIAN, STEPPE],
    }
    police = next(p for p in clashes["participants"] if p["label"] == "Police")
    assert police == {"label": "Police", "role": "participant", "sources": [AMNESTY, STEPPE]}
    released = next(e for e in events if e["id"] == "atabaev-released")
    # 3 July (Amnesty) and 4 July 2012 (Bulletin) cannot both hold: the span, marked as a conflict.
    assert (released["date"], released["date_status"], released["date_agreement"]) == (
        "2012-07-03/2012-07-04",
        "conflicting",
        "conflict",
    )
    detentions = next(e for e in events if e["id"] == "detentions-after-shooting")
    assert detentions["according_to"] == [
        {"label": "Relatives of people held after the shooting (Steppe Rights Monitor)", "source": STEPPE}
    ]


@pytest.mark.parametrize("name", [q.name for q in list_queries() if q.name != "record"])
def test_no_catalogue_query_returns_a_duplicated_row(many_kg: KnowledgeGraph, name: str) -> None:
    result = run_query(many_kg, name)
    assert len(result.rows) == len(set(result.rows)), name


def test_the_timeline_query_lists_each_event_once(many_kg: KnowledgeGraph) -> None:
    rows = run_query(many_kg, "timeline").records()
    assert Counter(r["event"] for r in rows).most_common(1)[0][1] == 1
    clashes = next(r for r in rows if r["event"].endswith("/zhanaozen-clashes"))
    assert set(clashes["sources"].split("; ")) == {AMNESTY, STEPPE, CASPIAN}
    assert (clashes["date"], clashes["earliest"], clashes["latest"]) == (
        "2011-12-16",
        "2011-12-16",
        "2011-12-16",
    )


def _graph(kg: KnowledgeGraph, slug: str) -> set[ox.Quad]:
    return {
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(GRAPH + slug))
        for q in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH + slug))
    }


@pytest.mark.parametrize("slug", [AMNESTY, STEPPE, CASPIAN])
def test_each_source_graph_is_what_that_source_alone_says(
    many_kg: KnowledgeGraph, slug: str, tmp_path: Path
) -> None:
    alone = load_graph(with_fixture_sources(tmp_path / "data", only=slug), tmp_path / "build")
    assert [
        g.value for g in alone.store.named_graphs() if "/graph/" in g.value and g.value.endswith(slug)
    ] == [GRAPH + slug]
    assert _graph(alone, slug) == _graph(many_kg, slug)
    assert len(_graph(alone, slug)) > 20


def test_adding_a_source_leaves_the_amnesty_graph_as_it_was(
    many_kg: KnowledgeGraph, kg: KnowledgeGraph
) -> None:
    assert _graph(many_kg, AMNESTY) == _graph(kg, AMNESTY)


def test_a_reference_may_be_an_exact_alias() -> None:
    ds = load_dataset(Path(__file__).resolve().parents[1] / "data")
    assert ds.resolve("KNB") == "knb"
    assert ds.resolve("knb") == "knb"
    assert ds.resolve("Knb") is None


def rows(kg: Any, name: str, **params: str) -> list[dict[str, Any]]:
    return run_query(kg, name, params).records()


def test_sources_command_lists_sources_and_conflicts(many_kg: KnowledgeGraph, tmp_path: Path) -> None:
    data = with_fixture_sources(tmp_path / "data")
    result = CliRunner().invoke(cli, ["sources", "--data", str(data), "--build-dir", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["source", "date", "publisher", "records", "statements", "quotes", "conflicts"]
    body = {line.split()[0]: line.split() for line in lines[2:5]}
    assert set(body) == {AMNESTY, STEPPE, CASPIAN}
    assert body[CASPIAN][-1] == "2" and body[STEPPE][-1] == "1" and body[AMNESTY][-1] == "2"
    assert lines[5] == ""
    assert lines[6:] == [
        "Conflicts:",
        "  atabaev-released, date: amnesty-ua-2012-07-atabaev-released says 2012-07-03T22:00:00; "
        "caspian-labour-bulletin-2012-07 says 2012-07-04",
        "  zhanaozen-clashes, killed (people): amnesty-ua-2012-07-atabaev-released says at least 15; "
        "caspian-labour-bulletin-2012-07 says exactly 12; steppe-rights-monitor-2011-12-20 says at least 16",
    ]


def test_ties_in_the_timeline_are_broken_by_follows_and_relative_dates(kg: KnowledgeGraph) -> None:
    from zhanaozen_graph.timeline import ORDER

    events = timeline(kg)
    position = {e["id"]: i for i, e in enumerate(events)}
    bounds = {e["id"]: (e["earliest"], e["latest"]) for e in events}
    label = {e["id"]: e["label"] for e in events}
    pairs = [(r["event"].rsplit("/", 1)[1], r["before"].rsplit("/", 1)[1]) for r in kg.select(ORDER)]
    ties = [(later, earlier) for later, earlier in pairs if bounds[later] == bounds[earlier]]
    # e.g. the KNB accepts the statement after he writes it (15 June - 3 July both).
    assert ("statement-accepted", "atabaev-writes-statement") in ties
    # Sorting by label alone would put some of these the wrong way round.
    assert any(label[later] < label[earlier] for later, earlier in ties)
    assert all(position[later] > position[earlier] for later, earlier in ties)
