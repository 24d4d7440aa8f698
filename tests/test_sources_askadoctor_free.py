"""askadoctor_free: askadoctor24x7 / healthcaremagic free-question pages, one invented fixture per
variation (tests/fixtures/askadoctor_free/), and the answer-only / question-only fragments."""

from __future__ import annotations

from pathlib import Path

import pytest

import medqa_ds
from medqa_ds.errors import ParseError

from expect import Fixtures

HERE = Path(__file__).resolve().parent
FIX = Fixtures("askadoctor_free")
FIXTURES = FIX.folder
page, parse = FIX.page, FIX.parse


def reject(name: str) -> str:
    with pytest.raises(medqa_ds.ParseError) as err:
        medqa_ds.parse(page(name), f"{name}.txt")
    return err.value.reason


@pytest.mark.parametrize("name", FIX.expected())
def test_expected_json(name):
    FIX.check_expected(name)


def test_title_question_date_and_one_doctor():
    r = parse("one_doctor")
    assert r["title"] == "Is A Small Lump Behind My Ear Anything To Worry About?"
    assert r["question"]["date"] == "2017-03-14"
    assert "Posted on" not in r["question"]["text"]
    (answer,) = r["answers"]
    assert (answer["author"], answer["role"], answer["specialty"]) == (
        "Dr. Hana Okoye",
        "General & Family Physician",
        "Family Medicine",
    )
    assert answer["text"].endswith("Hope this helps.")  # the signature line is not text
    assert "Response" not in answer["text"]


def test_several_doctors_each_an_answer():
    r = parse("several_doctors")
    assert [(a["author"], a["role"], a["specialty"]) for a in r["answers"]] == [
        ("Dr. Tomasz Wierzba", "Orthopaedic Surgeon", "Orthopedics"),
        ("Dr. Rovena Lleshi", "Physiotherapist", "Physical Medicine and Rehabilitation"),
    ]
    assert r["specialty"] is None  # the doctors disagree: no page specialty is invented
    first, second = (a["text"] for a in r["answers"])
    assert first.endswith("roll a cold bottle under the foot.") and "Regards" not in first
    # a signature fused to the last sentence is cut off, the sentence kept
    assert second.endswith("please see a physiotherapist in person. take care.")
    assert "Dr.Rovena" not in second


def test_sidebar_card_and_footer_are_not_answer_text():
    r = parse("sidebar_and_footer")
    (answer,) = r["answers"]
    assert answer["text"].endswith("Wish you good health.")
    for chrome in ("experience", "Consult Now", "Dr. Selin Arslan", "helpful", "Related Questions", "Disclaimer"):
        assert chrome not in answer["text"], chrome
    assert answer["author"] == "Dr. Selin Arslan"
    assert (r["complete"], r["incomplete_reason"]) == (True, None)


@pytest.mark.parametrize("name", ["repeated_after_footer", "repeated_without_footer"])
def test_title_and_answer_repeated_below_are_kept_once(name):
    r = parse(name)
    assert len(r["answers"]) == 1
    assert r["answers"][0]["text"].count("\n") == {"repeated_after_footer": 3, "repeated_without_footer": 2}[name]
    assert r["title"] not in r["answers"][0]["text"]
    assert r["complete"] is True


def test_old_healthcaremagic_page_is_the_same_source():
    r = parse("old_domain")
    (answer,) = r["answers"]
    assert (answer["author"], answer["role"], answer["specialty"]) == ("Dr. Imran Qureshi", None, None)
    assert answer["text"].startswith("Thanks for using HealthcareMagic.\n")
    assert answer["text"].endswith("if it is not better in a week.")  # "Regards" / name taken off
    assert r["question"]["date"] == "2011-11-21"  # "Asked on 21 Nov 2011"
    assert r["question"]["text"].startswith("Dear doctor, my throat")


def test_answer_without_signature_is_complete():
    r = parse("no_signature")
    assert r["answers"][0]["author"] == "Dr. Lars Holm"  # from the response header
    assert r["answers"][0]["text"].endswith("Hope I have answered your query.")
    assert (r["complete"], r["incomplete_reason"]) == (True, None)


def test_page_cut_inside_the_answer_is_an_incomplete_record():
    r = parse("cut_mid_answer")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside the answer")
    assert r["answers"][0]["text"].endswith("If the bleeding continues for more than a")


def test_page_cut_right_after_a_second_header_keeps_the_first_answer():
    r = parse("cut_after_header")
    assert [a["author"] for a in r["answers"]] == ["Dr. Ines Carvalho"]
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends right after a doctor's response header")


def test_missing_spaces_are_repaired_beside_the_faithful_text():
    answer = parse("missing_spaces")["answers"][0]
    assert "query.Once" in answer["text"]
    assert answer["text_repaired"] == (
        "Hello,\nThanks for the query. Once every blister has crusted over, chicken "
        "pox is no longer contagious. He can go back to school.\nKeep his nails short "
        "so he does not scratch the crusts. I hope this helps."
    )


def test_question_and_answer_saved_without_the_response_header_is_an_incomplete_record():
    r = parse("no_response_header")
    assert (r["title"], r["question"]["date"]) == ("Is Yellow Skin Around My Eyes Cholesterol?", "2018-11-12")
    (answer,) = r["answers"]
    assert answer["text"].startswith("Hello and welcome.\nThese patches are called xanthelasma.")
    assert (answer["author"], answer["role"]) == (None, None)
    assert (r["complete"], r["incomplete_reason"]) == (
        False,
        "saved without the doctor's response header: the answer's doctor is unknown",
    )


# --- fragments --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["answer_only", "answer_only_list", "starts_at_response"])
def test_answer_only_chunks_are_rejects_saying_so(name):
    assert reject(name).startswith("answer-only chunk: no question")


def test_question_only_chunk_is_a_reject_saying_so():
    assert reject("question_only").startswith("question-only chunk: no answer")


def test_the_answer_only_fixture_of_the_first_sources_is_this_sources_fragment():
    text = (HERE / "fixtures" / "other" / "hcm_answer_only.txt").read_text(encoding="utf-8")
    with pytest.raises(medqa_ds.ParseError, match=r"^answer-only chunk: no question"):
        medqa_ds.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "nothing to see",
        'City Council Approves New Lanes\nThe council voted on Tuesday.\n"Good news," she said.',
        "Pancakes\nIngredients:\n2 eggs\n1 cup flour\nMix and fry.",
    ],
)
def test_text_that_reads_like_no_answer_is_no_fragment(text):
    with pytest.raises(medqa_ds.ParseError, match="not a page of a known source"):
        medqa_ds.parse(text)


def test_a_date_line_taken_with_a_card_below_it_is_a_reject_with_a_reason():
    """A sidebar card just under the date line takes the date with it: no answer can be placed."""
    from medqa_ds import ParseError
    from medqa_ds import parse as parse_text

    page = (
        "Is Yellow Skin Around My Eyes Cholesterol?\nI have soft yellow patches on my eyelids. Cholesterol?\n"
        "Posted on Mon, 12 Nov 2018\nConsult Now\nHello and welcome.\nThese are called xanthelasma.\n"
        "Hope this helps.\n"
    )
    with pytest.raises(ParseError, match="no answer"):
        parse_text(page, "card_under_date.txt")


# --- main-content and full-page saves -----------------------------------------------------------


def test_main_content_save_answer_with_no_header_above_the_footer():
    r = parse("main_content")
    assert r["title"] == "Can A Hot Bath Raise My Blood Pressure Reading?"
    assert r["question"]["text"].endswith("Which one should I trust?")
    (answer,) = r["answers"]  # the repeat below the footer is no second answer
    assert answer["text"].startswith("Hello! I understand your worry.")
    assert answer["text"].endswith("Hope this helps. best regards.")  # the fused signature taken off
    assert answer["author"] == "Dr.Ilona"
    for chrome in ("answer helpful", "Disclaimer", "free answer", "cookies", "Privacy Policy"):
        assert chrome not in answer["text"]
    assert (r["complete"], r["incomplete_reason"]) == (True, None)


def test_main_content_save_without_title_and_question_is_an_answer_only_reject():
    with pytest.raises(medqa_ds.ParseError, match=r"^answer-only chunk: no question .*saved with its footer"):
        medqa_ds.parse(page("main_content_answer_only"))


def test_answer_only_chunk_cut_short_is_a_reject_saying_so():
    with pytest.raises(medqa_ds.ParseError, match=r"^answer-only chunk: no question"):
        medqa_ds.parse(page("answer_only_cut"))


def test_full_page_chrome_and_sidebar_card_are_in_no_field():
    r = parse("full_page_chrome")
    assert r["title"] == "Why Does The Skin On My Fingertips Keep Peeling?"
    assert r["question"]["text"].startswith("For two months")
    assert r["question"]["date"] == "2013-09-12"
    fields = [r["title"], r["question"]["text"], *(a["text"] for a in r["answers"])]
    for text in fields:
        for chrome in (
            "HealthCareMagic",
            "Doctors Online",
            "Terms",
            "Hamid Rezaei",
            "Exp 22",
            "Report Abuse",
            "answer helpful",
            "Health Blog",
        ):
            assert chrome not in text, (chrome, text)
    assert all(a["author"] != "Dr. Hamid Rezaei" for a in r["answers"])


def test_full_page_vote_lines_between_answers_and_a_header_with_no_name():
    first, second = parse("full_page_chrome")["answers"]
    assert (first["author"], first["role"]) == ("Dr. Talia Brenner", "Dermatologist")
    assert first["text"].endswith("Hope this helps.")
    assert (second["author"], second["role"], second["specialty"]) == (
        None,
        "General & Family Physician",
        "Family Medicine",
    )
    assert second["text"].startswith("Hi,\nIf the peeling does not settle")


@pytest.mark.parametrize("keep", [0, 1, 2, 6], ids=["banner", "counter", "terms", "experience"])
def test_any_of_the_full_pages_chrome_lines_marks_it(keep):
    """The banner, the online counter, the terms line and the card's experience line each show the
    page was saved whole, so the title is found below the navigation lines."""
    lines = page("full_page_chrome").split("\n")
    kept = [l for k, l in enumerate(lines) if k == keep or k not in (0, 1, 2, 6)]
    r = medqa_ds.parse("\n".join(kept))
    assert r["title"] == "Why Does The Skin On My Fingertips Keep Peeling?"
    assert r["question"]["text"].startswith("For two months")


def test_main_content_question_greeting_the_doctor_is_no_reply():
    text = page("main_content").replace("\nI measured my", "\nHi doctor, I measured my", 1)
    r = medqa_ds.parse(text)
    assert r["question"]["text"].startswith("Hi doctor, I measured my blood pressure")
    assert r["answers"][0]["text"].startswith("Hello! I understand your worry.")


def test_a_premium_thread_with_vote_lines_is_no_free_question():
    text = (FIXTURES.parent / "askadoctor" / "full_page_chrome.txt").read_text(encoding="utf-8")
    r = medqa_ds.parse(text + "\nWas this answer helpful?\nYes\nNo\n")
    assert r["source"] == "askadoctor"


def test_main_content_answers_are_split_at_their_vote_lines():
    r = parse("main_content_two_answers")
    assert [a["author"] for a in r["answers"]] == ["Dr.Benedek", "Dr. Amara Osei"]
    assert r["answers"][0]["text"].endswith("Wish you a good trip.")
    assert r["answers"][1]["text"].startswith("Hello. I agree that you can fly.")


def test_a_sentence_ending_in_s_response_is_no_header():
    text = page("one_doctor").replace("\n", "\nI read that a fever is the Body's Response\n", 1)
    r = medqa_ds.parse(text)
    assert len(r["answers"]) == len(parse("one_doctor")["answers"])
    assert "I read that a fever is the Body's Response" in r["question"]["text"]


def test_an_answer_part_that_is_only_a_signature_is_no_answer():
    """A later answer part whose only line is its signature says nothing: it is dropped (the
    follow-up scan failed on it before: a "parser bug" reject of the whole page)."""
    whole = medqa_ds.parse(page("main_content"), "main_content.txt")
    text = page("main_content").replace(
        "You found this answer helpful\n",
        "You found this answer helpful\nDr. Ana Ruiz\nI find this answer helpful\n",
        1,
    )
    r = medqa_ds.parse(text, "main_content.txt")
    assert [a["text"] for a in r["answers"]] == [a["text"] for a in whole["answers"]]


def test_a_reply_that_is_only_a_signature_is_no_record():
    # A save without the response header: below the question's date, only a sign-off and a name.
    lines = ["Itchy eyes every spring", "My eyes itch every spring. Is it an allergy?", "Posted on 3 Mar 2014"]
    with pytest.raises(ParseError, match="no answer: the doctor's reply holds nothing but a signature"):
        medqa_ds.parse("\n".join([*lines, "Best wishes,", "Dr. Ana Ruiz"]), "a.txt")


def test_a_response_header_taken_for_a_profile_card_is_a_reject_not_a_crash():
    lines = [
        "Itchy eyes every spring",
        "My eyes itch every spring. Is it an allergy?",
        "Ask Dr. Lee's Response",
        "Rest.",
    ]
    with pytest.raises(ParseError, match="every response header on the page is also a profile card's line"):
        medqa_ds.parse("\n".join(lines), "a.txt")
