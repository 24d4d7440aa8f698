"""Text helpers shared by every source: line splitting, dates, ids, the sentences that ask."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

from . import _core

# A translation artefact: the page breaks the line right after an honorific ("Hello Dr.\nLan:"),
# written alone or after a space, bracket or quote ("(Dr.", "“Mr.").
_HONORIFICS = ("Dr.", "Mr.", "Ms.", "Mrs.", "Mx.", "Prof.", "Miss.")
_BEFORE_HONORIFIC = "(\"'“‘"


class Needing:
    """A compiled pattern asked only about lines that hold ``needed`` (lower-cased): a pattern that
    must scan a whole line before it fails costs microseconds on each of a page's many lines, a
    substring test a few dozen nanoseconds. ``match`` answers exactly as the pattern's own."""

    def __init__(self, pattern: re.Pattern[str], needed: str) -> None:
        self.pattern, self.needed = pattern, needed

    def match(self, line: str) -> re.Match[str] | None:
        return self.pattern.match(line) if self.needed in line.casefold() else None


def lines_of(text: str) -> list[str]:
    """Split a page into stripped lines; ``\\r\\n``, ``\\r`` and a BOM are normalised away."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n")]


def join_honorific_breaks(lines: Sequence[str], keep_apart: Callable[[str], bool]) -> list[str]:
    """Join a line ending in ``Dr.``/``Mr.``/``Ms.``… with the next one.

    Only directly adjacent lines are joined, and never into a line for which ``keep_apart`` is
    true (a structural marker such as the asker line), so a question that ends "Thank you, Dr."
    keeps its layout.
    """
    out: list[str] = []
    parts: list[str] = []  # the line being joined, in pieces: joining as it grows would copy it each time
    for line in lines:
        if parts and line and _ends_in_honorific(parts[-1]) and not keep_apart(line):
            parts.append(line)
            continue
        if parts:
            out.append(" ".join(parts))
        parts = [line]
    if parts:
        out.append(" ".join(parts))
    return out


def _ends_in_honorific(line: str) -> bool:
    """True when ``line`` ends in an honorific that starts the line or follows a space, bracket or
    quote. Only the line's end is looked at, so the test costs the same on a line of any length."""
    if not line.endswith(_HONORIFICS):  # one call for the common case
        return False
    for honorific in _HONORIFICS:
        if line.endswith(honorific):
            before = line[-len(honorific) - 1 : -len(honorific)] if len(line) > len(honorific) else ""
            return not before or before.isspace() or before in _BEFORE_HONORIFIC
    return False


def join_lines(lines: Sequence[str]) -> str | None:
    """The non-blank lines joined by newlines, or None when there are none.

    Blank lines are layout (a page's full and compact layouts differ only in them), so the same
    page gives the same text in both. The rule lives in the compiled core (rust/src/text.rs).
    """
    return _core.join_lines(lines)


def looks_cut(line: str) -> bool:
    """True when a page's last line looks cut mid-sentence (no closing punctuation, a bare list number).

    A line ending in a bare URL counts as finished: answers often end with a link and no full stop.
    The rule lives in the compiled core (rust/src/text.rs), which its parsers use too.
    """
    return _core.looks_cut(line)


def iso_date(value: str | None) -> str | None:
    """``2016/09/07``, ``2016-9-7``, ``Tue, 12 Jan 2016`` or ``July 7, 2017`` as ISO ``YYYY-MM-DD``;
    None if not a real date. The rule lives in the compiled core (rust/src/text.rs), which its
    parsers use too."""
    return _core.iso_date(value)


def fingerprint(*parts: str | None, chars: int = 200) -> str:
    """Lower-case letters and digits of the parts, the last one cut to ``chars``.

    Ids hash this, so spacing, punctuation, line breaks and parser fixes that only move those do
    not change a page's id.
    """
    norm = [re.sub(r"[^0-9a-z]+", "", (p or "").lower()) for p in parts]
    if norm:
        norm[-1] = norm[-1][:chars]
    return "\x1f".join(norm)


def record_id(source: str, key: str) -> str:
    """``<source>-<16 hex>``: stable for a page whatever its file name or the run."""
    return f"{source}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"


def question_sentences(text: str | None) -> list[str]:
    """The sentences of a text that ask something (end in '?', two words or more), in order.
    The rule lives in the compiled core (rust/src/questions.rs)."""
    return _core.question_sentences(text)
