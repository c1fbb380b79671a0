//! `lookup_bic`: the institution behind a BIC/SWIFT code.
//!
//! Asks `GET /v1/bic/{BIC}`; offline it answers with the ISO 9362 structure and what the
//! embedded bank directory knows. Absence from an embedded directory proves nothing, so a
//! local answer's `found` is `true` or `null` (unknown), never `false`.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::answer::{Country, Extra, LocalAnswer, OfflineEngine, extra};
use super::args::{Arguments, InputError, bounded_string, field};
use super::cache::{CacheKey, CacheKind};
use super::text::{Text, facts, plain, yes_no};
use super::tool::{Paid, Tool};
use crate::api::PaidRequest;
use crate::api::unknown_fields::keeps_unknown_fields;
use crate::engine::bic::Bic;
use crate::engine::{banks, data};

/// The cache kind of a BIC lookup.
const BIC_KIND: CacheKind = CacheKind::new("bic");

/// The `lookup_bic` tool.
pub struct LookupBic;

/// Arguments of `lookup_bic`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BicArgs {
    /// A BIC/SWIFT code of 8 or 11 letters and digits, e.g. "UBSWCHZH80A" or "DEUTDEFF".
    #[schemars(regex(pattern = r"^\s*[A-Za-z0-9]{8}([A-Za-z0-9]{3})?\s*$"))]
    pub bic: String,
}

/// A BIC of 8 or 11 ASCII letters and digits, upper-cased once at the boundary.
pub type BicInput = Bic;

const BIC_ACCEPTED: &str =
    "a BIC of 8 or 11 letters and digits, e.g. \"UBSWCHZH80A\" or \"DEUTDEFF\"";

keeps_unknown_fields! {
    /// The answer of `lookup_bic`.
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct BicLookup {
        pub bic: String,
        pub bic8: Option<String>,
        pub bic11: Option<String>,
        /// `true`: the directory knows it; `false`: the API says it does not exist;
        /// `null`: unknown (a local answer never says `false`).
        pub found: Option<bool>,
        pub valid_format: bool,
        #[serde(default)]
        pub institution: Option<String>,
        #[serde(default)]
        pub country: Option<Country>,
        #[serde(default)]
        pub city: Option<String>,
        #[serde(default)]
        pub address: Option<Extra>,
        #[serde(default)]
        pub address_available: Option<bool>,
        #[serde(default)]
        pub branch_code: Option<String>,
        #[serde(default)]
        pub branch_info: Option<String>,
        #[serde(default)]
        pub lei: Option<String>,
        #[serde(default)]
        pub lei_status: Option<String>,
        #[serde(default)]
        pub is_test_bic: Option<bool>,
        #[serde(default)]
        pub source: Option<String>,
        #[serde(default)]
        pub note: Option<String>,
        #[serde(default)]
        pub cost_usdc: Option<f64>,
        #[serde(default)]
        pub processing_ms: Option<f64>,
    }
}

impl Tool for LookupBic {
    const NAME: &'static str = "lookup_bic";
    const TITLE: &'static str = "Look up BIC/SWIFT";
    const DESCRIPTION: &'static str = "Look up a BIC/SWIFT code: institution, country, branch, LEI.\n\
        Use to identify the bank behind a BIC or check a BIC's format; not for IBANs (use validate_iban). \
        Costs $0.003. A local answer checks ISO 9362 structure and the embedded directory only: \
        `found` is null when unknown there, and address/LEI are missing.";
    type Args = BicArgs;
    type Input = BicInput;
    type Body = BicLookup;

    fn parse(arguments: Option<&Arguments>) -> Result<BicInput, InputError> {
        let v = field(arguments, "bic", "\"UBSWCHZH80A\"")?;
        let s = bounded_string(v, "bic", BIC_ACCEPTED)?;
        s.parse::<Bic>().map_err(|_| {
            InputError(format!(
                "`bic` \"{}\" is not a BIC; accepted: {BIC_ACCEPTED}",
                s.escape_default()
            ))
        })
    }

    fn log_input(input: &BicInput) -> String {
        input.as_str().to_string()
    }

    fn summary(b: &BicLookup) -> String {
        let shown = b.bic11.as_deref().unwrap_or(&b.bic);
        if !b.valid_format {
            return format!(
                "{} is not a well-formed BIC{}",
                b.bic,
                b.note
                    .as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            );
        }
        let country = b
            .country
            .as_ref()
            .map(|c| format!(" ({})", c.code))
            .unwrap_or_default();
        match (b.found, &b.institution) {
            (Some(true), Some(name)) => format!("{shown} is {name}{country}"),
            (Some(true), None) => format!("{shown} exists{country}"),
            (Some(false), _) => format!(
                "{shown} was not found{}",
                b.note
                    .as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ),
            (None, _) => format!(
                "{shown} is well-formed but not in the embedded directory (unknown, not necessarily wrong)"
            ),
        }
    }

    fn render(b: &BicLookup, text: &mut Text) {
        let mut head = format!("BIC: {}", b.bic11.as_deref().unwrap_or(&b.bic));
        if let (Some(b8), Some(branch)) = (&b.bic8, &b.branch_code) {
            let _ = write!(head, " (institution {b8}, branch {branch}");
            if let Some(info) = &b.branch_info {
                let _ = write!(head, ", {info}");
            }
            head.push(')');
        }
        head.push_str(if b.valid_format {
            " — well-formed"
        } else {
            " — NOT well-formed"
        });
        if b.is_test_bic == Some(true) {
            head.push_str(" — a test BIC");
        }
        text.line(head);
        text.field(
            "Found",
            Some(match b.found {
                Some(true) => "yes",
                Some(false) => "no — the API does not know this BIC",
                None => "unknown (not in the embedded directory; absence proves nothing)",
            }),
        );
        text.field("Institution", b.institution.as_deref());
        text.field(
            "Country",
            b.country.as_ref().map(|c| match &c.name {
                Some(n) => format!("{n} ({})", c.code),
                None => c.code.clone(),
            }),
        );
        text.field("City", b.city.as_deref());
        text.field("Address", b.address.as_ref().map(facts));
        text.field(
            "LEI",
            b.lei.as_ref().map(|l| match &b.lei_status {
                Some(st) => format!("{l} ({st})"),
                None => l.clone(),
            }),
        );
        if let Some(total) = b.extra.get("bank_codes_total").and_then(|v| v.as_u64())
            && total > 0
        {
            let shown = b.extra.get("bank_codes").map(plain).unwrap_or_default();
            text.field(
                "Bank codes",
                Some(if total > 20 {
                    format!("{shown} … ({total} in all)")
                } else {
                    shown
                }),
            );
        }
        text.field("Address available", yes_no(b.address_available));
        text.field("Note", b.note.as_deref());
        if let Some(source) = &b.source {
            text.source(source, None);
        }
        text.field("Cost", b.cost_usdc.map(|c| format!("{c} USDC")));
    }
}

impl Paid for LookupBic {
    fn request(input: &BicInput) -> PaidRequest {
        PaidRequest::get(format!("/v1/bic/{}", input.as_str().to_ascii_uppercase()))
    }

    fn local(input: &BicInput, _engine: &OfflineEngine) -> LocalAnswer<BicLookup> {
        let format_problem = input.format_problem();
        let valid_format = format_problem.is_none();
        // Bounded: a large bank's BIC is listed under hundreds of branch codes.
        const CODES_SHOWN: usize = 20;
        let listing = valid_format.then(|| {
            let listing = banks::bic_listing(input.bic11(), CODES_SHOWN);
            if listing.rows == 0 && input.branch_code() != "XXX" {
                // A branch BIC the directory lacks still names a known institution.
                banks::bic_listing(&format!("{}XXX", input.bic8()), CODES_SHOWN)
            } else {
                listing
            }
        });
        let entry = listing.as_ref().and_then(|l| l.institution);
        let (bank_codes_total, bank_codes): (usize, Vec<String>) =
            listing.map_or((0, Vec::new()), |l| {
                (
                    l.codes_total,
                    l.codes
                        .iter()
                        .map(|(c, code)| format!("{c}:{code}"))
                        .collect(),
                )
            });
        let body = BicLookup {
            bic: input.as_str().to_string(),
            bic8: Some(input.bic8().to_string()),
            bic11: Some(input.bic11().to_string()),
            // Absence from an embedded directory proves nothing: unknown, never `false`.
            found: entry.map(|_| true),
            valid_format,
            institution: entry.map(|e| e.name.to_string()),
            country: input
                .country_name()
                .map(|_| Country::of(input.country_code())),
            city: None,
            address: None,
            address_available: None,
            branch_code: Some(input.branch_code().to_string()),
            branch_info: (input.branch_code() == "XXX").then(|| "primary office".to_string()),
            lei: None,
            lei_status: None,
            is_test_bic: Some(input.is_test_bic()),
            source: entry.map(|_| {
                format!(
                    "{} (as of {})",
                    data::BANK_DIRECTORY_SOURCE,
                    data::BANK_DIRECTORY_AS_OF
                )
            }),
            note: format_problem.or_else(|| {
                entry.is_none().then(|| {
                    "not in the embedded bank directory; only the full lookup can say whether it exists".to_string()
                })
            }),
            cost_usdc: None,
            processing_ms: None,
            extra: extra(json!({
                "party_prefix": input.party_prefix(),
                "location_code": input.location_code(),
                "bank_codes_total": bank_codes_total,
                "bank_codes": bank_codes,
            })),
        };
        let mut missing = vec![
            "city".to_string(),
            "address".into(),
            "lei".into(),
            "lei_status".into(),
        ];
        if body.institution.is_none() {
            missing.insert(0, "institution".into());
        }
        LocalAnswer {
            body,
            covers: "Local lookup only: ISO 9362 structure and the embedded bank directory; no address, LEI or live SWIFT data.".into(),
            missing,
            data_as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
        }
    }

    fn cache_key(input: &BicInput) -> Option<CacheKey> {
        Some(CacheKey::new(BIC_KIND, input.as_str().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::compliance::ComplianceLists;
    use serde_json::json;

    fn parse(v: serde_json::Value) -> Result<BicInput, InputError> {
        LookupBic::parse(Some(v.as_object().unwrap()))
    }

    #[test]
    fn a_bic_is_upper_cased_once_and_bad_ones_say_what_is_accepted() {
        assert_eq!(
            parse(json!({"bic": " ubswchzh80a "})).unwrap().as_str(),
            "UBSWCHZH80A"
        );
        let e = parse(json!({"bic": "UBSWCH"})).unwrap_err();
        assert!(e.0.contains("8 or 11"), "{e}");
    }

    #[test]
    fn unknown_locally_is_null_never_false() {
        let lists = ComplianceLists::embedded();
        let engine = OfflineEngine {
            lists: &lists,
            validate: Default::default(),
        };
        let a = LookupBic::local(&parse(json!({"bic": "ZZZZCHZZ"})).unwrap(), &engine);
        assert_eq!(a.body.found, None);
        assert_eq!(a.missing[0], "institution");
    }
}
