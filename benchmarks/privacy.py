"""Benchmark the privacy step alone: µs per page of ``privacy.deidentify`` on the benchmark corpus.

    python benchmarks/privacy.py [--pages 5000] [--repeat 3]

The corpus (benchmarks/corpus.py, seed 0) is generated in a temporary folder and parsed once; only
de-identification is timed (best of --repeat runs, one core), so the figure is the step's own cost.
CPU time of the process is measured (not wall time), so other work on the machine does not count.
The names rules are compiled (rust/src/privacy/) and keep no cache across records; the typed
identifiers' patterns are Python's, compiled at import.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from medqa_ds import ParseError, parse_all
from medqa_ds.pipeline import privacy


def records(pages: int) -> list[dict]:
    """The corpus's pages parsed into records (what the step receives in a build)."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus.generate(Path(tmp), pages)
        found = []
        for path in sorted(p for p in Path(tmp).rglob("*") if p.is_file()):
            try:
                parsed = parse_all(path.read_text(encoding="utf-8"), path.name)
            except (UnicodeDecodeError, ValueError, ParseError):
                continue  # the corpus's bad files: rejects in a build
            found += [r for r in parsed if isinstance(r, dict)]
        return found


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=5000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    recs = records(args.pages)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        for record in recs:
            privacy.deidentify(record)
        best = min(best, time.process_time() - start)
    print(
        f"privacy step: {len(recs)} records, {best * 1e6 / len(recs):.1f} µs/page "
        f"({len(recs) / best:,.0f} pages/s on one core, best of {args.repeat}, CPU time)"
    )


if __name__ == "__main__":
    main()
