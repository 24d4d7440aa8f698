"""Numbers that identify a person, found by shape and confirmed by the libraries that know them.

Phone numbers are confirmed with Google's libphonenumber (``phonenumbers``) in the regions the
sites' askers write from; national ids with a checksum with ``python-stdnum``. Both libraries are
slow pure Python, so they only ever see the few digit runs the compiled step (rust/src/privacy/typed)
found first, and they are imported on first use (the CLI starts without them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from .. import _core

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

# How many candidates of one text libphonenumber checks (~50 µs each): a page of 500 KB of digits holds
# 140,000 of them. Past this many, a text is no prose, and a candidate shaped like a phone number is
# taken for one unchecked (replacing too much on such a page, never publishing a number). Read at each
# call of the step (rust/src/privacy/typed finds the candidates and asks ``is_phone`` about them).
PHONE_CHECKS = 1_000


def phone_shaped(candidate: str) -> bool:
    """True when ``candidate`` has a phone number's 8 to 15 digits and is no date or range (the
    compiled core's rule, rust/src/privacy/typed/phones.rs)."""
    return _core.phone_shaped(candidate)


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


# The checksums that confirm a number of one of the shapes the compiled step finds
# (rust/src/privacy/typed/ids.rs, ``CHECKSUMMED``, in this order): US SSN written with spaces or none,
# Irish PPS number, Polish PESEL, Pakistani CNIC, Japanese My Number.
CHECKSUMS: tuple[Callable[[str], bool], ...] = (_ssn, _pps, _pesel, _cnic, _my_number)
