"""Network questions on the real document's graph, through the library and through the CLI.

The expected values are hand-checked against the records in
data/records/amnesty-ua-2012-07-atabaev-released/ (the reasoning is in each test).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from zhanaozen_graph import KnowledgeGraph, QueryError
from zhanaozen_graph.cli import cli
from zhanaozen_graph.cli.network import analyze
from zhanaozen_graph.errors import NameLookupError
from zhanaozen_graph.network.analysis import centrality, communities, ego, evolution, links, paths, records
from zhanaozen_graph.network.projections import coparticipation_graph, full_graph
from zhanaozen_graph.records.evidence import SourceIndex

from .conftest import DATA

SOURCE = (DATA / "sources" / "amnesty-ua-2012-07-atabaev-released.txt").read_text("utf-8")

# 49 actors take part in events; undirected betweenness is normalised by (n-1)(n-2)/2 pairs.
PAIRS = 48 * 47 / 2


# -- centrality ------------------------------------------------------------------------------------


def test_top_five_by_betweenness(kg: KnowledgeGraph) -> None:
    table = centrality(kg)
    # Why these five (co-participation network, claims left out):
    # * The security forces are the one actor present in every part of the story the document tells
    #   after the strikes began: they abuse the strikers' relatives, supporters and human rights
    #   monitors (2011), use lethal force on strikers, protesters and unarmed citizens and fire at
    #   fleeing protesters (16 December), are the target of Atabaev's public protest and of the
    #   Prosecutor General's criminal investigation. They join those four groups of actors.
    # * Bolat Atabaev is the only link between the strike (he speaks for the striking workers, visits
    #   them, draws the authorities' attention to their demands) and his own case (the KNB, the Aktau
    #   prosecutor, his friend, the press conference, Amnesty).
    # * The Prosecutor General's Office has two co-participants only, but it is the only door
    #   between the main trial and the rest: it investigates the security forces and, at the
    #   presiding judge's request, reviews the torture allegations.
    # * The presiding judge is the trial's only member of that review.
    # * The striking oil workers join the oil companies (their legal action) and the independent trade
    #   unions (the workers' demands) to Atabaev, the authorities and the security forces.
    assert table["id"].head(5).tolist() == [
        "security-forces",
        "bolat-atabaev",
        "prosecutor-generals-office",
        "presiding-judge",
        "striking-oil-workers",
    ]
    row = table.set_index("id").loc["prosecutor-generals-office"]
    # A cut vertex: every shortest path between the trial's six other actors (judge, court,
    # defendants, lawyers, accused officers, the seven sentenced) and the 26 other actors of the
    # 33-actor component crosses it, and no other path does: 6 x 26 pairs. (The component lost the
    # dismissed striking employees: "hundreds of striking employees were dismissed" names no
    # employer, so they share their event with no one.)
    assert row["betweenness"] == pytest.approx(6 * 26 / PAIRS)
    assert (row["degree"], row["events"]) == (2, 3)  # investigation, torture review, announcement
    judge = table.set_index("id").loc["presiding-judge"]
    # The judge separates the trial's five others from the remaining 27 of the component.
    assert judge["betweenness"] == pytest.approx(5 * 27 / PAIRS)


def test_atabaev_has_the_most_co_participants(kg: KnowledgeGraph) -> None:
    row = centrality(kg).set_index("id").loc["bolat-atabaev"]
    # striking workers, authorities, security forces, KNB, KNB officers, Aktau prosecutor, his friend,
    # journalists and supporters at the press conference, Amnesty International: 10. He takes part in
    # 16 events; he shares four with the striking workers and four with the KNB.
    assert (row["degree"], row["events"], row["strength"], row["core"]) == (10, 16, 16, 3)


def test_claims_bring_the_president_into_the_main_component(kg: KnowledgeGraph) -> None:
    # Without claims, the president's five (emergency measures, dismissals, the commission) stand
    # apart; his two official positions (blaming "young hooligans" who exploited the strikers; the
    # security forces acted lawfully) link him to the strikers and the security forces.
    plain = centrality(kg).set_index("id")
    with_claims = centrality(kg, include_allegations=True).set_index("id")
    assert plain.loc["president", "degree"] == 4
    assert with_claims.loc["president", "degree"] == 7
    # The striking workers fall behind the security forces and Atabaev: without the oil companies as
    # their employers, the dismissals and the demands no longer pass through them to the companies.
    assert with_claims.index[:5].tolist() == [
        "protesters",
        "security-forces",
        "bolat-atabaev",
        "striking-oil-workers",
        "president",
    ]


def test_centrality_of_chosen_metrics(kg: KnowledgeGraph) -> None:
    table = centrality(kg, metrics=("degree", "events"), top=2)
    # Columns follow METRICS' order; without betweenness the rows sort by degree.
    assert records(table) == [
        {"id": "bolat-atabaev", "label": "Bolat Atabaev", "type": "Person", "events": 16, "degree": 10},
        {
            "id": "security-forces",
            "label": "The security forces",
            "type": "Organisation",
            "events": 6,
            "degree": 9,
        },
    ]
    with pytest.raises(QueryError, match="unknown metric 'fame'"):
        centrality(kg, metrics=("degree", "fame"))


def test_centrality_of_a_networkx_graph(kg: KnowledgeGraph) -> None:
    table = centrality(full_graph(kg, include_allegations=False), top=3)
    # In the typed graph (events as nodes) the busiest node is Bolat Atabaev: 16 events, a based_in,
    # a friend and a supports link.
    assert table["id"].tolist()[0] == "bolat-atabaev"
    assert len(table) == 3


def test_time_slice_needs_the_knowledge_graph(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="a time slice needs the knowledge graph"):
        centrality(full_graph(kg), as_of="2011-12-16")


# -- communities -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["louvain", "greedy"])
def test_communities(kg: KnowledgeGraph, method: str) -> None:
    table = communities(kg, method=method)
    groups = [set(g["id"]) for _, g in table.groupby("community")]
    # Both methods find the same five groups of three or more: the Zhanaozen violence, Atabaev's case,
    # the strike with those arrested during it (the authorities arrest them and are the workers'
    # counterpart; the dismissed employees, who share their dismissal with no one now that the text's
    # silence on the employer is kept, stand alone), the main trial (with the Prosecutor General's
    # review) and the president's measures; then pairs (the assaulted journalists and their assailants).
    assert groups[:6] == [
        {
            "security-forces",
            "protesters",
            "police",
            "people-killed-16-december",
            "people-injured-16-december",
            "unarmed-citizens",
            "people-lying-injured",
            "relatives-of-striking-workers",
            "supporters-of-striking-workers",
            "human-rights-monitors",
        },
        {
            "bolat-atabaev",
            "knb",
            "knb-officers",
            "aktau-prosecutors-office",
            "film-director-friend",
            "press-conference-journalists",
            "press-conference-supporters",
            "amnesty-international",
            "ua-network",
        },
        {
            "striking-oil-workers",
            "authorities",
            "oil-companies",
            "independent-trade-unions",
            "arrested-striking-workers",
            "trade-union-activists",
            "opposition-party-activists",
        },
        {
            "presiding-judge",
            "trial-court",
            "trial-defendants",
            "defendants-lawyers",
            "police-and-security-officers",
            "sentenced-seven",
            "prosecutor-generals-office",
        },
        {
            "president",
            "oil-gas-executives",
            "regional-governor",
            "military-reinforcements",
            "special-commission",
        },
        {"independent-journalists", "men-in-civilian-clothes"},
    ]
    assert {"dismissed-striking-employees"} in groups
    # The modularity reported is that of this partition, recomputed here by networkx itself.
    G = coparticipation_graph(kg)
    assert table.attrs["modularity"] == pytest.approx(
        nx.community.modularity(G, groups, weight="weight"), abs=1e-9
    )


def test_unknown_community_method(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="unknown community method 'girvan'"):
        communities(kg, method="girvan")


# -- ego and paths ---------------------------------------------------------------------------------


def test_ego_of_the_knb(kg: KnowledgeGraph) -> None:
    assert records(ego(kg, "KNB")) == [
        {
            "id": "knb",
            "label": "Committee for National Security",
            "type": "Organisation",
            "distance": 0,
            "weight": 0,
            "events": ["atabaev-charged", "atabaev-arrested", "friend-intervenes", "statement-accepted"],
        },
        {
            "id": "bolat-atabaev",
            "label": "Bolat Atabaev",
            "type": "Person",
            "distance": 1,
            "weight": 4,
            "events": ["atabaev-charged", "atabaev-arrested", "friend-intervenes", "statement-accepted"],
        },
        {
            "id": "film-director-friend",
            "label": "Friend of Bolat Atabaev, a fellow film director (not named)",
            "type": "Person",
            "distance": 1,
            "weight": 1,
            "events": ["friend-intervenes"],
        },
        {
            "id": "knb-officers",
            "label": "KNB officers who arrested Bolat Atabaev",
            "type": "Group",
            "distance": 1,
            "weight": 1,
            "events": ["atabaev-arrested"],
        },
        {
            "id": "aktau-prosecutors-office",
            "label": "The Prosecutor’s Office in Aktau",
            "type": "Organisation",
            "distance": 1,
            "weight": 1,
            "events": ["statement-accepted"],
        },
    ]


def test_path_from_atabaev_to_the_prosecutor_general(kg: KnowledgeGraph) -> None:
    table = paths(kg, "Bolat Atabaev", "Prosecutor General's Office")
    # One shortest chain: Atabaev protested against the security forces' lethal force; the
    # Prosecutor General's Office opened a criminal investigation into the security forces.
    assert records(table) == [
        {
            "path": 1,
            "hop": 1,
            "source": "bolat-atabaev",
            "source_label": "Bolat Atabaev",
            "target": "security-forces",
            "target_label": "The security forces",
            "event": "atabaev-protests-lethal-force",
            "event_label": "Bolat Atabaev protests publicly against the security forces' use of lethal force in Zhanaozen",
            "date": "2011-12-16/2012-07-31",  # after the lethal force of 16 December 2011
            "earliest": "2011-12-16",
            "latest": "2012-07-31",
            "link": "event",
            "source_role": "speaker",
            "target_role": "target",
            "quotes": [
                "He protested publicly against the security forces' use of lethal force against striking "
                "workers, protesters and unarmed citizens during violent clashes in Zhanaozen in December 2011."
            ],
            "document": "amnesty-ua-2012-07-atabaev-released",
        },
        {
            "path": 1,
            "hop": 2,
            "source": "security-forces",
            "source_label": "The security forces",
            "target": "prosecutor-generals-office",
            "target_label": "Prosecutor General’s Office",
            "event": "pgo-criminal-investigation",
            "event_label": "The Prosecutor General's Office opens a criminal investigation into the security forces' actions",
            "date": "2011-12-16/2012-07-31",
            "earliest": "2011-12-16",
            "latest": "2012-07-31",
            "link": "event",
            "source_role": "target",
            "target_role": "investigator",
            "quotes": [
                "However, the Prosecutor General’s Office opened a criminal investigation into the security "
                "forces' actions, after video footage of the events was released."
            ],
            "document": "amnesty-ua-2012-07-atabaev-released",
        },
    ]
    index = SourceIndex(SOURCE)
    for quotes in table["quotes"]:
        for quote in quotes:
            assert index.find(quote) is not None


def test_no_path_without_claims_two_with_them(kg: KnowledgeGraph) -> None:
    # The president shares no event with anyone in Atabaev's component (see above) ...
    assert paths(kg, "president", "Bolat Atabaev").empty
    # ... but his claims are about the striking workers and the security forces, who each share
    # events with Atabaev.
    table = paths(kg, "president", "Bolat Atabaev", include_allegations=True)
    first_hops = table[table["hop"] == 1]
    assert sorted(zip(first_hops["target"], first_hops["event"], first_hops["link"], strict=True)) == [
        ("security-forces", "president-security-forces-lawful", "claim"),
        ("striking-oil-workers", "president-blames-young-hooligans", "claim"),
    ]


def test_name_outside_the_slice(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError) as err:
        ego(kg, "KNB", as_of="2011-12-15")
    assert str(err.value) == (
        "'Committee for National Security' (knb) takes part in no event as of 2011-12-15; widen the time slice"
    )


def test_path_needs_two_actors(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="both names are 'Committee for National Security'"):
        paths(kg, "KNB", "knb")


def test_ego_radius_must_be_positive(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="radius must be at least 1, not 0"):
        ego(kg, "KNB", radius=0)


# -- slices and evolution --------------------------------------------------------------------------


def test_links_before_and_after_16_december_2011(kg: KnowledgeGraph) -> None:
    before = links(kg, as_of="2011-12-15")
    after = links(kg, as_of="2011-12-16")
    # Up to 15 December, 15 events may have begun: the strike and its 2011 aftermath, Atabaev's
    # visit, speech and speaking out, the October assault. The lethal force "during violent clashes
    # in Zhanaozen in December 2011" is the clashes' day, 16 December, and Atabaev's protest against
    # it comes after. 16 December adds the clashes, the lethal force, the shooting at fleeing
    # protesters, Atabaev's protest and every event the text places after the clashes: 16 events with
    # participants (the celebrations, the cutting of communications and the release of the footage
    # name no actor). Losing the lethal force (security forces, striking workers, protesters, unarmed
    # citizens: 6 pairs) and the protest (Atabaev, security forces: 1 pair) leaves 24 - 7 = 17 links
    # before, and the protesters and unarmed citizens appear only from 16 December. (24, not 27: the
    # oil companies are no longer the strikers' employers, so the workers' demands no longer pair them
    # with the authorities and the trade unions, nor the dismissals with the dismissed employees.)
    assert (before.attrs["events"], before.attrs["actors"], len(before)) == (15, 15, 17)
    assert (after.attrs["events"], after.attrs["actors"], len(after)) == (31, 33, 36)
    pairs_before = {frozenset(p) for p in zip(before["source"], before["target"], strict=True)}
    pairs_after = {frozenset(p) for p in zip(after["source"], after["target"], strict=True)}
    assert pairs_before < pairs_after
    new = pairs_after - pairs_before
    assert frozenset({"police", "protesters"}) in new  # the clashes
    assert frozenset({"president", "military-reinforcements"}) in new  # sent in after the clashes
    assert not any("knb" in p for p in new)  # the KNB enters with the charge of 6 January 2012
    strongest = records(before.head(1))[0]
    assert (strongest["source"], strongest["target"], strongest["weight"]) == (
        "bolat-atabaev",
        "striking-oil-workers",
        4,
    )


def test_evolution_of_degree(kg: KnowledgeGraph) -> None:
    table = evolution(kg, "degree")
    # One column per distinct earliest bound of an event.
    # No 2011-01-01 any more: the speech "in 2011" was "to striking workers", so not before May 2011.
    assert list(table.columns) == [
        "id",
        "label",
        "2011-05-01",
        "2011-10-01",
        "2011-12-16",
        "2011-12-22",
        "2012-01-06",
        "2012-03-21",
        "2012-06-15",
        "2012-07-03",
        "2012-07-04",
    ]
    atabaev = table.set_index("id").loc["bolat-atabaev"].tolist()[1:]
    # May 2011: the striking workers (visit, speech, speaking out) and the authorities (drawing their
    # attention); 16 December: + the security forces (his protest against the lethal force of that
    # day); 6 Jan 2012: + the KNB (charge); 15 June: + KNB officers, his friend, the Aktau prosecutor;
    # 4 July: + journalists, supporters, Amnesty.
    assert atabaev == [2, 2, 3, 3, 4, 4, 7, 7, 10]
    police = table.set_index("id").loc["police"].tolist()[1:]
    # The police first appear in the clashes of 16 December 2011 (the third column).
    assert all(math.isnan(v) for v in police[:2]) and police[2:] == [3] * 7


def test_evolution_spreads_its_steps(kg: KnowledgeGraph) -> None:
    # 9 distinct start dates; 4 steps take indexes 8 * i // 3 for i in 0..3: 0, 2, 5, 8.
    assert list(evolution(kg, max_steps=4).columns)[2:] == [
        "2011-05-01",
        "2011-12-16",
        "2012-03-21",
        "2012-07-04",
    ]
    assert list(evolution(kg, max_steps=1).columns)[2:] == ["2012-07-04"]


def test_unknown_metric(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="unknown metric 'fame'; use one of: events, degree"):
        evolution(kg, "fame")


# -- the CLI gives the library's answers -----------------------------------------------------------


def cli_json(build_dir: Path, *args: str) -> object:
    result = CliRunner().invoke(
        cli, ["analyze", *args, "--data", str(DATA), "--build-dir", str(build_dir), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_centrality_equals_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    out = cli_json(build_dir, "centrality", "--top", "5")
    assert out == records(centrality(kg, top=5))
    assert [r["id"] for r in out] == centrality(kg)["id"].head(5).tolist()  # type: ignore[index]


def test_cli_communities_equals_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    assert cli_json(build_dir, "communities", "--method", "greedy") == records(
        communities(kg, method="greedy")
    )


def test_cli_ego_equals_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    assert cli_json(build_dir, "ego", "Komitet Nationalnoi Bezopasnosti", "--radius", "2") == records(
        ego(kg, "knb", radius=2)
    )


def test_cli_path_equals_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    assert cli_json(build_dir, "path", "Bolat Atabaev", "Prosecutor General’s Office") == records(
        paths(kg, "bolat-atabaev", "prosecutor-generals-office")
    )


def test_cli_slice_equals_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    assert cli_json(build_dir, "slice", "--from", "2012-06-01", "--to", "2012-06-30", "--certain") == records(
        links(kg, window=("2012-06-01", "2012-06-30"), certain=True)
    )


def test_cli_evolution_equals_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    out = cli_json(build_dir, "evolution", "--metric", "betweenness", "--top", "3")
    assert out == records(evolution(kg, "betweenness", top=3))


def test_cli_table_is_readable(build_dir: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            "slice",
            "--as-of",
            "2011-12-15",
            "--certain",
            "--data",
            str(DATA),
            "--build-dir",
            str(build_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["source_label", "target_label", "weight", "first", "last", "events"]
    assert "Independent journalists" in lines[2] and "journalists-assaulted" in lines[2]
    assert result.stderr == "2 actors, 1 links, 1 events as of 2011-12-15\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["ego", "Presdent"],
            "Error: no actor called 'Presdent' in the co-participation network; "
            "did you mean 'The president (of Kazakhstan; not named in the text)' (president)?",
        ),
        (
            ["path", "journalists", "KNB"],
            "Error: 'journalists' matches 4 actors: \"Journalists at Bolat Atabaev's press conference\" "
            "(press-conference-journalists), 'Journalists who reported hearing screams from interrogation "
            "rooms' (journalists-hearing-screams), 'Independent journalists covering the strike' "
            "(independent-journalists), 'Men in civilian clothes who assaulted independent journalists "
            "(not identified)' (men-in-civilian-clothes); give the id or the full label",
        ),
        (
            ["centrality", "--as-of", "16/12/2011"],
            "Error: invalid as-of date '16/12/2011'; write dates as YYYY-MM-DD, e.g. 2011-12-16",
        ),
        (
            ["slice", "--as-of", "2011-12-16", "--from", "2011-01-01"],
            "Error: give either an as-of date or a window, not both; --as-of D is --to D",
        ),
        (
            ["evolution", "--date", "2011-12-32"],
            "Error: invalid as-of date '2011-12-32': no such day; write dates as YYYY-MM-DD, e.g. 2011-12-16",
        ),
    ],
)
def test_cli_bad_input(build_dir: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["analyze", *args, "--data", str(DATA), "--build-dir", str(build_dir)])
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert result.stdout == ""


def test_unknown_name_is_a_name_lookup_error(kg: KnowledgeGraph) -> None:
    with pytest.raises(NameLookupError):
        ego(kg, "nobody at all")


@pytest.mark.parametrize("name", sorted(analyze.commands))
def test_every_analyze_command_has_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, ["analyze", name, "--help"])
    assert result.exit_code == 0
    assert "Example: zhanaozen-graph analyze " + name in result.output
