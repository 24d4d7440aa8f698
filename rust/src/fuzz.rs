//! Fuzz targets: every compiled source's `detect` and `parse` on pages no one wrote, and the
//! de-identification's names rules on texts of name pieces (no panic, each text in < 10 ms), run by
//! `cargo test` for a bounded number of cases (`PROPTEST_CASES`, default below) so CI runs them.
//!
//! Two generators: mutations of the fixture pages (tests/fixtures/<source>/*.txt: lines dropped,
//! doubled, split, joined, cut, case-changed, and hostile tokens put in: other scripts' digits,
//! Python's extra whitespace, case-folding oddities, every source's layout markers), and pages of
//! random lines. A target fails on a panic (the Python binding would turn it into a reject, but a
//! panic is a bug) or on a record that breaks what every record holds. The slowest page of each
//! target is printed (`cargo test fuzz -- --nocapture`; an unoptimised build unless `--release`):
//! speed is reported, not asserted.

use crate::sources::{
    askadoctor, askadoctor_free, askthedoctor, conversation, doctorqna, icliniq, meddialog,
};
use crate::specialties::Table;
use crate::text::lines_of;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

/// A compiled source as the fuzzer drives it: detect, then parse each page the text holds,
/// returning what each record's invariants are checked on (Err is a reject, which is fine).
type Target = fn(&[String], &Table) -> Vec<Result<Shape, String>>;

/// What every record holds, whatever the source: a title or a question, and at least one answer
/// with text.
#[derive(Debug)]
struct Shape {
    title: Option<String>,
    question: Option<String>,
    answer_texts: Vec<String>,
}

fn doctorqna_target(lines: &[String], table: &Table) -> Vec<Result<Shape, String>> {
    let _ = doctorqna::detect(lines);
    vec![doctorqna::parse(lines, table).map(|page| Shape {
        title: Some(page.title),
        question: page.question_text,
        answer_texts: page.answers.into_iter().map(|a| a.text).collect(),
    })]
}

/// The shape of a conversation page (askthedoctor, meddialog).
fn conversation_shape(page: conversation::Page) -> Shape {
    Shape {
        title: page.title,
        question: page.question_text,
        answer_texts: page.answers.into_iter().map(|a| a.text).collect(),
    }
}

fn askthedoctor_target(lines: &[String], table: &Table) -> Vec<Result<Shape, String>> {
    let _ = askthedoctor::detect(lines);
    vec![askthedoctor::parse(lines, table)
        .map(conversation_shape)
        .map_err(|r| r.reason)]
}

/// meddialog: the text split into its pages, each parsed, and the whole text parsed as one page.
fn meddialog_target(lines: &[String], table: &Table) -> Vec<Result<Shape, String>> {
    let _ = meddialog::detect(lines);
    let mut got = vec![meddialog::parse(lines, table)];
    for (_, page) in meddialog::pages(&lines.join("\n")) {
        got.push(meddialog::parse(&lines_of(&page), table));
    }
    got.into_iter()
        .map(|page| page.map(conversation_shape).map_err(|r| r.reason))
        .collect()
}

fn askadoctor_target(lines: &[String], table: &Table) -> Vec<Result<Shape, String>> {
    let _ = askadoctor::detect(lines);
    vec![askadoctor::parse(lines, table)
        .map(|page| Shape {
            title: Some(page.title),
            question: page.question_text,
            answer_texts: page.answers.into_iter().map(|a| a.text).collect(),
        })
        .map_err(|askadoctor::Failure::Reject(r, _)| r)]
}

fn askadoctor_free_target(lines: &[String], table: &Table) -> Vec<Result<Shape, String>> {
    let _ = askadoctor_free::detect(lines);
    let _ = askadoctor_free::recognises_fragment(lines);
    let page = match askadoctor_free::parse(lines, table) {
        Ok(page) => page,
        Err(f) => return vec![Err(format!("{f:?}"))],
    };
    // An answer with no text is the Python's failure (its shim raises on it, as the Python did):
    // no record.
    let answer_texts = page
        .answers
        .into_iter()
        .map(|a| a.text)
        .collect::<Option<Vec<String>>>()
        .ok_or_else(|| "an answer that was all signature".to_string());
    vec![answer_texts.map(|answer_texts| Shape {
        title: Some(page.title),
        question: page.question_text,
        answer_texts,
    })]
}

fn icliniq_target(lines: &[String], table: &Table) -> Vec<Result<Shape, String>> {
    let _ = icliniq::detect(lines);
    if let Some(first) = lines.first() {
        let _ = icliniq::breadcrumb_specialty(first, table);
    }
    vec![icliniq::parse(lines, table).map(|page| Shape {
        title: page.title,
        question: Some(page.question_text),
        answer_texts: page.answers.into_iter().map(|a| a.text).collect(),
    })]
}

/// Every compiled source: (name, which is also its fixtures' folder, target).
const TARGETS: &[(&str, Target)] = &[
    ("doctorqna", doctorqna_target),
    ("askadoctor", askadoctor_target),
    ("askadoctor_free", askadoctor_free_target),
    ("askthedoctor", askthedoctor_target),
    ("meddialog", meddialog_target),
    ("icliniq", icliniq_target),
];

/// Tokens that find the corners: Python's extra whitespace and case folds, digits of other
/// scripts, combining marks, and the layout markers of every source.
const ODD: &[&str] = &[
    "İ",
    "ı",
    "\u{212a}",
    "ſ",
    "\u{1c}",
    "\u{1f}",
    "\u{a0}",
    "\u{2028}",
    "\u{3000}",
    "\t",
    "\u{b}",
    "\u{85}",
    "\u{200b}",
    "２",
    "٣",
    "\u{301}",
    "²",
    "_",
    "Ⅻ",
    "～",
    "–",
    ".",
    ",",
    " ",
    "?",
    ":",
    "!",
    "ΣΑΣ",
    "\u{feff}",
    "\u{10D40}",
    "Dr.",
    "Mr.",
    "Ask Date:",
    "ask date: 2016/9/7",
    "Reply Date:",
    "reply",
    " reply ",
    "More Info",
    "Similar Q&A",
    "Related FAQ",
    "[Read More]",
    "(Cardiology)",
    "(Ophthal",
    "years old",
    "20~29 year old",
    "female",
    "GİRL",
    "Share to:",
    "https://x.org/a",
    "www.",
    "0000/01/01",
    "2016/02/30",
    "Posted on",
    "Answered on",
    "Answered by Dr. X",
    "Follow up:",
    "Regards,",
    "Dr. Ana Ruiz",
    "Patient:",
    "Doctor:",
    "PATİENT:",
    "Symptoms:",
    "Symptomſ:",
    "Comments / Follow Ups",
    "Ask The Doctor",
    "Dr. Maren Holt M.D.",
    "View all posts",
    "Q:",
    "A:",
    "Brief Answer:",
    "Detailed Answer:",
    "Hi and welcome",
    "Take care.",
    "Dialogue",
    "Description",
    "Description:",
    "id=1",
    "id = ١٢",
    "Q. ",
    "Question:",
    "MBBS, MD",
    "12 Jan 2016",
    "July 7, 2017",
    "Patient's Query",
    "Answered by",
    "Published At July 7, 2017",
    "Reviewed AtMay 22, 2024",
    "HomeAnswers",
    "Q. ",
    "Related Questions:",
    "Consult a doctor now",
    "Welcome to icliniq.com.",
    "Thank you doctor,",
    "Query:",
    "Answer:",
    "»",
    "\u{345}",
];

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// The fixture pages of a source, as raw text (the seeds mutations start from).
fn fixtures(source: &str) -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir().join(source))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

/// The seeds of every target: each source's fixtures (a page of one source is a hostile input
/// for the others, so every target sees them all).
static SEEDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut all: Vec<String> = TARGETS.iter().flat_map(|(n, _)| fixtures(n)).collect();
    for other in [
        "askadoctor",
        "askadoctor_free",
        "icliniq",
        "askthedoctor",
        "meddialog",
        "other",
    ] {
        if !TARGETS.iter().any(|(n, _)| *n == other) {
            all.extend(fixtures(other));
        }
    }
    all
});

/// The specialty table the Python side builds (medqa_ds/specialties.py), from the same schema.
static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema/specialties.schema.json");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("schema/specialties.schema.json"))
            .expect("the specialties schema is JSON");
    let mut table = HashMap::new();
    for name in doc["enum"].as_array().into_iter().flatten() {
        if let Some(name) = name.as_str().filter(|n| !n.is_empty()) {
            table.insert(crate::specialties::key(name), name.to_string());
        }
    }
    for (name, variants) in doc["x-variants"].as_object().into_iter().flatten() {
        for v in variants
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
        {
            table.insert(crate::specialties::key(v), name.clone());
        }
    }
    Table(table)
});

#[derive(Debug, Clone)]
enum Op {
    Drop,
    Double(usize),
    Insert(usize),
    CutHere,
    Case(bool),
    InsertLine(usize),
    Split,
    Join(usize),
    DeleteChar,
}

fn op() -> impl Strategy<Value = (Op, usize, usize)> {
    let kind = prop_oneof![
        Just(Op::Drop),
        any::<usize>().prop_map(Op::Double),
        (0..ODD.len()).prop_map(Op::Insert),
        Just(Op::CutHere),
        any::<bool>().prop_map(Op::Case),
        (0..ODD.len()).prop_map(Op::InsertLine),
        Just(Op::Split),
        (0..4usize).prop_map(Op::Join),
        Just(Op::DeleteChar),
    ];
    (kind, any::<usize>(), any::<usize>())
}

/// `text` with `ops` applied, each at a line and a character of that line (indices taken modulo).
fn mutated(text: &str, ops: &[(Op, usize, usize)]) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    for (op, at, cut) in ops {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let k = at % lines.len();
        let chars: Vec<char> = lines[k].chars().collect();
        let c = cut % (chars.len() + 1);
        let (head, tail): (String, String) =
            (chars[..c].iter().collect(), chars[c..].iter().collect());
        match op {
            Op::Drop => {
                lines.remove(k);
            }
            Op::Double(from) => {
                let line = lines[from % lines.len()].clone();
                lines.insert(k, line);
            }
            Op::Insert(t) => lines[k] = format!("{head}{}{tail}", ODD[*t]),
            Op::CutHere => {
                lines.truncate(k);
                lines.push(head);
            }
            Op::Case(upper) => {
                lines[k] = if *upper {
                    lines[k].to_uppercase()
                } else {
                    lines[k].to_lowercase()
                }
            }
            Op::InsertLine(t) => lines.insert(k, ODD[*t].to_string()),
            Op::Split => {
                lines.splice(k..=k, [head, tail]);
            }
            Op::Join(glue) if k + 1 < lines.len() => {
                let next = lines.remove(k + 1);
                lines[k] = format!("{}{}{next}", lines[k], ["", " ", "Dr.", " Dr."][*glue]);
            }
            Op::Join(_) => {}
            Op::DeleteChar => {
                lines[k] = format!("{head}{}", tail.chars().skip(1).collect::<String>())
            }
        }
    }
    lines.join("\n")
}

/// The slowest page each target met: (time, bytes).
type Slowest = RefCell<HashMap<&'static str, (Duration, usize)>>;

/// Runs every target on a page and checks what a record must hold.
fn run_all(text: &str, slowest: &Slowest) -> Result<(), TestCaseError> {
    let lines: Vec<String> = lines_of(text).into_iter().map(str::to_string).collect();
    for (name, target) in TARGETS {
        let start = Instant::now();
        let got = target(&lines, &TABLE);
        let first = start.elapsed();
        // The faster of two runs: a first use compiles patterns, and the other core's work preempts.
        let start = Instant::now();
        let _ = target(&lines, &TABLE);
        let took = first.min(start.elapsed());
        let mut slowest = slowest.borrow_mut();
        let entry = slowest.entry(name).or_default();
        if took > entry.0 {
            *entry = (took, text.len());
        }
        for shape in got.into_iter().flatten() {
            let filled = |f: &Option<String>| f.as_ref().is_some_and(|t| !t.is_empty());
            prop_assert!(
                shape.title.as_deref() != Some(""),
                "{name}: a record with an empty title"
            );
            prop_assert!(
                filled(&shape.title) || filled(&shape.question),
                "{name}: a record with neither title nor question"
            );
            prop_assert!(
                !shape.answer_texts.is_empty(),
                "{name}: a record with no answer"
            );
        }
    }
    Ok(())
}

/// `PROPTEST_CASES` cases (2,000 by default), nothing saved between runs.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs `strategy`'s pages through every target (`PROPTEST_CASES` of them, 2,000 by default), then
/// prints each target's slowest page. A failure shows the smallest page found that fails.
fn fuzz<S: Strategy>(which: &str, strategy: S, page: impl Fn(S::Value) -> String) {
    let config = config();
    let slowest = Slowest::default();
    let mut runner = TestRunner::new(config);
    if let Err(failure) = runner.run(&strategy, |value| run_all(&page(value), &slowest)) {
        panic!("fuzz {which}: {failure}");
    }
    for (name, (took, bytes)) in slowest.borrow().iter() {
        eprintln!("fuzz {which}: {name}'s slowest page took {took:?} ({bytes} bytes)");
    }
}

#[test]
fn mutated_fixtures() {
    assert!(!SEEDS.is_empty());
    let ops = (any::<usize>(), prop::collection::vec(op(), 1..10));
    fuzz("mutated fixtures", ops, |(seed, ops)| {
        mutated(&SEEDS[seed % SEEDS.len()], &ops)
    });
}

#[test]
fn random_lines() {
    let line = prop_oneof![
        "\\PC{0,60}",
        (0..ODD.len()).prop_map(|t| ODD[t].to_string()),
        ((0..ODD.len()), "[ -~]{0,30}").prop_map(|(t, s)| format!("{}{s}", ODD[t])),
    ];
    let lines = prop::collection::vec(line, 0..40);
    fuzz("random lines", lines, |lines| lines.join("\n"));
}

#[test]
fn the_seeds_are_there() {
    // A fuzzer with no seeds would pass having tested nothing.
    for (name, _) in TARGETS {
        assert!(!fixtures(name).is_empty(), "no fixture pages for {name}");
    }
    assert!(TABLE.0.len() > 50);
}

#[test]
fn mutations_change_pages() {
    let page = "a line\nDr. Ana\nthird";
    assert_eq!(mutated(page, &[(Op::Drop, 1, 0)]), "a line\nthird");
    assert_eq!(
        mutated(page, &[(Op::Split, 0, 2)]),
        "a \nline\nDr. Ana\nthird"
    );
    assert_eq!(
        mutated(page, &[(Op::Join(1), 0, 0)]),
        "a line Dr. Ana\nthird"
    );
    assert_eq!(
        mutated(page, &[(Op::CutHere, 2, 3)]),
        "a line\nDr. Ana\nthi"
    );
}

// --- de-identification's names rules ---------------------------------------------------------

/// Pieces of the texts the names rules read: greetings, honorifics, introductions, relations,
/// families, placeholders, names (Unicode case corners among them) and separators.
const NAME_PIECES: &[&str] = &[
    "Dear",
    "dear ",
    "HELLO",
    "Hi",
    "hiya",
    "Good  morning",
    "GOOD\nevening",
    "xHi",
    "To",
    "\nTo ",
    "Mr.",
    "Ms ",
    "Mrs",
    "Miss ",
    "Dr.",
    "Dr",
    "Prof ",
    "Doctor",
    "_Dr",
    "my name is ",
    "I am ",
    "I'm ",
    "this is ",
    "it’s ",
    " here",
    " here,",
    "my son ",
    "My wife ",
    "my little sister ",
    "my fiancée ",
    "the ",
    " family",
    " Family",
    " family of",
    "[PATIENT]",
    "[PATIENT] ",
    " Khan",
    "Lin",
    "Mei Ling",
    "Mei\nLing",
    "O'Neil",
    "June",
    "A",
    "İbrahim",
    "Işık",
    "Zoë",
    "STRAßE",
    "ŉ",
    "\u{212a}",
    "ſ",
    "\u{1c}",
    "\u{a0}",
    "\u{2028}",
    "\t",
    "\u{85}",
    "\u{345}",
    "\u{301}",
    "٣",
    "²",
    "_",
    "ǅ",
    ":",
    ",",
    ".",
    ";",
    "(",
    ")",
    " ",
    "\n",
    "-",
    "'",
    "’",
    "and",
    "from",
    "0",
    "\u{e000}0\u{e001}",
    "\u{e000}9\u{e001}",
];

fn names_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        (0..NAME_PIECES.len()).prop_map(|k| NAME_PIECES[k].to_string()),
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
}

/// The names rules on one text with a record's names: no panic, and each text done in < 10 ms.
fn names_case(
    text: &str,
    people: &[String],
    doctors: &[String],
    slowest: &RefCell<Duration>,
) -> Result<(), TestCaseError> {
    use crate::privacy::{forms::Names, names, sites};
    let once = || -> Result<(), TestCaseError> {
        let supplied: Vec<String> = sites::supplied(text, &[])
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        let record = Names::new(people, &supplied, doctors);
        for redact in [false, true] {
            if let Ok((out, _)) = names::people(text, &record, &[], redact) {
                prop_assert!(std::str::from_utf8(out.as_bytes()).is_ok());
                let _ = names::beside(&out, &record);
            }
        }
        let _ = record.patients_search(text);
        Ok(())
    };
    // the faster of two runs: a first use compiles the sites' patterns
    let start = Instant::now();
    once()?;
    let first = start.elapsed();
    let start = Instant::now();
    once()?;
    let took = first.min(start.elapsed());
    let before = *slowest.borrow();
    *slowest.borrow_mut() = took.max(before);
    prop_assert!(
        took < Duration::from_millis(10) || text.len() > 4000,
        "{took:?} on {} bytes",
        text.len()
    );
    Ok(())
}

#[test]
fn names_rules() {
    let config = config();
    let slowest = RefCell::new(Duration::ZERO);
    let who = || {
        prop::collection::vec(
            names_text().prop_map(|t| t.chars().take(30).collect::<String>()),
            0..3,
        )
    };
    let strategy = (names_text(), who(), who());
    let mut runner = TestRunner::new(config);
    let run = |(text, people, doctors): (String, Vec<String>, Vec<String>)| {
        names_case(&text, &people, &doctors, &slowest)
    };
    if let Err(failure) = runner.run(&strategy, run) {
        panic!("fuzz names: {failure}");
    }
    eprintln!("fuzz names: the slowest text took {:?}", slowest.borrow());
}

/// What the typed identifiers look for and nearly find: labels, separators, digits of other
/// scripts, case-folding oddities, links and e-mails, the parts of street addresses.
const TYPED_PIECES: &[&str] = &[
    "12 ",
    "221B ",
    "Main ",
    "O'Neil ",
    "E. ",
    "Street",
    "St",
    "Rd.",
    "Lane ",
    ", Lane 5",
    ", Sec. 2",
    ", 3F",
    "3F., ",
    "No. 12",
    "Flat 2, ",
    "House No. 3, ",
    "Door 5, ",
    "P.O. Box 12",
    " NE",
    ", Apt 4B",
    "# 5",
    ", Springfield",
    ", Dover.",
    " IL 62704",
    "-1234",
    " SW1A 1AA",
    "ul. ",
    "pl. ",
    "Długa ",
    "5/3",
    ", 00-950 Warszawa",
    "MRN: ",
    "MR No",
    "chart #",
    "medical record # ",
    "case no. ",
    "ID: ",
    "passport no. ",
    "İD ",
    "ıd",
    "ſsn ",
    "CNIC ",
    "born on ",
    "D.O.B. ",
    "died on ",
    "Sept. ",
    "9th of ",
    "April ",
    "1972",
    "12/03/1999",
    "tel: ",
    "WhatsApp ",
    "phone no. ",
    "+91 ",
    "(555) ",
    "02-2345-6789",
    "0912 345 678",
    "555-123-4567",
    "1-800-555-0199",
    "9845012345",
    "2345 6789 0123",
    "1EG4-TE5-MK73",
    "A123456789",
    "123-45-6789",
    "1234567TW",
    " mg",
    " µG",
    " g",
    "12345678",
    "a@b.com",
    "x(at)y(dot)org",
    " at ",
    " dot ",
    "gmail.com",
    "https://x.org/",
    "www.",
    "?uid=",
    "/users/",
    "%40",
    "٣",
    "²",
    "\u{345}",
    "\u{301}",
    "\x1c",
    "K",
    "_",
    "-",
    ".",
    ",",
    "/",
    "#",
    ":",
    " ",
    "\t",
    "\n",
    "0",
    "7",
    "9",
];

/// Confirms a phone candidate by its shape and every checksum: the most replacing of confirmations.
struct Yes;

impl crate::privacy::typed::Confirm for Yes {
    fn is_phone(&mut self, candidate: &str) -> bool {
        crate::privacy::typed::phone_shaped(candidate)
    }
    fn checksum(&mut self, _: usize, _: &str) -> bool {
        true
    }
    fn names_search(&mut self, text: &str) -> bool {
        text.contains("lin")
    }
}

#[test]
fn typed_identifiers() {
    use crate::privacy::typed::deid_typed;
    let config = config();
    let piece = prop_oneof![
        (0..TYPED_PIECES.len()).prop_map(|k| TYPED_PIECES[k].to_string()),
        "\\PC{0,12}",
        "[0-9 .()+-]{1,16}",
    ];
    let text = prop::collection::vec(piece, 0..60).prop_map(|p| p.concat());
    let off = std::collections::HashSet::new();
    // the patterns are compiled on first use: not what a text costs
    let _ = deid_typed(&TYPED_PIECES.concat(), &off, 9, &mut Yes);
    let slowest = RefCell::new(Duration::ZERO);
    let mut runner = TestRunner::new(config);
    let result = runner.run(&text, |text| {
        let start = Instant::now();
        let got = deid_typed(&text, &off, 1000, &mut Yes);
        let took = start.elapsed();
        let before = *slowest.borrow();
        *slowest.borrow_mut() = took.max(before);
        prop_assert!(std::str::from_utf8(got.text.as_bytes()).is_ok());
        // 10 ms optimised (`cargo test --release`); an unoptimised build builds its lazy DFA
        // states 10-50x slower, so it is held to a looser bound
        let bound = Duration::from_millis(if cfg!(debug_assertions) { 500 } else { 10 });
        prop_assert!(took < bound, "{took:?} on {text:?}");
        Ok(())
    });
    if let Err(failure) = result {
        panic!("fuzz typed identifiers: {failure}");
    }
    eprintln!(
        "fuzz typed identifiers: slowest text took {:?}",
        slowest.borrow()
    );
}

/// One record's step (privacy/step.rs) on texts of name and identifier pieces, NULs and
/// placeholders among them: no panic, valid UTF-8 out, and each record done in < 10 ms.
#[test]
fn deid_step() {
    use crate::privacy::step::{deidentify, Policy, Record};
    let config = config();
    let piece = prop_oneof![
        (0..NAME_PIECES.len()).prop_map(|k| NAME_PIECES[k].to_string()),
        (0..TYPED_PIECES.len()).prop_map(|k| TYPED_PIECES[k].to_string()),
        prop_oneof![
            Just("\0".to_string()),
            Just("\n\0\n".to_string()),
            Just("[PATIENT]".to_string()),
            Just("[PHONE] ".to_string()),
            Just("_".to_string()),
        ],
        "\\PC{0,12}",
    ];
    let text = prop::collection::vec(piece, 0..30).prop_map(|p| p.concat());
    let record = (
        prop::collection::vec(text.clone(), 0..5),
        prop::option::of(text.clone()),
        text.clone(),
        text,
        any::<bool>(),
        any::<bool>(),
    );
    let off = std::collections::HashSet::new();
    let slowest = RefCell::new(Duration::ZERO);
    let mut runner = TestRunner::new(config);
    let result = runner.run(&record, |(texts, asker, author, file, url, redact)| {
        let parts = Record {
            texts: texts.iter().map(String::as_str).collect(),
            fields: texts.iter().map(|_| "question").collect(),
            alone: (url && !texts.is_empty()).then_some(0),
            asker: asker.as_deref(),
            authors: vec![("answers", author.as_str())],
            file: &file,
        };
        let once = || {
            let mut yes = Yes;
            let mut policy = Policy {
                off: &off,
                redact_doctors: redact,
                phone_checks: 1000,
                confirm: &mut yes,
            };
            deidentify(&mut policy, &parts)
        };
        let _ = once(); // a first use compiles the patterns
        let start = Instant::now();
        let got = once();
        let took = start.elapsed();
        let before = *slowest.borrow();
        *slowest.borrow_mut() = took.max(before);
        if let Ok(done) = got {
            prop_assert_eq!(done.texts.len(), texts.len());
            for t in done.texts.iter().chain([&done.file]) {
                prop_assert!(std::str::from_utf8(t.as_bytes()).is_ok());
            }
        }
        let bound = Duration::from_millis(if cfg!(debug_assertions) { 500 } else { 10 });
        prop_assert!(took < bound, "{took:?} on {texts:?}");
        Ok(())
    });
    if let Err(failure) = result {
        panic!("fuzz deid step: {failure}");
    }
    eprintln!("fuzz deid step: slowest record took {:?}", slowest.borrow());
}
