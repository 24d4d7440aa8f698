"""``validate``: check a built dataset folder before anyone trusts or publishes it."""

from __future__ import annotations

import fnmatch
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from huggingface_hub import DatasetCard

from . import folder as built
from . import schema
from .pipeline import card, chat, prompt_completion
from .pipeline.build import REJECTS
from .pipeline.manifest import NAME as MANIFEST
from .pipeline.manifest import sha256_file


def verify(folder: Path) -> list[str]:
    """Every problem found in ``folder`` (empty when it is sound).

    Checks every record against the schema, the card's YAML against the files, the manifest's
    checksums and counts, and that no id is in two splits.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{MANIFEST}: cannot read it ({exc}); is {folder} a folder built by medqa-ds build?"]
    problems = _check_files(folder, manifest)
    if problems:
        return problems  # nothing else can be trusted if the bytes are not the ones recorded
    if not any(meta.get("num_examples") for meta in manifest.get("splits", {}).values()):
        return [
            "no record in any split: load_dataset cannot load a folder without data files; rebuild from a "
            "raw folder with pages of a known source (`medqa-ds sources`)"
        ]
    problems += _check_card(folder, manifest)
    problems += _check_records(folder, manifest)
    problems += _check_chat(folder, manifest)
    problems += _check_prompt_completion(folder, manifest)
    problems += _check_accounting(folder, manifest)
    return problems


def _check_files(folder: Path, manifest: dict[str, Any]) -> list[str]:
    listed = manifest.get("files", {})
    present = set(built.files(folder)) - {MANIFEST}
    problems = [f"{name}: in the folder but not in the manifest" for name in sorted(present - set(listed))]
    for name, meta in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: listed in the manifest but missing")
        elif sha256_file(path) != meta["sha256"]:
            problems.append(f"{name}: sha256 differs from the manifest (the file changed after the build)")
    return problems


def _check_card(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Each config the card declares (``default``, ``chat``): its splits, files, features and counts."""
    from datasets import Features

    data = DatasetCard.load(folder / "README.md").data.to_dict()
    problems = []
    declared_configs = {c["config_name"]: c for c in data.get("configs") or []}
    expected = card.configs(manifest)
    if set(declared_configs) != set(expected):
        return [f"README.md: configs {sorted(declared_configs)}, the build has {sorted(expected)}"]
    for name, want_config in expected.items():
        declared = {d["split"]: d["path"] for d in declared_configs[name]["data_files"]}
        splits = want_config["splits"]
        if set(declared) != set(splits):
            problems.append(
                f"README.md: config {name} declares splits {sorted(declared)}, the data has {sorted(splits)}"
            )
        for split, pattern in declared.items():
            files = sorted(f for f in manifest["files"] if fnmatch.fnmatch(f, pattern))
            if files != sorted(splits.get(split, {}).get("files", [])):
                problems.append(f"README.md: config {name} split {split} pattern {pattern} matches {files}")
        info = card.config_info(data, name)
        if Features._from_yaml_list(info.get("features", [])) != want_config["features"]:
            problems.append(
                f"README.md: dataset_info.features of config {name} differ from the ones derived from the schema"
            )
        card_counts = {s["name"]: s["num_examples"] for s in info.get("splits", [])}
        want = {k: v["num_examples"] for k, v in splits.items()}
        if card_counts != want:
            problems.append(
                f"README.md: dataset_info num_examples of config {name} {card_counts} differ from the manifest {want}"
            )
    return problems


def _check_chat(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Every chat row keeps the rules (user first, alternating, assistant last, no More Info or page
    chrome), belongs to a record of the same split, and the counts match the manifest.

    Chat rows are written in their records' order, so both are read side by side, a batch at a
    time: a million-record split is never held in memory.
    """
    section = manifest.get("chat")
    if not section:
        return [f"{MANIFEST}: no chat section; rebuild with this version of medqa-ds"]
    problems: list[str] = []
    for split, meta in section["splits"].items():
        records_meta = manifest["splits"].get(split, {"files": [], "num_examples": 0})
        records = (r for _, _, r in _rows(folder, f"split {split}", records_meta, schema.arrow_schema(), []))
        for name, i, row in _rows(folder, f"chat split {split}", meta, chat.arrow_schema(), problems):
            record = next((r for r in records if r["id"] == row["id"]), None)
            if record is None:
                problems.append(
                    f"{name} row {i}: id {row['id']} is not a record of split {split}, or not in "
                    "the records' order (rows after it not checked)"
                )
                break
            problems += [f"{name} row {i} ({row['id']}): {p}" for p in chat.problems(row, record)[:1]]
    return problems


def _check_prompt_completion(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Every prompt-completion row keeps TRL's format and is its chat row cut before the last
    answer, in the same split and order."""
    section = manifest.get("prompt_completion")
    if not section:
        return [f"{MANIFEST}: no prompt_completion section; rebuild with this version of medqa-ds"]
    problems: list[str] = []
    chats = manifest.get("chat", {}).get("splits", {})
    if {k: v["num_examples"] for k, v in section["splits"].items()} != {k: v["num_examples"] for k, v in chats.items()}:
        problems.append(f"{MANIFEST}: prompt_completion rows per split differ from the chat rows")
    for split, meta in section["splits"].items():
        chat_rows = (
            r
            for _, _, r in _rows(
                folder, f"chat split {split}", chats.get(split, {"files": []}), chat.arrow_schema(), []
            )
        )
        for name, i, row in _rows(
            folder, f"prompt_completion split {split}", meta, prompt_completion.arrow_schema(), problems
        ):
            chat_row = next(chat_rows, None)
            if chat_row is None or chat_row["id"] != row["id"]:
                problems.append(f"{name} row {i}: id {row['id']} is not the chat row at the same place")
                break
            problems += [f"{name} row {i} ({row['id']}): {p}" for p in prompt_completion.problems(row, chat_row)[:1]]
    return problems


def _rows(
    folder: Path, label: str, meta: dict[str, Any], expected: pa.Schema, problems: list[str]
) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(shard, row number, row) of one split's shards, read a batch at a time; a shard whose Arrow
    schema is not ``expected`` and a row count other than the manifest's are added to ``problems``."""
    rows = 0
    for name in meta["files"]:
        with pq.ParquetFile(folder / name) as shard:
            if not shard.schema_arrow.equals(expected, check_metadata=False):
                problems.append(f"{name}: Arrow schema differs from the one derived from the schema")
            for i, row in enumerate(built.shard_rows(shard)):
                yield name, i, row
            rows += shard.metadata.num_rows
    if rows != meta["num_examples"]:
        problems.append(f"{label}: {rows} rows, the manifest says {meta['num_examples']}")


def _key(record_id: str) -> bytes:
    """8 bytes standing for an id: a million ids take 8 MB instead of a dict of strings."""
    return hashlib.blake2b(record_id.encode(), digest_size=8).digest()


def _check_records(folder: Path, manifest: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    deidentified = manifest.get("privacy", {}).get("enabled", False)
    keys = bytearray()
    for split, meta in manifest["splits"].items():
        for name, i, record in _rows(folder, f"split {split}", meta, schema.arrow_schema(), problems):
            for problem in schema.check(record)[:1]:
                problems.append(f"{name} row {i} ({record.get('id')}): {problem}")
            if deidentified and ((record.get("question") or {}).get("asker") or {}).get("name"):
                problems.append(f"{name} row {i} ({record.get('id')}): an asker name in a de-identified build")
            keys += _key(str(record.get("id")))
    return problems + _repeated_ids(folder, manifest, keys)


def _repeated_ids(folder: Path, manifest: dict[str, Any], keys: bytearray) -> list[str]:
    """Ids found more than once across the splits (``keys`` holds every record's ``_key``)."""
    every = np.frombuffer(bytes(keys), dtype=np.uint64)
    values, counts = np.unique(every, return_counts=True)
    repeated = {v.tobytes() for v in values[counts > 1]}
    if not repeated:
        return []
    where: dict[str, list[str]] = {}  # the ids themselves: a second pass over the id column only
    for split in manifest["splits"]:
        for row in built.records(folder, split, columns=["id"]):
            if _key(str(row["id"])) in repeated:
                where.setdefault(row["id"], []).append(split)
    return [
        f"id {record_id} appears {'twice' if len(splits) == 2 else f'{len(splits)} times'}: in " + " and ".join(splits)
        for record_id, splits in where.items()
        if len(splits) > 1
    ]


def _check_accounting(folder: Path, manifest: dict[str, Any]) -> list[str]:
    acc = manifest["accounting"]
    problems = []
    lines = (folder / REJECTS).read_text(encoding="utf-8").splitlines()
    if len(lines) != acc["rejects"]:
        problems.append(f"{REJECTS}: {len(lines)} lines, the manifest counts {acc['rejects']} rejects")
    records = sum(s["num_examples"] for s in manifest["splits"].values())
    if (
        records != acc["records"]
        or acc["pages_seen"] != acc["records"] + acc["rejects"] + acc.get("taken_down", 0)
        or acc["pages_seen"] < acc["files_seen"]
    ):
        problems.append(
            f"{MANIFEST}: accounting does not add up: {acc['files_seen']} files and "
            f"{acc['pages_seen']} pages seen, {acc['records']} records + {acc['rejects']} rejects, "
            f"{records} rows in the splits"
        )
    return problems
