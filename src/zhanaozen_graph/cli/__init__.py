"""The ``zhanaozen-graph`` command line: a group that turns library errors into one clear line."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from ..errors import ZhanaozenError

__all__ = ["cli", "main"]


INTERNAL_ERROR_HINT = "run the command again with --debug for the traceback, and report it"


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


class _Group(click.Group):
    """A click group that reports every error as one line, ``Error: <file>:<line>: <what>; <fix>``.

    A :class:`ZhanaozenError` is the user's to fix; anything else is reported as an internal error.
    ``--debug`` shows the traceback instead. A closed pipe (``build | head``) ends quietly.
    """

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except ZhanaozenError as exc:
            if debug:
                raise
            raise click.ClickException(_one_line(str(exc))) from None
        except BrokenPipeError:
            # The reader went away: send the rest of our output nowhere, so that Python's final flush
            # of standard output cannot fail again, and leave without a word.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except (Exception, RecursionError) as exc:
            if debug:
                raise
            what = _one_line(str(exc)) or "no message"
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {what}; {INTERNAL_ERROR_HINT}"
            ) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on standard error (-vv for debug).")
@click.option("--debug", is_flag=True, help="Show the traceback of an error instead of one line.")
@click.version_option(package_name="zhanaozen-graph")
def cli(verbose: int, debug: bool) -> None:
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
