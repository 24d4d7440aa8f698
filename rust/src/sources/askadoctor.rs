//! askadoctor24x7.com (formerly HealthCareMagic) premium threads (ported from
//! `medqa_ds/sources/askadoctor.py`, byte for byte).
//!
//! A question title (often cut mid-word by the site), sometimes the question, then one block per
//! doctor reply: a one-line summary, `Detailed Answer:`, the reply, and an optional `Regards,` /
//! name / role signature. Pages saved with their chrome add `Posted on` / `Answered on` dates,
//! and (the full page) a banner, image alt-texts, a `Question:` label, `Answered by Dr. X (1 hour
//! later)` over each reply, a `Brief Answer:` label over its summary, a peer reviewer's line (not
//! an author) and `Follow up: Dr. X (8 hours later)` over each later message of the patient's.
//!
//! Python's re.I is spelled out letter by letter (`ci`): it folds `İ` and `ı` to `i`, which the
//! `regex` crate's `(?i)` does not. `\s` is Python's (`text::WS`), `\w` Python's
//! (`text::WORD`), a `\b` after a word is "a non-word character or the end", and Python's `$`
//! (the end, or before a final newline) is `\n?\z`.

use crate::specialties::Table;
use crate::text::{self, is_space, is_word, iso_date, join_lines, looks_cut, lower, strip};
use crate::text::{DIGIT as D, WORD as W, WS};
use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

/// A literal as Python's re.IGNORECASE matches it: each ASCII letter as the class of what folds
/// to it (`k` also takes the Kelvin sign, `s` the long s, `i` the dotted and dotless i).
fn ci(literal: &str) -> String {
    let mut out = String::new();
    for c in literal.chars() {
        match c.to_ascii_lowercase() {
            'i' => out.push_str("[iI\u{130}\u{131}]"),
            'k' => out.push_str("[kK\u{212A}]"),
            's' => out.push_str("[sS\u{17F}]"),
            l if l.is_ascii_lowercase() => {
                out.push('[');
                out.push(l);
                out.push(l.to_ascii_uppercase());
                out.push(']');
            }
            _ => out.push_str(&regex::escape(c.encode_utf8(&mut [0u8; 4]))),
        }
    }
    out
}

/// `(?:a|b|…)` of case-insensitive literals.
fn ci_any(literals: &[&str]) -> String {
    let parts: Vec<String> = literals.iter().map(|l| ci(l)).collect();
    format!("(?:{})", parts.join("|"))
}

static DETAILED: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\A{}[{WS}]*:?\n?\z", ci("Detailed Answer"))));
static REGARDS: LazyLock<Regex> = LazyLock::new(|| {
    let lead = ci_any(&[
        "best",
        "kind",
        "warm",
        "warmest",
        "with",
        "thanks and",
        "thanks &",
        "many",
    ]);
    let close = ci_any(&["sincerely", "yours sincerely", "best wishes"]);
    re(&format!(
        r"\A(?:(?:{lead}[{WS}]+)?{}[{WS}]*[,.]?|{close}[{WS}]*,?)\n?\z",
        ci("regards")
    ))
});

/// The page chrome's labels (lower-cased): each is a line of its own, its date on a later line;
/// the key the date is kept under, or none.
const DATE_LABELS: [(&str, Option<Key>); 4] = [
    ("posted on", Some(Key::Asked)),
    ("answered on", Some(Key::Answered)),
    ("last reviewed on", None),
    ("medically reviewed by", None),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Asked,
    Answered,
}

/// `line.lower() in DATE_LABELS`, and the key. A line of more than four bytes a character of the
/// longest label cannot lower-case to one (every character lower-cases to one or more).
fn date_label(line: &str) -> Option<Option<Key>> {
    if line.len() > 4 * "medically reviewed by".len() {
        return None;
    }
    let low = lower(line);
    DATE_LABELS
        .iter()
        .find(|(label, _)| *label == low)
        .map(|(_, key)| *key)
}

static CHROME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A{}\n?\z",
        ci_any(&[
            "Ask A Doctor - 24x7 Medical Review Team",
            "Medical Review Team"
        ])
    ))
});
static CHROME_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?:[A-Z][a-z]{{2}},[{WS}]*)?{D}{{1,2}}[{WS}]+[A-Z][a-z]{{2,8}}\.?[{WS}]+{D}{{4}}\n?\z"
    ))
});
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\ADr\.?[{WS}]*(?:[A-Z][{W}'’.\-]*[{WS}]*){{1,5}}\n?\z"
    ))
});
// `\b(?:I am|…)\s+(?P<name>…)`: the `\b` before the first word is "the start, or a non-word
// character", taken as a character of the match (only the name group is read).
static SELF_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:\A|[^{W}])(?:I am|I'm|I’m|This is|My name is)[{WS}]+(?P<name>Dr\.?[{WS}]?[A-Z][{W}'’\-]+(?: [A-Z][{W}'’\-]+){{0,3}})"
    ))
});
static ANONYMISED: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?:{}\.?[{WS}]*)?{}{{3,}}\n?\z",
        ci("Dr"),
        ci("X")
    ))
});
// The full page's chrome: lines that are no part of the thread (matched at the start only).
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?:{}(?:[^{W}]|\z)|{}[{WS}]*-[{WS}]*24{}7[{WS}]*\|[{WS}]*{}{}?://)",
        ci("HealthCareMagic is now Ask A Doctor"),
        ci("Ask A Doctor"),
        ci("x"),
        ci("http"),
        ci("s"),
    ))
});
static ALT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A{}\n?\z",
        ci_any(&[
            "question-icon",
            "answer-icon",
            "default",
            "doctor",
            "patient",
            "user",
            "profile"
        ])
    ))
});
static PEER_REVIEW: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A{}[- ]{}(?:[^{W}]|\z)",
        ci("Above answer was peer"),
        ci("reviewed by")
    ))
});
static INLINE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?P<label>{})(?:[{WS}]*:|[{WS}])[{WS}]*(?P<date>[^{WS}][^\n]*)\n?\z",
        ci_any(&["Posted on", "Answered on", "Last reviewed on"])
    ))
});
static QUESTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A{}[{WS}]*:[{WS}]*(?P<text>[^\n]*)\n?\z",
        ci("Question")
    ))
});
// "Answered by Dr. X (1 hour later)" over a reply; "Follow up: Dr. X (8 hours later)" over the
// patient's next message (it names the doctor it is addressed to).
static ANSWERED_BY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A{}(?:[{WS}]*:)?[{WS}]*(?P<name>{}(?:[^{W}\n][^\n]*)?)\n?\z",
        ci("Answered by"),
        ci("Dr")
    ))
});
static FOLLOW_UP: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A{}[- ]?{}[{WS}]*:[{WS}]*(?:{}(?:[^{W}:][^:]*)?)?\n?\z",
        ci("Follow"),
        ci("up"),
        ci("Dr")
    ))
});
static BRIEF: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\A{}[{WS}]*:?\n?\z", ci("Brief Answer"))));

/// The degrees a role line may open with, in the Python alternation's order.
const DEGREES: [&str; 12] = [
    "MD", "M.D.", "MBBS", "MS", "DNB", "DM", "MCh", "BDS", "MDS", "DO", "FRCS", "MRCP",
];

/// Python's `\b` at byte `at` of `s`: a word character on one side only.
fn boundary(s: &str, at: usize) -> bool {
    let before = s[..at].chars().next_back().is_some_and(is_word);
    let after = s[at..].chars().next().is_some_and(is_word);
    before != after
}

/// The rest of the line after each degree `(?:MD|…)\b` it opens with, in the alternation's order.
fn after_degrees(line: &str) -> impl Iterator<Item = &str> {
    DEGREES
        .iter()
        .filter(move |d| line.starts_with(**d) && boundary(line, d.len()))
        .map(move |d| &line[d.len()..])
}

/// DEGREE_ROLE, `^(?:MD|…)\b[\w ,.&/()-]*$`: a role under a signature that starts with a degree
/// ("MD Psychiatry", "MBBS, DNB").
fn degree_role(line: &str) -> bool {
    let class = |c: char| is_word(c) || " ,.&/()-".contains(c);
    after_degrees(line).any(|rest| {
        rest.chars().all(class)
            || rest
                .strip_suffix('\n')
                .is_some_and(|r| r.chars().all(class))
    })
}

/// `_DEGREE.sub("", role)`, `^(?:MD|…)\b[\s,.]*`: the role without the degree it opens with.
fn without_degree(role: &str) -> &str {
    match after_degrees(role).next() {
        Some(rest) => rest.trim_start_matches(|c: char| is_space(c) || c == ',' || c == '.'),
        None => role,
    }
}

fn is_detailed(line: &str) -> bool {
    DETAILED.is_match(line)
}

/// `_author`: a signature name, or None when the site anonymised it ("Dr. XXXXXXX"). A name of
/// only dots and commas gives "" (as in Python).
fn author(name: Option<&str>) -> Option<String> {
    let name = name.filter(|n| !n.is_empty())?;
    let name = strip(name).trim_end_matches(['.', ',']);
    (!ANONYMISED.is_match(name)).then(|| name.to_string())
}

/// A name an `Answered by` line gives: the part before its first `(`.
fn answered_by(line: &str) -> Option<Option<String>> {
    let m = ANSWERED_BY.captures(line)?;
    let name = m.name("name").map_or("", |n| n.as_str());
    Some(author(name.split('(').next()))
}

/// Why a page gives no record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The page is no thread: the reason, and the 1-based line to blame, when one is.
    Reject(String, Option<usize>),
}

fn reject(reason: &str, line: Option<usize>) -> Failure {
    Failure::Reject(reason.to_string(), line)
}

/// One reply as the record's answer item holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub summary: Option<String>,
    pub author: Option<String>,
    pub role: Option<String>,
    pub specialty: Option<String>,
    pub date: Option<String>,
    pub text: String,
}

/// A later message of the patient's: its text, and the answer it follows (None: before any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub text: String,
    pub after_answer: Option<usize>,
}

/// What a page gives: the fields the Python shim writes into a blank record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub title: String,
    pub question_text: Option<String>,
    pub question_date: Option<String>,
    pub answers: Vec<Answer>,
    pub turns: Vec<Turn>,
    pub specialty: Option<String>,
    /// `incomplete_reason` when the page shows it was cut.
    pub cut: Option<String>,
    /// The page ends in a `Follow up:` header with nothing under it: whether it was cut is read
    /// from the last turn of the whole conversation, the doctors' questions put in (the shim does
    /// it, after ordering the turns): if that looks cut, `page ends inside the follow-up`.
    pub last_turn_decides: bool,
}

/// `detect`: a `Detailed Answer:` line, or two date labels and the review team's line among the
/// first 200 lines.
pub fn detect<S: AsRef<str>>(lines: &[S]) -> bool {
    if lines.iter().any(|l| is_detailed(l.as_ref())) {
        return true;
    }
    let head = &lines[..lines.len().min(200)];
    let labels = head
        .iter()
        .filter(|l| date_label(l.as_ref()).is_some())
        .count();
    labels >= 2 && head.iter().any(|l| CHROME.is_match(l.as_ref()))
}

#[derive(Default)]
struct Dates<'a> {
    asked: Vec<&'a str>,
    answered: Vec<&'a str>,
}

/// `_strip_chrome`: the lines without the label/date chrome, and the dates it gives.
fn strip_chrome<'a>(lines: &[&'a str]) -> Result<(Vec<&'a str>, Dates<'a>), Failure> {
    let mut dates = Dates::default();
    let mut kept = Vec::with_capacity(lines.len());
    let mut label: Option<Key> = None;
    for &line in lines {
        if let Some(key) = date_label(line) {
            label = key;
        } else if let Some(m) = INLINE_DATE.captures(line) {
            // The label matched with Python's case folds (`Poſted on`, `Last revİewed on` too):
            // its first letter says which (P, A, L: none folds into another).
            let key = match m["label"].chars().next().map(|c| c.to_ascii_lowercase()) {
                Some('p') => Some(Key::Asked),
                Some('a') => Some(Key::Answered),
                _ => None,
            };
            let date = m.name("date").map_or("", |d| d.as_str());
            if let Some(key) = key.filter(|_| iso_date(Some(date)).is_some()) {
                match key {
                    Key::Asked => dates.asked.push(date),
                    Key::Answered => dates.answered.push(date),
                }
            }
        } else if CHROME.is_match(line)
            || BANNER.is_match(line)
            || ALT_TEXT.is_match(line)
            || PEER_REVIEW.is_match(line)
        {
        } else if CHROME_DATE.is_match(line) {
            match label {
                Some(Key::Asked) => dates.asked.push(line),
                Some(Key::Answered) => dates.answered.push(line),
                None => {}
            }
            label = None;
        } else {
            kept.push(line);
        }
    }
    Ok((kept, dates))
}

/// A reply's header: where it begins (-1: before the page), its summary, the doctor an
/// `Answered by` line names, and where the reply's own lines start.
type Head = (isize, Option<String>, Option<String>, usize);

/// `_head`: the header of the reply whose `Detailed Answer:` is at `start`: the summary (the line
/// above, maybe under a `Brief Answer:` label) and the doctor an `Answered by` line names.
fn head(lines: &[String], start: usize) -> Head {
    let mut first = start as isize - 1;
    let summary = start.checked_sub(1).map(|k| lines[k].clone());
    if first > 0 && BRIEF.is_match(&lines[first as usize - 1]) {
        first -= 1;
    }
    let mut named = None;
    if first > 0 {
        if let Some(name) = answered_by(&lines[first as usize - 1]) {
            first -= 1;
            named = name;
        }
    }
    (first, summary, named, start + 1)
}

/// `_bare_replies`: later replies headed `Answered by Dr. X` with no `Detailed Answer:` block of
/// their own (after a follow-up), so the doctor's words never run on in the patient's message.
fn bare_replies(lines: &[String], heads: &[Head]) -> Vec<Head> {
    let from = (heads[0].0 + 1).max(0) as usize;
    (from..lines.len())
        .filter_map(|k| Some((k, answered_by(&lines[k])?)))
        .filter(|(k, _)| !heads.iter().any(|h| h.0 == *k as isize))
        .map(|(k, named)| (k as isize, None, named, k + 1))
        .collect()
}

/// `lines[from:to]`, empty when `from` is past `to` (as a Python slice).
fn slice(lines: &[String], from: usize, to: usize) -> &[String] {
    let to = to.min(lines.len());
    &lines[from.min(to)..to]
}

/// `_signature`: the reply split from its closing signature: (text lines, name, role).
///
/// Signatures come as `Regards,` / name / role, or just the name line, with or without a role
/// line under it (the role must then be a known specialty, so prose is never taken).
fn signature<'a>(
    body: &'a [String],
    table: &Table,
) -> Option<(&'a [String], &'a str, Option<String>)> {
    if let Some(sign) = body.iter().rposition(|l| REGARDS.is_match(l)) {
        if sign + 1 < body.len() {
            let role = body[sign + 2..].join(" ");
            return Some((
                &body[..sign],
                &body[sign + 1],
                (!role.is_empty()).then_some(role),
            ));
        }
    }
    let n = body.len();
    if n > 0 && SIGNATURE.is_match(&body[n - 1]) {
        return Some((&body[..n - 1], &body[n - 1], None));
    }
    if n > 1
        && SIGNATURE.is_match(&body[n - 2])
        && (table.canonical(Some(&body[n - 1])).is_some() || degree_role(&body[n - 1]))
    {
        return Some((&body[..n - 2], &body[n - 2], Some(body[n - 1].clone())));
    }
    None
}

/// `_answer`: one reply block (None when empty), and whether it ends signed. The signature gives
/// author and role; the `Answered by` header, where the page has one, names the author as the
/// site spells it.
fn answer(
    summary: Option<String>,
    body: &[String],
    named: Option<String>,
    table: &Table,
) -> (Option<Answer>, bool) {
    let mut answer = Answer {
        summary,
        ..Answer::default()
    };
    let named = named.filter(|n| !n.is_empty()); // `named or …`: "" is no name
    let sig = signature(body, table);
    let signed = sig.is_some();
    let body = match sig {
        Some((text, name, role)) => {
            answer.specialty = role.as_deref().and_then(|r| {
                table
                    .canonical(Some(r))
                    .or_else(|| table.canonical(Some(without_degree(r))))
            });
            answer.author = named.or_else(|| author(Some(name)));
            answer.role = role;
            text
        }
        None => {
            if named.is_some() {
                answer.author = named;
            } else if let Some(m) = SELF_NAMED.captures(&body.join("\n")) {
                answer.author = author(m.name("name").map(|n| n.as_str()));
            }
            body
        }
    };
    match join_lines(body) {
        Some(text) => {
            answer.text = text;
            (Some(answer), signed)
        }
        None => (None, signed),
    }
}

/// `_follow_ups`: the patient's messages in `block`, each headed `Follow up: Dr. X`.
fn follow_ups(block: &[String], after: Option<usize>, turns: &mut Vec<Turn>) -> usize {
    let heads: Vec<usize> = (0..block.len())
        .filter(|&j| FOLLOW_UP.is_match(&block[j]))
        .collect();
    let before = turns.len();
    for (n, &j) in heads.iter().enumerate() {
        let end = heads.get(n + 1).copied().unwrap_or(block.len());
        if let Some(text) = join_lines(&block[j + 1..end]) {
            turns.push(Turn {
                text,
                after_answer: after,
            });
        }
    }
    turns.len() - before
}

/// `parse`: the thread, or why the page gives none.
pub fn parse<S: AsRef<str>>(lines: &[S], table: &Table) -> Result<Page, Failure> {
    let nonblank: Vec<&str> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .collect();
    let (kept, dates) = strip_chrome(&nonblank)?;
    let lines = text::join_honorific_breaks(&kept, is_detailed);
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&k| is_detailed(&lines[k]))
        .collect();
    if starts.is_empty() {
        let chrome_only = !dates.asked.is_empty() || !dates.answered.is_empty();
        let reason = format!(
            "no answer: the page holds no 'Detailed Answer:' block{}",
            if chrome_only {
                " (only page chrome: title and dates)"
            } else {
                ""
            }
        );
        return Err(Failure::Reject(reason, None));
    }
    let mut heads: Vec<Head> = starts.iter().map(|&s| head(&lines, s)).collect();
    let bare = bare_replies(&lines, &heads);
    heads.extend(bare);
    heads.sort();
    if heads[0].0 < 1 {
        return Err(reject(
            "no title: the page starts with a reply, not a question title",
            Some(1),
        ));
    }
    let mut page = Page {
        title: lines[0].clone(),
        ..Page::default()
    };
    let mut question = slice(&lines, 1, heads[0].0 as usize).to_vec();
    if let Some(m) = question.first().and_then(|q| QUESTION_LABEL.captures(q)) {
        let text = m["text"].to_string();
        if text.is_empty() {
            question.remove(0);
        } else {
            question[0] = text;
        }
    }
    page.question_text = join_lines(&question);
    page.question_date = dates.asked.first().and_then(|d| iso_date(Some(d)));
    let mut signed = false;
    let mut in_follow_up = false;
    let mut last_block_turns = 0;
    for (k, (_, summary, named, start)) in heads.iter().enumerate() {
        let end = heads.get(k + 1).map_or(lines.len(), |h| h.0 as usize);
        let follow = (*start..end)
            .find(|&j| FOLLOW_UP.is_match(&lines[j]))
            .unwrap_or(end);
        let (found, sign) = answer(
            summary.clone(),
            slice(&lines, *start, follow),
            named.clone(),
            table,
        );
        signed = sign;
        in_follow_up = false;
        if follow < end {
            // the patient's later messages, up to the next reply
            let after = page.answers.len().checked_sub(usize::from(found.is_none()));
            last_block_turns = follow_ups(&lines[follow..end], after, &mut page.turns);
            in_follow_up = true;
        }
        let Some(mut found) = found else { continue };
        if let Some(date) = dates.answered.get(k) {
            found.date = iso_date(Some(date));
        }
        page.answers.push(found);
    }
    let Some(last_answer) = page.answers.last() else {
        return Err(reject(
            "no answer: every 'Detailed Answer:' block is empty",
            None,
        ));
    };
    let mut specs = page.answers.iter().filter_map(|a| a.specialty.as_ref());
    if let Some(first) = specs.next() {
        if specs.all(|s| s == first) {
            page.specialty = Some(first.clone());
        }
    }
    // A closing signature shows the last reply ended; without one, judge by its last line.
    let last_line = |t: &str| t.rsplit('\n').next().is_some_and(looks_cut);
    let cut_last = if !in_follow_up {
        !signed && last_line(&last_answer.text)
    } else if last_block_turns > 0 {
        page.turns.last().is_some_and(|t| last_line(&t.text))
    } else {
        page.last_turn_decides = true;
        false
    };
    let cut_in = if in_follow_up { "follow-up" } else { "answer" };
    if page.answers.len() < heads.len() || cut_last {
        page.cut = Some(format!("page ends inside the {cut_in}"));
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn table() -> Table {
        Table(HashMap::from([
            (
                "internal medicine".to_string(),
                "Internal Medicine".to_string(),
            ),
            ("psychiatry".to_string(), "Psychiatry".to_string()),
            ("orthopaedic surgeon".to_string(), "Orthopedics".to_string()),
        ]))
    }

    fn page(lines: &[&str]) -> Page {
        parse(lines, &table()).expect("a page")
    }

    #[test]
    fn re_i_is_pythons() {
        assert!(is_detailed("DETAİLED ANSWER:") && is_detailed("detaıled answer"));
        assert!(is_detailed("Detailed Answer \u{1C}:") && !is_detailed("Detailed Answer: x"));
        assert!(REGARDS.is_match("Thanks & Regards,") && REGARDS.is_match("Yours ſincerely ,"));
        assert!(!REGARDS.is_match("Best wishes."));
        assert!(ANONYMISED.is_match("Dr. XXXXXXX") && ANONYMISED.is_match("xxx"));
        assert!(!ANONYMISED.is_match("Dr. XX"));
    }

    #[test]
    fn label_then_value_dates() {
        let p = page(&[
            "Posted on",
            "Tue, 12 Jan 2016",
            "Knee pain",
            "Answered on",
            "13 Jan 2016",
            "Rest it.",
            "Detailed Answer:",
            "Ice it twice a day.",
            "Last reviewed on",
            "14 Jan 2016", // a label that keeps no date
            "Regards,",
            "Dr. Ana Ruiz",
        ]);
        assert_eq!(p.title, "Knee pain");
        assert_eq!(p.question_text, None);
        assert_eq!(p.question_date.as_deref(), Some("2016-01-12"));
        assert_eq!(p.answers[0].date.as_deref(), Some("2016-01-13"));
        assert_eq!(p.answers[0].summary.as_deref(), Some("Rest it."));
        assert_eq!(p.answers[0].text, "Ice it twice a day.");
        // a date line with no label over it is dropped, and keeps nothing
        let p = page(&["T", "1 Jan 2016", "S", "Detailed Answer", "Done."]);
        assert_eq!((p.question_date, p.question_text), (None, None));
    }

    #[test]
    fn inline_dates() {
        let p = page(&[
            "Posted on : Mon, 3 Mar 2014",
            "T",
            "Q?",
            "Answered on 4 Mar 2014",
            "S",
            "Detailed Answer:",
            "Done.",
            "Posted on someday", // no date: dropped, kept nowhere
        ]);
        assert_eq!(p.question_date.as_deref(), Some("2014-03-03"));
        assert_eq!(p.answers[0].date.as_deref(), Some("2014-03-04"));
        assert_eq!(p.question_text.as_deref(), Some("Q?"));
        // Labels matched only through a case fold are the labels they fold to.
        let p = page(&[
            "Poſted on 3 Mar 2014",
            "T",
            "Q?",
            "Last revİewed on 9 Mar 2014",
            "S",
            "Detailed Answer:",
            "Done.",
        ]);
        assert_eq!(p.question_date.as_deref(), Some("2014-03-03"));
        assert_eq!(p.question_text.as_deref(), Some("Q?"));
    }

    #[test]
    fn chrome_and_banner_lines_are_dropped() {
        let p = page(&[
            "HealthCareMagic is now Ask A Doctor - 24x7",
            "Ask A Doctor - 24x7 | https://www.askadoctor24x7.com",
            "question-icon",
            "T",
            "Question: Is it bad?",
            "doctor",
            "Brief Answer:",
            "No.",
            "Detailed Answer:",
            "It is fine.",
            "Above answer was peer-reviewed by Dr. Victor Amsel",
            "Medical Review Team",
        ]);
        assert_eq!(p.title, "T");
        assert_eq!(p.question_text.as_deref(), Some("Is it bad?"));
        assert_eq!(p.answers[0].summary.as_deref(), Some("No."));
        assert_eq!(p.answers[0].text, "It is fine.");
        assert!(!BANNER.is_match("HealthCareMagic is now Ask A Doctors"));
        let chrome = [
            "Posted on",
            "Answered on",
            "Ask A Doctor - 24x7 Medical Review Team",
        ];
        assert!(detect(&chrome) && !detect(&chrome[1..]));
        assert_eq!(
            parse(&["T", "Posted on", "1 Jan 2016"], &table()).unwrap_err(),
            reject(
                "no answer: the page holds no 'Detailed Answer:' block (only page chrome: title and dates)",
                None
            )
        );
    }

    #[test]
    fn anonymised_authors() {
        let p = page(&["T", "S", "Detailed Answer:", "Rest.", "Dr. XXXXXXX"]);
        assert_eq!(
            (p.answers[0].author.as_deref(), p.cut.as_deref()),
            (None, None)
        );
        let p = page(&[
            "T",
            "S",
            "Detailed Answer:",
            "Hi, I am Dr. Ana Ruiz here. Rest.",
        ]);
        assert_eq!(p.answers[0].author.as_deref(), Some("Dr. Ana Ruiz"));
        let p = page(&["T", "S", "Detailed Answer:", "xI am Dr. Ana Ruiz", "ok."]);
        assert_eq!(p.answers[0].author, None); // no `\b` before "I am"
        let p = page(&["T", "S", "Detailed Answer:", "Rest.", "Regards,", ".,"]);
        assert_eq!(p.answers[0].author.as_deref(), Some("")); // as the Python gives it
    }

    #[test]
    fn degree_roles() {
        let p = page(&[
            "T",
            "S",
            "Detailed Answer:",
            "Rest.",
            "Dr. Ana Ruiz",
            "MD Internal Medicine",
        ]);
        let a = &p.answers[0];
        assert_eq!(
            (
                a.author.as_deref(),
                a.role.as_deref(),
                a.specialty.as_deref()
            ),
            (
                Some("Dr. Ana Ruiz"),
                Some("MD Internal Medicine"),
                Some("Internal Medicine")
            )
        );
        assert!(degree_role("MBBS, DNB") && degree_role("MDS") && degree_role("M.D.Psych"));
        assert!(!degree_role("MDx") && !degree_role("M.D. Psychiatry") && !degree_role("MD!"));
        assert!(degree_role("MD x\n") && !degree_role("MD x\n\n"));
        assert_eq!(without_degree("MDS, . Psychiatry"), "Psychiatry");
        assert_eq!(without_degree("M.D. Psychiatry"), "M.D. Psychiatry");
        // the role under a name must be a specialty or open with a degree
        let p = page(&[
            "T",
            "S",
            "Detailed Answer:",
            "Rest.",
            "Dr. Ana Ruiz",
            "Call me.",
        ]);
        assert_eq!(p.answers[0].text, "Rest.\nDr. Ana Ruiz\nCall me.");
    }

    #[test]
    fn answered_by_and_follow_up_headers() {
        let p = page(&[
            "T",
            "Q",
            "Answered by Dr. Nadia Karim (1 hour later)",
            "Brief Answer:",
            "Yes.",
            "Detailed Answer:",
            "Take iron.",
            "Regards,",
            "Dr Nadia Karim",
            "MD Internal Medicine",
            "Follow up: Dr. Nadia Karim (8 hours later)",
            "Can I take them every other day?",
            "Answered by Dr. Nadia Karim (2 hours later)",
            "Yes, every other day.",
            "Dr. Nadia Karim",
        ]);
        assert_eq!(p.answers.len(), 2);
        assert_eq!(p.answers[0].author.as_deref(), Some("Dr. Nadia Karim"));
        assert_eq!(p.answers[0].summary.as_deref(), Some("Yes."));
        assert_eq!(p.answers[1].summary, None);
        assert_eq!(p.answers[1].text, "Yes, every other day.");
        assert_eq!(
            p.turns,
            [Turn {
                text: "Can I take them every other day?".into(),
                after_answer: Some(0)
            }]
        );
        assert_eq!(p.specialty.as_deref(), Some("Internal Medicine"));
        assert_eq!(p.cut, None);
        assert!(FOLLOW_UP.is_match("FOLLOW-UP :") && !FOLLOW_UP.is_match("Follow up: Drx"));
        assert!(!FOLLOW_UP.is_match("Follow up: Dr. X: y"));
        assert_eq!(
            answered_by("Answered by: Dr. XXX (1 hour later)"),
            Some(None)
        );
        assert_eq!(answered_by("Answered by Drew"), None);
    }

    #[test]
    fn brief_answer() {
        let p = page(&["T", "Brief Answer:", "Short.", "Detailed Answer:", "Long."]);
        assert_eq!(p.question_text, None); // the label is the reply's, not the question's
        assert_eq!(p.answers[0].summary.as_deref(), Some("Short."));
    }

    #[test]
    fn cut_pages() {
        let p = page(&["T", "S", "Detailed Answer:", "Rest and then"]);
        assert_eq!(p.cut.as_deref(), Some("page ends inside the answer"));
        let p = page(&[
            "T",
            "S",
            "Detailed Answer:",
            "Rest and then",
            "Dr. Ana Ruiz",
        ]);
        assert_eq!(p.cut, None); // signed: it ended
        let p = page(&[
            "T",
            "S",
            "Detailed Answer:",
            "Rest.",
            "Follow up: Dr. X",
            "It is wheezy at the e",
        ]);
        assert_eq!(p.cut.as_deref(), Some("page ends inside the follow-up"));
        assert_eq!(p.turns[0].after_answer, Some(0));
        let p = page(&["T", "S", "Detailed Answer:", "Rest.", "Follow up: Dr. X"]);
        assert!(p.last_turn_decides && p.cut.is_none() && p.turns.is_empty());
        // an empty block is no answer, and shows the page cut
        let p = page(&[
            "T",
            "S",
            "Detailed Answer:",
            "Done.",
            "S2",
            "Detailed Answer:",
        ]);
        assert_eq!(p.answers.len(), 1);
        assert_eq!(p.cut.as_deref(), Some("page ends inside the answer"));
        assert_eq!(
            parse(&["T", "S", "Detailed Answer:"], &table()).unwrap_err(),
            reject("no answer: every 'Detailed Answer:' block is empty", None)
        );
        assert_eq!(
            parse(&["Detailed Answer:", "x"], &table()).unwrap_err(),
            reject(
                "no title: the page starts with a reply, not a question title",
                Some(1)
            )
        );
    }
}
