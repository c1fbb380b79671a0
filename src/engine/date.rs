//! Calendar dates and UTC timestamps, worked out from day and second counts: the one place
//! that turns a count since 1970-01-01 into a date (the compliance lists' ages, the cache's
//! `fetched_at`, the log lines' clock). Pure: callers pass the time in; nothing here reads
//! a clock.

use std::fmt;
use std::time::SystemTime;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl CivilDate {
    /// The day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_unix_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// An `as_of` stamp: `YYYY-MM-DD`, or `YYYY-MM` (read as the first of the month).
    pub fn parse_as_of(s: &str) -> Option<Self> {
        let mut parts = s.trim().split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = match parts.next() {
            Some(d) => d.parse().ok()?,
            None => 1,
        };
        let valid = parts.next().is_none()
            && (1..=12).contains(&month)
            && (1..=31).contains(&day)
            && (1000..=9999).contains(&year);
        valid.then_some(Self { year, month, day })
    }

    /// The first day of the month `months` after this one's.
    pub fn first_of_month_after(self, months: u32) -> Self {
        let index = self.year as i64 * 12 + i64::from(self.month - 1) + i64::from(months);
        Self {
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u8 + 1,
            day: 1,
        }
    }

    /// "June 2026".
    pub fn month_and_year(self) -> String {
        format!("{} {}", MONTH_NAMES[usize::from(self.month - 1)], self.year)
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An `as_of` stamp in words: `2026-06` → "June 2026", `2025-12-04` → "4 December 2025";
/// anything else as given.
pub fn as_of_in_words(as_of: &str) -> String {
    match CivilDate::parse_as_of(as_of) {
        Some(d) if as_of.trim().len() <= 7 => d.month_and_year(),
        Some(d) => format!("{} {}", d.day, d.month_and_year()),
        None => as_of.to_string(),
    }
}

/// `2026-11-30T14:05:09Z`: RFC 3339 in UTC, whole seconds (times before 1970 read as the
/// epoch).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        CivilDate::from_unix_days(days as i64),
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn civil_dates_from_the_unix_epoch() {
        assert_eq!(CivilDate::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(CivilDate::from_unix_days(-1).to_string(), "1969-12-31");
        assert_eq!(CivilDate::from_unix_days(11_016).to_string(), "2000-02-29");
        assert_eq!(CivilDate::from_unix_days(20_787).to_string(), "2026-11-30");
    }

    #[test]
    fn timestamps_in_rfc3339() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t =
            SystemTime::UNIX_EPOCH + Duration::from_secs(20_787 * 86_400 + 14 * 3600 + 5 * 60 + 9);
        assert_eq!(rfc3339(t), "2026-11-30T14:05:09Z");
    }

    #[test]
    fn as_of_stamps_in_words() {
        assert_eq!(as_of_in_words("2026-06"), "June 2026");
        assert_eq!(as_of_in_words("2025-12-04"), "4 December 2025");
        assert_eq!(as_of_in_words("last spring"), "last spring");
    }
}
