//! `cleaning.removed`: how many pieces each cleaning rule removed from a record's answers.

use super::{array, field, item, Malformed};
use crate::cleaning::{clean, RULES};
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
/// first saw them: every rule of the core applies, as `cleaning.clean` asks.
pub fn removed(record: &Map<String, Value>) -> Result<Vec<(&'static str, usize)>, Malformed> {
    let answers = array(record, "answers")?;
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    if answers.is_empty() {
        return Ok(counts); // Python's generator never read the source then
    }
    let source = match field(record, "source")? {
        Value::String(s) => s.as_str(),
        _ => return Err("source is not a string".into()),
    };
    let every: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    for k in 0..answers.len() {
        let (_, pieces) = clean(source_text(item(answers, k, "answers")?)?, source, &every);
        for (name, _) in pieces {
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, n)) => *n += 1,
                None => counts.push((name, 1)),
            }
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pieces_are_counted_by_rule_in_the_order_first_seen() {
        let record = json!({"source": "icliniq", "answers": [
            {"text": "Rest.\nThanks. Regards\n\nTake care.", "text_repaired": null},
            {"text": "x", "text_repaired": "Rest.\nHope this helps."},
            {"text": "Welcome to HCM. Rest."},
        ]});
        let got = removed(record.as_object().unwrap()).unwrap();
        let total: usize = got.iter().map(|(_, n)| n).sum();
        assert_eq!(total, 3 + 1 + 1);
        assert_eq!(got[0].0, "closing_formula");
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
