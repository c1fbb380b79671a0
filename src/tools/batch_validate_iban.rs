//! `batch_validate_iban`: 1–100 IBANs in one call, answered in input order.
//!
//! One request for the whole batch (`POST /v1/iban/batch`), never one per IBAN; identical
//! IBANs (after normalisation) are sent once, since each costs a unit of quota, and the
//! API's answers are mapped back onto every input position.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use std::future::Future;

use tokio::time::Instant as Deadline;

use super::answer::Extra;
use super::args::{
    Arguments, IbanInput, InputError, MAX_BATCH, MAX_STRING_CHARS, bounded_array, field,
};
use super::cache::CacheKey;
use super::iban_answer::{IBAN_KIND, IbanValidation, LOCAL_COVERS};
use super::policy::{CallContext, Chain, Labelled, Toolbox, full_body, with_notes};
use super::provenance::{CrossCheck, Mode, Provenance, RowProvenance, Shortfall, Source};
use super::text::{Text, plain};
use super::tool::Tool;
use crate::api::unknown_fields::keeps_unknown_fields;
use crate::api::{Failure, PaidRequest, Reason, Usage};

/// The `batch_validate_iban` tool.
pub struct BatchValidateIban;

/// Arguments of `batch_validate_iban`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BatchArgs {
    /// 1 to 100 IBANs, each in any spacing or case. Results come back in the same order.
    #[schemars(length(min = 1, max = MAX_BATCH), inner(length(min = 1, max = MAX_STRING_CHARS)))]
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
    const NAME: &'static str = "batch_validate_iban";
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

impl Chain for BatchValidateIban {
    fn answer<'a>(
        toolbox: &'a Toolbox,
        input: &'a BatchInput,
        deadline: Deadline,
        context: &'a CallContext,
    ) -> impl Future<Output = Labelled<BatchValidation>> + Send + 'a {
        answer_batch(toolbox, input, deadline, context)
    }
}

/// `POST /v1/iban/batch` for these compact IBANs (each once).
fn batch_request<'a>(ibans: impl Iterator<Item = &'a str>) -> PaidRequest {
    PaidRequest::post(
        "/v1/iban/batch",
        serde_json::json!({ "ibans": ibans.collect::<Vec<_>>() }),
    )
}

/// `batch_validate_iban`: the chain row by row, in one request. Rows this session has
/// already paid for come from the cache; the rest go in one batch request; a batch
/// refused as larger than what is left (`monthly_quota_insufficient`,
/// `credits_insufficient`: nothing debited) is retried once with the rows still
/// affordable; every other row is answered locally. Each row says which.
async fn answer_batch(
    toolbox: &Toolbox,
    input: &BatchInput,
    deadline: Deadline,
    context: &CallContext,
) -> Labelled<BatchValidation> {
    if let Some(offline) = toolbox.offline() {
        return batch_with_local_rows(
            toolbox,
            input,
            vec![None; input.unique.len()],
            offline,
            None,
        );
    }
    // Boxed, as the paid chain is: the network path's state is kilobytes.
    Box::pin(batch_online(toolbox, input, deadline, context)).await
}

/// [`answer_batch`] when the API may be asked.
async fn batch_online(
    toolbox: &Toolbox,
    input: &BatchInput,
    deadline: Deadline,
    context: &CallContext,
) -> Labelled<BatchValidation> {
    let engine = toolbox.local_engine();
    let texts: Vec<&str> = input.unique_inputs().map(|i| i.text.as_str()).collect();
    let full_row = |i: usize, v: IbanValidation, cache| {
        let mut p = Provenance::full(None, None);
        p.cache = cache;
        p.cross_check = Some(v.cross_check(texts[i], &engine));
        BatchRow {
            validation: v,
            provenance: p.row(),
        }
    };
    // Rows already paid for this session.
    let mut rows: Vec<Option<BatchRow>> = input
        .unique
        .iter()
        .enumerate()
        .map(|(i, compact)| {
            let c = toolbox
                .cache()
                .get(&CacheKey::new(IBAN_KIND, compact.clone()))?;
            let v = IbanValidation::deserialize(&c.body).ok()?;
            Some(full_row(i, v, Some(c.hit)))
        })
        .collect();
    let unpaid: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].is_none()).collect();
    if unpaid.is_empty() {
        return batch_full(input, rows, None, None, None);
    }
    let ua = context.user_agent();
    let mut usage = (None, None);
    let mut cost = None;
    let mut api_fields = (None, crate::api::JsonObject::new());
    let mut ask = async |send: &[usize], rows: &mut Vec<Option<BatchRow>>| {
        let request = batch_request(send.iter().map(|&i| input.unique[i].as_str()));
        let success = toolbox.paid(&request, deadline, &ua).await?;
        let api = full_body::<ApiBatch>(&success)?.check(send.len())?;
        for (&i, v) in send.iter().zip(api.results) {
            if let Ok(value) = serde_json::to_value(&v) {
                toolbox
                    .cache()
                    .put(CacheKey::new(IBAN_KIND, input.unique[i].clone()), value);
            }
            rows[i] = Some(full_row(i, v, None));
        }
        usage = (success.quota, success.credits);
        cost = Some(cost.unwrap_or(0.0) + api.cost_usdc.unwrap_or(0.0));
        api_fields = (api.processing_ms, api.extra);
        Ok::<(), Failure>(())
    };
    let first = match ask(&unpaid, &mut rows).await {
        Ok(()) => {
            let mut answered = batch_full(input, rows, usage.0, usage.1, cost);
            answered.body.processing_ms = api_fields.0;
            answered.body.extra = api_fields.1;
            return answered;
        }
        Err(f) => f,
    };
    // Spend what is left: the refusal says how much a smaller request could still buy.
    let affordable = affordable_rows(&first, unpaid.len());
    let mut again = None;
    if toolbox.settings().spend_remaining
        && let Some(k) = affordable.filter(|&k| k > 0 && k < unpaid.len())
        && let Err(f) = ask(&unpaid[..k], &mut rows).await
    {
        again = Some((toolbox.shortfall(f), unpaid[..k].to_vec()));
    }
    let shortfall = toolbox.shortfall(first);
    batch_with_local_rows(toolbox, input, rows, &shortfall, again).with_cost(cost)
}

/// Every row full (fresh or cached): the batch is full.
fn batch_full(
    input: &BatchInput,
    rows: Vec<Option<BatchRow>>,
    quota: Option<crate::api::JsonObject>,
    credits: Option<crate::api::JsonObject>,
    cost: Option<f64>,
) -> Labelled<BatchValidation> {
    let unique: Vec<BatchRow> = rows.into_iter().flatten().collect();
    let mut provenance = Provenance::full(quota, credits);
    // Served wholly from the cache: say so at the top too (the oldest row's time).
    if unique.iter().all(|r| r.provenance.cache.is_some()) {
        provenance.cache = unique
            .iter()
            .filter_map(|r| r.provenance.cache.clone())
            .max_by_key(|c| c.age_s);
    }
    let mut body = BatchValidation::from_unique(input, unique);
    body.cost_usdc = cost;
    let mut notes = provenance.label_notes();
    let disagreements = disagreeing_rows(&body);
    if !disagreements.is_empty() {
        notes.insert(0, disagreements);
    }
    let cached = body
        .results
        .iter()
        .filter(|r| r.provenance.cache.is_some())
        .count();
    if cached > 0 && provenance.cache.is_none() {
        notes.insert(
            0,
            format!("{cached} rows served from this session's cache (no new charge)"),
        );
    }
    Labelled {
        label: with_notes(BatchValidateIban::summary(&body), &notes),
        body,
        provenance,
    }
}

/// Some rows are not full: each missing row is answered locally, saying why (`again`:
/// the rows of a second, refused request and their own shortfall).
fn batch_with_local_rows(
    toolbox: &Toolbox,
    input: &BatchInput,
    rows: Vec<Option<BatchRow>>,
    shortfall: &Shortfall,
    again: Option<(Shortfall, Vec<usize>)>,
) -> Labelled<BatchValidation> {
    let engine = toolbox.local_engine();
    let texts: Vec<&str> = input.unique_inputs().map(|i| i.text.as_str()).collect();
    let rows: Vec<BatchRow> = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            row.unwrap_or_else(|| {
                let why = match &again {
                    Some((s, retried)) if retried.contains(&i) => s,
                    _ => shortfall,
                };
                BatchRow {
                    validation: IbanValidation::local(texts[i], &engine),
                    provenance: RowProvenance {
                        mode: why.mode,
                        source: Source::Local,
                        reason: Some(why.why.reason.clone()),
                        cache: None,
                        cross_check: None,
                    },
                }
            })
        })
        .collect();
    let body = BatchValidation::from_unique(input, rows);
    let full = body
        .results
        .iter()
        .filter(|r| r.provenance.mode == Mode::Full)
        .count();
    let missing = rows_missing(
        body.results
            .iter()
            .filter(|r| r.provenance.mode != Mode::Full)
            .map(|r| &r.validation),
    );
    let covers = if full > 0 {
        format!(
            "{full} of {} answered in full; the rest: {LOCAL_COVERS}",
            body.count
        )
    } else {
        LOCAL_COVERS.to_string()
    };
    let provenance = shortfall.provenance(
        Source::Local,
        missing,
        Some(crate::engine::data::BANK_DIRECTORY_AS_OF.into()),
    );
    let mut label = shortfall.label(&covers, &BatchValidateIban::summary(&body));
    let disagreements = disagreeing_rows(&body);
    if !disagreements.is_empty() {
        label = with_notes(label, &[disagreements]);
    }
    Labelled {
        body,
        provenance,
        label,
    }
}

impl Labelled<BatchValidation> {
    fn with_cost(mut self, cost: Option<f64>) -> Self {
        self.body.cost_usdc = cost;
        self
    }
}

/// How many rows a refusal says are still affordable: `cause.quota.remaining` units (one per
/// IBAN), or `cause.credits.remaining` at the price per row that `required` implies.
fn affordable_rows(refusal: &Failure, rows: usize) -> Option<usize> {
    let k = match refusal.reason {
        Reason::MonthlyQuotaInsufficient => Usage::of(refusal.quota.as_ref()?).remaining?,
        Reason::CreditsInsufficient => {
            let credits = Usage::of(refusal.credits.as_ref()?);
            let remaining = credits.remaining?;
            let per_row = credits
                .required
                .map(|r| r.div_ceil(rows.max(1) as u64))
                .filter(|&p| p > 0)
                .unwrap_or(1);
            remaining / per_row
        }
        _ => return None,
    };
    Some(usize::try_from(k).unwrap_or(usize::MAX).min(rows))
}

/// "WARNING: the offline engine disagrees on rows 3, 7" (nothing when all agree).
fn disagreeing_rows(b: &BatchValidation) -> String {
    let rows: Vec<String> = b
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.provenance
                .cross_check
                .as_ref()
                .is_some_and(CrossCheck::disagrees)
        })
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if rows.is_empty() {
        String::new()
    } else {
        format!(
            "WARNING: the offline engine disagrees with the API on row {} (see each row's cross_check)",
            rows.join(", ")
        )
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
    use crate::tools::provenance::CrossCheckStatus;
    use serde_json::json;

    fn object(v: serde_json::Value) -> crate::api::JsonObject {
        v.as_object().expect("a JSON object").clone()
    }

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

    #[test]
    fn affordable_rows_read_quota_or_credits_at_the_implied_price() {
        let quota = |remaining: u64| {
            let mut f = Failure::new(Reason::MonthlyQuotaInsufficient, "", Some(402));
            f.quota = Some(object(json!({ "remaining": remaining })));
            f
        };
        assert_eq!(affordable_rows(&quota(7), 10), Some(7));
        assert_eq!(affordable_rows(&quota(0), 10), Some(0));
        assert_eq!(
            affordable_rows(&quota(50), 10),
            Some(10),
            "never more than asked"
        );

        let credits = |c: serde_json::Value| {
            let mut f = Failure::new(Reason::CreditsInsufficient, "", Some(402));
            f.credits = Some(object(c));
            f
        };
        // 10 rows cost 30 credits: 3 a row; 20 left buy 6.
        assert_eq!(
            affordable_rows(&credits(json!({"remaining": 20, "required": 30})), 10),
            Some(6)
        );
        // 25 for 10 rows rounds up to 3 a row: 8 left buy 2.
        assert_eq!(
            affordable_rows(&credits(json!({"remaining": 8, "required": 25})), 10),
            Some(2)
        );
        // Without a price (or a zero one), one credit a row.
        assert_eq!(
            affordable_rows(&credits(json!({"remaining": 4})), 10),
            Some(4)
        );
        assert_eq!(
            affordable_rows(&credits(json!({"remaining": 4, "required": 0})), 10),
            Some(4)
        );
        assert_eq!(affordable_rows(&credits(json!({"required": 30})), 10), None);

        // Any other refusal (or no numbers) affords nothing to retry with.
        let mut other = quota(7);
        other.reason = Reason::MonthlyQuotaExhausted;
        assert_eq!(affordable_rows(&other, 10), None);
        let mut bare = quota(7);
        bare.quota = None;
        assert_eq!(affordable_rows(&bare, 10), None);
    }

    #[test]
    fn disagreeing_rows_are_numbered_from_one() {
        let tb = Toolbox::new(std::sync::Arc::new(crate::config::Settings::default()));
        let engine = tb.local_engine();
        let row = |status: CrossCheckStatus| BatchRow {
            validation: IbanValidation::local("DE89370400440532013000", &engine),
            provenance: RowProvenance {
                cross_check: Some(CrossCheck {
                    status,
                    local_valid: Some(true),
                    rule: None,
                    detail: None,
                }),
                ..RowProvenance::local()
            },
        };
        let mut batch = BatchValidation {
            results: vec![
                row(CrossCheckStatus::Disagree),
                row(CrossCheckStatus::Agree),
                row(CrossCheckStatus::Disagree),
            ],
            count: 3,
            valid_count: 3,
            cost_usdc: None,
            processing_ms: None,
            extra: Default::default(),
        };
        assert_eq!(
            disagreeing_rows(&batch),
            "WARNING: the offline engine disagrees with the API on row 1, 3 (see each row's cross_check)"
        );
        batch.results = vec![
            row(CrossCheckStatus::Agree),
            row(CrossCheckStatus::NotChecked),
        ];
        assert_eq!(disagreeing_rows(&batch), "");
    }

    #[test]
    fn an_upstream_rows_provenance_never_goes_out_beside_ours() {
        // An upstream `provenance` on a row would go out beside the row's own.
        let batch = ApiBatch::deserialize(&json!({
            "results": [{"iban": "X", "valid": false, "provenance": 1, "kept": true}],
            "cost_usdc": null, "processing_ms": null, "count": 1, "valid_count": 0
        }))
        .unwrap();
        assert!(batch.results[0].extra.get("provenance").is_none());
        assert_eq!(batch.results[0].extra["kept"], true);
    }
}
