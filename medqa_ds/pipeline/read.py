"""Step 1: find the raw files and read each one as UTF-8 text, or say why it can't be."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from .outcome import Page, Reject

DEFAULT_MAX_BYTES = 5_000_000  # a real page is tens of kilobytes; anything this big is not one page


def discover(raw_dir: Path) -> list[Path]:
    """Every regular file below ``raw_dir``, in a stable order.

    Hidden files and folders (``.gitkeep``, ``.DS_Store``, ``.git/``) are not pages and are skipped.
    """
    found = []
    for path in raw_dir.rglob("*"):
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(raw_dir).as_posix())


def read_page(path: Path, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Page | Reject:
    """The file as a ``Page``, or a ``Reject`` for empty, oversized, binary or non-UTF-8 files."""
    rel = path.relative_to(raw_dir).as_posix()
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Reject(rel, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                               "for one page (raise --max-bytes if it really is one page)")
        data = path.read_bytes()
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
    for path in discover(raw_dir):
        yield read_page(path, raw_dir, max_bytes)
