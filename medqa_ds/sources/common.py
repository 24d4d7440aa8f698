"""Pieces several sources share: doctors' signatures, later patient turns, certain text repairs, and
the cues that tell a saved answer fragment from any other text. The rules are the compiled core's
(the built-in sources' records are assembled there, rust/src/sources/assemble.rs); these functions
give them to a plug-in source's parser."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path
from typing import Any

from .. import _core
from ..specialties import table


@cache
def _signatures() -> _core.Signatures:
    return _core.Signatures(table())


def split_signature(body: list[str], author: str | None = None) -> tuple[list[str], str | None, str | None, bool]:
    """A reply's lines without their closing signature: (lines, name, role, signed).

    Signatures come as ``Regards,`` / name / role, a name line (with a role line under it), or a
    name fused to the last sentence. Where the page's header names the doctor (``author``), a fused
    name is only taken when it agrees, so a sentence that ends by naming another doctor is kept.
    The rule is compiled (rust/src/sources/signature.rs), for the parsers in Rust too.
    """
    return _signatures().split(body, author)


def is_signature(line: str) -> bool:
    """True when the line is a doctor's name and nothing else: "Dr Tayyab Malik", "Dr.Rovena"."""
    return _core.is_signature(line)


def has_brand(line: str) -> bool:
    """True when the line names HealthCareMagic or askadoctor24x7."""
    return _core.has_brand(line)


def _words() -> str:
    """English words (SCOWL, see lexicon/README.md), one a line: what a broken word must join up into."""
    with gzip.open(Path(__file__).with_name("lexicon") / "words.txt.gz", "rt", encoding="utf-8") as f:
        return f.read()


def lexicon() -> frozenset[str]:
    """The English words as a set (for tests and tools; the build's repairs use the core's copy)."""
    return frozenset(_words().split())


def repaired(texts: list[str | None], others: list[str | None]) -> list[str | None]:
    """Each of ``texts`` with the repairs that are certain, or None where there are none.

    Certain means: a missing space after a full stop between two words ("doctor.I understand"),
    but not in "e.g.the", "Ph.D", "2.5mg" or "icliniq.com"; and a word broken by a stray space
    ("deta ils", "ac ne") when the whole is a word (in the lexicon, or used on the page: in any of
    ``texts`` and ``others``) and a piece is not. Two words that also make one ("every one", "some
    times", "in to") stay apart. One call into the compiled core for all the texts (rust/src/repair.rs,
    whose lexicon the compiled parser holds: read into the core once per process, not also kept as
    a Python set, which took about 20 MB more in every worker).
    """
    from .compiled import parser  # late: the compiled parser reads the lexicon from here

    return parser().repair(texts, others)


def patient_turn(text: str | None, after_answer: int | None) -> dict[str, Any]:
    """A later message of the patient's, as a follow-up turn: the whole text and the questions it
    asks. The rule is the compiled core's (rust/src/sources/assemble.rs), which the built-in sources'
    records are assembled by; this is for a plug-in's."""
    from .compiled import parser

    return parser().patient_turn(text, after_answer)


def add_repairs(record: dict[str, Any]) -> None:
    """Fill ``text_repaired`` of the question and every answer, with the page's own words as evidence.
    The rule is the compiled core's (rust/src/sources/assemble.rs); this is for a plug-in's record."""
    from .compiled import parser

    question, answers = parser().repairs(record)
    record["question"]["text_repaired"] = question
    for answer, text in zip(record["answers"], answers, strict=True):
        answer["text_repaired"] = text


# --- what a saved answer fragment looks like ----------------------------------------------------


def reads_as_answer(lines: list[str]) -> bool:
    """True when a text reads like a doctor's reply: the shape of one (a greeting, a sign-off, a
    signature line) backed by one more cue (a site's brand, advice), or two lines of advice. The
    rule is compiled (rust/src/sources/fragment.rs)."""
    return _core.reads_as_answer(lines)
