"""The built-in sources' compiled parser (rust/src/parse.rs): every built-in source's parser with
the schema's blanks, the specialty table and the repairs' lexicon, built once per process. It
parses a page into its record (what each built-in ``Source.parse`` returns), a whole file into its
finished records (``parse_all`` when no plug-in is installed), and detects a page's source."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from .. import _core, schema
from ..errors import ParseError
from ..specialties import table

# The record's list fields whose items have a blank of their own, in the core's order (record.rs).
ITEM_FIELDS = ("answers", "follow_ups", "related")


@cache
def parser() -> _core.Parser:
    """The compiled parser; the built-in sources' names, versions and markers are their classes'."""
    from . import _builtin_classes  # late: the classes' modules import this one

    return _core.Parser(
        json.dumps(schema.blank()),
        [json.dumps(schema.blank_item(field)) for field in ITEM_FIELDS],
        table(),
        _words(),
        [(c.name, c.version, list(c.markers)) for c in _builtin_classes()],
    )


def _words() -> str:
    from .common import _words  # late: common builds on the compiled parser too

    return _words()


def parse(source: str, lines: Sequence[str]) -> dict[str, Any]:
    """The built-in ``source``'s record of the page (``id`` and ``provenance`` are the caller's);
    raises ``ParseError`` (with the line to blame, when one is) when the page gives none."""
    try:
        return parser().parse(source, lines)
    except _core.PageError as exc:
        reason, line = exc.args
        raise ParseError(reason, line=line) from None


def claims(source: str, lines: Sequence[str], fragment: bool = False) -> bool:
    """The built-in ``source``'s ``detect`` (or ``recognises_fragment``) of the page."""
    return parser().claims(source, lines, fragment)
