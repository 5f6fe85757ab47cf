"""Measure dateparser on the date phrases the curated Amnesty records cite (not a dependency of the project).

Run in a separate environment: ``python -m venv /tmp/dp && /tmp/dp/bin/pip install dateparser pyyaml &&
/tmp/dp/bin/python benchmarks/measure_dateparser.py``. Prints, for each distinct phrase, the curated EDTF (or
relation) and what ``dateparser.parse`` returns with the document's month as the relative base.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import dateparser  # type: ignore[import-not-found]
import yaml

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    gold = []
    for path in sorted((REPO / "data" / "records").glob("amnesty*/events.yaml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["events"]:
            d = block.get("date") or {}
            if d.get("text"):
                gold.append((d["text"], d.get("edtf") or (d.get("relative") or {}).get("relation")))
    settings = {"RELATIVE_BASE": dt.datetime(2012, 7, 31), "PREFER_DATES_FROM": "past"}
    start = time.perf_counter()
    rows = []
    for text, want in dict.fromkeys(gold):
        parsed = dateparser.parse(text, settings=settings)
        rows.append((text, want, parsed.date().isoformat() if parsed else None))
    elapsed = time.perf_counter() - start
    for text, want, got in rows:
        print(f"{text!r:50} curated {want!s:22} dateparser {got}")
    found = sum(1 for _, _, got in rows if got)
    print(f"{len(rows)} phrases, {found} parsed, {elapsed:.2f} s")


if __name__ == "__main__":
    main()
