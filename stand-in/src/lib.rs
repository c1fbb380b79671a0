//! A stand-in for the hosted IBANforge API (`../shared/spec/hosted-api.md`), for
//! ibanforge-mcp's tests and for trying the server by hand (`cargo run --example
//! stand-in-api`).
//!
//! Why a crate of its own: its answers must be the *API's*, not ibanforge-mcp's. It does not
//! depend on ibanforge-mcp; it validates with the `iban_validate` crate and its own country
//! table (aspirational countries included, as the hosted API does), names banks from a small
//! hand-written directory ([`fixtures`]), and puts [`MARKER`] (`"served_by": "stand-in"`) in
//! every paid answer and every batch row, so a test can tell a full answer from a local one.
//!
//! It keeps real state — keys whose units run out mid-session, credit keys, invalid keys,
//! per-key counts of requests and units — sends the usage headers of a paid answer
//! (`X-Quota-*`, `X-Credits-*`, `X-Charged-From`), charges a batch one unit per IBAN
//! all-or-nothing, and can be switched into every fault the client must survive: 5xx, 429,
//! slow answers, HTML, garbage, a well-formed answer padded past the client's 2 MiB cap, a
//! redirect to a second listener that records whatever reaches it, a legacy x402 v1 refusal,
//! and a broken free endpoint ([`FreeFault`]: down, 5xx, slow, garbage, HTML, padded past the
//! cap). Every request is logged for the tests to inspect. It listens on 127.0.0.1 only.

pub mod answers;
pub mod fixtures;
pub mod iban;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub use answers::MARKER;

/// What a key can do.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyKind {
    /// Free tier: `used` of `limit` units this month. Paid answers carry `X-Quota-*`; a batch
    /// larger than what is left is refused with `monthly_quota_insufficient`.
    Quota { used: u64, limit: u64 },
    /// Prepaid credits (one per unit). Paid answers carry `X-Credits-*`; a batch larger than
    /// what is left is refused with `credits_insufficient`.
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

impl KeyKind {
    /// A free-tier key at `percent` % of `limit` (e.g. 85 % of 200 = 170 used).
    pub fn quota_at_percent(percent: u64, limit: u64) -> KeyKind {
        KeyKind::Quota {
            used: limit * percent / 100,
            limit,
        }
    }
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
    /// A well-formed answer for the route (marker and all) padded with an extra field to
    /// 3 MiB, sent with a `Content-Length`: over the client's 2 MiB cap, and would be a full
    /// answer without it. Like every fault it is sent whatever the key, and charges nothing.
    Huge,
    /// The same 3 MiB well-formed answer sent chunked, with no `Content-Length`: the cap must
    /// hold while reading, not only on the announced length.
    HugeChunked,
    /// A well-formed answer padded to about this many bytes (`Content-Length` set): to show
    /// where the cap is, e.g. just under 2 MiB is still a full answer.
    PaddedTo(usize),
    Redirect,
    /// An old-style 402: x402 v1, `accepts` as one object, no `cause`.
    Legacy402,
}

/// A fault switched on for the free format endpoint (`GET /v1/iban/format`) alone: what the
/// client reads there must be bounded in size and time like every paid answer, and a broken
/// free endpoint must leave the call's answer local, with the paid call's reason.
#[derive(Debug, Clone, PartialEq)]
pub enum FreeFault {
    None,
    /// 500 `{"error": "internal_error"}`.
    Status500,
    /// The well-formed format answer, after this long (counted like a slow paid answer:
    /// [`StandIn::abandoned`], [`StandIn::in_flight`]).
    Slow(Duration),
    /// 200 with a `text/html` maintenance page.
    Html,
    /// 200 `application/json` with a truncated body.
    Garbage,
    /// The well-formed format answer padded to 3 MiB, with a `Content-Length`: over the
    /// client's 2 MiB cap, and a usable format answer without it.
    Huge,
    /// The same 3 MiB answer sent chunked, with no `Content-Length`.
    HugeChunked,
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

/// What one key has cost and been answered, as the stand-in counted it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyStats {
    /// Requests to a paid route that presented this key (answered, refused or faulted).
    pub requests: u64,
    /// Of those, answered 200 with a paid answer.
    pub answered: u64,
    /// Of those, refused with 401/402.
    pub refused: u64,
    /// Units (quota requests or credits) taken from the key.
    pub units_debited: u64,
    /// IBANs sent in batch requests with this key (answered or not).
    pub batch_rows_sent: u64,
}

#[derive(Debug)]
struct Inner {
    keys: HashMap<String, KeyKind>,
    stats: HashMap<String, KeyStats>,
    fault: Fault,
    free_fault: FreeFault,
    free_down: bool,
    quota_notice: bool,
    log: Vec<Logged>,
    redirect_log: Vec<Logged>,
    redirect_base: String,
    month: String,
    abandoned: u64,
    in_flight: u64,
    max_in_flight: u64,
}

type Shared = Arc<Mutex<Inner>>;

/// A poisoned lock only means a handler panicked mid-update: the counters are still the
/// best record there is, and a test should see its own failure, not a second one.
fn lock(state: &Shared) -> MutexGuard<'_, Inner> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

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
                .expect("a tokio runtime for the stand-in");
            rt.block_on(async move {
                tx.send(Self::start().await).ok();
                std::future::pending::<()>().await;
            });
        });
        rx.recv().expect("stand-in started")
    }

    /// Start on `addr`, which must be a loopback address (`127.0.0.1:PORT`).
    pub async fn start_on(addr: &str) -> StandIn {
        let redirect_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind redirect listener on 127.0.0.1");
        let redirect_base = format!("http://{}", redirect_listener.local_addr().unwrap());
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .unwrap_or_else(|e| panic!("bind stand-in on {addr}: {e}"));
        let local = listener.local_addr().unwrap();
        assert!(
            local.ip().is_loopback(),
            "the stand-in listens on loopback only"
        );
        let base = format!("http://{local}");
        let state: Shared = Arc::new(Mutex::new(Inner {
            keys: HashMap::new(),
            stats: HashMap::new(),
            fault: Fault::None,
            free_fault: FreeFault::None,
            free_down: false,
            quota_notice: false,
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
        lock(&self.state).keys.insert(key.to_string(), kind);
    }

    /// The key's current state (units left, …).
    pub fn key(&self, key: &str) -> Option<KeyKind> {
        lock(&self.state).keys.get(key).cloned()
    }

    pub fn set_fault(&self, fault: Fault) {
        lock(&self.state).fault = fault;
    }

    pub fn set_free_down(&self, down: bool) {
        lock(&self.state).free_down = down;
    }

    /// Switch a fault on for the free format endpoint only (the paid routes keep theirs).
    pub fn set_free_fault(&self, fault: FreeFault) {
        lock(&self.state).free_fault = fault;
    }

    /// Requests to the free format endpoint, as logged.
    pub fn free_requests(&self) -> Vec<Logged> {
        lock(&self.state)
            .log
            .iter()
            .filter(|r| r.path == FREE_FORMAT_PATH)
            .cloned()
            .collect()
    }

    /// Requests to the five paid routes (any key, or none), as logged: faulted, refused and
    /// answered alike.
    pub fn paid_route_requests(&self) -> usize {
        lock(&self.state)
            .log
            .iter()
            .filter(|r| is_paid_route(&r.path))
            .count()
    }

    /// Send `X-Quota-Notice: threshold-crossed` on paid answers at or past 80 % of the limit.
    /// Off by default: the hosted API does not always send it, so a client must compute the
    /// threshold from the numbers.
    pub fn set_quota_notice(&self, on: bool) {
        lock(&self.state).quota_notice = on;
    }

    pub fn requests(&self) -> Vec<Logged> {
        lock(&self.state).log.clone()
    }

    pub fn redirected_requests(&self) -> Vec<Logged> {
        lock(&self.state).redirect_log.clone()
    }

    /// What this key has been asked and charged (zeroes for a key never seen).
    pub fn stats(&self, key: &str) -> KeyStats {
        lock(&self.state)
            .stats
            .get(key)
            .copied()
            .unwrap_or_default()
    }

    /// Requests to a paid route that presented this key.
    pub fn paid_requests(&self, key: &str) -> u64 {
        self.stats(key).requests
    }

    /// Units taken from this key.
    pub fn units_debited(&self, key: &str) -> u64 {
        self.stats(key).units_debited
    }

    /// Slow answers whose connection was dropped before they were sent.
    pub fn abandoned(&self) -> u64 {
        lock(&self.state).abandoned
    }

    /// Slow answers being prepared right now.
    pub fn in_flight(&self) -> u64 {
        lock(&self.state).in_flight
    }

    /// The most slow answers that were being prepared at the same time.
    pub fn max_in_flight(&self) -> u64 {
        lock(&self.state).max_in_flight
    }

    /// Forget the request logs (keys, counts and faults stay).
    pub fn clear_log(&self) {
        let mut s = lock(&self.state);
        s.log.clear();
        s.redirect_log.clear();
    }
}

/// The free format-only endpoint.
pub const FREE_FORMAT_PATH: &str = "/v1/iban/format";

/// Whether a path is one of the five paid routes.
pub fn is_paid_route(path: &str) -> bool {
    matches!(
        path,
        "/v1/iban/validate" | "/v1/iban/batch" | "/v1/iban/compliance"
    ) || path.starts_with("/v1/bic/")
        || path.starts_with("/v1/ch/clearing/")
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
    lock(&state)
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

fn with_headers(mut r: Response, headers: &[(&'static str, String)]) -> Response {
    for (name, value) in headers {
        if let Ok(v) = value.parse() {
            r.headers_mut().insert(*name, v);
        }
    }
    r
}

fn refuse(cause: Option<Value>, key_invalid: bool, usage: &[(&'static str, String)]) -> Response {
    let mut r = json_response(StatusCode::PAYMENT_REQUIRED, payment_body(cause));
    r.headers_mut().insert(
        "payment-required",
        "eyJ4NDAyVmVyc2lvbiI6Mn0=".parse().unwrap(),
    );
    if key_invalid {
        r.headers_mut()
            .insert("x-api-key-invalid", "true".parse().unwrap());
    }
    with_headers(r, usage)
}

/// A response sent instead of the answer (boxed: `Response` is large for an `Err`).
type Refusal = Box<Response>;

fn bad_request(error: &str, message: &str) -> Refusal {
    Box::new(json_response(
        StatusCode::BAD_REQUEST,
        json!({"error": error, "message": message}),
    ))
}

/// A paid route, parsed and checked before any payment logic (malformed → 400, free).
enum Paid {
    Validate(String),
    Batch(Vec<String>),
    Compliance(String),
    Bic(String),
    Clearing(String),
}

impl Paid {
    fn units(&self) -> u64 {
        match self {
            Paid::Batch(ibans) => ibans.len() as u64,
            _ => 1,
        }
    }

    fn answer(&self) -> Value {
        match self {
            Paid::Validate(iban) => answers::validation(iban, 0.005),
            Paid::Batch(ibans) => {
                answers::batch(&ibans.iter().map(String::as_str).collect::<Vec<_>>())
            }
            Paid::Compliance(iban) => answers::compliance(iban),
            Paid::Bic(bic) => answers::bic(bic),
            Paid::Clearing(iid) => answers::clearing(iid),
        }
    }
}

/// `None`: not a paid route. `Some(Err)`: a paid route with a malformed request.
fn parse_paid(method: &Method, path: &str, body: &Bytes) -> Option<Result<Paid, Refusal>> {
    let json_body = || -> Result<Value, Refusal> {
        serde_json::from_slice(body)
            .map_err(|_| bad_request("invalid_json", "The request body is not JSON."))
    };
    let iban_field = || -> Result<String, Refusal> {
        json_body()?
            .get("iban")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| bad_request("invalid_request", "Send {\"iban\": \"...\"}."))
    };
    if method == Method::POST && path == "/v1/iban/validate" {
        return Some(iban_field().map(Paid::Validate));
    }
    if method == Method::POST && path == "/v1/iban/compliance" {
        return Some(iban_field().map(Paid::Compliance));
    }
    if method == Method::POST && path == "/v1/iban/batch" {
        return Some((|| {
            let v = json_body()?;
            let ibans: Vec<String> = v
                .get("ibans")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().map(|i| i.as_str().map(str::to_string)).collect())
                .ok_or_else(|| {
                    bad_request("invalid_request", "Send {\"ibans\": [\"...\", ...]}.")
                })?;
            if ibans.len() > 100 {
                return Err(bad_request(
                    "batch_too_large",
                    "A batch holds at most 100 IBANs.",
                ));
            }
            if ibans.is_empty() {
                return Err(bad_request(
                    "invalid_request",
                    "A batch holds at least one IBAN.",
                ));
            }
            Ok(Paid::Batch(ibans))
        })());
    }
    if method == Method::GET
        && let Some(bic) = path.strip_prefix("/v1/bic/")
    {
        let bic = bic.to_ascii_uppercase();
        return Some(if answers::bic_well_formed(&bic) {
            Ok(Paid::Bic(bic))
        } else {
            Err(bad_request(
                "invalid_bic_format",
                "A BIC is 8 or 11 letters and digits.",
            ))
        });
    }
    if method == Method::GET
        && let Some(iid) = path.strip_prefix("/v1/ch/clearing/")
    {
        return Some(
            answers::iid5(iid)
                .map(Paid::Clearing)
                .ok_or_else(|| bad_request("invalid_iid_format", "An IID is 1–5 digits.")),
        );
    }
    None
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
        let s = lock(&state);
        let log: Vec<Value> = s
            .log
            .iter()
            .map(|r| json!({"peer": r.peer, "method": r.method, "path": r.path}))
            .collect();
        return json_response(StatusCode::OK, json!({ "requests": log }));
    }
    let (fault, free_fault, free_down, redirect_base) = {
        let mut s = lock(&state);
        s.log.push(logged(peer, &method, &uri, &headers, &body));
        (
            s.fault.clone(),
            s.free_fault.clone(),
            s.free_down,
            s.redirect_base.clone(),
        )
    };
    let path = uri.path().to_string();
    let route = |m: &Method, p: &str| method == *m && path == p;

    if route(&Method::GET, "/health") {
        return json_response(StatusCode::OK, json!({"status": "ok"}));
    }
    if route(&Method::GET, FREE_FORMAT_PATH) {
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
        if iban.is_empty() {
            return *bad_request("missing_iban", "Send ?iban=<compact IBAN>.");
        }
        if iban.len() > 34 {
            return *bad_request("invalid_iban_length", "Send the compact form (≤ 34).");
        }
        let answer = answers::free_format(iban);
        return match free_fault {
            FreeFault::None => json_response(StatusCode::OK, answer),
            FreeFault::Status500 => json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": "internal_error"}),
            ),
            FreeFault::Slow(d) => {
                slow(&state, d).await;
                json_response(StatusCode::OK, answer)
            }
            FreeFault::Html => html(),
            FreeFault::Garbage => garbage(),
            FreeFault::Huge => padded_response(padded(&answer, HUGE), false),
            FreeFault::HugeChunked => padded_response(padded(&answer, HUGE), true),
        };
    }
    if route(&Method::GET, "/v1/keys/usage") {
        return key_usage(&state, presented_key(&headers));
    }
    if route(&Method::POST, "/v1/keys/generate") {
        let mut s = lock(&state);
        let key = format!("ifk_standin_{}", s.keys.len() + 1);
        s.keys.insert(
            key.clone(),
            KeyKind::Quota {
                used: 0,
                limit: 200,
            },
        );
        return json_response(StatusCode::OK, json!({"key": key, "limit": 200}));
    }

    let Some(paid) = parse_paid(&method, &path, &body) else {
        return json_response(StatusCode::NOT_FOUND, json!({"error": "not_found"}));
    };
    let key = presented_key(&headers);
    if let Some(k) = &key {
        let mut s = lock(&state);
        let stats = s.stats.entry(k.clone()).or_default();
        stats.requests += 1;
        if let Ok(Paid::Batch(ibans)) = &paid {
            stats.batch_rows_sent += ibans.len() as u64;
        }
    }
    let paid = match paid {
        Ok(p) => p,
        Err(response) => return *response,
    };

    match &fault {
        Fault::None | Fault::Huge | Fault::HugeChunked | Fault::PaddedTo(_) => {}
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
        Fault::Slow(d) => slow(&state, *d).await,
        Fault::Html => return html(),
        Fault::Garbage => return garbage(),
        Fault::Redirect => {
            return Response::builder()
                .status(StatusCode::TEMPORARY_REDIRECT)
                .header(header::LOCATION, format!("{redirect_base}{path}"))
                .body(Body::empty())
                .unwrap();
        }
        Fault::Legacy402 => {
            let key_invalid = key.as_ref().is_some_and(|k| {
                matches!(lock(&state).keys.get(k), Some(KeyKind::Invalid402) | None)
            });
            if let Some(k) = &key {
                lock(&state).stats.entry(k.clone()).or_default().refused += 1;
            }
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

    let padded_to = match fault {
        Fault::Huge | Fault::HugeChunked => Some(HUGE),
        Fault::PaddedTo(n) => Some(n),
        _ => None,
    };
    let Some(padded_to) = padded_to else {
        return match charge(&state, key.as_deref(), paid.units()) {
            Ok(usage) => with_headers(json_response(StatusCode::OK, paid.answer()), &usage),
            Err(refusal) => *refusal,
        };
    };
    // Like the other faults, a padded answer is sent whatever the key, and charges nothing.
    padded_response(
        padded(&paid.answer(), padded_to),
        fault == Fault::HugeChunked,
    )
}

/// The size of a "huge" answer: past the client's 2 MiB cap.
const HUGE: usize = 3 * 1024 * 1024;

/// Wait `d` before answering, counting the wait: answers abandoned mid-wait (the connection
/// closed — the client gave up, or a cancelled MCP request dropped its HTTP request — before
/// the answer was ready), and how many waits run at once.
async fn slow(state: &Shared, d: Duration) {
    struct Abandoned(Shared, bool);
    impl Drop for Abandoned {
        fn drop(&mut self) {
            if !self.1 {
                lock(&self.0).abandoned += 1;
            }
        }
    }
    struct InFlight(Shared);
    impl Drop for InFlight {
        fn drop(&mut self) {
            lock(&self.0).in_flight -= 1;
        }
    }
    {
        let mut st = lock(state);
        st.in_flight += 1;
        st.max_in_flight = st.max_in_flight.max(st.in_flight);
    }
    let _in_flight = InFlight(state.clone());
    let mut guard = Abandoned(state.clone(), false);
    tokio::time::sleep(d).await;
    guard.1 = true;
}

fn html() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html")],
        "<html><body>Maintenance</body></html>",
    )
        .into_response()
}

fn garbage() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        "{\"valid\": tru",
    )
        .into_response()
}

/// A padded JSON body: with its `Content-Length`, or chunked with none.
fn padded_response(body: String, chunked: bool) -> Response {
    if chunked {
        return Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::new(Chunked::new(body)))
            .unwrap();
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// `answer` as JSON text with a `stand_in_padding` string field bringing it to about `size`
/// bytes. Spliced as text from one shared run of `x`s: dozens of these at once (the
/// degradation matrix) must not spend the client's deadline serialising megabytes.
fn padded(answer: &Value, size: usize) -> String {
    static XS: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| "x".repeat(8 * 1024 * 1024));
    let text = answer.to_string();
    let head = text.strip_suffix('}').unwrap_or(&text);
    let n = size.saturating_sub(head.len() + 24).min(XS.len());
    let mut out = String::with_capacity(head.len() + n + 32);
    out.push_str(head);
    out.push_str(",\"stand_in_padding\":\"");
    out.push_str(&XS[..n]);
    out.push_str("\"}");
    out
}

/// Debit `units` from the key, all or nothing. `Ok` carries the usage headers of the answer;
/// `Err` is the refusal (401/402) to send instead.
fn charge(
    state: &Shared,
    key: Option<&str>,
    units: u64,
) -> Result<Vec<(&'static str, String)>, Refusal> {
    let Some(key) = key else {
        return Err(Box::new(refuse(None, false, &[])));
    };
    let mut s = lock(state);
    let month = s.month.clone();
    let notice = s.quota_notice;
    let refused = |s: &mut Inner, r: Response| -> Result<Vec<(&'static str, String)>, Refusal> {
        s.stats.entry(key.to_string()).or_default().refused += 1;
        Err(Box::new(r))
    };
    let kind = s.keys.get(key).cloned();
    let headers = match kind {
        None | Some(KeyKind::Invalid402) => {
            let r = refuse(
                Some(
                    json!({"reason": "invalid_api_key", "detail": "The API key is not valid. Check it or generate a new one."}),
                ),
                true,
                &[],
            );
            return refused(&mut s, r);
        }
        Some(KeyKind::Invalid401) => {
            let r = json_response(
                StatusCode::UNAUTHORIZED,
                json!({"error": "invalid_key", "message": "Invalid API key"}),
            );
            return refused(&mut s, r);
        }
        Some(KeyKind::UnknownCause) => {
            let r = refuse(
                Some(
                    json!({"reason": "account_under_review", "detail": "This account is under review; paid calls are paused."}),
                ),
                false,
                &[],
            );
            return refused(&mut s, r);
        }
        Some(KeyKind::NoCause) => return refused(&mut s, refuse(None, false, &[])),
        Some(KeyKind::Quota { used, limit }) => {
            let remaining = limit.saturating_sub(used);
            let quota_headers = |used: u64| {
                vec![
                    ("x-quota-used", used.to_string()),
                    ("x-quota-limit", limit.to_string()),
                    ("x-quota-remaining", limit.saturating_sub(used).to_string()),
                    ("x-quota-month", month.clone()),
                ]
            };
            if remaining < units {
                let (reason, detail) = if remaining == 0 {
                    (
                        "monthly_quota_exhausted",
                        format!(
                            "Your free tier is exhausted for {month} ({used}/{limit} requests used) — it resets on the 1st of next month."
                        ),
                    )
                } else {
                    (
                        "monthly_quota_insufficient",
                        format!(
                            "This call needs {units} requests but only {remaining} remain for {month}; nothing was charged."
                        ),
                    )
                };
                let r = refuse(
                    Some(json!({
                        "reason": reason,
                        "detail": detail,
                        "quota": {"used": used, "limit": limit, "month": month, "resets": "1st of month", "required": units, "remaining": remaining}
                    })),
                    false,
                    &quota_headers(used),
                );
                return refused(&mut s, r);
            }
            let used = used + units;
            s.keys
                .insert(key.to_string(), KeyKind::Quota { used, limit });
            let mut h = quota_headers(used);
            h.push(("x-charged-from", "quota".into()));
            if notice && used * 5 >= limit * 4 {
                h.push(("x-quota-notice", "threshold-crossed".into()));
            }
            h
        }
        Some(KeyKind::Credits { remaining, total }) => {
            let credit_headers = |remaining: u64| {
                vec![
                    ("x-credits-remaining", remaining.to_string()),
                    ("x-credits-total", total.to_string()),
                ]
            };
            if remaining < units {
                let (reason, detail) = if remaining == 0 {
                    (
                        "credits_exhausted",
                        "Your prepaid credits are used up.".to_string(),
                    )
                } else {
                    (
                        "credits_insufficient",
                        format!(
                            "This call needs {units} credits but only {remaining} remain; nothing was charged."
                        ),
                    )
                };
                let mut h = credit_headers(remaining);
                h.push(("x-credits-required", units.to_string()));
                h.push((
                    "x-credits-topup-url",
                    "https://ibanforge.com/pricing".into(),
                ));
                let r = refuse(
                    Some(json!({
                        "reason": reason,
                        "detail": detail,
                        "credits": {"required": units, "remaining": remaining, "total": total, "topup": "POST /v1/credits/buy/1k"}
                    })),
                    false,
                    &h,
                );
                return refused(&mut s, r);
            }
            let remaining = remaining - units;
            s.keys
                .insert(key.to_string(), KeyKind::Credits { remaining, total });
            let mut h = credit_headers(remaining);
            h.push(("x-credits-charged", units.to_string()));
            h.push(("x-charged-from", "credits".into()));
            h
        }
    };
    let stats = s.stats.entry(key.to_string()).or_default();
    stats.answered += 1;
    stats.units_debited += units;
    Ok(headers)
}

/// A body sent in 64 KiB chunks with no announced length (`Transfer-Encoding: chunked`).
struct Chunked {
    data: Bytes,
    sent: usize,
}

impl Chunked {
    fn new(text: String) -> Chunked {
        Chunked {
            data: Bytes::from(text),
            sent: 0,
        }
    }
}

impl http_body::Body for Chunked {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        if self.sent >= self.data.len() {
            return Poll::Ready(None);
        }
        let end = (self.sent + 64 * 1024).min(self.data.len());
        let chunk = self.data.slice(self.sent..end);
        self.sent = end;
        Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
    }
}

fn key_usage(state: &Shared, key: Option<String>) -> Response {
    let s = lock(state);
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
