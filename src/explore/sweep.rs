//! Sweeps: an experiment's points run one after the other, each a whole run of the point's
//! scenario with common random numbers (replication r of every point and design reads the
//! world key of (seed, r)), into one results directory.
//!
//! A sweep keeps each finished point in its working directory and a checkpoint naming them,
//! so an interrupted sweep continues with `--resume` where it stopped, and `--shard K/N` runs
//! a contiguous range of the points for `merge` to combine. The accumulators are exact, so
//! neither the thread count, nor an interruption, nor sharding changes a byte.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::batches::{run_plain, same_run, Hooks, Shard};
use super::experiment::{self, Experiment, Point};
use super::robustness;
use crate::engine::Plan;
use crate::error::{Error, Result};
use crate::metric::{Metric, METRICS};
use crate::output::sweep::{self as files, PointRow, RobustnessRow, ScenarioRecord, SweepManifest};
use crate::output::{self, checksum, fmt_num, ResultsDir, RunIdentity, CHECKPOINT};
use crate::scenario::{load_named, suggest, Loaded, Scenario};
use crate::stats::{MeanSummary, RunAccumulator};

/// An experiment made ready to run: its scenarios loaded and its points made.
pub struct Prepared {
    /// The experiment.
    pub exp: Experiment,
    /// Each scenario as loaded without the points' overrides.
    pub bases: Vec<Loaded>,
    /// Master seed.
    pub seed: u64,
    /// Every point, scenario-major.
    pub points: Vec<Point>,
    /// Design ids in output order (the baseline first unless named elsewhere).
    pub ids: Vec<String>,
    /// The baseline's position in `ids`.
    pub baseline: usize,
    /// SHA-256 over the experiment and every scenario as loaded.
    pub identity_sha256: String,
}

/// Load an experiment's scenarios, check its designs and every parameter at its extreme
/// values against each scenario (so a wrong key or an out-of-range value is reported before
/// anything runs, located in the experiment file), and make its points.
pub fn prepare(exp: Experiment) -> Result<Prepared> {
    let mut bases = Vec::new();
    for s in &exp.scenarios {
        let loaded = load_named(&exp.scenario_arg(s), &[]).map_err(|e| {
            // Said where the experiment names it; the scenario's own problems follow, located
            // in the scenario's file.
            Error::Usage(format!("{}: scenario `{s}`: {e}", exp.scenarios_at))
        })?;
        bases.push(loaded);
    }
    let first = &bases[0].scenario;
    let mut ids: Vec<String> = if exp.designs.is_empty() {
        first.designs.iter().map(|d| d.id.clone()).collect()
    } else {
        exp.designs.clone()
    };
    let baseline_id = exp
        .baseline
        .clone()
        .unwrap_or_else(|| first.baseline.clone());
    if !ids.contains(&baseline_id) {
        // Every comparison needs the baseline, so it always runs.
        ids.insert(0, baseline_id.clone());
    }
    for (b, name) in bases.iter().zip(&exp.scenarios) {
        for id in &ids {
            if b.scenario.design_index(id).is_none() {
                let known: Vec<&str> = b.scenario.designs.iter().map(|d| d.id.as_str()).collect();
                let help = match suggest(id, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? designs: {}", known.join(", ")),
                    None => format!("designs: {}", known.join(", ")),
                };
                return Err(Error::usage(
                    format!(
                        "{}: designs: `{id}` is not a design of scenario {name}",
                        exp.designs_at
                    ),
                    help,
                ));
            }
        }
    }
    let baseline = ids.iter().position(|i| *i == baseline_id).unwrap_or(0);
    // Each parameter at each of its extreme values, alone, in each scenario.
    for s in &exp.scenarios {
        let arg = exp.scenario_arg(s);
        for p in &exp.parameters {
            for v in p.extremes() {
                let raw = format!("{}={v}", p.key);
                let ov = crate::scenario::Override::parse_as(&raw, &format!("{} ({raw})", p.at))
                    .map_err(Error::Usage)?;
                load_named(&arg, &[ov])?;
            }
        }
    }
    let seed = exp.seed.unwrap_or(first.seed);
    let points = exp.points(seed);
    let mut ident = exp.sha256.clone();
    for b in &bases {
        ident.push_str(&b.sha256);
    }
    Ok(Prepared {
        identity_sha256: checksum::sha256_hex(ident.as_bytes()),
        exp,
        bases,
        seed,
        points,
        ids,
        baseline,
    })
}

/// The thresholds at a point: its scenario's, replaced metric by metric by the experiment's.
fn thresholds(sc: &Scenario, exp: &Experiment) -> Vec<Option<f64>> {
    METRICS
        .iter()
        .map(|m| {
            exp.thresholds
                .iter()
                .find(|(t, _)| t.name() == m.name)
                .map(|t| t.1)
                .or_else(|| sc.thresholds.iter().find(|(n, _)| n == m.name).map(|t| t.1))
        })
        .collect()
}

impl Prepared {
    /// The scenario of point `i` with the point's overrides, loaded and validated.
    pub fn load_point(&self, i: usize) -> Result<Loaded> {
        let point = &self.points[i];
        let ovs = self.exp.overrides(i, point).map_err(Error::Usage)?;
        Ok(load_named(
            &self.exp.scenario_arg(&self.exp.scenarios[point.scenario]),
            &ovs,
        )?)
    }

    /// Run replications `range` of point `i`: the accumulator, or `None` when interrupted.
    pub fn run_point(
        &self,
        i: usize,
        range: std::ops::Range<u64>,
        pool: &rayon::ThreadPool,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Option<RunAccumulator>> {
        let loaded = self.load_point(i)?;
        let sc = &loaded.scenario;
        let designs: Vec<usize> = self
            .ids
            .iter()
            .filter_map(|id| sc.design_index(id))
            .collect();
        let plan = Plan::new(
            sc,
            designs,
            self.baseline,
            self.seed,
            thresholds(sc, &self.exp),
        );
        run_plain(&plan, range, pool, progress).map_err(|e| Error::io("cannot run the engine", e))
    }

    /// What makes two sweeps the same sweep (for `--resume` and `merge`).
    pub fn identity(&self, shard: Option<&Shard>) -> RunIdentity {
        RunIdentity {
            version: env!("CARGO_PKG_VERSION").into(),
            scenario_sha256: self.identity_sha256.clone(),
            seed: self.seed,
            designs: self.ids.clone(),
            baseline: self.ids[self.baseline].clone(),
            thresholds: threshold_list(&self.exp),
            replications: self.exp.replications,
            limit: self.points.len() as u64,
            shard: shard.map(|(k, n, _)| format!("{k}/{n}")),
            precision: Vec::new(),
            per_replication: false,
        }
    }

    /// The measured cost on `pool`: wall seconds to load a point's scenario, and per
    /// design-replication, from `n` replications of the first point.
    pub fn measure(&self, n: u64, pool: &rayon::ThreadPool) -> Result<Cost> {
        let n = n.clamp(1, self.exp.replications.max(1));
        let started = Instant::now();
        let loaded = self.load_point(0)?;
        let load = started.elapsed().as_secs_f64();
        let plan = self.plan(&loaded.scenario);
        // A first short call warms the threads and caches, as the first batch of a sweep does
        // once for all its points.
        run_plain(&plan, 0..n.min(16), pool, &|_| {})
            .map_err(|e| Error::io("cannot run the engine", e))?;
        let started = Instant::now();
        run_plain(&plan, 0..n, pool, &|_| {}).map_err(|e| Error::io("cannot run the engine", e))?;
        Ok(Cost {
            load,
            per_design_replication: started.elapsed().as_secs_f64()
                / (n as f64 * self.ids.len() as f64),
        })
    }

    /// The plan of a point whose scenario (with its overrides) is `sc`.
    fn plan<'s>(&self, sc: &'s Scenario) -> Plan<'s> {
        let designs: Vec<usize> = self
            .ids
            .iter()
            .filter_map(|id| sc.design_index(id))
            .collect();
        Plan::new(
            sc,
            designs,
            self.baseline,
            self.seed,
            thresholds(sc, &self.exp),
        )
    }
}

/// What a sweep costs, measured.
#[derive(Clone, Copy, Debug)]
pub struct Cost {
    /// Seconds to load and check one point's scenario.
    pub load: f64,
    /// Seconds per design-replication.
    pub per_design_replication: f64,
}

/// A [`same_run`] difference in a sweep's words: its `scenario_sha256` is the experiment's
/// identity (the experiment file and every scenario it names).
fn sweep_words(what: &'static str) -> &'static str {
    match what {
        "scenario or --set overrides" => "the experiment file or a scenario it names",
        "replications" => "replications or number of points",
        other => other,
    }
}

fn threshold_list(exp: &Experiment) -> Vec<String> {
    exp.thresholds
        .iter()
        .map(|(m, v)| format!("{}={}", m.name(), fmt_num(*v)))
        .collect()
}

/// One finished point: what points.csv, results.csv and robustness.csv need of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PointState {
    /// Index of the point.
    pub point: u64,
    /// Its scenario, as named in the experiment.
    pub scenario: String,
    /// Its parameters' values as shown in points.csv.
    pub values: Vec<String>,
    /// Its results: means, paired differences and threshold counts per design and metric.
    pub acc: MeanSummary,
}

/// The checkpoint of a sweep in progress: its identity and the finished points' files with
/// their SHA-256.
#[derive(Serialize, Deserialize)]
struct SweepCheckpoint {
    identity: RunIdentity,
    points: Vec<(u64, String)>,
}

fn point_file(dir: &ResultsDir, i: u64) -> std::path::PathBuf {
    dir.file("points").join(format!("{i:06}.json"))
}

/// What a sweep produced.
pub struct Outcome {
    /// Each design's robustness row (empty for a shard).
    pub robustness: Vec<RobustnessRow>,
    /// Points run now (not taken from a checkpoint).
    pub points_run: usize,
    /// Points in the directory.
    pub points: usize,
    /// Wall seconds.
    pub wall: f64,
}

/// Options of one sweep.
pub struct SweepOptions<'a> {
    /// The experiment, prepared.
    pub prepared: &'a Prepared,
    /// The points to run, when a shard.
    pub shard: Option<Shard>,
    /// Engine threads.
    pub pool: &'a rayon::ThreadPool,
    /// When the command started (RFC 3339).
    pub started_at: String,
    /// The command line, for the manifest.
    pub command_line: Vec<String>,
    /// report.html and results.xlsx, written from the finished tables before the commit.
    pub documents: crate::report::Documents,
}

/// Run a sweep into `dir` (continuing its checkpoint, if any), write its files and commit.
pub fn execute(
    o: &SweepOptions<'_>,
    dir: ResultsDir,
    hooks: &Hooks<'_>,
) -> Result<(std::path::PathBuf, Outcome)> {
    let p = o.prepared;
    let range = o
        .shard
        .as_ref()
        .map_or(0..p.points.len() as u64, |(_, _, r)| r.clone());
    let identity = p.identity(o.shard.as_ref());
    let mut done: Vec<(u64, String)> = Vec::new();
    let mut states: Vec<PointState> = Vec::new();
    if dir.file(CHECKPOINT).exists() {
        let bytes = std::fs::read(dir.file(CHECKPOINT)).map_err(|e| {
            Error::io(
                format!("--resume: cannot read {}", dir.file(CHECKPOINT).display()),
                e,
            )
        })?;
        let cp: SweepCheckpoint = serde_json::from_slice(&bytes).map_err(|e| {
            Error::usage(
                format!(
                    "--resume: {} is damaged ({e})",
                    dir.file(CHECKPOINT).display()
                ),
                "pass --force to start over",
            )
        })?;
        if let Some(what) = same_run(&cp.identity, &identity).map(sweep_words) {
            return Err(Error::usage(
                format!(
                    "--resume: the interrupted sweep in {} was a different sweep ({what} differs)",
                    dir.work_dir().display()
                ),
                "repeat its exact command with --resume, or pass --force to start over",
            ));
        }
        for (i, sha) in &cp.points {
            let state = read_point(&point_file(&dir, *i), sha)?;
            if state.point != *i || !range.contains(i) {
                return Err(Error::usage(
                    format!(
                        "--resume: the checkpoint in {} is damaged",
                        dir.work_dir().display()
                    ),
                    "pass --force to start over",
                ));
            }
            states.push(state);
        }
        done = cp.points;
        if !hooks.quiet {
            (hooks.note)(format_args!(
                "resuming: {} of {} points are done",
                done.len(),
                range.end - range.start
            ));
        }
    }
    std::fs::create_dir_all(dir.file("points"))
        .map_err(|e| Error::io(format!("cannot create {}", dir.file("points").display()), e))?;
    (hooks.progress)(done.len() as u64 * p.exp.replications);
    let started = Instant::now();
    let mut points_run = 0;
    for i in range.clone() {
        if done.iter().any(|(d, _)| *d == i) {
            continue;
        }
        let Some(acc) = p.run_point(i as usize, 0..p.exp.replications, o.pool, hooks.progress)?
        else {
            if done.is_empty() {
                (hooks.note)(format_args!(
                    "interrupted before the first point finished; nothing is kept"
                ));
            } else {
                let left = (range.end - range.start) as usize - done.len();
                (hooks.note)(format_args!(
                    "interrupted; {} finished point{} saved in {}: repeat the command with \
                     --resume to run the {left} other{}",
                    done.len(),
                    if done.len() == 1 { " is" } else { "s are" },
                    dir.work_dir().display(),
                    if left == 1 { "" } else { "s" }
                ));
            }
            return Err(Error::Interrupted);
        };
        let point = &p.points[i as usize];
        let state = PointState {
            point: i,
            scenario: p.exp.scenarios[point.scenario].clone(),
            values: point.values.iter().map(|v| experiment::shown(v)).collect(),
            acc: MeanSummary::of(&acc),
        };
        let path = point_file(&dir, i);
        let bytes = serde_json::to_vec(&state).map_err(|e| Error::Json {
            context: format!("cannot encode {}", path.display()),
            source: e,
        })?;
        output::write_atomically(&path, &bytes)?;
        done.push((i, checksum::sha256_hex(&bytes)));
        states.push(state);
        points_run += 1;
        let cp = SweepCheckpoint {
            identity: identity.clone(),
            points: done.clone(),
        };
        let cp_bytes = serde_json::to_vec(&cp).map_err(|e| Error::Json {
            context: "cannot encode the checkpoint".into(),
            source: e,
        })?;
        output::write_atomically(&dir.file(CHECKPOINT), &cp_bytes)?;
    }
    states.sort_by_key(|s| s.point);
    let keys: Vec<String> = p.exp.parameters.iter().map(|q| q.key.clone()).collect();
    let robustness = write_tables(
        &dir,
        &keys,
        &states,
        &p.ids,
        p.exp.regret,
        o.shard.is_none(),
    )?;
    let state_sha256 = match o.shard {
        Some(_) => {
            let bytes = serde_json::to_vec(&states).map_err(|e| Error::Json {
                context: "cannot encode state.json".into(),
                source: e,
            })?;
            output::write_atomically(&dir.file("state.json"), &bytes)?;
            Some(checksum::sha256_hex(&bytes))
        }
        None => None,
    };
    let resolved = p.exp.resolved_toml(p.seed, &p.ids, p.baseline);
    std::fs::write(dir.file("experiment.toml"), resolved).map_err(|e| {
        Error::io(
            format!("cannot write {}", dir.file("experiment.toml").display()),
            e,
        )
    })?;
    let wall = started.elapsed().as_secs_f64();
    let manifest = SweepManifest {
        tool: "dialogue-wargame".into(),
        kind: "sweep".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        tool_commit: output::TOOL_COMMIT.into(),
        started_at: o.started_at.clone(),
        experiment: p.exp.path.display().to_string(),
        experiment_sha256: p.exp.sha256.clone(),
        identity_sha256: p.identity_sha256.clone(),
        scenarios: p
            .exp
            .scenarios
            .iter()
            .zip(&p.bases)
            .map(|(name, b)| ScenarioRecord {
                name: name.clone(),
                sha256: b.sha256.clone(),
            })
            .collect(),
        seed: p.seed,
        replications: p.exp.replications,
        method: p.exp.sampling.name().into(),
        parameters: keys,
        total_points: p.points.len() as u64,
        first_point: range.start,
        points: range.end - range.start,
        shard: o.shard.as_ref().map(|(k, n, _)| format!("{k}/{n}")),
        state_sha256,
        designs: p.ids.clone(),
        baseline: p.ids[p.baseline].clone(),
        thresholds: threshold_list(&p.exp),
        regret_metric: p.exp.regret.name().into(),
        command_line: o.command_line.clone(),
        wall_seconds: (wall * 1000.0).round() / 1000.0,
    };
    files::write_sweep_manifest(&dir.file("manifest.json"), &manifest)?;
    // The points' files served the checkpoint; the tables hold what they held.
    std::fs::remove_dir_all(dir.file("points"))
        .map_err(|e| Error::io(format!("cannot remove {}", dir.file("points").display()), e))?;
    if o.documents != crate::report::Documents::default() {
        crate::report::write_tables(dir.work_dir(), false, o.documents)?;
    }
    let out = dir.commit()?;
    Ok((
        out,
        Outcome {
            robustness,
            points_run,
            points: states.len(),
            wall,
        },
    ))
}

fn read_point(path: &Path, sha256: &str) -> Result<PointState> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::usage(
            format!("--resume: cannot read {}: {e}", path.display()),
            "pass --force to start over",
        )
    })?;
    if checksum::sha256_hex(&bytes) != sha256 {
        return Err(Error::usage(
            format!(
                "--resume: {} does not match the checksum the checkpoint records",
                path.display()
            ),
            "pass --force to start over",
        ));
    }
    let s: PointState = serde_json::from_slice(&bytes)
        .ok()
        .filter(|s: &PointState| s.acc.shape_ok())
        .ok_or_else(|| {
            Error::usage(
                format!("--resume: {} is damaged", path.display()),
                "pass --force to start over",
            )
        })?;
    Ok(s)
}

/// Write points.csv, results.csv and (`with_robustness`, not for a shard) robustness.csv of
/// `states` (in point order); returns the robustness rows.
pub fn write_tables(
    dir: &ResultsDir,
    keys: &[String],
    states: &[PointState],
    ids: &[String],
    regret_metric: Metric,
    with_robustness: bool,
) -> Result<Vec<RobustnessRow>> {
    let rows: Vec<PointRow<'_>> = states
        .iter()
        .map(|s| PointRow {
            point: s.point as usize,
            scenario: &s.scenario,
            values: s.values.clone(),
        })
        .collect();
    files::write_points(&dir.file("points.csv"), keys, &rows)?;
    let results: Vec<_> = states
        .iter()
        .flat_map(|s| files::result_rows(s.point as usize, &s.scenario, &s.acc, ids))
        .collect();
    files::write_results(&dir.file("results.csv"), &results)?;
    if !with_robustness {
        return Ok(Vec::new());
    }
    let robustness = robustness_rows(states, ids, regret_metric);
    files::write_robustness(&dir.file("robustness.csv"), &robustness)?;
    Ok(robustness)
}

/// Each design's regret on `metric` over the points, and its share of points meeting each
/// threshold set at every point.
pub fn robustness_rows(
    states: &[PointState],
    ids: &[String],
    metric: Metric,
) -> Vec<RobustnessRow> {
    let m = metric.index();
    let info = metric.info();
    let means: Vec<Vec<f64>> = states
        .iter()
        .map(|s| (0..ids.len()).map(|d| s.acc.moments(d, m).mean()).collect())
        .collect();
    let regrets = robustness::regret(&means, info.higher_is_better);
    let best = robustness::minimax(&regrets);
    // Thresholds set at every point (a scenario without one leaves the share undefined).
    let with_threshold: Vec<Metric> = Metric::ALL
        .into_iter()
        .filter(|t| {
            !states.is_empty() && states.iter().all(|s| s.acc.thresholds[t.index()].is_some())
        })
        .collect();
    regrets
        .iter()
        .enumerate()
        .map(|(d, r)| RobustnessRow {
            design: ids[d].clone(),
            metric,
            points: states.len(),
            mean_regret: r.mean,
            max_regret: r.max,
            share_best: r.share_best,
            minimax: best == Some(d),
            meets: with_threshold
                .iter()
                .map(|&t| {
                    let share = states
                        .iter()
                        .filter(|s| {
                            let v = s.acc.moments(d, t.index()).mean();
                            let th = s.acc.thresholds[t.index()].unwrap_or(f64::NAN);
                            if t.info().higher_is_better {
                                v >= th
                            } else {
                                v <= th
                            }
                        })
                        .count() as f64
                        / states.len() as f64;
                    (t, share)
                })
                .collect(),
        })
        .collect()
}

/// The identity of the sweep a manifest records (its shard reduced to the shard count), for
/// [`same_run`].
pub fn manifest_identity(m: &SweepManifest) -> RunIdentity {
    RunIdentity {
        version: m.version.clone(),
        scenario_sha256: m.identity_sha256.clone(),
        seed: m.seed,
        designs: m.designs.clone(),
        baseline: m.baseline.clone(),
        thresholds: m.thresholds.clone(),
        replications: m.replications,
        limit: m.total_points,
        shard: m
            .shard
            .as_deref()
            .map(|s| s.split_once('/').map_or(s, |(_, n)| n).to_string()),
        precision: Vec::new(),
        per_replication: false,
    }
}

/// Combine the shards of one sweep (`sweep --shard K/N`) into `dir`: the same bytes of
/// points.csv, results.csv and robustness.csv as one unsharded sweep.
pub fn merge(
    shards: &[std::path::PathBuf],
    dir: ResultsDir,
    command_line: Vec<String>,
) -> Result<(std::path::PathBuf, Vec<RobustnessRow>)> {
    let mut ms = Vec::new();
    for d in shards {
        crate::interrupt::check()?;
        let m = files::read_sweep_manifest(&d.join("manifest.json"))?;
        if m.shard.is_none() {
            return Err(Error::usage(
                format!("{}: not a shard (its manifest has no `shard`)", d.display()),
                "merge takes the directories written by `sweep --shard K/N`",
            ));
        }
        ms.push((d.clone(), m));
    }
    ms.sort_by_key(|(_, m)| m.first_point);
    let Some((first_dir, first)) = ms.first() else {
        return Err(Error::usage(
            "merge: no shard directories given",
            "name the directories written by `sweep --shard K/N`",
        ));
    };
    let want = manifest_identity(first);
    let mut next = 0;
    for (d, m) in &ms {
        if let Some(what) = same_run(&manifest_identity(m), &want).map(sweep_words) {
            return Err(Error::usage(
                format!(
                    "{} does not belong with {}: {what} differs",
                    d.display(),
                    first_dir.display()
                ),
                "merge only the shards of one sweep (same experiment, scenarios, seed and version)",
            ));
        }
        if m.first_point != next {
            return Err(Error::usage(
                format!(
                    "{}: starts at point {}, expected {next}: a shard is missing or given twice",
                    d.display(),
                    m.first_point
                ),
                "name each shard's directory once",
            ));
        }
        next += m.points;
    }
    if next != first.total_points {
        return Err(Error::usage(
            format!(
                "the shards hold {next} points, expected {}: a shard is missing",
                first.total_points
            ),
            "name every shard's directory",
        ));
    }
    let mut states: Vec<PointState> = Vec::new();
    for (d, m) in &ms {
        crate::interrupt::check()?;
        let path = d.join("state.json");
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::usage(
                format!("{}: cannot read the state file: {e}", path.display()),
                "rerun that shard",
            )
        })?;
        if m.state_sha256.as_deref() != Some(checksum::sha256_hex(&bytes).as_str()) {
            return Err(Error::usage(
                format!(
                    "{}: does not match the checksum its manifest.json records",
                    path.display()
                ),
                "rerun that shard (or put back its own state.json)",
            ));
        }
        let part: Vec<PointState> = serde_json::from_slice(&bytes).map_err(|e| {
            Error::usage(
                format!("{}: not a valid state file: {e}", path.display()),
                "rerun that shard",
            )
        })?;
        if part
            .iter()
            .any(|s| !s.acc.shape_ok() || s.acc.n_designs != m.designs.len())
        {
            return Err(Error::usage(
                format!(
                    "{}: the state file is inconsistent with its manifest",
                    path.display()
                ),
                "it was damaged or edited; rerun that shard",
            ));
        }
        states.extend(part);
    }
    let regret = Metric::from_name(&first.regret_metric).unwrap_or(Metric::Composite);
    let robustness = write_tables(
        &dir,
        &first.parameters,
        &states,
        &first.designs,
        regret,
        true,
    )?;
    std::fs::copy(
        first_dir.join("experiment.toml"),
        dir.file("experiment.toml"),
    )
    .map_err(|e| {
        Error::io(
            format!(
                "cannot copy {}",
                first_dir.join("experiment.toml").display()
            ),
            e,
        )
    })?;
    let mut manifest = first.clone();
    manifest.shard = None;
    manifest.state_sha256 = None;
    manifest.first_point = 0;
    manifest.points = first.total_points;
    manifest.started_at = ms
        .iter()
        .map(|(_, m)| m.started_at.clone())
        .min()
        .unwrap_or_default();
    manifest.wall_seconds =
        (ms.iter().map(|(_, m)| m.wall_seconds).sum::<f64>() * 1000.0).round() / 1000.0;
    manifest.command_line = command_line;
    files::write_sweep_manifest(&dir.file("manifest.json"), &manifest)?;
    crate::interrupt::check()?;
    Ok((dir.commit()?, robustness))
}
