//! IBAN normalisation and structural validation (ISO 13616 + the IBAN registry).
//!
//! The checks run in the order a person would fix them — characters, country, length,
//! BBAN layout, check-digit range, mod-97 — and the first failure is reported with the
//! same error codes the hosted API uses, so a local and a remote answer read alike.

use std::fmt::Write as _;

use super::banks;
use super::national::{self, NationalCheck};
use super::registry::{self, CountrySpec};

/// Why an IBAN is not valid. The `code()` strings are the hosted API's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IbanError {
    /// Characters other than letters and digits, or not `CC99…`.
    InvalidFormat,
    /// The two letters are not an IBAN country (or only an aspirational one).
    UnsupportedCountry,
    WrongLength,
    /// A BBAN position holds a letter where the registry wants a digit, or the reverse.
    InvalidBbanStructure,
    /// Check digits 00, 01 and 99 can never result from ISO 7064 MOD 97-10.
    InvalidCheckDigits,
    ChecksumFailed,
    /// The national check digits inside the BBAN are wrong (see `national`). Not one of the
    /// hosted API's codes: only the local engine checks them.
    NationalCheckFailed,
}

impl IbanError {
    pub fn code(self) -> &'static str {
        match self {
            Self::InvalidFormat => "invalid_format",
            Self::UnsupportedCountry => "unsupported_country",
            Self::WrongLength => "wrong_length",
            Self::InvalidBbanStructure => "invalid_bban_structure",
            Self::InvalidCheckDigits => "invalid_check_digits",
            Self::ChecksumFailed => "checksum_failed",
            Self::NationalCheckFailed => "national_check_failed",
        }
    }
}

/// The BBAN split into its registry parts. `None` where the registry defines no part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BbanParts {
    pub bban: String,
    pub bank_code: Option<String>,
    pub branch_code: Option<String>,
    pub account_number: Option<String>,
    pub national_check_digits: Option<String>,
}

/// Everything the structural check learned about one input.
#[derive(Debug, Clone)]
pub struct IbanCheck {
    /// The compact, upper-case form that was checked.
    pub iban: String,
    pub spec: Option<&'static CountrySpec>,
    /// The two letters, when they are letters (known country or not).
    pub country_code: Option<String>,
    pub check_digits: Option<String>,
    /// Present when the length matches the registry, so the split is meaningful.
    pub bban: Option<BbanParts>,
    pub error: Option<(IbanError, String)>,
    /// The national check, once mod-97 has passed (`None` before that).
    pub national: Option<NationalCheck>,
}

impl IbanCheck {
    pub fn valid(&self) -> bool {
        self.error.is_none()
    }

    /// The IBAN in groups of four, as printed on paper.
    pub fn formatted(&self) -> String {
        format_grouped(&self.iban)
    }
}

/// Options that change what counts as valid.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidateOptions {
    /// Accept the SWIFT "aspirational" IBAN countries (AO, BF, CI, …). Off by default:
    /// no bank will take such an IBAN.
    pub aspirational: bool,
}

/// The compact form: whitespace (incl. no-break spaces), hyphens and dots removed, ASCII
/// upper-cased, and a leading `IBAN` label dropped (as printed on invoices: "IBAN: CH93 …").
/// Anything else is kept so the check can name it. Idempotent.
pub fn normalize(input: &str) -> String {
    let mut out = String::with_capacity(input.len().min(64));
    for ch in input.chars() {
        if ch.is_whitespace() || matches!(ch, '-' | '.' | '\u{200B}' | '\u{FEFF}') {
            continue;
        }
        out.push(ch.to_ascii_uppercase());
    }
    if let Some(rest) = out.strip_prefix("IBAN") {
        let rest = rest.strip_prefix(':').unwrap_or(rest);
        // Only a label if what follows still looks like an IBAN (`IBAN` itself is not a
        // country code followed by digits, so nothing valid is lost).
        if rest.len() >= 4 && rest.as_bytes()[2].is_ascii_digit() {
            out = rest.to_string();
        }
    }
    out
}

/// Groups of four separated by single spaces.
pub fn format_grouped(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() + compact.len() / 4);
    for (i, ch) in compact.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// ISO 7064 MOD 97-10 remainder of an IBAN (country and check digits moved to the end).
/// Returns `None` on a character that is not an ASCII letter or digit.
///
/// Digits are accumulated sixteen at a time in a `u64` and reduced once, instead of one
/// division per character: the hot loop of every validation.
pub fn mod97(compact: &str) -> Option<u32> {
    let bytes = compact.as_bytes();
    if bytes.len() < 4 {
        return None;
    }
    let mut acc: u64 = 0;
    let mut digits = 0u32;
    for &b in bytes[4..].iter().chain(&bytes[..4]) {
        match b {
            b'0'..=b'9' => {
                acc = acc * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b'A'..=b'Z' => {
                acc = acc * 100 + u64::from(b - b'A' + 10);
                digits += 2;
            }
            _ => return None,
        }
        // Below 10^18 after at most 17 digits on top of a two-digit remainder.
        if digits >= 15 {
            acc %= 97;
            digits = 2;
        }
    }
    Some((acc % 97) as u32)
}

/// The check digits that make `country + "00" + bban` valid (used by tests and the
/// corpus generator to build valid IBANs).
pub fn compute_check_digits(country: &str, bban: &str) -> Option<String> {
    let rem = mod97(&format!("{country}00{bban}"))?;
    Some(format!("{:02}", 98 - rem))
}

fn class_ok(class: u8, b: u8) -> bool {
    match class {
        b'n' => b.is_ascii_digit(),
        b'a' => b.is_ascii_uppercase(),
        _ => b.is_ascii_digit() || b.is_ascii_uppercase(),
    }
}

fn class_name(class: u8) -> &'static str {
    match class {
        b'n' => "a digit",
        b'a' => "a letter",
        _ => "a letter or digit",
    }
}

/// The structural verdict without allocating: normalisation into a stack buffer, registry
/// lookup, length, per-position classes, check-digit range and mod-97. Same verdict and error
/// code as [`validate_structure`], none of its details; for bulk use and benchmarks.
pub fn quick_check(
    input: &str,
    options: ValidateOptions,
) -> Result<&'static CountrySpec, IbanError> {
    let mut buf = [0u8; 40];
    let mut len = 0usize;
    let mut overflow = false;
    let mut ascii = true;
    // The common case, byte by byte; any non-ASCII byte starts over on the char path below.
    for &c in input.as_bytes() {
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c' | b'-' | b'.' => continue,
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {}
            0x80.. => {
                ascii = false;
                break;
            }
            _ => return Err(IbanError::InvalidFormat),
        }
        if len == buf.len() {
            overflow = true;
            continue;
        }
        buf[len] = c.to_ascii_uppercase();
        len += 1;
    }
    if !ascii {
        len = 0;
        overflow = false;
        for ch in input.chars() {
            if ch.is_whitespace() || matches!(ch, '-' | '.' | '\u{200B}' | '\u{FEFF}') {
                continue;
            }
            if !ch.is_ascii_alphanumeric() {
                return Err(IbanError::InvalidFormat);
            }
            if len == buf.len() {
                overflow = true;
                continue;
            }
            buf[len] = ch.to_ascii_uppercase() as u8;
            len += 1;
        }
    }
    let mut b = &buf[..len];
    // The "IBAN" / "IBAN:" label (the colon was rejected above as not alphanumeric, so only
    // the bare label can reach here; `validate` handles the colon form).
    if b.len() >= 8 && b.starts_with(b"IBAN") && b[6].is_ascii_digit() {
        b = &b[4..];
    }
    if b.len() < 5
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
    {
        return Err(IbanError::InvalidFormat);
    }
    let code = std::str::from_utf8(&b[..2]).map_err(|_| IbanError::InvalidFormat)?;
    let spec = registry::lookup(code, options.aspirational).ok_or(IbanError::UnsupportedCountry)?;
    if overflow || b.len() != spec.iban_length {
        return Err(IbanError::WrongLength);
    }
    // One pass over the BBAN: its classes, and the mod-97 remainder as it goes.
    let mut m = Mod97::default();
    for (&class, &c) in spec.bban_classes.iter().zip(&b[4..]) {
        if !class_ok(class, c) {
            return Err(IbanError::InvalidBbanStructure);
        }
        m.push(c);
    }
    if matches!(&b[2..4], b"00" | b"01" | b"99") {
        return Err(IbanError::InvalidCheckDigits);
    }
    b[..4].iter().for_each(|&c| m.push(c));
    if m.remainder() != 1 {
        return Err(IbanError::ChecksumFailed);
    }
    Ok(spec)
}

/// Running ISO 7064 MOD 97-10 remainder over upper-case letters and digits (the caller has
/// checked the characters): one table lookup per character, no division.
#[derive(Default)]
struct Mod97 {
    remainder: u8,
}

/// `NEXT[r][v]`: the remainder after appending character value `v` (0–9 digits, 10–35
/// letters, which append two decimal digits) to a number whose remainder is `r`.
static NEXT: [[u8; 36]; 97] = {
    let mut table = [[0u8; 36]; 97];
    let mut r = 0;
    while r < 97 {
        let mut v = 0;
        while v < 36 {
            let shift = if v < 10 { 10 } else { 100 };
            table[r][v] = ((r * shift + v) % 97) as u8;
            v += 1;
        }
        r += 1;
    }
    table
};

impl Mod97 {
    #[inline]
    fn push(&mut self, b: u8) {
        let v = if b.is_ascii_digit() {
            b - b'0'
        } else {
            b - b'A' + 10
        };
        self.remainder = NEXT[usize::from(self.remainder)][usize::from(v)];
    }

    fn remainder(&self) -> u8 {
        self.remainder
    }
}

/// Check one IBAN as given by a person (any spacing, any case).
pub fn validate(input: &str, options: ValidateOptions) -> IbanCheck {
    validate_with(input, options, true)
}

/// Structure and mod-97 only, without the national check digits (and so without the bank
/// directory a German IBAN's method comes from): what other IBAN libraries check, for
/// comparing speed like with like.
pub fn validate_structure(input: &str, options: ValidateOptions) -> IbanCheck {
    validate_with(input, options, false)
}

fn validate_with(input: &str, options: ValidateOptions, national: bool) -> IbanCheck {
    let iban = normalize(input);
    let mut check = IbanCheck {
        iban,
        spec: None,
        country_code: None,
        check_digits: None,
        bban: None,
        error: None,
        national: None,
    };
    check.error = run_checks(&mut check, options, national);
    check
}

fn run_checks(
    check: &mut IbanCheck,
    options: ValidateOptions,
    national: bool,
) -> Option<(IbanError, String)> {
    let iban = check.iban.clone();
    let bytes = iban.as_bytes();
    if let Some(bad) = iban.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Some((
            IbanError::InvalidFormat,
            format!(
                "'{}' is not allowed in an IBAN: only letters and digits (spaces and hyphens are ignored)",
                bad.escape_default()
            ),
        ));
    }
    if bytes.len() < 5
        || !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
    {
        return Some((
            IbanError::InvalidFormat,
            "an IBAN starts with a two-letter country code and two check digits (e.g. CH93…), followed by the account (BBAN)".into(),
        ));
    }
    let country = &iban[..2];
    check.country_code = Some(country.to_string());
    check.check_digits = Some(iban[2..4].to_string());
    let Some(spec) = registry::lookup(country, options.aspirational) else {
        let why = if registry::lookup(country, true).is_some() {
            format!(
                "{country} is not (yet) an IBAN country: it is only on SWIFT's list of aspirational IBAN countries"
            )
        } else {
            format!("{country} is not a country of the IBAN registry")
        };
        return Some((IbanError::UnsupportedCountry, why));
    };
    check.spec = Some(spec);
    if bytes.len() != spec.iban_length {
        return Some((
            IbanError::WrongLength,
            format!(
                "an IBAN of {} ({}) has {} characters, this one has {}",
                spec.name,
                spec.code,
                spec.iban_length,
                bytes.len()
            ),
        ));
    }
    let bban = &iban[4..];
    check.bban = Some(split_bban(spec, bban));
    for (i, (&class, &b)) in spec.bban_classes.iter().zip(bban.as_bytes()).enumerate() {
        if !class_ok(class, b) {
            return Some((
                IbanError::InvalidBbanStructure,
                format!(
                    "position {} of the IBAN ('{}') must be {} for {} (BBAN layout {})",
                    i + 5,
                    b as char,
                    class_name(class),
                    spec.name,
                    spec.bban_spec
                ),
            ));
        }
    }
    if matches!(&iban[2..4], "00" | "01" | "99") {
        return Some((
            IbanError::InvalidCheckDigits,
            format!(
                "check digits {} cannot occur: valid IBAN check digits run from 02 to 98",
                &iban[2..4]
            ),
        ));
    }
    if mod97(&iban) != Some(1) {
        return Some((
            IbanError::ChecksumFailed,
            "the check digits do not match the rest of the IBAN (mod-97 check failed): a character is likely mistyped or swapped".into(),
        ));
    }
    if !national {
        return None;
    }
    let german_method = (spec.code == "DE")
        .then(|| {
            check
                .bban
                .as_ref()?
                .bank_code
                .as_deref()
                .and_then(|blz| banks::by_code("DE", blz))
        })
        .flatten()
        .and_then(|bank| bank.check_method);
    let national = national::check(spec.code, bban, german_method);
    let failed = match &national {
        NationalCheck::Failed { rule } => Some((
            IbanError::NationalCheckFailed,
            format!(
                "the account number fails the {rule}: the IBAN's own check digits are right, but the account inside it cannot exist"
            ),
        )),
        _ => None,
    };
    check.national = Some(national);
    failed
}

fn split_bban(spec: &CountrySpec, bban: &str) -> BbanParts {
    let part = |r: &Option<std::ops::Range<usize>>| {
        r.as_ref()
            .and_then(|r| bban.get(r.clone()))
            .map(str::to_string)
    };
    BbanParts {
        bban: bban.to_string(),
        bank_code: part(&spec.bank),
        branch_code: part(&spec.branch),
        account_number: part(&spec.account),
        national_check_digits: part(&spec.national_check),
    }
}

/// A masked form for logs: country, check digits and the last four (`CH93…2957`).
pub fn mask(input: &str) -> String {
    let compact = normalize(input);
    let chars: Vec<char> = compact.chars().collect();
    if chars.len() <= 8 {
        return "…".repeat(usize::from(!chars.is_empty()));
    }
    let mut out: String = chars[..4].iter().collect();
    out.push('…');
    let _ = write!(
        out,
        "{}",
        chars[chars.len() - 4..].iter().collect::<String>()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> IbanCheck {
        validate(s, ValidateOptions::default())
    }

    #[test]
    fn accepts_spacing_hyphens_case_and_label() {
        for s in [
            "CH9300762011623852957",
            "ch93 0076 2011 6238 5295 7",
            "CH93-0076-2011-6238-5295-7",
            "IBAN: CH93 0076 2011 6238 5295 7",
            "\u{a0}CH93\u{a0}00762011623852957 ",
        ] {
            let c = v(s);
            assert!(c.valid(), "{s}: {:?}", c.error);
            assert_eq!(c.iban, "CH9300762011623852957");
            assert_eq!(c.formatted(), "CH93 0076 2011 6238 5295 7");
        }
    }

    #[test]
    fn reports_each_error_code() {
        let cases = [
            ("CH93!0762011623852957", IbanError::InvalidFormat),
            ("93CH0762011623852957", IbanError::InvalidFormat),
            ("", IbanError::InvalidFormat),
            ("ZZ9300762011623852957", IbanError::UnsupportedCountry),
            ("AO06004400006729503010102", IbanError::UnsupportedCountry),
            ("CH930076201162385295", IbanError::WrongLength),
            ("GB29NWBK6016133192681X", IbanError::InvalidBbanStructure),
            ("CH0000762011623852957", IbanError::InvalidCheckDigits),
            ("CH9400762011623852957", IbanError::ChecksumFailed),
        ];
        for (input, want) in cases {
            let c = v(input);
            assert_eq!(c.error.as_ref().map(|e| e.0), Some(want), "{input}");
        }
    }

    #[test]
    fn splits_the_bban() {
        let c = v("FR1420041010050500013M02606");
        assert!(c.valid());
        let b = c.bban.unwrap();
        assert_eq!(b.bank_code.as_deref(), Some("20041"));
        assert_eq!(b.branch_code.as_deref(), Some("01005"));
        assert_eq!(b.account_number.as_deref(), Some("0500013M026"));
        assert_eq!(b.national_check_digits.as_deref(), Some("06"));
    }

    #[test]
    fn aspirational_only_with_the_switch() {
        let c = validate(
            "AO06004400006729503010102",
            ValidateOptions { aspirational: true },
        );
        assert!(c.valid(), "{:?}", c.error);
    }

    #[test]
    fn masks_for_logs() {
        assert_eq!(mask("CH93 0076 2011 6238 5295 7"), "CH93…2957");
        assert_eq!(mask("CH93"), "…");
        assert_eq!(mask(""), "");
    }

    #[test]
    fn check_digits_roundtrip() {
        assert_eq!(
            compute_check_digits("CH", "00762011623852957").as_deref(),
            Some("93")
        );
    }
}
