//! The real binary as MCP clients start it: a child process on stdio, with an environment
//! emptied of everything (no HOME, no config dir, no key) but an API base pointing at a closed
//! loopback port — a test never reaches a real host — and raw wire checks that stdout carries
//! nothing but JSON-RPC and that the key shows up on neither stream.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::{Value, json};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_ibanforge-mcp");
const SECRET: &str = "ifk_child_process_secret_42";
/// How long the server lets in-flight calls finish after stdin closes (`EOF_GRACE` in the
/// server's stdio lifecycle).
const EOF_GRACE: Duration = Duration::from_millis(600);
/// Slack over that grace for a loaded 2-core machine. Strict exit times are measured by
/// `scripts/bench.sh`, not asserted here.
const EXIT_SLACK: Duration = Duration::from_secs(5);

/// As a registry sandbox starts it: no HOME, no config dir, no key — the only variable is an
/// API base where nothing listens, so the call that would go to the hosted API fails on
/// loopback instead of leaving the machine. Nothing is configured, so the answer is
/// `anonymous`, and says the API was unreachable.
#[tokio::test]
async fn starts_with_an_empty_environment_and_answers_every_tool() {
    let base = common::closed_port_base();
    every_tool_answers(
        &[("IBANFORGE_API_BASE", base.as_str())],
        "ANONYMOUS MODE — ",
        "anonymous",
    )
    .await;
}

#[tokio::test]
async fn offline_mode_from_the_environment_labels_every_answer_offline() {
    every_tool_answers(
        &[("IBANFORGE_OFFLINE", "1")],
        "OFFLINE RESULT — ",
        "offline",
    )
    .await;
}

async fn every_tool_answers(env: &[(&str, &str)], label_prefix: &str, mode: &str) {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let transport = TokioChildProcess::new(Command::new(BIN).configure(|c| {
        c.env_clear();
        c.envs(env.iter().map(|(k, v)| (k, v)));
        c.current_dir("/");
    }))
    .expect("spawn");
    let client = ().serve(transport).await.expect("initialize");
    let info = client.peer_info().expect("server info");
    assert_eq!(
        info.server_info.as_ref().map(|i| i.name.as_str()),
        Some("ibanforge-mcp")
    );
    let tools = client.list_all_tools().await.unwrap();
    assert_eq!(tools.len(), ibanforge_mcp::tools::registry::TOOLS.len());
    for (tool, args) in [
        (
            "validate_iban",
            json!({"iban": "CH10 0023 0000 0000 1234 5"}),
        ),
        (
            "batch_validate_iban",
            json!({"ibans": ["CH1000230000000012345", "DE89370400440532013000"]}),
        ),
        ("lookup_bic", json!({"bic": "UBSWCHZH80A"})),
        ("lookup_ch_clearing", json!({"iid": "230"})),
        ("check_compliance", json!({"iban": "CH1000230000000012345"})),
    ] {
        let r = client
            .call_tool(
                CallToolRequestParams::new(tool).with_arguments(args.as_object().unwrap().clone()),
            )
            .await
            .unwrap();
        assert_eq!(r.is_error, Some(false), "{tool}");
        let sc = r.structured_content.expect("structuredContent");
        assert_eq!(sc["provenance"]["source"], "local", "{tool}");
        assert_eq!(sc["provenance"]["mode"], mode, "{tool}");
        if mode == "anonymous" {
            assert_eq!(
                sc["provenance"]["reason"], "api_unreachable",
                "{tool}: the closed port was tried, and nothing else"
            );
        }
        let text = &r.content[0].as_text().unwrap().text;
        assert!(text.starts_with(label_prefix), "{tool}: {text}");
    }
    client.cancel().await.unwrap();
}

/// Write raw lines to the server's stdin, close it, and collect stdout and stderr.
fn raw_session(lines: &[String]) -> (Vec<String>, String, std::process::ExitStatus, Duration) {
    // A key and an API that is not there: every tool call takes the degraded path.
    let mut child = StdCommand::new(BIN)
        .env_clear()
        .env("IBANFORGE_API_KEY", SECRET)
        .env("IBANFORGE_API_BASE", common::closed_port_base())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map(|l| l.unwrap())
            .collect::<Vec<_>>()
    });
    for line in lines {
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
        // Let each request be read before the next: the server answers in order of arrival.
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    let closed = Instant::now();
    let out = reader.join().unwrap();
    let status = child.wait().unwrap();
    let elapsed = closed.elapsed();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    // The key was in the environment of every raw session: it may appear on neither stream.
    for line in &out {
        assert!(!line.contains(SECRET), "the key reached stdout: {line}");
    }
    assert!(!err.contains(SECRET), "the key reached stderr: {err}");
    (out, err, status, elapsed)
}

fn init_lines() -> Vec<String> {
    vec![
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "wire-test", "version": "0"}}})
        .to_string(),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string(),
    ]
}

#[test]
fn stdout_carries_only_json_rpc_even_on_error_paths() {
    let mut lines = init_lines();
    let call = |id: u64, name: &str, args: Value| {
        json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name, "arguments": args}}).to_string()
    };
    lines.extend([
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}).to_string(),
        call(3, "validate_iban", json!({"iban": "CH9300762011623852957"})),
        call(4, "validate_iban", json!({"iban": 42})),
        call(5, "validate_iban", json!({})),
        call(6, "no_such_tool", json!({})),
        call(7, "batch_validate_iban", json!({"ibans": vec!["x"; 500]})),
        call(8, "lookup_ch_clearing", json!({"iid": "31000"})),
        json!({"jsonrpc": "2.0", "id": 9, "method": "no/such/method"}).to_string(),
        "this is not json".to_string(),
        call(10, "lookup_bic", json!({"bic": "DEUTDEFF"})),
    ]);
    let (out, err, status, elapsed) = raw_session(&lines);
    assert!(
        status.success(),
        "exit on EOF is clean: {status:?}\nstderr: {err}"
    );
    assert!(
        elapsed < EOF_GRACE + EXIT_SLACK,
        "exits promptly after stdin closes: {elapsed:?}"
    );
    assert!(!out.is_empty());
    let mut ids = Vec::new();
    for line in &out {
        let msg: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line:?}"));
        assert_eq!(msg["jsonrpc"], "2.0", "{line}");
        ids.push(msg["id"].clone());
    }
    for id in 1..=10 {
        assert!(
            ids.contains(&json!(id)),
            "request {id} was answered: {ids:?}"
        );
    }
    assert!(
        err.contains("serving MCP on stdio"),
        "logs go to stderr: {err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "no ANSI colours when stderr is not a terminal"
    );
}

#[test]
fn eof_before_any_request_exits_zero_quietly_on_stdout() {
    let (out, _err, status, elapsed) = raw_session(&[]);
    assert!(status.success(), "{status:?}");
    assert!(out.is_empty(), "{out:?}");
    assert!(elapsed < EOF_GRACE + EXIT_SLACK, "{elapsed:?}");
}

#[test]
fn call_subcommand_prints_the_label_and_json_and_uses_exit_codes() {
    let out = StdCommand::new(BIN)
        .env_clear()
        .env("IBANFORGE_OFFLINE", "1")
        .args([
            "call",
            "--json",
            "validate_iban",
            r#"{"iban": "CH10 0023 0000 0000 1234 5"}"#,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (label, json) = stdout.split_once('\n').unwrap();
    assert!(label.starts_with("OFFLINE RESULT — "), "{label}");
    let v: Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["valid"], true);

    let out = StdCommand::new(BIN)
        .env_clear()
        .args(["call", "validate_iban", r#"{"iban": 5}"#])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("must be a string"));

    let out = StdCommand::new(BIN)
        .env_clear()
        .args(["call", "validate_iban", "not json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = StdCommand::new(BIN)
        .env_clear()
        .args(["call", "nope", "{}"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown tool"));
}

#[test]
fn help_and_version() {
    let out = StdCommand::new(BIN).arg("--version").output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with(concat!("ibanforge-mcp ", env!("CARGO_PKG_VERSION")))
    );
    let out = StdCommand::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["call", "schemas", "--offline", "IBANFORGE_TIMEOUT_MS"] {
        assert!(help.contains(word), "--help mentions {word}");
    }
}
