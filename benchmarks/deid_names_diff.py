"""The names half of de-identification as it was at ``--rev`` (all Python) beside today's (the
compiled rules of rust/src/privacy/), on the same texts and records; every difference is printed.

    python benchmarks/deid_names_diff.py --rev 6f5b203 [--pages 3000] [--mutations 100000] [--seed 0]

The old ``privacy.py``, ``identifiers.py`` and ``deid_rules.py`` are read from git at ``--rev`` and
imported beside today's package (``deid_diff.old_privacy``). Compared, per text: the
names a text supplies (``_supplied``, with every rule on and with some switched off), the names of
a record built from it (random askers, greetings, doctors, sites) and what ``_people`` makes of the
text with them (text and counts, doctors kept and redacted), ``_beside``, ``is_doctor`` and the
patients' search the personal-URL check asks; per record, the whole ``deidentify``. The texts: every
``deid_rules.RULES`` example, the privacy fixtures, the texts of the fixtures', seeds', devset's (when
beside the checkout) and generated corpus's records, and random texts built from name pieces
(asker names, greetings, doctors, relations, "the X family", "[PATIENT] Khan", Unicode case corners,
line breaks inside names), with records carrying them. Prints the counts and both sides' time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from medqa_ds.pipeline.deid_rules import RULES

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import deid_compiled as privacy  # noqa: E402  (today's step, the old private API over the core)
import goldens  # noqa: E402
from deid_diff import old_privacy  # noqa: E402

from medqa_ds.pipeline.outcome import Reject  # noqa: E402

NAMES = [
    *["Lin", "Mei Ling", "Lin Meihua", "Wen-Hao", "MeiLing", "O'Neil", "D'Souza", "Ann Lee", "Kofi Mensah"],
    *["June", "Will", "Mark", "Grace Ho", "Rose", "A", "J. Smith", "Khan", "Ali Khan", "Priya Sharma"],
    *["İbrahim", "Işık", "Zoë", "José", "Łukasz", "STRAßE", "ŉ", "Kelvin", "ſam", "Chen Yanling", "XXXX"],
    *["Dr. Lan Shengxing", "Mrs. Wu", "Prof Ng", "lin", "LIN MEI", "Mei\nLing", "Mei_Ling", "Ng 2", "’Ann"],
    *["Wilson", "Lyme", "Parkinson", "The", "Doctor", "Sir", "james", "Anne-Marie", "Sunny Day", "KAI"],
    *["Mei.Ling", "Wen_Hao", "LEE  ANN", "Ms.\nLiu", "mr. ali", "DR WU", "Ἀλέξανδρος", "Σοφία", "李明", "ǅemal"],
]
PIECES = [
    *["Dear", "dear ", "HELLO", "Hi", "hiya", "Hey", "Good  morning", "GOOD\nevening", "Greetings", "xHi"],
    *["To", "\nTo ", "TO", "to", "Mr.", "Ms ", "Mrs", "Miss ", "Mister", "Dr.", "Dr", "Prof ", "Doctor", "_Dr"],
    *["my name is ", "My name's ", "I am ", "I'm ", "i’m ", "this is ", "It's ", "it is ", " here", " here,"],
    *["my son ", "My wife ", "my little sister ", "my best friend, ", "my fiancée ", "MY DAD ", "my neighbour "],
    *["the ", " family", " Family", " family of", "familyx", "[PATIENT]", "[PATIENT] ", "[PATIENT]-", " Khan"],
    *["İ", "ı", "\u212a", "ſ", "\x1c", "\x1f", "\u00a0", "\u2028", "\u3000", "\t", "\x85", "\u0345", "\u0301"],
    *["٣", "²", "_", "ǅ", "ß", "é", "É", ":", ",", ".", ";", "!", "(", ")", " ", " ", "\n", "\n", "-", "'", "’"],
    *["and", " and ", "from", "thanks", "everyone", "calls", "asked", "is sick", "0", "7", "x", "\ue0000\ue001"],
]


def records(pages: int) -> list[dict[str, Any]]:
    """Every record of the fixtures, seeds, devset (when there) and ``pages`` generated pages."""
    inputs = [*goldens.groups()["fixtures"](), *goldens.groups()["seeds"]()]
    if goldens.DEVSET.is_dir():
        inputs += list(goldens.groups()["devset"]())
    inputs += list(goldens.corpus_inputs(pages))
    out: list[dict[str, Any]] = []
    for _, file, data in inputs:
        page = goldens.decode(file, data)
        if not isinstance(page, Reject):
            out += [r for r in goldens.parse_page(page) if not isinstance(r, Reject)]
    return out


def texts_of(record: dict[str, Any]) -> Iterator[str]:
    """The free-text strings of a record."""
    stack: list[Any] = [record]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and node:
            yield node


def made_text(rng: random.Random) -> str:
    """A text of name pieces and names."""
    parts = rng.choices(PIECES + NAMES * 2, k=rng.randint(1, 30))
    return "".join(p if rng.random() < 0.7 else p + rng.choice(" \n,") for p in parts)


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 5)):
        k = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.6:
            text = text[:k] + rng.choice(PIECES + NAMES) + text[k:]
        elif roll < 0.75:
            text = text[:k] + text[k + rng.randint(1, 8) :]
        else:
            j = min(len(text), k + rng.randint(1, 40))
            text = text[:k] + rng.choice([str.upper, str.lower, str.swapcase, str.title])(text[k:j]) + text[j:]
    return text


def outcome(f: Callable[..., Any], *args: Any) -> Any:
    """What ``f(*args)`` gives, or the type of what it raised (both sides must raise alike)."""
    try:
        return f(*args)
    except Exception as e:
        return ("raised", type(e).__name__)


class Diff:
    def __init__(self) -> None:
        self.cases = 0
        self.differ = 0

    def check(self, what: str, a: Any, b: Any, about: Any) -> None:
        self.cases += 1
        if a != b:
            self.differ += 1
            if self.differ <= 12:
                print(f"{what} differs on {about!r}\n  old {a!r}\n  new {b!r}")


def counted(module: ModuleType, text: str, names: Any, policy: Any) -> Any:
    counts: Counter[str] = Counter()
    out = module._people(text, counts, names, policy)
    return out, list(counts.items())


def compare_text(old: ModuleType, text: str, rng: random.Random, diff: Diff) -> None:
    """The names part of one text, old and new, with a record's names made up around it."""
    off = frozenset(rng.sample(sorted(set(privacy.NAME_SITE_RULES) | {"doctor", "name-recurs"}), rng.randint(0, 2)))
    for policy in (privacy.Policy(), privacy.Policy(off=off)):
        a = outcome(old._supplied, text, old.Policy(off=policy.off))
        diff.check("_supplied", a, outcome(privacy._supplied, text, policy), (text, sorted(policy.off)))
    found = outcome(old._supplied, text)
    greeted = [n for _, n in found] if isinstance(found, list) else []
    greeted += rng.sample(NAMES, rng.randint(0, 2))
    patients = rng.sample(NAMES, rng.randint(0, 2))
    doctors = rng.sample(NAMES, rng.randint(0, 2))
    sites = None if rng.random() < 0.5 else set(rng.sample(privacy.NAME_SITE_RULES, rng.randint(0, 3)))
    old_names = old._Names(patients, greeted, doctors, sites)
    new_names = privacy._names(patients, greeted, doctors, sites)
    about = (text, patients, greeted, doctors, sites)
    for redact in (False, True):
        for policy in (privacy.Policy(redact_doctors=redact), privacy.Policy(redact_doctors=redact, off=off)):
            a = outcome(counted, old, text, old_names, old.Policy(redact, policy.off))
            b = outcome(counted, privacy, text, new_names, policy)
            diff.check("_people", a, b, (*about, redact, sorted(policy.off)))
            if redact or policy.off:
                continue
            for t in (text, a[0] if isinstance(a, tuple) and isinstance(a[0], str) else text):
                diff.check("_beside", old._beside(t, old_names), privacy._beside(t, new_names), (t, *about[1:]))
    for name in [*greeted, *rng.sample(NAMES, 3)]:
        diff.check("is_doctor", old_names.is_doctor(name), new_names.is_doctor(name), (name, doctors))
    pattern = old_names.patients
    diff.check(
        "patients_search",
        bool(pattern is not None and pattern.search(text)),
        new_names.patients_search(text),
        (text, patients, greeted),
    )


def made_record(base: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A record with name pieces put into its texts, and a random asker and doctors."""
    import copy

    record = copy.deepcopy(base)
    record["question"]["asker"]["name"] = rng.choice([None, *NAMES])
    for item in (*record["answers"], *record["related"]):
        item["author"] = rng.choice([None, *NAMES])
    for key in ("title", "body"):
        if isinstance(record["question"].get(key), str):
            record["question"][key] = mutate(record["question"][key] + " " + made_text(rng), rng)
    for item in record["answers"]:
        if isinstance(item.get("text"), str):
            item["text"] = mutate(made_text(rng) + " " + item["text"], rng)
    return record


# What the record-walk cases put into a record: NULs (the joined pass cannot count), placeholders
# already there, separators, links and contacts (the URL cleaned alone, a file's name), names.
STEP_PIECES = [
    *["\x00", "\n\x00\n", "a\x00b", "[PATIENT]", "[PHONE]", "[EMAIL] ", "[DOCTOR]", "[URL]", "[", "]"],
    *["mei.ling@x.com", "0912-345-678", "tel: 23-45-678", "https://fb.com/mei.ling", "https://x.org/a?name=Lin"],
    *["No. 12, Lane 34, Zhongshan Rd.", "MRN 123456", "born on 3 May 1972", "A123456789", "_", "\n"],
]
URLS = [
    "https://example.org/q/1",
    "https://x.com/user/mei.ling?phone=0912345678",
    "https://fb.com/Mei-Ling",
    "mailto:a@b.com",
    "https://site.test/ask?name=Lin%20Mei&id=A123456789",
    "",
]
FILES = ["p.txt", "saved_by_john.smith@x.com_0912-111-222.txt", "Mei_Ling_question.html", "a_[PATIENT]_b.txt"]


def step_record(base: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A made record with the step's corners: NULs, placeholders present, a page URL, file names,
    follow-ups' text, empty strings, odd values (bools, ints, None) beside the texts."""
    record = made_record(base, rng)

    def spice(text: str) -> str:
        for _ in range(rng.randint(0, 3)):
            k = rng.randint(0, len(text))
            text = text[:k] + rng.choice(STEP_PIECES + NAMES) + text[k:]
        return text

    def walk(node: Any) -> None:
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, value in items:
            if isinstance(value, (dict, list)):
                walk(value)
            elif isinstance(value, str) and rng.random() < 0.3:
                node[key] = spice(value) if rng.random() < 0.9 else ""

    walk(record)
    prov = record["provenance"]
    if rng.random() < 0.7:
        prov["url"] = rng.choice(URLS)
    prov["file"] = rng.choice([prov["file"], *FILES])
    if rng.random() < 0.2:
        record["question"]["asker"]["name"] = rng.choice(["", "[PATIENT]", "Mei\x00Ling", *NAMES])
    if rng.random() < 0.1:
        record["extra"] = {"flag": True, "n": 3, "none": None, "texts": [spice("Mei Ling"), "", 7]}
    return record


def step_off(rng: random.Random) -> frozenset[str]:
    """Rules switched off for a record case: any of the catalogue, the step's own among them."""
    rules = sorted(rule.name for rule in RULES)
    picks = rng.sample(rules, rng.randint(0, 3))
    if rng.random() < 0.3:
        picks.append(rng.choice(["asker-name", "name-beside-placeholder", "name-recurs", "url-personal"]))
    return frozenset(picks)


def deidentified(module: ModuleType, record: dict[str, Any], redact: bool, off: frozenset[str]) -> Any:
    got = module.deidentify(record, module.Policy(redact, off))
    return got.record, list(got.by_kind.items()), list(got.by_field.items())


def compare_record(old: ModuleType, record: dict[str, Any], rng: random.Random, diff: Diff) -> None:
    off = frozenset(rng.sample(sorted(set(privacy.NAME_SITE_RULES) | {"doctor", "name-recurs"}), rng.randint(0, 2)))
    more = step_off(rng)
    cases = ((False, frozenset()), (True, frozenset()), (False, off), (rng.random() < 0.5, more))
    for redact, off_now in cases:
        import copy

        before = copy.deepcopy(record)
        a = outcome(deidentified, old, record, redact, off_now)
        b = outcome(deidentified, privacy, record, redact, off_now)
        diff.check("deidentify", a, b, (record.get("id"), redact, sorted(off_now)))
        diff.check("input unchanged", before, record, record.get("id"))


def timed(module: ModuleType, recs: list[dict[str, Any]]) -> float:
    start = time.process_time()
    for record in recs:
        module.deidentify(record)
    return (time.process_time() - start) * 1e6 / max(1, len(recs))


def timed_calls(old: ModuleType, recs: list[dict[str, Any]]) -> None:
    """µs per call of ``_supplied`` and ``_people`` (names built per record as ``deidentify`` does), old
    and new, on each record's texts joined as the step joins them."""
    cases = []
    for record in recs:
        joined = privacy._JOIN.join(texts_of(record))
        asker = record["question"]["asker"]["name"]
        doctors = [i["author"] for i in (*record["answers"], *record["related"]) if i["author"]]
        cases.append((joined, [asker] if asker else [], doctors))
    for module, build in ((old, old._Names), (privacy, privacy._names)):
        policy = module.Policy()
        start = time.process_time()
        found = [module._supplied(joined, policy) for joined, _, _ in cases]
        supplied = time.process_time() - start
        names = [
            build(patients, [n for _, n in f], doctors, {r for r, _ in f})
            for (_, patients, doctors), f in zip(cases, found, strict=True)
        ]
        start = time.process_time()
        for (joined, _, _), n in zip(cases, names, strict=True):
            module._people(joined, Counter(), n, policy)
        people = time.process_time() - start
        print(
            f"{'old' if module is old else 'new'}: _supplied {supplied * 1e6 / len(cases):.1f} µs/record, "
            f"_people {people * 1e6 / len(cases):.1f} µs/record ({len(cases)} records' joined texts)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="6f5b203")
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--mutations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--records", type=int, default=None, help="made records (default: mutations / 10)")
    parser.add_argument("--texts", action="store_true", help="compare the texts too, not only whole records")
    args = parser.parse_args()
    old = old_privacy(args.rev)
    rng = random.Random(args.seed)
    recs = records(args.pages)
    texts = [t for rule in RULES for t in (*(x for x, _ in rule.replaces), *rule.keeps)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "privacy").glob("*"))]
    texts += [t for r in recs for t in texts_of(r)]
    diff = Diff()
    for text in texts if args.texts or not args.records else []:
        compare_text(old, text, rng, diff)
    print(f"{len(texts)} texts of rules, fixtures and records: {diff.differ} of {diff.cases} comparisons differ")
    made = 0
    for k in range(args.mutations if args.texts or not args.records else 0):
        text = made_text(rng) if k % 2 else mutate(rng.choice(texts), rng)
        compare_text(old, text, rng, diff)
        made += 1
    print(f"+ {made} made and mutated texts: {diff.differ} of {diff.cases} comparisons differ")
    for record in recs:
        compare_record(old, record, rng, diff)
    made_n = args.records if args.records is not None else max(1, args.mutations // 10)
    mutated = [(made_record if k % 2 else step_record)(rng.choice(recs), rng) for k in range(made_n)]
    for record in mutated:
        compare_record(old, record, rng, diff)
    print(
        f"+ {len(recs)} records and {len(mutated)} made records, deidentify: "
        f"{diff.differ} of {diff.cases} comparisons differ"
    )
    timed_calls(old, recs)
    before, after = timed(old, recs), timed(privacy, recs)
    print(f"deidentify on the records: {before:.1f} µs/record at {args.rev}, {after:.1f} now")
    raise SystemExit(1 if diff.differ else 0)


if __name__ == "__main__":
    main()
