//! Compresses the large embedded tables (the bank directory and the Swiss IIDs) at build time.
//! Committed as plain TSV so every data refresh is a readable diff; embedded deflated so the
//! binary carries ~0.3 MB instead of ~2.4 MB. They are inflated once, on first use.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for table in ["bank_directory.tsv", "ch_iids.tsv"] {
        let source = Path::new("data").join(table);
        println!("cargo:rerun-if-changed={}", source.display());
        let text = std::fs::read(&source)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
        let packed = miniz_oxide::deflate::compress_to_vec(&text, 10);
        std::fs::write(Path::new(&out).join(format!("{table}.deflate")), packed)
            .expect("write to OUT_DIR");
    }
}
