"""Steps 3–4 on the whole corpus at once, from small arrays: one record per page, near-duplicate
groups, and the split of every record.

Row numbers count records in chunk order (the order of the sorted raw files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import schema
from . import neardup, same_asker
from .chunk import CLEANING_COLUMNS, COUNT_COLUMNS, ChunkResult, spill_path
from .split import SPLITS, SplitSpec


@dataclass
class Index:
    """Per-record arrays of the whole build, concatenated from the chunks."""

    chunks: list[int]  # chunk numbers, in order
    offsets: np.ndarray  # first row of each chunk (len(chunks) + 1 entries)
    source: np.ndarray
    id_hash: np.ndarray
    rank: np.ndarray
    split: np.ndarray
    specialty: np.ndarray
    complete: np.ndarray
    chat: np.ndarray
    spill_dir: Path
    asker_hash: np.ndarray | None = None  # same_asker.keys; None: no record has a key
    asker_day: np.ndarray | None = None

    @classmethod
    def of(cls, results: Sequence[ChunkResult], spill_dir: Path) -> Index:
        def cat(name: str, dtype) -> np.ndarray:
            return np.concatenate([*(getattr(r, name) for r in results), np.empty(0, dtype)]).astype(dtype)

        sizes = [r.records for r in results]
        return cls(
            [r.number for r in results],
            np.cumsum([0, *sizes]),
            cat("source", np.uint8),
            cat("id_hash", np.uint64),
            cat("rank", np.int64),
            cat("split", np.uint8),
            cat("specialty", np.int16),
            cat("complete", bool),
            cat("chat", np.uint8),
            spill_dir,
            cat("asker_hash", np.uint64),
            cat("asker_day", np.int32),
        )

    def __len__(self) -> int:
        return len(self.id_hash)

    def record_id(self, row: int) -> str:
        """The record id of a row, rebuilt from its source and hash."""
        return f"{schema.source_names()[self.source[row]]}-{int(self.id_hash[row]):016x}"

    def locate(self, row: int) -> tuple[int, int]:
        """(chunk number, row within that chunk's spill) of a global row."""
        k = int(np.searchsorted(self.offsets, row, side="right") - 1)
        return self.chunks[k], row - int(self.offsets[k])

    def keep_one_per_page(self) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """A mask of the kept rows, and (dropped row, kept row) for every other capture of a page.

        The most complete capture wins; between equals, the first file in sorted order.
        """
        rows = np.arange(len(self))
        order = np.lexsort((rows, -self.rank, self.id_hash, self.source))
        key_s, key_h = self.source[order], self.id_hash[order]
        first = np.r_[True, (key_s[1:] != key_s[:-1]) | (key_h[1:] != key_h[:-1])] if len(order) else np.empty(0, bool)
        keep = np.zeros(len(self), dtype=bool)
        keep[order[first]] = True
        winner_of = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0)) if len(order) else order
        dropped = [(int(order[i]), int(order[winner_of[i]])) for i in np.flatnonzero(~first)]
        return keep, sorted(dropped)

    def same_asker_pairs(self, keep: np.ndarray) -> np.ndarray:
        """Pairs of kept rows (pairs × 2) the same asker's re-asking joins (``same_asker.pairs``)."""
        if self.asker_hash is None or self.asker_day is None:
            return np.empty((0, 2), np.int64)
        kept = np.flatnonzero(keep)
        return kept[same_asker.pairs(self.asker_hash[kept], self.asker_day[kept])].reshape(-1, 2)

    def groups(
        self,
        keep: np.ndarray,
        threshold: float,
        joined: np.ndarray | None = None,
        on_band: Callable[[], object] | None = None,
    ) -> dict[int, int]:
        """Kept row → smallest kept row of its near-duplicate group (rows in groups of two or more):
        MinHash pairs, and ``joined`` (pairs of kept rows, from ``same_asker_pairs``).

        Band keys are read one band at a time and signatures one row at a time, both with a seek
        and a read: memory-mapped, a million rows' spills (600 MB) would stay mapped into this
        process; loaded whole, each chunk's band keys were read once per band.
        """
        kept = np.flatnonzero(keep)
        rows = _NpyRows()

        def columns() -> Iterator[np.ndarray]:
            for j in range(neardup.bands_rows(threshold)[0]):  # band spills are band-major: band j is row j
                parts = [rows.read(spill_path(self.spill_dir, c, "bands"), j) for c in self.chunks]
                yield np.concatenate(parts)[kept] if parts else np.empty(0, np.uint32)
                if on_band is not None:  # a progress bar's tick
                    on_band()

        def signature_of(i: int) -> np.ndarray:
            chunk, row = self.locate(int(kept[i]))
            return rows.read(spill_path(self.spill_dir, chunk, "signatures"), row)

        joined_at = None if joined is None else np.searchsorted(kept, joined).reshape(-1, 2)
        roots = neardup.group_rows(len(kept), columns(), signature_of, threshold, joined_at)
        return {int(kept[i]): int(kept[root]) for i, root in roots.items()}

    def assign(
        self, keep: np.ndarray, groups: Mapping[int, int], spec: SplitSpec, pinned: np.ndarray
    ) -> tuple[np.ndarray, list[list[str]]]:
        """The split code (index into ``SPLITS``) of every kept row; groups whose pins disagree.

        Records of the previous release (``pinned``, from ``pinned()``) keep their split; a
        near-duplicate group goes where its pinned member is, else by the salted hash of its
        smallest id; any other record by the hash of its own id (computed in the chunk).
        """
        names = list(spec.ratios)
        code = np.array([SPLITS.index(n) for n in names], dtype=np.uint8)[self.split]
        code[pinned >= 0] = pinned[pinned >= 0]
        members: dict[int, list[int]] = {}
        for row, root in groups.items():
            members.setdefault(root, []).append(row)
        conflicts = []
        for rows in members.values():
            ids = {row: self.record_id(row) for row in rows}
            pinned_here = sorted({int(pinned[r]) for r in rows if pinned[r] >= 0})
            if len(pinned_here) > 1:
                conflicts.append(sorted(ids.values()))
            home = pinned_here[0] if pinned_here else SPLITS.index(spec.assign(min(ids.values())))
            for row in rows:
                code[row] = pinned[row] if pinned[row] >= 0 else home
        code[~keep] = 255
        return code, sorted(conflicts)

    def replacement_totals(self, keep: np.ndarray) -> tuple[np.ndarray, int]:
        """What de-identification replaced in the kept records, summed by ``COUNT_COLUMNS``, and
        how many kept records it changed: read chunk by chunk from the ``counts`` spills."""
        totals = np.zeros(len(COUNT_COLUMNS), dtype=np.int64)
        changed = 0
        for k, chunk in enumerate(self.chunks):
            counts = np.load(spill_path(self.spill_dir, chunk, "counts"))[keep[self.offsets[k] : self.offsets[k + 1]]]
            totals += counts.sum(axis=0, dtype=np.int64)
            changed += int(np.count_nonzero(counts.any(axis=1)))
        return totals, changed

    def cleaning_totals(self, keep: np.ndarray) -> dict[str, dict[str, int]]:
        """What each cleaning rule removed from the kept records, by source (from the ``cleaning`` spills)."""
        sources = schema.source_names()
        totals = np.zeros((len(sources), len(CLEANING_COLUMNS)), dtype=np.int64)
        for k, chunk in enumerate(self.chunks):
            rows = keep[self.offsets[k] : self.offsets[k + 1]]
            removed = np.load(spill_path(self.spill_dir, chunk, "cleaning"))[rows]
            np.add.at(totals, self.source[self.offsets[k] : self.offsets[k + 1]][rows], removed)
        return {
            rule: {sources[i]: int(totals[i, j]) for i in range(len(sources)) if totals[i, j]}
            for j, rule in enumerate(CLEANING_COLUMNS)
        }

    def pinned(self, pins: Mapping[str, str]) -> np.ndarray:
        """The split code (index into ``SPLITS``) ``pins`` gives each row, -1 where the record is
        new: one sorted search over (hash, source) keys, not a dictionary lookup per row."""
        out = np.full(len(self), -1, dtype=np.int16)
        sources = schema.source_names()
        known = [
            (int(h, 16), sources.index(src), SPLITS.index(split))
            for rid, split in pins.items()
            for src, _, h in [rid.rpartition("-")]
            if src in sources
        ]
        if not known or not len(self):
            return out
        key = np.dtype([("hash", "<u8"), ("source", "u1")])
        keys = np.array([(h, s) for h, s, _ in known], dtype=key)
        order = np.argsort(keys, kind="stable")
        keys, codes = keys[order], np.array([c for _, _, c in known], dtype=np.int16)[order]
        rows = np.empty(len(self), dtype=key)
        rows["hash"], rows["source"] = self.id_hash, self.source
        at = np.minimum(np.searchsorted(keys, rows), len(keys) - 1)
        hit = keys[at] == rows
        out[hit] = codes[at[hit]]
        return out


class _NpyRows:
    """Single rows of 2-D ``.npy`` spills, read with a seek: each file's header is parsed once."""

    def __init__(self) -> None:
        self.layout: dict[Path, tuple[int, int, np.dtype]] = {}  # path → (data offset, row length, dtype)

    def read(self, path: Path, row: int) -> np.ndarray:
        with open(path, "rb") as f:
            if path not in self.layout:
                version = np.lib.format.read_magic(f)
                shape, fortran, dtype = (
                    np.lib.format.read_array_header_1_0(f)
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0(f)
                )
                assert len(shape) == 2 and not fortran, f"{path}: not a C-ordered 2-D array"
                self.layout[path] = (f.tell(), shape[1], dtype)
            start, width, dtype = self.layout[path]
            f.seek(start + row * width * dtype.itemsize)
            return np.frombuffer(f.read(width * dtype.itemsize), dtype=dtype)
