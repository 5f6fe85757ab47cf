"""A synthetic corpus with the shape of the real data, for tests and benchmarks at scale.

Each generated document is a plain-text report written sentence by sentence together with its
records, so that every quote is taken verbatim from the text and every date text occurs in it:
the whole pipeline (loading, checks, quote verification, build) runs on the result unchanged.

The proportions follow the real corpus in ``data/`` (one Amnesty International Urgent Action,
counted when this module was written): per document about 55 events, 39 groups, 19 claims,
14 organisations, 13 relationships, 11 places, 5 people and 2 legal provisions; 1-4 participants
per event; 1-4 quotes per record (mostly one); dates mostly derived from other events (``after``,
``before``), some stated, year-inferred, relative or narrowed to part of a year. A few participants
and claim subjects refer to actors of earlier documents, so the corpus is connected.

Output is deterministic for a seed: each document draws from its own ``random.Random`` seeded with
``"<seed>:<index>"``, and nothing depends on dict order, the clock or the machine.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .errors import DataError

__all__ = ["SynthResult", "generate_corpus", "source_slug"]

T = TypeVar("T")

# Records per document in the real corpus (kind -> count); each document varies them by +-20 %.
RECORD_COUNTS = {
    "people": 5,
    "groups": 39,
    "organisations": 14,
    "places": 11,
    "legal_provisions": 2,
    "events": 55,
    "claims": 19,
    "relationships": 13,
}
# Distributions counted in the real corpus: value -> weight.
PARTICIPANTS = {0: 3, 1: 18, 2: 20, 3: 9, 4: 5}
QUOTES_PER_RECORD = {1: 129, 2: 21, 3: 6, 4: 2}
PLACES_PER_EVENT = {0: 31, 1: 19, 2: 5}
QUANTITIES_PER_EVENT = {0: 42, 1: 10, 2: 3}
DATE_SHAPES = {
    "after": 24,  # after: [earlier event], reason (derived)
    "between": 12,  # after + before + reason (derived)
    "stated": 6,  # edtf + text
    "year_inferred": 5,  # edtf + text (no year in the text) + year_inferred
    "relative": 6,  # relative: {to, relation} + text
    "part": 2,  # edtf year + part + text ("mid-2011")
}
ANCHOR_SHAPES = ("stated", "year_inferred", "part")
STANCES = {"allegation": 8, "official_position": 4, "testimony": 3, "assessment": 2, "denial": 2}
RELATIONS = {
    "member_of": 4,
    "supports": 3,
    "relative_of": 2,
    "employed_by": 2,
    "friend_of": 1,
    "represents": 1,
}
QUALIFIERS = {"vague": 5, "exactly": 3, "at_least": 2, "more_than": 2}
ROLES = {
    "victim": 13,
    "speaker": 9,
    "target": 9,
    "detainee": 8,
    "defendant": 8,
    "perpetrator": 7,
    "organiser": 5,
    "beneficiary": 5,
    "decision_maker": 5,
    "participant": 4,
    "reporter": 4,
    "dismissed": 3,
    "arresting_agency": 3,
    "audience": 3,
    "prosecutor": 3,
    "visitor": 2,
    "investigator": 2,
    "witness": 2,
}
# Event type -> (weight in the real corpus, the verb phrase the text uses).
EVENT_TYPES = {
    "arrest": (5, "arrested"),
    "speech": (5, "spoke out against"),
    "reporting": (4, "published a report on"),
    "crackdown": (3, "used excessive force against"),
    "violence": (3, "opened fire on"),
    "emergency_measure": (3, "imposed a curfew on"),
    "charge": (3, "lodged charges against"),
    "testimony": (3, "testified about"),
    "advocacy": (3, "campaigned on behalf of"),
    "labour_action": (2, "went on strike together with"),
    "legal_action": (2, "took legal action against"),
    "dismissal": (2, "dismissed"),
    "sentence": (2, "sentenced"),
    "visit": (2, "visited"),
    "investigation": (2, "opened an investigation into"),
    "travel": (2, "travelled with"),
    "assault": (1, "assaulted"),
    "trial": (1, "put on trial"),
    "release": (1, "released"),
    "press_conference": (1, "held a press conference with"),
}
PLACE_TYPES = ("country", "region", "city", "city", "site", "facility", "facility", "area")
MONTHS = list(calendar.month_name)[1:]
PARTS = {"early": "early", "mid": "mid-", "end": "the end of"}
RELATIVE_TEXTS = {
    "same_day": "that same day",
    "next_day": "the next day",
    "days_after": "in the days that followed",
    "after": "some time afterwards",
}
SYLLABLES = [
    "ka",
    "ra",
    "lo",
    "mi",
    "sen",
    "tor",
    "bek",
    "ai",
    "dar",
    "nu",
    "zhan",
    "ol",
    "er",
    "in",
    "ga",
    "sa",
    "ty",
    "mur",
    "al",
    "ba",
    "ne",
    "vi",
    "to",
    "ku",
]
GROUP_NOUNS = (
    "striking workers",
    "protesters",
    "detained activists",
    "relatives of detainees",
    "journalists",
    "human rights monitors",
    "villagers",
    "students",
    "defendants",
    "police officers",
    "security officers",
    "eyewitnesses",
    "teachers",
    "miners",
)
ORG_KINDS = (
    "Prosecutor's Office",
    "Committee for National Security",
    "Trade Union",
    "Oil Company",
    "Regional Court",
    "Human Rights Bureau",
    "Interior Ministry",
    "Press Agency",
)
OCCUPATIONS = ("teacher", "lawyer", "journalist", "theatre director", "trade union leader", "oil worker")
FILLER = (
    "The authorities did not respond to requests for comment.",
    "Further details could not be confirmed.",
    "The situation remained tense for several weeks.",
    "Local media reported little about these events.",
    "Access to the area was restricted.",
)


def source_slug(index: int) -> str:
    """The source id (file stem) of the ``index``-th generated document.

    Examples
    --------
    >>> source_slug(7)
    'synth-00007'
    """
    return f"synth-{index:05d}"


@dataclass(frozen=True)
class SynthResult:
    """What :func:`generate_corpus` wrote."""

    out_dir: Path
    documents: int
    records: int
    quotes: int
    files: int


@dataclass
class _Doc:
    """One document being written: its sentences and its records by section."""

    index: int
    rng: random.Random
    sentences: list[str] = field(default_factory=list)
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    earlier_used: set[str] = field(default_factory=set)
    _said: dict[str, int] = field(default_factory=dict)
    _clauses: dict[str, list[str]] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return source_slug(self.index)

    def rid(self, kind: str, n: int) -> str:
        return f"d{self.index:05d}-{kind}-{n}"

    def say(self, sentence: str) -> str:
        """Add a sentence to the text, made unique: a quote must identify one place in the document."""
        if sentence in self._said:
            self._said[sentence] += 1
            sentence = f"{sentence.rstrip('.')} (mention {self._said[sentence]})."
        self._said[sentence] = 1
        self.sentences.append(sentence)
        return sentence

    def fragment(self, sentence: str) -> str:
        """The whole sentence or its opening clause (see :func:`_fragment`), remembered for :meth:`settle`."""
        quote = _fragment(sentence, self.rng)
        if quote != sentence:
            self._clauses.setdefault(quote, []).append(sentence)
        return quote

    def settle(self) -> None:
        """Replace a clause quoted from a sentence by the whole sentence where the clause recurs."""
        text = " ".join(self.sentences)
        for records in self.sections.values():
            for rec in records:
                quotes = rec.get("evidence")
                if not isinstance(quotes, list):
                    continue
                for i, quote in enumerate(quotes):
                    if quote in self._clauses and text.count(quote) > 1 and self._clauses[quote]:
                        quotes[i] = self._clauses[quote].pop(0)

    def add(self, section: str, record: dict[str, Any]) -> dict[str, Any]:
        self.sections.setdefault(section, []).append(record)
        self.labels[record["id"]] = record.get("label", record["id"])
        return record


def _pick(rng: random.Random, weights: dict[T, int]) -> T:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _vary(rng: random.Random, n: int) -> int:
    return max(2, round(n * rng.uniform(0.8, 1.2)))


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class _Block(list[str]):
    """A list the YAML writer puts one item a line (evidence), as curators write it."""


def _fragment(sentence: str, rng: random.Random) -> str:
    """The whole sentence or a clause of it, as a curator would quote it."""
    clauses = [c.strip() for c in sentence.rstrip(".").split(",") if len(c.strip()) > 20]
    if len(clauses) > 1 and rng.random() < 0.4 and sentence.startswith(clauses[0]):
        return clauses[0]  # the opening clause, which names the record (a later one may recur)
    return sentence


MENTIONS = (
    "Reports about {} were confirmed by relatives.",
    "Lawyers referred to {} in their appeal.",
    "Local journalists wrote about {} at the time.",
)


def _evidence(doc: _Doc, first: str, what: str) -> list[str]:
    """The record's quotes: its own sentence, plus further sentences that mention it."""
    quotes = _Block([doc.fragment(first)])
    for template in MENTIONS[: _pick(doc.rng, QUOTES_PER_RECORD) - 1]:
        quotes.append(doc.say(template.format(what)))
    return quotes


def _places(doc: _Doc) -> list[str]:
    rng = doc.rng
    ids: list[str] = []
    for n in range(1, _vary(rng, RECORD_COUNTS["places"]) + 1):
        pid = doc.rid("place", n)
        ptype = "country" if n == 1 else ("region" if n == 2 else rng.choice(PLACE_TYPES[2:]))
        name = _name(rng, 3 if ptype == "country" else 2)
        label = f"{name} Region" if ptype == "region" else name
        rec: dict[str, Any] = {"id": pid, "label": label}
        if rng.random() < 0.1:
            rec["aliases"] = [f"Republic of {name}" if ptype == "country" else f"{name}sk"]
            doc.say(f"{label}, also known as {rec['aliases'][0]}, lies far from the capital.")
        rec["place_type"] = ptype
        sentence = f"People in {label} described what they had seen."
        if ids and rng.random() < 0.45:
            parent = ids[0] if ptype == "region" else rng.choice(ids[:2])
            rec["contained_in"] = parent
            sentence = f"{label}, in {doc.labels[parent]}, was at the centre of the events."
        elif ids and rng.random() < 0.5:
            rec["contained_in_external"] = ids[0]
        if ptype in ("country", "region", "city") and rng.random() < 0.6:
            rec["coordinates"] = {"lat": round(rng.uniform(40, 50), 2), "long": round(rng.uniform(50, 80), 2)}
        if rng.random() < 0.25:
            rec["same_as"] = [f"http://www.wikidata.org/entity/Q{rng.randrange(10_000, 9_999_999)}"]
        if rng.random() < 0.5:
            rec["description"] = f"A {ptype} where the reported events took place."
        rec["evidence"] = _Block([doc.fragment(doc.say(sentence))])
        doc.add("places", rec)
        ids.append(pid)
    return ids


def _actors(doc: _Doc, places: list[str]) -> dict[str, list[str]]:
    rng = doc.rng
    ids: dict[str, list[str]] = {"people": [], "groups": [], "organisations": []}
    publisher = doc.rid("organisation", 1)
    for section, kind in (("organisations", "organisation"), ("people", "person"), ("groups", "group")):
        for n in range(1, _vary(rng, RECORD_COUNTS[section]) + 1):
            rid = doc.rid(kind, n)
            place = doc.labels[rng.choice(places)]
            rec: dict[str, Any] = {"id": rid}
            if rid == publisher:
                label = f"{_name(rng)} Watch"
                first = doc.say(f"{label} will continue to monitor this case and take further action.")
            elif kind == "organisation":
                label = f"The {rng.choice(ORG_KINDS)} of {place}"
                first = doc.say(f"{label} was involved in the events described here.")
            elif kind == "person":
                label = f"{_name(rng)} {_name(rng, 3)}"
                job = rng.choice(OCCUPATIONS)
                first = doc.say(f"{label}, a {job} from {place}, has spoken out since the protests began.")
            else:
                label = f"{rng.choice(GROUP_NOUNS).capitalize()} in {place}"
                first = doc.say(f"{label} were caught up in the events, witnesses said.")
            rec["label"] = label
            if kind == "person":
                rec["roles"] = [job]
            if rng.random() < 0.07:
                alias = f"{label.split()[0]} {_name(rng)}"
                rec["aliases"] = [alias]
                doc.say(f"{label} is also referred to as {alias} in official statements.")
            if rng.random() < 0.24:
                rec["description"] = f"Named in the report as {label}."
            if ids["organisations"] and kind != "organisation" and rng.random() < 0.14:
                rec["member_of"] = [rng.choice(ids["organisations"])]
            if rng.random() < 0.05:
                rec["based_in"] = [rng.choice(places)]
            if kind == "organisation" and rng.random() < 0.1:
                rec["same_as"] = [f"http://www.wikidata.org/entity/Q{rng.randrange(10_000, 9_999_999)}"]
            if kind == "group" and rng.random() < 0.28:
                value = rng.choice((7, 15, 24, 37, 100, 130, 200, 2000))
                qualifier = _pick(rng, QUALIFIERS)
                words = {
                    "vague": "Dozens of",
                    "exactly": "Exactly",
                    "at_least": "At least",
                    "more_than": "More than",
                }
                quote = doc.say(f"{words[qualifier]} {value} people were among {_lower_first(label)}.")
                rec["size"] = [
                    {
                        "measure": "people",
                        "value": value,
                        "qualifier": qualifier,
                        "unit": "people",
                        "quote": quote,
                    }
                ]
            rec["evidence"] = _evidence(doc, first, label)
            doc.add(section, rec)
            ids[section].append(rid)
    return ids


def _legal(doc: _Doc) -> list[str]:
    ids = []
    for n in range(1, RECORD_COUNTS["legal_provisions"] + 1):
        number = str(doc.rng.randrange(50, 400))
        title = doc.rng.choice(("inciting social discord", "organising mass disorder", "abuse of office"))
        code = f"Criminal Code of {doc.labels[doc.rid('place', 1)]}"
        quote = doc.say(f"The charges were brought under article {number} (“{title}”) of the {code}.")
        ids.append(
            doc.add(
                "legal_provisions",
                {
                    "id": doc.rid("law", n),
                    "label": f"Article {number} of the {code}",
                    "title": title,
                    "code": code,
                    "number": number,
                    "evidence": _Block([quote]),
                },
            )["id"]
        )
    return ids


@dataclass
class _Dated:
    """An event's date spec and its earliest bound (to keep ``after``/``before`` consistent)."""

    rid: str
    earliest: dt.date
    anchor: bool


def _anchor_date(doc: _Doc, shape: str, day: dt.date) -> tuple[dict[str, Any], dt.date, str]:
    """A stated date for ``day`` in the given shape: the spec, its earliest bound, the words."""
    d = f"{day.day} {MONTHS[day.month - 1]}"
    if shape == "year_inferred":
        spec = {"edtf": day.isoformat(), "text": d, "year_inferred": "The year is that of the report."}
        return spec, day, f"on {d}"
    if shape == "part":
        part = "mid" if 5 <= day.month <= 8 else ("early" if day.month <= 4 else "end")
        text = f"{PARTS[part]}{'' if part == 'mid' else ' '}{day.year}"
        first = {"early": 1, "mid": 5, "end": 9}[part]
        return {"edtf": str(day.year), "part": part, "text": text}, dt.date(day.year, first, 1), f"in {text}"
    precision = doc.rng.choice(("day", "day", "month"))
    if precision == "month":
        text = f"{MONTHS[day.month - 1]} {day.year}"
        return {"edtf": f"{day.year}-{day.month:02d}", "text": text}, day.replace(day=1), f"in {text}"
    text = f"{d} {day.year}"
    return {"edtf": day.isoformat(), "text": text}, day, f"on {text}"


def _events(
    doc: _Doc, places: list[str], actors: list[str], laws: list[str], report: dt.date, earlier: list[str]
) -> tuple[list[str], str]:
    """Write the events in chronological order; return their ids and the last anchor's id."""
    rng = doc.rng
    count = _vary(rng, RECORD_COUNTS["events"])
    shapes = [_pick(rng, DATE_SHAPES) for _ in range(count)]
    shapes[0], shapes[-1] = "stated", "stated"  # every document has dates to hang the others on
    day = report - dt.timedelta(days=rng.randrange(300, 500))
    dated: list[_Dated] = []
    ids: list[str] = []
    last_anchor = ""
    for n, shape in enumerate(shapes, start=1):
        rid = doc.rid("event", n)
        etype = _pick(rng, {k: w for k, (w, _) in EVENT_TYPES.items()})
        anchors = [d for d in dated if d.anchor]
        when = ""
        if shape in ANCHOR_SHAPES:
            day = min(day + dt.timedelta(days=rng.randrange(3, 20)), report)
            spec, earliest, when = _anchor_date(doc, shape, day)
            dated.append(_Dated(rid, earliest, anchor=True))
            last_anchor = rid
        elif shape == "relative":
            ref = anchors[-1]
            relation = rng.choice(tuple(RELATIVE_TEXTS))
            when = RELATIVE_TEXTS[relation]
            spec = {"relative": {"to": ref.rid, "relation": relation}, "text": when}
            offset = 1 if relation == "next_day" else 0
            dated.append(_Dated(rid, ref.earliest + dt.timedelta(days=offset), anchor=False))
        else:
            ref = rng.choice(dated[-6:])
            spec = {"after": [ref.rid]}
            reason = f"The text reports it after {_lower_first(doc.labels[ref.rid])}; it gives no date."
            dated.append(_Dated(rid, ref.earliest, anchor=False))
            if shape == "between":
                spec["before"] = ["source"]
                reason += " It happened before the report was written."
            spec["reason"] = reason
        parts = [
            {"actor": rng.choice(actors), "role": _pick(rng, ROLES)} for _ in range(_pick(rng, PARTICIPANTS))
        ]
        if earlier and parts and rng.random() < 0.1:
            parts.append({"actor": rng.choice(earlier), "role": "participant"})
            doc.earlier_used.add(parts[-1]["actor"])
        parts = list({(p["actor"], p["role"]): p for p in parts}.values())
        subject = doc.labels.get(parts[0]["actor"], "") if parts else ""
        subject = subject or f"The authorities of {doc.labels[places[0]]}"
        obj = (
            doc.labels.get(parts[1]["actor"], "the local population")
            if len(parts) > 1
            else "the local population"
        )
        where = [rng.choice(places) for _ in range(_pick(rng, PLACES_PER_EVENT))]
        where = sorted(set(where), key=where.index)
        at = f" in {doc.labels[where[0]]}" if where else ""
        verb = EVENT_TYPES[etype][1]
        sentence = doc.say(f"{subject} {verb} {obj}{at}{' ' + when if when else ''}.")
        label = f"{subject} {verb} {obj}{at}"
        rec: dict[str, Any] = {"id": rid, "type": etype, "label": label, "date": spec}
        if where:
            rec["places"] = where
        if parts:
            rec["participants"] = parts
        quantities = []
        for _ in range(_pick(rng, QUANTITIES_PER_EVENT)):
            value = rng.choice((3, 15, 24, 100, 130))
            qualifier = _pick(rng, QUALIFIERS)
            quote = doc.say(f"In all, {value} people were affected when {_lower_first(label)}.")
            quantities.append(
                {
                    "measure": "affected",
                    "value": value,
                    "qualifier": qualifier,
                    "unit": "people",
                    "quote": quote,
                }
            )
        if quantities:
            rec["quantities"] = quantities
        if shape == "relative" and spec["relative"]["relation"] == "same_day" and rng.random() < 0.6:
            rec["part_of"] = spec["relative"]["to"]  # the same day as its parent: within its bounds
        if ids and rng.random() < 0.4:
            rec["follows"] = [ids[-1]]
        if laws and etype in ("charge", "trial", "sentence", "release"):
            rec["legal_basis"] = [rng.choice(laws)]
        rec["evidence"] = _evidence(doc, sentence, f"what happened when {_lower_first(label)}")
        doc.add("events", rec)
        ids.append(rid)
    return ids, last_anchor


def _claims(doc: _Doc, actors: list[str], events: list[str], earlier: list[str]) -> None:
    rng = doc.rng
    ids: list[str] = []
    verbs = {
        "allegation": "alleged that",
        "official_position": "stated officially that",
        "testimony": "testified that",
        "assessment": "concluded that",
        "denial": "denied that",
    }
    for n in range(1, _vary(rng, RECORD_COUNTS["claims"]) + 1):
        rid = doc.rid("claim", n)
        stance = _pick(rng, STANCES)
        by = sorted({rng.choice(actors) for _ in range(rng.choice((1, 1, 1, 2)))})
        event = rng.choice(events)
        about = sorted({event, *(rng.choice(actors + events) for _ in range(rng.choice((1, 1, 2, 3))))})
        if earlier and rng.random() < 0.05:
            about.append(rng.choice(earlier))
            doc.earlier_used.add(about[-1])
        what = doc.labels[event]
        sentence = doc.say(f"{doc.labels[by[0]]} {verbs[stance]} {_lower_first(what)}.")
        rec: dict[str, Any] = {
            "id": rid,
            "stance": stance,
            "label": f"{doc.labels[by[0]]} {verbs[stance]} {_lower_first(what)}",
            "claimed_by": by,
            "about": about,
        }
        if rng.random() < 0.8:
            rec["made_during"] = rng.choice(events)
        if ids and rng.random() < 0.2:
            rec["responds_to"] = [rng.choice(ids)]
        rec["evidence"] = _evidence(doc, sentence, f"the claim that {_lower_first(what)}")
        doc.add("claims", rec)
        ids.append(rid)


def _relationships(doc: _Doc, actors: list[str], orgs: list[str]) -> None:
    rng = doc.rng
    words = {
        "member_of": "is a member of",
        "supports": "supports",
        "relative_of": "is related to",
        "employed_by": "works for",
        "friend_of": "is a friend of",
        "represents": "represents",
    }
    for n in range(1, _vary(rng, RECORD_COUNTS["relationships"]) + 1):
        relation = _pick(rng, RELATIONS)
        subject = rng.choice(actors)
        obj = rng.choice(orgs if relation in ("member_of", "employed_by") else actors)
        sentence = doc.say(f"{doc.labels[subject]} {words[relation]} {doc.labels[obj]}.")
        doc.add(
            "relationships",
            {
                "id": doc.rid("relationship", n),
                "subject": subject,
                "relation": relation,
                "object": obj,
                "evidence": _Block([sentence]),
            },
        )


def _document(index: int, seed: int) -> _Doc:
    rng = random.Random(f"{seed}:{index}")
    doc = _Doc(index=index, rng=rng)
    report = dt.date(2005 + index % 15, rng.randrange(1, 13), 1)
    # Actors of earlier documents that this one mentions again (ids that always exist).
    earlier = [f"d{j:05d}-person-1" for j in range(max(0, index - 3), index)]
    places = _places(doc)
    actors = _actors(doc, places)
    laws = _legal(doc)
    all_actors = actors["people"] + actors["groups"] + actors["organisations"]
    events, last_anchor = _events(doc, places, all_actors, laws, report, earlier)
    _claims(doc, all_actors, events, earlier)
    _relationships(doc, all_actors, actors["organisations"])
    # A person of an earlier report that this one speaks of again: a block of this source about it.
    for rid in sorted(doc.earlier_used):
        sentence = doc.say(
            f"The report returns to the case of the person recorded as {rid} in an earlier report."
        )
        doc.sections.setdefault("people", []).append({"about": rid, "evidence": _Block([sentence])})
    for filler in rng.sample(FILLER, rng.randrange(1, len(FILLER))):
        doc.say(filler)
    doc.settle()
    doc.sections["_meta"] = [
        {
            "id": doc.slug,
            "title": f"Urgent Action: {doc.labels[doc.rid('person', 1)]} (synthetic report {index})",
            "publisher": doc.rid("organisation", 1),
            "kind": "Urgent Action update",
            "language": "en",
            "file": f"{doc.slug}.txt",
            "date": {
                "edtf": f"{report.year}-{report.month:02d}",
                "after": [last_anchor],
                "year_inferred": "A synthetic report, dated by its catalogue number.",
            },
        }
    ]
    return doc


def _text(doc: _Doc) -> str:
    """The document's text: a heading, then paragraphs wrapped like an extracted PDF."""
    lines = ["URGENT ACTION", f"SYNTHETIC REPORT {doc.index}", ""]
    rng = doc.rng
    i = 0
    while i < len(doc.sentences):
        size = rng.randrange(3, 8)
        paragraph = " ".join(doc.sentences[i : i + size])
        lines.extend(textwrap.wrap(paragraph, width=rng.randrange(80, 115), break_on_hyphens=False))
        lines.append("")
        i += size
    return "\n".join(lines)


RECORD_FILES = {
    "actors.yaml": ("people", "groups", "organisations"),
    "places.yaml": ("places",),
    "legal.yaml": ("legal_provisions",),
    "events.yaml": ("events",),
    "claims.yaml": ("claims",),
    "relationships.yaml": ("relationships",),
}


def generate_corpus(
    out_dir: Path | str,
    documents: int,
    seed: int = 0,
    *,
    progress: Callable[[int], None] | None = None,
) -> SynthResult:
    """Write a synthetic corpus of ``documents`` reports to ``out_dir`` (``sources/`` and ``records/``).

    Parameters
    ----------
    out_dir
        A new or empty directory.
    documents
        How many documents to write; each gives about 6,500 triples (30 documents, seed 1:
        195,932 triples).
    seed
        The same seed writes the same files, byte for byte.
    progress
        Called with 1 after each document is written (a progress bar's ``advance``).

    Raises
    ------
    DataError
        ``out_dir`` already holds a corpus, or ``documents`` is not positive.

    Examples
    --------
    >>> import tempfile
    >>> from zhanaozen_graph.records.load import load_dataset
    >>> from zhanaozen_graph.records.validate import check_dataset
    >>> result = generate_corpus(tempfile.mkdtemp(), documents=2, seed=1)
    >>> result.documents, result.files
    (2, 16)
    >>> check_dataset(load_dataset(result.out_dir)).valid
    True
    """
    import yaml

    from .graph.build import atomic_write

    out = Path(out_dir)
    if documents < 1:
        raise DataError(f"cannot write {documents} documents", hint="give --documents 1 or more")
    for sub in ("sources", "records"):
        if (out / sub).exists() and any((out / sub).iterdir()):
            raise DataError(
                f"{sub}/ is not empty", path=out, hint="write the corpus to a new or empty directory"
            )

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        """The fast YAML writer, with evidence one quote a line."""

    Dumper.add_representer(
        _Block, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=False)
    )
    records = quotes = files = 0

    def dump(data: Any) -> str:
        return str(
            yaml.dump(
                data,
                Dumper=Dumper,
                sort_keys=False,
                allow_unicode=True,
                width=1000,
                default_flow_style=None,
            )
        )

    for index in range(documents):
        doc = _document(index, seed)
        slug = doc.slug
        with atomic_write(out / "sources" / f"{slug}.txt") as fh:
            fh.write(_text(doc))
        with atomic_write(out / "sources" / f"{slug}.yaml") as fh:
            fh.write(f"# Synthetic source metadata (zhanaozen-graph synth, seed {seed}).\n")
            fh.write(dump(doc.sections["_meta"][0]))
        files += 2
        for name, sections in RECORD_FILES.items():
            body = {s: doc.sections[s] for s in sections if doc.sections.get(s)}
            with atomic_write(out / "records" / slug / name) as fh:
                fh.write(f"# Synthetic records (zhanaozen-graph synth, seed {seed}).\n")
                fh.write(dump({"source": slug, **body}))
            files += 1
            for items in body.values():
                records += len(items)
                quotes += sum(len(r["evidence"]) for r in items)
        if progress is not None:
            progress(1)
    return SynthResult(out_dir=out, documents=documents, records=records, quotes=quotes, files=files)
