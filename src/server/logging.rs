//! Logs that can never block, slow down or kill the server.
//!
//! A server that logs one line per call must not let stderr decide whether it answers: a
//! client that captures stderr lazily (or whose log reader died) fills the pipe, and a
//! blocking write then stalls every answer. So events are formatted on the caller's thread
//! and handed to `tracing-appender`'s bounded, lossy channel; a dedicated thread writes them
//! to stderr, a burst of lines in one write. When the channel is full the line is dropped,
//! never waited for.
//!
//! `tracing-appender` counts what it drops but says nothing. The [`StderrSink`] it writes
//! through reads that count each time the channel has drained and writes one line saying
//! how many lines were lost since the last such line, so the total reported is exact.
//! When stderr is closed or broken (EPIPE, EBADF) the sink goes quiet for good; nothing
//! here returns an error to a caller or panics.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use tracing_appender::non_blocking::{ErrorCounter, NonBlocking, NonBlockingBuilder};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::layer::SubscriberExt;

/// Lines held for stderr while it is slow. Bounded so memory is (about 1,000 × a few
/// hundred bytes); past it lines are dropped and counted.
pub const BUFFERED_LINES: usize = 1024;

/// How long the end of a run waits for buffered lines to reach stderr.
const FLUSH_AT_EXIT: Duration = Duration::from_millis(200);

/// Counts shared by the callers, the writer thread and the exit flush.
#[derive(Debug, Default)]
struct Counts {
    /// Lines handed to the channel (including those it then dropped).
    sent: AtomicU64,
    /// Lines the writer thread has taken off the channel (written, or discarded while quiet).
    taken: AtomicU64,
    /// Dropped lines already reported on stderr.
    reported: AtomicUsize,
    /// stderr failed: nothing more is written.
    quiet: AtomicBool,
    /// `tracing-appender`'s count of lines it dropped because the channel was full; set once
    /// the channel exists.
    dropped: OnceLock<ErrorCounter>,
}

impl Counts {
    fn dropped(&self) -> usize {
        self.dropped.get().map_or(0, ErrorCounter::dropped_lines)
    }
}

/// The handle `init` returns: dropping it waits (briefly, bounded) for buffered lines to
/// reach stderr.
#[must_use = "dropping the handle flushes the logs; keep it until the end of the run"]
#[derive(Debug)]
pub struct Logging {
    counts: Arc<Counts>,
}

impl Logging {
    /// Lines dropped so far because stderr was full.
    pub fn dropped_lines(&self) -> usize {
        self.counts.dropped()
    }

    /// Wait up to `within` for every line sent so far to be written (or dropped) and for
    /// drops to be reported. Returns whether that happened in time.
    pub fn flush(&self, within: Duration) -> bool {
        let until = Instant::now() + within;
        loop {
            let c = &self.counts;
            let settled = c.taken.load(Ordering::Acquire) + c.dropped() as u64
                >= c.sent.load(Ordering::Acquire);
            let reported = c.quiet.load(Ordering::Acquire)
                || c.reported.load(Ordering::Acquire) >= c.dropped();
            if settled && reported {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for Logging {
    fn drop(&mut self) {
        self.flush(FLUSH_AT_EXIT);
    }
}

/// Install the global subscriber. `IBANFORGE_LOG` is one level (`off`, `error`, `warn`,
/// `info`, `debug`, `trace`; default `info`): a level filter rather than `EnvFilter`, whose
/// directive parser (and the regex engine behind it) cost start-up time and binary size for
/// no use here. Colours only when a person is watching.
pub fn init() -> Logging {
    let level = std::env::var("IBANFORGE_LOG")
        .ok()
        .and_then(|v| {
            v.trim()
                .parse::<tracing_subscriber::filter::LevelFilter>()
                .ok()
        })
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let counts = Arc::new(Counts::default());
    let (channel, worker) = NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(BUFFERED_LINES)
        .thread_name("ibanforge-log")
        .finish(StderrSink {
            counts: counts.clone(),
            reported: 0,
            pending: Vec::with_capacity(PENDING_BYTES),
            pending_lines: 0,
        });
    let _ = counts.dropped.set(channel.error_counter());
    // Never dropped: `WorkerGuard::drop` waits up to 1.1 s for a blocked stderr and then
    // `println!`s to stdout — the protocol channel. `Logging::flush` does the bounded wait
    // instead, and the writer thread ends with the process.
    std::mem::forget(worker);
    // Spans only when debugging: at `info` a line would only gain rmcp's `serve_inner:`, and
    // entering and leaving that span on every poll of every request costs the serving thread.
    let spans = level >= tracing_subscriber::filter::LevelFilter::DEBUG;
    let subscriber = tracing_subscriber::fmt()
        .with_writer(LineCounter {
            channel,
            counts: counts.clone(),
        })
        .with_ansi(io::stderr().is_terminal())
        .fmt_fields(super::log_fields::LogFields)
        .with_timer(super::log_time::LogTime)
        .with_target(false)
        .with_max_level(level)
        .finish()
        .with(tracing_subscriber::filter::filter_fn(move |meta| {
            spans || !meta.is_span()
        }));
    let _ = tracing::subscriber::set_global_default(subscriber);
    super::fault::log_panics();
    Logging { counts }
}

/// The writer `tracing` formats into: counts each line, then hands it to the channel.
struct LineCounter {
    channel: NonBlocking,
    counts: Arc<Counts>,
}

impl<'a> MakeWriter<'a> for LineCounter {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line {
            channel: self.channel.clone(),
            counts: self.counts.clone(),
        }
    }
}

/// One event's line. `tracing-subscriber` writes an event with a single `write_all`, and the
/// lossy channel accepts (or drops) the whole buffer in one `write`, so one call is one line.
struct Line {
    channel: NonBlocking,
    counts: Arc<Counts>,
}

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.counts.sent.fetch_add(1, Ordering::AcqRel);
        // Lossy mode never fails: a full channel drops the line and counts it.
        self.channel.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What the writer thread writes through: stderr, then — each time the channel has
/// drained — the count of lines dropped since the last report. Never returns an error, so
/// `tracing-appender`'s thread never reaches its own error paths.
struct StderrSink {
    counts: Arc<Counts>,
    /// Dropped lines reported so far (this thread's copy of `Counts::reported`).
    reported: usize,
    /// Lines taken off the channel and not yet written: written together when the channel
    /// has drained (or this much has gathered), one write for a burst of calls rather than
    /// one per line.
    pending: Vec<u8>,
    pending_lines: u64,
}

/// Most bytes gathered before writing them out.
const PENDING_BYTES: usize = 32 * 1024;

/// The writer thread's pause after each write. Each line sent to a parked writer thread
/// costs the serving thread a wake-up system call; pausing here (not parked, so not woken)
/// lets a burst of calls gather its lines for the next write: a few hundred wake-ups a
/// second at most instead of one per call. 2 ms of lines is far below the channel's bound
/// at any rate this server answers.
const WRITE_PACING: Duration = Duration::from_millis(2);

impl StderrSink {
    /// Write all of `bytes`, or go quiet for good when stderr is closed or broken.
    fn put(&self, mut bytes: &[u8]) {
        if self.counts.quiet.load(Ordering::Acquire) {
            return;
        }
        // `Stderr` is unbuffered; on a closed descriptor (EBADF) std reports success.
        let mut stderr = io::stderr();
        while !bytes.is_empty() {
            match stderr.write(bytes) {
                Ok(0) => break,
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // A non-blocking stderr someone else set up: as good as a blocked write,
                // and this thread is the only one that waits for it.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => {
                    // EPIPE, EIO, …: the reader is gone. Serving goes on without logs.
                    self.counts.quiet.store(true, Ordering::Release);
                    return;
                }
            }
        }
    }

    /// Write what has gathered; only then do its lines count as taken (the exit flush
    /// waits for that).
    fn put_pending(&mut self) {
        if !self.pending.is_empty() {
            self.put(&self.pending);
            self.pending.clear();
        }
        self.counts
            .taken
            .fetch_add(std::mem::take(&mut self.pending_lines), Ordering::AcqRel);
    }
}

impl Write for StderrSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.pending_lines += 1;
        if self.pending.len() >= PENDING_BYTES {
            self.put_pending();
        }
        Ok(buf.len())
    }

    /// Called by the writer thread each time it has emptied the channel: write what has
    /// gathered, and — stderr is keeping up again — say what was lost while it was not.
    fn flush(&mut self) -> io::Result<()> {
        let wrote = !self.pending.is_empty();
        self.put_pending();
        let dropped = self.counts.dropped();
        if dropped > self.reported {
            let lost = dropped - self.reported;
            // Written here, not through `tracing`: that would queue it behind the lines it
            // reports on, or drop it. Same shape as the other lines.
            let mut now = String::new();
            let _ = SystemTime.format_time(&mut Writer::new(&mut now));
            let line = format!(
                "{now}  WARN dropped {lost} log line{} because stderr was not read fast enough (answers were not affected)\n",
                if lost == 1 { "" } else { "s" }
            );
            self.put(line.as_bytes());
            self.reported = dropped;
            self.counts.reported.store(dropped, Ordering::Release);
        }
        if wrote {
            std::thread::sleep(WRITE_PACING);
        }
        Ok(())
    }
}
