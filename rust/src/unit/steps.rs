//! The built-in steps of the unit of work: the parsers of every built-in source, the schema
//! check, and a record's preparation (its MinHash signature, what cleaning removed, its rank,
//! same-asker key, split and indexes, its de-identified copy with the replacements counted, its
//! chat row), each step the one implementation of its rules, called in `chunk._prepare`'s order.

use super::pyask::{Askers, Strict};
use super::{jsonl, Parsed, Prepared, Steps};
use crate::chat;
use crate::cleaning::Counts;
use crate::derive;
use crate::minhash::{self, Permutations};
use crate::parse::Parser;
use crate::privacy::record::deidentify_record;
use crate::privacy::step::Policy;
use crate::pyconfirm::{AttachedConfirm, Confirmers};
use crate::schema::RecordValidator;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// What de-identification replaces besides what it always does (`privacy.Policy`).
pub struct Privacy {
    pub off: HashSet<String>,
    pub redact_doctors: bool,
    pub phone_checks: usize,
    pub confirmers: Confirmers,
}

/// The split of a record from its id (`SplitSpec.assign`), as an index into the build's split
/// names (`list(SplitSpec.ratios)`).
pub struct Splits {
    pub salt: String,
    /// Each split's share in `split.SPLITS` order (0 for a split left out).
    pub shares: Vec<f64>,
    /// For each of `split.SPLITS`, its index among the build's split names.
    pub index: Vec<u8>,
}

/// The names the chunk's arrays and columns index into.
pub struct Columns {
    /// `schema.source_names()`.
    pub sources: Vec<String>,
    /// The specialty enum's names (no null).
    pub specialties: Vec<String>,
    /// `chunk.COUNT_COLUMNS`: replacements by kind (`privacy.COUNTED`), then by top-level field.
    pub counted: Vec<String>,
    pub fields: Vec<String>,
    /// `chunk.CLEANING_COLUMNS`: the cleaning rules' names.
    pub cleaning: Vec<String>,
}

/// The steps of a build of built-in sources.
pub struct Builtin<'a> {
    pub parser: &'a Parser,
    pub validator: &'a RecordValidator,
    pub perms: &'a Permutations,
    /// None: records are published as parsed (local debugging only).
    pub privacy: Option<&'a Privacy>,
    pub splits: &'a Splits,
    pub columns: &'a Columns,
    /// What a shard line asks of Python; None: strict JSON and the common dates only.
    pub lines: Option<&'a Askers>,
}

impl Steps for Builtin<'_> {
    fn parse(&self, text: &str, file: &str, sha256: &str) -> Parsed {
        let pages = self
            .parser
            .parse_file_digested(text, Some(file), Some(sha256))?;
        Ok(pages
            .into_iter()
            .map(|page| page.map(|(record, removed)| (record, Some(removed))))
            .collect())
    }

    fn line(&self, data: &[u8]) -> Result<jsonl::Member, String> {
        match self.lines {
            Some(mut askers) => jsonl::member(data, &mut askers),
            None => jsonl::member(data, &mut Strict),
        }
    }

    fn valid(&self, record: &Value) -> bool {
        self.validator.is_valid(record)
    }

    fn prepare(
        &self,
        record: Map<String, Value>,
        removed: Option<Counts>,
    ) -> Result<Prepared, String> {
        let signature = minhash::signature(&derive::minhash_text(&record)?, self.perms);
        let removed = match removed {
            Some(removed) => removed,
            None => derive::removed(&record)?,
        };
        let removed = self
            .columns
            .cleaning
            .iter()
            .map(|rule| {
                let n = removed
                    .iter()
                    .find(|(name, _)| name == rule)
                    .map_or(0, |(_, n)| *n);
                n as u32
            })
            .collect();
        let rank = derive::rank(&record)?;
        let (asker_hash, asker_day) = derive::asker_key(&record)?;
        let id = record.get("id").and_then(Value::as_str).unwrap_or_default();
        let split = derive::split_assign(&self.splits.salt, id, &self.splits.shares)
            .and_then(|k| self.splits.index.get(k).copied())
            .ok_or("no split has a positive share")?;
        let id_hash = id
            .rsplit_once('-')
            .and_then(|(_, hex)| u64::from_str_radix(hex, 16).ok())
            .ok_or_else(|| format!("the id {id:?} does not end in 16 hex digits"))?;
        let str_at = |key: &str| record.get(key).and_then(Value::as_str);
        let source = str_at("source")
            .and_then(|s| self.columns.sources.iter().position(|n| n == s))
            .ok_or("the record's source is not one of the schema's")? as u8;
        let specialty = match str_at("specialty") {
            Some(s) if !s.is_empty() => self
                .columns
                .specialties
                .iter()
                .position(|n| n == s)
                .ok_or("the record's specialty is not one of the schema's")?
                as i16,
            _ => -1,
        };
        let complete = record
            .get("complete")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let unmapped_roles = record
            .get("answers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| {
                let role = a
                    .get("role")
                    .and_then(Value::as_str)
                    .filter(|r| !r.is_empty())?;
                let mapped = a
                    .get("specialty")
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.is_empty());
                (!mapped).then(|| role.to_string())
            })
            .collect();
        let url = record
            .get("provenance")
            .and_then(|p| p.get("url"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let (published, counts) = match self.privacy {
            None => (
                record,
                vec![0; self.columns.counted.len() + self.columns.fields.len()],
            ),
            Some(privacy) => self.deidentified(privacy, record)?,
        };
        let (messages, chat_state) = chat::messages(&published)?;
        Ok(Prepared {
            published,
            signature,
            counts,
            messages,
            chat_state,
            removed,
            rank,
            split,
            asker_hash,
            asker_day,
            source,
            id_hash,
            specialty,
            complete,
            unmapped_roles,
            url,
        })
    }
}

impl Builtin<'_> {
    /// The record de-identified, and its replacements in the count columns' order.
    fn deidentified(
        &self,
        privacy: &Privacy,
        record: Map<String, Value>,
    ) -> Result<(Map<String, Value>, Vec<u32>), String> {
        let mut confirm = AttachedConfirm::new(&privacy.confirmers, None);
        let done = {
            let mut policy = Policy {
                off: &privacy.off,
                redact_doctors: privacy.redact_doctors,
                phone_checks: privacy.phone_checks,
                confirm: &mut confirm,
            };
            deidentify_record(&mut policy, record)
        };
        if let Some(err) = confirm.error() {
            return Err(err.to_string());
        }
        let done = done.map_err(|e| e.to_string())?;
        let count = |tally: &[(String, i64)], key: &str| {
            tally
                .iter()
                .find(|(k, _)| k == key)
                .map_or(0, |(_, n)| *n as u32)
        };
        let counts = self
            .columns
            .counted
            .iter()
            .map(|k| count(&done.by_kind, k))
            .chain(self.columns.fields.iter().map(|f| count(&done.by_field, f)))
            .collect();
        Ok((done.record, counts))
    }
}
