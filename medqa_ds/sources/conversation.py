"""The record of a page laid out as a conversation of labelled turns (``Patient:`` / ``Doctor:``),
from what a compiled parser found on it (askthedoctor, meddialog: rust/src/sources/conversation.rs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import _core, schema
from ..errors import ParseError
from .base import Source
from .common import add_repairs, patient_turn
from .followups import interleave


def conversation_record(
    source: Source, parse: Callable[[Sequence[str]], _core._Conversation], lines: list[str]
) -> dict[str, Any]:
    """``source``'s record of the page: its compiled ``parse``'s fields, the follow-up turns in
    conversation order and the certain repairs; raises ``ParseError`` when it gives no record."""
    try:
        title, question_text, answers, turns, cut = parse(lines)
    except _core.PageError as exc:
        reason, line = exc.args
        raise ParseError(reason, line=line) from None
    record = source.new_record()
    record["title"], record["question"]["text"] = title, question_text
    for author, role, text in answers:
        answer = schema.blank_item("answers")
        answer.update(author=author, role=role, text=text)
        record["answers"].append(answer)
    record["follow_ups"] = [patient_turn(text, after) for text, after in turns]
    interleave(record)
    if cut:
        record["complete"] = False
        record["incomplete_reason"] = cut
    add_repairs(record)
    return record
