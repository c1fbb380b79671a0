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
}
