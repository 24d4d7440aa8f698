//! Names: where a text supplies a patient's name, and where the names recur (`_people`), the
//! names beside a replaced one (`_beside`). The sites are in `sites`, the per-record matcher in
//! `forms`, the word lists in `words`.

use super::forms::Names;
use super::parts::trim;
use super::sites::{replace_at, SITES};
use super::words::{common, holds, NOT_NAME_WORDS};
use crate::sources::pyre::re;
use crate::text::{int_of, is_word, lower};
use regex::Regex;
use std::sync::LazyLock;

pub const PATIENT: &str = "[PATIENT]";

/// Replacements counted by key ("PATIENT", "rule:salutation"…), in the order Python's Counter
/// first saw each key.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Counts(pub Vec<(String, i64)>);

impl Counts {
    pub fn add(&mut self, key: &str, n: i64) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v += n,
            None => self.0.push((key.to_string(), n)),
        }
    }

    #[cfg(test)]
    pub fn get(&self, key: &str) -> i64 {
        self.0.iter().find(|(k, _)| k == key).map_or(0, |(_, v)| *v)
    }
}

/// `_DOCTOR`: a titled name ("Dr. X", "Professor\nX Y"), `\b` before it checked apart.
static DOCTOR: LazyLock<Regex> = LazyLock::new(|| {
    let nt = format!(r"[A-Z][{}'’\-]*", crate::text::WORD);
    re(&format!(
        r"(?:Dr|Doctor|Prof|Professor)\.?(?:[ \t]+|[ \t]*\n[ \t]*)(?P<name>{nt}(?:[ \t]+{nt}){{0,3}})"
    ))
});
static MASK: LazyLock<Regex> =
    LazyLock::new(|| re(&format!("\u{e000}({}+)\u{e001}", crate::text::DIGIT)));
static PATIENT_RUN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\[PATIENT\](?:[ \t_\-]*\n?[ \t_\-]*\[PATIENT\])+"));

/// The doctors' titled names masked (their text kept in `masked`), `\b` before each title.
fn mask_titled(text: &str, masked: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut last, mut from) = (0, 0);
    while let Some(caps) = DOCTOR.captures_at(text, from) {
        let Some(whole) = caps.get(0) else { break };
        if text[..whole.start()]
            .chars()
            .next_back()
            .is_some_and(is_word)
        {
            from = whole.start() + 1; // a title starts with an ASCII letter
            continue;
        }
        let name = caps.name("name").map_or("", |m| m.as_str());
        if !trim(name).is_empty() {
            out.push_str(&text[last..whole.start()]);
            out.push_str(&mask(whole.as_str(), masked));
            last = whole.end();
        }
        from = whole.end();
    }
    out.push_str(&text[last..]);
    out
}

fn mask(found: &str, masked: &mut Vec<String>) -> String {
    masked.push(found.to_string());
    format!("\u{e000}{}\u{e001}", masked.len() - 1)
}

/// `_people`: patients' names replaced, doctors' names kept (titled, or known as an answer's
/// author) or, with `redact_doctors`, replaced by `[DOCTOR]`. `off` names the rules switched off.
/// Err where Python raised (a mask-like text in the page with no such mask: an IndexError).
pub fn people(
    text: &str,
    names: &Names,
    off: &[&str],
    redact_doctors: bool,
) -> Result<(String, Counts), String> {
    let uses = |rule: &str| !off.contains(&rule);
    let mut counts = Counts::default();
    let mut masked: Vec<String> = Vec::new();
    let low = lower(text);
    let mut text = text.to_string();
    if (text.contains("Dr") || text.contains("Doctor") || text.contains("Prof")) && uses("doctor") {
        text = mask_titled(&text, &mut masked);
    }
    if let Some(doctors) = names.doctors.as_ref() {
        if Names::mentions(&low, &names.doctor_words) && uses("doctor") {
            text = doctors.replace(&text, |m| mask(m, &mut masked));
        }
    }
    for site in &SITES {
        if names.runs(site.rule) && uses(site.rule) && (site.hint)(&text, &low) {
            let rule = format!("rule:{}", site.rule);
            text = replace_at(site, &text, names, || {
                counts.add("PATIENT", 1);
                counts.add(&rule, 1);
            });
        }
    }
    if let Some(patients) = names.patients.as_ref() {
        if uses("name-recurs") && Names::mentions(&low, &names.patient_words) {
            text = patients.replace(&text, |_| {
                counts.add("PATIENT", 1);
                counts.add("rule:name-recurs", 1);
                PATIENT.to_string()
            });
        }
    }
    // one name written in parts ("Lin [PATIENT]" → "[PATIENT] [PATIENT]") is one replacement
    if text.matches(PATIENT).count() > 1 {
        text = PATIENT_RUN
            .replace_all(&text, |c: &regex::Captures<'_>| {
                let n = c[0].matches(PATIENT).count() as i64;
                counts.add("PATIENT", -(n - 1));
                PATIENT.to_string()
            })
            .into_owned();
    }
    if masked.is_empty() {
        return Ok((text, counts));
    }
    let mut failed = false;
    let text = MASK
        .replace_all(&text, |c: &regex::Captures<'_>| {
            if redact_doctors {
                counts.add("DOCTOR", 1);
                return "[DOCTOR]".to_string();
            }
            let at = int_of(&c[1]).and_then(|n| usize::try_from(n).ok());
            match at.and_then(|n| masked.get(n)) {
                Some(m) => m.clone(),
                None => {
                    failed = true;
                    String::new()
                }
            }
        })
        .into_owned();
    if failed {
        return Err("list index out of range".to_string());
    }
    Ok((text, counts))
}

/// `[A-Z][a-z'’]{2,}(?:-[A-Z][a-z]+)?\b` at `at`, with Python's backtracking: the longest
/// way (greedy, then the hyphenated part, then without it) after which `\b` holds.
fn beside_name(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !b.get(at).is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    let small = |i: usize| -> Option<usize> {
        // the length of the `[a-z'’]` character at byte i
        if b.get(i)
            .is_some_and(|c| c.is_ascii_lowercase() || *c == b'\'')
        {
            Some(1)
        } else if text[i.min(text.len())..].starts_with('’') {
            Some(3)
        } else {
            None
        }
    };
    let mut ends = vec![]; // the end after each `[a-z'’]` taken
    let mut i = at + 1;
    while let Some(n) = small(i) {
        i += n;
        ends.push(i);
    }
    let boundary = |end: usize| {
        let last = text[..end].chars().next_back().is_some_and(is_word);
        last != text[end..].chars().next().is_some_and(is_word)
    };
    for &end in ends.iter().skip(1).rev() {
        // the hyphenated part, longest first
        if b.get(end) == Some(&b'-') && b.get(end + 1).is_some_and(u8::is_ascii_uppercase) {
            let run = b[end + 2..]
                .iter()
                .take_while(|c| c.is_ascii_lowercase())
                .count();
            for k in (1..=run).rev() {
                if boundary(end + 2 + k) {
                    return Some(end + 2 + k);
                }
            }
        }
        if boundary(end) {
            return Some(end);
        }
    }
    None
}

/// `_beside`: family names standing beside a replaced name ("[PATIENT] Khan").
pub fn beside(text: &str, names: &Names) -> Vec<String> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(PATIENT) {
        let at = from + i;
        let after = at + PATIENT.len();
        let spaces = text[after..].len() - text[after..].trim_start_matches([' ', '\t']).len();
        let name_at = if spaces > 0 {
            Some(after + spaces)
        } else if text[after..].starts_with('-') {
            Some(after + 1)
        } else {
            None
        };
        match name_at.and_then(|n| beside_name(text, n).map(|e| (n, e))) {
            Some((n, end)) => {
                let name = &text[n..end];
                let low = lower(name);
                if !holds(&NOT_NAME_WORDS, &low) && !common(&low) && !names.is_doctor(name) {
                    found.push(name.to_string());
                }
                from = end;
            }
            None => from = at + 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Names {
        let mut n = Names::new(&["Lin Mei"], &["Ann"], &["Dr. Wu Chen"]);
        n.sites = None;
        n
    }

    #[test]
    fn people_as_python() {
        let (text, counts) = people(
            "Dear Ann,\nLin Mei asked Dr. Wu. Wu Chen says lin mei is fine.",
            &record(),
            &[],
            false,
        )
        .unwrap();
        assert_eq!(
            text,
            "Dear [PATIENT],\n[PATIENT] asked Dr. Wu. Wu Chen says [PATIENT] is fine."
        );
        assert_eq!(counts.get("PATIENT"), 3);
        assert_eq!(counts.get("rule:salutation"), 1);
        assert_eq!(counts.get("rule:name-recurs"), 2);
        let (text, counts) = people("Dr. Wu and Wu Chen", &record(), &[], true).unwrap();
        assert_eq!(
            (text.as_str(), counts.get("DOCTOR")),
            ("[DOCTOR] and [DOCTOR]", 2)
        );
    }

    #[test]
    fn parts_of_one_name_count_once() {
        let (text, counts) =
            people("Mei [PATIENT] -\n [PATIENT] x", &record(), &[], false).unwrap();
        assert_eq!(text, "Mei [PATIENT] x");
        assert_eq!(counts.get("PATIENT"), -1);
    }

    #[test]
    fn a_page_with_a_mask_of_its_own() {
        assert!(people("Dr. Wu \u{e000}7\u{e001}", &record(), &[], false).is_err());
        let (text, _) = people("Dr. Wu \u{e000}0\u{e001}", &record(), &[], false).unwrap();
        assert_eq!(text, "Dr. Wu Dr. Wu");
    }

    #[test]
    fn beside_backtracks_as_python() {
        let n = record();
        assert_eq!(
            beside("[PATIENT] Khan, [PATIENT]-Ali x", &n),
            ["Khan", "Ali"]
        );
        assert_eq!(beside("[PATIENT] Khan'sé", &n), ["Khan'"]);
        assert_eq!(
            beside("[PATIENT] Khan-Lee [PATIENT] Khan-Leeé", &n),
            ["Khan-Lee", "Khan"]
        );
        assert_eq!(
            beside("[PATIENT] The [PATIENT] Wu [PATIENT] Chen", &n),
            Vec::<String>::new()
        );
    }
}
