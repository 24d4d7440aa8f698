"""The cleaning step as it was at ``--rev`` (all Python) beside today's, on every answer text of the
fixtures, the seeds, the devset and generated pages, and on mutations of them: every difference in
``clean()`` (text and removals), ``sentences()`` of each line and the rules' descriptors is printed.

    python benchmarks/clean_diff.py --rev 18a046f [--pages 20000] [--mutations 30000]
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import goldens  # noqa: E402

from medqa_ds import cleaning  # noqa: E402
from medqa_ds.pipeline.outcome import Reject  # noqa: E402

# Pieces a mutation inserts: what the rules and the sentence cut look at, and the characters
# Python's re and the regex crate disagree on.
PIECES = [
    *"İıſKkKsS\x1c\x1f\u0345\u0301²½_-'’\"“”()●.!?,:;/ \t\n\xa0\u3000\u2028",
    "XXXXX",
    "XXXXXXX",
    "xXXXXX",
    "Dr.",
    "Dr ",
    "dr. Ann ",
    "Dr. Ann Lee",
    "e.g.",
    "i.e.",
    "No.",
    ". A",
    ".Ab",
    "a.Bc",
    "! ",
    "? (",
    "Regards",
    "Thanks",
    "Take care.",
    "Hope this helps.",
    "Welcome to HCM.",
    "welcome to icliniq.com",
    "Hospital cares about you.",
    "MBBS",
    "M.D.",
    "PhD",
    "Follow up: ",
    "Ask The Doctor",
    "peer-reviewed by",
    "Comments / Follow Ups",
    "\n\n\n",
]
SOURCES = ["doctorqna", "askadoctor", "askadoctor_free", "icliniq", "askthedoctor", "meddialog"]


def old_cleaning(rev: str) -> ModuleType:
    """``medqa_ds/cleaning`` as it was at ``rev``, imported as a package of its own."""
    folder = Path(tempfile.mkdtemp(prefix="clean-diff-")) / "oldcleaning"
    folder.mkdir()
    for name in ("__init__.py", "rules.py"):
        text = subprocess.run(
            ["git", "show", f"{rev}:medqa_ds/cleaning/{name}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        (folder / name).write_text(text.replace("from ..text import", "from medqa_ds.text import"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("oldcleaning", folder / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["oldcleaning"] = module
    spec.loader.exec_module(module)
    return module


def parsed_records(pages: int) -> list[dict[str, Any]]:
    """Every record of every page the goldens know."""
    inputs = [*goldens.groups()["fixtures"](), *goldens.groups()["seeds"]()]
    if goldens.DEVSET.is_dir():
        inputs += list(goldens.groups()["devset"]())
    inputs += list(goldens.corpus_inputs(pages))
    out = []
    for _, file, data in inputs:
        page = goldens.decode(file, data)
        if not isinstance(page, Reject):
            out += [r for r in goldens.parse_page(page) if not isinstance(r, Reject)]
    return out


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        k = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.5:
            text = text[:k] + rng.choice(PIECES) + text[k:]
        elif roll < 0.65:
            text = text[:k] + text[k + rng.randint(1, 8) :]
        elif roll < 0.8:
            j = min(len(text), k + rng.randint(1, 40))
            text = text[:k] + rng.choice([str.upper, str.lower, str.swapcase, str.title])(text[k:j]) + text[j:]
        else:
            j = rng.randint(0, len(text))
            text = text[:k] + text[j : j + rng.randint(1, 60)] + text[k:]
    return text


def compare(old: ModuleType, cases: list[tuple[str, str]]) -> int:
    diffs = 0
    for source, text in cases:
        a = old.clean.__wrapped__(text, source)
        b = cleaning.clean.__wrapped__(text, source)
        if (a.text, a.removed) != (b.text, b.removed):
            diffs += 1
            if diffs <= 10:
                print(f"clean differs ({source}): {text!r}\n  old {a!r}\n  new {b!r}")
        for line in text.split("\n"):
            if old.sentences(line) != cleaning.sentences(line):
                diffs += 1
                if diffs <= 10:
                    print(
                        f"sentences differ: {line!r}\n  old {old.sentences(line)!r}\n  new {cleaning.sentences(line)!r}"
                    )
    return diffs


def descriptors(rules: Any) -> list[tuple[Any, ...]]:
    return [(r.name, r.kind, r.removes, r.sources, r.example, r.expected, r.replacement) for r in rules]


def timed(module: ModuleType, records: list[dict[str, Any]]) -> float:
    """µs per record of the cleaning step as a worker runs it: ``apply`` then ``removed``."""
    records = copy.deepcopy(records)
    module.clean.cache_clear()
    start = time.perf_counter()
    for record in records:
        module.apply(record)
        module.removed(record)
    return (time.perf_counter() - start) / max(len(records), 1) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="18a046f")
    parser.add_argument("--pages", type=int, default=goldens.CORPUS_PAGES)
    parser.add_argument("--mutations", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    old = old_cleaning(args.rev)
    diffs = 0
    if descriptors(old.RULES) != descriptors(cleaning.RULES):
        diffs += 1
        print("the rules' descriptors differ")
    if set(old.OTHER_TURN) != set(cleaning.rules.OTHER_TURN):
        diffs += 1
        print("OTHER_TURN differs")
    records = parsed_records(args.pages)
    cases = [(r["source"], cleaning._source_text(a)) for r in records for a in r["answers"]]
    rng = random.Random(args.seed)
    mutations = [(rng.choice([s, *SOURCES]), mutate(t, rng)) for s, t in rng.choices(cases, k=args.mutations)]
    # texts made of nothing but the pieces and the rules' examples, dense in what the rules match
    pool = PIECES + [r.example for r in old.RULES] + [w for r in old.RULES for w in r.example.split()]
    mutations += [
        (rng.choice(SOURCES), mutate("".join(rng.choices(pool, k=rng.randint(1, 25))), rng))
        for _ in range(args.mutations)
    ]
    # the rules' own examples, under every source
    examples = [(s, r.example) for r in old.RULES for s in SOURCES]
    diffs += compare(old, cases + mutations + examples)
    applied = copy.deepcopy(records)
    for record in applied:
        old.apply(record)
    for record, was in zip(records, applied):
        now = cleaning.apply(copy.deepcopy(record))
        if now != was or cleaning.removed(now) != old.removed(was):
            diffs += 1
            print(f"apply/removed differ: {record['provenance']}")
    t_old, t_new = timed(old, records), timed(cleaning, records)
    print(
        f"{len(records)} records, {len(cases)} answers + {len(mutations)} mutations + {len(examples)} examples: "
        f"{diffs} differences; cleaning {t_old:.1f} µs/record old, {t_new:.1f} µs/record new"
    )
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
