"""Outputs appear whole or not at all: a build writes into a staging folder and swaps it in."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import UsageError

MARKER = "manifest.json"


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``out``; on success it replaces ``out`` in two renames.

    On any error the staging folder is removed and ``out`` is left exactly as it was. An existing
    ``out`` that is not a medqa_ds build (no manifest.json) is never replaced.
    """
    out = out.resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(f"{out} exists and is not a medqa_ds build (no {MARKER}): choose another --out or remove it")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
