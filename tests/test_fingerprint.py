"""The staleness check of a build: files whose stat is unchanged are not read again, and no change is missed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from zhanaozen_graph import build
from zhanaozen_graph.graph import build as build_module
from zhanaozen_graph.graph.build import file_table, fingerprint, table_digest

RECORDS = "records/example.yaml"


@pytest.fixture
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago count as settled (else they are always hashed again)."""
    monkeypatch.setattr(build_module, "_RACY_NS", 0)


def test_the_manifest_records_every_file_and_the_fingerprint_of_its_table(mini: Path, tmp_path: Path) -> None:
    result = build(mini, tmp_path / "b", shacl=False)
    manifest = json.loads(result.files["manifest.json"].read_text("utf-8"))
    table = manifest["files"]
    data = sorted(name for name in table if not name.startswith("package:"))
    assert data == sorted(
        str(p.relative_to(mini)) for p in mini.rglob("*") if p.suffix in (".yaml", ".txt") and p.is_file()
    )
    assert "package:graph/build.py" in table and "package:model/kinds.yaml" in table
    assert manifest["fingerprint"] == table_digest(table) == fingerprint(mini)


def test_a_file_whose_stat_is_unchanged_is_not_read_again(mini: Path, no_racy_window: None) -> None:
    table = file_table(mini)
    assert table[RECORDS][:4] != [None, None, None, None]
    # A recorded digest that is not the file's: taken as it is, so the file was not read.
    known = {**table, RECORDS: [*table[RECORDS][:4], "0" * 64]}
    assert file_table(mini, known)[RECORDS][4] == "0" * 64
    assert fingerprint(mini, known) != fingerprint(mini, table) == fingerprint(mini)


def test_a_rewrite_that_keeps_size_and_mtime_is_still_seen(mini: Path, no_racy_window: None) -> None:
    records = mini / RECORDS
    table = file_table(mini)
    st = records.stat()
    text = records.read_text("utf-8")
    assert "Jane Doe is released" in text
    records.write_text(text.replace("Jane Doe is released", "Jane Doe is relaxed!"), "utf-8")
    os.utime(records, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `touch -d`, `cp -p` or `rsync -t` do
    assert records.stat().st_size == st.st_size and records.stat().st_mtime_ns == st.st_mtime_ns
    assert fingerprint(mini, table) != table_digest(table)
    assert fingerprint(mini, table) == fingerprint(mini)  # what hashing every file says


def test_a_file_changed_just_before_it_was_recorded_is_always_read_again(mini: Path) -> None:
    (mini / RECORDS).write_text((mini / RECORDS).read_text("utf-8") + "# now\n", "utf-8")
    table = file_table(mini)
    # Written within the last 2 s: a later write in the same clock tick might not change its stat.
    assert table[RECORDS][:4] == [None, None, None, None]
    known = {**table, RECORDS: [None, None, None, None, "0" * 64]}
    assert file_table(mini, known)[RECORDS] == table[RECORDS]


def test_added_and_removed_files_change_the_fingerprint(mini: Path, no_racy_window: None) -> None:
    table = file_table(mini)
    extra = mini / "records" / "more.yaml"
    extra.write_text("# nothing yet\n", "utf-8")
    with_extra = fingerprint(mini, table)
    assert with_extra != table_digest(table)
    extra.unlink()
    assert fingerprint(mini, table) == table_digest(table)


def test_a_link_to_a_directory_is_not_followed(mini: Path) -> None:
    (mini / "records" / "loop").symlink_to(mini, target_is_directory=True)
    assert not any(name.startswith("records/loop") for name in file_table(mini))
