//! `question_sentences`: the sentences of a text that ask something, for a patient's later turn.

use crate::text::{is_space, strip};

fn ends_run(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\n')
}

/// `_QUESTION.findall(text)` with `_QUESTION = (?<![^.!?\n])[^.!?\n]*+\?+`: each run of text that
/// starts the text or follows an end mark (`.!?` or a line break) and ends in `?`s, with them. One
/// pass: a run is only tried where one starts, never from inside another.
fn question_runs(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut start = 0;
    while start <= text.len() {
        let end = text[start..]
            .find(ends_run)
            .map_or(text.len(), |k| start + k);
        if end == text.len() {
            break;
        }
        if text.as_bytes()[end] == b'?' {
            let marks = text[end..].bytes().take_while(|&b| b == b'?').count();
            found.push(&text[start..end + marks]);
            start = end + marks;
        } else {
            start = end + 1;
        }
    }
    found
}

/// The sentences of a text that ask something (end in `?`), stripped, in order; a one-word one
/// ("Why?", "?") is no question of its own.
pub fn question_sentences(text: Option<&str>) -> Vec<String> {
    question_runs(text.unwrap_or(""))
        .into_iter()
        .map(strip)
        .filter(|s| s.split(is_space).filter(|w| !w.is_empty()).nth(1).is_some())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<String> {
        question_sentences(Some(text))
    }

    #[test]
    fn a_two_word_question_is_kept_a_one_word_one_dropped() {
        assert_eq!(q("Is it bad? Why? Thanks."), ["Is it bad?"]);
        assert_eq!(q("It hurts. Is it bad??"), ["Is it bad??"]);
        assert_eq!(q("Why\u{3000}not?"), ["Why\u{3000}not?"]);
        assert!(q("Why?").is_empty() && q("?").is_empty() && q("").is_empty());
        assert!(question_sentences(None).is_empty());
    }

    #[test]
    fn a_run_starts_after_an_end_mark_or_a_line_break() {
        assert_eq!(q("ok\nwhat now? and then?"), ["what now?", "and then?"]);
        // "x." ends its run, so "x.?" asks nothing of two words
        assert_eq!(question_runs("x.?"), ["?"]);
        assert_eq!(question_runs("no mark at all"), Vec::<&str>::new());
        assert_eq!(q("a b! c d?"), ["c d?"]);
    }

    #[test]
    fn a_long_run_without_punctuation_is_one_pass() {
        let text = "word ".repeat(200_000) + "? And this one?";
        let got = q(&text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], "And this one?");
    }
}
