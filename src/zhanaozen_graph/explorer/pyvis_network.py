"""A bridge to pyvis for notebook users: the explorer's nodes and positions as a ``pyvis.network.Network``.

Needs the ``pyvis`` extra. The network comes laid out (the explorer's positions, physics off), so it
draws at once at thousands of nodes, and its page makes no request: pyvis' ``in_line`` mode inlines
vis-network but its template still loads Bootstrap from a CDN, so the network is given pyvis' own
template without those two tags, with a Content Security Policy that forbids every request, and the
heading escaped. Titles are escaped HTML shown in pyvis' HTML pop-up: a quote reading
``<img src=x onerror=...>`` is shown as text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from ..errors import require
from ..graph.build import KnowledgeGraph
from .viewmodel import KINDS, STANCE_COLOURS, NodeView, ViewModel, build_view_model

__all__ = ["CSP", "offline_template", "to_pyvis"]

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)
_BOOTSTRAP = re.compile(
    r"\s*<link\s[^>]*href=\"https://cdn\.jsdelivr\.net/npm/bootstrap@[^\"]*\"[^>]*/>"
    r"|\s*<script\s[^>]*src=\"https://cdn\.jsdelivr\.net/npm/bootstrap@[^\"]*\"[^>]*>\s*</script>",
    re.DOTALL,
)
_FIRST_HEADING = re.compile(r"<center>\s*<h1>\{\{heading\}\}</h1>\s*</center>")
# Without Bootstrap the page would fall back to the browser's serif font.
_STYLE = (
    "<style>body, div.popup { font-family: system-ui, sans-serif; } div.popup { padding: 4px 8px; }</style>"
)
_COLOURS = {k["key"]: k["color"] for k in KINDS}
_SHAPES = {k["key"]: k["shape"] for k in KINDS}


def offline_template(template: str) -> str:
    """The page template of pyvis without its CDN tags, with a CSP, the heading escaped, and HTML pop-ups.

    Raises
    ------
    RuntimeError
        The template no longer has the tags this expects (another pyvis version): better no page
        than a page that calls a CDN.

    Examples
    --------
    >>> page = '<html><head><meta charset="utf-8"></head><h1>{{heading}}</h1>' + (
    ...     '<link href="https://cdn.jsdelivr.net/npm/bootstrap@5/b.css" rel="stylesheet" />'
    ...     '<script src="https://cdn.jsdelivr.net/npm/bootstrap@5/b.js"></script>{% if tooltip_link %}')
    >>> print(offline_template(page))  # doctest: +ELLIPSIS
    <html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; ...">...<h1>{{heading|e}}</h1>{% if true %}
    """
    out, removed = _BOOTSTRAP.subn("", template)
    head = '<meta charset="utf-8">'
    if removed != 2 or head not in out or "{{heading}}" not in out:
        raise RuntimeError("pyvis' template has changed: cannot make its page offline")
    out = out.replace(head, f'{head}<meta http-equiv="Content-Security-Policy" content="{CSP}">{_STYLE}', 1)
    # pyvis writes the heading twice (once before and once after the Bootstrap tags): keep the second.
    out = _FIRST_HEADING.sub("", out, count=1)
    out = out.replace("{{heading}}", "{{heading|e}}")
    # Always the HTML pop-up (pyvis picks it only when a title contains "href"): titles are escaped HTML.
    return out.replace("{% if tooltip_link %}", "{% if true %}")


def _title(node: NodeView) -> str:
    """The pop-up of a node: label, kind and type, date, first quote; every piece escaped."""
    lines = [f"<b>{html.escape(node['label'])}</b>"]
    kind = node["kind"] + (f" · {node['type']}" if node.get("type") else "")
    lines.append(html.escape(kind))
    date = node.get("date")
    if date:
        lines.append(html.escape(f"{date['edtf']} ({date['earliest']} – {date['latest']}, {date['status']})"))
    if node["evidence"]:
        first = node["evidence"][0]
        lines.append(f"“{html.escape(first['quote'])}” <i>{html.escape(first['source'])}</i>")
    return "<br>".join(lines)


def to_pyvis(
    source: KnowledgeGraph | ViewModel,
    *,
    height: str = "800px",
    width: str = "100%",
    heading: str = "",
    notebook: bool = False,
    seed: int = 1,
) -> Any:
    """The graph as a ``pyvis.network.Network``: positions preset, physics off, titles escaped, no request.

    Parameters
    ----------
    source
        The graph, or a view model (see :func:`~zhanaozen_graph.explorer.build_view_model`).
    height, width, heading, notebook
        Passed to ``pyvis.network.Network`` (the heading is escaped in the page).
    seed
        The layout's seed (the same graph and seed give the same positions).

    Returns
    -------
    pyvis.network.Network
        Directed, ``cdn_resources="in_line"``, with the offline template (:func:`offline_template`);
        ``write_html``, ``generate_html`` and ``show`` give a page that makes no request.

    Raises
    ------
    MissingExtraError
        pyvis is not installed (``pip install 'zhanaozen-graph[pyvis]'``).

    Examples
    --------
    >>> from zhanaozen_graph import load_graph
    >>> net = to_pyvis(load_graph())
    >>> node = next(n for n in net.nodes if n["label"] == "Bolat Atabaev")
    >>> node["shape"], node["physics"], isinstance(node["x"], float)
    ('dot', False, True)
    >>> page = net.generate_html()
    >>> "cdn.jsdelivr.net" in page, "Content-Security-Policy" in page
    (False, True)
    """
    network = require("pyvis.network", "pyvis", "to_pyvis")
    jinja2 = require("jinja2", "pyvis", "to_pyvis")
    from . import lay_out

    model = build_view_model(source) if isinstance(source, KnowledgeGraph) else source
    model = lay_out({**model, "nodes": [n.copy() for n in model["nodes"]]})  # positions on copies
    net = network.Network(
        height=height, width=width, directed=True, heading=heading, notebook=notebook, cdn_resources="in_line"
    )
    templates = Path(str(network.__file__)).parent / "templates"
    page = offline_template((templates / "template.html").read_text(encoding="utf-8"))
    net.templateEnv = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.DictLoader({"template.html": page}), jinja2.FileSystemLoader(str(templates))]
        )
    )
    net.path = "template.html"
    net.set_options(
        '{"physics": {"enabled": false}, "edges": {"smooth": false, "color": {"inherit": false}},'
        ' "nodes": {"font": {"size": 14}, "scaling": {"label": {"enabled": true, "drawThreshold": 11}}},'
        ' "interaction": {"hover": true, "hideEdgesOnDrag": true, "tooltipDelay": 150}}'
    )
    for node in model["nodes"]:
        colour = STANCE_COLOURS.get(node.get("stance") or "", _COLOURS.get(node["kind"], "#777777"))
        net.add_node(
            node["id"],
            label=node["label"],
            shape=_SHAPES.get(node["kind"], "dot"),
            color=colour,
            title=_title(node),
            x=float(node["x"]),
            y=float(node["y"]),
            size=node["size"],
            physics=False,
        )
    known = set(net.node_map)
    for edge in model["edges"]:
        if edge["from"] in known and edge["to"] in known:
            # Appended as pyvis' Edge would write them: its add_edge scans every node for each edge.
            net.edges.append(
                {
                    "from": edge["from"],
                    "to": edge["to"],
                    "arrows": "to",
                    "title": html.escape(edge["label"]),
                    "color": "#999999" if not edge["external"] else "#cccccc",
                    "dashes": edge["external"],
                }
            )
    return net
