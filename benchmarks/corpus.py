"""A realistic benchmark corpus: N raw pages, deterministic for a seed, in every built-in source's layout.

Rates follow what the real crawls show: most pages whole, many saved cut at 2,000 bytes, a few
saved twice, some questions asked again, and a trickle of files that are not pages at all.

    python benchmarks/corpus.py OUT_DIR --pages 100000 [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

RATES = {  # share of files of each kind; the rest are whole doctorqna pages in the full layout
    "doctorqna_compact": 0.15,
    "askadoctor": 0.20,
    "askadoctor_free": 0.06,
    "icliniq": 0.06,  # its run-together breadcrumbs feed the specialty lookup many distinct strings
    "askthedoctor": 0.04,
    "meddialog": 0.01,  # corpus files of several consultations each
    "cut_2000_bytes": 0.08,
    "exact_duplicate": 0.02,
    "near_duplicate": 0.03,
    "bad_file": 0.01,
}
SPECIALTIES = [
    "Cardiology",
    "Dermatology",
    "Neurology",
    "Orthopedics",
    "Family Medicine",
    "Psychiatry",
    "Ophthalmology",
    "Internal Medicine",
    "Urology",
    "Otolaryngology",
    "Pediatrics",
    "Neurosurgery",
]
ROLES = [
    "General and Family Physician",
    "Internal Medicine Specialist",
    "Cardiologist",
    "Dermatologist",
    "Neurologist",
    "Psychiatrist",
    "Orthopaedic Surgeon",
    "ENT Specialist",
]
WORDS = [
    "pain",
    "ache",
    "swelling",
    "fever",
    "cough",
    "rash",
    "itch",
    "numbness",
    "tingling",
    "stiffness",
    "dizziness",
    "fatigue",
    "nausea",
    "headache",
    "palpitations",
    "pressure",
    "cramp",
    "bruise",
    "lump",
    "redness",
    "burning",
    "weakness",
    "tremor",
    "spasm",
    "morning",
    "evening",
    "night",
    "week",
    "month",
    "year",
    "daily",
    "often",
    "sometimes",
    "rarely",
    "suddenly",
    "slowly",
    "after",
    "before",
    "during",
    "walking",
    "running",
    "sitting",
    "sleeping",
    "eating",
    "drinking",
    "working",
    "climbing",
    "lifting",
    "left",
    "right",
    "upper",
    "lower",
    "back",
    "chest",
    "neck",
    "knee",
    "wrist",
    "ankle",
    "shoulder",
    "hip",
    "elbow",
    "finger",
    "toe",
    "eye",
    "ear",
    "throat",
    "stomach",
    "skin",
    "scalp",
    "jaw",
    "heel",
    "calf",
    "thigh",
    "blood",
    "pressure",
    "sugar",
    "level",
    "test",
    "result",
    "doctor",
    "clinic",
    "hospital",
    "medicine",
    "tablet",
    "cream",
    "injection",
    "exercise",
    "rest",
    "diet",
    "water",
    "coffee",
    "stress",
    "anxiety",
    "worry",
    "mild",
    "severe",
    "sharp",
    "dull",
    "constant",
    "recurring",
    "new",
    "old",
    "worse",
    "better",
]
# Askers' names are made of pinyin syllables, as on the real pages: tens of thousands of different
# names, so the privacy step meets a new name on most pages (and compiles its pattern), as it does there.
FAMILY = [
    "Chen",
    "Lin",
    "Huang",
    "Zhang",
    "Li",
    "Wang",
    "Wu",
    "Liu",
    "Cai",
    "Yang",
    "Xu",
    "Zheng",
    "Xie",
    "Guo",
    "Hong",
    "Qiu",
    "Zeng",
    "Liao",
    "Lai",
    "Zhou",
    "Ye",
    "Su",
    "Zhuang",
    "Lu",
    "Jiang",
    "He",
    "Luo",
    "Gao",
    "Pan",
    "Jian",
    "Zhu",
    "Zhong",
    "Peng",
    "Tian",
    "Ding",
    "Shen",
    "Song",
    "Fang",
    "Tang",
    "Ma",
    "Yu",
    "Dai",
    "Fan",
    "Wei",
    "Du",
    "Yan",
    "Kang",
    "Shi",
    "Hu",
    "Xiao",
    "Meng",
    "Bai",
    "Tao",
    "Qian",
    "Cheng",
    "Ren",
]
GIVEN = [
    "an",
    "bai",
    "bo",
    "chen",
    "chun",
    "dan",
    "di",
    "fang",
    "fei",
    "feng",
    "gang",
    "hai",
    "hao",
    "hong",
    "hua",
    "hui",
    "jia",
    "jian",
    "jie",
    "jin",
    "jing",
    "jun",
    "kai",
    "lan",
    "lei",
    "li",
    "lian",
    "ling",
    "mei",
    "min",
    "ming",
    "na",
    "ning",
    "ping",
    "qian",
    "qiang",
    "qing",
    "rong",
    "rui",
    "shan",
    "sheng",
    "shu",
    "ting",
    "wei",
    "wen",
    "xia",
    "xiang",
    "xiao",
    "xin",
    "xiu",
    "xuan",
    "yan",
    "yang",
    "yi",
    "ying",
    "yu",
    "yue",
    "yun",
    "zhen",
    "zhi",
    "zhong",
]
DOCTORS = ["Wen Lihua", "He Dongjin", "Lan Shengxing", "Cai Mingde", "Xie Hongjia", "Zhang Yuhua"]


def sentence(rng: random.Random, words: int | None = None) -> str:
    """A made-up sentence from the word pool."""
    n = words or rng.randint(8, 22)
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + rng.choice([".", ".", ".", "?"])


def paragraph(rng: random.Random, sentences: int) -> list[str]:
    return [sentence(rng) for _ in range(sentences)]


def asker(rng: random.Random) -> tuple[str, str]:
    """An asker's name as the page shows it, and the name a doctor greets them by."""
    given = rng.choice(GIVEN).capitalize()
    given += rng.choice(GIVEN) if rng.random() < 0.7 else given.lower()  # "Lijun", "Qianqian"
    form = rng.random()
    if form < 0.4:
        return f"{rng.choice(FAMILY)} {given}", given
    if form < 0.55:
        return f"Xiao {given[: len(given) // 2]}", f"Xiao{given[: len(given) // 2].lower()}"
    return given, given


def doctorqna(rng: random.Random, compact: bool) -> str:
    spec = rng.choice(SPECIALTIES)
    name, greeted = asker(rng)
    greeting = rng.choice([f"Dear {greeted}, ", f"Hello {greeted}: ", f"Hi {greeted}, ", "Hello! ", ""])
    title = sentence(rng, rng.randint(3, 9)).rstrip(".?") + "?"
    lines = [] if compact else [f"{sentence(rng, 6).rstrip('.?')}: What to Know - {spec}", "", "Share to:", ""]
    lines += [
        title,
        "",
        "",
        "Hello Dr.",
        f"{rng.choice(DOCTORS).split()[0]}: {sentence(rng)}",
        *paragraph(rng, rng.randint(3, 9)),
        "",
        f"{name}, {rng.choice([10, 20, 30, 40, 50, 60])}~"
        f"{rng.choice([19, 29, 39, 49, 59, 69])} year old {rng.choice(['female', 'male'])}. "
        f"Ask Date: {rng.randint(2003, 2024)}/{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}",
        "",
        f"Dr. {rng.choice(DOCTORS)} reply {spec}",
        "",
        "",
        greeting + sentence(rng),
        *paragraph(rng, rng.randint(1, 7)),
        "",
        f"Reply Date: {rng.randint(2003, 2024)}/{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}",
        "",
        "More Info",
        "",
        "",
    ]
    for _ in range(rng.randint(3, 6)):
        lines += [" ".join(paragraph(rng, rng.randint(3, 6))), ""]
    lines += ["Similar Q&A", ""]
    for _ in range(rng.randint(0, 4)):
        t = sentence(rng, 7).rstrip(".?")
        lines += [
            t,
            "",
            sentence(rng, 30)[:-1] + "...",
            "",
            "",
            f"Dr. {rng.choice(DOCTORS)} reply {spec}",
            sentence(rng, 30)[:-1] + "...",
            "",
            f"[Read More] {t}",
            "",
            "",
        ]
    lines += ["Related FAQ", ""]
    for _ in range(rng.randint(0, 10)):
        lines += [sentence(rng, 3).rstrip(".?").title(), "", f"({spec})", ""]
    text = "\n".join(lines).rstrip()
    return "\n".join(l for l in text.split("\n") if l) if compact else text


def askadoctor(rng: random.Random) -> str:
    lines = [sentence(rng, rng.randint(6, 10)).rstrip(".?").title()[: rng.randint(30, 60)]]
    if rng.random() < 0.5:
        lines += paragraph(rng, rng.randint(2, 6))
    for _ in range(rng.choice([1, 1, 1, 2])):
        lines += [
            sentence(rng, 12).rstrip("."),
            "Detailed Answer:",
            "Hello and welcome,",
            *paragraph(rng, rng.randint(4, 10)),
        ]
        if rng.random() < 0.8:
            lines += ["Regards,", f"Dr. {rng.choice(DOCTORS)}", rng.choice(ROLES)]
    return "\n".join(lines)


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28)


def askadoctor_free(rng: random.Random) -> str:
    """A free question: title, question, ``Posted on``, then per doctor ``<Role> <Dr. Name>'s  Response``."""
    y, m, d = _date(rng)
    day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][rng.randint(0, 6)]
    month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]
    lines = [
        sentence(rng, rng.randint(5, 9)).rstrip(".?").title() + "?",
        *paragraph(rng, rng.randint(2, 5)),
        f"Posted on {day}, {d:02d} {month} {y}",
    ]
    for _ in range(rng.choice([1, 1, 2])):
        doctor = rng.choice(DOCTORS)
        lines += [
            f"{rng.choice(ROLES)} Dr. {doctor}'s  Response",
            "Hello and thanks for the query.",
            *paragraph(rng, rng.randint(3, 7)),
            "Hope this helps.",
            f"Dr. {doctor}",
        ]
    return "\n".join(lines)


def icliniq(rng: random.Random) -> str:
    """A thread: the run-together breadcrumb, title, dates, then the patient's query and the reply."""
    spec, topic = rng.choice(SPECIALTIES), " ".join(rng.sample(WORDS, 2))
    title = sentence(rng, rng.randint(5, 9)).rstrip(".?") + "?"
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    y, m, d = _date(rng)
    lines = [
        f"HomeAnswers{spec}{topic}{title}",
        "",
        title,
        "",
        f"Answered by Dr. {rng.choice(DOCTORS)}",
        rng.choice(ROLES),
        "",
        f"Published At {months[m - 1]} {d}, {y}",
        f"Reviewed At{months[m - 1]} {d}, {y + 1}",
        "",
        "Patient's Query",
        "",
        "Hi doctor,",
        "",
        " ".join(paragraph(rng, rng.randint(3, 6))),
        "",
        "Hello,",
        "",
        "Welcome to icliniq.com.",
        "",
    ]
    for _ in range(rng.randint(1, 3)):
        lines += [" ".join(paragraph(rng, rng.randint(2, 5))), ""]
    return "\n".join(lines).rstrip()


def askthedoctor(rng: random.Random) -> str:
    """An optional title, then ``Patient:`` and ``Doctor:``."""
    title = [sentence(rng, rng.randint(4, 8)).rstrip(".?") + "?", ""] if rng.random() < 0.7 else []
    return "\n".join(
        [
            *title,
            "Patient: " + " ".join(paragraph(rng, rng.randint(2, 5))),
            "",
            "Doctor: " + " ".join(paragraph(rng, rng.randint(3, 7))),
        ]
    )


def meddialog(rng: random.Random, n: int) -> str:
    """A MedDialog corpus file: several consultations, each ``id=``, URL, Description, Dialogue."""
    blocks = []
    for k in range(rng.randint(3, 8)):
        title = sentence(rng, rng.randint(4, 8)).rstrip(".?") + "?"
        slug = "-".join(title.rstrip("?").split()[:6])
        blocks.append(
            "\n".join(
                [
                    f"id={n * 10 + k}",
                    f"https://www.healthcaremagic.com/questions/{slug}/{n * 10 + k}",
                    "Description",
                    title,
                    "Dialogue",
                    "Patient:",
                    " ".join(paragraph(rng, rng.randint(2, 4))),
                    "Doctor:",
                    " ".join(paragraph(rng, rng.randint(2, 5))),
                ]
            )
        )
    return "\n\n".join(blocks) + "\n"


def reasked(rng: random.Random, page: str) -> str:
    """The same question asked again by someone else: the title reworded a little, one sentence of
    the question replaced, new dates."""
    lines = page.split("\n")
    title = 4 if len(lines) > 4 and lines[2] == "Share to:" else 0
    lines[title] = "Still wondering: " + lines[title]
    body = [k for k in range(title + 1, min(len(lines), title + 12)) if len(lines[k]) > 40]
    if len(body) > 1:
        lines[body[1]] = sentence(rng)
    return "\n".join(lines).replace("Ask Date: 20", "Ask Date: 19")


BAD = [
    b"",
    b"\x00\x01\x02binary\x00" * 40,
    "caf\xe9 latin-1 text\n".encode("latin-1"),
    b"<html><body>Weather: sunny</body></html>",
]


def generate(out: Path, pages: int, seed: int = 0) -> dict[str, int]:
    """Write ``pages`` files below ``out`` (1,000 per folder); returns how many of each kind."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    kept: list[str] = []  # recent pages, for duplicates
    for n in range(pages):
        r = rng.random()
        kind, edge = "doctorqna_full", 0.0
        for name, share in RATES.items():
            edge += share
            if r < edge:
                kind = name
                break
        if kind in ("exact_duplicate", "near_duplicate") and not kept:
            kind = "doctorqna_full"
        if kind == "bad_file":
            data = BAD[n % len(BAD)]
        else:
            if kind == "exact_duplicate":
                text = rng.choice(kept)
            elif kind == "near_duplicate":
                text = reasked(rng, rng.choice(kept))
            elif kind == "askadoctor":
                text = askadoctor(rng)
            elif kind == "askadoctor_free":
                text = askadoctor_free(rng)
            elif kind == "icliniq":
                text = icliniq(rng)
            elif kind == "askthedoctor":
                text = askthedoctor(rng)
            elif kind == "meddialog":
                text = meddialog(rng, n)
            else:
                text = doctorqna(rng, compact=kind == "doctorqna_compact")
            if kind == "cut_2000_bytes":
                text = text.encode()[:2000].decode("utf-8", "ignore")
            else:
                kept = (kept + [text])[-1000:]
            data = text.encode()
        folder = out / f"{n // 1000:05d}"
        if n % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n:08d}.txt").write_bytes(data)
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def files(pages: int, seed: int = 0) -> list[tuple[str, bytes]]:
    """(relative path, bytes) of every file of a corpus of ``pages`` generated in a temporary
    folder, in sorted order: what the benchmark scripts measure their steps on."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), pages, seed=seed)
        return [(str(f.relative_to(tmp)), f.read_bytes()) for f in sorted(Path(tmp).rglob("*.txt"))]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--pages", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    start = time.perf_counter()
    counts = generate(args.out, args.pages, args.seed)
    print(f"wrote {args.pages} files to {args.out} in {time.perf_counter() - start:.1f}s: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
