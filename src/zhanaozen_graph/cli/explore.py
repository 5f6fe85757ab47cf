"""The ``explore`` command: write the offline HTML explorer and optionally open it."""

from __future__ import annotations

from pathlib import Path

import click

from .options import data_options, open_graph
from .progress import Progress, quiet_option

__all__ = ["COMMANDS"]


@click.command()
@data_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="The HTML file to write (atomically), - for standard output "
    "[default: explorer.html in the build directory; with --endpoint, in the current one].",
)
@click.option("--title", default=None, help="The page title [default: zhanaozen-graph explorer].")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default web browser.")
@quiet_option
def explore(
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    output: Path | None,
    title: str | None,
    open_browser: bool,
) -> None:
    """Write the explorer: one offline HTML file with the network, the timeline and the evidence.

    The file loads nothing from the network (every script and style is inside
    it), so it can be opened anywhere, e-mailed or archived.

    Example: zhanaozen-graph explore -o build/explorer.html --open
    """
    from ..explorer import render_explorer, write_explorer

    to_stdout = output is not None and str(output) == "-"
    if to_stdout and open_browser:
        raise click.UsageError("--open needs a file: give -o FILE, not -o -")
    kg = open_graph(data_dir, build_dir, rebuild)
    if to_stdout:
        with Progress("rendering the explorer"):
            page = render_explorer(kg, title=title)
        click.echo(page, nl=False)
        return
    if output is not None:
        target = output
    elif kg.path is None:  # a remote graph: no build directory
        target = Path("explorer.html")
    else:
        target = kg.path / "explorer.html"
    with Progress("writing the explorer"):
        result = write_explorer(kg, target, title=title)
    click.echo(
        f"wrote {result.path} ({result.nodes} nodes, {result.edges} edges, {result.bytes / 1e6:.1f} MB)",
        err=True,
    )
    if open_browser:
        import webbrowser

        webbrowser.open(result.path.resolve().as_uri())


COMMANDS = [explore]
