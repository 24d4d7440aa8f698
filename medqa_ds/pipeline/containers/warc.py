"""WARC and WET files (``.warc``, ``.warc.gz``, ``.wet``, ``.wet.gz``), streamed with warcio.

A ``conversion`` record (WET: the page's extracted text) is a page, and so is a ``response`` whose
payload is ``text/plain``; ``WARC-Target-URI`` and ``WARC-Date`` give its URL and capture date.
Records that hold no page (``warcinfo``, ``request``, ``metadata``, ``revisit``) are skipped;
responses of other types are rejects.
"""

from __future__ import annotations

from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator

from ..outcome import Reject
from .member import Budget, Limited, Member, Stream, iso_datetime, read_capped, too_big

_NOT_PAGES = frozenset({"warcinfo", "request", "metadata", "revisit"})


def read(
    stream: Stream, name: str, label: str, max_bytes: int, budget: Budget, depth: int
) -> Iterator[Member | Reject]:
    """Each page record as a ``Member`` named ``label#record-N`` (N counts every record, from 1)."""
    records = ArchiveIterator(stream, check_digests=False)
    for number, record in enumerate(records, 1):
        where = f"{label}#record-{number}"
        if record.format != "warc":  # warcio also reads ARC files, and takes anything for one
            raise ValueError(f"record {number} is not a WARC record (no WARC/1.x header)")
        kind = record.rec_type
        if kind in _NOT_PAGES:
            continue
        if kind == "response":
            mime = (
                (record.http_headers.get_header("Content-Type") if record.http_headers else None)
                or record.rec_headers.get_header("Content-Type")
                or ""
            )
            if mime.split(";")[0].strip().lower() != "text/plain":
                yield Reject(where, f"a {mime or 'untyped'} response, not text/plain: save the pages' text (WET)")
                continue
        elif kind != "conversion":
            yield Reject(where, f"a WARC {kind} record, not a page (conversion or text/plain response)")
            continue
        data = read_capped(Limited(record.content_stream(), budget, where), max_bytes)
        if data is None:
            yield Reject(where, too_big(max_bytes))
            continue
        if getattr(record.raw_stream, "limit", 0) > 0:  # the stream ended before Content-Length did
            raise ValueError(f"record {number} is cut short (the file ends inside it)")
        url = record.rec_headers.get_header("WARC-Target-URI")
        yield Member(where, data, url or None, iso_datetime(record.rec_headers.get_header("WARC-Date")))
