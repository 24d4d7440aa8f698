"""Build step: de-identification. What is published must not identify patients.

The parse keeps the page as it is; this step runs on each record in the build's chunks, after its id
and split hash are taken from the parsed record, so neither moves. It drops the asker's name field, replaces the
patient's name wherever it recurs (also as a salutation in an answer, with romanisation, case,
hyphen and line-break variants), and replaces contact details and identifiers with typed
placeholders. Doctors' names are kept (public professionals answering in public) unless
``redact_doctors``. Age buckets and sex are coarse and kept.

The policy is named and versioned (``POLICY``, ``POLICY_VERSION``) in the manifest and the card:
bump the version whenever what is replaced changes (``medqa_ds/sources/CHANGELOG.md`` lists why).
Version 2 took HIPAA Safe Harbor's list of identifiers as its checklist; version 3 reads every
label of its record- and id-number lists and every address opening it names. Each rule is named
in ``deid_rules.RULES`` with the examples it replaces and keeps (its contract, run by the tests
with the rule on and off); the compiled core applies it unless the policy switches it off, and
it is counted per rule in the manifest and the card.
Phone numbers and checksummed ids are confirmed by libraries (``identifiers.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import _core, schema
from . import identifiers
from .deid_rules import RULES

if TYPE_CHECKING:
    import numpy as np

POLICY = "medqa-deid"
POLICY_VERSION = 3
KINDS = ("PATIENT", "DOCTOR", "EMAIL", "PHONE", "ADDRESS", "ID", "MRN", "URL", "DATE")
ASKER_NAME = "asker_name"  # the count of dropped question.asker.name fields
RULE_KEYS = tuple(f"rule:{rule.name}" for rule in RULES)  # replacements counted per rule too
COUNTED = (*KINDS, ASKER_NAME, *RULE_KEYS)  # what a build counts per record, in this order
FIELDS = tuple(schema.load()["properties"])  # replacements are counted by top-level field
EMPTIED = {"question.asker.name": "Published builds: always null (the privacy step empties it)."}
KIND_DESCRIPTIONS = {
    "PATIENT": "a patient's name: the asker's name wherever it recurs (with spacing, case, hyphen and "
    'line-break variants: "Mei Ling", "Meiling", "Mei-Ling"), a name a greeting addresses '
    '("Dear Lin:", "Hello Mr. Wen Hao:") and a name after Mr./Ms./Mrs./Miss',
    "DOCTOR": 'a doctor\'s name, only with --redact-doctors: the answers\' authors, "Dr. X", "I am Dr X"',
    "EMAIL": 'an e-mail address, also when written "name(at)host(dot)com"',
    "PHONE": 'a phone number: international, local or mobile, or any number after "phone", "tel", "mobile", "WhatsApp"',
    "ADDRESS": 'a street address (house number and street, "No. 12, Lane 34, … Rd.", a flat, a P.O. box) '
    "with the city and postal code after it",
    "ID": "a national identity number (Taiwan's letter and nine digits, a US SSN, an Indian Aadhaar) or a number "
    'after "ID", "passport", "NRIC"',
    "MRN": "a medical record, chart, case, patient, hospital, lab, test, specimen, report, file, account or "
    'bill number; its label is kept ("MRN [MRN]")',
    "URL": "a link that carries personal data (an e-mail, a name, a phone or id number, a profile path, "
    "a name/email/phone/id parameter); plain reference links are kept",
    "DATE": "the day and month of a date tied to a person (birth, admission, discharge, death); the year is "
    'kept ("born on [DATE] 1972")',
}

KEPT = (
    'Medical content: dosages, lab values, blood pressures, drug names, eponyms ("Parkinson\'s disease"). '
    "Dates that are not tied to identifying a person: the page's question and answer dates "
    "(`question.date`, `answers.date`), dates of tests, readings and treatments, and every year (a date "
    'of birth, admission, discharge or death keeps its year: "born on [DATE] 1972"). Age ranges and sex. '
    "Doctors' names (unless built with `--redact-doctors`), plain reference links, countries, states "
    "and provinces."
)
LIMITS = (
    "Names are found from what a record supplies (the asker's name field, greetings, self-introductions, "
    'relations, honorifics, "the X family"): a name mentioned with none of these cues ("ask Priya") '
    'is kept. A lower-case name ending in "s" after a relation ("my son james") is read as a verb and '
    "kept. A one-word name that is also a common word is replaced only capitalised inside a sentence; one "
    'that is also a disease\'s eponym ("the Wilson family", "it\'s Lyme") is kept. '
    "Cities, towns and neighbourhoods named outside an address are kept. Phone numbers are confirmed in "
    f"{len(identifiers.REGIONS)} regions (a national number of another region is replaced only after a "
    "phone label); ids with a checksum are confirmed by python-stdnum, others by shape. A rejected "
    "file's name has no record, so only contacts and ids in it are replaced, not names."
)


def placeholder(kind: str) -> str:
    """``[EMAIL]``, ``[PHONE]``…: what replaces an identifier of that kind."""
    return f"[{kind}]"


@dataclass(frozen=True)
class Policy:
    """What the step replaces besides what it always does (patients, contacts, identifiers)."""

    redact_doctors: bool = False
    # Rules switched off by name: tests switch each off to show a test needs it. Never set in a build.
    off: frozenset[str] = frozenset()

    def uses(self, rule: str) -> bool:
        """True when the rule named ``rule`` (one of ``deid_rules.RULES``) applies."""
        return rule not in self.off

    def describe(self) -> dict[str, Any]:
        """The policy as the manifest records it."""
        return {"name": POLICY, "version": POLICY_VERSION, "redact_doctors": self.redact_doctors}


class Deidentified(NamedTuple):
    """A record with identifiers replaced, and what was replaced: by kind and by top-level field."""

    record: dict[str, Any]
    by_kind: Counter[str]
    by_field: Counter[str]


# --- typed identifiers -----------------------------------------------------------------------
# Contact details, identifiers and street addresses are the compiled core's (rust/src/privacy/
# typed: links, e-mails, record and identity numbers, personal dates, phones, addresses); phone
# numbers and checksummed ids are confirmed by the libraries in ``identifiers.py``, called back.


# --- names -----------------------------------------------------------------------------------
# The names rules are compiled (rust/src/privacy/: the sites, the per-record matcher, the word
# lists); this module passes them the rules switched off and counts what they replaced.

# The rule of each place a text supplies a name, in the order they run (one rule has two sites).
NAME_SITE_RULES: tuple[str, ...] = tuple(_core.NAME_SITE_RULES)
# Names that are also common words: replaced only as a capitalised word inside a sentence.
WORD_NAMES = frozenset(_core.WORD_NAMES)


def _names(
    patients: Iterable[str], greeted: Iterable[str], doctors: Iterable[str], sites: Iterable[str] | None = None
) -> _core.Names:
    """The people one record names: patients to replace, doctors to keep (or replace)."""
    return _core.Names(list(patients), list(greeted), list(doctors), set(sites) if sites is not None else None)


def _supplied(text: str, policy: Policy = Policy()) -> list[tuple[str, str]]:
    """(rule, name) for each name a text greets, addresses, introduces or relates ("Dear Lin:",
    "Hello, Wen Hao:", "Ms.\\nLiu", "my name is Lin Mei", "my son Ethan", "the X family")."""
    return _core.deid_supplied(text, set(policy.off))


def _beside(text: str, names: _core.Names) -> list[str]:
    """Family names standing beside a replaced name in ``text`` ("[PATIENT] Khan")."""
    return _core.deid_beside(text, names)


# --- the step --------------------------------------------------------------------------------


def _typed(text: str, counts: Counter[str], names: _core.Names | None, policy: Policy = Policy()) -> str:
    """Replace contact details, identifiers and street addresses, most specific first (a URL
    before the e-mail in it): the compiled step's rules (rust/src/privacy/typed)."""
    text, added = _core.deid_typed(
        text, policy.off, identifiers.PHONE_CHECKS, identifiers.is_phone, identifiers.CHECKSUMS, names
    )
    counts.update(dict(added))
    return text


def _people(text: str, counts: Counter[str], names: _core.Names, policy: Policy) -> str:
    """Replace patients' names; keep doctors' names (titled, or known as an answer's author)."""
    text, found = _core.deid_people(text, names, set(policy.off), policy.redact_doctors)
    for key, n in found:
        counts[key] += n
    return text


# Fields that hold no free text (ids, enums, dates, coarse demographics, checksums), or that the
# step handles apart (the asker's name, doctors' names, the raw file's name). Every other string is
# de-identified, so a text field added to the schema later is covered without a change here.
_NOT_TEXT = frozenset(
    {
        "id",
        "source",
        "specialty",
        "question.date",
        "question.asker.name",
        "question.asker.age_range",
        "question.asker.sex",
        "answers.author",
        "answers.role",
        "answers.specialty",
        "answers.date",
        "follow_ups.role",
        "related.kind",
        "related.specialty",
        "related.author",
        "provenance.file",
        "provenance.sha256",
        "provenance.parser",
        "provenance.captured",
    }
)


def _copy(node: Any, path: str, slots: list[tuple[str, Any, Any]]) -> Any:
    """A copy of a JSON-like record (what deepcopy does, several times faster), noting in ``slots``
    the (top-level field, container, key) of every non-empty free-text string in the copy."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            here = f"{path}.{key}" if path else key
            if isinstance(value, (dict, list)):
                value = _copy(value, here, slots)
            elif isinstance(value, str) and value and here not in _NOT_TEXT:
                slots.append((here.split(".", 1)[0], out, key))
            out[key] = value
        return out
    items: list[Any] = []
    for value in node:
        if isinstance(value, (dict, list)):
            value = _copy(value, path, slots)
        elif isinstance(value, str) and value and path not in _NOT_TEXT:
            slots.append((path.split(".", 1)[0], items, len(items)))
        items.append(value)
    return items


# Slots are joined by this separator and cleaned in one pass: a record has a dozen short text slots,
# and one scan of their join costs far less than a dozen. No pattern crosses it: it opens with a line
# break (which ends every link, name, phone and address) and its middle character, NUL, is neither a
# word character nor a space, nor in any page (a file with NUL is rejected as binary). It is ASCII so a
# joined text stays one byte per character: a wider character would slow every scan of it.
_JOIN = "\n\x00\n"


def _kinds_total(counts: Counter[str]) -> int:
    """Replacements written (by kind), leaving out the per-rule counts kept beside them."""
    return sum(counts[k] for k in KINDS)


def _clean_slots(
    texts: list[str], fields: list[str], clean: Callable[[str, Counter[str]], str], alone: frozenset[int] = frozenset()
) -> tuple[list[str], Counter[str], Counter[str]]:
    """Every text cleaned, with the replacements by kind and by top-level field.

    The texts at the indexes ``alone`` (a page's URL) are cleaned one by one: in the joined text
    their link and digits would make every link and number pattern scan the whole record.
    """
    if not alone:
        return _clean_joined(texts, fields, clean)
    rest = [k for k in range(len(texts)) if k not in alone]
    joined, counts, by_field = _clean_joined([texts[k] for k in rest], [fields[k] for k in rest], clean)
    cleaned = list(texts)
    for k, text in zip(rest, joined, strict=True):
        cleaned[k] = text
    for k in sorted(alone):
        one: Counter[str] = Counter()
        cleaned[k] = clean(texts[k], one)
        counts.update(one)
        by_field[fields[k]] += _kinds_total(one)
    return cleaned, counts, by_field


def _clean_joined(
    texts: list[str], fields: list[str], clean: Callable[[str, Counter[str]], str]
) -> tuple[list[str], Counter[str], Counter[str]]:
    """Every text cleaned in one pass over the texts joined by ``_JOIN``, a text's replacements being
    the placeholders it gained; one pass per text where that cannot count exactly (a text that holds
    the separator's NUL or already holds placeholders the pass changed)."""
    joined = _JOIN.join(texts)
    if joined.count(_JOIN[1]) == len(texts) - 1:
        counts: Counter[str] = Counter()
        cleaned = clean(joined, counts).split(_JOIN)
        if len(cleaned) == len(texts):
            by_field: Counter[str] = Counter()
            for field, before, after in zip(fields, texts, cleaned, strict=True):
                if "[" in after:
                    by_field[field] += sum(after.count(placeholder(k)) - before.count(placeholder(k)) for k in KINDS)
            if by_field.total() == _kinds_total(counts):
                return cleaned, counts, by_field
    cleaned, counts, by_field = [], Counter(), Counter()
    for field, text in zip(fields, texts, strict=True):
        one: Counter[str] = Counter()
        cleaned.append(clean(text, one))
        counts.update(one)
        by_field[field] += _kinds_total(one)
    return cleaned, counts, by_field


def file_name(name: str, names: _core.Names | None, policy: Policy = Policy()) -> str:
    """A published file name de-identified as text: ``_`` is read as a break between words (as are
    ``-`` and ``.`` in names), so "saved_by_john.smith@x.com_0912-111-222.txt" loses its e-mail,
    phone and the known names in it. Hashes and other numbers in file names are kept."""
    text = name.replace("_", "\n")
    counts: Counter[str] = Counter()
    text = _typed(text, counts, names, policy)
    if names is not None:
        text = _people(text, counts, names, policy)
    return text.replace("\n", "_")


def deidentify(record: dict[str, Any], policy: Policy = Policy()) -> Deidentified:
    """The record with patients' names and identifiers replaced (a copy; ``record`` is not changed)."""
    slots: list[tuple[str, Any, Any]] = []
    out = _copy(record, "", slots)
    by_kind: Counter[str] = Counter()
    asker = out["question"]["asker"]
    doctors = [item["author"] for item in (*out["answers"], *out["related"]) if item["author"]]
    texts = [slot[key] for _, slot, key in slots]
    joined = _JOIN.join(texts)
    patients = [asker["name"]] if asker["name"] and policy.uses("asker-name") else []
    found = _supplied(joined, policy)
    supplied, sites = [name for _, name in found], {rule for rule, _ in found}
    names = _names(patients, supplied, doctors, sites)
    if asker["name"] is not None:  # counted apart: by_field counts replacements in text
        asker["name"] = None
        by_kind[ASKER_NAME] += 1

    def clean(text: str, counts: Counter[str]) -> str:
        return _people(_typed(text, counts, names, policy), counts, names, policy)

    fields = [field for field, _, _ in slots]
    alone = frozenset(k for k, (_, slot, key) in enumerate(slots) if slot is out["provenance"] and key == "url")
    cleaned, counts, by_field = _clean_slots(texts, fields, clean, alone)
    if policy.uses("name-beside-placeholder"):  # "[PATIENT] Khan": Khan is a name too, wherever it recurs
        beside = _beside(_JOIN.join(cleaned), names)
        if beside:
            names = _names(patients, [*supplied, *beside], doctors, sites)
            cleaned, counts, by_field = _clean_slots(texts, fields, clean, alone)
            counts["rule:name-beside-placeholder"] += len(beside)
    for (_, slot, key), text in zip(slots, cleaned, strict=True):
        slot[key] = text
    by_kind.update(counts)
    if policy.redact_doctors:
        for field, items in (("answers", out["answers"]), ("related", out["related"])):
            for item in items:
                if item["author"]:
                    item["author"] = placeholder("DOCTOR")
                    by_kind["DOCTOR"] += 1
                    by_field[field] += 1
    prov = out["provenance"]
    before = prov["file"]
    prov["file"] = file_name(before, names, Policy(off=policy.off))
    replaced = Counter({k: prov["file"].count(placeholder(k)) - before.count(placeholder(k)) for k in KINDS})
    by_kind.update(replaced)
    by_field["provenance"] += replaced.total()
    return Deidentified(out, +by_kind, +by_field)


def scrub(text: str) -> str:
    """Contact details and identifiers replaced in a text that belongs to no record (a reject's file
    name or reason): the typed placeholders only, since no names are known there."""
    return file_name(text, None)


def summary(policy: Policy, totals: np.ndarray, records_changed: int) -> dict[str, Any]:
    """The manifest's ``privacy`` section from what was replaced in the published records, summed
    over ``COUNTED`` then ``FIELDS`` (``totals``), and how many records it changed."""
    by_kind = dict(zip(COUNTED, (int(n) for n in totals[: len(COUNTED)]), strict=True))
    by_field = dict(zip(FIELDS, (int(n) for n in totals[len(COUNTED) :]), strict=True))
    return {
        "enabled": True,
        **policy.describe(),
        "replaced": {kind: by_kind[kind] for kind in KINDS},
        "asker_names_dropped": by_kind[ASKER_NAME],
        "replaced_by_field": {f: n for f, n in sorted(by_field.items()) if n},
        "replaced_by_rule": {rule.name: by_kind[f"rule:{rule.name}"] for rule in RULES},
        "records_changed": records_changed,
    }


def disabled() -> dict[str, Any]:
    """The manifest's ``privacy`` section of a build made with de-identification off."""
    return {"enabled": False, "name": POLICY, "version": POLICY_VERSION}


def scrub_reject(line: dict[str, Any]) -> dict[str, Any]:
    """A ``rejects.jsonl`` line with contact details and identifiers in its file name and reason replaced."""
    return {k: scrub(v) if isinstance(v, str) else v for k, v in line.items()}
