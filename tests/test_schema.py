"""The JSON Schema is the one source of truth; Arrow types, Features and the card are derived from it."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from jsonschema import Draft202012Validator

from medqa_ds import parse, schema, specialties
from medqa_ds.pipeline.card import card_data, fields_markdown

from conftest import ROOT
from pages import askadoctor_page, doctorqna_page


def test_the_schemas_are_valid_draft_2020_12():
    for path in schema.schema_files():
        Draft202012Validator.check_schema(json.loads(path.read_text()))


def test_arrow_types_follow_the_schema():
    arrow = schema.arrow_schema()
    assert arrow.field("answers").type == pa.list_(
        schema.to_arrow_type(schema.load()["properties"]["answers"]["items"])
    )
    assert arrow.field("complete").type == pa.bool_()
    assert arrow.field("follow_ups").type.value_type.field("after_answer").type == pa.int64()
    assert arrow.field("question").type.field("asker").type.field("age_range").type == pa.string()
    assert [f.name for f in arrow] == list(schema.load()["properties"])


def test_card_metadata_and_field_docs_come_from_the_schema():
    manifest = {
        "dataset": {"name": "x"},
        "accounting": {"records": 3},
        "splits": {
            "train": {"num_examples": 3, "num_bytes": 100, "files": []},
            "test": {"num_examples": 0, "num_bytes": 0, "files": []},
        },
    }
    data = card_data(manifest).to_dict()
    assert [s["name"] for s in data["dataset_info"]["splits"]] == ["train"]
    names = [f["name"] for f in data["dataset_info"]["features"]]
    assert names == list(schema.load()["properties"])
    docs = fields_markdown()
    for path in ("`question.asker.age_range`", "`answers[].role`", "`follow_ups[].questions`", "`provenance.sha256`"):
        assert path in docs
    assert schema.load()["properties"]["more_info"]["description"] in docs


@pytest.mark.parametrize("text", [doctorqna_page(3), doctorqna_page(4, compact=True), askadoctor_page(5)])
def test_records_survive_the_arrow_round_trip(text):
    record = parse(text, "p.txt")
    assert schema.errors(record) == []
    table = pa.Table.from_pylist([record], schema=schema.arrow_schema())
    assert table.to_pylist() == [record]


def test_the_schema_rejects_what_it_should():
    record = parse((ROOT / "raw" / "004_b187f78d846d3bb6.txt").read_text(), "p.txt")
    bad = json.loads(json.dumps(record))
    bad["question"]["date"] = "2016/09/07"
    bad["answers"][0]["specialty"] = "Astrology"
    bad["extra"] = 1
    problems = "\n".join(schema.errors(bad))
    assert "question/date" in problems and "answers/0/specialty" in problems and "extra" in problems


@pytest.mark.parametrize(
    "given, canonical",
    [
        ("General and Family Physician", "Family Medicine"),
        ("General & Family Physician", "Family Medicine"),
        ("general  &  family physician", "Family Medicine"),
        ("Orthopaedic Surgeon", "Orthopedics"),
        ("Neurology", "Neurology"),
        ("Obstetrician & Gynaecologist", "Obstetrics and Gynecology"),
        ("Astrology", None),
        (None, None),
    ],
)
def test_specialty_vocabulary(given, canonical):
    assert specialties.canonical(given) == canonical


def test_every_canonical_name_is_in_the_enum():
    doc = schema.load(schema.SPECIALTY_SCHEMA)
    assert set(doc["x-variants"]) <= set(doc["enum"])
    assert set(specialties.names()) <= set(doc["enum"])
    owners: dict[str, set[str]] = {}
    for name, variants in doc["x-variants"].items():
        for variant in variants:
            owners.setdefault(specialties._key(variant), set()).add(name)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}, "a spelling maps to two names"


def test_the_specialty_lookup_cache_is_bounded():
    """Parsers ask about breadcrumb prefixes, an endless stream of distinct strings: the cache must not grow
    with the pages (it held 96,137 entries over 5,000 iCliniq pages when unbounded)."""
    specialties.canonical.cache_clear()
    for n in range(specialties.CACHE_SIZE + 500):
        specialties.canonical(f"Cardiology topic {n}")
    info = specialties.canonical.cache_info()
    assert info.maxsize == specialties.CACHE_SIZE and info.currsize <= specialties.CACHE_SIZE
    assert specialties.canonical("Cardiologist") == "Cardiology"
