//! `date.fromisoformat(text).toordinal()` as Python 3.11's C code computes it
//! (Modules/_datetimemodule.c, `date_fromisoformat` and `parse_isoformat_date`): the forms
//! YYYY-MM-DD, YYYYMMDD, YYYY-Www, YYYYWww, YYYY-Www-D and YYYYWwwD, judged on a string of 7, 8 or
//! 10 bytes of UTF-8.
//!
//! Python quirk reproduced: 3.11 never checks that the parse used the whole string, so a 10-byte
//! string whose first 8 bytes are a basic date is that date ("2024010112", "20240101é" and
//! "2024W0112x" are 2024-01-01).

/// Days in each month of a common year.
const DAYS_IN_MONTH: [i32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: i32) -> i32 {
    if month == 2 && is_leap(year) {
        29
    } else {
        DAYS_IN_MONTH[month as usize]
    }
}

/// Days before January 1 of `year` (>= 1), counting from January 1 of year 1.
fn days_before_year(year: i32) -> i32 {
    let y = year - 1;
    y * 365 + y / 4 - y / 100 + y / 400
}

/// The proleptic Gregorian ordinal of a valid date (January 1 of year 1 is day 1).
fn ymd_to_ord(year: i32, month: i32, day: i32) -> i32 {
    let before: i32 = (1..month).map(|m| days_in_month(year, m)).sum();
    days_before_year(year) + before + day
}

/// The year of an ordinal >= 1.
fn year_of(ordinal: i32) -> i32 {
    // a year's first day is at or before the ordinal; start from an estimate below it
    let mut year = ((ordinal - 1) / 366).max(1);
    while days_before_year(year + 1) < ordinal {
        year += 1;
    }
    year
}

/// `parse_digits`: `n` ASCII digits at `at` (a NUL ends the C string: past the end is no digit).
fn digits(bytes: &[u8], at: usize, n: usize) -> Option<i32> {
    let mut value = 0;
    for k in at..at + n {
        let d = bytes.get(k).copied().unwrap_or(0).wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        value = value * 10 + i32::from(d);
    }
    Some(value)
}

/// `iso_to_ymd`'s checks and its ordinal: week 53 only in a year that has one, days 1 to 7.
fn iso_week_ordinal(year: i32, week: i32, day: i32) -> Option<i32> {
    if year < 1 {
        // Python computes a date before year 1 out of range, so refuses it ("month must be in 1..12")
        return None;
    }
    let first_day = ymd_to_ord(year, 1, 1);
    let first_weekday = (first_day + 6) % 7; // 0: January 1 is a Monday
    if week <= 0 || week >= 53 {
        let long_year = first_weekday == 3 || (first_weekday == 2 && is_leap(year));
        if !(week == 53 && long_year) {
            return None;
        }
    }
    if !(1..=7).contains(&day) {
        return None;
    }
    let mut week1_monday = first_day - first_weekday;
    if first_weekday > 3 {
        week1_monday += 7;
    }
    let ordinal = week1_monday + (week - 1) * 7 + day - 1;
    // the date's own year must be in range (9999-W52-7 is in year 10000)
    (year_of(ordinal) <= 9999).then_some(ordinal)
}

/// `date.fromisoformat(text).toordinal()`, or None where Python raises ValueError.
pub fn ordinal(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    if !matches!(len, 7 | 8 | 10) {
        return None;
    }
    let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
    let year = digits(bytes, 0, 4)?;
    let separated = at(4) == b'-';
    let mut p = 4 + usize::from(separated);
    if at(p) == b'W' {
        p += 1;
        let week = digits(bytes, p, 2)?;
        p += 2;
        let day = if p < len {
            if separated {
                if at(p) != b'-' {
                    return None;
                }
                p += 1;
            }
            digits(bytes, p, 1)?
        } else {
            1
        };
        return iso_week_ordinal(year, week, day);
    }
    let month = digits(bytes, p, 2)?;
    p += 2;
    if separated {
        if at(p) != b'-' {
            return None;
        }
        p += 1;
    }
    let day = digits(bytes, p, 2)?;
    let valid = (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day);
    valid.then(|| ymd_to_ord(year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_python_311_accepts() {
        for text in [
            "2024-01-01",
            "20240101",
            "2024W01",
            "2024-W01",
            "2024W011",
            "2024-W01-1",
        ] {
            assert_eq!(ordinal(text), Some(738886), "{text}");
        }
        assert_eq!(ordinal("0001-01-01"), Some(1));
        assert_eq!(ordinal("9999-12-31"), Some(3652059));
        assert_eq!(ordinal("9999-W52-5"), Some(3652059));
        assert_eq!(ordinal("2020-W53"), Some(737787));
        assert_eq!(ordinal("2024-02-29"), Some(738945));
    }

    #[test]
    fn the_unchecked_tail_is_ignored_as_python_ignores_it() {
        assert_eq!(ordinal("2024010112"), Some(738886));
        assert_eq!(ordinal("20240101é"), Some(738886));
        assert_eq!(ordinal("2024W0112x"), Some(738886));
    }

    #[test]
    fn what_python_refuses() {
        for text in [
            "",
            "2024-01",
            "2024-0101",
            "202401-01",
            "2024-W011",
            "2024W01-1",
            "0000-01-01",
            "0000-W52-7",
            "9999-W52-7",
            "2021-W53",
            "2024-W00",
            "2024-W01-0",
            "2024-W01-8",
            " 2024-01-01",
            "2024-01-01 ",
            "2024-1-01",
            "+024-01-01",
            "2024-01-0\0",
            "2024-W01\0\0",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "２０２４-01-01",
            "2024/01/01",
            "2024-w01",
        ] {
            assert_eq!(ordinal(text), None, "{text:?}");
        }
    }

    #[test]
    fn ordinals_round_trip_through_years() {
        for year in [1, 2, 4, 100, 400, 1900, 2000, 2023, 2024, 9999] {
            let first = ymd_to_ord(year, 1, 1);
            assert_eq!(year_of(first), year);
            assert_eq!(year_of(first - 1).max(1), (year - 1).max(1));
        }
    }
}
