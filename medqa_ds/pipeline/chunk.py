"""Steps 1–2 for one chunk of raw files, in a worker process: read, parse, check, sign, spill.

A chunk is a fixed number of files in sorted order, whatever the number of workers, so one worker
and many give byte-identical output. Records go to an Arrow file on disk (the spill); what the rest
of the build needs to decide duplicates and splits comes back as a few small arrays.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa

from .. import _core, cleaning, schema, sources
from ..sources import compiled
from . import chat, identifiers, neardup, privacy, same_asker
from .containers import Line
from .outcome import Page, Reject
from .parse_pages import invalid, parse_page
from .read import read_bytes, read_entry
from .split import SPLITS, SplitSpec
from .takedowns import Takedowns

CHUNK_FILES = 1000


@dataclass(frozen=True)
class ChunkTask:
    """One chunk's work: which files, where to spill, and the options that shape records."""

    number: int
    raw_dir: Path
    files: list[Any]  # relative to raw_dir, posix style; or a container's Member or Reject
    spill_dir: Path
    max_bytes: int
    splits: SplitSpec
    threshold: float
    policy: privacy.Policy | None = None  # None: publish records as parsed (local debugging only)
    takedowns: Takedowns = field(default_factory=Takedowns)
    threads: int = 0  # the core's threads for the chunk (0: one per core); the output is the same for any


@dataclass
class ChunkResult:
    """What the main process keeps of a chunk: small per-record arrays, the rejects, the inputs.

    What de-identification replaced in each record is spilled (``counts``), not kept here: it is
    summed once the kept records are known.
    """

    number: int
    files: int
    pages: int
    rejects: list[Reject]
    inputs: list[tuple[str, str]]  # (file, sha256) of every readable file, in order
    source: np.ndarray  # uint8 index into the schema's source enum
    id_hash: np.ndarray  # uint64: the 16 hex digits of the id
    rank: np.ndarray  # int64: higher is the more complete capture of a page
    split: np.ndarray  # uint8: split of the record on its own (salted hash of its id)
    specialty: np.ndarray  # int16 index into the specialty enum, -1 for none
    complete: np.ndarray  # bool
    chat: np.ndarray  # uint8: the record's chat state (chat.ROW, chat.NO_ROW…)
    asker_hash: np.ndarray  # uint64: hash of the asker's identity and first doctor (same_asker.key), never the name
    asker_day: np.ndarray  # int32: the question's day number, same_asker.NO_DAY without a key
    unmapped_roles: list[tuple[int, str]] = field(default_factory=list)  # (row, role)
    hosts: list[str] = field(default_factory=list)  # the URLs' hosts in this chunk; host indexes into it
    host: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))  # -1: no URL
    taken_down: list[str | None] = field(default_factory=list)  # ids of pages dropped (None: it had none)

    @property
    def records(self) -> int:
        return len(self.id_hash)


def spill_path(spill_dir: Path, number: int, kind: str) -> Path:
    """Where a chunk's spilled ``records`` or ``chat`` rows (Arrow), ``signatures``, ``bands``,
    ``counts`` or ``cleaning`` (NumPy) live."""
    suffix = "arrow" if kind in ("records", "chat") else "npy"
    return spill_dir / f"{kind}-{number:06d}.{suffix}"


# The columns of a chunk's ``counts`` spill: replacements by kind, then by top-level field.
COUNT_COLUMNS = (*privacy.COUNTED, *privacy.FIELDS)
# The columns of a chunk's ``cleaning`` spill: pieces removed per cleaning rule.
CLEANING_COLUMNS = tuple(r.name for r in cleaning.RULES)


def rank(record: dict[str, Any]) -> int:
    """Orders captures of one page: whole before cut, then more answers, then more text."""
    return _core.record_rank(record)  # rust/src/derive/rank.rs


@dataclass
class _Prepared:
    """One record made ready to publish: everything the chunk keeps of it."""

    record: dict[str, Any]  # as parsed
    published: dict[str, Any]  # de-identified (the record itself when the policy is None)
    signature: np.ndarray
    counts: list[int]
    messages: list[dict[str, str]] | None
    state: int  # chat.ROW, chat.NO_ROW…
    removed: list[int]  # pieces each cleaning rule removed, in ``CLEANING_COLUMNS`` order


def _prepare(record: dict[str, Any], policy: privacy.Policy | None) -> _Prepared:
    """Sign, de-identify and derive the chat row of one checked record."""
    signature = neardup.signature(record)
    if policy is None:
        published, counts = record, [0] * len(COUNT_COLUMNS)
    else:
        done = privacy.deidentify(record, policy)
        published = done.record
        counts = [done.by_kind[k] for k in privacy.COUNTED] + [done.by_field[f] for f in privacy.FIELDS]
    messages, state = chat.messages(published)
    removed = cleaning.removed(record)
    return _Prepared(record, published, signature, counts, messages, state, [removed[c] for c in CLEANING_COLUMNS])


def process_chunk(task: ChunkTask) -> ChunkResult:
    """Read, parse and check every file of the chunk; sign, de-identify and spill the records and
    their chat rows; return the arrays.

    A bug in any step after parsing (signing, de-identifying, the chat row) is, like a parser bug,
    a reject naming the file: one odd page must not stop a build of a million. With only the
    built-in sources installed, the whole chunk is the core's unit of work (``unit.run``), on its
    threads with the GIL released; plug-ins need Python's parse loop.
    """
    if sources.plugins():
        return _process_in_python(task)
    return run_entries(task, read_entries(task))


def read_entries(task: ChunkTask) -> list[tuple[Any, ...]]:
    """The chunk's entries as the unit of work takes them: ("page", file, bytes, url, captured)
    for a file or container member that could be read, ("reject", file, reason, line) for the
    rest. Reading stays in Python (the raw folder's rules: symlinks, special files, sizes)."""
    out: list[tuple[Any, ...]] = []
    for entry in task.files:
        if isinstance(entry, str):
            data = read_bytes(entry, task.raw_dir, task.max_bytes)
            item: Any = data if isinstance(data, Reject) else ("page", entry, data, None, None)
        else:
            member = entry.member() if isinstance(entry, Line) else entry
            item = (
                member
                if isinstance(member, Reject)
                else ("page", member.file, member.data, member.url, member.captured)
            )
        out.append(("reject", item.file, item.reason, item.line) if isinstance(item, Reject) else item)
    return out


def run_entries(task: ChunkTask, entries: list[tuple[Any, ...]]) -> ChunkResult:
    """The chunk's read entries through the core's unit of work: its spill written, its arrays."""
    got = _unit(task.policy, tuple(task.splits.ratios.items()), task.splits.salt, task.takedowns, task.threads).run(
        entries,
        spill_path(task.spill_dir, task.number, "records"),
        spill_path(task.spill_dir, task.number, "chat"),
    )
    n = len(got["rank"]) // 8
    rejects = [
        Reject(file, reason, line) if reason is not None else invalid(file, record)
        for file, reason, line, record in got["rejects"]
    ]
    sigs = np.frombuffer(got["signatures"], np.uint32).reshape(n, neardup.NUM_PERM)
    np.save(spill_path(task.spill_dir, task.number, "signatures"), sigs)
    np.save(
        spill_path(task.spill_dir, task.number, "bands"),
        np.ascontiguousarray(neardup.band_keys(sigs, task.threshold).T),
    )
    counts = np.frombuffer(got["counts"], np.uint32).reshape(n, len(COUNT_COLUMNS))
    np.save(spill_path(task.spill_dir, task.number, "counts"), counts)
    removed = np.frombuffer(got["cleaning"], np.uint32).reshape(n, len(CLEANING_COLUMNS))
    np.save(spill_path(task.spill_dir, task.number, "cleaning"), removed)
    hosts: dict[str, int] = {}
    host = np.array([hosts.setdefault(h, len(hosts)) if (h := _host(u)) else -1 for u in got["urls"]], dtype=np.int32)
    return ChunkResult(
        number=task.number,
        files=len(task.files),
        pages=got["pages"],
        rejects=rejects,
        inputs=got["inputs"],
        source=np.frombuffer(got["source"], np.uint8),
        id_hash=np.frombuffer(got["id_hash"], np.uint64),
        rank=np.frombuffer(got["rank"], np.int64),
        split=np.frombuffer(got["split"], np.uint8),
        specialty=np.frombuffer(got["specialty"], np.int16),
        complete=np.frombuffer(got["complete"], np.uint8).astype(bool),
        chat=np.frombuffer(got["chat"], np.uint8),
        asker_hash=np.frombuffer(got["asker_hash"], np.uint64),
        asker_day=np.frombuffer(got["asker_day"], np.int32),
        unmapped_roles=got["unmapped_roles"],
        hosts=list(hosts),
        host=host,
        taken_down=got["taken_down"],
    )


@lru_cache(maxsize=8)
def _unit(
    policy: privacy.Policy | None,
    ratios: tuple[tuple[str, float], ...],
    salt: str,
    takedowns: Takedowns,
    threads: int,
) -> _core.Unit:
    """The core's unit of work for these options (made once a process: it holds its threads)."""
    names = [name for name, _ in ratios]
    shares = dict(ratios)
    return _core.Unit(
        compiled.parser(),
        schema.fast_validator(),
        neardup.hasher(),
        None
        if policy is None
        else (policy.off, policy.redact_doctors, identifiers.PHONE_CHECKS, identifiers.is_phone, identifiers.CHECKSUMS),
        (salt, [shares.get(s, 0.0) for s in SPLITS], [names.index(s) if s in names else 0 for s in SPLITS]),
        (
            schema.source_names(),
            [s for s in schema.load(schema.SPECIALTY_SCHEMA)["enum"] if s],
            list(privacy.COUNTED),
            list(privacy.FIELDS),
            list(CLEANING_COLUMNS),
        ),
        (set(takedowns.ids), set(takedowns.urls), set(takedowns.digests)),
        schema.arrow_schema().serialize().to_pybytes(),
        chat.arrow_schema().serialize().to_pybytes(),
        threads or os.cpu_count() or 1,
    )


def _process_in_python(task: ChunkTask) -> ChunkResult:
    """``process_chunk`` of a build with plug-in sources: pages are parsed in Python (a plug-in
    may claim any of them), each record then goes through the same compiled steps.

    A bug in any step after parsing (signing, de-identifying, the chat row) is, like a parser bug,
    a reject naming the file: one odd page must not stop a build of a million.
    """
    sources = schema.source_names()
    specialties = [s for s in schema.load(schema.SPECIALTY_SCHEMA)["enum"] if s]
    split_names = list(task.splits.ratios)
    ready: list[_Prepared] = []
    rejects: list[Reject] = []
    inputs: list[tuple[str, str]] = []
    taken_down: list[str | None] = []
    pages = 0
    for entry in task.files:
        item = read_entry(entry, task.raw_dir, task.max_bytes)
        outcomes: list[dict[str, Any] | Reject]
        if isinstance(item, Page):
            inputs.append((item.file, item.sha256))
            outcomes = parse_page(item)
        else:
            outcomes = [item]
        pages += len(outcomes)
        if isinstance(item, Page) and task.takedowns:
            outcomes = _without_taken_down(item, outcomes, task.takedowns, taken_down)
        for outcome in outcomes:
            if isinstance(outcome, Reject):
                rejects.append(outcome)
                continue
            try:
                prepared = _prepare(outcome, task.policy)
            except Exception as exc:
                line = outcome["provenance"]["line"]
                rejects.append(
                    Reject(
                        item.file,
                        f"pipeline bug ({type(exc).__name__}: {exc}); please report it with this file",
                        line if line > 1 else None,
                    )
                )
                continue
            ready.append(prepared)
    sigs = np.stack([r.signature for r in ready]) if ready else np.empty((0, neardup.NUM_PERM), np.uint32)
    np.save(spill_path(task.spill_dir, task.number, "signatures"), sigs)
    # band-major (bands × rows): the group step reads one band of every chunk at a time
    np.save(
        spill_path(task.spill_dir, task.number, "bands"),
        np.ascontiguousarray(neardup.band_keys(sigs, task.threshold).T),
    )
    np.save(
        spill_path(task.spill_dir, task.number, "counts"),
        np.array([r.counts for r in ready], dtype=np.uint32).reshape(len(ready), len(COUNT_COLUMNS)),
    )
    np.save(
        spill_path(task.spill_dir, task.number, "cleaning"),
        np.array([r.removed for r in ready], dtype=np.uint32).reshape(len(ready), len(CLEANING_COLUMNS)),
    )
    _spill(spill_path(task.spill_dir, task.number, "records"), [r.published for r in ready], schema.arrow_schema())
    _spill(
        spill_path(task.spill_dir, task.number, "chat"),
        [{"id": r.published["id"], "source": r.published["source"], "messages": r.messages} for r in ready],
        chat.arrow_schema(),
    )
    records = [r.record for r in ready]
    asker_hash, asker_day = same_asker.keys(records)  # from the parsed records: the published have no name
    hosts: dict[str, int] = {}
    host = np.array(
        [hosts.setdefault(h, len(hosts)) if (h := _host(r["provenance"]["url"])) else -1 for r in records],
        dtype=np.int32,
    )
    return ChunkResult(
        number=task.number,
        files=len(task.files),
        pages=pages,
        rejects=rejects,
        inputs=inputs,
        source=np.array([sources.index(r["source"]) for r in records], dtype=np.uint8),
        id_hash=np.array([int(r["id"].rsplit("-", 1)[1], 16) for r in records], dtype=np.uint64),
        rank=np.array([rank(r) for r in records], dtype=np.int64),
        split=np.array([split_names.index(task.splits.assign(r["id"])) for r in records], dtype=np.uint8),
        specialty=np.array(
            [specialties.index(r["specialty"]) if r["specialty"] else -1 for r in records], dtype=np.int16
        ),
        complete=np.array([r["complete"] for r in records], dtype=bool),
        chat=np.array([r.state for r in ready], dtype=np.uint8),
        asker_hash=asker_hash,
        asker_day=asker_day,
        unmapped_roles=[
            (row, a["role"]) for row, r in enumerate(records) for a in r["answers"] if a["role"] and not a["specialty"]
        ],
        hosts=list(hosts),
        host=host,
        taken_down=taken_down,
    )


def _host(url: str | None) -> str | None:
    """The host a URL names, lower case, without ``www.`` (for the card's table of sites)."""
    if not url:
        return None
    try:
        name = urlsplit(url).hostname
    except ValueError:
        return None
    return name.removeprefix("www.") if name else None


def _without_taken_down(
    page: Page, outcomes: list[dict[str, Any] | Reject], takedowns: Takedowns, taken_down: list[str | None]
) -> list[dict[str, Any] | Reject]:
    """The outcomes of a page minus those taken down (their ids noted in ``taken_down``); a page
    whose URL or text digest is listed is dropped whole, rejects included."""
    whole = (page.url or "").strip() in takedowns.urls or (
        takedowns.digests
        and takedowns.matches({"id": None, "provenance": {"url": None, "sha256": page.sha256}}, page.text)
    )
    kept = []
    for outcome in outcomes:
        if isinstance(outcome, dict) and takedowns.matches(outcome, page.text):
            taken_down.append(outcome["id"])
        elif whole:
            taken_down.append(None)
        else:
            kept.append(outcome)
    return kept


def _spill(path: Path, rows: list[dict[str, Any]], arrow_schema: pa.Schema) -> None:
    """Rows to an Arrow file (lz4): fast to write and to read back, never published."""
    table = pa.Table.from_pylist(rows, schema=arrow_schema)
    with (
        pa.OSFile(str(path), "wb") as sink,
        pa.ipc.new_file(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="lz4")) as writer,
    ):
        writer.write_table(table)
