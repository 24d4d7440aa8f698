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


BATCH = 1_000  # rows turned into Python objects at a time


def shard_rows(shard: pq.ParquetFile, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one open Parquet shard (or only ``columns`` of them), a batch at a time: a
    shard is never held whole as Python objects."""
    for batch in shard.iter_batches(batch_size=BATCH, columns=columns):
        yield from batch.to_pylist()


def records(folder: Path, split: str, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The split's records (or only ``columns`` of them), shard by shard."""
    for name in manifest(folder)["splits"].get(split, {}).get("files", []):
        with pq.ParquetFile(folder / name) as shard:
            yield from shard_rows(shard, columns)


def assignments(folder: Path) -> dict[str, str]:
    """id → split for every record of the folder (reads only the ``id`` column)."""
    return {row["id"]: split for split in manifest(folder)["splits"] for row in records(folder, split, columns=["id"])}
