"""meddialog: MedDialog (English) raw corpus files, many consultations a file, written from the
corpus's published description (tests/fixtures/meddialog/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import medqa_ds
from medqa_ds import schema
from medqa_ds.pipeline import build

from conftest import run_cli

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "meddialog"


def results(name: str) -> list:
    return medqa_ds.parse_all((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"), f"{name}.txt")


def test_each_consultation_is_a_record_with_the_line_it_starts_on():
    got = results("three_dialogues")
    assert [r["provenance"]["line"] for r in got] == [1, 17, 36]
    for r in got:
        assert schema.errors(r) == [] and r["source"] == "meddialog" and r["provenance"]["parser"] == "meddialog/1"
    assert [r["title"] for r in got] == [
        "Is a dry cough after a cold normal?",
        "Why does my lower back hurt after sitting for long?",  # "Q. " dropped
        "What causes cold hands and feet?",
    ]
    assert len({r["id"] for r in got}) == 3


def test_turns_become_question_answers_and_follow_ups():
    cough, back, hands = results("three_dialogues")
    assert cough["question"]["text"].startswith("Hi doctor, I had a cold two weeks ago")
    assert cough["answers"][0]["author"] == "Dr. Omar Farouk"  # the signature block is not answer text
    assert cough["answers"][0]["text"].endswith("if you get breathless or have a fever.")
    assert back["question"]["text"] == (
        "Hi doctor,\nI work at a desk all day and my lower back hurts by evening. It is better on weekends."
    )
    assert [a["text"].splitlines()[-1] for a in back["answers"]] == [
        "Take a short walk every hour.",
        "A belt is not needed. A standing desk helps if you change position often.",
    ]
    assert back["follow_ups"] == [
        {
            "role": "patient",
            "after_answer": 0,
            "text": "Thank you doctor. Should I use a back belt? Will a standing desk help?",
            "questions": ["Should I use a back belt?", "Will a standing desk help?"],
        }
    ]
    # blank lines between sections and a turn's text on its label line are taken as they come
    assert hands["question"]["text"] == "My hands and feet are always cold, even in summer. I am 25 and thin."
    assert hands["answers"][0]["text_repaired"].startswith("Cold hands and feet are common in thin young people. Poor")


def test_a_broken_consultation_is_a_reject_naming_its_line():
    got = results("one_broken")
    assert [isinstance(r, dict) for r in got] == [True, True, False, True]
    assert (got[2].line, got[2].reason) == (21, "no answer: consultation id=12 has no Doctor turn")


def test_a_corpus_file_builds_into_records_and_one_reject_and_the_accounting_balances(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "one_broken.txt", raw / "corpus.txt")
    shutil.copy(FIXTURES / "three_dialogues.txt", raw / "more.txt")
    result = build(raw, tmp_path / "out")
    acc = result.manifest["accounting"]
    assert (acc["files_seen"], acc["pages_seen"], acc["records"], acc["rejects"], acc["balanced"]) == (2, 7, 6, 1, True)
    (reject,) = result.rejects
    assert str(reject) == "corpus.txt:21: no answer: consultation id=12 has no Doctor turn"
    lines = [json.loads(l) for l in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert lines == [{"file": "corpus.txt", "line": 21, "reason": "no answer: consultation id=12 has no Doctor turn"}]


def test_parse_prints_every_page_of_a_corpus_file():
    done = run_cli("parse", FIXTURES / "one_broken.txt")
    assert done.returncode == 0, done.stderr
    pages = json.loads(done.stdout)
    assert [p.get("source") for p in pages] == ["meddialog", "meddialog", None, "meddialog"]
    assert pages[2] == {
        "file": "one_broken.txt",
        "line": 21,
        "reason": "no answer: consultation id=12 has no Doctor turn",
    }
    assert done.stderr.strip().endswith("one_broken.txt:21: no answer: consultation id=12 has no Doctor turn")
