"""Cleaning rules: each removes its example and fails when removed; medical content is never removed;
the devset's assistant turns hold no site text, signature or cut end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medqa_ds import cleaning, parse_all
from medqa_ds.cleaning import rules as rules_mod
from medqa_ds.errors import ParseError
from medqa_ds.pipeline import privacy

from conftest import ROOT

DEVSET = ROOT.parent / "shared" / "devset"
FIXTURES = sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))
DEV_PAGES = sorted(DEVSET.glob("*.txt")) if DEVSET.is_dir() else []

# Medical content: a number, a dosage or lab unit, or a drug name (by common stems and the names the pages use).
MEDICAL = re.compile(
    r"\d|\b(?:mg|mcg|µg|ml|mL|mmol|mmHg|IU|g/dL|mg/dL|%)\b|\b\w+(?:cillin|mycin|azole|prazole|pril|olol|sartan|statin"
    r"|xine|pam|lam|tidine|profen|cetamol|amol|izine|cetrizine|sone|olone|mab|nib)\b"
    r"|\b(?:aspirin|ibuprofen|paracetamol|acetaminophen|thyroxine|levothyroxine|thyronorm|metformin|insulin"
    r"|hydrocortisone|aleve|antibiotic|steroid)\b",
    re.IGNORECASE,
)


def _records(paths: list[Path]) -> list[dict]:
    out = []
    for path in paths:
        try:
            out += [r for r in parse_all(path.read_text(encoding="utf-8"), path.name) if isinstance(r, dict)]
        except (ParseError, UnicodeDecodeError):
            continue
    return out


# One invented case per rule, written here and not taken from the rule, so that deleting a rule
# from rust/src/cleaning/rules.rs makes its case fail: (rule, source, text, cleaned text).
CASES = [
    (
        "site_placeholder",
        "askadoctor",
        "Hello XXXXXXXX\nYour ferritin of 8 ng/mL is low.",
        "Hello [PATIENT]\nYour ferritin of 8 ng/mL is low.",
    ),
    (
        "site_greeting",
        "askadoctor",
        'Hello and welcome to "Ask a Doctor" service. Thanks for posting in HCM. Your ALT of 80 U/L is raised.',
        "Your ALT of 80 U/L is raised.",
    ),
    (
        "site_greeting",
        "icliniq",
        "Hi,\nWelcome back to icliniq.com.\nStop the naproxen 500 mg.",
        "Hi,\nStop the naproxen 500 mg.",
    ),
    (
        "self_introduction",
        "askadoctor",
        "I am Dr Ravi Menon answering your query. Take cetirizine 10 mg at night.",
        "Take cetirizine 10 mg at night.",
    ),
    (
        "hospital_slogan",
        "doctorqna",
        "Drink 2 litres of water a day.\nThe Puli Hospital of the Ministry of Health and Welfare cares about you.",
        "Drink 2 litres of water a day.",
    ),
    (
        "closing_formula",
        "doctorqna",
        "Recheck HbA1c in 3 months.\nWishing you safety and health.\nRegards",
        "Recheck HbA1c in 3 months.",
    ),
    (
        "closing_formula",
        "icliniq",
        "Use the inhaler twice daily. I hope this has helped you. Thank you.",
        "Use the inhaler twice daily.",
    ),
    (
        "signature",
        "doctorqna",
        "Apply mupirocin ointment three times a day.\nSincerely, Dr. Lin Wei-Ming, Director "
        "of Dermatology, Puli Hospital.",
        "Apply mupirocin ointment three times a day.",
    ),
    (
        "signature",
        "askadoctor",
        "Your TSH of 7 is mildly high.\nDr Asha Rao\nMD Internal Medicine",
        "Your TSH of 7 is mildly high.",
    ),
    (
        "site_chrome_tail",
        "askthedoctor",
        "Rest the ankle for 2 weeks.\nAsk The Doctor\nHe trained in Leeds.",
        "Rest the ankle for 2 weeks.",
    ),
    (
        "follow_up_in_answer",
        "askadoctor",
        "Continue 50 mcg daily.\nFollow up: Dr. Asha Rao (3 hours later)\nThanks, should I stop?",
        "Continue 50 mcg daily.",
    ),
]


def test_every_rule_has_a_case():
    assert {r.name for r in cleaning.RULES} == {name for name, *_ in CASES}


@pytest.mark.parametrize(("name", "source", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_removes_its_case(name, source, text, expected):
    got = cleaning.clean(text, source)
    assert got.text == expected
    assert name in {n for n, _ in got.removed}


@pytest.mark.parametrize("rule", cleaning.RULES, ids=lambda r: r.name)
def test_rule_removes_its_own_example(rule):
    source = rule.sources[0] if rule.sources else "askadoctor"
    assert cleaning.clean(rule.example, source).text == rule.expected


@pytest.mark.parametrize(("name", "source", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_without_the_rule_its_case_stays(name, source, text, expected, monkeypatch):
    """Each rule does work no other rule does: without it, its case is no longer cleaned."""
    monkeypatch.setattr(cleaning, "RULES", tuple(r for r in cleaning.RULES if r.name != name))
    cleaning.clean.cache_clear()
    try:
        assert cleaning.clean(text, source).text != expected
    finally:
        cleaning.clean.cache_clear()


def test_rules_apply_only_to_their_sources():
    slogan = rules_mod.by_name("hospital_slogan")
    assert cleaning.clean(slogan.example, "icliniq").text == slogan.example


def test_placeholder_is_the_privacy_policys():
    assert privacy.placeholder("PATIENT") == rules_mod.PATIENT


def test_sentences_keep_abbreviations_and_split_run_on_stops():
    assert cleaning.sentences("Ask Dr. Lee. I hope it helps.Stay healthy.") == [
        "Ask Dr. Lee.",
        "I hope it helps.",
        "Stay healthy.",
    ]


def test_a_slogan_word_inside_medical_sentence_is_kept():
    text = "Puli Hospital is concerned about your low 3.2 potassium, which needs a recheck."
    assert cleaning.clean(text, "doctorqna").text == text


def test_closing_formulas_only_at_the_end():
    text = "Thank you. Take 5 mg at night.\nTake care."
    assert cleaning.clean(text, "askadoctor").text == "Thank you. Take 5 mg at night."


@pytest.mark.parametrize("group", ["fixtures", "devset"])
def test_no_medical_sentence_is_removed(group):
    records = _records(FIXTURES if group == "fixtures" else DEV_PAGES)
    if not records:
        pytest.skip("no pages")
    bad = [
        (r["provenance"]["file"], name, text)
        for r in records
        for name, text in cleaning.medical_removals(r)
        if MEDICAL.search(re.sub(r"\bDr\.?\s+\S+", "", text))
    ]
    assert not bad, bad[:5]


def test_answer_cut_by_the_page_is_not_complete():
    cut = {
        "source": "doctorqna",
        "complete": False,
        "incomplete_reason": "page ends inside the answer",
        "answers": [{"text": "Whole answer.", "text_repaired": None}, {"text": "Take 5 mg of", "text_repaired": None}],
    }
    cleaning.apply(cut)
    assert [a["complete"] for a in cut["answers"]] == [True, False]
    after = dict(cut, incomplete_reason="page ends inside More Info")
    after["answers"] = [{"text": "Whole answer.", "text_repaired": None}]
    assert cleaning.apply(after)["answers"][0]["complete"]


@pytest.mark.skipif(not DEV_PAGES, reason="../shared/devset is not here")
def test_devset_build_assistant_turns_are_clean(tmp_path):
    """Done when: no assistant turn in chat or prompt_completion holds a signature, site greeting, site
    name as greeting, slogan or site placeholder, and none ends mid-sentence."""
    import pyarrow.parquet as pq

    from medqa_ds.pipeline import BuildOptions, build, chat

    result = build(DEVSET, tmp_path / "out", BuildOptions(workers=1))
    out = result.out
    banned = re.compile(
        r"(?i)\bsincerely\b|\bI am Dr\b|welcome (?:back )?to|healthcare ?magic|\bHCM\b|icliniq"
        r"|ask the doctor|cares about you|concerned about your well-being|X{5,}|stay healthy"
        r"|hope (?:this|it|my answer) help|peer-reviewed|view all posts|comments / follow"
        r"|^Dr\.? [A-Z]\w+(?: [A-Z][\w-]*)*,? (?:Director|M\.D)"
    )
    turns = 0
    for config, column in (("chat", "messages"), ("prompt_completion", "completion")):
        for path in sorted((out / config).glob("*.parquet")):
            for row in pq.read_table(path).to_pylist():
                for m in row[column]:
                    if m["role"] != "assistant":
                        continue
                    turns += 1
                    assert not banned.search(m["content"]), (row["id"], banned.search(m["content"]))
                    assert not re.search(r"(?m)^Dr\.? [A-Z]\w+(?: [A-Z][\w-]*){0,3}\s*$", m["content"]), row["id"]
                    assert not chat.text_problems(m["content"], row["source"]), row["id"]
    assert turns >= 40
    section = result.manifest["chat"]
    assert section["records_without_row_by_reason"]["the first answer was cut by the end of the page"] > 0
    card = (out / "README.md").read_text(encoding="utf-8")
    assert f"This build has {section['rows']} chat rows" in card
    assert f"{section['records_without_row']} records have no chat row: " in card
    for rule in cleaning.RULES:
        assert f"`{rule.name}`" in card


def test_validate_flags_an_assistant_turn_with_site_text_or_a_cut_end():
    from medqa_ds.pipeline import chat, prompt_completion

    def row(answer: str) -> dict:
        return {
            "id": "icliniq-0000000000000001",
            "source": "icliniq",
            "messages": [{"role": "user", "content": "Rash?"}, {"role": "assistant", "content": answer}],
        }

    assert chat.problems(row("Use the cream twice daily.")) == []
    assert any("signature" in p for p in chat.problems(row("Use the cream.\nDr. Ann Roy, Director of Dermatology")))
    assert any("site_greeting" in p for p in chat.problems(row("Welcome to icliniq.com. Use the cream.")))
    assert any("mid-sentence" in p for p in chat.problems(row("Use the cream and")))
    good = prompt_completion.row(row("Use the cream twice daily."))
    assert prompt_completion.problems(good, row("Use the cream twice daily.")) == []
    assert prompt_completion.problems(dict(good, completion=[]))
    assert prompt_completion.problems(good, row("Another answer."))
