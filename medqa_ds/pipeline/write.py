"""Step 5: write each split as Parquet shards with the schema's Arrow types, streaming from the spill.

Rows keep the order of the raw files (sorted paths), so the output does not depend on how many
workers parsed them. Only one shard per split is ever held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .split import SPLITS

DEFAULT_SHARD_ROWS = 20_000  # about 25 MB of zstd Parquet: small enough to stream, large enough to matter
ROW_GROUP = 2_000  # rows per Parquet row group: what the writer holds in memory at most


@dataclass
class SplitFiles:
    """What was written for one split."""

    name: str
    files: list[str] = field(default_factory=list)  # relative to the output folder
    num_examples: int = 0
    num_bytes: int = 0  # uncompressed size of the data, from the Parquet metadata


def shard_name(split: str, index: int, count: int, folder: str = "data") -> str:
    """``data/train-00000-of-00002.parquet``: the Hub's naming, which ``datasets`` globs as ``data/train-*``."""
    return f"{folder}/{split}-{index:05d}-of-{count:05d}.parquet"


class ShardWriter:
    """Writes one split's rows as shards of ``shard_rows`` rows, in row groups of ``ROW_GROUP`` rows.

    Rows arrive in batches of any size; only one row group's worth is ever held, and the row groups
    fall at the same rows however the batches came, so the bytes do not depend on the chunking.
    An empty split writes nothing: ``datasets`` refuses a declared split without data, so the card
    leaves it out.
    """

    def __init__(self, out: Path, split: str, total: int, shard_rows: int, folder: str = "data") -> None:
        self.out, self.shard_rows, self.folder = out, shard_rows, folder
        self.count = -(-total // shard_rows)
        self.written = SplitFiles(split)
        self.pending: list[pa.Table] = []
        self.rows = 0  # rows pending
        self.writer: pq.ParquetWriter | None = None
        self.in_shard = 0  # rows in the open shard

    def add(self, table: pa.Table) -> None:
        if table.num_rows:
            self.pending.append(table)
            self.rows += table.num_rows
        while self.rows >= min(ROW_GROUP, self.shard_rows - self.in_shard):
            self._write(min(ROW_GROUP, self.shard_rows - self.in_shard))

    def close(self) -> SplitFiles:
        while self.rows:
            self._write(min(self.rows, ROW_GROUP, self.shard_rows - self.in_shard))
        self._close_shard()
        return self.written

    def _write(self, n: int) -> None:
        table = pa.concat_tables(self.pending).combine_chunks() if len(self.pending) > 1 else self.pending[0]
        group, rest = table.slice(0, n), table.slice(n)
        self.pending, self.rows = ([rest] if rest.num_rows else []), rest.num_rows
        if self.writer is None:
            name = shard_name(self.written.name, len(self.written.files), self.count, self.folder)
            (self.out / self.folder).mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.out / name, group.schema, compression="zstd")
            self.written.files.append(name)
        self.writer.write_table(group, row_group_size=n)
        self.in_shard += n
        self.written.num_examples += n
        if self.in_shard == self.shard_rows:
            self._close_shard()

    def _close_shard(self) -> None:
        if self.writer is None:
            return
        self.writer.close()
        meta = pq.read_metadata(self.out / self.written.files[-1])
        self.written.num_bytes += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        self.writer, self.in_shard = None, 0


def write_splits(
    out: Path,
    spills: Iterable[tuple[pa.Table, np.ndarray]],
    totals: dict[str, int],
    arrow_schema: pa.Schema,
    shard_rows: int = DEFAULT_SHARD_ROWS,
    folder: str = "data",
) -> list[SplitFiles]:
    """Stream spilled chunks (a table and each row's split code, 255 for rows left out) into shards."""
    writers = {name: ShardWriter(out, name, totals.get(name, 0), shard_rows, folder) for name in SPLITS}
    for table, codes in spills:
        if not table.schema.equals(arrow_schema, check_metadata=True):
            table = table.cast(arrow_schema)
        for k, name in enumerate(SPLITS):
            mask = codes == k
            if mask.any():
                writers[name].add(table.filter(pa.array(mask)))
    return [writers[name].close() for name in SPLITS]
