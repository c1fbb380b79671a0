//! ISO 7064 MOD 97-10, the one remainder routine of the engine.
//!
//! The IBAN check digits and several national check digits (Belgium, the MOD 97-10 countries,
//! Mauritania and Tunisia, the French clé RIB) are all "the number these characters spell,
//! modulo 97". Writing it once keeps the letter mapping (A = 10 … Z = 35) and the overflow
//! reasoning in one place.

/// `NEXT[r][v]`: the remainder after appending character value `v` (0–9 digits, 10–35
/// letters, which append two decimal digits) to a number whose remainder is `r`. One table
/// lookup per character and no division: the hot loop of every validation.
static NEXT: [[u8; 36]; 97] = {
    let mut table = [[0u8; 36]; 97];
    let mut r = 0;
    while r < 97 {
        let mut v = 0;
        while v < 36 {
            let shift = if v < 10 { 10 } else { 100 };
            table[r][v] = ((r * shift + v) % 97) as u8;
            v += 1;
        }
        r += 1;
    }
    table
};

/// A running remainder modulo 97 of the number a sequence of characters spells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mod97 {
    remainder: u8,
}

impl Mod97 {
    pub const fn new() -> Self {
        Self { remainder: 0 }
    }

    /// Append one character: an ASCII digit, or an upper-case ASCII letter (worth 10–35, so
    /// two decimal digits). Anything else returns `false` and leaves the remainder unchanged.
    #[inline]
    pub fn push(&mut self, b: u8) -> bool {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            _ => return false,
        };
        self.remainder = NEXT[usize::from(self.remainder)][usize::from(v)];
        true
    }

    /// The remainder (0–96) of everything appended so far.
    pub fn remainder(self) -> u8 {
        self.remainder
    }
}

/// The remainder modulo 97 of the number `chars` spell, read left to right. `None` on a
/// character that is not an ASCII digit or upper-case letter.
pub fn remainder(chars: &[u8]) -> Option<u8> {
    let mut m = Mod97::new();
    chars.iter().all(|&b| m.push(b)).then_some(m.remainder())
}

/// The IBAN remainder: the first four characters (country, check digits) moved to the end.
/// A correct IBAN gives 1. `None` when shorter than four characters or on a character that
/// is not an ASCII digit or upper-case letter.
pub fn iban_remainder(compact: &[u8]) -> Option<u8> {
    if compact.len() < 4 {
        return None;
    }
    let mut m = Mod97::new();
    compact[4..]
        .iter()
        .chain(&compact[..4])
        .all(|&b| m.push(b))
        .then_some(m.remainder())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_plain_arithmetic() {
        assert_eq!(iban_remainder(b"CH9300762011623852957"), Some(1));
        assert_eq!(iban_remainder(b"CH9400762011623852957"), Some(2));
        assert_eq!(iban_remainder(b"ch93"), None);
        assert_eq!(iban_remainder(b"CH9"), None);
        // 123456789 % 97 = 39; "A" is 10.
        assert_eq!(remainder(b"123456789"), Some(39));
        assert_eq!(remainder(b"A"), Some(10));
        assert_eq!(remainder(b"1-2"), None);
        let big: Vec<u8> = (0..200).map(|i| b'0' + (i % 10) as u8).collect();
        let expected = big
            .iter()
            .fold(0u32, |r, &d| (r * 10 + u32::from(d - b'0')) % 97);
        assert_eq!(remainder(&big), Some(expected as u8));
    }
}
