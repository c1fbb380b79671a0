//! BIC parsing and Swiss IID normalisation and lookup.
#![no_main]
use ibanforge_mcp::engine::{bic, clearing};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(b) = s.parse::<bic::Bic>() {
        assert_eq!(b.bic11().len(), 11);
        let _ = (b.format_problem(), b.is_test_bic(), b.country_name());
    }
    if let Some(iid) = clearing::normalize(s) {
        assert_eq!(iid.len(), 5);
        let _ = clearing::lookup(&iid);
    }
});
