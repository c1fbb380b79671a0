//! The line guard's classification of raw stdin lines.
#![no_main]
use ibanforge_mcp::server::line_guard::{Verdict, classify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Verdict::Reply(reply) = classify(data) {
        // Every reply is a JSON-RPC error with an id (possibly null).
        assert_eq!(reply["jsonrpc"], "2.0");
        assert!(reply.get("id").is_some() && reply["error"]["code"].is_i64());
    }
});
