//! The offline engine: pure data and algorithms, no I/O.
//!
//! Everything a tool can answer without the hosted API lives here, so it can be tested,
//! fuzzed and benchmarked on its own, and so a refusal upstream still leaves the agent
//! with a useful (and honestly labelled) answer.
//!
//! Dependencies inside the engine point one way, and nothing here imports anything outside
//! `engine` (`tests/engine.rs` holds both):
//!
//! - `banks` → `iban` (the BBAN parts it keys by), `registry`, embedded tables;
//! - `iban` → `registry`, `national`, `mod97`; `national` → `mod97`;
//! - `bic` → `countries`; `clearing`, `countries`, `registry`, `compliance` → `data`;
//! - `payment_reference` → `iban` (the pairing rules read its check), `mod97`;
//!   `qr_bill` → `payment_reference`, `iban`, `countries`.
//!
//! `iban` needs one fact from the bank directory (a German bank code's check method); it
//! takes it as a parameter, and [`validate_iban`] here is the one place that wires the two.

pub mod banks;
pub mod bic;
pub mod blocks;
pub mod clearing;
pub mod compliance;
pub mod countries;
pub mod data;
pub mod date;
pub mod iban;
pub mod institution;
pub mod mod97;
pub mod national;
pub mod payment_reference;
pub mod qr_bill;
pub mod registry;

/// Validate one IBAN with everything the engine knows offline: structure, mod-97 and the
/// national check digits, with a German bank code's check method taken from the bank
/// directory ([`banks::german_check_method`]). What the tools and `check-ibans` call.
pub fn validate_iban(input: &str, options: iban::ValidateOptions) -> iban::IbanCheck {
    iban::validate(input, options, banks::german_check_method)
}

/// Check a Swiss QR-bill payload ([`qr_bill::check`]) with the engine's full IBAN check.
pub fn check_qr_bill(payload: &str) -> qr_bill::BillCheck {
    qr_bill::check(payload, |iban| {
        validate_iban(iban, iban::ValidateOptions::default())
    })
}
