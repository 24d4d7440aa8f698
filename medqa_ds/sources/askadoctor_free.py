"""askadoctor24x7.com/questions (formerly healthcaremagic.com/questions): free questions.

The title, the question, the date it was posted, then one block per answering doctor, headed
``<Role> <Dr. Name>'s  Response``. Around them: a sidebar card of a doctor (name, role,
experience, a button) and footer boilerplate, neither of them an answer; some saves repeat the
title and the answer after the footer. Signatures may be a line of their own, fused to the last
sentence (``take care. Dr.Rovena``) or missing. Saves of just the answer (no title, no question)
or just the question are fragments: rejects saying which.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from .. import schema
from ..errors import ParseError
from ..specialties import canonical
from ..text import Needing, iso_date, join_honorific_breaks, join_lines, looks_cut
from .base import Source, shared_specialty
from .common import add_repairs, has_brand, reads_as_answer, split_signature
from .followups import interleave

# "<Role> <Dr. Name>'s  Response"; the name may be missing ("<Role> 's  Response").
# (No \s* between the lazy head and the quote: the two would share a run of spaces, a quadratic match.)
RESPONSE = Needing(re.compile(r"^(?P<head>.*?)['’]s\s+Response\s*:?$"), "response")
PREMIUM = re.compile(r"^Detailed Answer\s*:?$", re.I)
_DR = re.compile(r"\bDr\.?\s?[A-Z]")
# The full page's chrome above the question: the banner, the online-doctors counter, the terms line.
BANNER = re.compile(
    r"^HealthCareMagic is now Ask A Doctor\b|^Ask A Doctor\s*-\s*24x7\s*\|\s*https?://"
    r"|^[\d,]+\+?\s+Doctors?\s+(?:are\s+)?Online\b",
    re.I,
)
# The sidebar card's experience line ("Exp 22 years"): the card stands with the chrome above the title.
EXPERIENCE = re.compile(r"^Exp\.?\s*(?::\s*)?\d+\+?\s*(?:years?|yrs)\.?$", re.I)
TERMS = re.compile(r"^(?:by\s+\w+ing\b|i\s+(?:agree|accept)\b).*\bterms\b", re.I)
# Vote lines under each answer: chrome between answers, not an end of the page.
VOTE = re.compile(
    r"^(?:I find this answer helpful|You found this answer helpful|Was this answer helpful\??"
    r"|\d+\s+(?:people|users?|patients?)\s+found this (?:answer )?helpful\.?)$",
    re.I,
)
# Lines only this site's free answers show: its footer notice and its vote lines. They mark a save
# with no response header; a generic line ("Was this answer helpful?", a cookie notice) never does.
FREE_MARK = re.compile(
    r"^(?:This is a short,? free answer|For a more detailed,? immediate answer, try our premium"
    r"|I find this answer helpful$|You found this answer helpful$)",
    re.I,
)
# A free answer's footer: it ends the thread (and any repeat of it below is not a second answer).
FREE_FOOTER = re.compile(
    r"^(?:This is a short,? free answer|For a more detailed,? immediate answer"
    r"|Note:\s*Get personalized answers|We use cookies\b)",
    re.I,
)
# How a doctor's reply opens, judged on its first clause (a patient's "Hi doctor," is none).
_OPENING = re.compile(
    r"^(?:hi|hello|hey|dear|greetings|welcome|good (?:morning|afternoon|evening))\b"
    r"|^thanks?(?: you)? for (?:posting|writing|your|the|using|choosing|contacting|asking)\b",
    re.I,
)
_ADDRESSES_DOCTOR = re.compile(r"\b(?:doctor|dr|sir|madam|doc)\b", re.I)
LABELLED_DATE = re.compile(r"^(?P<label>posted|asked|answered)\s+(?:on|at)\b\s*:?\s*(?P<date>.*)$", re.I)
BARE_DATE = re.compile(
    r"^(?:[A-Z][a-z]{2,8},?\s*)?(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})$"
)
# Boilerplate under the answers; everything from it on is page furniture.
FOOTER = re.compile(
    r"^(?:disclaimer\b|related questions|recent questions|similar questions|"
    r"popular questions|trending (?:questions|topics)|ask a doctor now|ask your (?:question|query)|"
    r"get (?:an )?answers? from|share this|report abuse|©|copyright\b|all rights reserved|"
    r"terms (?:of use|&|and)|privacy policy|follow us|download (?:the|our) app)",
    re.I,
)
# Lines of a sidebar doctor card ("12 years of experience", "Consult Now", "View Profile").
CARD = re.compile(
    r"^(?:\d+\+?\s*(?:years?|yrs)\.?\s+(?:of\s+)?experience|experience\s*:|consult(?:\s+now)?$|"
    r"view (?:full )?profile|ask (?:dr\.?\s.*|now|a doctor)$|book (?:a )?consult|online now$|"
    r"ratings?\s*(?::\s*)?\d|\d(?:\.\d)?\s*/\s*5$|"
    r"[\d,]+\s+(?:answers|reviews|consultations|questions answered)$)",
    re.I,
)


def _date(lines: list[str], k: int) -> tuple[str | None, str | None, int]:
    """The date line at ``k``: (label, ISO date, lines used), or (None, None, 0) when it is none."""
    line = lines[k]
    if m := LABELLED_DATE.match(line):
        value, used = m["date"], 1
        if not value and k + 1 < len(lines):
            value, used = lines[k + 1], 2
        if iso := iso_date(value):
            return m["label"].lower(), iso, used
    if BARE_DATE.match(line):
        return None, iso_date(line), 1
    return None, None, 0


def _drop_cards(lines: list[str]) -> list[str]:
    """The lines without any sidebar card: each card line and the name/role lines just above it."""
    drop: set[int] = set()
    for k, line in enumerate(lines):
        if CARD.match(line) and len(line.split()) <= 6:
            drop.add(k)
            j = k - 1
            while (
                j >= 0
                and k - j <= 2
                and j not in drop
                and not _is_response(lines[j])
                and len(lines[j].split()) <= 6
                and not lines[j].endswith((".", "?", "!", ":"))
            ):
                drop.add(j)
                j -= 1
    return [l for k, l in enumerate(lines) if k not in drop]


def _response(line: str) -> tuple[str | None, str | None] | None:
    """A response header's (role, doctor's name), either missing; None when the line is none.

    Without a doctor's name the head must read as a role (a few words, no sentence punctuation),
    so a sentence ending "… body's Response" is no header."""
    m = RESPONSE.match(line)
    if not m:
        return None
    head = m["head"].rstrip()
    dr = _DR.search(head)
    if dr is None and (len(head.split()) > 6 or any(c in head for c in ".,;!?")):
        return None
    role, name = (head[: dr.start()], head[dr.start() :].strip()) if dr else (head, None)
    return role.strip(" -–:") or None, name or None


def _is_response(line: str) -> bool:
    return _response(line) is not None


def _strip_chrome(lines: list[str]) -> tuple[list[str], bool]:
    """The lines without the full page's banner, counter, terms line, the sidebar card's experience
    line and vote lines (and the Yes / No under a vote question); and whether the page had that chrome."""
    kept: list[str] = []
    chrome = voted = False
    for line in lines:
        if BANNER.match(line) or TERMS.match(line) or EXPERIENCE.match(line):
            chrome = True
        elif VOTE.match(line) or (voted and line in ("Yes", "No")):
            voted = True
            continue
        else:
            kept.append(line)
        voted = False
    return kept, chrome


def _title_case(line: str) -> bool:
    """A line in the site's Title Case, as its question titles are ("Why Does My Knee Click?")."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]+", line)]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _opens_reply(line: str) -> bool:
    """True when a line opens a doctor's reply: a greeting in its first clause that addresses no doctor."""
    first = re.split(r"(?<=[.!?,:])\s", line, maxsplit=1)[0][:80]
    return bool(_OPENING.match(first)) and not _ADDRESSES_DOCTOR.search(first)


class AskADoctorFree(Source):
    """Parser for askadoctor24x7 / healthcaremagic free-question pages."""

    name = "askadoctor_free"
    version = 2
    markers = ("response", "free answer", "answer helpful")

    def detect(self, lines: list[str]) -> bool:
        # The free answer's footer and vote lines mark a save without response headers; a premium
        # thread (askadoctor, "Detailed Answer:") may show vote lines too, and is not one.
        if any(_is_response(l) for l in lines):
            return True
        return any(FREE_MARK.match(l) for l in lines) and not any(PREMIUM.match(l) for l in lines)

    def recognises_fragment(self, lines: list[str]) -> bool:
        kept = [l for l in lines if l]
        asked = any(LABELLED_DATE.match(l) and _date(kept, k)[1] for k, l in enumerate(kept[1:40], start=1))
        return asked or reads_as_answer(kept)

    def parse(self, lines: list[str]) -> dict[str, Any]:
        shown = [l for l in lines if l]
        lines, chrome = _strip_chrome(shown)
        lines = join_honorific_breaks(lines, _is_response)
        heads = [k for k, l in enumerate(lines) if _is_response(l)]
        if not heads:
            posted = any(_date(lines, k)[0] in ("posted", "asked") for k in range(1, len(lines)))
            if not posted and any(FREE_MARK.match(l) for l in shown):
                return self._main_content(shown)
            return self._headerless(lines)
        if heads[0] == 0:
            raise ParseError(
                "answer-only chunk: no question (the page starts at a doctor's response, "
                "with no title or question above it)",
                line=1,
            )
        lines, footer = self._cut_footer(lines, heads[0])
        lines = _drop_cards(lines)
        heads = [k for k, l in enumerate(lines) if _is_response(l)]
        record = self.new_record()
        self._question(lines[: heads[0]], record, chrome)
        ends = [*heads[1:], len(lines)]
        signed = False
        for head, end in zip(heads, ends, strict=True):
            answer, signed = self._answer(lines[head], lines[head + 1 : end])
            present = {(a["author"], a["text"]) for a in record["answers"]}
            if answer and (answer["author"], answer["text"]) not in present:  # a repeat below the footer: once
                record["answers"].append(answer)
        if not record["answers"]:
            raise ParseError("no answer: the page ends right after the doctor's response header")
        interleave(record)
        record["specialty"] = shared_specialty(record["answers"])
        if heads[-1] == len(lines) - 1 and not footer:
            record["complete"] = False
            record["incomplete_reason"] = "page ends right after a doctor's response header"
        elif not signed and not footer and looks_cut(record["answers"][-1]["text"].rsplit("\n", 1)[-1]):
            record["complete"] = False
            record["incomplete_reason"] = "page ends inside the answer"
        add_repairs(record)
        return record

    @staticmethod
    def _cut_footer(lines: list[str], first_head: int) -> tuple[list[str], bool]:
        """The lines up to the footer, or up to the title shown again; and whether either was there."""
        for k in range(first_head + 1, len(lines)):
            if FOOTER.match(lines[k]) or FREE_FOOTER.match(lines[k]) or lines[k] == lines[0]:
                return lines[:k], True
        return lines, False

    def _headerless(self, lines: list[str]) -> dict[str, Any]:
        """A page with no response header: the question and an answer below its date (an incomplete
        record, the doctor unknown), else a fragment saying which kind."""
        posted = next((k for k in range(1, len(lines)) if _date(lines, k)[0] in ("posted", "asked")), None)
        if posted is None:
            self._fragment(lines)
        kept, _ = self._cut_footer(lines, posted)
        kept = _drop_cards(kept)
        posted = next((k for k in range(len(kept)) if _date(kept, k)[0] in ("posted", "asked")), None)
        if posted is None:  # the date line went with a card below the question
            self._fragment(lines)
        below = kept[posted + _date(kept, posted)[2] :]
        if not reads_as_answer(below):
            self._fragment(lines)
        record = self.new_record()
        self._question(kept[: posted + 1], record)
        body, name, role, _ = split_signature(below)
        answer = schema.blank_item("answers")
        answer.update(author=name, role=role, specialty=canonical(role), text=join_lines(body))
        record["answers"].append(answer)
        interleave(record)
        record["complete"] = False
        record["incomplete_reason"] = "saved without the doctor's response header: the answer's doctor is unknown"
        add_repairs(record)
        return record

    def _main_content(self, lines: list[str]) -> dict[str, Any]:
        """A save of the page's main content: title, question, the answers with no header, date or
        role, each followed by its vote lines, then the footer (and maybe a repeat of it all, which
        is no second answer)."""
        main, _ = self._cut_footer(lines, 0)
        parts: list[list[str]] = [[]]  # the lines between vote runs
        for line in main:
            if VOTE.match(line) or (line in ("Yes", "No") and not parts[-1]):
                if parts[-1]:
                    parts.append([])
            else:
                parts[-1].append(line)
        parts = [join_honorific_breaks(_strip_chrome(part)[0], lambda l: False) for part in parts if part]
        main = parts[0] if parts else []
        start = next((k for k in range(len(main)) if _opens_reply(main[k])), None)
        if start is None:
            raise ParseError("question-only chunk: no answer (no doctor's reply above the site's footer)")
        if start < 2:
            raise ParseError(
                "answer-only chunk: no question (a doctor's answer from askadoctor24x7 / HealthCareMagic "
                "saved with its footer but without its title and question)",
                line=1,
            )
        record = self.new_record()
        record["title"] = main[0]
        record["question"]["text"] = join_lines(main[1:start])
        for part in [main[start:], *parts[1:]]:
            body, name, role, _ = split_signature(part)
            answer = schema.blank_item("answers")
            answer.update(author=name, role=role, specialty=canonical(role), text=join_lines(body))
            record["answers"].append(answer)
        interleave(record)
        record["specialty"] = shared_specialty(record["answers"])
        add_repairs(record)
        return record

    @staticmethod
    def _fragment(lines: list[str]) -> NoReturn:
        """A page with no response header: say which kind of fragment it is."""
        if any(_date(lines, k)[0] in ("posted", "asked") for k in range(len(lines))) or not reads_as_answer(lines):
            raise ParseError("question-only chunk: no answer (the page holds no '<Dr. Name>'s Response' block)")
        brand = " from askadoctor24x7 / HealthCareMagic" if any(has_brand(l) for l in lines) else ""
        raise ParseError(
            f"answer-only chunk: no question (a doctor's answer{brand} saved without its title and question)"
        )

    @staticmethod
    def _question(head: list[str], record: dict[str, Any], chrome: bool = False) -> None:
        """Title, question and the posted date, from the lines above the first response.

        Below the full page's chrome, navigation lines stand above the title: the title is then the
        last line in the site's Title Case, and the question the lines under it."""
        body = head
        for k in range(len(head)):
            label, iso, used = _date(head, k)
            if used:
                record["question"]["date"] = iso if label != "answered" else None
                body = head[:k]  # what stands between the date and the first response is page furniture
                break
        if not body:
            raise ParseError(
                "answer-only chunk: no question (nothing but page furniture above the first doctor's response)"
            )
        top = next((k for k in range(len(body) - 1, -1, -1) if _title_case(body[k])), 0) if chrome else 0
        record["title"] = body[top]
        record["question"]["text"] = join_lines(body[top + 1 :])

    @staticmethod
    def _answer(header: str, body: list[str]) -> tuple[dict[str, Any] | None, bool]:
        """One doctor's block (None when empty), and whether it ends signed."""
        role, name = _response(header) or (None, None)
        answer = schema.blank_item("answers")
        answer.update(author=name, role=role, specialty=canonical(role))
        if body and (used := _date(body, 0)[2]):  # "Answered on <date>" under the header
            answer["date"] = _date(body, 0)[1]
            body = body[used:]
        body, name, sign_role, signed = split_signature(body, answer["author"])
        if sign_role and not answer["role"]:
            answer.update(role=sign_role, specialty=canonical(sign_role))
        answer["text"] = join_lines(body)
        return (answer if answer["text"] else None), signed
