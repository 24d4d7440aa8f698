"""Near-duplicate questions (the same question asked again, a follow-up page that repeats an earlier
one) found with MinHash/LSH, so that a group always lands in one split.

The similarity is the Jaccard index of word 3-grams of the title and question text (the opening of
the first answer where a page has no question). Signatures and band keys come from the Rust core
(``medqa_ds._core``, rust/src/minhash.rs): 128 permutations, value for value those of datasketch's
default scheme with xxh32 as the shingle hash (tests/test_minhash_parity.py holds them to it: a
change would move records between splits). LSH uses datasketch's choice of bands and rows for the
threshold, and a candidate pair is joined only when the signatures agree on at least
``THRESHOLD`` of their values, so banding noise does not merge groups. Signatures and band keys are
arrays, so a million pages need a few arrays, not a million Python objects.

A question re-asked in other words by the same person is the second signal (``same_asker``): its
pairs join the same groups.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from . import same_asker

try:
    from .._core import MinHasher
    from .._core import band_keys as _band_keys
    from .._core import minhash_text as _minhash_text
except ImportError as exc:  # a checkout whose Rust core was never compiled
    raise ImportError(
        "medqa_ds._core, the Rust core, is not built: run `make test` (or `pip install -e .` "
        "with cargo on PATH) to compile it"
    ) from exc

THRESHOLD = 0.5  # see README, "Splits that do not leak"
NUM_PERM = 128
SHINGLE = 3  # word 3-grams (rust/src/minhash.rs)
SEED = 1  # fixed: the same pages always give the same groups


def text(record: dict[str, Any]) -> str:
    """What the asker wrote: the title and the question (or the first answer's opening)."""
    return _minhash_text(record)  # rust/src/derive/minhash_text.rs


@cache
def hasher() -> MinHasher:
    """The permutations datasketch's ``MinHash(seed=SEED)`` draws for its "affine32" scheme."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return MinHasher(a.tolist(), b.tolist())


def signatures(records: Sequence[dict[str, Any]]) -> np.ndarray:
    """The records' MinHash signatures (records × ``NUM_PERM`` uint32 values)."""
    raw = hasher().record_signatures(list(records))  # of text(r), in the core
    return np.frombuffer(raw, dtype=np.uint32).reshape(len(records), NUM_PERM)


def signature(record: dict[str, Any]) -> np.ndarray:
    """The record's MinHash signature (``NUM_PERM`` uint32 values)."""
    return signatures([record])[0]


def _legendre(n: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Legendre polynomial of degree ``n`` and its derivative at ``x`` (Bonnet's recurrence)."""
    before, p = np.ones_like(x), x.copy()
    for j in range(2, n + 1):
        before, p = p, ((2 * j - 1) * x * p - (j - 1) * before) / j
    return p, n * (x * p - before) / (x * x - 1)


def gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes (ascending) and weights on [-1, 1], by Newton's method on the roots.

    Not ``np.polynomial.legendre.leggauss``: that goes through LAPACK, after which OpenBLAS's
    threads spin for a while on every core (~0.1 s of CPU a build taken from the parsing threads)."""
    x = np.cos(np.pi * (np.arange(1, n + 1) - 0.25) / (n + 0.5))
    for _ in range(100):
        p, dp = _legendre(n, x)
        step = p / dp
        x = x - step
        if np.max(np.abs(step)) < 1e-16:
            break
    _, dp = _legendre(n, x)
    return x[::-1], (2 / ((1 - x * x) * dp * dp))[::-1]


@cache
def bands_rows(threshold: float = THRESHOLD) -> tuple[int, int]:
    """The bands and rows datasketch's ``MinHashLSH`` picks for this threshold: those minimising the
    mean of the false-positive and false-negative areas. The integrands are polynomials of degree
    at most ``NUM_PERM``, which Gauss–Legendre with ``NUM_PERM // 2 + 1`` nodes integrates exactly."""
    nodes, weights = gauss_legendre(NUM_PERM // 2 + 1)

    def area(f, lo: float, hi: float) -> float:
        return (hi - lo) / 2 * math.fsum(weights * f((hi - lo) / 2 * nodes + (hi + lo) / 2))

    best, choice = float("inf"), (0, 0)
    for b in range(1, NUM_PERM + 1):
        for r in range(1, NUM_PERM // b + 1):
            false_pos = area(lambda s, r=r, b=b: 1 - (1 - s**r) ** b, 0.0, threshold)
            false_neg = area(lambda s, r=r, b=b: (1 - s**r) ** b, threshold, 1.0)
            if 0.5 * false_pos + 0.5 * false_neg < best:
                best, choice = 0.5 * false_pos + 0.5 * false_neg, (b, r)
    return choice


def band_keys(signatures: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """One uint32 key per LSH band per signature (rows × bands): equal keys make candidate pairs."""
    b, r = bands_rows(threshold)
    rows = np.ascontiguousarray(signatures, dtype=np.uint32).reshape(-1, NUM_PERM)
    return np.frombuffer(_band_keys(rows.tobytes(), NUM_PERM, b, r), dtype=np.uint32).reshape(len(rows), b)


BUCKET_WINDOW = 100  # a row is compared with at most this many rows before it in its band's bucket


def candidate_pairs(band_column: np.ndarray) -> np.ndarray:
    """Pairs (earlier, later) of row numbers whose key in one band is equal (rows × 2): every pair of
    a bucket, or, in a bucket bigger than ``BUCKET_WINDOW``, each row with the ``BUCKET_WINDOW``
    rows before it (a bucket of one template's pages need not be compared all with all)."""
    order = np.argsort(band_column, kind="stable")
    keys = band_column[order]
    pairs = []
    for d in range(1, min(BUCKET_WINDOW, len(keys) - 1) + 1):
        same = np.flatnonzero(keys[d:] == keys[:-d])
        if not len(same):
            break
        pairs.append(np.stack([order[same], order[same + d]], axis=1))
    return np.concatenate(pairs) if pairs else np.empty((0, 2), dtype=np.int64)


def similar(a: np.ndarray, b: np.ndarray, threshold: float = THRESHOLD) -> bool:
    """True when two signatures estimate a Jaccard index of at least ``threshold``."""
    return float(np.mean(a == b)) >= threshold


def group_rows(
    n: int, band_columns, signature_of, threshold: float = THRESHOLD, joined: np.ndarray | None = None
) -> dict[int, int]:
    """Union-find over confirmed candidate pairs: row → smallest row of its group (grouped rows only).

    ``band_columns`` yields one band column (length ``n``) at a time; ``signature_of(row)`` returns a
    row's signature. ``joined`` holds row pairs another signal already joins (``same_asker.pairs``),
    united first and without a signature check. Only candidate rows are ever held in Python objects.
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
        parent.setdefault(min(ra, rb), min(ra, rb))

    for a, b in [] if joined is None else joined.tolist():
        union(a, b)
    checked: set[tuple[int, int]] = set()
    for column in band_columns:
        for a, b in candidate_pairs(column).tolist():
            a, b = min(a, b), max(a, b)
            ra, rb = find(a), find(b)
            if ra == rb or (a, b) in checked:
                continue
            checked.add((a, b))
            if similar(signature_of(a), signature_of(b), threshold):
                union(a, b)
    return {x: find(x) for x in parent}


def near_duplicate_groups(records: Sequence[dict[str, Any]], threshold: float = THRESHOLD) -> list[list[str]]:
    """Groups of record ids (each sorted, groups sorted by their first id); singletons included.

    ``records`` as parsed (before de-identification): the same-asker signal reads the asker's name."""
    sigs = signatures(records)
    keys = band_keys(sigs, threshold)
    roots = group_rows(
        len(records),
        (keys[:, j] for j in range(keys.shape[1])),
        sigs.__getitem__,
        threshold,
        same_asker.pairs(*same_asker.keys(records)),
    )
    members: dict[int, list[str]] = {}
    for row, record in enumerate(records):
        members.setdefault(roots.get(row, row), []).append(record["id"])
    return sorted(sorted(g) for g in members.values())


def summary(
    groups: int, grouped_records: int, conflicts: Sequence[Sequence[str]], threshold: float, same_asker_records: int = 0
) -> dict[str, Any]:
    """What the manifest says about near-duplicates: the methods and how many were grouped."""
    return {
        "method": f"MinHash/LSH (datasketch, {NUM_PERM} permutations, {bands_rows(threshold)[0]} bands), "
        f"Jaccard of word {SHINGLE}-grams of title and question; or the same asker (name, age "
        f"bucket, sex) of one source asking the same first doctor within "
        f"{same_asker.WINDOW_DAYS} days",
        "threshold": threshold,
        "same_asker_window_days": same_asker.WINDOW_DAYS,
        "records_joined_by_same_asker": same_asker_records,
        "groups_with_several_records": groups,
        "records_in_those_groups": grouped_records,
        "split_conflicts": [list(g) for g in conflicts],
    }
