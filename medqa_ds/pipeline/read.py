"""Step 1: find the raw files and read each one as UTF-8 text, or say why it can't be."""

from __future__ import annotations

import hashlib
import os
import stat
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


_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


def open_regular(rel: str, raw_dir: Path) -> int | Reject:
    """A read-only descriptor on the regular file ``rel`` names, never anything outside ``raw_dir``.

    A symlink is followed only to a regular file inside the raw folder; everything else that is not
    a regular file is a reject saying what it is. The file is opened without blocking (a FIFO would
    wait forever) and checked again once open, so an entry swapped after the walk is caught too.
    """
    path = os.path.join(raw_dir, rel)
    if os.path.islink(path):
        try:
            target = os.path.realpath(path, strict=True)
        except FileNotFoundError:
            return Reject(rel, "broken symlink: its target does not exist")
        except OSError as exc:
            return Reject(rel, f"symlink that cannot be followed: {exc.strerror or exc} (a symlink loop?)")
        root = os.path.realpath(raw_dir)
        if os.path.commonpath([root, target]) != root:
            return Reject(rel, "symlink to outside the raw folder: not read (copy the file in instead)")
        if os.path.isdir(target):
            return Reject(rel, "symlink to a folder: not followed (move or copy the folder in instead)")
        path = target
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        return Reject(
            rel, f"not a regular file but {_KINDS.get(stat.S_IFMT(mode), 'a special file')}: only text files are pages"
        )
    return fd


def read_bytes(rel: str, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | Reject:
    """The bytes of the file ``raw_dir/rel``, or a ``Reject`` for what is not a regular file inside
    the raw folder, and for a file over ``max_bytes``."""
    try:
        fd = open_regular(rel, raw_dir)
        if isinstance(fd, Reject):
            return fd
        with open(fd, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                return Reject(
                    rel,
                    f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                    "for one file (raise --max-bytes if it really is a page, or a corpus file of "
                    "many such as MedDialog's)",
                )
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return Reject(rel, f"cannot read the file: {exc.strerror or exc}")
    if len(data) > max_bytes:  # it grew after the size was taken
        return Reject(rel, f"file is over the {max_bytes / 1e6:.1f} MB limit for one file (raise --max-bytes)")
    return data


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
