"""Step 4: assign each record a split from a salted hash of its id.

The split depends on the id and the salt alone, so adding pages never moves an existing record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import _core

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
        """``train=0.8,validation=0.1,test=0.1`` (or ``80/10/10`` for the three splits in order).

        An unknown split name or a share that is not a number is a ``ValueError`` naming it and
        the accepted forms: a split left out silently would move records."""
        forms = f"use {', '.join(SPLITS)} as train=0.8,validation=0.1,test=0.1 or 80/10/10"
        if "=" in text:
            ratios: dict[str, float] = {}
            for item in (i for i in text.split(",") if i.strip()):
                name, _, share = (part.strip() for part in item.partition("="))
                if name not in SPLITS:
                    raise ValueError(f"unknown split {name!r}: {forms}")
                ratios[name] = _share(share, forms)
        else:
            parts = [_share(p, forms) for p in text.split("/")]
            if len(parts) > len(SPLITS):
                raise ValueError(f"{len(parts)} shares for {len(SPLITS)} splits: {forms}")
            ratios = dict(zip(SPLITS, parts, strict=False))
        total = sum(ratios.values())
        if total > 1.5:  # given in percent
            ratios = {k: v / 100 for k, v in ratios.items()}
        return cls({k: ratios[k] for k in SPLITS if k in ratios}, salt)

    def assign(self, key: str) -> str:
        """The split for a record id (or near-duplicate group key)."""
        return SPLITS[_core.split_assign(self.salt, key, [self.ratios.get(n, 0) for n in SPLITS])]


def _share(text: str, forms: str) -> float:
    """One split's share as a number; ``ValueError`` naming the text otherwise."""
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"share {text.strip()!r} is not a number: {forms}") from None
