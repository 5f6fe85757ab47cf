"""The exact answers of every catalogue query on the graph of the Amnesty document.

The expected values were worked out by reading data/records/amnesty-ua-2012-07-atabaev-released/*.yaml
(and the date rules in docs/data-model.md), not copied from the output. Long answers are checked
by their ids, counts and a few full rows; answers of a few rows are checked whole.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from zhanaozen_graph.sparql.queries import list_queries, run_query

BASE = "https://w3id.org/zhanaozen-graph/"
SOURCE = "amnesty-ua-2012-07-atabaev-released"
DATA = Path(__file__).resolve().parents[1] / "data"


def short(value: Any) -> Any:
    """A record IRI as its id; other values unchanged."""
    if isinstance(value, str) and value.startswith(BASE + "id/"):
        return value.rsplit("/", 1)[1]
    return value


def rows(kg: Any, name: str, **params: str) -> list[dict[str, Any]]:
    return [{k: short(v) for k, v in r.items()} for r in run_query(kg, name, params).records()]


def parts(value: str | None, sep: str = "; ") -> set[str]:
    return set(value.split(sep)) if value else set()


def test_every_catalogue_query_has_a_test_here() -> None:
    names = {q.name for q in list_queries()}
    tested = {n[len("test_") :].replace("_", "-") for n in globals() if n.startswith("test_")}
    assert names <= tested, f"untested: {sorted(names - tested)}"


def test_timeline(kg: Any) -> None:
    r = rows(kg, "timeline")
    assert len(r) == 55  # the 55 events of events.yaml
    # The speech "to striking workers in Zhanaozen in 2011" lies in 2011 and after the strikes began
    # (May 2011): 2011-05-01..2011-12-31, first. Then, from May 2011 up to the document's date
    # (2012-07-31), by label: "Bolat Atabaev speaks ..." < "... tries ..." < "... visits ..." (the visit
    # to "striking workers" has no date of its own: once the strikes had begun).
    assert [x["event"] for x in r[:4]] == [
        "atabaev-zhanaozen-speech",
        "atabaev-speaking-out",
        "atabaev-draws-attention",
        "atabaev-visits-zhanaozen",
    ]
    strikes = next(x for x in r if x["event"] == "strikes-begin")
    assert (strikes["earliest"], strikes["latest"], strikes["date"]) == (
        "2011-05-01",
        "2012-07-31",
        "2011-05/..",
    )
    assert {x["sources"] for x in r} == {SOURCE}
    assert [x["event"] for x in r[-3:]] == [
        "atabaev-press-conference",
        "ua-action-ended",
        "amnesty-monitoring",
    ]
    released = next(x for x in r if x["event"] == "atabaev-released")
    assert {k: released[k] for k in ("earliest", "latest", "date", "status", "type")} == {
        "earliest": "2012-07-03",
        "latest": "2012-07-03",
        "date": "2012-07-03T22:00:00",
        "status": "year-inferred",
        "type": "release",
    }
    assert parts(released["places"]) == {"Aktau", "Pre-trial Detention Centre Number One in Aktau"}
    assert released["participants"] == "Bolat Atabaev (detainee)"
    clashes = next(x for x in r if x["event"] == "zhanaozen-clashes")
    assert clashes["places"] == "Zhanaozen"
    assert parts(clashes["participants"]) == {
        "Protesters in Zhanaozen (participant)",
        "Police (participant)",
        "People killed in the clashes in Zhanaozen on 16 December 2011 (victim)",
        "People seriously injured in the clashes in Zhanaozen on 16 December 2011 (victim)",
    }
    communications = next(x for x in r if x["event"] == "communications-cut")
    assert communications["participants"] == ""  # the text does not say who cut them


def test_actor(kg: Any) -> None:
    r = rows(kg, "actor")
    assert {x["actor"] for x in r} == {"bolat-atabaev"}
    # 2 relationships, not 3: "he told journalists and supporters" does not say whose supporters they are,
    # so the supporters-support-Atabaev link is gone.
    assert Counter(x["what"] for x in r) == {"event": 16, "claim by": 2, "claim about": 3, "relationship": 2}
    events = {(x["item"], x["as"]) for x in r if x["what"] == "event"}
    assert events == {
        ("atabaev-speaking-out", "speaker"),
        ("atabaev-draws-attention", "speaker"),
        ("atabaev-visits-zhanaozen", "visitor"),
        ("atabaev-zhanaozen-speech", "speaker"),
        ("atabaev-protests-lethal-force", "speaker"),
        ("atabaev-charged", "defendant"),
        ("atabaev-arrested", "detainee"),
        ("atabaev-convoy", "traveller"),
        ("friend-intervenes", "beneficiary"),
        ("atabaev-writes-statement", "speaker"),
        ("statement-accepted", "defendant"),
        ("atabaev-charges-dropped", "witness"),
        ("atabaev-released", "detainee"),
        ("atabaev-flies-home", "traveller"),
        ("atabaev-press-conference", "speaker"),
        ("amnesty-monitoring", "beneficiary"),
    }
    assert {(x["item"], x["as"]) for x in r if x["what"] == "claim by"} == {
        ("atabaev-statement-admission", "testimony"),
        ("atabaev-press-conference-account", "testimony"),
    }
    assert {x["item"] for x in r if x["what"] == "claim about"} == {
        "amnesty-charges-unfounded",
        "amnesty-prisoner-of-conscience",
        "knb-prosecutor-accept-repentance",
    }
    assert {(x["item"], x["as"]) for x in r if x["what"] == "relationship"} == {
        ("atabaev-supports-striking-workers", "supports"),
        ("film-director-friend-of-atabaev", "is the object of friend_of"),
    }
    # Events in chronological order: the first is the speech "in 2011" "to striking workers", so not
    # before the strikes began in May 2011 (earliest 2011-05-01).
    assert next(x["earliest"] for x in r if x["what"] == "event") == "2011-05-01"


def test_actor_with_another_actor(kg: Any) -> None:
    r = rows(kg, "actor", actor="film-director-friend")
    assert [(x["what"], x["item"], x["as"]) for x in r] == [
        ("claim about", "atabaev-press-conference-account", "testimony"),
        ("event", "friend-intervenes", "intermediary"),
        ("relationship", "film-director-friend-of-atabaev", "friend_of"),
    ]


def test_detentions(kg: Any) -> None:
    r = rows(kg, "detentions")
    assert [(x["event"], x["detained"]) for x in r] == [
        # "arrested dozens of striking workers": the text does not say "when the authorities broke up the
        # protests", so the label says only what it does ("Dozens ..." now sorts first by label).
        ("strike-arrests", "Dozens of striking workers arrested by the authorities"),
        ("strike-arrests", "Opposition political party activists arrested during the strikes"),
        ("strike-arrests", "Trade union activists arrested during the strikes"),
        ("people-rounded-up", "Scores of people, including young women, rounded up after the violence"),
        ("over-130-detained-event", "The over 130 people detained for taking part in violent mass disorder"),
        ("sixteen-arrested-charged", "The 16 people arrested and charged with organizing the violence"),
        ("atabaev-arrested", "Bolat Atabaev"),
    ]
    atabaev = r[-1]
    assert (atabaev["earliest"], atabaev["latest"]) == ("2012-06-15", "2012-06-15")
    assert parts(atabaev["by"]) == {
        "KNB officers who arrested Bolat Atabaev",
        "Committee for National Security",
    }
    assert parts(atabaev["places"]) == {"Almaty", "Bolat Atabaev's home in Almaty"}
    assert atabaev["articles"] == "Article 164 of the Criminal Code of the Republic of Kazakhstan"
    assert r[0]["by"] == "The authorities (of Kazakhstan)"
    # "The authorities used excessive force to break up the protests and arrested dozens of striking
    # workers ...": the sentence says nowhere where (Mangistau Region is where the workers are).
    assert r[0]["places"] == ""
    assert r[0]["articles"] == ""
    assert (r[3]["earliest"], r[3]["latest"]) == (
        "2011-12-16",
        "2012-01-15",
    )  # before the reports "in the days following"
    assert r[3]["places"] == "Overcrowded police cells where detainees were reportedly kept incommunicado"


def test_claims_by_stance(kg: Any) -> None:
    r = rows(kg, "claims-by-stance")
    # "All pleaded self-defence" admits the act and justifies it: a justification, not a denial; the
    # only denial left is the Prosecutor General's Office's ("rejected the claims").
    assert Counter(x["stance"] for x in r) == {
        "allegation": 8,
        "assessment": 2,
        "denial": 1,
        "justification": 1,
        "official_position": 4,
        "testimony": 3,
    }
    assert [x["claim"] for x in r if x["stance"] == "denial"] == ["pgo-rejects-torture-claims"]
    assert [x["claim"] for x in r if x["stance"] == "justification"] == ["officers-self-defence"]
    self_defence = r[[x["claim"] for x in r].index("officers-self-defence")]
    assert self_defence == {
        "stance": "justification",
        "claim": "officers-self-defence",
        "label": "The police and security officers acted in self-defence",
        "claimedBy": "Police and security officers accused by the defendants, who testified at the trial",
        "madeDuring": "officers-testify",
        "quote": "All \n\npleaded self-defence",  # verbatim: the PDF text breaks the line there
    }
    rounded = next(x for x in r if x["claim"] == "detainees-rounded-up-incommunicado")
    assert parts(rounded["claimedBy"]) == {
        "Released detainees who reported ill-treatment after the violence",
        "Relatives of detainees who reported ill-treatment after the violence",
    }
    death = next(x for x in r if x["claim"] == "death-in-custody-alleged")
    assert death["madeDuring"] is None
    torture = next(x for x in r if x["claim"] == "defendants-torture-accounts")
    assert len(torture["quote"].split(" [...] ")) == 2


def test_allegations_and_responses(kg: Any) -> None:
    r = rows(kg, "allegations-and-responses")
    assert [
        (x["allegation"], x["allegationStance"], x["response"], x["responseStance"], x["respondedByLabels"])
        for x in r
    ] == [
        # "reviewed the allegations of torture ... but rejected the claims": the torture accounts only
        # (the duress of the confessions is not said to be among "the allegations of torture").
        (
            "defendants-torture-accounts",
            "allegation",
            "pgo-rejects-torture-claims",
            "denial",
            "Prosecutor General’s Office",
        ),
        # "some said they had not been ordered to open fire" answers a question ("when asked who had
        # given the order"), not the accusation: it responds to nothing; the self-defence does.
        (
            "officers-opened-fire-ill-treated",
            "allegation",
            "officers-self-defence",
            "justification",
            "Police and security officers accused by the defendants, who testified at the trial",
        ),
    ]
    assert parts(r[1]["allegedByLabels"]) == {
        "The 37 defendants of the main trial",
        "The defendants' lawyers",
    }


def test_events_at_place(kg: Any) -> None:
    r = rows(kg, "events-at-place")
    assert [(x["event"], x["at"], x["earliest"], x["latest"]) for x in r] == [
        # Between the arrest (15 June) and the release (3 July). The acceptance of his statement is no
        # longer here: "the Prosecutor's Office in the western city of Aktau" says where the office is,
        # not where it accepted the statement.
        ("atabaev-convoy", "aktau", "2012-06-15", "2012-07-03"),
        ("atabaev-released", "aktau", "2012-07-03", "2012-07-03"),
        ("atabaev-released", "aktau-detention-centre", "2012-07-03", "2012-07-03"),
        # "that night" after his release at 10pm: the night of 3 to 4 July.
        ("atabaev-flies-home", "aktau", "2012-07-03", "2012-07-04"),
    ]
    assert {x["place"] for x in r} == {"aktau"}


def test_events_at_place_follows_containment_of_every_depth(kg: Any) -> None:
    r = rows(kg, "events-at-place", place="mangistau-region")
    # 1 event in the region itself (the strikes, by "workers in ... Mangistau Region"; the legal action,
    # dismissals, breaking-up and arrests have no place in the text), 10 in Zhanaozen, 3 in Aktau (the
    # convoy, the release, the flight; the release also at its detention centre): 14 events, 15 rows.
    assert len({x["event"] for x in r}) == 14
    assert len(r) == 15
    assert Counter(x["at"] for x in r) == {
        "mangistau-region": 1,
        "zhanaozen": 10,
        "aktau": 3,
        "aktau-detention-centre": 1,
    }


def test_charges(kg: Any) -> None:
    r = rows(kg, "charges")
    assert [(x["event"], x["defendants"], x["prosecutors"], x["articles"]) for x in r] == [
        ("defendants-accused", "The 37 defendants of the main trial", "", ""),
        (
            "atabaev-charged",
            "Bolat Atabaev",
            "Committee for National Security",
            "Article 164 of the Criminal Code of the Republic of Kazakhstan",
        ),
        ("atabaev-charges-dropped", "", "", ""),  # he is now a witness, no longer a defendant
    ]
    assert (r[1]["earliest"], r[1]["latest"]) == ("2012-01-06", "2012-01-06")
    # Accused before the main trial, which started at the end of March 2012 and has no stated end:
    # "before: [main-trial]" bounds the accusation by the trial's latest day, the document's date.
    assert (r[0]["earliest"], r[0]["latest"]) == ("2011-12-16", "2012-07-31")


def test_legal_provisions(kg: Any) -> None:
    assert rows(kg, "legal-provisions") == [
        {
            "provision": "criminal-code-article-65",
            "code": "Criminal Code of the Republic of Kazakhstan",
            "number": "65",
            "title": "exemption from criminal liability due to active repentance",
            "event": "atabaev-released",
            "type": "release",
            "earliest": "2012-07-03",
            "latest": "2012-07-03",
        },
        {
            "provision": "criminal-code-article-164",
            "code": "Criminal Code of the Republic of Kazakhstan",
            "number": "164",
            "title": "inciting social discord",
            "event": "atabaev-charged",
            "type": "charge",
            "earliest": "2012-01-06",
            "latest": "2012-01-06",
        },
    ]


def test_between_dates(kg: Any) -> None:
    r = rows(kg, "between-dates")
    within = [x for x in r if x["certainty"] == "within"]
    assert [x["event"] for x in within] == [
        "firing-at-fleeing-protesters",
        "independence-celebrations",
        "lethal-force-used",  # "during violent clashes in Zhanaozen in December 2011": the day of the clashes
        "zhanaozen-clashes",
        "president-visit",
    ]
    assert r[: len(within)] == within  # certain events first
    possibly = {x["event"] for x in r if x["certainty"] == "possibly"}
    assert len(possibly) == 30  # with the strikes, which began in May 2011 and have no stated end
    assert {
        "atabaev-speaking-out",  # since mid-2011 and still going on at the time of the document
        "state-of-emergency",
        "atabaev-visits-zhanaozen",
        "defendants-accused",
        "people-rounded-up",
    } <= possibly
    assert "strikes-begin" in possibly
    assert not {"journalists-assaulted", "atabaev-charged", "main-trial"} & possibly
    assert {(x["start"], x["end"]) for x in r} == {("2011-12-01", "2011-12-31")}


def test_between_dates_with_other_bounds(kg: Any) -> None:
    r = rows(kg, "between-dates", start="2012-07-03", end="2012-07-03")
    # The flight home "that night" after 10pm may have left after midnight: possibly, not surely, on the 3rd.
    assert [(x["certainty"], x["event"]) for x in r if x["certainty"] == "within"] == [
        ("within", "atabaev-released")
    ]
    assert ("possibly", "atabaev-flies-home") in {(x["certainty"], x["event"]) for x in r}


def test_organisations(kg: Any) -> None:
    r = rows(kg, "organisations")
    # 36, not 38: the text never says the oil companies employ the strikers ("hundreds of striking
    # employees were dismissed" names no employer; the workers' "calls for the authorities and
    # employers" do not say which employers), so they keep only the legal action they "took".
    assert len(r) == 36
    assert Counter(x["organisation"] for x in r) == {
        "knb": 5,
        "aktau-prosecutors-office": 2,
        "prosecutor-generals-office": 5,
        "amnesty-international": 4,
        "ua-network": 1,
        "oil-companies": 1,
        "oil-gas-companies-national-regional": 1,
        "independent-trade-unions": 1,
        "opposition-political-parties": 1,
        "authorities": 5,
        "security-forces": 6,
        "police": 1,
        "special-commission": 1,
        "trial-court": 2,
    }
    idle = [x for x in r if x["what"] is None]
    assert {x["organisation"] for x in idle} == {
        "oil-gas-companies-national-regional",
        "opposition-political-parties",
    }
    knb = [(x["what"], x["item"], x["as"]) for x in r if x["organisation"] == "knb"]
    assert knb == [
        ("claim", "knb-prosecutor-accept-repentance", "official_position"),
        ("event", "atabaev-charged", "prosecutor"),
        ("event", "atabaev-arrested", "arresting_agency"),
        ("event", "friend-intervenes", "target"),
        ("event", "statement-accepted", "prosecutor"),
    ]


def test_quantities(kg: Any) -> None:
    r = rows(kg, "quantities")
    assert len(r) == 25  # 11 group sizes, 13 numbers on events, the distance of Almaty from Aktau
    assert {x["source"] for x in r} == {SOURCE}
    table = {
        (x["of"], x["measure"]): (
            x["qualifier"],
            x["value"],
            x["low"],
            x["best"],
            x["high"],
            x["unit"],
            x["quote"],
        )
        for x in r
    }
    # "at least 15": a lower bound only; no best value is invented.
    assert table[("zhanaozen-clashes", "killed")] == (
        "at_least", 15, 15, None, None, "people", "At least 15 people were killed",
    )  # fmt: skip
    # "more than 100" people: at least 101.
    assert table[("zhanaozen-clashes", "seriously injured")] == (
        "more_than", 100, 101, None, None, "people", "more than 100 seriously injured",
    )  # fmt: skip
    # "over 3,000 km away": the distance of Almaty from Aktau, not the flight's; km are not counted, so 3000.
    assert table[("almaty", "distance from Aktau")] == (
        "more_than", 3000, 3000, None, None, "km", "over 3,000 km away",
    )  # fmt: skip
    assert table[("seven-sentenced", "prison term")] == (
        "up_to",
        7,
        None,
        None,
        7,
        "years",
        "up to seven years",
    )
    # "Thousands": no number in the text, only the smallest the word implies.
    assert table[("striking-oil-workers", "workers")] == (
        "vague", None, 2000, None, None, "people", "Thousands of oil industry workers",
    )  # fmt: skip
    assert table[("state-of-emergency", "duration")] == (
        "exactly", 20, 20, 20, 20, "days", "20-\n\nday state of emergency",
    )  # fmt: skip


def test_evidence(kg: Any) -> None:
    r = rows(kg, "evidence")
    text = (DATA / "sources" / f"{SOURCE}.txt").read_text(encoding="utf-8")
    assert [x["start"] for x in r] == [40, 383, 915]
    assert [" ".join(x["exact"].split()) for x in r] == [
        "Prisoner of conscience Bolat Atabaev was released on 3 July.",
        "Prominent theatre director Bolat Atabaev was released under Article 65 of the Criminal Code of the "
        "Republic of Kazakhstan",
        "Bolat Atabaev walked free from Pre-trial Detention Centre Number One in Aktau at 10pm on 3 July.",
    ]
    for x in r:
        assert text[x["start"] : x["end"]] == x["exact"]
        assert text[: x["start"]].endswith(x["prefix"])
        assert text[x["end"] :].startswith(x["suffix"])
        assert x["source"] == SOURCE


def test_uncertain_dates(kg: Any) -> None:
    r = rows(kg, "uncertain-dates")
    # 55 events, 4 with a date the text states whole; the strikes ("began ... in May 2011") and the
    # main trial ("started at the end of March 2012") state their start only, so their end is derived.
    # 52, not 51: the visit to "striking workers" in Zhanaozen has no date of its own (the "in 2011"
    # belongs to the speech, in Atabaev's account): derived from the start of the strikes.
    assert len(r) == 52
    assert Counter(x["status"] for x in r) == {"derived": 40, "relative": 7, "year-inferred": 5}
    assert [x["event"] for x in r if x["status"] == "year-inferred"] == [
        "independence-celebrations",
        "zhanaozen-clashes",
        "president-visit",
        "atabaev-arrested",
        "atabaev-released",
    ]
    relative = {x["event"]: (x["relativeTo"], x["relation"]) for x in r if x["status"] == "relative"}
    assert relative == {
        "firing-at-fleeing-protesters": ("zhanaozen-clashes", "same_day"),
        "lethal-force-used": ("zhanaozen-clashes", "same_day"),
        "executives-governor-dismissed": ("president-visit", "after"),
        "detainees-report": ("zhanaozen-clashes", "days_after"),
        "atabaev-convoy": ("atabaev-arrested", "after"),
        "atabaev-flies-home": ("atabaev-released", "same_night"),  # "that night", after 10pm: 3-4 July
        "atabaev-press-conference": ("atabaev-released", "next_day"),
    }
    assert all(x["reason"] for x in r)
    press = next(x for x in r if x["event"] == "atabaev-press-conference")
    assert (press["earliest"], press["latest"]) == ("2012-07-04", "2012-07-04")


def test_co_participants(kg: Any) -> None:
    r = rows(kg, "co-participants")
    assert [(x["other"], x["shared"]) for x in r[:2]] == [("knb", 4), ("striking-oil-workers", 4)]
    assert parts(r[0]["events"]) == {
        "atabaev-charged",
        "atabaev-arrested",
        "friend-intervenes",
        "statement-accepted",
    }
    assert parts(r[1]["events"]) == {
        "atabaev-speaking-out",
        "atabaev-draws-attention",
        "atabaev-visits-zhanaozen",
        "atabaev-zhanaozen-speech",
    }
    assert {x["other"] for x in r[2:]} == {
        "authorities",
        "security-forces",
        "knb-officers",
        "film-director-friend",
        "aktau-prosecutors-office",
        "press-conference-journalists",
        "press-conference-supporters",
        "amnesty-international",
    }
    assert {x["shared"] for x in r[2:]} == {1}


def test_mentions(kg: Any) -> None:
    assert rows(kg, "mentions") == [
        {
            "entity": "knb",
            "source": SOURCE,
            "title": "Urgent Action: Bolat Atabaev released",
            "date": "2012-07",
            # The KNB's own quote (710-787), and 6 quotes of other records that name it ("KNB", "the
            # Committee for National Security"), in the four sentences that do: at 710 (the KNB and the
            # Prosecutor's Office accepted: 710-910), 1134 (the press conference: the friend intervened with
            # the KNB: 1134-1404, 1134-1523), 2162 (charges lodged by the KNB), 2317 (arrested by KNB
            # officers: 2317-2359, 2317-2399).
            "quotes": 7,
        }
    ]
    # His 4 own quotes (63, 186, 383, 2360), and 5 quotes of other records that name "Bolat Atabaev"
    # (at 40, 383-506, 915, 1530, 2162).
    assert rows(kg, "mentions", entity="bolat-atabaev")[0]["quotes"] == 9


def test_relationships(kg: Any) -> None:
    r = rows(kg, "relationships")
    # 9, not 13: four links the text does not state are gone: the UA network as a member of Amnesty,
    # the appeal senders as members of the UA network, the press-conference "supporters" as supporters
    # of Atabaev (whose supporters, the text does not say), the strikers as employees of the oil companies.
    assert len(r) == 9
    assert Counter(x["relation"] for x in r) == {
        "employed_by": 1,
        "friend_of": 1,
        "member_of": 2,
        "relative_of": 2,
        "represents": 1,
        "supports": 2,
    }
    assert r[[x["relationship"] for x in r].index("film-director-friend-of-atabaev")] == {
        "subjectLabel": "Friend of Bolat Atabaev, a fellow film director (not named)",
        "relation": "friend_of",
        "objectLabel": "Bolat Atabaev",
        # The friendship is Atabaev's word: the quote keeps "he told journalists ... that" (verbatim, with
        # the line breaks of the source text).
        "quote": "he told journalists and supporters that at first he \n\nhad refused to cooperate with the "
        "investigation and give testimony, but that on the advice of one of his friends, a \n\nfellow film director",
        "relationship": "film-director-friend-of-atabaev",
    }


def test_consequences(kg: Any) -> None:
    r = rows(kg, "consequences")
    assert {(x["later"], x["link"]) for x in r} == {
        ("state-of-emergency", "follows"),
        ("military-reinforcements-sent", "follows"),
        ("special-commission-set-up", "follows"),
        ("communications-cut", "follows"),
        ("president-visit", "follows"),
        ("video-footage-released", "follows"),
        ("executives-governor-dismissed", "follows"),  # through president-visit
        ("pgo-criminal-investigation", "follows"),  # through video-footage-released
        ("lethal-force-used", "part of"),
        ("firing-at-fleeing-protesters", "part of"),
    }
    assert r[0]["later"] == "firing-at-fleeing-protesters"  # 16 December 2011, first by id among that day's


def test_places(kg: Any) -> None:
    r = {x["place"]: x for x in rows(kg, "places")}
    assert len(r) == 11
    containment = {p: (x["containedIn"], x["containment"]) for p, x in r.items() if x["containedIn"]}
    assert containment == {
        "south-west-kazakhstan": ("kazakhstan", "stated"),
        "mangistau-region": ("kazakhstan", "stated"),
        "zhanaozen": ("mangistau-region", "external"),
        # The square is "the square" of the eyewitnesses' claim: the text does not say in which town.
        "aktau": ("mangistau-region", "external"),
        "aktau-detention-centre": ("aktau", "stated"),
        "almaty": ("kazakhstan", "external"),
        "atabaev-home": ("almaty", "stated"),
    }
    coordinates = {p: (float(x["lat"]), float(x["long"])) for p, x in r.items() if x["lat"]}
    assert coordinates == {
        "kazakhstan": (48.0, 68.0),
        "mangistau-region": (44.0, 54.0),
        "zhanaozen": (43.34, 52.86),
        "aktau": (43.65, 51.16),
        "almaty": (43.24, 76.89),
    }
    assert r["aktau-detention-centre"]["type"] == "facility"


def test_record(kg: Any) -> None:
    result = run_query(kg, "record")
    assert result.kind == "graph"
    triples = {
        (short(t.subject.value), short(t.predicate.value), short(t.object.value)) for t in result.triples
    }
    sem, rdfs, zg = (
        "http://semanticweb.cs.vu.nl/2009/11/sem/",
        "http://www.w3.org/2000/01/rdf-schema#",
        "https://w3id.org/zhanaozen-graph/ontology#",
    )
    assert ("atabaev-released", sem + "hasPlace", "aktau-detention-centre") in triples
    assert (
        "aktau-detention-centre",
        rdfs + "label",
        "Pre-trial Detention Centre Number One in Aktau",
    ) in triples
    assert ("atabaev-released", zg + "invokes", "criminal-code-article-65") in triples
    assert ("bolat-atabaev", rdfs + "label", "Bolat Atabaev") in triples
    assert (
        "bolat-atabaev-detainee",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#value",
        "bolat-atabaev",
    ) in triples
    assert not [t for t in triples if t[1] == zg + "evidence"]


# -- comparing sources (the graph of the Amnesty document with the two invented sources) -------


AMNESTY, STEPPE, CASPIAN = SOURCE, "steppe-rights-monitor-2011-12-20", "caspian-labour-bulletin-2012-07"


def test_by_source(kg: Any, many_kg: Any) -> None:
    r = rows(many_kg, "by-source", source=CASPIAN)
    # tests/fixtures/many-sources/records/caspian-labour-bulletin-2012-07/records.yaml, statement by statement
    assert [(x["record"], x["property"], x["value"]) for x in r] == [
        ("atabaev-released", "date", "2012-07-04"),
        ("atabaev-released", "participant", "Bolat Atabaev (detainee)"),
        ("zhanaozen-clashes", "date", "2011-12"),
        ("zhanaozen-clashes", "hasPlace", "Zhanaozen"),
        ("zhanaozen-clashes", "participant", "The security forces (perpetrator)"),
        ("zhanaozen-clashes", "quantity", "killed: exactly 12 people"),
        ("bolat-atabaev", "describedAs", "theatre director"),
    ]
    amnesty = rows(kg, "by-source")  # the default source: the Amnesty document
    assert ("atabaev-released", "date", "2012-07-03T22:00:00") in {
        (x["record"], x["property"], x["value"]) for x in amnesty
    }
    assert rows(many_kg, "by-source", source=AMNESTY) == amnesty


def test_corroboration(kg: Any, many_kg: Any) -> None:
    assert rows(kg, "corroboration") == []
    r = rows(many_kg, "corroboration")
    assert [
        (x["record"], x["property"], x["value"], x["count"], set(x["sources"].split("; "))) for x in r
    ] == [
        ("atabaev-released", "participant", "Bolat Atabaev (detainee)", 2, {AMNESTY, CASPIAN}),
        ("zhanaozen-clashes", "date", "2011-12-16", 2, {AMNESTY, STEPPE}),
        ("zhanaozen-clashes", "hasPlace", "Zhanaozen", 3, {AMNESTY, STEPPE, CASPIAN}),
        ("zhanaozen-clashes", "participant", "Police (participant)", 2, {AMNESTY, STEPPE}),
        ("bolat-atabaev", "describedAs", "theatre director", 2, {AMNESTY, CASPIAN}),
    ]


def test_event_lists_name_their_sources(many_kg: Any) -> None:
    # The release: reported by Amnesty and the Bulletin, whose dates conflict.
    uncertain = {x["event"]: x for x in rows(many_kg, "uncertain-dates")}
    assert uncertain["atabaev-released"]["status"] == "conflicting"
    assert parts(uncertain["atabaev-released"]["sources"]) == {AMNESTY, CASPIAN}
    assert (uncertain["atabaev-released"]["earliest"], uncertain["atabaev-released"]["latest"]) == (
        "2012-07-03",
        "2012-07-04",
    )


def test_conflicts(kg: Any, many_kg: Any) -> None:
    assert rows(kg, "conflicts") == []
    r = rows(many_kg, "conflicts")
    # 3 July (Amnesty) against 4 July (Bulletin); "12" killed (Bulletin) against "at least 15" and "at
    # least 16". Not conflicts: "at least 15" and "at least 16"; 16 December and mid-December.
    assert [(x["record"], x["what"], parts(x["values"])) for x in r] == [
        ("atabaev-released", "date", {f"{AMNESTY}: 2012-07-03T22:00:00", f"{CASPIAN}: 2012-07-04"}),
        (
            "zhanaozen-clashes",
            "killed (people)",
            {f"{AMNESTY}: at_least 15", f"{STEPPE}: at_least 16", f"{CASPIAN}: exactly 12"},
        ),
    ]
