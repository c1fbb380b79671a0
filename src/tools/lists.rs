//! The compliance lists in force: the embedded copy, or a newer `compliance_lists.json` the
//! user put beside the config file.
//!
//! Read when an answer first needs them, never at start-up (clients spawn throwaway
//! processes to probe the protocol; those must not touch the disk). A file that cannot be
//! read or parsed is reported once and the embedded lists are used.
//!
//! Lists age, so this is also where "today" comes from when their age is judged: the
//! system clock, read on each question (a server can run across a plenary), or a day
//! pinned with [`Toolbox::with_lists_judged_on`] so tests and transcripts are reproducible.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::read_bounded;
use crate::engine::compliance::{ComplianceLists, ListAge};
use crate::engine::date::CivilDate;

/// What a user does about a list that may be out of date (the label and `doctor` say it).
pub const REFRESH_HOW: &str =
    "put a newer compliance_lists.json beside the config file (see `ibanforge-mcp doctor`)";

/// Today (UTC) by the system clock. A clock before 1970 reads as 1970-01-01.
pub fn system_today() -> CivilDate {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    CivilDate::from_unix_days((secs / 86_400) as i64)
}

/// The day on which these lists' age is judged: the pinned one, else today.
pub fn judging_day(lists: &ComplianceLists) -> CivilDate {
    lists.judged_on.unwrap_or_else(system_today)
}

/// The lists in force that may be out of date today.
pub fn out_of_date(lists: &ComplianceLists) -> Vec<ListAge> {
    lists.out_of_date(judging_day(lists))
}

/// Where the lists in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListsOrigin {
    Embedded,
    File(PathBuf),
}

impl ListsOrigin {
    pub fn describe(&self) -> String {
        match self {
            Self::Embedded => "the embedded copy".into(),
            Self::File(p) => format!("{}", p.display()),
        }
    }
}

/// The lists, loaded once on first use.
#[derive(Debug)]
pub struct ComplianceSource {
    file: Option<PathBuf>,
    /// Judge the lists' age on this day instead of today.
    judged_on: Option<CivilDate>,
    loaded: OnceLock<(ComplianceLists, ListsOrigin, Option<String>)>,
}

impl ComplianceSource {
    pub fn new(file: Option<PathBuf>) -> Self {
        Self {
            file,
            judged_on: None,
            loaded: OnceLock::new(),
        }
    }

    /// The same source, its lists' age judged on `day` rather than today.
    pub fn judged_on(self, day: CivilDate) -> Self {
        Self {
            judged_on: Some(day),
            ..self
        }
    }

    /// Where a newer copy of the lists is read from (beside the config file).
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    fn load(&self) -> &(ComplianceLists, ListsOrigin, Option<String>) {
        self.loaded.get_or_init(|| {
            let mut loaded = self.read();
            loaded.0.judged_on = self.judged_on;
            loaded
        })
    }

    /// The file beside the config if there is a usable one, else the embedded copy.
    fn read(&self) -> (ComplianceLists, ListsOrigin, Option<String>) {
        {
            let embedded = |warning| (ComplianceLists::embedded(), ListsOrigin::Embedded, warning);
            let Some(path) = &self.file else {
                return embedded(None);
            };
            let loaded = match read_bounded(path) {
                Ok(text) => match ComplianceLists::parse(&text) {
                    Ok(lists) => (lists, ListsOrigin::File(path.clone()), None),
                    Err(e) => embedded(Some(format!(
                        "ignoring {}: {e}; using the embedded lists",
                        path.display()
                    ))),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => embedded(None),
                Err(e) => embedded(Some(format!(
                    "cannot read {}: {e}; using the embedded lists",
                    path.display()
                ))),
            };
            if let Some(w) = &loaded.2 {
                tracing::warn!("{w}");
            }
            loaded
        }
    }

    pub fn lists(&self) -> &ComplianceLists {
        &self.load().0
    }

    pub fn origin(&self) -> &ListsOrigin {
        &self.load().1
    }

    /// Why a file beside the config was not used, if one was there and unusable.
    pub fn warning(&self) -> Option<&str> {
        self.load().2.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_file_replaces_the_embedded_lists_and_a_bad_one_is_reported() {
        let dir = std::env::temp_dir().join(format!("ibanforge-lists-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("compliance_lists.json");
        let mut lists: serde_json::Value =
            serde_json::from_str(crate::engine::data::COMPLIANCE_LISTS).unwrap();
        lists["fatf"]["as_of"] = "2026-10".into();
        lists["fatf"]["grey_list"] = serde_json::json!(["CH"]);
        std::fs::write(&file, lists.to_string()).unwrap();
        let source = ComplianceSource::new(Some(file.clone()));
        assert_eq!(source.lists().fatf.as_of, "2026-10");
        assert_eq!(source.origin(), &ListsOrigin::File(file.clone()));

        std::fs::write(&file, "{broken").unwrap();
        let source = ComplianceSource::new(Some(file));
        assert_eq!(source.origin(), &ListsOrigin::Embedded);
        assert!(source.warning().unwrap().contains("ignoring"));

        let none = ComplianceSource::new(Some(dir.join("absent.json")));
        assert_eq!(none.origin(), &ListsOrigin::Embedded);
        assert!(none.warning().is_none());
    }

    #[test]
    fn the_lists_age_is_judged_on_the_pinned_day_or_today() {
        let today = system_today();
        let pinned = CivilDate::parse_as_of("2026-04-30").unwrap();
        let source = ComplianceSource::new(None).judged_on(pinned);
        assert_eq!(judging_day(source.lists()), pinned);
        assert!(out_of_date(source.lists()).is_empty());
        let later =
            ComplianceSource::new(None).judged_on(CivilDate::parse_as_of("2026-11-30").unwrap());
        let stale: Vec<&str> = out_of_date(later.lists()).iter().map(|o| o.list).collect();
        assert_eq!(stale, ["fatf", "sepa_scope"]);
        let source = ComplianceSource::new(None);
        assert_eq!(source.lists().judged_on, None);
        assert_eq!(judging_day(source.lists()), today);
    }
}
