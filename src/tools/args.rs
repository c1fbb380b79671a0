//! Tool arguments: their JSON Schemas (what `tools/list` advertises) and the checks that
//! turn a client's raw `arguments` object into bounded, typed input.
//!
//! The checks are written by hand rather than left to serde so that every refusal says
//! what was wrong *and* what is accepted, in words an agent can act on — and so that no
//! input, however large or oddly typed, reaches the engine unbounded.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Longest string argument accepted (an IBAN is at most 34 characters; generous room for
/// spaces and labels, but never megabytes).
pub const MAX_STRING_CHARS: usize = 256;
/// Largest batch, as the hosted API allows.
pub const MAX_BATCH: usize = 100;

/// Arguments of `validate_iban` and `check_compliance`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct IbanArgs {
    /// The IBAN. Spaces, hyphens and lower case are accepted, e.g. "CH93 0076 2011 6238 5295 7".
    #[schemars(length(min = 1, max = 256))]
    pub iban: String,
}

/// Arguments of `batch_validate_iban`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BatchArgs {
    /// 1 to 100 IBANs, each in any spacing or case. Results come back in the same order.
    #[schemars(length(min = 1, max = 100), inner(length(min = 1, max = 256)))]
    pub ibans: Vec<String>,
}

/// Arguments of `lookup_bic`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BicArgs {
    /// A BIC/SWIFT code of 8 or 11 letters and digits, e.g. "UBSWCHZH80A" or "DEUTDEFF".
    #[schemars(regex(pattern = r"^\s*[A-Za-z0-9]{8}([A-Za-z0-9]{3})?\s*$"))]
    pub bic: String,
}

/// Arguments of `lookup_ch_clearing`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct IidArgs {
    /// A Swiss or Liechtenstein institution identifier (IID, BC-Nummer) of 1–5 digits,
    /// e.g. "230" or "00230"; QR-IIDs 30000–31999 are accepted too.
    #[schemars(regex(pattern = r"^[0-9]{1,5}$"))]
    pub iid: String,
}

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

fn field<'a>(
    args: Option<&'a Map<String, Value>>,
    name: &str,
    example: &str,
) -> Result<&'a Value, InputError> {
    args.and_then(|a| a.get(name)).ok_or_else(|| {
        InputError(format!(
            "missing required argument `{name}`: pass it as {{\"{name}\": {example}}}"
        ))
    })
}

/// A bounded, non-blank string; `what` names it in messages (`iban`, `ibans[3]`).
fn bounded_string<'a>(value: &'a Value, what: &str, accepted: &str) -> Result<&'a str, InputError> {
    let Value::String(s) = value else {
        return Err(InputError(format!(
            "`{what}` must be a string (got {}); accepted: {accepted}",
            type_name(value)
        )));
    };
    let chars = s.chars().count();
    if chars > MAX_STRING_CHARS {
        return Err(InputError(format!(
            "`{what}` is {chars} characters long; at most {MAX_STRING_CHARS} are accepted ({accepted})"
        )));
    }
    if s.trim().is_empty() {
        return Err(InputError(format!(
            "`{what}` is empty; accepted: {accepted}"
        )));
    }
    Ok(s)
}

const IBAN_ACCEPTED: &str =
    "an IBAN string such as \"CH93 0076 2011 6238 5295 7\" (spaces, hyphens, lower case are fine)";

pub fn parse_iban(args: Option<&Map<String, Value>>) -> Result<String, InputError> {
    let v = field(args, "iban", "\"CH93 0076 2011 6238 5295 7\"")?;
    Ok(bounded_string(v, "iban", IBAN_ACCEPTED)?.to_string())
}

pub fn parse_batch(args: Option<&Map<String, Value>>) -> Result<Vec<String>, InputError> {
    let v = field(
        args,
        "ibans",
        "[\"CH93 0076 2011 6238 5295 7\", \"DE89 3704 0044 0532 0130 00\"]",
    )?;
    let Value::Array(items) = v else {
        return Err(InputError(format!(
            "`ibans` must be an array of 1–{MAX_BATCH} IBAN strings (got {})",
            type_name(v)
        )));
    };
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(InputError(format!(
            "`ibans` has {} items; a batch takes 1 to {MAX_BATCH} IBANs (split larger lists into several calls)",
            items.len()
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            bounded_string(item, &format!("ibans[{i}]"), IBAN_ACCEPTED).map(str::to_string)
        })
        .collect()
}

pub fn parse_bic(args: Option<&Map<String, Value>>) -> Result<String, InputError> {
    const ACCEPTED: &str =
        "a BIC of 8 or 11 letters and digits, e.g. \"UBSWCHZH80A\" or \"DEUTDEFF\"";
    let v = field(args, "bic", "\"UBSWCHZH80A\"")?;
    let s = bounded_string(v, "bic", ACCEPTED)?;
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !(compact.len() == 8 || compact.len() == 11)
        || !compact.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(InputError(format!(
            "`bic` \"{}\" is not a BIC; accepted: {ACCEPTED}",
            s.escape_default()
        )));
    }
    Ok(compact)
}

pub fn parse_iid(args: Option<&Map<String, Value>>) -> Result<String, InputError> {
    const ACCEPTED: &str = "a Swiss/Liechtenstein IID of 1–5 digits, e.g. \"230\" or \"00230\" (QR-IIDs 30000–31999 too)";
    let v = field(args, "iid", "\"00230\"")?;
    // Agents often send the IID as a number; a non-negative integer is unambiguous.
    let text = match v {
        Value::Number(n) if n.as_u64().is_some() => n.to_string(),
        other => bounded_string(other, "iid", ACCEPTED)?.trim().to_string(),
    };
    crate::engine::clearing::normalize(&text).ok_or_else(|| {
        InputError(format!(
            "`iid` \"{}\" is not an IID; accepted: {ACCEPTED}",
            text.escape_default()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn refusals_say_what_is_accepted() {
        let e = parse_iban(None).unwrap_err();
        assert!(e.0.contains("missing required argument `iban`"), "{e}");
        let e = parse_iban(Some(&obj(json!({"iban": 5})))).unwrap_err();
        assert!(e.0.contains("must be a string (got a number)"), "{e}");
        let e = parse_iban(Some(&obj(json!({"iban": "  "})))).unwrap_err();
        assert!(e.0.contains("is empty"), "{e}");
        let e = parse_iban(Some(&obj(json!({"iban": "x".repeat(257)})))).unwrap_err();
        assert!(e.0.contains("257 characters long; at most 256"), "{e}");
        let e = parse_batch(Some(&obj(json!({"ibans": []})))).unwrap_err();
        assert!(e.0.contains("1 to 100"), "{e}");
        let e = parse_batch(Some(&obj(json!({"ibans": ["CH93", null]})))).unwrap_err();
        assert!(
            e.0.contains("`ibans[1]` must be a string (got null)"),
            "{e}"
        );
        let e = parse_bic(Some(&obj(json!({"bic": "UBSWCH"})))).unwrap_err();
        assert!(e.0.contains("8 or 11"), "{e}");
        let e = parse_iid(Some(&obj(json!({"iid": "123456"})))).unwrap_err();
        assert!(e.0.contains("1–5 digits"), "{e}");
    }

    #[test]
    fn accepts_lenient_forms() {
        assert_eq!(
            parse_bic(Some(&obj(json!({"bic": " ubswchzh80a "})))).unwrap(),
            "ubswchzh80a"
        );
        assert_eq!(parse_iid(Some(&obj(json!({"iid": 230})))).unwrap(), "00230");
        assert_eq!(
            parse_iid(Some(&obj(json!({"iid": " 230 "})))).unwrap(),
            "00230"
        );
        assert_eq!(
            parse_batch(Some(&obj(json!({"ibans": ["a"]})))).unwrap(),
            vec!["a"]
        );
    }
}
