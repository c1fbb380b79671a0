//! National check digits inside the BBAN.
//!
//! Mod-97 proves an IBAN was copied correctly; it cannot tell whether the account number
//! inside it was ever a valid one. Most banking communities define their own check digit
//! for that. Each rule here is written from its published national specification and tested
//! against the open implementations (schwifty for 23 prefixes and 44 Bundesbank methods,
//! ibantools for HR and HU).
//!
//! The result is tri-state: a rule can pass, fail, or not apply (no rule for the country, or a
//! German bank whose Bundesbank method is unknown or not implemented). Only a failure makes an
//! IBAN invalid.

/// The outcome of the national check for one BBAN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NationalCheck {
    Passed { rule: &'static str },
    Failed { rule: &'static str },
    NotCheckable { why: String },
}

impl NationalCheck {
    /// `passed` / `failed` / `not_checkable`, as the answer spells it.
    pub fn status(&self) -> &'static str {
        match self {
            Self::Passed { .. } => "passed",
            Self::Failed { .. } => "failed",
            Self::NotCheckable { .. } => "not_checkable",
        }
    }
}

/// The French territories use the French rule (their IBANs are French IBANs).
const FRENCH_RULE: &[&str] = &[
    "FR", "MC", "GF", "GP", "MQ", "RE", "PF", "TF", "YT", "NC", "PM", "WF", "BL", "MF",
];
/// ISO 7064 MOD 97-10 over the whole BBAN before the last two digits.
const MOD97_RULE: &[&str] = &["BA", "ME", "MK", "PT", "RS", "SI", "TL"];

/// Check the national digits of `bban` (already structurally valid for `country`).
/// `german_method` is the Bundesbank method of the bank code, from the bank directory.
pub fn check(country: &str, bban: &str, german_method: Option<&str>) -> NationalCheck {
    let b = bban.as_bytes();
    let verdict = |ok: Option<bool>, rule: &'static str| match ok {
        Some(true) => NationalCheck::Passed { rule },
        Some(false) => NationalCheck::Failed { rule },
        None => NationalCheck::NotCheckable {
            why: format!("the BBAN does not have the layout {rule} expects"),
        },
    };
    match country {
        "BE" => verdict(belgium(b), "Belgian account check (mod 97 of the first 10 digits)"),
        c if FRENCH_RULE.contains(&c) => verdict(france(b), "French RIB key (clé RIB)"),
        "IT" | "SM" => verdict(italy(b), "Italian CIN check character"),
        "ES" => verdict(spain(b), "Spanish CCC control digits (dígitos de control)"),
        c if MOD97_RULE.contains(&c) => verdict(mod97_10(b, 98), "national ISO 7064 MOD 97-10 check digits"),
        "MR" | "TN" => verdict(mod97_10(b, 97), "national MOD 97 check digits (97 − r)"),
        "NO" => verdict(norway(b), "Norwegian account check digit (MOD 11)"),
        "FI" => verdict(finland(b), "Finnish account check digit (Luhn)"),
        "EE" => verdict(estonia(b), "Estonian account check digit (7-3-1)"),
        "PL" => verdict(poland(b), "Polish bank-branch check digit (3-9-7-1)"),
        "CZ" | "SK" => verdict(czech_slovak(b), "Czech/Slovak account prefix and number (MOD 11)"),
        "IS" => verdict(iceland(b), "Icelandic kennitala check digit"),
        "HR" => verdict(croatia(b), "Croatian bank and account check digits (ISO 7064 MOD 11,10)"),
        "HU" => verdict(hungary(b), "Hungarian bank-branch and account check digits (9-7-3-1)"),
        "DE" => match german_method {
            Some(m) => match germany::validate(m, b) {
                Some(ok) => NationalCheck::from_bool(ok, germany::rule_name(m)),
                None => NationalCheck::NotCheckable {
                    why: format!("Bundesbank check-digit method {m} is not implemented"),
                },
            },
            None => NationalCheck::NotCheckable {
                why: "the bank code is not in the Bundesbank directory, so its check-digit method is unknown".into(),
            },
        },
        _ => NationalCheck::NotCheckable { why: format!("{country} defines no national check digits this engine verifies") },
    }
}

impl NationalCheck {
    fn from_bool(ok: bool, rule: &'static str) -> Self {
        if ok {
            Self::Passed { rule }
        } else {
            Self::Failed { rule }
        }
    }
}

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

fn digits(s: &[u8]) -> Option<Vec<u32>> {
    s.iter().map(|&b| digit(b)).collect()
}

/// Remainder mod `m` of a string read as a number, letters counting 10–35 (as in IBANs).
fn numerified_mod(s: &[u8], m: u64) -> Option<u64> {
    let mut r = 0u64;
    for &c in s {
        r = match c {
            b'0'..=b'9' => (r * 10 + u64::from(c - b'0')) % m,
            b'A'..=b'Z' => (r * 100 + u64::from(c - b'A' + 10)) % m,
            _ => return None,
        };
    }
    Some(r)
}

fn two_digits(s: &[u8]) -> Option<u64> {
    Some(u64::from(digit(*s.first()?)? * 10 + digit(*s.get(1)?)?))
}

fn belgium(b: &[u8]) -> Option<bool> {
    if b.len() != 12 {
        return None;
    }
    let r = numerified_mod(&b[..10], 97)?;
    Some(two_digits(&b[10..])? == if r == 0 { 97 } else { r })
}

fn france(b: &[u8]) -> Option<bool> {
    if b.len() != 23 {
        return None;
    }
    // Letters map to digits as the RIB specification says: A/J=1 … I/R=9, S=2 … Z=9.
    let rib = |s: &[u8]| -> Option<u64> {
        let mut r = 0u64;
        for &c in s {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'A'..=b'I' => c - b'A' + 1,
                b'J'..=b'R' => c - b'J' + 1,
                b'S'..=b'Z' => c - b'S' + 2,
                _ => return None,
            };
            r = (r * 10 + u64::from(d)) % 97;
        }
        Some(r)
    };
    let sum = (89 * rib(&b[..5])? + 15 * rib(&b[5..10])? + 3 * rib(&b[10..21])?) % 97;
    Some(two_digits(&b[21..])? == 97 - sum)
}

fn italy(b: &[u8]) -> Option<bool> {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    if b.len() != 23 {
        return None;
    }
    let mut sum = 0;
    for (i, &c) in b[1..].iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A'),
            _ => return None,
        };
        sum += if i % 2 == 1 { v } else { ODD[v as usize] };
    }
    Some(b[0] == b'A' + (sum % 26) as u8)
}

fn weighted(ds: &[u32], weights: &[u32]) -> u32 {
    ds.iter()
        .zip(weights.iter().cycle())
        .map(|(d, w)| d * w)
        .sum()
}

fn spain(b: &[u8]) -> Option<bool> {
    const W: [u32; 10] = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
    if b.len() != 20 {
        return None;
    }
    let fix = |n: u32| match n {
        11 => 0,
        10 => 1,
        n => n,
    };
    let d1 = fix(11 - weighted(&digits(&b[..8])?, &W[2..]) % 11);
    let d2 = fix(11 - weighted(&digits(&b[10..20])?, &W) % 11);
    Some(digit(b[8])? == d1 && digit(b[9])? == d2)
}

/// ISO 7064 MOD 97-10 over all but the last two characters; `minuend` 98 (the standard) or
/// 97 (Mauritania and Tunisia).
fn mod97_10(b: &[u8], minuend: u64) -> Option<bool> {
    let n = b.len().checked_sub(2)?;
    let r = numerified_mod(&b[..n], 97)? * 100 % 97;
    Some(two_digits(&b[n..])? == minuend - r)
}

fn norway(b: &[u8]) -> Option<bool> {
    const W: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    if b.len() != 11 {
        return None;
    }
    // Accounts with "00" in positions 5–6 are checked over the remaining digits only.
    let value = if &b[4..6] == b"00" {
        &b[6..10]
    } else {
        &b[..10]
    };
    let check = 11 - weighted(&digits(value)?, &W[..value.len().min(10)]) % 11;
    if check == 10 {
        return Some(false);
    }
    Some(digit(b[10])? == check % 11)
}

fn luhn(ds: &[u32]) -> u32 {
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let v = if i % 2 == 0 { 2 * d } else { d };
            v / 10 + v % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

fn finland(b: &[u8]) -> Option<bool> {
    if b.len() != 14 {
        return None;
    }
    Some(luhn(&digits(&b[..13])?) == digit(b[13])?)
}

fn estonia(b: &[u8]) -> Option<bool> {
    if b.len() != 16 {
        return None;
    }
    let mut ds = digits(&b[2..15])?;
    ds.reverse();
    let r = weighted(&ds, &[7, 3, 1]) % 10;
    Some(digit(b[15])? == if r == 0 { 0 } else { 10 - r })
}

fn poland(b: &[u8]) -> Option<bool> {
    if b.len() != 24 {
        return None;
    }
    let r = weighted(&digits(&b[..7])?, &[3, 9, 7, 1, 3, 9, 7]) % 10;
    Some(digit(b[7])? == if r == 0 { 0 } else { 10 - r })
}

fn czech_slovak(b: &[u8]) -> Option<bool> {
    const W: [u32; 10] = [6, 3, 7, 9, 10, 5, 8, 4, 2, 1];
    if b.len() != 20 {
        return None;
    }
    let prefix = weighted(&digits(&b[4..10])?, &W[4..]) % 11;
    let number = weighted(&digits(&b[10..20])?, &W) % 11;
    Some(prefix == 0 && number == 0)
}

fn iceland(b: &[u8]) -> Option<bool> {
    if b.len() != 22 {
        return None;
    }
    let id = digits(&b[12..22])?;
    let r = weighted(&id[..8], &[3, 2, 7, 6, 5, 4, 3, 2]) % 11;
    let check = if r == 0 { 0 } else { 11 - r };
    Some(check == id[8])
}

/// ISO 7064 MOD 11,10 (hybrid) check digit of `ds`.
fn mod11_10(ds: &[u32]) -> u32 {
    let mut nr = 10;
    for &d in ds {
        nr += d;
        if nr % 10 != 0 {
            nr %= 10;
        }
        nr = nr * 2 % 11;
    }
    if 11 - nr == 10 { 0 } else { 11 - nr }
}

fn croatia(b: &[u8]) -> Option<bool> {
    if b.len() != 17 {
        return None;
    }
    let bank = digits(&b[..7])?;
    let account = digits(&b[7..17])?;
    Some(mod11_10(&bank[..6]) == bank[6] && mod11_10(&account[..9]) == account[9])
}

fn hungary(b: &[u8]) -> Option<bool> {
    const W: [u32; 4] = [9, 7, 3, 1];
    if b.len() != 24 {
        return None;
    }
    let ds = digits(b)?;
    let check = |body: &[u32], control: u32| {
        let r = weighted(body, &W) % 10;
        control == if r == 0 { 0 } else { 10 - r }
    };
    if !check(&ds[..7], ds[7]) {
        return Some(false);
    }
    // A 16-digit account (the last 8 digits zero) has its check digit at position 16.
    Some(if b.ends_with(b"00000000") {
        check(&ds[8..15], ds[15])
    } else {
        check(&ds[8..23], ds[23])
    })
}

/// The Bundesbank's check-digit methods ("Prüfzifferberechnungsmethoden") for the 10-digit
/// German account number.
pub mod germany {
    /// Every method this engine implements.
    pub const METHODS: [&str; 44] = [
        "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "13", "14", "15",
        "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "28", "32", "33", "34",
        "38", "60", "61", "63", "68", "76", "88", "91", "95", "99", "A2", "A3", "C0", "C1",
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passes(country: &str, bban: &str) -> bool {
        matches!(check(country, bban, None), NationalCheck::Passed { .. })
    }

    fn fails(country: &str, bban: &str) -> bool {
        matches!(check(country, bban, None), NationalCheck::Failed { .. })
    }

    /// Known answers: registry example BBANs (valid) and a one-digit change (invalid).
    #[test]
    fn known_answers_per_country() {
        let cases = [
            ("BE", "539007547034", "539007547035"),
            ("FR", "20041010050500013M02606", "20041010050500013M02607"),
            ("MC", "11222000010123456789030", "11222000010123456789031"),
            ("IT", "X0542811101000000123456", "Y0542811101000000123456"),
            ("SM", "U0322509800000000270100", "V0322509800000000270100"),
            ("ES", "21000418450200051332", "21000418460200051332"),
            ("PT", "000201231234567890154", "000201231234567890155"),
            ("SI", "263300012039086", "263300012039087"),
            ("BA", "1290079401028494", "1290079401028495"),
            ("ME", "505000012345678951", "505000012345678952"),
            ("MK", "250120000058984", "250120000058985"),
            ("RS", "260005601001611379", "260005601001611378"),
            ("TL", "0080012345678910157", "0080012345678910158"),
            ("MR", "00020001010000123456753", "00020001010000123456754"),
            ("TN", "10006035183598478831", "10006035183598478832"),
            ("NO", "86011117947", "86011117948"),
            ("FI", "12345600000785", "12345600000786"),
            ("EE", "2200221020145685", "2200221020145686"),
            ("PL", "109010140000071219812874", "109010150000071219812874"),
            ("CZ", "08000000192000145399", "08000000192000145398"),
            ("SK", "12000000198742637541", "12000000198742637542"),
            ("IS", "0159260076545510730339", "0159260076545510740339"),
            ("HR", "10010051863000160", "10010051863000161"),
            ("HU", "117730161111101800000000", "117730161111101800000001"),
        ];
        for (country, good, bad) in cases {
            assert!(
                passes(country, good),
                "{country} {good}: {:?}",
                check(country, good, None)
            );
            assert!(
                fails(country, bad),
                "{country} {bad}: {:?}",
                check(country, bad, None)
            );
        }
    }

    #[test]
    fn other_countries_are_not_checkable() {
        assert_eq!(
            check("CH", "00762011623852957", None).status(),
            "not_checkable"
        );
        assert_eq!(
            check("DE", "370400440532013000", None).status(),
            "not_checkable"
        );
        assert_eq!(
            check("DE", "370400440532013000", Some("ZZ")).status(),
            "not_checkable"
        );
    }

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
                    germany::validate(method, bban.as_bytes()),
                    Some(true),
                    "method {method}, {acc}"
                );
            }
            for acc in *bad {
                let bban = format!("12345678{acc:0>10}");
                assert_eq!(
                    germany::validate(method, bban.as_bytes()),
                    Some(false),
                    "method {method}, {acc}"
                );
            }
        }
        assert_eq!(germany::validate("B1", b"123456780000000000"), None);
        assert_eq!(
            germany::METHODS
                .iter()
                .filter(|m| germany::validate(m, b"123456780000000000").is_some())
                .count(),
            44
        );
    }
}
