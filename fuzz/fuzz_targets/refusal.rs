//! Reading 402/401 and 429 bodies from the hosted API.
#![no_main]
use ibanforge_mcp::api::{Reason, refusal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for keyed in [false, true] {
        let f = refusal::from_payment_refusal(402, data, data.first() == Some(&b'!'), keyed, "https://api.ibanforge.com");
        assert!(!f.reason.as_str().is_empty() && !f.unlock.is_empty());
        if keyed {
            assert_ne!(f.reason, Reason::NoApiKey);
        }
    }
    let header = std::str::from_utf8(data).ok();
    let f = refusal::from_rate_limit(data, header);
    assert_eq!(f.reason, Reason::RateLimited);
});
