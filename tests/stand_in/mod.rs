//! A stand-in for the hosted IBANforge API (`../shared/spec/hosted-api.md`), for tests and
//! for trying the server by hand (`cargo run --example stand-in-api`).
//!
//! It keeps real state — keys with a number of units that run out mid-session, credit
//! keys, invalid keys — and can be switched into every fault the client must survive: 5xx,
//! 429, slow answers, HTML, garbage, oversized bodies, a redirect to a second listener that
//! records whatever reaches it, a legacy x402 v1 refusal, and a broken free endpoint.
//! Every request is logged (method, path, query, headers, body) for the tests to inspect.
//! It listens on 127.0.0.1 only.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use ibanforge_mcp::engine::compliance::ComplianceLists;
use ibanforge_mcp::engine::iban::ValidateOptions;
use ibanforge_mcp::tools::local::{self, LocalOptions};
use serde_json::{Value, json};

/// What a key can do.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyKind {
    /// Free tier: `used` of `limit` units this month.
    Quota { used: u64, limit: u64 },
    /// Prepaid credits (one per unit).
    Credits { remaining: u64, total: u64 },
    /// Refused with 402, `cause.reason = invalid_api_key` and `X-API-Key-Invalid: true`.
    Invalid402,
    /// Refused with 401 `invalid_key` (as the key-management routes do).
    Invalid401,
    /// Refused with a `cause.reason` the client has never heard of.
    UnknownCause,
    /// Refused with a 402 that has no `cause` at all.
    NoCause,
}

/// A fault switched on for the paid routes.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    None,
    Status500,
    RateLimited,
    Slow(Duration),
    Html,
    Garbage,
    Huge,
    Redirect,
    /// An old-style 402: x402 v1, `accepts` as one object, no `cause`.
    Legacy402,
}

/// One request as the stand-in saw it.
#[derive(Debug, Clone)]
pub struct Logged {
    /// The client's address and port: a new port means a new connection.
    pub peer: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Logged {
    /// The request as text, to search for secrets.
    pub fn text(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        format!(
            "{} {}?{}\n{}\n\n{}",
            self.method,
            self.path,
            self.query.clone().unwrap_or_default(),
            headers.join("\n"),
            self.body
        )
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
struct State_ {
    keys: HashMap<String, KeyKind>,
    fault: Fault,
    free_down: bool,
    log: Vec<Logged>,
    redirect_log: Vec<Logged>,
    redirect_base: String,
    month: String,
    abandoned: u64,
    in_flight: u64,
    max_in_flight: u64,
}

type Shared = Arc<Mutex<State_>>;

/// A running stand-in (two listeners: the API and the redirect target).
#[derive(Clone)]
pub struct StandIn {
    pub base: String,
    pub redirect_base: String,
    state: Shared,
}

impl StandIn {
    /// Start on 127.0.0.1 with OS-assigned ports, on the caller's runtime.
    pub async fn start() -> StandIn {
        Self::start_on("127.0.0.1:0").await
    }

    /// Start on a thread and runtime of its own, as a separate server would be: a busy
    /// stand-in (3 MiB bodies, slow answers) then never stalls the client's timers.
    pub fn spawn() -> StandIn {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                tx.send(Self::start().await).unwrap();
                std::future::pending::<()>().await;
            });
        });
        rx.recv().expect("stand-in started")
    }

    pub async fn start_on(addr: &str) -> StandIn {
        let redirect_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind redirect listener");
        let redirect_base = format!("http://{}", redirect_listener.local_addr().unwrap());
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("bind stand-in");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state: Shared = Arc::new(Mutex::new(State_ {
            keys: HashMap::new(),
            fault: Fault::None,
            free_down: false,
            log: Vec::new(),
            redirect_log: Vec::new(),
            redirect_base: redirect_base.clone(),
            month: "2026-11".into(),
            abandoned: 0,
            in_flight: 0,
            max_in_flight: 0,
        }));
        let api = Router::new().fallback(handle).with_state(state.clone());
        let trap = Router::new()
            .fallback(record_redirected)
            .with_state(state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                api.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .ok()
        });
        tokio::spawn(async move {
            axum::serve(
                redirect_listener,
                trap.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .ok()
        });
        StandIn {
            base,
            redirect_base,
            state,
        }
    }

    pub fn add_key(&self, key: &str, kind: KeyKind) {
        self.state
            .lock()
            .unwrap()
            .keys
            .insert(key.to_string(), kind);
    }

    pub fn key(&self, key: &str) -> Option<KeyKind> {
        self.state.lock().unwrap().keys.get(key).cloned()
    }

    pub fn set_fault(&self, fault: Fault) {
        self.state.lock().unwrap().fault = fault;
    }

    pub fn set_free_down(&self, down: bool) {
        self.state.lock().unwrap().free_down = down;
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn redirected_requests(&self) -> Vec<Logged> {
        self.state.lock().unwrap().redirect_log.clone()
    }

    /// Slow answers whose connection was dropped before they were sent.
    pub fn abandoned(&self) -> u64 {
        self.state.lock().unwrap().abandoned
    }

    /// The most slow answers that were being prepared at the same time.
    pub fn max_in_flight(&self) -> u64 {
        self.state.lock().unwrap().max_in_flight
    }

    pub fn clear_log(&self) {
        let mut s = self.state.lock().unwrap();
        s.log.clear();
        s.redirect_log.clear();
    }
}

fn logged(
    peer: SocketAddr,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Logged {
    Logged {
        peer: peer.to_string(),
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().map(str::to_string),
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(body).into_owned(),
    }
}

async fn record_redirected(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state
        .lock()
        .unwrap()
        .redirect_log
        .push(logged(peer, &method, &uri, &headers, &body));
    json_response(StatusCode::OK, json!({"redirected": true}))
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn presented_key(headers: &HeaderMap) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    bearer.or_else(|| {
        headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    })
}

fn payment_body(cause: Option<Value>) -> Value {
    let mut body = json!({
        "error": "payment_required",
        "message": "This endpoint requires payment or an API key.",
        "x402Version": 2,
        "accepts": [{"scheme": "exact", "network": "eip155:8453", "amount": "5000",
                     "asset": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "payTo": "0x000000000000000000000000000000000000dEaD",
                     "maxTimeoutSeconds": 60}],
        "free_tier": {"description": "200 free requests/month", "signup": "POST /v1/keys/generate", "usage": "Authorization: Bearer ifk_…"},
        "credit_packs": {"description": "Prepaid credit packs", "pay_by_card": "https://ibanforge.com/pricing", "pay_by_usdc": "POST /v1/credits/buy/1k|5k|25k", "pricing": "from $5"},
        "x402": {"description": "Pay per call in USDC on Base", "protocol_docs": "https://x402.org", "payment_header": "X-PAYMENT"},
        "documentation": "https://ibanforge.com/docs"
    });
    if let Some(cause) = cause {
        body["cause"] = cause;
    }
    body
}

fn refuse(cause: Option<Value>, key_invalid: bool) -> Response {
    let mut r = json_response(StatusCode::PAYMENT_REQUIRED, payment_body(cause));
    r.headers_mut().insert(
        "payment-required",
        "eyJ4NDAyVmVyc2lvbiI6Mn0=".parse().unwrap(),
    );
    if key_invalid {
        r.headers_mut()
            .insert("x-api-key-invalid", "true".parse().unwrap());
    }
    r
}

async fn handle(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if uri.path() == "/_stand_in/log" {
        // For a benchmark running the stand-in as a separate process: what it has seen.
        let s = state.lock().unwrap();
        let log: Vec<Value> = s
            .log
            .iter()
            .map(|r| json!({"peer": r.peer, "method": r.method, "path": r.path}))
            .collect();
        return json_response(StatusCode::OK, json!({ "requests": log }));
    }
    let (fault, free_down, redirect_base) = {
        let mut s = state.lock().unwrap();
        s.log.push(logged(peer, &method, &uri, &headers, &body));
        (s.fault.clone(), s.free_down, s.redirect_base.clone())
    };
    let path = uri.path().to_string();
    let route = |m: &Method, p: &str| method == *m && path == p;

    if route(&Method::GET, "/health") {
        return json_response(StatusCode::OK, json!({"status": "ok"}));
    }
    if route(&Method::GET, "/v1/iban/format") {
        if free_down {
            return json_response(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "unavailable"}),
            );
        }
        let iban = uri
            .query()
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("iban=")))
            .unwrap_or("");
        return free_format(iban);
    }
    if route(&Method::GET, "/v1/keys/usage") {
        return key_usage(&state, presented_key(&headers));
    }
    if route(&Method::POST, "/v1/keys/generate") {
        let key = format!("ifk_standin_{}", state.lock().unwrap().keys.len() + 1);
        state.lock().unwrap().keys.insert(
            key.clone(),
            KeyKind::Quota {
                used: 0,
                limit: 200,
            },
        );
        return json_response(StatusCode::OK, json!({"key": key, "limit": 200}));
    }

    // Paid routes.
    let request: Option<Value> = serde_json::from_slice(&body).ok();
    let paid = if route(&Method::POST, "/v1/iban/validate") {
        Some(("validate", 1))
    } else if route(&Method::POST, "/v1/iban/batch") {
        let n = request
            .as_ref()
            .and_then(|r| r["ibans"].as_array())
            .map(Vec::len)
            .unwrap_or(0) as u64;
        if n > 100 {
            return json_response(StatusCode::BAD_REQUEST, json!({"error": "batch_too_large"}));
        }
        Some(("batch", n))
    } else if route(&Method::POST, "/v1/iban/compliance") {
        Some(("compliance", 1))
    } else if method == Method::GET && path.starts_with("/v1/bic/") {
        Some(("bic", 1))
    } else if method == Method::GET && path.starts_with("/v1/ch/clearing/") {
        Some(("clearing", 1))
    } else {
        None
    };
    let Some((kind, units)) = paid else {
        return json_response(StatusCode::NOT_FOUND, json!({"error": "not_found"}));
    };

    match &fault {
        Fault::None => {}
        Fault::Status500 => {
            return json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": "internal_error"}),
            );
        }
        Fault::RateLimited => {
            let mut r = json_response(
                StatusCode::TOO_MANY_REQUESTS,
                json!({"error": "rate_limit_exceeded", "retry_after": 30}),
            );
            r.headers_mut().insert("retry-after", "30".parse().unwrap());
            return r;
        }
        Fault::Slow(d) => {
            // Counts answers abandoned mid-wait: the connection closed (client gave up, or
            // a cancelled MCP request dropped its HTTP request) before the answer was ready.
            struct Abandoned(Shared, bool);
            impl Drop for Abandoned {
                fn drop(&mut self) {
                    if !self.1 {
                        self.0.lock().unwrap().abandoned += 1;
                    }
                }
            }
            struct InFlight(Shared);
            impl Drop for InFlight {
                fn drop(&mut self) {
                    self.0.lock().unwrap().in_flight -= 1;
                }
            }
            {
                let mut st = state.lock().unwrap();
                st.in_flight += 1;
                st.max_in_flight = st.max_in_flight.max(st.in_flight);
            }
            let _in_flight = InFlight(state.clone());
            let mut guard = Abandoned(state.clone(), false);
            tokio::time::sleep(*d).await;
            guard.1 = true;
        }
        Fault::Html => {
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body>Maintenance</body></html>",
            )
                .into_response();
        }
        Fault::Garbage => {
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{\"valid\": tru",
            )
                .into_response();
        }
        Fault::Huge => {
            // 3 MiB of valid JSON, over the client's 2 MiB cap.
            static HUGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
                format!(
                    "{{\"iban\": \"X\", \"padding\": \"{}\"}}",
                    "x".repeat(3 * 1024 * 1024)
                )
            });
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                HUGE.as_str(),
            )
                .into_response();
        }
        Fault::Redirect => {
            return Response::builder()
                .status(StatusCode::TEMPORARY_REDIRECT)
                .header(header::LOCATION, format!("{redirect_base}{path}"))
                .body(Body::empty())
                .unwrap();
        }
        Fault::Legacy402 => {
            let key_invalid = presented_key(&headers).is_some_and(|k| {
                matches!(
                    state.lock().unwrap().keys.get(&k),
                    Some(KeyKind::Invalid402) | None
                )
            });
            let body = json!({
                "error": "payment_required",
                "x402Version": 1,
                "accepts": {"scheme": "exact", "network": "base", "maxAmountRequired": "5000", "resource": path, "payTo": "0x000000000000000000000000000000000000dEaD"}
            });
            let mut r = json_response(StatusCode::PAYMENT_REQUIRED, body);
            if key_invalid {
                r.headers_mut()
                    .insert("x-api-key-invalid", "true".parse().unwrap());
            }
            return r;
        }
    }

    // Payment.
    let Some(key) = presented_key(&headers) else {
        return refuse(None, false);
    };
    let mut usage_headers: Vec<(&'static str, String)> = Vec::new();
    {
        let mut s = state.lock().unwrap();
        let month = s.month.clone();
        match s.keys.get_mut(&key) {
            None | Some(KeyKind::Invalid402) => {
                return refuse(
                    Some(
                        json!({"reason": "invalid_api_key", "detail": "The API key is not valid. Check it or generate a new one."}),
                    ),
                    true,
                );
            }
            Some(KeyKind::Invalid401) => {
                return json_response(
                    StatusCode::UNAUTHORIZED,
                    json!({"error": "invalid_key", "message": "Invalid API key"}),
                );
            }
            Some(KeyKind::UnknownCause) => {
                return refuse(
                    Some(
                        json!({"reason": "account_under_review", "detail": "This account is under review; paid calls are paused."}),
                    ),
                    false,
                );
            }
            Some(KeyKind::NoCause) => return refuse(None, false),
            Some(KeyKind::Quota { used, limit }) => {
                if *used >= *limit {
                    return refuse(
                        Some(json!({
                            "reason": "monthly_quota_exhausted",
                            "detail": format!("Your free tier is exhausted for {month} ({used}/{limit} requests used) — it resets on the 1st of next month."),
                            "quota": {"used": *used, "limit": *limit, "month": month, "resets": "1st of month", "required": units, "remaining": 0}
                        })),
                        false,
                    );
                }
                if *used + units > *limit {
                    let remaining = *limit - *used;
                    return refuse(
                        Some(json!({
                            "reason": "monthly_quota_insufficient",
                            "detail": format!("This call needs {units} requests but only {remaining} remain for {month}."),
                            "quota": {"used": *used, "limit": *limit, "month": month, "resets": "1st of month", "required": units, "remaining": remaining}
                        })),
                        false,
                    );
                }
                *used += units;
                usage_headers.extend([
                    ("x-quota-used", used.to_string()),
                    ("x-quota-limit", limit.to_string()),
                    ("x-quota-remaining", (*limit - *used).to_string()),
                    ("x-quota-month", month.clone()),
                ]);
                if *used * 5 >= *limit * 4 {
                    usage_headers.push(("x-quota-notice", "threshold-crossed".into()));
                }
            }
            Some(KeyKind::Credits { remaining, total }) => {
                if *remaining == 0 {
                    return refuse(
                        Some(json!({
                            "reason": "credits_exhausted",
                            "detail": "Your prepaid credits are used up.",
                            "credits": {"required": units, "remaining": 0, "total": *total, "topup": "POST /v1/credits/buy/1k"}
                        })),
                        false,
                    );
                }
                if *remaining < units {
                    return refuse(
                        Some(json!({
                            "reason": "credits_insufficient",
                            "detail": format!("This call needs {units} credits but only {remaining} remain."),
                            "credits": {"required": units, "remaining": *remaining, "total": *total, "topup": "POST /v1/credits/buy/1k"}
                        })),
                        false,
                    );
                }
                *remaining -= units;
                usage_headers.push(("x-credits-remaining", remaining.to_string()));
            }
        }
    }

    let body = match kind {
        "validate" => full_validation(
            request
                .as_ref()
                .and_then(|r| r["iban"].as_str())
                .unwrap_or(""),
            0.005,
        ),
        "compliance" => full_compliance(
            request
                .as_ref()
                .and_then(|r| r["iban"].as_str())
                .unwrap_or(""),
        ),
        "batch" => {
            let ibans: Vec<&str> = request
                .as_ref()
                .and_then(|r| r["ibans"].as_array())
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let results: Vec<Value> = ibans.iter().map(|i| full_validation(i, 0.002)).collect();
            let valid = results.iter().filter(|r| r["valid"] == true).count();
            json!({"results": results, "count": ibans.len(), "valid_count": valid, "cost_usdc": 0.002 * ibans.len() as f64, "processing_ms": 3.1})
        }
        "bic" => full_bic(path.trim_start_matches("/v1/bic/")),
        _ => full_clearing(path.trim_start_matches("/v1/ch/clearing/")),
    };
    let mut r = json_response(StatusCode::OK, body);
    for (name, value) in usage_headers {
        r.headers_mut().insert(name, value.parse().unwrap());
    }
    r
}

fn lists() -> ComplianceLists {
    ComplianceLists::embedded()
}

/// A full validation as the API gives it: the engine's fields plus what only the API has,
/// and a field no client knows yet (to prove it is passed through).
fn full_validation(iban: &str, cost: f64) -> Value {
    let v = local::validation(iban, &lists(), LocalOptions::default());
    let mut out = serde_json::to_value(&v).unwrap();
    if v.valid {
        out["issuer"] = json!({"type": "bank", "name": v.bic.as_ref().and_then(|b| b.bank_name.clone()), "classification": "licensed_bank"});
        out["risk_indicators"] = json!({"issuer_type": "bank", "country_risk": "standard", "test_bic": false,
                                         "sepa_reachable": true, "sepa_reachable_scope": "country", "vop_coverage": "full"});
        out["next_steps"] = json!([{"code": "verify_payee", "do": "Run Verification of Payee", "because": "SEPA", "action": null}]);
    } else {
        out["next_steps"] = json!([{"code": "ask_for_correct_iban", "do": "Ask for the IBAN again", "because": v.error, "action": null}]);
    }
    out["cost_usdc"] = json!(cost);
    out["processing_ms"] = json!(1.7);
    out["stand_in_future_field"] = json!({"added_in": "2027", "kept": true});
    out
}

fn full_compliance(iban: &str) -> Value {
    let mut out = full_validation(iban, 0.02);
    let answer = local::compliance(iban, &lists(), LocalOptions::default());
    let c = serde_json::to_value(&answer.body).unwrap();
    out["compliance"] = c["compliance"].clone();
    out["compliance"]["sanctions"]["bank_screened"] = json!(true);
    out["compliance"]["sanctions"]["bank_sanctioned"] = json!(false);
    out["compliance"]["sanctions"]["country_sanctioned"] = json!(false);
    out["compliance"]["reachability"]["screened"] = json!(true);
    out["compliance"]["vop"] = json!({"participant": true, "status": "active", "screened": true});
    if let Some(flags) = out["compliance"]["flags"].as_array_mut() {
        flags.retain(|f| f != "bank_not_screened");
    }
    if answer.body.validation.valid {
        out["compliance"]["risk_score"] = json!(12);
        out["compliance"]["risk_level"] = json!("low");
    }
    out["meta"] = json!({"scope": "bank_bic_only", "disclaimer": "Screening at bank (BIC8) level only.",
                         "sanctions_as_of": "2026-11-20", "fatf_as_of": "2026-06", "sources": ["OFAC", "EU", "UN", "FATF"]});
    out
}

fn full_bic(bic: &str) -> Value {
    let a = local::bic(bic);
    let mut out = serde_json::to_value(&a.body).unwrap();
    out["found"] = json!(a.body.found == Some(true));
    out["city"] = json!(if a.body.found == Some(true) {
        Some("Zürich")
    } else {
        None
    });
    out["lei"] = json!(if a.body.found == Some(true) {
        Some("BFM8T61CT2L1QCEMIK50")
    } else {
        None
    });
    out["address_available"] = json!(false);
    out["cost_usdc"] = json!(0.003);
    out
}

fn full_clearing(iid: &str) -> Value {
    let Some(iid) = ibanforge_mcp::engine::clearing::normalize(iid) else {
        return json!({"error": "invalid_iid_format"});
    };
    let a = local::ch_clearing(&iid);
    let mut out = serde_json::to_value(&a.body).unwrap();
    if a.body.found == Some(true) {
        out["payment_services"] = json!({"sic": true, "rtgs_chf": true, "instant_payments_chf": true, "eurosic": false,
                                          "lsv_bdd_chf": true, "lsv_bdd_eur": false});
        out["address"] = json!({"street": "Bahnhofstrasse 45", "zip": "8001", "city": "Zürich"});
        out["valid_on"] = json!("2026-11-24");
        out["sic_iid"] = out["iid"].clone();
    }
    out["cost_usdc"] = json!(0.003);
    out
}

/// The free endpoint knows every aspirational country too: more than the client's engine.
fn free_format(iban: &str) -> Response {
    if iban.is_empty() {
        return json_response(StatusCode::BAD_REQUEST, json!({"error": "missing_iban"}));
    }
    let check = ibanforge_mcp::engine::validate_iban(iban, ValidateOptions { aspirational: true });
    let body = json!({
        "iban": check.iban,
        "formatted": check.formatted(),
        "valid": check.valid(),
        "country": check.spec.map(|s| json!({"code": s.code, "name": s.name})),
        "check_digits": check.check_digits,
        "bban": check.bban.as_ref().map(|b| json!({"bank_code": b.bank_code, "branch_code": b.branch_code, "account_number": b.account_number})),
        "error": check.error.as_ref().map(|e| e.0.code()),
        "error_detail": check.error.as_ref().map(|e| e.1.clone()),
        "upgrade_to_full_validation": "POST /v1/iban/validate with an API key"
    });
    json_response(StatusCode::OK, body)
}

fn key_usage(state: &Shared, key: Option<String>) -> Response {
    let s = state.lock().unwrap();
    let Some(key) = key else {
        return json_response(StatusCode::UNAUTHORIZED, json!({"error": "missing_key"}));
    };
    let prefix: String = key.chars().take(8).collect();
    match s.keys.get(&key) {
        Some(KeyKind::Quota { used, limit }) => json_response(
            StatusCode::OK,
            json!({"key_prefix": prefix, "used": used, "limit": limit, "remaining": limit.saturating_sub(*used), "month": s.month}),
        ),
        Some(KeyKind::Credits { remaining, total }) => json_response(
            StatusCode::OK,
            json!({"key_prefix": prefix, "credits_remaining": remaining, "credits_total": total, "month": s.month}),
        ),
        Some(KeyKind::UnknownCause | KeyKind::NoCause) => json_response(
            StatusCode::OK,
            json!({"key_prefix": prefix, "used": 0, "limit": 200, "remaining": 200, "month": s.month}),
        ),
        _ => json_response(StatusCode::UNAUTHORIZED, json!({"error": "invalid_key"})),
    }
}
