//! The follow-up turns inside a doctor's answer: a run of two or more list items, most of them
//! questions (a request for more information), led in by the line above it.

use crate::text::{digit_value, is_space, strip};

const BULLETS: [char; 6] = ['-', '–', '•', '●', '*', '▪'];

/// `_ITEM.match(line)["body"].strip()` with `_ITEM = ^(?:[-–•●*▪]|\(?\d{1,2}[.)])\s*(?P<body>\S.*)$`:
/// a bulleted or numbered (`1.`, `(2)`, `3)`) line's text, or None when the line is no list item.
fn item(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let rest = match chars.next()? {
        c if BULLETS.contains(&c) => chars.as_str(),
        first => {
            let s = if first == '(' { chars.as_str() } else { line };
            let mut chars = s.chars();
            chars.next().filter(|&c| digit_value(c).is_some())?;
            let after_one = chars.as_str();
            // `\d{1,2}`: a second digit when there is one, then `.` or `)`
            let mut two = after_one.chars();
            let after = match two.next() {
                Some(c) if digit_value(c).is_some() => two.as_str(),
                _ => after_one,
            };
            after.strip_prefix(['.', ')'])?
        }
    };
    // `\s*\S.*$`: text after the mark (no line break in a line, so `.*` takes the rest)
    let body = rest.trim_start_matches(is_space);
    (!body.is_empty()).then(|| strip(body))
}

/// A follow-up turn of a doctor's: the lead-in line (None for a run that starts the answer) and the
/// questions (the run's items).
pub type Turn = (Option<String>, Vec<String>);

/// Every run of two or more list items, most of them questions, in an answer (lines split on `\n`).
pub fn doctor_follow_ups(answer: &str) -> Vec<Turn> {
    let lines: Vec<&str> = answer.split('\n').collect();
    let mut turns = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let run: Vec<&str> = lines[i..].iter().map_while(|l| item(l)).collect();
        let asks = run.iter().filter(|item| item.contains('?')).count();
        if run.len() >= 2 && asks * 2 > run.len() {
            let lead_in = i.checked_sub(1).map(|k| lines[k].to_string());
            turns.push((lead_in, run.iter().map(|s| s.to_string()).collect()));
        }
        i += run.len().max(1);
    }
    turns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items() {
        assert_eq!(item("- Is it red? "), Some("Is it red?"));
        assert_eq!(item("(12)\u{3000}Any fever?"), Some("Any fever?"));
        assert_eq!(item("٣. Since when?"), Some("Since when?"));
        assert_eq!(item("3)x"), Some("x"));
        assert_eq!(item("123. x"), None);
        assert_eq!(item("(1 x"), None);
        assert_eq!(item("- "), None);
        assert_eq!(item("-"), None);
        assert_eq!(item("². x"), None);
        assert_eq!(item("Is it red?"), None);
        assert_eq!(item(""), None);
    }

    #[test]
    fn a_list_run_of_questions_becomes_a_doctor_turn() {
        let answer =
            "Hello.\nKindly let me know:\n1. Any fever?\n2. Since when?\n3. Weight\nTake care.";
        assert_eq!(
            doctor_follow_ups(answer),
            [(
                Some("Kindly let me know:".to_string()),
                vec!["Any fever?".into(), "Since when?".into(), "Weight".into()]
            )]
        );
        assert_eq!(
            doctor_follow_ups("- a?\n- b?\n\n- c?\n- d?"),
            [
                (None, vec!["a?".into(), "b?".into()]),
                (Some(String::new()), vec!["c?".into(), "d?".into()])
            ]
        );
    }

    #[test]
    fn a_run_of_statements_or_a_single_question_is_no_turn() {
        assert!(doctor_follow_ups("Advice:\n- Rest.\n- Drink water.\n- Any fever?").is_empty());
        assert!(doctor_follow_ups("Tell me:\n- Any fever?").is_empty());
        assert!(doctor_follow_ups("- a?\n- b.").is_empty()); // one of two is not most
        assert!(doctor_follow_ups("").is_empty());
    }
}
