//! The argument checks of every tool, on arbitrary JSON.
#![no_main]
use ibanforge_mcp::tools::args;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if let Ok(iban) = args::parse_iban(Some(&map)) {
        assert!(iban.chars().count() <= args::MAX_STRING_CHARS);
    }
    if let Ok(ibans) = args::parse_batch(Some(&map)) {
        assert!((1..=args::MAX_BATCH).contains(&ibans.len()));
    }
    let _ = args::parse_bic(Some(&map));
    let _ = args::parse_iid(Some(&map));
});
