//! Detection's cheap test: which candidate sources' markers a page holds.

/// Every candidate source's markers; a source without markers is always asked.
pub struct Markers {
    sets: Vec<Vec<String>>,
}

impl Markers {
    pub fn new(sets: &[Vec<String>]) -> Markers {
        Markers {
            sets: sets.to_vec(),
        }
    }

    /// For each set, whether `text` holds one of its markers (Python's `any(m in text for m in set)`,
    /// or true for a set of none). One substring search a marker (SIMD, stopping at the set's
    /// first found): on the pages measured, 2.0 µs a page against 5.3 µs for one overlapping
    /// Aho-Corasick pass, which cannot stop before the text ends when a set is absent.
    pub fn found(&self, text: &str) -> Vec<bool> {
        self.sets
            .iter()
            .map(|set| set.is_empty() || set.iter().any(|m| text.contains(m.as_str())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(s: &[&[&str]]) -> Vec<Vec<String>> {
        s.iter()
            .map(|set| set.iter().map(|m| m.to_string()).collect())
            .collect()
    }

    #[test]
    fn each_set_is_found_by_any_of_its_markers_overlapping_or_not() {
        let m = Markers::new(&sets(&[
            &["ask date", "reply"],
            &["ply x"],
            &[],
            &["absent"],
            &[""],
        ]));
        assert_eq!(m.found("no reply x"), [true, true, true, false, true]);
        assert_eq!(m.found(""), [false, false, true, false, true]);
    }

    #[test]
    fn markers_are_matched_by_characters_not_bytes() {
        let m = Markers::new(&sets(&[&["é"], &["\u{301}"]]));
        assert_eq!(m.found("e\u{301}"), [false, true]);
    }
}
