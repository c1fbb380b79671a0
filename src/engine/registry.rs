//! The IBAN registry: per-country IBAN length, BBAN character classes and layout.
//!
//! The table is generated (`tools/generate-data.py`) from schwifty's registry files and
//! embedded as text. It is parsed once, on first use, into `'static` slices of that text,
//! so lookups allocate nothing and the server pays nothing for it until a tool needs it.

use std::ops::Range;
use std::sync::LazyLock;

use super::data;

/// One registry entry (a country or territory code).
#[derive(Debug, Clone)]
pub struct CountrySpec {
    /// The code this entry is listed under (also the prefix an IBAN of it starts with).
    pub code: &'static str,
    /// The prefix the registry itself prints for it: territories print their parent's
    /// (`GF` → `FR`, `AX` → `FI`). Both spellings validate under their own code.
    pub registry_prefix: &'static str,
    pub iban_length: usize,
    /// One class letter per BBAN position: `n` digit, `a` upper-case letter, `c` either.
    pub bban_classes: &'static [u8],
    /// The registry's own notation, e.g. `5!n12!c`.
    pub bban_spec: &'static str,
    pub bank: Option<Range<usize>>,
    pub branch: Option<Range<usize>>,
    pub account: Option<Range<usize>>,
    /// Where the national check digits sit in the BBAN, when the country has them.
    pub national_check: Option<Range<usize>>,
    /// Whether the bank directory is keyed by bank code + branch code (SI) rather than
    /// by the bank code alone.
    pub bank_key_includes_branch: bool,
    /// Listed by SWIFT as a would-be IBAN country, not in the registry proper.
    pub aspirational: bool,
    pub name: &'static str,
}

/// All entries, sorted by code, aspirational ones included (callers filter).
pub fn all() -> &'static [CountrySpec] {
    &REGISTRY.entries
}

/// The entry for a two-letter code. Aspirational entries only when asked for: they are
/// not IBAN countries, and a bank will not accept such an IBAN.
pub fn lookup(code: &str, include_aspirational: bool) -> Option<&'static CountrySpec> {
    let bytes = code.as_bytes();
    if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    let slot = REGISTRY.index[usize::from(bytes[0] - b'A') * 26 + usize::from(bytes[1] - b'A')];
    let spec = &REGISTRY.entries[usize::from(slot?)];
    (include_aspirational || !spec.aspirational).then_some(spec)
}

struct Registry {
    entries: Vec<CountrySpec>,
    /// Direct index by the two letters: cheaper than hashing on the hot path.
    index: [Option<u16>; 26 * 26],
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let entries: Vec<CountrySpec> = data::rows(data::IBAN_REGISTRY).map(parse_row).collect();
    let mut index = [None; 26 * 26];
    for (i, e) in entries.iter().enumerate() {
        let b = e.code.as_bytes();
        index[usize::from(b[0] - b'A') * 26 + usize::from(b[1] - b'A')] =
            Some(u16::try_from(i).expect("registry has fewer than 65536 rows"));
    }
    Registry { entries, index }
});

fn parse_span(s: &str) -> Option<Range<usize>> {
    let (a, b) = s.split_once('-')?;
    Some(a.parse().ok()?..b.parse().ok()?)
}

/// The embedded table is generated and checked by tests, so a malformed row is a build
/// defect: failing loudly on first use is right (a test covers every row).
fn parse_row(cols: Vec<&'static str>) -> CountrySpec {
    let [
        code,
        prefix,
        len,
        classes,
        spec,
        bank,
        branch,
        account,
        national,
        bank_lookup,
        _sepa,
        aspirational,
        name,
    ] = cols[..]
    else {
        panic!("malformed registry row: {cols:?}");
    };
    CountrySpec {
        code,
        registry_prefix: prefix,
        iban_length: len.parse().expect("registry length"),
        bban_classes: classes.as_bytes(),
        bban_spec: spec,
        bank: parse_span(bank),
        branch: parse_span(branch),
        account: parse_span(account),
        national_check: parse_span(national),
        bank_key_includes_branch: bank_lookup.contains("branch_code"),
        aspirational: aspirational == "1",
        name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_consistent() {
        assert!(all().len() >= 127, "105 registry codes + 22 aspirational");
        for spec in all() {
            assert_eq!(
                spec.iban_length,
                spec.bban_classes.len() + 4,
                "{}",
                spec.code
            );
            for range in [
                &spec.bank,
                &spec.branch,
                &spec.account,
                &spec.national_check,
            ]
            .into_iter()
            .flatten()
            {
                assert!(
                    range.end <= spec.bban_classes.len(),
                    "{}: {range:?}",
                    spec.code
                );
            }
            assert!(lookup(spec.code, true).is_some());
        }
        assert_eq!(all().iter().filter(|s| !s.aspirational).count(), 105);
    }

    #[test]
    fn aspirational_countries_need_the_switch() {
        assert!(lookup("AO", false).is_none());
        assert_eq!(lookup("AO", true).map(|s| s.iban_length), Some(25));
        assert_eq!(lookup("CH", false).map(|s| s.iban_length), Some(21));
        assert!(lookup("ch", false).is_none());
        assert!(lookup("ZZ", true).is_none());
    }
}
