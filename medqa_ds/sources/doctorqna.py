"""doctorqna.com/en: English translations of Taiwan e-Hospital questions, one doctor's reply each.

Full layout: ``<Headline> - <Specialty>``, ``Share to:``, the question title, the question, the
asker line (``Name, 20~29 year old female. Ask Date: YYYY/MM/DD``), ``Dr. X reply Specialty``, the
answer, ``Reply Date:``, then ``More Info`` (machine-written), ``Similar Q&A`` and ``Related FAQ``.
The compact layout drops the headline, ``Share to:`` and blank lines. Saved pages are often cut
short anywhere after the title.

The parser itself (detection, the page's layout, the asker line) is compiled: it lives in
rust/src/sources/doctorqna.rs, and the record it fills in (the follow-up turns in order, as every
source does) in rust/src/sources/assemble.rs.
"""

from __future__ import annotations

from typing import Any

from .. import _core, schema
from . import compiled
from .base import Source


def parse_asker(who: str) -> dict[str, str | None]:
    """``Dora, 20~29 year old female`` → name, age range ``20-29`` and sex, each as given."""
    return _asker(_core.doctorqna_asker(who))


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
        return compiled.claims(self.name, lines)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        return compiled.parse(self.name, lines)
