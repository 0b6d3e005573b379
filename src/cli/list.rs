//! `dialogue-wargame list`: the built-in scenarios and a scenario's designs.

use std::io::Write;

use crate::error::{Error, Result};
use crate::scenario::BUILTIN;

/// Arguments of `list`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  dialogue-wargame list\n  dialogue-wargame list scenarios/short-warning.toml"
)]
pub struct Args {
    /// Scenario whose designs to list (a path or built-in name; default: baseline).
    pub scenario: Option<std::ffi::OsString>,
}

/// Run `list`.
pub fn run(a: Args) -> Result<()> {
    let builtins = BUILTIN
        .iter()
        .map(|(name, text)| Ok((name, crate::scenario::load_str(name, text, &[])?)))
        .collect::<Result<Vec<_>>>()?;
    let loaded = super::load_scenario(a.scenario.as_deref(), &[])?;
    let sc = &loaded.scenario;
    let mut out = std::io::stdout().lock();
    let mut print = || -> std::io::Result<()> {
        writeln!(
            out,
            "Built-in scenarios (run them by name, e.g. `dialogue-wargame run short-warning`):"
        )?;
        for (name, loaded) in &builtins {
            writeln!(out, "  {name:<24} {}", loaded.scenario.description)?;
        }
        writeln!(out)?;
        writeln!(out, "Designs in {} (baseline: {}):", sc.name, sc.baseline)?;
        for d in &sc.designs {
            writeln!(out, "  {:<22} {}", d.id, d.name)?;
        }
        out.flush()
    };
    print().map_err(Error::stdout)
}
