//! `dialogue-wargame init NAME`: write NAME.toml, a commented variant of the baseline to edit.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::scenario::BUILTIN;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Write NAME.toml in the current directory: a scenario that extends the \
built-in baseline and changes two values, each with a comment saying what it means and what \
the baseline has, ready to validate and run as it is and to edit from there. An existing file \
is never overwritten (exit code 2). Costs nothing.",
    after_help = "Examples:\n  dialogue-wargame init my-variant\n  \
dialogue-wargame validate my-variant.toml\n  dialogue-wargame run my-variant.toml"
)]
pub struct Args {
    /// The new scenario's name: writes NAME.toml (or NAME, if it ends in .toml). The name
    /// also names its results directory, so it may hold letters, digits, '-', '_' and '.'.
    pub name: OsString,
}

/// The file `init` writes; `{name}` and `{file}` are filled in.
const TEMPLATE: &str = r#"# {name}: a variant of the built-in baseline scenario, written by `dialogue-wargame init`.
#
# A variant lists only what it changes; every other value comes from the baseline.
#   dialogue-wargame explain KEY       what a key means, its unit, range and sources
#   dialogue-wargame list --keys       every key a scenario can set
#   dialogue-wargame validate {file}   check this file without running it
#   dialogue-wargame run {file}        run it; the results go to results/{name}-seed2049
# The seed is the baseline's, so each design meets the same worlds as in a plain
# `dialogue-wargame run`: differences between the two runs come from the changes below.

[scenario]
extends = "baseline"    # start from the built-in baseline (`dialogue-wargame list` shows it)
name = "{name}"
description = "The baseline with a touchier Beijing and a shorter strategic warning."

# Every provocation Beijing notices is multiplied by its sensitivity: 1 is today's Beijing
# (the baseline), 0 an indifferent one, 2 twice as touchy. Here half as touchy again, which
# costs the more official designs more coercion.
[beijing]
sensitivity = 1.5

# Days of strategic warning before the crisis, drawn afresh in every replication. The
# baseline draws 3 to 60 days, most often 14; here 2 to 30, most often 7, which leaves less
# time to get Japanese nationals out.
[crisis]
warning_days = { dist = "triangular", min = 2, mode = 7, max = 30 }

# Next steps:
# - a design of your own: `dialogue-wargame explain trade-conference --toml` prints one as an
#   [[add_design]] block to paste below and edit;
# - one value changed without editing this file:
#   dialogue-wargame run {file} --set design.trade-conference.visibility=0.8
"#;

/// Run `init`.
pub fn run(a: Args) -> Result<()> {
    let mut path = PathBuf::from(&a.name);
    if path.extension().is_none_or(|e| e != "toml") {
        let mut with = a.name.clone();
        with.push(".toml");
        path = PathBuf::from(with);
    }
    let file = path.display().to_string();
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        })
        .ok_or_else(|| {
            Error::Usage(format!(
                "init {file}: `{}` cannot name a scenario; it names the results directory, so \
                 use letters, digits, '-', '_' and '.' only, e.g. `init my-variant`",
                path.file_stem().unwrap_or_default().to_string_lossy()
            ))
        })?;
    if BUILTIN.iter().any(|(b, _)| *b == name) {
        return Err(Error::Usage(format!(
            "init {file}: `{name}` is a built-in scenario's name, and its results would be \
             mistaken for the built-in's; choose another, e.g. `init my-{name}`"
        )));
    }
    let text = TEMPLATE.replace("{name}", name).replace("{file}", &file);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Usage(format!(
                "{file} exists, and init never overwrites a file; choose another name, or \
                 delete it first"
            )),
            std::io::ErrorKind::NotFound => Error::Usage(format!(
                "cannot create {file}: its directory does not exist"
            )),
            _ => Error::io(format!("cannot create {file}"), e),
        })?;
    if let Err(e) = f.write_all(text.as_bytes()).and_then(|()| f.sync_all()) {
        // Half a scenario is worse than none: the next `init` would refuse to replace it.
        drop(f);
        let _ = std::fs::remove_file(&path);
        return Err(Error::io(format!("cannot write {file}"), e));
    }
    super::to_stdout(|out| {
        writeln!(
            out,
            "wrote {file}: scenario `{name}`, the baseline with two values changed"
        )?;
        writeln!(out, "next: read and edit it, then")?;
        writeln!(out, "  dialogue-wargame validate {file}")?;
        writeln!(out, "  dialogue-wargame run {file}")
    })
}
