"""Build step: de-identification. What is published must not identify patients.

The parse keeps the page as it is; this step runs on each record in the build's chunks, after its id
and split hash are taken from the parsed record, so neither moves. It drops the asker's name field, replaces the
patient's name wherever it recurs (also as a salutation in an answer, with romanisation, case,
hyphen and line-break variants), and replaces contact details and identifiers with typed
placeholders. Doctors' names are kept (public professionals answering in public) unless
``redact_doctors``. Age buckets and sex are coarse and kept.

The policy is named and versioned (``POLICY``, ``POLICY_VERSION``) in the manifest and the card:
bump the version whenever what is replaced changes. Version 2 takes HIPAA Safe Harbor's list of
identifiers as its checklist. Each rule is named in ``deid_rules.RULES`` with the examples it
replaces and keeps (its contract, run by the tests with the rule on and off); it is applied here
where ``policy.uses(name)`` is checked, and counted per rule in the manifest and the card.
Phone numbers and checksummed ids are confirmed by libraries (``identifiers.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import _core, schema
from . import identifiers
from .deid_rules import RULES

if TYPE_CHECKING:
    import numpy as np

POLICY = "medqa-deid"
POLICY_VERSION = 2
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
    "MRN": 'a medical record, chart, case, patient or hospital number; its label is kept ("MRN [MRN]")',
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

# Plain and fast form of every pattern wrapped by ``_starting``, so tests can show both find the same.
STARTING: list[tuple[re.Pattern[str], re.Pattern[str]]] = []


def _starting(first: str, pattern: str, flags: int = 0, *, opening: tuple[str, str] | None = None) -> re.Pattern[str]:
    """``pattern`` behind a lookahead for the characters its matches start with (a class, wrapped in
    ``(?i:…)`` where the pattern ignores case). The matches are the same; scanning text with few such
    characters is 1.5–3× faster, since ``re`` drops every other position before trying alternatives.

    ``opening`` = (the pattern's opening, the same opening written to consume its first character
    as a plain class) is faster still for the patterns every text is scanned with: ``re`` then finds
    candidate positions with its C search for a character class.
    """
    if opening is not None:
        assert pattern.startswith(opening[0])
        fast = re.compile(opening[1] + pattern[len(opening[0]) :], flags)
    else:
        fast = re.compile(f"(?={first})(?:{pattern})", flags)
    STARTING.append((re.compile(pattern, flags), fast))
    return fast


# Contact details, identifiers and street addresses are the compiled core's (rust/src/privacy/
# typed: links, e-mails, record and identity numbers, personal dates, phones, addresses).


# --- names -----------------------------------------------------------------------------------

_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Mister|Madam|Mdm)"
_DOCTOR_TITLE = r"(?:Dr|Doctor|Prof|Professor)"
# What a greeting or an honorific is followed by that is not a person's name.
_NOT_NAMES = frozenset(
    {
        "a",
        "again",
        "all",
        "and",
        "anyone",
        "anybody",
        "baby",
        "colleague",
        "colleagues",
        "dad",
        "dear",
        "director",
        "doc",
        "doctor",
        "doctors",
        "dr",
        "everybody",
        "everyone",
        "first",
        "folks",
        "friend",
        "friends",
        "gentlemen",
        "good",
        "guys",
        "hello",
        "hey",
        "hi",
        "i",
        "it",
        "ladies",
        "ma'am",
        "maam",
        "madam",
        "madame",
        "mam",
        "mom",
        "mother",
        "father",
        "mum",
        "my",
        "netizen",
        "netizens",
        "no",
        "nurse",
        "ok",
        "okay",
        "parent",
        "parents",
        "patient",
        "patients",
        "please",
        "prof",
        "professor",
        "sir",
        "sirs",
        "sorry",
        "team",
        "thank",
        "thanks",
        "that",
        "the",
        "there",
        "this",
        "to",
        "user",
        "users",
        "we",
        "welcome",
        "well",
        "whom",
        "yes",
        "you",
        "your",
        "xxx",
    }
)
# Names that are also common words: replaced only as a capitalised word inside a sentence.
_WORD_NAMES = frozenset(
    {
        "amber",
        "angel",
        "april",
        "art",
        "bill",
        "candy",
        "cherry",
        "dawn",
        "daisy",
        "eve",
        "faith",
        "grace",
        "happy",
        "honey",
        "hope",
        "ivy",
        "jade",
        "jack",
        "joy",
        "june",
        "lily",
        "lucky",
        "mark",
        "max",
        "may",
        "mercy",
        "miles",
        "olive",
        "patience",
        "pearl",
        "pepper",
        "rain",
        "ray",
        "rose",
        "ruby",
        "sage",
        "sky",
        "star",
        "summer",
        "sunny",
        "sweet",
        "will",
        "winter",
    }
)

_NOT_NAMES_OR_EMPTY = _NOT_NAMES | {""}
_COMMON_WORDS = _WORD_NAMES | _NOT_NAMES  # never a distinctive part of a name

_NAME_TOKEN = r"[A-Z][\w'’-]*"
_GREETING = r"(?:(?i:\b(?:Dear|Hello|Hi|Hey|Hiya|Greetings|Good\s+(?:morning|afternoon|evening)))\b|(?m:^)To\b)"
# \b before a greeting's first letter, once it is consumed, is "no word character before it": (?<!\w.)
_GREETING_OPENING = (
    r"(?P<lead>" + _GREETING,
    r"(?P<lead>[DdHhGgT](?:(?<!\w.)(?i:(?<=d)ear|(?<=h)(?:ello|i|ey|iya)"
    r"|(?<=g)(?:reetings|ood\s+(?:morning|afternoon|evening)))\b|(?<=T)(?<![^\n]T)o\b)",
)
_SALUTATION = _starting(
    "[DdHhGgT]",
    r"(?P<lead>" + _GREETING + r"(?:[ \t]*,)?[ \t]*(?:" + _HONORIFIC + r"\.?\s+)?)"
    r"(?P<name>" + _NAME_TOKEN + r"(?:(?:[ \t]+|[ \t]*\n[ \t]*)" + _NAME_TOKEN + r"){0,2}|[a-z][\w'’-]{1,20})"
    r"(?=[ \t]*(?P<end>[:,!;.])|[ \t]*(?:\n|$))",
    opening=_GREETING_OPENING,
)
_ADDRESSED = _starting(
    "M",
    r"\b" + _HONORIFIC + r"\.?(?:[ \t]+|[ \t]*\n[ \t]*)(?P<name>" + _NAME_TOKEN + r"(?:[ \t]+" + _NAME_TOKEN + r")?)",
)
_DOCTOR = _starting(
    "[DP]",
    r"\b"
    + _DOCTOR_TITLE
    + r"\.?(?:[ \t]+|[ \t]*\n[ \t]*)(?P<name>"
    + _NAME_TOKEN
    + r"(?:[ \t]+"
    + _NAME_TOKEN
    + r"){0,3})",
    opening=(r"\b" + _DOCTOR_TITLE, r"[DP](?<!\w.)(?:(?<=D)(?:r|octor)|(?<=P)(?:rof|rofessor))"),
)
_TITLE_PREFIX = re.compile(r"^\s*(?:" + _DOCTOR_TITLE + "|" + _HONORIFIC + r")\.?\s+", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Z]?[a-z'’]+|[A-Z]+(?![a-z])|\d+")
_NOT_TOKEN = re.compile(r"[^\w'’]+")
_MASK = re.compile("\ue000(\\d+)\ue001")
_PATIENT_RUN = re.compile(r"\[PATIENT\](?:[ \t_-]*\n?[ \t_-]*\[PATIENT\])+")


@lru_cache(maxsize=65536)
def _tokens(name: str) -> tuple[str, ...]:
    """A name's parts: ``MeiLing`` → Mei, Ling; ``Wen-Hao`` → Wen, Hao; a leading title left out.
    Cached: a record asks for each of its doctors' several times, and the same doctors answer many pages."""
    name = _TITLE_PREFIX.sub("", name.strip())
    return tuple(_TOKEN.findall(_NOT_TOKEN.sub(" ", name)))


def _name_pattern(tokens: Sequence[str]) -> str:
    """Tokens joined by any run of spaces, line breaks, hyphens or underscores (or nothing):
    "Mei Ling", "Meiling", "Mei-Ling", "Mei.Ling", "Mei\\nLing" and "mei ling" all match."""
    return r"[\s_.-]*".join(re.escape(t) for t in tokens)


def _trim(name: str) -> str:
    """A captured name without the words after it that are not names ("Anna\\nThanks" → "Anna"),
    or "" when its first word is not a name ("Doctor", "everyone", an anonymised "XXXXXXX")."""
    words = re.split(r"(\s+)", name)
    while words and words[-1].strip(".").lower() in _NOT_NAMES_OR_EMPTY:
        words = words[:-2] if len(words) > 1 else []
    first = words[0] if words else ""
    if not first or first.lower() in _NOT_NAMES or re.fullmatch(r"X{3,}", first, re.IGNORECASE):
        return ""
    return "".join(words)


def _first_of(chars: Iterable[str], ignore_case: bool = True) -> str:
    """A lookahead for the characters a name pattern's matches start with (see ``_starting``)."""
    group = "[" + "".join(sorted(re.escape(c) for c in chars)) + "]"
    return f"(?=(?i:{group}))" if ignore_case else f"(?={group})"


class _Names:
    """The people one record names: patients to replace, doctors to keep (or replace)."""

    def __init__(
        self,
        patients: Iterable[str],
        greeted: Iterable[str],
        doctors: Iterable[str],
        sites: Iterable[str] | None = None,
    ) -> None:
        # the rules whose sites supplied a name: only they are run again where the names are replaced
        self.sites = frozenset(sites) if sites is not None else frozenset(site[0] for site in NAME_SITES)
        doctor_names = [tokens for tokens in map(_tokens, doctors) if tokens]
        self.doctor_tokens = [{t.lower() for t in tokens} for tokens in doctor_names]
        forms = sorted({_name_pattern(tokens) for tokens in doctor_names}, key=len, reverse=True)
        self._doctors = (
            (
                _first_of({tokens[0][0] for tokens in doctor_names}, ignore_case=False)
                + r"(?<![^\W_])(?:"
                + "|".join(forms)
                + r")(?![^\W_])"
            )
            if forms
            else None
        )
        parts: set[str]  # filled by update(), which gives mypy no type (the others' come from add())
        exact, parts, titled, firsts = set(), set(), set(), set()
        for name in [*patients, *(g for g in greeted if not self.is_doctor(g))]:
            tokens = _tokens(name)
            if not tokens:
                continue
            if len(tokens) == 1 and (tokens[0].lower() in _WORD_NAMES or len(tokens[0]) < 2):
                titled.add(re.escape(tokens[0][0].upper() + tokens[0][1:].lower()))
                firsts.add(tokens[0][0])
                continue
            firsts.update(t[0] for t in tokens)
            exact.add(_name_pattern(tokens))
            if len(tokens) == 2:  # given name first or family name first: both are seen
                exact.add(_name_pattern(tokens[::-1]))
            if len(tokens) > 1:  # a distinctive part alone ("Yanling, rest"), as a name is written
                parts.update(t for t in tokens if len(t) >= 4 and t.lower() not in _COMMON_WORDS and not t.isdigit())
        alternatives = []
        if exact:
            alternatives.append(
                r"(?i:(?<![^\W_])(?:" + "|".join(sorted(exact, key=len, reverse=True)) + r")(?![^\W_]))"
            )
        if parts:
            forms = sorted({f for t in parts for f in (t[0].upper() + t[1:].lower(), t.upper())}, key=len, reverse=True)
            alternatives.append(r"(?<![^\W_])(?:" + "|".join(map(re.escape, forms)) + r")(?![^\W_])")
        if titled:  # also a common word: only capitalised, and not where a sentence starts
            alternatives.append(r"(?<=[\w,;)\]] )(?:" + "|".join(sorted(titled)) + r")\b")
        self._patients = _first_of(firsts) + "(?:" + "|".join(alternatives) + ")" if alternatives else None
        # lower-case pieces one of which every match contains: the patterns run only where one is
        self.patient_words = tuple(
            {t.lower() for t in parts}
            | {t.lower() for t in titled}
            | {w.lower() for e in exact for w in re.findall(r"\w+", e)[:1]}
        )
        self.doctor_words = tuple({tokens[0].lower() for tokens in doctor_names})

    # Compiled only when a text mentions one of the names: compiling costs more than most records' scans.
    @property
    def doctors(self) -> re.Pattern[str] | None:
        """Any answering doctor's name, in any of its written forms."""
        return _compiled(self._doctors) if self._doctors else None

    @property
    def patients(self) -> re.Pattern[str] | None:
        """Any patient's name: in full, reversed, a distinctive part, or a common-word name capitalised."""
        return _compiled(self._patients) if self._patients else None

    @staticmethod
    def mentions(low: str, words: tuple[str, ...]) -> bool:
        """True when a lower-cased text holds one of ``words`` (so a name pattern may match)."""
        return any(w in low for w in words)

    def is_doctor(self, name: str) -> bool:
        """True when every part of ``name`` is part of one answering doctor's name ("Lan" of "Dr. Lan
        Shengxing"): a patient greeting the doctor, not a patient."""
        tokens = {t.lower() for t in _tokens(name)}
        return bool(tokens) and any(tokens <= d for d in self.doctor_tokens)


def _greeted(m: re.Match[str]) -> str:
    """The name a salutation match greets, or "" when it greets no one by name."""
    name = _trim(m["name"])
    if not name:
        return ""
    if m["lead"].startswith("To"):  # "To Lin:" opens a reply; "To summarize," does not
        return name if name[0].isupper() and m["end"] == ":" else ""
    if name[0].islower():  # a lower-case word after a greeting is a name only before ':' or ','
        return name if m["end"] in (":", ",") and " " not in name else ""
    return name


def _addressed(m: re.Match[str]) -> str:
    return _trim(m["name"])


# Words that are not a name where a name may stand (after "I am", a relation, beside a replaced name):
# function words, verbs a relative's sentence goes on with, demonyms and faiths, days and months.
_NOT_NAME_WORDS = frozenset(
    [
        "about",
        "after",
        "again",
        "age",
        "aged",
        "also",
        "always",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "does",
        "doing",
        "done",
        "during",
        "each",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "his",
        "how",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "like",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "never",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "often",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "really",
        "recently",
        "same",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
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
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "asked",
        "came",
        "comes",
        "complains",
        "cries",
        "coughs",
        "died",
        "drinks",
        "eats",
        "feels",
        "felt",
        "gave",
        "gets",
        "got",
        "goes",
        "had",
        "keeps",
        "kept",
        "lives",
        "looks",
        "needs",
        "passed",
        "recently",
        "said",
        "says",
        "seems",
        "sleeps",
        "snores",
        "started",
        "stopped",
        "suffers",
        "takes",
        "thinks",
        "told",
        "took",
        "tried",
        "uses",
        "used",
        "vomits",
        "wakes",
        "wants",
        "went",
        "works",
        "american",
        "asian",
        "african",
        "arab",
        "bengali",
        "british",
        "chinese",
        "christian",
        "european",
        "filipino",
        "hindu",
        "indian",
        "japanese",
        "korean",
        "muslim",
        "nigerian",
        "pakistani",
        "polish",
        "russian",
        "sikh",
        "taiwanese",
        "vietnamese",
        "buddhist",
        "jewish",
        "catholic",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "diabetic",
        "pregnant",
        "male",
        "female",
        "single",
        "married",
        "fine",
        "new",
        "sorry",
        "sure",
        "unsure",
        "here",
        "there",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "mister",
        "madam",
        "mdm",
        "dr",
        "prof",
        "sir",
    ]
)
# Diseases named after people: "I think it's Lyme.", "the Parkinson family of drugs" name no patient.
_EPONYMS = frozenset(
    [
        "addison",
        "alzheimer",
        "asperger",
        "baker",
        "barr",
        "behcet",
        "bell",
        "burkitt",
        "crohn",
        "cushing",
        "down",
        "epstein",
        "graves",
        "guillain",
        "hashimoto",
        "hodgkin",
        "huntington",
        "kaposi",
        "kawasaki",
        "klinefelter",
        "lyme",
        "marfan",
        "meniere",
        "osgood",
        "paget",
        "parkinson",
        "raynaud",
        "reiter",
        "sjogren",
        "tietze",
        "tourette",
        "turner",
        "whipple",
        "wilson",
    ]
)


def _name_words(name: str, lower_ok: bool) -> str:
    """The leading words of ``name`` that may be a person's (lower-case ones only when ``lower_ok``)."""
    kept = []
    for word in name.split():
        low = word.lower().rstrip("'’")
        if (
            low in _NOT_NAME_WORDS
            or low in _NOT_NAMES
            or len(low) < 2
            or low.endswith(("ed", "ing", "ly"))
            or (word.islower() and low.endswith("s"))  # "my sister calls", "my wife asks": a verb
            or (len(word) > 1 and word.isupper() and not lower_ok)  # "it's IBS", "I am HIV positive"
            or (not lower_ok and not word[0].isupper())
        ):
            break
        kept.append(word)
    return " ".join(kept)


_INTRO_LEAD = r"(?i:\bmy\s+name\s+is|\bmy\s+name's|\bI am|\bI['’]m|\bthis is|\bit['’]s|\bit is)"
_INTRODUCED = _starting(
    "(?i:[mti])",
    r"(?P<lead>"
    + _INTRO_LEAD
    + r")[ \t]+(?:"
    + _HONORIFIC
    + r"\.?\s+)?(?P<name>"
    + _NAME_TOKEN
    + r"(?:(?:[ \t]+|[ \t]*\n[ \t]*)"
    + _NAME_TOKEN
    + r"){0,2})"
    r"(?=(?P<end>[ \t]*(?:[,.:;!)]|\n|$|and\b|from\b)))?",
)
# "Kofi here, ..." opening a text or a line
_HERE = _starting(
    "[A-Z]",
    r"(?m:^)(?P<name>" + _NAME_TOKEN + r"(?:[ \t]+" + _NAME_TOKEN + r")?)[ \t]+here\b"
    r"(?=[ \t]*[,.!:;-])",
)
_RELATIVE = (
    r"(?:husband|wife|son|daughter|mother|father|mom|mum|dad|friend|brother|sister|boyfriend|girlfriend|"
    r"partner|fianc[eé]e?|uncle|aunt|niece|nephew|cousin|grandson|granddaughter|grandmother|grandfather|"
    r"grandma|grandpa|child|kid|neighbou?r|colleague|roommate)"
)
_RELATION = _starting(
    "(?i:m)",
    r"(?i:\bmy[ \t]+(?:(?:best|close|old|little|elder|older|younger|eldest|youngest|big|baby|twin|step|late|ex)"
    r"[ \t-]+){0,2}" + _RELATIVE + r")(?:[ \t]*,)?[ \t]+(?P<name>[A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*)?)"
    r"(?:[ \t]*\((?P<full>" + _NAME_TOKEN + r"(?:[ \t]+" + _NAME_TOKEN + r"){1,2})\))?",
)
_FAMILY = _starting(
    "[tA-Z]",
    r"(?:\bthe[ \t]+|(?<=[a-z,][ \t]))(?P<name>[A-Z][a-z'’-]+)"
    r"(?=[ \t]+[Ff]amily\b(?![ \t]+of\b))",
)
# A capitalised word beside a replaced name: the family name of a given name found alone.
_BESIDE = re.compile(r"\[PATIENT\](?:[ \t]+|-)(?P<name>[A-Z][a-z'’]{2,}(?:-[A-Z][a-z]+)?)\b")


def _introduced(m: re.Match[str]) -> list[tuple[str, str]]:
    name = _trim(m["name"])
    if not m["lead"].lower().startswith("my"):  # "I am X", "this is X": only a name standing alone
        if m["end"] is None or "'" in name or "’" in name or name.lower() in _EPONYMS:
            return []
        name = _name_words(name, lower_ok=False)
    return [("name", name)] if name else []


def _here(m: re.Match[str]) -> list[tuple[str, str]]:
    name = _name_words(_trim(m["name"]), lower_ok=False)
    return [("name", name)] if name == m["name"] else []


def _related(m: re.Match[str]) -> list[tuple[str, str]]:
    found = [("name", _name_words(m["name"], lower_ok=True))]
    if m["full"]:
        found.append(("full", _trim(m["full"])))
    return [(g, n) for g, n in found if n]


def _family(m: re.Match[str]) -> list[tuple[str, str]]:
    name = _name_words(m["name"], lower_ok=False)
    return [("name", name)] if name and name.lower() not in _COMMON_WORDS | _EPONYMS else []


def _one(extract: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], list[tuple[str, str]]]:
    def found(m: re.Match[str]) -> list[tuple[str, str]]:
        name = extract(m)
        return [("name", name)] if name else []

    return found


_HI = re.compile(r"\bh(?:i|ey|iya|ello)\b")


def _greets(text: str, low: str) -> bool:
    """A cheap, necessary condition for ``_SALUTATION``: a greeting word, or a line opening with "To"."""
    return (
        "dear" in low
        or "greetings" in low
        or "good" in low
        or text.startswith("To")
        or "\nTo" in text
        or ("h" in low and _HI.search(low) is not None)
    )


# Cheap necessary conditions, one scan each (a literal first character lets ``re`` skip ahead).
def _introduces(low: str) -> bool:
    """A cheap, necessary condition for ``_INTRODUCED`` on a lower-cased text (substring searches in C)."""
    return (
        "name" in low
        or "i am" in low
        or "i'm" in low
        or "i’m" in low
        or "this is" in low
        or "it's" in low
        or "it’s" in low
        or "it is" in low
    )


_HONORIFIC_HINT = re.compile(r"M(?:r|s|x|iss|ister|adam|dm)")

# Where a text supplies a name: (rule, pattern, a cheap necessary condition on (text, lower-cased
# text), what the match names as (group, name) pairs). Each name is replaced where it stands and,
# through ``_Names``, wherever it recurs in the record.
NAME_SITES: tuple[
    tuple[str, re.Pattern[str], Callable[[str, str], bool], Callable[[re.Match[str]], list[tuple[str, str]]]], ...
] = (
    ("salutation", _SALUTATION, _greets, _one(_greeted)),
    ("honorific", _ADDRESSED, lambda text, low: _HONORIFIC_HINT.search(text) is not None, _one(_addressed)),
    ("self-introduction", _INTRODUCED, lambda text, low: _introduces(low), _introduced),
    ("self-introduction", _HERE, lambda text, low: " here" in low, _here),
    ("relation", _RELATION, lambda text, low: "my" in low, _related),
    ("family-name", _FAMILY, lambda text, low: "family" in low, _family),
)


def _supplied(text: str, policy: Policy = Policy()) -> list[tuple[str, str]]:
    """(rule, name) for each name a text greets, addresses, introduces or relates ("Dear Lin:",
    "Hello, Wen Hao:", "Ms.\\nLiu", "my name is Lin Mei", "my son Ethan", "the X family")."""
    low = text.lower()
    return [
        (rule, name)
        for rule, pattern, hint, extract in NAME_SITES
        if policy.uses(rule) and hint(text, low)
        for m in pattern.finditer(text)
        for _, name in extract(m)
    ]


def _salutation_names(text: str, policy: Policy = Policy()) -> list[str]:
    """The names ``_supplied`` finds."""
    return [name for _, name in _supplied(text, policy)]


def _beside(text: str, names: _Names) -> list[str]:
    """Family names standing beside a replaced name in ``text`` ("[PATIENT] Khan")."""
    found = []
    for m in _BESIDE.finditer(text):
        name = m["name"]
        if name.lower() not in _NOT_NAME_WORDS and name.lower() not in _COMMON_WORDS and not names.is_doctor(name):
            found.append(name)
    return found


# --- the step --------------------------------------------------------------------------------


def _typed(text: str, counts: Counter[str], names: _Names | None, policy: Policy = Policy()) -> str:
    """Replace contact details, identifiers and street addresses, most specific first (a URL
    before the e-mail in it): the compiled step's rules (rust/src/privacy/typed)."""

    def known_name(words: str) -> bool:  # a personal URL holds a known name
        patients = names.patients if names is not None else None
        return patients is not None and patients.search(words) is not None

    text, added = _core.deid_typed(
        text, policy.off, identifiers.PHONE_CHECKS, identifiers.is_phone, identifiers.CHECKSUMS, known_name
    )
    counts.update(dict(added))
    return text


def _people(text: str, counts: Counter[str], names: _Names, policy: Policy) -> str:
    """Replace patients' names; keep doctors' names (titled, or known as an answer's author)."""
    masked: list[str] = []

    def mask(m: re.Match[str]) -> str:
        masked.append(m.group(0))
        return f"\ue000{len(masked) - 1}\ue001"

    def recurring(m: re.Match[str]) -> str:
        counts["PATIENT"] += 1
        counts["rule:name-recurs"] += 1
        return placeholder("PATIENT")

    def site(rule: str, found: list[tuple[str, str]], m: re.Match[str]) -> str:
        """The match with each name it supplies (group, name) replaced by [PATIENT]."""
        whole = m.group(0)
        for group, name in sorted(found, key=lambda f: m.start(f[0]), reverse=True):
            if not name or names.is_doctor(name):
                continue
            counts["PATIENT"] += 1
            counts[f"rule:{rule}"] += 1
            start = m.start(group) - m.start()
            whole = whole[:start] + placeholder("PATIENT") + whole[start + len(name) :]
        return whole

    def at_site(rule: str, extract: Callable[[re.Match[str]], list[tuple[str, str]]]) -> Callable[[re.Match[str]], str]:
        """``site`` for one of NAME_SITES, as ``re.sub`` calls it."""
        return lambda m: site(rule, extract(m), m)

    low = text.lower()
    if any(title in text for title in ("Dr", "Doctor", "Prof")) and policy.uses("doctor"):
        text = _DOCTOR.sub(lambda m: mask(m) if _trim(m["name"]) else m.group(0), text)
    if names.mentions(low, names.doctor_words) and names.doctors is not None and policy.uses("doctor"):
        text = names.doctors.sub(mask, text)
    for rule, pattern, hint, extract in NAME_SITES:
        if rule in names.sites and policy.uses(rule) and hint(text, low):
            text = pattern.sub(at_site(rule, extract), text)
    if policy.uses("name-recurs") and names.mentions(low, names.patient_words) and names.patients is not None:
        text = names.patients.sub(recurring, text)

    # one name written in parts ("Lin [PATIENT]" → "[PATIENT] [PATIENT]") is one replacement
    def merge(m: re.Match[str]) -> str:
        counts["PATIENT"] -= m.group(0).count(placeholder("PATIENT")) - 1
        return placeholder("PATIENT")

    if text.count(placeholder("PATIENT")) > 1:
        text = _PATIENT_RUN.sub(merge, text)

    def unmask(m: re.Match[str]) -> str:
        if not policy.redact_doctors:
            return masked[int(m.group(1))]
        counts["DOCTOR"] += 1
        return placeholder("DOCTOR")

    return _MASK.sub(unmask, text) if masked else text


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


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    """Name patterns recur (the same doctors answer many pages): compile each once."""
    return re.compile(pattern)


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


def file_name(name: str, names: _Names | None, policy: Policy = Policy()) -> str:
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
    names = _Names(patients, supplied, doctors, sites)
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
            names = _Names(patients, [*supplied, *beside], doctors, sites)
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
