"""Step 1: find the raw files and read each one as UTF-8 text, or say why it can't be."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .. import _core
from ..errors import shown
from .containers import Line, Member
from .outcome import Page, Reject

DEFAULT_MAX_BYTES = 5_000_000  # a real page is tens of kilobytes; anything this big is not one page
MAX_DEPTH = 1000  # folders nested deeper are not a corpus's layout (and near the OS's path limit)

# What the walk yields: a file's path relative to the raw folder, or the reject of an entry that
# cannot be one (a folder that cannot be listed, a name that is not UTF-8, a folder nested too deep).
Entry = str | Reject


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def discover(raw_dir: Path) -> Iterator[Entry]:
    """Every entry below ``raw_dir`` that is not a folder, as a path relative to it (``posix/style``),
    in sorted order of path components (``a/b.txt`` before ``a-b.txt``; in one folder, plain name
    order); or a ``Reject`` for an entry the walk cannot pass on (see ``Entry``).

    A generator: a folder is listed when the walk reaches it, so a million pages in folders of a
    thousand are never all in memory at once (a flat folder is listed whole, as the OS gives it).
    Hidden files and folders (``.gitkeep``, ``.DS_Store``, ``.git/``) are not pages and are skipped.
    Symlinks, FIFOs and the like are passed on, for ``read_page`` to reject or read: symlinked
    folders are never followed, so the walk cannot loop. The walk keeps its own stack, so no depth
    of nesting reaches Python's recursion limit.
    """
    stack: list[Iterator[tuple[str, str, bool]]] = []

    def listing(folder: str, prefix: str) -> Iterator[tuple[str, str, bool]] | Reject:
        try:
            with os.scandir(folder) as found:
                entries = []
                for e in found:
                    if e.name.startswith("."):
                        continue
                    try:
                        is_dir = e.is_dir(follow_symlinks=False)
                    except OSError:
                        is_dir = False  # read_page says what is wrong with it
                    entries.append((e.name, e.path, is_dir))
        except OSError as exc:
            return Reject(
                shown(prefix.rstrip("/") or "."),
                f"cannot list the folder: {exc.strerror or exc} (its files were not read)",
            )
        entries.sort()
        return iter([(prefix + name, path, is_dir) for name, path, is_dir in entries])

    def push(folder: str, prefix: str) -> Iterator[Entry]:
        found = listing(folder, prefix)
        if isinstance(found, Reject):
            yield found
        else:
            stack.append(found)

    yield from push(os.fspath(raw_dir), "")
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        rel, path, is_dir = entry
        if not _utf8(rel):
            what = "folder" if is_dir else "file"
            yield Reject(
                shown(rel),
                f"{what} name is not valid UTF-8: rename it" + (" (its files were not read)" if is_dir else ""),
            )
        elif is_dir and len(stack) > MAX_DEPTH:  # the entry is len(stack) folders deep
            yield Reject(rel, f"folder nested more than {MAX_DEPTH} deep: move its files up (they were not read)")
        elif is_dir:
            yield from push(path, rel + "/")
        else:
            yield rel


def count_files(raw_dir: Path) -> int:
    """How many entries ``discover`` yields (for a progress bar's total)."""
    return sum(1 for _ in discover(raw_dir))


def open_regular(rel: str, raw_dir: Path) -> int | Reject:
    """A read-only descriptor on the regular file ``rel`` names, never anything outside ``raw_dir``
    (the rules of ``read_bytes``, for a container that is streamed rather than read whole)."""
    fd = _core.open_regular(raw_dir, rel)
    if isinstance(fd, str):
        return Reject(rel, fd)
    if sys.platform == "win32":  # the core gives a handle there
        import msvcrt

        return msvcrt.open_osfhandle(fd, os.O_RDONLY)
    return fd


def read_bytes(rel: str, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | Reject:
    """The bytes of the file ``raw_dir/rel``, or a ``Reject`` for what is not a regular file inside
    the raw folder, and for a file over ``max_bytes``.

    The rules are the core's (rust/src/unit/read.rs), which the build's unit of work applies on its
    threads: a symlink is followed only to a regular file inside the raw folder; a FIFO, socket,
    device or folder is a reject saying what it is; the file is opened without blocking (a FIFO
    would wait forever) and checked again once open, so an entry swapped after the walk is caught.
    """
    data = _core.read_file(raw_dir, rel, max_bytes)
    return Reject(rel, data) if isinstance(data, str) else data


def read_page(rel: str, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Page | Reject:
    """The file ``raw_dir/rel`` as a ``Page``, or a ``Reject`` for what is not a regular file inside
    the raw folder, and for empty, oversized, binary or non-UTF-8 files."""
    data = read_bytes(rel, raw_dir, max_bytes)
    return data if isinstance(data, Reject) else decode(rel, data)


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
    """Check and decode one file's bytes: empty, UTF-16, binary (NUL bytes) and invalid UTF-8 files
    are rejects saying so (the rules are the core's, rust/src/unit/decode.rs, which the build's
    unit of work applies on its threads)."""
    text = _core.decode(data)
    if isinstance(text, tuple):
        reason, line = text
        return Reject(rel, reason, line=line)
    return Page(rel, text, hashlib.sha256(data).hexdigest(), len(data))
