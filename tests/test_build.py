"""Building raw pages into a dataset folder that ``load_dataset`` reads as the card declares."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest

from medqa_ds import schema
from medqa_ds.errors import UsageError
from medqa_ds.pipeline import BuildOptions, build
from medqa_ds.pipeline.split import SplitSpec
from medqa_ds.verify import verify

from conftest import ROOT

build_module = importlib.import_module("medqa_ds.pipeline.build")


def test_project_raw_builds_and_loads_with_the_cards_features(tmp_path, load):
    out = tmp_path / "out"
    result = build(ROOT / "raw", out)
    assert verify(out) == []
    ds = load(out)
    manifest = json.loads((out / "manifest.json").read_text())
    declared = {k: v["num_examples"] for k, v in manifest["splits"].items() if v["num_examples"]}
    assert {k: len(v) for k, v in ds.items()} == declared
    assert sum(declared.values()) == result.manifest["accounting"]["records"] == len(list((ROOT / "raw").glob("*.txt")))
    for split in ds.values():
        assert split.features == schema.features()


def test_three_splits_load_and_counts_match_the_manifest(write_raw, tmp_path, load):
    raw = write_raw(60)
    out = tmp_path / "out"
    build(raw, out)
    ds = load(out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(ds) == {"train", "validation", "test"}
    assert {k: len(v) for k, v in ds.items()} == {k: v["num_examples"] for k, v in manifest["splits"].items()}
    assert manifest["accounting"] == {
        "files_seen": 120,
        "pages_seen": 120,
        "records": 120,
        "rejects": 0,
        "taken_down": 0,
        "balanced": True,
        "rejects_by_reason": {},
    }
    # a record survives the Parquet round trip unchanged
    rows = {r["id"]: r for split in ds.values() for r in split}
    first = next(iter(rows.values()))
    assert schema.errors(first) == []
    assert len(rows) == 120


def test_card_declares_only_splits_with_rows(tmp_path, load):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "raw" / "004_b187f78d846d3bb6.txt", raw / "only.txt")
    out = tmp_path / "out"
    build(raw, out)
    ds = load(out)
    assert len(ds) == 1 and sum(len(s) for s in ds.values()) == 1
    assert verify(out) == []


def test_adding_pages_never_moves_a_record(write_raw, tmp_path):
    raw = write_raw(40)
    first = build(raw, tmp_path / "v1")
    write_raw(40, start=40)
    second = build(raw, tmp_path / "v2")

    def split_of(out: Path) -> dict[str, str]:
        import pyarrow.parquet as pq

        return {
            rid: split
            for split, meta in json.loads((out / "manifest.json").read_text())["splits"].items()
            for f in meta["files"]
            for rid in pq.read_table(out / f, columns=["id"])["id"].to_pylist()
        }

    old, new = split_of(first.out), split_of(second.out)
    assert len(old) == 80 and len(new) == 160
    assert {rid: new[rid] for rid in old} == old


def test_split_shares_follow_the_spec():
    spec = SplitSpec()
    counts = {"train": 0, "validation": 0, "test": 0}
    for i in range(20_000):
        counts[spec.assign(f"doctorqna-{i:016x}")] += 1
    assert 0.78 < counts["train"] / 20_000 < 0.82
    assert 0.08 < counts["test"] / 20_000 < 0.12
    assert SplitSpec.parse("80/10/10").ratios == {"train": 0.8, "validation": 0.1, "test": 0.1}
    assert SplitSpec.parse("train=0.9,test=0.1").assign("x") in {"train", "test"}
    with pytest.raises(ValueError):
        SplitSpec.parse("train=0.5,test=0.1")
    with pytest.raises(ValueError):
        SplitSpec.parse("train=0.9,dev=0.1")


def test_same_input_gives_byte_identical_output(write_raw, tmp_path):
    raw = write_raw(15)
    a = build(raw, tmp_path / "a", BuildOptions(version="1.0.0"))
    b = build(raw, tmp_path / "b", BuildOptions(version="1.0.0"))
    files = sorted(p.relative_to(a.out) for p in a.out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b.out) for p in b.out.rglob("*") if p.is_file())
    for rel in files:
        assert (a.out / rel).read_bytes() == (b.out / rel).read_bytes(), rel


def test_any_number_of_workers_and_chunk_size_gives_the_same_bytes(write_raw, tmp_path):
    raw = write_raw(60)
    for n in range(8):  # exact and near duplicates spread over chunks
        (raw / f"dup_{n}.txt").write_text((raw / f"dq_{n * 7:04d}.txt").read_text())
        (raw / f"cut_{n}.txt").write_text((raw / f"dq_{n * 5:04d}.txt").read_text()[:400])
    outs = [
        build(raw, tmp_path / f"o{k}", BuildOptions(workers=w, chunk_files=c, shard_rows=25)).out
        for k, (w, c) in enumerate([(1, 1000), (2, 7), (2, 50), (1, 3)])
    ]
    first = {p.relative_to(outs[0]): p.read_bytes() for p in outs[0].rglob("*") if p.is_file()}
    assert len([f for f in first if str(f).startswith("data/")]) > 3  # several shards per split
    for other in outs[1:]:
        assert {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()} == first


def test_same_page_saved_twice_is_kept_once_most_complete_wins(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    page = (ROOT / "raw" / "004_b187f78d846d3bb6.txt").read_text()
    (raw / "a_cut.txt").write_text(page[:2000], encoding="utf-8")
    (raw / "b_whole.txt").write_text(page, encoding="utf-8")
    (raw / "c_copy.txt").write_text(page, encoding="utf-8")
    result = build(raw, tmp_path / "out")
    acc = result.manifest["accounting"]
    assert (acc["records"], acc["rejects"], acc["balanced"]) == (1, 2, True)
    assert acc["rejects_by_reason"] == {"duplicate": 2}
    assert {r.file for r in result.rejects} == {"a_cut.txt", "c_copy.txt"}
    assert all("b_whole.txt" in r.reason for r in result.rejects)


def test_a_failed_build_leaves_the_previous_output_untouched(write_raw, tmp_path, monkeypatch):
    raw = write_raw(5)
    out = tmp_path / "out"
    build(raw, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write_raw(5, start=5)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "seal", boom)
    with pytest.raises(OSError, match="disk full"):
        build(raw, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]  # no staging folder left behind


def test_a_config_writer_failing_stops_the_others_and_leaves_the_previous_output(write_raw, tmp_path, monkeypatch):
    """The three configs are written at once, each on a thread of its own: one failing surfaces its
    own error and nothing of the new build is published."""
    import threading

    raw = write_raw(5)
    out = tmp_path / "out"
    build(raw, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write_raw(5, start=5)
    threads: set[str] = set()
    real = build_module.write_splits

    def writer(out_dir, spills, totals, arrow_schema, shard_rows, folder="data"):
        threads.add(threading.current_thread().name)
        if folder == "prompt_completion":
            raise OSError("disk full")
        return real(out_dir, spills, totals, arrow_schema, shard_rows, folder)

    monkeypatch.setattr(build_module, "write_splits", writer)
    with pytest.raises(OSError, match="disk full"):
        build(raw, out, BuildOptions(chunk_files=1))
    assert len(threads) == 3 and threading.current_thread().name not in threads
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]


def test_never_replaces_a_folder_that_is_not_a_build(write_raw, tmp_path):
    raw = write_raw(1)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not a medqa_ds build"):
        build(raw, precious)
    assert (precious / "notes.txt").read_text() == "keep me"


def test_the_devset_builds_with_every_file_accounted_for(tmp_path, load):
    from conftest import SHARED

    devset = SHARED / "devset"
    if not devset.is_dir():
        pytest.skip("../shared/devset is not beside this checkout")
    out = tmp_path / "out"
    result = build(devset, out)
    acc = result.manifest["accounting"]
    files = [p for p in devset.rglob("*") if p.is_file()]
    assert acc["files_seen"] == len(files) and acc["balanced"]
    assert acc["records"] >= 30  # every page with a question and an answer (tests/test_sources_devset.py)
    assert all(r.reason for r in result.rejects)
    assert not any("parser bug" in r.reason for r in result.rejects)
    assert verify(out) == []
    assert sum(len(s) for s in load(out).values()) == acc["records"]


def test_a_build_leaves_the_garbage_collector_as_it_found_it(write_raw, tmp_path, monkeypatch):
    """A build has the collector skip the objects alive when it starts, and tracks them again after
    (a long-lived process that builds again must not keep its garbage for good)."""
    import gc

    raw = write_raw(3)
    seen: list[int] = []
    real = build_module.finish

    def finish(*args, **kwargs):
        seen.append(gc.get_freeze_count())
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "finish", finish)
    build(raw, tmp_path / "out")
    assert seen[0] > 0 and gc.get_freeze_count() == 0
