//! `dialogue-wargame run`: replications of a scenario, in parallel, to a results directory.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::{Plan, RowSink, BATCH_CHUNKS, CHUNK};
use crate::error::{Error, Result};
use crate::metric::{self, METRICS};
use crate::output::{
    self, fmt_num, Checkpoint, Manifest, PrecisionResult, ReplicationWriter, ResultsDir,
    RunIdentity, CHECKPOINT,
};
use crate::scenario::{suggest, Override, MAX_REPLICATIONS};
use crate::stats::RunAccumulator;

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Costs about 40 microseconds of CPU per replication of the baseline's \
eight designs (10,000 replications take a fraction of a second on two cores). Memory stays flat \
whatever the number of replications; --per-replication streams about 100 bytes per replication \
and design to disk.\n\n\
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
    /// Results directory (default: a new results/SCENARIO-seedSEED[-K], or
    /// results/SCENARIO-shardKofN-seedSEED[-K] with --shard).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists (the old results stay until the new ones are complete).
    #[arg(long)]
    pub force: bool,
    /// Run only these designs (repeatable), in this order in the outputs; the baseline is
    /// always included (first, if not named).
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
    /// Weights of the composite: e.g. info_exchange=1,evacuation=2,rear_area=1,backlash=0.5
    /// (also backlash_scale, the backlash points worth one unit of penalty).
    #[arg(long, value_name = "NAME=W,...")]
    pub weights: Option<String>,
    /// Keep adding batches of --replications until a target is met: METRIC=HALFWIDTH (every
    /// design's 95% interval of the mean at most that half-width) or `ranking` (the best design
    /// on the composite ahead of the runner-up at the 99% level, which allows for looking after
    /// every batch). Repeatable; all must be met.
    #[arg(long = "precision", value_name = "METRIC=HALFWIDTH|ranking")]
    pub precision: Vec<String>,
    /// Upper limit of replications with --precision (default: 10 × --replications).
    #[arg(long, value_name = "N")]
    pub max_replications: Option<u64>,
    /// Run only the K-th of N disjoint ranges of the replications (K from 1); combine the
    /// shards with `dialogue-wargame merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Continue an interrupted run of the same command from its last checkpoint.
    #[arg(long)]
    pub resume: bool,
    /// Seconds between checkpoints (0: after every batch of 16,384 replications).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub checkpoint_every: f64,
    /// No progress bar and no results table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// A precision target.
#[derive(Clone, Debug)]
enum Target {
    HalfWidth { metric: usize, half: f64 },
    Ranking,
}

fn parse_target(s: &str) -> Result<Target> {
    if s.trim() == "ranking" {
        return Ok(Target::Ranking);
    }
    let (name, value) = parse_pair("--precision", s)?;
    let metric = metric::index(&name).ok_or_else(|| {
        let hint = suggest(&name, metric::names())
            .map(|g| format!(" Did you mean `{g}`?"))
            .unwrap_or_default();
        Error::Usage(format!(
            "--precision {s}: `{name}` is not a metric.{hint} Expected METRIC=HALFWIDTH or ranking"
        ))
    })?;
    let half: f64 = value
        .parse()
        .ok()
        .filter(|h: &f64| h.is_finite() && *h > 0.0)
        .ok_or_else(|| {
            Error::Usage(format!(
                "--precision {s}: expected a half-width > 0 after `=`"
            ))
        })?;
    Ok(Target::HalfWidth { metric, half })
}

fn evaluate(t: &Target, raw: &str, acc: &RunAccumulator, ids: &[String]) -> PrecisionResult {
    match *t {
        Target::HalfWidth { metric, half } => {
            let (worst, who) = (0..ids.len())
                .map(|d| {
                    let (_, _, lo, hi) =
                        crate::stats::mean_interval(&acc.metric(d, metric).moments);
                    let h = (hi - lo) / 2.0;
                    (if h.is_finite() { h } else { f64::INFINITY }, d)
                })
                .fold((0.0, 0), |a, b| if b.0 > a.0 { b } else { a });
            PrecisionResult {
                target: raw.to_string(),
                met: worst <= half,
                achieved: worst,
                detail: format!(
                    "largest 95% half-width of {} is {} ({}), target {}",
                    METRICS[metric].name,
                    fmt_num(worst),
                    ids[who],
                    fmt_num(half)
                ),
            }
        }
        // The run looks at the interval after every batch, and stopping at the first look that
        // clears zero would exaggerate significance; so the stop needs the 99% interval to
        // clear zero, while the 95% interval is what is reported.
        Target::Ranking => match acc.ranking() {
            Some((best, second, diff)) => {
                let (mean, se, lo, hi) = crate::stats::mean_interval(&diff);
                let lo99 = mean - crate::stats::Z995 * se;
                PrecisionResult {
                    target: raw.to_string(),
                    met: lo99 > 0.0,
                    achieved: lo99,
                    detail: format!(
                        "composite: {} minus runner-up {} is {} with 95% interval [{}, {}]; \
                         the stop needs the 99% interval's low end > 0 (it is {})",
                        ids[best],
                        ids[second],
                        fmt_num(mean),
                        fmt_num(lo),
                        fmt_num(hi),
                        fmt_num(lo99)
                    ),
                }
            }
            None => PrecisionResult {
                target: raw.to_string(),
                met: true,
                achieved: f64::NAN,
                detail: "one design: nothing to rank".into(),
            },
        },
    }
}

/// Parse `K/N` into a 0-based range of `total` replications.
fn shard_range(spec: &str, total: u64) -> Result<(u64, u64, std::ops::Range<u64>)> {
    let bad = || {
        Error::Usage(format!(
            "--shard {spec}: expected K/N with 1 <= K <= N <= replications, e.g. --shard 2/8"
        ))
    };
    let (k, n) = spec.split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || k > n || n > total {
        return Err(bad());
    }
    let start = ((k - 1) as u128 * total as u128 / n as u128) as u64;
    let end = (k as u128 * total as u128 / n as u128) as u64;
    Ok((k, n, start..end))
}

fn parse_pair(flag: &str, s: &str) -> Result<(String, String)> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(Error::Usage(format!(
            "{flag} {s}: expected NAME=VALUE, e.g. {flag} {}",
            if flag == "--weights" {
                "evacuation=2,backlash=0.5"
            } else {
                "evacuation=0.9"
            }
        ))),
    }
}

/// `--set` arguments, plus those `--weights` stands for: the overrides, and their KEY=VALUE
/// texts for the manifest.
fn override_args(a: &Args) -> Result<(Vec<Override>, Vec<String>)> {
    let mut overrides = super::parse_overrides(&a.set)?;
    let mut raw_sets = a.set.clone();
    if let Some(w) = &a.weights {
        const KEYS: [&str; 5] = [
            "info_exchange",
            "evacuation",
            "rear_area",
            "backlash",
            "backlash_scale",
        ];
        for part in w.split(',') {
            let (k, v) = parse_pair("--weights", part)?;
            if !KEYS.contains(&k.as_str()) {
                let hint = suggest(&k, KEYS.iter().copied())
                    .map(|s| format!(" Did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "--weights {w}: `{k}` is not a weight.{hint} Weights: {}",
                    KEYS.join(", ")
                )));
            }
            let raw = format!("weights.{k}={v}");
            let ov = Override::parse(&raw)
                .map_err(Error::Usage)?
                .shown_as(format!("--weights {w}"));
            overrides.push(ov);
            raw_sets.push(raw);
        }
    }
    Ok((overrides, raw_sets))
}

/// Thresholds per metric: the scenario's, replaced metric by metric by `--threshold`.
fn thresholds(sc: &crate::scenario::Scenario, flags: &[String]) -> Result<Vec<Option<f64>>> {
    let mut thresholds: Vec<Option<f64>> = METRICS
        .iter()
        .map(|m| sc.thresholds.iter().find(|(n, _)| n == m.name).map(|t| t.1))
        .collect();
    for t in flags {
        let (name, value) = parse_pair("--threshold", t)?;
        let Some(m) = metric::index(&name) else {
            let hint = suggest(&name, metric::names())
                .map(|s| format!(" Did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "--threshold {t}: `{name}` is not a metric.{hint} Metrics: {}",
                metric::names().collect::<Vec<_>>().join(", ")
            )));
        };
        let (lo, hi) = metric::valid_range(&METRICS[m]);
        let v: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= lo && *v <= hi)
            .ok_or_else(|| {
                let range = match (lo.is_finite(), hi.is_finite()) {
                    (true, true) => format!(" in [{lo}, {hi}] (a share: write 0.9 for 90%)"),
                    (true, false) => format!(" >= {lo}"),
                    _ => String::new(),
                };
                Error::Usage(format!(
                    "--threshold {t}: expected a finite number{range} after `=`"
                ))
            })?;
        thresholds[m] = Some(v);
    }

    Ok(thresholds)
}

/// The designs to run (indices into the scenario, in output order) and the baseline's
/// position among them.
fn select_designs(sc: &crate::scenario::Scenario, a: &Args) -> Result<(Vec<usize>, usize)> {
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
        // Every comparison needs the baseline, so it always runs.
        selected.insert(0, baseline_index);
    }
    let baseline = selected
        .iter()
        .position(|&d| d == baseline_index)
        .unwrap_or(0);

    Ok((selected, baseline))
}

/// Worker threads: `--threads`, or every core.
fn threads(flag: Option<usize>) -> Result<usize> {
    Ok(match flag {
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
    })
}

/// Run `run`.
pub fn run(a: Args) -> Result<()> {
    let (overrides, raw_sets) = override_args(&a)?;
    let loaded = super::load_scenario(a.scenario.as_deref(), &overrides)?;
    let sc = &loaded.scenario;

    let thresholds = thresholds(sc, &a.thresholds)?;
    let (selected, baseline) = select_designs(sc, &a)?;
    let ids: Vec<String> = selected.iter().map(|&d| sc.designs[d].id.clone()).collect();

    let replications = a.replications.unwrap_or(sc.replications);
    if replications == 0 || replications > MAX_REPLICATIONS {
        return Err(Error::Usage(format!(
            "--replications {replications}: expected a whole number from 1 to {MAX_REPLICATIONS}"
        )));
    }
    let targets: Vec<(Target, String)> = a
        .precision
        .iter()
        .map(|raw| parse_target(raw).map(|t| (t, raw.clone())))
        .collect::<Result<_>>()?;
    let max_replications = a
        .max_replications
        .unwrap_or_else(|| replications.saturating_mul(10).min(MAX_REPLICATIONS));
    if max_replications < replications || max_replications > MAX_REPLICATIONS {
        return Err(Error::Usage(format!(
            "--max-replications {max_replications}: expected a number from --replications \
             ({replications}) to {MAX_REPLICATIONS}"
        )));
    }
    let shard = match &a.shard {
        Some(spec) if !targets.is_empty() => {
            return Err(Error::Usage(format!(
                "--shard {spec} cannot be combined with --precision: a shard cannot know when \
                 the whole run is precise enough"
            )))
        }
        Some(spec) => Some(shard_range(spec, replications)?),
        None => None,
    };
    let seed = a.seed.unwrap_or(sc.seed);
    let threads = threads(a.threads)?;

    if !(a.checkpoint_every >= 0.0 && a.checkpoint_every.is_finite()) {
        return Err(Error::Usage(format!(
            "--checkpoint-every {}: expected a number of seconds >= 0",
            a.checkpoint_every
        )));
    }
    if a.max_replications.is_some() && targets.is_empty() {
        return Err(Error::Usage(
            "--max-replications only applies with --precision; use --replications to set the \
             number of replications"
                .into(),
        ));
    }
    let name = match &shard {
        Some((k, n, _)) => format!("{}-shard{k}of{n}", sc.name),
        None => sc.name.clone(),
    };
    let root = std::path::Path::new("results");
    let dir = if a.resume {
        let target = match &a.out {
            Some(p) => p.clone(),
            None => output::resumable_out_dir(root, &name, seed)
                .unwrap_or_else(|| root.join(format!("{name}-seed{seed}"))),
        };
        match ResultsDir::resume(&target, a.force)? {
            Some(dir) => dir,
            // The interrupted run had finished; completing its commit was all there was to do.
            None => {
                println!("results written to {}", target.display());
                return Ok(());
            }
        }
    } else {
        match &a.out {
            Some(p) => ResultsDir::create(p, a.force)?,
            None => ResultsDir::create_default(root, &format!("{name}-seed{seed}"))?,
        }
    };

    let threshold_list: Vec<String> = thresholds
        .iter()
        .zip(METRICS.iter())
        .filter_map(|(t, m)| t.map(|v| format!("{}={}", m.name, fmt_num(v))))
        .collect();
    let plan = Plan::new(sc, selected, baseline, seed, thresholds);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("--threads {threads}: cannot start threads: {e}")))?;

    let first = shard.as_ref().map_or(0, |(_, _, r)| r.start);
    let first_end = shard.as_ref().map_or(replications, |(_, _, r)| r.end);
    let limit = if targets.is_empty() {
        first_end
    } else {
        max_replications
    };
    let identity = RunIdentity {
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_sha256: loaded.sha256.clone(),
        seed,
        designs: ids.clone(),
        baseline: ids[baseline].clone(),
        thresholds: threshold_list.clone(),
        replications,
        limit,
        shard: shard.as_ref().map(|(k, n, _)| format!("{k}/{n}")),
        precision: a.precision.clone(),
        per_replication: a.per_replication,
    };
    let checkpoint = if dir.file(CHECKPOINT).exists() {
        let cp = output::read_checkpoint(&dir.file(CHECKPOINT))?;
        if let Some(what) = cp.identity.difference(&identity) {
            return Err(Error::Usage(format!(
                "--resume: the interrupted run in {} was a different run ({what} differs); \
                 repeat its exact command with --resume, or pass --force to start over",
                dir.work_dir().display()
            )));
        }
        let rows_len = std::fs::metadata(dir.file("replications.csv")).map_or(0, |m| m.len());
        let consistent = first <= cp.done
            && cp.done <= cp.end
            && cp.end <= limit
            && cp.acc.replications() == cp.done - first
            && (!a.per_replication || cp.rows_bytes <= rows_len);
        if !consistent {
            return Err(Error::Usage(format!(
                "--resume: the checkpoint in {} is damaged (its counts do not add up); pass \
                 --force to start over",
                dir.work_dir().display()
            )));
        }
        Some(cp)
    } else {
        None
    };
    let (mut acc, mut done, mut end, mut writer) = match checkpoint {
        Some(cp) => {
            let writer = if a.per_replication {
                Some(ReplicationWriter::resume(
                    &dir.file("replications.csv"),
                    ids.clone(),
                    cp.rows_bytes,
                )?)
            } else {
                None
            };
            (cp.acc, cp.done, cp.end, writer)
        }
        None => {
            let writer = if a.per_replication {
                Some(ReplicationWriter::create(
                    &dir.file("replications.csv"),
                    ids.clone(),
                )?)
            } else {
                None
            };
            (plan.accumulator(), first, first_end, writer)
        }
    };
    if dir.resumed() && !a.quiet {
        eprintln!("resuming at replication {done}");
    }

    let bar = progress_bar(limit - first);
    bar.set_position(done - first);
    let started = Instant::now();
    let progress = |k: u64| {
        if started.elapsed().as_secs_f64() > 1.0 && bar.is_hidden() && show_progress(a.quiet) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.inc(k);
    };
    let step = CHUNK * BATCH_CHUNKS as u64;
    let mut last_checkpoint = Instant::now();
    let mut results;
    let mut looks = 0u64;
    loop {
        while done < end {
            let step_end = (done + step).min(end);
            let mut sink = |rep: u64, s: &[crate::model::Scores]| match writer.as_mut() {
                Some(w) => w.write(rep, s),
                None => Ok(()),
            };
            let rows: Option<RowSink<'_>> = if a.per_replication {
                Some(&mut sink)
            } else {
                None
            };
            let finished = pool
                .install(|| {
                    plan.run(
                        done..step_end,
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
            if !finished {
                bar.finish_and_clear();
                if dir.file(CHECKPOINT).exists() {
                    eprintln!(
                        "interrupted; the work up to the last checkpoint is kept in {}: repeat \
                         the command with --resume to continue",
                        dir.work_dir().display()
                    );
                }
                return Err(Error::Interrupted);
            }
            done = step_end;
            if done < limit && last_checkpoint.elapsed().as_secs_f64() >= a.checkpoint_every {
                let rows_bytes = match writer.as_mut() {
                    Some(w) => w.flushed_len()?,
                    None => 0,
                };
                output::write_checkpoint(
                    &dir.file(CHECKPOINT),
                    &Checkpoint {
                        identity: identity.clone(),
                        done,
                        end,
                        rows_bytes,
                        acc: acc.clone(),
                    },
                )?;
                last_checkpoint = Instant::now();
            }
        }
        results = targets
            .iter()
            .map(|(t, raw)| evaluate(t, raw, &acc, &ids))
            .collect::<Vec<_>>();
        looks += 1;
        if results.iter().all(|r| r.met) || done >= limit {
            break;
        }
        end = (done + replications).min(limit);
    }
    bar.finish_and_clear();
    if let Some(w) = writer {
        w.finish()?;
    }
    let wall = started.elapsed().as_secs_f64();

    output::write_all(&dir, &acc, &ids)?;
    if shard.is_some() {
        output::write_state(&dir.file("state.json"), &acc)?;
    }
    let manifest = Manifest {
        tool: "dialogue-wargame".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario: sc.name.clone(),
        scenario_sources: loaded.sources.iter().map(|s| s.name.clone()).collect(),
        scenario_sha256: loaded.sha256.clone(),
        seed,
        replications: done - first,
        first_replication: first,
        total_replications: if shard.is_some() { replications } else { done },
        shard: shard.as_ref().map(|(k, n, _)| format!("{k}/{n}")),
        designs: ids.clone(),
        baseline: ids[baseline].clone(),
        thresholds: threshold_list,
        overrides: raw_sets,
        precision: results.clone(),
        command_line: std::env::args().collect(),
        wall_seconds: (wall * 1000.0).round() / 1000.0,
    };
    output::write_manifest(&dir.file("manifest.json"), &manifest)?;
    let out = dir.commit()?;

    if !a.quiet {
        print_table(&acc, &ids, done - first, wall);
        for r in &results {
            let verdict = if r.met { "met" } else { "NOT met" };
            println!(
                "precision {}: {verdict} after {} replications ({looks} batches checked); {}",
                r.target, done, r.detail
            );
        }
    }
    println!("results written to {}", out.display());
    Ok(())
}

fn show_progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40} {human_pos}/{human_len} replications, {elapsed} elapsed, eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

pub(super) fn print_table(acc: &RunAccumulator, ids: &[String], n: u64, wall: f64) {
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
        "{n} replications in {wall:.2} s; means with 95% half-widths, P(best) on the composite"
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
