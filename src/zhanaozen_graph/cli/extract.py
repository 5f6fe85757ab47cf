"""Commands that bring a new document in and propose records from it: ``add-source``, ``propose``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import data_dir_option

__all__ = ["COMMANDS"]


@click.command("add-source")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "slug", required=True, help="The source's id: lowercase letters, digits, hyphens.")
@click.option("--title", required=True, help="The document's title.")
@click.option("--publisher", required=True, help="The id (or alias) of the organisation that published it.")
@click.option("--url", default=None, help="Where the document came from.")
@click.option("--date", default=None, help="The document's date in EDTF: 2012, 2012-07, 2012-07-04.")
@click.option("--kind", default="document", show_default=True, help="What it is (press release, report...).")
@click.option("--language", default="en", show_default=True, help="Its language.")
@click.option("--rights", default=None, help="Its rights statement.")
@data_dir_option
def add_source(
    file: Path,
    slug: str,
    title: str,
    publisher: str,
    url: str | None,
    date: str | None,
    kind: str,
    language: str,
    rights: str | None,
    data_dir: Path | None,
) -> None:
    """Copy a text document into data/sources/ byte for byte and write its metadata.

    The metadata records the SHA-256 of the text and the day it was captured. The same text
    (same SHA-256) is never added twice.

    Example: zhanaozen-graph add-source release.txt --id ngo-2011-12-20 --title "Police fire on strikers" --publisher amnesty-international --date 2011-12-20
    """
    from ..extract.sources import add_source as add

    added = add(
        file,
        slug,
        title=title,
        publisher=publisher,
        url=url,
        date=date,
        kind=kind,
        language=language,
        rights=rights,
        data_dir=data_dir,
    )
    click.echo(f"added {added.id}: {added.text_path} (sha256 {added.sha256}) and {added.meta_path}")
    if date is None:
        click.echo(
            f"note: give the document's date ('date:' in {added.meta_path.name}) before validate", err=True
        )


@click.command()
@click.argument("slug")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["summary", "yaml", "label-studio"]),
    default="summary",
    show_default=True,
    help="summary: write data/proposals/SLUG.yaml and count what it holds; yaml: print the proposals; "
    "label-studio: print a Label Studio task with the proposals as predictions (JSON).",
)
@data_dir_option
def propose(slug: str, fmt: str, data_dir: Path | None) -> None:
    """Propose records for a source: mentions, new entities, dates, quantities, events and claims.

    Nothing proposed is a fact: each entry is marked proposed, with its quote and character
    offsets, until a person accepts it into data/records/. Proposals rejected before (listed in
    data/proposals/SLUG.rejected.yaml) are not proposed again.

    Example: zhanaozen-graph propose amnesty-ua-2012-07-atabaev-released
    """
    from ..extract.propose import propose as run
    from ..extract.propose import write_proposals

    proposals = run(slug, data_dir)
    if fmt == "label-studio":
        import json

        from ..extract.labelstudio import to_label_studio

        click.echo(json.dumps(to_label_studio(proposals), indent=1, ensure_ascii=False))
        return
    if fmt == "yaml":
        click.echo(proposals.to_yaml(), nl=False)
        return
    path = write_proposals(proposals, data_dir)
    counts = ", ".join(f"{len(v)} {k}" for k, v in proposals.sections.items())
    click.echo(f"wrote {path}: {counts or 'nothing to propose'}")


@click.command()
@click.argument("slug")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="The port on 127.0.0.1 [default: any free port]."
)
@data_dir_option
def review(slug: str, port: int, data_dir: Path | None) -> None:
    """Review a source's proposals in the browser: accept, edit, reject, or create from a selection.

    Serves on 127.0.0.1 only, at a URL with a random token (printed); every request must carry
    it. Accepted records go to data/records/SLUG/reviewed.yaml, validated first; rejected ones
    are remembered in data/proposals/SLUG.rejected.yaml. Stop with Ctrl+C.

    Example: zhanaozen-graph review amnesty-ua-2012-07-atabaev-released
    """
    from ..extract.review import ReviewSession
    from ..extract.review_server import serve_review

    session = ReviewSession(slug, data_dir)
    serve_review(session, port, ready=lambda url: click.echo(f"Review {slug} at {url}  (Ctrl+C to stop)"))


@click.command("import-label-studio")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("slug")
@data_dir_option
def import_label_studio(export: Path, slug: str, data_dir: Path | None) -> None:
    """Add the annotations of a Label Studio JSON export to a source's proposals.

    Each annotated span must be the stored text at its offsets. The annotations become proposals
    (data/proposals/SLUG.yaml), to accept or reject in `review`. Label Studio's labelling config:
    Labels named "label" (Person, Group, Organisation, Place, LegalProvision, Event, Claim, Date,
    Quantity) over a Text named "text".

    Example: zhanaozen-graph import-label-studio export.json amnesty-ua-2012-07-atabaev-released
    """
    from ..extract.labelstudio import from_label_studio

    added = from_label_studio(export, slug, data_dir)
    click.echo(f"added {len(added)} proposals from {export} to the proposals of {slug}")


COMMANDS = [add_source, propose, review, import_label_studio]
