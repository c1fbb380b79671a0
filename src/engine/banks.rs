//! The embedded bank directory: national bank code → institution, BIC, check method.
//!
//! Keyed the way each country's register is keyed (bank code, or bank + branch code for
//! SI). Read in place: `build.rs` sorted the rows by bank code and by BIC into small deflated
//! blocks (see `blocks`), so a lookup by code inflates one ~9 KB block the first time it is
//! needed and nothing else. [`directory_reads`] counts lookups, so a test can prove an answer
//! never touched the directory.
//!
//! The BIC view does not repeat the rows the code view holds (all but a few hundred of its
//! 26,000; the second copy was 40% of the directory's bytes in the binary). Its line for
//! such a row is the BIC and where the code view has the row (`BicLine`), and the row is
//! read from there (`bic_row`), only when it is needed: a listing of Danske Bank's
//! 3,000-row BIC reads the 20 rows it shows and its institution's row. A lookup by BIC thus
//! inflates one ~2 KB block of the BIC view and the code-view blocks its rows are in, at most
//! two for a BIC's first 128 rows (`build.rs` writes out in full the rows that would take
//! more, as it does BIC-only rows, which the code view has not got).

use std::sync::atomic::{AtomicU64, Ordering};

use super::blocks::{self, Block, Slots, View};
use super::iban::BbanParts;
use super::institution;
use super::registry::CountrySpec;

include!(concat!(env!("OUT_DIR"), "/bank_tables.rs"));

/// One row of a national bank register. Borrowed from the embedded tables: copying it is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BankEntry {
    pub country: &'static str,
    /// Empty for a BIC-only row (e.g. Saudi Arabia), which names an institution but has no
    /// national code.
    pub bank_code: &'static str,
    /// 11-character BIC, when the register gives one.
    pub bic: Option<&'static str>,
    /// The register marks this row as the institution's main entry for the code.
    pub primary: bool,
    /// German Bundesbank check-digit method (e.g. `09`), where the register has one.
    pub check_method: Option<&'static str>,
    pub name: &'static str,
}

impl BankEntry {
    /// A row of `data/bank_directory.tsv` (a BY_CODE line, or what follows the BIC on a
    /// BY_BIC line that holds its row in full).
    fn from_line(line: &'static str) -> Self {
        let mut c = line.splitn(6, '\t');
        let mut next = || c.next().unwrap_or("");
        let (country, bank_code, bic, primary, method, name) =
            (next(), next(), next(), next(), next(), next());
        Self {
            country,
            bank_code,
            bic: (!bic.is_empty()).then_some(bic),
            primary: primary == "1",
            check_method: (!method.is_empty()).then_some(method),
            name,
        }
    }
}

static BY_CODE_CACHE: Slots<Box<[&str]>> = Slots::new(BY_CODE_BLOCKS.len());
static BY_BIC_CACHE: Slots<Box<[&str]>> = Slots::new(BY_BIC_BLOCKS.len());

/// Rows with a bank code, sorted by (country, code), primary rows first.
static BY_CODE: View<10> = View {
    blocks: &BY_CODE_BLOCKS,
    blob: BY_CODE_BLOB,
    dictionary: BANK_DICTIONARY,
    cache: &BY_CODE_CACHE,
    key_of: |line| {
        blocks::key(&[blocks::column(line, 0), blocks::column(line, 1)]).unwrap_or([0xff; 10])
    },
};

/// Rows with a BIC, sorted by (BIC, primary first). A line is the BIC, a tab, and what
/// [`BicLine`] reads: where BY_CODE has the row or, for a BIC-only row (and a few others),
/// the row itself.
static BY_BIC: View<11> = View {
    blocks: &BY_BIC_BLOCKS,
    blob: BY_BIC_BLOB,
    dictionary: BANK_DICTIONARY,
    cache: &BY_BIC_CACHE,
    key_of: |line| blocks::key(&[blocks::column(line, 0)]).unwrap_or([0xff; 11]),
};

/// What follows the BIC on a BY_BIC line.
enum BicLine {
    /// A row with a bank code: its row number in BY_CODE minus that of the previous such
    /// line of the same block (0 before the block's first).
    Step(i64),
    /// A row in full (it starts with its country's letters): a BIC-only row, which BY_CODE
    /// does not hold, or one that build.rs kept out of BY_CODE's blocks for this BIC.
    Row(&'static str),
}

impl BicLine {
    /// Whether the line's row has a bank code (what a listing counts and shows).
    fn has_code(&self) -> bool {
        match self {
            Self::Step(_) => true,
            Self::Row(row) => !blocks::column(row, 1).is_empty(),
        }
    }

    fn read(line: &'static str) -> Self {
        let rest = line.split_once('\t').map_or("", |(_, rest)| rest);
        if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            Self::Row(rest)
        } else {
            // build.rs read every line back this way before embedding it.
            Self::Step(
                rest.parse()
                    .expect("embedded BY_BIC step (written by build.rs)"),
            )
        }
    }
}

/// Per BY_BIC block, each line's row number in BY_CODE (`u32::MAX` for a row in full): the
/// sums of the block's steps, worked out once, the first time a lookup by BIC needs the
/// block, so that no lookup adds up the steps before its own lines again.
static BY_BIC_PLACES: Slots<Box<[u32]>> = Slots::new(BY_BIC_BLOCKS.len());

fn places(block: usize) -> &'static [u32] {
    BY_BIC_PLACES.get(block).get_or_init(|| {
        let mut place = 0i64;
        BY_BIC
            .lines(block)
            .iter()
            .map(|&text| match BicLine::read(text) {
                BicLine::Step(step) => {
                    place += step;
                    // build.rs checked that every step sums to a BY_CODE row number.
                    u32::try_from(place).expect("embedded BY_BIC place (written by build.rs)")
                }
                BicLine::Row(_) => u32::MAX,
            })
            .collect()
    })
}

/// The row of line `line` of BY_BIC block `block`: on the line, or read from BY_CODE (only
/// the rows asked for are).
fn bic_row(block: usize, line: usize) -> BankEntry {
    let text = match BicLine::read(BY_BIC.lines(block)[line]) {
        BicLine::Row(row) => Some(row),
        BicLine::Step(_) => {
            let n = places(block)[line] as usize;
            BY_CODE.line(n / BLOCK_ROWS, n % BLOCK_ROWS)
        }
    };
    // build.rs checked that every place is a BY_CODE row with this BIC.
    BankEntry::from_line(text.expect("embedded BY_BIC place (written by build.rs)"))
}

/// The rows of a BIC, in BY_BIC order.
fn bic_rows(key: [u8; 11]) -> impl Iterator<Item = BankEntry> {
    BY_BIC
        .matching_at(key)
        .map(|(block, line, _)| bic_row(block, line))
}

static READS: AtomicU64 = AtomicU64::new(0);

/// How many lookups into the bank directory this process has made ([`by_code`], [`by_bic`],
/// [`institution_for_bic`], [`german_check_method`]; one each per call). Cheap (a relaxed
/// atomic); a test reads it before and after an answer to prove the answer did not touch the
/// directory. [`super::blocks::blocks_inflated`] says how much of it was inflated.
pub fn directory_reads() -> u64 {
    READS.load(Ordering::Relaxed)
}

fn count_read() {
    READS.fetch_add(1, Ordering::Relaxed);
}

/// Countries the directory has a register of bank codes for (a few more are covered by
/// BIC only).
pub fn countries() -> &'static [&'static str] {
    &DIRECTORY_COUNTRIES
}

/// Whether the directory covers a country at all (else a miss means "no register").
pub fn has_register(country: &str) -> bool {
    DIRECTORY_COUNTRIES.binary_search(&country).is_ok()
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

/// The register of bank codes for a country, if the directory has one.
pub fn register(country: &str) -> Option<&'static Register> {
    REGISTERS
        .binary_search_by(|r| r.country.cmp(country))
        .ok()
        .map(|i| &REGISTERS[i])
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
pub fn by_code(country: &str, code: &str) -> Option<BankEntry> {
    count_read();
    first_by_code(country, code)
}

fn first_by_code(country: &str, code: &str) -> Option<BankEntry> {
    let key = blocks::key(&[country, code]).filter(|_| country.len() == 2 && !code.is_empty())?;
    BY_CODE.matching(key).next().map(BankEntry::from_line)
}

/// The Bundesbank check-digit method of a German bank code (BLZ), from its primary row;
/// what [`super::iban::validate`] is given as its [`super::iban::GermanMethodLookup`].
pub fn german_check_method(blz: &str) -> Option<&'static str> {
    count_read();
    first_by_code("DE", blz).and_then(|bank| bank.check_method)
}

/// A BIC listed under more than one block of rows, with what `build.rs` worked out about it
/// (see there): reading all its rows per lookup would cost a millisecond.
struct BigBic {
    bic: &'static str,
    rows: usize,
    /// Rows with a bank code.
    codes: usize,
    /// Block and line, in the BY_BIC view, of the row naming the institution.
    institution: (usize, usize),
}

/// What the directory lists under one BIC: how many bank codes, the first few of them, and
/// the row that best names the institution ([`super::institution`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BicListing {
    /// Rows carrying the BIC, with or without a bank code (0: the directory lacks it).
    pub rows: usize,
    /// How many of them carry a bank code.
    pub codes_total: usize,
    /// The first `shown` (country, bank code) pairs, primary rows first.
    pub codes: Vec<(&'static str, &'static str)>,
    pub institution: Option<BankEntry>,
}

/// The listing of a BIC (11 characters) with at most `shown` bank codes spelled out. Reads
/// at most two blocks' worth of its BIC-view lines, however many rows the BIC has, and from
/// the code view only the rows it returns (all of them for a BIC of one block or less).
pub fn bic_listing(bic11: &str, shown: usize) -> BicListing {
    count_read();
    let Some(key) = blocks::key(&[bic11]).filter(|_| bic11.len() == 11) else {
        return BicListing {
            rows: 0,
            codes_total: 0,
            codes: Vec::new(),
            institution: None,
        };
    };
    if let Ok(i) = BIG_BICS.binary_search_by(|b| b.bic.cmp(bic11)) {
        let big = &BIG_BICS[i];
        let (block, line) = big.institution;
        // Only the rows shown are read from BY_CODE: which lines have a bank code is in
        // their text.
        let codes = BY_BIC
            .matching_at(key)
            .filter(|&(_, _, text)| BicLine::read(text).has_code())
            .take(shown)
            .map(|(block, line, _)| bic_row(block, line))
            .map(|r| (r.country, r.bank_code))
            .collect();
        return BicListing {
            rows: big.rows,
            codes_total: big.codes,
            codes,
            institution: Some(bic_row(block, line)),
        };
    }
    listing_by_scan(key, &bic11[4..6], shown)
}

/// The listing worked out from every row of the BIC (what `build.rs` does for big BICs).
fn listing_by_scan(key: [u8; 11], home: &str, shown: usize) -> BicListing {
    let rows: Vec<BankEntry> = bic_rows(key).collect();
    let view: Vec<institution::Row> = rows
        .iter()
        .map(|r| institution::Row {
            country: r.country,
            bank_code: r.bank_code,
            name: r.name,
        })
        .collect();
    let with_code = || rows.iter().filter(|r| !r.bank_code.is_empty());
    BicListing {
        rows: rows.len(),
        codes_total: with_code().count(),
        codes: with_code()
            .take(shown)
            .map(|r| (r.country, r.bank_code))
            .collect(),
        institution: institution::pick(&view, home).map(|i| rows[i]),
    }
}

/// The row that best names the institution behind a BIC (11 characters):
/// [`super::institution`]'s rule.
pub fn institution_for_bic(bic11: &str) -> Option<BankEntry> {
    bic_listing(bic11, 0).institution
}

/// Rows carrying this BIC (11 characters), primary rows first; for a BIC8 or a
/// `XXX` primary office the caller tries both spellings.
pub fn by_bic(bic11: &str) -> Vec<BankEntry> {
    count_read();
    match blocks::key(&[bic11]).filter(|_| bic11.len() == 11) {
        Some(key) => bic_rows(key).collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_bics_read_two_blocks_and_answer_as_reading_every_row_would() {
        assert!(BIG_BICS.len() >= 15, "{}", BIG_BICS.len());
        for big in &BIG_BICS {
            let key = blocks::key(&[big.bic]).unwrap();
            let by_scan = listing_by_scan(key, &big.bic[4..6], 20);
            assert_eq!(bic_listing(big.bic, 20), by_scan, "{}", big.bic);
            assert!(
                by_scan.rows > BLOCK_ROWS,
                "more than a block ({BLOCK_ROWS} rows): {}",
                big.bic
            );
        }
        let danske = bic_listing("DABADKKKXXX", 20);
        assert!(danske.codes_total > 3000 && danske.codes.len() == 20);
        assert_eq!(danske.institution.map(|e| e.country), Some("DK"));
        assert_eq!(
            bic_listing("UBSWCHZH80A", 20).rows,
            by_bic("UBSWCHZH80A").len()
        );
        assert_eq!(bic_listing("NOTABIC", 20).rows, 0);
    }

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
        assert_eq!(german_check_method("37040044"), Some("13"));
        assert_eq!(german_check_method("99999999"), None);
    }

    /// BY_BIC holds most rows only as a place in BY_CODE: for every BIC of the committed table,
    /// [`by_bic`] still gives exactly the rows a reading of the table gives, every column,
    /// primary rows first and otherwise in the table's order.
    #[test]
    fn by_bic_gives_each_bic_s_rows_as_the_table_has_them() {
        let text = include_str!("../../data/bank_directory.tsv");
        let mut table: std::collections::BTreeMap<&str, Vec<Vec<&str>>> = Default::default();
        for line in text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let c: Vec<&str> = line.split('\t').collect();
            assert_eq!(c.len(), 6, "{line}");
            if !c[2].is_empty() {
                table.entry(c[2]).or_default().push(c);
            }
        }
        assert!(table.len() > 10_000, "{}", table.len());
        for (bic, mut expected) in table {
            // A stable sort: rows of equal rank keep the table's order.
            expected.sort_by_key(|c| c[3] != "1");
            let found: Vec<Vec<&str>> = by_bic(bic)
                .iter()
                .map(|e| {
                    vec![
                        e.country,
                        e.bank_code,
                        e.bic.unwrap_or(""),
                        if e.primary { "1" } else { "0" },
                        e.check_method.unwrap_or(""),
                        e.name,
                    ]
                })
                .collect();
            assert_eq!(found, expected, "{bic}");
        }
    }

    /// Every row of the committed table is found again through the views it belongs to.
    #[test]
    fn every_row_is_found_by_code_and_by_bic() {
        let text = include_str!("../../data/bank_directory.tsv");
        let before = directory_reads();
        let mut rows = 0u64;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let c: Vec<&str> = line.split('\t').collect();
            rows += 1;
            if !c[1].is_empty() {
                let found = by_code(c[0], c[1]).expect(line);
                assert_eq!((found.country, found.bank_code), (c[0], c[1]));
                if c[3] == "1" {
                    assert!(found.primary, "{line}: primary row first");
                }
            }
            if !c[2].is_empty() {
                assert!(
                    by_bic(c[2])
                        .iter()
                        .any(|r| r.name == c[5] && r.bank_code == c[1]),
                    "{line}"
                );
            }
        }
        assert_eq!(rows, 32238);
        assert!(directory_reads() - before >= rows);
        assert!(by_code("DE", "").is_none() && by_code("DE", "123456789").is_none());
        assert!(by_bic("SHORT").is_empty());
    }
}
