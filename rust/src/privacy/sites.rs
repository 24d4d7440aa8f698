//! Where a text supplies a name (`NAME_SITES`): a greeting, an honorific, a self-introduction
//! ("my name is X", "X here"), a relation ("my son X") and "the X family". Each site is a regex of
//! what Python's pattern consumes, its lookarounds emulated: a `\b` before the match checked on
//! the character before it (a failed check moves the search one character on, as Python's does),
//! a lookahead Python's backtracking had to satisfy consumed and the match cut back to where
//! Python's ends, a lookahead that cannot fail checked after the match.

use super::forms::Names;
use super::parts::{char_lower, char_upper, eponym, name_words, trim};
use super::words::common;
use crate::sources::pyre::re;
use crate::text::{is_word, lower, WORD, WS};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// `(?i:…)` as Python reads it for a pattern of ASCII letters and metacharacters with no `i` in an
/// escape: Rust's case folding takes `K` (Kelvin) and `ſ` as Python does, but `i` only with `I`.
fn ci(pattern: &str) -> String {
    format!("(?i:{})", pattern.replace('i', "[iİı]"))
}

const HONORIFIC: &str = "(?:Mr|Mrs|Ms|Miss|Mx|Mister|Madam|Mdm)";

/// `[A-Z][\w'’-]*`: a capitalised word of a name.
fn name_token() -> String {
    format!(r"[A-Z][{WORD}'’\-]*")
}

/// A name found at a site: where its group starts in the text, and the name.
pub type Found = (usize, String);

/// A site's match: its span in the text and the names it supplies.
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub found: Vec<Found>,
}

/// The character before byte `at`.
fn before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

/// The next start to search from after a failed check at `at`.
fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

/// `\b` before a word character at `at`: no word character before it.
fn word_starts(text: &str, at: usize) -> bool {
    !before(text, at).is_some_and(is_word)
}

/// The leftmost match of `pattern` at or after `from` that starts where `\b` holds.
fn bounded_captures<'t>(pattern: &Regex, text: &'t str, mut from: usize) -> Option<Captures<'t>> {
    while from <= text.len() {
        let caps = pattern.captures_at(text, from)?;
        let start = caps.get(0).map_or(from, |m| m.start());
        if word_starts(text, start) {
            return Some(caps);
        }
        from = next_char(text, start);
    }
    None
}

fn group(caps: &Captures<'_>, name: &str) -> (usize, usize) {
    caps.name(name).map_or((0, 0), |m| (m.start(), m.end()))
}

// --- salutation -----------------------------------------------------------------------------

/// `_SALUTATION`. Python's `\b` after the greeting word holds exactly where what follows it is not
/// empty (the name starts with a letter), so the spaces-and-comma part is written non-empty; its
/// lookahead for the name's end is consumed (`tail`) and the match ends with the name.
static SALUTATION: LazyLock<Regex> = LazyLock::new(|| {
    let greeting = ci(&format!(
        "dear|hello|hi|hey|hiya|greetings|good[{WS}]+(?:morning|afternoon|evening)"
    ));
    let nt = name_token();
    re(&format!(
        r"(?P<lead>(?:(?P<greet>{greeting})|(?m:^)To)(?:[ \t]*,[ \t]*|[ \t]+)(?:{HONORIFIC}\.?[{WS}]+)?)(?P<name>{nt}(?:(?:[ \t]+|[ \t]*\n[ \t]*){nt}){{0,2}}|[a-z][{WORD}'’\-]{{1,20}})[ \t]*(?:(?P<end>[:,!;.])|\n|\z)"
    ))
});

fn salutation(text: &str, from: usize) -> Option<Hit> {
    let mut from = from;
    loop {
        let caps = SALUTATION.captures_at(text, from)?;
        let whole = caps.get(0)?;
        if caps.name("greet").is_some() && !word_starts(text, whole.start()) {
            from = next_char(text, whole.start());
            continue;
        }
        let (start, end) = group(&caps, "name");
        let lead = caps.name("lead").map_or("", |m| m.as_str());
        let close = caps.name("end").map(|m| m.as_str());
        let name = greeted(&text[start..end], lead, close);
        let found = if name.is_empty() {
            vec![]
        } else {
            vec![(start, name.to_string())]
        };
        return Some(Hit {
            start: whole.start(),
            end,
            found,
        });
    }
}

/// `_greeted`: the name a salutation greets, or "" when it greets no one by name.
fn greeted<'a>(captured: &'a str, lead: &str, close: Option<&str>) -> &'a str {
    let name = trim(captured);
    let Some(first) = name.chars().next() else {
        return "";
    };
    if lead.starts_with("To") {
        // "To Lin:" opens a reply; "To summarize," does not
        return if char_upper(first) && close == Some(":") {
            name
        } else {
            ""
        };
    }
    if char_lower(first) {
        // a lower-case word after a greeting is a name only before ':' or ','
        return if matches!(close, Some(":" | ",")) && !name.contains(' ') {
            name
        } else {
            ""
        };
    }
    name
}

// --- honorific ------------------------------------------------------------------------------

static ADDRESSED: LazyLock<Regex> = LazyLock::new(|| {
    let nt = name_token();
    re(&format!(
        r"{HONORIFIC}\.?(?:[ \t]+|[ \t]*\n[ \t]*)(?P<name>{nt}(?:[ \t]+{nt})?)"
    ))
});

fn honorific(text: &str, from: usize) -> Option<Hit> {
    let caps = bounded_captures(&ADDRESSED, text, from)?;
    let whole = caps.get(0)?;
    let (start, end) = group(&caps, "name");
    let name = trim(&text[start..end]);
    let found = if name.is_empty() {
        vec![]
    } else {
        vec![(start, name.to_string())]
    };
    Some(Hit {
        start: whole.start(),
        end: whole.end(),
        found,
    })
}

// --- self-introduction ----------------------------------------------------------------------

static INTRODUCED: LazyLock<Regex> = LazyLock::new(|| {
    let lead = ci(&format!(
        r"my[{WS}]+name[{WS}]+is|my[{WS}]+name's|i am|i['’]m|this is|it['’]s|it is"
    ));
    let nt = name_token();
    re(&format!(
        r"(?P<lead>{lead})[ \t]+(?:{HONORIFIC}\.?[{WS}]+)?(?P<name>{nt}(?:(?:[ \t]+|[ \t]*\n[ \t]*){nt}){{0,2}})"
    ))
});

/// `(?=[ \t]*(?:[,.:;!)]|\n|$|and\b|from\b))` at `at`: the introduced name stands alone.
fn stands_alone(text: &str, at: usize) -> bool {
    let rest = text[at..].trim_start_matches([' ', '\t']);
    let word_ends = |w: &str| {
        rest.strip_prefix(w)
            .is_some_and(|r| !r.chars().next().is_some_and(is_word))
    };
    rest.is_empty()
        || rest.starts_with([',', '.', ':', ';', '!', ')', '\n'])
        || word_ends("and")
        || word_ends("from")
}

fn introduced(text: &str, from: usize) -> Option<Hit> {
    let caps = bounded_captures(&INTRODUCED, text, from)?;
    let whole = caps.get(0)?;
    let (start, end) = group(&caps, "name");
    let lead = caps.name("lead").map_or("", |m| m.as_str());
    let mut name = trim(&text[start..end]).to_string();
    if !lower(lead).starts_with("my") {
        // "I am X", "this is X": only a name standing alone
        if !stands_alone(text, end) || name.contains(['\'', '’']) || eponym(&lower(&name)) {
            name.clear();
        } else {
            name = name_words(&name, false);
        }
    }
    let found = if name.is_empty() {
        vec![]
    } else {
        vec![(start, name)]
    };
    Some(Hit {
        start: whole.start(),
        end,
        found,
    })
}

/// `_HERE`: "Kofi here, …" opening a line. Its lookahead for the punctuation is consumed.
static HERE: LazyLock<Regex> = LazyLock::new(|| {
    let nt = name_token();
    re(&format!(
        r"(?m:^)(?P<name>{nt}(?:[ \t]+{nt})?)[ \t]+(?P<here>here)[ \t]*[,.!:;\-]"
    ))
});

fn here(text: &str, from: usize) -> Option<Hit> {
    let caps = HERE.captures_at(text, from)?;
    let whole = caps.get(0)?;
    let (start, end) = group(&caps, "name");
    let captured = &text[start..end];
    let name = name_words(trim(captured), false);
    let found = if name == captured {
        vec![(start, name)]
    } else {
        vec![]
    };
    Some(Hit {
        start: whole.start(),
        end: group(&caps, "here").1,
        found,
    })
}

// --- relation -------------------------------------------------------------------------------

static RELATION: LazyLock<Regex> = LazyLock::new(|| {
    let relation = ci(concat!(
        r"my[ \t]+(?:(?:best|close|old|little|elder|older|younger|eldest|youngest|big|baby|twin|step|late|ex)",
        r"[ \t\-]+){0,2}(?:husband|wife|son|daughter|mother|father|mom|mum|dad|friend|brother|sister|boyfriend|",
        r"girlfriend|partner|fianc[eé]e?|uncle|aunt|niece|nephew|cousin|grandson|granddaughter|grandmother|",
        r"grandfather|grandma|grandpa|child|kid|neighbou?r|colleague|roommate)"
    ));
    let nt = name_token();
    re(&format!(
        r"{relation}(?:[ \t]*,)?[ \t]+(?P<name>[A-Za-z][{WORD}'’\-]*(?:[ \t]+[A-Za-z][{WORD}'’\-]*)?)(?:[ \t]*\((?P<full>{nt}(?:[ \t]+{nt}){{1,2}})\))?"
    ))
});

fn relation(text: &str, from: usize) -> Option<Hit> {
    let caps = bounded_captures(&RELATION, text, from)?;
    let whole = caps.get(0)?;
    let (start, end) = group(&caps, "name");
    let mut found = vec![(start, name_words(&text[start..end], true))];
    if let Some(full) = caps.name("full") {
        found.push((full.start(), trim(full.as_str()).to_string()));
    }
    found.retain(|(_, n)| !n.is_empty());
    Some(Hit {
        start: whole.start(),
        end: whole.end(),
        found,
    })
}

// --- family name ----------------------------------------------------------------------------

/// `[A-Z][a-z'’-]+` at `at`: its end (no backtracking can help the lookahead after it, which
/// needs a space or a tab next).
fn family_word(text: &str, at: usize) -> Option<usize> {
    let mut chars = text[at..].char_indices();
    let (_, first) = chars.next()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    let end = chars
        .find(|&(_, c)| !matches!(c, 'a'..='z' | '\'' | '’' | '-'))
        .map_or(text.len(), |(i, _)| at + i);
    (end > at + 1).then_some(end)
}

/// `(?=[ \t]+[Ff]amily\b(?![ \t]+of\b))` at `at`.
fn family_follows(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    let spaced = rest.trim_start_matches([' ', '\t']);
    if spaced.len() == rest.len() {
        return false;
    }
    let Some(after) = spaced
        .strip_prefix("family")
        .or_else(|| spaced.strip_prefix("Family"))
    else {
        return false;
    };
    if after.chars().next().is_some_and(is_word) {
        return false;
    }
    let of = after.trim_start_matches([' ', '\t']);
    let of_follows = of.len() < after.len()
        && of
            .strip_prefix("of")
            .is_some_and(|r| !r.chars().next().is_some_and(is_word));
    !of_follows
}

/// `_FAMILY`: `(?:\bthe[ \t]+|(?<=[a-z,][ \t]))(?P<name>…)(?=…family…)`, tried at each position.
fn family(text: &str, from: usize) -> Option<Hit> {
    let mut at = from;
    while at < text.len() {
        // the first alternative: "the", spaces, the name
        if text[at..].starts_with("the") && word_starts(text, at) {
            let spaced = at + 3;
            let name_at = spaced + text[spaced..].len()
                - text[spaced..].trim_start_matches([' ', '\t']).len();
            if name_at > spaced {
                if let Some(end) = family_word(text, name_at).filter(|&e| family_follows(text, e)) {
                    return Some(family_hit(text, at, name_at, end));
                }
            }
        }
        // the second: a lower-case letter or a comma and a space before the name
        let mut back = text[..at].chars().rev();
        let space = back.next();
        let lead = back.next();
        if matches!(space, Some(' ' | '\t')) && matches!(lead, Some('a'..='z' | ',')) {
            if let Some(end) = family_word(text, at).filter(|&e| family_follows(text, e)) {
                return Some(family_hit(text, at, at, end));
            }
        }
        at = next_char(text, at);
    }
    None
}

fn family_hit(text: &str, start: usize, name_at: usize, end: usize) -> Hit {
    let name = name_words(&text[name_at..end], false);
    let keep = !name.is_empty() && {
        let low = lower(&name);
        !common(&low) && !eponym(&low)
    };
    let found = if keep { vec![(name_at, name)] } else { vec![] };
    Hit { start, end, found }
}

// --- the sites ------------------------------------------------------------------------------

/// `\bh(?:i|ey|iya|ello)\b` in a lower-cased text.
fn says_hi(low: &str) -> bool {
    low.match_indices('h').any(|(i, _)| {
        word_starts(low, i)
            && ["i", "ey", "iya", "ello"].iter().any(|w| {
                low[i + 1..]
                    .strip_prefix(w)
                    .is_some_and(|r| !r.chars().next().is_some_and(is_word))
            })
    })
}

/// `_greets`: a greeting word, or a line opening with "To".
fn greets(text: &str, low: &str) -> bool {
    low.contains("dear")
        || low.contains("greetings")
        || low.contains("good")
        || text.starts_with("To")
        || text.contains("\nTo")
        || (low.contains('h') && says_hi(low))
}

/// `_introduces`.
fn introduces(low: &str) -> bool {
    [
        "name", "i am", "i'm", "i’m", "this is", "it's", "it’s", "it is",
    ]
    .iter()
    .any(|w| low.contains(w))
}

/// `_HONORIFIC_HINT`: `M(?:r|s|x|iss|ister|adam|dm)`.
fn honorific_hint(text: &str) -> bool {
    text.match_indices('M').any(|(i, _)| {
        let r = &text[i + 1..];
        ["r", "s", "x", "iss", "ister", "adam", "dm"]
            .iter()
            .any(|w| r.starts_with(w))
    })
}

/// One of `NAME_SITES`: its rule, a cheap necessary condition on (text, lower-cased text), its matcher.
pub struct Site {
    pub rule: &'static str,
    pub hint: fn(&str, &str) -> bool,
    pub next: fn(&str, usize) -> Option<Hit>,
}

pub static SITES: [Site; 6] = [
    Site {
        rule: "salutation",
        hint: greets,
        next: salutation,
    },
    Site {
        rule: "honorific",
        hint: |text, _| honorific_hint(text),
        next: honorific,
    },
    Site {
        rule: "self-introduction",
        hint: |_, low| introduces(low),
        next: introduced,
    },
    Site {
        rule: "self-introduction",
        hint: |_, low| low.contains(" here"),
        next: here,
    },
    Site {
        rule: "relation",
        hint: |_, low| low.contains("my"),
        next: relation,
    },
    Site {
        rule: "family-name",
        hint: |_, low| low.contains("family"),
        next: family,
    },
];

impl Site {
    /// Every match in `text`, left to right.
    pub fn hits<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Hit> + 'a {
        let mut from = 0;
        std::iter::from_fn(move || {
            if from > text.len() {
                return None;
            }
            let hit = (self.next)(text, from)?;
            from = if hit.end > hit.start {
                hit.end
            } else {
                next_char(text, hit.end)
            };
            Some(hit)
        })
    }
}

/// `_supplied`: (rule, name) for each name a text greets, addresses, introduces or relates.
pub fn supplied(text: &str, off: &[&str]) -> Vec<(&'static str, String)> {
    let low = lower(text);
    let mut out = Vec::new();
    for site in &SITES {
        if off.contains(&site.rule) || !(site.hint)(text, &low) {
            continue;
        }
        for hit in site.hits(text) {
            out.extend(hit.found.into_iter().map(|(_, name)| (site.rule, name)));
        }
    }
    out
}

/// The site's matches replaced: each name they supply that is no doctor's becomes `[PATIENT]`
/// (`site` in `_people`); `count` is told of each replacement.
pub fn replace_at(site: &Site, text: &str, names: &Names, mut count: impl FnMut()) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for hit in site.hits(text) {
        out.push_str(&text[last..hit.start]);
        let mut whole = text[hit.start..hit.end].to_string();
        let mut found = hit.found;
        found.sort_by_key(|f| std::cmp::Reverse(f.0));
        for (at, name) in found {
            if name.is_empty() || names.is_doctor(&name) {
                continue;
            }
            count();
            let start = at - hit.start;
            // Python cuts `len(name)` characters: the name as extracted may be spaced otherwise
            let end = whole[start..]
                .char_indices()
                .nth(name.chars().count())
                .map_or(whole.len(), |(i, _)| start + i);
            whole.replace_range(start..end, "[PATIENT]");
        }
        out.push_str(&whole);
        last = hit.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(text: &str) -> Vec<(&'static str, String)> {
        supplied(text, &[])
    }

    #[test]
    fn greetings_as_python() {
        assert_eq!(
            names_of("Dear Lin:\nthanks"),
            [("salutation", "Lin".to_string())]
        );
        assert_eq!(names_of("Hiya:"), []);
        assert_eq!(names_of("Hiya Lin, x"), [("salutation", "Lin".to_string())]);
        // `\b` before the greeting: "xHi Lin," greets no one; "To" only opening a line
        assert_eq!(names_of("xHi Lin, x"), []);
        assert_eq!(
            names_of("a To Lin: x\nTo Mei: y"),
            [("salutation", "Mei".to_string())]
        );
        assert_eq!(
            names_of("Hello lin: x. hello ann lee, y"),
            [("salutation", "lin".to_string())]
        );
        // the lookahead backtracks into the name: "Dear Ann Lee Smith now" ends nowhere
        assert_eq!(names_of("Dear Ann Lee Smith now"), []);
        assert_eq!(
            names_of("DEAR Ann\nLee\n"),
            [("salutation", "Ann\nLee".to_string())]
        );
        assert_eq!(names_of("Hİ Ann."), [("salutation", "Ann".to_string())]);
    }

    #[test]
    fn introductions_as_python() {
        assert_eq!(
            names_of("my name is Lin Mei and"),
            [("self-introduction", "Lin Mei".to_string())]
        );
        assert_eq!(
            names_of("I am Lin and"),
            [("self-introduction", "Lin".to_string())]
        );
        assert_eq!(names_of("I am Lin anderson"), []);
        assert_eq!(names_of("I am Lin andy"), []);
        assert_eq!(names_of("it's Lyme."), []);
        assert_eq!(
            names_of("Kofi here, hi"),
            [("self-introduction", "Kofi".to_string())]
        );
        assert_eq!(names_of("Kofi here now"), []);
    }

    #[test]
    fn relations_and_families_as_python() {
        assert_eq!(
            names_of("my son james calls. My wife Ann (Ann Lee) x"),
            [
                ("relation", "Ann".to_string()),
                ("relation", "Ann Lee".to_string())
            ]
        );
        assert_eq!(
            names_of("the Khan family, the Wilson family, met Lee family"),
            [
                ("family-name", "Khan".to_string()),
                ("family-name", "Lee".to_string())
            ]
        );
        assert_eq!(names_of("the Khan family of x"), []);
        assert_eq!(names_of("the Khan familyx"), []);
    }

    #[test]
    fn a_site_replaces_what_it_supplies() {
        let names = Names::new::<&str>(&[], &[], &["Dr Lan"]);
        let site = &SITES[4];
        let mut n = 0;
        assert_eq!(
            replace_at(
                site,
                "my wife Ann  Lee (Ann Lee) and my son Lan",
                &names,
                || n += 1
            ),
            "my wife [PATIENT]e ([PATIENT]) and my son Lan"
        );
        assert_eq!(n, 2);
    }
}
