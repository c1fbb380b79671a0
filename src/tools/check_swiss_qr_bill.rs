//! `check_swiss_qr_bill`: the text of a Swiss QR-bill's QR code against the Swiss
//! Implementation Guidelines QR-bill 2.3.
//!
//! Its full answer is the local engine's ([`qr_bill`]): every rule checked is in the
//! published guidelines, so it never calls the API, with or without a key, and answers
//! `mode: "full"`, `source: "local"`, `missing: []` in every configuration. A broken bill is
//! a result (`valid: false` with `errors`), never a tool error; only a missing or oversized
//! argument is refused. Written against the current tool pieces; the registry wires it in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Outcome;
use super::StructuredContent;
use super::answer::Answer;
use super::args::{Arguments, InputError, field};
use super::provenance::{Provenance, Source};
use super::text::Text;
use crate::engine::qr_bill::{self, Address, Issue};

pub const NAME: &str = "check_swiss_qr_bill";
pub const TITLE: &str = "Check Swiss QR-bill";
/// The first sentence stands alone (registries cut descriptions at 100 characters).
pub const DESCRIPTION: &str = "Check the text decoded from a Swiss QR-bill's QR code against the QR-bill guidelines.\n\
    Pass the SPC payload (lines separated by CR LF or LF; no image decoding). Checks header, element order, creditor IBAN and QR-IBAN/reference pairing, \
    structured addresses, field lengths and characters, amount, currency, reference check digits, message length, trailer, alternative schemes and size, \
    and lists every error and warning by field. \
    Free and offline: answered in full by the local engine, never calls the API, needs no key.";
pub const DATA_AS_OF: &str = qr_bill::GUIDELINES;
/// The answer's own text budget.
pub const MAX_TEXT_CHARS: usize = 1_500;
/// Longest payload accepted as an argument. A valid payload has at most 997 bytes; four
/// times that leaves room for a payload that is too long, so it gets a `payload_too_long`
/// verdict rather than a refusal, while still bounding what reaches the engine.
pub const MAX_PAYLOAD_CHARS: usize = 4 * qr_bill::MAX_PAYLOAD_BYTES;

/// Arguments of `check_swiss_qr_bill`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct QrBillArgs {
    /// The text decoded from the QR code, starting with "SPC" (elements separated by CR LF or LF).
    #[schemars(length(min = 1, max = 3988))]
    pub payload: String,
}

/// Check the raw arguments: a non-blank string of at most [`MAX_PAYLOAD_CHARS`].
pub fn parse(arguments: Option<&Arguments>) -> Result<String, InputError> {
    let v = field(arguments, "payload", "\"SPC\\r\\n0200\\r\\n1\\r\\nCH44…\"")?;
    let Some(s) = v.as_str() else {
        return Err(InputError(
            "`payload` must be a string: the text decoded from the QR code".into(),
        ));
    };
    let n = s.chars().count();
    if n > MAX_PAYLOAD_CHARS {
        return Err(InputError(format!(
            "`payload` is {n} characters long; at most {MAX_PAYLOAD_CHARS} are accepted (a QR-bill holds at most 997 bytes)"
        )));
    }
    if s.trim().is_empty() {
        return Err(InputError(
            "`payload` is empty; pass the text decoded from the QR code, starting with SPC".into(),
        ));
    }
    Ok(s.to_string())
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueBody {
    /// The guidelines' element name, e.g. `Cdtr.PstCd`, or `payload`.
    pub field: String,
    pub code: String,
    pub detail: String,
}

/// An address as the payload gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AddressBody {
    pub address_type: String,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub town: String,
    pub country: String,
}

/// The answer's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QrBillBody {
    pub valid: bool,
    pub errors: Vec<IssueBody>,
    pub warnings: Vec<IssueBody>,
    pub iban: String,
    /// `qr_iban` or `iban`; null when the IBAN is invalid.
    pub iban_kind: Option<String>,
    pub creditor: Option<AddressBody>,
    pub amount: Option<String>,
    pub currency: String,
    pub debtor: Option<AddressBody>,
    pub reference_type: String,
    pub reference: Option<String>,
    pub message: Option<String>,
    pub bill_information: Option<String>,
    pub alternative_schemes: Vec<String>,
}

fn issue(i: &Issue) -> IssueBody {
    IssueBody {
        field: i.field.name(),
        code: i.rule.code().to_string(),
        detail: i.detail.clone(),
    }
}

fn address(a: &Address) -> AddressBody {
    AddressBody {
        address_type: a.address_type.clone(),
        name: a.name.clone(),
        street: a.street_or_line1.clone(),
        house_number: a.building_or_line2.clone(),
        postal_code: a.postal_code.clone(),
        town: a.town.clone(),
        country: a.country.clone(),
    }
}

/// The full answer, from the engine alone.
pub fn answer(payload: &str) -> QrBillBody {
    let c = crate::engine::check_qr_bill(payload);
    let b = c.bill;
    QrBillBody {
        valid: c.valid,
        errors: c.errors.iter().map(issue).collect(),
        warnings: c.warnings.iter().map(issue).collect(),
        iban: b.iban,
        iban_kind: c.iban_kind.map(|k| k.name().to_string()),
        creditor: b.creditor.as_ref().map(address),
        amount: b.amount,
        currency: b.currency,
        debtor: b.debtor.as_ref().map(address),
        reference_type: b.reference_type,
        reference: b.reference,
        message: b.message,
        bill_information: b.bill_information,
        alternative_schemes: b.alternative_schemes,
    }
}

/// The verdict line.
pub fn summary(b: &QrBillBody) -> String {
    let amount = b.amount.as_deref().unwrap_or("open amount");
    if b.valid {
        format!(
            "Valid Swiss QR-bill: {} {amount} to {} ({} with {})",
            b.currency,
            b.iban,
            b.iban_kind.as_deref().unwrap_or("iban"),
            b.reference_type
        )
    } else {
        format!(
            "Invalid Swiss QR-bill: {} error(s), {} warning(s)",
            b.errors.len(),
            b.warnings.len()
        )
    }
}

/// One line per error and warning, cut to the text budget (every one is in `errors`).
pub fn render(b: &QrBillBody, text: &mut Text) {
    let mut budget = MAX_TEXT_CHARS.saturating_sub(summary(b).chars().count() + 60);
    let all = b
        .errors
        .iter()
        .map(|i| ("Error", i))
        .chain(b.warnings.iter().map(|i| ("Warning", i)));
    let total = b.errors.len() + b.warnings.len();
    for (shown, (kind, i)) in all.enumerate() {
        let mut line = format!("{kind} {} {}: {}", i.field, i.code, i.detail);
        if line.chars().count() > 160 {
            line = line.chars().take(159).collect::<String>() + "…";
        }
        let n = line.chars().count() + 1;
        if n > budget {
            text.line(format!("… {} more in `errors`/`warnings`", total - shown));
            return;
        }
        budget -= n;
        text.line(line);
    }
}

/// The text block: the verdict first, no label (a full answer), then the lines.
pub fn text_block(b: &QrBillBody) -> String {
    let mut text = Text::new(&summary(b));
    render(b, &mut text);
    text.finish()
}

/// The provenance of every answer: full, from the local engine, nothing missing, dated by
/// the standard's version — in every configuration (no key, a key, offline).
pub fn provenance() -> Provenance {
    Provenance {
        source: Source::Local,
        data_as_of: Some(DATA_AS_OF.to_string()),
        ..Provenance::full(None, None)
    }
}

/// The whole call: arguments in, the MCP outcome out, from the engine alone (no network
/// path exists here). A refused argument is the only `isError`.
pub fn call(arguments: Option<&Arguments>) -> Outcome {
    let input = match parse(arguments) {
        Ok(i) => i,
        Err(e) => return Outcome::InputError(e),
    };
    let body = answer(&input);
    let label = summary(&body);
    let text = text_block(&body);
    Outcome::Answer {
        structured: StructuredContent::of(&Answer {
            body,
            provenance: provenance(),
        }),
        label,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const EXAMPLE: &str = "SPC\r\n0200\r\n1\r\nCH4431999123000889012\r\nS\r\nRobert Schneider AG\r\nRue du Lac\r\n1268\r\n2501\r\nBiel\r\nCH\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n1949.75\r\nCHF\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nQRR\r\n210000000003139471430009017\r\nOrder of 15 June 2020\r\nEPD";

    #[test]
    fn a_valid_bill_and_a_broken_one_are_both_results() {
        let b = answer(&parse(json!({"payload": EXAMPLE}).as_object()).unwrap());
        assert!(b.valid, "{:?}", b.errors);
        assert_eq!(b.iban_kind.as_deref(), Some("qr_iban"));
        assert!(text_block(&b).starts_with("Valid Swiss QR-bill: CHF 1949.75"));
        let broken = EXAMPLE
            .replace("SPC", "XYZ")
            .replace("CHF", "USD")
            .replace("\r\nS\r\n", "\r\nK\r\n");
        let b = answer(&broken);
        assert!(!b.valid);
        let t = text_block(&b);
        assert!(t.starts_with("Invalid Swiss QR-bill: "), "{t}");
        assert!(t.contains("Error Header.QRType invalid_qr_type"), "{t}");
        // The worst case stays within the budget.
        let garbage = "✓\n".repeat(1900);
        let b = answer(&parse(json!({"payload": garbage}).as_object()).unwrap());
        assert!(
            text_block(&b).chars().count() <= MAX_TEXT_CHARS,
            "{}",
            text_block(&b)
        );
    }

    #[test]
    fn only_a_missing_or_oversized_payload_is_refused() {
        assert!(parse(None).is_err());
        assert!(parse(json!({"payload": 5}).as_object()).is_err());
        assert!(parse(json!({"payload": "x".repeat(MAX_PAYLOAD_CHARS + 1)}).as_object()).is_err());
        assert!(parse(json!({"payload": "x".repeat(MAX_PAYLOAD_CHARS)}).as_object()).is_ok());
    }

    #[test]
    fn no_path_to_the_network() {
        // The answer is the engine's alone: the file reaches neither the API client nor the
        // policy that would call it, so no configuration (key, stand-in, offline) can make
        // it send a request or answer differently.
        let code = include_str!("check_swiss_qr_bill.rs");
        for room in [
            concat!("crate::", "api"),
            concat!("super::", "policy"),
            concat!("reqw", "est"),
        ] {
            assert!(!code.contains(room), "{room}");
        }
    }

    #[test]
    fn the_call_is_full_and_local_and_matches_its_schema() {
        let schema = serde_json::Value::Object(
            (*crate::tools::schema::output::<Answer<QrBillBody>>()).clone(),
        );
        for args in [
            json!({"payload": EXAMPLE}),
            json!({"payload": EXAMPLE.replace("CHF", "USD")}),
            json!({"payload": "garbage"}),
        ] {
            let out = call(json!(args).as_object());
            let Outcome::Answer {
                structured,
                text,
                label,
            } = out
            else {
                panic!("{args}: refused");
            };
            let v = structured.into_value();
            assert_eq!(v["provenance"]["mode"], "full", "{v}");
            assert_eq!(v["provenance"]["source"], "local", "{v}");
            assert_eq!(v["provenance"]["missing"], json!([]), "{v}");
            assert_eq!(v["provenance"]["data_as_of"], DATA_AS_OF);
            assert!(text.starts_with(&label), "{text}");
            let validator = jsonschema::validator_for(&schema).unwrap();
            assert!(validator.is_valid(&v), "{v}");
        }
        assert!(matches!(call(None), Outcome::InputError(_)));
    }
}
