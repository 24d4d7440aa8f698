"""``medqa-ds build ../shared/devset``: every page with a question and an answer is a record of its
source, every other page a reject with its reason (skipped where the devset is not beside the repo)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from medqa_ds.pipeline import BuildOptions, build, neardup
from medqa_ds.pipeline.build import chunk_tasks
from medqa_ds.pipeline.chunk import process_chunk
from medqa_ds.pipeline.index import Index

DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"

RECORDS = {
    "A_dev_01.txt": "askadoctor",
    "A_dev_03.txt": "askadoctor",
    "A2_dev_07.txt": "askadoctor_free",
    **{f"B_dev_{k:02d}.txt": "doctorqna" for k in range(1, 19)},
    **{f"I_dev_{k:02d}.txt": "icliniq" for k in range(1, 5)},
    **{f"M_dev_{k:02d}.txt": "askthedoctor" for k in range(1, 6)},
}
REJECTS = {
    "A_dev_02.txt": "no answer: the page holds no 'Detailed Answer:' block (only page chrome",
    **{f"A2_dev_{k:02d}.txt": "answer-only chunk: no question" for k in range(1, 7)},
    "M_dev_06.txt": "no answer: the page has no 'Doctor:' reply (question-only chunk)",
    **{f"X_dev_{k:02d}.txt": "not a page of a known source" for k in range(1, 4)},
    "SOURCES.md": "not a page of a known source",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not DEVSET.is_dir():
        pytest.skip(f"no devset at {DEVSET}")
    out = tmp_path_factory.mktemp("devset") / "out"
    return out, build(DEVSET, out)


def test_every_page_with_a_question_and_an_answer_is_a_record_of_its_source(built):
    out, _ = built
    rows = [r for f in sorted((out / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    assert {r["provenance"]["file"]: r["source"] for r in rows} == RECORDS
    incomplete = {r["provenance"]["file"]: r["incomplete_reason"] for r in rows if not r["complete"]}
    assert incomplete["I_dev_01.txt"] == "page ends inside the answer"
    assert "M_dev_01.txt" not in incomplete and "I_dev_02.txt" not in incomplete
    assert incomplete["A_dev_03.txt"] == "page ends inside the follow-up"  # cut at 2,000 bytes
    assert "A2_dev_07.txt" not in incomplete  # cut inside the repeat below the footer: the thread is whole


def test_pages_with_site_chrome_give_the_threads_fields(built):
    out, _ = built
    rows = {
        r["provenance"]["file"]: r
        for f in sorted((out / "data").glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    }
    a3 = rows["A_dev_03.txt"]
    assert a3["title"].startswith("TSH Is 6.45.") and a3["question"]["date"] == "2013-11-12"
    assert not a3["question"]["text"].startswith("Question:")
    (answer,) = a3["answers"]
    assert (answer["author"], answer["role"], answer["summary"]) == (
        "Dr. Preeti Parakh",
        "MD Psychiatry",
        "Supplementation needed.",
    )
    assert [(f["role"], f["after_answer"]) for f in a3["follow_ups"]] == [("patient", 0)]
    a7 = rows["A2_dev_07.txt"]
    assert a7["title"].startswith("Should I Still Be Worried About HIV")
    assert len(a7["answers"]) == 1 and a7["answers"][0]["author"] == "Dr.Rovena"
    assert "answer helpful" not in a7["answers"][0]["text"]
    m4 = rows["M_dev_04.txt"]["answers"][0]
    assert "View all posts" not in m4["text"] and "Ask The Doctor" not in m4["text"]
    assert [(f["role"], f["after_answer"]) for f in rows["M_dev_05.txt"]["follow_ups"]] == [("patient", 0)]
    assert [a["author"] for a in rows["I_dev_03.txt"]["answers"]] == ["Dr. Reetika"] * 2
    assert [a["author"] for a in rows["I_dev_04.txt"]["answers"]] == [None]


def test_the_near_duplicate_pair_is_one_group_in_one_split(built, tmp_path):
    # B_dev_18 re-asks B_dev_17 in other words (word 3-gram Jaccard 0.05, below the MinHash threshold):
    # the same asker asking the same doctor a day later puts them in one near-duplicate group
    out, result = built
    split, ids = {}, {}
    for f in sorted((out / "data").glob("*.parquet")):
        for r in pq.read_table(f).to_pylist():
            split[r["provenance"]["file"]], ids[r["provenance"]["file"]] = f.name.split("-")[0], r["id"]
    assert split["B_dev_17.txt"] == split["B_dev_18.txt"]
    # the groups as the build's index makes them, from the same chunks
    index = Index.of([process_chunk(t) for t in chunk_tasks(DEVSET, tmp_path, BuildOptions())], tmp_path)
    keep, _ = index.keep_one_per_page()
    groups = index.groups(keep, neardup.THRESHOLD, index.same_asker_pairs(keep))
    members = {}
    for row, root in groups.items():
        members.setdefault(root, set()).add(index.record_id(row))
    assert {ids["B_dev_17.txt"], ids["B_dev_18.txt"]} in members.values()
    near = result.manifest["near_duplicates"]
    assert (near["groups_with_several_records"], near["records_joined_by_same_asker"]) == (1, 2)


def test_every_other_page_is_a_reject_with_its_reason(built):
    _, result = built
    reasons = {r.file: r.reason for r in result.rejects}
    assert set(reasons) == set(REJECTS)
    for name, start in REJECTS.items():
        assert reasons[name].startswith(start), (name, reasons[name])
    acc = result.manifest["accounting"]
    assert (acc["files_seen"], acc["records"], acc["rejects"], acc["balanced"]) == (42, 30, 12, True)


def test_the_askthedoctor_artefacts_are_repaired_beside_the_faithful_text(built):
    out, _ = built
    rows = {
        r["provenance"]["file"]: r
        for f in sorted((out / "data").glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    }
    for name, broken, whole in [
        ("M_dev_01.txt", "ac ne", "acne"),
        ("M_dev_02.txt", "deta ils", "details"),
        ("M_dev_03.txt", "sec ond", "second"),
    ]:
        answer = rows[name]["answers"][0]
        assert broken in answer["text"] and broken not in answer["text_repaired"]
        assert f" {whole} " in answer["text_repaired"] or f" {whole}," in answer["text_repaired"]
