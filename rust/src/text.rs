//! Text helpers of `medqa_ds/text.py` that the ported parsers need, with Python's semantics:
//! `str.isspace()` for whitespace, `str.lower()` for lower case, `\d` for decimal digits.

use regex::Regex;
use std::sync::LazyLock;

/// The decimal digits (`\d`) Rust's `regex` knows and Python 3.11 (Unicode 14.0.0) does not: the
/// scripts Unicode 15 and 16 added. Found by asking both of every code point (the test
/// `tests/test_sources_doctorqna.py::test_the_compiled_classes_are_pythons` checks it stays so).
macro_rules! newer_digits {
    () => {
        r"\x{10D40}-\x{10D49}\x{116D0}-\x{116E3}\x{11BF0}-\x{11BF9}\x{11F50}-\x{11F59}\x{16130}-\x{16139}\x{16D70}-\x{16D79}\x{1CCF0}-\x{1CCF9}\x{1E4F0}-\x{1E4F9}\x{1E5F1}-\x{1E5FA}"
    };
}

/// The same for Python's `\w` (letters, numbers, `_`): what Unicode 15 and 16 added.
macro_rules! newer_word_chars {
    () => {
        r"\x{1C89}-\x{1C8A}\x{A7CB}-\x{A7CD}\x{A7DA}-\x{A7DC}\x{105C0}-\x{105F3}\x{10D40}-\x{10D65}\x{10D6F}-\x{10D85}\x{10EC2}-\x{10EC4}\x{1123F}-\x{11240}\x{11380}-\x{11389}\x{1138B}\x{1138E}\x{11390}-\x{113B5}\x{113B7}\x{113D1}\x{113D3}\x{116D0}-\x{116E3}\x{11BC0}-\x{11BE0}\x{11BF0}-\x{11BF9}\x{11F02}\x{11F04}-\x{11F10}\x{11F12}-\x{11F33}\x{11F50}-\x{11F59}\x{1342F}\x{13441}-\x{13446}\x{13460}-\x{143FA}\x{16100}-\x{1611D}\x{16130}-\x{16139}\x{16D40}-\x{16D6C}\x{16D70}-\x{16D79}\x{18CFF}\x{1B132}\x{1B155}\x{1CCF0}-\x{1CCF9}\x{1D2C0}-\x{1D2D3}\x{1DF25}-\x{1DF2A}\x{1E030}-\x{1E06D}\x{1E4D0}-\x{1E4EB}\x{1E4F0}-\x{1E4F9}\x{1E5D0}-\x{1E5ED}\x{1E5F0}-\x{1E5FA}\x{2B739}\x{2EBF0}-\x{2EE5D}\x{31350}-\x{323AF}"
    };
}

/// Python's `\d` (Unicode 14.0.0's decimal digits), for regex patterns: a class.
pub const DIGIT: &str = concat!(r"[\d--[", newer_digits!(), "]]");

/// Python's `\w` (letters, numbers, `_`), for regex patterns: a class, to nest in others
/// (`[{WORD}'-]`) or negate (`[^{WORD}]`).
pub const WORD: &str = concat!(r"[[\p{L}\p{N}_]--[", newer_word_chars!(), "]]");

/// Python's `\s` (the characters `str.isspace()` is true of): Unicode White_Space plus the
/// information separators U+001C..U+001F, which Rust's `\s` leaves out. For regex classes.
pub const WS: &str = r"\s\x1C-\x1F";

/// True for a character `str.isspace()` is true of.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1C}'..='\u{20}'
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// `s.strip()`.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `s.rstrip()`.
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// `s.lower()`: Rust's full lower-case mapping (with the final sigma) is Python's.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// What a record id hashes of its parts: each part's lower-case ASCII letters and digits
/// (`re.sub(r"[^0-9a-z]+", "", part.lower())`, so `İ` gives `i` and the Kelvin sign `k` as in
/// Python), the last part cut to `chars` characters, the parts joined by U+001F. Only the
/// characters kept are looked at past the cut: a long question costs no more than its opening.
pub fn fingerprint<S: AsRef<str>>(parts: &[Option<S>], chars: usize) -> String {
    let mut out = String::new();
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            out.push('\x1f');
        }
        let last = k + 1 == parts.len();
        let mut kept = 0;
        'part: for c in part.as_ref().map_or("", |p| p.as_ref()).chars() {
            let mut keep = |l: char| {
                if l.is_ascii_lowercase() || l.is_ascii_digit() {
                    if last && kept == chars {
                        return false;
                    }
                    out.push(l);
                    kept += 1;
                }
                true
            };
            let going = if c.is_ascii() {
                keep(c.to_ascii_lowercase())
            } else {
                c.to_lowercase().all(&mut keep)
            };
            if !going {
                break 'part;
            }
        }
    }
    out
}

static ONE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\A{WORD}\z")).expect("ONE_WORD"));
static ONE_DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\A{DIGIT}\z")).expect("ONE_DIGIT"));

/// A character of Python's `\w` (`str.isalnum()` or `_`), which unlike Rust's `\w` takes no marks
/// and takes every number (`²`, `½`).
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    let mut buf = [0u8; 4];
    ONE_WORD.is_match(c.encode_utf8(&mut buf))
}

/// The value of a decimal digit (`\d`, any script), as Python's `int()` reads it. Unicode lays every
/// script's digits out as contiguous runs of ten from zero, so the value is the distance from the
/// start of the run of digits the character is in, modulo ten.
pub fn digit_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    let is_digit = |c: char| {
        let mut buf = [0u8; 4];
        ONE_DIGIT.is_match(c.encode_utf8(&mut buf))
    };
    if !is_digit(c) {
        return None;
    }
    let mut start = c as u32;
    while let Some(prev) = start.checked_sub(1).and_then(char::from_u32) {
        if !is_digit(prev) {
            break;
        }
        start -= 1;
    }
    Some((c as u32 - start) % 10)
}

/// `int(s)` of a run of decimal digits (saturating: only small numbers are asked about).
pub fn int_of(s: &str) -> Option<u64> {
    let mut n: u64 = 0;
    for c in s.chars() {
        n = n
            .saturating_mul(10)
            .saturating_add(u64::from(digit_value(c)?));
    }
    Some(n)
}

/// `lines_of`: a page split into stripped lines; `\r\n`, `\r` and a leading BOM normalised away.
/// Python replaces `\r\n`, then `\r`, by `\n` and splits there: each `\r\n` ends one line.
pub fn lines_of(text: &str) -> Vec<&str> {
    let mut rest = text.trim_start_matches('\u{feff}');
    let mut lines = Vec::new();
    while let Some(k) = rest.find(['\r', '\n']) {
        lines.push(strip(&rest[..k]));
        let end = if rest[k..].starts_with("\r\n") {
            k + 2
        } else {
            k + 1
        };
        rest = &rest[end..];
    }
    lines.push(strip(rest));
    lines
}

/// `join_lines`: the non-blank lines joined by newlines, or None when there are none.
pub fn join_lines<S: AsRef<str>>(lines: &[S]) -> Option<String> {
    let kept: Vec<&str> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .collect();
    if kept.is_empty() {
        None
    } else {
        Some(kept.join("\n"))
    }
}

const HONORIFICS: [&str; 7] = ["Dr.", "Mr.", "Ms.", "Mrs.", "Mx.", "Prof.", "Miss."];
const BEFORE_HONORIFIC: &str = "(\"'“‘";

/// `_ends_in_honorific`: the line ends in an honorific that starts it or follows a space, bracket
/// or quote.
pub fn ends_in_honorific(line: &str) -> bool {
    for h in HONORIFICS {
        if let Some(head) = line.strip_suffix(h) {
            return match head.chars().next_back() {
                None => true,
                Some(c) => is_space(c) || BEFORE_HONORIFIC.contains(c),
            };
        }
    }
    false
}

/// `join_honorific_breaks`: a line ending in `Dr.`/`Mr.`… joined with the next one, unless that
/// one is blank or `keep_apart`.
pub fn join_honorific_breaks<S: AsRef<str>>(
    lines: &[S],
    keep_apart: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut current: Option<String> = None;
    let mut last_part_len = 0; // the last piece of `current`: whether it ends in an honorific
    for line in lines {
        let line = line.as_ref();
        if let Some(cur) = current.as_mut() {
            let last = &cur[cur.len() - last_part_len..];
            if !line.is_empty() && ends_in_honorific(last) && !keep_apart(line) {
                cur.push(' ');
                cur.push_str(line);
                last_part_len = line.len();
                continue;
            }
        }
        if let Some(cur) = current.take() {
            out.push(cur);
        }
        current = Some(line.to_string());
        last_part_len = line.len();
    }
    if let Some(cur) = current {
        out.push(cur);
    }
    out
}

static LIST_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\A\(?{DIGIT}+[.)]?\z")).expect("LIST_NUMBER"));
static URL_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\A(?:https?://|www\.).").expect("URL_START"));
const TERMINAL: &str = ".!?)\"'”’…";

/// `looks_cut`: a page's last line looks cut mid-sentence (no closing punctuation, a bare list
/// number); a line ending in a bare URL counts as finished.
pub fn looks_cut(line: &str) -> bool {
    let line = rstrip(line);
    if line.is_empty() {
        return false;
    }
    if LIST_NUMBER.is_match(line) || line.ends_with([':', ',', '-', '–', '—']) {
        return true;
    }
    // `(?:^|\s)(?:https?://|www\.)\S+$`: the last whitespace-free token is a link
    let token = match line.char_indices().rev().find(|&(_, c)| is_space(c)) {
        Some((k, c)) => &line[k + c.len_utf8()..],
        None => line,
    };
    if URL_START.is_match(token) {
        return false;
    }
    !line.ends_with(|c: char| TERMINAL.contains(c))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The month a three-letter (ASCII) abbreviation names, 1 to 12.
fn month(abbr: &str) -> Option<u64> {
    let low = abbr.to_ascii_lowercase();
    let k = MONTHS.iter().position(|m| *m == low)?;
    Some(k as u64 + 1)
}

/// `iso_date`: `2016/09/07`, `2016-9-7`, `Tue, 12 Jan 2016` or `July 7, 2017` as ISO
/// `YYYY-MM-DD`, or None when it is no real date. The numeric form must be the whole value; the
/// month-name forms are searched for anywhere in it, and only each pattern's first match counts,
/// as in Python. Digits of any script count, as they do for Python's `int()`.
pub fn iso_date(value: Option<&str>) -> Option<String> {
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\A({DIGIT}{{4}})[/.-]({DIGIT}{{1,2}})[/.-]({DIGIT}{{1,2}})\z"
        ))
        .expect("NUMERIC")
    });
    // `(\d{1,2})\s++([A-Za-z]{3})[a-z]*+\.?,?\s++(\d{4})`: the possessive runs could give back
    // nothing that the next item takes (spaces, then letters, then a dot, comma or space), so
    // greedy ones match alike.
    static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"({DIGIT}{{1,2}})[{WS}]+([A-Za-z]{{3}})[a-z]*\.?,?[{WS}]+({DIGIT}{{4}})"
        ))
        .expect("DAY_MONTH")
    });
    // `([A-Za-z]{3})[a-z]{0,12}\.?\s++(\d{1,2}),?\s++(\d{4})`
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"([A-Za-z]{{3}})[a-z]{{0,12}}\.?[{WS}]+({DIGIT}{{1,2}}),?[{WS}]+({DIGIT}{{4}})"
        ))
        .expect("MONTH_DAY")
    });
    let value = strip(value.filter(|v| !v.is_empty())?);
    let (y, mo, d) = if let Some(m) = NUMERIC.captures(value) {
        (int_of(&m[1])?, int_of(&m[2])?, int_of(&m[3])?)
    } else {
        let dm = DAY_MONTH.captures(value);
        match dm.as_ref().and_then(|m| Some((m, month(&m[2])?))) {
            Some((m, mo)) => (int_of(&m[3])?, mo, int_of(&m[1])?),
            None => {
                let m = MONTH_DAY.captures(value)?;
                (int_of(&m[3])?, month(&m[1])?, int_of(&m[2])?)
            }
        }
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=9999).contains(&y) || d < 1 || d > days {
        return None;
    }
    Some(format!("{y:04}-{mo:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_keeps_ascii_letters_and_digits_as_python_lower_does() {
        let parts = [
            Some("A b-C\u{130}\u{212A}\u{b2}\u{663}9"),
            None,
            Some("xYz"),
        ];
        assert_eq!(fingerprint(&parts, 2), "abcik9\x1f\x1fxy");
        assert_eq!(fingerprint::<&str>(&[], 200), "");
        assert_eq!(fingerprint(&[Some("t"), Some("..a.b.c")], 0), "t\x1f");
    }

    #[test]
    fn whitespace_is_pythons() {
        assert!(is_space('\u{1C}') && is_space('\u{3000}') && is_space('\u{85}'));
        assert!(!is_space('\u{180E}') && !is_space('\u{200B}') && !is_space('a'));
        assert_eq!(strip("\u{1F} a b\u{A0}"), "a b");
    }

    #[test]
    fn lines_are_pythons() {
        assert_eq!(
            lines_of("\u{feff}\u{feff} a \r\nb\t\rc\n"),
            ["a", "b", "c", ""]
        );
        assert_eq!(lines_of("\r\r\n\n\r"), ["", "", "", "", ""]);
        assert_eq!(lines_of(""), [""]);
        assert_eq!(
            lines_of("a\u{2028}b\u{85}\u{feff}"),
            ["a\u{2028}b\u{85}\u{feff}"]
        );
        assert_eq!(lines_of("x\u{feff}"), ["x\u{feff}"]);
    }

    #[test]
    fn lower_is_pythons() {
        assert_eq!(lower("İ"), "i\u{307}");
        assert_eq!(lower("\u{212A}"), "k");
        assert_eq!(lower("ΣΑΣ"), "σας");
    }

    #[test]
    fn words_and_digits() {
        assert!(
            is_word('²') && is_word('_') && is_word('é') && !is_word('\u{301}') && !is_word('-')
        );
        assert_eq!(digit_value('٣'), Some(3));
        assert_eq!(digit_value('２'), Some(2));
        assert_eq!(digit_value('\u{1D7D8}'), Some(0)); // mathematical double-struck zero, after a run
        assert_eq!(digit_value('²'), None);
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date(Some("2016/9/7")).as_deref(), Some("2016-09-07"));
        assert_eq!(
            iso_date(Some("２０１６/０２/２９")).as_deref(),
            Some("2016-02-29")
        );
        assert_eq!(iso_date(Some("2015/02/29")), None);
        assert_eq!(iso_date(Some("0000/01/01")), None);
        assert_eq!(iso_date(Some("0005/01/01")).as_deref(), Some("0005-01-01"));
        assert_eq!(iso_date(None), None);
        assert_eq!(iso_date(Some("")), None);
        assert_eq!(iso_date(Some(" 2016/9/7 x")), None); // the numeric form is the whole value
    }

    #[test]
    fn month_name_dates() {
        let iso = |v: &str| iso_date(Some(v));
        assert_eq!(iso("Tue, 12 Jan 2016").as_deref(), Some("2016-01-12"));
        assert_eq!(
            iso("Posted on 3 March. 2014!").as_deref(),
            Some("2014-03-03")
        );
        assert_eq!(iso("July 7, 2017").as_deref(), Some("2017-07-07"));
        assert_eq!(iso("Sept. 30 2017").as_deref(), Some("2017-09-30"));
        assert_eq!(iso("29 Feb 2016").as_deref(), Some("2016-02-29"));
        assert_eq!(iso("29 Feb 2015"), None); // no such day
        assert_eq!(iso("29 Feb 1900"), None); // not a leap year
        assert_eq!(iso("29 Feb 2000").as_deref(), Some("2000-02-29"));
        assert_eq!(
            iso("٣\u{3000}Jan\u{1C}２０１６").as_deref(),
            Some("2016-01-03")
        );
        assert_eq!(iso("123 Jan 20165").as_deref(), Some("2016-01-23")); // no word boundaries
                                                                         // only the first match of a pattern counts: "12 Foo 2016" hides the later "3 Jan 2016"
        assert_eq!(iso("12 Foo 2016 3 Jan 2016"), None);
        assert_eq!(iso("12 Foo 2016 Jan 3 2016").as_deref(), Some("2016-01-03"));
        // the first form wins over the second when both name a month
        assert_eq!(iso("Jan 5, 2016 7 Feb 2017").as_deref(), Some("2017-02-07"));
        // at most twelve more lower-case letters after the month's three
        assert_eq!(
            iso("Janaaaaaaaaaaaa 5, 2016").as_deref(),
            Some("2016-01-05")
        );
        assert_eq!(iso("Janaaaaaaaaaaaaa 5, 2016"), None);
        assert_eq!(iso("JANUARY 5, 2016"), None); // upper-case tail: no `[a-z]`
        assert_eq!(iso("5 JAN 2016").as_deref(), Some("2016-01-05"));
        assert_eq!(iso("Jan 0, 2016"), None);
        assert_eq!(iso("1 Jan 0000"), None);
    }

    #[test]
    fn honorific_breaks() {
        let lines = ["Hello Dr.", "Lan: thanks", "", "(Dr.", "X"];
        assert_eq!(
            join_honorific_breaks(&lines, |_| false),
            ["Hello Dr. Lan: thanks", "", "(Dr. X"]
        );
        assert_eq!(
            join_honorific_breaks(&["Dr.", "Mr.", "b"], |_| false),
            ["Dr. Mr. b"]
        );
        assert_eq!(
            join_honorific_breaks(&["xDr.", "b"], |_| false),
            ["xDr.", "b"]
        );
        assert_eq!(
            join_honorific_breaks(&["a Dr.", "b"], |l| l == "b"),
            ["a Dr.", "b"]
        );
    }

    #[test]
    fn cut_lines() {
        assert!(looks_cut("and then") && looks_cut("(3)") && looks_cut("so:"));
        assert!(!looks_cut("Done.") && !looks_cut("see https://x.org/a") && !looks_cut("  "));
        assert!(looks_cut("see https://"));
    }
}
