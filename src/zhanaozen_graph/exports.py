"""Exports for the tools researchers use elsewhere: FollowTheMoney entities, TimelineJS and a spreadsheet CSV.

Each carries the evidence along: the verbatim quotes and the sources they come from. The network
formats (GEXF, GraphML, node-link JSON) are in :mod:`zhanaozen_graph.network.projections`.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import Any

from .errors import QueryError
from .graph.build import KnowledgeGraph
from .output import render_rows
from .records.evidence import SourceIndex
from .records.model import sparql_prefixes
from .timeline import TimelineEntry, as_rows, timeline

__all__ = [
    "EXPORT_FORMATS",
    "FTM_INSTALL_HINT",
    "export_text",
    "ftm_entities",
    "timeline_csv",
    "timelinejs",
]

EXPORT_FORMATS = ("ftm", "timelinejs", "csv")
"""FollowTheMoney JSON lines (Aleph), TimelineJS JSON, the timeline as a spreadsheet CSV."""

FTM_INSTALL_HINT = "install the FollowTheMoney extra: pip install 'zhanaozen-graph[ftm]'"

_PREFIXES = sparql_prefixes()

_SOURCES = (
    _PREFIXES
    + """
SELECT ?source ?title ?date ?dateReason ?external ?url ?publisher ?language ?rights WHERE {
  ?source a zg:SourceDocument ; dcterms:title ?title .
  OPTIONAL { ?source zg:dateIsExternal ?external }
  OPTIONAL { ?source zg:date ?date }
  OPTIONAL { ?source zg:dateReason ?dateReason }
  OPTIONAL { ?source dcterms:rights ?rights }
  OPTIONAL { ?source schema:url ?url }
  OPTIONAL { ?source dcterms:publisher/rdfs:label ?publisher }
  OPTIONAL { ?source dcterms:language ?language }
}"""
)

_ACTORS = (
    _PREFIXES
    + """
SELECT ?actor ?kind ?label WHERE {
  VALUES (?class ?kind) { (schema:Person "Person") (schema:Organization "Organization") (zg:Group "Group")
                          (schema:Place "Place") }
  ?actor a ?class ; rdfs:label ?label .
}"""
)

_DESCRIPTIONS = (
    _PREFIXES
    + """
SELECT ?record ?alias ?description WHERE {
  { ?record schema:alternateName ?alias } UNION { ?record schema:description ?description }
}"""
)

_PARTICIPANTS = (
    _PREFIXES
    + """
SELECT DISTINCT ?event ?actor WHERE { ?event a sem:Event ; sem:hasActor/rdf:value ?actor }"""
)

_PLACES = (
    _PREFIXES
    + """
SELECT DISTINCT ?event ?place WHERE { ?event a sem:Event ; sem:hasPlace ?place }"""
)

_EVIDENCE = (
    _PREFIXES
    + """
SELECT DISTINCT ?record ?quote ?source ?start ?end WHERE {
  ?record zg:evidence ?q .
  ?q oa:hasTarget ?t . ?t oa:hasSource ?source ; oa:hasSelector ?sel, ?pos .
  ?sel oa:exact ?quote . ?pos oa:start ?start ; oa:end ?end .
}"""
)


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[1]


_FILE_NAMES = """SELECT ?source ?name WHERE {
  ?source a <https://w3id.org/zhanaozen-graph/ontology#SourceDocument> ;
          <https://w3id.org/zhanaozen-graph/ontology#fileName> ?name }"""


def _sources(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    """The source documents by id (title, date, url, publisher, language)."""
    return {_slug(r["source"]): r for r in kg.select(_SOURCES)}


def _file_names(kg: KnowledgeGraph) -> dict[str, str]:
    """The name of each source's text file, from the graph (``zg:fileName``), local or remote."""
    return {_slug(r["source"]): r["name"] for r in kg.select(_FILE_NAMES)}


def timeline_csv(kg: KnowledgeGraph) -> str:
    r"""The timeline as a spreadsheet CSV: the same bytes as ``zhanaozen-graph timeline --format csv``.

    One row per event, with its bounds (``earliest``, ``latest``), its EDTF ``date``, the date's
    ``status``, ``date_text`` (as written) and ``date_reason``, and every quote with its source in
    ``evidence`` (``quote [source]``, joined with `` | ``). Rows end with CRLF (RFC 4180).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> text = timeline_csv(load_graph())
    >>> text.split("\r\n")[0]
    'earliest,latest,date,status,type,label,places,participants,according_to,sources,id,date_text,date_reason,evidence'
    """
    return render_rows(as_rows(timeline(kg)), "csv")


def _tl_date(iso: str) -> dict[str, int]:
    year, month, day = (int(part) for part in iso.split("-"))
    return {"year": year, "month": month, "day": day}


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _slide(entry: TimelineEntry, titles: dict[str, str]) -> dict[str, Any]:
    parts = [
        f"<p>Date (EDTF): {_esc(entry['date'])}, {entry['earliest']} to {entry['latest']}, "
        f"{_esc(entry['date_status'])}.</p>"
    ]
    if entry["date_reason"]:
        parts.append(f"<p>{_esc(entry['date_reason'])}</p>")
    if entry["participants"]:
        who = "; ".join(f"{p['label']} ({p['role']})" for p in entry["participants"])
        parts.append(f"<p>Participants: {_esc(who)}</p>")
    if entry["places"]:
        parts.append(f"<p>Places: {_esc('; '.join(entry['places']))}</p>")
    for q in entry["evidence"]:
        source = titles.get(q["source"], q["source"])
        parts.append(f"<blockquote>{_esc(q['quote'])}</blockquote><p>Source: {_esc(source)}</p>")
    slide: dict[str, Any] = {
        "unique_id": entry["id"],
        "start_date": _tl_date(entry["earliest"]),
        "display_date": entry["date_text"] or entry["date"],
        "group": entry["type"],
        "text": {"headline": _esc(entry["label"]), "text": "".join(parts)},
    }
    if entry["latest"] != entry["earliest"]:
        slide["end_date"] = _tl_date(entry["latest"])
    elif entry["date"][:11] == entry["earliest"] + "T":  # a time of day: "at 10pm on 3 July"
        hour, minute = entry["date"][11:16].split(":")
        slide["start_date"].update(hour=int(hour), minute=int(minute))
    if entry["evidence"]:
        first = entry["evidence"][0]
        slide["media"] = {
            "url": f"<blockquote>{_esc(first['quote'])}</blockquote>",
            "caption": _esc(titles.get(first["source"], first["source"])),
            "credit": _esc(first["source"]),
        }
    return slide


def timelinejs(kg: KnowledgeGraph, *, title: str = "zhanaozen-graph timeline") -> dict[str, Any]:
    """The timeline in TimelineJS 3's JSON format, one slide per event.

    Each slide starts at the event's earliest bound and ends at its latest (when they differ),
    shows the date as the text writes it (``display_date``), is grouped by the event type and
    carries its quotes (the first as the slide's ``media``, a blockquote; all of them in the
    text, each with its source's title) and the date's status and reason. Every text is
    HTML-escaped: TimelineJS inserts it as HTML, and a document's words must not become markup.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> doc = timelinejs(load_graph())
    >>> slide = next(s for s in doc["events"] if s["unique_id"] == "atabaev-released")
    >>> slide["start_date"], slide["display_date"], slide["group"]
    ({'year': 2012, 'month': 7, 'day': 3, 'hour': 22, 'minute': 0}, 'at 10pm on 3 July', 'release')
    >>> slide["media"]["url"]
    '<blockquote>Prisoner of conscience Bolat Atabaev was released on 3 July.</blockquote>'
    """
    sources = _sources(kg)
    titles = {slug: str(s["title"]) for slug, s in sources.items()}
    entries = timeline(kg)
    listed = "; ".join(_esc(t) for _, t in sorted(titles.items()))
    return {
        "title": {
            "text": {
                "headline": _esc(title),
                "text": f"<p>{len(entries)} events from {len(titles)} source(s): {listed}</p>",
            }
        },
        "events": [_slide(e, titles) for e in entries],
    }


def _ftm_model() -> Any:
    try:
        from followthemoney import model
    except ImportError as exc:
        raise QueryError("the ftm export needs the followthemoney package", hint=FTM_INSTALL_HINT) from exc
    return model


_FTM_SCHEMA = {"Person": "Person", "Organization": "Organization", "Group": "LegalEntity", "Place": "Address"}


def ftm_entities(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """The graph as FollowTheMoney entities (dicts of ``EntityProxy.to_dict()``), for Aleph/OpenAleph.

    Sources become ``Document`` entities (title, file name, date, URL, publisher, language; the rights
    statement and how the date was found in ``description``, and a date known only from outside the
    text is kept there, not in ``date``); people ``Person``;
    organisations ``Organization``; groups (strikers, defendants) ``LegalEntity``; places
    ``Address``; events ``Event`` (``involved`` and ``addressEntity`` link their participants and
    places; a day, month or year date goes in ``date``, any other in ``startDate``/``endDate`` with
    the EDTF, the date as written and its status in ``description``). Every quote becomes a
    ``Documentation`` linking the ``entity`` to its source ``document`` with the quote as ``summary``.
    Ids are ``zg-<record id>`` (``zg-doc-`` for sources, ``zg-quote-`` and a hash for quotes).
    Claims, relationships and outside knowledge (Wikidata ids, coordinates) are not exported.

    Raises
    ------
    QueryError
        The ``followthemoney`` package is not installed (the ``[ftm]`` extra).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> entities = ftm_entities(load_graph())
    >>> sorted({e["schema"] for e in entities})
    ['Address', 'Document', 'Documentation', 'Event', 'LegalEntity', 'Organization', 'Person']
    """
    model = _ftm_model()
    from followthemoney.util import make_entity_id

    out: dict[str, Any] = {}
    file_names = _file_names(kg)
    for slug, s in sorted(_sources(kg).items()):
        doc = model.make_entity("Document")
        doc.id = f"zg-doc-{slug}"
        doc.add("title", s["title"])
        doc.add("fileName", file_names.get(slug, f"{slug}.txt"))
        notes = [f"rights: {s['rights']}"] if s.get("rights") else []
        if s.get("date") and s.get("external"):  # outside knowledge stays marked, out of FtM's date
            notes.append(f"date {s['date']}, known from outside the text: {s.get('dateReason') or ''}")
        elif s.get("date"):
            doc.add("date", s["date"])
            notes += [f"date: {s['dateReason']}"] if s.get("dateReason") else []
        doc.add("sourceUrl", s.get("url"))
        doc.add("publisher", s.get("publisher"))
        doc.add("language", s.get("language"))
        doc.add("description", " ".join(notes) or None)
        out[doc.id] = doc
    aliases: dict[str, list[str]] = defaultdict(list)
    descriptions: dict[str, list[str]] = defaultdict(list)
    for row in kg.select(_DESCRIPTIONS):
        if row["alias"] is not None:
            aliases[row["record"]].append(row["alias"])
        if row["description"] is not None:
            descriptions[row["record"]].append(row["description"])
    ids: dict[str, str] = {}
    for row in sorted(kg.select(_ACTORS), key=lambda r: (r["actor"], r["kind"])):
        iri = row["actor"]
        if iri in ids:
            continue
        entity = model.make_entity(_FTM_SCHEMA[row["kind"]])
        entity.id = ids[iri] = f"zg-{_slug(iri)}"
        if row["kind"] == "Place":
            entity.add("full", row["label"])
        entity.add("name", row["label"])
        entity.add("alias", sorted(aliases.get(iri, [])))
        entity.add("description", sorted(descriptions.get(iri, [])))
        out[entity.id] = entity
    involved: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(_PARTICIPANTS):
        if row["actor"] in ids:
            involved[row["event"]].add(ids[row["actor"]])
    places: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(_PLACES):
        if row["place"] in ids:
            places[row["event"]].add(ids[row["place"]])
    base = "https://w3id.org/zhanaozen-graph/id/event/"
    for entry in timeline(kg):
        iri = base + entry["id"]
        event = model.make_entity("Event")
        event.id = ids[iri] = f"zg-{entry['id']}"
        event.add("name", entry["label"])
        if entry["date"] in (entry["earliest"], entry["earliest"][:7], entry["earliest"][:4]) and (
            entry["date"] in (entry["latest"], entry["latest"][:7], entry["latest"][:4])
        ):
            event.add("date", entry["date"])
        else:
            event.add("startDate", entry["earliest"])
            event.add("endDate", entry["latest"])
        said = f"date {entry['date']} (EDTF), {entry['date_status']}"
        if entry["date_text"]:
            said += f', written "{entry["date_text"]}"'
        if entry["date_reason"]:
            said += f"; {entry['date_reason']}"
        event.add("description", f"{entry['type']}; {said}")
        event.add("involved", sorted(involved.get(iri, ())))
        event.add("addressEntity", sorted(places.get(iri, ())))
        event.add("keywords", entry["type"])
        out[event.id] = event
    for row in sorted(kg.select(_EVIDENCE), key=lambda r: (r["record"], r["source"], r["start"])):
        if row["record"] not in ids:
            continue
        source = _slug(row["source"])
        note = model.make_entity("Documentation")
        note.id = "zg-quote-" + str(make_entity_id(row["record"], source, str(row["start"])))
        note.add("entity", ids[row["record"]])
        note.add("document", f"zg-doc-{source}")
        note.add("role", "quote")
        note.add("summary", SourceIndex.normalise(row["quote"]))
        note.add("description", f"characters {row['start']} to {row['end']} of {source}")
        out[note.id] = note
    return [e.to_dict() for _, e in sorted(out.items())]


def export_text(kg: KnowledgeGraph, fmt: str) -> str:
    """The export ``fmt`` (one of :data:`EXPORT_FORMATS`) as text.

    ``ftm`` is JSON lines (one entity a line), ``timelinejs`` one JSON document, ``csv`` the
    spreadsheet CSV of :func:`timeline_csv`.

    Raises
    ------
    QueryError
        An unknown format, or ``ftm`` without the ``followthemoney`` package.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> export_text(load_graph(), "timelinejs").startswith('{"title": {"text": {"headline": "zhanaozen-graph timeline"')
    True
    """
    if fmt == "ftm":
        return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in ftm_entities(kg))
    if fmt == "timelinejs":
        return json.dumps(timelinejs(kg), ensure_ascii=False) + "\n"
    if fmt == "csv":
        return timeline_csv(kg)
    raise QueryError(f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(EXPORT_FORMATS)}")
