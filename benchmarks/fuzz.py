"""Fuzz the per-page pipeline with pathological pages and print the slowest page's time.

    python benchmarks/fuzz.py --cpu-minutes 5 [--seed 0]

Each page is an invented fixture of one source (tests/fixtures/) with a hostile block put in at a
random line: long runs without punctuation, thousands of lines broken after an honorific, one huge
line, 100,000 lines, runs of spaces after a label the privacy step looks for, repeated layout
markers. Every page goes through what a worker does to it (read, parse, check, sign, de-identify,
chat row). A page must never stall a build: the script prints the slowest page and what it was.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path

from medqa_ds.pipeline.chunk import prepare
from medqa_ds.pipeline.outcome import Reject
from medqa_ds.pipeline.parse_pages import parse_page
from medqa_ds.pipeline.privacy import Policy
from medqa_ds.pipeline.read import decode

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
_WORDS = [
    "pain",
    "since",
    "week",
    "doctor",
    "knee",
    "swelling",
    "please",
    "help",
    "morning",
    "tablet",
    "fever",
    "cough",
]


def seeds() -> dict[str, str]:
    """One invented page per fixture file, by ``source/name``."""
    return {f"{p.parent.name}/{p.name}": p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*/*.txt"))}


def _words(rng: random.Random, chars: int, sep: str = " ") -> str:
    out, size = [], 0
    while size < chars:
        out.append(rng.choice(_WORDS))
        size += len(out[-1]) + len(sep)
    return sep.join(out)


# A hostile block of about ``size`` characters, by kind.
BLOCKS: dict[str, Callable[[random.Random, int], str]] = {
    "run without punctuation": lambda rng, size: _words(rng, size),
    "run without punctuation ending in ?": lambda rng, size: _words(rng, size) + "?",
    "honorific breaks": lambda rng, size: "\n".join(
        rng.choice(["Thank you Mr.", "Hello Dr.", "(Mrs.", "Miss."]) for _ in range(size // 12)
    ),
    "one huge line": lambda rng, size: " ".join(_words(rng, 60) + rng.choice(".?!,;") for _ in range(size // 60)),
    "100k lines": lambda rng, size: "\n".join(rng.choice(_WORDS) for _ in range(100_000)),
    "spaces": lambda rng, size: "a" + " \t" * (size // 2) + "a",
    "spaces after a label": lambda rng, size: (
        rng.choice(["mobile", "phone", "Dr.", "email", "MRN", "Patient:", "ratings", "call me", "address"])
        + " " * size
        + "a"
    ),
    "punctuation": lambda rng, size: "".join(rng.choice(".?!,:;-/()'\"") for _ in range(size)),
    "digits": lambda rng, size: "".join(rng.choice("0123456789 -/.+()") for _ in range(size)),
    "markers": lambda rng, size: "\n".join(
        rng.choice(
            [
                "Patient:",
                "Doctor:",
                "Detailed Answer:",
                "Regards,",
                "Dr. Lan reply Cardiology",
                "Reply Date:",
                "More Info",
                "Patient's Query",
                "Answered by Dr. Kim",
                "id=1",
                "Dialogue",
                "Posted on 12 Jan 2016",
            ]
        )
        for _ in range(size // 12)
    ),
    "letters glued": lambda rng, size: "".join(rng.choice("aAbB.") for _ in range(size)),
    "unicode": lambda rng, size: "".join(
        chr(rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0xA0, 0x3000)])) for _ in range(size)
    ),
}


def hostile(rng: random.Random, seed: str, kind: str, size: int) -> str:
    """``seed`` with the ``kind`` block of ``size`` characters put in at a random line."""
    lines = seed.split("\n")
    at = rng.randrange(len(lines) + 1)
    return "\n".join([*lines[:at], BLOCKS[kind](rng, size), *lines[at:]])


def run_page(text: str, name: str = "fuzz.txt") -> tuple[float, float]:
    """What a worker does to one file, timed in CPU seconds of this process: (reading and parsing
    with the schema check, everything: signing, de-identifying and the chat row too)."""
    start = time.process_time()
    page = decode(name, text.encode("utf-8"))
    outcomes = [] if isinstance(page, Reject) else parse_page(page)
    parsed = time.process_time()
    for outcome in outcomes:
        if not isinstance(outcome, Reject):
            prepare(outcome, Policy())
    return parsed - start, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu-minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pages = seeds()
    names, kinds = sorted(pages), sorted(BLOCKS)
    budget = args.cpu_minutes * 60
    slowest = {"parse": (0.0, ""), "whole": (0.0, "")}
    count = 0
    started = time.process_time()
    while time.process_time() - started < budget:
        seed, kind = rng.choice(names), rng.choice(kinds)
        size = rng.choice([1_000, 10_000, 100_000, 500_000])
        times = dict(zip(("parse", "whole"), run_page(hostile(rng, pages[seed], kind, size)), strict=True))
        count += 1
        for step, seconds in times.items():
            if seconds > slowest[step][0]:
                slowest[step] = (seconds, f"{seed} + {kind} ({size:,} chars)")
                print(f"  slowest {step} so far: {seconds:.3f} s  {slowest[step][1]}", flush=True)
    print(
        f"{count} pages in {time.process_time() - started:.0f} CPU-s; slowest page to parse: "
        f"{slowest['parse'][0]:.3f} s ({slowest['parse'][1]}); slowest through the whole worker step: "
        f"{slowest['whole'][0]:.3f} s ({slowest['whole'][1]})"
    )


if __name__ == "__main__":
    main()
