//! De-identification: what is published must not identify patients (the Python front,
//! `medqa_ds/pipeline/privacy.py`, holds the policy, the catalogue of rules and the counting).
//!
//! - `typed`: contact details and identifiers, replaced by typed placeholders (`[EMAIL]`, `[PHONE]`…);
//! - `names`: the names a record supplies (greetings, self-introductions, relations…) and where
//!   they recur, replaced by `[PATIENT]`, doctors' names kept; its parts: `sites` (where a text
//!   supplies a name), `forms` (the names one record knows, matched in all their written forms),
//!   `parts` (a captured name's tokens and words, with Python's `str` case tests) and `words` (the
//!   word lists);
//! - `step`: one record's step (`deidentify`): the slots cleaned joined, the second pass, the counts;
//! - `record`: that step over a whole record value (the walk finding its slots, the copy written back).

pub mod forms;
pub mod names;
pub mod parts;
pub mod record;
pub mod sites;
pub mod step;
pub mod typed;
pub mod words;
