"""Uncertain dates: EDTF bounds, parts of periods, inferred years, relative and derived dates."""

from __future__ import annotations

import datetime as dt

import pytest

from zhanaozen_graph.records.dates import edtf_bounds
from zhanaozen_graph.records.load import load_dataset
from zhanaozen_graph.records.validate import check_dataset

from .conftest import DATA


@pytest.fixture(scope="module")
def dates():  # type: ignore[no-untyped-def]
    report = check_dataset(load_dataset(DATA))
    sources = {k: v for k, v in report.dates.items() if k.startswith("source:")}
    return {**{rid: c.date for rid, c in report.combined_dates.items()}, **sources}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("value", "lo", "hi"),
    [
        ("2011-12-16", "2011-12-16", "2011-12-16"),
        ("2011-05", "2011-05-01", "2011-05-31"),
        ("2012-02", "2012-02-01", "2012-02-29"),
        ("2011", "2011-01-01", "2011-12-31"),
        ("2011-05/2011-12", "2011-05-01", "2011-12-31"),
    ],
)
def test_edtf_bounds(value: str, lo: str, hi: str) -> None:
    assert edtf_bounds(value)[:2] == (d(lo), d(hi))


def test_open_interval_has_no_upper_bound() -> None:
    assert edtf_bounds("2011/..") == (d("2011-01-01"), None, 4)


def test_inferred_year_is_marked_with_its_reason(dates) -> None:  # type: ignore[no-untyped-def]
    arrest = dates["atabaev-arrested"]
    assert (arrest.edtf, arrest.text, arrest.status) == ("2012-06-15", "on 15 June", "year-inferred")
    assert arrest.reason is not None and arrest.reason.startswith(
        "year inferred: The arrest came after the charges"
    )


def test_relative_dates_follow_their_reference(dates) -> None:  # type: ignore[no-untyped-def]
    flight = dates["atabaev-flies-home"]
    # "that night", after his release at 10pm on 3 July: the night of 3 to 4 July.
    assert (flight.earliest, flight.latest, flight.status, flight.relative_to) == (
        d("2012-07-03"),
        d("2012-07-04"),
        "relative",
        "atabaev-released",
    )
    press = dates["atabaev-press-conference"]
    assert (press.earliest, press.latest, press.relation, press.text) == (
        d("2012-07-04"),
        d("2012-07-04"),
        "next_day",
        "the next day",
    )
    reports = dates["detainees-report"]
    assert (reports.earliest, reports.latest) == (d("2011-12-16"), d("2012-01-15"))


def test_fuzzy_expressions_get_honest_bounds(dates) -> None:  # type: ignore[no-untyped-def]
    trial = dates["main-trial"]
    # "started at the end of March 2012": it began on 21-31 March; its end is unknown, so it may have
    # gone on up to the document's date, and it cannot have ended before it began.
    assert (trial.edtf, trial.earliest, trial.latest, trial.text) == (
        "2012-03/..",
        d("2012-03-21"),
        d("2012-07-31"),
        "at the end of March 2012",
    )
    assert (trial.begin_latest, trial.end_earliest, trial.closed_by_document) == (
        d("2012-03-31"),
        d("2012-03-21"),
        True,
    )
    speaking = dates["atabaev-speaking-out"]
    # "since mid-2011": starts in May-August 2011 and goes on up to the document's date
    assert (speaking.edtf, speaking.earliest, speaking.latest) == (
        "2011/..",
        d("2011-05-01"),
        d("2012-07-31"),
    )


def test_undated_events_get_derived_bounds(dates) -> None:  # type: ignore[no-untyped-def]
    sentences = dates["seven-sentenced"]
    assert (sentences.status, sentences.earliest, sentences.latest, sentences.edtf) == (
        "derived",
        d("2012-03-21"),
        d("2012-07-31"),
        "2012-03-21/2012-07-31",
    )
    assert sentences.edtf_derived


def test_the_documents_date_is_inferred_from_its_content(dates) -> None:  # type: ignore[no-untyped-def]
    doc = dates["source:amnesty-ua-2012-07-atabaev-released"]
    assert (doc.edtf, doc.earliest, doc.latest, doc.status) == (
        "2012-07",
        d("2012-07-04"),
        d("2012-07-31"),
        "year-inferred",
    )


def test_every_date_has_ordered_bounds(dates) -> None:  # type: ignore[no-untyped-def]
    assert all(r.earliest <= r.latest for r in dates.values())
