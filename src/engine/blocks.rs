//! Read-in-place tables: sorted lines in small deflated blocks, inflated one at a time.
//!
//! `build.rs` sorts each large table by its lookup key, cuts it into blocks of 128 lines,
//! deflates each block and writes a table of every block's first key. A lookup binary-searches
//! that table and inflates only the block(s) the key can be in, once per process (the text is
//! kept for the life of the process, so answers can borrow `&'static str` from it). Nothing
//! parses or indexes a whole table at run time, and memory grows only with what is touched.
//!
//! A view's blocks may be deflated against a preset dictionary (text that recurs across
//! blocks, such as bank names, embedded as plain text): a block then inflates into a buffer
//! that already holds the dictionary, so its back-references can reach it.
//!
//! A line need not hold its row: the bank directory's BIC view holds most rows as a place in
//! its code view, so that no row's text is stored twice (see `banks`). [`View::matching_at`]
//! gives each matching line's block and line number, from which its reader works out the
//! place, and [`View::line`] reads the line there; such a lookup inflates, besides the
//! block(s) of its key, the blocks its rows are in.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// One block of a view: the key of its first line, its byte range in the blob and the length
/// of its text once inflated.
pub struct Block<const K: usize> {
    pub key: [u8; K],
    pub start: u32,
    pub end: u32,
    pub len: u32,
}

/// `packed` (raw deflate, written by build.rs) inflated to its `len` bytes, with `dictionary`
/// as the text that came before it.
fn inflate(dictionary: &[u8], packed: &[u8], len: usize) -> Vec<u8> {
    use miniz_oxide::inflate::TINFLStatus;
    use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
    let mut out = Vec::with_capacity(dictionary.len() + len);
    out.extend_from_slice(dictionary);
    out.resize(dictionary.len() + len, 0);
    let (status, _, written) = decompress(
        &mut DecompressorOxide::new(),
        packed,
        &mut out,
        dictionary.len(),
        inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
    );
    // build.rs inflated these very bytes this way before embedding them: failing here is a
    // build defect.
    assert!(
        status == TINFLStatus::Done && written == len,
        "embedded block inflates (written by build.rs): {status:?}"
    );
    if dictionary.is_empty() {
        out
    } else {
        // Only the block is kept, in an allocation of its own size.
        out[dictionary.len()..].to_vec()
    }
}

/// One lazily set value per block, the slots themselves made on first use.
///
/// A static array of `OnceLock`s would do, but a `OnceLock` does not start as zero bytes, so
/// such an array is stored in the binary's initialised data: 24 bytes a block, about 32 KB for
/// the bank directory's and IID table's views. This starts as one `OnceLock` (zero blocks'
/// worth) and allocates the slots when the first block is asked for.
pub struct Slots<T> {
    slots: OnceLock<Box<[OnceLock<T>]>>,
    len: usize,
}

impl<T> Slots<T> {
    /// `len` empty slots (one per block).
    pub const fn new(len: usize) -> Self {
        Self {
            slots: OnceLock::new(),
            len,
        }
    }

    /// Slot `i` (panics past `len`, like indexing an array).
    pub fn get(&self, i: usize) -> &OnceLock<T> {
        &self
            .slots
            .get_or_init(|| (0..self.len).map(|_| OnceLock::new()).collect())[i]
    }
}

/// One sorted view of a table (see the module doc).
pub struct View<const K: usize> {
    pub blocks: &'static [Block<K>],
    pub blob: &'static [u8],
    /// What the blocks were deflated against (empty if nothing).
    pub dictionary: &'static [u8],
    /// One slot per block: its inflated lines, once it has been read.
    pub cache: &'static Slots<Box<[&'static str]>>,
    /// The sort key of one line, as the fixed-width bytes the block table holds.
    pub key_of: fn(&str) -> [u8; K],
}

/// Blocks inflated so far, over all views.
static INFLATED: AtomicU64 = AtomicU64::new(0);

/// How many blocks (of the bank directory and the IID table together) this process has
/// inflated so far: each costs one decompression of ~9 KB (2 KB in the BIC view), once.
pub fn blocks_inflated() -> u64 {
    INFLATED.load(Ordering::Relaxed)
}

impl<const K: usize> View<K> {
    /// The lines of block `block`, inflated on first use.
    pub fn lines(&self, block: usize) -> &'static [&'static str] {
        self.cache.get(block).get_or_init(|| {
            INFLATED.fetch_add(1, Ordering::Relaxed);
            let b = &self.blocks[block];
            let bytes = inflate(
                self.dictionary,
                &self.blob[b.start as usize..b.end as usize],
                b.len as usize,
            );
            let text = String::from_utf8(bytes).expect("embedded block is UTF-8");
            let text: &'static str = Box::leak(text.into_boxed_str());
            text.lines().collect()
        })
    }

    /// Line `line` of block `block`, if there is one (positions `build.rs` wrote down).
    pub fn line(&self, block: usize, line: usize) -> Option<&'static str> {
        (block < self.blocks.len())
            .then(|| self.lines(block).get(line).copied())
            .flatten()
    }

    /// The lines whose key equals `key`, in view order (they may run across blocks).
    pub fn matching(&self, key: [u8; K]) -> impl Iterator<Item = &'static str> + '_ {
        self.matching_at(key).map(|(_, _, line)| line)
    }

    /// [`Self::matching`], each line with its block and its line number in that block.
    pub fn matching_at(
        &self,
        key: [u8; K],
    ) -> impl Iterator<Item = (usize, usize, &'static str)> + '_ {
        // Blocks before `p` start below the key; only the last of them can hold it, and
        // blocks from `p` on only if they start with it.
        let p = self.blocks.partition_point(|b| b.key < key);
        let first = p.saturating_sub(1);
        (first..self.blocks.len())
            .take_while(move |&i| i < p || self.blocks[i].key == key)
            .flat_map(move |i| {
                let lines = self.lines(i);
                // A block's lines are sorted too: in the first block, skip to the key by
                // bisection rather than reading every line before it.
                let from = if i == first {
                    lines.partition_point(|l| (self.key_of)(l) < key)
                } else {
                    0
                };
                (from..lines.len()).map(move |n| (i, n, lines[n]))
            })
            .take_while(move |&(_, _, l)| (self.key_of)(l) == key)
    }
}

/// `parts` concatenated into `K` bytes, zero-padded (so byte order is string order); `None`
/// if longer.
pub fn key<const K: usize>(parts: &[&str]) -> Option<[u8; K]> {
    let mut out = [0u8; K];
    let mut at = 0;
    for p in parts {
        out.get_mut(at..at + p.len())?.copy_from_slice(p.as_bytes());
        at += p.len();
    }
    Some(out)
}

/// The `n`th tab-separated column of a line ("" past the end). Found byte by byte: the
/// columns are a few bytes long, shorter than what `str::split`'s searcher sets up for.
pub fn column(line: &str, n: usize) -> &str {
    let tab = |s: &str| s.bytes().position(|b| b == b'\t');
    let mut rest = line;
    for _ in 0..n {
        match tab(rest) {
            // A tab is one byte and never inside a character: `i + 1` is a boundary.
            Some(i) => rest = &rest[i + 1..],
            None => return "",
        }
    }
    tab(rest).map_or(rest, |i| &rest[..i])
}

#[cfg(test)]
mod tests {
    #[test]
    fn slots_are_made_on_first_use_and_keep_what_was_set() {
        static SLOTS: super::Slots<u32> = super::Slots::new(3);
        assert!(SLOTS.slots.get().is_none());
        assert_eq!(SLOTS.get(2).get(), None);
        assert_eq!(*SLOTS.get(1).get_or_init(|| 7), 7);
        assert_eq!(*SLOTS.get(1).get_or_init(|| 8), 7);
        assert_eq!(SLOTS.get(0).get(), None);
        assert!(std::panic::catch_unwind(|| SLOTS.get(3)).is_err());
    }

    proptest::proptest! {
        #[test]
        fn a_column_is_what_splitting_the_line_gives(line in "[a\té]{0,12}", n in 0usize..6) {
            proptest::prop_assert_eq!(super::column(&line, n), line.split('\t').nth(n).unwrap_or(""));
        }
    }
}
