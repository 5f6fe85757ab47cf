"""The explorer in a real Chromium (Debian's /usr/bin/chromium driven by Playwright, no download)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from zhanaozen_graph import load_graph
from zhanaozen_graph.explorer import build_view_model, write_explorer
from zhanaozen_graph.timeline import timeline

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIXTURE = Path(__file__).parent / "fixtures" / "xss-data"
PAYLOAD = "<img src=x onerror=alert(1)>"
SCREENSHOT = Path(__file__).resolve().parents[1] / "build" / "explorer.png"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@dataclass
class Session:
    """A page opened on a file, with everything it requested, logged and tried to show."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


def _wait(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Poll ``expression`` from Python: Playwright's wait_for_function evaluates strings with eval(),
    which the page's Content Security Policy forbids (as it should)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(20)


def _open(browser: Any, path: Path) -> Session:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    session = Session(page, path.resolve().as_uri())
    page.on("request", lambda r: session.requests.append(r.url))
    page.on("console", lambda m: session.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: session.errors.append(str(e)))

    def on_dialog(d: Any) -> None:
        session.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(session.url)
    _wait(page, "document.documentElement.dataset.drawn === '1'")
    return session


@pytest.fixture(scope="module")
def real_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_explorer(load_graph(), tmp_path_factory.mktemp("explorer") / "explorer.html").path


@pytest.fixture
def real(browser: Any, real_file: Path) -> Iterator[Session]:
    session = _open(browser, real_file)
    yield session
    session.page.close()


def _panel_title(s: Session) -> str:
    return str(s.page.locator("#zg-panel h2.zg-panel-title").inner_text())


def test_page_loads_offline_with_no_error_and_no_request(real: Session) -> None:
    vm = build_view_model(load_graph())
    events = [n["id"] for n in vm["nodes"] if n["kind"] == "Event"]
    assert real.requests == [real.url]
    assert real.errors == []
    assert sorted(real.js("zgExplorer.visibleIds()")) == sorted(n["id"] for n in vm["nodes"])
    assert sorted(real.js("zgExplorer.timelineIds()")) == sorted(events)
    assert (
        real.page.locator("#zg-count").inner_text() == f"{len(vm['nodes'])} of {len(vm['nodes'])} nodes shown"
    )
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    real.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_search_finds_atabaev_and_opens_his_panel(real: Session) -> None:
    real.page.fill("#zg-search", "Atabaev")
    first = real.page.locator("#zg-results button").first
    assert first.locator("span").first.inner_text() == "Bolat Atabaev"
    first.click()
    assert _panel_title(real) == "Bolat Atabaev"
    assert real.js("zgExplorer.network.getSelectedNodes()") == ["bolat-atabaev"]
    roles = real.page.locator("#zg-panel li", has_text="detainee in").all_inner_texts()
    assert "detainee in KNB officers arrest Bolat Atabaev as he is leaving his home in Almaty" in roles


def test_search_by_alias_knb_finds_the_committee(real: Session) -> None:
    real.page.fill("#zg-search", "KNB")
    first = real.page.locator("#zg-results button").first
    assert first.inner_text().splitlines() == [
        "Committee for National Security",
        "Organisation · also called KNB",
    ]
    real.page.keyboard.press("Enter")
    assert _panel_title(real) == "Committee for National Security"


def test_clicking_the_arrest_on_the_timeline_shows_its_date_and_quote(real: Session) -> None:
    real.page.locator('#zg-timeline .zg-ev[data-id="atabaev-arrested"] rect').first.click()
    assert _panel_title(real) == "KNB officers arrest Bolat Atabaev as he is leaving his home in Almaty"
    dates = real.page.locator("#zg-panel dl").inner_text().splitlines()
    assert dates[:6] == ["As written", "on 15 June", "EDTF", "2012-06-15", "On", "2012-06-15"]
    assert real.page.locator("#zg-panel dl .zg-badge").inner_text() == "year-inferred"
    assert real.page.locator("#zg-panel blockquote mark").all_inner_texts() == [
        "He was arrested on 15 June by KNB officers as he was leaving his home in Almaty."
    ]
    assert real.js("zgExplorer.network.getSelectedNodes()") == ["atabaev-arrested"]
    assert real.page.locator("#zg-timeline .zg-ev.sel").get_attribute("data-id") == "atabaev-arrested"


def test_clicking_an_event_in_the_network_selects_it_on_the_timeline(real: Session) -> None:
    real.js("zgExplorer.network.focus('atabaev-released', {scale: 2, animation: false})")
    x, y = real.js(
        "(() => { const n = zgExplorer.network; const p = n.canvasToDOM(n.getPositions(['atabaev-released'])"
        "['atabaev-released']); const r = document.getElementById('zg-network').getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; })()"
    )
    real.page.mouse.click(x, y)
    assert real.js("zgExplorer.network.getSelectedNodes()") == ["atabaev-released"]
    assert real.page.locator("#zg-timeline .zg-ev.sel").get_attribute("data-id") == "atabaev-released"
    assert _panel_title(real) == (
        "Bolat Atabaev is released and walks free from Pre-trial Detention Centre Number One in Aktau "
        "under Article 65"
    )


def test_slider_from_2012_hides_the_2011_events_in_both_views(real: Session) -> None:
    entries = timeline(load_graph())
    ended_2011 = {e["id"] for e in entries if e["latest"] < "2012-01-01"}
    still_shown = {e["id"] for e in entries} - ended_2011
    assert {"journalists-assaulted", "zhanaozen-clashes"} <= ended_2011  # hand-checked: Oct 2011, 16 Dec 2011
    assert {"atabaev-arrested", "strikes-begin"} <= still_shown  # the strikes began in May 2011, end unknown
    real.js(
        "(() => { const f = document.getElementById('zg-from');"
        " f.value = String(zgExplorer.dayOf('2012-01-01')); f.dispatchEvent(new Event('input')); })()"
    )
    _wait(real.page, f"zgExplorer.timelineIds().length === {len(still_shown)}")
    assert real.page.locator("#zg-from-out").inner_text() == "2012-01-01"
    network = set(real.js("zgExplorer.visibleIds()"))
    assert network.isdisjoint(ended_2011)
    assert set(real.js("zgExplorer.timelineIds()")) == still_shown
    assert still_shown <= network
    assert "bolat-atabaev" in network  # undated nodes stay
    real.page.click("#zg-reset")
    _wait(real.page, f"zgExplorer.timelineIds().length === {len(entries)}")


def test_stance_filter_hides_allegations(real: Session) -> None:
    vm = build_view_model(load_graph())
    allegations = {n["id"] for n in vm["nodes"] if n["stance"] == "allegation"}
    assert len(allegations) == 8
    real.page.locator('#zg-stances input[data-key="allegation"]').uncheck()
    shown = set(real.js("zgExplorer.visibleIds()"))
    assert shown.isdisjoint(allegations)
    assert len(shown) == len(vm["nodes"]) - 8
    real.page.locator('#zg-kinds input[data-key="Event"]').uncheck()
    assert real.js("zgExplorer.timelineIds()") == []
    events = sum(1 for n in vm["nodes"] if n["kind"] == "Event")
    assert len(real.js("zgExplorer.visibleIds()")) == len(vm["nodes"]) - 8 - events


def test_payloads_in_label_alias_and_quote_stay_text(browser: Any, tmp_path: Path) -> None:
    kg = load_graph(FIXTURE, build_dir=tmp_path / "build")
    s = _open(browser, write_explorer(kg, tmp_path / "xss.html", title=PAYLOAD).path)
    try:
        assert s.page.locator("#zg-title").inner_text() == PAYLOAD
        s.page.fill("#zg-search", "<img")
        hits = s.page.locator("#zg-results button").all_inner_texts()
        assert hits == [  # an alias that starts with the query ranks before a label that contains it
            f"The Example Bureau\nOrganisation · also called {PAYLOAD}",
            f"Example Watch {PAYLOAD}\nOrganisation",
        ]
        s.page.locator("#zg-results button").nth(1).click()
        assert _panel_title(s) == f"Example Watch {PAYLOAD}"
        s.js("zgExplorer.select('example-detention-arbitrary', 'test')")
        assert s.page.locator("#zg-panel blockquote mark").all_inner_texts() == [
            f'alleged that the detention was arbitrary: "{PAYLOAD} is not a crime"'
        ]
        assert s.page.locator("#zg-panel cite").inner_text() == f"EXAMPLE (made up for tests) {PAYLOAD}"
        s.js("zgExplorer.select('example-bureau', 'test')")
        assert s.page.locator("#zg-panel li").first.inner_text() == PAYLOAD
        s.page.wait_for_timeout(200)
        assert s.page.locator("img").count() == 0
        assert s.dialogs == []
        assert s.requests == [s.url]
        assert s.errors == []
    finally:
        s.page.close()


def test_notebook_iframe_draws_the_explorer(browser: Any, tmp_path: Path) -> None:
    from zhanaozen_graph.explorer import show_explorer

    kg = load_graph(FIXTURE, build_dir=tmp_path / "build")
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{show_explorer(kg, height=600).data}</body></html>")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(host.as_uri())
        frame = page.frame_locator("iframe")
        frame.locator("#zg-timeline .zg-ev").first.wait_for()
        assert frame.locator("#zg-timeline .zg-ev").count() == 2
        frame.locator("#zg-search").fill("Jane")
        assert frame.locator("#zg-results button span").first.inner_text() == "Jane Example"
        assert [u for u in requests if not u.startswith("about:")] == [host.as_uri()]
    finally:
        page.close()
