"""Check a dataset against the model: each rule a small named check that reports typed issues."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError
from .cache import RecordsCache, encode, gc_paused
from .dates import CombinedDate, ResolvedDate, combine_dates, resolve_date
from .evidence import Match, SourceIndex
from .load import Dataset, LineDict, Record
from .model import Kind, Model, Property, get_model

__all__ = ["Evidence", "Report", "check_dataset", "reported_speech_before"]


@dataclass(frozen=True)
class Evidence:
    """A verified quote: the record it supports, its source and where it was found.

    ``notes`` holds what the per-file checks found about the quote in its source (whether it identifies
    one place, the reporting words before it), so that the checks over the whole dataset need not
    search the source again.
    """

    source: str
    quote: str
    match: Match
    notes: tuple[Any, Any] | None = field(default=None, compare=False, repr=False)


@dataclass
class Report:
    """The result of checking a dataset: the issues found and, for valid data, what the build needs.

    ``dates`` and ``evidence`` are keyed by block (``ID@SOURCE``, see
    :attr:`~zhanaozen_graph.records.load.Record.key`) and ``source:SLUG``; ``combined_dates`` by
    record id: the date all the sources that date a record allow, or the span of their conflict.
    """

    dataset: Dataset
    issues: list[DataError] = field(default_factory=list)
    dates: dict[str, ResolvedDate] = field(default_factory=dict)
    combined_dates: dict[str, CombinedDate] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    quantity_evidence: dict[tuple[str, str, int], Evidence] = field(default_factory=dict)
    indexes: dict[str, SourceIndex] = field(default_factory=dict)
    checked: list[Path] = field(default_factory=list, repr=False)

    @property
    def valid(self) -> bool:
        """True when no issue was found."""
        return not self.issues

    def raise_first(self) -> None:
        """Raise the first issue, if any."""
        if self.issues:
            raise self.issues[0]


def _close(word: str, options: list[str]) -> str:
    near = difflib.get_close_matches(word, options, n=3)
    return f"did you mean {', '.join(near)}?" if near else f"use one of: {', '.join(options)}"


# What the checks of one block that need nothing outside its file and its source found: the steps to
# replay in order (``i`` an issue, ``r`` a reference to check, ``d`` the date to resolve, ``e`` the
# evidence, ``q`` a quantity's evidence: the last three need the whole dataset or feed the report),
# then the issues of the text, number and IRI checks. Cached per file; see _Checker.unit_results.
_Unit = list[Any]


class _Checker:
    """Runs the checks over every record, collecting issues."""

    def __init__(self, ds: Dataset, model: Model, cache: RecordsCache | None = None) -> None:
        self.ds = ds
        self.model = model
        self.cache = cache
        self.report = Report(dataset=ds)
        self.report.indexes = {sid: SourceIndex(s.text) for sid, s in ds.sources.items()}  # built lazily
        self._resolving: set[str] = set()
        self._steps: list[Any] | None = None  # while a block's own checks run: where their steps go
        self._deps: dict[str, str | None] = {}  # the sources (digest, None if absent) they looked at
        self._all_sources = False  # whether they named the sources (in a hint)
        self.units: dict[int, _Unit] = {}
        self._found: dict[tuple[str, str], list[Match]] = {}  # the quotes of the file being checked

    # -- helpers -------------------------------------------------------------------
    def issue(
        self,
        record: Record | None,
        key: str,
        message: str,
        hint: str,
        *,
        path: Path | None = None,
        line: int | None = None,
    ) -> None:
        if record is not None:
            path, line = record.path, line or record.line_of(key)
            if self._steps is not None:
                self._steps.append(["i", message, hint, line])
                return
        self.report.issues.append(DataError(message, path=path, line=line, hint=hint))

    def uses_source(self, source: Any) -> None:
        """Note that a block's own checks depend on ``source`` (its text, or that there is none)."""
        if isinstance(source, str):
            known = self.ds.sources.get(source)
            self._deps[source] = known.sha256 if known is not None else None

    def source_of(self, record: Record) -> str | None:
        return record.default_source

    def find_quote(self, record: Record, key: str, item: Any) -> Evidence | None:
        if isinstance(item, str):
            quote, source = item, record.default_source
        elif isinstance(item, dict) and isinstance(item.get("quote"), str):
            quote, source = item["quote"], item.get("source", record.default_source)
            if record.default_source is not None and source != record.default_source:
                self.issue(
                    record,
                    key,
                    f"quote of {record.id!r} from source {source!r} in the records of {record.default_source!r}",
                    f"put what {source} says in its own record file, in a block 'about: {record.id}'",
                )
                return None
        else:
            self.issue(
                record,
                key,
                f"malformed quote {item!r} in {record.id!r}",
                "write a quote as a string or {quote: ..., source: SLUG}",
            )
            return None
        if source is None:
            self.issue(
                record,
                key,
                f"quote of {record.id!r} names no source",
                "add 'source: SLUG' at the top of the file",
            )
            return None
        self.uses_source(source)
        if source not in self.ds.sources:
            self._all_sources = True
            self.issue(
                record, key, f"unknown source {source!r}", _close(str(source), sorted(self.ds.sources))
            )
            return None
        matches = self.report.indexes[source].find_all(quote)
        self._found[(source, quote)] = matches
        match = matches[0] if matches else None
        if match is None:
            short = quote if len(quote) <= 60 else quote[:57] + "..."
            self.issue(
                record,
                key,
                f"quote not found in source {source!r}: {short!r}",
                "copy the words exactly from the document (only whitespace may differ)",
            )
            return None
        return Evidence(source=str(source), quote=quote, match=match)

    # -- checks ----------------------------------------------------------------------
    def check_fields(self, record: Record, kind: Kind) -> None:
        register_entry = record.source is None
        if register_entry:  # a register entry: identity and outside knowledge only
            props = [p for p in kind.properties.values() if p.in_register or p.also_in_register]
        elif record.declares:  # declared in a source's file: everything
            props = list(kind.properties.values())
        else:  # about-block: what the source says
            props = [p for p in kind.properties.values() if not p.in_register]
        known = {"id" if record.declares else "about", *(p.name for p in props)}
        for key in record.data:
            if key not in known:
                prop = kind.properties.get(key)
                if prop is not None and register_entry:
                    hint = f"what a source says goes in its record file, in a block 'about: {record.id}'"
                    message = f"{key!r} of {record.id!r} is said by a source, not declared in the register"
                elif prop is not None:
                    hint = f"{key!r} is declared once, in the register entry of {record.id!r}"
                    message = f"{key!r} of {record.id!r} belongs to the register, not to a source's block"
                else:
                    hint = _close(key, sorted(known))
                    message = f"unknown field {key!r} for {kind.name} {record.id!r}"
                self.issue(record, key, message, hint)
        for prop in props:
            value = record.data.get(prop.name)
            if value is None or value == [] or value == "":
                if prop.name == "date" and kind.register:
                    continue  # required of the record, not of each block (check_dated)
                if prop.required:
                    self.issue(
                        record,
                        "id",
                        f"missing required field {prop.name!r} for {kind.name} {record.id!r}",
                        f"add '{prop.name}:' ({prop.comment.rstrip('.')})",
                    )
                continue
            self.check_value(record, kind, prop, value)

    def check_value(self, record: Record, kind: Kind, prop: Property, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        if (
            isinstance(value, list)
            and not prop.many
            and prop.base_type not in ("quotes", "participants", "quantities")
        ):
            self.issue(
                record,
                prop.name,
                f"{prop.name!r} of {record.id!r} takes one value, not a list",
                "give a single value",
            )
            return
        checker = getattr(self, f"value_{prop.base_type}")
        checker(record, prop, values)

    def value_text(self, record: Record, prop: Property, values: list[Any]) -> None:
        for v in values:
            if not isinstance(v, str | int | float) or isinstance(v, bool):
                self.issue(
                    record, prop.name, f"{prop.name!r} of {record.id!r} must be text", "write it as a string"
                )

    def value_uri(self, record: Record, prop: Property, values: list[Any]) -> None:
        for v in values:
            if not isinstance(v, str) or not v.startswith(("http://", "https://")):
                self.issue(
                    record,
                    prop.name,
                    f"{prop.name!r} of {record.id!r} must be an absolute IRI, got {v!r}",
                    "write http(s)://...",
                )

    def value_number(self, record: Record, prop: Property, values: list[Any]) -> None:
        for v in values:
            if not isinstance(v, int | float) or isinstance(v, bool):
                self.issue(
                    record,
                    prop.name,
                    f"{prop.name!r} of {record.id!r} must be a number, got {v!r}",
                    "write a number",
                )

    def check_ref(
        self, record: Record, key: str, target: Any, argument: str, *, line: int | None = None
    ) -> None:
        if self._steps is not None:  # it needs the whole dataset: checked when the steps are replayed
            self._steps.append(["r", key, encode(target), argument, line])
            return
        kinds = self.model.kinds_matching(argument)
        resolved = self.ds.resolve(target)
        other = self.ds.records.get(resolved) if resolved is not None else None
        if other is None:
            self.issue(
                record,
                key,
                f"unknown reference {target!r} in {key!r} of {record.id!r}",
                self.ds.suggest(str(target)),
                line=line,
            )
        elif other.kind not in kinds:
            self.issue(
                record,
                key,
                f"{key!r} of {record.id!r} must refer to a {' or '.join(kinds)}, but {target!r} is a {other.kind}",
                "refer to a record of the right kind",
                line=line,
            )

    def value_ref(self, record: Record, prop: Property, values: list[Any]) -> None:
        for v in values:
            self.check_ref(record, prop.name, v, prop.argument or "Any")

    def check_enum(
        self, record: Record, key: str, value: Any, vocabulary: str, *, line: int | None = None
    ) -> None:
        terms = self.model.vocabularies[vocabulary].terms
        if not isinstance(value, str) or value not in terms:  # a list or mapping is no term
            noun = {"event_types": "event type", "roles": "role", "stances": "stance"}.get(
                vocabulary, vocabulary.rstrip("s").replace("_", " ")
            )
            self.issue(
                record,
                key,
                f"unknown {noun} {value!r} in {record.id!r}",
                f"{_close(str(value), sorted(terms))} (model/vocabularies.yaml)",
                line=line,
            )

    def value_enum(self, record: Record, prop: Property, values: list[Any]) -> None:
        for v in values:
            self.check_enum(record, prop.name, v, prop.argument or "")

    def value_quotes(self, record: Record, prop: Property, values: list[Any]) -> None:
        found = [self.find_quote(record, prop.name, v) for v in values]
        self.add_step(["e", [self.evidence_step(record, e) for e in found if e is not None]])

    def value_participants(self, record: Record, prop: Property, values: list[Any]) -> None:
        for p in values:
            if not isinstance(p, dict) or "actor" not in p or "role" not in p:
                self.issue(
                    record,
                    prop.name,
                    f"malformed participant {p!r} in {record.id!r}",
                    "write {actor: ID, role: ROLE}",
                )
                continue
            line = p.line if isinstance(p, LineDict) else None
            self.check_ref(record, prop.name, p["actor"], "Actor", line=line)
            self.check_enum(record, prop.name, p["role"], "roles", line=line)

    def value_quantities(self, record: Record, prop: Property, values: list[Any]) -> None:
        for i, q in enumerate(values):
            if not isinstance(q, dict) or not {"measure", "value", "qualifier", "quote"} <= set(q):
                self.issue(
                    record,
                    prop.name,
                    f"malformed quantity {q!r} in {record.id!r}",
                    "write {measure: WHAT, value: N, qualifier: QUALIFIER, unit: UNIT, quote: '...'}",
                )
                continue
            if not isinstance(q["value"], int | float) or isinstance(q["value"], bool):
                self.issue(
                    record,
                    prop.name,
                    f"quantity value {q['value']!r} in {record.id!r} is not a number",
                    "write a number",
                )
            self.check_enum(record, prop.name, q["qualifier"], "quantity_qualifiers")
            ev = self.find_quote(record, prop.name, q["quote"])
            if ev is not None:
                self.add_step(["q", prop.name, i, self.evidence_step(record, ev)])

    def value_coordinates(self, record: Record, prop: Property, values: list[Any]) -> None:
        for c in values:
            ok = isinstance(c, dict) and set(c) == {"lat", "long"}
            if ok:
                lat, lon = c["lat"], c["long"]
                ok = (
                    isinstance(lat, int | float)
                    and isinstance(lon, int | float)
                    and -90 <= lat <= 90
                    and -180 <= lon <= 180
                )
            if not ok:
                self.issue(
                    record,
                    prop.name,
                    f"invalid coordinates {c!r} in {record.id!r}",
                    "write {lat: DEGREES, long: DEGREES} in WGS84",
                )

    def value_date(self, record: Record, prop: Property, values: list[Any]) -> None:
        spec = values[0]
        if not isinstance(spec, dict):
            self.issue(
                record,
                prop.name,
                f"date of {record.id!r} must be a mapping",
                "write date: {edtf: 2012-07-03, text: '3 July'}",
            )
            return
        text = spec.get("text")
        self.uses_source(record.default_source)
        if (
            text is not None
            and record.default_source in self.report.indexes
            and self.report.indexes[record.default_source].find(str(text)) is None
        ):
            self.issue(
                record,
                prop.name,
                f"date text {text!r} of {record.id!r} is not in its source",
                "copy the words of the date exactly",
            )
        for key in ("after", "before"):
            for ref in spec.get(key) or []:
                if ref != "source":
                    self.check_ref(record, prop.name, ref, "Any")
        rel = spec.get("relative")
        if isinstance(rel, dict) and "to" in rel:
            self.check_ref(record, prop.name, rel["to"], "Any")
        self.add_step(["d"])

    # -- the steps of a block's own checks ------------------------------------------------
    def add_step(self, step: list[Any]) -> None:
        if self._steps is None:
            raise RuntimeError("a step outside a block's own checks")
        self._steps.append(step)

    def evidence_step(self, record: Record, ev: Evidence) -> list[Any]:
        """A found quote as a step: source, quote, offsets, whether it names one place, reporting words."""
        index = self.report.indexes[ev.source]
        verb = reported_speech_before(index.text, ev.match.start) if record.kind == "Event" else None
        return [ev.source, ev.quote, ev.match.start, ev.match.end, self._one_place(index, ev), verb]

    def _one_place(self, index: SourceIndex, ev: Evidence) -> list[str] | None:
        matches = self._found.get((ev.source, ev.quote))
        return _one_place_problem(index, ev.source, ev.quote, matches=matches)

    def evidence_of(self, step: list[Any]) -> Evidence:
        source, quote, start, end, one_place, verb = step
        match = self.report.indexes[source].match(start, end)
        return Evidence(source=source, quote=quote, match=match, notes=(one_place, verb))

    def own_checks(self, record: Record) -> _Unit:
        """The checks of one block that need only its file and its source: steps and issues to replay."""
        self._steps = []
        try:
            self.check_fields(record, self.model.kinds[record.kind])
            steps = self._steps
        finally:
            self._steps = None
        return [
            steps,
            [_issue_step(e) for e in _text_issues(record, self.model)],
            [_issue_step(e) for e in _number_issues(record, self.model)],
            [_issue_step(e) for e in _iri_issues(record, self.model)],
        ]

    def replay(self, record: Record, steps: list[Any]) -> None:
        """Replay a block's steps in their order: issues, references, its date and its evidence."""
        for step in steps:
            what = step[0]
            if what == "i":
                self.report.issues.append(DataError(step[1], path=record.path, line=step[3], hint=step[2]))
            elif what == "r":
                self.check_ref(record, step[1], step[2], step[3], line=step[4])
            elif what == "d":
                self.date_of(record.key)
            elif what == "e":
                self.report.evidence[record.key] = [self.evidence_of(e) for e in step[1]]
            else:  # "q"
                self.report.quantity_evidence[(record.key, step[1], step[2])] = self.evidence_of(step[3])

    def unit_results(self, units: list[Record]) -> None:
        """Each block's own checks, from the cache for a file checked before with the same inputs."""
        by_file: dict[Path, list[Record]] = {}
        for record in units:
            by_file.setdefault(record.path, []).append(record)
        register = self.ds.root / "register"
        for path, records in by_file.items():
            records.sort(key=lambda r: r.index)
            digest = self.ds.digests.get(path)
            key = ""
            if self.cache is not None and digest is not None:
                folder = "register" if path.is_relative_to(register) else "records"
                key = self.cache.key("check", digest, folder)
                cached = _valid_check_entry(self.cache.get("check", key), records, self.ds)
                if cached is not None:
                    for record, unit in zip(records, cached, strict=True):
                        self.units[id(record)] = unit
                    continue
            self._deps, self._all_sources, self._found = {}, False, {}
            results = [self.own_checks(record) for record in records]
            self.report.checked.append(path)
            for record, unit in zip(records, results, strict=True):
                self.units[id(record)] = unit
            if self.cache is not None and digest is not None:
                deps = [
                    sorted(self._deps.items()),
                    [r.id for r in records],
                    sorted(self.ds.sources) if self._all_sources else None,
                ]
                self.cache.put("check", key, [deps, results])

    # -- dates -----------------------------------------------------------------------------
    def date_of(self, key: str) -> ResolvedDate:
        """Resolve the date of a record (or ``source:<id>``), memoised, with cycle detection."""
        if key in self.report.dates:
            return self.report.dates[key]
        if key.startswith("source:"):
            sid = key.split(":", 1)[1]
            src = self.ds.sources[sid]
            owner_path, spec, default_source = src.path, src.meta.get("date"), None
            line_of: Callable[[str], int] = src.meta.line_of
        else:
            rec = self.block_of(key)
            if rec is None or not isinstance(rec.data.get("date"), dict):
                raise _Unresolvable(key.split("@", 1)[0])
            owner_path, spec, default_source = rec.path, rec.data["date"], rec.default_source
            line_of = rec.line_of
        if not isinstance(spec, dict):
            raise DataError(
                "missing required field 'date'",
                path=owner_path,
                line=1,
                hint="add date: {edtf: ..., year_inferred: ...}",
            )
        if key in self._resolving:
            raise DataError(
                f"date of {key.split('@', 1)[0]!r} depends on itself",
                path=owner_path,
                line=line_of("date"),
                hint="break the cycle of relative dates",
            )
        self._resolving.add(key)
        try:
            sub = spec if isinstance(spec, LineDict) else None

            def where(field_name: str) -> tuple[Path, int]:
                return owner_path, (sub.line_of(field_name) if sub is not None else line_of("date"))

            source_date = (
                (lambda: self.date_of(f"source:{default_source}"))
                if default_source in self.ds.sources
                else None
            )
            resolved = resolve_date(
                spec,
                lookup=lambda rid: self.date_of(self.dated_block(rid, default_source)),
                source_date=source_date,
                parts=self.model.date_parts,
                relations=self.model.date_relations,
                where=where,
            )
        except _Unresolvable as exc:  # reported here, at the date that refers to an undated record
            raise DataError(
                f"cannot resolve the date of {key.removeprefix('source:').split('@', 1)[0]!r}: {exc.args[0]!r} has no date",
                path=owner_path,
                line=line_of("date"),
                hint="refer to a record that has a date (an event)",
            ) from None
        finally:
            self._resolving.discard(key)
        self.report.dates[key] = resolved
        return resolved

    def block_of(self, key: str) -> Record | None:
        rid, _, source = key.partition("@")
        record = self.ds.records.get(rid)
        if record is None:
            return None
        return next((b for b in record.blocks if (b.source or "") == source), None)

    def dated_block(self, rid: str, source: str | None) -> str:
        """The block whose date stands for ``rid`` from ``source``: its own, else the first source's."""
        resolved = self.ds.resolve(rid) or rid
        record = self.ds.records.get(resolved)
        dated = [b for b in record.blocks if isinstance(b.data.get("date"), dict)] if record else []
        if not dated:
            return resolved  # not a block key: date_of reports it as unresolvable
        own = next((b for b in dated if b.source == source), dated[0])
        return own.key

    def run(self) -> Report:
        for sid in self.ds.sources:
            self.check_source(sid)
        units = {id(r): r for r in [*self.ds.records.values(), *self.ds.blocks]}
        self.unit_results(list(units.values()))
        for record in units.values():
            try:
                self.replay(record, self.units[id(record)][0])
            except _Unresolvable as exc:
                self.issue(
                    record, "date", f"cannot resolve the date of {exc.args[0]!r}", "give that record a date"
                )
            except DataError as exc:
                self.report.issues.append(exc)
        self.check_claims_keep_apart()
        self.check_dated()
        self.check_references_are_spoken_of()
        if not self.report.issues:
            self.combine()
            self.check_reported_speech()
            self.check_part_of_bounds()
        # De-duplicate issues raised twice through memoised date resolution.
        unique: dict[str, DataError] = {}
        for issue in self.report.issues:
            unique.setdefault(str(issue), issue)
        self.report.issues = list(unique.values())
        return self.report

    def check_source(self, sid: str) -> None:
        src = self.ds.sources[sid]
        for key in ("title", "publisher", "kind", "language", "date"):
            if not src.meta.get(key):
                self.report.issues.append(
                    DataError(
                        f"missing required field {key!r} for source {sid!r}",
                        path=src.path,
                        line=src.meta.line,
                        hint=f"add {key}:",
                    )
                )

        def problem(key: str, message: str, hint: str) -> None:
            self.report.issues.append(
                DataError(message, path=src.path, line=src.meta.line_of(key), hint=hint)
            )

        declared = src.meta.get("sha256")
        if declared is not None and str(declared).lower() != src.sha256:
            problem(
                "sha256",
                f"the SHA-256 of {src.path.with_suffix('.txt').name} is {src.sha256}, not {declared}",
                "the document changed since it was recorded: check it against the original, then update sha256",
            )
        captured = src.meta.get("captured")
        if captured is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(captured)):
            problem(
                "captured",
                f"captured {captured!r} of source {sid!r} is not a date",
                'write the day the document was captured as "YYYY-MM-DD"',
            )
        pub = src.meta.get("publisher")
        if pub and (pub not in self.ds.records or self.ds.records[pub].kind != "Organisation"):
            problem("publisher", f"unknown publisher {pub!r}", "name an organisation id")
        try:
            if isinstance(src.meta.get("date"), dict):
                self.date_of(f"source:{sid}")
        except _Unresolvable as exc:
            problem("date", f"cannot resolve the date of {exc.args[0]!r}", "give that record a date")
        except DataError as exc:
            self.report.issues.append(exc)

    def check_claims_keep_apart(self) -> None:
        """A claim's ``responds_to`` must point at another claim, never at itself."""
        for record in self.ds.by_kind("Claim"):
            for target in record.data.get("responds_to") or []:
                if target == record.id:
                    self.issue(
                        record,
                        "responds_to",
                        f"claim {record.id!r} responds to itself",
                        "name the claim it answers",
                    )

    def check_dated(self) -> None:
        """A kind whose date is required (events) is dated by at least one of its sources."""
        for record in self.ds.records.values():
            prop = self.model.kinds[record.kind].properties.get("date")
            if prop is None or not prop.required or not record.blocks:
                continue  # a register entry no source speaks of is left out of the graph
            if not any(isinstance(b.data.get("date"), dict) for b in record.blocks):
                self.issue(
                    record,
                    "id",
                    f"no source dates {record.kind} {record.id!r}",
                    "add 'date:' to the block of a source that dates it (or a date derived with 'after:' and a reason)",
                )

    def check_references_are_spoken_of(self) -> None:
        """A record a source refers to is one that source speaks of (a block of its own, with a quote).

        So each source's named graph stands on its own: everything it links to has its evidence there.
        """
        spoken = {(b.id, b.source) for b in self.ds.blocks}
        linking = {
            name: [
                (p, p.base_type == "participants")
                for p in kind.properties.values()
                if not p.in_register and p.base_type in ("participants", "ref")
            ]
            for name, kind in self.model.kinds.items()
        }
        for block in self.ds.blocks:
            for prop, participants in linking[block.kind]:
                value = block.data.get(prop.name)
                if value is None:
                    continue
                values = value if isinstance(value, list) else [value]
                refs = [p.get("actor") for p in values if isinstance(p, dict)] if participants else values
                for ref in refs:
                    target = self.ds.resolve(ref)
                    if target is not None and (target, block.source) not in spoken:
                        self.issue(
                            block,
                            prop.name,
                            f"{block.id!r} refers to {ref!r}, which source {block.source!r} says nothing about",
                            f"add a block 'about: {target}' with the words of {block.source} that name it",
                        )

    def combine(self) -> None:
        """The combined date of every record that one or more sources date."""
        for record in self.ds.records.values():
            dated = [
                (b.source or "", self.report.dates[b.key])
                for b in record.blocks
                if b.key in self.report.dates
            ]
            if dated:
                self.report.combined_dates[record.id] = combine_dates(dated)

    def check_reported_speech(self) -> None:
        """An event quoted from inside reported speech names who reports it (``according_to``)."""
        numbers: dict[str, list[Evidence]] = defaultdict(list)
        for (key, _prop, _i), ev in self.report.quantity_evidence.items():
            numbers[key].append(ev)
        for block in self.ds.blocks:
            if block.kind != "Event" or block.data.get("according_to"):
                continue
            quotes = [(e, "evidence") for e in self.report.evidence.get(block.key, [])]
            quotes += [(e, "quantities") for e in numbers.get(block.key, [])]
            for ev, field_name in quotes:
                verb = (
                    ev.notes[1]
                    if ev.notes is not None
                    else reported_speech_before(self.report.indexes[ev.source].text, ev.match.start)
                )
                if verb is not None:
                    short = ev.quote if len(ev.quote) <= 40 else ev.quote[:37] + "..."
                    self.issue(
                        block,
                        field_name,
                        f"quote {short!r} of {block.id!r} starts inside reported speech ({verb!r})",
                        "name who reports it with 'according_to: [ACTOR]', or make it a claim",
                    )
                    break

    def check_part_of_bounds(self) -> None:
        """Every ``part_of`` child lies within its parent's bounds (combined over the sources)."""
        dates = self.report.combined_dates
        for block in self.ds.blocks:
            parent = self.ds.resolve(block.data.get("part_of"))
            if parent is None or block.id not in dates or parent not in dates:
                continue
            child, outer = dates[block.id].date, dates[parent].date
            if child.earliest < outer.earliest or child.latest > outer.latest:
                self.issue(
                    block,
                    "part_of",
                    f"{block.id!r} ({child.earliest}..{child.latest}) lies outside its parent {parent!r} "
                    f"({outer.earliest}..{outer.latest})",
                    "check both dates, or drop part_of",
                )


# Words that open reported speech just before a quote: the quote is what someone else said.
_REPORTING = re.compile(
    r"(?:\b(?:reported|claimed|alleged|announced|stated|said|says|told\b[^.;:]{0,80}?)\s+that"
    r"|\b(?:claimed|said|says|stated|alleged|according to [^,.;]{1,80},?))\s*[“\"]?\s*$",
    re.IGNORECASE,
)


def reported_speech_before(text: str, start: int) -> str | None:
    """The reporting words that end the sentence's text before ``start``, if any.

    Examples
    --------
    >>> s = "Relatives reported that scores of people were held."
    >>> reported_speech_before(s, s.index("scores"))
    'reported that'
    >>> s = "He told journalists on 4 July that a friend had intervened."
    >>> reported_speech_before(s, s.index("a friend"))
    'told journalists on 4 July that'
    >>> s = "Police detained him. Scores of people were held."
    >>> reported_speech_before(s, s.index("Scores")) is None
    True
    """
    head = text[max(0, start - 200) : start]
    cut = max(head.rfind(". "), head.rfind(".\n"), head.rfind("\n\n"))
    head = head[cut + 1 :] if cut >= 0 else head
    m = _REPORTING.search(head)
    return " ".join(m.group(0).split()).rstrip(' “"') if m else None


class _Unresolvable(Exception):
    """A date refers to a record that has no date."""


def check_dataset(ds: Dataset, model: Model | None = None, *, cache_dir: Path | str | None = None) -> Report:
    """Check every source and record of ``ds`` against the model; verify quotes; resolve dates.

    Parameters
    ----------
    ds
        The dataset from :func:`~zhanaozen_graph.records.load.load_dataset`.
    model
        The model (defaults to the packaged one).
    cache_dir
        A directory for a cache of each record file's own checks (field names, values, vocabularies,
        quotes found in the source, texts, numbers, IRIs), keyed by the file's bytes and by the
        package's code and model, and valid while the sources the file quotes are unchanged; defaults
        to the directory ``ds`` was loaded with. The checks that span files (references, dates,
        duplicates, circles, each source's statements) run every time. The report is the same, issue
        for issue and in the same order, with or without it; ``report.checked`` lists the record
        files whose own checks ran this time. A custom ``model`` is never cached.

    Returns
    -------
    Report
        ``report.valid`` is True when nothing is wrong; ``report.issues`` lists each problem with
        its file, line and fix.

    Examples
    --------
    >>> from zhanaozen_graph.records.load import load_dataset
    >>> report = check_dataset(load_dataset())
    >>> report.valid
    True
    >>> report.combined_dates["atabaev-released"].date.earliest.isoformat()
    '2012-07-03'

    With a cache, a second check of the same files runs no file's own checks again:

    >>> import tempfile
    >>> cache = tempfile.mkdtemp()
    >>> first = check_dataset(load_dataset(cache_dir=cache))
    >>> again = check_dataset(load_dataset(cache_dir=cache))
    >>> len(first.checked) > 0, again.checked, again.valid
    (True, [], True)
    """
    packaged = get_model()
    model = model or packaged
    directory = cache_dir if cache_dir is not None else ds.cache_dir
    cache = RecordsCache(directory) if directory is not None and model == packaged else None
    with gc_paused():  # the evidence and dates of every record stay alive
        checker = _Checker(ds, model, cache)
        report = checker.run()
        units = _units(report)
        for part in (1, 2):  # text values, then finite numbers, over every block
            for record in units:
                for message, hint, line in checker.units[id(record)][part]:
                    report.issues.append(DataError(message, path=record.path, line=line, hint=hint))
        _check_source_iris(report)
        for record in units:
            for message, hint, line in checker.units[id(record)][3]:
                report.issues.append(DataError(message, path=record.path, line=line, hint=hint))
        check_event_links(report)
        check_quotes_identify_one_place(report, model)
    return report


def _issue_step(issue: DataError) -> list[Any]:
    """An issue of a block's own checks, as cached: message, hint, line (the path is the block's)."""
    return [issue.message, issue.hint, issue.line]


def _valid_check_entry(entry: Any, records: list[Record], ds: Dataset) -> list[_Unit] | None:
    """The cached own checks of a file's blocks, if ``entry`` is well formed and its inputs are unchanged.

    Its inputs: the sources its quotes were looked up in (same text, or still absent), the ids of its
    blocks (an ``about:`` resolved to the same record) and, when a hint named them, the list of sources.
    """
    try:
        (deps, ids, all_sources), units = entry
        for sid, digest in deps:
            source = ds.sources.get(sid)
            if (source.sha256 if source is not None else None) != digest:
                return None
        if ids != [r.id for r in records] or len(units) != len(records):
            return None
        if all_sources is not None and all_sources != sorted(ds.sources):
            return None
        for steps, *issues in units:
            for step in steps:
                if not _valid_step(step, ds):
                    return None
            for part in issues:
                for message, hint, line in part:
                    if type(message) is not str or type(hint) not in _HINT or type(line) not in _LINE:
                        return None
            if len(issues) != 3:
                return None
    except (TypeError, ValueError):
        return None
    return list(units)


def _valid_step(step: Any, ds: Dataset) -> bool:
    """Whether a cached step has the shape :meth:`_Checker.replay` reads."""
    if type(step) is not list or not step:
        return False
    what, n = step[0], len(step)
    if what == "i":
        return n == 4 and type(step[1]) is str and type(step[2]) is str and type(step[3]) in _LINE
    if what == "r":
        return n == 5 and type(step[1]) is str and type(step[3]) is str and type(step[4]) in _LINE
    if what == "d":
        return n == 1
    if what == "e":
        return n == 2 and type(step[1]) is list and all(_valid_evidence(e, ds) for e in step[1])
    if what == "q":
        return n == 4 and type(step[1]) is str and type(step[2]) is int and _valid_evidence(step[3], ds)
    return False


_LINE = (int, type(None))
_HINT = (str, type(None))


def _valid_evidence(step: Any, ds: Dataset) -> bool:
    """Whether a cached quote has the shape :meth:`_Checker.evidence_of` reads, within its source's text."""
    if type(step) is not list or len(step) != 6:
        return False
    source, quote, start, end, one_place, verb = step
    known = ds.sources.get(source) if type(source) is str else None
    return (
        known is not None
        and type(quote) is str
        and type(start) is int
        and type(end) is int
        and 0 <= start <= end <= len(known.text)
        and (
            one_place is None or (type(one_place) is list and [type(x) for x in one_place] == [str, str, str])
        )
        and (verb is None or type(verb) is str)
    )


def iter_issue_lines(report: Report) -> Iterator[str]:
    """Each issue as one line."""
    for issue in report.issues:
        yield str(issue)


# -- Checks of values (issue 13): each a small function over a finished report, called once from
# check_dataset. They catch values the model's types let through but that would be wrong in the graph.

MIN_QUOTE_CHARS = 12
MIN_QUOTE_WORDS = 3
# Bidirectional-text controls: U+202E shows "evil" as "live". Never allowed in labels, aliases or any text.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`\x00-\x20\x7f]+$")
# Links between events that must not point at the record itself or run in a circle.
EVENT_LINKS = ("part_of", "follows")


def _bad_char(text: str) -> str | None:
    """The first control or bidirectional-control character of ``text`` (tabs and newlines allowed)."""
    for ch in text:
        if ch in _BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"):
            return f"U+{ord(ch):04X}"
    return None


def _units(report: Report) -> list[Record]:
    """Every register entry and every block of statements, once each."""
    units = {id(r): r for r in [*report.dataset.records.values(), *report.dataset.blocks]}
    return list(units.values())


def check_text_values(report: Report, model: Model) -> None:
    """Text values are strings without control characters or bidirectional controls.

    Examples
    --------
    >>> _bad_char("evil\\u202e"), _bad_char("fine\\n")
    ('U+202E', None)
    """
    for record in _units(report):
        report.issues.extend(_text_issues(record, model))


def _text_issues(record: Record, model: Model) -> list[DataError]:
    """The issues :func:`check_text_values` finds in one block."""
    issues: list[DataError] = []
    for prop in model.kinds[record.kind].properties.values():
        if prop.base_type != "text" or record.data.get(prop.name) is None:
            continue
        value = record.data[prop.name]
        for v in value if isinstance(value, list) else [value]:
            if not isinstance(v, str):
                issues.append(
                    DataError(
                        f"{prop.name!r} of {record.id!r} must be text, got {type(v).__name__} {v!r}",
                        path=record.path,
                        line=record.line_of(prop.name),
                        hint=f'put it in quotes: {prop.name}: "{v}"',
                    )
                )
            elif (bad := _bad_char(v)) is not None:
                issues.append(
                    DataError(
                        f"{prop.name!r} of {record.id!r} contains the control character {bad}",
                        path=record.path,
                        line=record.line_of(prop.name),
                        hint="remove it (invisible characters can change how the text reads)",
                    )
                )
    return issues


def check_numbers_finite(report: Report, model: Model) -> None:
    """Numbers and quantity values are finite: ``.nan`` and ``.inf`` are not numbers of the graph."""
    for record in _units(report):
        report.issues.extend(_number_issues(record, model))


def _number_issues(record: Record, model: Model) -> list[DataError]:
    """The issues :func:`check_numbers_finite` finds in one block."""
    issues: list[DataError] = []
    for prop in model.kinds[record.kind].properties.values():
        value = record.data.get(prop.name)
        if prop.base_type == "number":
            numbers = value if isinstance(value, list) else [value]
        elif prop.base_type == "quantities" and isinstance(value, list):
            numbers = [q.get("value") for q in value if isinstance(q, dict)]
        else:
            continue
        for n in numbers:
            if isinstance(n, float) and not math.isfinite(n):
                issues.append(
                    DataError(
                        f"{prop.name!r} of {record.id!r} holds {n!r}, which is not a finite number",
                        path=record.path,
                        line=record.line_of(prop.name),
                        hint="write the number the document gives",
                    )
                )
    return issues


def check_iris(report: Report, model: Model) -> None:
    """IRIs (``same_as``...) are IRIs: no spaces or characters RDF forbids; source ids are slugs."""
    _check_source_iris(report)
    for record in _units(report):
        report.issues.extend(_iri_issues(record, model))


def _check_source_iris(report: Report) -> None:
    """The source part of :func:`check_iris`: slugs and urls."""
    from .load import SLUG

    for sid, source in report.dataset.sources.items():
        if not SLUG.match(sid):
            report.issues.append(
                DataError(
                    f"source id {sid!r} is not a slug",
                    path=source.path,
                    hint="rename the file to lowercase letters, digits and hyphens",
                )
            )
        url = source.meta.get("url")
        if url is not None and not (isinstance(url, str) and _IRI.match(url)):
            report.issues.append(
                DataError(
                    f"url of source {sid!r} is not a valid http(s) IRI: {url!r}",
                    path=source.path,
                    line=source.meta.line_of("url"),
                    hint="write http(s)://... without spaces (percent-encode them)",
                )
            )


def _iri_issues(record: Record, model: Model) -> list[DataError]:
    """The issues :func:`check_iris` finds in one block."""
    issues: list[DataError] = []
    for prop in model.kinds[record.kind].properties.values():
        value = record.data.get(prop.name)
        if prop.base_type != "uri" or value is None:
            continue
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v.startswith(("http://", "https://")) and not _IRI.match(v):
                issues.append(
                    DataError(
                        f"{prop.name!r} of {record.id!r} is not a valid IRI: {v!r}",
                        path=record.path,
                        line=record.line_of(prop.name),
                        hint='remove spaces and the characters <>"{}|\\^` (percent-encode them)',
                    )
                )
    return issues


def check_event_links(report: Report) -> None:
    """``part_of`` and ``follows`` never point at the record itself nor run in a circle."""
    ds = report.dataset
    for name in EVENT_LINKS:
        links: dict[str, list[str]] = {}
        records: dict[str, Record] = {}  # the first block that links each record
        for record in ds.blocks:
            value = record.data.get(name)
            if value is None or value == []:
                continue  # a record that links nowhere closes no circle (the search skips it alike)
            targets = [
                ds.resolve(t) or str(t)
                for t in (value if isinstance(value, list) else [value])
                if t is not None
            ]
            if not targets:
                continue
            links.setdefault(record.id, []).extend(targets)
            records.setdefault(record.id, record)
            if record.id in targets:
                report.issues.append(
                    DataError(
                        f"{name!r} of {record.id!r} points at the record itself",
                        path=record.path,
                        line=record.line_of(name),
                        hint="name another event",
                    )
                )
        done: set[str] = set()
        for start in links:
            if start in done:
                continue
            # Iterative depth-first search; a node met again on the current path closes a circle.
            path: list[str] = []
            on_path: set[str] = set()
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                node, i = stack.pop()
                if i == 0:
                    path.append(node)
                    on_path.add(node)
                targets = [t for t in links.get(node, []) if t != node and t in links]
                if i < len(targets):
                    stack.append((node, i + 1))
                    nxt = targets[i]
                    if nxt in on_path:
                        circle = [*path[path.index(nxt) :], nxt]
                        record = records[nxt]
                        report.issues.append(
                            DataError(
                                f"{name!r} runs in a circle: {' -> '.join(circle)}",
                                path=record.path,
                                line=record.line_of(name),
                                hint=f"remove one of the {name!r} links",
                            )
                        )
                        stack.clear()
                        done.update(path)
                        break
                    if nxt not in done:
                        stack.append((nxt, 0))
                else:
                    path.pop()
                    on_path.discard(node)
                    done.add(node)


def check_quotes_identify_one_place(
    report: Report, model: Model, *, min_chars: int = MIN_QUOTE_CHARS, min_words: int = MIN_QUOTE_WORDS
) -> None:
    """A quote is long enough to mean something and occurs exactly once in its source."""
    seen: set[tuple[str, str, int]] = set()
    items: list[tuple[Record, str, Evidence]] = []
    blocks = {b.key: b for b in report.dataset.blocks}
    quotes_key = {
        name: next((p.name for p in kind.properties.values() if p.base_type == "quotes"), "evidence")
        for name, kind in model.kinds.items()
    }
    for block_key, evidence in report.evidence.items():
        record = blocks[block_key]
        key = quotes_key[record.kind]
        items.extend((record, key, ev) for ev in evidence)
    for (block_key, key, _), ev in report.quantity_evidence.items():
        items.append((blocks[block_key], key, ev))
    default = (min_chars, min_words) == (MIN_QUOTE_CHARS, MIN_QUOTE_WORDS)
    for record, key, ev in items:
        line = record.line_of(key)
        if (record.id, ev.quote, line) in seen:
            continue
        seen.add((record.id, ev.quote, line))
        problem = (
            ev.notes[0]
            if ev.notes is not None and default
            else _one_place_problem(report.indexes[ev.source], ev.source, ev.quote, min_chars, min_words)
        )
        if problem is not None:
            short, rest, hint = problem
            report.issues.append(
                DataError(f"quote {short} of {record.id!r}{rest}", path=record.path, line=line, hint=hint)
            )


def _one_place_problem(
    index: SourceIndex,
    source: str,
    quote: str,
    min_chars: int = MIN_QUOTE_CHARS,
    min_words: int = MIN_QUOTE_WORDS,
    *,
    matches: list[Match] | None = None,
) -> list[str] | None:
    """Why ``quote`` does not identify one place in ``source``, if it does not.

    The quote as shown, the rest of the message (after "of RECORD") and the hint, for
    :func:`check_quotes_identify_one_place`.

    Examples
    --------
    >>> _one_place_problem(SourceIndex("He was released. He was released."), "s", "He was released")
    ["'He was released'", " occurs 2 times in source 's' (at line:column 1:1, 1:18)", 'quote more of the sentence so that it occurs once']
    """
    normal = SourceIndex.normalise(quote)
    short = normal if len(normal) <= 60 else normal[:57] + "..."
    if len(normal) < min_chars and len(normal.split()) < min_words:
        return [
            repr(short),
            " is too short to identify its place",
            f"quote at least {min_words} words or {min_chars} characters",
        ]
    if matches is None:
        matches = index.find_all(quote)
    if len(matches) > 1:
        text = index.text
        lines = ", ".join(
            f"{text.count(chr(10), 0, m.start) + 1}:{m.start - text.rfind(chr(10), 0, m.start)}"
            for m in matches
        )
        return [
            repr(short),
            f" occurs {len(matches)} times in source {source!r} (at line:column {lines})",
            "quote more of the sentence so that it occurs once",
        ]
    return None


def empty_dataset_error(ds: Dataset) -> DataError | None:
    """The error for a data directory without a source document (the caller decides whether to allow it).

    Examples
    --------
    >>> from zhanaozen_graph.records.load import load_dataset
    >>> empty_dataset_error(load_dataset()) is None
    True
    """
    if ds.sources:
        return None
    return DataError(
        "no source documents in sources/: the graph would be empty",
        path=ds.root / "sources",
        hint="add a source (NAME.yaml and NAME.txt), or pass --allow-empty",
    )
