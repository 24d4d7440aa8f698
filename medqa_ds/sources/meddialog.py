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
turns, signatures) is compiled: it lives in rust/src/sources/meddialog.rs. This class only fills a
blank record with what it finds (medqa_ds/sources/conversation.py), as the other conversation
sources do.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import _core
from ..specialties import table
from .base import Source
from .conversation import conversation_record

# Detection reads no further: the first line that is not blank and a section label among these.
DETECT_LINES = 300


@cache
def _parser() -> _core.MedDialog:
    return _core.MedDialog(table())


class MedDialog(Source):
    """Parser for MedDialog (English) raw consultation files."""

    name = "meddialog"
    version = 1

    def detect(self, lines: list[str]) -> bool:
        # A corpus file has millions of lines: only those that decide are handed over.
        return _parser().detect(lines[:DETECT_LINES])

    def pages(self, text: str) -> list[tuple[int, str]]:
        """One page per ``id=N`` block, with the line it starts on (text before the first is a page too)."""
        return _core.MedDialog.pages(text)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        return conversation_record(self, _parser().parse, lines)
