"""No regular expression of medqa_ds backtracks super-linearly: each pattern's cost grows in step
with its input on the strings most likely to make it backtrack.

A check of growth, not of speed: every pattern of the package (compiled at module level, or a
literal handed to ``re.*`` in a function) is run on adversarial strings of two lengths, ``GROWTH``
times apart, and the time ratio must stay near ``GROWTH`` (linear), far below ``GROWTH**2``
(quadratic: what ``[^.!?\\n]*\\?+`` gave on a run without punctuation). Absolute times do not
matter, so a slow or busy machine does not fail it.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest

import medqa_ds
from medqa_ds import schema

PACKAGE = Path(medqa_ds.__file__).parent
SHORT = 1_000
GROWTH = 8
LIMIT = GROWTH * 3  # linear gives ~8, quadratic ~64
_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
# Pieces that make patterns of this kind backtrack: letters, words, spaces, punctuation a pattern
# stops at, and the honorifics, dates and links the parsers look for.
_UNITS = [
    "a",
    "A",
    " ",
    ".",
    "?",
    "!",
    "\n",
    "1",
    "-",
    ",",
    ":",
    "/",
    "'",
    "(",
    "@",
    "a ",
    "A a ",
    "aa.",
    "Aa. ",
    "a? ",
    "1 ",
    "1/",
    "Dr. ",
    "Dr.A ",
    "Mr.",
    "x@",
    "http://a ",
    "www.",
    " \t",
    "a.a",
    "Aa Aa ",
    "01/01/2020 ",
    "12 Jan 2016 ",
]


def module_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern held by a module of the package, by ``module.NAME``."""
    found = {}
    for info in pkgutil.walk_packages([str(PACKAGE)], "medqa_ds."):
        if info.name == "medqa_ds.cluster":  # needs the optional datatrove; it holds no pattern
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found[f"{info.name}.{name}"] = value
    return found


def literal_patterns() -> dict[str, re.Pattern[str]]:
    """Every string literal handed to ``re.<call>`` in the package's source, compiled."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                flags = 0
                for arg in node.args[2 if node.func.attr == "sub" else 1 :]:
                    if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "re":
                        flags |= getattr(re, arg.attr, 0)
                found[f"{path.relative_to(PACKAGE)}:{node.lineno}"] = re.compile(node.args[0].value, flags)
    return found


PATTERNS = {**module_patterns(), **literal_patterns()}


def _adversarial(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    """(prefix, unit) pairs: each unit repeated, bare and behind each word the pattern spells out
    (so anchored patterns reach their expensive part)."""
    words = sorted(set(re.findall(r"[A-Za-z]{2,}", pattern.pattern)), key=lambda w: (-len(w), w))[:8]
    prefixes = ["", *[f"{w} " for w in words], *[f"{w}: " for w in words[:3]]]
    units = [*_UNITS, *[f"{w} " for w in words[:5]], *[f"{w}." for w in words[:5]]]
    return [(prefix, unit) for prefix in prefixes for unit in units]


def _text(prefix: str, unit: str, length: int) -> str:
    return prefix + unit * (length // len(unit))


def _cost(pattern: re.Pattern[str], text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        pattern.findall(text)
        pattern.match(text)
        pattern.fullmatch(text)
        best = min(best, time.perf_counter() - start)
    return best


def test_the_check_finds_the_patterns():
    """The collection is not empty by mistake: the privacy step's patterns and the text helpers' are
    in it. (Every built-in source's patterns, the repairs' and the question and follow-up scans, the
    cleaning rules and the sentence cut they judge, and de-identification's rules (names, links,
    e-mails, ids, dates, phones, street addresses) are compiled Rust now, rust/src/: the ``regex``
    crate matches in linear time whatever the pattern, and the hand-written scans are one pass
    each (the addresses' backtracking matcher tries a bounded number of paths a start, fuzzed in
    rust/src/fuzz.rs), so they need no check here.)"""
    assert len(PATTERNS) >= 14  # 14 since de-identification moved (63 before the port)
    assert "medqa_ds.pipeline.takedowns._SHA256" in PATTERNS
    # the privacy module's one pattern finds record ids, kept in rejects (scrub_reject); its rules are Rust
    assert "medqa_ds.pipeline.privacy._RECORD_ID" in PATTERNS
    assert not any(n.startswith("medqa_ds.pipeline.privacy.") for n in PATTERNS if not n.endswith("._RECORD_ID"))
    assert not any(name.startswith("medqa_ds.pipeline.identifiers.") for name in PATTERNS)
    builtin = tuple(f"medqa_ds.sources.{name}." for name in schema.builtin_source_names())
    assert not any(name.startswith((*builtin, "medqa_ds.cleaning", "cleaning/")) for name in PATTERNS)


def test_the_check_catches_a_quadratic_pattern():
    """The pattern issue 15 found, run the way the check runs every pattern, fails it."""
    assert _growth(re.compile(r"[^.!?\n]*\?+")) > LIMIT


def _growth(pattern: re.Pattern[str]) -> float:
    """The time ratio between long and short inputs, on the short inputs that cost most."""
    cases = _adversarial(pattern)
    costs = sorted(((_cost(pattern, _text(*case, SHORT), 1), case) for case in cases), reverse=True)[:3]
    worst = 0.0
    for _, case in costs:
        short, long = _cost(pattern, _text(*case, SHORT), 5), _cost(pattern, _text(*case, SHORT * GROWTH), 3)
        worst = max(worst, long / max(short, 1e-6))
    return worst


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_super_linearly(name):
    pattern = PATTERNS[name]
    ratio = _growth(pattern)
    if ratio >= LIMIT:  # measured again: a busy machine can slow one measurement, not two in a row
        ratio = min(ratio, _growth(pattern))
    assert ratio < LIMIT, f"{name} ({pattern.pattern[:80]!r}): {GROWTH}x the input took {ratio:.0f}x the time"
