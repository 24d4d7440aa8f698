//! The compiled core of medqa_ds, imported from Python as `medqa_ds._core`.
//!
//! Each step is a small module with its tests beside it; this file only binds them to Python.
//! Work on many records runs with the GIL released, so threads of one process can share it.

mod cleaning;
mod derive;
mod followups;
#[cfg(test)]
mod fuzz;
mod minhash;
mod privacy;
// pyvalue's `to_py` and record's blanks wait for the unit of work, which builds records with them
#[allow(dead_code)]
mod pyvalue;
mod questions;
#[allow(dead_code)]
mod record;
mod repair;
mod schema;
mod sources;
mod specialties;
mod text;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyBytes;
use sources::{
    askadoctor, askadoctor_free, askthedoctor, conversation, doctorqna, fragment, icliniq,
    meddialog, signature,
};
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

pyo3::create_exception!(
    _core,
    PageError,
    pyo3::exceptions::PyValueError,
    "A page a parser gives no record for; the message is the reason (the shim raises ParseError with it)."
);

/// `f()`, or the reason a panic in it gives: no panic crosses into Python.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let msg = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(format!(
            "internal error in the {what} parser on this page: {msg}"
        ))
    })
}

type AskerTuple = (Option<String>, Option<String>, Option<String>);
type AnswerTuple = (String, String, Option<String>, Option<String>, String);
type LinkTuple = (
    &'static str,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
type PageTuple = (
    Option<String>,
    Option<String>,
    String,
    Option<AskerTuple>,
    Option<String>,
    Option<String>,
    Vec<AnswerTuple>,
    Option<String>,
    Vec<LinkTuple>,
    Vec<String>,
);

fn asker_tuple(a: doctorqna::Asker) -> AskerTuple {
    (a.name, a.age_range, a.sex)
}

fn page_tuple(p: doctorqna::Page) -> PageTuple {
    let answers = p
        .answers
        .into_iter()
        .map(|a| (a.author, a.role, a.specialty, a.date, a.text))
        .collect();
    let related = p
        .related
        .into_iter()
        .map(|l| {
            let (author, specialty, answer_excerpt) = match l.reply {
                Some((author, specialty, excerpt)) => (Some(author), specialty, excerpt),
                None => (None, l.specialty, None),
            };
            (
                l.kind,
                l.title,
                l.question_excerpt,
                author,
                specialty,
                answer_excerpt,
            )
        })
        .collect();
    (
        p.headline,
        p.specialty,
        p.title,
        p.asker.map(asker_tuple),
        p.question_date,
        p.question_text,
        answers,
        p.more_info,
        related,
        p.cuts,
    )
}

/// The doctorqna parser (rust/src/sources/doctorqna.rs), with the specialty table it canonicalises by.
#[pyclass(frozen)]
struct DoctorQnA {
    table: specialties::Table,
}

#[pymethods]
impl DoctorQnA {
    #[new]
    fn new(specialties: HashMap<String, String>) -> Self {
        Self {
            table: specialties::Table(specialties),
        }
    }

    /// The page's fields: (headline, specialty, title, asker (name, age_range, sex) or None,
    /// question date, question text, answers (author, role, specialty, date, text), more_info,
    /// related (kind, title, question_excerpt, author, specialty, answer_excerpt), cuts).
    /// Raises PageError with the reason when the page gives no record. Parses with the GIL released.
    fn parse(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<PageTuple> {
        let got = py.detach(|| guarded("doctorqna", || doctorqna::parse(&lines, &self.table)));
        got.map(page_tuple).map_err(PageError::new_err)
    }

    /// True when the page's stripped lines look like doctorqna's layout.
    fn detect(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<bool> {
        py.detach(|| guarded("doctorqna", || Ok(doctorqna::detect(&lines))))
            .map_err(PageError::new_err)
    }

    /// `Dora, 20~29 year old female` → (name, age range, sex).
    #[staticmethod]
    fn parse_asker(who: &str) -> PyResult<AskerTuple> {
        guarded("doctorqna", || Ok(doctorqna::parse_asker(who)))
            .map(asker_tuple)
            .map_err(PageError::new_err)
    }
}

type ConversationAnswerTuple = (Option<String>, Option<String>, String);
type ConversationTuple = (
    Option<String>,
    Option<String>,
    Vec<ConversationAnswerTuple>,
    Vec<(Option<String>, Option<usize>)>,
    Option<&'static str>,
);

/// A conversation page's fields as a tuple, or PageError with (reason, line) when the page gives
/// no record (a panic's reason blames no line).
fn conversation_result(
    got: Result<Result<conversation::Page, conversation::Reject>, String>,
) -> PyResult<ConversationTuple> {
    match got {
        Ok(Ok(p)) => Ok((
            p.title,
            p.question_text,
            p.answers
                .into_iter()
                .map(|a| (a.author, a.role, a.text))
                .collect(),
            p.follow_ups
                .into_iter()
                .map(|f| (f.text, f.after_answer))
                .collect(),
            p.cut,
        )),
        Ok(Err(reject)) => Err(PageError::new_err((reject.reason, reject.line))),
        Err(reason) => Err(PageError::new_err((reason, None::<usize>))),
    }
}

/// The askthedoctor parser (rust/src/sources/askthedoctor.rs), with the specialty table its
/// signatures' role lines are looked up in.
#[pyclass(frozen)]
struct AskTheDoctor {
    table: specialties::Table,
}

#[pymethods]
impl AskTheDoctor {
    #[new]
    fn new(specialties: HashMap<String, String>) -> Self {
        Self {
            table: specialties::Table(specialties),
        }
    }

    /// The page's fields: (title, question text, answers (author, role, text), the patient's
    /// later turns (text, after_answer), incomplete_reason). Raises PageError with (reason,
    /// line) when the page gives no record. Parses with the GIL released.
    fn parse(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<ConversationTuple> {
        conversation_result(py.detach(|| {
            guarded("askthedoctor", || {
                Ok(askthedoctor::parse(&lines, &self.table))
            })
        }))
    }

    /// True when the page's stripped lines look like askthedoctor's layout.
    fn detect(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<bool> {
        py.detach(|| guarded("askthedoctor", || Ok(askthedoctor::detect(&lines))))
            .map_err(|reason| PageError::new_err((reason, None::<usize>)))
    }
}

/// The MedDialog parser (rust/src/sources/meddialog.rs): a corpus file's pages, and each page's
/// consultation, with the specialty table its signatures' role lines are looked up in.
#[pyclass(frozen)]
struct MedDialog {
    table: specialties::Table,
}

#[pymethods]
impl MedDialog {
    #[new]
    fn new(specialties: HashMap<String, String>) -> Self {
        Self {
            table: specialties::Table(specialties),
        }
    }

    /// The consultation's fields, as AskTheDoctor.parse gives them; PageError with (reason, line).
    fn parse(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<ConversationTuple> {
        conversation_result(
            py.detach(|| guarded("meddialog", || Ok(meddialog::parse(&lines, &self.table)))),
        )
    }

    /// True when the page's stripped lines look like a MedDialog corpus file (its first 300
    /// lines decide: the caller need hand over no more).
    fn detect(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<bool> {
        py.detach(|| guarded("meddialog", || Ok(meddialog::detect(&lines))))
            .map_err(|reason| PageError::new_err((reason, None::<usize>)))
    }

    /// The pages a corpus file holds, one per `id=N` block, each with the line it starts on.
    #[staticmethod]
    fn pages(py: Python<'_>, text: PyBackedStr) -> PyResult<Vec<(usize, String)>> {
        py.detach(|| guarded("meddialog", || Ok(meddialog::pages(&text))))
            .map_err(|reason| PageError::new_err((reason, None::<usize>)))
    }
}

type SplitTuple = (Vec<String>, Option<String>, Option<String>, bool);

/// The signature rules several sources share (rust/src/sources/signature.rs), with the specialty
/// table a role line under a name is looked up in.
#[pyclass(frozen)]
struct Signatures {
    table: specialties::Table,
}

#[pymethods]
impl Signatures {
    #[new]
    fn new(specialties: HashMap<String, String>) -> Self {
        Self {
            table: specialties::Table(specialties),
        }
    }

    /// A reply's lines without their closing signature: (lines, name, role, signed); a name fused
    /// to the last sentence is only taken when it agrees with `author` (the header's doctor).
    #[pyo3(signature = (body, author=None))]
    fn split(&self, body: Vec<PyBackedStr>, author: Option<&str>) -> SplitTuple {
        signature::split_signature(&body, author, &self.table)
    }
}

/// True when the line is a doctor's name and nothing else ("Dr. Ana Ruiz").
#[pyfunction]
fn is_signature(line: &str) -> bool {
    signature::is_signature(line)
}

/// True when the line names HealthCareMagic or askadoctor24x7.
#[pyfunction]
fn has_brand(line: &str) -> bool {
    fragment::has_brand(line)
}

/// True when the lines read like a doctor's reply (a greeting, sign-off or signature backed by
/// a brand or advice, or two lines of advice).
#[pyfunction]
fn reads_as_answer(lines: Vec<PyBackedStr>) -> bool {
    fragment::reads_as_answer(&lines)
}

type ThreadAnswerTuple = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);
type ThreadTuple = (
    String,
    Option<String>,
    Option<String>,
    Vec<ThreadAnswerTuple>,
    Vec<(String, Option<usize>)>,
    Option<String>,
    Option<String>,
    bool,
);

fn thread_tuple(p: askadoctor::Page) -> ThreadTuple {
    let answers = p
        .answers
        .into_iter()
        .map(|a| (a.summary, a.author, a.role, a.specialty, a.date, a.text))
        .collect();
    let turns = p
        .turns
        .into_iter()
        .map(|t| (t.text, t.after_answer))
        .collect();
    (
        p.title,
        p.question_text,
        p.question_date,
        answers,
        turns,
        p.specialty,
        p.cut,
        p.last_turn_decides,
    )
}

/// The askadoctor parser (rust/src/sources/askadoctor.rs), with the specialty table it
/// canonicalises by.
#[pyclass(frozen)]
struct AskADoctor {
    table: specialties::Table,
}

#[pymethods]
impl AskADoctor {
    #[new]
    fn new(specialties: HashMap<String, String>) -> Self {
        Self {
            table: specialties::Table(specialties),
        }
    }

    /// The thread's fields: (title, question text, question date, answers (summary, author, role,
    /// specialty, date, text), the patient's turns (text, after_answer), specialty, the cut
    /// reason, whether the conversation's last turn decides the cut). Raises PageError with
    /// (reason, line) when the page gives no record. Parses with the GIL released.
    fn parse(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<ThreadTuple> {
        let got =
            py.detach(|| guarded("askadoctor", || Ok(askadoctor::parse(&lines, &self.table))));
        match got {
            Ok(Ok(page)) => Ok(thread_tuple(page)),
            Ok(Err(askadoctor::Failure::Reject(reason, line))) => {
                Err(PageError::new_err((reason, line)))
            }
            Err(reason) => Err(PageError::new_err((reason, None::<usize>))),
        }
    }

    /// True when the page's stripped lines look like an askadoctor thread.
    fn detect(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<bool> {
        py.detach(|| guarded("askadoctor", || Ok(askadoctor::detect(&lines))))
            .map_err(PageError::new_err)
    }
}

type FreeAnswerTuple = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
type FreePageTuple = (
    String,
    Option<String>,
    Option<String>,
    Vec<FreeAnswerTuple>,
    Option<String>,
    Option<String>,
);

fn free_page_tuple(p: askadoctor_free::Page) -> FreePageTuple {
    let answers = p
        .answers
        .into_iter()
        .map(|a| (a.author, a.role, a.specialty, a.date, a.text))
        .collect();
    (
        p.title,
        p.question_text,
        p.question_date,
        answers,
        p.specialty,
        p.cut,
    )
}

/// The askadoctor_free parser (rust/src/sources/askadoctor_free.rs), with the specialty table it
/// canonicalises by.
#[pyclass(frozen)]
struct AskADoctorFree {
    table: specialties::Table,
}

#[pymethods]
impl AskADoctorFree {
    #[new]
    fn new(specialties: HashMap<String, String>) -> Self {
        Self {
            table: specialties::Table(specialties),
        }
    }

    /// The page's fields: (title, question text, question date, answers (author, role,
    /// specialty, date, text), specialty, incomplete_reason). Raises PageError with (reason,
    /// line) when the page gives no record. Parses with the GIL released.
    fn parse(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<FreePageTuple> {
        let got = py.detach(|| {
            guarded("askadoctor_free", || {
                Ok(askadoctor_free::parse(&lines, &self.table))
            })
        });
        match got {
            Ok(Ok(page)) => Ok(free_page_tuple(page)),
            Ok(Err(askadoctor_free::Failure::Reject(reason, line))) => {
                Err(PageError::new_err((reason, line)))
            }
            Err(reason) => Err(PageError::new_err((reason, None::<usize>))),
        }
    }

    /// True when the page's stripped lines look like a free askadoctor question.
    fn detect(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<bool> {
        py.detach(|| guarded("askadoctor_free", || Ok(askadoctor_free::detect(&lines))))
            .map_err(PageError::new_err)
    }

    /// True when the page is a piece of one: a question's labelled date among its first lines,
    /// or text that reads as a doctor's answer.
    fn recognises_fragment(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<bool> {
        py.detach(|| {
            guarded("askadoctor_free", || {
                Ok(askadoctor_free::recognises_fragment(&lines))
            })
        })
        .map_err(PageError::new_err)
    }
}

type IcliniqAnswerTuple = (Option<String>, Option<String>, Option<String>, String);
type IcliniqTuple = (
    Option<String>,
    String,
    Option<String>,
    Vec<IcliniqAnswerTuple>,
    Vec<(Option<String>, Option<isize>)>,
    Vec<String>,
    Option<String>,
    Option<String>,
);

fn icliniq_tuple(p: icliniq::Page) -> IcliniqTuple {
    let answers = p
        .answers
        .into_iter()
        .map(|a| (a.author, a.role, a.specialty, a.text))
        .collect();
    let turns = p
        .turns
        .into_iter()
        .map(|t| (t.text, t.after_answer))
        .collect();
    (
        p.title,
        p.question_text,
        p.question_date,
        answers,
        turns,
        p.related,
        p.specialty,
        p.cut,
    )
}

/// The icliniq parser (rust/src/sources/icliniq.rs), with the specialty table it canonicalises by.
#[pyclass(frozen)]
struct ICliniq {
    table: specialties::Table,
}

#[pymethods]
impl ICliniq {
    #[new]
    fn new(specialties: HashMap<String, String>) -> Self {
        Self {
            table: specialties::Table(specialties),
        }
    }

    /// The thread's fields: (title, question text, question date, answers (author, role,
    /// specialty, text), the patient's turns (text, after_answer), the related questions' titles,
    /// specialty, the cut reason). Raises PageError with the reason when the page gives no
    /// record. Parses with the GIL released.
    fn parse(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<IcliniqTuple> {
        let got = py.detach(|| guarded("icliniq", || icliniq::parse(&lines, &self.table)));
        got.map(icliniq_tuple).map_err(PageError::new_err)
    }

    /// True when the page's stripped lines look like an icliniq thread (or topic listing).
    fn detect(&self, py: Python<'_>, lines: Vec<PyBackedStr>) -> PyResult<bool> {
        py.detach(|| guarded("icliniq", || Ok(icliniq::detect(&lines))))
            .map_err(PageError::new_err)
    }

    /// The specialty a run-together breadcrumb (`HomeAnswersHematologyiron…`) names, or None.
    fn breadcrumb_specialty(&self, line: &str) -> PyResult<Option<String>> {
        guarded("icliniq", || {
            Ok(icliniq::breadcrumb_specialty(line, &self.table))
        })
        .map_err(PageError::new_err)
    }
}

fn to_bytes<'py>(py: Python<'py>, values: &[u32]) -> Bound<'py, PyBytes> {
    PyBytes::new_with(py, values.len() * 4, |buf| {
        for (chunk, v) in buf.chunks_exact_mut(4).zip(values) {
            chunk.copy_from_slice(&v.to_ne_bytes());
        }
        Ok(())
    })
    .expect("allocating a bytes object")
}

/// MinHash with fixed permutations `a` (odd) and `b`, one pair per signature value.
#[pyclass(frozen)]
struct MinHasher {
    perms: minhash::Permutations,
}

#[pymethods]
impl MinHasher {
    #[new]
    fn new(a: Vec<u32>, b: Vec<u32>) -> PyResult<Self> {
        if a.len() != b.len() || a.is_empty() || a.iter().any(|v| v % 2 == 0) {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "a and b must be equally long, not empty, and every a odd: take them from the same permutations"));
        }
        Ok(Self {
            perms: minhash::Permutations { a, b },
        })
    }

    /// The signatures of texts (of their word 3-grams): `len(texts) * len(a)` native-endian
    /// uint32 values as bytes, a row per text. Hashes with the GIL released.
    fn signatures<'py>(&self, py: Python<'py>, texts: Vec<PyBackedStr>) -> Bound<'py, PyBytes> {
        let out = py.detach(|| {
            let mut out = Vec::with_capacity(texts.len() * self.perms.a.len());
            for text in &texts {
                out.extend_from_slice(&minhash::signature(text, &self.perms));
            }
            out
        });
        to_bytes(py, &out)
    }

    /// The signatures of records (of `neardup.text` of each, rust/src/derive/), as `signatures`
    /// gives them: the records' fields are read with the GIL, the hashing runs without it.
    fn record_signatures<'py>(
        &self,
        py: Python<'py>,
        records: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let records = records
            .iter()
            .map(|r| pyvalue::from_py_fields(r, derive::MINHASH_FIELDS))
            .collect::<PyResult<Vec<_>>>()?;
        let out = py.detach(|| {
            guarded("MinHash", || {
                let mut out = Vec::with_capacity(records.len() * self.perms.a.len());
                for record in &records {
                    let text = derive::minhash_text(record)?;
                    out.extend_from_slice(&minhash::signature(&text, &self.perms));
                }
                Ok(out)
            })
        });
        Ok(to_bytes(py, &got_or_raise(out)?))
    }
}

/// One uint32 key per LSH band of each signature (`bands` bands of `rows` values), as bytes
/// (rows: signatures); `signatures` holds native-endian uint32 rows of `num_perm` values.
#[pyfunction]
fn band_keys<'py>(
    py: Python<'py>,
    signatures: &[u8],
    num_perm: usize,
    bands: usize,
    rows: usize,
) -> PyResult<Bound<'py, PyBytes>> {
    if num_perm == 0 || !signatures.len().is_multiple_of(num_perm * 4) || bands * rows > num_perm {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "signatures must be whole rows of num_perm uint32 values, and bands * rows <= num_perm",
        ));
    }
    let out = py.detach(|| minhash::band_keys(signatures, num_perm, bands, rows));
    Ok(to_bytes(py, &out))
}

/// A specialty spelling's lookup key (lower-cased, `&` as ` and `, other runs one space): the one
/// rule, which the Python parsers' `specialties.canonical` calls too.
#[pyfunction]
fn specialty_key(name: &str) -> String {
    specialties::key(name)
}

/// The non-blank lines joined by newlines, or None when there are none (every parser's rule).
#[pyfunction]
fn join_lines(lines: Vec<PyBackedStr>) -> Option<String> {
    text::join_lines(&lines)
}

/// `2016/09/07`, `2016-9-7`, `Tue, 12 Jan 2016` or `July 7, 2017` as ISO `YYYY-MM-DD`; None
/// if not a real date (every parser's rule).
#[pyfunction]
#[pyo3(signature = (value))]
fn iso_date(value: Option<&str>) -> Option<String> {
    text::iso_date(value)
}

/// A line ending in `Dr.`/`Mr.`… joined with the next one, unless that one is blank or
/// `keep_apart(line)` is true (the rule of rust/src/text.rs; `keep_apart` is asked as the
/// Python rule asked it, and its first exception is raised).
#[pyfunction]
fn join_honorific_breaks(
    lines: Vec<PyBackedStr>,
    keep_apart: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    let failed: std::cell::RefCell<Option<PyErr>> = std::cell::RefCell::new(None);
    let joined = text::join_honorific_breaks(&lines, |line| {
        if failed.borrow().is_some() {
            return false;
        }
        match keep_apart.call1((line,)).and_then(|v| v.is_truthy()) {
            Ok(apart) => apart,
            Err(err) => {
                *failed.borrow_mut() = Some(err);
                false
            }
        }
    });
    match failed.into_inner() {
        Some(err) => Err(err),
        None => Ok(joined),
    }
}

/// Which candidate sources' markers a lower-cased page holds (detection's cheap test), one pass.
#[pyclass(frozen)]
struct Markers(sources::markers::Markers);

#[pymethods]
impl Markers {
    #[new]
    fn new(sets: Vec<Vec<String>>) -> Self {
        Markers(sources::markers::Markers::new(&sets))
    }

    fn found(&self, text: &str) -> Vec<bool> {
        self.0.found(text)
    }
}

/// Lower-case letters and digits of the parts, the last cut to `chars` (what ids hash).
#[pyfunction]
#[pyo3(signature = (parts, chars=200))]
fn fingerprint(parts: Vec<Option<PyBackedStr>>, chars: usize) -> String {
    text::fingerprint(&parts, chars)
}

/// A page split into stripped lines; `\r\n`, `\r` and a leading BOM normalised away (every
/// parser reads its page so).
#[pyfunction]
fn lines_of(text: &str) -> Vec<&str> {
    text::lines_of(text)
}

/// True when a page's last line looks cut mid-sentence (every parser's rule).
#[pyfunction]
fn looks_cut(line: &str) -> bool {
    text::looks_cut(line)
}

/// The certain repairs of a record's texts (rust/src/repair.rs), with the English lexicon they
/// check words against: built once per process, so the lexicon is read into the core once.
#[pyclass(frozen)]
struct Repairer {
    lexicon: repair::Lexicon,
}

#[pymethods]
impl Repairer {
    #[new]
    fn new(lexicon: HashSet<String>) -> Self {
        Self {
            lexicon: repair::Lexicon::new(lexicon),
        }
    }

    /// The repairs with the words of `text` (a word list, as `text.split()` cuts it) as the
    /// lexicon: a process then holds the lexicon once, in the core, not also as a Python set.
    #[staticmethod]
    fn from_words(text: &str) -> Self {
        let words = text
            .split(text::is_space)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        Self::new(words)
    }

    /// Each of `texts` with its certain repairs, or None where there are none; the words of
    /// `texts` and `others` (a record's title and follow-up turns) are the page's evidence.
    /// Works with the GIL released.
    fn repair(
        &self,
        py: Python<'_>,
        texts: Vec<Option<PyBackedStr>>,
        others: Vec<Option<PyBackedStr>>,
    ) -> PyResult<Vec<Option<String>>> {
        py.detach(|| {
            guarded("repair", || {
                let words = repair::page_words(texts.iter().chain(&others).map(Option::as_deref));
                Ok(texts
                    .iter()
                    .map(|t| repair::repair(t.as_deref(), &words, &self.lexicon))
                    .collect())
            })
        })
        .map_err(PageError::new_err)
    }
}

/// The sentences of a text that ask something (end in `?`, two words or more), in order.
#[pyfunction]
#[pyo3(signature = (text))]
fn question_sentences(text: Option<&str>) -> Vec<String> {
    questions::question_sentences(text)
}

/// For each answer text, its doctor's follow-up turns: (lead-in line or None, questions) for each
/// run of two or more list items, most of them questions. Works with the GIL released.
#[pyfunction]
fn doctor_follow_ups(
    py: Python<'_>,
    answers: Vec<PyBackedStr>,
) -> PyResult<Vec<Vec<followups::Turn>>> {
    py.detach(|| {
        guarded("follow-up", || {
            Ok(answers
                .iter()
                .map(|a| followups::doctor_follow_ups(a))
                .collect())
        })
    })
    .map_err(PageError::new_err)
}

/// For the tests: how the compiled parsers class each character of `text`, a byte each: its
/// value plus one when it is a digit of Python's `\d` (else 0), 16 for Python's `\w`, 32 for `\s`.
#[pyfunction]
fn char_classes<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyBytes> {
    let out: Vec<u8> = text
        .chars()
        .map(|c| {
            let digit = text::digit_value(c).map_or(0, |v| v as u8 + 1);
            digit | (u8::from(text::is_word(c)) << 4) | (u8::from(text::is_space(c)) << 5)
        })
        .collect();
    PyBytes::new(py, &out)
}

/// A cleaning rule as Python reads it: (name, kind, sources or None for every source, what it
/// removes, example, expected, replacement).
type RuleTuple = (
    &'static str,
    &'static str,
    Option<Vec<&'static str>>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The cleaning rules (rust/src/cleaning/rules.rs), in the order they are tried.
#[pyfunction]
fn cleaning_rules() -> Vec<RuleTuple> {
    cleaning::RULES
        .iter()
        .map(|r| {
            (
                r.name,
                r.kind.name(),
                r.sources.map(<[&str]>::to_vec),
                r.removes,
                r.example,
                r.expected,
                r.replacement,
            )
        })
        .collect()
}

/// An answer's text of a page of `source` cleaned by the rules named in `rules` that apply to the
/// source: (clean text, (rule name, removed text) of each removal in order).
#[pyfunction]
fn clean(
    py: Python<'_>,
    text: &str,
    source: &str,
    rules: Vec<PyBackedStr>,
) -> PyResult<(String, Vec<(&'static str, String)>)> {
    let got = py.detach(|| {
        guarded("cleaning", || {
            let names: Vec<&str> = rules.iter().map(|r| &**r).collect();
            Ok(cleaning::clean(text, source, &names))
        })
    });
    got.map_err(pyo3::exceptions::PyRuntimeError::new_err)
}

/// A line cut into sentences (each with its closing punctuation); "Dr." and the like do not end
/// one, a full stop before a capitalised word with no space ("helps.Stay") does.
#[pyfunction]
fn sentences(line: &str) -> Vec<&str> {
    cleaning::sentences(line)
}

/// The people one record names (rust/src/privacy/forms.rs): its patients, to replace wherever
/// they recur, and its doctors, to keep. `sites`: the rules whose sites supplied a name (None: all).
#[pyclass(frozen)]
struct Names {
    inner: privacy::forms::Names,
}

#[pymethods]
impl Names {
    #[new]
    #[pyo3(signature = (patients, greeted, doctors, sites=None))]
    fn new(
        patients: Vec<PyBackedStr>,
        greeted: Vec<PyBackedStr>,
        doctors: Vec<PyBackedStr>,
        sites: Option<HashSet<String>>,
    ) -> PyResult<Self> {
        guarded("names", || {
            let mut inner = privacy::forms::Names::new(&patients, &greeted, &doctors);
            inner.sites = sites.map(|s| s.into_iter().collect());
            Ok(Self { inner })
        })
        .map_err(pyo3::exceptions::PyRuntimeError::new_err)
    }

    /// True when every part of `name` is part of one answering doctor's name.
    fn is_doctor(&self, name: &str) -> bool {
        self.inner.is_doctor(name)
    }

    /// True when a patient's name is in `text` (in any of its written forms).
    fn patients_search(&self, text: &str) -> bool {
        self.inner.patients_search(text)
    }
}

fn offs(off: &HashSet<String>) -> Vec<&str> {
    off.iter().map(String::as_str).collect()
}

/// (rule, name) for each name a text supplies (a greeting, an honorific, a self-introduction, a
/// relation, "the X family"), the rules in `off` left out.
#[pyfunction]
fn deid_supplied(
    py: Python<'_>,
    text: &str,
    off: HashSet<String>,
) -> PyResult<Vec<(&'static str, String)>> {
    py.detach(|| guarded("names", || Ok(privacy::sites::supplied(text, &offs(&off)))))
        .map_err(pyo3::exceptions::PyRuntimeError::new_err)
}

/// A text with patients' names replaced by `[PATIENT]` (doctors' kept, or `[DOCTOR]` with
/// `redact_doctors`), and the replacements counted by key ("PATIENT", "rule:salutation"…).
#[pyfunction]
fn deid_people(
    py: Python<'_>,
    text: &str,
    names: &Names,
    off: HashSet<String>,
    redact_doctors: bool,
) -> PyResult<(String, Vec<(String, i64)>)> {
    let got = py.detach(|| {
        guarded("names", || {
            privacy::names::people(text, &names.inner, &offs(&off), redact_doctors)
                .map(|(text, counts)| (text, counts.0))
        })
    });
    got.map_err(deid_error)
}

/// A de-identification failure as Python saw it: a panic (`guarded`'s "internal error") is a
/// RuntimeError; a page's own doctor mask naming no mask is the IndexError Python's step raised.
fn deid_error(e: String) -> PyErr {
    if e.starts_with("internal error") {
        pyo3::exceptions::PyRuntimeError::new_err(e)
    } else {
        pyo3::exceptions::PyIndexError::new_err(e)
    }
}

/// Family names standing beside a replaced name ("[PATIENT] Khan").
#[pyfunction]
fn deid_beside(py: Python<'_>, text: &str, names: &Names) -> PyResult<Vec<String>> {
    py.detach(|| guarded("names", || Ok(privacy::names::beside(text, &names.inner))))
        .map_err(pyo3::exceptions::PyRuntimeError::new_err)
}

/// The confirmations of the typed identifiers asked of Python: libphonenumber, python-stdnum's
/// checksums and the record's names, each called with the GIL taken only for that call; the
/// first exception one raises stops the asking and is raised.
struct PyConfirm<'a> {
    is_phone: &'a Py<PyAny>,
    checksums: &'a [Py<PyAny>],
    names: Option<&'a privacy::forms::Names>,
    error: Option<PyErr>,
}

impl<'a> PyConfirm<'a> {
    fn new(
        is_phone: &'a Py<PyAny>,
        checksums: &'a [Py<PyAny>],
        names: Option<&'a privacy::forms::Names>,
    ) -> Self {
        PyConfirm {
            is_phone,
            checksums,
            names,
            error: None,
        }
    }

    fn ask(&mut self, f: &Py<PyAny>, arg: &str) -> bool {
        if self.error.is_some() {
            return false;
        }
        Python::attach(
            |py| match f.call1(py, (arg,)).and_then(|v| v.bind(py).is_truthy()) {
                Ok(yes) => yes,
                Err(err) => {
                    self.error = Some(err);
                    false
                }
            },
        )
    }
}

impl privacy::typed::Confirm for PyConfirm<'_> {
    fn is_phone(&mut self, candidate: &str) -> bool {
        let f = self.is_phone;
        self.ask(f, candidate)
    }

    fn checksum(&mut self, shape: usize, value: &str) -> bool {
        let checksums = self.checksums;
        checksums.get(shape).is_some_and(|f| self.ask(f, value))
    }

    fn names_search(&mut self, text: &str) -> bool {
        self.names.is_some_and(|n| n.patients_search(text))
    }
}

/// Contact details, identifiers and street addresses of `text` replaced by typed placeholders
/// (rust/src/privacy/typed): (text, the counts it adds by kind and `rule:<name>`). `off`: the
/// rules switched off; `phone_checks`: how many candidates `is_phone` is asked about before the
/// shape decides; `checksums`: python-stdnum's validators in the order of
/// `identifiers.CHECKSUMS`; `names`: the record's names (a personal link holds one of its patients').
#[pyfunction]
#[pyo3(signature = (text, off, phone_checks, is_phone, checksums, names))]
fn deid_typed(
    py: Python<'_>,
    text: &str,
    off: HashSet<String>,
    phone_checks: usize,
    is_phone: Py<PyAny>,
    checksums: Vec<Py<PyAny>>,
    names: Option<PyRef<'_, Names>>,
) -> PyResult<(String, Vec<(String, i64)>)> {
    let mut confirm = PyConfirm::new(&is_phone, &checksums, names.as_deref().map(|n| &n.inner));
    let got = py.detach(|| {
        guarded("de-identification", || {
            Ok(privacy::typed::deid_typed(
                text,
                &off,
                phone_checks,
                &mut confirm,
            ))
        })
    });
    if let Some(err) = confirm.error {
        return Err(err);
    }
    let typed = got.map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    Ok((typed.text, typed.counts))
}

/// Where a free-text string of the copied record goes back.
enum Place<'py> {
    Dict(Bound<'py, pyo3::types::PyDict>, Bound<'py, PyAny>),
    List(Bound<'py, pyo3::types::PyList>, usize),
}

/// A free-text string of the record: where it goes back, its top-level field, its text.
struct Slot<'py> {
    place: Place<'py>,
    field: String,
    text: PyBackedStr,
    alone: bool,
}

/// `_copy`: a copy of a JSON-like record (its dicts and lists new, the rest shared), noting in
/// `slots` every non-empty string whose path is not in `NOT_TEXT` (a list's items take the list's
/// path). `prov`: `node` is the record's `provenance` dict, whose `url` is cleaned alone.
fn copy_node<'py>(
    node: &Bound<'py, PyAny>,
    path: &str,
    prov: bool,
    slots: &mut Vec<Slot<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::types::{PyDict, PyList, PyString};
    let py = node.py();
    let is_text = |value: &Bound<'py, PyAny>, here: &str| -> PyResult<Option<PyBackedStr>> {
        match value.cast::<PyString>() {
            Ok(s) if !privacy::step::NOT_TEXT.contains(&here) => {
                let text: PyBackedStr = s.extract()?;
                Ok((!text.is_empty()).then_some(text))
            }
            _ => Ok(None),
        }
    };
    let field = |here: &str| here.split('.').next().unwrap_or_default().to_string();
    if let Ok(dict) = node.cast::<PyDict>() {
        let out = PyDict::new(py);
        for (key, value) in dict.iter() {
            let here = if path.is_empty() {
                key.str()?.to_string()
            } else {
                format!("{path}.{}", key.str()?)
            };
            let value = if value.is_instance_of::<PyDict>() || value.is_instance_of::<PyList>() {
                let prov =
                    path.is_empty() && key.extract::<&str>().is_ok_and(|k| k == "provenance");
                copy_node(&value, &here, prov, slots)?
            } else {
                if let Some(text) = is_text(&value, &here)? {
                    let alone = prov && key.extract::<&str>().is_ok_and(|k| k == "url");
                    let place = Place::Dict(out.clone(), key.clone());
                    slots.push(Slot {
                        place,
                        field: field(&here),
                        text,
                        alone,
                    });
                }
                value
            };
            out.set_item(key, value)?;
        }
        return Ok(out.into_any());
    }
    let out = PyList::empty(py);
    for value in node.try_iter()? {
        let value = value?;
        let value = if value.is_instance_of::<PyDict>() || value.is_instance_of::<PyList>() {
            copy_node(&value, path, false, slots)?
        } else {
            if let Some(text) = is_text(&value, path)? {
                let place = Place::List(out.clone(), out.len());
                slots.push(Slot {
                    place,
                    field: field(path),
                    text,
                    alone: false,
                });
            }
            value
        };
        out.append(value)?;
    }
    Ok(out.into_any())
}

/// `deidentify`: a copy of `record` with patients' names and identifiers replaced (`record` is not
/// changed), and the replacements by kind and by top-level field (positive ones, in the order a
/// Python Counter first saw them). The walk holds the GIL; the text work runs without it.
#[pyfunction]
#[pyo3(signature = (record, off, redact_doctors, phone_checks, is_phone, checksums))]
#[allow(clippy::type_complexity)]
fn deid_record<'py>(
    record: &Bound<'py, PyAny>,
    off: HashSet<String>,
    redact_doctors: bool,
    phone_checks: usize,
    is_phone: Py<PyAny>,
    checksums: Vec<Py<PyAny>>,
) -> PyResult<(Bound<'py, PyAny>, Vec<(String, i64)>, Vec<(String, i64)>)> {
    let py = record.py();
    let mut slots = Vec::new();
    let out = copy_node(record, "", false, &mut slots)?;
    let asker = out.get_item("question")?.get_item("asker")?;
    let asker_name = asker.get_item("name")?;
    let asker_text: Option<PyBackedStr> = if asker_name.is_none() {
        None
    } else {
        Some(asker_name.extract()?)
    };
    let mut items = Vec::new();
    for field in ["answers", "related"] {
        for item in out.get_item(field)?.try_iter()? {
            let item = item?;
            let author = item.get_item("author")?;
            if author.is_truthy()? {
                let name: PyBackedStr = author.extract()?;
                items.push((field, item, name));
            }
        }
    }
    let prov = out.get_item("provenance")?;
    let file: PyBackedStr = prov.get_item("file")?.extract()?;
    let parts = privacy::step::Record {
        texts: slots.iter().map(|s| &*s.text).collect(),
        fields: slots.iter().map(|s| s.field.as_str()).collect(),
        alone: slots.iter().position(|s| s.alone),
        asker: asker_text.as_deref(),
        authors: items.iter().map(|(f, _, n)| (*f, &**n)).collect(),
        file: &file,
    };
    let mut confirm = PyConfirm::new(&is_phone, &checksums, None);
    let got = py.detach(|| {
        guarded("de-identification", || {
            let mut policy = privacy::step::Policy {
                off: &off,
                redact_doctors,
                phone_checks,
                confirm: &mut confirm,
            };
            privacy::step::deidentify(&mut policy, &parts)
        })
    });
    if let Some(err) = confirm.error {
        return Err(err);
    }
    let done = got.map_err(deid_error)?;
    for (slot, text) in slots.iter().zip(&done.texts) {
        match &slot.place {
            Place::Dict(dict, key) => dict.set_item(key, text)?,
            Place::List(list, k) => list.set_item(*k, text)?,
        }
    }
    if asker_text.is_some() {
        asker.set_item("name", py.None())?;
    }
    if redact_doctors {
        for (_, item, _) in &items {
            item.set_item("author", "[DOCTOR]")?;
        }
    }
    prov.set_item("file", &done.file)?;
    Ok((out, done.by_kind, done.by_field))
}

/// `file_name`: a file's name de-identified as text (`_` read as a line break); with `names`, the
/// record's patients' names go too (doctors are kept).
#[pyfunction]
#[pyo3(signature = (name, off, phone_checks, is_phone, checksums, names))]
fn deid_file_name(
    py: Python<'_>,
    name: &str,
    off: HashSet<String>,
    phone_checks: usize,
    is_phone: Py<PyAny>,
    checksums: Vec<Py<PyAny>>,
    names: Option<PyRef<'_, Names>>,
) -> PyResult<String> {
    let mut confirm = PyConfirm::new(&is_phone, &checksums, None);
    let names = names.as_deref().map(|n| &n.inner);
    let got = py.detach(|| {
        guarded("de-identification", || {
            let mut policy = privacy::step::Policy {
                off: &off,
                redact_doctors: false,
                phone_checks,
                confirm: &mut confirm,
            };
            privacy::step::file_name(&mut policy, name, names)
        })
    });
    if let Some(err) = confirm.error {
        return Err(err);
    }
    got.map_err(deid_error)
}

/// The rules `deid_typed` applies, by their names in `deid_rules.RULES`.
#[pyfunction]
fn deid_typed_rules() -> Vec<&'static str> {
    privacy::typed::RULES.to_vec()
}

/// True when `candidate` has a phone number's 8 to 15 digits (`str.isdigit`) and is no date or
/// range: what `identifiers.is_phone` asks before libphonenumber.
#[pyfunction]
fn phone_shaped(candidate: &str) -> bool {
    privacy::typed::phone_shaped(candidate)
}

/// A derived value's failure as Python sees it: a panic (`guarded`'s "internal error") is a
/// RuntimeError; a record whose fields are not the schema's is the TypeError Python's code raised.
fn got_or_raise<T>(got: Result<T, String>) -> PyResult<T> {
    got.map_err(|e| match e.starts_with("internal error") {
        true => pyo3::exceptions::PyRuntimeError::new_err(e),
        false => pyo3::exceptions::PyTypeError::new_err(e),
    })
}

/// `derive(record's fields)`: a value of rust/src/derive/ from the top-level `fields` it reads.
fn derived<T>(
    what: &str,
    record: &Bound<'_, PyAny>,
    fields: &[&str],
    derive: impl FnOnce(&serde_json::Map<String, serde_json::Value>) -> Result<T, String>,
) -> PyResult<T> {
    let map = pyvalue::from_py_fields(record, fields)?;
    got_or_raise(guarded(what, || derive(&map)))
}

/// `chunk.rank`: whole before cut, then more answers, then more text.
#[pyfunction]
fn record_rank(record: &Bound<'_, PyAny>) -> PyResult<i64> {
    derived("rank", record, derive::RANK_FIELDS, derive::rank)
}

/// `same_asker.key`: (identity hash, question day), (0, -1) without a key.
#[pyfunction]
fn asker_key(record: &Bound<'_, PyAny>) -> PyResult<(u64, i32)> {
    derived(
        "same-asker",
        record,
        derive::ASKER_FIELDS,
        derive::asker_key,
    )
}

/// Python's `str.casefold()` (the core's table of it).
#[pyfunction]
fn casefold(text: &str) -> String {
    derive::casefold(text)
}

/// `date.fromisoformat(text).toordinal()` as Python 3.11 computes it; None where it refuses.
#[pyfunction]
fn iso_ordinal(text: &str) -> Option<i32> {
    derive::iso_ordinal(text)
}

/// `SplitSpec.assign`: the index of `key`'s split, given the shares in `SPLITS` order.
#[pyfunction]
fn split_assign(salt: &str, key: &str, shares: Vec<f64>) -> PyResult<usize> {
    derive::split_assign(salt, key, &shares)
        .ok_or_else(|| pyo3::exceptions::PyIndexError::new_err("no split has a positive share"))
}

/// `neardup.text`: the title and the question (or the first answer's text).
#[pyfunction]
fn minhash_text(record: &Bound<'_, PyAny>) -> PyResult<String> {
    derived(
        "MinHash",
        record,
        derive::MINHASH_FIELDS,
        derive::minhash_text,
    )
}

/// `cleaning.removed`: (rule, pieces removed) of the record's answers, in the order first seen.
#[pyfunction]
fn cleaning_removed(record: &Bound<'_, PyAny>) -> PyResult<Vec<(&'static str, usize)>> {
    let map = pyvalue::from_py_fields(record, derive::REMOVED_FIELDS)?;
    got_or_raise(
        record
            .py()
            .detach(|| guarded("cleaning", || derive::removed(&map))),
    )
}

/// The record schema compiled once (rust/src/schema.rs), twice over: for the core's record value
/// (what the unit of work checks) and for Python's objects read in place (what Python asks today,
/// with no conversion, as jsonschema-rs did).
#[pyclass(frozen)]
struct Validator {
    value: schema::RecordValidator,
    objects: schema::RecordValidator<jsonschema::json::Pyo3>,
}

#[pymethods]
impl Validator {
    /// From the record schema's JSON and (`$id`, JSON) of every schema document.
    #[new]
    fn new(schema: &str, documents: Vec<(String, String)>) -> PyResult<Self> {
        let compiled = schema::RecordValidator::new(schema, &documents).and_then(|value| {
            Ok(Self {
                value,
                objects: schema::RecordValidator::new(schema, &documents)?,
            })
        });
        compiled.map_err(pyo3::exceptions::PyValueError::new_err)
    }

    /// True when the record (Python's dicts and lists, read in place) is valid.
    fn is_valid(&self, record: &Bound<'_, PyAny>) -> PyResult<bool> {
        got_or_raise(guarded("schema", || {
            Ok(self.objects.is_valid(record.as_borrowed()))
        }))
    }

    /// True when the record, as the core's record value, is valid: the verdict the unit of work
    /// gets (checked without the GIL).
    fn is_valid_value(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<bool> {
        let value = pyvalue::from_py(record)?;
        got_or_raise(py.detach(|| guarded("schema", || Ok(self.value.is_valid(&value)))))
    }
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<MinHasher>()?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    m.add_class::<DoctorQnA>()?;
    m.add_class::<AskADoctor>()?;
    m.add_class::<AskADoctorFree>()?;
    m.add_class::<AskTheDoctor>()?;
    m.add_class::<MedDialog>()?;
    m.add_class::<ICliniq>()?;
    m.add_function(wrap_pyfunction!(char_classes, m)?)?;
    m.add_function(wrap_pyfunction!(specialty_key, m)?)?;
    m.add_function(wrap_pyfunction!(join_lines, m)?)?;
    m.add_function(wrap_pyfunction!(looks_cut, m)?)?;
    m.add_function(wrap_pyfunction!(lines_of, m)?)?;
    m.add_function(wrap_pyfunction!(fingerprint, m)?)?;
    m.add_class::<Markers>()?;
    m.add_function(wrap_pyfunction!(join_honorific_breaks, m)?)?;
    m.add_function(wrap_pyfunction!(iso_date, m)?)?;
    m.add_class::<Signatures>()?;
    m.add_function(wrap_pyfunction!(is_signature, m)?)?;
    m.add_function(wrap_pyfunction!(has_brand, m)?)?;
    m.add_function(wrap_pyfunction!(reads_as_answer, m)?)?;
    m.add_class::<Repairer>()?;
    m.add_function(wrap_pyfunction!(question_sentences, m)?)?;
    m.add_function(wrap_pyfunction!(doctor_follow_ups, m)?)?;
    m.add_function(wrap_pyfunction!(cleaning_rules, m)?)?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(sentences, m)?)?;
    m.add_function(wrap_pyfunction!(deid_typed, m)?)?;
    m.add_function(wrap_pyfunction!(deid_typed_rules, m)?)?;
    m.add_function(wrap_pyfunction!(deid_record, m)?)?;
    m.add_function(wrap_pyfunction!(deid_file_name, m)?)?;
    m.add_function(wrap_pyfunction!(phone_shaped, m)?)?;
    m.add("CLEANING_OTHER_TURN", cleaning::OTHER_TURN.to_vec())?;
    m.add_class::<Names>()?;
    m.add_function(wrap_pyfunction!(deid_supplied, m)?)?;
    m.add_function(wrap_pyfunction!(deid_people, m)?)?;
    m.add_function(wrap_pyfunction!(deid_beside, m)?)?;
    m.add(
        "NAME_SITE_RULES",
        privacy::sites::SITES
            .iter()
            .map(|s| s.rule)
            .collect::<Vec<_>>(),
    )?;
    m.add("WORD_NAMES", privacy::words::WORD_NAMES.to_vec())?;
    m.add("DEID_JOIN", privacy::step::JOIN)?;
    m.add("PageError", m.py().get_type::<PageError>())?;
    m.add_function(wrap_pyfunction!(record_rank, m)?)?;
    m.add_function(wrap_pyfunction!(asker_key, m)?)?;
    m.add_function(wrap_pyfunction!(casefold, m)?)?;
    m.add_function(wrap_pyfunction!(iso_ordinal, m)?)?;
    m.add_function(wrap_pyfunction!(split_assign, m)?)?;
    m.add_function(wrap_pyfunction!(minhash_text, m)?)?;
    m.add_function(wrap_pyfunction!(cleaning_removed, m)?)?;
    m.add_class::<Validator>()?;
    m.add("ASKER_ANONYMOUS", derive::ASKER_ANONYMOUS.to_vec())?;
    m.add("ASKER_NO_DAY", derive::ASKER_NO_DAY)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::guarded;

    #[test]
    fn a_panic_becomes_a_reason() {
        let got: Result<(), String> = guarded("doctorqna", || panic!("index out of bounds"));
        let formatted: Result<(), String> = guarded("doctorqna", || panic!("line {}", 3));
        assert_eq!(
            got.unwrap_err(),
            "internal error in the doctorqna parser on this page: index out of bounds"
        );
        assert_eq!(
            formatted.unwrap_err(),
            "internal error in the doctorqna parser on this page: line 3"
        );
        assert_eq!(guarded("doctorqna", || Ok(1)), Ok(1));
        assert_eq!(
            guarded::<()>("doctorqna", || Err("no answer: x".into())),
            Err("no answer: x".into())
        );
    }
}
