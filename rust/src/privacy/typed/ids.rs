//! Record numbers and identity numbers: after a label (`MRN: …`, `passport no. …`), and by
//! shape (Taiwan's letter and nine digits, an SSN, an Aadhaar, …), some confirmed by a checksum.

use super::pattern::{ci, Pat, Value};
use std::sync::LazyLock;

/// What may follow a label ending in a word character, Python's `\b\.?(?:\s*(?:is|was|:|#|-|=)\s*|\s+)`:
/// `\b` refuses a word character next, so "is"/"was" need the whitespace before them.
const REST_WORD: &str =
    r"(?:\.(?:\s*(?:is|was|:|#|-|=)\s*|\s+)|(?:\s+(?:is|was)|\s*(?::|#|-|=))\s*|\s+)";
/// The same after a label ending in `#` (a non-word character): `\b` there needs a word character
/// next, so only "is"/"was" can follow.
const REST_HASH: &str = r"(?:is|was)\s*";

/// Python's `(?=[\w/-]*\d)[A-Za-z0-9][\w/-]{3,}[A-Za-z0-9]` read as the whole run of `[\w/-]`
/// the value opens: the run holds a digit (the lookahead) and an ASCII letter or digit at its
/// fifth character or later (where the value ends); followed by what ends the run.
const RUN: &str = concat!(
    r"([0-9][\w/-]{3}[\w/-]*[A-Za-z0-9][\w/-]*",
    r"|[A-Za-z0-9](?:\d[\w/-]{2}|[\w/-]\d[\w/-]|[\w/-]{2}\d)[\w/-]*[A-Za-z0-9][\w/-]*",
    r"|[A-Za-z0-9][\w/-]{3}[\w/-]*\d[\w/-]*[A-Za-z0-9][\w/-]*",
    r"|[A-Za-z0-9][\w/-]{3}[\w/-]*[0-9][\w/-]*",
    r"|[A-Za-z0-9][\w/-]{3}[\w/-]*[A-Za-z0-9][\w/-]*\d[\w/-]*)",
    r"(?:\z|[^\w/-])"
);

fn labelled(labels: &str) -> Pat {
    let labels = labels.replace("RW", REST_WORD).replace("RH", REST_HASH);
    Pat::new(
        Some(r"\w"),
        &format!("{}{RUN}", ci(&labels)),
        "",
        Value::Run,
    )
}

/// `record-number`: a medical record, chart, case, patient, hospital, lab, test, sample or other
/// record's number after its label. (Policy 2 scanned it behind a first letter, `[mhcpruio]`, that
/// no "lab", "test", "sample", "specimen", "accession", "admission", "account", "file" or "bill"
/// label has: those labels never matched. Policy 3 reads them all.)
pub static MRN: LazyLock<Pat> = LazyLock::new(|| {
    labelled(concat!(
        r"(?:MRNRW|MR\s?NoRW|medical[\s-]+records?(?:\s+(?:number|no)RW|\s+#RH|RW)",
        r"|hospital\s+(?:number|no|id)RW|chart\s+(?:(?:number|no)RW|#RH)|case\s+(?:number|no)RW",
        r"|patient\s+(?:id|number|no)RW|registration\s+(?:number|no)RW",
        r"|(?:lab|laboratory|test|report|record|sample|specimen|accession|reference|ref|admission|file",
        r"|claim|policy|account|invoice|bill)\s+(?:(?:number|no)RW|#RH|idRW)",
        r"|UHIDRW|IP\s?NoRW|OP\s?NoRW)"
    ))
});

/// `id-labelled`: a number after "ID", "passport", "NRIC", "SSN", "CNIC", "Medicare", "licence"….
/// (Policy 2 scanned it behind a first letter, `[nipas]`, so "CNIC", "CCCD", "MBI", "my number",
/// "medicare", "health card" and "licence" never matched. Policy 3 reads them, but for "my
/// number": in English "my number is …" gives a phone number, which the phone rules replace; a
/// Japanese My Number is found by its checksum.)
pub static ID_LABELLED: LazyLock<Pat> = LazyLock::new(|| {
    labelled(concat!(
        r"(?:national\s+id(?:entity)?(?:\s+card)?|id\s+card|identity\s+card|id|passport|aadhaa?r|",
        r"social\s+security|SSN|NRIC|PAN(?:\s+card)?|NID|CNIC|CCCD|PESEL|PPS|MBI|",
        r"medicare(?:\s+card)?|NHS|health\s+card|insurance|licen[cs]e|driving\s+licen[cs]e)",
        r"(?:\s+(?:numberRW|noRW|#RH)|RW)"
    ))
});

/// `id-shape`: national identity numbers by their shape. Python's Aadhaar `([ -]?)…\1…` is
/// written once per separator: the character after the first four digits decides which applies.
pub static ID: LazyLock<Pat> = LazyLock::new(|| {
    let mbi = ci(
        r"[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}",
    );
    Pat::new(
        Some(r"\w-"),
        &[
            r"[A-Za-z][12489]\d{8}|\d{3}-\d{2}-\d{4}",
            r"|[2-9]\d{3} \d{4} \d{4}|[2-9]\d{3}-\d{4}-\d{4}|[2-9]\d{3}\d{4}\d{4}",
            r"|0\d{2}[0-3]\d{8}|(?:19|20)\d{15}|\d{13}|[1-9]",
            &mbi,
        ]
        .concat(),
        r"(?:\z|[^\w-])",
        Value::None,
    )
});

/// `id-checksum`: shapes of numbers with a checksum, in the order of Python's
/// `identifiers.CHECKSUMS` (US SSN with spaces or none, Irish PPS, Polish PESEL, Pakistani CNIC,
/// Japanese My Number); a candidate is replaced when its checksum confirms it.
pub static CHECKSUMMED: LazyLock<[Pat; 5]> = LazyLock::new(|| {
    [
        r"\d{3}[ ]?\d{2}[ ]?\d{4}",
        r"\d{7}[A-Wa-w][ABWTXabwtx]?",
        r"\d{11}",
        r"\d{5}-?\d{7}-?\d",
        r"\d{4}[ -]?\d{4}[ -]?\d{4}",
    ]
    .map(|shape| Pat::new(Some(r"\w-"), shape, r"(?:\z|[^\w-])", Value::None))
});

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'a>(p: &Pat, text: &'a str) -> Option<&'a str> {
        let hit = p.find(text, 0)?;
        let (s, e) = hit.value?;
        Some(&text[s..e])
    }

    #[test]
    fn the_value_needs_a_digit_in_its_run() {
        assert_eq!(value(&MRN, "MRN: 00123456 x"), Some("00123456"));
        assert_eq!(value(&MRN, "MRN: abcdef"), None);
        // the digit may lie past the value's end (a digit of another script)
        assert_eq!(value(&MRN, "MRN: abcde٣ x"), Some("abcde"));
        // the match ends at the value: "_" after it is not part of it
        assert_eq!(MRN.find("MRN 12345_", 0).map(|h| h.end), Some(9));
    }

    #[test]
    fn the_labels_boundary_as_python() {
        // "MRN is1234x": " is" is the separator; "MRNis 12345": no boundary after MRN
        assert_eq!(value(&MRN, "MRN is1234x"), Some("1234x"));
        assert_eq!(value(&MRN, "MRNis 12345"), None);
        // "chart #" needs a word character next; "chart # 12345" falls back to no label
        assert_eq!(value(&MRN, "chart #is 12345"), Some("12345"));
        assert_eq!(value(&MRN, "chart # 12345"), None);
        assert_eq!(value(&MRN, "medical record # 12345"), Some("12345"));
        assert_eq!(
            value(&ID_LABELLED, "passport no. X1234567"),
            Some("X1234567")
        );
        assert_eq!(value(&ID_LABELLED, "İD: A1234567"), Some("A1234567"));
        // policy 3: every label of the list, whatever its first letter
        assert_eq!(
            value(&ID_LABELLED, "CNIC 34201-0891231-8"),
            Some("34201-0891231-8")
        );
        assert_eq!(
            value(&ID_LABELLED, "driving licence no. DL-0420110012345"),
            Some("DL-0420110012345")
        );
        assert_eq!(value(&MRN, "lab no A1234567"), Some("A1234567"));
        assert_eq!(value(&MRN, "specimen # is S-99812"), None);
        assert_eq!(value(&MRN, "specimen #is S-99812"), Some("S-99812"));
    }

    #[test]
    fn shapes() {
        assert!(ID.matches("x 2345 6789 0123 y") && ID.matches("1EG4-TE5-MK73"));
        assert!(!ID.matches("x 1234 5678 9012 y"));
        assert!(!ID.matches("1234 5678-9012") && !ID.matches("a-A123456789"));
        assert!(CHECKSUMMED[1].matches("1234567TW") && !CHECKSUMMED[2].matches("123456789012"));
    }
}
