"""Cleaning: an answer's text without what belongs to the site or the signature (``text_clean``),
and whether the answer is whole (``complete``).

The faithful ``text`` stays as the page has it; ``text_clean`` starts from ``text_repaired`` where
the parser repaired the page, and applies ``rules.RULES`` (each one named object, counted in the
manifest by source; the rules, their patterns and the loop are the compiled core's,
``rust/src/cleaning/``). It runs on every parsed record (``apply``), before de-identification, so
the privacy step sees ``text_clean`` like every other text field.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any, NamedTuple

from .. import _core
from .rules import OTHER_TURN, RULES, Rule

__all__ = ["RULES", "Cleaned", "Rule", "apply", "clean", "removed", "sentences"]


class Cleaned(NamedTuple):
    """A cleaned text and what was removed from it, as (rule name, removed text) in order."""

    text: str
    removed: tuple[tuple[str, str], ...]


def sentences(line: str) -> list[str]:
    """A line cut into sentences (each with its closing punctuation); abbreviations such as
    "Dr." and a full stop with no space before a capitalised word ("helps.Stay") handled."""
    return _core.sentences(line)


@lru_cache(maxsize=256)  # the build asks twice per answer, right after each other: to fill text_clean, to count
def clean(text: str, source: str) -> Cleaned:
    """``text`` of a page of ``source`` with every rule of ``RULES`` that applies to the source
    applied (by the core, in its order: replacements, tails, sentences, closing formulas)."""
    got, removed = _core.clean(text, source, tuple(r.name for r in RULES))
    return Cleaned(got, tuple(removed))


def _source_text(part: dict[str, Any]) -> str:
    return (part.get("text_repaired") or part.get("text") or "").strip()


def apply(record: dict[str, Any]) -> dict[str, Any]:
    """Fill ``text_clean`` and ``complete`` of every answer of a parsed record (in place; returned).

    An answer is not complete when the page was cut inside it (its last, with no signature or page
    part closing it), or when its clean text ends mid-sentence. The rule is the compiled core's
    (rust/src/cleaning/apply.rs), which ``parse_all`` applies to the built-in sources' records.
    """
    for answer, (text, complete) in zip(record["answers"], _core.cleaned_answers(record), strict=True):
        answer["text_clean"] = text
        answer["complete"] = complete
    return record


def removed(record: dict[str, Any]) -> Counter[str]:
    """How many pieces each rule removed from the record's answers (by rule name)."""
    return Counter(dict(_core.cleaning_removed(record)))  # rust/src/derive/removed.rs


def medical_removals(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(rule, text) of every removal from another person's turn excluded: what the medical-content
    check looks at."""
    return [
        (n, t)
        for a in record["answers"]
        for n, t in clean(_source_text(a), record["source"]).removed
        if n not in OTHER_TURN
    ]
