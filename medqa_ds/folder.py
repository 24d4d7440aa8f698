"""Read a built dataset folder (local, or a Hub snapshot): its manifest, records and split assignment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .pipeline.manifest import NAME as MANIFEST


def files(folder: Path) -> list[str]:
    """The folder's files as sorted relative paths, leaving out hidden ones (``.cache/``, ``.git/``,
    ``.gitattributes``): those belong to the tools around a build, not to the build."""
    found = (p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    return sorted(rel.as_posix() for rel in found if not any(part.startswith(".") for part in rel.parts))


def manifest(folder: Path) -> dict[str, Any]:
    """The folder's ``manifest.json``."""
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def records(folder: Path, split: str, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The split's records (or only ``columns`` of them), a batch at a time."""
    for name in manifest(folder)["splits"].get(split, {}).get("files", []):
        shard = pq.ParquetFile(folder / name)
        try:
            for batch in shard.iter_batches(batch_size=1_000, columns=columns):
                yield from batch.to_pylist()
        finally:
            shard.close()


def assignments(folder: Path) -> dict[str, str]:
    """id → split for every record of the folder (reads only the ``id`` column)."""
    return {row["id"]: split for split in manifest(folder)["splits"]
            for row in records(folder, split, columns=["id"])}
