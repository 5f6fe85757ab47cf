"""Mentions of registered entities (labels, aliases, variants) and candidates for new entities."""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from ..records.load import Dataset
from ..records.model import ENTITY_KINDS, get_model

__all__ = ["Mention", "NameIndex", "find_candidates", "find_mentions", "tokens"]

_TOKEN = re.compile(r"\w+(?:-\w+)*|['’]s\b|[^\w\s]")
_PAREN = re.compile(r"\s*\([^)]*\)")
_STOP = frozenset(
    [
        "A",
        "An",
        "The",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "At",
        "In",
        "On",
        "Of",
        "For",
        "To",
        "By",
        "As",
        "After",
        "Before",
        "Following",
        "But",
        "And",
        "Or",
        "If",
        "When",
        "While",
        "Most",
        "Some",
        "Many",
        "No",
        "Yes",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Here",
        "Amnesty",
    ]
)
# Capitalised words that are dates, not names (English names, as extract/temporal.py reads them).
_MONTH_WORDS = frozenset([*calendar.month_name[1:], *calendar.day_name])
_CONNECT = frozenset({"of", "for", "the", "and", "de"})
_NOT_ADJECTIVES = frozenset(
    [
        "of",
        "to",
        "and",
        "by",
        "with",
        "their",
        "his",
        "her",
        "its",
        "all",
        "many",
        "some",
        "between",
        "at",
        "against",
        "told",
        "beat",
        "met",
        "hit",
        "on",
        "for",
        "from",
        "into",
        "among",
        "the",
        "a",
        "an",
        "as",
        "that",
        "who",
        "which",
        "were",
        "was",
        "are",
        "these",
        "those",
        "other",
        "than",
    ]
)


def _heading_word(word: str) -> bool:
    """A word in capitals of four letters or more: a heading's, not an acronym's."""
    return len(word) >= 4 and word.isupper()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words and punctuation of ``text`` with their offsets; typographic apostrophes read as ``'``.

    Examples
    --------
    >>> [t for t, _, _ in tokens("the Prosecutor’s Office, Aktau")]
    ['the', 'Prosecutor', "'s", 'Office', ',', 'Aktau']
    """
    return [(m.group().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass
class Mention:
    """A name found in the text: the record(s) it names, or the kind guessed for a new one."""

    start: int
    end: int
    text: str
    ids: tuple[str, ...] = ()
    kind: str | None = None
    reason: str = ""
    name: str = ""


@dataclass
class NameIndex:
    """Every name a record may be mentioned by, indexed by its first word (lower case)."""

    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dataset(cls, ds: Dataset, exclude_source: str | None = None) -> NameIndex:
        """The names of every person, group, organisation, place and legal provision of ``ds``.

        Names are the register's labels (without a parenthesis, without a leading "The"), its aliases,
        the aliases any source gives (a document's own variant is a name too), but not those of
        ``exclude_source``.

        Examples
        --------
        >>> from zhanaozen_graph.records.load import load_dataset
        >>> idx = NameIndex.from_dataset(load_dataset())
        >>> sorted(idx.ids["KNB"])
        ['knb']
        """
        names: dict[str, set[str]] = defaultdict(set)
        kinds: dict[str, str] = {}
        for rid, record in ds.records.items():
            if record.kind not in ENTITY_KINDS:
                continue
            kinds[rid] = record.kind
            for name in _variants(record.label):
                names[name].add(rid)
            if exclude_source is not None and record.source == exclude_source:
                continue
            for prop in ("aliases", "aliases_external"):
                for alias in record.data.get(prop) or []:
                    names[str(alias)].add(rid)
        for block in ds.blocks:
            if block.source == exclude_source or block.id not in kinds:
                continue
            for alias in block.data.get("aliases") or []:
                names[str(alias)].add(block.id)
        index = cls(ids=dict(names), kinds=kinds)
        for name in names:
            words = tuple(t for t, _, _ in tokens(name))
            if words:
                index.by_first.setdefault(words[0].lower(), []).append((words, name))
        for entries in index.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        return index


_RELATIVE_CLAUSE = re.compile(r"\s+(?:who|which|that|whose)\s.*$")


def _variants(label: str) -> list[str]:
    plain = _PAREN.sub("", label).strip()
    out = [label, plain]
    head = _RELATIVE_CLAUSE.sub("", plain)  # "KNB officers who arrested ..." reads "KNB officers"
    if len(head.split()) >= 2:  # never one word: "All who sent appeals" is not "All"
        out.append(head)
    acronym = re.search(r"((?:\b[A-Z]\w*\s+){2,6})\(([A-Z]{2,6})\)\s*", label)
    if acronym:  # "The Urgent Action (UA) network" also reads "UA network"
        words = acronym.group(1).split()[-len(acronym.group(2)) :]
        if "".join(w[0] for w in words) == acronym.group(2):
            short = label[: acronym.start(1)] + " ".join(acronym.group(1).split()[: -len(words)])
            short = (short.rstrip() + " " + acronym.group(2) + " " + label[acronym.end() :]).strip()
            out.append(short)
            for article in ("The ", "the "):
                if short.startswith(article):
                    out.append(short[len(article) :])
    for article in ("The ", "the "):
        if plain.startswith(article):
            out.append(plain[len(article) :])
    return [v for v in dict.fromkeys(out) if len(v) > 1]


def _same(word: str, name_word: str, first: bool) -> bool:
    if first:
        return word[:1].lower() == name_word[:1].lower() and word[1:] == name_word[1:]
    return word == name_word


def find_mentions(text: str, index: NameIndex) -> list[Mention]:
    """The names of ``index`` in ``text``, longest first, never overlapping.

    A name matches word by word; its first letter may be in either case ("Striking workers",
    "striking workers"). A name "X in Y" also matches "X in the western city of Y" (up to five words
    between), as documents describe a place before naming it.

    Examples
    --------
    >>> from zhanaozen_graph.records.load import load_dataset
    >>> idx = NameIndex.from_dataset(load_dataset())
    >>> [(m.text, m.ids) for m in find_mentions("He was arrested by KNB officers in Aktau.", idx)]
    [('KNB officers', ('knb-officers',)), ('Aktau', ('aktau',))]
    """
    toks = tokens(text)
    out: list[Mention] = []
    outer_end = 0  # the end of the last name not inside another
    for i in range(len(toks)):
        best: tuple[int, str] | None = None
        for words, name in index.by_first.get(toks[i][0].lower(), ()):
            end = _match(toks, i, words)
            if end is not None and (best is None or end > best[0]):
                best = (end, name)
        if best is None:
            continue
        end, name = best
        start_char, end_char = toks[i][1], toks[end - 1][2]
        ids = tuple(sorted(index.ids[name]))
        if start_char < outer_end:
            # a name inside a longer one ("Aktau" in "the Prosecutor's Office in ... Aktau"): kept when it
            # names another record and ends with it or inside it
            if end_char > outer_end or any(set(ids) <= set(m.ids) for m in out if m.end >= end_char):
                continue
        else:
            outer_end = end_char
        out.append(Mention(start_char, end_char, text[start_char:end_char], ids=ids, name=name))
    return out


def _match(toks: list[tuple[str, int, int]], i: int, words: tuple[str, ...]) -> int | None:
    """The token index after a match of ``words`` at ``i``, or ``None``."""
    j = i
    k = 0
    while k < len(words):
        if j >= len(toks):
            return None
        if _same(toks[j][0], words[k], k == 0):
            j += 1
            k += 1
            continue
        if k > 0 and words[k - 1] == "in" and k < len(words):
            # "X in Y" also reads "X in the western city of Y"
            for gap in range(1, 6):
                if (
                    j + gap < len(toks)
                    and toks[j + gap - 1][0] not in ".;:"
                    and _same(toks[j + gap][0], words[k], False)
                ):
                    j += gap
                    break
            else:
                return None
            continue
        return None
    # a name ends at a word boundary: "KNB" does not match inside "KNBs"
    return j


@cache
def _cues() -> tuple[dict[str, str], frozenset[str]]:
    rules = get_model().extraction
    cue_kind = {w: kind for kind, words in rules["kind_cues"].items() for w in words}
    return cue_kind, frozenset(rules["place_prepositions"])


def find_candidates(text: str, taken: list[tuple[int, int]], sentence_starts: set[int]) -> list[Mention]:
    """Names of ``text`` no record carries: capitalised runs and groups ("striking workers").

    The kind is a guess with its reason: the run's last word ("... Office": an organisation), the word
    before it ("in Aktau": a place), its shape (two or three capitalised words: a person), or a plural
    noun of people ("unarmed citizens": a group).

    Examples
    --------
    >>> [(m.text, m.kind) for m in find_candidates("Maria Ivanova met the Caspian Oil Workers Union in Atyrau.", [], {0})]
    [('Maria Ivanova', 'Person'), ('Caspian Oil Workers Union', 'Organisation'), ('Atyrau', 'Place')]
    """
    cue_kind, preps = _cues()
    toks = tokens(text)
    out: list[Mention] = []

    mask = bytearray(len(text) + 1)  # 1 where a span of ``taken`` is: each look-up in constant time
    for x, y in taken:
        mask[x:y] = b"\x01" * (y - x)

    def free(a: int, b: int) -> bool:
        return mask.find(1, a, b) == -1

    i = 0
    while i < len(toks):
        word = toks[i][0]
        if not word[:1].isupper() or word in _MONTH_WORDS or _heading_word(word):
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            w = toks[j][0]
            if w[:1].isupper() and w not in _MONTH_WORDS and not _heading_word(w):
                j += 1
            elif (
                w in _CONNECT
                and j + 1 < len(toks)
                and toks[j + 1][0][:1].isupper()
                and toks[j + 1][0] != "The"
            ):
                j += 2
            else:
                break
        run = [t[0] for t in toks[i:j]]
        while run and run[0] in _STOP:
            run = run[1:]
            i += 1
        if not run:
            i = max(i, j)
            continue
        a, b = toks[i][1], toks[j - 1][2]
        line_start = text.rfind("\n", 0, a) + 1
        heading = text[line_start : text.find("\n", b) if "\n" in text[b:] else len(text)]
        if heading.strip().isupper() or not free(a, b):
            i = j
            continue
        if len(run) == 1 and (a in sentence_starts or run[0].isdigit()):
            i = j
            continue
        before = toks[i - 1][0].lower() if i > 0 else ""
        if run[-1] in cue_kind:
            kind, reason = cue_kind[run[-1]], f"ends in '{run[-1]}'"
        elif before in preps:
            kind, reason = "Place", f"follows '{before}'"
        elif run[0].isupper() and len(run) == 1:
            kind, reason = "Organisation", "an acronym"
        elif 2 <= len(run) <= 3 and all(w[:1].isupper() for w in run):
            kind, reason = "Person", "two or three capitalised words"
        else:
            kind, reason = "Organisation", "a capitalised name of no known kind"
        out.append(Mention(a, b, text[a:b], kind=kind, reason=reason))
        i = j
    found = bytearray(len(text) + 1)  # the names found above, and the groups as they are found
    for m in out:
        found[m.start : m.end] = b"\x01" * (m.end - m.start)
    for k in range(1, len(toks)):
        noun, adj = toks[k][0], toks[k - 1][0]
        if cue_kind.get(noun) == "Group" and adj.islower() and adj not in _CONNECT and adj.isalpha():
            if adj in _NOT_ADJECTIVES:
                continue
            a, b = toks[k - 1][1], toks[k][2]
            if free(a, b) and found.find(1, a, b) == -1:
                out.append(
                    Mention(a, b, text[a:b], kind="Group", reason=f"'{noun}' with a word that qualifies them")
                )
                found[a:b] = b"\x01" * (b - a)
    out.sort(key=lambda m: m.start)
    return out
