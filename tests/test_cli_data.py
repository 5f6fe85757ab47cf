"""The data commands through click's CliRunner: timeline, stats, coverage, validate, model, help."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhanaozen_graph import KnowledgeGraph, check_dataset, load_dataset
from zhanaozen_graph.cli import cli
from zhanaozen_graph.records.evidence import SourceIndex
from zhanaozen_graph.reports import coverage, stats
from zhanaozen_graph.timeline import timeline

from .conftest import DATA, REPO


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_timeline_json_equals_the_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    out = json.loads(run("timeline", "--format", "json", "--data", str(DATA), "--build-dir", str(build_dir)))
    assert out == timeline(kg)


def test_timeline_json_contract(kg: KnowledgeGraph, build_dir: Path) -> None:
    events = json.loads(run("timeline", "-f", "json", "--data", str(DATA), "--build-dir", str(build_dir)))
    assert len(events) >= 20
    required = {"id", "label", "type", "date", "earliest", "latest", "places", "participants", "evidence"}
    text = (DATA / "sources" / "amnesty-ua-2012-07-atabaev-released.txt").read_text()
    index = SourceIndex(text)
    for event in events:
        assert required <= set(event)
        assert event["earliest"] <= event["latest"]
        assert event["evidence"], event["id"]
        for quote in event["evidence"]:
            assert index.find(quote["quote"]) is not None
    assert [e["earliest"] for e in events] == sorted(e["earliest"] for e in events)
    release = next(e for e in events if e["id"] == "atabaev-released")
    assert release == {
        "id": "atabaev-released",
        "label": "Bolat Atabaev is released and walks free from Pre-trial Detention Centre Number One in Aktau under Article 65",
        "type": "release",
        "date": "2012-07-03T22:00:00",
        "date_text": "at 10pm on 3 July",
        "earliest": "2012-07-03",
        "latest": "2012-07-03",
        "date_status": "year-inferred",
        "date_reason": release["date_reason"],
        "date_agreement": "single",
        "dates": [
            {
                "source": "amnesty-ua-2012-07-atabaev-released",
                "date": "2012-07-03T22:00:00",
                "earliest": "2012-07-03",
                "latest": "2012-07-03",
                "status": "year-inferred",
            }
        ],
        "places": ["Aktau", "Pre-trial Detention Centre Number One in Aktau"],
        "place_sources": {
            "Aktau": ["amnesty-ua-2012-07-atabaev-released"],
            "Pre-trial Detention Centre Number One in Aktau": ["amnesty-ua-2012-07-atabaev-released"],
        },
        "participants": [
            {"label": "Bolat Atabaev", "role": "detainee", "sources": ["amnesty-ua-2012-07-atabaev-released"]}
        ],
        "according_to": [],
        "sources": ["amnesty-ua-2012-07-atabaev-released"],
        "evidence": release["evidence"],
    }
    assert release["evidence"][0]["source"] == "amnesty-ua-2012-07-atabaev-released"


def test_timeline_table_and_csv(build_dir: Path) -> None:
    table = run("timeline", "--data", str(DATA), "--build-dir", str(build_dir)).splitlines()
    assert table[0].split() == ["earliest", "latest", "date", "status", "type", "label"]
    first = table[2].split()
    # The speech "to striking workers in Zhanaozen in 2011": in 2011, once the strikes had begun (May).
    assert first[:5] == ["2011-05-01", "2011-12-31", "2011", "stated", "speech"]
    csv_text = run("timeline", "-f", "csv", "--data", str(DATA), "--build-dir", str(build_dir))
    assert csv_text.splitlines()[0] == (
        "earliest,latest,date,status,type,label,places,participants,according_to,sources,id,"
        "date_text,date_reason,evidence"
    )
    release = next(r for r in csv.DictReader(io.StringIO(csv_text)) if r["id"] == "atabaev-released")
    # A spreadsheet keeps the evidence: each quote with its source, the date as written and its reason.
    assert release["date_text"] == "at 10pm on 3 July"
    assert release["date_reason"].startswith("year inferred: ")
    assert release["evidence"].split(" | ") == [
        "Prisoner of conscience Bolat Atabaev was released on 3 July. [amnesty-ua-2012-07-atabaev-released]",
        "Prominent theatre director Bolat Atabaev was released under Article 65 of the Criminal Code of the "
        "Republic of Kazakhstan [amnesty-ua-2012-07-atabaev-released]",
        "Bolat Atabaev walked free from Pre-trial Detention Centre Number One in Aktau at 10pm on 3 July. "
        "[amnesty-ua-2012-07-atabaev-released]",
    ]


def test_stats_counts(kg: KnowledgeGraph) -> None:
    counts = stats(kg)
    assert {k: counts[k] for k in ("sources", "people", "organisations", "places", "legal provisions")} == {
        "sources": 1,
        "people": 5,
        "organisations": 14,
        "places": 11,
        "legal provisions": 2,
    }
    assert counts["events"] == 55
    assert counts["claims"] == 19


def test_stats_json_matches_the_library(kg: KnowledgeGraph, build_dir: Path) -> None:
    assert json.loads(
        run("stats", "-f", "json", "--data", str(DATA), "--build-dir", str(build_dir))
    ) == stats(kg)


def test_every_sentence_is_cited() -> None:
    cov = coverage(check_dataset(load_dataset(DATA)))
    assert (cov.covered, cov.total) == (46, 46)
    headings = [s.text for s in cov.sentences if s.heading]
    assert headings == [
        "URGENT ACTION",
        "BOLAT ATABAEV RELEASED",
        "URGENT ACTION",
        "BOLAT ATABAEV RELEASED",
        "ADDITIONAL INFORMATION",
    ]


def test_coverage_command_reports_the_share(build_dir: Path) -> None:
    # The session's build: up to date, so no "building ..." notice joins the summary on stderr.
    result = CliRunner().invoke(
        cli, ["coverage", "--data", str(DATA), "--build-dir", str(build_dir), "-f", "json"]
    )
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 51
    assert result.stderr == "46 of 46 sentences cited (100%); headings not counted\n"


def test_validate_real_data() -> None:
    out = run("validate", "--data", str(DATA))
    # 154, not 158: four relationships the text does not state are gone (UA network member of Amnesty,
    # appeal senders members of the UA network, press-conference supporters supporting Atabaev,
    # strikers employed by the oil companies).
    assert out.startswith("valid: 154 records, ")


def test_committed_ontology_and_shapes_are_up_to_date() -> None:
    assert (REPO / "ontology" / "zhanaozen.ttl").read_text() == run("model", "ontology")
    assert (REPO / "ontology" / "shapes.ttl").read_text() == run("model", "shapes")


def test_every_own_term_in_the_graph_has_a_label_and_a_comment(kg: KnowledgeGraph) -> None:
    rows = kg.select(
        """SELECT DISTINCT ?t WHERE {
             { ?s ?t ?o } UNION { ?s a ?t } UNION { ?s ?p ?t FILTER(isIRI(?t)) }
             FILTER(STRSTARTS(STR(?t), "https://w3id.org/zhanaozen-graph/ontology#"))
             FILTER NOT EXISTS { ?t <http://www.w3.org/2000/01/rdf-schema#label> ?l ; <http://www.w3.org/2000/01/rdf-schema#comment> ?c }
           }"""
    )
    assert rows == []


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
