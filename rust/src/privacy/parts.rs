//! What a captured name is made of, as Python reads it: its tokens (`_tokens`), the words kept
//! of a capture (`_trim`, `_name_words`), and the `str` case tests those use.

use super::words::{holds, EPONYMS, NOT_NAMES, NOT_NAME_WORDS};
use crate::sources::pyre::ci_eq;
use crate::text::{is_space, lower, WS};
use regex::Regex;
use std::sync::LazyLock;

/// Unicode's title-case letters (category Lt): `str.isupper()`/`islower()` fail on any of them.
fn is_title(c: char) -> bool {
    matches!(c as u32, 0x1C5 | 0x1C8 | 0x1CB | 0x1F2 | 0x1F88..=0x1F8F | 0x1F98..=0x1F9F | 0x1FA8..=0x1FAF | 0x1FBC | 0x1FCC | 0x1FFC)
}

/// `c.isupper()` of one character.
pub fn char_upper(c: char) -> bool {
    c.is_uppercase()
}

/// `c.islower()` of one character.
pub fn char_lower(c: char) -> bool {
    c.is_lowercase()
}

/// `s.isupper()`: a cased character, none lower or title case.
pub fn str_upper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_title(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// `s.islower()`: a cased character, none upper or title case.
pub fn str_lower(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_uppercase() || is_title(c) {
            return false;
        }
        cased |= c.is_lowercase();
    }
    cased
}

/// A leading title of a name (`_TITLE_PREFIX`): "Dr. ", "mrs ".
static TITLE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    crate::sources::pyre::re(&format!(
        r"\A[{WS}]*(?i:dr|doctor|prof|professor|mr|mrs|ms|m[iİı]ss|mx|m[iİı]ster|madam|mdm)\.?[{WS}]+"
    ))
});

/// A name's parts (`_tokens`): `MeiLing` → Mei, Ling; `Wen-Hao` → Wen, Hao; a leading title left
/// out. `[A-Z]?[a-z'’]+|[A-Z]+(?![a-z])|\d+` found left to right; other characters are skipped.
pub fn tokens(name: &str) -> Vec<&str> {
    let name = crate::text::strip(name);
    let name = match TITLE_PREFIX.find(name) {
        Some(m) => &name[m.end()..],
        None => name,
    };
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let offset = |k: usize| chars.get(k).map_or(name.len(), |&(i, _)| i);
    let small = |c: Option<char>| matches!(c, Some('a'..='z' | '\'' | '’'));
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(c) = at(k) {
        let start = k;
        if c.is_ascii_uppercase() && small(at(k + 1)) || small(Some(c)) {
            k += 1;
            while small(at(k)) {
                k += 1;
            }
        } else if c.is_ascii_uppercase() {
            while at(k).is_some_and(|c| c.is_ascii_uppercase()) {
                k += 1;
            }
            if at(k).is_some_and(|c| c.is_ascii_lowercase()) {
                k -= 1; // `(?![a-z])`: the last capital starts the next token
            }
        } else if crate::text::digit_value(c).is_some() {
            while at(k).and_then(crate::text::digit_value).is_some() {
                k += 1;
            }
        } else {
            k += 1;
            continue;
        }
        out.push(&name[offset(start)..offset(k)]);
    }
    out
}

/// `re.fullmatch(r"X{3,}", word, re.I)`: an anonymised name.
fn crossed_out(word: &str) -> bool {
    word.chars().count() >= 3 && word.chars().all(|c| c == 'x' || c == 'X')
}

/// `_trim`: a captured name without the words after it that are not names ("Anna\nThanks" →
/// "Anna"), or "" when its first word is not a name ("Doctor", "everyone", "XXXXXXX").
pub fn trim(name: &str) -> &str {
    // re.split(r"(\s+)"): words at even places, the spaces between them at odd ones
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = name;
    loop {
        match rest.find(is_space) {
            Some(i) => {
                let end = rest[i..]
                    .find(|c| !is_space(c))
                    .map_or(rest.len(), |j| i + j);
                pieces.push(&rest[..i]);
                pieces.push(&rest[i..end]);
                rest = &rest[end..];
            }
            None => {
                pieces.push(rest);
                break;
            }
        }
    }
    while let Some(last) = pieces.last() {
        let word = lower(last.trim_matches('.'));
        if !(word.is_empty() || holds(&NOT_NAMES, &word)) {
            break;
        }
        let keep = if pieces.len() > 1 {
            pieces.len() - 2
        } else {
            0
        };
        pieces.truncate(keep);
    }
    let Some(first) = pieces.first() else {
        return "";
    };
    if first.is_empty() || holds(&NOT_NAMES, &lower(first)) || crossed_out(first) {
        return "";
    }
    let end: usize = pieces.iter().map(|p| p.len()).sum();
    &name[..end]
}

/// `_name_words`: the leading words of `name` that may be a person's (lower-case ones only when
/// `lower_ok`), joined by single spaces.
pub fn name_words(name: &str, lower_ok: bool) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for word in name.split(is_space).filter(|w| !w.is_empty()) {
        let low = lower(word);
        let low = low.trim_end_matches(['\'', '’']);
        let first = word.chars().next().unwrap_or(' ');
        if holds(&NOT_NAME_WORDS, low)
            || holds(&NOT_NAMES, low)
            || low.chars().count() < 2
            || low.ends_with("ed")
            || low.ends_with("ing")
            || low.ends_with("ly")
            || (str_lower(word) && low.ends_with('s'))
            || (word.chars().count() > 1 && str_upper(word) && !lower_ok)
            || (!lower_ok && !char_upper(first))
        {
            break;
        }
        kept.push(word);
    }
    kept.join(" ")
}

/// True when `low` (lower case) names an eponym.
pub fn eponym(low: &str) -> bool {
    holds(&EPONYMS, low)
}

/// One character against an ASCII pattern character under re.IGNORECASE (digits and marks exact).
pub fn ci_char(c: char, p: char) -> bool {
    if p.is_ascii_alphabetic() {
        ci_eq(c, p.to_ascii_lowercase())
    } else {
        c == p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_as_python() {
        assert_eq!(tokens("MeiLing"), ["Mei", "Ling"]);
        assert_eq!(tokens("Dr. Wen-Hao"), ["Wen", "Hao"]);
        assert_eq!(tokens("ABCdef"), ["AB", "Cdef"]);
        assert_eq!(tokens("José O'Neil 12"), ["Jos", "O'", "Neil", "12"]);
        assert_eq!(tokens("Mİss Lin"), ["Lin"]);
        assert_eq!(tokens("Dr.Lin"), ["Dr", "Lin"]);
        assert_eq!(tokens("A"), ["A"]);
        assert!(tokens("  ").is_empty());
    }

    #[test]
    fn trim_as_python() {
        assert_eq!(trim("Anna\nThanks"), "Anna");
        assert_eq!(trim("Anna  Lee thanks."), "Anna  Lee");
        assert_eq!(trim("Doctor"), "");
        assert_eq!(trim("XXXXX"), "");
        assert_eq!(trim("Xx"), "Xx");
        assert_eq!(trim("Lin ..."), "Lin");
    }

    #[test]
    fn name_words_as_python() {
        assert_eq!(name_words("James calls", true), "James");
        assert_eq!(name_words("james", true), "");
        assert_eq!(name_words("IBS", false), "");
        assert_eq!(name_words("IBS", true), "IBS");
        assert_eq!(name_words("Lin\tMei here", false), "Lin Mei");
        assert_eq!(name_words("Lin married", false), "Lin");
        // Python's case tests: "ǅ" is title case, "1A" upper case
        assert!(!str_upper("ǅA") && str_upper("1A") && !str_lower("1") && str_lower("a1"));
    }
}
