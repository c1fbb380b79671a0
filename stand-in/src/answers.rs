//! The bodies of the stand-in's answers, written from `hosted-api.md`: every documented field,
//! the fields only the hosted API has (issuer, risk indicators, next steps, cost, bank-level
//! screening…), a field no client knows yet (to prove it is passed through), and
//! [`MARKER`] in every answer and every batch row so a test can tell them from local ones.

use serde_json::{Value, json};

use crate::fixtures::{self, Bank};
use crate::iban::{self, Checked};

/// `"served_by": "stand-in"` — carried by every paid answer and every batch row, never by the
/// free format endpoint's answers and never by the client's own (local) answers.
pub const MARKER: (&str, &str) = ("served_by", "stand-in");

/// The date the stand-in's "registers" claim to be from.
pub const AS_OF: &str = "2026-11-20";

fn mark(out: &mut Value) {
    out[MARKER.0] = json!(MARKER.1);
}

fn country_json(c: &Checked) -> Value {
    match (&c.country_code, c.country) {
        (Some(code), Some(k)) => json!({"code": code, "name": k.name}),
        (Some(code), None) => json!({"code": code, "name": null}),
        _ => Value::Null,
    }
}

fn bank_of(c: &Checked) -> Option<&'static Bank> {
    let code = c.country_code.as_deref()?;
    let bank_code = c.bban.as_ref()?.bank_code.as_deref()?;
    // A Swiss QR-IID names its owner's bank.
    if code == "CH" || code == "LI" {
        return fixtures::iid(bank_code).map(|(e, _)| e.bank);
    }
    fixtures::bank_by_code(code, bank_code)
}

fn bic_json(b: &Bank) -> Value {
    json!({
        "code": b.bic, "bank_name": b.name, "city": b.city, "source": b.register, "as_of": AS_OF,
        "lei": b.lei, "lei_status": b.lei.map(|_| "ISSUED"),
        "address": {"street": b.street, "zip": b.zip, "city": b.city}
    })
}

fn country_risk(code: &str) -> &'static str {
    match fixtures::fatf_status(code) {
        "black_list" => "high",
        "grey_list" => "elevated",
        _ if !fixtures::country_sanctions(code).is_empty() => "elevated",
        _ => "standard",
    }
}

/// `POST /v1/iban/validate` (and each batch row): the full answer.
pub fn validation(input: &str, cost: f64) -> Value {
    let c = iban::check(input);
    let valid = c.valid();
    let code = c.country_code.clone().unwrap_or_default();
    let sepa = c.country.is_some_and(|k| k.sepa);
    let bank = if valid { bank_of(&c) } else { None };
    let bban = c.bban.as_ref().map(|b| {
        json!({"bank_code": b.bank_code, "branch_code": b.branch_code, "account_number": b.account_number})
    });
    let mut out = json!({
        "iban": c.iban,
        "formatted": c.country_code.as_ref().map(|_| c.formatted()),
        "valid": valid,
        "country": country_json(&c),
        "check_digits": c.check_digits,
        "bban": bban,
        "bic": bank.map(bic_json),
        "issuer": null,
        "sepa": null,
        "risk_indicators": null,
        "bank_code_check": null,
        "clearing": null,
        "next_steps": [],
        "cost_usdc": cost,
        "processing_ms": 1.7,
        "error": c.error.as_ref().map(|e| e.0),
        "error_detail": c.error.as_ref().map(|e| e.1.clone()),
    });
    if valid {
        let bank_code = c.bban.as_ref().and_then(|b| b.bank_code.clone());
        out["issuer"] = match bank {
            Some(b) => {
                json!({"type": b.issuer_type, "name": b.name, "classification": b.classification})
            }
            None => json!({"type": null, "name": null, "classification": "unknown"}),
        };
        out["sepa"] = json!({
            "member": sepa,
            "schemes": if sepa { json!(if bank.is_some_and(|b| b.sct_inst) { vec!["SCT", "SDD", "SCT_INST"] } else { vec!["SCT", "SDD"] }) } else { json!([]) },
            "vop_required": sepa && !matches!(code.as_str(), "CH" | "LI" | "GB" | "MC" | "SM" | "VA" | "AD" | "GI"),
            "vop_participant": bank.map(|b| b.vop_participant),
        });
        out["risk_indicators"] = json!({
            "issuer_type": bank.map(|b| b.issuer_type),
            "country_risk": country_risk(&code),
            "test_bic": false,
            "sepa_reachable": sepa,
            "sepa_reachable_scope": if sepa { "country" } else { "none" },
            "vop_coverage": if bank.is_some_and(|b| b.vop_participant) { "full" } else { "unknown" },
        });
        out["bank_code_check"] = json!({
            "value": bank_code,
            "status": if bank.is_some() { "verified" } else { "unknown" },
            "match": bank.map(|_| true),
            "register": bank.map(|b| b.register),
            "authoritative": bank.map(|_| true),
            "institution": bank.map(|b| b.name),
            "as_of": bank.map(|_| AS_OF),
        });
        if code == "CH" || code == "LI" {
            let iid5 = c.bban.as_ref().and_then(|b| b.bank_code.clone());
            out["clearing"] = match iid5.as_deref().and_then(fixtures::iid) {
                Some((e, qr)) => json!({
                    "iid": iid5, "name": e.bank.name, "type": e.kind, "town": e.bank.city,
                    "sic": true, "instant_payments_chf": e.bank.sct_inst, "eurosic": true,
                    "qr_iid": qr.is_some(), "qr_iid_source": "SIX BankMaster", "qr_iids": e.qr_iids,
                }),
                None => json!({
                    "iid": iid5, "name": null, "type": null, "town": null, "sic": null,
                    "instant_payments_chf": null, "eurosic": null, "qr_iid": null,
                    "qr_iid_source": null, "qr_iids": null,
                }),
            };
        }
        out["next_steps"] = json!([{
            "code": "verify_payee",
            "do": "Run Verification of Payee before the first transfer",
            "because": if sepa { "the payee's bank is reachable by SEPA" } else { "names are not checked outside SEPA" },
            "action": null
        }]);
    } else {
        out["next_steps"] = json!([{
            "code": "ask_for_correct_iban",
            "do": "Ask the payee for the IBAN again",
            "because": c.error.as_ref().map(|e| e.0),
            "action": null
        }]);
    }
    out["stand_in_future_field"] = json!({"added_in": "2027", "kept": true});
    mark(&mut out);
    out
}

/// `POST /v1/iban/batch`: one validation per IBAN, in request order.
pub fn batch(ibans: &[&str]) -> Value {
    let results: Vec<Value> = ibans.iter().map(|i| validation(i, 0.002)).collect();
    let valid = results.iter().filter(|r| r["valid"] == true).count();
    let mut out = json!({
        "results": results,
        "count": ibans.len(),
        "valid_count": valid,
        "cost_usdc": 0.002 * ibans.len() as f64,
        "processing_ms": 3.1,
    });
    mark(&mut out);
    out
}

/// `POST /v1/iban/compliance`: the validation plus a bank-level (BIC8) screen.
pub fn compliance(input: &str) -> Value {
    let mut out = validation(input, 0.02);
    let c = iban::check(input);
    let code = c.country_code.clone().unwrap_or_default();
    let bank = if c.valid() { bank_of(&c) } else { None };
    let lists = fixtures::country_sanctions(&code);
    let fatf = if c.country_code.is_some() {
        fixtures::fatf_status(&code)
    } else {
        "non_member"
    };
    let sepa = c.country.is_some_and(|k| k.sepa);
    let mut flags: Vec<&str> = Vec::new();
    if !c.valid() {
        flags.push("invalid_iban");
    }
    match fatf {
        "black_list" => flags.push("fatf_call_for_action"),
        "grey_list" => flags.push("fatf_increased_monitoring"),
        _ => {}
    }
    if !lists.is_empty() {
        flags.push("country_sanctioned");
    }
    if c.valid() && bank.is_none() {
        flags.push("bank_not_in_directory");
    }
    let (score, level) = if c.valid() {
        let mut score = 8;
        if fatf == "grey_list" {
            score += 35;
        }
        if fatf == "black_list" {
            score += 75;
        }
        if !lists.is_empty() {
            score += 20;
        }
        if bank.is_none() {
            score += 10;
        }
        let score = score.min(100);
        let level = match score {
            0..20 => "low",
            20..40 => "medium",
            40..60 => "elevated",
            60..80 => "high",
            _ => "critical",
        };
        (json!(score), level)
    } else {
        (Value::Null, "unassessable")
    };
    out["compliance"] = json!({
        "sanctions": {
            "country_sanctioned": !lists.is_empty(),
            "bank_sanctioned": bank.map(|_| false),
            "matched_lists": lists,
            "fatf_status": fatf,
            "bank_screened": bank.is_some(),
        },
        "reachability": {
            "sepa_instant": bank.map(|b| sepa && b.sct_inst),
            "sct": c.valid().then_some(sepa),
            "sdd": c.valid().then_some(sepa),
            "screened": c.valid(),
        },
        "vop": {
            "participant": bank.map(|b| b.vop_participant),
            "status": match bank { Some(b) if b.vop_participant => "active", Some(_) => "inactive", None => "not_found" },
            "screened": bank.is_some(),
        },
        "risk_score": score,
        "risk_level": level,
        "flags": flags,
    });
    out["meta"] = json!({
        "scope": "bank_bic_only",
        "disclaimer": "Screening is at bank (BIC8) level only; it says nothing about the account holder.",
        "sanctions_as_of": AS_OF,
        "fatf_as_of": "2026-06",
        "sources": ["OFAC SDN", "EU consolidated list", "UN Security Council", "FATF"],
    });
    mark(&mut out);
    out
}

/// Whether a BIC is well-formed: 4 letters (bank), 2 letters (country), 2 letters or
/// digits (location), optionally 3 letters or digits (branch).
pub fn bic_well_formed(bic: &str) -> bool {
    let b = bic.as_bytes();
    (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// `GET /v1/bic/{BIC}` for a well-formed, upper-cased BIC.
pub fn bic(bic: &str) -> Value {
    let bic8 = &bic[..8];
    let bic11 = if bic.len() == 8 {
        format!("{bic}XXX")
    } else {
        bic.to_string()
    };
    let branch = &bic11[8..];
    let country_code = &bic[4..6];
    let country = iban::country(country_code)
        .map(|k| json!({"code": country_code, "name": k.name}))
        .unwrap_or_else(|| json!({"code": country_code, "name": null}));
    let is_test = bic.as_bytes()[7] == b'0';
    let mut out = match fixtures::bank_by_bic(bic) {
        Some(b) => json!({
            "bic": bic, "bic8": bic8, "bic11": bic11, "found": true, "valid_format": true,
            "institution": b.name, "country": country, "city": b.city,
            "address": {"street": b.street, "zip": b.zip, "city": b.city},
            "address_available": true,
            "branch_code": branch,
            "branch_info": if branch == "XXX" { "head office".to_string() } else { format!("{} branch", b.city) },
            "lei": b.lei, "lei_status": b.lei.map(|_| "ISSUED"),
            "is_test_bic": is_test, "source": "SWIFT BIC directory (stand-in fixture)",
        }),
        None => json!({
            "bic": bic, "bic8": bic8, "bic11": bic11, "found": false, "valid_format": true,
            "institution": null, "country": country, "city": null, "address": null,
            "address_available": false, "branch_code": branch, "branch_info": null,
            "lei": null, "lei_status": null, "is_test_bic": is_test, "source": null,
            "note": "No institution with this BIC is in the directory.",
        }),
    };
    out["cost_usdc"] = json!(0.003);
    out["processing_ms"] = json!(0.9);
    mark(&mut out);
    out
}

/// The IID of a clearing request: 1–5 digits, padded to 5.
pub fn iid5(raw: &str) -> Option<String> {
    (!raw.is_empty() && raw.len() <= 5 && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{raw:0>5}"))
}

/// `GET /v1/ch/clearing/{iid}` for a well-formed IID (already padded to 5 digits).
pub fn clearing(iid5: &str) -> Value {
    let mut out = match fixtures::iid(iid5) {
        Some((e, redirected_from)) => {
            let mut out = json!({
                "iid": e.iid, "found": true,
                "institution": {"name": e.bank.name, "type": e.kind, "iid_type": e.iid_type, "headquarters_iid": e.headquarters_iid},
                "address": {"street": e.bank.street, "zip": e.bank.zip, "city": e.bank.city},
                "bic": e.bank.bic,
                "payment_services": {"sic": true, "rtgs_chf": true, "instant_payments_chf": e.bank.sct_inst, "eurosic": true,
                                     "lsv_bdd_chf": true, "lsv_bdd_eur": false},
                "sic_iid": e.iid,
                "qr_iid": e.qr_iids.first(),
                "qr_iid_source": "SIX BankMaster",
                "qr_iids": e.qr_iids,
                "valid_on": AS_OF,
            });
            if let Some(qr) = redirected_from {
                out["redirected_from"] = json!(qr);
                out["note"] = json!(format!(
                    "{qr} is a QR-IID; this is the institution it belongs to."
                ));
            }
            out
        }
        None => json!({
            "iid": iid5, "found": false, "error": "clearing_not_found", "institution": null,
            "address": null, "bic": null, "payment_services": null, "sic_iid": null, "qr_iid": null,
            "qr_iid_source": null, "qr_iids": [], "valid_on": AS_OF,
            "note": "No institution has this IID in SIX BankMaster.",
        }),
    };
    out["cost_usdc"] = json!(0.003);
    out["processing_ms"] = json!(0.8);
    mark(&mut out);
    out
}

/// `GET /v1/iban/format`: format only — no bank, SEPA, issuer, risk or clearing data, and
/// no [`MARKER`] (a client answering from here is not giving a full answer).
pub fn free_format(input: &str) -> Value {
    let c = iban::check(input);
    json!({
        "iban": c.iban,
        "formatted": c.country_code.as_ref().map(|_| c.formatted()),
        "valid": c.valid(),
        "country": country_json(&c),
        "check_digits": c.check_digits,
        "bban": c.bban.as_ref().map(|b| json!({"bank_code": b.bank_code, "branch_code": b.branch_code, "account_number": b.account_number})),
        "error": c.error.as_ref().map(|e| e.0),
        "error_detail": c.error.as_ref().map(|e| e.1.clone()),
        "upgrade_to_full_validation": "POST /v1/iban/validate with an API key",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_and_row_carries_the_marker_and_the_free_one_does_not() {
        assert_eq!(
            validation("AO06004400006729503010102", 0.005)["served_by"],
            "stand-in"
        );
        assert_eq!(
            validation("AO06004400006729503010102", 0.005)["valid"],
            true
        );
        let b = batch(&["CH1000230000000012345", "nope"]);
        assert_eq!(b["served_by"], "stand-in");
        assert!(
            b["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["served_by"] == "stand-in")
        );
        assert_eq!(b["valid_count"], 1);
        assert_eq!(
            compliance("DE89370400440532013000")["compliance"]["sanctions"]["bank_screened"],
            true
        );
        assert_eq!(
            compliance("DE89370400440532013000")["meta"]["scope"],
            "bank_bic_only"
        );
        assert_eq!(bic("UBSWCHZH80A")["institution"], "UBS Switzerland AG");
        assert_eq!(clearing("30005")["iid"], "00230");
        assert_eq!(clearing("30005")["redirected_from"], "30005");
        assert!(
            free_format("AO06004400006729503010102")
                .get("served_by")
                .is_none()
        );
        assert_eq!(free_format("AO06004400006729503010102")["valid"], true);
    }
}
