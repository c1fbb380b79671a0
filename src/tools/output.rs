//! The typed shapes of every tool answer (`structuredContent`), and so of `outputSchema`.
//!
//! Known upstream fields are typed; every object keeps an `extra` map (flattened) so that
//! fields the hosted API adds later are passed through instead of dropped. `null` means
//! "no data", never "no". Status-like fields are strings, not enums: the API adds values,
//! and an answer must never fail its own schema because upstream grew.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Unknown fields, kept verbatim.
pub type Extra = Map<String, Value>;

/// What every tool answer is: the tool's own fields plus `provenance`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Answer<T> {
    #[serde(flatten)]
    pub body: T,
    /// Who produced this answer, whether it is complete, and if not, why.
    pub provenance: Provenance,
}

/// How complete an answer is. See the tool contract, "The provenance object".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The paid API answered.
    Full,
    /// A key is configured and the full answer was refused or unavailable.
    Degraded,
    /// No key is configured and the full answer was refused or unavailable.
    Anonymous,
    /// Offline mode was chosen; no network call was made.
    Offline,
}

/// Who produced the fields of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Api,
    FreeFormatEndpoint,
    Local,
}

/// One way to get the full answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Unlock {
    /// e.g. `free_key`, `credit_pack`, `x402`, `set_api_key`, `disable_offline_mode`.
    pub kind: String,
    pub how: String,
}

/// Added by this client to every answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    pub mode: Mode,
    pub source: Source,
    /// `null` iff mode is `full`; else a machine code (the API's `cause.reason` verbatim, or
    /// one of the client's own: no_api_key, payment_required, rate_limited, api_error,
    /// api_unreachable, invalid_api_response, insecure_api_base, offline_mode).
    pub reason: Option<String>,
    /// One human sentence explaining `reason`.
    pub detail: Option<String>,
    /// HTTP status of the paid call that failed, if one was answered.
    pub upstream_status: Option<u16>,
    /// The API's `cause.quota`, verbatim.
    pub quota: Option<Extra>,
    /// The API's `cause.credits`, verbatim.
    pub credits: Option<Extra>,
    /// Every way to get the full answer.
    pub unlock: Vec<Unlock>,
    /// Top-level fields a full answer carries that this one does not. Empty iff `full`.
    pub missing: Vec<String>,
    /// Date stamp of the embedded data used, when `source` is `local`.
    pub data_as_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    pub name: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Bban {
    pub bank_code: Option<String>,
    #[serde(default)]
    pub branch_code: Option<String>,
    pub account_number: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The bank behind an IBAN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Sepa {
    /// Whether the country is in the SEPA schemes' geographical scope.
    pub member: Option<bool>,
    #[serde(default)]
    pub schemes: Option<Vec<String>>,
    #[serde(default)]
    pub vop_required: Option<bool>,
    #[serde(default)]
    pub vop_participant: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

/// Swiss/Liechtenstein clearing data attached to a CH/LI IBAN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `validate_iban` (also each item of a batch, and the base of a
/// compliance check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

/// The national check-digit rule applied to the BBAN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NationalCheckInfo {
    /// passed | failed | not_checkable
    pub status: String,
    /// The national rule applied (e.g. "French RIB key (clé RIB)", "Bundesbank method 63").
    pub rule: Option<String>,
    /// Why the rule could not be applied, when it could not.
    pub detail: Option<String>,
    /// For German IBANs: the date of the Bundesbank directory that named the method.
    pub as_of: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `batch_validate_iban`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BatchValidation {
    /// One result per input, in input order.
    pub results: Vec<IbanValidation>,
    pub count: usize,
    pub valid_count: usize,
    #[serde(default)]
    pub cost_usdc: Option<f64>,
    #[serde(default)]
    pub processing_ms: Option<f64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `lookup_bic`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

/// Which payment systems the institution takes part in. `null`: not known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentServices {
    pub sic: Option<bool>,
    pub rtgs_chf: Option<bool>,
    pub instant_payments_chf: Option<bool>,
    pub eurosic: Option<bool>,
    pub lsv_bdd_chf: Option<bool>,
    pub lsv_bdd_eur: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `lookup_ch_clearing`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

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
