//! Payment references and Swiss QR-bill payloads: any text gives a verdict, never a panic.
#![no_main]
use ibanforge_mcp::engine::check_qr_bill;
use ibanforge_mcp::engine::payment_reference::{self, Scheme};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let c = payment_reference::check(s, None);
    if c.valid == Some(true) {
        assert!(c.scheme.is_some() && c.error.is_none());
    }
    for scheme in Scheme::ALL {
        let _ = payment_reference::check(s, Some(scheme));
    }
    let bill = check_qr_bill(s);
    assert_eq!(bill.valid, bill.errors.is_empty());
});
