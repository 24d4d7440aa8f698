"""``parse``: one page's text to one record."""

from __future__ import annotations

import hashlib
from typing import Any

from . import cleaning, sources
from .errors import ParseError
from .text import lines_of, record_id


def parse_all(text: str, filename: str | None = None) -> list[dict[str, Any] | ParseError]:
    """Every page a file holds, parsed: a record, or the ``ParseError`` that page gave (its ``line``
    counted from the start of the file).

    Raises ``ParseError`` when the text as a whole is not a file of a known source.
    """
    if "\x00" in text:
        raise ParseError("binary data: the text holds NUL bytes")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate ("\ud800"): a str that is not Unicode text
        bad = text[exc.start]
        raise ParseError(
            f"not valid Unicode text: a lone surrogate U+{ord(bad):04X}; decode the page as UTF-8 with errors='strict'",
            text.count("\n", 0, exc.start) + 1,
        ) from None
    lines = lines_of(text)
    if not any(lines):
        raise ParseError("empty page: no text")
    source = sources.detect(lines)
    digest = hashlib.sha256(data).hexdigest()
    results: list[dict[str, Any] | ParseError] = []
    for first_line, page in source.pages(text):
        try:  # a one-page file is split into lines once, not once per step
            record = source.parse(list(lines) if page is text else lines_of(page))
        except ParseError as exc:
            results.append(ParseError(exc.reason, first_line + (exc.line - 1 if exc.line else 0)))
            continue
        record["id"] = record_id(source.name, source.id_key(record))
        record["provenance"] = {
            "file": filename if filename is not None else "<text>",
            "line": first_line,
            "sha256": digest,
            "parser": source.parser,
            "url": None,
            "captured": None,
        }
        results.append(cleaning.apply(record))
    return results


def parse(text: str, filename: str | None = None) -> dict[str, Any]:
    """A faithful record of the page (nothing redacted); the format is detected from the text.

    ``filename`` only goes into ``provenance.file``: the id depends on the page, not its name.
    Raises ``ParseError`` (a ``ValueError``) with the reason when the text is not a page a known
    source recognises, or holds no answer. A file of several pages needs ``parse_all``.
    """
    results = parse_all(text, filename)
    if len(results) != 1:
        raise ParseError(f"the text holds {len(results)} pages, not one: use medqa_ds.parse_all")
    if isinstance(results[0], ParseError):
        raise results[0]
    return results[0]
