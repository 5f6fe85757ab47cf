"""Rule-based coreference: descriptions, pronouns and a document's own variants linked to registered entities.

Name matching (:mod:`.mentions`) finds a record where the text gives one of its names. Most references
to a group, and many to a person or a place, give no name: "the striking oil workers", "more than 100
seriously injured", "he", "they", "the town", "Kazakhstani". The rules here link those, offline and
without a model, from what the register says of each entity:

* a **description** whose head noun is the head noun of a record's label ("the large crowd in the
  square" and "The large crowd in the square in Zhanaozen ..."); when several records share the head,
  the words of the description, then of what follows it up to the next comma or "and", then of its
  sentence choose among them; a record whose label counts its members ("The 16 people arrested") needs
  the same count; modifiers the label does not share ("retired citizens") name another group;
* a number or "those" whose noun is left out ("over 130 had been detained", "those lying injured")
  reads as "people", as does a count with "people" ("37 people" and "The 37 defendants");
* two descriptions joined by "and" sharing one head ("trade union and opposition political party
  activists");
* a **pronoun** (he/his/him, they/them/their, and "all", "some", "most" used as a subject) resolved
  to the subject of the previous sentence when it opens a sentence, else to the nearest person or
  group before it; the register gives no gender, so "he" and "she" both look for a person;
* "the city", "the town", "the country": the nearest place before it of that place type;
* a **variant the document gives** in parentheses after a name ("article 164 (“inciting social
  discord”)"), and an adjective of a place name ("Kazakhstani").

Every link is a proposal with its reason; a person accepts or rejects it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from ..records.load import Dataset
from ..records.model import ENTITY_KINDS, get_model
from .mentions import Mention, tokens

__all__ = ["Profile", "Profiles", "find_references", "norm"]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Grammar words: never a content word of a label, never a modifier of a description.
_FUNCTION = _wordset("""a an the of in on at by for to from with into among between during after before since until
    against towards toward through across without within including like via per despite upon onto
    under above below behind beside near around beyond inside outside throughout
    also very so now then just still even too again already
    and or but nor as than that which who whom whose where when while this these those there here
    his her its their our my your he she it they them we i you him us me not no only also both
    is are was were be been being has have had do does did will would can could may might
    all some most many several each every any other such own same very one""")
_DETERMINERS = _wordset(
    "the a an this that these those his her its their our my your some most many several all both no any"
)
_PREPOSITIONS = _wordset("in at on to from by for with into among of before after during under over")
_AFTER_ADJ = _DETERMINERS | _PREPOSITIONS  # "to retired citizens": "retired" qualifies them
_AUX = _wordset("had have has were was are is been being")
_CLAUSE_END = frozenset(",.;:!?()") | _wordset(
    "and but or while which who whom that when because where whereas although if"
)
# Irregular past participles that end a label's noun phrase ("Military reinforcements sent to ...").
_PARTICIPLES = _wordset(
    "sent held hurt shot beaten taken given seen known made kept put led caught found left brought told said"
)
_PLURAL_IRREGULAR = frozenset({"men", "women", "children", "people", "police"})
_QUALIFIER_WORDS = frozenset({"at", "least", "more", "than", "over", "up", "to", "about", "around", "nearly"})


@cache
def _rules() -> dict[str, object]:
    rules: dict[str, object] = get_model().extraction["coreference"]
    return rules


@cache
def _numbers() -> dict[str, str]:
    rules = get_model().extraction
    out = {k: str(v) for k, v in rules["number_words"].items()}
    for word in rules["vague_numbers"]:
        out[word] = word.rstrip("s")  # "dozens", "scores": a count word of its own
    return out


@cache
def norm(word: str) -> str:
    """A word as labels and text are compared: lower case, no possessive, singular, numbers as digits.

    Examples
    --------
    >>> [norm(w) for w in ["Workers", "parties", "Seven", "defendants'", "dozens", "press"]]
    ['worker', 'party', '7', 'defendant', 'dozen', 'press']
    """
    w = word.lower().replace("’", "'").rstrip("'")
    if w.endswith("'s"):
        w = w[:-2]
    numbers = _numbers()
    if w in numbers:
        return numbers[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _is_word(tok: str) -> bool:
    return tok[:1].isalnum()


def _is_count(tok: str) -> bool:
    return tok.isdigit() or tok.lower() in _numbers()


def _plural(tok: str) -> bool:
    low = tok.lower()
    return low in _PLURAL_IRREGULAR or (norm(low) != low and not low.endswith("'s"))


@dataclass(frozen=True)
class Profile:
    """What the register says an entity may be described by: head nouns, content words, counts."""

    id: str
    kind: str
    heads: frozenset[str]
    words: frozenset[str]
    counts: frozenset[str]
    place_type: str | None = None
    premodified: bool = False
    label: str = ""


def _label_phrase(words: list[str]) -> tuple[list[str], set[str], set[str]]:
    """The noun phrase a label opens with: (its words, its head nouns, the counts before the head)."""
    counts: set[str] = set()
    i = 0
    while i < len(words):
        low = words[i].lower()
        if low in _DETERMINERS or low in _QUALIFIER_WORDS:
            i += 1
        elif _is_count(words[i]):
            counts.add(norm(words[i]))
            i += 1
            if i < len(words) and words[i].lower() == "of":
                i += 1
        else:
            break
    run: list[str] = []
    while i < len(words):
        w = words[i]
        low = w.lower()
        if low in ("'s", "'"):
            i += 1
            continue
        if low == "and" and run and i + 1 < len(words) and words[i + 1].lower() not in _FUNCTION:
            run.append(low)
            i += 1
            continue
        ends_verb = run and w.islower() and (low.endswith(("ed", "ing", "ly")) or low in _PARTICIPLES)
        if low in _FUNCTION or not _is_word(w) or ends_verb or _is_count(w):
            break
        run.append(w)
        i += 1
    nouns = [w for w in run if w != "and"]
    if not nouns:
        return [], set(), counts
    if len(nouns) >= 2 and all(w[:1].isupper() for w in nouns):
        return run, set(), counts  # a proper name ("Steppe Rights Monitor"): matched as a name only
    heads = {norm(nouns[-1])}
    for k, w in enumerate(run[:-1]):
        if run[k + 1] == "and" and _plural(w) and k + 2 < len(run):
            heads.add(norm(w))  # "Women and children"
    return run, heads, counts


def profile_of(rid: str, kind: str, label: str, place_type: str | None = None) -> Profile:
    """The profile of one entity from its label; a parenthesis is the curator's note and is left out.

    Examples
    --------
    >>> p = profile_of("x", "Group", "The 16 people arrested and charged with organizing the violence")
    >>> sorted(p.heads), sorted(p.counts), sorted(p.words)
    (['people'], ['16'], ['16', 'arrested', 'charged', 'organizing', 'people', 'violence'])
    >>> sorted(profile_of("y", "Person", "Friend of Bolat Atabaev, a fellow film director (not named)").heads)
    ['director', 'friend']
    """
    plain = re.sub(r"\s*\([^)]*\)", "", label)
    plain = re.sub(r"[“”\"]", "", plain)
    heads: set[str] = set()
    counts: set[str] = set()
    premodified = False
    for k, part in enumerate(plain.split(",")):
        words = [t for t, _, _ in tokens(part) if _is_word(t) or t in ("'s", "'")]
        if k > 0 and not (words and words[0].lower() in ("a", "an", "the")):
            continue  # only an apposition ("..., a fellow film director") adds a head
        run, h, c = _label_phrase(words)
        heads |= h
        if k == 0:
            counts |= c
            # "Released detainees": the label narrows the head by a word before it (not a name's)
            first_head = next((j for j, w in enumerate(run) if norm(w) in h), len(run))
            premodified = any(w != "and" for w in run[:first_head])
            premodified = premodified and not any(t in ("'s", "'") for t in words)
    content = {norm(t) for t, _, _ in tokens(plain) if _is_word(t) and t.lower() not in _FUNCTION}
    return Profile(
        rid, kind, frozenset(heads), frozenset(content), frozenset(counts), place_type, premodified, label
    )


@dataclass
class Profiles:
    """The profiles of every entity of a dataset, indexed by head noun."""

    by_id: dict[str, Profile]
    by_head: dict[str, list[Profile]]
    verbs: frozenset[str] = frozenset()
    used: frozenset[str] = frozenset()

    @classmethod
    def from_dataset(cls, ds: Dataset) -> Profiles:
        """Profiles from the register's labels (the same for every source).

        Examples
        --------
        >>> from zhanaozen_graph.records.load import load_dataset
        >>> prof = Profiles.from_dataset(load_dataset())
        >>> sorted(p.id for p in prof.by_head["judge"])
        ['presiding-judge']
        """
        by_id: dict[str, Profile] = {}
        by_head: dict[str, list[Profile]] = {}
        for rid, record in sorted(ds.records.items()):
            if record.kind not in ENTITY_KINDS or not record.data.get("label"):
                continue
            place_type = record.data.get("place_type")
            p = profile_of(rid, record.kind, record.label, str(place_type) if place_type else None)
            by_id[rid] = p
            for h in p.heads:
                by_head.setdefault(h, []).append(p)
        # one-word event triggers and speech cues no label uses are verbs ("beat", "told"), never modifiers
        rules = get_model().extraction
        cue_words = [str(w) for ws in rules["event_triggers"].values() for w in ws]
        cue_words += [str(w) for w in rules["reported_speech"]]
        used = {w for p in by_id.values() for w in p.words}
        verbs = {w for w in cue_words if " " not in w and norm(w) not in used} | set(_PARTICIPLES)
        return cls(by_id, by_head, frozenset(verbs), frozenset(used))


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    low: str
    sentence: int


def find_references(
    text: str, profiles: Profiles, names: list[Mention], sentences: list[tuple[int, int]]
) -> list[Mention]:
    """Descriptions, pronouns and variants of ``text`` that refer to an entity of ``profiles``.

    ``names`` are the name mentions already found (they are never re-read, and they are antecedents);
    ``sentences`` the sentence spans. Each returned mention has one id and its reason.

    Examples
    --------
    >>> from zhanaozen_graph.records.load import load_dataset
    >>> from zhanaozen_graph.records.evidence import sentences
    >>> from zhanaozen_graph.extract.mentions import NameIndex, find_mentions
    >>> ds = load_dataset()
    >>> t = "Bolat Atabaev met the large crowd. He told them that he had been released."
    >>> names = find_mentions(t, NameIndex.from_dataset(ds))
    >>> [(m.text, m.ids) for m in find_references(t, Profiles.from_dataset(ds), names, sentences(t))]
    [('large crowd', ('crowd-in-square',)), ('He', ('bolat-atabaev',)), ('them', ('crowd-in-square',)), ('he', ('bolat-atabaev',))]
    """
    return _Resolver(text, profiles, names, sentences).run()


class _Resolver:
    def __init__(self, text: str, profiles: Profiles, names: list[Mention], sentences: list[tuple[int, int]]):
        self.text, self.profiles, self.sentences = text, profiles, sentences
        self.sentence_starts = [a for a, _ in sentences]
        self.names = names
        self.toks: list[_Tok] = []
        s = 0
        for t, a, b in tokens(text):
            while s + 1 < len(sentences) and a >= sentences[s][1]:
                s += 1
            self.toks.append(_Tok(t, a, b, t.lower(), s))
        self.occupied = bytearray(len(text) + 1)  # 1 where a name is: free() in constant time per span
        for m in names:
            self.occupied[m.start : m.end] = b"\x01" * (m.end - m.start)
        self.found: list[Mention] = []
        rules = _rules()
        self.generic = frozenset(str(w) for w in rules["generic_heads"])  # type: ignore[attr-defined]
        self.pronouns: dict[str, str] = {
            str(w): kind
            for kind, words in rules["pronouns"].items()  # type: ignore[attr-defined]
            for w in words
        }
        self.partitives = frozenset(str(w) for w in rules["partitive_subjects"])  # type: ignore[attr-defined]
        self.place_nouns: dict[str, str] = {
            str(w): ptype
            for ptype, words in rules["place_nouns"].items()  # type: ignore[attr-defined]
            for w in words
        }
        self.suffixes = tuple(str(s) for s in rules["place_adjective_suffixes"])  # type: ignore[attr-defined]

    # --- helpers ---------------------------------------------------------------------------------

    def free(self, a: int, b: int) -> bool:
        return self.occupied.find(1, a, b) == -1

    def first_of_clause(self, i: int) -> bool:
        """Token ``i`` opens its sentence or a clause after ';' or ':'."""
        j = i - 1
        while j >= 0 and self.toks[j].text in ("“", "”", '"', "("):
            j -= 1
        return j < 0 or self.toks[j].sentence != self.toks[i].sentence or self.toks[j].text in (";", ":")

    def sentence_start(self, i: int) -> bool:
        return i == 0 or self.toks[i - 1].sentence != self.toks[i].sentence

    def add(self, a: int, b: int, rid: str, reason: str) -> Mention:
        m = Mention(a, b, self.text[a:b], ids=(rid,), kind=self.profiles.by_id[rid].kind, reason=reason)
        self.found.append(m)
        return m

    def kind_of(self, m: Mention) -> str | None:
        if m.ids and m.ids[0] in self.profiles.by_id:
            return self.profiles.by_id[m.ids[0]].kind
        return None

    def referents(self) -> list[Mention]:
        return sorted([*(m for m in self.names if len(m.ids) == 1), *self.found], key=lambda m: m.start)

    # --- the passes ------------------------------------------------------------------------------

    def run(self) -> list[Mention]:
        self.descriptions()
        self.place_nouns_and_adjectives()
        self.variants()
        self.resolve_pronouns()
        return sorted(self.found, key=lambda m: (m.start, m.end))

    def descriptions(self) -> None:
        toks = self.toks
        last_seen: dict[str, int] = {}
        names = sorted(self.names, key=lambda m: m.start)
        n = 0
        i = 0
        while i < len(toks):
            t = toks[i]
            while n < len(names) and names[n].end <= t.start:
                for rid in names[n].ids:
                    last_seen[rid] = names[n].start
                n += 1
            if not self.free(t.start, t.end) or not _is_word(t.text):
                i += 1
                continue
            head = norm(t.text)
            elided = self.elided(i)
            if head not in self.profiles.by_head and not elided:
                i += 1
                continue
            if elided:
                head = "people"
            if t.text[:1].isupper() and not self.sentence_start(i) and not elided:
                near = [toks[k] for k in (i - 1, i + 1) if 0 <= k < len(toks)]
                if any(x.text[:1].isupper() and x.sentence == t.sentence for x in near):
                    i += 1
                    continue  # a word of a proper name ("the Criminal Code")
            found = self.describe(i, head, elided, last_seen)
            for m in found:
                last_seen[m.ids[0]] = m.start
            i += 1

    def elided(self, i: int) -> bool:
        """A count or "those" whose noun is left out: "over 130 had been detained", "those lying injured"."""
        t = self.toks[i]
        if i + 1 >= len(self.toks):
            return False
        nxt = self.toks[i + 1].low
        if t.low == "those":
            return nxt.endswith(("ing", "ed")) or nxt in _PARTICIPLES
        if not _is_count(t.text) or t.low == "one":
            return False
        return nxt in _AUX or (nxt.endswith("ly") and len(nxt) > 3) or (nxt.endswith("ed") and nxt.islower())

    def phrase(self, i: int) -> tuple[int, list[str], str | None, int]:
        """The modifiers before head ``i``: (index of the first, their words, the count, stop index)."""
        toks = self.toks
        words: list[str] = []
        count: str | None = None
        j = i - 1
        first = i
        while j >= 0 and toks[j].sentence == toks[i].sentence and i - j <= 6:
            w = toks[j]
            if w.low in ("'s", "'"):
                j -= 1
                continue
            if _is_count(w.text) and w.low != "one":
                count = norm(w.text)
                first = j
                j -= 1
                break
            if not _is_word(w.text) or w.low in _FUNCTION or w.low in _AUX or w.low in self.profiles.verbs:
                break
            if self.verb_before(j):
                break  # a verb before its object ("Police arrested trade union ...")
            if w.text[:1].isupper() and not self.sentence_start(j) and self.free(w.start, w.end):
                break
            words.append(w.text)
            first = j
            j -= 1
        # "dozens of striking workers", "Seven of the defendants": a count before "of (the)"
        k = j
        if k >= 0 and toks[k].low in ("the", "those", "these"):
            k -= 1
        if count is None and k >= 1 and toks[k].low == "of" and _is_count(toks[k - 1].text):
            count = norm(toks[k - 1].text)
        if count is None and j >= 0 and _is_count(toks[j].text) and toks[j].low != "one":
            count = norm(toks[j].text)
        return first, [norm(w) for w in words if not _is_count(w)], count, j

    def verb_before(self, j: int) -> bool:
        """Token ``j`` (before a head noun) reads as a verb: "-ed" after a word that is no determiner."""
        w = self.toks[j]
        if not w.low.endswith("ed") or self.sentence_start(j):
            return False
        prev = self.toks[j - 1]
        return prev.low not in _AFTER_ADJ | {"and", "or"} and prev.text not in (",", "(", "“")

    def zone(self, i: int) -> list[str]:
        """The words after head ``i`` up to the next comma, "and" or clause word (at most eight)."""
        out: list[str] = []
        for t in self.toks[i + 1 : i + 9]:
            if t.sentence != self.toks[i].sentence or t.low in _CLAUSE_END:
                break
            if _is_word(t.text) and t.low not in _FUNCTION:
                out.append(norm(t.text))
        return out

    def window(self, i: int) -> list[str]:
        s = self.toks[i].sentence
        return [
            norm(t.text)
            for t in self.toks[max(0, i - 15) : i + 16]
            if t.sentence == s and _is_word(t.text) and t.low not in _FUNCTION
        ]

    def choose(
        self,
        candidates: list[Profile],
        head: str,
        phrase: list[str],
        count: str | None,
        zone: list[str],
        window: list[str],
        last_seen: dict[str, int],
        generic: bool,
        possessive: bool = False,
    ) -> tuple[Profile, str] | None:
        uncounted = [p for p in candidates if not p.counts]
        scored: list[tuple[float, int, int, Profile, str]] = []
        for p in candidates:
            if p.counts and count not in p.counts and (count is not None or uncounted):
                continue  # a counted group ("The 16 people arrested") needs its count
            mods = set(phrase) - {head}
            if p.kind == "Place":
                mods -= self.place_modifiers(mods, p)  # "the town square": the square of the town it names
            if mods and not mods & p.words:
                continue  # "retired citizens" are not "Unarmed citizens"
            if p.premodified and not mods and not possessive and count is None:
                continue  # "the detainees" are not "Released detainees"
            ph = mods & p.words
            zo = (set(zone) & p.words) - ph - {head}
            wi = (set(window) & p.words) - ph - zo - {head}
            counted = count is not None and count in p.counts
            score = 2 * len(ph) + 2 * len(zo) + 0.5 * len(wi) + (1.5 if counted else 0)
            if generic and not (ph or zo or counted):
                continue  # "people" alone says too little
            why = sorted(ph | zo | ({count} if counted and count else set()))
            reason = f"shares {', '.join(repr(w) for w in why)} with its label" if why else ""
            if not why and wi:
                reason = f"its sentence shares {', '.join(repr(w) for w in sorted(wi))} with its label"
            scored.append((score, last_seen.get(p.id, -1), -len(p.words), p, reason))
        if not scored:
            return None
        scored.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
        best = scored[0]
        if len(candidates) > 1 and best[0] <= 0:
            if best[1] < 0 or (len(scored) > 1 and scored[1][1] == best[1]):
                return None
            # nothing in the words: the one of them mentioned last ("the defendants")
            return best[3], "the most recent of the records with this head noun"
        if len(scored) > 1 and scored[1][:3] == best[:3]:
            return None  # nothing tells them apart
        return best[3], best[4]

    def place_modifiers(self, mods: set[str], p: Profile) -> set[str]:
        """The modifiers ("town") that are the place type of a place the label names ("... in Zhanaozen")."""
        types = {
            q.place_type
            for q in self.profiles.by_id.values()
            if q.kind == "Place" and norm(q.label) in p.words
        }
        return {m for m in mods if self.place_nouns.get(m) in types}

    def describe(self, i: int, head: str, elided: bool, last_seen: dict[str, int]) -> list[Mention]:
        toks = self.toks
        t = toks[i]
        generic = elided or head in self.generic
        first, phrase, count, stop = self.phrase(i)
        if elided:
            count = None if t.low == "those" else norm(t.text)
            phrase = []
            first = i
            while (
                first > 0
                and toks[first - 1].low in _QUALIFIER_WORDS
                and toks[first - 1].sentence == t.sentence
            ):
                first -= 1
        candidates = list(self.profiles.by_head.get(head, []))
        if generic and count is not None:
            # "37 people" may be "The 37 defendants": any group counted so
            candidates += [
                p
                for p in self.profiles.by_id.values()
                if p.kind == "Group" and count in p.counts and p not in candidates
            ]
        if not candidates:
            return []
        singular = not _plural(t.text) and not elided
        before = toks[first - 1].low if first > 0 else ""
        if singular and not phrase and before not in _DETERMINERS | _PREPOSITIONS | {"one"}:
            return []  # a bare singular noun is rarely a description ("flew home")
        zone, window = self.zone(i), self.window(i)
        possessive = before in ("his", "her", "its", "their", "'s", "'")
        chosen = self.choose(candidates, head, phrase, count, zone, window, last_seen, generic, possessive)
        if chosen is None:
            return []
        profile, why = chosen
        a, b = toks[first].start, t.end
        if not elided and i + 1 < len(toks) and toks[i + 1].text.isdigit():
            b = toks[i + 1].end  # "article 164": the number is part of the name
        what = "the left-out noun of" if elided else "the head noun"
        reason = f"a description: {what} {t.text!r} names {profile.id} in the register" + (
            f"; {why}" if why else ""
        )
        out = [self.add(a, b, profile.id, reason)]
        # "trade union and opposition political party activists": the words before "and" share the head
        if stop >= 1 and toks[stop].low == "and" and not count and _plural(t.text):
            k = stop - 1
            words: list[str] = []
            while k >= 0 and _is_word(toks[k].text) and toks[k].low not in _FUNCTION and stop - k <= 4:
                if toks[k].low in self.profiles.verbs or self.verb_before(k):
                    break
                if toks[k].text[:1].isupper() and not self.sentence_start(k):
                    break
                words.append(toks[k].text)
                k -= 1
            if words:
                others = [p for p in candidates if p.id != profile.id]
                alt = self.choose(others, head, [norm(w) for w in words], None, [], [], last_seen, True)
                if alt is not None:
                    a2, b2 = toks[k + 1].start, toks[stop - 1].end
                    # "trade union and ...": "trade union" modifies the shared head, it names no union
                    self.found = [f for f in self.found if not (a2 <= f.start and f.end <= b2)]
                    out.append(
                        self.add(
                            a2,
                            b2,
                            alt[0].id,
                            f"a description sharing the head noun {t.text!r} after 'and' names {alt[0].id}; {alt[1]}",
                        )
                    )
        return out

    def place_nouns_and_adjectives(self) -> None:
        toks = self.toks
        refs: list[Mention] | None = None
        for i, t in enumerate(toks):
            ptype = self.place_nouns.get(t.low)
            if ptype and i > 0 and toks[i - 1].low == "the" and self.free(t.start, t.end):
                if i + 1 < len(toks) and toks[i + 1].low == "of":
                    continue  # "the oil city of Zhanaozen": the name follows
                refs = refs if refs is not None else self.referents()
                before = [
                    m
                    for m in refs[: bisect.bisect_left([r.start for r in refs], t.start)]
                    if m.end <= t.start
                    and self.profiles.by_id.get(m.ids[0], None) is not None
                    and self.profiles.by_id[m.ids[0]].place_type == ptype
                ]
                if before:
                    ante = before[-1]
                    self.add(
                        toks[i - 1].start,
                        t.end,
                        ante.ids[0],
                        f"'the {t.text}': the nearest {ptype} named before it, {ante.text!r}",
                    )
        places = {
            p.label: p.id
            for p in self.profiles.by_id.values()
            if p.kind == "Place" and p.label.isalpha() and p.label[:1].isupper()
        }
        for t in toks:
            for name, rid in places.items():
                if (
                    t.text.startswith(name)
                    and t.text[len(name) :] in self.suffixes
                    and self.free(t.start, t.end)
                ):
                    self.add(t.start, t.end, rid, f"an adjective of the place name {name!r}")

    def variants(self) -> None:
        """Names the document gives in parentheses after a name, found again elsewhere."""
        given: dict[str, tuple[str, str]] = {}  # variant -> (id, the name it follows), first given wins
        for m in sorted([*self.names, *self.found], key=lambda m: m.start):
            if len(m.ids) != 1:
                continue
            paren = re.match(r"\s*\(([^()]{2,80})\)", self.text[m.end : m.end + 90])
            if not paren:
                continue
            for part in paren.group(1).split(","):
                variant = " ".join(part.strip().strip("“”\"'’ ").split())
                if len(variant) >= 2 and not variant.isdigit():
                    given.setdefault(variant, (m.ids[0], _plain(m.text)))
        if not given:
            return
        taken = bytearray(self.occupied)
        for f in self.found:
            taken[f.start : f.end] = b"\x01" * (f.end - f.start)
        # one pass over the tokens, a dictionary look-up per length: a hostile text may give thousands
        by_words: dict[tuple[str, ...], tuple[str, str]] = {}
        for variant, value in given.items():
            words = tuple(t for t, _, _ in tokens(variant))
            if words:
                by_words.setdefault(words, value)
        lengths = sorted({len(w) for w in by_words}, reverse=True)
        toks = self.toks
        i = 0
        while i < len(toks):
            for n in lengths:
                key = tuple(t.text for t in toks[i : i + n])
                if len(key) == n and key in by_words:
                    a, b = toks[i].start, toks[i + n - 1].end
                    if taken.find(1, a, b) == -1:
                        rid, after = by_words[key]
                        self.add(a, b, rid, f"a variant the document gives in parentheses after {after!r}")
                        i += n - 1
                        break
            i += 1

    def resolve_pronouns(self) -> None:
        toks = self.toks
        resolved: list[Mention] = []
        refs = self.referents()
        starts = [m.start for m in refs]
        for i, t in enumerate(toks):
            kind = self.pronouns.get(t.low)
            partitive = False
            if kind is None and t.low in self.partitives and i + 1 < len(toks):
                nxt = toks[i + 1].low
                if nxt in _AUX or nxt in ("said", "told", "gave") or (nxt.endswith("ed") and len(nxt) > 3):
                    kind, partitive = "Group", True  # "All pleaded", "some said", "Most were sentenced"
            if kind is None or not self.free(t.start, t.end):
                continue
            lo = self.sentences[max(0, t.sentence - 2)][0]
            near = refs[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, t.start)]
            near += [m for m in resolved[-20:] if m.start >= lo]
            pool = [
                m
                for m in sorted(near, key=lambda m: m.start)
                if m.end <= t.start
                and self.kind_of(m) == kind
                and m.start >= self.sentences[max(0, t.sentence - 2)][0]
            ]
            if not pool:
                continue
            subject = t.low in ("he", "she", "they") or partitive
            ante: list[Mention] = []
            how = ""
            if (
                subject
                and self.first_of_clause(i)
                and not any(m.start >= self.sentences[t.sentence][0] for m in pool)
            ):
                prev = [m for m in pool if toks[i].sentence > 0 and self._sentence_of(m) == t.sentence - 1]
                if prev:
                    ante = [prev[0]]
                    nxt_m = [m for m in prev if m.start > prev[0].end]
                    if (
                        kind == "Group"
                        and nxt_m
                        and re.fullmatch(r"\s+and\s+", self.text[prev[0].end : nxt_m[0].start])
                    ):
                        ante.append(nxt_m[0])  # "released detainees and relatives of detainees"
                    how = "the subject of the sentence before"
            if not ante:
                ante = [pool[-1]]
                how = f"the nearest {kind.lower()} before it"
            for m in ante:
                r = Mention(
                    t.start,
                    t.end,
                    t.text,
                    ids=m.ids[:1],
                    kind=kind,
                    reason=f"the {'word' if partitive else 'pronoun'} {t.text!r} refers to {m.text!r}, {how}",
                )
                resolved.append(r)
        self.found += resolved

    def _sentence_of(self, m: Mention) -> int:
        k = bisect.bisect_right(self.sentence_starts, m.start) - 1
        return k if k >= 0 and m.start < self.sentences[k][1] else -1


def _plain(s: str) -> str:
    return " ".join(s.split())
