"""icliniq: Q&A threads, one invented fixture per variation (tests/fixtures/icliniq/)."""

from __future__ import annotations

from pathlib import Path

import pytest

import medqa_ds
from medqa_ds.sources.icliniq import breadcrumb_specialty

from expect import Fixtures

HERE = Path(__file__).resolve().parent
FIX = Fixtures("icliniq")
FIXTURES = FIX.folder
page, parse = FIX.page, FIX.parse


@pytest.mark.parametrize("name", FIX.expected())
def test_expected_json(name):
    FIX.check_expected(name)


def test_current_layout_chrome_dates_and_doctor_card():
    r = parse("current_layout")
    assert r["title"] == "Why do I get flaky patches beside my nose every winter?"
    assert r["specialty"] == "Dermatology"  # from the run-together breadcrumb
    assert r["question"]["date"] == "2017-07-07"  # "Published At July 7, 2017"; the review date is not it
    assert r["question"]["text"].startswith("Hello doctor,\n")
    (answer,) = r["answers"]
    # no "Answered by" line: the reply starts at the doctor's greeting and the welcome line
    assert answer["text"].startswith("Hi,\nWelcome to icliniq.com.\n")
    assert answer["text"].endswith("Follow up after four weeks.")
    assert (answer["author"], answer["role"]) == ("Dr. Leena Haddad", "Dermatology")  # the card under the banner
    assert "Consult a doctor now" not in answer["text"]


def test_multi_turn_thread_later_patient_turns_are_follow_ups():
    r = parse("multi_turn")
    assert [a["author"] for a in r["answers"]] == ["Dr. Rahul Verma"] * 3
    assert [a["text"].splitlines()[1] for a in r["answers"]] == [
        "Welcome to icliniq.com.",
        "Take your thyroid tablet first thing in the morning and pantoprazole 30 minutes "
        "later. One cup of coffee in the morning is fine.",
        "Glad to hear that. Complete the four weeks and then stop the tablet.",
    ]
    assert [(f["role"], f["after_answer"], f["questions"]) for f in r["follow_ups"]] == [
        ("patient", 0, ["Can I take it with my thyroid medicine?", "Should I stop coffee completely?"]),
        ("patient", 1, []),
    ]
    assert r["follow_ups"][1]["text"] == "Hello doctor,\nThe burning has stopped after two weeks. Thank you."
    assert r["question"]["text"].endswith("It is worse when I lie down.")
    # the card's role is not in the vocabulary: kept as given, no specialty invented
    assert {(a["role"], a["specialty"]) for a in r["answers"]} == {("Medical Gastroenterology", None)}
    assert r["specialty"] == "Gastroenterology"
    assert r["complete"] is True


def test_answered_by_with_the_name_on_the_next_line_and_a_signature():
    r = parse("answered_by_next_line")
    (answer,) = r["answers"]
    assert answer["author"] == "Dr. Aylin Demir"
    assert answer["text"].endswith("or lasts more than two days.")
    assert "Regards" not in answer["text"]
    assert r["specialty"] == "Pediatrics"


def test_answered_by_in_the_header_names_the_unheaded_reply():
    r = parse("answered_by_in_header")
    assert r["title"] == "Will my 5 mm kidney stone pass by itself?"
    (answer,) = r["answers"]
    assert (answer["author"], answer["role"], answer["specialty"]) == ("Dr. Tarek Nasser", "Urologist", "Urology")
    assert answer["text"].startswith("Hello,\nWelcome to icliniq.com.\nMost stones")
    assert r["question"]["text"].endswith("Will it pass by itself?")
    assert (r["question"]["date"], r["complete"]) == ("2022-11-14", True)


def test_reply_whose_greeting_shares_a_line_with_the_text():
    r = parse("greeting_inline")
    assert r["question"]["text"] == (
        "Hi doctor, my lower right wisdom tooth hurts when I chew and the gum over it is swollen."
    )
    assert r["answers"][0]["text"].startswith("Hi. Welcome to icliniq.com. The swollen gum")
    assert (r["specialty"], r["complete"]) == ("Dentistry", True)


def test_page_cut_inside_the_reply_is_an_incomplete_record():
    r = parse("cut_in_reply")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside the answer")
    assert r["answers"][0]["text"].endswith("such as dust mites, pets and")
    assert r["answers"][0]["author"] is None  # the card was not reached


def test_page_cut_inside_a_follow_up_keeps_the_thread_so_far():
    r = parse("cut_in_follow_up")
    assert len(r["answers"]) == 1 and r["answers"][0]["author"] == "Dr. Marta Kowalska"
    assert r["follow_ups"][0]["text"].endswith("Is an injection")
    assert (r["complete"], r["incomplete_reason"]) == (
        False,
        "page ends inside a follow-up query, before the doctor's reply",
    )


def test_page_cut_before_the_reply_is_rejected():
    with pytest.raises(medqa_ds.ParseError, match=r"^no answer: the page ends inside the patient's query"):
        medqa_ds.parse(page("cut_before_reply"))


def test_the_icliniq_fixture_of_the_first_sources_is_a_record_now():
    r = medqa_ds.parse((HERE / "fixtures" / "other" / "icliniq_like.txt").read_text(encoding="utf-8"))
    assert (r["source"], r["specialty"], r["question"]["date"]) == ("icliniq", "Dermatology", "2022-05-02")
    assert r["answers"][0]["text"].startswith("Hello,\nWelcome. Jawline acne")


@pytest.mark.parametrize(
    "line, spec",
    [
        ("HomeAnswersHematologyiron defeciency anemiaIs low iron a problem?", "Hematology"),
        ("HomeAnswersInternal Medicinefever and chillsWhy do I shiver?", "Internal Medicine"),
        ("HomeAnswersENTear waxMy ear feels blocked.", "Otolaryngology"),
        ("HomeAnswersFitnessrunningHow fast should I run?", None),
        ("Why do I get acne?", None),
    ],
)
def test_breadcrumb_specialty(line, spec):
    assert breadcrumb_specialty(line) == spec


# --- chrome, header block, listings, the older layout -------------------------------------------


def test_chrome_above_the_breadcrumb_is_never_the_title():
    r = parse("top_chrome")
    assert r["title"] == "Is it safe to use olive oil drops for blocked ears?"
    assert r["specialty"] == "Otolaryngology"  # the breadcrumb below the chrome still gives it
    assert r["answers"][0]["author"] == "Dr. Mateo Quiroga"


def test_answered_by_block_in_the_header_names_every_unheaded_reply():
    r = parse("header_block_unheaded_replies")
    assert [a["author"] for a in r["answers"]] == ["Dr. Ingrid Solberg"] * 2
    assert [a["text"].split("\n")[0] for a in r["answers"]] == ["Hello,", "Hello,"]
    assert [(f["role"], f["after_answer"]) for f in r["follow_ups"]] == [("patient", 0)]


def test_reply_with_no_doctor_named_anywhere_has_no_author():
    (answer,) = parse("no_author")["answers"]
    assert (answer["author"], answer["role"]) == (None, None)
    assert answer["text"].endswith("See your doctor if you cannot keep fluids down.")


def test_topic_listing_page_is_a_reject_saying_so():
    with pytest.raises(medqa_ds.ParseError, match=r"^topic listing: an iCliniq topic page of 3 'Query:' teasers"):
        medqa_ds.parse(page("topic_listing"))


def test_older_layout_title_question_and_related_links():
    r = parse("older_layout")
    assert r["title"] == "Can a cracked molar cause ear pain on the same side?"  # "Q. " dropped
    assert r["question"]["text"] == (
        "Hello doctor,\nFor a week my lower left back tooth hurts when I chew, and now "
        "my left ear aches too. There is no fever. Are the two connected?"
    )
    assert [(l["kind"], l["title"]) for l in r["related"]] == [
        ("similar_question", "Why does my tooth hurt when I drink cold water?"),
        ("similar_question", "Can wisdom teeth cause headaches?"),
    ]


def test_older_layout_name_and_role_lines_open_each_reply():
    r = parse("older_layout")
    assert [(a["author"], a["role"], a["specialty"]) for a in r["answers"]] == [
        ("Dr. Omar Farouk", "Dentist, Oral Surgeon", "Dentistry")
    ] * 2
    assert [a["text"].split("\n")[0] for a in r["answers"]] == ["Hello,", "Hi,"]
    assert all("Oral Surgeon" not in a["text"] and "»" not in a["text"] for a in r["answers"])


def test_older_layout_unlabelled_patient_turn_is_a_follow_up():
    r = parse("older_layout")
    assert r["follow_ups"] == [
        {
            "role": "patient",
            "after_answer": 0,
            "text": "Thank you doctor,\nThe dentist found a crack and says I need a crown. Can I wait a month for it?",
            "questions": ["Can I wait a month for it?"],
        }
    ]
    assert r["answers"][0]["text"].endswith("see a dentist for an x-ray this week.")
    assert (r["complete"], r["incomplete_reason"]) == (True, None)


def test_older_layout_below_chrome_lines():
    r = medqa_ds.parse("iCliniq logo\n\nAsk a Doctor Online Now\n\n" + page("older_layout"))
    assert r["title"] == "Can a cracked molar cause ear pain on the same side?"
    assert len(r["answers"]) == 2


def test_topic_listing_without_a_breadcrumb_is_still_a_listing():
    text = "\n".join(l for l in page("topic_listing").split("\n") if not l.startswith("HomeAnswers"))
    with pytest.raises(medqa_ds.ParseError, match=r"^topic listing"):
        medqa_ds.parse(text)


def test_older_layout_cut_short_is_an_incomplete_record():
    text = page("older_layout")
    r = medqa_ds.parse(text[: text.index("because the same nerve") + len("because the same ne")])
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside the answer")
    r = medqa_ds.parse(text[: text.index("Can I wait a month") + len("Can I wait")])
    assert (r["complete"], r["incomplete_reason"]) == (
        False,
        "page ends inside a follow-up query, before the doctor's reply",
    )
    assert r["follow_ups"][0]["text"].endswith("Can I wait")


def test_a_patient_turn_before_any_reply_with_text_is_kept():
    # Older layout: the first doctor's block holds no reply (only "Regards."): the patient's next
    # message comes before every answer, and stays (it was dropped: after_answer -1).
    text = page("older_layout")
    start, end = text.index("Hello,\n\nWelcome to icliniq.com."), text.index("Thank you doctor,")
    r = medqa_ds.parse(text[:start] + "Regards.\n\n" + text[end:], "older_layout.txt")
    assert [(f["role"], f["after_answer"]) for f in r["follow_ups"]] == [("patient", None)]
    assert r["follow_ups"][0]["text"].startswith("Thank you doctor,\nThe dentist found a crack")
