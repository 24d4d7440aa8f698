//! A pattern tree matched as Python's `re` matches it: depth first, alternatives and repetition
//! counts tried in Python's order (greedy: the most first), with the lookarounds and `\b` the
//! regex crate lacks, where they sit inside repeated groups (the street addresses' tail). Written
//! for a few fixed patterns whose repetitions are bounded or deterministic (see `Node::Star`), so
//! a start costs a bounded number of paths, each a pass over the words it reads: no pattern of
//! user input is ever compiled into one.

use crate::text::is_word;

/// One node of a pattern.
pub enum Node {
    /// A literal string.
    Lit(&'static str),
    /// `min..=max` characters of a class, the most first, one fewer on each backtrack;
    /// `atomic` when no shorter run can lead to a match (what follows is never of the class).
    Run {
        class: fn(char) -> bool,
        min: usize,
        max: usize,
        atomic: bool,
    },
    /// Each part after the one before.
    Seq(Vec<Node>),
    /// The first alternative that leads to a match.
    Alt(Vec<Node>),
    /// `(?:node){min,max}`, greedy.
    Rep(Box<Node>, usize, usize),
    /// `(?:node)*`, greedy, taking the first end of each repetition: exact where no later end
    /// of a repetition can lead to a match (each later end leaves a character nothing after the
    /// repetition can start with). Iterative: a long run of repetitions takes no stack.
    Star(Box<Node>),
    /// `\b` (Python's Unicode word characters).
    Boundary,
    /// `(?=node)`.
    Ahead(Box<Node>),
    /// `(?!node)`.
    NotAhead(Box<Node>),
}

pub fn lit(s: &'static str) -> Node {
    Node::Lit(s)
}

/// `class{min,max}` (`usize::MAX`: unbounded).
pub fn run(class: fn(char) -> bool, min: usize, max: usize) -> Node {
    Node::Run {
        class,
        min,
        max,
        atomic: false,
    }
}

pub fn seq(nodes: Vec<Node>) -> Node {
    Node::Seq(nodes)
}

pub fn alt(nodes: Vec<Node>) -> Node {
    Node::Alt(nodes)
}

/// The literals as alternatives, in their order.
pub fn lits(words: &[&'static str]) -> Node {
    Node::Alt(words.iter().map(|w| Node::Lit(w)).collect())
}

pub fn opt(node: Node) -> Node {
    Node::Rep(Box::new(node), 0, 1)
}

pub fn rep(node: Node, min: usize, max: usize) -> Node {
    Node::Rep(Box::new(node), min, max)
}

type Cont<'k> = &'k mut dyn FnMut(usize) -> bool;

fn prev_char(t: &str, pos: usize) -> Option<char> {
    t[..pos].chars().next_back()
}

impl Node {
    /// True when the node matches `t` at `pos` and `k` accepts where it ends (tried in Python's
    /// order until `k` accepts one).
    fn at(&self, t: &str, pos: usize, k: Cont) -> bool {
        match self {
            Node::Lit(s) => t[pos..].starts_with(s) && k(pos + s.len()),
            Node::Run {
                class,
                min,
                max,
                atomic,
            } => {
                let (mut end, mut taken) = (pos, 0);
                for c in t[pos..].chars() {
                    if taken == *max || !class(c) {
                        break;
                    }
                    end += c.len_utf8();
                    taken += 1;
                }
                if taken < *min {
                    return false;
                }
                if *atomic {
                    return k(end);
                }
                loop {
                    if k(end) {
                        return true;
                    }
                    if taken == *min {
                        return false;
                    }
                    end -= prev_char(t, end).map_or(0, char::len_utf8);
                    taken -= 1;
                }
            }
            Node::Seq(nodes) => seq_at(nodes, t, pos, k),
            Node::Alt(nodes) => nodes.iter().any(|n| n.at(t, pos, k)),
            Node::Rep(node, min, max) => rep_at(node, *min, *max, 0, t, pos, k),
            Node::Star(node) => {
                let mut ends = vec![pos];
                loop {
                    let from = *ends.last().unwrap_or(&pos);
                    let mut first = None;
                    node.at(t, from, &mut |end| {
                        first = Some(end);
                        true
                    });
                    match first {
                        Some(end) if end > from => ends.push(end),
                        _ => break,
                    }
                }
                ends.iter().rev().any(|&end| k(end))
            }
            Node::Boundary => {
                let before = prev_char(t, pos).is_some_and(is_word);
                let after = t[pos..].chars().next().is_some_and(is_word);
                before != after && k(pos)
            }
            Node::Ahead(node) => node.at(t, pos, &mut |_| true) && k(pos),
            Node::NotAhead(node) => !node.at(t, pos, &mut |_| true) && k(pos),
        }
    }

    /// Where a match starting at `pos` ends, the one Python takes.
    pub fn match_at(&self, t: &str, pos: usize) -> Option<usize> {
        let mut found = None;
        self.at(t, pos, &mut |end| {
            found = Some(end);
            true
        });
        found
    }

    /// The node's run made atomic (see `Node::Run`); any other node unchanged.
    pub fn atomic(self) -> Node {
        match self {
            Node::Run {
                class, min, max, ..
            } => Node::Run {
                class,
                min,
                max,
                atomic: true,
            },
            other => other,
        }
    }
}

fn seq_at(nodes: &[Node], t: &str, pos: usize, k: Cont) -> bool {
    match nodes.split_first() {
        None => k(pos),
        Some((first, rest)) => first.at(t, pos, &mut |p| seq_at(rest, t, p, k)),
    }
}

fn rep_at(node: &Node, min: usize, max: usize, count: usize, t: &str, pos: usize, k: Cont) -> bool {
    // a repetition that matched nothing is never repeated (none of these patterns has one)
    if count < max
        && node.at(t, pos, &mut |p| {
            p > pos && rep_at(node, min, max, count + 1, t, p, k)
        })
    {
        return true;
    }
    count >= min && k(pos)
}

/// A pattern searched as `re.sub` searches it: from each start a `first` character allows
/// (Python's fast form's lookahead), left to right.
pub struct Search {
    pub first: fn(char) -> bool,
    pub node: Node,
}

impl Search {
    /// The first match at or after `pos`: (start, end).
    pub fn find(&self, t: &str, pos: usize) -> Option<(usize, usize)> {
        t[pos..]
            .char_indices()
            .filter(|&(_, c)| (self.first)(c))
            .find_map(|(i, _)| self.node.match_at(t, pos + i).map(|end| (pos + i, end)))
    }

    /// `re.sub(pattern, placeholder, t)`, counting the replacements.
    pub fn sub(&self, t: &str, placeholder: &str, count: &mut usize) -> String {
        let mut out = String::with_capacity(t.len());
        let mut last = 0;
        while let Some((start, end)) = self.find(t, last) {
            out.push_str(&t[last..start]);
            out.push_str(placeholder);
            *count += 1;
            if end == start {
                // never: every pattern here consumes; step on rather than loop
                match t[end..].chars().next() {
                    Some(c) => {
                        out.push(c);
                        last = end + c.len_utf8();
                    }
                    None => {
                        last = end;
                        break;
                    }
                }
            } else {
                last = end;
            }
        }
        out.push_str(&t[last..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(c: char) -> bool {
        c.is_ascii_uppercase()
    }
    fn letter(c: char) -> bool {
        c.is_ascii_alphabetic() || c == '-'
    }

    #[test]
    fn a_boundary_after_a_run_takes_a_shorter_run() {
        // Python: re.match(r"[A-Z][A-Za-z-]*\b", "Ab-c1").group() == "Ab-"
        let place = seq(vec![
            run(upper, 1, 1),
            run(letter, 0, usize::MAX),
            Node::Boundary,
        ]);
        assert_eq!(place.match_at("Ab-c1", 0), Some(3));
        assert_eq!(place.match_at("Abc ", 0), Some(3));
        assert_eq!(place.match_at("Ab\u{301}", 0), Some(2), "a mark is no \\w");
        assert_eq!(place.match_at("Abc²", 0), None, "² is \\w");
    }

    #[test]
    fn a_repetition_backs_off_for_what_follows() {
        // Python: re.match(r"(?:A ){0,2}A\b", ...) takes fewer repetitions when it must
        let a = seq(vec![rep(lit("A "), 0, 2), lit("A"), Node::Boundary]);
        assert_eq!(a.match_at("A A A A", 0), Some(5));
        assert_eq!(a.match_at("A A x", 0), Some(3));
    }

    #[test]
    fn lookarounds_inside_a_repetition() {
        // Python: re.match(r"(?:,\d+(?![\w.]))*", ",12,34.,56").group() == ",12"
        let digit = |c: char| c.is_ascii_digit();
        let no_more = |c: char| c.is_alphanumeric() || c == '.';
        let item = seq(vec![
            lit(","),
            run(digit, 1, usize::MAX),
            Node::NotAhead(Box::new(run(no_more, 1, 1))),
        ]);
        assert_eq!(rep(item, 0, 5).match_at(",12,34.,56", 0), Some(3));
        let dot_comma = seq(vec![lit("."), Node::Ahead(Box::new(lit(",")))]);
        assert_eq!(opt(dot_comma).match_at(".,", 0), Some(1));
        assert_eq!(seq(vec![opt(lit(".")), lit(".")]).match_at(".", 0), Some(1));
    }

    #[test]
    fn a_star_is_iterative_and_backs_off() {
        let digit = |c: char| c.is_ascii_digit();
        let star = seq(vec![
            Node::Star(Box::new(seq(vec![lit(","), run(digit, 1, usize::MAX)]))),
            lit(",x"),
        ]);
        let long = ",1".repeat(200_000) + ",x";
        assert_eq!(star.match_at(&long, 0), Some(long.len()));
        assert_eq!(star.match_at(",1,2,y", 0), None);
    }

    #[test]
    fn sub_resumes_after_each_match() {
        let s = Search {
            first: |c| c == 'a',
            node: seq(vec![Node::Boundary, lit("ab")]),
        };
        let mut n = 0;
        assert_eq!(s.sub("ab xab ab", "X", &mut n), "X xab X");
        assert_eq!(n, 2);
    }
}
