"""Comparing a parsed record with an expected JSON written by hand (recipe-scrapers style)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import medqa_ds
from medqa_ds import schema, sources


def assert_matches(got: Any, want: Any, path: str = "") -> None:
    """Every key of ``want`` equals ``got``'s; lists must have the same length, item by item."""
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        for key, value in want.items():
            assert key in got, f"{path}/{key} missing"
            assert_matches(got[key], value, f"{path}/{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: {got!r}"
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_matches(g, w, f"{path}/{k}")
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


class Fixtures:
    """One source's invented pages (``tests/fixtures/<source>/``) and their hand-written expectations."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.folder = Path(__file__).resolve().parent / "fixtures" / source

    def page(self, name: str) -> str:
        return (self.folder / f"{name}.txt").read_text(encoding="utf-8")

    def parse(self, name: str) -> dict[str, Any]:
        """The fixture's record, checked valid and parsed by this source's current parser."""
        record = medqa_ds.parse(self.page(name), f"{self.source}/{name}.txt")
        assert schema.errors(record) == []
        assert record["source"] == self.source
        assert record["provenance"]["parser"] == sources.by_name(self.source).parser
        return record

    def expected(self) -> list[str]:
        """Fixtures with an expected ``.json`` beside them."""
        return sorted(p.stem for p in self.folder.glob("*.json"))

    def check_expected(self, name: str) -> None:
        want = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        assert_matches(self.parse(name), want)
