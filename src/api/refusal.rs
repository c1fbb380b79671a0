//! Reading a refusal: what the API said (402 `cause`, 401, 429, `X-API-Key-Invalid`) turned
//! into a reason code, one sentence, the quota/credit numbers and every way to unlock.
//!
//! Parsing is lenient on purpose: bodies come in two x402 dialects, `accepts` has been both a
//! list and an object, and a 402 whose body is not JSON at all is still a refusal. Nothing
//! here fails; the worst case is the client's own generic wording.

use serde_json::{Map, Value};

use super::failure::{Failure, Reason, Unlock, standing_unlock};

fn unlock(kind: &str, how: impl Into<String>) -> Unlock {
    Unlock::new(kind, how)
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// Every unlock a 402 body offers: free tier, credit packs, x402 (either dialect).
fn unlock_from_body(body: &Map<String, Value>, api_base: &str) -> Vec<Unlock> {
    let mut out = Vec::new();
    if let Some(Value::Object(free)) = body.get("free_tier") {
        let signup = text(free.get("signup")).unwrap_or_else(|| "POST /v1/keys/generate".into());
        let signup = match signup.split_once(' ') {
            Some((method, path)) if path.starts_with('/') => format!("{method} {api_base}{path}"),
            _ => signup,
        };
        let desc = text(free.get("description")).unwrap_or_else(|| "free key".into());
        out.push(unlock(
            "free_key",
            format!("{desc} — sign up: {signup}, then set IBANFORGE_API_KEY"),
        ));
    }
    if let Some(Value::Object(packs)) = body.get("credit_packs") {
        let parts: Vec<String> = ["description", "pay_by_card", "pay_by_usdc", "pricing"]
            .iter()
            .filter_map(|k| text(packs.get(*k)))
            .collect();
        if !parts.is_empty() {
            out.push(unlock("credit_pack", parts.join(" — ")));
        }
    }
    // x402 terms: `accepts` is a list (v2) or a single object (older bodies); v1 names the
    // amount `maxAmountRequired` and the network "base".
    let accepts: Vec<&Map<String, Value>> = match body.get("accepts") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(one)) => vec![one],
        _ => Vec::new(),
    };
    if let Some(terms) = accepts.first() {
        let amount = text(terms.get("amount"))
            .or_else(|| text(terms.get("maxAmountRequired")))
            .or_else(|| {
                terms
                    .get("amount")
                    .and_then(Value::as_u64)
                    .map(|n| n.to_string())
            });
        let network = text(terms.get("network")).unwrap_or_else(|| "base".into());
        let docs = body
            .get("x402")
            .and_then(Value::as_object)
            .and_then(|x| text(x.get("protocol_docs")))
            .unwrap_or_else(|| "https://x402.org".into());
        let version = body.get("x402Version").and_then(Value::as_u64).unwrap_or(1);
        out.push(unlock(
            "x402",
            format!(
                "pay per call with x402 v{version}: {} atomic units of {} on {network} to {} ({docs})",
                amount.unwrap_or_else(|| "?".into()),
                text(terms.get("asset")).unwrap_or_else(|| "USDC".into()),
                text(terms.get("payTo")).unwrap_or_else(|| "the API's address".into()),
            ),
        ));
    } else if let Some(Value::Object(x)) = body.get("x402")
        && let Some(d) = text(x.get("description"))
    {
        out.push(unlock("x402", d));
    }
    out
}

/// Read a 402 (or a 401 on a paid route, handled the same way).
pub fn from_payment_refusal(
    status: u16,
    body: &[u8],
    key_invalid_header: bool,
    keyed: bool,
    api_base: &str,
) -> Failure {
    let parsed: Option<Map<String, Value>> =
        serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            });
    let empty = Map::new();
    let body = parsed.as_ref().unwrap_or(&empty);
    let cause = body.get("cause").and_then(Value::as_object);
    let cause_reason = cause.and_then(|c| text(c.get("reason")));
    let cause_detail = cause.and_then(|c| text(c.get("detail")));
    let body_error = text(body.get("error"));

    let reason = match (&cause_reason, keyed) {
        // The API's own reason, verbatim: new reasons pass straight through.
        (Some(r), _) => Reason::from_code(r),
        (None, true) if key_invalid_header || status == 401 => Reason::InvalidApiKey,
        (None, true) => Reason::PaymentRequired,
        (None, false) => Reason::NoApiKey,
    };
    let own_detail = match &reason {
        Reason::InvalidApiKey => {
            "The API rejected the configured key (IBANFORGE_API_KEY): check it for typos or generate a new one.".to_string()
        }
        Reason::PaymentRequired => format!(
            "The API refused the paid call with HTTP {status} and gave no reason{}.",
            body_error.as_deref().map(|e| format!(" (error: {e})")).unwrap_or_default()
        ),
        Reason::NoApiKey => {
            "No API key is configured, so the API offers this call only for payment.".to_string()
        }
        other => format!("The API refused the paid call ({other})."),
    };
    let mut failure = Failure::new(
        reason.clone(),
        cause_detail.unwrap_or(own_detail),
        Some(status),
    );
    failure.quota = cause
        .and_then(|c| c.get("quota"))
        .and_then(Value::as_object)
        .cloned();
    failure.credits = cause
        .and_then(|c| c.get("credits"))
        .and_then(Value::as_object)
        .cloned();
    failure.unlock = unlock_from_body(body, api_base);
    if reason == Reason::InvalidApiKey {
        failure.unlock.insert(
            0,
            unlock(
                "fix_api_key",
                "check IBANFORGE_API_KEY (keys start with ifk_) or run `ibanforge-mcp doctor`",
            ),
        );
    }
    if failure.unlock.is_empty() {
        failure.unlock = standing_unlock(api_base);
    }
    failure
}

/// 429: not retried inside the call; the wait goes into `detail`.
pub fn from_rate_limit(body: &[u8], retry_after_header: Option<&str>) -> Failure {
    let from_body = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("retry_after").and_then(Value::as_u64));
    let seconds = retry_after_header
        .and_then(|h| h.trim().parse::<u64>().ok())
        .or(from_body);
    let detail = match seconds {
        Some(s) => format!("The API's per-IP rate limit was hit (HTTP 429); Retry-After: {s} s."),
        None => "The API's per-IP rate limit was hit (HTTP 429); no Retry-After was given.".into(),
    };
    Failure::new(Reason::RateLimited, detail, Some(429)).with_unlock(vec![unlock(
        "retry_after",
        match seconds {
            Some(s) => format!("call again after {s} s (a key does not raise the per-IP limit)"),
            None => "call again in a minute (a key does not raise the per-IP limit)".into(),
        },
    )])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BASE: &str = "https://api.ibanforge.com";

    fn body() -> Value {
        json!({
            "error": "payment_required",
            "x402Version": 2,
            "accepts": [{"scheme": "exact", "network": "eip155:8453", "amount": "5000", "asset": "0xUSDC", "payTo": "0xPAY"}],
            "free_tier": {"description": "200 free requests/month", "signup": "POST /v1/keys/generate"},
            "credit_packs": {"description": "Prepaid credits", "pay_by_usdc": "POST /v1/credits/buy/1k|5k|25k"},
            "x402": {"protocol_docs": "https://x402.org"},
            "cause": {
                "reason": "monthly_quota_exhausted",
                "detail": "Your free tier is exhausted for 2026-07 (200/200 requests used).",
                "quota": {"used": 200, "limit": 200, "month": "2026-07", "remaining": 0}
            }
        })
    }

    #[test]
    fn relays_the_cause_verbatim_with_numbers_and_unlocks() {
        let f = from_payment_refusal(402, body().to_string().as_bytes(), false, true, BASE);
        assert_eq!(f.reason, Reason::MonthlyQuotaExhausted);
        assert!(f.detail.starts_with("Your free tier is exhausted"));
        assert_eq!(f.quota.unwrap()["used"], 200);
        let kinds: Vec<&str> = f.unlock.iter().map(|u| u.kind.as_str()).collect();
        assert_eq!(kinds, ["free_key", "credit_pack", "x402"]);
        assert!(
            f.unlock[0]
                .how
                .contains("POST https://api.ibanforge.com/v1/keys/generate")
        );
        assert!(
            f.unlock[2]
                .how
                .contains("5000 atomic units of 0xUSDC on eip155:8453")
        );
    }

    #[test]
    fn unknown_reasons_pass_through() {
        let mut b = body();
        b["cause"] = json!({"reason": "account_frozen_2027", "detail": "Frozen."});
        let f = from_payment_refusal(402, b.to_string().as_bytes(), false, true, BASE);
        assert_eq!(
            (f.reason.as_str(), f.detail.as_str()),
            ("account_frozen_2027", "Frozen.")
        );
    }

    #[test]
    fn no_cause_depends_on_key_and_header() {
        let v1 = json!({"x402Version": 1, "accepts": {"scheme": "exact", "network": "base", "maxAmountRequired": "5000"}});
        let b = v1.to_string();
        assert_eq!(
            from_payment_refusal(402, b.as_bytes(), false, false, BASE).reason,
            Reason::NoApiKey
        );
        assert_eq!(
            from_payment_refusal(402, b.as_bytes(), false, true, BASE).reason,
            Reason::PaymentRequired
        );
        assert_eq!(
            from_payment_refusal(402, b.as_bytes(), true, true, BASE).reason,
            Reason::InvalidApiKey
        );
        assert_eq!(
            from_payment_refusal(401, b"{\"error\":\"invalid_key\"}", false, true, BASE).reason,
            Reason::InvalidApiKey
        );
        let f = from_payment_refusal(402, b.as_bytes(), false, true, BASE);
        assert!(f.unlock.iter().any(|u| u.kind == "x402"
            && u.how.contains("v1: 5000 atomic units")
            && u.how.contains("on base")));
    }

    #[test]
    fn a_402_that_is_not_json_is_still_a_refusal() {
        let f = from_payment_refusal(402, b"<html>Payment Required</html>", false, true, BASE);
        assert_eq!(f.reason, Reason::PaymentRequired);
        assert_eq!(f.upstream_status, Some(402));
        assert_eq!(f.unlock, standing_unlock(BASE));
    }

    #[test]
    fn rate_limit_reports_retry_after() {
        let f = from_rate_limit(
            b"{\"error\":\"rate_limit_exceeded\",\"retry_after\":30}",
            None,
        );
        assert!(f.detail.contains("Retry-After: 30 s"));
        let f = from_rate_limit(b"", Some("12"));
        assert!(f.detail.contains("Retry-After: 12 s"));
    }
}

/// Tests that pin every default and fallback of the refusal reader, written to kill the
/// mutants `cargo mutants` (scripts/mutants.sh) found alive: a refusal that loses its
/// numbers, names the wrong reason or drops a way to unlock misleads the agent.
#[cfg(test)]
mod mutation_tests {
    use super::*;
    use serde_json::json;

    const BASE: &str = "https://api.ibanforge.com";

    fn refuse(status: u16, body: Value, keyed: bool) -> Failure {
        from_payment_refusal(status, body.to_string().as_bytes(), false, keyed, BASE)
    }

    #[test]
    fn blank_text_counts_as_absent_and_text_is_trimmed() {
        assert_eq!(text(Some(&json!("  x  "))), Some("x".into()));
        assert_eq!(text(Some(&json!("   "))), None);
        assert_eq!(text(Some(&json!(""))), None);
        assert_eq!(text(Some(&json!(5))), None);
        assert_eq!(text(None), None);
        // A blank cause reason is no reason: the client's own applies.
        let f = refuse(402, json!({"cause": {"reason": " ", "detail": " "}}), true);
        assert_eq!(f.reason, Reason::PaymentRequired);
        assert!(
            f.detail
                .starts_with("The API refused the paid call with HTTP 402")
        );
    }

    #[test]
    fn free_tier_defaults_and_signup_paths() {
        let kinds = |f: &Failure| f.unlock.iter().map(|u| u.kind.clone()).collect::<Vec<_>>();
        let f = refuse(402, json!({"free_tier": {}}), false);
        assert_eq!(kinds(&f), ["free_key"]);
        assert_eq!(
            f.unlock[0].how,
            "free key — sign up: POST https://api.ibanforge.com/v1/keys/generate, then set IBANFORGE_API_KEY"
        );
        // A signup that is not `METHOD /path` is shown as it came.
        let f = refuse(
            402,
            json!({"free_tier": {"signup": "see https://ibanforge.com/signup", "description": "Free"}}),
            false,
        );
        assert_eq!(
            f.unlock[0].how,
            "Free — sign up: see https://ibanforge.com/signup, then set IBANFORGE_API_KEY"
        );
        let f = refuse(
            402,
            json!({"free_tier": {"signup": "https://ibanforge.com/signup"}}),
            false,
        );
        assert!(
            f.unlock[0]
                .how
                .contains("sign up: https://ibanforge.com/signup,"),
            "{:?}",
            f.unlock
        );
    }

    #[test]
    fn credit_packs_join_their_parts_and_an_empty_pack_offers_nothing() {
        let f = refuse(
            402,
            json!({"credit_packs": {"pricing": "from $5", "description": "Packs", "pay_by_card": "https://pay"}}),
            true,
        );
        assert_eq!(f.unlock.len(), 1);
        assert_eq!(f.unlock[0].kind, "credit_pack");
        assert_eq!(f.unlock[0].how, "Packs — https://pay — from $5");
        // Nothing usable in the pack: the client's standing list instead.
        let f = refuse(402, json!({"credit_packs": {"description": " "}}), true);
        assert_eq!(f.unlock, standing_unlock(BASE));
    }

    #[test]
    fn x402_terms_fall_back_field_by_field() {
        let f = refuse(402, json!({"accepts": [{"amount": 7000}]}), true);
        assert_eq!(
            f.unlock[0].how,
            "pay per call with x402 v1: 7000 atomic units of USDC on base to the API's address (https://x402.org)"
        );
        let f = refuse(
            402,
            json!({"x402Version": 2, "accepts": [{"amount": "5000", "payTo": "0xPAY"}, {"amount": "1"}],
                   "x402": {"protocol_docs": "https://docs.example/x402"}}),
            true,
        );
        assert_eq!(f.unlock.len(), 1, "only the first terms are offered");
        assert_eq!(
            f.unlock[0].how,
            "pay per call with x402 v2: 5000 atomic units of USDC on base to 0xPAY (https://docs.example/x402)"
        );
        let f = refuse(402, json!({"accepts": [{}]}), true);
        assert!(
            f.unlock[0].how.contains(": ? atomic units"),
            "{:?}",
            f.unlock
        );
        // No terms at all: the x402 description, if any.
        let f = refuse(
            402,
            json!({"accepts": [], "x402": {"description": "Pay per call in USDC."}}),
            true,
        );
        assert_eq!(f.unlock, [Unlock::new("x402", "Pay per call in USDC.")]);
        let f = refuse(402, json!({"x402": {"description": ""}}), true);
        assert_eq!(f.unlock, standing_unlock(BASE));
    }

    #[test]
    fn the_client_s_own_detail_matches_the_reason() {
        let f = refuse(401, json!({"error": "invalid_key"}), true);
        assert_eq!(f.reason, Reason::InvalidApiKey);
        assert!(
            f.detail.starts_with("The API rejected the configured key"),
            "{}",
            f.detail
        );
        // The remedy is the key itself: the standing list is not added to it.
        assert_eq!(
            f.unlock.iter().map(|u| u.kind.as_str()).collect::<Vec<_>>(),
            ["fix_api_key"]
        );

        let f = refuse(402, json!({"error": "payment_required"}), true);
        assert_eq!(
            f.detail,
            "The API refused the paid call with HTTP 402 and gave no reason (error: payment_required)."
        );
        let f = refuse(402, json!({}), true);
        assert_eq!(
            f.detail,
            "The API refused the paid call with HTTP 402 and gave no reason."
        );

        let f = refuse(402, json!({}), false);
        assert_eq!(
            f.detail,
            "No API key is configured, so the API offers this call only for payment."
        );
        // A reason without a detail: named in the client's sentence.
        let f = refuse(402, json!({"cause": {"reason": "credits_exhausted"}}), true);
        assert_eq!(
            f.detail,
            "The API refused the paid call (credits_exhausted)."
        );
        // Neither an unlock of its own nor fix_api_key for other reasons.
        assert!(f.unlock.iter().all(|u| u.kind != "fix_api_key"));
        assert_eq!(f.unlock, standing_unlock(BASE));
    }

    #[test]
    fn numbers_pass_through_verbatim() {
        let f = refuse(
            402,
            json!({"cause": {"reason": "credits_insufficient",
                             "credits": {"remaining": 40, "required": 100},
                             "quota": "not an object"}}),
            true,
        );
        assert_eq!(f.reason, Reason::CreditsInsufficient);
        assert_eq!(
            f.credits.as_ref().map(|c| Value::Object(c.clone())),
            Some(json!({"remaining": 40, "required": 100}))
        );
        assert_eq!(f.quota, None);
        assert_eq!(f.upstream_status, Some(402));
    }

    #[test]
    fn rate_limit_prefers_the_header_and_says_when_it_does_not_know() {
        let f = from_rate_limit(b"{\"retry_after\":30}", Some(" 12 "));
        assert_eq!(
            f.detail,
            "The API's per-IP rate limit was hit (HTTP 429); Retry-After: 12 s."
        );
        assert_eq!(
            f.unlock,
            [Unlock::new(
                "retry_after",
                "call again after 12 s (a key does not raise the per-IP limit)"
            )]
        );
        assert_eq!(
            (f.reason.clone(), f.upstream_status),
            (Reason::RateLimited, Some(429))
        );
        let f = from_rate_limit(b"{\"retry_after\":30}", Some("soon"));
        assert!(f.detail.ends_with("Retry-After: 30 s."), "{}", f.detail);
        let f = from_rate_limit(b"not json", None);
        assert_eq!(
            f.detail,
            "The API's per-IP rate limit was hit (HTTP 429); no Retry-After was given."
        );
        assert_eq!(
            f.unlock[0].how,
            "call again in a minute (a key does not raise the per-IP limit)"
        );
    }
}
