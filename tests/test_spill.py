"""A spill written by the core (rust/src/arrow_rows.rs, for the Rust unit of work) reads back as
the very table ``pa.Table.from_pylist`` builds from the same rows, and so as ``chunk._spill``
writes them: values, types and schema metadata."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from medqa_ds import _core, schema
from medqa_ds.pipeline import chat
from medqa_ds.pipeline.outcome import Page
from medqa_ds.pipeline.parse_pages import parse_page
from medqa_ds.pipeline.read import decode

from conftest import ROOT, SHARED
from pages import askadoctor_page, doctorqna_page


def _records() -> list[dict[str, Any]]:
    """The checked records of the fixtures, the project's raw pages, invented pages and the devset
    (when it is beside this checkout)."""
    files = [(str(p.relative_to(ROOT)), p.read_bytes()) for p in sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))]
    files += [(str(p.relative_to(ROOT)), p.read_bytes()) for p in sorted((ROOT / "raw").glob("*.txt"))]
    files += [(f"made/d{n}.txt", doctorqna_page(n).encode()) for n in range(20)]
    files += [(f"made/a{n}.txt", askadoctor_page(n).encode()) for n in range(20)]
    if (SHARED / "devset").is_dir():
        files += [(str(p), p.read_bytes()) for p in sorted((SHARED / "devset").rglob("*")) if p.is_file()]
    records = []
    for rel, data in files:
        page = decode(rel, data)
        if isinstance(page, Page):
            records += [r for r in parse_page(page) if isinstance(r, dict)]
    return records


RECORDS = _records()


def _chat_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": r["id"], "source": r["source"], "messages": chat.messages(r)[0]} for r in records]


def _edge_records() -> list[dict[str, Any]]:
    """A blank record (all nulls, empty lists), and records with empty and all-null items and
    non-ASCII text."""
    blank = schema.blank()
    full = copy.deepcopy(RECORDS[0])
    full["title"] = "Größe, 病気 and emoji 🩺 — “quoted”"
    full["answers"] = [schema.blank_item("answers"), *full["answers"]]
    full["related"] = []
    full["question"]["asker"] = {"name": None, "age_range": None, "sex": None}
    missing = {"id": "missing-0000000000000000", "source": RECORDS[0]["source"]}  # keys left out: nulls
    return [blank, full, missing]


def _spill(path: Path, rows: list[dict[str, Any]], arrow_schema: pa.Schema) -> None:
    _core.spill_rows(str(path), arrow_schema.serialize().to_pybytes(), rows)


def _read(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def _assert_spills_as_from_pylist(tmp_path: Path, rows: list[dict[str, Any]], arrow_schema: pa.Schema) -> None:
    path = tmp_path / "rows.arrow"
    _spill(path, rows, arrow_schema)
    got = _read(path)
    want = pa.Table.from_pylist(rows, schema=arrow_schema)
    assert got.schema.equals(arrow_schema, check_metadata=True)
    assert got.schema.metadata == arrow_schema.metadata and b"huggingface" in got.schema.metadata
    assert got.equals(want, check_metadata=True)
    assert got.to_pylist() == want.to_pylist()


def test_records_spill_as_from_pylist_builds_them(tmp_path):
    assert len(RECORDS) > 100
    _assert_spills_as_from_pylist(tmp_path, RECORDS, schema.arrow_schema())


def test_chat_rows_spill_as_from_pylist_builds_them(tmp_path):
    rows = _chat_rows(RECORDS)
    assert any(r["messages"] is None for r in rows) and any(r["messages"] for r in rows)
    _assert_spills_as_from_pylist(tmp_path, rows, chat.arrow_schema())


def test_edge_rows_spill_as_from_pylist_builds_them(tmp_path):
    records = _edge_records()
    _assert_spills_as_from_pylist(tmp_path, records, schema.arrow_schema())
    chats = [
        {"id": "é-1", "source": None, "messages": []},
        {"id": None, "source": None, "messages": None},
        {"id": "x", "source": "y", "messages": [{"role": "user", "content": ""}, {"role": None, "content": "病"}]},
        {},
    ]
    _assert_spills_as_from_pylist(tmp_path, chats, chat.arrow_schema())


def test_no_rows_spill_as_an_empty_table(tmp_path):
    _assert_spills_as_from_pylist(tmp_path, [], schema.arrow_schema())
    _assert_spills_as_from_pylist(tmp_path, [], chat.arrow_schema())


def test_a_value_of_the_wrong_type_is_an_error_naming_its_field(tmp_path):
    with pytest.raises(ValueError, match=r"messages\[\]\.content: expected a string, got the number 3"):
        _spill(tmp_path / "x.arrow", [{"id": "a", "messages": [{"role": "user", "content": 3}]}], chat.arrow_schema())
    with pytest.raises(TypeError, match="not set"):
        _spill(tmp_path / "x.arrow", [{"id": {1}}], chat.arrow_schema())
    with pytest.raises(OSError):
        _spill(tmp_path / "no" / "such" / "x.arrow", [], chat.arrow_schema())
    with pytest.raises(ValueError, match="not a serialized Arrow schema"):
        _core.spill_rows(str(tmp_path / "x.arrow"), b"junk", [])
