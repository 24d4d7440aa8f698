//! `sentences`: a line cut into sentences, as `medqa_ds/cleaning` cut it with `_BOUNDARY`
//! (a run of `.!?`, not after another, with an optional closing quote, then spaces before a
//! capital or digit, or, right after a lower-case letter, a capitalised word: "helps.Stay") and
//! with the abbreviations ("Dr.", "e.g.") that a full stop does not end. The lookarounds are
//! matched by hand, in one pass.

use crate::text::{is_space, is_word, lower, strip};

/// `_ABBREVIATIONS`: words a full stop after them does not end a sentence at.
const ABBREVIATIONS: [&str; 14] = [
    "dr", "mr", "mrs", "ms", "st", "no", "vs", "e.g", "i.e", "prof", "dept", "approx", "jr", "sr",
];

fn is_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?')
}

/// The end (a byte offset) of a `_BOUNDARY` match starting at byte `p` of `line`, where `line[p]`
/// is a stop that follows none. Greedy runs never have to give back here: what they would give
/// back (a stop, a quote, a space) is no character the rest of the pattern can start with.
fn boundary_at(line: &str, p: usize) -> Option<usize> {
    let rest = &line[p..];
    let run = rest.len() - rest.trim_start_matches(is_stop).len();
    let q = p + run;
    let after_run = &line[q..];
    // `["”’)]?`
    let quote = after_run
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '”' | '’' | ')'))
        .map_or(0, char::len_utf8);
    let r = q + quote;
    // `\s+(?=["“(●]?[A-Z0-9])`
    let after = &line[r..];
    let spaces = after.len() - after.trim_start_matches(is_space).len();
    if spaces > 0 {
        let s = r + spaces;
        let mut next = line[s..].chars();
        let first = next.next();
        let lead = first.filter(|c| matches!(c, '"' | '“' | '(' | '●'));
        let capital = if lead.is_some() { next.next() } else { first };
        if capital.is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return Some(s);
        }
        return None;
    }
    // `(?<=[a-z][.!?])(?=[A-Z][a-z])`: only without a quote, after a single stop
    if quote == 0
        && run == 1
        && line[..p]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_lowercase())
    {
        let mut next = after_run.chars();
        if next.next().is_some_and(|c| c.is_ascii_uppercase())
            && next.next().is_some_and(|c| c.is_ascii_lowercase())
        {
            return Some(q);
        }
    }
    None
}

/// `re.search(r"([\w.]+)[.!?]*$", segment).group(1)`, for a segment ending in a stop: the leftmost
/// start from which the rest is word characters and dots then stops, and the run of word
/// characters and dots from it.
fn last_word(segment: &str) -> Option<&str> {
    let mut start = None; // the leftmost valid start found so far
    let mut seen_word = false;
    for (k, c) in segment.char_indices().rev() {
        if is_word(c) {
            seen_word = true;
        } else if c != '.' {
            // a `!` or `?` can only stand among the closing stops, after the last word character
            if is_stop(c) && !seen_word {
                continue;
            }
            break;
        }
        start = Some(k);
    }
    let from = &segment[start?..];
    let end = from
        .char_indices()
        .find(|&(_, c)| !(is_word(c) || c == '.'))
        .map_or(from.len(), |(k, _)| k);
    Some(&from[..end])
}

/// The sentences of a line, each with its closing punctuation, blank ones dropped.
pub fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut p = 0;
    let mut prev: Option<char> = None;
    while p < line.len() {
        let Some(c) = line[p..].chars().next() else {
            break;
        };
        if is_stop(c) && !prev.is_some_and(is_stop) {
            if let Some(end) = boundary_at(line, p) {
                let abbreviation = c == '.'
                    && last_word(&line[start..p + 1]).is_some_and(|w| {
                        ABBREVIATIONS.contains(&lower(w.trim_end_matches('.')).as_str())
                    });
                if !abbreviation {
                    out.push(strip(&line[start..end]));
                    start = end;
                }
                // the next search starts where this match ended
                prev = line[..end].chars().next_back();
                p = end;
                continue;
            }
        }
        prev = Some(c);
        p += c.len_utf8();
    }
    out.push(strip(&line[start..]));
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_run_on_stops() {
        assert_eq!(
            sentences("Ask Dr. Lee. I hope it helps.Stay healthy."),
            ["Ask Dr. Lee.", "I hope it helps.", "Stay healthy."]
        );
        assert_eq!(
            sentences("Use e.g. Ibuprofen. Rest"),
            ["Use e.g. Ibuprofen.", "Rest"]
        );
        assert_eq!(sentences("See DR. Ann."), ["See DR. Ann."]);
        // "!" after an abbreviation still ends the sentence
        assert_eq!(sentences("Ask Dr! Now"), ["Ask Dr!", "Now"]);
    }

    #[test]
    fn what_follows_the_stop() {
        assert_eq!(sentences("Done!? \"Next"), ["Done!?", "\"Next"]);
        assert_eq!(sentences("Done.” (3) ok"), ["Done.”", "(3) ok"]);
        assert_eq!(sentences("Done. next"), ["Done. next"]); // lower case: no cut
        assert_eq!(sentences("done..Next"), ["done..Next"]); // two stops: no run-on cut
        assert_eq!(sentences("A.B"), ["A.B"]);
        assert_eq!(sentences("a.Bc"), ["a.", "Bc"]);
        assert_eq!(sentences("Done.\u{1c}Next"), ["Done.", "Next"]); // Python's \s
        assert_eq!(sentences("  "), Vec::<&str>::new());
    }

    #[test]
    fn the_word_before_the_stop() {
        assert_eq!(last_word("Ask Dr."), Some("Dr."));
        assert_eq!(last_word("x a?b."), Some("b."));
        assert_eq!(last_word("x ..!."), Some(".."));
        assert_eq!(last_word("x !"), None);
        assert_eq!(last_word("x²."), Some("x²."));
    }
}
