//! ISO 9362 BIC structure: business party prefix, country, location, branch.

use super::countries;

/// A BIC read into its ISO 9362 parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BicParts {
    /// The input, upper-cased and without spaces.
    pub bic: String,
    pub valid_format: bool,
    /// The first 8 characters (the institution and location).
    pub bic8: String,
    /// The 11-character form: `XXX` added for a primary office.
    pub bic11: String,
    pub party_prefix: String,
    pub country_code: String,
    /// Known ISO 3166 country name, when the two letters are one.
    pub country_name: Option<&'static str>,
    pub location_code: String,
    /// `XXX` for the primary office.
    pub branch_code: String,
    /// ISO 9362: a `0` as the second location character marks a test and training BIC.
    pub is_test_bic: bool,
    /// Why `valid_format` is false, in words.
    pub format_problem: Option<String>,
}

/// A BIC made once at the boundary: 8 or 11 ASCII letters and digits, upper-cased, spaces
/// removed. Its shape only: whether the country is real and the institution exists is for
/// [`parse`] and the bank directory to say.
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

    /// The ISO 9362 reading of it (country name, test BIC, format problems).
    pub fn parts(&self) -> BicParts {
        parse(self.as_str())
    }
}

impl std::fmt::Display for Bic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Upper-case and drop spaces; the caller has already bounded the length.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Read a BIC of 8 or 11 ASCII letters/digits (the tool's input contract guarantees
/// that much; anything else is reported as not well-formed rather than panicking).
pub fn parse(input: &str) -> BicParts {
    let bic = normalize(input);
    let ok_shape =
        (bic.len() == 8 || bic.len() == 11) && bic.bytes().all(|b| b.is_ascii_alphanumeric());
    let get = |r: std::ops::Range<usize>| bic.get(r).unwrap_or("").to_string();
    let party_prefix = get(0..4);
    let country_code = get(4..6);
    let location_code = get(6..8);
    let branch_code = if bic.len() == 11 {
        get(8..11)
    } else {
        "XXX".to_string()
    };
    let bic8 = get(0..8);
    let country_name = countries::name(&country_code);
    let format_problem = if !ok_shape {
        Some("a BIC has 8 or 11 letters and digits".to_string())
    } else if !country_code.bytes().all(|b| b.is_ascii_uppercase()) {
        Some(format!(
            "characters 5–6 ('{country_code}') must be a country code"
        ))
    } else if country_name.is_none() {
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
    };
    let is_test_bic = location_code.as_bytes().get(1) == Some(&b'0');
    BicParts {
        bic11: if ok_shape {
            format!("{bic8}{branch_code}")
        } else {
            bic.clone()
        },
        valid_format: format_problem.is_none(),
        bic,
        bic8,
        party_prefix,
        country_code,
        country_name,
        location_code,
        branch_code,
        is_test_bic,
        format_problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parts() {
        let b = parse("ubswchzh80a");
        assert!(b.valid_format);
        assert_eq!(
            (b.bic8.as_str(), b.bic11.as_str(), b.branch_code.as_str()),
            ("UBSWCHZH", "UBSWCHZH80A", "80A")
        );
        assert_eq!(b.country_name, Some("Switzerland"));
        assert!(!b.is_test_bic);
        let p = parse("DEUTDEFF");
        assert_eq!(
            (p.bic11.as_str(), p.branch_code.as_str()),
            ("DEUTDEFFXXX", "XXX")
        );
    }

    #[test]
    fn flags_test_bics_and_bad_countries() {
        assert!(parse("ABCDCH00").is_test_bic);
        let b = parse("ABCDZZ22");
        assert!(!b.valid_format);
        assert!(b.format_problem.unwrap().contains("ZZ"));
        assert!(!parse("ABCD1222").valid_format);
        assert!(!parse("ABC").valid_format);
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
        assert!(short.parts().valid_format);
        for bad in ["", "DEUTDEF", "DEUTDEFF1", "DEUT-DEFF", "DEUTDEFFXXXX"] {
            assert!(bad.parse::<Bic>().is_err(), "{bad}");
        }
    }
}
