"""askadoctor24x7.com (formerly HealthCareMagic) premium threads.

A question title (often cut mid-word by the site), sometimes the question, then one block per
doctor reply: a one-line summary, ``Detailed Answer:``, the reply, and an optional ``Regards,`` /
name / role signature. Pages saved with their chrome add ``Posted on`` / ``Answered on`` dates.
"""

from __future__ import annotations

import re
from typing import Any

from .. import schema
from ..errors import ParseError
from ..specialties import canonical
from ..text import iso_date, join_honorific_breaks, join_lines, looks_cut
from .base import Source, shared_specialty
from .followups import interleave

DETAILED = re.compile(r"^Detailed Answer\s*:?$", re.I)
REGARDS = re.compile(r"^(?:(?:best|kind|warm|warmest|with|thanks and|thanks &|many)\s+)?regards\s*[,.]?$"
                     r"|^(?:sincerely|yours sincerely|best wishes)\s*,?$", re.I)
# Page chrome around a thread: a label line, then its value on a later line.
DATE_LABELS = {"posted on": "asked", "answered on": "answered", "last reviewed on": None,
               "medically reviewed by": None}
CHROME = re.compile(r"^(?:Ask A Doctor - 24x7 Medical Review Team|Medical Review Team)$", re.I)
_CHROME_DATE = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}$")
SIGNATURE = re.compile(r"^Dr\.?\s*(?:[A-Z][\w'’.-]*\s*){1,5}$")
SELF_NAMED = re.compile(r"\b(?:I am|I'm|I’m|This is|My name is)\s+(?P<name>Dr\.?\s?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3})")
ANONYMISED = re.compile(r"^(?:Dr\.?\s*)?X{3,}$", re.I)


def _author(name: str | None) -> str | None:
    """A signature name, or None when the site anonymised it ("Dr. XXXXXXX")."""
    if not name:
        return None
    name = name.strip().rstrip(".,")
    return None if ANONYMISED.match(name) else name


class AskADoctor(Source):
    """Parser for askadoctor premium threads."""

    name = "askadoctor"
    version = 2
    markers = ("detailed answer", "posted on", "answered on", "last reviewed on", "medically reviewed by")

    def detect(self, lines: list[str]) -> bool:
        if any(DETAILED.match(l) for l in lines):
            return True
        labels = sum(l.lower() in DATE_LABELS for l in lines[:200])
        return labels >= 2 and any(CHROME.match(l) for l in lines[:200])

    def parse(self, lines: list[str]) -> dict[str, Any]:
        lines, dates = self._strip_chrome([l for l in lines if l])
        lines = join_honorific_breaks(lines, lambda l: bool(DETAILED.match(l)))
        record = self.new_record()
        starts = [k for k, l in enumerate(lines) if DETAILED.match(l)]
        if not starts:
            raise ParseError("no answer: the page holds no 'Detailed Answer:' block"
                             + (" (only page chrome: title and dates)" if dates["asked"] or dates["answered"] else ""))
        if starts[0] < 2:
            raise ParseError("no title: the page starts with a reply, not a question title", line=1)
        record["title"] = lines[0]
        record["question"]["text"] = join_lines(lines[1:starts[0] - 1])
        record["question"]["date"] = iso_date(dates["asked"][0]) if dates["asked"] else None
        bounds = [*(s - 1 for s in starts[1:]), len(lines)]
        signed = False
        for k, (start, end) in enumerate(zip(starts, bounds, strict=True)):
            answer, signed = self._answer(lines[start - 1], lines[start + 1:end])
            if answer is None:
                continue
            if k < len(dates["answered"]):
                answer["date"] = iso_date(dates["answered"][k])
            record["answers"].append(answer)
        if not record["answers"]:
            raise ParseError("no answer: every 'Detailed Answer:' block is empty")
        interleave(record)
        record["specialty"] = shared_specialty(record["answers"])
        last = record["answers"][-1]
        # A closing signature shows the last reply ended; without one, judge by its last line.
        cut_last = not signed and looks_cut(last["text"].rsplit("\n", 1)[-1])
        if len(record["answers"]) < len(starts) or cut_last:
            record["complete"] = False
            record["incomplete_reason"] = "page ends inside the answer"
        return record

    @staticmethod
    def _strip_chrome(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
        """Drop the label/date chrome lines, keeping the dates they give."""
        dates: dict[str, list[str]] = {"asked": [], "answered": []}
        kept: list[str] = []
        label: str | None = None
        for line in lines:
            low = line.lower()
            if low in DATE_LABELS:
                label = DATE_LABELS[low]
            elif CHROME.match(line):
                pass
            elif _CHROME_DATE.match(line):
                if label:
                    dates[label].append(line)
                label = None
            else:
                kept.append(line)
        return kept, dates

    @staticmethod
    def _signature(body: list[str]) -> tuple[list[str], str, str | None] | None:
        """The reply split from its closing signature: (text lines, name, role), or None without one.

        Signatures come as ``Regards,`` / name / role, or just the name line, with or without a
        role line under it (the role must then be a known specialty, so prose is never taken).
        """
        sign = max((k for k, l in enumerate(body) if REGARDS.match(l)), default=None)
        if sign is not None and sign + 1 < len(body):
            return body[:sign], body[sign + 1], " ".join(body[sign + 2:]) or None
        if body and SIGNATURE.match(body[-1]):
            return body[:-1], body[-1], None
        if len(body) > 1 and SIGNATURE.match(body[-2]) and canonical(body[-1]):
            return body[:-2], body[-2], body[-1]
        return None

    @classmethod
    def _answer(cls, summary: str, body: list[str]) -> tuple[dict[str, Any] | None, bool]:
        """One reply block (None when empty), and whether it ends signed: the signature gives author and role."""
        answer = schema.blank_item("answers")
        answer["summary"] = summary
        signature = cls._signature(body)
        if signature is not None:
            body, name, role = signature
            answer.update(author=_author(name), role=role, specialty=canonical(role))
        elif m := SELF_NAMED.search("\n".join(body)):
            answer["author"] = _author(m["name"])
        answer["text"] = join_lines(body)
        return (answer if answer["text"] else None), signature is not None
