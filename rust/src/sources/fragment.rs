//! What a saved answer fragment looks like (once in `medqa_ds/sources/common.py`): the cues that
//! tell a doctor's reply, saved without its page, from any other text.

use super::pyre::{bounded, ignorecase};
use super::signature::is_signature;
use crate::text::DIGIT;
use regex::Regex;
use std::sync::LazyLock;

/// BRAND (re.I): the Q&A sites' names.
static BRAND: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&bounded(
        r"HCM|health<s>?care<s>?magic|askadoctor24x7|ask a doctor<s>*-?<s>*24x7",
    ))
});

/// _GREETING without its lookahead (re.I), anchored: a doctor's opening, "Hello!", "Hi & Welcome.",
/// "Thank you for posting your query"; the greeting word ends where the group does.
static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?P<word>hi|hello|hey|dear|greetings|welcome|thanks?|thank you|good (?:morning|afternoon|evening))(?:<nw>|\z)",
    )
});

/// _GREETING's lookahead `(?!.*\b(?:doctor|dr|sir|madam|doc)\b)`, searched in the rest of the
/// line after the greeting word (which ends in a word character, so a word right after it has
/// no boundary before it: the non-word character before the name is required, not the edge).
static ADDRESSEE: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(r"<nw>(?:doctor|dr|sir|madam|doc)(?:<nw>|\z)"));

/// _CLOSING (re.I): a sign-off.
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&bounded(
        r"hope (?:this|that|it|i|to)|wish(?:ing)? you|take care|get well|good health|feel free to|best wishes|feed ?back|stay (?:healthy|safe)",
    ))
});

/// _ADVICE (re.I): advice in a doctor's words, or an instruction opening a (numbered) line.
static ADVICE: LazyLock<Regex> = LazyLock::new(|| {
    let anywhere = bounded(
        r"in your case|you (?:should|need to|are advised|may need|must)|i (?:would )?(?:suggest|advise|recommend)|(?:consult|see|visit) (?:a|your) (?:doctor|physician|specialist|<w>+ologist)",
    );
    let opening = format!(
        r"\A(?:{DIGIT}{{1,2}}[.)]<s>*)?(?:avoid|take|drink|do not|don't|make sure|apply)(?:<nw>|\z)"
    );
    ignorecase(&format!("{anywhere}|{opening}"))
});

/// _ANSWERER (re.I): a doctor speaking as the one who answers, "very pleased to answer you".
static ANSWERER: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(&bounded(
        r"(?:pleased|glad|happy) to (?:answer|help|assist) you",
    ))
});

/// `BRAND.search(line)`: the line names HealthCareMagic or askadoctor24x7.
pub fn has_brand(line: &str) -> bool {
    BRAND.is_match(line)
}

/// `_GREETING.match(line)`: the line opens with a greeting that addresses no doctor ("Hi
/// doctor," is the patient's).
fn greets(line: &str) -> bool {
    GREETING.captures(line).is_some_and(|m| {
        let rest = &line[m.get(1).map_or(0, |g| g.end())..];
        let rest = rest.split('\n').next().unwrap_or_default(); // `.` stops at a newline
        !ADDRESSEE.is_match(rest)
    })
}

/// `reads_as_answer`: a text reads like a doctor's reply: the shape of one (a greeting, a sign-off,
/// a signature line) backed by one more cue (a site's brand, advice), or two lines of advice.
pub fn reads_as_answer<S: AsRef<str>>(lines: &[S]) -> bool {
    let lines: Vec<&str> = lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| !l.is_empty())
        .collect();
    let Some(&last) = lines.last() else {
        return false;
    };
    let shape = usize::from(lines.iter().take(2).any(|l| greets(l)))
        + usize::from(
            lines[lines.len().saturating_sub(3)..]
                .iter()
                .any(|l| CLOSING.is_match(l)),
        )
        + usize::from(is_signature(last));
    let advice = lines.iter().filter(|l| ADVICE.is_match(l)).take(2).count();
    let brand =
        lines.iter().any(|l| has_brand(l)) || lines.iter().take(3).any(|l| ANSWERER.is_match(l));
    advice >= 2 || (shape >= 1 && shape + advice + usize::from(brand) >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands() {
        for line in [
            "Thanks for using HCM.",
            "HealthCare Magic",
            "healthcaremagic",
            "Ask a Doctor - 24x7",
            "ASKADOCTOR24X7",
        ] {
            assert!(has_brand(line), "{line}");
        }
        for line in ["HCMs", "healthcaremagical", "ask a doctor", "x_hcm", ""] {
            assert!(!has_brand(line), "{line}");
        }
        // İ folds to i as in Python; a combining mark is no word character for Python's \b
        assert!(has_brand("health care magİc") && has_brand("HCM\u{301}"));
    }

    #[test]
    fn greetings() {
        for line in [
            "Hello!",
            "Hi & Welcome.",
            "Thank you for posting your query",
            "thanks",
            "Good evening, dear",
            "Hi doctors",
            "Hi\ndoctor",
            "Hİ there",
        ] {
            assert!(greets(line), "{line:?}");
        }
        // a greeting naming the doctor is the patient's; the word must end where it does
        for line in [
            "Hi doctor,",
            "Hello Dr. Ana",
            "Thank you sir",
            "dear doc",
            "Hiya",
            "Hidoctor ok",
            "Thanksgiving",
            "Good day",
            "Hi there, Dİ mr sİr",
        ] {
            assert!(!greets(line), "{line:?}");
        }
    }

    #[test]
    fn advice_lines() {
        for line in [
            "In your case it is mild.",
            "You should rest",
            "I would suggest an x-ray",
            "see a cardiologist",
            "2. Avoid sugar",
            "Don't worry",
        ] {
            assert!(ADVICE.is_match(line), "{line}");
        }
        for line in [
            "Rest.",
            "we see a doctors office",
            "123. Avoid",
            "Avoidance",
            "yes in your cases",
        ] {
            assert!(!ADVICE.is_match(line), "{line}");
        }
    }

    #[test]
    fn what_reads_as_an_answer() {
        // two lines of advice, blank lines aside
        assert!(reads_as_answer(&[
            "You should rest.",
            "",
            "Avoid spicy food."
        ]));
        // a shape (greeting, sign-off, signature) and one more cue
        assert!(reads_as_answer(&["Hello,", "You should rest."]));
        assert!(reads_as_answer(&["Hello,", "It is fine.", "Take care."]));
        assert!(reads_as_answer(&["Thanks for using HCM.", "It is fine."]));
        assert!(reads_as_answer(&["Hi, glad to help you.", "It is fine."]));
        // a signature alone, or a brand without a shape, is not enough
        assert!(!reads_as_answer(&["It is fine.", "Dr Ana"]));
        assert!(!reads_as_answer(&["It is fine, HCM.", "Nothing more."]));
        // a greeting naming the doctor does not count: the patient's question
        assert!(!reads_as_answer(&[
            "Hi doctor,",
            "I have a cough. HCM said so."
        ]));
        assert!(!reads_as_answer::<&str>(&[]) && !reads_as_answer(&["", ""]));
    }
}
