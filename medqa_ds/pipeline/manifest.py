"""Step 7: the manifest: versions, inputs, the accounting of every raw file, and file checksums."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
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


def reason_kind(reason: str) -> str:
    """The head of a reject reason ("no answer", "duplicate", …), for counting rejects by kind."""
    return reason.split(":", 1)[0].split(" (", 1)[0].strip()


def _sorted(counter: Mapping[str | None, int]) -> dict[str, int]:
    return {
        k if k is not None else "(none)": v
        for k, v in sorted(counter.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    }


def summarize(
    *,
    name: str,
    version: str,
    files: int,
    pages: int,
    readable: int,
    inputs_digest: str,
    splits: Sequence[SplitFiles],
    counts: dict[str, Any],
    rejects: Sequence[Reject],
    split_config: dict[str, Any],
    near_duplicates: dict[str, Any],
    taken_down: int = 0,
) -> dict[str, Any]:
    """Everything the manifest says except the file checksums (``seal`` adds those last).

    The card is rendered from this alone, so a release can rewrite the card (its changelog)
    without the records.
    """
    n_records = sum(s.num_examples for s in splits)
    return {
        "dataset": {"name": name, "version": version},
        "schema_version": schema.version(),
        "library": {
            pkg: package_version(pkg) for pkg in ("medqa-ds", "datasets", "pyarrow", "jsonschema", "huggingface-hub")
        },
        "parsers": sorted(s.parser for s in sources.builtin()),
        "inputs": {"files": files, "readable": readable, "digest": inputs_digest},
        # A file is one page, except in corpus formats that hold many: pages = records + rejects.
        "accounting": {
            "files_seen": files,
            "pages_seen": pages,
            "records": n_records,
            "rejects": len(rejects),
            "taken_down": taken_down,  # pages dropped on request (takedowns), before anything was written
            "balanced": pages == n_records + len(rejects) + taken_down and pages >= files,
            "rejects_by_reason": dict(sorted(Counter(reason_kind(r.reason) for r in rejects).items())),
        },
        "splits": {
            s.name: {"num_examples": s.num_examples, "num_bytes": s.num_bytes, "files": s.files} for s in splits
        },
        "split_config": split_config,
        "near_duplicates": near_duplicates,
        "counts": counts,
        "changelog": [],
    }


def tally(values: Iterable[str | None]) -> dict[str, int]:
    """Counts of values, sorted by name, ``(none)`` last."""
    return _sorted(Counter(values))


def tally_counts(counts: Mapping[str | None, int]) -> dict[str, int]:
    """``tally`` of values already counted."""
    return _sorted(counts)


def seal(out: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Checksum every file of ``out`` (all but the manifest) into the manifest and write it."""
    from ..folder import files

    manifest["files"] = {
        name: {"sha256": sha256_file(out / name), "bytes": (out / name).stat().st_size}
        for name in files(out)
        if name != NAME
    }
    (out / NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
