"""The fast validator (the core's, rust/src/schema.rs) and the reference (jsonschema) give the same verdict."""

from __future__ import annotations

import copy
import json

import pytest

from medqa_ds import _core, parse, schema

from conftest import ROOT
from pages import askadoctor_page, doctorqna_page


def _records() -> list[dict]:
    pages = [doctorqna_page(n, compact=bool(n % 2)) for n in range(6)] + [askadoctor_page(n) for n in range(4)]
    pages += [p.read_text() for p in sorted((ROOT / "raw").glob("*.txt"))]
    return [parse(text, "x.txt") for text in pages]


def _mutations(record: dict) -> list[tuple[str, dict]]:
    """Ways to break a record, one schema rule at a time."""

    def change(fn):
        bad = copy.deepcopy(record)
        fn(bad)
        return bad

    return [
        ("bad date format", change(lambda r: r["question"].update(date="2016/09/07"))),
        ("impossible date", change(lambda r: r["question"].update(date="2016-02-30"))),
        ("unknown source", change(lambda r: r.update(source="elsewhere"))),
        ("unknown specialty", change(lambda r: r.update(specialty="Astrology"))),
        ("extra field", change(lambda r: r.update(extra=1))),
        ("missing field", change(lambda r: r.pop("more_info"))),
        ("id pattern", change(lambda r: r.update(id="not-an-id"))),
        ("wrong type", change(lambda r: r.update(complete="yes"))),
        ("empty answer text", change(lambda r: r["answers"][0].update(text=""))),
        (
            "negative after_answer",
            change(
                lambda r: r["follow_ups"].append({"role": "doctor", "text": None, "questions": [], "after_answer": -1})
            ),
        ),
        ("bad sha256", change(lambda r: r["provenance"].update(sha256="xyz"))),
    ]


@pytest.mark.parametrize("index", range(12))
def test_same_verdict_on_valid_records(index):
    record = _records()[index]
    assert schema.errors(record) == []
    assert schema.fast_validator().is_valid(record)
    assert schema.fast_validator().is_valid_value(record)  # as the core's record value
    assert schema.check(record) == []


def test_same_verdict_on_every_broken_record():
    for record in _records():
        for name, bad in _mutations(record):
            reference = schema.errors(bad)
            assert reference, name
            assert not schema.fast_validator().is_valid(bad), name
            assert not schema.fast_validator().is_valid_value(bad), name
            assert schema.check(bad) == reference, name
    assert json.dumps(schema.load())  # the schema itself is plain JSON


def test_the_fast_validator_is_the_cores_and_checks_date_times():
    """The reference checks ``date-time`` only with rfc3339-validator installed (it is not); the core
    checks it, as jsonschema-rs did, so such a record is rejected with the fast check's reason."""
    assert isinstance(schema.fast_validator(), _core.Validator)
    record = _records()[0]
    assert record["provenance"]["captured"] is None
    good = copy.deepcopy(record)
    good["provenance"]["captured"] = "2024-02-29T12:30:00Z"
    assert schema.fast_validator().is_valid(good) and schema.check(good) == []
    bad = copy.deepcopy(record)
    bad["provenance"]["captured"] = "2024-02-29 12:30"
    assert not schema.fast_validator().is_valid(bad) and not schema.fast_validator().is_valid_value(bad)
    assert schema.check(bad) == ["rejected by the core's schema check"]
    with pytest.raises(TypeError):
        schema.fast_validator().is_valid_value({**record, "line": object()})
