//! Dates tied to a person (birth, admission, discharge, death): the day and month are replaced,
//! the year is kept ("born on [DATE] 1972").

use super::pattern::{ci, Pat, Value};
use crate::text::digit_value;
use std::sync::LazyLock;

const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";
const YEAR: &str = r"(?:19|20)\d{2}";

/// `date-personal`: a date after what ties it to a person. Python scanned it behind
/// `(?=(?i:[bdpa]))`, so its "was born" never opened with "was": a match opens at "born".
pub static DATE_PERSONAL: LazyLock<Pat> = LazyLock::new(|| {
    let label = ci(concat!(
        r"(?:born(?:\s+on)?|date\s+of\s+birth|birth\s*date|d\.?\s?o\.?\s?b\.?|birthday|",
        r"admitted(?:\s+on)?|discharged(?:\s+on)?|date\s+of\s+(?:admission|discharge|death)|died(?:\s+on)?|",
        r"passed\s+away(?:\s+on)?)(?:\s+(?:is|was))?(?:\s*[:=-]\s*|\s+)"
    ));
    let (month, nth) = (ci(MONTH), ci("st|nd|rd|th"));
    let value = [
        r"(\d{1,2}[./-]\d{1,2}[./-]",
        YEAR,
        "|",
        YEAR,
        r"[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}",
        &nth,
        r"?(?:\s+of)?\s+",
        &month,
        r",?(?:\s+",
        YEAR,
        ")?|",
        &month,
        r"\s+\d{1,2}",
        &nth,
        r"?(?:,?\s+",
        YEAR,
        ")?)",
    ]
    .concat();
    Pat::new(
        Some(r"\w"),
        &format!("{label}{value}"),
        r"(?:\z|[^\d])",
        Value::Group,
    )
});

/// The first year in `value` no digit touches (Python's `(?<!\d)(?:19|20)\d{2}(?!\d)`).
pub fn year_in(value: &str) -> Option<&str> {
    let chars: Vec<(usize, char)> = value.char_indices().collect();
    let digit = |k: usize| chars.get(k).is_some_and(|&(_, c)| digit_value(c).is_some());
    (0..chars.len()).find_map(|k| {
        let opens = matches!(
            (chars[k].1, chars.get(k + 1).map(|c| c.1)),
            ('1', Some('9')) | ('2', Some('0'))
        );
        let ok =
            opens && digit(k + 2) && digit(k + 3) && !digit(k + 4) && (k == 0 || !digit(k - 1));
        ok.then(|| {
            let end = chars.get(k + 4).map_or(value.len(), |c| c.0);
            &value[chars[k].0..end]
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Option<&str> {
        let (s, e) = DATE_PERSONAL.find(text, 0)?.value?;
        Some(&text[s..e])
    }

    #[test]
    fn dates_after_their_labels() {
        assert_eq!(value("born on 9 April 1972, ok"), Some("9 April 1972"));
        assert_eq!(value("DOB 04/09/1972"), Some("04/09/1972"));
        assert_eq!(value("dıed on Apr. 3rd, 2001"), Some("Apr. 3rd, 2001"));
        // (?!\d): "04/09/19723" backtracks to the day-month-name forms, which fail
        assert_eq!(value("DOB 04/09/19723"), None);
        // "of" is case-sensitive, the month is not
        assert_eq!(value("born 9 OF may"), None);
        assert_eq!(value("born 9 of MAY"), Some("9 of MAY"));
        assert_eq!(
            value("died on Sept. 5TO"),
            Some("Sept. 5"),
            "the year is optional"
        );
    }

    #[test]
    fn the_year_no_digit_touches() {
        assert_eq!(year_in("04/09/1972"), Some("1972"));
        assert_eq!(year_in("9 April"), None);
        assert_eq!(year_in("1920٣"), None);
        assert_eq!(year_in("x2019"), Some("2019"));
    }
}
