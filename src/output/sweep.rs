//! The files of a sweep's results directory: points.csv, results.csv, robustness.csv and its
//! manifest.json (docs/OUTPUTS.md §12).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fmt_num;
use super::tables::{create_csv, flush_csv};
use crate::error::Result;
use crate::metric::{Metric, METRICS};
use crate::stats::{self, MeanSummary};

/// One point of a sweep as a row of points.csv: its index, scenario and the value of each
/// parameter (strings without quotes).
pub struct PointRow<'a> {
    /// Index of the point (from 0).
    pub point: usize,
    /// The scenario's name.
    pub scenario: &'a str,
    /// The parameters' values, in the experiment's order.
    pub values: Vec<String>,
}

/// Write points.csv: `point,scenario,KEY...` with one column per parameter.
pub fn write_points(path: &Path, keys: &[String], rows: &[PointRow<'_>]) -> Result<()> {
    let mut w = create_csv(path)?;
    let mut header = vec!["point".to_string(), "scenario".to_string()];
    header.extend(keys.iter().cloned());
    w.write_record(&header)?;
    for r in rows {
        let mut rec = vec![r.point.to_string(), r.scenario.to_string()];
        rec.extend(r.values.iter().cloned());
        w.write_record(&rec)?;
    }
    flush_csv(w, path)
}

/// One row of results.csv: one point × design × metric.
#[derive(Debug, Serialize)]
pub struct ResultRow {
    /// Index of the point (points.csv).
    pub point: usize,
    /// The point's scenario.
    pub scenario: String,
    /// Design id.
    pub design: String,
    /// Metric name.
    pub metric: &'static str,
    /// Replications.
    pub n: u64,
    /// Mean.
    pub mean: String,
    /// Sample standard deviation.
    pub sd: String,
    /// Standard error of the mean.
    pub se: String,
    /// Lower end of the 95% t interval of the mean.
    pub ci95_low: String,
    /// Upper end.
    pub ci95_high: String,
    /// The baseline design.
    pub baseline: String,
    /// Mean of (design − baseline) over the point's replications (common random numbers);
    /// empty on the baseline's own rows.
    pub diff: String,
    /// Lower end of its 95% t interval.
    pub diff_ci95_low: String,
    /// Upper end.
    pub diff_ci95_high: String,
    /// `higher` or `lower`: which way is better.
    pub better: &'static str,
    /// The metric's threshold at this point, if one is set.
    pub threshold: String,
    /// Share of the point's replications meeting it (better side, inclusive).
    pub p_threshold: String,
}

/// results.csv's rows of one point: design-major, metrics in column order.
pub fn result_rows(
    point: usize,
    scenario: &str,
    acc: &MeanSummary,
    ids: &[String],
) -> Vec<ResultRow> {
    let mut rows = Vec::with_capacity(ids.len() * METRICS.len());
    for (d, id) in ids.iter().enumerate() {
        for (m, metric) in METRICS.iter().enumerate() {
            let mo = acc.moments(d, m);
            let (mean, se, lo, hi) = stats::mean_interval(mo);
            let (diff, dlo, dhi) = if d == acc.baseline {
                (String::new(), String::new(), String::new())
            } else {
                let (dm, _, l, h) = stats::mean_interval(acc.diff(d, m));
                (fmt_num(dm), fmt_num(l), fmt_num(h))
            };
            let threshold = acc.thresholds[m];
            rows.push(ResultRow {
                point,
                scenario: scenario.to_string(),
                design: id.clone(),
                metric: metric.name,
                n: mo.n,
                mean: fmt_num(mean),
                sd: fmt_num(mo.sd()),
                se: fmt_num(se),
                ci95_low: fmt_num(lo),
                ci95_high: fmt_num(hi),
                baseline: ids[acc.baseline].clone(),
                diff,
                diff_ci95_low: dlo,
                diff_ci95_high: dhi,
                better: if metric.higher_is_better {
                    "higher"
                } else {
                    "lower"
                },
                threshold: threshold.map(fmt_num).unwrap_or_default(),
                p_threshold: threshold
                    .map(|_| fmt_num(acc.meets(d, m) as f64 / mo.n.max(1) as f64))
                    .unwrap_or_default(),
            });
        }
    }
    rows
}

/// Write results.csv.
pub fn write_results(path: &Path, rows: &[ResultRow]) -> Result<()> {
    let mut w = create_csv(path)?;
    for r in rows {
        w.serialize(r)?;
    }
    flush_csv(w, path)
}

/// One design's row of robustness.csv.
pub struct RobustnessRow {
    /// Design id.
    pub design: String,
    /// The metric regret is measured on.
    pub metric: Metric,
    /// Points.
    pub points: usize,
    /// Mean regret over the points.
    pub mean_regret: f64,
    /// Largest regret.
    pub max_regret: f64,
    /// Share of points at which it is best.
    pub share_best: f64,
    /// Whether it has the smallest maximum regret.
    pub minimax: bool,
    /// Per metric with a threshold: share of points at which the design's mean meets it.
    pub meets: Vec<(Metric, f64)>,
}

/// Write robustness.csv: `design,metric,points,mean_regret,max_regret,share_best,minimax`,
/// then `meets_METRIC` for each metric with a threshold.
pub fn write_robustness(path: &Path, rows: &[RobustnessRow]) -> Result<()> {
    let mut w = create_csv(path)?;
    let mut header: Vec<String> = [
        "design",
        "metric",
        "points",
        "mean_regret",
        "max_regret",
        "share_best",
        "minimax",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(first) = rows.first() {
        header.extend(
            first
                .meets
                .iter()
                .map(|(m, _)| format!("meets_{}", m.name())),
        );
    }
    w.write_record(&header)?;
    for r in rows {
        let mut rec = vec![
            r.design.clone(),
            r.metric.name().to_string(),
            r.points.to_string(),
            fmt_num(r.mean_regret),
            fmt_num(r.max_regret),
            fmt_num(r.share_best),
            if r.minimax { "yes" } else { "no" }.to_string(),
        ];
        rec.extend(r.meets.iter().map(|&(_, v)| fmt_num(v)));
        w.write_record(&rec)?;
    }
    flush_csv(w, path)
}

/// manifest.json of a sweep: what was run, with what, and how long it took.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SweepManifest {
    /// `dialogue-wargame`.
    pub tool: String,
    /// `sweep`: tells a sweep's manifest from a run's.
    pub kind: String,
    /// Crate version.
    pub version: String,
    /// The git commit the tool was built from.
    pub tool_commit: String,
    /// When the command started, UTC, RFC 3339.
    pub started_at: String,
    /// The experiment file as given.
    pub experiment: String,
    /// SHA-256 of the experiment file's text (a copy is experiment.toml).
    pub experiment_sha256: String,
    /// SHA-256 over the experiment and every scenario it names, as loaded: what makes two
    /// sweeps the same sweep.
    pub identity_sha256: String,
    /// The scenarios, with the SHA-256 of each as resolved.
    pub scenarios: Vec<ScenarioRecord>,
    /// Master seed: replication r of every point uses the world key of (seed, r).
    pub seed: u64,
    /// Replications per point.
    pub replications: u64,
    /// The sampling method.
    pub method: String,
    /// The parameters' key paths.
    pub parameters: Vec<String>,
    /// Points in the whole experiment.
    pub total_points: u64,
    /// First point in this directory.
    pub first_point: u64,
    /// Points in this directory.
    pub points: u64,
    /// `K/N` for a shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// SHA-256 of state.json (shards only), checked by `merge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_sha256: Option<String>,
    /// Design ids in output order.
    pub designs: Vec<String>,
    /// The baseline design.
    pub baseline: String,
    /// Thresholds the experiment sets, METRIC=VALUE (each scenario's own apply otherwise).
    pub thresholds: Vec<String>,
    /// The metric regret is measured on.
    pub regret_metric: String,
    /// The command line.
    pub command_line: Vec<String>,
    /// Wall time in seconds (summed over shards after a merge).
    pub wall_seconds: f64,
}

/// A scenario a sweep ran, and its hash.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ScenarioRecord {
    /// As named in the experiment.
    pub name: String,
    /// SHA-256 of the resolved scenario (without the points' overrides).
    pub sha256: String,
}

/// Write a sweep's manifest.json.
pub fn write_sweep_manifest(path: &Path, m: &SweepManifest) -> Result<()> {
    super::write_pretty_json(path, m)
}

/// Whether a results directory's manifest.json is a sweep's (`"kind": "sweep"`).
pub fn is_sweep(dir: &Path) -> bool {
    #[derive(Deserialize)]
    struct Kind {
        #[serde(default)]
        kind: Option<String>,
    }
    std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Kind>(&b).ok())
        .is_some_and(|k| k.kind.as_deref() == Some("sweep"))
}

/// Read a sweep's manifest.json.
pub fn read_sweep_manifest(path: &Path) -> Result<SweepManifest> {
    super::read_json_manifest(path, "sweep manifest", "sweep")
}
