//! Phone numbers: after a label ("tel", "WhatsApp"), by the shapes they are written in, and every
//! run of digits with phone separators, which libphonenumber confirms (`Confirm::is_phone`).

use super::pattern::{ci, py, Pat, Value};
use crate::sources::pyre::{ci_eq, re};
use crate::text::{digit_value, is_word, strip};
use regex::Regex;
use std::sync::LazyLock;

/// Python's `\b\.?(?:\s*(?:no\.?|number))?(?:\s*(?:is|at|on|:|#|-)\s*|\s+)` after a label ending in a word character: `\b`
/// refuses a word character next, so "no", "is"… need whitespace before them.
const REST: &str = concat!(
    r"(?:\.(?:\s*(?:no\.?|number))?(?:\s*(?:is|at|on|:|#|-)\s*|\s+)",
    r"|\s+(?:no\.?|number)(?:\s*(?:is|at|on|:|#|-)\s*|\s+)",
    r"|(?:\s+(?:is|at|on)|\s*(?::|#|-))\s*|\s+)"
);

/// `phone-labelled`: any number after "phone", "tel", "mobile", "WhatsApp"….
pub static PHONE_LABELLED: LazyLock<Pat> = LazyLock::new(|| {
    let label = ci(&format!(
        r"(?:phone|tel|telephone|mobile|cell(?:phone)?|whats\s?app|fax|contact(?:\s+number)?|call\s+me|reach\s+me|text\s+me){REST}"
    ));
    Pat::new(
        Some(r"\w"),
        &format!(r"{label}(\+?\(?\d[\d ().-]{{5,}}\d)"),
        "",
        Value::Group,
    )
});

/// What a phone number may not run into: `(?![\w/-]|[.,]\d)`, consumed.
const PHONE_END: &str = r"(?:\z|[^\w/.,-]|[.,](?:\z|[^\d]))";

/// `phone-shape`: international, local or mobile numbers. Python's `(?P<s>[ .-])…(?P=s)` is
/// written once per separator: the character after the first digits decides which applies.
pub static PHONE: LazyLock<Pat> = LazyLock::new(|| {
    Pat::new(
        Some(r"\w+/.,-"),
        concat!(
            r"\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,5}",
            r"|\(\d{2,4}\)[ .-]?\d{3,4}[ .-]?\d{3,4}",
            r"|0\d{1,4} \d{3,4} \d{3,4}|0\d{1,4}\.\d{3,4}\.\d{3,4}|0\d{1,4}-\d{3,4}-\d{3,4}",
            r"|(?:1[ .-])?\d{3} \d{3} \d{4}|(?:1[ .-])?\d{3}\.\d{3}\.\d{4}|(?:1[ .-])?\d{3}-\d{3}-\d{4}",
            r"|09\d{8}|[6-9]\d{9}"
        ),
        PHONE_END,
        Value::None,
    )
});

/// A run of digits with the separators phones are written with (what libphonenumber is asked about).
pub static CANDIDATE: LazyLock<Pat> = LazyLock::new(|| {
    Pat::new(
        Some(r"\w+/.,:-"),
        r"(?:\+[ \t]?)?\(?\d[\d \t().-]{6,18}\d",
        r"(?:\z|[^\w/.,]|[.,](?:\z|[^\d]))",
        Value::None,
    )
});

/// Shapes of medical numbers a run of digits can take: a date, a year range.
static NOT_PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(&py(concat!(
        r"\A(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}",
        r"|(?:19|20)\d\d[ \t]*[-–][ \t]*(?:19|20)\d\d)\z"
    )))
});

/// `str.isdigit()`: the decimal digits and the other characters Unicode gives a digit value
/// (superscripts, circled digits…), as Python 3.11 knows them.
pub fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
        || matches!(c, '\u{B2}'..='\u{B3}' | '\u{B9}' | '\u{1369}'..='\u{1371}' | '\u{19DA}'
            | '\u{2070}' | '\u{2074}'..='\u{2079}' | '\u{2080}'..='\u{2089}' | '\u{2460}'..='\u{2468}'
            | '\u{2474}'..='\u{247C}' | '\u{2488}'..='\u{2490}' | '\u{24EA}' | '\u{24F5}'..='\u{24FD}'
            | '\u{24FF}' | '\u{2776}'..='\u{277E}' | '\u{2780}'..='\u{2788}' | '\u{278A}'..='\u{2792}'
            | '\u{10A40}'..='\u{10A43}' | '\u{10E60}'..='\u{10E68}' | '\u{11052}'..='\u{1105A}'
            | '\u{1F100}'..='\u{1F10A}')
}

/// True when `candidate` has a phone number's 8 to 15 digits and is no date or range.
pub fn phone_shaped(candidate: &str) -> bool {
    let digits = candidate.chars().filter(|&c| is_digit(c)).count();
    (8..=15).contains(&digits) && !NOT_PHONE.is_match(strip(candidate))
}

/// Units a measurement's number is followed by (Python's `_UNIT_AFTER`, under re.IGNORECASE).
const UNITS: &[&str] = &[
    "%", "/", "mg", "mcg", "µg", "ug", "ml", "mmhg", "mmol", "iu", "unit", "kg", "cm", "mm",
    "steps", "times", "cells", "copies",
];

/// `s` opens with `unit` under re.IGNORECASE; the rest of `s` after it.
fn opens_with<'a>(s: &'a str, unit: &str) -> Option<&'a str> {
    let mut chars = s.chars();
    for p in unit.chars() {
        let c = chars.next()?;
        let same = match p {
            'µ' => matches!(c, 'µ' | 'μ' | 'Μ'),
            'a'..='z' => ci_eq(c, p),
            _ => c == p,
        };
        if !same {
            return None;
        }
    }
    Some(chars.as_str())
}

/// True when a unit follows position `end` of `text` (after spaces or tabs): the number is a
/// measurement, not a contact.
pub fn unit_follows(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', '\t']);
    let before = text[..end].chars().next_back();
    if before.is_some_and(|c| c == ' ' || c == '\t') {
        return false; // Python's (?<![ \t]) at `end`
    }
    UNITS.iter().any(|u| opens_with(rest, u).is_some())
        || opens_with(rest, "g").is_some_and(|after| !after.chars().next().is_some_and(is_word))
}

/// How many ASCII digits a text holds (Python's `_digits`: `str.translate` deletes '0'..'9' only).
pub fn ascii_digits(text: &str) -> usize {
    text.bytes().filter(u8::is_ascii_digit).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<'a>(p: &Pat, t: &'a str) -> Option<&'a str> {
        p.find(t, 0).map(|h| &t[h.start..h.end])
    }

    #[test]
    fn phone_shapes() {
        assert_eq!(found(&PHONE, "Call 02-2345-6789."), Some("02-2345-6789"));
        assert_eq!(
            found(&PHONE, "02-2345.6789"),
            None,
            "a separator repeats itself"
        );
        assert_eq!(
            found(&PHONE, "+1 (555) 123-4567, x"),
            Some("+1 (555) 123-4567")
        );
        // (?![\w/-]|[.,]\d): "555-123-4567.5" is no number; "555-123-4567. " is
        assert_eq!(found(&PHONE, "555-123-4567.5"), None);
        assert_eq!(found(&PHONE, "555-123-4567. "), Some("555-123-4567"));
        assert_eq!(
            found(&PHONE_LABELLED, "tel: 23-45-678"),
            Some("tel: 23-45-678")
        );
        assert_eq!(found(&PHONE_LABELLED, "tel23-45-678"), None);
        assert_eq!(
            found(&PHONE_LABELLED, "telephone no. 0912 345"),
            Some("telephone no. 0912 345")
        );
        assert_eq!(
            found(&PHONE_LABELLED, "telephone no.0912 345"),
            None,
            "a separator is needed"
        );
    }

    #[test]
    fn candidates_and_their_checks() {
        assert_eq!(found(&CANDIDATE, "Code 0000 0000 here"), Some("0000 0000"));
        assert_eq!(found(&CANDIDATE, "v1.12345678"), None);
        assert!(
            phone_shaped(" 0912 345 678 ")
                && !phone_shaped("2019-03-04")
                && phone_shaped("1990 - 2000 1")
        );
        assert!(phone_shaped("²³¹12345"), "str.isdigit takes superscripts");
        assert!(!phone_shaped("1990 – 2000"));
    }

    #[test]
    fn units_as_python() {
        let t = "12345678 mg and 12345678µG 12345678 g, 12345678 gx 12345678ſteps";
        let at = |n: &str| t.find(n).unwrap() + n.len();
        assert!(unit_follows(t, at("12345678")));
        assert!(unit_follows(t, at("and 12345678")));
        assert!(unit_follows(t, at("µG 12345678")));
        assert!(!unit_follows(t, at(", 12345678")));
        assert!(unit_follows(t, at("gx 12345678")));
    }
}
