//! `chunk.rank`: orders captures of one page, whole before cut, then more answers, then more text.

use super::{array, field, item, object, opt_str, Malformed};
use serde_json::{Map, Value};

/// The top-level fields `rank` reads.
pub const FIELDS: &[&str] = &["answers", "question", "more_info", "related", "complete"];

/// Python's `len()` of a string: code points.
fn chars(s: &str) -> u64 {
    s.chars().count() as u64
}

/// `complete << 48 | min(answers, 255) << 40 | min(text, 2**40 - 1)`, where text counts the code
/// points of the answers, the question and `more_info`, plus one per related link.
pub fn rank(record: &Map<String, Value>) -> Result<i64, Malformed> {
    let answers = array(record, "answers")?;
    let mut text = 0u64;
    for k in 0..answers.len() {
        // `len(a["text"])`: an answer's text is never null (a null one was a TypeError)
        match field(item(answers, k, "answers")?, "text")? {
            Value::String(s) => text += chars(s),
            _ => return Err("an answer's text is not a string".into()),
        }
    }
    text += opt_str(object(record, "question")?, "text")?.map_or(0, chars);
    text += opt_str(record, "more_info")?.map_or(0, chars);
    text += array(record, "related")?.len() as u64;
    let complete = match field(record, "complete")? {
        Value::Bool(b) => i64::from(*b),
        _ => return Err("complete is not a boolean".into()),
    };
    let answers = answers.len().min(255) as i64;
    Ok((complete << 48) | (answers << 40) | text.min((1 << 40) - 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn whole_before_cut_then_answers_then_code_points_of_text() {
        let r = record(json!({
            "answers": [{"text": "né"}, {"text": "abc"}],
            "question": {"text": "q"}, "more_info": null, "related": [{}, {}], "complete": true,
        }));
        assert_eq!(rank(&r), Ok((1 << 48) | (2 << 40) | (2 + 3 + 1 + 2)));
        let cut = record(json!({
            "answers": [], "question": {"text": null}, "more_info": "xy", "related": [],
            "complete": false,
        }));
        assert_eq!(rank(&cut), Ok(2));
    }

    #[test]
    fn the_counts_are_capped() {
        let long = "a".repeat(10);
        let answers: Vec<Value> = (0..300).map(|_| json!({"text": long})).collect();
        let r = record(json!({
            "answers": answers, "question": {"text": null}, "more_info": null, "related": [],
            "complete": false,
        }));
        assert_eq!(rank(&r), Ok((255 << 40) | 3000));
    }

    #[test]
    fn a_malformed_record_is_an_error_not_a_panic() {
        let r = record(json!({"answers": [{"text": null}]}));
        assert!(rank(&r).is_err());
        assert!(rank(&record(json!({}))).is_err());
    }
}
