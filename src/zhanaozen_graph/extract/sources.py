"""Add a new source document to the data directory: its text byte for byte and its metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import DataError
from ..graph.build import atomic_write
from ..records.dates import edtf_bounds
from ..records.load import SLUG, default_data_dir, load_dataset

__all__ = ["AddedSource", "add_source"]


@dataclass(frozen=True)
class AddedSource:
    """What :func:`add_source` wrote: the text file, the metadata file and the text's SHA-256."""

    id: str
    text_path: Path
    meta_path: Path
    sha256: str


def add_source(
    file: Path | str,
    slug: str,
    *,
    title: str,
    publisher: str,
    url: str | None = None,
    date: str | None = None,
    kind: str = "document",
    language: str = "en",
    rights: str | None = None,
    data_dir: Path | str | None = None,
    captured: dt.date | None = None,
) -> AddedSource:
    """Copy a document into ``data/sources/`` byte for byte and write its metadata.

    Parameters
    ----------
    file
        The document, a UTF-8 text file.
    slug
        The source's id: lowercase letters, digits and hyphens; the file stem of both files.
    title, publisher
        The document's title and the id (or exact alias) of the organisation that published it.
    url, date, kind, language, rights
        Where it came from, its date in EDTF (``2012-07``), what it is, its language and rights.
    data_dir
        The data directory (default: :func:`~zhanaozen_graph.records.load.default_data_dir`).
    captured
        The day the document was captured (default: today).

    Returns
    -------
    AddedSource
        The paths written and the SHA-256 of the text.

    Raises
    ------
    DataError
        For a malformed slug or date, an unknown publisher, a slug already used, a text that is not
        UTF-8, or a text already stored under another slug (same SHA-256).

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> from zhanaozen_graph.records.load import default_data_dir
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> shutil.copytree(default_data_dir(), d / "data")  # doctest: +ELLIPSIS
    PosixPath('...')
    >>> _ = (d / "note.txt").write_bytes(b"On 16 December 2011 police fired.\\n")
    >>> added = add_source(d / "note.txt", "note-2011", title="A note", publisher="amnesty-international",
    ...                    date="2011-12", data_dir=d / "data", captured=dt.date(2026, 11, 28))
    >>> added.text_path.read_bytes() == (d / "note.txt").read_bytes(), added.sha256[:12]
    (True, '89f7b4fa3a5f')
    >>> try:
    ...     add_source(d / "note.txt", "note-again", title="A note", publisher="amnesty-international",
    ...                data_dir=d / "data")
    ... except DataError as e:
    ...     print(e.message)
    the same text (SHA-256 89f7b4fa3a5f…) is already source 'note-2011'
    """
    src = Path(file)
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not SLUG.match(slug):
        raise DataError(
            f"malformed source id {slug!r}",
            hint="use lowercase letters, digits and hyphens, e.g. ngo-2011-12-20",
        )
    try:
        content = src.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read the document: {exc.strerror}", path=src) from exc
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"the document is not UTF-8 text (byte {exc.start})",
            path=src,
            hint="convert it to UTF-8 text first (e.g. iconv -t UTF-8, or pdftotext for a PDF)",
        ) from exc
    if date is not None:
        try:
            edtf_bounds(date)
        except Exception as exc:
            raise DataError(
                f"--date {date!r} is not an EDTF date", hint="write it as 2012, 2012-07 or 2012-07-04"
            ) from exc
    digest = hashlib.sha256(content).hexdigest()
    ds = load_dataset(root)
    sources = root / "sources"
    if slug in ds.sources or (sources / f"{slug}.txt").exists():
        raise DataError(
            f"a source {slug!r} already exists", path=sources / f"{slug}.yaml", hint="choose another id"
        )
    for other in ds.sources.values():
        if other.sha256 == digest:
            raise DataError(
                f"the same text (SHA-256 {digest[:12]}…) is already source {other.id!r}",
                path=src,
                hint=f"add records to data/records/{other.id}/ instead of adding the document twice",
            )
    pub = ds.resolve(publisher)
    if pub is None or ds.records[pub].kind != "Organisation":
        raise DataError(
            f"unknown publisher {publisher!r}",
            hint="name an organisation of data/register/ (declare it there first); " + ds.suggest(publisher),
        )
    meta: dict[str, object] = {
        "id": slug,
        "title": title,
        "publisher": pub,
        "kind": kind,
        "language": language,
        "file": f"{slug}.txt",
        "sha256": digest,
    }
    if url:
        meta["url"] = url
    else:
        meta["archive"] = f"copied by add-source from {src.name}"
    if rights:
        meta["rights"] = rights
    meta["captured"] = (captured or dt.date.today()).isoformat()
    if date is not None:
        meta["date"] = {"edtf": date}
    text_path, meta_path = sources / f"{slug}.txt", sources / f"{slug}.yaml"
    with atomic_write(text_path, "wb") as fh:
        fh.write(content)
    with atomic_write(meta_path) as fh:
        fh.write(f"# Source metadata written by add-source; the SHA-256 is of {slug}.txt as stored.\n")
        fh.write(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=110))
    return AddedSource(id=slug, text_path=text_path, meta_path=meta_path, sha256=digest)
