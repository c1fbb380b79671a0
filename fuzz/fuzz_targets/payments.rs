//! Payment references and Swiss QR-bill payloads: any text gives a verdict, never a panic,
//! through the engine and through the two tools' argument parsing and text rendering (whose
//! text stays within its budget: 600 characters for a reference, 1,500 for a bill).
#![no_main]
use ibanforge_mcp::engine::payment_reference::{self, Scheme};
use ibanforge_mcp::engine::{check_qr_bill, validate_iban};
use ibanforge_mcp::tools::Tool;
use ibanforge_mcp::tools::check_swiss_qr_bill::{self as bill_tool, CheckSwissQrBill};
use ibanforge_mcp::tools::text::Text;
use ibanforge_mcp::tools::validate_payment_reference::{self as reference_tool, ValidatePaymentReference};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let c = payment_reference::check(s, None);
    if c.valid == Some(true) {
        assert!(c.scheme.is_some() && c.error.is_none());
    }
    for scheme in Scheme::ALL {
        let _ = payment_reference::check(s, Some(scheme));
    }
    // A reference and an account: the text before the first line break, and after it.
    let (reference, iban) = s.split_once('\n').unwrap_or((s, ""));
    let account = validate_iban(iban, Default::default());
    let _ = payment_reference::check_for_account(reference, None, &account);
    let args = json!({"reference": reference, "iban": iban});
    if let Ok(input) = ValidatePaymentReference::parse(args.as_object()) {
        let body = reference_tool::answer(&input, Default::default());
        let mut text = Text::new(&ValidatePaymentReference::summary(&body));
        ValidatePaymentReference::render(&body, &mut text);
        assert!(text.finish().chars().count() <= reference_tool::MAX_TEXT_CHARS);
    }

    let bill = check_qr_bill(s);
    assert_eq!(bill.valid, bill.errors.is_empty());
    if let Ok(payload) = CheckSwissQrBill::parse(json!({"payload": s}).as_object()) {
        let body = bill_tool::answer(&payload);
        let mut text = Text::new(&CheckSwissQrBill::summary(&body));
        CheckSwissQrBill::render(&body, &mut text);
        assert!(text.finish().chars().count() <= bill_tool::MAX_TEXT_CHARS);
    }
});
