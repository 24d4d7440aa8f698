"""Cleaning: an answer's text without what belongs to the site or the signature (``text_clean``),
and whether the answer is whole (``complete``).

The faithful ``text`` stays as the page has it; ``text_clean`` starts from ``text_repaired`` where
the parser repaired the page, and applies ``rules.RULES`` (each one named object, counted in the
manifest by source). It runs on every parsed record (``apply``), before de-identification, so
the privacy step sees ``text_clean`` like every other text field.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any, NamedTuple

from ..text import looks_cut
from .rules import OTHER_TURN, RULES, Rule

__all__ = ["RULES", "Cleaned", "Rule", "apply", "clean", "removed", "sentences"]

# Reasons a parser gives when the page was cut inside its last answer.
CUT_INSIDE_ANSWER = ("page ends inside the answer",)

_BOUNDARY = re.compile(r"(?<![.!?])[.!?]+[\"”’)]?(?:\s+(?=[\"“(●]?[A-Z0-9])|(?<=[a-z][.!?])(?=[A-Z][a-z]))")
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "st", "no", "vs", "e.g", "i.e", "prof", "dept", "approx", "jr", "sr"}


class Cleaned(NamedTuple):
    """A cleaned text and what was removed from it, as (rule name, removed text) in order."""

    text: str
    removed: tuple[tuple[str, str], ...]


def sentences(line: str) -> list[str]:
    """A line cut into sentences (each with its closing punctuation); abbreviations such as
    "Dr." and a full stop with no space before a capitalised word ("helps.Stay") handled."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(line):
        word = re.search(r"([\w.]+)[.!?]*$", line[start : m.start() + 1])
        if word and word.group(1).rstrip(".").lower() in _ABBREVIATIONS and line[m.start()] == ".":
            continue
        out.append(line[start : m.end()].strip())
        start = m.end()
    out.append(line[start:].strip())
    return [s for s in out if s]


def _rules(source: str, kind: str) -> list[Rule]:
    return [r for r in RULES if r.kind == kind and r.applies_to(source)]


@lru_cache(maxsize=256)  # the build asks twice per answer, right after each other: to fill text_clean, to count
def clean(text: str, source: str) -> Cleaned:
    """``text`` of a page of ``source`` with every rule that applies to the source applied."""
    removed: list[tuple[str, str]] = []
    for rule in _rules(source, "replace"):
        text, n = rule.pattern.subn(rule.replacement, text)
        removed += [(rule.name, "")] * n
    lines = text.split("\n")
    tails = _rules(source, "tail")
    cuts = [
        (i, r)
        for i, r in (
            (i, next((r for r in tails if r.pattern.fullmatch(line.strip())), None)) for i, line in enumerate(lines)
        )
        if r is not None
    ]
    for k, (i, rule) in enumerate(cuts):
        end = cuts[k + 1][0] if k + 1 < len(cuts) else len(lines)
        removed.append((rule.name, "\n".join(lines[i:end])))
    if cuts:
        lines = lines[: cuts[0][0]]
    inner = _rules(source, "sentence")
    kept_lines: list[list[str]] = []
    for line in lines:
        kept: list[str] = []
        for sentence in sentences(line):
            hit = next((r for r in inner if r.pattern.fullmatch(sentence)), None)
            if hit is None:
                kept.append(sentence)
            else:
                removed.append((hit.name, sentence))
        if kept or not line.strip():
            kept_lines.append(kept)
    closings = _rules(source, "closing")
    for kept in reversed(kept_lines):  # closing formulas: only the run of them ending the text
        while kept:
            hit = next((r for r in closings if r.pattern.fullmatch(kept[-1])), None)
            if hit is None:
                break
            removed.append((hit.name, kept.pop()))
        if kept:
            break
    out = "\n".join(" ".join(k) for k in kept_lines)
    return Cleaned(re.sub(r"\n{3,}", "\n\n", out).strip(), tuple(removed))


def _answer_complete(record: dict[str, Any], k: int, cleaned: Cleaned) -> bool:
    """False when the page was cut inside this answer (its last, with no signature or page part
    closing it), or when its clean text ends mid-sentence."""
    answers = record["answers"]
    tails = {r.name for r in RULES if r.kind == "tail"}
    signed = any(name in tails for name, _ in cleaned.removed)
    if (
        not record["complete"]
        and k == len(answers) - 1
        and not signed
        and record["incomplete_reason"] in CUT_INSIDE_ANSWER
    ):
        return False
    last = cleaned.text.rsplit("\n", 1)[-1]
    return not looks_cut(last)


def _source_text(part: dict[str, Any]) -> str:
    return (part.get("text_repaired") or part.get("text") or "").strip()


def apply(record: dict[str, Any]) -> dict[str, Any]:
    """Fill ``text_clean`` and ``complete`` of every answer of a parsed record (in place; returned)."""
    for k, answer in enumerate(record["answers"]):
        cleaned = clean(_source_text(answer), record["source"])
        answer["text_clean"] = cleaned.text
        answer["complete"] = _answer_complete(record, k, cleaned)
    return record


def removed(record: dict[str, Any]) -> Counter[str]:
    """How many pieces each rule removed from the record's answers (by rule name)."""
    return Counter(name for a in record["answers"] for name, _ in clean(_source_text(a), record["source"]).removed)


def medical_removals(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(rule, text) of every removal from another person's turn excluded: what the medical-content
    check looks at."""
    return [
        (n, t)
        for a in record["answers"]
        for n, t in clean(_source_text(a), record["source"]).removed
        if n not in OTHER_TURN
    ]
