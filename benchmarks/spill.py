"""What writing a chunk's spill costs a record: pyarrow's ``from_pylist`` and lz4 IPC writer (how the
spill was written before the core did it) against the core's ``spill_rows`` (rust/src/arrow_rows.rs,
the dicts converted to JSON values first), on the records and chat rows of generated pages.

    python benchmarks/spill.py [--pages 5000] [--seed 0] [--repeat 3]

Rows are spilled in chunks of ``CHUNK_FILES`` as the build does; the best of ``--repeat`` runs is
printed, as CPU time (process time) and wall time, in microseconds a row.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa

from medqa_ds import _core, schema
from medqa_ds.errors import ParseError
from medqa_ds.parse import parse_all
from medqa_ds.pipeline import chat, privacy
from medqa_ds.pipeline.chunk import CHUNK_FILES
from medqa_ds.pipeline.outcome import Page
from medqa_ds.pipeline.read import decode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus


def pyarrow_spill(path: Path, rows: list[dict[str, Any]], arrow_schema: pa.Schema) -> None:
    """The spill as pyarrow wrote it before the core did (the reference)."""
    table = pa.Table.from_pylist(rows, schema=arrow_schema)
    with (
        pa.OSFile(str(path), "wb") as sink,
        pa.ipc.new_file(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="lz4")) as writer,
    ):
        writer.write_table(table)


def core_spill(path: Path, rows: list[dict[str, Any]], arrow_schema: pa.Schema) -> None:
    _core.spill_rows(str(path), arrow_schema.serialize().to_pybytes(), rows)


def spill_all(
    spill: Callable[..., None], paths: list[Path], chunks: list[list[dict[str, Any]]], arrow_schema: pa.Schema
) -> None:
    for path, chunk in zip(paths, chunks, strict=True):
        spill(path, chunk, arrow_schema)


def best(runs: int, step: Callable[[], Any]) -> tuple[float, float]:
    """The least CPU seconds and the least wall seconds of ``runs`` runs of ``step``."""
    cpu, wall = [], []
    for _ in range(runs):
        start, start_wall = time.process_time(), time.perf_counter()
        step()
        cpu.append(time.process_time() - start)
        wall.append(time.perf_counter() - start_wall)
    return min(cpu), min(wall)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=5000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    files = corpus.files(args.pages, args.seed)
    pages: list[Page] = [page for rel, data in files if isinstance(page := decode(rel, data), Page)]
    records: list[dict[str, Any]] = []
    for page in pages:
        with contextlib.suppress(ParseError):
            records += [r for r in parse_all(page.text, page.file) if isinstance(r, dict)]
    policy = privacy.Policy()
    published = [privacy.deidentify(r, policy).record for r in records]
    chats = [{"id": r["id"], "source": r["source"], "messages": chat.messages(r)[0]} for r in published]
    kinds = [("records", published, schema.arrow_schema()), ("chat", chats, chat.arrow_schema())]
    print(f"{len(files)} files, {len(published)} records (corpus seed {args.seed}), chunks of {CHUNK_FILES}")
    print(f"{'rows':<8} {'writer':<22} {'CPU us/row':>10} {'wall us/row':>11}")
    with tempfile.TemporaryDirectory() as out:
        for kind, rows, arrow_schema in kinds:
            chunks = [rows[i : i + CHUNK_FILES] for i in range(0, len(rows), CHUNK_FILES)]
            for name, spill in (("pyarrow from_pylist", pyarrow_spill), ("core spill_rows", core_spill)):
                paths = [Path(out) / f"{kind}-{n}.arrow" for n in range(len(chunks))]
                cpu, wall = best(args.repeat, partial(spill_all, spill, paths, chunks, arrow_schema))
                print(f"{kind:<8} {name:<22} {cpu / len(rows) * 1e6:>10.1f} {wall / len(rows) * 1e6:>11.1f}")


if __name__ == "__main__":
    main()
