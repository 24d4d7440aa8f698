"""CPU time of each small per-record value the build derives, per record, over the records of a
generated corpus: the rank, the same-asker key, the split, the MinHash text and signature, the
cleaning counts and the schema check (what a chunk asks of every record after parsing).

    python benchmarks/derive.py [--pages 5000] [--seed 0] [--repeat 3]

Each function runs over every record ``--repeat`` times; the best run's CPU time (process time)
is printed per record. The cleaning counts are shown twice: cold (``cleaning.clean``'s cache
emptied first) and as a chunk asks for them, right after the record's answers were cleaned.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medqa_ds import cleaning, schema
from medqa_ds.errors import ParseError
from medqa_ds.parse import parse_all
from medqa_ds.pipeline import chunk, neardup, same_asker
from medqa_ds.pipeline.outcome import Page
from medqa_ds.pipeline.read import decode
from medqa_ds.pipeline.split import SplitSpec

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus


def best(runs: int, step: Callable[[], Any], before: Callable[[], Any] = lambda: None) -> float:
    """The least CPU seconds of ``runs`` runs of ``step`` (``before`` runs untimed before each)."""
    times = []
    for _ in range(runs):
        before()
        start = time.process_time()
        step()
        times.append(time.process_time() - start)
    return min(times)


def warm_removed(records: list[dict[str, Any]]) -> float:
    """Seconds of ``cleaning.removed`` over the records, each asked right after its answers were
    cleaned (as a chunk asks): only the call is timed."""
    total = 0
    for r in records:
        for a in r["answers"]:
            cleaning.clean((a.get("text_repaired") or a.get("text") or "").strip(), r["source"])
        start = time.perf_counter_ns()
        cleaning.removed(r)
        total += time.perf_counter_ns() - start
    return total / 1e9


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=5000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    files = corpus.files(args.pages, args.seed)
    pages = [page for rel, data in files if isinstance(page := decode(rel, data), Page)]
    records: list[dict[str, Any]] = []
    for page in pages:
        with contextlib.suppress(ParseError):
            records += [r for r in parse_all(page.text, page.file) if isinstance(r, dict)]
    spec = SplitSpec()
    steps: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("chunk.rank", lambda: [chunk.rank(r) for r in records], lambda: None),
        ("same_asker.key", lambda: [same_asker.key(r) for r in records], lambda: None),
        ("SplitSpec.assign", lambda: [spec.assign(r["id"]) for r in records], lambda: None),
        ("neardup.text", lambda: [neardup.text(r) for r in records], lambda: None),
        ("neardup.signature", lambda: [neardup.signature(r) for r in records], lambda: None),
        ("neardup.signatures", lambda: neardup.signatures(records), lambda: None),
        ("cleaning.removed cold", lambda: [cleaning.removed(r) for r in records], cleaning.clean.cache_clear),
        ("schema.check", lambda: [schema.check(r) for r in records], lambda: None),
    ]
    print(
        f"{len(files)} files, {len(records)} records (corpus seed {args.seed}); "
        f"CPU us per record, best of {args.repeat}"
    )
    for name, step, before in steps:
        print(f"{name:<24} {best(args.repeat, step, before) / len(records) * 1e6:>8.2f}")
    warm = min(warm_removed(records) for _ in range(args.repeat))
    print(f"{'cleaning.removed warm':<24} {warm / len(records) * 1e6:>8.2f}  (wall time of the call alone)")


if __name__ == "__main__":
    main()
