//! The Swiss QR-bill's payload (the text in its Swiss QR Code) against the Swiss
//! Implementation Guidelines for the QR-bill, version 2.3.
//!
//! Version 2.3 (SIX, in force since 21 November 2025; version 2.2 fully replaced from
//! 22 November 2025) is the current one: it allows only structured addresses (type `S`) —
//! the banks' transition period for combined `K` addresses ended in autumn 2026 — and widens
//! the character set to Basic Latin, Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț and €.
//! Every rule that needs nothing but the payload is checked here: header, element count and
//! order, the creditor IBAN and its kind against the reference type, addresses, mandatory,
//! empty-reserved and length-limited fields, characters, amount, currency, the reference,
//! the 140-character limit of message plus bill information, the trailer, at most two
//! alternative schemes and the 997-byte limit. A broken bill is a result, never an error.

use std::fmt;

use super::iban::IbanCheck;
use super::payment_reference::{self, IbanKind, Scheme};

/// The guidelines checked, for `provenance.data_as_of`.
pub const GUIDELINES: &str =
    "Swiss Implementation Guidelines QR-bill v2.3 (in force since 2025-11-21)";

/// The Swiss QR Code (version 25, error correction M) holds at most 997 bytes of UTF-8
/// (IG QR-bill 2.3, 4.1): field limits count characters, this one counts bytes.
pub const MAX_PAYLOAD_BYTES: usize = 997;
/// Elements up to and including the trailer `EPD`.
pub const MIN_ELEMENTS: usize = 31;
/// The trailer, bill information and two alternative schemes.
pub const MAX_ELEMENTS: usize = 34;

/// One element of the payload, in the order the guidelines fix (or the payload as a whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Payload,
    QrType,
    Version,
    Coding,
    Iban,
    Creditor(AddressPart),
    UltimateCreditor(AddressPart),
    Amount,
    Currency,
    UltimateDebtor(AddressPart),
    ReferenceType,
    Reference,
    Message,
    Trailer,
    BillInformation,
    AlternativeScheme(u8),
}

/// The seven elements of an address, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressPart {
    AddressType,
    Name,
    StreetOrLine1,
    BuildingOrLine2,
    PostalCode,
    Town,
    Country,
}

impl AddressPart {
    const ALL: [AddressPart; 7] = [
        Self::AddressType,
        Self::Name,
        Self::StreetOrLine1,
        Self::BuildingOrLine2,
        Self::PostalCode,
        Self::Town,
        Self::Country,
    ];

    fn element(self) -> &'static str {
        match self {
            Self::AddressType => "AdrTp",
            Self::Name => "Name",
            Self::StreetOrLine1 => "StrtNmOrAdrLine1",
            Self::BuildingOrLine2 => "BldgNbOrAdrLine2",
            Self::PostalCode => "PstCd",
            Self::Town => "TwnNm",
            Self::Country => "Ctry",
        }
    }
}

impl Field {
    /// The element at a 0-based position of the payload.
    pub fn at(index: usize) -> Field {
        match index {
            0 => Self::QrType,
            1 => Self::Version,
            2 => Self::Coding,
            3 => Self::Iban,
            4..=10 => Self::Creditor(AddressPart::ALL[index - 4]),
            11..=17 => Self::UltimateCreditor(AddressPart::ALL[index - 11]),
            18 => Self::Amount,
            19 => Self::Currency,
            20..=26 => Self::UltimateDebtor(AddressPart::ALL[index - 20]),
            27 => Self::ReferenceType,
            28 => Self::Reference,
            29 => Self::Message,
            30 => Self::Trailer,
            31 => Self::BillInformation,
            32 => Self::AlternativeScheme(1),
            _ => Self::AlternativeScheme(2),
        }
    }

    /// The guidelines' name of the element, e.g. `Cdtr.PstCd`.
    pub fn name(self) -> String {
        match self {
            Self::Payload => "payload".into(),
            Self::QrType => "Header.QRType".into(),
            Self::Version => "Header.Version".into(),
            Self::Coding => "Header.Coding".into(),
            Self::Iban => "CdtrInf.IBAN".into(),
            Self::Creditor(p) => format!("Cdtr.{}", p.element()),
            Self::UltimateCreditor(p) => format!("UltmtCdtr.{}", p.element()),
            Self::Amount => "CcyAmt.Amt".into(),
            Self::Currency => "CcyAmt.Ccy".into(),
            Self::UltimateDebtor(p) => format!("UltmtDbtr.{}", p.element()),
            Self::ReferenceType => "RmtInf.Tp".into(),
            Self::Reference => "RmtInf.Ref".into(),
            Self::Message => "RmtInf.AddInf.Ustrd".into(),
            Self::Trailer => "RmtInf.AddInf.Trailer".into(),
            Self::BillInformation => "RmtInf.AddInf.StrdBkgInf".into(),
            Self::AlternativeScheme(n) => format!("AltPmtInf.AltPmt[{n}]"),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Which rule an error or warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// More than 997 bytes.
    PayloadTooLong,
    /// A carriage return not followed by a line feed.
    InvalidSeparator,
    TooFewElements,
    /// More than two alternative schemes, or other elements after them.
    TooManyElements,
    /// Empty elements after the last one (a trailing line break): tolerated, reported.
    TrailingSeparator,
    InvalidQrType,
    UnsupportedVersion,
    InvalidCoding,
    MissingField,
    /// A field that must stay empty (reserved for future use, or not used by this type).
    MustBeEmpty,
    TooLong,
    InvalidCharacter,
    InvalidIban,
    /// The creditor account is not a Swiss or Liechtenstein IBAN.
    IbanNotChLi,
    /// A QR-IBAN needs reference type `QRR`.
    QrIbanRequiresQrr,
    /// Reference type `QRR` needs a QR-IBAN.
    QrrRequiresQrIban,
    InvalidAddressType,
    /// Combined addresses (`K`) are no longer allowed under version 2.3.
    CombinedAddressRefused,
    InvalidCountry,
    InvalidAmount,
    AmountOutOfRange,
    InvalidCurrency,
    InvalidReferenceType,
    InvalidReference,
    /// Message and bill information together exceed 140 characters.
    AdditionalInformationTooLong,
    InvalidTrailer,
    /// Bill information that does not start with `//` (Swico syntax).
    BillInformationFormat,
    EmptyAlternativeScheme,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Self::PayloadTooLong => "payload_too_long",
            Self::InvalidSeparator => "invalid_separator",
            Self::TooFewElements => "too_few_elements",
            Self::TooManyElements => "too_many_elements",
            Self::TrailingSeparator => "trailing_separator",
            Self::InvalidQrType => "invalid_qr_type",
            Self::UnsupportedVersion => "unsupported_version",
            Self::InvalidCoding => "invalid_coding",
            Self::MissingField => "missing_field",
            Self::MustBeEmpty => "must_be_empty",
            Self::TooLong => "too_long",
            Self::InvalidCharacter => "invalid_character",
            Self::InvalidIban => "invalid_iban",
            Self::IbanNotChLi => "iban_not_ch_li",
            Self::QrIbanRequiresQrr => "qr_iban_requires_qrr",
            Self::QrrRequiresQrIban => "qrr_requires_qr_iban",
            Self::InvalidAddressType => "invalid_address_type",
            Self::CombinedAddressRefused => "combined_address_refused",
            Self::InvalidCountry => "invalid_country",
            Self::InvalidAmount => "invalid_amount",
            Self::AmountOutOfRange => "amount_out_of_range",
            Self::InvalidCurrency => "invalid_currency",
            Self::InvalidReferenceType => "invalid_reference_type",
            Self::InvalidReference => "invalid_reference",
            Self::AdditionalInformationTooLong => "additional_information_too_long",
            Self::InvalidTrailer => "invalid_trailer",
            Self::BillInformationFormat => "bill_information_format",
            Self::EmptyAlternativeScheme => "empty_alternative_scheme",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One finding: where, which rule, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub field: Field,
    pub rule: Rule,
    pub detail: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.field, self.rule, self.detail)
    }
}

/// An address as the payload gives it (empty strings where the payload has nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    pub address_type: String,
    pub name: String,
    pub street_or_line1: String,
    pub building_or_line2: String,
    pub postal_code: String,
    pub town: String,
    pub country: String,
}

impl Address {
    fn from(parts: &[&str]) -> Option<Self> {
        if parts.iter().all(|p| p.is_empty()) {
            return None;
        }
        let get = |i: usize| parts.get(i).copied().unwrap_or_default().to_string();
        Some(Self {
            address_type: get(0),
            name: get(1),
            street_or_line1: get(2),
            building_or_line2: get(3),
            postal_code: get(4),
            town: get(5),
            country: get(6),
        })
    }
}

/// The parsed fields of a payload (whatever could be read, valid or not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bill {
    pub iban: String,
    pub creditor: Option<Address>,
    pub amount: Option<String>,
    pub currency: String,
    pub debtor: Option<Address>,
    pub reference_type: String,
    pub reference: Option<String>,
    pub message: Option<String>,
    pub bill_information: Option<String>,
    pub alternative_schemes: Vec<String>,
}

/// The verdict on one payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillCheck {
    pub valid: bool,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    pub bill: Bill,
    /// The creditor account's kind, when the IBAN is valid.
    pub iban_kind: Option<IbanKind>,
    /// UTF-8 bytes in the payload, separators included.
    pub bytes: usize,
    pub elements: usize,
}

/// Whether version 2.3 permits a character in the Swiss QR Code.
pub fn permitted_char(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7E}'
        | '\u{A0}'..='\u{FF}'
        | '\u{100}'..='\u{17F}'
        | '\u{218}'..='\u{21B}'
        | '\u{20AC}')
}

struct Checker {
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl Checker {
    fn error(&mut self, field: Field, rule: Rule, detail: impl Into<String>) {
        self.errors.push(Issue {
            field,
            rule,
            detail: detail.into(),
        });
    }

    fn warn(&mut self, field: Field, rule: Rule, detail: impl Into<String>) {
        self.warnings.push(Issue {
            field,
            rule,
            detail: detail.into(),
        });
    }

    fn mandatory(&mut self, field: Field, value: &str, what: &str) -> bool {
        if value.is_empty() {
            self.error(field, Rule::MissingField, format!("{what} is mandatory"));
            false
        } else {
            true
        }
    }

    fn empty(&mut self, field: Field, value: &str, why: &str) {
        if !value.is_empty() {
            self.error(field, Rule::MustBeEmpty, format!("must be empty: {why}"));
        }
    }

    fn max_len(&mut self, field: Field, value: &str, max: usize) {
        let n = value.chars().count();
        if n > max {
            self.error(
                field,
                Rule::TooLong,
                format!("{n} characters; at most {max} are allowed"),
            );
        }
    }

    fn characters(&mut self, field: Field, value: &str) {
        // A carriage return inside an element is a broken separator, reported once as
        // `invalid_separator`, not again as a character.
        if let Some(c) = value.chars().find(|&c| c != '\r' && !permitted_char(c)) {
            self.error(
                field,
                Rule::InvalidCharacter,
                format!(
                    "U+{:04X} is outside the permitted set (Basic Latin, Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț €)",
                    u32::from(c)
                ),
            );
        }
    }

    /// An address block; `required` for the creditor, optional (all or nothing) for the debtor.
    fn address(&mut self, at: fn(AddressPart) -> Field, parts: &[&str], required: bool) {
        if !required && parts.iter().all(|p| p.is_empty()) {
            return;
        }
        let [tp, name, line1, line2, pcode, town, country] = parts else {
            return;
        };
        match *tp {
            "S" => {}
            "K" => self.error(
                at(AddressPart::AddressType),
                Rule::CombinedAddressRefused,
                "combined addresses (K) are not allowed since version 2.3 (21 November 2025): use a structured address (S) with street, house number, postal code and town in their own fields",
            ),
            "" => {
                self.error(
                    at(AddressPart::AddressType),
                    Rule::MissingField,
                    "the address type is mandatory: S (structured)",
                );
            }
            other => self.error(
                at(AddressPart::AddressType),
                Rule::InvalidAddressType,
                format!("`{other}` is not an address type: use S (structured)"),
            ),
        }
        self.mandatory(at(AddressPart::Name), name, "the name");
        self.max_len(at(AddressPart::Name), name, 70);
        self.max_len(at(AddressPart::StreetOrLine1), line1, 70);
        if *tp == "K" {
            self.mandatory(
                at(AddressPart::BuildingOrLine2),
                line2,
                "address line 2 (postal code and town) of a combined address",
            );
            self.max_len(at(AddressPart::BuildingOrLine2), line2, 70);
            self.empty(
                at(AddressPart::PostalCode),
                pcode,
                "a combined address carries the postal code in address line 2",
            );
            self.empty(
                at(AddressPart::Town),
                town,
                "a combined address carries the town in address line 2",
            );
        } else {
            self.max_len(at(AddressPart::BuildingOrLine2), line2, 16);
            if self.mandatory(at(AddressPart::PostalCode), pcode, "the postal code") {
                self.max_len(at(AddressPart::PostalCode), pcode, 16);
            }
            if self.mandatory(at(AddressPart::Town), town, "the town") {
                self.max_len(at(AddressPart::Town), town, 35);
            }
        }
        if self.mandatory(at(AddressPart::Country), country, "the country") {
            let known = country.len() == 2
                && country.bytes().all(|b| b.is_ascii_uppercase())
                && super::countries::name(country).is_some();
            if !known {
                self.error(
                    at(AddressPart::Country),
                    Rule::InvalidCountry,
                    format!("`{country}` is not an ISO 3166-1 two-letter country code"),
                );
            }
        }
    }
}

/// Split a payload into elements: LF or CR LF separated.
fn split(payload: &str) -> (Vec<&str>, bool) {
    let mut bad_cr = false;
    let elements = payload
        .split('\n')
        .map(|e| {
            let e = e.strip_suffix('\r').unwrap_or(e);
            bad_cr |= e.contains('\r');
            e
        })
        .collect();
    (elements, bad_cr)
}

/// Check a payload. `validate_iban` is the engine's IBAN check (passed in so this module
/// needs nothing from the bank directory).
pub fn check(payload: &str, validate_iban: impl Fn(&str) -> IbanCheck) -> BillCheck {
    let mut c = Checker {
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let bytes = payload.len();
    if bytes > MAX_PAYLOAD_BYTES {
        c.error(
            Field::Payload,
            Rule::PayloadTooLong,
            format!(
                "{bytes} bytes (UTF-8, separators included); the Swiss QR Code holds at most {MAX_PAYLOAD_BYTES}"
            ),
        );
    }
    let (mut el, bad_cr) = split(payload);
    if bad_cr {
        c.error(
            Field::Payload,
            Rule::InvalidSeparator,
            "elements are separated by CR LF or LF; a lone CR is not a separator",
        );
    }
    // The last element is not followed by a separator (IG QR-bill 2.3, 4.1.4): a payload
    // ending in one has empty elements after its last; they are dropped and reported, down
    // to the trailer (an empty optional element at the end is the same line break).
    if el.len() > MIN_ELEMENTS && el.last().is_some_and(|e| e.is_empty()) {
        while el.len() > MIN_ELEMENTS && el.last().is_some_and(|e| e.is_empty()) {
            el.pop();
        }
        c.warn(
            Field::Payload,
            Rule::TrailingSeparator,
            "line breaks after the last element (ignored)",
        );
    }
    let total = el.len();
    if total < MIN_ELEMENTS {
        c.error(
            Field::Payload,
            Rule::TooFewElements,
            format!(
                "{total} elements; a QR-bill has at least {MIN_ELEMENTS} (up to the trailer EPD), empty ones included"
            ),
        );
    } else if total > MAX_ELEMENTS {
        c.error(
            Field::Payload,
            Rule::TooManyElements,
            format!(
                "{total} elements; at most {MAX_ELEMENTS}: after EPD come only the bill information and at most two alternative schemes"
            ),
        );
    }
    let get = |i: usize| el.get(i).copied().unwrap_or_default();

    for (i, v) in el.iter().enumerate().take(MAX_ELEMENTS) {
        c.characters(Field::at(i), v);
    }

    // Header.
    if get(0) != "SPC" {
        c.error(
            Field::QrType,
            Rule::InvalidQrType,
            format!("`{}` instead of SPC (Swiss Payments Code)", get(0)),
        );
    }
    if get(1) != "0200" {
        c.error(
            Field::Version,
            Rule::UnsupportedVersion,
            format!(
                "`{}` instead of 0200 (version 2.x of the guidelines)",
                get(1)
            ),
        );
    }
    if get(2) != "1" {
        c.error(
            Field::Coding,
            Rule::InvalidCoding,
            format!("`{}` instead of 1 (UTF-8, Latin subset)", get(2)),
        );
    }

    // Creditor account.
    let iban = get(3);
    let mut iban_kind = None;
    if c.mandatory(Field::Iban, iban, "the creditor's IBAN") {
        let check = validate_iban(iban);
        if iban.len() != 21 || iban.chars().any(|ch| !ch.is_ascii_alphanumeric()) {
            c.error(
                Field::Iban,
                Rule::InvalidIban,
                "the IBAN is written with 21 characters, without spaces",
            );
        } else if !(iban.starts_with("CH") || iban.starts_with("LI")) {
            c.error(
                Field::Iban,
                Rule::IbanNotChLi,
                "only Swiss (CH) and Liechtenstein (LI) IBANs are allowed",
            );
        } else if let Some((e, detail)) = &check.error {
            c.error(
                Field::Iban,
                Rule::InvalidIban,
                format!("{}: {detail}", e.code()),
            );
        } else {
            iban_kind = Some(IbanKind::of(&check.iban));
        }
    }

    // Creditor, ultimate creditor.
    c.address(Field::Creditor, &el_slice(&el, 4), true);
    for (i, p) in AddressPart::ALL.into_iter().enumerate() {
        c.empty(
            Field::UltimateCreditor(p),
            get(11 + i),
            "the ultimate creditor is reserved for future use",
        );
    }

    // Amount and currency.
    let amount = get(18);
    if !amount.is_empty() {
        match parse_amount(amount) {
            None => c.error(
                Field::Amount,
                Rule::InvalidAmount,
                format!(
                    "`{amount}` is not an amount: digits, a decimal point and exactly two decimals (e.g. 1949.75), no separators"
                ),
            ),
            Some(cents) if !(1..=99_999_999_999).contains(&cents) => c.error(
                Field::Amount,
                Rule::AmountOutOfRange,
                "the amount is 0.01 to 999999999.99, or empty for the payer to fill in",
            ),
            Some(_) => {}
        }
    }
    let currency = get(19);
    if c.mandatory(Field::Currency, currency, "the currency") && !matches!(currency, "CHF" | "EUR")
    {
        c.error(
            Field::Currency,
            Rule::InvalidCurrency,
            format!("`{currency}`: only CHF and EUR are allowed"),
        );
    }

    // Ultimate debtor.
    c.address(Field::UltimateDebtor, &el_slice(&el, 20), false);

    // Reference.
    let tp = get(27);
    let reference = get(28);
    match tp {
        "QRR" => {
            if c.mandatory(Field::Reference, reference, "a QR reference (27 digits)") {
                let r = payment_reference::check_scheme(Scheme::ChQrr, reference);
                if let Some((e, detail)) = r.error {
                    c.error(
                        Field::Reference,
                        Rule::InvalidReference,
                        format!("{}: {detail}", e.code()),
                    );
                }
            }
        }
        "SCOR" => {
            if c.mandatory(Field::Reference, reference, "an RF creditor reference") {
                let r = payment_reference::check_scheme(Scheme::Rf, reference);
                if let Some((e, detail)) = r.error {
                    c.error(
                        Field::Reference,
                        Rule::InvalidReference,
                        format!("{}: {detail} (written without spaces)", e.code()),
                    );
                }
            }
        }
        "NON" => c.empty(
            Field::Reference,
            reference,
            "reference type NON carries no reference",
        ),
        "" => c.error(
            Field::ReferenceType,
            Rule::MissingField,
            "the reference type is mandatory: QRR, SCOR or NON",
        ),
        other => c.error(
            Field::ReferenceType,
            Rule::InvalidReferenceType,
            format!("`{other}`: the reference type is QRR, SCOR or NON"),
        ),
    }
    match (iban_kind, tp) {
        (Some(IbanKind::QrIban), "SCOR" | "NON") => c.error(
            Field::ReferenceType,
            Rule::QrIbanRequiresQrr,
            "a QR-IBAN (IID 30000-31999) requires reference type QRR with a QR reference",
        ),
        (Some(IbanKind::Iban), "QRR") => c.error(
            Field::ReferenceType,
            Rule::QrrRequiresQrIban,
            "reference type QRR requires a QR-IBAN; with this IBAN use SCOR or NON",
        ),
        _ => {}
    }

    // Additional information, trailer.
    let message = get(29);
    c.max_len(Field::Message, message, 140);
    if total > MIN_ELEMENTS - 1 && get(30) != "EPD" {
        c.error(
            Field::Trailer,
            Rule::InvalidTrailer,
            format!("`{}` instead of EPD (end payment data)", get(30)),
        );
    }
    let bill_info = get(31);
    c.max_len(Field::BillInformation, bill_info, 140);
    let (m, b) = (message.chars().count(), bill_info.chars().count());
    let both = m + b;
    if both > 140 && m <= 140 && b <= 140 {
        c.error(
            Field::Message,
            Rule::AdditionalInformationTooLong,
            format!(
                "message and bill information together have {both} characters; at most 140 are allowed"
            ),
        );
    }
    if !bill_info.is_empty() && !bill_info.starts_with("//") {
        c.warn(
            Field::BillInformation,
            Rule::BillInformationFormat,
            "bill information normally starts with // (Swico syntax, e.g. //S1/10/…)",
        );
    }

    // Alternative schemes.
    for n in 1..=2u8 {
        let i = 31 + usize::from(n);
        if i < total.min(MAX_ELEMENTS) {
            let v = get(i);
            let f = Field::AlternativeScheme(n);
            if v.is_empty() {
                c.warn(
                    f,
                    Rule::EmptyAlternativeScheme,
                    "an empty alternative scheme",
                );
            }
            c.max_len(f, v, 100);
        }
    }

    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let bill = Bill {
        iban: iban.to_string(),
        creditor: Address::from(&el_slice(&el, 4)),
        amount: opt(amount),
        currency: currency.to_string(),
        debtor: Address::from(&el_slice(&el, 20)),
        reference_type: tp.to_string(),
        reference: opt(reference),
        message: opt(message),
        bill_information: opt(bill_info),
        alternative_schemes: (32..total.min(MAX_ELEMENTS))
            .map(|i| get(i).to_string())
            .collect(),
    };
    BillCheck {
        valid: c.errors.is_empty(),
        errors: c.errors,
        warnings: c.warnings,
        bill,
        iban_kind,
        bytes,
        elements: total,
    }
}

/// The seven elements of the address starting at `start` (empty where missing).
fn el_slice<'a>(el: &[&'a str], start: usize) -> [&'a str; 7] {
    std::array::from_fn(|i| el.get(start + i).copied().unwrap_or_default())
}

/// An amount in cents: `digits.dd`, 1 to 9 digits before the point, exactly two after.
fn parse_amount(s: &str) -> Option<u64> {
    let (int, dec) = s.split_once('.')?;
    let ok = (1..=9).contains(&int.len())
        && dec.len() == 2
        && int.bytes().chain(dec.bytes()).all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    Some(int.parse::<u64>().ok()? * 100 + dec.parse::<u64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guidelines' example with a QR-IBAN and a QR reference (IG QR-bill, annex).
    fn example() -> Vec<String> {
        [
            "SPC", "0200", "1", "CH4431999123000889012", "S", "Robert Schneider AG", "Rue du Lac",
            "1268", "2501", "Biel", "CH", "", "", "", "", "", "", "", "1949.75", "CHF", "S",
            "Pia-Maria Rutschmann-Schnyder", "Grosse Marktgasse", "28", "9400", "Rorschach", "CH",
            "QRR", "210000000003139471430009017", "Order of 15 June 2020", "EPD",
            "//S1/10/10201409/11/200701/20/140.000-53/30/102673831/31/200615/32/7.7/33/7.7:139.40/40/0:30",
            "Name AV1: UV;UltraPay005;12345", "Name AV2: XY;XYService;54321",
        ]
        .map(String::from)
        .to_vec()
    }

    fn run(el: &[String]) -> BillCheck {
        crate::engine::check_qr_bill(&el.join("\r\n"))
    }

    fn codes(c: &BillCheck) -> Vec<(String, Rule)> {
        c.errors.iter().map(|i| (i.field.name(), i.rule)).collect()
    }

    fn breaks(index: usize, value: &str, field: &str, rule: Rule) {
        let mut el = example();
        el[index] = value.to_string();
        let c = run(&el);
        assert_eq!(codes(&c), [(field.to_string(), rule)], "{value}");
        assert!(!c.valid);
    }

    #[test]
    fn the_example_is_valid_with_lf_or_crlf() {
        let c = run(&example());
        assert!(c.valid, "{:?}", c.errors);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert_eq!(c.iban_kind, Some(IbanKind::QrIban));
        assert_eq!(c.bill.amount.as_deref(), Some("1949.75"));
        assert_eq!(c.bill.alternative_schemes.len(), 2);
        assert_eq!(c.bill.debtor.as_ref().unwrap().town, "Rorschach");
        let lf = crate::engine::check_qr_bill(&example().join("\n"));
        assert!(lf.valid);
        // The shortest form: up to EPD.
        let short = run(&example()[..31]);
        assert!(short.valid, "{:?}", short.errors);
        assert_eq!(short.elements, 31);
    }

    #[test]
    fn each_rule_broken_alone() {
        breaks(0, "SPX", "Header.QRType", Rule::InvalidQrType);
        breaks(1, "0100", "Header.Version", Rule::UnsupportedVersion);
        breaks(2, "2", "Header.Coding", Rule::InvalidCoding);
        breaks(
            3,
            "CH4431999123000889013",
            "CdtrInf.IBAN",
            Rule::InvalidIban,
        );
        breaks(
            3,
            "DE89370400440532013000",
            "CdtrInf.IBAN",
            Rule::InvalidIban,
        );
        breaks(4, "X", "Cdtr.AdrTp", Rule::InvalidAddressType);
        breaks(5, "", "Cdtr.Name", Rule::MissingField);
        breaks(5, &"n".repeat(71), "Cdtr.Name", Rule::TooLong);
        breaks(7, &"1".repeat(17), "Cdtr.BldgNbOrAdrLine2", Rule::TooLong);
        breaks(8, "", "Cdtr.PstCd", Rule::MissingField);
        breaks(9, &"t".repeat(36), "Cdtr.TwnNm", Rule::TooLong);
        breaks(10, "XX", "Cdtr.Ctry", Rule::InvalidCountry);
        breaks(12, "Someone", "UltmtCdtr.Name", Rule::MustBeEmpty);
        breaks(18, "1949.7", "CcyAmt.Amt", Rule::InvalidAmount);
        breaks(18, "1'949.75", "CcyAmt.Amt", Rule::InvalidAmount);
        breaks(18, "0.00", "CcyAmt.Amt", Rule::AmountOutOfRange);
        breaks(19, "USD", "CcyAmt.Ccy", Rule::InvalidCurrency);
        breaks(21, "", "UltmtDbtr.Name", Rule::MissingField);
        breaks(27, "XYZ", "RmtInf.Tp", Rule::InvalidReferenceType);
        breaks(
            28,
            "210000000003139471430009016",
            "RmtInf.Ref",
            Rule::InvalidReference,
        );
        breaks(
            29,
            "€ ok, but not ✓",
            "RmtInf.AddInf.Ustrd",
            Rule::InvalidCharacter,
        );
        breaks(30, "END", "RmtInf.AddInf.Trailer", Rule::InvalidTrailer);
        breaks(32, &"a".repeat(101), "AltPmtInf.AltPmt[1]", Rule::TooLong);
        // Combined addresses are refused under 2.3.
        let mut el = example();
        el[4..11].clone_from_slice(
            &[
                "K",
                "Robert Schneider AG",
                "Rue du Lac 1268",
                "2501 Biel",
                "",
                "",
                "CH",
            ]
            .map(String::from),
        );
        assert_eq!(
            codes(&run(&el)),
            [("Cdtr.AdrTp".into(), Rule::CombinedAddressRefused)]
        );
    }

    #[test]
    fn cross_field_rules() {
        // An ordinary IBAN with QRR; a QR-IBAN with SCOR.
        let mut el = example();
        el[3] = "CH5800791123000889012".into();
        assert_eq!(
            codes(&run(&el)),
            [("RmtInf.Tp".into(), Rule::QrrRequiresQrIban)]
        );
        el[27] = "SCOR".into();
        el[28] = "RF18539007547034".into();
        assert!(run(&el).valid);
        el[28] = "RF18 5390 0754 7034".into();
        assert_eq!(
            codes(&run(&el)),
            [("RmtInf.Ref".into(), Rule::InvalidReference)]
        );
        el[27] = "NON".into();
        el[28] = "".into();
        assert!(run(&el).valid);
        el[28] = "RF18539007547034".into();
        assert_eq!(codes(&run(&el)), [("RmtInf.Ref".into(), Rule::MustBeEmpty)]);
        let mut el = example();
        el[27] = "NON".into();
        el[28] = "".into();
        assert_eq!(
            codes(&run(&el)),
            [("RmtInf.Tp".into(), Rule::QrIbanRequiresQrr)]
        );
        // Message plus bill information over 140.
        let mut el = example();
        el[29] = "m".repeat(60);
        assert_eq!(
            codes(&run(&el)),
            [(
                "RmtInf.AddInf.Ustrd".into(),
                Rule::AdditionalInformationTooLong
            )]
        );
    }

    #[test]
    fn structure_rules() {
        let mut el = example();
        el.push("third scheme".into());
        assert_eq!(
            codes(&run(&el)),
            [("payload".into(), Rule::TooManyElements)]
        );
        let c = run(&example()[..30]);
        assert!(codes(&c).contains(&("payload".into(), Rule::TooFewElements)));
        let mut el = example();
        // Every field within its character limit, but 997 bytes exceeded: Latin-1 letters
        // take two bytes each in UTF-8.
        el[32] = "à".repeat(100);
        el[33] = "è".repeat(100);
        el[29] = "m".repeat(40);
        el[21] = "ü".repeat(70);
        el[22] = "é".repeat(70);
        el[24] = "p".repeat(16);
        el[25] = "t".repeat(35);
        el[6] = "ö".repeat(70);
        el[5] = "ä".repeat(70);
        let c = run(&el);
        assert_eq!(
            codes(&c),
            [("payload".into(), Rule::PayloadTooLong)],
            "{}",
            c.bytes
        );
        let trailing = crate::engine::check_qr_bill(&(example().join("\r\n") + "\r\n"));
        assert!(trailing.valid);
        assert_eq!(trailing.warnings[0].rule, Rule::TrailingSeparator);
        let cr = crate::engine::check_qr_bill(&example().join("\r"));
        assert!(!cr.valid);
        assert!(permitted_char('Ș') && permitted_char('€') && permitted_char('ž'));
        assert!(!permitted_char('✓') && !permitted_char('\t'));
    }
}
