//! `ibanforge-mcp`: see `cli.rs` for the command line and `server.rs` for MCP.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ibanforge_mcp::cli::run(ibanforge_mcp::cli::Cli::parse())
}
