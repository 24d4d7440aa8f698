//! The small values the build derives from each parsed record (medqa_ds/pipeline/chunk.py asks
//! them of every record): its rank among captures of a page, its same-asker key, its split, the
//! text its MinHash signature is of, and what each cleaning rule removed from it. Each reads the
//! core's record value (rust/src/record.rs), so the unit of work can compute them on threads.

mod asker;
mod casefold;
mod casefold_table;
mod isodate;
mod minhash_text;
mod rank;
mod removed;
mod split;

pub use asker::{
    key as asker_key, ANONYMOUS as ASKER_ANONYMOUS, FIELDS as ASKER_FIELDS, NO_DAY as ASKER_NO_DAY,
};
pub use casefold::casefold;
pub use isodate::ordinal as iso_ordinal;
pub use minhash_text::{text as minhash_text, FIELDS as MINHASH_FIELDS};
pub use rank::{rank, FIELDS as RANK_FIELDS};
pub use removed::{removed, FIELDS as REMOVED_FIELDS};
pub use split::assign as split_assign;

use serde_json::{Map, Value};

/// Why a record has no such value: a field missing or of another type than the schema's, where
/// Python's code raised a KeyError or TypeError (a checked record never has one).
pub type Malformed = String;

/// `record[key]`.
fn field<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a Value, Malformed> {
    map.get(key)
        .ok_or_else(|| format!("the record has no field {key:?}"))
}

/// `record[key]`, an object.
fn object<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a Map<String, Value>, Malformed> {
    field(map, key)?
        .as_object()
        .ok_or_else(|| format!("{key} is not an object"))
}

/// `record[key]`, a list.
fn array<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], Malformed> {
    field(map, key)?
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| format!("{key} is not a list"))
}

/// `record[key]`, a string or null (None).
fn opt_str<'a>(map: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, Malformed> {
    match field(map, key)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        _ => Err(format!("{key} is neither a string nor null")),
    }
}

/// Item `k` of a list, an object.
fn item<'a>(items: &'a [Value], k: usize, list: &str) -> Result<&'a Map<String, Value>, Malformed> {
    items[k]
        .as_object()
        .ok_or_else(|| format!("an item of {list} is not an object"))
}
