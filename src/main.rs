//! The binary: parse arguments, dispatch, map errors to exit codes. All logic is in the library.

#![warn(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use dialogue_wargame::cli::{clap_error, dispatch, Cli};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout with code 0; usage errors (code 2) are said
            // like every other diagnostic. A closed or full stream only loses the text.
            match clap_error(&e) {
                Some(text) => {
                    let _ = writeln!(std::io::stderr(), "error: {text}");
                }
                None => {
                    let _ = e.print();
                }
            }
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    // Ctrl-C, SIGTERM and SIGHUP: see `interrupt` (exit code 130 within a second).
    dialogue_wargame::interrupt::install();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output has gone (`list | head -1`): nothing is wrong.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            // If stderr is closed or full too, the exit code is all that is left to say.
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
