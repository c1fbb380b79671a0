//! Swiss and Liechtenstein institution identifiers (IID, formerly BC-Nummer).
//!
//! IIDs are 1–5 digits, written zero-padded to five. QR-IIDs (30000–31999) appear only in
//! QR-IBANs and map to the IID of the institution that owns them.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::data;

/// The QR-IID range (SIX, Swiss QR-bill implementation guidelines).
pub const QR_IID_RANGE: std::ops::RangeInclusive<u32> = 30000..=31999;

/// One IID of the SIX bank master.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IidEntry {
    pub iid: &'static str,
    /// `CH` or `LI`.
    pub country: &'static str,
    /// The institution's own (first listed) IID: its head office in the register.
    pub headquarters_iid: &'static str,
    pub bic: Option<&'static str>,
    pub name: &'static str,
    pub short_name: &'static str,
}

impl IidEntry {
    pub fn is_qr_iid(&self) -> bool {
        is_qr_iid(self.iid)
    }
}

struct Directory {
    rows: Vec<IidEntry>,
    by_iid: HashMap<&'static str, usize>,
    /// Headquarters IID → QR-IIDs of the same institution.
    qr_by_owner: HashMap<&'static str, Vec<&'static str>>,
}

static DIRECTORY: LazyLock<Directory> = LazyLock::new(|| {
    let rows: Vec<IidEntry> = data::rows(data::CH_IIDS.as_str())
        .filter_map(|c| {
            let [iid, country, group, bic, name, short_name] = c[..] else {
                return None;
            };
            Some(IidEntry {
                iid,
                country,
                headquarters_iid: group,
                bic: (!bic.is_empty()).then_some(bic),
                name,
                short_name,
            })
        })
        .collect();
    let by_iid = rows.iter().enumerate().map(|(i, r)| (r.iid, i)).collect();
    let mut qr_by_owner: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    for r in rows.iter().filter(|r| r.is_qr_iid()) {
        qr_by_owner
            .entry(r.headquarters_iid)
            .or_default()
            .push(r.iid);
    }
    Directory {
        rows,
        by_iid,
        qr_by_owner,
    }
});

/// `"230"` → `"00230"`. `None` unless the input is 1–5 ASCII digits (spaces ignored).
pub fn normalize(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{digits:0>5}"))
}

pub fn is_qr_iid(iid: &str) -> bool {
    iid.parse::<u32>().is_ok_and(|n| QR_IID_RANGE.contains(&n))
}

pub fn lookup(iid: &str) -> Option<&'static IidEntry> {
    let d = &*DIRECTORY;
    d.by_iid.get(iid).map(|&i| &d.rows[i])
}

/// The QR-IIDs that belong to the institution whose head-office IID is given.
pub fn qr_iids_of(headquarters_iid: &str) -> &'static [&'static str] {
    DIRECTORY
        .qr_by_owner
        .get(headquarters_iid)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Number of IIDs embedded (CH + LI).
pub fn len() -> usize {
    DIRECTORY.rows.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize("230").as_deref(), Some("00230"));
        assert_eq!(normalize("00230").as_deref(), Some("00230"));
        assert_eq!(normalize(""), None);
        assert_eq!(normalize("123456"), None);
        assert_eq!(normalize("12a"), None);
    }

    #[test]
    fn finds_iids_and_qr_iids() {
        assert!(len() >= 1164);
        let ubs = lookup("00230").unwrap();
        assert_eq!(ubs.bic, Some("UBSWCHZH80A"));
        assert!(qr_iids_of("00230").contains(&"30005"));
        let qr = lookup("30005").unwrap();
        assert!(qr.is_qr_iid());
        assert_eq!(qr.headquarters_iid, "00230");
        assert_eq!(lookup("08800").map(|e| e.country), Some("LI"));
    }
}
