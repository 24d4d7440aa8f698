"""``parse``: one page's text to one record."""

from __future__ import annotations

import hashlib
from typing import Any

from . import _core, sources
from .errors import ParseError
from .sources import compiled
from .text import lines_of


def parse_all(text: str, filename: str | None = None) -> list[dict[str, Any] | ParseError]:
    """Every page a file holds, parsed: a record, or the ``ParseError`` that page gave (its ``line``
    counted from the start of the file).

    Raises ``ParseError`` when the text as a whole is not a file of a known source. With only the
    built-in sources installed the whole file is the compiled core's (rust/src/parse.rs); with
    plug-ins, each page is parsed by its source here, and finished (id, provenance, cleaning) by
    the core.
    """
    # What only a Python str can hold is checked here: a str that is not Unicode never reaches the
    # core. The NUL check comes first, as the core's does.
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
    if not sources.plugins():
        try:
            pages = compiled.parser().parse_file(text, filename)
        except _core.PageError as exc:
            reason, line = exc.args
            raise ParseError(reason, line) from None
        return [ParseError(*page) if isinstance(page, tuple) else page for page in pages]
    return _parse_pages(text, data, filename)


def _parse_pages(text: str, data: bytes, filename: str | None) -> list[dict[str, Any] | ParseError]:
    """``parse_all`` with plug-ins installed: detection among every source, each page parsed by the
    one it is of."""
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
        key = source.id_key(record)
        results.append(_core.finish_record(record, source.name, key, filename, first_line, digest, source.parser))
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
