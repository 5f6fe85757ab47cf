"""Commands that set the sources side by side."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import data_options, emit, format_option, open_graph

__all__ = ["COMMANDS"]


@click.command()
@data_options
@format_option("table", "json", "csv")
def sources(data_dir: Path | None, build_dir: Path | None, rebuild: bool, fmt: str) -> None:
    """List the source documents with how much rests on each, then the conflicts between them.

    A conflict is a date no single day satisfies, or numbers of the same measure whose ranges do
    not meet ("15" and "17"; not "at least 15" and "at least 16"). Each source's value is shown;
    nothing is averaged. CSV lists the sources only.

    Example: zhanaozen-graph sources --format json
    """
    from ..output import render_rows
    from ..sparql.compare import source_summaries

    summaries, found = source_summaries(open_graph(data_dir, build_dir, rebuild))
    if fmt == "json":
        click.echo(json.dumps({"sources": summaries, "conflicts": found}, indent=2, ensure_ascii=False))
        return
    emit(render_rows([dict(s) for s in summaries], fmt), None)
    if fmt == "table" and found:
        click.echo("\nConflicts:")
        for c in found:
            says = "; ".join(f"{source} says {value}" for source, value in c["values"].items())
            click.echo(f"  {c['record']}, {c['what']}: {says}")


COMMANDS = [sources]
