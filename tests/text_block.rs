//! The text block a model reads (tool contract, "Every answer that ran"): the label line,
//! then a lean rendering of the same answer — sized for an agent's context, and never
//! saying something `structuredContent` does not.

mod common;

use std::sync::Arc;
use std::time::Duration;

use ibanforge_mcp::config::{ApiKey, Settings};
use ibanforge_mcp::engine::iban;
use ibanforge_mcp::tools::{CallContext, Outcome, Toolbox};
use ibanforge_stand_in::{KeyKind, StandIn};
use proptest::prelude::*;
use serde_json::{Value, json};

const DE89: &str = "DE89 3704 0044 0532 0130 00";

/// (text, structured) of one call.
async fn call(toolbox: &Toolbox, tool: &str, args: Value) -> (String, Value) {
    let outcome = toolbox
        .call(tool, args.as_object(), &CallContext::default())
        .await
        .unwrap();
    let text = outcome.text().to_string();
    match outcome {
        Outcome::Answer { structured, .. } => {
            common::assert_conforms(tool, &structured);
            (text, structured.into_value())
        }
        other => panic!("{other:?}"),
    }
}

fn offline() -> Toolbox {
    Toolbox::new(Arc::new(common::offline_settings()))
}

/// A valid IBAN of `country` with the given BBAN (check digits computed).
fn with_check_digits(country: &str, bban: &str) -> String {
    let cd = iban::compute_check_digits(country, bban).unwrap();
    format!("{country}{cd}{bban}")
}

/// 100 mixed IBANs: real bank codes of several countries, valid and broken, some repeated.
fn hundred_mixed() -> Vec<String> {
    let bases = [
        ("DE", "37040044", 10),
        ("CH", "00230", 12),
        ("FR", "3000600001", 13),
        ("AT", "12000", 11),
        ("NL", "ABNA", 10),
        ("BE", "310", 9),
    ];
    (0..100)
        .map(|i| {
            let (country, bank, len) = bases[i % bases.len()];
            let account = format!("{:0width$}", 1_000_003 * (i + 1), width = len);
            let mut s = with_check_digits(country, &format!("{bank}{account}"));
            if i % 4 == 3 {
                // A typo: the last digit changed.
                let last = s.pop().unwrap();
                s.push(if last == '9' { '0' } else { '9' });
            }
            if i % 10 == 9 {
                s = s.to_lowercase();
            }
            s
        })
        .collect()
}

#[tokio::test]
async fn offline_text_blocks_fit_their_budgets() {
    let t = offline();
    let (text, _) = call(&t, "validate_iban", json!({"iban": DE89})).await;
    assert!(
        text.chars().count() <= 1_000,
        "{} chars:\n{text}",
        text.chars().count()
    );
    let (text, _) = call(&t, "check_compliance", json!({"iban": DE89})).await;
    assert!(
        text.chars().count() <= 1_500,
        "{} chars:\n{text}",
        text.chars().count()
    );
    let (text, v) = call(&t, "batch_validate_iban", json!({"ibans": hundred_mixed()})).await;
    assert!(
        text.chars().count() <= 25_000,
        "{} chars",
        text.chars().count()
    );
    assert_rows_agree(&text, &v);
}

#[tokio::test]
async fn full_text_blocks_fit_their_budgets() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_text_sizes",
        KeyKind::Quota {
            used: 0,
            limit: 10_000,
        },
    );
    let t = Toolbox::new(Arc::new(Settings {
        api_key: ApiKey::new("ifk_text_sizes"),
        api_base: api.base.clone(),
        timeout: Duration::from_secs(10),
        ..Settings::default()
    }));
    let (text, v) = call(&t, "validate_iban", json!({"iban": DE89})).await;
    assert_eq!(v["provenance"]["mode"], "full", "{text}");
    assert!(
        text.chars().count() <= 1_000,
        "{} chars:\n{text}",
        text.chars().count()
    );
    let (text, v) = call(&t, "check_compliance", json!({"iban": DE89})).await;
    assert_eq!(v["provenance"]["mode"], "full", "{text}");
    assert!(
        text.chars().count() <= 1_500,
        "{} chars:\n{text}",
        text.chars().count()
    );
    let (text, v) = call(&t, "batch_validate_iban", json!({"ibans": hundred_mixed()})).await;
    assert_eq!(v["provenance"]["mode"], "full", "{text}");
    assert!(
        text.chars().count() <= 25_000,
        "{} chars",
        text.chars().count()
    );
    assert_rows_agree(&text, &v);
}

/// One line per row, in input order: its IBAN, and `valid` or `INVALID <code>` exactly as
/// the structured row says.
fn assert_rows_agree(text: &str, v: &Value) {
    let rows = v["results"].as_array().unwrap();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    for (i, row) in rows.iter().enumerate() {
        let prefix = format!("{}. ", i + 1);
        let line = lines
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no line for row {}:\n{text}", i + 1));
        let shown = row["formatted"]
            .as_str()
            .unwrap_or(row["iban"].as_str().unwrap());
        assert!(line.contains(shown), "row {}: {line} lacks {shown}", i + 1);
        let says_valid = line.contains(" — valid");
        let says_invalid = line.contains(" — INVALID ");
        assert_eq!(
            (says_valid, says_invalid),
            (row["valid"] == true, row["valid"] == false),
            "row {}: {line} vs {row}",
            i + 1
        );
        if row["valid"] == false {
            let code = row["error"].as_str().unwrap();
            assert!(
                line.contains(&format!("INVALID {code}")),
                "row {}: {line}",
                i + 1
            );
        }
    }
}

fn iban_like() -> impl Strategy<Value = String> {
    let valid = prop::sample::select(vec![
        "DE89370400440532013000",
        "CH1000230000000012345",
        "GB29NWBK60161331926819",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "AT611904300234573201",
    ]);
    (valid, any::<u8>(), 0usize..40, prop::bool::ANY).prop_map(|(v, c, at, mutate)| {
        let mut s: Vec<char> = v.chars().collect();
        if mutate {
            let at = at % s.len();
            s[at] = (b'0' + c % 10) as char;
        }
        s.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The text never calls a row valid that the structured answer calls invalid, nor the
    /// reverse; the same for a single IBAN's label.
    #[test]
    fn the_text_never_contradicts_the_verdict(ibans in prop::collection::vec(iban_like(), 1..12)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let t = offline();
            let (text, v) = call(&t, "batch_validate_iban", json!({"ibans": ibans})).await;
            assert_rows_agree(&text, &v);
            let (text, v) = call(&t, "validate_iban", json!({"iban": ibans[0]})).await;
            let label = text.lines().next().unwrap();
            assert_eq!(label.contains(" is valid"), v["valid"] == true, "{label}");
            assert_eq!(label.contains(" is NOT valid"), v["valid"] == false, "{label}");
        });
    }
}
