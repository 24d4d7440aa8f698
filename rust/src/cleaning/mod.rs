//! Cleaning: an answer's text without what belongs to the site or the signature (`text_clean`),
//! as `medqa_ds/cleaning` made it: the rules (`rules.rs`), the sentences they judge
//! (`sentences.rs`), and the loop that applies them in order and says what each removed.

mod apply;
mod rules;
mod sentences;

pub use apply::{answers as answers_cleaned, apply, Counts};
pub use rules::{Kind, Rule, OTHER_TURN, RULES};
pub use sentences::sentences;

use crate::text::{is_word, strip};
use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

/// Each rule's pattern compiled, in `RULES` order: anchored at both ends (Python's `fullmatch`)
/// but for `Replace` rules, which search.
pub(crate) fn compiled() -> &'static [Regex] {
    static COMPILED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        RULES
            .iter()
            .map(|rule| {
                let pattern = rules::spelled(&(rule.pattern)());
                let pattern = match rule.kind {
                    Kind::Replace => pattern,
                    _ => format!(r"\A(?:{pattern})\z"),
                };
                RegexBuilder::new(&pattern)
                    .size_limit(64 << 20)
                    .build()
                    .expect("a valid pattern")
            })
            .collect()
    });
    &COMPILED
}

/// What was removed from a text, as (rule name, removed text) in order.
pub type Removed = Vec<(&'static str, String)>;

/// `pattern.subn(replacement, text)` for `\bPATTERN\b` where every match of the pattern starts
/// and ends with a word character and is a maximal run: a match counts when no word character
/// touches it on either side.
fn replace_bounded(re: &Regex, replacement: &str, text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut n = 0;
    for m in re.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_some_and(is_word) || after.is_some_and(is_word) {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.push_str(replacement);
        last = m.end();
        n += 1;
    }
    out.push_str(&text[last..]);
    (out, n)
}

/// `re.sub(r"\n{3,}", "\n\n", text)`.
fn squeeze_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for c in text.chars() {
        if c == '\n' {
            run += 1;
            continue;
        }
        out.push_str(if run >= 3 { "\n\n" } else { &"\n\n"[..run] });
        run = 0;
        out.push(c);
    }
    out.push_str(if run >= 3 { "\n\n" } else { &"\n\n"[..run] });
    out
}

/// `text` of a page of `source` with every rule named in `enabled` that applies to the source
/// applied: (the clean text, what each rule removed, in order). Replacements first (each match
/// counted, with nothing removed), then each line that a tail rule matches is cut with the lines
/// after it up to the next cut, then whole sentences, then the closing formulas that end the text.
pub fn clean(text: &str, source: &str, enabled: &[&str]) -> (String, Removed) {
    let patterns = compiled();
    let rules_of = |kind: Kind| -> Vec<(&'static Rule, &'static Regex)> {
        RULES
            .iter()
            .zip(patterns)
            .filter(|(r, _)| r.kind == kind && r.applies_to(source) && enabled.contains(&r.name))
            .collect()
    };
    let mut removed: Removed = Vec::new();
    let mut text = text.to_string();
    for (rule, re) in rules_of(Kind::Replace) {
        let (replaced, n) = replace_bounded(re, rule.replacement, &text);
        text = replaced;
        removed.extend(std::iter::repeat_n((rule.name, String::new()), n));
    }
    let mut lines: Vec<&str> = text.split('\n').collect();
    let tails = rules_of(Kind::Tail);
    let cuts: Vec<(usize, &Rule)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = strip(line);
            tails
                .iter()
                .find(|(_, re)| re.is_match(line))
                .map(|(r, _)| (i, *r))
        })
        .collect();
    for (k, (i, rule)) in cuts.iter().enumerate() {
        let end = cuts.get(k + 1).map_or(lines.len(), |c| c.0);
        removed.push((rule.name, lines[*i..end].join("\n")));
    }
    if let Some((first, _)) = cuts.first() {
        lines.truncate(*first);
    }
    let inner = rules_of(Kind::Sentence);
    let mut kept_lines: Vec<Vec<&str>> = Vec::new();
    for line in &lines {
        let mut kept = Vec::new();
        for sentence in sentences(line) {
            match inner.iter().find(|(_, re)| re.is_match(sentence)) {
                None => kept.push(sentence),
                Some((rule, _)) => removed.push((rule.name, sentence.to_string())),
            }
        }
        if !kept.is_empty() || strip(line).is_empty() {
            kept_lines.push(kept);
        }
    }
    // closing formulas: only the run of them ending the text
    let closings = rules_of(Kind::Closing);
    for kept in kept_lines.iter_mut().rev() {
        while let Some(last) = kept.last() {
            let Some((rule, _)) = closings.iter().find(|(_, re)| re.is_match(last)) else {
                break;
            };
            removed.push((rule.name, last.to_string()));
            kept.pop();
        }
        if !kept.is_empty() {
            break;
        }
    }
    let out: Vec<String> = kept_lines.iter().map(|k| k.join(" ")).collect();
    let out = squeeze_blank_lines(&out.join("\n"));
    (strip(&out).to_string(), removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<&'static str> {
        RULES.iter().map(|r| r.name).collect()
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(compiled().len(), RULES.len());
    }

    #[test]
    fn blank_lines_are_squeezed_and_the_text_stripped() {
        assert_eq!(
            squeeze_blank_lines("a\n\n\n\nb\nc\n\nd\n\n\n"),
            "a\n\nb\nc\n\nd\n\n"
        );
        let (text, removed) = clean(" Rest.\n\n\n\nHope this helps.\n\n", "icliniq", &all());
        assert_eq!(text, "Rest.");
        assert_eq!(
            removed,
            [("closing_formula", "Hope this helps.".to_string())]
        );
    }

    #[test]
    fn each_cut_takes_the_lines_up_to_the_next() {
        let text = "Rest.\nDr Ann Lee\nMD\nFollow up: Dr. Ann Lee (1 hour later)\nThanks";
        let (clean_text, removed) = clean(text, "askadoctor", &all());
        assert_eq!(clean_text, "Rest.");
        assert_eq!(
            removed,
            [
                ("signature", "Dr Ann Lee\nMD".to_string()),
                (
                    "follow_up_in_answer",
                    "Follow up: Dr. Ann Lee (1 hour later)\nThanks".to_string()
                )
            ]
        );
    }

    #[test]
    fn closings_run_back_over_blank_and_emptied_lines() {
        let (text, removed) = clean("Rest.\nThanks. Regards\n\nTake care.", "icliniq", &all());
        assert_eq!(text, "Rest.");
        assert_eq!(removed.len(), 3);
        // a closing formula before the last sentence stays
        let (text, _) = clean("Take care. Rest.", "icliniq", &all());
        assert_eq!(text, "Take care. Rest.");
    }

    #[test]
    fn a_line_emptied_by_sentence_rules_goes() {
        let (text, _) = clean("Rest.\nWelcome to HCM.\nEat.", "icliniq", &all());
        assert_eq!(text, "Rest.\nEat.");
    }
}
