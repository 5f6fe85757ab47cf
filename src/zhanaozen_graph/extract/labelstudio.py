"""Label Studio: proposals as pre-annotations of a text task, and annotations imported back as proposals.

The task format is Label Studio's for a ``<Labels name="label" toName="text">`` over ``<Text name="text"
value="$text"/>``: a result has ``value: {start, end, text, labels}``, offsets in characters of the text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..records.evidence import SourceIndex
from ..records.load import default_data_dir, load_dataset
from .propose import ORDER, Proposals, proposals_path, write_proposals

__all__ = ["LABELS", "LABEL_CONFIG", "from_label_studio", "to_label_studio"]

LABELS = {
    "people": "Person",
    "groups": "Group",
    "organisations": "Organisation",
    "places": "Place",
    "legal_provisions": "LegalProvision",
    "events": "Event",
    "claims": "Claim",
    "dates": "Date",
    "quantities": "Quantity",
}
_SECTION = {v: k for k, v in LABELS.items()}
LABEL_CONFIG = (
    '<View><Labels name="label" toName="text">'
    + "".join(f'<Label value="{v}"/>' for v in LABELS.values())
    + '</Labels><Text name="text" value="$text"/></View>'
)


def to_label_studio(proposals: Proposals) -> list[dict[str, Any]]:
    """One Label Studio task: the text, and every proposal as a prediction (pre-annotation).

    Examples
    --------
    >>> from zhanaozen_graph.extract.propose import propose
    >>> task = to_label_studio(propose("amnesty-ua-2012-07-atabaev-released"))[0]
    >>> r = task["predictions"][0]["result"][0]
    >>> r["value"]["labels"], r["value"]["text"], r["meta"]["about"]
    (['Person'], 'Bolat Atabaev', 'bolat-atabaev')
    """
    results = []
    for section in ORDER:
        for entry in proposals.sections.get(section, []):
            p = entry["proposal"]
            meta = {"proposal": p["id"], "what": p["what"]}
            for key in ("about", "id", "type"):
                if key in entry:
                    meta[key] = entry[key]
            results.append(
                {
                    "id": p["id"],
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "value": {
                        "start": p["start"],
                        "end": p["end"],
                        "text": proposals.text[p["start"] : p["end"]],
                        "labels": [LABELS[section]],
                    },
                    "meta": meta,
                }
            )
    return [
        {
            "data": {"text": proposals.text, "source": proposals.source},
            "predictions": [{"model_version": "zhanaozen-graph propose", "result": results}],
        }
    ]


def from_label_studio(
    export: Path | str, slug: str, data_dir: Path | str | None = None
) -> list[dict[str, Any]]:
    """Add the annotations of a Label Studio JSON export to ``data/proposals/SLUG.yaml`` as proposals.

    Every annotated span must be the text at its offsets in the stored document; an annotation that
    carries a proposal's ``meta`` (exported by :func:`to_label_studio`) keeps its record fields. The
    imported entries are proposals: they become records only when accepted in ``review``.

    Returns
    -------
    list of dict
        The entries added.

    Raises
    ------
    DataError
        For a file that is not a Label Studio export, a task of another document, or a span that does
        not match the text.
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    path = Path(export)
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read a Label Studio JSON export: {exc}", path=path) from exc
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise DataError("a Label Studio export is a list of tasks", path=path)
    ds = load_dataset(root)
    if slug not in ds.sources:
        raise DataError(f"no source {slug!r}", path=root / "sources", hint="add it with add-source")
    text = ds.sources[slug].text
    ppath = proposals_path(slug, root)
    import yaml

    doc = yaml.safe_load(ppath.read_text(encoding="utf-8")) if ppath.exists() else {}
    sections = {k: v for k, v in (doc or {}).items() if k != "source" and isinstance(v, list)}
    proposals = Proposals(slug, text, sections)
    known = {e["proposal"]["id"] for e in proposals.entries()}
    added: list[dict[str, Any]] = []
    for n, task in enumerate(tasks, 1):
        data = task.get("data", {}) if isinstance(task, dict) else {}
        if data.get("text") != text:
            raise DataError(
                f"task {n} is not the text of source {slug!r}",
                path=path,
                hint="export the project that holds this document",
            )
        for annotation in task.get("annotations", []):
            for result in annotation.get("result", []):
                if (result.get("meta") or {}).get("proposal") in known:
                    continue  # a proposal kept as it was exported: already proposed
                entry = _entry(result, text, path, n)
                if entry is None or entry[1]["proposal"]["id"] in known:
                    continue
                section, item = entry
                proposals.sections.setdefault(section, []).append(item)
                known.add(item["proposal"]["id"])
                added.append(item)
    write_proposals(proposals, root)
    return added


def _entry(result: dict[str, Any], text: str, path: Path, n: int) -> tuple[str, dict[str, Any]] | None:
    value = result.get("value") or {}
    labels = value.get("labels") or []
    if result.get("type") != "labels" or not labels or labels[0] not in _SECTION:
        return None
    start, end = int(value.get("start", -1)), int(value.get("end", -1))
    if not (0 <= start < end <= len(text)) or text[start:end] != value.get("text"):
        raise DataError(
            f"task {n}: the span {start}-{end} is not {value.get('text')!r} in the document",
            path=path,
            hint="annotate the stored text, unchanged",
        )
    section = _SECTION[labels[0]]
    meta = result.get("meta") or {}
    quote = SourceIndex.normalise(text[start:end])
    what = meta.get("what") or ("mention" if "about" in meta else "new_entity")
    item: dict[str, Any] = {}
    if meta.get("about"):
        item["about"] = meta["about"]
    elif section in ("dates", "quantities"):
        item["quote"] = quote
    else:
        item["id"] = meta.get("id") or re.sub(r"[^a-z0-9]+", "-", quote.lower()).strip("-")[:48]
        if section in ("events",):
            item["type"] = meta.get("type", "reporting")
        item["label"] = quote
    if section not in ("dates", "quantities"):
        item["evidence"] = [quote]
    item["proposal"] = {
        "id": f"label-studio-{start}-{end}-{labels[0]}",
        "status": "proposed",
        "what": what if section not in ("events", "claims") else section[:-1],
        "quote": quote,
        "start": start,
        "end": end,
        "reason": f"annotated as {labels[0]} in Label Studio",
    }
    return section, item
