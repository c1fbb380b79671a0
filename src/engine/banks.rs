//! The embedded bank directory: national bank code → institution, BIC, check method.
//!
//! Keyed the way each country's register is keyed (bank code, or bank + branch code for
//! SI). Built on first use: the table is ~2 MB of text and most sessions never need it.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::data;
use super::iban::BbanParts;
use super::registry::CountrySpec;

/// One row of a national bank register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankEntry {
    pub country: &'static str,
    pub bank_code: &'static str,
    /// 11-character BIC, when the register gives one.
    pub bic: Option<&'static str>,
    /// The register marks this row as the institution's main entry for the code.
    pub primary: bool,
    /// German Bundesbank check-digit method (e.g. `09`), where the register has one.
    pub check_method: Option<&'static str>,
    pub name: &'static str,
}

struct Directory {
    rows: Vec<BankEntry>,
    /// (country, code) → row indices, primary rows first.
    by_code: HashMap<(&'static str, &'static str), Vec<u32>>,
    /// BIC11 → row indices.
    by_bic: HashMap<&'static str, Vec<u32>>,
    countries: Vec<&'static str>,
}

static DIRECTORY: LazyLock<Directory> = LazyLock::new(|| {
    let rows: Vec<BankEntry> = data::rows(data::BANK_DIRECTORY.as_str())
        .filter_map(|c| {
            let [country, bank_code, bic, primary, method, name] = c[..] else {
                return None;
            };
            Some(BankEntry {
                country,
                bank_code,
                bic: (!bic.is_empty()).then_some(bic),
                primary: primary == "1",
                check_method: (!method.is_empty()).then_some(method),
                name,
            })
        })
        .collect();
    let mut by_code: HashMap<_, Vec<u32>> = HashMap::new();
    let mut by_bic: HashMap<_, Vec<u32>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let i = u32::try_from(i).expect("directory fits u32");
        if r.bank_code.is_empty() {
            // A BIC-only row (e.g. Saudi Arabia): known institution, no national code.
            if let Some(bic) = r.bic {
                by_bic.entry(bic).or_default().push(i);
            }
            continue;
        }
        by_code.entry((r.country, r.bank_code)).or_default().push(i);
        if let Some(bic) = r.bic {
            by_bic.entry(bic).or_default().push(i);
        }
    }
    for ids in by_code.values_mut().chain(by_bic.values_mut()) {
        ids.sort_by_key(|&i| !rows[i as usize].primary);
    }
    let mut countries: Vec<&'static str> = rows
        .iter()
        .filter(|r| !r.bank_code.is_empty())
        .map(|r| r.country)
        .collect();
    countries.dedup();
    countries.sort_unstable();
    countries.dedup();
    Directory {
        rows,
        by_code,
        by_bic,
        countries,
    }
});

/// Countries the directory has a register of bank codes for (a few more are covered by
/// BIC only).
pub fn countries() -> &'static [&'static str] {
    &DIRECTORY.countries
}

/// Whether the directory covers a country at all (else a miss means "no register").
pub fn has_register(country: &str) -> bool {
    DIRECTORY.countries.binary_search(&country).is_ok()
}

/// Which register a country's bank codes come from, and whether it is the official one
/// (central bank or clearing house data) rather than a hand-curated list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Register {
    pub country: &'static str,
    pub authoritative: bool,
    /// The source files in the schwifty package.
    pub files: &'static str,
}

static REGISTERS: LazyLock<Vec<Register>> = LazyLock::new(|| {
    data::rows(data::BANK_REGISTERS)
        .filter_map(|c| {
            let [country, authoritative, files] = c[..] else {
                return None;
            };
            Some(Register {
                country,
                authoritative: authoritative == "1",
                files,
            })
        })
        .collect()
});

/// The register of bank codes for a country, if the directory has one.
pub fn register(country: &str) -> Option<&'static Register> {
    REGISTERS.iter().find(|r| r.country == country)
}

/// The key this country's register uses for an IBAN's BBAN.
pub fn directory_key(spec: &CountrySpec, bban: &BbanParts) -> Option<String> {
    let bank = bban.bank_code.as_deref()?;
    if spec.bank_key_includes_branch {
        Some(format!(
            "{bank}{}",
            bban.branch_code.as_deref().unwrap_or("")
        ))
    } else {
        Some(bank.to_string())
    }
}

/// The best row for a bank code: the register's primary entry when there is one.
pub fn by_code(country: &str, code: &str) -> Option<&'static BankEntry> {
    let d = &*DIRECTORY;
    let ids = d.by_code.get(&(country, code))?;
    ids.first().map(|&i| &d.rows[i as usize])
}

/// The row that best names the institution behind a BIC: rows of the BIC's own country
/// first (a foreign bank's SIX participation row is not its name at home), then the name
/// most rows of that BIC share (a German BIC is listed under dozens of branch codes, most
/// of them named after the bank itself).
pub fn institution_for_bic(bic11: &str) -> Option<&'static BankEntry> {
    let rows = by_bic(bic11);
    let country = bic11.get(4..6)?;
    let home: Vec<&BankEntry> = rows
        .iter()
        .copied()
        .filter(|r| r.country == country)
        .collect();
    let pool = if home.is_empty() { rows } else { home };
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in &pool {
        *counts.entry(r.name).or_default() += 1;
    }
    pool.iter()
        .copied()
        .max_by_key(|r| (counts[r.name], std::cmp::Reverse(r.bank_code)))
}

/// Rows carrying this BIC (11 characters), primary rows first; for a BIC8 or a
/// `XXX` primary office the caller tries both spellings.
pub fn by_bic(bic11: &str) -> Vec<&'static BankEntry> {
    let d = &*DIRECTORY;
    d.by_bic
        .get(bic11)
        .map(|ids| ids.iter().map(|&i| &d.rows[i as usize]).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_banks_by_code_and_bic() {
        let ubs = by_code("CH", "00230").expect("UBS in the SIX register");
        assert_eq!(ubs.bic, Some("UBSWCHZH80A"));
        assert!(
            by_code("CH", "00762").is_none(),
            "the registry's example bank code names no bank"
        );
        let de = by_code("DE", "37040044").expect("Commerzbank Köln");
        assert_eq!(de.check_method, Some("13"));
        assert!(!by_bic("UBSWCHZH80A").is_empty());
        assert_eq!(
            institution_for_bic("COBADEFFXXX").map(|e| e.name),
            Some("Commerzbank")
        );
        assert!(countries().len() >= 46, "{}", countries().len());
        assert!(
            by_bic("INMASARIXXX").iter().any(|e| e.country == "SA"),
            "BIC-only rows are kept"
        );
        assert!(has_register("DE") && !has_register("ZZ"));
        assert!(register("DE").unwrap().authoritative);
        assert!(
            !register("FR").unwrap().authoritative,
            "FR rows are hand-curated"
        );
        assert_eq!(REGISTERS.len(), countries().len());
    }
}
