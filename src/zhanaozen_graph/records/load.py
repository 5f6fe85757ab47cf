"""Read source documents and record files into memory, keeping the line of every value (parsing only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError
from .files import read_source_text, read_yaml_text, source_file
from .model import get_model

__all__ = ["Dataset", "Record", "Source", "default_data_dir", "load_dataset"]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class LineDict(dict[str, Any]):
    """A mapping from a YAML file that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The 1-based line of ``key``, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that builds :class:`LineDict` mappings."""


# libyaml's parser (when PyYAML was built with it) reads records about ten times faster than the
# pure-Python one; the constructor, and so the result, is the same. Its error messages are worded
# differently, so a file it rejects is parsed again by the pure-Python loader for the message.
_FastLoader: Any = _Loader
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):
        """The libyaml-based safe loader that builds :class:`LineDict` mappings."""

    _FastLoader = _CLoader


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


for _loader in dict.fromkeys((_Loader, _FastLoader)):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning a syntax error into a :class:`DataError` with its line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = p.write_text("a: [1, 2\\n")
    >>> try:
    ...     read_yaml(p)
    ... except DataError as e:
    ...     print(e.line, e.message)
    2 YAML syntax error: expected ',' or ']', but got '<stream end>'
    """
    text = read_yaml_text(path)  # regular file, size, UTF-8, duplicate keys, aliases, depth
    try:
        return yaml.load(text, Loader=_FastLoader)
    except yaml.YAMLError:
        pass  # parsed again below, for the pure-Python loader's wording of the error
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise DataError(
            f"YAML syntax error: {exc.problem}",
            path=path,
            line=line,
            hint=None,
        ) from exc


@dataclass
class Source:
    """A source document: its metadata and its text."""

    id: str
    path: Path
    meta: LineDict
    text: str

    @property
    def title(self) -> str:
        """The document's title."""
        return str(self.meta.get("title", self.id))


@dataclass
class Record:
    """One curated record (a person, an event, a claim...) as read from its file."""

    kind: str
    id: str
    data: LineDict
    path: Path
    default_source: str | None

    @property
    def line(self) -> int:
        """The line where the record starts."""
        return self.data.line

    def line_of(self, key: str) -> int:
        """The line of one of the record's fields."""
        return self.data.line_of(key)

    @property
    def label(self) -> str:
        """The record's display label."""
        return str(self.data.get("label") or self.id)


@dataclass
class Dataset:
    """All sources and records of a data directory."""

    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Record]:
        """The records of one kind, in file order."""
        return [r for r in self.records.values() if r.kind == kind]


def default_data_dir() -> Path:
    """The data directory: ``$ZHANAOZEN_DATA``, else ``./data`` if present, else the checkout's ``data/``."""
    import os

    env = os.environ.get("ZHANAOZEN_DATA")
    if env:
        return Path(env)
    here = Path.cwd() / "data"
    if (here / "sources").is_dir():
        return here
    return Path(__file__).resolve().parents[3] / "data"


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """Read every source and record file under ``data_dir`` (parsing only; no rules checked).

    Parameters
    ----------
    data_dir
        The directory holding ``sources/`` and ``records/``; defaults to :func:`default_data_dir`.

    Returns
    -------
    Dataset
        Sources by id and records by id, each remembering its file and line.

    Raises
    ------
    DataError
        On a YAML syntax error, a duplicate id, a malformed id, or an unknown section.

    Examples
    --------
    >>> ds = load_dataset()
    >>> ds.records["bolat-atabaev"].kind
    'Person'
    >>> list(ds.sources)
    ['amnesty-ua-2012-07-atabaev-released']
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not (root / "sources").is_dir():
        raise DataError(
            "no sources/ directory", path=root, hint="point --data at a directory with sources/ and records/"
        )
    model = get_model()
    ds = Dataset(root=root)
    for meta_path in sorted((root / "sources").glob("*.yaml")):
        meta = read_yaml(meta_path)
        if not isinstance(meta, LineDict):
            raise DataError("a source metadata file must be a mapping", path=meta_path, line=1)
        slug = meta_path.stem
        if meta.get("id", slug) != slug:
            raise DataError(
                f"id {meta.get('id')!r} differs from the file name {slug!r}",
                path=meta_path,
                line=meta.line_of("id"),
                hint="make the id equal to the file stem",
            )
        text_path = source_file(meta_path, meta.get("file", f"{slug}.txt"), meta.line_of("file"))
        if not text_path.exists():
            raise DataError(
                f"cannot read the document {text_path.name}: No such file or directory",
                path=meta_path,
                line=meta.line_of("file"),
                hint="put the document's text next to its metadata",
            )
        text = read_source_text(text_path)  # bytes decoded strictly, no newline translation
        ds.sources[slug] = Source(id=slug, path=meta_path, meta=meta, text=text)
        ds.files.extend([meta_path, text_path])
    seen: dict[str, Record] = {}
    for path in sorted((root / "records").rglob("*.yaml")):
        ds.files.append(path)
        doc = read_yaml(path)
        if doc is None:
            continue
        if not isinstance(doc, LineDict):
            raise DataError("a record file must be a mapping of sections", path=path, line=1)
        default_source = doc.get("source")
        for section, items in doc.items():
            if section == "source":
                continue
            if section not in model.sections:
                raise DataError(
                    f"unknown section {section!r}",
                    path=path,
                    line=doc.line_of(section),
                    hint=f"use one of: {', '.join(sorted(model.sections))}",
                )
            if not isinstance(items, list):
                raise DataError(
                    f"section {section!r} must be a list of records", path=path, line=doc.line_of(section)
                )
            for item in items:
                if not isinstance(item, LineDict):
                    raise DataError(
                        f"each entry of {section!r} must be a mapping",
                        path=path,
                        line=doc.line_of(section),
                    )
                rid = item.get("id")
                if not isinstance(rid, str) or not SLUG.match(rid):
                    raise DataError(
                        f"missing or malformed id {rid!r}"
                        if rid is not None
                        else "missing required field 'id'",
                        path=path,
                        line=item.line_of("id"),
                        hint="give every record an id of lowercase letters, digits and hyphens",
                    )
                if rid in seen:
                    first = seen[rid]
                    raise DataError(
                        f"duplicate id {rid!r} (first defined in {first.path.name}:{first.line})",
                        path=path,
                        line=item.line_of("id"),
                        hint="give each record a unique id",
                    )
                record = Record(
                    kind=model.sections[section],
                    id=rid,
                    data=item,
                    path=path,
                    default_source=str(default_source) if default_source else None,
                )
                seen[rid] = record
    ds.records = seen
    return ds
