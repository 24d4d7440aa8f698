"""Types of the compiled Rust core (rust/src/lib.rs), which mypy cannot read from the extension module."""

from collections.abc import Callable, Sequence
from typing import Any

class MinHasher:
    def __init__(self, a: Sequence[int], b: Sequence[int]) -> None: ...
    def signatures(self, texts: Sequence[str]) -> bytes: ...
    def record_signatures(self, records: Sequence[dict[str, Any]]) -> bytes: ...

def band_keys(signatures: bytes, num_perm: int, bands: int, rows: int) -> bytes: ...

class PageError(ValueError):
    """A page a compiled parser gives no record for: doctorqna's ``str()`` is the reason;
    icliniq's too; askadoctor's, askadoctor_free's and the conversation parsers' ``args`` are
    (reason, 1-based line to blame or None)."""

_Asker = tuple[str | None, str | None, str | None]  # name, age_range, sex
_Answer = tuple[str, str, str | None, str | None, str]  # author, role, specialty, date, text
# kind, title, question_excerpt, author, specialty, answer_excerpt
_Link = tuple[str, str, str | None, str | None, str | None, str | None]

class DoctorQnA:
    """The doctorqna parser (rust/src/sources/doctorqna.rs), looking specialties up in ``specialties``
    (key → canonical name, from ``medqa_ds.specialties.table()``)."""

    def __init__(self, specialties: dict[str, str]) -> None: ...
    def parse(
        self, lines: Sequence[str]
    ) -> tuple[
        str | None,  # headline
        str | None,  # specialty
        str,  # title
        _Asker | None,
        str | None,  # question date
        str | None,  # question text
        list[_Answer],
        str | None,  # more_info
        list[_Link],
        list[str],  # what shows the page was cut, first reason first
    ]: ...
    def detect(self, lines: Sequence[str]) -> bool: ...
    @staticmethod
    def parse_asker(who: str) -> _Asker: ...

# summary, author, role, specialty, date, text
_ThreadAnswer = tuple[str | None, str | None, str | None, str | None, str | None, str]

class AskADoctor:
    """The askadoctor parser (rust/src/sources/askadoctor.rs), looking specialties up in
    ``specialties`` (key → canonical name, from ``medqa_ds.specialties.table()``)."""

    def __init__(self, specialties: dict[str, str]) -> None: ...
    def parse(
        self, lines: Sequence[str]
    ) -> tuple[
        str,  # title
        str | None,  # question text
        str | None,  # question date
        list[_ThreadAnswer],
        list[tuple[str, int | None]],  # the patient's turns: text, the answer each follows
        str | None,  # specialty
        str | None,  # incomplete_reason, when the page shows it was cut
        bool,  # the page ends in an empty "Follow up:": its conversation's last turn decides the cut
    ]: ...
    def detect(self, lines: Sequence[str]) -> bool: ...

# author, role, specialty, date, text (None: an answer that was all signature)
_FreeAnswer = tuple[str | None, str | None, str | None, str | None, str | None]

class AskADoctorFree:
    """The askadoctor_free parser (rust/src/sources/askadoctor_free.rs), looking specialties up in
    ``specialties`` (key → canonical name, from ``medqa_ds.specialties.table()``)."""

    def __init__(self, specialties: dict[str, str]) -> None: ...
    def parse(
        self, lines: Sequence[str]
    ) -> tuple[
        str,  # title
        str | None,  # question text
        str | None,  # question date
        list[_FreeAnswer],
        str | None,  # specialty
        str | None,  # incomplete_reason, when the record is incomplete
    ]: ...
    def detect(self, lines: Sequence[str]) -> bool: ...
    def recognises_fragment(self, lines: Sequence[str]) -> bool: ...

# A page laid out as a conversation of turns (rust/src/sources/conversation.rs): title, question
# text, answers (author, role, text), the patient's later turns (text, the answer each follows),
# incomplete_reason.
_Conversation = tuple[
    str | None,
    str | None,
    list[tuple[str | None, str | None, str]],
    list[tuple[str | None, int | None]],
    str | None,
]

class AskTheDoctor:
    """The askthedoctor parser (rust/src/sources/askthedoctor.rs), looking signatures' role lines
    up in ``specialties`` (key → canonical name, from ``medqa_ds.specialties.table()``)."""

    def __init__(self, specialties: dict[str, str]) -> None: ...
    def parse(self, lines: Sequence[str]) -> _Conversation: ...
    def detect(self, lines: Sequence[str]) -> bool: ...

class MedDialog:
    """The MedDialog parser (rust/src/sources/meddialog.rs), looking signatures' role lines up in
    ``specialties`` (key → canonical name, from ``medqa_ds.specialties.table()``)."""

    def __init__(self, specialties: dict[str, str]) -> None: ...
    def parse(self, lines: Sequence[str]) -> _Conversation: ...
    def detect(self, lines: Sequence[str]) -> bool: ...
    @staticmethod
    def pages(text: str) -> list[tuple[int, str]]: ...  # the line each page starts on, its text

class ICliniq:
    """The icliniq parser (rust/src/sources/icliniq.rs), looking specialties up in ``specialties``
    (key → canonical name, from ``medqa_ds.specialties.table()``)."""

    def __init__(self, specialties: dict[str, str]) -> None: ...
    def parse(
        self, lines: Sequence[str]
    ) -> tuple[
        str | None,  # title
        str,  # question text
        str | None,  # question date
        list[tuple[str | None, str | None, str | None, str]],  # answers: author, role, specialty, text
        list[tuple[str | None, int | None]],  # the patient's turns: text, the answer each follows
        list[str],  # the titles of the related questions
        str | None,  # specialty
        str | None,  # incomplete_reason, when the page shows it was cut
    ]: ...
    def detect(self, lines: Sequence[str]) -> bool: ...
    def breadcrumb_specialty(self, line: str) -> str | None: ...

def char_classes(text: str) -> bytes: ...
def specialty_key(name: str) -> str: ...
def join_lines(lines: Sequence[str]) -> str | None: ...
def looks_cut(line: str) -> bool: ...
def lines_of(text: str) -> list[str]: ...
def fingerprint(parts: list[str | None], chars: int = 200) -> str: ...

class Markers:
    def __init__(self, sets: list[list[str]]) -> None: ...
    def found(self, text: str) -> list[bool]: ...

def join_honorific_breaks(lines: Sequence[str], keep_apart: Callable[[str], object]) -> list[str]: ...

class Signatures:
    """A doctor's closing signature (rust/src/sources/signature.rs), looking role lines up in
    ``specialties`` (key → canonical name, from ``medqa_ds.specialties.table()``)."""

    def __init__(self, specialties: dict[str, str]) -> None: ...
    def split(
        self, body: Sequence[str], author: str | None = None
    ) -> tuple[list[str], str | None, str | None, bool]: ...  # lines, name, role, signed

def is_signature(line: str) -> bool: ...
def has_brand(line: str) -> bool: ...
def reads_as_answer(lines: Sequence[str]) -> bool: ...
def iso_date(value: str | None) -> str | None: ...

class Repairer:
    """The certain repairs of a record's texts (rust/src/repair.rs), checking words against
    ``lexicon`` (``medqa_ds.sources.common.lexicon()``)."""

    def __init__(self, lexicon: frozenset[str] | set[str]) -> None: ...
    @staticmethod
    def from_words(text: str) -> Repairer: ...
    def repair(self, texts: Sequence[str | None], others: Sequence[str | None]) -> list[str | None]: ...

def question_sentences(text: str | None) -> list[str]: ...
def doctor_follow_ups(answers: Sequence[str]) -> list[list[tuple[str | None, list[str]]]]: ...
def cleaning_rules() -> list[tuple[str, str, list[str] | None, str, str, str, str]]: ...
def clean(text: str, source: str, rules: Sequence[str]) -> tuple[str, list[tuple[str, str]]]: ...
def sentences(line: str) -> list[str]: ...

CLEANING_OTHER_TURN: list[str]

class Names:
    """The people one record names (rust/src/privacy/forms.rs): patients to replace wherever their
    names recur, doctors to keep. ``sites``: the rules whose sites supplied a name (None: all)."""

    def __init__(
        self, patients: Sequence[str], greeted: Sequence[str], doctors: Sequence[str], sites: set[str] | None = None
    ) -> None: ...
    def is_doctor(self, name: str) -> bool: ...
    def patients_search(self, text: str) -> bool: ...

def deid_supplied(text: str, off: set[str] | frozenset[str]) -> list[tuple[str, str]]: ...
def deid_people(
    text: str, names: Names, off: set[str] | frozenset[str], redact_doctors: bool
) -> tuple[str, list[tuple[str, int]]]: ...
def deid_beside(text: str, names: Names) -> list[str]: ...

NAME_SITE_RULES: list[str]
WORD_NAMES: list[str]
DEID_JOIN: str  # the separator the step joins a record's texts with

# De-identification's typed identifiers and street addresses (rust/src/privacy/typed): (text,
# counts added by kind and "rule:<name>").
def deid_typed(
    text: str,
    off: frozenset[str] | set[str],
    phone_checks: int,
    is_phone: Callable[[str], bool],
    checksums: Sequence[Callable[[str], bool]],
    names: Names | None,
) -> tuple[str, list[tuple[str, int]]]: ...
def deid_typed_rules() -> list[str]: ...

# One record's de-identification (rust/src/privacy/step.rs): (the copy, by kind, by field).
def deid_record(
    record: dict[str, Any],
    off: frozenset[str] | set[str],
    redact_doctors: bool,
    phone_checks: int,
    is_phone: Callable[[str], bool],
    checksums: Sequence[Callable[[str], bool]],
) -> tuple[dict[str, Any], list[tuple[str, int]], list[tuple[str, int]]]: ...
def deid_file_name(
    name: str,
    off: frozenset[str] | set[str],
    phone_checks: int,
    is_phone: Callable[[str], bool],
    checksums: Sequence[Callable[[str], bool]],
    names: Names | None,
) -> str: ...
def phone_shaped(candidate: str) -> bool: ...

# The small values the build derives from a record (rust/src/derive/) and the schema check
# (rust/src/schema.rs). A record whose fields are not the schema's raises TypeError.
def record_rank(record: dict[str, Any]) -> int: ...
def asker_key(record: dict[str, Any]) -> tuple[int, int]: ...
def casefold(text: str) -> str: ...
def iso_ordinal(text: str) -> int | None: ...
def split_assign(salt: str, key: str, shares: Sequence[float]) -> int: ...
def minhash_text(record: dict[str, Any]) -> str: ...
def cleaning_removed(record: dict[str, Any]) -> list[tuple[str, int]]: ...

ASKER_ANONYMOUS: list[str]
ASKER_NO_DAY: int

class Validator:
    """The record schema compiled once: ``schema`` is its JSON, ``documents`` (``$id``, JSON) of
    every schema document a ``$ref`` may name. ``is_valid`` reads Python's objects in place;
    ``is_valid_value`` converts the record to the core's record value first (the unit of work's
    verdict)."""

    def __init__(self, schema: str, documents: Sequence[tuple[str, str]]) -> None: ...
    def is_valid(self, record: Any) -> bool: ...
    def is_valid_value(self, record: Any) -> bool: ...
