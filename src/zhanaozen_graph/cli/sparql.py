"""SPARQL commands: query, queries, serve, push."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import (
    data_options,
    emit,
    endpoint_url,
    format_option,
    local_data_options,
    open_graph,
    output_option,
    queries_dir_option,
    table_width,
)
from .progress import Progress, quiet_option

__all__ = ["COMMANDS"]

# The same names as sparql.format.TABLE_FORMATS and GRAPH_FORMATS (kept literal so that
# importing the CLI does not import the formatters; tests check that they agree).
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md", "turtle", "nt", "jsonld")


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="'--param'")
        out[name.strip().lstrip("?$")] = value
    return out


@click.command()
@click.argument("query_spec", metavar="NAME|FILE|-", required=False)
@click.option("-e", "--expression", metavar="SPARQL", help="The query text itself.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter: a record id, <IRI>, prefixed name, date, number or text (repeatable).",
)
@format_option(
    *RESULT_FORMATS,
    default=None,
    help="table (default), csv, tsv, json, xml, md for SELECT/ASK; turtle (default), nt, jsonld for CONSTRUCT/DESCRIBE.",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), help="Give up after this many seconds."
)
@queries_dir_option
@data_options
@output_option
def query(
    query_spec: str | None,
    expression: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    timeout: float | None,
    queries_dir: Path | None,
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
    output: Path,
) -> None:
    """Run a catalogue query, a .rq file, standard input (-) or -e TEXT on the graph.

    The default graph is the union of all named graphs. Parameters are bound as RDF
    terms by the engine (never pasted into the text); `zhanaozen-graph queries` lists
    the catalogue and its parameters.

    Example: zhanaozen-graph query actor --param actor=knb --format csv
    """
    from ..sparql.format import serialize
    from ..sparql.queries import QueryInfo, resolve_query, run_query

    if expression is not None and query_spec is not None:
        raise click.UsageError("give either NAME|FILE|- or -e SPARQL, not both")
    if expression is not None:
        info = QueryInfo.from_text(expression, "-e")
    elif query_spec == "-":
        info = QueryInfo.from_text(sys.stdin.read(), "<stdin>")
    elif query_spec is not None:
        info = resolve_query(query_spec, queries_dir)
    else:
        raise click.UsageError("give a query: a catalogue NAME, a FILE, - for standard input, or -e SPARQL")
    result = run_query(
        open_graph(data_dir, build_dir, rebuild),
        info,
        _params(params),
        timeout=timeout,
        queries_dir=queries_dir,
    )
    text = serialize(result, fmt, width=table_width(output))
    emit(text, output)  # the text ends with one line end, CRLF for CSV (the SPARQL 1.1 CSV format)


@click.command()
@format_option("table", "json", "md", "csv")
@queries_dir_option
def queries(fmt: str, queries_dir: Path | None) -> None:
    """List the catalogue of queries with their titles and parameters.

    Example: zhanaozen-graph queries --format md
    """
    from ..output import render_rows
    from ..sparql.queries import list_queries

    catalogue = list_queries(queries_dir)
    if fmt == "json":
        doc = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "parameters": [
                    {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                    for p in q.parameters
                ],
            }
            for q in catalogue
        ]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    rows = [
        {
            "name": q.name,
            "title": q.title,
            "parameters": ", ".join(f"{p.name}={p.default}" for p in q.parameters),
        }
        for q in catalogue
    ]
    emit(render_rows(rows, fmt, ["name", "title", "parameters"]), None)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port)."
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Per-query time limit in seconds (execution only, not the wait for a worker).",
)
@click.option(
    "--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1), help="Row cap per answer."
)
@click.option(
    "--max-bytes",
    default=50_000_000,
    show_default=True,
    type=click.IntRange(min=1000),
    help="Byte cap per answer (cut at a row, and said so).",
)
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes."
)
@click.option(
    "--queue",
    default=32,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Requests that may wait for a worker; more get 503 with Retry-After.",
)
@click.option(
    "--worker-memory",
    default=1024,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="MB",
    help="Replace a query worker whose memory exceeds this after a query.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also accept this name in the Host header (loopback names always; repeatable).",
)
@click.option("--cors", metavar="ORIGIN", help="Let pages of this origin read the answers (CORS).")
@queries_dir_option
@local_data_options
def serve(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_bytes: int,
    workers: int,
    queue: int,
    worker_memory: int,
    allow_hosts: tuple[str, ...],
    cors: str | None,
    queries_dir: Path | None,
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint, with a query page and the explorer.

    GET or POST /sparql; / is a query page; /explorer is build/explorer.html when it exists;
    /catalogue/NAME?param=value runs a catalogue query. Only Host headers naming a loopback
    address (or an --allow-host name) are served. Stop with Ctrl-C.

    Example: zhanaozen-graph serve --port 7878
    """
    from ..sparql.server import ServerConfig
    from ..sparql.server import serve as run_server

    kg = open_graph(data_dir, build_dir, rebuild)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone who can reach it can query the graph", err=True)
    config = ServerConfig(
        store=kg.path / "store",
        timeout=timeout,
        max_rows=max_rows,
        max_bytes=max_bytes,
        workers=workers,
        queue=queue,
        worker_memory_mb=worker_memory,
        explorer=kg.path / "explorer.html",
        queries_dir=queries_dir,
        allow_hosts=allow_hosts,
        cors=cors,
    )
    del kg  # the workers open the store themselves
    try:
        run_server(
            config, host, port, ready=lambda url: click.echo(f"SPARQL endpoint at {url}sparql", err=True)
        )
    except OSError as exc:
        import errno

        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"cannot listen on {host}:{port}: the port is in use; stop the other server or choose another --port"
            ) from None
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --host or --port"
        ) from None


@click.command()
@click.option(
    "--endpoint",
    metavar="URL",
    callback=endpoint_url,
    help="Graph Store Protocol URL (or SPARQL Update URL).",
)
@click.option(
    "--oxigraph-dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Instead of --endpoint: bulk-load into the database directory of a stopped Oxigraph server.",
)
@click.option(
    "--graph", metavar="IRI", help="Load everything into this one named graph [default: one per source]."
)
@click.option(
    "--method",
    type=click.Choice(["auto", "gsp", "update"]),
    default="auto",
    show_default=True,
    help="Graph Store Protocol, SPARQL Update, or GSP falling back to Update.",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    callback=endpoint_url,
    help="Where SPARQL updates go [default: --endpoint].",
)
@click.option(
    "--query-endpoint",
    metavar="URL",
    callback=endpoint_url,
    help="Where the triples are counted after an update [default: the update URL, /update -> /query].",
)
@click.option("--user", help="User name (HTTP Basic or Digest).")
@click.option("--password", envvar="ZHANAOZEN_PASSWORD", help="Password [env: ZHANAOZEN_PASSWORD].")
@click.option(
    "--timeout",
    default=120.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds per HTTP request.",
)
@local_data_options
@quiet_option
def push(
    endpoint: str | None,
    oxigraph_dir: Path | None,
    graph: str | None,
    method: str,
    update_endpoint: str | None,
    query_endpoint: str | None,
    user: str | None,
    password: str | None,
    timeout: float,
    data_dir: Path | None,
    build_dir: Path | None,
    rebuild: bool,
) -> None:
    """Load the graph into a remote triple store, replacing the graphs of the same names.

    Credentials are sent only when the store asks (Basic or Digest); redirects are not followed.
    Afterwards the triples of each graph are counted at the store and compared with what was sent.

    With --oxigraph-dir the build is bulk-loaded into a stopped Oxigraph server's directory instead.

    Example: zhanaozen-graph push --endpoint http://localhost:7878/store
    """
    from ..sparql.remote import load_oxigraph_directory, redact
    from ..sparql.remote import push as run_push

    if (endpoint is None) == (oxigraph_dir is None):
        raise click.UsageError("give either --endpoint URL or --oxigraph-dir DIR")
    kg = open_graph(data_dir, build_dir, rebuild)
    where = str(oxigraph_dir) if endpoint is None else redact(endpoint)
    with Progress(f"pushing to {where}") as shown:

        def sent_so_far(sent: int, total: int) -> None:
            shown.total, shown.done = total, sent

        if oxigraph_dir is not None:
            loaded = load_oxigraph_directory(kg, oxigraph_dir, progress=sent_so_far)
        else:
            assert endpoint is not None
            result = run_push(
                kg,
                endpoint,
                graph=graph,
                method=method,
                update_endpoint=update_endpoint,
                query_endpoint=query_endpoint,
                user=user,
                password=password,
                timeout=timeout,
                progress=sent_so_far,
            )
    if oxigraph_dir is not None:
        click.echo(f"loaded {loaded.triples} triples in {len(loaded.graphs)} graphs into {oxigraph_dir}")
        return
    how = "the Graph Store Protocol" if result.method == "gsp" else "SPARQL Update"
    click.echo(f"pushed {result.triples} triples in {len(result.graphs)} graphs with {how}")


COMMANDS = [query, queries, serve, push]
