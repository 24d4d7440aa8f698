"""``validate`` finds what is wrong with a built folder."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from medqa_ds import schema
from medqa_ds.pipeline import build
from medqa_ds.pipeline.manifest import sha256_file
from medqa_ds.verify import verify


@pytest.fixture
def built(write_raw, tmp_path) -> Path:
    out = tmp_path / "out"
    build(write_raw(40), out)
    assert verify(out) == []
    return out


def _reseal(out: Path, name: str) -> None:
    """Record a changed file's checksum, as someone editing a release by hand would."""
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["files"][name]["sha256"] = sha256_file(out / name)
    (out / "manifest.json").write_text(json.dumps(manifest))


def _rewrite(out: Path, name: str, change) -> None:
    table = pq.read_table(out / name)
    rows = change(table.to_pylist())
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.arrow_schema()), out / name)


def _first(out: Path, split: str) -> str:
    return json.loads((out / "manifest.json").read_text())["splits"][split]["files"][0]


def test_a_changed_file_fails_its_checksum(built):
    name = _first(built, "train")
    with (built / name).open("ab") as f:
        f.write(b"\0")
    assert any(name in p and "sha256" in p for p in verify(built))


def test_an_extra_file_is_reported(built):
    (built / "data" / "train-extra.parquet").write_bytes(b"")
    assert any("not in the manifest" in p for p in verify(built))


def test_a_record_that_breaks_the_schema(built):
    name = _first(built, "train")

    def change(rows):
        rows[0]["source"] = "somewhere"
        return rows

    _rewrite(built, name, change)
    _reseal(built, name)
    assert any("source" in p and "is not one of" in p for p in verify(built))


def test_an_id_in_two_splits(built):
    train, test = _first(built, "train"), _first(built, "test")
    leaked = pq.read_table(built / train).to_pylist()[0]
    _rewrite(built, test, lambda rows: rows + [leaked])
    _reseal(built, test)
    problems = verify(built)
    assert any(leaked["id"] in p and "twice" in p for p in problems)
    assert any("rows, the manifest says" in p for p in problems)


def test_card_counts_that_do_not_match(built):
    card = (built / "README.md").read_text()
    n = json.loads((built / "manifest.json").read_text())["splits"]["train"]["num_examples"]
    (built / "README.md").write_text(card.replace(f"num_examples: {n}\n", f"num_examples: {n + 1}\n", 1))
    _reseal(built, "README.md")
    assert any("num_examples" in p for p in verify(built))


def test_accounting_that_does_not_add_up(built):
    manifest = json.loads((built / "manifest.json").read_text())
    manifest["accounting"]["files_seen"] += 1
    (built / "manifest.json").write_text(json.dumps(manifest))
    assert any("does not add up" in p for p in verify(built))


def test_not_a_build(tmp_path):
    assert "is" in verify(tmp_path)[0] and "medqa-ds build" in verify(tmp_path)[0]
