//! Swiss and Liechtenstein institution identifiers (IID, formerly BC-Nummer).
//!
//! IIDs are 1–5 digits, written zero-padded to five. QR-IIDs (30000–31999) appear only in
//! QR-IBANs and map to the IID of the institution that owns them.

use std::sync::atomic::{AtomicU64, Ordering};

use super::blocks::{self, Block, Slots, View};

include!(concat!(env!("OUT_DIR"), "/iid_tables.rs"));

/// The QR-IID range (SIX, Swiss QR-bill implementation guidelines).
pub const QR_IID_RANGE: std::ops::RangeInclusive<u32> = 30000..=31999;

/// One IID of the SIX bank master. Borrowed from the embedded table: copying it is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// A line of the view (the columns of `data/ch_iids.tsv`).
    fn from_line(line: &'static str) -> Self {
        let mut c = line.splitn(6, '\t');
        let mut next = || c.next().unwrap_or("");
        let (iid, country, headquarters_iid, bic, name, short_name) =
            (next(), next(), next(), next(), next(), next());
        Self {
            iid,
            country,
            headquarters_iid,
            bic: (!bic.is_empty()).then_some(bic),
            name,
            short_name,
        }
    }
}

static IIDS_CACHE: Slots<Box<[&str]>> = Slots::new(IIDS_BLOCKS.len());

/// The IIDs, sorted, in deflated blocks read in place (see `blocks`).
static IIDS: View<5> = View {
    blocks: &IIDS_BLOCKS,
    blob: IIDS_BLOB,
    dictionary: &[],
    cache: &IIDS_CACHE,
    key_of: |line| blocks::key(&[blocks::column(line, 0)]).unwrap_or([0xff; 5]),
};

static READS: AtomicU64 = AtomicU64::new(0);

/// How many lookups into the IID table this process has made ([`lookup`], one per call).
pub fn table_reads() -> u64 {
    READS.load(Ordering::Relaxed)
}

/// A Swiss or Liechtenstein institution identifier, made once at the boundary: 1–5 digits,
/// held zero-padded to five (`"230"` → `00230`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iid([u8; 5]);

impl Iid {
    /// The five-digit form.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("an Iid holds ASCII digits")
    }

    /// Whether it is in the QR-IID range 30000–31999 (only in QR-IBANs).
    pub fn is_qr(&self) -> bool {
        is_qr_iid(self.as_str())
    }
}

/// Why a string is not an IID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnIid;

impl std::fmt::Display for NotAnIid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an IID (Swiss clearing number) has 1 to 5 digits, e.g. 230 or 00230")
    }
}

impl std::error::Error for NotAnIid {}

impl std::str::FromStr for Iid {
    type Err = NotAnIid;

    /// 1–5 ASCII digits; whitespace (any Unicode space) ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut digits = [0u8; 5];
        let mut n = 0;
        for ch in s.chars().filter(|c| !c.is_whitespace()) {
            if !ch.is_ascii_digit() || n == 5 {
                return Err(NotAnIid);
            }
            digits[n] = ch as u8;
            n += 1;
        }
        if n == 0 {
            return Err(NotAnIid);
        }
        let mut out = [b'0'; 5];
        out[5 - n..].copy_from_slice(&digits[..n]);
        Ok(Self(out))
    }
}

impl std::fmt::Display for Iid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `"230"` → `"00230"`. `None` unless the input is 1–5 ASCII digits (spaces ignored).
pub fn normalize(input: &str) -> Option<String> {
    input
        .parse::<Iid>()
        .ok()
        .map(|iid| iid.as_str().to_string())
}

pub fn is_qr_iid(iid: &str) -> bool {
    iid.parse::<u32>().is_ok_and(|n| QR_IID_RANGE.contains(&n))
}

/// The institution of a five-digit IID (see [`normalize`] / [`Iid`]).
pub fn lookup(iid: &str) -> Option<IidEntry> {
    READS.fetch_add(1, Ordering::Relaxed);
    let key = blocks::key(&[iid]).filter(|_| iid.len() == 5)?;
    IIDS.matching(key).next().map(IidEntry::from_line)
}

/// The QR-IIDs that belong to the institution whose head-office IID is given.
pub fn qr_iids_of(headquarters_iid: &str) -> impl ExactSizeIterator<Item = &'static str> {
    let range = QR_IID_OWNERS
        .binary_search_by(|owner| owner.as_slice().cmp(headquarters_iid.as_bytes()))
        .map_or(0..0, |i| {
            usize::from(QR_IID_STARTS[i])..usize::from(QR_IID_STARTS[i + 1])
        });
    range.map(|k| &QR_IIDS[5 * k..5 * k + 5])
}

/// Number of IIDs embedded (CH + LI).
pub fn len() -> usize {
    IID_COUNT
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
        assert_eq!(normalize(" 2 30 ").as_deref(), Some("00230"));
        let iid: Iid = "230".parse().unwrap();
        assert_eq!((iid.as_str(), iid.is_qr()), ("00230", false));
        assert!("30005".parse::<Iid>().unwrap().is_qr());
        assert!("".parse::<Iid>().is_err() && "1234567".parse::<Iid>().is_err());
    }

    #[test]
    fn finds_iids_and_qr_iids() {
        assert!(len() >= 1164);
        let ubs = lookup("00230").unwrap();
        assert_eq!(ubs.bic, Some("UBSWCHZH80A"));
        assert!(qr_iids_of("00230").any(|q| q == "30005"));
        let qr = lookup("30005").unwrap();
        assert!(qr.is_qr_iid());
        assert_eq!(qr.headquarters_iid, "00230");
        assert_eq!(lookup("08800").map(|e| e.country), Some("LI"));
        assert_eq!(lookup("230"), None, "lookup takes the five-digit form");
        // Every committed row is found again, and every QR-IID among its owner's (and no
        // owner lists one that is not a QR-IID of its own).
        let text = include_str!("../../data/ch_iids.tsv");
        let mut qr_rows = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let columns: Vec<&str> = line.split('\t').collect();
            let iid = columns[0];
            assert_eq!(lookup(iid).map(|e| e.iid), Some(iid), "{line}");
            if is_qr_iid(iid) {
                qr_rows += 1;
                assert!(qr_iids_of(columns[2]).any(|q| q == iid), "{line}");
            }
        }
        let listed: usize = QR_IID_OWNERS
            .iter()
            .map(|o| qr_iids_of(std::str::from_utf8(o).unwrap()).len())
            .sum();
        assert_eq!(listed, qr_rows);
        assert_eq!(qr_iids_of("99999").len(), 0);
    }
}
