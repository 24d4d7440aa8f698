//! `neardup.text`: what the asker wrote, the text a record's MinHash signature is of.

use super::{array, field, item, object, opt_str, Malformed};
use serde_json::{Map, Value};

/// The top-level fields `text` reads.
pub const FIELDS: &[&str] = &["title", "question", "answers"];

/// `f"{title or ''} {body}"`, the body being the question's text, or else the first answer's
/// text, or else "". Python quirk reproduced: a first answer whose text is null gives "None".
pub fn text(record: &Map<String, Value>) -> Result<String, Malformed> {
    let title = opt_str(record, "title")?.unwrap_or("");
    let question = opt_str(object(record, "question")?, "text")?.filter(|t| !t.is_empty());
    let answers = array(record, "answers")?;
    let body = match question {
        Some(q) => q,
        None if answers.is_empty() => "",
        None => match field(item(answers, 0, "answers")?, "text")? {
            Value::Null => "None",
            Value::String(s) => s,
            _ => return Err("an answer's text is not a string".into()),
        },
    };
    Ok(format!("{title} {body}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn the_question_or_else_the_first_answer() {
        let q = record(json!({"title": "Knee pain", "question": {"text": "Rest?"}, "answers": []}));
        assert_eq!(text(&q).unwrap(), "Knee pain Rest?");
        let a = record(json!({"title": null, "question": {"text": ""},
                              "answers": [{"text": "Rest."}, {"text": "No."}]}));
        assert_eq!(text(&a).unwrap(), " Rest.");
        let none = record(json!({"title": "T", "question": {"text": null}, "answers": []}));
        assert_eq!(text(&none).unwrap(), "T ");
        let null =
            record(json!({"title": "T", "question": {"text": null}, "answers": [{"text": null}]}));
        assert_eq!(text(&null).unwrap(), "T None");
    }
}
