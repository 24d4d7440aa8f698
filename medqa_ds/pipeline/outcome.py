"""What happens to one raw file: it becomes a record or a reject, never nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reject:
    """A raw file that gives no record, with the reason (and line, where one is to blame)."""

    file: str
    reason: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``rejects.jsonl`` line for this file."""
        return {"file": self.file, "line": self.line, "reason": self.reason}

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Page:
    """A raw file read and decoded: its path relative to the raw folder, text and digest."""

    file: str
    text: str
    sha256: str
    size: int
    url: str | None = None  # where the container gives them (WARC, JSONL)
    captured: str | None = None
