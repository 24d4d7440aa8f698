"""The sources medqa_ds can parse, one module per site family, and detection between them."""

from __future__ import annotations

from ..errors import ParseError
from .askadoctor import AskADoctor
from .base import Source
from .doctorqna import DoctorQnA

__all__ = ["Source", "AskADoctor", "DoctorQnA", "builtin", "by_name", "detect"]


def builtin() -> list[Source]:
    """The built-in sources, in a fixed order."""
    return [AskADoctor(), DoctorQnA()]


def by_name(name: str) -> Source:
    """The source called ``name``; raises ``KeyError`` listing the known names."""
    for source in builtin():
        if source.name == name:
            return source
    raise KeyError(f"unknown source {name!r}; known: {', '.join(s.name for s in builtin())}")


def detect(lines: list[str]) -> Source:
    """The one source whose layout the page has.

    Never guesses: no match and more than one match are both ``ParseError``s that say so.
    """
    found = [source for source in builtin() if source.detect(lines)]
    if len(found) > 1:
        raise ParseError(f"ambiguous page: looks like {' and '.join(s.name for s in found)}")
    if not found:
        known = ", ".join(s.name for s in builtin())
        raise ParseError(f"not a page of a known source ({known}): no layout markers found")
    return found[0]
