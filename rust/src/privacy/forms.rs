//! The names one record knows (`_Names`): its patients' written forms, to replace wherever they
//! recur, and its doctors', to keep. Python built a regex of the forms per record; this matcher
//! walks the text once and tries the forms in the regex's order at each start position, which
//! costs no compilation per record and finds the same matches.

use super::parts::{ci_char, tokens};
use super::words::{common, holds, WORD_NAMES};
use crate::text::{is_space, is_word, lower};

/// How a name's tokens are joined: any run of `[\s_.-]` (`_name_pattern`).
fn separator(c: char) -> bool {
    is_space(c) || matches!(c, '_' | '.' | '-')
}

/// `(?<![^\W_])` / `(?![^\W_])`: no letter or digit on that side (`_` or nothing is fine).
fn open(c: Option<char>) -> bool {
    c.is_none_or(|c| c == '_' || !is_word(c))
}

/// The length of Python's pattern for these tokens (`re.escape` leaves a token's letters,
/// digits and apostrophes alone; `[\s_.-]*` is 9 characters): the forms are tried longest first.
fn pattern_len(tokens: &[String]) -> usize {
    tokens.iter().map(|t| t.chars().count()).sum::<usize>() + 9 * (tokens.len().saturating_sub(1))
}

/// One form: tokens joined by separators, matched ignoring case (`(?i:)`) or exactly.
#[derive(Debug, Clone)]
struct Form {
    tokens: Vec<String>,
    ignore_case: bool,
}

impl Form {
    /// The end of this form matched at `at`, or None.
    fn match_at(&self, text: &str, at: usize) -> Option<usize> {
        let mut pos = at;
        for (k, token) in self.tokens.iter().enumerate() {
            if k > 0 {
                pos += text[pos..]
                    .find(|c| !separator(c))
                    .unwrap_or(text.len() - pos);
            }
            let mut chars = text[pos..].chars();
            for p in token.chars() {
                let c = chars.next()?;
                if !(c == p || self.ignore_case && ci_char(c, p)) {
                    return None;
                }
                pos += c.len_utf8();
            }
        }
        Some(pos)
    }
}

/// A record's patients' or doctors' names: the alternatives of Python's pattern, in its order.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Exact forms (both orders of a two-token name), ignoring case, between `(?<![^\W_])` and `(?![^\W_])`.
    exact: Vec<Form>,
    /// Distinctive parts alone ("Yanling", "YANLING"), case-sensitive, with the same guards.
    parts: Vec<String>,
    /// Common-word or one-letter names, capitalised, after `(?<=[\w,;)\]] )`, before `\b`.
    titled: Vec<String>,
    /// The characters a match starts with (`_first_of`), and whether they are compared ignoring case.
    firsts: Vec<char>,
    firsts_ignore_case: bool,
    /// `may_start` of each ASCII character, looked up (most text is ASCII).
    ascii: [bool; 128],
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            exact: vec![],
            parts: vec![],
            titled: vec![],
            firsts: vec![],
            firsts_ignore_case: false,
            ascii: [false; 128],
        }
    }
}

impl Matcher {
    /// The matcher with its ASCII table filled in.
    fn ready(mut self) -> Self {
        for b in 0..128u8 {
            self.ascii[b as usize] = self.first_of(char::from(b));
        }
        self
    }

    fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.parts.is_empty() && self.titled.is_empty()
    }

    fn may_start(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.ascii[c as usize];
        }
        self.first_of(c)
    }

    fn first_of(&self, c: char) -> bool {
        self.firsts
            .iter()
            .any(|&f| c == f || self.firsts_ignore_case && ci_char(c, f))
    }

    /// The match starting at `at` (with `before` the character before it), as Python's
    /// alternation picks it: the first alternative whose guards hold.
    fn match_at(&self, text: &str, at: usize, before: Option<char>) -> Option<usize> {
        let after = |end: usize| text[end..].chars().next();
        if open(before) {
            for form in &self.exact {
                if let Some(end) = form.match_at(text, at) {
                    if open(after(end)) {
                        return Some(end);
                    }
                }
            }
            for part in &self.parts {
                if text[at..].starts_with(part.as_str()) && open(after(at + part.len())) {
                    return Some(at + part.len());
                }
            }
        }
        if !self.titled.is_empty() && before == Some(' ') {
            let two = text[..at].chars().nth_back(1);
            if two.is_some_and(|c| is_word(c) || matches!(c, ',' | ';' | ')' | ']')) {
                for form in &self.titled {
                    if !text[at..].starts_with(form.as_str()) {
                        continue;
                    }
                    let end = at + form.len();
                    let last = form.chars().next_back().is_some_and(is_word);
                    if last != after(end).is_some_and(is_word) {
                        return Some(end);
                    }
                }
            }
        }
        None
    }

    /// The first match at or after `from`: (start, end). Every alternative needs an open
    /// character before the match (the titled names a space), so only those starts are tried.
    pub fn find_at(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        let mut before = text[..from].chars().next_back();
        for (i, c) in text[from..].char_indices() {
            let at = from + i;
            if self.may_start(c) && open(before) {
                if let Some(end) = self.match_at(text, at, before) {
                    return Some((at, end));
                }
            }
            before = Some(c);
        }
        None
    }

    /// Every match, left to right, each search going on from the end of the last.
    pub fn replace(&self, text: &str, mut with: impl FnMut(&str) -> String) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        while let Some((start, end)) = self.find_at(text, last) {
            out.push_str(&text[last..start]);
            out.push_str(&with(&text[start..end]));
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }
}

/// `t[0].upper() + t[1:].lower()` of a token (ASCII letters, apostrophes, digits).
fn capitalised(t: &str) -> String {
    let mut chars = t.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase());
    first
        .into_iter()
        .chain(chars.map(|c| c.to_ascii_lowercase()))
        .collect()
}

/// The first run of word characters in Python's pattern for these tokens (`re.findall(r"\w+", e)[:1]`).
fn first_word(tokens: &[String]) -> Option<String> {
    let pattern = tokens.join(r"[\s_.-]*");
    let start = pattern.find(is_word)?;
    let end = pattern[start..]
        .find(|c| !is_word(c))
        .map_or(pattern.len(), |j| start + j);
    Some(lower(&pattern[start..end]))
}

/// Forms sorted as `sorted(set, key=len, reverse=True)`; ties (which cannot both match at one
/// place) in a fixed order.
fn longest_first(mut forms: Vec<Vec<String>>) -> Vec<Vec<String>> {
    forms.sort();
    forms.dedup();
    forms.sort_by_key(|f| std::cmp::Reverse(pattern_len(f)));
    forms
}

/// The people one record names.
#[derive(Debug, Clone, Default)]
pub struct Names {
    doctor_tokens: Vec<Vec<String>>,
    pub doctors: Option<Matcher>,
    pub patients: Option<Matcher>,
    /// Lower-case pieces one of which every patient match holds: the scan runs only where one is.
    pub patient_words: Vec<String>,
    pub doctor_words: Vec<String>,
    /// The rules whose sites supplied a name: only they run again where names are replaced (None: all).
    pub sites: Option<Vec<String>>,
}

fn owned(tokens: Vec<&str>) -> Vec<String> {
    tokens.into_iter().map(str::to_string).collect()
}

impl Names {
    pub fn new<S: AsRef<str>>(patients: &[S], greeted: &[S], doctors: &[S]) -> Self {
        let doctor_names: Vec<Vec<String>> = doctors
            .iter()
            .map(|d| owned(tokens(d.as_ref())))
            .filter(|t| !t.is_empty())
            .collect();
        let mut names = Names {
            doctor_tokens: doctor_names
                .iter()
                .map(|t| {
                    let mut low: Vec<String> = t.iter().map(|t| lower(t)).collect();
                    low.sort();
                    low.dedup();
                    low
                })
                .collect(),
            ..Names::default()
        };
        if !doctor_names.is_empty() {
            let forms = longest_first(doctor_names.clone());
            let mut firsts: Vec<char> = doctor_names
                .iter()
                .filter_map(|t| t[0].chars().next())
                .collect();
            firsts.sort();
            firsts.dedup();
            names.doctors = Some(
                Matcher {
                    exact: forms
                        .into_iter()
                        .map(|tokens| Form {
                            tokens,
                            ignore_case: false,
                        })
                        .collect(),
                    firsts,
                    ..Matcher::default()
                }
                .ready(),
            );
            let mut words: Vec<String> = doctor_names.iter().map(|t| lower(&t[0])).collect();
            words.sort();
            words.dedup();
            names.doctor_words = words;
        }
        let (mut exact, mut parts, mut titled, mut firsts) = (vec![], vec![], vec![], vec![]);
        let greeted = greeted.iter().filter(|g| !names.is_doctor(g.as_ref()));
        for name in patients.iter().chain(greeted) {
            let tokens = owned(tokens(name.as_ref()));
            if tokens.is_empty() {
                continue;
            }
            if tokens.len() == 1
                && (holds(&WORD_NAMES, &lower(&tokens[0])) || tokens[0].chars().count() < 2)
            {
                titled.push(capitalised(&tokens[0]));
                firsts.extend(tokens[0].chars().next());
                continue;
            }
            firsts.extend(tokens.iter().filter_map(|t| t.chars().next()));
            for t in &tokens {
                if tokens.len() > 1
                    && t.chars().count() >= 4
                    && !common(&lower(t))
                    && !t.starts_with(|c| crate::text::digit_value(c).is_some())
                {
                    parts.push(t.clone());
                }
            }
            if tokens.len() == 2 {
                exact.push(vec![tokens[1].clone(), tokens[0].clone()]);
            }
            exact.push(tokens);
        }
        let exact = longest_first(exact);
        parts.sort();
        parts.dedup();
        titled.sort();
        titled.dedup();
        let mut words: Vec<String> = parts.iter().map(|t| lower(t)).collect();
        words.extend(titled.iter().map(|t| lower(t)));
        words.extend(exact.iter().filter_map(|e| first_word(e)));
        words.sort();
        words.dedup();
        names.patient_words = words;
        let mut part_forms: Vec<String> = parts
            .iter()
            .flat_map(|t| [capitalised(t), t.to_ascii_uppercase()])
            .collect();
        part_forms.sort();
        part_forms.dedup();
        part_forms.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
        firsts.sort();
        firsts.dedup();
        let matcher = Matcher {
            exact: exact
                .into_iter()
                .map(|tokens| Form {
                    tokens,
                    ignore_case: true,
                })
                .collect(),
            parts: part_forms,
            titled,
            firsts,
            firsts_ignore_case: true,
            ascii: [false; 128],
        }
        .ready();
        names.patients = (!matcher.is_empty()).then_some(matcher);
        names
    }

    /// True when the sites of `rule` run where this record's names are replaced.
    pub fn runs(&self, rule: &str) -> bool {
        self.sites
            .as_ref()
            .is_none_or(|s| s.iter().any(|r| r == rule))
    }

    /// `_Names.mentions`: a lower-cased text holds one of `words`.
    pub fn mentions(low: &str, words: &[String]) -> bool {
        words.iter().any(|w| low.contains(w.as_str()))
    }

    /// True when every part of `name` is part of one answering doctor's name ("Lan" of "Dr. Lan
    /// Shengxing"): a patient greeting the doctor, not a patient.
    pub fn is_doctor(&self, name: &str) -> bool {
        let mine: Vec<String> = tokens(name).into_iter().map(lower).collect();
        !mine.is_empty()
            && self
                .doctor_tokens
                .iter()
                .any(|d| mine.iter().all(|t| d.binary_search(t).is_ok()))
    }

    /// `names.patients.search(text)`: a patient's name is in the text.
    pub fn patients_search(&self, text: &str) -> bool {
        self.patients
            .as_ref()
            .is_some_and(|m| m.find_at(text, 0).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(patients: &[&str], greeted: &[&str], doctors: &[&str]) -> Names {
        Names::new(patients, greeted, doctors)
    }

    fn replaced(n: &Names, text: &str) -> String {
        n.patients.as_ref().unwrap().replace(text, |_| "[P]".into())
    }

    #[test]
    fn forms_as_python_finds_them() {
        let n = names(&["Mei Ling"], &[], &[]);
        assert_eq!(
            replaced(&n, "mei-ling, Ling Mei, MeiLing, Meiling_x, Meilingo"),
            "[P], [P], [P], [P]_x, Meilingo"
        );
        // the guards are "no letter or digit": `_` is none
        assert_eq!(replaced(&n, "_Mei Ling_ 1Mei Ling"), "_[P]_ 1Mei [P]");
        assert_eq!(replaced(&n, "MEİ LİNG \u{212A}"), "[P] \u{212A}");
    }

    #[test]
    fn a_common_word_name_only_capitalised_inside_a_sentence() {
        let n = names(&["June"], &[], &[]);
        assert_eq!(
            replaced(&n, "June came. Dear, June came; in june, x) June"),
            "June came. Dear, [P] came; in june, x) [P]"
        );
        let one = names(&["A"], &[], &[]);
        assert_eq!(replaced(&one, "x A b, x Ab"), "x [P] b, x Ab");
    }

    #[test]
    fn distinctive_parts_alone() {
        let n = names(&["Chen Yanling"], &[], &[]);
        assert_eq!(
            replaced(&n, "Yanling, YANLING, yanling, Chen"),
            "[P], [P], yanling, [P]"
        );
        assert!(n.patient_words.contains(&"yanling".to_string()));
    }

    #[test]
    fn doctors_kept_and_recognised() {
        let n = names(&[], &["Lan"], &["Dr. Lan Shengxing"]);
        assert!(n.is_doctor("Lan") && n.is_doctor("shengxing lan") && !n.is_doctor("Li"));
        assert!(n.patients.is_none());
        let d = n.doctors.as_ref().unwrap();
        assert_eq!(
            d.replace("Lan Shengxing, lan shengxing", |_| "D".into()),
            "D, lan shengxing"
        );
    }

    #[test]
    fn apostrophe_tokens_word_hint_as_python() {
        // the hint is the first \w run of Python's pattern string: here the `s_` of `[\s_.-]*`
        assert_eq!(first_word(&["'".into(), "x".into()]), Some("s_".into()));
    }
}
