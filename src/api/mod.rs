//! The hosted IBANforge API client.
//!
//! One lazily built reqwest client (rustls + ring, system roots), no redirects followed,
//! bodies capped, and the key attached only where it is safe: to the configured base over
//! https (or plain http on loopback), never to the free format endpoint. Deadlines are the
//! caller's: every method here is a future the policy wraps in one per-call deadline, and
//! dropping it (deadline or MCP cancellation) drops the HTTP request.

pub mod failure;
pub mod refusal;
pub mod unknown_fields;
pub mod usage;

use std::sync::OnceLock;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use crate::config::{ApiKey, Settings};
pub use failure::{Failure, JsonObject, Reason, Unlock, standing_unlock};
pub use usage::{KeyUsage, Usage, UsageCheck};

/// Largest response body read; anything longer is `invalid_api_response`.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// One paid request, as the tool that needs it builds it: method, path (with any query) and
/// JSON body. This module names no tool: it sends what it is given, to the configured base.
#[derive(Debug, Clone, PartialEq)]
pub struct PaidRequest {
    pub method: Method,
    /// Below the base, starting with `/`.
    pub path: String,
    pub body: Option<Value>,
}

impl PaidRequest {
    /// `GET {path}`.
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::GET,
            path: path.into(),
            body: None,
        }
    }

    /// `POST {path}` with a JSON body.
    pub fn post(path: impl Into<String>, body: Value) -> Self {
        Self {
            method: Method::POST,
            path: path.into(),
            body: Some(body),
        }
    }
}

/// A 2xx JSON answer and the usage numbers its headers carried.
#[derive(Debug, Clone)]
pub struct Success {
    pub body: Value,
    pub quota: Option<JsonObject>,
    pub credits: Option<JsonObject>,
}

/// Whether the key may travel to the configured base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySafety {
    /// https, or http to a loopback address.
    Safe,
    /// Plain http to another host: the key is not sent (`insecure_api_base`).
    Insecure,
}

/// The hosted API, as configured.
#[derive(Debug)]
pub struct ApiClient {
    base: Result<Url, String>,
    base_text: String,
    key: Option<ApiKey>,
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl ApiClient {
    pub fn new(settings: &Settings) -> Self {
        let base_text = settings.api_base.trim_end_matches('/').to_string();
        let base = Url::parse(&base_text)
            .map_err(|e| format!("IBANFORGE_API_BASE {base_text:?} is not a URL ({e})"))
            .and_then(|u| match u.scheme() {
                "https" | "http" => Ok(u),
                other => Err(format!("IBANFORGE_API_BASE must be http(s), not {other}:")),
            });
        Self {
            base,
            base_text,
            key: settings.api_key.clone(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base_text
    }

    pub fn keyed(&self) -> bool {
        self.key.is_some()
    }

    /// Whether a configured key may be sent to the base at all.
    pub fn key_safety(&self) -> KeySafety {
        match &self.base {
            Ok(url) if url.scheme() == "https" || is_loopback(url) => KeySafety::Safe,
            Ok(_) => KeySafety::Insecure,
            // An unusable base gets no request at all; reported as unreachable.
            Err(_) => KeySafety::Safe,
        }
    }

    /// Built on first use: loading the system CA store costs milliseconds that a server
    /// answering only offline questions should never pay. One per process: its settings do
    /// not depend on the configuration, and one pool means connections are reused.
    fn http(&self) -> Result<&'static reqwest::Client, Failure> {
        static HTTP: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
        HTTP.get_or_init(|| {
            // ring is the provider this build carries; installing it twice is harmless.
            let _ = rustls::crypto::ring::default_provider().install_default();
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_idle_timeout(Duration::from_secs(60))
                .build()
                .map_err(|e| format!("cannot build the HTTP client: {e}"))
        })
        .as_ref()
        .map_err(|e| Failure::new(Reason::ApiUnreachable, e.clone(), None))
    }

    fn url(&self, path: &str) -> Result<Url, Failure> {
        let base = self
            .base
            .as_ref()
            .map_err(|e| Failure::new(Reason::ApiUnreachable, e.clone(), None))?;
        // Join onto the base's path (a base may carry a prefix such as /api).
        Url::parse(&format!("{}{path}", base.as_str().trim_end_matches('/'))).map_err(|e| {
            Failure::new(
                Reason::ApiUnreachable,
                format!("cannot build the request URL: {e}"),
                None,
            )
        })
    }

    fn headers(user_agent: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Ok(ua) = HeaderValue::from_str(user_agent) {
            h.insert(USER_AGENT, ua);
        }
        h
    }

    /// Call a paid endpoint once (a GET is retried once on a connect error).
    pub async fn paid(&self, request: &PaidRequest, user_agent: &str) -> Result<Success, Failure> {
        if self.key.is_some() && self.key_safety() == KeySafety::Insecure {
            return Err(Failure::new(
                Reason::InsecureApiBase,
                format!(
                    "The key was not sent: {} is plain http to a non-loopback host.",
                    self.base_text
                ),
                None,
            ));
        }
        let http = self.http()?;
        let method = request.method.clone();
        let url = self.url(&request.path)?;
        let mut headers = Self::headers(user_agent);
        if let Some(key) = &self.key {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
                    Failure::new(
                        Reason::InvalidApiKey,
                        "The configured key contains characters no HTTP header can carry.",
                        None,
                    )
                })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        let attempts = if method == Method::GET { 2 } else { 1 };
        let mut last = None;
        for _ in 0..attempts {
            let mut builder = http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            if let Some(body) = &request.body {
                builder = builder.json(body);
            }
            match builder.send().await {
                Ok(response) => return self.read_paid(response).await,
                Err(e) if e.is_connect() => last = Some(e),
                Err(e) => return Err(transport_failure(&e)),
            }
        }
        Err(transport_failure(&last.expect("at least one attempt")))
    }

    async fn read_paid(&self, response: reqwest::Response) -> Result<Success, Failure> {
        let status = response.status();
        let headers = response.headers().clone();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let body = read_capped(response).await;
        match status {
            s if s.is_success() => {
                let bytes = body?;
                let body: Value = serde_json::from_slice(&bytes).map_err(|_| {
                    Failure::new(
                        Reason::InvalidApiResponse,
                        format!(
                            "The API answered HTTP {} with a body that is not JSON.",
                            s.as_u16()
                        ),
                        Some(s.as_u16()),
                    )
                })?;
                if !body.is_object() {
                    return Err(Failure::new(
                        Reason::InvalidApiResponse,
                        "The API answered with JSON that is not an object.",
                        Some(s.as_u16()),
                    ));
                }
                Ok(Success {
                    body,
                    quota: usage::quota_from_headers(&headers),
                    credits: usage::credits_from_headers(&headers),
                })
            }
            StatusCode::PAYMENT_REQUIRED | StatusCode::UNAUTHORIZED => {
                let bytes = body.unwrap_or_default();
                let invalid =
                    header("x-api-key-invalid").is_some_and(|v| v.eq_ignore_ascii_case("true"));
                Err(refusal::from_payment_refusal(
                    status.as_u16(),
                    &bytes,
                    invalid,
                    self.keyed(),
                    &self.base_text,
                ))
            }
            StatusCode::TOO_MANY_REQUESTS => Err(refusal::from_rate_limit(
                &body.unwrap_or_default(),
                header("retry-after").as_deref(),
            )),
            s if s.is_redirection() => Err(Failure::new(
                Reason::ApiError,
                format!(
                    "The API answered HTTP {} (a redirect{}); redirects are not followed so the key never reaches another host.",
                    s.as_u16(),
                    header("location")
                        .map(|l| format!(" to {}", host_of(&l)))
                        .unwrap_or_default()
                ),
                Some(s.as_u16()),
            )),
            s => {
                let hint = body
                    .ok()
                    .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                    .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_string))
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                Err(Failure::new(
                    Reason::ApiError,
                    format!("The API answered HTTP {}{hint}.", s.as_u16()),
                    Some(s.as_u16()),
                ))
            }
        }
    }

    /// The free format-only endpoint. Never carries the key.
    pub async fn free_format(
        &self,
        compact_iban: &str,
        user_agent: &str,
    ) -> Result<Value, Failure> {
        let http = self.http()?;
        let mut url = self.url("/v1/iban/format")?;
        url.query_pairs_mut().append_pair("iban", compact_iban);
        let response = http
            .get(url)
            .headers(Self::headers(user_agent))
            .send()
            .await
            .map_err(|e| transport_failure(&e))?;
        let status = response.status();
        let bytes = read_capped(response).await?;
        if !status.is_success() {
            return Err(Failure::new(
                Reason::ApiError,
                format!("free endpoint HTTP {}", status.as_u16()),
                Some(status.as_u16()),
            ));
        }
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| {
                Failure::new(
                    Reason::InvalidApiResponse,
                    "free endpoint answered with no JSON object",
                    Some(status.as_u16()),
                )
            })
    }

    /// A GET of a free route (`/health`, `/v1/keys/usage`), with the key when asked and
    /// safe. Bounded by the caller's deadline like every other call.
    async fn get_json(
        &self,
        path: &str,
        with_key: bool,
        user_agent: &str,
    ) -> Result<(u16, Value), Failure> {
        let http = self.http()?;
        let mut headers = Self::headers(user_agent);
        if let (true, Some(key), KeySafety::Safe) = (with_key, &self.key, self.key_safety())
            && let Ok(mut v) = HeaderValue::from_str(&format!("Bearer {}", key.expose()))
        {
            v.set_sensitive(true);
            headers.insert(AUTHORIZATION, v);
        }
        let response = http
            .get(self.url(path)?)
            .headers(headers)
            .send()
            .await
            .map_err(|e| transport_failure(&e))?;
        let status = response.status().as_u16();
        let bytes = read_capped(response).await?;
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    /// `GET /health`: the HTTP status it answered.
    pub async fn health(&self, user_agent: &str) -> Result<u16, Failure> {
        self.get_json("/health", false, user_agent)
            .await
            .map(|(status, _)| status)
    }

    /// `GET /v1/keys/usage` with the key: what the key has left.
    pub async fn key_usage(&self, user_agent: &str) -> Result<UsageCheck, Failure> {
        let (status, body) = self.get_json("/v1/keys/usage", true, user_agent).await?;
        Ok(UsageCheck::from_response(status, &body))
    }
}

/// Only the host of a URL, for messages (never a query string that might carry data).
fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "another location".into())
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, Failure> {
    let status = response.status().as_u16();
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(too_big(status));
    }
    let mut out = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(too_big(status));
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out),
            Err(e) => return Err(transport_failure(&e)),
        }
    }
}

fn too_big(status: u16) -> Failure {
    Failure::new(
        Reason::InvalidApiResponse,
        format!(
            "The API's answer was larger than {} MiB and was not read.",
            MAX_BODY_BYTES / (1024 * 1024)
        ),
        Some(status),
    )
}

fn transport_failure(e: &reqwest::Error) -> Failure {
    // reqwest's messages can include the URL; ours name only what went wrong.
    let what = if e.is_timeout() {
        "the request timed out"
    } else if e.is_connect() {
        "could not connect (DNS, refused connection or TLS failure)"
    } else if e.is_body() || e.is_decode() {
        "the connection broke while reading the answer"
    } else {
        "the request failed"
    };
    Failure::new(
        Reason::ApiUnreachable,
        format!("The API could not be reached: {what}."),
        None,
    )
}
