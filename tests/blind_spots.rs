//! Lies the rest of the suite let through (issue 22), each guarded here against the stand-in
//! API, through one long-lived `Toolbox` per case (the session cache lives as long as it):
//!
//! - a refused or failed paid call is never kept in the session cache: asked again, by the
//!   same tool or (an IBAN) by another, it is asked again and stays non-full with its reason —
//!   every reason class the stand-in can produce, every tool, batch rows too;
//! - the free format endpoint is read like a paid one: bounded in size and time, its faults
//!   leave the answer local with the *paid* call's reason, and it never sees the key;
//! - every outcome of the offline engine's second opinion (`cross_check`) has a fixture.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::tools::{CallContext, Toolbox};
use ibanforge_stand_in::{Fault, FreeFault, KeyKind, StandIn};
use serde_json::{Value, json};

const DE89: &str = "DE89370400440532013000";
const CH10: &str = "CH1000230000000012345";
/// Angola: an aspirational IBAN country. The local registry (aspirational countries off)
/// does not know it; the free format endpoint does.
const AO: &str = "AO06004400006729503010102";

async fn call(t: &Toolbox, tool: &str, args: &Value) -> (String, Value) {
    let (label, v, _) =
        common::toolbox_answer(t, tool, args.clone(), &CallContext::default()).await;
    (label, v)
}

fn settings(base: &str, key: Option<&str>, timeout: Duration) -> Settings {
    Settings {
        api_key: key.and_then(ApiKey::new),
        api_base: base.to_string(),
        timeout,
        ..Settings::default()
    }
}

// ---------------------------------------------------------------------------------------
// Refused answers are never cached.

/// One reason class: how the stand-in is set up to produce it, and what the answer says.
struct Case {
    name: &'static str,
    key: Option<KeyKind>,
    fault: Fault,
    /// Another base than the stand-in (no request reaches the stand-in then).
    base: Option<String>,
    timeout: Duration,
    mode: &'static str,
    reason: &'static str,
}

fn case(name: &'static str, key: Option<KeyKind>, fault: Fault, reason: &'static str) -> Case {
    Case {
        name,
        mode: if key.is_some() {
            "degraded"
        } else {
            "anonymous"
        },
        key,
        fault,
        base: None,
        timeout: Duration::from_secs(5),
        reason,
    }
}

fn good() -> Option<KeyKind> {
    Some(KeyKind::Quota {
        used: 0,
        limit: 1000,
    })
}

fn cases() -> Vec<Case> {
    vec![
        case("no key", None, Fault::None, "no_api_key"),
        case(
            "quota exhausted",
            Some(KeyKind::Quota {
                used: 200,
                limit: 200,
            }),
            Fault::None,
            "monthly_quota_exhausted",
        ),
        case(
            "credits exhausted",
            Some(KeyKind::Credits {
                remaining: 0,
                total: 100,
            }),
            Fault::None,
            "credits_exhausted",
        ),
        case(
            "invalid key (402)",
            Some(KeyKind::Invalid402),
            Fault::None,
            "invalid_api_key",
        ),
        case(
            "invalid key (401)",
            Some(KeyKind::Invalid401),
            Fault::None,
            "invalid_api_key",
        ),
        case(
            "a cause never heard of",
            Some(KeyKind::UnknownCause),
            Fault::None,
            "account_under_review",
        ),
        case(
            "a 402 with no cause",
            Some(KeyKind::NoCause),
            Fault::None,
            "payment_required",
        ),
        case(
            "legacy x402 v1",
            good(),
            Fault::Legacy402,
            "payment_required",
        ),
        case("429", good(), Fault::RateLimited, "rate_limited"),
        case("500", good(), Fault::Status500, "api_error"),
        case("redirect", good(), Fault::Redirect, "api_error"),
        case("garbage", good(), Fault::Garbage, "invalid_api_response"),
        case("HTML", good(), Fault::Html, "invalid_api_response"),
        case("past the cap", good(), Fault::Huge, "invalid_api_response"),
        Case {
            timeout: Duration::from_millis(1500),
            ..case(
                "slower than the deadline",
                good(),
                Fault::Slow(Duration::from_secs(30)),
                "api_unreachable",
            )
        },
        Case {
            base: Some(common::closed_port_base()),
            ..case("nothing listening", good(), Fault::None, "api_unreachable")
        },
        Case {
            base: Some("http://api.example.invalid".into()),
            ..case(
                "plain http to a remote host",
                good(),
                Fault::None,
                "insecure_api_base",
            )
        },
    ]
}

/// A non-full answer with this mode and reason, not from the API, not from the cache — and,
/// for a batch, no row either.
fn assert_refused(what: &str, label: &str, v: &Value, mode: &str, reason: &str) {
    let p = &v["provenance"];
    assert_eq!(p["mode"], mode, "{what}: {p}");
    assert_eq!(p["reason"], reason, "{what}: {p}");
    assert_ne!(p["source"], "api", "{what}: {p}");
    assert!(p["cache"].is_null(), "{what}: served from the cache: {p}");
    assert!(p["cross_check"].is_null(), "{what}: {p}");
    let prefix = if mode == "anonymous" {
        "ANONYMOUS MODE — "
    } else {
        "DEGRADED RESULT — "
    };
    assert!(label.starts_with(prefix), "{what}: {label}");
    assert!(!label.contains("session's cache"), "{what}: {label}");
    assert!(v.get("served_by").is_none(), "{what}: the API's marker");
    for row in v["results"].as_array().into_iter().flatten() {
        let r = &row["provenance"];
        assert_eq!(
            (r["mode"].as_str(), r["reason"].as_str()),
            (Some(mode), Some(reason)),
            "{what}: row {r}"
        );
        assert_eq!(r["source"], "local", "{what}: row {r}");
        assert!(r["cache"].is_null(), "{what}: a row from the cache: {r}");
        assert!(
            row.get("served_by").is_none(),
            "{what}: row with the marker"
        );
    }
}

#[tokio::test]
async fn refused_answers_are_never_cached_nor_served_again_as_full() {
    let questions = [
        ("batch_validate_iban", json!({"ibans": [DE89, CH10]})),
        // The batch's first row, asked by another tool: batch rows share the cache.
        ("validate_iban", json!({"iban": DE89})),
        ("check_compliance", json!({"iban": DE89})),
        ("lookup_bic", json!({"bic": "UBSWCHZH80A"})),
        ("lookup_ch_clearing", json!({"iid": "230"})),
    ];
    for (n, c) in cases().into_iter().enumerate() {
        let api = StandIn::spawn();
        api.set_fault(c.fault.clone());
        let key = c.key.as_ref().map(|kind| {
            let key = format!("ifk_refused_{n}_secret");
            api.add_key(&key, kind.clone());
            key
        });
        let reaches_stand_in = c.base.is_none();
        let base = c.base.clone().unwrap_or_else(|| api.base.clone());
        // One toolbox for the whole case: one session cache.
        let t = Toolbox::new(Arc::new(settings(&base, key.as_deref(), c.timeout)));
        for (tool, args) in &questions {
            for attempt in 1..=2 {
                let what = format!("{} × {tool} × call {attempt}", c.name);
                let before = api.paid_route_requests();
                let started = Instant::now();
                let (label, v) = call(&t, tool, args).await;
                assert!(
                    started.elapsed() < c.timeout + Duration::from_secs(8),
                    "{what}: took {:?}",
                    started.elapsed()
                );
                assert_refused(&what, &label, &v, c.mode, c.reason);
                let asked = api.paid_route_requests() - before;
                assert_eq!(
                    asked,
                    usize::from(reaches_stand_in),
                    "{what}: requests the stand-in saw (asked again, not served from the cache)"
                );
                if let Some(k) = &key {
                    assert_eq!(api.units_debited(k), 0, "{what}");
                    assert!(!v.to_string().contains(k.as_str()), "{what}: the key");
                }
            }
        }
    }
}

/// A batch partly paid ("spend what is left"): the paid rows are cached, the refused ones are
/// not — asked again, only the refused rows are sent, and they stay local.
#[tokio::test]
async fn a_partly_paid_batch_caches_only_its_paid_rows() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_partly",
        KeyKind::Quota {
            used: 198,
            limit: 200,
        },
    );
    let ibans = [
        "DE89370400440532013000",
        "DE62370400440532013001",
        "DE35370400440532013002",
        "DE08370400440532013003",
    ];
    let t = Toolbox::new(Arc::new(settings(
        &api.base,
        Some("ifk_partly"),
        Duration::from_secs(5),
    )));
    let args = json!({ "ibans": ibans });
    let (_, b) = call(&t, "batch_validate_iban", &args).await;
    assert_eq!(api.paid_requests("ifk_partly"), 2, "refused, then 2 rows");
    let modes: Vec<&str> = b["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["provenance"]["mode"].as_str().unwrap())
        .collect();
    assert_eq!(modes, ["full", "full", "degraded", "degraded"]);

    // Again: the two paid rows from the cache, the two refused ones asked again (now the
    // quota is spent: exhausted), still local.
    let (label, b) = call(&t, "batch_validate_iban", &args).await;
    assert_eq!(
        api.paid_requests("ifk_partly"),
        3,
        "only the unpaid rows are asked"
    );
    let sent: Value = serde_json::from_str(&api.requests().last().unwrap().body).unwrap();
    assert_eq!(
        sent["ibans"],
        json!(ibans[2..]),
        "the refused rows, asked again"
    );
    let rows = b["results"].as_array().unwrap();
    for (i, row) in rows.iter().enumerate() {
        let p = &row["provenance"];
        if i < 2 {
            assert_eq!(
                (p["mode"].as_str(), p["cache"]["hit"].as_bool()),
                (Some("full"), Some(true)),
                "{p}"
            );
        } else {
            assert_eq!(p["mode"], "degraded", "{p}");
            assert_eq!(p["reason"], "monthly_quota_exhausted", "{p}");
            assert_eq!(p["source"], "local", "{p}");
            assert!(p["cache"].is_null(), "{p}");
        }
    }
    assert_eq!(b["provenance"]["mode"], "degraded");
    assert!(
        label.starts_with("DEGRADED RESULT — 2 of 4 answered in full"),
        "{label}"
    );

    // A refused row asked alone is asked alone, and stays degraded.
    let (label, v) = call(&t, "validate_iban", &json!({"iban": ibans[3]})).await;
    assert_refused(
        "validate_iban after the batch",
        &label,
        &v,
        "degraded",
        "monthly_quota_exhausted",
    );
    assert_eq!(api.paid_requests("ifk_partly"), 4);
    // A paid row asked alone comes from the cache.
    let (_, v) = call(&t, "validate_iban", &json!({"iban": ibans[0]})).await;
    assert_eq!(v["provenance"]["cache"]["hit"], true);
    assert_eq!(api.paid_requests("ifk_partly"), 4);
}

// ---------------------------------------------------------------------------------------
// The free format endpoint, broken.

fn assert_key_never_sent_to_free_endpoint(api: &StandIn, key: &str) {
    let free = api.free_requests();
    assert!(!free.is_empty(), "the free endpoint was asked");
    for r in free {
        assert!(
            r.header("authorization").is_none() && r.header("x-api-key").is_none(),
            "the free endpoint got a key header: {}",
            r.text()
        );
        assert!(!r.text().contains(key), "the free endpoint saw the key");
    }
}

#[tokio::test]
async fn a_broken_free_endpoint_degrades_cleanly_within_the_deadline_without_the_key() {
    const KEY: &str = "ifk_free_faults_secret";
    const TIMEOUT: Duration = Duration::from_millis(2000);
    const SLACK: Duration = Duration::from_secs(6);
    let api = StandIn::spawn();
    api.add_key(KEY, KeyKind::Invalid402);
    let args = json!({ "iban": AO });

    // Working: the paid call is refused, the free endpoint answers the format check.
    let t = Toolbox::new(Arc::new(settings(&api.base, Some(KEY), TIMEOUT)));
    let (_, v) = call(&t, "validate_iban", &args).await;
    let p = &v["provenance"];
    assert_eq!(
        (
            p["mode"].as_str(),
            p["source"].as_str(),
            p["reason"].as_str()
        ),
        (
            Some("degraded"),
            Some("free_format_endpoint"),
            Some("invalid_api_key")
        ),
        "{p}"
    );
    assert_eq!(v["valid"], true);
    let paid_detail = p["detail"].clone();
    assert_key_never_sent_to_free_endpoint(&api, KEY);

    for fault in [
        FreeFault::Status500,
        FreeFault::Garbage,
        FreeFault::Html,
        FreeFault::Huge,
        FreeFault::HugeChunked,
        FreeFault::Slow(Duration::from_secs(30)),
    ] {
        api.set_free_fault(fault.clone());
        api.clear_log();
        let abandoned = api.abandoned();
        // A new session each time: nothing cached can stand in for the free endpoint.
        let t = Toolbox::new(Arc::new(settings(&api.base, Some(KEY), TIMEOUT)));
        let started = Instant::now();
        let (label, v) = call(&t, "validate_iban", &args).await;
        let took = started.elapsed();
        let p = &v["provenance"];
        assert!(took < TIMEOUT + SLACK, "{fault:?}: took {took:?}");
        assert_eq!(p["source"], "local", "{fault:?}: {p}");
        assert_eq!(p["mode"], "degraded", "{fault:?}: {p}");
        assert_eq!(
            p["reason"], "invalid_api_key",
            "{fault:?}: the paid call's reason, not the free endpoint's: {p}"
        );
        assert_eq!(p["detail"], paid_detail, "{fault:?}: {p}");
        assert_eq!(v["valid"], false, "{fault:?}: the local engine's verdict");
        assert_eq!(v["error"], "unsupported_country", "{fault:?}");
        assert!(
            label.starts_with("DEGRADED RESULT — "),
            "{fault:?}: {label}"
        );
        assert!(!v.to_string().contains("stand_in_padding"), "{fault:?}");
        assert_eq!(api.free_requests().len(), 1, "{fault:?}: asked once");
        assert_key_never_sent_to_free_endpoint(&api, KEY);
        if let FreeFault::Slow(_) = fault {
            // The slow request was dropped with the call, not left running.
            let waited = Instant::now();
            while api.abandoned() == abandoned && waited.elapsed() < Duration::from_secs(10) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            assert_eq!(
                api.abandoned(),
                abandoned + 1,
                "the free request was dropped"
            );
        }
    }

    // Keyless too: anonymous, no key anywhere, the answer local.
    api.set_free_fault(FreeFault::Huge);
    let t = Toolbox::new(Arc::new(settings(&api.base, None, TIMEOUT)));
    let (_, v) = call(&t, "validate_iban", &args).await;
    let p = &v["provenance"];
    assert_eq!(
        (
            p["mode"].as_str(),
            p["source"].as_str(),
            p["reason"].as_str()
        ),
        (Some("anonymous"), Some("local"), Some("no_api_key")),
        "{p}"
    );
}

// ---------------------------------------------------------------------------------------
// Every cross-check outcome.

/// (IBAN, status, local_valid, a word the rule names, what the case is).
const CROSS_CHECKS: [(&str, &str, Option<bool>, &str, &str); 6] = [
    (
        DE89,
        "agree",
        Some(true),
        "Bundesbank method 13",
        "both valid",
    ),
    (
        "DE89370400440532013001",
        "agree",
        Some(false),
        "mod-97",
        "both invalid",
    ),
    (
        "FR4930006000011234567890190",
        "disagree",
        Some(false),
        "French RIB key",
        "API valid, local invalid (national check digits)",
    ),
    (
        // The stand-in, like a hosted API without the French overseas prefixes, does not know
        // GF; the local registry lists it with France's format.
        "GF121234512345123456789AB13",
        "disagree",
        Some(true),
        "unsupported_country",
        "API invalid, local valid",
    ),
    (
        // Bank code 37040099: verified by the stand-in's register, absent from the embedded
        // (official, authoritative) Bundesbank file.
        "DE74370400990532013000",
        "disagree",
        Some(true),
        "bank-code register",
        "bank code not in the official register",
    ),
    (
        AO,
        "not_checked",
        None,
        "",
        "a country the offline registry lacks",
    ),
];

fn assert_cross_check(what: &str, v: &Value, status: &str, local: Option<bool>, rule: &str) {
    let x = &v["provenance"]["cross_check"];
    assert_eq!(x["status"], status, "{what}: {x}");
    assert_eq!(x["local_valid"].as_bool(), local, "{what}: {x}");
    if rule.is_empty() {
        assert!(x["rule"].is_null(), "{what}: {x}");
    } else {
        assert!(
            x["rule"].as_str().is_some_and(|r| r.contains(rule)),
            "{what}: rule should name {rule:?}: {x}"
        );
    }
    assert!(x["detail"].is_string(), "{what}: {x}");
}

#[tokio::test]
async fn every_cross_check_outcome_has_a_fixture() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_cross",
        KeyKind::Quota {
            used: 0,
            limit: 1000,
        },
    );
    let t = Toolbox::new(Arc::new(settings(
        &api.base,
        Some("ifk_cross"),
        Duration::from_secs(10),
    )));
    for (iban, status, local, rule, what) in CROSS_CHECKS {
        let (label, v) = call(&t, "validate_iban", &json!({ "iban": iban })).await;
        assert_eq!(v["provenance"]["mode"], "full", "{what}");
        assert_eq!(v["served_by"], "stand-in", "{what}: the API's answer");
        assert_cross_check(what, &v, status, local, rule);
        if what == "both valid" {
            // What was checked, named: the bank code is in the embedded register too.
            let x = &v["provenance"]["cross_check"];
            assert!(
                x["rule"]
                    .as_str()
                    .is_some_and(|r| r.contains("mod-97") && r.contains("bank-code register")),
                "{x}"
            );
        }
        assert_eq!(
            label.contains("WARNING: the offline engine disagrees"),
            status == "disagree",
            "{what}: {label}"
        );
        // The API's verdict stands, whatever the engine thinks.
        let api_valid = !matches!(what, "both invalid" | "API invalid, local valid");
        assert_eq!(v["valid"].as_bool(), Some(api_valid), "{what}");
        let (_, c) = call(&t, "check_compliance", &json!({ "iban": iban })).await;
        assert_eq!(c["provenance"]["mode"], "full", "{what}");
        assert_cross_check(&format!("{what} (compliance)"), &c, status, local, rule);
    }
    // Batch rows, each with its own second opinion (a new session: not from the cache).
    let t = Toolbox::new(Arc::new(settings(
        &api.base,
        Some("ifk_cross"),
        Duration::from_secs(10),
    )));
    let ibans: Vec<&str> = CROSS_CHECKS.iter().map(|c| c.0).collect();
    let (label, b) = call(&t, "batch_validate_iban", &json!({ "ibans": ibans })).await;
    let rows = b["results"].as_array().unwrap();
    assert_eq!(rows.len(), CROSS_CHECKS.len());
    for (row, (_, status, local, rule, what)) in rows.iter().zip(CROSS_CHECKS) {
        assert!(row["provenance"]["cache"].is_null(), "{what}");
        assert_cross_check(&format!("{what} (row)"), row, status, local, rule);
    }
    assert!(label.contains("disagrees with the API on row"), "{label}");
}
