//! The setup check behind `ibanforge-mcp doctor`: where each setting came from, whether the
//! API answers, what the key has left — and the verdict. The command line only prints it.

use std::path::PathBuf;
use std::time::Duration;

use super::lists::{self, ListsOrigin};
use super::policy::{CallContext, Toolbox};
use super::provenance::usage_warnings;
use crate::api::{Failure, Reason, UsageCheck};
use crate::engine::compliance::{ComplianceLists, ListAge};

/// Everything `doctor` found.
#[derive(Debug)]
pub struct Diagnosis {
    /// The lists in force, where they came from, and why a file was not used.
    pub lists: ComplianceLists,
    pub lists_origin: ListsOrigin,
    pub lists_warning: Option<String>,
    /// The lists that may be out of date today (each list-maker's next update is due or past).
    pub lists_out_of_date: Vec<ListAge>,
    /// Where a newer `compliance_lists.json` is read from (`None`: no config directory).
    pub lists_file: Option<PathBuf>,
    /// `GET /health`; `None` when nothing was asked (offline, or the key would be withheld).
    pub health: Option<Result<u16, Failure>>,
    /// `GET /v1/keys/usage`; `None` without a key or when nothing was asked.
    pub usage: Option<Result<UsageCheck, Failure>>,
    /// The wall seen coming: 80 % of the monthly quota used, or credits short of a batch.
    pub usage_warnings: Vec<String>,
    pub verdict: Verdict,
}

/// Whether tool calls get full answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Offline mode is chosen: every answer is local, by choice.
    Offline,
    /// The key would travel over plain http to a remote host: it is never sent.
    KeyWithheld,
    /// Full answers with the key.
    Healthy,
    /// The API answers, but there is no key.
    HealthyWithoutKey,
    /// Answers would be degraded; each problem in one phrase.
    NotHealthy(Vec<String>),
}

impl Toolbox {
    /// Check the setup. Each network question is bounded by the call deadline.
    pub async fn diagnose(&self) -> Diagnosis {
        let mut d = Diagnosis {
            lists: self.lists().lists().clone(),
            lists_origin: self.lists().origin().clone(),
            lists_warning: self.lists().warning().map(str::to_string),
            lists_out_of_date: lists::out_of_date(self.lists().lists()),
            lists_file: self.lists().file().map(PathBuf::from),
            health: None,
            usage: None,
            usage_warnings: Vec::new(),
            verdict: Verdict::Healthy,
        };
        if self.settings().offline {
            d.verdict = Verdict::Offline;
            return d;
        }
        if self.key_withheld() {
            d.verdict = Verdict::KeyWithheld;
            return d;
        }
        let ua = CallContext {
            client: Some("doctor".into()),
        }
        .user_agent();
        let timeout = self.settings().timeout;
        let health = bounded(timeout, self.api().health(&ua)).await;
        let mut problems = Vec::new();
        match &health {
            Ok(200) => {}
            Ok(status) => problems.push(format!("the API's health check answered HTTP {status}")),
            Err(_) => problems.push(format!(
                "the API at {} cannot be reached",
                self.api().base()
            )),
        }
        d.health = Some(health);
        if self.api().keyed() {
            let usage = bounded(timeout, self.api().key_usage(&ua)).await;
            match &usage {
                Ok(UsageCheck::Quota(u)) if u.remaining == 0 => problems.push(
                    "the key's monthly quota is used up (answers will be degraded: monthly_quota_exhausted)".into(),
                ),
                Ok(UsageCheck::Credits { remaining: 0 }) => problems.push(
                    "the key has no credits left (answers will be degraded: credits_exhausted)".into(),
                ),
                Ok(UsageCheck::Rejected { .. }) => problems.push(
                    "the API rejects the configured key (answers will be degraded: invalid_api_key)".into(),
                ),
                Ok(UsageCheck::Unexpected { status }) => {
                    problems.push(format!("the key's usage could not be read (HTTP {status})"))
                }
                _ => {}
            }
            d.usage_warnings = match &usage {
                Ok(UsageCheck::Quota(u)) => {
                    let q = serde_json::json!({"used": u.used, "limit": u.limit, "remaining": u.remaining});
                    usage_warnings(q.as_object(), None)
                }
                Ok(UsageCheck::Credits { remaining }) => {
                    let c = serde_json::json!({"remaining": remaining});
                    usage_warnings(None, c.as_object())
                }
                _ => Vec::new(),
            };
            d.usage = Some(usage);
        }
        d.verdict = match (problems.is_empty(), self.api().keyed()) {
            (false, _) => Verdict::NotHealthy(problems),
            (true, true) => Verdict::Healthy,
            (true, false) => Verdict::HealthyWithoutKey,
        };
        d
    }
}

async fn bounded<T>(
    timeout: Duration,
    question: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    tokio::time::timeout(timeout, question)
        .await
        .unwrap_or_else(|_| {
            Err(Failure::new(
                Reason::ApiUnreachable,
                format!("no answer within {} ms", timeout.as_millis()),
                None,
            ))
        })
}
