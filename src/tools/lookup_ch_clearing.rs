//! `lookup_ch_clearing`: a Swiss or Liechtenstein institution by its clearing number (IID,
//! BC-Nummer), QR-IIDs included.
//!
//! Asks `GET /v1/ch/clearing/{iid}`; offline it answers from the embedded SIX bank master.
//! A QR-IID answers with the institution that owns it, as the API does. Payment-system
//! flags the embedded data cannot know are `null`.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::answer::{Extra, LocalAnswer, OfflineEngine, extra};
use super::args::{Arguments, InputError, bounded_string, field};
use super::cache::{CacheKey, CacheKind};
use super::text::{Text, facts, yes_no};
use super::tool::{Paid, Tool};
use crate::api::PaidRequest;
use crate::api::unknown_fields::keeps_unknown_fields;
use crate::engine::clearing::Iid;
use crate::engine::{clearing, data};

/// The cache kind of an IID lookup.
const CLEARING_KIND: CacheKind = CacheKind::new("clearing");

/// The `lookup_ch_clearing` tool.
pub struct LookupChClearing;

/// Arguments of `lookup_ch_clearing`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct IidArgs {
    /// A Swiss or Liechtenstein institution identifier (IID, BC-Nummer) of 1–5 digits,
    /// e.g. "230" or "00230"; QR-IIDs 30000–31999 are accepted too.
    #[schemars(regex(pattern = r"^[0-9]{1,5}$"))]
    pub iid: String,
}

/// An IID: five digits, zero-padded once at the boundary.
pub type IidInput = Iid;

const IID_ACCEPTED: &str =
    "a Swiss/Liechtenstein IID of 1–5 digits, e.g. \"230\" or \"00230\" (QR-IIDs 30000–31999 too)";

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct ClearingInstitution {
        pub name: Option<String>,
        /// bank | cantonal_bank | postfinance | raiffeisen | central_bank | foreign_participant
        #[serde(default, rename = "type")]
        pub kind: Option<String>,
        /// headquarters | branch | other
        #[serde(default)]
        pub iid_type: Option<String>,
        #[serde(default)]
        pub headquarters_iid: Option<String>,
    }
}

keeps_unknown_fields! {
    /// Which payment systems the institution takes part in. `null`: not known.
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct PaymentServices {
        pub sic: Option<bool>,
        pub rtgs_chf: Option<bool>,
        pub instant_payments_chf: Option<bool>,
        pub eurosic: Option<bool>,
        pub lsv_bdd_chf: Option<bool>,
        pub lsv_bdd_eur: Option<bool>,
    }
}

keeps_unknown_fields! {
    /// The answer of `lookup_ch_clearing`.
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct ClearingLookup {
        /// Five digits, zero-padded.
        pub iid: String,
        pub found: Option<bool>,
        #[serde(default)]
        pub error: Option<String>,
        #[serde(default)]
        pub institution: Option<ClearingInstitution>,
        #[serde(default)]
        pub address: Option<Extra>,
        #[serde(default)]
        pub bic: Option<String>,
        #[serde(default)]
        pub payment_services: Option<PaymentServices>,
        #[serde(default)]
        pub sic_iid: Option<String>,
        /// The institution's QR-IID (30000–31999), if it has one.
        #[serde(default)]
        pub qr_iid: Option<String>,
        #[serde(default)]
        pub qr_iid_source: Option<String>,
        #[serde(default)]
        pub qr_iids: Option<Vec<String>>,
        #[serde(default)]
        pub valid_on: Option<String>,
        /// Set when the input was a QR-IID: the QR-IID asked about.
        #[serde(default)]
        pub redirected_from: Option<String>,
        #[serde(default)]
        pub note: Option<String>,
        #[serde(default)]
        pub cost_usdc: Option<f64>,
        #[serde(default)]
        pub processing_ms: Option<f64>,
    }
}

impl Tool for LookupChClearing {
    const NAME: &'static str = "lookup_ch_clearing";
    const TITLE: &'static str = "Swiss Clearing Lookup";
    const DESCRIPTION: &'static str = "Look up a Swiss/Liechtenstein clearing number (IID, BC-Nummer, QR-IID).\n\
        Use for Swiss bank codes (1–5 digits) and QR-IIDs 30000–31999; not for BICs or IBANs. \
        Costs $0.003. A local answer uses the embedded SIX bank master (name, BIC, head office, QR-IIDs); \
        SIC, euroSIC and instant-payment flags are then null (unknown).";
    type Args = IidArgs;
    type Input = IidInput;
    type Body = ClearingLookup;

    fn parse(arguments: Option<&Arguments>) -> Result<IidInput, InputError> {
        let v = field(arguments, "iid", "\"00230\"")?;
        // Agents often send the IID as a number; a non-negative integer is unambiguous.
        let text = match v {
            Value::Number(n) if n.as_u64().is_some() => n.to_string(),
            other => bounded_string(other, "iid", IID_ACCEPTED)?
                .trim()
                .to_string(),
        };
        text.parse::<Iid>().map_err(|_| {
            InputError(format!(
                "`iid` \"{}\" is not an IID; accepted: {IID_ACCEPTED}",
                text.escape_default()
            ))
        })
    }

    fn log_input(input: &IidInput) -> String {
        input.as_str().to_string()
    }

    fn summary(c: &ClearingLookup) -> String {
        // Joined piece by piece rather than with nested `format!`s: every call writes one.
        let mut s = String::with_capacity(96);
        s.push_str("IID ");
        s.push_str(&c.iid);
        match (&c.institution, c.found) {
            (Some(inst), Some(true) | None) => {
                if let Some(q) = &c.redirected_from {
                    s.push_str(" (owner of QR-IID ");
                    s.push_str(q);
                    s.push(')');
                }
                s.push_str(" is ");
                s.push_str(
                    inst.name
                        .as_deref()
                        .unwrap_or("an institution of unknown name"),
                );
                if let Some(b) = &c.bic {
                    s.push_str(" (");
                    s.push_str(b);
                    s.push(')');
                }
            }
            _ => {
                s.push_str(" was not found");
                if let Some(n) = &c.note {
                    s.push_str(": ");
                    s.push_str(n);
                }
            }
        }
        s
    }

    fn render(c: &ClearingLookup, text: &mut Text) {
        let found = match c.found {
            Some(true) => "found",
            Some(false) => "NOT found",
            None => "unknown",
        };
        let mut head = format!("IID {}: {found}", c.iid);
        if let Some(q) = &c.redirected_from {
            let _ = write!(head, " (asked as QR-IID {q}, which it owns)");
        }
        if let Some(e) = &c.error {
            let _ = write!(head, " — {e}");
        }
        text.line(head);
        if let Some(inst) = &c.institution {
            let mut line = inst.name.clone().unwrap_or_default();
            for v in [inst.kind.as_deref(), inst.iid_type.as_deref()]
                .into_iter()
                .flatten()
            {
                let _ = write!(line, ", {}", v.replace('_', " "));
            }
            if let Some(hq) = inst.headquarters_iid.as_ref().filter(|hq| **hq != c.iid) {
                let _ = write!(line, ", head office IID {hq}");
            }
            text.field("Institution", Some(line));
        }
        text.field("BIC", c.bic.as_deref());
        text.field("Address", c.address.as_ref().map(facts));
        if let Some(p) = &c.payment_services {
            let known: Vec<String> = [
                ("SIC", p.sic),
                ("RTGS CHF", p.rtgs_chf),
                ("instant CHF", p.instant_payments_chf),
                ("euroSIC", p.eurosic),
                ("LSV+/BDD CHF", p.lsv_bdd_chf),
                ("LSV+/BDD EUR", p.lsv_bdd_eur),
            ]
            .into_iter()
            .filter_map(|(name, v)| yes_no(v).map(|v| format!("{name} {v}")))
            .collect();
            text.field(
                "Payment services",
                Some(if known.is_empty() {
                    "unknown".to_string()
                } else {
                    known.join(", ")
                }),
            );
        }
        text.field("SIC IID", c.sic_iid.as_deref());
        text.field(
            "QR-IIDs",
            c.qr_iids
                .as_ref()
                .filter(|q| !q.is_empty())
                .map(|q| q.join(", ")),
        );
        text.field("Valid on", c.valid_on.as_deref());
        text.field("Note", c.note.as_deref());
        if let Some(source) = &c.qr_iid_source {
            text.source(source, None);
        }
        text.field("Cost", c.cost_usdc.map(|c| format!("{c} USDC")));
    }
}

impl Paid for LookupChClearing {
    fn request(input: &IidInput) -> PaidRequest {
        PaidRequest::get(format!("/v1/ch/clearing/{}", input.as_str()))
    }

    fn local(input: &IidInput, _engine: &OfflineEngine) -> LocalAnswer<ClearingLookup> {
        let iid = input.as_str();
        let asked = clearing::lookup(iid);
        let qr = clearing::is_qr_iid(iid);
        // A QR-IID answers with the institution that owns it, as the API does.
        let entry = match asked {
            Some(e) if e.is_qr_iid() => clearing::lookup(e.headquarters_iid).or(Some(e)),
            other => other,
        };
        let body = match entry {
            Some(e) => ClearingLookup {
                iid: e.iid.to_string(),
                found: Some(true),
                error: None,
                institution: Some(ClearingInstitution {
                    name: Some(e.name.to_string()),
                    kind: None,
                    iid_type: Some(
                        if e.iid == e.headquarters_iid {
                            "headquarters"
                        } else {
                            "branch"
                        }
                        .into(),
                    ),
                    headquarters_iid: Some(e.headquarters_iid.to_string()),
                    extra: extra(json!({ "short_name": e.short_name, "country": e.country })),
                }),
                address: None,
                bic: e.bic.map(str::to_string),
                payment_services: Some(PaymentServices {
                    sic: None,
                    rtgs_chf: None,
                    instant_payments_chf: None,
                    eurosic: None,
                    lsv_bdd_chf: None,
                    lsv_bdd_eur: None,
                    extra: Extra::new(),
                }),
                sic_iid: None,
                qr_iid: clearing::qr_iids_of(e.headquarters_iid)
                    .next()
                    .map(String::from),
                qr_iid_source: Some(data::CH_IIDS_SOURCE.into()),
                qr_iids: Some(
                    clearing::qr_iids_of(e.headquarters_iid)
                        .map(String::from)
                        .collect(),
                ),
                valid_on: None,
                redirected_from: (qr && e.iid != iid).then(|| iid.to_string()),
                note: None,
                cost_usdc: None,
                processing_ms: None,
                extra: Extra::new(),
            },
            None => ClearingLookup {
                iid: iid.to_string(),
                found: Some(false),
                error: Some("clearing_not_found".into()),
                institution: None,
                address: None,
                bic: None,
                payment_services: None,
                sic_iid: None,
                qr_iid: None,
                qr_iid_source: None,
                qr_iids: None,
                valid_on: None,
                redirected_from: None,
                note: Some(format!(
                    "IID {iid} is not in the SIX bank master embedded in this build (as of {}){}",
                    data::BANK_DIRECTORY_AS_OF,
                    if qr {
                        "; it is in the QR-IID range 30000–31999"
                    } else {
                        ""
                    }
                )),
                cost_usdc: None,
                processing_ms: None,
                extra: Extra::new(),
            },
        };
        let missing = if body.found == Some(true) {
            vec![
                "address".into(),
                "payment_services".into(),
                "sic_iid".into(),
                "valid_on".into(),
                "institution.type".into(),
            ]
        } else {
            vec![
                "address".into(),
                "payment_services".into(),
                "valid_on".into(),
            ]
        };
        LocalAnswer {
            body,
            covers: "Local lookup only: the embedded SIX bank master (name, BIC, head office, QR-IIDs); no address or SIC/euroSIC/instant-payment flags.".into(),
            missing,
            data_as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
        }
    }

    fn cache_key(input: &IidInput) -> Option<CacheKey> {
        Some(CacheKey::new(CLEARING_KIND, input.as_str().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: Value) -> Result<IidInput, InputError> {
        LookupChClearing::parse(Some(v.as_object().unwrap()))
    }

    #[test]
    fn iids_are_padded_once_and_numbers_are_accepted() {
        assert_eq!(parse(json!({"iid": 230})).unwrap().as_str(), "00230");
        assert_eq!(parse(json!({"iid": " 230 "})).unwrap().as_str(), "00230");
        let e = parse(json!({"iid": "123456"})).unwrap_err();
        assert!(e.0.contains("1–5 digits"), "{e}");
    }
}
