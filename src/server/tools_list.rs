//! `tools/list` answered from bytes prepared at build time.
//!
//! The tool definitions are tens of KB of JSON. Building them as `serde_json` values and
//! writing them back out cost ~2 ms on a session's first `tools/list` and ~0.4 ms on every
//! later one, the largest part of a cold start. Instead, `build.rs` minifies the committed
//! `schemas/tools.json` (which `tests/schemas_drift.rs` keeps equal, byte for byte, to what
//! the code generates) and this module splices those bytes into the answer:
//!
//! - the handler answers `tools/list` with [`placeholder`]: a result with no tools (this
//!   server never really has none);
//! - rmcp fills in the envelope as the session's protocol version wants it (`id`,
//!   `resultType`, cache hints);
//! - the transport, serialising that message, puts [`TOOLS_JSON`] where the empty list is
//!   ([`encode`]). `tools` is the last field of the result and the result the last of the
//!   response, so the empty list is always the line's last `[]` before `}}`.

use std::sync::LazyLock;

use rmcp::model::{JsonRpcMessage, ListToolsResult, ServerJsonRpcMessage, ServerResult, Tool};

/// The `tools` array of `schemas/tools.json`, minified by `build.rs`.
pub const TOOLS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/tools_list.json"));

/// What the handler answers `tools/list` with; the transport puts the tools in.
pub fn placeholder() -> ListToolsResult {
    ListToolsResult::with_all_items(Vec::new())
}

/// The tool definitions as rmcp values, parsed from [`TOOLS_JSON`] on first use: for the
/// rare caller that needs them as values rather than bytes.
pub static TOOLS: LazyLock<Vec<Tool>> =
    LazyLock::new(|| serde_json::from_str(TOOLS_JSON).unwrap_or_default());

/// The line (without its newline) for `message` if it answers `tools/list` with the
/// [`placeholder`]; `None` for every other message.
pub fn encode(message: &ServerJsonRpcMessage) -> Option<Vec<u8>> {
    let JsonRpcMessage::Response(response) = message else {
        return None;
    };
    let ServerResult::ListToolsResult(result) = &response.result else {
        return None;
    };
    if !result.tools.is_empty() {
        return None;
    }
    let envelope = serde_json::to_vec(message).ok()?;
    const EMPTY_TAIL: &[u8] = b"\"tools\":[]}}";
    let head = envelope.strip_suffix(EMPTY_TAIL)?;
    let mut line = Vec::with_capacity(head.len() + TOOLS_JSON.len() + 16);
    line.extend_from_slice(head);
    line.extend_from_slice(b"\"tools\":");
    line.extend_from_slice(TOOLS_JSON.as_bytes());
    line.extend_from_slice(b"}}");
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmcp::model::{NumberOrString, ServerJsonRpcMessage};

    #[test]
    fn the_placeholder_answer_carries_the_prebuilt_tools() {
        let message = ServerJsonRpcMessage::response(
            ServerResult::ListToolsResult(placeholder()),
            NumberOrString::Number(7),
        );
        let line = encode(&message).expect("a placeholder answer is spliced");
        let v: serde_json::Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(v["id"], 7);
        let tools = v["result"]["tools"].as_array().unwrap();
        assert_eq!(tools.len(), crate::tools::registry::TOOLS.len());
        assert_eq!(
            serde_json::to_string(&v["result"]["tools"]).unwrap(),
            TOOLS_JSON,
            "the bytes go out as prepared"
        );
        assert_eq!(TOOLS.len(), crate::tools::registry::TOOLS.len());
    }

    #[test]
    fn other_messages_are_left_to_serde() {
        let message = ServerJsonRpcMessage::response(
            ServerResult::ListToolsResult(ListToolsResult::with_all_items(TOOLS.clone())),
            NumberOrString::Number(1),
        );
        assert!(encode(&message).is_none());
        let ping =
            ServerJsonRpcMessage::response(ServerResult::empty(()), NumberOrString::Number(2));
        assert!(encode(&ping).is_none());
    }
}
