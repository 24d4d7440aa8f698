"""Step 1: find the raw files and read each one as UTF-8 text, or say why it can't be."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .containers import Line, Member
from .outcome import Page, Reject

DEFAULT_MAX_BYTES = 5_000_000  # a real page is tens of kilobytes; anything this big is not one page


def discover(raw_dir: Path) -> Iterator[str]:
    """Every regular file below ``raw_dir`` as a path relative to it (``posix/style``), in sorted
    order of path components (``a/b.txt`` before ``a-b.txt``; in one folder, plain name order).

    A generator: a folder is listed when the walk reaches it, so a million pages in folders of a
    thousand are never all in memory at once (a flat folder is listed whole, as the OS gives it).
    Hidden files and folders (``.gitkeep``, ``.DS_Store``, ``.git/``) are not pages and are skipped;
    symlinked folders are not followed.
    """
    def walk(folder: str, prefix: str) -> Iterator[str]:
        with os.scandir(folder) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                yield prefix + entry.name

    return walk(os.fspath(raw_dir), "")


def count_files(raw_dir: Path) -> int:
    """How many files ``discover`` yields (for a progress bar's total)."""
    return sum(1 for _ in discover(raw_dir))


def read_page(rel: str, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Page | Reject:
    """The file ``raw_dir/rel`` as a ``Page``, or a ``Reject`` for empty, oversized, binary or
    non-UTF-8 files."""
    path = os.path.join(raw_dir, rel)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            return Reject(rel, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                               "for one file (raise --max-bytes if it really is a page, or a corpus file of many "
                               "such as MedDialog's)")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return Reject(rel, f"cannot read the file: {exc.strerror or exc}")
    return decode(rel, data)


def read_entry(entry: str | Line | Member | Reject, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Page | Reject:
    """One unit of a chunk as a ``Page`` or ``Reject``: a loose file (its path), a container's
    member (read by ``containers.expand``) or a container's reject, passed on."""
    if isinstance(entry, str):
        return read_page(entry, raw_dir, max_bytes)
    if isinstance(entry, Line):
        entry = entry.member()
    if isinstance(entry, Reject):
        return entry
    page = decode(entry.file, entry.data)
    return replace(page, url=entry.url, captured=entry.captured) if isinstance(page, Page) else page


def decode(rel: str, data: bytes) -> Page | Reject:
    """Check and decode one file's bytes."""
    if not data.strip():
        return Reject(rel, "empty file: no text")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return Reject(rel, "UTF-16 text: save the page as UTF-8")
    if b"\x00" in data:
        return Reject(rel, "binary file (holds NUL bytes), not a text page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data[:offset].count(b"\n") + 1
        return Reject(rel, f"invalid UTF-8 (byte {offset}): save the page as UTF-8", line=line)
    return Page(rel, text, hashlib.sha256(data).hexdigest(), len(data))
