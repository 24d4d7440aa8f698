"""Takedowns: pages their authors or sites asked to remove, dropped by every build and release.

``takedowns.txt`` (at the top of the raw folder, or ``--takedowns FILE``) holds one entry a line:
a record id, a URL, or the sha256 of the page's text, optionally followed by a tab and a reason.
A matching page is dropped in the worker, before anything of it is spilled or written; the build
counts it and lists its id (ids only: no text, URL or file name of it reaches any output).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import _core
from .containers import TAKEDOWNS

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ID = re.compile(r"^[a-z][a-z0-9_]*-[0-9a-f]{16}$")


@dataclass(frozen=True)
class Entry:
    key: str
    reason: str | None


@dataclass(frozen=True)
class Takedowns:
    """The entries of a takedown list, by kind."""

    ids: frozenset[str] = frozenset()
    urls: frozenset[str] = frozenset()
    digests: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.ids) + len(self.urls) + len(self.digests)


def entries(path: Path) -> list[Entry]:
    """The entries of a takedown file (blank lines and ``#`` comments skipped)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, reason = line.partition("\t")
        out.append(Entry(key.strip(), reason.strip() or None))
    return out


def load(path: Path | None) -> Takedowns:
    """The takedown list at ``path`` (none when ``path`` is None or missing)."""
    if path is None or not path.is_file():
        return Takedowns()
    return of_keys([e.key for e in entries(path)])


def of_keys(keys: list[str]) -> Takedowns:
    """Entries sorted by kind: an id looks like ``source-<16 hex>``, a digest is 64 hex, else a URL."""
    return Takedowns(
        ids=frozenset(k for k in keys if _ID.match(k)),
        urls=frozenset(k for k in keys if not _ID.match(k) and not _SHA256.match(k.lower())),
        digests=frozenset(k.lower() for k in keys if _SHA256.match(k.lower())),
    )


def matching(folder: Path, takedowns: Takedowns) -> list[tuple[str, str]]:
    """(id, split) of every record of a built folder the takedowns match (by id, URL or the raw
    bytes' sha256: the text digest needs the raw page, which the next build checks). The rule is
    the unit's (rust/src/unit/takedowns.rs), which drops the pages in a build."""
    from .. import folder as built

    found = []
    listed = (set(takedowns.ids), set(takedowns.urls), set(takedowns.digests))
    for split in built.manifest(folder)["splits"]:
        rows = built.records(folder, split, columns=["id", "provenance"])
        keys = [(r["id"], r["provenance"].get("url"), r["provenance"].get("sha256")) for r in rows]
        found += [(key[0], split) for key, hit in zip(keys, _core.taken_down(listed, keys), strict=True) if hit]
    return found


def default_path(raw_dir: Path, given: Path | None = None) -> Path:
    """``--takedowns FILE`` if given, else ``takedowns.txt`` at the top of the raw folder."""
    return given if given is not None else raw_dir / TAKEDOWNS


def append(path: Path, key: str, reason: str | None = None) -> None:
    """Add one entry (a tab and the reason after it, on one line)."""
    reason = " ".join((reason or "").split())
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    with path.open("a", encoding="utf-8") as f:
        if existing and not existing.endswith("\n"):
            f.write("\n")
        f.write(f"{key.strip()}\t{reason}\n" if reason else f"{key.strip()}\n")
