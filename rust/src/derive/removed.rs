//! `cleaning.removed`: how many pieces each cleaning rule removed from a record's answers.

use super::{array, field, item, Malformed};
use crate::cleaning::{answers_cleaned, Counts};
use crate::text::strip;
use serde_json::{Map, Value};

/// The top-level fields `removed` reads.
pub const FIELDS: &[&str] = &["answers", "source"];

/// `(part.get("text_repaired") or part.get("text") or "").strip()`: what cleaning starts from.
fn source_text(part: &Map<String, Value>) -> Result<&str, Malformed> {
    for key in ["text_repaired", "text"] {
        match part.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(Value::String(s)) => return Ok(strip(s)),
            Some(_) => return Err(format!("an answer's {key} is not a string")),
        }
    }
    Ok("")
}

/// (rule name, pieces removed) for each rule that removed any, in the order a Python `Counter`
/// first saw them: every rule of the core applies, as `cleaning.clean` asks. The counting is
/// `cleaning::apply`'s (the parse's cleaning gives it for the core's own pages); this checks the
/// shapes Python's function read first, for a record that comes from Python.
pub fn removed(record: &Map<String, Value>) -> Result<Counts, Malformed> {
    let answers = array(record, "answers")?;
    if answers.is_empty() {
        return Ok(vec![]); // Python's generator never read the source then
    }
    if !matches!(field(record, "source")?, Value::String(_)) {
        return Err("source is not a string".into());
    }
    for k in 0..answers.len() {
        source_text(item(answers, k, "answers")?)?;
    }
    Ok(answers_cleaned(record).1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_record_from_python_is_counted_as_the_parse_counts_after_its_shape_is_checked() {
        let record = json!({"source": "icliniq", "answers": [
            {"text": "Rest.\nThanks. Regards\n\nTake care.", "text_repaired": null},
            {"text": "Welcome to HCM. Rest."},
        ]});
        assert_eq!(
            removed(record.as_object().unwrap()),
            Ok(vec![("closing_formula", 3), ("site_greeting", 1)])
        );
        let odd = json!({"source": "icliniq", "answers": [{"text": 3}]});
        assert!(removed(odd.as_object().unwrap()).is_err());
        let sourceless = json!({"source": null, "answers": [{"text": "Rest."}]});
        assert!(removed(sourceless.as_object().unwrap()).is_err());
    }

    #[test]
    fn the_repaired_text_first_then_the_text_then_nothing() {
        let part = json!({"text_repaired": "", "text": "  a \u{3000}"});
        assert_eq!(source_text(part.as_object().unwrap()), Ok("a"));
        let none = json!({"text_repaired": null, "text": null});
        assert_eq!(source_text(none.as_object().unwrap()), Ok(""));
        let unanswered = json!({"answers": []});
        assert_eq!(removed(unanswered.as_object().unwrap()), Ok(vec![]));
    }
}
