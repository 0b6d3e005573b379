//! `dialogue-wargame validate FILE...`: check scenarios without running them.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every problem in every file is reported at once, each with its file, \
line, column and key path. Exit code 0 if all files are valid, 2 if any is not.\n\n\
Example:\n  dialogue-wargame validate scenarios/*.toml"
)]
pub struct Args {
    /// Scenarios: files (a path with a /, or a name ending in .toml) or built-in names.
    #[arg(required = true)]
    pub files: Vec<std::ffi::OsString>,
    /// Validate as if these overrides were given: KEY.PATH=VALUE.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Run `validate`.
pub fn run(a: Args) -> Result<()> {
    let overrides = super::parse_overrides(&a.set)?;
    let mut failures = Vec::new();
    let mut out = std::io::stdout().lock();
    // Every file is checked even if stdout has gone: the exit code is the answer.
    let mut printed = Ok(());
    for f in &a.files {
        match super::load_scenario(Some(f), &overrides) {
            Ok(l) if printed.is_ok() => {
                printed = writeln!(
                    out,
                    "{}: ok ({} designs, baseline {}, sha256 {})",
                    Path::new(f).display(),
                    l.scenario.designs.len(),
                    l.scenario.baseline,
                    l.sha256.get(..16).unwrap_or(&l.sha256)
                );
            }
            Ok(_) => {}
            Err(e) => failures.push(e.to_string()),
        }
    }
    if failures.is_empty() {
        printed.and_then(|()| out.flush()).map_err(Error::stdout)
    } else {
        Err(Error::Usage(failures.join("\nerror: ")))
    }
}
