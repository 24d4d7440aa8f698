"""The straightforward pipeline a user would write instead of medqa_ds, for comparison.

Read every file, parse it, validate each record with jsonschema's Draft202012Validator, build a
``datasets.Dataset`` with ``from_list`` and write Parquet. One process, everything in memory.

    python benchmarks/baseline.py RAW_DIR OUT.parquet [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from datasets import Dataset
from jsonschema import Draft202012Validator

from medqa_ds import ParseError, parse_all, schema


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("raw", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--limit", type=int, default=None)
    args = p.parse_args()
    files = sorted(f for f in args.raw.rglob("*") if f.is_file())[: args.limit]
    start = time.perf_counter()
    validator = Draft202012Validator(
        schema.load(), registry=schema.registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    records = []
    for path in files:
        try:
            results = parse_all(path.read_bytes().decode("utf-8"), path.name)
        except (ParseError, UnicodeDecodeError):
            continue
        for record in results:
            if isinstance(record, dict) and validator.is_valid(record):
                records.append(record)
    Dataset.from_list(records, features=schema.features()).to_parquet(str(args.out))
    seconds = time.perf_counter() - start
    print(f"{len(files)} {len(records)} {seconds:.3f}")
    print(f"baseline: {len(files)} pages, {len(records)} records in {seconds:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
