"""Near-duplicate questions (the same question asked again, a follow-up page that repeats an earlier
one) found with MinHash/LSH, so that a group always lands in one split.

The similarity is the Jaccard index of word 3-grams of the title and question text (the opening of
the first answer where a page has no question). Signatures come from ``datasketch`` (128
permutations, xxhash); LSH bands them with datasketch's own choice of bands and rows for the
threshold, and a candidate pair is joined only when the signatures agree on at least
``THRESHOLD`` of their values, so banding noise does not merge groups. Signatures and band keys are
arrays, so a million pages need a few arrays, not a million Python objects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import xxhash
from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.5  # see README, "Splits that do not leak"
NUM_PERM = 128
SHINGLE = 3
SEED = 1  # fixed: the same pages always give the same groups
_WORD = re.compile(r"[0-9a-z]+")


def shingles(record: dict[str, Any]) -> list[bytes]:
    """Word 3-grams of what the asker wrote (lower-cased letters and digits only)."""
    body = record["question"]["text"] or (record["answers"][0]["text"] if record["answers"] else "")
    words = _WORD.findall(f"{record['title'] or ''} {body}".lower())
    if len(words) < SHINGLE:
        return [" ".join(words).encode()]
    return [" ".join(gram).encode() for gram in zip(*(words[k:] for k in range(SHINGLE)))]


@cache
def _seed_minhash() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED)


@cache
def bands_rows(threshold: float = THRESHOLD) -> tuple[int, int]:
    """How datasketch splits the signature into bands of rows for this threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@cache
def _minhash() -> MinHash:
    """One MinHash per process, cleared for each record: building one per record cost a fifth of
    the signature's time."""
    seed = _seed_minhash()
    return MinHash(num_perm=NUM_PERM, hashfunc=xxhash.xxh32_intdigest, permutations=seed.permutations,
                   scheme=seed.scheme)


def signature(record: dict[str, Any]) -> np.ndarray:
    """The record's MinHash signature (``NUM_PERM`` uint32 values)."""
    m = _minhash()
    m.clear()
    m.update_batch(shingles(record))
    return m.hashvalues.astype(np.uint32)


def band_keys(signatures: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """One uint32 key per LSH band per signature (rows × bands): equal keys make candidate pairs."""
    b, r = bands_rows(threshold)
    out = np.empty((len(signatures), b), dtype=np.uint32)
    for i, sig in enumerate(signatures):
        raw = sig.tobytes()
        out[i] = [xxhash.xxh32_intdigest(raw[j * r * 4:(j + 1) * r * 4], seed=j) for j in range(b)]
    return out


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


def group_rows(n: int, band_columns, signature_of, threshold: float = THRESHOLD) -> dict[int, int]:
    """Union-find over confirmed candidate pairs: row → smallest row of its group (grouped rows only).

    ``band_columns`` yields one band column (length ``n``) at a time; ``signature_of(row)`` returns a
    row's signature. Only candidate rows are ever held in Python objects.
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    checked: set[tuple[int, int]] = set()
    for column in band_columns:
        for a, b in candidate_pairs(column).tolist():
            a, b = min(a, b), max(a, b)
            ra, rb = find(a), find(b)
            if ra == rb or (a, b) in checked:
                continue
            checked.add((a, b))
            if similar(signature_of(a), signature_of(b), threshold):
                parent[max(ra, rb)] = min(ra, rb)
                parent.setdefault(min(ra, rb), min(ra, rb))
    return {x: find(x) for x in parent}


def near_duplicate_groups(records: Sequence[dict[str, Any]], threshold: float = THRESHOLD) -> list[list[str]]:
    """Groups of record ids (each sorted, groups sorted by their first id); singletons included."""
    sigs = np.stack([signature(r) for r in records]) if records else np.empty((0, NUM_PERM), np.uint32)
    keys = band_keys(sigs, threshold)
    roots = group_rows(len(records), (keys[:, j] for j in range(keys.shape[1])), sigs.__getitem__, threshold)
    members: dict[int, list[str]] = {}
    for row, record in enumerate(records):
        members.setdefault(roots.get(row, row), []).append(record["id"])
    return sorted(sorted(g) for g in members.values())


def summary(groups: int, grouped_records: int, conflicts: Sequence[Sequence[str]], threshold: float) -> dict[str, Any]:
    """What the manifest says about near-duplicates: the method and how many were grouped."""
    return {
        "method": f"MinHash/LSH (datasketch, {NUM_PERM} permutations, {bands_rows(threshold)[0]} bands), "
                  f"Jaccard of word {SHINGLE}-grams of title and question",
        "threshold": threshold,
        "groups_with_several_records": groups,
        "records_in_those_groups": grouped_records,
        "split_conflicts": [list(g) for g in conflicts],
    }
