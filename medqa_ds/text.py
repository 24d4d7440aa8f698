"""Text helpers shared by every source: line splitting, artefact repair, dates, ids."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Sequence

from . import _core


class Needing:
    """A compiled pattern asked only about lines that hold ``needed`` (lower-cased): ``match``
    answers exactly as the pattern's own. No parser of the package uses it any more (their
    patterns are compiled Rust); kept for the earlier revisions of the sources that
    benchmarks/port_diff.py loads, which import it from here."""

    def __init__(self, pattern: re.Pattern[str], needed: str) -> None:
        self.pattern, self.needed = pattern, needed

    def match(self, line: str) -> re.Match[str] | None:
        return self.pattern.match(line) if self.needed in line.casefold() else None


def lines_of(text: str) -> list[str]:
    """Split a page into stripped lines; ``\\r\\n``, ``\\r`` and a BOM are normalised away."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n")]


def join_honorific_breaks(lines: Sequence[str], keep_apart: Callable[[str], object]) -> list[str]:
    """Join a line ending in ``Dr.``/``Mr.``/``Ms.``… (alone, or after a space, bracket or quote)
    with the next one: a translation artefact ("Hello Dr.\nLan:").

    Only directly adjacent lines are joined, and never into a line for which ``keep_apart`` is
    true (a structural marker such as the asker line), so a question that ends "Thank you, Dr."
    keeps its layout. The rule lives in the compiled core (rust/src/text.rs), which its parsers
    use; this wrapper is for the earlier revisions of the sources benchmarks/port_diff.py loads.
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
    not change a page's id.
    """
    norm = [re.sub(r"[^0-9a-z]+", "", (p or "").lower()) for p in parts]
    if norm:
        norm[-1] = norm[-1][:chars]
    return "\x1f".join(norm)


def record_id(source: str, key: str) -> str:
    """``<source>-<16 hex>``: stable for a page whatever its file name or the run."""
    return f"{source}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"


# --- repairs of source artefacts ----------------------------------------------------------------
# Only repairs that cannot change what a sentence says are made; the faithful text is always kept
# beside the repaired one (``text_repaired`` in the schema).

# A full stop with no space after it, between two words: "concern.The", "Hello.Welcome". Both words
# must be letters only and the second capitalised, so "e.g.the", "Ph.D", "2.5mg" and "icliniq.com"
# are left alone.
_MISSING_SPACE = re.compile(r"(?<![\w.'’/@-])([A-Za-z][a-z]+[.!?])(?=(?:[A-Z][a-z]+|[AI])\b)")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
# A run of letters that stands alone (no apostrophe, hyphen or digit glued to it).
_LETTERS = re.compile(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])")
# Words that are real words on any page: a pair of them ("in to", "every one") is never a broken word.
_COMMON = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "least",
        "less",
        "let",
        "like",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "near",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "per",
        "same",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "till",
        "to",
        "too",
        "two",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
    ]
)


def page_words(*texts: str | None) -> dict[str, int]:
    """How often each lower-cased word occurs in the texts: the evidence a repair may lean on."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in _WORD.findall(text or ""):
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return counts


def repair(text: str | None, words: dict[str, int], lexicon: frozenset[str] = frozenset()) -> str | None:
    """``text`` with the repairs that are certain, or None when there are none.

    Certain means: a missing space after a full stop between two words ("doctor.I understand");
    and a word broken by a stray space ("deta ils", "ac ne") when the whole is a word (in
    ``lexicon``, or used elsewhere on the page: ``words``, from ``page_words``) and a piece is
    not (in neither). Two words that also make one ("every one", "some times", "in to") stay apart.
    """
    if not text:
        return None
    fixed = _MISSING_SPACE.sub(r"\1 ", text)
    runs = list(_LETTERS.finditer(fixed))
    # Adjacent runs one space apart, a lower-case second: the candidates for a broken word.
    pairs = [
        (x, y)
        for x, y in itertools.pairwise(runs)
        if y.start() == x.end() + 1 and fixed[x.end()] == " " and y[0].islower()
    ]
    seen: dict[tuple[str, str], int] = {}
    for x, y in pairs:
        key = (x[0].lower(), y[0].lower())
        seen[key] = seen.get(key, 0) + 1
    out, last, used = [], 0, -1

    def word(w: str, broken: int) -> bool:  # a word of its own, besides its ``broken`` uses in pairs
        return w in lexicon or words.get(w, 0) > broken

    for x, y in pairs:
        a, b = x[0].lower(), y[0].lower()
        n = seen[(a, b)]
        if (
            x.start() <= used
            or a in _COMMON
            or b in _COMMON
            or not (a + b in lexicon or words.get(a + b))
            or (word(a, n) and word(b, n))
        ):
            continue
        out.append(fixed[last : x.end()])
        last, used = y.start(), y.end()
    fixed = "".join(out) + fixed[last:]
    return fixed if fixed != text else None


# A run of text up to its end mark, when that is '?'. Tried only where a run starts (after an end
# mark or at the start): tried inside a run too, it rescanned the rest of the run from every
# character, and a long run without punctuation cost the square of its length.
_QUESTION = re.compile(r"(?<![^.!?\n])[^.!?\n]*+\?+")


def question_sentences(text: str | None) -> list[str]:
    """The sentences of a text that ask something (end in '?'), in order."""
    found = (s.strip() for s in _QUESTION.findall(text or ""))
    return [s for s in found if len(s.split()) >= 2]
