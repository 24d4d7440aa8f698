"""The de-identification step as it was at ``--rev`` (all Python) beside today's, part by part, on
every text of the fixtures, the seeds, the devset and generated pages, the rules' examples, and
mutations of them rich in what the rules look for: every difference in text or counts is printed.

    python benchmarks/deid_diff.py --part typed [--rev 6f5b203] [--pages 2000] [--mutations 100000]

``typed``: ``_typed`` (contact details, identifiers, addresses; rust/src/privacy/typed, called
through ``deid_compiled.py``), run with and without known names, with rules switched off and with a
small libphonenumber budget.

Against a rev before policy ``medqa-deid`` 3 (6f5b203 is one), the texts holding the labels and
address openings policy 3 added (``medqa_ds/sources/CHANGELOG.md``) differ, as they should: the
port itself was checked at 0 differences before that change.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import clean_diff  # noqa: E402
import deid_compiled as privacy  # noqa: E402  (today's step, the old private API over the core)

from medqa_ds.pipeline import deid_rules, identifiers  # noqa: E402

# Pieces that start, end or nearly make every pattern's matches, with the characters that fold
# case in unusual ways (dotted and dotless i, long s): joined at random they probe the rules' edges.
PRIVACY_PIECES = [
    "Dear",
    "dear ",
    "HELLO",
    "Hi",
    "hiya",
    "Good  morning",
    "To",
    "\nTo ",
    "Mr.",
    "Ms ",
    "Dr.",
    "Prof ",
    "my name is",
    "MRN",
    "mr no",
    "ıd",
    "İD",
    "ſsn",
    "passport",
    "Phone",
    "tel:",
    "WhatsApp",
    "call me",
    "http://x.org/u/lin",
    "www.a.com?email=",
    "a@b.com",
    "No. 12",
    "12 Main Street",
    "Flat 3,",
    "P.O. Box 7",
    "+886",
    "(02)",
    "0912-345-678",
    "555-123-4567",
    "A123456789",
    "123-45-6789",
    "1234 5678 9012",
    "Lin",
    "Mei Ling",
    ":",
    ",",
    ".",
    " ",
    " ",
    "\n",
    "-",
    "_",
    "#",
    "0",
    "7",
    "x",
    "Kai",
    "é",
    "Doctor",
    "Professor",
    "Hey",
    "Greetings",
    "GOOD\nevening",
    "xHi",
    "_Dr",
    "DR",
    "dr.",
    "TO",
    "to",
    "D",
    "P",
    "T",
    "h",
    "A1234567",
    "55512",
    "record",
    "my name's Lin",
    "x at gmail.com",
    "a at b dot com",
    " at ",
    " dot ",
    "ul. Nowa 5",
    "00-590 Warszawa",
    "born on",
    "DOB",
    "9 April 1972",
    "04/09/1972",
    "born on 9 April 1972",
    "DOB 04/09/1972",
    "my son",
    "my best friend ",
    "Kofi here,",
    "I am",
    "this is",
    "it's",
    "the Nowak",
    " family",
    "Ethan",
    "(Ama Mensah)",
    "3F.,",
    "E. Rd.",
    "536904399",
    "536 90 4399",
    "1234567T",
    "44051401359",
    "34201-0891231-8",
    "123456789018",
    "98450 12345",
]

# What the typed rules look for and nearly find, beside the privacy tests' pieces and the
# characters Python's re and the regex crate disagree on.
TYPED_PIECES = [
    *PRIVACY_PIECES,
    *clean_diff.PIECES,
    *"0123456789٣²@.+-/#:=()[]{}%_,;!?",
    " at ",
    " AT ",
    " dot ",
    "(at)",
    "[dot]",
    "gmail.com",
    "yahoo.co.in",
    "mail",
    "https://",
    "http://x.org/",
    "www.",
    "?name=",
    "&uid=",
    "/profile/",
    "%40",
    "%20",
    "MRN:",
    "MR No",
    "medical record #",
    "chart #",
    "case no.",
    "patient id",
    "hospital number is ",
    "lab no",
    "UHID",
    "IP No",
    "ID:",
    "id card no. ",
    "passport no.",
    "Aadhaar",
    "SSN",
    "NRIC",
    "PAN card",
    "PESEL",
    "licence",
    "my number",
    "is ",
    "was ",
    "born on ",
    "was born ",
    "date of birth: ",
    "D.O.B.",
    "admitted on ",
    "discharged on",
    "died on ",
    "passed away on ",
    "9th of ",
    "March ",
    "Sept. ",
    "1972",
    "2001",
    "12/03/1999",
    "1999-03-12",
    "phone no. ",
    "tel:",
    "mobile number ",
    "WhatsApp",
    "call me at ",
    "+91 ",
    "+886-2-",
    "(555) ",
    "02-2345-6789",
    "0912 345 678",
    "1-800-555-0199",
    "9845012345",
    "0912345678",
    "98450 12345",
    "2345 6789 0123",
    "2345-6789-0123",
    "1EG4-TE5-MK73",
    "079123456789",
    "12345678",
    "123456789",
    " mg",
    "mmHg",
    " µg",
    " g",
    "units",
    "12 Oak Street",
    "No. 5, Lane 3, ",
    "Rd.",
    "Flat 2, ",
    "P.O. Box 12",
    "ul. Długa 5",
    "Springfield, IL 62704",
]
# What the address rules look for and nearly find: street words, house numbers, the Taiwanese
# "No." address's parts, units, boxes, postcodes, Polish abbreviations, places, commas and tabs.
ADDRESS_PIECES = [
    *(
        f"{w}{end}"
        for w in ("Street", "St", "Road", "Rd", "Avenue", "Lane", "Ln", "Court", "Pl", "Way")
        for end in (" ", ".", ", ")
    ),
    *("Boulevard", "Blvd", "Drive", "Ave", "Ct", "Place", "Terrace", "Alley", "Aly", "Highway", "Hwy"),
    *("Parkway", "Pkwy", "Square", "Sq", "Crescent", "Close", "Nagar", "Marg", "Stx", "Roads", "Wayne"),
    *("12 ", "1 ", "221B ", "12-3 ", "12345 ", "7, ", "٣ ", "12a", "3F.", "3F, ", "12F", "F"),
    *("No.", "No. 12", "No.5-1", "No ", "no. 3", "Lane 5", ", Lane 5", ", Ln. 3", ", Sec. 2", ", Section 4"),
    *(", Alley 7", ", 3F", ", Floor 2", ", Fl 9", "Sec.", "Sec ", "Section"),
    *("Apt", "Apt. 4", "Apt 4B", "Apartment 7", "Suite 100", "Unit 3", "Flat 2, ", "Flat ", "Floor", "Room 12"),
    *("Rm", "#", "# 5", "House 4, ", "House No. 3, ", "Plot 12, ", "Door 5, ", "Apt 2, "),
    *("P.O. Box 12", "PO Box 4", "P. O. Box 9", "P.O Box", "Box 7", "Box", "P.", "O."),
    *("Main ", "Oak ", "Old Mill ", "O'Neil ", "St. John’s ", "Minsheng E. ", "N. ", "E.", "NE", " NW", " S"),
    *(", Springfield", ", New York", ", Taipei City", ", Ab-c1", ", Dover.", ", Dover., ", ", London"),
    *(" IL 62704", ", NY 10001-1234", " 12345", " 12345.6", " 1234/5", " 123,4", ", 94110"),
    *(" SW1A 1AA", " EC1A1BB", " M1 1AE", " B33 8TH", " W1", " CR2 6XH", " DN55 1PT"),
    *("ul. ", "al. ", "os. ", "pl. ", "ul.", "Ul. ", "xul. ", "Długa 5", "Jana Pawła ", "Łąkowa ", "12/4", " 00-950"),
    *(", 00-950 Warszawa", " 31-042 Kraków Stare", "Ąb ", "Żółta 3"),
    *(" ", " ", "\t", ", ", ",", ".", " \t ", "\n", "-", "'", "’", "Capital ", "City ", "The "),
]
TYPED_PIECES += ADDRESS_PIECES
SHORT_PIECES = [p for p in TYPED_PIECES if len(p) <= 3]
# An address's slots in order, each with what fills it, near misses and nothing: joined, they
# make addresses and what nearly is one (the rules' branches, backtracking and tails).
ADDRESS_SLOTS = [
    [
        "",
        "",
        "3F., ",
        "12F ",
        "Flat ",
        "House ",
        "Apt ",
        "Apartment ",
        "Plot ",
        "Door ",
        "P.O. Box ",
        "P O Box ",
        "ul. ",
    ],
    ["", "No. ", "No.", "No ", "no. "],
    ["12", "1", "221B", "12-3", "123456", "٣", "7a", "12/4", "", "x12"],
    ["", ",", ", Lane 5", ", Sec. 2", ", 3F", ", Alley 7, Ln. 2", ", Floor 1"],
    [" ", "  ", "\t", ", ", "", ",\t"],
    ["", "Main ", "Oak ", "Old Mill ", "O'Neil ", "St. John’s ", "Minsheng E. ", "N. ", "Rose Court, ", "Długa ", "a "],
    ["", "Hill ", "Green ", "The ", "Łąkowa "],
    [
        "Street",
        "St",
        "Rd",
        "Road",
        "Lane",
        "Ave",
        "Pl",
        "Way",
        "Stx",
        "Roads",
        "Nagar",
        "Marg",
        "Box 4",
        "5",
        "5/3",
        "",
    ],
    ["", ".", ". ", " "],
    ["", "", " N", " NE", " Sw", ", Apt 4B", " Suite 100", ", # 5", " Unit", ", Flat"],
    ["", "", ", Springfield", ", New York City", ", Ab-c1", ", Dover.", ", Dover., Kent", ", Section 4", ", 12F"],
    [
        "",
        "",
        " IL 62704",
        ", 10001-1234",
        " 12345.6",
        " 1234/5",
        " 123,4",
        " SW1A 1AA",
        " M1 1AE",
        " DN55 1PT",
        ", 00-950 Warszawa",
    ],
    ["", "", ", USA", ", Taipei City 106", ".", ", ", " and", "\n", " x"],
]

POLISH_SLOTS = [
    ["ul. ", "al. ", "os. ", "pl. ", "Ul. ", "xul. ", "ul.", "(al. ", "os."],
    ["", " ", "\t"],
    ["Długa", "Jana Pawła II", "Łąkowa", "żółta", "Ąb-c", "O'Hara", "Nowy Świat", "A B C D E"],
    [" ", "  ", "\t", "", ", "],
    ["5", "12a", "5/3", "٣", "5/", "12B/4", "x"],
    ["", "", ", 00-950 Warszawa", " 31-042 Kraków Stare Miasto", ",00-950 Łódź", " 00-95 X", ", 00-950"],
    ["", ".", ", Polska", " and", "\n"],
]


def address_like(rng: random.Random) -> str:
    """An address, or what nearly is one, from ``ADDRESS_SLOTS`` or ``POLISH_SLOTS`` (one slot sometimes repeated)."""
    slots = [rng.choice(options) for options in rng.choice([ADDRESS_SLOTS, ADDRESS_SLOTS, POLISH_SLOTS])]
    if rng.random() < 0.2:
        k = rng.randrange(len(slots))
        slots.insert(k, slots[k])
    return "".join(slots)


TYPED_RULES = [r.name for r in deid_rules.RULES if r.kind not in ("PATIENT", "DOCTOR")]


def old_privacy(rev: str) -> ModuleType:
    """``privacy.py``, ``identifiers.py`` and ``deid_rules.py`` as they were at ``rev``, a package of its own."""
    folder = Path(tempfile.mkdtemp(prefix="deid-diff-")) / "olddeid"
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for name in ("privacy.py", "identifiers.py", "deid_rules.py"):
        text = subprocess.run(
            ["git", "show", f"{rev}:medqa_ds/pipeline/{name}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        (folder / name).write_text(text.replace("from .. import", "from medqa_ds import"), encoding="utf-8")
    sys.path.insert(0, str(folder.parent))
    spec = importlib.util.spec_from_file_location(
        "olddeid", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    sys.modules["olddeid"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules["olddeid"])
    return importlib.import_module("olddeid.privacy")


def strings(node: Any) -> list[str]:
    """Every non-empty string of a JSON-like record."""
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return [node] if isinstance(node, str) and node else []


def texts(pages: int) -> list[str]:
    """The texts of every record the goldens know, each record's texts also joined as the step joins them."""
    out = []
    for record in clean_diff.parsed_records(pages):
        found = strings(record)
        out += found
        out.append(privacy._JOIN.join(found))
        out.append(record["provenance"]["file"].replace("_", "\n"))
    for rule in deid_rules.RULES:
        out += [text for text, _ in rule.replaces] + list(rule.keeps)
    return list(dict.fromkeys(out))


def mutations(base: list[str], n: int, rng: random.Random) -> list[str]:
    """Half the texts mutated with the pieces put in, half built of pieces alone (dense in matches)."""
    out = []
    for i in range(n // 4):  # addresses: built slot by slot or of their pieces, put in other texts
        if i % 2:
            text = " ".join(address_like(rng) for _ in range(rng.randint(1, 3)))
        else:
            pieces = rng.choices(ADDRESS_PIECES, k=rng.randint(2, 16)) + rng.choices(SHORT_PIECES, k=rng.randint(0, 4))
            rng.shuffle(pieces)
            text = "".join(pieces)
        if rng.random() < 0.3:
            k = rng.randint(0, len(text))
            text = text[:k] + rng.choice(base)[:200] + text[k:]
        out.append(clean_diff.mutate(text, rng) if rng.random() < 0.2 else text)
    n -= n // 4
    for _ in range(n // 2):
        text = rng.choice(base)
        if len(text) > 400:
            k = rng.randint(0, len(text) - 300)
            text = text[k : k + 300]
        for _ in range(rng.randint(1, 6)):
            k = rng.randint(0, len(text))
            text = text[:k] + rng.choice(TYPED_PIECES) + text[k:]
        out.append(clean_diff.mutate(text, rng) if rng.random() < 0.3 else text)
    for _ in range(n - n // 2):
        pieces = rng.choices(TYPED_PIECES, k=rng.randint(1, 12)) + rng.choices(SHORT_PIECES, k=rng.randint(0, 12))
        rng.shuffle(pieces)
        out.append("".join(pieces))
    return out


def typed_case(module: ModuleType, text: str, names: list[str], off: frozenset[str]) -> tuple[str, Counter[str]]:
    counts: Counter[str] = Counter()
    make = getattr(module, "_Names", None) or module._names  # the old step's Python class, or the core's
    known = make(names, [], [], set()) if names else None
    return module._typed(text, counts, known, module.Policy(off=off)), counts


def compare_typed(old: ModuleType, cases: list[str], rng: random.Random) -> tuple[int, Counter[str]]:
    """The differences, and how many texts each rule replaced something in (the old step's)."""
    old_ids = sys.modules["olddeid.identifiers"]
    diffs = 0
    hit: Counter[str] = Counter()
    for text in cases:
        names = rng.choice([[], [], [], ["Lin Meihua"], ["Mei Ling"], ["Kai"]])
        off = frozenset(rng.sample(TYPED_RULES, rng.randint(1, 4))) if rng.random() < 0.1 else frozenset()
        checks = 1 if rng.random() < 0.05 else 1_000
        old_ids.PHONE_CHECKS = identifiers.PHONE_CHECKS = checks
        a = typed_case(old, text, names, off)
        b = typed_case(privacy, text, names, off)
        hit.update(key for key in a[1] if key.startswith("rule:"))
        if a != b:
            diffs += 1
            if diffs <= 10:
                print(
                    f"_typed differs (names {names}, off {sorted(off)}, checks {checks}): {text!r}\n"
                    f"  old {a!r}\n  new {b!r}"
                )
    old_ids.PHONE_CHECKS = identifiers.PHONE_CHECKS = 1_000
    return diffs, hit


def timed(step: Callable[[str], Any], cases: list[str]) -> float:
    """µs per text of ``step``, best of three runs."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for text in cases:
            step(text)
        best = min(best, time.perf_counter() - start)
    return best / max(len(cases), 1) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["typed"], default="typed")
    parser.add_argument("--rev", default="6f5b203")
    parser.add_argument("--pages", type=int, default=2_000)
    parser.add_argument("--mutations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    old = old_privacy(args.rev)
    rng = random.Random(args.seed)
    base = texts(args.pages)
    mutated = mutations(base, args.mutations, rng)
    diffs, hit = compare_typed(old, base + mutated, rng)
    t_old = timed(lambda t: old._typed(t, Counter(), None), base)
    t_new = timed(lambda t: privacy._typed(t, Counter(), None), base)
    print(
        f"typed: {len(base)} texts + {len(mutated)} mutations: {diffs} differences; "
        f"_typed on the texts {t_old:.1f} µs/text old, {t_new:.1f} µs/text new"
    )
    print("texts each rule replaced in:", ", ".join(f"{key[5:]} {n}" for key, n in sorted(hit.items())))
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
