"""The explorer without a browser: view model, layout, escaping, the page's self-containment, the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zhanaozen_graph import load_graph
from zhanaozen_graph.cli import cli
from zhanaozen_graph.explorer import (
    build_view_model,
    lay_out,
    render_explorer,
    show_explorer,
    write_explorer,
)
from zhanaozen_graph.explorer.layout import layout_positions, node_sizes
from zhanaozen_graph.explorer.page import content_policy, embed_json
from zhanaozen_graph.explorer.viewmodel import quote_in_sentence
from zhanaozen_graph.records.evidence import sentences

FIXTURE = Path(__file__).parent / "fixtures" / "xss-data"
PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def kg() -> Any:
    return load_graph()


@pytest.fixture(scope="module")
def vm(kg: Any) -> Any:
    return build_view_model(kg)


@pytest.fixture(scope="module")
def xss_kg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return load_graph(FIXTURE, build_dir=tmp_path_factory.mktemp("xss-build"))


def _node(vm: Any, node_id: str) -> Any:
    return next(n for n in vm["nodes"] if n["id"] == node_id)


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


# --------------------------------------------------------------------------- view model


def test_view_model_event_has_its_date_as_written_bounds_status_and_reason(vm: Any) -> None:
    arrest = _node(vm, "atabaev-arrested")
    assert arrest["kind"] == "Event"
    assert arrest["type"] == "arrest or detention"
    assert arrest["label"] == "KNB officers arrest Bolat Atabaev as he is leaving his home in Almaty"
    assert arrest["date"] == {
        "edtf": "2012-06-15",
        "text": "on 15 June",
        "earliest": "2012-06-15",
        "latest": "2012-06-15",
        "status": "year-inferred",
        "reason": "year inferred: The arrest came after the charges were lodged on 6 January 2012 and "
        "before his release on 3 July, reported as news in this July 2012 update; the only 15 June in "
        "that span is 15 June 2012.",
        "agreement": "single",
        "by_source": [
            {
                "source": "amnesty-ua-2012-07-atabaev-released",
                "edtf": "2012-06-15",
                "earliest": "2012-06-15",
                "latest": "2012-06-15",
            }
        ],
    }
    assert arrest["sources"] == ["amnesty-ua-2012-07-atabaev-released"]


def test_view_model_shows_each_sources_date_and_who_reports_it(many_kg: Any) -> None:
    from zhanaozen_graph.explorer.viewmodel import build_view_model

    vm = build_view_model(many_kg)
    released = _node(vm, "atabaev-released")
    # 3 July (Amnesty) and 4 July 2012 (the invented Bulletin): the combined date is their span, a conflict.
    assert (released["date"]["edtf"], released["date"]["agreement"]) == ("2012-07-03/2012-07-04", "conflict")
    assert [(d["source"], d["edtf"]) for d in released["date"]["by_source"]] == [
        ("amnesty-ua-2012-07-atabaev-released", "2012-07-03T22:00:00"),
        ("caspian-labour-bulletin-2012-07", "2012-07-04"),
    ]
    rounded_up = [e for e in vm["edges"] if e["from"] == "people-rounded-up" and e["label"] == "according to"]
    assert sorted(e["to"] for e in rounded_up) == ["relatives-of-detainees", "released-detainees"]


def test_view_model_quote_is_shown_inside_its_sentence(vm: Any) -> None:
    friend_edge = next(
        e for e in vm["edges"] if e["from"] == "film-director-friend" and e["to"] == "bolat-atabaev"
    )
    assert friend_edge["kind"] == "relationship"
    assert friend_edge["label"] == "friend of"
    [ev] = friend_edge["evidence"]
    # The friendship is Atabaev's word: the quote starts at "he told journalists ... that".
    assert ev["quote"] == (
        "he told journalists and supporters that at first he had refused to cooperate with the "
        "investigation and give testimony, but that on the advice of one of his friends, a fellow film director"
    )
    assert ev["before"].endswith("At a press conference there the next day, ")
    assert ev["after"].startswith(", who had intervened on his behalf with the KNB")
    assert ev["after"].endswith("striking workers in Zhanaozen in 2011.")


def test_view_model_actor_has_aliases_and_roles(vm: Any) -> None:
    knb = _node(vm, "knb")
    assert (knb["kind"], knb["label"], knb["aliases"]) == (
        "Organisation",
        "Committee for National Security",
        ["KNB", "Komitet Nationalnoi Bezopasnosti"],
    )
    atabaev = _node(vm, "bolat-atabaev")
    # "Prisoner of conscience" is Amnesty's designation (the claim amnesty-prisoner-of-conscience),
    # not a role; "Prominent theatre director", "the status of a witness" remain.
    assert atabaev["roles"] == ["theatre director", "witness"]


def test_view_model_participation_is_an_edge_labelled_with_the_role(vm: Any) -> None:
    out = {(e["to"], e["label"], e["kind"]) for e in vm["edges"] if e["from"] == "atabaev-arrested"}
    assert out == {
        ("almaty", "places", "reference"),
        ("atabaev-home", "places", "reference"),
        ("atabaev-charged", "follows", "reference"),
        ("bolat-atabaev", "detainee", "participant"),
        ("knb", "arresting agency", "participant"),
        ("knb-officers", "arresting agency", "participant"),
    }


def test_view_model_marks_outside_knowledge_and_keeps_one_edge_per_relationship(vm: Any) -> None:
    external = sorted((e["from"], e["label"], e["to"]) for e in vm["edges"] if e["external"])
    assert external == [
        ("aktau", "contained in", "mangistau-region"),
        ("almaty", "contained in", "kazakhstan"),
        ("zhanaozen", "contained in", "mangistau-region"),
    ]
    member = [e for e in vm["edges"] if (e["from"], e["to"]) == ("knb-officers", "knb")]
    assert [(e["label"], e["kind"]) for e in member] == [("member of", "relationship")]


def test_view_model_claim_has_stance_and_links_to_claimant_and_subjects(vm: Any) -> None:
    claim = _node(vm, "amnesty-prisoner-of-conscience")
    assert (claim["kind"], claim["stance"], claim["type"]) == ("Claim", "assessment", "assessment")
    links = sorted((e["label"], e["to"]) for e in vm["edges"] if e["from"] == claim["id"])
    # "Prisoner of conscience Bolat Atabaev was released on 3 July.": about him; the sentence does not
    # speak of his arrest.
    assert links == [
        ("about", "bolat-atabaev"),
        ("claimed by", "amnesty-international"),
    ]


def test_view_model_counts_match_the_records(kg: Any, vm: Any) -> None:
    counts = kg.manifest["counts"]
    shown = {
        k: counts[k] for k in ("Person", "Group", "Organisation", "Place", "LegalProvision", "Event", "Claim")
    }
    by_kind: dict[str, int] = {}
    for n in vm["nodes"]:
        by_kind[n["kind"]] = by_kind.get(n["kind"], 0) + 1
    assert by_kind == shown


# The page's data as the code before #15's speed-up wrote it (viewmodel.py at e0ce1fd, run on these
# graphs on 2026-11-28): sha256 of ``json.dumps(vm, ensure_ascii=False, separators=(",", ":"))`` with
# nodes, edges and quotes. The reads were rewritten for speed (fewer, narrower queries joined in
# Python) and must give the very same page, byte for byte, also when no source text is at hand (the
# stored prefix and suffix are then read). If the data or the page's fields change on purpose,
# recompute these with the new code and say why in the commit.
# Recomputed for the per-source fields of issue 15 (alias_sources, role_sources; each number's source,
# measure, unit, according_to, agreement): with those removed, the payload gave the six digests of
# e0ce1fd again (c12c97ee…, 4deea92a…, 0484fce9…, 1580f85a…, 50092829…, 0732cebb…).
_PAYLOAD_BEFORE = {
    ("real", "graph"): (145, 274, 178, "6fe121bd563438c6861077a1e03707883d1fbd426c96cfa3f1baa7d79a45c430"),
    ("real", "fallback"): (145, 274, 178, "c7d4a9a60d921e8c114b155aa14c936866cdcc090ac6ab9903641ccee8a76f0a"),
    ("many", "graph"): (150, 279, 195, "186247677e5ce1e0a333086fe746fa2173d9a04c2734360da9bf316fa3918f1c"),
    ("many", "fallback"): (150, 279, 195, "60c1bbc199decfde7d17d7ca0fe0c044d50d6b3e54a039a8caeccda7c60dec44"),
    ("xss", "graph"): (7, 8, 7, "0a5d2f4e7e5f4f6922c973373e2869a20ba656fdf0477da7fb936d137dcd2062"),
    ("xss", "fallback"): (7, 8, 7, "c6003ca6f57aebc885c07ec10f55c62026fb001038d6d93b71245ab0dec17304"),
}


@pytest.mark.parametrize(("graph", "texts"), sorted(_PAYLOAD_BEFORE))
def test_view_model_payload_is_the_same_as_before_the_speed_up(
    graph: str, texts: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    import hashlib

    kg = request.getfixturevalue({"real": "kg", "many": "many_kg", "xss": "xss_kg"}[graph])
    vm = build_view_model(kg, data_dir=tmp_path / "nowhere" if texts == "fallback" else None)
    payload = json.dumps(vm, ensure_ascii=False, separators=(",", ":")).encode()
    quotes = sum(len(n["evidence"]) for n in vm["nodes"])
    got = (len(vm["nodes"]), len(vm["edges"]), quotes, hashlib.sha256(payload).hexdigest())
    assert got == _PAYLOAD_BEFORE[graph, texts]


def test_view_model_without_source_texts_falls_back_to_stored_context(kg: Any, tmp_path: Path) -> None:
    vm = build_view_model(kg, data_dir=tmp_path / "nowhere")
    [ev] = _node(vm, "atabaev-arrested")["evidence"]
    assert ev["quote"] == "He was arrested on 15 June by KNB officers as he was leaving his home in Almaty."
    assert ev["before"] == "…of the country's Criminal Code. "
    assert ev["after"] == " After his arrest he was put in…"


def test_quote_in_sentence_spans_every_sentence_the_quote_touches() -> None:
    text = "First one. He was held.\nHe was freed on 3 July. Last one."
    start = text.index("held")
    end = text.index("freed") + len("freed")
    assert quote_in_sentence(text, start, end, sentences(text)) == (
        "He was ",
        "held. He was freed",
        " on 3 July.",
    )


def test_quote_in_sentence_cuts_long_context() -> None:
    text = "A" * 500 + " quote " + "b" * 500 + "."
    before, quote, after = quote_in_sentence(text, 501, 506, [(0, len(text))])
    assert quote == "quote"
    assert before == "…" + "A" * 399 + " "
    assert after == " " + "b" * 399 + "…"


# --------------------------------------------------------------------------- layout


def test_node_sizes_grow_with_degree() -> None:
    assert [round(s, 2) for s in node_sizes(4, [(0, 1), (0, 2), (0, 3)])] == [34.0, 23.01, 23.01, 23.01]
    assert node_sizes(2, []) == [8.0, 8.0]


def test_layout_separates_nodes_and_components() -> None:
    positions = layout_positions(6, [(0, 1), (1, 2), (3, 4)])
    assert len(set(positions)) == 6
    assert positions == layout_positions(6, [(0, 1), (1, 2), (3, 4)])  # deterministic


def test_layout_of_a_large_sparse_graph_is_spread_out() -> None:
    import random

    rng = random.Random(3)
    n = 1200
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(3000)]
    positions = layout_positions(n, edges)
    assert len(set(positions)) == n
    xs = [x for x, _ in positions]
    assert max(xs) - min(xs) > 1000  # canvas units: not collapsed onto a point


def test_lay_out_keeps_given_positions_and_sizes_nodes() -> None:
    vm: Any = {
        "title": "t",
        "kinds": [],
        "stances": [],
        "statuses": {},
        "sources": {},
        "nodes": [{"id": "a", "x": 5.0, "y": 7.0}, {"id": "b", "x": 1.0, "y": 2.0}],
        "edges": [{"from": "a", "to": "b"}],
    }
    lay_out(vm)
    assert [(n["x"], n["y"], n["size"]) for n in vm["nodes"]] == [(5.0, 7.0, 34.0), (1.0, 2.0, 34.0)]


# --------------------------------------------------------------------------- escaping and the page


def test_embed_json_cannot_close_the_script_element() -> None:
    value = {"label": "</script><script>alert(1)</script><!-- & \u2028"}
    text = embed_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def _page_tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_page_is_self_contained(kg: Any) -> None:
    page = render_explorer(kg)
    tags = _page_tags(page)
    refs = [(t, a) for t, a in tags if "src" in a or "href" in a]
    assert refs == [("link", {"rel": "icon", "href": "data:,"})]
    # the data, the map's outlines (data too), then vis-network, d3-array, d3-geo, topojson-client, the page
    assert [a.get("type") for t, a in tags if t == "script"] == ["application/json"] * 2 + [None] * 5
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    policy = content_policy(scripts, styles)
    assert ("meta", {"http-equiv": "Content-Security-Policy", "content": policy}) in tags
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe-inline" not in page and len(scripts) == 5 and len(styles) == 1
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)


def test_page_shows_payloads_only_as_data(xss_kg: Any) -> None:
    page = render_explorer(xss_kg, title=PAYLOAD)
    assert PAYLOAD not in page
    assert "<title>&lt;img src=x onerror=alert(1)&gt;</title>" in page
    assert not any(t == "img" for t, _ in _page_tags(page))
    data = page.split('<script type="application/json" id="zg-data">', 1)[1].split("</script>", 1)[0]
    vm = json.loads(data)
    assert vm["title"] == PAYLOAD
    assert _node(vm, "example-watch")["label"] == "Example Watch " + PAYLOAD
    assert _node(vm, "example-bureau")["aliases"] == [PAYLOAD]
    [ev] = _node(vm, "example-detention-arbitrary")["evidence"]
    assert ev["quote"] == f'alleged that the detention was arbitrary: "{PAYLOAD} is not a crime"'
    assert ev["before"] == "The Example Watch group "
    assert ev["after"] == "."


def test_render_explorer_draws_a_view_model_without_rdf() -> None:
    vm: Any = {
        "title": "synthetic",
        "kinds": [{"key": "Event", "label": "Event", "color": "#e15759", "shape": "diamond"}],
        "stances": [],
        "statuses": {"stated": "stated"},
        "sources": {},
        "nodes": [
            {"id": f"n{i}", "label": f"node {i}", "kind": "Event", "aliases": [], "evidence": []}
            for i in range(3)
        ],
        "edges": [{"from": "n0", "to": "n1", "label": "follows", "kind": "reference", "external": False}],
    }
    page = render_explorer(vm, title="renamed")
    assert "<title>renamed</title>" in page
    assert all("x" in n and "size" in n for n in vm["nodes"])


def test_show_explorer_wraps_the_page_in_a_sandboxed_srcdoc_iframe(xss_kg: Any) -> None:
    frame = show_explorer(xss_kg, height=480).data
    assert frame.startswith('<iframe sandbox="allow-scripts" srcdoc="&lt;!DOCTYPE html&gt;')
    assert frame.endswith(
        'style="width:100%;height:480px;border:1px solid #ddd" title="zhanaozen-graph explorer"></iframe>'
    )
    assert frame.count("<") == 2  # only the iframe's own tags: the page is escaped
    assert frame.count('"') == 8


def test_write_explorer_reports_what_it_wrote(xss_kg: Any, tmp_path: Path) -> None:
    out = write_explorer(xss_kg, tmp_path / "sub" / "e.html")
    assert (out.nodes, out.edges) == (7, 8)
    assert out.bytes == len((tmp_path / "sub" / "e.html").read_bytes())


# --------------------------------------------------------------------------- CLI


def test_cli_explore_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    result = CliRunner().invoke(
        cli, ["explore", "--data", str(FIXTURE), "--build-dir", str(tmp_path / "b"), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    size = len(target.read_bytes()) / 1e6
    assert result.stdout == ""  # what it did is a log line: stderr
    assert result.stderr == (
        f"building {tmp_path / 'b'} with SHACL (--no-shacl skips it): there is no build in it yet\n"
        f"wrote {target} (7 nodes, 8 edges, {size:.1f} MB)\n"
    )


def test_cli_explore_defaults_to_the_build_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["explore", "--data", str(FIXTURE), "--build-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "explorer.html").is_file()
    assert result.stderr.splitlines()[-1].startswith(
        f"wrote {tmp_path / 'explorer.html'} (7 nodes, 8 edges, "
    )


def test_cli_explore_unwritable_target_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    target = tmp_path / "afile" / "page.html"
    result = CliRunner().invoke(
        cli, ["explore", "--data", str(FIXTURE), "--build-dir", str(tmp_path / "b"), "-o", str(target)]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {target}: cannot write the explorer: File exists; choose another file with -o"
    )


def test_bidirectional_controls_in_a_source_are_shown_visibly(mini: Path, tmp_path: Path) -> None:
    from zhanaozen_graph import load_graph

    source = mini / "sources" / "example-mini.txt"
    source.write_text(source.read_text().replace("Witnesses claimed she", "Witnesses claimed \u202eshe"))
    records = mini / "records" / "example.yaml"
    records.write_text(
        records.read_text().replace(
            '["Witnesses claimed she was beaten in custody."]',
            '["Witnesses claimed \\u202eshe was beaten in custody."]',
        )
    )
    vm = build_view_model(load_graph(mini, tmp_path / "b"), data_dir=mini)
    [ev] = _node(vm, "beaten-in-custody")["evidence"]
    assert ev["quote"] == "Witnesses claimed ⟦U+202E⟧she was beaten in custody."


# --------------------------------------------------------------------------- colours a colour-blind reader tells apart

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
_CVD = {
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
    "normal": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
}


def _lab_as_seen(colour: str, vision: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour as a reader with ``vision`` sees it."""

    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in _CVD[vision])
    x, y, z = (
        0.4124 * r + 0.3576 * g + 0.1805 * b,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        0.0193 * r + 0.1192 * g + 0.9505 * b,
    )

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x / 0.95047), f(y), f(z / 1.08883)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _closest_pair(colours: list[str], vision: str) -> float:
    """The smallest CIE76 distance between two of ``colours`` as seen with ``vision``."""
    seen = [_lab_as_seen(c, vision) for c in colours]
    return min(
        sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5
        for i, a in enumerate(seen)
        for b in seen[i + 1 :]
    )


def test_simulation_tells_the_old_palette_failed_and_the_stated_distances() -> None:
    # hand-checked figures: the old Tableau kinds put Place green and Event red 0.9 apart for a deuteranope,
    # and the old allegation red sat 22 from the event red for everyone
    assert _closest_pair(["#59a14f", "#e15759"], "deuteranopia") == pytest.approx(0.9, abs=0.1)
    assert _closest_pair(["#d62728", "#e15759"], "normal") == pytest.approx(22.2, abs=0.1)
    assert _closest_pair(["#000000", "#ffffff"], "normal") == pytest.approx(100.0, abs=0.01)


@pytest.mark.parametrize("vision", ["deuteranopia", "protanopia", "tritanopia", "normal"])
def test_kinds_and_stances_stay_apart_for_colour_blind_readers(vision: str) -> None:
    from zhanaozen_graph.explorer.viewmodel import KINDS, STANCE_COLOURS

    assert _closest_pair([k["color"] for k in KINDS], vision) >= 15
    assert _closest_pair(list(STANCE_COLOURS.values()), vision) >= 15
    event = next(k["color"] for k in KINDS if k["key"] == "Event")
    assert _closest_pair([STANCE_COLOURS["allegation"], event], vision) >= 30  # never "nearly the event red"
    assert len({k["shape"] for k in KINDS}) == len(KINDS)  # and the shape tells the kind without colour


def test_view_model_puts_each_number_beside_its_own_quote(vm: Any) -> None:
    clashes = _node(vm, "zhanaozen-clashes")
    source = "amnesty-ua-2012-07-atabaev-released"
    assert clashes["numbers"] == [
        {
            "text": "killed: at least 15 people",
            "source": source,
            "measure": "killed",
            "unit": "people",
            "according_to": [],
            "agreement": "single",
            "evidence": [
                {
                    "source": source,
                    "before": "",
                    "quote": "At least 15 people were killed",
                    "after": " and more than 100 seriously injured.",
                }
            ],
        },
        {
            "text": "seriously injured: more than 100 people",
            "source": source,
            "measure": "seriously injured",
            "unit": "people",
            "according_to": [],
            "agreement": "single",
            "evidence": [
                {
                    "source": source,
                    "before": "At least 15 people were killed and ",
                    "quote": "more than 100 seriously injured",
                    "after": ".",
                }
            ],
        },
    ]
    assert [n["text"] for n in clashes["numbers"]] == clashes["quantities"]


_AMNESTY = "amnesty-ua-2012-07-atabaev-released"
_STEPPE = "steppe-rights-monitor-2011-12-20"
_CASPIAN = "caspian-labour-bulletin-2012-07"


def test_view_model_gives_each_number_its_source_and_the_sources_agreement(many_kg: Any) -> None:
    vm = build_view_model(many_kg)
    # tests/fixtures/many-sources/README.md: killed "at least 15" (Amnesty), "at least 16" (Steppe), "12"
    # (Caspian): 16 above 12, the ranges do not meet, a conflict; each value keeps its own quote
    clashes = [
        (
            n["text"],
            n["source"],
            n["measure"],
            n["unit"],
            n["according_to"],
            n["agreement"],
            n["evidence"][0]["quote"],
        )
        for n in _node(vm, "zhanaozen-clashes")["numbers"]
    ]
    assert clashes == [
        ("killed: 12 people", _CASPIAN, "killed", "people", [], "conflict", "12 people were killed"),
        ("killed: at least 15 people", _AMNESTY, "killed", "people", [], "conflict", "At least 15 people were killed"),
        ("killed: at least 16 people", _STEPPE, "killed", "people", [], "conflict", "At least 16 people were killed"),
        (
            "seriously injured: more than 100 people",
            _AMNESTY, "seriously injured", "people", [], "single", "more than 100 seriously injured",
        ),
    ]  # fmt: skip
    # Steppe reports the detentions through the relatives: who inside the source asserts the number
    [detained] = _node(vm, "detentions-after-shooting")["numbers"]
    assert (detained["source"], detained["according_to"], detained["agreement"]) == (
        _STEPPE,
        ["relatives-of-those-held"],
        "single",
    )
    # a description two sources give, one only Amnesty gives; an alias also in the register; aliases
    # from outside knowledge only
    assert _node(vm, "bolat-atabaev")["role_sources"] == [
        {"value": "theatre director", "sources": [_AMNESTY, _CASPIAN], "register": False, "external": False},
        {"value": "witness", "sources": [_AMNESTY], "register": False, "external": False},
    ]
    assert _node(vm, "knb")["alias_sources"] == [
        {"value": "KNB", "sources": [_AMNESTY], "register": True, "external": False},
        {
            "value": "Komitet Nationalnoi Bezopasnosti",
            "sources": [_AMNESTY],
            "register": False,
            "external": False,
        },
    ]
    assert _node(vm, "mangistau-region")["alias_sources"] == [
        {"value": "Mangystau", "sources": [], "register": False, "external": True},
        {"value": "Mangystau Region", "sources": [], "register": False, "external": True},
    ]


def test_view_model_gives_coordinates_marked_as_outside_knowledge(vm: Any) -> None:
    located = {n["id"]: n["coordinates"] for n in vm["nodes"] if "coordinates" in n}
    assert located == {  # data/register/places.yaml, all from the graph of outside knowledge
        "kazakhstan": {"lat": 48.0, "long": 68.0, "external": True},
        "mangistau-region": {"lat": 44.0, "long": 54.0, "external": True},
        "zhanaozen": {"lat": 43.34, "long": 52.86, "external": True},
        "aktau": {"lat": 43.65, "long": 51.16, "external": True},
        "almaty": {"lat": 43.24, "long": 76.89, "external": True},
    }


def test_page_ships_the_map_only_when_a_place_has_coordinates(kg: Any) -> None:
    with_map = render_explorer(kg)
    assert '<script type="application/json" id="zg-world">' in with_map
    assert "d3-geo" in with_map and "topojson" in with_map
    bare: Any = {
        "title": "t",
        "kinds": [],
        "stances": [],
        "statuses": {},
        "sources": {},
        "nodes": [{"id": "a", "label": "A", "kind": "Person"}],
        "edges": [],
    }
    page = render_explorer(bare)
    assert 'id="zg-world"' not in page and "d3-geo" not in page
    assert len(re.findall(r"<script>\n", page)) == 2  # vis-network and the page's own code
