"""The ``chat`` config: every row a conversation chat models train on, built by documented rules."""

from __future__ import annotations

import json
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from medqa_ds import cleaning, parse, schema
from medqa_ds.pipeline import BuildOptions, build, chat
from medqa_ds.pipeline.manifest import sha256_file
from medqa_ds.verify import verify

from conftest import ROOT

# Lines of page layout, as the pages show them: none may reach a message.
CHROME = re.compile(
    r"^(?:Share to:|Detailed Answer:?|Reply Date:|More Info$|Similar Q&A$|Related FAQ$|\[Read More\]"
    r"|Posted on$|Answered on$|.*\bAsk Date:|Dr\. .* reply [A-Z][a-z]+)",
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The project's raw pages (seed 000 has the missing patient reply) and invented ones of both layouts."""
    from pages import askadoctor_page, doctorqna_page

    raw = tmp_path_factory.mktemp("chat") / "raw"
    raw.mkdir()
    for page in (ROOT / "raw").glob("*.txt"):
        shutil.copy(page, raw / page.name)
    for i in range(30):
        (raw / f"dq_{i:03d}.txt").write_text(doctorqna_page(i, compact=bool(i % 2)), encoding="utf-8")
        (raw / f"ad_{i:03d}.txt").write_text(askadoctor_page(i), encoding="utf-8")
    out = raw.parent / "out"
    build(raw, out, BuildOptions(workers=1))
    return out


def _records(out: Path) -> dict[str, dict]:
    return {r["id"]: r for f in out.glob("data/*.parquet") for r in pq.read_table(f).to_pylist()}


def test_load_dataset_reads_the_chat_config_and_every_row_keeps_the_rules(built, load):
    ds = load(built, "chat")
    manifest = json.loads((built / "manifest.json").read_text())
    want = {k: v["num_examples"] for k, v in manifest["chat"]["splits"].items() if v["num_examples"]}
    assert {k: len(v) for k, v in ds.items()} == want and sum(want.values()) == manifest["chat"]["rows"] == 60 + len(
        list((ROOT / "raw").glob("*.txt"))
    )  # every page the fixture wrote or copied
    records = _records(built)
    split_of = {
        r["id"]: s
        for s, meta in manifest["splits"].items()
        for f in meta["files"]
        for r in pq.read_table(built / f, columns=["id"]).to_pylist()
    }
    for split, rows in ds.items():
        assert rows.features == chat.features()
        for row in rows:
            roles = [m["role"] for m in row["messages"]]
            assert roles[0] == "user" and roles[-1] == "assistant", roles
            assert all(a != b for a, b in pairwise(roles)) and set(roles) <= {"user", "assistant"}
            text = "\n".join(m["content"] for m in row["messages"])
            assert all(m["content"].strip() for m in row["messages"])
            assert not CHROME.search(text), CHROME.search(text)
            record = records[row["id"]]
            assert split_of[row["id"]] == split and row["source"] == record["source"]
            if record["more_info"]:
                assert record["more_info"] not in text and record["more_info"].split("\n")[0] not in text
            assert chat.problems(row, record) == []


def test_seed_000_stops_at_the_missing_patient_reply(built):
    rows = [r for f in built.glob("chat/*.parquet") for r in pq.read_table(f).to_pylist()]
    seed = next(r for r in rows if r["messages"][0]["content"].startswith("My Cheeks Are Twitching"))
    record = _records(built)[seed["id"]]
    assert len(record["answers"]) == 2
    assert [m["role"] for m in seed["messages"]] == ["user", "assistant"]
    assert seed["messages"][1]["content"] == record["answers"][0]["text_clean"]
    assert "Benign fascicul" not in json.dumps(seed) and "welcome back" not in json.dumps(seed)
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["chat"]["truncated_at_missing_turn"] == 1
    assert "1 row stops at a gap" in (built / "README.md").read_text()


def test_the_doctorqna_seed_is_title_then_question_then_the_answer(built):
    rows = [r for f in built.glob("chat/*.parquet") for r in pq.read_table(f).to_pylist()]
    seed = next(r for r in rows if r["messages"][0]["content"].startswith("Facial twitching?"))
    record = _records(built)[seed["id"]]
    assert seed["messages"] == [
        {"role": "user", "content": f"Facial twitching?\n\n{record['question']['text']}"},
        {"role": "assistant", "content": record["answers"][0]["text"]},
    ]


def _thread(
    answers: list[str],
    patient: list[tuple[int | None, str]],
    title: str | None = "Rash?",
    question: str | None = "My arm itches.",
) -> dict:
    record = schema.blank()
    record.update(id="icliniq-0000000000000001", source="icliniq", title=title, complete=True)
    record["question"]["text"] = question
    for text in answers:
        answer = schema.blank_item("answers")
        answer.update(text=text, summary="A one-line summary")
        record["answers"].append(answer)
    for after, text in patient:
        turn = schema.blank_item("follow_ups")
        turn.update(role="patient", text=text, after_answer=after, questions=[])
        record["follow_ups"].append(turn)
    record["more_info"] = "A machine-written article that must never reach a chat message, not even in part."
    return cleaning.apply(record)


def test_patient_follow_ups_become_user_turns_between_the_answers():
    record = _thread(["Is it itchy at night?", "Then it is eczema."], [(0, "Yes, at night."), (1, "Thanks!")])
    msgs, cut = chat.messages(record)
    assert msgs == [
        {"role": "user", "content": "Rash?\n\nMy arm itches."},
        {"role": "assistant", "content": "Is it itchy at night?"},
        {"role": "user", "content": "Yes, at night."},
        {"role": "assistant", "content": "Then it is eczema."},
    ]
    assert (
        cut == chat.ROW
    )  # the patient's last "Thanks!" has no answer after it: left out, the row ends with the doctor


def test_a_patient_turn_before_any_answer_joins_the_question_and_questions_not_in_the_text_are_added():
    record = _thread(["Rest."], [(None, "Also my knee hurts.")])
    record["follow_ups"][0]["questions"] = ["Also my knee hurts.", "Is it gout?"]
    msgs, _ = chat.messages(record)
    assert msgs[0]["content"] == "Rash?\n\nMy arm itches.\n\nAlso my knee hurts.\nIs it gout?"


def test_two_answers_without_the_turn_between_them_keep_the_first():
    msgs, cut = chat.messages(_thread(["Tell me more.", "It is eczema."], []))
    assert [m["content"] for m in msgs] == ["Rash?\n\nMy arm itches.", "Tell me more."] and cut == chat.ROW_CUT_AT_GAP


def test_the_title_alone_opens_a_thread_without_question_text_and_nothing_gives_no_row():
    assert chat.messages(_thread(["Rest."], [], question=None))[0][0]["content"] == "Rash?"
    assert chat.messages(_thread(["Rest."], [], title=None, question=None)) == (None, False)


def test_repaired_text_is_preferred_and_summaries_and_more_info_stay_out():
    record = _thread(["Rest.it will pass."], [])
    record["answers"][0]["text_repaired"] = "Rest. it will pass."
    msgs, _ = chat.messages(cleaning.apply(record))
    assert msgs[1]["content"] == "Rest. it will pass."
    assert "summary" not in json.dumps(msgs) and "machine-written" not in json.dumps(msgs)


def test_a_doctors_questions_back_stay_inside_the_answer():
    record = parse((ROOT / "raw" / "000_6908f0bb2e1c5b1f.txt").read_text(), "000.txt")
    assert record["follow_ups"][0]["role"] == "doctor"
    msgs, _ = chat.messages(record)
    assert all(q in msgs[1]["content"] for q in record["follow_ups"][0]["questions"])


@pytest.mark.parametrize(
    "messages, problem",
    [
        ([], "no messages"),
        ([{"role": "assistant", "content": "Hi"}, {"role": "user", "content": "Q"}], "starts with"),
        (
            [
                {"role": "user", "content": "Q"},
                {"role": "user", "content": "Q2"},
                {"role": "assistant", "content": "A"},
            ],
            "do not alternate",
        ),
        (
            [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}, {"role": "user", "content": "Q"}],
            "ends with",
        ),
        ([{"role": "user", "content": "Q"}, {"role": "system", "content": "A"}], "unknown roles"),
        ([{"role": "user", "content": " "}, {"role": "assistant", "content": "A"}], "empty"),
        ([{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A\nReply Date: 2016/09/07"}], "chrome"),
        (
            [
                {"role": "user", "content": "Q"},
                {
                    "role": "assistant",
                    "content": "A machine-written article that must never reach a chat message, not even in part.",
                },
            ],
            "More Info",
        ),
    ],
)
def test_the_check_finds_every_broken_rule(messages, problem):
    found = chat.problems({"id": "x", "source": "doctorqna", "messages": messages}, _thread(["A"], []))
    assert any(problem in p for p in found), found


def test_validate_finds_a_broken_chat_row(built, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(built, out)
    manifest = json.loads((out / "manifest.json").read_text())
    name = manifest["chat"]["splits"]["train"]["files"][0]
    rows = pq.read_table(out / name).to_pylist()
    rows[0]["messages"] = rows[0]["messages"][:1]  # ends with the user
    pq.write_table(pa.Table.from_pylist(rows, schema=chat.arrow_schema()), out / name)
    manifest["files"][name]["sha256"] = sha256_file(out / name)
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert any(name in p and "ends with 'user'" in p for p in verify(out))


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda rows, other: [rows[0] | {"id": other}] + rows[1:], "is not a record of split train"),
        (
            lambda rows, other: rows[1:2] + rows[:1] + rows[2:],
            "is not a record of split train, or not in the records' order",
        ),
    ],
)
def test_validate_finds_a_chat_row_without_its_record(built, tmp_path, change, says):
    """Chat rows are checked side by side with their split's records: one whose record is missing
    there (or out of order) is reported."""
    out = tmp_path / "copy"
    shutil.copytree(built, out)
    manifest = json.loads((out / "manifest.json").read_text())
    name = manifest["chat"]["splits"]["train"]["files"][0]
    other = pq.read_table(out / manifest["splits"]["test"]["files"][0], columns=["id"]).column("id")[0].as_py()
    rows = change(pq.read_table(out / name).to_pylist(), other)
    pq.write_table(pa.Table.from_pylist(rows, schema=chat.arrow_schema()), out / name)
    manifest["files"][name]["sha256"] = sha256_file(out / name)
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert any(name in p and says in p for p in verify(out))
