//! The fallback chain, written once for every tool: who answers a tool call, and how the
//! answer says so.
//!
//! 1. Offline mode → the local engine, mode `offline`.
//! 2. Otherwise the paid endpoint, once (one request per batch). A full answer → `full`.
//! 3. Refused or failed → the best free source: the local engine, or the free format
//!    endpoint (without the key) where it knows more than the local engine.
//! 4. Every non-full answer carries the reason of step 2, whatever source filled it.
//!
//! One deadline bounds the whole call; whatever is still waiting when it passes is
//! dropped (and with it the HTTP request) and the answer is local. The local engine runs
//! only when the answer is not the full one: a full answer never pays for the engine's
//! tables.

use std::sync::Arc;
use std::time::{Duration, Instant};

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio::time::Instant as Deadline;

use super::answer::{Answer, Local, LocalAnswer};
use super::args::{Arguments, InputError};
use super::iban_answer::IbanValidation;
use super::lists::ComplianceSource;
use super::provenance::{Mode, Provenance, Shortfall, Source, single_line};
use super::text::Text;
use super::{Outcome, ToolName};
use crate::api::{ApiClient, Failure, KeySafety, PaidRequest, Reason, Success, Unlock};
use crate::config::Settings;
use crate::engine::iban::ValidateOptions;

/// Hosted-API calls in flight at once; further calls queue inside their own deadline.
pub const MAX_API_CALLS_IN_FLIGHT: usize = 4;

/// One tool: its arguments, its answer, how it asks the API and how the engine answers
/// without it. The chain ([`Toolbox`]) is the same for all five.
pub trait Tool {
    const NAME: ToolName;
    const TITLE: &'static str;
    /// The first sentence stands alone (registries cut descriptions at 100 characters).
    const DESCRIPTION: &'static str;
    /// What `inputSchema` advertises.
    type Args: JsonSchema + 'static;
    /// The checked, normalised input.
    type Input: Send + Sync;
    /// The tool's own answer fields (`outputSchema` is `Answer<Body>`).
    type Body: Serialize + DeserializeOwned + JsonSchema + Send + 'static;

    /// Check the raw arguments (no network call is made for a refusal).
    fn parse(arguments: Option<&Arguments>) -> Result<Self::Input, InputError>;
    /// The input as the log may show it (IBANs masked).
    fn log_input(input: &Self::Input) -> String;
    /// The paid request that answers it in full.
    fn request(input: &Self::Input) -> PaidRequest;
    /// Check or reshape the API's answer (a batch maps rows back to input order).
    fn finish_full(_input: &Self::Input, body: Self::Body) -> Result<Self::Body, Failure> {
        Ok(body)
    }
    /// The offline engine's answer and what it lacks.
    fn local(input: &Self::Input, engine: &Local) -> LocalAnswer<Self::Body>;
    /// The compact IBAN to ask the free format endpoint about, where it knows more than
    /// the local answer (a country the local registry lacks).
    fn free_question(_input: &Self::Input, _local: &LocalAnswer<Self::Body>) -> Option<String> {
        None
    }
    /// The answer built around the free endpoint's validation.
    fn from_free(
        _input: &Self::Input,
        _free: IbanValidation,
        _engine: &Local,
    ) -> Option<LocalAnswer<Self::Body>> {
        None
    }
    /// One line about the result: the full answer's label, and the end of every other label.
    fn summary(body: &Self::Body) -> String;
    /// The lines after the label in the text block: a lean rendering of the body.
    fn render(body: &Self::Body, text: &mut Text);
}

/// What the server knows about the MCP client making the call.
#[derive(Debug, Clone, Default)]
pub struct CallContext {
    /// `name/version` from the client's `initialize` (or request metadata).
    pub client: Option<String>,
}

impl CallContext {
    /// Identifies this package and the MCP client, so the API can tell channels apart.
    pub fn user_agent(&self) -> String {
        let client: String = self
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
}

/// Holds the settings and the API client, and answers tool calls.
#[derive(Debug, Clone)]
pub struct Toolbox {
    pub(super) settings: Arc<Settings>,
    pub(super) api: Arc<ApiClient>,
    api_slots: Arc<Semaphore>,
    pub(super) lists: Arc<ComplianceSource>,
}

/// An answer before it is serialised, and what the log line says about it.
struct Answered<T> {
    body: T,
    provenance: Provenance,
    label: String,
}

impl Toolbox {
    pub fn new(settings: Arc<Settings>) -> Self {
        let api = Arc::new(ApiClient::new(&settings));
        let lists = Arc::new(ComplianceSource::new(
            settings.compliance_lists_file.clone(),
        ));
        Self {
            settings,
            api,
            api_slots: Arc::new(Semaphore::new(MAX_API_CALLS_IN_FLIGHT)),
            lists,
        }
    }

    /// Identifies this package and the MCP client (see [`CallContext::user_agent`]).
    pub fn user_agent(context: &CallContext) -> String {
        context.user_agent()
    }

    /// Whether a configured key would be withheld (plain http to a remote host).
    pub fn key_withheld(&self) -> bool {
        self.api.keyed() && self.api.key_safety() == KeySafety::Insecure
    }

    /// Answer one `tools/call`. `Err` only for an unknown tool name (a protocol error).
    pub async fn call(
        &self,
        name: &str,
        arguments: Option<&Arguments>,
        context: &CallContext,
    ) -> Result<Outcome, String> {
        let tool = ToolName::from_name(name).ok_or_else(|| {
            format!(
                "unknown tool `{name}`; this server has {}",
                ToolName::ALL.map(ToolName::name).join(", ")
            )
        })?;
        use super::{
            BatchValidateIban, CheckCompliance, LookupBic, LookupChClearing, ValidateIban,
        };
        Ok(match tool {
            ToolName::ValidateIban => self.run::<ValidateIban>(arguments, context).await,
            ToolName::BatchValidateIban => self.run::<BatchValidateIban>(arguments, context).await,
            ToolName::LookupBic => self.run::<LookupBic>(arguments, context).await,
            ToolName::LookupChClearing => self.run::<LookupChClearing>(arguments, context).await,
            ToolName::CheckCompliance => self.run::<CheckCompliance>(arguments, context).await,
        })
    }

    async fn run<T: Tool>(&self, arguments: Option<&Arguments>, context: &CallContext) -> Outcome {
        let started = Instant::now();
        let input = match T::parse(arguments) {
            Ok(input) => input,
            Err(e) => {
                tracing::info!(
                    tool = T::NAME.name(),
                    mode = "input_error",
                    duration_ms = started.elapsed().as_millis() as u64,
                    "tool call"
                );
                return Outcome::InputError(e);
            }
        };
        let deadline = Deadline::now() + self.settings.timeout;
        let answered = self.answer::<T>(&input, deadline, context).await;
        log_call(
            T::NAME,
            &answered.provenance,
            &T::log_input(&input),
            started.elapsed(),
        );
        let mut text = Text::new(&answered.label);
        T::render(&answered.body, &mut text);
        text.provenance(&answered.provenance);
        let structured = serde_json::to_value(Answer {
            body: answered.body,
            provenance: answered.provenance,
        })
        .expect("answers serialise (plain data, string keys)");
        Outcome::Answer {
            structured,
            label: answered.label,
            text: text.finish(),
        }
    }

    fn local_engine(&self) -> Local<'_> {
        Local {
            lists: self.lists.lists(),
            validate: ValidateOptions {
                aspirational: self.settings.aspirational,
            },
        }
    }

    /// Steps 1–4 of the chain for one call.
    async fn answer<T: Tool>(
        &self,
        input: &T::Input,
        deadline: Deadline,
        context: &CallContext,
    ) -> Answered<T::Body> {
        if self.settings.offline {
            let shortfall = Shortfall::offline(format!(
                "Offline mode is on ({}); no network call was made.",
                self.settings.origin.offline.describe()
            ));
            let local = T::local(input, &self.local_engine());
            return fallback::<T>(&shortfall, local, Source::Local);
        }
        let ua = context.user_agent();
        let request = T::request(input);
        let paid = async {
            let _slot = self.api_slots.acquire().await.map_err(|_| {
                Failure::new(Reason::ApiUnreachable, "The server is shutting down.", None)
            })?;
            self.api.paid(&request, &ua).await
        };
        let failure = match tokio::time::timeout_at(deadline, paid).await {
            Ok(Ok(success)) => match full_body::<T>(input, &success) {
                Ok(body) => return full::<T>(body, success),
                Err(f) => f,
            },
            Ok(Err(f)) => f,
            Err(_) => Failure::new(
                Reason::ApiUnreachable,
                format!(
                    "The API did not answer within {} ms (IBANFORGE_TIMEOUT_MS).",
                    self.settings.timeout.as_millis()
                ),
                None,
            ),
        };
        let shortfall = self.shortfall(failure);
        let engine = self.local_engine();
        let local = T::local(input, &engine);
        // Never send the IBAN to a base already judged unsafe for the key.
        if shortfall.why.reason != Reason::InsecureApiBase
            && let Some(compact) = T::free_question(input, &local)
            && let Ok(Ok(v)) =
                tokio::time::timeout_at(deadline, self.api.free_format(&compact, &ua)).await
            && let Ok(validation) = serde_json::from_value::<IbanValidation>(v)
            && let Some(free) = T::from_free(input, validation, &engine)
        {
            return fallback::<T>(&shortfall, free, Source::FreeFormatEndpoint);
        }
        fallback::<T>(&shortfall, local, Source::Local)
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
            unlock = match &f.reason {
                Reason::InsecureApiBase => vec![Unlock::new(
                    "use_https",
                    "set IBANFORGE_API_BASE to an https:// URL (plain http is allowed only on loopback)",
                )],
                r if r.is_transient() => vec![Unlock::new(
                    "retry",
                    format!(
                        "call again later; `ibanforge-mcp doctor` checks {} and your key",
                        self.api.base()
                    ),
                )],
                _ => crate::api::standing_unlock(self.api.base()),
            };
        }
        let unlock = unlock
            .into_iter()
            .map(|u| Unlock {
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

fn full_body<T: Tool>(input: &T::Input, success: &Success) -> Result<T::Body, Failure> {
    let body = T::Body::deserialize(&success.body).map_err(|e| {
        Failure::new(
            Reason::InvalidApiResponse,
            format!("The API's answer does not have the documented shape ({e})."),
            Some(200),
        )
    })?;
    T::finish_full(input, body)
}

fn full<T: Tool>(body: T::Body, success: Success) -> Answered<T::Body> {
    let provenance = Provenance::full(success.quota, success.credits);
    let mut label = T::summary(&body);
    // The quota wall should never come as a surprise: say when it is near.
    if let Some(q) = provenance
        .quota
        .as_ref()
        .filter(|q| q.get("notice").is_some())
    {
        let number = |k: &str| q.get(k).map_or_else(|| "?".into(), |v| v.to_string());
        label.push_str(&format!(
            " (quota notice: {} of {} requests used this month)",
            number("used"),
            number("limit")
        ));
    }
    Answered {
        body,
        provenance,
        label: single_line(&label),
    }
}

fn fallback<T: Tool>(
    shortfall: &Shortfall,
    answer: LocalAnswer<T::Body>,
    source: Source,
) -> Answered<T::Body> {
    let label = shortfall.label(&answer.covers, &T::summary(&answer.body));
    Answered {
        provenance: shortfall.provenance(source, answer.missing, answer.data_as_of),
        body: answer.body,
        label,
    }
}

/// One line per tool call on stderr: the visibility the hosted service lacked. Inputs are
/// masked; the key never appears here.
fn log_call(tool: ToolName, p: &Provenance, input: &str, elapsed: Duration) {
    let duration_ms = elapsed.as_millis() as u64;
    let mode = p.mode.as_str();
    let reason = p.reason.as_ref().map_or("-", Reason::as_str);
    let upstream_status = p
        .upstream_status
        .map_or_else(|| "-".to_string(), |s| s.to_string());
    if matches!(p.mode, Mode::Degraded | Mode::Anonymous) {
        tracing::warn!(
            tool = tool.name(),
            mode,
            reason,
            upstream_status,
            duration_ms,
            input,
            "tool call"
        );
    } else {
        tracing::info!(
            tool = tool.name(),
            mode,
            reason,
            upstream_status,
            duration_ms,
            input,
            "tool call"
        );
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
        let ua = CallContext {
            client: Some("claude-ai/0.1\n".into()),
        }
        .user_agent();
        assert_eq!(
            ua,
            format!(
                "ibanforge-mcp/{} (mcp-client: claude-ai/0.1)",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}
