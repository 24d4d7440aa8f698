//! Typed identifiers: contact details and numbers that identify a person, replaced by typed
//! placeholders (`[EMAIL]`, `[PHONE]`…), most specific first (a link before the e-mail in it),
//! each rule over the text the one before left, as `privacy.py::_typed` did. What only a library
//! knows (libphonenumber, python-stdnum's checksums) and the record's names are asked through
//! `Confirm`. The street addresses come last.

mod addresses;
mod backtrack;
mod dates;
mod ids;
mod links;
mod pattern;
mod phones;

pub use phones::phone_shaped;

use crate::text::{lower, WORD, WS};
use pattern::{sub, Hit, Pat};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// The rules this step applies, by their names in `deid_rules.RULES`.
pub const RULES: &[&str] = &[
    "url-personal",
    "email",
    "email-spelled",
    "record-number",
    "id-labelled",
    "date-personal",
    "id-shape",
    "id-checksum",
    "phone-labelled",
    "phone-shape",
    "phone-libphonenumber",
    "address",
    "address-polish",
];

/// What the step asks outside itself: the libraries' confirmations and the record's names.
pub trait Confirm {
    /// libphonenumber takes `candidate` for a valid number of some region.
    fn is_phone(&mut self, candidate: &str) -> bool;
    /// The checksum of `ids::CHECKSUMMED[shape]` confirms `value`.
    fn checksum(&mut self, shape: usize, value: &str) -> bool;
    /// A known name of the record is in `text` (a link's words); false when none is known.
    fn names_search(&mut self, text: &str) -> bool;
}

/// Confirms nothing and knows no name (for tests: what the shapes decide alone).
#[cfg(test)]
pub struct Refuse;

#[cfg(test)]
impl Confirm for Refuse {
    fn is_phone(&mut self, _: &str) -> bool {
        false
    }
    fn checksum(&mut self, _: usize, _: &str) -> bool {
        false
    }
    fn names_search(&mut self, _: &str) -> bool {
        false
    }
}

/// What the step gives back: the text and the replacements it counted (by kind and
/// `rule:<name>`, in the order first counted).
#[derive(Debug, PartialEq, Eq)]
pub struct Typed {
    pub text: String,
    pub counts: Vec<(String, i64)>,
}

#[derive(Default)]
struct Counts(Vec<(String, i64)>);

impl Counts {
    fn add(&mut self, key: &str) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, n)) => *n += 1,
            None => self.0.push((key.to_string(), 1)),
        }
    }

    fn replaced(&mut self, kind: &str, rule: &str) {
        self.add(kind);
        self.add(&format!("rule:{rule}"));
    }
}

/// Lower-case pieces one of which every record-number label holds.
static MRN_HINT: LazyLock<Regex> = LazyLock::new(|| {
    crate::sources::pyre::re(&format!(
        r"mr|record|hospital|chart|case|patient|registration|uhid|[io]p[{WS}]?no|lab|test|report|sample|specimen|accession|ref|admission|file|claim|policy|account|invoice|bill"
    ))
});
/// The same for the identity-number labels (`\bid\b`, `\bpan\b` with Python's `\w`).
static ID_HINT: LazyLock<Regex> = LazyLock::new(|| {
    crate::sources::pyre::re(&format!(
        r"(?:\A|[^{WORD}])(?:id|pan)(?:[^{WORD}]|\z)|identity|passport|aadha|social|ssn|nric|nid|cnic|cccd|pesel|pps|mbi|my number|medicare|nhs|health card|insurance|licen"
    ))
});
static DOB: LazyLock<Regex> =
    LazyLock::new(|| crate::sources::pyre::re(&format!(r"d\.?[{WS}]?o\.?[{WS}]?b")));

/// A cheap, necessary condition for `date-personal` on a lower-cased text.
fn dated(low: &str) -> bool {
    [
        "born",
        "birth",
        "admi",
        "discharg",
        "death",
        "died",
        "passed away",
    ]
    .iter()
    .any(|w| low.contains(w))
        || DOB.is_match(low)
}

struct Step<'a, C: Confirm> {
    off: &'a HashSet<String>,
    counts: Counts,
    confirm: &'a mut C,
}

impl<C: Confirm> Step<'_, C> {
    /// `rule`'s matches (their value, when the pattern has one) replaced by `[kind]`, unless
    /// `keep(value)`; a date keeps its year.
    fn rule(
        &mut self,
        rule: &str,
        kind: &str,
        pat: &Pat,
        text: String,
        keep: impl Fn(&str) -> bool,
    ) -> String {
        if self.off.contains(rule) {
            return text;
        }
        let counts = &mut self.counts;
        sub(&text, pat, |t, hit: &Hit| {
            let (start, end) = hit.value.unwrap_or((hit.start, hit.end));
            let value = &t[start..end];
            if keep(value) {
                return None;
            }
            counts.replaced(kind, rule);
            let placeholder = match (kind == "DATE").then(|| dates::year_in(value)).flatten() {
                Some(year) => format!("[{kind}] {year}"),
                None => format!("[{kind}]"),
            };
            Some(format!(
                "{}{placeholder}{}",
                &t[hit.start..start],
                &t[end..hit.end]
            ))
        })
    }

    /// Every street address replaced by `[ADDRESS]`.
    fn addresses(&mut self, rule: &str, text: String) -> String {
        if self.off.contains(rule) {
            return text;
        }
        let mut found = 0;
        let text = if rule == "address" {
            addresses::ADDRESS.sub(&text, "[ADDRESS]", &mut found)
        } else {
            sub(&text, &addresses::ADDRESS_POLISH, |_, _| {
                found += 1;
                Some("[ADDRESS]".to_string())
            })
        };
        for _ in 0..found {
            self.counts.replaced("ADDRESS", rule);
        }
        text
    }

    fn urls(&mut self, text: String) -> String {
        let (counts, confirm) = (&mut self.counts, &mut *self.confirm);
        sub(&text, &links::URL, |t, hit| {
            let whole = &t[hit.start..hit.end];
            let core = whole.trim_end_matches(links::URL_TRAIL);
            if !links::personal(core, |s| confirm.names_search(s)) {
                return None;
            }
            counts.replaced("URL", "url-personal");
            Some(format!("[URL]{}", &whole[core.len()..]))
        })
    }

    fn checksummed(&mut self, mut text: String) -> String {
        let (counts, confirm) = (&mut self.counts, &mut *self.confirm);
        for (shape, pat) in ids::CHECKSUMMED.iter().enumerate() {
            text = sub(&text, pat, |t, hit| {
                if !confirm.checksum(shape, &t[hit.start..hit.end]) {
                    return None;
                }
                counts.replaced("ID", "id-checksum");
                Some("[ID]".to_string())
            });
        }
        text
    }

    /// Each candidate not followed by a unit, confirmed by libphonenumber for the first
    /// `phone_checks` of them, by its shape past them.
    fn phones(&mut self, text: String, phone_checks: usize) -> String {
        let (counts, confirm) = (&mut self.counts, &mut *self.confirm);
        let mut checked = 0;
        sub(&text, &phones::CANDIDATE, |t, hit| {
            if phones::unit_follows(t, hit.end) {
                return None;
            }
            checked += 1;
            let value = &t[hit.start..hit.end];
            let phone = if checked <= phone_checks {
                confirm.is_phone(value)
            } else {
                phone_shaped(value)
            };
            if !phone {
                return None;
            }
            counts.replaced("PHONE", "phone-libphonenumber");
            Some("[PHONE]".to_string())
        })
    }
}

/// Contact details and identifiers of `text` replaced, the rules named in `off` switched off.
pub fn deid_typed<C: Confirm>(
    text: &str,
    off: &HashSet<String>,
    phone_checks: usize,
    confirm: &mut C,
) -> Typed {
    let mut step = Step {
        off,
        counts: Counts::default(),
        confirm,
    };
    let never = |_: &str| false;
    // Each pattern runs only where what it needs is in the text (a cheap, necessary condition),
    // read from the text as it came in, as the Python step read it.
    let low = lower(text);
    let mut text = text.to_string();
    if (low.contains("http") || low.contains("www.")) && !off.contains("url-personal") {
        text = step.urls(text);
    }
    if text.contains('@') || ["(at)", "[at]", "{at}"].iter().any(|a| low.contains(a)) {
        text = step.rule("email", "EMAIL", &links::EMAIL, text, never);
    }
    if low.contains(" at ") && links::SPELLED_HINT.is_match(&low) {
        text = step.rule("email-spelled", "EMAIL", &links::EMAIL_SPELLED, text, never);
    }
    let digits = phones::ascii_digits(&text);
    if digits > 0 {
        if MRN_HINT.is_match(&low) {
            text = step.rule("record-number", "MRN", &ids::MRN, text, never);
        }
        if ID_HINT.is_match(&low) {
            text = step.rule("id-labelled", "ID", &ids::ID_LABELLED, text, never);
        }
        if dated(&low) {
            text = step.rule("date-personal", "DATE", &dates::DATE_PERSONAL, text, never);
        }
        if digits >= 9 {
            text = step.rule("id-shape", "ID", &ids::ID, text, never);
        }
        if digits >= 8 && !off.contains("id-checksum") {
            text = step.checksummed(text);
        }
        if digits >= 7 {
            let few = |v: &str| phones::ascii_digits(v) < 7;
            text = step.rule(
                "phone-labelled",
                "PHONE",
                &phones::PHONE_LABELLED,
                text,
                few,
            );
        }
        if digits >= 9 {
            let unlike = |v: &str| !(9..=15).contains(&phones::ascii_digits(v));
            text = step.rule("phone-shape", "PHONE", &phones::PHONE, text, unlike);
        }
        if digits >= 8 && !off.contains("phone-libphonenumber") {
            text = step.phones(text, phone_checks);
        }
        // every address holds a number: the digits counted above, whatever the rules since took
        if addresses::hinted(&text) {
            text = step.addresses("address", text);
        }
        if text.contains("l.") || text.contains("s.") {
            text = step.addresses("address-polish", text);
        }
    }
    Typed {
        text,
        counts: step.counts.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Confirms every phone candidate of phone shape and every checksum; knows the name "lin".
    pub struct Shapes;

    impl Confirm for Shapes {
        fn is_phone(&mut self, candidate: &str) -> bool {
            phone_shaped(candidate)
        }
        fn checksum(&mut self, _: usize, _: &str) -> bool {
            true
        }
        fn names_search(&mut self, text: &str) -> bool {
            text.contains("lin")
        }
    }

    fn typed(text: &str, off: &[&str]) -> String {
        let off = off.iter().map(|s| s.to_string()).collect();
        deid_typed(text, &off, 1000, &mut Shapes).text
    }

    #[test]
    fn each_kind() {
        assert_eq!(
            typed("Mail me: a.b+c@mail.example.com.", &[]),
            "Mail me: [EMAIL]."
        );
        assert_eq!(
            typed("Call 02-2345-6789 or +1 (555) 123-4567.", &[]),
            "Call [PHONE] or [PHONE]."
        );
        assert_eq!(
            typed("ID A123456789, SSN 123-45-6789", &[]),
            "ID [ID], SSN [ID]"
        );
        assert_eq!(
            typed("MRN: 00123456 and case no. 2020-7781.", &[]),
            "MRN: [MRN] and case no. [MRN]."
        );
        assert_eq!(typed("born on 9 April 1972", &[]), "born on [DATE] 1972");
        assert_eq!(typed("see www.example.org/q/lin now", &[]), "see [URL] now");
        assert_eq!(
            typed("https://x.org/article/54561.", &[]),
            "https://x.org/article/54561."
        );
    }

    #[test]
    fn rules_switched_off_change_nothing() {
        let text = "WhatsApp 765 4321, tel: 23-45-678";
        assert_eq!(typed(text, &[]), "WhatsApp [PHONE], tel: [PHONE]");
        assert_eq!(typed(text, &["phone-labelled"]), text);
        assert_eq!(
            typed("born on 9 April 1972", &["date-personal"]),
            "born on 9 April 1972"
        );
    }

    #[test]
    fn counts_by_kind_and_rule() {
        let got = deid_typed("a@b.com, c@d.org 12", &HashSet::new(), 0, &mut Shapes);
        assert_eq!(
            got.counts,
            [("EMAIL".to_string(), 2), ("rule:email".to_string(), 2)]
        );
    }

    #[test]
    fn addresses_need_an_ascii_digit_in_the_text() {
        // Python gated them on the ASCII digits counted after the e-mail rules, though `\d`
        // takes any script's
        assert_eq!(typed("at ٣ Oak Street", &[]), "at ٣ Oak Street");
        assert_eq!(
            typed("at ٣ Oak Street, call 1", &[]),
            "at [ADDRESS], call 1"
        );
        assert_eq!(typed("at 12 Oak Street", &["address"]), "at 12 Oak Street");
    }

    #[test]
    fn past_the_checks_the_shape_decides() {
        let text = "Code 0000 0000 here";
        let off = HashSet::new();
        assert_eq!(deid_typed(text, &off, 1, &mut Refuse).text, text);
        assert_eq!(
            deid_typed(text, &off, 0, &mut Refuse).text,
            "Code [PHONE] here"
        );
    }
}
