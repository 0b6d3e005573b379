//! Distributions written the way an analyst thinks: a fixed number, or
//! `{ dist = "triangular", min = 3, mode = 14, max = 60 }`, `{ dist = "beta", mean = 0.3, sd = 0.1 }`.

use rand::Rng;
use rand_distr::{Beta, Distribution, LogNormal, Normal, Triangular};

/// A distribution of one scenario parameter, checked and ready to sample.
#[derive(Clone, Debug)]
pub enum Dist {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
    },
    /// Triangular with the given minimum, mode and maximum.
    Triangular {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
        /// The sampler.
        sampler: Triangular<f64>,
    },
    /// Beta on [0, 1], given by mean and standard deviation (or alpha and beta).
    Beta {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// The sampler.
        sampler: Beta<f64>,
    },
    /// Normal, clamped to the parameter's valid range.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// Lowest valid value of the parameter.
        lo: f64,
        /// Highest valid value of the parameter.
        hi: f64,
        /// The sampler.
        sampler: Normal<f64>,
    },
    /// Lognormal given by its mean and standard deviation, clamped to the parameter's
    /// largest valid value.
    LogNormal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// Highest valid value of the parameter.
        hi: f64,
        /// The sampler.
        sampler: LogNormal<f64>,
    },
}

impl Dist {
    /// Draw one value.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Dist::Triangular { sampler, .. } => sampler.sample(rng),
            Dist::Beta { sampler, .. } => sampler.sample(rng),
            Dist::Normal {
                sampler, lo, hi, ..
            } => sampler.sample(rng).clamp(*lo, *hi),
            Dist::LogNormal { sampler, hi, .. } => sampler.sample(rng).min(*hi),
        }
    }

    /// The mean of the distribution (of the unclamped normal for `Normal`).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max, .. } => (min + mode + max) / 3.0,
            Dist::Beta { mean, .. } | Dist::Normal { mean, .. } | Dist::LogNormal { mean, .. } => {
                *mean
            }
        }
    }

    /// A one-line description as an analyst would write it.
    pub fn describe(&self) -> String {
        match self {
            Dist::Fixed(v) => format!("{v}"),
            Dist::Uniform { min, max } => format!("uniform({min}, {max})"),
            Dist::Triangular { min, mode, max, .. } => {
                format!("triangular(min {min}, mode {mode}, max {max})")
            }
            Dist::Beta { mean, sd, .. } => format!("beta(mean {mean}, sd {sd})"),
            Dist::Normal { mean, sd, .. } => format!("normal(mean {mean}, sd {sd}), clamped"),
            Dist::LogNormal { mean, sd, .. } => format!("lognormal(mean {mean}, sd {sd}), clamped"),
        }
    }

    /// Build a triangular distribution; `None` unless `min <= mode <= max`, `min < max`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Option<Dist> {
        if min == max && mode == min {
            return Some(Dist::Fixed(min));
        }
        let sampler = Triangular::new(min, max, mode).ok()?;
        Some(Dist::Triangular {
            min,
            mode,
            max,
            sampler,
        })
    }

    /// Build a beta distribution from its mean and standard deviation; `None` when no beta
    /// distribution has them (the variance must be below `mean * (1 - mean)`).
    pub fn beta_mean_sd(mean: f64, sd: f64) -> Option<Dist> {
        if !(mean > 0.0 && mean < 1.0 && sd > 0.0) {
            return None;
        }
        let k = mean * (1.0 - mean) / (sd * sd) - 1.0;
        if k.is_nan() || k <= 0.0 {
            return None;
        }
        let sampler = Beta::new(mean * k, (1.0 - mean) * k).ok()?;
        Some(Dist::Beta { mean, sd, sampler })
    }

    /// Build a beta distribution from its shape parameters.
    pub fn beta_shapes(alpha: f64, beta: f64) -> Option<Dist> {
        let sampler = Beta::new(alpha, beta).ok()?;
        let mean = alpha / (alpha + beta);
        let sd = (alpha * beta / ((alpha + beta).powi(2) * (alpha + beta + 1.0))).sqrt();
        Some(Dist::Beta { mean, sd, sampler })
    }

    /// Build a normal distribution clamped to `[lo, hi]`.
    pub fn normal(mean: f64, sd: f64, lo: f64, hi: f64) -> Option<Dist> {
        if !sd.is_finite() || sd <= 0.0 || !mean.is_finite() {
            return None;
        }
        let sampler = Normal::new(mean, sd).ok()?;
        Some(Dist::Normal {
            mean,
            sd,
            lo,
            hi,
            sampler,
        })
    }

    /// Build a lognormal distribution from the mean and standard deviation of its values,
    /// clamped to `hi`.
    pub fn lognormal(mean: f64, sd: f64, hi: f64) -> Option<Dist> {
        if !(mean > 0.0 && sd > 0.0) {
            return None;
        }
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        let sampler = LogNormal::new(mu, sigma2.sqrt()).ok()?;
        Some(Dist::LogNormal {
            mean,
            sd,
            hi,
            sampler,
        })
    }
}
