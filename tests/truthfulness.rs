//! The fallback chain's choices, each seen from the outside (the stand-in API's request log,
//! the provenance, the label), written to kill the mutants `cargo mutants`
//! (scripts/mutants.sh) found alive in `src/tools/policy.rs`: a chain that asks one source
//! too many, skips the free endpoint, or retries a batch it should not, still answers — only
//! a test that looks at what was asked and what was said can tell.

mod common;

use std::sync::Arc;
use std::time::Duration;

use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::tools::{CallContext, Toolbox};
use ibanforge_stand_in::{KeyKind, StandIn};
use serde_json::{Value, json};

/// Angola: not in the offline registry, known to the free format endpoint.
const AO: &str = "AO06004400006729503010102";

fn settings(api: &StandIn, key: Option<&str>) -> Settings {
    Settings {
        api_key: key.and_then(ApiKey::new),
        api_base: api.base.clone(),
        timeout: Duration::from_secs(20),
        ..Settings::default()
    }
}

/// (label, structured).
async fn call(t: &Toolbox, tool: &str, args: Value) -> (String, Value) {
    let (label, structured, _) =
        common::toolbox_answer(t, tool, args, &CallContext::default()).await;
    (label, structured)
}

fn paths(api: &StandIn) -> Vec<String> {
    api.requests().iter().map(|r| r.path.clone()).collect()
}

#[tokio::test]
async fn a_refused_lookup_asks_the_paid_route_once_and_nothing_else() {
    let api = StandIn::spawn();
    api.add_key("ifk_nocause", KeyKind::NoCause);
    let t = Toolbox::new(Arc::new(settings(&api, Some("ifk_nocause"))));
    for (tool, args, path) in [
        (
            "lookup_bic",
            json!({"bic": "COBADEFFXXX"}),
            "/v1/bic/COBADEFFXXX",
        ),
        (
            "lookup_ch_clearing",
            json!({"iid": "230"}),
            "/v1/ch/clearing/00230",
        ),
    ] {
        api.clear_log();
        let (label, v) = call(&t, tool, args).await;
        assert_eq!(v["provenance"]["mode"], "degraded", "{tool}: {label}");
        assert_eq!(v["provenance"]["source"], "local", "{tool}");
        assert_eq!(
            paths(&api),
            [path],
            "{tool}: the free format endpoint knows nothing about it"
        );
    }
}

#[tokio::test]
async fn a_refused_iban_the_engine_lacks_is_answered_by_the_free_endpoint_without_the_key() {
    let api = StandIn::spawn();
    for key in [None, Some("ifk_nocause")] {
        if let Some(k) = key {
            api.add_key(k, KeyKind::NoCause);
        }
        api.clear_log();
        let t = Toolbox::new(Arc::new(settings(&api, key)));
        let (label, v) = call(&t, "validate_iban", json!({ "iban": AO })).await;
        let p = &v["provenance"];
        assert_eq!(p["source"], "free_format_endpoint", "{key:?}: {p}");
        assert_eq!(
            p["mode"],
            if key.is_some() {
                "degraded"
            } else {
                "anonymous"
            }
        );
        assert_eq!(v["valid"], true, "{key:?}: {label}");
        let requests = api.requests();
        assert_eq!(
            requests.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
            ["/v1/iban/validate", "/v1/iban/format"]
        );
        assert_eq!(requests[1].header("authorization"), None, "never the key");
    }
}

const DE89: &str = "DE89370400440532013000";
const CH10: &str = "CH1000230000000012345";

#[tokio::test]
async fn a_batch_label_adds_only_what_is_true() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_plenty",
        KeyKind::Quota {
            used: 0,
            limit: 1000,
        },
    );
    let t = Toolbox::new(Arc::new(settings(&api, Some("ifk_plenty"))));
    // Fresh, all full, nothing cached, no disagreement, usage far from the wall: the
    // summary alone, and the API's price.
    let (label, b) = call(&t, "batch_validate_iban", json!({"ibans": [DE89, CH10]})).await;
    assert_eq!(label, "2 of 2 IBANs are valid");
    let cost = b["cost_usdc"].as_f64().expect("the API's cost");
    assert!((cost - 0.004).abs() < 1e-9, "{cost}");
    assert!(b["provenance"]["cache"].is_null());

    // Wholly from the cache: said once, at the top, with no per-row count.
    let (label, b) = call(&t, "batch_validate_iban", json!({"ibans": [CH10, DE89]})).await;
    assert!(
        label.starts_with("2 of 2 IBANs are valid — served from this session's cache, fetched "),
        "{label}"
    );
    assert!(!label.contains("rows served"), "{label}");
    assert_eq!(b["provenance"]["cache"]["hit"], true);
    assert_eq!(api.stats("ifk_plenty").requests, 1);

    // Without a key the batch is refused: every row local, and the label claims no full row.
    let t = Toolbox::new(Arc::new(settings(&api, None)));
    let (label, b) = call(&t, "batch_validate_iban", json!({"ibans": [DE89, CH10]})).await;
    assert!(label.starts_with("ANONYMOUS MODE — "), "{label}");
    assert!(!label.contains("answered in full"), "{label}");
    assert!(!label.contains("WARNING"), "{label}");
    assert!(
        label.ends_with(". 2 of 2 IBANs are valid"),
        "no empty note: {label}"
    );
    let p = &b["provenance"];
    assert_eq!(
        (p["mode"].as_str(), p["source"].as_str()),
        (Some("anonymous"), Some("local"))
    );
    assert!(
        !p["missing"].as_array().unwrap().is_empty(),
        "local rows lack fields: {p}"
    );
    for row in b["results"].as_array().unwrap() {
        assert_eq!(row["provenance"]["mode"], "anonymous", "{row}");
        assert_eq!(row["provenance"]["reason"], "no_api_key", "{row}");
    }
}

/// A hosted API that refuses every request with one fixed 402 body, and counts the
/// requests: the stand-in is consistent (one credit a row), so it cannot say "insufficient"
/// with too little left for even one row, nor contradict itself.
async fn refusing_api(body: Value) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    refusing_api_in_turn(vec![body]).await
}

/// Like [`refusing_api`], with one 402 body per request in turn (the last one repeats).
async fn refusing_api_in_turn(bodies: Vec<Value>) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let bodies: Vec<String> = bodies.iter().map(Value::to_string).collect();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let turn = seen.fetch_add(1, Ordering::SeqCst);
            let body = bodies[turn.min(bodies.len() - 1)].clone();
            tokio::spawn(async move {
                // Read the head and the announced body, then answer and close.
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    let Ok(n) = stream.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let response = format!(
                    "HTTP/1.1 402 Payment Required\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (base, count)
}

#[tokio::test]
async fn a_batch_is_retried_only_with_a_smaller_affordable_part() {
    use std::sync::atomic::Ordering;

    let five: Vec<&str> = vec![
        DE89,
        CH10,
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
    ];
    for (credits, why) in [
        // 15 credits for 5 rows is 3 a row; 2 left buy no row: nothing to retry with.
        (json!({"remaining": 2, "required": 15}), "affords no row"),
        // An API that contradicts itself (enough for every row): the same batch is not
        // sent again.
        (
            json!({"remaining": 100, "required": 5}),
            "affords every row",
        ),
    ] {
        let (base, requests) = refusing_api(json!({
            "error": "payment_required",
            "cause": {"reason": "credits_insufficient", "detail": "Not enough credits.", "credits": credits}
        }))
        .await;
        let t = Toolbox::new(Arc::new(Settings {
            api_key: ApiKey::new("ifk_test"),
            api_base: base,
            timeout: Duration::from_secs(20),
            ..Settings::default()
        }));
        let (label, b) = call(&t, "batch_validate_iban", json!({ "ibans": five })).await;
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "{why}: one request only"
        );
        assert_eq!(b["provenance"]["reason"], "credits_insufficient", "{why}");
        assert!(label.starts_with("DEGRADED RESULT — "), "{why}: {label}");
        assert!(
            b["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["provenance"]["mode"] == "degraded"),
            "{why}"
        );
    }
}

#[tokio::test]
async fn rows_of_a_refused_retry_say_the_retry_s_own_reason() {
    use std::sync::atomic::Ordering;

    let five = [
        DE89,
        CH10,
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
    ];
    // The batch is refused as too large (2 rows affordable); the retry with those 2 rows
    // is refused too, for another reason (the credits went meanwhile).
    let (base, requests) = refusing_api_in_turn(vec![
        json!({"cause": {"reason": "credits_insufficient", "detail": "Not enough credits.",
                         "credits": {"remaining": 2, "required": 5}}}),
        json!({"cause": {"reason": "credits_exhausted", "detail": "No credits left.",
                         "credits": {"remaining": 0}}}),
    ])
    .await;
    let t = Toolbox::new(Arc::new(Settings {
        api_key: ApiKey::new("ifk_test"),
        api_base: base,
        timeout: Duration::from_secs(20),
        ..Settings::default()
    }));
    let (_, b) = call(&t, "batch_validate_iban", json!({ "ibans": five })).await;
    assert_eq!(requests.load(Ordering::SeqCst), 2);
    let reasons: Vec<&str> = b["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["provenance"]["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "credits_exhausted",
            "credits_exhausted",
            "credits_insufficient",
            "credits_insufficient",
            "credits_insufficient"
        ]
    );
    assert_eq!(b["provenance"]["reason"], "credits_insufficient");
}
