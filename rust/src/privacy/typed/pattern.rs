//! Patterns that find what Python's `re` finds: the regex crate has no lookaround, so a
//! one-character lookbehind before a match and the lookahead after it are consumed around a
//! group holding the match (Python's `m.group(0)`), and the search starts one character early
//! so the character before it is seen. Leftmost-first alternation is Python's order, so the
//! group is the match Python's backtracking takes.

use crate::text::{DIGIT, WORD, WS};
use regex::{Regex, RegexBuilder};

/// The lazy DFA's cache a typed pattern may fill, on each thread that searches with it. The
/// labelled-number patterns (a label, then a run of Python's `\w` with a digit somewhere in it)
/// have more DFA states than the default 2 MB hold on texts such as "id doctorqna-538857ffe65c0ae9":
/// the cache was cleared and rebuilt on every search (~0.5 ms a short text). It grows only as far
/// as the texts searched need.
const DFA_CACHE: usize = 64 << 20;

/// `pattern` with Python's classes spelled for the regex crate: `\w` (Python's word characters),
/// `\d` (its decimal digits) and `\s` (its whitespace), also inside classes (nested there).
pub fn py(pattern: &str) -> String {
    pattern
        .replace(r"\w", WORD)
        .replace(r"\d", DIGIT)
        .replace(r"\s", &format!("[{WS}]"))
}

/// `(?i:pattern)` as Python's re.IGNORECASE reads it: `i` also matches `İ` and `ı` (the regex
/// crate folds `k` with `K` and `s` with `ſ` as Python does). `pattern` holds no `i` but letters.
pub fn ci(pattern: &str) -> String {
    format!("(?i:{})", pattern.replace('i', "[iİı]"))
}

/// A match: where Python's match starts and ends, and its `value` group's span, if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub value: Option<(usize, usize)>,
}

/// How the value group's end is found.
#[derive(Clone, Copy)]
pub enum Value {
    /// No value group.
    None,
    /// Group 2 is the value.
    Group,
    /// Group 2 is the run of `[\w/-]` characters a value opens (what its lookahead reads); the
    /// value, and the match, end at the run's last ASCII letter or digit.
    Run,
}

/// A pattern of one typed rule: `(?<![not_after])(body)` followed by what `ahead` consumes.
pub struct Pat {
    re: Regex,
    behind: bool,
    value: Value,
}

impl Pat {
    /// `not_after`: the body of the class the lookbehind refuses (Python spelling), or None;
    /// `body`: the match, with one capturing group at most (the value); `ahead`: the lookahead,
    /// written as what it lets follow (consumed: `(?:\z|…)`), or "".
    pub fn new(not_after: Option<&str>, body: &str, ahead: &str, value: Value) -> Self {
        let prefix = not_after.map_or(String::new(), |c| format!(r"(?:\A|[^{}])", py(c)));
        Pat {
            re: RegexBuilder::new(&format!("{prefix}({}){}", py(body), py(ahead)))
                .dfa_size_limit(DFA_CACHE)
                .build()
                .expect("a valid pattern"),
            behind: not_after.is_some(),
            value,
        }
    }

    /// The first match Python's search from `pos` finds.
    pub fn find(&self, text: &str, pos: usize) -> Option<Hit> {
        let mut from = pos;
        if self.behind {
            from -= text[..pos].chars().next_back().map_or(0, char::len_utf8);
        }
        let mut caps = self.re.captures_at(text, from)?;
        if caps.get(1)?.start() < pos {
            // only a match of one character could leave the `\A` branch before `pos`: none is
            caps = self.re.captures_at(text, pos)?;
        }
        let whole = caps.get(1)?;
        let (end, value) = match self.value {
            Value::None => (whole.end(), None),
            Value::Group => {
                let v = caps.get(2)?;
                (whole.end(), Some((v.start(), v.end())))
            }
            Value::Run => {
                let run = caps.get(2)?;
                let last = text[run.range()].rfind(|c: char| c.is_ascii_alphanumeric())?;
                let end = run.start() + last + 1;
                (end, Some((run.start(), end)))
            }
        };
        Some(Hit {
            start: whole.start(),
            end,
            value,
        })
    }

    /// True when the pattern matches somewhere in `text`.
    #[cfg(test)]
    pub fn matches(&self, text: &str) -> bool {
        self.find(text, 0).is_some()
    }
}

/// `re.sub(pattern, f, text)`: each match, left to right from the end of the one before, replaced
/// by what `f` gives (None keeps it).
pub fn sub(text: &str, pat: &Pat, mut f: impl FnMut(&str, &Hit) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut last, mut pos) = (0, 0);
    while pos <= text.len() {
        let Some(hit) = pat.find(text, pos) else {
            break;
        };
        if let Some(new) = f(text, &hit) {
            out.push_str(&text[last..hit.start]);
            out.push_str(&new);
            last = hit.end;
        }
        pos = if hit.end > hit.start {
            hit.end
        } else {
            match text[hit.end..].chars().next() {
                Some(c) => hit.end + c.len_utf8(),
                None => break,
            }
        };
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lookbehind_sees_the_character_before_the_search() {
        let p = Pat::new(Some(r"\w"), r"\d{3}", r"(?:\z|[^\w])", Value::None);
        // "123" after "x" is no match; after a replaced "ab-" match the search starts at "-"
        assert_eq!(p.find("x123 456", 0).map(|h| h.start), Some(5));
        assert_eq!(
            p.find("a123", 1),
            None,
            "the character before the search is read"
        );
        assert_eq!(
            sub("-123 4567 890", &p, |_, _| Some("N".into())),
            "-N 4567 N"
        );
    }

    #[test]
    fn a_failed_lookahead_takes_a_shorter_repetition() {
        // Python: re.search(r"\d{2,4}(?![\w])", "12345 ") finds "2345" (start 1)
        let p = Pat::new(None, r"\d{2,4}", r"(?:\z|[^\w])", Value::None);
        assert_eq!(
            p.find("12345 ", 0),
            Some(Hit {
                start: 1,
                end: 5,
                value: None
            })
        );
    }

    #[test]
    fn python_classes_and_folds() {
        let p = Pat::new(None, &ci("id"), "", Value::None);
        for s in ["ID", "İd", "ıD"] {
            assert!(p.matches(s), "{s}");
        }
        let w = Pat::new(None, r"\w+", "", Value::None);
        assert_eq!(
            w.find("\u{301}x²", 0).map(|h| h.start),
            Some(2),
            "a mark is no \\w, ² is"
        );
        assert!(Pat::new(None, r"\s", "", Value::None).matches("\x1c"));
    }
}
