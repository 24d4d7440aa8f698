//! MedDialog (English) raw text (ported from `medqa_ds/sources/meddialog.py`, byte for byte): the
//! 0.26M-consultation corpus of healthcaremagic and icliniq threads. A file holds many
//! consultations, each a block:
//!
//! ```text
//! id=N
//! <URL of the thread>
//! Description
//! <the patient's description, often "Q. <title>">
//! Dialogue
//! Patient:
//! <the patient's turn>
//! Doctor:
//! <the doctor's turn>
//! ...
//! ```
//!
//! Each block is a page of its own (`pages`: one record, or one reject naming the block's line);
//! blank lines and a turn's text on its label line (`Patient: ...`) are taken as they come. The
//! patterns are case-sensitive; `\d` and `\s` are Python's (`text::DIGIT`, `text::WS`).

use super::conversation::{Answer, FollowUp, Page, Reject};
use super::pyre::re;
use super::signature::split_signature;
use crate::specialties::Table;
use crate::text::{is_space, join_lines, lines_of, DIGIT, WS};
use regex::Regex;
use std::sync::LazyLock;

/// ID: the line that opens a consultation, `id=N`.
static ID: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\Aid[{WS}]*=[{WS}]*(?P<n>{DIGIT}+)\n?\z")));
/// URL: the thread's address under it (`\S` is Python's: no `\s` character, so no newline).
static URL: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"\Ahttps?://[^{WS}]+\n?\z")));
static DESCRIPTION: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\ADescription[{WS}]*:?\n?\z")));
static DIALOGUE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"\ADialogue[{WS}]*:?\n?\z")));

/// ID's match (it starts with `id`: the prefix says no cheaply to a corpus file's other lines).
fn is_id(line: &str) -> bool {
    line.starts_with("id") && ID.is_match(line)
}

fn is_dialogue(line: &str) -> bool {
    line.starts_with("Dialogue") && DIALOGUE.is_match(line)
}

fn is_description(line: &str) -> bool {
    line.starts_with("Description") && DESCRIPTION.is_match(line)
}

/// Who speaks in a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Patient,
    Doctor,
}

/// TURN, `^(?P<who>Patient|Doctor)\s*:\s*(?P<text>.*)$`, by hand (a capture costs the regex crate
/// a microsecond a line): who speaks and the text past the colon and the spaces after it (`\s*`
/// is greedy and gives back nothing `.*` can use), up to a final newline; any other newline
/// fails the match.
fn turn(line: &str) -> Option<(Who, &str)> {
    let (who, rest) = if let Some(rest) = line.strip_prefix("Patient") {
        (Who::Patient, rest)
    } else {
        (Who::Doctor, line.strip_prefix("Doctor")?)
    };
    let rest = rest.trim_start_matches(is_space).strip_prefix(':')?;
    let rest = rest.trim_start_matches(is_space);
    let text = rest.strip_suffix('\n').unwrap_or(rest);
    (!text.contains('\n')).then_some((who, text))
}

/// `detect`: the first line that is not blank opens a consultation, and a `Dialogue` or
/// `Description` line is among the first 300.
pub fn detect<S: AsRef<str>>(lines: &[S]) -> bool {
    let first = lines
        .iter()
        .map(AsRef::as_ref)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    is_id(first)
        && lines
            .iter()
            .take(300)
            .any(|l| is_dialogue(l.as_ref()) || is_description(l.as_ref()))
}

/// `pages`: one page per `id=N` block, with the (1-based) line it starts on; text before the
/// first block is a page too. A page is its lines as `lines_of` gives them, joined by newlines.
pub fn pages(text: &str) -> Vec<(usize, String)> {
    let lines = lines_of(text);
    let mut starts: Vec<usize> = (0..lines.len()).filter(|&k| is_id(lines[k])).collect();
    let text_before = starts
        .first()
        .is_none_or(|&s| lines[..s].iter().any(|l| !l.is_empty()));
    if text_before {
        starts.insert(0, 0);
    }
    let ends = starts.iter().skip(1).copied().chain([lines.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|(&s, e)| (s + 1, lines[s..e].join("\n")))
        .collect()
}

/// `_description`: the thread's title, "Q. " dropped, skipping the URL and the label.
fn description(head: &[&str]) -> Option<String> {
    let body: Vec<&str> = head
        .iter()
        .copied()
        .filter(|l| !l.is_empty() && !URL.is_match(l) && !is_description(l))
        .collect();
    let text = body.join(" ");
    // QUESTION_MARK, `^Q\.\s*`, taken off the start
    let title = match text.strip_prefix("Q.") {
        Some(rest) => rest.trim_start_matches(is_space),
        None => &text,
    };
    (!title.is_empty()).then(|| title.to_string())
}

/// `_turns`: (speaker, lines) per labelled turn; a line that is not blank continues the turn
/// above it, and lines above the first turn are dropped.
fn turns<'a, S: AsRef<str>>(lines: &'a [S]) -> Vec<(Who, Vec<&'a str>)> {
    let mut turns: Vec<(Who, Vec<&'a str>)> = Vec::new();
    for line in lines.iter().map(AsRef::as_ref) {
        if let Some((who, text)) = turn(line) {
            let body = if text.is_empty() { vec![] } else { vec![text] };
            turns.push((who, body));
        } else if let Some(last) = turns.last_mut().filter(|_| !line.is_empty()) {
            last.1.push(line);
        }
    }
    turns
}

/// `parse`: one consultation's title, question, answers and the patient's later turns. Every
/// reject blames the block's first line.
pub fn parse<S: AsRef<str>>(lines: &[S], table: &Table) -> Result<Page, Reject> {
    let n = lines
        .first()
        .and_then(|l| ID.captures(l.as_ref()))
        .and_then(|m| m.name("n").map(|n| n.as_str()))
        .ok_or_else(|| {
            Reject::new(
                "not a MedDialog consultation: the block does not start with 'id=N'",
                Some(1),
            )
        })?;
    let block = format!("consultation id={n}");
    let Some(dialogue) = lines.iter().position(|l| is_dialogue(l.as_ref())) else {
        return Err(Reject::new(
            format!("{block} has no 'Dialogue' section"),
            Some(1),
        ));
    };
    let head: Vec<&str> = lines[1..dialogue].iter().map(AsRef::as_ref).collect();
    let mut page = Page {
        title: description(&head),
        ..Page::default()
    };
    let turns = turns(&lines[dialogue + 1..]);
    let Some((Who::Patient, question)) = turns.first().filter(|t| !t.1.is_empty()) else {
        return Err(Reject::new(
            format!("no question: {block} has no Patient turn before the doctor's"),
            Some(1),
        ));
    };
    page.question_text = join_lines(question);
    for (who, body) in &turns[1..] {
        if *who == Who::Patient {
            page.follow_ups.push(FollowUp {
                text: join_lines(body),
                after_answer: page.answers.len().checked_sub(1),
            });
            continue;
        }
        let (body, name, role, _) = split_signature(body, None, table);
        if let Some(text) = join_lines(&body) {
            page.answers.push(Answer {
                author: name,
                role,
                text,
            });
        }
    }
    if page.answers.is_empty() {
        return Err(Reject::new(
            format!("no answer: {block} has no Doctor turn"),
            Some(1),
        ));
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "id=10\nhttps://x.org/q/10\nDescription\nQ.  Can I run?\nDialogue\n\
        Patient:\nMy knee hurts.\nCan I run?\nDoctor:\nRest a week.\nRegards,\nDr. Ana Ruiz\n\
        Patient: Thanks. And swim?\nDoctor: Yes.\n\nid=11\nDescription:\nDialogue :\nPatient: a\n";

    fn table() -> Table {
        Table::default()
    }

    fn reason(lines: &[&str]) -> (String, Option<usize>) {
        let r = parse(lines, &table()).expect_err("a reject");
        (r.reason, r.line)
    }

    #[test]
    fn labels_as_python() {
        assert!(is_id("id=12") && is_id("id \u{3000}= ١٢") && is_id("id=1\n"));
        assert!(!is_id("id=") && !is_id("ID=1") && !is_id("id=1a") && !is_id("id=²"));
        assert!(
            is_dialogue("Dialogue") && is_dialogue("Dialogue\u{1c}:") && !is_dialogue("dialogue")
        );
        assert!(is_description("Description :") && !is_description("Description: x"));
        assert!(URL.is_match("https://x.org/a") && URL.is_match("http://x\n"));
        assert!(
            !URL.is_match("https://x.org a")
                && !URL.is_match("https://")
                && !URL.is_match("ftp://x")
        );
        assert_eq!(turn("Patient:"), Some((Who::Patient, "")));
        assert_eq!(turn("Doctor \u{85}:  Rest."), Some((Who::Doctor, "Rest.")));
        assert_eq!(turn("Patient: a\n"), Some((Who::Patient, "a")));
        assert_eq!(turn("Patient: a\nb"), None);
        assert_eq!(turn("patient: a"), None, "the labels are case-sensitive");
        assert_eq!(turn("Patients: a"), None);
    }

    #[test]
    fn detection() {
        let lines = lines_of(FILE);
        assert!(detect(&lines));
        assert!(detect(&["", "id=1", "Dialogue"]));
        assert!(!detect(&["x", "id=1", "Dialogue"]));
        assert!(!detect(&["id=1", "Patient: a", "Doctor: b"]));
        // the label must be among the first 300 lines
        let mut far = vec!["id=1"; 1];
        far.extend(["x"; 299]);
        far.push("Dialogue");
        assert!(!detect(&far));
        far.remove(1);
        assert!(detect(&far));
    }

    #[test]
    fn a_file_is_split_into_its_consultations() {
        let got = pages(FILE);
        assert_eq!(
            got.iter().map(|p| p.0).collect::<Vec<_>>(),
            [1, 16],
            "each with the line it starts on"
        );
        assert!(got[0].1.starts_with("id=10\n") && got[0].1.ends_with("Doctor: Yes.\n"));
        assert_eq!(got[1].1, "id=11\nDescription:\nDialogue :\nPatient: a\n");
        // text before the first block is a page of its own; blank lines before it are not
        assert_eq!(
            pages("note\nid=1\nx"),
            [(1, "note".into()), (2, "id=1\nx".into())]
        );
        assert_eq!(pages("\n \nid=1\nx"), [(3, "id=1\nx".into())]);
        assert_eq!(pages("no block"), [(1, "no block".into())]);
        assert_eq!(pages(""), [(1, String::new())]);
        // lines as lines_of gives them: a BOM dropped, \r\n and \r ends, each line stripped
        assert_eq!(
            pages("\u{feff}id=1 \r\n a\rid=2\n"),
            [(1, "id=1\na".into()), (3, "id=2\n".into())]
        );
    }

    #[test]
    fn a_consultation() {
        let page = &pages(FILE)[0].1;
        let lines = lines_of(page);
        let got = parse(&lines, &table()).expect("a page");
        assert_eq!(got.title.as_deref(), Some("Can I run?"), "Q. dropped");
        assert_eq!(
            got.question_text.as_deref(),
            Some("My knee hurts.\nCan I run?")
        );
        assert_eq!(
            got.answers,
            [
                Answer {
                    author: Some("Dr. Ana Ruiz".into()),
                    role: None,
                    text: "Rest a week.".into()
                },
                Answer {
                    author: None,
                    role: None,
                    text: "Yes.".into()
                }
            ]
        );
        assert_eq!(
            got.follow_ups,
            [FollowUp {
                text: Some("Thanks. And swim?".into()),
                after_answer: Some(0)
            }]
        );
        assert_eq!(got.cut, None);
    }

    #[test]
    fn descriptions() {
        assert_eq!(
            description(&["https://x.org/1", "Description", "Why", "", "so?"]).as_deref(),
            Some("Why so?")
        );
        assert_eq!(description(&["Q.\u{a0}Why?"]).as_deref(), Some("Why?"));
        assert_eq!(description(&["Q."]), None);
        assert_eq!(description(&["Q.x Q. y"]).as_deref(), Some("x Q. y"));
        assert_eq!(description(&["q. Why?"]).as_deref(), Some("q. Why?"));
        assert_eq!(description(&["Description", "https://x.org"]), None);
    }

    #[test]
    fn later_turns() {
        let lines = [
            "id=1",
            "Dialogue",
            "stray",
            "Patient: a",
            "Patient:",
            "Doctor:",
            "Doctor: b",
            "Patient:",
            "x",
        ];
        let got = parse(&lines, &table()).expect("a page");
        // lines above the first turn are dropped; an empty patient turn is a follow-up with
        // no text, an empty doctor turn no answer
        assert!(reason(&lines[..3]).0.starts_with("no question"));
        assert_eq!(got.question_text.as_deref(), Some("a"));
        assert_eq!(
            got.follow_ups,
            [
                FollowUp {
                    text: None,
                    after_answer: None
                },
                FollowUp {
                    text: Some("x".into()),
                    after_answer: Some(0)
                }
            ]
        );
        assert_eq!(got.answers.len(), 1);
    }

    #[test]
    fn rejects_blame_the_blocks_first_line() {
        let block = "consultation id=٣";
        assert_eq!(
            reason(&["x", "id=1"]),
            (
                "not a MedDialog consultation: the block does not start with 'id=N'".into(),
                Some(1)
            )
        );
        assert_eq!(reason(&[]).0, reason(&[""]).0);
        assert_eq!(
            reason(&["id=٣", "Description", "Patient: a"]),
            (format!("{block} has no 'Dialogue' section"), Some(1))
        );
        let no_question = (
            format!("no question: {block} has no Patient turn before the doctor's"),
            Some(1),
        );
        assert_eq!(reason(&["id=٣", "Dialogue"]), no_question);
        assert_eq!(
            reason(&["id=٣", "Dialogue", "Patient:", "", "Doctor: b"]),
            no_question
        );
        assert_eq!(
            reason(&["id=٣", "Dialogue", "Doctor: b", "Patient: a"]),
            no_question
        );
        assert_eq!(
            reason(&["id=٣", "Dialogue", "Patient: a", "Doctor:", ""]),
            (format!("no answer: {block} has no Doctor turn"), Some(1))
        );
    }
}
