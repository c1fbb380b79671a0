//! The compliance lists in force: the embedded copy, or a newer `compliance_lists.json` the
//! user put beside the config file.
//!
//! Read when an answer first needs them, never at start-up (clients spawn throwaway
//! processes to probe the protocol; those must not touch the disk). A file that cannot be
//! read or parsed is reported once and the embedded lists are used.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::config::read_bounded;
use crate::engine::compliance::ComplianceLists;

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
    loaded: OnceLock<(ComplianceLists, ListsOrigin, Option<String>)>,
}

impl ComplianceSource {
    pub fn new(file: Option<PathBuf>) -> Self {
        Self {
            file,
            loaded: OnceLock::new(),
        }
    }

    fn load(&self) -> &(ComplianceLists, ListsOrigin, Option<String>) {
        self.loaded.get_or_init(|| {
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
        })
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
}
