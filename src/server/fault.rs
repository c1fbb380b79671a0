//! A fault inside one call (a panic: a bug) answers that call with an error, and the
//! session goes on.
//!
//! rmcp runs each request in its own task. A panic there ended the task without an answer:
//! the client waited for an id that never came, and the line guard's in-flight place for it
//! was never given back (64 such calls and the server stopped reading). Each tool call is
//! now polled inside [`catch_panic`], so a panic becomes a JSON-RPC error carrying the
//! request's id.
//!
//! Rust's default panic message is a blocking write to stderr — the write [`super::logging`]
//! exists to avoid — so [`log_panics`] sends it through the non-blocking log instead.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, PanicHookInfo};
use std::task::Poll;

/// Run `future`; a panic while polling it becomes `Err` with the panic's message.
///
/// `AssertUnwindSafe`: after a panic the future is dropped, never polled again, and the
/// state it shares (the answer cache) recovers from poisoned locks.
pub async fn catch_panic<F: Future>(future: F) -> Result<F::Output, String> {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(panic_message(payload.as_ref()))),
        }
    })
    .await
}

/// What a panic said, when it said it as text.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}

/// The answer to a call that panicked: what happened and what the user can do.
pub fn internal_error(tool: &str) -> String {
    format!(
        "ibanforge-mcp failed inside `{tool}` (an internal error, logged on stderr); the call was not completed. Retry it; if it fails again, report it at {}/issues with that log line.",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Replace Rust's panic message (a blocking write to stderr) with an error log line.
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        let location = info
            .location()
            .map_or_else(String::new, |l| format!("{}:{}", l.file(), l.line()));
        tracing::error!(
            location,
            "internal error (a bug; please report it): {}",
            panic_message(info.payload())
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_while_polling_becomes_an_error_with_its_message() {
        let ok = catch_panic(async { 7 }).await;
        assert_eq!(ok, Ok(7));
        let panicked = catch_panic(async {
            // Suspends once first: the panic happens on a later poll.
            tokio::task::yield_now().await;
            let rows: Vec<u8> = Vec::new();
            let i = rows.len() + 3;
            if i > 2 {
                panic!("row {i} of {}", rows.len());
            }
            1
        })
        .await;
        assert_eq!(panicked, Err("row 3 of 0".to_string()));
    }

    #[test]
    fn the_answer_says_what_failed_and_what_to_do() {
        let e = internal_error("lookup_bic");
        assert!(e.contains("`lookup_bic`") && e.contains("Retry"));
        assert!(e.contains("https://github.com/ibanforge/ibanforge-mcp/issues"));
        assert_eq!(panic_message(&"static"), "static");
        assert_eq!(panic_message(&String::from("owned")), "owned");
        assert_eq!(panic_message(&5_u8), "(no message)");
    }
}
