"""JSONL shards (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``): one page a line, as datatrove's readers
write them: ``text``, and optionally ``url``, ``id``, ``date`` or ``timestamp`` (also under
``metadata``).

A shard is split into lines here; each line is read by the core (rust/src/unit/jsonl.rs), on the
unit's threads in a build, which asks Python only what strict JSON and the common date forms do not
cover (``loaded``, ``member.iso_datetime``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ... import _core
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
    got = _core.jsonl_member(line, loaded, iso_datetime)
    if isinstance(got, str):
        return Reject(where, got)
    data, url, captured = got
    return Member(where, data, url, captured)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _finite(number: str) -> float | None:
    value = float(number)
    return value if math.isfinite(value) else None


def loaded(line: bytes) -> bytes | str:
    """A line strict JSON refuses, as Python's json reads it (the core asks): the line as strict
    JSON (NaN, Infinity and numbers past a float's range as null, lone surrogates as U+FFFD), or the
    reason it is no JSON line."""
    try:
        row = json.loads(line, parse_constant=lambda _: None, parse_float=_finite)
    except (ValueError, RecursionError) as exc:
        return f"not a JSON line ({exc}): write one JSON object a line"
    return _SURROGATE.sub("\ufffd", json.dumps(row, ensure_ascii=False)).encode("utf-8")
