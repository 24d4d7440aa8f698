"""Benchmark the MinHash step: µs a page for signatures and band keys, as medqa_ds computed them
with datasketch before the Rust core and with the core now (the same values: the parity test).

    python benchmarks/minhash.py [--pages 5000] [--repeat 3]

Pages are generated (benchmarks/corpus.py, seed 0) and parsed first; only signing is timed.
Needs the test dependencies (datasketch, xxhash) for the "before" figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import corpus  # noqa: E402
from test_minhash_parity import records_of  # noqa: E402

from medqa_ds.pipeline import neardup  # noqa: E402


def datasketch_step(records: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """The code this core replaced: one reused datasketch MinHash, xxh32 shingles, xxh32 band keys."""
    import re

    import xxhash
    from datasketch import MinHash, MinHashLSH

    word = re.compile(r"[0-9a-z]+")
    seed = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED)
    m = MinHash(
        num_perm=neardup.NUM_PERM, hashfunc=xxhash.xxh32_intdigest, permutations=seed.permutations, scheme=seed.scheme
    )
    lsh = MinHashLSH(threshold=neardup.THRESHOLD, num_perm=neardup.NUM_PERM)
    sigs = []
    for record in records:
        words = word.findall(neardup.text(record).lower())
        m.clear()
        m.update_batch(
            [" ".join(words).encode()]
            if len(words) < 3
            else [" ".join(g).encode() for g in zip(*(words[k:] for k in range(3)))]
        )
        sigs.append(m.hashvalues.astype(np.uint32))
    sigs = np.stack(sigs)
    b, r = lsh.b, lsh.r
    keys = np.array(
        [[xxhash.xxh32_intdigest(s.tobytes()[j * r * 4 : (j + 1) * r * 4], seed=j) for j in range(b)] for s in sigs],
        dtype=np.uint32,
    )
    return sigs, keys


def rust_per_record(records: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """As the chunk step calls it: one signature a record, band keys for the chunk."""
    sigs = np.stack([neardup.signature(r) for r in records])
    return sigs, neardup.band_keys(sigs)


def rust_batch(records: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """One call for all the records (the GIL released for all of them)."""
    sigs = neardup.signatures(records)
    return sigs, neardup.band_keys(sigs)


def best_of(step, records: list[dict], repeat: int) -> tuple[float, tuple[np.ndarray, np.ndarray]]:
    times, out = [], None
    for _ in range(repeat):
        start = time.process_time()  # CPU time: steadier than wall time on a shared machine
        out = step(records)
        times.append(time.process_time() - start)
    return min(times), out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=5000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus.generate(Path(tmp) / "raw", args.pages, seed=0)
        records = records_of(Path(tmp) / "raw")
    words = np.mean([len(neardup.text(r).split()) for r in records])
    print(f"{len(records)} records from {args.pages} generated pages, {words:.0f} words of title and question each")
    reference = None
    for name, step in [
        ("datasketch (before)", datasketch_step),
        ("Rust, a call a record (the chunk step)", rust_per_record),
        ("Rust, one call for all", rust_batch),
    ]:
        seconds, out = best_of(step, records, args.repeat)
        reference = out if reference is None else reference
        same = all(np.array_equal(a, b) for a, b in zip(out, reference))
        print(f"{name:40s} {seconds / len(records) * 1e6:8.1f} µs of CPU a record  (identical: {same})")


if __name__ == "__main__":
    main()
