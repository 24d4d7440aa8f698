//! Records between Python and the core: an ordered JSON value to the dicts and lists Python's
//! records are, and back, key order kept both ways.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// The Python value of `value`: dicts (keys in order), lists, str, int, float, bool and None.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// The JSON value of a Python record: dicts with str keys, lists and tuples, str, int, float,
/// bool and None; anything else is a TypeError naming its type.
pub fn from_py(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(value.extract()?));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(Value::Number(Number::from(value.extract::<i64>()?)));
    }
    if value.is_instance_of::<PyFloat>() {
        let f: f64 = value.extract()?;
        return Ok(Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            let key: String = k.extract().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err("a record's keys must be str")
            })?;
            map.insert(key, from_py(&v)?);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        return value
            .try_iter()?
            .map(|v| from_py(&v?))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "a record holds only dicts, lists, str, int, float, bool and None, not {}",
        value.get_type().name()?
    )))
}

/// The JSON object of only the top-level fields `fields` of a Python record (those it has): what a
/// function of the core that reads a few fields needs, without converting the rest.
pub fn from_py_fields(record: &Bound<'_, PyAny>, fields: &[&str]) -> PyResult<Map<String, Value>> {
    let dict = record
        .cast::<PyDict>()
        .map_err(|_| pyo3::exceptions::PyTypeError::new_err("a record must be a dict"))?;
    let mut map = Map::with_capacity(fields.len());
    for field in fields {
        if let Some(value) = dict.get_item(field)? {
            map.insert((*field).to_string(), from_py(&value)?);
        }
    }
    Ok(map)
}
