//! A page's record from what its source's parser found: the schema's blank record filled in,
//! the follow-up turns in conversation order, the certain repairs. What each Python source's
//! `parse` did with the compiled parser's fields, once, here: the record is an ordered JSON
//! value (`record::Blanks`), so the core can build it on any thread, with no Python.

use super::{askadoctor, askadoctor_free, conversation, doctorqna, icliniq};
use crate::record::{get_str, text, Blanks};
use crate::repair::{self, Lexicon};
use crate::{followups, questions};
use serde_json::{Map, Value};

/// A record (or one of its objects) as the core holds it: keys in the schema's order.
pub type Record = Map<String, Value>;

/// What assembling a record needs besides the page: the schema's blanks and the repairs' lexicon.
pub struct Kit<'a> {
    pub blanks: &'a Blanks,
    pub lexicon: &'a Lexicon,
}

/// The object at `key` of `map`, made one if it is not (a blank always has it).
fn object<'a>(map: &'a mut Record, key: &str) -> &'a mut Record {
    let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

/// The list at `key` of `map`, made one if it is not (a blank always has it).
fn list<'a>(map: &'a mut Record, key: &str) -> &'a mut Vec<Value> {
    let slot = map.entry(key).or_insert_with(|| Value::Array(vec![]));
    if !slot.is_array() {
        *slot = Value::Array(vec![]);
    }
    match slot {
        Value::Array(v) => v,
        _ => unreachable!("made a list above"),
    }
}

/// `dict.update`: each of `fields` set on `map` (a key the blank has keeps its place).
fn update(map: &mut Record, fields: impl IntoIterator<Item = (&'static str, Value)>) {
    for (key, value) in fields {
        map.insert(key.to_string(), value);
    }
}

/// A blank item of the list field `field` with `fields` set: `schema.blank_item(f)` updated.
fn item(
    blanks: &Blanks,
    field: &str,
    fields: impl IntoIterator<Item = (&'static str, Value)>,
) -> Value {
    let mut one = blanks.item(field);
    update(&mut one, fields);
    Value::Object(one)
}

/// `Source.new_record`: a blank record of `source`, complete until a parser says it was cut.
pub fn new_record(blanks: &Blanks, source: &str) -> Record {
    let mut record = blanks.record();
    update(
        &mut record,
        [
            ("source", text(Some(source))),
            ("complete", Value::Bool(true)),
        ],
    );
    record
}

/// `patient_turn`: a later message of the patient's as a follow-up turn, with the questions it asks.
pub fn patient_turn(blanks: &Blanks, turn: Option<&str>, after_answer: Option<i64>) -> Value {
    let asks = questions::question_sentences(turn);
    item(
        blanks,
        "follow_ups",
        [
            ("role", text(Some("patient"))),
            ("text", text(turn)),
            ("questions", asks.into_iter().map(Value::String).collect()),
            (
                "after_answer",
                after_answer.map_or(Value::Null, Value::from),
            ),
        ],
    )
}

/// `followups.interleave`: the follow-up turns in conversation order, the doctors' questions put
/// back. The patient's turns keep their order: first those following no answer, then after answer
/// k the questions its doctor asked in it, then the patient's turns that followed it. A turn said
/// to follow an answer the record does not have is dropped (the Python's loop never reaches it).
pub fn interleave(blanks: &Blanks, record: &mut Record) {
    let later = std::mem::take(list(record, "follow_ups"));
    // Python asked the core with every answer's text; a text that is not a string never reaches
    // here (the parsers drop such answers first), and reads as no text.
    let runs: Vec<Vec<followups::Turn>> = list(record, "answers")
        .iter()
        .map(|a| followups::doctor_follow_ups(a.get("text").and_then(Value::as_str).unwrap_or("")))
        .collect();
    let after = |f: &Value| f.get("after_answer").cloned().unwrap_or(Value::Null);
    let mut turns: Vec<Value> = later
        .iter()
        .filter(|f| after(f).is_null())
        .cloned()
        .collect();
    for (k, asked) in runs.into_iter().enumerate() {
        for (lead_in, questions) in asked {
            turns.push(item(
                blanks,
                "follow_ups",
                [
                    ("role", text(Some("doctor"))),
                    (
                        "questions",
                        questions.into_iter().map(Value::String).collect(),
                    ),
                    ("after_answer", Value::from(k)),
                    ("text", text(lead_in)),
                ],
            ));
        }
        turns.extend(
            later
                .iter()
                .filter(|f| after(f).as_u64() == Some(k as u64))
                .cloned(),
        );
    }
    *list(record, "follow_ups") = turns;
}

/// `add_repairs`: `text_repaired` of the question and of every answer, the page's own words (its
/// title and follow-up turns too) the evidence a repair leans on.
pub fn add_repairs(lexicon: &Lexicon, record: &mut Record) {
    let (question, answers) = repairs(lexicon, record);
    object(record, "question").insert("text_repaired".into(), text(question));
    for (answer, fixed) in list(record, "answers").iter_mut().zip(answers) {
        if let Value::Object(answer) = answer {
            answer.insert("text_repaired".into(), text(fixed));
        }
    }
}

/// What `add_repairs` fills in: the question's `text_repaired`, and each answer's.
pub fn repairs(lexicon: &Lexicon, record: &Record) -> (Option<String>, Vec<Option<String>>) {
    let texts_of = |field: &str| -> Vec<Option<&str>> {
        record
            .get(field)
            .and_then(Value::as_array)
            .map_or(vec![], |items| {
                items
                    .iter()
                    .map(|i| i.get("text").and_then(Value::as_str))
                    .collect()
            })
    };
    let question = record
        .get("question")
        .and_then(|q| q.get("text"))
        .and_then(Value::as_str);
    let texts: Vec<Option<&str>> = [question].into_iter().chain(texts_of("answers")).collect();
    let others: Vec<Option<&str>> = [get_str(record, "title")]
        .into_iter()
        .chain(texts_of("follow_ups"))
        .collect();
    let mut repaired = repair::repaired(&texts, &others, lexicon).into_iter();
    let question = repaired.next().flatten();
    (question, repaired.collect())
}

/// A record the page shows was cut: not complete, and why. An empty reason is none (Python's
/// `if cut:`).
fn set_cut(record: &mut Record, cut: Option<&str>) {
    if let Some(reason) = cut.filter(|c| !c.is_empty()) {
        update(
            record,
            [
                ("complete", Value::Bool(false)),
                ("incomplete_reason", text(Some(reason))),
            ],
        );
    }
}

/// The question's text and date.
fn question(record: &mut Record, question_text: Option<String>, date: Option<String>) {
    update(
        object(record, "question"),
        [("text", text(question_text)), ("date", text(date))],
    );
}

/// `Source.id_key`: what the record id hashes, the title and the opening of the question (or of
/// the first answer, when the question has no text), so a cut capture and a whole one share it.
pub fn id_key(record: &Record) -> String {
    let title = get_str(record, "title");
    let asked = record
        .get("question")
        .and_then(Value::as_object)
        .and_then(|q| get_str(q, "text"))
        .filter(|t| !t.is_empty());
    let opening = match asked {
        Some(q) => Some(q),
        None => match record.get("answers").and_then(Value::as_array) {
            Some(answers) if !answers.is_empty() => answers[0].get("text").and_then(Value::as_str),
            _ => Some(""),
        },
    };
    crate::text::fingerprint(&[title, opening], 200)
}

/// doctorqna's record: headline, specialty, asker, the reply, the related links, more info.
pub fn doctorqna(kit: &Kit, page: doctorqna::Page) -> Record {
    let mut record = new_record(kit.blanks, "doctorqna");
    update(
        &mut record,
        [
            ("headline", text(page.headline)),
            ("specialty", text(page.specialty)),
            ("title", text(Some(page.title))),
        ],
    );
    if let Some(asker) = page.asker {
        update(
            object(object(&mut record, "question"), "asker"),
            [
                ("name", text(asker.name)),
                ("age_range", text(asker.age_range)),
                ("sex", text(asker.sex)),
            ],
        );
    }
    question(&mut record, page.question_text, page.question_date);
    let answers: Vec<Value> = page
        .answers
        .into_iter()
        .map(|a| {
            item(
                kit.blanks,
                "answers",
                [
                    ("author", text(Some(a.author))),
                    ("role", text(Some(a.role))),
                    ("specialty", text(a.specialty)),
                    ("date", text(a.date)),
                    ("text", text(Some(a.text))),
                ],
            )
        })
        .collect();
    list(&mut record, "answers").extend(answers);
    let related: Vec<Value> = page
        .related
        .into_iter()
        .map(|l| {
            // a similar question showing its reply line names the reply's doctor and specialty
            let (author, specialty, answer_excerpt) = match l.reply {
                Some((author, specialty, excerpt)) => (Some(author), specialty, excerpt),
                None => (None, l.specialty, None),
            };
            item(
                kit.blanks,
                "related",
                [
                    ("kind", text(Some(l.kind))),
                    ("title", text(Some(l.title))),
                    ("question_excerpt", text(l.question_excerpt)),
                    ("author", text(author)),
                    ("specialty", text(specialty)),
                    ("answer_excerpt", text(answer_excerpt)),
                ],
            )
        })
        .collect();
    list(&mut record, "related").extend(related);
    record.insert("more_info".into(), text(page.more_info));
    interleave(kit.blanks, &mut record);
    // Python's `if cuts:` then `cuts[0]`: the first cut, even an empty one
    if let Some(first) = page.cuts.into_iter().next() {
        update(
            &mut record,
            [
                ("complete", Value::Bool(false)),
                ("incomplete_reason", text(Some(first))),
            ],
        );
    }
    record
}

/// askadoctor's record: the replies with their summaries, the patient's turns, and (a page that
/// ends in an empty `Follow up:` header) the cut the conversation's last line decides.
pub fn askadoctor(kit: &Kit, page: askadoctor::Page) -> Record {
    let mut record = new_record(kit.blanks, "askadoctor");
    record.insert("title".into(), text(Some(page.title)));
    question(&mut record, page.question_text, page.question_date);
    let answers: Vec<Value> = page
        .answers
        .into_iter()
        .map(|a| {
            item(
                kit.blanks,
                "answers",
                [
                    ("summary", text(a.summary)),
                    ("author", text(a.author)),
                    ("role", text(a.role)),
                    ("specialty", text(a.specialty)),
                    ("date", text(a.date)),
                    ("text", text(Some(a.text))),
                ],
            )
        })
        .collect();
    list(&mut record, "answers").extend(answers);
    let turns: Vec<Value> = page
        .turns
        .iter()
        .map(|t| patient_turn(kit.blanks, Some(&t.text), t.after_answer.map(|a| a as i64)))
        .collect();
    *list(&mut record, "follow_ups") = turns;
    interleave(kit.blanks, &mut record);
    record.insert("specialty".into(), text(page.specialty));
    let mut cut = page.cut;
    if page.last_turn_decides && crate::text::looks_cut(&last_line(&mut record)) {
        cut = Some("page ends inside the follow-up".into());
    }
    set_cut(&mut record, cut.as_deref());
    record
}

/// askadoctor's `_last_line`: the conversation's last line, of its last turn (a doctor's list of
/// questions with no lead-in ends in its last question) or of the last answer when no turn
/// follows one. Python's `str(...)` of a missing text reads "None" (never the case: a turn
/// here always has a text or a question).
fn last_line(record: &mut Record) -> String {
    let shown = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        _ => "None".to_string(),
    };
    let whole = match list(record, "follow_ups").last() {
        None => shown(list(record, "answers").last().and_then(|a| a.get("text"))),
        Some(turn) => match turn.get("text") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => shown(
                turn.get("questions")
                    .and_then(Value::as_array)
                    .and_then(|q| q.last()),
            ),
        },
    };
    whole.rsplit('\n').next().unwrap_or_default().to_string()
}

/// askadoctor_free's record: the answers (no summaries), the shared specialty, the repairs.
pub fn askadoctor_free(kit: &Kit, page: askadoctor_free::Page) -> Record {
    let mut record = new_record(kit.blanks, "askadoctor_free");
    record.insert("title".into(), text(Some(page.title)));
    question(&mut record, page.question_text, page.question_date);
    let answers: Vec<Value> = page
        .answers
        .into_iter()
        .map(|a| {
            item(
                kit.blanks,
                "answers",
                [
                    ("author", text(a.author)),
                    ("role", text(a.role)),
                    ("specialty", text(a.specialty)),
                    ("date", text(a.date)),
                    ("text", text(a.text)),
                ],
            )
        })
        .collect();
    list(&mut record, "answers").extend(answers);
    interleave(kit.blanks, &mut record);
    record.insert("specialty".into(), text(page.specialty));
    set_cut(&mut record, page.cut.as_deref());
    add_repairs(kit.lexicon, &mut record);
    record
}

/// icliniq's record: the answers, the related questions' titles, the patient's turns, the repairs.
/// The cut is set before the turns are ordered, as the Python did (neither reads the other).
pub fn icliniq(kit: &Kit, page: icliniq::Page) -> Record {
    let mut record = new_record(kit.blanks, "icliniq");
    record.insert("title".into(), text(page.title));
    question(&mut record, Some(page.question_text), page.question_date);
    let answers: Vec<Value> = page
        .answers
        .into_iter()
        .map(|a| {
            item(
                kit.blanks,
                "answers",
                [
                    ("author", text(a.author)),
                    ("role", text(a.role)),
                    ("specialty", text(a.specialty)),
                    ("text", text(Some(a.text))),
                ],
            )
        })
        .collect();
    list(&mut record, "answers").extend(answers);
    let related: Vec<Value> = page
        .related
        .into_iter()
        .map(|title| {
            item(
                kit.blanks,
                "related",
                [
                    ("kind", text(Some("similar_question"))),
                    ("title", text(Some(title))),
                ],
            )
        })
        .collect();
    list(&mut record, "related").extend(related);
    let turns: Vec<Value> = page
        .turns
        .iter()
        .map(|t| {
            patient_turn(
                kit.blanks,
                t.text.as_deref(),
                t.after_answer.map(|a| a as i64),
            )
        })
        .collect();
    *list(&mut record, "follow_ups") = turns;
    set_cut(&mut record, page.cut.as_deref());
    interleave(kit.blanks, &mut record);
    record.insert("specialty".into(), text(page.specialty));
    add_repairs(kit.lexicon, &mut record);
    record
}

/// The record of a page laid out as labelled turns (askthedoctor, meddialog).
pub fn conversation(kit: &Kit, source: &str, page: conversation::Page) -> Record {
    let mut record = new_record(kit.blanks, source);
    record.insert("title".into(), text(page.title));
    object(&mut record, "question").insert("text".into(), text(page.question_text));
    let answers: Vec<Value> = page
        .answers
        .into_iter()
        .map(|a| {
            item(
                kit.blanks,
                "answers",
                [
                    ("author", text(a.author)),
                    ("role", text(a.role)),
                    ("text", text(Some(a.text))),
                ],
            )
        })
        .collect();
    list(&mut record, "answers").extend(answers);
    let turns: Vec<Value> = page
        .follow_ups
        .iter()
        .map(|t| {
            patient_turn(
                kit.blanks,
                t.text.as_deref(),
                t.after_answer.map(|a| a as i64),
            )
        })
        .collect();
    *list(&mut record, "follow_ups") = turns;
    interleave(kit.blanks, &mut record);
    set_cut(&mut record, page.cut);
    add_repairs(kit.lexicon, &mut record);
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::blanks;
    use serde_json::json;
    use std::collections::HashSet;

    fn lexicon() -> Lexicon {
        Lexicon::new(HashSet::from(["details".to_string(), "acne".to_string()]))
    }

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object()
            .map_or(vec![], |m| m.keys().map(String::as_str).collect())
    }

    fn with_answers(texts: &[&str]) -> Record {
        let b = blanks();
        let mut r = new_record(&b, "x");
        for t in texts {
            list(&mut r, "answers").push(item(&b, "answers", [("text", text(Some(*t)))]));
        }
        r
    }

    #[test]
    fn a_new_record_is_the_blank_of_its_source_complete() {
        let r = new_record(&blanks(), "icliniq");
        assert_eq!(
            (r["source"].as_str(), &r["complete"]),
            (Some("icliniq"), &json!(true))
        );
        assert_eq!(r.keys().next().map(String::as_str), Some("id"));
        assert_eq!(r["answers"], json!([]));
    }

    #[test]
    fn a_patient_turn_holds_the_questions_it_asks_in_the_blanks_order() {
        let t = patient_turn(&blanks(), Some("Thanks. Is it safe to run?"), Some(0));
        assert_eq!(keys(&t), ["role", "text", "questions", "after_answer"]);
        assert_eq!(t["role"], "patient");
        assert_eq!(t["questions"], json!(["Is it safe to run?"]));
        assert_eq!(t["after_answer"], 0);
        let none = patient_turn(&blanks(), None, None);
        assert_eq!(
            (&none["text"], &none["questions"], &none["after_answer"]),
            (&Value::Null, &json!([]), &Value::Null)
        );
    }

    #[test]
    fn interleave_puts_the_doctors_questions_after_their_answer_then_the_patients_reply() {
        let b = blanks();
        let mut r = with_answers(&["Tell me:\n1. Any fever?\n2. Since when?", "Fine."]);
        *list(&mut r, "follow_ups") = vec![
            patient_turn(&b, Some("after one"), Some(1)),
            patient_turn(&b, Some("after none"), None),
            patient_turn(&b, Some("after zero"), Some(0)),
            patient_turn(&b, Some("after a missing answer"), Some(5)),
        ];
        interleave(&b, &mut r);
        let got: Vec<(&str, &str)> = r["follow_ups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["role"].as_str().unwrap(), f["text"].as_str().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("patient", "after none"),
                ("doctor", "Tell me:"),
                ("patient", "after zero"),
                ("patient", "after one")
            ]
        );
        let doctor = &r["follow_ups"][1];
        assert_eq!(keys(doctor), ["role", "text", "questions", "after_answer"]);
        assert_eq!(doctor["questions"], json!(["Any fever?", "Since when?"]));
        assert_eq!(doctor["after_answer"], 0);
    }

    #[test]
    fn repairs_fill_the_question_and_every_answer_with_the_pages_words_as_evidence() {
        let mut r = with_answers(&["Some deta ils.", "Fine"]);
        object(&mut r, "question").insert("text".into(), text(Some("I have ac ne.Help")));
        add_repairs(&lexicon(), &mut r);
        assert_eq!(r["question"]["text_repaired"], "I have acne. Help");
        assert_eq!(r["answers"][0]["text_repaired"], "Some details.");
        assert_eq!(r["answers"][1]["text_repaired"], Value::Null);
    }

    #[test]
    fn a_cut_sets_complete_and_its_reason_unless_empty() {
        let mut r = new_record(&blanks(), "x");
        set_cut(&mut r, Some(""));
        assert_eq!(
            (&r["complete"], &r["incomplete_reason"]),
            (&json!(true), &Value::Null)
        );
        set_cut(&mut r, Some("page ends inside the answer"));
        assert_eq!(r["complete"], false);
        assert_eq!(r["incomplete_reason"], "page ends inside the answer");
    }

    #[test]
    fn the_id_key_is_the_title_and_the_question_or_else_the_first_answer() {
        let mut r = with_answers(&["First Answer", "Second"]);
        r.insert("title".into(), text(Some("A Title")));
        assert_eq!(id_key(&r), "atitle\u{1f}firstanswer");
        object(&mut r, "question").insert("text".into(), text(Some("")));
        assert_eq!(id_key(&r), "atitle\u{1f}firstanswer"); // an empty question is none
        object(&mut r, "question").insert("text".into(), text(Some("Q?")));
        assert_eq!(id_key(&r), "atitle\u{1f}q");
        let empty = new_record(&blanks(), "x");
        assert_eq!(id_key(&empty), "\u{1f}");
    }

    fn kit_parts() -> (Blanks, Lexicon) {
        (blanks(), lexicon())
    }

    #[test]
    fn doctorqna_fills_the_asker_the_links_and_the_first_cut() {
        let (b, l) = kit_parts();
        let kit = Kit {
            blanks: &b,
            lexicon: &l,
        };
        let page = doctorqna::Page {
            title: "T".into(),
            asker: Some(doctorqna::Asker {
                name: Some("Dora".into()),
                age_range: Some("20-29".into()),
                sex: Some("female".into()),
            }),
            answers: vec![doctorqna::Answer {
                author: "Dr. Wu".into(),
                role: "reply".into(),
                text: "Rest.".into(),
                ..Default::default()
            }],
            related: vec![
                doctorqna::Link {
                    kind: "similar_question",
                    title: "S".into(),
                    reply: Some((
                        "Dr. Li".into(),
                        Some("Urology".into()),
                        Some("Drink.".into()),
                    )),
                    specialty: Some("ignored".into()),
                    ..Default::default()
                },
                doctorqna::Link {
                    kind: "faq",
                    title: "F".into(),
                    specialty: Some("Urology".into()),
                    ..Default::default()
                },
            ],
            cuts: vec!["first".into(), "second".into()],
            ..Default::default()
        };
        let r = doctorqna(&kit, page);
        assert_eq!(
            r["question"]["asker"],
            json!({"name": "Dora", "age_range": "20-29", "sex": "female"})
        );
        assert_eq!(
            (
                &r["related"][0]["author"],
                &r["related"][0]["specialty"],
                &r["related"][0]["answer_excerpt"]
            ),
            (&json!("Dr. Li"), &json!("Urology"), &json!("Drink."))
        );
        assert_eq!(
            (&r["related"][1]["author"], &r["related"][1]["specialty"]),
            (&Value::Null, &json!("Urology"))
        );
        assert_eq!(
            (&r["complete"], &r["incomplete_reason"]),
            (&json!(false), &json!("first"))
        );
        assert_eq!(r["answers"][0]["text_repaired"], Value::Null); // doctorqna is not repaired
    }

    #[test]
    fn askadoctor_lets_the_last_turn_decide_a_cut_after_an_empty_follow_up() {
        let (b, l) = kit_parts();
        let kit = Kit {
            blanks: &b,
            lexicon: &l,
        };
        let page = |turn: &str| askadoctor::Page {
            title: "T".into(),
            answers: vec![askadoctor::Answer {
                text: "Rest.".into(),
                ..Default::default()
            }],
            turns: vec![askadoctor::Turn {
                text: turn.into(),
                after_answer: Some(0),
            }],
            last_turn_decides: true,
            ..Default::default()
        };
        let cut = askadoctor(&kit, page("Thanks.\nand what about"));
        assert_eq!(cut["incomplete_reason"], "page ends inside the follow-up");
        let whole = askadoctor(&kit, page("Thanks, and what about it?"));
        assert_eq!(whole["complete"], true);
        assert_eq!(
            whole["follow_ups"][0]["questions"],
            json!(["Thanks, and what about it?"])
        );
    }

    #[test]
    fn icliniq_links_are_similar_questions_and_its_texts_are_repaired() {
        let (b, l) = kit_parts();
        let kit = Kit {
            blanks: &b,
            lexicon: &l,
        };
        let page = icliniq::Page {
            question_text: "Any deta ils?".into(),
            answers: vec![icliniq::Answer {
                author: None,
                role: None,
                specialty: None,
                text: "Yes.".into(),
            }],
            related: vec!["Other".into()],
            cut: Some("page ends inside the answer".into()),
            ..Default::default()
        };
        let r = icliniq(&kit, page);
        assert_eq!(r["related"][0]["kind"], "similar_question");
        assert_eq!(r["related"][0]["title"], "Other");
        assert_eq!(r["question"]["text_repaired"], "Any details?");
        assert_eq!(r["complete"], false);
    }

    #[test]
    fn a_conversation_is_of_the_source_named() {
        let (b, l) = kit_parts();
        let kit = Kit {
            blanks: &b,
            lexicon: &l,
        };
        let page = conversation::Page {
            title: Some("T".into()),
            question_text: Some("Q?".into()),
            answers: vec![conversation::Answer {
                author: None,
                role: None,
                text: "A.".into(),
            }],
            follow_ups: vec![conversation::FollowUp {
                text: Some("Ok?".into()),
                after_answer: Some(0),
            }],
            cut: None,
        };
        let r = conversation(&kit, "meddialog", page);
        assert_eq!(r["source"], "meddialog");
        assert_eq!(r["follow_ups"][0]["after_answer"], 0);
        assert_eq!(r["question"]["date"], Value::Null);
    }
}
