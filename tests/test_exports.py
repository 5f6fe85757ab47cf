"""Exports for other tools, each read back by that tool's own library or schema.

FollowTheMoney entities by the ``followthemoney`` model and its ``ftm validate`` command, TimelineJS by a JSON schema of the fields its
loader reads (tests/fixtures/timelinejs), the spreadsheet CSV by pandas, GEXF by the GEXF 1.2 XSD
(tests/fixtures/gexf). The threat for TimelineJS: it inserts headline, text and media as HTML, so a
document's words (tests/fixtures/xss-data carries ``<img src=x onerror=...>``) must arrive escaped.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
import pandas as pd
import pytest
import xmlschema
from click.testing import CliRunner
from followthemoney import model
from followthemoney.exc import InvalidData

from zhanaozen_graph.cli import cli
from zhanaozen_graph.exports import export_text, ftm_entities, timeline_csv, timelinejs
from zhanaozen_graph.graph.build import KnowledgeGraph, load_graph
from zhanaozen_graph.network.projections import NETWORKS, export_network, for_export, project

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SOURCE = "amnesty-ua-2012-07-atabaev-released"
GEXF_XSD = xmlschema.XMLSchema(FIXTURES / "gexf" / "gexf-1.2draft.xsd")
TIMELINEJS = json.loads((FIXTURES / "timelinejs" / "timeline.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def xss_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    root = tmp_path_factory.mktemp("xss")
    shutil.copytree(FIXTURES / "xss-data", root / "data")
    return load_graph(root / "data", root / "build")


# --- FollowTheMoney ---------------------------------------------------------------------------------


def check_ftm(entities: list[dict[str, Any]]) -> None:
    """Every entity valid for FtM's model: known concrete schema, known properties, values of their
    type, required properties present, and every reference pointing at an exported entity of the range."""
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities), "ids are unique"
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, data["schema"]
        assert set(data["properties"]) <= set(schema.properties), data["id"]
        assert schema.validate(data) is None
        for name in schema.required:
            assert data["properties"].get(name), f"{data['id']}: required {name}"
        proxy = model.get_proxy(data, cleaned=False)
        for prop, value in proxy.itervalues():
            assert prop.type.clean(value) is not None, (data["id"], prop.name, value)
            if prop.type.name == "entity":
                target = by_id[value]
                assert model.get(target["schema"]).is_a(prop.range), (data["id"], prop.name, value)


def test_ftm_entities_are_valid_in_the_followthemoney_model(kg: KnowledgeGraph) -> None:
    entities = ftm_entities(kg)
    check_ftm(entities)
    assert Counter(e["schema"] for e in entities) == {
        "Documentation": 155,
        "Event": 55,
        "LegalEntity": 39,  # the groups: strikers, defendants...
        "Organization": 14,
        "Address": 11,
        "Person": 5,
        "Document": 1,
    }


def test_ftm_event_carries_its_participants_places_date_and_quotes(kg: KnowledgeGraph) -> None:
    entities = {e["id"]: e for e in ftm_entities(kg)}
    assert entities["zg-atabaev-released"] == {
        "id": "zg-atabaev-released",
        "schema": "Event",
        "properties": {
            "name": [
                "Bolat Atabaev is released and walks free from Pre-trial Detention Centre Number One in "
                "Aktau under Article 65"
            ],
            "startDate": ["2012-07-03"],
            "endDate": ["2012-07-03"],
            "involved": ["zg-bolat-atabaev"],
            "addressEntity": ["zg-aktau", "zg-aktau-detention-centre"],
            "keywords": ["release"],
            "description": [
                'release; date 2012-07-03T22:00:00 (EDTF), year-inferred, written "at 10pm on 3 July"; '
                "year inferred: The release followed his arrest on 15 June (2012), which came after the "
                "charges of 6 January 2012; the first 3 July after that arrest is 3 July 2012, and the "
                "update reports the release as news."
            ],
        },
    }
    quotes = sorted(
        (e["properties"]["summary"][0], e["properties"]["description"][0])
        for e in entities.values()
        if e["schema"] == "Documentation" and e["properties"]["entity"] == ["zg-atabaev-released"]
    )
    assert quotes == [
        (
            "Bolat Atabaev walked free from Pre-trial Detention Centre Number One in Aktau at 10pm on 3 July.",
            f"characters 915 to 1013 of {SOURCE}",
        ),
        (
            "Prisoner of conscience Bolat Atabaev was released on 3 July.",
            f"characters 40 to 100 of {SOURCE}",
        ),
        (
            "Prominent theatre director Bolat Atabaev was released under Article 65 of the Criminal Code "
            "of the Republic of Kazakhstan",
            f"characters 383 to 506 of {SOURCE}",
        ),
    ]
    text = (DATA / "sources" / f"{SOURCE}.txt").read_text("utf-8")
    assert text[40:100] == "Prisoner of conscience Bolat Atabaev was released on 3 July."
    doc = entities[f"zg-doc-{SOURCE}"]
    assert doc["schema"] == "Document"
    assert doc["properties"]["title"] == ["Urgent Action: Bolat Atabaev released"]
    assert doc["properties"]["publisher"] == ["Amnesty International"]
    assert doc["properties"]["fileName"] == [f"{SOURCE}.txt"]
    # The document's month is known from outside its text: said so, and kept out of FtM's date.
    assert "date" not in doc["properties"]
    description = doc["properties"]["description"][0]
    assert description.startswith("rights: © Amnesty International. Kept verbatim")
    assert "date 2012-07, known from outside the text: year inferred: The text has no date" in description


def test_ftm_check_rejects_what_the_model_refuses(kg: KnowledgeGraph) -> None:
    """The check above can fail: a date FtM cannot read, and an unknown property."""
    event = next(e for e in ftm_entities(kg) if e["id"] == "zg-atabaev-released")
    bad_date = {**event, "properties": {**event["properties"], "startDate": ["the next day"]}}
    with pytest.raises(InvalidData):
        model.get("Event").validate(bad_date)
    unknown = {**event, "properties": {**event["properties"], "quote": ["x"]}}
    with pytest.raises(AssertionError):
        check_ftm([unknown])


def test_ftm_cli_writes_json_lines(tmp_path: Path, kg: KnowledgeGraph, build_dir: Path) -> None:
    out = tmp_path / "graph.ftm.jsonl"
    result = CliRunner().invoke(
        cli, ["export", "--data", str(DATA), "--build-dir", str(build_dir), "-f", "ftm", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == ftm_entities(kg)
    assert out.read_bytes() == export_text(kg, "ftm").encode("utf-8")


def _ftm_validate(lines: str) -> list[dict[str, Any]]:
    """FtM's own command line, ``ftm validate``: it re-parses each entity and drops invalid values."""
    ftm = Path(sys.executable).with_name("ftm")
    assert ftm.exists(), "the ftm command of followthemoney is missing: pip install -e '.[dev]'"
    done = subprocess.run([str(ftm), "validate"], input=lines, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def _values(entity: dict[str, Any]) -> tuple[str, str, dict[str, list[str]]]:
    return entity["id"], entity["schema"], {k: sorted(v) for k, v in entity["properties"].items()}


def test_ftm_validate_keeps_every_value(kg: KnowledgeGraph) -> None:
    text = export_text(kg, "ftm")
    again = _ftm_validate(text)
    assert [_values(e) for e in again] == [_values(json.loads(line)) for line in text.splitlines()]
    # And it does drop what it cannot read: the comparison above can fail.
    bad = '{"id": "x", "schema": "Event", "properties": {"startDate": ["the next day"]}}\n'
    assert _values(_ftm_validate(bad)[0]) == ("x", "Event", {})


def test_ftm_without_the_package_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, build_dir: Path
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "followthemoney", None)
    result = CliRunner().invoke(
        cli, ["export", "--data", str(DATA), "--build-dir", str(build_dir), "-f", "ftm"]
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: the ftm export needs the followthemoney package; "
        "install the FollowTheMoney extra: pip install 'zhanaozen-graph[ftm]'\n"
    )


def test_ftm_of_hostile_text_is_still_valid(xss_kg: KnowledgeGraph) -> None:
    entities = ftm_entities(xss_kg)
    check_ftm(entities)
    names = {n for e in entities for n in e["properties"].get("name", [])}
    assert "Example Watch <img src=x onerror=alert(1)>" in names  # kept as the text says: data, not markup


# --- TimelineJS -------------------------------------------------------------------------------------


def test_timelinejs_follows_the_documented_format(kg: KnowledgeGraph) -> None:
    doc = timelinejs(kg)
    jsonschema.validate(doc, TIMELINEJS)
    assert len(doc["events"]) == 55
    assert doc["title"] == {
        "text": {
            "headline": "zhanaozen-graph timeline",
            "text": "<p>55 events from 1 source(s): Urgent Action: Bolat Atabaev released</p>",
        }
    }
    slide = next(s for s in doc["events"] if s["unique_id"] == "atabaev-released")
    assert slide == {
        "unique_id": "atabaev-released",
        "start_date": {"year": 2012, "month": 7, "day": 3, "hour": 22, "minute": 0},
        "display_date": "at 10pm on 3 July",
        "group": "release",
        "text": {
            "headline": "Bolat Atabaev is released and walks free from Pre-trial Detention Centre Number One "
            "in Aktau under Article 65",
            "text": "<p>Date (EDTF): 2012-07-03T22:00:00, 2012-07-03 to 2012-07-03, year-inferred.</p>"
            "<p>year inferred: The release followed his arrest on 15 June (2012), which came after the "
            "charges of 6 January 2012; the first 3 July after that arrest is 3 July 2012, and the update "
            "reports the release as news.</p>"
            "<p>Participants: Bolat Atabaev (detainee)</p>"
            "<p>Places: Aktau; Pre-trial Detention Centre Number One in Aktau</p>"
            "<blockquote>Prisoner of conscience Bolat Atabaev was released on 3 July.</blockquote>"
            "<p>Source: Urgent Action: Bolat Atabaev released</p>"
            "<blockquote>Prominent theatre director Bolat Atabaev was released under Article 65 of the "
            "Criminal Code of the Republic of Kazakhstan</blockquote>"
            "<p>Source: Urgent Action: Bolat Atabaev released</p>"
            "<blockquote>Bolat Atabaev walked free from Pre-trial Detention Centre Number One in Aktau at "
            "10pm on 3 July.</blockquote>"
            "<p>Source: Urgent Action: Bolat Atabaev released</p>",
        },
        "media": {
            "url": "<blockquote>Prisoner of conscience Bolat Atabaev was released on 3 July.</blockquote>",
            "caption": "Urgent Action: Bolat Atabaev released",
            "credit": SOURCE,
        },
    }
    # An uncertain date spans its bounds and shows as written.
    speech = next(s for s in doc["events"] if s["unique_id"] == "atabaev-zhanaozen-speech")
    assert (speech["start_date"], speech["end_date"], speech["display_date"]) == (
        {"year": 2011, "month": 5, "day": 1},
        {"year": 2011, "month": 12, "day": 31},
        "in 2011",
    )


def test_timelinejs_schema_refuses_what_the_loader_cannot_read() -> None:
    """The schema can fail: no start date, a year as text, media without a url."""
    for slide in (
        {"text": {"headline": "x"}},
        {"start_date": {"year": "2012"}},
        {"start_date": {"year": 2012}, "media": {"caption": "x"}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"events": [slide]}, TIMELINEJS)


def test_timelinejs_escapes_the_documents_words(xss_kg: KnowledgeGraph) -> None:
    doc = timelinejs(xss_kg)
    jsonschema.validate(doc, TIMELINEJS)
    text = json.dumps(doc)
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "EXAMPLE (made up for tests) &lt;img src=x onerror=alert(1)&gt;" in doc["title"]["text"]["text"]


# --- Spreadsheet CSV --------------------------------------------------------------------------------


def test_timeline_csv_reads_back_in_pandas_with_the_evidence(kg: KnowledgeGraph, build_dir: Path) -> None:
    text = timeline_csv(kg)
    assert text.count("\r\n") == text.count("\n") == 56  # a header and 55 events, CRLF (RFC 4180)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == [
        "earliest",
        "latest",
        "date",
        "status",
        "type",
        "label",
        "places",
        "participants",
        "according_to",
        "sources",
        "id",
        "date_text",
        "date_reason",
        "evidence",
    ]
    row = frame.set_index("id").loc["atabaev-released"]
    assert (row["earliest"], row["latest"], row["date"], row["status"], row["date_text"]) == (
        "2012-07-03",
        "2012-07-03",
        "2012-07-03T22:00:00",
        "year-inferred",
        "at 10pm on 3 July",
    )
    assert row["sources"] == SOURCE
    assert row["date_reason"].startswith("year inferred: The release followed his arrest on 15 June (2012)")
    assert row["evidence"].split(" | ") == [
        f"Prisoner of conscience Bolat Atabaev was released on 3 July. [{SOURCE}]",
        "Prominent theatre director Bolat Atabaev was released under Article 65 of the Criminal Code of the "
        f"Republic of Kazakhstan [{SOURCE}]",
        "Bolat Atabaev walked free from Pre-trial Detention Centre Number One in Aktau at 10pm on 3 July. "
        f"[{SOURCE}]",
    ]
    # One writer: export --format csv and timeline --format csv give the same bytes.
    args = ["--data", str(DATA), "--build-dir", str(build_dir)]
    exported = CliRunner().invoke(cli, ["export", *args, "-f", "csv"])
    listed = CliRunner().invoke(cli, ["timeline", *args, "-f", "csv"])
    assert exported.exit_code == listed.exit_code == 0
    assert exported.stdout_bytes == listed.stdout_bytes == text.encode("utf-8")


def test_export_refuses_network_options_for_the_evidence_formats(build_dir: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--data",
            str(DATA),
            "--build-dir",
            str(build_dir),
            "-f",
            "timelinejs",
            "--network",
            "places",
        ],
    )
    assert result.exit_code == 2
    assert (
        result.output.splitlines()[-1]
        == "Error: --network apply to graphml, gexf and json, not to timelinejs"
    )


# --- GEXF -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("network", NETWORKS)
def test_gexf_is_valid_against_the_gexf_1_2_xsd(kg: KnowledgeGraph, network: str) -> None:
    text = export_network(kg, "gexf", network)
    GEXF_XSD.validate(text)
    G = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    assert G.number_of_nodes() == project(kg, network).number_of_nodes()


def test_networkx_gexf_with_graph_name_fails_the_xsd(kg: KnowledgeGraph) -> None:
    """What the export used to write (networkx's writer puts name= on graph): the XSD refuses it."""
    text = "\n".join(nx.generate_gexf(for_export(project(kg, "precedence"), "gexf"), prettyprint=True))
    errors = list(GEXF_XSD.iter_errors(text))
    assert len(errors) == 1
    assert "'name': 'precedence'" in str(errors[0])
    fixed = export_network(kg, "gexf", "precedence")
    assert "<description>precedence (over the whole timeline)</description>" in fixed
