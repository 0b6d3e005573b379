//! `dialogue-wargame run`: replications of a scenario, in parallel, to a results directory.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::Plan;
use crate::error::{Error, Result};
use crate::explore::{self, Batches, Checkpointing, Finished, Hooks, Target};
use crate::interrupt;
use crate::metric::{self, METRICS};
use crate::output::report::RunReport;
use crate::output::{self, fmt_num, Manifest, ResultsDir, RunIdentity, RunOptions};
use crate::scenario::{suggest, Loaded, Override, MAX_REPLICATIONS};

use super::usage::{seconds, whole_number};

/// Most worker threads `--threads` accepts.
const MAX_THREADS: usize = 1024;

/// `--threads`: a whole number from 1 to [`MAX_THREADS`].
pub(super) fn thread_count(s: &str) -> std::result::Result<usize, String> {
    whole_number(1, MAX_THREADS as u64)(s).map(|n| n as usize)
}

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Costs about 40 microseconds of CPU per replication of the baseline's \
eight designs (10,000 replications take a fraction of a second on two cores). Memory stays flat \
whatever the number of replications; --per-replication streams about 120 bytes per replication \
and design to disk.\n\n\
Examples:\n  dialogue-wargame run\n  dialogue-wargame run scenarios/short-warning.toml -n 50000\n  \
dialogue-wargame run --set beijing.sensitivity=0\n  \
dialogue-wargame run --set design.trade-conference.visibility=0.8\n  \
dialogue-wargame run --design trade-conference --per-replication --out pair\n  \
dialogue-wargame run -n 2000 --precision ranking --json"
)]
pub struct Args {
    /// Scenario: a file (a path with a /, or a name ending in .toml) or a built-in name
    /// (default: the embedded baseline).
    pub scenario: Option<std::ffi::OsString>,
    /// Number of replications (default: the scenario's).
    #[arg(long, short = 'n', allow_negative_numbers = true,
          value_parser = whole_number(1, MAX_REPLICATIONS))]
    pub replications: Option<u64>,
    /// Master seed (default: the scenario's).
    #[arg(long, allow_negative_numbers = true, value_parser = whole_number(0, u64::MAX))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j', allow_negative_numbers = true,
          value_parser = thread_count)]
    pub threads: Option<usize>,
    /// Results directory (default: a new results/SCENARIO-seedSEED[-OVERRIDES][-K], or
    /// results/SCENARIO-shardKofN-seedSEED[-OVERRIDES][-K] with --shard; OVERRIDES are the
    /// --set and --weights values as typed, e.g. baseline-seed2049-beijing.sensitivity=0).
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
    /// Weights of the composite: e.g. info_exchange=1,evacuation=2,rear_area=1,coercion=0.5,
    /// escalation=1 (coercion: penalty per economic-coercion equivalent a year; escalation:
    /// penalty for certain crisis escalation against Japan).
    #[arg(long, value_name = "NAME=W,...")]
    pub weights: Option<String>,
    /// Keep adding batches of --replications until a target is met: METRIC=HALFWIDTH (every
    /// design's 95% interval of the mean at most that half-width) or `ranking` (the best design
    /// on the composite ahead of the runner-up at the 99% level, which allows for looking after
    /// every batch). Repeatable; all must be met.
    #[arg(long = "precision", value_name = "METRIC=HALFWIDTH|ranking")]
    pub precision: Vec<String>,
    /// Upper limit of replications with --precision (default: 10 × --replications).
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = whole_number(1, MAX_REPLICATIONS))]
    pub max_replications: Option<u64>,
    /// Run only the K-th of N disjoint ranges of the replications (K from 1); combine the
    /// shards with `dialogue-wargame merge`.
    #[arg(long, value_name = "K/N", allow_hyphen_values = true)]
    pub shard: Option<String>,
    /// Continue an interrupted run of the same command from its last checkpoint.
    #[arg(long)]
    pub resume: bool,
    /// Seconds between checkpoints of a long run (0: as often as possible, about every half
    /// second). A run interrupted after this long keeps its finished replications for
    /// --resume; a shorter one leaves nothing behind.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, allow_negative_numbers = true,
          value_parser = seconds)]
    pub checkpoint_every: f64,
    /// No progress bar and no results table (an unmet --precision target is still reported,
    /// on stderr).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// With --precision: exit with code 1 when a target is not met by --max-replications (the
    /// results are still written).
    #[arg(long)]
    pub strict: bool,
    /// Show every metric in the results table, one line per design, however wide (the
    /// default fits 80 columns; table.txt and table.md are written either way).
    #[arg(long)]
    pub wide: bool,
    /// Also write report.html, a self-contained page of charts and tables, and the charts as
    /// charts/*.svg (`dialogue-wargame report DIR` does the same for a finished directory).
    #[arg(long)]
    pub report: bool,
    /// Also write results.xlsx, an Excel workbook of the results with charts.
    #[arg(long)]
    pub xlsx: bool,
    /// Print a JSON summary on stdout instead of the table, for scripts: each design's mean
    /// and 95% interval on every metric, its P(best) on the composite, and the results
    /// directory (docs/OUTPUTS.md).
    #[arg(long)]
    pub json: bool,
}

fn parse_pair(flag: &str, s: &str) -> Result<(String, String)> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(Error::usage(
            format!("{flag} {s}: expected NAME=VALUE"),
            format!(
                "e.g. {flag} {}",
                if flag == "--weights" {
                    "evacuation=2,coercion=0.5"
                } else {
                    "evacuation=0.9"
                }
            ),
        )),
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
            "coercion",
            "escalation",
        ];
        for part in w.split(',') {
            let (k, v) = parse_pair("--weights", part)?;
            if !KEYS.contains(&k.as_str()) {
                let help = match suggest(&k, KEYS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("weights: {}", KEYS.join(", ")),
                };
                return Err(Error::usage(
                    format!("--weights {w}: `{k}` is not a weight"),
                    help,
                ));
            }
            let raw = format!("weights.{k}={v}");
            let ov = Override::parse_as(&raw, &format!("--weights {w}")).map_err(Error::Usage)?;
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
            let help = match suggest(&name, metric::names()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "metrics: {}",
                    metric::names().collect::<Vec<_>>().join(", ")
                ),
            };
            return Err(Error::usage(
                format!("--threshold {t}: `{name}` is not a metric"),
                help,
            ));
        };
        let (lo, hi) = metric::valid_range(&METRICS[m]);
        let v: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= lo && *v <= hi)
            .ok_or_else(|| {
                let (range, help) = match (lo.is_finite(), hi.is_finite()) {
                    (true, true) => (
                        format!(" in [{lo}, {hi}]"),
                        format!("a share: write --threshold {name}=0.9 for 90%"),
                    ),
                    (true, false) => (format!(" >= {lo}"), format!("e.g. --threshold {name}=0.5")),
                    _ => (String::new(), format!("e.g. --threshold {name}=1.2")),
                };
                Error::usage(
                    format!("--threshold {t}: expected a finite number{range} after `=`"),
                    help,
                )
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
            let ids = sc.designs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>();
            let help = match suggest(id, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? designs: {}", ids.join(", ")),
                None => format!("designs: {}", ids.join(", ")),
            };
            Error::usage(
                format!("{flag} {id}: no such design in scenario {}", sc.name),
                help,
            )
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
pub(super) fn threads(flag: Option<usize>) -> Result<usize> {
    Ok(match flag {
        Some(t) if !(1..=MAX_THREADS).contains(&t) => {
            return Err(Error::usage(
                format!("--threads {t}: expected a whole number from 1 to {MAX_THREADS}"),
                "leave --threads out to use every core",
            ))
        }
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    })
}

/// A scenario recorded in a manifest, for `rerun`: it replaces `Args::scenario`, `--set` and
/// `--weights`.
pub(super) struct Recorded {
    /// The manifest's resolved scenario, loaded (its hash checked against the manifest's).
    pub loaded: Loaded,
    /// The original run's `scenario_sources`, for the new manifest.
    pub sources: Vec<String>,
    /// The original run's `overrides` (already applied in the resolved scenario).
    pub overrides: Vec<String>,
    /// The directory being reproduced.
    pub rerun_of: String,
}

/// Run `run`.
pub fn run(a: Args) -> Result<()> {
    execute(a, None).map(|_| ())
}

/// Run `run` on the scenario the arguments name, or on a recorded one; the results directory
/// written.
pub(super) fn execute(a: Args, recorded: Option<Recorded>) -> Result<PathBuf> {
    // Signals are polled from here on (per replication in the engine), so that an interrupted
    // run can save its finished replications and remove the rest.
    let _cooperative = interrupt::cooperative();
    let started_at = output::now_rfc3339();
    let (loaded, scenario_sources, raw_sets, rerun_of) = match recorded {
        Some(r) => (r.loaded, r.sources, r.overrides, Some(r.rerun_of)),
        None => {
            let (overrides, raw_sets) = override_args(&a)?;
            let loaded = super::load_scenario(a.scenario.as_deref(), &overrides)?;
            let sources = loaded.sources.iter().map(|s| s.name.clone()).collect();
            (loaded, sources, raw_sets, None)
        }
    };
    let sc = &loaded.scenario;

    let thresholds = thresholds(sc, &a.thresholds)?;
    let (selected, baseline) = select_designs(sc, &a)?;
    let ids: Vec<String> = selected.iter().map(|&d| sc.designs[d].id.clone()).collect();

    let replications = a.replications.unwrap_or(sc.replications);
    if replications == 0 || replications > MAX_REPLICATIONS {
        return Err(Error::usage(
            format!(
                "--replications {replications}: expected a whole number from 1 to \
                 {MAX_REPLICATIONS}"
            ),
            "e.g. -n 10000",
        ));
    }
    let targets: Vec<(Target, String)> = a
        .precision
        .iter()
        .map(|raw| explore::parse_target(raw).map(|t| (t, raw.clone())))
        .collect::<Result<_>>()?;
    let max_replications = a
        .max_replications
        .unwrap_or_else(|| replications.saturating_mul(10).min(MAX_REPLICATIONS));
    if max_replications < replications || max_replications > MAX_REPLICATIONS {
        return Err(Error::usage(
            format!(
                "--max-replications {max_replications}: expected a number from --replications \
                 ({replications}) to {MAX_REPLICATIONS}"
            ),
            "--max-replications is the most replications --precision may add up to",
        ));
    }
    let shard = match &a.shard {
        Some(spec) if !targets.is_empty() => {
            return Err(Error::usage(
                format!("--shard {spec} cannot be combined with --precision"),
                "a shard cannot know when the whole run is precise enough; drop one of the two",
            ))
        }
        Some(spec) => Some(explore::shard_range(spec, replications, "replications")?),
        None => None,
    };
    let seed = a.seed.unwrap_or(sc.seed);
    let threads = threads(a.threads)?;

    if !(a.checkpoint_every >= 0.0 && a.checkpoint_every.is_finite()) {
        return Err(Error::usage(
            format!(
                "--checkpoint-every {}: expected a number of seconds >= 0",
                a.checkpoint_every
            ),
            "e.g. --checkpoint-every 60",
        ));
    }
    if a.strict && targets.is_empty() {
        return Err(Error::usage(
            "--strict only applies with --precision",
            "it makes an unmet --precision target exit with code 1; add a --precision target \
             or drop --strict",
        ));
    }
    if a.max_replications.is_some() && targets.is_empty() {
        return Err(Error::usage(
            "--max-replications only applies with --precision",
            "use --replications to set the number of replications",
        ));
    }
    interrupt::check()?;
    let name = match &shard {
        Some((k, n, _)) => format!("{}-shard{k}of{n}", sc.name),
        None => sc.name.clone(),
    };
    let root = std::path::Path::new("results");
    let default_name = output::default_name(&name, seed, &raw_sets);
    let dir = if a.resume {
        let target = match &a.out {
            Some(p) => p.clone(),
            None => output::resumable_out_dir(root, &default_name)
                .unwrap_or_else(|| root.join(&default_name)),
        };
        match ResultsDir::resume(&target, a.force)? {
            Some(dir) => dir,
            // The interrupted run had finished; completing its commit was all there was to do.
            None => {
                super::to_stdout(|out| writeln!(out, "results written to {}", target.display()))?;
                return Ok(target);
            }
        }
    } else {
        match &a.out {
            Some(p) => ResultsDir::create(p, a.force)?,
            None => ResultsDir::create_default(root, &default_name)?,
        }
    };

    let threshold_list: Vec<String> = thresholds
        .iter()
        .zip(METRICS.iter())
        .filter_map(|(t, m)| t.map(|v| format!("{}={}", m.name, fmt_num(v))))
        .collect();
    let plan = Plan::new(sc, selected, baseline, seed, thresholds);
    let pool = explore::thread_pool(threads)?;

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
    let bar = progress_bar(limit - first);
    let started = Instant::now();
    let progress = |k: u64| {
        if started.elapsed().as_secs_f64() > 1.0 && bar.is_hidden() && show_progress(a.quiet) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.inc(k);
    };
    let batches = Batches {
        plan: &plan,
        ids: &ids,
        first,
        first_end,
        replications,
        limit,
        targets: &targets,
        pool: &pool,
    };
    let checkpointing = Checkpointing {
        dir: &dir,
        identity: &identity,
        every: a.checkpoint_every,
        per_replication: a.per_replication,
    };
    let hooks = Hooks {
        progress: &progress,
        // The bar steps aside for the line and comes back, as it does for a resumed run.
        note: &|line| bar.suspend(|| super::note(line)),
        quiet: a.quiet,
    };
    let finished = explore::run_checkpointed(&batches, &checkpointing, &hooks);
    bar.finish_and_clear();
    let Finished {
        acc,
        done,
        results,
        looks,
        replications_sha256,
        wall,
    } = finished?;

    let ladder: Vec<String> = sc
        .world
        .beijing
        .rungs
        .iter()
        .map(|r| r.name.clone())
        .collect();
    output::write_all(&dir, &acc, &ids, &ladder)?;
    let state_sha256 = match shard {
        Some(_) => Some(output::write_state(&dir.file("state.json"), &acc)?),
        None => None,
    };
    let manifest = Manifest {
        tool: "dialogue-wargame".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        tool_commit: Some(output::TOOL_COMMIT.into()),
        started_at: Some(started_at),
        scenario: sc.name.clone(),
        scenario_sources,
        scenario_sha256: loaded.sha256.clone(),
        seed,
        replications: done - first,
        first_replication: first,
        total_replications: if shard.is_some() { replications } else { done },
        shard: shard.as_ref().map(|(k, n, _)| format!("{k}/{n}")),
        designs: ids.clone(),
        programmes: plan
            .designs
            .iter()
            .map(|&d| programme_line(&sc.designs[d]))
            .collect(),
        ladder,
        replications_sha256,
        state_sha256,
        baseline: ids[baseline].clone(),
        thresholds: threshold_list,
        overrides: raw_sets,
        precision: results.clone(),
        options: Some(RunOptions {
            replications,
            max_replications: (!targets.is_empty()).then_some(max_replications),
            precision: a.precision.clone(),
            thresholds: a.thresholds.clone(),
            per_replication: a.per_replication,
            strict: a.strict,
        }),
        rerun_of,
        command_line: super::command_line(),
        wall_seconds: (wall * 1000.0).round() / 1000.0,
        resolved_scenario: Some(output::resolved::to_toml(&loaded.tree)),
    };
    output::write_manifest(&dir.file("manifest.json"), &manifest)?;
    let (table, _) = crate::report::write_tables(
        dir.work_dir(),
        a.wide,
        crate::report::Documents {
            html: a.report,
            xlsx: a.xlsx,
        },
    )?;
    let out = dir.commit()?;

    // The results are safe on disk; what follows only reports them.
    let printed = (|| -> std::io::Result<()> {
        let mut stdout = std::io::stdout().lock();
        if a.json {
            let report = RunReport {
                out: out.display().to_string(),
                scenario: sc.name.clone(),
                scenario_sha256: loaded.sha256.clone(),
                seed,
                replications: done - first,
                baseline: ids[baseline].clone(),
                wall_seconds: manifest.wall_seconds,
                designs: output::report::design_reports(&acc, &ids),
                precision: results.clone(),
            };
            serde_json::to_writer_pretty(&mut stdout, &report)?;
            writeln!(stdout)?;
            return stdout.flush();
        }
        if !a.quiet {
            stdout.write_all(table.unwrap_or_default().as_bytes())?;
            writeln!(stdout, "{} replications in {wall:.2} s", done - first)?;
            let own: Vec<String> = plan
                .designs
                .iter()
                .filter(|&&d| sc.designs[d].own_programme)
                .map(|&d| programme_line(&sc.designs[d]))
                .collect();
            if !own.is_empty() {
                writeln!(
                    stdout,
                    "own programme (the others run the common one, {} a year on {}): {}",
                    fmt_num(sc.programme.cadence_per_year),
                    sc.programme.issue_areas,
                    own.join("; ")
                )?;
            }
            for r in &results {
                let verdict = if r.met { "met" } else { "NOT met" };
                writeln!(
                    stdout,
                    "precision {}: {verdict} after {} replications ({looks} batches checked); {}",
                    r.target, done, r.detail
                )?;
            }
        }
        writeln!(stdout, "results written to {}", out.display())?;
        stdout.flush()
    })();
    // An unmet target is said on stderr even with -q: a script reading only the exit code or
    // only stdout would otherwise take an imprecise answer for the one it asked for.
    let unmet: Vec<String> = results
        .iter()
        .filter(|r| !r.met)
        .map(|r| {
            format!(
                "--precision {} not met after {done} replications (the --max-replications \
                 limit): {}",
                r.target, r.detail
            )
        })
        .collect();
    if !unmet.is_empty() {
        if a.strict {
            return Err(Error::TargetNotMet(format!(
                "{}\n  help: --strict makes this a failure; the results were written to {} all \
                 the same. Raise --max-replications or relax the target",
                unmet.join("\nerror: "),
                out.display()
            )));
        }
        for line in &unmet {
            super::note(format_args!(
                "warning: {line}. The results are written; with --strict this exits with code 1"
            ));
        }
    }
    printed.map_err(Error::stdout)?;
    Ok(out)
}

pub(super) fn show_progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

pub(super) fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40} {human_pos}/{human_len} replications, {elapsed} elapsed, eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// `ID: common|own programme, C a year on AREAS`.
fn programme_line(d: &crate::scenario::Design) -> String {
    format!(
        "{}: {} programme, {} a year on {}",
        d.id,
        if d.own_programme { "own" } else { "common" },
        fmt_num(d.programme.cadence_per_year),
        d.programme.issue_areas
    )
}
