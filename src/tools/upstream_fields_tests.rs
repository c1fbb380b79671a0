//! Reading the hosted API's JSON into the tools' answer types keeps every field the types
//! do not know, in place, and agrees between borrowed and owned reading (the macro is
//! `api::unknown_fields`; its cases need the tools' types, so they live here).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::tools::answer::Country;
use crate::tools::batch_validate_iban::{ApiBatch, BatchRow, BatchValidation};
use crate::tools::check_compliance::ComplianceCheck;
use crate::tools::iban_answer::IbanValidation;
use crate::tools::lookup_bic::BicLookup;
use crate::tools::lookup_ch_clearing::ClearingLookup;

/// What reading `v` as a `T` gives, written back as JSON text (or the error), through
/// a borrowed `&Value` — as the tools read — and through an owned one: both must agree.
fn read<T: DeserializeOwned + Serialize>(v: Value) -> String {
    let text = |r: Result<T, serde_json::Error>| match r {
        Ok(t) => serde_json::to_string(&t).unwrap(),
        Err(e) => format!("error: {e}"),
    };
    let borrowed = text(T::deserialize(&v));
    let owned = text(serde_json::from_value(v));
    assert_eq!(borrowed, owned, "borrowed and owned reading differ");
    borrowed
}

fn check<T: DeserializeOwned + Serialize>(cases: &[(Value, &str)]) {
    for (input, expected) in cases {
        assert_eq!(read::<T>(input.clone()), *expected, "reading {input}");
    }
}

/// A full IBAN answer with unknown fields at every level, between the known ones.
fn iban_answer() -> Value {
    json!({
        "zz_first": 1, "iban": "CH9300762011623852957",
        "formatted": "CH93 0076 2011 6238 5295 7", "valid": true,
        "country": {"code": "CH", "region": "Europe", "name": "Switzerland"},
        "check_digits": "93", "mid": [1, {"a": null}],
        "bban": {"bank_code": "00762", "x": -5, "account_number": "011623852957"},
        "bic": {"code": "UBSWCHZH80A", "b": true, "bank_name": "UBS",
                "address": {"street": "x", "zip": null}},
        "issuer": {"type": "bank"},
        "sepa": {"new": 1.5, "member": true, "schemes": ["SCT"]},
        "risk_indicators": null,
        "bank_code_check": {"value": "00762", "status": "verified", "match": {"k": 1},
                            "zz": "y"},
        "clearing": {"iid": "00762", "q": 0, "name": "UBS", "type": "bank"},
        "next_steps": [{"do": "x"}], "cost_usdc": 0, "processing_ms": 1.25,
        "error": null, "error_detail": null,
        "national_check": {"status": "passed", "n": 2, "rule": "r", "detail": null,
                           "as_of": null},
        "z_last": "end"
    })
}

#[test]
fn iban_answers() {
    check::<IbanValidation>(&[
        (
            iban_answer(),
            r#"{"iban":"CH9300762011623852957","formatted":"CH93 0076 2011 6238 5295 7","valid":true,"country":{"code":"CH","name":"Switzerland","region":"Europe"},"check_digits":"93","bban":{"bank_code":"00762","branch_code":null,"account_number":"011623852957","x":-5},"bic":{"code":"UBSWCHZH80A","bank_name":"UBS","city":null,"source":null,"as_of":null,"lei":null,"lei_status":null,"address":{"street":"x","zip":null},"b":true},"issuer":{"type":"bank"},"sepa":{"member":true,"schemes":["SCT"],"vop_required":null,"vop_participant":null,"new":1.5},"risk_indicators":null,"bank_code_check":{"value":"00762","status":"verified","match":{"k":1},"register":null,"authoritative":null,"institution":null,"as_of":null,"zz":"y"},"clearing":{"iid":"00762","name":"UBS","type":"bank","town":null,"sic":null,"instant_payments_chf":null,"eurosic":null,"qr_iid":null,"qr_iid_source":null,"qr_iids":null,"q":0},"next_steps":[{"do":"x"}],"cost_usdc":0.0,"processing_ms":1.25,"error":null,"error_detail":null,"national_check":{"status":"passed","rule":"r","detail":null,"as_of":null,"n":2},"zz_first":1,"mid":[1,{"a":null}],"z_last":"end"}"#,
        ),
        (
            json!({"iban": "X", "valid": false}),
            r#"{"iban":"X","formatted":null,"valid":false,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null}"#,
        ),
        (
            json!({"iban": "X", "valid": true, "national_check": null, "u": null}),
            r#"{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null,"u":null}"#,
        ),
        (
            json!([]),
            r#"error: invalid type: sequence, expected struct IbanValidation"#,
        ),
        (
            json!(["X", null, true]),
            r#"error: invalid type: sequence, expected struct IbanValidation"#,
        ),
        (
            json!("X"),
            r#"error: invalid type: string "X", expected struct IbanValidation"#,
        ),
        (
            json!(null),
            r#"error: invalid type: null, expected struct IbanValidation"#,
        ),
        (json!({}), r#"error: missing field `iban`"#),
        (json!({"iban": "X"}), r#"error: missing field `valid`"#),
        (
            json!({"iban": "X", "valid": "yes"}),
            r#"error: invalid type: string "yes", expected a boolean"#,
        ),
        (
            json!({"iban": "X", "valid": null}),
            r#"error: invalid type: null, expected a boolean"#,
        ),
        (
            json!({"valid": "yes"}),
            r#"error: invalid type: string "yes", expected a boolean"#,
        ),
        (
            json!({"u": 1, "iban": 5, "valid": "yes"}),
            r#"error: invalid type: integer `5`, expected a string"#,
        ),
        (
            json!({"iban": "X", "valid": true, "bic": "x"}),
            r#"error: invalid type: string "x", expected struct BankBic"#,
        ),
        (
            json!({"iban": "X", "valid": true, "bic": []}),
            r#"error: invalid type: sequence, expected struct BankBic"#,
        ),
        (
            json!({"iban": "X", "valid": true, "bban": {"bank_code": 5}}),
            r#"error: invalid type: integer `5`, expected a string"#,
        ),
        (
            json!({"iban": "X", "valid": true, "country": {}}),
            r#"error: missing field `code`"#,
        ),
        (
            json!({"iban": "X", "valid": true, "country": null}),
            r#"{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null}"#,
        ),
        (
            json!({"iban": "X", "valid": true, "cost_usdc": "1"}),
            r#"error: invalid type: string "1", expected f64"#,
        ),
        (
            json!({"iban": "X", "valid": true, "cost_usdc": -3}),
            r#"{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":-3.0,"processing_ms":null,"error":null,"error_detail":null}"#,
        ),
        (
            json!({"iban": "X", "valid": true, "next_steps": [1]}),
            r#"error: invalid type: integer `1`, expected a map"#,
        ),
        (
            json!({"iban": "X", "valid": true, "sepa": {"member": true, "schemes": null}}),
            r#"{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":{"member":true,"schemes":null,"vop_required":null,"vop_participant":null},"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null}"#,
        ),
        (
            json!({"iban": "X", "valid": true, "national_check": {"status": "passed"}}),
            r#"{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null,"national_check":{"status":"passed","rule":null,"detail":null,"as_of":null}}"#,
        ),
    ]);
}

#[test]
fn countries() {
    check::<Country>(&[
        (
            json!({"a": 1, "code": "CH", "b": [2], "name": null}),
            r#"{"code":"CH","name":null,"a":1,"b":[2]}"#,
        ),
        (json!({"name": "x"}), r#"error: missing field `code`"#),
        (
            json!(1),
            r#"error: invalid type: integer `1`, expected struct Country"#,
        ),
    ]);
}

#[test]
fn compliance_checks() {
    let mut full = iban_answer();
    let object = full.as_object_mut().unwrap();
    object.insert("meta".into(), json!({"scope": "s", "z": 1}));
    object.insert("after_meta".into(), json!(true));
    object.insert(
        "compliance".into(),
        json!({
            "sanctions": {"country_sanctioned": false, "s": 1, "bank_sanctioned": null,
                          "matched_lists": [], "fatf_status": "member",
                          "bank_screened": true},
            "u": "v",
            "reachability": {"sepa_instant": true, "sct": true, "sdd": false,
                             "screened": true, "r": 2},
            "vop": {"participant": null, "status": null, "screened": false, "v": 3},
            "risk_score": 10, "risk_level": "low", "flags": ["f"]
        }),
    );
    check::<ComplianceCheck>(&[
        (
            full,
            r#"{"iban":"CH9300762011623852957","formatted":"CH93 0076 2011 6238 5295 7","valid":true,"country":{"code":"CH","name":"Switzerland","region":"Europe"},"check_digits":"93","bban":{"bank_code":"00762","branch_code":null,"account_number":"011623852957","x":-5},"bic":{"code":"UBSWCHZH80A","bank_name":"UBS","city":null,"source":null,"as_of":null,"lei":null,"lei_status":null,"address":{"street":"x","zip":null},"b":true},"issuer":{"type":"bank"},"sepa":{"member":true,"schemes":["SCT"],"vop_required":null,"vop_participant":null,"new":1.5},"risk_indicators":null,"bank_code_check":{"value":"00762","status":"verified","match":{"k":1},"register":null,"authoritative":null,"institution":null,"as_of":null,"zz":"y"},"clearing":{"iid":"00762","name":"UBS","type":"bank","town":null,"sic":null,"instant_payments_chf":null,"eurosic":null,"qr_iid":null,"qr_iid_source":null,"qr_iids":null,"q":0},"next_steps":[{"do":"x"}],"cost_usdc":0.0,"processing_ms":1.25,"error":null,"error_detail":null,"national_check":{"status":"passed","rule":"r","detail":null,"as_of":null,"n":2},"zz_first":1,"mid":[1,{"a":null}],"z_last":"end","after_meta":true,"compliance":{"sanctions":{"country_sanctioned":false,"bank_sanctioned":null,"matched_lists":[],"fatf_status":"member","bank_screened":true,"s":1},"reachability":{"sepa_instant":true,"sct":true,"sdd":false,"screened":true,"r":2},"vop":{"participant":null,"status":null,"screened":false,"v":3},"risk_score":10.0,"risk_level":"low","flags":["f"],"u":"v"},"meta":{"scope":"s","z":1}}"#,
        ),
        (
            json!({"iban": "X", "valid": true}),
            r#"{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null,"compliance":null,"meta":null}"#,
        ),
        (
            json!({"iban": "X", "valid": true, "compliance": null, "meta": null}),
            r#"{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null,"compliance":null,"meta":null}"#,
        ),
        (
            json!({"iban": "X", "valid": true, "compliance": {"sanctions": null}}),
            r#"error: invalid type: null, expected struct Sanctions"#,
        ),
        (
            json!({"iban": "X", "valid": true, "compliance": {}}),
            r#"error: missing field `sanctions`"#,
        ),
        (
            json!({"compliance": 5, "valid": "x"}),
            r#"error: invalid type: integer `5`, expected struct Compliance"#,
        ),
        (
            json!({"valid": "x", "meta": 5}),
            r#"error: invalid type: integer `5`, expected a map"#,
        ),
        (json!({"meta": {}}), r#"error: missing field `iban`"#),
        (
            // An upstream `provenance` is not kept (see `RESERVED`).
            json!({"iban": "X", "valid": true, "meta": {}, "provenance": 1}),
            r#"{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null,"compliance":null,"meta":{}}"#,
        ),
        (
            json!([]),
            r#"error: invalid type: sequence, expected struct ComplianceCheck"#,
        ),
        (
            json!(true),
            r#"error: invalid type: boolean `true`, expected struct ComplianceCheck"#,
        ),
    ]);
}

#[test]
fn bic_lookups() {
    check::<BicLookup>(&[
        (
            json!({"u": 0, "bic": "UBSWCHZH80A", "bic8": "UBSWCHZH", "bic11": null,
                   "found": true, "valid_format": true, "institution": "UBS",
                   "country": {"code": "CH", "name": "Switzerland", "c": 1},
                   "city": "Zurich", "address": {"a": 1}, "m": [], "lei": "L",
                   "is_test_bic": false, "cost_usdc": 0.003, "z": {}}),
            r#"{"bic":"UBSWCHZH80A","bic8":"UBSWCHZH","bic11":null,"found":true,"valid_format":true,"institution":"UBS","country":{"code":"CH","name":"Switzerland","c":1},"city":"Zurich","address":{"a":1},"address_available":null,"branch_code":null,"branch_info":null,"lei":"L","lei_status":null,"is_test_bic":false,"source":null,"note":null,"cost_usdc":0.003,"processing_ms":null,"u":0,"m":[],"z":{}}"#,
        ),
        (
            json!({"bic": "X", "found": null, "valid_format": false}),
            r#"{"bic":"X","bic8":null,"bic11":null,"found":null,"valid_format":false,"institution":null,"country":null,"city":null,"address":null,"address_available":null,"branch_code":null,"branch_info":null,"lei":null,"lei_status":null,"is_test_bic":null,"source":null,"note":null,"cost_usdc":null,"processing_ms":null}"#,
        ),
        (
            json!({"bic": "X"}),
            r#"error: missing field `valid_format`"#,
        ),
        (
            json!({"bic": "X", "valid_format": true, "country": "CH"}),
            r#"error: invalid type: string "CH", expected struct Country"#,
        ),
        (
            json!({"bic": "X", "valid_format": true, "address": []}),
            r#"error: invalid type: sequence, expected a map"#,
        ),
        (
            json!([]),
            r#"error: invalid type: sequence, expected struct BicLookup"#,
        ),
    ]);
}

#[test]
fn clearing_lookups() {
    check::<ClearingLookup>(&[
        (
            json!({"iid": "00230", "u": 1, "found": true,
                   "institution": {"name": "UBS", "i": 2, "type": "bank",
                                   "iid_type": "headquarters"},
                   "payment_services": {"sic": true, "rtgs_chf": true, "p": 3,
                                        "instant_payments_chf": true, "eurosic": false,
                                        "lsv_bdd_chf": null, "lsv_bdd_eur": null},
                   "bic": "UBSWCHZH80A", "qr_iids": ["30000"], "z": null}),
            r#"{"iid":"00230","found":true,"error":null,"institution":{"name":"UBS","type":"bank","iid_type":"headquarters","headquarters_iid":null,"i":2},"address":null,"bic":"UBSWCHZH80A","payment_services":{"sic":true,"rtgs_chf":true,"instant_payments_chf":true,"eurosic":false,"lsv_bdd_chf":null,"lsv_bdd_eur":null,"p":3},"sic_iid":null,"qr_iid":null,"qr_iid_source":null,"qr_iids":["30000"],"valid_on":null,"redirected_from":null,"note":null,"cost_usdc":null,"processing_ms":null,"u":1,"z":null}"#,
        ),
        (
            json!({"iid": "00230"}),
            r#"{"iid":"00230","found":null,"error":null,"institution":null,"address":null,"bic":null,"payment_services":null,"sic_iid":null,"qr_iid":null,"qr_iid_source":null,"qr_iids":null,"valid_on":null,"redirected_from":null,"note":null,"cost_usdc":null,"processing_ms":null}"#,
        ),
        (json!({"found": true}), r#"error: missing field `iid`"#),
        (
            json!({"iid": "1", "institution": {"type": 1}}),
            r#"error: invalid type: integer `1`, expected a string"#,
        ),
        (
            json!({"iid": "1", "payment_services": {"sic": true}}),
            r#"{"iid":"1","found":null,"error":null,"institution":null,"address":null,"bic":null,"payment_services":{"sic":true,"rtgs_chf":null,"instant_payments_chf":null,"eurosic":null,"lsv_bdd_chf":null,"lsv_bdd_eur":null},"sic_iid":null,"qr_iid":null,"qr_iid_source":null,"qr_iids":null,"valid_on":null,"redirected_from":null,"note":null,"cost_usdc":null,"processing_ms":null}"#,
        ),
        (
            json!({"iid": "1", "institution": {}}),
            r#"{"iid":"1","found":null,"error":null,"institution":{"name":null,"type":null,"iid_type":null,"headquarters_iid":null},"address":null,"bic":null,"payment_services":null,"sic_iid":null,"qr_iid":null,"qr_iid_source":null,"qr_iids":null,"valid_on":null,"redirected_from":null,"note":null,"cost_usdc":null,"processing_ms":null}"#,
        ),
    ]);
}

fn row_provenance() -> Value {
    json!({"mode": "full", "source": "api", "reason": null, "cache": null,
           "cross_check": null})
}

#[test]
fn batch_rows() {
    let mut row = iban_answer();
    row.as_object_mut()
        .unwrap()
        .insert("provenance".into(), row_provenance());
    check::<BatchRow>(&[
        (
            row.clone(),
            r#"{"iban":"CH9300762011623852957","formatted":"CH93 0076 2011 6238 5295 7","valid":true,"country":{"code":"CH","name":"Switzerland","region":"Europe"},"check_digits":"93","bban":{"bank_code":"00762","branch_code":null,"account_number":"011623852957","x":-5},"bic":{"code":"UBSWCHZH80A","bank_name":"UBS","city":null,"source":null,"as_of":null,"lei":null,"lei_status":null,"address":{"street":"x","zip":null},"b":true},"issuer":{"type":"bank"},"sepa":{"member":true,"schemes":["SCT"],"vop_required":null,"vop_participant":null,"new":1.5},"risk_indicators":null,"bank_code_check":{"value":"00762","status":"verified","match":{"k":1},"register":null,"authoritative":null,"institution":null,"as_of":null,"zz":"y"},"clearing":{"iid":"00762","name":"UBS","type":"bank","town":null,"sic":null,"instant_payments_chf":null,"eurosic":null,"qr_iid":null,"qr_iid_source":null,"qr_iids":null,"q":0},"next_steps":[{"do":"x"}],"cost_usdc":0.0,"processing_ms":1.25,"error":null,"error_detail":null,"national_check":{"status":"passed","rule":"r","detail":null,"as_of":null,"n":2},"zz_first":1,"mid":[1,{"a":null}],"z_last":"end","provenance":{"mode":"full","source":"api","reason":null,"cache":null,"cross_check":null}}"#,
        ),
        (
            json!({"iban": "X", "valid": true}),
            r#"error: missing field `provenance`"#,
        ),
        (
            json!({"iban": "X", "valid": "x"}),
            r#"error: missing field `provenance`"#,
        ),
        (
            json!({"valid": "x", "provenance": 1}),
            r#"error: invalid type: integer `1`, expected struct RowProvenance"#,
        ),
        (
            json!({"provenance": {"mode": "odd"}}),
            r#"error: unknown variant `odd`, expected one of `full`, `degraded`, `anonymous`, `offline`"#,
        ),
        (
            json!([]),
            r#"error: invalid type: sequence, expected struct BatchRow"#,
        ),
    ]);
    check::<BatchValidation>(&[
        (
            json!({"u": 1, "results": [row], "count": 1, "valid_count": 1, "v": 2,
                   "cost_usdc": 0.002}),
            r#"{"results":[{"iban":"CH9300762011623852957","formatted":"CH93 0076 2011 6238 5295 7","valid":true,"country":{"code":"CH","name":"Switzerland","region":"Europe"},"check_digits":"93","bban":{"bank_code":"00762","branch_code":null,"account_number":"011623852957","x":-5},"bic":{"code":"UBSWCHZH80A","bank_name":"UBS","city":null,"source":null,"as_of":null,"lei":null,"lei_status":null,"address":{"street":"x","zip":null},"b":true},"issuer":{"type":"bank"},"sepa":{"member":true,"schemes":["SCT"],"vop_required":null,"vop_participant":null,"new":1.5},"risk_indicators":null,"bank_code_check":{"value":"00762","status":"verified","match":{"k":1},"register":null,"authoritative":null,"institution":null,"as_of":null,"zz":"y"},"clearing":{"iid":"00762","name":"UBS","type":"bank","town":null,"sic":null,"instant_payments_chf":null,"eurosic":null,"qr_iid":null,"qr_iid_source":null,"qr_iids":null,"q":0},"next_steps":[{"do":"x"}],"cost_usdc":0.0,"processing_ms":1.25,"error":null,"error_detail":null,"national_check":{"status":"passed","rule":"r","detail":null,"as_of":null,"n":2},"zz_first":1,"mid":[1,{"a":null}],"z_last":"end","provenance":{"mode":"full","source":"api","reason":null,"cache":null,"cross_check":null}}],"count":1,"valid_count":1,"cost_usdc":0.002,"processing_ms":null,"u":1,"v":2}"#,
        ),
        (
            json!({"results": [], "count": 0}),
            r#"error: missing field `valid_count`"#,
        ),
        (
            json!({"results": [1], "count": 0}),
            r#"error: invalid type: integer `1`, expected struct BatchRow"#,
        ),
        (
            json!({"results": null}),
            r#"error: invalid type: null, expected a sequence"#,
        ),
    ]);
}

/// `ApiBatch` is only read, never written: its fields are shown as a JSON array.
fn read_api_batch(v: Value) -> String {
    match ApiBatch::deserialize(&v) {
        Ok(b) => serde_json::to_string(&(
            b.results,
            b.cost_usdc,
            b.processing_ms,
            b.count,
            b.valid_count,
            b.extra,
        ))
        .unwrap(),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn api_batches() {
    let cases = [
        (
            json!({"a": 1, "results": [{"iban": "X", "valid": true, "r": 1}],
                   "count": "1", "b": null, "valid_count": 1, "cost_usdc": 0.002}),
            r#"[[{"iban":"X","formatted":null,"valid":true,"country":null,"check_digits":null,"bban":null,"bic":null,"issuer":null,"sepa":null,"risk_indicators":null,"bank_code_check":null,"clearing":null,"next_steps":null,"cost_usdc":null,"processing_ms":null,"error":null,"error_detail":null,"r":1}],0.002,null,"1",1,{"a":1,"b":null}]"#,
        ),
        (json!({"results": []}), r#"[[],null,null,null,null,{}]"#),
        (json!({}), r#"error: missing field `results`"#),
        (
            json!({"results": [5]}),
            r#"error: invalid type: integer `5`, expected struct IbanValidation"#,
        ),
        (
            json!({"results": [{"iban": "X"}]}),
            r#"error: missing field `valid`"#,
        ),
        (
            json!({"results": [], "cost_usdc": "x"}),
            r#"error: invalid type: string "x", expected f64"#,
        ),
        (
            json!([[]]),
            r#"error: invalid type: sequence, expected struct ApiBatch"#,
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(read_api_batch(input.clone()), expected, "reading {input}");
    }
}
