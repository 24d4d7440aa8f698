"""The removal rules, as data: each is one named object saying what it removes, where, and an example.

Rules only remove what belongs to the site or the signature, never a sentence of medical content
(``tests/test_cleaning.py`` checks every fixture and devset page for that). Three kinds:

- ``sentence``: a whole sentence that the pattern matches from start to end is removed;
- ``closing``: the same, but only among the answer's last sentences (a formula that ends it);
- ``tail``: a line that the pattern matches from start to end is removed with every line after it
  (a signature block, and the page's parts below it);
- ``replace``: every match is replaced by ``replacement`` (the site's own placeholders).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The privacy policy's placeholder for a patient (``privacy.PATIENT``, checked by a
# test; not imported: the pipeline package imports the parser, which imports this).
PATIENT = "[PATIENT]"
ALL = None  # ``sources`` of a rule that applies to every source


@dataclass(frozen=True)
class Rule:
    """One removal rule. ``example`` is a text holding what it removes; ``expected`` the same text cleaned."""

    name: str
    kind: str  # "sentence", "closing", "tail" or "replace"
    pattern: re.Pattern[str]
    removes: str  # for the card
    sources: tuple[str, ...] | None
    example: str
    expected: str
    replacement: str = ""

    def applies_to(self, source: str) -> bool:
        return self.sources is None or source in self.sources


_SITE = (
    r"(?:HCM|health\s*care\s*magic|healthcaremagic(?:\.com)?|icliniq(?:\.com)?|ask\s+the\s+doctor"
    r"|[\"“]?ask\s+a\s+doctor[\"”]?(?:\s+service)?|chat\s*doctor|doctorqna|meddialog)"
)
_NAME = r"[A-Z][\w'’-]*\.?(?:[ -][A-Z][\w'’-]*\.?){0,3}"
_ROLE = (
    r"(?:Director|Deputy|Chief|Head|Attending|Consultant|Resident|Professor|Physician|Surgeon|Specialist"
    r"|Superintendent|Department|M\.?D\.?|MBBS|MS|DNB|FRCS|PhD)\b"
)

RULES: tuple[Rule, ...] = (
    Rule(
        name="site_placeholder",
        kind="replace",
        pattern=re.compile(r"\bX{5,}\b"),
        replacement=PATIENT,
        removes=f"the site's own anonymisation placeholder (\"XXXXXXX\"), replaced by the privacy policy's {PATIENT}",
        sources=ALL,
        example="Hello XXXXXXX\nYour TSH is 6.2.",
        expected=f"Hello {PATIENT}\nYour TSH is 6.2.",
    ),
    Rule(
        name="site_greeting",
        kind="sentence",
        pattern=re.compile(
            r"(?i:(?:(?:hi|hello|hey|dear\s+\w+)[\s,.!:]*)?(?:and\s+)?(?:(?:a\s+)?(?:warm\s+|very\s+)?welcome(?:\s+back)?\s+to"
            r"|thanks?(?:\s+you)?\s+for\s+(?:\w+\s+){0,3}?(?:in|on|at|to|with|using|choosing))\s+(?:the\s+)?"
            + _SITE
            + r"(?:\s+(?:service|forum|platform|website))?\s*[.!,]*)"
        ),
        removes='a greeting or thanks that names the site or its service ("Welcome to icliniq.com.", '
        '"Thanks for posting in HCM.", "Hello and welcome to \\"Ask a Doctor\\" service.")',
        sources=ALL,
        example="Hi,\nWelcome to Healthcare Magic!\nYour TSH of 6.2 mIU/L is raised.",
        expected="Hi,\nYour TSH of 6.2 mIU/L is raised.",
    ),
    Rule(
        name="self_introduction",
        kind="sentence",
        pattern=re.compile(
            r"(?i:(?:hi|hello)[\s,.!]*)?(?i:I\s+am|I'm|this\s+is|my\s+name\s+is)\s+(?i:dr\.?)\s*"
            + _NAME
            + r"(?i:[\s,]+(?:and\s+I\s+(?:am|will\s+be)\s+)?(?:answering|addressing|here\s+to"
            r"\s+answer|reviewing)\s+(?:your\s+)?(?:query|question|concern)(?:\s+today)?)?\s*[.!]?"
        ),
        removes='a doctor introducing themselves ("I am Dr Anshul Varshney.", "I am Dr X answering your query.")',
        sources=ALL,
        example="Welcome To HCM. I am Dr Mira Kohl. I understand your concern. Take 50 mcg daily.",
        expected="I understand your concern. Take 50 mcg daily.",
    ),
    Rule(
        name="hospital_slogan",
        kind="sentence",
        pattern=re.compile(
            r"(?:The\s+)?(?:[A-Z][\w'’-]{0,40}\s+){0,6}Hospital(?:\s+of(?:\s+the)?(?:\s+(?:[A-Z][\w'’-]*|and|of|the))+)?"
            r"\s+(?:cares\s+about\s+you|is\s+concerned\s+about\s+your\s+(?:well-being|health))\s*[.!]?"
        ),
        removes='a hospital\'s slogan closing an answer ("Ping An Changhua Hospital cares about you.", '
        '"Changhua Hospital is concerned about your well-being.")',
        sources=("doctorqna",),
        example="Quit smoking; 20 cigarettes a day is a risk.\nPuli Hospital cares about you.",
        expected="Quit smoking; 20 cigarettes a day is a risk.",
    ),
    Rule(
        name="closing_formula",
        kind="closing",
        pattern=re.compile(
            r"(?i:(?:I\s+)?hope\s+(?:this|it|that|my\s+(?:answer|reply))\s+(?:helps|has\s+helped|clarifies|answers)[\w\s,'’]*"
            r"|(?:with\s+)?(?:best\s+|kind\s+|warm\s+)?(?:regards|wishes)|best\s+of\s+luck|good\s+luck"
            r"|wishing\s+you\s+[\w\s,-]+|wish\s+you\s+(?:a\s+)?(?:good|speedy|quick)\s+[\w\s-]+"
            r"|stay\s+(?:healthy|safe)|take\s+care|thank\s+you|thanks"
            r"|please\s+(?:write|get)\s+back\s+(?:to\s+me\s+)?if\s+you\s+have\s+any\s+(?:further\s+)?(?:doubts?|quer(?:y|ies)|questions?)"
            r"|if\s+you\s+have\s+any\s+(?:further|more|other)\s+(?:quer(?:y|ies)|questions?|doubts?),?\s+(?:please\s+)?"
            r"(?:ask\s+me|feel\s+free\s+to\s+ask(?:\s+me)?|write\s+back(?:\s+to\s+me)?|let\s+me\s+know)"
            r"|I\s+remain\s+at\s+your\s+disposal[\w\s,]*|feel\s+free\s+to\s+(?:ask|write\s+back)[\w\s]*)\s*[.!,]*"
        ),
        removes='a closing formula among the answer\'s last sentences ("Hope this helps.", "Regards", '
        '"Wishing you good health.", "Stay Healthy.", "I remain at your disposal.")',
        sources=ALL,
        example="Repeat the test in 3 months.\nHope this helps.\nStay Healthy.",
        expected="Repeat the test in 3 months.",
    ),
    Rule(
        name="signature",
        kind="tail",
        pattern=re.compile(
            r"(?i:(?:sincerely|regards|yours\s+(?:truly|sincerely)|with\s+regards)[\s,]+)?(?i:dr\.?)\s*"
            + _NAME
            + r"(?:[\s,]+"
            + _ROLE
            + r".*)?\s*"
        ),
        removes='a signature line ("Sincerely, Dr. X, Director of Dermatology, … Hospital", "Dr Preeti Parakh") '
        "and the page's parts below it (qualifications, \"peer-reviewed by\", the author's bio)",
        sources=ALL,
        example="Use 1% hydrocortisone twice daily.\nDr Lena Park\nMD Dermatology",
        expected="Use 1% hydrocortisone twice daily.",
    ),
    Rule(
        name="site_chrome_tail",
        kind="tail",
        pattern=re.compile(
            r"(?i:ask\s+the\s+doctor|comments\s*/\s*follow\s*ups|view\s+all\s+posts|above\s+answer\s+was"
            r"\s+peer-reviewed\s+by\b.*)\s*"
        ),
        removes='the site\'s name or page parts below an answer ("Ask The Doctor", "Comments / Follow Ups", '
        '"Above answer was peer-reviewed by …") and everything after them',
        sources=("askthedoctor", "askadoctor"),
        example="Take ibuprofen 400 mg.\nComments / Follow Ups",
        expected="Take ibuprofen 400 mg.",
    ),
    Rule(
        name="follow_up_in_answer",
        kind="tail",
        pattern=re.compile(r"Follow up:\s+(?i:dr\.?)\s*" + _NAME + r"\s*(?:\([^)]*\))?\s*"),
        removes='a patient\'s follow-up that the page shows below the answer ("Follow up: Dr. X (8 hours later)" and '
        "the patient's text): it is the patient's turn, not the answer",
        sources=("askadoctor",),
        example="Take 25 mcg daily.\nFollow up: Dr. Ann Roy (2 hours later)\nThanks doctor",
        expected="Take 25 mcg daily.",
    ),
)

# Rules whose removed text is another person's turn, not the answer's: the medical-content check
# does not apply to what they remove.
OTHER_TURN = frozenset({"follow_up_in_answer"})


def by_name(name: str) -> Rule:
    """The rule called ``name``."""
    return next(r for r in RULES if r.name == name)
