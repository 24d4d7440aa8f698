"""JSONL shards (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``): one page a line, as datatrove's readers
write them: ``text``, and optionally ``url``, ``id``, ``date`` or ``timestamp`` (also under
``metadata``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..outcome import Reject
from .member import Budget, Member, Stream, decompressed, iso_datetime


@dataclass(frozen=True)
class Line:
    """One line of a shard, not yet decoded: the worker decodes it (``member``), so the process
    walking the shard only splits lines."""

    file: str  # label:line
    data: bytes

    def member(self) -> Member | Reject:
        """The page the line holds, or a reject naming the file and line."""
        return _member(self.file, self.data)


def read(stream: Stream, name: str, label: str, max_bytes: int, budget: Budget, depth: int) -> Iterator[Line | Reject]:
    """Each line (a ``Line``, decoded in the worker), or a reject naming ``label:line``.

    A line is read at most ``max_bytes`` at a time: a 100 MB line is skipped, never held.
    """
    lines = decompressed(stream, name, budget, label)
    number = 0
    while True:
        line = lines.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        where = f"{label}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := lines.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield Reject(
                where,
                f"line is over the {max_bytes / 1e6:.1f} MB limit for one page "
                "(raise --max-bytes if it really is a page)",
            )
            continue
        if not line.strip():
            continue  # a blank line (the last newline) holds no page
        yield Line(where, line)


def _member(where: str, line: bytes) -> Member | Reject:
    try:
        row = json.loads(line)
    except ValueError as exc:
        return Reject(where, f"not a JSON line ({exc}): write one JSON object a line")
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
        return Reject(where, "the line has no 'text' (a non-empty string): each line needs the page's text")
    metadata = row.get("metadata")
    meta: dict[str, Any] = metadata if isinstance(metadata, dict) else {}
    url = row.get("url", meta.get("url"))
    when = next(
        (v for v in (row.get("date"), row.get("timestamp"), meta.get("date"), meta.get("timestamp")) if v is not None),
        None,
    )
    return Member(
        where,
        row["text"].encode("utf-8", "surrogatepass"),
        url if isinstance(url, str) and url.strip() else None,
        iso_datetime(when),
    )
