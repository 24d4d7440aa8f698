"""Invented pages in both source layouts, for tests that need many distinct pages.

The words are made up for the tests; the structure follows the real sites' layouts.
"""

from __future__ import annotations

SPECIALTIES = ["Cardiology", "Dermatology", "Neurology", "Orthopedics", "Family Medicine"]
SYMPTOMS = ["a dull ache in my left knee", "itchy patches on both elbows", "ringing in one ear",
            "a racing pulse after climbing stairs", "numb fingertips in the morning"]


def doctorqna_page(n: int, *, compact: bool = False) -> str:
    """A whole doctorqna page; ``n`` makes its title and question unique."""
    spec = SPECIALTIES[n % len(SPECIALTIES)]
    symptom = SYMPTOMS[n % len(SYMPTOMS)]
    title = f"Question {n}: why do I have {symptom}?"
    lines = [] if compact else [f"Understanding Case {n}: What It Could Mean - {spec}", "", "Share to:", ""]
    lines += [title, "", "",
              "Hello Dr.", f"Wen: for {n % 9 + 2} weeks I have noticed {symptom}.",
              "It gets worse in the evening. Should I worry?", "",
              f"Asker{n}, {20 + n % 5 * 10}~{29 + n % 5 * 10} year old male. Ask Date: 2019/04/{n % 28 + 1:02d}", "",
              f"Dr. Wen Lihua reply {spec}", "", "",
              f"Hello, {symptom} is often harmless, but please see a clinic if it lasts another month.", "",
              f"Reply Date: 2019/05/{n % 28 + 1:02d}", "",
              "More Info", "", "", f"Case {n} is a machine-written overview of {symptom}.", "",
              "Related FAQ", "", "Common Aches", "", f"({spec})"]
    if compact:
        lines = [line for line in lines if line]
    return "\n".join(lines)


def askadoctor_page(n: int) -> str:
    """A whole askadoctor premium thread with one reply."""
    symptom = SYMPTOMS[n % len(SYMPTOMS)]
    return "\n".join([
        f"Why Do I Have {symptom.title()} Case {n}",
        f"For {n % 7 + 1} days I have had {symptom}. What should I do?",
        f"Probably harmless, case {n}, but worth a check",
        "Detailed Answer:",
        "Hello and welcome,",
        f"From what you describe, {symptom} is usually not serious.",
        "Please see your doctor if it does not settle in two weeks.",
        "Regards,",
        "Dr. Mira Castell",
        "General and Family Physician",
    ])
