//! What every tool answer is made of: the tool's own body plus `provenance`, and — for an
//! answer that is not the full one — what its label and provenance say about it.
//!
//! Known upstream fields are typed; every object keeps an `extra` map (flattened) so that
//! fields the hosted API adds later are passed through instead of dropped (the field and
//! its reading come from `keeps_unknown_fields!`, in `unknown_fields`). `null` means
//! "no data", never "no". Status-like fields are strings, not enums: the API adds values,
//! and an answer must never fail its own schema because upstream grew.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::provenance::Provenance;
use crate::api::unknown_fields::keeps_unknown_fields;
use crate::engine::compliance::ComplianceLists;
use crate::engine::countries;
use crate::engine::iban::ValidateOptions;

pub use crate::api::unknown_fields::Extra;

/// An `Extra` from a `json!({...})` object literal.
pub fn extra(pairs: Value) -> Extra {
    match pairs {
        Value::Object(m) => m,
        _ => Extra::new(),
    }
}

/// What every tool answer is: the tool's own fields plus `provenance`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Answer<T> {
    #[serde(flatten)]
    pub body: T,
    /// Who produced this answer, whether it is complete, and if not, why.
    pub provenance: Provenance,
}

/// A non-full answer and what its label and provenance say about it.
#[derive(Debug, Clone)]
pub struct LocalAnswer<T> {
    pub body: T,
    /// What the answer covers (ends with a full stop).
    pub covers: String,
    /// Top-level fields a full answer carries that this one does not.
    pub missing: Vec<String>,
    /// Date stamp of the embedded data used (`None` when none was).
    pub data_as_of: Option<String>,
}

/// The offline engine as the tools use it: the compliance lists in force and the user's
/// validation options. Built only when an answer is not the full one.
#[derive(Debug, Clone, Copy)]
pub struct OfflineEngine<'a> {
    pub lists: &'a ComplianceLists,
    pub validate: ValidateOptions,
}

keeps_unknown_fields! {
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct Country {
        /// ISO 3166-1 alpha-2.
        pub code: String,
        pub name: Option<String>,
    }
}

impl Country {
    /// A country by its code, named from the embedded table.
    pub fn of(code: &str) -> Self {
        Self {
            code: code.to_string(),
            name: countries::name(code).map(str::to_string),
            extra: Extra::new(),
        }
    }

    /// `Switzerland (CH)`, or the code alone when the name is unknown.
    pub fn in_words(&self) -> String {
        match &self.name {
            Some(name) => [name, " (", &self.code, ")"].concat(),
            None => self.code.clone(),
        }
    }
}
