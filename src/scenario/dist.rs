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

/// Smallest and largest shape parameter (alpha, beta) of a beta distribution: beyond them the
/// moments over- or underflow (alpha = beta = 1e-300 gives a standard deviation of 0 / 0),
/// and nothing an analyst means needs them (alpha = beta = 10^6 has sd 0.0004).
pub const BETA_SHAPES: (f64, f64) = (1e-3, 1e6);

/// Largest ratio of a lognormal's standard deviation to its mean. Beyond about 10^154 its
/// log-scale variance is infinite and every draw NaN; long before, it puts nearly all its
/// values near 0 and the rest beyond any parameter's range.
pub const LOGNORMAL_MAX_CV: f64 = 1e3;

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

    /// Read from `rng` exactly what [`Dist::sample`] would, without computing the value: a
    /// caller that does not need a draw keeps its stream aligned at a fraction of the cost
    /// (no square root for a triangular draw).
    #[inline]
    pub fn skip<R: Rng + ?Sized>(&self, rng: &mut R) {
        match self {
            Dist::Fixed(_) => {}
            // Both read one uniform f64 (rand_distr's Triangular::sample draws one).
            Dist::Uniform { .. } | Dist::Triangular { .. } => {
                rng.random::<f64>();
            }
            // Variable numbers of draws: only sampling says how many.
            Dist::Beta { .. } | Dist::Normal { .. } | Dist::LogNormal { .. } => {
                self.sample(rng);
            }
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
    /// distribution has them (the variance must be below `mean * (1 - mean)`), or when its
    /// shapes fall outside [`BETA_SHAPES`].
    pub fn beta_mean_sd(mean: f64, sd: f64) -> Option<Dist> {
        if !(mean > 0.0 && mean < 1.0 && sd > 0.0) {
            return None;
        }
        let k = mean * (1.0 - mean) / (sd * sd) - 1.0;
        if k.is_nan() || k <= 0.0 {
            return None;
        }
        let (a, b) = (mean * k, (1.0 - mean) * k);
        if !shapes_ok(a, b) {
            return None;
        }
        let sampler = Beta::new(a, b).ok()?;
        Some(Dist::Beta { mean, sd, sampler })
    }

    /// Build a beta distribution from its shape parameters, each in [`BETA_SHAPES`].
    pub fn beta_shapes(alpha: f64, beta: f64) -> Option<Dist> {
        if !shapes_ok(alpha, beta) {
            return None;
        }
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
        if !(mean > 0.0 && sd > 0.0 && sd <= LOGNORMAL_MAX_CV * mean && mean.is_finite()) {
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

fn shapes_ok(alpha: f64, beta: f64) -> bool {
    let (lo, hi) = BETA_SHAPES;
    (lo..=hi).contains(&alpha) && (lo..=hi).contains(&beta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngCore, SeedableRng};

    #[test]
    fn skipping_a_draw_reads_what_sampling_reads() {
        let dists = [
            Dist::Fixed(3.0),
            Dist::Uniform { min: 1.0, max: 2.0 },
            Dist::triangular(1.0, 4.0, 12.0).unwrap(),
            Dist::triangular(0.0, 0.0, 1.0).unwrap(),
            Dist::beta_mean_sd(0.3, 0.1).unwrap(),
            Dist::normal(5.0, 2.0, 0.0, 10.0).unwrap(),
            Dist::lognormal(5.0, 2.0, 100.0).unwrap(),
        ];
        for d in &dists {
            for seed in 0..50 {
                let mut a = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
                let mut b = a.clone();
                d.sample(&mut a);
                d.skip(&mut b);
                assert_eq!(a.next_u64(), b.next_u64(), "{}", d.describe());
            }
        }
    }

    /// At the corners of what the reader accepts, every draw and every moment is finite and
    /// every draw lies in the parameter's range; just beyond them, the constructors refuse.
    #[test]
    fn draws_and_moments_stay_finite_at_the_bounds() {
        let (lo_shape, hi_shape) = BETA_SHAPES;
        let (lo, hi) = (0.0, 1e8);
        let mut dists = Vec::new();
        for (a, b) in [
            (lo_shape, lo_shape),
            (lo_shape, hi_shape),
            (hi_shape, hi_shape),
            (hi_shape, lo_shape),
        ] {
            dists.push(Dist::beta_shapes(a, b).unwrap());
        }
        dists.push(Dist::lognormal(hi, hi - lo, hi).unwrap());
        dists.push(Dist::lognormal(1e-300, 1e-297, hi).unwrap());
        dists.push(Dist::lognormal(1.0, LOGNORMAL_MAX_CV, hi).unwrap());
        dists.push(Dist::normal(hi, hi - lo, lo, hi).unwrap());
        dists.push(Dist::normal(lo, hi - lo, lo, hi).unwrap());
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        for d in &dists {
            assert!(d.mean().is_finite(), "{d:?}");
            if let Dist::Beta { sd, .. } | Dist::Normal { sd, .. } | Dist::LogNormal { sd, .. } = d
            {
                assert!(sd.is_finite(), "{d:?}");
            }
            for _ in 0..10_000 {
                let x = d.sample(&mut rng);
                assert!(x.is_finite() && (lo..=hi).contains(&x), "{x} from {d:?}");
            }
        }
        assert!(Dist::beta_shapes(lo_shape / 2.0, 1.0).is_none());
        assert!(Dist::beta_shapes(1.0, hi_shape * 2.0).is_none());
        assert!(Dist::beta_mean_sd(0.5, 1e-300).is_none());
        assert!(Dist::lognormal(1e-300, 1.0, hi).is_none());
        assert!(Dist::lognormal(1.0, LOGNORMAL_MAX_CV * 1.01, hi).is_none());
    }
}
