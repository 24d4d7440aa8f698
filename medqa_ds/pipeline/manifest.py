"""Step 7: the manifest: versions, inputs, the accounting of every raw file, and file checksums."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
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


def _sorted(counter: Counter) -> dict[str, int]:
    return {k if k is not None else "(none)": v
            for k, v in sorted(counter.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))}


def summarize(*, name: str, version: str, files: int, pages: int, inputs: Sequence[tuple[str, str]],
              splits: Sequence[SplitFiles], records_by_split: Mapping[str, Sequence[dict[str, Any]]],
              rejects: Sequence[Reject], split_config: dict[str, Any],
              near_duplicates: dict[str, Any]) -> dict[str, Any]:
    """Everything the manifest says except the file checksums (``seal`` adds those last).

    The card is rendered from this alone, so a release can rewrite the card (its changelog)
    without the records.
    """
    records = [r for rows in records_by_split.values() for r in rows]
    n_records = sum(s.num_examples for s in splits)
    return {
        "dataset": {"name": name, "version": version},
        "schema_version": schema.version(),
        "library": {pkg: package_version(pkg) for pkg in ("medqa-ds", "datasets", "pyarrow", "jsonschema", "huggingface-hub")},
        "parsers": sorted(s.parser for s in sources.builtin()),
        "inputs": {"files": files, "readable": len(inputs), "digest": inputs_digest(inputs)},
        # A file is one page, except in corpus formats that hold many: pages = records + rejects.
        "accounting": {
            "files_seen": files,
            "pages_seen": pages,
            "records": n_records,
            "rejects": len(rejects),
            "balanced": pages == n_records + len(rejects) and pages >= files,
            "rejects_by_reason": dict(sorted(Counter(reason_kind(r.reason) for r in rejects).items())),
        },
        "splits": {s.name: {"num_examples": s.num_examples, "num_bytes": s.num_bytes, "files": s.files}
                   for s in splits},
        "split_config": split_config,
        "near_duplicates": near_duplicates,
        "counts": {
            "source": _sorted(Counter(r["source"] for r in records)),
            "specialty": _sorted(Counter(r["specialty"] for r in records)),
            "by_split": {split: {"source": _sorted(Counter(r["source"] for r in rows)),
                                 "specialty": _sorted(Counter(r["specialty"] for r in rows))}
                         for split, rows in records_by_split.items()},
            "complete": sum(r["complete"] for r in records),
            "incomplete": sum(not r["complete"] for r in records),
            # roles the vocabulary does not map yet: add them to schema/specialties.schema.json
            "unmapped_roles": _sorted(Counter(a["role"] for r in records for a in r["answers"]
                                              if a["role"] and not a["specialty"])),
        },
        "changelog": [],
    }


def seal(out: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Checksum every file of ``out`` (all but the manifest) into the manifest and write it."""
    from ..folder import files

    manifest["files"] = {name: {"sha256": sha256_file(out / name), "bytes": (out / name).stat().st_size}
                         for name in files(out) if name != NAME}
    (out / NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
