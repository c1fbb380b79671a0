//! The argument checks of every registered tool, on arbitrary JSON; and what the checked
//! input of the built-in tools promises (bounds, normal forms).
#![no_main]
use ibanforge_mcp::tools::args::{MAX_BATCH, MAX_STRING_CHARS};
use ibanforge_mcp::tools::batch_validate_iban::BatchValidateIban;
use ibanforge_mcp::tools::check_swiss_qr_bill::{CheckSwissQrBill, MAX_PAYLOAD_CHARS};
use ibanforge_mcp::tools::lookup_bic::LookupBic;
use ibanforge_mcp::tools::lookup_ch_clearing::LookupChClearing;
use ibanforge_mcp::tools::validate_iban::ValidateIban;
use ibanforge_mcp::tools::validate_payment_reference::ValidatePaymentReference;
use ibanforge_mcp::tools::{Tool, registry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    for entry in registry::TOOLS {
        let _ = entry.check_arguments(Some(&map));
    }
    if let Ok(iban) = ValidateIban::parse(Some(&map)) {
        assert!(iban.text.chars().count() <= MAX_STRING_CHARS);
    }
    if let Ok(batch) = BatchValidateIban::parse(Some(&map)) {
        assert!((1..=MAX_BATCH).contains(&batch.ibans.len()));
        assert_eq!(batch.positions.len(), batch.ibans.len());
        assert!(batch.positions.iter().all(|&p| p < batch.unique.len()));
    }
    if let Ok(bic) = LookupBic::parse(Some(&map)) {
        assert!(matches!(bic.as_str().len(), 8 | 11));
    }
    if let Ok(iid) = LookupChClearing::parse(Some(&map)) {
        assert_eq!(iid.as_str().len(), 5);
    }
    if let Ok(r) = ValidatePaymentReference::parse(Some(&map)) {
        assert!(r.reference.chars().count() <= MAX_STRING_CHARS);
        assert!(r.iban.is_none_or(|i| i.text.chars().count() <= MAX_STRING_CHARS));
    }
    if let Ok(payload) = CheckSwissQrBill::parse(Some(&map)) {
        assert!(payload.chars().count() <= MAX_PAYLOAD_CHARS);
    }
});
