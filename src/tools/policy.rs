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

use serde::Deserialize;
use tokio::sync::Semaphore;
use tokio::time::Instant as Deadline;

use super::answer::{Answer, Local, LocalAnswer};
use super::args::{Arguments, InputError};
use super::batch_validate_iban::{ApiBatch, BatchInput, BatchRow, BatchValidation, rows_missing};
use super::cache::{CacheKey, SessionCache};
use super::iban_answer::IbanValidation;
use super::iban_answer::LOCAL_COVERS;
use super::lists::ComplianceSource;
use super::provenance::{
    CrossCheck, Mode, Provenance, RowProvenance, Shortfall, Source, single_line,
};
use super::text::Text;
use super::tool::{IBAN_KIND, Tool};
use super::{Outcome, StructuredContent, ToolName};
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

/// Holds the settings and the API client, and answers tool calls.
#[derive(Debug, Clone)]
pub struct Toolbox {
    pub(super) settings: Arc<Settings>,
    pub(super) api: Arc<ApiClient>,
    api_slots: Arc<Semaphore>,
    pub(super) lists: Arc<ComplianceSource>,
    cache: Arc<SessionCache>,
    /// Offline mode's shortfall, the same for every call: built once.
    offline: Option<Arc<Shortfall>>,
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
        use super::{CheckCompliance, LookupBic, LookupChClearing, ValidateIban};
        Ok(match tool {
            ToolName::ValidateIban => self.run::<ValidateIban>(arguments, context).await,
            ToolName::BatchValidateIban => self.run_batch(arguments, context).await,
            ToolName::LookupBic => self.run::<LookupBic>(arguments, context).await,
            ToolName::LookupChClearing => self.run::<LookupChClearing>(arguments, context).await,
            ToolName::CheckCompliance => self.run::<CheckCompliance>(arguments, context).await,
        })
    }

    async fn run<T: Tool>(&self, arguments: Option<&Arguments>, context: &CallContext) -> Outcome {
        let started = Instant::now();
        let input = match T::parse(arguments) {
            Ok(input) => input,
            Err(e) => return input_error::<T>(e, started),
        };
        let deadline = Deadline::now() + self.settings.timeout;
        let answered = self.answer::<T>(&input, deadline, context).await;
        outcome::<T>(answered, &T::log_input(&input), started)
    }

    /// The paid request, in one of the in-flight slots, inside the call's deadline.
    async fn paid(
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
        if let Some(offline) = &self.offline {
            let local = T::local(input, &self.local_engine());
            return fallback::<T>(offline, local, Source::Local);
        }
        // Boxed: the network path's state (cache wait, HTTP request, timeouts) is kilobytes,
        // and held inline it made every call's future a large allocation, which glibc serves
        // slowly (a call answered without the network, offline, paid ~4k instructions for it).
        Box::pin(self.answer_online::<T>(input, deadline, context)).await
    }

    /// [`Self::answer`] when the API may be asked.
    async fn answer_online<T: Tool>(
        &self,
        input: &T::Input,
        deadline: Deadline,
        context: &CallContext,
    ) -> Answered<T::Body> {
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
            Ok(success) => match full_body::<T>(input, &success) {
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
            // Read through `&Value`, as every other answer is: one copy of the reading code.
            && let Ok(validation) = IbanValidation::deserialize(&v)
            && let Some(free) = T::from_free(input, validation, &engine)
        {
            return fallback::<T>(&shortfall, free, Source::FreeFormatEndpoint);
        }
        fallback::<T>(&shortfall, local, Source::Local)
    }

    /// `batch_validate_iban`: the chain row by row, in one request. Rows this session has
    /// already paid for come from the cache; the rest go in one batch request; a batch
    /// refused as larger than what is left (`monthly_quota_insufficient`,
    /// `credits_insufficient`: nothing debited) is retried once with the rows still
    /// affordable; every other row is answered locally. Each row says which.
    async fn run_batch(&self, arguments: Option<&Arguments>, context: &CallContext) -> Outcome {
        use super::BatchValidateIban as B;
        let started = Instant::now();
        let input = match B::parse(arguments) {
            Ok(input) => input,
            Err(e) => return input_error::<B>(e, started),
        };
        let deadline = Deadline::now() + self.settings.timeout;
        let answered = self.batch(&input, deadline, context).await;
        outcome::<B>(answered, &B::log_input(&input), started)
    }

    async fn batch(
        &self,
        input: &BatchInput,
        deadline: Deadline,
        context: &CallContext,
    ) -> Answered<BatchValidation> {
        if let Some(offline) = &self.offline {
            return self.batch_with_local_rows(
                input,
                vec![None; input.unique.len()],
                offline,
                None,
            );
        }
        // Boxed, as in `answer`.
        Box::pin(self.batch_online(input, deadline, context)).await
    }

    /// [`Self::batch`] when the API may be asked.
    async fn batch_online(
        &self,
        input: &BatchInput,
        deadline: Deadline,
        context: &CallContext,
    ) -> Answered<BatchValidation> {
        let engine = self.local_engine();
        let texts: Vec<&str> = input.unique_inputs().map(|i| i.text.as_str()).collect();
        let full_row = |i: usize, v: IbanValidation, cache| {
            let mut p = Provenance::full(None, None);
            p.cache = cache;
            p.cross_check = Some(v.cross_check(texts[i], &engine));
            BatchRow {
                validation: v,
                provenance: p.row(),
            }
        };
        // Rows already paid for this session.
        let mut rows: Vec<Option<BatchRow>> = input
            .unique
            .iter()
            .enumerate()
            .map(|(i, compact)| {
                let c = self.cache.get(&CacheKey::new(IBAN_KIND, compact.clone()))?;
                let v = IbanValidation::deserialize(&c.body).ok()?;
                Some(full_row(i, v, Some(c.hit)))
            })
            .collect();
        let unpaid: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].is_none()).collect();
        if unpaid.is_empty() {
            return self.batch_full(input, rows, None, None, None);
        }
        let ua = context.user_agent();
        let mut usage = (None, None);
        let mut cost = None;
        let mut api_fields = (None, crate::api::JsonObject::new());
        let mut ask = async |send: &[usize], rows: &mut Vec<Option<BatchRow>>| {
            let request = PaidRequest::Batch {
                ibans: send.iter().map(|&i| input.unique[i].clone()).collect(),
            };
            let success = self.paid(&request, deadline, &ua).await?;
            let api = ApiBatch::deserialize(&success.body)
                .map_err(|e| {
                    Failure::new(
                        Reason::InvalidApiResponse,
                        format!("The API's answer does not have the documented shape ({e})."),
                        Some(200),
                    )
                })?
                .check(send.len())?;
            for (&i, v) in send.iter().zip(api.results) {
                if let Ok(value) = serde_json::to_value(&v) {
                    self.cache
                        .put(CacheKey::new(IBAN_KIND, input.unique[i].clone()), value);
                }
                rows[i] = Some(full_row(i, v, None));
            }
            usage = (success.quota, success.credits);
            cost = Some(cost.unwrap_or(0.0) + api.cost_usdc.unwrap_or(0.0));
            api_fields = (api.processing_ms, api.extra);
            Ok::<(), Failure>(())
        };
        let first = match ask(&unpaid, &mut rows).await {
            Ok(()) => {
                let mut answered = self.batch_full(input, rows, usage.0, usage.1, cost);
                answered.body.processing_ms = api_fields.0;
                answered.body.extra = api_fields.1;
                return answered;
            }
            Err(f) => f,
        };
        // Spend what is left: the refusal says how much a smaller request could still buy.
        let affordable = affordable_rows(&first, unpaid.len());
        let mut again = None;
        if self.settings.spend_remaining
            && let Some(k) = affordable.filter(|&k| k > 0 && k < unpaid.len())
            && let Err(f) = ask(&unpaid[..k], &mut rows).await
        {
            again = Some((self.shortfall(f), unpaid[..k].to_vec()));
        }
        let shortfall = self.shortfall(first);
        self.batch_with_local_rows(input, rows, &shortfall, again)
            .with_cost(cost)
    }

    /// Every row full (fresh or cached): the batch is full.
    fn batch_full(
        &self,
        input: &BatchInput,
        rows: Vec<Option<BatchRow>>,
        quota: Option<crate::api::JsonObject>,
        credits: Option<crate::api::JsonObject>,
        cost: Option<f64>,
    ) -> Answered<BatchValidation> {
        use super::BatchValidateIban as B;
        let unique: Vec<BatchRow> = rows.into_iter().flatten().collect();
        let mut provenance = Provenance::full(quota, credits);
        // Served wholly from the cache: say so at the top too (the oldest row's time).
        if unique.iter().all(|r| r.provenance.cache.is_some()) {
            provenance.cache = unique
                .iter()
                .filter_map(|r| r.provenance.cache.clone())
                .max_by_key(|c| c.age_s);
        }
        let mut body = BatchValidation::from_unique(input, unique);
        body.cost_usdc = cost;
        let mut notes = provenance.label_notes();
        let disagreements = disagreeing_rows(&body);
        if !disagreements.is_empty() {
            notes.insert(0, disagreements);
        }
        let cached = body
            .results
            .iter()
            .filter(|r| r.provenance.cache.is_some())
            .count();
        if cached > 0 && provenance.cache.is_none() {
            notes.insert(
                0,
                format!("{cached} rows served from this session's cache (no new charge)"),
            );
        }
        Answered {
            label: with_notes(B::summary(&body), &notes),
            body,
            provenance,
        }
    }

    /// Some rows are not full: each missing row is answered locally, saying why (`again`:
    /// the rows of a second, refused request and their own shortfall).
    fn batch_with_local_rows(
        &self,
        input: &BatchInput,
        rows: Vec<Option<BatchRow>>,
        shortfall: &Shortfall,
        again: Option<(Shortfall, Vec<usize>)>,
    ) -> Answered<BatchValidation> {
        use super::BatchValidateIban as B;
        let engine = self.local_engine();
        let texts: Vec<&str> = input.unique_inputs().map(|i| i.text.as_str()).collect();
        let rows: Vec<BatchRow> = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                row.unwrap_or_else(|| {
                    let why = match &again {
                        Some((s, retried)) if retried.contains(&i) => s,
                        _ => shortfall,
                    };
                    BatchRow {
                        validation: IbanValidation::local(texts[i], &engine),
                        provenance: RowProvenance {
                            mode: why.mode,
                            source: Source::Local,
                            reason: Some(why.why.reason.clone()),
                            cache: None,
                            cross_check: None,
                        },
                    }
                })
            })
            .collect();
        let body = BatchValidation::from_unique(input, rows);
        let full = body
            .results
            .iter()
            .filter(|r| r.provenance.mode == Mode::Full)
            .count();
        let missing = rows_missing(
            body.results
                .iter()
                .filter(|r| r.provenance.mode != Mode::Full)
                .map(|r| &r.validation),
        );
        let covers = if full > 0 {
            format!(
                "{full} of {} answered in full; the rest: {LOCAL_COVERS}",
                body.count
            )
        } else {
            LOCAL_COVERS.to_string()
        };
        let provenance = shortfall.provenance(
            Source::Local,
            missing,
            Some(crate::engine::data::BANK_DIRECTORY_AS_OF.into()),
        );
        let mut label = shortfall.label(&covers, &B::summary(&body));
        let disagreements = disagreeing_rows(&body);
        if !disagreements.is_empty() {
            label = with_notes(label, &[disagreements]);
        }
        Answered {
            body,
            provenance,
            label,
        }
    }

    /// A full answer (fresh or from the cache): the offline engine's second opinion, and
    /// the label with what the user should know — usage near the wall, a cache hit, a
    /// disagreement.
    fn full<T: Tool>(
        &self,
        input: &T::Input,
        body: T::Body,
        mut provenance: Provenance,
    ) -> Answered<T::Body> {
        provenance.cross_check = T::cross_check(input, &body, &self.local_engine());
        let label = with_notes(T::summary(&body), &provenance.label_notes());
        Answered {
            body,
            provenance,
            label,
        }
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

impl Answered<BatchValidation> {
    fn with_cost(mut self, cost: Option<f64>) -> Self {
        self.body.cost_usdc = cost;
        self
    }
}

/// How many rows a refusal says are still affordable: `cause.quota.remaining` units (one per
/// IBAN), or `cause.credits.remaining` at the price per row that `required` implies.
fn affordable_rows(refusal: &Failure, rows: usize) -> Option<usize> {
    let number = |m: &crate::api::JsonObject, k: &str| m.get(k).and_then(serde_json::Value::as_u64);
    let k = match refusal.reason {
        Reason::MonthlyQuotaInsufficient => number(refusal.quota.as_ref()?, "remaining")?,
        Reason::CreditsInsufficient => {
            let credits = refusal.credits.as_ref()?;
            let remaining = number(credits, "remaining")?;
            let per_row = number(credits, "required")
                .map(|r| r.div_ceil(rows.max(1) as u64))
                .filter(|&p| p > 0)
                .unwrap_or(1);
            remaining / per_row
        }
        _ => return None,
    };
    Some(usize::try_from(k).unwrap_or(usize::MAX).min(rows))
}

/// "WARNING: the offline engine disagrees on rows 3, 7" (nothing when all agree).
fn disagreeing_rows(b: &BatchValidation) -> String {
    let rows: Vec<String> = b
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.provenance
                .cross_check
                .as_ref()
                .is_some_and(CrossCheck::disagrees)
        })
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if rows.is_empty() {
        String::new()
    } else {
        format!(
            "WARNING: the offline engine disagrees with the API on row {} (see each row's cross_check)",
            rows.join(", ")
        )
    }
}

impl Toolbox {
    /// The same toolbox with the compliance lists' age judged on `day` instead of today
    /// (tests; reproducible transcripts). Nothing else changes.
    pub fn with_lists_judged_on(mut self, day: crate::engine::compliance::CivilDate) -> Self {
        let file = self.lists.file().map(std::path::Path::to_path_buf);
        self.lists = Arc::new(ComplianceSource::new(file).judged_on(day));
        self
    }
}

/// The summary, then what the user should know, on the one label line.
fn with_notes(summary: String, notes: &[String]) -> String {
    let mut label = summary;
    for n in notes {
        label.push_str(" — ");
        label.push_str(n);
    }
    single_line(label)
}

fn input_error<T: Tool>(e: InputError, started: Instant) -> Outcome {
    tracing::info!(
        tool = T::NAME.name(),
        mode = "input_error",
        duration_ms = started.elapsed().as_millis() as u64,
        "tool call"
    );
    Outcome::InputError(e)
}

/// Log the call, render the text block, serialise the answer once.
fn outcome<T: Tool>(answered: Answered<T::Body>, log_input: &str, started: Instant) -> Outcome {
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

#[cfg(test)]
#[path = "policy_tests.rs"]
mod policy_tests;
