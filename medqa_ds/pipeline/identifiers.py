"""Numbers that identify a person, found by shape and confirmed by the libraries that know them.

Phone numbers are confirmed with Google's libphonenumber (``phonenumbers``) in the regions the
sites' askers write from; national ids with a checksum with ``python-stdnum``. Both libraries are
slow pure Python, so they only ever see the few digit runs a cheap pattern found first, and they
are imported on first use (the CLI starts without them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# Where the sites' askers write from, most frequent first: a national number (no "+") is tried in each.
REGIONS = (
    "IN",
    "US",
    "TW",
    "PK",
    "BD",
    "GB",
    "PH",
    "NG",
    "RU",
    "PL",
    "VN",
    "JP",
    "CN",
    "HK",
    "SG",
    "MY",
    "AU",
    "CA",
    "IE",
    "AE",
    "SA",
    "EG",
    "KE",
    "ZA",
    "DE",
    "FR",
)

# A run of digits with the separators phones are written with (what libphonenumber is asked about).
PHONE_CANDIDATE_PLAIN = r"(?<![\w+/.,:-])(?:\+[ \t]?)?\(?\d[\d \t().-]{6,18}\d(?![\w/]|[.,]\d)"
# The same, opening with a plain class (no lookbehind first): ``re`` finds where to try it with a fast class search.
PHONE_CANDIDATE = re.compile(
    r"[+(\d](?<![\w+/.,:-].)(?<=[+(\d])(?:(?<=\+)[ \t]?\(?\d|(?<=\()\d|(?<=\d))"
    r"[\d \t().-]{6,18}\d(?![\w/]|[.,]\d)"
)
# Shapes of medical numbers a run of digits can take: a date, a year range, a count with a unit after it.
_NOT_PHONE = re.compile(
    r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
    r"|(?:19|20)\d\d[ \t]*[-–][ \t]*(?:19|20)\d\d"
)
_UNIT_AFTER = re.compile(
    r"(?<![ \t])[ \t]*+(?:%|/|mg|mcg|µg|ug|ml|mmhg|mmol|iu|units?|kg|g\b|cm|mm|steps|times|cells|copies)", re.IGNORECASE
)


# How many candidates of one text libphonenumber checks (~50 µs each): a page of 500 KB of digits holds
# 140,000 of them. Past this many, a text is no prose, and a candidate shaped like a phone number is
# taken for one unchecked (replacing too much on such a page, never publishing a number).
PHONE_CHECKS = 1_000


def phone_shaped(candidate: str) -> bool:
    """True when ``candidate`` has a phone number's 8 to 15 digits and is no date or range."""
    digits = sum(c.isdigit() for c in candidate)
    return 8 <= digits <= 15 and not _NOT_PHONE.fullmatch(candidate.strip())


@lru_cache(maxsize=4096)
def is_phone(candidate: str) -> bool:
    """True when libphonenumber takes ``candidate`` for a valid number of some region it is tried in."""
    import phonenumbers

    if not phone_shaped(candidate):
        return False
    regions: tuple[str | None, ...] = (None,) if candidate.lstrip().startswith("+") else REGIONS
    for region in regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def unit_follows(text: str, end: int) -> bool:
    """True when a unit follows position ``end``: the number is a measurement, not a contact."""
    return _UNIT_AFTER.match(text, end) is not None


def _ssn(value: str) -> bool:
    from stdnum.us import ssn

    return bool(ssn.is_valid(value.replace(" ", "")))  # stdnum reads the dashed and bare forms only


def _pps(value: str) -> bool:
    from stdnum.ie import pps

    return bool(pps.is_valid(value.upper()))


def _pesel(value: str) -> bool:
    from stdnum.pl import pesel

    return bool(pesel.is_valid(value))


def _cnic(value: str) -> bool:
    from stdnum.pk import cnic

    return bool(cnic.is_valid(value))


def _my_number(value: str) -> bool:
    from stdnum.jp import in_

    return bool(in_.is_valid(value))


# (what it is, the shape a candidate has, the library's checksum that confirms it). Each shape is
# written "(?<![\w-])\d…"; it is compiled opening with its first digit, "\d(?<![\w-]\d)…" (the same
# matches), so ``re`` looks for digits with its fast class search instead of trying every position.
_SHAPES = (
    ("US SSN written with spaces or none", r"\d{3}[ ]?\d{2}[ ]?\d{4}(?![\w-])", _ssn),
    ("Irish PPS number", r"\d{7}[A-Wa-w][ABWTXabwtx]?(?![\w-])", _pps),
    ("Polish PESEL", r"\d{11}(?![\w-])", _pesel),
    ("Pakistani CNIC", r"\d{5}-?\d{7}-?\d(?![\w-])", _cnic),
    ("Japanese My Number", r"\d{4}[ -]?\d{4}[ -]?\d{4}(?![\w-])", _my_number),
)
SHAPES_PLAIN = tuple(r"(?<![\w-])" + shape for _, shape, _ in _SHAPES)


def _opening_digit(shape: str) -> str:
    """``\\d{n}…`` as ``\\d(?<![\\w-]\\d)\\d{n-1}…``: the shape behind the lookbehind, opening with a digit."""
    m = re.match(r"\\d\{(\d+)\}", shape)
    assert m is not None, shape
    return r"\d(?<![\w-]\d)\d{" + str(int(m.group(1)) - 1) + "}" + shape[m.end() :]


CHECKSUMMED: tuple[tuple[str, re.Pattern[str], Callable[[str], bool]], ...] = tuple(
    (what, re.compile(_opening_digit(shape)), valid) for what, shape, valid in _SHAPES
)
