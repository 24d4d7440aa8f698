//! A record in the core: an ordered JSON value, its fields in the schema's order (the order of
//! Python's `schema.blank()`), so that a record built here and one built in Python are the same
//! dict, key for key. The schema stays the one definition: the blanks come from Python's
//! `schema.blank()` and `schema.blank_item()`, never written down here.

use serde_json::{Map, Value};

/// The list fields of a record whose items have a blank of their own.
pub const ITEM_FIELDS: [&str; 3] = ["answers", "follow_ups", "related"];

/// Blank values from the schema: a whole record and an item of each list field.
#[derive(Debug, Clone)]
pub struct Blanks {
    record: Value,
    items: [Value; 3],
}

impl Blanks {
    /// From the JSON of `schema.blank()` and of `schema.blank_item(f)` for each of `ITEM_FIELDS`.
    pub fn from_json(record: &str, items: &[&str; 3]) -> Result<Self, String> {
        let parse = |text: &str| -> Result<Value, String> {
            let value: Value =
                serde_json::from_str(text).map_err(|e| format!("a blank record: {e}"))?;
            if value.is_object() {
                Ok(value)
            } else {
                Err("a blank record must be a JSON object".into())
            }
        };
        Ok(Self {
            record: parse(record)?,
            items: [parse(items[0])?, parse(items[1])?, parse(items[2])?],
        })
    }

    /// A new blank record: every field present, unknowns null, lists empty.
    pub fn record(&self) -> Map<String, Value> {
        match &self.record {
            Value::Object(map) => map.clone(),
            _ => unreachable!("checked in from_json"),
        }
    }

    /// A new blank item of the list field `field` (one of `ITEM_FIELDS`).
    pub fn item(&self, field: &str) -> Map<String, Value> {
        let k = ITEM_FIELDS
            .iter()
            .position(|f| *f == field)
            .unwrap_or_else(|| panic!("{field} is not a list field of a record"));
        match &self.items[k] {
            Value::Object(map) => map.clone(),
            _ => unreachable!("checked in from_json"),
        }
    }
}

/// A string value, or null.
pub fn text(value: Option<impl Into<String>>) -> Value {
    value.map_or(Value::Null, |v| Value::String(v.into()))
}

/// The string at `key` of an object (None when absent, null or not a string).
pub fn get_str<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Blanks of the schema's shape as the tests need them (the build reads them from the schema).
    pub(crate) fn blanks() -> Blanks {
        let record = r#"{"id": null, "source": null, "title": null, "headline": null,
            "specialty": null,
            "question": {"text": null, "text_repaired": null, "date": null,
                         "asker": {"name": null, "age_range": null, "sex": null}},
            "answers": [], "follow_ups": [], "related": [], "more_info": null,
            "complete": null, "incomplete_reason": null,
            "provenance": {"file": null, "line": null, "sha256": null, "parser": null,
                           "url": null, "captured": null}}"#;
        let answer = r#"{"author": null, "role": null, "specialty": null, "summary": null,
            "text": null, "text_repaired": null, "text_clean": null, "complete": null,
            "date": null}"#;
        let follow_up = r#"{"role": null, "text": null, "questions": [], "after_answer": null}"#;
        let related = r#"{"kind": null, "title": null, "specialty": null, "author": null,
            "question_excerpt": null, "answer_excerpt": null}"#;
        Blanks::from_json(record, &[answer, follow_up, related]).unwrap()
    }

    #[test]
    fn blanks_keep_the_schemas_order_and_are_new_each_time() {
        let b = blanks();
        let mut one = b.record();
        let keys: Vec<&str> = one.keys().map(String::as_str).collect();
        assert_eq!(&keys[..3], &["id", "source", "title"]);
        assert_eq!(keys.last(), Some(&"provenance"));
        one.insert("title".into(), text(Some("x")));
        assert_eq!(b.record()["title"], Value::Null);
        assert_eq!(b.item("follow_ups")["questions"], Value::Array(vec![]));
    }

    #[test]
    fn a_blank_that_is_not_an_object_is_refused() {
        assert!(Blanks::from_json("[]", &["{}", "{}", "{}"]).is_err());
        assert!(Blanks::from_json("{", &["{}", "{}", "{}"]).is_err());
    }
}
