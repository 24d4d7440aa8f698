//! The unit of work's Python face: `_core.Unit`, built once per build from the compiled parser,
//! validator and MinHash permutations and the build's options, starts a chunk's entries on its
//! thread pool (`start`), writes the chunk's records and chat rows as Arrow spill files, and
//! hands back (`Running.result`) the small arrays `chunk.ChunkResult` holds. A chunk runs while
//! the calling thread goes on, so Python's work on one chunk's result overlaps the next chunk's.

use super::pyask::Askers;
use super::steps::{Builtin, Columns, Privacy, Splits};
use super::takedowns::Takedowns;
use super::{Entry, EntryResult, Outcome, Prepared, Read, Reject};
use crate::arrow_rows;
use crate::pyconfirm::Confirmers;
use crate::pyvalue;
use arrow_schema::SchemaRef;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

/// `privacy.Policy` and the confirming callables: (off, redact_doctors, phone_checks, is_phone,
/// checksums).
type PrivacyArgs = (HashSet<String>, bool, usize, Py<PyAny>, Vec<Py<PyAny>>);

/// The names the chunk's columns index into: (sources, specialties, counted, fields, cleaning).
type ColumnArgs = (
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
);

/// A build's unit of work (rust/src/unit/): its steps, options and thread pool, shared with the
/// chunks running on the pool.
#[pyclass(frozen)]
pub struct Unit {
    core: Arc<Core>,
}

/// What a unit's chunks run with.
struct Core {
    parser: Py<crate::Parser>,
    validator: Py<crate::Validator>,
    hasher: Py<crate::MinHasher>,
    privacy: Option<Privacy>,
    splits: Splits,
    columns: Columns,
    takedowns: Takedowns,
    record_schema: SchemaRef,
    chat_schema: SchemaRef,
    lines: Askers,
    pool: rayon::ThreadPool,
}

fn value_error(msg: impl Into<String>) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(msg.into())
}

/// A parse made in Python (`parse_all`'s results): a list of records (dicts) and (reason, line)
/// for the pages that gave none, or (reason, line) when the file as a whole is none.
fn parsed(item: &Bound<'_, PyAny>) -> PyResult<super::Parsed> {
    if let Ok(failure) = item.cast::<PyTuple>() {
        return Ok(Err(failure.extract()?));
    }
    let mut pages = Vec::new();
    for page in item.try_iter()? {
        let page = page?;
        pages.push(match page.cast::<PyTuple>() {
            Ok(failure) => Err(failure.extract()?),
            Err(_) => match pyvalue::from_py(&page)? {
                Value::Object(record) => Ok((record, None)),
                _ => return Err(value_error("a parsed page is a dict or (reason, line)")),
            },
        });
    }
    Ok(Ok(pages))
}

/// An entry of `start`: ("page", file, bytes, url, captured), ("line", file, bytes) for a JSONL
/// shard's line, ("parsed", file, sha256, text, url, captured, results) or ("reject", file,
/// reason, line).
fn entry(item: &Bound<'_, PyAny>) -> PyResult<Entry> {
    let item = item.cast::<PyTuple>()?;
    let kind: String = item.get_item(0)?.extract()?;
    let file: String = item.get_item(1)?.extract()?;
    match kind.as_str() {
        "page" => Ok(Entry::Page {
            file,
            data: item.get_item(2)?.extract()?,
            url: item.get_item(3)?.extract()?,
            captured: item.get_item(4)?.extract()?,
        }),
        "parsed" => Ok(Entry::Parsed(Read {
            file,
            sha256: item.get_item(2)?.extract()?,
            text: item.get_item(3)?.extract()?,
            url: item.get_item(4)?.extract()?,
            captured: item.get_item(5)?.extract()?,
            parsed: parsed(&item.get_item(6)?)?,
        })),
        "line" => Ok(Entry::Line {
            file,
            data: item.get_item(2)?.extract()?,
        }),
        "reject" => Ok(Entry::Reject(Reject {
            file,
            reason: item.get_item(2)?.extract()?,
            line: item.get_item(3)?.extract()?,
        })),
        other => Err(value_error(format!(
            "an entry is a page or a reject, not {other:?}"
        ))),
    }
}

/// The values of one column of the prepared records, as native-endian bytes.
fn column<'py, T: Copy>(
    py: Python<'py>,
    ready: &[Prepared],
    f: impl Fn(&Prepared) -> T,
) -> Bound<'py, PyBytes> {
    let values: Vec<T> = ready.iter().map(f).collect();
    let size = std::mem::size_of_val(values.as_slice());
    // SAFETY: `values` is a live, initialised slice of plain numbers; its bytes are read once.
    let bytes = unsafe { std::slice::from_raw_parts(values.as_ptr().cast::<u8>(), size) };
    PyBytes::new(py, bytes)
}

/// Rows of u32 values flattened, as native-endian bytes.
fn flat<'py>(
    py: Python<'py>,
    ready: &[Prepared],
    f: impl Fn(&Prepared) -> &[u32],
) -> Bound<'py, PyBytes> {
    let values: Vec<u32> = ready.iter().flat_map(|r| f(r).iter().copied()).collect();
    crate::to_bytes(py, &values)
}

/// A chat spill row: the record's id and source, and its messages (null without a row).
fn chat_row(prepared: &mut Prepared) -> Value {
    let mut row = Map::with_capacity(3);
    for key in ["id", "source"] {
        row.insert(
            key.into(),
            prepared.published.get(key).cloned().unwrap_or(Value::Null),
        );
    }
    row.insert(
        "messages".into(),
        prepared.messages.take().map_or(Value::Null, Value::Array),
    );
    Value::Object(row)
}

fn spill_error(e: arrow_rows::Error) -> String {
    match e {
        arrow_rows::Error::Io(msg) | arrow_rows::Error::Invalid(msg) => msg,
        arrow_rows::Error::Overflow => "a spill too large for one Arrow file".into(),
    }
}

/// A chunk's outcome on the pool: what the chunk keeps of each entry and its prepared records
/// (their published records and chat rows spilled), or why the spill failed.
type Chunk = Result<(Vec<Kept>, Vec<Prepared>), String>;

impl Core {
    fn steps(&self) -> Builtin<'_> {
        Builtin {
            parser: &self.parser.get().inner,
            validator: &self.validator.get().value,
            perms: &self.hasher.get().perms,
            privacy: self.privacy.as_ref(),
            splits: &self.splits,
            columns: &self.columns,
            lines: Some(&self.lines),
        }
    }

    /// A chunk's entries through the steps on the pool, its records and chat rows spilled (each
    /// spill's rows dropped on the thread that wrote them, not on one thread after both).
    fn chunk(&self, entries: Vec<Entry>, records: &PathBuf, chat: &PathBuf) -> Chunk {
        let steps = self.steps();
        let results = super::run(&steps, &self.takedowns, entries, &self.pool);
        let (results, mut ready) = split_outcomes(results);
        let chat_rows: Vec<Value> = ready.iter_mut().map(chat_row).collect();
        let record_rows: Vec<Value> = ready
            .iter_mut()
            .map(|r| Value::Object(std::mem::take(&mut r.published)))
            .collect();
        let spill = |path: &PathBuf, schema: &SchemaRef, rows: Vec<Value>| {
            let written = arrow_rows::spill(path, schema, &rows);
            drop(rows);
            written.map_err(spill_error)
        };
        let (a, b) = self.pool.join(
            || spill(records, &self.record_schema, record_rows),
            || spill(chat, &self.chat_schema, chat_rows),
        );
        a.and(b).map(|()| (results, ready))
    }
}

/// A chunk started on the unit's pool (`Unit.start`): `result` waits for it.
#[pyclass(frozen)]
pub struct Running {
    outcome: Mutex<Option<Receiver<Chunk>>>,
}

#[pymethods]
impl Unit {
    /// `lines`: what a JSONL line asks of Python (`jsonl.loaded`, `member.iso_datetime`);
    /// `splits`: (salt, each of split.SPLITS' share, each one's index among the build's splits);
    /// `columns`: (source names, specialty names, privacy.COUNTED, privacy.FIELDS, cleaning
    /// rules' names); `takedowns`: (ids, urls, digests); the schemas as
    /// `pyarrow.Schema.serialize()` gives them; `threads`: the pool's size.
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (parser, validator, hasher, privacy, splits, columns, takedowns, record_schema, chat_schema, lines, threads))]
    fn new(
        parser: Py<crate::Parser>,
        validator: Py<crate::Validator>,
        hasher: Py<crate::MinHasher>,
        privacy: Option<PrivacyArgs>,
        splits: (String, Vec<f64>, Vec<u8>),
        columns: ColumnArgs,
        takedowns: (HashSet<String>, HashSet<String>, HashSet<String>),
        record_schema: Vec<u8>,
        chat_schema: Vec<u8>,
        lines: (Py<PyAny>, Py<PyAny>),
        threads: usize,
    ) -> PyResult<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .thread_name(|k| format!("medqa-unit-{k}"))
            .build()
            .map_err(|e| value_error(format!("cannot start the unit's threads: {e}")))?;
        let schema = |bytes: &[u8]| {
            arrow_rows::schema_from_ipc(bytes)
                .map(Arc::new)
                .map_err(|e| value_error(spill_error(e)))
        };
        let (record_schema, chat_schema) = (schema(&record_schema)?, schema(&chat_schema)?);
        let (salt, shares, index) = splits;
        let (sources, specialties, counted, fields, cleaning) = columns;
        let (ids, urls, digests) = takedowns;
        Ok(Unit {
            core: Arc::new(Core {
                parser,
                validator,
                hasher,
                privacy: privacy.map(|(off, redact_doctors, phone_checks, is_phone, checksums)| {
                    Privacy {
                        off,
                        redact_doctors,
                        phone_checks,
                        confirmers: Confirmers {
                            is_phone,
                            checksums,
                        },
                    }
                }),
                splits: Splits {
                    salt,
                    shares,
                    index,
                },
                columns: Columns {
                    sources,
                    specialties,
                    counted,
                    fields,
                    cleaning,
                },
                takedowns: Takedowns { ids, urls, digests },
                record_schema,
                chat_schema,
                lines: Askers {
                    loaded: lines.0,
                    iso_datetime: lines.1,
                },
                pool,
            }),
        })
    }

    /// One checked record through the steps after parsing, as `start` prepares each: a dict of
    /// `published`, `signature`, `counts`, `messages`, `state` and `removed`. A step's failure is
    /// a RuntimeError saying what failed (a chunk makes it the record's reject).
    fn prepare<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let Value::Object(record) = pyvalue::from_py(record)? else {
            return Err(value_error("a record is a dict"));
        };
        let steps = self.core.steps();
        let done = py
            .detach(|| crate::guarded("pipeline", || super::Steps::prepare(&steps, record, None)))
            .map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
        let out = PyDict::new(py);
        out.set_item(
            "published",
            pyvalue::to_py(py, &Value::Object(done.published))?,
        )?;
        out.set_item("signature", done.signature)?;
        out.set_item("counts", done.counts)?;
        let messages = done.messages.map(Value::Array).unwrap_or(Value::Null);
        out.set_item("messages", pyvalue::to_py(py, &messages)?)?;
        out.set_item("state", done.chat_state)?;
        out.set_item("removed", done.removed)?;
        Ok(out)
    }

    /// Every entry of a chunk read, parsed, checked, taken down or prepared on the pool, the
    /// records and chat rows spilled to `records` and `chat` (Arrow IPC files): started, not
    /// waited for (`Running.result` waits; see `chunk.finish_entries`).
    fn start(
        &self,
        entries: Vec<Bound<'_, PyAny>>,
        records: PathBuf,
        chat: PathBuf,
    ) -> PyResult<Running> {
        let entries = entries.iter().map(entry).collect::<PyResult<Vec<_>>>()?;
        let (done, outcome) = sync_channel(1);
        let core = Arc::clone(&self.core);
        self.core.pool.spawn(move || {
            // a panic on the pool would end the process: it is the chunk's error instead
            let chunk = catch_unwind(AssertUnwindSafe(|| core.chunk(entries, &records, &chat)))
                .unwrap_or_else(|_| {
                    Err("internal error in the unit of work; please report it".into())
                });
            let _ = done.send(chunk); // nobody waits when the build stopped
        });
        Ok(Running {
            outcome: Mutex::new(Some(outcome)),
        })
    }
}

#[pymethods]
impl Running {
    /// The chunk's outcome once it is done: a dict of what the chunk keeps (see
    /// `chunk.finish_entries`). A record that breaks the schema comes back in `rejects` with no
    /// reason and the record, for the reference validator to word. An OSError when a spill could
    /// not be written; asked twice, a RuntimeError.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let outcome = self
            .outcome
            .lock()
            .map_err(|_| pyo3::exceptions::PyRuntimeError::new_err("a chunk's outcome was lost"))?
            .take()
            .ok_or_else(|| {
                pyo3::exceptions::PyRuntimeError::new_err("a chunk's outcome is taken once")
            })?;
        let chunk = py.detach(move || outcome.recv()).map_err(|_| {
            pyo3::exceptions::PyRuntimeError::new_err("the unit's thread for a chunk ended")
        })?;
        let (results, mut ready) = chunk.map_err(pyo3::exceptions::PyOSError::new_err)?;
        let out = PyDict::new(py);
        let mut rejects = Vec::new();
        let mut inputs = Vec::new();
        let mut taken_down: Vec<Option<String>> = Vec::new();
        let mut pages = 0;
        for result in results {
            pages += result.pages;
            inputs.extend(result.input);
            taken_down.extend(result.taken_down);
            for reject in result.rejects {
                let item = match reject {
                    KeptReject::Reject(r) => {
                        (r.file, Some(r.reason), r.line, py.None().into_bound(py))
                    }
                    KeptReject::Invalid { file, line, record } => (
                        file,
                        None,
                        line,
                        pyvalue::to_py(py, &Value::Object(*record))?,
                    ),
                };
                rejects.push(item);
            }
        }
        out.set_item("pages", pages)?;
        out.set_item("rejects", rejects)?;
        out.set_item("inputs", inputs)?;
        out.set_item("taken_down", taken_down)?;
        out.set_item("source", column(py, &ready, |r| r.source))?;
        out.set_item("id_hash", column(py, &ready, |r| r.id_hash))?;
        out.set_item("rank", column(py, &ready, |r| r.rank))?;
        out.set_item("split", column(py, &ready, |r| r.split))?;
        out.set_item("specialty", column(py, &ready, |r| r.specialty))?;
        out.set_item("complete", column(py, &ready, |r| u8::from(r.complete)))?;
        out.set_item("chat", column(py, &ready, |r| r.chat_state))?;
        out.set_item("asker_hash", column(py, &ready, |r| r.asker_hash))?;
        out.set_item("asker_day", column(py, &ready, |r| r.asker_day))?;
        out.set_item("signatures", flat(py, &ready, |r| &r.signature))?;
        out.set_item("counts", flat(py, &ready, |r| &r.counts))?;
        out.set_item("cleaning", flat(py, &ready, |r| &r.removed))?;
        let unmapped: Vec<(usize, String)> = ready
            .iter_mut()
            .enumerate()
            .flat_map(|(row, r)| {
                std::mem::take(&mut r.unmapped_roles)
                    .into_iter()
                    .map(move |role| (row, role))
            })
            .collect();
        out.set_item("unmapped_roles", unmapped)?;
        let urls: Vec<Option<String>> = ready.iter_mut().map(|r| r.url.take()).collect();
        out.set_item("urls", urls)?;
        Ok(out)
    }
}

/// What the chunk keeps of an entry besides its prepared records.
struct Kept {
    rejects: Vec<KeptReject>,
    pages: usize,
    input: Option<(String, String)>,
    taken_down: Vec<Option<String>>,
}

enum KeptReject {
    Reject(Reject),
    Invalid {
        file: String,
        line: Option<usize>,
        record: Box<Map<String, Value>>,
    },
}

/// The entries' results parted: what the chunk keeps of each, and the prepared records in order.
fn split_outcomes(results: Vec<EntryResult>) -> (Vec<Kept>, Vec<Prepared>) {
    let mut ready = Vec::new();
    let kept = results
        .into_iter()
        .map(|result| {
            let mut rejects = Vec::new();
            for outcome in result.outcomes {
                match outcome {
                    Outcome::Record(p) => ready.push(*p),
                    Outcome::Reject(r) => rejects.push(KeptReject::Reject(r)),
                    Outcome::Invalid { file, line, record } => {
                        rejects.push(KeptReject::Invalid { file, line, record })
                    }
                }
            }
            Kept {
                rejects,
                pages: result.pages,
                input: result.input,
                taken_down: result.taken_down,
            }
        })
        .collect();
    (kept, ready)
}

/// `containers.jsonl`'s reading of one line (rust/src/unit/jsonl.rs), for the Python path: the
/// page's (bytes, url, captured), or the reason the line holds none. `loaded` and `iso_datetime`
/// are what it asks of Python.
#[pyfunction]
pub fn jsonl_member<'py>(
    py: Python<'py>,
    line: &[u8],
    loaded: Py<PyAny>,
    iso_datetime: Py<PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let askers = Askers {
        loaded,
        iso_datetime,
    };
    Ok(match super::jsonl::member(line, &mut &askers) {
        Ok(m) => (PyBytes::new(py, &m.data), m.url, m.captured)
            .into_pyobject(py)?
            .into_any(),
        Err(reason) => reason.into_pyobject(py)?.into_any(),
    })
}

/// Which of a built folder's records (id, URL, the raw bytes' sha256) the takedown list (ids, urls,
/// digests) matches: `takedowns.matching`, by the unit's own rule (`Takedowns::matches`; the
/// text's digest is not at hand in a built folder, and the next build checks it).
#[pyfunction]
pub fn taken_down(
    takedowns: (HashSet<String>, HashSet<String>, HashSet<String>),
    records: Vec<(Option<String>, Option<String>, Option<String>)>,
) -> Vec<bool> {
    let (ids, urls, digests) = takedowns;
    let listed = Takedowns { ids, urls, digests };
    records
        .iter()
        .map(|(id, url, sha256)| {
            let keys = super::takedowns::Keys {
                id: id.as_deref(),
                url: url.as_deref(),
                sha256: sha256.as_deref().unwrap_or(""),
            };
            listed.matches(&keys, &mut String::new)
        })
        .collect()
}
