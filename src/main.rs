//! `ibanforge-mcp`: the command line is `src/cli/`, the MCP server `src/server/`; this file
//! only hands over.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Before anything opens a descriptor: closed standard streams are reopened on
    // /dev/null, and the parent's pid is noted for the orphan watch.
    ibanforge_mcp::server::lifecycle::prepare();
    ibanforge_mcp::cli::run(ibanforge_mcp::cli::Cli::parse())
}
