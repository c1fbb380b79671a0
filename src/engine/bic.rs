//! ISO 9362 BIC structure: business party prefix, country, location, branch.

use super::countries;

/// A BIC made once at the boundary: 8 or 11 ASCII letters and digits, upper-cased, spaces
/// removed, and its ISO 9362 parts read from it. Whether the country is real is
/// [`Bic::format_problem`]'s to say, whether the institution exists the bank directory's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bic {
    /// The 11-character form (`XXX` added to a BIC8).
    bic11: [u8; 11],
    /// Whether it was written with 8 characters.
    short: bool,
}

/// Why a string is not a BIC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotABic;

impl std::fmt::Display for NotABic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a BIC has 8 or 11 letters and digits, e.g. UBSWCHZH80A or DEUTDEFF")
    }
}

impl std::error::Error for NotABic {}

impl std::str::FromStr for Bic {
    type Err = NotABic;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bic11 = *b"XXXXXXXXXXX";
        let mut n = 0;
        for ch in s.chars().filter(|c| !c.is_whitespace()) {
            if !ch.is_ascii_alphanumeric() || n == 11 {
                return Err(NotABic);
            }
            bic11[n] = ch.to_ascii_uppercase() as u8;
            n += 1;
        }
        match n {
            8 | 11 => Ok(Self {
                bic11,
                short: n == 8,
            }),
            _ => Err(NotABic),
        }
    }
}

impl Bic {
    /// As written: 8 or 11 characters.
    pub fn as_str(&self) -> &str {
        let len = if self.short { 8 } else { 11 };
        std::str::from_utf8(&self.bic11[..len]).expect("a Bic holds ASCII")
    }

    /// The 11-character form, `XXX` (primary office) added to a BIC8: what the bank
    /// directory is keyed by.
    pub fn bic11(&self) -> &str {
        std::str::from_utf8(&self.bic11).expect("a Bic holds ASCII")
    }

    /// Institution and location: the first 8 characters.
    pub fn bic8(&self) -> &str {
        &self.bic11()[..8]
    }

    /// Characters 5–6, the country code (not checked against ISO 3166 here).
    pub fn country_code(&self) -> &str {
        &self.bic11()[4..6]
    }

    /// The branch code; `XXX` for the primary office.
    pub fn branch_code(&self) -> &str {
        &self.bic11()[8..]
    }

    /// Characters 1–4, the institution (business party prefix).
    pub fn party_prefix(&self) -> &str {
        &self.bic11()[..4]
    }

    /// Characters 7–8, the location.
    pub fn location_code(&self) -> &str {
        &self.bic11()[6..8]
    }

    /// The ISO 3166 name of the country code, when it is one.
    pub fn country_name(&self) -> Option<&'static str> {
        countries::name(self.country_code())
    }

    /// ISO 9362: a `0` as the second location character marks a test and training BIC.
    pub fn is_test_bic(&self) -> bool {
        self.bic11[7] == b'0'
    }

    /// Why this is not a well-formed BIC beyond its shape, in words; `None` when it is.
    pub fn format_problem(&self) -> Option<String> {
        let country_code = self.country_code();
        let party_prefix = self.party_prefix();
        if !country_code.bytes().all(|b| b.is_ascii_uppercase()) {
            Some(format!(
                "characters 5–6 ('{country_code}') must be a country code"
            ))
        } else if self.country_name().is_none() {
            Some(format!(
                "'{country_code}' (characters 5–6) is not an ISO 3166 country code"
            ))
        } else if !party_prefix.bytes().all(|b| b.is_ascii_uppercase()) {
            // ISO 9362:2022 allows digits in the party prefix, but every BIC issued so far
            // uses letters; report it rather than reject, so the caller can judge.
            Some(format!(
                "the institution code '{party_prefix}' contains digits, which no issued BIC does"
            ))
        } else {
            None
        }
    }
}

impl std::fmt::Display for Bic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bic(s: &str) -> Bic {
        s.parse().unwrap()
    }

    #[test]
    fn reads_the_parts() {
        let b = bic("ubswchzh80a");
        assert_eq!(b.format_problem(), None);
        assert_eq!(
            (
                b.bic8(),
                b.bic11(),
                b.branch_code(),
                b.party_prefix(),
                b.location_code()
            ),
            ("UBSWCHZH", "UBSWCHZH80A", "80A", "UBSW", "ZH")
        );
        assert_eq!(b.country_name(), Some("Switzerland"));
        assert!(!b.is_test_bic());
        let p = bic("DEUTDEFF");
        assert_eq!((p.bic11(), p.branch_code()), ("DEUTDEFFXXX", "XXX"));
    }

    #[test]
    fn flags_test_bics_and_bad_countries() {
        assert!(bic("ABCDCH00").is_test_bic());
        assert!(bic("ABCDZZ22").format_problem().unwrap().contains("ZZ"));
        assert!(bic("ABCD1222").format_problem().is_some());
        assert!(bic("AB1DCH22").format_problem().unwrap().contains("digits"));
        assert!("ABC".parse::<Bic>().is_err());
    }

    #[test]
    fn bic_is_made_once() {
        let b: Bic = " ubsw chzh 80a".parse().unwrap();
        assert_eq!(
            (b.as_str(), b.bic8(), b.branch_code()),
            ("UBSWCHZH80A", "UBSWCHZH", "80A")
        );
        let short: Bic = "deutdeff".parse().unwrap();
        assert_eq!(
            (short.as_str(), short.bic11(), short.country_code()),
            ("DEUTDEFF", "DEUTDEFFXXX", "DE")
        );
        assert_eq!(short.format_problem(), None);
        for bad in ["", "DEUTDEF", "DEUTDEFF1", "DEUT-DEFF", "DEUTDEFFXXXX"] {
            assert!(bad.parse::<Bic>().is_err(), "{bad}");
        }
    }
}
