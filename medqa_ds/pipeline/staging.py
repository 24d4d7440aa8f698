"""Outputs appear whole or not at all: a build writes into a staging folder and swaps it in.

One build at a time per output folder (a lock file beside it); a build that died (kill -9, power
loss) leaves staging and spill folders named with its PID, which the next build into the same
folder removes once that PID is gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import interrupts
from ..errors import UsageError

MARKER = "manifest.json"
# What a build leaves beside ``out`` while it runs, each ending in the PID of the build.
_WORK = ("tmp", "old", "spill")
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux): swap two paths in one step
_AT_FDCWD = -100
_held: dict[Path, int] = {}  # out -> lock file descriptor, for the outputs this process has locked


def work_path(out: Path, kind: str, pid: int | None = None) -> Path:
    """The folder of ``kind`` (one of ``_WORK``) a build with ``pid`` uses beside ``out``."""
    return out.with_name(f".{out.name}.{kind}-{os.getpid() if pid is None else pid}")


class Busy(UsageError):
    """Another build is writing the same output folder."""


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock for the block, after removing what dead builds left beside it.

    The lock is ``flock`` on ``.<out>.lock``: the kernel drops it when its holder dies however it
    dies, so a stale lock never blocks a build (its file stays until the next build). Re-entrant
    within one process.
    """
    out = out.resolve()
    if out in _held:
        yield
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.with_name(f".{out.name}.lock")
    fd = _acquire(lock, out)
    _held[out] = fd
    try:
        clean_stale(out)
        yield
    finally:
        del _held[out]
        os.unlink(lock)  # while still held: a build that opened it meanwhile sees it gone and retries
        os.close(fd)


def _acquire(lock: Path, out: Path) -> int:
    """The descriptor of ``lock``, locked by this process, with this PID written in it."""
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise Busy(
                f"another build is writing {out}"
                + (f" (pid {holder})" if holder else "")
                + ": wait for it to finish, or choose another --out"
            ) from None
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            return fd
        os.close(fd)  # the holder removed it as we locked it: lock the file that is there now


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(out: Path) -> list[Path]:
    """Remove the staging, spill and old folders of dead builds into ``out``; put back an ``out``
    that a build killed mid-swap had moved aside. Returns what was removed."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.({'|'.join(_WORK)})-(\d+)(?:-.*)?$")
    removed = []
    for entry in sorted(out.parent.iterdir()) if out.parent.is_dir() else []:
        m = pattern.match(entry.name)
        if not m or int(m.group(2)) == os.getpid() or _alive(int(m.group(2))):
            continue
        if m.group(1) == "old" and not out.exists() and (entry / MARKER).is_file():
            entry.rename(out)  # a swap by two renames was cut between them: the old output comes back
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # the filesystem cannot: fall back
        return False
    raise OSError(err, os.strerror(err), os.fspath(a))


def publish(tmp: Path, out: Path) -> None:
    """Make ``tmp`` the folder at ``out`` in one step, so a reader (and a kill) sees the old output or
    the new one, never neither. Where the OS cannot swap in one step, two renames, and a build cut
    between them is put right by the next build's ``clean_stale``."""
    if not out.exists():
        tmp.rename(out)
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old output
        return
    old = work_path(out, "old")
    out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``out``; on success it replaces ``out`` in one step.

    On any error the staging folder is removed and ``out`` is left exactly as it was. An existing
    ``out`` that is not a medqa_ds build (no manifest.json) is never replaced. ``out`` is locked
    for the block (see ``locked``).
    """
    out = out.resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(f"{out} exists and is not a medqa_ds build (no {MARKER}): choose another --out or remove it")
    with locked(out):
        tmp = work_path(out, "tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            yield tmp
            interrupts.check()  # a signal whose exception was dropped must not publish
            publish(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
