//! `check_swiss_qr_bill`: the text of a Swiss QR-bill's QR code against the Swiss
//! Implementation Guidelines QR-bill 2.3.
//!
//! Its full answer is the local engine's ([`qr_bill`]): every rule checked is in the
//! published guidelines, so it never calls the API, with or without a key, and answers
//! `mode: "full"`, `source: "local"`, `missing: []` in every configuration. It implements
//! [`Chain`] itself for that reason: no paid request exists for it. A broken bill is a
//! result (`valid: false` with `errors`), never a tool error; only a missing, non-string,
//! blank or oversized argument is refused.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio::time::Instant as Deadline;

use super::args::{Arguments, InputError, bounded_text, field};
use super::policy::{CallContext, Chain, Labelled, Toolbox};
use super::text::Text;
use super::tool::{Annotations, Tool};
use crate::engine::qr_bill::{self, Address, Issue};

/// The `check_swiss_qr_bill` tool.
pub struct CheckSwissQrBill;

pub const DATA_AS_OF: &str = qr_bill::GUIDELINES;
/// The answer's own text budget.
pub const MAX_TEXT_CHARS: usize = 1_500;
/// Longest payload accepted as an argument. A valid payload has at most 997 bytes; four
/// times that leaves room for a payload that is too long, so it gets a `payload_too_long`
/// verdict rather than a refusal, while still bounding what reaches the engine.
pub const MAX_PAYLOAD_CHARS: usize = 4 * qr_bill::MAX_PAYLOAD_BYTES;

const ACCEPTED: &str =
    "the text decoded from the QR code, starting with \"SPC\" (elements separated by CR LF or LF)";

/// Arguments of `check_swiss_qr_bill`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct QrBillArgs {
    /// The text decoded from the QR code, starting with "SPC" (elements separated by CR LF or LF). No image decoding.
    #[schemars(length(min = 1, max = MAX_PAYLOAD_CHARS))]
    pub payload: String,
}

impl Tool for CheckSwissQrBill {
    const NAME: &'static str = "check_swiss_qr_bill";
    const TITLE: &'static str = "Check Swiss QR-Bill";
    const DESCRIPTION: &'static str = "Check the text decoded from a Swiss QR-bill's QR code against the QR-bill guidelines.\n\
        Pass the SPC payload (lines separated by CR LF or LF; no image decoding). Checks header, element order, creditor IBAN and QR-IBAN/reference pairing, \
        structured addresses, field lengths and characters, amount, currency, reference check digits, message length, trailer, alternative schemes and size, \
        and lists every error and warning by field. \
        Free and offline: answered in full by the local engine, never calls the API, needs no key.";
    const ANNOTATIONS: Annotations = Annotations {
        open_world: false,
        ..Annotations::READ_ONLY
    };
    type Args = QrBillArgs;
    type Input = String;
    type Body = QrBillBody;

    fn parse(arguments: Option<&Arguments>) -> Result<String, InputError> {
        let value = field(arguments, "payload", "\"SPC\\r\\n0200\\r\\n1\\r\\nCH44…\"")?;
        Ok(bounded_text(value, "payload", MAX_PAYLOAD_CHARS, ACCEPTED)?.to_string())
    }

    /// Its size only: a bill names people and addresses.
    fn log_input(payload: &String) -> String {
        format!(
            "payload={} bytes, {} lines",
            payload.len(),
            payload.split('\n').count()
        )
    }

    fn summary(body: &QrBillBody) -> String {
        verdict(body)
    }

    fn render(body: &QrBillBody, text: &mut Text) {
        lines(body, text);
    }
}

impl Chain for CheckSwissQrBill {
    async fn answer(
        _toolbox: &Toolbox,
        payload: &String,
        _deadline: Deadline,
        _context: &CallContext,
    ) -> Labelled<QrBillBody> {
        let body = answer(payload);
        let summary = verdict(&body);
        Labelled::engine_full(body, summary, Some(DATA_AS_OF.to_string()))
    }
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
    /// `S` (structured) in a valid bill; `K` (combined) is refused since version 2.3.
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
    /// `true` when no rule is broken (warnings allowed).
    pub valid: bool,
    /// Every broken rule, by element.
    pub errors: Vec<IssueBody>,
    /// What the guidelines advise against but a bank accepts.
    pub warnings: Vec<IssueBody>,
    /// The creditor account as the payload gives it.
    pub iban: String,
    /// `qr_iban` or `iban`; null when the IBAN is invalid.
    pub iban_kind: Option<String>,
    pub creditor: Option<AddressBody>,
    /// As written (e.g. "1949.75"); null for an open amount.
    pub amount: Option<String>,
    /// `CHF` or `EUR` in a valid bill.
    pub currency: String,
    pub debtor: Option<AddressBody>,
    /// `QRR`, `SCOR` or `NON` in a valid bill.
    pub reference_type: String,
    pub reference: Option<String>,
    /// The unstructured message (`Ustrd`).
    pub message: Option<String>,
    /// The structured bill information (`StrdBkgInf`, Swico `//S1/…`).
    pub bill_information: Option<String>,
    /// At most two in a valid bill.
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

/// The verdict line (the summary, and the label of every answer).
fn verdict(b: &QrBillBody) -> String {
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
fn lines(b: &QrBillBody, text: &mut Text) {
    let mut budget = MAX_TEXT_CHARS.saturating_sub(verdict(b).chars().count() + 60);
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

/// The text block as the server sends it for a full answer: the verdict, then the lines.
#[cfg(test)]
fn text_block(b: &QrBillBody) -> String {
    let mut text = Text::new(&verdict(b));
    lines(b, &mut text);
    text.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const EXAMPLE: &str = "SPC\r\n0200\r\n1\r\nCH4431999123000889012\r\nS\r\nRobert Schneider AG\r\nRue du Lac\r\n1268\r\n2501\r\nBiel\r\nCH\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n1949.75\r\nCHF\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nQRR\r\n210000000003139471430009017\r\nOrder of 15 June 2020\r\nEPD";

    #[test]
    fn a_valid_bill_and_a_broken_one_are_both_results() {
        let b = answer(&CheckSwissQrBill::parse(json!({"payload": EXAMPLE}).as_object()).unwrap());
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
        let b = answer(&CheckSwissQrBill::parse(json!({"payload": garbage}).as_object()).unwrap());
        assert!(
            text_block(&b).chars().count() <= MAX_TEXT_CHARS,
            "{}",
            text_block(&b)
        );
    }

    #[test]
    fn only_a_missing_or_oversized_payload_is_refused() {
        let parse = |v: serde_json::Value| CheckSwissQrBill::parse(v.as_object());
        assert!(CheckSwissQrBill::parse(None).is_err());
        let e = parse(json!({"payload": 5})).unwrap_err().0;
        assert!(
            e.contains("`payload` must be a string (got a number)"),
            "{e}"
        );
        let e = parse(json!({"payload": "x".repeat(MAX_PAYLOAD_CHARS + 1)}))
            .unwrap_err()
            .0;
        assert!(e.contains("at most 3988"), "{e}");
        let e = parse(json!({"payload": " \r\n "})).unwrap_err().0;
        assert!(e.contains("`payload` is empty"), "{e}");
        assert!(parse(json!({"payload": "x".repeat(MAX_PAYLOAD_CHARS)})).is_ok());
    }
}
