"""Step 3: keep one record per page id; the most complete capture of a page wins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .outcome import Reject


def _completeness(record: dict[str, Any]) -> tuple:
    """Orders captures of one page: whole before cut, more answers and text first, then by file name."""
    text = sum(len(a["text"]) for a in record["answers"]) + len(record["question"]["text"] or "")
    text += len(record["more_info"] or "") + len(record["related"])
    return (not record["complete"], -len(record["answers"]), -text, record["provenance"]["file"])


def dedupe(records: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Reject]]:
    """The kept records (sorted by id) and a reject for every other capture of the same page."""
    best: dict[str, dict[str, Any]] = {}
    dropped: list[Reject] = []
    for record in records:
        other = best.get(record["id"])
        if other is None:
            best[record["id"]] = record
            continue
        keep, drop = sorted((record, other), key=_completeness)
        best[record["id"]] = keep
        dropped.append(Reject(drop["provenance"]["file"],
                              f"duplicate: same page as {keep['provenance']['file']} "
                              f"(id {keep['id']}), which is the more complete capture"))
    return [best[k] for k in sorted(best)], dropped
