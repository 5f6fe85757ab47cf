"""The ``synth`` command: write a synthetic corpus for tests and benchmarks at scale."""

from __future__ import annotations

from pathlib import Path

import click

from .progress import Progress, quiet_option

__all__ = ["COMMANDS"]


@click.command()
@click.option("--documents", "-n", type=click.IntRange(min=1), required=True, help="How many documents.")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="The same seed, the same files.")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="A new or empty directory; sources/ and records/ are written in it.",
)
@quiet_option
def synth(documents: int, seed: int, output: Path) -> None:
    """Write a synthetic corpus shaped like the real data (about 6,500 triples a document).

    Every quote occurs verbatim in the generated text, so the whole pipeline runs on it.
    Measured: 30 documents (seed 1) build into 195,932 triples, 100 into 651,294.

    Example: zhanaozen-graph synth --documents 30 --seed 1 -o /tmp/corpus

    Then: zhanaozen-graph build --data /tmp/corpus --build-dir /tmp/corpus-build --no-shacl
    """
    from ..synth import generate_corpus

    with Progress("writing documents", total=documents) as bar:
        result = generate_corpus(output, documents, seed, progress=bar.advance)
    click.echo(
        f"wrote {result.documents} documents, {result.records} records and {result.quotes} quotes "
        f"({result.files} files) to {result.out_dir}"
    )


COMMANDS = [synth]
