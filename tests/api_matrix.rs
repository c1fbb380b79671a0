//! The degradation matrix: key states × upstream behaviours × the five tools, against the
//! stand-in API. Every cell checks mode, source, reason, label prefix, `missing`, schema
//! conformance, that a keyed user is never called anonymous, that the key appears in no
//! answer, no log line, no request to the free endpoint and nothing that reached the
//! redirect target, and that the call was bounded by its deadline (with slack for a busy
//! machine; an unbounded call would wait for the stand-in's minute-long answer).
//!
//! It also checks *whose* answer it is: every full cell, every tool, carries the stand-in's
//! marker (`"served_by": "stand-in"`, batch rows included) and the fields only the API has;
//! no fallback cell does. The stand-in does not share this crate's engine, so a local answer
//! stamped `full` cannot pass. And it checks what the stand-in counted: one paid request per
//! keyed call, units debited only for a full answer (one per distinct IBAN of a batch).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::tools::{CallContext, Outcome, Toolbox, registry};
use ibanforge_stand_in::{Fault, KeyKind, MARKER, StandIn};
use serde_json::{Value, json};

/// Generous: 45 calls run at once, each with a second request to the free endpoint, on a
/// shared 2-core machine; the Timeout cells wait exactly this long.
const TIMEOUT_MS: u64 = 4_000;
/// How much longer than its deadline a call may take on a loaded 2-core machine (45 calls at
/// once). Far below the stand-in's slow answer, so a call that ignored its deadline fails.
const SLACK_MS: u64 = 8_000;
/// The stand-in's "timeout" answer comes after this long.
const SLOW_MS: u64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum KeyState {
    None,
    Good,
    ExhaustedQuota,
    InsufficientQuota,
    ExhaustedCredits,
    Invalid402,
    Invalid401,
    UnknownCause,
    NoCause,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Upstream {
    Ok200,
    Legacy402,
    RateLimited,
    Error500,
    Timeout,
    Html,
    Garbage,
    Huge,
    Redirect,
    FreeEndpointDown,
    NothingListening,
}

const KEY_STATES: [KeyState; 9] = [
    KeyState::None,
    KeyState::Good,
    KeyState::ExhaustedQuota,
    KeyState::InsufficientQuota,
    KeyState::ExhaustedCredits,
    KeyState::Invalid402,
    KeyState::Invalid401,
    KeyState::UnknownCause,
    KeyState::NoCause,
];

const UPSTREAMS: [Upstream; 11] = [
    Upstream::Ok200,
    Upstream::Legacy402,
    Upstream::RateLimited,
    Upstream::Error500,
    Upstream::Timeout,
    Upstream::Html,
    Upstream::Garbage,
    Upstream::Huge,
    Upstream::Redirect,
    Upstream::FreeEndpointDown,
    Upstream::NothingListening,
];

/// Inputs per tool. `validate_iban` asks about an Angolan IBAN: the local registry keeps
/// aspirational countries off, the free endpoint knows them — so that path is exercised.
fn arguments(tool: &'static str) -> Value {
    match tool {
        "validate_iban" => json!({"iban": "AO06004400006729503010102"}),
        "batch_validate_iban" => {
            json!({"ibans": ["CH1000230000000012345", "DE89370400440532013000", "CH10 0023 0000 0000 1234 5"]})
        }
        "lookup_bic" => json!({"bic": "UBSWCHZH80A"}),
        "lookup_ch_clearing" => json!({"iid": "230"}),
        "check_compliance" => json!({"iban": "DE89370400440532013000"}),
        other => panic!("tests/api_matrix.rs has no arguments for `{other}`: add them above"),
    }
}

/// Every registered tool answered through the fallback chain — a read-only question that may
/// ask the API (open world): a tool added to the registry joins the matrix, and fails above
/// until it has arguments. Tools whose answer is the engine's (closed world) and tools that
/// change state (the key tools) have tests of their own.
fn tools_asking_the_api() -> Vec<&'static str> {
    let asks = registry::definitions()
        .into_iter()
        .filter(|d| {
            let a = d.annotations.as_ref();
            a.and_then(|a| a.open_world_hint) != Some(false)
                && a.and_then(|a| a.read_only_hint) == Some(true)
        })
        .map(|d| d.name.to_string())
        .collect::<Vec<_>>();
    let tools: Vec<&'static str> = registry::TOOLS
        .iter()
        .map(|e| e.name())
        .filter(|n| asks.iter().any(|a| a == n))
        .collect();
    assert!(tools.len() >= 5, "the five API tools: {tools:?}");
    tools
}

/// Units the paid call costs (the batch has two distinct IBANs: duplicates are sent once).
fn units(tool: &'static str) -> u64 {
    if tool == "batch_validate_iban" { 2 } else { 1 }
}

/// A batch refused as larger than what is left, then retried with the affordable rows
/// ("spend what is left"): two requests, the affordable row's unit debited, the batch
/// degraded with the API's reason, those rows full.
fn partly_paid(key: KeyState, up: Upstream, tool: &'static str) -> bool {
    key == KeyState::InsufficientQuota
        && tool == "batch_validate_iban"
        && matches!(up, Upstream::Ok200 | Upstream::FreeEndpointDown)
}

struct Expected {
    mode: &'static str,
    reason: Option<&'static str>,
    source: &'static str,
}

fn expected(key: KeyState, up: Upstream, tool: &'static str) -> Expected {
    let keyed = key != KeyState::None;
    let fail = if keyed { "degraded" } else { "anonymous" };
    let reason: Option<&'static str> = match up {
        Upstream::NothingListening | Upstream::Timeout => Some("api_unreachable"),
        Upstream::Error500 | Upstream::Redirect => Some("api_error"),
        Upstream::RateLimited => Some("rate_limited"),
        Upstream::Html | Upstream::Garbage | Upstream::Huge => Some("invalid_api_response"),
        Upstream::Legacy402 => Some(match key {
            KeyState::None => "no_api_key",
            KeyState::Invalid402 => "invalid_api_key",
            _ => "payment_required",
        }),
        Upstream::Ok200 | Upstream::FreeEndpointDown => match key {
            KeyState::None => Some("no_api_key"),
            KeyState::Good => None,
            KeyState::ExhaustedQuota => Some("monthly_quota_exhausted"),
            KeyState::InsufficientQuota => {
                (units(tool) > 1).then_some("monthly_quota_insufficient")
            }
            KeyState::ExhaustedCredits => Some("credits_exhausted"),
            KeyState::Invalid402 | KeyState::Invalid401 => Some("invalid_api_key"),
            KeyState::UnknownCause => Some("account_under_review"),
            KeyState::NoCause => Some("payment_required"),
        },
    };
    let Some(reason) = reason else {
        return Expected {
            mode: "full",
            reason: None,
            source: "api",
        };
    };
    let free_answers = tool == "validate_iban"
        && !matches!(
            up,
            Upstream::FreeEndpointDown | Upstream::NothingListening | Upstream::Timeout
        );
    Expected {
        mode: fail,
        reason: Some(reason),
        source: if free_answers {
            "free_format_endpoint"
        } else {
            "local"
        },
    }
}

fn key_kind(state: KeyState) -> Option<KeyKind> {
    match state {
        KeyState::None => None,
        KeyState::Good => Some(KeyKind::Quota {
            used: 0,
            limit: 1000,
        }),
        KeyState::ExhaustedQuota => Some(KeyKind::Quota {
            used: 200,
            limit: 200,
        }),
        KeyState::InsufficientQuota => Some(KeyKind::Quota {
            used: 199,
            limit: 200,
        }),
        KeyState::ExhaustedCredits => Some(KeyKind::Credits {
            remaining: 0,
            total: 1000,
        }),
        KeyState::Invalid402 => Some(KeyKind::Invalid402),
        KeyState::Invalid401 => Some(KeyKind::Invalid401),
        KeyState::UnknownCause => Some(KeyKind::UnknownCause),
        KeyState::NoCause => Some(KeyKind::NoCause),
    }
}

/// A log sink the test can read (the per-call outcome lines land here).
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_key_state_times_every_upstream_times_every_tool() {
    let logs = LogBuffer::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let api = StandIn::spawn();
    let dead_base = common::closed_port_base();
    let mut cells = 0;
    let mut keys_used: Vec<String> = Vec::new();
    for up in UPSTREAMS {
        api.set_fault(match up {
            Upstream::Legacy402 => Fault::Legacy402,
            Upstream::RateLimited => Fault::RateLimited,
            Upstream::Error500 => Fault::Status500,
            Upstream::Timeout => Fault::Slow(Duration::from_millis(SLOW_MS)),
            Upstream::Html => Fault::Html,
            Upstream::Garbage => Fault::Garbage,
            Upstream::Huge => Fault::Huge,
            Upstream::Redirect => Fault::Redirect,
            _ => Fault::None,
        });
        api.set_free_down(up == Upstream::FreeEndpointDown);
        let mut tasks = tokio::task::JoinSet::new();
        for key_state in KEY_STATES {
            for tool in tools_asking_the_api() {
                cells += 1;
                let key = format!("ifk_matrix_{cells:04}_secret");
                let key_value = key_kind(key_state).map(|kind| {
                    api.add_key(&key, kind);
                    keys_used.push(key.clone());
                    key.clone()
                });
                let settings = Settings {
                    api_key: key_value.as_deref().and_then(ApiKey::new),
                    api_base: if up == Upstream::NothingListening {
                        dead_base.clone()
                    } else {
                        api.base.clone()
                    },
                    timeout: Duration::from_millis(TIMEOUT_MS),
                    ..Settings::default()
                };
                tasks.spawn(async move {
                    let toolbox = Toolbox::new(Arc::new(settings));
                    let args = arguments(tool);
                    let started = Instant::now();
                    let outcome = toolbox
                        .call(
                            tool,
                            args.as_object(),
                            &CallContext {
                                client: Some("matrix-test/1".into()),
                            },
                        )
                        .await
                        .unwrap();
                    (key_state, tool, key_value, outcome, started.elapsed())
                });
            }
        }
        while let Some(done) = tasks.join_next().await {
            let (key_state, tool, key, outcome, elapsed) = done.unwrap();
            let cell = format!("{key_state:?} × {up:?} × {}", tool);
            let want = expected(key_state, up, tool);
            if let Some(key) = &key {
                // What the stand-in counted for this cell's key.
                let stats = api.stats(key);
                let partly = partly_paid(key_state, up, tool);
                let reached = u64::from(up != Upstream::NothingListening) + u64::from(partly);
                assert_eq!(
                    stats.requests, reached,
                    "{cell}: paid requests seen {stats:?}"
                );
                let debited = match (want.mode, partly) {
                    ("full", _) => units(tool),
                    (_, true) => 1,
                    _ => 0,
                };
                assert_eq!(
                    stats.units_debited, debited,
                    "{cell}: units debited {stats:?}"
                );
            }
            if partly_paid(key_state, up, tool) {
                check_partly_paid(&cell, &outcome);
            }
            check_cell(&cell, want, tool, key.as_deref(), &outcome, elapsed);
        }
        // Nothing with a key ever reached the free endpoint or the redirect target.
        for r in api
            .requests()
            .iter()
            .filter(|r| r.path == "/v1/iban/format")
        {
            assert!(
                r.header("authorization").is_none() && r.header("x-api-key").is_none(),
                "{up:?}: free endpoint got a key header: {}",
                r.text()
            );
            for k in &keys_used {
                assert!(
                    !r.text().contains(k.as_str()),
                    "{up:?}: free endpoint saw a key"
                );
            }
        }
        for r in api.redirected_requests() {
            for k in &keys_used {
                assert!(
                    !r.text().contains(k.as_str()),
                    "{up:?}: the redirect target saw a key: {}",
                    r.text()
                );
            }
        }
        if up == Upstream::Redirect {
            assert!(
                api.redirected_requests().is_empty(),
                "redirects are not followed"
            );
        }
        api.clear_log();
    }
    assert_eq!(cells, 9 * 11 * 5);
    let log = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.matches("tool call").count() >= cells,
        "one outcome line per call"
    );
    for k in &keys_used {
        assert!(!log.contains(k.as_str()), "a key reached the log");
    }
    assert!(
        log.contains("reason=\"monthly_quota_exhausted\""),
        "the quota wall is visible in the log"
    );
    assert!(
        !log.contains("CH1000230000000012345") && !log.contains("DE89370400440532013000"),
        "IBANs are masked in the log"
    );
}

fn check_cell(
    cell: &str,
    want: Expected,
    tool: &'static str,
    key: Option<&str>,
    outcome: &Outcome,
    elapsed: Duration,
) {
    assert!(
        elapsed < Duration::from_millis(TIMEOUT_MS + SLACK_MS),
        "{cell}: took {elapsed:?}, deadline {TIMEOUT_MS} ms"
    );
    let Outcome::Answer {
        structured, label, ..
    } = outcome
    else {
        panic!("{cell}: expected an answer, got {outcome:?}");
    };
    common::assert_conforms(tool, structured);
    let p = &structured["provenance"];
    assert_eq!(p["mode"], want.mode, "{cell}: {p}");
    assert_eq!(p["source"], want.source, "{cell}: {p}");
    assert_eq!(p["reason"].as_str(), want.reason, "{cell}: {p}");
    let missing = p["missing"].as_array().unwrap();
    let prefix = match want.mode {
        "full" => {
            assert!(missing.is_empty(), "{cell}");
            assert!(
                p["detail"].is_null() && p["unlock"].as_array().unwrap().is_empty(),
                "{cell}"
            );
            None
        }
        "degraded" => Some("DEGRADED RESULT — "),
        _ => Some("ANONYMOUS MODE — "),
    };
    if let Some(prefix) = prefix {
        assert!(label.starts_with(prefix), "{cell}: {label}");
        assert!(
            label.contains(&format!("Reason: {} — ", want.reason.unwrap())),
            "{cell}: {label}"
        );
        assert!(
            !missing.is_empty(),
            "{cell}: a partial answer lists what is missing"
        );
        assert!(
            p["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{cell}"
        );
        assert!(
            !p["unlock"].as_array().unwrap().is_empty(),
            "{cell}: a partial answer says how to unlock"
        );
    } else {
        assert!(
            !label.contains("RESULT —") && !label.contains("MODE —"),
            "{cell}: {label}"
        );
    }
    let text = outcome.text();
    if let Some(key) = key {
        assert!(
            !text.to_lowercase().contains("anonymous"),
            "{cell}: a keyed user was called anonymous: {label}"
        );
        assert!(!text.contains(key), "{cell}: the key is in the answer");
    }
    if want.source == "free_format_endpoint" {
        assert_eq!(
            structured["valid"], true,
            "{cell}: the free endpoint knows AO"
        );
        assert!(p["data_as_of"].is_null(), "{cell}");
    }
    if want.reason == Some("monthly_quota_exhausted") {
        assert_eq!(p["quota"]["used"], 200, "{cell}");
        assert_eq!(p["upstream_status"], 402, "{cell}");
    }
    if want.reason == Some("monthly_quota_insufficient") {
        assert_eq!(p["quota"]["remaining"], 1, "{cell}");
        assert_eq!(p["quota"]["required"], 2, "{cell}");
    }
    if want.reason == Some("credits_exhausted") {
        assert_eq!(p["credits"]["remaining"], 0, "{cell}");
    }
    if want.reason == Some("invalid_api_response") && cell.contains("Huge") {
        assert!(
            p["detail"].as_str().unwrap().contains("2 MiB"),
            "{cell}: the refusal names the cap: {p}"
        );
    }
    if want.reason == Some("rate_limited") {
        assert!(
            p["detail"].as_str().unwrap().contains("Retry-After: 30 s"),
            "{cell}"
        );
    }
    check_whose_answer(cell, &want, tool, structured);
}

/// The affordable rows were bought in a second request; the label says how many.
fn check_partly_paid(cell: &str, outcome: &Outcome) {
    let Outcome::Answer {
        structured, label, ..
    } = outcome
    else {
        panic!("{cell}: {outcome:?}");
    };
    let rows = structured["results"].as_array().unwrap();
    let full = rows
        .iter()
        .filter(|r| r["provenance"]["mode"] == "full")
        .count();
    assert!(full > 0 && full < rows.len(), "{cell}: {structured}");
    assert!(
        label.contains(&format!("{full} of {} answered in full", rows.len())),
        "{cell}: {label}"
    );
}

/// Whose answer this is: the stand-in's marker and API-only fields in every full cell (batch
/// rows included), none of them in a fallback; and the verdict and key fields of every IBAN
/// answer, whoever gave it.
fn check_whose_answer(cell: &str, want: &Expected, tool: &'static str, structured: &Value) {
    let marked = |v: &Value| v.get(MARKER.0).and_then(Value::as_str) == Some(MARKER.1);
    let rows: Vec<&Value> = match tool {
        "batch_validate_iban" => structured["results"].as_array().unwrap().iter().collect(),
        _ => Vec::new(),
    };
    if want.mode == "full" {
        assert!(
            marked(structured),
            "{cell}: a full answer is the API's: {structured}"
        );
        for (i, row) in rows.iter().enumerate() {
            assert!(marked(row), "{cell}: batch row {i} is the API's: {row}");
            assert_eq!(row["provenance"]["mode"], "full", "{cell}: row {i}");
            assert_eq!(row["provenance"]["source"], "api", "{cell}: row {i}");
            assert_eq!(
                row["provenance"]["cross_check"]["status"], "agree",
                "{cell}: row {i}: the offline engine's second opinion"
            );
            assert!(
                row["issuer"].is_object(),
                "{cell}: row {i} has the API's issuer"
            );
            assert!(row["next_steps"].is_array(), "{cell}: row {i}");
            assert_eq!(row["cost_usdc"], 0.002, "{cell}: row {i}");
        }
        assert!(
            structured["cost_usdc"].is_number(),
            "{cell}: the API prices its answers"
        );
        assert!(structured["processing_ms"].is_number(), "{cell}");
        match tool {
            "validate_iban" | "check_compliance" => {
                // The API always says what it knows of the issuer (for the Angolan bank:
                // that it does not know it).
                assert!(structured["issuer"]["classification"].is_string(), "{cell}");
                if tool == "check_compliance" {
                    assert_eq!(structured["issuer"]["name"], "Commerzbank", "{cell}");
                }
                assert!(structured["risk_indicators"].is_object(), "{cell}");
                assert!(structured["next_steps"].is_array(), "{cell}");
                assert_eq!(
                    structured["stand_in_future_field"]["kept"], true,
                    "{cell}: unknown upstream fields pass through"
                );
            }
            "batch_validate_iban" => {
                assert_eq!(structured["served_by"], "stand-in", "{cell}");
            }
            "lookup_bic" => {
                assert_eq!(structured["found"], true, "{cell}");
                assert_eq!(structured["lei"], "BFM8T61CT2L1QCEMIK50", "{cell}");
                assert_eq!(structured["address_available"], true, "{cell}");
            }
            "lookup_ch_clearing" => {
                assert_eq!(structured["payment_services"]["sic"], true, "{cell}");
                assert_eq!(structured["valid_on"], "2026-11-20", "{cell}");
            }
            other => panic!("{cell}: no check of the API's answer for `{other}`: add one"),
        }
        if tool == "check_compliance" {
            assert_eq!(structured["meta"]["scope"], "bank_bic_only", "{cell}");
            let c = &structured["compliance"];
            assert_eq!(c["sanctions"]["bank_screened"], true, "{cell}");
            assert_eq!(c["vop"]["screened"], true, "{cell}");
            assert!(c["risk_score"].is_number(), "{cell}");
        }
    } else {
        assert!(
            !marked(structured),
            "{cell}: a fallback is not the API's answer: {structured}"
        );
        let mut paid_rows = 0;
        for (i, row) in rows.iter().enumerate() {
            // A row says who answered it: the API (a partly paid batch) or the engine.
            let p = &row["provenance"];
            if p["mode"] == "full" {
                paid_rows += 1;
                assert!(
                    marked(row),
                    "{cell}: full batch row {i} is the API's: {row}"
                );
                assert!(p["reason"].is_null() && p["source"] == "api", "{cell}: {p}");
                continue;
            }
            assert_eq!(p["mode"], want.mode, "{cell}: row {i}: {p}");
            assert_eq!(p["reason"].as_str(), want.reason, "{cell}: row {i}: {p}");
            assert_eq!(p["source"], "local", "{cell}: row {i}: {p}");
            assert!(!marked(row), "{cell}: batch row {i} is a fallback: {row}");
            assert!(
                row["issuer"].is_null() && row["cost_usdc"].is_null(),
                "{cell}: row {i}"
            );
        }
        assert_eq!(
            structured["cost_usdc"].is_null(),
            paid_rows == 0,
            "{cell}: a fallback costs nothing; a partly paid batch says what it cost"
        );
        assert!(structured.get("stand_in_future_field").is_none(), "{cell}");
        // Only an answer from the free endpoint carries its upgrade hint.
        assert_eq!(
            structured.get("upgrade_to_full_validation").is_some(),
            want.source == "free_format_endpoint",
            "{cell}: {structured}"
        );
        if tool == "check_compliance" {
            let c = &structured["compliance"];
            assert_eq!(
                c["sanctions"]["bank_screened"], false,
                "{cell}: not screened offline"
            );
            assert!(structured["meta"]["scope"] != "bank_bic_only", "{cell}");
        }
    }
    // The verdict and the key fields, in every cell.
    match tool {
        "validate_iban" => {
            assert_eq!(structured["iban"], "AO06004400006729503010102", "{cell}");
            // The API and the free endpoint know Angola (aspirational); the local registry
            // does not, and says so rather than calling it invalid for another reason.
            if want.source == "local" {
                assert_eq!(structured["valid"], false, "{cell}");
                assert_eq!(structured["error"], "unsupported_country", "{cell}");
            } else {
                assert_eq!(structured["valid"], true, "{cell}: {structured}");
                assert_eq!(structured["country"]["code"], "AO", "{cell}");
                assert_eq!(structured["check_digits"], "06", "{cell}");
                assert_eq!(structured["bban"]["bank_code"], "0044", "{cell}");
                assert!(structured["error"].is_null(), "{cell}");
            }
        }
        "check_compliance" => {
            assert_eq!(structured["valid"], true, "{cell}");
            assert_eq!(structured["iban"], "DE89370400440532013000", "{cell}");
            assert_eq!(structured["bban"]["bank_code"], "37040044", "{cell}");
            assert_eq!(structured["bic"]["code"], "COBADEFFXXX", "{cell}");
        }
        "batch_validate_iban" => {
            assert_eq!(structured["count"], 3, "{cell}");
            assert_eq!(structured["valid_count"], 3, "{cell}");
            let ibans: Vec<&str> = rows.iter().map(|r| r["iban"].as_str().unwrap()).collect();
            assert_eq!(
                ibans,
                [
                    "CH1000230000000012345",
                    "DE89370400440532013000",
                    "CH1000230000000012345"
                ],
                "{cell}: rows in input order, the duplicate mapped back"
            );
            assert!(rows.iter().all(|r| r["valid"] == true), "{cell}");
        }
        "lookup_bic" => {
            assert_eq!(structured["bic11"], "UBSWCHZH80A", "{cell}");
            assert_eq!(structured["valid_format"], true, "{cell}");
        }
        "lookup_ch_clearing" => {
            assert_eq!(structured["iid"], "00230", "{cell}");
            assert_eq!(structured["bic"], "UBSWCHZH80A", "{cell}");
        }
        other => panic!("{cell}: no check of the verdict for `{other}`: add one"),
    }
}
