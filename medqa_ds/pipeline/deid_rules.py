"""The de-identification rules as data: each one's name, what it replaces, and examples of both what
it replaces and what it must keep.

``privacy.py`` applies each rule where its name is checked (``policy.uses(name)``); the examples
are the rule's contract: tests/test_privacy.py runs every rule on its own examples, and again with
the rule switched off to show each example needs it. A port of the step (another language) runs
the same examples. ``asker`` is the asker's name field of an example's record, when it needs one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rule: its name, the placeholder kind it writes, and its examples."""

    name: str
    kind: str
    what: str
    replaces: tuple[tuple[str, str], ...]  # (text, the text as published)
    keeps: tuple[str, ...] = ()  # texts it must change nothing in (near misses)
    asker: str | None = None


RULES: tuple[Rule, ...] = (
    # --- people ---------------------------------------------------------------------------------
    Rule(
        "asker-name",
        "PATIENT",
        "the asker's name field, wherever its name recurs (the field itself is emptied)",
        (("Thanks, Meihua Lin, or LIN-MEIHUA, or linmeihua.", "Thanks, [PATIENT], or [PATIENT], or [PATIENT]."),),
        ("Lin is a common family name of doctors here.",),
        asker="Lin Meihua",
    ),
    Rule(
        "salutation",
        "PATIENT",
        'a name a greeting addresses ("Dear Lin:", "Hello, Wen Hao:")',
        (("Dear Anjali:\nrest well.", "Dear [PATIENT]:\nrest well."), ("Hello yoyo, rest.", "Hello [PATIENT], rest.")),
        ("Hello and welcome. Dear netizens: rest. Hello Doctor: thanks.",),
    ),
    Rule(
        "honorific",
        "PATIENT",
        "a name after Mr./Ms./Mrs./Miss",
        (("As Mr.\nArun Rao said, rest.", "As Mr.\n[PATIENT] said, rest."),),
        ("Ms. is how she signs.",),
    ),
    Rule(
        "self-introduction",
        "PATIENT",
        'a name the asker introduces themself by: "my name is X", "I am X", "I\'m X", "X here", "this is X", "it\'s X"',
        (
            ("my name is Chen Li.", "my name is [PATIENT]."),
            ("Hi doctor, I am Kofi Mensah, 40 years old.", "Hi doctor, I am [PATIENT], 40 years old."),
            ("Hello, this is Rahman Khan. I have a cough.", "Hello, this is [PATIENT]. I have a cough."),
            ("Hi, it's Priya. My knee hurts.", "Hi, it's [PATIENT]. My knee hurts."),
            ("Tomasz here, my knee hurts.", "[PATIENT] here, my knee hurts."),
        ),
        (
            "I am Indian, 40 years old.",
            "This is Crohn's disease, not IBS.",
            "I am worried.",
            "This is Dr. Rao, your doctor.",
            "It's Monday.",
            "I think it's Lyme. It's IBS.",
        ),
    ),
    Rule(
        "relation",
        "PATIENT",
        'a name a relation supplies: "my husband/wife/son/daughter/mother/father/friend/brother/sister X" '
        "(lower case too, and a full name in parentheses after a nickname)",
        (
            ("my husband ivan petrov has a cough.", "my husband [PATIENT] has a cough."),
            ("My son Ethan, 6, has a fever.", "My son [PATIENT], 6, has a fever."),
            ("my best friend mark says it is nothing.", "my best friend [PATIENT] says it is nothing."),
            ("my son Bobby (Robert Jones) is 6.", "my son [PATIENT] ([PATIENT]) is 6."),
        ),
        ("my husband has a cough and my son is 6.", "My mother had a stroke in 2019."),
    ),
    Rule(
        "family-name",
        "PATIENT",
        'a family named as one ("the X family")',
        (("We, the Kowalski family, thank you.", "We, the [PATIENT] family, thank you."),),
        ("My family and the whole family are well.", "the Parkinson family of drugs, the Wilson family"),
    ),
    Rule(
        "name-recurs",
        "PATIENT",
        "every part of a name found above, wherever it recurs in the record (answers, "
        "follow-ups, related pages): spacing, case, hyphen, order, line break, possessive; a name that is "
        'also a common word ("Hope", "Mark") only where it is capitalised inside a sentence',
        (
            (
                "Dear Anjali: rest, Anjali. Robert: ok. Robert, if you have time.\nMy son Robert is 6.",
                "Dear [PATIENT]: rest, [PATIENT]. [PATIENT]: ok. [PATIENT], if you have time.\nMy son [PATIENT] is 6.",
            ),
            (
                "Hello Hope, rest. Hope this helps, and I hope you rest, Hope.",
                "Hello [PATIENT], rest. Hope this helps, and I hope you rest, [PATIENT].",
            ),
        ),
        ("Dear Anjali: hope this helps, mark the date.",),
    ),
    Rule(
        "name-beside-placeholder",
        "PATIENT",
        'a family name beside a replaced given name ("Hello Given Family" where only "Given" was known)',
        (("Imran Khan wrote again. Khan is a family name.", "[PATIENT] wrote again. [PATIENT] is a family name."),),
        ("Imran Please rest. Imran The rash is fine.",),
        asker="Imran",
    ),
    Rule(
        "doctor",
        "DOCTOR",
        "doctors' names are kept (a public professional answering in public) and never taken "
        "for a patient's; replaced only with --redact-doctors",
        (("Hello Dr. Chen: see Dr. Chen Taicheng.", "Hello Dr. Chen: see Dr. Chen Taicheng."),),
        asker="Chen Meilan",
    ),
    # --- contacts and numbers ---------------------------------------------------------------------
    Rule(
        "url-personal",
        "URL",
        "a link that carries personal data (an e-mail, a profile path, a name/phone/id "
        "parameter, a long number); plain reference links are kept",
        (("see https://x.example.org/p?email=a%40b.com&x=1, or www.example.org/users/lin", "see [URL], or [URL]"),),
        ("https://x.example.org/article/54561 stays",),
    ),
    Rule(
        "email",
        "EMAIL",
        'an e-mail address, also written "name(at)host(dot)com"',
        (("Mail me: a.b+c@mail.example.com.", "Mail me: [EMAIL]."), ("or lin(at)example(dot)org", "or [EMAIL]")),
        ("a 2@3 ratio",),
    ),
    Rule(
        "email-spelled",
        "EMAIL",
        'an e-mail spelled out: "name at host dot com", "name at gmail.com"',
        (("write meihua at gmail dot com please", "write [EMAIL] please"), ("or raj.k at yahoo.co.in", "or [EMAIL]")),
        ("look at webmd.com and at home dot", "meet at noon."),
    ),
    Rule(
        "record-number",
        "MRN",
        "a medical record, chart, case, report, lab or hospital number; its label is kept",
        (
            ("MRN: 00123456 and case no. 2020-7781.", "MRN: [MRN] and case no. [MRN]."),
            ("see report no. GS-2021-7788", "see report no. [MRN]"),
            ("lab no. LB-44120 and specimen id S99812", "lab no. [MRN] and specimen id [MRN]"),
            ("Test number: 7781-2, bill no 2020/5531", "Test number: [MRN], bill no [MRN]"),
        ),
        ("the report is normal, no. 5 on the list",),
    ),
    Rule(
        "id-labelled",
        "ID",
        'a number after "ID", "passport", "NRIC", "NID", "Medicare"...',
        (
            ("passport no. Z8812345, NID 1987654321", "passport no. [ID], NID [ID]"),
            ("CNIC: 34201-0891231-8, Medicare 2123456789", "CNIC: [ID], Medicare [ID]"),
            ("my driving licence no. DL-0420110012345", "my driving licence no. [ID]"),
        ),
        ("ID card lost, id check ok", "my licence expired in 2019"),
    ),
    Rule(
        "date-personal",
        "DATE",
        "the day and month of a date of birth, admission, discharge or death",
        (
            ("I was born on 9 April 1972.", "I was born on [DATE] 1972."),
            ("DOB 04/09/1972, d.o.b.: 14 Feb 1957", "DOB [DATE] 1972, d.o.b.: [DATE] 1957"),
            ("My date of birth is 1957-02-14.", "My date of birth is [DATE] 1957."),
        ),
        ("Tested on 2021/02/27, HbA1c 5.6%; born in 1972.",),
    ),
    Rule(
        "id-shape",
        "ID",
        "an id with a distinctive shape: Taiwan's letter and nine digits (any case), a US SSN "
        "with dashes, an Indian Aadhaar, a Medicare MBI, a Vietnamese CCCD, a Bangladeshi NID (13 or 17 digits)",
        (
            ("ID f223456789 or A123456789", "ID [ID] or [ID]"),
            ("SSN 123-45-6789", "SSN [ID]"),
            ("card 1EG4-TE5-MK73 and 079203001234", "card [ID] and [ID]"),
            ("nid 19912345678901234", "nid [ID]"),
        ),
        ("platelets 150000-450000 /uL",),
    ),
    Rule(
        "id-checksum",
        "ID",
        "a national id confirmed by its checksum (python-stdnum): US SSN with spaces or none, "
        "Irish PPS, Polish PESEL, Pakistani CNIC, Japanese My Number",
        (
            ("mine is 536 90 4399 or 536904399", "mine is [ID] or [ID]"),
            ("PPS 1234567T, PESEL 44051401359", "PPS [ID], PESEL [ID]"),
            ("CNIC 34201-0891231-8, number 123456789018", "CNIC [ID], number [ID]"),
        ),
        ("platelets 250000 and 44051401358",),
    ),
    Rule(
        "phone-labelled",
        "PHONE",
        'any number after "phone", "tel", "mobile", "WhatsApp", "call me"',
        (
            ("WhatsApp 765 4321", "WhatsApp [PHONE]"),
            ("call me on 2345 678", "call me on [PHONE]"),
            ("tel: 23-45-678", "tel: [PHONE]"),
        ),
        ("call me in 2 days", "phone 119"),
    ),
    Rule(
        "phone-shape",
        "PHONE",
        "a number shaped as a phone (international, (area) code, 3-3-4), valid or not",
        (("Call 02-2345-6789 or +1 (555) 123-4567 or 1-800-555-0199.", "Call [PHONE] or [PHONE] or [PHONE]."),),
        ("readings 150-160 in 2019-2020",),
    ),
    Rule(
        "phone-libphonenumber",
        "PHONE",
        "a number libphonenumber finds valid in a region the askers write from",
        (("Call 98450 12345 or 8 (912) 345-67-80 or 0300-1234567", "Call [PHONE] or [PHONE] or [PHONE]"),),
        ("doses 120 130 140 150 mg", "asked 2016-09-08", "10,000 steps", "170/101 mmHg"),
    ),
    Rule(
        "address",
        "ADDRESS",
        'a street address (house number and street, Taiwanese "No. 25, Sec. 2, ... Rd.", '
        'Indian "Flat 402, Building, Road, City PIN", a P.O. box) with the city and postal code after it',
        (
            ("I live at 12 Oak Street, Springfield, IL 62704 now.", "I live at [ADDRESS] now."),
            ("at 3F., No. 25, Sec. 2, Minsheng E. Rd., Taipei", "at [ADDRESS]"),
            ("at Flat 402, Sai Residency, MG Road, Pune 411001.", "at [ADDRESS]."),
            ("Door 5, Main Street, Leeds", "[ADDRESS]"),
        ),
        ("a 3 way catheter", "No. 1 cause of pain"),
    ),
    Rule(
        "address-polish",
        "ADDRESS",
        'a Polish address: "ul. Street 10, 00-000 City"',
        (
            ("at ul. Marszalkowska 10, 00-590 Warszawa.", "at [ADDRESS]."),
            ("pl. Zbawiciela 5, 00-950 Warszawa", "[ADDRESS]"),
        ),
        ("ul. is short for ulica",),
    ),
)
