"""Read source documents and record files into memory, keeping the line of every value (parsing only)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError
from .files import read_source_text, read_yaml_text, source_file
from .model import get_model

__all__ = ["Dataset", "Record", "Source", "default_data_dir", "load_dataset", "load_source_texts"]

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
    """A source document: its metadata, its text and the SHA-256 of the text file's bytes."""

    id: str
    path: Path
    meta: LineDict
    text: str
    sha256: str = ""

    @property
    def title(self) -> str:
        """The document's title."""
        return str(self.meta.get("title", self.id))


@dataclass
class Record:
    """A block of a record file: a record's declaration, a source's statements about it, or both.

    A register entry (``data/register/``) declares a record: its id, kind and identity fields.
    A block that starts with ``about: ID`` in a source's record file holds what that source says
    about the record. A block with ``id:`` in a source's record file does both.
    """

    kind: str
    id: str
    data: LineDict
    path: Path
    default_source: str | None
    declares: bool = True
    blocks: list[Record] = field(default_factory=list, repr=False)

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

    @property
    def source(self) -> str | None:
        """The source whose statements this block holds (None for a register entry)."""
        return self.default_source

    @property
    def key(self) -> str:
        """``ID@SOURCE`` for a block of statements, ``ID`` for a register entry."""
        return f"{self.id}@{self.default_source}" if self.default_source else self.id


@dataclass
class Dataset:
    """All sources and records of a data directory.

    ``records`` maps each id to the block that declares it; ``blocks`` lists every block of
    statements (one per record and source), in file order; ``aliases`` maps each exact alias
    the documents use to the ids that carry it.
    """

    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    blocks: list[Record] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Record]:
        """The records of one kind, in file order."""
        return [r for r in self.records.values() if r.kind == kind]

    def resolve(self, name: object) -> str | None:
        """The id a reference names: an id, or an alias that exactly one record carries.

        Examples
        --------
        >>> ds = load_dataset()
        >>> ds.resolve("knb"), ds.resolve("KNB"), ds.resolve("nobody")
        ('knb', 'knb', None)
        """
        if not isinstance(name, str):
            return None
        if name in self.records:
            return name
        ids = self.aliases.get(name, [])
        return ids[0] if len(ids) == 1 else None

    def suggest(self, name: str) -> str:
        """A hint naming the ids and aliases closest to ``name``."""
        import difflib

        ids = difflib.get_close_matches(name, list(self.records), n=3)
        aliases = [
            f"{a} ({', '.join(self.aliases[a])})"
            for a in difflib.get_close_matches(name, list(self.aliases), n=3, cutoff=0.5)
        ]
        parts = []
        if ids:
            parts.append(f"did you mean {', '.join(ids)}?")
        if aliases:
            parts.append(f"aliases: {'; '.join(aliases)}")
        return " ".join(parts) or "declare it in data/register/ or use an existing id or alias"


NO_DATA_HINT = (
    "give --data DIR or set ZHANAOZEN_DATA, or run `zhanaozen-graph demo DIR` for a project with the example"
)


def default_data_dir() -> Path:
    """The data directory: ``$ZHANAOZEN_DATA``, else ``./data`` when it holds ``sources/``.

    There is no other fallback: an installed package never looks inside itself or a checkout.

    Raises
    ------
    DataError
        When ``ZHANAOZEN_DATA`` is unset and the working directory has no ``data/sources/``.

    Examples
    --------
    >>> import os, tempfile
    >>> here = os.getcwd()
    >>> os.chdir(tempfile.mkdtemp())
    >>> try:
    ...     default_data_dir()
    ... except DataError as e:
    ...     print(e)
    ... finally:
    ...     os.chdir(here)
    no data directory: ZHANAOZEN_DATA is unset and there is no ./data/sources/; give --data DIR or set ZHANAOZEN_DATA, or run `zhanaozen-graph demo DIR` for a project with the example
    """
    import os

    env = os.environ.get("ZHANAOZEN_DATA")
    if env:
        return Path(env)
    here = Path("data")
    if (here / "sources").is_dir():
        return here.resolve()
    raise DataError(
        "no data directory: ZHANAOZEN_DATA is unset and there is no ./data/sources/", hint=NO_DATA_HINT
    )


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
    for source, text_path in _read_sources(root):
        ds.sources[source.id] = source
        ds.files.extend([source.path, text_path])
    for path in sorted((root / "register").rglob("*.yaml")) if (root / "register").is_dir() else []:
        _read_record_file(ds, path, model, register=True)
    for path in sorted((root / "records").rglob("*.yaml")):
        _read_record_file(ds, path, model, register=False)
    _attach_blocks(ds, model)
    return ds


def _read_sources(root: Path) -> Iterator[tuple[Source, Path]]:
    """Each source under ``root/sources`` (metadata and text) with the path of its text."""
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
        # The text is the file's bytes decoded strictly (no BOM, no newline translation): encoding it
        # again gives those bytes, so this is the digest of the file as stored.
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        yield Source(id=slug, path=meta_path, meta=meta, text=text, sha256=digest), text_path


def load_source_texts(data_dir: Path | str) -> dict[str, str]:
    """The text of each source document under ``data_dir``, by id, without reading the records.

    Raises
    ------
    DataError
        As :func:`load_dataset` does for the sources (no ``sources/``, a missing text, a bad id).

    Examples
    --------
    >>> texts = load_source_texts(default_data_dir())
    >>> list(texts), "Atabaev" in texts["amnesty-ua-2012-07-atabaev-released"]
    (['amnesty-ua-2012-07-atabaev-released'], True)
    """
    root = Path(data_dir)
    if not (root / "sources").is_dir():
        raise DataError(
            "no sources/ directory", path=root, hint="point --data at a directory with sources/ and records/"
        )
    return {source.id: source.text for source, _ in _read_sources(root)}


def _read_record_file(ds: Dataset, path: Path, model: Any, *, register: bool) -> None:
    ds.files.append(path)
    doc = read_yaml(path)
    if doc is None:
        return
    if not isinstance(doc, LineDict):
        raise DataError("a record file must be a mapping of sections", path=path, line=1)
    default_source = doc.get("source")
    if register and default_source is not None:
        raise DataError(
            "the register belongs to no source",
            path=path,
            line=doc.line_of("source"),
            hint="declare records here without 'source:'; put what a source says in data/records/<source>/",
        )
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
        kind = model.sections[section]
        if register and not model.kinds[kind].register:
            raise DataError(
                f"{section} are not declared in the register",
                path=path,
                line=doc.line_of(section),
                hint=f"declare {section} with 'id:' in the record file of the source that reports them",
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
            about = item.get("about") if not register and model.kinds[kind].register else None
            if about is not None and "id" in item:
                raise DataError(
                    "a block has either 'id:' (declares a record) or 'about:' (adds to one), not both",
                    path=path,
                    line=item.line_of("about"),
                    hint="drop 'id:' to add statements to the record named by 'about:'",
                )
            rid = about if about is not None else item.get("id")
            key = "about" if about is not None else "id"
            if not isinstance(rid, str) or (about is None and not SLUG.match(rid)):
                raise DataError(
                    f"missing or malformed id {rid!r}" if rid is not None else "missing required field 'id'",
                    path=path,
                    line=item.line_of(key),
                    hint="give every record an id of lowercase letters, digits and hyphens",
                )
            record = Record(
                kind=kind,
                id=rid,
                data=item,
                path=path,
                default_source=None if register else (str(default_source) if default_source else None),
                declares=about is None,
            )
            if about is not None:
                ds.blocks.append(record)
                continue
            if rid in ds.records:
                first = ds.records[rid]
                raise DataError(
                    f"duplicate id {rid!r} (first defined in {first.path.name}:{first.line})",
                    path=path,
                    line=item.line_of("id"),
                    hint="give each record a unique id, or add to it with 'about: " + rid + "'",
                )
            ds.records[rid] = record
            if not register:
                ds.blocks.append(record)


def _attach_blocks(ds: Dataset, model: Any) -> None:
    """Index aliases, resolve each ``about:`` to its record, and attach every block to it."""
    for block in [*ds.records.values(), *ds.blocks]:
        for prop in ("aliases", "aliases_external"):
            values = block.data.get(prop)
            for alias in values if isinstance(values, list) else []:
                if isinstance(alias, str):
                    ids = ds.aliases.setdefault(alias, [])
                    if block.id not in ids and block.declares:
                        ids.append(block.id)
    # Aliases given in an about-block belong to the record it names (resolved by id only, so that
    # an alias never defines itself).
    for block in ds.blocks:
        if not block.declares and block.id in ds.records:
            for alias in block.data.get("aliases") or []:
                if isinstance(alias, str) and block.id not in ds.aliases.setdefault(alias, []):
                    ds.aliases[alias].append(block.id)
    seen: dict[tuple[str, str | None], Record] = {}
    for block in ds.blocks:
        if not block.declares:
            target = ds.resolve(block.id)
            if target is None:
                ambiguous = ds.aliases.get(block.id, [])
                raise DataError(
                    f"'about: {block.id}' names "
                    + (f"an alias of several records ({', '.join(ambiguous)})" if ambiguous else "no record"),
                    path=block.path,
                    line=block.line_of("about"),
                    hint="name an id" if ambiguous else ds.suggest(block.id),
                )
            declared = ds.records[target]
            if declared.kind != block.kind:
                raise DataError(
                    f"'about: {block.id}' names a {declared.kind}, but this block is in the "
                    f"{model.kinds[block.kind].section} section",
                    path=block.path,
                    line=block.line_of("about"),
                    hint=f"move the block to the {model.kinds[declared.kind].section} section",
                )
            block.id = target
        previous = seen.get((block.id, block.source))
        if previous is not None:
            if block.declares:  # name the block that adds to the record, not the one that declares it
                block, previous = previous, block
            raise DataError(
                f"a second block about {block.id!r} from source {block.source!r} "
                f"(the first is in {previous.path.name}:{previous.line})",
                path=block.path,
                line=block.line,
                hint="put everything one source says about a record in one block",
            )
        seen[(block.id, block.source)] = block
        ds.records[block.id].blocks.append(block)
