//! Interrupts: Ctrl-C, SIGTERM and SIGHUP, and how a command stops within a second.
//!
//! The signal handler does no work itself; what a signal does depends on the command:
//!
//! - **By default a signal ends the process at once** with exit code 130, as if no handler were
//!   installed. A short command (`list`, `validate`, `explain`) needs no code to be
//!   interruptible, and a new command is never deaf to Ctrl-C by accident.
//! - **A command that has something to clean up or to save** enters a [`Cooperative`]
//!   section. There the first signal only sets a flag, which the work polls: the engine
//!   polls it once per replication (an atomic load, against tens of microseconds of model
//!   work), `merge` between files and per block it copies. The command then keeps what is
//!   worth keeping (a checkpoint of the finished replications), removes the rest, and returns
//!   [`Error::Interrupted`] (exit code 130).
//! - **A second signal ends the process at once**, in case the cleanup itself hangs (a
//!   stalled network disk). Every file is written so that an abrupt end leaves the old
//!   version or the new one (see `output`), so this loses at most the work since the last
//!   checkpoint.
//!
//! Wall time never decides what a result is, only when work is saved; see `cli/run.rs`.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, Result, EXIT_INTERRUPTED};

/// Set by the first signal inside a cooperative section; polled by the work.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Whether a cooperative section is open (signals then only set the flag).
static COOPERATIVE: AtomicBool = AtomicBool::new(false);
/// Signals received so far.
static SIGNALS: AtomicU32 = AtomicU32::new(0);

/// Install the handler for SIGINT, SIGTERM and SIGHUP. Called once, by `main`. Without it (the
/// library used from tests or another program) signals keep their default action.
pub fn install() {
    // If a handler cannot be installed, signals keep their default action (immediate exit),
    // which is the safe fallback.
    let _ = ctrlc::set_handler(on_signal);
}

fn on_signal() {
    let earlier = SIGNALS.fetch_add(1, Ordering::SeqCst);
    if COOPERATIVE.load(Ordering::SeqCst) && earlier == 0 {
        INTERRUPTED.store(true, Ordering::SeqCst);
        return;
    }
    let why = if earlier == 0 {
        "interrupted"
    } else {
        "interrupted again; stopping at once"
    };
    let _ = writeln!(std::io::stderr(), "error: {why}");
    std::process::exit(EXIT_INTERRUPTED);
}

/// Mark the process as interrupted, as the first signal in a cooperative section does.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether an interrupt has been received. Cheap enough to call per replication.
#[inline]
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// `Err(Error::Interrupted)` once an interrupt has been received: `interrupt::check()?` between
/// steps of work that has nothing to save.
pub fn check() -> Result<()> {
    if interrupted() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// A section in which signals are polled instead of ending the process; see the module docs.
/// Signals end the process at once again when it is dropped.
#[must_use = "the section ends when the guard is dropped"]
pub struct Cooperative(());

/// Open a cooperative section: until the guard is dropped, the first signal only sets the flag
/// that [`interrupted`] reads. Whoever opens one must poll at least every second or so.
pub fn cooperative() -> Cooperative {
    COOPERATIVE.store(true, Ordering::SeqCst);
    // A signal that arrived just before the section opened ended the process; one that
    // arrives from now on is seen by the poll.
    Cooperative(())
}

impl Drop for Cooperative {
    fn drop(&mut self) {
        COOPERATIVE.store(false, Ordering::SeqCst);
    }
}

/// Sleep for `d`, waking every 10 ms to poll for an interrupt.
pub fn sleep(d: Duration) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < d {
        check()?;
        std::thread::sleep(Duration::from_millis(10).min(d.saturating_sub(start.elapsed())));
    }
    check()
}

/// **Test hook, not a feature.** If the environment variable `DIALOGUE_WARGAME_TEST_PAUSE`
/// names `point` (a comma-separated list), pause there for up to a minute, polling for an
/// interrupt, so that a test can deliver a signal while a fast command is at that point.
/// Unset, it costs one environment lookup per call; callers call it a few times per command.
pub fn test_pause(point: &str) -> Result<()> {
    let Some(points) = std::env::var_os("DIALOGUE_WARGAME_TEST_PAUSE") else {
        return Ok(());
    };
    if points
        .to_string_lossy()
        .split(',')
        .any(|p| p.trim() == point)
    {
        sleep(Duration::from_secs(60))?;
    }
    Ok(())
}
