"""askadoctor24x7.com (formerly HealthCareMagic) premium threads.

A question title (often cut mid-word by the site), sometimes the question, then one block per
doctor reply: a one-line summary, ``Detailed Answer:``, the reply, and an optional ``Regards,`` /
name / role signature. Pages saved with their chrome add ``Posted on`` / ``Answered on`` dates,
and (the full page) a banner, image alt-texts, a ``Question:`` label, ``Answered by Dr. X (1 hour
later)`` over each reply, a ``Brief Answer:`` label over its summary, a peer reviewer's line (not
an author) and ``Follow up: Dr. X (8 hours later)`` over each later message of the patient's.
"""

from __future__ import annotations

import re
from typing import Any

from .. import schema
from ..errors import ParseError
from ..specialties import canonical
from ..text import iso_date, join_honorific_breaks, join_lines, looks_cut
from .base import Source, shared_specialty
from .common import patient_turn
from .followups import interleave

DETAILED = re.compile(r"^Detailed Answer\s*:?$", re.I)
REGARDS = re.compile(
    r"^(?:(?:best|kind|warm|warmest|with|thanks and|thanks &|many)\s+)?regards\s*[,.]?$"
    r"|^(?:sincerely|yours sincerely|best wishes)\s*,?$",
    re.I,
)
# Page chrome around a thread: a label line, then its value on a later line.
DATE_LABELS = {"posted on": "asked", "answered on": "answered", "last reviewed on": None, "medically reviewed by": None}
CHROME = re.compile(r"^(?:Ask A Doctor - 24x7 Medical Review Team|Medical Review Team)$", re.I)
_CHROME_DATE = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}$")
SIGNATURE = re.compile(r"^Dr\.?\s*(?:[A-Z][\w'’.-]*\s*){1,5}$")
SELF_NAMED = re.compile(
    r"\b(?:I am|I'm|I’m|This is|My name is)\s+(?P<name>Dr\.?\s?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3})"
)
ANONYMISED = re.compile(r"^(?:Dr\.?\s*)?X{3,}$", re.I)
# The full page's chrome: lines that are no part of the thread.
BANNER = re.compile(r"^HealthCareMagic is now Ask A Doctor\b|^Ask A Doctor\s*-\s*24x7\s*\|\s*https?://", re.I)
ALT_TEXT = re.compile(r"^(?:question-icon|answer-icon|default|doctor|patient|user|profile)$", re.I)
PEER_REVIEW = re.compile(r"^Above answer was peer[- ]reviewed by\b", re.I)
INLINE_DATE = re.compile(r"^(?P<label>Posted on|Answered on|Last reviewed on)(?:\s*:|\s)\s*(?P<date>\S.*)$", re.I)
QUESTION_LABEL = re.compile(r"^Question\s*:\s*(?P<text>.*)$", re.I)
# "Answered by Dr. X (1 hour later)" over a reply; "Follow up: Dr. X (8 hours later)" over the
# patient's next message (it names the doctor it is addressed to).
ANSWERED_BY = re.compile(r"^Answered by(?:\s*:)?\s*(?P<name>Dr\b.*)$", re.I)
FOLLOW_UP = re.compile(r"^Follow[- ]?up\s*:\s*(?:Dr\b[^:]*)?$", re.I)
BRIEF = re.compile(r"^Brief Answer\s*:?$", re.I)
# A role under a signature that starts with a degree: "MD Psychiatry", "MBBS, DNB".
DEGREE_ROLE = re.compile(r"^(?:MD|M\.D\.|MBBS|MS|DNB|DM|MCh|BDS|MDS|DO|FRCS|MRCP)\b[\w ,.&/()-]*$")
_DEGREE = re.compile(r"^(?:MD|M\.D\.|MBBS|MS|DNB|DM|MCh|BDS|MDS|DO|FRCS|MRCP)\b[\s,.]*")


def _author(name: str | None) -> str | None:
    """A signature name, or None when the site anonymised it ("Dr. XXXXXXX")."""
    if not name:
        return None
    name = name.strip().rstrip(".,")
    return None if ANONYMISED.match(name) else name


class AskADoctor(Source):
    """Parser for askadoctor premium threads."""

    name = "askadoctor"
    version = 3
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
            raise ParseError(
                "no answer: the page holds no 'Detailed Answer:' block"
                + (" (only page chrome: title and dates)" if dates["asked"] or dates["answered"] else "")
            )
        # (first header line, summary, doctor named above, first line of the reply) per reply
        heads = [(*self._head(lines, s), s + 1) for s in starts]
        heads = sorted(heads + self._bare_replies(lines, heads))
        if heads[0][0] < 1:
            raise ParseError("no title: the page starts with a reply, not a question title", line=1)
        record["title"] = lines[0]
        question = lines[1 : heads[0][0]]
        if question and (m := QUESTION_LABEL.match(question[0])):
            question = [m["text"], *question[1:]] if m["text"] else question[1:]
        record["question"]["text"] = join_lines(question)
        record["question"]["date"] = iso_date(dates["asked"][0]) if dates["asked"] else None
        bounds = [*(h[0] for h in heads[1:]), len(lines)]
        signed, cut_in = False, "answer"
        for k, ((_, summary, named, start), end) in enumerate(zip(heads, bounds, strict=True)):
            follow = next((j for j in range(start, end) if FOLLOW_UP.match(lines[j])), end)
            answer, signed = self._answer(summary, lines[start:follow], named)
            cut_in = "answer"
            if follow < end:  # the patient's later messages, up to the next reply
                self._follow_ups(lines[follow:end], len(record["answers"]) - (answer is None), record)
                cut_in = "follow-up"
            if answer is None:
                continue
            if k < len(dates["answered"]):
                answer["date"] = iso_date(dates["answered"][k])
            record["answers"].append(answer)
        if not record["answers"]:
            raise ParseError("no answer: every 'Detailed Answer:' block is empty")
        interleave(record)
        record["specialty"] = shared_specialty(record["answers"])
        last = record["follow_ups"][-1]["text"] if cut_in == "follow-up" else record["answers"][-1]["text"]
        # A closing signature shows the last reply ended; without one, judge by its last line.
        cut_last = (cut_in == "follow-up" or not signed) and looks_cut(last.rsplit("\n", 1)[-1])
        if len(record["answers"]) < len(heads) or cut_last:
            record["complete"] = False
            record["incomplete_reason"] = f"page ends inside the {cut_in}"
        return record

    @staticmethod
    def _head(lines: list[str], start: int) -> tuple[int, str | None, str | None]:
        """The header of the reply whose ``Detailed Answer:`` is at ``start``: where it begins, the
        summary (the line above, maybe under a ``Brief Answer:`` label) and the doctor an
        ``Answered by`` line names."""
        first, summary = start - 1, lines[start - 1] if start else None
        if first > 0 and BRIEF.match(lines[first - 1]):
            first -= 1
        named = None
        if first > 0 and (m := ANSWERED_BY.match(lines[first - 1])):
            first -= 1
            named = _author(m["name"].split("(", 1)[0])
        return first, summary, named

    @staticmethod
    def _bare_replies(
        lines: list[str], heads: list[tuple[int, str | None, str | None, int]]
    ) -> list[tuple[int, str | None, str | None, int]]:
        """Later replies headed ``Answered by Dr. X`` with no ``Detailed Answer:`` block of their own
        (after a follow-up): so the doctor's words never run on in the patient's message."""
        taken = {h[0] for h in heads}
        return [
            (k, None, _author(m["name"].split("(", 1)[0]), k + 1)
            for k in range(heads[0][0] + 1, len(lines))
            if k not in taken and (m := ANSWERED_BY.match(lines[k]))
        ]

    @staticmethod
    def _follow_ups(block: list[str], after: int, record: dict[str, Any]) -> None:
        """The patient's messages in ``block``, each headed ``Follow up: Dr. X``, as follow-up turns."""
        heads = [j for j, l in enumerate(block) if FOLLOW_UP.match(l)]
        for j, end in zip(heads, [*heads[1:], len(block)], strict=True):
            if text := join_lines(block[j + 1 : end]):
                record["follow_ups"].append(patient_turn(text, after if after >= 0 else None))

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
            elif m := INLINE_DATE.match(line):
                if (key := DATE_LABELS[m["label"].lower()]) and iso_date(m["date"]):
                    dates[key].append(m["date"])
            elif CHROME.match(line) or BANNER.match(line) or ALT_TEXT.match(line) or PEER_REVIEW.match(line):
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
            return body[:sign], body[sign + 1], " ".join(body[sign + 2 :]) or None
        if body and SIGNATURE.match(body[-1]):
            return body[:-1], body[-1], None
        if len(body) > 1 and SIGNATURE.match(body[-2]) and (canonical(body[-1]) or DEGREE_ROLE.match(body[-1])):
            return body[:-2], body[-2], body[-1]
        return None

    @classmethod
    def _answer(
        cls, summary: str | None, body: list[str], named: str | None = None
    ) -> tuple[dict[str, Any] | None, bool]:
        """One reply block (None when empty), and whether it ends signed: the signature gives author and
        role; the ``Answered by`` header, where the page has one, names the author as the site spells it."""
        answer = schema.blank_item("answers")
        answer["summary"] = summary
        signature = cls._signature(body)
        if signature is not None:
            body, name, role = signature
            specialty = canonical(role) or (canonical(_DEGREE.sub("", role)) if role else None)
            answer.update(author=named or _author(name), role=role, specialty=specialty)
        elif named:
            answer["author"] = named
        elif m := SELF_NAMED.search("\n".join(body)):
            answer["author"] = _author(m["name"])
        answer["text"] = join_lines(body)
        return (answer if answer["text"] else None), signature is not None
