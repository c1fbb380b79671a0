//! The stdio session's life: serve until something ends it, then leave promptly.
//!
//! What ends a session, and the exit status each gives (README "Lifecycle"):
//!
//! | what happened                                   | exit status |
//! |-------------------------------------------------|-------------|
//! | stdin closed (EOF), after in-flight calls had up to [`EOF_GRACE`] | 0 |
//! | SIGTERM, SIGINT, SIGHUP (Ctrl-C on Windows)      | 0           |
//! | the process that started the binary died         | 0           |
//! | stdout closed or broken (EPIPE)                  | [`EXIT_OUTPUT_CLOSED`] (141) |
//! | the session could not start (protocol error)     | 1           |
//!
//! Every ending arms a hard deadline on a plain thread ([`STOP_DEADLINE`] after a signal,
//! a dead parent or a closed stdout): if the graceful path has not finished by then —
//! stdout blocked, stderr blocked, an API call that never answers — the process exits
//! anyway with the same status. Signals and the parent watch run on their own thread and
//! runtime, so they work even when the serving runtime is busy.
//!
//! No orphans: the npm launcher (or any client) may die by SIGKILL while the client still
//! holds the pipes, so stdin never closes. Linux asks the kernel for a signal when the
//! parent dies (`PR_SET_PDEATHSIG`, checked against `getppid()` right after, in case it
//! already died); every Unix also polls `getppid()`; Windows waits on the launcher's process
//! handle (the launcher passes its pid in `IBANFORGE_MCP_LAUNCHER_PID`).

use std::process::ExitCode;
use std::time::Duration;

use rmcp::ServiceExt;

use super::IbanforgeServer;
use super::line_guard;
use crate::config::Settings;
use crate::tools::Toolbox;

mod os;

pub use os::{
    ClosedAtStart, EXIT_OUTPUT_CLOSED, LAUNCHER_PID_ENV, STOP_DEADLINE, Stop, arm_deadline,
    closed_at_start, prepare, watch_for_stops,
};

/// How long in-flight calls may still finish after stdin closes.
pub const EOF_GRACE: Duration = Duration::from_millis(600);
/// How long to wait for the last answers to reach stdout.
const OUTPUT_FLUSH: Duration = Duration::from_millis(150);

/// Serve MCP on stdin/stdout until something ends the session; returns the exit status.
///
/// Never returns an error for the caller to print: by then stderr may be full or closed, and
/// a blocking `eprintln!` there would stall or panic. Failures are logged and become status 1.
pub async fn serve(settings: Settings) -> ExitCode {
    let (stop_tx, mut stops) = watch_for_stops();
    if closed_at_start().stdout {
        tracing::warn!("stdout was closed before start: nothing could be answered");
        return ExitCode::from(EXIT_OUTPUT_CLOSED);
    }
    let settings = std::sync::Arc::new(settings);
    let toolbox = Toolbox::new(settings.clone());
    if toolbox.key_withheld() {
        tracing::warn!(
            "IBANFORGE_API_BASE {} is plain http to a non-loopback host: the API key will not be sent, and every answer will be degraded (insecure_api_base)",
            settings.api_base
        );
    }
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
    let server = IbanforgeServer::for_stdio(toolbox.clone());
    // `stdio_pipes` rather than `stdio`: a blocking stdin read cannot be cancelled, which
    // made shutdown hang (rust-sdk issue #220). The guard answers malformed lines itself.
    let (stdin, stdout) = rmcp::transport::stdio_pipes();
    let guarded = line_guard::guard(stdin, stdout);
    let mut output_done = guarded.output_done;
    {
        let tx = stop_tx.clone();
        let output_failed = guarded.output_failed;
        tokio::spawn(async move {
            output_failed.notified().await;
            let _ = tx.send(Stop::OutputClosed);
        });
        let tx = stop_tx;
        let input_closed = guarded.input_closed;
        tokio::spawn(async move {
            input_closed.notified().await;
            // The client closed stdin and will read nothing more after it exits: answers
            // not ready after the grace are dropped, with their HTTP requests.
            arm_deadline(EOF_GRACE + STOP_DEADLINE, Stop::InputClosed.exit_status());
            tokio::time::sleep(EOF_GRACE).await;
            let _ = tx.send(Stop::InputClosed);
        });
    }
    let next_stop = async move {
        match stops.recv().await {
            Some(stop) => stop,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(next_stop);

    let service = tokio::select! {
        started = server.serve(guarded.transport) => match started {
            Ok(service) => service,
            // The client went away before saying anything (a registry probe, a cancelled
            // launch): nothing to answer, nothing went wrong.
            Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => {
                tracing::debug!("stdin closed before initialization");
                let _ = tokio::time::timeout(OUTPUT_FLUSH, &mut output_done).await;
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                tracing::error!("the MCP session did not start: {e}");
                return ExitCode::FAILURE;
            }
        },
        stop = &mut next_stop => return stopped_before_start(stop, output_done).await,
    };
    let cancel = service.cancellation_token();
    let waiting = service.waiting();
    tokio::pin!(waiting);
    let stop = tokio::select! {
        ended = &mut waiting => {
            // rmcp ended the session itself: stdin closed and every call was answered.
            let _ = tokio::time::timeout(OUTPUT_FLUSH, &mut output_done).await;
            return match ended {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!("the MCP session ended with an error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        stop = &mut next_stop => stop,
    };
    log_stop(stop);
    arm_deadline(STOP_DEADLINE, stop.exit_status());
    cancel.cancel();
    let _ = tokio::time::timeout(OUTPUT_FLUSH, &mut waiting).await;
    if stop != Stop::OutputClosed {
        let _ = tokio::time::timeout(OUTPUT_FLUSH, &mut output_done).await;
    }
    ExitCode::from(stop.exit_status())
}

async fn stopped_before_start(stop: Stop, output_done: tokio::task::JoinHandle<()>) -> ExitCode {
    log_stop(stop);
    arm_deadline(STOP_DEADLINE, stop.exit_status());
    if stop != Stop::OutputClosed {
        let _ = tokio::time::timeout(OUTPUT_FLUSH, output_done).await;
    }
    ExitCode::from(stop.exit_status())
}

fn log_stop(stop: Stop) {
    match stop {
        Stop::InputClosed => tracing::info!(
            "stdin closed; in-flight calls still running after {} ms are dropped",
            EOF_GRACE.as_millis()
        ),
        Stop::Signal(signal) => tracing::info!(signal, "shutting down"),
        Stop::ParentGone => {
            tracing::info!("the process that started this server is gone; shutting down")
        }
        Stop::OutputClosed => {
            tracing::info!("stdout is closed; stopping (exit status {EXIT_OUTPUT_CLOSED})")
        }
    }
}
