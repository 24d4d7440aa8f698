"""``build``: raw pages in, a Hugging Face dataset folder out. Reads as its steps."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .. import schema
from . import card, neardup
from .dedupe import dedupe
from .manifest import seal, summarize
from .outcome import Page, Reject
from .parse_pages import parse_page
from .read import DEFAULT_MAX_BYTES, read_all
from .split import SPLITS, SplitSpec, assign_groups
from .staging import staged
from .write import DEFAULT_SHARD_ROWS, write_split

REJECTS = "rejects.jsonl"


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build depends on besides the raw files (all of it is recorded in the manifest)."""

    name: str = "medqa"
    version: str = "0.0.0"
    splits: SplitSpec = field(default_factory=SplitSpec)
    max_bytes: int = DEFAULT_MAX_BYTES
    shard_rows: int = DEFAULT_SHARD_ROWS
    progress: bool | None = None  # None: a bar only on a terminal
    pins: Mapping[str, str] = field(default_factory=dict)  # id -> split of the previous release
    near_dup_threshold: float = neardup.THRESHOLD


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, for the summary line and for callers."""

    out: Path
    manifest: dict[str, Any]
    rejects: list[Reject]

    def summary(self) -> str:
        """One line: files seen, records per split, rejects, and where the folder is."""
        acc = self.manifest["accounting"]
        per_split = ", ".join(f"{k} {v['num_examples']}" for k, v in self.manifest["splits"].items())
        pages = f" ({acc['pages_seen']} pages)" if acc["pages_seen"] != acc["files_seen"] else ""
        return (f"{acc['files_seen']} files{pages} -> {acc['records']} records ({per_split}), "
                f"{acc['rejects']} rejected; wrote {self.out}")


def build(raw_dir: Path, out: Path, options: BuildOptions | None = None) -> BuildResult:
    """Parse every file below ``raw_dir`` and write the dataset folder ``out`` (whole or not at all)."""
    options = options or BuildOptions()
    seen, pages, inputs = 0, 0, []
    records: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    bar = None if options.progress is None else not options.progress
    # 1. read each file, 2. parse it and check the record against the schema
    for item in tqdm(read_all(raw_dir, options.max_bytes), desc="parse", unit="page", disable=bar):
        seen += 1
        outcomes = [item]
        if isinstance(item, Page):
            inputs.append((item.file, item.sha256))
            outcomes = parse_page(item)
        pages += len(outcomes)
        for outcome in outcomes:
            (rejects if isinstance(outcome, Reject) else records).append(outcome)
    # 3. one record per page
    records, duplicates = dedupe(records)
    rejects = sorted(rejects + duplicates, key=lambda r: (r.file, r.line or 0))
    # 4. near-duplicate groups, each placed whole in one split
    groups = neardup.near_duplicate_groups(records, options.near_dup_threshold)
    split_of, conflicts = assign_groups(groups, options.splits, options.pins)
    by_split: dict[str, list[dict[str, Any]]] = {name: [] for name in SPLITS}
    for record in records:
        by_split[split_of[record["id"]]].append(record)
    with staged(out) as tmp:
        # 5. Parquet shards
        written = [write_split(tmp, name, rows, options.shard_rows) for name, rows in by_split.items()]
        # 6. rejects and the schema
        (tmp / REJECTS).write_text("".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in rejects),
                                   encoding="utf-8")
        for path in schema.schema_files():
            (tmp / "schema").mkdir(exist_ok=True)
            shutil.copyfile(path, tmp / "schema" / path.name)
        # 7. manifest (the accounting), the card rendered from it, then every file's checksum
        manifest = summarize(
            name=options.name, version=options.version, files=seen, pages=pages, inputs=inputs,
            splits=written, records_by_split=by_split, rejects=rejects,
            split_config={
                "ratios": options.splits.ratios, "salt": options.splits.salt,
                "key": "smallest id of the record's near-duplicate group",
                "pinned_from_previous_release": sum(1 for r in records if r["id"] in options.pins),
            },
            near_duplicates=neardup.summary(groups, conflicts, options.near_dup_threshold))
        (tmp / "README.md").write_text(card.render(manifest), encoding="utf-8")
        seal(tmp, manifest)
    return BuildResult(out.resolve(), manifest, rejects)
