"""Today's de-identification step with the private API its all-Python version had (``_names``,
``_supplied``, ``_beside``, ``_typed``, ``_people``, ``_JOIN``), over the compiled core: what the
harnesses (deid_diff.py, deid_names_diff.py) call beside the old module, function for function.
The package itself calls the core once a record (``privacy.deidentify``) and needs none of these.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from medqa_ds import _core
from medqa_ds.pipeline import identifiers
from medqa_ds.pipeline.privacy import NAME_SITE_RULES, Policy, deidentify, file_name

__all__ = ["NAME_SITE_RULES", "Policy", "deidentify", "file_name"]

# A record's texts are joined by this separator and cleaned in one pass (rust/src/privacy/step.rs).
_JOIN = _core.DEID_JOIN
_DEFAULT = Policy()


def _names(
    patients: Iterable[str], greeted: Iterable[str], doctors: Iterable[str], sites: Iterable[str] | None = None
) -> _core.Names:
    """The people one record names: patients to replace, doctors to keep (or replace)."""
    return _core.Names(list(patients), list(greeted), list(doctors), set(sites) if sites is not None else None)


def _supplied(text: str, policy: Policy = _DEFAULT) -> list[tuple[str, str]]:
    """(rule, name) for each name a text greets, addresses, introduces or relates ("Dear Lin:",
    "Hello, Wen Hao:", "Ms.\\nLiu", "my name is Lin Mei", "my son Ethan", "the X family")."""
    return _core.deid_supplied(text, set(policy.off))


def _beside(text: str, names: _core.Names) -> list[str]:
    """Family names standing beside a replaced name in ``text`` ("[PATIENT] Khan")."""
    return _core.deid_beside(text, names)


def _typed(text: str, counts: Counter[str], names: _core.Names | None, policy: Policy = _DEFAULT) -> str:
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
