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
    <input id="zg-search" type="search" autocomplete="off"
           placeholder="Search names, aliases, quotes, claims (e.g. at least 15 people were killed)"
           aria-label="Search names, aliases, quotes, claims and descriptions">
    <ol id="zg-results" aria-live="polite"></ol>
  </div>
  <span id="zg-count" aria-live="polite"></span>
</header>
<main id="zg-main">
  <aside id="zg-filters" aria-label="Filters and legend">
    <section><h2>Types</h2><div id="zg-kinds"></div></section>
    <section><h2>Claims by stance</h2><div id="zg-stances"></div></section>
    <section><h2>Edges</h2><div id="zg-edge-legend"></div></section>
    <label class="zg-option"><input id="zg-focus" type="checkbox"> Focus: dim all but the selection and its
      neighbours</label>
    <p class="zg-note">Drag to pan, scroll to zoom. Node size: number of links. Labels: the most connected
      nodes, and the selection with its neighbours; hover a node for its name. The address bar keeps the
      view: copy it to cite it.</p>
  </aside>
  <div id="zg-views">
    <div id="zg-top">
      <section id="zg-graph-box" aria-label="Network and tables">
        <div id="zg-tabs" role="tablist">
          <button type="button" role="tab" data-tab="network">Network</button>
          <button type="button" role="tab" data-tab="claims">Claims table</button>
          <button type="button" role="tab" data-tab="events">Events table</button>
        </div>
        <div id="zg-network" aria-label="Network of people, organisations, places, events and claims"></div>
        <div id="zg-table-box" hidden>
          <div id="zg-table-head">
            <input id="zg-table-filter" type="search" placeholder="Filter rows" aria-label="Filter the table rows">
            <span id="zg-table-count"></span>
            <button id="zg-csv" type="button">Download CSV</button>
          </div>
          <div id="zg-table"></div>
        </div>
      </section>
      <section id="zg-map-box" aria-label="Map of places">
        <div id="zg-map-head"><h2>Map</h2>
          <span class="zg-zoom" id="zg-map-zoom"><span id="zg-map-scale"></span><button id="zg-map-in" type="button"
            aria-label="Zoom in on the map">+</button><button id="zg-map-out" type="button"
            aria-label="Zoom out on the map">&minus;</button><button id="zg-map-reset" type="button"
            aria-label="Show the whole map">Reset</button></span></div>
        <svg id="zg-map" role="group" aria-label="Places with coordinates. Wheel or + and - to zoom, drag or the
          arrow keys to pan, 0 to reset"></svg>
        <p class="zg-note">Dashed outline: coordinates from outside knowledge, not from the documents. Rings:
          areas, drawn at their centre. Outline: Natural Earth.</p>
        <h2>Places (contained in)</h2>
        <ul id="zg-places"></ul>
      </section>
    </div>
    <section id="zg-timeline-box" aria-label="Timeline of events">
      <div id="zg-timeline-head">
        <h2>Timeline</h2>
        <label>from <input id="zg-from" type="date"></label>
        <label>to <input id="zg-to" type="date"></label>
        <select id="zg-mode" aria-label="Which events the range keeps">
          <option value="overlaps">overlapping the range</option>
          <option value="within">entirely within the range</option>
        </select>
        <button id="zg-reset" type="button">All dates</button>
        <span class="zg-zoom"><button id="zg-zoom-in" type="button" aria-label="Zoom in on time">+</button><button
          id="zg-zoom-out" type="button" aria-label="Zoom out on time">&minus;</button><button id="zg-zoom-fit"
          type="button">Fit</button></span>
        <span id="zg-timeline-legend"></span>
      </div>
      <div id="zg-timeline" tabindex="0">
        <div id="zg-timeline-axis"></div>
        <div id="zg-timeline-body"></div>
      </div>
    </section>
  </div>
  <aside id="zg-panel" aria-label="Details" aria-live="polite">
    <p class="zg-hint">Click a node, an event on the timeline, a place on the map, a table row or a search
      result to see its details and evidence.</p>
  </aside>
</main>
<div id="zg-tip" role="tooltip" hidden></div>
<script type="application/json" id="zg-data">{data}</script>
{world}{scripts}
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
    names = ["vis-network.min.js"]
    world = ""
    if any("coordinates" in n for n in model["nodes"]):
        # The map: Natural Earth outlines (world-atlas) drawn with d3-geo, only when a place has coordinates.
        names += ["vendor/d3-array.min.js", "vendor/d3-geo.min.js", "vendor/topojson-client.min.js"]
        atlas = json.loads(_asset("vendor/countries-110m.json"))
        world = f'<script type="application/json" id="zg-world">{embed_json(atlas)}</script>\n'
    scripts = ["\n" + _inline_script(_asset(name)) + "\n" for name in [*names, "explorer.js"]]
    return _TEMPLATE.format(
        csp=content_policy(scripts, [css]),
        title=html.escape(model["title"]),
        css=css,
        data=embed_json(model),
        world=world,
        scripts="".join(f"<script>{code}</script>\n" for code in scripts),
    )
