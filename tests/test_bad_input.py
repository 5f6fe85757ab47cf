"""Each kind of bad input gets one clear line naming the file, the line and the fix; build/ stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from zhanaozen_graph.cli import cli

EDTF_HINT = "write it in EDTF, e.g. 2012-07-03, 2011-05, 2011, 2011-05/2011-12 or 2011/.."


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()
    }


@pytest.fixture
def built(mini: Path, tmp_path: Path) -> Path:
    """A good build of the mini data, to check that a failed build leaves it untouched."""
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out


def break_records(mini: Path, old: str, new: str) -> Path:
    path = mini / "records" / "example.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


CASES = [
    pytest.param(
        "    aliases: [EA]\n",
        "    aliases: [EA\n",
        "{p}:15: YAML syntax error: expected ',' or ']', but got ':'",
        id="yaml-syntax-error",
    ),
    pytest.param(
        "    places: [exampletown]\n",
        "    places: [exampeltown]\n",
        "{p}:26: unknown reference 'exampeltown' in 'places' of 'jane-doe-detained'; did you mean exampletown?",
        id="unknown-reference",
    ),
    pytest.param(
        "  - id: witnesses\n",
        "  - id: jane-doe\n",
        "{p}:8: duplicate id 'jane-doe' (first defined in example.yaml:4); give each record a unique id, or add to it with 'about: jane-doe'",
        id="duplicate-id",
    ),
    pytest.param(
        'date: {edtf: "2020-05-03"',
        'date: {edtf: "2020-13-03"',
        "{p}:25: invalid EDTF date '2020-13-03'; " + EDTF_HINT,
        id="invalid-edtf",
    ),
    pytest.param(
        "date: {relative: {to: jane-doe-detained, relation: next_day}",
        'date: {edtf: "2020-05-01", relative: {to: jane-doe-detained, relation: next_day}',
        "{p}:34: latest 2020-05-01 is before earliest 2020-05-04; check the date and the events it is relative to",
        id="latest-before-earliest",
    ),
    pytest.param(
        'evidence: ["the Example Agency detained Jane Doe"]\ngroups',
        'evidence: ["the Example Agency arrested Jane Doe"]\ngroups',
        "{p}:6: quote not found in source 'example-mini': 'the Example Agency arrested Jane Doe'; "
        "copy the words exactly from the document (only whitespace may differ)",
        id="quote-not-in-source",
    ),
    pytest.param(
        "{actor: jane-doe, role: detainee}\n      - {actor: example-agency",
        "{actor: jane-doe, role: detained}\n      - {actor: example-agency",
        "{p}:28: unknown role 'detained' in 'jane-doe-detained'; did you mean detainee? (model/vocabularies.yaml)",
        id="unknown-role",
    ),
    pytest.param(
        "    type: arrest\n",
        "    type: arest\n",
        "{p}:23: unknown event type 'arest' in 'jane-doe-detained'; did you mean arrest, protest? (model/vocabularies.yaml)",
        id="unknown-event-type",
    ),
    pytest.param(
        "    label: The Example Agency detains Jane Doe\n",
        "",
        "{p}:22: missing required field 'label' for Event 'jane-doe-detained'; "
        "add 'label:' (Short description of the event)",
        id="missing-required-field",
    ),
    pytest.param(
        "    stance: allegation\n",
        "    stance: rumour\n",
        "{p}:43: unknown stance 'rumour' in 'beaten-in-custody'; "
        "use one of: allegation, assessment, denial, justification, official_position, testimony (model/vocabularies.yaml)",
        id="unknown-stance",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_bad_input_fails_with_one_clear_line(
    mini: Path, built: Path, old: str, new: str, expected: str
) -> None:
    before = snapshot(built)
    path = break_records(mini, old, new)
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(built)])
    assert result.exit_code == 1
    assert result.output == "Error: " + expected.format(p=path) + "\n"
    assert snapshot(built) == before


def test_validate_lists_every_problem_and_exits_1(mini: Path) -> None:
    path = break_records(mini, "    type: arrest\n", "    type: arest\n")
    break_records(mini, "    places: [exampletown]\n", "    places: [exampeltown]\n")
    result = CliRunner().invoke(cli, ["validate", "--data", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:23: unknown event type 'arest' in 'jane-doe-detained'; did you mean arrest, protest? (model/vocabularies.yaml)",
        f"{path}:26: unknown reference 'exampeltown' in 'places' of 'jane-doe-detained'; did you mean exampletown?",
        "invalid: 2 problem(s) in the records",
    ]


def test_cycle_of_relative_dates_is_reported(mini: Path) -> None:
    path = break_records(
        mini,
        'date: {edtf: "2020-05-03", text: "On 3 May 2020"}',
        "date: {relative: {to: jane-doe-released, relation: before}}",
    )
    result = CliRunner().invoke(cli, ["validate", "--data", str(mini)])
    assert result.exit_code == 1
    assert (
        result.output.splitlines()[0]
        == f"{path}:34: date of 'jane-doe-released' depends on itself; break the cycle of relative dates"
    )


def test_no_traceback_for_a_missing_data_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", "--data", str(tmp_path / "nowhere"), "--build-dir", str(tmp_path / "b")]
    )
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {tmp_path / 'nowhere'}: no sources/ directory; point --data at a directory with sources/ and records/\n"
    )
    assert not (tmp_path / "b").exists()
