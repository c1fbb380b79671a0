//! `ibanforge-mcp`: see `cli.rs` for the command line and `server/` for MCP.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Before anything opens a descriptor: closed standard streams are reopened on
    // /dev/null, and the parent's pid is noted for the orphan watch.
    ibanforge_mcp::server::lifecycle::prepare();
    ibanforge_mcp::cli::run(ibanforge_mcp::cli::Cli::parse())
}
