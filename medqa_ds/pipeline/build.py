"""``build``: raw pages in, a Hugging Face dataset folder out. Reads as its steps.

Chunks of files are parsed in worker processes and spilled to disk; the main process keeps a few
small arrays per record to decide duplicates and splits, then streams the spill into Parquet. Memory
stays small however many pages there are, and any number of workers gives the same bytes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import hashlib
import itertools
import json
import os
import shutil
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from .. import _core, interrupts, schema, sources
from . import card, chart, chat, containers, croissant, neardup, privacy, prompt_completion, takedowns
from .chunk import (
    CHUNK_FILES,
    ChunkResult,
    ChunkTask,
    finish_entries,
    process_chunk,
    read_entries,
    spill_path,
    start_entries,
)
from .index import Index
from .manifest import seal, summarize, tally, tally_counts
from .outcome import Reject
from .privacy import Policy, scrub_reject
from .read import DEFAULT_MAX_BYTES, count_files, discover
from .split import SPLITS, SplitSpec
from .staging import locked, staged, work_path
from .write import DEFAULT_SHARD_ROWS, SplitFiles, write_splits

REJECTS = "rejects.jsonl"


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build depends on besides the raw files (all of it is recorded in the manifest)."""

    name: str = "medqa"
    version: str = "0.0.0"
    splits: SplitSpec = field(default_factory=SplitSpec)
    max_bytes: int = DEFAULT_MAX_BYTES
    shard_rows: int = DEFAULT_SHARD_ROWS
    progress: bool | None = None  # None: a bar only on a terminal
    pins: Mapping[str, str] = field(default_factory=dict)  # id -> split of the previous release
    near_dup_threshold: float = neardup.THRESHOLD
    workers: int = 0  # 0: one per core; the output is the same for any number
    privacy: bool = True  # False only to debug locally: the card says so at its top and release refuses it
    redact_doctors: bool = False  # doctors' names too become [DOCTOR]
    chunk_files: int = CHUNK_FILES  # files per unit of work; the output is the same for any size
    takedowns: Path | None = None  # the takedown list; None: takedowns.txt at the top of the raw folder


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, for the summary line and for callers."""

    out: Path
    manifest: dict[str, Any]
    rejects: list[Reject]
    # wall seconds by stage, in order (``STAGES``): where a build's time goes, for `--timings`
    stages: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: files seen, records per split, rejects, and where the folder is."""
        acc = self.manifest["accounting"]
        per_split = ", ".join(f"{k} {v['num_examples']}" for k, v in self.manifest["splits"].items())
        pages = f" ({acc['pages_seen']} pages)" if acc["pages_seen"] != acc["files_seen"] else ""
        return (
            f"{acc['files_seen']} files{pages} -> {acc['records']} records ({per_split}), "
            f"{acc['rejects']} rejected; wrote {self.out}"
        )


# A build's stages, as ``BuildResult.stages`` times them: the chunk step (read, parse, check, take
# down, sign, de-identify, chat rows, spill: the core's unit of work), the decisions on the index
# (one record per page, near-duplicate groups, splits), the three configs' Parquet, and the rest
# (rejects, manifest, chart, card, croissant, checksums).
STAGES = ("chunks", "decide", "write", "rest")


def chunk_tasks(raw_dir: Path, spill: Path, options: BuildOptions) -> Iterator[ChunkTask]:
    """The build's units of work: fixed runs of the sorted raw files, spilling into ``spill``.

    Made as the raw folder is walked: the list of every file is never held.
    """
    files = containers.expand(raw_dir, discover(raw_dir), options.max_bytes)
    for number in itertools.count():
        batch = _batch(files, options.chunk_files)
        if not batch:
            return
        yield chunk_task(number, raw_dir, batch, spill, options)


# A chunk carries the bytes of the container members in it: it is cut short past this many, so a
# chunk of big members stays small on its way to a worker.
_CHUNK_MEMBER_BYTES = 64 << 20


def _batch(entries: Iterator[Any], size: int) -> list[Any]:
    """The next ``size`` entries (loose files, a container's members or rejects), fewer when the
    members' bytes reach ``_CHUNK_MEMBER_BYTES``."""
    batch: list[Any] = []
    carried = 0
    for entry in entries:
        batch.append(entry)
        carried += len(entry.data) if isinstance(entry, (containers.Member, containers.Line)) else 0
        if len(batch) >= size or carried >= _CHUNK_MEMBER_BYTES:
            break
    return batch


def chunk_task(number: int, raw_dir: Path, files: list[Any], spill: Path, options: BuildOptions) -> ChunkTask:
    """Chunk ``number``'s work: ``files`` (relative to ``raw_dir``, or containers' members), shaped by ``options``."""
    return ChunkTask(
        number,
        raw_dir,
        files,
        spill,
        options.max_bytes,
        options.splits,
        options.near_dup_threshold,
        Policy(options.redact_doctors) if options.privacy else None,
        takedowns.load(takedowns.default_path(raw_dir, options.takedowns)),
        options.workers,
    )


# Chunks handed to the pool ahead of the one whose result is awaited, per worker: enough to keep
# every worker busy, few enough that the tasks and results waiting stay small.
_AHEAD = 2
_PR_SET_PDEATHSIG = 1  # prctl option (Linux)


def _parse_chunks(
    raw_dir: Path, tasks: Iterable[ChunkTask], workers: int, progress: bool | None
) -> Generator[ChunkResult, None, None]:
    """Steps 1–2 for every chunk, in order, with a progress bar."""
    with tqdm(desc="parse", unit="file", disable=None if progress is None else not progress) as bar:
        if not bar.disable:
            bar.reset(total=count_files(raw_dir))
        results = _results(tasks, workers)
        try:
            for result in results:
                interrupts.check()
                bar.update(result.files)
                yield result
        finally:
            results.close()  # stops the workers now, not when the generator is collected


def _results(tasks: Iterable[ChunkTask], workers: int) -> Generator[ChunkResult, None, None]:
    """Each chunk's result in chunk order: from the core's threads in this process (each chunk's
    ``threads``) when only the built-in sources are installed; with plug-ins, from ``workers``
    processes (from this one when 1, or when there is a single chunk: forking workers would only
    cost time)."""
    tasks = iter(tasks)
    if not sources.plugins():
        yield from _in_core(tasks)
        return
    tasks = (replace(task, threads=1) for task in tasks)  # a process a core: the core's threads one each
    ahead = list(itertools.islice(tasks, 2))
    tasks = itertools.chain(ahead, tasks)
    if workers <= 1 or len(ahead) <= 1:
        yield from map(process_chunk, tasks)
        return
    # Workers are forked: frozen objects are never written by a collection in the workers, so
    # the memory they share with this process stays shared instead of being copied into each.
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        waiting: deque[Future[ChunkResult]] = deque()
        for task in tasks:
            waiting.append(pool.submit(process_chunk, task))
            if len(waiting) > _AHEAD * workers:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()
        pool.shutdown()
    finally:
        _stop(pool)
        gc.unfreeze()


def _in_core(tasks: Iterator[ChunkTask]) -> Generator[ChunkResult, None, None]:
    """Each chunk through the core's unit of work, while a thread walks the raw folder to the next
    chunk and reads its files (Python, holding the GIL only while the core runs without it).

    A chunk is started on the core's threads before the previous one is finished here, so the
    core never waits for this thread's Python (the arrays, the small spills); a chunk left running
    when the build stops is waited for, so nothing writes into a spill folder being removed.
    """

    def next_read() -> tuple[ChunkTask, list[Any]] | None:
        task = next(tasks, None)
        return None if task is None else (task, read_entries(task))

    started: deque[tuple[ChunkTask, _core.Running]] = deque()
    with ThreadPoolExecutor(1, thread_name_prefix="medqa-read") as reader:
        ahead = reader.submit(next_read)
        try:
            while (got := ahead.result()) is not None:
                ahead = reader.submit(next_read)
                started.append((got[0], start_entries(*got)))
                if len(started) > 1:
                    yield finish_entries(*started.popleft())
            while started:
                yield finish_entries(*started.popleft())
        finally:
            for _, running in started:
                with contextlib.suppress(Exception):
                    running.result()


def _die_with_parent(parent: int) -> None:
    """A worker's first act: the kernel kills it when the build process dies, however that dies
    (kill -9 included), so no worker outlives its build holding memory. Ctrl-C is the build's to
    handle: a worker ignores it, and SIGTERM ends it at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own checks are what is left
        pass
    if os.getppid() != parent:  # the build died before the line above ran
        os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool now, its workers too: after an error or an interrupt nobody wants their chunks,
    and the spill they write into is about to be removed."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)


@contextlib.contextmanager
def _spared_by_the_collector() -> Iterator[None]:
    """Python's garbage collector skips the objects alive when a build starts (the modules,
    pyarrow's and datasets' objects), which it otherwise walked again at every full collection
    the build's own objects set off (1.2% of a 10^5 build's CPU); they are tracked again after."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def build(raw_dir: Path, out: Path, options: BuildOptions | None = None) -> BuildResult:
    """Parse every file below ``raw_dir`` and write the dataset folder ``out`` (whole or not at all)."""
    options = options or BuildOptions()
    workers = options.workers or os.cpu_count() or 1
    with locked(out), _spared_by_the_collector():  # one build per --out; what dead ones left is removed first
        spill = work_path(out.resolve(), "spill")
        shutil.rmtree(spill, ignore_errors=True)
        spill.mkdir()
        try:
            # 1. read each file, 2. parse it, check each record against the schema, sign it,
            #    de-identify it and derive its chat row; spill. Chunk by chunk, on every core.
            tasks = chunk_tasks(raw_dir, spill, options)
            chunks = _parse_chunks(raw_dir, tasks, workers, options.progress)
            try:
                return finish(chunks, spill, out, options)
            finally:
                chunks.close()  # on an error or Ctrl-C: the workers stop before their spill is removed
        finally:
            shutil.rmtree(spill, ignore_errors=True)


def finish(chunks: Iterable[ChunkResult], spill: Path, out: Path, options: BuildOptions) -> BuildResult:
    """Steps 3–8, from every chunk's result in chunk order (whichever engine parsed them)."""
    results, rejects, inputs = [], [], hashlib.sha256()
    unmapped: list[tuple[int, str]] = []
    hosts: dict[str, int] = {}
    host_codes: list[np.ndarray] = []
    taken_down: list[str | None] = []
    files = pages = readable = rows = 0
    clock = _Clock()
    for result in chunks:
        names = np.array([hosts.setdefault(h, len(hosts)) for h in result.hosts] + [-1], dtype=np.int32)
        host_codes.append(names[result.host])
        taken_down += result.taken_down
        files, pages, readable = files + result.files, pages + result.pages, readable + len(result.inputs)
        for file, digest in result.inputs:
            inputs.update(f"{file}\0{digest}\n".encode())
        rejects += result.rejects
        unmapped += [(rows + row, role) for row, role in result.unmapped_roles]
        rows += result.records
        results.append(replace(result, inputs=[], rejects=[], unmapped_roles=[], hosts=[], taken_down=[]))
    clock.lap("chunks")
    index = Index.of(results, spill)
    results.clear()  # the index holds the arrays now
    # 3. one record per page: the most complete capture wins
    keep, dropped = index.keep_one_per_page()
    keep, dropped, also_gone = _taken_down_elsewhere(index, keep, dropped, {i for i in taken_down if i})
    taken_down += [None] * also_gone
    rejects += _duplicate_rejects(index, dropped)
    rejects.sort(key=lambda r: (r.file, r.line or 0))
    # 4. near-duplicate groups, each placed whole in one split; the previous release's splits kept
    #    (MinHash, and the same asker asking the same doctor again within a week)
    joined = index.same_asker_pairs(keep)
    with _bar("group", neardup.bands_rows(options.near_dup_threshold)[0], "band", options.progress) as bar:
        groups = index.groups(keep, options.near_dup_threshold, joined, on_band=bar.update)
    pinned = index.pinned(options.pins)
    codes, conflicts = index.assign(keep, groups, options.splits, pinned)
    chat_codes = np.where(chat.has_row(index.chat), codes, 255).astype(np.uint8)
    clock.lap("decide")
    with staged(out) as tmp:
        # 5. Parquet shards of every config (records de-identified in the chunks), in file order
        written, chats, completions = _write_configs(tmp, index, codes, chat_codes, options)
        clock.lap("write")
        # 6. rejects (contact details in names replaced) and the schema
        lines = (scrub_reject(r.to_json()) if options.privacy else r.to_json() for r in rejects)
        (tmp / REJECTS).write_text(
            "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
        )
        (tmp / "schema").mkdir()
        for path in schema.schema_files():
            shutil.copyfile(path, tmp / "schema" / path.name)
        # 7. manifest (the accounting), the chart, card and croissant.json from it, every file's checksum
        grouped = Counter(groups.values())
        manifest = summarize(
            name=options.name,
            version=options.version,
            files=files,
            pages=pages,
            readable=readable,
            inputs_digest=inputs.hexdigest(),
            splits=written,
            rejects=rejects,
            counts=_counts(index, codes, keep, unmapped),
            taken_down=len(taken_down),
            split_config={
                "ratios": options.splits.ratios,
                "salt": options.splits.salt,
                "key": "smallest id of the record's near-duplicate group",
                "pinned_from_previous_release": int(np.sum(pinned[keep] >= 0)),
            },
            near_duplicates=neardup.summary(
                len(grouped), sum(grouped.values()), conflicts, options.near_dup_threshold, len(np.unique(joined))
            ),
        )
        by_host = (
            np.bincount(np.concatenate(host_codes)[keep] + 1, minlength=len(hosts) + 1)[1:]
            if host_codes
            else np.zeros(0, np.int64)
        )
        manifest["counts"]["hosts"] = tally_counts({h: int(by_host[k]) for h, k in hosts.items() if by_host[k]})
        # ids only: nothing else of a page taken down reaches an output
        manifest["takedowns"] = {"pages": len(taken_down), "ids": sorted({i for i in taken_down if i})}
        manifest.update(
            privacy=privacy.summary(Policy(options.redact_doctors), *index.replacement_totals(keep))
            if options.privacy
            else privacy.disabled(),
            chat=chat.summary(chats, index.chat[keep], index.cleaning_totals(keep)),
            prompt_completion={
                "config": prompt_completion.CONFIG,
                "splits": {
                    s.name: {"num_examples": s.num_examples, "num_bytes": s.num_bytes, "files": s.files}
                    for s in completions
                },
            },
        )
        chart.write(tmp, manifest)
        card.record_sizes(tmp, manifest)
        (tmp / card.LICENSE).write_text(card.license_markdown(), encoding="utf-8")
        (tmp / "README.md").write_text(card.render(manifest), encoding="utf-8")
        croissant.write(tmp, manifest)
        seal(tmp, manifest)
    clock.lap("rest")
    return BuildResult(out.resolve(), manifest, rejects, clock.stages)


def _write_configs(
    tmp: Path, index: Index, codes: np.ndarray, chat_codes: np.ndarray, options: BuildOptions
) -> tuple[list[SplitFiles], list[SplitFiles], list[SplitFiles]]:
    """The records, chat and prompt_completion configs' shards, written at once on three threads.

    pyarrow encodes and compresses Parquet with the GIL released, so the three configs overlap on
    every core instead of forming a serial tail; each config is streamed through its own writers in
    file order, so the bytes are those of writing them one after another. A failure or a signal in
    one stops the others at their next chunk, and the staging folder is then discarded whole.
    """
    stop = threading.Event()
    rows = int(np.sum(codes < len(SPLITS))) + 2 * int(np.sum(chat_codes < len(SPLITS)))
    with _bar("write", rows, "row", options.progress) as bar:
        ticks = threading.Lock()

        def tick(rows: int) -> None:
            with ticks:
                bar.update(rows)

        def config(kind: str, codes: np.ndarray, to_table: Any, arrow_schema: pa.Schema, folder: str) -> Any:
            batches = ((to_table(t), c) for t, c in _spilled(index, codes, kind, stop))
            return write_splits(tmp, _counted(batches, tick), _totals(codes), arrow_schema, options.shard_rows, folder)

        def same(table: pa.Table) -> pa.Table:
            return table

        jobs = (
            ("records", codes, same, schema.arrow_schema(), "data"),
            ("chat", chat_codes, same, chat.arrow_schema(), chat.FOLDER),
            ("chat", chat_codes, prompt_completion.table, prompt_completion.arrow_schema(), prompt_completion.FOLDER),
        )
        with ThreadPoolExecutor(len(jobs), thread_name_prefix="medqa-write") as pool:
            futures = [pool.submit(config, *job) for job in jobs]
            try:
                wait(futures, return_when=FIRST_EXCEPTION)
            except BaseException:  # Ctrl-C: the writers end at their next chunk; the pool waits for them
                stop.set()
                raise
            failed = [error for f in futures if f.done() and (error := f.exception()) is not None]
            if failed:
                stop.set()
                raise failed[0]
            written, chats, completions = (future.result() for future in futures)
    return written, chats, completions


class _Clock:
    """Wall seconds between laps, by stage name."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = now - self._last
        self._last = now


def _taken_down_elsewhere(
    index: Index, keep: np.ndarray, dropped: list[tuple[int, int]], ids: set[str]
) -> tuple[np.ndarray, list[tuple[int, int]], int]:
    """Drop the other captures of a page taken down (listed by its URL or digest in one chunk, the
    same page saved elsewhere has the same id): not kept, not a duplicate reject; how many."""
    if not ids:
        return keep, dropped, 0
    gone = np.isin(index.id_hash, np.array([int(i.rsplit("-", 1)[1], 16) for i in ids], dtype=np.uint64))
    rows = np.flatnonzero(gone)
    gone[rows] = [index.record_id(int(r)) in ids for r in rows]
    return keep & ~gone, [(d, k) for d, k in dropped if not gone[d]], int(gone.sum())


def _totals(codes: np.ndarray) -> dict[str, int]:
    return {name: int(np.sum(codes == k)) for k, name in enumerate(SPLITS)}


def _bar(step: str, total: int, unit: str, progress: bool | None) -> tqdm:
    """A progress bar for one long step (on a terminal only, unless ``progress`` says otherwise)."""
    return tqdm(desc=step, total=total, unit=unit, disable=None if progress is None else not progress)


def _counted(
    batches: Iterator[tuple[pa.Table, np.ndarray]], tick: Callable[[int], object]
) -> Iterator[tuple[pa.Table, np.ndarray]]:
    """``batches`` as they are, calling ``tick`` with the rows each one writes (a progress bar's update)."""
    for table, codes in batches:
        yield table, codes
        tick(int(np.sum(codes < len(SPLITS))))


def _spilled(
    index: Index, codes: np.ndarray, kind: str, stop: threading.Event | None = None
) -> Iterator[tuple[pa.Table, np.ndarray]]:
    """Each chunk's spilled ``records`` or ``chat`` rows with their split codes, in chunk order
    (until ``stop`` is set: another writer failed)."""
    options = pa.ipc.IpcReadOptions(use_threads=False)  # see _file_of
    for k, chunk in enumerate(index.chunks):
        if stop is not None and stop.is_set():
            raise RuntimeError("stopped: another config's writer failed")
        with pa.memory_map(str(spill_path(index.spill_dir, chunk, kind))) as source:
            table = pa.ipc.open_file(source, options=options).read_all()
        yield table, codes[index.offsets[k] : index.offsets[k + 1]]
        if k % _TRIM_CHUNKS == _TRIM_CHUNKS - 1:
            _give_back()


# Every this many chunks a writer hands glibc's free memory back (``_give_back``).
_TRIM_CHUNKS = 25
_MALLOC_TRIM = getattr(ctypes.CDLL(ctypes.util.find_library("c")), "malloc_trim", None)


def _give_back() -> None:
    """Return the memory glibc keeps free in its arenas to the system: Arrow (on its system
    allocator, see cli) frees each chunk's buffers, but each writer thread's arena kept what it
    had freed, so the write step grew with the corpus (peak 695 MB at 10^6 pages, 612 MB with
    this every 25 chunks). Not glibc (no ``malloc_trim``): nothing to do."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _file_of(index: Index, rows: list[int]) -> dict[int, str]:
    """The raw file each row was read from (from the spill's provenance column)."""
    found: dict[int, str] = {}
    by_chunk: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        chunk, local = index.locate(row)
        by_chunk.setdefault(chunk, []).append((row, local))
    # Only the provenance column is read (and decompressed), and on this thread: Arrow's allocator
    # keeps what its reader threads allocate, so whole spills read with threads, once per chunk,
    # grew the main process by 400 MB at a million pages.
    provenance = schema.arrow_schema().get_field_index("provenance")
    options = pa.ipc.IpcReadOptions(included_fields=[provenance], use_threads=False)
    for chunk, pairs in by_chunk.items():
        with pa.memory_map(str(spill_path(index.spill_dir, chunk, "records"))) as source:
            files = pa.ipc.open_file(source, options=options).read_all().column("provenance").combine_chunks()
            column = files.field("file").to_pylist()
        found.update({row: column[local] for row, local in pairs})
    return found


def _duplicate_rejects(index: Index, dropped: list[tuple[int, int]]) -> list[Reject]:
    files = _file_of(index, [row for pair in dropped for row in pair])
    return [
        Reject(
            files[drop],
            f"duplicate: same page as {files[kept]} (id {index.record_id(kept)}), which is the more complete capture",
        )
        for drop, kept in dropped
    ]


def _counts(index: Index, codes: np.ndarray, keep: np.ndarray, unmapped: list[tuple[int, str]]) -> dict[str, Any]:
    """Records by source and specialty, overall and per split, counted on the index arrays."""
    sources = schema.source_names()
    specialties = [s for s in schema.load(schema.SPECIALTY_SCHEMA)["enum"] if s]

    def tallies(rows: np.ndarray) -> tuple[dict[str, int], dict[str, int]]:
        by_source = np.bincount(index.source[rows], minlength=len(sources))
        by_specialty = np.bincount(index.specialty[rows].astype(np.int64) + 1, minlength=len(specialties) + 1)
        return (
            tally_counts({sources[i]: int(n) for i, n in enumerate(by_source) if n}),
            tally_counts({(specialties[i - 1] if i else None): int(n) for i, n in enumerate(by_specialty) if n}),
        )

    kept = np.flatnonzero(keep)
    source, specialty = tallies(kept)
    by_split = {}
    for k, name in enumerate(SPLITS):
        s, p = tallies(np.flatnonzero(codes == k))
        by_split[name] = {"source": s, "specialty": p}
    return {
        "source": source,
        "specialty": specialty,
        "by_split": by_split,
        "complete": int(np.sum(index.complete[kept])),
        "incomplete": int(np.sum(~index.complete[kept])),
        # roles the vocabulary does not map yet: add them to schema/specialties.schema.json
        "unmapped_roles": tally(role for row, role in unmapped if keep[row]),
    }
