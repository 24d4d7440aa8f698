//! askthedoctor.com (ported from `medqa_ds/sources/askthedoctor.py`, byte for byte): an optional
//! title line, `Patient:`, an optional `Symptoms:`, `Doctor:`.
//!
//! Under the post: the site's author box (`Ask The Doctor`, the author's name, a bio, `View all
//! posts`), which names the reply's author and is no part of it, and `Comments / Follow Ups`,
//! whose `Patient:` turns are follow-ups. The site's broken words and missing spaces are kept as
//! the page has them (the Python class adds `text_repaired`).
//!
//! Python's `re.I` folds are `pyre::ignorecase`'s; a label is lower-cased as Python's `str.lower()`
//! does, so a label `re.I` takes but that lower-cases to no known speaker ("PATİENT" gives
//! "pati̇ent") is a turn of no one's, as it was in Python.

use super::conversation::{Answer, FollowUp, Page, Reject};
use super::pyre::{ignorecase, re, strip_prefix_ci};
use super::signature::split_signature;
use crate::specialties::Table;
use crate::text::{is_space, join_lines, looks_cut, lower, WORD, WS};
use regex::Regex;
use std::sync::LazyLock;

/// COMMENTS (re.I): the header of the comments under the post; the `Patient:` turns below it are
/// follow-ups.
static COMMENTS: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(r"\AComments<s>*/<s>*Follow[- ]?ups?<s>*:?\n?\z"));

/// BOX_START (re.I): the first line of the site's author box.
static BOX_START: LazyLock<Regex> = LazyLock::new(|| ignorecase(r"\AAsk<s>+The<s>+Doctor\n?\z"));

/// BOX_NAME: the author's name in the box, with the degree after it. Python's `\b.*$` after the
/// degree is "the end, or a non-word character and the rest of the line": the character is
/// consumed here, inside the group, as `.*` took it there (never a newline, which `.` takes not).
static BOX_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?P<name>Dr\.?[{WS}]?[A-Z][{WORD}'’\-]*(?:[{WS}]+[A-Z][{WORD}'’\-]*){{0,4}}?),?(?:[{WS}]+(?P<degree>(?:M\.?D|MBBS|D\.?O|Ph\.?D|FRCS|MRCP|DNB|MS)(?:[^{WORD}\n].*)?))?\n?\z"
    ))
});

/// BOX_START's match (only `a` and `A` are an `a` under re.I: the first letter says no cheaply).
fn is_box_start(line: &str) -> bool {
    line.starts_with(['a', 'A']) && BOX_START.is_match(line)
}

/// COMMENTS's match (only `c` and `C` are a `c` under re.I).
fn is_comments(line: &str) -> bool {
    line.starts_with(['c', 'C']) && COMMENTS.is_match(line)
}

/// Who a turn's label names, as its lower-cased label reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Patient,
    Doctor,
    Symptoms,
    /// A label TURN takes whose lower case is none of the three.
    Other,
}

/// TURN (re.I), `^(?P<who>Patient|Doctor|Symptoms)\s*:\s*(?P<text>.*)$`, by hand (the regex
/// crate's captures cost a microsecond a line): who speaks and the text after the label. The
/// text is the rest of the line past the colon and the spaces after it (`\s*` is greedy and
/// gives back nothing `.*` can use), up to a final newline; any other newline fails the match.
fn turn(line: &str) -> Option<(Who, &str)> {
    let (label, rest) = ["patient", "doctor", "symptoms"]
        .iter()
        .find_map(|word| strip_prefix_ci(line, word))?;
    let rest = rest.trim_start_matches(is_space).strip_prefix(':')?;
    let rest = rest.trim_start_matches(is_space);
    let text = rest.strip_suffix('\n').unwrap_or(rest);
    if text.contains('\n') {
        return None;
    }
    let who = match lower(label).as_str() {
        "patient" => Who::Patient,
        "doctor" => Who::Doctor,
        "symptoms" => Who::Symptoms,
        _ => Who::Other,
    };
    Some((who, text))
}

fn is_turn(line: &str) -> bool {
    turn(line).is_some()
}

/// `detect`: `Patient:` opens the page or follows its title, maybe after the site's `Symptoms:`
/// field; a page opening with `Doctor:` is an answer-only save of this site, detected so it is
/// rejected with that reason.
pub fn detect<S: AsRef<str>>(lines: &[S]) -> bool {
    let whos: Vec<Option<Who>> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .take(3)
        .map(|l| turn(l).map(|(who, _)| who))
        .collect();
    if whos.first() == Some(&Some(Who::Doctor)) {
        return true;
    }
    let opening = match whos.first() {
        Some(None) => &whos[1..], // past the title line
        _ => &whos[..],
    };
    for who in opening {
        if *who != Some(Who::Symptoms) {
            return *who == Some(Who::Patient);
        }
    }
    false
}

/// The box's author: name and degree.
type Author = (String, Option<String>);

/// `_cut_author_box`: the lines without the site's author box, and the author it shows. The box
/// runs from its `Ask The Doctor` line (below a turn) to the comments (their header or next
/// turn), or the end.
fn cut_author_box<'a>(lines: &[&'a str]) -> (Vec<&'a str>, Option<Author>) {
    let mut after_turn = false;
    for (k, line) in lines.iter().enumerate() {
        if !(after_turn && is_box_start(line)) {
            after_turn = after_turn || is_turn(line);
            continue;
        }
        let end = (k + 1..lines.len())
            .find(|&j| is_turn(lines[j]) || is_comments(lines[j]))
            .map_or(lines.len() - 1, |j| j - 1);
        let who = lines[k + 1..=end]
            .iter()
            .find_map(|l| BOX_NAME.captures(l))
            .and_then(|m| {
                let name = m.name("name")?.as_str().to_string();
                Some((name, m.name("degree").map(|d| d.as_str().to_string())))
            });
        let kept = lines[..k]
            .iter()
            .chain(&lines[end + 1..])
            .copied()
            .collect();
        return (kept, who);
    }
    (lines.to_vec(), None)
}

/// `_turns`: (speaker, lines) per labelled turn; unlabelled lines continue the turn above them,
/// the comments' header is dropped. A `Symptoms:` turn keeps its label in its text: it is the
/// site's field, not the patient's words. `lines` must open with a turn.
fn turns<'a>(lines: &[&'a str]) -> Vec<(Who, Vec<&'a str>)> {
    let mut turns: Vec<(Who, Vec<&'a str>)> = Vec::new();
    for &line in lines {
        if is_comments(line) {
            continue;
        }
        if let Some((who, text)) = turn(line) {
            let body = if who == Who::Symptoms {
                vec![line]
            } else if text.is_empty() {
                Vec::new()
            } else {
                vec![text]
            };
            turns.push((who, body));
        } else if let Some(last) = turns.last_mut() {
            last.1.push(line);
        }
    }
    turns
}

/// `parse`: the page's title, question, answers and the patient's later turns.
pub fn parse<S: AsRef<str>>(lines: &[S], table: &Table) -> Result<Page, Reject> {
    let kept: Vec<&str> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .collect();
    let (lines, author_box) = cut_author_box(&kept);
    let Some(first) = lines.iter().position(|l| is_turn(l)) else {
        return Err(Reject::new(
            "no question: the page has no 'Patient:' line",
            None,
        ));
    };
    let turns = turns(&lines[first..]);
    if turns.first().map(|t| t.0) == Some(Who::Doctor) {
        return Err(Reject::new(
            "answer-only chunk: no question (the page starts at 'Doctor:')",
            Some(1),
        ));
    }
    let mut page = Page {
        title: (first > 0).then(|| lines[0].to_string()),
        ..Page::default()
    };
    // The question: the patient's turn and the site's "Symptoms:" field, above or below it, in
    // page order (the field keeps its label, as the page shows it).
    let mut question: Vec<&str> = Vec::new();
    let (mut k, mut asked) = (0, false);
    while k < turns.len() && (turns[k].0 == Who::Symptoms || (turns[k].0 == Who::Patient && !asked))
    {
        asked = asked || turns[k].0 == Who::Patient;
        question.extend(&turns[k].1);
        k += 1;
    }
    page.question_text = join_lines(&question);
    if page.question_text.is_none() && page.title.is_none() {
        return Err(Reject::new(
            "no question: the 'Patient:' turn is empty and the page has no title",
            None,
        ));
    }
    let mut signed = false;
    for (who, body) in &turns[k..] {
        if *who == Who::Doctor {
            let (body, name, _, sig) = split_signature(body, None, table);
            signed = sig;
            if let Some(text) = join_lines(&body) {
                page.answers.push(Answer {
                    author: name,
                    role: None,
                    text,
                });
            }
        } else if !body.is_empty() {
            page.follow_ups.push(FollowUp {
                text: join_lines(body),
                after_answer: page.answers.len().checked_sub(1),
            });
        }
    }
    let Some(first_answer) = page.answers.first_mut() else {
        let chunk = if turns.len() == k {
            " (question-only chunk)"
        } else {
            ""
        };
        return Err(Reject::new(
            format!("no answer: the page has no 'Doctor:' reply{chunk}"),
            None,
        ));
    };
    if let Some((name, degree)) = author_box {
        if first_answer.author.is_none() {
            // the post's author wrote its reply
            first_answer.author = Some(name);
            first_answer.role = degree;
        }
    }
    let last_is_doctor = turns.last().is_some_and(|t| t.0 == Who::Doctor);
    let last_line = page
        .answers
        .last()
        .map_or("", |a| a.text.rsplit('\n').next().unwrap_or(""));
    if last_is_doctor && !signed && looks_cut(last_line) {
        page.cut = Some("page ends inside the answer");
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table::default()
    }

    fn reason(lines: &[&str]) -> (String, Option<usize>) {
        let r = parse(lines, &table()).expect_err("a reject");
        (r.reason, r.line)
    }

    #[test]
    fn turn_labels_fold_as_python() {
        assert_eq!(turn("Patient: a"), Some((Who::Patient, "a")));
        assert_eq!(turn("DOCTOR  :  b c"), Some((Who::Doctor, "b c")));
        assert_eq!(turn("symptoms:"), Some((Who::Symptoms, "")));
        // re.I takes İ, ı and ſ for i and s; str.lower() makes no speaker of them
        assert_eq!(turn("PATİENT: a"), Some((Who::Other, "a")));
        assert_eq!(turn("Patıent: a"), Some((Who::Other, "a")));
        assert_eq!(turn("Symptomſ: a"), Some((Who::Other, "a")));
        assert_eq!(turn("Patient\u{1c}:\u{3000}a"), Some((Who::Patient, "a")));
        assert_eq!(turn("Patient a"), None);
        assert_eq!(turn("The Patient: a"), None);
        assert_eq!(turn("Patient: a\nb"), None);
        assert_eq!(turn("Patient: a\n"), Some((Who::Patient, "a")));
        assert_eq!(turn("Patient: a \n"), Some((Who::Patient, "a ")));
        assert_eq!(turn("Patient: a\n\n"), None);
        assert_eq!(turn("Patient \n: \n x"), Some((Who::Patient, "x")));
        assert_eq!(turn("Doctor:\n"), Some((Who::Doctor, "")));
        assert_eq!(turn("Pat"), None);
    }

    #[test]
    fn detection() {
        assert!(detect(&["Title", "", "Patient: x", "Doctor: y"]));
        assert!(detect(&["Symptoms: x", "Patient: y"]));
        assert!(detect(&["Title", "Symptoms: x", "Patient: y"]));
        assert!(detect(&["Doctor: y"]), "an answer-only save, to reject");
        assert!(!detect(&["Title", "Doctor: y"]));
        assert!(!detect(&["Title", "More", "Patient: y"]));
        assert!(!detect(&[
            "Symptoms: a",
            "Symptoms: b",
            "Symptoms: c",
            "Patient: y"
        ]));
        assert!(!detect(&["PATİENT: x", "Doctor: y"]));
        assert!(!detect::<&str>(&[]) && !detect(&["", ""]));
    }

    #[test]
    fn box_names() {
        let name = |l: &str| {
            BOX_NAME.captures(l).map(|m| {
                (
                    m["name"].to_string(),
                    m.name("degree").map(|d| d.as_str().to_string()),
                )
            })
        };
        assert_eq!(
            name("Dr. Maren Holt M.D."),
            Some(("Dr. Maren Holt".into(), Some("M.D.".into())))
        );
        assert_eq!(
            name("Dr. Maren Holt, MBBS, MD (Medicine)"),
            Some(("Dr. Maren Holt".into(), Some("MBBS, MD (Medicine)".into())))
        );
        assert_eq!(name("Dr Ana"), Some(("Dr Ana".into(), None)));
        assert_eq!(name("Dr. Ana Ruiz,"), Some(("Dr. Ana Ruiz".into(), None)));
        // a degree is a whole word (Python's \b): "MSc" is a name word here, and no name word
        // starts lower-case
        assert_eq!(name("Dr. Ana MSc"), Some(("Dr. Ana MSc".into(), None)));
        assert_eq!(name("Dr. Ana MSx2"), Some(("Dr. Ana MSx2".into(), None)));
        assert_eq!(name("Dr. Ana msc"), None);
        assert_eq!(
            name("Dr. Ana MS\u{301}"),
            Some(("Dr. Ana".into(), Some("MS\u{301}".into()))),
            "a mark is no word character for Python"
        );
        assert_eq!(
            name("Dr. Ana MS\n"),
            Some(("Dr. Ana".into(), Some("MS".into())))
        );
        assert_eq!(name("Dr. A B C D E F"), None, "at most five name words");
        assert_eq!(name("Dr. Ana trained in Oslo"), None);
    }

    #[test]
    fn the_author_box_names_the_author_and_is_cut() {
        let lines = [
            "Hiccups",
            "Patient: Should I worry?",
            "Doctor: Sip ice water.",
            "Ask The Doctor",
            "Dr. Maren Holt M.D.",
            "Dr. Maren Holt trained in Oslo.",
            "View all posts",
            "Comments / Follow Ups",
            "Patient: Thanks. Is sugar fine?",
        ];
        let page = parse(&lines, &table()).expect("a page");
        assert_eq!(
            page.answers,
            [Answer {
                author: Some("Dr. Maren Holt".into()),
                role: Some("M.D.".into()),
                text: "Sip ice water.".into()
            }]
        );
        assert_eq!(
            page.follow_ups,
            [FollowUp {
                text: Some("Thanks. Is sugar fine?".into()),
                after_answer: Some(0)
            }]
        );
        // the box only counts below a turn; above one it is the title
        let (kept, who) = cut_author_box(&["ask  the doctor", "Patient: x"]);
        assert_eq!((kept.len(), who), (2, None));
        // without comments it runs to the end, and with no name line it names no one
        let (kept, who) = cut_author_box(&["Patient: x", "ASK THE DOCTOR", "bio"]);
        assert_eq!((kept, who), (vec!["Patient: x"], None));
        // a signed reply keeps its signature's author
        let signed = [
            "Patient: x?",
            "Doctor: Rest.",
            "Dr. Ana Ruiz",
            "Ask The Doctor",
            "Dr. Bo Li MD",
        ];
        let page = parse(&signed, &table()).expect("a page");
        assert_eq!(
            (
                page.answers[0].author.as_deref(),
                page.answers[0].role.as_deref()
            ),
            (Some("Dr. Ana Ruiz"), None)
        );
    }

    #[test]
    fn the_question_takes_the_symptoms_field_above_or_below() {
        let page = parse(
            &[
                "Symptoms: itch",
                "Patient: a rash",
                "Symptoms: red",
                "Doctor: Cream.",
            ],
            &table(),
        )
        .expect("a page");
        assert_eq!(page.title, None);
        assert_eq!(
            page.question_text.as_deref(),
            Some("Symptoms: itch\na rash\nSymptoms: red")
        );
        // a second patient turn before any reply is a follow-up before the first answer
        let page = parse(
            &["T", "Patient: a", "more of a", "Patient: b", "Doctor: c."],
            &table(),
        )
        .expect("a page");
        assert_eq!(page.title.as_deref(), Some("T"));
        assert_eq!(page.question_text.as_deref(), Some("a\nmore of a"));
        assert_eq!(
            page.follow_ups,
            [FollowUp {
                text: Some("b".into()),
                after_answer: None
            }]
        );
    }

    #[test]
    fn turns_of_no_one_and_empty_turns() {
        // a label of no known speaker opens no question and is a later turn of the patient's
        let page = parse(&["T", "PATİENT: a", "Doctor: b."], &table()).expect("a page");
        assert_eq!(page.question_text, None);
        assert_eq!(page.follow_ups[0].text.as_deref(), Some("a"));
        // empty patient turns are no follow-up, an empty reply no answer
        let page = parse(
            &["Patient: a", "Doctor:", "Patient:", "Doctor: b."],
            &table(),
        )
        .expect("a page");
        assert_eq!((page.answers.len(), page.follow_ups.len()), (1, 0));
    }

    #[test]
    fn rejects() {
        assert_eq!(
            reason(&["Just text"]),
            ("no question: the page has no 'Patient:' line".into(), None)
        );
        assert_eq!(
            reason(&["Doctor: Rest.", "Patient: thanks"]),
            (
                "answer-only chunk: no question (the page starts at 'Doctor:')".into(),
                Some(1)
            )
        );
        assert_eq!(
            reason(&["Patient:", "Doctor: a."]),
            (
                "no question: the 'Patient:' turn is empty and the page has no title".into(),
                None
            )
        );
        assert_eq!(
            reason(&["T", "Patient: a"]),
            (
                "no answer: the page has no 'Doctor:' reply (question-only chunk)".into(),
                None
            )
        );
        assert_eq!(
            reason(&["T", "Patient: a", "Doctor:", "Patient: b"]),
            ("no answer: the page has no 'Doctor:' reply".into(), None)
        );
        // the comments' header is no turn: under the question it leaves it question-only
        assert_eq!(
            reason(&["Patient: a", "Comments / Follow-up:"]).0,
            "no answer: the page has no 'Doctor:' reply (question-only chunk)"
        );
    }

    #[test]
    fn a_page_ending_inside_the_answer_is_cut() {
        let cut = |lines: &[&str]| parse(lines, &table()).expect("a page").cut;
        assert_eq!(
            cut(&["Patient: a", "Doctor: Rest and"]),
            Some("page ends inside the answer")
        );
        assert_eq!(
            cut(&["Patient: a", "Doctor: Rest.", "and fluids"]),
            Some("page ends inside the answer")
        );
        assert_eq!(cut(&["Patient: a", "Doctor: Rest."]), None);
        // a signature ends the reply; a patient's turn after it leaves the reply whole
        assert_eq!(
            cut(&["Patient: a", "Doctor: Rest and", "Dr. Ana Ruiz"]),
            None
        );
        assert_eq!(cut(&["Patient: a", "Doctor: Rest and", "Patient: b"]), None);
        // the last turn is the doctor's, but its reply was empty: the last answer decides
        assert_eq!(
            cut(&["Patient: a", "Doctor: Rest and", "Patient: b", "Doctor:"]),
            Some("page ends inside the answer")
        );
    }
}
