//! `dialogue-wargame explain DESIGN`: a design's parameters with their provenance.

use std::io::{self, Write};

use crate::error::{Error, Result};
use crate::scenario::tree::{Entry, Node, Origin, Value};
use crate::scenario::{suggest, Loaded, Source};

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The provenance of each value is the comment written after it in the \
scenario file: the claim (C#) or fact (F#) it rests on and why that number.\n\n\
Example:\n  dialogue-wargame explain trade-conference"
)]
pub struct Args {
    /// Design id.
    pub design: String,
    /// Scenario (a path or built-in name; default: baseline).
    #[arg(long)]
    pub scenario: Option<std::ffi::OsString>,
    /// Print the design as a ready-to-paste [[add_design]] block, to start a variant from.
    #[arg(long)]
    pub toml: bool,
}

/// A value in TOML syntax.
fn toml_value(value: &Value) -> String {
    match value {
        Value::Str(s) => format!("{s:?}"),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|n| toml_value(&n.value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Table(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|e| format!("{} = {}", e.key, toml_value(&e.node.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => show(other),
    }
}

/// The comment after a value on its line, if any.
fn trailing_comment(sources: &[Source], origin: &Origin) -> String {
    let Origin::File { source, span } = origin else {
        return "set on the command line".into();
    };
    let Some(src) = sources.get(*source) else {
        return String::new();
    };
    let rest = src.text.get(span.end..).unwrap_or("");
    let line = rest.lines().next().unwrap_or("");
    match line.find('#') {
        Some(i) => line[i + 1..].trim().to_string(),
        None => String::new(),
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|n| show(&n.value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Table(_) => "{..}".into(),
        Value::Datetime => "datetime".into(),
    }
}

/// Run `explain`.
pub fn run(a: Args) -> Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref(), &[])?;
    let designs = match loaded.tree.get("design").map(|n| &n.value) {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let id_of = |n: &Node| match n.get("id").map(|v| &v.value) {
        Some(Value::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let Some(node) = designs.iter().find(|n| id_of(n) == a.design) else {
        let ids: Vec<String> = designs.iter().map(id_of).collect();
        let hint = suggest(&a.design, ids.iter().map(String::as_str))
            .map(|s| format!(" Did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "no design `{}` in scenario {}; designs: {}.{hint}",
            a.design,
            loaded.scenario.name,
            ids.join(", ")
        )));
    };
    let entries = node.entries().unwrap_or(&[]);
    let mut out = std::io::stdout().lock();
    print(&mut out, &a, &loaded, entries)
        .and_then(|()| out.flush())
        .map_err(Error::stdout)
}

fn print(out: &mut dyn Write, a: &Args, loaded: &Loaded, entries: &[Entry]) -> io::Result<()> {
    if a.toml {
        writeln!(
            out,
            "# Paste into a scenario file that starts with [scenario] extends = \"baseline\","
        )?;
        writeln!(
            out,
            "# then give it a new id and change what you want to test."
        )?;
        writeln!(out, "[[add_design]]")?;
        for e in entries {
            let line = format!("{} = {}", e.key, toml_value(&e.node.value));
            let why = trailing_comment(&loaded.sources, &e.node.origin);
            if why.is_empty() {
                writeln!(out, "{line}")?;
            } else {
                writeln!(out, "{line:<30} # {why}")?;
            }
        }
        return Ok(());
    }
    let width = entries.iter().map(|e| e.key.len()).max().unwrap_or(0);
    let vwidth = entries
        .iter()
        .map(|e| show(&e.node.value).chars().count().min(40))
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "design {} in scenario {}",
        a.design, loaded.scenario.name
    )?;
    for e in entries {
        let v = show(&e.node.value);
        let why = trailing_comment(&loaded.sources, &e.node.origin);
        if v.chars().count() > 40 {
            writeln!(out, "  {:<width$}  {v}", e.key)?;
            if !why.is_empty() {
                writeln!(out, "  {:<width$}  {:<vwidth$}  # {why}", "", "")?;
            }
        } else if why.is_empty() {
            writeln!(out, "  {:<width$}  {v}", e.key)?;
        } else {
            writeln!(out, "  {:<width$}  {v:<vwidth$}  # {why}", e.key)?;
        }
    }
    Ok(())
}
