//! The value of information over an explored set of points: voi.csv and its printed lines.

use serde::Serialize;

use super::table::Table;
use crate::analysis::prim::short;
use crate::analysis::voi::{self, ValueOfInformation, VoiConfig};
use crate::error::{Error, Result};
use crate::metric::Metric;
use crate::output::fmt_num;

/// EVPI, EVPPI and choice shift of each parameter, for the choice of design by `metric` (the
/// composite by default; a metric where lower is better is negated, so that "value" is always
/// higher-is-better).
pub fn value_of_information(
    table: &Table,
    metric: Metric,
    seed: u64,
) -> Result<ValueOfInformation> {
    let sign = if metric.info().higher_is_better {
        1.0
    } else {
        -1.0
    };
    let values: Vec<Vec<f64>> = (0..table.points.len())
        .map(|p| {
            (0..table.designs.len())
                .map(|d| sign * table.value(p, d, metric))
                .collect()
        })
        .collect();
    let cfg = VoiConfig {
        seed,
        ..VoiConfig::default()
    };
    voi::value_of_information(&table.points, &values, &cfg)
        .map_err(|e| Error::usage(format!("value of information: {e}"), "check the results"))
}

/// voi.csv's columns.
pub const HEADER: [&str; 11] = [
    "scenario",
    "parameter",
    "metric",
    "choice",
    "evppi",
    "evppi_noise_floor",
    "evpi",
    "evpi_share",
    "choice_shift",
    "choice_shift_noise_floor",
    "bins",
];

/// One row of voi.csv: one parameter.
#[derive(Debug, Serialize)]
pub struct VoiRow {
    /// The scenario whose points these are (a run's replications: the run's scenario).
    pub scenario: String,
    /// The parameter (as named in points.csv).
    pub parameter: String,
    /// The metric the choice is judged by.
    pub metric: &'static str,
    /// The design best on average: the choice without further information.
    pub choice: String,
    /// Expected value of partial perfect information: the expected gain, in the metric's
    /// units, from learning this parameter before choosing.
    pub evppi: String,
    /// The EVPPI estimator's noise floor.
    pub evppi_noise_floor: String,
    /// Expected value of perfect information (every parameter known), the same on every row.
    pub evpi: String,
    /// `evppi / evpi` (empty when the EVPI is 0).
    pub evpi_share: String,
    /// How far knowing the parameter moves the odds of which design is best, in [0, 1].
    pub choice_shift: String,
    /// Its noise floor.
    pub choice_shift_noise_floor: String,
    /// Bins the parameter's values were partitioned into.
    pub bins: usize,
}

/// voi.csv's rows, in parameter order.
pub fn rows(scenario: &str, table: &Table, metric: Metric, v: &ValueOfInformation) -> Vec<VoiRow> {
    v.parameters
        .iter()
        .enumerate()
        .map(|(j, p)| VoiRow {
            scenario: scenario.to_string(),
            parameter: table.names[j].clone(),
            metric: metric.name(),
            choice: table.designs[v.best_on_average].clone(),
            evppi: fmt_num(p.evppi),
            evppi_noise_floor: fmt_num(p.evppi_floor),
            evpi: fmt_num(v.evpi),
            evpi_share: if v.evpi > 0.0 {
                fmt_num(p.evppi / v.evpi)
            } else {
                String::new()
            },
            choice_shift: fmt_num(p.choice_shift),
            choice_shift_noise_floor: fmt_num(p.choice_shift_floor),
            bins: p.bins,
        })
        .collect()
}

/// The printed report: the EVPI, then one line per parameter, the most valuable first.
pub fn lines(table: &Table, metric: Metric, v: &ValueOfInformation) -> Vec<String> {
    if v.evpi == 0.0 {
        return vec![format!(
            "value of information (choice by {}): EVPI 0 — {} is best at every point, so no \
             information would change the choice",
            metric.name(),
            table.designs[v.best_on_average]
        )];
    }
    let mut out = vec![format!(
        "value of information (choice by {}; without information: {}): EVPI {} — knowing every \
         parameter before choosing would gain that much {} on average",
        metric.name(),
        table.designs[v.best_on_average],
        short(v.evpi),
        metric.name()
    )];
    let mut order: Vec<usize> = (0..v.parameters.len()).collect();
    order.sort_by(|&a, &b| {
        let excess = |j: usize| v.parameters[j].evppi - v.parameters[j].evppi_floor;
        excess(b).total_cmp(&excess(a)).then(a.cmp(&b))
    });
    for j in order {
        let p = v.parameters[j];
        let share = if v.evpi > 0.0 {
            format!(" = {:.0}% of the EVPI", 100.0 * p.evppi / v.evpi)
        } else {
            String::new()
        };
        let above = |x: f64, floor: f64| x > 1.5 * floor && x > 1e-12;
        let verdict = if above(p.evppi, p.evppi_floor) {
            "worth knowing before choosing"
        } else if above(p.choice_shift, p.choice_shift_floor) {
            "changes which design wins, but the stakes are within noise"
        } else {
            "no more than noise: knowing it would not change the choice"
        };
        out.push(format!(
            "  {}: EVPPI {}{share} (noise floor {}); choice shift {} (noise floor {}) — {verdict}",
            table.names[j],
            short(p.evppi),
            short(p.evppi_floor),
            short(p.choice_shift),
            short(p.choice_shift_floor)
        ));
    }
    out
}
