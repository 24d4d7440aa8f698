"""``parse``: one page's text to one record."""

from __future__ import annotations

import hashlib
from typing import Any

from . import sources
from .errors import ParseError
from .text import lines_of, record_id


def parse(text: str, filename: str | None = None) -> dict[str, Any]:
    """A faithful record of the page (nothing redacted); the format is detected from the text.

    ``filename`` only goes into ``provenance.file``: the id depends on the page, not its name.
    Raises ``ParseError`` (a ``ValueError``) with the reason when the text is not a page a known
    source recognises, or holds no answer.
    """
    if "\x00" in text:
        raise ParseError("binary data: the text holds NUL bytes")
    lines = lines_of(text)
    if not any(lines):
        raise ParseError("empty page: no text")
    source = sources.detect(lines)
    record = source.parse(lines)
    record["id"] = record_id(source.name, source.id_key(record))
    record["provenance"] = {
        "file": filename if filename is not None else "<text>",
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "parser": source.parser,
    }
    return record
