//! What a tool is, for the policy that answers it: its arguments, its answer, how it asks
//! the API and how the engine answers without it. Each tool file implements [`Tool`]; the
//! fallback chain in `policy.rs` is written once over it.

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ToolName;
use super::answer::{Local, LocalAnswer};
use super::args::{Arguments, InputError};
use super::cache::CacheKey;
use super::iban_answer::IbanValidation;
use super::provenance::CrossCheck;
use super::text::Text;
use crate::api::{Failure, PaidRequest};

/// The cache kind of an IBAN's validation, shared by `validate_iban` and batch rows.
pub const IBAN_KIND: &str = "iban";

/// One tool: its arguments, its answer, how it asks the API and how the engine answers
/// without it. The chain ([`Toolbox`]) is the same for all five.
pub trait Tool {
    const NAME: ToolName;
    const TITLE: &'static str;
    /// The first sentence stands alone (registries cut descriptions at 100 characters).
    const DESCRIPTION: &'static str;
    /// What `inputSchema` advertises.
    type Args: JsonSchema + 'static;
    /// The checked, normalised input.
    type Input: Send + Sync;
    /// The tool's own answer fields (`outputSchema` is `Answer<Body>`).
    type Body: Serialize + DeserializeOwned + JsonSchema + Send + 'static;

    /// Check the raw arguments (no network call is made for a refusal).
    fn parse(arguments: Option<&Arguments>) -> Result<Self::Input, InputError>;
    /// The input as the log may show it (IBANs masked).
    fn log_input(input: &Self::Input) -> String;
    /// The paid request that answers it in full.
    fn request(input: &Self::Input) -> PaidRequest;
    /// Check or reshape the API's answer (a batch maps rows back to input order).
    fn finish_full(_input: &Self::Input, body: Self::Body) -> Result<Self::Body, Failure> {
        Ok(body)
    }
    /// The offline engine's answer and what it lacks.
    fn local(input: &Self::Input, engine: &Local) -> LocalAnswer<Self::Body>;
    /// The compact IBAN to ask the free format endpoint about, where it knows more than
    /// the local answer (a country the local registry lacks).
    fn free_question(_input: &Self::Input, _local: &LocalAnswer<Self::Body>) -> Option<String> {
        None
    }
    /// The answer built around the free endpoint's validation.
    fn from_free(
        _input: &Self::Input,
        _free: IbanValidation,
        _engine: &Local,
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
        _engine: &Local,
    ) -> Option<CrossCheck> {
        None
    }
    /// One line about the result: the full answer's label, and the end of every other label.
    fn summary(body: &Self::Body) -> String;
    /// The lines after the label in the text block: a lean rendering of the body.
    fn render(body: &Self::Body, text: &mut Text);
}
