"""A chunk started on the core's threads (``Unit.start``) runs while Python goes on: its outcome is
taken once, a spill that cannot be written is an OSError, and a build that stops waits for the
chunk it left running, so nothing is written into a spill folder after it is removed."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

import pytest

from medqa_ds.pipeline import BuildOptions
from medqa_ds.pipeline.chunk import finish_entries, read_entries, run_entries, spill_path, start_entries

from pages import doctorqna_page

build_module = importlib.import_module("medqa_ds.pipeline.build")


def _raw(tmp_path: Path, pages: int) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(pages):
        (raw / f"p{n:04d}.txt").write_text(doctorqna_page(n), encoding="utf-8")
    return raw


def _tasks(raw: Path, spill: Path, chunk_files: int) -> list:
    spill.mkdir(exist_ok=True)
    return list(build_module.chunk_tasks(raw, spill, BuildOptions(chunk_files=chunk_files)))


def test_a_started_chunk_gives_what_running_it_gives(tmp_path):
    raw = _raw(tmp_path, 30)
    [task] = _tasks(raw, tmp_path / "a", 100)
    [again] = _tasks(raw, tmp_path / "b", 100)
    started = finish_entries(task, start_entries(task, read_entries(task)))
    ran = run_entries(again, read_entries(again))
    assert started.records == ran.records == 30
    assert started.id_hash.tolist() == ran.id_hash.tolist()
    for kind in ("records", "chat"):
        assert spill_path(task.spill_dir, 0, kind).read_bytes() == spill_path(again.spill_dir, 0, kind).read_bytes()


def test_an_outcome_is_taken_once(tmp_path):
    [task] = _tasks(_raw(tmp_path, 3), tmp_path / "spill", 100)
    running = start_entries(task, read_entries(task))
    assert running.result()["pages"] == 3
    with pytest.raises(RuntimeError, match="taken once"):
        running.result()


def test_a_spill_that_cannot_be_written_is_an_oserror(tmp_path):
    [task] = _tasks(_raw(tmp_path, 3), tmp_path / "spill", 100)
    entries = read_entries(task)
    (tmp_path / "spill").rmdir()
    with pytest.raises(OSError):
        start_entries(task, entries).result()


def test_a_build_that_stops_waits_for_the_chunk_it_left_running(tmp_path):
    # a one-page chunk, then one of 1,000 pages, then one page: when the first is yielded the
    # second is running on the core's threads, and the third is read long before it is done
    spill = tmp_path / "spill"
    one, *rest = _tasks(_raw(tmp_path, 1002), spill, 1)
    tasks = [one, replace(one, number=1, files=[t.files[0] for t in rest[:-1]]), replace(rest[-1], number=2)]
    chunks = build_module._in_core(iter(tasks))
    first = next(chunks)
    assert first.number == 0
    chunks.close()  # as a build does on an error or Ctrl-C, before it removes the spill folder
    for kind in ("records", "chat"):
        assert spill_path(spill, 1, kind).stat().st_size > 0  # written whole before close returned
        assert not spill_path(spill, 2, kind).exists()  # never started
