//! The time at the start of each log line, as `tracing-subscriber`'s `SystemTime` writes it
//! (RFC 3339 in UTC with microseconds: `2026-11-30T23:59:42.123456Z`), with the date and the
//! time of day worked out once per second rather than on every line.
//!
//! Working out the calendar date and formatting seven numbers was about a third of what
//! logging a call cost; calls come many to a second, and only the microseconds change.

use std::cell::Cell;
use std::fmt;
use std::time::{Duration, UNIX_EPOCH};

use tracing_subscriber::fmt::format::Writer;

use crate::engine::date::CivilDate;
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};

/// `9999-12-31T23:59:59Z`: later times (and times before 1970) are left to `SystemTime`,
/// which writes them with a sign.
const LAST_FOUR_DIGIT_SECOND: u64 = 253_402_300_799;

/// The log lines' clock (see the module doc).
#[derive(Debug, Default, Clone, Copy)]
pub struct LogTime;

impl FormatTime for LogTime {
    fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
        match std::time::SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(t) if t.as_secs() <= LAST_FOUR_DIGIT_SECOND => write_time(w, t),
            _ => SystemTime.format_time(w),
        }
    }
}

thread_local! {
    /// The last second written on this thread, and its `YYYY-MM-DDTHH:MM:SS`.
    static SECOND: Cell<(u64, [u8; 19])> = const { Cell::new((u64::MAX, [0; 19])) };
}

/// `t` (since the Unix epoch, at most [`LAST_FOUR_DIGIT_SECOND`]) as RFC 3339 with
/// microseconds.
fn write_time(w: &mut impl fmt::Write, t: Duration) -> fmt::Result {
    let secs = t.as_secs();
    let (cached, mut text) = SECOND.get();
    if cached != secs {
        text = date_and_time(secs);
        SECOND.set((secs, text));
    }
    let mut line = [0u8; 27];
    line[..19].copy_from_slice(&text);
    line[19] = b'.';
    digits(&mut line[20..26], t.subsec_micros());
    line[26] = b'Z';
    // Only ASCII digits and separators were written.
    w.write_str(std::str::from_utf8(&line).map_err(|_| fmt::Error)?)
}

/// `YYYY-MM-DDTHH:MM:SS` of a second since the epoch.
fn date_and_time(secs: u64) -> [u8; 19] {
    let date = CivilDate::from_unix_days((secs / 86_400) as i64);
    let (year, month, day) = (date.year as u32, u32::from(date.month), u32::from(date.day));
    let of_day = secs % 86_400;
    let mut out = *b"0000-00-00T00:00:00";
    digits(&mut out[0..4], year);
    digits(&mut out[5..7], month);
    digits(&mut out[8..10], day);
    digits(&mut out[11..13], (of_day / 3600) as u32);
    digits(&mut out[14..16], (of_day / 60 % 60) as u32);
    digits(&mut out[17..19], (of_day % 60) as u32);
    out
}

/// `n` in decimal, zero-padded to fill `out`.
fn digits(out: &mut [u8], mut n: u32) {
    for d in out.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64, micros: u32) -> String {
        let mut s = String::new();
        write_time(&mut s, Duration::new(secs, micros * 1000 + 999)).unwrap();
        s
    }

    /// Day by day from the epoch, the slow way.
    fn civil_by_counting(mut days: u64) -> (u32, u32, u32) {
        let leap =
            |y: u32| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
        let mut year = 1970;
        loop {
            let len = if leap(year) { 366 } else { 365 };
            if days < len {
                break;
            }
            days -= len;
            year += 1;
        }
        let months = [
            31,
            if leap(year) { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let mut month = 1;
        for len in months {
            if days < len {
                break;
            }
            days -= len;
            month += 1;
        }
        (year, month, days as u32 + 1)
    }

    #[test]
    fn writes_rfc_3339_with_microseconds() {
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.000005Z");
        assert_eq!(at(1_796_083_182, 123_456), "2026-11-30T23:59:42.123456Z");
        assert_eq!(at(4_107_542_399, 999_999), "2100-02-28T23:59:59.999999Z");
        assert_eq!(at(LAST_FOUR_DIGIT_SECOND, 1), "9999-12-31T23:59:59.000001Z");
        // The cached second is only reused for the same second.
        assert_eq!(at(0, 1), "1970-01-01T00:00:00.000001Z");
        assert_eq!(at(1, 1), "1970-01-01T00:00:01.000001Z");
    }

    #[test]
    fn reads_as_tracing_subscribers_clock_does() {
        // The two clocks read `now` a moment apart: retried if a second began in between.
        for _ in 0..5 {
            let (mut ours, mut theirs) = (String::new(), String::new());
            LogTime.format_time(&mut Writer::new(&mut ours)).unwrap();
            SystemTime
                .format_time(&mut Writer::new(&mut theirs))
                .unwrap();
            assert_eq!(ours.len(), theirs.len(), "{ours} {theirs}");
            if ours[..19] == theirs[..19] {
                assert_eq!(ours.as_bytes()[19..20], theirs.as_bytes()[19..20]);
                assert!(ours.ends_with('Z') && theirs.ends_with('Z'));
                return;
            }
        }
        panic!("the clocks never agreed on the second");
    }

    proptest::proptest! {
        #[test]
        fn dates_are_those_counting_days_gives(days in 0u64..2_932_897) {
            let d = CivilDate::from_unix_days(days as i64);
            proptest::prop_assert_eq!(
                (d.year as u32, u32::from(d.month), u32::from(d.day)),
                civil_by_counting(days)
            );
        }
    }
}
