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

import re
from collections import Counter
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


def file_name(name: str, names: _core.Names | None, policy: Policy = Policy()) -> str:
    """A published file name de-identified as text: ``_`` is read as a break between words (as are
    ``-`` and ``.`` in names), so "saved_by_john.smith@x.com_0912-111-222.txt" loses its e-mail,
    phone and the known names in it. Hashes and other numbers in file names are kept."""
    return _core.deid_file_name(
        name, policy.off, identifiers.PHONE_CHECKS, identifiers.is_phone, identifiers.CHECKSUMS, names
    )


def deidentify(record: dict[str, Any], policy: Policy = Policy()) -> Deidentified:
    """The record with patients' names and identifiers replaced (a copy; ``record`` is not changed).

    One core call (rust/src/privacy/step.rs): the record's free-text strings (every non-empty one
    outside the fields that hold none) cleaned in one pass over their join, the page's URL alone,
    a second pass with the names beside a placeholder, the authors with ``redact_doctors``, the
    file's name; the asker's name dropped. By field counts replacements in text."""
    out, by_kind, by_field = _core.deid_record(
        record,
        policy.off,
        policy.redact_doctors,
        identifiers.PHONE_CHECKS,
        identifiers.is_phone,
        identifiers.CHECKSUMS,
    )
    return Deidentified(out, Counter(dict(by_kind)), Counter(dict(by_field)))


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


# A record's id (``doctorqna-538857ffe65c0ae9``: the source and a hash of the page's key) names no one,
# and a duplicate's reject gives the id of the capture kept, for the maintainer to look up; after the
# word "id" the identity-number rule would take it for one.
_RECORD_ID = re.compile(
    r"(?<![\w-])((?:{})-[0-9a-f]{{16}})(?![\w-])".format("|".join(map(re.escape, schema.source_names())))
)


def scrub_reject(line: dict[str, Any]) -> dict[str, Any]:
    """A ``rejects.jsonl`` line with contact details and identifiers in its file name and reason
    replaced, record ids kept."""

    def kept_ids(text: str) -> str:
        pieces = _RECORD_ID.split(text)  # the ids at odd positions
        return "".join(piece if k % 2 else scrub(piece) if piece else "" for k, piece in enumerate(pieces))

    return {k: kept_ids(v) if isinstance(v, str) else v for k, v in line.items()}
