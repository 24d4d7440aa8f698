"""Build step after the data shards are written: make them fit to publish, and add the chat view.

It works on the written Parquet files shard by shard, so it needs nothing from the steps before
(only the folder and what was written) and holds one shard in memory at a time: each data shard is
de-identified in place (``privacy``) and its records' chat rows are written beside it (``chat/``).
Ids and splits were fixed before, and privacy changes text only, so neither moves. The counts are
of published records only (duplicates dropped earlier are not counted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import schema
from . import chat, privacy
from .write import SplitFiles, shard_name


@dataclass(frozen=True)
class Views:
    """What the step wrote: the data shards (sizes after de-identification), the chat shards, and
    the manifest's ``privacy`` and ``chat`` sections."""

    data: list[SplitFiles]
    chat: list[SplitFiles]
    privacy: dict[str, Any]
    chat_summary: dict[str, Any]


def chat_shard_name(split: str, index: int, count: int) -> str:
    """``chat/train-00000-of-00001.parquet``: the data shard's name, in the chat folder."""
    return f"{chat.FOLDER}/{PurePosixPath(shard_name(split, index, count)).name}"


def _write(path: Path, rows: list[dict[str, Any]], arrow_schema: pa.Schema) -> int:
    """Write rows as zstd Parquet, as the data shards are; returns their Arrow size."""
    table = pa.Table.from_pylist(rows, schema=arrow_schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")
    return table.nbytes


def publish_views(out: Path, written: Sequence[SplitFiles], policy: privacy.Policy | None) -> Views:
    """De-identify every data shard of ``out`` in place (``policy`` None: leave them as parsed) and
    write the chat config's shards, one per data shard that gives chat rows."""
    results: list[privacy.Deidentified] = []
    data, chats = [], []
    counts: Counter[str] = Counter()
    for split in written:
        size, chat_files, chat_rows, chat_size = 0, [], 0, 0
        for index, name in enumerate(split.files):
            records = pq.read_table(out / name).to_pylist()
            if policy is not None:
                done = [privacy.deidentify(r, policy) for r in records]
                results += done
                records = [d.record for d in done]
            size += _write(out / name, records, schema.arrow_schema())
            rows, n = chat.rows(records)
            counts.update(n)
            if rows:
                chat_name = chat_shard_name(split.name, index, len(split.files))
                chat_size += _write(out / chat_name, rows, chat.arrow_schema())
                chat_files.append(chat_name)
                chat_rows += len(rows)
        data.append(SplitFiles(name=split.name, files=list(split.files), num_examples=split.num_examples,
                               num_bytes=size if split.files else split.num_bytes))
        chats.append(SplitFiles(name=split.name, files=chat_files, num_examples=chat_rows, num_bytes=chat_size))
    if policy is None:
        summary = {"enabled": False, "name": privacy.POLICY, "version": privacy.POLICY_VERSION}
    else:
        summary = {"enabled": True, **policy.describe(), **privacy.totals(results)}
    chat_summary = {
        "config": chat.CONFIG,
        "splits": {s.name: {"num_examples": s.num_examples, "num_bytes": s.num_bytes, "files": s.files}
                   for s in chats},
        "rows": counts["rows"],
        "truncated_at_missing_turn": counts["truncated"],
        "records_without_row": counts["no_user_turn"],
    }
    return Views(data, chats, summary, chat_summary)
