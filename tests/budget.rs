//! The user's money, spent with foresight (issue "beyond the wall", tool contract: provenance
//! `quota`/`credits`/`cache`/`cross_check`, per-row provenance, "never pay twice", "spend what
//! is left"): each test asserts what the stand-in API was asked, the provenance fields, and
//! the words of the label.

mod common;

use std::process::Command as StdCommand;
use std::sync::Arc;
use std::time::Duration;

use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::tools::{CallContext, Toolbox};
use ibanforge_stand_in::{KeyKind, StandIn};
use serde_json::{Value, json};

const DE89: &str = "DE89 3704 0044 0532 0130 00";
const CH10: &str = "CH10 0023 0000 0000 1234 5";

fn settings(api: &StandIn, key: &str) -> Settings {
    Settings {
        api_key: ApiKey::new(key),
        api_base: api.base.clone(),
        timeout: Duration::from_secs(10),
        ..Settings::default()
    }
}

/// (label, structured, text).
async fn call(t: &Toolbox, tool: &str, args: Value) -> (String, Value, String) {
    common::toolbox_answer(t, tool, args, &CallContext::default()).await
}

/// IBANs sent in the batch requests the stand-in saw, request by request.
fn batches_sent(api: &StandIn) -> Vec<Vec<String>> {
    api.requests()
        .iter()
        .filter(|r| r.path == "/v1/iban/batch")
        .map(|r| {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            body["ibans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

/// Five distinct German IBANs on Commerzbank's bank code 37040044, each valid offline in
/// full: mod-97 and the Bundesbank check-digit method for that code (method 13) both pass,
/// so a row answered locally is `valid: true` with `national_check.status: passed`.
const GERMAN: [&str; 5] = [
    "DE89370400440532013000",
    "DE62370400440532013001",
    "DE35370400440532013002",
    "DE08370400440532013003",
    "DE78370400440532013004",
];

fn german(n: usize) -> Vec<String> {
    GERMAN[..n].iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn the_wall_is_seen_coming_from_the_numbers() {
    let api = StandIn::spawn();
    // 170 of 200 used, and the stand-in sends no X-Quota-Notice.
    api.add_key("ifk_at_85", KeyKind::quota_at_percent(85, 200));
    api.add_key(
        "ifk_few_credits",
        KeyKind::Credits {
            remaining: 41,
            total: 1000,
        },
    );
    let t = Toolbox::new(Arc::new(settings(&api, "ifk_at_85")));
    let (label, v, _) = call(&t, "validate_iban", json!({"iban": DE89})).await;
    let q = &v["provenance"]["quota"];
    assert_eq!(
        (q["used"].as_u64(), q["limit"].as_u64()),
        (Some(171), Some(200)),
        "{q}"
    );
    assert!(q.get("notice").is_none(), "no notice header was sent: {q}");
    assert!(
        label.contains("quota warning: 171 of 200 requests used this month, 29 left"),
        "{label}"
    );
    assert_eq!(api.stats("ifk_at_85").requests, 1);

    let t = Toolbox::new(Arc::new(settings(&api, "ifk_few_credits")));
    let (label, v, _) = call(&t, "lookup_bic", json!({"bic": "COBADEFFXXX"})).await;
    assert_eq!(v["provenance"]["credits"]["remaining"].as_u64(), Some(40));
    assert!(
        label.contains("credit warning: 40 credits left, not enough for a 100-IBAN batch"),
        "{label}"
    );

    // doctor says the same before any tool call is made.
    let out = StdCommand::new(env!("CARGO_BIN_EXE_ibanforge-mcp"))
        .env_clear()
        .env("IBANFORGE_API_KEY", "ifk_at_85")
        .env("IBANFORGE_API_BASE", &api.base)
        .arg("doctor")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("quota warning: 171 of 200 requests used this month, 29 left"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_question_already_paid_for_is_never_paid_again() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_cache",
        KeyKind::Quota {
            used: 0,
            limit: 1000,
        },
    );
    let t = Toolbox::new(Arc::new(settings(&api, "ifk_cache")));
    let (_, first, _) = call(&t, "validate_iban", json!({"iban": DE89})).await;
    assert!(first["provenance"]["cache"].is_null());
    // The same IBAN in another spelling: the normalised input is the key.
    let (label, second, text) = call(
        &t,
        "validate_iban",
        json!({"iban": "de89370400440532013000"}),
    )
    .await;
    assert_eq!(
        api.stats("ifk_cache").requests,
        1,
        "served without a request"
    );
    let c = &second["provenance"]["cache"];
    assert_eq!(c["hit"], true, "{c}");
    assert!(c["fetched_at"].as_str().unwrap().ends_with('Z'), "{c}");
    assert!(c["age_s"].as_u64().unwrap() < 60, "{c}");
    assert_eq!(second["provenance"]["mode"], "full");
    assert_eq!(second["served_by"], "stand-in", "the API's answer, kept");
    assert!(
        label.contains("served from this session's cache, fetched 20"),
        "{label}"
    );
    assert!(label.contains("no new charge"), "{text}");

    // A batch sends only the rows not yet paid for, and maps answers back with duplicates.
    let (label, b, text) = call(
        &t,
        "batch_validate_iban",
        json!({"ibans": [CH10, DE89, "CH1000230000000012345"]}),
    )
    .await;
    assert_eq!(batches_sent(&api), [["CH1000230000000012345"]], "{text}");
    let rows = b["results"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["iban"], "CH1000230000000012345");
    assert_eq!(rows[2]["iban"], "CH1000230000000012345");
    assert!(rows[0]["provenance"]["cache"].is_null());
    assert_eq!(rows[1]["provenance"]["cache"]["hit"], true);
    assert!(rows.iter().all(|r| r["provenance"]["mode"] == "full"));
    assert_eq!(b["provenance"]["mode"], "full");
    assert!(
        label.contains("1 rows served from this session's cache"),
        "{label}"
    );
    assert_eq!(api.units_debited("ifk_cache"), 2, "DE89 once, CH10 once");

    // A batch row paid for is served to validate_iban, and a whole cached batch sends nothing.
    let (_, v, _) = call(&t, "validate_iban", json!({"iban": CH10})).await;
    assert_eq!(v["provenance"]["cache"]["hit"], true);
    let (_, b, _) = call(&t, "batch_validate_iban", json!({"ibans": [CH10, DE89]})).await;
    assert_eq!(b["provenance"]["cache"]["hit"], true);
    assert_eq!(api.stats("ifk_cache").requests, 2);

    // Two identical calls at once (clients pipeline): the second waits for the first.
    let t2 = t.clone();
    let (a, b) = tokio::join!(
        call(&t, "lookup_bic", json!({"bic": "COBADEFFXXX"})),
        call(&t2, "lookup_bic", json!({"bic": "cobadeffxxx"}))
    );
    let hits = [&a.1, &b.1]
        .iter()
        .filter(|v| v["provenance"]["cache"]["hit"] == true)
        .count();
    assert_eq!(hits, 1, "one paid, one served from the cache");
    assert_eq!(api.stats("ifk_cache").requests, 3);

    // Each tool has its own answers: compliance is asked once, then cached too.
    call(&t, "check_compliance", json!({"iban": DE89})).await;
    let (_, c, _) = call(&t, "check_compliance", json!({"iban": DE89})).await;
    assert_eq!(c["provenance"]["cache"]["hit"], true);
    assert_eq!(api.stats("ifk_cache").requests, 4);
}

#[tokio::test]
async fn the_cache_can_be_turned_off_and_entries_expire() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_nocache",
        KeyKind::Quota {
            used: 0,
            limit: 1000,
        },
    );
    let off = Toolbox::new(Arc::new(Settings {
        cache_entries: 0,
        ..settings(&api, "ifk_nocache")
    }));
    call(&off, "lookup_ch_clearing", json!({"iid": "230"})).await;
    let (_, v, _) = call(&off, "lookup_ch_clearing", json!({"iid": "00230"})).await;
    assert!(v["provenance"]["cache"].is_null());
    assert_eq!(api.stats("ifk_nocache").requests, 2);

    let short = Toolbox::new(Arc::new(Settings {
        cache_ttl: Duration::from_millis(1),
        ..settings(&api, "ifk_nocache")
    }));
    call(&short, "lookup_ch_clearing", json!({"iid": "230"})).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (_, v, _) = call(&short, "lookup_ch_clearing", json!({"iid": "230"})).await;
    assert!(v["provenance"]["cache"].is_null(), "expired: asked again");
    assert_eq!(api.stats("ifk_nocache").requests, 4);
}

#[tokio::test]
async fn a_batch_too_large_for_what_is_left_spends_what_is_left() {
    let api = StandIn::spawn();
    // Two units left; a batch of five distinct IBANs is refused (nothing debited).
    api.add_key(
        "ifk_two_left",
        KeyKind::Quota {
            used: 198,
            limit: 200,
        },
    );
    let ibans = german(5);
    let t = Toolbox::new(Arc::new(settings(&api, "ifk_two_left")));
    let (label, b, text) = call(&t, "batch_validate_iban", json!({"ibans": ibans})).await;
    let sent = batches_sent(&api);
    assert_eq!(
        sent.len(),
        2,
        "one refused request, one with what is affordable: {sent:?}"
    );
    assert_eq!(sent[0], ibans, "the whole batch first");
    assert_eq!(
        sent[1],
        ibans[..2],
        "then the first affordable rows, in input order"
    );
    assert_eq!(api.units_debited("ifk_two_left"), 2);
    let rows = b["results"].as_array().unwrap();
    for (i, row) in rows.iter().enumerate() {
        let p = &row["provenance"];
        if i < 2 {
            assert_eq!(
                (p["mode"].as_str(), p["source"].as_str()),
                (Some("full"), Some("api")),
                "{p}"
            );
            assert_eq!(row["served_by"], "stand-in");
        } else {
            assert_eq!(p["mode"], "degraded", "{p}");
            assert_eq!(p["reason"], "monthly_quota_insufficient", "{p}");
            assert_eq!(p["source"], "local", "{p}");
            // The local row's own verdict: this IBAN, valid, national check digits passed.
            assert!(row.get("served_by").is_none(), "{row}");
            assert_eq!(row["iban"], ibans[i].as_str(), "{row}");
            assert_eq!(row["valid"], true, "{row}");
            assert!(row["error"].is_null(), "{row}");
            assert_eq!(row["national_check"]["status"], "passed", "{row}");
            assert_eq!(row["bank_code_check"]["status"], "verified", "{row}");
        }
    }
    let p = &b["provenance"];
    assert_eq!(p["mode"], "degraded");
    assert_eq!(p["reason"], "monthly_quota_insufficient");
    assert!(
        label.starts_with("DEGRADED RESULT — 2 of 5 answered in full"),
        "{label}"
    );
    assert!(text.contains("1. DE"), "{text}");

    // Credits: as many rows as the remaining credits pay for.
    api.add_key(
        "ifk_three_credits",
        KeyKind::Credits {
            remaining: 3,
            total: 100,
        },
    );
    api.clear_log();
    let t = Toolbox::new(Arc::new(settings(&api, "ifk_three_credits")));
    let (label, b, _) = call(&t, "batch_validate_iban", json!({"ibans": ibans})).await;
    assert_eq!(
        batches_sent(&api).iter().map(Vec::len).collect::<Vec<_>>(),
        [5, 3]
    );
    assert_eq!(b["provenance"]["reason"], "credits_insufficient");
    assert!(label.contains("3 of 5 answered in full"), "{label}");

    // The setting turns partial spending off: one request, every row local.
    api.add_key(
        "ifk_two_left_no_spend",
        KeyKind::Quota {
            used: 198,
            limit: 200,
        },
    );
    api.clear_log();
    let t = Toolbox::new(Arc::new(Settings {
        spend_remaining: false,
        ..settings(&api, "ifk_two_left_no_spend")
    }));
    let (_, b, _) = call(&t, "batch_validate_iban", json!({"ibans": ibans})).await;
    assert_eq!(batches_sent(&api).len(), 1);
    assert_eq!(api.units_debited("ifk_two_left_no_spend"), 0);
    assert!(
        b["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["provenance"]["mode"] == "degraded")
    );
}

#[tokio::test]
async fn full_answers_get_a_second_opinion_that_never_changes_the_verdict() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_second_opinion",
        KeyKind::Quota {
            used: 0,
            limit: 1000,
        },
    );
    let t = Toolbox::new(Arc::new(settings(&api, "ifk_second_opinion")));
    // The API's format check calls it valid; its French RIB key (clé RIB) is wrong.
    let (label, v, text) = call(
        &t,
        "validate_iban",
        json!({"iban": "FR4930006000011234567890190"}),
    )
    .await;
    assert_eq!(v["valid"], true, "the API's verdict stays as given");
    let x = &v["provenance"]["cross_check"];
    assert_eq!(x["status"], "disagree", "{x}");
    assert_eq!(x["local_valid"], false, "{x}");
    assert!(
        x["rule"].as_str().unwrap().contains("French RIB key"),
        "{x}"
    );
    assert!(
        label.contains("WARNING: the offline engine disagrees") && label.contains("French RIB key"),
        "{label}"
    );
    assert!(text.starts_with(&label));

    let (label, v, _) = call(&t, "validate_iban", json!({"iban": DE89})).await;
    assert_eq!(v["provenance"]["cross_check"]["status"], "agree");
    assert!(!label.contains("WARNING"), "{label}");

    // Compliance and batch rows get the same second opinion.
    let (_, c, _) = call(
        &t,
        "check_compliance",
        json!({"iban": "FR4930006000011234567890190"}),
    )
    .await;
    assert_eq!(c["provenance"]["cross_check"]["status"], "disagree");
    let (label, b, _) = call(
        &t,
        "batch_validate_iban",
        json!({"ibans": [DE89, "FR4930006000011234567890190"]}),
    )
    .await;
    let rows = b["results"].as_array().unwrap();
    assert_eq!(rows[0]["provenance"]["cross_check"]["status"], "agree");
    assert_eq!(rows[1]["provenance"]["cross_check"]["status"], "disagree");
    assert!(label.contains("disagrees with the API on row 2"), "{label}");

    // Non-full answers carry no second opinion: they are the first.
    let offline = Toolbox::new(Arc::new(common::offline_settings()));
    let (_, v, _) = call(&offline, "validate_iban", json!({"iban": DE89})).await;
    assert!(v["provenance"]["cross_check"].is_null());
}
