//! `cleaning.apply`: each answer of a parsed record gets its clean text (`text_clean`) and whether
//! it is whole (`complete`), what the rules of this module and the page's cut say.

use super::{clean, Kind, RULES};
use crate::text::{looks_cut, strip};
use serde_json::{Map, Value};

/// The reasons a parser gives when the page was cut inside its last answer.
pub const CUT_INSIDE_ANSWER: [&str; 1] = ["page ends inside the answer"];

/// `_source_text`: what the rules clean, the repaired text where the parser repaired it.
fn source_text(answer: &Value) -> &str {
    let nonempty = |key: &str| {
        answer
            .get(key)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
    };
    strip(
        nonempty("text_repaired")
            .or_else(|| nonempty("text"))
            .unwrap_or(""),
    )
}

/// Python's truth of a JSON value, for `not record["complete"]`.
fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// Pieces the rules removed from a record's answers, by rule name, in the order a Python
/// `Counter` first saw them (`cleaning.removed`).
pub type Counts = Vec<(&'static str, usize)>;

/// Each answer's (clean text, complete), in order, and the pieces removed. An answer is not
/// complete when the page was cut inside it (its last, with no signature or page part closing
/// it), or when its clean text ends mid-sentence.
pub fn answers(record: &Map<String, Value>) -> (Vec<(String, bool)>, Counts) {
    let source = record.get("source").and_then(Value::as_str).unwrap_or("");
    let enabled: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    let answers = record
        .get("answers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let cut_inside = !truthy(record.get("complete"))
        && record
            .get("incomplete_reason")
            .and_then(Value::as_str)
            .is_some_and(|r| CUT_INSIDE_ANSWER.contains(&r));
    let mut counts: Counts = Vec::new();
    let done = answers
        .iter()
        .enumerate()
        .map(|(k, answer)| {
            let (text, removed) = clean(source_text(answer), source, &enabled);
            for (name, _) in &removed {
                match counts.iter_mut().find(|(n, _)| n == name) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((name, 1)),
                }
            }
            let signed = removed.iter().any(|(name, _)| {
                RULES
                    .iter()
                    .any(|r| r.kind == Kind::Tail && r.name == *name)
            });
            let complete = if cut_inside && k + 1 == answers.len() && !signed {
                false
            } else {
                !looks_cut(text.rsplit('\n').next().unwrap_or_default())
            };
            (text, complete)
        })
        .collect();
    (done, counts)
}

/// `apply`: `text_clean` and `complete` of every answer filled in; what the rules removed is
/// returned, so the build counts it without cleaning again.
pub fn apply(record: &mut Map<String, Value>) -> Counts {
    let (done, removed) = answers(record);
    if let Some(Value::Array(items)) = record.get_mut("answers") {
        for (answer, (text, complete)) in items.iter_mut().zip(done) {
            if let Value::Object(answer) = answer {
                answer.insert("text_clean".into(), Value::String(text));
                answer.insert("complete".into(), Value::Bool(complete));
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(answers: Value, complete: bool, reason: Option<&str>) -> Map<String, Value> {
        match json!({"source": "askadoctor_free", "answers": answers, "complete": complete,
                     "incomplete_reason": reason})
        {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn what_is_removed_is_counted_by_rule_in_the_order_first_seen() {
        let mut r = record(
            json!([
                {"text": "Rest.\nThanks. Regards\n\nTake care.", "text_repaired": null},
                {"text": "x", "text_repaired": "Rest.\nHope this helps."},
                {"text": "Welcome to HCM. Rest."},
            ]),
            true,
            None,
        );
        r.insert("source".into(), json!("icliniq"));
        // by rule, in the order first seen: three closing formulas in the first answer, one in
        // the repaired text of the second (not its text), the site's greeting in the third
        assert_eq!(
            apply(&mut r),
            [("closing_formula", 4), ("site_greeting", 1)]
        );
    }

    #[test]
    fn the_repaired_text_is_cleaned_where_there_is_one() {
        let mut r = record(
            json!([{"text": "Hi.  Take rest.", "text_repaired": "  Take rest.  ", "text_clean": null,
                    "complete": null}]),
            true,
            None,
        );
        apply(&mut r);
        assert_eq!(r["answers"][0]["text_clean"], "Take rest.");
        assert_eq!(r["answers"][0]["complete"], true);
        let mut empty = record(
            json!([{"text": "Take rest", "text_repaired": ""}]),
            true,
            None,
        );
        apply(&mut empty);
        assert_eq!(empty["answers"][0]["text_clean"], "Take rest");
        assert_eq!(empty["answers"][0]["complete"], false); // ends mid-sentence
    }

    #[test]
    fn a_page_cut_inside_its_last_answer_leaves_that_answer_incomplete() {
        let answers = json!([{"text": "Take rest."}, {"text": "Take rest."}]);
        let cut = record(answers.clone(), false, Some("page ends inside the answer"));
        assert_eq!(
            super::answers(&cut)
                .0
                .iter()
                .map(|a| a.1)
                .collect::<Vec<_>>(),
            [true, false]
        );
        let other = record(
            answers,
            false,
            Some("page ends right after a doctor's response header"),
        );
        assert!(super::answers(&other).0.iter().all(|a| a.1));
    }

    #[test]
    fn no_answers_no_work() {
        let mut r = record(json!([]), true, None);
        apply(&mut r);
        assert_eq!(r["answers"], json!([]));
    }
}
