//! The argument checks every tool shares: a field must be there, be a string, be bounded
//! and not blank. Each tool's own argument type and parser live in its own file; what is
//! here only makes sure every refusal says what was wrong *and* what is accepted, in words
//! an agent can act on, and that no input, however large or oddly typed, reaches the engine
//! unbounded.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::engine::iban::CompactIban;

/// Longest string argument accepted (an IBAN is at most 34 characters; generous room for
/// spaces and labels, but never megabytes).
pub const MAX_STRING_CHARS: usize = 256;
/// Largest batch, as the hosted API allows.
pub const MAX_BATCH: usize = 100;

/// A tool's raw `arguments` object.
pub type Arguments = Map<String, Value>;

/// A refusal of the arguments: answered as `isError: true` with this text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The named field, or a refusal that shows how to pass it.
pub fn field<'a>(
    args: Option<&'a Arguments>,
    name: &str,
    example: &str,
) -> Result<&'a Value, InputError> {
    args.and_then(|a| a.get(name)).ok_or_else(|| {
        InputError(format!(
            "missing required argument `{name}`: pass it as {{\"{name}\": {example}}}"
        ))
    })
}

/// The named field when it is there and not `null` (an optional argument).
pub fn optional_field<'a>(args: Option<&'a Arguments>, name: &str) -> Option<&'a Value> {
    args.and_then(|a| a.get(name)).filter(|v| !v.is_null())
}

/// A bounded, non-blank string; `what` names it in messages (`iban`, `ibans[3]`).
pub fn bounded_string<'a>(
    value: &'a Value,
    what: &str,
    accepted: &str,
) -> Result<&'a str, InputError> {
    bounded_text(value, what, MAX_STRING_CHARS, accepted)
}

/// A non-blank string of at most `max_chars` characters: for the one argument longer than
/// [`MAX_STRING_CHARS`] by nature (a QR code's text).
pub fn bounded_text<'a>(
    value: &'a Value,
    what: &str,
    max_chars: usize,
    accepted: &str,
) -> Result<&'a str, InputError> {
    let Value::String(s) = value else {
        return Err(InputError(format!(
            "`{what}` must be a string (got {}); accepted: {accepted}",
            type_name(value)
        )));
    };
    let chars = s.chars().count();
    if chars > max_chars {
        return Err(InputError(format!(
            "`{what}` is {chars} characters long; at most {max_chars} are accepted ({accepted})"
        )));
    }
    if s.trim().is_empty() {
        return Err(InputError(format!(
            "`{what}` is empty; accepted: {accepted}"
        )));
    }
    Ok(s)
}

/// A JSON array of `1..=max` items, or a refusal naming the bounds.
pub fn bounded_array<'a>(
    value: &'a Value,
    what: &str,
    max: usize,
    accepted: &str,
) -> Result<&'a [Value], InputError> {
    let Value::Array(items) = value else {
        return Err(InputError(format!(
            "`{what}` must be an array of 1–{max} {accepted} (got {})",
            type_name(value)
        )));
    };
    if items.is_empty() || items.len() > max {
        return Err(InputError(format!(
            "`{what}` has {} items; a batch takes 1 to {max} IBANs (split larger lists into several calls)",
            items.len()
        )));
    }
    Ok(items)
}

pub const IBAN_ACCEPTED: &str =
    "an IBAN string such as \"CH93 0076 2011 6238 5295 7\" (spaces, hyphens, lower case are fine)";

/// An IBAN as the user gave it, and its compact form, normalised once here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IbanInput {
    /// As given (bounded, not blank): the engine names what is wrong with it.
    pub text: String,
    /// Spaces, hyphens and an `IBAN` label removed, upper case: what the API is sent and
    /// what the session cache is keyed by.
    pub compact: CompactIban,
}

impl IbanInput {
    /// Check one IBAN argument (`what` names it in a refusal).
    pub fn parse(value: &Value, what: &str) -> Result<Self, InputError> {
        let text = bounded_string(value, what, IBAN_ACCEPTED)?;
        Ok(Self {
            compact: CompactIban::new(text),
            text: text.to_string(),
        })
    }

    /// For logs: country, check digits and the last four (`CH93…2957`).
    pub fn masked(&self) -> String {
        self.compact.masked()
    }
}

/// Arguments of `validate_iban` and `check_compliance`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct IbanArgs {
    /// The IBAN. Spaces, hyphens and lower case are accepted, e.g. "CH93 0076 2011 6238 5295 7".
    #[schemars(length(min = 1, max = MAX_STRING_CHARS))]
    pub iban: String,
}

impl IbanArgs {
    /// The one `iban` argument, checked and normalised.
    pub fn parse(arguments: Option<&Arguments>) -> Result<IbanInput, InputError> {
        IbanInput::parse(
            field(arguments, "iban", "\"CH93 0076 2011 6238 5295 7\"")?,
            "iban",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refusals_say_what_is_accepted() {
        let e = field(None, "iban", "\"CH93\"").unwrap_err();
        assert!(e.0.contains("missing required argument `iban`"), "{e}");
        let e = IbanInput::parse(&json!(5), "iban").unwrap_err();
        assert!(e.0.contains("must be a string (got a number)"), "{e}");
        let e = IbanInput::parse(&json!("  "), "iban").unwrap_err();
        assert!(e.0.contains("is empty"), "{e}");
        let e = IbanInput::parse(&json!("x".repeat(257)), "iban").unwrap_err();
        assert!(e.0.contains("257 characters long; at most 256"), "{e}");
    }

    #[test]
    fn an_iban_is_normalised_once_and_masked_for_logs() {
        let i = IbanInput::parse(&json!("IBAN: ch93 0076-2011 6238 5295 7"), "iban").unwrap();
        assert_eq!(i.compact.as_str(), "CH9300762011623852957");
        assert_eq!(i.masked(), "CH93…2957");
        assert_eq!(
            IbanInput::parse(&json!("CH93"), "iban").unwrap().masked(),
            "…"
        );
    }
}
