"""Step 3b: group near-duplicate questions (the same question asked again, a follow-up page that
repeats an earlier one) with MinHash/LSH, so that a group always lands in one split.

The similarity is the Jaccard index of word 3-grams of the title and question text (the opening of
the first answer where a page has no question). Pairs at or above ``THRESHOLD`` are joined.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.5  # see README, "Splits that do not leak"
NUM_PERM = 128
SHINGLE = 3
SEED = 1  # fixed: the same pages always give the same groups


def shingles(record: dict[str, Any]) -> set[bytes]:
    """Word 3-grams of what the asker wrote (lower-cased letters and digits only)."""
    body = record["question"]["text"] or (record["answers"][0]["text"] if record["answers"] else "")
    words = re.findall(r"[0-9a-z]+", f"{record['title'] or ''} {body}".lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(record: dict[str, Any]) -> MinHash:
    """The record's MinHash signature."""
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch(sorted(shingles(record)))
    return m


@dataclass
class _UnionFind:
    parent: dict[str, str]

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def near_duplicate_groups(records: Sequence[dict[str, Any]], threshold: float = THRESHOLD) -> list[list[str]]:
    """Groups of record ids (each sorted, groups sorted by their first id); singletons included.

    LSH finds candidate pairs; a pair is joined only when the signatures' estimated Jaccard index
    reaches ``threshold``, so the banding's false positives do not merge groups.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    sigs: dict[str, MinHash] = {}
    groups = _UnionFind({r["id"]: r["id"] for r in records})
    for record in sorted(records, key=lambda r: r["id"]):
        sig = signature(record)
        for other in lsh.query(sig):
            if sig.jaccard(sigs[other]) >= threshold:
                groups.union(record["id"], other)
        lsh.insert(record["id"], sig)
        sigs[record["id"]] = sig
    members: dict[str, list[str]] = {}
    for rid in sorted(groups.parent):
        members.setdefault(groups.find(rid), []).append(rid)
    return sorted(members.values())


def summary(groups: Sequence[Sequence[str]], conflicts: Sequence[Sequence[str]], threshold: float) -> dict[str, Any]:
    """What the manifest says about near-duplicates: the method and how many were grouped."""
    several = [g for g in groups if len(g) > 1]
    return {
        "method": f"MinHash/LSH (datasketch), Jaccard of word {SHINGLE}-grams of title and question",
        "threshold": threshold,
        "num_perm": NUM_PERM,
        "groups_with_several_records": len(several),
        "records_in_those_groups": sum(len(g) for g in several),
        "split_conflicts": [list(g) for g in conflicts],
    }
