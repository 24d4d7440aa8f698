"""The ``medqa-ds`` command: what a maintainer types, what it prints, how it exits."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, one_line_error, run_cli
from pages import NAMES, doctorqna_page


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd)


def test_build_then_validate_the_projects_raw_folder(tmp_path):
    out = tmp_path / "dist"
    built = run("build", "--out", out, "--version", "1.0.0")  # RAW_DIR defaults to raw/
    assert built.returncode == 0, built.stderr
    assert "2 files -> 2 records" in built.stdout and str(out) in built.stdout
    assert json.loads((out / "manifest.json").read_text())["dataset"]["version"] == "1.0.0"
    checked = run("validate", out)
    assert checked.returncode == 0 and "valid" in checked.stdout


def test_rejects_are_listed_and_the_build_still_succeeds(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text(doctorqna_page(1))
    (raw / "bad.txt").write_bytes(b"\xff\xfe\xfa")
    result = run("build", raw, "--out", tmp_path / "out")
    assert result.returncode == 0
    assert "rejected bad.txt" in result.stderr and "1 rejected" in result.stdout


def test_timings_give_each_stage_of_the_build_on_one_line(tmp_path):
    plain = run("build", "--out", tmp_path / "a")
    timed = run("build", "--out", tmp_path / "b", "--timings")
    assert plain.returncode == timed.returncode == 0, timed.stderr
    assert "stages:" not in plain.stdout
    (line,) = [x for x in timed.stdout.splitlines() if x.startswith("stages: ")]
    stages = re.findall(r"(\w+) ([\d.]+) s \(([\d.]+) µs a page\)", line)
    assert [name for name, _, _ in stages] == ["chunks", "decide", "write", "rest"], line
    assert float(stages[0][1]) > 0 and all(float(s) >= 0 for _, s, _ in stages)


def test_missing_raw_folder_says_what_to_do(tmp_path):
    result = run("build", tmp_path / "nope", "--out", tmp_path / "out")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not exist" in lines[0] and "put raw pages there" in lines[0]
    assert not (tmp_path / "out").exists()


def test_bad_version_and_bad_splits_are_refused(tmp_path):
    assert run("build", "--out", tmp_path / "o", "--version", "1.0").returncode == 2
    bad = run("build", "--out", tmp_path / "o", "--splits", "train=0.7,test=0.1")
    assert bad.returncode == 2 and "sum to 1" in bad.stderr


def test_validate_a_folder_that_is_not_a_build(tmp_path):
    result = run("validate", tmp_path)
    assert result.returncode == 1 and "medqa-ds build" in result.stderr


def test_parse_prints_one_record(tmp_path):
    result = run("parse", ROOT / "raw" / "004_b187f78d846d3bb6.txt")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "Facial twitching?"
    page = tmp_path / "x.txt"
    page.write_text("nothing to see")
    failed = run("parse", page)
    assert failed.returncode == 2 and "not a page of a known source" in failed.stderr


@pytest.mark.parametrize(
    "args, says",
    [
        (["--tasks", "4"], "--tasks applies only to a datatrove build: add --executor"),
        (["--spill-dir", "scratch"], "--spill-dir applies only to a datatrove build"),
        (["--executor", "slurm"], "--executor slurm needs --slurm-partition"),
        (["--executor", "local", "--slurm-partition", "cpu"], "apply only to --executor slurm"),
    ],
)
def test_cluster_options_that_cannot_apply_are_refused(tmp_path, args, says):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text(doctorqna_page(1))
    result = run("build", raw, "--out", tmp_path / "out", *args)
    assert result.returncode == 2 and says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_importing_the_command_line_leaves_the_heavy_libraries_unloaded():
    """`medqa-ds --version` and `--help` stay fast because nothing heavy is imported at start."""
    heavy = ("datasets", "pyarrow", "huggingface_hub", "numpy", "datasketch", "pandas")
    code = f"import sys, medqa_ds.cli; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"
    assert run("--version").stdout.startswith("medqa-ds ")


def test_the_help_default_of_max_bytes_is_the_readers_limit():
    from medqa_ds import cli
    from medqa_ds.pipeline.read import DEFAULT_MAX_BYTES

    assert cli._MAX_BYTES == DEFAULT_MAX_BYTES


@pytest.mark.parametrize(
    "args, says",
    [
        (["--max-bytes", "-5"], "--max-bytes: -5 is not above 0"),
        (["--max-bytes", "0"], "--max-bytes: 0 is not above 0"),
        (["--max-bytes", "lots"], "--max-bytes: 'lots' is not a whole number"),
        (["--workers", "-1"], "--workers: '-1': give 0 (one per core) or a positive number"),
        (["--tasks", "0", "--executor", "local"], "--tasks: 0 is not above 0"),
        (
            ["--splits", "train=0.8,val=0.2"],
            "unknown split 'val': use train, validation, test as train=0.8,validation=0.1,test=0.1 or 80/10/10",
        ),
        (["--splits", "abc"], "share 'abc' is not a number: use train, validation, test as"),
        (["--splits", "50/25/20/5"], "4 shares for 3 splits"),
    ],
)
def test_bad_limits_and_splits_are_refused_in_one_line(tmp_path, write_raw, args, says):
    raw = write_raw(1)
    line = one_line_error(run("build", raw, "--out", tmp_path / "out", *args))
    assert says in line
    assert not (tmp_path / "out").exists()


def test_a_file_given_as_the_raw_folder_is_called_a_file(tmp_path, write_raw):
    page = next(write_raw(1).iterdir())
    line = one_line_error(run("build", page, "--out", tmp_path / "out"))
    assert f"{page} is a file, not a folder of raw pages: name the folder that holds it" in line


@pytest.mark.parametrize("inside", ["out", "."])
def test_an_output_folder_inside_the_raw_folder_is_refused(tmp_path, write_raw, inside):
    raw = write_raw(1)
    line = one_line_error(run("build", raw, "--out", raw / inside))
    assert "is inside the raw folder" in line and "the next build would read its own output" in line
    assert sorted(p.name for p in raw.iterdir()) == ["ad_0000.txt", "dq_0000.txt"]


def test_a_build_with_no_record_fails_and_validate_refuses_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "note.txt").write_text("nothing to see here")
    built = run("build", raw, "--out", tmp_path / "out")
    assert built.returncode == 2
    assert "no record: every page was rejected" in built.stderr and "rejects.jsonl" in built.stderr
    checked = run("validate", tmp_path / "out")
    assert checked.returncode == 1 and "load_dataset cannot load a folder without data files" in checked.stderr


def test_parse_is_faithful_and_deidentify_shows_what_is_published(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(doctorqna_page(3), encoding="utf-8")
    faithful = json.loads(run("parse", page).stdout)
    published = json.loads(run("parse", page, "--deidentify").stdout)
    assert faithful["question"]["asker"]["name"].startswith(tuple(NAMES))
    assert published["question"]["asker"]["name"] is None
    assert faithful["id"] == published["id"]
    assert "NOT de-identified" in " ".join(run("--help").stdout.split()).replace("de- identified", "de-identified")
    assert "is the faithful parse" in " ".join(run("parse", "--help").stdout.split())


@pytest.mark.parametrize(
    "spec, says",
    [
        (
            "typo/medqa",
            "typo/medqa: no such folder; if you meant the Hub repo, write typo/medqa@main or typo/medqa@v1.0.0",
        ),
        ("typo", "typo: no such folder"),
        ("org/name@", "'org/name@' is neither a folder nor org/name@revision"),
    ],
)
def test_diff_never_takes_a_mistyped_path_for_a_repo(tmp_path, spec, says):
    line = one_line_error(run("diff", spec, spec, cwd=tmp_path))
    assert says in line


def test_diff_of_a_folder_that_is_not_a_build_says_so(tmp_path):
    (tmp_path / "notes").mkdir()
    line = one_line_error(run("diff", tmp_path / "notes", tmp_path / "notes"))
    assert "is not a medqa-ds build (no manifest.json)" in line


def test_each_long_step_has_a_progress_bar(tmp_path, write_raw):
    done = run("build", write_raw(3), "--out", tmp_path / "out", "--progress", "--workers", "1")
    assert done.returncode == 0, done.stderr
    for step, unit in (("parse", "file"), ("group", "band"), ("write", "row")):
        assert re.search(rf"{step}: 100%\|.*\| (\d+)/\1 .*{unit}", done.stderr), (step, done.stderr)
    quiet = run("build", write_raw(3), "--out", tmp_path / "out", "--no-progress", "--workers", "1")
    assert "100%" not in quiet.stderr


@pytest.mark.slow
def test_a_datatrove_build_ends_with_the_same_counts_as_a_local_one(tmp_path, write_raw):
    raw = write_raw(3)
    local = run("build", raw, "--out", tmp_path / "local", "--workers", "1")
    cluster = run("build", raw, "--out", tmp_path / "dt", "--executor", "local", "--tasks", "1", "--workers", "1")
    assert cluster.returncode == 0, cluster.stderr
    counts = local.stdout.strip().splitlines()[-1].split("; wrote")[0]
    assert counts.startswith("6 files -> 6 records (")
    assert counts in cluster.stdout and "(datatrove, 1 tasks)" in cluster.stdout
