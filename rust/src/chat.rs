//! The chat row of a record (`medqa_ds/pipeline/chat.py::messages`, whose docstring gives the
//! rules), on the core's record value: the user's opening (title, question, the patient's turns
//! before any answer), then each complete answer's `text_clean`, the patient's reply between two
//! answers, and the record's chat state. The states are defined here; Python reads them.
//!
//! Python's semantics are kept where a record departs from the schema: `x or ""` is Python's
//! truthiness, a missing key or a part of another type fails (where Python raised KeyError,
//! TypeError or AttributeError), and `after_answer == k - 1` is Python's `==` (`True == 1`).

use crate::text::strip;
use serde_json::{Map, Value};

/// A record's state in the chat view: a row, and why there is none.
pub const NO_ROW: u8 = 0;
pub const ROW: u8 = 1;
pub const ROW_CUT_AT_GAP: u8 = 2;
pub const ROW_CUT_AT_CUT_ANSWER: u8 = 3;
pub const NO_ROW_CUT_ANSWER: u8 = 4;
pub const NO_ROW_EMPTY_ANSWERS: u8 = 5;

/// The states by the names Python gives them (`chat.ROW`…).
pub const STATES: [(&str, u8); 6] = [
    ("NO_ROW", NO_ROW),
    ("ROW", ROW),
    ("ROW_CUT_AT_GAP", ROW_CUT_AT_GAP),
    ("ROW_CUT_AT_CUT_ANSWER", ROW_CUT_AT_CUT_ANSWER),
    ("NO_ROW_CUT_ANSWER", NO_ROW_CUT_ANSWER),
    ("NO_ROW_EMPTY_ANSWERS", NO_ROW_EMPTY_ANSWERS),
];

/// The top-level fields of a record the row reads (a caller converting a record may convert
/// only these).
pub const READS: [&str; 4] = ["title", "question", "follow_ups", "answers"];

/// A record's messages (`{"role", "content"}` objects; None when it gives no row) and its state.
pub type Chat = (Option<Vec<Value>>, u8);

/// Python's `bool(value)`.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python's `value == n` for an int `n`.
fn equals_int(value: &Value, n: i64) -> bool {
    match value {
        Value::Bool(b) => i64::from(*b) == n,
        Value::Number(x) => match x.as_i64() {
            Some(i) => i == n,
            None => x.as_f64() == Some(n as f64),
        },
        _ => false,
    }
}

/// `obj[key]` (Python's KeyError, or TypeError when `obj` is no dict).
fn at<'a>(obj: &'a Value, key: &str) -> Result<&'a Value, String> {
    match obj {
        Value::Object(map) => map
            .get(key)
            .ok_or_else(|| format!("a chat row's record has no {key:?}")),
        _ => Err(format!(
            "a chat row's record part holding {key:?} is no dict"
        )),
    }
}

/// `(value or "").strip()` (Python's AttributeError for a truthy value that is no str).
fn stripped(value: Option<&Value>) -> Result<&str, String> {
    match value {
        Some(v) if truthy(v) => v
            .as_str()
            .map(strip)
            .ok_or_else(|| "a chat row's text must be a string".to_string()),
        _ => Ok(""),
    }
}

/// `v or w`: the first truthy of the two, else the second.
fn or<'a>(v: Option<&'a Value>, w: Option<&'a Value>) -> Option<&'a Value> {
    match v {
        Some(v) if truthy(v) => Some(v),
        _ => w,
    }
}

/// `_text`: a question's (or answer's) text, repaired where the parser could repair it for certain.
fn text_of(part: &Value) -> Result<&str, String> {
    let Value::Object(part) = part else {
        return Err("a chat row's question or answer must be a dict".into());
    };
    stripped(or(part.get("text_repaired"), part.get("text")))
}

/// `_user_turn`: one user message from a patient's follow-up turns (their text, then any
/// question not in it); None when they hold nothing.
fn user_turn(turns: &[&Value]) -> Result<Option<String>, String> {
    let mut parts: Vec<&str> = Vec::new();
    for turn in turns {
        let text = stripped(Some(at(turn, "text")?))?;
        if !text.is_empty() {
            parts.push(text);
        }
        let Value::Array(questions) = at(turn, "questions")? else {
            return Err("a follow-up's questions must be a list".into());
        };
        for q in questions {
            let q = strip(
                q.as_str()
                    .ok_or("a follow-up's questions must be strings")?,
            );
            if !q.is_empty() && !text.contains(q) {
                parts.push(q);
            }
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("\n")))
}

fn message(role: &str, content: String) -> Value {
    let mut m = Map::with_capacity(2);
    m.insert("role".into(), Value::String(role.into()));
    m.insert("content".into(), Value::String(content));
    Value::Object(m)
}

/// `messages`: the record's messages (None when it gives no row) and its chat state.
pub fn messages(record: &Map<String, Value>) -> Result<Chat, String> {
    // A borrowed view as a Value, so that `at` reads the record and its parts alike.
    let record = RecordRef(record);
    let title = stripped(Some(record.get("title")?))?;
    let question = text_of(record.get("question")?)?;
    let mut opening: Vec<&str> = [title, question]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let mut patient: Vec<&Value> = Vec::new();
    for turn in record.list("follow_ups")? {
        if at(turn, "role")?.as_str() == Some("patient") {
            patient.push(turn);
        }
    }
    let mut first: Vec<&Value> = Vec::new();
    for &turn in &patient {
        if at(turn, "after_answer")?.is_null() {
            first.push(turn);
        }
    }
    let before = user_turn(&first)?;
    if let Some(before) = &before {
        opening.push(before);
    }
    if opening.is_empty() {
        return Ok((None, NO_ROW)); // the answers not read, as Python's `or` read them not
    }
    let answers = record.list("answers")?;
    let mut any_text = false;
    for answer in answers {
        if !text_of(answer)?.is_empty() {
            any_text = true; // `any` stops at the first: later answers not read
            break;
        }
    }
    if !any_text {
        return Ok((None, NO_ROW));
    }
    let mut out = vec![message("user", opening.join("\n\n"))];
    let mut last_assistant = false;
    let mut state = ROW;
    for (k, answer) in answers.iter().enumerate() {
        if !truthy(at(answer, "complete")?) {
            state = ROW_CUT_AT_CUT_ANSWER;
            break;
        }
        let text = stripped(Some(at(answer, "text_clean")?))?;
        if text.is_empty() {
            continue;
        }
        if last_assistant {
            let mut after: Vec<&Value> = Vec::new();
            for &turn in &patient {
                if equals_int(at(turn, "after_answer")?, k as i64 - 1) {
                    after.push(turn);
                }
            }
            let Some(reply) = user_turn(&after)? else {
                state = ROW_CUT_AT_GAP;
                break;
            };
            out.push(message("user", reply));
        }
        out.push(message("assistant", text.to_string()));
        last_assistant = true;
    }
    if out.len() == 1 {
        let why = if state == ROW_CUT_AT_CUT_ANSWER {
            NO_ROW_CUT_ANSWER
        } else {
            NO_ROW_EMPTY_ANSWERS
        };
        return Ok((None, why));
    }
    Ok((Some(out), state))
}

/// The record's top level, read as `at` reads its parts.
struct RecordRef<'a>(&'a Map<String, Value>);

impl<'a> RecordRef<'a> {
    fn get(&self, key: &str) -> Result<&'a Value, String> {
        self.0
            .get(key)
            .ok_or_else(|| format!("a chat row's record has no {key:?}"))
    }

    fn list(&self, key: &str) -> Result<&'a [Value], String> {
        match self.get(key)? {
            Value::Array(items) => Ok(items),
            _ => Err(format!("a chat row's record's {key} must be a list")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::blanks;
    use serde_json::json;

    /// A thread as tests/test_chat.py builds it: answers given as (text_clean, complete), the
    /// patient's turns as (after_answer, text).
    fn thread(answers: &[(&str, bool)], patient: &[(Value, &str)]) -> Map<String, Value> {
        let b = blanks();
        let mut r = b.record();
        r["title"] = json!(" Rash? ");
        r["question"]["text"] = json!("My arm itches.");
        let items: Vec<Value> = answers
            .iter()
            .map(|(text, complete)| {
                let mut a = b.item("answers");
                a["text"] = json!(text);
                a["text_clean"] = json!(text);
                a["complete"] = json!(complete);
                Value::Object(a)
            })
            .collect();
        r["answers"] = Value::Array(items);
        let turns: Vec<Value> = patient
            .iter()
            .map(|(after, text)| {
                let mut t = b.item("follow_ups");
                t["role"] = json!("patient");
                t["text"] = json!(text);
                t["after_answer"] = after.clone();
                Value::Object(t)
            })
            .collect();
        r["follow_ups"] = Value::Array(turns);
        r
    }

    fn contents(chat: &Chat) -> Vec<&str> {
        chat.0
            .iter()
            .flatten()
            .map(|m| m["content"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn follow_ups_come_between_the_answers_and_a_missing_one_cuts() {
        let r = thread(
            &[("Itchy at night?", true), ("Eczema.", true)],
            &[(json!(0), "Yes."), (json!(1), "Thanks!")],
        );
        let chat = messages(&r).unwrap();
        assert_eq!(
            contents(&chat),
            [
                "Rash?\n\nMy arm itches.",
                "Itchy at night?",
                "Yes.",
                "Eczema."
            ]
        );
        assert_eq!(chat.1, ROW);
        assert_eq!(chat.0.unwrap()[1]["role"], json!("assistant"));
        let gap = messages(&thread(&[("More?", true), ("Eczema.", true)], &[])).unwrap();
        assert_eq!(contents(&gap), ["Rash?\n\nMy arm itches.", "More?"]);
        assert_eq!(gap.1, ROW_CUT_AT_GAP);
    }

    #[test]
    fn a_turn_before_any_answer_joins_the_opening_with_its_questions() {
        let mut r = thread(&[("Rest.", true)], &[(Value::Null, "Also my knee.")]);
        r["follow_ups"][0]["questions"] = json!(["Also my knee.", " Gout? ", " "]);
        let chat = messages(&r).unwrap();
        assert_eq!(
            contents(&chat)[0],
            "Rash?\n\nMy arm itches.\n\nAlso my knee.\nGout?"
        );
    }

    #[test]
    fn cut_and_empty_answers_give_their_states() {
        let cut = messages(&thread(&[("Rest.", false)], &[])).unwrap();
        assert_eq!(cut, (None, NO_ROW_CUT_ANSWER));
        let mut r = thread(&[("Rest.", true)], &[]);
        r["answers"][0]["text_clean"] = json!("  ");
        assert_eq!(messages(&r).unwrap(), (None, NO_ROW_EMPTY_ANSWERS));
        let later = messages(&thread(&[("Rest.", true), ("x", false)], &[])).unwrap();
        assert_eq!(later.1, ROW_CUT_AT_CUT_ANSWER);
        let mut none = thread(&[("Rest.", true)], &[]);
        none["title"] = Value::Null;
        none["question"]["text"] = json!("");
        assert_eq!(messages(&none).unwrap(), (None, NO_ROW));
    }

    #[test]
    fn pythons_equality_and_truthiness_are_kept() {
        // `True == 1`: a turn with after_answer true is the reply after the second answer
        let r = thread(
            &[("A.", true), ("B.", true), ("C.", true)],
            &[(json!(0), "one"), (json!(true), "two")],
        );
        assert_eq!(contents(&messages(&r).unwrap()).len(), 6);
        let mut r = thread(&[("A.", true)], &[]);
        r["answers"][0]["complete"] = json!(1);
        assert_eq!(messages(&r).unwrap().1, ROW);
        r["title"] = json!(3);
        assert!(messages(&r).is_err());
        r.remove("title");
        assert!(messages(&r).is_err());
    }
}
