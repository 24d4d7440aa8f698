"""askadoctor24x7.com (formerly HealthCareMagic) premium threads.

A question title (often cut mid-word by the site), sometimes the question, then one block per
doctor reply: a one-line summary, ``Detailed Answer:``, the reply, and an optional ``Regards,`` /
name / role signature. Pages saved with their chrome add ``Posted on`` / ``Answered on`` dates,
and (the full page) a banner, image alt-texts, a ``Question:`` label, ``Answered by Dr. X (1 hour
later)`` over each reply, a ``Brief Answer:`` label over its summary, a peer reviewer's line (not
an author) and ``Follow up: Dr. X (8 hours later)`` over each later message of the patient's.

The parser itself (detection, the chrome, the replies and their signatures, the patient's turns,
the cut checks) is compiled: it lives in rust/src/sources/askadoctor.rs. This class only fills a
blank record with what it finds, and puts the follow-up turns in order as every source does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import _core, schema
from ..errors import ParseError
from ..specialties import table
from ..text import looks_cut
from .base import Source
from .common import patient_turn
from .followups import interleave


@cache
def _parser() -> _core.AskADoctor:
    return _core.AskADoctor(table())


def _last_line(record: dict[str, Any]) -> str:
    """The conversation's last line: of its last turn (a doctor's list of questions with no
    lead-in ends in its last question), or of the last answer when no turn follows one."""
    if not record["follow_ups"]:
        return str(record["answers"][-1]["text"]).rsplit("\n", 1)[-1]
    turn = record["follow_ups"][-1]
    return str(turn["text"] or turn["questions"][-1]).rsplit("\n", 1)[-1]


class AskADoctor(Source):
    """Parser for askadoctor premium threads."""

    name = "askadoctor"
    version = 4
    markers = ("detailed answer", "posted on", "answered on", "last reviewed on", "medically reviewed by")

    def detect(self, lines: list[str]) -> bool:
        return _parser().detect(lines)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        try:
            found = _parser().parse(lines)
        except _core.PageError as exc:
            reason, line = exc.args
            raise ParseError(reason, line=line) from None
        title, question_text, asked, answers, turns, specialty, cut, last_turn_decides = found
        record = self.new_record()
        record["title"] = title
        record["question"]["text"], record["question"]["date"] = question_text, asked
        for summary, author, role, spec, date, text in answers:
            answer = schema.blank_item("answers")
            answer.update(summary=summary, author=author, role=role, specialty=spec, date=date, text=text)
            record["answers"].append(answer)
        record["follow_ups"] = [patient_turn(text, after) for text, after in turns]
        interleave(record)
        record["specialty"] = specialty
        # A page that ends in an empty "Follow up:" header: the conversation's last turn decides.
        if last_turn_decides and looks_cut(_last_line(record)):
            cut = "page ends inside the follow-up"
        if cut:
            record["complete"] = False
            record["incomplete_reason"] = cut
        return record
