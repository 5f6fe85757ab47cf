"""Options shared by several commands, declared once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = [
    "build_dir_option",
    "data_dir_option",
    "data_options",
    "emit",
    "endpoint_url",
    "format_option",
    "is_stdout",
    "local_data_options",
    "no_shacl_option",
    "open_graph",
    "output_option",
    "queries_dir_option",
    "slice_options",
    "table_width",
    "window_of",
]

F = TypeVar("F", bound=Callable[..., Any])


def data_dir_option(func: F) -> F:
    """Add ``--data``: the directory with ``sources/`` and ``records/``."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="ZHANAOZEN_DATA",
        help="The data directory with sources/ and records/ [default: ./data].",
    )(func)


def build_dir_option(func: F) -> F:
    """Add ``--build-dir``: where builds are written and cached."""
    return click.option(
        "--build-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="ZHANAOZEN_BUILD",
        help="Where builds are written and cached [default: build/ beside the data].",
    )(func)


NO_SHACL = "zhanaozen_graph.no_shacl"
"""Where ``--no-shacl`` of a read command is kept (``click.Context.meta``), for :func:`open_graph`."""


def _keep_no_shacl(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[NO_SHACL] = value
    return value


def no_shacl_option(func: F) -> F:
    """Add ``--no-shacl`` to a read command: a build it has to make skips the SHACL check.

    The flag is kept in the context (not passed to the command), so that :func:`open_graph` sees it.
    """
    return click.option(
        "--no-shacl",
        is_flag=True,
        expose_value=False,
        callback=_keep_no_shacl,
        help="If the graph has to be built first, skip the SHACL check (minutes at 10^6 triples).",
    )(func)


def local_data_options(func: F) -> F:
    """Add ``--data``, ``--build-dir``, ``--rebuild`` and ``--no-shacl``: for commands on the local build.

    Where the records are, where builds are cached, and how a build the command needs is made.
    """
    func = no_shacl_option(func)
    func = click.option("--rebuild", is_flag=True, help="Build even if the cached build is up to date.")(func)
    return data_dir_option(build_dir_option(func))


# Where the ``--endpoint`` of :func:`data_options` is kept for :func:`open_graph` (in the click
# context, so that the commands' signatures stay the same whether they read a local or remote graph).
_ENDPOINT = "zhanaozen_graph.endpoint"


def endpoint_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check that an endpoint option is an http(s) URL (a usage error, exit 2, otherwise)."""
    from urllib.parse import urlsplit

    if value is None or value == "":
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise click.BadParameter(
            f"{value!r} is not an http(s) URL; write e.g. http://localhost:7878/query", ctx, param
        )
    return value


def _keep_endpoint(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    ctx.meta[_ENDPOINT] = endpoint_url(ctx, param, value)


def data_options(func: F) -> F:
    """Add ``--data``, ``--build-dir``, ``--rebuild`` and ``--endpoint``: where the graph is read from.

    ``--endpoint URL`` (or ``$ZHANAOZEN_ENDPOINT``) reads the graph from a SPARQL 1.1 endpoint instead
    of the local build; :func:`open_graph` picks it up, so a command needs no parameter of its own.
    """
    func = click.option(
        "--endpoint",
        metavar="URL",
        envvar="ZHANAOZEN_ENDPOINT",
        expose_value=False,
        is_eager=True,
        callback=_keep_endpoint,
        help="Read the graph from this SPARQL endpoint (its default graph the union of the named graphs) "
        "instead of the local build [env: ZHANAOZEN_ENDPOINT].",
    )(func)
    return local_data_options(func)


def open_graph(data_dir: Path | None, build_dir: Path | None, rebuild: bool = False) -> Any:
    """Load the graph for a command: the ``--endpoint``'s, else the cached build when up to date, else a fresh build.

    With ``--endpoint`` (or ``$ZHANAOZEN_ENDPOINT``), ``--data``, ``--build-dir`` and ``--rebuild`` given
    on the command line are a usage error (their environment variables are ignored): nothing local
    is read. A local build the user did not ask for (none yet, or out of date) is announced on
    standard error with its reason, and skips SHACL when the command was given ``--no-shacl``.
    """
    from ..graph.build import load_graph
    from .progress import Progress

    ctx = click.get_current_context(silent=True)
    endpoint = ctx.meta.get(_ENDPOINT) if ctx is not None else None
    if endpoint is None:
        no_shacl = bool(ctx.meta.get(NO_SHACL)) if ctx is not None else False
        with Progress("opening the graph"):
            return load_graph(
                data_dir,
                build_dir,
                rebuild=rebuild,
                shacl=not no_shacl,
                notice=lambda line: click.echo(line, err=True),
            )
    assert ctx is not None
    options = {"data_dir": "--data", "build_dir": "--build-dir", "rebuild": "--rebuild"}
    given = [
        flag
        for name, flag in options.items()
        if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        raise click.UsageError(
            f"{' and '.join(given)} cannot be used with --endpoint: the remote graph is read as it is"
        )
    return load_graph(endpoint=endpoint)


def format_option(
    *choices: str, default: str | None = "table", help: str = "Output format."
) -> Callable[[F], F]:
    """Add ``--format`` / ``-f`` with the given choices."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help=help,
    )


def queries_dir_option(func: F) -> F:
    """Add ``--queries-dir``: a directory of ``.rq`` files searched before the packaged catalogue."""
    return click.option(
        "--queries-dir",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        envvar="ZHANAOZEN_QUERIES",
        help="A directory of .rq files searched before the packaged catalogue.",
    )(func)


def output_option(func: F) -> F:
    """Add ``--output`` / ``-o`` (``-`` for standard output)."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
        default=Path("-"),
        show_default=True,
        help="Write to this file (atomically) instead of standard output.",
    )(func)


def is_stdout(output: Path | str | None) -> bool:
    """True when ``output`` means standard output (``None`` or ``-``)."""
    return output is None or str(output) == "-"


def table_width(output: Path | str | None) -> int | None:
    """The ``width`` for :func:`~zhanaozen_graph.output.render_rows`: fit a terminal, never cut a file.

    ``None`` (fit the terminal if standard output is one) for standard output, ``0`` (never cut)
    for a file.
    """
    return None if is_stdout(output) else 0


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` to stdout, or write it atomically to ``output`` (``-`` or ``None``: stdout).

    The text ends with exactly one line end: one is added unless it already ends with one, so a
    file and standard output get the same bytes, CRLF of a CSV included.
    """
    if not text.endswith("\n"):
        text += "\n"
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    from ..graph.build import atomic_write

    with atomic_write(output) as fh:
        fh.write(text)  # the same bytes as on standard output
    click.echo(f"wrote {output}", err=True)


def slice_options(func: F) -> F:
    """Add ``--as-of``, ``--from``, ``--to`` and ``--certain`` (a time slice of the network).

    The command receives ``as_of``, ``start``, ``end`` (strings, checked by the library) and
    ``certain``; :func:`window_of` turns ``start`` and ``end`` into the library's ``window``.
    """
    func = click.option(
        "--certain",
        is_flag=True,
        help="Keep only events whose date bounds lie wholly inside the slice (not those that may overlap it).",
    )(func)
    func = click.option("--to", "end", metavar="DATE", help="End of a window (YYYY-MM-DD).")(func)
    func = click.option("--from", "start", metavar="DATE", help="Start of a window (YYYY-MM-DD).")(func)
    func = click.option(
        "--as-of",
        "as_of",
        metavar="DATE",
        help="The network as it stood at this date (YYYY-MM-DD): events that may have begun by then.",
    )(func)
    return func


def window_of(start: str | None, end: str | None) -> tuple[str | None, str | None] | None:
    """The ``window`` argument of the library from ``--from``/``--to`` (``None`` when neither is given)."""
    return (start, end) if start is not None or end is not None else None
