//! What a tool call produced, as the server sends it: the answer's `structuredContent`
//! (serialised once, straight from the typed answer) with its text block, or a refusal of
//! the arguments. Kept apart from the policy that decides the answer, so that the server
//! and the command line read results without knowing how they were reached.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;

use super::args::InputError;

/// The `structuredContent` of an answer, as the JSON text it is sent as: serialised once,
/// straight from the typed answer, without building a `serde_json::Value` tree first (which
/// cost more than the serialising). Read as a [`Value`] (parsed on first use) by the command
/// line and the tests; the stdio transport sends the text as it is.
#[derive(Debug, Clone)]
pub struct StructuredContent {
    json: String,
    value: std::sync::OnceLock<Value>,
}

impl StructuredContent {
    /// The one key of the object [`Outcome::into_call_tool_result_with_json_text`] wraps the
    /// text in; no answer of this server has such a key.
    pub const JSON_TEXT_KEY: &str = "\u{0}ibanforge/structured-content-json-text";

    /// `answer` serialised. Answers are plain data with string keys: serialising cannot fail.
    pub fn of(answer: &impl serde::Serialize) -> Self {
        // Most answers are 1–4 KB: start there rather than growing from nothing.
        let mut json = Vec::with_capacity(4096);
        serde_json::to_writer(&mut json, answer)
            .expect("answers serialise (plain data, string keys)");
        Self {
            // serde_json writes UTF-8.
            json: String::from_utf8(json).unwrap_or_default(),
            value: std::sync::OnceLock::new(),
        }
    }

    /// The JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }

    pub fn into_json(self) -> String {
        self.json
    }

    /// The answer as a value, owned.
    pub fn into_value(self) -> Value {
        match self.value.into_inner() {
            Some(v) => v,
            None => serde_json::from_str(&self.json).unwrap_or(Value::Null),
        }
    }
}

impl std::ops::Deref for StructuredContent {
    type Target = Value;

    fn deref(&self) -> &Value {
        self.value
            .get_or_init(|| serde_json::from_str(&self.json).unwrap_or(Value::Null))
    }
}

impl std::fmt::Display for StructuredContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.json)
    }
}

/// What a tool call produced: an answer (`isError: false`) or a refusal of its arguments.
#[derive(Debug, Clone)]
pub enum Outcome {
    Answer {
        /// The `structuredContent`.
        structured: StructuredContent,
        /// The label line (first line of the text block).
        label: String,
        /// The whole text block: the label line, then the rendering of the answer.
        text: String,
    },
    InputError(InputError),
}

impl Outcome {
    /// The text block an MCP client shows.
    pub fn text(&self) -> &str {
        match self {
            Self::Answer { text, .. } => text,
            Self::InputError(e) => &e.0,
        }
    }

    /// The MCP result, its `structuredContent` as a value (for any transport).
    pub fn into_call_tool_result(self) -> CallToolResult {
        self.into_result(|s| s.into_value())
    }

    /// The MCP result with the `structuredContent` left as JSON text, wrapped as
    /// `{JSON_TEXT_KEY: text}`: only for a transport that puts the text in as it is (the
    /// stdio transport does). An object, because rmcp drops non-object structured content
    /// for older protocol versions.
    pub fn into_call_tool_result_with_json_text(self) -> CallToolResult {
        self.into_result(|s| {
            let mut wrapper = serde_json::Map::with_capacity(1);
            wrapper.insert(
                StructuredContent::JSON_TEXT_KEY.into(),
                Value::String(s.into_json()),
            );
            Value::Object(wrapper)
        })
    }

    fn into_result(
        self,
        structured_content: impl FnOnce(StructuredContent) -> Value,
    ) -> CallToolResult {
        match self {
            Self::Answer {
                structured, text, ..
            } => {
                let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
                r.structured_content = Some(structured_content(structured));
                r
            }
            Self::InputError(e) => CallToolResult::error(vec![ContentBlock::text(e.0)]),
        }
    }
}
