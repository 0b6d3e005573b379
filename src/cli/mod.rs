//! The command line: one module per command, each with its arguments and a `run` function.

mod completions;
mod discover;
mod explain;
mod guide;
mod init;
mod list;
mod man;
mod merge;
mod report;
mod rerun;
mod run;
mod sensitivity;
mod sweep;
mod tabletop;
mod usage;
mod validate;

use std::ffi::OsStr;
use std::io::{self, Write};

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::scenario::{self, Loaded, Override, BASELINE_TOML};

pub use usage::clap_error;

/// Compare designs of a Japan–Taiwan security dialogue in a Taiwan contingency by Monte Carlo
/// simulation.
#[derive(Debug, Parser)]
#[command(name = "dialogue-wargame", version, about, long_about = None)]
pub struct Cli {
    /// The command to run; none prints a short guide.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run replications of a scenario and write summary.csv, comparison.csv, best.csv,
    /// ladder.csv, table.txt, table.md and manifest.json (plus replications.csv with
    /// --per-replication, report.html with --report, results.xlsx with --xlsx).
    Run(Box<run::Args>),
    /// Run every point of an experiment file (a scenario with parameters varied over a
    /// factorial, Latin-hypercube, Sobol, Morris or one-at-a-time design) and write
    /// points.csv, results.csv and robustness.csv.
    Sweep(Box<sweep::Args>),
    /// Rank the parameters of an experiment that move each design's scores and the choice of
    /// design (Sobol, Morris, tornado), and what knowing each is worth: sensitivity.csv,
    /// voi.csv.
    Sensitivity(Box<sensitivity::Args>),
    /// Find the parameter ranges where a condition holds ("best = executive-2plus2") over a
    /// sweep's points or a run's replications (PRIM), as sentences: discovery.csv.
    Discover(Box<discover::Args>),
    /// Check scenario files without running them; exit 2 if any has a problem.
    Validate(validate::Args),
    /// List the built-in scenarios and the designs of a scenario, or (--keys) every key --set
    /// accepts.
    List(list::Args),
    /// Print a design's parameters, or one parameter's meaning, unit, range and value, with
    /// their provenance and the text of the sources they cite.
    Explain(explain::Args),
    /// Combine the shards of one run (`run --shard K/N`) or of one sweep (`sweep --shard
    /// K/N`) into the results of one run or sweep.
    Merge(merge::Args),
    /// Write NAME.toml, a commented variant of the baseline scenario that runs as written.
    Init(init::Args),
    /// Write report.html (charts and tables, self-contained), charts/*.svg and, with --xlsx,
    /// results.xlsx into a results directory.
    Report(report::Args),
    /// Play one replication of one design as a story, with injects and decisions, for a
    /// seminar; compare the run with the distribution and write a transcript.
    Tabletop(Box<tabletop::Args>),
    /// Reproduce a results directory from its manifest.json alone, into a new directory, and
    /// say whether the files are identical.
    Rerun(rerun::Args),
    /// Print a completion script for bash, zsh or fish.
    Completions(completions::Args),
    /// Print the manual page (roff), of the tool or of one command.
    Man(man::Args),
}

/// Run a parsed command line.
pub fn dispatch(cli: Cli) -> Result<()> {
    let Some(command) = cli.command else {
        return to_stdout(guide::write);
    };
    match command {
        Command::Run(a) => run::run(*a),
        Command::Sweep(a) => sweep::run(*a),
        Command::Sensitivity(a) => sensitivity::run(*a),
        Command::Discover(a) => discover::run(*a),
        Command::Validate(a) => validate::run(a),
        Command::List(a) => list::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Init(a) => init::run(a),
        Command::Report(a) => report::run(a),
        Command::Rerun(a) => rerun::run(a),
        Command::Tabletop(a) => tabletop::run(*a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
    }
}

/// A line for the user on stderr: a note, a warning, progress. A closed or full stderr loses
/// the line but changes nothing else (the exit code still tells).
pub(crate) fn note(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The command line for the manifest: an argument that is not UTF-8 (a path) is recorded
/// lossily (`\u{FFFD}` for the bytes that are not), never refused.
pub(crate) fn command_line() -> Vec<String> {
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// Parse `--set` arguments.
pub(crate) fn parse_overrides(raw: &[String]) -> Result<Vec<Override>> {
    raw.iter()
        .map(|s| Override::parse(s).map_err(Error::Usage))
        .collect()
}

/// Load the scenario named on the command line (see [`scenario::load_named`]), or (None) the
/// embedded baseline.
pub(crate) fn load_scenario<S: AsRef<OsStr> + ?Sized>(
    arg: Option<&S>,
    overrides: &[Override],
) -> Result<Loaded> {
    match arg {
        None => Ok(scenario::load_str(
            "<builtin baseline>",
            BASELINE_TOML,
            overrides,
        )?),
        Some(a) => Ok(scenario::load_named(a.as_ref(), overrides)?),
    }
}

/// Write to a locked standard output; a closed pipe (`dialogue-wargame list --keys | head -1`)
/// ends the output quietly, as a success.
pub(crate) fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::stdout(e)),
        Ok(()) => Ok(()),
    }
}
