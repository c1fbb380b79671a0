//! The Bundesbank's check-digit methods ("Prüfzifferberechnungsmethoden") for the 10-digit
//! German account number.
//!
//! Its own file because it is the largest national rule by far (44 methods, each a weighted
//! sum with its own exceptions), and because it needs one fact from outside the BBAN: the
//! method the Bundesbank assigns to the bank code. The caller looks that up in the bank
//! directory and passes it in; nothing here reads the directory.

/// Every method this engine implements.
pub const METHODS: [&str; 44] = [
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "13", "14", "15", "16",
    "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "28", "32", "33", "34", "38", "60",
    "61", "63", "68", "76", "88", "91", "95", "99", "A2", "A3", "C0", "C1",
];

pub fn rule_name(method: &str) -> &'static str {
    METHODS
        .iter()
        .position(|m| *m == method)
        .map(|i| NAMES[i])
        .unwrap_or("Bundesbank check-digit method")
}

const NAMES: [&str; 44] = [
    "Bundesbank method 00",
    "Bundesbank method 01",
    "Bundesbank method 02",
    "Bundesbank method 03",
    "Bundesbank method 04",
    "Bundesbank method 05",
    "Bundesbank method 06",
    "Bundesbank method 07",
    "Bundesbank method 08",
    "Bundesbank method 09",
    "Bundesbank method 10",
    "Bundesbank method 11",
    "Bundesbank method 13",
    "Bundesbank method 14",
    "Bundesbank method 15",
    "Bundesbank method 16",
    "Bundesbank method 17",
    "Bundesbank method 18",
    "Bundesbank method 19",
    "Bundesbank method 20",
    "Bundesbank method 21",
    "Bundesbank method 22",
    "Bundesbank method 23",
    "Bundesbank method 24",
    "Bundesbank method 25",
    "Bundesbank method 26",
    "Bundesbank method 28",
    "Bundesbank method 32",
    "Bundesbank method 33",
    "Bundesbank method 34",
    "Bundesbank method 38",
    "Bundesbank method 60",
    "Bundesbank method 61",
    "Bundesbank method 63",
    "Bundesbank method 68",
    "Bundesbank method 76",
    "Bundesbank method 88",
    "Bundesbank method 91",
    "Bundesbank method 95",
    "Bundesbank method 99",
    "Bundesbank method A2",
    "Bundesbank method A3",
    "Bundesbank method C0",
    "Bundesbank method C1",
];

#[derive(Clone, Copy)]
enum Summand {
    Product,
    DigitSum,
    Mod10,
    PlusWeightMod11,
}

#[derive(Clone, Copy)]
enum Fix {
    /// A result of 10 or more becomes 0.
    TenIsZero,
    /// Remainder 0 gives 0; remainder 1 makes the account invalid.
    Strict,
    /// A result of 10 becomes 9.
    TenIsNine,
}

/// One weighted-modulus method: digits `start..=end` (1-based, as the Bundesbank counts),
/// read right to left unless `forward`, against `weights` (repeated).
#[derive(Clone, Copy)]
struct Weighted {
    modulus: i64,
    minuend: Option<i64>,
    start: usize,
    end: usize,
    check: usize,
    forward: bool,
    weights: &'static [i64],
    summand: Summand,
    fix: Fix,
    sum_offset: i64,
    repeated_digit_sum: bool,
}

const fn mod10(start: usize, end: usize, check: usize, weights: &'static [i64]) -> Weighted {
    Weighted {
        modulus: 10,
        minuend: Some(10),
        start,
        end,
        check,
        forward: false,
        weights,
        summand: Summand::Product,
        fix: Fix::TenIsZero,
        sum_offset: 0,
        repeated_digit_sum: false,
    }
}

const fn mod11(start: usize, end: usize, check: usize, weights: &'static [i64]) -> Weighted {
    Weighted {
        modulus: 11,
        minuend: Some(11),
        ..mod10(start, end, check, weights)
    }
}

const fn with_summand(mut w: Weighted, s: Summand) -> Weighted {
    w.summand = s;
    w
}

const fn with_fix(mut w: Weighted, f: Fix) -> Weighted {
    w.fix = f;
    w
}

const fn digit_sum(n: i64) -> i64 {
    let mut n = n;
    let mut s = 0;
    while n > 0 {
        s += n % 10;
        n /= 10;
    }
    s
}

const M00: Weighted = with_summand(mod10(1, 9, 10, &[2, 1]), Summand::DigitSum);
const M01: Weighted = mod10(1, 9, 10, &[3, 7, 1]);
const M02: Weighted = with_fix(mod11(1, 9, 10, &[2, 3, 4, 5, 6, 7, 8, 9]), Fix::Strict);
const M03: Weighted = mod10(1, 9, 10, &[2, 1]);
const M04: Weighted = with_fix(mod11(1, 9, 10, &[2, 3, 4, 5, 6, 7]), Fix::Strict);
const M05: Weighted = mod10(1, 9, 10, &[7, 3, 1]);
const M06: Weighted = mod11(1, 9, 10, &[2, 3, 4, 5, 6, 7]);
const M07: Weighted = with_fix(mod11(1, 9, 10, &[2, 3, 4, 5, 6, 7, 8, 9, 10]), Fix::Strict);
const M10: Weighted = mod11(1, 9, 10, &[2, 3, 4, 5, 6, 7, 8, 9, 10]);
const M11: Weighted = with_fix(M10, Fix::TenIsNine);
const M13: Weighted = with_summand(mod10(2, 7, 8, &[2, 1]), Summand::DigitSum);
const M14: Weighted = with_fix(mod11(4, 9, 10, &[2, 3, 4, 5, 6, 7]), Fix::Strict);
const M15: Weighted = mod11(6, 9, 10, &[2, 3, 4, 5]);
const M16: Weighted = mod11(1, 9, 10, &[2, 3, 4, 5, 6, 7]);
const M17: Weighted = Weighted {
    minuend: Some(10),
    forward: true,
    summand: Summand::DigitSum,
    sum_offset: -1,
    ..mod11(2, 7, 8, &[1, 2])
};
const M18: Weighted = mod10(1, 9, 10, &[3, 9, 7, 1]);
const M19: Weighted = mod11(1, 9, 10, &[2, 3, 4, 5, 6, 7, 8, 9, 1]);
const M20: Weighted = mod11(1, 9, 10, &[2, 3, 4, 5, 6, 7, 8, 9, 3]);
const M21: Weighted = Weighted {
    repeated_digit_sum: true,
    ..M00
};
const M22: Weighted = with_summand(mod10(1, 9, 10, &[3, 1]), Summand::Mod10);
const M23: Weighted = mod11(1, 6, 7, &[2, 3, 4, 5, 6, 7]);
const M24: Weighted = Weighted {
    minuend: None,
    forward: true,
    summand: Summand::PlusWeightMod11,
    ..mod10(1, 9, 10, &[1, 2, 3])
};
const M25: Weighted = mod11(2, 9, 10, &[2, 3, 4, 5, 6, 7, 8, 9]);
const M26: Weighted = mod11(1, 7, 8, &[2, 3, 4, 5, 6, 7]);
const M28: Weighted = mod11(1, 7, 8, &[2, 3, 4, 5, 6, 7, 8]);
const M32: Weighted = mod11(4, 9, 10, &[2, 3, 4, 5, 6, 7]);
const M33: Weighted = mod11(5, 9, 10, &[2, 3, 4, 5, 6]);
const M34: Weighted = mod11(1, 7, 8, &[2, 4, 8, 5, 10, 9, 7]);
const M38: Weighted = mod11(4, 9, 10, &[2, 4, 8, 5, 10, 9]);
const M60: Weighted = with_summand(mod10(3, 9, 10, &[2, 1]), Summand::DigitSum);
const M61: Weighted = with_summand(mod10(1, 7, 8, &[2, 1]), Summand::DigitSum);
const M63: Weighted = with_summand(mod10(2, 7, 8, &[2, 1]), Summand::DigitSum);
const M68: Weighted = M00;
const M76: Weighted = Weighted {
    minuend: None,
    ..mod11(2, 7, 8, &[2, 3, 4, 5, 6, 7, 8])
};
const M88: Weighted = mod11(4, 9, 10, &[2, 3, 4, 5, 6, 7, 8]);
const M91_1: Weighted = mod11(1, 6, 7, &[2, 3, 4, 5, 6, 7]);
const M91_2: Weighted = mod11(1, 6, 7, &[7, 6, 5, 4, 3, 2]);
const M91_3: Weighted = mod11(1, 10, 7, &[2, 3, 4, 0, 5, 6, 7, 8, 9, 10]);
const M91_4: Weighted = mod11(1, 6, 7, &[2, 4, 8, 5, 10, 9]);
const C1_2: Weighted = Weighted {
    start: 1,
    end: 9,
    check: 10,
    ..M17
};
const ESER_WEIGHTS: [i64; 12] = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1, 2, 4];

/// Per-method adjustments of the digits a weighted method reads.
#[derive(Clone, Copy)]
enum Digits {
    Plain,
    /// Method 24: skip a leading 3–6 (one digit) or 9 (three digits), then leading zeros.
    M24,
    /// Method 61: a sub-account type 8 adds positions 9–10.
    M61,
    /// Method 68: ten significant digits need a 9 in position 4.
    M68,
    /// Method 76: trailing zeros of the reversed digits do not count.
    M76,
}

/// The check digit the method computes for `account` (10 digits), `None` when the
/// method declares the account invalid whatever its check digit.
fn compute(w: &Weighted, account: &[i64; 10], adjust: Digits) -> Option<i64> {
    let mut ds: Vec<i64> = account[w.start - 1..w.end].to_vec();
    if !w.forward {
        ds.reverse();
    }
    match adjust {
        Digits::Plain => {}
        Digits::M24 => {
            let skip = match ds.first() {
                Some(3..=6) => 1,
                Some(9) => 3,
                _ => 0,
            };
            ds.drain(..skip.min(ds.len()));
            let zeros = ds.iter().take_while(|&&d| d == 0).count();
            ds.drain(..zeros);
        }
        Digits::M61 => {
            if account[8] == 8 {
                let mut extra = vec![account[9], account[8]];
                extra.extend(ds);
                ds = extra;
            }
        }
        Digits::M68 => {
            while ds.last() == Some(&0) {
                ds.pop();
            }
            if ds.len() == 9 {
                if ds[5] != 9 {
                    return None;
                }
                ds.truncate(6);
            }
        }
        Digits::M76 => {
            while ds.last() == Some(&0) {
                ds.pop();
            }
        }
    }
    let mut sum: i64 = ds
        .iter()
        .zip(w.weights.iter().cycle())
        .map(|(&d, &wt)| match w.summand {
            Summand::Product => d * wt,
            Summand::DigitSum => digit_sum(d * wt),
            Summand::Mod10 => d * wt % 10,
            Summand::PlusWeightMod11 => (d * wt + wt) % 11,
        })
        .sum();
    sum += w.sum_offset;
    let remainder = if w.repeated_digit_sum {
        let mut n = sum;
        while n >= 10 {
            n = digit_sum(n);
        }
        n
    } else {
        sum.rem_euclid(w.modulus)
    };
    let check = w.minuend.map_or(remainder, |m| m - remainder);
    match w.fix {
        Fix::TenIsZero => Some(if check >= 10 { 0 } else { check }),
        Fix::Strict => match remainder {
            0 => Some(0),
            1 => None,
            _ => Some(check),
        },
        Fix::TenIsNine => Some(if check == 10 {
            9
        } else if check >= 10 {
            0
        } else {
            check
        }),
    }
}

fn plain(w: &Weighted, a: &[i64; 10]) -> bool {
    compute(w, a, Digits::Plain) == Some(a[w.check - 1])
}

fn number(a: &[i64; 10]) -> i64 {
    a.iter().fold(0, |n, d| n * 10 + d)
}

fn shifted(a: &[i64; 10]) -> [i64; 10] {
    // "00" sub-account omitted: the account moves two places left, zeros appended.
    let mut s = [0; 10];
    s[..8].copy_from_slice(&a[2..]);
    s
}

/// Validate a 10-digit German account number (the BBAN's last 10 characters; the bank
/// code is the first 8) with `method`. `None` when the method is not implemented.
pub fn validate(method: &str, bban: &[u8]) -> Option<bool> {
    if bban.len() != 18 || !bban.iter().all(u8::is_ascii_digit) {
        return Some(false);
    }
    let mut a = [0i64; 10];
    for (i, &c) in bban[8..].iter().enumerate() {
        a[i] = i64::from(c - b'0');
    }
    let bank = &bban[..8];
    let ok = match method {
        "00" => plain(&M00, &a),
        "01" => plain(&M01, &a),
        "02" => plain(&M02, &a),
        "03" => plain(&M03, &a),
        "04" => plain(&M04, &a),
        "05" => plain(&M05, &a),
        "06" => plain(&M06, &a),
        "07" => plain(&M07, &a),
        "08" => number(&a) < 60_000 || plain(&M00, &a),
        "09" => true,
        "10" => plain(&M10, &a),
        "11" => plain(&M11, &a),
        "13" => plain(&M13, &a),
        "14" => plain(&M14, &a),
        "15" => plain(&M15, &a),
        "16" | "23" => {
            let w = if method == "16" { &M16 } else { &M23 };
            let ds: i64 = {
                // Remainder 1 with equal digits 9 and 10 is accepted.
                let mut v: Vec<i64> = a[w.start - 1..w.end].to_vec();
                v.reverse();
                v.iter()
                    .zip(w.weights.iter().cycle())
                    .map(|(d, wt)| d * wt)
                    .sum::<i64>()
                    % 11
            };
            (ds == 1 && a[8] == a[9]) || plain(w, &a)
        }
        "17" => plain(&M17, &a),
        "18" => plain(&M18, &a),
        "19" => plain(&M19, &a),
        "20" => plain(&M20, &a),
        "21" => plain(&M21, &a),
        "22" => plain(&M22, &a),
        "24" => compute(&M24, &a, Digits::M24) == Some(a[9]),
        "25" => {
            let mut v: Vec<i64> = a[1..9].to_vec();
            v.reverse();
            let r = v
                .iter()
                .zip(M25.weights.iter().cycle())
                .map(|(d, w)| d * w)
                .sum::<i64>()
                % 11;
            (r != 1 || matches!(a[1], 8 | 9)) && plain(&M25, &a)
        }
        "26" => {
            let adj = if a[0] == 0 && a[1] == 0 {
                shifted(&a)
            } else {
                a
            };
            plain(&M26, &adj)
        }
        "28" => plain(&M28, &a),
        "32" => plain(&M32, &a),
        "33" => plain(&M33, &a),
        "34" => plain(&M34, &a),
        "38" => plain(&M38, &a),
        "60" => plain(&M60, &a),
        "61" => compute(&M61, &a, Digits::M61) == Some(a[7]),
        "63" => {
            a[0] == 0 && (plain(&M63, &a) || (a[..3] == [0, 0, 0] && plain(&M63, &shifted(&a))))
        }
        "68" => {
            // Accounts 400000000–499999999 carry no check digit; a failed check is
            // retried with positions 3 and 4 (7 and 8 counted from the right) zeroed.
            let mut without_3_4 = a;
            without_3_4[2] = 0;
            without_3_4[3] = 0;
            (400_000_000..=499_999_999).contains(&number(&a))
                || compute(&M68, &a, Digits::M68) == Some(a[9])
                || compute(&M68, &without_3_4, Digits::M68) == Some(a[9])
        }
        "76" => {
            let lead_ok = |d: i64| matches!(d, 0 | 4 | 6 | 7 | 8 | 9);
            lead_ok(a[0])
                && (compute(&M76, &a, Digits::M76) == Some(a[7])
                    || (a[0] == 0 && a[1] == 0 && lead_ok(a[2]) && {
                        let s = shifted(&a);
                        compute(&M76, &s, Digits::M76) == Some(s[7])
                    }))
        }
        "88" => {
            let w = if a[2] == 9 {
                Weighted { start: 3, ..M88 }
            } else {
                M88
            };
            plain(&w, &a)
        }
        "91" => [M91_1, M91_2, M91_3, M91_4].iter().any(|w| plain(w, &a)),
        "95" => {
            let n = number(&a);
            (1..=1_999_999).contains(&n)
                || (9_000_000..=25_999_999).contains(&n)
                || (396_000_000..=499_999_999).contains(&n)
                || (700_000_000..=799_999_999).contains(&n)
                || (910_000_000..=989_999_999).contains(&n)
                || plain(&M06, &a)
        }
        "99" => (396_000_000..=499_999_999).contains(&number(&a)) || plain(&M06, &a),
        "A2" => plain(&M00, &a) || plain(&M04, &a),
        "A3" => plain(&M00, &a) || plain(&M10, &a),
        "C1" => plain(if a[0] == 5 { &C1_2 } else { &M17 }, &a),
        "C0" => {
            (a[0] == 0 && a[1] == 0 && a[2] != 0 && eser52(bank, &a) == Some(a[3]))
                || plain(&M20, &a)
        }
        _ => return None,
    };
    Some(ok)
}

/// Method 52's check digit for a former ESER account (method C0, variant 1).
fn eser52(bank: &[u8], a: &[i64; 10]) -> Option<i64> {
    let tail: Vec<i64> = a[4..].iter().copied().skip_while(|&d| d == 0).collect();
    let mut ds: Vec<i64> = bank[4..8].iter().map(|&c| i64::from(c - b'0')).collect();
    ds.push(a[2]);
    ds.push(0);
    ds.extend(&tail);
    let remainder = ds
        .iter()
        .rev()
        .zip(ESER_WEIGHTS.iter())
        .map(|(d, w)| d * w)
        .sum::<i64>()
        % 11;
    let weight = *ESER_WEIGHTS.get(tail.len())?;
    (0..10).find(|c| (remainder + c * weight) % 11 == 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bundesbank test account numbers from the method descriptions (valid / invalid).
    #[test]
    fn german_methods() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "00",
                &["9290701", "539290858", "1501824", "1501832"],
                &["9290702"],
            ),
            ("01", &["1234567899", "0012345605"], &["1123456789"]),
            ("06", &["94012341", "5073321010"], &["94012342"]),
            ("10", &["12345008", "87654008"], &["12345009"]),
            ("13", &["0606240000", "0012345500"], &["1000606245"]),
            ("17", &["0446786040"], &["0046786040"]),
            (
                "24",
                &["138301", "1306118605", "3307118608", "9307118603"],
                &["138302"],
            ),
            ("61", &["2063099200", "0260760481"], &["0063099200"]),
            ("63", &["123456600", "1234566"], &["123456700"]),
            (
                "68",
                &[
                    "8889654328",
                    "987654324",
                    "987654328",
                    "400000000",
                    "499999999",
                ],
                &["8889654329"],
            ),
            (
                "76",
                &["0006543200", "9012345600", "7876543100"],
                &["1006543200"],
            ),
            (
                "88",
                &["2525259", "1000500", "90013000", "92525253", "99913003"],
                &["2525258"],
            ),
            (
                "91",
                &[
                    "2974118000",
                    "5281741000",
                    "9952810000",
                    "2974117000",
                    "5281770000",
                    "9952812000",
                    "8840019000",
                    "8840050000",
                    "8840087000",
                    "8840045000",
                    "8840012000",
                    "8840055000",
                    "8840080000",
                ],
                &["8840017000"],
            ),
            (
                "95",
                &["0068007003", "0847321750", "0010304105"],
                &["0068007004"],
            ),
            (
                "C1",
                &["0446786040", "0478046940", "5432112349"],
                &["0046786040"],
            ),
        ];
        for (method, good, bad) in cases {
            for acc in *good {
                let bban = format!("12345678{acc:0>10}");
                assert_eq!(
                    validate(method, bban.as_bytes()),
                    Some(true),
                    "method {method}, {acc}"
                );
            }
            for acc in *bad {
                let bban = format!("12345678{acc:0>10}");
                assert_eq!(
                    validate(method, bban.as_bytes()),
                    Some(false),
                    "method {method}, {acc}"
                );
            }
        }
        assert_eq!(validate("B1", b"123456780000000000"), None);
        assert_eq!(
            METHODS
                .iter()
                .filter(|m| validate(m, b"123456780000000000").is_some())
                .count(),
            44
        );
    }
}
