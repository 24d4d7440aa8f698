//! What a shard line asks of Python (`jsonl::Ask`), for a caller that reads lines with the GIL
//! released: `jsonl.loaded` and `member.iso_datetime`, each call taking the GIL for itself.

use super::jsonl::Ask;
use crate::pyvalue;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use serde_json::Value;

/// Python's `containers.jsonl.loaded` and `containers.member.iso_datetime`.
pub struct Askers {
    pub loaded: Py<PyAny>,
    pub iso_datetime: Py<PyAny>,
}

impl Ask for &Askers {
    fn loaded(&mut self, line: &[u8]) -> Result<Vec<u8>, String> {
        Python::attach(|py| {
            let got = self
                .loaded
                .call1(py, (PyBytes::new(py, line),))
                .map_err(|e| format!("not a JSON line ({e}): write one JSON object a line"))?;
            let got = got.bind(py);
            if let Ok(reason) = got.cast::<PyString>() {
                return Err(reason.to_string());
            }
            got.extract::<Vec<u8>>()
                .map_err(|e| format!("not a JSON line ({e}): write one JSON object a line"))
        })
    }

    fn iso_datetime(&mut self, value: &Value) -> Option<String> {
        Python::attach(|py| {
            let value = pyvalue::to_py(py, value).ok()?;
            self.iso_datetime.call1(py, (value,)).ok()?.extract(py).ok()
        })
    }
}

/// Asks of a caller with no Python (the core's own tests): a line strict JSON refuses is no line.
pub struct Strict;

impl Ask for Strict {
    fn loaded(&mut self, line: &[u8]) -> Result<Vec<u8>, String> {
        let error = serde_json::from_slice::<Value>(line).err();
        Err(format!(
            "not a JSON line ({}): write one JSON object a line",
            error.map_or_else(|| "refused".to_string(), |e| e.to_string())
        ))
    }

    fn iso_datetime(&mut self, _value: &Value) -> Option<String> {
        None
    }
}
