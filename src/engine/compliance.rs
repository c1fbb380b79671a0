//! Country-level compliance facts: EPC SEPA scope, FATF lists, EU high-risk third countries.
//!
//! No package ships these lists, so they are curated by hand in
//! `data/compliance_lists.json`, each list with its own as-of date. A user can drop a newer
//! file of the same shape into the config directory (see `config.rs`) without a rebuild.
//! Nothing here screens a bank: these facts are about countries only.
//!
//! Lists age: the FATF revises its lists at every plenary (February, June, October), the EU
//! and the EPC amend theirs without a fixed calendar. [`ComplianceLists::out_of_date`] says
//! which lists may no longer be the list-maker's latest, judged on a day the caller passes
//! in — this module never reads a clock, so every answer about age is reproducible.

use serde::{Deserialize, Serialize};

use super::data;
use super::date::{CivilDate, as_of_in_words};

/// The whole file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComplianceLists {
    pub format: u32,
    pub sepa_scope: SepaScope,
    pub fatf: Fatf,
    pub eu_high_risk: DatedList,
    /// Not part of the file: the day on which whoever loaded the lists judges their age.
    /// `None` means "today by the system clock", which the tools layer reads when it asks
    /// (a pinned day makes answers reproducible in tests).
    #[serde(skip)]
    pub judged_on: Option<CivilDate>,
    /// Not part of the file: each list's age worked out once (dates read, names and
    /// sentences written) and the as-of dates it was worked out from. Only `out_of_date`
    /// changes with the day, and working the rest out on every compliance check was a sixth
    /// of that call.
    #[serde(skip)]
    ages_worked_out: std::sync::OnceLock<(Vec<ListAge>, [String; 3])>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DatedList {
    pub as_of: String,
    pub source: String,
    pub countries: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SepaScope {
    pub as_of: String,
    pub source: String,
    pub countries: Vec<String>,
    /// Where PSPs must offer SCT Inst and Verification of Payee (EU 2024/886).
    pub euro_area_instant_and_vop: DatedList,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fatf {
    pub as_of: String,
    pub source: String,
    pub black_list: Vec<String>,
    pub grey_list: Vec<String>,
    pub suspended: Vec<String>,
}

/// FATF standing of a country, as the API spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FatfStatus {
    BlackList,
    GreyList,
    Suspended,
    /// On neither list. (The lists cannot tell a member from a non-member that is simply
    /// not listed, so this never claims membership.)
    NotListed,
}

impl FatfStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::BlackList => "black_list",
            Self::GreyList => "grey_list",
            Self::Suspended => "suspended",
            Self::NotListed => "not_listed",
        }
    }
}

/// The FATF plenaries that revise its lists, by month: February, June, October.
pub const FATF_PLENARY_MONTHS: [u8; 3] = [2, 6, 10];

/// How long the EU high-risk list and the EPC SEPA scope list are taken as current. Neither
/// list-maker publishes a calendar (the Commission amends Delegated Regulation 2016/1675
/// when it sees fit, the EPC reissues its country list when the scope changes), so a list
/// older than this may have been superseded.
pub const UNSCHEDULED_LIST_MONTHS: u32 = 12;

/// How old one list is, judged on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAge {
    /// `fatf`, `eu_high_risk` or `sepa_scope` (the key in `compliance_lists.json`).
    pub list: &'static str,
    /// The list in two words ("FATF", "EU high-risk", "EPC SEPA scope").
    pub title: &'static str,
    /// The list's `as_of`, as in the file.
    pub as_of: String,
    /// The list with its date, in words ("FATF list of June 2026").
    pub name: String,
    /// The title and the date, in words ("FATF June 2026"), as a label names a stale list.
    pub dated_title: String,
    /// From this day on the list may have been superseded (`None`: its date is unreadable).
    pub due: Option<CivilDate>,
    /// Whether the list may be out of date on the day judged.
    pub out_of_date: bool,
    /// Why it may be superseded ("the October 2026 plenary is due or past").
    pub because: String,
    /// The whole finding in one sentence, with the list's date and the missed update.
    pub sentence: String,
}

impl ComplianceLists {
    /// The first day of the FATF plenary month after the list's own (its as-of names the
    /// plenary whose outcome it records): June 2026 → 1 October 2026. The exact plenary
    /// days vary, so from the first of that month the list may already be superseded.
    pub fn fatf_next_plenary(&self) -> Option<CivilDate> {
        let as_of = CivilDate::parse_as_of(&self.fatf.as_of)?;
        let months_ahead = FATF_PLENARY_MONTHS
            .iter()
            .map(|&m| u32::from((m + 12 - as_of.month - 1) % 12 + 1))
            .min()
            .unwrap_or(4);
        Some(as_of.first_of_month_after(months_ahead))
    }

    /// A list with no published calendar is taken as current for
    /// [`UNSCHEDULED_LIST_MONTHS`] after its as-of day.
    fn unscheduled_due(as_of: &str) -> Option<CivilDate> {
        let d = CivilDate::parse_as_of(as_of)?;
        let due = d.first_of_month_after(UNSCHEDULED_LIST_MONTHS);
        Some(CivilDate { day: d.day, ..due })
    }

    /// Each list's age on `today`, in file order (FATF, EU high-risk, SEPA scope): the FATF
    /// list may be out of date from the first day of its next plenary month, the EU and
    /// SEPA lists [`UNSCHEDULED_LIST_MONTHS`] after their as-of day, and a list whose date
    /// cannot be read always.
    pub fn ages(&self, today: CivilDate) -> Vec<ListAge> {
        let as_ofs = [
            &self.fatf.as_of,
            &self.eu_high_risk.as_of,
            &self.sepa_scope.as_of,
        ];
        let (worked_out, from) = self
            .ages_worked_out
            .get_or_init(|| (self.work_out_ages(), as_ofs.map(String::clone)));
        // The fields are public: lists changed since are worked out afresh.
        let mut ages = if from.iter().zip(as_ofs).all(|(a, b)| a == b) {
            worked_out.clone()
        } else {
            self.work_out_ages()
        };
        for a in &mut ages {
            a.out_of_date = a.due.is_none_or(|due| today >= due);
        }
        ages
    }

    /// Every part of [`Self::ages`] but `out_of_date` (left `false`).
    fn work_out_ages(&self) -> Vec<ListAge> {
        let age = |list, title, as_of: &str, due: Option<CivilDate>, because: String| {
            let in_words = as_of_in_words(as_of);
            let name = format!("{title} list of {in_words}");
            ListAge {
                dated_title: format!("{title} {in_words}"),
                list,
                title,
                as_of: as_of.to_string(),
                out_of_date: false,
                sentence: format!("The {name} may be out of date: {because}."),
                name,
                due,
                because,
            }
        };
        let unscheduled = |as_of: &str| match Self::unscheduled_due(as_of) {
            Some(_) => {
                format!("{UNSCHEDULED_LIST_MONTHS} months old or more, no fixed update calendar")
            }
            None => format!("its date `{as_of}` cannot be read"),
        };
        let fatf_due = self.fatf_next_plenary();
        vec![
            age(
                "fatf",
                "FATF",
                &self.fatf.as_of,
                fatf_due,
                match fatf_due {
                    Some(d) => format!("the {} plenary is due or past", d.month_and_year()),
                    None => format!("its date `{}` cannot be read", self.fatf.as_of),
                },
            ),
            age(
                "eu_high_risk",
                "EU high-risk",
                &self.eu_high_risk.as_of,
                Self::unscheduled_due(&self.eu_high_risk.as_of),
                unscheduled(&self.eu_high_risk.as_of),
            ),
            age(
                "sepa_scope",
                "EPC SEPA scope",
                &self.sepa_scope.as_of,
                Self::unscheduled_due(&self.sepa_scope.as_of),
                unscheduled(&self.sepa_scope.as_of),
            ),
        ]
    }

    /// The lists that may be out of date on `today` (see [`Self::ages`]).
    pub fn out_of_date(&self, today: CivilDate) -> Vec<ListAge> {
        self.ages(today)
            .into_iter()
            .filter(|a| a.out_of_date)
            .collect()
    }

    /// The copy compiled into the binary.
    pub fn embedded() -> Self {
        Self::parse(data::COMPLIANCE_LISTS)
            .expect("embedded compliance lists parse (checked by tests)")
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let lists: Self = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if lists.format != 1 {
            return Err(format!(
                "unsupported format {} (this build reads format 1)",
                lists.format
            ));
        }
        Ok(lists)
    }

    pub fn sepa_member(&self, country: &str) -> bool {
        self.sepa_scope.countries.iter().any(|c| c == country)
    }

    pub fn instant_and_vop_required(&self, country: &str) -> bool {
        self.sepa_scope
            .euro_area_instant_and_vop
            .countries
            .iter()
            .any(|c| c == country)
    }

    pub fn fatf_status(&self, country: &str) -> FatfStatus {
        let has = |l: &Vec<String>| l.iter().any(|c| c == country);
        if has(&self.fatf.black_list) {
            FatfStatus::BlackList
        } else if has(&self.fatf.grey_list) {
            FatfStatus::GreyList
        } else if has(&self.fatf.suspended) {
            FatfStatus::Suspended
        } else {
            FatfStatus::NotListed
        }
    }

    pub fn eu_high_risk(&self, country: &str) -> bool {
        self.eu_high_risk.countries.iter().any(|c| c == country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_say_what_the_reference_says() {
        let l = ComplianceLists::embedded();
        assert_eq!(
            l.sepa_scope
                .countries
                .iter()
                .filter(|c| ![
                    "GI", "GG", "JE", "IM", "AX", "GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF"
                ]
                .contains(&c.as_str()))
                .count(),
            41
        );
        for c in ["AL", "ME", "MD", "MK", "RS", "BG", "MC", "CH", "GB"] {
            assert!(l.sepa_member(c), "{c} is in SEPA scope");
        }
        assert_eq!(l.fatf_status("BG"), FatfStatus::GreyList);
        assert_eq!(l.fatf_status("MC"), FatfStatus::GreyList);
        assert_eq!(l.fatf_status("KP"), FatfStatus::BlackList);
        assert_eq!(l.fatf_status("RU"), FatfStatus::Suspended);
        assert_eq!(l.fatf_status("CH"), FatfStatus::NotListed);
        assert_eq!(l.fatf.grey_list.len(), 22);
        assert_eq!(l.eu_high_risk.countries.len(), 25);
        assert!(l.eu_high_risk("MC") && !l.eu_high_risk("BG"));
    }

    #[test]
    fn rejects_other_formats() {
        assert!(ComplianceLists::parse(r#"{"format": 2}"#).is_err());
        assert!(ComplianceLists::parse("not json").is_err());
    }

    fn day(s: &str) -> CivilDate {
        CivilDate::parse_as_of(s).unwrap()
    }

    #[test]
    fn as_of_stamps_read_and_said_in_words() {
        assert_eq!(
            day("2026-06"),
            CivilDate {
                year: 2026,
                month: 6,
                day: 1
            }
        );
        for bad in [
            "2026",
            "2026-13",
            "2026-06-32",
            "2026-06-01-01",
            "26-06",
            "",
        ] {
            assert_eq!(CivilDate::parse_as_of(bad), None, "{bad}");
        }
        assert_eq!(day("2026-11-15").first_of_month_after(2), day("2027-01-01"));
    }

    #[test]
    fn the_next_fatf_plenary_follows_the_lists_own() {
        let mut l = ComplianceLists::embedded();
        for (as_of, next) in [
            ("2026-06", "2026-10-01"),
            ("2026-10", "2027-02-01"),
            ("2026-02", "2026-06-01"),
            ("2026-05-20", "2026-06-01"),
            ("2026-12-01", "2027-02-01"),
            ("2026-01", "2026-02-01"),
        ] {
            l.fatf.as_of = as_of.into();
            assert_eq!(l.fatf_next_plenary(), Some(day(next)), "{as_of}");
        }
    }

    #[test]
    fn the_june_2026_fatf_list_ages_at_the_october_plenary() {
        let l = ComplianceLists::embedded();
        let lists = |today: &str| -> Vec<&'static str> {
            l.out_of_date(day(today)).iter().map(|o| o.list).collect()
        };
        // Before the October plenary month: the FATF list is current (the SEPA scope list
        // of 2025-05-01 is a year old by then).
        assert!(!lists("2026-09-30").contains(&"fatf"));
        assert!(lists("2026-10-01").contains(&"fatf"));
        // The day this was written: FATF and SEPA scope may be out of date, the EU list of
        // 4 December 2025 not yet.
        assert_eq!(lists("2026-11-30"), ["fatf", "sepa_scope"]);
        assert_eq!(lists("2026-12-04"), ["fatf", "eu_high_risk", "sepa_scope"]);
        assert!(lists("2026-04-30").is_empty());
        let fatf = &l.out_of_date(day("2026-11-30"))[0];
        assert_eq!(fatf.as_of, "2026-06");
        assert_eq!(fatf.due, Some(day("2026-10-01")));
        assert_eq!(
            fatf.sentence,
            "The FATF list of June 2026 may be out of date: the October 2026 plenary is due or past."
        );
        assert_eq!(fatf.dated_title, "FATF June 2026");
        let sepa = &l.out_of_date(day("2026-11-30"))[1];
        assert!(
            sepa.sentence.eq(
                "The EPC SEPA scope list of 1 May 2025 may be out of date: 12 months old or more, no fixed update calendar."
            ),
            "{}",
            sepa.sentence
        );
    }

    #[test]
    fn ages_worked_out_once_still_follow_the_day_and_the_lists() {
        let mut l = ComplianceLists::embedded();
        let before = l.ages(day("2026-09-30"));
        assert_eq!(l.ages(day("2026-09-30")), before);
        assert!(!before[0].out_of_date && l.ages(day("2026-10-01"))[0].out_of_date);
        l.fatf.as_of = "2026-10".into();
        let after = l.ages(day("2026-10-01"));
        assert_eq!(after[0].due, Some(day("2027-02-01")));
        assert!(!after[0].out_of_date && after[0].name == "FATF list of October 2026");
    }

    #[test]
    fn an_unreadable_list_date_is_reported_not_trusted() {
        let mut l = ComplianceLists::embedded();
        l.eu_high_risk.as_of = "recently".into();
        let found = l.out_of_date(day("2026-04-30"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].list, "eu_high_risk");
        assert_eq!(found[0].due, None);
        assert!(
            found[0].sentence.contains("cannot be read"),
            "{}",
            found[0].sentence
        );
    }
}
