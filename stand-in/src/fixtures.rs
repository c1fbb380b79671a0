//! A small hand-written bank directory for the IBANs, BICs and Swiss IIDs the tests ask
//! about — what the hosted API's registers would say of them. Anything not listed here is
//! answered as "no data" (`null`, `found: false`), never guessed.

/// One institution as the stand-in's "registers" know it.
#[derive(Debug, Clone, Copy)]
pub struct Bank {
    pub country: &'static str,
    /// The national bank code as it appears in the IBAN (a Swiss IID padded to 5 digits).
    pub bank_code: &'static str,
    pub bic: &'static str,
    pub name: &'static str,
    pub city: &'static str,
    pub street: &'static str,
    pub zip: &'static str,
    /// `bank | digital_bank | emi | payment_institution`.
    pub issuer_type: &'static str,
    pub classification: &'static str,
    pub lei: Option<&'static str>,
    pub register: &'static str,
    pub sct_inst: bool,
    pub vop_participant: bool,
}

pub const BANKS: &[Bank] = &[
    Bank {
        country: "CH",
        bank_code: "00230",
        bic: "UBSWCHZH80A",
        name: "UBS Switzerland AG",
        city: "Zürich",
        street: "Bahnhofstrasse 45",
        zip: "8001",
        issuer_type: "bank",
        classification: "licensed_bank",
        lei: Some("BFM8T61CT2L1QCEMIK50"),
        register: "SIX BankMaster",
        sct_inst: true,
        vop_participant: true,
    },
    Bank {
        country: "DE",
        bank_code: "37040044",
        bic: "COBADEFFXXX",
        name: "Commerzbank",
        city: "Köln",
        street: "Unter Sachsenhausen 21-27",
        zip: "50667",
        issuer_type: "bank",
        classification: "licensed_bank",
        lei: Some("851WYGNLUQLFZBSYGB56"),
        register: "Bundesbank Bankleitzahlendatei",
        sct_inst: true,
        vop_participant: true,
    },
    Bank {
        country: "DE",
        bank_code: "50070010",
        bic: "DEUTDEFFXXX",
        name: "Deutsche Bank",
        city: "Frankfurt am Main",
        street: "Taunusanlage 12",
        zip: "60325",
        issuer_type: "bank",
        classification: "licensed_bank",
        lei: Some("7LTWFZYICNSX8D621K86"),
        register: "Bundesbank Bankleitzahlendatei",
        sct_inst: true,
        vop_participant: true,
    },
    Bank {
        country: "GB",
        bank_code: "NWBK",
        bic: "NWBKGB2LXXX",
        name: "National Westminster Bank",
        city: "London",
        street: "250 Bishopsgate",
        zip: "EC2M 4AA",
        issuer_type: "bank",
        classification: "licensed_bank",
        lei: Some("213800IBT39XQ9C4CP71"),
        register: "UK Sort Code Directory",
        sct_inst: false,
        vop_participant: false,
    },
    // Fictional: a German bank code the hosted API's register lists but an older copy of the
    // Bundesbank file does not (new codes appear with every quarterly file). It lets a test
    // see the API verify a bank code that the client's embedded register has never heard of.
    Bank {
        country: "DE",
        bank_code: "37040099",
        bic: "NEUBDEK1XXX",
        name: "Neue Beispielbank (stand-in fixture)",
        city: "Köln",
        street: "Rheinufer 1",
        zip: "50668",
        issuer_type: "bank",
        classification: "licensed_bank",
        lei: None,
        register: "Bundesbank Bankleitzahlendatei",
        sct_inst: true,
        vop_participant: true,
    },
];

/// The bank behind an IBAN's bank code.
pub fn bank_by_code(country: &str, bank_code: &str) -> Option<&'static Bank> {
    BANKS
        .iter()
        .find(|b| b.country == country && b.bank_code == bank_code)
}

/// The bank behind a BIC (8 or 11 characters; `XXX` is the head office).
pub fn bank_by_bic(bic: &str) -> Option<&'static Bank> {
    let bic11 = if bic.len() == 8 {
        format!("{bic}XXX")
    } else {
        bic.to_string()
    };
    BANKS.iter().find(|b| b.bic == bic11)
}

/// A Swiss institution identifier (IID) in the SIX BankMaster sense.
#[derive(Debug, Clone, Copy)]
pub struct Iid {
    pub iid: &'static str,
    pub bank: &'static Bank,
    /// `bank | cantonal_bank | postfinance | raiffeisen | central_bank | foreign_participant`.
    pub kind: &'static str,
    pub iid_type: &'static str,
    pub headquarters_iid: &'static str,
    pub qr_iids: &'static [&'static str],
}

pub const IIDS: &[Iid] = &[Iid {
    iid: "00230",
    bank: &BANKS[0],
    kind: "bank",
    iid_type: "headquarters",
    headquarters_iid: "00230",
    qr_iids: &["30005"],
}];

/// An IID (or the owner of a QR-IID, 30000–31999): `(entry, redirected_from)`.
pub fn iid(iid5: &str) -> Option<(&'static Iid, Option<String>)> {
    if let Some(entry) = IIDS.iter().find(|e| e.iid == iid5) {
        return Some((entry, None));
    }
    IIDS.iter()
        .find(|e| e.qr_iids.contains(&iid5))
        .map(|e| (e, Some(iid5.to_string())))
}

/// FATF and sanctions facts by country, as the stand-in's compliance screen sees them.
pub fn fatf_status(country: &str) -> &'static str {
    match country {
        "KP" | "IR" | "MM" => "black_list",
        "AO" | "DZ" | "MC" => "grey_list",
        _ => "member",
    }
}

/// Sanctions lists naming a country as a whole.
pub fn country_sanctions(country: &str) -> &'static [&'static str] {
    match country {
        "KP" => &["UN", "EU", "OFAC"],
        "IR" | "SY" | "CU" => &["EU", "OFAC"],
        "RU" | "BY" => &["EU"],
        _ => &[],
    }
}
