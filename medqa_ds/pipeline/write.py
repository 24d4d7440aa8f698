"""Step 5: write each split as Parquet shards with the schema's Arrow types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import schema

DEFAULT_SHARD_ROWS = 50_000


@dataclass(frozen=True)
class SplitFiles:
    """What was written for one split."""

    name: str
    files: list[str]  # relative to the output folder
    num_examples: int
    num_bytes: int  # Arrow size in memory, as datasets reports it


def shard_name(split: str, index: int, count: int) -> str:
    """``data/train-00000-of-00002.parquet``: the Hub's naming, which ``datasets`` globs as ``data/train-*``."""
    return f"data/{split}-{index:05d}-of-{count:05d}.parquet"


def write_split(out: Path, split: str, records: Sequence[dict[str, Any]],
                shard_rows: int = DEFAULT_SHARD_ROWS) -> SplitFiles:
    """Write one split's records (already in their final order) as zstd Parquet shards.

    An empty split writes nothing: ``datasets`` refuses a declared split without data, so the card
    leaves it out.
    """
    count = -(-len(records) // shard_rows)
    files, size = [], 0
    (out / "data").mkdir(parents=True, exist_ok=True)
    for index in range(count):
        chunk = records[index * shard_rows:(index + 1) * shard_rows]
        table = pa.Table.from_pylist(list(chunk), schema=schema.arrow_schema())
        name = shard_name(split, index, count)
        pq.write_table(table, out / name, compression="zstd")
        files.append(name)
        size += table.nbytes
    return SplitFiles(split, files, len(records), size)
