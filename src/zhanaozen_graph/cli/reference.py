"""The CLI reference (docs/cli.md), generated from the click commands themselves.

Regenerate with ``python -m zhanaozen_graph.cli.reference docs/cli.md``; tests/test_cli_reference.py
fails when the committed page differs from what the commands say.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

__all__ = ["cli_reference", "commands", "help_examples", "short_flags"]

WIDTH = 100
"""The width help is wrapped at in the reference (the same on every machine)."""

CONVENTIONS = """\
## Conventions

These hold for every command; `tests/test_cli_conventions.py` checks them.

- **Data to standard output, everything else to standard error**: results go to stdout; messages
  (`wrote FILE`, summaries, warnings, progress, the notice of an implicit build) go to stderr, so
  `zhanaozen-graph timeline -f csv > timeline.csv` holds only the CSV.
- **`-` means standard output** wherever a file is written (`-o -`, the default of `-o` for the
  commands that print data; `explore -o -` prints the page). A file is written atomically: a
  temporary file beside it, renamed into place when complete. `query -` reads the query from
  standard input.
- **No truncation when the output is not a terminal**: a `table` is cut to the terminal's width
  (the widest cells end with `…`) only when standard output is a terminal; piped, redirected or
  written with `-o FILE`, every cell is whole.
- **Line endings**: every CSV ends its rows with CRLF, as RFC 4180 (section 2.1) and the SPARQL 1.1
  Query Results CSV format require (`query -f csv`, `timeline -f csv`, `export -f csv`, `analyze
  ... -f csv`, `stats -f csv`); every other output (tables, TSV, JSON, Markdown, RDF, GEXF, GraphML,
  HTML) ends lines with LF. A line end is added to text that lacks one, never a second one; stdout and
  a file get the same bytes.
- **Progress** of `build`, `synth`, `push`, `explore` and of a read command that has to build first
  is one line on stderr, redrawn while the work goes on, shown only when stderr is a terminal and
  the work takes over a second (`ZHANAOZEN_PROGRESS_DELAY` sets that delay in seconds), and erased
  when it ends; `--quiet`/`-q` turns it off.
- **Implicit builds**: a read command that finds no build, or an out-of-date one (the data, the
  model or the code changed), builds first and says so on stderr (`building build without SHACL:
  there is no build in it yet`); `--no-shacl` skips the SHACL check of that build, as
  `build --no-shacl` does.
- **One meaning per short flag** across all commands (table below).
- **Errors** are one line, `Error: <file>:<line>: <what>; <how to fix>`, and exit code 1; a usage
  mistake exits 2; `--debug` shows the traceback instead.
"""


def commands(
    group: click.Command | None = None, prefix: str = "zhanaozen-graph"
) -> Iterator[tuple[str, click.Command]]:
    """Every command with its full name, the group first, subcommands in alphabetical order.

    Examples
    --------
    >>> [name for name, _ in commands()][:3]
    ['zhanaozen-graph', 'zhanaozen-graph add-source', 'zhanaozen-graph analyze']
    """
    if group is None:
        from . import cli

        group = cli
    yield prefix, group
    if isinstance(group, click.Group):
        for name in sorted(group.commands):
            yield from commands(group.commands[name], f"{prefix} {name}")


def help_examples() -> list[tuple[str, str]]:
    """``(command, example)`` for every ``Example:`` and ``Then:`` line of every command's help.

    Examples
    --------
    >>> ("zhanaozen-graph stats", "zhanaozen-graph stats --format json") in help_examples()
    True
    """
    out = []
    for name, command in commands():
        for line in (command.help or "").splitlines():
            head, _, example = line.strip().partition(": ")
            if head in ("Example", "Then") and example.startswith("zhanaozen-graph"):
                out.append((name, example))
    return out


def short_flags() -> dict[str, dict[str, list[str]]]:
    """Each short flag, the long option(s) it stands for, and the commands that have it.

    Examples
    --------
    >>> short_flags()["-n"]
    {'--documents': ['zhanaozen-graph synth']}
    """
    from . import cli

    flags: dict[str, dict[str, list[str]]] = {}
    helps = list(cli.context_settings.get("help_option_names", ["--help"]))
    for opt in helps:
        if not opt.startswith("--"):
            flags.setdefault(opt, {})["--help"] = ["zhanaozen-graph"]  # every command inherits it
    for name, command in commands():
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            longs = [o for o in param.opts + param.secondary_opts if o.startswith("--")]
            for opt in param.opts + param.secondary_opts:
                if opt.startswith("-") and not opt.startswith("--"):
                    flags.setdefault(opt, {}).setdefault(longs[0] if longs else "", []).append(name)
    return dict(sorted(flags.items()))


def _help(name: str, command: click.Command) -> str:
    """The ``--help`` text, as the real command line prints it at :data:`WIDTH` columns."""
    from . import cli

    # The help option names of the real command line (click builds the option once per command,
    # from the first context that asks: it must be the same one an invocation would use).
    settings = {"terminal_width": WIDTH, "max_content_width": WIDTH, **cli.context_settings}
    parts = name.split()
    ctx = click.Context(cli, info_name=parts[0], **settings)
    group: click.Command = cli
    for part in parts[1:]:
        assert isinstance(group, click.Group)
        group = group.commands[part]
        ctx = click.Context(group, info_name=part, parent=ctx, **settings)
    assert ctx.command is command
    return command.get_help(ctx)


def cli_reference() -> str:
    """The Markdown of docs/cli.md: conventions, the short flags, and every command's ``--help``.

    Examples
    --------
    >>> text = cli_reference()
    >>> text.splitlines()[0]
    '# Command-line reference'
    >>> "## zhanaozen-graph export" in text and "| `-n` | `--documents` | synth |" in text
    True
    """
    out = [
        "# Command-line reference",
        "",
        "Generated from the commands by `python -m zhanaozen_graph.cli.reference docs/cli.md`; a test fails",
        "when this page and the commands disagree. Every `Example:` line below runs in",
        "`tests/test_cli_reference.py`.",
        "",
        CONVENTIONS,
        "## Short flags",
        "",
        "| flag | means | in |",
        "|---|---|---|",
    ]
    for flag, meanings in short_flags().items():
        for long, where in meanings.items():
            names = ", ".join(n.removeprefix("zhanaozen-graph").strip() or "(every command)" for n in where)
            out.append(f"| `{flag}` | `{long}` | {names} |")
    out += [
        "",
        "A long option without a short flag has none on purpose: `export`'s `--network` lost its `-n`,",
        "which `synth` uses for `--documents`.",
        "",
        "## Commands",
        "",
    ]
    out += [f"- [`{name}`](#{name.replace(' ', '-')})" for name, _ in commands()]
    for name, command in commands():
        out += ["", f"## {name}", "", "```text", _help(name, command).rstrip(), "```"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Write the reference to the file given (``-`` or nothing: standard output)."""
    args = sys.argv[1:] if argv is None else argv
    text = cli_reference()
    if not args or args[0] == "-":
        sys.stdout.write(text)
        return
    from ..graph.build import atomic_write

    with atomic_write(Path(args[0])) as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
