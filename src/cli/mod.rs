//! The command line: flags and subcommands, one file each. They print; they do not decide
//! (what an answer says is the tools' business, what `doctor` concludes too).
//!
//! With no subcommand the binary is an MCP server on stdio, and then stdout belongs to the
//! protocol alone. The subcommands never run beside the server, so they may print their
//! results to stdout.

/// `eprintln!` that never panics: a closed or broken stderr loses the message, nothing more.
macro_rules! print_stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod call;
mod check_ibans;
mod check_payments;
pub mod config_print;
mod doctor;
mod schemas;
mod stdin_lines;

pub use config_print::{McpClient, client_config};
pub use schemas::schema_files;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{FlagValues, Settings};

/// IBAN, BIC and Swiss clearing tools for AI agents, over MCP (stdio).
///
/// Run without a subcommand to serve MCP on stdin/stdout (what Claude Desktop, Cursor or
/// VS Code start). Answers always say in `provenance` and on their first line whether they
/// are full, degraded, anonymous or offline, and why.
#[derive(Debug, Parser)]
#[command(
    name = "ibanforge-mcp",
    version,
    about,
    long_about,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalFlags,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings that override the environment and the config file.
#[derive(Debug, Args)]
pub struct GlobalFlags {
    /// Answer from the local engine only; never call the network [env: IBANFORGE_OFFLINE=1]
    #[arg(long, global = true)]
    pub offline: bool,
    /// Also accept the 22 "aspirational" IBAN countries (AO, BF, CI, …) that SWIFT lists but no bank uses yet [env: IBANFORGE_ASPIRATIONAL=1]
    #[arg(long, global = true)]
    pub aspirational: bool,
    /// Base URL of the IBANforge API [env: IBANFORGE_API_BASE] [default: https://api.ibanforge.com]
    #[arg(long, global = true, value_name = "URL")]
    pub api_base: Option<String>,
    /// Deadline for one tool call, in milliseconds (100–120000) [env: IBANFORGE_TIMEOUT_MS] [default: 8000]
    #[arg(long, global = true, value_name = "MS")]
    pub timeout_ms: Option<u64>,
    /// Read settings from this JSON file instead of <config dir>/config.json [env: IBANFORGE_CONFIG]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve MCP on stdin/stdout (the default when no subcommand is given)
    Serve,
    /// Call one tool and print the text block an MCP client would get (label line first)
    ///
    /// Exits 0 on an answer (a negative answer such as an invalid IBAN is still an answer),
    /// 2 when the arguments are refused or the tool does not exist.
    #[command(
        after_help = "Examples:\n  ibanforge-mcp call validate_iban '{\"iban\": \"CH93 0076 2011 6238 5295 7\"}'\n  ibanforge-mcp call lookup_ch_clearing '{\"iid\": \"230\"}'"
    )]
    Call {
        /// The tool to call (`tools/list` names them; an unknown name is answered with the list)
        tool: String,
        /// The tool's arguments as a JSON object
        #[arg(default_value = "{}")]
        arguments: String,
        /// Print the label line, then `structuredContent` as one line of JSON, instead of the text block
        #[arg(long)]
        json: bool,
    },
    /// Check the setup: where each setting came from, whether the API answers, the key's state
    ///
    /// Exits 0 when tool calls can get full answers (or offline mode is chosen), 1 when they
    /// would be degraded, with the reason.
    Doctor,
    /// Validate IBANs offline, one per line on stdin: prints `IBAN<TAB>valid|invalid<TAB>error<TAB>national`
    ///
    /// The embedded engine only (no key, no network): for bulk checks and for comparing the
    /// engine with other validators.
    CheckIbans,
    /// Check payment references offline, one `SCHEME<TAB>REFERENCE` per line on stdin (`-`: detect)
    ///
    /// Prints `SCHEME<TAB>valid|invalid|undecided<TAB>error<TAB>variants`: the embedded engine
    /// only, for bulk checks and for comparing it with other libraries.
    CheckReferences,
    /// Check Swiss QR-bill payloads offline, one JSON string per line on stdin
    ///
    /// Prints `valid|invalid<TAB>errors<TAB>warnings` (each `FIELD:code,…` or `-`): the
    /// embedded engine only, against the Swiss Implementation Guidelines QR-bill 2.3.
    CheckQrBills,
    /// Client configuration snippets
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Write every tool's input and output JSON Schema into a directory
    Schemas {
        /// Directory to write into (created if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the configuration snippet for an MCP client, for this installation
    ///
    /// The snippet goes to stdout; where to put it goes to stderr.
    Print {
        /// The MCP client to configure
        client: McpClient,
    },
}

impl GlobalFlags {
    fn values(&self) -> FlagValues {
        FlagValues {
            api_base: self.api_base.clone(),
            timeout_ms: self.timeout_ms,
            offline: self.offline,
            aspirational: self.aspirational,
            config: self.config.clone(),
        }
    }
}

fn load_settings(flags: &GlobalFlags) -> Settings {
    let (settings, warnings) = Settings::load(&flags.values(), &|k| std::env::var(k).ok());
    for w in warnings {
        tracing::warn!("{w}");
    }
    settings
}

/// Entry point for `main`.
pub fn run(cli: Cli) -> ExitCode {
    // Dropped last: waits (bounded) for buffered log lines to reach stderr.
    let _logging = crate::server::logging::init();
    let settings = load_settings(&cli.global);
    // A tool name no tool has is a typo the user must hear about, not a smaller tool list.
    let serves_tools = matches!(
        cli.command,
        None | Some(Command::Serve) | Some(Command::Call { .. })
    );
    if let (true, Some(names)) = (serves_tools, &settings.tools)
        && let Err(e) = crate::tools::Registry::built_in().check_selection(names)
    {
        print_stderr!("error: {e}");
        return ExitCode::FAILURE;
    }
    // One thread is plenty: the engine answers in microseconds and network waits are async.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        None | Some(Command::Serve) => Ok(runtime.block_on(crate::server::serve(settings))),
        Some(Command::Call {
            tool,
            arguments,
            json,
        }) => Ok(runtime.block_on(call::run(settings, &tool, &arguments, json))),
        Some(Command::Schemas { out }) => schemas::write(&out).map(|()| ExitCode::SUCCESS),
        Some(Command::Doctor) => Ok(runtime.block_on(doctor::run(settings))),
        Some(Command::CheckIbans) => check_ibans::quiet_on_broken_pipe(check_ibans::run(&settings)),
        Some(Command::CheckReferences) => {
            check_ibans::quiet_on_broken_pipe(check_payments::references())
        }
        Some(Command::CheckQrBills) => {
            check_ibans::quiet_on_broken_pipe(check_payments::qr_bills())
        }
        Some(Command::Config {
            action: ConfigAction::Print { client },
        }) => {
            config_print::run(client);
            Ok(ExitCode::SUCCESS)
        }
    };
    // Never wait on a blocked stdin read at exit (the blocking fallback off Linux).
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    result.unwrap_or_else(|e| {
        print_stderr!("error: {e:#}");
        ExitCode::FAILURE
    })
}

/// Print a subcommand's result on stdout. A closed stdout (`| head`) ends the output
/// quietly instead of panicking the way `println!` does.
fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}
