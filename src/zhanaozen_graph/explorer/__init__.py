"""The offline HTML explorer: the network and the timeline, linked, every fact with its evidence.

One self-contained HTML file (vis-network, the data and the code inline; a Content Security Policy
that forbids every request), laid out in Python so that the page draws at once.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..graph.build import KnowledgeGraph
from .viewmodel import EdgeView, NodeView, ViewModel, build_view_model, gc_paused

__all__ = [
    "EdgeView",
    "ExplorerFile",
    "NodeView",
    "ViewModel",
    "build_view_model",
    "lay_out",
    "render_explorer",
    "show_explorer",
    "write_explorer",
]

DEFAULT_TITLE = "zhanaozen-graph explorer"


def lay_out(model: ViewModel, *, seed: int = 1, overview_threshold: int | None = None) -> ViewModel:
    """Give every node of ``model`` a position (``x``, ``y``) and a size by degree, in place.

    Nodes that already have ``x`` and ``y`` keep them. Above ``overview_threshold`` nodes (by
    default :data:`~zhanaozen_graph.explorer.overview.OVERVIEW_THRESHOLD`) the model also gets an
    ``overview`` (clusters by source document and the most connected nodes, see
    :func:`~zhanaozen_graph.explorer.overview.build_overview`) for the page to open on.

    Examples
    --------
    >>> vm = {"title": "t", "kinds": [], "stances": [], "statuses": {}, "sources": {},
    ...       "nodes": [{"id": "a"}, {"id": "b"}], "edges": [{"from": "a", "to": "b"}]}
    >>> [sorted(n) for n in lay_out(vm)["nodes"]]  # doctest: +NORMALIZE_WHITESPACE
    [['id', 'size', 'x', 'y'], ['id', 'size', 'x', 'y']]
    """
    with gc_paused():  # many small objects, no cycles: see gc_paused
        return _lay_out(model, seed, overview_threshold)


def _lay_out(model: ViewModel, seed: int, overview_threshold: int | None) -> ViewModel:
    from .layout import layout_positions, node_sizes
    from .overview import OVERVIEW_THRESHOLD, build_overview

    nodes = model["nodes"]
    index = {n["id"]: i for i, n in enumerate(nodes)}
    pairs = [
        (index[e["from"]], index[e["to"]]) for e in model["edges"] if e["from"] in index and e["to"] in index
    ]
    sizes = node_sizes(len(nodes), pairs)
    if any("x" not in n or "y" not in n for n in nodes):
        positions = layout_positions(len(nodes), pairs, seed=seed)
        for node, (x, y) in zip(nodes, positions, strict=True):
            node.setdefault("x", x)
            node.setdefault("y", y)
    for node, size in zip(nodes, sizes, strict=True):
        node.setdefault("size", round(size, 1))
    limit = OVERVIEW_THRESHOLD if overview_threshold is None else overview_threshold
    if len(nodes) > limit:
        model["overview"] = build_overview(model)
    else:
        model.pop("overview", None)
    return model


def render_explorer(
    source: KnowledgeGraph | ViewModel,
    *,
    title: str | None = None,
    data_dir: Path | str | None = None,
) -> str:
    """The explorer as one self-contained HTML page.

    Parameters
    ----------
    source
        The graph (from :func:`~zhanaozen_graph.graph.build.load_graph`), or a view model built by
        :func:`build_view_model` or by hand (the benchmark draws a synthetic one).
    title
        The page's title; by default the view model's, else "zhanaozen-graph explorer".
    data_dir
        Read the source texts (for quotes in their sentence) from this data directory instead of
        the graph's ``schema:text``.

    Returns
    -------
    str
        HTML with every script, style and datum inline, and a Content Security Policy that
        forbids any request. Every label and quote is inserted as text, never as markup.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> page = render_explorer(load_graph(), title="Zhanaozen <2011>")
    >>> page.startswith("<!DOCTYPE html>"), "<title>Zhanaozen &lt;2011&gt;</title>" in page
    (True, True)
    >>> "Committee for National Security" in page
    True
    """
    from .page import render_page

    if isinstance(source, KnowledgeGraph):
        model = build_view_model(source, title=title or DEFAULT_TITLE, data_dir=data_dir)
    else:
        model = source
        if title is not None:
            model = {**model, "title": title}
    return render_page(lay_out(model))


@dataclass(frozen=True)
class ExplorerFile:
    """What :func:`write_explorer` wrote."""

    path: Path
    nodes: int
    edges: int
    bytes: int


def write_explorer(
    source: KnowledgeGraph | ViewModel,
    path: Path | str,
    *,
    title: str | None = None,
    data_dir: Path | str | None = None,
) -> ExplorerFile:
    """Write the explorer page to ``path`` atomically (see :func:`render_explorer`).

    Raises
    ------
    BuildError
        The file cannot be written (a missing permission, a directory in the way).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from zhanaozen_graph import load_graph
    >>> out = write_explorer(load_graph(), pathlib.Path(tempfile.mkdtemp()) / "explorer.html")
    >>> out.nodes > 100, out.bytes > 400_000
    (True, True)
    """
    from ..errors import BuildError
    from ..graph.build import atomic_write

    if isinstance(source, KnowledgeGraph):
        model = build_view_model(source, title=title or DEFAULT_TITLE, data_dir=data_dir)
    else:
        model = source
    page = render_explorer(model, title=title)
    target = Path(path)
    try:
        with atomic_write(target) as fh:
            fh.write(page)
    except OSError as exc:
        raise BuildError(
            f"cannot write the explorer: {exc.strerror}", path=target, hint="choose another file with -o"
        ) from exc
    return ExplorerFile(
        path=target, nodes=len(model["nodes"]), edges=len(model["edges"]), bytes=len(page.encode("utf-8"))
    )


def show_explorer(source: KnowledgeGraph | ViewModel, *, height: int = 720, title: str | None = None) -> Any:
    """The explorer for a Jupyter notebook: an ``<iframe srcdoc=...>`` as ``IPython.display.HTML``.

    The page runs sandboxed (scripts only, no same-origin access), which works in JupyterLab and
    the classic notebook alike, where pyvis' notebook mode often renders blank.

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> frame = show_explorer(load_graph(), height=500)
    >>> frame.data.startswith('<iframe sandbox="allow-scripts"'), 'height:500px' in frame.data
    (True, True)
    """
    from ..errors import require

    HTML = require("IPython.display", "notebook", "showing the explorer in a notebook").HTML
    page = render_explorer(source, title=title)
    frame = (
        f'<iframe sandbox="allow-scripts" srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
        f'title="zhanaozen-graph explorer"></iframe>'
    )
    with warnings.catch_warnings():
        # IPython suggests its IFrame class, which needs a URL: srcdoc is the point here.
        warnings.filterwarnings("ignore", "Consider using IPython.display.IFrame", UserWarning)
        return HTML(frame)
