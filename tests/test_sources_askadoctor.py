"""askadoctor: one invented fixture page per variation (tests/fixtures/askadoctor/), detection
between the sources, pages of other sites, and a no-crash run over the shared devset."""

from __future__ import annotations

from pathlib import Path

import pytest

import medqa_ds
from medqa_ds import schema, sources
from medqa_ds.text import lines_of

from expect import Fixtures

HERE = Path(__file__).resolve().parent
FIX = Fixtures("askadoctor")
FIXTURES = FIX.folder
page, parse = FIX.page, FIX.parse
OTHER = HERE / "fixtures" / "other"
DEVSET = HERE.parent.parent / "shared" / "devset"


@pytest.mark.parametrize("name", FIX.expected())
def test_expected_json(name):
    FIX.check_expected(name)


# --- variations -------------------------------------------------------------------------------


def test_no_question_text():
    r = parse("no_question_text")
    assert r["title"] == "My Ankle Is Swollen Three Weeks After A Sprain Is It Norm"
    assert r["question"]["text"] is None
    answer = r["answers"][0]
    assert answer["summary"] == "A sprain can stay swollen for weeks but a fracture should be ruled out"
    assert (answer["author"], answer["role"], answer["specialty"]) == (
        "Dr. Lena Morales",
        "Orthopaedic Surgeon",
        "Orthopedics",
    )
    assert answer["text"].startswith('Hello and welcome to "Ask a Doctor" service,\n')
    assert answer["text"].endswith("I hope this helps.")
    assert r["specialty"] == "Orthopedics"
    assert r["complete"] is True


def test_question_text_with_hard_line_breaks():
    r = parse("question_hard_breaks")
    assert r["title"] == "What Does My Vitamin D Result Mean?"
    assert r["question"]["text"] == (
        "Had a blood test last week.\nMy\nVitamin D is 14 ng/ml\nCalcium is 9.1\n"
        "Should I take tablets or just\nsit in the sun more?"
    )
    answer = r["answers"][0]
    assert answer["summary"] == "Vitamin D deficiency, supplements are advised."
    assert answer["summary"] not in r["question"]["text"]
    assert (answer["author"], answer["specialty"]) == ("Dr. Omar Haddad", "Endocrinology")


def test_several_replies_and_the_follow_up_belongs_to_the_first():
    r = parse("several_replies")
    assert len(r["answers"]) == 3
    assert [a["text"].splitlines()[0] for a in r["answers"]] == ["Hello,", "Hello again,", "Hello,"]
    assert [f["after_answer"] for f in r["follow_ups"]] == [0]
    assert all("Regards" not in a["text"] and "Dentist" not in a["text"] for a in r["answers"])


def test_author_named_only_inside_the_text():
    r = parse("self_named")
    answer = r["answers"][0]
    assert answer["author"] == "Dr Ravi Shankar Menon"
    assert (answer["role"], answer["specialty"]) == (None, None)
    assert answer["text"].startswith("Hello XXXXXXX\nWelcome to the service. I am Dr Ravi Shankar Menon.")
    assert answer["text"].endswith("Stay Healthy.")
    assert r["specialty"] is None
    assert r["complete"] is True


def test_anonymised_greeting_and_signature():
    r = parse("anonymised")
    answer = r["answers"][0]
    assert answer["author"] is None  # "Dr. XXXXXXX" names nobody
    assert (answer["role"], answer["specialty"]) == ("Cardiologist", "Cardiology")
    assert answer["text"].startswith("Hello XXXXXXX,\n")
    assert "Dr. XXXXXXX" not in answer["text"] and "Regards" not in answer["text"]


def test_no_regards_block():
    r = parse("no_regards")
    answer = r["answers"][0]
    assert (answer["author"], answer["role"], answer["specialty"]) == (None, None, None)
    assert answer["text"] == (
        "Hello,\nIf your symptoms are above the neck and you have no fever, light exercise "
        "is fine.\nSkip intense workouts until you feel better and drink plenty of water.\n"
        "Take care."
    )
    assert (r["complete"], r["incomplete_reason"]) == (True, None)


def test_signature_without_regards_line():
    r = parse("signature_without_regards")
    answer = r["answers"][0]
    assert (answer["author"], answer["role"], answer["specialty"]) == (
        "Dr. Sofia Brandt",
        "Obstetrician and Gynaecologist",
        "Obstetrics and Gynecology",
    )
    assert answer["text"].endswith("walk in the aisle every hour and drink water.")
    assert (r["complete"], r["incomplete_reason"]) == (True, None)


def test_reply_asking_bulleted_questions_is_a_follow_up():
    r = parse("followup_bullets")
    assert r["follow_ups"] == [
        {
            "role": "doctor",
            "text": "Losing weight without trying needs a proper check-up. Kindly answer the following:",
            "questions": [
                "Are you drinking a lot of water and passing urine often?",
                "Do you feel your heart racing or feel hot all the time?",
                "Any change in your bowel habits?",
                "How is your appetite?",
            ],
            "after_answer": 0,
        }
    ]
    assert r["answers"][0]["specialty"] == "Internal Medicine"


def test_page_chrome_dates_become_iso_dates():
    r = parse("chrome_dates")
    assert r["question"]["date"] == "2016-04-04"
    assert r["answers"][0]["date"] == "2016-04-05"
    assert r["title"] == "What Does A High ESR Mean?"
    for text in (r["question"]["text"], r["answers"][0]["text"]):
        assert "Posted on" not in text and "Answered on" not in text and "Review Team" not in text
        assert "2016" not in text


def test_chrome_only_page_is_rejected():
    with pytest.raises(medqa_ds.ParseError, match=r"^no answer: .*only page chrome"):
        medqa_ds.parse(page("chrome_only"))


def test_page_cut_mid_answer():
    r = parse("cut_mid_answer")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside the answer")
    assert r["answers"][0]["text"].endswith("but a steroid lotion can spe")
    assert r["answers"][0]["author"] is None


def test_page_cut_right_after_detailed_answer_is_rejected():
    with pytest.raises(medqa_ds.ParseError, match=r"^no answer"):
        medqa_ds.parse(page("cut_after_detailed"))


def test_page_cut_after_a_later_detailed_answer_keeps_the_earlier_reply():
    r = parse("cut_after_second_detailed")
    assert len(r["answers"]) == 1
    assert r["answers"][0]["author"] == "Dr. Priya Nair"
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside the answer")


def test_answer_ending_in_a_bare_url_is_complete():
    r = parse("answer_ends_url")
    assert r["answers"][0]["text"].endswith("here: https://travel.example.org/destinations/kenya")
    assert (r["complete"], r["incomplete_reason"]) == (True, None)


def test_honorific_breaks_joined():
    r = parse("honorific_breaks")
    assert r["question"]["text"] == (
        "My father Mr. Okafor is 72 and his feet swell every evening. He takes amlodipine."
    )
    answer = r["answers"][0]
    assert answer["text"].startswith("Hello,\nPlease tell Mr. Okafor that amlodipine")
    assert answer["author"] == "Dr. Daniel Mensah"
    assert answer["role"] == "General and Family Physician"


# --- detection --------------------------------------------------------------------------------


def test_detection_does_not_confuse_the_sources():
    for path in sorted(FIXTURES.glob("*.txt")):
        lines = lines_of(path.read_text(encoding="utf-8"))
        assert not sources.DoctorQnA().detect(lines), path.name
    for path in sorted((HERE / "fixtures" / "doctorqna").glob("*.txt")):
        lines = lines_of(path.read_text(encoding="utf-8"))
        assert not sources.AskADoctor().detect(lines), path.name


# icliniq_like.txt, askthedoctor_like.txt and hcm_answer_only.txt are sources of their own now:
# tests/test_sources_icliniq.py, test_sources_askthedoctor.py and test_sources_askadoctor_free.py.
# answers_site, question_title_short_answer and doctor_faq stand for other Q&A sites (a question
# title, the question, an unlabelled answer; a question as the title; a doctor's card over "Q:"/"A:").
@pytest.mark.parametrize(
    "name",
    [
        "news_article.txt",
        "table.csv",
        "answers_site.txt",
        "question_title_short_answer.txt",
        "doctor_faq.txt",
        "generic_votes_and_cookies.txt",
    ],
)
def test_other_sites_are_rejected(name):
    with pytest.raises(medqa_ds.ParseError, match="not a page of a known source"):
        medqa_ds.parse((OTHER / name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\ufeff", "a\x00b"])
def test_empty_and_binary_text_is_rejected(text):
    with pytest.raises(medqa_ds.ParseError):
        medqa_ds.parse(text)


# --- devset: no crash -------------------------------------------------------------------------


def test_devset_parses_or_rejects_without_crashing():
    if not DEVSET.is_dir():
        pytest.skip(f"no devset at {DEVSET}")
    got: dict[str, str | None] = {}
    for path in sorted(DEVSET.glob("*.txt")):
        try:
            record = medqa_ds.parse(path.read_text(encoding="utf-8"), path.name)
        except medqa_ds.ParseError:
            got[path.name] = None
            continue
        assert schema.errors(record) == [], path.name
        got[path.name] = record["source"]
    assert len(got) == 41
    for k in range(1, 19):
        assert got[f"B_dev_{k:02d}.txt"] == "doctorqna"
    assert [got[f"A_dev_{k:02d}.txt"] for k in (1, 2, 3)] == ["askadoctor", None, "askadoctor"]  # 02: chrome only
    assert [got[f"I_dev_{k:02d}.txt"] for k in range(1, 5)] == ["icliniq"] * 4
    assert [got[f"M_dev_{k:02d}.txt"] for k in range(1, 7)] == ["askthedoctor"] * 5 + [None]  # 06: question only
    assert [got[f"A2_dev_{k:02d}.txt"] for k in range(1, 8)] == [None] * 6 + ["askadoctor_free"]  # answer-only chunks
    assert [got[f"X_dev_{k:02d}.txt"] for k in range(1, 4)] == [None] * 3  # other sites


# --- the full page saved with the site's chrome -------------------------------------------------


def test_full_page_chrome_is_in_no_field():
    r = parse("full_page_chrome")
    assert r["title"] == "Is A Ferritin Of 9 Low Enough To Need Iron Tablets?"  # not the banner, not an alt-text
    assert r["question"]["text"].startswith("My ferritin came back at 9")  # the "Question:" label dropped
    assert r["question"]["date"] == "2014-03-03"  # "Posted on Mon, 3 Mar 2014" on one line
    fields = [
        r["title"],
        r["question"]["text"],
        *(a["text"] for a in r["answers"]),
        *(f["text"] for f in r["follow_ups"]),
    ]
    for text in fields:
        for chrome in (
            "HealthCareMagic",
            "question-icon",
            "default",
            "Answered by",
            "Brief Answer",
            "peer-reviewed",
            "Follow up:",
        ):
            assert chrome not in text, (chrome, text)
        assert "doctor" not in text.split("\n")  # the alt-text line


def test_full_page_header_and_brief_answer_label():
    first, second = parse("full_page_chrome")["answers"]
    assert first["summary"] == "Yes, iron tablets are needed."
    assert second["summary"] == "Yes, every other day works well."
    # the header spells the name as the site does; the signature ("Dr Nadia Karim") is no part of the text
    assert (first["author"], second["author"]) == ("Dr. Nadia Karim", "Dr. Nadia Karim")
    assert first["text"].endswith("Best wishes.")


def test_role_line_opening_with_a_degree():
    answer = parse("full_page_chrome")["answers"][0]
    assert (answer["role"], answer["specialty"]) == ("MD Internal Medicine", "Internal Medicine")


def test_the_peer_reviewer_is_no_author():
    r = parse("full_page_chrome")
    assert all(a["author"] != "Dr. Victor Amsel" for a in r["answers"])
    assert "Victor Amsel" not in r["answers"][-1]["text"]


def test_follow_up_header_heads_the_patients_message():
    r = parse("full_page_chrome")
    assert len(r["answers"]) == 2
    assert r["follow_ups"] == [
        {
            "role": "patient",
            "after_answer": 0,
            "text": "Thank you doctor. The tablets upset my stomach. Can I take them every other day instead?",
            "questions": ["Can I take them every other day instead?"],
        }
    ]
    assert "tablets upset" not in r["answers"][0]["text"]


def test_full_page_cut_inside_the_patients_follow_up():
    r = parse("full_page_cut_in_follow_up")
    assert (r["complete"], r["incomplete_reason"]) == (False, "page ends inside the follow-up")
    assert r["follow_ups"][0]["text"].endswith("wheezy at the e")
    assert r["answers"][0]["role"] == "MBBS, Sports Medicine"


def test_a_later_reply_with_no_detailed_answer_label_is_an_answer_not_the_patients_words():
    r = parse("reply_without_detailed_label")
    assert [a["summary"] for a in r["answers"]] == ["Reflex tearing from dry eyes.", None]
    assert r["answers"][1]["text"] == "Any preservative-free carboxymethylcellulose drops, four times a day."
    assert [f["text"] for f in r["follow_ups"]] == ["Thank you. Which drops should I buy?"]


_THREAD = [
    "Swollen ankle after a long flight",
    "My right ankle is swollen since the flight. Should I worry?",
    "Ankle swelling after flights is common.",
    "Detailed Answer:",
]


def test_a_page_ending_in_an_empty_follow_up_header_is_judged_by_the_last_answer():
    # No turn follows the reply: the reply's last line decides (the page was a parser bug before).
    ended = medqa_ds.parse("\n".join([*_THREAD, "Walk around and keep the leg up.", "Follow up: Dr. Rao"]), "a.txt")
    assert (ended["complete"], ended["follow_ups"]) == (True, [])
    cut = medqa_ds.parse("\n".join([*_THREAD, "Walk around and keep the leg", "Follow up: Dr. Rao"]), "a.txt")
    assert (cut["complete"], cut["incomplete_reason"]) == (False, "page ends inside the follow-up")


def test_a_page_ending_in_an_empty_follow_up_header_after_the_doctors_questions():
    # The last turn is the doctor's list of questions with no lead-in line: its last question decides.
    lines = [*_THREAD, "- Is it painful?", "- Is it red?", "Follow up: Dr. Rao"]
    r = medqa_ds.parse("\n".join(lines), "a.txt")
    assert r["follow_ups"][-1]["text"] is None and r["follow_ups"][-1]["questions"] == ["Is it painful?", "Is it red?"]
    assert r["complete"] is True


def test_date_labels_matched_through_a_case_fold_are_those_labels():
    # "Poſted on" and "Last revİewed on" match the labels as Python's re.IGNORECASE folds them.
    lines = ["Poſted on 3 Mar 2014", *_THREAD, "Keep the leg up.", "Last revİewed on 9 Mar 2014"]
    r = medqa_ds.parse("\n".join(lines), "a.txt")
    assert r["question"]["date"] == "2014-03-03"
    assert r["answers"][0]["text"] == "Keep the leg up."
