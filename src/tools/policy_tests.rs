//! Unit tests of the fallback policy's pure parts — how a failure is worded for this user,
//! how many rows a refusal still affords, how the label line is assembled — written to kill
//! the mutants `cargo mutants` (scripts/mutants.sh) found alive. The chain itself is tested
//! end to end against the stand-in API (tests/api_matrix.rs, tests/budget.rs).

use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::config::ApiKey;
use crate::tools::iban_answer::IbanValidation;
use crate::tools::lookup_bic::LookupBic;
use crate::tools::validate_iban::ValidateIban;

fn toolbox(key: Option<&str>, base: &str) -> Toolbox {
    Toolbox::new(Arc::new(Settings {
        api_key: key.and_then(ApiKey::new),
        api_base: base.into(),
        ..Settings::default()
    }))
}

fn kinds(s: &Shortfall) -> Vec<&str> {
    s.why.unlock.iter().map(|u| u.kind.as_str()).collect()
}

#[test]
fn the_key_is_withheld_only_when_configured_and_the_base_is_plain_http_elsewhere() {
    assert!(toolbox(Some("ifk_test"), "http://api.example.com").key_withheld());
    assert!(!toolbox(Some("ifk_test"), "https://api.example.com").key_withheld());
    assert!(!toolbox(Some("ifk_test"), "http://127.0.0.1:9").key_withheld());
    assert!(!toolbox(None, "http://api.example.com").key_withheld());
}

#[test]
fn a_keyed_user_is_degraded_and_never_told_anonymous() {
    let keyed = toolbox(Some("ifk_test"), "https://api.example.com");
    let f = Failure::new(
        Reason::TrialExhausted,
        "Anonymous trial used up.",
        Some(402),
    )
    .with_unlock(vec![Unlock::new("x402", "pay anonymously per call")]);
    let s = keyed.shortfall(f.clone());
    assert_eq!(s.mode, Mode::Degraded);
    assert_eq!(s.why.detail, "keyless trial used up.");
    assert_eq!(
        s.why.unlock,
        [Unlock::new("x402", "pay keylessly per call")]
    );
    assert_eq!(
        (s.why.reason.clone(), s.why.upstream_status),
        (Reason::TrialExhausted, Some(402))
    );

    let keyless = toolbox(None, "https://api.example.com");
    let s = keyless.shortfall(f);
    assert_eq!(s.mode, Mode::Anonymous);
    assert_eq!(s.why.detail, "Anonymous trial used up.");
    assert_eq!(
        s.why.unlock,
        [Unlock::new("x402", "pay anonymously per call")]
    );
}

#[test]
fn a_failure_without_unlocks_gets_the_remedy_for_its_kind() {
    let tb = toolbox(Some("ifk_test"), "https://api.example.com");
    let s = tb.shortfall(Failure::new(Reason::InsecureApiBase, "Plain http.", None));
    assert_eq!(kinds(&s), ["use_https"]);
    for transient in [
        Reason::ApiUnreachable,
        Reason::ApiError,
        Reason::InvalidApiResponse,
    ] {
        let s = tb.shortfall(Failure::new(transient, "Down.", None));
        assert_eq!(kinds(&s), ["retry"]);
        assert!(s.why.unlock[0].how.contains("https://api.example.com"));
    }
    let s = tb.shortfall(Failure::new(Reason::PaymentRequired, "Pay.", Some(402)));
    assert_eq!(
        s.why.unlock,
        crate::api::standing_unlock("https://api.example.com")
    );
    // Unlocks the refusal named itself are kept, not replaced.
    let own = vec![Unlock::new("credit_pack", "buy one")];
    let s = tb.shortfall(Failure::new(Reason::ApiError, "Down.", None).with_unlock(own.clone()));
    assert_eq!(s.why.unlock, own);
}

#[test]
fn notes_follow_the_summary_on_one_line() {
    assert_eq!(with_notes("X is valid".into(), &[]), "X is valid");
    assert_eq!(
        with_notes("X is valid".into(), &["a\nb".into(), "c".into()]),
        "X is valid — a b — c"
    );
}

#[test]
fn the_user_agent_keeps_spaces_and_drops_control_characters() {
    let ua = CallContext {
        client: Some("Claude Desktop/1.2\t(x)".into()),
    }
    .user_agent();
    assert!(ua.ends_with("(mcp-client: Claude Desktop/1.2(x))"), "{ua}");
    assert!(
        CallContext::default()
            .user_agent()
            .ends_with("(mcp-client: unknown)")
    );
}

#[test]
fn scrubbing_handles_every_case_and_adjacent_words() {
    assert_eq!(scrub_anonymous("ANONYMOUSanonymous."), "keylesskeyless.");
    assert_eq!(scrub_anonymous("no such word"), "no such word");
    assert_eq!(scrub_anonymous(""), "");
}

/// A writer the test subscriber logs into.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn every_call_is_logged_with_its_mode_and_reason_and_a_degraded_one_warns() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let shortfall = toolbox(Some("ifk_test"), "https://api.example.com").shortfall(Failure::new(
        Reason::CreditsExhausted,
        "No credits.",
        Some(402),
    ));
    let degraded = shortfall.provenance(Source::Local, Vec::new(), None);
    tracing::subscriber::with_default(subscriber, || {
        log_call(
            LookupBic::NAME,
            &degraded,
            "COBADEFFXXX",
            Duration::from_millis(5),
        );
        log_call(
            ValidateIban::NAME,
            &Provenance::full(None, None),
            "DE89…3000",
            Duration::from_millis(7),
        );
    });
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].contains("WARN"), "{log}");
    for part in [
        "tool=\"lookup_bic\"",
        "mode=\"degraded\"",
        "reason=\"credits_exhausted\"",
        "upstream_status=\"402\"",
        "duration_ms=5",
    ] {
        assert!(lines[0].contains(part), "{part} in {log}");
    }
    assert!(lines[1].contains("INFO"), "{log}");
    assert!(lines[1].contains("mode=\"full\" reason=\"-\""), "{log}");
}

#[test]
fn an_upstream_provenance_never_goes_out_beside_ours() {
    // Answers are serialised straight to text: an upstream `provenance` kept among the
    // unknown fields would go out as a second key, first in the object.
    let upstream = json!({
        "iban": "CH9300762011623852957", "formatted": null, "valid": true, "country": null,
        "check_digits": null, "bban": null, "provenance": {"mode": "upstream-says"},
        "future_field": 7
    });
    let body = IbanValidation::deserialize(&upstream).unwrap();
    let text = StructuredContent::of(&Answer {
        body,
        provenance: Provenance::full(None, None),
    });
    assert_eq!(
        text.json().matches("\"provenance\"").count(),
        1,
        "{}",
        text.json()
    );
    assert_eq!(text["provenance"]["mode"], "full");
    assert_eq!(
        text["future_field"], 7,
        "other upstream fields still pass through"
    );
}
