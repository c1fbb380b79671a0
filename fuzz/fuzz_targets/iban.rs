//! IBAN normalisation, validation (registry, mod-97, national rules), masking.
#![no_main]
use ibanforge_mcp::engine::iban::{self, ValidateOptions};
use ibanforge_mcp::engine::validate_iban;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    for aspirational in [false, true] {
        let check = validate_iban(s, ValidateOptions { aspirational });
        // A valid IBAN stays valid once normalised and formatted.
        if check.valid() {
            assert!(validate_iban(&check.formatted(), ValidateOptions { aspirational }).valid());
        }
    }
    let n = iban::normalize(s);
    assert_eq!(iban::normalize(&n), n);
    let _ = iban::mask(s);
    let _ = iban::mod97(&n);
});
