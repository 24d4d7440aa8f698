"""Errors that tell the user what went wrong and what to do about it."""

from __future__ import annotations

import os


class ParseError(ValueError):
    """The text is not a page that a known source can parse; the message says why.

    ``line`` is the 1-based line the problem was found on, when one line is to blame.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


class UsageError(Exception):
    """A command cannot run as asked; the message is one line saying what to do."""


def shown(name: str) -> str:
    """``name`` safe to print and to write as UTF-8: undecodable bytes (kept by the OS as
    surrogates) and control characters (a newline, a terminal escape) as backslash escapes."""
    raw = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in raw)
