//! `check_compliance`: sanctions, FATF, SEPA reach and Verification of Payee for an IBAN's
//! bank and country.
//!
//! Asks `POST /v1/iban/compliance`. A local answer has country-level facts only (FATF
//! status, EU high-risk list, EPC SEPA scope, each dated): the bank is never screened
//! locally, so the verdict never reads more favourable than the data allows — the level
//! stays `unassessable` unless country facts alone raise it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::ToolName;
use super::answer::{Extra, Local, LocalAnswer, extra};
use super::args::{Arguments, IbanInput, InputError};
use super::cache::CacheKey;
use super::iban_answer::{FREE_COVERS, IbanValidation};
use super::policy::Tool;
use super::provenance::CrossCheck;
use super::text::{Text, facts, plain, yes_no};
use super::validate_iban::IbanArgs;
use crate::api::PaidRequest;
use crate::engine::compliance::{ComplianceLists, FatfStatus};

/// The `check_compliance` tool.
pub struct CheckCompliance;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Sanctions {
    pub country_sanctioned: Option<bool>,
    pub bank_sanctioned: Option<bool>,
    pub matched_lists: Vec<String>,
    /// member | grey_list | black_list | suspended | non_member (locally: not_listed
    /// when the country is on no FATF list)
    pub fatf_status: Option<String>,
    /// Whether the bank (BIC8) was screened at all.
    pub bank_screened: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reachability {
    pub sepa_instant: Option<bool>,
    pub sct: Option<bool>,
    pub sdd: Option<bool>,
    /// Whether the bank's own scheme participation was checked.
    pub screened: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Vop {
    pub participant: Option<bool>,
    /// active | pending | inactive | not_found
    pub status: Option<String>,
    pub screened: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Compliance {
    pub sanctions: Sanctions,
    pub reachability: Reachability,
    pub vop: Vop,
    /// 0–100, or `null` when no verdict can be given.
    pub risk_score: Option<f64>,
    /// low | medium | elevated | high | critical | unassessable (`unassessable` is the
    /// absence of a verdict, never a favourable one).
    pub risk_level: String,
    pub flags: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `check_compliance`: the validation fields plus `compliance` and `meta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ComplianceCheck {
    #[serde(flatten)]
    pub validation: IbanValidation,
    pub compliance: Option<Compliance>,
    /// Scope, disclaimer, list dates and sources.
    pub meta: Option<Extra>,
}

impl ComplianceCheck {
    /// Country-level compliance facts around a validation (local, or from the free endpoint).
    pub fn local(validation: IbanValidation, lists: &ComplianceLists) -> LocalAnswer<Self> {
        let code = validation.country.as_ref().map(|c| c.code.clone());
        // Nothing about the bank is screened locally; with no valid IBAN there is no verdict at all.
        let mut c = Compliance {
            sanctions: Sanctions {
                country_sanctioned: None,
                bank_sanctioned: None,
                matched_lists: Vec::new(),
                fatf_status: None,
                bank_screened: false,
                extra: Extra::new(),
            },
            reachability: Reachability {
                sepa_instant: None,
                sct: None,
                sdd: None,
                screened: false,
                extra: Extra::new(),
            },
            vop: Vop {
                participant: None,
                status: None,
                screened: false,
                extra: Extra::new(),
            },
            risk_score: None,
            risk_level: "unassessable".into(),
            flags: Vec::new(),
            extra: Extra::new(),
        };
        match (&code, validation.valid) {
            (Some(code), true) => {
                let fatf = lists.fatf_status(code);
                let eu = lists.eu_high_risk(code);
                let sepa = lists.sepa_member(code);
                match fatf {
                    FatfStatus::BlackList => c.flags.push("fatf_call_for_action".to_string()),
                    FatfStatus::GreyList => c.flags.push("fatf_increased_monitoring".to_string()),
                    FatfStatus::Suspended => c.flags.push("fatf_membership_suspended".to_string()),
                    FatfStatus::NotListed => {}
                }
                if eu {
                    c.flags.push("eu_high_risk_third_country".into());
                }
                if !sepa {
                    c.flags.push("outside_sepa".into());
                }
                c.flags.push("bank_not_screened".into());
                // Country facts can raise the level; they can never lower it below "no verdict".
                c.risk_level = match fatf {
                    FatfStatus::BlackList => "high",
                    _ if eu || fatf == FatfStatus::GreyList || fatf == FatfStatus::Suspended => {
                        "elevated"
                    }
                    _ => "unassessable",
                }
                .into();
                c.sanctions.fatf_status = Some(fatf.code().into());
                c.sanctions.extra = extra(json!({ "eu_high_risk_third_country": eu }));
                c.reachability.sct = Some(sepa);
                c.reachability.sdd = Some(sepa);
                c.reachability.extra = extra(json!({ "scope": "country" }));
            }
            _ => c.flags.push("invalid_iban".into()),
        }
        let meta = extra(json!({
            "scope": "country_only",
            "disclaimer": "Country-level facts from embedded lists; the bank was not screened against any sanctions list. Not a compliance verdict.",
            "sanctions_as_of": null,
            "fatf_as_of": lists.fatf.as_of,
            "eu_high_risk_as_of": lists.eu_high_risk.as_of,
            "sepa_scope_as_of": lists.sepa_scope.as_of,
            "sources": [lists.fatf.source, lists.eu_high_risk.source, lists.sepa_scope.source],
        }));
        let mut missing = validation.missing();
        missing.extend(
            [
                "compliance.sanctions.bank_sanctioned",
                "compliance.vop.participant",
                "compliance.risk_score",
            ]
            .map(String::from),
        );
        LocalAnswer {
            body: ComplianceCheck {
                validation,
                compliance: Some(c),
                meta: Some(meta),
            },
            covers: format!(
                "Country-level facts only (FATF {}, EU high-risk list {}, EPC SEPA scope {}); the bank was not screened.",
                lists.fatf.as_of, lists.eu_high_risk.as_of, lists.sepa_scope.as_of
            ),
            missing,
            data_as_of: Some(lists.fatf.as_of.clone()),
        }
    }
}

impl Tool for CheckCompliance {
    const NAME: ToolName = ToolName::CheckCompliance;
    const TITLE: &'static str = "Compliance Check";
    const DESCRIPTION: &'static str = "Screen an IBAN's bank and country: sanctions, FATF, SEPA reach, Verification of Payee.\n\
        Use before paying a new beneficiary; for validation alone use validate_iban (cheaper). \
        Costs $0.02. A local answer has country-level facts only (FATF, EU high-risk, SEPA scope, each dated): \
        the bank is not screened and the risk level is `unassessable` unless country facts raise it.";
    type Args = IbanArgs;
    type Input = IbanInput;
    type Body = ComplianceCheck;

    fn parse(arguments: Option<&Arguments>) -> Result<IbanInput, InputError> {
        IbanArgs::parse(arguments)
    }

    fn log_input(input: &IbanInput) -> String {
        input.masked()
    }

    fn request(input: &IbanInput) -> PaidRequest {
        PaidRequest::Compliance {
            iban: input.compact.clone(),
        }
    }

    fn local(input: &IbanInput, engine: &Local) -> LocalAnswer<ComplianceCheck> {
        ComplianceCheck::local(IbanValidation::local(&input.text, engine), engine.lists)
    }

    fn free_question(input: &IbanInput, local: &LocalAnswer<ComplianceCheck>) -> Option<String> {
        local
            .body
            .validation
            .country_unknown_locally()
            .then(|| input.compact.clone())
    }

    fn from_free(
        _input: &IbanInput,
        free: IbanValidation,
        engine: &Local,
    ) -> Option<LocalAnswer<ComplianceCheck>> {
        let mut answer = ComplianceCheck::local(free, engine.lists);
        answer.covers = format!("{FREE_COVERS} {}", answer.covers);
        Some(answer)
    }

    fn cache_key(input: &IbanInput) -> Option<CacheKey> {
        Some(CacheKey::new("compliance", input.compact.clone()))
    }

    fn cross_check(
        input: &IbanInput,
        body: &ComplianceCheck,
        engine: &Local,
    ) -> Option<CrossCheck> {
        Some(body.validation.cross_check(&input.text, engine))
    }

    /// Never reads more favourable than the answer's own risk level.
    fn summary(c: &ComplianceCheck) -> String {
        let v = &c.validation;
        let shown = v.formatted.as_deref().unwrap_or(&v.iban);
        if !v.valid {
            return format!(
                "{shown} is NOT a valid IBAN ({}): no compliance verdict",
                v.error.as_deref().unwrap_or("invalid")
            );
        }
        match &c.compliance {
            Some(comp) if comp.flags.is_empty() => {
                format!("{shown}: risk level {}", comp.risk_level)
            }
            Some(comp) => format!(
                "{shown}: risk level {} ({})",
                comp.risk_level,
                comp.flags.join(", ")
            ),
            None => format!("{shown}: no compliance data in the answer"),
        }
    }

    /// The IBAN in brief, then every compliance fact the answer has; list dates once.
    fn render(c: &ComplianceCheck, text: &mut Text) {
        let v = &c.validation;
        v.render_brief(text);
        let Some(comp) = &c.compliance else {
            text.line("Compliance: no data in the answer");
            return;
        };
        text.field(
            "Risk level",
            Some(match comp.risk_score {
                Some(score) => format!("{} (score {score} of 100)", comp.risk_level),
                None => format!("{} (no score)", comp.risk_level),
            }),
        );
        if !comp.flags.is_empty() {
            text.field("Flags", Some(comp.flags.join(", ")));
        }
        let s = &comp.sanctions;
        let mut sanctions = format!(
            "bank screened {}",
            if s.bank_screened { "yes" } else { "no" }
        );
        for (name, v) in [
            ("bank sanctioned", s.bank_sanctioned),
            ("country sanctioned", s.country_sanctioned),
        ] {
            if let Some(v) = yes_no(v) {
                sanctions.push_str(&format!("; {name} {v}"));
            }
        }
        if !s.matched_lists.is_empty() {
            sanctions.push_str(&format!("; matched {}", s.matched_lists.join(", ")));
        }
        if let Some(f) = &s.fatf_status {
            sanctions.push_str(&format!("; FATF {}", f.replace('_', " ")));
        }
        if !s.extra.is_empty() {
            sanctions.push_str(&format!("; {}", facts(&s.extra)));
        }
        text.field("Sanctions", Some(sanctions));
        let r = &comp.reachability;
        let mut reach: Vec<String> = [("SCT", r.sct), ("SDD", r.sdd), ("SCT Inst", r.sepa_instant)]
            .into_iter()
            .filter_map(|(name, v)| yes_no(v).map(|v| format!("{name} {v}")))
            .collect();
        if !r.screened {
            reach.push("bank's participation not checked".into());
        }
        text.field("Reachability", Some(reach.join(", ")));
        let mut vop: Vec<String> = Vec::new();
        if let Some(p) = yes_no(comp.vop.participant) {
            vop.push(format!("participant {p}"));
        }
        if let Some(st) = &comp.vop.status {
            vop.push(format!("status {st}"));
        }
        if !comp.vop.screened {
            vop.push("not checked".into());
        }
        text.field("Verification of Payee", Some(vop.join(", ")));
        if let Some(meta) = &c.meta {
            let scope = meta.get("scope").map(plain);
            let disclaimer = meta.get("disclaimer").map(plain);
            text.field(
                "Scope",
                match (scope, disclaimer) {
                    (Some(s), Some(d)) => Some(format!("{s} — {d}")),
                    (s, d) => s.or(d),
                },
            );
            let dates: Vec<String> = meta
                .iter()
                .filter(|(k, v)| k.ends_with("_as_of") && !v.is_null())
                .map(|(k, v)| {
                    format!(
                        "{} {}",
                        k.trim_end_matches("_as_of").replace('_', " "),
                        plain(v)
                    )
                })
                .collect();
            if let Some(Value::Array(sources)) = meta.get("sources") {
                for s in sources {
                    text.source(&plain(s), None);
                }
            }
            if !dates.is_empty() {
                text.field("Lists as of", Some(dates.join(", ")));
            }
        }
        text.field("Cost", v.cost_usdc.map(|c| format!("{c} USDC")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_verdict_is_never_favourable() {
        let lists = ComplianceLists::embedded();
        let engine = Local {
            lists: &lists,
            validate: Default::default(),
        };
        let input = IbanInput::parse(&json!("DE89 3704 0044 0532 0130 00"), "iban").unwrap();
        let a = CheckCompliance::local(&input, &engine);
        let c = a.body.compliance.as_ref().unwrap();
        assert_eq!(c.risk_level, "unassessable");
        assert!(!c.sanctions.bank_screened);
        assert!(c.flags.contains(&"bank_not_screened".to_string()));
        assert!(a.missing.contains(&"compliance.risk_score".to_string()));
    }
}
