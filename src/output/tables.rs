//! Flat serde rows for the CSV files, and the manifest.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use serde::Serialize;

use super::checksum::Hashing;
use crate::error::{Error, Result};
use crate::metric::{Metric, METRICS, N_METRICS};
use crate::stats::{self, RunAccumulator};

/// Significant digits of a number in the CSVs: enough to recompute a derived column (a
/// 95% interval from `mean` and `se`, a difference from two means) to about 1e-8 of its size,
/// whatever the magnitude.
pub const SIGNIFICANT_DIGITS: usize = 9;

/// Format a number for the CSVs: rounded to [`SIGNIFICANT_DIGITS`] significant digits, then
/// written in the shortest decimal form that reads back as that rounded value (no exponent,
/// no trailing zeros, `.` as the decimal point, no thousands separators: `0.0000123456789`,
/// `0.9`, `1234.5`); `0` for negative zero; empty for NaN (spreadsheets read it as blank).
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    // Rounding through the exponent form rounds to significant digits, not decimals; the
    // round trip through f64 then lets `Display` drop the digits the rounding made zero.
    let rounded: f64 = format!("{x:.prec$e}", prec = SIGNIFICANT_DIGITS - 1)
        .parse()
        .unwrap_or(x);
    if rounded == 0.0 {
        "0".to_string()
    } else {
        rounded.to_string()
    }
}

/// One row of summary.csv: one design × metric.
#[derive(Debug, Serialize)]
pub struct SummaryRow {
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
    /// 5th percentile.
    pub p05: String,
    /// 25th percentile.
    pub p25: String,
    /// Median.
    pub p50: String,
    /// 75th percentile.
    pub p75: String,
    /// 95th percentile.
    pub p95: String,
    /// Smallest value.
    pub min: String,
    /// Largest value.
    pub max: String,
    /// `higher` or `lower`: which way is better.
    pub better: &'static str,
    /// The threshold, if one is set for this metric.
    pub threshold: String,
    /// Share of replications meeting it (on the better side, inclusive).
    pub p_threshold: String,
    /// `yes` if the design is Pareto-efficient on (info_exchange, evacuation) vs coercion_rate.
    pub pareto_efficient: &'static str,
}

/// Rows of summary.csv, design-major, metrics in column order.
pub fn summary_rows(acc: &RunAccumulator, ids: &[String]) -> Vec<SummaryRow> {
    let (mi, me, mb) = (
        Metric::InfoExchange.index(),
        Metric::Evacuation.index(),
        Metric::CoercionRate.index(),
    );
    let means: Vec<(f64, f64, f64)> = (0..ids.len())
        .map(|d| {
            (
                acc.metric(d, mi).moments.mean(),
                acc.metric(d, me).moments.mean(),
                acc.metric(d, mb).moments.mean(),
            )
        })
        .collect();
    let pareto = stats::pareto(&means);
    let mut rows = Vec::with_capacity(ids.len() * N_METRICS);
    for (d, id) in ids.iter().enumerate() {
        for (m, metric) in METRICS.iter().enumerate() {
            let a = acc.metric(d, m);
            let mo = &a.moments;
            let (mean, se, lo, hi) = stats::mean_interval(mo);
            let q = |p| fmt_num(a.hist.quantile(p, mo));
            let threshold = acc.thresholds[m];
            rows.push(SummaryRow {
                design: id.clone(),
                metric: metric.name,
                n: mo.n,
                mean: fmt_num(mean),
                sd: fmt_num(mo.sd()),
                se: fmt_num(se),
                ci95_low: fmt_num(lo),
                ci95_high: fmt_num(hi),
                p05: q(0.05),
                p25: q(0.25),
                p50: q(0.50),
                p75: q(0.75),
                p95: q(0.95),
                min: fmt_num(mo.min_value()),
                max: fmt_num(mo.max_value()),
                better: if metric.higher_is_better {
                    "higher"
                } else {
                    "lower"
                },
                threshold: threshold.map(fmt_num).unwrap_or_default(),
                p_threshold: threshold
                    .map(|_| fmt_num(a.meets as f64 / mo.n.max(1) as f64))
                    .unwrap_or_default(),
                pareto_efficient: if pareto[d] { "yes" } else { "no" },
            });
        }
    }
    rows
}

/// One row of comparison.csv: a design against the baseline on one metric.
#[derive(Debug, Serialize)]
pub struct ComparisonRow {
    /// Design id.
    pub design: String,
    /// Baseline design id.
    pub baseline: String,
    /// Metric name.
    pub metric: &'static str,
    /// Mean of (design − baseline) over replications (common random numbers).
    pub mean_diff: String,
    /// Lower end of its 95% t interval.
    pub ci95_low: String,
    /// Upper end.
    pub ci95_high: String,
    /// Share of replications in which the design did strictly better.
    pub p_better: String,
    /// `yes` when the interval excludes 0.
    pub significant: &'static str,
    /// Share of replications in which the design did strictly worse.
    pub p_worse: String,
    /// Standard error of the mean difference.
    pub se: String,
    /// Replications.
    pub n: u64,
    /// `higher` or `lower`.
    pub better: &'static str,
}

/// The columns of comparison.csv, for the file with no rows (only the baseline was run).
pub const COMPARISON_HEADER: [&str; 12] = [
    "design",
    "baseline",
    "metric",
    "mean_diff",
    "ci95_low",
    "ci95_high",
    "p_better",
    "significant",
    "p_worse",
    "se",
    "n",
    "better",
];

/// Rows of comparison.csv: every design but the baseline, metrics in column order.
pub fn comparison_rows(acc: &RunAccumulator, ids: &[String]) -> Vec<ComparisonRow> {
    let base = &ids[acc.baseline];
    let mut rows = Vec::new();
    for (d, id) in ids.iter().enumerate() {
        if d == acc.baseline {
            continue;
        }
        for (m, metric) in METRICS.iter().enumerate() {
            let p = acc.pair(d, m);
            let (mean, se, lo, hi) = stats::mean_interval(&p.diff);
            let n = p.diff.n.max(1) as f64;
            let significant = lo.is_finite() && (lo > 0.0 || hi < 0.0);
            rows.push(ComparisonRow {
                design: id.clone(),
                baseline: base.clone(),
                metric: metric.name,
                mean_diff: fmt_num(mean),
                ci95_low: fmt_num(lo),
                ci95_high: fmt_num(hi),
                p_better: fmt_num(p.better as f64 / n),
                significant: if significant { "yes" } else { "no" },
                p_worse: fmt_num(p.worse as f64 / n),
                se: fmt_num(se),
                n: p.diff.n,
                better: if metric.higher_is_better {
                    "higher"
                } else {
                    "lower"
                },
            });
        }
    }
    rows
}

/// One row of best.csv: how often a design is the best on a metric.
#[derive(Debug, Serialize)]
pub struct BestRow {
    /// Metric name.
    pub metric: &'static str,
    /// Design id.
    pub design: String,
    /// Share of replications in which it was best (ties shared equally).
    pub p_best: String,
    /// Lower end of the Wilson 95% interval.
    pub ci95_low: String,
    /// Upper end.
    pub ci95_high: String,
    /// Replications.
    pub n: u64,
}

/// Rows of best.csv: metric-major.
pub fn best_rows(acc: &RunAccumulator, ids: &[String]) -> Vec<BestRow> {
    let n = acc.replications();
    let mut rows = Vec::new();
    for (m, metric) in METRICS.iter().enumerate() {
        for (d, id) in ids.iter().enumerate() {
            let p = acc.p_best(d, m);
            let (lo, hi) = stats::wilson(p, n);
            rows.push(BestRow {
                metric: metric.name,
                design: id.clone(),
                p_best: fmt_num(p),
                ci95_low: fmt_num(lo),
                ci95_high: fmt_num(hi),
                n,
            });
        }
    }
    rows
}

/// One row of ladder.csv: how often Beijing reached a rung of its ladder in peacetime.
#[derive(Debug, Serialize)]
pub struct LadderRow {
    /// Design id.
    pub design: String,
    /// Rung number, 1 for the mildest.
    pub rung: usize,
    /// Rung name, from the scenario's `[[beijing.rung]]`.
    pub name: String,
    /// Share of replications in which Beijing reached this rung or a higher one.
    pub p_reached: String,
    /// Lower end of the Wilson 95% interval.
    pub ci95_low: String,
    /// Upper end.
    pub ci95_high: String,
    /// Replications.
    pub n: u64,
}

/// Rows of ladder.csv, design-major, from the exact whole-number histogram of `max_rung`:
/// P(max_rung ≥ k) for every rung k of the ladder (docs/MODEL.md §4).
pub fn ladder_rows(acc: &RunAccumulator, ids: &[String], rungs: &[String]) -> Vec<LadderRow> {
    let n = acc.replications();
    let m = Metric::MaxRung.index();
    let mut rows = Vec::with_capacity(ids.len() * rungs.len());
    for (d, id) in ids.iter().enumerate() {
        let counts = &acc.metric(d, m).hist.counts;
        for (k, name) in rungs.iter().enumerate() {
            let reached: u64 = counts.iter().skip(k + 1).sum();
            let p = if n > 0 {
                reached as f64 / n as f64
            } else {
                0.0
            };
            let (lo, hi) = stats::wilson(p, n);
            rows.push(LadderRow {
                design: id.clone(),
                rung: k + 1,
                name: name.clone(),
                p_reached: fmt_num(p),
                ci95_low: fmt_num(lo),
                ci95_high: fmt_num(hi),
                n,
            });
        }
    }
    rows
}

/// The columns of ladder.csv, for a scenario without a ladder.
pub const LADDER_HEADER: [&str; 7] = [
    "design",
    "rung",
    "name",
    "p_reached",
    "ci95_low",
    "ci95_high",
    "n",
];

/// A CSV writer in the house format: RFC 4180 (CRLF line ends, quotes only where needed).
pub(super) fn csv_writer<W: std::io::Write>(w: W, headers: bool) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(headers)
        .from_writer(w)
}

/// Write serde rows to a CSV file.
/// `header` is written when there are no rows (serde only knows the header from a row), so
/// a spreadsheet still finds its columns.
pub fn write_csv<T: Serialize>(path: &Path, rows: &[T], header: &[&str]) -> Result<()> {
    let file = File::create(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    let mut w = csv_writer(BufWriter::new(file), true);
    if rows.is_empty() {
        w.write_record(header)?;
    }
    for r in rows {
        w.serialize(r)?;
    }
    w.flush()
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(())
}

/// The world columns of replications.csv, in order.
/// The world columns of replications.csv, in order (docs/OUTPUTS.md §6).
pub fn world_header() -> impl Iterator<Item = &'static str> {
    // The names do not depend on the values: any world gives them.
    crate::model::World::default()
        .columns()
        .into_iter()
        .map(|(name, _)| name)
}

/// Streams replications.csv: one row per replication × design, hashing the bytes as they go
/// so that the manifest and each checkpoint can record the file's SHA-256.
pub struct ReplicationWriter {
    w: csv::Writer<BufWriter<Hashing<File>>>,
    ids: Vec<String>,
    record: Vec<String>,
    /// The world's cells, formatted once per replication for all its designs' rows.
    world: Vec<String>,
}

impl ReplicationWriter {
    /// Create the file and write the header.
    pub fn create(path: &Path, ids: Vec<String>) -> Result<ReplicationWriter> {
        let file = File::create(path)
            .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
        let mut w = csv_writer(BufWriter::with_capacity(1 << 20, Hashing::new(file)), true);
        let mut header = vec!["replication".to_string(), "design".to_string()];
        header.extend(METRICS.iter().map(|m| m.name.to_string()));
        header.extend(world_header().map(str::to_string));
        w.write_record(&header)?;
        Ok(ReplicationWriter {
            w,
            ids,
            record: Vec::with_capacity(N_METRICS + 2 + crate::model::N_WORLD_COLUMNS),
            world: Vec::with_capacity(crate::model::N_WORLD_COLUMNS),
        })
    }

    /// Reopen a replications.csv written up to `bytes` by an interrupted run: check those
    /// bytes against the checkpoint's `sha256` (absent in checkpoints written before checksums
    /// were), cut what came after the checkpoint and continue appending.
    pub fn resume(
        path: &Path,
        ids: Vec<String>,
        bytes: u64,
        sha256: Option<&str>,
    ) -> Result<ReplicationWriter> {
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| Error::io(format!("--resume: cannot open {}", path.display()), e))?;
        let mut reader = std::io::BufReader::new(
            file.try_clone()
                .map_err(|e| Error::io(format!("--resume: cannot read {}", path.display()), e))?,
        );
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(0))
            .map_err(|e| Error::io(format!("--resume: cannot seek {}", path.display()), e))?;
        let (hashing, whole) = Hashing::continuing(file, &mut reader, bytes).map_err(|e| {
            if e.kind() == std::io::ErrorKind::Interrupted {
                Error::Interrupted
            } else {
                Error::io(format!("--resume: cannot read {}", path.display()), e)
            }
        })?;
        if !whole || sha256.is_some_and(|want| hashing.sha256() != want) {
            return Err(Error::usage(
                format!(
                    "--resume: {} does not match the checkpoint (its first {bytes} bytes were \
                     edited, cut or replaced since the run was interrupted)",
                    path.display()
                ),
                "pass --force to start over",
            ));
        }
        let file = hashing.get_ref();
        file.set_len(bytes)
            .map_err(|e| Error::io(format!("--resume: cannot truncate {}", path.display()), e))?;
        let mut f = file;
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(bytes))
            .map_err(|e| Error::io(format!("--resume: cannot seek {}", path.display()), e))?;
        let w = csv_writer(BufWriter::with_capacity(1 << 20, hashing), false);
        Ok(ReplicationWriter {
            w,
            ids,
            record: Vec::with_capacity(N_METRICS + 2 + crate::model::N_WORLD_COLUMNS),
            world: Vec::with_capacity(crate::model::N_WORLD_COLUMNS),
        })
    }

    /// Flush and return the file's length and SHA-256, for a checkpoint.
    pub fn flushed(&mut self) -> Result<(u64, String)> {
        self.w
            .flush()
            .map_err(|e| Error::io("cannot write replications.csv", e))?;
        let hashing = self.w.get_ref().get_ref();
        hashing
            .get_ref()
            .sync_data()
            .map_err(|e| Error::io("cannot flush replications.csv", e))?;
        Ok((hashing.len(), hashing.sha256()))
    }

    /// Write replication `rep`'s rows: each design's scores, then the world it faced (the
    /// same for every design of the replication).
    pub fn write(
        &mut self,
        rep: u64,
        world: &crate::model::World,
        scores: &[[f64; N_METRICS]],
    ) -> std::io::Result<()> {
        self.world.clear();
        self.world
            .extend(world.columns().iter().map(|&(_, x)| fmt_num(x)));
        for (d, s) in scores.iter().enumerate() {
            self.record.clear();
            self.record.push(rep.to_string());
            self.record.push(self.ids[d].clone());
            self.record.extend(s.iter().map(|&x| fmt_num(x)));
            self.record.extend(self.world.iter().cloned());
            self.w
                .write_record(&self.record)
                .map_err(std::io::Error::other)?;
        }
        Ok(())
    }

    /// Flush the file; returns its SHA-256, for the manifest.
    pub fn finish(mut self) -> Result<String> {
        self.w
            .flush()
            .map_err(|e| Error::io("cannot write replications.csv", e))?;
        Ok(self.w.get_ref().get_ref().sha256())
    }
}

/// manifest.json: what was run, with what, and how long it took.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct Manifest {
    /// `dialogue-wargame`.
    pub tool: String,
    /// Crate version.
    pub version: String,
    /// The git commit the tool was built from, or `unknown` when it was not built from a git
    /// checkout (absent in manifests written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_commit: Option<String>,
    /// When the command that wrote the directory started, in UTC, RFC 3339
    /// (`2025-06-01T09:30:00Z`). Absent in manifests written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// Scenario name.
    pub scenario: String,
    /// Where the scenario came from (paths or `<builtin NAME>`).
    pub scenario_sources: Vec<String>,
    /// SHA-256 of the resolved scenario (after extends and overrides), canonical form.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replications in this directory.
    pub replications: u64,
    /// First replication index (0 unless sharded).
    pub first_replication: u64,
    /// Replications of the whole run (all shards together).
    pub total_replications: u64,
    /// `K/N` for a shard, absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// Design ids, in output order.
    pub designs: Vec<String>,
    /// Each design's programme, in output order: `ID: common ...` or `ID: own ...` with its
    /// cadence and agenda (docs/MODEL.md §2).
    #[serde(default)]
    pub programmes: Vec<String>,
    /// The escalation ladder's rung names, mildest first (the rows of ladder.csv).
    #[serde(default)]
    pub ladder: Vec<String>,
    /// SHA-256 of replications.csv (with --per-replication): `merge` refuses rows edited or
    /// swapped between shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications_sha256: Option<String>,
    /// SHA-256 of state.json (a shard's): `merge` refuses a state edited or swapped between
    /// shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_sha256: Option<String>,
    /// Baseline design id.
    pub baseline: String,
    /// Thresholds counted, as METRIC=VALUE.
    pub thresholds: Vec<String>,
    /// `--set` overrides as typed (including those from --weights).
    pub overrides: Vec<String>,
    /// Precision targets and whether they were met.
    pub precision: Vec<PrecisionResult>,
    /// The options of `run` that `rerun` needs beyond the fields above (absent in manifests
    /// written before `rerun` existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<RunOptions>,
    /// For a directory written by `rerun`: the directory it reproduces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rerun_of: Option<String>,
    /// The command line.
    pub command_line: Vec<String>,
    /// Wall-clock seconds for the simulation (varies run to run; no other file does).
    pub wall_seconds: f64,
    /// The resolved scenario (after `extends`, `[[add_design]]`, `--set` and `--weights`) as
    /// TOML text; loading it gives `scenario_sha256` again. Last, being long. Absent in
    /// manifests written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_scenario: Option<String>,
}

/// The options of a `run` that shape its results and are not recorded elsewhere in the
/// manifest: with the resolved scenario, seed, designs, baseline and shard, they are what
/// `rerun` repeats.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct RunOptions {
    /// `-n` (the scenario's `replications` when not given): the whole run's with `--shard`, one
    /// batch's with `--precision`.
    pub replications: u64,
    /// The limit in force with `--precision` (`--max-replications`, default 10 × `-n`); absent
    /// without `--precision`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replications: Option<u64>,
    /// `--precision` targets as typed.
    pub precision: Vec<String>,
    /// `--threshold` flags as typed (the scenario's own thresholds are in the resolved
    /// scenario); kept as text so that a value is repeated exactly, not as rounded in
    /// `thresholds`.
    pub thresholds: Vec<String>,
    /// `--per-replication`.
    pub per_replication: bool,
    /// `--strict`.
    pub strict: bool,
}

/// The git commit this binary was built from (`build.rs`), or `unknown`.
pub const TOOL_COMMIT: &str = env!("DIALOGUE_WARGAME_COMMIT");

/// Now, in UTC, as RFC 3339 to the second: `2025-06-01T09:30:00Z`.
pub fn now_rfc3339() -> String {
    let secs = match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        // A clock set before 1970.
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    rfc3339(secs)
}

/// Seconds since 1970-01-01T00:00:00Z as RFC 3339 in UTC, without a date-time dependency: the
/// proleptic Gregorian calendar of Howard Hinnant's `civil_from_days`.
fn rfc3339(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of the 400-year era, [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the year from March 1
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The outcome of one `--precision` target.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct PrecisionResult {
    /// The target as typed: `METRIC=HALFWIDTH` or `ranking`.
    pub target: String,
    /// Whether it was met when the run stopped.
    pub met: bool,
    /// What was achieved: the largest half-width over designs, or for `ranking` the lower end
    /// of the best-minus-runner-up interval on the composite.
    pub achieved: f64,
    /// A sentence saying what that means.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::{fmt_num, rfc3339};

    #[test]
    fn numbers_keep_nine_significant_digits_whatever_their_size() {
        assert_eq!(fmt_num(0.9), "0.9");
        assert_eq!(fmt_num(1.0), "1");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(f64::NAN), "");
        assert_eq!(fmt_num(0.123_456_789_123), "0.123456789");
        assert_eq!(fmt_num(0.000_012_345_678_912_3), "0.0000123456789");
        assert_eq!(fmt_num(-1_234.567_891_234), "-1234.56789");
        assert_eq!(fmt_num(1_048_576.0), "1048576");
        assert_eq!(fmt_num(1e-9), "0.000000001");
        // A small standard error keeps its digits: the interval it implies can be recomputed.
        let se = 0.000_001_234_567_89_f64;
        let back: f64 = fmt_num(se).parse().unwrap();
        assert!((back - se).abs() <= se * 1e-8, "{back} vs {se}");
    }

    #[test]
    fn rfc3339_agrees_with_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z"); // a leap day of a 400 year
        assert_eq!(rfc3339(1_709_164_799), "2024-02-28T23:59:59Z");
        assert_eq!(rfc3339(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(rfc3339(1_735_689_600), "2025-01-01T00:00:00Z");
        assert_eq!(rfc3339(4_107_542_400), "2100-03-01T00:00:00Z"); // 2100 is no leap year
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }
}
