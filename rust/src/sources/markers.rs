//! Detection's cheap test: which candidate sources' markers a page holds, in one pass.

use aho_corasick::AhoCorasick;

/// Every candidate source's markers in one automaton; a source without markers is always asked.
pub struct Markers {
    automaton: AhoCorasick,
    owner: Vec<usize>, // the set each pattern belongs to
    empty: Vec<bool>,  // sets with no markers: always true
}

impl Markers {
    pub fn new(sets: &[Vec<String>]) -> Markers {
        let patterns: Vec<&str> = sets.iter().flatten().map(String::as_str).collect();
        let owner = sets
            .iter()
            .enumerate()
            .flat_map(|(k, set)| std::iter::repeat_n(k, set.len()))
            .collect();
        Markers {
            automaton: AhoCorasick::new(patterns).expect("markers are plain strings"),
            owner,
            empty: sets.iter().map(Vec::is_empty).collect(),
        }
    }

    /// For each set, whether `text` holds one of its markers (Python's `any(m in text for m in set)`,
    /// or true for a set of none).
    pub fn found(&self, text: &str) -> Vec<bool> {
        let mut found = self.empty.clone();
        let mut missing = found.iter().filter(|f| !**f).count();
        for m in self.automaton.find_overlapping_iter(text) {
            let set = self.owner[m.pattern().as_usize()];
            if !found[set] {
                found[set] = true;
                missing -= 1;
                if missing == 0 {
                    break;
                }
            }
        }
        found
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
