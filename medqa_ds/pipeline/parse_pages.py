"""Step 2: parse a page into a record and check it against the schema, or reject it with the reason."""

from __future__ import annotations

from typing import Any

from .. import schema
from ..errors import ParseError
from ..parse import parse
from .outcome import Page, Reject


def parse_page(page: Page) -> dict[str, Any] | Reject:
    """One page's record, valid against the schema, or a ``Reject`` naming the file.

    A parser bug must not stop a build of a million pages: any exception becomes a reject that says
    it is a bug to report.
    """
    try:
        record = parse(page.text, filename=page.file)
    except ParseError as exc:
        return Reject(page.file, exc.reason, exc.line)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the build
        return Reject(page.file, f"parser bug ({type(exc).__name__}: {exc}); please report it with this file")
    record["provenance"]["sha256"] = page.sha256
    problems = schema.errors(record)
    if problems:
        return Reject(page.file, f"record breaks the schema: {problems[0]}"
                                 + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return record
