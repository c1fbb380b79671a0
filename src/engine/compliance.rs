//! Country-level compliance facts: EPC SEPA scope, FATF lists, EU high-risk third countries.
//!
//! No package ships these lists, so they are curated by hand in
//! `data/compliance_lists.json`, each list with its own as-of date. A user can drop a newer
//! file of the same shape into the config directory (see `config.rs`) without a rebuild.
//! Nothing here screens a bank: these facts are about countries only.

use serde::{Deserialize, Serialize};

use super::data;

/// The whole file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComplianceLists {
    pub format: u32,
    pub sepa_scope: SepaScope,
    pub fatf: Fatf,
    pub eu_high_risk: DatedList,
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

impl ComplianceLists {
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
}
