"""Step 4: assign each record a split from a salted hash of its id.

The split depends on the id and the salt alone, so adding pages never moves an existing record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class SplitSpec:
    """Split names with their shares (summing to 1) and the hash salt."""

    ratios: dict[str, float] = field(default_factory=lambda: {"train": 0.8, "validation": 0.1, "test": 0.1})
    salt: str = "medqa-ds"

    def __post_init__(self) -> None:
        if set(self.ratios) - set(SPLITS) or not self.ratios:
            raise ValueError(f"splits must be among {', '.join(SPLITS)}; got {', '.join(self.ratios)}")
        if any(r < 0 for r in self.ratios.values()) or abs(sum(self.ratios.values()) - 1) > 1e-9:
            raise ValueError(f"split shares must be non-negative and sum to 1; got {self.ratios}")

    @classmethod
    def parse(cls, text: str, salt: str = "medqa-ds") -> SplitSpec:
        """``train=0.8,validation=0.1,test=0.1`` (or ``80/10/10`` for the three splits in order)."""
        if "=" in text:
            pairs = (item.split("=", 1) for item in text.split(",") if item.strip())
            ratios = {k.strip(): float(v) for k, v in pairs}
        else:
            parts = [float(p) for p in text.split("/")]
            ratios = dict(zip(SPLITS, parts, strict=False))
        total = sum(ratios.values())
        if total > 1.5:  # given in percent
            ratios = {k: v / 100 for k, v in ratios.items()}
        return cls({k: ratios[k] for k in SPLITS if k in ratios}, salt)

    def assign(self, key: str) -> str:
        """The split for a record id (or near-duplicate group key)."""
        digest = hashlib.sha256(f"{self.salt}\x1f{key}".encode()).digest()
        point = int.from_bytes(digest[:8], "big") / 2**64
        edge = 0.0
        names = [n for n in SPLITS if self.ratios.get(n, 0) > 0]
        for name in names:
            edge += self.ratios[name]
            if point < edge:
                return name
        return names[-1]


def assign_groups(groups: Sequence[Sequence[str]], spec: SplitSpec,
                  pins: Mapping[str, str] | None = None) -> tuple[dict[str, str], list[list[str]]]:
    """The split of every id, a near-duplicate group always in one split.

    ``pins`` (id → split, from the previous release) win: a group with a pinned member goes where
    that member is, so a record never changes split because pages were added. A group whose pinned
    members already sit in different splits (a new page bridged them) keeps every pin and is
    returned as a conflict for the manifest; fixing it moves records, which only a MAJOR release may.
    Unpinned groups are placed by the salted hash of their smallest id.
    """
    pins = pins or {}
    splits: dict[str, str] = {}
    conflicts: list[list[str]] = []
    for group in groups:
        pinned = sorted({pins[i] for i in group if i in pins}, key=SPLITS.index)
        if len(pinned) > 1:
            conflicts.append(list(group))
        home = pinned[0] if pinned else spec.assign(min(group))
        splits.update({i: pins.get(i, home) for i in group})
    return splits, conflicts
