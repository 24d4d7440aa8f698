//! Street addresses (`address`: a numbered street, a Taiwanese "No." address, a flat's, a P.O.
//! box, each with what may follow: a direction, a unit, postcodes, places) and Polish ones
//! (`address-polish`: "ul. Długa 5/3, 00-950 Warszawa"), as `privacy.py`'s `_ADDRESS` and
//! `_ADDRESS_POLISH` found them. `_ADDRESS`'s tail holds `\b` and lookaheads inside repeated
//! groups, so it is matched by `backtrack`, in Python's order; the Polish one has no lookaround
//! but the `\b` it opens with, a regex.
//!
//! (Policy 2 scanned both behind a lookahead for their first characters, which left out two
//! openings: a match never opened at "Door" (the flat's branch lists it), nor at "pl." (a
//! square). Policy 3 opens at both.)

use super::backtrack::{alt, lit, lits, opt, rep, run, seq, Node, Search};
use super::pattern::{Pat, Value};
use crate::text::{digit_value, is_space, is_word};
use std::sync::LazyLock;

const MANY: usize = usize::MAX;

fn digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && digit_value(c).is_some())
}
fn upper(c: char) -> bool {
    c.is_ascii_uppercase()
}
fn upper_or_digit(c: char) -> bool {
    upper(c) || digit(c)
}
fn letter(c: char) -> bool {
    c.is_ascii_alphabetic()
}
fn blank(c: char) -> bool {
    c == ' ' || c == '\t'
}
fn comma(c: char) -> bool {
    c == ','
}
fn dot(c: char) -> bool {
    c == '.'
}
fn nsew(c: char) -> bool {
    matches!(c, 'N' | 'S' | 'E' | 'W')
}
/// `[\w'’-]`
fn word_apostrophe_hyphen(c: char) -> bool {
    is_word(c) || matches!(c, '\'' | '’' | '-')
}
/// `[A-Za-z'’-]`
fn letter_apostrophe_hyphen(c: char) -> bool {
    letter(c) || matches!(c, '\'' | '’' | '-')
}
/// `[\w-]`
fn word_hyphen(c: char) -> bool {
    is_word(c) || c == '-'
}
/// `[\w/]`
fn word_slash(c: char) -> bool {
    is_word(c) || c == '/'
}
/// `[.,]`
fn dot_comma(c: char) -> bool {
    c == '.' || c == ','
}
/// What a match can open with: a digit, or the first letter of "No.", "Flat", "House", "Apt",
/// "Apartment", "Plot", "Door" or "P.O. Box".
fn opening(c: char) -> bool {
    matches!(c, 'N' | 'F' | 'H' | 'A' | 'P' | 'D') || digit(c)
}

/// `[ \t]+` (`min` 1) or `[ \t]*` (`min` 0).
fn blanks(min: usize) -> Node {
    run(blank, min, MANY)
}

/// `_STREET`: a street's type, then `\b\.?`.
fn street() -> Node {
    seq(vec![lits(STREETS), Node::Boundary, run(dot, 0, 1)])
}

/// `_WORD`: a word of a street's name or its direction ("E."). What follows a word (a blank or a
/// comma) is never of `[\w'’-]`, so its run is atomic.
fn word() -> Node {
    alt(vec![
        seq(vec![
            run(upper, 1, 1),
            run(word_apostrophe_hyphen, 0, MANY).atomic(),
        ]),
        seq(vec![run(nsew, 1, 1), lit(".")]),
    ])
}

/// `(?:_WORD[ \t]+){min,max}`
fn words(min: usize, max: usize) -> Node {
    rep(seq(vec![word(), blanks(1)]), min, max)
}

/// `_PLACE`: a city or country.
fn place() -> Node {
    seq(vec![
        run(upper, 1, 1),
        run(letter_apostrophe_hyphen, 0, MANY),
        Node::Boundary,
    ])
}

/// `-\d{1,4}`, optional.
fn dash_number() -> Node {
    opt(seq(vec![lit("-"), run(digit, 1, 4)]))
}

/// `Sec(?:tion)?`
fn section() -> Node {
    seq(vec![lit("Sec"), opt(lit("tion"))])
}

/// "12 Main Street", "12B-3, Old Mill Rd."
fn numbered() -> Node {
    seq(vec![
        Node::Boundary,
        run(digit, 1, 5),
        run(letter, 0, 1),
        dash_number(),
        run(comma, 0, 1),
        blanks(1),
        words(1, 4),
        street(),
    ])
}

/// "3F., No. 12-1, Lane 5, Sec. 2, Minsheng E. Rd."
fn taiwanese() -> Node {
    // each repetition ends at the end of its digits: an earlier end leaves a digit, which
    // neither another repetition nor what follows can open with (so `Star` is exact)
    let part = seq(vec![
        lit(","),
        blanks(0),
        alt(vec![
            seq(vec![run(digit, 1, MANY), lit("F")]),
            seq(vec![
                alt(vec![
                    lits(&["Lane", "Ln", "Alley", "Aly", "Floor", "Fl"]),
                    section(),
                ]),
                run(dot, 0, 1),
                blanks(0),
                run(digit, 1, MANY),
            ]),
        ]),
    ]);
    seq(vec![
        opt(seq(vec![
            Node::Boundary,
            run(digit, 1, 2),
            lit("F"),
            run(dot, 0, 1),
            run(comma, 0, 1),
            blanks(0),
        ])),
        Node::Boundary,
        lit("No."),
        blanks(0),
        run(digit, 1, 5),
        dash_number(),
        Node::Star(Box::new(part)),
        run(comma, 0, 1),
        blanks(0),
        words(0, 3),
        street(),
    ])
}

/// "Flat 3, Rose Court, Hill Road", "Door 5, Main Street".
fn flat() -> Node {
    seq(vec![
        Node::Boundary,
        lits(&["Flat", "House", "Apt", "Apartment", "Plot", "Door"]),
        blanks(1),
        opt(seq(vec![lit("No"), run(dot, 0, 1), blanks(0)])),
        run(digit, 1, MANY),
        run(letter, 0, 1),
        lit(","),
        blanks(0),
        rep(seq(vec![words(0, 3), word(), lit(","), blanks(0)]), 0, 2),
        words(0, 3),
        street(),
    ])
}

/// "P.O. Box 123"
fn po_box() -> Node {
    seq(vec![
        Node::Boundary,
        lit("P"),
        run(dot, 0, 1),
        run(blank, 0, 1),
        lit("O"),
        run(dot, 0, 1),
        blanks(1),
        lit("Box"),
        blanks(1),
        run(digit, 1, MANY),
    ])
}

/// `_TAIL`: a direction, a unit, then up to five postcodes (US, UK), sections or places.
fn tail() -> Vec<Node> {
    let direction = opt(seq(vec![
        blanks(1),
        lits(&["N", "S", "E", "W", "NE", "NW", "SE", "SW"]),
        Node::Boundary,
    ]));
    let unit = opt(seq(vec![
        run(comma, 0, 1),
        run(is_space, 0, MANY),
        lits(&[
            "Apt",
            "Apartment",
            "Suite",
            "Unit",
            "Flat",
            "Floor",
            "Fl",
            "Room",
            "Rm",
            "#",
        ]),
        run(dot, 0, 1),
        run(is_space, 0, MANY),
        run(word_hyphen, 1, MANY),
    ]));
    let postcode = seq(vec![
        run(comma, 0, 1),
        blanks(0),
        opt(seq(vec![run(upper, 2, 2), blanks(1)])),
        run(digit, 3, 6),
        opt(seq(vec![lit("-"), run(digit, 4, 4)])),
        Node::NotAhead(Box::new(alt(vec![
            run(word_slash, 1, 1),
            seq(vec![run(dot_comma, 1, 1), run(digit, 1, 1)]),
        ]))),
    ]);
    let uk = seq(vec![
        blanks(1),
        run(upper, 1, 2),
        run(digit, 1, 1),
        run(upper_or_digit, 0, 1),
        run(blank, 0, 1),
        run(digit, 1, 1),
        run(upper, 2, 2),
        Node::Boundary,
    ]);
    let places = seq(vec![
        lit(","),
        blanks(0),
        alt(vec![
            seq(vec![
                section(),
                run(dot, 0, 1),
                blanks(0),
                run(digit, 1, MANY),
            ]),
            seq(vec![
                place(),
                rep(seq(vec![blanks(1), place()]), 0, 2),
                opt(seq(vec![lit("."), Node::Ahead(Box::new(lit(",")))])),
            ]),
        ]),
    ]);
    vec![direction, unit, rep(alt(vec![postcode, uk, places]), 0, 5)]
}

/// `_ADDRESS` behind its fast form's lookahead.
pub static ADDRESS: LazyLock<Search> = LazyLock::new(|| {
    let mut parts = vec![alt(vec![numbered(), taiwanese(), flat(), po_box()])];
    parts.extend(tail());
    Search {
        first: opening,
        node: seq(parts),
    }
});

/// `_PL_WORD`
const PL_WORD: &str = r"[A-ZĄĆĘŁŃÓŚŹŻ][\w'’-]*";

/// "ul. Długa 5/3, 00-950 Warszawa" (a street, an avenue, an estate, a square): `\b` before the
/// abbreviation, a word character, is a lookbehind for a non-word one.
pub static ADDRESS_POLISH: LazyLock<Pat> = LazyLock::new(|| {
    let w = PL_WORD;
    Pat::new(
        Some(r"\w"),
        &format!(
            r"(?:ul|al|os|pl)\.[ \t]*{w}(?:[ \t]+{w}){{0,3}}[ \t]+\d+[A-Za-z]?(?:/\d+)?(?:,?[ \t]*\d{{2}}-\d{{3}}(?:[ \t]+{w}){{1,2}})?"
        ),
        "",
        Value::None,
    )
});

/// `_STREET`: a street's types, in the pattern's order (the first that matches is taken).
const STREETS: &[&str] = &[
    "Street",
    "St",
    "Road",
    "Rd",
    "Avenue",
    "Ave",
    "Lane",
    "Ln",
    "Boulevard",
    "Blvd",
    "Drive",
    "Way",
    "Court",
    "Ct",
    "Place",
    "Pl",
    "Terrace",
    "Alley",
    "Highway",
    "Hwy",
    "Parkway",
    "Pkwy",
    "Square",
    "Sq",
    "Crescent",
    "Close",
    "Nagar",
    "Marg",
];

/// Words one of which every address holds besides its street's type ("No.", "Box", a flat's word).
const OTHER_HINTS: &[&str] = &["No.", "Box", "Flat", "House", "Apt", "Plot"];

/// `_STREET_HINTS`, the condition the address rule is tried on: the text holds one of these words.
pub fn hinted(text: &str) -> bool {
    STREETS.iter().chain(OTHER_HINTS).any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut out = vec![];
        let mut pos = 0;
        while let Some((start, end)) = ADDRESS.find(text, pos) {
            out.push(&text[start..end]);
            pos = end;
        }
        out
    }

    fn polish(text: &str) -> Option<&str> {
        ADDRESS_POLISH.find(text, 0).map(|h| &text[h.start..h.end])
    }

    // Each expectation is what Python's `_ADDRESS.finditer` found (main at 6f5b203).
    #[test]
    fn each_branch_and_tail() {
        assert_eq!(
            found("at 12 Oak Street, Springfield, IL 62704. ok"),
            ["12 Oak Street, Springfield, IL 62704"]
        );
        assert_eq!(
            found("3F., No. 12-1, Lane 5, Sec. 2, Minsheng E. Rd., Taipei"),
            ["3F., No. 12-1, Lane 5, Sec. 2, Minsheng E. Rd., Taipei"]
        );
        assert_eq!(
            found("Flat 2, Rose Court, Hill Road London SW1A 1AA x"),
            ["Flat 2, Rose Court, Hill Road"]
        );
        assert_eq!(found("P.O. Box 12, Nairobi"), ["P.O. Box 12, Nairobi"]);
        assert_eq!(found("Door 5, Main Street"), ["Door 5, Main Street"]);
    }

    #[test]
    fn the_tails_lookarounds() {
        // a postcode before a digit after a full stop is none; a place's full stop only before a comma
        assert_eq!(found("1 Elm St 12345.6"), ["1 Elm St"]);
        assert_eq!(found("1 Elm St, Ab-c1"), ["1 Elm St, Ab-"]);
        assert_eq!(found("1 Elm St, Dover., X"), ["1 Elm St, Dover., X"]);
        assert_eq!(found("1 Elm St, Dover."), ["1 Elm St, Dover"]);
        assert_eq!(found("1 Elm Stx"), Vec::<&str>::new());
        assert_eq!(found("x1 Elm St"), Vec::<&str>::new());
    }

    #[test]
    fn long_runs_cost_a_pass_each() {
        // what makes the matcher try most paths: words, commas and numbers repeated, no street
        for unit in [
            "A ",
            "Aa, ",
            "Flat 1, A ",
            "1 A ",
            "No. 1, Lane 2",
            ", 12F",
            "A\t",
            "1 Aa-",
        ] {
            let text = unit.repeat(20_000);
            let start = std::time::Instant::now();
            let mut n = 0;
            let _ = ADDRESS.sub(&text, "[ADDRESS]", &mut n);
            let took = start.elapsed();
            assert!(took.as_secs() < 2, "{unit:?}: {took:?}");
        }
    }

    #[test]
    fn polish_addresses() {
        assert_eq!(
            polish("ul. Długa 5/3, 00-950 Warszawa Wola."),
            Some("ul. Długa 5/3, 00-950 Warszawa Wola")
        );
        assert_eq!(polish("al. Jana Pawła 12"), Some("al. Jana Pawła 12"));
        assert_eq!(polish("pl. Zamkowy 1"), Some("pl. Zamkowy 1"));
        assert_eq!(polish("xul. Długa 5"), None);
    }
}
