"""The wheel: built here with maturin, installed into a fresh venv with no Rust toolchain on its
PATH, it builds a raw folder byte-identical to the editable install (schema and card included)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import NETGUARD, ROOT, SHARED, run_cli

pytestmark = pytest.mark.slow


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_wheel_builds_the_same_folder_without_cargo(tmp_path, write_raw):
    maturin = Path(sys.executable).parent / "maturin"
    subprocess.run(
        [str(maturin), "build", "--release", "--quiet", "--out", str(tmp_path / "wheels")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )
    (wheel,) = (tmp_path / "wheels").glob("medqa_ds-*-abi3-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(wheel)], check=True, timeout=300
    )
    # the dependencies come from this venv's site-packages (no network); medqa_ds only from the wheel
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "medqa-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    path = os.pathsep.join([str(venv / "bin"), "/usr/bin", "/bin"])
    assert shutil.which("cargo", path=path) is None and shutil.which("rustc", path=path) is None
    env = {
        "PATH": path,
        "HOME": str(tmp_path),
        "PYTHONPATH": str(NETGUARD),
        "MEDQA_NET_REFUSED": str(tmp_path / "refused.txt"),
    }

    where = subprocess.run(
        [
            str(python),
            "-c",
            "import medqa_ds._core, medqa_ds.resources as r; "
            "print(medqa_ds._core.__file__); print(r.resource('schema'))",
        ],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where  # the wheel's core and its own schema

    raw = SHARED / "devset" if (SHARED / "devset").is_dir() else write_raw(20)
    done = subprocess.run(
        [str(venv / "bin" / "medqa-ds"), "build", str(raw), "--out", str(tmp_path / "wheel-out")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "refused.txt").exists()
    editable = run_cli("build", raw, "--out", tmp_path / "editable-out")
    assert editable.returncode == 0, editable.stderr
    assert _files(tmp_path / "wheel-out") == _files(tmp_path / "editable-out")
