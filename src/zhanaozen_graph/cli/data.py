"""Commands about the data: demo, build, validate, stats, coverage, timeline, model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from .options import (
    build_dir_option,
    data_dir_option,
    data_options,
    emit,
    format_option,
    open_graph,
    output_option,
    table_width,
)
from .progress import QUIET, Progress, quiet_option

__all__ = ["COMMANDS"]


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
def demo(folder: Path) -> None:
    """Create a project in a new FOLDER with the shipped example (an Amnesty document and its records).

    Then, inside FOLDER, the other commands find ./data by themselves and build into ./build.

    Example: zhanaozen-graph demo zhanaozen-demo
    """
    from ..records.example import create_demo

    data = create_demo(folder)
    click.echo(f"wrote {data}")
    click.echo(f"next: cd {folder} && zhanaozen-graph build && zhanaozen-graph timeline")


@click.command()
@data_dir_option
@build_dir_option
@click.option("--no-shacl", is_flag=True, help="Skip SHACL validation (faster on large corpora).")
@click.option("--allow-empty", is_flag=True, help="Build even when there is no source document.")
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild everything: ignore the previous build's cache and store, check all of SHACL.",
)
@quiet_option
def build(
    data_dir: Path | None, build_dir: Path | None, no_shacl: bool, allow_empty: bool, full: bool
) -> None:
    """Check the records and write the graph as Turtle, N-Triples, JSON-LD, TriG and N-Quads.

    The build is written beside the build directory and swapped in whole: a failed or
    interrupted build leaves the previous one as it was. When the build directory holds a
    previous build of the same code, only the named graphs whose quads changed are written
    anew and replaced in the store (standard error names them); --full rebuilds everything.

    Example: zhanaozen-graph build --build-dir build/
    """
    from ..graph.build import build as run_build
    from ..graph.build import describe_rebuild

    with Progress("building" + (" (SHACL included)" if not no_shacl else "")):
        result = run_build(data_dir, build_dir, shacl=not no_shacl, allow_empty=allow_empty, full=full)
    click.echo(f"built {result.triples} triples ({result.quads} quads) in {result.seconds:.2f} s")
    for _name, path in sorted(result.files.items()):
        click.echo(f"  {path}")
    if not click.get_current_context().meta.get(QUIET):
        click.echo(describe_rebuild(result, full=full), err=True)


@click.command()
@data_dir_option
@click.option("--allow-empty", is_flag=True, help="Accept a data directory without a source document.")
def validate(data_dir: Path | None, allow_empty: bool) -> None:
    """Check every record against the model and the graph against the SHACL shapes.

    Prints one line per problem (file, line, what is wrong, how to fix it) and
    exits 1 if there is any.

    Example: zhanaozen-graph validate
    """
    from ..graph.shacl import validate_all

    lines, ok = validate_all(data_dir, allow_empty=allow_empty)
    for line in lines:
        click.echo(line)
    if not ok:
        raise SystemExit(1)


@click.command()
@data_options
@format_option("table", "json", "csv")
def stats(data_dir: Path | None, build_dir: Path | None, rebuild: bool, fmt: str) -> None:
    """Count the records by type, the quotes and the triples.

    Example: zhanaozen-graph stats --format json
    """
    from ..output import render_rows
    from ..reports import stats as compute

    counts = compute(open_graph(data_dir, build_dir, rebuild))
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        emit(render_rows([{"type": k, "count": v} for k, v in counts.items()], fmt), None)


@click.command()
@data_options
@click.option("--uncovered", is_flag=True, help="List only the sentences (clauses) no record fully cites.")
@click.option(
    "--clauses",
    "by_clause",
    is_flag=True,
    help="Split each sentence into clauses (at ; : , and dashes, and before and/but/while/after/so) "
    "and say whether quotes cover every word of each: covered, partial or uncovered.",
)
@format_option("table", "json", "csv")
def coverage(
    data_dir: Path | None, build_dir: Path | None, rebuild: bool, uncovered: bool, by_clause: bool, fmt: str
) -> None:
    """List each sentence (or clause) of each document and the records that cite it.

    Example: zhanaozen-graph coverage --clauses --uncovered
    """
    from ..output import render_rows
    from ..reports import clause_coverage
    from ..reports import coverage as compute

    kg = open_graph(data_dir, build_dir, rebuild)
    if by_clause:
        ccov = clause_coverage(kg)
        clause_rows = [
            {
                "source": c.source,
                "sentence": c.sentence,
                "start": c.start,
                "end": c.end,
                "heading": c.heading,
                "state": c.state,
                "words": c.words,
                "covered_words": c.covered_words,
                "records": list(c.records),
                "clause": c.text,
            }
            for c in ccov.clauses
            if not (uncovered and (c.covered or c.heading))
        ]
        columns = ["source", "sentence", "start", "state", "records", "clause"]
        emit(render_rows(clause_rows, fmt, columns if fmt != "json" else None), None)
        click.echo(
            f"{ccov.covered} of {ccov.total} clauses covered ({ccov.share:.0%}), {ccov.partial} partly; "
            "headings not counted",
            err=True,
        )
        return
    cov = compute(kg)
    rows = [
        {
            "source": s.source,
            "start": s.start,
            "end": s.end,
            "heading": s.heading,
            "records": list(s.records),
            "sentence": s.text,
        }
        for s in cov.sentences
        if not (uncovered and (s.covered or s.heading))
    ]
    sentence_columns = ["source", "start", "heading", "records", "sentence"] if fmt != "json" else None
    emit(render_rows(rows, fmt, sentence_columns), None)
    click.echo(
        f"{cov.covered} of {cov.total} sentences cited ({cov.share:.0%}); headings not counted", err=True
    )


@click.command()
@data_options
@format_option("table", "csv", "json")
@output_option
def timeline(data_dir: Path | None, build_dir: Path | None, rebuild: bool, fmt: str, output: Path) -> None:
    """Print the events in chronological order, with their date bounds.

    JSON gives, per event: id, label, type, date (EDTF), earliest, latest,
    places, participants (label, role) and evidence (quote, source).

    Example: zhanaozen-graph timeline --format json -o timeline.json
    """
    from ..output import render_rows
    from ..timeline import as_rows
    from ..timeline import timeline as compute

    entries = compute(open_graph(data_dir, build_dir, rebuild))
    if fmt == "json":
        emit(json.dumps(entries, indent=2, ensure_ascii=False), output)
    else:
        columns = ["earliest", "latest", "date", "status", "type", "label"] if fmt == "table" else None
        emit(render_rows(as_rows(entries), fmt, columns, width=table_width(output)), output)


@click.command()
@click.argument("what", type=click.Choice(["ontology", "shapes", "summary"]), default="summary")
@output_option
def model(what: str, output: Path) -> None:
    """Print the data model: a summary, the ontology or the SHACL shapes (Turtle).

    Example: zhanaozen-graph model ontology -o ontology/zhanaozen.ttl
    """
    from ..graph.ontology import model_summary, ontology_turtle, shapes_turtle

    makers: dict[str, Callable[[], str]] = {
        "ontology": ontology_turtle,
        "shapes": shapes_turtle,
        "summary": model_summary,
    }
    text = makers[what]()
    emit(text, output)


COMMANDS = [demo, build, validate, stats, coverage, timeline, model]
