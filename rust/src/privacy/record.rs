//! The step over a whole record (`privacy.deidentify`), on the core's record value: the walk that
//! finds the free-text slots (every non-empty string whose dotted path is not in `NOT_TEXT`, in the
//! record's key order, a list's items taking the list's path; `provenance.url` cleaned alone), the
//! step over them (`step::deidentify`), and the copy with the cleaned texts written back, the
//! asker's name dropped, the doctors replaced with `redact_doctors` and the file's name cleaned.
//! Pure Rust: a thread pool runs it with the GIL released, each thread with its own `Confirm`.

use super::step::{deidentify, Policy, Record, NOT_TEXT};
use super::typed::Confirm;
use serde_json::{Map, Value};
use std::fmt;

/// Why a record gives no de-identified copy.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// The record lacks a part the step reads, or holds one of another type (Python's step
    /// raised KeyError or TypeError there).
    Shape(String),
    /// The step's own failure (a page's doctor mask naming no mask: Python's IndexError).
    Step(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Shape(why) | Failure::Step(why) => f.write_str(why),
        }
    }
}

/// A de-identified copy of a record and what was replaced: by kind and by top-level field
/// (positive counts, in the order a Python `Counter` first saw each key).
#[derive(Debug, PartialEq)]
pub struct Deidentified {
    pub record: Map<String, Value>,
    pub by_kind: Vec<(String, i64)>,
    pub by_field: Vec<(String, i64)>,
}

/// `f(text, top-level field, alone)` for every string of `map` whose path (`path`, a buffer the
/// walk extends and restores) is not in `NOT_TEXT`, in key order; the non-empty ones are the
/// slots. `prov`: `map` is the record's `provenance`, whose `url` is cleaned alone.
fn each_text(
    map: &mut Map<String, Value>,
    path: &mut String,
    prov: bool,
    f: &mut impl FnMut(&mut String, &str, bool),
) {
    let top = path.is_empty();
    for (key, value) in map.iter_mut() {
        let len = path.len();
        if !top {
            path.push('.');
        }
        path.push_str(key);
        match value {
            Value::Object(inner) => each_text(inner, path, top && key == "provenance", f),
            Value::Array(items) => each_item(items, path, f),
            Value::String(text) => at_path(text, path, prov && key == "url", f),
            _ => {}
        }
        path.truncate(len);
    }
}

/// `each_text` over a list's items, which take the list's path (and are never alone).
fn each_item(items: &mut [Value], path: &mut String, f: &mut impl FnMut(&mut String, &str, bool)) {
    for value in items {
        match value {
            Value::Object(inner) => each_text(inner, path, false, f),
            Value::Array(inner) => each_item(inner, path, f),
            Value::String(text) => at_path(text, path, false, f),
            _ => {}
        }
    }
}

fn at_path(
    text: &mut String,
    path: &str,
    alone: bool,
    f: &mut impl FnMut(&mut String, &str, bool),
) {
    if !NOT_TEXT.contains(&path) {
        f(text, path.split('.').next().unwrap_or_default(), alone)
    }
}

fn shape(what: &str) -> Failure {
    Failure::Shape(format!("a record's {what}"))
}

/// The object at `key` of `map`.
fn object_at<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
    what: &str,
) -> Result<&'a mut Map<String, Value>, Failure> {
    map.get_mut(key)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| shape(&format!("{what} must be an object")))
}

/// `deidentify`: `record` with patients' names and identifiers replaced, and the replacements
/// counted. It takes the record (a caller that keeps the original hands over a clone: the
/// binding's record is its own conversion of the dict, which it gives up).
pub fn deidentify_record<C: Confirm>(
    policy: &mut Policy<'_, C>,
    record: Map<String, Value>,
) -> Result<Deidentified, Failure> {
    let mut out = record;
    // The slots' texts are taken out of the record (not copied) and the cleaned ones put back
    // where they were: `slot` notes which of the strings the walk visits were slots.
    let (mut texts, mut fields, mut alone, mut slot) = (vec![], vec![], None, vec![]);
    each_text(
        &mut out,
        &mut String::new(),
        false,
        &mut |text, field, is_alone| {
            slot.push(!text.is_empty());
            if text.is_empty() {
                return;
            }
            if is_alone && alone.is_none() {
                alone = Some(texts.len());
            }
            texts.push(std::mem::take(text));
            fields.push(field.to_string());
        },
    );
    let asker = match object_at(
        object_at(&mut out, "question", "question")?,
        "asker",
        "asker",
    )?
    .get("name")
    {
        None => return Err(shape("question.asker has no name")),
        Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => return Err(shape("question.asker.name must be a string or null")),
    };
    let mut authors = Vec::new();
    for field in ["answers", "related"] {
        let Some(Value::Array(items)) = out.get(field) else {
            return Err(shape(&format!("{field} must be a list")));
        };
        for (k, item) in items.iter().enumerate() {
            match item.get("author") {
                Some(Value::String(name)) if !name.is_empty() => {
                    authors.push((field, k, name.clone()))
                }
                Some(Value::String(_) | Value::Null) => {}
                // Python took any other truthy author for a str and raised there; a falsy one
                // (false, 0, [], {}) it passed over.
                Some(Value::Bool(false)) => {}
                Some(Value::Array(a)) if a.is_empty() => {}
                Some(Value::Object(o)) if o.is_empty() => {}
                Some(Value::Number(n)) if n.as_f64() == Some(0.0) => {}
                _ => return Err(shape(&format!("{field}' authors must be strings or null"))),
            }
        }
    }
    let file = match object_at(&mut out, "provenance", "provenance")?.get("file") {
        Some(Value::String(file)) => file.clone(),
        _ => return Err(shape("provenance.file must be a string")),
    };
    let parts = Record {
        texts: texts.iter().map(String::as_str).collect(),
        fields: fields.iter().map(String::as_str).collect(),
        alone,
        asker: asker.as_deref(),
        authors: authors.iter().map(|(f, _, n)| (*f, n.as_str())).collect(),
        file: &file,
    };
    let done = deidentify(policy, &parts).map_err(Failure::Step)?;
    let (mut cleaned, mut slot) = (done.texts.into_iter(), slot.into_iter());
    each_text(&mut out, &mut String::new(), false, &mut |text, _, _| {
        if slot.next() == Some(true) {
            *text = cleaned.next().unwrap_or_default();
        }
    });
    if asker.is_some() {
        let asker = object_at(
            object_at(&mut out, "question", "question")?,
            "asker",
            "asker",
        )?;
        asker.insert("name".into(), Value::Null);
    }
    if policy.redact_doctors {
        for (field, k, _) in &authors {
            if let Some(Value::Object(item)) = out.get_mut(*field).and_then(|v| v.get_mut(*k)) {
                item.insert("author".into(), Value::String("[DOCTOR]".into()));
            }
        }
    }
    object_at(&mut out, "provenance", "provenance")?
        .insert("file".into(), Value::String(done.file));
    Ok(Deidentified {
        record: out,
        by_kind: done.by_kind,
        by_field: done.by_field,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::typed::Refuse;
    use crate::record::tests::blanks;
    use serde_json::json;
    use std::collections::HashSet;

    fn run(record: &Map<String, Value>, redact: bool) -> Result<Deidentified, Failure> {
        let off = HashSet::new();
        let mut no = Refuse;
        let mut policy = Policy {
            off: &off,
            redact_doctors: redact,
            phone_checks: 0,
            confirm: &mut no,
        };
        deidentify_record(&mut policy, record.clone())
    }

    fn record() -> Map<String, Value> {
        let b = blanks();
        let mut r = b.record();
        r["id"] = json!("x-1");
        r["title"] = json!("Mei Ling asks: mail mei@x.com");
        r["question"]["text"] = json!("Dear doctor, I am Mei Ling.");
        r["question"]["asker"]["name"] = json!("Mei Ling");
        let mut answer = b.item("answers");
        answer["author"] = json!("Dr. Lan Shengxing");
        answer["text"] = json!("Dear Mei Ling: rest.");
        answer["text_clean"] = json!("");
        r["answers"] = json!([answer]);
        let mut turn = b.item("follow_ups");
        turn["role"] = json!("patient");
        turn["questions"] = json!(["Mei Ling again?", ""]);
        r["follow_ups"] = json!([turn]);
        r["provenance"]["file"] = json!("by_mei@x.com_1.txt");
        r["provenance"]["url"] = json!("https://x.example/u/mei@x.com");
        r
    }

    #[test]
    fn texts_are_cleaned_in_place_and_the_rest_is_kept() {
        let input = record();
        let done = run(&input, false).unwrap();
        let r = &done.record;
        assert_eq!(r["title"], json!("[PATIENT] asks: mail [EMAIL]"));
        assert_eq!(r["question"]["text"], json!("Dear doctor, I am [PATIENT]."));
        assert_eq!(r["answers"][0]["text"], json!("Dear [PATIENT]: rest."));
        assert_eq!(r["answers"][0]["text_clean"], json!(""));
        assert_eq!(r["answers"][0]["author"], json!("Dr. Lan Shengxing"));
        assert_eq!(
            r["follow_ups"][0]["questions"],
            json!(["[PATIENT] again?", ""])
        );
        assert_eq!(r["question"]["asker"]["name"], Value::Null);
        assert_eq!(r["id"], json!("x-1"));
        assert_eq!(r["provenance"]["file"], json!("by_[EMAIL]_1.txt"));
        assert!(r["provenance"]["url"].as_str().unwrap().contains("[URL]"));
        let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(r), keys(&input));
        assert_eq!(input["question"]["asker"]["name"], json!("Mei Ling"));
        assert_eq!(done.by_kind[0], ("asker_name".to_string(), 1));
        let fields: Vec<&str> = done.by_field.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["title", "question", "answers", "follow_ups", "provenance"]
        );
    }

    #[test]
    fn doctors_are_replaced_with_redact_doctors() {
        let done = run(&record(), true).unwrap();
        assert_eq!(done.record["answers"][0]["author"], json!("[DOCTOR]"));
        assert!(done.by_kind.contains(&("DOCTOR".to_string(), 1)));
    }

    #[test]
    fn not_text_fields_and_an_empty_asker_are_as_python_had_them() {
        let mut r = record();
        r["specialty"] = json!("Mei Ling");
        r["question"]["asker"]["name"] = json!("");
        let done = run(&r, false).unwrap();
        assert_eq!(done.record["specialty"], json!("Mei Ling"));
        // an empty name is dropped and counted, though it names nobody
        assert_eq!(done.record["question"]["asker"]["name"], Value::Null);
        assert_eq!(done.by_kind[0], ("asker_name".to_string(), 1));
    }

    #[test]
    fn a_record_without_the_parts_the_step_reads_fails_by_shape() {
        let mut r = record();
        r.remove("provenance");
        assert!(matches!(run(&r, false), Err(Failure::Shape(_))));
        let mut r = record();
        r["answers"][0]["author"] = json!(3);
        assert!(matches!(run(&r, false), Err(Failure::Shape(_))));
        let mut r = record();
        r["answers"][0]["author"] = json!(0);
        assert!(run(&r, false).is_ok());
    }
}
