//! `same_asker.key`: a 64-bit hash of who asked whom (source, asker's name, age bucket and sex,
//! first answering doctor, each whitespace-normalised and case-folded as Python does) and the
//! question's day number. The name itself never leaves this function.

use super::casefold::casefold;
use super::isodate::ordinal;
use super::{array, field, item, object, opt_str, Malformed};
use crate::text::is_space;
use serde_json::{Map, Value};

/// The top-level fields `key` reads.
pub const FIELDS: &[&str] = &["question", "answers", "source"];

/// Names that say the asker chose not to give one (compared case-folded): not an identity.
pub const ANONYMOUS: [&str; 4] = ["niming", "anonymous", "anon", "匿名"];

/// `same_asker.NO_DAY`: the day of a record without a key.
pub const NO_DAY: i32 = -1;

/// `" ".join((text or "").split()).casefold()`: words split on `str.isspace()` characters.
fn norm(text: Option<&str>) -> String {
    let words: Vec<&str> = text
        .unwrap_or("")
        .split(is_space)
        .filter(|w| !w.is_empty())
        .collect();
    casefold(&words.join(" "))
}

/// `hashlib.blake2b(identity.encode(), digest_size=8, person=b"medqa-asker")`, little-endian.
fn identity_hash(identity: &str) -> u64 {
    let digest = blake2b_simd::Params::new()
        .hash_length(8)
        .personal(b"medqa-asker")
        .hash(identity.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(digest.as_bytes());
    u64::from_le_bytes(bytes)
}

/// (identity hash, question day) of a parsed record; (0, `NO_DAY`) when it has none: no asker
/// name, an anonymous one, no first doctor, no date or one `date.fromisoformat` refuses.
pub fn key(record: &Map<String, Value>) -> Result<(u64, i32), Malformed> {
    let question = object(record, "question")?;
    let asker = object(question, "asker")?;
    let answers = array(record, "answers")?;
    let name = norm(opt_str(asker, "name")?);
    let doctor = match answers.is_empty() {
        true => String::new(),
        false => norm(opt_str(item(answers, 0, "answers")?, "author")?),
    };
    if name.is_empty() || ANONYMOUS.contains(&name.as_str()) || doctor.is_empty() {
        return Ok((0, NO_DAY));
    }
    let Some(day) = opt_str(question, "date")?.and_then(ordinal) else {
        return Ok((0, NO_DAY));
    };
    let source = match field(record, "source")? {
        Value::String(s) => s.as_str(),
        _ => return Err("source is not a string".into()),
    };
    let identity = [
        source,
        &name,
        &norm(opt_str(asker, "age_range")?),
        &norm(opt_str(asker, "sex")?),
        &doctor,
    ]
    .join("\u{1f}");
    Ok((identity_hash(&identity), day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(name: Value, author: Value, date: Value) -> Map<String, Value> {
        json!({
            "source": "doctorqna",
            "question": {"date": date, "asker": {"name": name, "age_range": "30-39", "sex": "male"}},
            "answers": [{"author": author}],
        })
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn names_are_split_on_pythons_whitespace_and_case_folded() {
        assert_eq!(norm(Some("  Groß\u{1f}\u{3000}Ana\t")), "gross ana");
        assert_eq!(norm(None), "");
    }

    #[test]
    fn the_hash_is_blake2b_with_the_person_string() {
        // int.from_bytes(hashlib.blake2b(b"abc", digest_size=8, person=b"medqa-asker").digest(), "little")
        assert_eq!(identity_hash("abc"), 11241243149310032665);
        let spaced = record(json!("Ollo  Ma"), json!("Dr.  Pell"), json!("2020-03-10"));
        let cased = record(json!("OLLO ma"), json!("dr. pell"), json!("2020-03-10"));
        assert_eq!(key(&spaced), key(&cased));
        assert_eq!(key(&spaced).unwrap().1, 737494);
    }

    #[test]
    fn no_key_without_a_name_a_doctor_or_a_date_python_reads() {
        let none = Ok((0, NO_DAY));
        assert_eq!(
            key(&record(json!(null), json!("Dr. A"), json!("2020-03-10"))),
            none
        );
        assert_eq!(
            key(&record(
                json!("NIMING"),
                json!("Dr. A"),
                json!("2020-03-10")
            )),
            none
        );
        assert_eq!(
            key(&record(json!("Ann"), json!(" "), json!("2020-03-10"))),
            none
        );
        assert_eq!(key(&record(json!("Ann"), json!("Dr. A"), json!(""))), none);
        assert_eq!(
            key(&record(json!("Ann"), json!("Dr. A"), json!("2020-02-30"))),
            none
        );
        assert_ne!(
            key(&record(json!("Ann"), json!("Dr. A"), json!("2020W101"))),
            none
        );
    }
}
