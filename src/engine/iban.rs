//! IBAN normalisation and structural validation (ISO 13616 + the IBAN registry).
//!
//! The checks run in the order a person would fix them — characters, country, length,
//! BBAN layout, check-digit range, mod-97 — and the first failure is reported with the
//! same error codes the hosted API uses, so a local and a remote answer read alike.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use super::mod97::{self, Mod97};
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
    /// Every error, in the order the check meets them.
    pub const ALL: [Self; 7] = [
        Self::InvalidFormat,
        Self::UnsupportedCountry,
        Self::WrongLength,
        Self::InvalidBbanStructure,
        Self::InvalidCheckDigits,
        Self::ChecksumFailed,
        Self::NationalCheckFailed,
    ];

    /// The machine-readable code answers carry in `error` (the hosted API's codes, plus
    /// `national_check_failed`).
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

    /// The error an answer's `error` code names, when it is one of the engine's.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The rule the error breaks, in words (what a cross-check names).
    pub fn rule(self) -> &'static str {
        match self {
            Self::InvalidFormat => "IBAN format",
            Self::UnsupportedCountry => "IBAN registry country list",
            Self::WrongLength => "IBAN registry length",
            Self::InvalidBbanStructure => "IBAN registry BBAN structure",
            Self::InvalidCheckDigits | Self::ChecksumFailed => "ISO 7064 mod-97",
            Self::NationalCheckFailed => "national check digits",
        }
    }
}

impl std::fmt::Display for IbanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::InvalidFormat => "not in IBAN format",
            Self::UnsupportedCountry => "not an IBAN country",
            Self::WrongLength => "wrong length for its country",
            Self::InvalidBbanStructure => "account part (BBAN) has the wrong structure",
            Self::InvalidCheckDigits => "impossible check digits",
            Self::ChecksumFailed => "check digits do not match (ISO 7064 mod-97)",
            Self::NationalCheckFailed => "national check digits do not match",
        })
    }
}

impl std::error::Error for IbanError {}

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

/// Characters a person puts between the parts of an IBAN, which the compact form drops:
/// whitespace (incl. no-break spaces), hyphens, dots, zero-width spaces and BOMs.
fn is_separator(ch: char) -> bool {
    ch.is_whitespace() || matches!(ch, '-' | '.' | '\u{200B}' | '\u{FEFF}')
}

/// The characters the compact form keeps, ASCII upper-cased, before the label is dropped.
/// The one normaliser: [`CompactIban::new`] collects it into a string, [`quick_check`] into
/// a stack buffer.
fn kept_chars(input: &str) -> impl Iterator<Item = char> + '_ {
    input
        .chars()
        .filter(|&ch| !is_separator(ch))
        .map(|ch| ch.to_ascii_uppercase())
}

/// How many leading bytes of the kept characters are an `IBAN` / `IBAN:` label (as printed
/// on invoices: "IBAN: CH93 …"): 0, 4 or 5. Only a label if what follows still looks like an
/// IBAN (`IBAN` itself is not a country code followed by digits, so nothing valid is lost).
/// `head` is at least the first 8 bytes (or all of them), `total` the full byte length.
fn label_len(head: &[u8], total: usize) -> usize {
    if !head.starts_with(b"IBAN") {
        return 0;
    }
    let label = if head.get(4) == Some(&b':') { 5 } else { 4 };
    let rest = total - label;
    if rest >= 4 && head.get(label + 2).is_some_and(u8::is_ascii_digit) {
        label
    } else {
        0
    }
}

/// An IBAN as a person typed it, normalised once: separators removed, ASCII upper-cased and
/// a leading `IBAN` / `IBAN:` label dropped. Nothing else is changed, so a stray character is
/// still there for the check to name. Not a proof of validity: see [`validate`].
///
/// Make it once where the input enters (`"ch93 0076 …".parse::<CompactIban>()` or
/// [`CompactIban::new`]) and pass it on; normalising again is a no-op.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CompactIban(String);

impl CompactIban {
    /// Normalise `input` (idempotent: a compact IBAN normalises to itself).
    pub fn new(input: &str) -> Self {
        let mut out = String::with_capacity(input.len().min(64));
        out.extend(kept_chars(input));
        let label = label_len(out.as_bytes(), out.len());
        out.drain(..label);
        Self(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The two-letter prefix, when the first two characters are upper-case ASCII letters.
    pub fn country_code(&self) -> Option<&str> {
        self.0
            .get(..2)
            .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()))
    }

    /// Groups of four, as printed on paper (`CH93 0076 2011 6238 5295 7`).
    pub fn formatted(&self) -> String {
        format_grouped(&self.0)
    }

    /// The form for logs: country, check digits and the last four (`CH93…2957`); `…` alone
    /// when there are 8 characters or fewer, and the empty string for an empty input.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() <= 8 {
            return "…".repeat(usize::from(!chars.is_empty()));
        }
        let mut out: String = chars[..4].iter().collect();
        out.push('…');
        out.extend(&chars[chars.len() - 4..]);
        out
    }
}

impl FromStr for CompactIban {
    /// Normalising cannot fail; whether the result is an IBAN is [`validate`]'s question.
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(s))
    }
}

impl fmt::Display for CompactIban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for CompactIban {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The compact form as a `String` (see [`CompactIban`]).
pub fn normalize(input: &str) -> String {
    CompactIban::new(input).into_string()
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

/// ISO 7064 MOD 97-10 remainder of a compact IBAN (country and check digits moved to the
/// end; see [`mod97::iban_remainder`]). `None` on a character that is not an ASCII digit or
/// upper-case letter, or fewer than four characters.
pub fn mod97(compact: &str) -> Option<u32> {
    mod97::iban_remainder(compact.as_bytes()).map(u32::from)
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

/// The longest compact IBAN (34) plus the `IBAN:` label, with room to spare: anything longer
/// is the wrong length whatever it holds.
const QUICK_BUFFER: usize = 48;

/// The structural verdict without allocating: the same normalisation as [`CompactIban`] into
/// a stack buffer, then registry lookup, length, per-position classes, check-digit range and
/// mod-97. Same verdict and error code as [`validate_structure`] on every input (a property
/// test holds it to that, labelled and spaced inputs included), none of its details; for bulk
/// use and benchmarks.
pub fn quick_check(
    input: &str,
    options: ValidateOptions,
) -> Result<&'static CountrySpec, IbanError> {
    let mut buf = [0u8; QUICK_BUFFER];
    // Byte length of the whole compact form (the buffer holds its first QUICK_BUFFER bytes)
    // and where its last character other than an ASCII letter or digit is.
    let mut total = 0usize;
    let mut last_bad: Option<usize> = None;
    for ch in kept_chars(input) {
        if !ch.is_ascii_alphanumeric() {
            last_bad = Some(total);
        }
        let mut utf8 = [0u8; 4];
        let encoded = ch.encode_utf8(&mut utf8).as_bytes();
        if let Some(slot) = buf.get_mut(total..total + encoded.len()) {
            slot.copy_from_slice(encoded);
        }
        total += encoded.len();
    }
    let label = label_len(&buf[..total.min(QUICK_BUFFER)], total);
    // Only the label's own colon may be other than a letter or digit.
    if last_bad.is_some_and(|at| at >= label) {
        return Err(IbanError::InvalidFormat);
    }
    let len = total - label;
    let b = &buf[label..total.min(QUICK_BUFFER)];
    if len < 5
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
    {
        return Err(IbanError::InvalidFormat);
    }
    let code = std::str::from_utf8(&b[..2]).map_err(|_| IbanError::InvalidFormat)?;
    let spec = registry::lookup(code, options.aspirational).ok_or(IbanError::UnsupportedCountry)?;
    if len != spec.iban_length {
        return Err(IbanError::WrongLength);
    }
    // One pass over the BBAN: its classes, and the mod-97 remainder as it goes.
    let mut m = Mod97::new();
    for (&class, &c) in spec.bban_classes.iter().zip(&b[4..]) {
        if !class_ok(class, c) {
            return Err(IbanError::InvalidBbanStructure);
        }
        m.push(c);
    }
    if matches!(&b[2..4], b"00" | b"01" | b"99") {
        return Err(IbanError::InvalidCheckDigits);
    }
    b[..4].iter().for_each(|&c| {
        m.push(c);
    });
    if m.remainder() != 1 {
        return Err(IbanError::ChecksumFailed);
    }
    Ok(spec)
}

/// Where the German national check gets the Bundesbank method of a bank code (BLZ). The
/// method is a fact of the bank directory, which this module does not read: the caller passes
/// the lookup in (the engine's wiring, [`crate::engine::validate_iban`], passes
/// [`crate::engine::banks::german_check_method`]; a test may pass `|_| None`).
pub type GermanMethodLookup = fn(bank_code: &str) -> Option<&'static str>;

/// Check one IBAN as given by a person (any spacing, any case), national check digits
/// included. Normalises first; see [`validate_compact`] when the input is already compact.
pub fn validate(
    input: &str,
    options: ValidateOptions,
    german_method: GermanMethodLookup,
) -> IbanCheck {
    validate_compact(CompactIban::new(input), options, german_method)
}

/// [`validate`] for an IBAN normalised at the boundary.
pub fn validate_compact(
    iban: CompactIban,
    options: ValidateOptions,
    german_method: GermanMethodLookup,
) -> IbanCheck {
    validate_with(iban, options, Some(german_method))
}

/// Structure and mod-97 only, without the national check digits (and so without the bank
/// directory a German IBAN's method comes from): what other IBAN libraries check, for
/// comparing speed like with like. Same verdict as [`quick_check`] on every input.
pub fn validate_structure(input: &str, options: ValidateOptions) -> IbanCheck {
    validate_with(CompactIban::new(input), options, None)
}

fn validate_with(
    iban: CompactIban,
    options: ValidateOptions,
    national: Option<GermanMethodLookup>,
) -> IbanCheck {
    let mut check = IbanCheck {
        iban: iban.into_string(),
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
    national: Option<GermanMethodLookup>,
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
    let german_method_of = national?;
    let german_method = if spec.code == "DE" {
        check
            .bban
            .as_ref()
            .and_then(|b| b.bank_code.as_deref())
            .and_then(german_method_of)
    } else {
        None
    };
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

/// A masked form for logs: country, check digits and the last four (`CH93…2957`); see
/// [`CompactIban::masked`].
pub fn mask(input: &str) -> String {
    CompactIban::new(input).masked()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_reads_back_as_its_error() {
        for e in IbanError::ALL {
            assert_eq!(IbanError::from_code(e.code()), Some(e));
            assert!(!e.to_string().is_empty() && !e.rule().is_empty());
        }
        assert_eq!(IbanError::from_code("a_code_only_the_api_uses"), None);
    }

    fn v(s: &str) -> IbanCheck {
        validate(s, ValidateOptions::default(), |_| None)
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
            |_| None,
        );
        assert!(c.valid(), "{:?}", c.error);
    }

    #[test]
    fn masks_for_logs() {
        assert_eq!(mask("CH93 0076 2011 6238 5295 7"), "CH93…2957");
        assert_eq!(mask("CH93"), "…");
        assert_eq!(mask(""), "");
    }

    /// The two checks once disagreed on a labelled input with a colon.
    #[test]
    fn quick_check_reads_labels_like_validate() {
        for s in [
            "IBAN: CH93 0076 2011 6238 5295 7",
            "iban CH93 0076 2011 6238 5295 7",
            "IBAN:CH9300762011623852957",
        ] {
            assert!(quick_check(s, ValidateOptions::default()).is_ok(), "{s}");
            assert!(
                validate_structure(s, ValidateOptions::default()).valid(),
                "{s}"
            );
        }
        for s in [
            "IBAN: CH93 0076 2011 6238 5295 :7",
            "IBAN::CH9300762011623852957",
        ] {
            assert_eq!(
                quick_check(s, ValidateOptions::default()).err(),
                Some(IbanError::InvalidFormat),
                "{s}"
            );
        }
    }

    #[test]
    fn compact_iban_is_made_once() {
        let c: CompactIban = "iban: de89 3704-0044 0532.0130 00".parse().unwrap();
        assert_eq!(c.as_str(), "DE89370400440532013000");
        assert_eq!(c.country_code(), Some("DE"));
        assert_eq!(CompactIban::new(c.as_str()), c);
        assert_eq!(c.masked(), "DE89…3000");
        assert_eq!(c.formatted(), "DE89 3704 0044 0532 0130 00");
    }

    #[test]
    fn the_german_method_comes_from_the_caller() {
        let de = "DE89370400440532013000";
        let unknown = validate(de, ValidateOptions::default(), |_| None);
        assert_eq!(unknown.national.unwrap().status(), "not_checkable");
        let known = validate(de, ValidateOptions::default(), |blz| {
            (blz == "37040044").then_some("13")
        });
        assert_eq!(known.national.unwrap().status(), "passed");
        // Method 01 rejects this account: the verdict follows the method given.
        assert_eq!(
            national::germany::validate("01", &de.as_bytes()[4..]),
            Some(false)
        );
        let wrong = validate(de, ValidateOptions::default(), |_| Some("01"));
        assert_eq!(
            wrong.error.map(|e| e.0),
            Some(IbanError::NationalCheckFailed)
        );
    }

    #[test]
    fn check_digits_roundtrip() {
        assert_eq!(
            compute_check_digits("CH", "00762011623852957").as_deref(),
            Some("93")
        );
    }
}
