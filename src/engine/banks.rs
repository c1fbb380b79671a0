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
    /// Row indices with a bank code, sorted by (country, code), primary rows first: a binary
    /// search finds a code. (Sorted vectors rather than hash maps of vectors: a few hundred
    /// kilobytes instead of several megabytes for 32,000 rows.)
    by_code: Vec<u32>,
    /// Row indices with a BIC, sorted by (BIC, primary first).
    by_bic: Vec<u32>,
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
    let all = 0..u32::try_from(rows.len()).expect("directory fits u32");
    let row = |i: &u32| &rows[*i as usize];
    // A BIC-only row (e.g. Saudi Arabia) names an institution but has no national code.
    let mut by_code: Vec<u32> = all
        .clone()
        .filter(|i| !row(i).bank_code.is_empty())
        .collect();
    by_code.sort_by_key(|i| (row(i).country, row(i).bank_code, !row(i).primary, *i));
    let mut by_bic: Vec<u32> = all.filter(|i| row(i).bic.is_some()).collect();
    by_bic.sort_by_key(|i| (row(i).bic, !row(i).primary, *i));
    let mut countries: Vec<&'static str> = by_code.iter().map(|i| row(i).country).collect();
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
    let at = d.by_code.partition_point(|&i| {
        let r = &d.rows[i as usize];
        (r.country, r.bank_code) < (country, code)
    });
    let r = &d.rows[*d.by_code.get(at)? as usize];
    (r.country == country && r.bank_code == code).then_some(r)
}

/// The Bundesbank check-digit method of a German bank code (BLZ), from its primary row;
/// what [`super::iban::validate`] is given as its [`super::iban::GermanMethodLookup`].
pub fn german_check_method(blz: &str) -> Option<&'static str> {
    by_code("DE", blz).and_then(|bank| bank.check_method)
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
    let at = d
        .by_bic
        .partition_point(|&i| d.rows[i as usize].bic < Some(bic11));
    d.by_bic[at..]
        .iter()
        .map(|&i| &d.rows[i as usize])
        .take_while(|r| r.bic == Some(bic11))
        .collect()
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
