//! `dialogue-wargame validate FILE...`: check scenarios without running them.

use crate::error::{Error, Result};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every problem in every file is reported at once, each with its file, \
line, column and key path. Exit code 0 if all files are valid, 2 if any is not.\n\n\
Example:\n  dialogue-wargame validate scenarios/*.toml"
)]
pub struct Args {
    /// Scenario files (paths or built-in names).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Validate as if these overrides were given: KEY.PATH=VALUE.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Run `validate`.
pub fn run(a: Args) -> Result<()> {
    let overrides = super::parse_overrides(&a.set)?;
    let mut failures = Vec::new();
    for f in &a.files {
        match super::load_scenario(Some(f), &overrides) {
            Ok(l) => println!(
                "{f}: ok ({} designs, baseline {}, sha256 {})",
                l.scenario.designs.len(),
                l.scenario.baseline,
                &l.sha256[..16]
            ),
            Err(e) => failures.push(e.to_string()),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(failures.join("\n")))
    }
}
