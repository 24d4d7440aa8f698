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

The parser itself (detection, both layouts, the chrome, the doctor's card, the turns, the cut
checks) is compiled: it lives in rust/src/sources/icliniq.rs, and the record it fills in (the
follow-up turns in order, the repairs, as every source does) in rust/src/sources/assemble.rs.
"""

from __future__ import annotations

from typing import Any

from . import compiled
from .base import Source


def breadcrumb_specialty(line: str) -> str | None:
    """The specialty a run-together breadcrumb names: the longest start of it the vocabulary knows.

    The words run into each other ("Hematologyiron deficiency"), so no case or space marks the end.
    """
    return compiled.parser().breadcrumb_specialty(line)


class ICliniq(Source):
    """Parser for iCliniq Q&A threads."""

    name = "icliniq"
    version = 3
    markers = ("query", "icliniq")

    def detect(self, lines: list[str]) -> bool:
        return compiled.claims(self.name, lines)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        return compiled.parse(self.name, lines)
