"""Uncertain dates: EDTF as written, resolved to earliest/latest bounds with a status and a reason."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..errors import DataError

__all__ = ["CombinedDate", "ResolvedDate", "combine_dates", "edtf_bounds", "resolve_date"]

STATUSES = ("stated", "year-inferred", "relative", "derived", "conflicting")


@dataclass(frozen=True)
class ResolvedDate:
    """A date with its bounds.

    Attributes
    ----------
    edtf
        The EDTF string as written, or an interval built from the bounds when the text gives no date.
    text
        The words of the document, if any.
    earliest, latest
        Inclusive bounds: the earliest the event can have begun, the latest it can have ended.
    latest_begin, earliest_end
        The latest it can have begun and the earliest it can have ended (SEM's four time stamps).
        For a date that is not an interval, both are open within [earliest, latest]; for an
        interval such as "2012-03/.." (began in March 2012, end unknown) they keep the start's
        bounds and the end's apart.
    status
        ``stated``, ``year-inferred``, ``relative`` or ``derived``.
    reason
        Why the bounds are what they are (for every status but ``stated``).
    relative_to
        The id of the event a relative expression refers to.
    relation
        The relation to that event (``next_day``...).
    """

    edtf: str
    text: str | None
    earliest: dt.date
    latest: dt.date
    status: str
    reason: str | None = None
    relative_to: str | None = None
    relation: str | None = None
    edtf_derived: bool = False
    latest_begin: dt.date | None = None
    earliest_end: dt.date | None = None
    closed_by_document: bool = False

    @property
    def begin_latest(self) -> dt.date:
        """The latest day the event can have begun."""
        return self.latest_begin or self.latest

    @property
    def end_earliest(self) -> dt.date:
        """The earliest day the event can have ended."""
        return self.earliest_end or self.earliest

    @property
    def inferred(self) -> bool:
        """Whether any part of the date is not stated by the text."""
        return self.status != "stated"


@functools.lru_cache(maxsize=4096)
def edtf_bounds(value: str) -> tuple[dt.date | None, dt.date | None, int]:
    """The strict bounds of an EDTF string and the precision of its start (4 year, 7 month, 10 day).

    Open interval ends (``..``) and unknown ends (empty) give ``None``.

    Examples
    --------
    >>> edtf_bounds("2011-12-16")
    (datetime.date(2011, 12, 16), datetime.date(2011, 12, 16), 10)
    >>> edtf_bounds("2012-03")
    (datetime.date(2012, 3, 1), datetime.date(2012, 3, 31), 7)
    >>> edtf_bounds("2011/..")
    (datetime.date(2011, 1, 1), None, 4)
    >>> edtf_bounds("2012-07-03T22:00:00")
    (datetime.date(2012, 7, 3), datetime.date(2012, 7, 3), 10)
    """
    if "/" in value:
        start, _, end = value.partition("/")
        lo = None if start in ("", "..") else _parse(start)[0]
        hi = None if end in ("", "..") else _parse(end)[1]
        if start not in ("", ".."):
            precision = _precision(start)
        else:
            precision = _precision(end) if end not in ("", "..") else 4
        if lo is not None and hi is not None:
            _parse(value)  # validates the interval as a whole
        return lo, hi, precision
    lo, hi = _parse(value)
    return lo, hi, _precision(value)


def _precision(value: str) -> int:
    head = value.split("T", 1)[0].rstrip("?~%")
    return min(len(head), 10)


_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _parse(value: str) -> tuple[dt.date, dt.date]:
    plain = _PLAIN.match(value)
    if plain:
        # A plain year, month or day (most dates): the bounds directly, ~1000x faster than the
        # edtf parser. An impossible date (2011-02-30) falls through to edtf for its message.
        year, month, day = plain.groups()
        try:
            if day:
                date = dt.date(int(year), int(month), int(day))
                return date, date
            if month:
                first = dt.date(int(year), int(month), 1)
                return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
            return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
        except ValueError:
            pass
    import edtf  # 0.25 s to import (pyparsing): only for dates the fast path above does not read

    try:
        parsed = edtf.parse_edtf(value)
        lo = edtf.struct_time_to_date(parsed.lower_strict())
        hi = edtf.struct_time_to_date(parsed.upper_strict())
    except Exception as exc:  # the edtf library raises several unrelated types
        raise ValueError(str(exc)) from exc
    return lo, hi


def _narrow(
    lo: dt.date, hi: dt.date, precision: int, part: str, parts: Mapping[str, Mapping[str, tuple[int, int]]]
) -> tuple[dt.date, dt.date]:
    if precision == 4:
        first, last = parts["year"][part]
        end_day = calendar.monthrange(lo.year, last)[1]
        return dt.date(lo.year, first, 1), dt.date(lo.year, last, end_day)
    if precision == 7:
        first, last = parts["month"][part]
        end_day = calendar.monthrange(lo.year, lo.month)[1]
        return dt.date(lo.year, lo.month, first), dt.date(lo.year, lo.month, min(last, end_day))
    raise ValueError("a part (early, mid, end) applies only to a year or a month")


def _fmt(lo: dt.date, hi: dt.date) -> str:
    return lo.isoformat() if lo == hi else f"{lo.isoformat()}/{hi.isoformat()}"


def resolve_date(
    spec: Mapping[str, Any],
    *,
    lookup: Callable[[str], ResolvedDate],
    source_date: Callable[[], ResolvedDate] | None,
    parts: Mapping[str, Mapping[str, tuple[int, int]]],
    relations: Mapping[str, tuple[int | None, int | None]],
    where: Callable[[str], tuple[Any, int]],
) -> ResolvedDate:
    """Resolve one date spec (see docs/data-model.md) to bounds.

    Parameters
    ----------
    spec
        The ``date:`` mapping of a record.
    lookup
        Resolves the date of another record by id (for ``relative``, ``after``, ``before``).
    source_date
        The date of the record's source document, which closes open bounds; ``None`` for a source itself.
    parts, relations
        The model's date parts and relative-date relations.
    where
        Returns (path, line) of a field of the spec, for error messages.

    Examples
    --------
    >>> from zhanaozen_graph.records.model import get_model
    >>> m = get_model()
    >>> r = resolve_date({"edtf": "2011", "part": "mid", "text": "mid-2011"}, lookup=None, source_date=None,
    ...                  parts=m.date_parts, relations=m.date_relations, where=lambda k: (None, None))
    >>> (r.earliest.isoformat(), r.latest.isoformat(), r.status)
    ('2011-05-01', '2011-08-31', 'stated')
    """

    def fail(key: str, message: str, hint: str) -> DataError:
        path, line = where(key)
        return DataError(message, path=path, line=line, hint=hint)

    value = spec.get("edtf")
    text = spec.get("text")
    lo: dt.date | None = None
    hi: dt.date | None = None
    reasons: list[str] = []
    status = "stated"
    relative_to = relation = None
    if value is not None:
        value = str(value)
        try:
            lo, hi, _precision = edtf_bounds(value)
        except ValueError:
            raise fail(
                "edtf",
                f"invalid EDTF date {value!r}",
                "write it in EDTF, e.g. 2012-07-03, 2011-05, 2011, 2011-05/2011-12 or 2011/..",
            ) from None
        part = spec.get("part")
        if part is not None:
            # In an interval ("since mid-2011": 2011/..) the part narrows the start only.
            start = value.split("/", 1)[0] if "/" in value else value
            s_lo, s_hi, s_precision = edtf_bounds(start) if start not in ("", "..") else (None, None, 0)
            if s_lo is None or s_hi is None or part not in parts["year"]:
                raise fail(
                    "part", f"invalid part {part!r} for {value!r}", "use early, mid or end of a year or month"
                )
            try:
                n_lo, n_hi = _narrow(s_lo, s_hi, s_precision, str(part), parts)
            except ValueError as exc:
                raise fail(
                    "part", f"{exc} (edtf is {value!r})", "remove part or give a year or a month"
                ) from None
            lo, hi = (n_lo, hi) if "/" in value else (n_lo, n_hi)
    if spec.get("year_inferred"):
        status = "year-inferred"
        reasons.append(f"year inferred: {spec['year_inferred']}")
    if spec.get("external"):
        reasons.append(f"from outside the text: {spec['external']}")
    start_hi: dt.date | None = None
    end_lo: dt.date | None = None
    if value is not None and "/" in value:
        start, _, end = value.partition("/")
        if start not in ("", ".."):
            s_lo, start_hi, s_precision = edtf_bounds(start)
            if spec.get("part") is not None and s_lo is not None and start_hi is not None:
                start_hi = _narrow(s_lo, start_hi, s_precision, str(spec["part"]), parts)[1]
        if end not in ("", ".."):
            end_lo = edtf_bounds(end)[0]
    rel = spec.get("relative")
    if rel is not None:
        if not isinstance(rel, Mapping) or "to" not in rel or rel.get("relation") not in relations:
            raise fail(
                "relative",
                "malformed relative date",
                f"write relative: {{to: EVENT-ID, relation: one of {', '.join(relations)}}}",
            )
        relative_to, relation = str(rel["to"]), str(rel["relation"])
        ref = lookup(relative_to)
        off_lo, off_hi = relations[relation]
        r_lo = ref.earliest + dt.timedelta(days=off_lo) if off_lo is not None else None
        r_hi = ref.latest + dt.timedelta(days=off_hi) if off_hi is not None else None
        lo = r_lo if lo is None else (max(lo, r_lo) if r_lo else lo)
        hi = r_hi if hi is None else (min(hi, r_hi) if r_hi else hi)
        status = "relative"
        reasons.append(f"{relation.replace('_', ' ')} {relative_to}" + (f" ({text!r})" if text else ""))
    for key in ("after", "before"):
        for ref_id in spec.get(key) or []:
            ref = source_date() if (ref_id == "source" and source_date) else lookup(str(ref_id))
            if key == "after":
                lo = ref.earliest if lo is None else max(lo, ref.earliest)
            else:
                hi = ref.latest if hi is None else min(hi, ref.latest)
    if value is None and rel is None:
        status = "derived"
        if not spec.get("reason"):
            raise fail(
                "reason", "a date with no edtf and no relative needs a reason", "say why the bounds hold"
            )
    if spec.get("reason"):
        reasons.append(str(spec["reason"]))
    closed = False
    if hi is None and source_date is not None:
        hi = source_date().latest
        closed = True
        reasons.append("latest bound is the document's date")
        if status == "stated":
            status = "derived"
    if lo is None or hi is None:
        raise fail(
            "edtf" if value is not None else "after",
            "the date has no lower bound" if lo is None else "the date has no upper bound",
            "give an edtf date, a relative date or 'after: [EVENT-ID]'",
        )
    if hi < lo:
        raise fail(
            "edtf" if value is not None else "before",
            f"latest {hi.isoformat()} is before earliest {lo.isoformat()}",
            "check the date and the events it is relative to",
        )
    return ResolvedDate(
        edtf=value if value is not None else _fmt(lo, hi),
        text=str(text) if text is not None else None,
        earliest=lo,
        latest=hi,
        status=status,
        reason="; ".join(reasons) or None,
        relative_to=relative_to,
        relation=relation,
        edtf_derived=value is None,
        latest_begin=min(start_hi, hi) if start_hi is not None else None,
        earliest_end=max(end_lo, lo) if end_lo is not None else (lo if start_hi is not None else None),
        closed_by_document=closed,
    )


@dataclass(frozen=True)
class CombinedDate:
    """The date of a record over all the sources that date it.

    ``agreement`` is ``single`` (one source), ``agree`` (every source's bounds overlap: the
    combined bounds are their intersection, the EDTF that of the narrowest) or ``conflict`` (no
    day satisfies them all: the bounds span them all and each source's date stands on its own).
    """

    date: ResolvedDate
    agreement: str
    sources: tuple[str, ...]


def combine_dates(dated: list[tuple[str, ResolvedDate]]) -> CombinedDate:
    """Combine the dates different sources give for one record; a disagreement is never averaged.

    Examples
    --------
    >>> d = lambda e, lo, hi: ResolvedDate(e, None, dt.date.fromisoformat(lo), dt.date.fromisoformat(hi), "stated")
    >>> c = combine_dates([("a", d("2011-12", "2011-12-01", "2011-12-31")), ("b", d("2011-12-16", "2011-12-16", "2011-12-16"))])
    >>> c.agreement, c.date.edtf, c.date.earliest.isoformat()
    ('agree', '2011-12-16', '2011-12-16')
    >>> c = combine_dates([("a", d("2011-12-16", "2011-12-16", "2011-12-16")), ("b", d("2011-12-17", "2011-12-17", "2011-12-17"))])
    >>> c.agreement, c.date.edtf, c.date.status
    ('conflict', '2011-12-16/2011-12-17', 'conflicting')
    """
    sources = tuple(s for s, _ in dated)
    dates = [d for _, d in dated]
    if len(dates) == 1:
        return CombinedDate(dates[0], "single", sources)
    lo, hi = max(d.earliest for d in dates), min(d.latest for d in dates)
    if lo <= hi:
        narrowest = min(dates, key=lambda d: (d.latest - d.earliest, d.inferred))
        latest_begin = min(d.begin_latest for d in dates)
        earliest_end = max(d.end_earliest for d in dates)
        combined = replace(
            narrowest,
            earliest=lo,
            latest=hi,
            latest_begin=min(max(latest_begin, lo), hi) if latest_begin < hi else None,
            earliest_end=max(min(earliest_end, hi), lo) if earliest_end > lo else None,
            closed_by_document=all(d.closed_by_document for d in dates),
        )
        return CombinedDate(combined, "agree", sources)
    lo, hi = min(d.earliest for d in dates), max(d.latest for d in dates)
    reason = "the sources disagree: " + "; ".join(f"{s} gives {d.edtf}" for s, d in dated)
    combined = ResolvedDate(
        edtf=_fmt(lo, hi),
        text=None,
        earliest=lo,
        latest=hi,
        status="conflicting",
        reason=reason,
        edtf_derived=True,
    )
    return CombinedDate(combined, "conflict", sources)
