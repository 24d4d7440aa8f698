//! askadoctor24x7.com/questions (formerly healthcaremagic.com/questions): free questions (ported
//! from `medqa_ds/sources/askadoctor_free.py`, byte for byte).
//!
//! The title, the question, the date it was posted, then one block per answering doctor, headed
//! `<Role> <Dr. Name>'s  Response`. Around them: a sidebar card of a doctor (name, role,
//! experience, a button) and footer boilerplate, neither of them an answer; some saves repeat the
//! title and the answer after the footer. Signatures may be a line of their own, fused to the last
//! sentence (`take care. Dr.Rovena`) or missing. Saves of just the answer (no title, no question)
//! or just the question are fragments: rejects saying which. A main-content save (title, question,
//! unheaded answers each followed by vote lines, the free answer's footer) and the full page (a
//! banner, a counter, a terms line, navigation above the title) are records too.
//!
//! re.I patterns go through `pyre::ignorecase` (Python's folds), written in lower case; a `\b`
//! that ends a pattern is "a non-word character or the end"; where a group's bounds matter after
//! a `\b`, the boundary is checked by hand. Python's `$` is `\n?\z`, `.` is `[^\n]`.

use super::fragment::{has_brand, reads_as_answer};
use super::pyre::{bounded, ignorecase, re};
use super::signature::split_signature;
use crate::specialties::Table;
use crate::text::{
    is_space, is_word, iso_date, join_honorific_breaks, join_lines, looks_cut, lower, rstrip,
    strip, DIGIT as D, WORD as W, WS,
};
use regex::Regex;
use std::sync::LazyLock;

/// `^(?P<head>.*?)['’]s\s+Response\s*:?$`: "<Role> <Dr. Name>'s  Response" (the name may be
/// missing). Only one place can start the suffix, so the lazy head is everything before it.
static RESPONSE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?P<head>[^\n]*?)['’]s[{WS}]+Response[{WS}]*:?\n?\z"
    ))
});
/// `\bDr\.?\s?[A-Z]` (searched): the `\b` before `D` is the start or a non-word character.
static DR: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?:\A|[^{W}])(?P<dr>Dr\.?[{WS}]?[A-Z])")));
static PREMIUM: LazyLock<Regex> = LazyLock::new(|| ignorecase(r"\Adetailed answer<s>*:?\n?\z"));
/// The full page's chrome above the question: the banner, the online-doctors counter.
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&format!(
        r"\A(?:healthcaremagic is now ask a doctor(?:<nw>|\z)|ask a doctor<s>*-<s>*24x7<s>*\|<s>*https?://|[{D},]+\+?<s>+doctors?<s>+(?:are<s>+)?online(?:<nw>|\z))"
    ))
});
/// The sidebar card's experience line ("Exp 22 years").
static EXPERIENCE: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&format!(
        r"\Aexp\.?<s>*(?::<s>*)?{D}+\+?<s>*(?:years?|yrs)\.?\n?\z"
    ))
});
/// TERMS up to its first `\b`: `^(?:by\s+\w+ing|i\s+(?:agree|accept))\b`; the rest,
/// `.*\bterms\b`, is asked of the line after the head (see `terms`).
static TERMS_HEAD: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(r"\A(?P<head>by<s>+<w>+ing|i<s>+(?:agree|accept))(?:<nw>|\z)"));
static TERMS_WORD: LazyLock<Regex> = LazyLock::new(|| ignorecase(&bounded("terms")));
/// Vote lines under each answer: chrome between answers, not an end of the page.
static VOTE: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&format!(
        r"\A(?:i find this answer helpful|you found this answer helpful|was this answer helpful\??|{D}+<s>+(?:people|users?|patients?)<s>+found this (?:answer )?helpful\.?)\n?\z"
    ))
});
/// Lines only this site's free answers show: its footer notice and its vote lines.
static FREE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?:this is a short,? free answer|for a more detailed,? immediate answer, try our premium|i find this answer helpful\n?\z|you found this answer helpful\n?\z)",
    )
});
/// A free answer's footer: it ends the thread.
static FREE_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?:this is a short,? free answer|for a more detailed,? immediate answer|note:<s>*get personalized answers|we use cookies(?:<nw>|\z))",
    )
});
/// How a doctor's reply opens, judged on its first clause.
static OPENING: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?:(?:hi|hello|hey|dear|greetings|welcome|good (?:morning|afternoon|evening))(?:<nw>|\z)|thanks?(?: you)? for (?:posting|writing|your|the|using|choosing|contacting|asking)(?:<nw>|\z))",
    )
});
static ADDRESSES_DOCTOR: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(&bounded("doctor|dr|sir|madam|doc")));
/// LABELLED_DATE up to its `\b`: `^(?P<label>posted|asked|answered)\s+(?:on|at)`; the place
/// `on`/`at` ends is the only one it can (see `labelled`).
static LABEL_HEAD: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(r"\A(?P<label>posted|asked|answered)<s>+(?:on|at)"));
/// LABELLED_DATE after its `\b`: `\s*:?\s*(?P<date>.*)$`.
static DATE_TAIL: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\A[{WS}]*:?[{WS}]*(?P<date>[^\n]*)\n?\z")));
static BARE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?:[A-Z][a-z]{{2,8}},?[{WS}]*)?(?:{D}{{1,2}}[{WS}]+[A-Z][a-z]{{2,8}}\.?,?[{WS}]+{D}{{4}}|[A-Z][a-z]{{2,8}}\.?[{WS}]+{D}{{1,2}},?[{WS}]+{D}{{4}}|{D}{{4}}-{D}{{2}}-{D}{{2}})\n?\z"
    ))
});
/// Boilerplate under the answers; everything from it on is page furniture.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?:disclaimer(?:<nw>|\z)|related questions|recent questions|similar questions|popular questions|trending (?:questions|topics)|ask a doctor now|ask your (?:question|query)|get (?:an )?answers? from|share this|report abuse|©|copyright(?:<nw>|\z)|all rights reserved|terms (?:of use|&|and)|privacy policy|follow us|download (?:the|our) app)",
    )
});
/// Lines of a sidebar doctor card ("12 years of experience", "Consult Now", "View Profile").
static CARD: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&format!(
        r"\A(?:{D}+\+?<s>*(?:years?|yrs)\.?<s>+(?:of<s>+)?experience|experience<s>*:|consult(?:<s>+now)?\n?\z|view (?:full )?profile|ask (?:dr\.?<s>[^\n]*|now|a doctor)\n?\z|book (?:a )?consult|online now\n?\z|ratings?<s>*(?::<s>*)?{D}|{D}(?:\.{D})?<s>*/<s>*5\n?\z|[{D},]+<s>+(?:answers|reviews|consultations|questions answered)\n?\z)"
    ))
});
/// `re.findall(r"[A-Za-z][A-Za-z'’]+", line)`: the words `_title_case` counts.
static TITLE_WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Za-z][A-Za-z'’]+"));

/// Why a page gives no record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The page is no thread: the reason, and the 1-based line to blame, when one is.
    Reject(String, Option<usize>),
}

fn reject(reason: &str, line: Option<usize>) -> Failure {
    Failure::Reject(reason.to_string(), line)
}

/// One doctor's answer as the record's answer item holds it. `text` is None where the Python
/// gave an answer with no text (a headerless or main-content answer that was all signature);
/// the Python shim then fails as the Python did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub author: Option<String>,
    pub role: Option<String>,
    pub specialty: Option<String>,
    pub date: Option<String>,
    pub text: Option<String>,
}

/// What a page gives: the fields the Python shim writes into a blank record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub title: String,
    pub question_text: Option<String>,
    pub question_date: Option<String>,
    pub answers: Vec<Answer>,
    pub specialty: Option<String>,
    /// `incomplete_reason` when the record is incomplete.
    pub cut: Option<String>,
}

/// `len(s.split())`.
fn words(s: &str) -> usize {
    s.split(is_space).filter(|w| !w.is_empty()).count()
}

/// `_response`: a response header's (role, doctor's name), either missing; None when the line
/// is none. Without a doctor's name the head must read as a role (a few words, no sentence
/// punctuation), so a sentence ending "… body's Response" is no header.
fn response(line: &str) -> Option<(Option<String>, Option<String>)> {
    if !line.contains("Response") {
        return None; // the pattern's literal: a cheap test first
    }
    let m = RESPONSE.captures(line)?;
    let head = rstrip(m.name("head").map_or("", |h| h.as_str()));
    let dr = DR
        .captures(head)
        .and_then(|c| c.name("dr"))
        .map(|g| g.start());
    if dr.is_none() && (words(head) > 6 || head.contains(['.', ',', ';', '!', '?'])) {
        return None;
    }
    let (role, name) = match dr {
        Some(at) => (&head[..at], Some(strip(&head[at..]))),
        None => (head, None),
    };
    let role = role.trim_matches([' ', '-', '–', ':']);
    Some((
        (!role.is_empty()).then(|| role.to_string()),
        name.filter(|n| !n.is_empty()).map(str::to_string),
    ))
}

fn is_response(line: &str) -> bool {
    response(line).is_some()
}

/// TERMS: `^(?:by\s+\w+ing\b|i\s+(?:agree|accept)\b).*\bterms\b` (re.I). After the head comes a
/// non-word character (or the end), so `terms` needs a non-word character before it within the
/// rest of the line (`.` stops at a newline).
fn terms(line: &str) -> bool {
    let Some(head) = TERMS_HEAD.captures(line).and_then(|m| m.name("head")) else {
        return false;
    };
    let rest = line[head.end()..].split('\n').next().unwrap_or_default();
    TERMS_WORD.is_match(rest)
}

/// LABELLED_DATE.match: the label (lower-cased, as `m["label"].lower()`) and the date group.
fn labelled(line: &str) -> Option<(String, &str)> {
    let m = LABEL_HEAD.captures(line)?;
    let end = m.get(0).map_or(0, |g| g.end());
    let after = &line[end..];
    if after.chars().next().is_some_and(is_word) {
        return None; // no `\b` after "on" / "at"
    }
    let date = DATE_TAIL
        .captures(after)?
        .name("date")
        .map_or("", |d| d.as_str());
    Some((lower(m.name("label").map_or("", |l| l.as_str())), date))
}

/// What `_date` finds at a line: the label, the ISO date, the lines used (0: no date line).
#[derive(Debug, Default, PartialEq, Eq)]
struct Dated {
    label: Option<String>,
    iso: Option<String>,
    used: usize,
}

impl Dated {
    /// The label is `posted` or `asked`: the question's date.
    fn asked(&self) -> bool {
        matches!(self.label.as_deref(), Some("posted" | "asked"))
    }
}

/// `_date`: the date line at `k` (a label with its date on the line or the next, or a bare date).
fn date<S: AsRef<str>>(lines: &[S], k: usize) -> Dated {
    let line = lines[k].as_ref();
    if let Some((label, value)) = labelled(line) {
        let (value, used) = match lines.get(k + 1) {
            Some(next) if value.is_empty() => (next.as_ref(), 2),
            _ => (value, 1),
        };
        if let Some(iso) = iso_date(Some(value)) {
            return Dated {
                label: Some(label),
                iso: Some(iso),
                used,
            };
        }
    }
    if BARE_DATE.is_match(line) {
        return Dated {
            label: None,
            iso: iso_date(Some(line)),
            used: 1,
        };
    }
    Dated::default()
}

/// `_drop_cards`: the lines without any sidebar card: each card line and the name/role lines
/// (at most two) just above it.
fn drop_cards(lines: Vec<String>) -> Vec<String> {
    let mut drop = vec![false; lines.len()];
    for k in 0..lines.len() {
        if CARD.is_match(&lines[k]) && words(&lines[k]) <= 6 {
            drop[k] = true;
            let mut j = k;
            while j > 0 && k - (j - 1) <= 2 {
                let above = &lines[j - 1];
                if drop[j - 1]
                    || is_response(above)
                    || words(above) > 6
                    || above.ends_with(['.', '?', '!', ':'])
                {
                    break;
                }
                drop[j - 1] = true;
                j -= 1;
            }
        }
    }
    lines
        .into_iter()
        .zip(drop)
        .filter_map(|(l, d)| (!d).then_some(l))
        .collect()
}

/// `_strip_chrome`: the lines without the full page's banner, counter, terms line, the card's
/// experience line and vote lines (and the Yes / No under a vote question); and whether the
/// page had that chrome.
fn strip_chrome<'a>(lines: &[&'a str]) -> (Vec<&'a str>, bool) {
    let mut kept = Vec::with_capacity(lines.len());
    let (mut chrome, mut voted) = (false, false);
    for &line in lines {
        if BANNER.is_match(line) || terms(line) || EXPERIENCE.is_match(line) {
            chrome = true;
        } else if VOTE.is_match(line) || (voted && (line == "Yes" || line == "No")) {
            voted = true;
            continue;
        } else {
            kept.push(line);
        }
        voted = false;
    }
    (kept, chrome)
}

/// `_title_case`: a line in the site's Title Case ("Why Does My Knee Click?"): of two or more
/// words, at least 80% capitalised (the same float comparison as the Python).
fn title_case(line: &str) -> bool {
    let (mut n, mut upper) = (0usize, 0usize);
    for w in TITLE_WORD.find_iter(line) {
        n += 1;
        upper += usize::from(w.as_str().starts_with(|c: char| c.is_ascii_uppercase()));
    }
    n >= 2 && upper as f64 >= 0.8 * n as f64
}

/// `_opens_reply`: a greeting in the line's first clause (up to the first space after `.!?,:`,
/// at most 80 characters) that addresses no doctor.
fn opens_reply(line: &str) -> bool {
    let mut end = line.len();
    let mut prev = None;
    for (k, c) in line.char_indices() {
        if is_space(c) && prev.is_some_and(|p| ".!?,:".contains(p)) {
            end = k;
            break;
        }
        prev = Some(c);
    }
    let first = &line[..end];
    let first = first
        .char_indices()
        .nth(80)
        .map_or(first, |(k, _)| &first[..k]);
    OPENING.is_match(first) && !ADDRESSES_DOCTOR.is_match(first)
}

/// `_cut_footer`: where the footer, or the title shown again, starts after `first_head`.
fn footer_at<S: AsRef<str>>(lines: &[S], first_head: usize) -> Option<usize> {
    (first_head + 1..lines.len()).find(|&k| {
        let line = lines[k].as_ref();
        FOOTER.is_match(line) || FREE_FOOTER.is_match(line) || line == lines[0].as_ref()
    })
}

/// The one specialty the answers share, else None (`super::shared_specialty`).
fn shared_specialty(answers: &[Answer]) -> Option<String> {
    super::shared_specialty(answers.iter().map(|a| a.specialty.as_ref()))
}

/// An answer with no header: its doctor from the signature, if any.
fn unheaded<S: AsRef<str>>(lines: &[S], table: &Table) -> Answer {
    let (body, author, role, _) = split_signature(lines, None, table);
    Answer {
        author,
        specialty: table.canonical(role.as_deref()),
        role,
        date: None,
        text: join_lines(&body),
    }
}

/// `detect`: a response header, or the site's free-answer marks on a page that is no premium
/// thread.
pub fn detect<S: AsRef<str>>(lines: &[S]) -> bool {
    if lines.iter().any(|l| is_response(l.as_ref())) {
        return true;
    }
    lines.iter().any(|l| FREE_MARK.is_match(l.as_ref()))
        && !lines.iter().any(|l| PREMIUM.is_match(l.as_ref()))
}

/// `recognises_fragment`: a piece of this site's page: a labelled date among its first 40
/// lines (the question's), or text that reads as a doctor's answer.
pub fn recognises_fragment<S: AsRef<str>>(lines: &[S]) -> bool {
    let kept: Vec<&str> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .collect();
    let asked = (1..kept.len().min(40))
        .any(|k| labelled(kept[k]).is_some() && date(&kept, k).iso.is_some());
    asked || reads_as_answer(&kept)
}

/// `_question`: title, question and the posted date from the lines above the first response.
/// Below the full page's chrome, navigation lines stand above the title: the title is then the
/// last line in Title Case, and the question the lines under it.
fn question(head: &[String], chrome: bool, page: &mut Page) -> Result<(), Failure> {
    let mut body = head;
    for k in 0..head.len() {
        let d = date(head, k);
        if d.used > 0 {
            page.question_date = d.iso.filter(|_| d.label.as_deref() != Some("answered"));
            body = &head[..k]; // what stands between the date and the first response is furniture
            break;
        }
    }
    if body.is_empty() {
        return Err(reject(
            "answer-only chunk: no question (nothing but page furniture above the first doctor's response)",
            None,
        ));
    }
    let top = if chrome {
        (0..body.len())
            .rev()
            .find(|&k| title_case(&body[k]))
            .unwrap_or(0)
    } else {
        0
    };
    page.title = body[top].clone();
    page.question_text = join_lines(&body[top + 1..]);
    Ok(())
}

/// `_answer`: one doctor's block (None when empty), and whether it ends signed.
fn answer(header: &str, body: &[String], table: &Table) -> (Option<Answer>, bool) {
    let (role, author) = response(header).unwrap_or_default();
    let mut found = Answer {
        author,
        specialty: table.canonical(role.as_deref()),
        role,
        ..Answer::default()
    };
    let mut body = body;
    if !body.is_empty() {
        let d = date(body, 0);
        if d.used > 0 {
            // "Answered on <date>" under the header
            found.date = d.iso;
            body = &body[d.used..];
        }
    }
    let (text, _, sign_role, signed) = split_signature(body, found.author.as_deref(), table);
    if let Some(r) = sign_role.filter(|r| !r.is_empty() && found.role.is_none()) {
        found.specialty = table.canonical(Some(&r));
        found.role = Some(r);
    }
    found.text = join_lines(&text);
    (found.text.is_some().then_some(found), signed)
}

/// `_fragment`: a page with no response header: which kind of fragment it is.
fn fragment<S: AsRef<str>>(lines: &[S]) -> Failure {
    if (0..lines.len()).any(|k| date(lines, k).asked()) || !reads_as_answer(lines) {
        return reject(
            "question-only chunk: no answer (the page holds no '<Dr. Name>'s Response' block)",
            None,
        );
    }
    let brand = if lines.iter().any(|l| has_brand(l.as_ref())) {
        " from askadoctor24x7 / HealthCareMagic"
    } else {
        ""
    };
    Failure::Reject(
        format!("answer-only chunk: no question (a doctor's answer{brand} saved without its title and question)"),
        None,
    )
}

/// `_headerless`: a page with no response header: the question and an answer below its date
/// (an incomplete record, the doctor unknown), else a fragment saying which kind.
fn headerless(lines: &[String], table: &Table) -> Result<Page, Failure> {
    let Some(posted) = (1..lines.len()).find(|&k| date(lines, k).asked()) else {
        return Err(fragment(lines));
    };
    let end = footer_at(lines, posted).unwrap_or(lines.len());
    let kept = drop_cards(lines[..end].to_vec());
    // the date line may have gone with a card below the question
    let Some(posted) = (0..kept.len()).find(|&k| date(&kept, k).asked()) else {
        return Err(fragment(lines));
    };
    let below = &kept[posted + date(&kept, posted).used..];
    if !reads_as_answer(below) {
        return Err(fragment(lines));
    }
    let mut page = Page::default();
    question(&kept[..posted + 1], false, &mut page)?;
    page.answers.push(unheaded(below, table));
    page.cut = Some(
        "saved without the doctor's response header: the answer's doctor is unknown".to_string(),
    );
    Ok(page)
}

/// `_main_content`: a save of the page's main content: title, question, the answers with no
/// header, date or role, each followed by its vote lines, then the footer (and maybe a repeat of
/// it all, which is no second answer).
fn main_content(lines: &[&str], table: &Table) -> Result<Page, Failure> {
    let main = &lines[..footer_at(lines, 0).unwrap_or(lines.len())];
    let mut parts: Vec<Vec<&str>> = vec![Vec::new()]; // the lines between vote runs
    for &line in main {
        let last_empty = parts.last().is_none_or(Vec::is_empty);
        if VOTE.is_match(line) || ((line == "Yes" || line == "No") && last_empty) {
            if !last_empty {
                parts.push(Vec::new());
            }
        } else if let Some(last) = parts.last_mut() {
            last.push(line);
        }
    }
    let parts: Vec<Vec<String>> = parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| join_honorific_breaks(&strip_chrome(p).0, |_| false))
        .collect();
    let main: &[String] = parts.first().map_or(&[], Vec::as_slice);
    let Some(start) = (0..main.len()).find(|&k| opens_reply(&main[k])) else {
        return Err(reject(
            "question-only chunk: no answer (no doctor's reply above the site's footer)",
            None,
        ));
    };
    if start < 2 {
        return Err(reject(
            "answer-only chunk: no question (a doctor's answer from askadoctor24x7 / HealthCareMagic saved with its footer but without its title and question)",
            Some(1),
        ));
    }
    let mut page = Page {
        title: main[0].clone(),
        question_text: join_lines(&main[1..start]),
        ..Page::default()
    };
    page.answers.push(unheaded(&main[start..], table));
    for part in &parts[1..] {
        page.answers.push(unheaded(part, table));
    }
    page.specialty = shared_specialty(&page.answers);
    Ok(page)
}

/// `parse`: the page's record fields, or why it gives none. An answer whose lines were all its
/// doctor's signature says nothing: it is no answer, and the page none when it was the only one.
pub fn parse<S: AsRef<str>>(lines: &[S], table: &Table) -> Result<Page, Failure> {
    let mut page = layout(lines, table)?;
    let before = page.answers.len();
    page.answers.retain(|a| a.text.is_some());
    if page.answers.is_empty() {
        return Err(reject(
            "no answer: the doctor's reply holds nothing but a signature",
            None,
        ));
    }
    if page.answers.len() < before {
        page.specialty = shared_specialty(&page.answers);
    }
    Ok(page)
}

/// The page's fields as its layout gives them.
fn layout<S: AsRef<str>>(lines: &[S], table: &Table) -> Result<Page, Failure> {
    let shown: Vec<&str> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .collect();
    let (kept, chrome) = strip_chrome(&shown);
    let lines = join_honorific_breaks(&kept, is_response);
    let heads: Vec<usize> = (0..lines.len())
        .filter(|&k| is_response(&lines[k]))
        .collect();
    let Some(&first) = heads.first() else {
        let posted = (1..lines.len()).any(|k| date(&lines, k).asked());
        if !posted && shown.iter().any(|l| FREE_MARK.is_match(l)) {
            return main_content(&shown, table);
        }
        return headerless(&lines, table);
    };
    if first == 0 {
        return Err(reject(
            "answer-only chunk: no question (the page starts at a doctor's response, with no title or question above it)",
            Some(1),
        ));
    }
    let footer = footer_at(&lines, first);
    let mut lines = lines;
    if let Some(k) = footer {
        lines.truncate(k);
    }
    let footer = footer.is_some();
    let lines = drop_cards(lines);
    let heads: Vec<usize> = (0..lines.len())
        .filter(|&k| is_response(&lines[k]))
        .collect();
    let Some(&first) = heads.first() else {
        return Err(reject(
            "no answer: every response header on the page is also a profile card's line (`Ask Dr. X's Response`)",
            None,
        ));
    };
    let mut page = Page::default();
    question(&lines[..first], chrome, &mut page)?;
    let mut signed = false;
    for (n, &head) in heads.iter().enumerate() {
        let end = heads.get(n + 1).copied().unwrap_or(lines.len());
        let (found, sign) = answer(&lines[head], &lines[head + 1..end], table);
        signed = sign;
        if let Some(found) = found {
            // a repeat below the footer: once
            if !page
                .answers
                .iter()
                .any(|a| a.author == found.author && a.text == found.text)
            {
                page.answers.push(found);
            }
        }
    }
    let Some(last) = page.answers.last() else {
        return Err(reject(
            "no answer: the page ends right after the doctor's response header",
            None,
        ));
    };
    let last_line = last.text.as_deref().unwrap_or_default().rsplit('\n').next();
    if heads.last() == Some(&(lines.len() - 1)) && !footer {
        page.cut = Some("page ends right after a doctor's response header".to_string());
    } else if !signed && !footer && last_line.is_some_and(looks_cut) {
        page.cut = Some("page ends inside the answer".to_string());
    }
    page.specialty = shared_specialty(&page.answers);
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn table() -> Table {
        Table(HashMap::from([
            (
                "general and family physician".to_string(),
                "Family Medicine".to_string(),
            ),
            ("dermatologist".to_string(), "Dermatology".to_string()),
            ("orthopaedic surgeon".to_string(), "Orthopedics".to_string()),
        ]))
    }

    fn page(lines: &[&str]) -> Page {
        parse(lines, &table()).expect("a page")
    }

    fn reason(lines: &[&str]) -> (String, Option<usize>) {
        match parse(lines, &table()) {
            Err(Failure::Reject(reason, line)) => (reason, line),
            other => panic!("no reject: {other:?}"),
        }
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn response_headers() {
        assert_eq!(
            response("General & Family Physician Dr. Hana Okoye's  Response"),
            Some((s("General & Family Physician"), s("Dr. Hana Okoye")))
        );
        assert_eq!(
            response("General & Family Physician 's  Response"),
            Some((s("General & Family Physician"), None))
        );
        assert_eq!(response("Dr.Lee’s Response:"), Some((None, s("Dr.Lee"))));
        assert_eq!(
            response("- Dermatologist - Dr X's Response \n"),
            Some((s("Dermatologist"), s("Dr X")))
        );
        // a sentence is no header without a doctor's name; with one it is
        assert_eq!(response("I read that a fever is the Body's Response"), None);
        assert_eq!(response("Fever, the body's Response"), None);
        assert!(response("Why, Dr. Lee's Response").is_some());
        assert_eq!(response("Dr. Lee's response"), None); // not re.I
        assert_eq!(response("Dr. Lee's Response\nx"), None);
        // `\bDr`: no word character before it
        assert_eq!(
            response("DrDr. Lee's Response"),
            Some((None, s("DrDr. Lee")))
        );
        assert_eq!(
            response("xDr.Dr Lee's Response"),
            Some((s("xDr."), s("Dr Lee")))
        );
        assert_eq!(response("'s Response"), Some((None, None)));
    }

    #[test]
    fn re_i_is_pythons() {
        assert!(PREMIUM.is_match("DETAİLED ANSWER :") && PREMIUM.is_match("detaıled answer"));
        assert!(
            VOTE.is_match("I FİND THİS ANSWER HELPFUL")
                && VOTE.is_match("12 people found this helpful.")
        );
        assert!(!VOTE.is_match("Was thiſ answer helpful??\n"));
        assert!(VOTE.is_match("Was thiſ answer helpful?\n"));
        assert!(FREE_MARK.is_match("This is a short free answer."));
        assert!(!FREE_MARK.is_match("I find this answer helpful!"));
        assert!(
            FREE_FOOTER.is_match("We use cookies.") && !FREE_FOOTER.is_match("We use cookiesx")
        );
        assert!(EXPERIENCE.is_match("EXP: 22+ yrs.") && EXPERIENCE.is_match("Exp\u{1c}12 years"));
        assert!(
            BANNER.is_match("1,204 Doctors are Online now")
                && !BANNER.is_match("12 Doctors Onlines")
        );
        assert!(BANNER.is_match("Ask A Doctor - 24X7 | https://x"));
        assert!(FOOTER.is_match("Disclaimer: x") && !FOOTER.is_match("Disclaimers"));
        assert!(FOOTER.is_match("© 2020") && FOOTER.is_match("terms & conditions"));
    }

    #[test]
    fn terms_lines() {
        assert!(terms("By continuing you agree to our Terms of use"));
        assert!(terms("by usİng terms"));
        assert!(terms("I agree to the terms"));
        assert!(terms("By using our site.terms"));
        assert!(!terms("By usingx the terms")); // no `\b` after "ing"
        assert!(!terms("I agreeing to terms"));
        assert!(!terms("By using the termsx"));
        assert!(!terms("By using the\nterms")); // `.` stops at a newline
        assert!(terms("By using\u{2028}terms"));
        assert!(!terms("By ing terms")); // `\w+` needs a character before "ing"
    }

    #[test]
    fn labelled_and_bare_dates() {
        assert_eq!(
            labelled("Posted on : Mon, 12 Nov 2018"),
            Some(("posted".into(), "Mon, 12 Nov 2018"))
        );
        assert_eq!(
            labelled("ASKED AT 3 May 2011"),
            Some(("asked".into(), "3 May 2011"))
        );
        assert_eq!(
            labelled("Poſted on 3 May 2011").map(|l| l.0),
            Some("poſted".into())
        );
        assert_eq!(labelled("Posted only"), None);
        assert_eq!(labelled("Posted on"), Some(("posted".into(), "")));
        let lines = ["Posted on", "Tue, 12 Jan 2016", "x"];
        assert_eq!(
            date(&lines, 0),
            Dated {
                label: s("posted"),
                iso: s("2016-01-12"),
                used: 2
            }
        );
        assert_eq!(date(&["Posted on"], 0), Dated::default());
        assert_eq!(
            date(&["12 Jan 2016"], 0),
            Dated {
                label: None,
                iso: s("2016-01-12"),
                used: 1
            }
        );
        // a bare date that is no real date still is a date line
        assert_eq!(
            date(&["31 Feb 2016"], 0),
            Dated {
                label: None,
                iso: None,
                used: 1
            }
        );
        assert_eq!(date(&["Mar 3, 2014"], 0).used, 1);
        assert_eq!(date(&["2014-03-٣3"], 0).used, 1);
        assert_eq!(date(&["march 3, 2014"], 0).used, 0); // not re.I
    }

    #[test]
    fn one_doctor_signed() {
        let p = page(&[
            "Is A Small Lump Behind My Ear Anything To Worry About?",
            "I found a small lump.",
            "Posted on Tue, 14 Mar 2017",
            "General & Family Physician Dr. Hana Okoye's  Response",
            "Hello, it is a lymph node. Hope this helps.",
            "Dr. Hana Okoye",
        ]);
        assert_eq!(
            p.title,
            "Is A Small Lump Behind My Ear Anything To Worry About?"
        );
        assert_eq!(p.question_text, s("I found a small lump."));
        assert_eq!(p.question_date, s("2017-03-14"));
        let a = &p.answers[0];
        assert_eq!(
            (
                a.author.as_deref(),
                a.role.as_deref(),
                a.specialty.as_deref()
            ),
            (
                Some("Dr. Hana Okoye"),
                Some("General & Family Physician"),
                Some("Family Medicine")
            )
        );
        assert_eq!(a.text, s("Hello, it is a lymph node. Hope this helps."));
        assert_eq!((p.specialty, p.cut), (s("Family Medicine"), None));
    }

    #[test]
    fn answered_date_and_signature_role() {
        let p = page(&[
            "T",
            "Q",
            "Answered on 3 Jan 2019", // an answered date is no question date
            "Dr. Lee's Response",
            "Answered on",
            "4 Jan 2019",
            "Rest it.",
            "Regards,",
            "Dr. Lee",
            "Orthopaedic Surgeon",
        ]);
        assert_eq!((p.question_date, p.question_text), (None, s("Q")));
        let a = &p.answers[0];
        assert_eq!(a.date, s("2019-01-04"));
        assert_eq!(a.role, s("Orthopaedic Surgeon"));
        assert_eq!(a.specialty, s("Orthopedics"));
        assert_eq!(a.text, s("Rest it."));
    }

    #[test]
    fn several_doctors_fused_signature_and_repeats() {
        let p = page(&[
            "T",
            "Q?",
            "Orthopaedic Surgeon Dr. Tomasz Wierzba's Response",
            "Ice it.",
            "Dermatologist Dr. Rovena Lleshi's Response",
            "Hello. See someone. take care. Dr.Rovena",
            "Dr. Rovena Lleshi's Response", // no footer: the title below ends the thread
            "T",
            "Dermatologist Dr. Rovena Lleshi's Response",
            "Hello. See someone. take care. Dr.Rovena",
        ]);
        assert_eq!(p.answers.len(), 2);
        assert_eq!(p.answers[1].text, s("Hello. See someone. take care."));
        assert_eq!(p.answers[1].author, s("Dr. Rovena Lleshi"));
        assert_eq!(p.specialty, None);
        assert_eq!(p.cut, None, "signed");
        // the same answer twice (a repeat without a footer) is kept once
        let p = page(&[
            "T",
            "Q",
            "Dr. A's Response",
            "Fine.",
            "Dr. A's Response",
            "Fine.",
        ]);
        assert_eq!(p.answers.len(), 1);
    }

    #[test]
    fn cards_and_footers() {
        let p = page(&[
            "T",
            "Q",
            "Posted on 1 Jan 2019",
            "Dr. Selin Arslan's Response",
            "Hello. Wish you good health.",
            "Dr. Hamid Rezaei",
            "Dermatologist",
            "12 years of experience",
            "Consult Now",
            "Related Questions",
            "Dr. B's Response",
            "Other.",
        ]);
        assert_eq!(p.answers.len(), 1);
        assert_eq!(p.answers[0].text, s("Hello. Wish you good health."));
        assert_eq!(p.cut, None);
        // a card line longer than six words is no card line; one ending a sentence stops the walk
        let lines = ["Hi there.", "Dr. X", "Consult Now"]
            .map(String::from)
            .to_vec();
        assert_eq!(drop_cards(lines), ["Hi there."]);
        let lines = ["a b", "c d", "e f", "View Profile"]
            .map(String::from)
            .to_vec();
        assert_eq!(drop_cards(lines), ["a b"]);
        let lines = ["Dr. A's Response", "Ask now"].map(String::from).to_vec();
        assert_eq!(drop_cards(lines), ["Dr. A's Response"]);
        assert!(
            CARD.is_match("4.5 / 5")
                && CARD.is_match("Ask Dr. Lee")
                && CARD.is_match("1,024 answers")
        );
    }

    #[test]
    fn a_header_that_is_also_a_card_line() {
        // the card takes the only header
        assert_eq!(
            reason(&["T", "Q", "Ask Dr. Lee's Response", "Rest."]).0,
            "no answer: every response header on the page is also a profile card's line (`Ask Dr. X's Response`)"
        );
    }

    #[test]
    fn full_page_chrome_and_votes() {
        let p = page(&[
            "HealthCareMagic is now Ask A Doctor - 24x7",
            "1,200 Doctors are Online",
            "By continuing you agree to our Terms",
            "Home",
            "Skin",
            "Why Does The Skin On My Fingertips Keep Peeling?",
            "For two months my skin peels.",
            "Posted on 12 Sep 2013",
            "Dermatologist Dr. Talia Brenner's Response",
            "Hi. Use a cream. Hope this helps.",
            "Was this answer helpful?",
            "Yes",
            "No",
            "General & Family Physician 's  Response",
            "Hi,",
            "If the peeling does not settle, see a doctor.",
        ]);
        assert_eq!(p.title, "Why Does The Skin On My Fingertips Keep Peeling?");
        assert_eq!(p.question_text, s("For two months my skin peels."));
        assert_eq!(p.answers[0].text, s("Hi. Use a cream. Hope this helps."));
        assert_eq!(
            (p.answers[1].author.as_deref(), p.answers[1].role.as_deref()),
            (None, Some("General & Family Physician"))
        );
        assert!(title_case("Why Does My Knee Click?") && !title_case("Why does my knee click?"));
        assert!(
            title_case("Aa Bb Cc Dd ee") && !title_case("Aa Bb Cc dd ee") && !title_case("Knee")
        );
        // without chrome the first line is the title
        let p = page(&[
            "Home",
            "Why Does It Hurt?",
            "Q",
            "Dr. A's Response",
            "Rest.",
        ]);
        assert_eq!(p.title, "Home");
    }

    #[test]
    fn cut_pages() {
        let p = page(&["T", "Q", "Dr. A's Response", "Rest it and then"]);
        assert_eq!(p.cut, s("page ends inside the answer"));
        let p = page(&["T", "Q", "Dr. A's Response", "Rest it.", "Dr. B's Response"]);
        assert_eq!(p.cut, s("page ends right after a doctor's response header"));
        let p = page(&[
            "T",
            "Q",
            "Dr. A's Response",
            "Rest it and then",
            "Disclaimer",
        ]);
        assert_eq!(p.cut, None); // a footer: it ended
        assert_eq!(
            reason(&["T", "Q", "Dr. A's Response"]),
            (
                "no answer: the page ends right after the doctor's response header".into(),
                None
            )
        );
        assert_eq!(reason(&["Dr. A's Response", "Rest."]).1, Some(1));
        assert_eq!(
            reason(&["Posted on 1 Jan 2019", "Dr. A's Response", "Rest."]).0,
            "answer-only chunk: no question (nothing but page furniture above the first doctor's response)"
        );
    }

    #[test]
    fn headerless_pages_and_fragments() {
        let p = page(&[
            "Is Yellow Skin Around My Eyes Cholesterol?",
            "I have soft yellow patches.",
            "Posted on Mon, 12 Nov 2018",
            "Hello and welcome.",
            "You should check your cholesterol.",
            "Hope this helps.",
        ]);
        assert_eq!(p.question_date, s("2018-11-12"));
        assert_eq!(p.answers[0].author, None);
        assert!(p.answers[0]
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("Hello and welcome.")));
        assert_eq!(
            p.cut,
            s("saved without the doctor's response header: the answer's doctor is unknown")
        );
        // the date went with a card under it
        assert!(reason(&[
            "T",
            "Q",
            "Posted on Mon, 12 Nov 2018",
            "Consult Now",
            "Hello.",
            "You should rest."
        ])
        .0
        .starts_with("question-only chunk"));
        // an answer alone, with and without the brand
        let answer = [
            "Hello, thanks for using HCM.",
            "You should rest.",
            "Take care.",
        ];
        assert_eq!(
            reason(&answer).0,
            "answer-only chunk: no question (a doctor's answer from askadoctor24x7 / HealthCareMagic saved without its title and question)"
        );
        assert_eq!(
            reason(&["Hello.", "You should rest.", "Take care."]).0,
            "answer-only chunk: no question (a doctor's answer saved without its title and question)"
        );
        assert!(reason(&["Knee pain", "It hurts."])
            .0
            .starts_with("question-only chunk"));
        assert!(recognises_fragment(&answer));
        assert!(recognises_fragment(&[
            "",
            "Knee",
            "",
            "Asked on 3 Jan 2019"
        ]));
        assert!(!recognises_fragment(&["Asked on 3 Jan 2019", "Knee"])); // the first line is not looked at
        assert!(!recognises_fragment(&["Knee", "Asked on someday"]));
    }

    #[test]
    fn main_content_saves() {
        let lines = [
            "Can A Hot Bath Raise My Blood Pressure Reading?",
            "Hi doctor, I measured it twice.",
            "Which one should I trust?",
            "Hello! I understand your worry.",
            "Hope this helps. best regards. Dr.Ilona",
            "I find this answer helpful",
            "Hello. I agree.",
            "Dr. Amara Osei",
            "You found this answer helpful",
            "This is a short, free answer.",
            "Can A Hot Bath Raise My Blood Pressure Reading?",
        ];
        assert!(detect(&lines));
        let p = page(&lines);
        assert_eq!(
            p.question_text,
            s("Hi doctor, I measured it twice.\nWhich one should I trust?")
        );
        assert_eq!(p.answers.len(), 2);
        assert_eq!(
            p.answers[0].text,
            s("Hello! I understand your worry.\nHope this helps. best regards.")
        );
        assert_eq!(p.answers[0].author, s("Dr.Ilona"));
        assert_eq!(p.answers[1].author, s("Dr. Amara Osei"));
        assert_eq!(
            reason(&lines[3..]),
            ("answer-only chunk: no question (a doctor's answer from askadoctor24x7 / HealthCareMagic saved with its footer but without its title and question)".into(), Some(1))
        );
        assert!(reason(&["T", "Q", "I find this answer helpful"])
            .0
            .starts_with("question-only chunk: no answer (no doctor's reply"));
        // a vote part that was all signature is no answer
        let p = page(&[
            "T",
            "Q",
            "Hello. Rest.",
            "I find this answer helpful",
            "Dr. Lee",
        ]);
        assert_eq!(p.answers.len(), 1);
        assert_eq!(p.answers[0].text, s("Hello. Rest."));
        assert!(
            opens_reply("Thank you for posting, doctor is here") && !opens_reply("Hi doctor, help")
        );
        assert!(opens_reply("Hello. Dr Lee said") && !opens_reply("Hello Dr Lee. x"));
        assert!(!opens_reply("Hiya"));
        // a premium thread's vote lines are not this site's free answer
        assert!(!detect(&[
            "T",
            "Detailed Answer:",
            "x",
            "I find this answer helpful"
        ]));
        assert!(!detect(&["T", "Was this answer helpful?"]));
    }

    #[test]
    fn honorific_breaks_join_but_not_into_headers() {
        let p = page(&[
            "T",
            "Thanks, Dr.",
            "Lee",
            "Dr.",
            "A's Response",
            "Hello. Rest.",
        ]);
        // "Thanks, Dr." / "Lee" join; "Dr." / "A's Response" do not (the header stays apart)
        assert_eq!(p.question_text, s("Thanks, Dr. Lee\nDr."));
        assert_eq!(p.answers[0].role, s("A"));
        assert_eq!(p.answers[0].text, s("Hello. Rest."));
    }
}
