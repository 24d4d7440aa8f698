"""Follow-up turns: the ones inside an answer that ask something back (a doctor's request for more
information), and their order among the patient's later messages."""

from __future__ import annotations

from typing import Any

from .. import _core, schema


def interleave(record: dict[str, Any]) -> None:
    """Put ``record["follow_ups"]`` in conversation order and add the doctors' questions back.

    The patient's turns already there (each with the answer it follows) keep their order; after
    answer k come first the questions its doctor asked in it, then the patient's turns that followed.
    The doctors' turns are the runs of two or more list items, most of them questions, in an
    answer, each led in by the line above it ("kindly let me know of the following:"): found by the
    compiled core (rust/src/followups.rs), one call per record.
    """
    later = record["follow_ups"]
    runs = _core.doctor_follow_ups([answer["text"] for answer in record["answers"]])
    record["follow_ups"] = [f for f in later if f["after_answer"] is None]
    for k, turns in enumerate(runs):
        record["follow_ups"] += [_doctor_turn(text, questions, k) for text, questions in turns]
        record["follow_ups"] += [f for f in later if f["after_answer"] == k]


def _doctor_turn(text: str | None, questions: list[str], answer_index: int) -> dict[str, Any]:
    turn = schema.blank_item("follow_ups")
    turn.update(role="doctor", questions=questions, after_answer=answer_index, text=text)
    return turn
