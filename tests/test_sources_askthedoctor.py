"""askthedoctor: one invented fixture per variation (tests/fixtures/askthedoctor/), and the certain
repairs of the site's artefacts (``text_repaired``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import medqa_ds
from medqa_ds.sources.common import repaired

from expect import Fixtures

HERE = Path(__file__).resolve().parent
FIX = Fixtures("askthedoctor")
FIXTURES = FIX.folder
page, parse = FIX.page, FIX.parse


@pytest.mark.parametrize("name", FIX.expected())
def test_expected_json(name):
    FIX.check_expected(name)


def test_title_line_and_a_broken_word_repaired():
    r = parse("with_title")
    assert r["title"] == "Sore throat – antibiotics or not?"
    assert "infec tion" in r["question"]["text"]  # faithful
    assert "the infection. is that true?" in r["question"]["text_repaired"]
    assert r["question"]["text_repaired"].startswith("i have had")  # nothing else touched
    assert r["answers"][0]["text_repaired"] is None


def test_no_title_and_missing_spaces_after_full_stops():
    r = parse("no_title")
    assert r["title"] is None
    assert r["question"]["text"] == (
        "Hello ! My ankle is swollen since I twisted it playing football yesterday . Can I walk on it?"
    )
    assert r["question"]["text_repaired"] is None  # a space before "!" is the asker's, not a break
    answer = r["answers"][0]
    assert "doctor.I read your query.An ankle" in answer["text"]
    assert answer["text_repaired"] == (
        "Hello. Welcome to ask the doctor. I read your query. An ankle sprain usually gets better with rest, ice and "
        "keeping the foot raised. If you cannot put weight on it or the pain is over the bone, get an x-ray to rule "
        "out a fracture. Wish you a quick recovery."
    )


def test_symptoms_line_stays_with_the_question():
    r = parse("symptoms")
    assert r["question"]["text"] == (
        "I changed my washing powder last week and now I have an itchy red rash on my "
        "back and arms.\nSymptoms: itching, redness, small bumps"
    )
    assert r["answers"][0]["text"].startswith("This is most likely contact dermatitis")


def test_several_turns_and_lines_that_continue_a_turn():
    r = parse("several_turns")
    assert r["question"]["text"].endswith("I work in a loud factory. Will it go away?")
    assert len(r["answers"]) == 2
    assert r["answers"][0]["text"].endswith("and get a hearing test.")
    assert r["follow_ups"] == [
        {
            "role": "patient",
            "after_answer": 0,
            "text": "Thank you. Is there a medicine for it? Can music help me sleep?",
            "questions": ["Is there a medicine for it?", "Can music help me sleep?"],
        }
    ]


def test_splits_that_are_not_certain_stay():
    r = parse("uncertain_splits")
    # two words that also make one ("Some times", "every one", "in to"), and a split whose whole the
    # word list does not know and the page never uses ("cortico steroid"): none is mended
    assert (r["question"]["text_repaired"], r["answers"][0]["text_repaired"]) == (None, None)


def test_question_only_and_answer_only_pages_are_rejects():
    with pytest.raises(medqa_ds.ParseError, match=r"^no answer: the page has no 'Doctor:' reply \(question-only"):
        medqa_ds.parse(page("question_only"))
    with pytest.raises(medqa_ds.ParseError, match=r"^answer-only chunk: no question"):
        medqa_ds.parse(page("answer_only"))


def test_the_askthedoctor_fixture_of_the_first_sources_is_a_record_now():
    r = medqa_ds.parse((HERE / "fixtures" / "other" / "askthedoctor_like.txt").read_text(encoding="utf-8"))
    assert (r["source"], r["title"]) == ("askthedoctor", "Dry cough – how long is normal?")


# --- common.repaired---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, page, want",
    [
        ("He misse d the dose.", "", "He missed the dose."),  # "misse" is no word
        ("As per deta ils, it is mild.", "", "As per details, it is mild."),
        ("the sec ond time", "", "the second time"),  # "sec" is a word, "ond" is not
        ("a microdermabra sion", "microdermabrasion helps", "a microdermabrasion"),  # the page uses the whole
        ("a microdermabra sion", "", None),  # ... or it is not certain
        ("every one of them", "", None),
        ("some times", "", None),
        ("in to the room", "", None),
        ("vitamin d and hepatitis b", "", None),
        ("concern.The photo.As you said", "", "concern. The photo. As you said"),
        ("see Dr.Rovena", "", "see Dr. Rovena"),
        ("e.g.the dose, 2.5mg, icliniq.com, Ph.D, U.S.A", "", None),
    ],
)
def test_repair(text, page, want):
    assert repaired([text], [page]) == [want]


def test_symptoms_above_the_patient_turn_are_part_of_the_question():
    r = parse("symptoms_first")
    assert r["title"] == "Numb fingers in the morning"
    assert r["question"]["text"].startswith("Symptoms: numbness, tingling in three fingers, worse at night\nI am 41")
    assert r["answers"][0]["text"].startswith("Hello. Numbness of the thumb") and r["follow_ups"] == []


def test_an_empty_patient_turn_is_a_reject_unless_the_title_asks():
    with pytest.raises(medqa_ds.ParseError, match=r"^no question: the 'Patient:' turn is empty"):
        medqa_ds.parse(page("empty_patient"))
    r = parse("empty_patient_titled")
    assert (r["title"], r["question"]["text"]) == ("Can I take ibuprofen with a cold?", None)


def test_the_site_author_box_is_no_part_of_the_reply():
    (answer,) = parse("author_box")["answers"]
    assert answer["text"].endswith("please see your doctor.")
    for box in ("Ask The Doctor", "View all posts", "trained in Internal Medicine"):
        assert box not in answer["text"]
    assert (answer["author"], answer["role"]) == ("Dr. Maren Holt", "M.D.")  # the post's author wrote it


def test_comments_header_is_dropped_and_the_patient_below_it_follows_up():
    r = parse("comments_follow_ups")
    assert r["answers"][0]["text"].endswith("breathes fast or has a rash.")
    assert "Comments" not in r["answers"][0]["text"]
    assert [(f["role"], f["after_answer"], f["text"]) for f in r["follow_ups"]] == [
        ("patient", 0, "Thank you. The fever is gone but he still coughs at night. Is that normal?")
    ]
