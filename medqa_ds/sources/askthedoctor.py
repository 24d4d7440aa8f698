"""askthedoctor.com: an optional title line, ``Patient:``, an optional ``Symptoms:``, ``Doctor:``.

Under the post: the site's author box (``Ask The Doctor``, the author's name, a bio, ``View all
posts``), which names the reply's author and is no part of it, and ``Comments / Follow Ups``, whose
``Patient:`` turns are follow-ups.

The site's text has artefacts of its own: words broken by a stray space ("ac ne", "misse d") and
no space after full stops ("doctor.I understand"). The text is kept as the page has it; the
repairs that are certain go to ``text_repaired``.
"""

from __future__ import annotations

import re
from typing import Any

from .. import schema
from ..errors import ParseError
from ..text import join_lines, looks_cut
from .base import Source
from .common import add_repairs, patient_turn, split_signature
from .followups import interleave

TURN = re.compile(r"^(?P<who>Patient|Doctor|Symptoms)\s*:\s*(?P<text>.*)$", re.I)
# The header of the comments under the post: the Patient: turns below it are follow-ups.
COMMENTS = re.compile(r"^Comments\s*/\s*Follow[- ]?ups?\s*:?$", re.I)
# The site's author box under the post: "Ask The Doctor", the author's name (twice), a bio,
# "View all posts". It names the post's author, the doctor who wrote the reply, and is no part of it.
BOX_START = re.compile(r"^Ask\s+The\s+Doctor$", re.I)
BOX_NAME = re.compile(
    r"^(?P<name>Dr\.?\s?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,4}?),?"
    r"(?:\s+(?P<degree>(?:M\.?D|MBBS|D\.?O|Ph\.?D|FRCS|MRCP|DNB|MS)\b.*))?$"
)


class AskTheDoctor(Source):
    """Parser for askthedoctor.com Q&A pages."""

    name = "askthedoctor"
    version = 2

    def detect(self, lines: list[str]) -> bool:
        # "Patient:" opens the page or follows its title, maybe after the site's "Symptoms:" field;
        # a page opening with "Doctor:" is an answer-only save of this site, detected so it is
        # rejected with that reason.
        starts = [TURN.match(l) for l in [l for l in lines if l][:3]]
        whos = [m["who"].lower() if m else None for m in starts]
        if whos and whos[0] == "doctor":
            return True
        opening = whos[1:] if whos and whos[0] is None else whos  # past the title line
        for who in opening:
            if who != "symptoms":
                return who == "patient"
        return False

    def parse(self, lines: list[str]) -> dict[str, Any]:
        lines, box = _cut_author_box([l for l in lines if l])
        first = next((k for k, l in enumerate(lines) if TURN.match(l)), None)
        if first is None:
            raise ParseError("no question: the page has no 'Patient:' line")
        turns = self._turns(lines[first:])
        if turns[0][0] == "doctor":
            raise ParseError("answer-only chunk: no question (the page starts at 'Doctor:')", line=1)
        record = self.new_record()
        record["title"] = lines[0] if first else None
        # The question: the patient's turn and the site's "Symptoms:" field, above or below it, in
        # page order (the field keeps its label, as the page shows it).
        question: list[str] = []
        k, asked = 0, False
        while k < len(turns) and (turns[k][0] == "symptoms" or (turns[k][0] == "patient" and not asked)):
            asked = asked or turns[k][0] == "patient"
            question += turns[k][1]
            k += 1
        record["question"]["text"] = join_lines(question)
        if not record["question"]["text"] and not record["title"]:
            raise ParseError("no question: the 'Patient:' turn is empty and the page has no title")
        signed = False
        for role, body in turns[k:]:
            if role == "doctor":
                body, name, _, signed = split_signature(body)
                answer = schema.blank_item("answers")
                answer.update(author=name, text=join_lines(body))
                if answer["text"]:
                    record["answers"].append(answer)
            elif body:
                after = len(record["answers"]) - 1 if record["answers"] else None
                record["follow_ups"].append(patient_turn(join_lines(body), after))
        if not record["answers"]:
            raise ParseError(
                "no answer: the page has no 'Doctor:' reply" + (" (question-only chunk)" if len(turns) == k else "")
            )
        if box and record["answers"][0]["author"] is None:  # the post's author wrote its reply
            record["answers"][0].update(author=box[0], role=box[1])
        interleave(record)
        if turns[-1][0] == "doctor" and not signed and looks_cut(record["answers"][-1]["text"].rsplit("\n", 1)[-1]):
            record["complete"] = False
            record["incomplete_reason"] = "page ends inside the answer"
        add_repairs(record)
        return record

    @staticmethod
    def _turns(lines: list[str]) -> list[tuple[str, list[str]]]:
        """(speaker, lines) per labelled turn; unlabelled lines continue the turn above them.

        A ``Symptoms:`` turn keeps its label in its text: it is the site's field, not the patient's words.
        """
        turns: list[tuple[str, list[str]]] = []
        for line in lines:
            if COMMENTS.match(line):
                continue
            m = TURN.match(line)
            if m:
                who = m["who"].lower()
                turns.append((who, [line] if who == "symptoms" else ([m["text"]] if m["text"] else [])))
            else:
                turns[-1][1].append(line)
        return turns


def _cut_author_box(lines: list[str]) -> tuple[list[str], tuple[str, str | None] | None]:
    """The lines without the site's author box, and the (name, degree) it shows.

    The box runs from its "Ask The Doctor" line to the comments (their header or next turn), or the end.
    """
    after_turn = False
    for k, line in enumerate(lines):
        if not (after_turn and BOX_START.match(line)):
            after_turn = after_turn or bool(TURN.match(line))
            continue
        end = next(
            (j - 1 for j in range(k + 1, len(lines)) if TURN.match(lines[j]) or COMMENTS.match(lines[j])),
            len(lines) - 1,
        )
        name = next((m for l in lines[k + 1 : end + 1] if (m := BOX_NAME.match(l))), None)
        who = (name["name"], name["degree"]) if name else None
        return [*lines[:k], *lines[end + 1 :]], who
    return lines, None
