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
    morris_effects, sobol_indices, tornado, ElementaryEffects, SobolIndex, TornadoBar,
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

fn check_len(what: &str, got: usize, want: usize) -> Result<(), AnalysisError> {
    if got == want {
        Ok(())
    } else {
        Err(AnalysisError(format!(
            "{what} has {got} values where the design has {want}"
        )))
    }
}
