//! `tools/call` requests, nearly every line of a session, read in one pass into the
//! message rmcp's own reading gives.
//!
//! rmcp reads a line through two untagged enums: the kind of message, then the kind of
//! request. So serde buffers the whole line into its private `Content` tree, twice, and
//! tries the request kinds one by one (`tools/call` is the 14th). That was a tenth of the
//! server's time per call. A line of the plain shape is read here in one pass instead. The
//! plain shape is `jsonrpc`, `id`, `method: "tools/call"`, and `params` holding only
//! `name`, `arguments` and `_meta`.
//!
//! Any other line goes rmcp's way: another method, another field, or a duplicate key (serde
//! refuses those here). rmcp keeps its own rules there. A test, and the `wire_line` fuzz
//! target, check that a line read here gives exactly the message rmcp's reading gives.

use rmcp::model::{
    CallToolRequestMethod, CallToolRequestParams, ClientJsonRpcMessage, ClientRequest, JsonObject,
    JsonRpcVersion2_0, Request, RequestId, RequestMetaObject,
};
use serde::Deserialize;

/// The plain shape of a `tools/call` line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainToolCall {
    // Read only to check them: "2.0" and "tools/call" exactly.
    #[serde(rename = "jsonrpc")]
    _jsonrpc: JsonRpcVersion2_0,
    id: RequestId,
    #[serde(rename = "method")]
    _method: CallToolRequestMethod,
    params: PlainParams,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainParams {
    name: String,
    #[serde(default)]
    arguments: Option<JsonObject>,
    /// Request metadata: rmcp keeps it in the request's extensions, not in the params.
    #[serde(rename = "_meta", default)]
    meta: Option<JsonObject>,
}

/// The message of a plain `tools/call` line; `None` for any other line.
pub fn read(line: &[u8]) -> Option<ClientJsonRpcMessage> {
    let call: PlainToolCall = serde_json::from_slice(line).ok()?;
    let mut params = CallToolRequestParams::new(call.params.name);
    if let Some(arguments) = call.params.arguments {
        params = params.with_arguments(arguments);
    }
    let mut request = Request::new(params);
    if let Some(meta) = call.params.meta {
        request.extensions.insert(RequestMetaObject::from(meta));
    }
    Some(ClientJsonRpcMessage::request(
        ClientRequest::CallToolRequest(request),
        call.id,
    ))
}

/// What rmcp's reading of `line` gives, and what [`read`] gives, as comparable text: the
/// message serialised, plus the request metadata kept in its extensions. For the test and
/// the fuzz target.
pub fn both_readings(line: &[u8]) -> Option<(String, String)> {
    let fast = read(line)?;
    let general = serde_json::from_slice::<ClientJsonRpcMessage>(line).ok();
    let text = |m: &ClientJsonRpcMessage| {
        let meta = match m {
            rmcp::model::JsonRpcMessage::Request(r) => match &r.request {
                ClientRequest::CallToolRequest(c) => {
                    format!("{:?}", c.extensions.get::<RequestMetaObject>())
                }
                other => format!("not tools/call: {}", other.method()),
            },
            _ => "not a request".to_string(),
        };
        format!(
            "{} {meta}",
            serde_json::to_string(m).unwrap_or_else(|e| e.to_string())
        )
    };
    Some((
        general
            .as_ref()
            .map_or_else(|| "rmcp refuses it".to_string(), text),
        text(&fast),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_tools_call_line_reads_as_rmcp_reads_it() {
        let lines = [
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"validate_iban","arguments":{"iban":"DE89 3704 0044 0532 0130 00"}}}"#,
            r#"{"params":{"arguments":{"ibans":["a","b"],"n":1.5,"big":18446744073709551615,"neg":-3,"o":{"x":null}},"name":"batch_validate_iban"},"method":"tools/call","id":"req-1","jsonrpc":"2.0"}"#,
            r#"{"jsonrpc":"2.0","id":0,"method":"tools/call","params":{"name":"lookup_bic"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"lookup_bic","arguments":null}}"#,
            r#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"x","arguments":{},"_meta":{"progressToken":5,"io.modelcontextprotocol/clientInfo":{"name":"c","version":"1"}}}}"#,
            r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"x","_meta":null}}"#,
            r#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"\u0076alidate_iban","arguments":{"k\"ey":"v\nw"}}}"#,
        ];
        for line in lines {
            let (general, fast) = both_readings(line.as_bytes()).expect(line);
            assert_eq!(general, fast, "{line}");
        }
    }

    #[test]
    fn any_other_line_is_left_to_rmcp() {
        for line in [
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","requestState":"s"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"},"result":{}}"#,
            r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"1.0","id":1,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":[1]}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}"#,
            "not json",
        ] {
            assert!(read(line.as_bytes()).is_none(), "{line}");
        }
    }
}
