//! A raw file's bytes checked and decoded (`read.decode`): UTF-8 text, or the reason it is not a
//! page, with the line to blame where there is one.

/// Why a file's bytes are no page: the reason and, for bad UTF-8, the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub reason: String,
    pub line: Option<usize>,
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Python's `bytes.strip()` whitespace: ASCII space, \t, \n, \r, \x0b, \x0c.
fn is_blank(data: &[u8]) -> bool {
    data.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
}

/// The text of a file's bytes (one leading BOM dropped), or why it is no page: empty, UTF-16,
/// binary (NUL bytes) or invalid UTF-8 (the byte offset in the file and its line).
pub fn decode(data: &[u8]) -> Result<&str, Refused> {
    let refuse = |reason: String, line: Option<usize>| Err(Refused { reason, line });
    if is_blank(data) {
        return refuse("empty file: no text".into(), None);
    }
    if data.starts_with(b"\xff\xfe") || data.starts_with(b"\xfe\xff") {
        return refuse("UTF-16 text: save the page as UTF-8".into(), None);
    }
    if data.contains(&0) {
        return refuse(
            "binary file (holds NUL bytes), not a text page".into(),
            None,
        );
    }
    let body = data.strip_prefix(BOM).unwrap_or(data);
    std::str::from_utf8(body).or_else(|e| {
        let offset = e.valid_up_to() + (data.len() - body.len());
        let line = data[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        refuse(
            format!("invalid UTF-8 (byte {offset}): save the page as UTF-8"),
            Some(line),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(data: &[u8]) -> (String, Option<usize>) {
        let r = decode(data).unwrap_err();
        (r.reason, r.line)
    }

    #[test]
    fn text_is_decoded_without_its_bom() {
        assert_eq!(decode(b"\xef\xbb\xbfHello\n"), Ok("Hello\n"));
        assert_eq!(decode("caf\u{e9}".as_bytes()), Ok("caf\u{e9}"));
        // a second BOM is text (U+FEFF), as utf-8-sig leaves it
        assert_eq!(decode(b"\xef\xbb\xbf\xef\xbb\xbfx"), Ok("\u{feff}x"));
    }

    #[test]
    fn blank_files_are_empty_pages() {
        assert_eq!(reason(b" \t\r\n\x0b\x0c").0, "empty file: no text");
        assert_eq!(reason(b"").0, "empty file: no text");
        // a no-break space is not ASCII whitespace: that file decodes
        assert!(decode("\u{a0}".as_bytes()).is_ok());
    }

    #[test]
    fn utf16_and_binary_are_refused_by_name() {
        assert_eq!(
            reason(b"\xff\xfeh\x00i\x00").0,
            "UTF-16 text: save the page as UTF-8"
        );
        assert_eq!(
            reason(b"\xfe\xff\x00h").0,
            "UTF-16 text: save the page as UTF-8"
        );
        assert_eq!(
            reason(b"abc\x00def").0,
            "binary file (holds NUL bytes), not a text page"
        );
    }

    #[test]
    fn bad_utf8_names_the_byte_and_line_counting_the_bom() {
        assert_eq!(
            reason(b"one\ntwo\n\xff"),
            (
                "invalid UTF-8 (byte 8): save the page as UTF-8".into(),
                Some(3)
            )
        );
        assert_eq!(
            reason(b"\xef\xbb\xbfa\n\xe2\x28"),
            (
                "invalid UTF-8 (byte 5): save the page as UTF-8".into(),
                Some(2)
            )
        );
        // cut inside a character at the end
        assert_eq!(
            reason(b"ab\xe2\x82").0,
            "invalid UTF-8 (byte 2): save the page as UTF-8"
        );
        // an encoded surrogate is not UTF-8
        assert_eq!(
            reason(b"x\xed\xa0\x80").0,
            "invalid UTF-8 (byte 1): save the page as UTF-8"
        );
    }
}
