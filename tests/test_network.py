"""The NetworkX projections of the real document's graph, name resolution, time slices and exports.

Expected values are read off the records in data/records/amnesty-ua-2012-07-atabaev-released/.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from zhanaozen_graph import KnowledgeGraph, QueryError
from zhanaozen_graph.cli import cli
from zhanaozen_graph.errors import NameLookupError
from zhanaozen_graph.network.projections import (
    actor_event_graph,
    coparticipation_graph,
    edge_relations,
    export_network,
    full_graph,
    place_tree,
    precedence_graph,
    project,
    resolve_name,
    time_slice,
)

from .conftest import DATA


def out_edges(G: nx.MultiDiGraph, node: str) -> set[tuple[str, str]]:
    return {(v, k) for _u, v, k in G.out_edges(node, keys=True)}


# -- the model decides which properties become edges ---------------------------------------------


def test_edge_relations_are_the_ref_properties_of_the_model() -> None:
    # kinds.yaml: actors member_of/based_in; places contained_in(_external); events places/part_of/
    # follows/legal_basis; claims claimed_by/about/made_during/responds_to.
    assert {r.name for r in edge_relations()} == {
        "member_of",
        "based_in",
        "according_to",
        "contained_in",
        "contained_in_external",
        "places",
        "part_of",
        "follows",
        "legal_basis",
        "claimed_by",
        "about",
        "made_during",
        "responds_to",
    }


# -- full graph ------------------------------------------------------------------------------------


def test_full_graph_counts_every_record_kind(kg: KnowledgeGraph) -> None:
    G = full_graph(kg)
    kinds: dict[str, int] = {}
    for _n, a in G.nodes(data=True):
        kinds[a["type"]] = kinds.get(a["type"], 0) + 1
    # actors.yaml: 5 people, 39 groups, 14 organisations; places.yaml 11; legal.yaml 2;
    # events.yaml 55; claims.yaml 19. Relationships are edges, not nodes.
    assert kinds == {
        "Person": 5,
        "Group": 39,
        "Organisation": 14,
        "Place": 11,
        "LegalProvision": 2,
        "Event": 55,
        "Claim": 19,
    }


def test_full_graph_edges_of_the_arrest(kg: KnowledgeGraph) -> None:
    # events.yaml, atabaev-arrested: places [atabaev-home, almaty]; knb-officers and knb as
    # arresting_agency, bolat-atabaev as detainee; follows [atabaev-charged].
    G = full_graph(kg)
    assert out_edges(G, "atabaev-arrested") == {
        ("almaty", "places"),
        ("atabaev-home", "places"),
        ("atabaev-charged", "follows"),
        ("bolat-atabaev", "detainee"),
        ("knb", "arresting_agency"),
        ("knb-officers", "arresting_agency"),
    }
    assert G.edges["atabaev-arrested", "knb", "arresting_agency"] == {
        "relation": "participants",
        "role": "arresting_agency",
        "label": "arresting_agency",
    }


def test_full_graph_nodes_carry_label_aliases_and_dates(kg: KnowledgeGraph) -> None:
    G = full_graph(kg)
    assert G.nodes["knb"] == {
        "type": "Organisation",
        "label": "Committee for National Security",
        "aliases": ["KNB", "Komitet Nationalnoi Bezopasnosti"],
    }
    release = G.nodes["atabaev-released"]
    assert (release["earliest"], release["latest"], release["date"], release["date_status"]) == (
        "2012-07-03",
        "2012-07-03",
        "2012-07-03T22:00:00",
        "year-inferred",
    )
    assert release["event_type"] == "release"


def test_relationships_and_external_knowledge_are_edges(kg: KnowledgeGraph) -> None:
    G = full_graph(kg)
    # relationships.yaml: film-director-friend friend_of bolat-atabaev.
    assert G.edges["film-director-friend", "bolat-atabaev", "friend_of"]["record"] == (
        "film-director-friend-of-atabaev"
    )
    # places.yaml: zhanaozen is in Mangistau Region by outside knowledge only (contained_in_external).
    assert G.edges["zhanaozen", "mangistau-region", "contained_in_external"]["external"] is True
    # "Pre-trial Detention Centre Number One in Aktau": containment the text states. (The square is no
    # longer in Zhanaozen by the text's word: it is only "the square" of the eyewitnesses' claim.)
    assert "external" not in G.edges["aktau-detention-centre", "aktau", "contained_in"]
    assert not G.has_edge("zhanaozen-square", "zhanaozen")


def test_claims_are_kept_or_left_out(kg: KnowledgeGraph) -> None:
    with_claims = full_graph(kg)
    # claims.yaml: the eyewitnesses' allegation, about the clashes, the police, the crowd, the women
    # and children in it and the square.
    assert out_edges(with_claims, "eyewitnesses-police-fired-into-crowd") == {
        ("eyewitnesses", "claimed_by"),
        ("zhanaozen-clashes", "about"),
        ("police", "about"),
        ("crowd-in-square", "about"),
        ("women-and-children-in-crowd", "about"),
        ("zhanaozen-square", "about"),
    }
    assert with_claims.nodes["eyewitnesses-police-fired-into-crowd"]["stance"] == "allegation"
    without = full_graph(kg, include_allegations=False)
    assert not [n for n, a in without.nodes(data=True) if a["type"] == "Claim"]


def test_undated_claim_takes_the_bounds_of_the_event_it_was_made_during(kg: KnowledgeGraph) -> None:
    # atabaev-press-conference-account has no date; it was made during atabaev-press-conference,
    # "the next day" after the release of 3 July: 4 July 2012.
    G = full_graph(kg)
    claim = G.nodes["atabaev-press-conference-account"]
    assert (claim["earliest"], claim["latest"], claim["date_from"]) == (
        "2012-07-04",
        "2012-07-04",
        "atabaev-press-conference",
    )
    # "The president, who visited the city on 22 December, blamed the violence on ...": the text does
    # not say he blamed it during the visit, so the claim has no occasion and no date.
    assert "earliest" not in G.nodes["president-blames-young-hooligans"]


# -- actor-event, co-participation, places, precedence ---------------------------------------------


def test_actor_event_graph_is_bipartite_with_roles(kg: KnowledgeGraph) -> None:
    B = actor_event_graph(kg)
    assert nx.is_bipartite(B)
    # events.yaml, friend-intervenes: film-director-friend intermediary, bolat-atabaev beneficiary,
    # knb target.
    assert {n: B.edges["friend-intervenes", n]["roles"] for n in B["friend-intervenes"]} == {
        "film-director-friend": ["intermediary"],
        "bolat-atabaev": ["beneficiary"],
        "knb": ["target"],
    }
    assert B.nodes["knb"]["bipartite"] == 0
    assert B.nodes["friend-intervenes"]["bipartite"] == 1


def test_coparticipation_edge_lists_its_events_in_order(kg: KnowledgeGraph) -> None:
    G = coparticipation_graph(kg)
    # Bolat Atabaev and the KNB: charged (6 Jan 2012), arrested (15 June), the friend's intervention
    # with the KNB and the acceptance of the statement (both between 15 June and 3 July).
    assert G.edges["bolat-atabaev", "knb"] == {
        "weight": 4,
        "events": ["atabaev-charged", "atabaev-arrested", "friend-intervenes", "statement-accepted"],
    }
    # With claims: the KNB's and the Aktau prosecutor's acceptance of "repentance" (about Atabaev)
    # and Atabaev's account at the press conference (about the KNB) add two links.
    G = coparticipation_graph(kg, include_allegations=True)
    assert G.edges["bolat-atabaev", "knb"]["weight"] == 6
    assert G.edges["bolat-atabaev", "knb"]["claims"] == [
        "knb-prosecutor-accept-repentance",
        "atabaev-press-conference-account",
    ]


def test_coparticipation_keeps_actors_with_no_co_participant(kg: KnowledgeGraph) -> None:
    G = coparticipation_graph(kg)
    # ua-appeals has appeal-senders as its only participant.
    assert G.degree("appeal-senders") == 0
    assert G.nodes["appeal-senders"]["events"] == ["ua-appeals"]
    # 49 actors take part in events; 33 of them form one connected piece (the president's five, two
    # pairs and seven loners stay apart: see test_analysis). The seventh loner is the dismissed
    # striking employees: "hundreds of striking employees were dismissed" names no employer.
    assert G.number_of_nodes() == 49
    assert sorted(len(c) for c in nx.connected_components(G)) == [1, 1, 1, 1, 1, 1, 1, 2, 2, 5, 33]


def test_place_tree(kg: KnowledgeGraph) -> None:
    T = place_tree(kg)
    assert {(u, v, d["external"]) for u, v, d in T.edges(data=True)} == {
        ("kazakhstan", "south-west-kazakhstan", False),
        ("kazakhstan", "mangistau-region", False),
        ("kazakhstan", "almaty", True),
        ("mangistau-region", "zhanaozen", True),
        ("mangistau-region", "aktau", True),
        ("aktau", "aktau-detention-centre", False),
        ("almaty", "atabaev-home", False),
    }
    assert nx.is_forest(T)
    # The square is a root: the text names it only as "the square" in the eyewitnesses' claim.
    assert sorted(n for n in T if T.in_degree(n) == 0) == [
        "kazakhstan",
        "police-cells",
        "police-station-interrogation-rooms",
        "zhanaozen-square",
    ]
    assert (T.nodes["zhanaozen"]["lat"], T.nodes["zhanaozen"]["long"]) == (43.34, 52.86)


def test_precedence_is_the_transitive_reduction_of_the_date_order(kg: KnowledgeGraph) -> None:
    P = precedence_graph(kg)
    # Compare with NetworkX's own reduction of the brute-force order.
    order = nx.DiGraph()
    order.add_nodes_from(P)
    for u in P:
        for v in P:
            if P.nodes[u]["latest"] < P.nodes[v]["earliest"]:
                order.add_edge(u, v)
    dated = {(u, v) for u, v, kind in P.edges(data="kind") if kind in ("dates", "both")}
    assert dated == set(nx.transitive_reduction(order).edges())
    assert nx.is_directed_acyclic_graph(P)


def test_precedence_marks_follows_links(kg: KnowledgeGraph) -> None:
    P = precedence_graph(kg)
    # The press conference (4 July) follows the flight home ("that night": 3 or 4 July): the record says
    # so, the dates alone do not (the flight may have left after midnight).
    assert P.edges["atabaev-flies-home", "atabaev-press-conference"]["kind"] == "follows"
    # The convoy follows the arrest, but its bounds (15 June - 3 July) overlap the arrest's day.
    assert P.edges["atabaev-arrested", "atabaev-convoy"]["kind"] == "follows"
    # The release (3 July) certainly ended before the press conference (4 July); no record says so.
    assert P.edges["atabaev-released", "atabaev-press-conference"]["kind"] == "dates"
    # events.yaml has 25 follows links; each is an edge.
    assert sum(1 for *_e, k in P.edges(data="kind") if k in ("follows", "both")) == 25


# -- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("KNB", "knb"),
        ("knb", "knb"),
        ("Komitet Nationalnoi Bezopasnosti", "knb"),
        ("Prosecutor General's Office", "prosecutor-generals-office"),  # the label has ’
        ("  bolat   ATABAEV ", "bolat-atabaev"),
        ("Bolat", "bolat-atabaev"),
        ("demonstrators", "protesters"),
    ],
)
def test_names_resolve_by_label_or_alias(kg: KnowledgeGraph, name: str, expected: str) -> None:
    assert resolve_name(coparticipation_graph(kg), name, "actor") == expected


def test_external_alias_resolves_a_place(kg: KnowledgeGraph) -> None:
    assert resolve_name(place_tree(kg), "Mangystau") == "mangistau-region"


def test_unknown_name_lists_close_matches(kg: KnowledgeGraph) -> None:
    with pytest.raises(NameLookupError) as err:
        resolve_name(coparticipation_graph(kg), "Presdent", "actor")
    assert str(err.value) == (
        "no actor called 'Presdent' in the co-participation network; "
        "did you mean 'The president (of Kazakhstan; not named in the text)' (president)?"
    )
    assert err.value.candidates == ("president",)


def test_ambiguous_name_lists_every_match(kg: KnowledgeGraph) -> None:
    with pytest.raises(NameLookupError) as err:
        resolve_name(coparticipation_graph(kg), "presid", "actor")
    assert str(err.value) == (
        "'presid' matches 2 actors: 'The presiding judge of the main trial (not named)' (presiding-judge), "
        "'The president (of Kazakhstan; not named in the text)' (president); give the id or the full label"
    )


# -- time slices -----------------------------------------------------------------------------------


def test_slice_before_and_after_16_december_2011(kg: KnowledgeGraph) -> None:
    before = coparticipation_graph(kg, as_of="2011-12-15")
    after = coparticipation_graph(kg, as_of="2011-12-16")
    # The police take part only in the clashes of 16 December; the president only in the measures
    # after them; the KNB only from the charge of 6 January 2012.
    assert "police" not in before and "president" not in before
    assert after.edges["police", "protesters"]["events"] == ["zhanaozen-clashes"]
    assert "president" in after
    assert "knb" not in after
    # The lethal force "during violent clashes in Zhanaozen in December 2011" is dated to the clashes'
    # day, so the protesters enter the network only on the 16th, with the security forces.
    assert "protesters" not in before
    assert after.edges["protesters", "security-forces"]["events"] == [
        "firing-at-fleeing-protesters",
        "lethal-force-used",
    ]


def test_certain_slice_keeps_only_events_surely_over(kg: KnowledgeGraph) -> None:
    # By 15 December 2011 only one event had certainly ended: journalists were assaulted (October
    # 2011). The strikes "began ... in May 2011" and the text gives no end, so they may go on;
    # Atabaev's speaking out "since mid-2011" goes on up to the document's date, and his 2011 visit
    # may fall after the 15th.
    G = coparticipation_graph(kg, as_of="2011-12-15", certain=True)
    assert sorted(G.edges()) == [("independent-journalists", "men-in-civilian-clothes")]
    assert sorted(G.graph["events"]) == ["journalists-assaulted"]


def test_window_overlap_and_containment(kg: KnowledgeGraph) -> None:
    overlap = coparticipation_graph(kg, window=("2012-07-04", "2012-07-04")).graph["events"]
    # Amnesty ends the UA action between 4 July and the end of the month: it may fall on the 4th.
    # The release ended on 3 July.
    assert "ua-action-ended" in overlap and "atabaev-released" not in overlap
    inside = coparticipation_graph(kg, window=("2012-07-03", "2012-07-04"), certain=True).graph["events"]
    # Wholly within 3-4 July: the release and the flight home (3 July), the press conference (4 July).
    assert sorted(inside) == ["atabaev-flies-home", "atabaev-press-conference", "atabaev-released"]


def test_full_graph_slice_keeps_entities_linked_to_kept_events(kg: KnowledgeGraph) -> None:
    G = full_graph(kg, include_allegations=False, window=("2012-01-06", "2012-01-06"))
    # Only the charge of 6 January 2012 is surely that day; the derived events that may overlap it
    # come along (window overlap), and so do the strikes (begun in May 2011, end unknown), but the
    # assault on journalists (October 2011) does not.
    assert "atabaev-charged" in G and "strikes-begin" in G and "journalists-assaulted" not in G
    assert "criminal-code-article-164" in G
    assert "criminal-code-article-65" not in G  # invoked only by the release of 3 July


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"as_of": "16 December 2011"}, "invalid as-of date '16 December 2011'"),
        ({"as_of": "2011-02-30"}, "invalid as-of date '2011-02-30': no such day"),
        (
            {"window": ("2012-01-01", "2011-01-01")},
            "the window ends (2011-01-01) before it starts (2012-01-01)",
        ),
        ({"as_of": "2011-12-16", "window": ("2011-01-01", None)}, "give either an as-of date or a window"),
    ],
)
def test_bad_slices(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(QueryError) as err:
        time_slice(**kwargs)  # type: ignore[arg-type]
    assert str(err.value).startswith(message)


def test_place_tree_has_no_time_slice(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="the place tree has no dates to slice"):
        project(kg, "places", as_of="2011-12-16")


def test_unknown_network(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="unknown network 'people'"):
        project(kg, "people")


# -- exports ---------------------------------------------------------------------------------------


def test_gexf_reads_back_with_its_dates(kg: KnowledgeGraph) -> None:
    text = export_network(kg, "gexf", "full")
    G = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    assert G.graph["mode"] == "dynamic"
    assert 'timeformat="date"' in text
    arrest = G.nodes["atabaev-arrested"]
    assert (arrest["start"], arrest["end"]) == ("2012-06-15", "2012-06-15")
    # An actor is present while the events it is linked to may be under way: the KNB from the charge
    # (6 Jan 2012), then from the arrest to the release (15 June - 3 July), and on 4 July (Atabaev's
    # account at the press conference names the KNB).
    assert G.nodes["knb"]["spells"] == [
        ("2012-01-06", "2012-01-06"),
        ("2012-06-15", "2012-07-03"),
        ("2012-07-04", "2012-07-04"),
    ]
    assert G.nodes["knb"]["aliases"] == "KNB; Komitet Nationalnoi Bezopasnosti"


def test_gexf_coparticipation_edges_have_the_spells_of_their_events(kg: KnowledgeGraph) -> None:
    G = nx.read_gexf(io.BytesIO(export_network(kg, "gexf", "coparticipation").encode("utf-8")))
    edge = G.edges["bolat-atabaev", "knb"]
    assert edge["weight"] == 4
    assert edge["spells"] == [("2012-01-06", "2012-01-06"), ("2012-06-15", "2012-07-03")]


def test_graphml_and_json_read_back(kg: KnowledgeGraph) -> None:
    G = nx.read_graphml(io.BytesIO(export_network(kg, "graphml", "coparticipation").encode("utf-8")))
    assert G.edges["bolat-atabaev", "knb"]["events"] == (
        "atabaev-charged; atabaev-arrested; friend-intervenes; statement-accepted"
    )
    data = json.loads(export_network(kg, "json", "coparticipation"))
    H = nx.node_link_graph(data, edges="links")
    assert H.edges["bolat-atabaev", "knb"]["events"] == [
        "atabaev-charged",
        "atabaev-arrested",
        "friend-intervenes",
        "statement-accepted",
    ]
    assert data["graph"]["events"]["atabaev-charged"]["earliest"] == "2012-01-06"


def test_export_command_writes_a_file(kg: KnowledgeGraph, build_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "net.gexf"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--data",
            str(DATA),
            "--build-dir",
            str(build_dir),
            "-f",
            "gexf",
            "--network",
            "precedence",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    G = nx.read_gexf(out)
    assert nx.is_directed_acyclic_graph(G)
    assert G.nodes["zhanaozen-clashes"]["start"] == "2011-12-16"
    assert out.read_text("utf-8") == export_network(kg, "gexf", "precedence") + "\n"
