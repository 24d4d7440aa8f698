"""Kills and races, with real signals on a real ``medqa-ds build`` subprocess: its processes die
with it (the core's threads are the build's own; worker processes, forked with plug-ins, die with
it too), an interrupted build removes what it wrote and says so in one line, a later build removes
what a killed one left, two builds into one --out never both run, and the output folder is at
every moment the old build or the new one, whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from medqa_ds.verify import verify

from conftest import CLI
from pages import doctorqna_page

PAGES = 3000


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("kills") / "raw"
    for n in range(PAGES):
        folder = raw / f"{n // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"p{n:05d}.txt").write_text(doctorqna_page(n), encoding="utf-8")
    return raw


def _foreground() -> None:
    """Ctrl-C as a terminal delivers it: a job started in the background by a shell (as CI may run
    the suite) inherits SIGINT ignored, and Python then leaves it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(raw: Path, out: Path, version: str = "1.0.0") -> subprocess.Popen:
    return subprocess.Popen(
        [str(CLI), "build", raw, "--out", out, "--workers", "2", "--version", version],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_foreground,
    )


def _workers(build: subprocess.Popen, out: Path, timeout: float = 60) -> list[psutil.Process]:
    """The build's processes (the build itself, and its worker processes when plug-ins make it
    fork some), once it is parsing: its spill exists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(".spill-" in name for name in _leftovers(out)):
            process = psutil.Process(build.pid)
            return [process, *process.children(recursive=True)]
        time.sleep(0.05)
    raise AssertionError("the build never started parsing")


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _gone(processes: list[psutil.Process], timeout: float = 10) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return not alive


def test_kill_9_takes_the_workers_with_it_and_the_next_build_removes_what_it_left(raw, tmp_path):
    out = tmp_path / "out"
    build = _start(raw, out)
    workers = _workers(build, out)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert _gone(workers), "workers outlived the build"
    assert any(".spill-" in name for name in _leftovers(out))  # what kill -9 cannot clean
    done = subprocess.run([str(CLI), "build", raw, "--out", out, "--workers", "2"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _leftovers(out) == [] and verify(out) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_clean_up_and_say_so_in_one_line(raw, tmp_path, sig):
    out = tmp_path / "out"
    build = _start(raw, out)
    workers = _workers(build, out)
    build.send_signal(sig)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130
    assert err.strip().splitlines() == [
        "medqa-ds build: interrupted: the previous output is as it was (nothing half-written was left)"
    ], err
    assert _gone(workers)
    assert _leftovers(out) == [] and not out.exists()


def test_a_second_build_into_the_same_out_says_another_is_running(raw, tmp_path):
    out = tmp_path / "out"
    first = _start(raw, out)
    _workers(first, out)
    first.send_signal(signal.SIGSTOP)  # held mid-build, however fast it would finish
    try:
        second = subprocess.run([str(CLI), "build", raw, "--out", out], capture_output=True, text=True, timeout=60)
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [
        f"medqa-ds build: error: another build is writing {out.resolve()} (pid {first.pid}): wait for it to "
        "finish, or choose another --out"
    ]
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert _leftovers(out) == [] and verify(out) == []


def test_a_kill_at_any_moment_leaves_the_old_output_or_the_new_one_whole(raw, tmp_path):
    out = tmp_path / "out"
    assert (
        subprocess.run([str(CLI), "build", raw, "--out", out, "--version", "1.0.0"], capture_output=True).returncode
        == 0
    )
    start = time.monotonic()
    build = _start(raw, out, "2.0.0")
    build.wait()
    whole = time.monotonic() - start
    seen = set()
    for k in range(5):  # kill -9 from the start to the end of a build
        build = _start(raw, out, f"2.0.{k + 1}")
        time.sleep(whole * k / 5)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert out.is_dir() and verify(out) == [], f"kill {k}: {verify(out)[:1]}"
        seen.add(json.loads((out / "manifest.json").read_text())["dataset"]["version"])
    assert len(seen) >= 1
    assert subprocess.run([str(CLI), "build", raw, "--out", out], capture_output=True).returncode == 0
    assert _leftovers(out) == []


def test_a_build_killed_between_two_renames_is_put_right_by_the_next(raw, tmp_path):
    """Where the OS cannot swap folders in one step, a swap cut between its renames leaves the old
    output aside; the next build puts it back before anything else."""
    out = tmp_path / "out"
    assert subprocess.run([str(CLI), "build", raw, "--out", out], capture_output=True).returncode == 0
    dead = subprocess.Popen(["true"])
    dead.wait()
    aside = out.with_name(f".out.old-{dead.pid}")
    out.rename(aside)
    (out.with_name(f".out.tmp-{dead.pid}")).mkdir()
    from medqa_ds.pipeline.staging import locked

    with locked(out):
        pass
    assert out.is_dir() and verify(out) == [] and _leftovers(out) == []


def test_the_build_process_dies_with_a_page_that_is_a_fifo_nowhere(raw, tmp_path):
    """Opening a FIFO would block the build forever: it is a reject, found without opening it for long."""
    one = tmp_path / "one"
    one.mkdir()
    (one / "page.txt").write_text(doctorqna_page(1), encoding="utf-8")
    os.mkfifo(one / "pipe.txt")
    done = subprocess.run(
        [str(CLI), "build", one, "--out", tmp_path / "o"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "pipe.txt: not a regular file but a FIFO" in done.stderr
