//! `batch_validate_iban`: 1–100 IBANs in one call, answered in input order.
//!
//! One request for the whole batch (`POST /v1/iban/batch`), never one per IBAN; identical
//! IBANs (after normalisation) are sent once, since each costs a unit of quota, and the
//! API's answers are mapped back onto every input position.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ToolName;
use super::answer::{Extra, Local, LocalAnswer};
use super::args::{Arguments, IbanInput, InputError, MAX_BATCH, bounded_array, field};
use super::iban_answer::{IbanValidation, LOCAL_COVERS};
use super::provenance::{Mode, RowProvenance};
use super::text::{Text, plain};
use super::tool::Tool;
use super::unknown_fields::keeps_unknown_fields;
use crate::api::{Failure, PaidRequest, Reason};
use crate::engine::data;

/// The `batch_validate_iban` tool.
pub struct BatchValidateIban;

/// Arguments of `batch_validate_iban`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BatchArgs {
    /// 1 to 100 IBANs, each in any spacing or case. Results come back in the same order.
    #[schemars(length(min = 1, max = 100), inner(length(min = 1, max = 256)))]
    pub ibans: Vec<String>,
}

/// A checked batch: every input, and which unique IBAN each one is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchInput {
    /// In input order.
    pub ibans: Vec<IbanInput>,
    /// Compact IBANs, each once, in order of first appearance: what the API is sent.
    pub unique: Vec<String>,
    /// For each input, its index in `unique`.
    pub positions: Vec<usize>,
}

impl BatchInput {
    /// The first input of each unique IBAN, in order of first appearance.
    pub fn unique_inputs(&self) -> impl Iterator<Item = &IbanInput> {
        (0..self.unique.len()).filter_map(|u| {
            self.positions
                .iter()
                .position(|&p| p == u)
                .map(|i| &self.ibans[i])
        })
    }

    pub fn new(ibans: Vec<IbanInput>) -> Self {
        let mut unique: Vec<String> = Vec::new();
        let positions = ibans
            .iter()
            .map(
                |i| match unique.iter().position(|u| u == i.compact.as_str()) {
                    Some(p) => p,
                    None => {
                        unique.push(i.compact.as_str().to_string());
                        unique.len() - 1
                    }
                },
            )
            .collect();
        Self {
            ibans,
            unique,
            positions,
        }
    }
}

keeps_unknown_fields! {
    /// The answer of `batch_validate_iban`.
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct BatchValidation {
        /// One result per input, in input order.
        pub results: Vec<BatchRow>,
        pub count: usize,
        pub valid_count: usize,
        #[serde(default)]
        pub cost_usdc: Option<f64>,
        #[serde(default)]
        pub processing_ms: Option<f64>,
    }
}

keeps_unknown_fields! {
    /// One row: the IBAN's answer, and who gave it (a batch may be answered partly in full,
    /// partly from the session cache and partly locally).
    #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
    pub struct BatchRow {
        #[serde(flatten)]
        pub validation: IbanValidation,
        /// This row's own provenance: mode, source, reason, cache, cross-check.
        pub provenance: RowProvenance,
    }
}

keeps_unknown_fields! {
    /// The API's own batch answer (rows without provenance).
    // Only read; `Serialize` is derived for the `#[serde]` attributes to belong to a derive.
    #[derive(Debug, Clone, Serialize)]
    pub struct ApiBatch {
        pub results: Vec<IbanValidation>,
        #[serde(default)]
        pub cost_usdc: Option<f64>,
        #[serde(default)]
        pub processing_ms: Option<f64>,
        /// Recounted over the input rows; the API's own counts are for what it was sent.
        #[serde(default)]
        pub count: Option<Value>,
        #[serde(default)]
        pub valid_count: Option<Value>,
    }
}

impl ApiBatch {
    /// Check that the API answered every IBAN it was sent, once.
    pub fn check(self, sent: usize) -> Result<Self, Failure> {
        if self.results.len() == sent {
            Ok(self)
        } else {
            Err(Failure::new(
                Reason::InvalidApiResponse,
                format!(
                    "The API returned {} batch results for {sent} IBANs.",
                    self.results.len()
                ),
                Some(200),
            ))
        }
    }
}

impl BatchValidation {
    /// Rows in input order from one answer per unique IBAN. Each answer moves to the last
    /// position that asks for it, and only an IBAN listed twice is copied: rows are large
    /// (a few dozen strings each).
    pub fn from_unique(input: &BatchInput, unique: Vec<BatchRow>) -> Self {
        let mut answers: Vec<Option<BatchRow>> = unique.into_iter().map(Some).collect();
        // Where in `results` (built from the last position back) each answer went.
        let mut placed: Vec<Option<usize>> = vec![None; answers.len()];
        let mut results: Vec<BatchRow> = Vec::with_capacity(input.positions.len());
        for &u in input.positions.iter().rev() {
            match placed.get(u).copied().flatten() {
                Some(at) => {
                    let copy = results[at].clone();
                    results.push(copy);
                }
                None => {
                    if let Some(row) = answers.get_mut(u).and_then(Option::take) {
                        placed[u] = Some(results.len());
                        results.push(row);
                    }
                }
            }
        }
        results.reverse();
        Self {
            count: results.len(),
            valid_count: results.iter().filter(|r| r.validation.valid).count(),
            results,
            cost_usdc: None,
            processing_ms: None,
            extra: Extra::new(),
        }
    }
}

impl Tool for BatchValidateIban {
    const NAME: ToolName = ToolName::BatchValidateIban;
    const TITLE: &'static str = "Batch Validate IBANs";
    const DESCRIPTION: &'static str = "Validate 1–100 IBANs in one call, results in input order.\n\
        Use for lists (payroll, supplier files); for one IBAN use validate_iban. \
        Costs $0.002 per IBAN, all-or-nothing against a free key's quota; duplicates count once. \
        A refused batch is answered locally in one pass and labelled degraded: no issuer or risk data per IBAN.";
    type Args = BatchArgs;
    type Input = BatchInput;
    type Body = BatchValidation;

    fn parse(arguments: Option<&Arguments>) -> Result<BatchInput, InputError> {
        let v = field(
            arguments,
            "ibans",
            "[\"CH93 0076 2011 6238 5295 7\", \"DE89 3704 0044 0532 0130 00\"]",
        )?;
        let items = bounded_array(v, "ibans", MAX_BATCH, "IBAN strings")?;
        let ibans = items
            .iter()
            .enumerate()
            .map(|(i, item)| IbanInput::parse(item, &format!("ibans[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BatchInput::new(ibans))
    }

    fn log_input(input: &BatchInput) -> String {
        format!("{} IBANs", input.ibans.len())
    }

    fn request(input: &BatchInput) -> PaidRequest {
        PaidRequest::Batch {
            ibans: input.unique.clone(),
        }
    }

    /// Every row from the engine; each row's provenance is set by the policy, which knows
    /// why the row is local.
    fn local(input: &BatchInput, engine: &Local) -> LocalAnswer<BatchValidation> {
        let unique: Vec<BatchRow> = input
            .unique_inputs()
            .map(|i| BatchRow {
                validation: IbanValidation::local(&i.text, engine),
                provenance: RowProvenance::local(),
            })
            .collect();
        let body = BatchValidation::from_unique(input, unique);
        LocalAnswer {
            covers: LOCAL_COVERS.into(),
            missing: rows_missing(body.results.iter().map(|r| &r.validation)),
            data_as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
            body,
        }
    }

    fn summary(b: &BatchValidation) -> String {
        format!("{} of {} IBANs are valid", b.valid_count, b.count)
    }

    /// One line per row in input order, then the counts; sources and dates once.
    fn render(b: &BatchValidation, text: &mut Text) {
        for (i, row) in b.results.iter().enumerate() {
            let r = &row.validation;
            let mut line = r.row(i + 1);
            match (&row.provenance.mode, &row.provenance.cache) {
                (Mode::Full, Some(_)) => line.push_str(" — full (cached)"),
                (Mode::Full, None) => {}
                (mode, _) => {
                    let _ = write!(line, " — {} (local)", mode.as_str());
                }
            }
            if let Some(x) = row
                .provenance
                .cross_check
                .as_ref()
                .filter(|x| x.disagrees())
            {
                let _ = write!(
                    line,
                    " — WARNING offline engine disagrees: {}",
                    x.rule.as_deref().unwrap_or("see cross_check")
                );
            }
            text.line(line);
            if let Some(bic) = &r.bic
                && let Some(source) = &bic.source
            {
                text.source(source, bic.as_of.as_deref());
            }
            if let Some(sepa) = &r.sepa
                && let Some(source) = sepa.extra.get("source").map(plain)
            {
                let as_of = sepa.extra.get("as_of").map(plain);
                text.source(&source, as_of.as_deref());
            }
        }
        let invalid = b.count.saturating_sub(b.valid_count);
        text.line(format!(
            "Counts: {} IBANs, {} valid, {invalid} invalid",
            b.count, b.valid_count
        ));
        text.field("Cost", b.cost_usdc.map(|c| format!("{c} USDC")));
    }
}

/// What the local rows lack, as `results[].<field>`, each once.
pub fn rows_missing<'a>(rows: impl Iterator<Item = &'a IbanValidation>) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    for r in rows {
        for m in r.missing() {
            let m = format!("results[].{m}");
            if !missing.contains(&m) {
                missing.push(m);
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(v: serde_json::Value) -> Arguments {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn duplicates_are_sent_once_and_mapped_back() {
        let input = BatchValidateIban::parse(Some(&args(json!({"ibans": [
            "CH93 0076 2011 6238 5295 7", "DE89370400440532013000", "ch9300762011623852957"
        ]}))))
        .unwrap();
        assert_eq!(input.unique.len(), 2);
        assert_eq!(input.positions, [0, 1, 0]);
        let texts: Vec<&str> = input.unique_inputs().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            ["CH93 0076 2011 6238 5295 7", "DE89370400440532013000"]
        );
        let row = |iban: &str, valid| BatchRow {
            validation: IbanValidation {
                valid,
                ..serde_json::from_value(json!({"iban": iban, "formatted": null, "valid": valid,
                    "country": null, "check_digits": null, "bban": null}))
                .unwrap()
            },
            provenance: RowProvenance::local(),
        };
        let b = BatchValidation::from_unique(
            &input,
            vec![
                row("CH9300762011623852957", true),
                row("DE89370400440532013000", false),
            ],
        );
        assert_eq!((b.count, b.valid_count), (3, 2));
        let order: Vec<&str> = b
            .results
            .iter()
            .map(|r| r.validation.iban.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "CH9300762011623852957",
                "DE89370400440532013000",
                "CH9300762011623852957"
            ]
        );
        let api = ApiBatch {
            results: vec![b.results[0].validation.clone()],
            cost_usdc: None,
            processing_ms: None,
            count: None,
            valid_count: None,
            extra: Extra::new(),
        };
        let f = api.check(2).unwrap_err();
        assert_eq!(f.reason, Reason::InvalidApiResponse);
    }

    #[test]
    fn refusals_name_the_bounds() {
        let e = BatchValidateIban::parse(Some(&args(json!({"ibans": []})))).unwrap_err();
        assert!(e.0.contains("1 to 100"), "{e}");
        let e =
            BatchValidateIban::parse(Some(&args(json!({"ibans": ["CH93", null]})))).unwrap_err();
        assert!(
            e.0.contains("`ibans[1]` must be a string (got null)"),
            "{e}"
        );
        let e = BatchValidateIban::parse(Some(&args(json!({"ibans": "CH93"})))).unwrap_err();
        assert!(
            e.0.contains("must be an array of 1–100 IBAN strings (got a string)"),
            "{e}"
        );
    }
}
