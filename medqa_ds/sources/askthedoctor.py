"""askthedoctor.com: an optional title line, ``Patient:``, an optional ``Symptoms:``, ``Doctor:``.

Under the post: the site's author box (``Ask The Doctor``, the author's name, a bio, ``View all
posts``), which names the reply's author and is no part of it, and ``Comments / Follow Ups``, whose
``Patient:`` turns are follow-ups.

The site's text has artefacts of its own: words broken by a stray space ("ac ne", "misse d") and
no space after full stops ("doctor.I understand"). The text is kept as the page has it; the
repairs that are certain go to ``text_repaired``.

The parser itself (detection, the turns, the author box, signatures, the cut check) is compiled:
it lives in rust/src/sources/askthedoctor.rs, and the record it fills in (as the other
conversation sources do) in rust/src/sources/assemble.rs.
"""

from __future__ import annotations

from typing import Any

from . import compiled
from .base import Source


class AskTheDoctor(Source):
    """Parser for askthedoctor.com Q&A pages."""

    name = "askthedoctor"
    version = 2

    def detect(self, lines: list[str]) -> bool:
        return compiled.claims(self.name, lines)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        return compiled.parse(self.name, lines)
