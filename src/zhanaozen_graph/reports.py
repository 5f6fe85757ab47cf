"""Counts by type and sentence coverage: how much of each document the records cite."""

from __future__ import annotations

from dataclasses import dataclass

from .graph.build import KnowledgeGraph
from .records.evidence import sentences
from .records.validate import Report

__all__ = ["CoverageReport", "SentenceCoverage", "coverage", "stats"]

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

TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"

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
    counts["quads"] = len(kg)
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


def coverage(report: Report) -> CoverageReport:
    """Which records cite each sentence of each source document.

    A record cites a sentence when one of its quotes (evidence or quantity) overlaps it.

    Examples
    --------
    >>> from zhanaozen_graph import check_dataset, load_dataset
    >>> cov = coverage(check_dataset(load_dataset()))
    >>> cov.total
    46
    """
    cites: dict[str, list[tuple[int, int, str]]] = {}
    for key, evs in report.evidence.items():  # keyed by block: ID@SOURCE
        for ev in evs:
            cites.setdefault(ev.source, []).append((ev.match.start, ev.match.end, key.split("@", 1)[0]))
    for (key, _prop, _i), ev in report.quantity_evidence.items():
        cites.setdefault(ev.source, []).append((ev.match.start, ev.match.end, key.split("@", 1)[0]))
    out: list[SentenceCoverage] = []
    for sid, src in report.dataset.sources.items():
        spans = cites.get(sid, [])
        for a, b in sentences(src.text):
            text = " ".join(src.text[a:b].split())
            heading = text.upper() == text
            ids = sorted({rid for s, e, rid in spans if s < b and e > a})
            out.append(SentenceCoverage(sid, a, b, text, tuple(ids), heading))
    return CoverageReport(out)
