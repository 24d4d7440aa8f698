"""icliniq.com/qa: premium Q&A threads between a patient and one or more doctors.

A run-together breadcrumb (``HomeAnswersHematologyiron deficiency anemia<title>``) carrying the
specialty, the page title, chrome (``Share``, a review notice, ``Published At July 7, 2017``,
``Reviewed AtMay 22, 2024``), then the thread: ``Patient's Query`` turns, each answered in a
block of its own, headed ``Answered by Dr. X`` or (in the current layout) just starting with the
doctor's greeting and "Welcome to icliniq.com". Later patient turns are follow-ups. Below the
thread: a "Consult a doctor now" banner, the answering doctor's card (name, specialty) and footer.
Chrome above the breadcrumb (``iCliniq logo``, ``Ask a Doctor Online Now``) is dropped.

The older layout: ``Q. <title>``, ``Answered by Dr. X and medically reviewed by iCliniq medical
review team.``, an ad line ending in ``»``, the question, a ``Related Questions:`` list of links,
then each doctor turn opened by a name line and a role line, and the patient's later turns with
no label ("Thank you doctor,"). A topic listing page (several ``Query:`` teasers with
``Answer:`` excerpts) is no thread: a reject saying so.

The parser itself (detection, both layouts, the chrome, the doctor's card, the turns, the cut
checks) is compiled: it lives in rust/src/sources/icliniq.rs. This class only fills a blank
record with what it finds, puts the follow-up turns in order and adds the repairs, as every
source does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import _core, schema
from ..errors import ParseError
from ..specialties import table
from .base import Source
from .common import add_repairs, patient_turn
from .followups import interleave


@cache
def _parser() -> _core.ICliniq:
    return _core.ICliniq(table())


def breadcrumb_specialty(line: str) -> str | None:
    """The specialty a run-together breadcrumb names: the longest start of it the vocabulary knows.

    The words run into each other ("Hematologyiron deficiency"), so no case or space marks the end.
    """
    return _parser().breadcrumb_specialty(line)


class ICliniq(Source):
    """Parser for iCliniq Q&A threads."""

    name = "icliniq"
    version = 3
    markers = ("query", "icliniq")

    def detect(self, lines: list[str]) -> bool:
        return _parser().detect(lines)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        try:
            found = _parser().parse(lines)
        except _core.PageError as exc:
            raise ParseError(str(exc)) from None
        title, question_text, asked, answers, turns, related, specialty, cut = found
        record = self.new_record()
        record["title"] = title
        record["question"]["text"], record["question"]["date"] = question_text, asked
        for author, role, spec, text in answers:
            answer = schema.blank_item("answers")
            answer.update(author=author, role=role, specialty=spec, text=text)
            record["answers"].append(answer)
        for related_title in related:
            link = schema.blank_item("related")
            link.update(kind="similar_question", title=related_title)
            record["related"].append(link)
        record["follow_ups"] = [patient_turn(text, after) for text, after in turns]
        if cut:
            record["complete"] = False
            record["incomplete_reason"] = cut
        interleave(record)
        record["specialty"] = specialty
        add_repairs(record)
        return record
