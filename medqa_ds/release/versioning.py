"""Semantic versions and the contract each kind of bump keeps (after TFDS's versioning notes).

- PATCH: the same record ids in the same splits; text may be corrected.
- MINOR: records added, existing ids keep their split; fields added backward-compatibly.
- MAJOR: records removed or moved between splits; fields removed, renamed or retyped.
"""

from __future__ import annotations

import re

from ..errors import UsageError

LEVELS = ("patch", "minor", "major")
_SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")


class ContractError(UsageError):
    """A release would break the promise of its version number, or reuse one."""


def parse_version(text: str) -> tuple[int, int, int]:
    """``1.2.3`` or ``v1.2.3`` as a tuple; ``UsageError`` otherwise."""
    m = _SEMVER.match(text.strip())
    if not m:
        raise UsageError(f"version {text!r} is not X.Y.Z (for example 1.0.0)")
    return int(m[1]), int(m[2]), int(m[3])


def tag_of(version: str) -> str:
    """The Hub tag of a version: ``v1.2.3``."""
    return "v" + ".".join(map(str, parse_version(version)))


def latest(tags: list[str]) -> str | None:
    """The highest ``vX.Y.Z`` tag's version (other tags are ignored), or None."""
    versions = [parse_version(t) for t in tags if _SEMVER.match(t) and t.startswith("v")]
    return ".".join(map(str, max(versions))) if versions else None


def level(old: str, new: str) -> str | None:
    """Which part ``new`` bumps over ``old`` (``major``/``minor``/``patch``), or None if not greater."""
    a, b = parse_version(old), parse_version(new)
    if b <= a:
        return None
    return "major" if b[0] != a[0] else "minor" if b[1] != a[1] else "patch"


def smallest(old: str, required: str) -> str:
    """The smallest version after ``old`` that allows a ``required`` change."""
    major, minor, patch = parse_version(old)
    if required == "major":
        return f"{major + 1}.0.0"
    if required == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def check_version(old: str | None, new: str, required: str | None, why: str = "") -> None:
    """Refuse ``new`` unless it is greater than ``old`` by at least the ``required`` level."""
    parse_version(new)
    if old is None:
        return
    got = level(old, new)
    if got is None:
        raise ContractError(
            f"version {new} is not greater than the latest release {old}: "
            f"use {smallest(old, required or 'patch')} or higher"
        )
    if required and LEVELS.index(got) < LEVELS.index(required):
        raise ContractError(
            f"{new} is a {got.upper()} release, but the change needs {required.upper()}"
            f"{f' ({why})' if why else ''}: use {smallest(old, required)}"
        )
