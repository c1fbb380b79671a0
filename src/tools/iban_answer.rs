//! The answer about one IBAN, shared by three tools: `validate_iban` answers with it,
//! `batch_validate_iban` answers with one per input, and `check_compliance` extends it.
//!
//! Its shape follows the hosted API's `POST /v1/iban/validate`; its local builder fills in
//! what the offline engine knows (structure, checksum, national check digits, the bank
//! directory, SEPA scope by country) and leaves the rest `null`, listed in `missing`.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};

use super::answer::{Country, Extra, OfflineEngine, extra};
use super::cache::CacheKind;
use super::provenance::{CrossCheck, CrossCheckStatus};
use super::text::{Text, facts, plain, yes_no};
use crate::api::unknown_fields::keeps_unknown_fields;
use crate::engine::iban::IbanError;
use crate::engine::national::NationalCheck;
use crate::engine::{banks, clearing, data};

/// What a local IBAN answer covers (the label says it first).
/// The cache kind of an IBAN's validation, shared by `validate_iban` and batch rows.
pub const IBAN_KIND: CacheKind = CacheKind::new("iban");

pub const LOCAL_COVERS: &str = "Local check only (IBAN registry structure, mod-97, national check digits, bank directory, SEPA scope by country); no issuer, risk or live bank data.";

/// What an answer from the free format endpoint covers.
pub const FREE_COVERS: &str = "Format check only, by the API's free endpoint (mod-97, length, BBAN structure); no bank, SEPA, issuer, risk or clearing data.";

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct Bban {
        pub bank_code: Option<String>,
        #[serde(default)]
        pub branch_code: Option<String>,
        pub account_number: Option<String>,
    }
}

keeps_unknown_fields! {
    /// The bank behind an IBAN.
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct BankBic {
        pub code: Option<String>,
        pub bank_name: Option<String>,
        #[serde(default)]
        pub city: Option<String>,
        /// Which register the data comes from.
        #[serde(default)]
        pub source: Option<String>,
        #[serde(default)]
        pub as_of: Option<String>,
        #[serde(default)]
        pub lei: Option<String>,
        #[serde(default)]
        pub lei_status: Option<String>,
        #[serde(default)]
        pub address: Option<Extra>,
    }
}

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct Sepa {
        /// Whether the country is in the SEPA schemes' geographical scope.
        pub member: Option<bool>,
        #[serde(default)]
        pub schemes: Option<Vec<String>>,
        #[serde(default)]
        pub vop_required: Option<bool>,
        #[serde(default)]
        pub vop_participant: Option<bool>,
    }
}

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct BankCodeCheck {
        pub value: Option<String>,
        /// verified | not_in_register | unknown | no_register | unavailable
        pub status: String,
        #[serde(default, rename = "match")]
        pub matches: Option<Value>,
        #[serde(default)]
        pub register: Option<String>,
        /// True only for a country's official register.
        #[serde(default)]
        pub authoritative: Option<bool>,
        #[serde(default)]
        pub institution: Option<String>,
        #[serde(default)]
        pub as_of: Option<String>,
    }
}

keeps_unknown_fields! {
    /// Swiss/Liechtenstein clearing data attached to a CH/LI IBAN.
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct IbanClearing {
        pub iid: Option<String>,
        pub name: Option<String>,
        #[serde(default, rename = "type")]
        pub kind: Option<String>,
        #[serde(default)]
        pub town: Option<String>,
        #[serde(default)]
        pub sic: Option<bool>,
        #[serde(default)]
        pub instant_payments_chf: Option<bool>,
        #[serde(default)]
        pub eurosic: Option<bool>,
        #[serde(default)]
        pub qr_iid: Option<bool>,
        #[serde(default)]
        pub qr_iid_source: Option<String>,
        #[serde(default)]
        pub qr_iids: Option<Vec<String>>,
    }
}

keeps_unknown_fields! {
    /// The answer of `validate_iban` (also each item of a batch, and the base of a
    /// compliance check).
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct IbanValidation {
        /// The IBAN in compact form.
        pub iban: String,
        /// The IBAN in groups of four.
        pub formatted: Option<String>,
        pub valid: bool,
        pub country: Option<Country>,
        pub check_digits: Option<String>,
        pub bban: Option<Bban>,
        #[serde(default)]
        pub bic: Option<BankBic>,
        /// Who issued the account (bank, digital bank, EMI, payment institution).
        #[serde(default)]
        pub issuer: Option<Extra>,
        #[serde(default)]
        pub sepa: Option<Sepa>,
        #[serde(default)]
        pub risk_indicators: Option<Extra>,
        #[serde(default)]
        pub bank_code_check: Option<BankCodeCheck>,
        #[serde(default)]
        pub clearing: Option<IbanClearing>,
        #[serde(default)]
        pub next_steps: Option<Vec<Extra>>,
        #[serde(default)]
        pub cost_usdc: Option<f64>,
        #[serde(default)]
        pub processing_ms: Option<f64>,
        /// invalid_format | unsupported_country | wrong_length | checksum_failed |
        /// invalid_check_digits | invalid_bban_structure (the API's codes), or
        /// national_check_failed (local engine only)
        #[serde(default)]
        pub error: Option<String>,
        #[serde(default)]
        pub error_detail: Option<String>,
        /// The BBAN's national check digits, as the local engine checked them (absent from the
        /// hosted API's answers).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub national_check: Option<NationalCheckInfo>,
    }
}

keeps_unknown_fields! {
    /// The national check-digit rule applied to the BBAN.
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct NationalCheckInfo {
        /// passed | failed | not_checkable
        pub status: String,
        /// The national rule applied (e.g. "French RIB key (clé RIB)", "Bundesbank method 63").
        pub rule: Option<String>,
        /// Why the rule could not be applied, when it could not.
        pub detail: Option<String>,
        /// For German IBANs: the date of the Bundesbank directory that named the method.
        pub as_of: Option<String>,
    }
}

impl IbanValidation {
    /// Top-level fields of a full answer that this one lacks. A full answer carries
    /// `clearing` only for Swiss and Liechtenstein IBANs.
    pub fn missing(&self) -> Vec<String> {
        let fields: [(&str, bool); 6] = [
            ("bic", self.bic.is_some()),
            ("issuer", self.issuer.is_some()),
            ("sepa", self.sepa.is_some()),
            ("risk_indicators", self.risk_indicators.is_some()),
            ("bank_code_check", self.bank_code_check.is_some()),
            ("next_steps", self.next_steps.is_some()),
        ];
        let mut missing: Vec<String> = fields
            .iter()
            .filter(|(_, present)| !present)
            .map(|(name, _)| name.to_string())
            .collect();
        let ch_li = self
            .country
            .as_ref()
            .is_some_and(|c| c.code == "CH" || c.code == "LI");
        if ch_li && self.clearing.is_none() {
            missing.push("clearing".into());
        }
        missing
    }

    /// Whether the country is one the local registry does not know: then (and only then)
    /// the API's free format endpoint knows more than the engine.
    pub fn country_unknown_locally(&self) -> bool {
        self.engine_error() == Some(IbanError::UnsupportedCountry)
    }

    /// The engine's error this answer's `error` code names (`None` for a valid IBAN, or a
    /// code only the API uses).
    pub fn engine_error(&self) -> Option<IbanError> {
        self.error.as_deref().and_then(IbanError::from_code)
    }

    /// One line about the result (local or full).
    pub fn summary(&self) -> String {
        let shown = self.formatted.as_deref().unwrap_or(&self.iban);
        // Joined with `concat` rather than `format!`: every answer writes these lines, and
        // the formatting machinery cost several times the copying.
        if !self.valid {
            return [
                shown,
                " is NOT valid: ",
                self.error.as_deref().unwrap_or("invalid"),
                " — ",
                self.error_detail.as_deref().unwrap_or(""),
            ]
            .concat();
        }
        match (&self.bic, &self.bank_code_check) {
            (Some(b), _) => {
                let name = b.bank_name.as_deref().unwrap_or("bank");
                match b.code.as_deref() {
                    Some(code) => [shown, " is valid — ", name, " (", code, ")"].concat(),
                    None => [shown, " is valid — ", name].concat(),
                }
            }
            (None, Some(c)) if c.status == "not_in_register" => [
                shown,
                " is valid — bank code ",
                c.value.as_deref().unwrap_or("?"),
                " is not in the register",
            ]
            .concat(),
            _ => [shown, " is valid"].concat(),
        }
    }

    /// The IBAN as shown: grouped when known.
    pub fn shown(&self) -> &str {
        self.formatted.as_deref().unwrap_or(&self.iban)
    }

    /// The bank in a few words: name and BIC, as far as known.
    fn bank(&self) -> Option<String> {
        let b = self.bic.as_ref()?;
        match (b.bank_name.as_deref(), b.code.as_deref()) {
            (Some(name), Some(code)) => Some([name, " (", code, ")"].concat()),
            (Some(name), None) => Some(name.to_string()),
            (None, Some(code)) => Some(code.to_string()),
            (None, None) => None,
        }
    }

    /// The lines about this IBAN in a text block: what an agent acts on, nulls left out.
    /// The IBAN, its verdict with the reason, and the bank are the label's summary
    /// ([`Self::summary`]) and are not repeated.
    pub fn render(&self, t: &mut Text) {
        if !self.valid {
            t.field("Error", self.error.as_deref());
        }
        t.field("Country", self.country.as_ref().map(Country::in_words));
        if let Some(b) = &self.bic {
            let more: Vec<String> = [
                b.city.clone(),
                b.lei.as_ref().map(|l| format!("LEI {l}")),
                b.address.as_ref().map(facts),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !more.is_empty() {
                t.field("Bank", Some(more.join(", ")));
            }
            if let Some(source) = &b.source {
                t.source(source, b.as_of.as_deref());
            }
        }
        if let Some(c) = &self.bank_code_check {
            let mut line = c.status.replace('_', " ");
            if c.authoritative == Some(true) {
                line.push_str(" (official register)");
            }
            let name = match &c.value {
                Some(v) => ["Bank code ", v].concat(),
                None => "Bank code".into(),
            };
            t.field(&name, Some(line));
            if let Some(reg) = &c.register {
                let source = reg.split(" (").next().unwrap_or(reg);
                t.source(source, c.as_of.as_deref());
            }
        }
        if let Some(n) = &self.national_check {
            let mut line = n.status.replace('_', " ");
            for part in [&n.rule, &n.detail].into_iter().flatten() {
                line.push_str(" — ");
                line.push_str(part);
            }
            t.field("National check digits", Some(line));
        }
        if let Some(s) = &self.sepa {
            let mut line = match s.member {
                Some(true) => "in scope".to_string(),
                Some(false) => "outside the SEPA schemes' scope".to_string(),
                None => "scope unknown".to_string(),
            };
            if let Some(schemes) = s.schemes.as_ref().filter(|s| !s.is_empty()) {
                line.push_str("; schemes ");
                line.push_str(&schemes.join(", "));
            }
            if s.vop_required == Some(true) {
                line.push_str("; Verification of Payee required");
            }
            if let Some(p) = yes_no(s.vop_participant) {
                line.push_str("; VoP participant ");
                line.push_str(p);
            }
            if s.extra.get("scope").map(plain).as_deref() == Some("country") {
                line.push_str(" (by country)");
            }
            t.field("SEPA", Some(line));
            if let Some(source) = s.extra.get("source").map(plain) {
                let as_of = s.extra.get("as_of").map(plain);
                t.source(&source, as_of.as_deref());
            }
        }
        if let Some(c) = &self.clearing {
            // The name is the bank's, already said, unless the clearing data names another.
            let bank_name = self.bic.as_ref().and_then(|b| b.bank_name.as_deref());
            let name = c.name.as_deref().filter(|n| Some(*n) != bank_name);
            let mut line = [
                c.iid.as_deref().map(|i| format!("IID {i}")),
                name.map(str::to_string),
                c.town.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            for (name, flag) in [
                ("SIC", c.sic),
                ("euroSIC", c.eurosic),
                ("instant CHF", c.instant_payments_chf),
                ("QR-IID", c.qr_iid),
            ] {
                if let Some(v) = yes_no(flag) {
                    let _ = write!(line, "; {name} {v}");
                }
            }
            t.field("Swiss clearing", Some(line));
        }
        t.field("Issuer", self.issuer.as_ref().map(facts));
        t.field("Risk indicators", self.risk_indicators.as_ref().map(facts));
        if let Some(steps) = &self.next_steps {
            for step in steps {
                t.field("Next step", Some(facts(step)));
            }
        }
        t.field("Cost", self.cost_usdc.map(|c| format!("{c} USDC")));
    }

    /// The IBAN, its verdict, country and bank in three lines (for answers about more
    /// than the IBAN).
    pub fn render_brief(&self, t: &mut Text) {
        let head = if self.valid {
            ["IBAN: ", self.shown(), " — valid"].concat()
        } else {
            [
                "IBAN: ",
                self.shown(),
                " — NOT valid: ",
                self.error.as_deref().unwrap_or("invalid"),
            ]
            .concat()
        };
        t.line(head);
        t.field("Country", self.country.as_ref().map(Country::in_words));
        t.field("Bank", self.bank());
    }

    /// One line of a batch: position, IBAN, verdict, bank, national check.
    pub fn row(&self, position: usize) -> String {
        let mut line = format!("{position}. {}", self.shown());
        if self.valid {
            line.push_str(" — valid");
        } else {
            let _ = write!(
                line,
                " — INVALID {}",
                self.error.as_deref().unwrap_or("invalid")
            );
        }
        if let Some(bank) = self.bank() {
            line.push_str(" — ");
            line.push_str(&bank);
        }
        if let Some(n) = &self.national_check {
            line.push_str(" — national ");
            line.push_str(&n.status.replace('_', " "));
        }
        line
    }

    /// The offline engine's second opinion on this (full) answer about `input`: structure
    /// and mod-97, national check digits, and the bank-code register. The API's verdict is
    /// never changed; a disagreement names the rule.
    pub fn cross_check(&self, input: &str, engine: &OfflineEngine) -> CrossCheck {
        let local = Self::local(input, engine);
        let national_rule = local.national_check.as_ref().and_then(|n| n.rule.clone());
        if local.country_unknown_locally() {
            return CrossCheck {
                status: CrossCheckStatus::NotChecked,
                local_valid: None,
                rule: None,
                detail: Some(
                    "The offline IBAN registry does not cover this country, so there is no second opinion."
                        .into(),
                ),
            };
        }
        let local_rule = |v: &IbanValidation| -> String {
            match v.engine_error() {
                Some(IbanError::NationalCheckFailed) => national_rule
                    .clone()
                    .unwrap_or_else(|| IbanError::NationalCheckFailed.rule().into()),
                Some(e) => e.rule().into(),
                None => "IBAN registry".into(),
            }
        };
        match (self.valid, local.valid) {
            (true, false) => {
                let rule = local_rule(&local);
                CrossCheck {
                    status: CrossCheckStatus::Disagree,
                    local_valid: Some(false),
                    detail: Some(format!(
                        "the API calls this IBAN valid, but it fails the {rule} check ({})",
                        local
                            .error_detail
                            .as_deref()
                            .unwrap_or("see the offline engine's answer")
                    )),
                    rule: Some(rule),
                }
            }
            (false, true) => CrossCheck {
                status: CrossCheckStatus::Disagree,
                local_valid: Some(true),
                rule: self.error.clone(),
                detail: Some(format!(
                    "the API calls this IBAN invalid ({}), but it passes the offline engine's structure, mod-97{} checks",
                    self.error.as_deref().unwrap_or("no reason given"),
                    national_rule
                        .as_deref()
                        .map(|r| format!(" and {r}"))
                        .unwrap_or_default()
                )),
            },
            (false, false) => CrossCheck {
                status: CrossCheckStatus::Agree,
                local_valid: Some(false),
                rule: Some(local_rule(&local)),
                detail: Some("The offline engine also finds this IBAN invalid.".into()),
            },
            (true, true) => {
                let api_verified = self
                    .bank_code_check
                    .as_ref()
                    .is_some_and(|c| c.status == "verified");
                let register = local
                    .bank_code_check
                    .as_ref()
                    .filter(|c| c.status == "not_in_register" && c.authoritative == Some(true));
                if let (true, Some(reg)) = (api_verified, register) {
                    let name = reg
                        .register
                        .clone()
                        .unwrap_or_else(|| "the register".into());
                    return CrossCheck {
                        status: CrossCheckStatus::Disagree,
                        local_valid: Some(true),
                        detail: Some(format!(
                            "the API verified bank code {}, but the official register embedded here ({name}, as of {}) does not list it",
                            reg.value.as_deref().unwrap_or("?"),
                            reg.as_of.as_deref().unwrap_or("?")
                        )),
                        rule: Some(format!("bank-code register ({name})")),
                    };
                }
                let mut checked = vec!["structure".to_string(), "mod-97".into()];
                checked.extend(national_rule);
                if local
                    .bank_code_check
                    .as_ref()
                    .is_some_and(|c| c.status == "verified")
                {
                    checked.push("bank-code register".into());
                }
                CrossCheck {
                    status: CrossCheckStatus::Agree,
                    local_valid: Some(true),
                    detail: Some(format!(
                        "The offline engine agrees ({}).",
                        checked.join(", ")
                    )),
                    rule: Some(checked.join(", ")),
                }
            }
        }
    }

    /// Validate one IBAN with everything the engine knows offline.
    pub fn local(input: &str, engine: &OfflineEngine) -> Self {
        let lists = engine.lists;
        let mut check = crate::engine::validate_iban(input, engine.validate);
        let valid = check.valid();
        // The check's strings move into the answer (it is not used after).
        let formatted = check.formatted();
        let parts = check.bban.take();
        let mut out = IbanValidation {
            iban: std::mem::take(&mut check.iban),
            formatted: Some(formatted),
            valid,
            country: check.spec.map(|s| Country {
                code: s.code.to_string(),
                name: Some(s.name.to_string()),
                extra: Extra::new(),
            }),
            check_digits: check.check_digits.take(),
            bban: parts.as_ref().map(|p| Bban {
                bank_code: p.bank_code.clone(),
                branch_code: p.branch_code.clone(),
                account_number: p.account_number.clone(),
                extra: extra(json!({
                    "bban": p.bban,
                    "national_check_digits": p.national_check_digits,
                })),
            }),
            bic: None,
            issuer: None,
            sepa: None,
            risk_indicators: None,
            bank_code_check: None,
            clearing: None,
            next_steps: None,
            cost_usdc: None,
            processing_ms: None,
            error: check.error.as_ref().map(|e| e.0.code().to_string()),
            error_detail: check.error.take().map(|e| e.1),
            national_check: check.national.as_ref().map(|n| NationalCheckInfo {
                status: n.status().into(),
                rule: match n {
                    NationalCheck::Passed { rule } | NationalCheck::Failed { rule } => {
                        Some((*rule).to_string())
                    }
                    NationalCheck::NotCheckable { .. } => None,
                },
                detail: match n {
                    NationalCheck::NotCheckable { why } => Some(why.clone()),
                    _ => None,
                },
                as_of: (check.spec.is_some_and(|s| s.code == "DE")
                    && !matches!(n, NationalCheck::NotCheckable { .. }))
                .then(|| data::BANK_DIRECTORY_AS_OF.to_string()),
                extra: Extra::new(),
            }),
            extra: Extra::new(),
        };
        let (Some(spec), Some(parts), true) = (check.spec, parts, valid) else {
            return out;
        };
        let code = spec.code;
        out.sepa = Some(Sepa {
            member: Some(lists.sepa_member(code)),
            schemes: Some(if lists.sepa_member(code) {
                let mut s = vec!["SCT".to_string(), "SDD".to_string()];
                if lists.instant_and_vop_required(code) {
                    s.push("SCT_INST".into());
                }
                s
            } else {
                Vec::new()
            }),
            vop_required: Some(lists.instant_and_vop_required(code)),
            vop_participant: None,
            extra: extra(json!({
                "scope": "country",
                "as_of": lists.sepa_scope.as_of,
                "source": lists.sepa_scope.source,
            })),
        });
        let key = banks::directory_key(spec, &parts);
        let register = banks::register(code);
        let bank = key.as_deref().and_then(|k| banks::by_code(code, k));
        out.bank_code_check = Some(match (register, bank) {
            (None, _) => BankCodeCheck {
                value: key.clone(),
                status: "no_register".into(),
                matches: None,
                register: None,
                authoritative: Some(false),
                institution: None,
                as_of: None,
                extra: Extra::new(),
            },
            (Some(reg), found) => BankCodeCheck {
                value: key.clone(),
                status: if found.is_some() {
                    "verified"
                } else {
                    "not_in_register"
                }
                .into(),
                matches: Some(Value::Bool(found.is_some())),
                register: Some(format!("{} ({})", data::BANK_DIRECTORY_SOURCE, reg.files)),
                authoritative: Some(reg.authoritative),
                institution: found.map(|b| b.name.to_string()),
                as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
                extra: Extra::new(),
            },
        });
        if let Some(b) = bank {
            out.bic = Some(BankBic {
                code: b.bic.map(str::to_string),
                bank_name: Some(b.name.to_string()),
                city: None,
                source: Some(data::BANK_DIRECTORY_SOURCE.into()),
                as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
                lei: None,
                lei_status: None,
                address: None,
                extra: Extra::new(),
            });
        }
        if code == "CH" || code == "LI" {
            out.clearing = parts
                .bank_code
                .as_deref()
                .and_then(clearing::lookup)
                .map(|e| IbanClearing {
                    iid: Some(e.iid.to_string()),
                    name: Some(e.name.to_string()),
                    kind: None,
                    town: None,
                    sic: None,
                    instant_payments_chf: None,
                    eurosic: None,
                    qr_iid: Some(e.is_qr_iid()),
                    qr_iid_source: Some(data::CH_IIDS_SOURCE.into()),
                    qr_iids: Some(
                        clearing::qr_iids_of(e.headquarters_iid)
                            .map(String::from)
                            .collect(),
                    ),
                    extra: extra(
                        json!({ "headquarters_iid": e.headquarters_iid, "as_of": data::BANK_DIRECTORY_AS_OF }),
                    ),
                });
        }
        out
    }
}
