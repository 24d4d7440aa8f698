//! A page's capture date from a shard line's `date` or `timestamp`, in the common forms only:
//! Unix seconds (a JSON integer or float) and `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM:SS` with no
//! offset, `Z` or `±HH:MM`. These give exactly what `containers.member.iso_datetime` (Python's
//! `datetime`) gives; every other value is `Ask`ed of it, so the rule stays Python's and this is
//! only its fast path (tests/test_jsonl_lines.py compares the two on many values).

use serde_json::Value;

/// What the fast path makes of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Captured {
    /// The ISO date-time in UTC (`2024-05-01T12:00:00Z`), or None when the value is no date.
    Known(Option<String>),
    /// A form only Python's `datetime` reads.
    Ask,
}

/// Seconds of 0001-01-01T00:00:00Z and of 9999-12-31T23:59:59Z from the Unix epoch: the moments a
/// Python `datetime` holds.
const FIRST: i64 = -62_135_596_800;
const LAST: i64 = 253_402_300_799;

/// Python's `_PyTime_RoundHalfEven`.
fn round_half_even(x: f64) -> f64 {
    let rounded = x.round();
    if (x - rounded).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        rounded
    }
}

/// The second `datetime.fromtimestamp(x, tz=UTC)` falls in (its microseconds dropped), as
/// `_PyTime_DoubleToDenominator` rounds: microseconds half to even, then carried.
fn float_second(x: f64) -> Option<i64> {
    if !x.is_finite() {
        return None;
    }
    let mut whole = x.trunc();
    let micros = round_half_even((x - whole) * 1e6);
    if micros >= 1e6 {
        whole += 1.0;
    } else if micros < 0.0 {
        whole -= 1.0;
    }
    // beyond the moments a datetime holds (time_t's range among them): no date
    ((FIRST as f64)..=(LAST as f64))
        .contains(&whole)
        .then_some(whole as i64)
}

/// Days from 1970-01-01 to a date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day counted from 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// A second from the epoch as `strftime("%Y-%m-%dT%H:%M:%SZ")` writes it (glibc's `%Y` does not
/// pad years before 1000), None outside the years a datetime holds.
fn written(second: i64) -> Option<String> {
    if !(FIRST..=LAST).contains(&second) {
        return None;
    }
    let (year, month, day) = civil_from_days(second.div_euclid(86_400));
    let s = second.rem_euclid(86_400);
    Some(format!(
        "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    ))
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The number the ASCII digits at `at..at + n` of `s` spell, None if any is no digit.
fn digits(s: &[u8], at: usize, n: usize) -> Option<i64> {
    s.get(at..at + n)?.iter().try_fold(0i64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

/// Seconds east of UTC of a `Z`, `±HH:MM` or empty ending (an empty one is UTC, as the Python
/// rule takes a naive moment), None for any other.
fn offset(tail: &[u8]) -> Option<i64> {
    match tail {
        [] | [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (digits(tail, 1, 2)?, digits(tail, 4, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let east = hours * 3600 + minutes * 60;
            Some(if *sign == b'-' { -east } else { east })
        }
        _ => None,
    }
}

/// An ISO date-time string in a common form, as the moment's second in UTC; None for any other
/// form or an invalid field (which Python then judges).
fn iso_second(text: &str) -> Option<i64> {
    let s = text.as_bytes();
    if s.len() < 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(s, 0, 4)?, digits(s, 5, 2)?, digits(s, 8, 2)?);
    if year < 1 || !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    let date = days_from_civil(year, month, day) * 86_400;
    if s.len() == 10 {
        return Some(date);
    }
    if s.len() < 19 || !matches!(s[10], b'T' | b' ') || s[13] != b':' || s[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (digits(s, 11, 2)?, digits(s, 14, 2)?, digits(s, 17, 2)?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(date + hour * 3600 + minute * 60 + second - offset(&s[19..])?)
}

/// `iso_datetime(value)` for the value of a line's `date` or `timestamp` (None: the key is
/// missing or null), or `Ask` where only Python's `datetime` can say.
pub fn iso_datetime(value: Option<&Value>) -> Captured {
    match value {
        None | Some(Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_)) => {
            Captured::Known(None)
        }
        Some(Value::Number(n)) => Captured::Known(match (n.as_i64(), n.as_f64()) {
            (Some(second), _) => written(second),
            (None, Some(x)) => float_second(x).and_then(written),
            (None, None) => None,
        }),
        Some(Value::String(s)) => {
            let text = crate::text::strip(s);
            if text.is_empty() {
                return Captured::Known(None);
            }
            match iso_second(text) {
                Some(second) => Captured::Known(written(second)),
                None => Captured::Ask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn known(v: Value) -> Option<String> {
        match iso_datetime(Some(&v)) {
            Captured::Known(s) => s,
            Captured::Ask => panic!("asked about {v}"),
        }
    }

    #[test]
    fn common_strings_are_read_in_utc() {
        assert_eq!(
            known(json!("2024-05-01")).as_deref(),
            Some("2024-05-01T00:00:00Z")
        );
        assert_eq!(
            known(json!(" 2024-05-01T14:00:00+02:00\n")).as_deref(),
            Some("2024-05-01T12:00:00Z")
        );
        assert_eq!(
            known(json!("2024-02-29 23:30:00-01:00")).as_deref(),
            Some("2024-03-01T00:30:00Z")
        );
        assert_eq!(
            known(json!("0999-01-01T00:00:00Z")).as_deref(),
            Some("999-01-01T00:00:00Z")
        );
        assert_eq!(known(json!("0001-01-01T00:00:00+01:00")), None);
        assert_eq!(known(json!("   ")), None);
    }

    #[test]
    fn other_forms_and_invalid_fields_are_asked() {
        for s in [
            "2024-05-01T12:00",
            "2024-05-01T12:00:00.5Z",
            "20240501",
            "2024-W01-1",
            "2023-02-29",
            "2024-05-01T24:00:00",
            "2024-05-01T12:00:00+0200",
            "2024-05-01T12:00:00+24:00",
            "May 1, 2024",
        ] {
            assert_eq!(iso_datetime(Some(&json!(s))), Captured::Ask, "{s}");
        }
    }

    #[test]
    fn seconds_round_as_python_does() {
        assert_eq!(
            known(json!(1_700_000_000)).as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(
            known(json!(1.9999996)).as_deref(),
            Some("1970-01-01T00:00:02Z")
        );
        assert_eq!(
            known(json!(1.9999994)).as_deref(),
            Some("1970-01-01T00:00:01Z")
        );
        assert_eq!(known(json!(-1.5)).as_deref(), Some("1969-12-31T23:59:58Z"));
        assert_eq!(
            known(json!(-0.0000004)).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert_eq!(known(json!(1e20)), None);
        assert_eq!(known(json!(LAST)).as_deref(), Some("9999-12-31T23:59:59Z"));
        assert_eq!(known(json!(LAST + 1)), None);
        assert_eq!(known(json!(FIRST)).as_deref(), Some("1-01-01T00:00:00Z"));
        assert_eq!(known(json!(true)), None);
    }
}
