"""Commands about the network of actors and events: ``analyze ...`` and ``export``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .options import (
    data_options,
    emit,
    format_option,
    open_graph,
    output_option,
    slice_options,
    table_width,
    window_of,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COMMANDS"]

F = TypeVar("F", bound=Callable[..., Any])


def _allegations(func: F) -> F:
    return click.option(
        "--allegations",
        is_flag=True,
        help="Also link the claimants of each claim to the actors it is about.",
    )(func)


def _common(func: F) -> F:
    """The options every ``analyze`` command shares: data, time slice, claims, format, output."""
    for decorator in (output_option, format_option("table", "json", "csv"), _allegations, slice_options):
        func = decorator(func)
    return data_options(func)


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return int(value) if value.is_integer() else round(value, 4)
    return value


def _show(frame: pd.DataFrame, fmt: str, output: Path, columns: list[str] | None = None) -> None:
    """Print a library frame: JSON is exactly :func:`~zhanaozen_graph.network.analysis.records`."""
    from ..network.analysis import records
    from ..output import render_rows

    rows = records(frame)
    if fmt == "json":
        emit(json.dumps(rows, indent=2, ensure_ascii=False), output)
        return
    if fmt == "table":
        rows = [{k: _cell(v) for k, v in r.items()} for r in rows]
    cols = columns if fmt == "table" and columns else [str(c) for c in frame.columns]
    emit(render_rows(rows, fmt, cols, width=table_width(output)), output)


@click.group()
def analyze() -> None:
    """Questions about the network of actors who take part in events together.

    Each command works on the actor co-participation network (two actors are
    linked by every event they both take part in), optionally as it stood at a
    date (--as-of) or within a window (--from/--to). Names resolve by id, label
    or alias, ignoring case ("KNB" works).

    Example: zhanaozen-graph analyze centrality --top 5
    """


@analyze.command()
@_common
@click.option("--top", type=click.IntRange(min=1), help="Show only the first N actors.")
@click.option(
    "--sample", type=click.IntRange(min=1), help="Estimate betweenness from N sources (large graphs)."
)
def centrality(
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    as_of: str | None,
    start: str | None,
    end: str | None,
    certain: bool,
    allegations: bool,
    fmt: str,
    output: Path,
    top: int | None,
    sample: int | None,
) -> None:
    """Rank actors by betweenness, with degree, closeness, PageRank and k-core.

    Example: zhanaozen-graph analyze centrality --top 5 --as-of 2011-12-31
    """
    from ..network.analysis import centrality as compute

    frame = compute(
        open_graph(data_dir, build_dir, rebuild),
        include_allegations=allegations,
        as_of=as_of,
        window=window_of(start, end),
        certain=certain,
        sample=sample,
        top=top,
    )
    _show(frame, fmt, output)


@analyze.command()
@_common
@click.option(
    "--method",
    type=click.Choice(["louvain", "greedy"]),
    default="louvain",
    show_default=True,
    help="Algorithm.",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed of Louvain.")
@click.option(
    "--resolution", type=float, default=1.0, show_default=True, help="Above 1: smaller communities."
)
def communities(
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    as_of: str | None,
    start: str | None,
    end: str | None,
    certain: bool,
    allegations: bool,
    fmt: str,
    output: Path,
    method: str,
    seed: int,
    resolution: float,
) -> None:
    """Group actors into communities of dense co-participation (Louvain or greedy modularity).

    Example: zhanaozen-graph analyze communities --method greedy
    """
    from ..network.analysis import communities as compute

    frame = compute(
        open_graph(data_dir, build_dir, rebuild),
        method=method,
        seed=seed,
        resolution=resolution,
        include_allegations=allegations,
        as_of=as_of,
        window=window_of(start, end),
        certain=certain,
    )
    _show(frame, fmt, output)
    click.echo(f"modularity {frame.attrs['modularity']:.4f} ({method})", err=True)


@analyze.command(name="ego")
@_common
@click.argument("name")
@click.option(
    "--radius", type=click.IntRange(min=1), default=1, show_default=True, help="Links from the actor."
)
def ego_command(
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    as_of: str | None,
    start: str | None,
    end: str | None,
    certain: bool,
    allegations: bool,
    fmt: str,
    output: Path,
    name: str,
    radius: int,
) -> None:
    """List the actors around NAME, with the events each shares with it.

    Example: zhanaozen-graph analyze ego KNB
    """
    from ..network.analysis import ego

    frame = ego(
        open_graph(data_dir, build_dir, rebuild),
        name,
        radius=radius,
        include_allegations=allegations,
        as_of=as_of,
        window=window_of(start, end),
        certain=certain,
    )
    _show(frame, fmt, output)


@analyze.command(name="path")
@_common
@click.argument("source")
@click.argument("target")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most N paths.")
def path_command(
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    as_of: str | None,
    start: str | None,
    end: str | None,
    certain: bool,
    allegations: bool,
    fmt: str,
    output: Path,
    source: str,
    target: str,
    limit: int,
) -> None:
    """Show the shortest chains of shared events from SOURCE to TARGET, with dates and quotes.

    Example: zhanaozen-graph analyze path "Bolat Atabaev" "Prosecutor General's Office"
    """
    from ..network.analysis import paths

    frame = paths(
        open_graph(data_dir, build_dir, rebuild),
        source,
        target,
        limit=limit,
        include_allegations=allegations,
        as_of=as_of,
        window=window_of(start, end),
        certain=certain,
    )
    if frame.empty:
        click.echo(f"no chain of shared events links {source!r} and {target!r}", err=True)
    columns = ["path", "hop", "source_label", "target_label", "date", "event_label", "quotes"]
    _show(frame, fmt, output, columns)


@analyze.command(name="slice")
@_common
def slice_command(
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    as_of: str | None,
    start: str | None,
    end: str | None,
    certain: bool,
    allegations: bool,
    fmt: str,
    output: Path,
) -> None:
    """List the links between actors as the network stood at a date, or within a window.

    Example: zhanaozen-graph analyze slice --as-of 2011-12-15
    """
    from ..network.analysis import links

    frame = links(
        open_graph(data_dir, build_dir, rebuild),
        include_allegations=allegations,
        as_of=as_of,
        window=window_of(start, end),
        certain=certain,
    )
    columns = ["source_label", "target_label", "weight", "first", "last", "events"]
    _show(frame, fmt, output, columns)
    a = frame.attrs
    click.echo(f"{a['actors']} actors, {len(frame)} links, {a['events']} events {a['slice']}", err=True)


@analyze.command()
@data_options
@click.option(
    "--metric",
    type=click.Choice(["events", "degree", "strength", "betweenness", "closeness", "pagerank", "core"]),
    default="degree",
    show_default=True,
    help="What to follow.",
)
@click.option(
    "--date", "dates", multiple=True, metavar="DATE", help="A date (repeat); default: each event start."
)
@click.option("--top", type=click.IntRange(min=1), help="Show only the first N actors.")
@click.option(
    "--certain", is_flag=True, help="Count only events certainly over by each date (bounds before it)."
)
@_allegations
@format_option("table", "json", "csv")
@output_option
def evolution(
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    metric: str,
    dates: tuple[str, ...],
    top: int | None,
    certain: bool,
    allegations: bool,
    fmt: str,
    output: Path,
) -> None:
    """Follow a measure of each actor across the timeline (one column per date).

    Example: zhanaozen-graph analyze evolution --metric betweenness --top 8
    """
    from ..network.analysis import evolution as compute

    frame = compute(
        open_graph(data_dir, build_dir, rebuild),
        metric,
        dates=list(dates) or None,
        top=top,
        include_allegations=allegations,
        certain=certain,
    )
    _show(frame, fmt, output)


NETWORK_FORMATS = ("graphml", "gexf", "json")
EVIDENCE_FORMATS = ("ftm", "timelinejs", "csv")


@click.command()
@data_options
@click.option(
    "--network",
    type=click.Choice(["full", "actor-event", "coparticipation", "places", "precedence"]),
    default=None,
    help="Which projection of the graph (graphml, gexf, json) [default: full].",
)
@click.option(
    "--allegations/--no-allegations",
    default=None,
    help="Include claims [default: yes for the full graph, no for the others].",
)
@slice_options
@format_option(
    *NETWORK_FORMATS,
    *EVIDENCE_FORMATS,
    default="gexf",
    help="graphml, gexf, json: a network; ftm: FollowTheMoney entities (JSON lines); "
    "timelinejs: TimelineJS JSON; csv: the timeline for a spreadsheet.",
)
@output_option
def export(
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    network: str | None,
    allegations: bool | None,
    as_of: str | None,
    start: str | None,
    end: str | None,
    certain: bool,
    fmt: str,
    output: Path,
) -> None:
    """Write the graph for another tool: Gephi, yEd, D3, Aleph, TimelineJS or a spreadsheet.

    GraphML, GEXF (with dates for Gephi's timeline) and JSON (D3) write a projection of the
    graph (--network, with a time slice). ftm writes FollowTheMoney entities for Aleph/OpenAleph
    (needs the [ftm] extra), timelinejs a TimelineJS 3 timeline, csv the timeline as a
    spreadsheet; all three carry every quote with its source.

    Example: zhanaozen-graph export --format gexf -o zhanaozen.gexf

    Example: zhanaozen-graph export --format timelinejs -o timeline.json
    """
    if fmt in EVIDENCE_FORMATS:
        given = [
            name
            for name, value in (
                ("--network", network),
                ("--allegations/--no-allegations", allegations),
                ("--as-of", as_of),
                ("--from", start),
                ("--to", end),
                ("--certain", certain or None),
            )
            if value is not None
        ]
        if given:
            raise click.UsageError(f"{', '.join(given)} apply to graphml, gexf and json, not to {fmt}")
        from ..exports import export_text

        emit(export_text(open_graph(data_dir, build_dir, rebuild), fmt), output)
        return
    from ..network.projections import export_network

    text = export_network(
        open_graph(data_dir, build_dir, rebuild),
        fmt,
        network or "full",
        allegations,
        as_of=as_of,
        window=window_of(start, end),
        certain=certain,
    )
    emit(text, output)


COMMANDS = [analyze, export]
