"""``medqa-ds build ../shared/devset``: every page with a question and an answer is a record of its
source, every other page a reject with its reason (skipped where the devset is not beside the repo)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from medqa_ds.pipeline import build

DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"

RECORDS = {"A_dev_01.txt": "askadoctor", **{f"B_dev_{k:02d}.txt": "doctorqna" for k in range(1, 15)},
           "I_dev_01.txt": "icliniq", "I_dev_02.txt": "icliniq",
           **{f"M_dev_{k:02d}.txt": "askthedoctor" for k in (1, 2, 3)}}
REJECTS = {"A_dev_02.txt": "no answer: the page holds no 'Detailed Answer:' block (only page chrome",
           **{f"A2_dev_{k:02d}.txt": "answer-only chunk: no question" for k in range(1, 6)},
           "SOURCES.md": "not a page of a known source"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not DEVSET.is_dir():
        pytest.skip(f"no devset at {DEVSET}")
    out = tmp_path_factory.mktemp("devset") / "out"
    return out, build(DEVSET, out)


def test_every_page_with_a_question_and_an_answer_is_a_record_of_its_source(built):
    out, result = built
    rows = [r for f in sorted((out / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    assert {r["provenance"]["file"]: r["source"] for r in rows} == RECORDS
    incomplete = {r["provenance"]["file"]: r["incomplete_reason"] for r in rows if not r["complete"]}
    assert incomplete["I_dev_01.txt"] == "page ends inside the answer"
    assert "M_dev_01.txt" not in incomplete and "I_dev_02.txt" not in incomplete


def test_every_other_page_is_a_reject_with_its_reason(built):
    _, result = built
    reasons = {r.file: r.reason for r in result.rejects}
    assert set(reasons) == set(REJECTS)
    for name, start in REJECTS.items():
        assert reasons[name].startswith(start), (name, reasons[name])
    acc = result.manifest["accounting"]
    assert (acc["files_seen"], acc["records"], acc["rejects"], acc["balanced"]) == (27, 20, 7, True)


def test_the_askthedoctor_artefacts_are_repaired_beside_the_faithful_text(built):
    out, _ = built
    rows = {r["provenance"]["file"]: r for f in sorted((out / "data").glob("*.parquet"))
            for r in pq.read_table(f).to_pylist()}
    for name, broken, whole in [("M_dev_01.txt", "ac ne", "acne"), ("M_dev_02.txt", "deta ils", "details"),
                                ("M_dev_03.txt", "sec ond", "second")]:
        answer = rows[name]["answers"][0]
        assert broken in answer["text"] and broken not in answer["text_repaired"]
        assert f" {whole} " in answer["text_repaired"] or f" {whole}," in answer["text_repaired"]
