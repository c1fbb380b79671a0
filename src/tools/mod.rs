//! The five tools, one file each, and the policy that answers them.
//!
//! A tool file ([`validate_iban`], [`batch_validate_iban`], [`lookup_bic`],
//! [`lookup_ch_clearing`], [`check_compliance`]) holds everything about that tool: its
//! argument type and checks, its answer body, the paid request, the local answer, the
//! summary line and what it lacks offline. Each implements [`tool::Tool`], so the
//! fallback chain — offline, paid, free endpoint, local — is written once, in
//! [`policy`]. [`provenance`] says how complete an answer is, and why.
//!
//! [`Toolbox::call`] is the one entry point, used by the MCP server and by the `call`
//! subcommand alike, so what a person sees on the command line is exactly what an agent
//! gets.

pub mod answer;
pub mod args;
pub mod batch_validate_iban;
pub mod cache;
pub mod check_compliance;
pub mod check_swiss_qr_bill;
pub mod doctor;
pub mod iban_answer;
pub mod lists;
pub mod lookup_bic;
pub mod lookup_ch_clearing;
pub mod policy;
pub mod provenance;
pub mod schema;
pub mod text;
pub mod tool;
mod unknown_fields;
pub mod validate_iban;
pub mod validate_payment_reference;

use std::sync::Arc;

use rmcp::model::{
    CallToolResult, ContentBlock, JsonObject, Tool as ToolDefinition, ToolAnnotations,
};
use serde_json::Value;

pub use args::InputError;
pub use batch_validate_iban::BatchValidateIban;
pub use check_compliance::CheckCompliance;
pub use lookup_bic::LookupBic;
pub use lookup_ch_clearing::LookupChClearing;
pub use policy::{CallContext, Toolbox};
pub use tool::Tool;
pub use validate_iban::ValidateIban;

use answer::Answer;

/// The five tools, in the order `tools/list` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolName {
    ValidateIban,
    BatchValidateIban,
    LookupBic,
    LookupChClearing,
    CheckCompliance,
}

impl ToolName {
    pub const ALL: [ToolName; 5] = [
        Self::ValidateIban,
        Self::BatchValidateIban,
        Self::LookupBic,
        Self::LookupChClearing,
        Self::CheckCompliance,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::ValidateIban => "validate_iban",
            Self::BatchValidateIban => "batch_validate_iban",
            Self::LookupBic => "lookup_bic",
            Self::LookupChClearing => "lookup_ch_clearing",
            Self::CheckCompliance => "check_compliance",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::ValidateIban => ValidateIban::TITLE,
            Self::BatchValidateIban => BatchValidateIban::TITLE,
            Self::LookupBic => LookupBic::TITLE,
            Self::LookupChClearing => LookupChClearing::TITLE,
            Self::CheckCompliance => CheckCompliance::TITLE,
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::ValidateIban => ValidateIban::DESCRIPTION,
            Self::BatchValidateIban => BatchValidateIban::DESCRIPTION,
            Self::LookupBic => LookupBic::DESCRIPTION,
            Self::LookupChClearing => LookupChClearing::DESCRIPTION,
            Self::CheckCompliance => CheckCompliance::DESCRIPTION,
        }
    }

    pub fn input_schema(self) -> Arc<JsonObject> {
        match self {
            Self::ValidateIban => schema::input::<<ValidateIban as Tool>::Args>(),
            Self::BatchValidateIban => schema::input::<<BatchValidateIban as Tool>::Args>(),
            Self::LookupBic => schema::input::<<LookupBic as Tool>::Args>(),
            Self::LookupChClearing => schema::input::<<LookupChClearing as Tool>::Args>(),
            Self::CheckCompliance => schema::input::<<CheckCompliance as Tool>::Args>(),
        }
    }

    pub fn output_schema(self) -> Arc<JsonObject> {
        match self {
            Self::ValidateIban => schema::output::<Answer<<ValidateIban as Tool>::Body>>(),
            Self::BatchValidateIban => {
                schema::output::<Answer<<BatchValidateIban as Tool>::Body>>()
            }
            Self::LookupBic => schema::output::<Answer<<LookupBic as Tool>::Body>>(),
            Self::LookupChClearing => schema::output::<Answer<<LookupChClearing as Tool>::Body>>(),
            Self::CheckCompliance => schema::output::<Answer<<CheckCompliance as Tool>::Body>>(),
        }
    }

    /// The MCP definition `tools/list` returns.
    pub fn definition(self) -> ToolDefinition {
        ToolDefinition::new(self.name(), self.description(), self.input_schema())
            .with_title(self.title())
            .with_raw_output_schema(self.output_schema())
            .with_annotations(
                ToolAnnotations::with_title(self.title())
                    .read_only(true)
                    .destructive(false)
                    .idempotent(true)
                    .open_world(true),
            )
    }
}

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
