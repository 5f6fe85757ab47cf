"""Accept, edit, reject and create records from a source's proposals; accepted ones are written validated."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError
from ..graph.build import atomic_write
from ..records.evidence import SourceIndex
from ..records.load import SLUG, default_data_dir, load_dataset
from ..records.model import get_model
from ..records.validate import check_dataset
from .propose import Proposals, proposals_path, propose, write_proposals

__all__ = ["RECORD_SECTIONS", "ReviewSession"]

RECORD_SECTIONS = ("people", "groups", "organisations", "places", "legal_provisions", "events", "claims")


class ReviewSession:
    """One person's review of one source's proposals.

    The proposals are read from ``data/proposals/SLUG.yaml`` (written by :func:`propose` when missing).
    An accepted entry goes, without its ``proposal`` mapping, into ``data/records/SLUG/reviewed.yaml``
    (an ``about:`` block already there for the same record gains the quote); the whole data directory is
    validated first, and nothing is written when it fails. A rejected proposal is listed in
    ``data/proposals/SLUG.rejected.yaml`` so that it is not proposed again.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> from zhanaozen_graph.records.load import default_data_dir
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "data"
    >>> _ = shutil.copytree(default_data_dir(), d)
    >>> s = ReviewSession("amnesty-ua-2012-07-atabaev-released", d)
    >>> first = s.proposals.entries("mention")[0]
    >>> s.reject(first["proposal"]["id"])
    >>> first["proposal"]["id"] in {e["proposal"]["id"] for e in s.proposals.entries()}
    False
    """

    def __init__(self, slug: str, data_dir: Path | str | None = None) -> None:
        self.slug = slug
        self.root = Path(data_dir) if data_dir is not None else default_data_dir()
        ds = load_dataset(self.root)
        if slug not in ds.sources:
            raise DataError(f"no source {slug!r}", path=self.root / "sources", hint="add it with add-source")
        self.text = ds.sources[slug].text
        path = proposals_path(slug, self.root)
        if path.exists():
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            sections = {k: v for k, v in doc.items() if k != "source" and isinstance(v, list)}
            self.proposals = Proposals(slug, self.text, sections)
        else:
            self.proposals = propose(slug, dataset=ds)
            write_proposals(self.proposals, self.root)
        self.record_file = self.root / "records" / slug / "reviewed.yaml"

    # -- reading -------------------------------------------------------------------------------

    def find(self, proposal_id: str) -> tuple[str, dict[str, Any]]:
        """The section and entry of a proposal."""
        for section, entries in self.proposals.sections.items():
            for entry in entries:
                if entry.get("proposal", {}).get("id") == proposal_id:
                    return section, entry
        raise DataError(
            f"no proposal {proposal_id!r}", hint="reload the page: it may have been reviewed already"
        )

    def state(self) -> dict[str, Any]:
        """What the review page shows: the text and every open proposal (section, entry, YAML)."""
        items = []
        for section, entries in self.proposals.sections.items():
            for entry in entries:
                p = entry["proposal"]
                items.append(
                    {
                        "id": p["id"],
                        "section": section,
                        "what": p["what"],
                        "start": p["start"],
                        "end": p["end"],
                        "reason": p.get("reason", ""),
                        "acceptable": section in RECORD_SECTIONS,
                        "yaml": _dump(_record_of(entry)),
                    }
                )
        items.sort(key=lambda i: (i["start"], i["end"]))
        return {"source": self.slug, "text": self.text, "proposals": items, "sections": list(RECORD_SECTIONS)}

    # -- decisions -----------------------------------------------------------------------------

    def accept(self, proposal_id: str, edited_yaml: str | None = None) -> dict[str, Any]:
        """Write a proposal (or its edited YAML) into the source's record file, validated."""
        section, entry = self.find(proposal_id)
        if section not in RECORD_SECTIONS:
            raise DataError(
                f"a {entry['proposal']['what']} is not a record",
                hint="accept the event or claim it belongs to",
            )
        record = _record_of(entry) if edited_yaml is None else _parse(edited_yaml)
        self._write(section, record)
        self._drop(proposal_id)
        return record

    def reject(self, proposal_id: str) -> None:
        """Remember a proposal as rejected and drop it."""
        _, entry = self.find(proposal_id)
        path = proposals_path(self.slug, self.root).with_suffix(".rejected.yaml")
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
        rejected = list((doc or {}).get("rejected", []))
        p = entry["proposal"]
        rejected.append({"id": p["id"], "what": p["what"], "quote": p["quote"]})
        with atomic_write(path) as fh:
            fh.write("# Proposals a person rejected; `propose` does not propose them again.\n")
            fh.write(yaml.safe_dump({"rejected": rejected}, sort_keys=False, allow_unicode=True, width=110))
        self._drop(proposal_id)

    def create(self, section: str, start: int, end: int, selected: str, fields_yaml: str) -> dict[str, Any]:
        """Create a record from a selection of the text: its quote is ``text[start:end]``.

        ``selected`` is the text the browser selected; it must equal the text at those offsets (after
        whitespace is normalised), so a record is never created from the wrong place.
        """
        if section not in RECORD_SECTIONS:
            raise DataError(f"unknown section {section!r}", hint=f"use one of: {', '.join(RECORD_SECTIONS)}")
        if not (0 <= start < end <= len(self.text)):
            raise DataError(
                f"the selection {start}-{end} is outside the text", hint="select text of the document"
            )
        quote = SourceIndex.normalise(self.text[start:end])
        if quote != SourceIndex.normalise(selected):
            raise DataError(
                "the selection does not match the text at its offsets", hint="select the text again"
            )
        record = _parse(fields_yaml) if fields_yaml.strip() else {}
        record["evidence"] = [quote, *[q for q in record.get("evidence", []) if q != quote]]
        if "id" not in record and "about" not in record:
            raise DataError("the new record needs 'id:' (a new record) or 'about:' (a registered one)")
        self._write(section, record)
        return record

    # -- writing -------------------------------------------------------------------------------

    def _drop(self, proposal_id: str) -> None:
        for section in list(self.proposals.sections):
            kept = [e for e in self.proposals.sections[section] if e["proposal"]["id"] != proposal_id]
            self.proposals.sections[section] = kept
        write_proposals(self.proposals, self.root)

    def _write(self, section: str, record: dict[str, Any]) -> None:
        if "id" in record and not SLUG.match(str(record["id"])):
            raise DataError(
                f"malformed id {record['id']!r}", hint="use lowercase letters, digits and hyphens"
            )
        path = self.record_file
        old = path.read_text(encoding="utf-8") if path.exists() else None
        doc = (yaml.safe_load(old) if old else None) or {"source": self.slug}
        entries: list[dict[str, Any]] = doc.setdefault(section, [])
        same = [e for e in entries if "about" in record and e.get("about") == record["about"]]
        if same:  # one block per record and source: add the quotes to it
            for q in record.get("evidence", []):
                if q not in same[0].setdefault("evidence", []):
                    same[0]["evidence"].append(q)
        else:
            entries.append(record)
        new = "# Records accepted in `zhanaozen-graph review`.\n" + yaml.safe_dump(
            doc, sort_keys=False, allow_unicode=True, width=110
        )
        with atomic_write(path) as fh:
            fh.write(new)
        try:
            report = check_dataset(load_dataset(self.root), get_model())
            problems = [str(i) for i in report.issues]
        except DataError as exc:
            problems = [str(exc)]
        if problems:
            if old is None:
                path.unlink()
            else:
                with atomic_write(path) as fh:
                    fh.write(old)
            raise DataError(f"not written: {problems[0]}", hint="edit the record and accept it again")


def _record_of(entry: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy({k: v for k, v in entry.items() if k != "proposal"})
    if "about" not in record and "id" not in record:
        ids = entry.get("proposal", {}).get("candidates") or []
        if ids:
            record = {"about": ids[0], **record}
    return record


def _dump(record: dict[str, Any]) -> str:
    return yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)


def _parse(text: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DataError(f"the edited record is not valid YAML{where}", hint="fix the YAML") from exc
    if not isinstance(value, dict):
        raise DataError("the edited record must be a mapping (field: value)", hint="fix the YAML")
    return {str(k): v for k, v in value.items() if not re.match(r"^proposal$", str(k))}
