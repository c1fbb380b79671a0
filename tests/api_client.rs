//! The hosted-API path beyond the matrix: quota running out mid-session, one request per
//! batch with duplicates sent once, no retries for POST, the headers the API sees, a key
//! withheld from a plain-http remote base, and `doctor`.

mod common;

use std::process::Command as StdCommand;
use std::sync::Arc;
use std::time::Duration;

use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::tools::{CallContext, Toolbox};
use ibanforge_stand_in::{Fault, KeyKind, StandIn};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_ibanforge-mcp");

/// The session cache is off here: these tests count the requests each call makes (the
/// cache's own tests are in tests/budget.rs).
fn settings(api: &StandIn, key: Option<&str>) -> Settings {
    Settings {
        cache_entries: 0,
        api_key: key.and_then(ApiKey::new),
        api_base: api.base.clone(),
        timeout: Duration::from_millis(3_000),
        ..Settings::default()
    }
}

async fn call(toolbox: &Toolbox, tool: &str, args: Value) -> Value {
    let context = CallContext {
        client: Some("test-client/9.9".into()),
    };
    common::toolbox_answer(toolbox, tool, args, &context)
        .await
        .1
}

#[tokio::test]
async fn quota_runs_out_mid_session_and_the_answers_say_so() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_three_left",
        KeyKind::Quota {
            used: 197,
            limit: 200,
        },
    );
    let toolbox = Toolbox::new(Arc::new(settings(&api, Some("ifk_three_left"))));
    for i in 0..3 {
        let v = call(
            &toolbox,
            "validate_iban",
            json!({"iban": "CH10 0023 0000 0000 1234 5"}),
        )
        .await;
        assert_eq!(v["provenance"]["mode"], "full", "call {i}");
        assert_eq!(
            v["provenance"]["quota"]["used"],
            198 + i,
            "usage headers are reported"
        );
        assert_eq!(
            v["issuer"]["type"], "bank",
            "a full answer has what only the API knows"
        );
    }
    let v = call(
        &toolbox,
        "validate_iban",
        json!({"iban": "CH10 0023 0000 0000 1234 5"}),
    )
    .await;
    let p = &v["provenance"];
    assert_eq!(p["mode"], "degraded");
    assert_eq!(p["reason"], "monthly_quota_exhausted");
    assert_eq!(p["upstream_status"], 402);
    assert_eq!(
        p["quota"],
        json!({"used": 200, "limit": 200, "month": "2026-11", "resets": "1st of month", "required": 1, "remaining": 0})
    );
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("200/200 requests used")
    );
    let kinds: Vec<&str> = p["unlock"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["free_key", "credit_pack", "x402"]);
    assert_eq!(v["valid"], true, "the degraded answer is still useful");
    assert_eq!(v["bic"]["code"], "UBSWCHZH80A");
}

#[tokio::test]
async fn a_batch_is_one_request_with_duplicates_sent_once() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_batch",
        KeyKind::Quota {
            used: 0,
            limit: 200,
        },
    );
    let toolbox = Toolbox::new(Arc::new(settings(&api, Some("ifk_batch"))));
    let ibans = [
        "CH10 0023 0000 0000 1234 5",
        "DE89370400440532013000",
        "ch1000230000000012345",
        "CH9400762011623852957",
    ];
    let v = call(&toolbox, "batch_validate_iban", json!({ "ibans": ibans })).await;
    assert_eq!(v["provenance"]["mode"], "full");
    assert_eq!(v["count"], 4);
    assert_eq!(v["valid_count"], 3);
    let results = v["results"].as_array().unwrap();
    assert_eq!(
        results[0], results[2],
        "a duplicate maps back to every position"
    );
    assert_eq!(results[3]["error"], "checksum_failed");
    let posts: Vec<_> = api
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/iban/batch")
        .collect();
    assert_eq!(posts.len(), 1, "one request per batch");
    let sent: Value = serde_json::from_str(&posts[0].body).unwrap();
    assert_eq!(
        sent["ibans"],
        json!([
            "CH1000230000000012345",
            "DE89370400440532013000",
            "CH9400762011623852957"
        ])
    );
    assert!(
        matches!(api.key("ifk_batch"), Some(KeyKind::Quota { used: 3, .. })),
        "3 units, not 4"
    );

    // Refused: answered locally in one pass, never one call per IBAN.
    api.clear_log();
    api.add_key(
        "ifk_batch_empty",
        KeyKind::Quota {
            used: 200,
            limit: 200,
        },
    );
    let toolbox = Toolbox::new(Arc::new(settings(&api, Some("ifk_batch_empty"))));
    let v = call(&toolbox, "batch_validate_iban", json!({ "ibans": ibans })).await;
    assert_eq!(v["provenance"]["mode"], "degraded");
    assert_eq!(v["count"], 4);
    assert_eq!(
        api.requests().len(),
        1,
        "no fan-out: {:?}",
        api.requests().iter().map(|r| &r.path).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn posts_are_not_retried_and_requests_carry_the_right_headers() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_headers",
        KeyKind::Quota {
            used: 0,
            limit: 200,
        },
    );
    let toolbox = Toolbox::new(Arc::new(settings(&api, Some("ifk_headers"))));
    call(&toolbox, "lookup_bic", json!({"bic": "ubswchzh80a"})).await;
    let r = api.requests().pop().unwrap();
    assert_eq!(
        r.path, "/v1/bic/UBSWCHZH80A",
        "the BIC is upper-cased in the path"
    );
    assert_eq!(r.header("authorization"), Some("Bearer ifk_headers"));
    assert_eq!(r.header("accept"), Some("application/json"));
    let ua = r.header("user-agent").unwrap();
    assert!(
        ua.starts_with(&format!("ibanforge-mcp/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    assert!(
        ua.contains("test-client/9.9"),
        "the MCP client is named: {ua}"
    );

    api.clear_log();
    api.set_fault(Fault::Status500);
    let v = call(
        &toolbox,
        "validate_iban",
        json!({"iban": "CH1000230000000012345"}),
    )
    .await;
    assert_eq!(v["provenance"]["reason"], "api_error");
    assert_eq!(v["provenance"]["upstream_status"], 500);
    assert_eq!(
        api.requests().iter().filter(|r| r.method == "POST").count(),
        1,
        "POST is never retried"
    );
}

#[tokio::test]
async fn the_mcp_client_name_reaches_the_user_agent() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_ua",
        KeyKind::Quota {
            used: 0,
            limit: 200,
        },
    );
    let client = common::session(settings(&api, Some("ifk_ua"))).await;
    let r = common::call(&client, "lookup_ch_clearing", json!({"iid": "230"})).await;
    let (label, v) = common::answer("lookup_ch_clearing", &r);
    assert_eq!(v["provenance"]["mode"], "full");
    assert_eq!(
        v["payment_services"]["sic"], true,
        "the API knows what the local data cannot"
    );
    assert!(label.starts_with("IID 00230 is UBS"), "{label}");
    let ua = api
        .requests()
        .pop()
        .unwrap()
        .header("user-agent")
        .unwrap()
        .to_string();
    assert!(ua.contains("mcp-client: rmcp/"), "{ua}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_key_is_never_sent_over_plain_http_to_a_remote_host() {
    let toolbox = Toolbox::new(Arc::new(Settings {
        api_key: ApiKey::new("ifk_must_not_travel"),
        api_base: "http://api.example.invalid".into(),
        ..Settings::default()
    }));
    assert!(toolbox.key_withheld());
    let v = call(
        &toolbox,
        "validate_iban",
        json!({"iban": "CH1000230000000012345"}),
    )
    .await;
    let p = &v["provenance"];
    assert_eq!(p["mode"], "degraded");
    assert_eq!(p["reason"], "insecure_api_base");
    assert_eq!(p["unlock"][0]["kind"], "use_https");
    assert!(!v.to_string().contains("ifk_must_not_travel"));

    // And the server says so on stderr when it starts.
    let out = StdCommand::new(BIN)
        .env_clear()
        .env("IBANFORGE_API_KEY", "ifk_must_not_travel")
        .env("IBANFORGE_API_BASE", "http://api.example.invalid")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the API key will not be sent"), "{err}");
    assert!(!err.contains("ifk_must_not_travel"));
    assert!(out.stdout.is_empty());
}

fn doctor(api: &StandIn, key: &str) -> (i32, String) {
    let out = StdCommand::new(BIN)
        .env_clear()
        .env("IBANFORGE_API_BASE", &api.base)
        .env("IBANFORGE_API_KEY", key)
        .arg("doctor")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[tokio::test]
async fn doctor_reports_settings_reachability_and_key_state() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_doctor_good_secret",
        KeyKind::Quota {
            used: 12,
            limit: 200,
        },
    );
    api.add_key(
        "ifk_doctor_empty_secret",
        KeyKind::Quota {
            used: 200,
            limit: 200,
        },
    );
    let (code, out) = doctor(&api, "ifk_doctor_good_secret");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ifk_doct…"), "{out}");
    assert!(
        !out.contains("ifk_doctor_good_secret"),
        "only 8 characters of the key are shown"
    );
    assert!(out.contains("environment variable IBANFORGE_API_KEY"));
    assert!(out.contains("12 of 200 requests used"), "{out}");
    assert!(out.contains("Verdict: healthy"), "{out}");

    let (code, out) = doctor(&api, "ifk_doctor_empty_secret");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("monthly quota is used up"), "{out}");

    let (code, out) = doctor(&api, "ifk_unknown_key");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("rejects the configured key"), "{out}");

    let out = StdCommand::new(BIN)
        .env_clear()
        .env("IBANFORGE_API_BASE", "http://127.0.0.1:1")
        .arg("doctor")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("cannot be reached"));

    let out = StdCommand::new(BIN)
        .env_clear()
        .env("IBANFORGE_OFFLINE", "1")
        .arg("doctor")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("offline mode is on"));
}

#[tokio::test]
async fn a_cancelled_mcp_request_drops_its_http_request() {
    use rmcp::model::{CallToolRequest, CallToolRequestParams, ClientRequest};
    use rmcp::service::PeerRequestOptions;

    let api = StandIn::spawn();
    api.add_key(
        "ifk_cancel",
        KeyKind::Quota {
            used: 0,
            limit: 200,
        },
    );
    api.set_fault(Fault::Slow(Duration::from_secs(20)));
    let mut s = settings(&api, Some("ifk_cancel"));
    s.timeout = Duration::from_secs(30);
    let client = common::session(s).await;
    let params = CallToolRequestParams::new("lookup_bic")
        .with_arguments(json!({"bic": "UBSWCHZH80A"}).as_object().unwrap().clone());
    let handle = client
        .peer()
        .send_cancellable_request(
            ClientRequest::CallToolRequest(CallToolRequest::new(params)),
            PeerRequestOptions::no_options(),
        )
        .await
        .unwrap();
    // Wait until the HTTP request has reached the stand-in, then cancel the MCP request.
    let started = std::time::Instant::now();
    while !api
        .requests()
        .iter()
        .any(|r| r.path.starts_with("/v1/bic/"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the call never reached the API"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    handle.cancel(Some("user gave up".into())).await.unwrap();
    while api.abandoned() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the HTTP request outlived its cancelled MCP request"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The session goes on.
    api.set_fault(Fault::None);
    let r = common::call(&client, "lookup_bic", json!({"bic": "UBSWCHZH80A"})).await;
    assert_eq!(r.structured_content.unwrap()["provenance"]["mode"], "full");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn the_2_mib_cap_refuses_a_well_formed_answer_past_it_and_only_that() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_cap",
        KeyKind::Quota {
            used: 0,
            limit: 200,
        },
    );
    let toolbox = Toolbox::new(Arc::new(settings(&api, Some("ifk_cap"))));
    let ask = || {
        call(
            &toolbox,
            "validate_iban",
            json!({"iban": "CH10 0023 0000 0000 1234 5"}),
        )
    };
    // Just under the cap: the same padded answer is a full one (so the padding itself is fine).
    api.set_fault(Fault::PaddedTo(2 * 1024 * 1024 - 64 * 1024));
    let v = ask().await;
    assert_eq!(v["provenance"]["mode"], "full", "{}", v["provenance"]);
    assert_eq!(v["served_by"], "stand-in");
    assert!(v["stand_in_padding"].as_str().unwrap().len() > 1024 * 1024);
    // Past it, announced with Content-Length or streamed chunked: refused, and the detail
    // names the cap.
    for fault in [Fault::Huge, Fault::HugeChunked] {
        api.set_fault(fault.clone());
        let v = ask().await;
        let p = &v["provenance"];
        assert_eq!(p["mode"], "degraded", "{fault:?}: {p}");
        assert_eq!(p["reason"], "invalid_api_response", "{fault:?}: {p}");
        assert!(
            p["detail"].as_str().unwrap().contains("2 MiB"),
            "{fault:?}: {p}"
        );
        assert!(v.get("served_by").is_none(), "{fault:?}: the local answer");
        assert_eq!(v["valid"], true, "{fault:?}: still a useful answer");
    }
}

#[tokio::test]
async fn usage_headers_reach_the_provenance_and_the_stand_in_counts_the_requests() {
    let api = StandIn::spawn();
    // 85 % used and no X-Quota-Notice: the numbers alone say the wall is near.
    api.add_key("ifk_85", KeyKind::quota_at_percent(85, 200));
    api.add_key(
        "ifk_credits",
        KeyKind::Credits {
            remaining: 50,
            total: 1000,
        },
    );
    let toolbox = Toolbox::new(Arc::new(settings(&api, Some("ifk_85"))));
    let v = call(
        &toolbox,
        "check_compliance",
        json!({"iban": "DE89370400440532013000"}),
    )
    .await;
    let q = &v["provenance"]["quota"];
    assert_eq!(q["used"], 171, "{q}");
    assert_eq!(q["limit"], 200, "{q}");
    assert_eq!(q["remaining"], 29, "{q}");
    assert_eq!(q["month"], "2026-11", "{q}");
    assert!(q.get("notice").is_none(), "no notice header was sent: {q}");
    let request = api.requests().pop().unwrap();
    assert_eq!(request.path, "/v1/iban/compliance");
    assert_eq!(api.paid_requests("ifk_85"), 1);
    assert_eq!(api.units_debited("ifk_85"), 1);

    let toolbox = Toolbox::new(Arc::new(settings(&api, Some("ifk_credits"))));
    let v = call(
        &toolbox,
        "batch_validate_iban",
        json!({"ibans": ["CH1000230000000012345", "DE89370400440532013000"]}),
    )
    .await;
    assert_eq!(v["provenance"]["mode"], "full");
    assert_eq!(v["provenance"]["credits"]["remaining"], 48);
    assert_eq!(api.stats("ifk_credits").units_debited, 2);
    assert_eq!(api.stats("ifk_credits").batch_rows_sent, 2);
    assert!(
        matches!(
            api.key("ifk_credits"),
            Some(KeyKind::Credits { remaining: 48, .. })
        ),
        "two credits, one per IBAN"
    );
}
