//! The one list of tools this server has, in the order `tools/list` shows them.
//!
//! Adding a tool is its file (its types, `Tool`, and `Paid` or its own `Chain`) and one
//! line here. Everything else that names the tools reads this list: dispatch, `tools/list`
//! (through the committed `schemas/tools.json`, which `tests/schemas_drift.rs` generates
//! from [`definitions`]), the `tools` setting, and the lists kept outside `src/`, which
//! tests check against `schemas/tools.json`.

use std::sync::Arc;

use rmcp::model::Tool as ToolDefinition;

use super::policy::{Entry, Registry, Toolbox, definition};
use crate::config::Settings;

use super::batch_validate_iban::BatchValidateIban;
use super::check_compliance::CheckCompliance;
use super::check_swiss_qr_bill::CheckSwissQrBill;
use super::lookup_bic::LookupBic;
use super::lookup_ch_clearing::LookupChClearing;
use super::validate_iban::ValidateIban;
use super::validate_payment_reference::ValidatePaymentReference;

/// Every tool, in `tools/list` order; `definitions` below follows it.
macro_rules! tools {
    ($($tool:ty),* $(,)?) => {
        /// Every tool this server has.
        pub static TOOLS: &[Entry] = &[$(Entry::of::<$tool>()),*];

        /// Every tool's definition, generated from its types (schemars). Only the tests and
        /// the schema check call it: the binary sends the committed, prepared definitions.
        pub fn definitions() -> Vec<ToolDefinition> {
            vec![$(definition::<$tool>()),*]
        }
    };
}

tools![
    ValidateIban,
    BatchValidateIban,
    LookupBic,
    LookupChClearing,
    CheckCompliance,
    ValidatePaymentReference,
    CheckSwissQrBill,
];

impl Registry {
    /// Every tool this server has.
    pub fn built_in() -> Self {
        Self::new(TOOLS)
    }

    /// The tools the settings expose: all of them, or those the `tools` setting names
    /// (a name no tool has is refused at start-up by `Registry::check_selection`).
    pub fn for_settings(settings: &Settings) -> Self {
        match &settings.tools {
            Some(names) => Self::built_in().only(names),
            None => Self::built_in(),
        }
    }
}

impl Toolbox {
    /// A toolbox answering the tools the settings expose.
    pub fn new(settings: Arc<Settings>) -> Self {
        let registry = Registry::for_settings(&settings);
        Self::with_registry(settings, registry)
    }
}
