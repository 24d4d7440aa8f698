"""The two seed pages (raw/), checked value by value against what the pages say."""

from __future__ import annotations

from pathlib import Path

import pytest

import medqa_ds
from medqa_ds import schema

RAW = Path(__file__).resolve().parent.parent / "raw"
SEED_000 = "000_6908f0bb2e1c5b1f.txt"  # askadoctor: two replies, the first asks 8 questions
SEED_004 = "004_b187f78d846d3bb6.txt"  # doctorqna: full layout with every section


def _text(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def r000() -> dict:
    return medqa_ds.parse(_text(SEED_000), SEED_000)


@pytest.fixture(scope="module")
def r004() -> dict:
    return medqa_ds.parse(_text(SEED_004), SEED_004)


# --- seed 000: askadoctor ---------------------------------------------------------------------


def test_000_source_title_headline(r000):
    assert r000["source"] == "askadoctor"
    assert r000["title"] == "My Cheeks Are Twitching Really Bad When I Smile Dontou"  # cut mid-word by the site
    assert r000["headline"] is None
    assert r000["specialty"] == "Family Medicine"


def test_000_question_is_absent_not_invented(r000):
    assert r000["question"] == {
        "text": None,
        "text_repaired": None,
        "date": None,
        "asker": {"name": None, "age_range": None, "sex": None},
    }


def test_000_two_answers_authors_roles(r000):
    answers = r000["answers"]
    assert len(answers) == 2
    for answer in answers:
        assert answer["author"] == "Dr. Antoneta Zotaj"
        assert answer["role"] == "General and Family Physician"
        assert answer["specialty"] == "Family Medicine"
        assert answer["date"] is None


def test_000_summaries(r000):
    first, second = r000["answers"]
    assert first["summary"] == (
        "Anxiety or important neurological disease may cause the cheeks to twitch- some more information is needed"
    )
    assert second["summary"] == (
        "Benign fascicular syndrome is likely but examinations are needed to rule out other important conditions"
    )


def test_000_answer_texts_start_end_and_exclude_signature(r000):
    first, second = r000["answers"]
    assert first["text"].startswith('Hello and welcome to "Ask a Doctor" service,\nI carefully read your query.\n')
    assert first["text"].endswith("I remain at your disposal for further medical assistance.")
    assert second["text"].startswith(
        "Hello and welcome back,\nThank you for the reply and the extra information provided.\n"
    )
    assert second["text"].endswith("I remain at your disposal for further medical assistance.")
    for answer in (first, second):
        assert "Regards" not in answer["text"]
        assert "Zotaj" not in answer["text"]
        assert "General and Family Physician" not in answer["text"]
        assert "Detailed Answer" not in answer["text"]
    assert first["summary"] not in first["text"]
    assert "Benign fascicular syndrome is likely" not in first["text"]  # the 2nd summary is not in the 1st reply


QUESTIONS_000 = [
    "Since how long have you noticed your cheeks twitching?",
    "Does it happen always when you smile or on certain occasions? How often do you get it?",
    "Have you noticed anything that makes it worse or helps alleviate them?",
    "Is there any relation with the consumption of coffee, energy drinks, alcohol or other drugs?",
    "Is there any relation to stressful situations?",
    "Do you have other neurological symptoms such as weakness or numbness (tingling) on any of your limbs "
    "or on your trunk or face? Any problem with the vision or while swallowing or speaking? Any problem "
    "with your balance?",
    "Do you have twitches in other areas of the body?",
    "Do you suffer from any chronic condition and do you use any medications regularly (over the counter "
    "or prescription medications)?",
]


def test_000_follow_up_has_exactly_the_eight_questions(r000):
    assert len(r000["follow_ups"]) == 1
    turn = r000["follow_ups"][0]
    assert turn["role"] == "doctor"
    assert turn["after_answer"] == 0
    assert turn["text"] == (
        "To better determine the cause of the twitches in your case, it is important for us "
        "to know more about them. So, kindly let me know of the following:"
    )
    assert len(turn["questions"]) == 8
    for got, want in zip(turn["questions"], QUESTIONS_000, strict=True):
        assert got == want


def test_000_complete(r000):
    assert r000["complete"] is True
    assert r000["incomplete_reason"] is None
    assert r000["related"] == []
    assert r000["more_info"] is None


# --- seed 004: doctorqna ----------------------------------------------------------------------


def test_004_title_is_the_question_title_not_the_headline(r004):
    assert r004["source"] == "doctorqna"
    assert r004["title"] == "Facial twitching?"
    assert r004["headline"] == "Facial Twitching: Causes and Treatment Options - Neurology"
    assert r004["specialty"] == "Neurology"


def test_004_question_text_with_joined_honorific(r004):
    text = r004["question"]["text"]
    assert text.startswith(
        "Hello Dr. Lan: For the past month, I have been experiencing occasional facial "
        "twitching, frequent blinking, hand tremors, rapid heartbeat, and dizziness.\n"
    )
    assert "Dr.\n" not in text
    assert text.endswith("I am wondering if this is related to the facial twitching.\nThank you.")
    assert text.count("\n") == 5  # seven lines on the page, six once "Hello Dr." / "Lan: ..." are joined
    assert "Share to:" not in text and "Ask Date" not in text


def test_004_asker_and_dates(r004):
    q = r004["question"]
    assert q["asker"] == {"name": "Dora", "age_range": "20-29", "sex": "female"}
    assert q["date"] == "2016-09-07"
    assert r004["answers"][0]["date"] == "2016-09-07"


def test_004_answer(r004):
    assert len(r004["answers"]) == 1
    answer = r004["answers"][0]
    assert answer["author"] == "Dr. Lan Shengxing"
    assert answer["role"] == "Neurology"
    assert answer["specialty"] == "Neurology"
    assert answer["summary"] is None
    assert answer["text"] == (
        "Hello, please promptly visit the neurology outpatient clinic for examination and "
        "treatment to rule out epilepsy or facial muscle spasms."
    )
    assert r004["follow_ups"] == []


def test_004_more_info_kept_apart(r004):
    more = r004["more_info"]
    assert more.startswith(
        "Facial twitching, medically referred to as facial myokymia or facial spasms, can be a distressing condition"
    )
    assert more.endswith(
        "Addressing these symptoms early can help prevent further complications and improve your quality of life."
    )
    assert "Causes of Facial Twitching\n1. Neurological Conditions:" in more
    assert "Similar Q&A" not in more and "[Read More]" not in more
    assert "myokymia" not in r004["answers"][0]["text"]


SIMILAR_004 = [
    (
        "Understanding Facial Twitching: Causes and Relief Strategies",
        "Dr. Jiang Junyi",
        "Neurology",
        "Hello, doctor. I have been experiencing this issue since middle school,",
        "Hello, Sir: You mentioned that facial tremors may be physiological tremors,",
    ),
    (
        "Exploring Treatment Options for Facial Tremors: Beyond Botox",
        "Dr. Ye Boshou",
        "Neurology",
        "Last July, I experienced twitching near the corner of my mouth",
        "To Xiaomi: Currently, the treatment for muscle spasms primarily involves",
    ),
    (
        "Understanding Facial Twitching: Causes, Symptoms, and Treatment Options",
        "Dr. Jiang Junyi",
        "Neurology",
        "Hello Doctor: Since yesterday, I have been experiencing involuntary muscle twitching",
        "Hello: Your symptoms may suggest blepharospasm,",
    ),
    (
        "Understanding Facial Nerve Disorders: Treatment Options and Insights",
        "Dr. Lai Zhaokang",
        "Neurosurgery",
        "Hello, doctor... I have been experiencing facial nerve issues for over six years.",
        "Hello: 1. Your symptoms are likely indicative of facial nerve spasms.",
    ),
]


def test_004_similar_questions(r004):
    similar = [r for r in r004["related"] if r["kind"] == "similar_question"]
    assert len(similar) == 4
    for link, (title, author, spec, q_start, a_start) in zip(similar, SIMILAR_004, strict=True):
        assert link["title"] == title
        assert link["author"] == author
        assert link["specialty"] == spec
        assert link["question_excerpt"].startswith(q_start)
        assert link["question_excerpt"].endswith("...")
        assert link["answer_excerpt"].startswith(a_start)
        assert link["answer_excerpt"].endswith("...")
        assert "[Read More]" not in link["answer_excerpt"]
    assert similar[1]["question_excerpt"].endswith("suppress the symptoms. However, the ...")


FAQ_004 = [
    "Facial Twitching",
    "Muscle Twitching",
    "Eyelid Muscle Twitching",
    "Facial Nerve Palsy",
    "Involuntary Muscle Movement",
    "Muscle Fasciculation",
    "Face",
    "Body Tremors",
    "Muscle Cramp",
    "Facial And Hand Numbness",
]


def test_004_related_faq(r004):
    faq = [r for r in r004["related"] if r["kind"] == "faq_topic"]
    assert [r["title"] for r in faq] == FAQ_004
    for link in faq:
        assert link["specialty"] == "Neurology"
        assert link["author"] is None and link["question_excerpt"] is None and link["answer_excerpt"] is None
    assert [r["kind"] for r in r004["related"]] == ["similar_question"] * 4 + ["faq_topic"] * 10


def test_004_complete(r004):
    assert r004["complete"] is True
    assert r004["incomplete_reason"] is None


# --- both -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SEED_000, SEED_004])
def test_seed_valid_against_schema(name):
    record = medqa_ds.parse(_text(name), name)
    assert schema.errors(record) == []
    assert record["provenance"]["file"] == name
    assert record["provenance"]["parser"] in {"askadoctor/4", "doctorqna/3"}
    assert len(record["provenance"]["sha256"]) == 64


@pytest.mark.parametrize("name", [SEED_000, SEED_004])
def test_seed_id_stable_across_file_names_and_encodings(name):
    text = _text(name)
    base = medqa_ds.parse(text, name)["id"]
    assert base.startswith(medqa_ds.parse(text)["source"] + "-")
    variants = {
        "renamed": (text, "some/other/name.txt"),
        "no file name": (text, None),
        "crlf": (text.replace("\n", "\r\n"), name),
        "bom": ("\ufeff" + text, name),
        "trailing whitespace": ("\n".join(l + "  \t" for l in text.split("\n")) + "\n\n", name),
        "bom+crlf+trailing": ("\ufeff" + text.replace("\n", " \r\n"), name),
    }
    for label, (variant, filename) in variants.items():
        assert medqa_ds.parse(variant, filename)["id"] == base, label


def test_seed_ids_differ():
    assert medqa_ds.parse(_text(SEED_000))["id"] != medqa_ds.parse(_text(SEED_004))["id"]


@pytest.mark.parametrize("name", [SEED_000, SEED_004])
def test_seed_same_record_for_crlf_and_bom(name):
    text = _text(name)
    plain = medqa_ds.parse(text, name)
    other = medqa_ds.parse("\ufeff" + text.replace("\n", "\r\n"), name)
    for record in (plain, other):
        record.pop("provenance")
    assert other == plain
