//! Building blocks for patterns that must answer as Python's `re` does: `re.IGNORECASE`'s folds
//! and `\b` (whose "word" is Python's `\w`), which the `regex` crate spells differently.

use crate::text::{WORD, WS};
use regex::Regex;

/// `pattern` compiled; the patterns are constants, so a bad one is a bug caught by any test.
pub fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

/// `pattern` compiled as Python compiles it with `re.IGNORECASE`. Rust's `(?i)` folds `k` with
/// `K` (Kelvin) and `s` with `ſ` as Python does, but `i` only with `I`, where Python also takes
/// `İ` and `ı`: every `i` is widened to those. In `pattern`, `<s>` stands for Python's `\s`,
/// `<w>` for `\w` and `<nw>` for `\W` (kept out of the folding: `(?i)` would add to them marks
/// that fold to letters, such as U+0345); it must hold no other `i` than literal letters.
pub fn ignorecase(pattern: &str) -> Regex {
    let folded = pattern
        .replace('i', "[iİı]")
        .replace("<s>", &format!("[{WS}]"))
        .replace("<w>", &format!("(?-i:{WORD})"))
        .replace("<nw>", &format!("(?-i:[^{WORD}])"));
    re(&format!("(?i){folded}"))
}

/// `\b(?:alternatives)\b`, for a search, where every alternative starts and ends with a word
/// character: the boundaries are then a non-word character (or the text's edge) on either side,
/// consumed, which leaves whether the text holds a match unchanged.
pub fn bounded(alternatives: &str) -> String {
    format!(r"(?:\A|<nw>)(?:{alternatives})(?:<nw>|\z)")
}

/// One character of the text equal to `p` (an ASCII lower-case letter) under Python's re.IGNORECASE.
pub fn ci_eq(c: char, p: char) -> bool {
    c.to_ascii_lowercase() == p
        || (p == 'k' && c == '\u{212A}')
        || (p == 'i' && matches!(c, '\u{130}' | '\u{131}'))
        || (p == 's' && c == '\u{17F}')
}

/// `re.match(word, s, re.I)` for a `word` of ASCII lower-case letters: the text it takes and
/// the rest of `s` (a literal's match, for the labels where a capture costs the regex crate a
/// microsecond a line).
pub fn strip_prefix_ci<'a>(s: &'a str, word: &str) -> Option<(&'a str, &'a str)> {
    let mut end = 0;
    let mut chars = s.chars();
    for p in word.chars() {
        let c = chars.next().filter(|&c| ci_eq(c, p))?;
        end += c.len_utf8();
    }
    Some(s.split_at(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_as_python() {
        let word = ignorecase(r"\Akis\z");
        for s in ["kis", "KIS", "\u{212A}İſ", "kıs"] {
            assert!(word.is_match(s), "{s}");
        }
        assert!(!ignorecase(r"\Ai\z").is_match("i\u{307}"));
        // U+0345 folds to ι, a letter, but is no word character for Python
        assert!(
            ignorecase(r"\A<w>\z").is_match("Σ") && !ignorecase(r"\A<w>\z").is_match("\u{345}")
        );
        assert!(
            ignorecase(r"\A<nw>\z").is_match("\u{345}") && ignorecase(r"\A<s>\z").is_match("\x1c")
        );
    }

    #[test]
    fn literal_prefixes_fold_as_python() {
        assert_eq!(
            strip_prefix_ci("PatİENT: a", "patient"),
            Some(("PatİENT", ": a"))
        );
        assert_eq!(strip_prefix_ci("\u{212A}ſ", "ks"), Some(("\u{212A}ſ", "")));
        assert_eq!(strip_prefix_ci("Pati", "patient"), None);
        assert_eq!(strip_prefix_ci("Pa\u{301}tient", "patient"), None);
    }

    #[test]
    fn boundaries_as_python() {
        let hcm = ignorecase(&bounded("hcm|ask a doc"));
        assert!(hcm.is_match("HCM") && hcm.is_match("(hcm)") && hcm.is_match("x ask a doc."));
        assert!(!hcm.is_match("HCMs") && !hcm.is_match("_hcm") && !hcm.is_match("hcm²"));
        assert!(
            hcm.is_match("hcm\u{301}"),
            "a mark is no word character for Python"
        );
    }
}
