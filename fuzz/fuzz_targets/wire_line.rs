//! The line guard's classification of raw stdin lines, and the one-pass reading of
//! `tools/call` lines against rmcp's own.
#![no_main]
use ibanforge_mcp::server::line_guard::{Verdict, classify};
use ibanforge_mcp::server::tool_call_line;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Verdict::Reply(reply) = classify(data) {
        // Every reply is a JSON-RPC error with an id (possibly null).
        assert_eq!(reply["jsonrpc"], "2.0");
        assert!(reply.get("id").is_some() && reply["error"]["code"].is_i64());
    }
    // A line read in one pass is the message rmcp would have read.
    if let Some((general, fast)) = tool_call_line::both_readings(data) {
        assert_eq!(general, fast);
    }
});
