"""The cluster path: datatrove's local executor with 2 workers gives the local build's bytes."""

from __future__ import annotations

import json

import pytest

from medqa_ds.cluster import build_on_cluster
from medqa_ds.pipeline import BuildOptions, build

from pages import askadoctor_page

pytestmark = pytest.mark.slow  # datatrove pipelines: `pytest -m "not slow"` skips it


def test_datatrove_with_two_workers_equals_the_local_build(write_raw, tmp_path):
    raw = write_raw(40)
    (raw / "dup.txt").write_text((raw / "dq_0003.txt").read_text())
    (raw / "bad.txt").write_bytes(b"\xff\xfe\x00")
    (raw / "line\nbreak.txt").write_text((raw / "dq_0007.txt").read_text())  # chunk lists survive any name
    pages = [askadoctor_page(n) for n in range(40, 52)]  # a shard's members travel with the chunk lists
    (raw / "crawl.jsonl").write_text(
        "".join(json.dumps({"text": t, "url": f"https://a.example/{k}"}) + "\n" for k, t in enumerate(pages))
    )
    options = BuildOptions(chunk_files=9, shard_rows=30)
    local = build(raw, tmp_path / "local", BuildOptions(chunk_files=9, shard_rows=30, workers=1)).out
    build_on_cluster(raw, tmp_path / "cluster", tmp_path / "spill", options, executor="local", tasks=3, workers=2)
    cluster = tmp_path / "cluster"
    files = {p.relative_to(local): p.read_bytes() for p in local.rglob("*") if p.is_file()}
    assert len(files) > 8
    assert {p.relative_to(cluster): p.read_bytes() for p in cluster.rglob("*") if p.is_file()} == files
    assert not (tmp_path / "spill").exists()


def test_a_shared_spill_folder_keeps_what_was_there(write_raw, tmp_path):
    """--spill-dir may name a scratch folder others use: the build works and cleans up inside a folder of its own."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "someone-elses.txt").write_text("keep me")
    build_on_cluster(write_raw(2), tmp_path / "out", scratch, BuildOptions(), executor="local", tasks=1, workers=1)
    assert [p.name for p in scratch.iterdir()] == ["someone-elses.txt"]
    assert (tmp_path / "out" / "manifest.json").exists()


def test_the_slurm_executors_take_what_the_cli_passes(tmp_path):
    """No Slurm here: the two executors are only built (nothing is queued), as the CLI builds them."""
    from datatrove.executor import SlurmPipelineExecutor

    from medqa_ds.cluster import executors

    parse, finish = executors(
        tmp_path / "raw",
        tmp_path / "out",
        tmp_path / "spill",
        BuildOptions(),
        executor="slurm",
        tasks=500,
        partition="cpu",
        time="4:00:00",
    )
    assert isinstance(parse, SlurmPipelineExecutor) and isinstance(finish, SlurmPipelineExecutor)
    assert (parse.world_size, finish.world_size, finish.depends) == (500, 1, parse)
    assert parse.partition == "cpu" and parse.time == "4:00:00"
