"""Read source documents and record files into memory, keeping the line of every value (parsing only)."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError
from .cache import RecordsCache, Uncacheable, encode, gc_paused
from .files import (
    BOM,
    MAX_DEPTH,
    MAX_YAML_BYTES,
    LineDict,
    check_yaml,
    decode_text,
    read_bytes,
    read_source_text,
    source_file,
)
from .model import get_model

__all__ = [
    "Dataset",
    "LineDict",
    "Record",
    "Source",
    "default_data_dir",
    "load_dataset",
    "load_source_texts",
    "parse_yaml_text",
]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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


# The fast path: one pass over libyaml's event stream that checks (as check_yaml does) and builds the
# document (as yaml.load with the loaders above does). Anything unusual (an error, a tag, an anchor,
# a duplicate or complex key, a merge key, deep nesting, two documents) makes it give up, and the file
# is read by the checked two-pass path below, which words every error. So a file it accepts gives the
# same document, and a file it refuses the same error, as the two-pass path.
_SLOW: Any = object()
_NO_KEY: Any = object()
_STR = "tag:yaml.org,2002:str"
_RESOLVERS: dict[str | None, list[tuple[str, Any]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_SCALARS: dict[str, Any] = {
    tag: yaml.SafeLoader.yaml_constructors[tag]
    for tag in (
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    )
}
_EventParser: Any = getattr(yaml, "CSafeLoader", None)  # its parser half: libyaml events


def _resolve_plain(value: str) -> str:
    """The tag of a plain scalar, as PyYAML's resolver gives it (no path resolvers are registered)."""
    for tag, regexp in _RESOLVERS.get(value[0] if value else "", ()):
        if regexp.match(value):
            return str(tag)
    return _STR


def _fast_load(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """The document of ``text`` in one pass over libyaml's events, or ``_SLOW`` to use the checked path.

    Examples
    --------
    >>> doc = _fast_load("a: 1\\nb: [x, 2012-07-03, 'yes', no]\\n")
    >>> doc, doc.key_lines
    ({'a': 1, 'b': ['x', datetime.date(2012, 7, 3), 'yes', False]}, {'a': 1, 'b': 2})
    >>> _fast_load("a: &x 1\\nb: *x\\n") is _SLOW, _fast_load("a: 1\\na: 2\\n") is _SLOW
    (True, True)
    """
    if _EventParser is None:
        return _SLOW
    scalar_loader = _Loader("")
    # One frame per open collection: [container, is_mapping, pending key, raw keys seen].
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    parser = _EventParser(text)
    try:
        while True:
            event = parser.get_event()
            cls = event.__class__
            if cls is yaml.ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    return _SLOW
                value: Any = event.value
                if event.implicit[0]:
                    tag = _resolve_plain(value)
                    if tag != _STR:
                        construct = _SCALARS.get(tag)
                        if construct is None:
                            return _SLOW  # a merge key "<<" or a value key "="
                        value = construct(
                            scalar_loader,
                            yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style),
                        )
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                if event.anchor is not None or event.tag is not None or len(stack) >= max_depth:
                    return _SLOW
                if stack and stack[-1][1] and stack[-1][2] is _NO_KEY:
                    return _SLOW  # a list or mapping as a key
                if cls is yaml.MappingStartEvent:
                    mapping = LineDict()
                    mapping.line = event.start_mark.line + 1
                    mapping.key_lines = {}
                    stack.append([mapping, True, _NO_KEY, set()])
                else:
                    stack.append([[], False, _NO_KEY, None])
                continue
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                value = stack.pop()[0]
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return _SLOW
                continue
            elif cls is yaml.StreamEndEvent:
                return root
            elif cls is yaml.AliasEvent:
                return _SLOW
            else:  # stream start, document end
                continue
            if not stack:
                root = value
                continue
            frame = stack[-1]
            if not frame[1]:
                frame[0].append(value)
            elif frame[2] is _NO_KEY:  # a key (a scalar: collections were refused above)
                raw = event.value
                if raw in frame[3]:
                    return _SLOW
                frame[3].add(raw)
                frame[2] = value
                frame[0].key_lines[str(value)] = event.start_mark.line + 1
            else:
                frame[0][frame[2]] = value
                frame[2] = _NO_KEY
    except Exception:  # any failure: the checked path reads the file and words the error
        return _SLOW


def parse_yaml_text(text: str, path: Path) -> Any:
    """Parse the text of a YAML file (decoded, BOM dropped) with the checks of :func:`check_yaml`.

    Examples
    --------
    >>> from pathlib import Path
    >>> parse_yaml_text("a: {b: [1, 2]}\\n", Path("x.yaml"))["a"].line
    1
    >>> try:
    ...     parse_yaml_text("a: 1\\nb: 2\\na: 3\\n", Path("x.yaml"))
    ... except DataError as e:
    ...     print(e)
    x.yaml:3: duplicate key 'a' (first at line 1); merge the two into one (a second one would replace the first)
    """
    doc = _fast_load(text)
    if doc is not _SLOW:
        return doc
    check_yaml(text, path)  # duplicate keys, aliases, depth, syntax: each worded with its line
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
    return _read_doc(path, None, None)


def _read_doc(path: Path, cache: RecordsCache | None, ds: Dataset | None) -> Any:
    """A YAML file's document: from ``cache`` when it holds the parse of these very bytes, else parsed."""
    data = read_bytes(path, MAX_YAML_BYTES)  # a regular file, bounded
    digest = hashlib.sha256(data).hexdigest()
    if ds is not None:
        ds.digests[path] = digest
    key = ""
    if cache is not None:
        key = cache.key("parse", digest)
        hit = cache.get("parse", key)
        if type(hit) is list and len(hit) == 1:
            return hit[0]
    text = decode_text(data, path).removeprefix(BOM)  # strict UTF-8, no NUL
    doc = parse_yaml_text(text, path)  # duplicate keys, aliases, depth, syntax
    if ds is not None:
        ds.parsed.append(path)
    if cache is not None:
        # A value JSON would not keep exactly (a set, bytes...) leaves the file uncached: parsed every time.
        with contextlib.suppress(Uncacheable):
            cache.put("parse", key, [encode(doc)])
    return doc


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
    index: int = field(default=0, compare=False, repr=False)  # its place among the blocks of its file

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
    the documents use to the ids that carry it. ``digests`` holds the SHA-256 of each YAML file
    read; ``parsed`` the YAML files parsed this time (the others came from ``cache_dir``).
    """

    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    blocks: list[Record] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    digests: dict[Path, str] = field(default_factory=dict, repr=False)
    parsed: list[Path] = field(default_factory=list, repr=False)
    cache_dir: Path | None = None

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


def load_dataset(data_dir: Path | str | None = None, *, cache_dir: Path | str | None = None) -> Dataset:
    """Read every source and record file under ``data_dir`` (parsing only; no rules checked).

    Parameters
    ----------
    data_dir
        The directory holding ``sources/`` and ``records/``; defaults to :func:`default_data_dir`.
    cache_dir
        A directory for a cache of parsed YAML files, keyed by the SHA-256 of each file's bytes and
        by this package's code and model (see :mod:`~zhanaozen_graph.records.cache`): a file read
        before is not parsed again. The dataset is the same with or without it; a file with an error
        is never cached, so its error is reported every time. :func:`~zhanaozen_graph.records.validate.check_dataset`
        uses the same directory for its per-file checks.

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

    With a cache, a second reading parses nothing:

    >>> import tempfile
    >>> cache = tempfile.mkdtemp()
    >>> len(load_dataset(cache_dir=cache).parsed) > 0, load_dataset(cache_dir=cache).parsed
    (True, [])
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not (root / "sources").is_dir():
        raise DataError(
            "no sources/ directory", path=root, hint="point --data at a directory with sources/ and records/"
        )
    model = get_model()
    ds = Dataset(root=root, cache_dir=Path(cache_dir) if cache_dir is not None else None)
    cache = RecordsCache(cache_dir) if cache_dir is not None else None
    with gc_paused():  # hundreds of thousands of objects that all stay alive
        for source, text_path in _read_sources(root, cache, ds):
            ds.sources[source.id] = source
            ds.files.extend([source.path, text_path])
        for path in sorted((root / "register").rglob("*.yaml")) if (root / "register").is_dir() else []:
            _read_record_file(ds, path, model, register=True, cache=cache)
        for path in sorted((root / "records").rglob("*.yaml")):
            _read_record_file(ds, path, model, register=False, cache=cache)
        _attach_blocks(ds, model)
    return ds


def _read_sources(
    root: Path, cache: RecordsCache | None = None, ds: Dataset | None = None
) -> Iterator[tuple[Source, Path]]:
    """Each source under ``root/sources`` (metadata and text) with the path of its text."""
    for meta_path in sorted((root / "sources").glob("*.yaml")):
        meta = _read_doc(meta_path, cache, ds)
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


def _read_record_file(
    ds: Dataset, path: Path, model: Any, *, register: bool, cache: RecordsCache | None = None
) -> None:
    ds.files.append(path)
    doc = _read_doc(path, cache, ds)
    index = 0
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
                index=index,
            )
            index += 1
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
