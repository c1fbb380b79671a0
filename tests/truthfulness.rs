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
