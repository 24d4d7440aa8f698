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
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import numpy as np

from .. import _core, cleaning, schema, sources
from ..errors import ParseError
from ..parse import parse_all
from ..sources import compiled
from . import chat, containers, identifiers, neardup, privacy
from .containers import Line
from .outcome import Reject
from .parse_pages import invalid
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


class Prepared(NamedTuple):
    """One record made ready to publish, as the unit of work makes it (for tools and tests: a
    build never holds records in Python)."""

    published: dict[str, Any]  # de-identified (the record itself when the policy is None)
    signature: np.ndarray
    counts: list[int]  # in ``COUNT_COLUMNS`` order
    messages: list[dict[str, str]] | None
    state: int  # chat.ROW, chat.NO_ROW…
    removed: list[int]  # pieces each cleaning rule removed, in ``CLEANING_COLUMNS`` order


_DEFAULT_POLICY = privacy.Policy()
_DEFAULT_SPLITS = SplitSpec()


def prepare(
    record: dict[str, Any], policy: privacy.Policy | None = _DEFAULT_POLICY, splits: SplitSpec = _DEFAULT_SPLITS
) -> Prepared:
    """A checked record through the unit of work's steps after parsing (sign, de-identify, the
    chat row, the counts). Raises RuntimeError saying what failed, where a build rejects it."""
    got = _unit(policy, tuple(splits.ratios.items()), splits.salt, Takedowns(), 1).prepare(record)
    signature = np.array(got["signature"], dtype=np.uint32)
    return Prepared(got["published"], signature, got["counts"], got["messages"], got["state"], got["removed"])


def process_chunk(task: ChunkTask) -> ChunkResult:
    """Read, parse and check every file of the chunk; sign, de-identify and spill the records and
    their chat rows; return the arrays.

    A bug in any step after parsing (signing, de-identifying, the chat row) is, like a parser bug,
    a reject naming the file: one odd page must not stop a build of a million. The chunk is the
    core's unit of work (``unit.run``), on its threads with the GIL released; with plug-ins
    installed, its pages come parsed by Python (a plug-in may claim any of them), and every step
    after parsing is still the core's.
    """
    return run_entries(task, read_entries(task))


def read_entries(task: ChunkTask) -> list[tuple[Any, ...]]:
    """The chunk's entries as the unit of work takes them: ("page", file, bytes, url, captured)
    for a file or container member that could be read, ("line", file, bytes) for a JSONL shard's
    line, ("reject", file, reason, line) for the rest. With plug-ins installed, pages are read and
    parsed here (``parsed_entries``)."""
    if sources.plugins():
        return parsed_entries(task)
    out: list[tuple[Any, ...]] = []
    for entry in task.files:
        if isinstance(entry, str):
            # read here, a chunk ahead of the core, so a cold disk's waits overlap its work (read on
            # its compute threads, they stalled them: 436 s against 297 s for 10^6 files); the
            # rules are the core's (rust/src/unit/read.rs), with the GIL released
            data = read_bytes(entry, task.raw_dir, task.max_bytes)
            item: Any = data if isinstance(data, Reject) else ("page", entry, data, None, None)
        elif isinstance(entry, Line):
            item = ("line", entry.file, entry.data)  # read on the core's threads (rust/src/unit/jsonl.rs)
        else:
            item = entry if isinstance(entry, Reject) else ("page", entry.file, entry.data, entry.url, entry.captured)
        out.append(("reject", item.file, item.reason, item.line) if isinstance(item, Reject) else item)
    return out


def parsed_entries(task: ChunkTask) -> list[tuple[Any, ...]]:
    """The chunk's entries read and parsed in Python, plug-ins taking part: ("parsed", file,
    sha256, text, url, captured, results), results being ``parse_all``'s (a record, or (reason,
    line) for a page that gives none) or (reason, line) for a file of no known source."""
    out: list[tuple[Any, ...]] = []
    for entry in task.files:
        page = read_entry(entry, task.raw_dir, task.max_bytes)
        if isinstance(page, Reject):
            out.append(("reject", page.file, page.reason, page.line))
            continue
        results: Any
        try:
            results = [r if isinstance(r, dict) else (r.reason, r.line) for r in parse_all(page.text, page.file)]
        except ParseError as exc:
            results = (exc.reason, exc.line)
        except Exception as exc:  # a parser's bug: that file's reject, never the build's end
            results = (f"parser bug ({type(exc).__name__}: {exc}); please report it with this file", None)
        out.append(("parsed", page.file, page.sha256, page.text, page.url, page.captured, results))
    return out


def run_entries(task: ChunkTask, entries: list[tuple[Any, ...]]) -> ChunkResult:
    """The chunk's read entries through the core's unit of work: its spill written, its arrays."""
    return finish_entries(task, start_entries(task, entries))


def start_entries(task: ChunkTask, entries: list[tuple[Any, ...]]) -> _core.Running:
    """The chunk's read entries started on the core's threads; this thread goes on (a build
    finishes the previous chunk meanwhile: ``build._in_core``)."""
    return _unit(task.policy, tuple(task.splits.ratios.items()), task.splits.salt, task.takedowns, task.threads).start(
        entries,
        spill_path(task.spill_dir, task.number, "records"),
        spill_path(task.spill_dir, task.number, "chat"),
    )


def finish_entries(task: ChunkTask, running: _core.Running) -> ChunkResult:
    """A started chunk waited for: its arrays, the rest of its spill written."""
    got = running.result()
    rank = np.frombuffer(got["rank"], np.int64)
    n = len(rank)
    rejects = [
        Reject(file, reason, line) if reason is not None else invalid(file, record)
        for file, reason, line, record in got["rejects"]
    ]
    sigs = np.frombuffer(got["signatures"], np.uint32).reshape(n, neardup.NUM_PERM)
    np.save(spill_path(task.spill_dir, task.number, "signatures"), sigs)
    # band-major (bands × rows): the group step reads one band of every chunk at a time
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
        rank=rank,
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
        (containers.jsonl.loaded, containers.member.iso_datetime),
        threads or os.cpu_count() or 1,
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
