"""Shared fixtures: a raw folder of invented pages and a way to load a built folder in isolation."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from pages import askadoctor_page, doctorqna_page

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "medqa-ds"
NETGUARD = ROOT / "tests" / "hub" / "netguard"


def run_cli(
    *args: str | Path, cwd: Path | None = None, pythonpath: Iterable[Path] = (), timeout: int = 300
) -> subprocess.CompletedProcess:
    """``medqa-ds ARGS`` in a subprocess, as a user runs it, behind the loopback guard
    (tests/hub/netguard, after ``pythonpath``); fails the test when the command tried another host."""
    with tempfile.TemporaryDirectory() as tmp:
        refused = Path(tmp) / "refused.txt"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([*map(str, pythonpath), str(NETGUARD)]),
            "MEDQA_NET_REFUSED": str(refused),
        }
        done = subprocess.run(
            [str(CLI), *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
        )
        assert not refused.exists(), f"medqa-ds tried to reach {refused.read_text()}"
    return done


SHARED = ROOT.parent / "shared"


def one_line_error(done: subprocess.CompletedProcess, code: int = 2) -> str:
    """The single stderr line a refused command prints (no usage block, no traceback), after checking
    the exit code."""
    assert done.returncode == code, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def write_raw(tmp_path: Path) -> Callable[..., Path]:
    """Write invented pages (``n`` of each source from ``start``) into ``tmp_path/raw`` and return it."""

    def write(n: int, start: int = 0, folder: str = "raw") -> Path:
        raw = tmp_path / folder
        raw.mkdir(exist_ok=True)
        for i in range(start, start + n):
            (raw / f"dq_{i:04d}.txt").write_text(doctorqna_page(i, compact=bool(i % 2)), encoding="utf-8")
            (raw / f"ad_{i:04d}.txt").write_text(askadoctor_page(i), encoding="utf-8")
        return raw

    return write


@pytest.fixture
def load(tmp_path: Path) -> Callable[[Path], object]:
    """``datasets.load_dataset(folder)`` with a cache of this test's own.

    ``load_dataset`` caches a local folder by its name, not its content, so a shared cache would
    hand a rebuilt folder's old rows back.
    """
    import datasets

    counter = iter(range(1000))

    def load_folder(folder: Path, *args: str):
        return datasets.load_dataset(str(folder), *args, cache_dir=str(tmp_path / f"hf-cache-{next(counter)}"))

    return load_folder


def _is_loopback(host: object) -> bool:
    name = host.decode() if isinstance(host, bytes) else str(host)
    try:
        return name == "localhost" or ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every test: refuse, and fail the test on, any lookup or connection for a host not on loopback.

    Subprocesses get the same guard from tests/hub/netguard (on their PYTHONPATH).
    """
    refused: list[str] = []
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _is_loopback(host):
            refused.append(str(host))
            raise socket.gaierror(f"refused by test: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(sock, address):  # type: ignore[no-untyped-def]
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            refused.append(str(address[0]))
            raise OSError(f"refused by test: {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    # In-process Hub clients default to a closed loopback port, so a call a test did not point at its
    # own server (huggingface_hub's agent registry fetch, say) fails fast instead of leaving the machine.
    import huggingface_hub.constants as hub_constants

    monkeypatch.setattr(hub_constants, "ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setattr(
        hub_constants, "HUGGINGFACE_CO_URL_TEMPLATE", "http://127.0.0.1:9/{repo_id}/resolve/{revision}/{filename}"
    )
    yield refused
    assert refused == [], f"a client tried to reach a host other than loopback: {refused}"
