"""CPU time a page costs in each step of a worker, one step after another over the same pages, in
this process (no workers, no spill): where the time goes, and what is compiled and what is not.

    python benchmarks/stages.py [--pages 5000] [--seed 0] [--repeat 3]

``parse_all`` is what a worker asks of a file: split into lines, detect the source, parse, give
the id, clean (its detection is also shown alone, and not counted twice). Pages come from the
generated corpus (benchmarks/corpus.py). Each step runs over every page (or record) before the
next one, ``--repeat`` times; the best run's CPU time (process time) is printed per page, so
another job on the machine moves the figures less than wall time would.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medqa_ds import cleaning, schema, sources
from medqa_ds.errors import ParseError
from medqa_ds.parse import parse_all
from medqa_ds.pipeline import chat, neardup, privacy
from medqa_ds.pipeline.outcome import Page
from medqa_ds.pipeline.read import decode
from medqa_ds.text import lines_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

import corpus

# Where each step runs today: compiled (the Rust core) or Python.
WHERE = {
    "read + decode": "Python",
    "parse_all": "compiled: one core call per file (detection, parsers, record assembly, id, cleaning)",
    "  of it lines + detect": "compiled detection (sources.detect: lines_of, then one core call)",
    "schema check": "compiled (the jsonschema crate)",
    "MinHash signature": "compiled",
    "de-identify": "compiled: one core call per record (dict to the core's value and back, walk, names, typed "
    "identifiers, addresses, counts)",
    "chat row": "compiled: one core call per record (its chat fields to the core's value, the messages back)",
    "cleaning counts": "compiled",
}


def best(runs: int, step: Callable[[], Any]) -> float:
    """The least CPU seconds of ``runs`` runs of ``step``."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        step()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=5000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    files = corpus.files(args.pages, args.seed)
    pages: list[Page] = [page for rel, data in files if isinstance(page := decode(rel, data), Page)]
    texts = [page.text for page in pages]
    records: list[dict[str, Any]] = []
    for page in pages:
        with contextlib.suppress(ParseError):
            records += [r for r in parse_all(page.text, page.file) if isinstance(r, dict)]
    policy = privacy.Policy()
    published = [privacy.deidentify(r, policy).record for r in records]

    def detect_all() -> None:
        for text in texts:
            lines = lines_of(text)
            with contextlib.suppress(ParseError):
                sources.detect(lines)

    def parse_each() -> None:
        for text in texts:
            with contextlib.suppress(ParseError):
                parse_all(text, "x.txt")

    steps: list[tuple[str, int, Callable[[], Any]]] = [
        ("read + decode", len(files), lambda: [decode(rel, data) for rel, data in files]),
        ("parse_all", len(texts), parse_each),
        ("  of it lines + detect", len(texts), detect_all),
        ("schema check", len(records), lambda: [schema.check(r) for r in records]),
        ("MinHash signature", len(records), lambda: [neardup.signature(r) for r in records]),
        ("de-identify", len(records), lambda: [privacy.deidentify(r, policy) for r in records]),
        ("chat row", len(published), lambda: [chat.messages(r) for r in published]),
        ("cleaning counts", len(records), lambda: [cleaning.removed(r) for r in records]),
    ]
    print(f"{len(files)} files, {len(texts)} pages, {len(records)} records (corpus seed {args.seed})")
    print(f"{'step':<22} {'us/page':>8}  runs in")
    total = 0.0
    for name, count, step in steps:
        seconds = best(args.repeat, step)
        per_page = seconds / len(files) * 1e6  # per file of the corpus, so the steps add up
        total += 0 if name.startswith(" ") else per_page
        each = seconds / max(count, 1) * 1e6
        print(f"{name:<22} {per_page:>8.1f}  {WHERE[name]}  ({count} items, {each:.1f} us each)")
    print(f"{'all':<22} {total:>8.1f}  = {1e6 / total:.0f} pages/s of CPU on one core")


if __name__ == "__main__":
    main()
