//! Every tool through a real MCP session (in-process, duplex pipe): valid and invalid
//! inputs, fields, provenance, label, and conformance to the advertised outputSchema.

mod common;

use common::{answer, call, input_error, offline_settings, session};
use ibanforge_mcp::config::Settings;
use serde_json::{Value, json};

#[tokio::test]
async fn lists_the_tools_with_titles_annotations_and_schemas() {
    let client = session(Settings::default()).await;
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(
        names,
        [
            "validate_iban",
            "batch_validate_iban",
            "lookup_bic",
            "lookup_ch_clearing",
            "check_compliance",
            "validate_payment_reference",
            "check_swiss_qr_bill"
        ]
    );
    let titles: Vec<&str> = tools.iter().map(|t| t.title.as_deref().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Validate IBAN",
            "Batch Validate IBANs",
            "Look up BIC/SWIFT",
            "Swiss Clearing Lookup",
            "Compliance Check",
            "Validate Payment Reference",
            "Check Swiss QR-Bill"
        ]
    );
    for t in &tools {
        let a = t.annotations.as_ref().expect("annotations");
        assert_eq!(
            (
                a.read_only_hint,
                a.destructive_hint,
                a.idempotent_hint,
                a.open_world_hint
            ),
            // The payment tools' full answer is the local engine's: not open-world.
            (
                Some(true),
                Some(false),
                Some(true),
                Some(!matches!(
                    t.name.as_ref(),
                    "validate_payment_reference" | "check_swiss_qr_bill"
                ))
            ),
            "{}",
            t.name
        );
        let out = t.output_schema.as_ref().expect("outputSchema");
        assert_eq!(
            out["type"], "object",
            "{}: output root is an object",
            t.name
        );
        assert!(
            out["properties"]["provenance"].is_object(),
            "{}: provenance is in the schema",
            t.name
        );
        assert!(
            out["required"]
                .as_array()
                .unwrap()
                .contains(&json!("provenance"))
        );
        assert_eq!(t.input_schema["type"], "object");
        let first = t
            .description
            .as_deref()
            .unwrap()
            .split('\n')
            .next()
            .unwrap();
        assert!(
            first.len() <= 100,
            "{}: first sentence fits registries: {first}",
            t.name
        );
        assert!(first.ends_with('.'), "{}: first line is a sentence", t.name);
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn validate_iban_valid_with_bank() {
    let client = session(offline_settings()).await;
    let r = call(
        &client,
        "validate_iban",
        json!({"iban": "ch10 0023-0000 0000 1234 5"}),
    )
    .await;
    let (label, v) = answer("validate_iban", &r);
    assert!(label.starts_with("OFFLINE RESULT — "), "{label}");
    assert!(
        label.contains("CH10 0023 0000 0000 1234 5 is valid — UBS Switzerland AG"),
        "{label}"
    );
    assert_eq!(v["iban"], "CH1000230000000012345");
    assert_eq!(v["formatted"], "CH10 0023 0000 0000 1234 5");
    assert_eq!(v["valid"], true);
    assert_eq!(v["country"], json!({"code": "CH", "name": "Switzerland"}));
    assert_eq!(v["check_digits"], "10");
    assert_eq!(v["bban"]["bank_code"], "00230");
    assert_eq!(v["bban"]["account_number"], "000000012345");
    assert_eq!(v["bic"]["code"], "UBSWCHZH80A");
    assert_eq!(v["bic"]["as_of"], "2026-10-01");
    assert_eq!(v["bank_code_check"]["status"], "verified");
    assert_eq!(v["bank_code_check"]["authoritative"], true);
    assert_eq!(v["sepa"]["member"], true);
    assert_eq!(v["clearing"]["iid"], "00230");
    assert!(
        v["clearing"]["sic"].is_null(),
        "flags the data lacks are null, not false"
    );
    assert!(v["error"].is_null());
    let p = &v["provenance"];
    assert_eq!(p["mode"], "offline");
    assert_eq!(p["source"], "local");
    assert_eq!(p["reason"], "offline_mode");
    assert_eq!(p["data_as_of"], "2026-10-01");
    assert_eq!(
        p["missing"],
        json!(["issuer", "risk_indicators", "next_steps"])
    );
    assert!(p["upstream_status"].is_null());
    assert!(!p["unlock"].as_array().unwrap().is_empty());
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn validate_iban_negative_answers_are_results() {
    let client = session(offline_settings()).await;
    for (iban, code) in [
        ("CH9400762011623852957", "checksum_failed"),
        ("CH93007620116238529", "wrong_length"),
        ("XX9300762011623852957", "unsupported_country"),
        ("CH93 0076 2011 6238 5295 7!", "invalid_format"),
        ("GB29NWBK6016133192681X", "invalid_bban_structure"),
        ("CH0000762011623852957", "invalid_check_digits"),
    ] {
        let r = call(&client, "validate_iban", json!({ "iban": iban })).await;
        let (label, v) = answer("validate_iban", &r);
        assert_eq!(v["valid"], false, "{iban}");
        assert_eq!(v["error"], code, "{iban}");
        assert!(v["error_detail"].as_str().unwrap().len() > 10);
        assert!(label.contains("is NOT valid"), "{label}");
        assert!(
            v["provenance"]["detail"]
                .as_str()
                .unwrap()
                .contains("Offline mode is on")
        );
    }
    // The registry's own Swiss example names no real bank.
    let r = call(
        &client,
        "validate_iban",
        json!({"iban": "CH9300762011623852957"}),
    )
    .await;
    let (label, v) = answer("validate_iban", &r);
    assert_eq!(v["valid"], true);
    assert_eq!(v["bank_code_check"]["status"], "not_in_register");
    assert!(v["bic"].is_null());
    assert!(
        label.contains("bank code 00762 is not in the register"),
        "{label}"
    );
    assert!(
        v["provenance"]["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("bic"))
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn batch_keeps_order_and_counts() {
    let client = session(offline_settings()).await;
    let ibans = [
        "DE89 3704 0044 0532 0130 00",
        "CH9400762011623852957",
        "GB29NWBK60161331926819",
        "DE89370400440532013000",
    ];
    let r = call(&client, "batch_validate_iban", json!({ "ibans": ibans })).await;
    let (label, v) = answer("batch_validate_iban", &r);
    assert_eq!(v["count"], 4);
    assert_eq!(v["valid_count"], 3);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results[0]["iban"], "DE89370400440532013000");
    assert_eq!(results[0]["bic"]["code"], "COBADEFFXXX");
    assert_eq!(results[1]["error"], "checksum_failed");
    assert_eq!(results[2]["country"]["code"], "GB");
    assert_eq!(results[3], results[0]);
    assert!(label.contains("3 of 4 IBANs are valid"), "{label}");
    assert!(
        v["provenance"]["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("results[].issuer"))
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn lookup_bic_known_unknown_and_malformed() {
    let client = session(offline_settings()).await;
    let r = call(&client, "lookup_bic", json!({"bic": "cobadeff"})).await;
    let (label, v) = answer("lookup_bic", &r);
    assert_eq!(v["bic"], "COBADEFF");
    assert_eq!(v["bic8"], "COBADEFF");
    assert_eq!(v["bic11"], "COBADEFFXXX");
    assert_eq!(v["found"], true);
    assert_eq!(v["valid_format"], true);
    assert_eq!(v["branch_code"], "XXX");
    assert_eq!(v["is_test_bic"], false);
    assert_eq!(v["country"]["code"], "DE");
    assert!(v["institution"].as_str().unwrap().contains("Commerzbank"));
    assert!(label.contains("COBADEFFXXX is Commerzbank"), "{label}");

    // Unknown to the embedded directory: `found` is null (unknown), never false.
    let r = call(&client, "lookup_bic", json!({"bic": "ZZZZCHZZ123"})).await;
    let (_, v) = answer("lookup_bic", &r);
    assert!(v["found"].is_null(), "{v}");
    assert_eq!(v["valid_format"], true);
    assert!(
        v["provenance"]["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("institution"))
    );

    // Well-formed characters but not a BIC structure: a result, not an error.
    let r = call(&client, "lookup_bic", json!({"bic": "ABCDZZ12"})).await;
    let (_, v) = answer("lookup_bic", &r);
    assert_eq!(v["valid_format"], false);
    assert!(v["found"].is_null());

    let r = call(&client, "lookup_bic", json!({"bic": "ABCDCH00"})).await;
    let (_, v) = answer("lookup_bic", &r);
    assert_eq!(v["is_test_bic"], true);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn lookup_ch_clearing_iid_qr_iid_and_unknown() {
    let client = session(offline_settings()).await;
    let r = call(&client, "lookup_ch_clearing", json!({"iid": "230"})).await;
    let (_, v) = answer("lookup_ch_clearing", &r);
    assert_eq!(v["iid"], "00230");
    assert_eq!(v["found"], true);
    assert_eq!(v["bic"], "UBSWCHZH80A");
    assert_eq!(v["institution"]["iid_type"], "headquarters");
    assert!(v["qr_iids"].as_array().unwrap().contains(&json!("30005")));
    assert!(v["payment_services"]["sic"].is_null());
    assert!(v["redirected_from"].is_null());

    let r = call(&client, "lookup_ch_clearing", json!({"iid": "30005"})).await;
    let (label, v) = answer("lookup_ch_clearing", &r);
    assert_eq!(v["iid"], "00230");
    assert_eq!(v["redirected_from"], "30005");
    assert!(label.contains("owner of QR-IID 30005"), "{label}");

    let r = call(&client, "lookup_ch_clearing", json!({"iid": 8800})).await;
    let (_, v) = answer("lookup_ch_clearing", &r);
    assert_eq!(v["iid"], "08800");
    assert_eq!(v["institution"]["country"], "LI");

    let r = call(&client, "lookup_ch_clearing", json!({"iid": "99999"})).await;
    let (_, v) = answer("lookup_ch_clearing", &r);
    assert_eq!(v["found"], false);
    assert_eq!(v["error"], "clearing_not_found");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn check_compliance_is_country_level_and_never_favourable() {
    let client = session(offline_settings()).await;
    // A clean country: no verdict, not "low".
    let r = call(
        &client,
        "check_compliance",
        json!({"iban": "DE89370400440532013000"}),
    )
    .await;
    let (label, v) = answer("check_compliance", &r);
    let c = &v["compliance"];
    assert_eq!(c["risk_level"], "unassessable");
    assert!(c["risk_score"].is_null());
    assert_eq!(c["sanctions"]["bank_screened"], false);
    assert_eq!(c["reachability"]["screened"], false);
    assert_eq!(c["vop"]["screened"], false);
    assert_eq!(c["sanctions"]["fatf_status"], "not_listed");
    assert_eq!(v["meta"]["scope"], "country_only");
    assert_eq!(v["meta"]["fatf_as_of"], "2026-06");
    assert!(
        label.starts_with("OFFLINE RESULT — Country-level facts only"),
        "{label}"
    );

    // Monaco: SEPA, FATF grey list and EU high-risk.
    let r = call(
        &client,
        "check_compliance",
        json!({"iban": "MC5811222000010123456789030"}),
    )
    .await;
    let (_, v) = answer("check_compliance", &r);
    let c = &v["compliance"];
    assert_eq!(c["sanctions"]["fatf_status"], "grey_list");
    assert_eq!(c["risk_level"], "elevated");
    assert_eq!(v["sepa"]["member"], true);
    let flags = c["flags"].as_array().unwrap();
    assert!(
        flags.contains(&json!("fatf_increased_monitoring"))
            && flags.contains(&json!("eu_high_risk_third_country"))
    );

    // Invalid IBAN: no verdict at all.
    let r = call(
        &client,
        "check_compliance",
        json!({"iban": "DE88370400440532013000"}),
    )
    .await;
    let (_, v) = answer("check_compliance", &r);
    assert_eq!(v["compliance"]["risk_level"], "unassessable");
    assert_eq!(v["valid"], false);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn bad_arguments_are_input_errors_that_say_what_is_accepted() {
    let client = session(Settings::default()).await;
    let huge = "A".repeat(10 * 1024 * 1024);
    let many: Vec<Value> = (0..10_000)
        .map(|_| json!("CH9300762011623852957"))
        .collect();
    let cases = [
        (
            "validate_iban",
            json!({}),
            "missing required argument `iban`",
        ),
        (
            "validate_iban",
            json!({"iban": null}),
            "must be a string (got null)",
        ),
        (
            "validate_iban",
            json!({"iban": 12345}),
            "must be a string (got a number)",
        ),
        (
            "validate_iban",
            json!({"iban": {"nested": {"deep": true}}}),
            "must be a string (got an object)",
        ),
        ("validate_iban", json!({"iban": ""}), "is empty"),
        (
            "validate_iban",
            json!({"iban": huge}),
            "at most 256 are accepted",
        ),
        (
            "check_compliance",
            json!({"iban": ["CH93"]}),
            "must be a string (got an array)",
        ),
        (
            "batch_validate_iban",
            json!({"ibans": many}),
            "a batch takes 1 to 100 IBANs",
        ),
        (
            "batch_validate_iban",
            json!({"ibans": []}),
            "a batch takes 1 to 100 IBANs",
        ),
        (
            "batch_validate_iban",
            json!({"ibans": "CH93"}),
            "must be an array of 1–100 IBAN strings",
        ),
        (
            "batch_validate_iban",
            json!({"ibans": ["CH9300762011623852957", 7]}),
            "`ibans[1]` must be a string",
        ),
        (
            "lookup_bic",
            json!({"bic": "UBS"}),
            "8 or 11 letters and digits",
        ),
        (
            "lookup_bic",
            json!({"bic": "UBSW-CHZH"}),
            "8 or 11 letters and digits",
        ),
        ("lookup_ch_clearing", json!({"iid": "123456"}), "1–5 digits"),
        ("lookup_ch_clearing", json!({"iid": "12a"}), "1–5 digits"),
        ("lookup_ch_clearing", json!({"iid": -5}), "must be a string"),
    ];
    for (tool, args, needle) in cases {
        let r = call(&client, tool, args).await;
        let msg = input_error(&r);
        assert!(
            msg.contains(needle),
            "{tool}: {msg:?} should mention {needle:?}"
        );
        assert!(
            msg.len() < 400,
            "messages stay short even for huge input: {}",
            msg.len()
        );
    }
    // Unknown tool: a protocol error, not a result.
    let err = client
        .call_tool(rmcp::model::CallToolRequestParams::new("transfer_money"))
        .await
        .expect_err("unknown tool is a protocol error");
    assert!(format!("{err}").contains("unknown tool"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_qr_iban_is_recognised_and_national_checks_show() {
    let client = session(offline_settings()).await;
    // A QR-IBAN: its institution identifier is a QR-IID (30000–31999), here UBS's 30005.
    let r = call(
        &client,
        "validate_iban",
        json!({"iban": "CH17 3000 5000 0123 4567 8"}),
    )
    .await;
    let (_, v) = answer("validate_iban", &r);
    assert_eq!(v["valid"], true);
    assert_eq!(v["clearing"]["iid"], "30005");
    assert_eq!(v["clearing"]["qr_iid"], true, "recognised as a QR-IBAN");
    assert_eq!(v["clearing"]["headquarters_iid"], "00230");
    assert_eq!(v["national_check"]["status"], "not_checkable");

    // A German IBAN whose account passes its bank's Bundesbank method (Commerzbank: 13).
    let r = call(
        &client,
        "validate_iban",
        json!({"iban": "DE89370400440532013000"}),
    )
    .await;
    let (_, v) = answer("validate_iban", &r);
    assert_eq!(v["valid"], true);
    assert_eq!(v["national_check"]["status"], "passed");
    assert_eq!(v["national_check"]["rule"], "Bundesbank method 13");
    // The same bank, an account that fails method 13 (also with the sub-account shifted out),
    // under IBAN check digits recomputed to be right: mod-97 passes, the account cannot exist.
    // Independently: schwifty's `validate_bban` rejects it too ("Invalid national checksum").
    let r = call(
        &client,
        "validate_iban",
        json!({"iban": "DE24 3704 0044 0532 0132 00"}),
    )
    .await;
    let (label, v) = answer("validate_iban", &r);
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["error"], "national_check_failed", "{v}");
    assert_eq!(v["national_check"]["status"], "failed", "{v}");
    assert_eq!(v["national_check"]["rule"], "Bundesbank method 13", "{v}");
    assert!(
        v["error_detail"]
            .as_str()
            .unwrap()
            .contains("Bundesbank method 13"),
        "{v}"
    );
    assert!(label.contains("is NOT valid"), "{label}");
    // Through check_compliance too: no verdict for an account that cannot exist.
    let r = call(
        &client,
        "check_compliance",
        json!({"iban": "DE24370400440532013200"}),
    )
    .await;
    let (_, v) = answer("check_compliance", &r);
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["compliance"]["risk_level"], "unassessable", "{v}");
    let r = call(
        &client,
        "validate_iban",
        json!({"iban": "FR7630006000011234567890188"}),
    )
    .await;
    let (_, v) = answer("validate_iban", &r);
    assert_eq!(v["error"], "checksum_failed");
    // Mod-97 right, clé RIB wrong: the IBAN's own check digits recomputed over a bad key.
    let r = call(
        &client,
        "validate_iban",
        json!({"iban": "FR4930006000011234567890190"}),
    )
    .await;
    let (label, v) = answer("validate_iban", &r);
    assert_eq!(v["error"], "national_check_failed", "{v}");
    assert!(
        v["error_detail"]
            .as_str()
            .unwrap()
            .contains("French RIB key"),
        "{v}"
    );
    assert!(label.contains("is NOT valid"), "{label}");
    client.cancel().await.unwrap();
}
