"""Turn checked records into RDF quads: a named graph per source, one for outside knowledge, one for the ontology."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import pyoxigraph as ox

from ..records.dates import ResolvedDate
from ..records.load import Record
from ..records.model import ENTITY_KINDS, Kind, Model, Property, get_model
from ..records.validate import Evidence, Report
from .ontology import ontology_turtle

__all__ = ["EDTF_DATATYPE", "build_quads", "external_graph", "iter_graph_chunks", "quantity_range"]

EDTF_DATATYPE = "http://id.loc.gov/datatypes/edtf/EDTF"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def external_graph(model: Model | None = None) -> str:
    """The IRI of the named graph that holds knowledge from outside the documents."""
    return (model or get_model()).graph_iri("external")


class _Builder:
    def __init__(self, report: Report, model: Model) -> None:
        self.report = report
        self.model = model
        self.ds = report.dataset
        # The quads made so far, by named graph: a source's graph is handed out (and dropped) as soon
        # as it is complete, so that at most one source's quads are held at a time.
        self.out: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
        self._iri_cache: dict[str, ox.NamedNode] = {}
        self._curie_cache: dict[str, ox.NamedNode] = {}
        self.external = ox.NamedNode(external_graph(model))
        self.register = ox.NamedNode(model.graph_iri("register"))
        self.combined = ox.NamedNode(model.graph_iri("combined"))

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iri_cache.get(value)
        if node is None:
            node = self._iri_cache[value] = ox.NamedNode(value)
        return node

    def p(self, curie: str) -> ox.NamedNode:
        node = self._curie_cache.get(curie)
        if node is None:
            node = self._curie_cache[curie] = self.iri(self.model.expand(curie))
        return node

    def record_iri(self, ref: str) -> ox.NamedNode:
        rid = self.ds.resolve(ref) or ref  # an id or an exact alias
        return self.iri(self.model.instance_iri(self.ds.records[rid].kind, rid))

    def source_iri(self, sid: str) -> ox.NamedNode:
        return self.iri(f"{self.model.base}id/source/{sid}")

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal, g: ox.NamedNode) -> None:
        self.out[g].append(ox.Quad(s, p, o, g))

    # -- values --------------------------------------------------------------------------------
    def literal(self, value: Any) -> ox.Literal:
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=self.iri(XSD + "boolean"))
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=self.iri(XSD + "integer"))
        if isinstance(value, float):
            return ox.Literal(canonical_decimal(value), datatype=self.iri(XSD + "decimal"))
        return ox.Literal(str(value))

    def date_literal(self, value: Any) -> ox.Literal:
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return ox.Literal(text, datatype=self.iri(XSD + "date"))

    def add_date(self, node: ox.NamedNode, date: ResolvedDate, g: ox.NamedNode) -> None:
        self.add(node, self.p("zg:date"), ox.Literal(date.edtf, datatype=self.iri(EDTF_DATATYPE)), g)
        if date.text:
            self.add(node, self.p("zg:dateText"), ox.Literal(date.text), g)
        self.add(node, self.p("sem:hasEarliestBeginTimeStamp"), self.date_literal(date.earliest), g)
        self.add(node, self.p("sem:hasLatestBeginTimeStamp"), self.date_literal(date.begin_latest), g)
        self.add(node, self.p("sem:hasEarliestEndTimeStamp"), self.date_literal(date.end_earliest), g)
        self.add(node, self.p("sem:hasLatestEndTimeStamp"), self.date_literal(date.latest), g)
        if date.closed_by_document:
            self.add(node, self.p("zg:boundedByDocumentDate"), self.literal(True), g)
        self.add(
            node,
            self.p("zg:dateStatus"),
            self.iri(self.model.prefixes["zg"] + f"DateStatus-{date.status}"),
            g,
        )
        if date.reason:
            self.add(node, self.p("zg:dateReason"), ox.Literal(date.reason), g)
        if date.relative_to:
            self.add(node, self.p("zg:dateRelativeTo"), self.record_iri(date.relative_to), g)
            self.add(node, self.p("zg:dateRelation"), ox.Literal(date.relation or ""), g)
        if date.edtf_derived:
            self.add(node, self.p("zg:edtfDerived"), self.literal(True), g)

    def quote_node(self, ev: Evidence, body: ox.NamedNode) -> ox.NamedNode:
        m = ev.match
        base = f"{self.model.base}id/quote/{ev.source}/{m.start}-{m.end}"
        node = self.iri(base)
        g = self.iri(self.model.graph_iri(ev.source))
        key = ("quote", base)
        if key not in self._seen:
            self._seen.add(key)
            self._quotes[base] = m.exact
            target, tqs, tps = (
                self.iri(base + "/target"),
                self.iri(base + "/quote"),
                self.iri(base + "/position"),
            )
            self.add(node, RDF_TYPE, self.p("oa:Annotation"), g)
            self.add(node, self.p("oa:motivatedBy"), self.p("oa:describing"), g)
            self.add(node, self.p("oa:hasTarget"), target, g)
            self.add(target, RDF_TYPE, self.p("oa:SpecificResource"), g)
            self.add(target, self.p("oa:hasSource"), self.source_iri(ev.source), g)
            self.add(target, self.p("oa:hasSelector"), tqs, g)
            self.add(target, self.p("oa:hasSelector"), tps, g)
            self.add(tqs, RDF_TYPE, self.p("oa:TextQuoteSelector"), g)
            self.add(tqs, self.p("oa:exact"), ox.Literal(m.exact), g)
            self.add(tqs, self.p("oa:prefix"), ox.Literal(m.prefix), g)
            self.add(tqs, self.p("oa:suffix"), ox.Literal(m.suffix), g)
            self.add(tps, RDF_TYPE, self.p("oa:TextPositionSelector"), g)
            self.add(
                tps,
                self.p("oa:start"),
                ox.Literal(str(m.start), datatype=self.iri(XSD + "integer")),
                g,
            )
            self.add(
                tps,
                self.p("oa:end"),
                ox.Literal(str(m.end), datatype=self.iri(XSD + "integer")),
                g,
            )
        body_key = ("body", base, body.value)
        if body_key not in self._seen:
            self._seen.add(body_key)
            self.add(node, self.p("oa:hasBody"), body, g)
        return node

    # -- records ---------------------------------------------------------------------------------
    def source_graph(self, sid: str) -> ox.NamedNode:
        return self.iri(self.model.graph_iri(sid))

    def build_register_entry(self, rid: str) -> None:
        """A record's identity in the register (and outside knowledge about it in ``graph/external``)."""
        record = self.ds.records[rid]
        if not record.blocks:
            return  # in the register, but no source of this build speaks of it
        kind: Kind = self.model.kinds[record.kind]
        node = self.record_iri(rid)
        if kind.register:
            # The register: the record's identity (class, display label, type), which belongs to no source.
            for cls in kind.classes:
                self.add(node, RDF_TYPE, self.p(cls), self.register)
            self.add(node, self.p("rdfs:label"), ox.Literal(record.label), self.register)
        for prop in kind.properties.values():
            if (
                prop.in_register or (prop.also_in_register and record.source is None)
            ) and prop.name != "label":
                g = self.external if prop.external else self.register
                self.add_value(node, prop, record.data.get(prop.name), g, record.key)

    def build_combined(self, rid: str) -> None:
        """A record's date over all the sources that date it, in ``graph/combined``."""
        combined = self.report.combined_dates.get(rid)
        if combined is not None and self.ds.records[rid].blocks:
            node = self.record_iri(rid)
            self.add_date(node, combined.date, self.combined)
            self.add(node, self.p("zg:dateAgreement"), ox.Literal(combined.agreement), self.combined)

    def build_block(self, block: Record, kind: Kind, node: ox.NamedNode) -> None:
        """What one source says about one record, into that source's named graph."""
        sid = block.source or ""
        g = self.source_graph(sid)
        if not kind.register:  # claims and relationships: declared by the source that reports them
            for cls in kind.classes:
                self.add(node, RDF_TYPE, self.p(cls), g)
            self.add(node, self.p("rdfs:label"), ox.Literal(self.ds.records[block.id].label), g)
        self.add(node, self.p("prov:wasDerivedFrom"), self.source_iri(sid), g)
        for ev in self.report.evidence.get(block.key, []):
            self.add(node, self.p("zg:evidence"), self.quote_node(ev, node), g)
        for prop in kind.properties.values():
            if prop.name in ("label", "evidence") or prop.in_register:
                continue
            self.add_value(node, prop, block.data.get(prop.name), g, block.key)
        if block.kind == "Relationship":
            # The reified statement also holds as a plain triple.
            subj = self.record_iri(block.data["subject"])
            obj = self.record_iri(block.data["object"])
            self.add(subj, self.iri(self.model.term_iri("relations", block.data["relation"])), obj, g)

    def add_value(self, node: ox.NamedNode, prop: Property, value: Any, g: ox.NamedNode, key: str) -> None:
        """The triples of one property's value; ``key`` is the block (``ID@SOURCE``) the value comes from."""
        if value is None or value == []:
            return
        values = value if isinstance(value, list) else [value]
        base = prop.base_type
        if base == "date":
            date = self.report.dates[key]
            sid = key.split("@", 1)[1]
            dnode = self.iri(f"{node.value}/date/{sid}")
            self.add(node, self.p("zg:dated"), dnode, g)
            self.add(dnode, RDF_TYPE, self.p("zg:DateStatement"), g)
            self.add(dnode, self.p("dcterms:source"), self.source_iri(sid), g)
            self.add_date(dnode, date, g)
        elif base == "coordinates":
            self.add(
                node,
                self.p("geo:lat"),
                ox.Literal(canonical_decimal(value["lat"]), datatype=self.iri(XSD + "decimal")),
                g,
            )
            self.add(
                node,
                self.p("geo:long"),
                ox.Literal(canonical_decimal(value["long"]), datatype=self.iri(XSD + "decimal")),
                g,
            )
        elif base == "participants":
            for part in values:
                actor = self.ds.resolve(part["actor"]) or part["actor"]
                role_node = self.iri(f"{node.value}/role/{actor}-{part['role']}")
                self.add(node, self.p("sem:hasActor"), role_node, g)
                self.add(role_node, RDF_TYPE, self.p("sem:Role"), g)
                self.add(role_node, self.p("rdf:value"), self.record_iri(actor), g)
                self.add(
                    role_node, self.p("sem:roleType"), self.iri(self.model.term_iri("roles", part["role"])), g
                )
        elif base == "quantities":
            sid = key.split("@", 1)[1]
            for i, q in enumerate(values):
                qn = self.iri(f"{node.value}/quantity/{sid}/{i + 1}")
                self.add(node, self.p("zg:quantity"), qn, g)
                self.add_quantity(qn, q, g)
                qev = self.report.quantity_evidence.get((key, prop.name, i))
                if qev is not None:
                    self.add(
                        qn, self.p("zg:evidence"), self.quote_node(qev, qn), self.source_graph(qev.source)
                    )
        elif prop.rdf is not None:
            pred = self.p(prop.rdf)
            for v in values:
                if base == "ref" and not self.ds.records[self.ds.resolve(v) or v].blocks:
                    continue  # outside knowledge about a record no source of this build speaks of
                self.add(node, pred, self.object_of(prop.base_type, prop.argument, v), g)

    def add_quantity(self, qn: ox.NamedNode, q: Any, g: ox.NamedNode) -> None:
        """A quantity with the number as the text gives it and the range its qualifier allows."""
        value, qualifier = q["value"], q["qualifier"]
        self.add(qn, RDF_TYPE, self.p("zg:Quantity"), g)
        self.add(qn, self.p("zg:measure"), ox.Literal(str(q["measure"])), g)
        self.add(
            qn, self.p("zg:qualifier"), self.iri(self.model.term_iri("quantity_qualifiers", qualifier)), g
        )
        if q.get("unit"):
            self.add(qn, self.p("schema:unitText"), ox.Literal(str(q["unit"])), g)
        low, best, high = quantity_range(qualifier, value, q.get("unit"))
        if qualifier != "vague":  # "dozens", "hundreds": no number in the text, only a lower bound
            self.add(qn, self.p("rdf:value"), self.literal(value), g)
        for pred, v in (("zg:low", low), ("zg:best", best), ("zg:high", high)):
            if v is not None:
                self.add(qn, self.p(pred), self.literal(v), g)

    def mention_index(self) -> None:
        """The names every source may use: each entity's register label and register aliases."""
        common: dict[str, set[str]] = defaultdict(set)
        for rid, record in self.ds.records.items():
            if record.kind in ENTITY_KINDS:
                common[record.label].add(rid)
                if record.source is None:
                    for alias in record.data.get("aliases") or []:
                        common[str(alias)].add(rid)
        self._common_index = _by_first_word(common)

    def add_mentions(self, source: str, blocks: list[Record]) -> None:
        """Link every quote of ``source`` to the records it names, in the source's graph.

        A quote supports one record, but may name others ("the KNB" in a quote about an arrest):
        ``zg:mentions`` keeps those mentions, for records the same source speaks of, by their register
        label or alias or an alias that same source gives (never by another source's words).
        """
        own: dict[str, set[str]] = defaultdict(set)
        for block in blocks:
            for alias in block.data.get("aliases") or []:
                own[str(alias)].add(block.id)
        spoken = {b.id for b in blocks}
        own_index = _by_first_word(own)
        g = self.source_graph(source)
        for base, exact in self._quotes.items():
            words = _tokens(exact)
            node = self.iri(base)
            for i, word in enumerate(words):
                found: dict[tuple[str, ...], set[str]] = defaultdict(set)
                for index in (self._common_index, own_index):
                    for key, ids in index.get(word, ()):
                        if words[i : i + len(key)] == key:
                            found[key] |= ids
                for ids in found.values():
                    if len(ids) == 1:
                        (rid,) = ids
                        target = self.record_iri(rid)
                        # A quote that supports the record already says so (oa:hasBody): no mention.
                        if rid in spoken and ("body", base, target.value) not in self._seen:
                            self.add(node, self.p("zg:mentions"), target, g)

    def object_of(self, base: str, argument: str | None, v: Any) -> ox.NamedNode | ox.Literal:
        if base == "ref":
            return self.record_iri(str(v))
        if base == "enum":
            return self.iri(self.model.term_iri(argument or "", str(v)))
        if base == "uri":
            return self.iri(str(v))
        return self.literal(v)

    def build_source(self, sid: str) -> None:
        src = self.ds.sources[sid]
        node = self.source_iri(sid)
        g = self.iri(self.model.graph_iri(sid))
        self.add(g, RDF_TYPE, self.p("zg:SourceGraph"), g)
        self.add(g, self.p("dcterms:source"), node, g)
        for cls in ("zg:SourceDocument", "schema:Report"):
            self.add(node, RDF_TYPE, self.p(cls), g)
        self.add(node, self.p("rdfs:label"), ox.Literal(src.title), g)
        self.add(node, self.p("dcterms:title"), ox.Literal(src.title), g)
        self.add(node, self.p("zg:documentKind"), ox.Literal(str(src.meta["kind"])), g)
        self.add(node, self.p("dcterms:language"), ox.Literal(str(src.meta["language"])), g)
        pub = src.meta.get("publisher")
        if pub in self.ds.records:
            self.add(node, self.p("dcterms:publisher"), self.record_iri(pub), g)
        if src.meta.get("url"):
            self.add(node, self.p("schema:url"), self.iri(str(src.meta["url"])), g)
        # Preservation (Berkeley Protocol): the digest of the text as stored, its rights, its capture.
        self.add(node, self.p("zg:sha256"), ox.Literal(src.sha256), g)
        # The text itself, exactly as stored (the quotes' offsets index into it): whoever reads the
        # graph, from the build or from a SPARQL server, can show a quote in its sentence.
        self.add(node, self.p("schema:text"), ox.Literal(src.text), g)
        name = PurePosixPath(str(src.meta.get("file") or f"{sid}.txt")).name  # as load.py reads it
        self.add(node, self.p("zg:fileName"), ox.Literal(name), g)
        if src.meta.get("archive"):
            self.add(node, self.p("zg:archiveReference"), ox.Literal(str(src.meta["archive"])), g)
        if src.meta.get("rights"):
            self.add(node, self.p("dcterms:rights"), ox.Literal(str(src.meta["rights"])), g)
        if src.meta.get("captured"):
            self.add(node, self.p("zg:capturedOn"), self.date_literal(src.meta["captured"]), g)
        spec = src.meta.get("date")
        if isinstance(spec, dict) and spec.get("external"):
            # The text does not carry its own date: what the project knows of it comes from outside.
            self.add(node, self.p("zg:dateIsExternal"), self.literal(True), self.external)
            self.add_date(node, self.report.dates[f"source:{sid}"], self.external)
        else:
            self.add_date(node, self.report.dates[f"source:{sid}"], g)

    def take(self, g: ox.NamedNode) -> list[ox.Quad]:
        """The quads of graph ``g`` made so far, without duplicates (first occurrences, in order)."""
        return _dedupe(self.out.pop(g, []))

    def chunks(self, batch: int = 5000) -> Iterator[list[ox.Quad]]:
        """The quads in runs of one named graph each: every source's graph whole, then the shared graphs.

        A run never repeats a quad, and no two runs hold the same quad: a source's graph is one run;
        the register and the combined dates come in runs of ``batch`` records, whose quads all have
        the record as subject (or a node made from its IRI), so they cannot repeat across runs.
        """
        self.mention_index()
        by_source: dict[str, list[Record]] = defaultdict(list)
        for record in self.ds.records.values():
            for block in record.blocks:
                by_source[block.source or ""].append(block)
        for sid in [*self.ds.sources, *(s for s in by_source if s not in self.ds.sources)]:
            self._seen: set[tuple[str, ...]] = set()
            self._quotes: dict[str, str] = {}
            if sid in self.ds.sources:
                self.build_source(sid)
            blocks = by_source.pop(sid, [])
            for block in blocks:
                rid = block.id
                self.build_block(block, self.model.kinds[self.ds.records[rid].kind], self.record_iri(rid))
            self.add_mentions(sid, blocks)
            yield self.take(self.source_graph(sid))
            # Only a cache: dropped per source, so that it never grows to hold every node of the graph.
            self._iri_cache.clear()
        self.add(self.register, RDF_TYPE, self.p("prov:Bundle"), self.register)
        self.add(
            self.register,
            self.p("rdfs:comment"),
            ox.Literal(
                "The register: every person, group, organisation, place, legal provision and event the sources "
                "speak of, declared once with its class, display label and type; it belongs to no source."
            ),
            self.register,
        )
        yield from self._record_runs(self.build_register_entry, self.register, batch)
        self.add(self.combined, RDF_TYPE, self.p("prov:Bundle"), self.combined)
        self.add(
            self.combined,
            self.p("rdfs:comment"),
            ox.Literal(
                "Derived by the build: each record's date over all the sources that date it (their common "
                "bounds, or the span of their conflict, with zg:dateAgreement). Each source's own date is "
                "in its named graph (zg:dated)."
            ),
            self.combined,
        )
        yield from self._record_runs(self.build_combined, self.combined, batch)
        ext = self.external
        bundle = [
            ox.Quad(ext, RDF_TYPE, self.p("prov:Bundle"), ext),
            ox.Quad(
                ext,
                self.p("zg:externalKnowledge"),
                ox.Literal(
                    "Knowledge from outside the documents, added by the curators: public identifiers "
                    "(owl:sameAs), WGS84 coordinates and place containment the texts do not state."
                ),
                ext,
            ),
        ]
        yield _dedupe([*bundle, *self.out.pop(ext, [])])
        for g in list(self.out):  # nothing else is made; should a future graph appear, it is not lost
            yield self.take(g)
        ontology = self.iri(self.model.graph_iri("ontology"))
        yield [
            ox.Quad(t.subject, t.predicate, t.object, ontology)
            for t in dict.fromkeys(ox.parse(ontology_turtle(), format=ox.RdfFormat.TURTLE))
        ]

    def _record_runs(
        self, make: Callable[[str], None], g: ox.NamedNode, batch: int
    ) -> Iterator[list[ox.Quad]]:
        for i, rid in enumerate(self.ds.records, 1):
            make(rid)
            if i % batch == 0:
                yield self.take(g)
                self._iri_cache.clear()
        yield self.take(g)


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _tokens(text: str) -> tuple[str, ...]:
    """The words and punctuation of a text: names are matched on whole words, whatever the spacing."""
    return tuple(_TOKEN.findall(text))


def _by_first_word(names: dict[str, set[str]]) -> dict[str, list[tuple[tuple[str, ...], set[str]]]]:
    """Names as word sequences, indexed by their first word (a quote is scanned once, word by word)."""
    index: dict[str, list[tuple[tuple[str, ...], set[str]]]] = defaultdict(list)
    for name, ids in names.items():
        key = _tokens(name)
        if key:
            index[key[0]].append((key, ids))
    return index


def quantity_range(
    qualifier: str, value: float, unit: str | None = "people"
) -> tuple[float | None, float | None, float | None]:
    """The low, best and high values a qualified number allows (None where the text sets no bound).

    ``more_than N`` people is at least N + 1 (a count of people is whole); of any other unit
    (km, days) it is N, the closest bound a number can state.

    Examples
    --------
    >>> quantity_range("exactly", 16), quantity_range("at_least", 15), quantity_range("more_than", 130)
    ((16, 16, 16), (15, None, None), (131, None, None))
    >>> quantity_range("more_than", 3000, "km")
    (3000, None, None)
    >>> quantity_range("up_to", 7), quantity_range("approximately", 40), quantity_range("vague", 24)
    ((None, None, 7), (None, 40, None), (24, None, None))
    """
    if qualifier == "exactly":
        return value, value, value
    if qualifier in ("at_least", "vague"):
        return value, None, None
    if qualifier == "more_than":
        return (value + 1 if isinstance(value, int) and unit == "people" else value), None, None
    if qualifier == "up_to":
        return None, None, value
    return None, value, None  # approximately


def canonical_decimal(value: float) -> str:
    """A decimal in the canonical form a store keeps ("48" for 48.0), so the files and the store agree.

    Oxigraph rewrites every literal to its canonical form when it stores it; writing that form in the
    first place keeps the quads of the files and of the store term-identical.

    Examples
    --------
    >>> canonical_decimal(48.0), canonical_decimal(43.34), canonical_decimal(-0.5)
    ('48', '43.34', '-0.5')
    """
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _dedupe(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    return list(dict.fromkeys(quads))  # first occurrences, in order


def iter_graph_chunks(report: Report, model: Model | None = None) -> Iterator[list[ox.Quad]]:
    """The RDF quads of a checked dataset, made and handed out one named graph (or part of one) at a time.

    Each source's graph comes whole, then the register and the combined dates in runs of records,
    then outside knowledge and the ontology. No quad appears twice. Only one run is held at a time,
    so a caller that writes each run and drops it keeps its memory bounded by the largest source.

    Examples
    --------
    >>> from zhanaozen_graph.records.load import load_dataset
    >>> from zhanaozen_graph.records.validate import check_dataset
    >>> runs = list(iter_graph_chunks(check_dataset(load_dataset())))
    >>> all(len({q.graph_name for q in run}) == 1 for run in runs if run)
    True
    """
    report.raise_first()
    yield from _Builder(report, model or get_model()).chunks()


def build_quads(report: Report, model: Model | None = None) -> list[ox.Quad]:
    """The RDF quads of a checked dataset.

    Parameters
    ----------
    report
        A valid :class:`~zhanaozen_graph.records.validate.Report` (quotes found, dates resolved).
    model
        The model (defaults to the packaged one).

    Returns
    -------
    list of pyoxigraph.Quad
        Each record in the named graph of its sources; external knowledge in ``graph/external``.

    Examples
    --------
    >>> from zhanaozen_graph.records.load import load_dataset
    >>> from zhanaozen_graph.records.validate import check_dataset
    >>> quads = build_quads(check_dataset(load_dataset()))
    >>> len(quads) > 1000
    True
    """
    return [q for run in iter_graph_chunks(report, model) for q in run]


def iter_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """The distinct triples of a list of quads (the union of the graphs), in order of first occurrence."""
    yield from dict.fromkeys(q.triple for q in quads)
