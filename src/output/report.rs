//! The JSON summary `run --json` prints on standard output instead of the table, for scripts:
//! each design's mean and 95% interval on every metric and its probability of being best on
//! the composite, and where the files went. docs/OUTPUTS.md describes it.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::PrecisionResult;
use crate::metric::{Metric, METRICS};
use crate::stats::{self, RunAccumulator};

/// What `run --json` prints.
#[derive(Debug, serde::Serialize)]
pub struct RunReport {
    /// The results directory written.
    pub out: String,
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the resolved scenario, as in manifest.json.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replications in the results directory.
    pub replications: u64,
    /// The design the others are compared against.
    pub baseline: String,
    /// Wall-clock seconds of the simulation.
    pub wall_seconds: f64,
    /// One entry per design, in output order.
    pub designs: Vec<DesignReport>,
    /// The `--precision` targets and whether they were met (empty without `--precision`).
    pub precision: Vec<PrecisionResult>,
}

/// One design in [`RunReport`].
#[derive(Debug, serde::Serialize)]
pub struct DesignReport {
    /// Design id.
    pub id: String,
    /// Share of replications in which the design is best on the composite (ties shared).
    pub p_best: f64,
    /// Wilson 95% interval of `p_best`: [low, high].
    pub p_best_ci95: [f64; 2],
    /// Every metric, in column order, keyed by name.
    pub metrics: Metrics,
}

/// A design's metrics, serialized as a JSON object keyed by metric name, in column order.
#[derive(Debug)]
pub struct Metrics(pub Vec<(&'static str, MetricReport)>);

impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, m) in &self.0 {
            map.serialize_entry(name, m)?;
        }
        map.end()
    }
}

/// One metric of one design: the mean and its 95% t interval (`null` where not defined, as
/// from one replication), unrounded.
#[derive(Debug, serde::Serialize)]
pub struct MetricReport {
    /// Mean over replications.
    pub mean: f64,
    /// Lower end of the 95% interval of the mean.
    pub ci95_low: f64,
    /// Upper end.
    pub ci95_high: f64,
}

/// The designs' part of the report.
pub fn design_reports(acc: &RunAccumulator, ids: &[String]) -> Vec<DesignReport> {
    let composite = Metric::Composite.index();
    ids.iter()
        .enumerate()
        .map(|(d, id)| {
            let p = acc.p_best(d, composite);
            let (lo, hi) = stats::wilson(p, acc.replications());
            DesignReport {
                id: id.clone(),
                p_best: p,
                p_best_ci95: [lo, hi],
                metrics: Metrics(
                    METRICS
                        .iter()
                        .enumerate()
                        .map(|(m, metric)| {
                            let (mean, _, lo, hi) = stats::mean_interval(&acc.metric(d, m).moments);
                            (
                                metric.name,
                                MetricReport {
                                    mean,
                                    ci95_low: lo,
                                    ci95_high: hi,
                                },
                            )
                        })
                        .collect(),
                ),
            }
        })
        .collect()
}
