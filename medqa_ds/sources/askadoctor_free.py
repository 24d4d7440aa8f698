"""askadoctor24x7.com/questions (formerly healthcaremagic.com/questions): free questions.

The title, the question, the date it was posted, then one block per answering doctor, headed
``<Role> <Dr. Name>'s  Response``. Around them: a sidebar card of a doctor (name, role,
experience, a button) and footer boilerplate, neither of them an answer; some saves repeat the
title and the answer after the footer. Signatures may be a line of their own, fused to the last
sentence (``take care. Dr.Rovena``) or missing. Saves of just the answer (no title, no question)
or just the question are fragments: rejects saying which.

The parser itself (detection, the fragments it recognises, the full page's chrome, cards, footers,
vote lines, main-content saves, the answers and their signatures, the cut checks) is compiled: it
lives in rust/src/sources/askadoctor_free.rs. This class only fills a blank record with what it
finds, puts the doctors' questions among the turns and adds the repairs, as every source does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import _core, schema
from ..errors import ParseError
from ..specialties import table
from .base import Source
from .common import add_repairs
from .followups import interleave


@cache
def _parser() -> _core.AskADoctorFree:
    return _core.AskADoctorFree(table())


class AskADoctorFree(Source):
    """Parser for askadoctor24x7 / healthcaremagic free-question pages."""

    name = "askadoctor_free"
    version = 3
    markers = ("response", "free answer", "answer helpful")

    def detect(self, lines: list[str]) -> bool:
        return _parser().detect(lines)

    def recognises_fragment(self, lines: list[str]) -> bool:
        return _parser().recognises_fragment(lines)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        try:
            found = _parser().parse(lines)
        except _core.PageError as exc:
            reason, line = exc.args
            raise ParseError(reason, line=line) from None
        title, question_text, asked, answers, specialty, incomplete = found
        record = self.new_record()
        record["title"] = title
        record["question"]["text"], record["question"]["date"] = question_text, asked
        for author, role, spec, date, text in answers:
            answer = schema.blank_item("answers")
            answer.update(author=author, role=role, specialty=spec, date=date, text=text)
            record["answers"].append(answer)
        interleave(record)
        record["specialty"] = specialty
        if incomplete:
            record["complete"] = False
            record["incomplete_reason"] = incomplete
        add_repairs(record)
        return record
