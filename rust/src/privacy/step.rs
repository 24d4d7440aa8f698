//! The step over one record (`privacy.deidentify`): its free-text slots cleaned in one pass over
//! their join (one pass per text where the join cannot count exactly), the page's URL alone, the
//! names beside a placeholder found and the record cleaned again with them, the doctors' names
//! replaced with `redact_doctors`, the file's name de-identified, and the replacements counted by
//! kind and by top-level field in the order Python's `Counter`s first saw each key.
//! The record walk itself is `record.rs`'s; this module sees plain strings.

use super::forms::Names;
use super::names::{beside, people};
use super::sites::supplied;
use super::typed::{deid_typed, Confirm};
use std::collections::HashSet;

/// The kinds of placeholder, in `privacy.KINDS`'s order.
pub const KINDS: &[&str] = &[
    "PATIENT", "DOCTOR", "EMAIL", "PHONE", "ADDRESS", "ID", "MRN", "URL", "DATE",
];
const PLACEHOLDERS: &[&str] = &[
    "[PATIENT]",
    "[DOCTOR]",
    "[EMAIL]",
    "[PHONE]",
    "[ADDRESS]",
    "[ID]",
    "[MRN]",
    "[URL]",
    "[DATE]",
];

/// Fields that hold no free text (ids, enums, dates, coarse demographics, checksums), or that the
/// step handles apart (the asker's name, doctors' names, the raw file's name). Every other string
/// is de-identified, so a text field added to the schema later is covered without a change here.
pub const NOT_TEXT: &[&str] = &[
    "id",
    "source",
    "specialty",
    "question.date",
    "question.asker.name",
    "question.asker.age_range",
    "question.asker.sex",
    "answers.author",
    "answers.role",
    "answers.specialty",
    "answers.date",
    "follow_ups.role",
    "related.kind",
    "related.specialty",
    "related.author",
    "provenance.file",
    "provenance.sha256",
    "provenance.parser",
    "provenance.captured",
];

/// Slots are joined by this separator and cleaned in one pass: a record has a dozen short text
/// slots, and one scan of their join costs far less than a dozen. No pattern crosses it: it opens
/// with a line break (which ends every link, name, phone and address) and its middle character,
/// NUL, is neither a word character nor a space, nor in any page.
pub const JOIN: &str = "\n\x00\n";

/// Counts by key in the order first counted (a Python `Counter`'s insertion order): adding
/// zero still inserts the key, as `c[k] += 0` does.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally(pub Vec<(String, i64)>);

impl Tally {
    pub fn add(&mut self, key: &str, n: i64) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v += n,
            None => self.0.push((key.to_string(), n)),
        }
    }

    fn update(&mut self, other: &[(String, i64)]) {
        for (k, n) in other {
            self.add(k, *n);
        }
    }

    fn get(&self, key: &str) -> i64 {
        self.0.iter().find(|(k, _)| k == key).map_or(0, |(_, v)| *v)
    }

    /// `_kinds_total`: replacements written, the per-rule counts left out.
    fn kinds_total(&self) -> i64 {
        KINDS.iter().map(|k| self.get(k)).sum()
    }

    fn total(&self) -> i64 {
        self.0.iter().map(|(_, n)| n).sum()
    }

    /// `+counter`: the positive entries, in order.
    pub fn positive(self) -> Vec<(String, i64)> {
        self.0.into_iter().filter(|(_, n)| *n > 0).collect()
    }
}

/// The placeholders `after` gained over `before`, by kind.
fn gained(before: &str, after: &str) -> [i64; 9] {
    let mut out = [0; 9];
    for (n, p) in out.iter_mut().zip(PLACEHOLDERS) {
        *n = after.matches(p).count() as i64 - before.matches(p).count() as i64;
    }
    out
}

/// The libraries' confirmations with the names of the pass (they change between the passes).
struct WithNames<'a, C: Confirm> {
    inner: &'a mut C,
    names: Option<&'a Names>,
}

impl<C: Confirm> Confirm for WithNames<'_, C> {
    fn is_phone(&mut self, candidate: &str) -> bool {
        self.inner.is_phone(candidate)
    }
    fn checksum(&mut self, shape: usize, value: &str) -> bool {
        self.inner.checksum(shape, value)
    }
    fn names_search(&mut self, text: &str) -> bool {
        self.names.is_some_and(|n| n.patients_search(text))
    }
}

/// What the step is run with: the rules switched off, `redact_doctors`, and the libraries.
pub struct Policy<'a, C: Confirm> {
    pub off: &'a HashSet<String>,
    pub redact_doctors: bool,
    pub phone_checks: usize,
    pub confirm: &'a mut C,
}

impl<C: Confirm> Policy<'_, C> {
    fn uses(&self, rule: &str) -> bool {
        !self.off.contains(rule)
    }

    /// `_typed` then, with names, `_people`, counting into `counts`.
    fn clean(
        &mut self,
        text: &str,
        counts: &mut Tally,
        names: Option<&Names>,
        redact: bool,
    ) -> Result<String, String> {
        let mut confirm = WithNames {
            inner: &mut *self.confirm,
            names,
        };
        let typed = deid_typed(text, self.off, self.phone_checks, &mut confirm);
        counts.update(&typed.counts);
        let Some(names) = names else {
            return Ok(typed.text);
        };
        let off: Vec<&str> = self.off.iter().map(String::as_str).collect();
        let (text, found) = people(&typed.text, names, &off, redact)?;
        counts.update(&found.0);
        Ok(text)
    }
}

type Cleaned = (Vec<String>, Tally, Tally);

/// `_clean_joined`: the texts cleaned in one pass over their join, a text's replacements being the
/// placeholders it gained; one pass per text where that cannot count exactly (a text holds the
/// separator's NUL, or already held placeholders the pass changed).
fn clean_joined<C: Confirm>(
    policy: &mut Policy<'_, C>,
    names: &Names,
    texts: &[&str],
    fields: &[&str],
) -> Result<Cleaned, String> {
    let joined = texts.join(JOIN);
    if joined.matches('\0').count() as i64 == texts.len() as i64 - 1 {
        let mut counts = Tally::default();
        let redact = policy.redact_doctors;
        let out = policy.clean(&joined, &mut counts, Some(names), redact)?;
        let cleaned: Vec<String> = out.split(JOIN).map(str::to_string).collect();
        if cleaned.len() == texts.len() {
            let mut by_field = Tally::default();
            for ((field, before), after) in fields.iter().zip(texts).zip(&cleaned) {
                if after.contains('[') {
                    by_field.add(field, gained(before, after).iter().sum());
                }
            }
            if by_field.total() == counts.kinds_total() {
                return Ok((cleaned, counts, by_field));
            }
        }
    }
    let (mut cleaned, mut counts, mut by_field) = (Vec::new(), Tally::default(), Tally::default());
    for (field, text) in fields.iter().zip(texts) {
        let mut one = Tally::default();
        let redact = policy.redact_doctors;
        cleaned.push(policy.clean(text, &mut one, Some(names), redact)?);
        counts.update(&one.0);
        by_field.add(field, one.kinds_total());
    }
    Ok((cleaned, counts, by_field))
}

/// `_clean_slots`: every text cleaned; the one at `alone` (the page's URL) by itself, since in the
/// join its link and digits would make every link and number pattern scan the whole record.
fn clean_slots<C: Confirm>(
    policy: &mut Policy<'_, C>,
    names: &Names,
    texts: &[&str],
    fields: &[&str],
    alone: Option<usize>,
) -> Result<Cleaned, String> {
    let Some(alone) = alone else {
        return clean_joined(policy, names, texts, fields);
    };
    let rest: Vec<usize> = (0..texts.len()).filter(|&k| k != alone).collect();
    let (rest_texts, rest_fields): (Vec<&str>, Vec<&str>) =
        rest.iter().map(|&k| (texts[k], fields[k])).unzip();
    let (joined, mut counts, mut by_field) =
        clean_joined(policy, names, &rest_texts, &rest_fields)?;
    let mut cleaned: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
    for (&k, text) in rest.iter().zip(joined) {
        cleaned[k] = text;
    }
    let mut one = Tally::default();
    let redact = policy.redact_doctors;
    cleaned[alone] = policy.clean(texts[alone], &mut one, Some(names), redact)?;
    counts.update(&one.0);
    by_field.add(fields[alone], one.kinds_total());
    Ok((cleaned, counts, by_field))
}

/// `file_name`: a file's name de-identified as text, `_` read as a break between words; the
/// names' rules run only with names (`scrub` has none); doctors are never redacted here.
pub fn file_name<C: Confirm>(
    policy: &mut Policy<'_, C>,
    name: &str,
    names: Option<&Names>,
) -> Result<String, String> {
    let text = name.replace('_', "\n");
    let out = policy.clean(&text, &mut Tally::default(), names, false)?;
    Ok(out.replace('\n', "_"))
}

/// One record's parts as the step reads them.
pub struct Record<'a> {
    /// The non-empty free-text strings, in the walk's order, and their top-level fields.
    pub texts: Vec<&'a str>,
    pub fields: Vec<&'a str>,
    /// The index in `texts` of the page's URL (`provenance.url`), cleaned alone.
    pub alone: Option<usize>,
    /// `question.asker.name` (None: null; counted as dropped unless null).
    pub asker: Option<&'a str>,
    /// The answers' and related pages' authors that are set: (field, name).
    pub authors: Vec<(&'a str, &'a str)>,
    /// `provenance.file`.
    pub file: &'a str,
}

/// What the step makes of a record: the cleaned texts (in `Record::texts`'s order), the file's
/// name, and the positive counts by kind and by field.
#[derive(Debug, PartialEq, Eq)]
pub struct Done {
    pub texts: Vec<String>,
    pub file: String,
    pub by_kind: Vec<(String, i64)>,
    pub by_field: Vec<(String, i64)>,
}

/// `deidentify` over a record's parts.
pub fn deidentify<C: Confirm>(
    policy: &mut Policy<'_, C>,
    record: &Record<'_>,
) -> Result<Done, String> {
    let mut by_kind = Tally::default();
    let doctors: Vec<&str> = record.authors.iter().map(|(_, a)| *a).collect();
    let patients: Vec<&str> = match record.asker {
        Some(a) if !a.is_empty() && policy.uses("asker-name") => vec![a],
        _ => vec![],
    };
    let off: Vec<&str> = policy.off.iter().map(String::as_str).collect();
    let found = supplied(&record.texts.join(JOIN), &off);
    let mut greeted: Vec<String> = found.iter().map(|(_, n)| n.clone()).collect();
    let mut sites: Vec<String> = Vec::new();
    for (rule, _) in &found {
        if !sites.iter().any(|s| s == rule) {
            sites.push(rule.to_string());
        }
    }
    let build = |greeted: &[String]| {
        let greeted: Vec<&str> = greeted.iter().map(String::as_str).collect();
        let mut names = Names::new(&patients, &greeted, &doctors);
        names.sites = Some(sites.clone());
        names
    };
    let mut names = build(&greeted);
    if record.asker.is_some() {
        by_kind.add("asker_name", 1);
    }
    let (texts, fields, alone) = (&record.texts, &record.fields, record.alone);
    let (mut cleaned, mut counts, mut by_field) =
        clean_slots(policy, &names, texts, fields, alone)?;
    if policy.uses("name-beside-placeholder") {
        let more = beside(&cleaned.join(JOIN), &names);
        if !more.is_empty() {
            greeted.extend(more.iter().cloned());
            names = build(&greeted);
            (cleaned, counts, by_field) = clean_slots(policy, &names, texts, fields, alone)?;
            counts.add("rule:name-beside-placeholder", more.len() as i64);
        }
    }
    by_kind.update(&counts.0);
    if policy.redact_doctors {
        for (field, _) in &record.authors {
            by_kind.add("DOCTOR", 1);
            by_field.add(field, 1);
        }
    }
    let file = file_name(policy, record.file, Some(&names))?;
    let replaced = gained(record.file, &file);
    for (kind, n) in KINDS.iter().zip(replaced) {
        by_kind.add(kind, n);
    }
    by_field.add("provenance", replaced.iter().sum());
    Ok(Done {
        texts: cleaned,
        file,
        by_kind: by_kind.positive(),
        by_field: by_field.positive(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::typed::Refuse;

    fn run(record: &Record<'_>, off: &[&str], redact: bool) -> Done {
        let off: HashSet<String> = off.iter().map(|s| s.to_string()).collect();
        let mut no = Refuse;
        let mut policy = Policy {
            off: &off,
            redact_doctors: redact,
            phone_checks: 0,
            confirm: &mut no,
        };
        deidentify(&mut policy, record).unwrap()
    }

    fn record<'a>(texts: &[&'a str], asker: Option<&'a str>) -> Record<'a> {
        Record {
            texts: texts.to_vec(),
            fields: texts.iter().map(|_| "question").collect(),
            alone: None,
            asker,
            authors: vec![("answers", "Lan Shengxing")],
            file: "saved_by_mei@x.com_1.txt",
        }
    }

    #[test]
    fn counts_keep_python_counter_order_and_drop_non_positive() {
        let done = run(
            &record(
                &["Dear Mei Ling: hello", "Mei Ling again"],
                Some("Mei Ling"),
            ),
            &[],
            false,
        );
        assert_eq!(done.texts, ["Dear [PATIENT]: hello", "[PATIENT] again"]);
        assert_eq!(done.by_kind[0], ("asker_name".to_string(), 1));
        assert!(done.by_kind.iter().all(|(_, n)| *n > 0));
        assert_eq!(done.file, "saved_by_[EMAIL]_1.txt");
        assert!(done.by_field.contains(&("provenance".to_string(), 1)));
        assert!(done.by_field.contains(&("question".to_string(), 2)));
    }

    #[test]
    fn a_nul_in_a_text_falls_back_to_one_pass_per_text() {
        let done = run(
            &record(&["a\0b mei@x.com", "Mei Ling"], Some("Mei Ling")),
            &[],
            true,
        );
        assert_eq!(done.texts, ["a\0b [EMAIL]", "[PATIENT]"]);
        assert!(done.by_field.contains(&("question".to_string(), 2)));
        assert!(done.by_field.contains(&("answers".to_string(), 1)));
        assert!(done.by_kind.contains(&("DOCTOR".to_string(), 1)));
    }

    #[test]
    fn a_placeholder_already_present_is_not_counted() {
        let done = run(
            &record(&["[PATIENT] was here", "Mei Ling"], Some("Mei Ling")),
            &[],
            false,
        );
        assert_eq!(done.texts, ["[PATIENT] was here", "[PATIENT]"]);
        assert!(done.by_field.contains(&("question".to_string(), 1)));
    }
}
