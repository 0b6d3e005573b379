//! The batch loop every command that runs replications shares: batches sized by wall time,
//! the precision stop, periodic checkpoints, `--resume` from them and shard ranges.
//!
//! `run` drives it over one scenario; `sweep` over each point of an experiment. Wall time
//! decides only where the engine pauses, never what the results are: the accumulators are
//! exact and the rows are written in replication order.

use std::time::Instant;

use crate::engine::{Plan, RowSink, BATCH_CHUNKS, CHUNK};
use crate::error::{Error, Result};
use crate::interrupt;
use crate::metric::{self, METRICS};
use crate::model::{draw_world, Scores};
use crate::output::{
    self, fmt_num, Checkpoint, PrecisionResult, ReplicationWriter, ResultsDir, RunIdentity,
    CHECKPOINT,
};
use crate::scenario::suggest;
use crate::stats::RunAccumulator;

/// A precision target of `--precision`.
#[derive(Clone, Debug)]
pub enum Target {
    /// Every design's 95% interval of the mean of `metric` at most `half` wide on each side.
    HalfWidth {
        /// Index of the metric.
        metric: usize,
        /// Largest half-width accepted.
        half: f64,
    },
    /// The best design on the composite ahead of the runner-up at the 99% level.
    Ranking,
}

/// Parse one `--precision` argument: `METRIC=HALFWIDTH` or `ranking`.
pub fn parse_target(s: &str) -> Result<Target> {
    if s.trim() == "ranking" {
        return Ok(Target::Ranking);
    }
    let bad = || {
        Error::usage(
            format!("--precision {s}: expected NAME=VALUE"),
            "e.g. --precision evacuation=0.9",
        )
    };
    let (name, value) = s
        .split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .ok_or_else(bad)?;
    let metric = metric::index(&name).ok_or_else(|| {
        let help = match suggest(&name, metric::names()) {
            Some(g) => format!("did you mean `{g}`? expected METRIC=HALFWIDTH or ranking"),
            None => format!(
                "expected METRIC=HALFWIDTH or ranking; metrics: {}",
                metric::names().collect::<Vec<_>>().join(", ")
            ),
        };
        Error::usage(format!("--precision {s}: `{name}` is not a metric"), help)
    })?;
    let half: f64 = value
        .parse()
        .ok()
        .filter(|h: &f64| h.is_finite() && *h > 0.0)
        .ok_or_else(|| {
            Error::usage(
                format!("--precision {s}: expected a half-width > 0 after `=`"),
                format!("e.g. --precision {name}=0.005"),
            )
        })?;
    Ok(Target::HalfWidth { metric, half })
}

/// Whether `acc` meets target `t` (given as `raw`), and by how much.
pub fn evaluate(t: &Target, raw: &str, acc: &RunAccumulator, ids: &[String]) -> PrecisionResult {
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

/// A shard: the K-th of N disjoint parts (K from 1) and the 0-based range it covers.
pub type Shard = (u64, u64, std::ops::Range<u64>);

/// Parse `--shard K/N` into a 0-based range of `total` items (replications for `run`, points
/// for `sweep`), named `what` in the message.
pub fn shard_range(spec: &str, total: u64, what: &str) -> Result<Shard> {
    let bad = || {
        Error::usage(
            format!("--shard {spec}: expected K/N with 1 <= K <= N <= {what} ({total})"),
            "e.g. --shard 2/8 runs the second of eight parts; `dialogue-wargame merge` combines \
             them",
        )
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

/// The one "same run?" check: `None` when `ours` and `theirs` describe the same run, else the
/// first thing that differs, by name. `--resume` asks it of a checkpoint, `merge` of each
/// shard against the first (with the shard spec reduced to the shard count).
pub fn same_run(ours: &RunIdentity, theirs: &RunIdentity) -> Option<&'static str> {
    ours.difference(theirs)
}

/// The identity of the run a manifest records, for [`same_run`]: its shard reduced to the
/// number of shards (every shard of one run has its own K), and whether it wrote
/// replications.csv left out (shards may differ in that; `merge` then writes none).
pub fn manifest_identity(m: &crate::output::Manifest) -> RunIdentity {
    let options = m.options.as_ref();
    RunIdentity {
        version: m.version.clone(),
        scenario_sha256: m.scenario_sha256.clone(),
        seed: m.seed,
        designs: m.designs.clone(),
        baseline: m.baseline.clone(),
        thresholds: m.thresholds.clone(),
        replications: m.total_replications,
        limit: m.total_replications,
        shard: m
            .shard
            .as_deref()
            .map(|s| s.split_once('/').map_or(s, |(_, n)| n).to_string()),
        precision: options.map(|o| o.precision.clone()).unwrap_or_default(),
        per_replication: false,
    }
}

/// A rayon pool of `threads` workers.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| {
            Error::usage(
                format!("--threads {threads}: cannot start threads: {e}"),
                "try fewer --threads",
            )
        })
}

/// Replications per thread in the first call of the engine: small, so that the step size
/// adapts early even when one replication of a heavy scenario takes tenths of a second; each
/// call costs a few fresh accumulators, so not smaller.
const FIRST_STEP_PER_THREAD: u64 = 64;
/// Most replications in one call of the engine (a checkpoint can be taken between calls).
const MAX_STEP: u64 = CHUNK * BATCH_CHUNKS as u64;
/// Wall time one call of the engine should take.
const STEP_SECONDS: f64 = 0.5;

/// Replications in the next call of the engine, after `ran` took `secs`: about
/// [`STEP_SECONDS`] of work, so that checkpoints can be taken every few seconds whatever a
/// replication costs (growing at most fourfold per call, from an estimate on few
/// replications).
fn next_step(step: u64, ran: u64, secs: f64) -> u64 {
    let rate = ran as f64 / secs.max(1e-3);
    // `as` saturates (and maps NaN to 0).
    let ideal = (rate * STEP_SECONDS) as u64;
    ideal.min(step.saturating_mul(4)).clamp(1, MAX_STEP)
}

/// What the batch loop runs: the replications `[first, first_end)`, extended batch by batch
/// (of `replications`) up to `limit` while a precision target is unmet.
pub struct Batches<'a> {
    /// The plan (scenario, designs, seed, thresholds).
    pub plan: &'a Plan<'a>,
    /// Design ids in output order.
    pub ids: &'a [String],
    /// First replication.
    pub first: u64,
    /// End of the first batch (exclusive).
    pub first_end: u64,
    /// `--replications`: the batch size when a target is unmet.
    pub replications: u64,
    /// Most replications with precision targets (exclusive end), else `first_end`.
    pub limit: u64,
    /// Precision targets, parsed and as typed.
    pub targets: &'a [(Target, String)],
    /// Threads of the engine.
    pub pool: &'a rayon::ThreadPool,
}

/// Where and how often the loop checkpoints, and whether it writes replications.csv.
pub struct Checkpointing<'a> {
    /// The results directory being written.
    pub dir: &'a ResultsDir,
    /// The run's identity, recorded in the checkpoint.
    pub identity: &'a RunIdentity,
    /// Seconds between checkpoints.
    pub every: f64,
    /// Whether replications.csv is written.
    pub per_replication: bool,
}

/// How the loop tells the user what happens.
pub struct Hooks<'a> {
    /// Replications finished since the last call.
    pub progress: &'a (dyn Fn(u64) + Sync),
    /// A line for the user (stderr).
    pub note: &'a dyn Fn(std::fmt::Arguments<'_>),
    /// No progress notes (what is lost or kept on an interrupt is still said).
    pub quiet: bool,
}

/// What the batch loop produced.
pub struct Finished {
    /// The accumulated results of replications `[first, done)`.
    pub acc: RunAccumulator,
    /// End of the replications run.
    pub done: u64,
    /// Each precision target's outcome.
    pub results: Vec<PrecisionResult>,
    /// How many times the targets were checked.
    pub looks: u64,
    /// SHA-256 of replications.csv, when written.
    pub replications_sha256: Option<String>,
    /// Wall seconds of the loop.
    pub wall: f64,
}

/// Run the batch loop into `ck.dir`: continue from its checkpoint when there is one (refusing
/// one of a different run), checkpoint every `ck.every` seconds, and on an interrupt keep
/// the finished replications (when the run has gone on long enough to be checkpointed) and
/// return [`Error::Interrupted`].
pub fn run_checkpointed(
    b: &Batches<'_>,
    ck: &Checkpointing<'_>,
    hooks: &Hooks<'_>,
) -> Result<Finished> {
    let dir = ck.dir;
    let (first, limit) = (b.first, b.limit);
    let checkpoint = if dir.file(CHECKPOINT).exists() {
        let cp = output::read_checkpoint(&dir.file(CHECKPOINT))?;
        if let Some(what) = same_run(&cp.identity, ck.identity) {
            return Err(Error::usage(
                format!(
                    "--resume: the interrupted run in {} was a different run ({what} differs)",
                    dir.work_dir().display()
                ),
                "repeat its exact command with --resume, or pass --force to start over",
            ));
        }
        let rows_len = std::fs::metadata(dir.file("replications.csv")).map_or(0, |m| m.len());
        let consistent = first <= cp.done
            && cp.done <= cp.end
            && cp.end <= limit
            && cp.acc.replications() == cp.done - first
            && cp.acc.n_designs == b.ids.len()
            && cp.acc.baseline == b.plan.baseline
            && (!ck.per_replication || cp.rows_bytes <= rows_len);
        if !consistent {
            return Err(Error::usage(
                format!(
                    "--resume: the checkpoint in {} is damaged (its counts do not add up)",
                    dir.work_dir().display()
                ),
                "pass --force to start over",
            ));
        }
        Some(cp)
    } else {
        None
    };
    let ids = b.ids.to_vec();
    let (mut acc, mut done, mut end, mut writer) = match checkpoint {
        Some(cp) => {
            let writer = if ck.per_replication {
                Some(ReplicationWriter::resume(
                    &dir.file("replications.csv"),
                    ids,
                    cp.rows_bytes,
                    cp.rows_sha256.as_deref(),
                )?)
            } else {
                None
            };
            (cp.acc, cp.done, cp.end, writer)
        }
        None => {
            let writer = if ck.per_replication {
                Some(ReplicationWriter::create(
                    &dir.file("replications.csv"),
                    ids,
                )?)
            } else {
                None
            };
            (b.plan.accumulator(), first, b.first_end, writer)
        }
    };
    if dir.resumed() && !hooks.quiet {
        (hooks.note)(format_args!("resuming at replication {done}"));
    }
    (hooks.progress)(done - first);

    let started = Instant::now();
    let threads = b.pool.current_num_threads() as u64;
    let mut step = (FIRST_STEP_PER_THREAD * threads).min(MAX_STEP);
    let mut last_checkpoint = Instant::now();
    let mut results;
    let mut looks = 0u64;
    let (world_params, seed) = (&b.plan.scenario.world, b.plan.seed);
    loop {
        while done < end {
            let step_end = (done + step).min(end);
            // The world of a replication is drawn again here, on the writing thread, from its
            // key: the engine's parallel loop stays as it is, and the draw is the same.
            let mut sink = |rep: u64, s: &[Scores]| match writer.as_mut() {
                Some(w) => {
                    let world = draw_world(world_params, crate::engine::replication_key(seed, rep));
                    w.write(rep, &world, s)
                }
                None => Ok(()),
            };
            let rows: Option<RowSink<'_>> = if ck.per_replication {
                Some(&mut sink)
            } else {
                None
            };
            let step_started = Instant::now();
            let finished = b
                .pool
                .install(|| {
                    b.plan.run(
                        done..step_end,
                        &mut acc,
                        rows,
                        hooks.progress,
                        &interrupt::interrupted,
                    )
                })
                .map_err(|e| {
                    Error::io(
                        format!("cannot write {}", dir.file("replications.csv").display()),
                        e,
                    )
                })?;
            if !finished {
                // The engine adds whole batches only: acc holds exactly [first, done).
                done = first + acc.replications();
                // A run that has gone on long enough to be checkpointed keeps its work up to
                // the last finished batch; a shorter one leaves nothing behind.
                let keep =
                    dir.file(CHECKPOINT).exists() || started.elapsed().as_secs_f64() >= ck.every;
                if keep && done > first {
                    match save_checkpoint(dir, ck.identity, done, end, acc, writer.as_mut()) {
                        Ok(()) => (hooks.note)(format_args!(
                            "interrupted; replications {first} to {} are saved in {}: repeat the \
                             command with --resume to continue",
                            done - 1,
                            dir.work_dir().display()
                        )),
                        Err(e) => (hooks.note)(format_args!(
                            "interrupted, and the work could not be saved ({e}); {}",
                            if dir.file(CHECKPOINT).exists() {
                                "the previous checkpoint is kept: repeat the command with \
                                 --resume to continue from it"
                            } else {
                                "nothing is kept"
                            }
                        )),
                    }
                } else if dir.file(CHECKPOINT).exists() {
                    (hooks.note)(format_args!(
                        "interrupted; the last checkpoint is kept in {}: repeat the command \
                         with --resume to continue",
                        dir.work_dir().display()
                    ));
                }
                return Err(Error::Interrupted);
            }
            step = next_step(step, step_end - done, step_started.elapsed().as_secs_f64());
            done = step_end;
            if done < limit && last_checkpoint.elapsed().as_secs_f64() >= ck.every {
                save_checkpoint(dir, ck.identity, done, end, acc.clone(), writer.as_mut())?;
                last_checkpoint = Instant::now();
            }
        }
        results = b
            .targets
            .iter()
            .map(|(t, raw)| evaluate(t, raw, &acc, b.ids))
            .collect::<Vec<_>>();
        looks += 1;
        if results.iter().all(|r| r.met) || done >= limit {
            break;
        }
        end = (done + b.replications).min(limit);
    }
    let replications_sha256 = match writer {
        Some(w) => Some(w.finish()?),
        None => None,
    };
    Ok(Finished {
        acc,
        done,
        results,
        looks,
        replications_sha256,
        wall: started.elapsed().as_secs_f64(),
    })
}

/// Run replications `range` of `plan` without checkpoints or rows (one point of a sweep):
/// the accumulator, or `None` when interrupted (the work is then discarded).
pub fn run_plain(
    plan: &Plan<'_>,
    range: std::ops::Range<u64>,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
) -> std::io::Result<Option<RunAccumulator>> {
    let mut acc = plan.accumulator();
    let threads = pool.current_num_threads() as u64;
    let mut step = (FIRST_STEP_PER_THREAD * threads).min(MAX_STEP);
    let mut done = range.start;
    while done < range.end {
        let step_end = (done + step).min(range.end);
        let started = Instant::now();
        let finished = pool.install(|| {
            plan.run(
                done..step_end,
                &mut acc,
                None,
                progress,
                &interrupt::interrupted,
            )
        })?;
        if !finished {
            return Ok(None);
        }
        step = next_step(step, step_end - done, started.elapsed().as_secs_f64());
        done = step_end;
    }
    Ok(Some(acc))
}

/// Write the checkpoint of replications [first, done) of the batch ending at `end`, with the
/// length and SHA-256 of replications.csv as flushed so far.
fn save_checkpoint(
    dir: &ResultsDir,
    identity: &RunIdentity,
    done: u64,
    end: u64,
    acc: RunAccumulator,
    writer: Option<&mut ReplicationWriter>,
) -> Result<()> {
    let (rows_bytes, rows_sha256) = match writer {
        Some(w) => {
            let (len, sha256) = w.flushed()?;
            (len, Some(sha256))
        }
        None => (0, None),
    };
    let cp = Checkpoint {
        identity: identity.clone(),
        done,
        end,
        rows_bytes,
        rows_sha256,
        acc,
    };
    output::write_checkpoint(&dir.file(CHECKPOINT), &cp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_item_once() {
        for total in [1u64, 7, 100] {
            for n in 1..=total.min(9) {
                let mut next = 0;
                for k in 1..=n {
                    let (_, _, r) = shard_range(&format!("{k}/{n}"), total, "points").unwrap();
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
        assert!(shard_range("0/2", 10, "points").is_err());
        assert!(shard_range("3/2", 10, "points").is_err());
        assert!(shard_range("1/11", 10, "points").is_err());
    }

    #[test]
    fn next_step_aims_at_half_a_second_and_grows_at_most_fourfold() {
        assert_eq!(next_step(100, 100, 0.001), 400);
        assert_eq!(next_step(200, 1000, 1.0), 500);
        assert_eq!(next_step(10, 0, 1.0), 1);
        assert_eq!(next_step(MAX_STEP, MAX_STEP, 1e-9), MAX_STEP);
    }

    #[test]
    fn run_plain_equals_one_engine_call() {
        let loaded =
            crate::scenario::load_str("baseline", crate::scenario::BASELINE_TOML, &[]).unwrap();
        let sc = &loaded.scenario;
        let plan = Plan::new(
            sc,
            (0..sc.designs.len()).collect(),
            0,
            3,
            vec![None; metric::N_METRICS],
        );
        let pool = thread_pool(2).unwrap();
        let a = run_plain(&plan, 0..300, &pool, &|_| {}).unwrap().unwrap();
        let mut b = plan.accumulator();
        plan.run(0..300, &mut b, None, &|_| {}, &|| false).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }

    #[test]
    fn same_run_names_the_first_difference() {
        let id = RunIdentity {
            version: "1".into(),
            scenario_sha256: "x".into(),
            seed: 1,
            designs: vec!["a".into()],
            baseline: "a".into(),
            thresholds: vec![],
            replications: 10,
            limit: 10,
            shard: None,
            precision: vec![],
            per_replication: false,
        };
        assert_eq!(same_run(&id, &id.clone()), None);
        let other = RunIdentity {
            seed: 2,
            ..id.clone()
        };
        assert_eq!(same_run(&id, &other), Some("seed"));
    }
}
