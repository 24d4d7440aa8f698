"""MedDialog (English) raw text: the 0.26M-consultation corpus of healthcaremagic and icliniq threads.

A file holds many consultations, each a block::

    id=N
    <URL of the thread>
    Description
    <the patient's description, often "Q. <title>">
    Dialogue
    Patient:
    <the patient's turn>
    Doctor:
    <the doctor's turn>
    ...

Each block is a page of its own (one record, or one reject naming the block's line); blank lines
and a turn's text on its label line ("Patient: ...") are taken as they come.

The parser itself (detection, splitting a file into its pages, the consultation's sections and
turns, signatures) is compiled: it lives in rust/src/sources/meddialog.rs, and the record it fills
in (as the other conversation sources do) in rust/src/sources/assemble.rs.
"""

from __future__ import annotations

from typing import Any

from .. import _core
from . import compiled
from .base import Source


class MedDialog(Source):
    """Parser for MedDialog (English) raw consultation files."""

    name = "meddialog"
    version = 1

    def detect(self, lines: list[str]) -> bool:
        # the core reads no further than the first 300 lines, which decide
        return compiled.claims(self.name, lines)

    def pages(self, text: str) -> list[tuple[int, str]]:
        """One page per ``id=N`` block, with the line it starts on (text before the first is a page too)."""
        return _core.meddialog_pages(text)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        return compiled.parse(self.name, lines)
