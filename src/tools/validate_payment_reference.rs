//! `validate_payment_reference`: an invoice's payment reference (RF, Swiss QR reference,
//! Belgian OGM, Finnish, Norwegian KID, Swedish OCR) and whether it belongs with an IBAN.
//!
//! Its full answer is the local engine's ([`payment_reference`]): every rule is a published
//! standard, so it never calls the API, with or without a key, and answers `mode: "full"`,
//! `source: "local"`, `missing: []` in every configuration (tool contract, "Tools whose full
//! answer is the local engine's"). Written against the current tool pieces; the tool
//! registry wires it in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Outcome;
use super::StructuredContent;
use super::answer::Answer;
use super::args::{Arguments, InputError, bounded_string, field};
use super::provenance::{Provenance, Source};
use super::text::Text;
use crate::engine::payment_reference::{self, Scheme};

/// The tool's name.
pub const NAME: &str = "validate_payment_reference";
pub const TITLE: &str = "Validate payment reference";
/// The first sentence stands alone (registries cut descriptions at 100 characters).
pub const DESCRIPTION: &str = "Check an invoice's payment reference and whether it fits the IBAN paid to.\n\
    Schemes: rf (ISO 11649 creditor reference, the QR-bill's SCOR), ch_qrr (Swiss QR reference), be_ogm (Belgian +++…+++), \
    fi_ref (Finnish), no_kid (Norwegian KID), se_ocr (Swedish OCR); detected when `scheme` is omitted. \
    With `iban`: a Swiss QR-IBAN takes only a QR reference, an ordinary IBAN never one, national references go with their country's accounts. \
    Free and offline: answered in full by the local engine, never calls the API, needs no key.";
/// What `provenance.data_as_of` says: the standards checked.
pub const DATA_AS_OF: &str = Scheme::STANDARDS;
/// The answer's own text budget.
pub const MAX_TEXT_CHARS: usize = 600;

const ACCEPTED: &str = "a payment reference such as \"RF18 5390 0754 7034\", \"21 00000 00003 13947 14300 09017\" or \"+++010/8068/17183+++\"";

/// Arguments of `validate_payment_reference`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PaymentReferenceArgs {
    /// The reference as printed: spaces, `+++…+++`, `/` and lower case are accepted, e.g. "RF18 5390 0754 7034".
    #[schemars(length(min = 1, max = 256))]
    pub reference: String,
    /// The scheme, when the digits alone are ambiguous: rf, ch_qrr, be_ogm, fi_ref, no_kid or se_ocr.
    pub scheme: Option<String>,
    /// The IBAN the payment goes to, to check the pairing rules (optional).
    #[schemars(length(min = 1, max = 256))]
    pub iban: Option<String>,
}

/// The checked input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceInput {
    pub reference: String,
    pub scheme: Option<Scheme>,
    pub iban: Option<String>,
}

/// Check the raw arguments.
pub fn parse(arguments: Option<&Arguments>) -> Result<ReferenceInput, InputError> {
    let reference = bounded_string(
        field(arguments, "reference", "\"RF18 5390 0754 7034\"")?,
        "reference",
        ACCEPTED,
    )?
    .to_string();
    let optional = |name: &str| arguments.and_then(|a| a.get(name)).filter(|v| !v.is_null());
    let scheme = match optional("scheme") {
        None => None,
        Some(v) => {
            let s = bounded_string(v, "scheme", "rf, ch_qrr, be_ogm, fi_ref, no_kid or se_ocr")?;
            Some(Scheme::from_name(s).ok_or_else(|| {
                InputError(format!(
                    "`scheme` `{s}` is not known; accepted: rf, ch_qrr, be_ogm, fi_ref, no_kid, se_ocr (or omit it to detect)"
                ))
            })?)
        }
    };
    let iban = match optional("iban") {
        None => None,
        Some(v) => Some(bounded_string(v, "iban", super::args::IBAN_ACCEPTED)?.to_string()),
    };
    Ok(ReferenceInput {
        reference,
        scheme,
        iban,
    })
}

/// One variant's verdict (KID MOD10/MOD11, OCR with or without length digit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VariantBody {
    pub variant: String,
    pub passes: bool,
}

/// Whether reference and account belong together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PairingBody {
    pub iban: String,
    /// `qr_iban`, `iban`, or null when the IBAN is invalid.
    pub iban_kind: Option<String>,
    /// null where no rule applies.
    pub ok: Option<bool>,
    pub rule: String,
    pub detail: String,
}

/// The answer's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentReferenceBody {
    /// The compact form checked.
    pub reference: String,
    /// `true`/`false`; null when the creditor's own settings decide (see `variants`).
    pub valid: Option<bool>,
    pub scheme: Option<String>,
    /// The scheme's print form.
    pub formatted: Option<String>,
    pub check_digits: Option<String>,
    /// invalid_format, invalid_length, checksum_failed, unknown_scheme.
    pub error: Option<String>,
    pub error_detail: Option<String>,
    /// For KID and OCR: which of the creditor's possible settings pass.
    pub variants: Vec<VariantBody>,
    /// Other schemes the same characters pass.
    pub also_valid_as: Vec<String>,
    pub pairing: Option<PairingBody>,
}

/// The full answer, from the engine alone.
pub fn answer(input: &ReferenceInput) -> PaymentReferenceBody {
    let c = payment_reference::check(&input.reference, input.scheme);
    let pairing = input.iban.as_deref().map(|iban| {
        let check = crate::engine::validate_iban(iban, Default::default());
        let p = payment_reference::pair(c.scheme, &check);
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

/// The verdict line.
pub fn summary(b: &PaymentReferenceBody) -> String {
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

/// The lines after the verdict: one per error, variant and the pairing.
pub fn render(b: &PaymentReferenceBody, text: &mut Text) {
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

/// The text block: the verdict first, no label (a full answer), then the lines.
pub fn text_block(b: &PaymentReferenceBody) -> String {
    let mut text = Text::new(&summary(b));
    render(b, &mut text);
    text.finish()
}

/// `structuredContent` without provenance, for tests and the `call` path.
pub fn to_value(b: &PaymentReferenceBody) -> Value {
    serde_json::to_value(b).unwrap_or(Value::Null)
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

    fn body_of(args: Value) -> PaymentReferenceBody {
        answer(&parse(args.as_object()).unwrap())
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
    fn refusals() {
        assert!(
            parse(None)
                .unwrap_err()
                .0
                .contains("missing required argument `reference`")
        );
        let e = parse(json!({"reference": "1", "scheme": "xx"}).as_object()).unwrap_err();
        assert!(e.0.contains("not known"), "{e}");
        let e = parse(json!({"reference": "x".repeat(257)}).as_object()).unwrap_err();
        assert!(e.0.contains("at most 256"), "{e}");
    }

    #[test]
    fn no_path_to_the_network() {
        // The answer is the engine's alone: the file reaches neither the API client nor the
        // policy that would call it, so no configuration (key, stand-in, offline) can make
        // it send a request or answer differently.
        let code = include_str!("validate_payment_reference.rs");
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
            (*crate::tools::schema::output::<Answer<PaymentReferenceBody>>()).clone(),
        );
        for args in [
            json!({"reference": "RF18 5390 0754 7034", "iban": "CH44 3199 9123 0008 8901 2"}),
            json!({"reference": "79927398713", "scheme": "no_kid"}),
            json!({"reference": "nonsense"}),
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
