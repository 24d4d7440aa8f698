"""doctorqna.com/en: English translations of Taiwan e-Hospital questions, one doctor's reply each.

Full layout: ``<Headline> - <Specialty>``, ``Share to:``, the question title, the question, the
asker line (``Name, 20~29 year old female. Ask Date: YYYY/MM/DD``), ``Dr. X reply Specialty``, the
answer, ``Reply Date:``, then ``More Info`` (machine-written), ``Similar Q&A`` and ``Related FAQ``.
The compact layout drops the headline, ``Share to:`` and blank lines. Saved pages are often cut
short anywhere after the title.

The parser itself (detection, the page's layout, the asker line) is compiled: it lives in
rust/src/sources/doctorqna.rs. This class only fills a blank record with what it finds, and puts
the follow-up turns in order as every source does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import _core, schema
from ..errors import ParseError
from ..specialties import table
from .base import Source
from .followups import interleave


@cache
def _parser() -> _core.DoctorQnA:
    return _core.DoctorQnA(table())


def parse_asker(who: str) -> dict[str, str | None]:
    """``Dora, 20~29 year old female`` → name, age range ``20-29`` and sex, each as given."""
    return _asker(_core.DoctorQnA.parse_asker(who))


def _asker(fields: tuple[str | None, str | None, str | None]) -> dict[str, str | None]:
    """The schema's asker object holding (name, age_range, sex)."""
    asker = schema.blank(schema.load()["properties"]["question"]["properties"]["asker"])
    asker["name"], asker["age_range"], asker["sex"] = fields
    return asker


class DoctorQnA(Source):
    """Parser for doctorqna.com/en pages, full and compact layouts."""

    name = "doctorqna"
    version = 3
    markers = ("ask date", "share to:", "reply")

    def detect(self, lines: list[str]) -> bool:
        return _parser().detect(lines)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        try:
            found = _parser().parse(lines)
        except _core.PageError as exc:
            raise ParseError(str(exc)) from None
        headline, specialty, title, asker, asked, question_text, answers, more_info, related, cuts = found
        record = self.new_record()
        record["headline"], record["specialty"], record["title"] = headline, specialty, title
        question = record["question"]
        if asker is not None:
            question["asker"] = _asker(asker)
        question["date"], question["text"] = asked, question_text
        for author, role, spec, date, text in answers:
            answer = schema.blank_item("answers")
            answer.update(author=author, role=role, specialty=spec, date=date, text=text)
            record["answers"].append(answer)
        for kind, link_title, question_excerpt, link_author, link_spec, answer_excerpt in related:
            link = schema.blank_item("related")
            link.update(
                kind=kind,
                title=link_title,
                question_excerpt=question_excerpt,
                author=link_author,
                specialty=link_spec,
                answer_excerpt=answer_excerpt,
            )
            record["related"].append(link)
        record["more_info"] = more_info
        interleave(record)
        if cuts:
            record["complete"] = False
            record["incomplete_reason"] = cuts[0]
        return record
