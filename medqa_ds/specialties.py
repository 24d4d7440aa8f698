"""Map the spellings pages use for a specialty or role to one canonical name (``schema/specialties.schema.json``)."""

from __future__ import annotations

from functools import cache, lru_cache

from . import _core, schema


def _key(name: str) -> str:
    """Lower-cased, ``&`` as `` and ``, every run of other characters than ``[a-z0-9/]`` one space:
    the rule lives in the compiled core (rust/src/specialties.rs), which its parsers use too."""
    return _core.specialty_key(name)


@cache
def _lookup() -> dict[str, str]:
    doc = schema.load(schema.SPECIALTY_SCHEMA)
    table = {_key(name): name for name in doc["enum"] if name}
    for name, variants in doc["x-variants"].items():
        table.update({_key(v): name for v in variants})
    return table


def table() -> dict[str, str]:
    """Every spelling's key and its canonical name: what the compiled parsers look names up in."""
    return dict(_lookup())


CACHE_SIZE = 4096  # the vocabulary's spellings fit many times over; parsers feed it breadcrumb prefixes too


@lru_cache(maxsize=CACHE_SIZE)  # bounded: pages bring endless distinct strings, a worker must not grow
def canonical(name: str | None) -> str | None:
    """The canonical specialty for ``name`` ('General & Family Physician' → 'Family Medicine'), or None."""
    if not name:
        return None
    return _lookup().get(_key(name))


def names() -> list[str]:
    """Every canonical specialty name."""
    return sorted(set(_lookup().values()))
