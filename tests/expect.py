"""Comparing a parsed record with an expected JSON written by hand (recipe-scrapers style)."""

from __future__ import annotations

from typing import Any


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
