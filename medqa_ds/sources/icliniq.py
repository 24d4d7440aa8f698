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
"""

from __future__ import annotations

import re
from typing import Any

from .. import schema
from ..errors import ParseError
from ..specialties import canonical
from ..text import iso_date, join_lines, looks_cut
from .base import Source, shared_specialty
from .common import add_repairs, is_signature, patient_turn, split_signature
from .followups import interleave

BREADCRUMB = re.compile(r"^Home\s*(?:[›>/|»]\s*)?Answers\s*(?:[›>/|»]\s*)?(?P<rest>\S.*)$")
PATIENT = re.compile(r"^Patient['’]?s\s+Query\s*:?$", re.I)
ANSWERED = re.compile(r"^Answered\s+by\s*:?\s*(?P<who>.*)$", re.I)
PUBLISHED = re.compile(r"^Published\s*+(?:(?:At|On)\s*+)?(?::\s*+)?(?P<date>.*\d{4})$", re.I)
REVIEWED = re.compile(r"^(?:Last\s+)?(?:Medically\s+)?Reviewed\s*+(?:At|On)\s*+(?::\s*+)?(?P<date>.*\d{4})$", re.I)
HEAD_CHROME = re.compile(
    r"^(?:share|listen|download pdf|medically reviewed by|.*medical review team"
    r"|the following is an? .*conversation\b.*)$",
    re.I,
)
FOOTER = re.compile(
    r"^(?:same symptoms don['’]t mean|consult a doctor now|community banner|by subscribing|"
    r"related questions|recent questions|popular questions|was this page helpful|source article|"
    r"article resources|ask a doctor online|disclaimer\b)",
    re.I,
)
# Chrome a save may hold above the breadcrumb.
TOP_CHROME = re.compile(
    r"^(?:icliniq logo|ask a doctor online now|ask a doctor online|online doctor consultation"
    r"|menu|search|login|sign ?in|sign ?up|skip to (?:main )?content)$",
    re.I,
)
# A topic listing page's teasers: "Query: ..." and "Answer: ..." excerpts.
TEASER = re.compile(r"^Query\s*:", re.I)
EXCERPT = re.compile(r"^Answer\s*:", re.I)
# The older layout.
OLD_TITLE = re.compile(r"^Q\.\s*(?P<title>\S.*)$")
OLD_ANSWERED = re.compile(r"^Answered by\s(?P<who>Dr\b.*?)\sand medically reviewed by\b", re.I)
RELATED = re.compile(r"^Related Questions\s*:?$", re.I)
# The patient's unlabelled later turn in the older layout opens by addressing the doctor.
PATIENT_OPENING = re.compile(
    r"^(?:hi|hello|hey|dear|thanks?|thank you)\b[^.!?]{0,30}?\b(?:doctor|dr|doc|sir|madam)\b", re.I
)
# How a doctor's reply opens when no "Answered by" line heads it.
WELCOME = re.compile(
    r"\bwelcome to\s+icliniq"
    r"|^(?:hi|hello)?[,.!\s]*thank(?:s| you) for (?:the|your) (?:query|follow[- ]?up)",
    re.I,
)
GREETING = re.compile(r"^(?:hi|hello|hey|greetings)(?:\s+there)?\s*[,.!]?$", re.I)


def breadcrumb_specialty(line: str) -> str | None:
    """The specialty a run-together breadcrumb names: the longest start of it the vocabulary knows.

    The words run into each other ("Hematologyiron deficiency"), so no case or space marks the end.
    """
    m = BREADCRUMB.match(line)
    rest = m["rest"][:60] if m else ""
    return next((spec for end in range(len(rest), 2, -1) if (spec := canonical(rest[:end]))), None)


def _reply_start(body: list[str]) -> int | None:
    """Where a doctor's unheaded reply starts inside a patient's turn: its greeting, or the welcome line."""
    for k in range(1, len(body)):
        if WELCOME.search(body[k]):
            return k - 1 if k > 1 and GREETING.match(body[k - 1]) else k
    return next((k for k in range(1, len(body)) if GREETING.match(body[k])), None)


def _below_chrome(lines: list[str]) -> list[str]:
    """The lines from the breadcrumb on, or (with none in the first lines) without the top chrome lines."""
    head = lines[:12]
    crumb = next((k for k, l in enumerate(head) if BREADCRUMB.match(l)), None)
    if crumb is not None:
        return lines[crumb:]
    top = next((k for k, l in enumerate(head) if not TOP_CHROME.match(l)), len(head))
    return lines[top:]


def _listing(lines: list[str]) -> bool:
    """A topic listing: two or more ``Query:`` teasers with an ``Answer:`` excerpt, before any thread."""
    first_patient = next((k for k, l in enumerate(lines) if PATIENT.match(l)), len(lines))
    teasers = sum(1 for l in lines[:first_patient] if TEASER.match(l))
    return teasers >= 2 and any(EXCERPT.match(l) for l in lines[:first_patient])


def _role_specialty(role: str | None) -> str | None:
    """The specialty of a role line, or of its first comma-separated part the vocabulary knows."""
    if not role:
        return None
    return canonical(role) or next((spec for part in role.split(",") if (spec := canonical(part.strip()))), None)


class ICliniq(Source):
    """Parser for iCliniq Q&A threads."""

    name = "icliniq"
    version = 2
    markers = ("query", "icliniq")

    def detect(self, lines: list[str]) -> bool:
        if any(PATIENT.match(l) for l in lines):
            return True
        kept = _below_chrome([l for l in lines if l])
        first = kept[0] if kept else ""
        mentions = any("icliniq" in l.lower() for l in lines[:80])
        return mentions and (bool(BREADCRUMB.match(first) or OLD_TITLE.match(first)) or _listing(kept))

    def parse(self, lines: list[str]) -> dict[str, Any]:
        lines = _below_chrome([l for l in lines if l])
        if _listing(lines):
            raise ParseError(
                f"topic listing: an iCliniq topic page of {sum(map(bool, map(TEASER.match, lines)))} "
                "'Query:' teasers with answer excerpts, not one thread"
            )
        if lines and OLD_TITLE.match(lines[0]) and not any(PATIENT.match(l) for l in lines):
            return self._old_layout(lines)
        record = self.new_record()
        start = next((k for k, l in enumerate(lines) if PATIENT.match(l)), None)
        if start is None:
            raise ParseError('no question: the page ends before the first "Patient\'s Query"')
        default_author, default_role = self._head(lines[:start], record)
        end = next((k for k in range(start, len(lines)) if FOOTER.match(lines[k])), None)
        card_name, card_role = self._card(lines[end + 1 :]) if end is not None else (None, None)
        turns = self._turns(lines[start:end])
        if not turns or turns[0][0] != "patient" or not turns[0][1]:
            raise ParseError('no question: "Patient\'s Query" is empty')
        record["question"]["text"] = join_lines(turns[0][1])
        signed = False
        for speaker, body, who in turns[1:]:
            if speaker == "patient":
                after = len(record["answers"]) - 1 if record["answers"] else None
                record["follow_ups"].append(patient_turn(join_lines(body), after))
                continue
            author = who or default_author or card_name
            role = card_role if author and author == card_name else default_role if author == default_author else None
            answer, signed = self._answer(body, author, role)
            if answer:
                record["answers"].append(answer)
        if not record["answers"]:
            where = (
                "the thread holds no doctor's reply"
                if end is not None
                else "the page ends inside the patient's query, before the doctor's reply"
            )
            raise ParseError(f"no answer: {where}")
        self._complete(record, turns[-1][0] == "patient", signed, footer=end is not None)
        interleave(record)
        if record["specialty"] is None:
            record["specialty"] = shared_specialty(record["answers"])
        add_repairs(record)
        return record

    @staticmethod
    def _head(head: list[str], record: dict[str, Any]) -> tuple[str | None, str | None]:
        """Title, specialty and date from the lines above the thread; and a doctor the header names."""
        author: str | None = None
        role: str | None = None
        named = False  # an "Answered by" line was seen: the doctor's name and role may follow it
        kept: list[str] = []
        for k, line in enumerate(head):
            if k == 0 and BREADCRUMB.match(line):
                record["specialty"] = breadcrumb_specialty(line)
            elif m := PUBLISHED.match(line):
                record["question"]["date"] = iso_date(m["date"])
            elif REVIEWED.match(line) or HEAD_CHROME.match(line):
                continue
            elif m := ANSWERED.match(line):
                author, named = m["who"].strip() or None, True
            elif named and author is None and is_signature(line):
                author = line
            elif named and author and role is None and canonical(line):
                role = line
            else:
                kept.append(line)
        record["title"] = kept[0] if kept else None
        return author, role

    @staticmethod
    def _turns(lines: list[str]) -> list[tuple[str, list[str], str | None]]:
        """The thread as (role, lines, author) turns; a patient's turn holding an unheaded reply is split."""
        turns: list[tuple[str, list[str], str | None]] = []
        for line in lines:
            if PATIENT.match(line):
                turns.append(("patient", [], None))
            elif m := ANSWERED.match(line):
                turns.append(("doctor", [], m["who"].strip() or None))
            elif turns:
                role, body, who = turns[-1]
                if role == "doctor" and who is None and not body and is_signature(line):
                    turns[-1] = (role, body, line)  # "Answered by" with the name on the next line
                else:
                    body.append(line)
        split: list[tuple[str, list[str], str | None]] = []
        for k, (role, body, who) in enumerate(turns):
            headed = k + 1 < len(turns) and turns[k + 1][0] == "doctor"
            cut = None if role == "doctor" or headed else _reply_start(body)
            if cut is None:
                split.append((role, body, who))
            else:
                split += [("patient", body[:cut], None), ("doctor", body[cut:], None)]
        return split

    @staticmethod
    def _card(tail: list[str]) -> tuple[str | None, str | None]:
        """The answering doctor's card under the banner: name (often shown twice) and specialty."""
        names = []
        for line in tail[:6]:
            if is_signature(line):
                names.append(line.rstrip("."))
                continue
            if names and not FOOTER.match(line) and len(line.split()) <= 6 and not line.endswith((".", "?", "!")):
                return names[0], line
            break
        return (names[0] if names else None), None

    @staticmethod
    def _answer(body: list[str], author: str | None, role: str | None) -> tuple[dict[str, Any] | None, bool]:
        answer = schema.blank_item("answers")
        body, name, sign_role, signed = split_signature(body, author)
        role = role or sign_role
        answer.update(author=author or name, role=role, specialty=canonical(role), text=join_lines(body))
        return (answer if answer["text"] else None), signed

    def _old_layout(self, lines: list[str]) -> dict[str, Any]:
        """A thread in the older layout (see the module's docstring)."""
        record = self.new_record()
        opening = OLD_TITLE.match(lines[0])
        assert opening is not None  # parse() sends here only a page whose first line is an old-layout title
        record["title"] = opening["title"]
        named = m["who"].strip().rstrip(".") if len(lines) > 1 and (m := OLD_ANSWERED.match(lines[1])) else None
        k = 2 if named else 1
        if k < len(lines) and lines[k].endswith("»"):
            k += 1
        # "Related Questions:" ends the current layout's thread, but stands above this one's replies
        end = next((j for j in range(k, len(lines)) if FOOTER.match(lines[j]) and not RELATED.match(lines[j])), None)
        body = lines[k:end]
        heads = [j for j in range(len(body) - 1) if self._old_doctor_head(body, j)]
        related = next((j for j, l in enumerate(body) if RELATED.match(l)), None)
        stop = min(x for x in (related, heads[0] if heads else None, len(body)) if x is not None)
        record["question"]["text"] = join_lines(body[:stop])
        if related is not None:  # the related links, between the question and the first reply
            for title in body[related + 1 : heads[0] if heads else len(body)]:
                link = schema.blank_item("related")
                link.update(kind="similar_question", title=title)
                record["related"].append(link)
        if not record["question"]["text"]:
            raise ParseError("no question: the page has no question text under its title")
        if not heads:
            raise ParseError("no answer: the page ends before the doctor's reply")
        signed = False
        for j, nxt in zip(heads, [*heads[1:], len(body)], strict=True):
            turn = body[j + 2 : nxt]
            ask = next((i for i in range(1, len(turn)) if PATIENT_OPENING.match(turn[i])), len(turn))
            answer, signed = self._answer(turn[:ask], body[j].rstrip("."), body[j + 1])
            if answer:
                answer["specialty"] = _role_specialty(body[j + 1])
                record["answers"].append(answer)
            if ask < len(turn):
                record["follow_ups"].append(patient_turn(join_lines(turn[ask:]), len(record["answers"]) - 1))
        if not record["answers"]:
            raise ParseError("no answer: the doctor's turns are empty")
        last_patient = any(PATIENT_OPENING.match(l) for l in body[heads[-1] + 3 :])
        self._complete(record, last_patient, signed, footer=end is not None)
        interleave(record)
        record["specialty"] = shared_specialty(record["answers"])
        add_repairs(record)
        return record

    @staticmethod
    def _old_doctor_head(body: list[str], j: int) -> bool:
        """A doctor turn's opening in the older layout: the doctor's name line, then a role line."""
        role = body[j + 1]
        if not is_signature(body[j]):
            return False
        return len(role.split()) <= 8 and not role.endswith((".", "?", "!", ":")) and not GREETING.match(role)

    @staticmethod
    def _complete(record: dict[str, Any], last_patient: bool, signed: bool, footer: bool) -> None:
        """A page that never reached the footer was cut: inside the last reply, or before a follow-up's reply."""
        if footer:
            return
        if last_patient:
            record["complete"] = False
            record["incomplete_reason"] = "page ends inside a follow-up query, before the doctor's reply"
        elif not signed and looks_cut(record["answers"][-1]["text"].rsplit("\n", 1)[-1]):
            record["complete"] = False
            record["incomplete_reason"] = "page ends inside the answer"
