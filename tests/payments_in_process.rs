//! `validate_payment_reference` and `check_swiss_qr_bill` through a real MCP session
//! (in-process, duplex pipe): valid, invalid and undecided references, every pairing rule,
//! valid and broken bills, input errors — each answer full and local and conforming to the
//! advertised outputSchema. And the contract's promise that their full answer is the local
//! engine's: with a key and a reachable stand-in API configured, they send it nothing, and
//! offline mode answers the same.

mod common;

use std::sync::Arc;

use common::{answer, assert_conforms, call, input_error, offline_settings, session, text};
use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::tools::{CallContext, Toolbox};
use ibanforge_stand_in::{KeyKind, StandIn};
use serde_json::{Value, json};

const QR_IBAN: &str = "CH44 3199 9123 0008 8901 2";
const CH_IBAN: &str = "CH58 0079 1123 0008 8901 2";
const QRR: &str = "21 00000 00003 13947 14300 09017";
const RF: &str = "RF18 5390 0754 7034";

/// The guidelines' example bill (QR-IBAN, QR reference), elements joined by `sep`.
fn qrr_bill(sep: &str) -> String {
    [
        "SPC",
        "0200",
        "1",
        "CH4431999123000889012",
        "S",
        "Robert Schneider AG",
        "Rue du Lac",
        "1268",
        "2501",
        "Biel",
        "CH",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "1949.75",
        "CHF",
        "S",
        "Pia-Maria Rutschmann-Schnyder",
        "Grosse Marktgasse",
        "28",
        "9400",
        "Rorschach",
        "CH",
        "QRR",
        "210000000003139471430009017",
        "Order of 15 June 2020",
        "EPD",
    ]
    .join(sep)
}

/// An ordinary IBAN with an RF reference (SCOR), open amount, no debtor, in EUR.
fn scor_bill() -> String {
    [
        "SPC",
        "0200",
        "1",
        "CH5800791123000889012",
        "S",
        "Robert Schneider AG",
        "Rue du Lac",
        "1268",
        "2501",
        "Biel",
        "CH",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "EUR",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "SCOR",
        "RF18539007547034",
        "",
        "EPD",
    ]
    .join("\r\n")
}

/// (label, structuredContent, text) of an answer, checked full, local, complete, dated and
/// conforming to the tool's outputSchema.
async fn full_local(client: &common::Client, tool: &str, args: Value) -> (String, Value, String) {
    let r = call(client, tool, args).await;
    let (label, v) = answer(tool, &r);
    let p = &v["provenance"];
    assert_eq!(p["mode"], "full", "{v}");
    assert_eq!(p["source"], "local", "{v}");
    assert_eq!(p["missing"], json!([]), "{v}");
    assert!(p["data_as_of"].is_string(), "{v}");
    let t = text(&r);
    assert!(
        t.starts_with(&label),
        "no label before the summary of a full answer: {t}"
    );
    (label, v, t)
}

async fn reference(client: &common::Client, args: Value) -> (Value, String) {
    let (_, v, t) = full_local(client, "validate_payment_reference", args).await;
    assert!(t.chars().count() <= 600, "{}: {t}", t.chars().count());
    (v, t)
}

#[tokio::test]
async fn valid_references_of_every_scheme() {
    let client = session(offline_settings()).await;
    for (input, scheme, formatted, check_digits) in [
        ("rf18 5390 0754 7034", "rf", "RF18 5390 0754 7034", "18"),
        (QRR, "ch_qrr", QRR, "7"),
        (
            "+++010/8068/17183+++",
            "be_ogm",
            "+++010/8068/17183+++",
            "83",
        ),
        ("1232", "fi_ref", "1232", "2"),
    ] {
        let (v, t) = reference(&client, json!({ "reference": input })).await;
        assert_eq!(v["valid"], true, "{input}: {v}");
        assert_eq!(v["scheme"], scheme, "{input}: {v}");
        assert_eq!(v["formatted"], formatted, "{input}: {v}");
        assert_eq!(v["check_digits"], check_digits, "{input}: {v}");
        assert!(v["error"].is_null() && v["pairing"].is_null(), "{v}");
        assert!(t.starts_with(&format!("{formatted} is a valid ")), "{t}");
    }
    // The compact form is what was checked.
    let (v, _) = reference(&client, json!({ "reference": "+++010/8068/17183+++" })).await;
    assert_eq!(v["reference"], "010806817183");
}

#[tokio::test]
async fn invalid_references_say_why() {
    let client = session(offline_settings()).await;
    for (args, error) in [
        (
            json!({"reference": "RF19 5390 0754 7034"}),
            "checksum_failed",
        ),
        (
            json!({"reference": "21 00000 00003 13947 14300 09016"}),
            "checksum_failed",
        ),
        (
            json!({"reference": "2100000000031394714300090", "scheme": "ch_qrr"}),
            "invalid_length",
        ),
        (
            json!({"reference": "RF18 5390 0754 70_4", "scheme": "rf"}),
            "invalid_format",
        ),
        (json!({"reference": "INVOICE 42"}), "unknown_scheme"),
    ] {
        let (v, t) = reference(&client, args.clone()).await;
        assert_eq!(v["valid"], false, "{args}: {v}");
        assert_eq!(v["error"], error, "{args}: {v}");
        assert!(v["error_detail"].is_string(), "{v}");
        assert!(t.contains(&format!("Error {error}: ")), "{t}");
    }
}

#[tokio::test]
async fn where_the_creditors_settings_decide_the_verdict_is_null_with_each_variant() {
    let client = session(offline_settings()).await;
    // Luhn passes, MOD11 does not: a KID only if the creditor's agreement says MOD10.
    let (v, t) = reference(
        &client,
        json!({"reference": "79927398713", "scheme": "no_kid"}),
    )
    .await;
    assert_eq!(v["valid"], Value::Null, "{v}");
    assert_eq!(
        v["variants"],
        json!([{"variant": "mod10", "passes": true}, {"variant": "mod11", "passes": false}])
    );
    assert!(t.contains("mod10 passes, mod11 fails"), "{t}");
    // Both variants pass: valid whatever the agreement says.
    let (v, _) = reference(&client, json!({"reference": "10553", "scheme": "kid"})).await;
    assert_eq!(v["valid"], true, "{v}");
    // The same digits pass other schemes too.
    assert_eq!(v["also_valid_as"], json!(["fi_ref", "se_ocr"]), "{v}");
    // OCR: Luhn passes, the length digit (9 before the check digit, 10 digits) does not.
    let (v, _) = reference(
        &client,
        json!({"reference": "1234567897", "scheme": "se_ocr"}),
    )
    .await;
    assert_eq!(v["valid"], Value::Null, "{v}");
    assert_eq!(v["variants"][0], json!({"variant": "luhn", "passes": true}));
    assert_eq!(
        v["variants"][1],
        json!({"variant": "luhn_length_digit", "passes": false})
    );
}

#[tokio::test]
async fn every_pairing_rule() {
    let client = session(offline_settings()).await;
    for (reference_, iban, ok, rule, kind) in [
        (
            QRR,
            QR_IBAN,
            json!(true),
            "qr_iban_requires_qr_reference",
            json!("qr_iban"),
        ),
        (
            RF,
            QR_IBAN,
            json!(false),
            "qr_iban_requires_qr_reference",
            json!("qr_iban"),
        ),
        (
            QRR,
            CH_IBAN,
            json!(false),
            "qr_reference_requires_qr_iban",
            json!("iban"),
        ),
        (
            RF,
            CH_IBAN,
            json!(true),
            "creditor_reference_any_iban",
            json!("iban"),
        ),
        (
            "+++010/8068/17183+++",
            "BE68 5390 0754 7034",
            json!(true),
            "national_reference_own_country",
            json!("iban"),
        ),
        (
            "+++010/8068/17183+++",
            CH_IBAN,
            json!(false),
            "ch_iban_takes_rf_or_none",
            json!("iban"),
        ),
        (
            "1232",
            "FI21 1234 5600 0007 85",
            json!(true),
            "national_reference_own_country",
            json!("iban"),
        ),
        // A domestic scheme abroad: no published rule decides.
        (
            "1232",
            "DE89 3704 0044 0532 0130 00",
            Value::Null,
            "national_reference_own_country",
            json!("iban"),
        ),
        // No scheme recognised: no rule applies.
        (
            "INVOICE 42",
            "DE89 3704 0044 0532 0130 00",
            Value::Null,
            "no_rule",
            json!("iban"),
        ),
        // The IBAN is checked first.
        (
            QRR,
            "CH44 3199 9123 0008 8901 3",
            json!(false),
            "iban_invalid",
            Value::Null,
        ),
    ] {
        let (v, t) = reference(&client, json!({"reference": reference_, "iban": iban})).await;
        let p = &v["pairing"];
        assert_eq!(p["ok"], ok, "{reference_} / {iban}: {v}");
        assert_eq!(p["rule"], rule, "{reference_} / {iban}: {v}");
        assert_eq!(p["iban_kind"], kind, "{reference_} / {iban}: {v}");
        assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()), "{v}");
        let verdict = match ok {
            Value::Bool(true) => "fits",
            Value::Bool(false) => "does NOT fit",
            _ => "no rule",
        };
        assert!(t.contains(&format!(": {verdict} (")), "{t}");
    }
    // The account decides among schemes the digits all pass: a KID for a Norwegian account.
    let (v, _) = reference(
        &client,
        json!({"reference": "10553", "iban": "NO93 8601 1117 947"}),
    )
    .await;
    assert_eq!(v["scheme"], "no_kid", "{v}");
    assert_eq!(v["pairing"]["ok"], true, "{v}");
}

#[tokio::test]
async fn bills_valid_and_broken_are_results() {
    let client = session(offline_settings()).await;
    let bill = |payload: String| {
        let client = &client;
        async move {
            let (_, v, t) =
                full_local(client, "check_swiss_qr_bill", json!({ "payload": payload })).await;
            assert!(t.chars().count() <= 1_500, "{}: {t}", t.chars().count());
            (v, t)
        }
    };
    // CR LF and LF alike.
    for sep in ["\r\n", "\n"] {
        let (v, t) = bill(qrr_bill(sep)).await;
        assert_eq!(v["valid"], true, "{v}");
        assert_eq!(v["errors"], json!([]), "{v}");
        assert_eq!(v["iban_kind"], "qr_iban");
        assert_eq!(v["reference_type"], "QRR");
        assert_eq!(v["amount"], "1949.75");
        assert_eq!(v["currency"], "CHF");
        assert_eq!(v["creditor"]["name"], "Robert Schneider AG");
        assert_eq!(v["debtor"]["town"], "Rorschach");
        assert_eq!(v["message"], "Order of 15 June 2020");
        assert!(t.starts_with("Valid Swiss QR-bill: CHF 1949.75"), "{t}");
        assert_eq!(
            v["provenance"]["data_as_of"],
            ibanforge_mcp::engine::qr_bill::GUIDELINES
        );
    }
    let (v, _) = bill(scor_bill()).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(
        (&v["iban_kind"], &v["reference_type"], &v["amount"]),
        (&json!("iban"), &json!("SCOR"), &Value::Null)
    );
    assert!(v["debtor"].is_null());

    // Broken in one rule each: the error names the field and the rule.
    for (broken, field, code) in [
        (
            qrr_bill("\r\n").replace("\r\nCHF\r\n", "\r\nUSD\r\n"),
            "Ccy",
            "invalid_currency",
        ),
        (
            qrr_bill("\r\n").replacen("\r\nS\r\n", "\r\nK\r\n", 1),
            "Cdtr.AdrTp",
            "combined_address_refused",
        ),
        (
            qrr_bill("\r\n").replace("CH4431999123000889012", "CH5800791123000889012"),
            "RmtInf.Tp",
            "qrr_requires_qr_iban",
        ),
        (
            qrr_bill("\r\n").replace("EPD", "END"),
            "Trailer",
            "invalid_trailer",
        ),
        (
            qrr_bill("\r\n").replace("1949.75", "1949.7"),
            "Amt",
            "invalid_amount",
        ),
    ] {
        let (v, t) = bill(broken).await;
        assert_eq!(v["valid"], false, "{v}");
        let errors = v["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["code"] == code && e["field"].as_str().unwrap().contains(field)),
            "{code} on {field}: {v}"
        );
        assert!(t.starts_with("Invalid Swiss QR-bill: "), "{t}");
        assert!(t.contains(code), "{t}");
    }
    // Garbage and an oversized payload (within the argument's bound) are verdicts too.
    let (v, _) = bill("not a bill".into()).await;
    assert_eq!(v["valid"], false);
    let long = qrr_bill("\r\n").replace("Order of 15 June 2020", &"x".repeat(1_000));
    let (v, t) = bill(long).await;
    assert!(
        v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["code"] == "payload_too_long"),
        "{v}"
    );
    assert!(t.contains("payload_too_long"), "{t}");
}

#[tokio::test]
async fn input_errors_are_is_error_without_structured_content() {
    let client = session(offline_settings()).await;
    for (tool, args, says) in [
        (
            "validate_payment_reference",
            json!({}),
            "missing required argument `reference`",
        ),
        (
            "validate_payment_reference",
            json!({"reference": 42}),
            "`reference` must be a string",
        ),
        (
            "validate_payment_reference",
            json!({"reference": "1".repeat(257)}),
            "at most 256",
        ),
        (
            "validate_payment_reference",
            json!({"reference": "  "}),
            "`reference` is empty",
        ),
        (
            "validate_payment_reference",
            json!({"reference": "1232", "scheme": "iban"}),
            "is not known",
        ),
        (
            "validate_payment_reference",
            json!({"reference": "1232", "iban": ["CH"]}),
            "`iban` must be a string",
        ),
        (
            "check_swiss_qr_bill",
            json!({}),
            "missing required argument `payload`",
        ),
        (
            "check_swiss_qr_bill",
            json!({"payload": {"SPC": 1}}),
            "`payload` must be a string",
        ),
        (
            "check_swiss_qr_bill",
            json!({"payload": "x".repeat(3_989)}),
            "at most 3988",
        ),
        (
            "check_swiss_qr_bill",
            json!({"payload": "\r\n"}),
            "`payload` is empty",
        ),
    ] {
        let r = call(&client, tool, args.clone()).await;
        let message = input_error(&r);
        assert!(message.contains(says), "{tool} {args}: {message}");
    }
}

/// The contract: with a key and a reachable API, these tools still send nothing — not to
/// the paid routes, not to the free endpoint — and answer full/local; offline mode answers
/// the same. The same stand-in counts a built-in tool's request, so the count is live.
#[tokio::test]
async fn with_a_key_and_a_reachable_api_they_send_nothing() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_payments",
        KeyKind::Credits {
            remaining: 100,
            total: 100,
        },
    );
    let keyed = Toolbox::new(Arc::new(Settings {
        api_key: ApiKey::new("ifk_payments"),
        api_base: api.base.clone(),
        ..Settings::default()
    }));
    let offline = Toolbox::new(Arc::new(offline_settings()));
    let calls = [
        (
            "validate_payment_reference",
            json!({"reference": QRR, "iban": QR_IBAN}),
        ),
        (
            "validate_payment_reference",
            json!({"reference": "79927398713", "scheme": "no_kid", "iban": "NO93 8601 1117 947"}),
        ),
        (
            "validate_payment_reference",
            json!({"reference": "nonsense"}),
        ),
        ("check_swiss_qr_bill", json!({"payload": qrr_bill("\r\n")})),
        ("check_swiss_qr_bill", json!({"payload": "garbage"})),
    ];
    let ctx = CallContext::default();
    for (tool, args) in &calls {
        let (label, v, text) = common::toolbox_answer(&keyed, tool, args.clone(), &ctx).await;
        assert_eq!(v["provenance"]["mode"], "full", "{tool}: {v}");
        assert_eq!(v["provenance"]["source"], "local", "{tool}: {v}");
        assert_eq!(v["provenance"]["missing"], json!([]), "{tool}: {v}");
        assert!(v["provenance"]["quota"].is_null() && v["provenance"]["credits"].is_null());
        let (o_label, o_v, o_text) =
            common::toolbox_answer(&offline, tool, args.clone(), &ctx).await;
        assert_eq!((&label, &v, &text), (&o_label, &o_v, &o_text), "{tool}");
        assert_conforms(tool, &v);
    }
    assert!(
        api.requests().is_empty(),
        "requests sent: {:?}",
        api.requests()
    );
    assert!(api.free_requests().is_empty());
    assert_eq!(api.paid_requests("ifk_payments"), 0);

    // The same configuration does reach the stand-in for a paid tool.
    let (_, v, _) = common::toolbox_answer(
        &keyed,
        "validate_iban",
        json!({"iban": "DE89 3704 0044 0532 0130 00"}),
        &ctx,
    )
    .await;
    assert_eq!(v["provenance"]["mode"], "full", "{v}");
    assert_eq!(api.paid_requests("ifk_payments"), 1);
}
