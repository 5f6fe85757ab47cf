"""The ``zhanaozen-graph`` command line: a group that turns library errors into one clear line."""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from ..errors import ZhanaozenError

__all__ = ["cli", "main"]


class _Group(click.Group):
    """A click group that reports :class:`ZhanaozenError` as ``Error: <file>:<line>: <what>; <fix>``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ZhanaozenError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise click.Abort() from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on standard error (-vv for debug).")
@click.version_option(package_name="zhanaozen-graph")
def cli(verbose: int) -> None:
    """Human-rights documents as an event-timeline knowledge graph.

    Every fact carries the verbatim quote it comes from; uncertain dates keep
    their bounds; claims are kept apart from facts. Commands build the graph
    by themselves when the cached build is missing or out of date.

    Example: zhanaozen-graph timeline
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(
        level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _register() -> None:
    from ..cli import data, explore, extract, network, sources, sparql, synth

    for module in (data, sources, extract, sparql, explore, network, synth):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="zhanaozen-graph")
