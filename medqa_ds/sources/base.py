"""What every source is: a small class that recognises its pages and parses one into a record."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from .. import _core, schema


class Source(ABC):
    """One site family. Subclasses set ``name`` (a built-in ``source`` of the schema, or ``x_<name>`` for a
    plug-in) and ``version``.

    Bump ``version`` whenever a change to the parser changes what it outputs: it is recorded in
    every record's provenance, so a release's diff can tell parser fixes from new pages.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    # Lower-case strings one of which every page of this source holds: detection asks ``detect``
    # only about pages that hold one (a cheap test that saves running every source's patterns on
    # every page). Empty: always ask.
    markers: ClassVar[tuple[str, ...]] = ()

    @property
    def parser(self) -> str:
        """``name/version``, as written to ``provenance.parser``."""
        return f"{self.name}/{self.version}"

    @abstractmethod
    def detect(self, lines: list[str]) -> bool:
        """True when the page's stripped lines look like this source's layout."""

    def recognises_fragment(self, lines: list[str]) -> bool:
        """True when the page is no whole page of this source but a piece saved from one (an
        answer with no question, say), so ``parse`` can reject it with that reason.

        Asked only when no source ``detect``s the page: the cues a fragment leaves (a greeting, a
        sign-off) are shared by many sites, and must never make a real page ambiguous.
        """
        return False

    def pages(self, text: str) -> list[tuple[int, str]]:
        """The pages a file holds, each with the line it starts on. Most sites save one page per
        file; a corpus format with many consultations per file splits them here."""
        return [(1, text)]

    @abstractmethod
    def parse(self, lines: list[str]) -> dict[str, Any]:
        """The record for a page (``id`` and ``provenance`` are filled in by the caller).

        Raises ``ParseError`` with a reason when the page holds no answer or is not usable.
        """

    def id_key(self, record: dict[str, Any]) -> str:
        """What the record id hashes: the title and the opening of the question (or first answer).

        Chosen so a truncated capture and a whole capture of the same page share an id. The rule is
        the compiled core's (rust/src/sources/assemble.rs), which gives the built-ins' ids.
        """
        return _core.id_key(record)

    def new_record(self) -> dict[str, Any]:
        """A blank record of this source: every field present, unknowns null."""
        record = schema.blank()
        record["source"] = self.name
        record["complete"] = True
        return record
