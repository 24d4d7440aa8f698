"""Bad input never crashes a build and never vanishes: each file is a reject naming the file and the reason."""

from __future__ import annotations

import json
import random
from importlib.metadata import EntryPoint
from typing import Any

import pytest

from medqa_ds import sources
from medqa_ds.pipeline import BuildOptions, build, chunk, identifiers
from medqa_ds.pipeline.read import decode, discover
from medqa_ds.sources import Source

from pages import doctorqna_page

BAD = {
    "empty.txt": b"",
    "blank.txt": b"  \n\n\t\n",
    "binary.bin": bytes(range(256)) * 4,
    "utf16.txt": "Facial twitching?\nHello".encode("utf-16"),
    "latin1.txt": "Hello Doctor,\nmy caf\xe9 habit\nis it bad?".encode("latin-1"),
    "other_site.html": b"<html><head><title>Weather</title></head><body>Sunny, 24 C.</body></html>",
    "recipe.txt": b"Pancakes\nIngredients:\n2 eggs\n1 cup flour\nMix and fry.",
    "no_answer.txt": doctorqna_page(1).split("Dr. Wen Lihua reply")[0].encode(),
}
EXPECTED = {
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "binary.bin": "binary file",
    "utf16.txt": "UTF-16",
    "latin1.txt": "invalid UTF-8",
    "other_site.html": "not a page of a known source",
    "recipe.txt": "not a page of a known source",
    "no_answer.txt": "no answer",
}


def test_each_bad_file_is_a_reject_with_its_reason_and_the_build_goes_on(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in BAD.items():
        (raw / name).write_bytes(data)
    (raw / "good.txt").write_text(doctorqna_page(2), encoding="utf-8")
    (raw / "huge.txt").write_bytes(b"x" * 50_000_000)
    result = build(raw, tmp_path / "out")
    reasons = {r.file: r.reason for r in result.rejects}
    assert set(reasons) == set(BAD) | {"huge.txt"}
    for name, expected in EXPECTED.items():
        assert expected in reasons[name], (name, reasons[name])
    assert "50.0 MB" in reasons["huge.txt"] and "--max-bytes" in reasons["huge.txt"]
    acc = result.manifest["accounting"]
    assert (acc["files_seen"], acc["records"], acc["rejects"], acc["balanced"]) == (10, 1, 9, True)
    lines = [json.loads(l) for l in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert [l["file"] for l in lines] == sorted(reasons)


def test_invalid_utf8_names_the_line():
    reject = decode("x.txt", b"line one\nline two\nbad \xff byte\n")
    assert reject.line == 3 and "byte 22" in reject.reason
    assert str(reject).startswith("x.txt:3: invalid UTF-8")


def _python_decode(data: bytes) -> str | tuple[str, int | None]:
    """What Python's own decoder says of the bytes: the reference the core's decoding must agree with."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        return (f"invalid UTF-8 (byte {offset}): save the page as UTF-8", data[:offset].count(b"\n") + 1)


def test_decoding_agrees_with_pythons_utf8_decoder_on_every_kind_of_bad_byte():
    rng = random.Random(7)
    pieces = [
        b"a",
        b"\n",
        b"\xef\xbb\xbf",
        b"\xc3\xa9",
        b"\xe2\x82\xac",
        b"\xf0\x9f\x98\x80",
        b"\xff",
        b"\xc0\x80",
        b"\xed\xa0\x80",
        b"\xe2\x82",
        b"\xf4\x90\x80\x80",
        b"\x80",
        b"\xf0\x9f",
    ]
    samples = [b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    for data in [d for s in samples for d in (s, b"x" + s) if d.strip()]:
        got, want = decode("x.txt", data), _python_decode(data)
        if isinstance(want, str):
            assert got.text == want, data
        else:
            assert (got.reason, got.line) == want, data


def test_a_utf8_bom_and_crlf_are_fine():
    page = decode("x.txt", b"\xef\xbb\xbf" + doctorqna_page(3).replace("\n", "\r\n").encode())
    assert page.text == doctorqna_page(3).replace("\n", "\r\n")


def test_hidden_files_are_not_pages(tmp_path):
    raw = tmp_path / "raw"
    (raw / ".git").mkdir(parents=True)
    (raw / ".git" / "HEAD").write_text("ref: refs/heads/main")
    (raw / ".gitkeep").write_text("")
    (raw / "sub").mkdir()
    (raw / "sub" / "p.txt").write_text(doctorqna_page(4), encoding="utf-8")
    result = build(raw, tmp_path / "out")
    assert result.manifest["accounting"]["files_seen"] == 1
    assert result.manifest["accounting"]["records"] == 1


def test_files_are_found_folder_by_folder_in_sorted_order(tmp_path):
    """A generator in path-component order: the walk never holds the whole corpus's names."""
    raw = tmp_path / "raw"
    for rel in ["b.txt", "a-b.txt", "a/y.txt", "a/x.txt", "a/c/z.txt", ".hidden/p.txt", "a/.DS_Store"]:
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text("x")
    (raw / "linked").symlink_to(raw / "a", target_is_directory=True)
    (raw / "link.txt").symlink_to(raw / "b.txt")
    found = discover(raw)
    assert iter(found) is found
    # symlinks are passed on, never walked into: read_page rejects "linked" (tests/test_hostile_tree.py)
    assert list(found) == ["a/c/z.txt", "a/x.txt", "a/y.txt", "a-b.txt", "b.txt", "link.txt", "linked"]


class Bystander(Source):
    """A plug-in that claims no page: installed, it puts a build on the Python path (plug-ins
    may claim any page, so pages are parsed in Python and each record goes through the steps)."""

    name = "x_bystander"

    def detect(self, lines: list[str]) -> bool:
        return False

    def parse(self, lines: list[str]) -> dict[str, Any]:
        raise AssertionError("never reached")


@pytest.fixture
def python_path(monkeypatch):
    """Builds take the Python path: a plug-in is installed."""
    eps = [EntryPoint("x_bystander", f"{__name__}:Bystander", sources.GROUP)]
    monkeypatch.setattr(sources, "_entry_points", lambda: eps)
    sources.rediscover()
    assert [s.name for s in sources.plugins()] == ["x_bystander"]
    yield
    monkeypatch.undo()
    sources.rediscover()


def test_a_parser_bug_is_a_reject_not_a_crash(tmp_path, monkeypatch, python_path):
    """On the Python path; the core's unit of work turns a panic in a parser into the page's reject
    in the same words (rust/src/unit/mod.rs's tests break its steps)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(doctorqna_page(5), encoding="utf-8")

    def broken(self, lines):
        raise IndexError("list index out of range")

    monkeypatch.setattr(sources.DoctorQnA, "parse", broken)
    result = build(raw, tmp_path / "out")
    assert len(result.rejects) == 1
    assert "parser bug (IndexError" in result.rejects[0].reason and "report" in result.rejects[0].reason


@pytest.mark.parametrize("plugins", [False, True])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_step_in_the_core_rejects_that_record_only(tmp_path, monkeypatch, workers, plugins, request):
    """Signing, de-identifying and the chat row run per record, in the core's unit of work, which
    asks Python to confirm phone numbers from its threads: when a step fails on one record (here
    the confirmation), that record is a reject naming its file and the failure, and every other
    record is built. (rust/src/unit/mod.rs's tests make each step fail, a panic too.)"""
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(4):
        page = doctorqna_page(n)
        if n == 2:
            page = page.replace("Hello, this", "It was 98450 12345 then. Hello, this", 1)
        (raw / f"{n}.txt").write_text(page, encoding="utf-8")

    def is_phone(candidate):
        raise KeyError("boom")

    if plugins:  # the pages come parsed by Python, the steps after parsing are the same
        request.getfixturevalue("python_path")
    monkeypatch.setattr(identifiers, "is_phone", is_phone)
    chunk._unit.cache_clear()  # the unit holds the confirmer it was made with
    try:
        result = build(raw, tmp_path / "out", BuildOptions(workers=workers))
    finally:
        chunk._unit.cache_clear()
    assert [(r.file, r.reason) for r in result.rejects] == [
        ("2.txt", "pipeline bug (KeyError: 'boom'); please report it with this file")
    ]
    accounting = result.manifest["accounting"]
    assert accounting["records"] == 3 and accounting["rejects"] == 1 and accounting["balanced"]


@pytest.mark.parametrize(
    "marker, offset, outcome",
    [
        ("Share to:", 12, "no answer"),  # inside the question
        ("year old", 3, "no answer"),  # inside the asker line
        ("reply ", 14, "no answer"),  # right after the reply line
        ("Hello, this", 20, "record"),  # inside the answer
        ("More Info", 30, "record"),  # inside More Info
    ],
)
def test_truncated_pages_are_records_or_no_answer_rejects(tmp_path, marker, offset, outcome):
    page = doctorqna_page(6)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "cut.txt").write_text(page[: page.index(marker) + offset], encoding="utf-8")
    result = build(raw, tmp_path / "out")
    acc = result.manifest["accounting"]
    assert acc["balanced"] and acc["files_seen"] == 1
    if outcome == "record":
        assert acc["records"] == 1 and result.manifest["counts"]["incomplete"] == 1
    else:
        assert outcome in result.rejects[0].reason
