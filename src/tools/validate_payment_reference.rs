//! `validate_payment_reference`: an invoice's payment reference (RF, Swiss QR reference,
//! Belgian OGM, Finnish, Norwegian KID, Swedish OCR) and whether it belongs with an IBAN.
//!
//! Its full answer is the local engine's ([`payment_reference`]): every rule is a published
//! standard, so it never calls the API, with or without a key, and answers `mode: "full"`,
//! `source: "local"`, `missing: []` in every configuration (tool contract, "Tools whose full
//! answer is the local engine's"). It implements [`Chain`] itself for that reason: no paid
//! request exists for it, so the fallback chain never runs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio::time::Instant as Deadline;

use super::args::{
    Arguments, IbanInput, InputError, MAX_STRING_CHARS, bounded_string, field, optional_field,
};
use super::policy::{CallContext, Chain, Labelled, Toolbox};
use super::text::Text;
use super::tool::{Annotations, Tool};
use crate::engine::iban::ValidateOptions;
use crate::engine::payment_reference::{self, Scheme};

/// The `validate_payment_reference` tool.
pub struct ValidatePaymentReference;

/// What `provenance.data_as_of` says: the standards checked.
pub const DATA_AS_OF: &str = Scheme::STANDARDS;
/// The answer's own text budget.
pub const MAX_TEXT_CHARS: usize = 600;

const ACCEPTED: &str = "a payment reference such as \"RF18 5390 0754 7034\", \"21 00000 00003 13947 14300 09017\" or \"+++010/8068/17183+++\"";
const SCHEMES: &str = "rf, ch_qrr, be_ogm, fi_ref, no_kid or se_ocr";

/// Arguments of `validate_payment_reference`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PaymentReferenceArgs {
    /// The reference as printed: spaces, `+++…+++`, `/` and lower case are accepted, e.g. "RF18 5390 0754 7034".
    #[schemars(length(min = 1, max = MAX_STRING_CHARS))]
    pub reference: String,
    /// The scheme, when the digits alone are ambiguous: rf (also scor), ch_qrr (qrr), be_ogm (ogm), fi_ref, no_kid (kid) or se_ocr (ocr). Omit it to detect.
    #[schemars(length(min = 1, max = MAX_STRING_CHARS))]
    pub scheme: Option<String>,
    /// The IBAN the payment goes to, to check the pairing rules, e.g. "CH44 3199 9123 0008 8901 2" (optional).
    #[schemars(length(min = 1, max = MAX_STRING_CHARS))]
    pub iban: Option<String>,
}

/// The checked input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceInput {
    pub reference: String,
    pub scheme: Option<Scheme>,
    pub iban: Option<IbanInput>,
}

/// Check the raw arguments (the shared bounds: non-blank strings of at most 256 characters).
fn parse_arguments(arguments: Option<&Arguments>) -> Result<ReferenceInput, InputError> {
    let reference = bounded_string(
        field(arguments, "reference", "\"RF18 5390 0754 7034\"")?,
        "reference",
        ACCEPTED,
    )?
    .to_string();
    let scheme = match optional_field(arguments, "scheme") {
        None => None,
        Some(v) => {
            let s = bounded_string(v, "scheme", SCHEMES)?;
            Some(Scheme::from_name(s).ok_or_else(|| {
                InputError(format!(
                    "`scheme` \"{}\" is not known; accepted: {SCHEMES} (or omit it to detect the scheme)",
                    s.chars().take(40).collect::<String>()
                ))
            })?)
        }
    };
    let iban = optional_field(arguments, "iban")
        .map(|v| IbanInput::parse(v, "iban"))
        .transpose()?;
    Ok(ReferenceInput {
        reference,
        scheme,
        iban,
    })
}

impl Tool for ValidatePaymentReference {
    const NAME: &'static str = "validate_payment_reference";
    const TITLE: &'static str = "Validate Payment Reference";
    const DESCRIPTION: &'static str = "Check an invoice's payment reference and whether it fits the IBAN paid to.\n\
        Schemes: rf (ISO 11649 creditor reference, the QR-bill's SCOR), ch_qrr (Swiss QR reference), be_ogm (Belgian +++…+++), \
        fi_ref (Finnish), no_kid (Norwegian KID), se_ocr (Swedish OCR); detected when `scheme` is omitted. \
        With `iban`: a Swiss QR-IBAN takes only a QR reference, an ordinary IBAN never one, national references go with their country's accounts. \
        Free and offline: answered in full by the local engine, never calls the API, needs no key.";
    const ANNOTATIONS: Annotations = Annotations {
        open_world: false,
        ..Annotations::READ_ONLY
    };
    type Args = PaymentReferenceArgs;
    type Input = ReferenceInput;
    type Body = PaymentReferenceBody;

    fn parse(arguments: Option<&Arguments>) -> Result<ReferenceInput, InputError> {
        parse_arguments(arguments)
    }

    /// The scheme asked for, the reference's length (an invoice number is the creditor's
    /// business, not the log's) and the IBAN masked.
    fn log_input(input: &ReferenceInput) -> String {
        format!(
            "scheme={} reference={} chars iban={}",
            input.scheme.map_or("-", Scheme::name),
            input.reference.chars().count(),
            input
                .iban
                .as_ref()
                .map_or("-".to_string(), IbanInput::masked)
        )
    }

    fn summary(body: &PaymentReferenceBody) -> String {
        verdict(body)
    }

    fn render(body: &PaymentReferenceBody, text: &mut Text) {
        lines(body, text);
    }
}

impl Chain for ValidatePaymentReference {
    async fn answer(
        toolbox: &Toolbox,
        input: &ReferenceInput,
        _deadline: Deadline,
        _context: &CallContext,
    ) -> Labelled<PaymentReferenceBody> {
        let body = answer(input, toolbox.local_engine().validate);
        let summary = verdict(&body);
        Labelled::engine_full(body, summary, Some(DATA_AS_OF.to_string()))
    }
}

/// One variant's verdict (KID MOD10/MOD11, OCR with or without length digit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VariantBody {
    /// `mod10`, `mod11` (KID); `luhn`, `luhn_length_digit` (OCR).
    pub variant: String,
    pub passes: bool,
}

/// Whether reference and account belong together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PairingBody {
    /// The IBAN, printed in groups of four.
    pub iban: String,
    /// `qr_iban`, `iban`, or null when the IBAN is invalid.
    pub iban_kind: Option<String>,
    /// null where no rule applies.
    pub ok: Option<bool>,
    /// The rule that decided: qr_iban_requires_qr_reference, qr_reference_requires_qr_iban,
    /// creditor_reference_any_iban, ch_iban_takes_rf_or_none, national_reference_own_country,
    /// no_rule, iban_invalid.
    pub rule: String,
    /// Why, and what to do.
    pub detail: String,
}

/// The answer's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentReferenceBody {
    /// The compact form checked.
    pub reference: String,
    /// `true`/`false`; null when the creditor's own settings decide (see `variants`).
    pub valid: Option<bool>,
    /// The scheme named or detected (rf, ch_qrr, be_ogm, fi_ref, no_kid, se_ocr); null when none matches.
    pub scheme: Option<String>,
    /// The scheme's print form.
    pub formatted: Option<String>,
    /// The check digit(s) as given.
    pub check_digits: Option<String>,
    /// invalid_format, invalid_length, checksum_failed, unknown_scheme.
    pub error: Option<String>,
    /// What is wrong, in words.
    pub error_detail: Option<String>,
    /// For KID and OCR: which of the creditor's possible settings pass.
    pub variants: Vec<VariantBody>,
    /// Other schemes the same characters pass.
    pub also_valid_as: Vec<String>,
    /// Whether the reference fits the `iban` given (null without one).
    pub pairing: Option<PairingBody>,
}

/// The full answer, from the engine alone (`options`: the user's IBAN settings, for the
/// pairing's IBAN check).
pub fn answer(input: &ReferenceInput, options: ValidateOptions) -> PaymentReferenceBody {
    let account = input
        .iban
        .as_ref()
        .map(|iban| crate::engine::validate_iban(&iban.text, options));
    let c = match &account {
        Some(account) => {
            payment_reference::check_for_account(&input.reference, input.scheme, account)
        }
        None => payment_reference::check(&input.reference, input.scheme),
    };
    let pairing = account.as_ref().map(|check| {
        let p = payment_reference::pair(c.scheme, check);
        PairingBody {
            iban: p.iban,
            iban_kind: p.iban_kind.map(|k| k.name().to_string()),
            ok: p.ok,
            rule: p.rule.code().to_string(),
            detail: p.detail,
        }
    });
    PaymentReferenceBody {
        reference: c.reference,
        valid: c.valid,
        scheme: c.scheme.map(|s| s.name().to_string()),
        formatted: c.formatted,
        check_digits: c.check_digits,
        error: c.error.as_ref().map(|e| e.0.code().to_string()),
        error_detail: c.error.map(|e| e.1),
        variants: c
            .variants
            .iter()
            .map(|v| VariantBody {
                variant: v.variant.name().to_string(),
                passes: v.passes,
            })
            .collect(),
        also_valid_as: c
            .also_valid_as
            .iter()
            .map(|s| s.name().to_string())
            .collect(),
        pairing,
    }
}

/// At most `n` characters of an echoed input (an IBAN prints in 42 at most).
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

/// The verdict line (the summary, and the label of every answer).
fn verdict(b: &PaymentReferenceBody) -> String {
    let shown = shorten(b.formatted.as_deref().unwrap_or(&b.reference), 48);
    let scheme = b
        .scheme
        .as_deref()
        .and_then(Scheme::from_name)
        .map_or("no known scheme".to_string(), |s| {
            format!("{} ({s})", s.title())
        });
    match b.valid {
        Some(true) => format!("{shown} is a valid {scheme}"),
        Some(false) => format!("{shown} is not valid: {scheme}"),
        None => format!("{shown} passes as {scheme} only under some creditor settings"),
    }
}

/// The lines after the verdict: the error, the variants, other schemes, the pairing.
fn lines(b: &PaymentReferenceBody, text: &mut Text) {
    if let (Some(e), Some(d)) = (&b.error, &b.error_detail) {
        text.line(format!("Error {e}: {d}"));
    }
    if !b.variants.is_empty() {
        let v: Vec<String> = b
            .variants
            .iter()
            .map(|v| {
                format!(
                    "{} {}",
                    v.variant,
                    if v.passes { "passes" } else { "fails" }
                )
            })
            .collect();
        text.field(
            "Variants (the creditor's agreement decides)",
            Some(v.join(", ")),
        );
    }
    if !b.also_valid_as.is_empty() {
        text.field("Also valid as", Some(b.also_valid_as.join(", ")));
    }
    if let Some(p) = &b.pairing {
        let verdict = match p.ok {
            Some(true) => "fits",
            Some(false) => "does NOT fit",
            None => "no rule",
        };
        text.line(format!(
            "Pairing with {}: {verdict} ({})",
            shorten(&p.iban, 42),
            p.detail
        ));
    }
}

/// The text block as the server sends it for a full answer: the verdict, then the lines.
#[cfg(test)]
fn text_block(b: &PaymentReferenceBody) -> String {
    let mut text = Text::new(&verdict(b));
    lines(b, &mut text);
    text.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn body_of(args: Value) -> PaymentReferenceBody {
        let input = ValidatePaymentReference::parse(args.as_object()).unwrap();
        answer(&input, ValidateOptions::default())
    }

    #[test]
    fn answers_and_text_stay_short() {
        let b = body_of(
            json!({"reference": "rf18 5390 0754 7034", "iban": "CH44 3199 9123 0008 8901 2"}),
        );
        assert_eq!(b.valid, Some(true));
        assert_eq!(b.pairing.as_ref().unwrap().ok, Some(false));
        let t = text_block(&b);
        assert!(
            t.starts_with("RF18 5390 0754 7034 is a valid ISO 11649"),
            "{t}"
        );
        assert!(t.contains("does NOT fit"), "{t}");
        let worst = body_of(json!({"reference": "9".repeat(25), "scheme": "kid",
            "iban": "x".repeat(256)}));
        assert!(
            text_block(&worst).chars().count() <= MAX_TEXT_CHARS,
            "{}",
            text_block(&worst)
        );
        let long =
            body_of(json!({"reference": "é".repeat(256), "iban": "CH58 0079 1123 0008 8901 2"}));
        assert_eq!(long.valid, Some(false));
        assert!(text_block(&long).chars().count() <= MAX_TEXT_CHARS);
    }

    #[test]
    fn refusals_say_what_is_accepted() {
        let parse = |v: Value| {
            ValidatePaymentReference::parse(v.as_object())
                .unwrap_err()
                .0
        };
        assert!(
            ValidatePaymentReference::parse(None)
                .unwrap_err()
                .0
                .contains("missing required argument `reference`")
        );
        let e = parse(json!({"reference": "1", "scheme": "xx"}));
        assert!(e.contains("not known") && e.contains("be_ogm"), "{e}");
        let e = parse(json!({"reference": "x".repeat(257)}));
        assert!(e.contains("at most 256"), "{e}");
        let e = parse(json!({"reference": "1", "iban": 7}));
        assert!(e.contains("`iban` must be a string"), "{e}");
        let e = parse(json!({"reference": "1", "scheme": " "}));
        assert!(e.contains("`scheme` is empty"), "{e}");
        // null is the same as leaving an optional argument out.
        let ok = ValidatePaymentReference::parse(
            json!({"reference": "1", "scheme": null, "iban": null}).as_object(),
        )
        .unwrap();
        assert_eq!((ok.scheme, ok.iban), (None, None));
    }

    #[test]
    fn the_log_shows_no_reference_and_a_masked_iban() {
        let input = ValidatePaymentReference::parse(
            json!({"reference": "RF18 5390 0754 7034", "iban": "CH44 3199 9123 0008 8901 2"})
                .as_object(),
        )
        .unwrap();
        let log = ValidatePaymentReference::log_input(&input);
        assert_eq!(log, "scheme=- reference=19 chars iban=CH44…9012");
    }
}
