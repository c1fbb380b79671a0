//! What a tool is: its name, words and annotations, its arguments, its answer, its summary
//! and text rendering ([`Tool`]); and, for a tool the hosted API answers in full, how it asks
//! the API and how the engine answers without it ([`Paid`]). Each tool file implements
//! them; the registry lists the tools and the policy answers them. Nothing here knows
//! any tool, nor how a call is answered.

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::answer::{LocalAnswer, OfflineEngine};
use super::args::{Arguments, InputError};
use super::cache::CacheKey;
use super::provenance::CrossCheck;
use super::text::Text;
use crate::api::PaidRequest;

/// The MCP annotations a tool declares (`tools/list`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotations {
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
    pub open_world: bool,
}

impl Annotations {
    /// A question answered from the API or the engine: reads, changes nothing.
    pub const READ_ONLY: Self = Self {
        read_only: true,
        destructive: false,
        idempotent: true,
        open_world: true,
    };
}

/// One tool: its name and words, its arguments, its answer and how the answer reads.
pub trait Tool: Send + Sync + 'static {
    /// The name `tools/list` and `tools/call` use.
    const NAME: &'static str;
    const TITLE: &'static str;
    /// The first sentence stands alone (registries cut descriptions at 100 characters).
    const DESCRIPTION: &'static str;
    const ANNOTATIONS: Annotations = Annotations::READ_ONLY;
    /// What `inputSchema` advertises.
    type Args: JsonSchema + 'static;
    /// The checked, normalised input.
    type Input: Send + Sync;
    /// The tool's own answer fields (`outputSchema` is `Answer<Body>`).
    type Body: Serialize + DeserializeOwned + JsonSchema + Send + Sync + 'static;

    /// Check the raw arguments (no network call is made for a refusal).
    fn parse(arguments: Option<&Arguments>) -> Result<Self::Input, InputError>;
    /// The input as the log may show it (IBANs masked).
    fn log_input(input: &Self::Input) -> String;
    /// One line about the result: the full answer's label, and the end of every other label.
    fn summary(body: &Self::Body) -> String;
    /// The lines after the label in the text block: a lean rendering of the body.
    fn render(body: &Self::Body, text: &mut Text);
}

/// A tool the hosted API answers in full with one request, and the engine (or the free
/// format endpoint) answers when the API does not: the fallback chain of `policy.rs`.
pub trait Paid: Tool {
    /// The paid request that answers it in full.
    fn request(input: &Self::Input) -> PaidRequest;
    /// The offline engine's answer and what it lacks.
    fn local(input: &Self::Input, engine: &OfflineEngine) -> LocalAnswer<Self::Body>;
    /// The compact IBAN to ask the free format endpoint about, where it knows more than
    /// the local answer (a country the local registry lacks).
    fn free_question(_input: &Self::Input, _local: &LocalAnswer<Self::Body>) -> Option<String> {
        None
    }
    /// The answer built around the free endpoint's answer (its JSON body as it came).
    fn from_free(
        _input: &Self::Input,
        _free: &Value,
        _engine: &OfflineEngine,
    ) -> Option<LocalAnswer<Self::Body>> {
        None
    }
    /// Where a full answer to this input is kept in the session cache (never pay twice).
    fn cache_key(_input: &Self::Input) -> Option<CacheKey> {
        None
    }
    /// The offline engine's second opinion on a full answer (IBAN answers only).
    fn cross_check(
        _input: &Self::Input,
        _body: &Self::Body,
        _engine: &OfflineEngine,
    ) -> Option<CrossCheck> {
        None
    }
}
