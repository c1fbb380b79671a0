//! Why an answer is not the full one, and how that is said: the `provenance` object and
//! the label line that opens every text answer.
//!
//! This is the product's reason to exist. Every non-full answer is built from a
//! [`Shortfall`], and the label is derived from the same value, so the machine-readable
//! and the human-readable account cannot disagree. The wording for a keyed user never
//! uses the word "anonymous": that mode exists only when no key is configured.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::{Failure, JsonObject, Reason, Unlock};

/// How complete an answer is. See the tool contract, "The provenance object".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The paid API answered.
    Full,
    /// A key is configured and the full answer was refused or unavailable.
    Degraded,
    /// No key is configured and the full answer was refused or unavailable.
    Anonymous,
    /// Offline mode was chosen; no network call was made.
    Offline,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Degraded => "degraded",
            Self::Anonymous => "anonymous",
            Self::Offline => "offline",
        }
    }
}

/// Who produced the fields of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Api,
    FreeFormatEndpoint,
    Local,
}

/// Added by this client to every answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    pub mode: Mode,
    pub source: Source,
    /// `null` iff mode is `full`; else a machine code (the API's `cause.reason` verbatim, or
    /// one of the client's own: no_api_key, payment_required, rate_limited, api_error,
    /// api_unreachable, invalid_api_response, insecure_api_base, offline_mode).
    pub reason: Option<Reason>,
    /// One human sentence explaining `reason`.
    pub detail: Option<String>,
    /// HTTP status of the paid call that failed, if one was answered.
    pub upstream_status: Option<u16>,
    /// The API's `cause.quota`, verbatim.
    pub quota: Option<JsonObject>,
    /// The API's `cause.credits`, verbatim.
    pub credits: Option<JsonObject>,
    /// Every way to get the full answer.
    pub unlock: Vec<Unlock>,
    /// Top-level fields a full answer carries that this one does not. Empty iff `full`.
    pub missing: Vec<String>,
    /// Date stamp of the embedded data used, when `source` is `local`.
    pub data_as_of: Option<String>,
}

impl Provenance {
    /// The full answer's provenance, with the usage numbers its headers carried.
    pub fn full(quota: Option<JsonObject>, credits: Option<JsonObject>) -> Self {
        Self {
            mode: Mode::Full,
            source: Source::Api,
            reason: None,
            detail: None,
            upstream_status: None,
            quota,
            credits,
            unlock: Vec::new(),
            missing: Vec::new(),
            data_as_of: None,
        }
    }
}

/// Why the full answer was not given, and in which mode it is said. Built by the fallback
/// policy from the refusal or failure of the paid call (already worded for this user).
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    /// `Degraded`, `Anonymous` or `Offline` (never `Full`).
    pub mode: Mode,
    /// Reason, detail, upstream status, quota/credit numbers and the ways to unlock.
    pub why: Failure,
}

impl Shortfall {
    /// Offline: the user (or this build) chose not to call the network.
    pub fn offline(detail: impl Into<String>) -> Self {
        Self {
            mode: Mode::Offline,
            why: Failure::new(Reason::OfflineMode, detail, None).with_unlock(vec![Unlock::new(
                "disable_offline_mode",
                "unset IBANFORGE_OFFLINE (or drop --offline / \"offline\": true) and set IBANFORGE_API_KEY",
            )]),
        }
    }

    /// The `provenance` object for an answer the local engine (or the free endpoint) produced.
    pub fn provenance(
        &self,
        source: Source,
        missing: Vec<String>,
        data_as_of: Option<String>,
    ) -> Provenance {
        debug_assert!(self.mode != Mode::Full);
        Provenance {
            mode: self.mode,
            source,
            reason: Some(self.why.reason.clone()),
            detail: Some(self.why.detail.clone()),
            upstream_status: self.why.upstream_status,
            quota: self.why.quota.clone(),
            credits: self.why.credits.clone(),
            unlock: self.why.unlock.clone(),
            missing,
            data_as_of,
        }
    }

    /// The first line of the text answer: `<MODE> — <what it covers> …`.
    /// `covers` ends with a full stop; `summary` is the one-line result.
    pub fn label(&self, covers: &str, summary: &str) -> String {
        let line = match self.mode {
            Mode::Degraded => format!(
                "DEGRADED RESULT — {covers} Reason: {} — {} {summary}",
                self.why.reason, self.why.detail
            ),
            Mode::Anonymous => format!(
                "ANONYMOUS MODE — {covers} Reason: {} — {} For the full answer set IBANFORGE_API_KEY (free key: 200 requests/month). {summary}",
                self.why.reason, self.why.detail
            ),
            Mode::Offline => format!("OFFLINE RESULT — {covers} {summary}"),
            Mode::Full => summary.to_string(),
        };
        single_line(&line)
    }
}

/// The label must be one line: upstream text may carry newlines, which would let a
/// detail push the real first line out of view.
pub fn single_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_begin_with_the_mode() {
        let mut s = Shortfall::offline("IBANFORGE_OFFLINE is set.");
        assert!(
            s.label("Local check.", "X is valid")
                .starts_with("OFFLINE RESULT — Local check.")
        );
        s.mode = Mode::Degraded;
        s.why.reason = Reason::MonthlyQuotaExhausted;
        s.why.detail = "Your free tier is exhausted\nfor 2026-07.".into();
        let l = s.label("Local check.", "X is valid");
        assert!(l.starts_with("DEGRADED RESULT — Local check. Reason: monthly_quota_exhausted — Your free tier is exhausted for 2026-07."), "{l}");
        assert!(!l.contains('\n'));
        assert!(!l.to_lowercase().contains("anonymous"));
        s.mode = Mode::Anonymous;
        assert!(
            s.label("Local check.", "X")
                .starts_with("ANONYMOUS MODE — Local check. Reason: monthly_quota_exhausted — ")
        );
    }
}
