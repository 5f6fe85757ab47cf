"""Find verbatim quotes in their source text, tolerant of whitespace and of PDF line-break hyphens."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Match", "SourceIndex", "sentences"]

_WS = re.compile(r"\s+")
_HYPHEN_BREAK = re.compile(r"-[ \t]*\r?\n\s*")
_TOKEN = re.compile(r"(-[ \t]*\r?\n\s*)|(\s+)|([^\s-]+|-)")


@dataclass(frozen=True)
class Match:
    """Where a quote was found: character offsets into the original text, and its context."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class SourceIndex:
    """A source text normalised for quote search, with a map back to the original offsets.

    Runs of whitespace become one space, and a hyphen that ends a line is joined to the next
    line's first word (``20-`` / ``day`` reads ``20-day``).

    Examples
    --------
    >>> idx = SourceIndex("a 20-\\n\\nday  state\\nof emergency")
    >>> m = idx.find("20-day state of   emergency")
    >>> (m.start, m.end, m.exact)
    (2, 30, '20-\\n\\nday  state\\nof emergency')
    >>> idx.find("30-day") is None
    True
    """

    CONTEXT = 32

    def __init__(self, text: str) -> None:
        self.text = text
        self._normal: str | None = None
        self._offsets: list[int] = []

    @property
    def normal(self) -> str:
        """The normalised text (made on first use: a source whose quotes are all cached never needs it)."""
        if self._normal is None:
            self._index()
        return self._normal or ""

    @property
    def offsets(self) -> list[int]:
        """The offset in :attr:`text` of each character of :attr:`normal`."""
        if self._normal is None:
            self._index()
        return self._offsets

    def _index(self) -> None:
        chars: list[str] = []
        offsets: list[int] = []
        # One token at a time: a line-break hyphen, a run of whitespace, a run of other characters.
        for m in _TOKEN.finditer(self.text):
            kind = m.lastindex
            if kind == 1:  # "20-" / "day" reads "20-day"
                chars.append("-")
                offsets.append(m.start())
            elif kind == 2:  # whitespace: one space, none at the start
                if chars:
                    chars.append(" ")
                    offsets.append(m.start())
            else:
                chars.append(m.group())
                offsets.extend(range(m.start(), m.end()))
        self._normal = "".join(chars)
        self._offsets = offsets

    @staticmethod
    def normalise(quote: str) -> str:
        """Normalise a quote the same way as the text.

        Examples
        --------
        >>> SourceIndex.normalise("  a\\n b-\\n c ")
        'a b-c'
        """
        return _WS.sub(" ", _HYPHEN_BREAK.sub("-", quote)).strip()

    def find_all(self, quote: str) -> list[Match]:
        """Every occurrence of ``quote`` in the text."""
        needle = self.normalise(quote)
        if not needle:
            return []
        found: list[Match] = []
        normal, offsets = self.normal, self.offsets
        pos = normal.find(needle)
        while pos >= 0:
            start = offsets[pos]
            found.append(self.match(start, offsets[pos + len(needle) - 1] + 1))
            pos = normal.find(needle, pos + 1)
        return found

    def match(self, start: int, end: int) -> Match:
        """The match of the characters ``start:end`` of the text, with its context.

        Examples
        --------
        >>> SourceIndex("He was released on 3 July.").match(7, 15).suffix
        ' on 3 July.'
        """
        text = self.text
        return Match(
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - self.CONTEXT) : start],
            suffix=text[end : end + self.CONTEXT],
        )

    def find(self, quote: str) -> Match | None:
        """The first occurrence of ``quote`` in the text, or ``None``."""
        matches = self.find_all(quote)
        return matches[0] if matches else None


_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’']?\s+(?=[A-Z“\"])")


def sentences(text: str) -> list[tuple[int, int]]:
    """Split a document into sentences and headings, as (start, end) character offsets.

    A sentence ends at ``.``, ``!`` or ``?`` followed by whitespace and a capital letter; a line
    in capitals with no full stop (a heading) stands alone. Blank stretches are skipped.

    Examples
    --------
    >>> t = "URGENT ACTION\\nHe was released. The charges were\\ndropped."
    >>> [t[a:b] for a, b in sentences(t)]
    ['URGENT ACTION', 'He was released.', 'The charges were\\ndropped.']
    """
    spans: list[tuple[int, int]] = []
    # Headings: whole lines in capitals.
    blocks: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        start = pos + (len(line) - len(line.lstrip()))
        if stripped and stripped.upper() == stripped and any(c.isalpha() for c in stripped):
            spans.append((start, start + len(stripped)))
            blocks.append((pos, pos))  # a heading closes the running block
        elif stripped:
            blocks.append((start, start + len(line.rstrip()) - (len(line) - len(line.lstrip()))))
        pos += len(line)
    # Join consecutive non-heading lines into running text, then split at sentence ends.
    run_start: int | None = None
    run_end = 0
    runs: list[tuple[int, int]] = []
    for a, b in blocks:
        if a == b:
            if run_start is not None:
                runs.append((run_start, run_end))
            run_start = None
            continue
        if run_start is None:
            run_start = a
        run_end = b
    if run_start is not None:
        runs.append((run_start, run_end))
    for a, b in runs:
        chunk = text[a:b]
        last = 0
        for m in _SENTENCE_END.finditer(chunk):
            before = chunk[last : m.start()]
            if before.rfind("“") > before.rfind("”"):
                continue  # a full stop inside a quotation does not end the sentence
            end = m.start() + (1 if m.group(0)[0] in "”\"’'" else 0)
            spans.append((a + last, a + end))
            last = m.end()
        spans.append((a + last, b))
    spans.sort()
    return [(s, e) for s, e in spans if text[s:e].strip()]
