"""The pyvis bridge: positions preset, physics off, titles escaped, and a page that makes no request."""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from zhanaozen_graph import MissingExtraError
from zhanaozen_graph.explorer import build_view_model
from zhanaozen_graph.explorer.pyvis_network import to_pyvis
from zhanaozen_graph.explorer.viewmodel import new_node

PAYLOAD = "<img src=x onerror=alert(1)>"
KINDS = ["Person", "Group", "Organisation", "Place", "Event", "Claim"]


def synthetic(n: int, seed: int = 3) -> Any:
    """A view model of ``n`` nodes in documents of 50, each linked to the one before; node 0 is hostile."""
    rng = random.Random(seed)
    nodes = [
        {
            **new_node(f"urn:n{i}", PAYLOAD if i == 0 else f"node {i}", KINDS[i % len(KINDS)]),
            "evidence": [
                {"source": "doc", "before": "", "quote": PAYLOAD if i == 0 else "a quote", "after": ""}
            ],
            "sources": ["doc"],
        }
        for i in range(n)
    ]
    pairs = []  # shaped like tests/test_explorer_scale.py's documents: a tree, as many random links, 3 to the last
    for d in range(n // 50):
        base = d * 50
        pairs += [(base + i, base + rng.randrange(i)) for i in range(1, 50)]
        pairs += [(base + rng.randrange(50), base + rng.randrange(50)) for _ in range(50)]
        if d:
            pairs += [(base + rng.randrange(50), base - 1 - rng.randrange(50)) for _ in range(3)]
    edges = [
        {"from": f"urn:n{a}", "to": f"urn:n{b}", "label": "took part", "kind": "participant"}
        for a, b in pairs
        if a != b
    ]
    for e in edges:
        e.update({"external": False, "evidence": []})
    return {
        "title": "t",
        "kinds": [],
        "stances": [],
        "statuses": {},
        "sources": {},
        "nodes": nodes,
        "edges": edges,
    }


def test_the_real_graph_with_positions_and_no_physics(kg: Any) -> None:
    model = build_view_model(kg)
    net = to_pyvis(kg)
    assert [n["id"] for n in net.nodes] == [n["id"] for n in model["nodes"]]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in net.nodes)
    assert {n["physics"] for n in net.nodes} == {False}
    assert net.options["physics"] == {"enabled": False}
    atabaev = net.node_map["bolat-atabaev"]
    assert atabaev["title"].split("<br>")[:2] == ["<b>Bolat Atabaev</b>", "Person"]
    assert len(net.edges) == len(model["edges"])


def test_titles_labels_and_the_heading_are_escaped() -> None:
    net = to_pyvis(synthetic(3), heading=f"Zhanaozen {PAYLOAD}")
    first = net.nodes[0]
    assert first["title"] == (
        "<b>&lt;img src=x onerror=alert(1)&gt;</b><br>Person<br>“&lt;img src=x onerror=alert(1)&gt;” <i>doc</i>"
    )
    page = net.generate_html()
    assert PAYLOAD not in page.replace("\\u003c", "<").split("nodes = new vis.DataSet(")[0]
    assert "<h1>Zhanaozen &lt;img src=x onerror=alert(1)&gt;</h1>" in page


def test_the_page_names_no_outside_resource() -> None:
    page = re.sub(r"<!--.*?-->", "", to_pyvis(synthetic(3)).generate_html(), flags=re.DOTALL)
    assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page
    assert 'src="http' not in page and 'href="http' not in page
    assert page.count("<script src=") == 0 and "<link " not in page
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in page


def test_without_pyvis_one_line_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyvis.network", None)  # import pyvis.network raises ImportError
    with pytest.raises(MissingExtraError) as info:
        to_pyvis(synthetic(2))
    assert str(info.value) == (
        "to_pyvis needs pyvis, which is not installed; install it with: pip install 'zhanaozen-graph[pyvis]'"
    )


@pytest.mark.browser
def test_five_thousand_nodes_draw_in_chromium_with_no_request(tmp_path: Path, browser: Any) -> None:
    start = time.perf_counter()
    net = to_pyvis(synthetic(5000))
    built = time.perf_counter() - start
    page_file = tmp_path / "pyvis.html"
    net.write_html(str(page_file))
    url = page_file.as_uri()
    requests: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened = time.perf_counter()
    page.goto(url)
    deadline = time.monotonic() + 60
    drawn = False
    while time.monotonic() < deadline and not drawn:
        drawn = page.evaluate(
            """() => {
              const c = document.querySelector('#mynetwork canvas');
              if (!c || typeof network === 'undefined') return false;
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let ink = 0;
              for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) ink++;
              return ink > 1000;
            }"""
        )
        if not drawn:
            time.sleep(0.2)
    to_draw = time.perf_counter() - opened
    assert drawn, "nothing drawn within 60 s"
    assert page.evaluate("() => network.body.data.nodes.length") == 5000
    assert page.evaluate("() => network.physics.options.enabled") is False
    # The hostile node's pop-up shows its title as text: no element is made from it, nothing runs.
    page.evaluate("() => network.emit('showPopup', 'urn:n0')")
    popup = page.evaluate("() => document.querySelector('div.popup').textContent")
    assert popup.startswith(PAYLOAD)
    assert page.evaluate("() => document.querySelectorAll('div.popup img').length") == 0
    page.wait_for_timeout(300)
    page.close()
    print(f"to_pyvis at 5,000 nodes: {built:.2f} s; drawn in Chromium {to_draw:.2f} s after opening")
    assert requests == [url]
    assert errors == []
    assert dialogs == []
