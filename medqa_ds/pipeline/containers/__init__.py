"""Crawls as they come: WARC/WET files, JSONL shards and tar/zip archives, read as streams of pages.

A container is expanded where the raw folder is walked (in the main process), one member or line
at a time, so a shard is never loaded whole; its members are handed out in the same chunks as loose
files, so one big shard keeps every worker busy. Each member is named after its container
(``shard.warc.gz#record-7``, ``pages.tar!dir/p.txt``, ``x.jsonl:12``). A hostile or broken
container (``..`` or absolute member paths, links, a zip bomb, nesting too deep, a truncated
stream) gives rejects naming the container and the member or line, never a crash or a write.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..outcome import Reject
from .jsonl import Line
from .jsonl import read as _jsonl_read
from .member import Budget, ContainerError, Member, Stream

__all__ = ["TAKEDOWNS", "Line", "Member", "expand", "is_container", "read_container"]

TAKEDOWNS = "takedowns.txt"  # at the top of the raw folder: takedown entries, not a page
MAX_DEPTH = 3  # a container in a container in a container; deeper nesting is a reject


def _kind(name: str) -> str | None:
    low = name.lower()
    for kind, suffixes in (
        ("warc", (".warc", ".warc.gz", ".wet", ".wet.gz")),
        ("jsonl", (".jsonl", ".jsonl.gz", ".jsonl.zst")),
        ("tar", (".tar", ".tar.gz", ".tgz")),
        ("zip", (".zip",)),
    ):
        if low.endswith(suffixes):
            return kind
    return None


def is_container(name: str) -> bool:
    """Whether a file of this name is read as many pages (WARC/WET, JSONL, tar, zip)."""
    return _kind(name) is not None


def read_container(
    stream: Stream, name: str, label: str, max_bytes: int, budget: Budget, depth: int = 0
) -> Iterator[Line | Member | Reject]:
    """Every page of one container as a ``Member`` or a ``Reject``; a container that breaks off is
    one more reject naming it and how far it got."""
    from . import archive, warc

    if depth >= MAX_DEPTH:
        yield Reject(label, f"containers nested {depth} deep (the limit is {MAX_DEPTH}): unpack the outer ones first")
        return
    kind = _kind(name)
    assert kind is not None, f"{name} is not a container"  # callers check is_container first
    read = {"warc": warc.read, "jsonl": _jsonl_read, "tar": archive.read_tar, "zip": archive.read_zip}[kind]
    seen = 0
    try:
        for item in read(stream, name, label, max_bytes, budget, depth):
            seen += 1
            yield item
    except ContainerError as exc:
        yield Reject(label, f"{exc} (after {seen} pages of it)")
    except Exception as exc:
        yield Reject(
            label,
            f"broken or truncated container after {seen} pages ({type(exc).__name__}: {exc}); fetch or write it again",
        )


def expand(raw_dir: Path, files: Iterable[str | Reject], max_bytes: int) -> Iterator[str | Line | Member | Reject]:
    """The raw folder's files with every container replaced by its members (loose files, and the
    walk's rejects of entries, as they are); the takedown list at the top of the folder is left out."""
    for rel in files:
        if rel == TAKEDOWNS:
            continue
        if isinstance(rel, Reject) or not is_container(rel):
            yield rel
            continue
        from ..read import open_regular  # the one check that nothing outside the raw folder is read

        fd = open_regular(rel, raw_dir)
        if isinstance(fd, Reject):
            yield fd
            continue
        with open(fd, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            yield from read_container(handle, rel, rel, max_bytes, Budget.for_size(size, max_bytes))
