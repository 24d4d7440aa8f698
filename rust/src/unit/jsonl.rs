//! A JSONL shard's line as the page it holds, read on the unit's threads: `text`, and optionally
//! `url`, `date` or `timestamp` (also under `metadata`), as datatrove's readers write them
//! (`containers/jsonl.py` splits the shard into lines; this reads each).
//!
//! serde_json reads strict JSON. A line it refuses is `Ask`ed of Python's `json` (`jsonl.loaded`),
//! which reads what strict JSON does not (NaN and Infinity, as null; lone surrogates, as U+FFFD)
//! and words the error of a line that is no JSON; a date in a form other than the common ones is
//! asked of Python's `datetime` (`captured`).

use super::captured::{self, Captured};
use crate::text::strip;
use serde_json::{Map, Value};

/// What a line gives: the page's bytes, its URL and capture date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub data: Vec<u8>,
    pub url: Option<String>,
    pub captured: Option<String>,
}

/// What only Python can say of a line.
pub trait Ask {
    /// A line serde_json refused, as Python's `json` reads it: the line as strict JSON, or the
    /// reason it is no JSON line.
    fn loaded(&mut self, line: &[u8]) -> Result<Vec<u8>, String>;
    /// `member.iso_datetime` of a value the fast path leaves to it.
    fn iso_datetime(&mut self, value: &Value) -> Option<String>;
}

const NO_TEXT: &str =
    "the line has no 'text' (a non-empty string): each line needs the page's text";

/// The page a line holds, or why it holds none.
pub fn member(line: &[u8], ask: &mut dyn Ask) -> Result<Member, String> {
    let row: Value = match serde_json::from_slice(line) {
        Ok(row) => row,
        Err(_) => serde_json::from_slice(&ask.loaded(line)?)
            .map_err(|e| format!("not a JSON line ({e}): write one JSON object a line"))?,
    };
    let Value::Object(mut row) = row else {
        return Err(NO_TEXT.into());
    };
    let text = match row.remove("text") {
        Some(Value::String(text)) if !strip(&text).is_empty() => text,
        _ => return Err(NO_TEXT.into()),
    };
    let empty = Map::new();
    let meta = match row.get("metadata") {
        Some(Value::Object(meta)) => meta,
        _ => &empty,
    };
    // `row.get("url", meta.get("url"))`: a line's own url, even null, before its metadata's
    let url = match row.get("url").or_else(|| meta.get("url")) {
        Some(Value::String(url)) if !strip(url).is_empty() => Some(url.clone()),
        _ => None,
    };
    let when = [
        row.get("date"),
        row.get("timestamp"),
        meta.get("date"),
        meta.get("timestamp"),
    ]
    .into_iter()
    .flatten()
    .find(|v| !v.is_null());
    let captured = match captured::iso_datetime(when) {
        Captured::Known(captured) => captured,
        Captured::Ask => when.and_then(|v| ask.iso_datetime(v)),
    };
    Ok(Member {
        data: text.into_bytes(),
        url,
        captured,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asks answered as Python would for the lines below, counted.
    #[derive(Default)]
    struct Asked {
        loaded: usize,
        dates: usize,
    }

    impl Ask for Asked {
        fn loaded(&mut self, line: &[u8]) -> Result<Vec<u8>, String> {
            self.loaded += 1;
            let line = String::from_utf8_lossy(line);
            if line.contains("NaN") {
                return Ok(line.replace("NaN", "null").into_bytes());
            }
            Err("not a JSON line (Expecting value): write one JSON object a line".into())
        }

        fn iso_datetime(&mut self, _value: &Value) -> Option<String> {
            self.dates += 1;
            Some("asked".into())
        }
    }

    fn read(line: &str) -> (Result<Member, String>, Asked) {
        let mut ask = Asked::default();
        (member(line.as_bytes(), &mut ask), ask)
    }

    #[test]
    fn a_line_gives_its_text_url_and_date() {
        let (got, ask) =
            read(r#"{"text": "Q: x", "url": "https://a/1", "date": "2024-05-01T14:00:00+02:00"}"#);
        let got = got.unwrap();
        assert_eq!(got.data, b"Q: x");
        assert_eq!(got.url.as_deref(), Some("https://a/1"));
        assert_eq!(got.captured.as_deref(), Some("2024-05-01T12:00:00Z"));
        assert_eq!((ask.loaded, ask.dates), (0, 0));
    }

    #[test]
    fn metadata_fills_in_and_the_first_date_given_wins() {
        let (got, _) = read(
            r#"{"text": "t", "date": null, "metadata": {"url": "u", "timestamp": 0, "date": "2020-01-01"}}"#,
        );
        let got = got.unwrap();
        assert_eq!(got.url.as_deref(), Some("u"));
        assert_eq!(got.captured.as_deref(), Some("2020-01-01T00:00:00Z")); // metadata's date before its timestamp
        let (got, _) =
            read(r#"{"text": "t", "url": null, "timestamp": 0, "metadata": {"url": "u"}}"#);
        let got = got.unwrap();
        assert_eq!(got.url, None); // the line's own url, though null, before its metadata's
        assert_eq!(got.captured.as_deref(), Some("1970-01-01T00:00:00Z"));
        let (got, _) = read(r#"{"text": "t", "url": " ", "metadata": [1]}"#);
        assert_eq!(got.unwrap().url, None);
    }

    #[test]
    fn a_line_without_text_is_refused() {
        for line in [
            r#"{"text": " \u001c "}"#,
            r#"{"text": 3}"#,
            r#"{"url": "u"}"#,
            "[1]",
            "\"t\"",
        ] {
            assert_eq!(read(line).0, Err(NO_TEXT.into()), "{line}");
        }
    }

    #[test]
    fn what_strict_json_refuses_is_asked_of_python() {
        let (got, ask) = read(r#"{"text": "t", "date": NaN}"#);
        assert_eq!(got.unwrap().captured, None);
        assert_eq!(ask.loaded, 1);
        let (got, _) = read("{\"text\": ");
        assert!(got.unwrap_err().contains("Expecting value"));
    }

    #[test]
    fn uncommon_dates_are_asked_of_python() {
        let (got, ask) = read(r#"{"text": "t", "date": "20240501T120000"}"#);
        assert_eq!(got.unwrap().captured.as_deref(), Some("asked"));
        assert_eq!(ask.dates, 1);
    }
}
