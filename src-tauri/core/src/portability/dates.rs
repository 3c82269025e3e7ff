//! Dates as exports write them: Unix seconds (Pocket, Instapaper,
//! browsers), RFC 3339 (Omnivore), ISO 8601 with a `+0200` offset
//! (wallabag), `YYYY-MM-DD HH:MM:SS` (Readwise), `d/m/Y H:i:s` (wallabag CSV).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Unix ms of a date, `Ok(None)` for an empty field, `Err(())` for text
/// that is not a date (the caller reports it and uses the import's time).
#[allow(clippy::result_unit_err)]
pub fn parse(s: &str) -> Result<Option<i64>, ()> {
    let s = s.trim();
    if s.is_empty() || s == "0" || s.eq_ignore_ascii_case("null") {
        return Ok(None);
    }
    if let Ok(n) = s.parse::<f64>() {
        if !n.is_finite() || n < 0.0 {
            return Err(());
        }
        // Seconds, or already milliseconds (anything past the year 5138 in seconds).
        let ms = if n > 1e11 { n } else { n * 1000.0 };
        return if ms < 8.64e15 {
            Ok(Some(ms as i64))
        } else {
            Err(())
        };
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
    Err(())
}

/// Parses a date field of `item`, noting a warning when it is not a date.
pub fn field(s: &str, item: &str, warnings: &mut Vec<String>) -> Option<i64> {
    parse(s).unwrap_or_else(|()| {
        warnings.push(format!(
            "{item}: \"{}\" is not a date; the import's time was used",
            s.chars().take(40).collect::<String>()
        ));
        None
    })
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
        assert_eq!(parse("yesterday"), Err(()));
        assert_eq!(parse("-5"), Err(()));
        assert_eq!(parse("1e300"), Err(()));
        assert_eq!(parse("2023-13-45"), Err(()));
    }
}
