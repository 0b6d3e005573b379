//! `dialogue-wargame sweep EXPERIMENT`: every point of an experiment, with common random
//! numbers, to one results directory (points.csv, results.csv, robustness.csv).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::ProgressDrawTarget;

use crate::error::Result;
use crate::explore::experiment;
use crate::explore::sweep::{self, Prepared, SweepOptions};
use crate::explore::{self, Hooks};
use crate::interrupt;
use crate::output::{self, fmt_num, ResultsDir};

use super::run::{progress_bar, show_progress, thread_count, threads};

/// Replications of the first point `--plan` times to measure the cost.
const PLAN_SAMPLE: u64 = 500;

/// Arguments of `sweep`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Runs each point of the experiment (a scenario with the parameters' values \
set) for the experiment's replications, every point and design on the same worlds (replication r \
of every point uses the world key of the seed and r), and writes points.csv, results.csv, \
robustness.csv, experiment.toml and manifest.json (docs/EXPERIMENTS.md). Costs what the runs \
cost: about 5 microseconds of CPU per design and replication of the baseline, so a 200-point \
Latin hypercube × 8 designs × 2,000 replications (3.2 million design-replications) took 41 s on \
two busy cores (15 s of CPU); --plan measures it on your machine before anything runs. Memory \
grows with the points (about 16 KB each), not the replications.\n\n\
Examples:\n  dialogue-wargame sweep scenarios/experiments/sensitivity-by-warning.toml --plan\n  \
dialogue-wargame sweep scenarios/experiments/sensitivity-by-warning.toml\n  \
dialogue-wargame sweep scenarios/experiments/uncertainty-lhs.toml --shard 1/2 --out s1\n  \
dialogue-wargame merge s1 s2 --out all"
)]
pub struct Args {
    /// The experiment file (TOML; examples in scenarios/experiments/).
    pub experiment: PathBuf,
    /// Say how many points, runs and design-replications the sweep has, and roughly how long
    /// it will take (measured on a few hundred replications of its first point), and stop.
    #[arg(long)]
    pub plan: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j', allow_negative_numbers = true, value_parser = thread_count)]
    pub threads: Option<usize>,
    /// Results directory (default: a new results/EXPERIMENT-seedSEED[-K], or
    /// results/EXPERIMENT-shardKofN-seedSEED[-K] with --shard).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists (the old results stay until the new ones are complete).
    #[arg(long)]
    pub force: bool,
    /// Run only the K-th of N disjoint ranges of the points (K from 1); combine the shards
    /// with `dialogue-wargame merge`.
    #[arg(long, value_name = "K/N", allow_hyphen_values = true)]
    pub shard: Option<String>,
    /// Continue an interrupted sweep of the same command: run only the points it had not
    /// finished.
    #[arg(long)]
    pub resume: bool,
    /// No progress bar and no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Also write report.html (response curves, regret) and charts/*.svg, as `report DIR` does.
    #[arg(long)]
    pub report: bool,
    /// Also write results.xlsx, an Excel workbook of the sweep's tables.
    #[arg(long)]
    pub xlsx: bool,
}

/// Run `sweep`.
pub fn run(a: Args) -> Result<()> {
    // Signals are polled from here on (per replication in the engine), so that an
    // interrupted sweep keeps its finished points for --resume.
    let _cooperative = interrupt::cooperative();
    let started_at = output::now_rfc3339();
    let exp = experiment::read(&a.experiment)?;
    let prepared = sweep::prepare(exp)?;
    let threads = threads(a.threads)?;
    let pool = explore::thread_pool(threads)?;
    let shard = match &a.shard {
        Some(spec) => Some(explore::shard_range(
            spec,
            prepared.points.len() as u64,
            "points",
        )?),
        None => None,
    };
    if a.plan {
        return plan(&prepared, shard.as_ref(), &pool, threads);
    }
    interrupt::check()?;
    let name = match &shard {
        Some((k, n, _)) => format!("{}-shard{k}of{n}", prepared.exp.name),
        None => prepared.exp.name.clone(),
    };
    let root = std::path::Path::new("results");
    let default_name = output::default_name(&name, prepared.seed, &[]);
    let dir = if a.resume {
        let target = match &a.out {
            Some(p) => p.clone(),
            None => output::resumable_out_dir(root, &default_name)
                .unwrap_or_else(|| root.join(&default_name)),
        };
        match ResultsDir::resume(&target, a.force)? {
            Some(dir) => dir,
            None => {
                super::to_stdout(|out| writeln!(out, "results written to {}", target.display()))?;
                return Ok(());
            }
        }
    } else {
        match &a.out {
            Some(p) => ResultsDir::create(p, a.force)?,
            None => ResultsDir::create_default(root, &default_name)?,
        }
    };
    let points = shard
        .as_ref()
        .map_or(prepared.points.len() as u64, |(_, _, r)| r.end - r.start);
    let bar = progress_bar(points * prepared.exp.replications);
    let started = Instant::now();
    let progress = |k: u64| {
        if started.elapsed().as_secs_f64() > 1.0 && bar.is_hidden() && show_progress(a.quiet) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.inc(k);
    };
    let hooks = Hooks {
        progress: &progress,
        // The bar steps aside for the line and comes back, as it does for a resumed run.
        note: &|line| bar.suspend(|| super::note(line)),
        quiet: a.quiet,
    };
    let options = SweepOptions {
        prepared: &prepared,
        shard: shard.clone(),
        pool: &pool,
        started_at,
        command_line: super::command_line(),
        documents: crate::report::Documents {
            html: a.report,
            xlsx: a.xlsx,
        },
    };
    let result = sweep::execute(&options, dir, &hooks);
    bar.finish_and_clear();
    let (out, outcome) = result?;
    super::to_stdout(|w| {
        if !a.quiet {
            writeln!(
                w,
                "{} points × {} replications × {} designs in {:.2} s ({} run now)",
                outcome.points,
                prepared.exp.replications,
                prepared.ids.len(),
                outcome.wall,
                outcome.points_run
            )?;
            print_robustness(w, &outcome.robustness)?;
        }
        writeln!(w, "results written to {}", out.display())
    })
}

/// The robustness table: each design's regret over the points, and the minimax choice.
pub(crate) fn print_robustness(
    w: &mut dyn Write,
    rows: &[crate::output::sweep::RobustnessRow],
) -> std::io::Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let width = rows
        .iter()
        .map(|r| r.design.len())
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        w,
        "regret on {} over {} points (best design's mean minus the design's, at each point):",
        first.metric.name(),
        first.points
    )?;
    write!(
        w,
        "{:<width$}  {:>11}  {:>11}  {:>10}",
        "design", "mean regret", "max regret", "share best"
    )?;
    for (m, _) in &first.meets {
        write!(w, "  {:>14}", format!("meets {}", m.name()))?;
    }
    writeln!(w)?;
    for r in rows {
        write!(
            w,
            "{:<width$}  {:>11}  {:>11}  {:>10}",
            r.design,
            fmt_num(round4(r.mean_regret)),
            fmt_num(round4(r.max_regret)),
            fmt_num(round4(r.share_best))
        )?;
        for (_, v) in &r.meets {
            write!(w, "  {:>14}", fmt_num(round4(*v)))?;
        }
        writeln!(w)?;
    }
    if let Some(best) = rows.iter().find(|r| r.minimax) {
        writeln!(
            w,
            "smallest maximum regret: {} ({} at worst)",
            best.design,
            fmt_num(round4(best.max_regret))
        )?;
    }
    Ok(())
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// `--plan`: the sweep's size and its cost, measured on the first point.
fn plan(
    p: &Prepared,
    shard: Option<&explore::Shard>,
    pool: &rayon::ThreadPool,
    threads: usize,
) -> Result<()> {
    let e = &p.exp;
    let points = shard.map_or(p.points.len() as u64, |(_, _, r)| r.end - r.start);
    let runs = points.saturating_mul(e.replications);
    let design_reps = runs.saturating_mul(p.ids.len() as u64);
    let sample = PLAN_SAMPLE.min(e.replications);
    let cost = p.measure(sample, pool)?;
    interrupt::check()?;
    let seconds = cost.load * points as f64 + cost.per_design_replication * design_reps as f64;
    super::to_stdout(|w| {
        writeln!(
            w,
            "experiment {}: {} over {} parameter{}, {} scenario{}",
            e.path.display(),
            e.sampling.name(),
            e.parameters.len(),
            if e.parameters.len() == 1 { "" } else { "s" },
            e.scenarios.len(),
            if e.scenarios.len() == 1 { "" } else { "s" },
        )?;
        if let Some((k, n, r)) = shard {
            writeln!(
                w,
                "shard {k}/{n}: points {} to {}",
                r.start,
                r.end.saturating_sub(1)
            )?;
        }
        writeln!(
            w,
            "points: {points}; replications per point: {} (seed {}); designs: {}",
            e.replications,
            p.seed,
            p.ids.len()
        )?;
        writeln!(
            w,
            "runs: {runs} point-replications, {design_reps} design-replications"
        )?;
        writeln!(
            w,
            "measured on point 0: {:.2} microseconds per design-replication on {threads} \
             thread{} ({sample} replications), {:.1} ms to load a point's scenario",
            cost.per_design_replication * 1e6,
            if threads == 1 { "" } else { "s" },
            cost.load * 1e3
        )?;
        writeln!(w, "estimate: about {}", duration(seconds))
    })
}

/// Seconds for a person: `0.4 s`, `3 min 20 s`, `2 h 5 min`.
fn duration(s: f64) -> String {
    if !s.is_finite() {
        return "unknown".into();
    }
    if s < 60.0 {
        format!("{s:.1} s")
    } else if s < 3600.0 {
        format!("{} min {} s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else {
        format!(
            "{} h {} min",
            (s / 3600.0) as u64,
            ((s % 3600.0) / 60.0) as u64
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_as_a_person_would_say_them() {
        assert_eq!(super::duration(0.44), "0.4 s");
        assert_eq!(super::duration(200.0), "3 min 20 s");
        assert_eq!(super::duration(7500.0), "2 h 5 min");
    }
}
