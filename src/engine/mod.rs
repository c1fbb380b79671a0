//! The offline engine: pure data and algorithms, no I/O.
//!
//! Everything a tool can answer without the hosted API lives here, so it can be tested,
//! fuzzed and benchmarked on its own, and so a refusal upstream still leaves the agent
//! with a useful (and honestly labelled) answer.

pub mod banks;
pub mod bic;
pub mod clearing;
pub mod compliance;
pub mod countries;
pub mod data;
pub mod iban;
pub mod national;
pub mod registry;
