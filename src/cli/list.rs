//! `dialogue-wargame list`: the built-in scenarios and a scenario's designs, or every key
//! `--set` accepts.

use std::io::{self, Write};

use crate::error::Result;
use crate::scenario::{printable, schema, BUILTIN};

/// Arguments of `list`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "List the built-in scenarios and the designs of a scenario (it loads each \
built-in scenario, which takes a moment). With --keys, list instead every key --set accepts, \
one per line in the schema's order: KEY, what it holds with its valid range, and its unit. \
Designs' keys are written design.ID.KEY; `dialogue-wargame explain KEY` gives a key's \
meaning, its value in a scenario and the sources behind it.",
    after_help = "Examples:\n  dialogue-wargame list\n  dialogue-wargame list scenarios/short-warning.toml\n  \
dialogue-wargame list --keys\n  dialogue-wargame list --keys | grep crisis.\n  \
dialogue-wargame list --json"
)]
pub struct Args {
    /// Scenario whose designs to list: a file (a path with a /, or a name ending in .toml) or
    /// a built-in name (default: baseline).
    pub scenario: Option<std::ffi::OsString>,
    /// List every key --set accepts, with its kind, valid range and unit.
    #[arg(long, conflicts_with = "scenario")]
    pub keys: bool,
    /// Print the list as JSON on stdout, for scripts: the built-in scenarios and the
    /// scenario's designs, or with --keys every key (docs/OUTPUTS.md).
    #[arg(long)]
    pub json: bool,
}

/// What `list --json` prints.
#[derive(serde::Serialize)]
struct Listing<'a> {
    /// The built-in scenarios.
    scenarios: Vec<ScenarioEntry<'a>>,
    /// The scenario whose designs are listed.
    scenario: String,
    /// Its baseline design.
    baseline: &'a str,
    /// Its designs, in file order.
    designs: Vec<DesignEntry<'a>>,
}

#[derive(serde::Serialize)]
struct ScenarioEntry<'a> {
    name: &'a str,
    description: &'a str,
}

#[derive(serde::Serialize)]
struct DesignEntry<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
}

/// What `list --keys --json` prints.
#[derive(serde::Serialize)]
struct Keys<'a> {
    keys: Vec<KeyEntry<'a>>,
}

/// One key, in the schema's order.
#[derive(serde::Serialize)]
struct KeyEntry<'a> {
    /// The key as `--set` takes it; designs' keys as `design.ID.KEY`.
    key: &'a str,
    /// What it holds, with its valid range.
    kind: String,
    /// Whether a scenario must set it (a variant inherits it from what it extends).
    required: bool,
    /// Its unit.
    unit: &'a str,
    /// What it means.
    meaning: &'a str,
}

/// Run `list`.
pub fn run(a: Args) -> Result<()> {
    if a.keys {
        let all = schema::keys();
        if a.json {
            let entries: Vec<KeyEntry<'_>> = all
                .iter()
                .map(|k| KeyEntry {
                    key: &k.key,
                    kind: k.kind.to_string(),
                    required: k.required,
                    unit: k.unit,
                    meaning: k.meaning,
                })
                .collect();
            return super::to_stdout(|out| {
                serde_json::to_writer_pretty(&mut *out, &Keys { keys: entries })?;
                writeln!(out)
            });
        }
        return super::to_stdout(|out| keys(out, &all));
    }
    let mut builtins = Vec::new();
    for (name, text) in BUILTIN {
        let loaded = crate::scenario::load_str(name, text, &[])?;
        builtins.push((*name, loaded.scenario.description));
    }
    let loaded = super::load_scenario(a.scenario.as_deref(), &[])?;
    let sc = &loaded.scenario;
    if a.json {
        let listing = Listing {
            scenarios: builtins
                .iter()
                .map(|(name, description)| ScenarioEntry { name, description })
                .collect(),
            scenario: sc.name.clone(),
            baseline: &sc.baseline,
            designs: sc
                .designs
                .iter()
                .map(|d| DesignEntry {
                    id: &d.id,
                    name: &d.name,
                    description: &d.description,
                })
                .collect(),
        };
        return super::to_stdout(|out| {
            serde_json::to_writer_pretty(&mut *out, &listing)?;
            writeln!(out)
        });
    }
    super::to_stdout(|out| {
        writeln!(
            out,
            "Built-in scenarios (run them by name, e.g. `dialogue-wargame run short-warning`):"
        )?;
        for (name, description) in &builtins {
            writeln!(out, "  {name:<24} {description}")?;
        }
        writeln!(out)?;
        writeln!(out, "Designs in {} (baseline: {}):", sc.name, sc.baseline)?;
        for d in &sc.designs {
            // A name is any text, a line break or an escape sequence included.
            let name = printable(&d.name).replace(['\n', '\t'], " ");
            writeln!(out, "  {:<22} {name}", d.id)?;
        }
        Ok(())
    })
}

/// One line per key: the key, what it holds, its unit; in columns.
fn keys(out: &mut dyn Write, keys: &[schema::Key]) -> io::Result<()> {
    let kinds: Vec<String> = keys
        .iter()
        .map(|k| {
            if k.required {
                k.kind.to_string()
            } else {
                format!("{}, optional", k.kind)
            }
        })
        .collect();
    let key_width = keys
        .iter()
        .map(|k| k.key.chars().count())
        .max()
        .unwrap_or(0);
    let kind_width = kinds.iter().map(|k| k.chars().count()).max().unwrap_or(0);
    for (k, kind) in keys.iter().zip(&kinds) {
        let line = format!("{:<key_width$}  {kind:<kind_width$}  {}", k.key, k.unit);
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
