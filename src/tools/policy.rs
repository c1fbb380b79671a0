//! The fallback chain: who answers a tool call, and how the answer says so.
//!
//! 1. Offline mode → the local engine, mode `offline`.
//! 2. Otherwise the paid endpoint, once (one request per batch). A full answer → `full`.
//! 3. Refused or failed → the best free source: the local engine, or the free format
//!    endpoint (without the key) where it knows more than the local engine.
//! 4. Every non-full answer carries the reason of step 2, whatever source filled it.
//!
//! One deadline bounds the whole call; whatever is still waiting when it passes is
//! dropped (and with it the HTTP request) and the answer is local.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::sync::Semaphore;

use super::args::{self, InputError};
use super::local::{self, LocalAnswer, LocalOptions};
use super::output::{Answer, BatchValidation, IbanValidation, Mode, Source};
use super::provenance::{self, Shortfall, reason};
use super::{Outcome, ToolName};
use crate::api::refusal::Failure;
use crate::api::{ApiClient, KeySafety, PaidRequest, Success};
use crate::config::Settings;
use crate::engine::iban;

/// Hosted-API calls in flight at once; further calls queue inside their own deadline.
pub const MAX_API_CALLS_IN_FLIGHT: usize = 4;

/// What the server knows about the MCP client making the call.
#[derive(Debug, Clone, Default)]
pub struct CallContext {
    /// `name/version` from the client's `initialize` (or request metadata).
    pub client: Option<String>,
}

/// Holds the settings and the API client, and answers tool calls.
#[derive(Debug, Clone)]
pub struct Toolbox {
    settings: Arc<Settings>,
    api: Arc<ApiClient>,
    api_slots: Arc<Semaphore>,
}

/// A non-full answer before it is serialised: from the local engine or the free endpoint.
struct Fallback<T> {
    answer: LocalAnswer<T>,
    source: Source,
}

/// The free endpoint as a fallback: the compact IBAN to ask about, and how to turn its
/// validation into this tool's answer.
type FreeRoute<T> = (
    String,
    Box<dyn FnOnce(IbanValidation) -> LocalAnswer<T> + Send>,
);

const FREE_COVERS: &str = "Format check only, by the API's free endpoint (mod-97, length, BBAN structure); no bank, SEPA, issuer, risk or clearing data.";

impl Toolbox {
    pub fn new(settings: Arc<Settings>) -> Self {
        let api = Arc::new(ApiClient::new(&settings));
        Self {
            settings,
            api,
            api_slots: Arc::new(Semaphore::new(MAX_API_CALLS_IN_FLIGHT)),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn api(&self) -> &ApiClient {
        &self.api
    }

    fn local_options(&self) -> LocalOptions {
        LocalOptions {
            validate: crate::engine::iban::ValidateOptions {
                aspirational: self.settings.aspirational,
            },
        }
    }

    /// Identifies this package and the MCP client, so the API can tell channels apart.
    pub fn user_agent(context: &CallContext) -> String {
        let client: String = context
            .client
            .as_deref()
            .unwrap_or("unknown")
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .take(80)
            .collect();
        format!(
            "ibanforge-mcp/{} (mcp-client: {client})",
            env!("CARGO_PKG_VERSION")
        )
    }

    /// Answer one `tools/call`. `Err` only for an unknown tool name (a protocol error).
    pub async fn call(
        &self,
        name: &str,
        arguments: Option<&Map<String, Value>>,
        context: &CallContext,
    ) -> Result<Outcome, String> {
        let tool = ToolName::from_name(name).ok_or_else(|| {
            format!(
                "unknown tool `{name}`; this server has {}",
                ToolName::ALL.map(ToolName::name).join(", ")
            )
        })?;
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + self.settings.timeout;
        let ua = Self::user_agent(context);
        let lists = self.settings.compliance_lists.clone();
        let opts = self.local_options();
        let (outcome, masked): (Result<Outcome, InputError>, String) = match tool {
            ToolName::ValidateIban => match args::parse_iban(arguments) {
                Ok(input) => {
                    let compact = iban::normalize(&input);
                    let local_answer = local::validate(&input, &lists, opts);
                    let free = self.free_route(&local_answer.body, Box::new(free_validation));
                    let request = PaidRequest::Validate { iban: compact };
                    let o = self
                        .answer(
                            request,
                            deadline,
                            &ua,
                            local_answer,
                            free,
                            Ok,
                            local::summarize_validation,
                        )
                        .await;
                    (Ok(o), iban::mask(&input))
                }
                Err(e) => (Err(e), String::new()),
            },
            ToolName::BatchValidateIban => match args::parse_batch(arguments) {
                Ok(inputs) => {
                    let n = inputs.len();
                    (
                        Ok(self.batch(inputs, deadline, &ua, opts).await),
                        format!("{n} IBANs"),
                    )
                }
                Err(e) => (Err(e), String::new()),
            },
            ToolName::LookupBic => match args::parse_bic(arguments) {
                Ok(bic) => {
                    let request = PaidRequest::Bic { bic: bic.clone() };
                    let o = self
                        .answer(
                            request,
                            deadline,
                            &ua,
                            local::bic(&bic),
                            None,
                            Ok,
                            local::summarize_bic,
                        )
                        .await;
                    (Ok(o), bic.to_ascii_uppercase())
                }
                Err(e) => (Err(e), String::new()),
            },
            ToolName::LookupChClearing => match args::parse_iid(arguments) {
                Ok(iid) => {
                    let request = PaidRequest::Clearing { iid: iid.clone() };
                    let o = self
                        .answer(
                            request,
                            deadline,
                            &ua,
                            local::ch_clearing(&iid),
                            None,
                            Ok,
                            local::summarize_clearing,
                        )
                        .await;
                    (Ok(o), iid)
                }
                Err(e) => (Err(e), String::new()),
            },
            ToolName::CheckCompliance => match args::parse_iban(arguments) {
                Ok(input) => {
                    let compact = iban::normalize(&input);
                    let local_answer = local::compliance(&input, &lists, opts);
                    let lists_for_free = lists.clone();
                    let free = self.free_route(
                        &local_answer.body.validation,
                        Box::new(move |v| {
                            let mut answer = local::compliance_from(v, &lists_for_free);
                            answer.covers = format!("{FREE_COVERS} {}", answer.covers);
                            answer
                        }),
                    );
                    let request = PaidRequest::Compliance { iban: compact };
                    let o = self
                        .answer(
                            request,
                            deadline,
                            &ua,
                            local_answer,
                            free,
                            Ok,
                            local::summarize_compliance,
                        )
                        .await;
                    (Ok(o), iban::mask(&input))
                }
                Err(e) => (Err(e), String::new()),
            },
        };
        let outcome = outcome.unwrap_or_else(Outcome::InputError);
        log_outcome(tool, &outcome, &masked, started.elapsed());
        Ok(outcome)
    }

    /// The free endpoint knows more than the local engine only where the local registry
    /// does not know the country (it is then asked, without the key, after a refusal).
    fn free_route<T>(
        &self,
        local: &IbanValidation,
        convert: Box<dyn FnOnce(IbanValidation) -> LocalAnswer<T> + Send>,
    ) -> Option<FreeRoute<T>> {
        (local.error.as_deref() == Some("unsupported_country"))
            .then(|| (local.iban.clone(), convert))
    }

    async fn batch(
        &self,
        inputs: Vec<String>,
        deadline: tokio::time::Instant,
        ua: &str,
        opts: LocalOptions,
    ) -> Outcome {
        // Identical IBANs (after normalisation) are sent once: each costs a unit of quota.
        let compact: Vec<String> = inputs.iter().map(|i| iban::normalize(i)).collect();
        let mut unique: Vec<String> = Vec::new();
        let positions: Vec<usize> = compact
            .iter()
            .map(|c| match unique.iter().position(|u| u == c) {
                Some(i) => i,
                None => {
                    unique.push(c.clone());
                    unique.len() - 1
                }
            })
            .collect();
        let expected = unique.len();
        let local_answer = local::batch(&inputs, &self.settings.compliance_lists, opts);
        let expand = move |mut b: BatchValidation| -> Result<BatchValidation, Failure> {
            if b.results.len() != expected {
                return Err(Failure::new(
                    reason::INVALID_API_RESPONSE,
                    format!(
                        "The API returned {} batch results for {expected} IBANs.",
                        b.results.len()
                    ),
                    Some(200),
                ));
            }
            b.results = positions.iter().map(|&i| b.results[i].clone()).collect();
            b.count = b.results.len();
            b.valid_count = b.results.iter().filter(|r| r.valid).count();
            Ok(b)
        };
        self.answer(
            PaidRequest::Batch { ibans: unique },
            deadline,
            ua,
            local_answer,
            None,
            expand,
            local::summarize_batch,
        )
        .await
    }

    /// Steps 1–4 of the chain for one call.
    #[allow(clippy::too_many_arguments)]
    async fn answer<T>(
        &self,
        request: PaidRequest,
        deadline: tokio::time::Instant,
        ua: &str,
        local_answer: LocalAnswer<T>,
        free: Option<FreeRoute<T>>,
        finish_full: impl FnOnce(T) -> Result<T, Failure>,
        summarize: fn(&T) -> String,
    ) -> Outcome
    where
        T: Serialize + DeserializeOwned,
    {
        if self.settings.offline {
            let shortfall = Shortfall::offline(format!(
                "Offline mode is on ({}); no network call was made.",
                self.settings.origin.offline.describe()
            ));
            return fallback_outcome(
                &shortfall,
                Fallback {
                    answer: local_answer,
                    source: Source::Local,
                },
            );
        }
        let paid = async {
            let _slot = self.api_slots.acquire().await.map_err(|_| {
                Failure::new(
                    reason::API_UNREACHABLE,
                    "The server is shutting down.",
                    None,
                )
            })?;
            self.api.paid(&request, ua).await
        };
        let failure = match tokio::time::timeout_at(deadline, paid).await {
            Ok(Ok(success)) => match full_body(&success, finish_full) {
                Ok(body) => return full_outcome(body, &success, summarize),
                Err(f) => f,
            },
            Ok(Err(f)) => f,
            Err(_) => Failure::new(
                reason::API_UNREACHABLE,
                format!(
                    "The API did not answer within {} ms (IBANFORGE_TIMEOUT_MS).",
                    self.settings.timeout.as_millis()
                ),
                None,
            ),
        };
        let shortfall = self.shortfall(failure);
        let mut fallback = Fallback {
            answer: local_answer,
            source: Source::Local,
        };
        // Never send the IBAN to a base already judged unsafe for the key.
        if let Some((compact, convert)) = free
            && shortfall.why.reason != reason::INSECURE_API_BASE
            && let Ok(Ok(v)) =
                tokio::time::timeout_at(deadline, self.api.free_format(&compact, ua)).await
            && let Ok(validation) = serde_json::from_value::<IbanValidation>(v)
        {
            fallback = Fallback {
                answer: convert(validation),
                source: Source::FreeFormatEndpoint,
            };
        }
        fallback_outcome(&shortfall, fallback)
    }

    /// A failure of the paid call, worded for this user. A keyed user is never told
    /// "anonymous": that word belongs to the no-key mode alone.
    fn shortfall(&self, f: Failure) -> Shortfall {
        let keyed = self.api.keyed();
        let mode = if keyed {
            Mode::Degraded
        } else {
            Mode::Anonymous
        };
        let scrub = |s: String| if keyed { scrub_anonymous(&s) } else { s };
        let mut unlock = f.unlock;
        if unlock.is_empty() {
            unlock = match f.reason.as_str() {
                reason::INSECURE_API_BASE => vec![super::output::Unlock {
                    kind: "use_https".into(),
                    how: "set IBANFORGE_API_BASE to an https:// URL (plain http is allowed only on loopback)".into(),
                }],
                reason::API_UNREACHABLE | reason::API_ERROR | reason::INVALID_API_RESPONSE => {
                    vec![super::output::Unlock {
                        kind: "retry".into(),
                        how: format!(
                            "call again later; `ibanforge-mcp doctor` checks {} and your key",
                            self.api.base()
                        ),
                    }]
                }
                _ => crate::api::refusal::standing_unlock(self.api.base()),
            };
        }
        let unlock = unlock
            .into_iter()
            .map(|u| super::output::Unlock {
                kind: u.kind,
                how: scrub(u.how),
            })
            .collect();
        Shortfall {
            mode,
            why: Failure {
                detail: scrub(f.detail),
                unlock,
                ..f
            },
        }
    }

    /// Whether a configured key would be withheld (plain http to a remote host).
    pub fn key_withheld(&self) -> bool {
        self.api.keyed() && self.api.key_safety() == KeySafety::Insecure
    }
}

/// Replace the word "anonymous" (any case) in upstream text shown to a keyed user.
fn scrub_anonymous(s: &str) -> String {
    // ASCII lower-casing keeps byte offsets, so indices found in it cut the original.
    if !s.to_ascii_lowercase().contains("anonymous") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.to_ascii_lowercase().find("anonymous") {
        out.push_str(&rest[..i]);
        out.push_str("keyless");
        rest = &rest[i + "anonymous".len()..];
    }
    out.push_str(rest);
    out
}

fn full_body<T: DeserializeOwned>(
    success: &Success,
    finish: impl FnOnce(T) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let body: T = serde_json::from_value(success.body.clone()).map_err(|e| {
        Failure::new(
            reason::INVALID_API_RESPONSE,
            format!("The API's answer does not have the documented shape ({e})."),
            Some(200),
        )
    })?;
    finish(body)
}

fn full_outcome<T: Serialize>(body: T, success: &Success, summarize: fn(&T) -> String) -> Outcome {
    let mut p = provenance::full();
    p.quota = success.quota.clone();
    p.credits = success.credits.clone();
    let mut label = summarize(&body);
    // The quota wall should never come as a surprise: say when it is near.
    if let Some(q) = p.quota.as_ref().filter(|q| q.get("notice").is_some()) {
        label.push_str(&format!(
            " (quota notice: {} of {} requests used this month)",
            q.get("used")
                .map(Value::to_string)
                .unwrap_or_else(|| "?".into()),
            q.get("limit")
                .map(Value::to_string)
                .unwrap_or_else(|| "?".into())
        ));
    }
    let structured = serde_json::to_value(Answer {
        body,
        provenance: p,
    })
    .expect("answers serialise (plain data, string keys)");
    Outcome::Answer {
        structured,
        label: label.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

fn fallback_outcome<T: Serialize>(shortfall: &Shortfall, fallback: Fallback<T>) -> Outcome {
    let a = fallback.answer;
    let provenance = shortfall.provenance(fallback.source, a.missing, a.data_as_of);
    let label = shortfall.label(&a.covers, &a.summary);
    let structured = serde_json::to_value(Answer {
        body: a.body,
        provenance,
    })
    .expect("answers serialise (plain data, string keys)");
    Outcome::Answer { structured, label }
}

/// A validation from the free endpoint, as this tool's fallback answer.
fn free_validation(v: IbanValidation) -> LocalAnswer<IbanValidation> {
    LocalAnswer {
        covers: FREE_COVERS.into(),
        summary: local::summarize_validation(&v),
        missing: local::validation_missing(&v),
        data_as_of: None,
        body: v,
    }
}

/// One line per tool call on stderr: the visibility the hosted service lacked. Inputs are
/// masked; the key never appears here.
fn log_outcome(tool: ToolName, outcome: &Outcome, masked: &str, elapsed: Duration) {
    let duration_ms = elapsed.as_millis() as u64;
    match outcome {
        Outcome::Answer { structured, .. } => {
            let p = &structured["provenance"];
            let mode = p["mode"].as_str().unwrap_or("?");
            let reason = p["reason"].as_str().unwrap_or("-");
            let upstream_status = p["upstream_status"]
                .as_u64()
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into());
            if matches!(mode, "degraded" | "anonymous") {
                tracing::warn!(
                    tool = tool.name(),
                    mode,
                    reason,
                    upstream_status,
                    duration_ms,
                    input = masked,
                    "tool call"
                );
            } else {
                tracing::info!(
                    tool = tool.name(),
                    mode,
                    reason,
                    upstream_status,
                    duration_ms,
                    input = masked,
                    "tool call"
                );
            }
        }
        Outcome::InputError(_) => {
            tracing::info!(
                tool = tool.name(),
                mode = "input_error",
                duration_ms,
                "tool call"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_the_word_anonymous() {
        assert_eq!(
            scrub_anonymous("Anonymous trial used; anonymous calls cost"),
            "keyless trial used; keyless calls cost"
        );
        assert_eq!(scrub_anonymous("plain"), "plain");
    }

    #[test]
    fn user_agent_names_package_and_client() {
        let ua = Toolbox::user_agent(&CallContext {
            client: Some("claude-ai/0.1\n".into()),
        });
        assert_eq!(
            ua,
            format!(
                "ibanforge-mcp/{} (mcp-client: claude-ai/0.1)",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}
