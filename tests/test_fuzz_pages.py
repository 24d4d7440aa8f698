"""Pathological pages never stall a build: each parses in well under a second.

The pages are the invented fixtures with a hostile block put in (benchmarks/fuzz.py: long runs
without punctuation, thousands of honorific breaks, huge lines, 100,000 lines, ...), at sizes where
the quadratic steps of issue 15 took from seconds to days. A bound this loose (one CPU-second for a
page of a few hundred kilobytes, which parses in tens of milliseconds) fails only on a step that
grows faster than its input; the longer fuzz run, with the slowest page's time, is the script.
"""

from __future__ import annotations

import importlib.util
import random

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

SIZE = 200_000
SEEDS = fuzz.seeds()
# One seed page per source (and the privacy and detection fixtures), so every parser is fuzzed.
BY_SOURCE = {name.split("/")[0]: name for name in sorted(SEEDS, reverse=True)}


@pytest.fixture(scope="module")
def warm() -> None:
    """Each seed page once through the worker step, untimed: the first page of a process also pays
    for loading libphonenumber's region metadata and python-stdnum (about a CPU-second), which is
    no page's cost."""
    for name in BY_SOURCE.values():
        fuzz.run_page(SEEDS[name])


@pytest.mark.parametrize("kind", sorted(fuzz.BLOCKS))
def test_each_pathological_page_goes_through_a_worker_in_well_under_a_second(kind, warm):
    """Parsing, and the whole worker step (check, de-identify, clean, sign, chat row) too."""
    rng = random.Random(kind)
    for name in BY_SOURCE.values():
        parsed, whole = fuzz.run_page(fuzz.hostile(rng, SEEDS[name], kind, SIZE))
        assert parsed < 1.0, f"{name} + {kind}: {parsed:.2f} CPU-s to parse"
        assert whole < 1.0, f"{name} + {kind}: {whole:.2f} CPU-s through the worker step"


def test_a_run_without_punctuation_is_linear_in_question_sentences():
    """The step issue 15 timed at 51 s for 80 KB: now a 1 MB run is one pass."""
    from medqa_ds.text import question_sentences

    assert question_sentences("word " * 200_000 + "? And this one?") == ["word " * 199_999 + "word ?", "And this one?"]


def test_thousands_of_honorific_breaks_join_into_one_line():
    from medqa_ds.text import join_honorific_breaks

    lines = ["Thank you Mr."] * 20_000 + ["Lan"]
    assert join_honorific_breaks(lines, lambda line: False) == [" ".join(lines)]
