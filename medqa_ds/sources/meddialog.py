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
"""

from __future__ import annotations

import re
from typing import Any

from .. import schema
from ..errors import ParseError
from ..text import join_lines, lines_of
from .base import Source
from .common import add_repairs, patient_turn, split_signature
from .followups import interleave

ID = re.compile(r"^id\s*=\s*(?P<n>\d+)$")
URL = re.compile(r"^https?://\S+$")
DESCRIPTION = re.compile(r"^Description\s*:?$")
DIALOGUE = re.compile(r"^Dialogue\s*:?$")
TURN = re.compile(r"^(?P<who>Patient|Doctor)\s*:\s*(?P<text>.*)$")
QUESTION_MARK = re.compile(r"^Q\.\s*")


class MedDialog(Source):
    """Parser for MedDialog (English) raw consultation files."""

    name = "meddialog"
    version = 1

    def detect(self, lines: list[str]) -> bool:
        first = next((l for l in lines if l), "")
        return bool(ID.match(first)) and any(DIALOGUE.match(l) or DESCRIPTION.match(l) for l in lines[:300])

    def pages(self, text: str) -> list[tuple[int, str]]:
        """One page per ``id=N`` block, with the line it starts on (text before the first is a page too)."""
        lines = lines_of(text)
        starts = [k for k, l in enumerate(lines) if ID.match(l)]
        if not starts or any(lines[: starts[0]]):
            starts = [0, *starts]
        ends = [*starts[1:], len(lines)]
        return [(s + 1, "\n".join(lines[s:e])) for s, e in zip(starts, ends, strict=True)]

    def parse(self, lines: list[str]) -> dict[str, Any]:
        m = ID.match(lines[0]) if lines else None
        if not m:
            raise ParseError("not a MedDialog consultation: the block does not start with 'id=N'", line=1)
        block = f"consultation id={m['n']}"
        dialogue = next((k for k, l in enumerate(lines) if DIALOGUE.match(l)), None)
        if dialogue is None:
            raise ParseError(f"{block} has no 'Dialogue' section", line=1)
        record = self.new_record()
        record["title"] = self._description(lines[1:dialogue])
        turns = self._turns(lines[dialogue + 1 :])
        if not turns or turns[0][0] != "patient" or not turns[0][1]:
            raise ParseError(f"no question: {block} has no Patient turn before the doctor's", line=1)
        record["question"]["text"] = join_lines(turns[0][1])
        for who, body in turns[1:]:
            if who == "patient":
                after = len(record["answers"]) - 1 if record["answers"] else None
                record["follow_ups"].append(patient_turn(join_lines(body), after))
                continue
            body, name, role, _ = split_signature(body)
            answer = schema.blank_item("answers")
            answer.update(author=name, role=role, text=join_lines(body))
            if answer["text"]:
                record["answers"].append(answer)
        if not record["answers"]:
            raise ParseError(f"no answer: {block} has no Doctor turn", line=1)
        interleave(record)
        add_repairs(record)
        return record

    @staticmethod
    def _description(head: list[str]) -> str | None:
        """The description (the thread's title, "Q. " dropped), skipping the URL line."""
        body = [l for l in head if l and not URL.match(l) and not DESCRIPTION.match(l)]
        text = " ".join(body)
        return QUESTION_MARK.sub("", text) or None

    @staticmethod
    def _turns(lines: list[str]) -> list[tuple[str, list[str]]]:
        turns: list[tuple[str, list[str]]] = []
        for line in lines:
            if m := TURN.match(line):
                turns.append((m["who"].lower(), [m["text"]] if m["text"] else []))
            elif line and turns:
                turns[-1][1].append(line)
        return turns
