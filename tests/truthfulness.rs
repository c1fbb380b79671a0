//! The fallback chain's choices, each seen from the outside (the stand-in API's request log,
//! the provenance, the label), written to kill the mutants `cargo mutants`
//! (scripts/mutants.sh) found alive in `src/tools/policy.rs`: a chain that asks one source
//! too many, skips the free endpoint, or retries a batch it should not, still answers — only
//! a test that looks at what was asked and what was said can tell.

mod common;

use std::sync::Arc;
use std::time::Duration;

use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::tools::{CallContext, Outcome, Toolbox};
use ibanforge_stand_in::{KeyKind, StandIn};
use serde_json::{Value, json};

/// Angola: not in the offline registry, known to the free format endpoint.
const AO: &str = "AO06004400006729503010102";

fn settings(api: &StandIn, key: Option<&str>) -> Settings {
    Settings {
        api_key: key.and_then(ApiKey::new),
        api_base: api.base.clone(),
        timeout: Duration::from_secs(20),
        ..Settings::default()
    }
}

/// (label, structured).
async fn call(t: &Toolbox, tool: &str, args: Value) -> (String, Value) {
    let outcome = t
        .call(tool, args.as_object(), &CallContext::default())
        .await
        .unwrap();
    let Outcome::Answer {
        structured, label, ..
    } = outcome
    else {
        panic!("{tool}: {outcome:?}")
    };
    common::assert_conforms(tool, &structured);
    (label, structured)
}

fn paths(api: &StandIn) -> Vec<String> {
    api.requests().iter().map(|r| r.path.clone()).collect()
}

#[tokio::test]
async fn a_refused_lookup_asks_the_paid_route_once_and_nothing_else() {
    let api = StandIn::spawn();
    api.add_key("ifk_nocause", KeyKind::NoCause);
    let t = Toolbox::new(Arc::new(settings(&api, Some("ifk_nocause"))));
    for (tool, args, path) in [
        (
            "lookup_bic",
            json!({"bic": "COBADEFFXXX"}),
            "/v1/bic/COBADEFFXXX",
        ),
        (
            "lookup_ch_clearing",
            json!({"iid": "230"}),
            "/v1/ch/clearing/00230",
        ),
    ] {
        api.clear_log();
        let (label, v) = call(&t, tool, args).await;
        assert_eq!(v["provenance"]["mode"], "degraded", "{tool}: {label}");
        assert_eq!(v["provenance"]["source"], "local", "{tool}");
        assert_eq!(
            paths(&api),
            [path],
            "{tool}: the free format endpoint knows nothing about it"
        );
    }
}

#[tokio::test]
async fn a_refused_iban_the_engine_lacks_is_answered_by_the_free_endpoint_without_the_key() {
    let api = StandIn::spawn();
    for key in [None, Some("ifk_nocause")] {
        if let Some(k) = key {
            api.add_key(k, KeyKind::NoCause);
        }
        api.clear_log();
        let t = Toolbox::new(Arc::new(settings(&api, key)));
        let (label, v) = call(&t, "validate_iban", json!({ "iban": AO })).await;
        let p = &v["provenance"];
        assert_eq!(p["source"], "free_format_endpoint", "{key:?}: {p}");
        assert_eq!(
            p["mode"],
            if key.is_some() {
                "degraded"
            } else {
                "anonymous"
            }
        );
        assert_eq!(v["valid"], true, "{key:?}: {label}");
        let requests = api.requests();
        assert_eq!(
            requests.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
            ["/v1/iban/validate", "/v1/iban/format"]
        );
        assert_eq!(requests[1].header("authorization"), None, "never the key");
    }
}

const DE89: &str = "DE89370400440532013000";
const CH10: &str = "CH1000230000000012345";

#[tokio::test]
async fn a_batch_label_adds_only_what_is_true() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_plenty",
        KeyKind::Quota {
            used: 0,
            limit: 1000,
        },
    );
    let t = Toolbox::new(Arc::new(settings(&api, Some("ifk_plenty"))));
    // Fresh, all full, nothing cached, no disagreement, usage far from the wall: the
    // summary alone, and the API's price.
    let (label, b) = call(&t, "batch_validate_iban", json!({"ibans": [DE89, CH10]})).await;
    assert_eq!(label, "2 of 2 IBANs are valid");
    let cost = b["cost_usdc"].as_f64().expect("the API's cost");
    assert!((cost - 0.004).abs() < 1e-9, "{cost}");
    assert!(b["provenance"]["cache"].is_null());

    // Wholly from the cache: said once, at the top, with no per-row count.
    let (label, b) = call(&t, "batch_validate_iban", json!({"ibans": [CH10, DE89]})).await;
    assert!(
        label.starts_with("2 of 2 IBANs are valid — served from this session's cache, fetched "),
        "{label}"
    );
    assert!(!label.contains("rows served"), "{label}");
    assert_eq!(b["provenance"]["cache"]["hit"], true);
    assert_eq!(api.stats("ifk_plenty").requests, 1);

    // Without a key the batch is refused: every row local, and the label claims no full row.
    let t = Toolbox::new(Arc::new(settings(&api, None)));
    let (label, b) = call(&t, "batch_validate_iban", json!({"ibans": [DE89, CH10]})).await;
    assert!(label.starts_with("ANONYMOUS MODE — "), "{label}");
    assert!(!label.contains("answered in full"), "{label}");
    assert!(!label.contains("WARNING"), "{label}");
    let p = &b["provenance"];
    assert_eq!(
        (p["mode"].as_str(), p["source"].as_str()),
        (Some("anonymous"), Some("local"))
    );
    assert!(
        !p["missing"].as_array().unwrap().is_empty(),
        "local rows lack fields: {p}"
    );
    for row in b["results"].as_array().unwrap() {
        assert_eq!(row["provenance"]["mode"], "anonymous", "{row}");
        assert_eq!(row["provenance"]["reason"], "no_api_key", "{row}");
    }
}
