"""Each kind of bad input gets one clear line naming the file, the line and the fix; build/ stays as it was."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhanaozen_graph.cli import cli

EDTF_HINT = "write it in EDTF, e.g. 2012-07-03, 2011-05, 2011, 2011-05/2011-12 or 2011/.."


def snapshot(directory: Path) -> dict[str, str]:
    """The SHA-256 of every file below ``directory`` (the store included), by relative path."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


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


# -- Issue 13: hostile and mistaken inputs, each one line, exit 1, build/ unchanged ----------------------


def records(mini: Path) -> Path:
    return mini / "records" / "example.yaml"


def edit(old: str, new: str, rel: str = "records/example.yaml") -> Callable[[Path], Path]:
    def apply(mini: Path) -> Path:
        path = mini / rel
        text = path.read_text()
        assert old in text, old
        path.write_text(text.replace(old, new, 1))
        return path

    return apply


def write(rel: str, data: bytes) -> Callable[[Path], Path]:
    def apply(mini: Path) -> Path:
        path = mini / rel
        path.write_bytes(data)
        return path

    return apply


def fifo(rel: str) -> Callable[[Path], Path]:
    def apply(mini: Path) -> Path:
        path = mini / rel
        path.unlink(missing_ok=True)
        os.mkfifo(path)
        return path

    return apply


def source_meta(line: str) -> Callable[[Path], Path]:
    def apply(mini: Path) -> Path:
        path = mini / "sources" / "example-mini.yaml"
        path.write_text(path.read_text() + line)
        return path

    return apply


def symlink_out(mini: Path) -> Path:
    outside = mini.parent / "outside.txt"
    outside.write_text((mini / "sources" / "example-mini.txt").read_text())
    (mini / "sources" / "link.txt").symlink_to(outside)
    return source_meta("file: link.txt\n")(mini)


def directory_named_yaml(mini: Path) -> Path:
    path = mini / "records" / "folder.yaml"
    path.mkdir()
    return path


def no_sources(mini: Path) -> Path:
    for p in (mini / "sources").iterdir():
        p.unlink()
    (mini / "records" / "example.yaml").unlink()
    return mini / "sources"


def bad_source_name(mini: Path) -> Path:
    src = mini / "sources"
    (src / "example-mini.yaml").rename(src / "Example Mini.yaml")
    (src / "example-mini.txt").rename(src / "Example Mini.txt")
    path = src / "Example Mini.yaml"
    path.write_text(path.read_text().replace("id: example-mini\n", ""))
    edit("source: example-mini", "source: Example Mini")(mini)
    return path


BOMB = (
    'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    + "people:\n  - id: bomb\n    label: Bomb\n    evidence: *i\n"
)


def quantity(value: str) -> Callable[[Path], Path]:
    return edit("value: 2, qualifier", f"value: {value}, qualifier")


FILE_CASES = [
    pytest.param(
        edit("    label: Jane Doe\n", "    label: Jane Doe\n    label: Janet Doe\n"),
        "{p}:6: duplicate key 'label' (first at line 5); merge the two into one (a second one would replace the first)",
        id="duplicate-key",
    ),
    pytest.param(
        edit("claims:\n", "people:\n  - id: john-doe\n    label: John\nclaims:\n"),
        "{p}:41: duplicate key 'people' (first at line 3); merge the two into one (a second one would replace the first)",
        id="duplicate-section",
    ),
    pytest.param(
        edit("events:\n", "events: []\nevents:\n"),
        "{p}:22: duplicate key 'events' (first at line 21); merge the two into one (a second one would replace the first)",
        id="duplicate-events-section",
    ),
    pytest.param(
        write("records/extra.yaml", b"people: []\nlabel: caf\xe9\n"),
        "{p}:2: not UTF-8: byte 0xe9 at column 11; save the file as UTF-8",
        id="yaml-not-utf8",
    ),
    pytest.param(
        write("records/extra.yaml", b"people: []\nlabel: a\x00b\n"),
        "{p}:2: NUL byte in a text file; remove it (is this a binary file?)",
        id="yaml-nul-byte",
    ),
    pytest.param(
        write("records/extra.yaml", b"people: []\nlabel: a\x07b\n"),
        "{p}:2: YAML cannot contain the character U+0007; remove it or write it as an escape in a double-quoted string",
        id="yaml-bel-character",
    ),
    pytest.param(
        write("records/extra.yaml", b"people: " + b"[" * 20000 + b"]" * 20000 + b"\n"),
        "{p}:1: nested more than 32 levels deep; flatten the structure",
        id="yaml-deep-flow",
    ),
    pytest.param(
        write("records/extra.yaml", b"people:\n" + b"".join(b" " * i + b"- \n" for i in range(2000))),
        "{p}:33: nested more than 32 levels deep; flatten the structure",
        id="yaml-deep-block",
    ),
    pytest.param(
        write("records/extra.yaml", BOMB.encode()),
        "{p}:1: YAML anchors and aliases (&name, *name) are not allowed; write the value out in full",
        id="alias-bomb-as-evidence",
    ),
    pytest.param(
        write("records/extra.yaml", b"people:\n  - &p {id: p1, label: P}\n"),
        "{p}:2: YAML anchors and aliases (&name, *name) are not allowed; write the value out in full",
        id="yaml-anchor",
    ),
    pytest.param(
        write("records/extra.yaml", b"? [a, b]\n: c\n"),
        "{p}:1: a key must be plain text, not a list or mapping; write the key as text",
        id="yaml-complex-key",
    ),
    pytest.param(
        fifo("records/extra.yaml"),
        "{p}: not a regular file (a FIFO); replace it by a plain file",
        id="yaml-is-a-fifo",
    ),
    pytest.param(
        directory_named_yaml,
        "{p}: not a regular file (a directory); replace it by a plain file",
        id="yaml-is-a-directory",
    ),
    pytest.param(
        write("sources/example-mini.txt", b"caf\xe9 and more\n"),
        "{p}:1: not UTF-8: byte 0xe9 at column 4; save the file as UTF-8",
        id="source-not-utf8",
    ),
    pytest.param(
        edit("strike.", "strike.\x00", rel="sources/example-mini.txt"),
        "{p}:5: NUL byte in a text file; remove it (is this a binary file?)",
        id="source-nul-byte",
    ),
    pytest.param(
        edit("EXAMPLE", "\ufeffEXAMPLE", rel="sources/example-mini.txt"),
        "{p}:1: the document starts with a byte-order mark, which would shift every offset; save it as UTF-8 without BOM",
        id="source-bom",
    ),
    pytest.param(
        fifo("sources/example-mini.txt"),
        "{p}: not a regular file (a FIFO); replace it by a plain file",
        id="source-is-a-fifo",
    ),
    pytest.param(
        source_meta("file: ../../../../etc/passwd\n"),
        "{p}:8: file '../../../../etc/passwd' lies outside sources/; name a file in sources/, without '..' or an absolute path",
        id="source-file-traversal",
    ),
    pytest.param(
        source_meta("file: /etc/passwd\n"),
        "{p}:8: file '/etc/passwd' lies outside sources/; name a file in sources/, without '..' or an absolute path",
        id="source-file-absolute",
    ),
    pytest.param(
        source_meta('file: ""\n'),
        "{p}:8: file must name the document, got ''; write file: NAME.txt, or leave it out for the default",
        id="source-file-empty",
    ),
    pytest.param(
        symlink_out,
        "{p}:8: file 'link.txt' lies outside sources/; name a file in sources/, without '..' or an absolute path",
        id="source-file-symlink-out",
    ),
    pytest.param(
        source_meta("file: missing.txt\n"),
        "{p}:8: cannot read the document missing.txt: No such file or directory; put the document's text next to its metadata",
        id="source-file-missing",
    ),
    pytest.param(
        source_meta("url: http://example.org/a report\n"),
        "{p}:8: url of source 'example-mini' is not a valid http(s) IRI: 'http://example.org/a report'; "
        "write http(s)://... without spaces (percent-encode them)",
        id="source-url-with-space",
    ),
    pytest.param(
        bad_source_name,
        "{p}: source id 'Example Mini' is not a slug; rename the file to lowercase letters, digits and hyphens",
        id="source-id-not-a-slug",
    ),
    pytest.param(
        no_sources,
        "{p}: no source documents in sources/: the graph would be empty; add a source (NAME.yaml and NAME.txt), or pass --allow-empty",
        id="empty-source-set",
    ),
    pytest.param(
        edit(
            "    place_type: city\n",
            '    place_type: city\n    same_as: ["http://www.wikidata.org/entity/Q 1"]\n',
        ),
        "{p}:20: 'same_as' of 'exampletown' is not a valid IRI: 'http://www.wikidata.org/entity/Q 1'; remove spaces and the characters <>\"{{}}|\\^` (percent-encode them)",
        id="same-as-with-space",
    ),
    pytest.param(
        edit("    place_type: city\n", '    place_type: city\n    same_as: ["http://example.org/<x>"]\n'),
        "{p}:20: 'same_as' of 'exampletown' is not a valid IRI: 'http://example.org/<x>'; remove spaces and the characters <>\"{{}}|\\^` (percent-encode them)",
        id="same-as-with-angle-brackets",
    ),
    pytest.param(
        edit("relative: {to: jane-doe-detained,", "relative: {to: beaten-in-custody,"),
        "{p}:34: cannot resolve the date of 'jane-doe-released': 'beaten-in-custody' has no date; refer to a record that has a date (an event)",
        id="relative-date-to-claim",
    ),
    pytest.param(
        edit("relative: {to: jane-doe-detained,", "relative: {to: exampletown,"),
        "{p}:34: cannot resolve the date of 'jane-doe-released': 'exampletown' has no date; refer to a record that has a date (an event)",
        id="relative-date-to-place",
    ),
    pytest.param(
        edit("    label: Jane Doe\n", "    label: 123\n"),
        "{p}:5: 'label' of 'jane-doe' must be text, got int 123; put it in quotes: label: \"123\"",
        id="label-a-number",
    ),
    pytest.param(
        edit("    label: Jane Doe\n", '    label: "Jane\\0Doe"\n'),
        "{p}:5: 'label' of 'jane-doe' contains the control character U+0000; remove it (invisible characters can change how the text reads)",
        id="label-nul",
    ),
    pytest.param(
        edit("    label: Jane Doe\n", '    label: "Jane\\aDoe"\n'),
        "{p}:5: 'label' of 'jane-doe' contains the control character U+0007; remove it (invisible characters can change how the text reads)",
        id="label-bel",
    ),
    pytest.param(
        edit("    label: Jane Doe\n", '    label: "Jane \\u202eeoD"\n'),
        "{p}:5: 'label' of 'jane-doe' contains the control character U+202E; remove it (invisible characters can change how the text reads)",
        id="label-bidi-override",
    ),
    pytest.param(
        edit("    aliases: [EA]\n", '    aliases: ["E\\u2066A"]\n'),
        "{p}:14: 'aliases' of 'example-agency' contains the control character U+2066; remove it (invisible characters can change how the text reads)",
        id="alias-bidi-isolate",
    ),
    pytest.param(
        edit(
            "{actor: example-agency, role: arresting_agency}",
            "{actor: example-agency, role: [arresting_agency]}",
        ),
        "{p}:29: unknown role ['arresting_agency'] in 'jane-doe-detained'; did you mean arresting_agency? "
        "(model/vocabularies.yaml)",
        id="role-a-list",
    ),
    pytest.param(
        quantity(".nan"),
        "{p}:37: 'quantities' of 'jane-doe-released' holds nan, which is not a finite number; write the number the document gives",
        id="quantity-nan",
    ),
    pytest.param(
        quantity(".inf"),
        "{p}:37: 'quantities' of 'jane-doe-released' holds inf, which is not a finite number; write the number the document gives",
        id="quantity-infinite",
    ),
    pytest.param(
        edit("    follows: [jane-doe-detained]\n", "    follows: [jane-doe-released]\n"),
        "{p}:39: 'follows' of 'jane-doe-released' points at the record itself; name another event",
        id="follows-itself",
    ),
    pytest.param(
        edit("    places: [exampletown]\n", "    places: [exampletown]\n    part_of: jane-doe-detained\n"),
        "{p}:27: 'part_of' of 'jane-doe-detained' points at the record itself; name another event",
        id="part-of-itself",
    ),
    pytest.param(
        edit("    places: [exampletown]\n", "    places: [exampletown]\n    follows: [jane-doe-released]\n"),
        "{p}:27: 'follows' runs in a circle: jane-doe-detained -> jane-doe-released -> jane-doe-detained; remove one of the 'follows' links",
        id="follows-cycle",
    ),
    pytest.param(
        edit('evidence: ["Witnesses claimed"]', 'evidence: ["Example Agency"]'),
        "{p}:10: quote 'Example Agency' of 'witnesses' occurs 2 times in source 'example-mini' (at line:column 3:19, 6:5); quote more of the sentence so that it occurs once",
        id="quote-occurs-twice",
    ),
    pytest.param(
        edit('evidence: ["Witnesses claimed"]', 'evidence: ["a"]'),
        "{p}:10: quote 'a' of 'witnesses' is too short to identify its place; quote at least 3 words or 12 characters",
        id="quote-one-character",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), FILE_CASES)
def test_hostile_input_fails_with_one_line(
    mini: Path, built: Path, mutate: Callable[[Path], Path], expected: str
) -> None:
    before = snapshot(built)
    path = mutate(mini)
    result = CliRunner().invoke(cli, ["build", "--data", str(mini), "--build-dir", str(built)])
    assert result.exit_code == 1, result.output
    assert result.output == "Error: " + expected.format(p=path, mini=mini) + "\n"
    assert snapshot(built) == before


# -- The command line: usage mistakes, a busy port, a closed pipe, an internal error --------------------


@pytest.mark.parametrize(
    "args",
    [
        ["query", "timeline", "--endpoint", "not a url"],
        ["query", "timeline", "--endpoint", "ftp://example.org/sparql"],
        ["push", "--endpoint", "not a url"],
    ],
    ids=["query-endpoint-not-a-url", "query-endpoint-not-http", "push-endpoint-not-a-url"],
)
def test_an_endpoint_that_is_not_a_url_is_a_usage_error(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for '--endpoint': {args[-1]!r} is not an http(s) URL; "
        "write e.g. http://localhost:7878/query"
    )


def test_serve_on_a_port_in_use(mini: Path, built: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--port", str(port), "--data", str(mini), "--build-dir", str(built)]
        )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot listen on 127.0.0.1:{port}: the port is in use; "
        "stop the other server or choose another --port\n"
    )


def test_a_closed_pipe_ends_quietly(mini: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    # `build | true`: the reader is gone before the build prints its first line.
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "zhanaozen_graph",
            "build",
            "--data",
            str(mini),
            "--build-dir",
            str(tmp_path / "b"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(60)
    assert err == b""
    assert proc.returncode == 1
    assert (tmp_path / "b" / "manifest.json").exists()  # the build itself was done


def test_an_internal_error_is_one_line_and_debug_shows_the_traceback(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhanaozen_graph.graph import build as build_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(build_module, "write_store", broken)
    args = ["build", "--data", str(mini), "--build-dir", str(tmp_path / "b")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output == (
        "Error: internal error: RuntimeError: something unexpected; "
        "run the command again with --debug for the traceback, and report it\n"
    )
    result = CliRunner().invoke(cli, ["--debug", *args])
    assert isinstance(result.exception, RuntimeError)
    assert not (tmp_path / "b").exists()


def test_debug_shows_the_traceback_of_a_data_error(mini: Path, tmp_path: Path) -> None:
    from zhanaozen_graph.errors import DataError

    break_records(mini, "    type: arrest\n", "    type: arest\n")
    args = ["--debug", "build", "--data", str(mini), "--build-dir", str(tmp_path / "b")]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, DataError)


def test_validate_calls_an_empty_data_directory_a_problem_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "data" / "sources").mkdir(parents=True)
    data = str(tmp_path / "data")
    result = CliRunner().invoke(cli, ["validate", "--data", data])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{tmp_path / 'data' / 'sources'}: no source documents in sources/: the graph would be empty; "
        "add a source (NAME.yaml and NAME.txt), or pass --allow-empty",
        "invalid: 1 problem(s) in the records",
    ]
    result = CliRunner().invoke(cli, ["validate", "--allow-empty", "--data", data])
    assert result.exit_code == 0
    assert result.output.startswith("valid: 0 records")
