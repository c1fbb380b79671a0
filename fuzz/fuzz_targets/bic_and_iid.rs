//! BIC parsing and Swiss IID normalisation and lookup.
#![no_main]
use ibanforge_mcp::engine::{bic, clearing};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let parts = bic::parse(s);
    if parts.valid_format {
        assert_eq!(parts.bic11.len(), 11);
    }
    if let Some(iid) = clearing::normalize(s) {
        assert_eq!(iid.len(), 5);
        let _ = clearing::lookup(&iid);
    }
});
