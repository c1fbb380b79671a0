//! The tools, one file each, the registry that lists them, and the policy that answers them.
//!
//! A tool file (`validate_iban.rs`, `batch_validate_iban.rs`, …) holds everything about that
//! tool: its argument type and checks, its answer body, the paid request, the local answer,
//! the summary line and what it lacks offline. Each implements [`tool::Tool`] (what it is)
//! and, for the hosted API's tools, [`tool::Paid`], so the fallback chain — offline, paid,
//! free endpoint, local — is written once, in [`policy`]; a tool with a chain of its own
//! (a batch, a tool whose full answer is the engine's) implements [`policy::Chain`] itself.
//! [`registry`] is the one list of tools: adding a tool is its file and one line there.
//! [`provenance`] says how complete an answer is, and why.
//!
//! [`Toolbox::call`] is the one entry point, used by the MCP server and by the `call`
//! subcommand alike, so what a person sees on the command line is exactly what an agent
//! gets. This file only names the rooms and hands their public names on: nothing inside
//! `tools/` imports through it.

pub mod answer;
pub mod args;
pub mod cache;
pub mod doctor;
pub mod iban_answer;
pub mod lists;
pub mod outcome;
pub mod policy;
pub mod provenance;
pub mod registry;
pub mod schema;
pub mod text;
pub mod tool;

pub mod batch_validate_iban;
pub mod check_compliance;
pub mod check_swiss_qr_bill;
pub mod lookup_bic;
pub mod lookup_ch_clearing;
pub mod validate_iban;
pub mod validate_payment_reference;

#[cfg(test)]
mod upstream_fields_tests;

pub use args::InputError;
pub use outcome::{Outcome, StructuredContent};
pub use policy::{CallContext, Toolbox};
pub use policy::{Chain, Entry, Registry};
pub use tool::Tool;
