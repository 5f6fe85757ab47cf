"""Propose records for a source document, in the records' own format, each marked proposed with its quote."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError
from ..graph.build import atomic_write
from ..records.evidence import SourceIndex, sentences
from ..records.load import Dataset, default_data_dir, load_dataset
from ..records.model import ACTOR_KINDS, get_model
from .coref import Profiles, find_references
from .mentions import Mention, NameIndex, find_candidates, find_mentions, tokens
from .quantities import FoundQuantity, find_quantities
from .temporal import FoundDate, bounds_of, find_dates

__all__ = ["Proposals", "proposals_path", "propose", "rejected_ids", "write_proposals"]

SECTIONS = {
    "Person": "people",
    "Group": "groups",
    "Organisation": "organisations",
    "Place": "places",
    "LegalProvision": "legal_provisions",
}
_A_KIND = {
    "Person": "a person",
    "Group": "a group",
    "Organisation": "an organisation",
    "Place": "a place",
    "LegalProvision": "a legal provision",
}
ORDER = [*SECTIONS.values(), "events", "claims", "dates", "quantities"]
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those"})
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being)\b")


@dataclass
class Proposals:
    """What :func:`propose` found in a source: entries by section, each with a ``proposal`` mapping.

    ``sections`` maps ``people``, ``groups``, ``organisations``, ``places``, ``legal_provisions``,
    ``events``, ``claims``, ``dates`` and ``quantities`` to lists of entries in the records' own
    format; every entry has ``proposal: {id, status: proposed, what, quote, start, end, reason}``.
    """

    source: str
    text: str
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def entries(self, what: str | None = None) -> list[dict[str, Any]]:
        """Every entry (or those whose ``proposal.what`` is ``what``), in section order."""
        out = [e for s in ORDER for e in self.sections.get(s, [])]
        return [e for e in out if what is None or e["proposal"]["what"] == what]

    def to_yaml(self) -> str:
        """The proposals file: ``source:``, then one list per section (empty sections left out)."""
        doc: dict[str, Any] = {"source": self.source}
        for section in ORDER:
            if self.sections.get(section):
                doc[section] = self.sections[section]
        head = (
            f"# Proposals for {self.source}, written by `zhanaozen-graph propose`. Nothing here is a fact:\n"
            "# each entry is proposed (proposal.status) until a person accepts it into data/records/.\n"
        )
        # libyaml's emitter writes the same bytes as the pure-Python one here, ~6x faster (measured on the
        # Amnesty proposals: 0.05 s against 0.30 s of CPU); the pure-Python one where libyaml is missing
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return head + yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=110)


@cache
def _triggers() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Trigger phrases by first word: (words, event type), longest first."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for etype, phrases in get_model().extraction["event_triggers"].items():
        for phrase in phrases:
            words = tuple(t for t, _, _ in tokens(str(phrase).lower()))
            out.setdefault(words[0], []).append((words, etype))
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[0]))
    return out


@cache
def _speech() -> tuple[re.Pattern[str], list[str], dict[str, str]]:
    """One pattern for every reported-speech cue; a cue "told ... that" allows words between."""
    cues: dict[str, str] = get_model().extraction["reported_speech"]
    keys = sorted(cues, key=len, reverse=True)
    alternatives = []
    for k, cue in enumerate(keys):
        parts = [r"\s+".join(re.escape(w) for w in part.split()) for part in cue.split("...")]
        alternatives.append(f"(?P<c{k}>" + r"\b[^.;]{0,120}?\b".join(parts) + ")")
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE), keys, cues


@cache
def _unattributed() -> re.Pattern[str]:
    cues = get_model().extraction["unattributed_speech"]
    alternatives = [r"\s+".join(re.escape(w) for w in str(c).split()) for c in cues]
    return re.compile(r"\b(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")\b", re.I)


def proposals_path(slug: str, data_dir: Path | str | None = None) -> Path:
    """``data/proposals/SLUG.yaml``."""
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    return root / "proposals" / f"{slug}.yaml"


def rejected_ids(slug: str, data_dir: Path | str | None = None) -> set[str]:
    """The ids of proposals a person rejected (``data/proposals/SLUG.rejected.yaml``), never proposed again."""
    path = proposals_path(slug, data_dir).with_suffix(".rejected.yaml")
    if not path.exists():
        return set()
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(r["id"]) for r in doc.get("rejected", []) if isinstance(r, dict) and "id" in r}


def propose(
    slug: str,
    data_dir: Path | str | None = None,
    *,
    dataset: Dataset | None = None,
    own_records: bool = True,
) -> Proposals:
    """Propose records for source ``slug``: mentions, new entities, dates, quantities, events, claims.

    Parameters
    ----------
    slug
        The source's id (``data/sources/SLUG.txt``).
    data_dir
        The data directory; its register names the entities to look for.
    dataset
        An already loaded dataset (``data_dir`` is then ignored).
    own_records
        Use the aliases this source's own record files give (``False``: only the register's and other
        sources', as for a document nobody has read yet; the benchmark measures both).

    Returns
    -------
    Proposals
        Entries in the records' own format, each with ``proposal.status: proposed``; those a person
        rejected before are left out.

    Raises
    ------
    DataError
        When no source ``slug`` exists.

    Examples
    --------
    >>> p = propose("amnesty-ua-2012-07-atabaev-released")
    >>> e = p.entries("event")[0]
    >>> e["type"], e["date"]["edtf"], e["proposal"]["quote"]
    ('release', '2012-07-03', 'Prisoner of conscience Bolat Atabaev was released on 3 July.')
    """
    ds = dataset if dataset is not None else load_dataset(data_dir)
    if slug not in ds.sources:
        raise DataError(
            f"no source {slug!r}",
            path=ds.root / "sources",
            hint="add it with `zhanaozen-graph add-source`; sources: " + ", ".join(sorted(ds.sources)),
        )
    source = ds.sources[slug]
    text = source.text
    date = source.meta.get("date")
    doc_date = str(date.get("edtf")) if isinstance(date, dict) and date.get("edtf") else None
    return _Proposer(ds, slug, text, doc_date, own_records, rejected_ids(slug, ds.root)).run()


def write_proposals(proposals: Proposals, data_dir: Path | str | None = None) -> Path:
    """Write ``data/proposals/SLUG.yaml`` atomically and return its path."""
    path = proposals_path(proposals.source, data_dir)
    with atomic_write(path) as fh:
        fh.write(proposals.to_yaml())
    return path


class _Proposer:
    def __init__(
        self, ds: Dataset, slug: str, text: str, doc_date: str | None, own: bool, rejected: set[str]
    ):
        self.ds, self.slug, self.text, self.doc_date, self.rejected = ds, slug, text, doc_date, rejected
        self.index = NameIndex.from_dataset(ds, exclude_source=None if own else slug)
        self.profiles = Profiles.from_dataset(ds)
        self.out: dict[str, list[dict[str, Any]]] = {s: [] for s in ORDER}
        self.sentences = [(a, b) for a, b in sentences(text) if not text[a:b].strip().isupper()]
        self.used_ids: set[str] = set(ds.records)
        self.next_suffix: dict[str, int] = {}
        self.sentence_starts = [a for a, _ in self.sentences]
        self.claim_ids: set[str] = set()
        self.triggers_at: dict[
            str, list[int]
        ] = {}  # every trigger of each event candidate's type in its clause
        self.document_end: str | None = None  # nothing reported happened after the report
        if doc_date and not doc_date.startswith("XXXX"):
            try:
                self.document_end = bounds_of(doc_date)["end_latest"]
            except Exception:
                self.document_end = None

    def quote(self, a: int, b: int) -> str:
        return SourceIndex.normalise(self.text[a:b])

    def proposal(self, what: str, a: int, b: int, reason: str, **extra: Any) -> dict[str, Any]:
        suffix = f"-{extra['trigger_start']}" if "trigger_start" in extra else ""  # two events of one clause
        return {
            "id": f"{what}-{a}-{b}{suffix}",
            "status": "proposed",
            "what": what,
            "quote": self.quote(a, b),
            "start": a,
            "end": b,
            "reason": reason,
            **extra,
        }

    def add(self, section: str, entry: dict[str, Any]) -> None:
        if entry["proposal"]["id"] not in self.rejected:
            self.out[section].append(entry)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.sentence_starts, pos) - 1
        if k >= 0 and pos < self.sentences[k][1]:
            return self.sentences[k]
        return pos, pos

    def new_id(self, base: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:48].strip("-") or "record"
        rid, n = slug, self.next_suffix.get(slug, 2)
        while rid in self.used_ids:
            rid, n = f"{slug}-{n}", n + 1
        self.next_suffix[slug] = n  # the same label again: no walk over the suffixes already given
        self.used_ids.add(rid)
        return rid

    def run(self) -> Proposals:
        text = self.text
        dates = find_dates(text, self.doc_date)
        quantities = find_quantities(text, [(d.start, d.end) for d in dates if d.edtf])
        names = find_mentions(text, self.index)
        mentions = sorted(
            [*names, *find_references(text, self.profiles, names, self.sentences)], key=lambda m: m.start
        )
        taken = [(m.start, m.end) for m in mentions] + [(d.start, d.end) for d in dates]
        candidates = find_candidates(text, taken, {a for a, _ in self.sentences})
        self.mention_starts = [m.start for m in mentions]
        self.quantity_starts = [q.start for q in quantities]
        self.entities(mentions, candidates)
        events = self.events(mentions, quantities)
        self.anchor(dates, events)
        self.speech(mentions, candidates, events)
        for e in events:
            self.add("events", e)
        self.dated(dates)
        for q in quantities:
            self.add(
                "quantities",
                {**q.spec(), "low": q.low, "best": q.best, "high": q.high}
                | {"proposal": self.proposal("quantity", q.start, q.end, _quantity_reason(q))},
            )
        return Proposals(self.slug, text, {k: v for k, v in self.out.items() if v})

    def entities(self, mentions: list[Mention], candidates: list[Mention]) -> None:
        mention_ids: set[str] = set()
        for m in mentions:
            kind = self.index.kinds[m.ids[0]]
            a, b = self.sentence_of(m.start)
            entry: dict[str, Any] = {}
            reason = m.reason or f"the name {m.name!r} (a label or alias)"
            if not m.reason and SourceIndex.normalise(m.text).replace("’", "'") != m.name.replace("’", "'"):
                reason = f"a variant of the name {m.name!r} (a label or alias)"
            extra: dict[str, Any] = {}
            if len(m.ids) == 1:
                entry["about"] = m.ids[0]
            else:
                extra["candidates"] = list(m.ids)
                reason += f"; several records carry it ({', '.join(m.ids)}): choose one"
            entry["evidence"] = [self.quote(a, b) if b > a else self.quote(m.start, m.end)]
            entry["proposal"] = self.proposal("mention", m.start, m.end, reason, **extra)
            if entry["proposal"]["id"] in mention_ids:  # "They": two groups joined by "and"
                entry["proposal"]["id"] += f"-{m.ids[0]}"
            mention_ids.add(entry["proposal"]["id"])
            self.add(SECTIONS[kind], entry)
        seen: dict[str, dict[str, Any]] = {}
        for c in candidates:
            name = SourceIndex.normalise(c.text)
            if name in seen:
                seen[name]["proposal"]["occurrences"] += 1
                continue
            entry = {
                "id": self.new_id(name),
                "label": name,
                "evidence": [name],
                "proposal": self.proposal(
                    "new_entity",
                    c.start,
                    c.end,
                    f"not in the register; {_A_KIND[c.kind or 'Organisation']}: {c.reason}",
                    kind=c.kind,
                    occurrences=1,
                ),
            }
            seen[name] = entry
            self.add(SECTIONS[c.kind or "Organisation"], entry)

    def clauses(self) -> Iterable[tuple[int, int]]:
        for a, b in self.sentences:
            start = a
            for m in re.finditer(r"[;:](?=\s)", self.text[a:b]):
                if a + m.start() > start:
                    yield start, a + m.start()
                start = a + m.end()
            if b > start:
                yield start, b

    def events(self, mentions: list[Mention], quantities: list[FoundQuantity]) -> list[dict[str, Any]]:
        triggers = _triggers()
        roles = get_model().extraction.get("event_roles", {})
        out: list[dict[str, Any]] = []
        for a, b in self.clauses():
            toks = [(w.lower(), s + a, e + a) for w, s, e in tokens(self.text[a:b])]
            types_here: set[str] = set()
            i = 0
            while i < len(toks):
                hit = None
                for words, etype in triggers.get(toks[i][0], ()):
                    if tuple(t for t, _, _ in toks[i : i + len(words)]) == words:
                        hit = (words, etype)
                        break
                if hit is None:
                    i += 1
                    continue
                words, etype = hit
                if etype in types_here:  # one candidate per type and clause; remember where else it is said
                    same = next(e for e in reversed(out) if e["type"] == etype)
                    self.triggers_at[same["id"]].append(toks[i][1])
                    i += len(words)
                    continue
                types_here.add(etype)
                t0, t1 = toks[i][1], toks[i + len(words) - 1][2]
                out.append(self.event(etype, a, b, t0, t1, mentions, quantities, roles.get(etype, {})))
                self.triggers_at[out[-1]["id"]] = [t0]
                i += len(words)
        return out

    def event(
        self,
        etype: str,
        a: int,
        b: int,
        t0: int,
        t1: int,
        mentions: list[Mention],
        quantities: list[FoundQuantity],
        roles: dict[str, str],
    ) -> dict[str, Any]:
        text = self.text
        here = [m for m in _between(mentions, self.mention_starts, a, b) if m.end <= b and len(m.ids) == 1]
        places = list(dict.fromkeys(m.ids[0] for m in here if self.index.kinds[m.ids[0]] == "Place"))
        participants: list[dict[str, str]] = []
        for m in here:
            if self.index.kinds[m.ids[0]] not in ACTOR_KINDS:
                continue
            before = text[max(a, m.start - 12) : m.start].lower()
            if m.start > t1 and re.search(r"\bby\s+(?:the\s+)?$", before):
                role = roles.get("agent", "participant")
            elif m.end <= t0 and _PASSIVE.search(text[m.end : t0]):
                role = roles.get("patient", "participant")
            elif m.end <= t0:
                role = roles.get("agent", "participant")
            else:
                role = roles.get("patient", "participant")
            if not any(p["actor"] == m.ids[0] for p in participants):
                participants.append({"actor": m.ids[0], "role": role})
        label = SourceIndex.normalise(text[a:b])
        entry: dict[str, Any] = {
            "id": self.new_id(f"proposed-{etype}-{label[:30]}"),
            "type": etype,
            "label": label if len(label) <= 90 else label[:87] + "...",
        }
        if places:
            entry["places"] = places
        if participants:
            entry["participants"] = participants
        qs = [q.spec() for q in _between(quantities, self.quantity_starts, a, b) if q.end <= b]
        if qs:
            entry["quantities"] = qs
        entry["evidence"] = [self.quote(a, b)]
        trigger = SourceIndex.normalise(text[t0:t1])
        entry["proposal"] = self.proposal(
            "event",
            a,
            b,
            f"the trigger {trigger!r} of event type {etype}",
            trigger=trigger,
            trigger_start=t0,
            trigger_end=t1,
        )
        return entry

    def anchor(self, dates: list[FoundDate], events: list[dict[str, Any]]) -> None:
        """Give each event the first date of its clause; anchor each relative date to an event."""
        self.anchors: dict[int, dict[str, Any]] = {}
        starts = [e["proposal"]["start"] for e in events]  # events in text order
        relations = get_model().date_relations
        triggers = _triggers()
        for d in dates:
            # the events of the clause holding the date (a clause's events share its start)
            k = bisect.bisect_right(starts, d.start)
            clause = [e for e in events[max(0, k - 64) : k] if d.start < e["proposal"]["end"]]
            if d.relation:
                target = self.anchor_of(d, events, clause, triggers)
                if target is None:
                    continue
                self.anchors[d.start] = target
            for e in clause:
                if "date" in e:
                    continue
                if d.relation and d.start in self.anchors:
                    target = self.anchors[d.start]
                    if target is e:
                        continue
                    e["date"] = {"relative": {"to": target["id"], "relation": d.relation}, "text": d.text}
                    lo_hi = _relative_bounds(target, d.relation, relations, self.document_end)
                    if lo_hi:
                        e["proposal"]["bounds"] = lo_hi
                elif d.edtf and not d.edtf.startswith("XXXX") and not self.refers_back(e, events):
                    e["date"] = d.spec()
                    e["proposal"]["bounds"] = bounds_of(d.edtf, d.part)
            # keep the field order of a record: date after type and label
            for e in clause:
                if "date" in e:
                    _move_after(e, "date", "label")
        self.same_event(dates, events)

    def same_event(self, dates: list[FoundDate], events: list[dict[str, Any]]) -> None:
        """An event dated to a month or a year is the event of its type dated to a day within it.

        "during violent clashes in Zhanaozen in December 2011" and, elsewhere, "On 16 December ...
        violent clashes": one event told twice, so the month reads as the same day as the other.
        """
        self.same_as: dict[int, dict[str, Any]] = {}
        relations = get_model().date_relations
        for d in dates:
            if d.relation or not d.edtf or d.part or len(d.edtf) not in (4, 7) or not d.edtf[:4].isdigit():
                continue
            lo, hi = d.edtf + ("-01-01" if len(d.edtf) == 4 else "-01"), d.edtf
            for e in events:
                if e.get("date", {}).get("text") != d.text or e["date"].get("edtf") != d.edtf:
                    continue
                if not e["proposal"]["start"] <= d.start < e["proposal"]["end"]:
                    continue
                others = [
                    o
                    for o in events
                    if o is not e
                    and o["type"] == e["type"]
                    and len(str(o.get("date", {}).get("edtf", ""))) == 10
                    and lo <= str(o["date"]["edtf"])
                    and str(o["date"]["edtf"])[: len(hi)] == hi
                ]
                days = {str(o["date"]["edtf"]) for o in others}
                if len(days) != 1:
                    continue  # no other day, or several: nothing says which
                target = others[0]
                e["date"] = {**d.spec(), "relative": {"to": target["id"], "relation": "same_day"}}
                e["proposal"]["bounds"] = _relative_bounds(target, "same_day", relations, self.document_end)
                e["proposal"]["reason"] += (
                    f"; dated {d.text!r}, the {target['type']} of {target['date']['edtf']} is the only one "
                    "of its type the document dates within it: the same event"
                )
                self.same_as[d.start] = target

    def refers_back(self, e: dict[str, Any], events: list[dict[str, Any]]) -> bool:
        """An event named "the violence" after one of violence: the same event, not one on this date."""
        t0 = e["proposal"]["trigger_start"]
        if not re.search(r"\bthe\s+$", self.text[max(0, t0 - 12) : t0], re.IGNORECASE):
            return False
        return any(o["type"] == e["type"] and o["proposal"]["trigger_start"] < t0 for o in events)

    def anchor_of(
        self,
        d: FoundDate,
        events: list[dict[str, Any]],
        clause: list[dict[str, Any]],
        triggers: dict[str, list[tuple[tuple[str, ...], str]]],
    ) -> dict[str, Any] | None:
        earlier = [e for e in events if e["proposal"]["trigger_start"] < d.start and e not in clause]
        if d.anchor_word:
            types = {etype for words, etype in triggers.get(d.anchor_word.lower(), ()) if len(words) == 1}
            if types:
                same = [e for e in earlier if e["type"] in types]
                dated = [e for e in same if e["proposal"].get("bounds")]
                if dated:
                    return dated[-1]  # "the violence": the violence the document dates
                if same:
                    return same[-1]
                inside = [
                    e for e in clause if e["type"] in types and e["proposal"]["trigger_start"] >= d.start
                ]
                if inside:
                    return inside[0]
        dated = [e for e in earlier if "edtf" in e.get("date", {})]
        return dated[-1] if dated else (earlier[-1] if earlier else None)

    def dated(self, dates: list[FoundDate]) -> None:
        relations = get_model().date_relations
        for d in dates:
            entry: dict[str, Any] = {"date": d.spec()}
            extra: dict[str, Any] = {}
            if d.relation:
                target = self.anchors.get(d.start)
                rel: dict[str, Any] = {"to": target["id"] if target else None, "relation": d.relation}
                entry["date"] = {"relative": rel, "text": d.text}
                reason = f"a relative expression ({d.relation})"
                if target:
                    reason += f", anchored to the event of {target['proposal']['trigger']!r}"
                    extra["anchor_quote"] = target["proposal"]["quote"]
                    bounds = _relative_bounds(target, d.relation, relations, self.document_end)
                    if bounds:
                        extra["bounds"] = bounds
                else:
                    reason += "; no earlier event to anchor it to: choose one"
            elif d.start in self.same_as:
                target = self.same_as[d.start]
                entry["date"] = {**d.spec(), "relative": {"to": target["id"], "relation": "same_day"}}
                reason = (
                    f"an absolute date that names the same event as {target['date']['edtf']} "
                    f"(the event of {target['proposal']['trigger']!r}, the only one of its type dated within it)"
                )
                extra["anchor_quote"] = target["proposal"]["quote"]
                bounds = _relative_bounds(target, "same_day", relations, self.document_end)
                if bounds:
                    extra["bounds"] = bounds
            else:
                assert d.edtf is not None
                reason = "an absolute date" + (f", {d.part} of the period" if d.part else "")
                if d.year_inferred:
                    reason += "; year inferred"
                if not d.edtf.startswith("XXXX"):
                    extra["bounds"] = bounds_of(d.edtf, d.part)
            entry["proposal"] = self.proposal("date", d.start, d.end, reason, **extra)
            self.add("dates", entry)

    def is_actor(self, n: Mention) -> bool:
        if n.ids:
            return self.index.kinds.get(n.ids[0]) in ACTOR_KINDS
        return n.kind in ACTOR_KINDS

    def claimants(self, actors: list[Mention], lo: int, hi: int, first: bool) -> list[Mention]:
        """The first actor of ``[lo, hi)`` (or the last), and those joined to it by "and"."""
        starts = self.actor_starts
        inside = [
            n for n in actors[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)] if n.end <= hi
        ]
        if not inside:
            return []
        who = [inside[0] if first else inside[-1]]
        who += [n for n in inside if (n.start, n.end) == (who[0].start, who[0].end) and n is not who[0]]
        end = who[0].end
        for n in inside:
            if n.start >= end and re.fullmatch(
                r"\s+and\s+(?:(?:the|their|his|her|its)\s+)?", self.text[end : n.start]
            ):
                who.append(
                    n
                )  # "released detainees and relatives of detainees", "the defendants and their lawyers"
                if n.text.lower() not in ("the", "their", "his", "her", "its"):
                    end = n.end
        return who

    def speech(
        self, mentions: list[Mention], candidates: list[Mention], events: list[dict[str, Any]]
    ) -> None:
        pattern, keys, cues = _speech()
        rules = get_model().extraction
        after_cues = {str(c) for c in rules["claimant_after"]}
        judgements = {str(c) for c in rules["judgement_cues"]}
        portions = set(get_model().vocabularies["portions"].terms)
        names = sorted([*mentions, *candidates], key=lambda m: m.start)
        name_starts = [n.start for n in names]
        actors = [n for n in names if self.is_actor(n)]
        self.actor_starts = [n.start for n in actors]
        by_sentence: dict[int, list[dict[str, Any]]] = {}  # events whose triggers are in the sentence
        for e in events:
            for t in self.triggers_at[e["id"]]:
                group = by_sentence.setdefault(self.sentence_of(t)[0], [])
                if not group or group[-1] is not e:
                    group.append(e)
        for a, b in self.sentences:
            here = by_sentence.get(a, [])
            for m in pattern.finditer(self.text, a, b):
                key = next(keys[k] for k in range(len(keys)) if m.group(f"c{k}") is not None)
                if re.search(r"\b(?:was|were|is|are|been|being)\s+$", self.text[a : m.start()]):
                    continue  # "was alleged": a passive, no speaker (below)
                cue = " ".join(m.group(0).lower().split()) if "..." not in key else key
                stance = cues[key]
                claimant_after = key in after_cues
                audience = {
                    n.ids[0]
                    for n in names[
                        bisect.bisect_left(name_starts, m.start()) : bisect.bisect_left(name_starts, m.end())
                    ]
                    if n.ids
                }
                for e in here:
                    if any(m.end() <= t < b for t in self.triggers_at[e["id"]]) and e.get("participants"):
                        # "told the Monitor that ...": who is told is not a participant of what is said
                        kept = [p for p in e["participants"] if p["actor"] not in audience]
                        if kept:
                            e["participants"] = kept
                        else:
                            del e["participants"]
                # who speaks: the first actor of the clause before the cue ("The president, who
                # visited the city ..., blamed"), or the first after "according to" / "accused by"
                clause = max([a, *(a + x.end() for x in re.finditer(r"[;:]\s", self.text[a : m.start()]))])
                if claimant_after:
                    who = self.claimants(actors, m.end(), b, first=True)
                else:
                    who = self.claimants(actors, clause, m.start(), first=True)
                if not who and not claimant_after:
                    # no name before the cue: the subject of the sentence, if short ("Eyewitnesses claimed")
                    subject = self.text[clause : m.start()].strip()
                    pronoun = subject.split()[0].lower() in _PRONOUNS if subject else True
                    if subject and len(subject.split()) <= 4 and subject[:1].isupper() and not pronoun:
                        who = [Mention(clause, clause + len(subject), subject)]
                if not who:
                    continue
                claimed = list(
                    dict.fromkeys(w.ids[0] if w.ids else SourceIndex.normalise(w.text) for w in who)
                )
                part = None
                before = self.text[max(a, who[0].start - 10) : who[0].start].lower()
                if who[0].text.lower() in portions:
                    part = who[0].text.lower()  # "some said"
                elif re.search(r"\b(\w+)\s+of\s+$", before):
                    word = re.search(r"\b(\w+)\s+of\s+$", before)
                    part = word.group(1) if word and word.group(1) in portions else None  # "Most of them"
                content_start = m.end() if not claimant_after else a
                if claimant_after and who:
                    content_start = who[-1].end
                reported = [e for e in here if any(content_start <= t < b for t in self.triggers_at[e["id"]])]
                if key in judgements:
                    reported = []  # a judgement, a denial or a justification is a claim, whatever it speaks of
                for e in reported:
                    e.setdefault("according_to", [])
                    for c in claimed:
                        if c not in e["according_to"]:
                            e["according_to"].append(c)
                    if who[0].start < m.start() and e.get("participants"):
                        # who says it is not, by saying it, a participant of what is said
                        kept = [p for p in e["participants"] if p["actor"] not in claimed]
                        if kept:
                            e["participants"] = kept
                        else:
                            del e["participants"]
                    e["proposal"]["reason"] += (
                        f"; reported speech ({cue!r}): according to {', '.join(str(c) for c in claimed)}"
                    )
                if reported:
                    continue
                start = min(who[0].start, m.start())
                if part and who[0].text.lower() not in portions:
                    start = self.text.lower().rindex(part, a, who[0].start)  # "Most of them"
                self.claim(
                    start, b, content_start, mentions, claimed, stance, part, f"reported speech ({cue!r})"
                )
            for m in _unattributed().finditer(self.text, a, b):
                # "was alleged to", "reportedly": someone says so, the text does not say who
                self.claim(
                    a,
                    b,
                    a,
                    mentions,
                    [],
                    "allegation",
                    None,
                    f"reported without a source ({' '.join(m.group(0).split())!r}): who says so is not named, choose",
                )

    def claim(
        self,
        start: int,
        b: int,
        content_start: int,
        mentions: list[Mention],
        claimed: list[str],
        stance: str,
        part: str | None,
        why: str,
    ) -> None:
        content = SourceIndex.normalise(self.text[content_start:b]).rstrip(".")
        about = [
            n.ids[0] for n in _between(mentions, self.mention_starts, content_start, b) if len(n.ids) == 1
        ]
        about = [x for x in dict.fromkeys(about) if x not in claimed]
        entry: dict[str, Any] = {
            "id": self.new_id(f"proposed-claim-{content[:30]}"),
            "stance": stance,
            "label": content[:90],
            "claimed_by": claimed,
        }
        if part:
            entry["claimed_by_part"] = part
        if about:
            entry["about"] = about
        entry["evidence"] = [self.quote(start, b)]
        if not why.startswith("reported without"):
            why += " with no event trigger in what is said"
        entry["proposal"] = self.proposal("claim", start, b, why)
        base, n = entry["proposal"]["id"], 2
        while entry["proposal"]["id"] in self.claim_ids:  # two claims of one sentence
            entry["proposal"]["id"], n = f"{base}-{n}", n + 1
        self.claim_ids.add(entry["proposal"]["id"])
        self.add("claims", entry)


def _between(items: list[Any], starts: list[int], a: int, b: int) -> list[Any]:
    """The items (sorted by ``start``, their starts in ``starts``) that start in ``[a, b)``."""
    return items[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]


def _move_after(entry: dict[str, Any], key: str, after: str) -> None:
    items = list(entry.items())
    value = entry[key]
    items = [(k, v) for k, v in items if k != key]
    pos = next((i + 1 for i, (k, _) in enumerate(items) if k == after), len(items))
    items.insert(pos, (key, value))
    entry.clear()
    entry.update(items)


def _relative_bounds(
    target: dict[str, Any],
    relation: str,
    relations: dict[str, tuple[int | None, int | None]],
    document_end: str | None = None,
) -> dict[str, str | None] | None:
    """The bounds a relation to ``target`` gives; an open end is closed by the document's date, if known."""
    bounds = target["proposal"].get("bounds")
    if not bounds or relation not in relations:
        return None
    lo_off, hi_off = relations[relation]
    lo = dt.date.fromisoformat(bounds["begin_earliest"])
    hi = dt.date.fromisoformat(bounds["begin_latest"])
    earliest = (lo + dt.timedelta(days=lo_off)).isoformat() if lo_off is not None else None
    latest = (hi + dt.timedelta(days=hi_off)).isoformat() if hi_off is not None else document_end
    return {
        "begin_earliest": earliest,
        "begin_latest": latest,
        "end_earliest": earliest,
        "end_latest": latest,
    }


def _quantity_reason(q: FoundQuantity) -> str:
    if q.qualifier == "vague":
        return f"a vague number: at least {q.low}, no best value"
    if q.qualifier == "exactly":
        return "a number with no qualifier"
    return f"a number with the qualifier {q.qualifier}"
