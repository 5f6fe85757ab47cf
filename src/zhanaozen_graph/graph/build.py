"""Build the graph from the records, write it atomically to ``build/``, and reuse an up-to-date build."""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..errors import BuildError, os_error_hint

__all__ = [
    "GRAPH_BASE",
    "BuildResult",
    "KnowledgeGraph",
    "RemoteGraph",
    "atomic_write",
    "build",
    "build_lock",
    "default_build_dir",
    "describe_rebuild",
    "file_table",
    "fingerprint",
    "load_graph",
    "store_differences",
    "table_digest",
    "write_jsonld",
    "write_store",
]

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
#: Every named graph of a build has an IRI that starts with this (one per source, ``combined``,
#: ``register``, ``external``, ``ontology``); a remote store may hold other graphs besides them.
GRAPH_BASE = "https://w3id.org/zhanaozen-graph/graph/"
# The quads of the build's named graphs, counted by SPARQL: the same number on every store, where
# Virtuoso's default graph also holds its system graphs.
_COUNT_QUADS = (
    f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }}'
)
NQUADS = "graph.nq"
# The persisted store: the N-Quads loaded once into an on-disk pyoxigraph (RocksDB) store, which a
# later command opens read-only in milliseconds instead of parsing the N-Quads again.
STORE = "store"
OUTPUTS = {
    "graph.ttl": ox.RdfFormat.TURTLE,
    "graph.nt": ox.RdfFormat.N_TRIPLES,
    "graph.trig": ox.RdfFormat.TRIG,
    NQUADS: ox.RdfFormat.N_QUADS,
    "graph.jsonld": ox.RdfFormat.JSON_LD,
}
_PACKAGE = Path(__file__).resolve().parents[1]
# The modules whose code shapes the built graph: a change to any of them invalidates cached builds.
_BUILD_MODULES = (
    "graph/build",
    "graph/chronology",
    "graph/ontology",
    "graph/rdf",
    "records/dates",
    "records/evidence",
    "records/load",
    "records/model",
    "records/validate",
)


def default_build_dir(data_dir: Path | str | None = None) -> Path:
    """The build directory: ``$ZHANAOZEN_BUILD``, else ``build/`` beside the data directory.

    Parameters
    ----------
    data_dir
        The data directory actually used; defaults to
        :func:`~zhanaozen_graph.records.load.default_data_dir`.

    Examples
    --------
    >>> import os
    >>> os.environ.get("ZHANAOZEN_BUILD") or str(default_build_dir("/tmp/project/data"))
    '/tmp/project/build'
    """
    env = os.environ.get("ZHANAOZEN_BUILD")
    if env:
        return Path(env)
    from ..records.load import default_data_dir

    data = Path(data_dir) if data_dir is not None else default_data_dir()
    return data.resolve().parent / "build"


# A file whose stat changed less than this long before it was recorded may still change within the
# file system's clock tick without its stat changing ("racily clean" in git's words): it is hashed again.
_RACY_NS = 2_000_000_000


def _stat_key(st: os.stat_result) -> list[int]:
    # ctime cannot be set from user space (``touch -d``, ``cp -p`` and ``rsync -t`` set only mtime), so
    # a rewrite that restores a file's size and mtime still changes its key.
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def file_table(data_dir: Path, known: Mapping[str, Any] | None = None) -> dict[str, list[Any]]:
    """Every file a build depends on, with its stat and SHA-256: the data files, the model and the builder's code.

    A file whose size, mtime, ctime and inode are those ``known`` recorded (the table of the last
    build, in its manifest) is not read again: its recorded digest is taken. Opening a build of 2,000
    documents (16,000 files, 193 MB) thus costs a ``stat`` per file instead of reading them all.

    Parameters
    ----------
    data_dir
        The data directory.
    known
        A table this function returned before (``manifest["files"]``), or None to hash every file.

    Returns
    -------
    dict
        ``{name: [size, mtime_ns, ctime_ns, inode, sha256]}``, names relative to the data directory
        (``package:`` and the path in the package for the model and the code); the stat is ``None``
        for a file changed within two seconds of being read, so that it is always hashed again.

    Examples
    --------
    >>> from zhanaozen_graph.records.load import default_data_dir
    >>> table = file_table(default_data_dir())
    >>> size, mtime, ctime, inode, digest = table["package:graph/build.py"]
    >>> len(digest), file_table(default_data_dir(), table) == table
    (64, True)
    """
    named = list(_data_files(str(data_dir), ""))
    code = [_PACKAGE / f"{name}.py" for name in _BUILD_MODULES] + sorted((_PACKAGE / "model").glob("*.yaml"))
    named += [(f"package:{p.relative_to(_PACKAGE).as_posix()}", str(p), p.stat()) for p in code]
    known = known or {}
    table: dict[str, list[Any]] = {}
    now = time.time_ns()
    for name, p, st in named:
        before = known.get(name)
        if isinstance(before, list) and len(before) == 5 and before[:4] == _stat_key(st):
            table[name] = before
            continue
        with open(p, "rb") as fh:
            key = _stat_key(os.fstat(fh.fileno()))
            h = hashlib.sha256()
            while block := fh.read(1 << 20):  # in blocks: memory stays bounded whatever the size of a file
                h.update(block)
            after = _stat_key(os.fstat(fh.fileno()))
        fresh = after == key and now - max(key[1], key[2]) > _RACY_NS
        table[name] = [*key, h.hexdigest()] if fresh else [None, None, None, None, h.hexdigest()]
    return table


def _data_files(root: str, prefix: str) -> Iterator[tuple[str, str, os.stat_result]]:
    """The ``.yaml``, ``.yml`` and ``.txt`` files under ``root``: their name under it, path and stat.

    Links to files are followed, links to directories are not (as ``Path.rglob`` did; no loops).
    Plain strings, not ``Path``: at 16,000 files pathlib alone took 0.2 s.
    """
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):  # as rglob: no files; loading the data says what is wrong
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _data_files(entry.path, f"{prefix}{entry.name}/")
        elif entry.name.endswith((".yaml", ".yml", ".txt")) and entry.is_file():
            yield f"{prefix}{entry.name}", entry.path, entry.stat()


def table_digest(table: Mapping[str, list[Any]]) -> str:
    """The fingerprint of a :func:`file_table`: a hash of its names and their files' digests.

    Examples
    --------
    >>> table_digest({"a.yaml": [1, 2, 3, 4, "00"]}) == table_digest({"a.yaml": [5, 6, 7, 8, "00"]})
    True
    """
    h = hashlib.sha256()
    for name in sorted(table):
        h.update(f"{name}\0{table[name][4]}\n".encode())
    return h.hexdigest()


def fingerprint(data_dir: Path, known: Mapping[str, Any] | None = None) -> str:
    """A hash of everything a build depends on: the data files, the model and the builder's code.

    With ``known`` (a :func:`file_table`, as a build records it in its manifest), only the files whose
    stat changed since are read (see :func:`file_table`).

    Examples
    --------
    >>> from zhanaozen_graph.records.load import default_data_dir
    >>> len(fingerprint(default_data_dir()))
    64
    """
    return table_digest(file_table(data_dir, known))


@contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path`` and rename it into place only on success.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p) as f:
    ...     _ = f.write("done")
    >>> p.read_text()
    'done'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual permissions
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class KnowledgeGraph:
    """The built graph in a pyoxigraph store, queried with the union of all named graphs as default.

    Examples
    --------
    >>> kg = load_graph()
    >>> kg.ask("ASK { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }")
    True
    """

    def __init__(
        self, store: ox.Store, manifest: dict[str, Any] | None = None, path: Path | None = None
    ) -> None:
        self.store = store
        self.manifest = manifest or {}
        self.path = path

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None) -> Any:
        """Run SPARQL on the store (union default graph); ``substitutions`` bind variables to terms."""
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        return self.store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of Python values (strings, ints, dates); unbound is None."""
        result = self.query(sparql, bindings or None)
        names = [v.value for v in result.variables]
        return [{n: _py(row[n]) for n in names} for row in result]

    def ask(self, sparql: str) -> bool:
        """The answer of an ASK query."""
        return bool(self.query(sparql))

    def __len__(self) -> int:
        return len(self.store)

    def count_quads(self) -> int:
        """The quads in the build's named graphs (those under :data:`GRAPH_BASE`), counted by SPARQL.

        The same count on a local build and on a store the graph was pushed to, whatever else that
        store holds.

        Examples
        --------
        >>> kg = load_graph()
        >>> kg.count_quads() == len(kg)
        True
        """
        return int(self.select(_COUNT_QUADS)[0]["n"])

    @property
    def where(self) -> str:
        """Where the graph is read from, for messages: the build directory or the endpoint's URL."""
        return str(self.path) if self.path is not None else "memory"

    def rdflib_graph(self) -> Any:
        """Rdflib's API over this very store (oxrdflib), without copying: a union-default ``Dataset``.

        Pass SPARQL to its ``query()`` as a string: oxrdflib runs a prepared query object with
        rdflib's own, much slower engine.

        Examples
        --------
        >>> ds = load_graph().rdflib_graph()
        >>> ds.query("ASK { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }").askAnswer
        True
        """
        import rdflib
        from oxrdflib import OxigraphStore

        return rdflib.Dataset(store=OxigraphStore(store=self.store), default_union=True)

    def to_rdflib(self) -> Any:
        """The graph as an rdflib ``Dataset`` (one named graph per source), for users of rdflib's API.

        Read from the build's N-Quads when there is one, so that every literal is as the builder
        wrote it (the store normalises some, see :func:`store_differences`).
        """
        import rdflib

        ds = rdflib.Dataset()
        nquads = self.path / NQUADS if self.path is not None else None
        if nquads is not None and nquads.is_file():
            ds.parse(source=str(nquads), format="nquads")
        else:
            ds.parse(data=self.store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        return ds

    def exact_quads(self) -> Iterator[ox.Quad]:
        """The quads as the builder wrote them (the N-Quads file), else as the store holds them."""
        nquads = self.path / NQUADS if self.path is not None else None
        if nquads is not None and nquads.is_file():
            yield from ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        else:
            yield from self.store


class RemoteGraph(KnowledgeGraph):
    """The graph in a remote SPARQL 1.1 endpoint, with the read interface of :class:`KnowledgeGraph`.

    Every read goes through SPARQL over HTTP: :meth:`select`, :meth:`ask`, :meth:`count_quads`.
    The endpoint's default graph must be the union of its named graphs (Oxigraph
    ``--union-default-graph``, Virtuoso by default, Fuseki ``unionDefaultGraph``; docs/sparql.md).
    There is no local store and no build directory: :attr:`store` and :meth:`to_rdflib` say so
    instead of reading something local.

    Examples
    --------
    >>> g = RemoteGraph("http://user:secret@127.0.0.1:9/query", timeout=5)
    >>> g.where, g.path is None
    ('http://127.0.0.1:9/query', True)
    >>> g.ask("ASK {}")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    QueryError: cannot reach http://127.0.0.1:9/query: [Errno 111] Connection refused; check the URL and that the server is running
    """

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        from .endpoint import SparqlClient

        self.client = SparqlClient(url, user, password, timeout)
        self.manifest = {"endpoint": self.client.url}
        self.path = None

    @property  # no local store: reading it is an error, never a stand-in
    def store(self) -> ox.Store:  # type: ignore[override]
        """There is none: raises :class:`AttributeError` (a remote graph is read only through SPARQL)."""
        raise AttributeError(f"the graph at {self.client.url} is remote: it has no local store; use select()")

    @property
    def where(self) -> str:
        """The endpoint's URL (without credentials)."""
        return self.client.url

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None) -> Any:
        """Run a SELECT or ASK query at the endpoint; ``substitutions`` become a trailing ``VALUES``."""
        if substitutions:
            names = " ".join(f"?{k}" for k in substitutions)
            terms = " ".join(str(v) for v in substitutions.values())
            sparql = f"{sparql}\nVALUES ({names}) {{ ({terms}) }}"
        return self.client.solutions(sparql)

    def __len__(self) -> int:
        return self.count_quads()

    def to_rdflib(self) -> Any:
        """Not available: a remote graph is not copied; query it, or push and build locally."""
        raise BuildError(
            f"the graph at {self.client.url} is remote and is not copied into rdflib",
            hint="query it with select(), or load the local build with load_graph()",
        )

    def exact_quads(self) -> Iterator[ox.Quad]:
        """Not available: the quads of a remote graph are not downloaded."""
        raise BuildError(f"the graph at {self.client.url} is remote; its quads are not downloaded")

    def rdflib_graph(self) -> Any:
        """Not available: there is no local store to wrap."""
        raise BuildError(f"the graph at {self.client.url} is remote; there is no local store to wrap")


def _py(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        if dtype.endswith("#integer") or dtype.endswith("#nonNegativeInteger"):
            return int(term.value)
        return term.value
    return term.value


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    out_dir: Path
    files: dict[str, Path]
    triples: int
    quads: int
    seconds: float
    counts: dict[str, int]
    #: True when the previous build and its cache were reused (see :func:`build`).
    incremental: bool = False
    #: The named graphs whose quads differ from the previous build's (all of them in a full build).
    changed: tuple[str, ...] = ()
    #: The named graphs of the previous build that this one no longer has.
    removed: tuple[str, ...] = ()
    #: How many named graphs the build wrote.
    graphs: int = 0
    #: Why the build was full, or how the store was made in an incremental one (for messages).
    why: str = ""
    #: How many serialisations (TriG, Turtle, JSON-LD of a run) were taken from the build cache.
    reused: int = 0


def _counts(report: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in report.dataset.records.values():
        counts[r.kind] = counts.get(r.kind, 0) + 1
    counts["Source"] = len(report.dataset.sources)
    counts["Quote"] = len(
        {(e.source, e.match.start, e.match.end) for evs in report.evidence.values() for e in evs}
        | {(e.source, e.match.start, e.match.end) for e in report.quantity_evidence.values()}
    )
    return counts


def build(
    data_dir: Path | str | None = None,
    out_dir: Path | str | None = None,
    *,
    shacl: bool = True,
    allow_empty: bool = False,
    full: bool = False,
) -> BuildResult:
    """Check the records, build the graph and write it to ``out_dir`` in five formats.

    Writes ``graph.ttl``, ``graph.nt``, ``graph.jsonld`` (with a context), ``graph.trig``,
    ``graph.nq``, ``store/`` and ``manifest.json`` into a fresh directory beside ``out_dir`` and swaps
    it in as a whole: on any error, Ctrl-C, ``kill -9`` or a full disk the previous build stays exactly
    as it was, and the next build removes what a dead one left. Concurrent builds of one directory wait
    for each other.

    A build is incremental when ``out_dir`` holds a previous build of the same code and model: the
    runs of quads whose digest is unchanged take their TriG, Turtle and JSON-LD from the build cache
    (``cache/``), the store is a checkpoint of the previous one with only the changed named graphs
    replaced, and SHACL checks only what the change can affect (if the previous build was checked).
    Every file and the store are the same as a full build's (``tests/test_build_incremental.py``).

    Parameters
    ----------
    data_dir
        The data directory (``sources/`` and ``records/``).
    out_dir
        Where to write; defaults to :func:`default_build_dir`.
    shacl
        Validate the graph against the SHACL shapes before writing (refuses invalid data).
    allow_empty
        Build even when the data directory holds no source document.
    full
        Ignore the previous build and its cache: serialise every run, load the store from scratch and
        validate the whole graph.

    Raises
    ------
    DataError
        The records break a rule (the first problem, with file and line).
    BuildError
        The graph breaks the SHACL shapes, or cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> result = build(out_dir=out)
    >>> sorted(result.files)
    ['graph.jsonld', 'graph.nq', 'graph.nt', 'graph.trig', 'graph.ttl', 'manifest.json', 'store']
    >>> result.incremental, build(out_dir=out).incremental, build(out_dir=out).changed
    (False, True, ())
    """
    from ..records.load import default_data_dir, load_dataset
    from ..records.validate import check_dataset, empty_dataset_error
    from .cache import CACHE
    from .rdf import iter_graph_chunks

    start = time.perf_counter()
    data = Path(data_dir) if data_dir is not None else default_data_dir()
    out = Path(out_dir) if out_dir is not None else default_build_dir(data)
    _check_build_dir(out)  # before any work is done
    files_read = file_table(data)  # the files as they are read now; checked again before the swap
    digest = table_digest(files_read)
    prefixes = _prefixes()
    code = _code_digest()
    files: dict[str, Path] = {}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(out):
            _clean_leftovers(out)
            previous, why = (None, "--full was given") if full else _previous_generation(out, code)
            # Everything is written into a fresh directory beside ``out`` and swapped in as a whole:
            # an error, Ctrl-C, kill -9 or a full disk leaves the previous build exactly as it was.
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}{_NEW}", dir=out.parent))
            try:
                os.chmod(tmp, 0o777 & ~_umask())
                # The records stage's own cache (records/cache.py) is in the build's cache/ folder: the
                # previous build's entries are hard-linked into the new one, which adds its own (a
                # failed build thus leaves the previous one untouched). --full starts it empty.
                records_cache = tmp / CACHE / RECORDS_CACHE
                if not full and (out / MANIFEST).is_file():
                    _carry_records(out / CACHE / RECORDS_CACHE, records_cache)
                ds = load_dataset(data, cache_dir=records_cache)
                empty = None if allow_empty else empty_dataset_error(ds)
                if empty is not None:
                    raise empty
                report = check_dataset(ds, cache_dir=records_cache)
                report.raise_first()
                counts = _counts(report)
                # SHACL on what changed needs a previous build that was checked, and its store.
                changed_only = (
                    shacl and previous is not None and previous.shacl and previous.store is not None
                )
                if shacl and not changed_only:
                    _check_shacl(iter_graph_chunks(report))
                # The runs of quads hold the records (and the builder) only until the last is written:
                # the store's bulk load, which follows, then has their memory.
                runs = iter_graph_chunks(report)
                del report, ds
                written = _write_outputs(
                    runs,
                    tmp,
                    prefixes,
                    previous=previous,
                    code=code,
                    digest=digest,
                    shacl_changed=changed_only,
                )
                files.update({name: out / name for name in OUTPUTS})
                files[STORE] = out / STORE
                seconds = time.perf_counter() - start
                if fingerprint(data, files_read) != digest:
                    raise BuildError(
                        "the data changed while the graph was being built",
                        path=data,
                        hint="build again once the files are saved",
                    )
                manifest: dict[str, Any] = {
                    "fingerprint": digest,
                    "store_fingerprint": digest,
                    "data_dir": str(data.resolve()),
                    "triples": written.triples,
                    "quads": written.quads,
                    "counts": counts,
                    "files": files_read,
                    "seconds": round(seconds, 3),
                    "shacl": shacl,
                    "outputs": written.outputs,
                }
                with open(tmp / MANIFEST, "w", encoding="utf-8") as fh:
                    json.dump(manifest, fh, indent=2, sort_keys=True)
                files[MANIFEST] = out / MANIFEST
                _carry_over(out, tmp)
                _sync_tree(tmp)
                _swap_in(tmp, out)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)  # the half-written build, or the replaced one
    except OSError as exc:
        raise BuildError(
            f"cannot write the build: {exc.strerror}", path=out, hint=os_error_hint(exc)
        ) from exc
    log.info("built %d triples (%d quads) in %.2f s into %s", written.triples, written.quads, seconds, out)
    return BuildResult(
        out_dir=out,
        files=files,
        triples=written.triples,
        quads=written.quads,
        seconds=seconds,
        counts=manifest["counts"],
        incremental=previous is not None,
        changed=written.changed,
        removed=written.removed,
        graphs=written.graphs,
        why=why,
        reused=written.reused,
    )


def describe_rebuild(result: BuildResult, *, full: bool = False) -> str:
    """One line: was the build incremental, which named graphs it wrote anew and why.

    Examples
    --------
    >>> r = BuildResult(Path("b"), {}, 0, 0, 0.0, {}, incremental=True, graphs=6,
    ...                 changed=(GRAPH_BASE + "report-1", GRAPH_BASE + "register"))
    >>> describe_rebuild(r)
    'incremental build: 2 of 6 named graphs changed (report-1, register), the 4 others reused from the cache'
    >>> describe_rebuild(BuildResult(Path("b"), {}, 0, 0, 0.0, {}, why="there is no previous build"))
    'full build: there is no previous build'
    """
    if not result.incremental:
        return "full build: " + ("--full was given" if full else result.why)

    def names(graphs: tuple[str, ...]) -> str:
        short = [g.removeprefix(GRAPH_BASE) for g in graphs]
        more = f" and {len(short) - 8} more" if len(short) > 8 else ""
        return ", ".join(short[:8]) + more

    line = f"incremental build: {len(result.changed)} of {result.graphs} named graphs changed"
    if result.changed:
        line += f" ({names(result.changed)})"
    if result.removed:
        line += f", {len(result.removed)} removed ({names(result.removed)})"
    line += f", the {result.graphs - len(result.changed)} others reused from the cache"
    return line + (f"; {result.why}" if result.why else "")


RECORDS_CACHE = "records"


def _carry_records(old: Path, new: Path) -> None:
    """Hard-link the records cache of this code version from the previous build into the new one."""
    from ..records.cache import RecordsCache

    current = RecordsCache(old).root  # records-<code version>: those of other versions are left behind
    if not current.is_dir():
        return
    try:
        shutil.copytree(current, new / current.name, symlinks=True, copy_function=_link_or_copy)
    except (OSError, shutil.Error) as exc:  # only a cache: the next build reads the records again
        log.warning("the records cache was not carried into the new build: %s", exc)


def _check_shacl(runs: Iterable[list[ox.Quad]]) -> None:
    from .shacl import validate_quads

    # validate_quads reads its quads once: the runs are made again for it, never held as one list.
    report = validate_quads(q for run in runs for q in run)
    if not report.conforms:
        raise BuildError(
            f"the graph breaks {len(report.results)} SHACL constraint(s): {report.results[0]}",
            hint="run `zhanaozen-graph validate` for the full report",
        )


def _code_digest() -> str:
    """A hash of what shapes the serialisations besides the quads: the builder's code, the model, pyoxigraph."""
    h = hashlib.sha256(ox.__version__.encode() if hasattr(ox, "__version__") else b"")
    for p in [
        *(_PACKAGE / f"{name}.py" for name in (*_BUILD_MODULES, "graph/cache", "graph/shacl")),
        *sorted((_PACKAGE / "model").glob("*.yaml")),
    ]:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class _Previous:
    """The previous generation of a build directory, as far as an incremental build reuses it."""

    cache: Path
    store: Path | None  # None: its store cannot be trusted; the new one is loaded from scratch
    graphs: dict[str, list[str]]  # named graph -> the keys of its runs, in order
    shacl: bool  # it was validated against the SHACL shapes as a whole


def _previous_generation(out: Path, code: str) -> tuple[_Previous | None, str]:
    """What of ``out`` an incremental build can reuse (called under the lock), or None; and why, in words."""
    from .cache import CACHE, INDEX

    if not (out / MANIFEST).is_file():
        return None, f"there is no previous build in {out}"
    try:
        manifest = json.loads((out / MANIFEST).read_text("utf-8"))
        index = json.loads((out / CACHE / INDEX).read_text("utf-8"))
    except (OSError, ValueError):
        return None, f"the previous build in {out} has no readable build cache"
    graphs = index.get("graphs") if isinstance(index, dict) else None
    if (
        not isinstance(manifest, dict)
        or not isinstance(graphs, dict)
        or index.get("code") != code
        or not all(isinstance(k, list) and all(isinstance(x, str) for x in k) for k in graphs.values())
    ):
        return None, f"the build cache in {out} is of other code or a model, or not one a build wrote"
    store: Path | None = out / STORE
    try:
        usable = (
            manifest.get("store_fingerprint") == manifest.get("fingerprint") == index.get("fingerprint")
            and isinstance(manifest.get("quads"), int)
            and len(ox.Store.read_only(str(store))) == manifest["quads"]
        )
    except OSError:
        usable = False
    why = ""
    if not usable:
        log.warning("the store in %s is not the one its build wrote: loading it from scratch", out)
        store = None
        why = "the store was loaded from scratch (the previous one is not the one its build wrote)"
    return _Previous(out / CACHE, store, graphs, manifest.get("shacl") is True), why


@dataclass(frozen=True)
class _Written:
    triples: int
    quads: int
    outputs: dict[str, dict[str, Any]]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    graphs: int
    reused: int


class _Hashing:
    """A binary file that keeps the SHA-256 and the size of what is written to it."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.sha.update(data)
        self.size += len(data)

    def digest(self) -> dict[str, Any]:
        return {"bytes": self.size, "sha256": self.sha.hexdigest()}


def _jsonld_head(prefixes: dict[str, str]) -> bytes:
    return (
        json.dumps({"@context": dict(prefixes)}, ensure_ascii=False, separators=(",", ":")).encode()[:-1]
        + b',"@graph":['
    )


def _jsonld_graph_open(name: str) -> bytes:
    return b'{"@id":' + json.dumps(name, ensure_ascii=False, separators=(",", ":")).encode() + b',"@graph":['


def _jsonld_body(run: list[ox.Quad], graph: str, prefixes: dict[str, str], head: bytes) -> bytes:
    """The node objects of one run (one named graph) as :func:`write_jsonld` writes them, joined by commas."""
    buffer = io.BytesIO()
    write_jsonld(run, prefixes, buffer)
    text = buffer.getvalue()
    opening = head + _jsonld_graph_open(graph)
    if not (text.startswith(opening) and text.endswith(b"]}]}")):
        raise BuildError("the JSON-LD writer wrote an unexpected document", hint="report this as a bug")
    return text[len(opening) : -4]


def _write_outputs(
    runs: Iterable[list[ox.Quad]],
    tmp: Path,
    prefixes: dict[str, str],
    *,
    previous: _Previous | None = None,
    code: str = "",
    digest: str = "",
    shacl_changed: bool = False,
) -> _Written:
    """Write the five formats, the store and the build cache into ``tmp`` in one pass over ``runs`` of quads.

    Each run (a source's graph, or a run of register records: see
    :func:`~.rdf.iter_graph_chunks`) is written at once to ``graph.nq`` as it is, and its SHA-256 is
    its key in the build cache (:mod:`.cache`); :class:`_Formats` writes it to the four other files.
    After the last run the store is bulk-loaded from ``graph.nq`` (or, with ``previous``, copied from
    its store with the changed named graphs replaced); the timeline index is assembled from it
    (:mod:`.chronology`), added to it and written to every file as the last graph.

    A full build of more than :data:`_PARALLEL_QUADS` quads hands the other files to one more Python
    process and the store to another (:class:`_Worker`), fed each run's N-Quads through a pipe: on two
    cores they are written while this process makes the quads. Everything they write is byte for byte
    what this process would write.
    """
    from .chronology import INDEX_GRAPH, assemble_timeline, index_quads

    old_cache = previous.cache if previous is not None else None
    nq_path = tmp / NQUADS
    n_quads = 0
    graphs: dict[str, list[str]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}  # named graph -> its byte ranges in graph.nq
    full = previous is None or previous.store is None
    formats: _Formats | _Worker | None = None
    store: _Worker | None = None
    pending: list[tuple[bytes, str, str]] = []

    with contextlib.ExitStack() as stack:
        nq_fh = _Hashing(stack.enter_context(open(nq_path, "wb")))

        def nquads(nq: bytes, name: Any) -> tuple[bytes, str, str]:
            nonlocal n_quads
            if not isinstance(name, ox.NamedNode):  # every run of a build is in a named graph
                raise BuildError(
                    f"a run of quads in {name} is not in a named graph", hint="report this as a bug"
                )
            key = hashlib.sha256(nq).hexdigest()
            graphs.setdefault(name.value, []).append(key)
            at = nq_fh.size
            nq_fh.write(nq)
            spans.setdefault(name.value, []).append((at, nq_fh.size))
            n_quads += nq.count(b"\n")
            return nq, key, name.value

        for run in runs:
            if not run:
                continue
            item = nquads(ox.serialize(run, format=ox.RdfFormat.N_QUADS) or b"", run[0].graph_name)
            if formats is not None:
                formats.send(item)
                if store is not None:
                    store.send(item)
                continue
            pending.append(item)
            if full and n_quads > _PARALLEL_QUADS:
                formats = stack.enter_context(_Worker("formats", tmp, prefixes, old_cache, code))
                store = stack.enter_context(_Worker("store", tmp, prefixes, old_cache, code))
                for item in pending:
                    formats.send(item)
                    store.send(item)
                pending = []
        if formats is None:  # a small or an incremental build: the other files are written here
            formats = stack.enter_context(_Formats(tmp, prefixes, old_cache, code))
            for item in pending:
                formats.send(item)
        nq_fh.fh.flush()
        changed = sorted(
            g
            for g in graphs
            if g != INDEX_GRAPH and (previous is None or previous.graphs.get(g) != graphs[g])
        )
        removed = sorted(
            g for g in (previous.graphs if previous else {}) if g not in graphs and g != INDEX_GRAPH
        )
        if store is not None:
            store.finish({})  # loaded, compacted and indexed: the index's quads come back in a file
            index_nq = (tmp / _INDEX_RUN).read_bytes()
            (tmp / _INDEX_RUN).unlink()
        else:
            index: list[ox.Quad] = []
            if full:

                def add_index(store: ox.Store) -> list[ox.Quad]:
                    index.extend(index_quads(assemble_timeline(KnowledgeGraph(store))))
                    return index

                write_store(nq_path, tmp / STORE, derive=add_index)
            else:
                assert previous is not None
                index = _update_store(
                    previous,
                    tmp / STORE,
                    nq_path,
                    spans,
                    [*changed, *removed],
                    shacl=shacl_changed,
                )
            index_nq = ox.serialize(index, format=ox.RdfFormat.N_QUADS) or b""
        formats.send(nquads(index_nq, ox.NamedNode(INDEX_GRAPH)))
        done = formats.finish({"graphs": graphs, "fingerprint": digest})
        outputs = {**done["outputs"], NQUADS: nq_fh.digest()}
    outputs = {name: outputs[name] for name in OUTPUTS}
    return _Written(
        int(done["triples"]), n_quads, outputs, tuple(changed), tuple(removed), len(graphs), int(done["hits"])
    )


# Above this many quads a full build writes the formats and the store in two more processes (about 16
# synthetic documents; the fixtures and the real data stay in one process, where starting interpreters
# would cost more than it saves).
_PARALLEL_QUADS = 100_000
# The file in which the store's process hands back the quads of the timeline index (N-Quads).
_INDEX_RUN = ".index.nq"


class _Formats:
    """TriG, N-Triples, Turtle and JSON-LD from runs of N-Quads, with the build cache, as ``graph.nq`` goes.

    Each run is ``(N-Quads, key, graph)``, one named graph. TriG takes it as it is (its ``@prefix``
    lines once), N-Triples and Turtle the triples no earlier run held (a 16-byte digest of each triple
    written is all that is kept: a line of N-Triples is the run's N-Quads line without the graph),
    JSON-LD the node objects of its graph. TriG, Turtle and JSON-LD come from the cache of the
    previous generation when it holds the run's key, else they are made (the run parsed once) and
    kept for the next build. :meth:`finish` closes the files and saves the cache's index.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> nq = b'<http://a> <http://b> "c" <http://g> .\\n'
    >>> with _Formats(out, {}, None, "v1") as formats:
    ...     formats.send((nq, hashlib.sha256(nq).hexdigest(), "http://g"))
    ...     formats.finish({})["triples"]
    1
    >>> (out / "graph.nt").read_text()
    '<http://a> <http://b> "c" .\\n'
    """

    def __init__(self, out: Path, prefixes: dict[str, str], old_cache: Path | None, code: str) -> None:
        from .cache import CACHE, BuildCache

        self.prefixes = prefixes
        self.cache = BuildCache(old_cache, out / CACHE, code)
        self.stack = contextlib.ExitStack()
        self.fh = {
            name: _Hashing(self.stack.enter_context(open(out / name, "wb")))  # noqa: SIM115 - entered into self.stack, closed by finish()
            for name in OUTPUTS
            if name != NQUADS
        }
        self.seen: set[bytes] = set()
        self.triples = 0
        self.headers: dict[ox.RdfFormat, bytes] = {}
        self.head = _jsonld_head(prefixes)
        self.graph: str | None = None
        self.first = True
        self.fh["graph.jsonld"].write(self.head)

    def __enter__(self) -> _Formats:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.close()

    def without_prefixes(self, fmt: ox.RdfFormat, text: bytes) -> bytes:
        # Each run is serialised on its own, with the @prefix lines again: they are written once.
        lines = text.split(b"\n", len(self.prefixes))
        header = b"\n".join(lines[: len(self.prefixes)]) + b"\n"
        if fmt not in self.headers:
            self.headers[fmt] = header
            return text
        return text[len(header) :] if header == self.headers[fmt] else text

    def made(self, kind: str, key: str, make: Callable[[], bytes]) -> bytes:
        data = self.cache.get(kind, key)
        if data is None:
            data = make()
            self.cache.put(kind, key, data)
        return data

    def send(self, item: tuple[bytes, str, str]) -> None:
        """Write one run: its N-Quads, their SHA-256 (the cache key) and its named graph."""
        nq, key, graph = item
        fh, prefixes = self.fh, self.prefixes
        parsed: list[list[ox.Quad]] = []

        def run() -> list[ox.Quad]:  # parsed only if an entry is made
            if not parsed:
                parsed.append(list(ox.parse(nq, format=ox.RdfFormat.N_QUADS)))
            return parsed[0]

        trig = self.made(
            "trig", key, lambda: ox.serialize(run(), format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""
        )
        fh["graph.trig"].write(self.without_prefixes(ox.RdfFormat.TRIG, trig))
        # A run is of one named graph: its N-Triples lines are its N-Quads lines without the graph.
        suffix = b" <" + graph.encode() + b"> .\n"
        lines = nq.splitlines(keepends=True)
        assert all(line.endswith(suffix) for line in lines)
        cut = len(suffix)
        new_lines = []
        for line in lines:
            nt_line = line[:-cut] + b" .\n"
            digest = hashlib.blake2b(nt_line, digest_size=16).digest()
            if digest not in self.seen:
                self.seen.add(digest)
                new_lines.append(nt_line)
        nt = b"".join(new_lines)
        fh["graph.nt"].write(nt)
        if new_lines:
            ttl = self.made(
                "ttl",
                hashlib.sha256(nt).hexdigest(),
                lambda: (
                    ox.serialize(
                        ox.parse(nt, format=ox.RdfFormat.N_TRIPLES),
                        format=ox.RdfFormat.TURTLE,
                        prefixes=prefixes,
                    )
                    or b""
                ),
            )
            fh["graph.ttl"].write(self.without_prefixes(ox.RdfFormat.TURTLE, ttl))
        self.triples += len(new_lines)
        body = self.made("jsonld", key, lambda: _jsonld_body(run(), graph, prefixes, self.head))
        if graph != self.graph:
            if self.graph is not None:
                fh["graph.jsonld"].write(b"]},")
            fh["graph.jsonld"].write(_jsonld_graph_open(graph))
            self.graph, self.first = graph, True
        if body:
            fh["graph.jsonld"].write((b"" if self.first else b",") + body)
            self.first = False

    def finish(self, extra: dict[str, Any]) -> dict[str, Any]:
        """Close the files, save the cache's index with ``extra``; the triples, the files' digests, the cache hits."""
        self.fh["graph.jsonld"].write(b"]}]}" if self.graph is not None else b"]}")
        self.stack.close()
        self.seen.clear()
        self.cache.save(extra)
        outputs = {name: f.digest() for name, f in self.fh.items()}
        return {"triples": self.triples, "outputs": outputs, "hits": self.cache.hits}


class _Worker:
    """One more Python process of the build, fed runs through a pipe (see :func:`_worker_main`).

    ``formats`` runs :class:`_Formats`; ``store`` loads the store (:func:`write_store`), adds the
    timeline index and writes the index's quads to :data:`_INDEX_RUN`. A fresh interpreter (not a
    fork: the records of the build stay unshared), importing this package from where this process
    did. :meth:`finish` raises the OSError the process met (a full disk) or a BuildError; leaving the
    ``with`` block stops a process that is still running.
    """

    def __init__(
        self, task: str, out: Path, prefixes: dict[str, str], old_cache: Path | None, code: str
    ) -> None:
        src = str(Path(__file__).resolve().parents[2])
        launch = (
            f"import sys; sys.path.insert(0, {src!r}); "
            "from zhanaozen_graph.graph.build import _worker_main; _worker_main()"
        )
        args = [task, str(out), json.dumps(prefixes), str(old_cache or ""), code]
        self.proc = subprocess.Popen(
            [sys.executable, "-c", launch, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.task = task
        self.broken = False

    def __enter__(self) -> _Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()

    def _frame(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        if not self.broken:
            try:
                self.proc.stdin.write(len(data).to_bytes(8, "big") + data)
            except BrokenPipeError:
                self.broken = True  # it stopped: finish() says why

    def send(self, item: tuple[bytes, str, str]) -> None:
        nq, key, graph = item
        if self.task == "store":
            self._frame(b"R" + nq)
        else:
            self._frame(b"R" + key.encode() + len(graph.encode()).to_bytes(4, "big") + graph.encode() + nq)

    def finish(self, extra: dict[str, Any]) -> dict[str, Any]:
        """Tell the process that the runs are over (with ``extra`` for the cache) and wait for its answer."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._frame(b"E" + json.dumps(extra).encode())
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.close()
        answer = self.proc.stdout.read()
        code = self.proc.wait()
        try:
            status: dict[str, Any] = json.loads(answer.decode("utf-8").strip().splitlines()[-1])
        except (ValueError, IndexError):
            status = {"error": f"a process of the build exited with code {code}"}
        if "error" not in status and "errno" not in status and code == 0:
            return status
        if "errno" in status:
            raise OSError(status["errno"], status["strerror"], status.get("filename"))
        raise BuildError(f"cannot write the build: {status['error']}")


def _worker_main() -> None:
    """The process of :class:`_Worker`: runs from stdin, one line of JSON to stdout."""
    import signal

    from .chronology import assemble_timeline, index_quads

    # Ctrl-C reaches the whole process group: the build stops this process itself (no second traceback).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    task, out, prefixes = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    old_cache, code = (Path(sys.argv[4]) if sys.argv[4] else None), sys.argv[5]
    stdin = sys.stdin.buffer
    extra: dict[str, Any] = {}

    def frames() -> Iterator[bytes]:
        while True:
            size = int.from_bytes(stdin.read(8), "big")
            data = stdin.read(size)
            if not size or len(data) != size:
                raise EOFError("the build stopped sending")
            if data[:1] == b"E":
                extra.update(json.loads(data[1:]))
                return
            yield data[1:]

    def add_index(store: ox.Store) -> list[ox.Quad]:
        index = index_quads(assemble_timeline(KnowledgeGraph(store)))
        (out / _INDEX_RUN).write_bytes(ox.serialize(index, format=ox.RdfFormat.N_QUADS) or b"")
        return index

    try:
        if task == "formats":
            with _Formats(out, prefixes, old_cache, code) as formats:
                for data in frames():
                    size = int.from_bytes(data[64:68], "big")
                    formats.send((data[68 + size :], data[:64].decode(), data[68 : 68 + size].decode()))
                status: dict[str, Any] = formats.finish(extra)
        else:
            write_store(frames(), out / STORE, derive=add_index)
            status = {"store": STORE}
    except OSError as exc:
        status = {"errno": exc.errno, "strerror": exc.strerror, "filename": exc.filename}
    except Exception as exc:  # reported to the parent as one line, which raises it
        status = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(status), flush=True)
    sys.exit(0 if "error" not in status and "errno" not in status else 1)


def _update_store(
    previous: _Previous,
    target: Path,
    nq_path: Path,
    spans: dict[str, list[tuple[int, int]]],
    graphs: list[str],
    *,
    shacl: bool,
) -> list[ox.Quad]:
    """Make ``target`` a checkpoint of the previous store with ``graphs`` replaced; return the new index's quads.

    The checkpoint (``Store.backup``) hard-links the previous store's immutable files, so it costs
    little whatever the size; the old store is only read. Each replaced graph is removed and loaded
    again from its byte ranges in the new ``graph.nq``. With ``shacl`` the quads removed and added are
    checked with :func:`~.shacl.validate_changed`; then the timeline index is updated
    (:func:`_update_timeline`).
    """
    from .chronology import INDEX_GRAPH, index_quads, read_index

    assert previous.store is not None
    ox.Store.read_only(str(previous.store)).backup(str(target))
    store = ox.Store(str(target))
    old_entries = read_index(KnowledgeGraph(store))
    removed: set[ox.Quad] = set()
    added: set[ox.Quad] = set()
    old_events: set[Any] = set()
    event, rdf_type = ox.NamedNode(_SEM_EVENT), ox.NamedNode(_RDF_TYPE)
    with open(nq_path, "rb") as nq:
        for g in [INDEX_GRAPH, *graphs]:
            node = ox.NamedNode(g)
            if g != INDEX_GRAPH:
                removed.update(store.quads_for_pattern(None, None, None, node))
                old_events.update(q.subject for q in store.quads_for_pattern(None, rdf_type, event, node))
            if store.contains_named_graph(node):
                store.remove_graph(node)
            for begin, end in spans.get(g, []) if g != INDEX_GRAPH else []:
                nq.seek(begin)
                data = nq.read(end - begin)
                store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                added.update(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    # Only what differs: a quad removed and added again changes nothing (the store may hold a literal
    # in its normalised form: then both forms count as changed, which only checks more).
    changed = removed ^ added
    del removed, added
    if shacl and changed:
        from .shacl import validate_changed

        report = validate_changed(store, changed)
        if not report.conforms:
            raise BuildError(
                f"the graph breaks {len(report.results)} SHACL constraint(s): {report.results[0]}",
                hint="run `zhanaozen-graph validate` for the full report",
            )
    index = index_quads(_update_timeline(store, old_entries, changed, old_events))
    store.bulk_extend(index)
    store.flush()
    del store
    return index


_SEM_EVENT = "http://semanticweb.cs.vu.nl/2009/11/sem/Event"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# How far an entry of the timeline reads from its event (chronology.py): event -> zg:evidence ->
# oa:hasTarget -> oa:hasSelector is the longest path of its queries.
_ENTRY_DEPTH = 3


class _OnlyEvents:
    """A graph whose SELECT queries answer only for some events (``VALUES ?event`` first in the WHERE clause).

    First, not trailing: a trailing ``VALUES`` is joined after the whole pattern has been evaluated.
    """

    def __init__(self, kg: KnowledgeGraph, events: Iterable[str]) -> None:
        self.kg = kg
        self.values = "WHERE { VALUES ?event { " + " ".join(f"<{e}>" for e in sorted(events)) + " }\n"

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        if sparql.count("WHERE {") != 1:
            raise BuildError("a timeline query has no single WHERE clause", hint="report this as a bug")
        return self.kg.select(sparql.replace("WHERE {", self.values, 1), **bindings)


def _update_timeline(
    store: ox.Store, old: list[Any] | None, changed: set[ox.Quad], old_events: set[Any]
) -> list[Any]:
    """The timeline of the updated ``store``: the previous entries, with those the change can alter made again.

    An entry reads its event's statements and nodes at most :data:`_ENTRY_DEPTH` links away (dates,
    places, roles and their actors' labels, quotes, targets, selectors). Every changed quad's subject
    and whatever reaches it within that many links (in the new store: the first changed link of a
    path starts at a node reached through unchanged ones) is affected; the entries of the affected
    events are assembled again (the same queries, limited to them), the others kept, and all sorted
    as :func:`~.chronology.assemble_timeline` sorts them. Without a previous index: assembled whole.
    """
    from .chronology import ORDER, _depths, assemble_timeline

    kg = KnowledgeGraph(store)
    if old is None:
        return assemble_timeline(kg)
    affected: set[Any] = {q.subject for q in changed}
    frontier = set(affected)
    for _ in range(_ENTRY_DEPTH):
        reached = {q.subject for node in frontier for q in store.quads_for_pattern(None, None, node, None)}
        frontier = reached - affected
        affected |= frontier
    event, rdf_type = ox.NamedNode(_SEM_EVENT), ox.NamedNode(_RDF_TYPE)
    events = {
        n.value
        for n in affected
        if isinstance(n, ox.NamedNode)
        and (n in old_events or next(store.quads_for_pattern(n, rdf_type, event, None), None) is not None)
    }
    gone = {iri.rsplit("/", 1)[1] for iri in events}
    kept = [e for e in old if e["id"] not in gone]
    fresh = assemble_timeline(_OnlyEvents(kg, events)) if events else []
    entries = kept + fresh
    if len({e["id"] for e in entries}) != len(entries):  # ids that do not name their events apart
        return assemble_timeline(kg)
    before: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(ORDER):
        before[row["event"]].add(row["before"])
    depth = {iri.rsplit("/", 1)[1]: d for iri, d in _depths(before).items()}
    entries.sort(key=lambda e: (e["earliest"], e["latest"], depth.get(e["id"], 0), e["label"], e["id"]))
    return entries


# -- Writing a build as a whole (issue 13) ----------------------------------------------------------
# A build of ``build/`` is written into ``.build.new-XXXX/`` beside it and exchanged with the old one in
# one rename (Linux renameat2 RENAME_EXCHANGE; elsewhere two renames, with recovery of the old one).
# Builds of one directory are serialised by an exclusive lock on ``.build.lock``, which the kernel
# releases when a process dies, so that leftovers found under the lock belong to dead builds.
_NEW = ".new-"
_OLD = ".old-"
_LOCK = ".lock"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the lock of the build directory ``out``; wait, saying so on stderr, while another build runs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "build"
    >>> with build_lock(out):
    ...     pass
    >>> (out.parent / ".build.lock").exists()
    True
    """
    import fcntl

    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out.parent / f".{out.name}{_LOCK}", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "another process"
            log.warning("waiting for another build of %s (process %s) to finish", out, holder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _clean_leftovers(out: Path) -> None:
    """Remove what dead builds left beside ``out`` (called under the lock); restore a build lost mid-swap."""
    parent = out.parent
    olds = sorted(parent.glob(f".{out.name}{_OLD}*"), key=lambda p: p.stat().st_mtime)
    if olds and not out.exists():
        log.warning("restoring the previous build from %s", olds[-1])
        os.rename(olds.pop(), out)
    for leftover in [*olds, *parent.glob(f".{out.name}{_NEW}*")]:
        log.info("removing %s, left by a build that did not finish", leftover)
        shutil.rmtree(leftover, ignore_errors=True)


def _is_ours(name: str) -> bool:
    """True for an output of a build, or a temporary file an older version of the builder left."""
    outputs = (*OUTPUTS, STORE, MANIFEST, "cache")  # cache: graph/cache.py's CACHE, made by each build
    return name in outputs or any(name.startswith(f".{o}.") for o in outputs)


def _check_build_dir(out: Path) -> None:
    """Refuse a build directory that is a file, or a folder of other things that no build wrote."""
    if not out.exists():
        return
    if not out.is_dir():
        raise BuildError(
            "the build directory is a file", path=out, hint="remove it or choose another --build-dir"
        )
    if not (out / MANIFEST).exists() and any(out.iterdir()):
        # Not a build: a build replaces its directory as a whole, so it never takes over someone's folder.
        raise BuildError(
            "the build directory holds other files and no manifest.json",
            path=out,
            hint="choose a new or empty --build-dir",
        )


def _carry_over(out: Path, new: Path) -> None:
    """Hard-link (or copy) what is not ours (``explorer.html``...) from the old build into the new one."""
    if not out.exists():
        return
    _check_build_dir(out)
    for entry in out.iterdir():
        if _is_ours(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(entry), str(new / entry.name))


def _link_or_copy(src: str, dst: str) -> None:
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _sync_tree(root: Path) -> None:
    """Flush every file of ``root`` to disk, so that the swap never exposes data still in the page cache."""
    for path in [*root.rglob("*"), root]:
        if path.is_file() or path.is_dir():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _swap_in(new: Path, out: Path) -> None:
    """Put the directory ``new`` at ``out`` in one step; the old build ends up at ``new`` (to be removed)."""
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        return
    old = out.with_name(f".{out.name}{_OLD}{new.name.rsplit('-', 1)[-1]}")
    os.rename(out, old)
    os.rename(new, out)
    os.rename(old, new)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    import ctypes
    import errno

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _file_digest(path: Path) -> dict[str, Any]:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}


def jsonld_with_context(quads: list[ox.Quad], prefixes: dict[str, str]) -> bytes:
    """JSON-LD with an embedded ``@context`` of the model's prefixes, keys and ids compacted to CURIEs.

    Examples
    --------
    >>> q = ox.Quad(ox.NamedNode("https://schema.org/a"), ox.NamedNode("https://schema.org/name"),
    ...             ox.Literal("A"), ox.NamedNode("https://example.org/g"))
    >>> print(jsonld_with_context([q], {"schema": "https://schema.org/"}).decode())
    {"@context":{"schema":"https://schema.org/"},"@graph":[{"@id":"https://example.org/g","@graph":[{"@id":"schema:a","schema:name":[{"@value":"A"}]}]}]}
    """
    buffer = io.BytesIO()
    write_jsonld(quads, prefixes, buffer)
    return buffer.getvalue()


def write_jsonld(quads: Iterable[ox.Quad], prefixes: dict[str, str], fh: IO[bytes]) -> None:
    """Write :func:`jsonld_with_context` to a binary file, one graph object at a time.

    Examples
    --------
    >>> import io
    >>> q = ox.Quad(ox.NamedNode("https://schema.org/a"), ox.NamedNode("https://schema.org/name"),
    ...             ox.Literal("A"), ox.NamedNode("https://example.org/g"))
    >>> out = io.BytesIO()
    >>> write_jsonld([q, q], {"schema": "https://schema.org/"}, out)
    >>> out.getvalue().count(b'"schema:a"')
    1
    """
    ordered = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    compacted: dict[str, str] = {}

    def compact(iri: str) -> str:
        curie = compacted.get(iri)
        if curie is None:
            curie = iri
            for prefix, ns in ordered:
                if iri.startswith(ns) and len(iri) > len(ns):
                    curie = f"{prefix}:{iri[len(ns) :]}"
                    break
            compacted[iri] = curie
        return curie

    def walk(node: Any, graph_level: bool = False) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if isinstance(node, dict):
            if "@value" in node:
                return node  # a literal: nothing in it to compact
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key == "@id" and not graph_level:
                    out[key] = compact(value)
                elif key.startswith("@"):
                    out[key] = walk(value)
                else:
                    out[compact(key)] = walk(value)
            return out
        return node

    def dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def sub(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return '"@id":"' + compact(m.group(1)) + '"'
        return '"' + compact(m.group(2)) + '":'

    fh.write(dumps({"@context": dict(prefixes)})[:-1] + b',"@graph":[')
    # One graph at a time, and a graph in pieces of whole subjects: oxigraph's writer streams (a node
    # object per run of one subject), so the pieces' node objects join into the same graph object as
    # for all its quads at once, without holding the whole expanded document in memory. The IRIs of
    # a piece are compacted in its text (_JSON_IRIS), which is what reading, walking and writing the
    # JSON again would do, five times faster; a piece of another shape takes that slow way.
    first = True
    current: Any = None
    for name, piece in _graph_pieces(quads, _JSONLD_PIECE):
        named = not isinstance(name, ox.DefaultGraph)
        text = (ox.serialize(piece, format=ox.RdfFormat.JSON_LD) or b"[]").decode("utf-8")
        head = '[{"@id":' + json.dumps(name.value, ensure_ascii=False) + ',"@graph":[' if named else "["
        tail = "]}]" if named else "]"
        if text.startswith(head) and text.endswith(tail):
            body = _JSON_IRIS.sub(sub, text[len(head) : -len(tail)]).encode("utf-8")
        else:
            nodes = [walk(node) for top in json.loads(text) for node in (top["@graph"] if named else [top])]
            body = dumps(nodes)[1:-1]
        if name != current:
            if current is not None:
                fh.write(b"]}" if not isinstance(current, ox.DefaultGraph) else b"")
                first = False
            if named:
                fh.write((b"" if first else b",") + b'{"@id":' + dumps(name.value) + b',"@graph":[')
                first = True
            current = name
        if body:
            fh.write((b"" if first else b",") + body)
            first = False
    if current is not None and not isinstance(current, ox.DefaultGraph):
        fh.write(b"]}")
    fh.write(b"]}")


# Quads per piece of JSON-LD: bounds the memory of a big graph's JSON (the register at 10^7 triples).
_JSONLD_PIECE = 20_000
# In the JSON text of oxigraph's JSON-LD writer: an "@id" value, or a key that is an IRI. A string of
# JSON never holds an unescaped quote, so a quote after "{" or "," always opens a key.
_JSON_IRIS = re.compile(r'"@id":"([^"\\]*)"|(?<=[{,])"([^"@\\][^"\\]*)":')


def _graph_pieces(quads: Iterable[ox.Quad], size: int) -> Iterator[tuple[Any, list[ox.Quad]]]:
    """Runs of quads of one graph, cut into lists of at least ``size`` (but the last) where the subject changes."""
    piece: list[ox.Quad] = []
    graph: Any = None
    last: Any = None
    for q in quads:
        g = q.graph_name
        if piece and (g != graph or (len(piece) >= size and q.subject != last)):
            yield graph, piece
            piece = []
        graph = g
        piece.append(q)
        if len(piece) >= size:
            last = q.subject
    if piece:
        yield graph, piece


def _prefixes() -> dict[str, str]:
    from ..records.model import get_model

    return dict(get_model().prefixes)


def store_differences(
    nquads: Path, store: ox.Store, limit: int | None = None
) -> list[tuple[ox.Quad, ox.Quad | None]]:
    """The quads of an N-Quads file that the store does not hold term for term, with what it holds instead.

    Terms are compared exactly (datatype and lexical form), not by value: pyoxigraph normalises
    some literals on load (``"12"^^xsd:nonNegativeInteger`` reads back as ``xsd:integer``,
    ``"48.0"^^xsd:decimal`` as ``"48"``). The second element is the store's quad with the same
    subject, predicate, graph and value, or None if there is none.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = tmp.write_text('<http://a> <http://b> "48.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\\n'
    ...                    '<http://a> <http://b> "x" .\\n')
    >>> store = ox.Store(); store.bulk_load(path=str(tmp), format=ox.RdfFormat.N_QUADS)
    >>> [(f.object.value, s.object.value) for f, s in store_differences(tmp, store)]
    [('48.0', '48')]
    """
    out: list[tuple[ox.Quad, ox.Quad | None]] = []
    held = set(store)  # Python's equality on terms is exact; ``quad in store`` compares values
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        if quad in held:
            continue
        candidates = list(store.quads_for_pattern(quad.subject, quad.predicate, None, quad.graph_name))
        same = [
            c for c in candidates if isinstance(c.object, ox.Literal) and _same_value(c.object, quad.object)
        ]
        out.append((quad, same[0] if same else None))
        if limit is not None and len(out) >= limit:
            break
    return out


def _same_value(a: ox.Literal, b: Any) -> bool:
    if not isinstance(b, ox.Literal):
        return False
    try:
        return float(a.value) == float(b.value)
    except ValueError:
        return a.value == b.value


_BULK_LINES = 500_000


def write_store(
    nquads: Path | Iterable[bytes],
    target: Path,
    *,
    derive: Callable[[ox.Store], Iterable[ox.Quad]] | None = None,
) -> Path:
    """Load an N-Quads file (or runs of N-Quads bytes) into a new on-disk pyoxigraph store at ``target``.

    The store is written beside ``target`` and renamed into place, replacing any old one, so a reader
    never sees half a store. ``derive``, if given, is called with the loaded store; the quads it
    returns are added to the store after it is compacted (the build adds its timeline index so).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "g.nq").write_text("<http://a> <http://b> <http://c> <http://g> .\\n")
    >>> len(ox.Store.read_only(str(write_store(tmp / "g.nq", tmp / "store"))))
    1
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    old = target.with_name(f"{tmp.name}.old")
    try:
        store = ox.Store(str(tmp))
        # In parts: pyoxigraph's bulk loader holds memory in proportion to what one call loads (1.58 GB
        # for 2.47 million quads at once, 0.87 GB in parts of 500,000, the same CPU time). N-Quads has
        # one quad per line.
        if isinstance(nquads, Path):
            with open(nquads, "rb") as fh:
                while lines := list(itertools.islice(fh, _BULK_LINES)):
                    store.bulk_load(b"".join(lines), format=ox.RdfFormat.N_QUADS)
                    del lines
        else:  # runs of whole lines, loaded in parts of at least _BULK_LINES lines
            part: list[bytes] = []
            count = 0
            for data in itertools.chain(nquads, [b""]):
                if data:
                    part.append(data)
                    count += data.count(b"\n")
                if part and (count >= _BULK_LINES or not data):
                    store.bulk_load(b"".join(part), format=ox.RdfFormat.N_QUADS)
                    part, count = [], 0
        store.optimize()  # compacted, queries run ~20 % faster (and derive's twice as fast)
        if derive is not None:
            store.bulk_extend(derive(store))
        store.flush()
        del store  # closes the database
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return target


def _outputs_match(out: Path, manifest: dict[str, Any]) -> bool:
    """True when every output file has the size the manifest recorded (a cheap check, no hashing)."""
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or set(outputs) != set(OUTPUTS):
        return False
    try:
        return all((out / name).stat().st_size == info.get("bytes") for name, info in outputs.items())
    except OSError:
        return False


def load_graph(
    data_dir: Path | str | None = None,
    build_dir: Path | str | None = None,
    *,
    rebuild: bool = False,
    in_memory: bool = False,
    shacl: bool = True,
    notice: Callable[[str], None] | None = None,
    endpoint: str | None = None,
    timeout: float = 60.0,
) -> KnowledgeGraph:
    """The graph of ``data_dir``: an up-to-date cached build, or a fresh one; or a remote endpoint's.

    By default the build's persisted store (``build/store/``) is opened read-only: at 10^6 triples
    that takes milliseconds and ~0.1 GB, where parsing the N-Quads into memory takes seconds and
    ~0.6 GB; in memory, queries run two to three times faster (docs/benchmarks.md).

    Parameters
    ----------
    data_dir
        The data directory; defaults to :func:`~zhanaozen_graph.records.load.default_data_dir`.
    build_dir
        Where builds are cached; defaults to :func:`default_build_dir`.
    rebuild
        Build even when the cached build is up to date.
    in_memory
        Load the graph into a writable in-memory store instead of opening the persisted one.
    shacl
        Check the SHACL shapes if a build is needed (``False``: skip them, as ``build --no-shacl``).
    notice
        Called with one line when a build is needed that was not asked for (none yet, or out of date),
        before it starts; the CLI prints it on standard error.
    endpoint
        Read the graph from this SPARQL 1.1 query endpoint instead (a :class:`RemoteGraph`; a
        ``user:password@`` in the URL is used only when the server asks). Nothing local is read or
        built: ``data_dir``, ``build_dir``, ``rebuild`` and ``in_memory`` must not be given with it.
    timeout
        Seconds per HTTP request to ``endpoint``.

    Raises
    ------
    BuildError
        ``endpoint`` given together with a local option.

    Examples
    --------
    >>> kg = load_graph()
    >>> len(kg) > 1000
    True
    >>> len(load_graph(in_memory=True)) == len(kg)
    True
    >>> load_graph(endpoint="http://127.0.0.1:7878/query").where
    'http://127.0.0.1:7878/query'
    """
    if endpoint is not None:
        local = {"data_dir": data_dir, "build_dir": build_dir, "rebuild": rebuild, "in_memory": in_memory}
        given = [k for k, v in local.items() if v]
        if given:
            raise BuildError(
                f"{', '.join(given)} cannot be used with an endpoint: the remote graph is read as it is",
                hint="drop them, or drop the endpoint to use the local build",
            )
        return RemoteGraph(endpoint, timeout=timeout)
    from ..records.load import default_data_dir

    data = Path(data_dir) if data_dir is not None else default_data_dir()
    out = Path(build_dir) if build_dir is not None else default_build_dir(data)
    manifest_path = out / MANIFEST
    manifest: dict[str, Any] | None = None
    why = "there is no build in it yet"
    if not rebuild and manifest_path.exists() and (out / NQUADS).exists():
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
        except (OSError, ValueError):
            manifest = None
        if manifest is not None and manifest.get("fingerprint") != fingerprint(data, manifest.get("files")):
            log.info("the build in %s is out of date; rebuilding", out)
            why = "the data, the model or the code changed since the last build"
            manifest = None
        elif manifest is not None and not _outputs_match(out, manifest):
            log.warning("the files in %s are not the ones its build wrote; rebuilding", out)
            why = "its files are not the ones the last build wrote"
            manifest = None
    if manifest is None:
        if notice is not None and not rebuild:
            skip = "without SHACL" if not shacl else "with SHACL (--no-shacl skips it)"
            notice(f"building {out} {skip}: {why}")
        build(data, out, shacl=shacl)
        manifest = json.loads(manifest_path.read_text("utf-8"))
    if in_memory:
        store = ox.Store()
        store.bulk_load(path=str(out / NQUADS), format=ox.RdfFormat.N_QUADS)
        return KnowledgeGraph(store, manifest, out)
    if manifest.get("store_fingerprint") != manifest["fingerprint"] or not (out / STORE).is_dir():
        # A build without its store (or with one from another build): make it from the N-Quads.
        log.info("writing the persisted store in %s", out / STORE)
        with build_lock(out):
            write_store(out / NQUADS, out / STORE)
            manifest["store_fingerprint"] = manifest["fingerprint"]
            with atomic_write(manifest_path) as fh:
                json.dump(manifest, fh, indent=2, sort_keys=True)
    # A build may be swapped in between reading the manifest and opening the store: read the manifest
    # again after opening it, so that both come from one generation.
    for _ in range(3):
        try:
            store = ox.Store.read_only(str(out / STORE))
            again = json.loads(manifest_path.read_text("utf-8"))
        except (OSError, ValueError):  # the generation was being replaced
            time.sleep(0.1)
            continue
        if again == manifest:
            break
        manifest = again
    else:
        raise BuildError(
            "the build kept changing while it was being opened",
            path=out,
            hint="wait for the other build to finish and try again",
        )
    return KnowledgeGraph(store, manifest, out)
