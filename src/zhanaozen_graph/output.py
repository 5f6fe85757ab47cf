"""Render rows (lists of dicts) as a terminal table, CSV, TSV, JSON or Markdown.

Line endings: CSV rows end with CRLF, as RFC 4180 (section 2.1) and the SPARQL 1.1 CSV results format
require; every other text this package writes (tables, TSV, JSON, Markdown, RDF, GEXF) ends lines with LF.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["CSV_NEWLINE", "render_rows", "terminal_width"]

CSV_NEWLINE = "\r\n"
"""The end of a CSV row (RFC 4180, SPARQL 1.1 CSV results); all other formats end lines with LF."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return " ".join(str(value).split())


def terminal_width() -> int | None:
    """The width of the terminal standard output goes to, or ``None`` when it is not a terminal.

    A table cut to fit a terminal is for reading; piped or redirected, every cell is kept whole.

    Examples
    --------
    >>> terminal_width() is None  # doctest captures standard output: not a terminal
    True
    """
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):  # replaced or closed
        return None
    return shutil.get_terminal_size((160, 24)).columns


def render_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    width: int | None = None,
) -> str:
    r"""Render rows in ``fmt`` (``table``, ``csv``, ``tsv``, ``json``, ``md``).

    A ``table`` is cut to ``width`` columns (the widest cells end with "…"); with ``width=None`` it
    fits the terminal when standard output is one (:func:`terminal_width`), and is never cut when
    it is not, or with ``width=0``. CSV rows end with CRLF (:data:`CSV_NEWLINE`), the rest with LF.

    Examples
    --------
    >>> rows = [{"a": 1, "b": "x"}, {"a": 22, "b": None}]
    >>> print(render_rows(rows, "table"))
    a   b
    --  -
    1   x
    22
    >>> render_rows(rows, "csv")
    'a,b\r\n1,x\r\n22,\r\n'
    >>> render_rows(rows, "tsv")
    'a\tb\n1\tx\n22\t\n'
    >>> print(render_rows([{"text": "a long cell of text"}], "table", width=12))
    text
    ------------
    a long cell…
    >>> print(render_rows(rows, "md"))
    | a | b |
    |---|---|
    | 1 | x |
    | 22 |  |
    """
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False, default=str)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(
            buf, delimiter="," if fmt == "csv" else "\t", lineterminator=CSV_NEWLINE if fmt == "csv" else "\n"
        )
        writer.writerow(cols)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in cols])
        return buf.getvalue()
    if fmt == "md":
        lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
        for row in rows:
            lines.append("| " + " | ".join(_cell(row.get(c)).replace("|", "\\|") for c in cols) + " |")
        return "\n".join(lines)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    cells = [[_cell(row.get(c)) for c in cols] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    limit = terminal_width() if width is None else width
    # Shrink the widest columns until the table fits the terminal.
    while limit and sum(widths) + 2 * (len(widths) - 1) > limit and max(widths, default=0) > 12:
        i = widths.index(max(widths))
        widths[i] -= 1

    def fit(text: str, w: int) -> str:
        return text if len(text) <= w else text[: max(w - 1, 0)] + "…"

    out = ["  ".join(fit(c, widths[i]).ljust(widths[i]) for i, c in enumerate(cols)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for r in cells:
        out.append("  ".join(fit(v, widths[i]).ljust(widths[i]) for i, v in enumerate(r)).rstrip())
    return "\n".join(out)
