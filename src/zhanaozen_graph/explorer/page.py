"""Render the explorer page: one self-contained HTML file with every script, style and datum inline."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from importlib import resources
from typing import Any

from .viewmodel import ViewModel

__all__ = ["CSP", "content_policy", "embed_json", "render_page"]

# Nothing may leave the page: no fetch, no image, no font, no frame; only the page's own inline code
# runs, named by its SHA-256 hash (no 'unsafe-inline': a script or style injected into the page does not
# run). {scripts} and {styles} are filled in by content_policy().
CSP = (
    "default-src 'none'; script-src {scripts}; style-src {styles}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_policy(scripts: list[str], styles: list[str]) -> str:
    """The page's Content Security Policy: :data:`CSP` allowing exactly these inline scripts and styles.

    Examples
    --------
    >>> content_policy(["x()"], [])
    "default-src 'none'; script-src 'sha256-D6IGS8VMvCoyaR/l0h9tERrBTATY01CoPS7l6xDv0kI='; style-src 'none'; img-src data:; base-uri 'none'; form-action 'none'"
    """
    return CSP.format(
        scripts=" ".join(map(_sha256, scripts)) or "'none'", styles=" ".join(map(_sha256, styles)) or "'none'"
    )


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>{css}</style>
</head>
<body>
<header id="zg-header">
  <h1 id="zg-title"></h1>
  <div id="zg-search-box">
    <input id="zg-search" type="search" placeholder="Search names and aliases (e.g. KNB)" autocomplete="off"
           aria-label="Search names and aliases">
    <ol id="zg-results" aria-live="polite"></ol>
  </div>
  <span id="zg-count" aria-live="polite"></span>
</header>
<main id="zg-main">
  <aside id="zg-filters" aria-label="Filters and legend">
    <section><h2>Types</h2><div id="zg-kinds"></div></section>
    <section><h2>Claims by stance</h2><div id="zg-stances"></div></section>
    <section><h2>Edges</h2><div id="zg-edge-legend"></div></section>
    <p class="zg-note">Positions are precomputed; drag to pan, scroll to zoom. Node size: number of links.</p>
  </aside>
  <div id="zg-views">
    <div id="zg-network" aria-label="Network of people, organisations, places, events and claims"></div>
    <section id="zg-timeline-box" aria-label="Timeline of events">
      <div id="zg-timeline-head">
        <h2>Timeline</h2>
        <label>from <input id="zg-from" type="range" step="1"> <output id="zg-from-out"></output></label>
        <label>to <input id="zg-to" type="range" step="1"> <output id="zg-to-out"></output></label>
        <button id="zg-reset" type="button">All dates</button>
        <span id="zg-timeline-legend"></span>
      </div>
      <div id="zg-timeline"></div>
    </section>
  </div>
  <aside id="zg-panel" aria-label="Details" aria-live="polite">
    <p class="zg-hint">Click a node, an event on the timeline or a search result to see its details and evidence.</p>
  </aside>
</main>
<script type="application/json" id="zg-data">{data}</script>
<script>{vis}</script>
<script>{js}</script>
</body>
</html>
"""


def embed_json(value: Any) -> str:
    """JSON safe to place inside a ``<script>`` element: ``<``, ``>`` and ``&`` become ``\\u`` escapes.

    The escapes are valid JSON, so ``JSON.parse`` reads back the same text, while no ``</script>``
    or ``<!--`` can end the element early.

    Examples
    --------
    >>> embed_json({"label": "</script><img src=x onerror=alert(1)>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    >>> import json; json.loads(embed_json(["a&b"]))
    ['a&b']
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _asset(name: str) -> str:
    return resources.files("zhanaozen_graph.explorer").joinpath("assets", name).read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    """Script text that cannot close its element early (``</script`` is split in a JS-neutral way)."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def render_page(model: ViewModel) -> str:
    """The page for a laid-out view model (nodes with ``x``, ``y`` and ``size``).

    Examples
    --------
    >>> page = render_page({"title": "<b>T</b>", "kinds": [], "stances": [], "statuses": {},
    ...                     "sources": {}, "nodes": [], "edges": []})
    >>> "<title>&lt;b&gt;T&lt;/b&gt;</title>" in page, "://" in page.split("<script")[0]
    (True, False)
    """
    css = "\n" + _asset("explorer.css").replace("</style", "<\\/style") + "\n"
    vis = "\n" + _inline_script(_asset("vis-network.min.js")) + "\n"
    js = "\n" + _inline_script(_asset("explorer.js")) + "\n"
    return _TEMPLATE.format(
        csp=content_policy([vis, js], [css]),
        title=html.escape(model["title"]),
        css=css,
        data=embed_json(model),
        vis=vis,
        js=js,
    )
