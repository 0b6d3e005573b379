//! `dialogue-wargame run`: replications of a scenario, in parallel, to a results directory.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::Plan;
use crate::error::{Error, Result};
use crate::metric::{self, METRICS};
use crate::output::{self, fmt_num, Manifest, ReplicationWriter, ResultsDir};
use crate::scenario::{suggest, MAX_REPLICATIONS};

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Costs about 1.5 ms of CPU per replication of the baseline's eight \
designs; memory does not grow with replications unless --per-replication is given, which \
writes about 100 bytes per replication and design.\n\n\
Examples:\n  dialogue-wargame run\n  dialogue-wargame run scenarios/short-warning.toml --replications 50000\n  \
dialogue-wargame run --set beijing.sensitivity=0 --set design.trade-conference.visibility=0.8\n  \
dialogue-wargame run --design trade-conference --design executive-2plus2 --per-replication --out results/pair"
)]
pub struct Args {
    /// Scenario file or built-in name (default: the embedded baseline).
    pub scenario: Option<String>,
    /// Number of replications (default: the scenario's).
    #[arg(long, short = 'n')]
    pub replications: Option<u64>,
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Results directory (default: a new results/SCENARIO-seedSEED[-K]).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists (the old results stay until the new ones are complete).
    #[arg(long)]
    pub force: bool,
    /// Run only these designs (repeatable); the baseline is always included.
    #[arg(long = "design", value_name = "ID")]
    pub designs: Vec<String>,
    /// The design the others are compared against (default: the scenario's).
    #[arg(long)]
    pub baseline: Option<String>,
    /// Also write replications.csv, one row per replication and design.
    #[arg(long)]
    pub per_replication: bool,
    /// Change a scenario value: KEY.PATH=VALUE, e.g. beijing.sensitivity=0 or
    /// design.trade-conference.visibility=0.8 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Count the replications meeting a threshold: METRIC=VALUE (repeatable), e.g. evacuation=0.9.
    #[arg(long = "threshold", value_name = "METRIC=VALUE")]
    pub thresholds: Vec<String>,
    /// Weights of the composite: info_exchange=1,evacuation=1,rear_area=1,backlash=1.
    #[arg(long, value_name = "NAME=W,...")]
    pub weights: Option<String>,
    /// No progress bar and no results table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn parse_pair(flag: &str, s: &str) -> Result<(String, String)> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(Error::Usage(format!(
            "{flag} {s}: expected NAME=VALUE, e.g. {flag} evacuation=0.9"
        ))),
    }
}

/// Run `run`.
pub fn run(a: Args) -> Result<()> {
    let mut raw_sets = a.set.clone();
    if let Some(w) = &a.weights {
        for part in w.split(',') {
            let (k, v) = parse_pair("--weights", part)?;
            raw_sets.push(format!("weights.{k}={v}"));
        }
    }
    let overrides = super::parse_overrides(&raw_sets)?;
    let loaded = super::load_scenario(a.scenario.as_deref(), &overrides)?;
    let sc = &loaded.scenario;

    // Thresholds: the scenario's, replaced metric by metric by --threshold.
    let mut thresholds: Vec<Option<f64>> = METRICS
        .iter()
        .map(|m| sc.thresholds.iter().find(|(n, _)| n == m.name).map(|t| t.1))
        .collect();
    for t in &a.thresholds {
        let (name, value) = parse_pair("--threshold", t)?;
        let Some(m) = metric::index(&name) else {
            let hint = suggest(&name, metric::names())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "--threshold {t}: `{name}` is not a metric{hint} Metrics: {}",
                metric::names().collect::<Vec<_>>().join(", ")
            )));
        };
        let v: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--threshold {t}: expected a finite number after `=`"
                ))
            })?;
        thresholds[m] = Some(v);
    }

    // Designs and baseline.
    let find = |id: &str, flag: &str| -> Result<usize> {
        sc.design_index(id).ok_or_else(|| {
            let hint = suggest(id, sc.designs.iter().map(|d| d.id.as_str()))
                .map(|s| format!(" Did you mean `{s}`?"))
                .unwrap_or_default();
            Error::Usage(format!(
                "{flag} {id}: no such design in scenario {}.{hint} Designs: {}",
                sc.name,
                sc.designs
                    .iter()
                    .map(|d| d.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    };
    let baseline_id = a.baseline.clone().unwrap_or_else(|| sc.baseline.clone());
    let baseline_index = find(&baseline_id, "--baseline")?;
    let mut selected: Vec<usize> = if a.designs.is_empty() {
        (0..sc.designs.len()).collect()
    } else {
        let mut v = Vec::new();
        for id in &a.designs {
            let i = find(id, "--design")?;
            if !v.contains(&i) {
                v.push(i);
            }
        }
        v
    };
    if !selected.contains(&baseline_index) {
        selected.insert(0, baseline_index);
    }
    let baseline = selected
        .iter()
        .position(|&d| d == baseline_index)
        .unwrap_or(0);
    let ids: Vec<String> = selected.iter().map(|&d| sc.designs[d].id.clone()).collect();

    let replications = a.replications.unwrap_or(sc.replications);
    if replications == 0 || replications > MAX_REPLICATIONS {
        return Err(Error::Usage(format!(
            "--replications {replications}: expected a whole number from 1 to {MAX_REPLICATIONS}"
        )));
    }
    let seed = a.seed.unwrap_or(sc.seed);
    let threads = match a.threads {
        Some(0) => {
            return Err(Error::Usage(
                "--threads 0: expected at least 1 thread (leave it away to use every core)".into(),
            ))
        }
        Some(t) if t > 1024 => {
            return Err(Error::Usage(format!(
                "--threads {t}: expected at most 1024"
            )))
        }
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };

    let target = match &a.out {
        Some(p) => p.clone(),
        None => output::default_out_dir(std::path::Path::new("results"), &sc.name, seed),
    };
    let dir = ResultsDir::create(&target, a.force)?;

    let plan = Plan::new(sc, selected, baseline, seed, thresholds);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("--threads {threads}: cannot start threads: {e}")))?;

    let bar = progress_bar(replications, a.quiet);
    let started = Instant::now();
    let mut acc = plan.accumulator();
    let mut writer = if a.per_replication {
        Some(ReplicationWriter::create(
            &dir.file("replications.csv"),
            ids.clone(),
        )?)
    } else {
        None
    };
    let mut sink = |rep: u64, s: &[crate::model::Scores]| match writer.as_mut() {
        Some(w) => w.write(rep, s),
        None => Ok(()),
    };
    let progress = |k: u64| {
        if started.elapsed().as_secs_f64() > 1.0 && bar.is_hidden() && show_progress(a.quiet) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.inc(k);
    };
    let rows: Option<&mut (dyn FnMut(u64, &[crate::model::Scores]) -> std::io::Result<()> + Send)> =
        if a.per_replication {
            Some(&mut sink)
        } else {
            None
        };
    let finished = pool
        .install(|| {
            plan.run(
                0..replications,
                &mut acc,
                rows,
                &progress,
                &crate::interrupted,
            )
        })
        .map_err(|e| {
            Error::io(
                format!("cannot write {}", dir.file("replications.csv").display()),
                e,
            )
        })?;
    bar.finish_and_clear();
    if !finished {
        return Err(Error::Interrupted);
    }
    if let Some(w) = writer {
        w.finish()?;
    }
    let wall = started.elapsed().as_secs_f64();

    output::write_all(&dir, &acc, &ids)?;
    let manifest = Manifest {
        tool: "dialogue-wargame",
        version: env!("CARGO_PKG_VERSION"),
        scenario: sc.name.clone(),
        scenario_sources: loaded.sources.iter().map(|s| s.name.clone()).collect(),
        scenario_sha256: loaded.sha256.clone(),
        seed,
        replications,
        first_replication: 0,
        designs: ids.clone(),
        baseline: ids[baseline].clone(),
        overrides: raw_sets,
        command_line: std::env::args().collect(),
        wall_seconds: (wall * 1000.0).round() / 1000.0,
    };
    output::write_manifest(&dir.file("manifest.json"), &manifest)?;
    let out = dir.commit()?;

    if !a.quiet {
        print_table(&acc, &ids, replications, wall);
    }
    println!("results written to {}", out.display());
    Ok(())
}

fn show_progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

fn progress_bar(total: u64, _quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {bar:40} {pos}/{len} replications  {per_sec}  eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn print_table(acc: &crate::stats::RunAccumulator, ids: &[String], n: u64, wall: f64) {
    let cols = [
        "info_exchange",
        "evacuation",
        "rear_area",
        "backlash",
        "composite",
    ];
    let idx: Vec<usize> = cols.iter().filter_map(|c| metric::index(c)).collect();
    let comp = metric::index("composite").unwrap_or(0);
    let width = ids.iter().map(|s| s.len()).max().unwrap_or(6).max(6);
    println!(
        "{n} replications in {wall:.1} s; means with 95% half-widths, P(best) on the composite"
    );
    print!("{:<width$}", "design");
    for c in cols {
        print!("  {c:>20}");
    }
    println!("  {:>8}", "P(best)");
    for (d, id) in ids.iter().enumerate() {
        print!("{id:<width$}");
        for &m in &idx {
            let mo = &acc.metric(d, m).moments;
            let (mean, _, lo, hi) = crate::stats::mean_interval(mo);
            let half = (hi - lo) / 2.0;
            let cell = if half.is_finite() {
                format!("{} ±{}", fmt_num(round4(mean)), fmt_num(round4(half)))
            } else {
                fmt_num(round4(mean))
            };
            print!("  {cell:>20}");
        }
        println!("  {:>8}", fmt_num(round4(acc.p_best(d, comp))));
    }
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}
