//! Statistics: exactly mergeable accumulators over replications, and what is reported from
//! them (summaries with intervals, paired comparisons against the baseline design, the
//! probability that each design is best, Pareto efficiency). Formulas: docs/OUTPUTS.md.

mod accum;

pub use accum::{dequantize, quantize, Histogram, Moments, FIXED_ONE, MAX_ABS};

use serde::{Deserialize, Serialize};

use crate::metric::{METRICS, N_METRICS};
use crate::scenario::MAX_DESIGNS;

/// Per design and metric: moments, histogram, and how often the threshold was met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricAcc {
    /// Exact moments.
    pub moments: Moments,
    /// Histogram for quantiles.
    pub hist: Histogram,
    /// Replications meeting the metric's threshold (better-or-equal side).
    pub meets: u64,
}

/// Per design and metric: the paired difference design − baseline in each replication.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairAcc {
    /// Moments of the difference.
    pub diff: Moments,
    /// Replications in which the design did strictly better than the baseline.
    pub better: u64,
    /// Replications in which it did strictly worse.
    pub worse: u64,
}

/// Everything a run accumulates. Merging two accumulators of disjoint replications gives,
/// bit for bit, the accumulator of their union, whatever the order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunAccumulator {
    /// Number of designs.
    pub n_designs: usize,
    /// Index of the baseline design.
    pub baseline: usize,
    /// Threshold per metric, if set.
    pub thresholds: Vec<Option<f64>>,
    /// Indexed `design * N_METRICS + metric`.
    pub metrics: Vec<MetricAcc>,
    /// Indexed `design * N_METRICS + metric`.
    pub paired: Vec<PairAcc>,
    /// Share of wins, indexed `metric * n_designs + design`, in units of 1/`win_unit`.
    pub wins: Vec<u128>,
    /// lcm(1..=n_designs): a tie among k designs gives each `win_unit / k`.
    pub win_unit: u128,
    /// Σ composite_a × composite_b (quantised) for every pair of designs, indexed
    /// `a * n_designs + b`: with the sums it gives any paired difference on the composite.
    pub cross: Vec<i128>,
}

fn lcm_upto(n: usize) -> u128 {
    fn gcd(a: u128, b: u128) -> u128 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    (1..=n as u128).fold(1, |l, k| l / gcd(l, k) * k)
}

impl RunAccumulator {
    /// An empty accumulator.
    ///
    /// # Panics
    /// If `n_designs` exceeds [`MAX_DESIGNS`] (validated scenarios never do).
    pub fn new(n_designs: usize, baseline: usize, thresholds: Vec<Option<f64>>) -> Self {
        assert!(n_designs <= MAX_DESIGNS, "at most {MAX_DESIGNS} designs");
        let metrics = (0..n_designs * N_METRICS)
            .map(|i| MetricAcc {
                moments: Moments::default(),
                hist: Histogram::new(METRICS[i % N_METRICS].scale),
                meets: 0,
            })
            .collect();
        RunAccumulator {
            n_designs,
            baseline,
            thresholds,
            metrics,
            paired: vec![PairAcc::default(); n_designs * N_METRICS],
            wins: vec![0; N_METRICS * n_designs],
            win_unit: lcm_upto(n_designs.max(1)),
            cross: vec![0; n_designs * n_designs],
        }
    }

    /// Restore what serialisation leaves out (histogram scales).
    pub fn restore(&mut self) {
        for (i, m) in self.metrics.iter_mut().enumerate() {
            m.hist.set_scale(METRICS[i % N_METRICS].scale);
        }
    }

    /// Whether the vectors have the sizes `n_designs` implies (a state file could lie).
    pub fn shape_ok(&self) -> bool {
        let nd = self.n_designs;
        (1..=MAX_DESIGNS).contains(&nd)
            && self.baseline < nd
            && self.thresholds.len() == N_METRICS
            && self.metrics.len() == nd * N_METRICS
            && self.paired.len() == nd * N_METRICS
            && self.wins.len() == nd * N_METRICS
            && self.cross.len() == nd * nd
            && self.win_unit == lcm_upto(nd)
            && self.metrics.iter().enumerate().all(|(i, m)| {
                let fresh = Histogram::new(METRICS[i % N_METRICS].scale);
                m.hist.counts.len() == fresh.counts.len() && m.hist.sums.len() == fresh.sums.len()
            })
    }

    /// Number of replications accumulated.
    pub fn replications(&self) -> u64 {
        self.metrics.first().map_or(0, |m| m.moments.n)
    }

    /// Add one replication: `scores[d]` are design d's scores.
    pub fn add(&mut self, scores: &[[f64; N_METRICS]]) {
        let nd = self.n_designs;
        let base = self.baseline;
        // Each score is quantised once, into a buffer on the stack (no allocation per
        // replication); the designs' quantised values are then reused by every aggregate.
        let mut qs = [0i64; MAX_DESIGNS];
        for m in 0..N_METRICS {
            for (q, s) in qs.iter_mut().zip(scores.iter().take(nd)) {
                *q = quantize(s[m]);
            }
            let qs = &qs[..nd];
            if m == N_METRICS - 1 {
                // Composite cross-products, for any paired difference between two designs.
                for (a, &qa) in qs.iter().enumerate() {
                    for (b, &qb) in qs.iter().enumerate().skip(a) {
                        self.cross[a * nd + b] += qa as i128 * qb as i128;
                    }
                }
            }
            let higher = METRICS[m].higher_is_better;
            let qb = qs[base];
            let mut best = i64::MIN;
            let mut ties = 0u128;
            for (d, (s, &q)) in scores.iter().zip(qs).enumerate() {
                let x = s[m];
                let acc = &mut self.metrics[d * N_METRICS + m];
                acc.moments.add(q);
                acc.hist.add(x, q);
                if let Some(t) = self.thresholds.get(m).copied().flatten() {
                    let meets = if higher { x >= t } else { x <= t };
                    acc.meets += meets as u64;
                }
                let pair = &mut self.paired[d * N_METRICS + m];
                pair.diff.add(q - qb);
                let (better, worse) = if higher {
                    (q > qb, q < qb)
                } else {
                    (q < qb, q > qb)
                };
                pair.better += better as u64;
                pair.worse += worse as u64;
                let oriented = if higher { q } else { -q };
                if oriented > best {
                    best = oriented;
                    ties = 1;
                } else if oriented == best {
                    ties += 1;
                }
            }
            let share = self.win_unit / ties;
            for (d, &q) in qs.iter().enumerate() {
                let oriented = if higher { q } else { -q };
                if oriented == best {
                    self.wins[m * nd + d] += share;
                }
            }
        }
    }

    /// Merge an accumulator of other replications of the same scenario.
    pub fn merge(&mut self, o: &RunAccumulator) {
        for (a, b) in self.metrics.iter_mut().zip(&o.metrics) {
            a.moments.merge(&b.moments);
            a.hist.merge(&b.hist);
            a.meets += b.meets;
        }
        for (a, b) in self.paired.iter_mut().zip(&o.paired) {
            a.diff.merge(&b.diff);
            a.better += b.better;
            a.worse += b.worse;
        }
        for (a, b) in self.wins.iter_mut().zip(&o.wins) {
            *a += b;
        }
        for (a, b) in self.cross.iter_mut().zip(&o.cross) {
            *a += b;
        }
    }

    /// Moments of the paired difference a − b on the composite, from the exact sums.
    pub fn composite_diff(&self, a: usize, b: usize) -> Moments {
        let c = N_METRICS - 1;
        let nd = self.n_designs;
        let (ma, mb) = (&self.metric(a, c).moments, &self.metric(b, c).moments);
        let cross = |x: usize, y: usize| self.cross[x.min(y) * nd + x.max(y)];
        Moments {
            n: ma.n,
            sum: ma.sum - mb.sum,
            sumsq: cross(a, a) + cross(b, b) - 2 * cross(a, b),
            min: 0,
            max: 0,
        }
    }

    /// The best and runner-up designs by mean composite, and the moments of their paired
    /// difference: (best, runner_up, moments). `None` with fewer than two designs.
    pub fn ranking(&self) -> Option<(usize, usize, Moments)> {
        if self.n_designs < 2 {
            return None;
        }
        let c = N_METRICS - 1;
        let mut order: Vec<usize> = (0..self.n_designs).collect();
        // Exact sums order the means exactly; ties keep scenario order.
        order.sort_by(|&x, &y| {
            self.metric(y, c)
                .moments
                .sum
                .cmp(&self.metric(x, c).moments.sum)
        });
        let (best, second) = (order[0], order[1]);
        Some((best, second, self.composite_diff(best, second)))
    }

    /// The accumulator of design `d`, metric `m`.
    pub fn metric(&self, d: usize, m: usize) -> &MetricAcc {
        &self.metrics[d * N_METRICS + m]
    }

    /// The paired accumulator of design `d` against the baseline, metric `m`.
    pub fn pair(&self, d: usize, m: usize) -> &PairAcc {
        &self.paired[d * N_METRICS + m]
    }

    /// Share of replications in which design `d` was best on metric `m` (ties shared).
    pub fn p_best(&self, d: usize, m: usize) -> f64 {
        let n = self.replications();
        if n == 0 {
            return f64::NAN;
        }
        self.wins[m * self.n_designs + d] as f64 / self.win_unit as f64 / n as f64
    }
}

/// 99.5% quantile of the standard normal: the two-sided 99% level.
pub const Z995: f64 = 2.575_829_303_548_900_4;

/// Two-sided 97.5% quantile of the standard normal.
pub const Z975: f64 = 1.959_963_984_540_054;

/// 97.5% quantile of Student's t with `df` degrees of freedom: table values up to df = 10,
/// then a Cornish–Fisher expansion (error below 2e-4 from df = 11).
pub fn t975(df: u64) -> f64 {
    match df {
        0 => f64::NAN,
        1 => 12.706_204_736,
        2 => 4.302_652_730,
        3 => 3.182_446_305,
        4 => 2.776_445_105,
        5 => 2.570_581_836,
        6 => 2.446_911_851,
        7 => 2.364_624_252,
        8 => 2.306_004_135,
        9 => 2.262_157_163,
        10 => 2.228_138_852,
        _ => {
            let z = Z975;
            let n = df as f64;
            let (z2, z3) = (z * z, z * z * z);
            let z5 = z3 * z2;
            let z7 = z5 * z2;
            z + (z3 + z) / (4.0 * n)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n * n * n)
        }
    }
}

/// Mean with a 95% t interval: (mean, se, low, high).
pub fn mean_interval(m: &Moments) -> (f64, f64, f64, f64) {
    let mean = m.mean();
    if m.n < 2 {
        return (mean, f64::NAN, f64::NAN, f64::NAN);
    }
    let se = m.sd() / (m.n as f64).sqrt();
    let h = t975(m.n - 1) * se;
    (mean, se, mean - h, mean + h)
}

/// Wilson 95% interval for a proportion p observed over n trials.
pub fn wilson(p: f64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let n = n as f64;
    let z2 = Z975 * Z975;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Which designs are Pareto-efficient on effectiveness (info_exchange and evacuation, higher
/// is better) against peacetime coercion (lower is better), by their means. A design is dominated when
/// another is at least as good on all three and strictly better on one.
pub fn pareto(means: &[(f64, f64, f64)]) -> Vec<bool> {
    means
        .iter()
        .map(|&(i, e, b)| {
            !means
                .iter()
                .any(|&(i2, e2, b2)| i2 >= i && e2 >= e && b2 <= b && (i2 > i || e2 > e || b2 < b))
        })
        .collect()
}

/// The part of a [`RunAccumulator`] that means, intervals, paired differences and threshold
/// shares need, without the histograms: a few kilobytes per run instead of megabytes, so a
/// sweep can keep one per point (points × designs × metrics stay small in memory and on
/// disk). Exact, like the accumulator it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanSummary {
    /// Number of designs.
    pub n_designs: usize,
    /// Index of the baseline design.
    pub baseline: usize,
    /// Threshold per metric, if set.
    pub thresholds: Vec<Option<f64>>,
    /// Moments per design and metric, indexed `design * N_METRICS + metric`.
    pub moments: Vec<Moments>,
    /// Replications meeting the metric's threshold, same indexing.
    pub meets: Vec<u64>,
    /// Moments of design − baseline, same indexing.
    pub diffs: Vec<Moments>,
}

impl MeanSummary {
    /// The summary of an accumulator.
    pub fn of(acc: &RunAccumulator) -> MeanSummary {
        MeanSummary {
            n_designs: acc.n_designs,
            baseline: acc.baseline,
            thresholds: acc.thresholds.clone(),
            moments: acc.metrics.iter().map(|m| m.moments.clone()).collect(),
            meets: acc.metrics.iter().map(|m| m.meets).collect(),
            diffs: acc.paired.iter().map(|p| p.diff.clone()).collect(),
        }
    }

    /// Whether the vectors have the sizes `n_designs` implies (a state file could lie).
    pub fn shape_ok(&self) -> bool {
        let n = self.n_designs * N_METRICS;
        (1..=MAX_DESIGNS).contains(&self.n_designs)
            && self.baseline < self.n_designs
            && self.thresholds.len() == N_METRICS
            && self.moments.len() == n
            && self.meets.len() == n
            && self.diffs.len() == n
    }

    /// Moments of design `d`, metric `m`.
    pub fn moments(&self, d: usize, m: usize) -> &Moments {
        &self.moments[d * N_METRICS + m]
    }

    /// Replications of design `d` meeting metric `m`'s threshold.
    pub fn meets(&self, d: usize, m: usize) -> u64 {
        self.meets[d * N_METRICS + m]
    }

    /// Moments of design `d` − baseline on metric `m`.
    pub fn diff(&self, d: usize, m: usize) -> &Moments {
        &self.diffs[d * N_METRICS + m]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mean_summary_keeps_what_means_differences_and_thresholds_need() {
        let loaded =
            crate::scenario::load_str("baseline", crate::scenario::BASELINE_TOML, &[]).unwrap();
        let sc = &loaded.scenario;
        let th: Vec<Option<f64>> = METRICS.iter().map(|_| Some(0.5)).collect();
        let plan = crate::engine::Plan::new(sc, vec![0, 5], 0, 3, th);
        let mut acc = plan.accumulator();
        plan.run(0..60, &mut acc, None, &|_| {}, &|| false).unwrap();
        let s = MeanSummary::of(&acc);
        assert!(s.shape_ok());
        for d in 0..2 {
            for m in 0..N_METRICS {
                assert_eq!(s.moments(d, m), &acc.metric(d, m).moments);
                assert_eq!(s.meets(d, m), acc.metric(d, m).meets);
                assert_eq!(s.diff(d, m), &acc.pair(d, m).diff);
            }
        }
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.len() < 20_000, "{} bytes", json.len());
        let back: MeanSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }
    use rand::{Rng, SeedableRng};

    fn moments(xs: &[f64]) -> Moments {
        let mut m = Moments::default();
        for &x in xs {
            m.add(quantize(x));
        }
        m
    }

    #[test]
    fn merging_in_any_grouping_gives_identical_bits() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let xs: Vec<f64> = (0..10_000)
            .map(|_| rng.random::<f64>() * 100.0 - 30.0)
            .collect();
        let whole = moments(&xs);
        for cut in [1, 77, 5000, 9999] {
            let mut a = moments(&xs[..cut]);
            let b = moments(&xs[cut..]);
            let mut c = b.clone();
            a.merge(&b);
            c.merge(&moments(&xs[..cut]));
            assert_eq!(a, whole);
            assert_eq!(c, whole);
        }
    }

    #[test]
    fn exact_variance_matches_a_two_pass_computation() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        // A large offset makes the naive one-pass formula lose every digit.
        let xs: Vec<f64> = (0..5000).map(|_| 500_000.0 + rng.random::<f64>()).collect();
        let m = moments(&xs);
        let q: Vec<f64> = xs
            .iter()
            .map(|&x| dequantize(quantize(x) as i128))
            .collect();
        let mean = q.iter().sum::<f64>() / q.len() as f64;
        let var = q.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (q.len() - 1) as f64;
        assert!(
            (m.variance() - var).abs() < 1e-9 * var.max(1e-12),
            "{} vs {var}",
            m.variance()
        );
        assert!((m.mean() - mean).abs() < 1e-9);
    }

    #[test]
    fn quantiles_of_point_masses_are_exact() {
        let mut h = Histogram::new(crate::metric::Scale::Unit);
        let mut m = Moments::default();
        for x in [0.0, 0.0, 0.0, 1.0, 1.0, 0.25, 0.25, 0.25, 0.25, 0.25] {
            h.add(x, quantize(x));
            m.add(quantize(x));
        }
        assert_eq!(h.quantile(0.05, &m), 0.0);
        assert_eq!(h.quantile(0.5, &m), 0.25);
        assert_eq!(h.quantile(0.95, &m), 1.0);
        let mut h = Histogram::new(crate::metric::Scale::Real);
        let mut m = Moments::default();
        for x in [-3.0, 0.0, 10.0, 30.0, 31.0] {
            h.add(x, quantize(x));
            m.add(quantize(x));
        }
        assert_eq!(h.quantile(0.0, &m), -3.0);
        assert_eq!(h.quantile(0.5, &m), 10.0);
        assert_eq!(h.quantile(0.7, &m), 30.0);
        assert_eq!(h.quantile(1.0, &m), 31.0);
    }

    #[test]
    fn t_quantiles_match_tables() {
        for (df, t) in [
            (1, 12.706_205),
            (5, 2.570_582),
            (10, 2.228_139),
            (11, 2.200_985),
            (15, 2.131_450),
            (30, 2.042_272),
            (100, 1.983_972),
        ] {
            assert!((t975(df) - t).abs() < 2e-4, "df {df}: {} vs {t}", t975(df));
        }
    }

    #[test]
    fn pareto_front() {
        let front = pareto(&[
            (0.5, 0.5, 1.0),
            (0.6, 0.5, 1.0),
            (0.4, 0.9, 5.0),
            (0.1, 0.1, 0.0),
        ]);
        assert_eq!(front, vec![false, true, true, true]);
    }
}
