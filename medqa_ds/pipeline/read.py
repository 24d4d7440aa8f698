"""Step 1: find the raw files and read each one as UTF-8 text, or say why it can't be."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from .outcome import Page, Reject

DEFAULT_MAX_BYTES = 5_000_000  # a real page is tens of kilobytes; anything this big is not one page


def discover(raw_dir: Path) -> list[str]:
    """Every regular file below ``raw_dir`` as a path relative to it (``posix/style``), sorted.

    Hidden files and folders (``.gitkeep``, ``.DS_Store``, ``.git/``) are not pages and are skipped.
    Paths are kept as strings, not ``Path`` objects: a million of those would take 400 MB in the
    main process (and again in every forked worker that touches them), strings a fifth of it.
    """
    found = []
    for folder, dirs, files in os.walk(raw_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # symlinked folders are not followed
        base = os.path.relpath(folder, raw_dir).replace(os.sep, "/")
        prefix = "" if base == "." else base + "/"
        found += [prefix + f for f in files if not f.startswith(".") and os.path.isfile(os.path.join(folder, f))]
    found.sort()
    return found


def read_page(rel: str, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Page | Reject:
    """The file ``raw_dir/rel`` as a ``Page``, or a ``Reject`` for empty, oversized, binary or
    non-UTF-8 files."""
    path = os.path.join(raw_dir, rel)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            return Reject(rel, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                               "for one page (raise --max-bytes if it really is one page)")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return Reject(rel, f"cannot read the file: {exc.strerror or exc}")
    return decode(rel, data)


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


def read_all(raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Page | Reject]:
    """Read every raw file in order."""
    for rel in discover(raw_dir):
        yield read_page(rel, raw_dir, max_bytes)
