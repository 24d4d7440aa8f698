//! Python's `str.casefold()`: full case folding, code point by code point, from a table generated
//! out of Python's own unicodedata (`casefold_table.rs`, by rust/tools/gen_casefold.py). Rust's
//! `to_lowercase` is not it: "ß" folds to "ss", "ﬁ" to "fi", "ς" to "σ", Cherokee small letters
//! to capitals.

use super::casefold_table::FOLDS;

/// `text.casefold()`.
pub fn casefold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            match FOLDS.binary_search_by_key(&c, |(from, _)| *from) {
                Ok(k) => out.push_str(FOLDS[k].1),
                Err(_) => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_folds_what_lowercase_does_not() {
        assert!(FOLDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(casefold("Straße ﬁne ΣΑΣ ς"), "strasse fine σασ σ");
        assert_eq!(casefold("ᏸ"), "Ᏸ"); // Cherokee folds to the capitals
        assert_eq!(casefold("İ"), "i\u{307}");
        assert_eq!(casefold("ǅ ẞ µ"), "ǆ ss μ");
        assert_eq!(casefold("匿名 Niming"), "匿名 niming");
    }

    #[test]
    fn ascii_folds_to_lower_case() {
        let ascii: String = (0u8..128).map(char::from).collect();
        assert_eq!(casefold(&ascii), ascii.to_ascii_lowercase());
    }
}
