//! The compiled core of medqa_ds, imported from Python as `medqa_ds._core`.
//!
//! Each step is a small module with its tests beside it; this file only binds them to Python.
//! Work on many records runs with the GIL released, so threads of one process can share it.

mod minhash;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyBytes;

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

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<MinHasher>()?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    Ok(())
}
