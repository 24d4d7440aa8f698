"""Shared fixtures: a raw folder of invented pages and a way to load a built folder in isolation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pages import askadoctor_page, doctorqna_page

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


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
