"""The same asker re-asking the same doctor within a week joins one near-duplicate group, whatever the
wording; a month later, another asker or another doctor does not (medqa_ds/pipeline/same_asker.py)."""

from __future__ import annotations

import copy
import hashlib
import pickle
import random
from datetime import date

import numpy as np
import pytest

from medqa_ds import _core, parse
from medqa_ds.folder import records
from medqa_ds.pipeline import BuildOptions, build, neardup, same_asker
from medqa_ds.pipeline.build import chunk_tasks
from medqa_ds.pipeline.chunk import process_chunk
from medqa_ds.pipeline.split import SplitSpec

from pages import doctorqna_page

# Two translations of one invented question: almost no word 3-gram in common.
FIRST = (
    "Small grey dots under my left eyelid (no pain)?",
    [
        "Hi, there are four tiny grey dots just under my left lower eyelid.",
        "They do not hurt or itch, and washing with warm water does not change them.",
        "Something like this came up in spring and faded within a week.",
        "What might these be?",
    ],
)
AGAIN = (
    "Left lower lid shows grey specks, painless, what are they?",
    [
        "Doctor, good evening, a question please.",
        "Since the day before yesterday, beneath the lower lid of the left eye, "
        "a few specks the colour of ash appeared.",
        "Rubbing gently with a fingertip removes nothing, and a compress at bedtime was useless too.",
        "Back in April the same thing happened and it cleared on its own.",
        "Kindly explain the condition, many thanks.",
    ],
)


def page(
    question: tuple[str, list[str]],
    who: str = "Ollo, 30~39 year old male",
    asked: str = "2020/03/10",
    doctor: str = "Dr. Pell Varga",
) -> str:
    """A compact doctorqna page of an invented question."""
    title, body = question
    return "\n".join(
        [
            title,
            "Hello Dr.",
            *body,
            f"{who}. Ask Date: {asked}",
            f"{doctor} reply Ophthalmology",
            "Hello: please have the lid examined in person if the dots stay.",
            "Wishing you well.",
            f"Reply Date: {asked}",
        ]
    )


def grouped(*pages: str) -> list[list[int]]:
    """Groups of two or more, as page numbers, of the pages parsed as the build parses them."""
    parsed = [parse(p, f"p{k}.txt") for k, p in enumerate(pages)]
    number = {r["id"]: k for k, r in enumerate(parsed)}
    return [sorted(number[i] for i in g) for g in neardup.near_duplicate_groups(parsed) if len(g) > 1]


def test_the_two_wordings_are_far_apart_for_minhash():
    a, b = (parse(page(q), "x.txt") for q in (FIRST, AGAIN))
    assert not neardup.similar(neardup.signature(a), neardup.signature(b))
    assert a["question"]["asker"] == b["question"]["asker"] == {"name": "Ollo", "age_range": "30-39", "sex": "male"}


def test_the_same_asker_a_day_later_joins_one_group_and_split(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(20):
        (raw / f"dq_{n:02d}.txt").write_text(doctorqna_page(n))
    (raw / "eyelid_a.txt").write_text(page(FIRST, asked="2020/03/10"))
    (raw / "eyelid_b.txt").write_text(page(AGAIN, asked="2020/03/11"))
    ids = [parse(page(FIRST), "a")["id"], parse(page(AGAIN, asked="2020/03/11"), "b")["id"]]
    spec = SplitSpec({"train": 0.5, "test": 0.5}, salt="test-salt")
    assert spec.assign(ids[0]) != spec.assign(ids[1])  # on their own hashes they would part
    result = build(raw, tmp_path / "out", BuildOptions(splits=spec))
    near = result.manifest["near_duplicates"]
    assert (near["groups_with_several_records"], near["records_in_those_groups"]) == (1, 2)
    assert near["records_joined_by_same_asker"] == 2
    split = {
        r["provenance"]["file"]: name for name in spec.ratios for r in records(result.out, name, columns=["provenance"])
    }
    assert split["eyelid_a.txt"] == split["eyelid_b.txt"] == spec.assign(min(ids))


@pytest.mark.parametrize(
    "change",
    [
        {"asked": "2020/04/09"},  # 30 days later
        {"who": "Brisa, 30~39 year old male"},  # another asker
        {"who": "Ollo, 40~49 year old male"},  # another age bucket
        {"who": "Ollo, 30~39 year old female"},  # another sex
        {"doctor": "Dr. Ines Korhonen"},  # another doctor
    ],
)
def test_a_month_later_or_another_asker_or_doctor_does_not_join(change):
    assert grouped(page(FIRST), page(AGAIN, **{"asked": "2020/03/11", **change})) == []


def test_seven_days_apart_joins_eight_does_not():
    assert grouped(page(FIRST), page(AGAIN, asked="2020/03/17")) == [[0, 1]]
    assert grouped(page(FIRST), page(AGAIN, asked="2020/03/18")) == []


def test_no_name_no_date_or_an_anonymous_name_never_joins():
    for who in ("30~39 year old male", "Niming, 30~39 year old male", "anonymous, 30~39 year old male"):
        assert grouped(page(FIRST, who=who), page(AGAIN, who=who)) == [], who
    undated = [page(q).replace("Ask Date: 2020/03/10", "Ask Date:") for q in (FIRST, AGAIN)]
    assert parse(undated[0], "a")["question"]["date"] is None
    assert grouped(*undated) == []


def test_other_sources_never_share_a_key():
    record = parse(page(FIRST), "a")
    other = {**record, "source": "x_elsewhere"}
    assert same_asker.key(record)[0] != same_asker.key(other)[0]
    assert same_asker.key(record)[1] == same_asker.key(other)[1]


def test_askers_within_the_window_of_one_another_chain_into_one_group():
    """Joining sorted neighbours gives the groups of "within a week of another": day 0, 6 and 12."""
    pages = [page(FIRST), page(AGAIN, asked="2020/03/16"), page(FIRST, asked="2020/03/22").replace("four", "five")]
    assert grouped(*pages) == [[0, 1, 2]]


def test_pairs_sort_by_identity_then_day():
    identity = np.array([5, 9, 5, 5, 9, 0], dtype=np.uint64)
    day = np.array([100, 100, 120, 104, 108, same_asker.NO_DAY], dtype=np.int32)
    assert same_asker.pairs(identity, day).tolist() == [[0, 3]]


def test_the_asker_name_is_hashed_never_spilled(tmp_path):
    raw, spill = tmp_path / "raw", tmp_path / "spill"
    raw.mkdir(), spill.mkdir()
    (raw / "a.txt").write_text(page(FIRST, who="Zorvath, 30~39 year old male"))
    (raw / "b.txt").write_text(page(AGAIN, who="Zorvath, 30~39 year old male", asked="2020/03/12"))
    (task,) = chunk_tasks(raw, spill, BuildOptions())
    result = process_chunk(task)
    assert result.asker_hash[0] == result.asker_hash[1] != 0
    assert result.asker_day.tolist() == [date(2020, 3, 10).toordinal(), date(2020, 3, 12).toordinal()]
    assert b"Zorvath" not in pickle.dumps(result)  # what a cluster's tasks write for the finishing step
    for path in spill.glob("*.npy"):
        assert b"Zorvath" not in path.read_bytes(), path.name


def test_any_number_of_workers_and_chunk_size_gives_the_same_groups(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(12):
        (raw / f"dq_{n:02d}.txt").write_text(doctorqna_page(n))
    for k, asked in enumerate(["2020/03/10", "2020/03/14", "2020/03/19", "2020/06/01"]):  # a chain of 3, a loner
        (raw / f"z{k}_eyelid.txt").write_text(page((FIRST, AGAIN)[k % 2], asked=asked).replace("four", f"{k} or so"))
    outs = [
        build(raw, tmp_path / f"o{k}", BuildOptions(workers=w, chunk_files=c))
        for k, (w, c) in enumerate([(1, 1000), (2, 3), (1, 1)])
    ]
    assert outs[0].manifest["near_duplicates"]["records_joined_by_same_asker"] == 3
    first = {p.relative_to(outs[0].out): p.read_bytes() for p in outs[0].out.rglob("*") if p.is_file()}
    for other in outs[1:]:
        assert {p.relative_to(other.out): p.read_bytes() for p in other.out.rglob("*") if p.is_file()} == first


def test_the_cores_casefold_is_pythons_for_every_code_point():
    """The core folds from a table generated out of Python's unicodedata (rust/tools/gen_casefold.py):
    every code point but the surrogates folds as ``str.casefold()`` folds it, alone and in a run."""
    chars = [chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
    wrong = [c for c in chars if _core.casefold(c) != c.casefold()]
    assert wrong == []
    text = "".join(chars)
    assert _core.casefold(text) == text.casefold()
    assert _core.casefold("Straße ﬁ ΣΑΣ ς İ") == "strasse fi σασ σ i\u0307"


def _python_day(text: str) -> int | None:
    try:
        return date.fromisoformat(text).toordinal()
    except ValueError:
        return None


def _iso_strings() -> list[str]:
    """Dates in every form Python 3.11's ``date.fromisoformat`` knows, and near misses of them."""
    texts = []
    for year in ("0000", "0001", "0004", "1900", "2000", "2004", "2015", "2020", "2021", "2024", "9998", "9999"):
        for week in (0, 1, 2, 9, 10, 51, 52, 53, 54, 99):
            for day in ("", "0", "1", "5", "7", "8", "9", "x"):
                texts += [f"{year}-W{week:02d}{'-' if day else ''}{day}", f"{year}W{week:02d}{day}"]
                texts += [f"{year}W{week:02d}-{day}", f"{year}-W{week:02d}{day}", f"{year}-w{week:02d}"]
        for month in (0, 1, 2, 4, 12, 13):
            for day in (0, 1, 28, 29, 30, 31, 32):
                texts += [
                    f"{year}-{month:02d}-{day:02d}",
                    f"{year}{month:02d}{day:02d}",
                    f"{year}-{month:02d}{day:02d}",
                ]
                texts += [
                    f"{year}{month:02d}-{day:02d}",
                    f"{year}{month:02d}{day:02d}xy",
                    f"{year}{month:02d}{day:02d}é",
                ]
    texts += ["", "2024", "2024-01", "2024-1-1", " 2024-01-01", "2024-01-01 ", "2024-01-01T00", "２０２４-01-01"]
    texts += ["2024-01-0\x00", "2024-W01\x00\x00", "2024W01\x00", "+2024-01-01", "2024/01/01", "2024-01-01Z"]
    rng = random.Random(7)
    alphabet = "0123456789-W-W0123 é\x00x/"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.choice((7, 8, 9, 10)))) for _ in range(20_000)]
    texts += [f"{rng.randrange(10000):04d}{rng.choice(['', '-'])}W{rng.randrange(60):02d}" for _ in range(2_000)]
    return texts


def test_the_cores_fromisoformat_is_python_311s():
    """Week dates, basic dates, the unchecked tail (3.11 reads a 10-byte string's first 8 as a basic
    date: "2024010112" is 2024-01-01), and every refusal."""
    wrong = [
        (t, _core.iso_ordinal(t), _python_day(t)) for t in _iso_strings() if _core.iso_ordinal(t) != _python_day(t)
    ]
    assert wrong == []
    assert _core.iso_ordinal("2024-W01-1") == _core.iso_ordinal("2024010112") == date(2024, 1, 1).toordinal()


def _python_key(record: dict) -> tuple[int, int]:
    """same_asker.key as Python computed it before the core did (the reference)."""

    def norm(text):
        return " ".join((text or "").split()).casefold()

    question = record["question"]
    asker, answers = question["asker"], record["answers"]
    name, doctor = norm(asker["name"]), norm(answers[0]["author"] if answers else None)
    if not name or name in same_asker.ANONYMOUS or not doctor or not question["date"]:
        return 0, same_asker.NO_DAY
    day = _python_day(question["date"])
    if day is None:
        return 0, same_asker.NO_DAY
    identity = "\x1f".join([record["source"], name, norm(asker["age_range"]), norm(asker["sex"]), doctor])
    digest = hashlib.blake2b(identity.encode(), digest_size=8, person=b"medqa-asker").digest()
    return int.from_bytes(digest, "little"), day


def test_keys_are_those_python_computed():
    """Names with Python's own whitespace (U+001C..U+001F, U+3000…), case folding beyond lower case,
    anonymous names in any case, empty and refused dates."""
    record = parse(page(FIRST), "a")
    rng = random.Random(3)
    names = [None, "", " ", "Ollo", "OLLO", "Groß\u001fAna", "GROSS ana", "ＮＩＭＩＮＧ", "NIMING", "Anon", "匿名",
             "ΣΑΣ", "σας", "ﬁne", "Ko\u3000 Ra", "x\u0085y", "İz"]  # fmt: skip
    dates = [None, "", "2020-03-10", "20200310", "2020-W11-2", "2020-02-30", "2020-03-1012", "10/03/2020"]
    for _ in range(400):
        r = copy.deepcopy(record)
        r["question"]["asker"].update(name=rng.choice(names), age_range=rng.choice([None, "30-39", " 30-39 "]),
                                      sex=rng.choice([None, "Male", "male"]))  # fmt: skip
        r["question"]["date"] = rng.choice(dates)
        if rng.random() < 0.1:
            r["answers"] = []
        elif rng.random() < 0.2:
            r["answers"][0]["author"] = rng.choice(names)
        assert same_asker.key(r) == _python_key(r), r["question"]
