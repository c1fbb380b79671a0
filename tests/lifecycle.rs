//! The server's life as a child process, whatever the client does with the pipes: stderr
//! never read, closed or broken; stdout closed mid-stream; signals while calls are stuck on
//! the API; the npm launcher killed outright. Every wait is a condition with a bound; the
//! one-second bounds are the promise the README makes ("Lifecycle").

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ibanforge-mcp");
/// What the README promises for signals, a closed stdout and a dead parent.
const EXIT_BOUND: Duration = Duration::from_secs(1);
/// For everything that is not a promise, only a guard against hanging (debug build, a
/// busy machine).
const GENEROUS: Duration = Duration::from_secs(120);
/// The status documented for a closed stdout.
const EXIT_OUTPUT_CLOSED: i32 = 141;

fn initialize() -> String {
    concat!(
        r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"lifecycle-test","version":"0"}}}"#,
        "\n",
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        "\n"
    )
    .to_string()
}

fn validate_call(id: usize) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"validate_iban","arguments":{{"iban":"CH93 0076 2011 6238 5295 7"}}}}}}"#
    ) + "\n"
}

/// The server with a clean environment; `env` adds to it.
fn server(env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .envs(env.iter().copied())
        .current_dir("/")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Write the handshake and `calls` requests (ids 1..=calls) from a thread; the pipe blocks
/// when the server stops reading, which is the point of pipelining.
fn send_calls(mut stdin: ChildStdin, calls: usize) -> JoinHandle<ChildStdin> {
    std::thread::spawn(move || {
        let mut batch = initialize();
        for id in 1..=calls {
            batch.push_str(&validate_call(id));
        }
        stdin
            .write_all(batch.as_bytes())
            .expect("the server reads every request");
        stdin
    })
}

/// Read answers from stdout on a thread; each answered request id goes on the channel.
fn read_answers(stdout: ChildStdout) -> mpsc::Receiver<u64> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let v: serde_json::Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            if let Some(id) = v["id"].as_u64()
                && tx.send(id).is_err()
            {
                break;
            }
        }
    });
    rx
}

/// Wait until `count` answers to ids ≥ 1 arrived; panics with how many did.
fn expect_answers(answers: &mpsc::Receiver<u64>, count: usize, within: Duration) {
    let until = Instant::now() + within;
    let mut got = 0;
    while got < count {
        let left = until.saturating_duration_since(Instant::now());
        match answers.recv_timeout(left) {
            Ok(0) => {}
            Ok(_) => got += 1,
            Err(_) => panic!("{got} of {count} calls answered within {within:?}"),
        }
    }
}

/// Wait for `child` to exit, up to `within`; the status and how long it took.
fn exit_within(child: &mut Child, within: Duration) -> (ExitStatus, Duration) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return (status, start.elapsed());
        }
        if start.elapsed() > within {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running {within:?} later");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn signal(pid: u32, sig: libc::c_int) {
    // SAFETY: kill(2) with a pid this test started.
    let r = unsafe { libc::kill(pid as libc::pid_t, sig) };
    assert_eq!(r, 0, "kill({pid}, {sig})");
}

/// Collect a stream on a thread (stderr, to look for panic text).
fn collect(mut stream: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

#[test]
fn stderr_never_read_does_not_stop_answers_and_sigterm_still_ends_it() {
    let mut child = server(&[("IBANFORGE_OFFLINE", "1")])
        .spawn()
        .expect("spawn");
    // Held open and never read: the pipe fills after a few hundred log lines.
    let _stderr = child.stderr.take();
    let answers = read_answers(child.stdout.take().unwrap());
    let writer = send_calls(child.stdin.take().unwrap(), 10_000);
    expect_answers(&answers, 10_000, GENEROUS);
    let _stdin = writer.join().expect("writer");
    signal(child.id(), libc::SIGTERM);
    let (status, took) = exit_within(&mut child, EXIT_BOUND);
    assert_eq!(status.code(), Some(0), "{status:?}");
    eprintln!("SIGTERM with stderr full: exited in {took:?}");
}

#[test]
fn stderr_closed_invalid_or_broken_serving_goes_on() {
    // `2>&-`: closed before start; `2</dev/null`: open but not writable (EBADF);
    // a pipe whose reader is gone: EPIPE.
    for how in ["closed", "read-only", "broken pipe"] {
        let mut command = match how {
            "closed" | "read-only" => {
                let redirect = if how == "closed" {
                    "2>&-"
                } else {
                    "2</dev/null"
                };
                let mut c = Command::new("/bin/sh");
                c.arg("-c")
                    .arg(format!("exec \"$0\" {redirect}"))
                    .arg(BIN)
                    .env_clear()
                    .env("IBANFORGE_OFFLINE", "1")
                    .current_dir("/")
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::inherit());
                c
            }
            _ => server(&[("IBANFORGE_OFFLINE", "1")]),
        };
        let mut child = command.spawn().expect("spawn");
        drop(child.stderr.take());
        let answers = read_answers(child.stdout.take().unwrap());
        let writer = send_calls(child.stdin.take().unwrap(), 100);
        expect_answers(&answers, 100, GENEROUS);
        drop(writer.join().expect("writer"));
        let (status, took) = exit_within(&mut child, GENEROUS);
        assert_eq!(status.code(), Some(0), "stderr {how}: {status:?}");
        eprintln!("stderr {how}: 100 answered, exit 0 on EOF after {took:?}");
    }
}

#[test]
fn stdout_closed_mid_stream_ends_it_without_panic() {
    let mut child = server(&[("IBANFORGE_OFFLINE", "1")])
        .spawn()
        .expect("spawn");
    let stderr = collect(child.stderr.take().unwrap());
    let mut stdin = child.stdin.take().unwrap();
    // Requests keep arriving after stdout closes, until the server is gone.
    let writer = std::thread::spawn(move || {
        if stdin.write_all(initialize().as_bytes()).is_err() {
            return;
        }
        for id in 1..=1_000_000 {
            if stdin.write_all(validate_call(id).as_bytes()).is_err() {
                return;
            }
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    for _ in 0..50 {
        line.clear();
        assert!(stdout.read_line(&mut line).expect("answer") > 0);
    }
    drop(stdout);
    let (status, took) = exit_within(&mut child, EXIT_BOUND);
    assert_eq!(status.code(), Some(EXIT_OUTPUT_CLOSED), "{status:?}");
    writer.join().expect("writer");
    let stderr = stderr.join().expect("stderr");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("stdout is closed"), "{stderr}");
    eprintln!("stdout closed: exited {EXIT_OUTPUT_CLOSED} in {took:?}");
}

/// Processes whose parent is `parent`.
fn children_of(parent: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc") {
        let Ok(entry) = entry else { continue };
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some((_, state_ppid)) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(')')
                    .map(|(a, b)| (a.to_string(), b.to_string()))
            })
        {
            let mut fields = state_ppid.split_whitespace();
            let _state = fields.next();
            if fields.next().and_then(|p| p.parse::<u32>().ok()) == Some(parent) {
                found.push(pid);
            }
        }
    }
    found
}

/// Running: present in /proc and not a zombie.
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next().map(|st| st != "Z"))
        })
        .unwrap_or(false)
}

#[test]
fn launcher_killed_with_sigkill_leaves_no_orphan() {
    let launcher = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/npm/ibanforge-mcp/bin/ibanforge-mcp.js"
    );
    let mut node = Command::new("node")
        .arg(launcher)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("IBANFORGE_MCP_BINARY", BIN)
        .env("IBANFORGE_OFFLINE", "1")
        .current_dir("/")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs the launcher (install Node.js >= 18)");
    // The test holds every pipe for the whole test: the binary never sees EOF.
    let _stderr = collect(node.stderr.take().unwrap());
    let answers = read_answers(node.stdout.take().unwrap());
    let _stdin = send_calls(node.stdin.take().unwrap(), 1)
        .join()
        .expect("writer");
    expect_answers(&answers, 1, GENEROUS);
    let binary = children_of(node.id());
    assert_eq!(binary.len(), 1, "the launcher's children: {binary:?}");
    let binary = binary[0];
    assert!(running(binary));
    signal(node.id(), libc::SIGKILL);
    let _ = node.wait();
    let start = Instant::now();
    while running(binary) {
        assert!(
            start.elapsed() <= EXIT_BOUND,
            "the binary (pid {binary}) outlived its launcher by {EXIT_BOUND:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    eprintln!(
        "launcher SIGKILLed: binary gone after {:?}",
        start.elapsed()
    );
}

#[test]
fn sigterm_with_api_calls_in_flight_ends_it() {
    // An API that accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let held = Arc::new(Mutex::new(Vec::new()));
    {
        let accepted = accepted.clone();
        let held = held.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                held.lock().unwrap().push(stream);
                accepted.fetch_add(1, Ordering::SeqCst);
            }
        });
    }
    let mut child = server(&[
        ("IBANFORGE_API_BASE", base.as_str()),
        ("IBANFORGE_API_KEY", "ifk_lifecycle_test_key_0123456789"),
        ("IBANFORGE_TIMEOUT_MS", "120000"),
    ])
    .spawn()
    .expect("spawn");
    let _stderr = collect(child.stderr.take().unwrap());
    let answers = read_answers(child.stdout.take().unwrap());
    let _writer = send_calls(child.stdin.take().unwrap(), 100);
    // The handshake is answered, then the calls pile up on the silent API.
    let start = Instant::now();
    loop {
        if let Ok(0) = answers.recv_timeout(Duration::from_millis(50)) {
            break;
        }
        assert!(start.elapsed() < GENEROUS, "no answer to initialize");
    }
    // The server lets only a few API calls out at once; the rest wait their turn, also in
    // flight as far as the client is concerned.
    while accepted.load(Ordering::SeqCst) < 1 {
        assert!(
            start.elapsed() < GENEROUS,
            "only {} API connections opened",
            accepted.load(Ordering::SeqCst)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        answers.try_recv().is_err(),
        "a call was answered although the API never answers"
    );
    signal(child.id(), libc::SIGTERM);
    let (status, took) = exit_within(&mut child, EXIT_BOUND);
    assert_eq!(status.code(), Some(0), "{status:?}");
    eprintln!(
        "SIGTERM with {} API calls in flight: exited in {took:?}",
        accepted.load(Ordering::SeqCst)
    );
}

#[test]
fn dropped_log_lines_are_counted_and_reported_when_stderr_drains() {
    const CALLS: usize = 5_000;
    let mut child = server(&[("IBANFORGE_OFFLINE", "1"), ("IBANFORGE_LOG", "info")])
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().unwrap();
    let answers = read_answers(child.stdout.take().unwrap());
    let writer = send_calls(child.stdin.take().unwrap(), CALLS);
    // stderr unread while every call is answered: far more log lines than the pipe and
    // the buffer hold.
    expect_answers(&answers, CALLS, GENEROUS);
    // Now read it: the backlog drains and the report follows.
    let (line_tx, lines) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if line_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let start = Instant::now();
    while !seen
        .iter()
        .any(|l: &String| l.contains("dropped") && l.contains("log line"))
    {
        let left = GENEROUS.saturating_sub(start.elapsed());
        seen.push(
            lines
                .recv_timeout(left)
                .expect("a line reporting dropped log lines"),
        );
    }
    // The report came while the server was still serving; end it and read the rest.
    drop(writer.join().expect("writer"));
    let (status, _) = exit_within(&mut child, GENEROUS);
    assert_eq!(status.code(), Some(0));
    reader.join().expect("reader");
    seen.extend(lines.try_iter());
    let dropped: usize = seen
        .iter()
        .filter_map(|l| {
            let rest = l.split("dropped ").nth(1)?;
            rest.split(' ').next()?.parse::<usize>().ok()
        })
        .sum();
    let logged = seen.iter().filter(|l| l.contains("tool call")).count();
    assert!(dropped > 0, "nothing was dropped");
    // Exact: every call logged one line, which was either written or counted as dropped.
    assert_eq!(
        logged + dropped,
        CALLS,
        "{logged} call lines written + {dropped} reported dropped"
    );
    eprintln!("{logged} call lines written, {dropped} dropped and reported");
}

#[test]
fn a_signal_right_after_the_first_answer_is_handled_not_fatal() {
    // The handlers are installed before anything is answered: a client that stops the
    // server as soon as it has replied gets a clean exit, never the default action.
    for (round, sig) in [libc::SIGHUP, libc::SIGINT, libc::SIGTERM]
        .into_iter()
        .cycle()
        .take(15)
        .enumerate()
    {
        let mut child = server(&[("IBANFORGE_OFFLINE", "1")])
            .spawn()
            .expect("spawn");
        let _stderr = collect(child.stderr.take().unwrap());
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(initialize().as_bytes()).expect("write");
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).expect("answer") > 0);
        signal(child.id(), sig);
        let (status, _) = exit_within(&mut child, EXIT_BOUND);
        assert_eq!(
            status.code(),
            Some(0),
            "round {round}, signal {sig}: {status:?}"
        );
    }
}

/// The server's resident memory, from /proc.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn malformed_lines_from_a_client_that_never_reads_do_not_pile_up() {
    let mut child = server(&[("IBANFORGE_OFFLINE", "1")])
        .spawn()
        .expect("spawn");
    let _stderr = collect(child.stderr.take().unwrap());
    // stdout held open and never read: every malformed line gets a reply, and replies hold
    // an in-flight place until written, so the guard stops reading once stdout is full.
    let _stdout = child.stdout.take();
    let mut stdin = child.stdin.take().unwrap();
    let lines = 2_000_000usize;
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = written.clone();
    let _writer = std::thread::spawn(move || {
        let chunk = "x\n".repeat(1000);
        for _ in 0..lines / 1000 {
            if stdin.write_all(chunk.as_bytes()).is_err() {
                return;
            }
            counter.fetch_add(1000, std::sync::atomic::Ordering::Relaxed);
        }
    });
    std::thread::sleep(Duration::from_secs(3));
    let taken = written.load(std::sync::atomic::Ordering::Relaxed);
    let rss = rss_kib(child.id());
    // What pipes and buffers hold is ~128 KB of input (64,000 of these lines); a guard that
    // kept reading took 320,000 in the same time, and its memory grew with them.
    assert!(
        taken <= 200_000,
        "the server kept reading ({taken} lines taken) although its replies were not read"
    );
    assert!(rss < 40 * 1024, "RSS {rss} KiB");
    eprintln!(
        "stdout never read: {taken} malformed lines taken, then reading stopped; RSS {rss} KiB"
    );
    signal(child.id(), libc::SIGTERM);
    let (status, _) = exit_within(&mut child, EXIT_BOUND);
    assert_eq!(status.code(), Some(0), "{status:?}");
}
