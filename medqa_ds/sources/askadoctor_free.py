"""askadoctor24x7.com/questions (formerly healthcaremagic.com/questions): free questions.

The title, the question, the date it was posted, then one block per answering doctor, headed
``<Role> <Dr. Name>'s  Response``. Around them: a sidebar card of a doctor (name, role,
experience, a button) and footer boilerplate, neither of them an answer; some saves repeat the
title and the answer after the footer. Signatures may be a line of their own, fused to the last
sentence (``take care. Dr.Rovena``) or missing. Saves of just the answer (no title, no question)
or just the question are fragments: rejects saying which.

The parser itself (detection, the fragments it recognises, the full page's chrome, cards, footers,
vote lines, main-content saves, the answers and their signatures, the cut checks) is compiled: it
lives in rust/src/sources/askadoctor_free.rs, and the record it fills in (the doctors' questions
among the turns, the repairs, as every source does) in rust/src/sources/assemble.rs.
"""

from __future__ import annotations

from typing import Any

from . import compiled
from .base import Source


class AskADoctorFree(Source):
    """Parser for askadoctor24x7 / healthcaremagic free-question pages."""

    name = "askadoctor_free"
    version = 3
    markers = ("response", "free answer", "answer helpful")

    def detect(self, lines: list[str]) -> bool:
        return compiled.claims(self.name, lines)

    def recognises_fragment(self, lines: list[str]) -> bool:
        return compiled.claims(self.name, lines, fragment=True)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        return compiled.parse(self.name, lines)
