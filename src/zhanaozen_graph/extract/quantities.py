"""Quantities with their qualifier ("at least 15", "over 130", "up to seven years", "dozens") as bounds and unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..graph.rdf import quantity_range
from ..records.model import get_model

__all__ = ["FoundQuantity", "find_quantities"]

_UNITS = {"day": "days", "days": "days", "year": "years", "years": "years", "month": "months"}
_UNITS |= {"months": "months", "week": "weeks", "weeks": "weeks", "hour": "hours", "hours": "hours"}
_UNITS |= {"km": "km", "kilometres": "km", "kilometers": "km", "metres": "metres", "miles": "miles"}
_PEOPLE = {"people", "persons", "men", "women", "children", "others"}
_NOT_BEFORE = re.compile(r"(?i:article|articles|no\.|number|section|paragraph|part|chapter)\s*$")


@dataclass
class FoundQuantity:
    """A number the text gives, with the qualifier that bounds it.

    ``low``/``best``/``high`` follow docs/data-model.md (Quantities): "at least 15" has low 15, "more
    than 100" low 101, "up to 7" high 7, "about 40" best 40, "dozens" low 24 and no best value.
    """

    start: int
    end: int
    text: str
    value: int
    qualifier: str
    unit: str
    measure: str
    low: int | None
    best: int | None
    high: int | None

    def spec(self) -> dict[str, object]:
        """The quantity in the records' own format."""
        return {
            "measure": self.measure,
            "value": self.value,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "quote": self.text,
        }


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str], dict[str, int], dict[str, int], frozenset[str]]:
    rules = get_model().extraction
    cues: dict[str, str] = rules["qualifier_cues"]
    vague: dict[str, int] = rules["vague_numbers"]
    words: dict[str, int] = {k: v for k, v in rules["number_words"].items() if k != "one"}
    people = frozenset(w.lower() for w in rules["kind_cues"]["Group"]) | _PEOPLE
    cue = "|".join(sorted((re.escape(c) for c in cues), key=len, reverse=True))
    word = "|".join(sorted(words, key=len, reverse=True))
    pattern = re.compile(
        r"(?<![\w,.-])"
        r"(?:(?P<cue>(?i:" + cue + r"))\s+)?"
        r"(?:(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\w,])|(?P<word>(?i:" + word + r"))(?![\w-]))"
        r"(?:-[ \t]*(?:\r?\n\s*)?(?P<hyunit>day|days|year|month|week|hour|km)\b)?"
        r"(?P<tail>(?:\s+(?:of\s+(?:the|them|those|his|her|their)\s+)?[A-Za-z][\w-]*)?(?:\s+[a-z][\w-]*)?)"
        r"|(?<![\w-])(?P<vague>(?i:"
        + "|".join(vague)
        + r"))(?P<vtail>\s+of\s+[\w-]+(?:\s+[a-z][\w-]*){0,3})?"
    )
    return pattern, cues, vague, words, people


def find_quantities(text: str, skip: list[tuple[int, int]] | None = None) -> list[FoundQuantity]:
    """Every quantity of ``text``, outside the spans in ``skip`` (dates, so "16 December" is no number).

    Examples
    --------
    >>> [(q.text, q.value, q.qualifier, q.unit, q.low, q.high) for q in find_quantities("At least 15 people were killed.")]
    [('At least 15 people', 15, 'at_least', 'people', 15, None)]
    >>> [(q.text, q.value, q.qualifier, q.low) for q in find_quantities("police beat dozens of striking workers")]
    [('dozens of striking workers', 24, 'vague', 24)]
    """
    pattern, cues, vague, words, people = _pattern()
    skip = skip or []
    out: list[FoundQuantity] = []
    for m in pattern.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in skip):
            # a number inside a date: keep nothing of it
            continue
        if _NOT_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue  # "article 164", "Number One"
        g = m.groupdict()
        if g["vague"]:
            noun_words = (g["vtail"] or "").split()[1:]
            value = vague[g["vague"].lower()]
            end = m.end("vague")
            for i, w in enumerate(noun_words):
                if w.lower() in people or (i == len(noun_words) - 1 and i < 2):
                    end = m.start("vtail") + _find_word(g["vtail"], w)
                    noun_words = noun_words[: i + 1]
                    break
            unit = _unit_of(noun_words, people)
            q = _bounded(
                m.start(), end, text, value, "vague", unit, _measure(text, m.start(), end, noun_words)
            )
            out.append(q)
            continue
        value = int(g["num"].replace(",", "")) if g["num"] else words[g["word"].lower()]
        tail = (g["tail"] or "").split()
        if g["word"] and not (tail and (tail[0] == "of" or tail[0].endswith("s"))):
            continue  # "seven" alone is rarely a count; "seven years", "Seven of the defendants" are
        if (g["num"] and text[m.end() : m.end() + 1] == ":") or re.match(r"\s*(?i:am|pm)\b", g["tail"] or ""):
            continue
        qualifier = cues[g["cue"].lower()] if g["cue"] else "exactly"
        if g["hyunit"]:
            unit = _UNITS.get(g["hyunit"], g["hyunit"])
            end = m.start("hyunit") + len(g["hyunit"])
            q = _bounded(m.start(), end, text, value, qualifier, unit, "duration")
            out.append(q)
            continue
        noun_words = [w for w in tail if w not in ("of", "the", "them", "those", "his", "her", "their")]
        if noun_words and noun_words[0].lower() in _UNITS:
            unit = _UNITS[noun_words[0].lower()]
            end = m.start("tail") + (g["tail"] or "").find(noun_words[0]) + len(noun_words[0])
        else:
            unit = _unit_of(noun_words, people)
            if unit == "people" and noun_words and noun_words[0].lower() in people:
                end = m.start("tail") + (g["tail"] or "").find(noun_words[0]) + len(noun_words[0])
            else:
                end = m.end("num") if g["num"] else m.end("word")
        measure = _measure(text, m.start(), end, noun_words)
        if not unit:
            if measure == "count" and not g["cue"]:
                continue  # a bare number that counts nothing the text names
            unit = "people" if measure != "count" or not noun_words else unit
        q = _bounded(m.start(), end, text, value, qualifier, unit, measure)
        out.append(q)
    return out


def _unit_of(noun_words: list[str], people: frozenset[str]) -> str:
    for w in noun_words:
        if w.lower() in people:
            return "people"
        if w.lower() in _UNITS:
            return _UNITS[w.lower()]
    if noun_words and noun_words[0].endswith("s") and noun_words[0].islower():
        return noun_words[0]
    return ""


def _find_word(tail: str, word: str) -> int:
    """The offset just after ``word`` in ``tail``."""
    return tail.find(word) + len(word)


def _measure(text: str, start: int, end: int, noun_words: list[str]) -> str:
    after = re.match(
        r"\s+(?:[\w-]+\s+){0,2}?(?:were|was|had\s+been|have\s+been|are|being|been)\s+((?:\w+ly\s+)?\w+)",
        text[end : end + 80],
    )
    if after:
        return " ".join(after.group(1).split())
    after = re.match(r"\s+(\w+ly\s+\w+ed)\b", text[end : end + 40])
    if after:
        return " ".join(after.group(1).split())
    verb = re.search(r"\b(\w+ed)\s+$", text[max(0, start - 30) : start])
    if verb:  # "police arrested dozens of striking workers"
        return verb.group(1).lower()
    return noun_words[0].lower() if noun_words else "count"


def _bounded(
    start: int, end: int, text: str, value: int, qualifier: str, unit: str, measure: str
) -> FoundQuantity:
    low, best, high = (None if v is None else int(v) for v in quantity_range(qualifier, value, unit))
    return FoundQuantity(start, end, text[start:end], value, qualifier, unit, measure, low, best, high)
