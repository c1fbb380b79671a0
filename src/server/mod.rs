//! The MCP server room: rmcp's `ServerHandler` over the [`Toolbox`] (this file), the stdio
//! session's life — start, signals, EOF, a closed stdout, a dead parent ([`lifecycle`]) — the
//! line guard between stdin and rmcp ([`line_guard`]), logging that never blocks
//! serving ([`logging`]), and a panic inside a call answered as an error ([`fault`]).
//!
//! The handler is written by hand rather than with `#[tool_router]` so that argument
//! errors carry our own wording (what was wrong, what is accepted) and so that the tool
//! definitions live in one table that the `schemas` subcommand and the tests share.

use std::sync::{Arc, LazyLock, OnceLock};

use rmcp::handler::server::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer};

use crate::tools::{CallContext, Toolbox, registry};

pub mod fault;
pub mod lifecycle;
pub mod line_guard;
mod log_fields;
mod log_time;
pub mod logging;
pub mod tool_call_line;
pub mod tools_list;
pub mod transport;

pub use lifecycle::serve;

/// Tool definitions generated from the code (schemars): what `tests/schemas_drift.rs` checks
/// `schemas/` (and so the bytes `tools/list` sends) against. Nothing the binary serves calls
/// it, so the schema generator is not in the binary.
static TOOL_DEFINITIONS: LazyLock<Vec<Tool>> = LazyLock::new(registry::definitions);

/// The MCP server.
#[derive(Debug, Clone)]
pub struct IbanforgeServer {
    toolbox: Arc<Toolbox>,
    /// Served by [`transport::StdioTransport`], which sends bytes prepared elsewhere:
    /// `tools/list` answers with [`tools_list::placeholder`], filled with the bytes prepared
    /// at build time, and a tool answer's `structuredContent` is its JSON text, sent as it is.
    /// Off, both are values, as any other transport needs.
    stdio_transport: bool,
    /// The definitions of the toolbox's tools when they are not exactly the committed set
    /// the prepared bytes hold (a `tools` setting, a registry of the tests' own): made on
    /// first use.
    definitions: Arc<OnceLock<Vec<Tool>>>,
}

impl IbanforgeServer {
    /// The server for any rmcp transport.
    pub fn new(toolbox: Toolbox) -> Self {
        Self {
            toolbox: Arc::new(toolbox),
            stdio_transport: false,
            definitions: Arc::default(),
        }
    }

    /// The server for [`transport::StdioTransport`], which sends `tools/list` from bytes
    /// prepared at build time.
    pub fn for_stdio(toolbox: Toolbox) -> Self {
        Self {
            stdio_transport: true,
            ..Self::new(toolbox)
        }
    }

    pub fn toolbox(&self) -> &Toolbox {
        &self.toolbox
    }

    /// Whether the toolbox answers exactly the tools of the prepared `tools/list` bytes.
    fn serves_prepared_tools(&self) -> bool {
        let entries = self.toolbox.registry().entries();
        entries.len() == tools_list::TOOLS.len()
            && entries
                .iter()
                .zip(tools_list::TOOLS.iter())
                .all(|(e, t)| e.name() == t.name.as_ref() && !e.carries_definition())
    }

    /// The toolbox's tool definitions: each from the prepared ones, or generated from the
    /// code where a registry entry carries its own.
    fn definitions(&self) -> &[Tool] {
        self.definitions.get_or_init(|| {
            self.toolbox
                .registry()
                .entries()
                .iter()
                .filter_map(|e| {
                    e.generated_definition().or_else(|| {
                        tools_list::TOOLS
                            .iter()
                            .find(|t| t.name == e.name())
                            .cloned()
                    })
                })
                .collect()
        })
    }
}

/// Every tool definition, generated from the code.
pub fn tool_definitions() -> &'static [Tool] {
    &TOOL_DEFINITIONS
}

const INSTRUCTIONS: &str = "IBAN, BIC and Swiss clearing tools backed by the IBANforge API. Every answer carries a `provenance` object and a first-line label: if `provenance.mode` is not `full`, the answer is partial — read `reason`, `detail` and `missing` before relying on it.";

impl ServerHandler for IbanforgeServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
                    .with_title("IBANforge")
                    .with_website_url("https://ibanforge.com"),
            )
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(if self.stdio_transport && self.serves_prepared_tools() {
            // The transport puts the prebuilt tool definitions in (see `tools_list`).
            tools_list::placeholder()
        } else {
            ListToolsResult::with_all_items(self.definitions().to_vec())
        })
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.definitions().iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        // The client's identity: from `initialize` (legacy era) or from the request's own
        // `_meta` (stateless 2026-07-28 era, where there is no handshake).
        let name_version = |c: &Implementation| format!("{}/{}", c.name, c.version);
        let client = match context.peer.peer_info() {
            Some(info) => Some(name_version(&info.client_info)),
            None => context.meta.client_info().as_ref().map(name_version),
        };
        let call_context = CallContext { client };
        // A panic (a bug) answers this call with an error instead of leaving it unanswered.
        // Boxed: rmcp moves each request's task several times (spawn, stage changes), and the
        // call's future, with every tool's HTTP path in it, would make every move kilobytes.
        let call = fault::catch_panic(Box::pin(self.toolbox.call(
            &request.name,
            request.arguments.as_ref(),
            &call_context,
        )));
        // A cancelled request (`notifications/cancelled`) drops the call future, and with
        // it any HTTP request still in flight.
        tokio::select! {
            result = call => match result {
                // Over stdio the transport sends the answer's JSON text as it is (see
                // `transport`); any other transport gets it as a value.
                Ok(Ok(outcome)) if self.stdio_transport => {
                    Ok(outcome.into_call_tool_result_with_json_text().into())
                }
                Ok(Ok(outcome)) => Ok(outcome.into_call_tool_result().into()),
                Ok(Err(unknown)) => Err(ErrorData::invalid_params(unknown, None)),
                Err(_logged) => Err(ErrorData::internal_error(fault::internal_error(&request.name), None)),
            },
            () = context.ct.cancelled() => Err(ErrorData::internal_error("request cancelled", None)),
        }
    }
}
