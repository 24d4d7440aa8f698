//! icliniq.com/qa: premium Q&A threads between a patient and one or more doctors (ported from
//! `medqa_ds/sources/icliniq.py`, byte for byte).
//!
//! A run-together breadcrumb (`HomeAnswersHematologyiron deficiency anemia<title>`) carrying the
//! specialty, the page title, chrome (`Share`, a review notice, `Published At July 7, 2017`,
//! `Reviewed AtMay 22, 2024`), then the thread: `Patient's Query` turns, each answered in a
//! block of its own, headed `Answered by Dr. X` or (in the current layout) just starting with the
//! doctor's greeting and "Welcome to icliniq.com". Later patient turns are follow-ups. Below the
//! thread: a "Consult a doctor now" banner, the answering doctor's card (name, specialty) and
//! footer. Chrome above the breadcrumb (`iCliniq logo`, `Ask a Doctor Online Now`) is dropped.
//!
//! The older layout: `Q. <title>`, `Answered by Dr. X and medically reviewed by iCliniq medical
//! review team.`, an ad line ending in `»`, the question, a `Related Questions:` list of links,
//! then each doctor turn opened by a name line and a role line, and the patient's later turns
//! with no label ("Thank you doctor,"). A topic listing page (several `Query:` teasers with
//! `Answer:` excerpts) is no thread: a reject saying so.
//!
//! Python's re.I is `pyre::ignorecase`; `\s` is `<s>`, a `\b` after a word is "a non-word
//! character or the end", and `$` (the end, or before a final newline) is `\n?\z`.

use super::pyre::{ignorecase, re};
use super::signature::{is_signature, split_signature};
use crate::specialties::Table;
use crate::text::{is_space, iso_date, join_lines, looks_cut, lower, strip, DIGIT, WORD, WS};
use regex::Regex;
use std::sync::LazyLock;

static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\AHome[{WS}]*(?:[›>/|»][{WS}]*)?Answers[{WS}]*(?:[›>/|»][{WS}]*)?(?P<rest>[^{WS}][^\n]*)\n?\z"
    ))
});
static PATIENT: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(r"\APatient['’]?s<s>+Query<s>*:?\n?\z"));
static ANSWERED: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(r"\AAnswered<s>+by<s>*:?<s>*(?P<who>[^\n]*)\n?\z"));
// Python's possessive `\s*+` runs are greedy here: what follows each (`At`/`On`, `:`, or a date
// ending in four digits) never needs the spaces given back, so the first path is the only one.
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&format!(
        r"\APublished<s>*(?:(?:At|On)<s>*)?(?::<s>*)?(?P<date>[^\n]*{DIGIT}{{4}})\n?\z"
    ))
});
static REVIEWED: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&format!(
        r"\A(?:Last<s>+)?(?:Medically<s>+)?Reviewed<s>*(?:At|On)<s>*(?::<s>*)?[^\n]*{DIGIT}{{4}}\n?\z"
    ))
});
// Asked only of a line with no newline but a final one (see `head_chrome`), so `.` is any character.
static HEAD_CHROME: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?:share|listen|download pdf|medically reviewed by|.*medical review team|the following is an? .*conversation(?:<nw>.*)?)\z",
    )
});
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?:same symptoms don['’]t mean|consult a doctor now|community banner|by subscribing|related questions|recent questions|popular questions|was this page helpful|source article|article resources|ask a doctor online|disclaimer(?:<nw>|\z))",
    )
});
/// Chrome a save may hold above the breadcrumb.
static TOP_CHROME: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?:icliniq logo|ask a doctor online now|ask a doctor online|online doctor consultation|menu|search|login|sign ?in|sign ?up|skip to (?:main )?content)\n?\z",
    )
});
/// A topic listing page's teasers: "Query: ..." and "Answer: ..." excerpts.
static TEASER: LazyLock<Regex> = LazyLock::new(|| ignorecase(r"\AQuery<s>*:"));
static EXCERPT: LazyLock<Regex> = LazyLock::new(|| ignorecase(r"\AAnswer<s>*:"));
// The older layout.
static OLD_TITLE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\AQ\.[{WS}]*(?P<title>[^{WS}][^\n]*)\n?\z")));
// `^Answered by\s(?P<who>Dr\b.*?)\sand medically reviewed by\b`, of which only whether it matches
// is read (the name always starts "Dr"): after `Dr` a space, or a non-word character `.` takes
// and the rest of the line up to a space. The words fold as `pyre::ignorecase` folds them, spelled
// out so that the class `[^\w\n]` stays out of the folding (which would add marks to `\w`).
static OLD_ANSWERED: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?i:answered by)[{WS}](?i:dr)(?:[{WS}]|[^{WORD}\n][^\n]*[{WS}])(?i:and med[iİı]cally rev[iİı]ewed by)(?:[^{WORD}]|\z)"
    ))
});
static RELATED: LazyLock<Regex> = LazyLock::new(|| ignorecase(r"\ARelated Questions<s>*:?\n?\z"));
// The patient's unlabelled later turn in the older layout opens by addressing the doctor:
// `^(?:hi|…)\b[^.!?]{0,30}?\b(?:doctor|…)\b`. Both `\b`s stand between two word characters
// unless the run between them is not empty and starts and ends with a non-word character (of the
// run's own class). Spelled out as `OLD_ANSWERED` is, for the class `[^\w.!?]`.
static PATIENT_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    let edge = format!("[^{WORD}.!?]");
    re(&format!(
        r"\A(?i:h[iİı]|hello|hey|dear|thanks?|thank you)(?:{edge}|{edge}[^.!?]{{0,28}}{edge})(?i:doctor|dr|doc|s[iİı]r|madam)(?:[^{WORD}]|\z)"
    ))
});
/// How a doctor's reply opens when no "Answered by" line heads it.
static WELCOME: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"(?:\A|<nw>)welcome to<s>+icliniq|\A(?:hi|hello)?[,.!<s>]*thank(?:s| you) for (?:the|your) (?:query|follow[- ]?up)",
    )
});
static GREETING: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(r"\A(?:hi|hello|hey|greetings)(?:<s>+there)?<s>*[,.!]?\n?\z"));

fn is_patient(line: &str) -> bool {
    PATIENT.is_match(line)
}

fn is_greeting(line: &str) -> bool {
    GREETING.is_match(line)
}

fn is_footer(line: &str) -> bool {
    FOOTER.is_match(line)
}

/// HEAD_CHROME.match: nothing of it crosses a newline, so a line with one (but a final one)
/// never matches.
fn head_chrome(line: &str) -> bool {
    let line = line.strip_suffix('\n').unwrap_or(line);
    !line.contains('\n') && HEAD_CHROME.is_match(line)
}

/// `len(line.split())`.
fn words(line: &str) -> usize {
    line.split(is_space).filter(|w| !w.is_empty()).count()
}

/// Python's `a or b` for optional strings: `a` unless it is None or empty.
fn or(a: Option<String>, b: Option<String>) -> Option<String> {
    a.filter(|s| !s.is_empty()).or(b)
}

/// `breadcrumb_specialty`: the specialty a run-together breadcrumb names: the longest start of
/// it (of at least three characters, within its first 60) the vocabulary knows. The words run
/// into each other ("Hematologyiron deficiency"), so no case or space marks the end.
pub fn breadcrumb_specialty(line: &str, table: &Table) -> Option<String> {
    let m = BREADCRUMB.captures(line)?;
    let rest = m.name("rest").map_or("", |r| r.as_str());
    // the byte end of each prefix of 1..=60 characters
    let ends: Vec<usize> = rest
        .char_indices()
        .map(|(k, c)| k + c.len_utf8())
        .take(60)
        .collect();
    ends.iter()
        .skip(2)
        .rev()
        .find_map(|&end| table.canonical(Some(&rest[..end])))
}

/// `_reply_start`: where a doctor's unheaded reply starts inside a patient's turn: its greeting,
/// or the welcome line.
fn reply_start(body: &[&str]) -> Option<usize> {
    if let Some(k) = (1..body.len()).find(|&k| WELCOME.is_match(body[k])) {
        return Some(if k > 1 && is_greeting(body[k - 1]) {
            k - 1
        } else {
            k
        });
    }
    (1..body.len()).find(|&k| is_greeting(body[k]))
}

/// `_below_chrome`: the lines from the breadcrumb on, or (with none in the first lines) without
/// the top chrome lines.
fn below_chrome<'a, 'b>(lines: &'b [&'a str]) -> &'b [&'a str] {
    let head = &lines[..lines.len().min(12)];
    if let Some(crumb) = head.iter().position(|l| BREADCRUMB.is_match(l)) {
        return &lines[crumb..];
    }
    let top = head
        .iter()
        .position(|l| !TOP_CHROME.is_match(l))
        .unwrap_or(head.len());
    &lines[top..]
}

/// `_listing`: a topic listing: two or more `Query:` teasers with an `Answer:` excerpt, before
/// any thread.
fn listing(lines: &[&str]) -> bool {
    let first_patient = lines
        .iter()
        .position(|l| is_patient(l))
        .unwrap_or(lines.len());
    let before = &lines[..first_patient];
    let teasers = before.iter().filter(|l| TEASER.is_match(l)).count();
    teasers >= 2 && before.iter().any(|l| EXCERPT.is_match(l))
}

/// `_role_specialty`: the specialty of a role line, or of its first comma-separated part the
/// vocabulary knows.
fn role_specialty(role: &str, table: &Table) -> Option<String> {
    if role.is_empty() {
        return None;
    }
    table.canonical(Some(role)).or_else(|| {
        role.split(',')
            .find_map(|p| table.canonical(Some(strip(p))))
    })
}

/// `detect`: a `Patient's Query` line; or a page that names icliniq in its first 80 lines and
/// opens (below the chrome) with a breadcrumb or an older layout's title, or is a topic listing.
pub fn detect<S: AsRef<str>>(lines: &[S]) -> bool {
    if lines.iter().any(|l| is_patient(l.as_ref())) {
        return true;
    }
    let nonblank: Vec<&str> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .collect();
    let kept = below_chrome(&nonblank);
    let first = kept.first().copied().unwrap_or("");
    let mentions = lines[..lines.len().min(80)]
        .iter()
        .any(|l| lower(l.as_ref()).contains("icliniq"));
    mentions && (BREADCRUMB.is_match(first) || OLD_TITLE.is_match(first) || listing(kept))
}

/// One reply as the record's answer item holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub author: Option<String>,
    pub role: Option<String>,
    pub specialty: Option<String>,
    pub text: String,
}

/// A later message of the patient's: its text (None: an empty turn), and the index of the answer
/// it follows (None: before any; -1 in the older layout when no reply before it gave an answer,
/// as the Python computes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub text: Option<String>,
    pub after_answer: Option<isize>,
}

/// What a page gives: the fields the Python shim writes into a blank record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub title: Option<String>,
    pub question_text: String,
    pub question_date: Option<String>,
    pub answers: Vec<Answer>,
    pub turns: Vec<Turn>,
    /// The titles of the older layout's `Related Questions:` links.
    pub related: Vec<String>,
    pub specialty: Option<String>,
    /// `incomplete_reason` when the page shows it was cut.
    pub cut: Option<String>,
}

fn reject<T>(reason: &str) -> Result<T, String> {
    Err(reason.to_string())
}

/// `_answer`: a reply's answer (None when no text is left) and whether a signature closed it.
fn answer(
    body: &[&str],
    author: Option<String>,
    role: Option<String>,
    table: &Table,
) -> (Option<Answer>, bool) {
    let (body, name, sign_role, signed) = split_signature(body, author.as_deref(), table);
    let role = or(role, sign_role);
    let found = join_lines(&body).map(|text| Answer {
        author: or(author, name),
        specialty: table.canonical(role.as_deref()),
        role,
        text,
    });
    (found, signed)
}

/// The one specialty the answers share, else None (`super::shared_specialty`).
fn shared_specialty(answers: &[Answer]) -> Option<String> {
    super::shared_specialty(answers.iter().map(|a| a.specialty.as_ref()))
}

/// `_complete`: a page that never reached the footer was cut: inside the last reply, or before a
/// follow-up's reply.
fn complete(page: &mut Page, last_patient: bool, signed: bool, footer: bool) {
    if footer {
        return;
    }
    if last_patient {
        page.cut = Some("page ends inside a follow-up query, before the doctor's reply".into());
    } else if let Some(last) = page.answers.last() {
        if !signed && last.text.rsplit('\n').next().is_some_and(looks_cut) {
            page.cut = Some("page ends inside the answer".into());
        }
    }
}

/// The doctor a header's `Answered by` block names, and its role.
type Named = (Option<String>, Option<String>);

/// `_head`: title, specialty and date from the lines above the thread; and a doctor the header
/// names.
fn head(head: &[&str], page: &mut Page, table: &Table) -> Named {
    let mut author: Option<String> = None;
    let mut role: Option<String> = None;
    let mut named = false; // an "Answered by" line was seen: the doctor's name and role may follow it
    let mut kept: Vec<&str> = Vec::new();
    for (k, &line) in head.iter().enumerate() {
        if k == 0 && BREADCRUMB.is_match(line) {
            page.specialty = breadcrumb_specialty(line, table);
        } else if let Some(m) = PUBLISHED.captures(line) {
            page.question_date = iso_date(m.name("date").map(|d| d.as_str()));
        } else if REVIEWED.is_match(line) || head_chrome(line) {
            continue;
        } else if let Some(m) = ANSWERED.captures(line) {
            let who = strip(m.name("who").map_or("", |w| w.as_str()));
            author = (!who.is_empty()).then(|| who.to_string());
            named = true;
        } else if named && author.is_none() && is_signature(line) {
            author = Some(line.to_string());
        } else if named
            && author.as_ref().is_some_and(|a| !a.is_empty())
            && role.is_none()
            && table.canonical(Some(line)).is_some()
        {
            role = Some(line.to_string());
        } else {
            kept.push(line);
        }
    }
    page.title = kept.first().map(|t| t.to_string());
    (author, role)
}

/// One turn of the thread: the patient's or a doctor's, its lines, and the doctor a header names.
#[derive(Debug)]
struct RawTurn<'a> {
    doctor: bool,
    body: Vec<&'a str>,
    who: Option<String>,
}

/// `_turns`: the thread as turns; a patient's turn holding an unheaded reply is split.
fn turns<'a>(lines: &[&'a str]) -> Vec<RawTurn<'a>> {
    let mut turns: Vec<RawTurn<'a>> = Vec::new();
    for &line in lines {
        if is_patient(line) {
            turns.push(RawTurn {
                doctor: false,
                body: Vec::new(),
                who: None,
            });
        } else if let Some(m) = ANSWERED.captures(line) {
            let who = strip(m.name("who").map_or("", |w| w.as_str()));
            turns.push(RawTurn {
                doctor: true,
                body: Vec::new(),
                who: (!who.is_empty()).then(|| who.to_string()),
            });
        } else if let Some(last) = turns.last_mut() {
            if last.doctor && last.who.is_none() && last.body.is_empty() && is_signature(line) {
                last.who = Some(line.to_string()); // "Answered by" with the name on the next line
            } else {
                last.body.push(line);
            }
        }
    }
    let headed: Vec<bool> = (0..turns.len())
        .map(|k| turns.get(k + 1).is_some_and(|t| t.doctor))
        .collect();
    let mut split = Vec::with_capacity(turns.len());
    for (turn, headed) in turns.into_iter().zip(headed) {
        let cut = if turn.doctor || headed {
            None
        } else {
            reply_start(&turn.body)
        };
        match cut {
            None => split.push(turn),
            Some(cut) => {
                let (asked, reply) = turn.body.split_at(cut);
                split.push(RawTurn {
                    doctor: false,
                    body: asked.to_vec(),
                    who: None,
                });
                split.push(RawTurn {
                    doctor: true,
                    body: reply.to_vec(),
                    who: None,
                });
            }
        }
    }
    split
}

/// `_card`: the answering doctor's card under the banner: name (often shown twice) and specialty.
fn card(tail: &[&str]) -> Named {
    let mut names: Vec<String> = Vec::new();
    for &line in tail.iter().take(6) {
        if is_signature(line) {
            names.push(line.trim_end_matches('.').to_string());
            continue;
        }
        if !names.is_empty()
            && !is_footer(line)
            && words(line) <= 6
            && !line.ends_with(['.', '?', '!'])
        {
            return (names.into_iter().next(), Some(line.to_string()));
        }
        break;
    }
    (names.into_iter().next(), None)
}

/// `parse`: the thread, or why the page gives none.
pub fn parse<S: AsRef<str>>(lines: &[S], table: &Table) -> Result<Page, String> {
    let nonblank: Vec<&str> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .collect();
    let lines = below_chrome(&nonblank);
    if listing(lines) {
        let teasers = lines.iter().filter(|l| TEASER.is_match(l)).count();
        return Err(format!(
            "topic listing: an iCliniq topic page of {teasers} 'Query:' teasers with answer excerpts, not one thread"
        ));
    }
    if lines.first().is_some_and(|l| OLD_TITLE.is_match(l)) && !lines.iter().any(|l| is_patient(l))
    {
        return old_layout(lines, table);
    }
    let mut page = Page::default();
    let Some(start) = lines.iter().position(|l| is_patient(l)) else {
        return reject("no question: the page ends before the first \"Patient's Query\"");
    };
    let (default_author, default_role) = head(&lines[..start], &mut page, table);
    let end = (start..lines.len()).find(|&k| is_footer(lines[k]));
    let (card_name, card_role) = match end {
        Some(end) => card(&lines[end + 1..]),
        None => (None, None),
    };
    let turns = turns(&lines[start..end.unwrap_or(lines.len())]);
    let question = match turns.first() {
        Some(t) if !t.doctor => join_lines(&t.body),
        _ => None,
    };
    let Some(question) = question else {
        return reject("no question: \"Patient's Query\" is empty");
    };
    page.question_text = question;
    let mut signed = false;
    for turn in &turns[1..] {
        if !turn.doctor {
            let after = page.answers.len().checked_sub(1).map(|a| a as isize);
            page.turns.push(Turn {
                text: join_lines(&turn.body),
                after_answer: after,
            });
            continue;
        }
        let author = or(
            or(turn.who.clone(), default_author.clone()),
            card_name.clone(),
        );
        let role = if author.as_ref().is_some_and(|a| !a.is_empty()) && author == card_name {
            card_role.clone()
        } else if author == default_author {
            default_role.clone()
        } else {
            None
        };
        let (found, sign) = answer(&turn.body, author, role, table);
        signed = sign;
        page.answers.extend(found);
    }
    if page.answers.is_empty() {
        let reason = if end.is_some() {
            "no answer: the thread holds no doctor's reply"
        } else {
            "no answer: the page ends inside the patient's query, before the doctor's reply"
        };
        return reject(reason);
    }
    let last_patient = turns.last().is_some_and(|t| !t.doctor);
    complete(&mut page, last_patient, signed, end.is_some());
    if page.specialty.is_none() {
        page.specialty = shared_specialty(&page.answers);
    }
    Ok(page)
}

/// `_old_doctor_head`: a doctor turn's opening in the older layout: the doctor's name line, then
/// a role line.
fn old_doctor_head(body: &[&str], j: usize) -> bool {
    let role = body[j + 1];
    is_signature(body[j])
        && words(role) <= 8
        && !role.ends_with(['.', '?', '!', ':'])
        && !is_greeting(role)
}

/// `_old_layout`: a thread in the older layout (see the module's doc).
fn old_layout(lines: &[&str], table: &Table) -> Result<Page, String> {
    let mut page = Page::default();
    // parse() sends here only a page whose first line is an old-layout title
    let Some(opening) = lines.first().and_then(|l| OLD_TITLE.captures(l)) else {
        return reject("no title: the page does not open with 'Q. <title>'");
    };
    page.title = opening.name("title").map(|t| t.as_str().to_string());
    let named = lines.len() > 1 && OLD_ANSWERED.is_match(lines[1]);
    let mut k = if named { 2 } else { 1 };
    if k < lines.len() && lines[k].ends_with('»') {
        k += 1;
    }
    // "Related Questions:" ends the current layout's thread, but stands above this one's replies
    let end = (k..lines.len()).find(|&j| is_footer(lines[j]) && !RELATED.is_match(lines[j]));
    let body = &lines[k.min(lines.len())..end.unwrap_or(lines.len())];
    let heads: Vec<usize> = (0..body.len().saturating_sub(1))
        .filter(|&j| old_doctor_head(body, j))
        .collect();
    let related = body.iter().position(|l| RELATED.is_match(l));
    let stop = [related, heads.first().copied(), Some(body.len())]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(body.len());
    let question = join_lines(&body[..stop]);
    if let Some(related) = related {
        // the related links, between the question and the first reply
        let to = heads.first().copied().unwrap_or(body.len());
        if related + 1 < to {
            page.related = body[related + 1..to]
                .iter()
                .map(|t| t.to_string())
                .collect();
        }
    }
    let Some(question) = question else {
        return reject("no question: the page has no question text under its title");
    };
    page.question_text = question;
    if heads.is_empty() {
        return reject("no answer: the page ends before the doctor's reply");
    }
    let mut signed = false;
    for (n, &j) in heads.iter().enumerate() {
        let next = heads.get(n + 1).copied().unwrap_or(body.len());
        let turn: &[&str] = if j + 2 < next {
            &body[j + 2..next]
        } else {
            &[]
        };
        let ask = (1..turn.len())
            .find(|&i| PATIENT_OPENING.is_match(turn[i]))
            .unwrap_or(turn.len());
        let author = body[j].trim_end_matches('.').to_string();
        let (found, sign) = answer(
            &turn[..ask],
            Some(author),
            Some(body[j + 1].to_string()),
            table,
        );
        signed = sign;
        if let Some(mut found) = found {
            found.specialty = role_specialty(body[j + 1], table);
            page.answers.push(found);
        }
        if ask < turn.len() {
            page.turns.push(Turn {
                text: join_lines(&turn[ask..]),
                // before any reply gave an answer: a turn before the answers, never dropped
                after_answer: page.answers.len().checked_sub(1).map(|a| a as isize),
            });
        }
    }
    if page.answers.is_empty() {
        return reject("no answer: the doctor's turns are empty");
    }
    let last = heads[heads.len() - 1];
    let last_patient = body
        .get(last + 3..)
        .is_some_and(|rest| rest.iter().any(|l| PATIENT_OPENING.is_match(l)));
    complete(&mut page, last_patient, signed, end.is_some());
    page.specialty = shared_specialty(&page.answers);
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn table() -> Table {
        let pairs = [
            ("dermatology", "Dermatology"),
            ("hematology", "Hematology"),
            ("internal medicine", "Internal Medicine"),
            ("ent", "Otolaryngology"),
            ("urologist", "Urology"),
            ("dentist", "Dentistry"),
            ("gastroenterology", "Gastroenterology"),
        ];
        Table(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>(),
        )
    }

    fn page(lines: &[&str]) -> Page {
        parse(lines, &table()).expect("a page")
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    const HEADER: [&str; 8] = [
        "HomeAnswersDermatologyseborrheic dermatitisI get flaky patches.",
        "Why do I get flaky patches?",
        "Share",
        "The following is an actual conversation between an iCliniq user and a doctor.",
        "Medically reviewed by",
        "iCliniq medical review team",
        "Published At July 7, 2017",
        "Reviewed AtMay 22, 2024",
    ];

    fn current(thread: &[&'static str]) -> Vec<&'static str> {
        HEADER.iter().chain(thread).copied().collect()
    }

    #[test]
    fn breadcrumbs() {
        let t = table();
        let spec = |l: &str| breadcrumb_specialty(l, &t);
        assert_eq!(
            spec("HomeAnswersHematologyiron defeciency anemiaIs low iron a problem?"),
            s("Hematology")
        );
        assert_eq!(
            spec("HomeAnswersInternal Medicinefever and chillsWhy?"),
            s("Internal Medicine")
        );
        assert_eq!(
            spec("HomeAnswersENTear waxMy ear feels blocked."),
            s("Otolaryngology")
        );
        assert_eq!(spec("Home › Answers » Dermatology"), s("Dermatology"));
        assert_eq!(
            spec("HomeAnswersFitnessrunningHow fast should I run?"),
            None
        );
        assert_eq!(spec("Why do I get acne?"), None);
        // only the first 60 characters, and prefixes of three or more
        assert_eq!(
            spec(&format!("HomeAnswers{}Dermatology", "x".repeat(50))),
            None
        );
        assert_eq!(spec("HomeAnswersEN"), None);
        // slicing is by characters: a character of several bytes is one
        assert_eq!(spec("HomeAnswersENTé"), s("Otolaryngology"));
    }

    #[test]
    fn current_layout_header_chrome_and_card() {
        let p = page(&current(&[
            "Patient's Query",
            "Hello doctor,",
            "My nose is flaky.",
            "Hi,",
            "Welcome to icliniq.com.",
            "Use a mild cream.",
            "Consult a doctor now",
            "Dr. Leena Haddad",
            "Dr. Leena Haddad.",
            "Dermatology",
        ]));
        assert_eq!(p.title, s("Why do I get flaky patches?"));
        assert_eq!(p.specialty, s("Dermatology"));
        assert_eq!(p.question_date, s("2017-07-07"));
        assert_eq!(p.question_text, "Hello doctor,\nMy nose is flaky.");
        let a = &p.answers[0];
        assert_eq!(a.text, "Hi,\nWelcome to icliniq.com.\nUse a mild cream.");
        assert_eq!(
            (a.author.clone(), a.role.clone()),
            (s("Dr. Leena Haddad"), s("Dermatology"))
        );
        assert_eq!((p.cut, p.turns.len()), (None, 0));
    }

    #[test]
    fn chrome_lines() {
        assert!(
            head_chrome("SHARE")
                && head_chrome("Download PDF")
                && head_chrome("iCliniq Medical Review Team")
        );
        assert!(
            head_chrome("the following is a conversation")
                && head_chrome("The following is an x conversation, y")
        );
        assert!(!head_chrome("the following is a conversations") && !head_chrome("Share this"));
        assert!(
            head_chrome("share\n")
                && !head_chrome("share\n\n")
                && !head_chrome("the following is a conversation\nx")
        );
        assert!(
            TOP_CHROME.is_match("İCLİNİQ LOGO")
                && TOP_CHROME.is_match("signin")
                && TOP_CHROME.is_match("Skip to main content")
        );
        assert!(!TOP_CHROME.is_match("Menu items"));
        assert!(is_footer("Disclaimer") && is_footer("disclaimer: x") && !is_footer("disclaimers"));
        assert!(is_footer("Same symptoms don’t mean the same") && is_footer("RELATED QUESTIONS"));
        assert!(
            PUBLISHED.is_match("Published On: 12 Jan 2016") && PUBLISHED.is_match("publiſhed 2017")
        );
        assert!(
            !PUBLISHED.is_match("Published At soon")
                && REVIEWED.is_match("Last Medically Reviewed On 3 Mar 2014")
        );
        assert!(!REVIEWED.is_match("Reviewed 2014")); // "At" or "On" is needed
        assert_eq!(
            &PUBLISHED.captures("Published At : July 7, 2017").unwrap()["date"],
            "July 7, 2017"
        );
    }

    #[test]
    fn chrome_above_the_breadcrumb_is_dropped() {
        let mut lines = vec!["iCliniq logo", "Ask a Doctor Online Now"];
        lines.extend(current(&[
            "Patient's Query",
            "Q?",
            "Answered by Dr. Mateo Quiroga",
            "Rest.",
        ]));
        let p = page(&lines);
        assert_eq!(p.title, s("Why do I get flaky patches?"));
        assert_eq!(p.answers[0].author, s("Dr. Mateo Quiroga"));
        // with no breadcrumb, the top chrome lines are dropped and the next line is the title
        let p = page(&[
            "Menu",
            "Search",
            "Title here",
            "Patient's Query",
            "Q?",
            "Answered by Dr. A",
            "Rest.",
        ]);
        assert_eq!(p.title, s("Title here"));
        assert_eq!(p.specialty, None);
    }

    #[test]
    fn answered_by_lines() {
        // the name on the next line, and a signature
        let p = page(&current(&[
            "Patient's Query",
            "My child has a fever.",
            "Answered by",
            "Dr. Aylin Demir",
            "Give fluids.",
            "Regards,",
            "Dr. Aylin Demir",
        ]));
        assert_eq!(
            (p.answers[0].author.clone(), p.answers[0].text.as_str()),
            (s("Dr. Aylin Demir"), "Give fluids.")
        );
        // named in the header, with a role line: the unheaded reply is theirs
        let p = page(&[
            "Will my stone pass?",
            "Answered by : Dr. Tarek Nasser",
            "Urologist",
            "Patient's Query",
            "I have a 5 mm stone.",
            "Hello,",
            "Welcome to icliniq.com.",
            "Most stones pass.",
            "Consult a doctor now",
        ]);
        let a = &p.answers[0];
        assert_eq!(p.title, s("Will my stone pass?"));
        assert_eq!(
            (a.author.clone(), a.role.clone(), a.specialty.clone()),
            (s("Dr. Tarek Nasser"), s("Urologist"), s("Urology"))
        );
        assert_eq!(p.question_text, "I have a 5 mm stone.");
        assert_eq!(p.specialty, s("Urology")); // no breadcrumb: the answers' shared specialty
    }

    #[test]
    fn follow_ups_and_several_replies() {
        let p = page(&current(&[
            "Patient's Query",
            "It burns.",
            "Answered by Dr. Rahul Verma",
            "Hello,",
            "Take pantoprazole.",
            "Patient's Query",
            "Can I take it with coffee?",
            "Answered by Dr. Rahul Verma",
            "Hello,",
            "Yes.",
            "Patient's Query",
            "Hello doctor,",
            "Thanks.",
            "Hi,",
            "Thank you for the follow-up.",
            "Glad to hear that.",
            "Consult a doctor now",
        ]));
        assert_eq!(p.answers.len(), 3);
        assert_eq!(
            p.answers[2].text,
            "Hi,\nThank you for the follow-up.\nGlad to hear that."
        );
        // headed replies name their doctor; an unheaded one with no header block or card, no one
        assert_eq!(p.answers[1].author, s("Dr. Rahul Verma"));
        assert_eq!(p.answers[2].author, None);
        assert_eq!(
            p.turns,
            [
                Turn {
                    text: s("Can I take it with coffee?"),
                    after_answer: Some(0)
                },
                Turn {
                    text: s("Hello doctor,\nThanks."),
                    after_answer: Some(1)
                },
            ]
        );
        // an empty patient's turn is a turn with no text
        let p = page(&[
            "T",
            "Patient's Query",
            "Q?",
            "Answered by Dr. A",
            "Rest.",
            "Patient's Query",
            "Patient's Query",
            "More?",
        ]);
        assert_eq!(
            p.turns[0],
            Turn {
                text: None,
                after_answer: Some(0)
            }
        );
    }

    #[test]
    fn unheaded_replies() {
        // the reply starts at the greeting over the welcome line, or at the welcome line
        assert_eq!(
            reply_start(&["Hi doctor,", "x", "Hello there!", "Welcome to iCliniq."]),
            Some(2)
        );
        assert_eq!(
            reply_start(&["Hi doctor,", "x", "Hi. Welcome to icliniq.com. The gum"]),
            Some(2)
        );
        assert_eq!(
            reply_start(&["x", "Thank you for your query.", "y"]),
            Some(1)
        );
        assert_eq!(reply_start(&["x", "y", "Greetings", "z"]), Some(2));
        assert_eq!(reply_start(&["Welcome to icliniq", "x"]), None); // never the first line
        assert_eq!(reply_start(&["x", "nowelcome to icliniq"]), None); // `\b` before "welcome"
        assert_eq!(reply_start(&["x", "(welcome to  icliniq"]), Some(1));
        let p = page(&[
            "T",
            "Patient's Query",
            "Hi doctor, my tooth hurts.",
            "Hi. Welcome to icliniq.com. Rinse.",
        ]);
        assert_eq!(p.answers[0].text, "Hi. Welcome to icliniq.com. Rinse.");
        assert_eq!(p.answers[0].author, None);
    }

    #[test]
    fn cut_pages() {
        let p = page(&[
            "T",
            "Patient's Query",
            "Q?",
            "Answered by Dr. A",
            "Avoid dust mites, pets and",
        ]);
        assert_eq!(p.cut, s("page ends inside the answer"));
        let p = page(&[
            "T",
            "Patient's Query",
            "Q?",
            "Answered by Dr. A",
            "Avoid pets and",
            "Dr. Ana Ruiz",
        ]);
        assert_eq!(p.cut, None); // signed: it ended
        let p = page(&[
            "T",
            "Patient's Query",
            "Q?",
            "Answered by Dr. A",
            "Rest.",
            "Patient's Query",
            "Is an injection",
        ]);
        assert_eq!(
            p.cut,
            s("page ends inside a follow-up query, before the doctor's reply")
        );
        let p = page(&[
            "T",
            "Patient's Query",
            "Q?",
            "Answered by Dr. A",
            "Rest and",
            "Consult a doctor now",
        ]);
        assert_eq!(p.cut, None); // the footer was reached
        let err = |lines: &[&str]| parse(lines, &table()).unwrap_err();
        assert_eq!(
            err(&["T", "Patient's Query", "My knee hurts."]),
            "no answer: the page ends inside the patient's query, before the doctor's reply"
        );
        assert_eq!(
            err(&[
                "T",
                "Patient's Query",
                "My knee hurts.",
                "Consult a doctor now"
            ]),
            "no answer: the thread holds no doctor's reply"
        );
        assert_eq!(
            err(&["T", "Patient's Query", "Answered by Dr. A", "x"]),
            "no question: \"Patient's Query\" is empty"
        );
        assert_eq!(
            err(&["T", "x"]),
            "no question: the page ends before the first \"Patient's Query\""
        );
    }

    #[test]
    fn topic_listings() {
        let lines = [
            "HomeAnswersDermatology",
            "Query: Why acne?",
            "Answer: Hormones.",
            "Query: Why rash?",
            "Answer: Heat.",
            "Query: Why itch?",
            "visit icliniq",
        ];
        assert_eq!(
            parse(&lines, &table()).unwrap_err(),
            "topic listing: an iCliniq topic page of 3 'Query:' teasers with answer excerpts, not one thread"
        );
        assert!(detect(&lines) && detect(&lines[1..]));
        // no excerpt, or the teasers below a thread's start: no listing
        assert!(!listing(&["Query: a", "Query: b"]));
        assert!(!listing(&[
            "Patient's Query",
            "Query: a",
            "Answer: x",
            "Query: b"
        ]));
        assert!(TEASER.is_match("QUERY :") && EXCERPT.is_match("answer:"));
    }

    #[test]
    fn detection() {
        assert!(detect(&["x", "PATİENT’S QUERY:"]) && detect(&["patients  query"]));
        assert!(detect(&["", "Q. Why?", "icliniq"]));
        assert!(!detect(&["Q. Why?", "no site named"]));
        assert!(!detect(&["Why?", "icliniq"])); // neither breadcrumb nor old title first
        let mut far = vec![""; 80];
        far.extend(["Q. Why?", "icliniq"]);
        assert!(!detect(&far)); // the name must be in the first 80 lines
        assert!(!detect(&["Q. Why?", "İCLİNİQ"])); // Python's lower() of İ is i + a combining dot
    }

    #[test]
    fn older_layout() {
        let lines = [
            "Q. Can a cracked molar cause ear pain?",
            "Answered by Dr. Omar Farouk and medically reviewed by iCliniq medical review team.",
            "Talk to a dentist online »",
            "Hello doctor,",
            "My tooth hurts. Are they connected?",
            "Related Questions:",
            "Why does my tooth hurt?",
            "Can wisdom teeth cause headaches?",
            "Dr. Omar Farouk",
            "Dentist, Oral Surgeon",
            "Hello,",
            "See a dentist.",
            "Thank you doctor,",
            "Can I wait a month?",
            "Dr. Omar Farouk",
            "Dentist, Oral Surgeon",
            "Hi,",
            "A month is fine.",
        ];
        let p = page(&lines);
        assert_eq!(p.title, s("Can a cracked molar cause ear pain?"));
        assert_eq!(
            p.question_text,
            "Hello doctor,\nMy tooth hurts. Are they connected?"
        );
        assert_eq!(
            p.related,
            [
                "Why does my tooth hurt?",
                "Can wisdom teeth cause headaches?"
            ]
        );
        assert_eq!(p.answers.len(), 2);
        for a in &p.answers {
            assert_eq!(
                (a.author.clone(), a.role.clone(), a.specialty.clone()),
                (
                    s("Dr. Omar Farouk"),
                    s("Dentist, Oral Surgeon"),
                    s("Dentistry")
                )
            );
        }
        assert_eq!(p.answers[0].text, "Hello,\nSee a dentist.");
        assert_eq!(
            p.turns,
            [Turn {
                text: s("Thank you doctor,\nCan I wait a month?"),
                after_answer: Some(0)
            }]
        );
        assert_eq!((p.specialty.clone(), p.cut.clone()), (s("Dentistry"), None));
        // cut inside the last reply, or inside a follow-up after it
        let mut cut = lines[..12].to_vec();
        cut.push("because the same ne");
        assert_eq!(page(&cut).cut, s("page ends inside the answer"));
        let mut cut = lines.to_vec();
        cut.extend(["Thanks doctor,", "Can I wait"]);
        assert_eq!(
            page(&cut).cut,
            s("page ends inside a follow-up query, before the doctor's reply")
        );
        // a footer ends the thread, but "Related Questions:" does not
        let mut footed = lines.to_vec();
        footed.extend(["Ask a doctor online", "Dr. X", "More text and"]);
        assert_eq!(page(&footed).answers[1].text, "Hi,\nA month is fine.");
    }

    #[test]
    fn older_layout_rejects_and_heads() {
        let err = |lines: &[&str]| parse(lines, &table()).unwrap_err();
        assert_eq!(
            err(&["Q. Why?", "Related Questions:", "x"]),
            "no question: the page has no question text under its title"
        );
        assert_eq!(
            err(&["Q. Why?", "My tooth hurts."]),
            "no answer: the page ends before the doctor's reply"
        );
        assert_eq!(
            err(&[
                "Q. Why?",
                "Pain.",
                "Dr. Ana Ruiz",
                "Dentist",
                "Dr. Ana Ruiz"
            ]),
            "no answer: the doctor's turns are empty"
        );
        // a role line: at most eight words, no closing punctuation, no greeting
        let body = [
            "Dr. Ana Ruiz",
            "Hello",
            "Dr. Ana Ruiz",
            "Dentist:",
            "Dr. Ana Ruiz",
            "General Dentist",
        ];
        assert!(
            !old_doctor_head(&body, 0) && !old_doctor_head(&body, 2) && old_doctor_head(&body, 4)
        );
        assert!(OLD_ANSWERED.is_match("ANSWERED BY DR. X AND MEDICALLY REVIEWED BY team"));
        assert!(OLD_ANSWERED.is_match("Answered by Dr and medically reviewed by"));
        assert!(!OLD_ANSWERED.is_match("Answered by Drew and medically reviewed by")); // `Dr\b`
        assert!(!OLD_ANSWERED.is_match("Answered by Dr. X and medically reviewed byx"));
        assert!(!OLD_ANSWERED.is_match("Answered by Dr\nX and medically reviewed by")); // `.` takes no newline
                                                                                        // the ad line ending in "»" is skipped only right under the title block
        let p = page(&[
            "Q. Why?",
            "Ad »",
            "Pain.",
            "Dr. Ana Ruiz",
            "Dentist",
            "Rest.",
        ]);
        assert_eq!(p.question_text, "Pain.");
        let p = page(&[
            "Q. Why?",
            "Pain.",
            "Ad »",
            "Dr. Ana Ruiz",
            "Dentist",
            "Rest.",
        ]);
        assert_eq!(p.question_text, "Pain.\nAd »");
        // the role's first comma-separated part the vocabulary knows
        assert_eq!(
            role_specialty("Oral Surgeon, Dentist", &table()),
            s("Dentistry")
        );
        assert_eq!(role_specialty("Oral Surgeon", &table()), None);
    }

    #[test]
    fn patient_openings() {
        for line in [
            "Thank you doctor,",
            "hi dr",
            "Hello, madam!",
            "thanks a lot dear Sir",
            "HEY (doc)",
            "Hİ doctor",
        ] {
            assert!(PATIENT_OPENING.is_match(line), "{line}");
        }
        for line in [
            "Thanks. Doctor",                          // no sentence end between them
            "hidoctor",                                // `\b` after the greeting
            "hi doctors",                              // `\b` after the addressee
            "hi xdoctor",                              // `\b` before it
            "thankyou doctor",                         // "thank" needs a boundary after it
            "hi 11111111111111111111111111111 doctor", // at most 30 characters between
        ] {
            assert!(!PATIENT_OPENING.is_match(line), "{line}");
        }
        assert!(PATIENT_OPENING.is_match("hi 1111111111111111111111111111 doctor"));
        // U+0345 folds to a letter but is no word character for Python: a boundary
        assert!(PATIENT_OPENING.is_match("hi\u{345}doctor"));
        assert!(
            is_greeting("Hello there!") && is_greeting("GREETİNGS") && !is_greeting("Hello doctor")
        );
    }
}
