"""tar and zip archives: each member is a file, as if it were in the raw folder (a container inside
one is read too). Member paths with ``..`` or absolute, links and special files are rejects: nothing
is ever extracted to disk."""

from __future__ import annotations

import posixpath
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator

from ..outcome import Reject
from .jsonl import Line
from .member import Budget, Limited, Member, Stream, decompressed, read_capped, too_big


def unsafe(name: str) -> str | None:
    """Why a member path could escape the folder it is read into, or None."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute member path"
    if ".." in name.replace("\\", "/").split("/"):
        return "a member path with '..'"
    return None


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.strip("/").split("/") if part)


def _member(
    stream: Stream, name: str, where: str, max_bytes: int, budget: Budget, depth: int
) -> Iterator[Line | Member | Reject]:
    """One regular member: its pages if it is a container itself, else the file."""
    from . import is_container, read_container

    if is_container(name):
        yield from read_container(stream, name, where, max_bytes, budget, depth + 1)
        return
    data = read_capped(stream, max_bytes)
    yield Member(where, data) if data is not None else Reject(where, too_big(max_bytes))


def read_tar(
    stream: Stream, name: str, label: str, max_bytes: int, budget: Budget, depth: int
) -> Iterator[Line | Member | Reject]:
    """Each member of a tar (``.tar``, ``.tar.gz``, ``.tgz``), streamed in the archive's order."""
    with tarfile.open(fileobj=decompressed(stream, name, budget, label), mode="r|") as archive:
        for info in archive:
            where = f"{label}!{info.name}"
            why = unsafe(info.name)
            if why:
                yield Reject(where, f"{why}: a hostile archive; nothing of it was written")
            elif info.issym() or info.islnk():
                yield Reject(where, "a link inside an archive: archive the file itself")
            elif info.isdir() or _hidden(info.name):
                continue
            elif not info.isreg():
                yield Reject(where, "a special file (device or pipe) inside an archive, not a page")
            elif info.size > max_bytes and not _is_nested(info.name):
                yield Reject(where, too_big(max_bytes))
            else:
                member = archive.extractfile(info)
                assert member is not None
                yield from _member(member, posixpath.basename(info.name), where, max_bytes, budget, depth)


def _is_nested(name: str) -> bool:
    from . import is_container

    return is_container(name)


def read_zip(
    stream: Stream, name: str, label: str, max_bytes: int, budget: Budget, depth: int
) -> Iterator[Line | Member | Reject]:
    """Each member of a zip, in its directory's order (a zip inside an archive is first copied to a
    temporary file, within the budget: zip needs to seek)."""
    if not stream.seekable():
        spool = tempfile.SpooledTemporaryFile(max_size=max_bytes)  # noqa: SIM115 - closed with the stream
        while block := stream.read(1 << 20):
            spool.write(block)
        spool.seek(0)
        stream = spool
    with zipfile.ZipFile(stream) as archive:
        for info in archive.infolist():
            where = f"{label}!{info.filename}"
            why = unsafe(info.filename)
            mode = info.external_attr >> 16
            if why:
                yield Reject(where, f"{why}: a hostile archive; nothing of it was written")
            elif stat.S_ISLNK(mode):
                yield Reject(where, "a link inside an archive: archive the file itself")
            elif info.is_dir() or _hidden(info.filename):
                continue
            elif info.flag_bits & 0x1:
                yield Reject(where, "an encrypted member: archive it without a password")
            elif info.file_size > max_bytes and not _is_nested(info.filename):
                yield Reject(where, too_big(max_bytes))
            else:
                with archive.open(info) as member:
                    counted = Limited(member, budget, where)
                    yield from _member(
                        counted,
                        posixpath.basename(info.filename),
                        where,
                        max_bytes,
                        budget,
                        depth,
                    )
