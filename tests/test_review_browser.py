"""The review page in a real Chromium: accept, reject, edit, create from a selection, by keyboard; and its guards."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer, make_server

import pytest
import yaml
from click.testing import CliRunner

from zhanaozen_graph import load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.extract.review import ReviewSession
from zhanaozen_graph.extract.review_server import CSP, make_review_app
from zhanaozen_graph.extract.sources import add_source
from zhanaozen_graph.records.model import get_model

from .conftest import stop_process, with_fixture_sources

SLUG = "hostile-note"
TOKEN = "test-token-0123456789"
HOSTILE = (
    "Bolat Atabaev was arrested on 15 June by the KNB in Almaty.\n"
    "He wrote <script>document.title='pwned'</script> \"He said\" it's <img src=x onerror=alert(1)>.\n"
    "Maria Ivanova of the Caspian Oil Workers Union spoke to retired citizens.\n"
)


class _Quiet(WSGIServer):
    pass


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path, ReviewSession]]:
    data = with_fixture_sources(tmp_path / "data", only="amnesty")
    (tmp_path / "note.txt").write_text(HOSTILE, encoding="utf-8")
    add_source(
        tmp_path / "note.txt",
        SLUG,
        title="Hostile",
        publisher="amnesty-international",
        date="2012-07",
        data_dir=data,
    )
    session = ReviewSession(SLUG, data)
    hosts: set[str] = set()
    from wsgiref.simple_server import WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = make_server("127.0.0.1", 0, make_review_app(session, TOKEN, hosts), _Quiet, Handler)
    hosts.update({f"127.0.0.1:{httpd.server_port}", f"localhost:{httpd.server_port}"})
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", data, session
    finally:
        httpd.shutdown()
        httpd.server_close()


def _status(page: Any, startswith: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = str(page.locator("#status").inner_text())
        if text == startswith or (startswith.startswith("Created") and text.startswith(startswith)):
            return text
        if text.startswith("Error") or time.monotonic() > deadline:
            raise AssertionError(f"status {text!r}, expected {startswith!r}")
        page.wait_for_timeout(30)


def _go_to(page: Any, proposal_id: str) -> None:
    while not str(page.locator("#what").inner_text()).startswith("1/"):
        page.keyboard.press("k")
    for _ in range(200):
        if page.locator("#current").get_attribute("data-id") == proposal_id:
            return
        page.keyboard.press("j")
    raise AssertionError(f"proposal {proposal_id} not reached with j")


def _id_of(session: ReviewSession, what: str, quote: str) -> str:
    for e in session.proposals.entries(what):
        if e["proposal"]["quote"] == quote:
            return str(e["proposal"]["id"])
    raise AssertionError(f"no {what} proposal {quote!r}")


@pytest.mark.browser
def test_review_by_keyboard_then_validate_and_build(
    browser: Any,
    served: tuple[str, Path, ReviewSession],
) -> None:
    base, data, session = served
    text = HOSTILE
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    response = page.goto(f"{base}/?token={TOKEN}")
    assert response.headers["content-security-policy"] == CSP
    page.locator("mark").first.wait_for()

    # The hostile text is text: no script ran, no element came from the document.
    assert (
        page.locator("#doc").inner_text() == text.rstrip("\n") or page.locator("#doc").text_content() == text
    )
    assert page.locator("#doc script, #doc img").count() == 0
    assert page.title() == "Review proposals"
    assert dialogs == []

    # Accept the mentions the event refers to (keyboard: j to reach, a to accept).
    for quote in ("Bolat Atabaev", "KNB", "Almaty"):
        mention = _id_of(session, "mention", quote)
        _go_to(page, mention)
        page.keyboard.press("a")
        _status(page, f"Accepted {mention}")

    # Reject a new-entity candidate: remembered.
    rejected = _id_of(session, "new_entity", "retired citizens")
    _go_to(page, rejected)
    page.keyboard.press("r")
    _status(page, f"Rejected {rejected}")
    remembered = yaml.safe_load((data / "proposals" / f"{SLUG}.rejected.yaml").read_text())
    assert [r["id"] for r in remembered["rejected"]] == [rejected]

    # Edit the arrest event: a label of our own, then Ctrl+Enter.
    event_id = next(e["proposal"]["id"] for e in session.proposals.entries("event") if e["type"] == "arrest")
    _go_to(page, event_id)
    page.keyboard.press("e")
    edited = (
        page.locator("#editor")
        .input_value()
        .replace(
            "label: Bolat Atabaev was arrested on 15 June by the KNB in Almaty.",
            "label: Atabaev arrested in Almaty",
        )
    )
    page.locator("#editor").fill(edited)
    page.keyboard.press("Control+Enter")
    _status(page, f"Accepted {event_id}")

    # Create a record from a selection of the text.
    start = text.index("Maria Ivanova")
    page.evaluate(
        """([start, end]) => {
            const doc = document.getElementById('doc');
            const walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
            let pos = 0, node, range = document.createRange(), a = null;
            while ((node = walker.nextNode())) {
                const len = node.textContent.length;
                if (a === null && start < pos + len) { range.setStart(node, start - pos); a = 1; }
                if (end <= pos + len) { range.setEnd(node, end - pos); break; }
                pos += len;
            }
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }""",
        [start, start + len("Maria Ivanova")],
    )
    page.keyboard.press("Escape")  # leave the editor
    page.keyboard.press("c")
    page.locator("#section").select_option("people")
    page.locator("#fields").fill("id: maria-ivanova\nlabel: Maria Ivanova\n")
    page.keyboard.press("Control+Enter")
    _status(page, "Created")
    assert errors == [] and dialogs == []
    page.close()

    written = yaml.safe_load((data / "records" / SLUG / "reviewed.yaml").read_text())
    assert written["people"] == [
        {
            "about": "bolat-atabaev",
            "evidence": ["Bolat Atabaev was arrested on 15 June by the KNB in Almaty."],
        },
        {"id": "maria-ivanova", "label": "Maria Ivanova", "evidence": ["Maria Ivanova"]},
    ]
    event = written["events"][0]
    assert (event["type"], event["label"], event["date"]["edtf"]) == (
        "arrest",
        "Atabaev arrested in Almaty",
        "2012-06-15",
    )
    assert event["participants"] == [
        {"actor": "bolat-atabaev", "role": "detainee"},
        {"actor": "knb", "role": "arresting_agency"},
    ]

    validated = CliRunner().invoke(cli, ["validate", "--data", str(data)])
    assert validated.exit_code == 0, validated.output
    kg = load_graph(data, data.parent / "build")
    model = get_model()
    person = model.instance_iri("Person", "maria-ivanova")
    quote = f"{model.base}id/quote/{SLUG}/{start}-{start + len('Maria Ivanova')}"
    rows = kg.select(f"SELECT ?p WHERE {{ <{person}> ?p <{quote}> }}")
    assert rows, "the new record's quote is in the graph at the selection's offsets"


def _get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_review_server_guards(served: tuple[str, Path, ReviewSession]) -> None:
    base, _, _ = served
    assert _get(f"{base}/api/state")[0] == 403
    assert _get(f"{base}/api/state?token=wrong")[0] == 403
    assert _get(f"{base}/api/state?token={TOKEN}", {"Host": "evil.example"})[0] == 403
    status, body = _get(f"{base}/api/state?token={TOKEN}")
    assert status == 200 and json.loads(body)["text"] == HOSTILE
    assert _get(f"{base}/../../etc/passwd?token={TOKEN}")[0] == 404
    json_headers = {"Content-Type": "application/json"}
    # a body larger than the bound is refused from its Content-Length, before it is read
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("POST", f"/api/reject?token={TOKEN}")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", "2000000")
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()
    status, body = _get(f"{base}/api/reject?token={TOKEN}", json_headers, b'{"id": "nope"}')
    assert status == 400 and "no proposal 'nope'" in json.loads(body)["error"]
    status, body = _get(f"{base}/api/accept?token={TOKEN}", {"Content-Type": "text/plain"}, b"{}")
    assert status == 415


def test_an_invalid_accept_writes_nothing(served: tuple[str, Path, ReviewSession]) -> None:
    _, data, session = served
    event = next(e for e in session.proposals.entries("event") if e["type"] == "arrest")
    # the event refers to records this source does not speak of yet: validation refuses it
    with pytest.raises(Exception, match="not written"):
        session.accept(event["proposal"]["id"])
    assert not (data / "records" / SLUG / "reviewed.yaml").exists()


def test_review_command_serves_on_loopback_with_a_token(tmp_path: Path) -> None:
    data = with_fixture_sources(tmp_path / "data", only="amnesty")
    slug = "amnesty-ua-2012-07-atabaev-released"
    command = [sys.executable, "-m", "zhanaozen_graph", "review", slug, "--data", str(data)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=([\w-]+)", line)
        assert found, line
        base, token = found.groups()
        assert len(token) >= 40
        assert _get(f"{base}/api/state")[0] == 403
        status, body = _get(f"{base}/api/state?token={token}")
        assert status == 200 and json.loads(body)["source"] == slug
        assert (data / "proposals" / f"{slug}.yaml").exists()
    finally:
        stop_process(proc)
