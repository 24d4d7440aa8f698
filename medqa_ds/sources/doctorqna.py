"""doctorqna.com/en: English translations of Taiwan e-Hospital questions, one doctor's reply each.

Full layout: ``<Headline> - <Specialty>``, ``Share to:``, the question title, the question, the
asker line (``Name, 20~29 year old female. Ask Date: YYYY/MM/DD``), ``Dr. X reply Specialty``, the
answer, ``Reply Date:``, then ``More Info`` (machine-written), ``Similar Q&A`` and ``Related FAQ``.
The compact layout drops the headline, ``Share to:`` and blank lines. Saved pages are often cut
short anywhere after the title.
"""

from __future__ import annotations

import re
from typing import Any

from .. import schema
from ..errors import ParseError
from ..specialties import canonical
from ..text import Needing, iso_date, join_honorific_breaks, join_lines, looks_cut
from .base import Source, shared_specialty
from .followups import interleave

SHARE = "share to:"
MORE_INFO, SIMILAR, FAQ = "more info", "similar q&a", "related faq"
SECTIONS = (MORE_INFO, SIMILAR, FAQ)

_DATE = r"\d{4}/\d{1,2}/\d{1,2}"
# The name ends in no space unless a dot follows (so the lazy name and \s* never share a run of spaces),
# and the tail's two runs of spaces are apart: linear, with the matches of the plain form.
ASKER = Needing(
    re.compile(rf"^(?P<who>.*?)(?:(?<!\s)|(?=\.))\.?\s*Ask Date:\s*(?:(?P<date>{_DATE})\s*)?$", re.I), "ask date:"
)
# A page cut inside the asker line still shows "<name>, <age> year(s) old".
# The bucket's tilde comes half- or full-width ("20~29", "70～79") depending on the page's age.
_TILDE = r"(?:~|～|-|–|to)"
ASKER_CUT = re.compile(rf"^(?P<who>.{{0,80}}?,\s*\d+\s*(?:{_TILDE}\s*\d+)?\s*years?\s+old\b.*)$", re.I)
# Numbers start where a run of digits starts (a search would otherwise rescan the run from each digit).
_AGE = re.compile(
    rf"(?<!\d)(?P<lo>\d+)\s*{_TILDE}\s*(?P<hi>\d+)\s*years?\s*old|(?<!\d)(?P<one>\d+\+?)\s*years?\s*old", re.I
)
_SEX = re.compile(r"\b(female|male|woman|man|girl|boy|other|unknown)\b\.?\s*$", re.I)
_TITLES = (
    r"(?:Dr|Doctor|Prof|Professor|Pharmacist|Nutritionist|Dietitian|Psychologist|Therapist|Nurse|Midwife"
    r"|Counselor|Physiotherapist)"
)
REPLY = re.compile(rf"^(?P<author>{_TITLES}\.?\s++[^?:!]{{1,60}}?)\s+reply\s+(?P<spec>[A-Z][A-Za-z&,/()' -]{{1,60}})$")
REPLY_DATE = re.compile(rf"^Reply Date:\s*(?:(?P<date>{_DATE})\s*)?$", re.I)
HEADLINE = re.compile(r"^(?P<head>.+) - (?P<spec>[A-Z][A-Za-z&,/()' ]{1,60})$")
READ_MORE = re.compile(r"^\[Read More\]\s*(?P<title>.*)$", re.I)
FAQ_SPEC = re.compile(r"^\((?P<spec>[^()]{1,60})\)$")
# What a page cut inside a ``(Specialty)`` line of Related FAQ ends with: "(Ophthal".
FAQ_SPEC_CUT = re.compile(r"^\([^()]{0,60}$")
# Headings a page can be cut inside, so its last line is only their start ("Reply Da", "More In").
_CUT_HEADINGS = ("reply date:", MORE_INFO, SIMILAR, FAQ)


def is_cut_heading(line: str, headings: tuple[str, ...] = _CUT_HEADINGS) -> bool:
    """True when ``line`` (a page's last line) is only the cut start of a heading, not content to keep."""
    low = line.lower()
    if low.startswith("reply date:"):
        low = re.sub(r"[\d/\s]+$", "", low)
    return len(low) >= 4 and any(h.startswith(low) for h in headings)


def _is_marker(line: str) -> bool:
    low = line.lower()
    return bool(
        low in SECTIONS
        or low == SHARE
        or ASKER.match(line)
        or REPLY.match(line)
        or REPLY_DATE.match(line)
        or READ_MORE.match(line)
    )


def parse_asker(who: str) -> dict[str, str | None]:
    """``Dora, 20~29 year old female`` → name, age range ``20-29`` and sex, each as given."""
    asker = schema.blank(schema.load()["properties"]["question"]["properties"]["asker"])
    age = _AGE.search(who)
    if age:
        asker["age_range"] = f"{age['lo']}-{age['hi']}" if age["lo"] else age["one"]
        rest = who[age.end() :]
        name = who[: age.start()]
    else:
        name, _, rest = who.partition(",")
        rest = rest if rest else ""
    sex = _SEX.search(rest or (who if not age else ""))
    if sex:
        asker["sex"] = sex.group(1).lower()
        if not age and not rest:
            name = who[: sex.start()]
    name = name.strip().rstrip(",").strip()
    asker["name"] = name or None
    return asker


class DoctorQnA(Source):
    """Parser for doctorqna.com/en pages, full and compact layouts."""

    name = "doctorqna"
    version = 2
    markers = ("ask date", "share to:", "reply")

    def detect(self, lines: list[str]) -> bool:
        head = lines[:80]
        asks = any(ASKER.match(l) for l in head)
        replies = any(REPLY.match(l) for l in head)
        share = any(l.lower() == SHARE for l in head[:6])
        return (
            asks
            or (share and (replies or len(head) > 3))
            or (replies and any(REPLY_DATE.match(l) or l.lower() in SECTIONS for l in lines))
        )

    def parse(self, lines: list[str]) -> dict[str, Any]:
        lines = [l for l in join_honorific_breaks(lines, _is_marker) if l]
        record = self.new_record()
        cuts: list[str] = []
        i = self._head(lines, record)
        i = self._question(lines, i, record, cuts)
        i = self._answers(lines, i, record, cuts)
        if not record["answers"]:
            where = cuts[0] if cuts else "the page has no doctor's reply line"
            raise ParseError(f"no answer: {where}")
        self._sections(lines, i, record, cuts)
        if record["specialty"] is None:
            record["specialty"] = shared_specialty(record["answers"])
        interleave(record)
        if cuts:
            record["complete"] = False
            record["incomplete_reason"] = cuts[0]
        return record

    def _head(self, lines: list[str], record: dict[str, Any]) -> int:
        """Headline and ``Share to:`` (full layout only); returns the index of the question title."""
        i = 0
        m = HEADLINE.match(lines[0]) if lines else None
        share_next = len(lines) > 1 and lines[1].lower() == SHARE
        if m and (share_next or canonical(m["spec"])):
            record["headline"] = lines[0]
            record["specialty"] = canonical(m["spec"])
            i = 1
        while i < len(lines) and lines[i].lower() == SHARE:
            i += 1
        if i >= len(lines) or _is_marker(lines[i]):
            raise ParseError("no question title: the page ends or reaches a marker before the title")
        record["title"] = lines[i]
        return i + 1

    def _question(self, lines: list[str], i: int, record: dict[str, Any], cuts: list[str]) -> int:
        start = i
        while i < len(lines) and not (ASKER.match(lines[i]) or REPLY.match(lines[i]) or lines[i].lower() in SECTIONS):
            i += 1
        body = lines[start:i]
        question = record["question"]
        if i < len(lines) and (m := ASKER.match(lines[i])):
            question["asker"] = parse_asker(m["who"])
            question["date"] = iso_date(m["date"])
            i += 1
        elif body and i == len(lines) and ASKER_CUT.match(body[-1]):
            question["asker"] = parse_asker(body.pop())
            cuts.append("page ends inside the asker line")
        elif i == len(lines):
            cuts.append("page ends before the asker line")
        question["text"] = join_lines(body)
        return i

    def _answers(self, lines: list[str], i: int, record: dict[str, Any], cuts: list[str]) -> int:
        while i < len(lines) and (m := REPLY.match(lines[i])):
            answer = schema.blank_item("answers")
            answer.update(author=m["author"].strip(), role=m["spec"].strip(), specialty=canonical(m["spec"]))
            if record["specialty"] is None and not record["headline"]:
                record["specialty"] = answer["specialty"]
            start = i = i + 1
            while i < len(lines) and not (
                REPLY_DATE.match(lines[i]) or REPLY.match(lines[i]) or lines[i].lower() in SECTIONS
            ):
                i += 1
            body = lines[start:i]
            if i < len(lines) and (d := REPLY_DATE.match(lines[i])):
                answer["date"] = iso_date(d["date"])
                i += 1
            elif i == len(lines) and body and is_cut_heading(body[-1], ("reply date:",)):
                body.pop()
                cuts.append("page ends inside the Reply Date line")
            elif i == len(lines):
                cuts.append("page ends inside the answer" if any(body) else "page ends right after the reply line")
            answer["text"] = join_lines(body)
            if answer["text"]:
                record["answers"].append(answer)
        return i

    def _sections(self, lines: list[str], i: int, record: dict[str, Any], cuts: list[str]) -> None:
        """More Info, Similar Q&A and Related FAQ, in any order, each optional."""
        while i < len(lines):
            kind = lines[i].lower()
            end = i + 1
            while end < len(lines) and lines[end].lower() not in SECTIONS:
                end += 1
            body = lines[i + 1 : end]
            last = end == len(lines)
            if last and not body and kind in SECTIONS:
                cuts.append(f"page ends right after the {lines[i]} heading")
            elif last and end == i + 1 and is_cut_heading(lines[i]):
                cuts.append("page ends inside a section heading")
            if kind == MORE_INFO:
                record["more_info"] = join_lines(body)
                if last and body:
                    # Similar Q&A and Related FAQ follow More Info on every page of the site: a page
                    # that ends in it was cut, even where the cut fell after a full stop.
                    cuts.append(
                        "page ends inside More Info"
                        if looks_cut(body[-1])
                        else "page ends after More Info (its Similar Q&A and Related FAQ are missing)"
                    )
            elif kind == SIMILAR:
                record["related"] += self._similar(body, cuts if last else [])
            elif kind == FAQ:
                record["related"] += self._faq(body, cuts if last else [])
            i = end

    def _similar(self, body: list[str], cuts: list[str]) -> list[dict[str, Any]]:
        """Blocks of title, question excerpt, ``Dr. X reply Spec``, answer excerpt, ``[Read More] title``."""
        links: list[dict[str, Any]] = []
        block: list[str] = []
        for line in body:
            if READ_MORE.match(line):
                if link := self._similar_block(block):
                    links.append(link)
                block = []
            else:
                block.append(line)
        if block:
            cuts.append("page ends inside Similar Q&A")
            if link := self._similar_block(block):
                links.append(link)
        return links

    @staticmethod
    def _similar_block(block: list[str]) -> dict[str, Any] | None:
        if not block:
            return None
        link = schema.blank_item("related")
        link.update(kind="similar_question", title=block[0])
        reply = next((k for k, l in enumerate(block) if REPLY.match(l)), None)
        question = block[1:reply] if reply is not None else block[1:]
        link["question_excerpt"] = join_lines(question)
        if reply is not None:
            m = REPLY.match(block[reply])
            assert m is not None  # reply is the first line REPLY matches
            link.update(
                author=m["author"].strip(),
                specialty=canonical(m["spec"]),
                answer_excerpt=join_lines(block[reply + 1 :]),
            )
        return link

    @staticmethod
    def _faq(body: list[str], cuts: list[str]) -> list[dict[str, Any]]:
        """Pairs of a topic line and a ``(Specialty)`` line."""
        links: list[dict[str, Any]] = []
        pending: dict[str, Any] | None = None
        for k, line in enumerate(body):
            if pending is not None and k == len(body) - 1 and FAQ_SPEC_CUT.match(line):
                links.append(pending)
                cuts.append("page ends inside Related FAQ")
                return links
            m = FAQ_SPEC.match(line)
            if m and pending is not None:
                pending["specialty"] = canonical(m["spec"])
                links.append(pending)
                pending = None
                continue
            if pending is not None:
                links.append(pending)
            pending = schema.blank_item("related")
            pending.update(kind="faq_topic", title=line)
        if pending is not None:
            links.append(pending)
            cuts.append("page ends inside Related FAQ")
        return links
