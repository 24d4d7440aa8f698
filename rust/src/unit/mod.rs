//! The unit of work: a chunk's raw pages read into records ready to publish, on a thread pool
//! with no Python in the loop (the chunk step of `medqa_ds.pipeline.chunk`).
//!
//! Each page is decoded, parsed by every built-in source, checked against the schema, matched
//! against the takedowns and prepared (de-identified, signed, its chat row and the small values the
//! build decides with): the steps are `Steps`' (the parsers', the validator's, the privacy step's),
//! this module only runs them in order and accounts for every page. Pages run in parallel and come
//! back in their order, so any number of threads gives the same output; a panic in any step is
//! that page's reject, naming the file.

pub mod captured;
pub mod decode;
pub mod jsonl;
pub mod pyask;
pub mod python;
pub mod read;
pub mod steps;
pub mod takedowns;

use crate::cleaning::Counts;
use crate::guarded;
use crate::parse::{sha256_hex, Failure};
use rayon::prelude::*;
use serde_json::{Map, Value};
use takedowns::{Keys, Takedowns};

/// One entry of a chunk: a page's bytes (a loose file's, or a container member's with its URL and
/// capture date); a JSONL shard's line, read here (`jsonl`); a page read and parsed outside the core (by Python, where a plug-in may claim
/// it), with its raw bytes' digest; or a reject the walk already made (a container that cannot
/// be read).
pub enum Entry {
    Page {
        file: String,
        data: Vec<u8>,
        url: Option<String>,
        captured: Option<String>,
    },
    Line {
        file: String,
        data: Vec<u8>,
    },
    Parsed(Read<String>),
    Reject(Reject),
}

/// A raw file (or one page of it) that gives no record, with the reason and the line to blame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub file: String,
    pub reason: String,
    pub line: Option<usize>,
}

/// A page's record, with what cleaning removed from it when the parse counted it (the core's
/// parsers do; a parse made in Python does not), or why it gives none (with the file's line).
pub type Page = Result<(Map<String, Value>, Option<Counts>), (String, usize)>;

/// A file's parse: each page's record or why it gives none, or why the text as a whole is no
/// file of a known source (`parse::Parser::parse_file`).
pub type Parsed = Result<Vec<Page>, Failure>;

/// The steps a page goes through, each the one implementation of its rules.
pub trait Steps: Sync {
    /// `parse_all`: every page the text holds (records with id and provenance, cleaned);
    /// `sha256` is the digest of the page's raw bytes, which its records' provenance holds.
    fn parse(&self, text: &str, file: &str, sha256: &str) -> Parsed;
    /// The page a JSONL shard's line holds, or why it holds none.
    fn line(&self, data: &[u8]) -> Result<jsonl::Member, String>;
    /// Whether a record keeps the schema.
    fn valid(&self, record: &Value) -> bool;
    /// A checked record made ready to publish; `removed`: what cleaning removed, when the parse
    /// counted it (else it is counted here).
    fn prepare(
        &self,
        record: Map<String, Value>,
        removed: Option<Counts>,
    ) -> Result<Prepared, String>;
}

/// One record made ready to publish: what the chunk keeps and spills of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prepared {
    /// The de-identified record (the record as parsed when no policy is given).
    pub published: Map<String, Value>,
    pub signature: Vec<u32>,
    /// Replacements by kind, then by top-level field (`chunk.COUNT_COLUMNS`).
    pub counts: Vec<u32>,
    /// The chat row's messages ({"role", "content"} objects), None when the record gives no row.
    pub messages: Option<Vec<Value>>,
    pub chat_state: u8,
    /// Pieces each cleaning rule removed (`chunk.CLEANING_COLUMNS`).
    pub removed: Vec<u32>,
    pub rank: i64,
    pub split: u8,
    pub asker_hash: u64,
    pub asker_day: i32,
    pub source: u8,
    pub id_hash: u64,
    pub specialty: i16,
    pub complete: bool,
    /// Roles of answers that map to no specialty.
    pub unmapped_roles: Vec<String>,
    pub url: Option<String>,
}

/// What became of one entry's pages, in order.
pub enum Outcome {
    Record(Box<Prepared>),
    Reject(Reject),
    /// A record that breaks the schema: the caller words the reason (the reference validator's
    /// message), then rejects it naming the file and line.
    Invalid {
        file: String,
        line: Option<usize>,
        record: Box<Map<String, Value>>,
    },
}

/// One entry's result: its outcomes, how many pages it held, the (file, sha256) of a readable file,
/// and the ids of pages taken down (None for a page without one).
#[derive(Default)]
pub struct EntryResult {
    pub outcomes: Vec<Outcome>,
    pub pages: usize,
    pub input: Option<(String, String)>,
    pub taken_down: Vec<Option<String>>,
}

/// Every entry of a chunk, on the pool's threads, results in the entries' order.
pub fn run(
    steps: &dyn Steps,
    takedowns: &Takedowns,
    entries: Vec<Entry>,
    pool: &rayon::ThreadPool,
) -> Vec<EntryResult> {
    pool.install(|| {
        entries
            .into_par_iter()
            .map(|entry| one(steps, takedowns, entry))
            .collect()
    })
}

/// The line a page of a file is blamed on: None for the first (the file as a whole).
fn blamed(line: Option<usize>) -> Option<usize> {
    line.filter(|&l| l > 1)
}

/// A page of an entry between the steps: a record that keeps the schema (with its first line),
/// or what became of it already.
enum Step {
    Checked(Box<Map<String, Value>>, Option<Counts>, Option<usize>),
    Done(Outcome),
}

/// A page read and parsed: what the steps after parsing need of it (its text owned, or borrowed
/// from the page's bytes).
pub struct Read<T: AsRef<str>> {
    pub file: String,
    /// The digest of the page's raw bytes.
    pub sha256: String,
    pub text: T,
    pub url: Option<String>,
    pub captured: Option<String>,
    pub parsed: Parsed,
}

/// An entry that gives one reject and nothing else.
fn alone(r: Reject) -> EntryResult {
    EntryResult {
        outcomes: vec![Outcome::Reject(r)],
        pages: 1,
        ..Default::default()
    }
}

/// One entry: read and parse (unless it comes parsed), then the rest (`checked_and_prepared`).
fn one(steps: &dyn Steps, takedowns: &Takedowns, entry: Entry) -> EntryResult {
    match entry {
        Entry::Reject(r) => alone(r),
        Entry::Line { file, data } => match guarded("line", || steps.line(&data)) {
            Ok(m) => page(steps, takedowns, file, m.data, m.url, m.captured),
            Err(reason) => alone(Reject {
                file,
                reason,
                line: None,
            }),
        },
        Entry::Parsed(read) => checked_and_prepared(steps, takedowns, read),
        Entry::Page {
            file,
            data,
            url,
            captured,
        } => page(steps, takedowns, file, data, url, captured),
    }
}

/// A page's bytes decoded, parsed, and the rest (`checked_and_prepared`).
fn page(
    steps: &dyn Steps,
    takedowns: &Takedowns,
    file: String,
    data: Vec<u8>,
    url: Option<String>,
    captured: Option<String>,
) -> EntryResult {
    let text = match decode::decode(&data) {
        Ok(text) => text,
        Err(refused) => {
            return alone(Reject {
                file,
                reason: refused.reason,
                line: refused.line,
            })
        }
    };
    let sha256 = sha256_hex(&data);
    let parsed = guarded("page", || Ok(steps.parse(text, &file, &sha256))).unwrap_or_else(|msg| {
        Err((
            format!("parser bug ({msg}); please report it with this file"),
            None,
        ))
    });
    let read = Read {
        file,
        sha256,
        text,
        url,
        captured,
        parsed,
    };
    checked_and_prepared(steps, takedowns, read)
}

/// A read page's records checked, matched against the takedowns and prepared.
fn checked_and_prepared<T: AsRef<str>>(
    steps: &dyn Steps,
    takedowns: &Takedowns,
    read: Read<T>,
) -> EntryResult {
    let Read {
        file,
        sha256,
        text,
        url,
        captured,
        parsed,
    } = read;
    let text = text.as_ref();
    let reject = |reason: String, line: Option<usize>| {
        Outcome::Reject(Reject {
            file: file.clone(),
            reason,
            line,
        })
    };
    let mut pages: Vec<Step> = match parsed {
        Err((reason, line)) => vec![Step::Done(reject(reason, line))],
        Ok(results) => results
            .into_iter()
            .map(|result| match result {
                Err((reason, line)) => Step::Done(reject(reason, Some(line))),
                Ok((record, removed)) => {
                    checked(steps, record, removed, &file, &sha256, &url, &captured)
                }
            })
            .collect(),
    };
    let count = pages.len();
    let mut taken_down = Vec::new();
    if !takedowns.is_empty() {
        // the text's digest, only when a listed digest is to be compared, and once a page
        let digest = std::cell::OnceCell::new();
        let mut text_digest = || digest.get_or_init(|| sha256_hex(text.as_bytes())).clone();
        let whole = takedowns.whole_page(url.as_deref(), &sha256, &mut text_digest);
        pages.retain(|page| {
            let listed = match page {
                Step::Checked(record, ..) => {
                    let id = record.get("id").and_then(Value::as_str);
                    let keys = Keys {
                        id,
                        url: url.as_deref(),
                        sha256: &sha256,
                    };
                    takedowns
                        .matches(&keys, &mut text_digest)
                        .then(|| id.map(str::to_string))
                }
                Step::Done(_) => None,
            };
            match listed {
                Some(id) => taken_down.push(id),
                None if whole => taken_down.push(None),
                None => return true,
            }
            false
        });
    }
    let outcomes = pages
        .into_iter()
        .map(|page| match page {
            Step::Done(outcome) => outcome,
            Step::Checked(record, removed, line) => {
                match guarded("pipeline", || steps.prepare(*record, removed)) {
                    Ok(prepared) => Outcome::Record(Box::new(prepared)),
                    Err(msg) => reject(
                        format!("pipeline bug ({msg}); please report it with this file"),
                        blamed(line),
                    ),
                }
            }
        })
        .collect();
    EntryResult {
        outcomes,
        pages: count,
        input: Some((file, sha256)),
        taken_down,
    }
}

/// A parsed record with the page's digest, URL and capture date in its provenance, checked
/// against the schema.
fn checked(
    steps: &dyn Steps,
    mut record: Map<String, Value>,
    removed: Option<Counts>,
    file: &str,
    sha256: &str,
    url: &Option<String>,
    captured: &Option<String>,
) -> Step {
    let mut line = None;
    if let Some(Value::Object(prov)) = record.get_mut("provenance") {
        prov.insert("sha256".into(), Value::String(sha256.to_string()));
        prov.insert("url".into(), crate::record::text(url.clone()));
        prov.insert("captured".into(), crate::record::text(captured.clone()));
        line = prov.get("line").and_then(Value::as_u64).map(|l| l as usize);
    }
    let record = Value::Object(record);
    let valid = guarded("schema check", || Ok(steps.valid(&record))).unwrap_or(false);
    let Value::Object(record) = record else {
        unreachable!("made an object above")
    };
    if valid {
        Step::Checked(Box::new(record), removed, line)
    } else {
        Step::Done(Outcome::Invalid {
            file: file.to_string(),
            line: blamed(line),
            record: Box::new(record),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Steps for the tests: a page "ok N" gives N records (ids from the text), "bad" no record,
    /// "invalid" a record the schema refuses, "crash" panics in the parser, "boom" in prepare.
    struct Fake;

    impl Steps for Fake {
        fn parse(&self, text: &str, file: &str, _sha256: &str) -> Parsed {
            let text = text.trim();
            if text == "crash" {
                panic!("the parser fell over");
            }
            if text == "bad" {
                return Err(("not a page of a known source".into(), None));
            }
            let n: usize = text
                .strip_prefix("ok ")
                .and_then(|n| n.split(' ').next()?.parse().ok())
                .unwrap_or(1);
            Ok((0..n)
                .map(|k| {
                    if k == 1 && text.contains("half") {
                        return Err(("page holds no answer".into(), 3));
                    }
                    let record = json!({"id": format!("{text}-{k}"), "provenance": {
                        "file": file, "line": 1 + 2 * k, "sha256": null, "url": null,
                        "captured": null}});
                    let Value::Object(map) = record else {
                        unreachable!()
                    };
                    Ok((map, None))
                })
                .collect())
        }

        fn line(&self, data: &[u8]) -> Result<jsonl::Member, String> {
            jsonl::member(data, &mut pyask::Strict)
        }

        fn valid(&self, record: &Value) -> bool {
            !record["id"].as_str().unwrap_or("").starts_with("invalid")
        }

        fn prepare(
            &self,
            record: Map<String, Value>,
            _removed: Option<Counts>,
        ) -> Result<Prepared, String> {
            if record["id"].as_str() == Some("boom-0") {
                panic!("prepare fell over");
            }
            Ok(Prepared {
                published: record,
                ..Default::default()
            })
        }
    }

    fn page(file: &str, text: &str) -> Entry {
        Entry::Page {
            file: file.into(),
            data: text.as_bytes().to_vec(),
            url: Some(format!("https://site/{file}")),
            captured: None,
        }
    }

    fn summary(results: &[EntryResult]) -> Vec<String> {
        results
            .iter()
            .flat_map(|r| &r.outcomes)
            .map(|o| match o {
                Outcome::Record(p) => format!("record {}", p.published["id"].as_str().unwrap()),
                Outcome::Reject(r) => format!("reject {} {:?} {}", r.file, r.line, r.reason),
                Outcome::Invalid { file, line, .. } => format!("invalid {file} {line:?}"),
            })
            .collect()
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    fn chunk() -> Vec<Entry> {
        vec![
            page("a.txt", "ok 2"),
            page("b.txt", "bad"),
            Entry::Reject(Reject {
                file: "c.zip".into(),
                reason: "cannot be opened".into(),
                line: None,
            }),
            page("d.txt", "\u{0}"),
            page("e.txt", "crash"),
            page("f.txt", "invalid"),
            page("g.txt", "boom"),
            page("h.txt", "ok 3 half"),
        ]
    }

    #[test]
    fn every_page_ends_as_a_record_or_a_reject_in_order() {
        let results = run(&Fake, &Takedowns::default(), chunk(), &pool(2));
        let got = summary(&results);
        assert_eq!(got[0], "record ok 2-0");
        assert_eq!(got[1], "record ok 2-1");
        assert_eq!(got[2], "reject b.txt None not a page of a known source");
        assert_eq!(got[3], "reject c.zip None cannot be opened");
        assert_eq!(
            got[4],
            "reject d.txt None binary file (holds NUL bytes), not a text page"
        );
        assert!(
            got[5].starts_with("reject e.txt None parser bug ("),
            "{}",
            got[5]
        );
        assert!(got[5].contains("the parser fell over"));
        assert_eq!(got[6], "invalid f.txt None");
        assert!(
            got[7].starts_with("reject g.txt None pipeline bug ("),
            "{}",
            got[7]
        );
        assert_eq!(got[8], "record ok 3 half-0");
        assert_eq!(got[9], "reject h.txt Some(3) page holds no answer");
        assert_eq!(got[10], "record ok 3 half-2");
        let pages: usize = results.iter().map(|r| r.pages).sum();
        assert_eq!(pages, got.len());
        // readable files are inputs, with the raw bytes' digest
        let inputs: Vec<&str> = results
            .iter()
            .filter_map(|r| r.input.as_ref())
            .map(|i| i.0.as_str())
            .collect();
        assert_eq!(
            inputs,
            ["a.txt", "b.txt", "e.txt", "f.txt", "g.txt", "h.txt"]
        );
        assert_eq!(results[0].input.as_ref().unwrap().1, sha256_hex(b"ok 2"));
    }

    #[test]
    fn provenance_gets_the_digest_url_and_capture() {
        let results = run(
            &Fake,
            &Takedowns::default(),
            vec![page("a.txt", "ok 1")],
            &pool(1),
        );
        let Outcome::Record(p) = &results[0].outcomes[0] else {
            panic!()
        };
        let prov = &p.published["provenance"];
        assert_eq!(prov["sha256"], json!(sha256_hex(b"ok 1")));
        assert_eq!(prov["url"], json!("https://site/a.txt"));
        assert_eq!(prov["captured"], Value::Null);
    }

    #[test]
    fn any_number_of_threads_gives_the_same_outcomes() {
        let one = summary(&run(&Fake, &Takedowns::default(), chunk(), &pool(1)));
        let many = summary(&run(&Fake, &Takedowns::default(), chunk(), &pool(4)));
        assert_eq!(one, many);
    }

    #[test]
    fn taken_down_pages_leave_only_their_ids() {
        let mut t = Takedowns::default();
        t.ids.insert("ok 3 half-2".into());
        t.urls.insert("https://site/a.txt".into());
        let results = run(
            &Fake,
            &t,
            vec![page("a.txt", "ok 2"), page("h.txt", "ok 3 half")],
            &pool(2),
        );
        // a.txt's URL is listed: the whole page goes; h.txt loses one record, keeps its reject
        assert_eq!(
            results[0].taken_down,
            vec![Some("ok 2-0".into()), Some("ok 2-1".into())]
        );
        assert_eq!(results[0].pages, 2);
        assert_eq!(results[1].taken_down, vec![Some("ok 3 half-2".into())]);
        assert_eq!(
            summary(&results),
            [
                "record ok 3 half-0",
                "reject h.txt Some(3) page holds no answer"
            ]
        );
    }

    #[test]
    fn a_listed_digest_drops_the_page_with_its_rejects() {
        let mut t = Takedowns::default();
        t.digests.insert(sha256_hex(b"ok 3 half"));
        let results = run(&Fake, &t, vec![page("h.txt", "ok 3 half")], &pool(1));
        assert!(results[0].outcomes.is_empty());
        assert_eq!(results[0].taken_down.len(), 3);
        assert_eq!(results[0].pages, 3);
    }
}
