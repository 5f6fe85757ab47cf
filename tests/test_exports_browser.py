"""The TimelineJS export loaded into TimelineJS 3 itself (tests/fixtures/timelinejs/vendor), in Chromium.

The JSON schema of tests/fixtures/timelinejs checks the fields; this checks that the real library
draws them: one slide per event and a title slide, one marker per event, a row per event type, the
date as written, the quote as a blockquote with its source; hostile words shown as text, never run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from zhanaozen_graph.exports import timelinejs
from zhanaozen_graph.graph.build import KnowledgeGraph, load_graph

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures"
VENDOR = FIXTURES / "timelinejs" / "vendor"


def _page(browser: Any, doc: dict[str, Any], where: Path) -> tuple[Any, list[str], list[str], list[str]]:
    """TimelineJS on ``doc``: the page, the requests beyond the file, the script errors, the dialogs."""
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<style>{(VENDOR / 'timeline.css').read_text('utf-8')}</style>"
        f"<script>{(VENDOR / 'timeline.js').read_text('utf-8')}</script></head>"
        '<body><div id="tl" style="width:1200px;height:700px"></div><script>'
        "window.shown = [];"
        f"window.tl = new TL.Timeline('tl', {json.dumps(doc)}, {{font: null}});"
        "</script></body></html>"
    )
    path = where / "timeline.html"
    path.write_text(html, "utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    outside: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("file:") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector(".tl-slide", timeout=30_000)
    return page, outside, errors, dialogs


def test_timelinejs_draws_the_export(browser: Any, kg: KnowledgeGraph, tmp_path: Path) -> None:
    doc = timelinejs(kg)
    page, outside, errors, _ = _page(browser, doc, tmp_path)
    try:
        assert page.locator(".tl-slide").count() == 56  # the title and 55 events
        assert page.locator(".tl-timemarker").count() == 55
        groups = set(page.locator(".tl-timegroup-message").all_inner_texts())
        assert groups == {s["group"] for s in doc["events"]}
        page.evaluate("window.tl.goToId('atabaev-released')")
        slide = page.locator("#atabaev-released")
        slide.locator(".tl-media-blockquote blockquote").wait_for(timeout=30_000)
        assert slide.locator(".tl-headline").inner_text() == (
            "Bolat Atabaev is released and walks free from Pre-trial Detention Centre Number One in Aktau "
            "under Article 65"
        )
        assert slide.locator(".tl-headline-date").inner_text() == "at 10pm on 3 July"
        assert slide.locator(".tl-media-blockquote blockquote").inner_text() == (
            "Prisoner of conscience Bolat Atabaev was released on 3 July."
        )
        assert slide.locator(".tl-caption").inner_text() == "Urgent Action: Bolat Atabaev released"
        assert slide.locator(".tl-credit").inner_text() == "amnesty-ua-2012-07-atabaev-released"
        assert slide.locator(".tl-text-content blockquote").count() == 3
        assert (outside, errors) == ([], [])
    finally:
        page.close()


def test_timelinejs_shows_hostile_words_as_text(browser: Any, tmp_path: Path) -> None:
    root = tmp_path / "xss"
    shutil.copytree(FIXTURES / "xss-data", root / "data")
    doc = timelinejs(load_graph(root / "data", root / "build"))
    page, outside, errors, dialogs = _page(browser, doc, tmp_path)
    try:
        for slide in doc["events"]:  # media are drawn when their slide is shown
            page.evaluate(f"window.tl.goToId({json.dumps(slide['unique_id'])})")
            page.locator(f"#{slide['unique_id']} .tl-media-blockquote blockquote").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        assert page.locator("#tl img").count() == 0
        assert "<img src=x onerror=alert(1)>" in page.locator("#tl").inner_text()
        assert (outside, errors, dialogs) == ([], [], [])
    finally:
        page.close()
