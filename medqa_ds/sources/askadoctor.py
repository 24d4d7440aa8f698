"""askadoctor24x7.com (formerly HealthCareMagic) premium threads.

A question title (often cut mid-word by the site), sometimes the question, then one block per
doctor reply: a one-line summary, ``Detailed Answer:``, the reply, and an optional ``Regards,`` /
name / role signature. Pages saved with their chrome add ``Posted on`` / ``Answered on`` dates,
and (the full page) a banner, image alt-texts, a ``Question:`` label, ``Answered by Dr. X (1 hour
later)`` over each reply, a ``Brief Answer:`` label over its summary, a peer reviewer's line (not
an author) and ``Follow up: Dr. X (8 hours later)`` over each later message of the patient's.

The parser itself (detection, the chrome, the replies and their signatures, the patient's turns,
the cut checks) is compiled: it lives in rust/src/sources/askadoctor.rs, and the record it fills
in (the follow-up turns in order, as every source does) in rust/src/sources/assemble.rs.
"""

from __future__ import annotations

from typing import Any

from . import compiled
from .base import Source


class AskADoctor(Source):
    """Parser for askadoctor premium threads."""

    name = "askadoctor"
    version = 4
    markers = ("detailed answer", "posted on", "answered on", "last reviewed on", "medically reviewed by")

    def detect(self, lines: list[str]) -> bool:
        return compiled.claims(self.name, lines)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        return compiled.parse(self.name, lines)
