"""croissant.json: MLCommons Croissant metadata that mlcroissant reads offline, row for row.

mlcroissant would fetch remote files; every file here is local (``contentUrl`` relative to the
JSON-LD), so it reads the folder itself, and the loopback guard (conftest) fails the test if it
tries any other host.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import mlcroissant as mlc
import pytest

from medqa_ds import schema
from medqa_ds.pipeline import BuildOptions, build, chat, croissant

# mlcroissant's own dependencies warn about their deprecations; nothing of ours
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    pytest.mark.filterwarnings("ignore:The inplace keyword:Warning"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from pages import askadoctor_page, doctorqna_page

    raw = tmp_path_factory.mktemp("croissant") / "raw"
    raw.mkdir()
    for i in range(25):
        (raw / f"dq_{i:03d}.txt").write_text(doctorqna_page(i, compact=bool(i % 2)), encoding="utf-8")
        (raw / f"ad_{i:03d}.txt").write_text(askadoctor_page(i), encoding="utf-8")
    out = raw.parent / "out"
    build(raw, out, BuildOptions(version="1.0.0", workers=1, shard_rows=7))  # several shards per split
    return out


@pytest.fixture
def dataset(built):
    """Read per test, so the loopback guard (a per-test fixture) watches mlcroissant."""
    return mlc.Dataset(jsonld=built / croissant.NAME)


def test_mlcroissant_loads_it_without_errors(built, dataset):
    assert dataset.metadata.issues.errors == set()
    assert dataset.metadata.name == "medqa" and dataset.metadata.version == "1.0.0"
    manifest = json.loads((built / "manifest.json").read_text())
    assert croissant.NAME in manifest["files"]


@pytest.mark.parametrize("record_set", ["default", "chat"])
def test_records_read_through_croissant_match_the_manifest(built, dataset, record_set):
    manifest = json.loads((built / "manifest.json").read_text())
    section = manifest if record_set == "default" else manifest["chat"]
    rows = list(dataset.records(record_set=record_set))
    splits = Counter(
        r[f"{record_set}/split"].decode() if isinstance(r[f"{record_set}/split"], bytes) else r[f"{record_set}/split"]
        for r in rows
    )
    assert splits == {k: v["num_examples"] for k, v in section["splits"].items() if v["num_examples"]}
    assert sum(len(v["files"]) for v in section["splits"].values()) > 3  # read across several shards
    ids = {
        r[f"{record_set}/id"].decode() if isinstance(r[f"{record_set}/id"], bytes) else r[f"{record_set}/id"]
        for r in rows
    }
    assert len(ids) == len(rows)


def test_every_parquet_file_is_described_with_the_manifests_checksum(built):
    doc = json.loads((built / croissant.NAME).read_text())
    manifest = json.loads((built / "manifest.json").read_text())
    objects = {d["contentUrl"]: d["sha256"] for d in doc["distribution"] if d["@type"] == "cr:FileObject"}
    parquet = {f: meta["sha256"] for f, meta in manifest["files"].items() if f.endswith(".parquet")}
    assert objects == parquet and any(f.startswith("chat/") for f in objects)


def test_fields_are_the_features_derived_from_the_schema(built):
    doc = json.loads((built / croissant.NAME).read_text())
    sets = {rs["@id"]: rs for rs in doc["recordSet"]}
    assert [f["name"] for f in sets["default"]["field"]] == ["split", *schema.features()]
    assert [f["name"] for f in sets["chat"]["field"]] == ["split", *chat.features()]
    question = next(f for f in sets["default"]["field"] if f["name"] == "question")
    asker = next(f for f in question["subField"] if f["name"] == "asker")
    name = next(f for f in asker["subField"] if f["name"] == "name")
    assert name["source"]["extract"] == {"column": "question"} and name["source"]["transform"] == {
        "jsonPath": "asker.name"
    }
    answers = next(f for f in sets["default"]["field"] if f["name"] == "answers")
    assert answers["isArray"] is True and [f["name"] for f in answers["subField"]] == list(
        schema.features()["answers"].feature
    )
    assert answers["description"] == schema.load()["properties"]["answers"]["description"]


def test_croissant_is_part_of_the_byte_identical_build(built, tmp_path):
    from pages import doctorqna_page

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(doctorqna_page(1))
    a = build(raw, tmp_path / "a", BuildOptions(workers=1)).out
    b = build(raw, tmp_path / "b", BuildOptions(workers=1)).out
    assert (a / croissant.NAME).read_bytes() == (b / croissant.NAME).read_bytes()


def test_the_responsible_ai_fields_that_apply_are_there_and_mlcroissant_reads_them(dataset):
    meta = dataset.metadata
    assert meta.issues.errors == set()
    assert not [w for w in meta.issues.warnings if "RAI" in w or "rai:" in w], meta.issues.warnings
    assert "doctor-answer web pages" in meta.data_collection
    assert any("Health" in item for item in meta.personal_sensitive_information)
    assert any("[PATIENT]" in item for item in meta.personal_sensitive_information)
    assert any("not a random sample" in item for item in meta.data_biases)
    assert meta.data_limitations and meta.data_use_cases and meta.data_collection_type
