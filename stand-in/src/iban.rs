//! The stand-in's own IBAN check, written from the public IBAN rules and the `iban_validate`
//! crate — never from ibanforge-mcp's engine, so a full answer and a local one come from two
//! independent implementations. Like the hosted API (and unlike the client's offline
//! registry) it knows the aspirational IBAN countries (Angola, Iran, …).

use iban::{BaseIban, Iban, ParseBaseIbanError, ParseIbanError};

/// A country as the stand-in knows it: IBAN length (0 = no IBAN), name, and whether it is
/// in the SEPA schemes' scope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Country {
    pub code: &'static str,
    pub length: usize,
    pub name: &'static str,
    pub sepa: bool,
    /// On the IBAN list only as an aspirational country (not in the SWIFT registry).
    pub aspirational: bool,
}

const fn c(code: &'static str, length: usize, name: &'static str, sepa: bool) -> Country {
    Country {
        code,
        length,
        name,
        sepa,
        aspirational: false,
    }
}

const fn a(code: &'static str, length: usize, name: &'static str) -> Country {
    Country {
        code,
        length,
        name,
        sepa: false,
        aspirational: true,
    }
}

/// IBAN lengths from the SWIFT IBAN registry, the aspirational countries the hosted API also
/// accepts, and a few non-IBAN countries that compliance answers have to name.
const COUNTRIES: &[Country] = &[
    c("AD", 24, "Andorra", true),
    c("AE", 23, "United Arab Emirates", false),
    c("AL", 28, "Albania", false),
    c("AT", 20, "Austria", true),
    c("AZ", 28, "Azerbaijan", false),
    c("BA", 20, "Bosnia and Herzegovina", false),
    c("BE", 16, "Belgium", true),
    c("BG", 22, "Bulgaria", true),
    c("BH", 22, "Bahrain", false),
    c("BI", 27, "Burundi", false),
    c("BR", 29, "Brazil", false),
    c("BY", 28, "Belarus", false),
    c("CH", 21, "Switzerland", true),
    c("CR", 22, "Costa Rica", false),
    c("CY", 28, "Cyprus", true),
    c("CZ", 24, "Czechia", true),
    c("DE", 22, "Germany", true),
    c("DJ", 27, "Djibouti", false),
    c("DK", 18, "Denmark", true),
    c("DO", 28, "Dominican Republic", false),
    c("EE", 20, "Estonia", true),
    c("EG", 29, "Egypt", false),
    c("ES", 24, "Spain", true),
    c("FI", 18, "Finland", true),
    c("FK", 18, "Falkland Islands", false),
    c("FO", 18, "Faroe Islands", false),
    c("FR", 27, "France", true),
    c("GB", 22, "United Kingdom", true),
    c("GE", 22, "Georgia", false),
    c("GI", 23, "Gibraltar", true),
    c("GL", 18, "Greenland", false),
    c("GR", 27, "Greece", true),
    c("GT", 28, "Guatemala", false),
    c("HN", 28, "Honduras", false),
    c("HR", 21, "Croatia", true),
    c("HU", 28, "Hungary", true),
    c("IE", 22, "Ireland", true),
    c("IL", 23, "Israel", false),
    c("IQ", 23, "Iraq", false),
    c("IS", 26, "Iceland", true),
    c("IT", 27, "Italy", true),
    c("JO", 30, "Jordan", false),
    c("KW", 30, "Kuwait", false),
    c("KZ", 20, "Kazakhstan", false),
    c("LB", 28, "Lebanon", false),
    c("LC", 32, "Saint Lucia", false),
    c("LI", 21, "Liechtenstein", true),
    c("LT", 20, "Lithuania", true),
    c("LU", 20, "Luxembourg", true),
    c("LV", 21, "Latvia", true),
    c("LY", 25, "Libya", false),
    c("MC", 27, "Monaco", true),
    c("MD", 24, "Moldova", false),
    c("ME", 22, "Montenegro", false),
    c("MK", 19, "North Macedonia", false),
    c("MN", 20, "Mongolia", false),
    c("MR", 27, "Mauritania", false),
    c("MT", 31, "Malta", true),
    c("MU", 30, "Mauritius", false),
    c("NI", 28, "Nicaragua", false),
    c("NL", 18, "Netherlands", true),
    c("NO", 15, "Norway", true),
    c("OM", 23, "Oman", false),
    c("PK", 24, "Pakistan", false),
    c("PL", 28, "Poland", true),
    c("PS", 29, "Palestine", false),
    c("PT", 25, "Portugal", true),
    c("QA", 29, "Qatar", false),
    c("RO", 24, "Romania", true),
    c("RS", 22, "Serbia", false),
    c("RU", 33, "Russia", false),
    c("SA", 24, "Saudi Arabia", false),
    c("SC", 31, "Seychelles", false),
    c("SD", 18, "Sudan", false),
    c("SE", 24, "Sweden", true),
    c("SI", 19, "Slovenia", true),
    c("SK", 24, "Slovakia", true),
    c("SM", 27, "San Marino", true),
    c("SO", 23, "Somalia", false),
    c("ST", 25, "São Tomé and Príncipe", false),
    c("SV", 28, "El Salvador", false),
    c("TL", 23, "Timor-Leste", false),
    c("TN", 24, "Tunisia", false),
    c("TR", 26, "Türkiye", false),
    c("UA", 29, "Ukraine", false),
    c("VA", 22, "Vatican City", true),
    c("VG", 24, "British Virgin Islands", false),
    c("XK", 20, "Kosovo", false),
    c("YE", 30, "Yemen", false),
    a("AO", 25, "Angola"),
    a("BF", 28, "Burkina Faso"),
    a("BJ", 28, "Benin"),
    a("CF", 27, "Central African Republic"),
    a("CG", 27, "Congo"),
    a("CI", 28, "Côte d'Ivoire"),
    a("CM", 27, "Cameroon"),
    a("CV", 25, "Cabo Verde"),
    a("DZ", 26, "Algeria"),
    a("GA", 27, "Gabon"),
    a("GQ", 27, "Equatorial Guinea"),
    a("GW", 25, "Guinea-Bissau"),
    a("IR", 26, "Iran"),
    a("KM", 27, "Comoros"),
    a("MA", 28, "Morocco"),
    a("MG", 27, "Madagascar"),
    a("ML", 28, "Mali"),
    a("MZ", 25, "Mozambique"),
    a("NE", 28, "Niger"),
    a("SN", 28, "Senegal"),
    a("TD", 27, "Chad"),
    a("TG", 28, "Togo"),
    c("KP", 0, "North Korea", false),
    c("MM", 0, "Myanmar", false),
    c("SY", 0, "Syria", false),
    c("CU", 0, "Cuba", false),
];

/// The stand-in's knowledge of a country, by ISO code.
pub fn country(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// The IBAN split into its parts (when the structure allows it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bban {
    pub bank_code: Option<String>,
    pub branch_code: Option<String>,
    pub account_number: Option<String>,
}

/// The outcome of checking one IBAN.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Compact and upper-cased.
    pub iban: String,
    pub country_code: Option<String>,
    pub country: Option<&'static Country>,
    pub check_digits: Option<String>,
    pub bban: Option<Bban>,
    /// `(code, detail)`: one of the hosted API's error codes.
    pub error: Option<(&'static str, String)>,
}

impl Checked {
    pub fn valid(&self) -> bool {
        self.error.is_none()
    }

    /// Groups of four, as printed on paper.
    pub fn formatted(&self) -> String {
        self.iban
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Spaces and case removed, as the API does before anything else.
pub fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Check an IBAN the way the hosted API's format check does: format, country, length,
/// check digits, mod-97, BBAN structure — in that order, first failure wins.
pub fn check(input: &str) -> Checked {
    let iban = compact(input);
    let mut out = Checked {
        iban: iban.clone(),
        country_code: None,
        country: None,
        check_digits: None,
        bban: None,
        error: None,
    };
    let b = iban.as_bytes();
    let well_formed = (5..=34).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    if !well_formed {
        out.error = Some((
            "invalid_format",
            "An IBAN is two letters, two check digits and up to 30 letters or digits.".into(),
        ));
        return out;
    }
    let code = &iban[..2];
    out.country_code = Some(code.to_string());
    out.check_digits = Some(iban[2..4].to_string());
    let known = country(code).filter(|c| c.length > 0);
    out.country = country(code);
    let base: Result<BaseIban, ParseBaseIbanError> = iban.parse();
    let library = iban.parse::<Iban>();
    let Some(known) = known else {
        out.error = Some((
            "unsupported_country",
            format!("{code} does not use IBANs (or is not supported)."),
        ));
        return out;
    };
    if known.length != iban.len() {
        out.error = Some((
            "wrong_length",
            format!(
                "A {} IBAN has {} characters; this one has {}.",
                known.name,
                known.length,
                iban.len()
            ),
        ));
        return out;
    }
    if matches!(&iban[2..4], "00" | "01" | "99") {
        out.error = Some((
            "invalid_check_digits",
            format!("Check digits {} are never issued.", &iban[2..4]),
        ));
        return out;
    }
    match base {
        Err(ParseBaseIbanError::InvalidChecksum) => {
            out.error = Some((
                "checksum_failed",
                "The mod-97 checksum does not match: a character is wrong or two are swapped."
                    .into(),
            ));
            return out;
        }
        Err(ParseBaseIbanError::InvalidFormat) => {
            out.error = Some((
                "invalid_format",
                "The IBAN does not follow the IBAN format.".into(),
            ));
            return out;
        }
        Ok(_) => {}
    }
    match library {
        Ok(parsed) => {
            let bban = parsed.bban();
            let bank = parsed.bank_identifier().map(str::to_string);
            let branch = parsed.branch_identifier().map(str::to_string);
            let used =
                bank.as_ref().map_or(0, String::len) + branch.as_ref().map_or(0, String::len);
            out.bban = Some(Bban {
                bank_code: bank,
                branch_code: branch,
                account_number: bban.get(used..).map(str::to_string),
            });
        }
        Err(ParseIbanError::InvalidBban(_)) => {
            out.error = Some((
                "invalid_bban_structure",
                format!(
                    "The national part does not follow {}'s BBAN format.",
                    known.name
                ),
            ));
        }
        Err(_) => {
            // A country the library does not carry (aspirational): length and checksum have
            // passed; the BBAN's bank code is the first four characters where we know it.
            let bban = &iban[4..];
            let bank_len = match code {
                "AO" | "CV" | "MZ" | "ST" => Some(4),
                "IR" => Some(3),
                _ => None,
            };
            out.bban = Some(Bban {
                bank_code: bank_len.map(|n| bban[..n].to_string()),
                branch_code: None,
                account_number: Some(bank_len.map_or(bban, |n| &bban[n..]).to_string()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_and_aspirational_countries() {
        let ch = check("CH10 0023 0000 0000 1234 5");
        assert!(ch.valid(), "{ch:?}");
        assert_eq!(ch.bban.unwrap().bank_code.as_deref(), Some("00230"));
        let ao = check("AO06004400006729503010102");
        assert!(ao.valid(), "{ao:?}");
        assert_eq!(ao.bban.unwrap().bank_code.as_deref(), Some("0044"));
        assert!(check("IR062960000000100324200001").valid());
        assert_eq!(
            check("CH9400762011623852957").error.unwrap().0,
            "checksum_failed"
        );
        assert_eq!(
            check("CH93007620116238529").error.unwrap().0,
            "wrong_length"
        );
        assert_eq!(
            check("KP1234567890").error.unwrap().0,
            "unsupported_country"
        );
        assert_eq!(
            check("XX9300762011623852957").error.unwrap().0,
            "unsupported_country"
        );
        assert_eq!(
            check("CH0000762011623852957").error.unwrap().0,
            "invalid_check_digits"
        );
        assert_eq!(check("not an iban").error.unwrap().0, "invalid_format");
        let de = check("DE89370400440532013000");
        assert_eq!(
            de.bban.unwrap(),
            Bban {
                bank_code: Some("37040044".into()),
                branch_code: None,
                account_number: Some("0532013000".into())
            }
        );
        // The hosted API's format check does not know the French RIB key.
        assert!(check("FR4930006000011234567890190").valid());
    }
}
