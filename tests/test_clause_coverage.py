"""Clause coverage: each sentence split into clauses, each clause covered, partly covered or not."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from zhanaozen_graph import check_dataset, load_dataset
from zhanaozen_graph.cli import cli
from zhanaozen_graph.graph.build import KnowledgeGraph
from zhanaozen_graph.reports import (
    ClauseCoverageReport,
    clause_coverage,
    clauses,
    cover_clauses,
)

from .conftest import DATA

# A hand-made mini document: one heading, two sentences.
MINI = (
    "URGENT ACTION\n"
    "He was freed on 3 July; the charges were dropped and he flew home, over 3,000 km away. "
    "Police said that he left, but nobody saw him."
)


def span(quote: str) -> tuple[int, int]:
    start = MINI.index(quote)
    return start, start + len(quote)


QUOTES = [
    (*span("He was freed on 3 July"), "freed"),
    (*span("he flew home, over 3,000 km away"), "flight"),
    (*span("Police said that he left"), "left"),
    (*span("nobody saw"), "saw"),
]


def test_clauses_split_at_punctuation_and_before_conjunctions() -> None:
    a, b = span("He was freed on 3 July; the charges were dropped and he flew home, over 3,000 km away.")
    assert [MINI[x:y] for x, y in clauses(MINI, a, b)] == [
        "He was freed on 3 July;",
        "the charges were dropped",
        "and he flew home,",
        "over 3,000 km away.",  # no cut at the thousands separator
    ]


def test_clause_rows_of_the_mini_document() -> None:
    rows = cover_clauses("mini", MINI, QUOTES)
    # (sentence, clause, words, covered words, state, records, heading), counted by hand:
    # words are runs of letters/digits ("3,000" is two), an opening "and"/"but" is not counted.
    assert [(r.sentence, r.text, r.words, r.covered_words, r.state, r.records, r.heading) for r in rows] == [
        (0, "URGENT ACTION", 2, 0, "uncovered", (), True),
        (1, "He was freed on 3 July;", 6, 6, "covered", ("freed",), False),
        (1, "the charges were dropped", 4, 0, "uncovered", (), False),
        (1, "and he flew home,", 3, 3, "covered", ("flight",), False),
        (1, "over 3,000 km away.", 5, 5, "covered", ("flight",), False),
        (2, "Police said that he left,", 5, 5, "covered", ("left",), False),
        (2, "but nobody saw him.", 3, 2, "partial", ("saw",), False),
    ]
    assert all(MINI[r.start : r.end] == r.text for r in rows)  # no line breaks inside these clauses
    report = ClauseCoverageReport(rows)
    # 6 clauses outside the heading: 4 covered, 1 partly ("nobody saw"), 1 not ("the charges were dropped").
    assert (report.covered, report.partial, report.total) == (4, 1, 6)
    assert report.share == 4 / 6


def test_amnesty_clauses_are_all_quoted() -> None:
    cov = clause_coverage(check_dataset(load_dataset(DATA)))
    assert cov.total > 46  # more clauses than the 46 sentences
    assert [c.text for c in cov.clauses if not c.heading and not c.covered] == []
    # "He flew home that night to the southern city of Almaty, over 3,000 km away." is two clauses,
    # each quoted in full by the flight and by Almaty (hand-checked in events.yaml and places.yaml).
    flight = [c for c in cov.clauses if c.text.startswith("He flew home that night")]
    assert len(flight) == 1
    pair = [c for c in cov.clauses if c.sentence == flight[0].sentence]
    assert [c.text for c in pair] == [
        "He flew home that night to the southern city of Almaty,",
        "over 3,000 km away.",
    ]
    assert {"atabaev-flies-home", "almaty"} <= set(pair[0].records)
    assert {"atabaev-flies-home", "almaty"} <= set(pair[1].records)


def test_coverage_clauses_command_equals_the_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    where = ["--data", str(DATA), "--build-dir", str(build_dir)]  # the session's build: no build notice
    result = CliRunner().invoke(cli, ["coverage", "--clauses", *where, "-f", "json"])
    assert result.exit_code == 0, result.output
    cov = clause_coverage(check_dataset(load_dataset(DATA)))
    rows = json.loads(result.stdout)
    assert [(r["sentence"], r["start"], r["state"], r["records"], r["clause"]) for r in rows] == [
        (c.sentence, c.start, c.state, list(c.records), c.text) for c in cov.clauses
    ]
    assert result.stderr == (
        f"{cov.covered} of {cov.total} clauses covered (100%), 0 partly; headings not counted\n"
    )
    uncovered = CliRunner().invoke(cli, ["coverage", "--clauses", "--uncovered", *where, "-f", "json"])
    assert json.loads(uncovered.stdout) == []
