//! `check_compliance` is never silent about a listed country, and says when a list it relied
//! on may be out of date: through `Toolbox::call`, offline and as a fallback, with the lists'
//! age judged on pinned days so the answers do not depend on the machine's clock.

mod common;

use std::sync::Arc;

use common::{assert_conforms, closed_port_base, offline_settings};
use ibanforge_mcp::config::Settings;
use ibanforge_mcp::engine::compliance::ComplianceLists;
use ibanforge_mcp::engine::date::CivilDate;
use ibanforge_mcp::tools::lists::system_today;
use ibanforge_mcp::tools::{CallContext, Outcome, Toolbox};
use serde_json::{Value, json};

/// The day this was written: the June 2026 FATF list is past the October 2026 plenary.
const WRITTEN_ON: &str = "2026-11-30";

fn day(s: &str) -> CivilDate {
    CivilDate::parse_as_of(s).unwrap()
}

fn toolbox(settings: Settings, judged_on: &str) -> Toolbox {
    Toolbox::new(Arc::new(settings)).with_lists_judged_on(day(judged_on))
}

struct Labelled {
    label: String,
    text: String,
    v: Value,
}

impl Labelled {
    fn flags(&self) -> Vec<&str> {
        self.v["compliance"]["flags"]
            .as_array()
            .expect("flags")
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect()
    }
}

async fn check(toolbox: &Toolbox, iban: &str) -> Labelled {
    let Value::Object(args) = json!({ "iban": iban }) else {
        unreachable!()
    };
    match toolbox
        .call("check_compliance", Some(&args), &CallContext::default())
        .await
        .expect("check_compliance exists")
    {
        Outcome::Answer {
            structured,
            label,
            text,
        } => {
            assert_conforms("check_compliance", &structured);
            assert!(text.starts_with(&label), "the text opens with the label");
            assert!(
                text.chars().count() <= 1_500,
                "{iban}: {} characters\n{text}",
                text.chars().count()
            );
            let c = &structured["compliance"];
            // Honest whatever the country: the bank is never screened locally, no score.
            assert!(c["risk_score"].is_null(), "{iban}");
            assert_eq!(c["sanctions"]["bank_screened"], false, "{iban}");
            assert_eq!(structured["provenance"]["source"], "local");
            Labelled {
                label,
                text,
                v: structured.into_value(),
            }
        }
        Outcome::InputError(e) => panic!("{iban}: refused: {e}"),
    }
}

/// What every answer about North Korea says, however the IBAN is written.
fn says_north_korea_is_called_for_action(a: &Labelled) {
    assert_eq!(a.v["valid"], false);
    assert_eq!(
        a.flags(),
        [
            "invalid_iban",
            "fatf_call_for_action",
            "eu_high_risk_third_country",
            "bank_not_screened"
        ]
    );
    let c = &a.v["compliance"];
    assert_eq!(c["sanctions"]["fatf_status"], "black_list");
    assert_eq!(c["sanctions"]["country"], "KP");
    assert_eq!(c["sanctions"]["eu_high_risk_third_country"], true);
    assert_eq!(c["risk_level"], "high");
    assert!(
        a.label.contains(
            "is NOT a valid IBAN (unsupported_country), but KP (North Korea) is on the FATF call-for-action list (June 2026) and on the EU list of high-risk third countries: risk level high (country facts alone)"
        ),
        "{}",
        a.label
    );
}

#[tokio::test]
async fn north_korea_is_named_offline_whatever_the_spelling() {
    let t = toolbox(offline_settings(), WRITTEN_ON);
    for iban in [
        "KP12 3456 7890 1234",
        "kp12 3456 7890 1234",
        "IBAN: KP12-3456-7890-1234",
    ] {
        let a = check(&t, iban).await;
        assert!(a.label.starts_with("OFFLINE RESULT — "), "{}", a.label);
        says_north_korea_is_called_for_action(&a);
        assert!(
            a.text.contains("Flags: invalid_iban, fatf_call_for_action"),
            "{}",
            a.text
        );
    }
}

#[tokio::test]
async fn north_korea_is_named_after_the_api_and_the_free_endpoint_fail() {
    // Nothing listens there: the paid call and the free format endpoint (asked because KP
    // is no IBAN country) both fail, and the local answer still names the listing.
    let settings = Settings {
        api_base: closed_port_base(),
        ..Settings::default()
    };
    let a = check(&toolbox(settings, WRITTEN_ON), "KP12 3456 7890 1234").await;
    assert_eq!(a.v["provenance"]["mode"], "anonymous");
    assert_eq!(a.v["provenance"]["reason"], "api_unreachable");
    assert!(a.label.starts_with("ANONYMOUS MODE — "), "{}", a.label);
    says_north_korea_is_called_for_action(&a);
}

#[tokio::test]
async fn iran_is_named_as_an_aspirational_country_or_not() {
    let iban = "IR062960000000100324200001";
    // Without --aspirational IR is no IBAN country.
    let a = check(&toolbox(offline_settings(), WRITTEN_ON), iban).await;
    assert_eq!(a.v["valid"], false);
    assert_eq!(a.v["error"], "unsupported_country");
    assert_eq!(
        a.flags(),
        [
            "invalid_iban",
            "fatf_call_for_action",
            "eu_high_risk_third_country",
            "bank_not_screened"
        ]
    );
    assert_eq!(a.v["compliance"]["sanctions"]["fatf_status"], "black_list");
    assert_eq!(a.v["compliance"]["risk_level"], "high");
    assert!(
        a.label
            .contains("but IR (Iran) is on the FATF call-for-action list (June 2026)"),
        "{}",
        a.label
    );

    // With it, the IBAN is checked as Iranian and is valid: the same country facts, and
    // Iran is outside SEPA.
    let settings = Settings {
        aspirational: true,
        ..offline_settings()
    };
    let a = check(&toolbox(settings, WRITTEN_ON), iban).await;
    assert_eq!(a.v["valid"], true, "{}", a.text);
    assert_eq!(a.v["country"]["code"], "IR");
    assert_eq!(
        a.flags(),
        [
            "fatf_call_for_action",
            "eu_high_risk_third_country",
            "outside_sepa",
            "bank_not_screened"
        ]
    );
    assert_eq!(a.v["compliance"]["sanctions"]["fatf_status"], "black_list");
    assert_eq!(a.v["compliance"]["risk_level"], "high");
    assert_eq!(a.v["compliance"]["reachability"]["sct"], false);
    assert!(
        a.label.contains(
            "IR06 2960 0000 0010 0324 2000 01: risk level high — IR (Iran) is on the FATF call-for-action list (June 2026) and on the EU list of high-risk third countries"
        ),
        "{}",
        a.label
    );
}

#[tokio::test]
async fn myanmar_is_named_though_it_has_no_iban() {
    let a = check(
        &toolbox(offline_settings(), WRITTEN_ON),
        "MM12 3456 7890 1234 5678",
    )
    .await;
    assert_eq!(a.v["valid"], false);
    assert_eq!(
        a.flags(),
        [
            "invalid_iban",
            "fatf_call_for_action",
            "eu_high_risk_third_country",
            "bank_not_screened"
        ]
    );
    assert_eq!(a.v["compliance"]["sanctions"]["fatf_status"], "black_list");
    assert_eq!(a.v["compliance"]["risk_level"], "high");
    assert!(
        a.label
            .contains("but MM (Myanmar) is on the FATF call-for-action list (June 2026)"),
        "{}",
        a.label
    );
}

#[tokio::test]
async fn a_valid_grey_list_iban_is_elevated_and_says_why() {
    // Bulgaria: FATF grey list, not on the EU list, in SEPA.
    let a = check(
        &toolbox(offline_settings(), WRITTEN_ON),
        "BG80 BNBG 9661 1020 3456 78",
    )
    .await;
    assert_eq!(a.v["valid"], true);
    assert_eq!(
        a.flags(),
        ["fatf_increased_monitoring", "bank_not_screened"]
    );
    let c = &a.v["compliance"];
    assert_eq!(c["sanctions"]["fatf_status"], "grey_list");
    assert_eq!(c["sanctions"]["eu_high_risk_third_country"], false);
    assert_eq!(c["risk_level"], "elevated");
    assert!(
        a.label.contains(
            "BG80 BNBG 9661 1020 3456 78: risk level elevated — BG (Bulgaria) is under FATF increased monitoring (grey list, June 2026) (fatf_increased_monitoring, bank_not_screened)"
        ),
        "{}",
        a.label
    );
    assert!(!a.label.contains("EU list of high-risk"), "{}", a.label);
}

#[tokio::test]
async fn an_invalid_iban_from_a_listed_country_keeps_both_facts() {
    // Monaco (grey list and EU list) with a broken checksum.
    let a = check(
        &toolbox(offline_settings(), WRITTEN_ON),
        "MC5811222000010123456789031",
    )
    .await;
    assert_eq!(a.v["valid"], false);
    assert_eq!(
        a.flags(),
        [
            "invalid_iban",
            "fatf_increased_monitoring",
            "eu_high_risk_third_country",
            "bank_not_screened"
        ]
    );
    assert_eq!(a.v["compliance"]["sanctions"]["fatf_status"], "grey_list");
    assert_eq!(a.v["compliance"]["risk_level"], "elevated");
    assert!(
        a.label.contains(
            "is NOT a valid IBAN (checksum_failed), but MC (Monaco) is under FATF increased monitoring (grey list, June 2026) and on the EU list of high-risk third countries: risk level elevated (country facts alone)"
        ),
        "{}",
        a.label
    );
}

#[tokio::test]
async fn a_clean_country_raises_no_flag() {
    let t = toolbox(offline_settings(), WRITTEN_ON);
    let a = check(&t, "CH93 0076 2011 6238 5295 7").await;
    assert_eq!(a.v["valid"], true);
    assert_eq!(a.flags(), ["bank_not_screened"]);
    assert_eq!(a.v["compliance"]["sanctions"]["fatf_status"], "not_listed");
    assert_eq!(a.v["compliance"]["risk_level"], "unassessable");
    assert!(
        a.label
            .ends_with("risk level unassessable (bank_not_screened)"),
        "{}",
        a.label
    );
    for word in ["call-for-action", "increased monitoring", "high-risk third"] {
        assert!(!a.label.contains(word), "{word}: {}", a.label);
    }

    // An invalid IBAN from an unlisted country: no verdict, and no country flag.
    let a = check(&t, "DE88370400440532013000").await;
    assert_eq!(a.flags(), ["invalid_iban"]);
    assert!(a.v["compliance"]["sanctions"]["fatf_status"].is_null());
    assert_eq!(a.v["compliance"]["risk_level"], "unassessable");
    assert!(a.label.ends_with("no compliance verdict"), "{}", a.label);

    // Letters that are no country at all: nothing is invented.
    let a = check(&t, "XX12 3456 7890").await;
    assert_eq!(a.flags(), ["invalid_iban"]);
    assert_eq!(a.v["compliance"]["risk_level"], "unassessable");
}

#[tokio::test]
async fn the_june_2026_fatf_list_is_flagged_once_the_october_plenary_is_due() {
    let iban = "KP12 3456 7890 1234";
    // 30 November 2026: the FATF list (next plenary October 2026) and the SEPA scope list
    // (12 months after 1 May 2025) may be out of date; the EU list of 4 Dec 2025 not yet.
    let a = check(&toolbox(offline_settings(), WRITTEN_ON), iban).await;
    assert!(
        a.label.contains(
            "Lists may be out of date (FATF June 2026, EPC SEPA scope 1 May 2025): put a newer compliance_lists.json beside the config file (see `ibanforge-mcp doctor`)."
        ),
        "{}",
        a.label
    );
    assert!(
        a.text.contains(
            "\nLists: FATF June 2026 (the October 2026 plenary is due or past); EU high-risk 4 December 2025; EPC SEPA scope 1 May 2025 (12 months old or more, no fixed update calendar)"
        ),
        "{}",
        a.text
    );
    let lists = a.v["meta"]["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 3);
    assert_eq!(lists[0]["list"], "fatf");
    assert_eq!(lists[0]["as_of"], "2026-06");
    assert_eq!(lists[0]["next_update_due"], "2026-10-01");
    assert_eq!(lists[0]["may_be_out_of_date"], true);
    assert_eq!(lists[1]["list"], "eu_high_risk");
    assert_eq!(lists[1]["next_update_due"], "2026-12-04");
    assert_eq!(lists[1]["may_be_out_of_date"], false);
    assert!(lists[1]["why"].is_null());
    assert_eq!(lists[2]["list"], "sepa_scope");
    assert_eq!(lists[2]["may_be_out_of_date"], true);

    // The day before the October plenary month: the FATF list is still current.
    let a = check(&toolbox(offline_settings(), "2026-09-30"), iban).await;
    assert!(!a.label.contains("FATF June 2026"), "{}", a.label);
    assert!(
        a.label
            .contains("Lists may be out of date (EPC SEPA scope 1 May 2025): put a newer"),
        "{}",
        a.label
    );

    // Before any list is due: nothing is said about age.
    let a = check(&toolbox(offline_settings(), "2026-04-30"), iban).await;
    assert!(!a.text.contains("out of date"), "{}", a.text);
    assert!(
        a.v["meta"]["lists"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["may_be_out_of_date"] == false)
    );
    // The country facts do not depend on the lists' age.
    says_north_korea_is_called_for_action(&a);
}

#[tokio::test]
async fn by_default_the_lists_age_is_judged_on_todays_date() {
    let t = Toolbox::new(Arc::new(offline_settings()));
    let a = check(&t, "KP12 3456 7890 1234").await;
    let expected: Vec<&str> = ComplianceLists::embedded()
        .out_of_date(system_today())
        .iter()
        .map(|o| o.list)
        .collect();
    let said: Vec<&str> = a.v["meta"]["lists"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["may_be_out_of_date"] == true)
        .map(|l| l["list"].as_str().unwrap())
        .collect();
    assert_eq!(said, expected);
}
