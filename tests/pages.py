"""Invented pages in both source layouts, for tests that need many distinct pages.

The words are made up for the tests; the structure follows the real sites' layouts. Each ``n``
draws its own sentences, so two pages are not near-duplicates of each other unless a test makes
them so.
"""

from __future__ import annotations

import random

SPECIALTIES = ["Cardiology", "Dermatology", "Neurology", "Orthopedics", "Family Medicine"]
PARTS = ["knee", "elbow", "ear", "wrist", "ankle", "shoulder", "neck", "hip", "jaw", "chest", "scalp", "thumb"]
FEELINGS = [
    "a dull ache",
    "sharp twinges",
    "itchy patches",
    "a burning feeling",
    "stiffness",
    "numbness",
    "swelling",
    "clicking",
    "tingling",
    "throbbing",
    "cramps",
    "a cold sensation",
]
TIMES = [
    "in the morning",
    "after running",
    "at night",
    "when it rains",
    "after meals",
    "at work",
    "while driving",
    "after a shower",
    "during exams",
    "on weekends",
    "when I sit long",
    "after coffee",
]
EXTRAS = [
    "My mother had something similar years ago.",
    "I take vitamin pills every day.",
    "Painkillers help only a little.",
    "I started a new job last month.",
    "I sleep about five hours.",
    "It began after a long flight.",
    "My blood tests last year were normal.",
    "I do not smoke or drink.",
    "I tried ice packs without much change.",
    "A friend said it could be stress.",
    "I recently moved to a colder city.",
    "I play badminton twice a week.",
    "The clinic near me is closed on Sundays.",
    "I lost some weight this spring.",
    "I had a mild fever two weeks before.",
    "I spend most evenings at a computer.",
]
WORDS = [
    "amber",
    "basil",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "garnet",
    "harbor",
    "indigo",
    "juniper",
    "kestrel",
    "lagoon",
    "maple",
    "nectar",
    "orchid",
    "pepper",
    "quartz",
    "raven",
    "saffron",
    "tundra",
    "umber",
    "violet",
    "willow",
    "yarrow",
    "zephyr",
    "acorn",
    "bramble",
    "canyon",
    "dune",
    "estuary",
    "fern",
    "glacier",
    "heather",
    "iris",
    "jasmine",
    "kelp",
    "lichen",
    "meadow",
    "nettle",
    "oak",
    "pine",
]
NAMES = ["Mei", "Jun", "Anan", "Kiri", "Tomas", "Lior", "Noor", "Ines", "Yuki", "Omar", "Sana", "Ravi"]


def _question(rng: random.Random) -> tuple[str, list[str]]:
    part, feeling, time = rng.choice(PARTS), rng.choice(FEELINGS), rng.choice(TIMES)
    title = f"Why do I get {feeling} in my {part} {time}?"
    body = [
        f"For {rng.randint(2, 40)} days I have had {feeling} in my {part}, mostly {time}.",
        *rng.sample(EXTRAS, 3),
        "I keep notes: " + " ".join(rng.choice(WORDS) for _ in range(10)) + ".",
        f"Should I see someone about my {part}?",
    ]
    return title, body


def doctorqna_page(n: int, *, compact: bool = False) -> str:
    """A whole doctorqna page; ``n`` picks its question, asker and dates."""
    rng = random.Random(n)
    spec = SPECIALTIES[n % len(SPECIALTIES)]
    title, body = _question(rng)
    lines = [] if compact else [f"{title.rstrip('?')}: What It Could Mean - {spec}", "", "Share to:", ""]
    lines += [
        title,
        "",
        "",
        "Hello Dr.",
        f"Wen: {body[0]}",
        *body[1:],
        "",
        f"{rng.choice(NAMES)}{n}, {20 + n % 5 * 10}~{29 + n % 5 * 10} year old male. "
        f"Ask Date: 2019/04/{n % 28 + 1:02d}",
        "",
        f"Dr. Wen Lihua reply {spec}",
        "",
        "",
        f"Hello, this is often harmless, but please see a clinic if it lasts another {rng.randint(2, 6)} weeks.",
        "",
        f"Reply Date: 2019/05/{n % 28 + 1:02d}",
        "",
        "More Info",
        "",
        "",
        f"A machine-written overview of the case, number {n}.",
        "",
        "Related FAQ",
        "",
        "Common Aches",
        "",
        f"({spec})",
    ]
    if compact:
        lines = [line for line in lines if line]
    return "\n".join(lines)


def askadoctor_page(n: int) -> str:
    """A whole askadoctor premium thread with one reply."""
    rng = random.Random(10_000 + n)
    title, body = _question(rng)
    return "\n".join(
        [
            title.title().rstrip("?"),
            *body,
            f"Probably harmless, but worth a check within {rng.randint(1, 9)} weeks",
            "Detailed Answer:",
            "Hello and welcome,",
            "From what you describe, this is usually not serious.",
            "Please see your doctor if it does not settle in two weeks.",
            "Regards,",
            "Dr. Mira Castell",
            "General and Family Physician",
        ]
    )
