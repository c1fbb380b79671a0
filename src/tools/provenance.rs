//! Why an answer is not the full one, and how that is said: the `provenance` object and
//! the label line that opens every text answer.
//!
//! This is the product's reason to exist. Every non-full answer is built from a
//! [`Shortfall`], and the label is derived from the same value, so the machine-readable
//! and the human-readable account cannot disagree. The wording for a keyed user never
//! uses the word "anonymous": that mode exists only when no key is configured.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::{Failure, JsonObject, Reason, Unlock, Usage};

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
    /// Set when the answer was served from this process's session cache (no new request).
    pub cache: Option<CacheHit>,
    /// On a full IBAN answer: the offline engine's second opinion.
    pub cross_check: Option<CrossCheck>,
}

/// A full answer served again from the session cache, without a new (paid) request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CacheHit {
    pub hit: bool,
    /// When the API gave the answer (RFC 3339, UTC).
    pub fetched_at: String,
    /// Seconds since then.
    pub age_s: u64,
}

/// The offline engine's second opinion on a full IBAN answer. The API's verdict is never
/// changed: a disagreement is reported, not resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrossCheck {
    pub status: CrossCheckStatus,
    /// The offline engine's own verdict (`null` when it could not check).
    pub local_valid: Option<bool>,
    /// The rule behind a disagreement, or the rules checked.
    pub rule: Option<String>,
    /// One sentence on what was compared and found.
    pub detail: Option<String>,
}

impl CrossCheck {
    pub fn disagrees(&self) -> bool {
        self.status == CrossCheckStatus::Disagree
    }
}

// Variant comments are `//`, not `///`: the schema stays a plain string enum and
// `tools/list` stays lean.
/// What the offline engine's second opinion found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrossCheckStatus {
    // The engine reaches the same verdict.
    Agree,
    // The engine reaches another verdict, or does not find the bank code the API verified.
    Disagree,
    // The engine cannot judge (a country its registry does not cover).
    NotChecked,
}

/// What each row of a batch says about itself: a batch may be answered partly in full,
/// partly from the cache and partly locally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RowProvenance {
    pub mode: Mode,
    pub source: Source,
    /// `null` iff mode is `full`.
    pub reason: Option<Reason>,
    pub cache: Option<CacheHit>,
    pub cross_check: Option<CrossCheck>,
}

impl RowProvenance {
    /// A placeholder for a local row, before the policy says why it is local.
    pub fn local() -> Self {
        Self {
            mode: Mode::Offline,
            source: Source::Local,
            reason: Some(Reason::OfflineMode),
            cache: None,
            cross_check: None,
        }
    }
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
            cache: None,
            cross_check: None,
        }
    }

    /// The full answer of a tool whose full answer is the engine's: nothing was asked of
    /// the API, nothing is missing.
    pub fn full_local(data_as_of: Option<String>) -> Self {
        Self {
            source: Source::Local,
            data_as_of,
            ..Self::full(None, None)
        }
    }

    /// The part a batch row carries.
    pub fn row(&self) -> RowProvenance {
        RowProvenance {
            mode: self.mode,
            source: self.source,
            reason: self.reason.clone(),
            cache: self.cache.clone(),
            cross_check: self.cross_check.clone(),
        }
    }

    /// What the label adds to a full answer, in plain words with the numbers: usage near
    /// the limit, when a cached answer was fetched, a cross-check disagreement.
    pub fn label_notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(c) = &self.cache {
            notes.push(format!(
                "served from this session's cache, fetched {} ({} ago; no new charge)",
                c.fetched_at,
                age(c.age_s)
            ));
        }
        if let Some(x) = self.cross_check.as_ref().filter(|x| x.disagrees()) {
            notes.push(format!(
                "WARNING: the offline engine disagrees: {}",
                x.detail.as_deref().unwrap_or("see provenance.cross_check")
            ));
        }
        notes.extend(usage_warnings(self.quota.as_ref(), self.credits.as_ref()));
        notes
    }
}

/// Rows a full batch may have: a prepaid balance below this cannot pay for one.
pub const BATCH_ROWS: u64 = 100;

/// Warnings before the wall: 80 % of the monthly quota used (computed from the numbers,
/// whether or not the API sends `X-Quota-Notice`), or credits that would not cover a
/// 100-IBAN batch.
pub fn usage_warnings(quota: Option<&JsonObject>, credits: Option<&JsonObject>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(q) = quota.map(Usage::of)
        && let (Some(used), Some(limit)) = (q.used, q.limit)
        && limit > 0
        && (used * 5 >= limit * 4 || q.notice)
    {
        let left = q.remaining.unwrap_or(limit.saturating_sub(used));
        out.push(format!(
            "quota warning: {used} of {limit} requests used this month, {left} left"
        ));
    }
    if let Some(left) = credits.and_then(|c| Usage::of(c).remaining)
        && left < BATCH_ROWS
    {
        out.push(format!(
            "credit warning: {left} credits left, not enough for a {BATCH_ROWS}-IBAN batch"
        ));
    }
    out
}

/// `3 min`, `2 h 5 min`, `40 s`.
fn age(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s => format!("{} h {} min", s / 3600, (s % 3600) / 60),
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
            cache: None,
            cross_check: None,
        }
    }

    /// The first line of the text answer: `<MODE> — <what it covers> …`.
    /// `covers` ends with a full stop; `summary` is the one-line result.
    pub fn label(&self, covers: &str, summary: &str) -> String {
        let (reason, detail) = (self.why.reason.as_str(), self.why.detail.as_str());
        // Joined piece by piece: this runs on every degraded answer, and `format!` cost
        // several times as much as the copying.
        let line = match self.mode {
            Mode::Degraded => [
                "DEGRADED RESULT — ",
                covers,
                " Reason: ",
                reason,
                " — ",
                detail,
                " ",
                summary,
            ]
            .concat(),
            Mode::Anonymous => [
                "ANONYMOUS MODE — ",
                covers,
                " Reason: ",
                reason,
                " — ",
                detail,
                " For the full answer set IBANFORGE_API_KEY (free key: 200 requests/month). ",
                summary,
            ]
            .concat(),
            Mode::Offline => ["OFFLINE RESULT — ", covers, " ", summary].concat(),
            Mode::Full => summary.to_string(),
        };
        single_line(line)
    }
}

/// Whether `s` is already what [`single_line`] would make of it: words separated by one
/// plain space, none before or after, and no other whitespace (a line break, a tab, a
/// Unicode space). One pass over the bytes; only a non-ASCII character is decoded (labels
/// are mostly ASCII, and decoding every character was most of the cost of checking them).
fn is_single_line(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if matches!(b, b'\t'..=b'\r') || (b == b' ' && bytes.get(i + 1) == Some(&b' ')) {
                return false;
            }
            i += 1;
        } else {
            // `i` is where a character starts: ASCII bytes and lead bytes are never inside one.
            let Some(c) = s[i..].chars().next() else {
                return false;
            };
            if c.is_whitespace() {
                return false;
            }
            i += c.len_utf8();
        }
    }
    true
}

/// The label must be one line: upstream text may carry newlines, which would let a
/// detail push the real first line out of view.
pub fn single_line(s: String) -> String {
    // Nearly always already one line: then it is kept as it is, not rebuilt.
    if is_single_line(&s) {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_at_80_percent_from_the_numbers_and_when_credits_run_low() {
        let q = |used: u64| {
            serde_json::json!({"used": used, "limit": 200, "remaining": 200 - used})
                .as_object()
                .unwrap()
                .clone()
        };
        assert!(usage_warnings(Some(&q(159)), None).is_empty());
        assert_eq!(
            usage_warnings(Some(&q(170)), None),
            ["quota warning: 170 of 200 requests used this month, 30 left"]
        );
        let c = serde_json::json!({"remaining": 40})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(
            usage_warnings(None, Some(&c)),
            ["credit warning: 40 credits left, not enough for a 100-IBAN batch"]
        );
        assert_eq!(age(59), "59 s");
        assert_eq!(age(7500), "2 h 5 min");
    }

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

/// Tests that pin each boundary and wording the label and `provenance` rely on, written to
/// kill the mutants `cargo mutants` (scripts/mutants.sh) found alive: a warning one request
/// early or late, or a label that loses its mode, is exactly the lie this module prevents.
#[cfg(test)]
mod mutation_tests {
    use super::*;
    use serde_json::json;

    fn object(v: serde_json::Value) -> JsonObject {
        v.as_object().expect("a JSON object").clone()
    }

    #[test]
    fn mode_codes_are_the_contract_words() {
        let words = [Mode::Full, Mode::Degraded, Mode::Anonymous, Mode::Offline].map(Mode::as_str);
        assert_eq!(words, ["full", "degraded", "anonymous", "offline"]);
    }

    #[test]
    fn quota_warning_starts_at_exactly_80_percent() {
        let q = |used: u64, limit: u64| object(json!({"used": used, "limit": limit}));
        assert_eq!(
            usage_warnings(Some(&q(160, 200)), None),
            ["quota warning: 160 of 200 requests used this month, 40 left"],
            "160/200 is 80 %: warn, and compute what is left when `remaining` is absent"
        );
        assert!(usage_warnings(Some(&q(159, 200)), None).is_empty());
        assert!(usage_warnings(Some(&q(4, 5)), None).len() == 1);
        assert!(usage_warnings(Some(&q(3, 5)), None).is_empty());
        // A limit of zero says nothing about usage: no warning, no division by it.
        assert!(usage_warnings(Some(&q(0, 0)), None).is_empty());
        assert!(usage_warnings(Some(&q(5, 0)), None).is_empty());
        // Missing numbers: nothing to warn about.
        assert!(usage_warnings(Some(&object(json!({"used": 199}))), None).is_empty());
    }

    #[test]
    fn the_api_notice_warns_below_80_percent() {
        let q = object(json!({"used": 10, "limit": 200, "remaining": 190, "notice": "x"}));
        assert_eq!(
            usage_warnings(Some(&q), None),
            ["quota warning: 10 of 200 requests used this month, 190 left"]
        );
    }

    #[test]
    fn credit_warning_only_below_one_batch() {
        let c = |left: u64| object(json!({ "remaining": left }));
        assert!(usage_warnings(None, Some(&c(BATCH_ROWS))).is_empty());
        assert!(usage_warnings(None, Some(&c(BATCH_ROWS + 1))).is_empty());
        assert_eq!(
            usage_warnings(None, Some(&c(BATCH_ROWS - 1))),
            ["credit warning: 99 credits left, not enough for a 100-IBAN batch"]
        );
        let both = usage_warnings(
            Some(&object(json!({"used": 200, "limit": 200, "remaining": 0}))),
            Some(&c(0)),
        );
        assert_eq!(both.len(), 2, "{both:?}");
    }

    #[test]
    fn ages_read_in_the_right_unit_at_each_boundary() {
        assert_eq!(age(0), "0 s");
        assert_eq!(age(60), "1 min");
        assert_eq!(age(150), "2 min");
        assert_eq!(age(3599), "59 min");
        assert_eq!(age(3600), "1 h 0 min");
        assert_eq!(age(3 * 3600 + 125), "3 h 2 min");
    }

    fn cache_hit(age_s: u64) -> CacheHit {
        CacheHit {
            hit: true,
            fetched_at: "2026-11-30T10:00:00Z".into(),
            age_s,
        }
    }

    fn cross_check(status: CrossCheckStatus) -> CrossCheck {
        CrossCheck {
            status,
            local_valid: Some(false),
            rule: Some("checksum".into()),
            detail: Some("the offline engine finds a bad checksum".into()),
        }
    }

    #[test]
    fn label_notes_name_the_cache_the_disagreement_and_the_usage() {
        let quiet = Provenance::full(None, None);
        assert!(quiet.label_notes().is_empty());

        let mut p = Provenance::full(
            Some(object(json!({"used": 190, "limit": 200, "remaining": 10}))),
            Some(object(json!({"remaining": 5}))),
        );
        p.cache = Some(cache_hit(125));
        p.cross_check = Some(cross_check(CrossCheckStatus::Disagree));
        assert_eq!(
            p.label_notes(),
            [
                "served from this session's cache, fetched 2026-11-30T10:00:00Z (2 min ago; no new charge)",
                "WARNING: the offline engine disagrees: the offline engine finds a bad checksum",
                "quota warning: 190 of 200 requests used this month, 10 left",
                "credit warning: 5 credits left, not enough for a 100-IBAN batch",
            ]
        );

        let mut agree = Provenance::full(None, None);
        agree.cross_check = Some(cross_check(CrossCheckStatus::Agree));
        assert!(agree.label_notes().is_empty());
        assert!(!cross_check(CrossCheckStatus::Agree).disagrees());
        assert!(!cross_check(CrossCheckStatus::NotChecked).disagrees());
        assert!(cross_check(CrossCheckStatus::Disagree).disagrees());
    }

    #[test]
    fn a_row_carries_the_answer_s_own_provenance() {
        let mut p = Provenance::full(None, None);
        p.cache = Some(cache_hit(3));
        p.cross_check = Some(cross_check(CrossCheckStatus::Agree));
        let row = p.row();
        assert_eq!(row.mode, Mode::Full);
        assert_eq!(row.source, Source::Api);
        assert_eq!(row.reason, None);
        assert_eq!(row.cache, Some(cache_hit(3)));
        assert_eq!(row.cross_check, Some(cross_check(CrossCheckStatus::Agree)));
        let local = RowProvenance::local();
        assert_eq!(
            (local.mode, local.source, local.reason),
            (Mode::Offline, Source::Local, Some(Reason::OfflineMode))
        );
    }

    #[test]
    fn a_shortfall_s_provenance_says_why_and_how_to_unlock() {
        let mut s = Shortfall::offline("IBANFORGE_OFFLINE is set.");
        let p = s.provenance(Source::Local, vec!["bic".into()], Some("2026-10-01".into()));
        assert_eq!(p.mode, Mode::Offline);
        assert_eq!(p.reason, Some(Reason::OfflineMode));
        assert_eq!(p.detail.as_deref(), Some("IBANFORGE_OFFLINE is set."));
        assert_eq!(p.unlock.len(), 1);
        assert_eq!(p.unlock[0].kind, "disable_offline_mode");
        assert_eq!(p.missing, ["bic"]);
        assert_eq!(p.data_as_of.as_deref(), Some("2026-10-01"));

        s.mode = Mode::Degraded;
        s.why = Failure::new(Reason::CreditsExhausted, "No credits left.", Some(402));
        s.why.credits = Some(object(json!({"remaining": 0})));
        let p = s.provenance(Source::FreeFormatEndpoint, Vec::new(), None);
        assert_eq!(
            (p.mode, p.source, p.upstream_status),
            (Mode::Degraded, Source::FreeFormatEndpoint, Some(402))
        );
        assert_eq!(p.credits, Some(object(json!({"remaining": 0}))));
    }

    #[test]
    fn labels_are_whole_single_lines() {
        let s = Shortfall::offline("ignored in the offline label");
        assert_eq!(
            s.label("Local check.", "X is valid"),
            "OFFLINE RESULT — Local check. X is valid"
        );
        let mut s = s;
        s.mode = Mode::Anonymous;
        s.why = Failure::new(Reason::NoApiKey, "No key.", Some(402));
        assert_eq!(
            s.label("Local check.", "X is valid"),
            "ANONYMOUS MODE — Local check. Reason: no_api_key — No key. For the full answer set IBANFORGE_API_KEY (free key: 200 requests/month). X is valid"
        );
        s.mode = Mode::Full;
        assert_eq!(s.label("ignored", "X  is\nvalid"), "X is valid");
        assert_eq!(single_line("  a\n\tb  c ".into()), "a b c");
        assert_eq!(single_line("a\u{a0}b".into()), "a b");
        assert_eq!(single_line("one line, kept".into()), "one line, kept");
    }

    proptest::proptest! {
        #[test]
        fn a_kept_line_is_what_rebuilding_it_gives(s in "[ a\\n\t\u{a0}\u{2028}é—]{0,12}") {
            let rebuilt = s.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(single_line(s), rebuilt);
        }

        #[test]
        fn a_single_line_is_found_as_reading_every_character_finds_it(
            s in "\\PC{0,16}|[ a—é\t\n\u{b}\u{c}\r\u{85}\u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}]{0,12}"
        ) {
            let by_character = !s.starts_with(' ')
                && !s.ends_with(' ')
                && !s.contains("  ")
                && !s.chars().any(|c| c.is_whitespace() && c != ' ');
            proptest::prop_assert_eq!(is_single_line(&s), by_character);
        }
    }
}
