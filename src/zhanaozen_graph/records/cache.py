"""A cache of parsed and checked record files, in a directory the caller chooses, that never runs its contents.

Each entry is one JSON file named by a digest of what it was computed from (the record file's bytes, the
code and model of this package, and for checks the kind of folder the file is in); the first line of
the file is the SHA-256 of the rest. Reading an entry checks that digest, the key written inside and the
shape of every value; anything else (a truncated write, a flipped byte, a planted or hand-edited file, a
FIFO or a huge file put in its place) is a miss, and the file is parsed and checked again.

The threat: the cache lives in a build directory that others may write to. Unpickling such bytes would run
whatever code they hold, so the format is JSON, decoded into strings, numbers, lists, dates and
:class:`~zhanaozen_graph.records.load.LineDict` only. Someone who can write the cache can also write the
build's outputs beside it: an entry rewritten with a matching digest is trusted as much as those outputs
(it can make the graph say something else, never run code). Entries are written to a temporary file and
renamed into place, so a reader never sees half an entry.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DataError
from .files import LineDict, read_bytes

__all__ = ["MAX_ENTRY_BYTES", "RecordsCache", "Uncacheable", "code_version", "gc_paused"]

# An entry is about the size of its YAML file; far above any record file's (MAX_YAML_BYTES is 16 MB).
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_META = "\x00"  # the first key of an encoded LineDict: [line, [line of each key]]
_DATE = "\x00d"  # an encoded datetime.date: {"\x00d": "YYYY-MM-DD"}


class Uncacheable(Exception):
    """A value the cache's JSON encoding does not keep exactly (such a file is simply parsed every time)."""


@cache
def code_version() -> str:
    """A digest of what a cached result depends on besides the file itself.

    That is this package's records code, its model files, PyYAML's version and Python's.

    Examples
    --------
    >>> len(code_version())
    64
    """
    h = hashlib.sha256(f"{sys.version_info[:2]} {_yaml_version()}".encode())
    package = resources.files("zhanaozen_graph")
    for folder, suffix in (("records", ".py"), ("model", ".yaml")):
        for item in sorted(package.joinpath(folder).iterdir(), key=lambda p: p.name):
            if item.name.endswith(suffix):
                h.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return h.hexdigest()


def _yaml_version() -> str:
    import yaml

    return f"{yaml.__version__} libyaml={getattr(yaml, '__with_libyaml__', False)}"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many long-lived, acyclic objects are made.

    Reading a corpus makes hundreds of thousands of strings, lists and mappings that all stay alive:
    each collection the allocations trigger walks them all again for nothing (at 192 documents, a third
    of the time of reading). Reference counting still frees everything at once; collection resumes after.
    The objects made meanwhile then join the oldest generation, where full collections still reach them.

    Examples
    --------
    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                # Move everything made meanwhile into the oldest generation (freeze, then unfreeze: "put
                # them back into the oldest generation"): else the first collection after this walks all
                # of it at once (0.2-0.3 s at 192 documents). They are still collected as usual.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def encode(value: Any) -> Any:
    """A JSON-ready form of a parsed YAML value that the cache decodes back into an equal one.

    Raises
    ------
    Uncacheable
        For a value outside strings, numbers, booleans, null, dates, lists and LineDicts with text keys.

    Examples
    --------
    >>> from zhanaozen_graph.records.load import parse_yaml_text
    >>> doc = parse_yaml_text("a: [1, 2012-07-03]\\nb: {c: -1.5}\\n", Path("x.yaml"))
    >>> encode(doc)
    {'\\x00': [1, [1, 2]], 'a': [1, {'\\x00d': '2012-07-03'}], 'b': {'\\x00': [2, [2]], 'c': -1.5}}
    >>> back = loads(json.dumps(encode(doc)))
    >>> back == doc, back["b"].line, back.key_lines
    (True, 2, {'a': 1, 'b': 2})
    """
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is list:
        return [encode(v) for v in value]
    if kind is LineDict:
        lines: list[int] = []
        out: dict[str, Any] = {_META: [value.line, lines]}
        for k, v in value.items():
            if type(k) is not str or k.startswith(_META) or type(value.key_lines.get(k)) is not int:
                raise Uncacheable(f"key {k!r}")
            lines.append(value.key_lines[k])
            out[k] = encode(v)
        if len(value.key_lines) != len(value):
            raise Uncacheable("line numbers of keys")
        return out
    if kind is dt.date:
        return {_DATE: value.isoformat()}
    raise Uncacheable(kind.__name__)


def _object_hook(obj: dict[str, Any]) -> Any:
    """Every JSON object of an entry is an encoded LineDict or date; anything else is a damaged entry."""
    meta = obj.pop(_META, None)
    if meta is None:
        day = obj.get(_DATE)
        if len(obj) != 1 or type(day) is not str:
            raise ValueError("not an encoded mapping or date")
        return dt.date.fromisoformat(day)
    line, lines = meta  # a ValueError or TypeError when it is not a pair
    result = LineDict(obj)
    result.line = line
    result.key_lines = dict(zip(obj, lines, strict=False))  # lengths compared below
    # sum() refuses anything but numbers, in C; a number that is not a whole one only misprints a line.
    if len(lines) != len(obj) or type(line) is not int or type(sum(lines)) is not int:
        raise ValueError("bad line numbers")
    return result


def loads(body: bytes | str) -> Any:
    """Decode an entry's JSON: scalars, lists, and objects that are encoded LineDicts or dates only.

    Raises
    ------
    ValueError
        For any other object (or malformed JSON).
    """
    return json.loads(body, object_hook=_object_hook)


class RecordsCache:
    """Entries of parsed and checked record files under ``directory/records-<version>/``.

    Parameters
    ----------
    directory
        Any directory (created when first written to); several builds may share it.

    Examples
    --------
    >>> import tempfile
    >>> c = RecordsCache(tempfile.mkdtemp())
    >>> c.put("parse", "abc", [1, "x"])
    >>> c.get("parse", "abc")
    [1, 'x']
    >>> path = c.path("parse", "abc")
    >>> _ = path.write_bytes(path.read_bytes().replace(b'"x"', b'"y"'))  # tampered: its digest no longer matches
    >>> c.get("parse", "abc") is None
    True
    """

    def __init__(self, directory: Path | str) -> None:
        self.root = Path(directory) / f"records-{code_version()[:16]}"
        self.hits = 0
        self.misses = 0
        self._mode = 0o666 & ~_umask()
        self._pruned = False

    def prune(self) -> list[Path]:
        """Remove the entries of other code or model versions (never read again); returns what was removed.

        Called before the first write of a cache object, so that a directory used across upgrades does
        not grow without end. Only ``records-*`` folders beside this version's are touched.
        """
        removed: list[Path] = []
        try:
            siblings = list(self.root.parent.glob("records-*"))
        except OSError:
            return removed
        for other in siblings:
            if other != self.root and other.is_dir() and not other.is_symlink():
                shutil.rmtree(other, ignore_errors=True)
                removed.append(other)
        return removed

    def key(self, kind: str, *parts: str) -> str:
        """The entry name for ``kind`` computed from ``parts`` (digests, flags)."""
        return hashlib.sha256("\0".join((code_version(), kind, *parts)).encode()).hexdigest()

    def path(self, kind: str, key: str) -> Path:
        """Where the entry lives."""
        return self.root / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> Any | None:
        """The payload stored under ``key``, or None when it is absent, damaged or not what it claims."""
        path = self.path(kind, key)
        try:
            data = read_bytes(path, MAX_ENTRY_BYTES)  # a regular file (not a FIFO, not a device), bounded
        except DataError:
            self.misses += 1
            return None
        try:
            head, _, body = data.partition(b"\n")
            if head.decode("ascii") != hashlib.sha256(body).hexdigest():
                raise ValueError("digest")
            entry = loads(body)
            if type(entry) is not list or len(entry) != 3 or entry[0] != kind or entry[1] != key:
                raise ValueError("not this entry")
        except (ValueError, RecursionError, UnicodeDecodeError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return entry[2]

    def put(self, kind: str, key: str, payload: Any) -> None:
        """Store ``payload`` (JSON-ready) under ``key``, atomically; a failure to write is not an error."""
        path = self.path(kind, key)
        if not self._pruned:
            self._pruned = True
            self.prune()
        try:
            body = json.dumps([kind, key, payload], separators=(",", ":"), ensure_ascii=True).encode("ascii")
        except (TypeError, ValueError):  # not representable: left uncached
            return
        data = hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.chmod(tmp, self._mode)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return  # a read-only or full disk: the next run parses the file again


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
