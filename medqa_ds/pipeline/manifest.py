"""Step 7: the manifest: versions, inputs, the accounting of every raw file, and file checksums."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from .. import schema, sources
from .outcome import Reject
from .write import SplitFiles

NAME = "manifest.json"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def inputs_digest(pages: Sequence[tuple[str, str]]) -> str:
    """One digest of every input: the sorted (path, sha256) pairs of the raw files that could be read."""
    h = hashlib.sha256()
    for file, digest in sorted(pages):
        h.update(f"{file}\0{digest}\n".encode())
    return h.hexdigest()


def reason_kind(reason: str) -> str:
    """The head of a reject reason ("no answer", "duplicate", …), for counting rejects by kind."""
    return reason.split(":", 1)[0].split(" (", 1)[0].strip()


def build_manifest(*, name: str, version: str, out: Path, seen: int, inputs: Sequence[tuple[str, str]],
                   splits: Sequence[SplitFiles], records: Sequence[dict[str, Any]],
                   rejects: Sequence[Reject], split_config: dict[str, Any],
                   near_duplicates: dict[str, Any]) -> dict[str, Any]:
    """The manifest of a finished build folder (every file in it except the manifest is checksummed)."""
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != NAME)
    n_records = sum(s.num_examples for s in splits)
    specialties = Counter(r["specialty"] for r in records)
    return {
        "dataset": {"name": name, "version": version},
        "schema_version": schema.version(),
        "library": {pkg: package_version(pkg) for pkg in ("medqa-ds", "datasets", "pyarrow", "jsonschema", "huggingface-hub")},
        "parsers": sorted(s.parser for s in sources.builtin()),
        "inputs": {"files": seen, "readable": len(inputs), "digest": inputs_digest(inputs)},
        "accounting": {
            "files_seen": seen,
            "records": n_records,
            "rejects": len(rejects),
            "balanced": seen == n_records + len(rejects),
            "rejects_by_reason": dict(sorted(Counter(reason_kind(r.reason) for r in rejects).items())),
        },
        "splits": {s.name: {"num_examples": s.num_examples, "files": s.files} for s in splits},
        "split_config": split_config,
        "near_duplicates": near_duplicates,
        "counts": {
            "source": dict(sorted(Counter(r["source"] for r in records).items())),
            "specialty": {k or "(none)": v for k, v in sorted(specialties.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))},
            "complete": sum(r["complete"] for r in records),
            "incomplete": sum(not r["complete"] for r in records),
            # roles the vocabulary does not map yet: add them to schema/specialties.schema.json
            "unmapped_roles": dict(sorted(Counter(a["role"] for r in records for a in r["answers"]
                                                  if a["role"] and not a["specialty"]).items())),
        },
        "files": {p.relative_to(out).as_posix(): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
                  for p in files},
    }


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest.json`` (sorted keys where order carries no meaning, stable bytes)."""
    (out / NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

