//! The removal rules, as data: each is one named object saying what it removes, where, its
//! pattern and an example (the card's table and `medqa_ds.cleaning.RULES` read them).
//!
//! Rules only remove what belongs to the site or the signature, never a sentence of medical
//! content (`tests/test_cleaning.py` checks every fixture and devset page for that). The patterns
//! are Python's, spelled for the `regex` crate: `<s>` is Python's `\s`, `<w>` its `\w`, `<ws>`
//! and `<wc>` the same inside a class, and a `ci(...)` part is Python's `(?i:...)` (see `ci`).
//! `\b` is spelled out where it stands (the next character is, or is not, a word character).

use crate::text::{WORD, WS};

/// How a rule's pattern is used (`clean` applies them in this order: replace, tail, sentence,
/// closing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Every match is replaced by the rule's replacement (the site's own placeholders).
    Replace,
    /// A whole sentence the pattern matches from start to end is removed.
    Sentence,
    /// The same, but only among the answer's last sentences (a formula that ends it).
    Closing,
    /// A line the pattern matches from start to end (stripped) is removed with every line after
    /// it (a signature block, and the page's parts below it).
    Tail,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Replace => "replace",
            Kind::Sentence => "sentence",
            Kind::Closing => "closing",
            Kind::Tail => "tail",
        }
    }
}

/// One removal rule. `example` is a text holding what it removes; `expected` the same text cleaned.
pub struct Rule {
    pub name: &'static str,
    pub kind: Kind,
    /// The sources it applies to; None for every source.
    pub sources: Option<&'static [&'static str]>,
    /// What it removes, for the card.
    pub removes: &'static str,
    pub example: &'static str,
    pub expected: &'static str,
    /// What a `Replace` rule puts in the place of each match.
    pub replacement: &'static str,
    /// The pattern, in the spelling described above (`spelled` makes it a `regex` pattern).
    pub pattern: fn() -> String,
}

impl Rule {
    pub fn applies_to(&self, source: &str) -> bool {
        self.sources.is_none_or(|s| s.contains(&source))
    }
}

/// The privacy policy's placeholder for a patient (`privacy.PATIENT`, checked by a test).
pub const PATIENT: &str = "[PATIENT]";

/// A part of a pattern that Python matches with `re.IGNORECASE`: the `regex` crate's `(?i)` folds
/// `k` with `K` (Kelvin) and `s` with `ſ` as Python does, but `i` only with `I`, where Python also
/// takes `İ` and `ı`, so every `i` and `I` (the part must hold no other) is widened to them. The
/// classes of `<w>`/`<s>` are kept out of the fold, as Python keeps them (checked on every code
/// point: `(?i:\w)` is `\w` for Python); a `(?-i:` in the part is left as it is.
fn ci(part: &str) -> String {
    let folded = part
        .replace(['i', 'I'], "[iİı]")
        .replace("(?-[iİı]:", "(?-i:");
    format!("(?i:{folded})")
}

/// A pattern in the spelling above made a `regex` pattern.
pub fn spelled(pattern: &str) -> String {
    pattern
        .replace("<s>", &format!("[{WS}]"))
        .replace("<w>", &format!("(?-i:{WORD})"))
        .replace("<ws>", WS)
        .replace("<wc>", WORD)
}

/// `_SITE` (inside a case-insensitive part): the sites' names.
const SITE: &str = r#"(?:HCM|health<s>*care<s>*magic|healthcaremagic(?:\.com)?|icliniq(?:\.com)?|ask<s>+the<s>+doctor|["“]?ask<s>+a<s>+doctor["”]?(?:<s>+service)?|chat<s>*doctor|doctorqna|meddialog)"#;

/// `_NAME` (case-sensitive): a capitalised name of up to four words.
const NAME: &str = r"[A-Z][<wc>'’-]*\.?(?:[ -][A-Z][<wc>'’-]*\.?){0,3}";

/// `_ROLE` and the `.*` after it: `(?:Director|…|M\.?D\.?|…|PhD)\b.*`. Each word but `M.D.`
/// ends in a word character, so `\b` after it is a character that is none (or the end); after
/// `M.D.` it is a word character (`M.D` followed by `.` is the first branch).
const ROLE_AND_REST: &str = r"(?:(?:Director|Deputy|Chief|Head|Attending|Consultant|Resident|Professor|Physician|Surgeon|Specialist|Superintendent|Department|M\.?D|MBBS|MS|DNB|FRCS|PhD)(?:(?-i:[^<wc>\n]).*)?|M\.?D\.(?-i:[<wc>]).*)";

fn site_placeholder() -> String {
    // `\bX{5,}\b`: the boundaries are checked by `clean` around each maximal run
    "X{5,}".into()
}

fn site_greeting() -> String {
    ci(&format!(
        r"(?:(?:hi|hello|hey|dear<s>+<w>+)[<ws>,.!:]*)?(?:and<s>+)?(?:(?:a<s>+)?(?:warm<s>+|very<s>+)?welcome(?:<s>+back)?<s>+to|thanks?(?:<s>+you)?<s>+for<s>+(?:<w>+<s>+){{0,3}}?(?:in|on|at|to|with|using|choosing))<s>+(?:the<s>+)?{SITE}(?:<s>+(?:service|forum|platform|website))?<s>*[.!,]*"
    ))
}

fn self_introduction() -> String {
    format!(
        r"{}?{}<s>+{}<s>*{NAME}{}?<s>*[.!]?",
        ci(r"(?:hi|hello)[<ws>,.!]*"),
        ci(r"I<s>+am|I'm|this<s>+is|my<s>+name<s>+is"),
        ci(r"dr\.?"),
        ci(
            r"[<ws>,]+(?:and<s>+I<s>+(?:am|will<s>+be)<s>+)?(?:answering|addressing|here<s>+to<s>+answer|reviewing)<s>+(?:your<s>+)?(?:query|question|concern)(?:<s>+today)?"
        ),
    )
}

fn hospital_slogan() -> String {
    r"(?:The<s>+)?(?:[A-Z][<wc>'’-]{0,40}<s>+){0,6}Hospital(?:<s>+of(?:<s>+the)?(?:<s>+(?:[A-Z][<wc>'’-]*|and|of|the))+)?<s>+(?:cares<s>+about<s>+you|is<s>+concerned<s>+about<s>+your<s>+(?:well-being|health))<s>*[.!]?".into()
}

fn closing_formula() -> String {
    ci(concat!(
        r"(?:(?:I<s>+)?hope<s>+(?:this|it|that|my<s>+(?:answer|reply))<s>+(?:helps|has<s>+helped|clarifies|answers)(?-i:[<wc><ws>,'’])*",
        r"|(?:with<s>+)?(?:best<s>+|kind<s>+|warm<s>+)?(?:regards|wishes)|best<s>+of<s>+luck|good<s>+luck",
        r"|wishing<s>+you<s>+(?-i:[<wc><ws>,-])+|wish<s>+you<s>+(?:a<s>+)?(?:good|speedy|quick)<s>+(?-i:[<wc><ws>-])+",
        r"|stay<s>+(?:healthy|safe)|take<s>+care|thank<s>+you|thanks",
        r"|please<s>+(?:write|get)<s>+back<s>+(?:to<s>+me<s>+)?if<s>+you<s>+have<s>+any<s>+(?:further<s>+)?(?:doubts?|quer(?:y|ies)|questions?)",
        r"|if<s>+you<s>+have<s>+any<s>+(?:further|more|other)<s>+(?:quer(?:y|ies)|questions?|doubts?),?<s>+(?:please<s>+)?",
        r"(?:ask<s>+me|feel<s>+free<s>+to<s>+ask(?:<s>+me)?|write<s>+back(?:<s>+to<s>+me)?|let<s>+me<s>+know)",
        r"|I<s>+remain<s>+at<s>+your<s>+disposal(?-i:[<wc><ws>,])*|feel<s>+free<s>+to<s>+(?:ask|write<s>+back)(?-i:[<wc><ws>])*)<s>*[.!,]*",
    ))
}

fn signature() -> String {
    format!(
        r"{}?{}<s>*{NAME}(?:[<ws>,]+{ROLE_AND_REST})?<s>*",
        ci(r"(?:sincerely|regards|yours<s>+(?:truly|sincerely)|with<s>+regards)[<ws>,]+"),
        ci(r"dr\.?"),
    )
}

fn site_chrome_tail() -> String {
    // `…peer-reviewed\s+by\b.*`: after "by", a character that is no word character, or the end
    format!(
        "{}<s>*",
        ci(
            r"ask<s>+the<s>+doctor|comments<s>*/<s>*follow<s>*ups|view<s>+all<s>+posts|above<s>+answer<s>+was<s>+peer-reviewed<s>+by(?:(?-i:[^<wc>\n]).*)?"
        )
    )
}

fn follow_up_in_answer() -> String {
    format!(
        r"Follow up:<s>+{}<s>*{NAME}<s>*(?:\([^)]*\))?<s>*",
        ci(r"dr\.?")
    )
}

/// Every rule, in the order `clean` tries them (the first that matches a line or sentence wins).
pub const RULES: [Rule; 8] = [
    Rule {
        name: "site_placeholder",
        kind: Kind::Replace,
        sources: None,
        removes: "the site's own anonymisation placeholder (\"XXXXXXX\"), replaced by the privacy policy's [PATIENT]",
        example: "Hello XXXXXXX\nYour TSH is 6.2.",
        expected: "Hello [PATIENT]\nYour TSH is 6.2.",
        replacement: PATIENT,
        pattern: site_placeholder,
    },
    Rule {
        name: "site_greeting",
        kind: Kind::Sentence,
        sources: None,
        removes: "a greeting or thanks that names the site or its service (\"Welcome to icliniq.com.\", \"Thanks for posting in HCM.\", \"Hello and welcome to \\\"Ask a Doctor\\\" service.\")",
        example: "Hi,\nWelcome to Healthcare Magic!\nYour TSH of 6.2 mIU/L is raised.",
        expected: "Hi,\nYour TSH of 6.2 mIU/L is raised.",
        replacement: "",
        pattern: site_greeting,
    },
    Rule {
        name: "self_introduction",
        kind: Kind::Sentence,
        sources: None,
        removes: "a doctor introducing themselves (\"I am Dr Anshul Varshney.\", \"I am Dr X answering your query.\")",
        example: "Welcome To HCM. I am Dr Mira Kohl. I understand your concern. Take 50 mcg daily.",
        expected: "I understand your concern. Take 50 mcg daily.",
        replacement: "",
        pattern: self_introduction,
    },
    Rule {
        name: "hospital_slogan",
        kind: Kind::Sentence,
        sources: Some(&["doctorqna"]),
        removes: "a hospital's slogan closing an answer (\"Ping An Changhua Hospital cares about you.\", \"Changhua Hospital is concerned about your well-being.\")",
        example: "Quit smoking; 20 cigarettes a day is a risk.\nPuli Hospital cares about you.",
        expected: "Quit smoking; 20 cigarettes a day is a risk.",
        replacement: "",
        pattern: hospital_slogan,
    },
    Rule {
        name: "closing_formula",
        kind: Kind::Closing,
        sources: None,
        removes: "a closing formula among the answer's last sentences (\"Hope this helps.\", \"Regards\", \"Wishing you good health.\", \"Stay Healthy.\", \"I remain at your disposal.\")",
        example: "Repeat the test in 3 months.\nHope this helps.\nStay Healthy.",
        expected: "Repeat the test in 3 months.",
        replacement: "",
        pattern: closing_formula,
    },
    Rule {
        name: "signature",
        kind: Kind::Tail,
        sources: None,
        removes: "a signature line (\"Sincerely, Dr. X, Director of Dermatology, … Hospital\", \"Dr Preeti Parakh\") and the page's parts below it (qualifications, \"peer-reviewed by\", the author's bio)",
        example: "Use 1% hydrocortisone twice daily.\nDr Lena Park\nMD Dermatology",
        expected: "Use 1% hydrocortisone twice daily.",
        replacement: "",
        pattern: signature,
    },
    Rule {
        name: "site_chrome_tail",
        kind: Kind::Tail,
        sources: Some(&["askthedoctor", "askadoctor"]),
        removes: "the site's name or page parts below an answer (\"Ask The Doctor\", \"Comments / Follow Ups\", \"Above answer was peer-reviewed by …\") and everything after them",
        example: "Take ibuprofen 400 mg.\nComments / Follow Ups",
        expected: "Take ibuprofen 400 mg.",
        replacement: "",
        pattern: site_chrome_tail,
    },
    Rule {
        name: "follow_up_in_answer",
        kind: Kind::Tail,
        sources: Some(&["askadoctor"]),
        removes: "a patient's follow-up that the page shows below the answer (\"Follow up: Dr. X (8 hours later)\" and the patient's text): it is the patient's turn, not the answer",
        example: "Take 25 mcg daily.\nFollow up: Dr. Ann Roy (2 hours later)\nThanks doctor",
        expected: "Take 25 mcg daily.",
        replacement: "",
        pattern: follow_up_in_answer,
    },
];

/// Rules whose removed text is another person's turn, not the answer's: the medical-content check
/// does not apply to what they remove.
pub const OTHER_TURN: [&str; 1] = ["follow_up_in_answer"];

#[cfg(test)]
mod tests {
    use super::super::{clean, compiled};
    use super::*;

    fn source_of(rule: &Rule) -> &'static str {
        rule.sources.map_or("askadoctor", |s| s[0])
    }

    fn all_but(name: &str) -> Vec<&'static str> {
        RULES
            .iter()
            .map(|r| r.name)
            .filter(|n| *n != name)
            .collect()
    }

    fn all() -> Vec<&'static str> {
        all_but("")
    }

    /// The rule's pattern on one line or sentence, from start to end.
    fn whole(name: &str, text: &str) -> bool {
        let k = RULES.iter().position(|r| r.name == name).expect("a rule");
        compiled()[k].is_match(text)
    }

    #[test]
    fn each_rule_removes_its_example_and_without_it_the_example_stays() {
        for rule in &RULES {
            let source = source_of(rule);
            let (text, removed) = clean(rule.example, source, &all());
            assert_eq!(text, rule.expected, "{}", rule.name);
            assert!(
                removed.iter().any(|(n, _)| *n == rule.name),
                "{}",
                rule.name
            );
            let (without, _) = clean(rule.example, source, &all_but(rule.name));
            assert_ne!(without, rule.expected, "{} is needed", rule.name);
        }
    }

    #[test]
    fn site_placeholder_needs_word_boundaries() {
        let names = all();
        let (text, removed) = clean(
            "XXXXX, XXXXXXXXy, _XXXXX, XXXX, (XXXXXX²) XXXXX\u{301}",
            "icliniq",
            &names,
        );
        assert_eq!(
            text,
            "[PATIENT], XXXXXXXXy, _XXXXX, XXXX, (XXXXXX²) [PATIENT]\u{301}"
        );
        assert_eq!(removed.len(), 2);
    }

    #[test]
    fn site_greeting() {
        for s in [
            "Welcome to icliniq.com.",
            "Thanks for posting in HCM.",
            "Hello and welcome to \"Ask a Doctor\" service.",
            "Dear Ana, thank you for your trust in chat doctor!",
            "WELCOME TO HCM",
            "Hİ, welcome to ıcliniq",
        ] {
            assert!(whole("site_greeting", s), "{s}");
        }
        for s in [
            "Welcome to the clinic.",
            "Thanks for asking in a b c d in HCM.",
            "Hi\u{345}, welcome to HCM.",
        ] {
            assert!(!whole("site_greeting", s), "{s}");
        }
    }

    #[test]
    fn self_introduction() {
        for s in [
            "I am Dr Anshul Varshney.",
            "Hello, I'm dr. X answering your query today.",
            "THIS IS DR Ann",
        ] {
            assert!(whole("self_introduction", s), "{s}");
        }
        // the name is case-sensitive
        assert!(
            !whole("self_introduction", "I am Dr ann.")
                && !whole("self_introduction", "I am Dr Ann, a GP.")
        );
    }

    #[test]
    fn hospital_slogan() {
        assert!(whole(
            "hospital_slogan",
            "Ping An Changhua Hospital cares about you."
        ));
        assert!(whole(
            "hospital_slogan",
            "The Hospital of the Sea and Sky is concerned about your health"
        ));
        assert!(!whole(
            "hospital_slogan",
            "Puli Hospital is concerned about your low potassium."
        ));
        assert!(!whole("hospital_slogan", "puli hospital cares about you."));
    }

    #[test]
    fn closing_formula_only_among_the_last_sentences() {
        for s in [
            "Hope this helps.",
            "Regards",
            "Wishing you good health.",
            "Stay Healthy.",
            "I remain at your disposal.",
            "ThanKſ",
        ] {
            assert!(whole("closing_formula", s), "{s}");
        }
        let (text, _) = clean(
            "Thank you. Take 5 mg at night.\nTake care.",
            "askadoctor",
            &all(),
        );
        assert_eq!(text, "Thank you. Take 5 mg at night.");
    }

    #[test]
    fn signature_roles_and_boundaries() {
        for s in [
            "Dr Preeti Parakh",
            "Sincerely, Dr. X, Director of Dermatology, Mayo Hospital",
            "Dr Ann, M.D.",
            "Dr Ann, M.D.x y",
            "Dr Ann MBBS",
            "Dr Ann, MS-ortho",
            "dr Ann  ",
        ] {
            assert!(whole("signature", s), "{s}");
        }
        for s in ["Dr Ann, MBBSx", "Dr Ann, PhD²", "Dr ann", "Dr Ann is here"] {
            assert!(!whole("signature", s), "{s}");
        }
        // Python's \b: a combining mark is no word character
        assert!(whole("signature", "Dr Ann, PhD\u{301}"));
    }

    #[test]
    fn site_chrome_tail() {
        for s in [
            "Ask The Doctor",
            "Comments / Follow Ups",
            "Above answer was peer-reviewed by",
            "above answer was peer-reviewed by: Dr X",
            "VIEW ALL POSTS ",
        ] {
            assert!(whole("site_chrome_tail", s), "{s}");
        }
        assert!(!whole(
            "site_chrome_tail",
            "Above answer was peer-reviewed bya"
        ));
        let (text, _) = clean(
            "Rest.\nAsk The Doctor\nHe trained in Leeds.",
            "doctorqna",
            &all(),
        );
        assert_eq!(
            text, "Rest.\nAsk The Doctor\nHe trained in Leeds.",
            "not a rule of doctorqna"
        );
    }

    #[test]
    fn follow_up_in_answer() {
        assert!(whole(
            "follow_up_in_answer",
            "Follow up: Dr. Ann Roy (2 hours later)"
        ));
        assert!(whole("follow_up_in_answer", "Follow up:\u{1c}DR Ann"));
        assert!(!whole("follow_up_in_answer", "follow up: Dr. Ann Roy"));
        assert!(!whole(
            "follow_up_in_answer",
            "Follow up: Dr. Ann Roy (2 hours) later"
        ));
    }
}
