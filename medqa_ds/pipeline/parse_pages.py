"""Step 2: parse a page into a record and check it against the schema, or reject it with the reason."""

from __future__ import annotations

from typing import Any

from .. import schema
from ..errors import ParseError
from ..parse import parse_all
from .outcome import Page, Reject


def parse_page(page: Page) -> list[dict[str, Any] | Reject]:
    """The records of a file's pages, each valid against the schema, or ``Reject``s naming the file
    (and the line a page starts on, when the file holds several).

    A parser bug must not stop a build of a million pages: any exception becomes a reject that says
    it is a bug to report.
    """
    try:
        results = parse_all(page.text, filename=page.file)
    except ParseError as exc:
        return [Reject(page.file, exc.reason, exc.line)]
    except Exception as exc:
        return [Reject(page.file, f"parser bug ({type(exc).__name__}: {exc}); please report it with this file")]
    return [_checked(page, r) if isinstance(r, dict) else Reject(page.file, r.reason, r.line) for r in results]


def _checked(page: Page, record: dict[str, Any]) -> dict[str, Any] | Reject:
    record["provenance"].update(sha256=page.sha256, url=page.url, captured=page.captured)
    problems = schema.check(record)
    return invalid(page.file, record, problems) if problems else record


def invalid(file: str, record: dict[str, Any], problems: list[str] | None = None) -> Reject:
    """The reject of a record that breaks the schema, naming the first problem the reference
    validator finds (``problems``, found again when not given) and the page's line in its file."""
    problems = problems or schema.errors(record) or ["rejected by the core's schema check"]
    line = record["provenance"]["line"] if record["provenance"]["line"] > 1 else None
    return Reject(
        file,
        f"record breaks the schema: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
        line,
    )
