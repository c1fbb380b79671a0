//! A full answer does not pay for the engine's tables: the local engine runs only when the
//! answer is not the full one. In a process of its own, because the engine's work counters
//! are process-wide.
//!
//! (A full IBAN answer does ask the engine one thing — its second opinion, `cross_check`,
//! which reads the one bank-directory row of that IBAN; `lookup_bic` and
//! `lookup_ch_clearing` have no second opinion and must read nothing.)

use std::sync::Arc;
use std::time::Duration;

use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::engine::{banks, blocks, clearing};
use ibanforge_mcp::tools::{CallContext, Outcome, Toolbox};
use ibanforge_stand_in::{KeyKind, StandIn};
use serde_json::{Value, json};

async fn mode(t: &Toolbox, tool: &str, args: Value) -> String {
    match t
        .call(tool, args.as_object(), &CallContext::default())
        .await
        .unwrap()
    {
        Outcome::Answer { structured, .. } => structured["provenance"]["mode"]
            .as_str()
            .unwrap()
            .to_string(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn full_answers_read_no_engine_table_and_fallbacks_do() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_cost",
        KeyKind::Quota {
            used: 0,
            limit: 100,
        },
    );
    let settings = |key: &str| Settings {
        api_key: ApiKey::new(key),
        api_base: api.base.clone(),
        timeout: Duration::from_secs(10),
        ..Settings::default()
    };
    let full = Toolbox::new(Arc::new(settings("ifk_cost")));
    let before = (
        banks::directory_reads(),
        clearing::table_reads(),
        blocks::blocks_inflated(),
    );
    assert_eq!(
        mode(&full, "lookup_bic", json!({"bic": "COBADEFFXXX"})).await,
        "full"
    );
    assert_eq!(
        mode(&full, "lookup_ch_clearing", json!({"iid": "230"})).await,
        "full"
    );
    assert_eq!(
        (
            banks::directory_reads(),
            clearing::table_reads(),
            blocks::blocks_inflated()
        ),
        before,
        "a full answer read the engine's tables"
    );

    // The same questions refused (an unknown key): now the engine answers, and the
    // counters see it.
    let refused = Toolbox::new(Arc::new(settings("ifk_unknown")));
    assert_eq!(
        mode(&refused, "lookup_bic", json!({"bic": "COBADEFFXXX"})).await,
        "degraded"
    );
    assert_eq!(
        mode(&refused, "lookup_ch_clearing", json!({"iid": "230"})).await,
        "degraded"
    );
    assert!(banks::directory_reads() > before.0);
    assert!(clearing::table_reads() > before.1);
}
