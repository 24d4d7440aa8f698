"""The ``medqa-ds`` command: what a maintainer types, what it prints, how it exits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from pages import doctorqna_page


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


@pytest.mark.parametrize("args, says", [
    (["--tasks", "4"], "--tasks applies only to a datatrove build: add --executor"),
    (["--spill-dir", "scratch"], "--spill-dir applies only to a datatrove build"),
    (["--executor", "slurm"], "--executor slurm needs --slurm-partition"),
    (["--executor", "local", "--slurm-partition", "cpu"], "apply only to --executor slurm"),
])
def test_cluster_options_that_cannot_apply_are_refused(tmp_path, args, says):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text(doctorqna_page(1))
    result = run("build", raw, "--out", tmp_path / "out", *args)
    assert result.returncode == 2 and says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
