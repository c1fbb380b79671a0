//! The line guard between stdio and rmcp.
//!
//! rmcp answers some malformed input with an error that carries no `id` (a client waiting on
//! that id waits forever) and buffers lines of up to 16 MiB. This guard reads stdin itself,
//! line by line and bounded, and answers what rmcp would mishandle before rmcp sees it:
//!
//! - a line that is not JSON → `-32700 Parse error`, `id: null`;
//! - a request whose shape or `params` rmcp cannot read → an error that carries its `id`;
//! - a line over [`MAX_LINE_BYTES`] → discarded as it streams (memory stays bounded) and
//!   answered with `-32600`, with the request's `id` when its first bytes show one.
//!
//! Everything else goes on to rmcp as the message the guard parsed (rmcp does not parse it
//! again: [`super::transport`]). Both rmcp's answers and the guard's own replies go to
//! stdout through one writer, a whole line at a time, so they never interleave.

use std::sync::Arc;

use rmcp::model::ClientJsonRpcMessage;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, BufReader};
use tokio::sync::{Notify, Semaphore, mpsc};
use tokio::task::JoinHandle;

use super::transport::{self, Outgoing, StdioTransport};

/// Requests in flight at once (the guard's own replies to malformed lines count too). Past
/// this the guard stops reading stdin until answers go out: memory stays bounded however many
/// requests — or malformed lines — a client pipelines, and every one is answered.
pub const MAX_IN_FLIGHT: usize = 64;

/// Longest accepted line. Tool arguments are bounded far below this (256 characters × 100
/// IBANs); the margin is for clients' `_meta`.
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// What to do with one input line.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// A message rmcp can read: pass it on, parsed. `request`: it will be answered (and so
    /// holds one of the in-flight places until then); `cancels`: a cancellation, whose
    /// request may now go unanswered.
    Forward {
        message: Box<ClientJsonRpcMessage>,
        request: bool,
        cancels: bool,
    },
    /// Answer it here with this JSON-RPC error (one line of JSON).
    Reply(Value),
    /// Nothing to answer (blank line, malformed notification or response).
    Drop,
}

/// Requests the MCP specification defines (both eras). Anything else is a custom method.
const SPEC_METHODS: &[&str] = &[
    "ping",
    "initialize",
    "server/discover",
    "completion/complete",
    "logging/setLevel",
    "prompts/get",
    "prompts/list",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "resources/subscribe",
    "resources/unsubscribe",
    "subscriptions/listen",
    "tools/call",
    "tools/list",
    "tasks/get",
    "tasks/update",
    "tasks/cancel",
];

fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

fn request_id(v: &Value) -> Option<Value> {
    match v.get("id") {
        Some(id @ (Value::String(_) | Value::Number(_))) => Some(id.clone()),
        _ => None,
    }
}

/// Decide what to do with one complete line (without its newline).
pub fn classify(line: &[u8]) -> Verdict {
    // A byte-order mark some Windows tools put first is not part of the message.
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Verdict::Drop;
    }
    // The common case, read in one pass (see `tool_call_line`).
    if let Some(message) = super::tool_call_line::read(line) {
        return Verdict::Forward {
            message: Box::new(message),
            request: true,
            cancels: false,
        };
    }
    // The happy path: exactly what rmcp will accept. rmcp reads a known method whose params
    // do not fit as a custom request and answers "method not found"; the method exists, so
    // the honest answer is "invalid params".
    if let Ok(message) = serde_json::from_slice::<ClientJsonRpcMessage>(line) {
        if let rmcp::model::JsonRpcMessage::Request(request) = &message
            && let rmcp::model::ClientRequest::CustomRequest(custom) = &request.request
            && SPEC_METHODS.contains(&custom.method.as_str())
        {
            let id = serde_json::to_value(&request.id).unwrap_or(Value::Null);
            let message = match &custom.params {
                Some(p) if !p.is_object() => format!(
                    "Invalid params: `params` of {} must be an object",
                    custom.method
                ),
                _ => format!(
                    "Invalid params for {}: the params do not have the shape this method takes",
                    custom.method
                ),
            };
            return Verdict::Reply(error(id, -32602, message));
        }
        let (request, cancels) = match &message {
            rmcp::model::JsonRpcMessage::Request(_) => (true, false),
            rmcp::model::JsonRpcMessage::Notification(n) => (
                false,
                matches!(
                    n.notification,
                    rmcp::model::ClientNotification::CancelledNotification(_)
                ),
            ),
            _ => (false, false),
        };
        return Verdict::Forward {
            message: Box::new(message),
            request,
            cancels,
        };
    }
    let value: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return Verdict::Reply(error(Value::Null, -32700, format!("Parse error: {e}"))),
    };
    let Value::Object(map) = &value else {
        let what = if value.is_array() {
            "JSON-RPC batches are not supported (MCP 2025-06-18 removed them); send one message per line"
        } else {
            "a JSON-RPC message is an object"
        };
        return Verdict::Reply(error(
            Value::Null,
            -32600,
            format!("Invalid Request: {what}"),
        ));
    };
    let id = request_id(&value);
    let Some(method) = map.get("method") else {
        // A malformed response or a message that is neither: nothing can be answered.
        return match id {
            Some(id) if !map.contains_key("result") && !map.contains_key("error") => {
                Verdict::Reply(error(
                    id,
                    -32600,
                    "Invalid Request: a request needs a \"method\"",
                ))
            }
            _ => Verdict::Drop,
        };
    };
    let Some(id) = id else {
        // A notification cannot be answered, however malformed.
        return Verdict::Drop;
    };
    if map.get("jsonrpc") != Some(&json!("2.0")) {
        return Verdict::Reply(error(
            id,
            -32600,
            "Invalid Request: \"jsonrpc\" must be \"2.0\"",
        ));
    }
    let Value::String(method) = method else {
        return Verdict::Reply(error(
            id,
            -32600,
            "Invalid Request: \"method\" must be a string",
        ));
    };
    let message = match map.get("params") {
        Some(p) if !p.is_object() => {
            format!("Invalid params: `params` of {method} must be an object")
        }
        _ => format!(
            "Invalid params for {method}: the params do not have the shape this method takes"
        ),
    };
    Verdict::Reply(error(id, -32602, message))
}

/// The `id` of an oversized request, if its first bytes show one (`{"jsonrpc":"2.0","id":7,…`).
fn id_from_prefix(prefix: &[u8]) -> Value {
    let text = String::from_utf8_lossy(&prefix[..prefix.len().min(512)]);
    let Some(at) = text.find("\"id\"") else {
        return Value::Null;
    };
    let rest = text[at + 4..].trim_start();
    let Some(rest) = rest.strip_prefix(':') else {
        return Value::Null;
    };
    let rest = rest.trim_start();
    if let Some(s) = rest.strip_prefix('"') {
        return s
            .split('"')
            .next()
            .map(|s| Value::String(s.to_string()))
            .unwrap_or(Value::Null);
    }
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits
        .parse::<i64>()
        .map(Value::from)
        .unwrap_or(Value::Null)
}

/// The running guard.
pub struct GuardedStdio {
    /// What rmcp serves over.
    pub transport: StdioTransport,
    /// Notified once stdin has closed.
    pub input_closed: Arc<Notify>,
    /// Notified once writing to stdout has failed (closed, EPIPE): nothing more can be
    /// answered, so the session should end.
    pub output_failed: Arc<Notify>,
    /// Finishes once everything rmcp and the guard sent has reached stdout.
    pub output_done: JoinHandle<()>,
}

/// Start the guard over `input` (stdin) and `output` (stdout).
pub fn guard<R, W>(input: R, output: W) -> GuardedStdio
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    // Requests are held back by the in-flight places; the channel's own bound only keeps a
    // flood of notifications from piling up.
    let (to_rmcp, incoming) = mpsc::channel::<ClientJsonRpcMessage>(MAX_IN_FLIGHT);
    let (outgoing, queue) = mpsc::unbounded_channel::<Outgoing>();
    let input_closed = Arc::new(Notify::new());
    let closed = input_closed.clone();
    let places = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let freed = places.clone();
    let replies = outgoing.clone();
    tokio::spawn(async move {
        read_lines(input, &to_rmcp, &replies, &places).await;
        // Dropping the sender tells rmcp that stdin has ended.
        drop(to_rmcp);
        closed.notify_waiters();
        closed.notify_one();
    });
    let output_failed = Arc::new(Notify::new());
    let failed = output_failed.clone();
    let output_done = tokio::spawn(async move {
        if transport::write_lines(queue, output, freed, MAX_IN_FLIGHT)
            .await
            .is_err()
        {
            // One waiter (the lifecycle); `notify_one` keeps the news until it looks.
            failed.notify_one();
        }
    });
    GuardedStdio {
        transport: StdioTransport { incoming, outgoing },
        input_closed,
        output_failed,
        output_done,
    }
}

/// Wait for one of the in-flight places; the writer gives it back once the answer is
/// written. `false`: the places are gone (the session is ending).
async fn take_place(places: &Semaphore) -> bool {
    match places.acquire().await {
        Ok(place) => {
            place.forget();
            true
        }
        Err(_) => false,
    }
}

async fn read_lines<R>(
    input: R,
    to_rmcp: &mpsc::Sender<ClientJsonRpcMessage>,
    replies: &mpsc::UnboundedSender<Outgoing>,
    places: &Semaphore,
) where
    R: AsyncRead + Unpin,
{
    let mut reader = BufReader::with_capacity(64 * 1024, input);
    let mut line: Vec<u8> = Vec::new();
    // Bytes of the current line beyond the limit; the line is then only skipped.
    let mut overflow: usize = 0;
    loop {
        let chunk = match reader.fill_buf().await {
            Ok([]) | Err(_) => break,
            Ok(chunk) => chunk,
        };
        let (taken, end_of_line) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let body = &chunk[..if end_of_line { taken - 1 } else { taken }];
        if overflow == 0 && line.len() + body.len() <= MAX_LINE_BYTES {
            line.extend_from_slice(body);
        } else {
            if overflow == 0 {
                // Keep the first bytes (they carry the id); drop the rest as it streams.
                line.truncate(512);
            }
            overflow += body.len();
        }
        reader.consume(taken);
        if !end_of_line {
            continue;
        }
        if overflow > 0 {
            let size = line.len().max(512) + overflow;
            tracing::warn!(bytes = size, "discarded an oversized message");
            if !take_place(places).await {
                break;
            }
            let _ = replies.send(Outgoing::reply(&error(
                id_from_prefix(&line),
                -32600,
                format!("Invalid Request: message of more than {MAX_LINE_BYTES} bytes refused"),
            )));
        } else {
            let trimmed = line.strip_suffix(b"\r").unwrap_or(&line);
            match classify(trimmed) {
                Verdict::Forward {
                    message,
                    request,
                    cancels,
                } => {
                    if request && !take_place(places).await {
                        break;
                    }
                    if cancels {
                        transport::free_place(places, MAX_IN_FLIGHT);
                    }
                    if to_rmcp.send(*message).await.is_err() {
                        break;
                    }
                }
                Verdict::Reply(reply) => {
                    tracing::debug!(reply = %reply, "answered a malformed message");
                    if !take_place(places).await {
                        break;
                    }
                    let _ = replies.send(Outgoing::reply(&reply));
                }
                Verdict::Drop => {}
            }
        }
        line.clear();
        overflow = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(line: &str) -> Value {
        match classify(line.as_bytes()) {
            Verdict::Reply(v) => v,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn forwards_what_rmcp_reads() {
        for line in [
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#,
            r#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"validate_iban","arguments":{"iban":"x"}}}"#,
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            r#"{"jsonrpc":"2.0","id":9,"method":"some/unknown"}"#,
        ] {
            assert!(
                matches!(classify(line.as_bytes()), Verdict::Forward { .. }),
                "{line}"
            );
        }
    }

    #[test]
    fn answers_what_rmcp_would_mishandle() {
        let r = reply("this is not json");
        assert_eq!(
            (r["id"].clone(), r["error"]["code"].clone()),
            (Value::Null, json!(-32700))
        );
        let r = reply(r#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":[1,2]}"#);
        assert_eq!(
            (r["id"].clone(), r["error"]["code"].clone()),
            (json!(4), json!(-32602))
        );
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("must be an object")
        );
        let r = reply(r#"{"jsonrpc":"2.0","id":"s","method":"tools/call","params":{"name":5}}"#);
        assert_eq!(
            (r["id"].clone(), r["error"]["code"].clone()),
            (json!("s"), json!(-32602))
        );
        let r = reply(r#"{"jsonrpc":"1.0","id":5,"method":"tools/list"}"#);
        assert_eq!(
            (r["id"].clone(), r["error"]["code"].clone()),
            (json!(5), json!(-32600))
        );
        let r = reply(r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#);
        assert_eq!(r["error"]["code"], -32600);
        assert!(matches!(classify(b"   "), Verdict::Drop));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":7}"#),
            Verdict::Drop
        ));
    }

    #[test]
    fn finds_the_id_of_an_oversized_request() {
        assert_eq!(
            id_from_prefix(br#"{"jsonrpc":"2.0","id":7,"method":"x","params":{"pad":"xxxx"#),
            json!(7)
        );
        assert_eq!(
            id_from_prefix(br#"{"jsonrpc":"2.0", "id" : "abc","#),
            json!("abc")
        );
        assert_eq!(id_from_prefix(b"xxxxxxxx"), Value::Null);
    }
}
