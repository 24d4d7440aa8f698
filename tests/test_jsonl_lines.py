"""A JSONL line is read by the core (rust/src/unit/jsonl.rs) as Python's json and datetime read it:
the same page, URL and capture date as the reading it replaced (``_reference`` below, json.loads and
``iso_datetime``) on thousands of generated lines; its fast path for dates gives what
``iso_datetime`` gives wherever it answers, and answers for the common forms."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from medqa_ds import _core
from medqa_ds.pipeline.containers import jsonl
from medqa_ds.pipeline.containers.member import Member, iso_datetime
from medqa_ds.pipeline.outcome import Reject

ASKED = "asked"


def _reference(line: bytes) -> tuple[bytes, str | None, str | None] | str:
    """The line as the Python reading before the core's gave it (json.loads and these rules)."""
    try:
        row = json.loads(line)
    except ValueError as exc:
        return f"not a JSON line ({exc})"
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
        return "the line has no 'text'"
    metadata = row.get("metadata")
    meta: dict[str, Any] = metadata if isinstance(metadata, dict) else {}
    url = row.get("url", meta.get("url"))
    when = next(
        (v for v in (row.get("date"), row.get("timestamp"), meta.get("date"), meta.get("timestamp")) if v is not None),
        None,
    )
    return (
        row["text"].encode("utf-8", "surrogatepass"),
        url if isinstance(url, str) and url.strip() else None,
        iso_datetime(when),
    )


def _read(line: bytes) -> tuple[bytes, str | None, str | None] | str:
    got = jsonl._member("x.jsonl:1", line)
    return got.reason if isinstance(got, Reject) else (got.data, got.url, got.captured)


def _fast(value: Any) -> str | None:
    """The core's capture date of a line dated ``value``, ASKED where it asks Python."""
    got = _core.jsonl_member(json.dumps({"text": "t", "date": value}).encode(), jsonl.loaded, lambda _: ASKED)
    assert not isinstance(got, str)
    return got[2]


def _date_string(rng: random.Random) -> str:
    year = rng.choice([1, 5, 999, 1000, 1969, 1970, 2024, 9999, rng.randint(1, 9999), 0])
    month, day = rng.choice([1, 2, 12, 13, 0, rng.randint(1, 12)]), rng.choice([1, 28, 29, 30, 31, 32, 0])
    s = f"{year:04d}-{month:02d}-{day:02d}"
    if rng.random() < 0.8:
        s += rng.choice("T T  t_")
        s += f"{rng.choice([0, 12, 23, 24])}:{rng.choice([0, 30, 59, 60]):02d}:{rng.choice([0, 1, 59, 60, 61]):02d}"
        s = s.replace("T0:", "T00:").replace(" 0:", " 00:")
        s += rng.choice(["", "", "Z", "z", ".5", ".123456Z", ",5"])
        s += rng.choice(["", "", "+02:00", "-01:30", "+23:59", "-00:00", "+24:00", "+0200", "+05:75", "+01:00:30"])
    if rng.random() < 0.2:
        s = rng.choice([" ", "\n", "\x1c", "\u3000", "\u00a0"]) + s + rng.choice([" ", "\t", "\x1f"])
    if rng.random() < 0.05:
        s = s.replace("-", "", 2)
    return s


def _timestamp(rng: random.Random) -> float | int:
    return rng.choice(
        [
            rng.randint(-62_135_596_900, 253_402_300_900),
            rng.randint(-(2**70), 2**70),
            rng.uniform(-1e11, 1e11),
            rng.randint(0, 10**6) + rng.choice([0.4999995, 0.5000005, 0.9999995, 0.9999994, 0.0000005, -0.0000005]),
            rng.choice([-62_135_596_800, 253_402_300_799, 253_402_300_800, -62_135_596_801, 1e20, -1e20]),
        ]
    )


def test_the_fast_path_gives_what_iso_datetime_gives_wherever_it_answers():
    rng = random.Random(7)
    answered = 0
    for _ in range(6000):
        value = _date_string(rng) if rng.random() < 0.6 else _timestamp(rng)
        got = _fast(value)
        if got != ASKED:
            answered += 1
            assert got == iso_datetime(value), value
    assert answered > 2000


@pytest.mark.parametrize(
    "value",
    ["2024-05-01", "2024-05-01T12:00:00Z", "2024-05-01 12:00:00+02:00", " 2024-05-01T12:00:00 ", 1_700_000_000, 1.5e9],
)
def test_the_common_forms_are_not_asked_of_python(value):
    assert _fast(value) == iso_datetime(value) is not None


def _line(rng: random.Random) -> bytes:
    row: dict[str, Any] = {}
    if rng.random() < 0.95:
        row["text"] = rng.choice(["Q: a page", "  ", "", "\x1c", 3, None, "Dr. X — ok 🩺"])
    for key, values in (
        ("url", ["https://a/1", " ", None, 5, "u"]),
        ("date", ["2024-05-01", "20240501", None, True, 1.5, "junk", "2024-05-01T12:00:00+02:00"]),
        ("timestamp", [0, None, "1", 1e12]),
        ("metadata", [{"url": "m"}, {"date": "2020-01-01"}, {"timestamp": 5, "url": None}, [1], None]),
    ):
        if rng.random() < 0.5:
            row[key] = rng.choice(values)
    line = json.dumps(row)
    if rng.random() < 0.1:
        line = rng.choice(["[1]", '"text"', "{", line[:-1], line + " x", "nul"])
    return (line + rng.choice(["\n", "", "\r\n"])).encode()


def test_a_line_gives_what_the_python_reading_gave():
    rng = random.Random(11)
    for _ in range(3000):
        line = _line(rng)
        want, got = _reference(line), _read(line)
        if isinstance(want, str):
            assert isinstance(got, str) and got.startswith(want), (line, got)
        else:
            assert got == want, line


@pytest.mark.parametrize(
    ("line", "captured"),
    [
        (b'{"text": "t", "date": NaN}', None),
        (b'{"text": "t", "timestamp": Infinity}', None),
        (b'{"text": "t", "date": 1e400, "metadata": {"q": -Infinity}}', None),
        (b'{"text": "t", "date": "2024-05-01", "metadata": {"score": NaN}}', "2024-05-01T00:00:00Z"),
    ],
)
def test_what_strict_json_refuses_but_python_reads_is_a_page(line, captured):
    assert _read(line) == _reference(line) == (b"t", None, captured)


def test_a_lone_surrogate_is_read_as_a_replacement_character():
    # Python's json reads it into text no UTF-8 holds (then the page was refused as invalid
    # UTF-8, or a URL holding one stopped the build); now it is U+FFFD, as in the text of a field
    assert _read(b'{"text": "a\\ud800b", "url": "https://a/\\udfff"}') == (
        "a\ufffdb".encode(),
        "https://a/\ufffd",
        None,
    )


def test_a_line_that_is_no_json_is_a_reject_worded_by_python():
    want = "not a JSON line (Expecting value: line 1 column 10 (char 9)): write one JSON object a line"
    assert _read(b'{"text": ') == want
    deep = b"[" * 100_000 + b"]" * 100_000
    assert _read(deep).startswith("not a JSON line (maximum recursion depth exceeded")


def test_the_python_path_reads_lines_the_same_way():
    member = jsonl.Line("x.jsonl:3", b'{"text": "t", "url": "u", "date": "2024-05-01T14:00:00+02:00"}').member()
    assert member == Member("x.jsonl:3", b"t", "u", "2024-05-01T12:00:00Z")
