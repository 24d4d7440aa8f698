//! The compiled core of medqa_ds, imported from Python as `medqa_ds._core`.
//!
//! Each step is a small module with its tests beside it; this file only binds them to Python.
//! Work on many records runs with the GIL released, so threads of one process can share it.

mod arrow_rows;
mod chat;
mod cleaning;
mod derive;
mod followups;
#[cfg(test)]
mod fuzz;
mod minhash;
mod parse;
mod privacy;
mod pyconfirm;
mod pyvalue;
mod questions;
mod record;
mod repair;
mod schema;
mod sources;
mod specialties;
mod text;
mod unit;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyDict};
use sources::{doctorqna, fragment, icliniq, meddialog, signature};
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The unit's threads allocate and free small strings and JSON values by the million; glibc's
/// malloc and free took about a sixth of their time (perf, 10^5 pages), mimalloc's thread-local
/// heaps far less. Only the core's own allocations: Python and Arrow's C++ keep their allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

// --- parsing: whole files and pages to records (rust/src/parse.rs, rust/src/sources/) ----------

/// A page's (or file's) failure as PageError((reason, line)).
fn page_error((reason, line): parse::Failure) -> PyErr {
    PageError::new_err((reason, line))
}

/// The lexicon of a word list (one a line, as `text.split()` cuts it).
fn lexicon_of(words: &str) -> repair::Lexicon {
    repair::Lexicon::new(
        words
            .split(text::is_space)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// A plug-in as detection is told of it: (name, markers, detect, recognises_fragment).
type PluginTuple = (String, Vec<String>, Py<PyAny>, Py<PyAny>);

/// The plug-ins' `detect` / `recognises_fragment` (Python callables that take the page's lines),
/// asked with the GIL held; the first exception one raises stops the asking and is raised.
struct PyClaims<'py> {
    py: Python<'py>,
    asks: Vec<(Py<PyAny>, Py<PyAny>)>,
    lines: Option<Bound<'py, pyo3::types::PyList>>,
    error: Option<PyErr>,
}

impl parse::Claims for PyClaims<'_> {
    fn claims(&mut self, plugin: usize, lines: &[&str], fragment: bool) -> bool {
        if self.error.is_some() {
            return false;
        }
        let py = self.py;
        let got = (|| -> PyResult<bool> {
            let list = match &self.lines {
                Some(list) => list.clone(),
                None => {
                    let list = pyo3::types::PyList::new(py, lines)?;
                    self.lines = Some(list.clone());
                    list
                }
            };
            let (detect, fragment_of) = &self.asks[plugin];
            let f = if fragment { fragment_of } else { detect };
            f.call1(py, (list,))?.bind(py).is_truthy()
        })();
        got.unwrap_or_else(|err| {
            self.error = Some(err);
            false
        })
    }
}

/// Every built-in source's compiled parser (rust/src/parse.rs) with the schema's blanks, the
/// specialty table and the repairs' lexicon: a file to its pages' finished records, a page to
/// its record, detection among the sources.
#[pyclass(frozen)]
struct Parser {
    inner: parse::Parser,
}

#[pymethods]
impl Parser {
    /// `record_blank`, `item_blanks`: the JSON of `schema.blank()` and of `schema.blank_item(f)`
    /// for answers, follow_ups, related; `words`: the English lexicon, one word a line;
    /// `builtins`: (name, version, markers) of each built-in source, in the schema's order.
    #[new]
    fn new(
        record_blank: &str,
        item_blanks: [String; 3],
        specialties: HashMap<String, String>,
        words: &str,
        builtins: Vec<(String, i64, Vec<String>)>,
    ) -> PyResult<Self> {
        let items = [
            item_blanks[0].as_str(),
            item_blanks[1].as_str(),
            item_blanks[2].as_str(),
        ];
        let blanks = record::Blanks::from_json(record_blank, &items)
            .map_err(pyo3::exceptions::PyValueError::new_err)?;
        let table = specialties::Table(specialties);
        parse::Parser::new(blanks, table, lexicon_of(words), builtins)
            .map(|inner| Parser { inner })
            .map_err(pyo3::exceptions::PyValueError::new_err)
    }

    /// `parse_all` of a file of the built-in sources: for each page its record (a dict) or
    /// (reason, line) when it gives none. Raises PageError((reason, line)) when the file as a
    /// whole is none of theirs. Parses with the GIL released.
    #[pyo3(signature = (text, filename=None))]
    fn parse_file<'py>(
        &self,
        py: Python<'py>,
        text: PyBackedStr,
        filename: Option<&str>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let got = py.detach(|| guarded("parse", || Ok(self.inner.parse_file(&text, filename))));
        let pages = got
            .map_err(|reason| page_error((reason, None)))?
            .map_err(page_error)?;
        pages
            .into_iter()
            .map(|page| match page {
                Ok((record, _)) => pyvalue::to_py(py, &serde_json::Value::Object(record)),
                Err(failure) => Ok(failure.into_pyobject(py)?.into_any()),
            })
            .collect()
    }

    /// `Source.parse` of the built-in source `source`: the page's record (no id, provenance or
    /// cleaning yet); PageError((reason, line)) when it gives none. Parses with the GIL released.
    fn parse<'py>(
        &self,
        py: Python<'py>,
        source: &str,
        lines: Vec<PyBackedStr>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let k = self.builtin(source)?;
        let got = py.detach(|| guarded(source, || Ok(self.inner.parse(k, &lines))));
        let record = got
            .map_err(|reason| page_error((reason, None)))?
            .map_err(page_error)?;
        pyvalue::to_py(py, &serde_json::Value::Object(record))
    }

    /// `detect` (or, with `fragment`, `recognises_fragment`) of the built-in source `source`.
    #[pyo3(signature = (source, lines, fragment=false))]
    fn claims(
        &self,
        py: Python<'_>,
        source: &str,
        lines: Vec<PyBackedStr>,
        fragment: bool,
    ) -> PyResult<bool> {
        let k = self.builtin(source)?;
        let lines: Vec<&str> = lines.iter().map(|l| &**l).collect();
        py.detach(|| guarded(source, || Ok(self.inner.claims(k, &lines, fragment))))
            .map_err(|reason| page_error((reason, None)))
    }

    /// `sources.detect`: the index, among the built-ins then `plugins` (name, markers, detect,
    /// recognises_fragment), of the one source the page is of; PageError((reason, None)) when
    /// none or more than one is. The first exception a plug-in's callable raises is raised.
    fn detect(
        &self,
        py: Python<'_>,
        lines: Vec<PyBackedStr>,
        plugins: Vec<PluginTuple>,
    ) -> PyResult<usize> {
        let lines: Vec<&str> = lines.iter().map(|l| &**l).collect();
        let mut described = Vec::with_capacity(plugins.len());
        let mut asks = Vec::with_capacity(plugins.len());
        for (name, markers, detect, fragment) in plugins {
            described.push(parse::Plugin { name, markers });
            asks.push((detect, fragment));
        }
        let mut claims = PyClaims {
            py,
            asks,
            lines: None,
            error: None,
        };
        let got = guarded("detection", || {
            Ok(self.inner.detect(&lines, &described, &mut claims))
        });
        if let Some(err) = claims.error {
            return Err(err);
        }
        match got.map_err(|reason| page_error((reason, None)))? {
            Ok(parse::Chosen::Builtin(k)) => Ok(k),
            Ok(parse::Chosen::Plugin(k)) => Ok(self.inner.builtins().len() + k),
            Err(reason) => Err(page_error((reason, None))),
        }
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
                let texts: Vec<Option<&str>> = texts.iter().map(Option::as_deref).collect();
                let others: Vec<Option<&str>> = others.iter().map(Option::as_deref).collect();
                Ok(repair::repaired(&texts, &others, self.inner.lexicon()))
            })
        })
        .map_err(PageError::new_err)
    }

    /// A later message of the patient's as a follow-up turn (`common.patient_turn`): the whole
    /// text, the questions it asks, the answer it follows.
    #[pyo3(signature = (text, after_answer))]
    fn patient_turn<'py>(
        &self,
        py: Python<'py>,
        text: Option<&str>,
        after_answer: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let turn = sources::assemble::patient_turn(self.inner.blanks(), text, after_answer);
        pyvalue::to_py(py, &turn)
    }

    /// What `common.add_repairs` fills in: the question's `text_repaired` and each answer's, the
    /// record's own words (its title and follow-up turns too) the evidence.
    fn repairs(
        &self,
        py: Python<'_>,
        record: &Bound<'_, PyAny>,
    ) -> PyResult<(Option<String>, Vec<Option<String>>)> {
        let serde_json::Value::Object(map) = pyvalue::from_py(record)? else {
            return Err(pyo3::exceptions::PyTypeError::new_err("a record is a dict"));
        };
        py.detach(|| {
            guarded("repair", || {
                Ok(sources::assemble::repairs(self.inner.lexicon(), &map))
            })
        })
        .map_err(PageError::new_err)
    }

    /// The specialty a run-together icliniq breadcrumb (`HomeAnswersHematologyiron…`) names.
    fn breadcrumb_specialty(&self, line: &str) -> PyResult<Option<String>> {
        guarded("icliniq", || {
            Ok(icliniq::breadcrumb_specialty(line, self.inner.table()))
        })
        .map_err(PageError::new_err)
    }
}

impl Parser {
    fn builtin(&self, source: &str) -> PyResult<usize> {
        self.inner.builtin(source).ok_or_else(|| {
            pyo3::exceptions::PyKeyError::new_err(format!("no built-in source {source:?}"))
        })
    }
}

/// A parsed record finished: its id (`source` and `key`), provenance, and each answer's
/// cleaning, as `parse_all` gives every record (a new dict; `record` is not changed).
#[pyfunction]
#[pyo3(signature = (record, source, key, filename, line, sha256, parser))]
#[allow(clippy::too_many_arguments)]
fn finish_record<'py>(
    record: &Bound<'py, PyAny>,
    source: &str,
    key: &str,
    filename: Option<&str>,
    line: usize,
    sha256: &str,
    parser: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mut value = pyvalue::from_py(record)?;
    let serde_json::Value::Object(map) = &mut value else {
        return Err(pyo3::exceptions::PyTypeError::new_err("a record is a dict"));
    };
    guarded("cleaning", || {
        parse::finish(map, source, key, filename, line, sha256, parser);
        Ok(())
    })
    .map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    pyvalue::to_py(record.py(), &value)
}

/// What a record's id hashes (`Source.id_key`): its title and the opening of its question, or
/// of its first answer when the question has no text.
#[pyfunction]
fn id_key(record: &Bound<'_, PyAny>) -> PyResult<String> {
    match pyvalue::from_py(record)? {
        serde_json::Value::Object(map) => Ok(sources::assemble::id_key(&map)),
        _ => Err(pyo3::exceptions::PyTypeError::new_err("a record is a dict")),
    }
}

/// `<source>-<16 hex>` of the sha256 of `key`: a record's id.
#[pyfunction]
fn record_id(source: &str, key: &str) -> String {
    parse::record_id(source, key)
}

/// Each answer's (text_clean, complete) of a parsed record (rust/src/cleaning/apply.rs).
#[pyfunction]
fn cleaned_answers(py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<Vec<(String, bool)>> {
    let value = pyvalue::from_py(record)?;
    let serde_json::Value::Object(map) = &value else {
        return Err(pyo3::exceptions::PyTypeError::new_err("a record is a dict"));
    };
    py.detach(|| guarded("cleaning", || Ok(cleaning::answers_cleaned(map).0)))
        .map_err(pyo3::exceptions::PyRuntimeError::new_err)
}

/// `Dora, 20~29 year old female` → (name, age range, sex), doctorqna's asker line.
#[pyfunction]
fn doctorqna_asker(who: &str) -> PyResult<(Option<String>, Option<String>, Option<String>)> {
    guarded("doctorqna", || Ok(doctorqna::parse_asker(who)))
        .map(|a| (a.name, a.age_range, a.sex))
        .map_err(PageError::new_err)
}

/// The pages a MedDialog corpus file holds, one per `id=N` block, each with the line it starts on.
#[pyfunction]
fn meddialog_pages(py: Python<'_>, text: PyBackedStr) -> PyResult<Vec<(usize, String)>> {
    py.detach(|| guarded("meddialog", || Ok(meddialog::pages(&text))))
        .map_err(|reason| page_error((reason, None)))
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

/// The sentences of a text that ask something (end in `?`, two words or more), in order.
#[pyfunction]
#[pyo3(signature = (text))]
fn question_sentences(text: Option<&str>) -> Vec<String> {
    questions::question_sentences(text)
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
    let confirmers = pyconfirm::Confirmers {
        is_phone,
        checksums,
    };
    let mut confirm =
        pyconfirm::AttachedConfirm::new(&confirmers, names.as_deref().map(|n| &n.inner));
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
    if let Some(err) = confirm.error() {
        return Err(err);
    }
    let typed = got.map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    Ok((typed.text, typed.counts))
}

// --- de-identification of a record (rust/src/privacy/record.rs) ---------------------------------

/// `deidentify`: a copy of `record` with patients' names and identifiers replaced (`record` is not
/// changed), and the replacements by kind and by top-level field (positive ones, in the order a
/// Python Counter first saw them). The dict is converted to the core's record value and back; the
/// walk and the text work run without the GIL, which each confirmation takes for itself.
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
    use privacy::record::{deidentify_record, Failure};
    let py = record.py();
    let serde_json::Value::Object(map) = pyvalue::from_py(record)? else {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "a record must be a dict",
        ));
    };
    let confirmers = pyconfirm::Confirmers {
        is_phone,
        checksums,
    };
    let mut confirm = pyconfirm::AttachedConfirm::new(&confirmers, None);
    let got = py.detach(|| {
        guarded("de-identification", || {
            let mut policy = privacy::step::Policy {
                off: &off,
                redact_doctors,
                phone_checks,
                confirm: &mut confirm,
            };
            Ok(deidentify_record(&mut policy, map))
        })
    });
    if let Some(err) = confirm.error() {
        return Err(err);
    }
    let done = match got.map_err(deid_error)? {
        Ok(done) => done,
        Err(Failure::Shape(why)) => return Err(pyo3::exceptions::PyTypeError::new_err(why)),
        Err(Failure::Step(why)) => return Err(deid_error(why)),
    };
    let out = pyvalue::to_py(py, &serde_json::Value::Object(done.record))?;
    Ok((out, done.by_kind, done.by_field))
}

// --- end of de-identification of a record ---------------------------------------------------------

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
    let confirmers = pyconfirm::Confirmers {
        is_phone,
        checksums,
    };
    let mut confirm = pyconfirm::AttachedConfirm::new(&confirmers, None);
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
    if let Some(err) = confirm.error() {
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

// --- the unit of work -------------------------------------------------------------------------

/// `read.decode`: a file's bytes as text (one BOM dropped), or (reason, line) when they are no page.
#[pyfunction]
fn decode<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    match unit::decode::decode(data) {
        Ok(text) => Ok(pyo3::types::PyString::new(py, text).into_any()),
        Err(refused) => Ok((refused.reason, refused.line).into_pyobject(py)?.into_any()),
    }
}

/// `read.read_bytes`: the bytes of the file `rel` below `raw_dir`, or the reason (a str) it is not
/// read: no regular file inside the raw folder, or over `max_bytes`. Reads with the GIL released.
#[pyfunction]
fn read_file<'py>(
    py: Python<'py>,
    raw_dir: std::path::PathBuf,
    rel: &str,
    max_bytes: u64,
) -> PyResult<Bound<'py, PyAny>> {
    match py.detach(|| unit::read::read_file(&raw_dir, rel, max_bytes)) {
        Ok(data) => Ok(PyBytes::new(py, &data).into_any()),
        Err(reason) => Ok(pyo3::types::PyString::new(py, &reason).into_any()),
    }
}

/// `read.open_regular`: a descriptor (a handle on Windows) on the regular file `rel` below
/// `raw_dir`, open read-only, for Python to stream (a container); or the reason (a str) it is not.
#[pyfunction]
fn open_regular<'py>(
    py: Python<'py>,
    raw_dir: std::path::PathBuf,
    rel: &str,
) -> PyResult<Bound<'py, PyAny>> {
    match unit::read::open_checked(&raw_dir, rel) {
        #[cfg(unix)]
        Ok((file, _)) => {
            use std::os::fd::IntoRawFd;
            Ok(file.into_raw_fd().into_pyobject(py)?.into_any())
        }
        #[cfg(windows)]
        Ok((file, _)) => {
            use std::os::windows::io::IntoRawHandle;
            Ok((file.into_raw_handle() as isize)
                .into_pyobject(py)?
                .into_any())
        }
        Err(reason) => Ok(pyo3::types::PyString::new(py, &reason).into_any()),
    }
}

// --- spill files: Arrow record batches built and written by the core (rust/src/arrow_rows.rs) ---

/// Writes `rows` (dicts of the schema's shape) to an Arrow IPC file at `path` (lz4 frames) with
/// the schema `pyarrow.Schema.serialize()` gave, metadata kept: what `pa.Table.from_pylist` and an
/// lz4 `pa.ipc.new_file` write. Builds and writes with the GIL released; a value of the wrong type
/// is a ValueError naming the field, a file that cannot be written an OSError.
/// The unit of work spills with `arrow_rows::spill` directly, from records it holds as values;
/// this binding, which converts dicts first (slower than pyarrow: benchmarks/spill.py), is what
/// tests the Rust spill against `from_pylist`.
#[pyfunction]
fn spill_rows(
    py: Python<'_>,
    path: std::path::PathBuf,
    schema: &[u8],
    rows: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let rows = rows
        .try_iter()?
        .map(|row| pyvalue::from_py(&row?))
        .collect::<PyResult<Vec<_>>>()?;
    let written = py.detach(|| {
        let spill = || {
            let schema = std::sync::Arc::new(arrow_rows::schema_from_ipc(schema)?);
            arrow_rows::spill(&path, &schema, &rows)
        };
        catch_unwind(AssertUnwindSafe(spill)).unwrap_or_else(|_| {
            Err(arrow_rows::Error::Invalid(
                "internal error writing a spill".into(),
            ))
        })
    });
    written.map_err(|e| match e {
        arrow_rows::Error::Io(msg) => pyo3::exceptions::PyOSError::new_err(msg),
        arrow_rows::Error::Invalid(msg) => pyo3::exceptions::PyValueError::new_err(msg),
        arrow_rows::Error::Overflow => pyo3::exceptions::PyValueError::new_err("a spill too large"),
    })
}

// --- end of spill files ---
// --- the chat row (rust/src/chat.rs) -------------------------------------------------------------

type MessagesTuple<'py> = (Option<Bound<'py, PyAny>>, u8);

/// `chat.messages`: the record's messages (None when it gives no row) and its chat state. Only
/// the fields the row reads are converted (`chat::READS`): converting the whole record would
/// cost more than the row.
#[pyfunction]
fn chat_messages<'py>(record: &Bound<'py, PyDict>) -> PyResult<MessagesTuple<'py>> {
    let py = record.py();
    let mut map = serde_json::Map::new();
    for key in chat::READS {
        if let Some(value) = record.get_item(key)? {
            map.insert(key.to_string(), pyvalue::from_py(&value)?);
        }
    }
    let (messages, state) = guarded("chat row", || chat::messages(&map)).map_err(|e| {
        if e.starts_with("internal error") {
            pyo3::exceptions::PyRuntimeError::new_err(e)
        } else {
            pyo3::exceptions::PyTypeError::new_err(e)
        }
    })?;
    let messages = match messages {
        Some(list) => Some(pyvalue::to_py(py, &serde_json::Value::Array(list))?),
        None => None,
    };
    Ok((messages, state))
}

// --- end of the chat row -------------------------------------------------------------------------
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
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(char_classes, m)?)?;
    m.add_function(wrap_pyfunction!(specialty_key, m)?)?;
    m.add_function(wrap_pyfunction!(join_lines, m)?)?;
    m.add_function(wrap_pyfunction!(looks_cut, m)?)?;
    m.add_function(wrap_pyfunction!(lines_of, m)?)?;
    m.add_function(wrap_pyfunction!(fingerprint, m)?)?;
    m.add_function(wrap_pyfunction!(join_honorific_breaks, m)?)?;
    m.add_function(wrap_pyfunction!(iso_date, m)?)?;
    m.add_class::<Signatures>()?;
    m.add_function(wrap_pyfunction!(is_signature, m)?)?;
    m.add_function(wrap_pyfunction!(has_brand, m)?)?;
    m.add_function(wrap_pyfunction!(reads_as_answer, m)?)?;
    m.add_function(wrap_pyfunction!(question_sentences, m)?)?;
    m.add_function(wrap_pyfunction!(cleaning_rules, m)?)?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(sentences, m)?)?;
    m.add_function(wrap_pyfunction!(deid_typed, m)?)?;
    m.add_function(wrap_pyfunction!(deid_typed_rules, m)?)?;
    m.add_function(wrap_pyfunction!(deid_record, m)?)?;
    m.add_function(wrap_pyfunction!(deid_file_name, m)?)?;
    m.add_function(wrap_pyfunction!(read_file, m)?)?;
    m.add_function(wrap_pyfunction!(open_regular, m)?)?;
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
    // parsing (rust/src/parse.rs)
    m.add_class::<Parser>()?;
    m.add_function(wrap_pyfunction!(finish_record, m)?)?;
    m.add_function(wrap_pyfunction!(id_key, m)?)?;
    m.add_function(wrap_pyfunction!(record_id, m)?)?;
    m.add_function(wrap_pyfunction!(cleaned_answers, m)?)?;
    m.add_function(wrap_pyfunction!(doctorqna_asker, m)?)?;
    m.add_function(wrap_pyfunction!(meddialog_pages, m)?)?;
    m.add("PageError", m.py().get_type::<PageError>())?;
    m.add_function(wrap_pyfunction!(spill_rows, m)?)?; // spill files
                                                       // the chat row
    m.add_function(wrap_pyfunction!(chat_messages, m)?)?;
    m.add("CHAT_STATES", chat::STATES.to_vec())?;
    m.add_function(wrap_pyfunction!(record_rank, m)?)?;
    m.add_function(wrap_pyfunction!(asker_key, m)?)?;
    m.add_function(wrap_pyfunction!(casefold, m)?)?;
    m.add_function(wrap_pyfunction!(iso_ordinal, m)?)?;
    m.add_function(wrap_pyfunction!(split_assign, m)?)?;
    m.add_function(wrap_pyfunction!(minhash_text, m)?)?;
    m.add_function(wrap_pyfunction!(cleaning_removed, m)?)?;
    m.add_class::<Validator>()?;
    m.add_class::<unit::python::Unit>()?;
    m.add_class::<unit::python::Running>()?;
    m.add_function(wrap_pyfunction!(unit::python::jsonl_member, m)?)?;
    m.add_function(wrap_pyfunction!(unit::python::taken_down, m)?)?;
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
