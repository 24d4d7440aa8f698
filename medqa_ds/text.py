"""Text helpers shared by every source: line splitting, dates, ids, the sentences that ask."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import _core


def lines_of(text: str) -> list[str]:
    """Split a page into stripped lines; ``\\r\\n``, ``\\r`` and a BOM are normalised away. The
    rule lives in the compiled core (rust/src/text.rs), which splits a corpus file's pages by it."""
    return _core.lines_of(text)


def join_honorific_breaks(lines: Sequence[str], keep_apart: Callable[[str], object]) -> list[str]:
    """Join a line ending in ``Dr.``/``Mr.``/``Ms.``… (alone, or after a space, bracket or quote)
    with the next one: a translation artefact ("Hello Dr.\nLan:").

    Only directly adjacent lines are joined, and never into a line for which ``keep_apart`` is
    true (a structural marker such as the asker line), so a question that ends "Thank you, Dr."
    keeps its layout. The rule lives in the compiled core (rust/src/text.rs), which its parsers
    use; this calls it with a Python ``keep_apart`` (a plug-in source's).
    """
    return _core.join_honorific_breaks(lines, keep_apart)


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
    not change a page's id. The rule lives in the compiled core (rust/src/text.rs).
    """
    return _core.fingerprint(list(parts), chars)


def record_id(source: str, key: str) -> str:
    """``<source>-<16 hex>``: stable for a page whatever its file name or the run (the sha256 of the
    key; the rule lives in the compiled core, rust/src/parse.rs, which gives the built-ins' ids)."""
    return _core.record_id(source, key)


def question_sentences(text: str | None) -> list[str]:
    """The sentences of a text that ask something (end in '?', two words or more), in order.
    The rule lives in the compiled core (rust/src/questions.rs)."""
    return _core.question_sentences(text)
