//! `dialogue-wargame list`: the built-in scenarios and a scenario's designs.

use crate::error::Result;
use crate::scenario::BUILTIN;

/// Arguments of `list`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  dialogue-wargame list\n  dialogue-wargame list scenarios/short-warning.toml"
)]
pub struct Args {
    /// Scenario whose designs to list (a path or built-in name; default: baseline).
    pub scenario: Option<String>,
}

/// Run `list`.
pub fn run(a: Args) -> Result<()> {
    println!("Built-in scenarios (run them by name, e.g. `dialogue-wargame run short-warning`):");
    for (name, text) in BUILTIN {
        let loaded = crate::scenario::load_str(name, text, &[])?;
        println!("  {name:<24} {}", loaded.scenario.description);
    }
    let loaded = super::load_scenario(a.scenario.as_deref(), &[])?;
    let sc = &loaded.scenario;
    println!();
    println!("Designs in {} (baseline: {}):", sc.name, sc.baseline);
    for d in &sc.designs {
        println!("  {:<22} {}", d.id, d.name);
    }
    Ok(())
}
