//! The certain repairs of source artefacts (`text_repaired` in the schema): a missing space after a
//! full stop between two words ("concern.The"), and a word broken by a stray space ("deta ils").
//! Only repairs that cannot change what a sentence says are made; the faithful text is kept beside.
//!
//! Python's patterns, matched by hand (the `regex` crate has no lookaround), each in one pass:
//! `_MISSING_SPACE = (?<![\w.'’/@-])([A-Za-z][a-z]+[.!?])(?=(?:[A-Z][a-z]+|[AI])\b)`,
//! `_WORD = [A-Za-z]+(?:['’][A-Za-z]+)?`, `_LETTERS = (?<![\w'’-])[A-Za-z]+(?![\w'’-])`.

use crate::text::is_word;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashSet;

/// Words that are real words on any page: a pair of them ("in to", "every one") is never a broken word.
const COMMON: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as",
    "at", "be", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "done", "down", "during", "each", "either", "even", "ever",
    "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
    "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "least",
    "less", "let", "like", "may", "me", "might", "more", "most", "much", "must", "my", "near",
    "neither", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "onto", "or",
    "other", "our", "out", "over", "own", "per", "same", "she", "should", "since", "so", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "though", "through", "till", "to", "too", "two", "under", "until", "up", "upon", "us",
    "very", "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
];

/// How often each lower-cased word (`_WORD`) occurs on a page: the evidence a repair may lean on.
pub type PageWords = FxHashMap<String, usize>;

/// The English lexicon (SCOWL) a broken word must join up into, with the common words.
pub struct Lexicon {
    words: FxHashSet<String>,
    common: FxHashSet<&'static str>,
}

impl Lexicon {
    pub fn new(words: HashSet<String>) -> Self {
        Self {
            words: words.into_iter().collect(),
            common: COMMON.iter().copied().collect(),
        }
    }

    fn has(&self, w: &str) -> bool {
        self.words.contains(w)
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The end (byte offset) of the run of characters from `at` that `keep` is true of.
fn run_end(s: &str, at: usize, keep: impl Fn(char) -> bool) -> usize {
    s[at..]
        .char_indices()
        .find(|&(_, c)| !keep(c))
        .map_or(s.len(), |(k, _)| at + k)
}

/// Adds the words of `text` (`_WORD.findall`, lower-cased) to `counts`.
pub fn count_words(text: &str, counts: &mut PageWords) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        i = run_end(text, i, |c| c.is_ascii_alphabetic());
        // an apostrophe and more letters belong to the word ("don't", "patient’s")
        if let Some(c) = text[i..].chars().next().filter(|&c| is_apostrophe(c)) {
            let after = i + c.len_utf8();
            if bytes.get(after).is_some_and(u8::is_ascii_alphabetic) {
                i = run_end(text, after, |c| c.is_ascii_alphabetic());
            }
        }
        let word = &text[start..i];
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            *counts.entry(word.to_ascii_lowercase()).or_insert(0) += 1;
        } else if let Some(n) = counts.get_mut(word) {
            *n += 1;
        } else {
            counts.insert(word.to_string(), 1);
        }
    }
}

/// `page_words(*texts)`: the words of all the texts, counted.
pub fn page_words<'a>(texts: impl IntoIterator<Item = Option<&'a str>>) -> PageWords {
    let mut counts = PageWords::default();
    for text in texts.into_iter().flatten() {
        count_words(text, &mut counts);
    }
    counts
}

/// True when `s` starts with `[A-Z][a-z]+\b` or `[AI]\b` (a capitalised word after the full
/// stop): the lookahead of `_MISSING_SPACE`.
fn capitalised_word(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let end = run_end(s, 1, |c| c.is_ascii_lowercase());
    // `[A-Z][a-z]+\b` needs a lower-case letter; else `[AI]\b`
    if end == 1 && b[0] != b'A' && b[0] != b'I' {
        return false;
    }
    !s[end..].chars().next().is_some_and(is_word)
}

/// `_MISSING_SPACE.sub(r"\1 ", text)`: a space put after a full stop (or `!`, `?`) that ends a
/// word of letters and is followed by a capitalised word, unless the first word follows a word
/// character or `.'’/@-` (so "e.g.the", "Ph.D", "2.5mg" and "icliniq.com" are left alone).
/// Lookbehind and lookahead are read on the original text, as `re.sub` does.
pub fn add_missing_spaces(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = 0; // text[..last] is in `out`
    let mut prev: Option<char> = None; // the character before `i`
    let mut i = 0;
    while i < bytes.len() {
        let blocked = prev.is_some_and(|c| is_word(c) || ".'’/@-".contains(c));
        if !blocked && bytes[i].is_ascii_alphabetic() {
            let end = run_end(text, i + 1, |c| c.is_ascii_lowercase());
            if end > i + 1
                && matches!(bytes.get(end), Some(b'.' | b'!' | b'?'))
                && capitalised_word(&text[end + 1..])
            {
                out.push_str(&text[last..=end]);
                out.push(' ');
                last = end + 1;
                prev = Some(char::from(bytes[end]));
                i = end + 1;
                continue;
            }
        }
        let c = text[i..].chars().next().unwrap_or('\0');
        prev = Some(c);
        i += c.len_utf8();
    }
    out.push_str(&text[last..]);
    out
}

/// The runs of `_LETTERS` in `s`: ASCII letters with no word character, apostrophe or hyphen
/// glued to either side, as (start, end) byte offsets.
fn letter_runs(s: &str) -> Vec<(usize, usize)> {
    let glued = |c: char| is_word(c) || is_apostrophe(c) || c == '-';
    let bytes = s.as_bytes();
    let mut runs = Vec::new();
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() {
            let end = run_end(s, i, |c| c.is_ascii_alphabetic());
            let next = s[end..].chars().next();
            if !prev.is_some_and(glued) && !next.is_some_and(glued) {
                runs.push((i, end));
            }
            prev = Some(char::from(bytes[end - 1]));
            i = end;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\0');
        prev = Some(c);
        i += c.len_utf8();
    }
    runs
}

/// Two runs of letters one space apart (byte offsets), the second lower-case, whose join is a
/// word (of the lexicon or the page) and neither of which is a common word: a broken word, unless
/// both pieces are words too. `a` and `b` are the pieces lower-cased.
struct Pair<'t> {
    x: (usize, usize),
    y: (usize, usize),
    a: String,
    b: &'t str,
}

/// `repaired(texts, others)`: each of `texts` with its certain repairs, or None where there are
/// none; the words of `texts` and `others` (a record's title and follow-up turns) are the page's
/// evidence.
pub fn repaired(
    texts: &[Option<&str>],
    others: &[Option<&str>],
    lexicon: &Lexicon,
) -> Vec<Option<String>> {
    let words = page_words(texts.iter().chain(others).copied());
    texts.iter().map(|t| repair(*t, &words, lexicon)).collect()
}

/// `repair(text, words, lexicon)`: `text` with the repairs that are certain, or None when there are
/// none. A word broken by a stray space is joined when the whole is a word (in the lexicon or used
/// on the page) and a piece is not (in neither, besides its uses in such pairs); two words that
/// also make one ("every one", "some times", "in to") stay apart.
pub fn repair(text: Option<&str>, words: &PageWords, lexicon: &Lexicon) -> Option<String> {
    let text = text.filter(|t| !t.is_empty())?;
    let fixed = add_missing_spaces(text);
    let runs = letter_runs(&fixed);
    let bytes = fixed.as_bytes();
    let count = |w: &str| words.get(w).copied().unwrap_or(0);
    // Adjacent runs one space apart, a lower-case second, that join into a word: the candidates.
    // What decides a candidate is its two pieces alone, so a pair whose join is no word is
    // dropped here, before anything is allocated for it (most pairs of words on a page).
    let mut whole = String::new();
    let pairs: Vec<Pair> = runs
        .windows(2)
        .filter_map(|w| {
            let (x, y) = (w[0], w[1]);
            let b = &fixed[y.0..y.1];
            if y.0 != x.1 + 1 || bytes[x.1] != b' ' || !b.bytes().all(|c| c.is_ascii_lowercase()) {
                return None;
            }
            whole.clear();
            whole.push_str(&fixed[x.0..x.1]);
            whole.make_ascii_lowercase();
            let a_len = whole.len();
            if lexicon.common.contains(&whole[..a_len]) || lexicon.common.contains(b) {
                return None;
            }
            whole.push_str(b);
            if !(lexicon.has(&whole) || count(&whole) > 0) {
                return None;
            }
            Some(Pair {
                x,
                y,
                a: whole[..a_len].to_string(),
                b,
            })
        })
        .collect();
    if pairs.is_empty() && fixed == text {
        return None;
    }
    // how often the page breaks the same pieces apart: uses of a piece that do not count as its own
    let mut seen: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    for Pair { a, b, .. } in &pairs {
        *seen.entry((a.as_str(), b)).or_insert(0) += 1;
    }
    // a word of its own, besides its `broken` uses in pairs
    let word = |w: &str, broken: usize| lexicon.has(w) || count(w) > broken;
    let mut out = String::with_capacity(fixed.len());
    let mut last = 0;
    let mut used: Option<usize> = None;
    for Pair { x, y, a, b } in &pairs {
        let n = seen[&(a.as_str(), *b)];
        if used.is_some_and(|u| x.0 <= u) || (word(a, n) && word(b, n)) {
            continue;
        }
        out.push_str(&fixed[last..x.1]);
        last = y.0;
        used = Some(y.1);
    }
    out.push_str(&fixed[last..]);
    (out != text).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        let words =
            "he the dose details as per it is mild second sec time microdermabrasion every \
                     one of them some times in to room concern photo you said see a missed";
        Lexicon::new(words.split(' ').map(String::from).collect())
    }

    fn fixed(text: &str, page: &str) -> Option<String> {
        let words = page_words([Some(text), Some(page)]);
        repair(Some(text), &words, &lexicon())
    }

    #[test]
    fn a_missing_space_after_a_full_stop_is_put_back() {
        assert_eq!(
            add_missing_spaces("concern.The photo.As"),
            "concern. The photo. As"
        );
        assert_eq!(add_missing_spaces("Hello!World.The"), "Hello! World. The");
        assert_eq!(add_missing_spaces("doctor.I see"), "doctor. I see");
        assert_eq!(
            fixed("see Dr.Rovena", "").as_deref(),
            Some("see Dr. Rovena")
        );
    }

    #[test]
    fn abbreviations_numbers_and_links_keep_their_full_stops() {
        for text in [
            "e.g.the",
            "Ph.D",
            "2.5mg",
            "icliniq.com",
            "U.S.A",
            "x.Ab1",
            "a.The",
            "é.The",
        ] {
            assert_eq!(add_missing_spaces(text), text);
        }
        assert_eq!(
            fixed("e.g.the dose, 2.5mg, icliniq.com, Ph.D, U.S.A", ""),
            None
        );
        assert_eq!(add_missing_spaces("-dose.The"), "-dose.The");
        assert_eq!(add_missing_spaces("dose.Theé"), "dose.Theé");
        assert_eq!(add_missing_spaces("dose.Io"), "dose. Io");
    }

    #[test]
    fn a_broken_word_is_joined() {
        assert_eq!(
            fixed("As per deta ils, it is mild.", "").as_deref(),
            Some("As per details, it is mild.")
        );
        assert_eq!(
            fixed("He misse d the dose.", "").as_deref(),
            Some("He missed the dose.")
        );
        // "sec" is a word, "ond" is not
        assert_eq!(
            fixed("the sec ond time", "").as_deref(),
            Some("the second time")
        );
    }

    #[test]
    fn two_words_that_also_make_one_stay_apart() {
        assert_eq!(fixed("every one of them", ""), None);
        assert_eq!(fixed("some times", ""), None);
        assert_eq!(fixed("in to the room", ""), None);
    }

    #[test]
    fn a_word_is_joined_only_when_the_lexicon_or_the_page_says_so() {
        assert_eq!(fixed("a wurdi sion", ""), None);
        assert_eq!(
            fixed("a wurdi sion", "wurdision helps").as_deref(),
            Some("a wurdision")
        );
        // the page uses both pieces as words of their own, beyond the pairs
        assert_eq!(fixed("a wurdi sion", "wurdision wurdi sion"), None);
        assert_eq!(
            fixed("a microdermabra sion", "").as_deref(),
            Some("a microdermabrasion")
        );
    }

    #[test]
    fn a_run_is_joined_once_and_glued_runs_are_not_runs() {
        // "deta ils ils": the second pair starts where the first joined one ends
        assert_eq!(fixed("deta ils ils", "").as_deref(), Some("details ils"));
        assert_eq!(fixed("deta-ils x", ""), None);
        assert_eq!(fixed("deta ils2", ""), None);
        assert_eq!(fixed("deta Ils", ""), None);
        assert_eq!(fixed("", ""), None);
        assert_eq!(repair(None, &PageWords::default(), &lexicon()), None);
    }

    #[test]
    fn page_words_are_pythons_findall() {
        let words = page_words([Some("Don't a'b'c x’y'"), None, Some("DON'T é1")]);
        assert_eq!(words["don't"], 2);
        assert_eq!(words["a'b"], 1);
        assert_eq!(words["c"], 1);
        assert_eq!(words["x’y"], 1);
        assert_eq!(words.len(), 4);
    }
}
