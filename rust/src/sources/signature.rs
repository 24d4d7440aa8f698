//! A doctor's closing signature under a reply (the rule several sources share, once in
//! `medqa_ds/sources/common.py`): `Regards,` / name / role, a name line (with a specialty line
//! under it), or a name fused to the last sentence.

use super::pyre::{ignorecase, re};
use crate::specialties::Table;
use crate::text::{is_space, lower, strip, WORD, WS};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// SIGNATURE, a whole signature line: "Dr Tayyab Malik", "Dr. Ana Ruiz", "Dr.Rovena".
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\ADr\.?[{WS}]?[A-Z][{WORD}'’\-]*(?:[{WS}]+[A-Z][{WORD}'’.\-]*){{0,4}}\.?\n?\z"
    ))
});

/// FUSED_SIGNATURE, a signature fused to the reply's last sentence: "... take care. Dr.Rovena".
static FUSED: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\A(?P<text>.*[.!?])[{WS}]*(?P<name>Dr\.?[{WS}]?[A-Z][{WORD}'’\-]+(?:[{WS}][A-Z][{WORD}'’\-]+){{0,3}})\.?\n?\z"
    ))
});

/// REGARDS (re.I): the line that opens a signature block.
static REGARDS: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(
        r"\A(?:(?:best|kind|warm|warmest|with|thanks and|thanks &|many)<s>+)?regards<s>*[,.]?\n?\z|\A(?:sincerely|yours sincerely|best wishes)<s>*[,.]?\n?\z",
    )
});

/// `SIGNATURE.match(line)`: the line is a doctor's name and nothing else.
pub fn is_signature(line: &str) -> bool {
    SIGNATURE.is_match(line)
}

/// `_role_line`: a line under a signature that names a role ("General & Family Physician"), not prose.
fn role_line(line: &str, table: &Table) -> bool {
    table.canonical(Some(line)).is_some()
        || (line.split(is_space).filter(|w| !w.is_empty()).count() <= 6
            && !line.ends_with(['.', '!', '?', ',']))
}

/// `_clean`: a name without the spaces, dots and commas around it.
fn clean(name: &str) -> Option<String> {
    (!name.is_empty()).then(|| strip(name).trim_end_matches(['.', ',']).to_string())
}

/// `_same_person`: two spellings of a doctor's name share a name word ("Dr.Rovena" / "Dr. Rovena
/// Andrea"); a name word is a run of two or more ASCII letters other than "dr".
fn same_person(a: &str, b: &str) -> bool {
    fn words(name: &str) -> HashSet<String> {
        name.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 2)
            .map(lower)
            .filter(|w| w != "dr")
            .collect()
    }
    !words(a).is_disjoint(&words(b))
}

fn owned<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    lines.iter().map(|l| l.as_ref().to_string()).collect()
}

/// `split_signature`: a reply's lines without their closing signature: (lines, name, role, signed).
/// Where the page's header names the doctor (`author`), a fused name is only taken when it
/// agrees, so a sentence that ends by naming another doctor is kept.
pub fn split_signature<S: AsRef<str>>(
    body: &[S],
    author: Option<&str>,
    table: &Table,
) -> (Vec<String>, Option<String>, Option<String>, bool) {
    let Some(last) = body.last().map(AsRef::as_ref) else {
        return (Vec::new(), None, None, false);
    };
    let n = body.len();
    // the last "Regards," among the last four lines
    if let Some(sign) = (n.saturating_sub(4)..n)
        .rev()
        .find(|&k| REGARDS.is_match(body[k].as_ref()))
    {
        let rest = &body[sign + 1..];
        let name = rest.first().map(AsRef::as_ref).filter(|l| is_signature(l));
        let role = match (name, rest.get(1..)) {
            (Some(_), Some(under))
                if !under.is_empty() && under.iter().all(|l| role_line(l.as_ref(), table)) =>
            {
                Some(
                    under
                        .iter()
                        .map(AsRef::as_ref)
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            }
            _ => None,
        };
        // Python's truth: an empty role (blank lines under the name) does not count
        let has_role = role.as_deref().is_some_and(|r| !r.is_empty());
        if rest.is_empty() || (name.is_some() && (has_role || rest.len() == 1)) {
            return (owned(&body[..sign]), name.and_then(clean), role, true);
        }
    }
    if is_signature(last) {
        return (owned(&body[..n - 1]), clean(last), None, true);
    }
    if n > 1 && is_signature(body[n - 2].as_ref()) && table.canonical(Some(last)).is_some() {
        return (
            owned(&body[..n - 2]),
            clean(body[n - 2].as_ref()),
            Some(last.to_string()),
            true,
        );
    }
    if let Some(m) = FUSED.captures(last) {
        let (text, name) = (&m["text"], &m["name"]);
        if author.is_none_or(|a| same_person(name, a)) {
            let mut lines = owned(&body[..n - 1]);
            lines.push(text.to_string());
            return (lines, clean(name), None, true);
        }
    }
    (owned(body), None, None, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn table() -> Table {
        Table(HashMap::from([
            ("cardiology".into(), "Cardiology".into()),
            (
                "general and family physician".into(),
                "Family Medicine".into(),
            ),
        ]))
    }

    fn split(
        body: &[&str],
        author: Option<&str>,
    ) -> (Vec<String>, Option<String>, Option<String>, bool) {
        split_signature(body, author, &table())
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn signature_lines() {
        for line in [
            "Dr Tayyab Malik",
            "Dr. Ana Ruiz.",
            "Dr.Rovena",
            "Dr. Jo R. O'Neil-Smith",
            "Dr Ana\n",
        ] {
            assert!(is_signature(line), "{line}");
        }
        for line in [
            "Dr ana",
            "Dr. J. R. Smith",
            "Dr. Ana Ruiz, MD",
            "Drink water",
            "Dr A B C D E F",
            "Dr\u{200B}Ana",
        ] {
            assert!(!is_signature(line), "{line}");
        }
        // Python's \s and \w: an information separator is a space, a combining mark no letter
        assert!(
            is_signature("Dr\x1cAna") && is_signature("Dr Ana²") && !is_signature("Dr Ana\u{301}")
        );
    }

    #[test]
    fn a_regards_block_with_role_lines() {
        let body = [
            "Take rest.",
            "Regards,",
            "Dr. Ana Ruiz",
            "General & Family Physician",
            "Mumbai",
        ];
        assert_eq!(
            split(&body, None),
            (
                vec!["Take rest.".into()],
                s("Dr. Ana Ruiz"),
                s("General & Family Physician Mumbai"),
                true
            )
        );
        // a sentence under the name is prose, not a role: the block stays
        let prose = [
            "Take rest.",
            "Regards",
            "Dr Ana",
            "Write to me again if it does not go away.",
        ];
        assert!(!split(&prose, None).3);
        // only the regards line and nothing under it
        assert_eq!(
            split(&["Take rest.", "Kind regards."], None),
            (vec!["Take rest.".into()], None, None, true)
        );
        // İ and ſ fold as Python's re.I folds them
        assert!(split(&["x", "SİNCERELY,"], None).3 && split(&["x", "ſincerely"], None).3);
        // a blank line under the name is no role (Python's empty string is false)
        let blank = ["x", "Regards", "Dr Ana", ""];
        assert_eq!(split(&blank, None), (owned(&blank), None, None, false));
    }

    #[test]
    fn a_bare_name_line_and_a_name_with_its_specialty() {
        assert_eq!(
            split(&["Rest.", "Dr. Ana Ruiz."], None),
            (vec!["Rest.".into()], s("Dr. Ana Ruiz"), None, true)
        );
        assert_eq!(
            split(&["Rest.", "Dr Ana", "CARDIOLOGY"], None),
            (vec!["Rest.".into()], s("Dr Ana"), s("CARDIOLOGY"), true)
        );
        // a line under the name that is no specialty
        assert!(!split(&["Rest.", "Dr Ana", "Mumbai"], None).3);
    }

    #[test]
    fn a_fused_signature_agreeing_or_not_with_the_author() {
        let body = ["Hello.", "Take care. Dr.Rovena"];
        let taken = (
            vec!["Hello.".into(), "Take care.".into()],
            s("Dr.Rovena"),
            None,
            true,
        );
        assert_eq!(split(&body, None), taken);
        assert_eq!(split(&body, Some("Dr. Rovena Andrea")), taken);
        assert_eq!(
            split(&body, Some("Dr. Ana Ruiz")),
            (owned(&body), None, None, false)
        );
        assert!(!split(&body, Some("")).3);
        assert!(
            same_person("Dr.Rovena", "DR ROVENA")
                && !same_person("Dr A", "Dr B")
                && !same_person("Dr.X", "Dr.X")
        );
    }

    #[test]
    fn nothing_to_split() {
        assert_eq!(split(&[], None), (vec![], None, None, false));
        assert_eq!(
            split(&["Take rest."], None),
            (vec!["Take rest.".into()], None, None, false)
        );
    }
}
