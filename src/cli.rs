//! The command line: flags, subcommands, and what each prints.
//!
//! With no subcommand the binary is an MCP server on stdio, and then stdout belongs to the
//! protocol alone. The subcommands (`call`, `schemas`) never run beside the server, so
//! they may print their results to stdout.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use rmcp::ServiceExt;

use crate::config::{FlagValues, Settings};
use crate::server::{IbanforgeServer, tool_definitions};
use crate::tools::{CallContext, Outcome, ToolName, Toolbox};
use crate::wire;

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
    /// Call one tool and print the answer an MCP client would get (label line, then JSON)
    ///
    /// Exits 0 on an answer (a negative answer such as an invalid IBAN is still an answer),
    /// 2 when the arguments are refused or the tool does not exist.
    #[command(
        after_help = "Examples:\n  ibanforge-mcp call validate_iban '{\"iban\": \"CH93 0076 2011 6238 5295 7\"}'\n  ibanforge-mcp call lookup_ch_clearing '{\"iid\": \"230\"}'"
    )]
    Call {
        /// validate_iban, batch_validate_iban, lookup_bic, lookup_ch_clearing or check_compliance
        tool: String,
        /// The tool's arguments as a JSON object
        #[arg(default_value = "{}")]
        arguments: String,
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

/// MCP clients `config print` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum McpClient {
    ClaudeDesktop,
    Cursor,
    Vscode,
    ClaudeCode,
    Windsurf,
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

/// Logs go to stderr only; colours only when a person is watching. `IBANFORGE_LOG` is one
/// level (`off`, `error`, `warn`, `info`, `debug`, `trace`; default `info`): a level filter
/// rather than `EnvFilter`, whose directive parser (and the regex engine behind it) cost
/// start-up time and binary size for no use here.
fn init_logging() {
    let level = std::env::var("IBANFORGE_LOG")
        .ok()
        .and_then(|v| {
            v.trim()
                .parse::<tracing_subscriber::filter::LevelFilter>()
                .ok()
        })
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .with_max_level(level)
        .try_init();
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
    init_logging();
    let settings = load_settings(&cli.global);
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
        None | Some(Command::Serve) => runtime
            .block_on(serve(settings))
            .map(|()| ExitCode::SUCCESS),
        Some(Command::Call { tool, arguments }) => {
            runtime.block_on(call(settings, &tool, &arguments))
        }
        Some(Command::Schemas { out }) => write_schemas(&out).map(|()| ExitCode::SUCCESS),
        Some(Command::Doctor) => Ok(runtime.block_on(doctor(settings))),
        Some(Command::CheckIbans) => check_ibans(&settings),
        Some(Command::Config {
            action: ConfigAction::Print { client },
        }) => {
            let exe = std::env::current_exe().ok();
            let (snippet, note) = client_config(client, exe.as_deref(), cfg!(windows));
            println!("{snippet}");
            eprintln!("{note}");
            Ok(ExitCode::SUCCESS)
        }
    };
    // Never wait on a blocked stdin read at exit (the blocking fallback off Linux).
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::FAILURE
    })
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let toolbox = Toolbox::new(Arc::new(settings));
    if toolbox.key_withheld() {
        tracing::warn!(
            "IBANFORGE_API_BASE {} is plain http to a non-loopback host: the API key will not be sent, and every answer will be degraded (insecure_api_base)",
            toolbox.api().base()
        );
    }
    let settings = toolbox.settings();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        key = if settings.api_key.is_some() {
            "configured"
        } else {
            "none"
        },
        offline = settings.offline,
        "ibanforge-mcp serving MCP on stdio"
    );
    let server = IbanforgeServer::new(toolbox.clone());
    // `stdio_pipes` rather than `stdio`: a blocking stdin read cannot be cancelled, which
    // made shutdown hang (rust-sdk issue #220). The guard answers malformed lines itself.
    let (stdin, stdout) = rmcp::transport::stdio_pipes();
    let guarded = wire::guard(stdin, stdout);
    let input_closed = guarded.input_closed.clone();
    let output_done = guarded.output_done;
    let service = match server.serve(guarded.transport).await {
        Ok(service) => service,
        // The client went away before saying anything (a registry probe, a cancelled
        // launch): nothing to answer, nothing went wrong.
        Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => {
            tracing::debug!("stdin closed before initialization");
            let _ = tokio::time::timeout(OUTPUT_FLUSH, output_done).await;
            return Ok(());
        }
        Err(e) => return Err(e).context("MCP session did not start"),
    };
    let cancel = service.cancellation_token();
    let waiting = service.waiting();
    tokio::pin!(waiting);
    tokio::select! {
        result = &mut waiting => {
            result.context("MCP session ended with an error")?;
        }
        signal = shutdown_signal() => {
            tracing::info!(signal, "shutting down");
            cancel.cancel();
            let _ = tokio::time::timeout(OUTPUT_FLUSH, &mut waiting).await;
        }
        () = async { input_closed.notified().await; tokio::time::sleep(EOF_GRACE).await } => {
            // The client closed stdin and will read nothing more after it exits: answers
            // that are not ready by now are dropped, with their HTTP requests.
            tracing::info!("stdin closed; in-flight calls still running after {} ms are dropped", EOF_GRACE.as_millis());
            cancel.cancel();
            let _ = tokio::time::timeout(OUTPUT_FLUSH, &mut waiting).await;
        }
    }
    let _ = tokio::time::timeout(OUTPUT_FLUSH, output_done).await;
    Ok(())
}

/// How long in-flight calls may still finish after stdin closes (the whole exit stays
/// under a second).
const EOF_GRACE: std::time::Duration = std::time::Duration::from_millis(600);
/// How long to wait for the last answers to reach stdout.
const OUTPUT_FLUSH: std::time::Duration = std::time::Duration::from_millis(150);

/// SIGTERM, SIGINT or SIGHUP (Ctrl-C on Windows): the ways a client or a launcher stops us.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut int), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
            signal(SignalKind::hangup()),
        ) else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
            _ = hup.recv() => "SIGHUP",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

async fn call(settings: Settings, tool: &str, arguments: &str) -> anyhow::Result<ExitCode> {
    let args: serde_json::Value = match serde_json::from_str(arguments) {
        Ok(v) => v,
        Err(e) => {
            eprintln!(
                "error: the arguments are not JSON ({e}); pass an object such as '{{\"iban\": \"CH93 0076 2011 6238 5295 7\"}}'"
            );
            return Ok(ExitCode::from(2));
        }
    };
    let Some(map) = args.as_object() else {
        eprintln!(
            "error: the arguments must be a JSON object, e.g. '{{\"iban\": \"CH93 0076 2011 6238 5295 7\"}}'"
        );
        return Ok(ExitCode::from(2));
    };
    let toolbox = Toolbox::new(Arc::new(settings));
    let context = CallContext {
        client: Some(format!("cli/{}", env!("CARGO_PKG_VERSION"))),
    };
    match toolbox.call(tool, Some(map), &context).await {
        Ok(outcome @ Outcome::Answer { .. }) => {
            println!("{}", outcome.text());
            Ok(ExitCode::SUCCESS)
        }
        Ok(Outcome::InputError(e)) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(2))
        }
        Err(unknown) => {
            eprintln!("error: {unknown}");
            Ok(ExitCode::from(2))
        }
    }
}

/// `schemas/` layout: `<tool>.input.json`, `<tool>.output.json`, and `tools.json` (the
/// whole `tools/list` answer, which registries and the drift test read).
pub fn schema_files() -> Vec<(String, String)> {
    let pretty =
        |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("schemas serialise") + "\n";
    let mut files = Vec::new();
    for tool in ToolName::ALL {
        files.push((
            format!("{}.input.json", tool.name()),
            pretty(&serde_json::Value::Object((*tool.input_schema()).clone())),
        ));
        files.push((
            format!("{}.output.json", tool.name()),
            pretty(&serde_json::Value::Object((*tool.output_schema()).clone())),
        ));
    }
    let tools = serde_json::to_value(tool_definitions()).expect("tool definitions serialise");
    files.push((
        "tools.json".into(),
        pretty(&serde_json::json!({ "tools": tools })),
    ));
    files
}

fn write_schemas(out: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, text) in schema_files() {
        let path = out.join(&name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// `doctor`: a plain-language check of the setup. Prints to stdout (never runs beside the
/// server); the key is shown only as its first 8 characters.
async fn doctor(settings: Settings) -> ExitCode {
    let toolbox = Toolbox::new(Arc::new(settings));
    let s = toolbox.settings();
    let mut problems: Vec<String> = Vec::new();
    println!("ibanforge-mcp {} — doctor", env!("CARGO_PKG_VERSION"));
    println!();
    println!("Settings:");
    match &s.api_key {
        Some(k) => println!(
            "  API key        {} (from {})",
            k.preview(),
            s.origin.api_key.describe()
        ),
        None if s.origin.api_key == crate::config::Origin::Default => {
            println!("  API key        none")
        }
        None => println!(
            "  API key        none ({} is set but empty)",
            s.origin.api_key.describe()
        ),
    }
    println!(
        "  API base       {} (from {})",
        s.api_base,
        s.origin.api_base.describe()
    );
    println!(
        "  deadline       {} ms (from {})",
        s.timeout.as_millis(),
        s.origin.timeout.describe()
    );
    println!(
        "  offline mode   {} (from {})",
        if s.offline { "on" } else { "off" },
        s.origin.offline.describe()
    );
    println!(
        "  config file    {}",
        s.config_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "none".into())
    );
    println!(
        "  compliance     FATF {}, EU high-risk {}, SEPA scope {} (from {})",
        s.compliance_lists.fatf.as_of,
        s.compliance_lists.eu_high_risk.as_of,
        s.compliance_lists.sepa_scope.as_of,
        s.origin.compliance_lists.describe()
    );
    println!();
    if s.offline {
        println!(
            "Verdict: offline mode is on — every answer comes from the embedded engine, labelled OFFLINE RESULT. Nothing to check online."
        );
        return ExitCode::SUCCESS;
    }
    if toolbox.key_withheld() {
        println!(
            "Verdict: NOT HEALTHY — {} is plain http to a non-loopback host, so the key is never sent; every answer would be degraded (insecure_api_base). Use https.",
            s.api_base
        );
        return ExitCode::from(1);
    }
    let ua = Toolbox::user_agent(&CallContext {
        client: Some("doctor".into()),
    });
    let bounded = |path: &'static str, with_key: bool| {
        let api = toolbox.api();
        let ua = ua.clone();
        async move {
            tokio::time::timeout(s.timeout, api.get_json(path, with_key, &ua))
                .await
                .unwrap_or_else(|_| {
                    Err(crate::api::refusal::Failure::new(
                        "api_unreachable",
                        format!("no answer within {} ms", s.timeout.as_millis()),
                        None,
                    ))
                })
        }
    };
    print!("API health     ");
    match bounded("/health", false).await {
        Ok((200, _)) => println!("{}/health answered 200", toolbox.api().base()),
        Ok((status, _)) => {
            println!("{}/health answered HTTP {status}", toolbox.api().base());
            problems.push(format!("the API's health check answered HTTP {status}"));
        }
        Err(f) => {
            println!("unreachable: {}", f.detail);
            problems.push(format!(
                "the API at {} cannot be reached",
                toolbox.api().base()
            ));
        }
    }
    if s.api_key.is_some() {
        print!("API key        ");
        match bounded("/v1/keys/usage", true).await {
            Ok((200, usage)) => {
                let field = |k: &str| {
                    usage
                        .get(k)
                        .map(|v| v.to_string().trim_matches('"').to_string())
                };
                match (field("used"), field("limit"), field("remaining")) {
                    (Some(used), Some(limit), Some(remaining)) => {
                        println!(
                            "valid — {used} of {limit} requests used in {} ({remaining} left)",
                            field("month").unwrap_or_else(|| "this month".into())
                        );
                        if remaining == "0" {
                            problems.push("the key's monthly quota is used up (answers will be degraded: monthly_quota_exhausted)".into());
                        }
                    }
                    _ => match field("credits_remaining") {
                        Some(c) => {
                            println!("valid — {c} prepaid credits left");
                            if c == "0" {
                                problems.push("the key has no credits left (answers will be degraded: credits_exhausted)".into());
                            }
                        }
                        None => println!("valid"),
                    },
                }
            }
            Ok((401..=403, _)) => {
                println!("rejected by the API");
                problems.push("the API rejects the configured key (answers will be degraded: invalid_api_key)".into());
            }
            Ok((status, _)) => {
                println!("usage check answered HTTP {status}");
                problems.push(format!("the key's usage could not be read (HTTP {status})"));
            }
            Err(f) => println!("not checked: {}", f.detail),
        }
    }
    println!();
    if problems.is_empty() {
        if s.api_key.is_some() {
            println!("Verdict: healthy — tool calls get full answers.");
        } else {
            println!(
                "Verdict: healthy, without a key — tool calls are answered in ANONYMOUS MODE unless the API grants a keyless trial. Set IBANFORGE_API_KEY for full answers (free key: POST {}/v1/keys/generate).",
                toolbox.api().base()
            );
        }
        ExitCode::SUCCESS
    } else {
        println!("Verdict: NOT HEALTHY — {}.", problems.join("; "));
        ExitCode::from(1)
    }
}

/// The snippet for one MCP client, and a note on where it goes. An installation made by npm
/// (the binary lives under `node_modules`, a path that changes with every update) is
/// configured through `npx`; any other installation by its absolute path. Windows cannot start
/// `npx` (a batch file) directly, so there it goes through `cmd /c`.
pub fn client_config(
    client: McpClient,
    exe: Option<&std::path::Path>,
    windows: bool,
) -> (String, String) {
    let via_npm = exe.is_none_or(|p| p.components().any(|c| c.as_os_str() == "node_modules"));
    let (command, args): (String, Vec<String>) = match (via_npm, exe) {
        (false, Some(path)) => (path.display().to_string(), Vec::new()),
        _ if windows => (
            "cmd".into(),
            ["/c", "npx", "-y", "ibanforge-mcp"]
                .map(String::from)
                .to_vec(),
        ),
        _ => (
            "npx".into(),
            ["-y", "ibanforge-mcp"].map(String::from).to_vec(),
        ),
    };
    let key = "ifk_your_key_here";
    let server = serde_json::json!({ "command": command, "args": args, "env": { "IBANFORGE_API_KEY": key } });
    let pretty =
        |v: serde_json::Value| serde_json::to_string_pretty(&v).expect("JSON values serialise");
    let windows_note = "On Windows, npx must be started as `cmd /c npx -y ibanforge-mcp`.";
    match client {
        McpClient::ClaudeDesktop => (
            pretty(serde_json::json!({ "mcpServers": { "ibanforge": server } })),
            format!(
                "Merge into claude_desktop_config.json (Claude Desktop → Settings → Developer → Edit Config), replace the key, restart Claude Desktop. {windows_note}"
            ),
        ),
        McpClient::Cursor => (
            pretty(serde_json::json!({ "mcpServers": { "ibanforge": server } })),
            format!(
                "Merge into .cursor/mcp.json in your project, or ~/.cursor/mcp.json for all projects; replace the key. {windows_note}"
            ),
        ),
        McpClient::Windsurf => (
            pretty(serde_json::json!({ "mcpServers": { "ibanforge": server } })),
            format!(
                "Merge into ~/.codeium/windsurf/mcp_config.json; replace the key. {windows_note}"
            ),
        ),
        McpClient::Vscode => (
            pretty(serde_json::json!({
                "inputs": [{ "type": "promptString", "id": "ibanforge-api-key",
                             "description": "IBANforge API key (ifk_…); leave empty for local answers", "password": true }],
                "servers": { "ibanforge": { "type": "stdio", "command": command, "args": args,
                                            "env": { "IBANFORGE_API_KEY": "${input:ibanforge-api-key}" } } }
            })),
            format!(
                "Merge into .vscode/mcp.json; VS Code asks for the key once and stores it as a secret. {windows_note}"
            ),
        ),
        McpClient::ClaudeCode => {
            let quoted: Vec<String> = std::iter::once(&command)
                .chain(&args)
                .map(|a| shell_quote(a))
                .collect();
            (
                format!(
                    "claude mcp add --scope user ibanforge -e IBANFORGE_API_KEY={key} -- {}",
                    quoted.join(" ")
                ),
                "Run this once (replace the key); `claude mcp list` shows the server.".to_string(),
            )
        }
    }
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `check-ibans`: the engine over stdin, one verdict per line on stdout.
fn check_ibans(settings: &Settings) -> anyhow::Result<ExitCode> {
    use std::io::{BufRead, Write};
    let options = crate::engine::iban::ValidateOptions {
        aspirational: settings.aspirational,
    };
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
        let line = line.context("stdin is not UTF-8 text")?;
        // Bounded like the tool input: nothing longer is an IBAN.
        let input: String = line
            .chars()
            .take(crate::tools::args::MAX_STRING_CHARS)
            .collect();
        let check = crate::engine::validate_iban(&input, options);
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            check.iban,
            if check.valid() { "valid" } else { "invalid" },
            check.error.as_ref().map_or("-", |e| e.0.code()),
            check.national.as_ref().map_or("-", |n| n.status())
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn config_print_uses_the_absolute_path_or_npx() {
        let (s, _) = client_config(
            McpClient::Cursor,
            Some(Path::new("/opt/bin/ibanforge-mcp")),
            false,
        );
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(
            v["mcpServers"]["ibanforge"]["command"],
            "/opt/bin/ibanforge-mcp"
        );
        assert_eq!(
            v["mcpServers"]["ibanforge"]["env"]["IBANFORGE_API_KEY"],
            "ifk_your_key_here"
        );

        let npm = Path::new(
            "/home/u/.npm/_npx/1/node_modules/@ibanforge/mcp-linux-x64-gnu/bin/ibanforge-mcp",
        );
        let (s, note) = client_config(McpClient::ClaudeDesktop, Some(npm), false);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["mcpServers"]["ibanforge"]["command"], "npx");
        assert_eq!(
            v["mcpServers"]["ibanforge"]["args"],
            serde_json::json!(["-y", "ibanforge-mcp"])
        );
        assert!(note.contains("cmd /c"));

        let (s, _) = client_config(McpClient::Vscode, Some(npm), true);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["servers"]["ibanforge"]["command"], "cmd");
        assert_eq!(
            v["servers"]["ibanforge"]["args"],
            serde_json::json!(["/c", "npx", "-y", "ibanforge-mcp"])
        );
        assert_eq!(v["inputs"][0]["password"], true);

        let (s, _) = client_config(
            McpClient::ClaudeCode,
            Some(Path::new("/opt/my bin/ibanforge-mcp")),
            false,
        );
        assert!(s.ends_with("-- '/opt/my bin/ibanforge-mcp'"), "{s}");
    }
}
