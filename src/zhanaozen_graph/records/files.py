"""Read data files defensively: regular files only, bounded size, strict UTF-8, a strict YAML pre-scan.

Every hostile or mistaken input becomes one :class:`~zhanaozen_graph.errors.DataError` with the file and,
where there is one, the line: never a traceback, a hang or unbounded memory.

* :func:`read_bytes` refuses what is not a regular file (a FIFO would block the reader forever, a device
  would never end) and files larger than a limit.
* :func:`decode_text` decodes UTF-8 strictly and refuses NUL bytes, naming the line.
* :func:`read_source_text` reads a source document as bytes, without newline translation, so that the
  character offsets of the selectors are offsets into the text exactly as stored (code points of the UTF-8
  text; a CRLF counts as two characters). A byte-order mark is refused: it would be character 0.
* :func:`read_yaml_text` also runs :func:`check_yaml` over the parser's event stream before anything is
  built: duplicate keys (and so duplicate sections) are errors naming both lines, anchors and aliases are
  refused (no alias bomb can expand), nesting is limited (no recursion overflow).
* :func:`source_file` resolves the ``file:`` of a source inside ``sources/``: no absolute path, no ``..``,
  no symlink leading out.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError

__all__ = [
    "MAX_DEPTH",
    "MAX_SOURCE_BYTES",
    "MAX_YAML_BYTES",
    "LineDict",
    "check_yaml",
    "decode_text",
    "read_bytes",
    "read_source_text",
    "read_yaml_text",
    "source_file",
]

# Limits: far above any real record file (the largest today is 37 kB) and source document, far below
# what would exhaust a laptop. A synthetic corpus of 10^6 triples has record files of ~0.1 MB.
MAX_YAML_BYTES = 16 * 1024 * 1024
MAX_SOURCE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
BOM = "\ufeff"

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[str, Any]):
    """A mapping from a YAML file that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The 1-based line of ``key``, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The file is opened without blocking, so that a FIFO is refused instead of waiting for a writer.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> fifo = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> os.mkfifo(fifo)
    >>> try:
    ...     read_bytes(fifo, 100)
    ... except DataError as e:
    ...     print(e.message)
    not a regular file (a FIFO)
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror}", path=path, hint="check that it exists") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = (
                "a FIFO"
                if stat.S_ISFIFO(info.st_mode)
                else "a directory"
                if stat.S_ISDIR(info.st_mode)
                else "a device or socket"
            )
            raise DataError(f"not a regular file ({what})", path=path, hint="replace it by a plain file")
        if info.st_size > limit:
            raise DataError(
                f"file too large ({info.st_size} bytes, the limit is {limit})",
                path=path,
                hint="split it into several files",
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror}", path=path, hint="check the file") from exc
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while we read it
        raise DataError(
            f"file too large (the limit is {limit} bytes)", path=path, hint="split it into several files"
        )
    return data


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 strictly; a bad byte or a NUL byte is an error naming its line.

    Examples
    --------
    >>> from pathlib import Path
    >>> try:
    ...     decode_text(b"a\\nb\\xff", Path("x.txt"))
    ... except DataError as e:
    ...     print(e)
    x.txt:2: not UTF-8: byte 0xff at column 2; save the file as UTF-8
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at column {column}",
            path=path,
            line=line,
            hint="save the file as UTF-8",
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        raise DataError(
            "NUL byte in a text file",
            path=path,
            line=text.count("\n", 0, nul) + 1,
            hint="remove it (is this a binary file?)",
        )
    return text


def read_source_text(path: Path) -> str:
    """A source document's text exactly as stored: strict UTF-8, newlines untranslated, no BOM.

    Selector offsets are code points of this text; ``\\r\\n`` stays two characters.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "doc.txt"
    >>> _ = p.write_bytes(b"One.\\r\\nTwo.")
    >>> read_source_text(p).index("Two")
    6
    """
    text = decode_text(read_bytes(path, MAX_SOURCE_BYTES), path)
    if text.startswith(BOM):
        raise DataError(
            "the document starts with a byte-order mark, which would shift every offset",
            path=path,
            line=1,
            hint="save it as UTF-8 without BOM",
        )
    return text


def read_yaml_text(path: Path) -> str:
    """The text of a YAML file, read safely and checked by :func:`check_yaml` (a leading BOM is dropped)."""
    text = decode_text(read_bytes(path, MAX_YAML_BYTES), path)
    text = text.removeprefix(BOM)
    check_yaml(text, path)
    return text


def check_yaml(text: str, path: Path, max_depth: int = MAX_DEPTH) -> None:
    """Scan YAML's event stream: refuse duplicate keys, anchors and aliases, complex keys, deep nesting.

    Runs without recursion and without building anything, so that no input can exhaust the stack or
    the memory. A syntax error is reported with its line, in the words of PyYAML's pure-Python parser.

    Examples
    --------
    >>> from pathlib import Path
    >>> try:
    ...     check_yaml("a: 1\\nb: 2\\na: 3\\n", Path("x.yaml"))
    ... except DataError as e:
    ...     print(e)
    x.yaml:3: duplicate key 'a' (first at line 1); merge the two into one (a second one would replace the first)
    """
    try:
        _scan(text, path, max_depth, _Parser)
    except yaml.YAMLError:
        # libyaml's messages are worded differently (and it gives up at 1000 levels): scan again with
        # the pure-Python parser, which streams events too, for the depth limit and the message.
        try:
            _scan(text, path, max_depth, yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise DataError(
                f"YAML syntax error: {exc.problem}",
                path=path,
                line=mark.line + 1 if mark is not None else None,
            ) from None


def _scan(text: str, path: Path, max_depth: int, loader: Any) -> None:
    """The scan of :func:`check_yaml` with one parser; a syntax error is raised as ``yaml.YAMLError``."""
    # One frame per open collection: [is_mapping, expecting_key, {key: line}].
    stack: list[list[Any]] = []

    def done() -> None:
        """A node ended: in a mapping, a key is followed by a value and a value by a key."""
        if stack and stack[-1][0]:
            stack[-1][1] = not stack[-1][1]

    try:
        for event in yaml.parse(text, Loader=loader):
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DataError(
                    "YAML anchors and aliases (&name, *name) are not allowed",
                    path=path,
                    line=line,
                    hint="write the value out in full",
                )
            key_position = bool(stack) and stack[-1][0] and stack[-1][1]
            if isinstance(event, yaml.ScalarEvent):
                if key_position:
                    seen: dict[str, int] = stack[-1][2]
                    if event.value in seen and event.value != "<<":
                        raise DataError(
                            f"duplicate key {event.value!r} (first at line {seen[event.value]})",
                            path=path,
                            line=line,
                            hint="merge the two into one (a second one would replace the first)",
                        )
                    seen[event.value] = line or 0
                done()
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if key_position:
                    raise DataError(
                        "a key must be plain text, not a list or mapping",
                        path=path,
                        line=line,
                        hint="write the key as text",
                    )
                if len(stack) >= max_depth:
                    raise DataError(
                        f"nested more than {max_depth} levels deep",
                        path=path,
                        line=line,
                        hint="flatten the structure",
                    )
                stack.append([isinstance(event, yaml.MappingStartEvent), True, {}])
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                stack.pop()
                done()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        where = exc.position if isinstance(exc.position, int) else 0
        raise DataError(
            f"YAML cannot contain the character U+{exc.character:04X}"
            if isinstance(exc.character, int)
            else f"YAML cannot contain the character {exc.character!r}",
            path=path,
            line=text.count("\n", 0, where) + 1,
            hint="remove it or write it as an escape in a double-quoted string",
        ) from None


def source_file(meta_path: Path, value: Any, line: int) -> Path:
    """The document a source's ``file:`` names, which must lie in the metadata file's directory tree.

    Examples
    --------
    >>> from pathlib import Path
    >>> try:
    ...     source_file(Path("data/sources/a.yaml"), "../../etc/passwd", 4)
    ... except DataError as e:
    ...     print(e)
    data/sources/a.yaml:4: file '../../etc/passwd' lies outside sources/; name a file in sources/, without '..' or an absolute path
    """
    if not isinstance(value, str) or not value.strip():
        raise DataError(
            f"file must name the document, got {value!r}",
            path=meta_path,
            line=line,
            hint="write file: NAME.txt, or leave it out for the default",
        )
    folder = meta_path.parent
    rel = Path(value)
    inside = not rel.is_absolute() and ".." not in rel.parts
    if inside:
        try:
            (folder / rel).resolve().relative_to(folder.resolve())
        except ValueError:
            inside = False  # a symlink leading out
    if not inside:
        raise DataError(
            f"file {value!r} lies outside sources/",
            path=meta_path,
            line=line,
            hint="name a file in sources/, without '..' or an absolute path",
        )
    return folder / rel
