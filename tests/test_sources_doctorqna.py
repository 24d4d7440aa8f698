"""doctorqna: one invented fixture page per layout variation (tests/fixtures/doctorqna/).

A fixture with a ``.json`` beside it is compared field by field with that hand-written expectation
(recipe-scrapers style); every fixture also has its own test below asserting what it is about.
"""

from __future__ import annotations

import pytest

import medqa_ds
from medqa_ds import schema
from medqa_ds.sources.doctorqna import parse_asker

from expect import Fixtures

FIX = Fixtures("doctorqna")
FIXTURES = FIX.folder
page, parse = FIX.page, FIX.parse


@pytest.mark.parametrize("name", FIX.expected())
def test_expected_json(name):
    FIX.check_expected(name)


def test_every_fixture_parses_or_rejects():
    for path in sorted(FIXTURES.glob("*.txt")):
        try:
            record = medqa_ds.parse(path.read_text(encoding="utf-8"), path.name)
        except medqa_ds.ParseError as err:
            assert str(err).startswith("no answer"), path.name
        else:
            assert schema.errors(record) == [], path.name


# --- layouts ----------------------------------------------------------------------------------


def test_full_layout():
    r = parse("full_layout")
    assert r["headline"].endswith(" - Orthopedics") and r["title"] == "Knee clicks on the stairs?"
    assert r["complete"] is True
    assert "crepitus" not in r["answers"][0]["text"]


def test_compact_layout_same_page_same_record():
    full, compact = parse("full_layout"), parse("compact_layout")
    assert compact["headline"] is None
    assert compact["specialty"] == "Orthopedics"  # only the reply line names it
    assert compact["id"] == full["id"]
    for key in ("title", "question", "answers", "related", "more_info", "complete"):
        assert compact[key] == full[key], key


# --- honorific line breaks --------------------------------------------------------------------


def test_honorific_breaks_joined_in_question_answer_and_signature():
    r = parse("honorific_breaks")
    assert r["question"]["text"] == (
        "Hello Dr. Wen: Last weekend I pulled weeds with my neighbour Mr. Pan, and now both of my wrists have an "
        "itchy red rash.\n"
        "My sister Ms. Kao says it is an allergy, but my old teacher Prof. Hsu thinks it is from insects.\n"
        "Thank you, Dr. Wen."
    )
    answer = r["answers"][0]
    assert answer["text"] == (
        "Hello Ms. Kao: A rash limited to the wrists after handling plants is most likely contact dermatitis.\n"
        "Wash the skin, avoid scratching and use a mild steroid cream for a few days.\n"
        "Sincerely, Dr. Wen Yu-Ting, Department of Dermatology."
    )
    assert answer["author"] == "Dr. Wen Yuting"
    assert r["question"]["asker"] == {"name": "Ms. Kao", "age_range": "40-49", "sex": "female"}


def test_honorific_at_end_of_question_is_not_joined_into_the_asker_line():
    r = parse("honorific_before_marker")
    assert r["question"]["text"].endswith("Should I have it checked?\nMany thanks, Dr.")
    assert r["question"]["asker"] == {"name": "Bo", "age_range": "50-59", "sex": "male"}
    assert r["question"]["date"] == "2020-11-30"


# --- truncated pages --------------------------------------------------------------------------


def test_cut_inside_more_info():
    r = parse("cut_more_info")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside More Info")
    assert r["answers"][0]["date"] == "2015-01-21"
    assert r["answers"][0]["text"].endswith("please come to the clinic.")
    assert r["more_info"].endswith("1. Dry air: low humidity dries the nasal lining and makes the vesse")
    assert r["related"] == []


def test_a_page_that_ends_in_more_info_was_cut_even_after_a_full_stop():
    """Similar Q&A and Related FAQ follow More Info on every page of the site."""
    r = parse("cut_after_more_info")
    assert r["more_info"].endswith("1. Dry air: low humidity dries the nasal lining.")
    assert (r["complete"], r["incomplete_reason"]) == (
        False,
        "page ends after More Info (its Similar Q&A and Related FAQ are missing)",
    )


def test_cut_inside_the_answer():
    r = parse("cut_answer")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside the answer")
    answer = r["answers"][0]
    assert answer["text"].endswith("If the ringing lasts more than a week, a hearing te")
    assert answer["date"] is None
    assert r["more_info"] is None
    assert r["title"] == "Ears ringing after a concert"


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("cut_before_asker", "page ends before the asker line"),
        ("cut_asker_line", "page ends inside the asker line"),
        ("cut_before_answer", "page ends right after the reply line"),
    ],
)
def test_cut_before_any_answer_is_a_no_answer_reject(name, where):
    with pytest.raises(medqa_ds.ParseError) as err:
        medqa_ds.parse(page(name))
    assert str(err.value) == f"no answer: {where}"
    assert isinstance(err.value, ValueError)


def test_cut_inside_reply_date_line():
    r = parse("cut_reply_date")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside the Reply Date line")
    answer = r["answers"][0]
    assert answer["text"] == (
        "This sounds like digital eye strain with dry eye.\n"
        "Rest your eyes every twenty minutes and use artificial tears."
    )
    assert answer["date"] is None


def test_cut_right_after_a_section_heading():
    r = parse("cut_after_heading")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends right after the Similar Q&A heading")
    assert r["more_info"] == (
        "Digital eye strain is common among office workers and usually improves with regular breaks."
    )
    assert r["related"] == []


def test_cut_inside_a_section_heading():
    r = parse("cut_inside_heading")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside a section heading")
    assert r["answers"][0]["date"] == "2021-03-10"
    assert r["more_info"] is None


def test_cut_inside_similar_qa():
    r = parse("cut_similar")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside Similar Q&A")
    first, second = r["related"]
    assert (first["title"], first["author"], first["specialty"]) == (
        "Dry Eyes in an Air-Conditioned Office",
        "Dr. Shen Yahui",
        "Ophthalmology",
    )
    assert (second["title"], second["author"]) == ("Eye Floaters After Staring at Screens", "Dr. Tang Minghao")
    assert second["answer_excerpt"] == ("Hello: Floaters are usually caused by changes in the vitreous gel and are mos")


def test_cut_inside_related_faq():
    r = parse("cut_faq")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside Related FAQ")
    assert [(x["kind"], x["title"], x["specialty"]) for x in r["related"]] == [
        ("faq_topic", "Dry Eye", "Ophthalmology"),
        ("faq_topic", "Eye Strain", None),  # its "(Ophthal" line was cut: not a topic of its own
    ]


# --- asker line -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "asker"),
    [
        ("asker_placeholder", {"name": "Anonymous", "age_range": "30-39", "sex": "female"}),
        ("asker_lowercase", {"name": "momo", "age_range": "20-29", "sex": "female"}),
        ("asker_single_letter", {"name": "k", "age_range": "10-19", "sex": "male"}),
        ("asker_all_caps", {"name": "WENDY", "age_range": "20-29", "sex": "female"}),
        ("asker_honorific", {"name": "Ms. Lin", "age_range": "40-49", "sex": "female"}),
        ("asker_no_space", {"name": "AmyChou", "age_range": "50-59", "sex": "female"}),
        ("sex_looks_wrong", {"name": "Mr. Huang", "age_range": "60-69", "sex": "female"}),
        ("age_bucket_child", {"name": "Mama Chen", "age_range": "0-9", "sex": "male"}),
        ("age_bucket_fullwidth", {"name": "Grandpa Wu", "age_range": "70-79", "sex": "male"}),
    ],
)
def test_asker_names_ages_and_sex_as_given(name, asker):
    r = parse(name)
    assert r["question"]["asker"] == asker
    assert r["complete"] is True
    assert r["answers"][0]["author"].startswith("Dr. ")


def test_asker_line_missing_is_not_a_cut():
    r = parse("asker_line_missing")
    assert r["question"]["asker"] == {"name": None, "age_range": None, "sex": None}
    assert r["question"]["date"] is None
    assert r["question"]["text"] == ("I lifted a heavy box yesterday and now my lower back hurts when I bend forward.")
    assert (r["complete"], r["incomplete_reason"]) == (True, None)


@pytest.mark.parametrize(
    ("who", "want"),
    [
        ("Dora, 20~29 year old female", ("Dora", "20-29", "female")),
        ("Xiao Ye, 20~29 years old Female", ("Xiao Ye", "20-29", "female")),
        (", 30~39 year old male", (None, "30-39", "male")),
        ("Chen, Mei, 40～49 year old female", ("Chen, Mei", "40-49", "female")),
        ("Lin, 40~49 year old ma", ("Lin", "40-49", None)),  # cut: the sex is unknown, not guessed
        ("ANON, 65 years old male", ("ANON", "65", "male")),
    ],
)
def test_parse_asker(who, want):
    got = parse_asker(who)
    assert (got["name"], got["age_range"], got["sex"]) == want


# --- answers ----------------------------------------------------------------------------------


def test_signature_romanised_differently_keeps_the_header_author():
    r = parse("signature_romanised")
    answer = r["answers"][0]
    assert answer["author"] == "Dr. Cai Mingde"
    assert answer["text"].endswith("Wishing you good health.\nDr. Tsai Ming-Te, Dermatology, Keelung Hospital.")
    assert r["question"]["text"].startswith("Hello Dr. Tsai, every winter")


def test_hospital_slogan_stays_the_last_answer_line():
    r = parse("hospital_slogan")
    assert r["answers"][0]["text"].splitlines()[-1] == "Fengyuan Hospital cares about your health."
    assert r["more_info"] == (
        "Caffeine is a common trigger of palpitations and the effect varies widely between people."
    )
    assert "Fengyuan" not in r["more_info"]
    assert r["complete"] is True


def test_answer_quoting_the_question_back():
    r = parse("answer_quotes_question")
    assert r["title"] == "Shoulder pain"
    assert r["question"]["text"] == (
        "Hello, Doctor.\nMy left shoulder hurts when I raise my arm above my head.\n"
        "It started after I painted the ceiling."
    )
    assert r["answers"][0]["text"] == (
        "Hello Ah-Cheng, my left shoulder hurts when I raise my arm above my head.\n"
        "It started after I painted the ceiling.\n"
        "This is most likely rotator cuff tendinitis from the overhead work; rest the arm and apply ice.\n"
        "Thank you."
    )


def test_question_title_literally_question():
    r = parse("title_question")
    assert r["title"] == "Question"
    assert r["headline"] is None
    assert r["question"]["text"].startswith("Hello Doctor: I need a tetanus shot")
    assert r["question"]["date"] == "2003-02-10"
    assert r["specialty"] == "Family Medicine"


def test_headline_containing_a_question_mark():
    r = parse("headline_question_mark")
    assert r["headline"] == "Is Green Tea Safe With Warfarin? What Patients Should Know - Pharmacy"
    assert r["title"] == "Can I drink green tea with warfarin?"
    assert r["specialty"] == "Pharmacy"
    assert r["answers"][0]["author"] == "Pharmacist Zheng Yiru"


def test_answer_ending_in_a_bare_url():
    r = parse("answer_bare_url")
    assert r["answers"][0]["text"] == (
        "Please see the travel clinic list here: https://travel.example.org/vaccines/Vietnam%20list.pdf"
    )
    assert r["answers"][0]["date"] == "2023-02-02"
    assert r["complete"] is True


def test_round_bullets_kept_and_not_taken_for_questions():
    r = parse("bullets")
    assert r["answers"][0]["text"] == (
        "●In short: not yet, lifestyle changes come first.\n"
        "●Targets: (1) LDL < 130 mg/dL (2) triglycerides < 150 mg/dL ●Recheck in three months.\n"
        "●If the LDL stays ≥ 160, medication can be considered."
    )
    assert r["follow_ups"] == []


def test_numbered_sub_questions_running_on_stay_in_the_question():
    r = parse("numbered_run_on")
    assert r["question"]["text"] == (
        "Hello Doctor, I would like to ask a few questions: an ultrasound found a 0.8 cm nodule in my thyroid.\n"
        "How often should it be checked? 2.\nCan it turn into cancer? 3.\nShould I avoid seaweed?"
    )
    assert r["answers"][0]["text"].startswith("1. A benign-looking nodule")
    assert r["follow_ups"] == []  # a numbered answer that asks nothing is not a follow-up


def test_doctor_asking_bulleted_questions_is_a_follow_up():
    r = parse("followup_bullets")
    assert r["follow_ups"] == [
        {
            "role": "doctor",
            "text": "Hello, to judge this I need to know more:",
            "questions": [
                "Does the pain change when you press on the chest wall?",
                "Did it start after a cold or a cough?",
                "Are you short of breath at rest?",
            ],
            "after_answer": 0,
        }
    ]


def test_the_compiled_classes_are_pythons():
    """The Rust parser's \\d (with each digit's value, as int() reads it), \\w and \\s are Python's on
    every code point: the regex crate's Unicode is newer than this Python's, so the digits and
    letters added since are taken out (rust/src/text.rs); a Python of another Unicode fails here."""
    from medqa_ds import _core

    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    expected = bytes(
        (int(c) + 1 if c.isdecimal() else 0) | (16 if c.isalnum() or c == "_" else 0) | (32 if c.isspace() else 0)
        for c in text
    )
    got = _core.char_classes(text)
    wrong = [f"U+{ord(c):04X}" for c, a, b in zip(text, got, expected) if a != b]
    assert not wrong, f"{len(wrong)} characters classed unlike Python: {wrong[:20]}"


def test_generic_question_heading_gives_way_to_the_headline():
    r = parse("title_question_headline")
    assert r["title"] == "Itchy Scalp After Hair Dye: Allergy or Irritation?"
    assert r["headline"] == "Itchy Scalp After Hair Dye: Allergy or Irritation? - Dermatology"
    assert r["question"]["text"].startswith("Hello Doctor: Two days after dyeing")
    assert r["specialty"] == "Dermatology"
    assert r["complete"] is True
