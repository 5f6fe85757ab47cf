"""Temporal expressions to EDTF with bounds: absolute dates, modifiers, inferred years, relative anchors."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..records.dates import edtf_bounds
from ..records.model import get_model

__all__ = ["FoundDate", "bounds_of", "find_dates"]

_MONTHS = list(calendar.month_name)[1:]
_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_YEAR = r"(?:1[89]\d\d|20\d\d)"

_ABSOLUTE = re.compile(
    r"(?<![\w-])"
    r"(?:(?P<prep>(?i:since|from|on|in|by|until|throughout|at))\s+)?"
    r"(?:(?i:(?:at|by|in|towards?)\s+the\s+)?(?P<modw>(?i:end|beginning|start|middle))\s+of\s+"
    r"|(?P<modp>(?i:early|mid|late))[-\s]+)?"
    r"(?:(?P<hour>\d{1,2})(?:[:.](?P<minute>\d\d))?\s*(?P<ampm>(?i:am|pm|a\.m\.|p\.m\.))\s+on\s+)?"
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>" + _MONTH + r")(?:,?\s+(?P<year>" + _YEAR + r"))?"
    r"|(?P<month2>"
    + _MONTH
    + r")\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,\s*(?P<year2>"
    + _YEAR
    + r"))?"
    r"|(?P<month3>" + _MONTH + r")(?:\s+(?P<year3>" + _YEAR + r"))?"
    r"|(?P<year4>" + _YEAR + r"))"
    r"(?![\w-])"
)

_ANCHOR_NP = r"(?:\s+(?:the|his|her|its|their|a|an)\s+(?P<np>[\w-]+(?:\s+conference)?))"
_RELATIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<!\w)(?i:that\s+night)(?!\w)"), "same_night"),
    (re.compile(r"(?<!\w)(?i:(?:on\s+)?the\s+(?:next|following)\s+day|the\s+day\s+after)(?!\w)"), "next_day"),
    (re.compile(r"(?<!\w)(?i:(?:on\s+)?(?:that|the\s+same)\s+day)(?!\w)"), "same_day"),
    (
        re.compile(r"(?<!\w)(?i:in\s+the\s+days\s+(?:following|after))" + _ANCHOR_NP + "?(?!\\w)"),
        "days_after",
    ),
    (re.compile(r"(?<!\w)(?i:after|following)" + _ANCHOR_NP + r"(?!\w)"), "after"),
]

_BEGAN = re.compile(r"\b(?:began|begun|begin|begins|started|starts|start)\b(?!\s+of\b)", re.IGNORECASE)
_PARTS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid"}
_PARTS |= {"end": "end", "late": "end"}


@dataclass
class FoundDate:
    """A temporal expression found in a text.

    Attributes
    ----------
    start, end, text
        Character offsets into the text and the words as written.
    edtf, part
        The date in EDTF at the precision written, and ``early``/``mid``/``end`` of it.
    year_inferred
        Why the year is what it is, when the text leaves it out.
    relation, anchor_word
        For a relative expression: its relation (``vocabularies.yaml: date_relations``) and the word of the
        event it names (``arrest`` in "after his arrest"), if any.
    """

    start: int
    end: int
    text: str
    edtf: str | None = None
    part: str | None = None
    year_inferred: str | None = None
    relation: str | None = None
    anchor_word: str | None = None

    def spec(self) -> dict[str, object]:
        """The date in the records' own format (``date:`` of an event), without the anchor."""
        out: dict[str, object] = {}
        if self.edtf is not None:
            out["edtf"] = self.edtf
        if self.part:
            out["part"] = self.part
        out["text"] = self.text
        if self.year_inferred:
            out["year_inferred"] = self.year_inferred
        return out


def bounds_of(edtf: str, part: str | None = None) -> dict[str, str | None]:
    """The earliest and latest day a date can have begun and ended, as ISO strings (``None``: open).

    Examples
    --------
    >>> bounds_of("2011", "mid")
    {'begin_earliest': '2011-05-01', 'begin_latest': '2011-08-31', 'end_earliest': '2011-05-01', 'end_latest': '2011-08-31'}
    >>> bounds_of("2012-03/..", "end")["begin_earliest"], bounds_of("2012-03/..", "end")["end_latest"]
    ('2012-03-21', None)
    """
    start, sep, _ = edtf.partition("/")
    lo, hi, precision = edtf_bounds(start)
    assert lo is not None and hi is not None
    if part:
        lo, hi = _narrow(lo, hi, precision, part, get_model().date_parts)
    if sep:
        return {
            "begin_earliest": lo.isoformat(),
            "begin_latest": hi.isoformat(),
            "end_earliest": lo.isoformat(),
            "end_latest": None,
        }
    return {
        "begin_earliest": lo.isoformat(),
        "begin_latest": hi.isoformat(),
        "end_earliest": lo.isoformat(),
        "end_latest": hi.isoformat(),
    }


def _narrow(
    lo: dt.date, hi: dt.date, precision: int, part: str, parts: Mapping[str, Mapping[str, tuple[int, int]]]
) -> tuple[dt.date, dt.date]:
    if precision == 4:
        first, last = parts["year"][part]
        return dt.date(lo.year, first, 1), dt.date(lo.year, last, calendar.monthrange(lo.year, last)[1])
    if precision == 7:
        first, last = parts["month"][part]
        end_day = calendar.monthrange(lo.year, lo.month)[1]
        return dt.date(lo.year, lo.month, first), dt.date(lo.year, lo.month, min(last, end_day))
    return lo, hi


def find_dates(text: str, document_date: str | None = None) -> list[FoundDate]:
    """Every temporal expression of ``text``, in order, with EDTF for the absolute ones.

    A date after "began" or "started" in its sentence is the start of an interval with no end
    ("began ... in May 2011": ``2011-05/..``), as is a date after "since". A year the text leaves out ("16 December") is the latest year that does not put the day after
    the document's own date; without a document date, the last year the text wrote before it; the
    reason is kept in ``year_inferred``. Relative expressions ("that night", "the next day", "in the
    days following the violence", "after his arrest") get their relation; the event they are
    anchored to is chosen by :func:`zhanaozen_graph.extract.propose.propose`.

    Parameters
    ----------
    text
        The document.
    document_date
        The document's date in EDTF (its metadata), used to infer left-out years.

    Examples
    --------
    >>> [(d.text, d.edtf, d.part) for d in find_dates("He has spoken out since mid-2011.")]
    [('since mid-2011', '2011/..', 'mid')]
    >>> d = find_dates("He was freed at 10pm on 3 July.", "2012-07")[0]
    >>> d.text, d.edtf, d.year_inferred
    ('at 10pm on 3 July', '2012-07-03T22:00:00', 'the text gives no year; 2012 is the latest year that does not put 3 July after the document date 2012-07')
    >>> [(d.text, d.relation) for d in find_dates("He flew home that night.")]
    [('that night', 'same_night')]
    """
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    years_before: list[tuple[int, int]] = []  # (offset, year) of every year written
    for m in _ABSOLUTE.finditer(text):
        g = m.groupdict()
        year_text = g["year"] or g["year2"] or g["year3"] or g["year4"]
        if g["month3"] and not year_text and not (g["prep"] or g["modw"] or g["modp"]):
            continue  # a bare month name with no preposition is too often something else ("May")
        if year_text:
            years_before.append((m.start(), int(year_text)))
        found.append(_absolute(m, text))
        taken.append((m.start(), m.end()))
    for pattern, relation in _RELATIVE:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            np = m.groupdict().get("np")
            found.append(FoundDate(m.start(), m.end(), m.group(0), relation=relation, anchor_word=np))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    for d in found:
        if d.edtf is not None and d.edtf.startswith("XXXX"):
            _infer_year(d, document_date, years_before)
    return found


def _absolute(m: re.Match[str], text: str) -> FoundDate:
    g = m.groupdict()
    month_name = g["month"] or g["month2"] or g["month3"]
    month = _MONTHS.index(month_name) + 1 if month_name else None
    day = g["day"] or g["day2"]
    year_text = g["year"] or g["year2"] or g["year3"] or g["year4"]
    year = year_text or "XXXX"
    edtf = year
    if month:
        edtf += f"-{month:02d}"
        if day:
            edtf += f"-{int(day):02d}"
    if g["hour"] and day:
        hour = int(g["hour"]) % 12 + (12 if g["ampm"].lower().startswith("p") else 0)
        edtf += f"T{hour:02d}:{int(g['minute'] or 0):02d}:00"
    part = None
    modifier = (g["modw"] or g["modp"] or "").lower()
    if modifier and not day:
        part = _PARTS[modifier]
    window = text[max(0, m.start() - 80) : m.start()]
    window = re.split(r"[.;]\s", window)[-1]
    if (g["prep"] or "").lower() == "since" or _BEGAN.search(window):
        edtf += "/.."  # "since mid-2011", "began ... in May 2011": the start, with no end given
    return FoundDate(m.start(), m.end(), m.group(0), edtf=edtf, part=part)


def _infer_year(d: FoundDate, document_date: str | None, years: list[tuple[int, int]]) -> None:
    assert d.edtf is not None
    rest = d.edtf[4:]
    month = int(rest[1:3]) if len(rest) >= 3 else 1
    day = int(rest[4:6]) if len(rest) >= 6 else 1
    if document_date and re.match(r"^\d{4}", document_date):
        doc_year = int(document_date[:4])
        doc_month = int(document_date[5:7]) if re.match(r"^\d{4}-\d{2}", document_date) else 12
        doc_day = int(document_date[8:10]) if re.match(r"^\d{4}-\d{2}-\d{2}", document_date) else 31
        year = doc_year if (month, day) <= (doc_month, doc_day) else doc_year - 1
        phrase = re.sub(
            r"^(?:(?:at|on|in|since|from|by|until)\s+)?(?:\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)\s+on\s+)?",
            "",
            d.text,
            flags=re.I,
        )
        d.year_inferred = (
            f"the text gives no year; {year} is the latest year that does not put {phrase} after "
            f"the document date {document_date}"
        )
    else:
        before = [y for pos, y in years if pos < d.start]
        after = [y for pos, y in years if pos > d.start]
        if before:
            year = before[-1]
            d.year_inferred = f"the text gives no year; {year} is the last year it wrote before"
        elif after:
            year = after[0]
            d.year_inferred = f"the text gives no year; {year} is the first year it writes after"
        else:
            return  # no year to infer from: the EDTF keeps XXXX (unspecified year)
    d.edtf = f"{year}{rest}"
