//! `parse_all` in the core: a file's text to its pages' records (each complete with its id,
//! provenance and cleaning) or the reason each page gives none, and detection among the
//! sources. Built-in sources run here with no Python; plug-ins take part in detection through
//! the `Claims` callbacks their caller gives.

use crate::cleaning;
use crate::record::Blanks;
use crate::repair::Lexicon;
use crate::sources::assemble::{self, Kit, Record};
use crate::sources::{
    askadoctor, askadoctor_free, askthedoctor, doctorqna, icliniq, markers, meddialog,
};
use crate::specialties::Table;
use crate::text::{lines_of, lower};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Why a page (or a whole file) gives no record: the reason, and the 1-based line to blame.
pub type Failure = (String, Option<usize>);

/// A page of a file: its record with what cleaning removed from it, or why it gives none and the
/// line of the file to blame.
pub type PageResult = Result<(Record, cleaning::Counts), (String, usize)>;

/// MedDialog's detection reads no further than this: the lines that decide.
const DETECT_LINES: usize = 300;

/// The built-in sources, each with its compiled parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DoctorQnA,
    AskADoctor,
    AskADoctorFree,
    AskTheDoctor,
    ICliniq,
    MedDialog,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        Some(match name {
            "doctorqna" => Kind::DoctorQnA,
            "askadoctor" => Kind::AskADoctor,
            "askadoctor_free" => Kind::AskADoctorFree,
            "askthedoctor" => Kind::AskTheDoctor,
            "icliniq" => Kind::ICliniq,
            "meddialog" => Kind::MedDialog,
            _ => return None,
        })
    }
}

/// A built-in source as Python's class describes it: its name, `name/version` for provenance,
/// and its markers (one of which each of its whole pages holds, lower-cased).
pub struct Builtin {
    kind: Kind,
    pub name: String,
    pub parser: String,
    markers: Vec<String>,
}

/// A plug-in source taking part in detection: its name and markers.
pub struct Plugin {
    pub name: String,
    pub markers: Vec<String>,
}

/// Asks a plug-in (by its index among the plug-ins) whether it claims a page, as a whole page or
/// (`fragment`) as a piece of one. A plug-in that fails claims nothing.
pub trait Claims {
    fn claims(&mut self, plugin: usize, lines: &[&str], fragment: bool) -> bool;
}

/// No plug-ins: nothing to ask.
pub struct NoPlugins;

impl Claims for NoPlugins {
    fn claims(&mut self, _: usize, _: &[&str], _: bool) -> bool {
        false
    }
}

/// The source detection chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    Builtin(usize),
    Plugin(usize),
}

/// Every built-in source's parser with what its records need: the schema's blanks, the specialty
/// table, the repairs' lexicon.
pub struct Parser {
    builtins: Vec<Builtin>,
    blanks: Blanks,
    table: Table,
    lexicon: Lexicon,
}

/// `sha256(text)` as lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in Sha256::digest(data) {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// `text.record_id`: `<source>-<16 hex>` of the key's sha256, stable whatever the file's name.
pub fn record_id(source: &str, key: &str) -> String {
    let hex = sha256_hex(key.as_bytes());
    format!("{source}-{}", &hex[..16])
}

/// The record's id, provenance and cleaning: what every parsed page gets before it is returned.
/// `key` is what the id hashes (`Source.id_key`). Returns what cleaning removed.
pub fn finish(
    record: &mut Record,
    source: &str,
    key: &str,
    file: Option<&str>,
    line: usize,
    digest: &str,
    parser: &str,
) -> cleaning::Counts {
    record.insert("id".into(), Value::String(record_id(source, key)));
    let mut provenance = Map::new();
    provenance.insert("file".into(), Value::from(file.unwrap_or("<text>")));
    provenance.insert("line".into(), Value::from(line));
    provenance.insert("sha256".into(), Value::from(digest));
    provenance.insert("parser".into(), Value::from(parser));
    provenance.insert("url".into(), Value::Null);
    provenance.insert("captured".into(), Value::Null);
    record.insert("provenance".into(), Value::Object(provenance));
    cleaning::apply(record)
}

impl Parser {
    /// `builtins`: (name, version, markers) of each built-in source, in the schema's order (the
    /// order detection lists them in); every name must be one the core has a parser for.
    pub fn new(
        blanks: Blanks,
        table: Table,
        lexicon: Lexicon,
        builtins: Vec<(String, i64, Vec<String>)>,
    ) -> Result<Self, String> {
        let mut known = Vec::new();
        for (name, version, markers) in builtins {
            let kind = Kind::of(&name).ok_or_else(|| format!("no compiled parser for {name:?}"))?;
            known.push(Builtin {
                kind,
                parser: format!("{name}/{version}"),
                name,
                markers,
            });
        }
        Ok(Parser {
            builtins: known,
            blanks,
            table,
            lexicon,
        })
    }

    /// The built-in sources, in detection's order.
    pub fn builtins(&self) -> &[Builtin] {
        &self.builtins
    }

    /// The schema's blanks.
    pub fn blanks(&self) -> &Blanks {
        &self.blanks
    }

    /// The specialty table.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The repairs' lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The built-in source called `name`.
    pub fn builtin(&self, name: &str) -> Option<usize> {
        self.builtins.iter().position(|b| b.name == name)
    }

    /// `Source.parse` of the built-in source `k`: the page's record (no id, provenance nor
    /// cleaning yet), or why it gives none.
    pub fn parse<S: AsRef<str>>(&self, k: usize, lines: &[S]) -> Result<Record, Failure> {
        let kit = Kit {
            blanks: &self.blanks,
            lexicon: &self.lexicon,
        };
        let Some(source) = self.builtins.get(k) else {
            return Err((format!("no built-in source {k}"), None));
        };
        let table = &self.table;
        match source.kind {
            Kind::DoctorQnA => doctorqna::parse(lines, table)
                .map(|p| assemble::doctorqna(&kit, p))
                .map_err(|reason| (reason, None)),
            Kind::AskADoctor => match askadoctor::parse(lines, table) {
                Ok(p) => Ok(assemble::askadoctor(&kit, p)),
                Err(askadoctor::Failure::Reject(reason, line)) => Err((reason, line)),
            },
            Kind::AskADoctorFree => match askadoctor_free::parse(lines, table) {
                Ok(p) => Ok(assemble::askadoctor_free(&kit, p)),
                Err(askadoctor_free::Failure::Reject(reason, line)) => Err((reason, line)),
            },
            Kind::ICliniq => icliniq::parse(lines, table)
                .map(|p| assemble::icliniq(&kit, p))
                .map_err(|reason| (reason, None)),
            Kind::AskTheDoctor => askthedoctor::parse(lines, table)
                .map(|p| assemble::conversation(&kit, &source.name, p))
                .map_err(|r| (r.reason, r.line)),
            Kind::MedDialog => meddialog::parse(lines, table)
                .map(|p| assemble::conversation(&kit, &source.name, p))
                .map_err(|r| (r.reason, r.line)),
        }
    }

    /// `detect` (or, `fragment`, `recognises_fragment`) of the built-in source `k`.
    pub fn claims(&self, k: usize, lines: &[&str], fragment: bool) -> bool {
        match (self.builtins[k].kind, fragment) {
            (Kind::AskADoctorFree, true) => askadoctor_free::recognises_fragment(lines),
            (_, true) => false,
            (Kind::DoctorQnA, _) => doctorqna::detect(lines),
            (Kind::AskADoctor, _) => askadoctor::detect(lines),
            (Kind::AskADoctorFree, _) => askadoctor_free::detect(lines),
            (Kind::AskTheDoctor, _) => askthedoctor::detect(lines),
            (Kind::ICliniq, _) => icliniq::detect(lines),
            (Kind::MedDialog, _) => meddialog::detect(&lines[..lines.len().min(DETECT_LINES)]),
        }
    }

    /// `sources.detect`: the one source whose layout the page has, else the one that recognises
    /// it as a fragment; never a guess (no match, or more than one, is an error saying so). The
    /// candidates are the built-ins, then `plugins`; a source whose markers the page lacks is
    /// not asked. Every candidate is asked (not only until one claims), as the Python did.
    pub fn detect(
        &self,
        lines: &[&str],
        plugins: &[Plugin],
        ask: &mut dyn Claims,
    ) -> Result<Chosen, String> {
        let page = lower(&lines.join("\n"));
        let marked: Vec<bool> = self
            .builtins
            .iter()
            .map(|b| &b.markers)
            .chain(plugins.iter().map(|p| &p.markers))
            .map(|m| markers::holds(&page, m))
            .collect();
        let n = self.builtins.len();
        let candidates = n + plugins.len();
        let mut claim = |k: usize, fragment: bool| {
            if k < n {
                self.claims(k, lines, fragment)
            } else {
                ask.claims(k - n, lines, fragment)
            }
        };
        let mut matches: Vec<usize> = (0..candidates)
            .filter(|&k| marked[k] && claim(k, false))
            .collect();
        if matches.is_empty() {
            matches = (0..candidates).filter(|&k| claim(k, true)).collect();
        }
        let name = |k: usize| -> &str {
            if k < n {
                &self.builtins[k].name
            } else {
                &plugins[k - n].name
            }
        };
        match matches[..] {
            [k] if k < n => Ok(Chosen::Builtin(k)),
            [k] => Ok(Chosen::Plugin(k - n)),
            [] => {
                let known: Vec<&str> = (0..candidates).map(name).collect();
                Err(format!(
                    "not a page of a known source ({}): no layout markers found",
                    known.join(", ")
                ))
            }
            _ => {
                let names: Vec<&str> = matches.iter().map(|&k| name(k)).collect();
                Err(format!(
                    "ambiguous page: looks like {}",
                    names.join(" and ")
                ))
            }
        }
    }

    /// `parse_all` of a file of the built-in sources only: each page's record (id, provenance,
    /// cleaning done) or why it gives none, with the file's line to blame; or why the file as a
    /// whole is none of theirs. `file` goes into `provenance.file` ("<text>" when None).
    pub fn parse_file(&self, text: &str, file: Option<&str>) -> Result<Vec<PageResult>, Failure> {
        self.parse_file_digested(text, file, None)
    }

    /// `parse_file` with the digest that goes into `provenance.sha256` given (the unit's, of the
    /// raw bytes, already computed), not that of `text`.
    pub fn parse_file_digested(
        &self,
        text: &str,
        file: Option<&str>,
        digest: Option<&str>,
    ) -> Result<Vec<PageResult>, Failure> {
        if text.contains('\0') {
            return Err(("binary data: the text holds NUL bytes".into(), None));
        }
        let lines = lines_of(text);
        if lines.iter().all(|l| l.is_empty()) {
            return Err(("empty page: no text".into(), None));
        }
        let chosen = self.detect(&lines, &[], &mut NoPlugins);
        let k = match chosen.map_err(|reason| (reason, None))? {
            Chosen::Builtin(k) => k,
            Chosen::Plugin(_) => unreachable!("no plug-ins were asked"),
        };
        let source = &self.builtins[k];
        let digest = digest.map_or_else(|| sha256_hex(text.as_bytes()), str::to_string);
        let page = |first_line: usize, lines: &[&str]| -> PageResult {
            let got = crate::guarded(&source.name, || {
                let mut record = match self.parse(k, lines) {
                    Ok(record) => record,
                    Err(failure) => return Ok(Err(failure)),
                };
                let key = assemble::id_key(&record);
                let removed = finish(
                    &mut record,
                    &source.name,
                    &key,
                    file,
                    first_line,
                    &digest,
                    &source.parser,
                );
                Ok(Ok((record, removed)))
            });
            match got {
                Ok(Ok(page)) => Ok(page),
                // the page's line counted from the start of the file (Python's `exc.line - 1 if
                // exc.line else 0`: a line 0 blames the page's first line too)
                Ok(Err((reason, line))) => {
                    Err((reason, first_line + line.map_or(0, |l| l.saturating_sub(1))))
                }
                Err(reason) => Err((reason, first_line)),
            }
        };
        if source.kind != Kind::MedDialog {
            return Ok(vec![page(1, &lines)]);
        }
        Ok(meddialog::pages(text)
            .iter()
            .map(|(first_line, block)| page(*first_line, &lines_of(block)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::blanks;
    use std::collections::{HashMap, HashSet};

    const NAMES: [&str; 6] = [
        "doctorqna",
        "askadoctor",
        "askadoctor_free",
        "askthedoctor",
        "icliniq",
        "meddialog",
    ];

    fn parser() -> Parser {
        let builtins = NAMES.iter().map(|n| (n.to_string(), 2, vec![])).collect();
        Parser::new(
            blanks(),
            Table(HashMap::new()),
            Lexicon::new(HashSet::new()),
            builtins,
        )
        .unwrap()
    }

    const CHAT: &str =
        "Knee pain\nPatient:\nMy knee hurts. What should I do?\nDoctor:\nRest it and use ice.";

    const CORPUS: &str = "id=1\nhttps://www.healthcaremagic.com/questions/1\nDescription\nQ. Knee pain\nDialogue\nPatient:\nMy knee hurts. What should I do?\nDoctor:\nRest it and use ice.\nid=2\nhttps://www.healthcaremagic.com/questions/2\nDescription\nQ. Rash\nDialogue\nPatient:\nA rash, why?\n";

    /// Claims every page as a whole page, or only as a fragment.
    struct Greedy(bool);

    impl Claims for Greedy {
        fn claims(&mut self, _: usize, _: &[&str], fragment: bool) -> bool {
            fragment == self.0
        }
    }

    #[test]
    fn ids_and_digests_are_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(record_id("doctorqna", "abc"), "doctorqna-ba7816bf8f01cfea");
    }

    #[test]
    fn an_unknown_source_name_is_refused() {
        let got = Parser::new(
            blanks(),
            Table::default(),
            Lexicon::new(HashSet::new()),
            vec![("x_forum".into(), 1, vec![])],
        );
        assert!(got.is_err());
    }

    #[test]
    fn detection_takes_the_one_whole_page_claim_and_never_guesses() {
        let p = parser();
        let lines = lines_of(CHAT);
        assert_eq!(
            p.detect(&lines, &[], &mut NoPlugins),
            Ok(Chosen::Builtin(3))
        );
        let forum = [Plugin {
            name: "x_forum".into(),
            markers: vec![],
        }];
        assert_eq!(
            p.detect(&lines, &forum, &mut Greedy(false)),
            Err("ambiguous page: looks like askthedoctor and x_forum".into())
        );
        // a plug-in whose markers the page lacks is not asked
        let marked = [Plugin {
            name: "x_forum".into(),
            markers: vec!["tinyforum".into()],
        }];
        assert_eq!(
            p.detect(&lines, &marked, &mut Greedy(false)),
            Ok(Chosen::Builtin(3))
        );
        let other = lines_of("Nothing here at all.");
        assert_eq!(
            p.detect(&other, &forum, &mut NoPlugins),
            Err("not a page of a known source (doctorqna, askadoctor, askadoctor_free, askthedoctor, icliniq, meddialog, x_forum): no layout markers found".into())
        );
        // fragments are asked only when no whole page claims
        assert_eq!(
            p.detect(&other, &forum, &mut Greedy(true)),
            Ok(Chosen::Plugin(0))
        );
    }

    #[test]
    fn a_page_is_finished_with_its_id_provenance_and_cleaning() {
        let p = parser();
        let got = p.parse_file(CHAT, Some("a/b.txt")).unwrap();
        let (record, removed) = got[0].as_ref().unwrap();
        assert_eq!(removed, &crate::derive::removed(record).unwrap());
        assert_eq!(record["source"], "askthedoctor");
        let key = assemble::id_key(record);
        assert_eq!(
            record["id"].as_str(),
            Some(record_id("askthedoctor", &key).as_str())
        );
        let provenance = &record["provenance"];
        assert_eq!(
            provenance.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["file", "line", "sha256", "parser", "url", "captured"]
        );
        assert_eq!(provenance["file"], "a/b.txt");
        assert_eq!(provenance["line"], 1);
        assert_eq!(
            provenance["sha256"].as_str(),
            Some(sha256_hex(CHAT.as_bytes()).as_str())
        );
        assert_eq!(provenance["parser"], "askthedoctor/2");
        assert_eq!(record["answers"][0]["text_clean"], "Rest it and use ice.");
        assert_eq!(record["answers"][0]["complete"], true);
        let unnamed = p.parse_file(CHAT, None).unwrap();
        assert_eq!(
            unnamed[0].as_ref().unwrap().0["provenance"]["file"],
            "<text>"
        );
    }

    #[test]
    fn a_corpus_file_gives_a_result_per_page_each_blaming_a_line_of_the_file() {
        let p = parser();
        let got = p.parse_file(CORPUS, None).unwrap();
        assert_eq!(got.len(), 2);
        let first = &got[0].as_ref().unwrap().0;
        assert_eq!(
            (first["source"].as_str(), &first["provenance"]["line"]),
            (Some("meddialog"), &1.into())
        );
        assert_eq!(
            got[1].as_ref().unwrap_err(),
            &(
                "no answer: consultation id=2 has no Doctor turn".to_string(),
                10
            )
        );
    }

    #[test]
    fn a_file_that_is_no_page_says_why() {
        let p = parser();
        assert_eq!(
            p.parse_file("a\0b", None).unwrap_err(),
            ("binary data: the text holds NUL bytes".into(), None)
        );
        assert_eq!(
            p.parse_file(" \n\t\n", None).unwrap_err(),
            ("empty page: no text".into(), None)
        );
        assert!(p
            .parse_file("hello", None)
            .unwrap_err()
            .0
            .starts_with("not a page of a known source"));
    }

    #[test]
    fn a_page_of_a_source_is_parsed_by_name() {
        let p = parser();
        let k = p.builtin("askthedoctor").unwrap();
        let lines = lines_of(CHAT);
        let record = p.parse(k, &lines).unwrap();
        assert_eq!(
            (&record["id"], &record["provenance"]["file"]),
            (&Value::Null, &Value::Null)
        );
        assert!(p.parse(p.builtin("doctorqna").unwrap(), &lines).is_err());
        assert!(p.parse(99, &lines).is_err());
        assert!(p.claims(k, &lines, false));
        assert!(!p.claims(k, &lines, true));
    }
}
