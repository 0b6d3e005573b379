//! `dialogue-wargame sensitivity EXPERIMENT`: which parameters move each design's scores and
//! the choice of design, and what knowing each would be worth.

use std::path::PathBuf;
use std::time::Instant;

use indicatif::ProgressDrawTarget;

use crate::error::{Error, Result};
use crate::explore::experiment::{self, Sampling};
use crate::explore::{self, sweep};
use crate::interrupt;
use crate::output::{self, ResultsDir};
use crate::studies::sensitivity;

use super::run::{progress_bar, show_progress, thread_count, threads};

/// Arguments of `sensitivity`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Runs the experiment's points as `sweep` does (common random numbers, the \
same cost: about 5 microseconds of CPU per design and replication, so the shipped \
sobol-drivers.toml, 160 points × 300 replications × 8 designs, took 8 seconds on two busy \
cores) and ranks the parameters by the method the experiment's sampling allows: Sobol first- \
and total-order indices with bootstrap intervals (sampling.method = \"sobol\"), Morris \
elementary effects (\"morris\"), a tornado (\"one-at-a-time\", or --tornado with any design), \
first-order indices from given data (\"latin-hypercube\", \"factorial\"). Outputs: every \
design's every metric, and the choice (the regret of the design best on average). Writes \
sensitivity.csv and voi.csv (the value of knowing each parameter before choosing) beside \
points.csv, results.csv and robustness.csv (docs/EXPERIMENTS.md). Interrupted, it writes \
nothing.\n\n\
Examples:\n  dialogue-wargame sensitivity scenarios/experiments/morris-screening.toml\n  \
dialogue-wargame sensitivity scenarios/experiments/tornado.toml -j 2\n  \
dialogue-wargame sensitivity results/uncertainty-lhs-seed2049 --out drivers\n  \
dialogue-wargame sensitivity my-experiment.toml --tornado --out drivers"
)]
pub struct Args {
    /// The experiment file (TOML; examples in scenarios/experiments/), or the results
    /// directory of a finished sweep, to analyse without running anything.
    pub experiment: PathBuf,
    /// Also run a one-at-a-time tornado of the same parameters (each at its low and high
    /// value, the others at base) when the experiment's own design is not one.
    #[arg(long)]
    pub tornado: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j', allow_negative_numbers = true, value_parser = thread_count)]
    pub threads: Option<usize>,
    /// Results directory (default: a new results/EXPERIMENT-sensitivity-seedSEED[-K]).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists (the old results stay until the new ones are complete).
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Run `sensitivity`.
pub fn run(a: Args) -> Result<()> {
    let _cooperative = interrupt::cooperative();
    let started_at = output::now_rfc3339();
    if a.experiment.is_dir() {
        return from_sweep(&a, &started_at);
    }
    let exp = experiment::read(&a.experiment)?;
    if exp.parameters.is_empty() {
        return Err(Error::usage(
            format!(
                "{}: varies no parameter; sensitivity needs at least one [[parameter]]",
                a.experiment.display()
            ),
            "add [[parameter]] tables (docs/EXPERIMENTS.md), or use `sweep` to compare scenarios",
        ));
    }
    let tornado = if a.tornado && exp.sampling != Sampling::OneAtATime {
        let mut t = exp.clone();
        t.sampling = Sampling::OneAtATime;
        Some(sweep::prepare(t)?)
    } else {
        None
    };
    let prepared = sweep::prepare(exp)?;
    let pool = explore::thread_pool(threads(a.threads)?)?;
    interrupt::check()?;
    let dir = out_dir(&a, &prepared.exp.name, prepared.seed)?;
    let points = prepared.points.len() + tornado.as_ref().map_or(0, |t| t.points.len());
    let bar = progress_bar(points as u64 * prepared.exp.replications);
    let started = Instant::now();
    let progress = |k: u64| {
        if started.elapsed().as_secs_f64() > 1.0 && bar.is_hidden() && show_progress(a.quiet) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.inc(k);
    };
    let result = sensitivity::execute(
        &prepared,
        tornado.as_ref(),
        dir,
        &pool,
        &progress,
        &started_at,
        &super::command_line(),
    );
    bar.finish_and_clear();
    let Some(report) = result? else {
        super::note(format_args!(
            "interrupted; no results directory was written (sensitivity keeps no partial points)"
        ));
        return Err(Error::Interrupted);
    };
    let head = format!(
        "{} points × {} replications × {} designs in {:.2} s",
        report.points,
        prepared.exp.replications,
        prepared.ids.len(),
        report.wall
    );
    print(&a, &head, &report)
}

/// The results directory: --out, or results/NAME-sensitivity-seedSEED[-K].
fn out_dir(a: &Args, name: &str, seed: u64) -> Result<ResultsDir> {
    match &a.out {
        Some(p) => ResultsDir::create(p, a.force),
        None => ResultsDir::create_default(
            std::path::Path::new("results"),
            &output::default_name(&format!("{name}-sensitivity"), seed, &[]),
        ),
    }
}

/// `sensitivity RESULTS_DIR`: a finished sweep's points, analysed without running.
fn from_sweep(a: &Args, started_at: &str) -> Result<()> {
    if a.tornado {
        return Err(Error::usage(
            "--tornado runs new points, and a results directory holds only the sweep's",
            "give the experiment file instead of its results to add a tornado",
        ));
    }
    let m = output::sweep::read_sweep_manifest(&a.experiment.join("manifest.json"))?;
    let name = std::path::Path::new(&m.experiment)
        .file_stem()
        .map_or("sweep".into(), |s| s.to_string_lossy().into_owned());
    let dir = out_dir(a, &name, m.seed)?;
    let report = sensitivity::from_sweep(&a.experiment, dir, started_at, &super::command_line())?;
    let head = format!(
        "{} points of {} (seed {}), analysed without running",
        report.points,
        a.experiment.display(),
        m.seed
    );
    print(a, &head, &report)
}

fn print(a: &Args, head: &str, report: &sensitivity::Report) -> Result<()> {
    super::to_stdout(|w| {
        if !a.quiet {
            writeln!(w, "{head}")?;
            for line in report.summary.iter().chain(&report.voi) {
                writeln!(w, "{line}")?;
            }
        }
        writeln!(w, "results written to {}", report.dir.display())
    })
}
