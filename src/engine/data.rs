//! The embedded data tables and their provenance.
//!
//! Every table is plain text generated into `data/` (see `data/MANIFEST.json` for the
//! package, version, file and sha256 it came from) and compiled into the binary, so the
//! engine works with no network and no files on disk.

/// IBAN registry (schwifty 2026.10.1 `iban_registry/*.json`).
pub const IBAN_REGISTRY: &str = include_str!("../../data/iban_registry.tsv");
// The bank directory (schwifty 2026.10.1 `bank_registry/*.json`, 47 countries) and the
// Swiss IIDs are not here as text: `build.rs` prepares them into the sorted, block-deflated
// views `banks` and `clearing` read in place.
/// Per country: which schwifty files its bank codes come from, and whether official.
pub const BANK_REGISTERS: &str = include_str!("../../data/bank_registers.tsv");
/// ISO 3166-1 short names (pycountry 26.2.16).
pub const COUNTRY_NAMES: &str = include_str!("../../data/country_names.tsv");
/// Hand-curated country lists (SEPA scope, FATF, EU high-risk), each with its own date.
pub const COMPLIANCE_LISTS: &str = include_str!("../../data/compliance_lists.json");
/// The generator's manifest; tests check the tables against it.
pub const MANIFEST: &str = include_str!("../../data/MANIFEST.json");

/// Date stamp of the registry table, as exposed in `provenance.data_as_of`.
pub const REGISTRY_AS_OF: &str = "2026-10-01";
/// Date stamp of the bank directory and Swiss IID tables.
pub const BANK_DIRECTORY_AS_OF: &str = "2026-10-01";
/// Where the bank directory rows come from, as `bic.source` reports it.
pub const BANK_DIRECTORY_SOURCE: &str = "schwifty 2026.10.1 bank registry";
/// Where the Swiss IID rows come from.
pub const CH_IIDS_SOURCE: &str = "SIX bank master via schwifty 2026.10.1";

/// Data rows of a generated TSV table: comment lines (`#`) and blank lines skipped.
pub fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `as_of` constants above must say what the manifest says, or answers would
    /// carry a wrong `data_as_of` after a refresh.
    #[test]
    fn as_of_constants_match_the_manifest() {
        let manifest: serde_json::Value = serde_json::from_str(MANIFEST).unwrap();
        let as_of = &manifest["as_of"];
        assert_eq!(as_of["iban_registry.tsv"], REGISTRY_AS_OF);
        assert_eq!(as_of["bank_directory.tsv"], BANK_DIRECTORY_AS_OF);
        assert_eq!(as_of["ch_iids.tsv"], BANK_DIRECTORY_AS_OF);
        for (name, text) in [
            ("iban_registry.tsv", IBAN_REGISTRY),
            (
                "bank_directory.tsv",
                include_str!("../../data/bank_directory.tsv"),
            ),
            ("ch_iids.tsv", include_str!("../../data/ch_iids.tsv")),
            ("country_names.tsv", COUNTRY_NAMES),
        ] {
            let rows = manifest["tables"][name]["rows"].as_u64().unwrap();
            assert_eq!(rows as usize, text.lines().count() - 1, "{name}");
        }
    }
}
