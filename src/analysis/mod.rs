//! Methods of exploratory analysis, over plain slices of points and outputs.
//!
//! - [`sampling`]: designs of experiments (Latin hypercube, Saltelli, Morris, full factorial);
//! - [`sensitivity`]: which parameters move an output: Sobol first- and total-order indices,
//!   Morris elementary effects, a one-at-a-time tornado;
//! - [`prim`](mod@prim): scenario discovery, the parameter ranges in which a condition holds;
//! - [`voi`]: the value of knowing a parameter before choosing a design (EVPPI, EVPI) and how
//!   much each parameter changes which design is best.
//!
//! Nothing here knows about scenarios, the model or files: the exploration layer maps
//! unit-cube coordinates onto parameters, runs the model, and hands the outputs back. A point
//! is a row `&[f64]` of parameter values (one per parameter, in a fixed order); outputs are
//! one value per point. Every random choice (bootstrap resamples, permutations) comes from a
//! `ChaCha8Rng` seeded by the caller, so results are reproducible to the bit. How to read each
//! method's output and its limits: docs/EXPERIMENTS.md.

pub mod prim;
pub mod sampling;
pub mod sensitivity;
pub mod voi;

pub use prim::{prim, Prim, PrimBox, PrimConfig};
pub use sampling::{full_factorial, latin_hypercube, morris, saltelli, Morris, Saltelli};
pub use sensitivity::{
    first_order_given_data, morris_effects, sobol_indices, tornado, ElementaryEffects, GivenData,
    SobolIndex, TornadoBar,
};
pub use voi::{
    best_design, regret, value_of_information, ParameterVoi, ValueOfInformation, VoiConfig,
};

/// Inputs an estimator cannot use: slices of the wrong length, a design that is not the one
/// the estimator reads. The message names what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AnalysisError(pub String);

/// How bootstrap intervals are drawn: `resamples` resamples of the design's base rows with
/// replacement, from a `ChaCha8Rng` seeded with `seed`, and the `confidence` percentile
/// interval (0.95: the 2.5th and 97.5th percentiles of the resampled statistic).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bootstrap {
    /// Number of resamples (0: no intervals; both ends equal the point estimate).
    pub resamples: usize,
    /// Two-sided confidence level, in (0, 1).
    pub confidence: f64,
    /// Seed of the resampling stream.
    pub seed: u64,
}

impl Default for Bootstrap {
    /// 1,000 resamples, 95% intervals, seed 0.
    fn default() -> Self {
        Bootstrap {
            resamples: 1000,
            confidence: 0.95,
            seed: 0,
        }
    }
}

impl Bootstrap {
    /// The percentile interval of `samples` (sorted in place), or `(point, point)` without
    /// resamples.
    fn interval(&self, samples: &mut [f64], point: f64) -> (f64, f64) {
        if samples.is_empty() {
            return (point, point);
        }
        samples.sort_by(f64::total_cmp);
        let tail = (1.0 - self.confidence.clamp(0.0, 1.0)) / 2.0;
        (
            quantile_sorted(samples, tail),
            quantile_sorted(samples, 1.0 - tail),
        )
    }
}

/// The `q` quantile of sorted values, interpolating linearly between order statistics
/// (Hyndman & Fan's type 7, the default of R and NumPy). Empty input gives NaN.
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Bin of each value and the number of bins: one per distinct value when there are at most
/// `max_bins` of them, otherwise about `n / max_bins` consecutive values each, a bin running
/// on to the end of a run of equal values.
pub(crate) fn partition(column: &[f64], max_bins: usize) -> (Vec<usize>, usize) {
    let n = column.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| column[a].total_cmp(&column[b]).then(a.cmp(&b)));
    let distinct = 1 + order
        .windows(2)
        .filter(|w| column[w[0]] != column[w[1]])
        .count();
    let mut bin = vec![0usize; n];
    let mut b = 0;
    if distinct <= max_bins {
        for (r, w) in order.iter().enumerate() {
            if r > 0 && column[*w] != column[order[r - 1]] {
                b += 1;
            }
            bin[*w] = b;
        }
    } else {
        let size = n.div_ceil(max_bins);
        let mut in_bin = 0;
        for (r, w) in order.iter().enumerate() {
            if in_bin >= size && column[*w] != column[order[r - 1]] {
                b += 1;
                in_bin = 0;
            }
            bin[*w] = b;
            in_bin += 1;
        }
    }
    (bin, b + 1)
}

/// The default number of bins for `n` points: `√n` rounded, between 2 and 50.
pub(crate) fn default_bins(n: usize) -> usize {
    ((n as f64).sqrt().round() as usize).clamp(2, 50)
}

fn check_len(what: &str, got: usize, want: usize) -> Result<(), AnalysisError> {
    if got == want {
        Ok(())
    } else {
        Err(AnalysisError(format!(
            "{what} has {got} values where the design has {want}"
        )))
    }
}
