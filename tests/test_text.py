"""medqa_ds.text: the helpers every source relies on."""

from __future__ import annotations

import pytest

from medqa_ds.text import fingerprint, iso_date, join_honorific_breaks, join_lines, lines_of, looks_cut, record_id


def never(_line: str) -> bool:
    return False


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2016/09/07", "2016-09-07"),
        ("2016/9/7", "2016-09-07"),
        ("2003-01-07", "2003-01-07"),
        ("2021.08.04", "2021-08-04"),
        ("Tue, 12 Jan 2016", "2016-01-12"),
        ("Thu, 11 Feb 2016", "2016-02-11"),
        ("July 7, 2017", "2017-07-07"),
        ("Sept 30 2019", "2019-09-30"),
        ("  2016/02/29 ", "2016-02-29"),
    ],
)
def test_iso_date(value, iso):
    assert iso_date(value) == iso


@pytest.mark.parametrize(
    "value", [None, "", "2015/02/29", "2016/13/01", "2016/00/10", "12 Foo 2016", "yesterday", "2016/09"]
)
def test_iso_date_rejects_non_dates(value):
    assert iso_date(value) is None


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("Your current stat", True),
        ("2.", True),
        ("2", True),
        ("(3)", True),
        ("2. Gradual Mobilization:", True),
        ("such as dizziness, insomnia, palpitations,", True),
        ("Thank you.", False),
        ("Is this normal?", False),
        ("Wishing you well!", False),
        ('what is known as "sweat rash."', False),
        ("(see above)", False),
        ("It can take weeks…", False),
        ("", False),
        ("The list is here: https://example.org/a%20b.pdf", False),
        ("www.example.org/guide", False),
        ("see https://example.org/x and the rest of", True),
    ],
)
def test_looks_cut(line, cut):
    assert looks_cut(line) is cut


def test_join_honorific_breaks_every_honorific():
    lines = ["Hello Dr.", "Lan: my neighbour Mr.", "Pan and Ms.", "Kao, with Prof.", "Hsu and Mrs.", "Wu."]
    assert join_honorific_breaks(lines, never) == [
        "Hello Dr. Lan: my neighbour Mr. Pan and Ms. Kao, with Prof. Hsu and Mrs. Wu."
    ]


def test_join_honorific_breaks_leaves_blank_lines_markers_and_words_alone():
    assert join_honorific_breaks(["Thanks, Dr.", "", "Lan"], never) == ["Thanks, Dr.", "", "Lan"]
    assert join_honorific_breaks(
        ["Thanks, Dr.", "Bo, 20~29 year old male. Ask Date: 2020/01/01"], lambda l: "Ask Date" in l
    ) == ["Thanks, Dr.", "Bo, 20~29 year old male. Ask Date: 2020/01/01"]
    # "Dr." inside a word or without its period is not an honorific
    assert join_honorific_breaks(["I saw a Dr", "today"], never) == ["I saw a Dr", "today"]
    assert join_honorific_breaks(["The Hydr.", "next"], never) == ["The Hydr.", "next"]
    assert join_honorific_breaks(["(Dr.", "Wu)"], never) == ["(Dr. Wu)"]


def test_lines_of_normalises_newlines_bom_and_whitespace():
    assert lines_of("\ufeff a \r\nb\t\rc\n") == ["a", "b", "c", ""]


def test_join_lines_drops_blank_lines():
    assert join_lines(["a", "", "b", ""]) == "a\nb"
    assert join_lines(["", ""]) is None
    assert join_lines([]) is None


def test_fingerprint_ignores_case_spacing_and_punctuation():
    a = fingerprint("Facial twitching?", "Hello Dr.\nLan: For the past month")
    b = fingerprint("facial  TWITCHING", "Hello Dr. Lan - for the past month!")
    assert a == b
    assert fingerprint("t", "x" * 500) == fingerprint("t", "x" * 200 + "y" * 300)  # only the opening counts
    assert fingerprint("t", "abc") != fingerprint("ta", "bc")  # the parts stay apart
    assert fingerprint(None, "abc") == fingerprint("", "abc")


def test_fingerprint_keeps_only_ascii_letters_and_digits_of_the_lower_cased_text():
    """As Python's ``str.lower()`` then ``[0-9a-z]``: İ and the Kelvin sign lower-case to i and k;
    other scripts, superscripts, non-ASCII digits and full-width letters are left out."""
    assert fingerprint("İSTANBUL \u212aM", "x²٣０Ａé-9") == "istanbulkm\x1fx9"
    assert fingerprint("t", "ab" * 300, chars=3) == "t\x1faba"


def test_record_id_shape_and_stability():
    rid = record_id("doctorqna", fingerprint("a", "b"))
    assert rid == record_id("doctorqna", fingerprint("A", "B"))
    assert rid.startswith("doctorqna-") and len(rid) == len("doctorqna-") + 16
    assert record_id("askadoctor", "k") != record_id("doctorqna", "k")
