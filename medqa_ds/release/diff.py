"""``diff``: what changed between two builds, and the smallest version bump that allows it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from datasets import Features
from huggingface_hub import DatasetCard

from .. import folder as built
from ..pipeline.card import config_info


@dataclass
class SplitChange:
    """Ids added to, removed from and changed within one split."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class DatasetDiff:
    """The difference between an old and a new build."""

    splits: dict[str, SplitChange]
    moved: list[tuple[str, str, str]]  # (id, old split, new split)
    fields_added: list[str]
    fields_removed: list[str]
    fields_retyped: list[str]
    taken_down: list[str] = field(default_factory=list)  # removed on request: allowed in any release

    def reasons(self) -> dict[str, list[str]]:
        """Why each bump level is needed, level by level."""
        removed = sum(len(c.removed) for c in self.splits.values())
        added = sum(len(c.added) for c in self.splits.values())
        changed = sum(len(c.changed) for c in self.splits.values())
        major = (
            ([f"{removed} records removed"] if removed else [])
            + ([f"{len(self.moved)} records moved between splits"] if self.moved else [])
            + ([f"fields removed: {', '.join(self.fields_removed)}"] if self.fields_removed else [])
            + ([f"fields retyped: {', '.join(self.fields_retyped)}"] if self.fields_retyped else [])
        )
        minor = ([f"{added} records added"] if added else []) + (
            [f"fields added: {', '.join(self.fields_added)}"] if self.fields_added else []
        )
        patch = ([f"{changed} records changed"] if changed else []) + (
            [f"{len(self.taken_down)} records taken down"] if self.taken_down else []
        )
        return {"major": major, "minor": minor, "patch": patch}

    def bump(self) -> str:
        """The smallest bump that keeps the version contract (``patch`` when nothing changed)."""
        reasons = self.reasons()
        return next((lvl for lvl in ("major", "minor") if reasons[lvl]), "patch")

    def why(self) -> str:
        """The reasons for the required bump, in a few words."""
        return "; ".join(self.reasons()[self.bump()]) or "no record changed"

    def report(self) -> str:
        """A table of changes per split, moves, schema changes and the smallest bump."""
        lines = ["| split | added | removed | changed |", "|---|---:|---:|---:|"]
        for name, c in self.splits.items():
            lines.append(f"| {name} | {len(c.added)} | {len(c.removed)} | {len(c.changed)} |")
        lines.append("")
        lines.append(
            f"Records that moved split: {len(self.moved)}"
            + "".join(f"\n- {i}: {a} -> {b}" for i, a, b in self.moved[:20])
        )
        schema_change = [
            f"added {', '.join(self.fields_added)}" if self.fields_added else "",
            f"removed {', '.join(self.fields_removed)}" if self.fields_removed else "",
            f"retyped {', '.join(self.fields_retyped)}" if self.fields_retyped else "",
        ]
        if self.taken_down:
            lines.append(
                f"Taken down on request (removed; allowed in a PATCH or MINOR release): {len(self.taken_down)}"
                + "".join(f"\n- {i}" for i in self.taken_down)
            )
        lines.append("Schema changes: " + ("; ".join(s for s in schema_change if s) or "none"))
        lines.append(f"Smallest version bump: {self.bump().upper()} ({self.why()})")
        return "\n".join(lines)


def _digest(record: dict[str, Any]) -> str:
    """What a record says, apart from where it was read from (file names may change)."""
    body = {k: v for k, v in record.items() if k != "provenance"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def _index(folder: Path) -> dict[str, tuple[str, str]]:
    """id → (split, content digest) of every record of a build."""
    return {
        r["id"]: (split, _digest(r)) for split in built.manifest(folder)["splits"] for r in built.records(folder, split)
    }


def _leaves(t: pa.DataType, prefix: str, out: dict[str, str]) -> None:
    if pa.types.is_struct(t):
        for f in t:
            _leaves(f.type, f"{prefix}.{f.name}" if prefix else f.name, out)
    elif pa.types.is_list(t) or pa.types.is_large_list(t):
        _leaves(t.value_type, f"{prefix}[]", out)
    else:
        out[prefix] = str(t)


def fields(folder: Path) -> dict[str, str]:
    """Every leaf field of a build's card features, as ``path → Arrow type``."""
    info = config_info(DatasetCard.load(folder / "README.md").data.to_dict())  # the records' config
    schema = Features._from_yaml_list(info.get("features", [])).arrow_schema
    out: dict[str, str] = {}
    _leaves(pa.struct(list(schema)), "", out)
    return out


def diff_folders(old: Path, new: Path) -> DatasetDiff:
    """Compare two built folders record by record and field by field."""
    a, b = _index(old), _index(new)
    names = list(dict.fromkeys([*built.manifest(old)["splits"], *built.manifest(new)["splits"]]))
    splits = {name: SplitChange() for name in names}
    moved, taken_down = [], []
    dropped = set(built.manifest(new).get("takedowns", {}).get("ids", []))
    for rid in sorted(a.keys() | b.keys()):
        if rid not in b and rid in dropped:
            taken_down.append(rid)
        elif rid not in b:
            splits[a[rid][0]].removed.append(rid)
        elif rid not in a:
            splits[b[rid][0]].added.append(rid)
        elif a[rid][0] != b[rid][0]:
            moved.append((rid, a[rid][0], b[rid][0]))
        elif a[rid][1] != b[rid][1]:
            splits[b[rid][0]].changed.append(rid)
    fa, fb = fields(old), fields(new)
    return DatasetDiff(
        splits=splits,
        moved=moved,
        fields_added=sorted(fb.keys() - fa.keys()),
        fields_removed=sorted(fa.keys() - fb.keys()),
        fields_retyped=sorted(k for k in fa.keys() & fb.keys() if fa[k] != fb[k]),
        taken_down=taken_down,
    )
