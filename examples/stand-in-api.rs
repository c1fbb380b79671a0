//! Run the stand-in IBANforge API by hand, to see full and degraded answers locally.
//!
//! ```sh
//! cargo run --example stand-in-api              # listens on 127.0.0.1:8787
//! cargo run --example stand-in-api -- 0         # any free port
//! ```
//! The first line on stdout is the base URL. Demo keys:
//! `ifk_demo_good` (1,000 units), `ifk_demo_three` (3 units, then `monthly_quota_exhausted`),
//! `ifk_demo_85` (170 of 200 used: past 80 %, and no `X-Quota-Notice` is sent),
//! `ifk_demo_credits` (2 credits: a bigger batch gets `credits_insufficient`),
//! `ifk_demo_exhausted` (0 units left), `ifk_demo_invalid` (rejected). Any other key is
//! invalid. Every paid answer carries `"served_by": "stand-in"`; the answers are the
//! stand-in's own (crate `ibanforge-stand-in`), not this server's offline engine.

use ibanforge_stand_in::{KeyKind, StandIn};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port = std::env::args().nth(1).unwrap_or_else(|| "8787".into());
    let api = StandIn::start_on(&format!("127.0.0.1:{port}")).await;
    api.add_key(
        "ifk_demo_good",
        KeyKind::Quota {
            used: 0,
            limit: 1000,
        },
    );
    api.add_key(
        "ifk_demo_three",
        KeyKind::Quota {
            used: 197,
            limit: 200,
        },
    );
    api.add_key("ifk_demo_85", KeyKind::quota_at_percent(85, 200));
    api.add_key(
        "ifk_demo_credits",
        KeyKind::Credits {
            remaining: 2,
            total: 1000,
        },
    );
    api.add_key(
        "ifk_demo_exhausted",
        KeyKind::Quota {
            used: 200,
            limit: 200,
        },
    );
    api.add_key("ifk_demo_invalid", KeyKind::Invalid402);
    println!("{}", api.base);
    eprintln!(
        "stand-in IBANforge API on {} (Ctrl-C to stop). Try:",
        api.base
    );
    eprintln!(
        "  IBANFORGE_API_BASE={} IBANFORGE_API_KEY=ifk_demo_three cargo run -- call validate_iban '{{\"iban\": \"CH10 0023 0000 0000 1234 5\"}}'",
        api.base
    );
    let _ = tokio::signal::ctrl_c().await;
}
