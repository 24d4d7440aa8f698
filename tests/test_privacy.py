"""De-identification: no planted identifier reaches a published file, and the text around it is unchanged.

The fixtures in tests/fixtures/privacy/ are invented pages in every layout whose identifiers are
slots, ``{{KIND:value}}``: rendered with the values they are the raw pages; rendered with the
placeholders (``[KIND]``) they are what the published text must be, exactly. ``{{KEEP:value}}``
marks medical content (a dosage, a lab value, a drug, an eponym) that must be published unchanged;
a ``{{DATE:…}}`` keeps its year ("[DATE] 1972").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from medqa_ds import _core, parse, schema
from medqa_ds.errors import UsageError
from medqa_ds.pipeline import BuildOptions, build
from medqa_ds.pipeline.deid_rules import RULES, Rule
from medqa_ds.pipeline.privacy import KINDS, WORD_NAMES, Policy, deidentify, placeholder, scrub, scrub_reject
from medqa_ds.verify import verify

from conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "privacy"
SLOT = re.compile(r"\{\{([A-Z]+):(.*?)\}\}", re.DOTALL)
# file name of each fixture in the raw folder: the doctorqna one carries the patient's name
RAW_NAMES = {
    "doctorqna.txt": "qiu_yanling_rash.txt",
    "askadoctor.txt": "ad_red_patches.txt",
    "askadoctor_free.txt": "saved_by_svetlana.p@example.com_0912-111-222.txt",
    "askthedoctor.txt": "kofi-mensah_chest.txt",
    "icliniq.txt": "icliniq_rahman.khan_palpitations.txt",
    "meddialog.txt": "meddialog_part1.txt",
}
# what each file name must be published as
PUBLISHED_NAMES = {
    "doctorqna": "[PATIENT]_rash.txt",
    "askadoctor": "ad_red_patches.txt",
    "askadoctor_free": "saved_by_[EMAIL]_[PHONE].txt",
    "askthedoctor": "[PATIENT]_chest.txt",
    "icliniq": "icliniq_[PATIENT]_palpitations.txt",
    "meddialog": "meddialog_part1.txt",
}
# raw files that are no page, named with an e-mail and a phone, and as they are published in rejects
REJECTS = {
    "mail-qiu.yanling88@example-mail.com.txt": "[EMAIL]",
    "call_0300-1234567_saved.txt": "call_[PHONE]_saved.txt",
}
PLANTED_IN_FILE_NAMES = [
    "svetlana.p@example.com",
    "0912-111-222",
    "kofi-mensah",
    "rahman.khan",
    "0300-1234567",
    "qiu.yanling88@example-mail.com",
]


def render(template: str, planted: bool) -> str:
    """The raw page (``planted``) or the page as it must be published (placeholders).

    The asker line's name is dropped from the record, not replaced in text: its slot renders as a
    placeholder name, which the test ignores.
    """

    def one(m: re.Match[str]) -> str:
        kind, value = m.groups()
        if planted or kind == "KEEP":
            return value
        if kind == "DATE":
            year = re.search(r"(?:19|20)\d\d", value)
            return f"{placeholder(kind)} {year.group(0)}" if year else placeholder(kind)
        return "Asker" if kind == "ASKER" else placeholder(kind)

    return SLOT.sub(one, template)


def slots() -> list[tuple[str, str]]:
    return [m.groups() for f in sorted(FIXTURES.glob("*.txt")) for m in SLOT.finditer(f.read_text())]


def planted_strings() -> list[str]:
    """Every planted value, with its line breaks as spaces too, every part of a planted name, and every
    planted file name's identifier. A date's year is kept, so its day and month are what is looked for."""
    found = set(PLANTED_IN_FILE_NAMES)
    for kind, value in slots():
        if kind == "KEEP":
            continue
        if kind == "DATE":
            value = re.sub(r"(?:19|20)\d\d", "", value).strip(" /.,-")
        found |= {value, " ".join(value.split())}
        if kind in ("PATIENT", "ASKER"):
            found |= {t for t in re.split(r"[\s-]+", value) if t not in ("Ms.", "Mr.")}
    return sorted(found)


def kept_strings() -> list[str]:
    """Every medical string the fixtures mark to keep."""
    return sorted({value for kind, value in slots() if kind == "KEEP"})


def published_text(out: Path) -> dict[str, str]:
    """Every file of a built folder as text: Parquet files as their rows in JSON."""
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".parquet":
            texts[rel] = json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False)
        else:
            texts[rel] = path.read_text(encoding="utf-8")
    return texts


def leaks(texts: dict[str, str], needles: list[str]) -> list[str]:
    """Where a needle is found, in any case and spacing. A name that is also a common word ("Hope")
    is looked for only as a name is written: capitalised inside a sentence."""
    found = []
    for name, text in texts.items():
        flat = text.replace("\\n", " ").replace("\n", " ")
        for needle in needles:
            pattern = r"(?<![A-Za-z])" + re.escape(" ".join(needle.split())) + r"(?![A-Za-z])"
            if needle.lower() in WORD_NAMES:
                hit = re.search(r"(?<=[a-z,] )" + re.escape(needle.capitalize()) + r"\b", flat)
            else:
                hit = re.search(pattern, flat, re.IGNORECASE)
            if hit or (needle in text and not needle.isalpha()):  # a value with its line breaks, as planted
                found.append(f"{name}: {needle!r}")
    return found


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("privacy") / "raw"
    raw.mkdir()
    for template in sorted(FIXTURES.glob("*.txt")):
        (raw / RAW_NAMES[template.name]).write_text(render(template.read_text(), planted=True), encoding="utf-8")
    for reject in REJECTS:
        (raw / reject).write_text("nothing here is a page", encoding="utf-8")
    out = raw.parent / "out"
    build(raw, out, BuildOptions(version="1.0.0", workers=1))
    return out


def test_the_fixtures_plant_every_kind():
    kinds = Counter(kind for kind, _ in slots())
    assert set(KINDS) - {"DOCTOR"} <= set(kinds), kinds
    assert sorted(f.name for f in FIXTURES.glob("*.txt")) == sorted(
        f"{s}.txt" for s in schema.load()["properties"]["source"]["else"]["enum"]
    ), "one fixture per layout"
    assert any("\n" in value for kind, value in slots() if kind == "PATIENT"), "a name split across a line break"


def test_no_planted_identifier_reaches_any_published_file(fixture_build):
    texts = published_text(fixture_build)
    assert {"README.md", "manifest.json", "croissant.json", "rejects.jsonl"} <= set(texts)
    assert any(n.startswith("chat/") for n in texts) and any(n.startswith("data/") for n in texts)
    assert leaks(texts, planted_strings()) == []
    assert verify(fixture_build) == []


def test_the_scan_finds_what_it_looks_for(fixture_build):
    # the same scan on the raw pages finds every planted value, so a clean result above means something
    raw = {p.name: p.read_text() for p in (fixture_build.parent / "raw").iterdir()}
    raw["file names"] = "\n".join(raw)
    found = {hit.split(": ", 1)[1] for hit in leaks(raw, planted_strings())}
    assert found == {repr(s) for s in planted_strings()}


def _published(out: Path) -> dict[str, dict]:
    rows = [r for f in sorted(out.glob("data/*.parquet")) for r in pq.read_table(f).to_pylist()]
    return {r["source"]: r for r in rows}


def _expected(name: str) -> dict:
    record = parse(render((FIXTURES / name).read_text(), planted=False), name)
    record["question"]["asker"]["name"] = None
    return record


def _comparable(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("id", "provenance")}


@pytest.mark.parametrize("name", sorted(RAW_NAMES))
def test_text_around_identifiers_is_unchanged(fixture_build, name):
    published = _published(fixture_build)[name.removesuffix(".txt")]
    expected = _expected(name)
    assert _comparable(published) == _comparable(expected)
    assert "[DOCTOR]" not in json.dumps(published)  # doctors kept (the authors are compared above)
    for medical in (
        "170/101 mmHg",
        "65 mg",
        "5.6%",
        "10,000 steps",
        "2021/02/27",
        "83 mg/dL",
        "150-160",
        "2019-2020",
        "0.05% clobetasone",
        "https://www.example-health.org/handouts/rash-care.pdf",
    ):
        raw = render((FIXTURES / name).read_text(), planted=True)
        if medical in raw:
            assert medical in json.dumps(published, ensure_ascii=False), medical


def test_every_medical_string_in_the_fixtures_survives(fixture_build):
    data = "".join(t for n, t in published_text(fixture_build).items() if n.startswith(("data/", "chat/")))
    flat = data.replace("\\n", " ")
    assert [k for k in kept_strings() if " ".join(k.split()) not in flat] == []
    assert len(kept_strings()) >= 30


def test_provenance_and_rejects_lose_the_names_and_contacts_in_file_names(fixture_build):
    published = _published(fixture_build)
    assert {source: r["provenance"]["file"] for source, r in published.items()} == PUBLISHED_NAMES
    rejects = [json.loads(line) for line in (fixture_build / "rejects.jsonl").read_text().splitlines()]
    assert sorted(r["file"] for r in rejects) == sorted(REJECTS.values())  # "mail-…@….com.txt": an address


def test_manifest_and_card_count_what_was_replaced(fixture_build):
    manifest = json.loads((fixture_build / "manifest.json").read_text())
    section = manifest["privacy"]
    # what the published records hold: every slot, a doctor's questions copied into follow_ups once
    # more, and the patient's name in the doctorqna file's name
    expected = json.dumps([_expected(name) for name in RAW_NAMES])
    planted = Counter({kind: expected.count(placeholder(kind)) for kind in KINDS})
    for published_name in PUBLISHED_NAMES.values():  # the names and contacts in file names
        planted.update(re.findall(r"\[([A-Z]+)\]", published_name))
    assert section["replaced"] == {kind: planted.get(kind, 0) for kind in KINDS}
    assert section["asker_names_dropped"] == 1
    assert (section["enabled"], section["name"], section["redact_doctors"]) == (True, "medqa-deid", False)
    card = (fixture_build / "README.md").read_text()
    for kind in KINDS:
        assert re.search(rf"\| `\[{kind}\]` \| .* \| {planted.get(kind, 0)} \|", card), kind
    # per rule: every rule has a row with its count; a kind only one rule writes is counted by it alone
    by_rule = section["replaced_by_rule"]
    assert list(by_rule) == [rule.name for rule in RULES]
    assert by_rule["date-personal"] == planted["DATE"] == 4
    assert by_rule["address-polish"] == 2 and by_rule["relation"] >= 8 and by_rule["phone-libphonenumber"] >= 3
    for rule in RULES:
        assert re.search(rf"^\| {rule.name} \| `\[{rule.kind}\]` \| .* \| {by_rule[rule.name]} \|$", card, re.M), rule
    assert "`medqa-deid` version 3, built on the HIPAA Safe Harbor list" in card
    assert "**Kept on purpose.**" in card and "`question.date`" in card and "**Known limits.**" in card


def test_redact_doctors_replaces_every_doctor_name(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for template in sorted(FIXTURES.glob("*.txt")):
        (raw / template.name).write_text(render(template.read_text(), planted=True), encoding="utf-8")
    out = tmp_path / "out"
    build(raw, out, BuildOptions(redact_doctors=True, workers=1))
    texts = {k: v for k, v in published_text(out).items() if k.endswith(".parquet")}
    doctors = ["Lin Boyu", "Meera Iyer", "Ho Jiaming", "Dr. Lin", "Hana Okoye", "Rahul Verma", "Omar Farouk"]
    assert leaks(texts, doctors) == []
    assert leaks(texts, planted_strings()) == []
    records = _published(out)
    assert {a["author"] for r in records.values() for a in r["answers"]} - {None} == {"[DOCTOR]"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["privacy"]["redact_doctors"] and manifest["privacy"]["replaced"]["DOCTOR"] >= 4
    assert "replaced by `[DOCTOR]`" in (out / "README.md").read_text()
    assert verify(out) == []


# --- the step on its own ---------------------------------------------------------------------


def _record(question: str, answers: list[str], asker: str | None = None, authors: list[str] | None = None) -> dict:
    record = schema.blank()
    record.update(id="doctorqna-0000000000000000", source="doctorqna", title="A question", complete=True)
    record["question"]["text"] = question
    record["question"]["asker"].update(name=asker, age_range="30-39", sex="female")
    for k, text in enumerate(answers):
        answer = schema.blank_item("answers")
        answer.update(text=text, author=(authors or ["Dr. Wen Lihua"] * len(answers))[k])
        record["answers"].append(answer)
    record["provenance"].update(file="p.txt", line=1, sha256="0" * 64, parser="doctorqna/2")
    return record


MEDICAL = [
    "My blood pressure was 170/101 mmHg and 140/90 at night.",
    "HbA1c 5.61%, fasting glucose 83 mg/dL, 65 mg twice a day, 0.5 mg at 08:30.",
    "Take PrEP 2+1+1; the effect lasts 4 to 6 months; readings 150-160 in 2019-2020.",
    "Asked 2016/09/07, answered 2016-09-08; platelets 150000-450000 /uL; 10,000 steps.",
    "Call 119 in an emergency; 1 in 1000 people; a 3 way catheter; doses 120 130 140 150 mg.",
    "See the handout https://preprx.ucsf.edu/sites/g/files/tkssra2846/f/PrEP-OI%202-1-1%20handout.pdf today.",
    "Hello and welcome to the service. Hello, this is often harmless, but see a clinic.",
    "Dear netizens: to summarize, rest. Hello Doctor: I hope so. Hi everyone, thanks.",
    "I am Type 2 diabetic. This is Crohn's disease, it's IBS. I'm 45. My husband has gout and my son is 6.",
    "Platelets 250000, WBC 11000 cells/uL, INR 2.5, Hb 9.8 g/dL, B12 180 pg/mL, ECG done on 12/03/2021.",
    "Born with a hole in the heart in 2001; look at the rash at night, meet at 5 pm; the Parkinson family of drugs.",
    "Metformin 500 mg 1-0-1, insulin 10 units at 22:00, CD4 count 350, viral load 40000 copies/mL, 1 in 100000.",
]


@pytest.mark.parametrize("text", MEDICAL)
def test_medical_content_is_not_touched(text):
    result = deidentify(_record(text, [text]))
    assert result.record["question"]["text"] == text and result.record["answers"][0]["text"] == text
    assert sum(v for k, v in result.by_kind.items() if k != "asker_name") == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mail me: a.b+c@mail.example.com.", "Mail me: [EMAIL]."),
        ("or lin(at)example(dot)org please", "or [EMAIL] please"),
        ("Call 02-2345-6789 or +1 (555) 123-4567 or 1-800-555-0199.", "Call [PHONE] or [PHONE] or [PHONE]."),
        ("Mobile: 0912 345 678, tel 9845012345", "Mobile: [PHONE], tel [PHONE]"),
        ("ID A123456789, SSN 123-45-6789, Aadhaar 234567890123", "ID [ID], SSN [ID], Aadhaar [ID]"),
        ("MRN: 00123456 and case no. 2020-7781.", "MRN: [MRN] and case no. [MRN]."),
        ("I live at 12 Oak Street, Springfield, IL 62704 now.", "I live at [ADDRESS] now."),
        ("see https://x.example.org/p?email=a%40b.com&x=1, or www.example.org/users/lin", "see [URL], or [URL]"),
        ("https://x.example.org/article/54561 stays", "https://x.example.org/article/54561 stays"),
    ],
)
def test_typed_identifiers(text, expected):
    assert deidentify(_record(text, ["ok"])).record["question"]["text"] == expected


@pytest.mark.parametrize(
    "asker, text, expected",
    [
        (
            "Lin Meihua",
            "I am Lin\nMeihua, or Meihua Lin, or LIN-MEIHUA, or linmeihua.",
            "I am [PATIENT], or [PATIENT], or [PATIENT], or [PATIENT].",
        ),
        ("Ms. Tsai", "Hello Ms.\nTsai: rest. Tsai should rest.", "Hello Ms.\n[PATIENT]: rest. [PATIENT] should rest."),
        ("yoyo", "Hello yoyo, rest. Yoyo, rest.", "Hello [PATIENT], rest. [PATIENT], rest."),
        ("Hope", "Hope this helps, and I hope you rest, Hope.", "Hope this helps, and I hope you rest, [PATIENT]."),
        ("Niming", "Hello Niming, NIMING should rest.", "Hello [PATIENT], [PATIENT] should rest."),
        (None, "Dear Anjali:\nrest, Anjali.", "Dear [PATIENT]:\nrest, [PATIENT]."),
        (None, "Hello Mr.\nArun Rao: rest.", "Hello Mr.\n[PATIENT]: rest."),
    ],
)
def test_patient_names_and_their_variants(asker, text, expected):
    result = deidentify(_record("Hello Dr. Wen: a question.", [text], asker=asker))
    assert result.record["answers"][0]["text"] == expected
    assert result.record["question"]["asker"]["name"] is None
    assert result.record["question"]["text"] == "Hello Dr. Wen: a question."


def test_doctors_are_kept_unless_redacted_and_never_taken_for_patients():
    record = _record(
        "Hello Dr. Chen: my name is Chen Li.",
        ["Hello Ms. Chen: see Dr. Chen Taicheng. I am Dr Wen Lihua."],
        asker="Ms. Chen",
        authors=["Dr. Chen Taicheng"],
    )
    kept = deidentify(record).record
    assert kept["question"]["text"] == "Hello Dr. Chen: my name is [PATIENT]."
    assert kept["answers"][0]["text"] == "Hello Ms. [PATIENT]: see Dr. Chen Taicheng. I am Dr Wen Lihua."
    assert kept["answers"][0]["author"] == "Dr. Chen Taicheng"
    redacted = deidentify(record, Policy(redact_doctors=True))
    assert redacted.record["answers"][0]["text"] == "Hello Ms. [PATIENT]: see [DOCTOR]. I am [DOCTOR]."
    assert redacted.record["answers"][0]["author"] == "[DOCTOR]" and redacted.by_kind["DOCTOR"] == 4


def test_the_compiled_names_rules_answer_as_the_step_asks():
    """The core's names rules (rust/src/privacy/) as the step and the typed part call them."""
    from medqa_ds import _core

    names = _core.Names(["Lin Meihua"], ["Lan"], ["Dr. Lan Shengxing"], {"salutation"})
    assert names.is_doctor("shengxing LAN") and not names.is_doctor("Lin")
    assert names.patients_search("x linmeihua y") and not names.patients_search("Lan")
    assert _core.deid_supplied("Dear Lan:\nmy son Ethan", set()) == [("salutation", "Lan"), ("relation", "Ethan")]
    assert _core.deid_supplied("Dear Lan:\nmy son Ethan", {"relation"}) == [("salutation", "Lan")]
    # only the rules whose sites supplied a name run again: "relation" is not among them here
    text, counts = _core.deid_people("Dear Ann: my son Ethan, Lin Meihua", names, set(), False)
    assert text == "Dear [PATIENT]: my son Ethan, [PATIENT]"
    assert counts == [("PATIENT", 2), ("rule:salutation", 1), ("rule:name-recurs", 1)]
    # one name in parts is one replacement: the merge takes from PATIENT, as Python's Counter did
    assert _core.deid_people("Meihua [PATIENT]", names, set(), False)[1] == [
        ("PATIENT", 0),
        ("rule:name-recurs", 1),
    ]
    assert _core.deid_beside("[PATIENT] Khan, [PATIENT] Shengxing", names) == ["Khan"]
    assert len(_core.NAME_SITE_RULES) == 6 and set(_core.NAME_SITE_RULES) <= {rule.name for rule in RULES}


def test_a_text_holding_a_doctor_mask_of_its_own_fails_as_it_did():
    """Doctors' names are masked as \\ue000n\\ue001 while patients' are replaced; a page that holds
    such a mark with no mask of that number raised IndexError in Python, and still does."""
    from medqa_ds import _core

    names = _core.Names([], [], [])
    assert _core.deid_people("Dr. Wu \ue0000\ue001", names, set(), False)[0] == "Dr. Wu Dr. Wu"
    with pytest.raises(IndexError):
        _core.deid_people("Dr. Wu \ue0007\ue001", names, set(), False)


def test_the_input_record_is_not_changed_and_counts_are_by_kind_and_field():
    record = _record("Mail a@b.example.com, phone 0912-345-678.", ["Dear Lin Mei: rest."], asker="Lin Mei")
    before = json.dumps(record)
    result = deidentify(record)
    assert json.dumps(record) == before
    assert dict(result.by_kind) == {
        "EMAIL": 1,
        "PHONE": 1,
        "PATIENT": 1,
        "asker_name": 1,  # and by rule:
        "rule:email": 1,
        "rule:phone-labelled": 1,
        "rule:salutation": 1,
    }
    assert dict(result.by_field) == {"question": 2, "answers": 1}


def test_texts_are_cleaned_together_yet_counted_by_field_also_when_they_hold_placeholders_already():
    """The slots of a record are cleaned in one joined pass; a text that already holds a placeholder
    or the joining character is counted exactly all the same."""
    record = _record("Mail a@b.example.com [EMAIL] now.", ["Dear Lin Mei: call 0912-345-678.", "Bye."], asker="Lin Mei")
    joined = deidentify(record)
    assert joined.record["question"]["text"] == "Mail [EMAIL] [EMAIL] now."
    assert joined.record["answers"][0]["text"] == "Dear [PATIENT]: call [PHONE]."
    assert dict(joined.by_field) == {"question": 1, "answers": 2}
    record["answers"][1]["text"] = "Bye\x00 Lin Mei."
    apart = deidentify(record)
    assert apart.record["answers"][1]["text"] == "Bye\x00 [PATIENT]."
    assert dict(apart.by_field) == {"question": 1, "answers": 3}
    assert {k: v for k, v in apart.by_kind.items() if k in KINDS} == {"EMAIL": 1, "PHONE": 1, "PATIENT": 2}


# The typed step as the all-Python one (main at 6f5b203, policy 2) published these, found by
# benchmarks/deid_diff.py --part typed (0 differences on its texts); each holds a lookaround,
# backreference or case fold the compiled step emulates; the two marked policy 3 hold labels and
# openings Python's fast forms never matched, which policy 3 replaces.
_TYPED_AS_PYTHON = [
    (
        "MRN is1234x; MRNis 12345; chart #is 12345; chart # 12345",
        "MRN is[MRN]; MRNis 12345; chart #is [MRN]; chart # 12345",
    ),
    ("medical record # 12345, MRN: abcde٣ x", "medical record # [MRN], MRN: [MRN]٣ x"),
    # policy 3: labels the Python step's fast form never matched (sources/CHANGELOG.md, medqa-deid 3)
    ("CNIC 34201-0891231 mg-8, lab no A1234567, İD: A1234567", "CNIC [ID] mg-8, lab no [MRN], İD: [ID]"),
    ("dıed on Apr. 3rd, 2001; DOB 04/09/19723; born 9 OF may", "dıed on [DATE] 2001; DOB 04/09/19723; born 9 OF may"),
    ("02-2345.6789 or 555-123-4567.5 or 555-123-4567. x", "[PHONE] or [PHONE] or [PHONE]. x"),
    ("tel23-45-678, tel: 23-45-678", "tel23-45-678, tel: [PHONE]"),
    ("x 2345 6789 0123 y, x 1234 5678-9012", "x [ID] y, x 1234 5678-9012"),
    ("write meihua AT gmail dot com, €%a@b.co", "write [EMAIL], €[EMAIL]"),
    ("12345678 µG, 12345678 gx, www.x.org/Users/lin.", "12345678 µG, [PHONE] gx, [URL]."),
    # policy 3: addresses open at "Door" and "pl." too (the Python fast forms never did)
    (
        "Door 5, Main Street; pl. Zamkowy 1; ul. Długa 5/3, 00-950 Warszawa Wola.",
        "[ADDRESS]; [ADDRESS]; [ADDRESS].",
    ),
    (
        "1 Elm St 12345.6 or 1 Elm St, Ab-c1 or 1 Elm St, Dover., Kent",
        "[ADDRESS] 12345.6 or [ADDRESS]c1 or [ADDRESS]",
    ),
    ("3F., No. 12-1, Lane 5, Sec. 2, Minsheng E. Rd., Taipei City 106", "[ADDRESS]"),
    (
        "No. 12, Lane 5, Lane Road; Flat 2, Rose Court, Hill Road London SW1A 1AA",
        "[ADDRESS]; [ADDRESS] London SW1A 1AA",
    ),
    ("P.O. Box 12, Nairobi; 221B Baker St NW, Apt 4B, London NW1 6XE", "[ADDRESS]; [ADDRESS]"),
    (
        "12 Oak Stx, 12\tOak\tStreet,\tSpringfield, IL 62704-1234/5; ٣ Oak Street",
        "12 Oak Stx, [ADDRESS]-1234/5; [ADDRESS]",
    ),
]


@pytest.mark.parametrize("text, expected", _TYPED_AS_PYTHON)
def test_the_compiled_typed_step_finds_what_python_found(text, expected):
    assert _typed_text(text) == expected


def test_scrub_replaces_contacts_in_texts_of_no_record():
    assert scrub("duplicate of call 0912-345-678.txt by a@b.example.com") == "duplicate of call [PHONE].txt by [EMAIL]"


# --- turning it off, and the command line ----------------------------------------------------


def test_a_build_without_privacy_says_so_loudly_and_release_refuses_it(write_raw, tmp_path):
    from medqa_ds.release.publish import prepare

    raw = write_raw(2)
    out = tmp_path / "out"
    build(raw, out, BuildOptions(privacy=False, workers=1))
    card = (out / "README.md").read_text()
    assert "WARNING: this folder was built with de-identification turned off" in card.split("## Loading")[0]
    assert json.loads((out / "manifest.json").read_text())["privacy"]["enabled"] is False
    names = [r["question"]["asker"]["name"] for f in out.glob("data/*.parquet") for r in pq.read_table(f).to_pylist()]
    assert any(names)
    with pytest.raises(UsageError, match="must be de-identified"):
        prepare(None, raw, "org/name", "1.0.0", tmp_path / "work", BuildOptions(privacy=False))


def test_cli_flags(write_raw, tmp_path):
    raw = write_raw(1)
    for flags, doctors, enabled in ((["--redact-doctors"], True, True), (["--no-privacy"], False, False)):
        out = tmp_path / "-".join(flags)
        done = run_cli("build", raw, "--out", out, *flags)
        assert done.returncode == 0, done.stderr
        section = json.loads((out / "manifest.json").read_text())["privacy"]
        assert (section.get("redact_doctors", False), section["enabled"]) == (doctors, enabled)
    helped = run_cli("release", "--help")
    assert "--redact-doctors" in helped.stdout and "--no-privacy" not in helped.stdout


# --- each rule on its own examples, and with it switched off --------------------------------------


_DEFAULT_POLICY = Policy()


def _by_rule(text: str, rule: Rule, policy: Policy = _DEFAULT_POLICY) -> tuple[str, str]:
    """A rule's example as a record's question and answer (the question also in the title), de-identified."""
    record = _record(text, [text], asker=rule.asker)
    out = deidentify(record, policy).record
    return out["question"]["text"], out["answers"][0]["text"]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_each_rule_replaces_its_examples_and_keeps_its_near_misses(rule):
    for text, expected in rule.replaces:
        assert _by_rule(text, rule) == (expected, expected), text
    for text in rule.keeps:  # the rule changes nothing there
        assert _by_rule(text, rule) == _by_rule(text, rule, Policy(off=frozenset({rule.name}))), text


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_each_rule_is_needed_by_its_examples(rule):
    """Switched off, the rule's examples come out otherwise: no other rule does its work."""
    off = Policy(off=frozenset({rule.name}))
    assert rule.replaces and any(_by_rule(text, rule, off) != (want, want) for text, want in rule.replaces)


def test_every_rule_the_step_applies_is_in_the_catalogue_and_counted():
    import inspect

    from medqa_ds.pipeline import privacy

    # the names rules and the step are compiled: their Rust source names the rules it checks and counts
    compiled = "".join(
        (ROOT / "rust" / "src" / "privacy" / name).read_text(encoding="utf-8") for name in ("names.rs", "step.rs")
    )
    source = inspect.getsource(privacy) + compiled
    used = set(re.findall(r'uses\("([a-z-]+)"\)', source)) | set(re.findall(r'sub\("([a-z-]+)"', source))
    used |= set(privacy.NAME_SITE_RULES) | set(re.findall(r'"rule:([a-z-]+)"', source))
    used |= set(_core.deid_typed_rules())  # the typed identifiers' rules are the compiled core's
    assert used == {rule.name for rule in RULES}
    assert len({rule.name for rule in RULES}) == len(RULES)
    assert all(rule.kind in KINDS for rule in RULES)


def test_switching_the_labelled_phone_rule_off_publishes_the_number():
    text = "WhatsApp 765 4321, tel: 23-45-678"
    assert deidentify(_record(text, ["ok"])).record["question"]["text"] == "WhatsApp [PHONE], tel: [PHONE]"
    off = deidentify(_record(text, ["ok"]), Policy(off=frozenset({"phone-labelled"})))
    assert off.record["question"]["text"] == text


def test_file_names_are_read_with_separators():
    record = _record("q", ["a"], asker="John Smith")
    record["provenance"]["file"] = "saved_by_john.smith_0912-111-222.txt"
    assert deidentify(record).record["provenance"]["file"] == "saved_by_[PATIENT]_[PHONE].txt"
    assert scrub("notes_raj.k@example.com_98450 12345.txt") == "notes_[EMAIL]_[PHONE].txt"


def test_a_page_url_is_de_identified_on_its_own_and_counted():
    """A crawl's URL can name the asker or hold a contact: it is replaced like any text, counted under
    provenance, and cleaned apart from the record's text (whose link and number patterns it would
    otherwise set off over the whole record), with the same outcome as a record without it."""
    raw = SLOT.sub(lambda m: m.group(2), (FIXTURES / "doctorqna.txt").read_text(encoding="utf-8"))
    record = parse(raw, filename="x.txt")
    plain = deidentify(record)
    record["provenance"]["url"] = "https://site.example/q/qiu-yanling?mail=qiu.yanling@example.com"
    with_url = deidentify(record)
    assert with_url.record["provenance"]["url"] == "[URL]"
    assert with_url.by_field["provenance"] == plain.by_field["provenance"] + 1
    without = {k: v for k, v in with_url.record.items() if k != "provenance"}
    assert without == {k: v for k, v in plain.record.items() if k != "provenance"}


def test_past_the_check_budget_a_phone_shaped_number_is_replaced_unchecked(monkeypatch):
    """libphonenumber checks a text's first PHONE_CHECKS candidates (a page of random digits holds
    100,000s, ~50 µs each); past them a number of phone shape is replaced without the check, so the
    bound never publishes a number. Dates and measurements stay what they are."""
    from medqa_ds.pipeline import identifiers

    text = "Pain since 2019-03-04, took 12345678 mg. Code 0000 0000 here."
    assert "0000 0000" in _typed_text(text)  # not a valid number anywhere: kept when checked
    monkeypatch.setattr(identifiers, "PHONE_CHECKS", 0)
    published = _typed_text(text)
    assert "0000 0000" not in published and "[PHONE]" in published
    assert "2019-03-04" in published and "12345678 mg" in published


def _typed_text(text: str) -> str:
    """The text with the typed identifiers replaced, as the step does it (no names known)."""
    from medqa_ds.pipeline import identifiers

    return _core.deid_typed(
        text, frozenset(), identifiers.PHONE_CHECKS, identifiers.is_phone, identifiers.CHECKSUMS, None
    )[0]


def test_a_duplicates_reject_keeps_the_id_of_the_capture_kept_and_loses_contacts():
    # the id is the maintainer's handle on the kept record; after "id" the identity-number rule
    # would replace it, as it replaces a real number in the same reason
    line = scrub_reject(
        {
            "file": "call_0300-1234567_saved.txt",
            "line": None,
            "reason": "duplicate: same page as a.txt (id askthedoctor-b0449ba060e4c6aa), which is the more "
            "complete capture; passport no. X1234567",
        }
    )
    assert line == {
        "file": "call_[PHONE]_saved.txt",
        "line": None,
        "reason": "duplicate: same page as a.txt (id askthedoctor-b0449ba060e4c6aa), which is the more "
        "complete capture; passport no. [ID]",
    }
