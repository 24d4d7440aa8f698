"""Pieces several sources share: doctors' signatures, later patient turns, certain text repairs,
and the cues that tell a saved answer fragment from any other text."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path
from typing import Any

from .. import _core, schema
from ..specialties import canonical
from ..text import question_sentences

_NAME = r"Dr\.?\s?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’.-]*){0,4}"
# A signature line: "Dr Tayyab Malik", "Dr. Ana Ruiz", "Dr.Rovena".
SIGNATURE = re.compile(rf"^(?P<name>{_NAME})\.?$")
# A signature fused to the reply's last sentence: "... take care. Dr.Rovena".
FUSED_SIGNATURE = re.compile(r"^(?P<text>.*[.!?])\s*(?P<name>Dr\.?\s?[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,3})\.?$")
REGARDS = re.compile(
    r"^(?:(?:best|kind|warm|warmest|with|thanks and|thanks &|many)\s+)?regards\s*[,.]?$"
    r"|^(?:sincerely|yours sincerely|best wishes)\s*[,.]?$",
    re.I,
)


def _role_line(line: str) -> bool:
    """A line under a signature that names a role ("General & Family Physician"), not prose."""
    return bool(canonical(line)) or (len(line.split()) <= 6 and not line.endswith((".", "!", "?", ",")))


def split_signature(body: list[str], author: str | None = None) -> tuple[list[str], str | None, str | None, bool]:
    """A reply's lines without their closing signature: (lines, name, role, signed).

    Signatures come as ``Regards,`` / name / role, a name line (with a role line under it), or a
    name fused to the last sentence. Where the page's header names the doctor (``author``), a fused
    name is only taken when it agrees, so a sentence that ends by naming another doctor is kept.
    """
    if not body:
        return body, None, None, False
    tail = range(max(0, len(body) - 4), len(body))
    sign = max((k for k in tail if REGARDS.match(body[k])), default=None)
    if sign is not None:
        rest = body[sign + 1 :]
        name = rest[0] if rest and SIGNATURE.match(rest[0]) else None
        role = " ".join(rest[1:]) if name and rest[1:] and all(_role_line(l) for l in rest[1:]) else None
        if not rest or (name and (role or len(rest) == 1)):
            return body[:sign], _clean(name), role, True
    if SIGNATURE.match(body[-1]):
        return body[:-1], _clean(body[-1]), None, True
    if len(body) > 1 and SIGNATURE.match(body[-2]) and canonical(body[-1]):
        return body[:-2], _clean(body[-2]), body[-1], True
    m = FUSED_SIGNATURE.match(body[-1])
    if m and (author is None or _same_person(m["name"], author)):
        return [*body[:-1], m["text"]], _clean(m["name"]), None, True
    return body, None, None, False


def _clean(name: str | None) -> str | None:
    return name.strip().rstrip(".,") if name else None


def _same_person(a: str, b: str) -> bool:
    """True when two spellings of a doctor's name share a name word ("Dr.Rovena" / "Dr. Rovena Andrea")."""

    def words(name: str) -> set[str]:
        return {w.lower() for w in re.findall(r"[A-Za-z]{2,}", name)} - {"dr"}

    return bool(words(a) & words(b))


def patient_turn(text: str | None, after_answer: int | None) -> dict[str, Any]:
    """A later message of the patient's, as a follow-up turn: the whole text and the questions it asks."""
    turn = schema.blank_item("follow_ups")
    turn.update(role="patient", text=text, questions=question_sentences(text), after_answer=after_answer)
    return turn


@cache
def lexicon() -> frozenset[str]:
    """English words (SCOWL, see lexicon/README.md): what a broken word must join up into."""
    with gzip.open(Path(__file__).with_name("lexicon") / "words.txt.gz", "rt", encoding="utf-8") as f:
        return frozenset(f.read().split())


@cache
def _repairer() -> _core.Repairer:
    """The compiled repairs (rust/src/repair.rs) with the lexicon, handed to the core once per process."""
    return _core.Repairer(lexicon())


def repaired(texts: list[str | None], others: list[str | None]) -> list[str | None]:
    """Each of ``texts`` with the repairs that are certain, or None where there are none.

    Certain means: a missing space after a full stop between two words ("doctor.I understand"),
    but not in "e.g.the", "Ph.D", "2.5mg" or "icliniq.com"; and a word broken by a stray space
    ("deta ils", "ac ne") when the whole is a word (in the lexicon, or used on the page: in any of
    ``texts`` and ``others``) and a piece is not. Two words that also make one ("every one", "some
    times", "in to") stay apart. One call into the compiled core for all the texts.
    """
    return _repairer().repair(texts, others)


def add_repairs(record: dict[str, Any]) -> None:
    """Fill ``text_repaired`` of the question and every answer, with the page's own words as evidence."""
    texts = [record["question"]["text"], *(a["text"] for a in record["answers"])]
    question, *answers = repaired(texts, [record["title"], *(f["text"] for f in record["follow_ups"])])
    record["question"]["text_repaired"] = question
    for answer, text in zip(record["answers"], answers, strict=True):
        answer["text_repaired"] = text


# --- what a saved answer fragment looks like ----------------------------------------------------

BRAND = re.compile(r"\b(?:HCM|health\s?care\s?magic|askadoctor24x7|ask a doctor\s*-?\s*24x7)\b", re.I)
# A doctor's opening: "Hello!", "Hi & Welcome.", "Thank you for posting your query" (not "Hi doctor,").
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|greetings|welcome|thanks?|thank you|good (?:morning|afternoon|evening))"
    r"\b(?!.*\b(?:doctor|dr|sir|madam|doc)\b)",
    re.I,
)
_CLOSING = re.compile(
    r"\b(?:hope (?:this|that|it|i|to)|wish(?:ing)? you|take care|get well|good health|"
    r"feel free to|best wishes|feed ?back|stay (?:healthy|safe))\b",
    re.I,
)
_ADVICE = re.compile(
    r"\b(?:in your case|you (?:should|need to|are advised|may need|must)|i (?:would )?(?:suggest|"
    r"advise|recommend)|(?:consult|see|visit) (?:a|your) (?:doctor|physician|specialist|\w+ologist))\b"
    r"|^(?:\d{1,2}[.)]\s*)?(?:avoid|take|drink|do not|don't|make sure|apply)\b",
    re.I,
)


# A doctor speaking as the one who answers: "very pleased to answer you", "glad to help you".
_ANSWERER = re.compile(r"\b(?:pleased|glad|happy) to (?:answer|help|assist) you\b", re.I)


def reads_as_answer(lines: list[str]) -> bool:
    """True when a text reads like a doctor's reply: the shape of one (a greeting, a sign-off, a
    signature line) backed by one more cue (a site's brand, advice), or two lines of advice."""
    lines = [l for l in lines if l]
    if not lines:
        return False
    shape = sum(
        (
            any(_GREETING.match(l) for l in lines[:2]),
            any(_CLOSING.search(l) for l in lines[-3:]),
            bool(SIGNATURE.match(lines[-1])),
        )
    )
    advice = min(2, sum(bool(_ADVICE.search(l)) for l in lines))
    brand = any(BRAND.search(l) for l in lines) or any(_ANSWERER.search(l) for l in lines[:3])
    return advice >= 2 or (shape >= 1 and shape + advice + brand >= 2)
