//! The five tools: their definitions (names, titles, descriptions, annotations, schemas),
//! argument checks, and the answer policy that decides who answers and how it is labelled.
//!
//! [`Toolbox::call`] is the one entry point, used by the MCP server and by the `call`
//! subcommand alike, so what a person sees on the command line is exactly what an agent
//! gets.

pub mod args;
pub mod local;
pub mod output;
pub mod policy;
pub mod provenance;

use std::sync::Arc;

use rmcp::handler::server::common::{schema_for_input, schema_for_output};
use rmcp::model::{CallToolResult, ContentBlock, JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde_json::Value;

use args::InputError;
use output::{Answer, BatchValidation, BicLookup, ClearingLookup, ComplianceCheck, IbanValidation};
pub use policy::{CallContext, Toolbox};

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
            Self::ValidateIban => "Validate IBAN",
            Self::BatchValidateIban => "Batch Validate IBANs",
            Self::LookupBic => "Look up BIC/SWIFT",
            Self::LookupChClearing => "Swiss Clearing Lookup",
            Self::CheckCompliance => "Compliance Check",
        }
    }

    /// The first sentence stands alone (registries cut descriptions at 100 characters).
    pub fn description(self) -> &'static str {
        match self {
            Self::ValidateIban => {
                "Validate one IBAN and identify its bank, SEPA reach and issuer.\n\
                 Use for a single account number; for several use batch_validate_iban, for sanctions/risk use check_compliance. \
                 Costs $0.005 (or 1 unit of a free key's 200/month). \
                 Without the paid API the answer is local (structure, checksum, bank directory, SEPA by country) and says so in `provenance` and its first line: no issuer, risk indicators or next steps."
            }
            Self::BatchValidateIban => {
                "Validate 1–100 IBANs in one call, results in input order.\n\
                 Use for lists (payroll, supplier files); for one IBAN use validate_iban. \
                 Costs $0.002 per IBAN, all-or-nothing against a free key's quota; duplicates count once. \
                 A refused batch is answered locally in one pass and labelled degraded: no issuer or risk data per IBAN."
            }
            Self::LookupBic => {
                "Look up a BIC/SWIFT code: institution, country, branch, LEI.\n\
                 Use to identify the bank behind a BIC or check a BIC's format; not for IBANs (use validate_iban). \
                 Costs $0.003. A local answer checks ISO 9362 structure and the embedded directory only: \
                 `found` is null when unknown there, and address/LEI are missing."
            }
            Self::LookupChClearing => {
                "Look up a Swiss/Liechtenstein clearing number (IID, BC-Nummer, QR-IID).\n\
                 Use for Swiss bank codes (1–5 digits) and QR-IIDs 30000–31999; not for BICs or IBANs. \
                 Costs $0.003. A local answer uses the embedded SIX bank master (name, BIC, head office, QR-IIDs); \
                 SIC, euroSIC and instant-payment flags are then null (unknown)."
            }
            Self::CheckCompliance => {
                "Screen an IBAN's bank and country: sanctions, FATF, SEPA reach, Verification of Payee.\n\
                 Use before paying a new beneficiary; for validation alone use validate_iban (cheaper). \
                 Costs $0.02. A local answer has country-level facts only (FATF, EU high-risk, SEPA scope, each dated): \
                 the bank is not screened and the risk level is `unassessable` unless country facts raise it."
            }
        }
    }

    pub fn input_schema(self) -> Arc<JsonObject> {
        fn of<T: JsonSchema + 'static>() -> Arc<JsonObject> {
            let schema = schema_for_input::<T>().expect("tool input schemas have an object root");
            let mut schema = Value::Object((*schema).clone());
            make_portable(&mut schema);
            match schema {
                Value::Object(map) => Arc::new(map),
                _ => unreachable!("a schema object stays an object"),
            }
        }
        match self {
            Self::ValidateIban | Self::CheckCompliance => of::<args::IbanArgs>(),
            Self::BatchValidateIban => of::<args::BatchArgs>(),
            Self::LookupBic => of::<args::BicArgs>(),
            Self::LookupChClearing => of::<args::IidArgs>(),
        }
    }

    pub fn output_schema(self) -> Arc<JsonObject> {
        let schema = match self {
            Self::ValidateIban => schema_for_output::<Answer<IbanValidation>>(),
            Self::BatchValidateIban => schema_for_output::<Answer<BatchValidation>>(),
            Self::LookupBic => schema_for_output::<Answer<BicLookup>>(),
            Self::LookupChClearing => schema_for_output::<Answer<ClearingLookup>>(),
            Self::CheckCompliance => schema_for_output::<Answer<ComplianceCheck>>(),
        };
        let mut schema = Value::Object((*schema).clone());
        make_portable(&mut schema);
        match schema {
            Value::Object(map) => Arc::new(map),
            _ => unreachable!("a schema object stays an object"),
        }
    }

    /// The MCP definition `tools/list` returns.
    pub fn definition(self) -> Tool {
        Tool::new(self.name(), self.description(), self.input_schema())
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

/// What a tool call produced: an answer (`isError: false`) or a refusal of its arguments.
#[derive(Debug, Clone)]
pub enum Outcome {
    Answer {
        /// The `structuredContent`.
        structured: Value,
        /// The label line (first line of the text block).
        label: String,
    },
    InputError(InputError),
}

impl Outcome {
    /// The text block: the label line, then the JSON (compact: the same bytes as
    /// `structuredContent`, and half the tokens of pretty-printing for the agent reading it).
    pub fn text(&self) -> String {
        match self {
            Self::Answer { structured, label } => {
                format!(
                    "{label}\n{}",
                    serde_json::to_string(structured).unwrap_or_default()
                )
            }
            Self::InputError(e) => e.0.clone(),
        }
    }

    pub fn into_call_tool_result(self) -> CallToolResult {
        let text = self.text();
        match self {
            Self::Answer { structured, .. } => {
                let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
                r.structured_content = Some(structured);
                r
            }
            Self::InputError(_) => CallToolResult::error(vec![ContentBlock::text(text)]),
        }
    }
}

/// Make a schemars schema portable to every client that reads tool schemas.
///
/// - schemars marks integer and float widths with `format` values (`uint16`, `double`) no
///   JSON Schema validator knows; Ajv (inside the official TypeScript SDK) warns on each.
/// - A nullable field comes out as `"type": ["string", "null"]`: legal, but clients that map
///   schemas onto a single-`type` dialect (the Inspector's `--strict` check flags it) reject
///   it. It is rewritten as `anyOf: [{"type": "string", …}, {"type": "null"}]`, the
///   annotations (`description`, `default`) staying outside.
pub fn make_portable(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.values_mut().for_each(make_portable);
            let numeric = match map.get("type") {
                Some(Value::String(t)) => t == "integer" || t == "number",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer" || t == "number"),
                _ => false,
            };
            if numeric {
                map.remove("format");
            }
            split_nullable_type(map);
        }
        Value::Array(items) => items.iter_mut().for_each(make_portable),
        _ => {}
    }
}

fn split_nullable_type(map: &mut serde_json::Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type") else {
        return;
    };
    if types.len() != 2 || !types.contains(&Value::from("null")) {
        return;
    }
    let Some(other) = types.iter().find(|t| *t != "null").cloned() else {
        return;
    };
    const ANNOTATIONS: [&str; 5] = ["description", "title", "default", "examples", "$schema"];
    let mut branch = serde_json::Map::new();
    branch.insert("type".into(), other);
    let keys: Vec<String> = map
        .keys()
        .filter(|k| *k != "type" && !ANNOTATIONS.contains(&k.as_str()))
        .cloned()
        .collect();
    for k in keys {
        if let Some(v) = map.remove(&k) {
            branch.insert(k, v);
        }
    }
    map.remove("type");
    map.insert(
        "anyOf".into(),
        Value::Array(vec![
            Value::Object(branch),
            serde_json::json!({"type": "null"}),
        ]),
    );
}
