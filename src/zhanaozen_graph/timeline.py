"""The chronology of events, read from the graph, sorted by their earliest bound."""

from __future__ import annotations

import logging
from typing import Any

from .graph.chronology import (
    ACCORDING_TO,
    DATES,
    EVENTS,
    EVIDENCE,
    ORDER,
    PARTICIPANTS,
    PLACES,
    SOURCES,
    Attribution,
    Participant,
    Quote,
    Selectable,
    SourceDate,
    TimelineEntry,
    assemble_timeline,
    read_index,
)

__all__ = [
    "ACCORDING_TO",
    "DATES",
    "EVENTS",
    "EVIDENCE",
    "ORDER",
    "PARTICIPANTS",
    "PLACES",
    "SOURCES",
    "Attribution",
    "Participant",
    "Quote",
    "SourceDate",
    "TimelineEntry",
    "as_rows",
    "timeline",
]

log = logging.getLogger(__name__)


def timeline(kg: Selectable) -> list[TimelineEntry]:
    """Every event once, in chronological order, with the sources of each of its values.

    Events sort by their earliest bound, then their latest bound; ties are broken by the
    chains of ``follows`` and relative dates (an event never sorts before one it follows or is
    dated from), then by label and id. The date is the combined date over all the sources that date the
    event (``date_agreement``: single, agree or conflict), and ``dates`` gives each source's own.

    The build writes this list into the graph as an index (a named graph of its own, see
    :func:`~zhanaozen_graph.graph.chronology.index_quads`), which is read in one query, on the
    persisted store and on a remote store alike; a graph without a complete index (pushed by an
    older version) gets the timeline assembled from its statements, with the same result.

    Parameters
    ----------
    kg
        The graph, from :func:`~zhanaozen_graph.graph.build.load_graph`.

    Returns
    -------
    list of TimelineEntry
        Dicts with ``id``, ``label``, ``type``, ``date`` (EDTF), ``earliest``, ``latest``
        (``YYYY-MM-DD``), ``dates``, ``places`` (and ``place_sources``), ``participants`` (each with
        its ``sources``), ``according_to``, ``sources`` and ``evidence``.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> events = timeline(load_graph())
    >>> release = next(e for e in events if e["id"] == "atabaev-released")
    >>> release["earliest"], release["date_status"], release["sources"]
    ('2012-07-03', 'year-inferred', ['amnesty-ua-2012-07-atabaev-released'])
    """
    indexed = read_index(kg)
    if indexed is not None:
        return indexed
    log.info("the graph has no timeline index; assembling the timeline from its statements")
    return assemble_timeline(kg)


def as_rows(entries: list[TimelineEntry]) -> list[dict[str, Any]]:
    """Flat rows for CSV and tables: lists joined with ``; ``.

    A spreadsheet keeps the evidence: the date's reason, the date as written, and every quote with its
    source (``quote [source]``, joined with `` | ``).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> row = next(r for r in as_rows(timeline(load_graph())) if r["id"] == "atabaev-released")
    >>> row["date_text"], row["evidence"].split(" | ")[0]
    ('at 10pm on 3 July', 'Prisoner of conscience Bolat Atabaev was released on 3 July. [amnesty-ua-2012-07-atabaev-released]')
    """
    return [
        {
            "earliest": e["earliest"],
            "latest": e["latest"],
            "date": e["date"],
            "status": e["date_status"],
            "type": e["type"],
            "label": e["label"],
            "places": "; ".join(e["places"]),
            "participants": "; ".join(f"{p['label']} ({p['role']})" for p in e["participants"]),
            "according_to": "; ".join(sorted({a["label"] for a in e["according_to"]})),
            "sources": "; ".join(e["sources"]),
            "id": e["id"],
            "date_text": e["date_text"] or "",
            "date_reason": e["date_reason"] or "",
            "evidence": " | ".join(f"{q['quote']} [{q['source']}]" for q in e["evidence"]),
        }
        for e in entries
    ]
