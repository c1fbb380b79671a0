//! What the operating system says about the session, and the way out: signals, the parent's
//! death, standard streams closed before start, and the hard exit deadline.
//!
//! Kept apart from the session logic, with no dependency on the rest of the crate (only
//! std, tokio, tracing and libc), so the per-platform `cfg` code stays small and can be
//! compiled for every target on its own.

use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::mpsc;

/// Exit status when stdout was closed or broken: 128 + SIGPIPE, what a shell shows for a
/// process killed by a broken pipe. Answers not yet written were lost.
pub const EXIT_OUTPUT_CLOSED: u8 = 141;

/// After a signal, a dead parent or a closed stdout: the process is gone by then, whatever
/// the graceful path is waiting on. Well under the 1 s clients give a server.
pub const STOP_DEADLINE: Duration = Duration::from_millis(700);
/// How often the parent watch looks at `getppid()` (Unix).
#[cfg(unix)]
const PARENT_POLL: Duration = Duration::from_millis(200);

/// The environment variable in which the npm launcher passes its own process id, so the
/// binary can watch it where there is no `getppid()` (Windows).
pub const LAUNCHER_PID_ENV: &str = "IBANFORGE_MCP_LAUNCHER_PID";

/// Why the session is ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// stdin closed: the client is done.
    InputClosed,
    /// A signal asked the process to stop.
    Signal(&'static str),
    /// The process that started this one is gone.
    ParentGone,
    /// stdout is closed or broken: nothing can be answered any more.
    OutputClosed,
}

impl Stop {
    /// The exit status for this ending (see the module table).
    pub fn exit_status(self) -> u8 {
        match self {
            Stop::OutputClosed => EXIT_OUTPUT_CLOSED,
            Stop::InputClosed | Stop::Signal(_) | Stop::ParentGone => 0,
        }
    }
}

/// Which standard streams were closed when the process started (now `/dev/null`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ClosedAtStart {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
}

static CLOSED_AT_START: OnceLock<ClosedAtStart> = OnceLock::new();
#[cfg(unix)]
static PARENT_AT_START: OnceLock<libc::pid_t> = OnceLock::new();

/// Call first thing in `main`, before anything opens a file or a socket.
///
/// - A standard stream the client closed is reopened on `/dev/null`: otherwise the next
///   descriptor opened (the runtime's epoll, an API socket) would take its number, and log
///   lines or answers would land in it.
/// - The parent's pid is noted as early as possible, for the parent watch's race check.
pub fn prepare() {
    #[cfg(unix)]
    {
        // SAFETY: getppid cannot fail.
        let _ = PARENT_AT_START.set(unsafe { libc::getppid() });
        let _ = CLOSED_AT_START.set(reopen_closed_standard_streams());
    }
    #[cfg(not(unix))]
    {
        // Windows gives a process without a standard handle a null one, which std treats as
        // a sink; nothing can take its place.
        let _ = CLOSED_AT_START.set(ClosedAtStart::default());
    }
}

/// What [`prepare`] found.
pub fn closed_at_start() -> ClosedAtStart {
    CLOSED_AT_START.get().copied().unwrap_or_default()
}

#[cfg(unix)]
fn reopen_closed_standard_streams() -> ClosedAtStart {
    let mut closed = [false; 3];
    for (fd, was_closed) in closed.iter_mut().enumerate() {
        let fd = fd as libc::c_int;
        // SAFETY: F_GETFD only reads the descriptor's flags.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1 {
            continue;
        }
        *was_closed = true;
        // SAFETY: a NUL-terminated path; `open` returns the lowest free descriptor, which is
        // `fd` because the ones below it are open (filled in order).
        let opened = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
        if opened >= 0 && opened != fd {
            // SAFETY: both descriptors are ours.
            unsafe {
                libc::dup2(opened, fd);
                libc::close(opened);
            }
        }
    }
    ClosedAtStart {
        stdin: closed[0],
        stdout: closed[1],
        stderr: closed[2],
    }
}

/// End the process now, with `status`, without running anything else (no destructors, no
/// flushing of blocked pipes).
fn exit_now(status: u8) -> ! {
    #[cfg(unix)]
    {
        // SAFETY: `_exit` ends the process; it never returns.
        unsafe { libc::_exit(i32::from(status)) }
    }
    #[cfg(not(unix))]
    {
        std::process::exit(i32::from(status))
    }
}

/// Exit with `status` after `after`, unless the process has ended by then.
pub fn arm_deadline(after: Duration, status: u8) {
    let spawned = std::thread::Builder::new()
        .name("ibanforge-deadline".into())
        .spawn(move || {
            std::thread::sleep(after);
            exit_now(status);
        });
    if spawned.is_err() {
        // No thread to wait on: leaving now is the only way to keep the promise.
        exit_now(status);
    }
}

/// Start the watch for signals and for the parent's death, on a thread of its own with its
/// own small runtime: it works even when the serving runtime is stuck. Each stop it sees
/// arms [`STOP_DEADLINE`] and is sent on the returned channel; a second signal exits at once.
///
/// The signal handlers are installed before this returns, so a signal sent as soon as the
/// server has answered anything is never met by the default action.
pub fn watch_for_stops() -> (mpsc::UnboundedSender<Stop>, mpsc::UnboundedReceiver<Stop>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let watch_tx = tx.clone();
    let started = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .and_then(|runtime| {
            let signals = {
                let _context = runtime.enter();
                Signals::install()?
            };
            std::thread::Builder::new()
                .name("ibanforge-watch".into())
                .spawn(move || runtime.block_on(watch(watch_tx, signals)))
        });
    if let Err(e) = started {
        tracing::warn!(
            "cannot watch for signals ({e}): they end the process abruptly; closing stdin ends it cleanly"
        );
    }
    #[cfg(windows)]
    watch_launcher_handle(tx.clone());
    (tx, rx)
}

/// Report `stop` to the serving side and arm the hard deadline.
fn stopping(tx: &mpsc::UnboundedSender<Stop>, stop: Stop) {
    arm_deadline(STOP_DEADLINE, stop.exit_status());
    let _ = tx.send(stop);
}

/// The signal streams, registered with the watch runtime (inside its context).
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
    /// The kernel's parent-death signal. SIGUSR2 rather than SIGTERM: Linux sends it when
    /// the *thread* that started us ends, which need not be the parent process, so it is
    /// only a hint to look at getppid() now.
    #[cfg(target_os = "linux")]
    parent_hint: tokio::signal::unix::Signal,
    #[cfg(windows)]
    ctrl_c: tokio::signal::windows::CtrlC,
}

impl Signals {
    fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
                hup: signal(SignalKind::hangup())?,
                #[cfg(target_os = "linux")]
                parent_hint: signal(SignalKind::user_defined2())?,
            })
        }
        #[cfg(windows)]
        {
            Ok(Self {
                ctrl_c: tokio::signal::windows::ctrl_c()?,
            })
        }
    }
}

#[cfg(unix)]
async fn watch(tx: mpsc::UnboundedSender<Stop>, mut signals: Signals) {
    #[cfg(target_os = "linux")]
    {
        // The setting belongs to the calling thread (the kernel looks at every thread of an
        // orphaned child), and this thread lives as long as the process.
        // SAFETY: PR_SET_PDEATHSIG takes a signal number; nothing else is touched.
        unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGUSR2) };
    }
    let parent_gone = || {
        // SAFETY: getppid cannot fail.
        let now = unsafe { libc::getppid() };
        now != *PARENT_AT_START.get_or_init(|| now)
    };
    let mut stopped = false;
    // Checked once right after asking for the signal: a parent that died before the request
    // was made sends nothing.
    if parent_gone() {
        stopping(&tx, Stop::ParentGone);
        stopped = true;
    }
    let mut poll = tokio::time::interval(PARENT_POLL);
    loop {
        #[cfg(target_os = "linux")]
        let hint = signals.parent_hint.recv();
        #[cfg(not(target_os = "linux"))]
        let hint = std::future::pending::<Option<()>>();
        let signal = tokio::select! {
            _ = signals.term.recv() => "SIGTERM",
            _ = signals.int.recv() => "SIGINT",
            _ = signals.hup.recv() => "SIGHUP",
            _ = hint => {
                if !stopped && parent_gone() {
                    stopping(&tx, Stop::ParentGone);
                    stopped = true;
                }
                continue;
            }
            _ = poll.tick() => {
                if !stopped && parent_gone() {
                    stopping(&tx, Stop::ParentGone);
                    stopped = true;
                }
                continue;
            }
        };
        if stopped {
            // Asked twice: the caller does not want to wait for the graceful path.
            exit_now(0);
        }
        stopping(&tx, Stop::Signal(signal));
        stopped = true;
    }
}

#[cfg(windows)]
async fn watch(tx: mpsc::UnboundedSender<Stop>, mut signals: Signals) {
    let mut stopped = false;
    while signals.ctrl_c.recv().await.is_some() {
        if stopped {
            exit_now(0);
        }
        stopping(&tx, Stop::Signal("Ctrl-C"));
        stopped = true;
    }
}

/// Windows has no `getppid()` and no parent-death signal: wait on the launcher's process
/// handle, whose pid the npm launcher passes in [`LAUNCHER_PID_ENV`]. A client that starts
/// the binary directly holds its pipes, so its death closes stdin and ends the session.
#[cfg(windows)]
fn watch_launcher_handle(tx: mpsc::UnboundedSender<Stop>) {
    use std::ffi::c_void;
    const SYNCHRONIZE: u32 = 0x0010_0000;
    const INFINITE: u32 = u32::MAX;
    const WAIT_OBJECT_0: u32 = 0;
    const ERROR_INVALID_PARAMETER: u32 = 87;
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn OpenProcess(desired_access: u32, inherit_handle: i32, process_id: u32) -> *mut c_void;
        fn WaitForSingleObject(handle: *mut c_void, milliseconds: u32) -> u32;
        fn GetLastError() -> u32;
    }
    let Some(pid) = std::env::var(LAUNCHER_PID_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
    else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("ibanforge-parent".into())
        .spawn(move || {
            // SAFETY: plain Win32 calls on a handle this thread owns until the process ends.
            let handle = unsafe { OpenProcess(SYNCHRONIZE, 0, pid) };
            let gone = if handle.is_null() {
                // No such process (any more); other failures (access denied) mean unknown.
                (unsafe { GetLastError() }) == ERROR_INVALID_PARAMETER
            } else {
                (unsafe { WaitForSingleObject(handle, INFINITE) }) == WAIT_OBJECT_0
            };
            if gone {
                stopping(&tx, Stop::ParentGone);
            }
        });
}
