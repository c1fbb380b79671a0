//! Wire-level tests of the real binary: raw bytes on stdin, every stdout line read back.
//! Malformed traffic, both protocol eras, 1,000 concurrent calls, and the lifecycle (EOF,
//! signals): the process exits cleanly, bounded by the server's grace period plus slack for
//! a loaded machine — strict exit times are measured by `scripts/bench.sh`, not asserted here.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use ibanforge_stand_in::{Fault, KeyKind, StandIn};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_ibanforge-mcp");
/// How long the server lets in-flight calls finish after stdin closes (`EOF_GRACE` in the
/// server's stdio lifecycle); a signal ends it at once.
const EOF_GRACE: Duration = Duration::from_millis(600);
/// Slack over that for a loaded 2-core machine: still far below the 30 s answers a call in
/// flight is waiting for, so an exit that waited for them fails.
const EXIT_SLACK: Duration = Duration::from_secs(5);

/// A running server with threads collecting its stdout lines and its stderr.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_done: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().unwrap();
        let collected = Arc::new(Mutex::new(Vec::new()));
        let sink = collected.clone();
        let stderr_done = std::thread::spawn(move || {
            // Drain stderr as it comes, so the server never blocks on it, and keep it.
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let stdin = child.stdin.take();
        Server {
            child,
            stdin,
            lines,
            stderr: collected,
            stderr_done: Some(stderr_done),
        }
    }

    /// Everything the server wrote to stderr, once it has exited (the pipe is read to EOF).
    fn stderr_after_exit(&mut self) -> String {
        if let Some(t) = self.stderr_done.take() {
            t.join().unwrap();
        }
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, v: &Value) {
        self.send_raw(format!("{v}\n").as_bytes());
    }

    /// The next stdout line, which must be a JSON-RPC message.
    fn recv(&self) -> Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a message within 20 s");
        let v: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line:.200}"));
        assert_eq!(v["jsonrpc"], "2.0", "{line:.200}");
        v
    }

    /// Read messages until the one with this id; the others are returned too.
    fn recv_id(&self, id: &Value) -> Value {
        loop {
            let v = self.recv();
            if &v["id"] == id {
                return v;
            }
        }
    }

    fn initialize(&mut self, version: &str) -> Value {
        self.send(&json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "wire-test", "version": "1"}}}));
        let r = self.recv_id(&json!(0));
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        r
    }

    fn close_stdin(&mut self) {
        self.stdin.take();
    }

    fn wait_exit(&mut self, limit: Duration) -> (std::process::ExitStatus, Duration) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, started.elapsed());
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                panic!("did not exit within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

fn call(id: u64, tool: &str, args: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": tool, "arguments": args}})
}

#[test]
fn malformed_lines_get_errors_with_ids_and_the_session_goes_on() {
    let mut s = Server::start(&[("IBANFORGE_OFFLINE", "1")]);
    s.initialize("2025-06-18");

    s.send_raw(b"this is not json\n");
    let r = s.recv();
    assert_eq!(
        (r["id"].clone(), r["error"]["code"].clone()),
        (Value::Null, json!(-32700)),
        "{r}"
    );

    s.send(&json!({"jsonrpc": "2.0", "id": 11, "method": "tools/call", "params": [1, 2]}));
    let r = s.recv_id(&json!(11));
    assert_eq!(r["error"]["code"], -32602, "{r}");

    s.send(&json!({"jsonrpc": "2.0", "id": "twelve", "method": "tools/call", "params": "validate_iban"}));
    let r = s.recv_id(&json!("twelve"));
    assert_eq!(r["error"]["code"], -32602, "{r}");

    s.send(&json!({"jsonrpc": "2.0", "id": 13, "method": "no/such/method"}));
    let r = s.recv_id(&json!(13));
    assert_eq!(r["error"]["code"], -32601, "{r}");

    // A message split across writes is one message.
    let msg = call(14, "lookup_ch_clearing", json!({"iid": "230"})).to_string();
    let (a, b) = msg.split_at(msg.len() / 2);
    s.send_raw(a.as_bytes());
    std::thread::sleep(Duration::from_millis(50));
    s.send_raw(format!("{b}\n").as_bytes());
    let r = s.recv_id(&json!(14));
    assert_eq!(r["result"]["isError"], false, "{r}");

    // Interleaved: several requests in one write, answered by id.
    let burst: String = (20..30)
        .map(|i| {
            format!(
                "{}\n",
                call(i, "validate_iban", json!({"iban": "CH9300762011623852957"}))
            )
        })
        .collect();
    s.send_raw(burst.as_bytes());
    let mut seen = HashSet::new();
    while seen.len() < 10 {
        let r = s.recv();
        seen.insert(r["id"].as_u64().unwrap());
    }
    assert_eq!(seen, (20..30).collect());

    // 64 MiB on one line: refused with its id, memory stays bounded, the session goes on.
    let head = r#"{"jsonrpc":"2.0","id":40,"method":"tools/call","params":{"name":"validate_iban","arguments":{"iban":""#;
    s.send_raw(head.as_bytes());
    let chunk = vec![b'A'; 1 << 20];
    for _ in 0..64 {
        s.send_raw(&chunk);
    }
    s.send_raw(b"\"}}}\n");
    let r = s.recv_id(&json!(40));
    assert_eq!(r["error"]["code"], -32600, "{r}");
    let peak = s.peak_rss_kib();
    assert!(
        peak < 48 * 1024,
        "a 64 MiB line must not be buffered: peak RSS {peak} KiB"
    );

    s.send(&json!({"jsonrpc": "2.0", "id": 41, "method": "tools/list"}));
    let r = s.recv_id(&json!(41));
    assert_eq!(
        r["result"]["tools"].as_array().unwrap().len(),
        ibanforge_mcp::tools::registry::TOOLS.len()
    );

    s.close_stdin();
    let (status, took) = s.wait_exit(Duration::from_secs(20));
    assert!(status.success(), "{status:?}");
    assert!(
        took < EOF_GRACE + EXIT_SLACK,
        "exit after EOF took {took:?}"
    );
}

#[test]
fn every_legacy_protocol_version_a_client_sends_is_served() {
    for version in ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"] {
        let mut s = Server::start(&[("IBANFORGE_OFFLINE", "1")]);
        let r = s.initialize(version);
        assert_eq!(r["result"]["protocolVersion"], version, "{r}");
        s.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}));
        let tools = s.recv_id(&json!(1));
        assert_eq!(
            tools["result"]["tools"].as_array().unwrap().len(),
            ibanforge_mcp::tools::registry::TOOLS.len(),
            "{version}"
        );
        s.send(&call(
            2,
            "validate_iban",
            json!({"iban": "CH10 0023 0000 0000 1234 5"}),
        ));
        let r = s.recv_id(&json!(2));
        assert!(
            r["result"]["structuredContent"]["provenance"].is_object(),
            "{version}: {r}"
        );
        s.close_stdin();
        assert!(s.wait_exit(Duration::from_secs(3)).0.success());
    }
}

#[test]
fn the_stateless_2026_07_28_era_is_served() {
    let mut s = Server::start(&[("IBANFORGE_OFFLINE", "1")]);
    let meta = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "modern-client", "version": "2.4.0"},
        "io.modelcontextprotocol/clientCapabilities": {}
    });
    s.send(
        &json!({"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": meta}}),
    );
    let r = s.recv_id(&json!(1));
    let versions = r["result"]["supportedVersions"].as_array().unwrap();
    assert!(
        versions.contains(&json!("2026-07-28")) && versions.contains(&json!("2025-06-18")),
        "{r}"
    );
    s.send(&json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {"_meta": meta}}));
    let r = s.recv_id(&json!(2));
    let tools = r["result"]["tools"].as_array().unwrap();
    assert_eq!(tools.len(), ibanforge_mcp::tools::registry::TOOLS.len());
    assert!(tools.iter().all(|t| t["outputSchema"]["type"] == "object"));
    s.send(&json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                   "params": {"name": "lookup_bic", "arguments": {"bic": "UBSWCHZH80A"}, "_meta": meta}}));
    let r = s.recv_id(&json!(3));
    assert_eq!(r["result"]["resultType"], "complete", "{r}");
    assert_eq!(
        r["result"]["structuredContent"]["provenance"]["mode"],
        "offline"
    );
    s.close_stdin();
    assert!(s.wait_exit(Duration::from_secs(3)).0.success());
}

#[test]
fn a_thousand_calls_in_flight_are_all_answered_and_the_api_sees_at_most_four() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_thousand",
        KeyKind::Quota {
            used: 0,
            limit: 100_000,
        },
    );
    api.set_fault(Fault::Slow(Duration::from_millis(10)));
    let mut s = Server::start(&[
        ("IBANFORGE_API_BASE", &api.base),
        ("IBANFORGE_API_KEY", "ifk_thousand"),
        ("IBANFORGE_TIMEOUT_MS", "20000"),
    ]);
    s.initialize("2025-06-18");
    let burst: String = (1..=1000)
        .map(|i| {
            format!(
                "{}\n",
                call(
                    i,
                    "validate_iban",
                    json!({"iban": "CH10 0023 0000 0000 1234 5"})
                )
            )
        })
        .collect();
    s.send_raw(burst.as_bytes());
    let mut ids = HashSet::new();
    while ids.len() < 1000 {
        let r = s.recv();
        let id = r["id"].as_u64().expect("every answer carries its id");
        let p = &r["result"]["structuredContent"]["provenance"];
        assert_eq!(p["mode"], "full", "{r:.300}");
        assert!(ids.insert(id), "answered twice: {id}");
    }
    assert_eq!(ids, (1..=1000).collect());
    let max = api.max_in_flight();
    assert!(
        (1..=4).contains(&max),
        "API calls in flight are bounded: {max}"
    );
    // One question asked a thousand times is paid once: the others wait for it and are
    // served from the session cache (a cache bypass would pay a thousand times).
    assert_eq!(
        api.paid_requests("ifk_thousand"),
        1,
        "requests the API saw for one question asked 1,000 times"
    );
    assert_eq!(api.units_debited("ifk_thousand"), 1);
    s.close_stdin();
    assert!(s.wait_exit(Duration::from_secs(3)).0.success());
}

#[test]
fn eof_with_calls_in_flight_exits_after_the_grace_not_the_calls() {
    let api = StandIn::spawn();
    api.add_key(
        "ifk_eof",
        KeyKind::Quota {
            used: 0,
            limit: 100,
        },
    );
    api.set_fault(Fault::Slow(Duration::from_secs(30)));
    let mut s = Server::start(&[
        ("IBANFORGE_API_BASE", &api.base),
        ("IBANFORGE_API_KEY", "ifk_eof"),
    ]);
    s.initialize("2025-06-18");
    // A fast answer just before EOF is delivered; the slow ones are dropped.
    // Two different questions: identical ones would wait for each other (never pay twice).
    s.send(&call(1, "lookup_bic", json!({"bic": "UBSWCHZH80A"})));
    s.send(&call(2, "lookup_bic", json!({"bic": "COBADEFFXXX"})));
    // Both slow requests must be waiting at the API before the fault is lifted.
    let waited = Instant::now();
    while api
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/v1/bic/"))
        .count()
        < 2
    {
        assert!(
            waited.elapsed() < Duration::from_secs(10),
            "the calls never reached the API"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    api.set_fault(Fault::None);
    s.send(&json!({"jsonrpc": "2.0", "id": 3, "method": "tools/list"}));
    s.close_stdin();
    let (status, took) = s.wait_exit(Duration::from_secs(20));
    assert!(status.success(), "{status:?}");
    assert!(
        took < EOF_GRACE + EXIT_SLACK,
        "exit after EOF took {took:?}, though the calls in flight wait 30 s"
    );
    let mut got = Vec::new();
    while let Ok(line) = s.lines.recv_timeout(Duration::from_millis(200)) {
        got.push(serde_json::from_str::<Value>(&line).unwrap()["id"].clone());
    }
    assert!(
        got.contains(&json!(3)),
        "the answer ready before EOF was delivered: {got:?}"
    );
    let waited = Instant::now();
    while api.abandoned() < 2 && waited.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        api.abandoned(),
        2,
        "the slow HTTP requests were dropped with the process, not left running"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_sigint_and_sighup_exit_promptly_and_cleanly() {
    for signal in ["TERM", "INT", "HUP"] {
        let mut s = Server::start(&[("IBANFORGE_OFFLINE", "1")]);
        s.initialize("2025-11-25");
        let started = Instant::now();
        let ok = Command::new("kill")
            .args([&format!("-{signal}"), &s.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let (status, _) = s.wait_exit(Duration::from_secs(20));
        let took = started.elapsed();
        assert!(took < EXIT_SLACK, "SIG{signal}: exit took {took:?}");
        assert!(status.success(), "SIG{signal}: {status:?}");
        // Nothing but protocol on stdout.
        while let Ok(line) = s.lines.recv_timeout(Duration::from_millis(50)) {
            serde_json::from_str::<Value>(&line).unwrap();
        }
    }
}

#[test]
fn stdout_carries_nothing_but_protocol_on_exit_paths() {
    const KEY: &str = "ifk_wire_exit_path_secret";
    let base = common::closed_port_base();
    let mut s = Server::start(&[("IBANFORGE_API_BASE", &base), ("IBANFORGE_API_KEY", KEY)]);
    s.initialize("2025-06-18");
    s.send(&call(
        1,
        "check_compliance",
        json!({"iban": "DE89370400440532013000"}),
    ));
    let r = s.recv_id(&json!(1));
    assert_eq!(
        r["result"]["structuredContent"]["provenance"]["reason"],
        "api_unreachable"
    );
    s.close_stdin();
    let (status, _) = s.wait_exit(Duration::from_secs(20));
    assert!(status.success(), "exit on EOF is clean: {status:?}");
    // Whatever came after the answer is protocol too, line by line.
    let mut rest = Vec::new();
    while let Ok(line) = s.lines.recv_timeout(Duration::from_millis(200)) {
        rest.push(line);
    }
    for line in &rest {
        let msg: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line:?}"));
        assert_eq!(msg["jsonrpc"], "2.0", "{line}");
    }
    let err = s.stderr_after_exit();
    assert!(
        err.contains("serving MCP on stdio") && err.contains("check_compliance"),
        "the logs, on stderr: {err}"
    );
    assert!(
        err.contains("api_unreachable"),
        "the outcome line says why: {err}"
    );
    assert!(!err.contains(KEY), "the key is not logged: {err}");
    assert!(
        !err.contains("DE89370400440532013000"),
        "the IBAN is masked in the log: {err}"
    );
    assert!(!rest.join("\n").contains(KEY));
}
