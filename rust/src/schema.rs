//! The schema check: the record schema (`schema/medqa.schema.json`, draft 2020-12, formats
//! checked) compiled once by the `jsonschema` crate, the one the Python package jsonschema-rs
//! wraps, with every document of `schema/` registered by its `$id` so relative `$ref`s resolve
//! offline (no HTTP or file resolving is compiled in). Python's `jsonschema` stays the reference
//! and gives the messages; this only says valid or not, fast and without the GIL.

use jsonschema::json::{Json, SerdeJson};
use serde_json::Value;

/// A compiled record schema, reading records as `F` represents them: the core's record value
/// (`SerdeJson`, the default), or Python's objects in place (`jsonschema::json::Pyo3`).
pub struct RecordValidator<F: Json = SerdeJson> {
    inner: jsonschema::Validator<F>,
}

impl<F: Json> RecordValidator<F> {
    /// From the record schema's JSON and (`$id`, JSON) of each document it may refer to.
    pub fn new(schema: &str, documents: &[(String, String)]) -> Result<Self, String> {
        let parse = |what: &str, text: &str| -> Result<Value, String> {
            serde_json::from_str(text).map_err(|e| format!("schema document {what}: {e}"))
        };
        let schema = parse("(the record schema)", schema)?;
        let docs = documents
            .iter()
            .map(|(id, text)| Ok((id.clone(), parse(id, text)?)))
            .collect::<Result<Vec<_>, String>>()?;
        let registry = jsonschema::Registry::new()
            .extend(docs)
            .and_then(|b| b.prepare())
            .map_err(|e| format!("registering the schema documents: {e}"))?;
        let inner = jsonschema::options_for::<F>()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_registry(&registry)
            .build(&schema)
            .map_err(|e| format!("compiling the record schema: {e}"))?;
        Ok(Self { inner })
    }

    /// True when the record is valid.
    pub fn is_valid(&self, record: F::Node<'_>) -> bool {
        self.inner.is_valid(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn validator() -> RecordValidator {
        let colours = json!({"$id": "https://x.invalid/s/colours.json", "enum": ["red", null]});
        let record = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://x.invalid/s/record.json",
            "type": "object",
            "additionalProperties": false,
            "required": ["colour", "day"],
            "properties": {
                "colour": {"$ref": "colours.json"},
                "day": {"type": "string", "format": "date"},
            },
        });
        let docs = [(
            "https://x.invalid/s/colours.json".to_string(),
            colours.to_string(),
        )];
        RecordValidator::new(&record.to_string(), &docs).unwrap()
    }

    #[test]
    fn refs_resolve_among_the_documents_and_formats_are_checked() {
        let v = validator();
        assert!(v.is_valid(&json!({"colour": "red", "day": "2024-02-29"})));
        assert!(v.is_valid(&json!({"colour": null, "day": "2024-02-29"})));
        assert!(!v.is_valid(&json!({"colour": "blue", "day": "2024-02-29"})));
        assert!(!v.is_valid(&json!({"colour": "red", "day": "2023-02-29"})));
        assert!(!v.is_valid(&json!({"colour": "red", "day": "2024/02/29"})));
        assert!(!v.is_valid(&json!({"colour": "red", "day": "2024-02-29", "x": 1})));
    }

    #[test]
    fn a_reference_to_an_unknown_document_or_bad_json_is_an_error() {
        let record = json!({"$id": "https://x.invalid/s/r.json", "$ref": "missing.json"});
        assert!(RecordValidator::<SerdeJson>::new(&record.to_string(), &[]).is_err());
        assert!(RecordValidator::<SerdeJson>::new("{", &[]).is_err());
    }
}
