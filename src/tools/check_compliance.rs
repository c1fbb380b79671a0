//! `check_compliance`: sanctions, FATF, SEPA reach and Verification of Payee for an IBAN's
//! bank and country.
//!
//! Asks `POST /v1/iban/compliance`. A local answer has country-level facts only (FATF
//! status, EU high-risk list, EPC SEPA scope, each dated): the bank is never screened
//! locally, so the verdict never reads more favourable than the data allows — the level
//! stays `unassessable` unless country facts alone raise it.
//!
//! It is never silent about a listed country: whenever the first two characters of the
//! input name a country on a FATF or EU list — a valid IBAN or not, an IBAN country or not
//! (KP, IR, MM have no IBAN) — the local answer states the country's flags, its FATF status
//! and a risk level of at least `high` for a call-for-action country, and says so in words.
//! It also says when a list it relied on may be out of date, and how to refresh it.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::answer::{Extra, LocalAnswer, OfflineEngine, extra};
use super::args::{Arguments, IbanArgs, IbanInput, InputError};
use super::cache::{CacheKey, CacheKind};
use super::iban_answer::{FREE_COVERS, IbanValidation};
use super::lists::{self, REFRESH_HOW};
use super::provenance::CrossCheck;
use super::text::{Text, facts, plain, yes_no};
use super::tool::{Paid, Tool};
use crate::api::PaidRequest;
use crate::api::unknown_fields::keeps_unknown_fields;
use crate::engine::compliance::{ComplianceLists, FatfStatus, ListAge};
use crate::engine::countries;
use crate::engine::date::{CivilDate, as_of_in_words};
use crate::engine::iban::CompactIban;

/// The cache kind of a compliance check.
const COMPLIANCE_KIND: CacheKind = CacheKind::new("compliance");

/// The `check_compliance` tool.
pub struct CheckCompliance;

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct Sanctions {
        pub country_sanctioned: Option<bool>,
        pub bank_sanctioned: Option<bool>,
        pub matched_lists: Vec<String>,
        /// member | grey_list | black_list | suspended | non_member (locally: not_listed
        /// when the country is on no FATF list)
        pub fatf_status: Option<String>,
        /// Whether the bank (BIC8) was screened at all.
        pub bank_screened: bool,
        /// The country the facts are about (local answers).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub country: Option<String>,
        /// Whether that country is on the EU list of high-risk third countries (local
        /// answers).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub eu_high_risk_third_country: Option<bool>,
    }
}

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct Reachability {
        pub sepa_instant: Option<bool>,
        pub sct: Option<bool>,
        pub sdd: Option<bool>,
        /// Whether the bank's own scheme participation was checked.
        pub screened: bool,
        /// `country` when reachability is the country's SEPA membership, not the bank's
        /// (local answers).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scope: Option<String>,
    }
}

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct Vop {
        pub participant: Option<bool>,
        /// active | pending | inactive | not_found
        pub status: Option<String>,
        pub screened: bool,
    }
}

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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
    }
}

keeps_unknown_fields! {
    /// The answer of `check_compliance`: the validation fields plus `compliance` and `meta`.
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct ComplianceCheck {
        #[serde(flatten)]
        pub validation: IbanValidation,
        pub compliance: Option<Compliance>,
        /// Scope, disclaimer, list dates and sources.
        // Shared (not part of the schema's description): a local answer's is the same
        // object for every check on one day with one set of lists (see `LocalMeta`).
        pub meta: Option<Arc<Extra>>,
    }
}

/// The flags and risk level country facts alone give (the level never reads favourable:
/// with nothing listed it stays `unassessable`).
fn country_flags(fatf: FatfStatus, eu: bool) -> (Vec<String>, &'static str) {
    let mut flags = Vec::new();
    match fatf {
        FatfStatus::BlackList => flags.push("fatf_call_for_action".to_string()),
        FatfStatus::GreyList => flags.push("fatf_increased_monitoring".to_string()),
        FatfStatus::Suspended => flags.push("fatf_membership_suspended".to_string()),
        FatfStatus::NotListed => {}
    }
    if eu {
        flags.push("eu_high_risk_third_country".into());
    }
    let level = match fatf {
        FatfStatus::BlackList => "high",
        FatfStatus::GreyList | FatfStatus::Suspended => "elevated",
        FatfStatus::NotListed if eu => "elevated",
        FatfStatus::NotListed => "unassessable",
    };
    (flags, level)
}

/// What a local answer's `meta` and its text say about the lists: the same for every check
/// made on one day with the same lists, so worked out once and shared. Building the `meta`
/// object, the lists' ages and the `Lists` line afresh was a third of a local
/// check_compliance (and dropping them again a few percent more).
struct LocalMeta {
    day: CivilDate,
    /// The lists' `as_of` and `source`, in `lists_json`'s order: what the rest is made of.
    made_from: [String; 6],
    ages: Vec<ListAge>,
    meta: Arc<Extra>,
    /// The text block's `Lists` line for `meta`.
    lists_line: Option<String>,
}

/// The last [`LocalMeta`] made (one day's, one set of lists').
static LOCAL_META: Mutex<Option<Arc<LocalMeta>>> = Mutex::new(None);

impl LocalMeta {
    fn made_from(lists: &ComplianceLists) -> [&String; 6] {
        [
            &lists.fatf.as_of,
            &lists.eu_high_risk.as_of,
            &lists.sepa_scope.as_of,
            &lists.fatf.source,
            &lists.eu_high_risk.source,
            &lists.sepa_scope.source,
        ]
    }

    /// The shared one for `lists` judged on `day`: the last one made, if made from the same.
    fn of(lists: &ComplianceLists, day: CivilDate) -> Arc<Self> {
        let from = Self::made_from(lists);
        let mut last = LOCAL_META.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(m) = last
            .as_ref()
            .filter(|m| m.day == day && m.made_from.iter().eq(from))
        {
            return Arc::clone(m);
        }
        let ages = lists.ages(day);
        let meta = extra(json!({
            "scope": "country_only",
            "disclaimer": "Country-level facts from embedded lists; the bank was not screened against any sanctions list. Not a compliance verdict.",
            "sanctions_as_of": null,
            "fatf_as_of": lists.fatf.as_of,
            "eu_high_risk_as_of": lists.eu_high_risk.as_of,
            "sepa_scope_as_of": lists.sepa_scope.as_of,
            "sources": [lists.fatf.source, lists.eu_high_risk.source, lists.sepa_scope.source],
            "lists": lists_json(lists, &ages),
        }));
        let made = Arc::new(Self {
            day,
            made_from: from.map(String::clone),
            lists_line: lists_line(&meta),
            meta: Arc::new(meta),
            ages,
        });
        *last = Some(Arc::clone(&made));
        made
    }

    /// The `Lists` line of `meta`, if `meta` is the shared one.
    fn lists_line_of(meta: &Extra) -> Option<String> {
        let last = LOCAL_META.lock().unwrap_or_else(PoisonError::into_inner);
        last.as_ref()
            .filter(|m| std::ptr::eq(&*m.meta, meta))
            .and_then(|m| m.lists_line.clone())
    }
}

/// Each list's date, source and age, for `meta` (and from there the text block).
fn lists_json(lists: &ComplianceLists, ages: &[ListAge]) -> Value {
    let sources = [
        &lists.fatf.source,
        &lists.eu_high_risk.source,
        &lists.sepa_scope.source,
    ];
    Value::Array(
        ages.iter()
            .zip(sources)
            .map(|(a, source)| {
                json!({
                    "list": a.list,
                    "title": a.title,
                    "as_of": a.as_of,
                    "source": source,
                    "next_update_due": a.due.map(|d| d.to_string()),
                    "may_be_out_of_date": a.out_of_date,
                    "why": a.out_of_date.then_some(&a.because),
                })
            })
            .collect(),
    )
}

impl ComplianceCheck {
    /// Country-level compliance facts around a validation (local, or from the free
    /// endpoint). `compact` is the normalised input: its first two letters name the
    /// country even when the IBAN is invalid or its country has no IBAN.
    pub fn local(
        validation: IbanValidation,
        compact: &CompactIban,
        lists: &ComplianceLists,
    ) -> LocalAnswer<Self> {
        let code = validation
            .country
            .as_ref()
            .map(|c| c.code.clone())
            .or_else(|| compact.country_code().map(str::to_string));
        // Nothing about the bank is screened locally; with no valid IBAN there is no verdict
        // beyond what the country's listing alone says.
        let mut c = Compliance {
            sanctions: Sanctions {
                country_sanctioned: None,
                bank_sanctioned: None,
                matched_lists: Vec::new(),
                fatf_status: None,
                bank_screened: false,
                country: None,
                eu_high_risk_third_country: None,
                extra: Extra::new(),
            },
            reachability: Reachability {
                sepa_instant: None,
                sct: None,
                sdd: None,
                screened: false,
                scope: None,
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
        let facts = code.as_deref().map(|code| {
            let fatf = lists.fatf_status(code);
            let eu = lists.eu_high_risk(code);
            (code, fatf, eu, country_flags(fatf, eu))
        });
        match facts {
            Some((code, fatf, eu, (flags, level))) if validation.valid => {
                let sepa = lists.sepa_member(code);
                c.flags = flags;
                if !sepa {
                    c.flags.push("outside_sepa".into());
                }
                c.flags.push("bank_not_screened".into());
                c.risk_level = level.into();
                c.sanctions.fatf_status = Some(fatf.code().into());
                c.sanctions.country = Some(code.to_string());
                c.sanctions.eu_high_risk_third_country = Some(eu);
                c.reachability.sct = Some(sepa);
                c.reachability.sdd = Some(sepa);
                c.reachability.scope = Some("country".into());
            }
            // Invalid, but the two letters name a listed country: never silent about it.
            Some((code, fatf, eu, (flags, level))) if !flags.is_empty() => {
                c.flags.push("invalid_iban".into());
                c.flags.extend(flags);
                c.flags.push("bank_not_screened".into());
                c.risk_level = level.into();
                c.sanctions.fatf_status = Some(fatf.code().into());
                c.sanctions.country = Some(code.to_string());
                c.sanctions.eu_high_risk_third_country = Some(eu);
            }
            _ => c.flags.push("invalid_iban".into()),
        }
        let shared = LocalMeta::of(lists, lists::judging_day(lists));
        let ages = &shared.ages;
        let mut missing = validation.missing();
        missing.extend(
            [
                "compliance.sanctions.bank_sanctioned",
                "compliance.vop.participant",
                "compliance.risk_score",
            ]
            .map(String::from),
        );
        // The lists' dates are on the text's `Lists` line; the label names the stale ones.
        let mut covers = String::from(
            "Country-level facts only (FATF, EU high-risk and EPC SEPA scope lists); the bank was not screened.",
        );
        let out_of_date: Vec<&str> = ages
            .iter()
            .filter(|a| a.out_of_date)
            .map(|a| a.dated_title.as_str())
            .collect();
        if !out_of_date.is_empty() {
            let _ = write!(
                covers,
                " Lists may be out of date ({}): {REFRESH_HOW}.",
                out_of_date.join(", ")
            );
        }
        LocalAnswer {
            body: ComplianceCheck {
                validation,
                compliance: Some(c),
                meta: Some(Arc::clone(&shared.meta)),
            },
            covers,
            missing,
            data_as_of: Some(lists.fatf.as_of.clone()),
        }
    }

    /// The country the compliance facts are about: the one the answer names, else the
    /// IBAN's.
    fn country_code(&self) -> Option<&str> {
        self.compliance
            .as_ref()
            .and_then(|c| c.sanctions.country.as_deref())
            .or_else(|| self.validation.country.as_ref().map(|c| c.code.as_str()))
    }

    /// The country's listings in words ("KP (North Korea) is on the FATF call-for-action
    /// list (June 2026) and on the EU list of high-risk third countries (4 December
    /// 2025)"), from the answer's own flags, status and dates; `None` when it is on none.
    pub fn listings_in_words(&self) -> Option<String> {
        let comp = self.compliance.as_ref()?;
        let code = self.country_code()?;
        let flag = |f: &str| comp.flags.iter().any(|x| x == f);
        let fatf = comp.sanctions.fatf_status.as_deref();
        let date = |key: &str| {
            self.meta
                .as_ref()
                .and_then(|m| m.get(key))
                .and_then(Value::as_str)
                .map(as_of_in_words)
        };
        let paren = |what: Option<&str>, when: Option<String>| {
            let inside: Vec<String> = what.map(str::to_string).into_iter().chain(when).collect();
            if inside.is_empty() {
                String::new()
            } else {
                format!(" ({})", inside.join(", "))
            }
        };
        // Only a listed country's line has the date in it.
        let fatf_date = || date("fatf_as_of");
        let mut listed = Vec::new();
        if flag("fatf_call_for_action") || fatf == Some("black_list") {
            listed.push(format!(
                "on the FATF call-for-action list{}",
                paren(None, fatf_date())
            ));
        } else if flag("fatf_increased_monitoring") || fatf == Some("grey_list") {
            listed.push(format!(
                "under FATF increased monitoring{}",
                paren(Some("grey list"), fatf_date())
            ));
        } else if flag("fatf_membership_suspended") || fatf == Some("suspended") {
            listed.push(format!(
                "suspended from FATF membership{}",
                paren(None, fatf_date())
            ));
        }
        if flag("eu_high_risk_third_country")
            || comp.sanctions.eu_high_risk_third_country == Some(true)
        {
            listed.push("on the EU list of high-risk third countries".to_string());
        }
        if listed.is_empty() {
            return None;
        }
        let country = match countries::name(code) {
            Some(name) => format!("{code} ({name})"),
            None => code.to_string(),
        };
        Some(format!("{country} is {}", listed.join(" and ")))
    }
}

impl Tool for CheckCompliance {
    const NAME: &'static str = "check_compliance";
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

    /// Never reads more favourable than the answer's own risk level, and names a listed
    /// country's listings in words.
    fn summary(c: &ComplianceCheck) -> String {
        let v = &c.validation;
        let shown = v.formatted.as_deref().unwrap_or(&v.iban);
        let listings = c.listings_in_words();
        if !v.valid {
            let error = v.error.as_deref().unwrap_or("invalid");
            return match (listings, &c.compliance) {
                (Some(words), Some(comp)) => format!(
                    "{shown} is NOT a valid IBAN ({error}), but {words}: risk level {} (country facts alone)",
                    comp.risk_level
                ),
                _ => format!("{shown} is NOT a valid IBAN ({error}): no compliance verdict"),
            };
        }
        match (&c.compliance, listings) {
            (Some(comp), _) if comp.flags.is_empty() => {
                format!("{shown}: risk level {}", comp.risk_level)
            }
            (Some(comp), Some(words)) => format!(
                "{shown}: risk level {} — {words} ({})",
                comp.risk_level,
                comp.flags.join(", ")
            ),
            (Some(comp), None) => format!(
                "{shown}: risk level {} ({})",
                comp.risk_level,
                comp.flags.join(", ")
            ),
            (None, _) => format!("{shown}: no compliance data in the answer"),
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
                let _ = write!(sanctions, "; {name} {v}");
            }
        }
        if !s.matched_lists.is_empty() {
            let _ = write!(sanctions, "; matched {}", s.matched_lists.join(", "));
        }
        if let Some(f) = &s.fatf_status {
            let _ = write!(sanctions, "; FATF {}", f.replace('_', " "));
        }
        // The EU listing is in the flags; the country in the `Country` line when the IBAN has one.
        let mut more = s.extra.clone();
        more.remove("eu_high_risk_third_country");
        if v.country.is_some() {
            more.remove("country");
        }
        if !more.is_empty() {
            let _ = write!(sanctions, "; {}", facts(&more));
        }
        text.field("Sanctions", Some(sanctions));
        let r = &comp.reachability;
        let mut reach: Vec<String> = [("SCT", r.sct), ("SDD", r.sdd), ("SCT Inst", r.sepa_instant)]
            .into_iter()
            .filter_map(|(name, v)| yes_no(v).map(|v| format!("{name} {v}")))
            .collect();
        let mut vop: Vec<String> = Vec::new();
        if let Some(p) = yes_no(comp.vop.participant) {
            vop.push(format!("participant {p}"));
        }
        if let Some(st) = &comp.vop.status {
            vop.push(format!("status {st}"));
        }
        // Nothing known about either, as in every local answer: one line says so.
        if reach.is_empty() && vop.is_empty() && !r.screened && !comp.vop.screened {
            text.field(
                "Not checked",
                Some("the bank's scheme participation, Verification of Payee"),
            );
        } else {
            if !r.screened {
                reach.push("bank's participation not checked".into());
            }
            text.field("Reachability", Some(reach.join(", ")));
            if !comp.vop.screened {
                vop.push("not checked".into());
            }
            text.field("Verification of Payee", Some(vop.join(", ")));
        }
        if let Some(meta) = &c.meta {
            render_meta(meta, text);
        }
        text.field("Cost", v.cost_usdc.map(|c| format!("{c} USDC")));
    }
}

impl Paid for CheckCompliance {
    fn request(input: &IbanInput) -> PaidRequest {
        PaidRequest::post(
            "/v1/iban/compliance",
            serde_json::json!({ "iban": input.compact.as_str() }),
        )
    }

    fn local(input: &IbanInput, engine: &OfflineEngine) -> LocalAnswer<ComplianceCheck> {
        ComplianceCheck::local(
            IbanValidation::local(&input.text, engine),
            &input.compact,
            engine.lists,
        )
    }

    fn free_question(input: &IbanInput, local: &LocalAnswer<ComplianceCheck>) -> Option<String> {
        local
            .body
            .validation
            .country_unknown_locally()
            .then(|| input.compact.as_str().to_string())
    }

    fn from_free(
        input: &IbanInput,
        free: &Value,
        engine: &OfflineEngine,
    ) -> Option<LocalAnswer<ComplianceCheck>> {
        let free = IbanValidation::deserialize(free).ok()?;
        let mut answer = ComplianceCheck::local(free, &input.compact, engine.lists);
        answer.covers = format!("{FREE_COVERS} {}", answer.covers);
        Some(answer)
    }

    fn cache_key(input: &IbanInput) -> Option<CacheKey> {
        Some(CacheKey::new(
            COMPLIANCE_KIND,
            input.compact.as_str().to_string(),
        ))
    }

    fn cross_check(
        input: &IbanInput,
        body: &ComplianceCheck,
        engine: &OfflineEngine,
    ) -> Option<CrossCheck> {
        Some(body.validation.cross_check(&input.text, engine))
    }
}

/// The `Lists` line, when `meta` has a `lists` array (a local answer's).
fn lists_line(meta: &Extra) -> Option<String> {
    let Some(Value::Array(lists)) = meta.get("lists") else {
        return None;
    };
    let line: Vec<String> = lists
        .iter()
        .map(|l| {
            let title = l.get("title").map(plain).unwrap_or_default();
            let as_of = l.get("as_of").map(plain).unwrap_or_default();
            let mut s = format!("{title} {}", as_of_in_words(&as_of));
            if let Some(why) = l.get("why").filter(|w| !w.is_null()) {
                // The label says it may be out of date; this says why.
                let _ = write!(s, " ({})", plain(why));
            }
            s
        })
        .collect();
    Some(line.join("; "))
}

/// Scope, list dates and sources, each said once. A local answer's `meta.lists` gives one
/// line with every list's date and, for a list that may be out of date, why (the label
/// already says the scope and how to refresh); an API answer's meta is shown as it comes.
fn render_meta(meta: &Extra, text: &mut Text) {
    if let Some(line) = LocalMeta::lists_line_of(meta).or_else(|| lists_line(meta)) {
        text.field("Lists", Some(line));
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_meta_follows_the_day_and_the_lists_and_renders_as_its_copy_would() {
        let day = |s| CivilDate::parse_as_of(s).unwrap();
        let mut lists = ComplianceLists::embedded();
        let a = LocalMeta::of(&lists, day("2026-09-30"));
        let b = LocalMeta::of(&lists, day("2026-09-30"));
        // Equal whether or not another test made its own in between.
        assert_eq!(a.meta, b.meta);
        assert_eq!(a.ages, lists.ages(day("2026-09-30")));
        let later = LocalMeta::of(&lists, day("2026-10-01"));
        assert_eq!(later.ages, lists.ages(day("2026-10-01")));
        assert_ne!(
            later.meta, a.meta,
            "the FATF list's `why` appears on the plenary day"
        );
        lists.fatf.as_of = "2026-10".into();
        let changed = LocalMeta::of(&lists, day("2026-10-01"));
        assert_eq!(changed.meta["fatf_as_of"], "2026-10");
        assert!(
            changed
                .lists_line
                .as_deref()
                .unwrap()
                .starts_with("FATF October 2026")
        );
        // The shared object's line is the one its copy renders.
        for m in [&a, &later, &changed] {
            let (mut shared, mut copy) = (Text::new(""), Text::new(""));
            render_meta(&m.meta, &mut shared);
            render_meta(&(*m.meta).clone(), &mut copy);
            assert_eq!(shared.finish(), copy.finish());
        }
    }

    #[test]
    fn a_local_verdict_is_never_favourable() {
        let lists = ComplianceLists::embedded();
        let engine = OfflineEngine {
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
