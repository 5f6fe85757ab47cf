"""Render rows (lists of dicts) as a terminal table, CSV, TSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Sequence
from typing import Any

__all__ = ["render_rows"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return " ".join(str(value).split())


def render_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    width: int | None = None,
) -> str:
    """Render rows in ``fmt`` (``table``, ``csv``, ``tsv``, ``json``, ``md``).

    Examples
    --------
    >>> rows = [{"a": 1, "b": "x"}, {"a": 22, "b": None}]
    >>> print(render_rows(rows, "table"))
    a   b
    --  -
    1   x
    22
    >>> print(render_rows(rows, "csv"), end="")
    a,b
    1,x
    22,
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
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
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
    limit = width or shutil.get_terminal_size((160, 24)).columns
    # Shrink the widest columns until the table fits the terminal.
    while sum(widths) + 2 * (len(widths) - 1) > limit and max(widths, default=0) > 12:
        i = widths.index(max(widths))
        widths[i] -= 1

    def fit(text: str, w: int) -> str:
        return text if len(text) <= w else text[: max(w - 1, 0)] + "…"

    out = ["  ".join(fit(c, widths[i]).ljust(widths[i]) for i, c in enumerate(cols)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for r in cells:
        out.append("  ".join(fit(v, widths[i]).ljust(widths[i]) for i, v in enumerate(r)).rstrip())
    return "\n".join(out)
