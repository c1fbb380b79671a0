//! The transport rmcp serves over: messages come in from the line guard already parsed, and
//! answers go out to stdout as whole lines, through one writer.
//!
//! Before, the guard parsed each line, wrote it into an in-memory pipe, and rmcp parsed it
//! again; rmcp's answers went back through a second pipe, were read back as text line by
//! line, and reached stdout in two writes and a flush each. Now each line is parsed once,
//! each answer is serialised once (the tool list not even that: [`super::tools_list`]), and
//! the writer sends whatever answers have queued up in one write.
//!
//! Memory stays bounded without a bounded pipe: a request holds one of the guard's
//! in-flight places until its answer has been *written* to stdout, so a client that stops
//! reading stops the guard from reading more requests.

use std::future::Future;
use std::sync::Arc;

use rmcp::RoleServer;
use rmcp::model::{ClientJsonRpcMessage, JsonRpcMessage, ServerJsonRpcMessage, ServerResult};
use rmcp::transport::Transport;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{Semaphore, mpsc};

use super::tools_list;
use crate::tools::StructuredContent;

/// Most bytes gathered into one write when answers queue up: a pipe's capacity on Linux.
const WRITE_BATCH_BYTES: usize = 64 * 1024;

/// One line for stdout.
#[derive(Debug)]
pub struct Outgoing {
    /// The message and its newline.
    pub line: Vec<u8>,
    /// It holds one of the guard's in-flight places (an answer to a request, or a guard's
    /// reply to a malformed line), freed once it is written.
    pub holds_place: bool,
}

impl Outgoing {
    /// A message of rmcp's, serialised. Answers (results and errors with an id) free a place.
    pub fn from_rmcp(mut message: ServerJsonRpcMessage) -> Result<Self, serde_json::Error> {
        let holds_place = match &message {
            JsonRpcMessage::Response(_) => true,
            JsonRpcMessage::Error(e) => e.id.is_some(),
            _ => false,
        };
        let mut line = match tools_list::encode(&message) {
            Some(line) => line,
            None => match structured_json_text(&mut message) {
                Some(json) => with_structured_content(&mut message, json)?,
                None => serde_json::to_vec(&message)?,
            },
        };
        line.push(b'\n');
        Ok(Self { line, holds_place })
    }

    /// One of the guard's own replies to a line rmcp never saw. It holds a place too, so a
    /// client that writes malformed lines and reads nothing cannot make replies pile up.
    pub fn reply(reply: &serde_json::Value) -> Self {
        let mut line = reply.to_string().into_bytes();
        line.push(b'\n');
        Self {
            line,
            holds_place: true,
        }
    }
}

/// Takes the `structuredContent` out of a tool result that carries it as JSON text (what
/// the handler gives this transport, wrapped under `StructuredContent::JSON_TEXT_KEY`: see
/// `IbanforgeServer::for_stdio`), to be put back as it is.
fn structured_json_text(message: &mut ServerJsonRpcMessage) -> Option<String> {
    let JsonRpcMessage::Response(response) = message else {
        return None;
    };
    let ServerResult::CallToolResult(result) = &mut response.result else {
        return None;
    };
    let Some(serde_json::Value::Object(wrapper)) = &mut result.structured_content else {
        return None;
    };
    if wrapper.len() != 1 {
        return None;
    }
    match wrapper.remove(StructuredContent::JSON_TEXT_KEY) {
        Some(serde_json::Value::String(json)) => {
            result.structured_content = None;
            Some(json)
        }
        Some(other) => {
            wrapper.insert(StructuredContent::JSON_TEXT_KEY.into(), other);
            None
        }
        None => None,
    }
}

/// The line of a tool result whose `structuredContent` was taken out as `json`: the result
/// serialised without it, and the text put in before the result's closing `}` (the result is
/// the last field of the message, so the line ends with the result's `}` and the message's).
fn with_structured_content(
    message: &mut ServerJsonRpcMessage,
    json: String,
) -> Result<Vec<u8>, serde_json::Error> {
    // The envelope and text block, then the structured content: sized for both up front.
    let mut line = Vec::with_capacity(2 * json.len() + 1024);
    serde_json::to_writer(&mut line, message)?;
    if line.ends_with(b"}}") {
        line.truncate(line.len() - 2);
        line.extend_from_slice(b",\"structuredContent\":");
        line.extend_from_slice(json.as_bytes());
        line.extend_from_slice(b"}}");
        return Ok(line);
    }
    // Not the shape expected (a change in rmcp): put the value back and serialise it all.
    if let JsonRpcMessage::Response(response) = message
        && let ServerResult::CallToolResult(result) = &mut response.result
    {
        result.structured_content = Some(serde_json::from_str(&json)?);
    }
    serde_json::to_vec(message)
}

/// rmcp's side of the stdio session.
pub struct StdioTransport {
    pub(super) incoming: mpsc::Receiver<ClientJsonRpcMessage>,
    pub(super) outgoing: mpsc::UnboundedSender<Outgoing>,
}

impl Transport<RoleServer> for StdioTransport {
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: ServerJsonRpcMessage,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        // Serialised here, not in the future: the future then owns only bytes.
        let queued = Outgoing::from_rmcp(item)
            .map_err(std::io::Error::other)
            .and_then(|line| {
                self.outgoing.send(line).map_err(|_| {
                    std::io::Error::new(std::io::ErrorKind::BrokenPipe, "stdout is closed")
                })
            });
        std::future::ready(queued)
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        self.incoming.recv().await
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.incoming.close();
        Ok(())
    }
}

/// Give back one in-flight place, never more than there are.
pub(super) fn free_place(places: &Semaphore, max: usize) {
    if places.available_permits() < max {
        places.add_permits(1);
    }
}

/// Write queued lines to `output` until every sender is gone; an error means `output`
/// failed and nothing more can reach the client.
pub(super) async fn write_lines<W>(
    mut queue: mpsc::UnboundedReceiver<Outgoing>,
    mut output: W,
    places: Arc<Semaphore>,
    max_places: usize,
) -> std::io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    let mut batch: Vec<u8> = Vec::new();
    while let Some(first) = queue.recv().await {
        let mut answered = usize::from(first.holds_place);
        // One answer alone is written from its own buffer; answers already waiting are
        // gathered into one write (pipelined calls answer faster than stdout takes them).
        let mut lines = vec![first];
        let mut size = lines[0].line.len();
        while size < WRITE_BATCH_BYTES {
            match queue.try_recv() {
                Ok(next) => {
                    size += next.line.len();
                    answered += usize::from(next.holds_place);
                    lines.push(next);
                }
                Err(_) => break,
            }
        }
        if lines.len() == 1 {
            output.write_all(&lines[0].line).await?;
        } else {
            batch.clear();
            for l in &lines {
                batch.extend_from_slice(&l.line);
            }
            output.write_all(&batch).await?;
            if batch.capacity() > WRITE_BATCH_BYTES * 2 {
                batch = Vec::new();
            }
        }
        output.flush().await?;
        for _ in 0..answered {
            free_place(&places, max_places);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmcp::model::{CallToolResult, ContentBlock, NumberOrString};
    use serde_json::{Value, json};

    fn answer(structured: Value) -> ServerJsonRpcMessage {
        let mut r = CallToolResult::success(vec![ContentBlock::text("label\nbody")]);
        r.structured_content = Some(structured);
        ServerJsonRpcMessage::response(ServerResult::CallToolResult(r), NumberOrString::Number(9))
    }

    #[test]
    fn json_text_goes_out_as_the_structured_content_it_is() {
        let text = r#"{"valid":true,"provenance":{"mode":"offline"}}"#;
        let wrapped = json!({ StructuredContent::JSON_TEXT_KEY: text });
        let out = Outgoing::from_rmcp(answer(wrapped)).unwrap();
        assert!(out.holds_place && out.line.ends_with(b"}}\n"));
        let v: Value = serde_json::from_slice(&out.line).unwrap();
        assert_eq!(v["id"], 9);
        assert_eq!(
            v["result"]["structuredContent"],
            json!({"valid": true, "provenance": {"mode": "offline"}})
        );
        assert_eq!(v["result"]["content"][0]["text"], "label\nbody");
        assert_eq!(v["result"]["isError"], false);
        // An object is sent as serde writes it.
        let plain = Outgoing::from_rmcp(answer(json!({"a": 1}))).unwrap();
        let v: Value = serde_json::from_slice(&plain.line).unwrap();
        assert_eq!(v["result"]["structuredContent"], json!({"a": 1}));
    }
}
