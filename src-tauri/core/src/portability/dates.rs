//! Dates as exports write them: Unix time in seconds (Pocket, Instapaper,
//! browsers), milliseconds or microseconds (linkding, some Firefox exports),
//! RFC 3339 (Omnivore), ISO 8601 with a `+0200` offset (wallabag),
//! `YYYY-MM-DD HH:MM:SS` (Readwise), `d/m/Y H:i:s` (wallabag CSV).
//!
//! A number's unit is told by its size, and any date outside 1990 to the end
//! of next year is refused: a microsecond count read as seconds would be the
//! year 53189, and a story dated so sorts above everything forever and
//! cannot even be exported as a valid date.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};

/// Why a date field was not used (the caller reports it and uses the
/// import's time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// The text is no date Gloss knows.
    NotADate,
    /// A date, but in this year, outside 1990 to next year.
    OutOfRange(i32),
}

/// The first year a story can be dated: the web is younger.
const FIRST_YEAR: i32 = 1990;

/// Unix ms of a date, `Ok(None)` for an empty field.
pub fn parse(s: &str) -> Result<Option<i64>, DateError> {
    let ms = parse_any(s)?;
    match ms {
        Some(ms) => check_range(ms).map(Some),
        None => Ok(None),
    }
}

/// Unix ms of a number of seconds, milliseconds, microseconds or
/// nanoseconds, told apart by size: up to 1e11 is seconds (the year 5138),
/// up to 1e14 milliseconds, up to 1e17 microseconds, then nanoseconds. The
/// ranges do not overlap for any date from 1973 to 5138.
fn from_number(n: f64) -> Result<i64, DateError> {
    if !n.is_finite() || n < 0.0 {
        return Err(DateError::NotADate);
    }
    let ms = if n < 1e11 {
        n * 1e3
    } else if n < 1e14 {
        n
    } else if n < 1e17 {
        n / 1e3
    } else if n < 1e20 {
        n / 1e6
    } else {
        return Err(DateError::NotADate);
    };
    Ok(ms as i64)
}

/// `ms` when it lies between 1990 and the end of next year.
fn check_range(ms: i64) -> Result<i64, DateError> {
    let year = DateTime::from_timestamp_millis(ms)
        .ok_or(DateError::NotADate)?
        .year();
    if (FIRST_YEAR..=last_year()).contains(&year) {
        Ok(ms)
    } else {
        Err(DateError::OutOfRange(year))
    }
}

/// The last year a date may be in: next year (a clock a little ahead, a
/// time zone, a file written on New Year's Eve).
fn last_year() -> i32 {
    Utc::now().year() + 1
}

fn parse_any(s: &str) -> Result<Option<i64>, DateError> {
    let s = s.trim();
    if s.is_empty() || s == "0" || s.eq_ignore_ascii_case("null") {
        return Ok(None);
    }
    if let Ok(n) = s.parse::<f64>() {
        return from_number(n).map(Some);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.timestamp_millis()));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(Some(t.timestamp_millis()));
        }
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%d/%m/%Y %H:%M:%S",
        "%B %d, %Y %I:%M:%S %p",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(Some(t.and_utc().timestamp_millis()));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis()));
    }
    Err(DateError::NotADate)
}

/// Parses a date field of `item`, noting a warning when it is not a date
/// or not a plausible one.
pub fn field(s: &str, item: &str, warnings: &mut Vec<String>) -> Option<i64> {
    parse(s).unwrap_or_else(|e| {
        warnings.push(warning(s, item, e));
        None
    })
}

/// What the import summary says about a date that was not used.
pub fn warning(s: &str, item: &str, error: DateError) -> String {
    let shown: String = s.trim().chars().take(40).collect();
    match error {
        DateError::NotADate => {
            format!("{item}: \"{shown}\" is not a date; the import's time was used")
        }
        DateError::OutOfRange(year) => format!(
            "{item}: \"{shown}\" would be a date in the year {year}, outside {FIRST_YEAR} to {}; \
             the import's time was used",
            last_year()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formats_of_exports_are_read() {
        let ms = Some(1_700_000_000_000);
        assert_eq!(parse("1700000000"), Ok(ms));
        assert_eq!(parse("1700000000000"), Ok(ms));
        assert_eq!(parse("2023-11-14T22:13:20Z"), Ok(ms));
        assert_eq!(parse("2023-11-14T22:13:20.000Z"), Ok(ms));
        assert_eq!(parse("2023-11-15T00:13:20+0200"), Ok(ms));
        assert_eq!(parse("2023-11-14 22:13:20"), Ok(ms));
        assert_eq!(parse("2023-11-14 22:13:20+00:00"), Ok(ms));
        assert_eq!(parse("14/11/2023 22:13:20"), Ok(ms));
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("yesterday"), Err(DateError::NotADate));
        assert_eq!(parse("-5"), Err(DateError::NotADate));
        assert_eq!(parse("1e300"), Err(DateError::NotADate));
        assert_eq!(parse("2023-13-45"), Err(DateError::NotADate));
    }

    #[test]
    fn seconds_milliseconds_microseconds_and_nanoseconds_are_told_by_size() {
        // linkding's and some Firefox exports' ADD_DATE: microseconds.
        let ms = Some(1_616_337_559_000);
        assert_eq!(parse("1616337559"), Ok(ms));
        assert_eq!(parse("1616337559000"), Ok(ms));
        assert_eq!(parse("1616337559000000"), Ok(ms));
        assert_eq!(parse("1616337559000000000"), Ok(ms));
        assert_eq!(parse("1616337559.5"), Ok(Some(1_616_337_559_500)));
        // The first and last days allowed.
        assert_eq!(parse("631152000"), Ok(Some(631_152_000_000)));
        let next_year = Utc::now().year() + 1;
        let last = NaiveDate::from_ymd_opt(next_year, 12, 31).unwrap();
        assert!(parse(&last.to_string()).unwrap().is_some());
    }

    #[test]
    fn dates_outside_1990_to_next_year_are_refused_with_their_year() {
        assert_eq!(parse("86400"), Err(DateError::OutOfRange(1970)));
        assert_eq!(
            parse("1989-12-31T23:59:59Z"),
            Err(DateError::OutOfRange(1989))
        );
        let too_late = Utc::now().year() + 2;
        assert_eq!(
            parse(&format!("{too_late}-01-01")),
            Err(DateError::OutOfRange(too_late))
        );
        // The largest number still read as seconds.
        assert_eq!(parse("99999999999"), Err(DateError::OutOfRange(5138)));
        let mut warnings = Vec::new();
        assert_eq!(field("99999999999", "line 7", &mut warnings), None);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("line 7: \"99999999999\" would be a date in the year 5138"),
            "{warnings:?}"
        );
    }
}
