"""The build cache: each run's serialisations kept in the build directory, addressed by the digest of its quads.

A build writes every run of quads (a source's graph, a part of the register...: see
:func:`~.rdf.iter_graph_chunks`) as N-Quads first; the SHA-256 of those bytes is the run's key. What the
build makes of a run for the other formats (TriG, Turtle, JSON-LD) depends only on the run, the model's
prefixes and the code, so it is kept under ``cache/<kind>/<key>`` and the next build reuses it when it
makes a run with the same key. A key is computed from the quads the build has just made, never read from
the cache, so a changed source can never pick up a stale entry.

Threats (the build directory may be shared, or damaged by a full disk or a killed copy): an entry whose
bytes are not those the index recorded (truncated, corrupted, replaced) is refused and made again, with a
warning on stderr; an index that is not the expected JSON is ignored as a whole; a name in it that is not
``<kind>/<64 hex digits>`` is ignored; a symbolic link or anything but a regular file is refused (opened
with ``O_NOFOLLOW``). Nothing read from the cache is unpickled or evaluated: the entries are bytes copied
into the output files. What this cannot detect is someone who can write the build directory and rewrites
an entry *and* its recorded digest consistently; such a person can rewrite ``graph.nq`` itself as well.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from pathlib import Path
from typing import Any

__all__ = ["CACHE", "BuildCache"]

log = logging.getLogger(__name__)

#: The cache's folder inside the build directory; it is swapped in with each generation.
CACHE = "cache"
INDEX = "index.json"
#: Bumped when the layout of the cache changes; an index of another version is ignored.
VERSION = 1
KINDS = ("trig", "ttl", "jsonld")
_NAME = re.compile(r"(trig|ttl|jsonld)/([0-9a-f]{64})\Z")
# An entry is at most this big (the register's largest run at 10^7 is far below it): a hostile index
# cannot make the build read an arbitrarily large file.
_MAX_ENTRY = 1 << 31


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BuildCache:
    """The entries of the previous generation (read, verified) and those of the build being written.

    Parameters
    ----------
    old
        The ``cache/`` folder of the previous generation, or None for a build without one.
    new
        The ``cache/`` folder of the build being written (created).
    code
        The digest of the code and model that make the entries; an old index made by other code is ignored.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> first = BuildCache(None, root / "a", "v1")
    >>> key = "0" * 64
    >>> first.get("ttl", key) is None
    True
    >>> first.put("ttl", key, b"<a> <b> <c> .")
    >>> first.save({"graphs": {}})
    >>> second = BuildCache(root / "a", root / "b", "v1")
    >>> second.get("ttl", key), second.hits
    (b'<a> <b> <c> .', 1)
    >>> (root / "a" / "ttl" / key).write_bytes(b"<a> <b> <x> .")  # damaged: same size, other bytes
    13
    >>> BuildCache(root / "a", root / "c", "v1").get("ttl", key) is None
    True
    >>> BuildCache(root / "a", root / "d", "v2").get("ttl", key) is None  # other code
    True
    """

    def __init__(self, old: Path | None, new: Path, code: str) -> None:
        self.old = old
        self.new = new
        self.code = code
        self.hits = 0
        self.refused: list[str] = []
        self.entries: dict[str, tuple[int, str]] = {}
        self.extra: dict[str, Any] = {}
        self._old_entries: dict[str, tuple[int, str]] = {}
        if old is not None:
            self._read_index(old)
        for kind in KINDS:
            (new / kind).mkdir(parents=True, exist_ok=True)

    def _read_index(self, old: Path) -> None:
        path = old / INDEX
        try:
            raw = json.loads(_read_regular(path, 1 << 30).decode("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning(
                "ignoring the build cache %s: its index cannot be read (%s); making every entry again",
                old,
                exc,
            )
            return
        if (
            not isinstance(raw, dict)
            or raw.get("version") != VERSION
            or not isinstance(raw.get("entries"), dict)
        ):
            log.warning("ignoring the build cache %s: its index is not one this version wrote", old)
            return
        if raw.get("code") != self.code:
            log.info("ignoring the build cache %s: the code or the model changed", old)
            return
        for name, meta in raw["entries"].items():
            if (
                isinstance(name, str)
                and _NAME.match(name)
                and isinstance(meta, list)
                and len(meta) == 2
                and isinstance(meta[0], int)
                and 0 <= meta[0] <= _MAX_ENTRY
                and isinstance(meta[1], str)
                and re.fullmatch(r"[0-9a-f]{64}", meta[1])
            ):
                self._old_entries[name] = (meta[0], meta[1])
        self.extra = {k: v for k, v in raw.items() if k not in ("version", "code", "entries")}

    def get(self, kind: str, key: str) -> bytes | None:
        """The entry ``kind/key`` of the previous generation if it is intact (then kept for the next), else None."""
        name = f"{kind}/{key}"
        if name in self.entries:  # already taken by this build (two runs with the same quads)
            return _read_regular(self.new / name, self.entries[name][0])
        meta = self._old_entries.get(name)
        if meta is None or self.old is None:
            return None
        try:
            data = _read_regular(self.old / name, meta[0])
        except OSError as exc:
            self._refuse(name, f"cannot be read ({exc.strerror or exc})")
            return None
        if len(data) != meta[0] or _digest(data) != meta[1]:
            self._refuse(name, "its bytes are not those the cache recorded")
            return None
        try:
            os.link(self.old / name, self.new / name)
        except OSError:
            (self.new / name).write_bytes(data)
        self.entries[name] = meta
        self.hits += 1
        return data

    def _refuse(self, name: str, why: str) -> None:
        log.warning("build cache entry %s refused: %s; making it again", name, why)
        self.refused.append(name)

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Keep ``data`` as the entry ``kind/key`` of the build being written."""
        name = f"{kind}/{key}"
        if name in self.entries:
            return
        (self.new / name).write_bytes(data)
        self.entries[name] = (len(data), _digest(data))

    def save(self, extra: dict[str, Any]) -> None:
        """Write the index of the new cache (its entries and their digests, and ``extra``)."""
        index = {"version": VERSION, "code": self.code, "entries": dict(sorted(self.entries.items()))}
        index.update(extra)
        (self.new / INDEX).write_text(json.dumps(index, sort_keys=True), encoding="utf-8")


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (never through a symbolic link), at most ``limit`` + 1 of them."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        chunks = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 24))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
