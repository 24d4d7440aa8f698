"""Follow-up turns: the ones inside an answer that ask something back (a doctor's request for more
information), and their order among the patient's later messages."""

from __future__ import annotations

import re
from typing import Any

from .. import schema

_ITEM = re.compile(r"^(?:[-–•●*▪]|\(?\d{1,2}[.)])\s*(?P<body>\S.*)$")


def doctor_follow_ups(answer_text: str, answer_index: int) -> list[dict[str, Any]]:
    """Every run of two or more list items, most of them questions, in an answer.

    The run's lead-in line ("kindly let me know of the following:") becomes the turn's text.
    """
    lines = answer_text.split("\n")
    turns: list[dict[str, Any]] = []
    i = 0
    while i < len(lines):
        run = []
        j = i
        while j < len(lines) and (m := _ITEM.match(lines[j])):
            run.append(m.group("body").strip())
            j += 1
        asks = sum("?" in item for item in run)
        if len(run) >= 2 and asks * 2 > len(run):
            turn = schema.blank_item("follow_ups")
            turn.update(role="doctor", questions=run, after_answer=answer_index, text=lines[i - 1] if i > 0 else None)
            turns.append(turn)
        i = max(j, i + 1)
    return turns


def interleave(record: dict[str, Any]) -> None:
    """Put ``record["follow_ups"]`` in conversation order and add the doctors' questions back.

    The patient's turns already there (each with the answer it follows) keep their order; after
    answer k come first the questions its doctor asked in it, then the patient's turns that followed.
    """
    later = record["follow_ups"]
    record["follow_ups"] = [f for f in later if f["after_answer"] is None]
    for k, answer in enumerate(record["answers"]):
        record["follow_ups"] += doctor_follow_ups(answer["text"], k) + [f for f in later if f["after_answer"] == k]
