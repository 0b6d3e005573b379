//! The library's one error type, and the exit codes it maps to.

use crate::scenario::{printable, LoadError};

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code for a failure while running (I/O, a full disk, a bug).
pub const EXIT_RUNTIME: i32 = 1;
/// Exit code for bad input: a scenario file, a flag, an override, a results directory in the way.
pub const EXIT_INPUT: i32 = 2;
/// Exit code after an interrupt (Ctrl-C, SIGTERM).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Everything that can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario that does not load; carries every problem found.
    #[error("{0}")]
    Scenario(#[from] LoadError),
    /// A bad flag or argument: the text after `error: `, with its `help:` lines (see
    /// [`Error::usage`]); several problems are separated by lines starting with `error: `.
    /// Shown with control characters escaped: it may quote what the user typed.
    #[error("{}", printable(.0))]
    Usage(String),
    /// An I/O failure, with what was being done.
    #[error("{}: {source}", printable(.context))]
    Io {
        /// What was being done, naming the file.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A CSV failure.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// A JSON failure.
    #[error("{context}: {source}")]
    Json {
        /// What was being done, naming the file.
        context: String,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// The run was interrupted; nothing was written.
    #[error("interrupted; no results directory was written")]
    Interrupted,
    /// Interrupted, with what was kept (the tabletop's transcript so far).
    #[error("interrupted; {}", printable(.0))]
    Stopped(String),
    /// `--strict`: a `--precision` target was not met (the results were written).
    #[error("{0}")]
    TargetNotMet(String),
}

impl Error {
    /// Bad input from a flag or argument, in the one style of every diagnostic: `what` says
    /// what was wrong (starting with the flag or file it concerns), `help` how to fix it.
    /// `main` prints it as `error: WHAT` then `  help: HELP`.
    pub fn usage(what: impl std::fmt::Display, help: impl std::fmt::Display) -> Error {
        Error::Usage(format!("{what}\n  help: {help}"))
    }

    /// Wrap an I/O error with context.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// A failure to write to standard output (a closed pipe, a full disk).
    pub fn stdout(source: std::io::Error) -> Error {
        Error::io("cannot write to standard output", source)
    }

    /// Whether this is a write to a pipe whose reader has gone (`dialogue-wargame list | head
    /// -1`): not a failure, and `main` exits quietly with code 0, as ripgrep does.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Usage(_) => EXIT_INPUT,
            Error::Interrupted | Error::Stopped(_) => EXIT_INTERRUPTED,
            Error::Io { .. } | Error::Csv(_) | Error::Json { .. } | Error::TargetNotMet(_) => {
                EXIT_RUNTIME
            }
        }
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;
