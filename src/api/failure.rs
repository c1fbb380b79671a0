//! Why the paid call did not give a full answer: a typed [`Reason`], one sentence, the
//! numbers the API gave, and every way to unlock the full answer.
//!
//! This is the vocabulary the API client speaks to the rest of the crate. It lives here,
//! beside the code that reads refusals, so that nothing in `api` has to look upward.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A JSON object passed through verbatim (the API's `cause.quota`, `cause.credits`).
pub type JsonObject = Map<String, Value>;

/// A machine code for why an answer is not full: the API's `cause.reason` verbatim, or one
/// of the client's own. Unknown upstream reasons are kept as they came
/// ([`Reason::Upstream`]): the API adds reasons, and each must reach the agent unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reason {
    // The API's documented `cause.reason` values.
    MonthlyQuotaExhausted,
    MonthlyQuotaInsufficient,
    CreditsExhausted,
    CreditsInsufficient,
    InvalidApiKey,
    TrialExhausted,
    TrialUnavailable,
    // The client's own.
    NoApiKey,
    PaymentRequired,
    RateLimited,
    ApiError,
    ApiUnreachable,
    InvalidApiResponse,
    InsecureApiBase,
    OfflineMode,
    /// A reason this client has never heard of, verbatim.
    Upstream(String),
}

impl Reason {
    const KNOWN: [Reason; 15] = [
        Self::MonthlyQuotaExhausted,
        Self::MonthlyQuotaInsufficient,
        Self::CreditsExhausted,
        Self::CreditsInsufficient,
        Self::InvalidApiKey,
        Self::TrialExhausted,
        Self::TrialUnavailable,
        Self::NoApiKey,
        Self::PaymentRequired,
        Self::RateLimited,
        Self::ApiError,
        Self::ApiUnreachable,
        Self::InvalidApiResponse,
        Self::InsecureApiBase,
        Self::OfflineMode,
    ];

    /// The code as it appears in `provenance.reason`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::MonthlyQuotaExhausted => "monthly_quota_exhausted",
            Self::MonthlyQuotaInsufficient => "monthly_quota_insufficient",
            Self::CreditsExhausted => "credits_exhausted",
            Self::CreditsInsufficient => "credits_insufficient",
            Self::InvalidApiKey => "invalid_api_key",
            Self::TrialExhausted => "trial_exhausted",
            Self::TrialUnavailable => "trial_unavailable",
            Self::NoApiKey => "no_api_key",
            Self::PaymentRequired => "payment_required",
            Self::RateLimited => "rate_limited",
            Self::ApiError => "api_error",
            Self::ApiUnreachable => "api_unreachable",
            Self::InvalidApiResponse => "invalid_api_response",
            Self::InsecureApiBase => "insecure_api_base",
            Self::OfflineMode => "offline_mode",
            Self::Upstream(s) => s,
        }
    }

    /// Read a code: a known one becomes its variant, anything else is kept verbatim.
    pub fn from_code(code: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|r| r.as_str() == code)
            .unwrap_or_else(|| Self::Upstream(code.to_string()))
    }

    /// The failure says nothing about the user's money or key: the service or the network
    /// failed, so the remedy is to try again later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::ApiUnreachable | Self::ApiError | Self::InvalidApiResponse
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Self::from_code(&s))
    }
}

/// On the wire a reason is a plain string (new upstream reasons must validate too).
impl JsonSchema for Reason {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}

/// One way to get the full answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Unlock {
    /// e.g. `free_key`, `credit_pack`, `x402`, `set_api_key`, `disable_offline_mode`.
    pub kind: String,
    pub how: String,
}

impl Unlock {
    pub fn new(kind: &str, how: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            how: how.into(),
        }
    }
}

/// A refusal or failure of the paid call.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub reason: Reason,
    /// One human sentence: the API's `cause.detail`, else the client's own words.
    pub detail: String,
    /// HTTP status of the paid call, when it was answered.
    pub upstream_status: Option<u16>,
    /// The API's `cause.quota`, verbatim.
    pub quota: Option<JsonObject>,
    /// The API's `cause.credits`, verbatim.
    pub credits: Option<JsonObject>,
    pub unlock: Vec<Unlock>,
}

impl Failure {
    pub fn new(reason: Reason, detail: impl Into<String>, upstream_status: Option<u16>) -> Self {
        Self {
            reason,
            detail: detail.into(),
            upstream_status,
            quota: None,
            credits: None,
            unlock: Vec::new(),
        }
    }

    pub fn with_unlock(mut self, unlock: Vec<Unlock>) -> Self {
        self.unlock = unlock;
        self
    }
}

/// The client's standing list, used when a refusal names no way out itself.
pub fn standing_unlock(api_base: &str) -> Vec<Unlock> {
    vec![
        Unlock::new(
            "free_key",
            format!(
                "get a free key (200 requests/month): POST {api_base}/v1/keys/generate, then set IBANFORGE_API_KEY"
            ),
        ),
        Unlock::new(
            "credit_pack",
            "buy a prepaid credit pack: https://ibanforge.com/pricing",
        ),
        Unlock::new(
            "x402",
            "pay per call in USDC on Base with an x402 client: https://x402.org",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_kept() {
        for r in Reason::KNOWN {
            assert_eq!(Reason::from_code(r.as_str()), r);
        }
        let r = Reason::from_code("account_frozen_2027");
        assert_eq!(r, Reason::Upstream("account_frozen_2027".into()));
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            "\"account_frozen_2027\""
        );
        let back: Reason = serde_json::from_str("\"rate_limited\"").unwrap();
        assert_eq!(back, Reason::RateLimited);
    }
}

/// Tests that pin what the rest of the crate reads from a failure, written to kill the
/// mutants `cargo mutants` (scripts/mutants.sh) found alive.
#[cfg(test)]
mod mutation_tests {
    use super::*;

    #[test]
    fn only_service_and_network_failures_are_transient() {
        let transient: Vec<&str> = Reason::KNOWN
            .iter()
            .filter(|r| r.is_transient())
            .map(Reason::as_str)
            .collect();
        assert_eq!(
            transient,
            ["api_error", "api_unreachable", "invalid_api_response"]
        );
        assert!(!Reason::Upstream("new_reason".into()).is_transient());
    }

    #[test]
    fn reasons_display_and_schema_as_plain_strings() {
        assert_eq!(Reason::CreditsExhausted.to_string(), "credits_exhausted");
        assert_eq!(Reason::Upstream("x_y".into()).to_string(), "x_y");
        // Inline `{"type": "string"}`, never a `$ref` to a definition: a reason the client
        // has never heard of must still validate.
        assert!(<Reason as JsonSchema>::inline_schema());
        assert_eq!(<Reason as JsonSchema>::schema_name(), "string");
        let schema = schemars::schema_for!(Reason);
        assert_eq!(schema.get("type"), Some(&serde_json::json!("string")));
    }

    #[test]
    fn the_standing_list_offers_every_way_out() {
        let list = standing_unlock("http://127.0.0.1:9");
        let kinds: Vec<&str> = list.iter().map(|u| u.kind.as_str()).collect();
        assert_eq!(kinds, ["free_key", "credit_pack", "x402"]);
        assert!(
            list[0]
                .how
                .contains("POST http://127.0.0.1:9/v1/keys/generate")
        );
        let f = Failure::new(Reason::ApiError, "d", Some(500)).with_unlock(list.clone());
        assert_eq!(f.unlock, list);
    }
}
