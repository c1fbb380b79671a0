//! What the API says about the key's money: the usage headers of a paid answer, and the
//! key-usage route `doctor` reads. Numbers stay numbers; anything unexpected is passed on
//! as the API wrote it rather than dropped.

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::failure::JsonObject;

fn header_number(headers: &HeaderMap, name: &str) -> Option<Value> {
    let v = headers.get(name)?.to_str().ok()?.trim();
    Some(
        v.parse::<u64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(v)),
    )
}

/// `X-Quota-*` of a successful answer, as an object shaped like `cause.quota`.
pub fn quota_from_headers(headers: &HeaderMap) -> Option<JsonObject> {
    let mut m = JsonObject::new();
    for (name, key) in [
        ("x-quota-used", "used"),
        ("x-quota-limit", "limit"),
        ("x-quota-remaining", "remaining"),
        ("x-quota-month", "month"),
        ("x-quota-notice", "notice"),
    ] {
        if let Some(v) = header_number(headers, name) {
            m.insert(key.into(), v);
        }
    }
    (!m.is_empty()).then_some(m)
}

/// `X-Credits-*` of a successful answer, shaped like `cause.credits`.
pub fn credits_from_headers(headers: &HeaderMap) -> Option<JsonObject> {
    let v = header_number(headers, "x-credits-remaining")?;
    let mut m = JsonObject::new();
    m.insert("remaining".into(), v);
    Some(m)
}

/// The numbers of a quota or credits object (`cause.quota`, `cause.credits`, or the
/// `X-Quota-*` / `X-Credits-*` headers shaped like them), read by name here and nowhere
/// else. The object itself goes out in `provenance` as the API wrote it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub used: Option<u64>,
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// What the refused request would have cost (`cause.credits.required`).
    pub required: Option<u64>,
    /// Whether the API attached a notice (`X-Quota-Notice`, `notice`).
    pub notice: bool,
}

impl Usage {
    pub fn of(m: &JsonObject) -> Self {
        let number = |k: &str| m.get(k).and_then(Value::as_u64);
        Self {
            used: number("used"),
            limit: number("limit"),
            remaining: number("remaining"),
            required: number("required"),
            notice: m.contains_key("notice"),
        }
    }
}

/// What `GET /v1/keys/usage` said about the key.
#[derive(Debug, Clone, PartialEq)]
pub enum UsageCheck {
    /// A free-tier key: `used` of `limit` this `month`.
    Quota(KeyUsage),
    /// A prepaid key: credits left.
    Credits { remaining: u64 },
    /// The key was accepted but the answer names no numbers this client knows.
    Accepted,
    /// 401–403: the API rejects the key.
    Rejected { status: u16 },
    /// Any other status.
    Unexpected { status: u16 },
}

/// A free-tier key's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUsage {
    pub used: u64,
    pub limit: u64,
    pub remaining: u64,
    pub month: Option<String>,
}

impl UsageCheck {
    pub fn from_response(status: u16, body: &Value) -> Self {
        let number = |k: &str| {
            body.get(k).and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            })
        };
        match status {
            200 => match (number("used"), number("limit"), number("remaining")) {
                (Some(used), Some(limit), Some(remaining)) => Self::Quota(KeyUsage {
                    used,
                    limit,
                    remaining,
                    month: body
                        .get("month")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                }),
                _ => match number("credits_remaining") {
                    Some(remaining) => Self::Credits { remaining },
                    None => Self::Accepted,
                },
            },
            401..=403 => Self::Rejected { status },
            status => Self::Unexpected { status },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_reads_numbers_only() {
        let m = serde_json::json!({"used": 3, "limit": "200", "remaining": 197, "notice": null});
        let u = Usage::of(m.as_object().unwrap());
        assert_eq!(
            u,
            Usage {
                used: Some(3),
                limit: None,
                remaining: Some(197),
                required: None,
                notice: true
            }
        );
        assert_eq!(Usage::of(&JsonObject::new()), Usage::default());
    }
    use serde_json::json;

    #[test]
    fn reads_quota_credits_and_rejections() {
        let q = UsageCheck::from_response(
            200,
            &json!({"used": 170, "limit": 200, "remaining": "30", "month": "2026-11"}),
        );
        assert_eq!(
            q,
            UsageCheck::Quota(KeyUsage {
                used: 170,
                limit: 200,
                remaining: 30,
                month: Some("2026-11".into())
            })
        );
        assert_eq!(
            UsageCheck::from_response(200, &json!({"credits_remaining": 5})),
            UsageCheck::Credits { remaining: 5 }
        );
        assert_eq!(
            UsageCheck::from_response(403, &Value::Null),
            UsageCheck::Rejected { status: 403 }
        );
        assert_eq!(
            UsageCheck::from_response(200, &json!({})),
            UsageCheck::Accepted
        );
    }
}
