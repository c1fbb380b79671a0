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

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rmcp::model::{Tool as ToolDefinition, ToolAnnotations};
use serde::Deserialize;
use tokio::sync::Semaphore;
use tokio::time::Instant as Deadline;

use super::answer::{Answer, LocalAnswer, OfflineEngine};
use super::args::{Arguments, InputError};
use super::cache::SessionCache;
use super::lists::ComplianceSource;
use super::outcome::{Outcome, StructuredContent};
use super::provenance::{Mode, Provenance, Shortfall, Source, single_line};
use super::schema;
use super::text::Text;
use super::tool::{Paid, Tool};
use crate::api::{ApiClient, Failure, KeySafety, PaidRequest, Reason, Success, Unlock};
use crate::config::Settings;
use crate::engine::iban::ValidateOptions;

/// Hosted-API calls in flight at once; further calls queue inside their own deadline.
pub const MAX_API_CALLS_IN_FLIGHT: usize = 4;

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

/// The tools this server answers and everything their calls share: the settings, the API
/// client and its in-flight slots, the compliance lists, the session cache.
#[derive(Debug, Clone)]
pub struct Toolbox {
    settings: Arc<Settings>,
    api: Arc<ApiClient>,
    api_slots: Arc<Semaphore>,
    lists: Arc<ComplianceSource>,
    cache: Arc<SessionCache>,
    /// Offline mode's shortfall, the same for every call: built once.
    offline: Option<Arc<Shortfall>>,
    registry: Registry,
}

/// An answer before it is serialised: its body, its provenance and its label line (what
/// the log line and the text block say about it).
pub struct Labelled<T> {
    pub body: T,
    pub provenance: Provenance,
    pub label: String,
}

impl<T> Labelled<T> {
    /// An answer whose full form is the engine's own (a tool the API has nothing to add
    /// to): `mode: full`, `source: local`, nothing missing, the label is the summary.
    pub fn engine_full(body: T, summary: String, data_as_of: Option<String>) -> Self {
        Self {
            body,
            provenance: Provenance::full_local(data_as_of),
            label: single_line(summary),
        }
    }
}

/// How a call to a tool is answered. Every [`Paid`] tool follows the fallback chain
/// ([`Toolbox::paid_chain`]); a tool with a chain of its own (a batch of many questions,
/// a tool whose full answer is the engine's) implements this itself, in its own file.
pub trait Chain: Tool {
    fn answer<'a>(
        toolbox: &'a Toolbox,
        input: &'a Self::Input,
        deadline: Deadline,
        context: &'a CallContext,
    ) -> impl Future<Output = Labelled<Self::Body>> + Send + 'a;
}

impl<T: Paid> Chain for T {
    fn answer<'a>(
        toolbox: &'a Toolbox,
        input: &'a T::Input,
        deadline: Deadline,
        context: &'a CallContext,
    ) -> impl Future<Output = Labelled<T::Body>> + Send + 'a {
        toolbox.paid_chain::<T>(input, deadline, context)
    }
}

/// A call's future, boxed: one size for every tool (the server moves it several times).
pub type CallFuture<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// One tool as the registry holds it: its name and how to call it. Made from the tool's
/// type ([`Entry::of`]); nothing else about a tool has to be written down twice.
#[derive(Clone, Copy)]
pub struct Entry {
    name: &'static str,
    call: for<'a> fn(&'a Toolbox, Option<&'a Arguments>, &'a CallContext) -> CallFuture<'a>,
    check: fn(Option<&Arguments>) -> Result<(), InputError>,
    /// The definition generated from the code (schemars), for a tool that is not in the
    /// committed `schemas/tools.json` the server sends as prepared bytes: tests only, so
    /// the schema generator stays out of the binary.
    definition: Option<fn() -> ToolDefinition>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry").field("name", &self.name).finish()
    }
}

impl Entry {
    /// The entry of tool `T`.
    pub const fn of<T: Chain>() -> Self {
        Self {
            name: T::NAME,
            call: call::<T>,
            check: |arguments| T::parse(arguments).map(drop),
            definition: None,
        }
    }

    /// The entry of tool `T`, carrying its definition generated from the code.
    pub fn described<T: Chain>() -> Self {
        Self {
            definition: Some(definition::<T>),
            ..Self::of::<T>()
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the tool accepts these arguments (its `parse`, nothing answered): what the
    /// fuzz target runs every registered tool's input checks through.
    pub fn check_arguments(&self, arguments: Option<&Arguments>) -> Result<(), InputError> {
        (self.check)(arguments)
    }

    /// Whether this entry carries its own definition (without generating it).
    pub fn carries_definition(&self) -> bool {
        self.definition.is_some()
    }

    /// The definition generated from the code, when this entry carries one.
    pub fn generated_definition(&self) -> Option<ToolDefinition> {
        self.definition.map(|d| d())
    }
}

fn call<'a, T: Chain>(
    toolbox: &'a Toolbox,
    arguments: Option<&'a Arguments>,
    context: &'a CallContext,
) -> CallFuture<'a> {
    Box::pin(toolbox.run::<T>(arguments, context))
}

/// The MCP definition of tool `T`, generated from its types (what `tools/list` sends, and
/// what `tests/schemas_drift.rs` holds `schemas/` to).
pub fn definition<T: Tool>() -> ToolDefinition {
    let a = T::ANNOTATIONS;
    ToolDefinition::new(T::NAME, T::DESCRIPTION, schema::input::<T::Args>())
        .with_title(T::TITLE)
        .with_raw_output_schema(schema::output::<Answer<T::Body>>())
        .with_annotations(
            ToolAnnotations::with_title(T::TITLE)
                .read_only(a.read_only)
                .destructive(a.destructive)
                .idempotent(a.idempotent)
                .open_world(a.open_world),
        )
}

/// The tools a server answers, in the order `tools/list` shows them.
#[derive(Debug, Clone)]
pub struct Registry {
    entries: Arc<[Entry]>,
}

impl Registry {
    pub fn new(entries: impl Into<Arc<[Entry]>>) -> Self {
        Self {
            entries: entries.into(),
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|e| e.name)
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Only the tools named in `selection` (the `tools` setting), in registry order.
    pub fn only(&self, selection: &[String]) -> Self {
        Self::new(
            self.entries
                .iter()
                .filter(|e| selection.iter().any(|n| n == e.name))
                .copied()
                .collect::<Vec<_>>(),
        )
    }

    /// What is wrong with a `tools` setting: `Err` names every name no tool has, and the
    /// names there are.
    pub fn check_selection(&self, selection: &[String]) -> Result<(), String> {
        let unknown: Vec<&str> = selection
            .iter()
            .map(String::as_str)
            .filter(|n| self.get(n).is_none())
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        Err(format!(
            "unknown tool name{} in the tools setting (IBANFORGE_TOOLS or \"tools\" in config.json): {}. This server has: {}.",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", "),
            self.names().collect::<Vec<_>>().join(", ")
        ))
    }
}

impl Toolbox {
    /// A toolbox answering the tools of `registry`.
    pub fn with_registry(settings: Arc<Settings>, registry: Registry) -> Self {
        let api = Arc::new(ApiClient::new(&settings));
        let lists = Arc::new(ComplianceSource::new(
            settings.compliance_lists_file.clone(),
        ));
        let cache = Arc::new(SessionCache::new(
            settings.cache_entries,
            settings.cache_ttl,
        ));
        let offline = settings.offline.then(|| {
            Arc::new(Shortfall::offline(format!(
                "Offline mode is on ({}); no network call was made.",
                settings.origin.offline.describe()
            )))
        });
        Self {
            settings,
            api,
            api_slots: Arc::new(Semaphore::new(MAX_API_CALLS_IN_FLIGHT)),
            lists,
            offline,
            cache,
            registry,
        }
    }

    /// The tools this toolbox answers.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn api(&self) -> &ApiClient {
        &self.api
    }

    pub fn lists(&self) -> &ComplianceSource {
        &self.lists
    }

    /// The session cache (never pay twice).
    pub fn cache(&self) -> &SessionCache {
        &self.cache
    }

    /// Offline mode's shortfall, when offline mode is on.
    pub fn offline(&self) -> Option<&Shortfall> {
        self.offline.as_deref()
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
        let entry = self.registry.get(name).ok_or_else(|| {
            format!(
                "unknown tool `{name}`; this server has {}",
                self.registry.names().collect::<Vec<_>>().join(", ")
            )
        })?;
        Ok((entry.call)(self, arguments, context).await)
    }

    /// Parse, answer within the call's deadline, log, render.
    async fn run<T: Chain>(&self, arguments: Option<&Arguments>, context: &CallContext) -> Outcome {
        let started = Instant::now();
        let input = match T::parse(arguments) {
            Ok(input) => input,
            Err(e) => return input_error::<T>(e, started),
        };
        let deadline = Deadline::now() + self.settings.timeout;
        let labelled = T::answer(self, &input, deadline, context).await;
        outcome::<T>(labelled, &T::log_input(&input), started)
    }

    /// The paid request, in one of the in-flight slots, inside the call's deadline.
    pub async fn paid(
        &self,
        request: &PaidRequest,
        deadline: Deadline,
        ua: &str,
    ) -> Result<Success, Failure> {
        let paid = async {
            let _slot = self.api_slots.acquire().await.map_err(|_| {
                Failure::new(Reason::ApiUnreachable, "The server is shutting down.", None)
            })?;
            self.api.paid(request, ua).await
        };
        match tokio::time::timeout_at(deadline, paid).await {
            Ok(result) => result,
            Err(_) => Err(Failure::new(
                Reason::ApiUnreachable,
                format!(
                    "The API did not answer within {} ms (IBANFORGE_TIMEOUT_MS).",
                    self.settings.timeout.as_millis()
                ),
                None,
            )),
        }
    }

    /// The offline engine with the lists in force and the user's validation options.
    pub fn local_engine(&self) -> OfflineEngine<'_> {
        OfflineEngine {
            lists: self.lists.lists(),
            validate: ValidateOptions {
                aspirational: self.settings.aspirational,
            },
        }
    }

    /// Steps 1–4 of the chain for one call of a [`Paid`] tool.
    pub async fn paid_chain<T: Paid>(
        &self,
        input: &T::Input,
        deadline: Deadline,
        context: &CallContext,
    ) -> Labelled<T::Body> {
        if let Some(offline) = &self.offline {
            let local = T::local(input, &self.local_engine());
            return fallback::<T>(offline, local, Source::Local);
        }
        // Boxed: the network path's state (cache wait, HTTP request, timeouts) is kilobytes,
        // and held inline it made every call's future a large allocation, which glibc serves
        // slowly (a call answered without the network, offline, paid ~4k instructions for it).
        Box::pin(self.answer_online::<T>(input, deadline, context)).await
    }

    /// [`Self::paid_chain`] when the API may be asked.
    async fn answer_online<T: Paid>(
        &self,
        input: &T::Input,
        deadline: Deadline,
        context: &CallContext,
    ) -> Labelled<T::Body> {
        // Never pay twice: a full answer to the same question is served again, and an
        // identical call still in flight is waited for (inside this call's deadline).
        let key = T::cache_key(input);
        let _asking = match &key {
            Some(k) => tokio::time::timeout_at(deadline, self.cache.asking(k))
                .await
                .ok(),
            None => None,
        };
        if let Some(key) = &key
            && let Some(cached) = self.cache.get(key)
            && let Ok(body) = T::Body::deserialize(&cached.body)
        {
            let mut provenance = Provenance::full(None, None);
            provenance.cache = Some(cached.hit);
            return self.full::<T>(input, body, provenance);
        }
        let ua = context.user_agent();
        let failure = match self.paid(&T::request(input), deadline, &ua).await {
            Ok(success) => match full_body::<T::Body>(&success) {
                Ok(body) => {
                    if let Some(key) = key
                        && let Ok(value) = serde_json::to_value(&body)
                    {
                        self.cache.put(key, value);
                    }
                    let provenance = Provenance::full(success.quota, success.credits);
                    return self.full::<T>(input, body, provenance);
                }
                Err(f) => f,
            },
            Err(f) => f,
        };
        let shortfall = self.shortfall(failure);
        let engine = self.local_engine();
        let local = T::local(input, &engine);
        // Never send the IBAN to a base already judged unsafe for the key.
        if shortfall.why.reason != Reason::InsecureApiBase
            && let Some(compact) = T::free_question(input, &local)
            && let Ok(Ok(v)) =
                tokio::time::timeout_at(deadline, self.api.free_format(&compact, &ua)).await
            && let Some(free) = T::from_free(input, &v, &engine)
        {
            return fallback::<T>(&shortfall, free, Source::FreeFormatEndpoint);
        }
        fallback::<T>(&shortfall, local, Source::Local)
    }

    /// A full answer (fresh or from the cache): the offline engine's second opinion, and
    /// the label with what the user should know — usage near the wall, a cache hit, a
    /// disagreement.
    fn full<T: Paid>(
        &self,
        input: &T::Input,
        body: T::Body,
        mut provenance: Provenance,
    ) -> Labelled<T::Body> {
        provenance.cross_check = T::cross_check(input, &body, &self.local_engine());
        let label = with_notes(T::summary(&body), &provenance.label_notes());
        Labelled {
            body,
            provenance,
            label,
        }
    }

    /// A failure of the paid call, worded for this user. A keyed user is never told
    /// "anonymous": that word belongs to the no-key mode alone.
    pub fn shortfall(&self, f: Failure) -> Shortfall {
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

impl Toolbox {
    /// The same toolbox with the compliance lists' age judged on `day` instead of today
    /// (tests; reproducible transcripts). Nothing else changes.
    pub fn with_lists_judged_on(mut self, day: crate::engine::date::CivilDate) -> Self {
        let file = self.lists.file().map(std::path::Path::to_path_buf);
        self.lists = Arc::new(ComplianceSource::new(file).judged_on(day));
        self
    }
}

/// The summary, then what the user should know, on the one label line.
pub fn with_notes(summary: String, notes: &[String]) -> String {
    let mut label = summary;
    for n in notes {
        label.push_str(" — ");
        label.push_str(n);
    }
    single_line(label)
}

fn input_error<T: Tool>(e: InputError, started: Instant) -> Outcome {
    tracing::info!(
        tool = T::NAME,
        mode = "input_error",
        duration_ms = started.elapsed().as_millis() as u64,
        "tool call"
    );
    Outcome::InputError(e)
}

/// Log the call, render the text block, serialise the answer once.
fn outcome<T: Tool>(answered: Labelled<T::Body>, log_input: &str, started: Instant) -> Outcome {
    log_call(T::NAME, &answered.provenance, log_input, started.elapsed());
    let mut text = Text::new(&answered.label);
    T::render(&answered.body, &mut text);
    text.provenance(&answered.provenance);
    let structured = StructuredContent::of(&Answer {
        body: answered.body,
        provenance: answered.provenance,
    });
    Outcome::Answer {
        structured,
        label: answered.label,
        text: text.finish(),
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

/// A paid answer read as the tool's body; a 2xx that does not fit is `invalid_api_response`.
pub fn full_body<B: serde::de::DeserializeOwned>(success: &Success) -> Result<B, Failure> {
    B::deserialize(&success.body).map_err(|e| {
        Failure::new(
            Reason::InvalidApiResponse,
            format!("The API's answer does not have the documented shape ({e})."),
            Some(200),
        )
    })
}

fn fallback<T: Tool>(
    shortfall: &Shortfall,
    answer: LocalAnswer<T::Body>,
    source: Source,
) -> Labelled<T::Body> {
    let label = shortfall.label(&answer.covers, &T::summary(&answer.body));
    Labelled {
        provenance: shortfall.provenance(source, answer.missing, answer.data_as_of),
        body: answer.body,
        label,
    }
}

/// One line per tool call on stderr: the visibility the hosted service lacked. Inputs are
/// masked; the key never appears here.
fn log_call(tool: &str, p: &Provenance, input: &str, elapsed: Duration) {
    let duration_ms = elapsed.as_millis() as u64;
    let mode = p.mode.as_str();
    let reason = p.reason.as_ref().map_or("-", Reason::as_str);
    let status_text;
    let upstream_status = match p.upstream_status {
        Some(s) => {
            status_text = s.to_string();
            status_text.as_str()
        }
        None => "-",
    };
    if matches!(p.mode, Mode::Degraded | Mode::Anonymous) {
        tracing::warn!(
            tool,
            mode,
            reason,
            upstream_status,
            duration_ms,
            input,
            "tool call"
        );
    } else {
        tracing::info!(
            tool,
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

#[cfg(test)]
#[path = "policy_tests.rs"]
mod policy_tests;
