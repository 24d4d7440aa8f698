"""TinyForum thread exports (an invented format), as a medqa_ds source plug-in::

TINYFORUM THREAD
Title: <title>
Asked: <YYYY-MM-DD>
Q: <the question>
A (<Dr. Name>, <Specialty>): <an answer>
"""

from __future__ import annotations

import re
from typing import Any

from medqa_ds import schema
from medqa_ds.errors import ParseError
from medqa_ds.sources import Source
from medqa_ds.specialties import canonical
from medqa_ds.text import iso_date

ANSWER = re.compile(r"^A \((?P<author>[^,]+), (?P<role>[^)]+)\):\s*(?P<text>.+)$")


class TinyForum(Source):
    """Plug-in names start with ``x_``: the schema keeps every other name for built-in sources."""

    name = "x_tinyforum"
    version = 1

    def detect(self, lines: list[str]) -> bool:
        return next((l for l in lines if l), "") == "TINYFORUM THREAD"

    def parse(self, lines: list[str]) -> dict[str, Any]:
        record = self.new_record()
        for line in lines:
            if line.startswith("Title:"):
                record["title"] = line[6:].strip()
            elif line.startswith("Asked:"):
                record["question"]["date"] = iso_date(line[6:].strip())
            elif line.startswith("Q:"):
                record["question"]["text"] = line[2:].strip()
            elif m := ANSWER.match(line):
                answer = schema.blank_item("answers")
                answer.update(author=m["author"], role=m["role"], specialty=canonical(m["role"]), text=m["text"])
                record["answers"].append(answer)
        if not record["answers"]:
            raise ParseError("no answer: the thread has no 'A (...):' line")
        return record
