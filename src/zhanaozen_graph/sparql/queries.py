"""The catalogue of SPARQL queries and running a query on the graph or on a remote endpoint.

The catalogue is the ``*.rq`` files shipped in the package (``zhanaozen_graph/queries/``;
the repository's top-level ``queries/`` is a link to that folder), plus the files of an
extra directory (``--queries-dir`` or ``$ZHANAOZEN_QUERIES``), which win on a name clash.
Each file starts with a comment header::

    # title: Everything about one actor
    # description: Every event the actor takes part in, with the role, ...
    #   (continuation lines are indented)
    # param: actor: iri = bolat-atabaev
    #   The person, group or organisation: a record id, a prefixed name or an <IRI>.

Parameters are bound as RDF terms, never by pasting text into the query: pyoxigraph serialises
each term and a ``VALUES`` block at the start of the ``WHERE`` group binds it, on the local store
and on a remote endpoint alike (a block the engine plans with; see ``_run_local``).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from ..errors import QueryError
from .results import BASE, RECORD_LOOKUP, XSD, QueryResult, Term, collect, record_lookup_bindings
from .text import check_limits, declared_prefixes, insert_values, query_form, tokens, variables

if TYPE_CHECKING:
    from ..graph.build import KnowledgeGraph

__all__ = [
    "PARAM_TYPES",
    "Parameter",
    "QueryInfo",
    "bind_parameters",
    "catalogue_dirs",
    "get_query",
    "list_queries",
    "parse_term",
    "resolve_query",
    "run_query",
    "syntax_error",
]

PARAM_TYPES = ("iri", "date", "string", "integer", "decimal", "term")
_PACKAGE_QUERIES = Path(__file__).resolve().parents[1] / "queries"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_FIELD = re.compile(r"^#\s?(title|description|param):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z]+)\s*(?:=\s*(?P<default>\S.*?))?\s*$"
)
_SYNTAX = re.compile(r"error at (\d+):(\d+)(?:-(\d+):(\d+))?: (.*)", re.DOTALL)
T = TypeVar("T")


@dataclass(frozen=True)
class Parameter:
    """A parameter of a catalogue query: a variable bound before the query runs.

    ``type`` is one of :data:`PARAM_TYPES`; ``default`` is written as on the command line.
    """

    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class QueryInfo:
    """A query with its header: name, title, description, parameters and text."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    path: Path | None = None

    @classmethod
    def from_text(cls, text: str, name: str = "<query>", path: Path | None = None) -> QueryInfo:
        """A query from its text, reading the comment header if it has one.

        Examples
        --------
        >>> q = QueryInfo.from_text("# title: All\\n# param: s: iri = <urn:a>\\n#   The subject.\\nSELECT ?s {}")
        >>> q.title, q.parameters[0].name, q.parameters[0].default, q.parameters[0].description
        ('All', 's', '<urn:a>', 'The subject.')
        """
        title, description, params = _parse_header(text, path)
        return cls(name, text, title, description, tuple(params), path)

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called ``name``, if the header declares one."""
        return next((p for p in self.parameters if p.name == name), None)


def _parse_header(text: str, path: Path | None) -> tuple[str, str, list[Parameter]]:
    fields: list[list[str]] = []  # [field, first line, continuation...]
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        m = _FIELD.match(line)
        if m:
            fields.append([m.group(1), m.group(2).strip()])
        elif fields and re.match(r"^#\s{2,}\S", line):
            fields[-1].append(line[1:].strip())
        elif line.strip() != "#":
            raise QueryError(
                f"cannot read the header line {line!r}",
                path=path,
                line=lineno,
                hint="header lines are '# title: ...', '# description: ...', '# param: name: type = default' "
                "and indented continuation lines",
            )
    title = description = ""
    params: list[Parameter] = []
    for f in fields:
        key, first, rest = f[0], f[1], f[2:]
        if key == "title":
            title = " ".join([first, *rest]).strip()
        elif key == "description":
            description = " ".join([first, *rest]).strip()
        else:
            m = _PARAM.match(first)
            if not m or m.group("type") not in PARAM_TYPES:
                raise QueryError(
                    f"cannot read the parameter {first!r}",
                    path=path,
                    hint=f"write '# param: name: type = default' with a type among {', '.join(PARAM_TYPES)}",
                )
            params.append(Parameter(m.group("name"), m.group("type"), m.group("default"), " ".join(rest)))
    return title, description, params


def catalogue_dirs(queries_dir: Path | str | None = None) -> list[Path]:
    """Where catalogue queries are looked up, first match wins: ``queries_dir`` (or ``$ZHANAOZEN_QUERIES``), then the package.

    Examples
    --------
    >>> catalogue_dirs()[-1].name
    'queries'
    """
    dirs: list[Path] = []
    extra = queries_dir if queries_dir is not None else os.environ.get("ZHANAOZEN_QUERIES")
    if extra:
        path = Path(extra)
        if not path.is_dir():
            raise QueryError("the queries directory does not exist", path=path)
        dirs.append(path)
    dirs.append(_PACKAGE_QUERIES)
    return dirs


def list_queries(queries_dir: Path | str | None = None) -> list[QueryInfo]:
    """Every catalogue query, sorted by name.

    Examples
    --------
    >>> names = [q.name for q in list_queries()]
    >>> "timeline" in names and len(names) >= 15
    True
    """
    found: dict[str, QueryInfo] = {}
    for d in reversed(catalogue_dirs(queries_dir)):
        for path in sorted(d.glob("*.rq")):
            found[path.stem] = _read(path)
    return [found[n] for n in sorted(found)]


def _read(path: Path) -> QueryInfo:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read the query: {exc}", path=path) from exc
    return QueryInfo.from_text(text, path.stem, path)


def get_query(name: str, queries_dir: Path | str | None = None) -> QueryInfo:
    """The catalogue query called ``name`` (the file name without ``.rq``).

    Raises
    ------
    QueryError
        No query of that name; the message lists the catalogue.

    Examples
    --------
    >>> get_query("timeline").title
    'The timeline: every event with its date, places and participants'
    """
    for d in catalogue_dirs(queries_dir):
        path = d / f"{name}.rq"
        if _NAME.match(name) and path.is_file():
            return _read(path)
    names = ", ".join(q.name for q in list_queries(queries_dir))
    raise QueryError(f"no query named {name!r} in the catalogue", hint=f"choose one of: {names}")


def resolve_query(spec: str | QueryInfo, queries_dir: Path | str | None = None) -> QueryInfo:
    """A query from a catalogue name, a ``.rq`` file path, or SPARQL text.

    Examples
    --------
    >>> resolve_query("timeline").name
    'timeline'
    >>> resolve_query("ASK { ?s ?p ?o }").name
    '<query>'
    """
    if isinstance(spec, QueryInfo):
        return spec
    if _NAME.match(spec) and not spec.endswith(".rq"):
        return get_query(spec, queries_dir)
    if "\n" not in spec and (spec.endswith(".rq") or os.sep in spec) and "{" not in spec:
        path = Path(spec)
        if not path.is_file():
            raise QueryError("no such query file", path=path)
        return _read(path)
    return QueryInfo.from_text(spec)


# -- parameters -------------------------------------------------------------------------------


def parse_term(value: str, type_: str = "term", prefixes: Mapping[str, str] | None = None) -> Term:
    """An RDF term from a value written on the command line, read according to the parameter's type.

    * ``iri``: ``<http://...>``, a prefixed name declared in the query (``zg:Stance-denial``),
      or a record id (``bolat-atabaev``), which becomes ``<https://w3id.org/zhanaozen-graph/id/<kind>/<id>>``
      when resolved against the graph (see :func:`bind_parameters`);
    * ``date``: ``YYYY-MM-DD`` as ``xsd:date``; ``integer``, ``decimal``: numbers; ``string``: a plain string;
    * ``term`` (and any type, when the value is written so): an RDF term in Turtle syntax
      (``"text"@en``, ``"2011"^^xsd:gYear``, ``42``, ``<iri>``).

    Raises
    ------
    QueryError
        The value is not of the parameter's type.

    Examples
    --------
    >>> parse_term("2011-12-16", "date")
    <Literal value=2011-12-16 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    >>> parse_term("zg:Stance-denial", "iri", {"zg": "https://w3id.org/zhanaozen-graph/ontology#"})
    <NamedNode value=https://w3id.org/zhanaozen-graph/ontology#Stance-denial>
    >>> parse_term('"Aktau"@en')
    <Literal value=Aktau language=en>
    """
    prefixes = dict(prefixes or {})
    prefixes.setdefault("xsd", XSD)
    text = value.strip()
    if type_ == "string" and not text.startswith('"'):
        return ox.Literal(value)
    if type_ == "date" and not text.startswith('"'):
        try:
            _dt.date.fromisoformat(text)
        except ValueError:
            raise QueryError(
                f"{value!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2011-12-16"
            ) from None
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    if type_ in ("integer", "decimal") and re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        if type_ == "integer" and "." in text:
            raise QueryError(f"{value!r} is not an integer")
        return ox.Literal(text, datatype=ox.NamedNode(XSD + type_))
    if type_ == "iri" and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text):
        # A record id: a placeholder resolved against the graph by bind_parameters.
        return ox.NamedNode(f"{BASE}id/_/{text}")
    term = _turtle_term(text, prefixes)
    if term is None:
        if type_ == "term":
            return ox.Literal(value)
        raise QueryError(f"{value!r} is not a valid {type_}", hint=_TYPE_HINTS.get(type_))
    if type_ == "iri" and not isinstance(term, ox.NamedNode):
        raise QueryError(f"{value!r} is not an IRI", hint=_TYPE_HINTS["iri"])
    return term


_TYPE_HINTS = {
    "iri": "write a record id (bolat-atabaev), a prefixed name declared in the query (zg:Role-detainee) or <http://...>",
    "integer": "write a whole number, e.g. 15",
    "decimal": "write a number, e.g. 1.5",
}


def _turtle_term(text: str, prefixes: Mapping[str, str]) -> Term | None:
    """Read one RDF term in Turtle syntax with the RDF library's own parser."""
    head = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in prefixes.items())
    try:
        triples = list(ox.parse(f"{head}<urn:x:s> <urn:x:p> {text} .", format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError):
        return None
    if len(triples) != 1:
        return None
    obj = triples[0].object
    return obj if not isinstance(obj, ox.BlankNode) else None


def bind_parameters(
    query: QueryInfo,
    params: Mapping[str, str] | None,
    lookup: Callable[[str], list[str]] | None = None,
) -> dict[str, Term]:
    """The RDF terms to bind: the given values, then the defaults of the parameters not given.

    Parameters
    ----------
    query
        The query (its header declares the parameters and their types).
    params
        Values as written on the command line, by parameter name.
    lookup
        Finds the IRIs of a record id in the graph (``lookup("knb")``); without it a
        record id cannot be used.

    Raises
    ------
    QueryError
        An unknown parameter, a value of the wrong type, a record id that is not in the graph.

    Examples
    --------
    >>> q = QueryInfo.from_text("# param: day: date = 2011-12-16\\nSELECT ?day ?e { ?e ?p ?day }")
    >>> bind_parameters(q, {})
    {'day': <Literal value=2011-12-16 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>}
    """
    given = dict(params or {})
    names = variables(query.text)
    prefixes = declared_prefixes(query.text)
    out: dict[str, Term] = {}
    for name, value in given.items():
        declared = query.parameter(name)
        if declared is None and query.parameters:
            raise QueryError(
                f"the query {query.name!r} has no parameter {name!r}",
                hint="its parameters: " + ", ".join(p.name for p in query.parameters),
            )
        if name not in names:
            raise QueryError(f"the query has no variable ?{name} to bind")
        out[name] = _resolve(
            parse_term(value, declared.type if declared else "term", prefixes), value, lookup
        )
    for p in query.parameters:
        if p.name not in out and p.default is not None:
            out[p.name] = _resolve(parse_term(p.default, p.type, prefixes), p.default, lookup)
    return out


def _resolve(term: Term, value: str, lookup: Callable[[str], list[str]] | None) -> Term:
    if not (isinstance(term, ox.NamedNode) and term.value.startswith(f"{BASE}id/_/")):
        return term
    slug = term.value.rsplit("/", 1)[1]
    found = lookup(slug) if lookup else []
    if len(found) != 1:
        raise QueryError(
            f"no record with the id {value!r} in the graph"
            if not found
            else f"the id {value!r} names {len(found)} records",
            hint="check the id in data/records, or give the full <IRI>",
        )
    return ox.NamedNode(found[0])


def syntax_error(exc: BaseException, text: str, name: str = "query") -> QueryError:
    """A :class:`QueryError` for a syntax error, with line, column and the offending text.

    pyoxigraph reports the furthest position its parser reached, often past the mistake;
    so, on this error path only, rdflib's SPARQL parser is asked where the query stops
    making sense, and its position is used when it also rejects the query.

    Examples
    --------
    >>> text = "SELECT * WHERE { ?s ?p ?o } LIMT 3"
    >>> str(syntax_error(SyntaxError("error at 1:35: expected one of HAVING, OFFSET"), text))
    "query:1:29: syntax error at 'LIMT 3'"
    >>> str(syntax_error(SyntaxError("error at 1:28: expected one of Prefix not found"), "SELECT * { ?s foo:p ?o }"))
    "query:1:15: syntax error at 'foo:p': the prefix 'foo:' is not declared; add PREFIX foo: <...> at the top"
    """
    message = str(exc)
    m = _SYNTAX.search(message)
    if m and "Prefix not found" in message:
        declared = declared_prefixes(text)
        for tok in tokens(text):
            if tok.kind == "pname" and tok.text.split(":", 1)[0] not in declared:
                line = text.count("\n", 0, tok.start) + 1
                col = tok.start - (text.rfind("\n", 0, tok.start) + 1) + 1
                prefix = tok.text.split(":", 1)[0]
                return QueryError(
                    f"{name}:{line}:{col}: syntax error at {tok.text!r}: the prefix '{prefix}:' is not declared",
                    hint=f"add PREFIX {prefix}: <...> at the top",
                )
    located = _rdflib_location(text)
    if located is not None:
        line, col = located
        what = ""
    elif m:
        line, col = int(m.group(1)), int(m.group(2))
        what = " ".join(m.group(5).split("\n")[0].split())
        what = ": " + (what if len(what) <= 160 else what[:160] + "...")
    else:
        return QueryError(f"{name}: syntax error: {' '.join(message.split())[:200]}")
    lines = text.splitlines() or [""]
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    snippet = " ".join(source_line[max(col - 1, 0) :].split())
    if snippet:
        where = f"at {snippet[:40]!r}"
    elif source_line.split():
        where = f"after {source_line.split()[-1][:40]!r}"
    else:
        where = "at the end of the query"
    return QueryError(f"{name}:{line}:{col}: syntax error {where}{what}")


def _rdflib_location(text: str) -> tuple[int, int] | None:
    """Where rdflib's SPARQL parser stops (line, column), or None if it accepts the text."""
    try:
        from rdflib.plugins.sparql.parser import parseQuery
    except ImportError:  # pragma: no cover - rdflib is a dependency
        return None
    try:
        parseQuery(text)
    except Exception as exc:  # pyparsing's ParseException and rdflib's own errors
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        if isinstance(line, int) and isinstance(col, int):
            return line, col
    return None


# -- running ----------------------------------------------------------------------------------


def _with_timeout(fn: Callable[[], T], timeout: float | None) -> T:
    """Run ``fn`` in a daemon thread and stop waiting for it after ``timeout`` seconds.

    pyoxigraph releases the GIL while it evaluates, so the caller keeps control; it
    cannot cancel a query, so a runaway one keeps its thread busy until the process
    exits (the CLI exits right after reporting it; the server runs queries in worker
    processes that it kills instead).
    """
    if timeout is None:
        return fn()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed over to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="zhanaozen-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryError(
            f"the query did not finish within {timeout:g} s",
            hint="narrow it down (a LIMIT, more specific patterns) or raise --timeout",
        )
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


def _run_local(
    kg: KnowledgeGraph, text: str, name: str, bindings: Mapping[str, Term], max_rows: int | None
) -> QueryResult:
    # The terms go in a VALUES block at the start of the WHERE group, as on a remote endpoint, rather than
    # through pyoxigraph's ``substitutions``, which Oxigraph applies after planning: `mentions` of one
    # organisation still scanned every annotation (2.1 CPU s at 10^6 triples, 0.001 s from a VALUES block).
    # The terms are serialised by pyoxigraph, never user text; a syntax error is reported on the text as
    # written (the block is inserted on the line of the WHERE brace, so its columns would shift).
    values = {k: str(v) for k, v in bindings.items()}
    try:
        try:
            sent = insert_values(text, values) if values else text
        except ValueError:  # no WHERE group: let the engine say what is wrong with the text
            sent = text
        answer = kg.store.query(sent, use_default_graph_as_union=True)
        return collect(answer, declared_prefixes(text), max_rows)
    except SyntaxError as exc:
        error = exc
        if sent != text:
            try:
                kg.store.query(text, use_default_graph_as_union=True)
            except SyntaxError as original:
                error = original
        raise syntax_error(error, text, name) from None
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"{name}: the query failed: {exc}") from None


def _graph_lookup(kg: KnowledgeGraph) -> Callable[[str], list[str]]:
    def lookup(slug: str) -> list[str]:
        subs = {ox.Variable(k): v for k, v in record_lookup_bindings(slug).items()}
        answer: Any = kg.store.query(RECORD_LOOKUP, use_default_graph_as_union=True, substitutions=subs)
        return [s["iri"].value for s in answer]

    return lookup


def run_query(
    target: KnowledgeGraph | str | Any,
    query: str | QueryInfo,
    params: Mapping[str, str] | None = None,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    queries_dir: Path | str | None = None,
) -> QueryResult:
    """Run a query (catalogue name, ``.rq`` path or SPARQL text) on the graph or a remote endpoint.

    Parameters
    ----------
    target
        A :class:`~zhanaozen_graph.graph.build.KnowledgeGraph` (pyoxigraph, union of the named graphs
        as default graph), a :class:`~zhanaozen_graph.graph.build.RemoteGraph`, an endpoint URL, or
        a :class:`~zhanaozen_graph.sparql.remote.Endpoint`.
    query
        A catalogue name (``timeline``), a path to a ``.rq`` file, SPARQL text, or a :class:`QueryInfo`.
    params
        Parameter values as written on the command line (``{"actor": "knb"}``); the header's
        defaults fill in the rest. Bound with a ``VALUES`` block of terms serialised by
        pyoxigraph, at the start of the ``WHERE`` group, locally and on a remote endpoint.
    timeout
        Seconds to wait before giving up with a :class:`QueryError`.
    max_rows
        Keep at most this many rows (``truncated`` is then set).

    Raises
    ------
    QueryError
        Unknown query, bad parameter, syntax error (with line and column), timeout, remote failure.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> result = run_query(load_graph(), "actor", {"actor": "knb"})
    >>> result.kind, result.variables[:3]
    ('select', ['actor', 'what', 'item'])
    >>> run_query(load_graph(), "ASK { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }").boolean
    True
    """
    info = resolve_query(query, queries_dir)
    check_limits(info.text)  # before any parser: pyoxigraph's crashes on very deep nesting
    form = query_form(info.text)
    if form is not None and form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        raise QueryError(f"{info.name}: {form} is an update; only queries can be run here")
    from ..graph.build import RemoteGraph

    if isinstance(target, str | RemoteGraph):
        from .remote import Endpoint

        target = (
            Endpoint(target)
            if isinstance(target, str)
            else Endpoint(
                target.client.url, target.client.user, target.client.password, target.client.timeout
            )
        )
    if hasattr(target, "store"):
        kg: Any = target

        def work() -> QueryResult:
            bindings = bind_parameters(info, params, _graph_lookup(kg))
            return _run_local(kg, info.text, info.name, bindings, max_rows)

    else:
        endpoint: Any = target

        def work() -> QueryResult:
            bindings = bind_parameters(info, params, endpoint.lookup)
            result: QueryResult = endpoint.query(info.text, bindings, name=info.name, max_rows=max_rows)
            return result

    return _with_timeout(work, timeout)
