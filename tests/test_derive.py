"""The small values the build derives from a record, now the core's (rust/src/derive/): each equals
what the Python it replaced computed, kept here as the reference, on every fixture page, a
generated corpus and edge cases (the same-asker key and its pieces: tests/test_same_asker.py)."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import importlib.util
import math
import random
from collections import Counter
from typing import Any

import numpy as np
import pytest

from medqa_ds import cleaning, parse_all
from medqa_ds.errors import ParseError
from medqa_ds.pipeline import chunk, neardup
from medqa_ds.pipeline.split import SPLITS, SplitSpec

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


def _parsed(texts: list[str]) -> list[dict[str, Any]]:
    records = []
    for text in texts:
        with contextlib.suppress(ParseError):
            records += [r for r in parse_all(text, "x.txt") if isinstance(r, dict)]
    return records


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict[str, Any]]:
    """The records of every fixture page and of 400 generated pages."""
    folder = tmp_path_factory.mktemp("corpus")
    corpus.generate(folder, 400, seed=11)
    paths = sorted((ROOT / "tests" / "fixtures").rglob("*.txt")) + sorted(folder.rglob("*.txt"))
    return _parsed([p.read_bytes().decode("utf-8", errors="replace") for p in paths])


def _python_rank(record: dict[str, Any]) -> int:
    text = sum(len(a["text"]) for a in record["answers"]) + len(record["question"]["text"] or "")
    text += len(record["more_info"] or "") + len(record["related"])
    return (int(record["complete"]) << 48) | (min(len(record["answers"]), 255) << 40) | min(text, 2**40 - 1)


def _python_text(record: dict[str, Any]) -> str:
    body = record["question"]["text"] or (record["answers"][0]["text"] if record["answers"] else "")
    return f"{record['title'] or ''} {body}"


def _python_removed(record: dict[str, Any]) -> Counter[str]:
    def source_text(part):
        return (part.get("text_repaired") or part.get("text") or "").strip()

    return Counter(
        name for a in record["answers"] for name, _ in cleaning.clean(source_text(a), record["source"]).removed
    )


def _python_assign(spec: SplitSpec, key: str) -> str:
    digest = hashlib.sha256(f"{spec.salt}\x1f{key}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    edge = 0.0
    names = [n for n in SPLITS if spec.ratios.get(n, 0) > 0]
    for name in names:
        edge += spec.ratios[name]
        if point < edge:
            return name
    return names[-1]


def test_the_sample_has_every_source(records):
    assert len(records) > 400
    assert {r["source"] for r in records} >= {"doctorqna", "askadoctor", "icliniq", "meddialog", "askthedoctor"}


def test_rank_text_and_cleaning_counts_are_pythons(records):
    for r in records:
        assert chunk.rank(r) == _python_rank(r), r["id"]
        assert neardup.text(r) == _python_text(r), r["id"]
        got = cleaning.removed(r)
        assert got == _python_removed(r) and list(got.items()) == list(_python_removed(r).items()), r["id"]


def test_rank_text_and_counts_on_edge_records(records):
    r = copy.deepcopy(records[0])
    r.update(title=None, more_info="é" * 5, complete=False)
    r["question"]["text"] = ""
    r["answers"] = [{**r["answers"][0], "text": "ß" * (2**20)} for _ in range(300)]
    r["related"] = [{}] * 3
    assert chunk.rank(r) == _python_rank(r) == (255 << 40) | (300 * 2**20 + 5 + 3)
    assert neardup.text(r) == _python_text(r)
    r["answers"][0]["text"] = None  # a quirk kept: the text Python formatted was "None"
    assert neardup.text(r) == _python_text(r) == " None"
    r["answers"] = []
    assert neardup.text(r) == _python_text(r) == " "
    assert cleaning.removed(r) == Counter()
    with pytest.raises(TypeError):
        chunk.rank({**r, "complete": None})


def test_signatures_in_one_call_are_those_of_the_texts(records):
    sigs = neardup.signatures(records)
    raw = neardup.hasher().signatures([neardup.text(r) for r in records])
    assert np.array_equal(sigs, np.frombuffer(raw, dtype=np.uint32).reshape(len(records), neardup.NUM_PERM))
    assert np.array_equal(neardup.signature(records[3]), sigs[3])
    assert neardup.signatures([]).shape == (0, neardup.NUM_PERM)


SPECS = [
    SplitSpec(),
    SplitSpec({"train": 0.7, "validation": 0.2, "test": 0.1}),  # 0.7 + 0.2 is 0.8999999999999999
    SplitSpec({"train": 0.1, "validation": 0.2, "test": 0.7}, salt="pepper"),
    SplitSpec({"validation": 0.5, "test": 0.5}),
    SplitSpec({"train": 1}),  # an int share
    SplitSpec({"train": 0.0, "test": 1.0}),
    SplitSpec({"train": 0.3333333333, "validation": 0.3333333333, "test": 0.3333333333}),  # sums below 1
    SplitSpec({"test": 0.9, "train": 0.1}),  # edges follow SPLITS' order, not the dict's
    SplitSpec(salt="sel\x1fé 匿名"),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.ratios}-{s.salt}")
def test_splits_are_pythons(spec):
    rng = random.Random(5)
    keys = [f"doctorqna-{rng.getrandbits(64):016x}" for _ in range(3000)] + ["", "x", "é", "\x1f", "a" * 10_000]
    assert [spec.assign(k) for k in keys] == [_python_assign(spec, k) for k in keys]


def test_split_points_on_the_edges():
    """A point just below an edge, on it and above it: the edge is exclusive, as ``point < edge`` says."""
    spec = SplitSpec()
    point = int.from_bytes(hashlib.sha256(b"medqa-ds\x1fx").digest()[:8], "big") / 2**64
    below, above = math.nextafter(point, 0), math.nextafter(point, 1)
    for train, want in [(point, "validation"), (above, "train"), (below, "validation")]:
        s = SplitSpec({"train": train, "validation": 1 - train}, salt="medqa-ds")
        assert s.assign("x") == _python_assign(s, "x") == want, train
    assert spec.assign("x") == _python_assign(spec, "x")


def test_no_positive_share_is_pythons_index_error():
    spec = SplitSpec({"train": math.nan})  # passes the sum check: NaN compares false
    with pytest.raises(IndexError):
        spec.assign("x")
