//! Why an answer is not the full one, and how that is said: the `provenance` object and
//! the label line that opens every text answer.
//!
//! This is the product's reason to exist. Every non-full answer is built from a
//! [`Shortfall`], and the label is derived from the same value, so the machine-readable
//! and the human-readable account cannot disagree. The wording for a keyed user never
//! uses the word "anonymous": that mode exists only when no key is configured.

use super::output::{Mode, Provenance, Source, Unlock};
use crate::api::refusal::Failure;

/// Why the full answer was not given, and in which mode it is said. Built by the fallback
/// policy from the refusal or failure of the paid call (already worded for this user).
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    /// `Degraded`, `Anonymous` or `Offline` (never `Full`).
    pub mode: Mode,
    /// Reason code (the API's `cause.reason` verbatim, or one of the client's own), detail,
    /// upstream status, quota/credit numbers and the ways to unlock.
    pub why: Failure,
}

/// The client's own reason codes (the API's are relayed verbatim).
pub mod reason {
    pub const NO_API_KEY: &str = "no_api_key";
    pub const PAYMENT_REQUIRED: &str = "payment_required";
    pub const RATE_LIMITED: &str = "rate_limited";
    pub const API_ERROR: &str = "api_error";
    pub const API_UNREACHABLE: &str = "api_unreachable";
    pub const INVALID_API_RESPONSE: &str = "invalid_api_response";
    pub const INSECURE_API_BASE: &str = "insecure_api_base";
    pub const OFFLINE_MODE: &str = "offline_mode";
    pub const INVALID_API_KEY: &str = "invalid_api_key";
}

impl Shortfall {
    /// Offline: the user (or this build) chose not to call the network.
    pub fn offline(detail: impl Into<String>) -> Self {
        Self {
            mode: Mode::Offline,
            why: Failure::new(reason::OFFLINE_MODE, detail, None).with_unlock(vec![Unlock {
                kind: "disable_offline_mode".into(),
                how: "unset IBANFORGE_OFFLINE (or drop --offline / \"offline\": true) and set IBANFORGE_API_KEY".into(),
            }]),
        }
    }

    /// The `provenance` object for an answer the local engine produced.
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

/// The full answer's provenance.
pub fn full() -> Provenance {
    Provenance {
        mode: Mode::Full,
        source: Source::Api,
        reason: None,
        detail: None,
        upstream_status: None,
        quota: None,
        credits: None,
        unlock: Vec::new(),
        missing: Vec::new(),
        data_as_of: None,
    }
}

/// The label must be one line: upstream text may carry newlines, which would let a
/// detail push the real first line out of view.
fn single_line(s: &str) -> String {
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
        s.why.reason = "monthly_quota_exhausted".into();
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
