//! doctorqna.com/en (ported from `medqa_ds/sources/doctorqna.py`, byte for byte): English
//! translations of Taiwan e-Hospital questions, one doctor's reply each.
//!
//! Full layout: `<Headline> - <Specialty>`, `Share to:`, the question title, the question, the
//! asker line (`Name, 20~29 year old female. Ask Date: YYYY/MM/DD`), `Dr. X reply Specialty`, the
//! answer, `Reply Date:`, then `More Info` (machine-written), `Similar Q&A` and `Related FAQ`.
//! The compact layout drops the headline, `Share to:` and blank lines. Saved pages are often cut
//! short anywhere after the title.
//!
//! The Python patterns used lookbehinds and possessive quantifiers to stay linear; the `regex`
//! crate has neither (and is linear anyway), so each is emulated in code with the same matches.
//! `\s` is Python's (`text::WS`), `\b` Python's (`text::is_word`), and Python's `$` (the end, or
//! before a final newline) is `\n?\z`.

use super::pyre::ci_eq;
use crate::specialties::Table;
use crate::text::{
    self, is_space, is_word, iso_date, join_lines, looks_cut, lower, strip, DIGIT as D, WS,
};
use regex::Regex;
use std::sync::LazyLock;

const SHARE: &str = "share to:";
const MORE_INFO: &str = "more info";
const SIMILAR: &str = "similar q&a";
const FAQ: &str = "related faq";
const SECTIONS: [&str; 3] = [MORE_INFO, SIMILAR, FAQ];
const CUT_HEADINGS: [&str; 4] = ["reply date:", MORE_INFO, SIMILAR, FAQ];

const TILDE: &str = "(?:~|～|-|–|to)";
const TITLES: &str =
    "(?:Dr|Doctor|Prof|Professor|Pharmacist|Nutritionist|Dietitian|Psychologist|Therapist|Nurse\
|Midwife|Counselor|Physiotherapist)";

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

// ASKER, `^(?P<who>.*?)(?:(?<!\s)|(?=\.))\.?\s*Ask Date:\s*(?:(?P<date>DATE)\s*)?$` (re.I), from
// its tail: the tail can start at one place only (nothing but spaces and a date may follow it).
static ASKER_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)ask date:[{WS}]*(?:(?P<date>{D}{{4}}/{D}{{1,2}}/{D}{{1,2}})[{WS}]*)?\n?\z"
    ))
});
// ASKER_CUT without its `\b.*$`, asked about the line up to each "old" in it.
static ASKER_CUT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\A.{{0,80}}?,[{WS}]*{D}+[{WS}]*(?:{TILDE}[{WS}]*{D}+)?[{WS}]*years?[{WS}]+old\z"
    ))
});
static OLD: LazyLock<Regex> = LazyLock::new(|| re("(?i)old"));
// _AGE without its `(?<!\d)`: asked at the start of each run of digits.
static AGE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\A(?:(?P<lo>{D}+)[{WS}]*{TILDE}[{WS}]*(?P<hi>{D}+)[{WS}]*years?[{WS}]*old|(?P<one>{D}+\+?)[{WS}]*years?[{WS}]*old)"
    ))
});
static DIGITS: LazyLock<Regex> = LazyLock::new(|| re(&format!("{D}+")));
// REPLY, with `\s++[^?:!]{1,60}?` as `\s+` and a name that starts with no space.
static REPLY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?P<author>{TITLES}\.?[{WS}]+[^?:!{WS}][^?:!]{{0,59}}?)[{WS}]+reply[{WS}]+(?P<spec>[A-Z][A-Za-z&,/()' -]{{1,60}})\n?\z"
    ))
});
static REPLY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\AReply Date:[{WS}]*(?:(?P<date>{D}{{4}}/{D}{{1,2}}/{D}{{1,2}})[{WS}]*)?\n?\z"
    ))
});
static HEADLINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\A(?P<head>.+) - (?P<spec>[A-Z][A-Za-z&,/()' ]{1,60})\n?\z"));
static READ_MORE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\A\[Read More\][{WS}]*.*\n?\z")));
static FAQ_SPEC: LazyLock<Regex> = LazyLock::new(|| re(r"\A\((?P<spec>[^()]{1,60})\)\n?\z"));
static FAQ_SPEC_CUT: LazyLock<Regex> = LazyLock::new(|| re(r"\A\([^()]{0,60}\n?\z"));
static CUT_DATE_TAIL: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"[{D}/{WS}]+\n?\z")));

/// The asker line's name part and date, as ASKER's groups `who` and `date`.
fn asker(line: &str) -> Option<(&str, Option<&str>)> {
    // The tail is `ask date:` and spaces and a date: what ends the line after them is its colon.
    let bare = line.trim_end_matches(|c: char| c.is_numeric() || c == '/' || is_space(c));
    if line.len() < 9 || !bare.ends_with(':') {
        return None;
    }
    let start = ASKER_TAIL.find(line)?.start();
    let before = &line[..start];
    let mut end = before.trim_end_matches(is_space).len();
    if before[..end].ends_with('.') {
        end -= 1; // `(?=\.)\.?`: the name may end in spaces when a dot follows
    }
    let who = &line[..end];
    if who.contains('\n') {
        return None; // `.` takes no newline
    }
    // the groups only now, of the tail alone: a search for the tail finds it at its start again
    let date = ASKER_TAIL
        .captures(&line[start..])?
        .name("date")
        .map(|d| d.as_str());
    Some((who, date))
}

/// REPLY's match, without its groups (a DFA answers that; the groups cost a slower engine).
fn is_reply(line: &str) -> bool {
    line.contains("reply") && REPLY.is_match(line)
}

/// REPLY's groups `author` and `spec`.
fn reply(line: &str) -> Option<(&str, &str)> {
    if !line.contains("reply") {
        return None;
    }
    let m = REPLY.captures(line)?;
    Some((m.name("author")?.as_str(), m.name("spec")?.as_str()))
}

/// REPLY_DATE's match (it starts with an `r` of either case, the only ones re.I folds to it).
fn is_reply_date(line: &str) -> bool {
    line.starts_with(['r', 'R']) && REPLY_DATE.is_match(line)
}

fn reply_date(line: &str) -> Option<Option<&str>> {
    if !line.starts_with(['r', 'R']) {
        return None;
    }
    let m = REPLY_DATE.captures(line)?;
    Some(m.name("date").map(|d| d.as_str()))
}

/// ASKER_CUT: the line of a page cut inside the asker line, `<name>, <age> year(s) old…`.
fn asker_cut(line: &str) -> bool {
    OLD.find_iter(line).any(|old| {
        let rest = &line[old.end()..];
        let bounded = !rest.chars().next().is_some_and(is_word);
        let tail_ok = match rest.find('\n') {
            None => true,
            Some(k) => k + 1 == rest.len(),
        };
        bounded && tail_ok && ASKER_CUT.is_match(&line[..old.end()])
    })
}

fn is_section(low: &str) -> bool {
    SECTIONS.contains(&low)
}

/// `line.lower() == target` (ASCII): a line of more than four bytes a character of `target` cannot
/// lower-case to it, as every character lower-cases to one or more, so it is not lower-cased at all.
fn lower_is(line: &str, target: &str) -> bool {
    line.len() <= 4 * target.len() && lower(line) == target
}

/// `line.lower() in SECTIONS`, lower-casing only lines short enough to be one.
fn section_line(line: &str) -> bool {
    line.len() <= 4 * SIMILAR.len() && is_section(&lower(line))
}

/// `is_cut_heading`: the line (a page's last) is only the cut start of one of `headings`.
fn is_cut_heading(line: &str, headings: &[&str]) -> bool {
    let mut low = lower(line);
    if low.starts_with("reply date:") {
        if let Some(m) = CUT_DATE_TAIL.find(&low) {
            low.truncate(m.start());
        }
    }
    low.chars().count() >= 4 && headings.iter().any(|h| h.starts_with(low.as_str()))
}

fn is_marker(line: &str) -> bool {
    section_line(line)
        || lower_is(line, SHARE)
        || asker(line).is_some()
        || is_reply(line)
        || is_reply_date(line)
        || (line.starts_with('[') && READ_MORE.is_match(line))
}

/// The asker as `parse_asker` gives it: name, age range and sex, each as given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Asker {
    pub name: Option<String>,
    pub age_range: Option<String>,
    pub sex: Option<String>,
}

/// _AGE's search: the first match, at the start of a run of digits; (start, end, age range).
fn age(who: &str) -> Option<(usize, usize, String)> {
    DIGITS.find_iter(who).find_map(|run| {
        let m = AGE.captures(&who[run.start()..])?;
        let range = match (m.name("lo"), m.name("hi"), m.name("one")) {
            (Some(lo), Some(hi), _) => format!("{}-{}", lo.as_str(), hi.as_str()),
            (_, _, Some(one)) => one.as_str().to_string(),
            _ => return None,
        };
        Some((run.start(), run.start() + m.get(0)?.end(), range))
    })
}

/// _SEX's search, `\b(female|male|woman|man|girl|boy|other|unknown)\b\.?\s*$` (re.I): the word
/// and where it starts.
fn sex(s: &str) -> Option<(usize, &str)> {
    const WORDS: [&str; 8] = [
        "female", "male", "woman", "man", "girl", "boy", "other", "unknown",
    ];
    let mut end = text::rstrip(s).len();
    if s[..end].ends_with('.') {
        end -= 1;
    }
    let body = &s[..end];
    WORDS.iter().find_map(|w| {
        let mut start = body.len();
        for p in w.chars().rev() {
            let c = body[..start].chars().next_back()?;
            if !ci_eq(c, p) {
                return None;
            }
            start -= c.len_utf8();
        }
        if body[..start].chars().next_back().is_some_and(is_word) {
            return None;
        }
        Some((start, &body[start..]))
    })
}

/// `parse_asker`: `Dora, 20~29 year old female` → name, age range `20-29` and sex.
pub fn parse_asker(who: &str) -> Asker {
    let mut asker = Asker::default();
    let found = age(who);
    let (mut name, rest) = match &found {
        Some((start, end, range)) => {
            asker.age_range = Some(range.clone());
            (&who[..*start], &who[*end..])
        }
        None => match who.split_once(',') {
            Some((name, rest)) => (name, rest),
            None => (who, ""),
        },
    };
    let target = if !rest.is_empty() {
        rest
    } else if found.is_none() {
        who
    } else {
        ""
    };
    if let Some((start, word)) = sex(target) {
        asker.sex = Some(lower(word));
        if found.is_none() && rest.is_empty() {
            name = &who[..start];
        }
    }
    let name = strip(strip(name).trim_end_matches(','));
    asker.name = (!name.is_empty()).then(|| name.to_string());
    asker
}

/// `detect`: the page's stripped lines look like doctorqna's.
pub fn detect<S: AsRef<str>>(lines: &[S]) -> bool {
    let head = &lines[..lines.len().min(80)];
    let asks = head.iter().any(|l| asker(l.as_ref()).is_some());
    let replies = head.iter().any(|l| is_reply(l.as_ref()));
    let share = head.iter().take(6).any(|l| lower_is(l.as_ref(), SHARE));
    asks || (share && (replies || head.len() > 3))
        || (replies
            && lines
                .iter()
                .any(|l| is_reply_date(l.as_ref()) || section_line(l.as_ref())))
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub author: String,
    pub role: String,
    pub specialty: Option<String>,
    pub date: Option<String>,
    pub text: String,
}

/// A related link: a similar question or a FAQ topic.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Link {
    pub kind: &'static str,
    pub title: String,
    pub question_excerpt: Option<String>,
    /// Set only for a similar question that shows its reply line.
    pub reply: Option<(String, Option<String>, Option<String>)>,
    pub specialty: Option<String>,
}

/// What a page gives: the fields the Python shim writes into a blank record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub headline: Option<String>,
    pub specialty: Option<String>,
    pub title: String,
    pub asker: Option<Asker>,
    pub question_date: Option<String>,
    pub question_text: Option<String>,
    pub answers: Vec<Answer>,
    pub more_info: Option<String>,
    pub related: Vec<Link>,
    pub cuts: Vec<String>,
}

/// `parse`: the page, or the reason it gives no record.
pub fn parse<S: AsRef<str>>(lines: &[S], table: &Table) -> Result<Page, String> {
    let lines: Vec<String> = text::join_honorific_breaks(lines, is_marker)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    let mut page = Page::default();
    let i = head(&lines, &mut page, table)?;
    let i = question(&lines, i, &mut page);
    let i = answers(&lines, i, &mut page, table);
    if page.answers.is_empty() {
        let where_ = page
            .cuts
            .first()
            .map_or("the page has no doctor's reply line", String::as_str);
        return Err(format!("no answer: {where_}"));
    }
    sections(&lines, i, &mut page, table);
    if page.specialty.is_none() {
        let mut specs = page.answers.iter().filter_map(|a| a.specialty.as_ref());
        if let Some(first) = specs.next() {
            if specs.all(|s| s == first) {
                page.specialty = Some(first.clone());
            }
        }
    }
    Ok(page)
}

fn head(lines: &[String], page: &mut Page, table: &Table) -> Result<usize, String> {
    let mut i = 0;
    let mut topic = None;
    if let Some(m) = lines
        .first()
        .filter(|l| l.contains(" - "))
        .and_then(|l| HEADLINE.captures(l))
    {
        let share_next = lines.len() > 1 && lower_is(&lines[1], SHARE);
        let spec = table.canonical(Some(&m["spec"]));
        if share_next || spec.is_some() {
            page.headline = Some(lines[0].clone());
            topic = Some(strip(&m["head"]).to_string());
            page.specialty = spec;
            i = 1;
        }
    }
    while i < lines.len() && lower_is(&lines[i], SHARE) {
        i += 1;
    }
    if i >= lines.len() || is_marker(&lines[i]) {
        return Err("no question title: the page ends or reaches a marker before the title".into());
    }
    page.title = match topic {
        // The site's generic heading stands where the question's own title goes: the headline's
        // topic is the page's title then (`Retina Exams for High Myopia - Ophthalmology`).
        Some(topic) if is_generic_title(&lines[i]) && !topic.is_empty() => topic,
        _ => lines[i].clone(),
    };
    Ok(i + 1)
}

/// `Question` (or `Question:`) as the title line: a heading of the site's, not the asker's title.
fn is_generic_title(line: &str) -> bool {
    let line = strip(line.strip_suffix(':').unwrap_or(line));
    lower_is(line, "question")
}

fn question(lines: &[String], mut i: usize, page: &mut Page) -> usize {
    let start = i;
    while i < lines.len()
        && !(asker(&lines[i]).is_some() || is_reply(&lines[i]) || section_line(&lines[i]))
    {
        i += 1;
    }
    let mut body = &lines[start..i];
    if let Some((who, date)) = lines.get(i).and_then(|l| asker(l)) {
        page.asker = Some(parse_asker(who));
        page.question_date = iso_date(date);
        i += 1;
    } else if i == lines.len() && body.last().is_some_and(|l| asker_cut(l)) {
        page.asker = Some(parse_asker(&body[body.len() - 1]));
        body = &body[..body.len() - 1];
        page.cuts.push("page ends inside the asker line".into());
    } else if i == lines.len() {
        page.cuts.push("page ends before the asker line".into());
    }
    page.question_text = join_lines(body);
    i
}

fn answers(lines: &[String], mut i: usize, page: &mut Page, table: &Table) -> usize {
    while let Some((author, spec)) = lines.get(i).and_then(|l| reply(l)) {
        let mut answer = Answer {
            author: strip(author).to_string(),
            role: strip(spec).to_string(),
            specialty: table.canonical(Some(spec)),
            ..Answer::default()
        };
        if page.specialty.is_none() && page.headline.is_none() {
            page.specialty = answer.specialty.clone();
        }
        i += 1;
        let start = i;
        while i < lines.len()
            && !(is_reply_date(&lines[i]) || is_reply(&lines[i]) || section_line(&lines[i]))
        {
            i += 1;
        }
        let mut body = &lines[start..i];
        if let Some(date) = lines.get(i).and_then(|l| reply_date(l)) {
            answer.date = iso_date(date);
            i += 1;
        } else if i == lines.len()
            && body
                .last()
                .is_some_and(|l| is_cut_heading(l, &["reply date:"]))
        {
            body = &body[..body.len() - 1];
            page.cuts
                .push("page ends inside the Reply Date line".into());
        } else if i == lines.len() {
            let reason = if body.iter().any(|l| !l.is_empty()) {
                "page ends inside the answer"
            } else {
                "page ends right after the reply line"
            };
            page.cuts.push(reason.into());
        }
        if let Some(text) = join_lines(body) {
            answer.text = text;
            page.answers.push(answer);
        }
    }
    i
}

/// More Info, Similar Q&A and Related FAQ, in any order, each optional.
fn sections(lines: &[String], mut i: usize, page: &mut Page, table: &Table) {
    while i < lines.len() {
        let kind = lower(&lines[i]);
        let mut end = i + 1;
        while end < lines.len() && !section_line(&lines[end]) {
            end += 1;
        }
        let body = &lines[i + 1..end];
        let last = end == lines.len();
        if last && body.is_empty() && is_section(&kind) {
            page.cuts
                .push(format!("page ends right after the {} heading", lines[i]));
        } else if last && end == i + 1 && is_cut_heading(&lines[i], &CUT_HEADINGS) {
            page.cuts.push("page ends inside a section heading".into());
        }
        let mut scratch = Vec::new();
        let cuts = if last { &mut page.cuts } else { &mut scratch };
        if kind == MORE_INFO {
            page.more_info = join_lines(body);
            if last {
                if let Some(tail) = body.last() {
                    // Similar Q&A and Related FAQ follow More Info on every page of the site: a page
                    // that ends in it was cut, even where the cut fell after a full stop.
                    cuts.push(if looks_cut(tail) {
                        "page ends inside More Info".into()
                    } else {
                        "page ends after More Info (its Similar Q&A and Related FAQ are missing)"
                            .into()
                    });
                }
            }
        } else if kind == SIMILAR {
            let links = similar(body, cuts, table);
            page.related.extend(links);
        } else if kind == FAQ {
            let links = faq(body, cuts, table);
            page.related.extend(links);
        }
        i = end;
    }
}

/// Blocks of title, question excerpt, `Dr. X reply Spec`, answer excerpt, `[Read More] title`.
fn similar(body: &[String], cuts: &mut Vec<String>, table: &Table) -> Vec<Link> {
    let mut links = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    for line in body {
        if line.starts_with('[') && READ_MORE.is_match(line) {
            links.extend(similar_block(&block, table));
            block.clear();
        } else {
            block.push(line);
        }
    }
    if !block.is_empty() {
        cuts.push("page ends inside Similar Q&A".into());
        links.extend(similar_block(&block, table));
    }
    links
}

fn similar_block(block: &[&str], table: &Table) -> Option<Link> {
    let first = block.first()?;
    let reply_at = block.iter().position(|l| is_reply(l));
    let question = &block[1..reply_at.unwrap_or(block.len()).max(1)];
    let mut link = Link {
        kind: "similar_question",
        title: first.to_string(),
        question_excerpt: join_lines(question),
        ..Link::default()
    };
    if let Some(k) = reply_at {
        let (author, spec) = reply(block[k])?;
        link.reply = Some((
            strip(author).to_string(),
            table.canonical(Some(spec)),
            join_lines(&block[k + 1..]),
        ));
    }
    Some(link)
}

/// Pairs of a topic line and a `(Specialty)` line.
fn faq(body: &[String], cuts: &mut Vec<String>, table: &Table) -> Vec<Link> {
    let mut links = Vec::new();
    let mut pending: Option<Link> = None;
    for (k, line) in body.iter().enumerate() {
        if pending.is_some()
            && k == body.len() - 1
            && line.starts_with('(')
            && FAQ_SPEC_CUT.is_match(line)
        {
            links.extend(pending.take());
            cuts.push("page ends inside Related FAQ".into());
            return links;
        }
        if let Some(m) = pending
            .as_ref()
            .filter(|_| line.starts_with('('))
            .and_then(|_| FAQ_SPEC.captures(line))
        {
            if let Some(mut link) = pending.take() {
                link.specialty = table.canonical(Some(&m["spec"]));
                links.push(link);
            }
            continue;
        }
        links.extend(pending.take());
        pending = Some(Link {
            kind: "faq_topic",
            title: line.clone(),
            ..Link::default()
        });
    }
    if let Some(link) = pending {
        links.push(link);
        cuts.push("page ends inside Related FAQ".into());
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn table() -> Table {
        Table(HashMap::from([
            ("cardiology".to_string(), "Cardiology".to_string()),
            ("family medicine".to_string(), "Family Medicine".to_string()),
        ]))
    }

    #[test]
    fn asker_lines() {
        assert_eq!(
            asker("Dora, 20~29 year old female. Ask Date: 2016/09/07"),
            Some(("Dora, 20~29 year old female", Some("2016/09/07")))
        );
        assert_eq!(asker("Dora . Ask Date:"), Some(("Dora ", None)));
        assert_eq!(
            asker("Dora   ask date: 2016/9/7  "),
            Some(("Dora", Some("2016/9/7")))
        );
        assert_eq!(asker("Ask Date: x"), None);
        assert_eq!(asker("a\nb Ask Date:"), None);
        assert_eq!(asker("a\u{1C}Ask Date:"), Some(("a", None)));
    }

    #[test]
    fn reply_lines() {
        assert_eq!(
            reply("Dr. Wen Lihua reply Cardiology"),
            Some(("Dr. Wen Lihua", "Cardiology"))
        );
        assert_eq!(
            reply("Professor A  reply B reply Family Medicine"),
            Some(("Professor A", "B reply Family Medicine"))
        );
        assert_eq!(reply("Dr.  reply Cardiology"), None);
        assert_eq!(reply("Dr. A: reply Cardiology"), None);
    }

    #[test]
    fn askers() {
        let a = parse_asker("Dora, 20~29 year old female");
        assert_eq!(
            (a.name.as_deref(), a.age_range.as_deref(), a.sex.as_deref()),
            (Some("Dora"), Some("20-29"), Some("female"))
        );
        let a = parse_asker("Niming gİrl");
        assert_eq!(
            (a.name.as_deref(), a.sex.as_deref()),
            (Some("Niming"), Some("gi\u{307}rl"))
        );
        let a = parse_asker("xfemale");
        assert_eq!(
            (a.name.as_deref(), a.sex.as_deref()),
            (Some("xfemale"), None)
        );
        let a = parse_asker("Bo, 120 years old MALE .");
        assert_eq!(
            (a.age_range.as_deref(), a.sex.as_deref()),
            (Some("120"), None)
        );
        let a = parse_asker("Bo, 7+ years old male.");
        assert_eq!(
            (a.name.as_deref(), a.age_range.as_deref(), a.sex.as_deref()),
            (Some("Bo"), Some("7+"), Some("male"))
        );
    }

    #[test]
    fn cut_askers_and_headings() {
        assert!(asker_cut("Dora, 20~29 year old fem"));
        assert!(!asker_cut("Dora, 20~29 year olden"));
        assert!(asker_cut("Dora, 20~29 year olden, 3 years old"));
        assert!(
            is_cut_heading("Reply Da", &CUT_HEADINGS)
                && is_cut_heading("reply date: 2016/0", &CUT_HEADINGS)
        );
        assert!(
            !is_cut_heading("Rep", &CUT_HEADINGS) && !is_cut_heading("Reply Dab", &CUT_HEADINGS)
        );
    }

    #[test]
    fn a_generic_title_gives_way_to_the_headline() {
        let mut lines = vec![
            "Dry eyes at work - Ophthalmology",
            "Share to:",
            "Question",
            "My eyes burn at the screen. Why?",
            "Ana, 30~39 year old female. Ask Date: 2004/02/01",
            "Dr. Lin reply Ophthalmology",
            "Blink more often.",
        ];
        assert_eq!(parse(&lines, &table()).unwrap().title, "Dry eyes at work");
        lines[2] = "question:";
        assert_eq!(parse(&lines, &table()).unwrap().title, "Dry eyes at work");
        lines[2] = "Questions about screens";
        assert_eq!(
            parse(&lines, &table()).unwrap().title,
            "Questions about screens"
        );
        // With no headline there is nothing better than the heading.
        assert_eq!(
            parse(&lines[2..], &table()).unwrap().title,
            "Questions about screens"
        );
        lines[2] = "Question";
        assert_eq!(parse(&lines[2..], &table()).unwrap().title, "Question");
    }

    #[test]
    fn a_whole_page() {
        let lines = [
            "Chest pain - Cardiology",
            "Share to:",
            "Chest pain at night",
            "It hurts. What is it?",
            "Dora, 20~29 year old female. Ask Date: 2016/09/07",
            "Dr. Wen Lihua reply Cardiology",
            "See a cardiologist.",
            "Reply Date: 2016/09/08",
            "Related FAQ",
            "Palpitations",
            "(Cardiology)",
        ];
        let page = parse(&lines, &table()).expect("a page");
        assert_eq!(page.specialty.as_deref(), Some("Cardiology"));
        assert_eq!(page.question_date.as_deref(), Some("2016-09-07"));
        assert_eq!(page.answers[0].date.as_deref(), Some("2016-09-08"));
        assert_eq!(page.related[0].specialty.as_deref(), Some("Cardiology"));
        assert!(page.cuts.is_empty());
        assert!(detect(&lines));
        assert_eq!(
            parse(&lines[..5], &table()).unwrap_err(),
            "no answer: the page has no doctor's reply line"
        );
        assert_eq!(
            parse(&lines[2..3], &table()).unwrap_err(),
            "no answer: page ends before the asker line"
        );
        assert_eq!(
            parse(&lines[..1], &table()).unwrap_err(),
            "no question title: the page ends or reaches a marker before the title"
        );
    }
}
