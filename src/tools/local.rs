//! Answers from the offline engine, in the hosted API's shapes.
//!
//! Each builder returns the body plus what the label needs (what the answer covers, a
//! one-line summary) and what provenance needs (`missing`, `data_as_of`). What the engine
//! cannot know is `null` and listed in `missing`; nothing is filled in optimistically.

use serde_json::{Value, json};

use super::output::NationalCheckInfo;
use super::output::{
    BankBic, BankCodeCheck, BatchValidation, Bban, BicLookup, ClearingInstitution, ClearingLookup,
    Compliance, ComplianceCheck, Country, Extra, IbanClearing, IbanValidation, PaymentServices,
    Reachability, Sanctions, Sepa, Vop,
};
use crate::engine::compliance::{ComplianceLists, FatfStatus};
use crate::engine::national::NationalCheck;
use crate::engine::{banks, bic, clearing, countries, data, iban};

/// A local answer and what its label and provenance say about it.
#[derive(Debug, Clone)]
pub struct LocalAnswer<T> {
    pub body: T,
    /// What the answer covers (ends with a full stop).
    pub covers: String,
    /// One-line human summary of the result.
    pub summary: String,
    pub missing: Vec<String>,
    /// Date stamp of the embedded data used (`None` when none was).
    pub data_as_of: Option<String>,
}

/// Engine options that follow the user's configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalOptions {
    pub validate: iban::ValidateOptions,
}

fn country(code: &str) -> Country {
    Country {
        code: code.to_string(),
        name: countries::name(code).map(str::to_string),
        extra: Extra::new(),
    }
}

fn extra(pairs: Value) -> Extra {
    match pairs {
        Value::Object(m) => m,
        _ => Extra::new(),
    }
}

/// Top-level fields of a full `validate_iban` answer that the local engine may lack.
const VALIDATE_FULL_FIELDS: [&str; 6] = [
    "bic",
    "issuer",
    "sepa",
    "risk_indicators",
    "bank_code_check",
    "next_steps",
];

pub fn validation_missing(v: &IbanValidation) -> Vec<String> {
    let present = |f: &str| match f {
        "bic" => v.bic.is_some(),
        "issuer" => v.issuer.is_some(),
        "sepa" => v.sepa.is_some(),
        "risk_indicators" => v.risk_indicators.is_some(),
        "bank_code_check" => v.bank_code_check.is_some(),
        "next_steps" => v.next_steps.is_some(),
        _ => true,
    };
    let mut missing: Vec<String> = VALIDATE_FULL_FIELDS
        .iter()
        .filter(|f| !present(f))
        .map(|f| f.to_string())
        .collect();
    let ch_li = v
        .country
        .as_ref()
        .is_some_and(|c| c.code == "CH" || c.code == "LI");
    if ch_li && v.clearing.is_none() {
        missing.push("clearing".into());
    }
    missing
}

/// Validate one IBAN with everything the engine knows offline.
pub fn validation(input: &str, lists: &ComplianceLists, options: LocalOptions) -> IbanValidation {
    let check = crate::engine::validate_iban(input, options.validate);
    let valid = check.valid();
    let parts = check.bban.clone();
    let mut out = IbanValidation {
        iban: check.iban.clone(),
        formatted: Some(check.formatted()),
        valid,
        country: check.spec.map(|s| Country {
            code: s.code.to_string(),
            name: Some(s.name.to_string()),
            extra: Extra::new(),
        }),
        check_digits: check.check_digits.clone(),
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
        error_detail: check.error.as_ref().map(|e| e.1.clone()),
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
        out.clearing = parts.bank_code.as_deref().and_then(clearing::lookup).map(|e| IbanClearing {
            iid: Some(e.iid.to_string()),
            name: Some(e.name.to_string()),
            kind: None,
            town: None,
            sic: None,
            instant_payments_chf: None,
            eurosic: None,
            qr_iid: Some(e.is_qr_iid()),
            qr_iid_source: Some(data::CH_IIDS_SOURCE.into()),
            qr_iids: Some(clearing::qr_iids_of(e.headquarters_iid).iter().map(|s| s.to_string()).collect()),
            extra: extra(json!({ "headquarters_iid": e.headquarters_iid, "as_of": data::BANK_DIRECTORY_AS_OF })),
        });
    }
    out
}

pub fn summarize_validation(v: &IbanValidation) -> String {
    let shown = v.formatted.as_deref().unwrap_or(&v.iban);
    if !v.valid {
        return format!(
            "{shown} is NOT valid: {} — {}",
            v.error.as_deref().unwrap_or("invalid"),
            v.error_detail.as_deref().unwrap_or("")
        );
    }
    let bank = match (&v.bic, &v.bank_code_check) {
        (Some(b), _) => format!(
            " — {}{}",
            b.bank_name.as_deref().unwrap_or("bank"),
            b.code
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ),
        (None, Some(c)) if c.status == "not_in_register" => {
            format!(
                " — bank code {} is not in the register",
                c.value.as_deref().unwrap_or("?")
            )
        }
        _ => String::new(),
    };
    format!("{shown} is valid{bank}")
}

const VALIDATE_COVERS: &str = "Local check only: structure, length and mod-97 checksum per the IBAN registry, bank directory and SEPA scope by country; no issuer, risk or live bank data.";

pub fn validate(
    input: &str,
    lists: &ComplianceLists,
    options: LocalOptions,
) -> LocalAnswer<IbanValidation> {
    let body = validation(input, lists, options);
    LocalAnswer {
        covers: VALIDATE_COVERS.into(),
        summary: summarize_validation(&body),
        missing: validation_missing(&body),
        data_as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
        body,
    }
}

pub fn batch(
    inputs: &[String],
    lists: &ComplianceLists,
    options: LocalOptions,
) -> LocalAnswer<BatchValidation> {
    let results: Vec<IbanValidation> = inputs
        .iter()
        .map(|i| validation(i, lists, options))
        .collect();
    let valid_count = results.iter().filter(|r| r.valid).count();
    let mut missing: Vec<String> = Vec::new();
    for r in &results {
        for m in validation_missing(r) {
            let m = format!("results[].{m}");
            if !missing.contains(&m) {
                missing.push(m);
            }
        }
    }
    LocalAnswer {
        covers: VALIDATE_COVERS.into(),
        summary: format!("{valid_count} of {} IBANs are valid", results.len()),
        missing,
        data_as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
        body: BatchValidation {
            count: results.len(),
            valid_count,
            results,
            cost_usdc: None,
            processing_ms: None,
            extra: Extra::new(),
        },
    }
}

pub fn bic(input: &str) -> LocalAnswer<BicLookup> {
    let parts = bic::parse(input);
    let (rows, entry) = if parts.valid_format {
        let mut bic11 = parts.bic11.clone();
        if banks::by_bic(&bic11).is_empty() && parts.branch_code != "XXX" {
            // A branch BIC the directory lacks still names a known institution.
            bic11 = format!("{}XXX", parts.bic8);
        }
        (banks::by_bic(&bic11), banks::institution_for_bic(&bic11))
    } else {
        (Vec::new(), None)
    };
    let body = BicLookup {
        bic: parts.bic.clone(),
        bic8: Some(parts.bic8.clone()),
        bic11: Some(parts.bic11.clone()),
        // Absence from an embedded directory proves nothing: unknown, never `false`.
        found: entry.map(|_| true),
        valid_format: parts.valid_format,
        institution: entry.map(|e| e.name.to_string()),
        country: parts.country_name.map(|_| country(&parts.country_code)),
        city: None,
        address: None,
        address_available: None,
        branch_code: Some(parts.branch_code.clone()),
        branch_info: (parts.branch_code == "XXX").then(|| "primary office".to_string()),
        lei: None,
        lei_status: None,
        is_test_bic: Some(parts.is_test_bic),
        source: entry.map(|_| format!("{} (as of {})", data::BANK_DIRECTORY_SOURCE, data::BANK_DIRECTORY_AS_OF)),
        note: parts.format_problem.clone().or_else(|| {
            entry.is_none().then(|| "not in the embedded bank directory; only the full lookup can say whether it exists".to_string())
        }),
        cost_usdc: None,
        processing_ms: None,
        extra: extra(json!({
            "party_prefix": parts.party_prefix,
            "location_code": parts.location_code,
            // Bounded: a large bank's BIC is listed under hundreds of branch codes.
            "bank_codes_total": rows.iter().filter(|r| !r.bank_code.is_empty()).count(),
            "bank_codes": rows.iter().filter(|r| !r.bank_code.is_empty()).take(20).map(|r| format!("{}:{}", r.country, r.bank_code)).collect::<Vec<_>>(),
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
    let summary = summarize_bic(&body);
    LocalAnswer {
        body,
        covers: "Local lookup only: ISO 9362 structure and the embedded bank directory; no address, LEI or live SWIFT data.".into(),
        summary,
        missing,
        data_as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
    }
}

/// `iid` is already normalised to five digits by the argument check.
pub fn ch_clearing(iid: &str) -> LocalAnswer<ClearingLookup> {
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
                .first()
                .map(|s| s.to_string()),
            qr_iid_source: Some(data::CH_IIDS_SOURCE.into()),
            qr_iids: Some(
                clearing::qr_iids_of(e.headquarters_iid)
                    .iter()
                    .map(|s| s.to_string())
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
    let summary = summarize_clearing(&body);
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
        summary,
        missing,
        data_as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
    }
}

pub fn compliance(
    input: &str,
    lists: &ComplianceLists,
    options: LocalOptions,
) -> LocalAnswer<ComplianceCheck> {
    compliance_from(validation(input, lists, options), lists)
}

/// Country-level compliance facts around a validation (local, or from the free endpoint).
pub fn compliance_from(
    validation: IbanValidation,
    lists: &ComplianceLists,
) -> LocalAnswer<ComplianceCheck> {
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
    let compliance = Some(c);
    let meta = extra(json!({
        "scope": "country_only",
        "disclaimer": "Country-level facts from embedded lists; the bank was not screened against any sanctions list. Not a compliance verdict.",
        "sanctions_as_of": null,
        "fatf_as_of": lists.fatf.as_of,
        "eu_high_risk_as_of": lists.eu_high_risk.as_of,
        "sepa_scope_as_of": lists.sepa_scope.as_of,
        "sources": [lists.fatf.source, lists.eu_high_risk.source, lists.sepa_scope.source],
    }));
    let mut missing = validation_missing(&validation);
    missing.extend(
        [
            "compliance.sanctions.bank_sanctioned",
            "compliance.vop.participant",
            "compliance.risk_score",
        ]
        .map(String::from),
    );
    let body = ComplianceCheck {
        validation,
        compliance,
        meta: Some(meta),
    };
    LocalAnswer {
        summary: summarize_compliance(&body),
        body,
        covers: format!(
            "Country-level facts only (FATF {}, EU high-risk list {}, EPC SEPA scope {}); the bank was not screened.",
            lists.fatf.as_of, lists.eu_high_risk.as_of, lists.sepa_scope.as_of
        ),
        missing,
        data_as_of: Some(lists.fatf.as_of.clone()),
    }
}

/// One line about a batch.
pub fn summarize_batch(b: &BatchValidation) -> String {
    format!("{} of {} IBANs are valid", b.valid_count, b.count)
}

/// One line about a BIC answer (local or full).
pub fn summarize_bic(b: &BicLookup) -> String {
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

/// One line about a clearing answer (local or full).
pub fn summarize_clearing(c: &ClearingLookup) -> String {
    match (&c.institution, c.found) {
        (Some(inst), Some(true) | None) => format!(
            "IID {}{} is {}{}",
            c.iid,
            c.redirected_from
                .as_deref()
                .map(|q| format!(" (owner of QR-IID {q})"))
                .unwrap_or_default(),
            inst.name
                .as_deref()
                .unwrap_or("an institution of unknown name"),
            c.bic
                .as_deref()
                .map(|b| format!(" ({b})"))
                .unwrap_or_default()
        ),
        _ => format!(
            "IID {} was not found{}",
            c.iid,
            c.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        ),
    }
}

/// One line about a compliance answer (local or full). Never reads more favourable than
/// the answer's own risk level.
pub fn summarize_compliance(c: &ComplianceCheck) -> String {
    let v = &c.validation;
    let shown = v.formatted.as_deref().unwrap_or(&v.iban);
    if !v.valid {
        return format!(
            "{shown} is NOT a valid IBAN ({}): no compliance verdict",
            v.error.as_deref().unwrap_or("invalid")
        );
    }
    match &c.compliance {
        Some(comp) if comp.flags.is_empty() => format!("{shown}: risk level {}", comp.risk_level),
        Some(comp) => format!(
            "{shown}: risk level {} ({})",
            comp.risk_level,
            comp.flags.join(", ")
        ),
        None => format!("{shown}: no compliance data in the answer"),
    }
}
