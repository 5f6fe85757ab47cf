"""Counts by type, sentence coverage and clause coverage: how much of each document the records cite."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from .graph.build import GRAPH_BASE, KnowledgeGraph
from .records.evidence import sentences
from .records.validate import Report

__all__ = [
    "CLAUSE_CONJUNCTIONS",
    "CLAUSE_PUNCTUATION",
    "ClauseCoverage",
    "ClauseCoverageReport",
    "CoverageReport",
    "SentenceCoverage",
    "clause_coverage",
    "clauses",
    "cover_clauses",
    "coverage",
    "stats",
]

STATS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES (?class ?type) {
    (<https://schema.org/Person> "people")
    (<https://w3id.org/zhanaozen-graph/ontology#Group> "groups")
    (<https://schema.org/Organization> "organisations")
    (<https://schema.org/Place> "places")
    (<https://w3id.org/zhanaozen-graph/ontology#LegalProvision> "legal provisions")
    (<http://semanticweb.cs.vu.nl/2009/11/sem/Event> "events")
    (<https://w3id.org/zhanaozen-graph/ontology#Claim> "claims")
    (<https://w3id.org/zhanaozen-graph/ontology#Relationship> "relationships")
    (<http://www.w3.org/ns/oa#Annotation> "quotes")
    (<https://w3id.org/zhanaozen-graph/ontology#SourceDocument> "sources")
    (<https://w3id.org/zhanaozen-graph/ontology#Quantity> "quantities")
  }
  ?s a ?class .
} GROUP BY ?type"""

# The distinct triples of the build's named graphs, not of the whole default graph: on Virtuoso the
# default graph also holds its system graphs (the quirk tests/test_endpoint_matrix.py names).
TRIPLES = f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }} }}"""

ORDER = [
    "sources",
    "people",
    "groups",
    "organisations",
    "places",
    "legal provisions",
    "events",
    "claims",
    "relationships",
    "quantities",
    "quotes",
]


def stats(kg: KnowledgeGraph) -> dict[str, int]:
    """Counts of records by type, of quotes, and of triples.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> counts = stats(load_graph())
    >>> counts["sources"], counts["events"] >= 20
    (1, True)
    """
    found = {row["type"]: int(row["n"]) for row in kg.select(STATS)}
    counts = {name: found.get(name, 0) for name in ORDER}
    counts["triples"] = int(kg.select(TRIPLES)[0]["n"])
    counts["quads"] = kg.count_quads()
    return counts


@dataclass(frozen=True)
class SentenceCoverage:
    """One sentence (or heading) of a source document and the records that cite it."""

    source: str
    start: int
    end: int
    text: str
    records: tuple[str, ...]
    heading: bool

    @property
    def covered(self) -> bool:
        """Whether at least one record cites a quote inside this sentence."""
        return bool(self.records)


@dataclass(frozen=True)
class CoverageReport:
    """Sentence coverage of every source document."""

    sentences: list[SentenceCoverage]

    @property
    def covered(self) -> int:
        """Sentences (headings excluded) cited by at least one record."""
        return sum(1 for s in self.sentences if s.covered and not s.heading)

    @property
    def total(self) -> int:
        """Sentences, headings excluded."""
        return sum(1 for s in self.sentences if not s.heading)

    @property
    def share(self) -> float:
        """The covered share of sentences, 0 to 1."""
        return self.covered / self.total if self.total else 1.0


def coverage(source: KnowledgeGraph | Report) -> CoverageReport:
    """Which records cite each sentence of each source document.

    A record cites a sentence when one of its quotes (evidence or quantity) overlaps it.

    Parameters
    ----------
    source
        The graph, local or remote: the texts (``schema:text``) and the quotes' offsets are read
        with SPARQL; or the checked dataset
        (:func:`~zhanaozen_graph.records.validate.check_dataset`). Both give the same report.

    Examples
    --------
    >>> from zhanaozen_graph import check_dataset, load_dataset, load_graph
    >>> cov = coverage(load_graph())
    >>> cov.total
    46
    >>> coverage(check_dataset(load_dataset())) == cov
    True
    """
    texts, cites = _texts_and_cites(source)
    out: list[SentenceCoverage] = []
    for sid, text in texts.items():
        spans = cites.get(sid, [])
        for a, b in sentences(text):
            line = " ".join(text[a:b].split())
            heading = line.upper() == line
            ids = sorted({rid for s, e, rid in spans if s < b and e > a})
            out.append(SentenceCoverage(sid, a, b, line, tuple(ids), heading))
    return CoverageReport(out)


# --- Clause coverage -------------------------------------------------------------------------------

#: Words before which a new clause starts (besides the punctuation in :data:`CLAUSE_PUNCTUATION`).
CLAUSE_CONJUNCTIONS: tuple[str, ...] = ("and", "but", "while", "after", "so")

#: Characters after which a new clause starts.
CLAUSE_PUNCTUATION = ";:,—–"

# A comma between two digits ("3,000") is a thousands separator, not a clause boundary.
_CLAUSE_PUNCT = re.compile("[" + re.escape(CLAUSE_PUNCTUATION.replace(",", "")) + r"]|(?<!\d),|,(?!\d)")
_CLAUSE_CONJ = re.compile(r"\b(?:" + "|".join(CLAUSE_CONJUNCTIONS) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (one sentence) into clauses, as (start, end) character offsets.

    The rule is deliberately simple and deterministic: a clause ends after ``;``, ``:``, ``,``,
    ``—`` or ``–`` (not at a comma between digits, as in "3,000"), and a new clause starts
    before each of the words in
    :data:`CLAUSE_CONJUNCTIONS` ("and", "but", "while", "after", "so", in any case). Clauses are
    trimmed of surrounding whitespace; a piece with no letter or digit is dropped. The rule
    over-splits lists ("workers, protesters and citizens" gives three pieces): a piece is a unit of
    the text that a record may or may not rest on, not a grammatical clause.

    Parameters
    ----------
    text
        The document text.
    start, end
        The span of the sentence to split (default: the whole text).

    Returns
    -------
    list of tuple of int
        The clauses, in order, as offsets into ``text``.

    Examples
    --------
    >>> t = "He was released on 3 July; the charges were dropped and he flew home."
    >>> [t[a:b] for a, b in clauses(t)]
    ['He was released on 3 July;', 'the charges were dropped', 'and he flew home.']
    >>> t = "He flew to Almaty, over 3,000 km away."
    >>> [t[a:b] for a, b in clauses(t)]
    ['He flew to Almaty,', 'over 3,000 km away.']
    """
    stop = len(text) if end is None else end
    cuts = {start, stop}
    cuts.update(m.end() for m in _CLAUSE_PUNCT.finditer(text, start, stop))
    cuts.update(m.start() for m in _CLAUSE_CONJ.finditer(text, start, stop))
    points = sorted(cuts)
    out: list[tuple[int, int]] = []
    for a, b in pairwise(points):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if _WORD.search(text, a, b):
            out.append((a, b))
    return out


@dataclass(frozen=True)
class ClauseCoverage:
    """One clause of a sentence and how far the quotes of the records cover it.

    ``words`` counts the clause's words (runs of letters and digits; an opening conjunction is not
    counted); ``covered_words`` those that lie entirely inside some quote; ``records`` are the records whose quotes overlap the clause.
    """

    source: str
    sentence: int
    start: int
    end: int
    text: str
    words: int
    covered_words: int
    records: tuple[str, ...]
    heading: bool

    @property
    def state(self) -> str:
        """``covered`` (every word quoted), ``partial`` (some) or ``uncovered`` (none)."""
        if self.covered_words == self.words:
            return "covered"
        return "partial" if self.covered_words else "uncovered"

    @property
    def covered(self) -> bool:
        """Whether every word of the clause lies inside some record's quote."""
        return self.state == "covered"


@dataclass(frozen=True)
class ClauseCoverageReport:
    """Clause coverage of every source document (headings excluded from the counts)."""

    clauses: list[ClauseCoverage]

    @property
    def covered(self) -> int:
        """Clauses every word of which some quote covers."""
        return sum(1 for c in self.clauses if c.state == "covered" and not c.heading)

    @property
    def partial(self) -> int:
        """Clauses only some words of which are quoted."""
        return sum(1 for c in self.clauses if c.state == "partial" and not c.heading)

    @property
    def total(self) -> int:
        """Clauses, headings excluded."""
        return sum(1 for c in self.clauses if not c.heading)

    @property
    def share(self) -> float:
        """The fully covered share of clauses, 0 to 1."""
        return self.covered / self.total if self.total else 1.0


def cover_clauses(source: str, text: str, quotes: Iterable[tuple[int, int, str]]) -> list[ClauseCoverage]:
    """Split a document into sentences and clauses and say which quotes cover each clause.

    Parameters
    ----------
    source
        The source id written in each row.
    text
        The document text.
    quotes
        ``(start, end, record_id)`` character spans of the quotes in ``text``.

    Returns
    -------
    list of ClauseCoverage
        One row per clause, in document order; ``sentence`` is the sentence's index (from 0,
        headings included, as :func:`~zhanaozen_graph.records.evidence.sentences` counts them).

    Examples
    --------
    >>> t = "He was freed, and he flew home. He spoke."
    >>> rows = cover_clauses("s", t, [(0, 12, "freed"), (32, 41, "spoke")])
    >>> [(r.text, r.state, r.records) for r in rows]
    [('He was freed,', 'covered', ('freed',)), ('and he flew home.', 'uncovered', ()), ('He spoke.', 'covered', ('spoke',))]
    """
    spans = list(quotes)
    out: list[ClauseCoverage] = []
    for n, (sa, sb) in enumerate(sentences(text)):
        heading = " ".join(text[sa:sb].split()).upper() == " ".join(text[sa:sb].split())
        for a, b in clauses(text, sa, sb):
            words = list(_WORD.finditer(text, a, b))
            if len(words) > 1 and words[0].group().lower() in CLAUSE_CONJUNCTIONS:
                words = words[1:]  # the conjunction that opens the clause is not a fact of its own
            covered = sum(1 for w in words if any(s <= w.start() and w.end() <= e for s, e, _r in spans))
            ids = sorted({rid for s, e, rid in spans if s < b and e > a})
            out.append(
                ClauseCoverage(
                    source,
                    n,
                    a,
                    b,
                    " ".join(text[a:b].split()),
                    len(words),
                    covered,
                    tuple(ids),
                    heading,
                )
            )
    return out


def clause_coverage(source: KnowledgeGraph | Report) -> ClauseCoverageReport:
    """Which clauses of each sentence of each source the records' quotes cover: facts, not sentences.

    Each sentence is split by :func:`clauses`; a clause is ``covered`` when every one of its words
    lies inside a quote (evidence or quantity) of some record, ``partial`` when only some do. The
    conjunction that opens a clause ("and he flew home") is not counted as a word: a quote that
    starts after it still covers the clause. Records are given by id (without the ``@source`` of
    their block).

    Parameters
    ----------
    source
        The graph, local or remote (texts and quotes read with SPARQL), or the checked dataset
        (:func:`~zhanaozen_graph.records.validate.check_dataset`); both give the same report.

    Returns
    -------
    ClauseCoverageReport
        One row per clause of every source.

    Examples
    --------
    >>> from zhanaozen_graph import check_dataset, load_dataset, load_graph
    >>> cov = clause_coverage(load_graph())
    >>> cov.total > 46
    True
    >>> clause_coverage(check_dataset(load_dataset())) == cov
    True
    """
    texts, cites = _texts_and_cites(source)
    rows: list[ClauseCoverage] = []
    for sid, text in texts.items():
        rows += cover_clauses(sid, text, cites.get(sid, []))
    return ClauseCoverageReport(rows)


# The texts of the sources and the spans of the quotes, for coverage from the graph (local or remote).
_TEXTS = """SELECT ?source ?text WHERE {
  ?s a <https://w3id.org/zhanaozen-graph/ontology#SourceDocument> ; <https://schema.org/text> ?text .
  BIND(STRAFTER(STR(?s), "/id/source/") AS ?source) }"""
_CITES = """PREFIX zg: <https://w3id.org/zhanaozen-graph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?record ?source ?start ?end WHERE {
  { ?rec zg:evidence ?q . FILTER NOT EXISTS { ?rec a zg:Quantity } }
  UNION { ?rec zg:quantity ?qn . ?qn zg:evidence ?q }
  ?q oa:hasTarget ?t . ?t oa:hasSource ?src ; oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end .
  BIND(STRAFTER(STR(?src), "/id/source/") AS ?source)
  BIND(REPLACE(STR(?rec), "^.*/", "") AS ?record) }"""


def _texts_and_cites(
    source: KnowledgeGraph | Report,
) -> tuple[dict[str, str], dict[str, list[tuple[int, int, str]]]]:
    """The text of each source (by id, in id order) and the quote spans ``(start, end, record)`` in it."""
    if isinstance(source, Report):
        texts = {sid: src.text for sid, src in sorted(source.dataset.sources.items())}
        return texts, _cites(source)
    texts = {row["source"]: row["text"] for row in sorted(source.select(_TEXTS), key=lambda r: r["source"])}
    cites: dict[str, list[tuple[int, int, str]]] = {}
    for row in source.select(_CITES):
        cites.setdefault(row["source"], []).append((int(row["start"]), int(row["end"]), row["record"]))
    for spans in cites.values():
        spans.sort()
    return texts, cites


def _cites(report: Report) -> dict[str, list[tuple[int, int, str]]]:
    """The quote spans of every record, by source (``(start, end, record id)``, sorted, once each)."""
    cites: dict[str, set[tuple[int, int, str]]] = {}
    for key, evs in report.evidence.items():  # keyed by block: ID@SOURCE
        for ev in evs:
            cites.setdefault(ev.source, set()).add((ev.match.start, ev.match.end, key.split("@", 1)[0]))
    for (key, _prop, _i), ev in report.quantity_evidence.items():
        cites.setdefault(ev.source, set()).add((ev.match.start, ev.match.end, key.split("@", 1)[0]))
    return {sid: sorted(spans) for sid, spans in cites.items()}
