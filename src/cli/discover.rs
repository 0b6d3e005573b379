//! `dialogue-wargame discover RESULTS_DIR --condition "..."`: the ranges of the parameters in
//! which a condition holds (scenario discovery with PRIM), read aloud.

use std::path::PathBuf;

use crate::analysis::PrimConfig;
use crate::error::{Error, Result};
use crate::interrupt;
use crate::output::{self, ResultsDir};
use crate::studies::discover::{self, trajectory_line};
use crate::studies::{condition, table::Table};

/// Arguments of `discover`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Reads a sweep's points (points.csv, results.csv: a point's value is its mean \
over the replications) or a run's replications.csv written with --per-replication (a point is \
one replication, its parameters the world draws), evaluates the condition at each point, and \
finds with PRIM (peeling, pasting; Friedman & Fisher 1999) a box of parameter ranges where it \
mostly holds. The box is printed as a sentence with its coverage (the share of the points \
where the condition holds that the box holds) and density (the share of the box's points where \
it holds); discovery.csv holds it and the whole peeling trajectory, to pick another point on \
the coverage-density trade-off. Takes well under a second for thousands of points.\n\n\
Conditions:\n  best = DESIGN                    the best design by the composite\n  \
best METRIC != DESIGN            by one metric (lowest, if lower is better)\n  \
A - B METRIC >= 0.1              a difference of two designs (the - alone)\n  \
A METRIC < 0.5                   one design's value\n  \
A beats B on METRIC [by 0.01]    better, in the metric's own direction\n\n\
Examples:\n  dialogue-wargame discover results/lhs --condition \"best = track-2\"\n  \
dialogue-wargame discover runs --condition \"best evacuation != status-quo\"\n  \
dialogue-wargame discover runs --condition \"track-2 evacuation >= 0.3\""
)]
pub struct Args {
    /// A results directory written by `sweep`, or by `run --per-replication`.
    pub results: PathBuf,
    /// The condition to explain (repeat for several; see below).
    #[arg(long, required = true)]
    pub condition: Vec<String>,
    /// The reported box is the densest with at least this coverage (0 to 1).
    #[arg(long, default_value_t = 0.8)]
    pub min_coverage: f64,
    /// Share of the box's points each peel removes (above 0, below 0.5).
    #[arg(long, default_value_t = 0.05)]
    pub peel_alpha: f64,
    /// Peeling stops before the box holds less than this share of the points (above 0, at
    /// most 1).
    #[arg(long, default_value_t = 0.05)]
    pub min_mass: f64,
    /// Results directory (default: a new results/NAME-discovery[-K], NAME the results read).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print only where the results were written.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn check_range(flag: &str, v: f64, ok: bool, expected: &str) -> Result<()> {
    if ok && v.is_finite() {
        Ok(())
    } else {
        Err(Error::usage(
            format!("--{flag} {v}: expected {expected}"),
            format!("leave --{flag} out for its default"),
        ))
    }
}

/// Run `discover`.
pub fn run(a: Args) -> Result<()> {
    check_range(
        "min-coverage",
        a.min_coverage,
        (0.0..=1.0).contains(&a.min_coverage),
        "a share from 0 to 1",
    )?;
    check_range(
        "peel-alpha",
        a.peel_alpha,
        a.peel_alpha > 0.0 && a.peel_alpha < 0.5,
        "a share above 0 and below 0.5",
    )?;
    check_range(
        "min-mass",
        a.min_mass,
        a.min_mass > 0.0 && a.min_mass <= 1.0,
        "a share above 0 and at most 1",
    )?;
    let table = Table::read(&a.results)?;
    let conditions = a
        .condition
        .iter()
        .map(|c| condition::parse(c, &table.designs))
        .collect::<Result<Vec<_>>>()?;
    let cfg = PrimConfig {
        peel_alpha: a.peel_alpha,
        paste_alpha: a.peel_alpha,
        min_mass: a.min_mass,
        min_coverage: a.min_coverage,
        ..PrimConfig::default()
    };
    let mut found = Vec::new();
    for c in &conditions {
        interrupt::check()?;
        found.push(discover::discover(&table, c, &cfg)?);
    }
    let dir = match &a.out {
        Some(p) => ResultsDir::create(p, a.force)?,
        None => {
            let name = a
                .results
                .file_name()
                .map_or("results".into(), |n| n.to_string_lossy().into_owned());
            ResultsDir::create_default(
                std::path::Path::new("results"),
                &format!("{name}-discovery"),
            )?
        }
    };
    let rows: Vec<_> = a
        .condition
        .iter()
        .zip(&found)
        .flat_map(|(text, d)| discover::rows(&table, text, d))
        .collect();
    output::write_csv(&dir.file("discovery.csv"), &rows, &discover::HEADER)?;
    discover::write_manifest(&dir, &a.results, &a.condition, &cfg, &table)?;
    let out = dir.commit()?;
    let what = match table.source {
        discover::Source::Sweep => "points",
        discover::Source::Replications => "replications",
    };
    super::to_stdout(|w| {
        if !a.quiet {
            for (text, d) in a.condition.iter().zip(&found) {
                let n = table.points.len();
                writeln!(
                    w,
                    "`{text}` holds at {} of {n} {what} ({:.1}%)",
                    d.hits(),
                    100.0 * d.hits() as f64 / n as f64
                )?;
                if d.hits() == 0 || d.hits() == n {
                    writeln!(
                        w,
                        "  {}: there is no range to find",
                        if d.hits() == 0 { "never" } else { "everywhere" }
                    )?;
                    continue;
                }
                if d.prim.pasted.restricted().is_empty() {
                    writeln!(
                        w,
                        "  no box covering at least {} of these {what} is denser than all of them; \
                         lower --min-coverage to see smaller boxes (the trajectory is in \
                         discovery.csv)",
                        a.min_coverage
                    )?;
                    continue;
                }
                writeln!(w, "  {}", discover::sentence(&table, &d.prim.pasted))?;
                writeln!(
                    w,
                    "  (peeling step {} of {}, then pasted; the whole trajectory is in \
                     discovery.csv)",
                    d.prim.chosen,
                    d.prim.trajectory.len() - 1
                )?;
                for (i, b) in d.prim.trajectory.iter().enumerate().skip(1) {
                    if i % (d.prim.trajectory.len() / 4).max(1) == 0 {
                        writeln!(w, "    box {i}: {}", trajectory_line(b))?;
                    }
                }
            }
        }
        writeln!(w, "results written to {}", out.display())
    })
}
