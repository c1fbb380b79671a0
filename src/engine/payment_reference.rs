//! Payment references printed on invoices, and whether one belongs with an IBAN.
//!
//! An agent paying an invoice copies two things: the account and the reference. Every
//! reference scheme here is fully defined by a published rule (a check digit computed over
//! the digits, a fixed length, a prefix), so the engine can decide them completely offline:
//!
//! - `rf`: ISO 11649 structured creditor reference (`RF` + two ISO 7064 MOD 97-10 check
//!   digits + up to 21 letters/digits); the Swiss QR-bill's `SCOR`.
//! - `ch_qrr`: Swiss QR reference, 27 digits, the last one MOD 10 recursive (Swiss
//!   Implementation Guidelines QR-bill, annex B; the former ISR reference).
//! - `be_ogm`: Belgian structured communication (OGM/VCS, Febelfin), 10 digits + their
//!   remainder modulo 97 (0 written as 97), printed `+++123/4567/89002+++`.
//! - `fi_ref`: Finnish national reference (Finance Finland), 4–20 digits, check digit with
//!   weights 7, 3, 1 from the right.
//! - `no_kid`: Norwegian KID (Nets / Mastercard Payment Services OCR giro), 2–25 digits,
//!   MOD10 (Luhn) or MOD11 (weights 2–7, `-` for 10) — which one the creditor's agreement
//!   says, so both are reported.
//! - `se_ocr`: Swedish OCR reference (Bankgirot), 2–25 digits, Luhn check digit, optionally
//!   with a length digit before it — again the creditor's agreement decides.
//!
//! Where the digits alone cannot decide (KID MOD10 vs MOD11, OCR with or without a length
//! digit) the verdict is `None` and every variant is listed with whether it passes.

use std::fmt;

use super::iban::IbanCheck;
use super::mod97;

/// A reference scheme this engine can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Rf,
    ChQrr,
    BeOgm,
    FiRef,
    NoKid,
    SeOcr,
}

impl Scheme {
    /// Every scheme, in the order an all-digit reference is tried when none is named.
    pub const ALL: [Scheme; 6] = [
        Self::Rf,
        Self::ChQrr,
        Self::BeOgm,
        Self::FiRef,
        Self::NoKid,
        Self::SeOcr,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Rf => "rf",
            Self::ChQrr => "ch_qrr",
            Self::BeOgm => "be_ogm",
            Self::FiRef => "fi_ref",
            Self::NoKid => "no_kid",
            Self::SeOcr => "se_ocr",
        }
    }

    /// The scheme a name (or a common alias: `scor`, `qrr`, `ogm`, `kid`, `ocr`) stands for.
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .or(match name.as_str() {
                "scor" | "iso11649" => Some(Self::Rf),
                "qrr" | "esr" => Some(Self::ChQrr),
                "ogm" | "vcs" => Some(Self::BeOgm),
                "kid" => Some(Self::NoKid),
                "ocr" => Some(Self::SeOcr),
                _ => None,
            })
    }

    /// What it is, in words.
    pub fn title(self) -> &'static str {
        match self {
            Self::Rf => "ISO 11649 creditor reference",
            Self::ChQrr => "Swiss QR reference",
            Self::BeOgm => "Belgian structured communication",
            Self::FiRef => "Finnish reference",
            Self::NoKid => "Norwegian KID",
            Self::SeOcr => "Swedish OCR reference",
        }
    }

    /// The country whose accounts a national scheme is for (`None`: international).
    pub fn country(self) -> Option<&'static str> {
        match self {
            Self::Rf => None,
            Self::ChQrr => Some("CH"),
            Self::BeOgm => Some("BE"),
            Self::FiRef => Some("FI"),
            Self::NoKid => Some("NO"),
            Self::SeOcr => Some("SE"),
        }
    }

    /// The version of the rules checked, for `provenance.data_as_of`.
    pub const STANDARDS: &'static str = "ISO 11649:2009; Swiss IG QR-bill v2.3; Febelfin OGM/VCS; \
        Finance Finland reference; Nets KID; Bankgirot OCR";
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a reference is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceError {
    /// A character the scheme does not allow, or the wrong prefix.
    InvalidFormat,
    InvalidLength,
    ChecksumFailed,
    /// No scheme matches (letters without `RF`, or digits that pass no scheme's rule).
    UnknownScheme,
}

impl ReferenceError {
    pub fn code(self) -> &'static str {
        match self {
            Self::InvalidFormat => "invalid_format",
            Self::InvalidLength => "invalid_length",
            Self::ChecksumFailed => "checksum_failed",
            Self::UnknownScheme => "unknown_scheme",
        }
    }
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One way a creditor may have set up a scheme whose digits alone do not decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// KID with a MOD10 (Luhn) check digit.
    KidMod10,
    /// KID with a MOD11 check digit (`-` for 10).
    KidMod11,
    /// OCR with a Luhn check digit only.
    OcrLuhn,
    /// OCR with a Luhn check digit and, before it, the length digit (length modulo 10).
    OcrLengthDigit,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Self::KidMod10 => "mod10",
            Self::KidMod11 => "mod11",
            Self::OcrLuhn => "luhn",
            Self::OcrLengthDigit => "luhn_length_digit",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether one variant's rule passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantCheck {
    pub variant: Variant,
    pub passes: bool,
}

/// One scheme's verdict on a compact reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeCheck {
    pub scheme: Scheme,
    /// `None`: passes under some of the creditor's possible settings, see `variants`.
    pub valid: Option<bool>,
    pub error: Option<(ReferenceError, String)>,
    pub check_digits: Option<String>,
    pub formatted: Option<String>,
    pub variants: Vec<VariantCheck>,
}

impl SchemeCheck {
    /// Valid, or valid under at least one of the creditor's possible settings.
    pub fn passes(&self) -> bool {
        self.valid != Some(false)
    }

    /// The verdict of a scheme with one check: valid when `ok`, else `checksum_failed` with
    /// the detail `why` gives.
    fn checked(
        scheme: Scheme,
        ok: bool,
        why: impl FnOnce() -> String,
        check_digits: String,
        formatted: String,
    ) -> Self {
        Self {
            scheme,
            valid: Some(ok),
            error: (!ok).then(|| (ReferenceError::ChecksumFailed, why())),
            check_digits: Some(check_digits),
            formatted: Some(formatted),
            variants: Vec::new(),
        }
    }

    fn fail(scheme: Scheme, error: ReferenceError, detail: String) -> Self {
        Self {
            scheme,
            valid: Some(false),
            error: Some((error, detail)),
            check_digits: None,
            formatted: None,
            variants: Vec::new(),
        }
    }
}

/// Everything learned about one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceCheck {
    /// The compact, upper-case form checked.
    pub reference: String,
    /// The scheme named, or the one detected; `None` when nothing matches.
    pub scheme: Option<Scheme>,
    pub valid: Option<bool>,
    pub error: Option<(ReferenceError, String)>,
    pub check_digits: Option<String>,
    pub formatted: Option<String>,
    pub variants: Vec<VariantCheck>,
    /// Other schemes the same characters pass.
    pub also_valid_as: Vec<Scheme>,
}

/// Characters people put inside a reference: spaces, `+` and `/` (Belgian `+++…+++`),
/// `*`, dots and hyphens. A final `-` is kept: it is a KID MOD11 check digit.
fn is_separator(ch: char) -> bool {
    ch.is_whitespace() || matches!(ch, '+' | '/' | '*' | '.' | '-' | '\u{200B}' | '\u{FEFF}')
}

/// The compact form: separators removed (a trailing `-` kept), ASCII upper case.
pub fn compact(input: &str) -> String {
    let trimmed = input.trim_end_matches(|c: char| c.is_whitespace() || c == '+' || c == '*');
    let keep_dash = trimmed.ends_with('-');
    let mut out: String = trimmed
        .chars()
        .filter(|&c| !is_separator(c))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if keep_dash {
        out.push('-');
    }
    out
}

/// Whether the input is written the Belgian way (`+++…+++`, `***…***` or `123/4567/89002`).
fn looks_belgian(input: &str) -> bool {
    let t = input.trim();
    if t.starts_with("+++") || t.starts_with("***") {
        return true;
    }
    let parts: Vec<&str> = t.split('/').map(str::trim).collect();
    parts.len() == 3
        && [3, 4, 5]
            .iter()
            .zip(&parts)
            .all(|(&n, p)| p.len() == n && p.bytes().all(|b| b.is_ascii_digit()))
}

fn digits(s: &str) -> Option<Vec<u8>> {
    s.bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}

/// Groups of `n` characters from the left, separated by spaces.
fn groups_from_left(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(n)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Groups of `n` characters from the right (the first group may be shorter).
fn groups_from_right(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let head = chars.len() % n;
    let mut parts = Vec::new();
    if head > 0 {
        parts.push(chars[..head].iter().collect::<String>());
    }
    parts.extend(
        chars[head..]
            .chunks(n)
            .map(|c| c.iter().collect::<String>()),
    );
    parts.join(" ")
}

/// ISO 11649 check digits for the body after `RF..` (`None` on a character outside A–Z 0–9).
pub fn rf_check_digits(body: &str) -> Option<String> {
    let mut chars = body.as_bytes().to_vec();
    chars.extend_from_slice(b"RF00");
    let r = mod97::remainder(&chars)?;
    Some(format!("{:02}", 98 - u32::from(r)))
}

/// The MOD 10 recursive check digit (Swiss QR/ISR reference) of `digits`.
pub fn mod10_recursive(digits: &[u8]) -> u8 {
    const TABLE: [u8; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    let carry = digits
        .iter()
        .fold(0u8, |c, &d| TABLE[usize::from((c + d) % 10)]);
    (10 - carry) % 10
}

/// The Luhn (MOD10) check digit of `digits`: weights 2, 1 from the right, digit sums.
pub fn luhn_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let v = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The KID MOD11 check character of `digits`: weights 2–7 from the right; 11 → `0`,
/// 10 → `-`.
pub fn kid_mod11_check(digits: &[u8]) -> char {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * (2 + (i % 6) as u32))
        .sum();
    match 11 - sum % 11 {
        11 => '0',
        10 => '-',
        c => char::from(b'0' + c as u8),
    }
}

/// The Finnish reference check digit of the base: weights 7, 3, 1 from the right.
pub fn fi_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .zip([7u32, 3, 1].iter().cycle())
        .map(|(&d, &w)| u32::from(d) * w)
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The Belgian OGM check number of the first ten digits: remainder mod 97, 0 → 97.
pub fn ogm_check(base: &[u8]) -> u8 {
    let r = base.iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d)) % 97;
    if r == 0 { 97 } else { r as u8 }
}

fn digit_char(d: u8) -> char {
    char::from(b'0' + d)
}

fn check_rf(r: &str) -> SchemeCheck {
    let s = Scheme::Rf;
    if !r.starts_with("RF") {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidFormat,
            "an ISO 11649 reference starts with RF".into(),
        );
    }
    if !(5..=25).contains(&r.len()) {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidLength,
            format!(
                "an RF reference has 5 to 25 characters (RF, 2 check digits, 1 to 21 letters or digits); this one has {}",
                r.chars().count()
            ),
        );
    }
    let b = r.as_bytes();
    if !b[2..4].iter().all(u8::is_ascii_digit)
        || !b[4..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidFormat,
            "after RF come two check digits and then only letters A-Z and digits".into(),
        );
    }
    let mut moved = b[4..].to_vec();
    moved.extend_from_slice(&b[..4]);
    let ok = mod97::remainder(&moved) == Some(1);
    let expected = rf_check_digits(&r[4..]).unwrap_or_default();
    SchemeCheck::checked(
        s,
        ok,
        || {
            format!(
                "the ISO 7064 MOD 97-10 check fails: for this body the check digits would be {expected}, not {}",
                &r[2..4]
            )
        },
        r[2..4].to_string(),
        groups_from_left(r, 4),
    )
}

fn all_digits(s: Scheme, r: &str) -> Result<Vec<u8>, SchemeCheck> {
    digits(r).ok_or_else(|| {
        SchemeCheck::fail(
            s,
            ReferenceError::InvalidFormat,
            format!("a {} has digits only", s.title()),
        )
    })
}

fn check_qrr(r: &str) -> SchemeCheck {
    let s = Scheme::ChQrr;
    let d = match all_digits(s, r) {
        Ok(d) => d,
        Err(e) => return e,
    };
    if d.len() != 27 {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidLength,
            format!(
                "a QR reference has exactly 27 digits (leading zeros included); this one has {}",
                d.len()
            ),
        );
    }
    let expected = mod10_recursive(&d[..26]);
    let ok = expected == d[26];
    SchemeCheck::checked(
        s,
        ok,
        || {
            format!(
                "the MOD 10 recursive check digit should be {expected}, not {}",
                d[26]
            )
        },
        r[26..].to_string(),
        format!("{} {}", &r[..2], groups_from_left(&r[2..], 5)),
    )
}

fn check_ogm(r: &str) -> SchemeCheck {
    let s = Scheme::BeOgm;
    let d = match all_digits(s, r) {
        Ok(d) => d,
        Err(e) => return e,
    };
    if d.len() != 12 {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidLength,
            format!(
                "a Belgian structured communication has exactly 12 digits; this one has {}",
                d.len()
            ),
        );
    }
    let expected = ogm_check(&d[..10]);
    let given = d[10] * 10 + d[11];
    let ok = expected == given;
    SchemeCheck::checked(
        s,
        ok,
        || {
            format!(
                "the last two digits should be {expected:02} (the first ten modulo 97, 0 written as 97), not {given:02}"
            )
        },
        r[10..].to_string(),
        format!("+++{}/{}/{}+++", &r[..3], &r[3..7], &r[7..]),
    )
}

fn check_fi(r: &str) -> SchemeCheck {
    let s = Scheme::FiRef;
    let d = match all_digits(s, r) {
        Ok(d) => d,
        Err(e) => return e,
    };
    let significant = r.trim_start_matches('0');
    if d.len() > 20 || !(4..=20).contains(&significant.len()) {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidLength,
            format!(
                "a Finnish reference has 4 to 20 digits, check digit included (leading zeros do not count); this one has {}",
                significant.len()
            ),
        );
    }
    let expected = fi_check_digit(&d[..d.len() - 1]);
    let given = d[d.len() - 1];
    let ok = expected == given;
    SchemeCheck::checked(
        s,
        ok,
        || format!("the 7-3-1 check digit should be {expected}, not {given}"),
        digit_char(given).to_string(),
        groups_from_right(significant, 5),
    )
}

fn variant_verdict(
    variants: Vec<VariantCheck>,
    settled: bool,
    fail_detail: String,
) -> (
    Option<bool>,
    Option<(ReferenceError, String)>,
    Vec<VariantCheck>,
) {
    if variants.iter().all(|v| !v.passes) {
        (
            Some(false),
            Some((ReferenceError::ChecksumFailed, fail_detail)),
            variants,
        )
    } else if settled || variants.iter().all(|v| v.passes) {
        // Valid whatever the creditor's agreement says.
        (Some(true), None, variants)
    } else {
        (None, None, variants)
    }
}

fn check_kid(r: &str) -> SchemeCheck {
    let s = Scheme::NoKid;
    if !r.is_ascii() {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidFormat,
            "a KID has digits only (a MOD11 KID may end in -)".into(),
        );
    }
    let (body, last) = r.split_at(r.len().saturating_sub(1));
    let body_digits = digits(body);
    let last_ok = last == "-" || last.bytes().all(|b| b.is_ascii_digit());
    let Some(body_digits) = body_digits.filter(|_| last_ok && !last.is_empty()) else {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidFormat,
            "a KID has digits only (a MOD11 KID may end in -)".into(),
        );
    };
    if !(2..=25).contains(&r.len()) {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidLength,
            format!(
                "a KID has 2 to 25 characters, check digit included; this one has {}",
                r.len()
            ),
        );
    }
    let last = last.chars().next().unwrap_or('?');
    let mod10 = last.to_digit(10) == Some(u32::from(luhn_check_digit(&body_digits)));
    let mod11 = kid_mod11_check(&body_digits) == last;
    let variants = vec![
        VariantCheck {
            variant: Variant::KidMod10,
            passes: mod10,
        },
        VariantCheck {
            variant: Variant::KidMod11,
            passes: mod11,
        },
    ];
    // A `-` can only be a MOD11 check digit: nothing is left for the agreement to decide.
    let (valid, error, variants) = variant_verdict(
        variants,
        last == '-',
        format!(
            "neither the MOD10 check digit ({}) nor the MOD11 one ({}) matches {last}",
            luhn_check_digit(&body_digits),
            kid_mod11_check(&body_digits)
        ),
    );
    SchemeCheck {
        scheme: s,
        valid,
        error,
        check_digits: Some(last.to_string()),
        formatted: Some(r.to_string()),
        variants,
    }
}

fn check_ocr(r: &str) -> SchemeCheck {
    let s = Scheme::SeOcr;
    let d = match all_digits(s, r) {
        Ok(d) => d,
        Err(e) => return e,
    };
    if !(2..=25).contains(&d.len()) {
        return SchemeCheck::fail(
            s,
            ReferenceError::InvalidLength,
            format!(
                "an OCR reference has 2 to 25 digits, check digit included; this one has {}",
                d.len()
            ),
        );
    }
    let n = d.len();
    let luhn = luhn_check_digit(&d[..n - 1]) == d[n - 1];
    let length = luhn && n >= 3 && usize::from(d[n - 2]) == n % 10;
    let variants = vec![
        VariantCheck {
            variant: Variant::OcrLuhn,
            passes: luhn,
        },
        VariantCheck {
            variant: Variant::OcrLengthDigit,
            passes: length,
        },
    ];
    let (valid, error, variants) = variant_verdict(
        variants,
        false,
        format!(
            "the Luhn check digit should be {}, not {}",
            luhn_check_digit(&d[..n - 1]),
            d[n - 1]
        ),
    );
    SchemeCheck {
        scheme: s,
        valid,
        error,
        check_digits: Some(r[n - 1..].to_string()),
        formatted: Some(r.to_string()),
        variants,
    }
}

/// One scheme's verdict on a compact reference (see [`compact`]).
pub fn check_scheme(scheme: Scheme, compact: &str) -> SchemeCheck {
    match scheme {
        Scheme::Rf => check_rf(compact),
        Scheme::ChQrr => check_qrr(compact),
        Scheme::BeOgm => check_ogm(compact),
        Scheme::FiRef => check_fi(compact),
        Scheme::NoKid => check_kid(compact),
        Scheme::SeOcr => check_ocr(compact),
    }
}

/// The schemes an unnamed compact reference could be, most specific first.
fn candidates(compact: &str, belgian: bool) -> Vec<Scheme> {
    if compact.starts_with("RF") {
        return vec![Scheme::Rf];
    }
    if belgian {
        return vec![Scheme::BeOgm];
    }
    let n = compact.len();
    let mut out = Vec::new();
    if n == 27 {
        out.push(Scheme::ChQrr);
    }
    if n == 12 {
        out.push(Scheme::BeOgm);
    }
    if (4..=20).contains(&n) {
        out.push(Scheme::FiRef);
    }
    out.push(Scheme::NoKid);
    out.push(Scheme::SeOcr);
    out
}

/// Check a reference as typed. With `scheme`, that scheme's rule decides; without, the
/// scheme is detected (`RF…` → `rf`, Belgian punctuation → `be_ogm`, otherwise the first
/// of `ch_qrr` (27 digits), `be_ogm` (12), `fi_ref`, `no_kid`, `se_ocr` that passes, or the
/// first that applies when none does).
pub fn check(input: &str, scheme: Option<Scheme>) -> ReferenceCheck {
    let compact = compact(input);
    let chosen = match scheme {
        Some(s) => Some(check_scheme(s, &compact)),
        None if compact.is_empty() => None,
        None => {
            let all_digits_or_kid = {
                let body = compact.strip_suffix('-').unwrap_or(&compact);
                !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit())
            };
            if !compact.starts_with("RF") && !all_digits_or_kid {
                None
            } else {
                let checks: Vec<SchemeCheck> = candidates(&compact, looks_belgian(input))
                    .into_iter()
                    .map(|s| check_scheme(s, &compact))
                    .collect();
                checks
                    .iter()
                    .find(|c| c.passes())
                    .or(checks.first())
                    .cloned()
            }
        }
    };
    let Some(c) = chosen else {
        let detail = if compact.is_empty() {
            "the reference is empty".to_string()
        } else {
            "no supported scheme matches: only an RF reference has letters; the others are digits (name the scheme with `scheme` if you know it)".to_string()
        };
        return ReferenceCheck {
            reference: compact,
            scheme: None,
            valid: Some(false),
            error: Some((ReferenceError::UnknownScheme, detail)),
            check_digits: None,
            formatted: None,
            variants: Vec::new(),
            also_valid_as: Vec::new(),
        };
    };
    let also_valid_as = Scheme::ALL
        .into_iter()
        .filter(|&s| s != c.scheme && check_scheme(s, &compact).passes())
        .collect();
    ReferenceCheck {
        reference: compact,
        scheme: Some(c.scheme),
        valid: c.valid,
        error: c.error,
        check_digits: c.check_digits,
        formatted: c.formatted,
        variants: c.variants,
        also_valid_as,
    }
}

/// [`check`], told which account the payment goes to: when no scheme is named and the
/// digits pass several, the scheme of that account wins (a QR reference for a QR-IBAN, the
/// account country's national scheme otherwise), so the pairing judges what the creditor
/// most likely printed.
pub fn check_for_account(input: &str, scheme: Option<Scheme>, iban: &IbanCheck) -> ReferenceCheck {
    let detected = check(input, scheme);
    if scheme.is_some() || !iban.valid() {
        return detected;
    }
    let preferred = match IbanKind::of(&iban.iban) {
        IbanKind::QrIban => Some(Scheme::ChQrr),
        IbanKind::Iban => {
            let country = iban.iban.get(..2).unwrap_or_default();
            Scheme::ALL
                .into_iter()
                .find(|s| s.country() == Some(country) && *s != Scheme::ChQrr)
        }
    };
    match preferred {
        Some(p) if detected.scheme != Some(p) && detected.also_valid_as.contains(&p) => {
            check(input, Some(p))
        }
        _ => detected,
    }
}

/// What kind of account an IBAN is, for the pairing rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IbanKind {
    /// A Swiss or Liechtenstein QR-IBAN: institution identifier (IID) 30000–31999.
    QrIban,
    Iban,
}

impl IbanKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::QrIban => "qr_iban",
            Self::Iban => "iban",
        }
    }

    /// The kind of a compact, valid IBAN.
    pub fn of(compact: &str) -> Self {
        let ch_li = compact.starts_with("CH") || compact.starts_with("LI");
        let iid = compact.get(4..9).and_then(|s| s.parse::<u32>().ok());
        if ch_li && iid.is_some_and(|i| (30000..=31999).contains(&i)) {
            Self::QrIban
        } else {
            Self::Iban
        }
    }
}

impl fmt::Display for IbanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which rule decided a pairing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairingRule {
    /// The IBAN itself is invalid.
    IbanInvalid,
    /// A QR-IBAN takes a QR reference and nothing else (IG QR-bill 2.3, 3.3 / 4.3.3).
    QrIbanRequiresQrReference,
    /// A QR reference is only ever paid to a QR-IBAN.
    QrReferenceRequiresQrIban,
    /// An ISO 11649 reference works with any IBAN (the QR-bill's SCOR with an ordinary one).
    CreditorReference,
    /// A national reference belongs with an account in its country (with an account
    /// elsewhere no published rule decides: `ok` is `None`).
    NationalReference,
    /// An ordinary Swiss or Liechtenstein IBAN takes an RF reference (SCOR) or none (NON),
    /// never a QR reference nor another country's (IG QR-bill 2.3, 4.3.3).
    ChIbanTakesRfOrNone,
    /// No scheme was recognised, so no rule applies.
    NoRule,
}

impl PairingRule {
    pub fn code(self) -> &'static str {
        match self {
            Self::IbanInvalid => "iban_invalid",
            Self::QrIbanRequiresQrReference => "qr_iban_requires_qr_reference",
            Self::QrReferenceRequiresQrIban => "qr_reference_requires_qr_iban",
            Self::CreditorReference => "creditor_reference_any_iban",
            Self::NationalReference => "national_reference_own_country",
            Self::ChIbanTakesRfOrNone => "ch_iban_takes_rf_or_none",
            Self::NoRule => "no_rule",
        }
    }
}

impl fmt::Display for PairingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Whether a reference and an account belong together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    /// The IBAN, printed in groups of four.
    pub iban: String,
    /// `None` when the IBAN is invalid.
    pub iban_kind: Option<IbanKind>,
    /// `None` where no rule applies.
    pub ok: Option<bool>,
    pub rule: PairingRule,
    pub detail: String,
}

/// The pairing rules, given the reference's scheme and the engine's IBAN check.
pub fn pair(scheme: Option<Scheme>, iban: &IbanCheck) -> Pairing {
    let printed = iban.formatted();
    let Some((err, _)) = &iban.error else {
        return pair_valid(scheme, iban, printed);
    };
    Pairing {
        iban: printed,
        iban_kind: None,
        ok: Some(false),
        rule: PairingRule::IbanInvalid,
        detail: format!(
            "the IBAN is not valid ({}): fix it before pairing a reference with it",
            err.code()
        ),
    }
}

fn pair_valid(scheme: Option<Scheme>, iban: &IbanCheck, printed: String) -> Pairing {
    let kind = IbanKind::of(&iban.iban);
    let country = iban.iban.get(..2).unwrap_or_default();
    let (ok, rule, detail) = match (kind, scheme) {
        (IbanKind::QrIban, Some(Scheme::ChQrr)) => (
            Some(true),
            PairingRule::QrIbanRequiresQrReference,
            "a QR-IBAN with a QR reference, as the Swiss QR-bill requires".to_string(),
        ),
        (IbanKind::QrIban, _) => (
            Some(false),
            PairingRule::QrIbanRequiresQrReference,
            "a QR-IBAN (IID 30000-31999) accepts only a 27-digit QR reference (QRR); ask the creditor for it".to_string(),
        ),
        (IbanKind::Iban, Some(Scheme::ChQrr)) => (
            Some(false),
            PairingRule::QrReferenceRequiresQrIban,
            "a QR reference is only paid to a QR-IBAN (IID 30000-31999); to an ordinary IBAN use an RF reference (SCOR) or none".to_string(),
        ),
        (IbanKind::Iban, Some(Scheme::Rf)) => (
            Some(true),
            PairingRule::CreditorReference,
            "an ISO 11649 RF reference goes with any IBAN (in a Swiss QR-bill: SCOR with an ordinary IBAN)".to_string(),
        ),
        (IbanKind::Iban, Some(s)) => {
            let home = s.country().unwrap_or_default();
            if country == home {
                (
                    Some(true),
                    PairingRule::NationalReference,
                    format!("a {} with a {home} account", s.title()),
                )
            } else if matches!(country, "CH" | "LI") {
                (
                    Some(false),
                    PairingRule::ChIbanTakesRfOrNone,
                    format!(
                        "an ordinary {country} IBAN takes an RF reference (SCOR) or none, not a {}; ask the creditor for the RF form",
                        s.title()
                    ),
                )
            } else {
                (
                    None,
                    PairingRule::NationalReference,
                    format!(
                        "a {} is a domestic scheme for accounts in {home}; no published rule covers it with an account in {country}: check with the creditor (across borders the RF form is the one every bank carries)",
                        s.title()
                    ),
                )
            }
        }
        (IbanKind::Iban, None) => (
            None,
            PairingRule::NoRule,
            "the reference matches no scheme, so no pairing rule applies".to_string(),
        ),
    };
    Pairing {
        iban: printed,
        iban_kind: Some(kind),
        ok,
        rule,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(input: &str, scheme: Option<Scheme>) -> ReferenceCheck {
        let c = check(input, scheme);
        assert_eq!(c.valid, Some(true), "{input}: {c:?}");
        c
    }

    #[test]
    fn published_rf_values() {
        // ISO 11649's own example, with and without spaces and leading zeros (python-stdnum).
        let c = valid("RF18 5390 0754 7034", None);
        assert_eq!(c.scheme, Some(Scheme::Rf));
        assert_eq!(c.reference, "RF18539007547034");
        assert_eq!(c.formatted.as_deref(), Some("RF18 5390 0754 7034"));
        assert_eq!(c.check_digits.as_deref(), Some("18"));
        valid("rf18000000000539007547034", None);
        let bad = check("RF19 5390 0754 7034", None);
        assert_eq!(
            bad.error.as_ref().map(|e| e.0),
            Some(ReferenceError::ChecksumFailed)
        );
        assert!(bad.error.unwrap().1.contains("would be 18"));
        assert_eq!(rf_check_digits("539007547034").as_deref(), Some("18"));
        let long = check(&format!("RF18{}", "1".repeat(22)), None);
        assert_eq!(long.error.map(|e| e.0), Some(ReferenceError::InvalidLength));
        let odd = check("RF18 5390 0754 70é4", Some(Scheme::Rf));
        assert_eq!(odd.error.map(|e| e.0), Some(ReferenceError::InvalidFormat));
    }

    #[test]
    fn published_qr_reference() {
        // The QR reference of the Swiss Implementation Guidelines' examples.
        let c = valid("21 00000 00003 13947 14300 09017", None);
        assert_eq!(c.scheme, Some(Scheme::ChQrr));
        assert_eq!(
            c.formatted.as_deref(),
            Some("21 00000 00003 13947 14300 09017")
        );
        assert_eq!(c.check_digits.as_deref(), Some("7"));
        let bad = check("210000000003139471430009016", None);
        assert_eq!(bad.scheme, Some(Scheme::ChQrr));
        assert_eq!(bad.error.map(|e| e.0), Some(ReferenceError::ChecksumFailed));
        let short = check("10000000003139471430009017", Some(Scheme::ChQrr));
        assert_eq!(
            short.error.map(|e| e.0),
            Some(ReferenceError::InvalidLength)
        );
    }

    #[test]
    fn published_belgian_values() {
        // python-stdnum's and Febelfin's examples; 0 → 97.
        let c = valid("+++010/8068/17183+++", None);
        assert_eq!(c.scheme, Some(Scheme::BeOgm));
        assert_eq!(c.formatted.as_deref(), Some("+++010/8068/17183+++"));
        valid("090/9337/55493", None);
        valid("000000009797", Some(Scheme::BeOgm));
        assert_eq!(ogm_check(&[0, 0, 0, 0, 0, 0, 0, 0, 9, 7]), 97);
        let bad = check("+++010/8068/17180+++", None);
        assert_eq!(bad.scheme, Some(Scheme::BeOgm));
        assert_eq!(bad.error.map(|e| e.0), Some(ReferenceError::ChecksumFailed));
    }

    #[test]
    fn finnish_reference() {
        // Finance Finland's example: base 123456 → 1234561; printed in groups of five.
        let c = valid("1234561", Some(Scheme::FiRef));
        assert_eq!(c.formatted.as_deref(), Some("12 34561"));
        assert_eq!(fi_check_digit(&[1, 2, 3, 4, 5, 6]), 1);
        let c = check("1234561", None);
        assert_eq!(c.scheme, Some(Scheme::FiRef));
        let bad = check("1234562", Some(Scheme::FiRef));
        assert_eq!(bad.error.map(|e| e.0), Some(ReferenceError::ChecksumFailed));
        let short = check("121", Some(Scheme::FiRef));
        assert_eq!(
            short.error.map(|e| e.0),
            Some(ReferenceError::InvalidLength)
        );
    }

    #[test]
    fn kid_variants_are_left_to_the_creditor() {
        // The canonical Luhn example passes MOD10 only; a Norwegian account number
        // (python-stdnum's 8601 11 17947) passes MOD11 only.
        let c = check("79927398713", Some(Scheme::NoKid));
        assert_eq!(c.valid, None);
        assert_eq!(
            c.variants,
            [
                VariantCheck {
                    variant: Variant::KidMod10,
                    passes: true
                },
                VariantCheck {
                    variant: Variant::KidMod11,
                    passes: false
                }
            ]
        );
        let c = check("86011117947", Some(Scheme::NoKid));
        assert_eq!(c.valid, None);
        assert!(c.variants[1].passes && !c.variants[0].passes);
        // 104 → MOD11 remainder 10 → `-`: only MOD11 can say that, so it is decided.
        let c = check("104-", Some(Scheme::NoKid));
        assert_eq!(c.valid, Some(true));
        assert_eq!(c.reference, "104-");
        let c = check("123456789", Some(Scheme::NoKid));
        assert_eq!(c.valid, Some(false));
        assert_eq!(c.error.map(|e| e.0), Some(ReferenceError::ChecksumFailed));
    }

    #[test]
    fn ocr_length_digit() {
        // Luhn only; and with the length digit: 1234 + length 6 → "12346" + Luhn.
        let mut d = vec![1, 2, 3, 4, 5];
        d.push(luhn_check_digit(&d));
        let s: String = d.iter().map(|&x| digit_char(x)).collect();
        let c = check(&s, Some(Scheme::SeOcr));
        assert_eq!(c.valid, None);
        assert!(c.variants[0].passes && !c.variants[1].passes, "{s}: {c:?}");
        let mut d = vec![1, 2, 3, 4, 6];
        d.push(luhn_check_digit(&d));
        let s: String = d.iter().map(|&x| digit_char(x)).collect();
        let c = check(&s, Some(Scheme::SeOcr));
        assert!(c.variants.iter().all(|v| v.passes), "{s}: {c:?}");
        assert_eq!(check("79927398710", Some(Scheme::SeOcr)).valid, Some(false));
    }

    #[test]
    fn detection_and_also_valid_as() {
        let c = check("hello", None);
        assert_eq!(c.scheme, None);
        assert_eq!(c.error.map(|e| e.0), Some(ReferenceError::UnknownScheme));
        // 1234561 is Finnish and also passes the KID/OCR Luhn? It is listed wherever it passes.
        let c = check("79927398713", None);
        assert_eq!(
            c.scheme,
            Some(Scheme::FiRef)
                .filter(|_| c.valid == Some(true))
                .or(c.scheme)
        );
        assert!(c.also_valid_as.iter().all(|&s| s != c.scheme.unwrap()));
        assert_eq!(Scheme::from_name("SCOR"), Some(Scheme::Rf));
        assert_eq!(Scheme::from_name("be_ogm"), Some(Scheme::BeOgm));
        assert_eq!(Scheme::from_name("xx"), None);
    }

    #[test]
    fn no_input_panics() {
        let odd = [
            "",
            "-",
            "--",
            "é",
            "1é",
            "RFé",
            "RF1é",
            "+++",
            "1/2/3",
            "RF",
            "R",
            "0",
            "9-",
            "0000",
            "00000000000000000000000000000",
            "१२३४",
            "RF18\u{0}",
            "12\u{200B}34-",
            "é1-",
        ];
        for s in odd {
            let c = check(s, None);
            for scheme in Scheme::ALL {
                let _ = check(s, Some(scheme));
            }
            if c.valid == Some(true) {
                assert!(c.scheme.is_some(), "{s}");
            }
        }
    }

    fn iban(s: &str) -> IbanCheck {
        crate::engine::validate_iban(s, Default::default())
    }

    #[test]
    fn the_account_decides_among_schemes_the_digits_all_pass() {
        // 10553 passes the Finnish rule, KID (both variants) and OCR; detected alone it is
        // Finnish, paid to a Norwegian account it is a KID.
        let alone = check("10553", None);
        assert_eq!(alone.scheme, Some(Scheme::FiRef), "{alone:?}");
        assert!(alone.also_valid_as.contains(&Scheme::NoKid));
        let no = iban("NO93 8601 1117 947");
        assert!(no.valid());
        let c = check_for_account("10553", None, &no);
        assert_eq!((c.scheme, c.valid), (Some(Scheme::NoKid), Some(true)));
        assert!(c.also_valid_as.contains(&Scheme::FiRef));
        // A named scheme, or a scheme the digits fail, is never overridden.
        let named = check_for_account("10553", Some(Scheme::SeOcr), &no);
        assert_eq!(named.scheme, Some(Scheme::SeOcr));
        let se = iban("SE45 5000 0000 0583 9825 7466");
        let c = check_for_account("RF18 5390 0754 7034", None, &se);
        assert_eq!(c.scheme, Some(Scheme::Rf));
    }

    #[test]
    fn pairing_rules() {
        // The guidelines' example QR-IBAN and ordinary IBAN.
        let qr = iban("CH44 3199 9123 0008 8901 2");
        let plain = iban("CH58 0079 1123 0008 8901 2");
        assert!(qr.valid() && plain.valid());
        let p = pair(Some(Scheme::ChQrr), &qr);
        assert_eq!((p.iban_kind, p.ok), (Some(IbanKind::QrIban), Some(true)));
        let p = pair(Some(Scheme::Rf), &qr);
        assert_eq!(
            (p.ok, p.rule),
            (Some(false), PairingRule::QrIbanRequiresQrReference)
        );
        let p = pair(Some(Scheme::ChQrr), &plain);
        assert_eq!(
            (p.ok, p.rule),
            (Some(false), PairingRule::QrReferenceRequiresQrIban)
        );
        assert_eq!(pair(Some(Scheme::Rf), &plain).ok, Some(true));
        let be = iban("BE68 5390 0754 7034");
        assert_eq!(pair(Some(Scheme::BeOgm), &be).ok, Some(true));
        let p = pair(Some(Scheme::BeOgm), &plain);
        assert_eq!(
            (p.ok, p.rule),
            (Some(false), PairingRule::ChIbanTakesRfOrNone)
        );
        // A domestic scheme with an account in another country: no rule decides.
        let de = iban("DE89 3704 0044 0532 0130 00");
        let p = pair(Some(Scheme::FiRef), &de);
        assert_eq!((p.ok, p.rule), (None, PairingRule::NationalReference));
        assert!(p.detail.contains("no published rule"), "{}", p.detail);
        let fi = iban("FI21 1234 5600 0007 85");
        assert_eq!(pair(Some(Scheme::FiRef), &fi).ok, Some(true));
        assert_eq!(pair(Some(Scheme::Rf), &de).ok, Some(true));
        assert_eq!(pair(Some(Scheme::ChQrr), &be).ok, Some(false));
        assert_eq!(pair(None, &be).ok, None);
        let broken = iban("CH44 3199 9123 0008 8901 3");
        let p = pair(Some(Scheme::ChQrr), &broken);
        assert_eq!(
            (p.ok, p.rule, p.iban_kind),
            (Some(false), PairingRule::IbanInvalid, None)
        );
    }
}
