//! Exactly mergeable accumulators.
//!
//! Every score is quantised to a fixed point of 2^-24 (about 6e-8) and summed in 128-bit
//! integers. Integer sums are associative, so accumulators can be merged in any order, by any
//! number of threads or shards, and give the same bits: that is what makes `--threads`,
//! `--shard` and `merge` byte-identical. Mean and variance are computed exactly from the sums
//! at the end (no catastrophic cancellation: see [`Moments::variance`]).

use serde::{Deserialize, Serialize};

use crate::metric::Scale;

/// Fixed-point scale: values are stored as round(x × 2^24).
pub const FIXED_ONE: f64 = 16_777_216.0;
/// Largest magnitude a score may have (2^20, [`crate::metric::MAX_ABS_SCORE`]). No valid
/// scenario produces a larger one: the reader bounds the weights and the ladder so.
pub const MAX_ABS: f64 = crate::metric::MAX_ABS_SCORE;

/// Quantise a value to fixed point. The clamp to ±[`MAX_ABS`] only keeps the integers in range
/// should a bug ever produce a larger score; a valid scenario cannot.
#[inline]
pub fn quantize(x: f64) -> i64 {
    (x.clamp(-MAX_ABS, MAX_ABS) * FIXED_ONE).round() as i64
}

/// The value of a fixed-point number.
#[inline]
pub fn dequantize(q: i128) -> f64 {
    q as f64 / FIXED_ONE
}

/// Count, sum, sum of squares, minimum and maximum, all exact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moments {
    /// Number of values.
    pub n: u64,
    /// Sum of quantised values.
    pub sum: i128,
    /// Sum of squared quantised values.
    pub sumsq: i128,
    /// Smallest quantised value (meaningless when `n == 0`).
    pub min: i64,
    /// Largest quantised value (meaningless when `n == 0`).
    pub max: i64,
}

impl Moments {
    /// Add one quantised value.
    #[inline]
    pub fn add(&mut self, q: i64) {
        if self.n == 0 {
            self.min = q;
            self.max = q;
        } else {
            self.min = self.min.min(q);
            self.max = self.max.max(q);
        }
        self.n += 1;
        self.sum += q as i128;
        self.sumsq += (q as i128) * (q as i128);
    }

    /// Merge another accumulator into this one.
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            self.min = o.min;
            self.max = o.max;
        } else {
            self.min = self.min.min(o.min);
            self.max = self.max.max(o.max);
        }
        self.n += o.n;
        self.sum += o.sum;
        self.sumsq += o.sumsq;
    }

    /// Mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        dequantize(self.sum) / self.n as f64
    }

    /// Sample variance with n - 1 in the denominator (NaN with fewer than two values).
    ///
    /// With S = Σx, Q = Σx², S = qn + r: Q - S²/n = Q - q²n - 2qr - r²/n, where every term
    /// but the last is an exact integer.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        let n = self.n as i128;
        let q = self.sum.div_euclid(n);
        let r = self.sum.rem_euclid(n);
        let exact = self.sumsq - q * q * n - 2 * q * r;
        let ss = exact as f64 - (r as f64) * (r as f64) / n as f64;
        (ss / (n - 1) as f64).max(0.0) / (FIXED_ONE * FIXED_ONE)
    }

    /// Sample standard deviation.
    pub fn sd(&self) -> f64 {
        self.variance().sqrt()
    }

    /// Smallest value.
    pub fn min_value(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            dequantize(self.min as i128)
        }
    }

    /// Largest value.
    pub fn max_value(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            dequantize(self.max as i128)
        }
    }
}

/// Bins of a unit-scale histogram: one for 0, 1000 for (0, 1), one for 1.
const UNIT_BINS: usize = 1002;
/// Bins of a count histogram: 0..=1023 and one overflow bin.
const COUNT_BINS: usize = 1025;
/// Bins per decade of a real-scale histogram.
const REAL_PER_DECADE: f64 = 200.0;
/// Decades covered from [`REAL_FLOOR`] up.
const REAL_DECADES: usize = 13;
/// Magnitudes below this go to the zero bin.
const REAL_FLOOR: f64 = 1e-7;
const REAL_HALF: usize = REAL_DECADES * REAL_PER_DECADE as usize;
const REAL_BINS: usize = 2 * REAL_HALF + 1;

/// A fixed-bin histogram that also keeps each bin's exact sum, so a bin holding a single
/// distinct value (a 0, a 1, a count) reports that value exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SparseHistogram", from = "SparseHistogram")]
pub struct Histogram {
    /// Count per bin.
    pub counts: Vec<u64>,
    /// Sum of quantised values per bin.
    pub sums: Vec<i128>,
    scale: Option<Scale>,
}

/// The serialised form of a histogram: only the bins that hold values.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SparseHistogram {
    bins: usize,
    /// (bin, count, sum) for every non-empty bin.
    nonzero: Vec<(usize, u64, i128)>,
}

impl From<Histogram> for SparseHistogram {
    fn from(h: Histogram) -> SparseHistogram {
        SparseHistogram {
            bins: h.counts.len(),
            nonzero: h
                .counts
                .iter()
                .zip(&h.sums)
                .enumerate()
                .filter(|(_, (&c, _))| c > 0)
                .map(|(i, (&c, &s))| (i, c, s))
                .collect(),
        }
    }
}

impl From<SparseHistogram> for Histogram {
    fn from(s: SparseHistogram) -> Histogram {
        let bins = s.bins.min(1 << 20);
        let mut h = Histogram {
            counts: vec![0; bins],
            sums: vec![0; bins],
            scale: None,
        };
        for (i, c, sum) in s.nonzero {
            if i < bins {
                h.counts[i] = c;
                h.sums[i] = sum;
            }
        }
        h
    }
}

impl Histogram {
    /// An empty histogram for a metric of this scale.
    pub fn new(scale: Scale) -> Histogram {
        let bins = match scale {
            Scale::Unit => UNIT_BINS,
            Scale::Count => COUNT_BINS,
            Scale::Real | Scale::Positive => REAL_BINS,
        };
        Histogram {
            counts: vec![0; bins],
            sums: vec![0; bins],
            scale: Some(scale),
        }
    }

    /// Restore the scale after deserialising.
    pub fn set_scale(&mut self, scale: Scale) {
        self.scale = Some(scale);
    }

    #[inline]
    fn bin(&self, x: f64) -> usize {
        match self.scale.unwrap_or(Scale::Real) {
            Scale::Unit => {
                if x <= 0.0 {
                    0
                } else if x >= 1.0 {
                    UNIT_BINS - 1
                } else {
                    1 + ((x * 1000.0) as usize).min(999)
                }
            }
            Scale::Count => (x.max(0.0).round() as usize).min(COUNT_BINS - 1),
            Scale::Real | Scale::Positive => {
                let m = x.abs();
                if m < REAL_FLOOR {
                    REAL_HALF
                } else {
                    let k = ((m / REAL_FLOOR).log10() * REAL_PER_DECADE) as usize;
                    let k = k.min(REAL_HALF - 1);
                    if x > 0.0 {
                        REAL_HALF + 1 + k
                    } else {
                        REAL_HALF - 1 - k
                    }
                }
            }
        }
    }

    /// Add one value (and its quantised form).
    #[inline]
    pub fn add(&mut self, x: f64, q: i64) {
        let b = self.bin(x);
        self.counts[b] += 1;
        self.sums[b] += q as i128;
    }

    /// Merge another histogram of the same scale.
    pub fn merge(&mut self, o: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        for (a, b) in self.sums.iter_mut().zip(&o.sums) {
            *a += b;
        }
    }

    /// The q-quantile (type 1: the smallest value whose cumulative share reaches q),
    /// resolved to the mean of the bin it falls in and clamped to [min, max].
    pub fn quantile(&self, q: f64, moments: &Moments) -> f64 {
        let n = moments.n;
        if n == 0 {
            return f64::NAN;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if c > 0 && seen >= rank {
                let v = dequantize(self.sums[i]) / c as f64;
                return v.clamp(moments.min_value(), moments.max_value());
            }
        }
        moments.max_value()
    }
}
