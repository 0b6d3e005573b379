//! Which parameters move an output: variance-based (Sobol) indices, Morris elementary effects,
//! and a one-at-a-time tornado.
//!
//! All three read the outputs of a design in the design's own row order; the output can be any
//! scalar per point (a design's composite score, a metric, or the regret of a choice, see
//! [`super::voi::regret`]).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::sampling::{below, shuffle};
use super::{check_len, default_bins, partition, AnalysisError, Bootstrap};

/// Sobol sensitivity indices of one parameter, with bootstrap percentile intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// First-order index `S_i`: the share of the output's variance that the parameter explains
    /// alone (`V[E(Y|X_i)] / V(Y)`), in [0, 1] up to estimation error.
    pub first: f64,
    /// Interval for `first`.
    pub first_ci: (f64, f64),
    /// Total-order index `ST_i`: the share that involves the parameter at all, alone or in
    /// interaction (`E[V(Y|X_~i)] / V(Y)`); `ST_i − S_i` is its interactions.
    pub total: f64,
    /// Interval for `total`.
    pub total_ci: (f64, f64),
}

/// First- and total-order Sobol indices from the outputs of a [`super::saltelli`] design with
/// base size `n` over `k` parameters (`outputs` in the design's row order: A, B, AB_0…AB_{k−1}).
///
/// With `f_A`, `f_B`, `f_ABi` the outputs of the three blocks and `V` the variance of the `2n`
/// outputs of A and B together, the estimators are those recommended by Saltelli et al. (2010,
/// table 2):
///
/// - first order (Saltelli 2010, eq. (b)): `S_i = (1/n) Σ_j (f_B(j) − f̄) · (f_ABi(j) − f_A(j)) / V`,
///   with `f_B` centred on the mean `f̄` of the `2n` outputs, which leaves the estimator's
///   expectation as it is (the mean of `f_ABi − f_A` is zero) and keeps its variance from
///   growing with the output's distance from zero (a score near 0.9 that varies by 0.01);
/// - total order (Jansen 1999, eq. (f)): `ST_i = (1/2n) Σ_j (f_A(j) − f_ABi(j))² / V`.
///
/// Intervals resample the base rows `j` with replacement (the same rows in every block) and
/// take percentiles of the recomputed indices. A constant output (`V = 0`) has every index 0:
/// no parameter moves it. Estimates may stray slightly outside [0, 1] with small `n`.
///
/// Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S. (2010),
/// "Variance based sensitivity analysis of model output", Computer Physics Communications
/// 181, 259–270.
pub fn sobol_indices(
    outputs: &[f64],
    n: usize,
    k: usize,
    boot: &Bootstrap,
) -> Result<Vec<SobolIndex>, AnalysisError> {
    check_len("outputs", outputs.len(), n * (k + 2))?;
    if n < 2 {
        return Err(AnalysisError(format!(
            "a Saltelli design needs a base size of at least 2, not {n}"
        )));
    }
    let block = |b: usize| &outputs[b * n..(b + 1) * n];
    let (fa, fb) = (block(0), block(1));
    let all: Vec<usize> = (0..n).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(boot.seed);
    let resamples: Vec<Vec<usize>> = (0..boot.resamples)
        .map(|_| (0..n).map(|_| below(&mut rng, n)).collect())
        .collect();
    let mut out = Vec::with_capacity(k);
    for i in 0..k {
        let fab = block(2 + i);
        let (first, total) = sobol_pair(fa, fb, fab, &all);
        let mut firsts = Vec::with_capacity(resamples.len());
        let mut totals = Vec::with_capacity(resamples.len());
        for rows in &resamples {
            let (s, t) = sobol_pair(fa, fb, fab, rows);
            firsts.push(s);
            totals.push(t);
        }
        out.push(SobolIndex {
            first,
            first_ci: boot.interval(&mut firsts, first),
            total,
            total_ci: boot.interval(&mut totals, total),
        });
    }
    Ok(out)
}

/// `(S_i, ST_i)` over the base rows `rows` (a bootstrap resample, or all of them).
fn sobol_pair(fa: &[f64], fb: &[f64], fab: &[f64], rows: &[usize]) -> (f64, f64) {
    let m = rows.len() as f64;
    let mean = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * m);
    let var = rows
        .iter()
        .map(|&j| (fa[j] - mean).powi(2) + (fb[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * m);
    if var <= 0.0 {
        return (0.0, 0.0);
    }
    // f_B centred on the mean: the expectation is unchanged (the mean of f_ABi − f_A is
    // zero) and the variance no longer grows with the output's distance from zero.
    let first = rows
        .iter()
        .map(|&j| (fb[j] - mean) * (fab[j] - fa[j]))
        .sum::<f64>()
        / m
        / var;
    let total = rows.iter().map(|&j| (fa[j] - fab[j]).powi(2)).sum::<f64>() / (2.0 * m) / var;
    (first, total)
}

/// A first-order index estimated from any sample (a Latin hypercube, a factorial), not only a
/// Saltelli design, with its noise floor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GivenData {
    /// The first-order index `V[E(Y|X_i)] / V(Y)`.
    pub first: f64,
    /// The estimator's noise floor: its mean after the parameter's values are randomly
    /// permuted across the points (so that it explains nothing). An index near its floor is
    /// indistinguishable from zero.
    pub floor: f64,
    /// Bins the parameter's values were partitioned into.
    pub bins: usize,
}

/// First-order indices from given data (Plischke 2010; Plischke, Borgonovo & Smith 2013): for
/// each parameter `i`, partition the points on `x_i` (one bin per distinct value when there
/// are at most `max_bins`, else equal-count bins of consecutive values, `√n` of them by
/// default, between 2 and 50) and take the correlation ratio
/// `S_i ≈ Σ_b (n_b/n)(ȳ_b − ȳ)² / V(y)`. The partition is the same as the EVPPI's
/// ([`super::voi`]); so is the noise floor, from `permutations` seeded permutations.
/// Interactions are not seen: this is a first-order index only.
///
/// Plischke, E. (2010), "An effective algorithm for computing global sensitivity indices
/// (EASI)", Reliability Engineering & System Safety 95, 354–360. Plischke, E., Borgonovo, E.,
/// Smith, C. L. (2013), "Global sensitivity measures from given data", European Journal of
/// Operational Research 226, 536–550.
pub fn first_order_given_data(
    points: &[Vec<f64>],
    outputs: &[f64],
    max_bins: Option<usize>,
    permutations: usize,
    seed: u64,
) -> Result<Vec<GivenData>, AnalysisError> {
    check_len("outputs", outputs.len(), points.len())?;
    let n = points.len();
    if n < 2 {
        return Err(AnalysisError(format!(
            "given-data indices need at least 2 points, not {n}"
        )));
    }
    let k = points[0].len();
    for p in points {
        check_len("a point", p.len(), k)?;
    }
    let mean = outputs.iter().sum::<f64>() / n as f64;
    let var = outputs.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / n as f64;
    let max_bins = max_bins.unwrap_or_else(|| default_bins(n)).max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(k);
    for j in 0..k {
        let column: Vec<f64> = points.iter().map(|p| p[j]).collect();
        let (mut bin, bins) = partition(&column, max_bins);
        let ratio = |bin: &[usize]| {
            if var <= 0.0 {
                return 0.0;
            }
            let mut sum = vec![0.0; bins];
            let mut count = vec![0usize; bins];
            for (i, &b) in bin.iter().enumerate() {
                sum[b] += outputs[i];
                count[b] += 1;
            }
            let between: f64 = (0..bins)
                .filter(|&b| count[b] > 0)
                .map(|b| count[b] as f64 * (sum[b] / count[b] as f64 - mean).powi(2))
                .sum::<f64>()
                / n as f64;
            between / var
        };
        let first = ratio(&bin);
        let mut floor = 0.0;
        for _ in 0..permutations {
            shuffle(&mut bin, &mut rng);
            floor += ratio(&bin) / permutations as f64;
        }
        out.push(GivenData { first, floor, bins });
    }
    Ok(out)
}

/// Morris elementary-effect statistics of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ElementaryEffects {
    /// Mean elementary effect `μ` (signed: effects of opposite sign cancel).
    pub mu: f64,
    /// Mean absolute elementary effect `μ*` (Campolongo et al. 2007), the ranking measure.
    pub mu_star: f64,
    /// Bootstrap interval for `mu_star`.
    pub mu_star_ci: (f64, f64),
    /// Standard deviation of the effects `σ` (sample, n − 1): large when the effect depends on
    /// where the others are (interactions) or is non-linear.
    pub sigma: f64,
    /// Number of elementary effects (trajectories that moved the parameter).
    pub effects: usize,
}

/// Morris elementary effects from the outputs of a [`super::morris`] design over `k`
/// parameters: `points` in trajectories of `k + 1` consecutive rows, each step moving exactly
/// one parameter.
///
/// Each step from `x` to `x + Δ·e_i` gives the effect `EE_i = (y(x + Δ·e_i) − y(x)) / Δ`, with
/// `Δ` signed and in unit-cube coordinates (so effects compare across parameters of different
/// units: the change of output over the parameter's whole range, linearly extrapolated). Then
/// per parameter `μ = mean(EE)`, `μ* = mean(|EE|)` (Campolongo, Cariboni & Saltelli 2007),
/// `σ = sd(EE)`. The `μ*` interval resamples the parameter's effects with replacement.
///
/// Morris, M. D. (1991), "Factorial sampling plans for preliminary computational
/// experiments", Technometrics 33, 161–174. Campolongo, F., Cariboni, J., Saltelli, A.
/// (2007), "An effective screening design for sensitivity analysis of large models",
/// Environmental Modelling & Software 22, 1509–1518.
pub fn morris_effects(
    points: &[Vec<f64>],
    outputs: &[f64],
    k: usize,
    boot: &Bootstrap,
) -> Result<Vec<ElementaryEffects>, AnalysisError> {
    check_len("outputs", outputs.len(), points.len())?;
    if k == 0 || points.len() % (k + 1) != 0 {
        return Err(AnalysisError(format!(
            "a Morris design over {k} parameters has a multiple of {} points, not {}",
            k + 1,
            points.len()
        )));
    }
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for (t, (traj, ys)) in points.chunks(k + 1).zip(outputs.chunks(k + 1)).enumerate() {
        for s in 0..k {
            let (a, b) = (&traj[s], &traj[s + 1]);
            check_len("a point", a.len(), k)?;
            check_len("a point", b.len(), k)?;
            let moved: Vec<usize> = (0..k).filter(|&j| a[j] != b[j]).collect();
            let [j] = moved[..] else {
                return Err(AnalysisError(format!(
                    "step {} of trajectory {} moves {} parameters; a Morris step moves exactly one",
                    s + 1,
                    t + 1,
                    moved.len()
                )));
            };
            effects[j].push((ys[s + 1] - ys[s]) / (b[j] - a[j]));
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(boot.seed);
    let mut out = Vec::with_capacity(k);
    for (j, ee) in effects.iter().enumerate() {
        if ee.is_empty() {
            return Err(AnalysisError(format!(
                "parameter {} never moves in the design",
                j + 1
            )));
        }
        let r = ee.len() as f64;
        let mu = ee.iter().sum::<f64>() / r;
        let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / r;
        let sigma = if ee.len() > 1 {
            (ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (r - 1.0)).sqrt()
        } else {
            0.0
        };
        let mut resampled: Vec<f64> = (0..boot.resamples)
            .map(|_| {
                (0..ee.len())
                    .map(|_| ee[below(&mut rng, ee.len())].abs())
                    .sum::<f64>()
                    / r
            })
            .collect();
        out.push(ElementaryEffects {
            mu,
            mu_star,
            mu_star_ci: boot.interval(&mut resampled, mu_star),
            sigma,
            effects: ee.len(),
        });
    }
    Ok(out)
}

/// One bar of a tornado: what the output became with one parameter at its low and at its high
/// value, every other parameter at its base value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TornadoBar {
    /// Index of the parameter (its position in the inputs).
    pub parameter: usize,
    /// Output with the parameter at its low value.
    pub low: f64,
    /// Output with the parameter at its high value.
    pub high: f64,
    /// The bar's width: the range spanned by the base, low and high outputs
    /// (`max(base, low, high) − min(base, low, high)`), so that a parameter whose both ends
    /// lower the output still shows its effect.
    pub swing: f64,
}

/// A one-at-a-time tornado: `low[i]` and `high[i]` are the outputs with parameter `i` at its
/// low and high value and the others at base, where the output is `base`. Bars come back
/// widest first (ties in parameter order). One-at-a-time swings miss interactions: a parameter
/// that matters only together with another shows a narrow bar (the global methods see it).
pub fn tornado(base: f64, low: &[f64], high: &[f64]) -> Result<Vec<TornadoBar>, AnalysisError> {
    check_len("high", high.len(), low.len())?;
    let mut bars: Vec<TornadoBar> = low
        .iter()
        .zip(high)
        .enumerate()
        .map(|(parameter, (&low, &high))| TornadoBar {
            parameter,
            low,
            high,
            swing: base.max(low).max(high) - base.min(low).min(high),
        })
        .collect();
    bars.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then(a.parameter.cmp(&b.parameter))
    });
    Ok(bars)
}

#[cfg(test)]
mod tests {
    use super::super::sampling::{morris, saltelli};
    use super::*;
    use std::f64::consts::PI;

    fn ishigami(x: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        let u: Vec<f64> = x.iter().map(|v| -PI + 2.0 * PI * v).collect();
        u[0].sin() + a * u[1].sin().powi(2) + b * u[2].powi(4) * u[0].sin()
    }

    #[test]
    fn sobol_indices_of_the_ishigami_function() {
        let (a, b): (f64, f64) = (7.0, 0.1);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = 8.0 * b * b * PI.powi(8) / 225.0;
        let v = v1 + v2 + v13;
        let want_first = [v1 / v, v2 / v, 0.0];
        let want_total = [(v1 + v13) / v, v2 / v, v13 / v];
        // The analytic values the issue quotes.
        assert!((want_first[0] - 0.3139).abs() < 1e-4 && (want_first[1] - 0.4424).abs() < 1e-4);
        assert!((want_total[0] - 0.5576).abs() < 1e-4 && (want_total[2] - 0.2437).abs() < 1e-4);

        let (n, k) = (1 << 13, 3);
        let design = saltelli(n, k, 2049);
        let y: Vec<f64> = design.points.iter().map(|x| ishigami(x)).collect();
        let boot = Bootstrap {
            resamples: 200,
            confidence: 0.95,
            seed: 1,
        };
        let idx = sobol_indices(&y, n, k, &boot).unwrap();
        for i in 0..k {
            let s = idx[i];
            assert!(
                (s.first - want_first[i]).abs() < 0.02,
                "S{} = {}",
                i + 1,
                s.first
            );
            assert!(
                (s.total - want_total[i]).abs() < 0.02,
                "ST{} = {}",
                i + 1,
                s.total
            );
            assert!(s.first_ci.0 <= s.first && s.first <= s.first_ci.1);
            assert!(s.total_ci.0 <= s.total && s.total <= s.total_ci.1);
            assert!(s.first_ci.0 < want_first[i] + 0.01 && want_first[i] - 0.01 < s.first_ci.1);
            assert!(s.total_ci.0 < want_total[i] + 0.01 && want_total[i] - 0.01 < s.total_ci.1);
            assert!(
                s.first_ci.1 - s.first_ci.0 < 0.1,
                "interval too wide: {s:?}"
            );
        }
        // Same seed, same bits.
        assert_eq!(idx, sobol_indices(&y, n, k, &boot).unwrap());
    }

    #[test]
    fn sobol_indices_of_an_additive_function_and_a_constant() {
        // y = 2 x0 + x1 over uniforms: V = (4 + 1)/12, S0 = 0.8, S1 = 0.2, S2 = 0, no interaction.
        let (n, k) = (1 << 12, 3);
        let design = saltelli(n, k, 7);
        let y: Vec<f64> = design.points.iter().map(|x| 2.0 * x[0] + x[1]).collect();
        let boot = Bootstrap {
            resamples: 0,
            ..Bootstrap::default()
        };
        let idx = sobol_indices(&y, n, k, &boot).unwrap();
        for (s, want) in idx.iter().zip([0.8, 0.2, 0.0]) {
            assert!((s.first - want).abs() < 0.01, "{s:?}");
            assert!((s.total - want).abs() < 0.01, "{s:?}");
            assert_eq!(s.first_ci, (s.first, s.first));
        }
        let flat = sobol_indices(&vec![3.0; n * (k + 2)], n, k, &boot).unwrap();
        assert!(flat.iter().all(|s| s.first == 0.0 && s.total == 0.0));
        assert!(sobol_indices(&y[1..], n, k, &boot).is_err());
    }

    #[test]
    fn morris_ranks_parameters_in_their_known_order() {
        // Linear in x0 (effect 10) and x2 (effect −1), quadratic in x1 (effects between 0 and
        // 10 over the grid, mean |EE| 5), inert in x3; x4 only through an interaction with x0.
        let f = |x: &[f64]| 10.0 * x[0] + 5.0 * x[1] * x[1] - x[2] + 3.0 * x[0] * x[4];
        let k = 5;
        let design = morris(60, k, 4, 3);
        let y: Vec<f64> = design.points.iter().map(|x| f(x)).collect();
        let ee = morris_effects(&design.points, &y, k, &Bootstrap::default()).unwrap();
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| ee[b].mu_star.total_cmp(&ee[a].mu_star));
        assert_eq!(order[0], 0, "{ee:?}");
        assert_eq!(order[4], 3, "{ee:?}");
        assert!(ee[1].mu_star > ee[2].mu_star);
        // Exact values where the function makes them exact.
        assert!((ee[2].mu + 1.0).abs() < 1e-12 && ee[2].sigma < 1e-12);
        assert!((ee[2].mu_star - 1.0).abs() < 1e-12);
        assert_eq!(ee[3].mu_star, 0.0);
        assert_eq!(ee[3].mu_star_ci, (0.0, 0.0));
        assert!(ee.iter().all(|e| e.effects == 60));
        // x4's effect is 3·x0: positive, spread, its interval brackets the estimate.
        assert!(ee[4].sigma > 0.5 && ee[4].mu > 0.0);
        assert!(ee[4].mu_star_ci.0 <= ee[4].mu_star && ee[4].mu_star <= ee[4].mu_star_ci.1);
    }

    #[test]
    fn morris_refuses_what_is_not_a_morris_design() {
        let pts = vec![vec![0.0, 0.0], vec![1.0, 1.0], vec![1.0, 0.0]];
        let err = morris_effects(&pts, &[0.0; 3], 2, &Bootstrap::default()).unwrap_err();
        assert!(err.0.contains("moves 2 parameters"), "{err}");
        assert!(morris_effects(&pts, &[0.0; 2], 2, &Bootstrap::default()).is_err());
        assert!(morris_effects(&pts[..2], &[0.0; 2], 2, &Bootstrap::default()).is_err());
    }

    #[test]
    fn given_data_indices_of_an_additive_function() {
        use super::super::sampling::latin_hypercube;
        // y = 2 x0 + x1: S0 = 0.8, S1 = 0.2, S2 = 0.
        let pts = latin_hypercube(4000, 3, 8);
        let y: Vec<f64> = pts.iter().map(|x| 2.0 * x[0] + x[1]).collect();
        let g = first_order_given_data(&pts, &y, None, 20, 1).unwrap();
        assert!((g[0].first - 0.8).abs() < 0.02, "{g:?}");
        assert!((g[1].first - 0.2).abs() < 0.02, "{g:?}");
        assert!(
            g[2].first < 0.03 && (g[2].first - g[2].floor).abs() < 0.01,
            "{g:?}"
        );
        assert!(g[0].first > 20.0 * g[0].floor);
        assert_eq!(g[0].bins, 50);
        // Ishigami: the given-data first order sees x0 and x1, and x2's pure interaction as 0.
        let pts = latin_hypercube(8000, 3, 9);
        let y: Vec<f64> = pts.iter().map(|x| ishigami(x)).collect();
        let g = first_order_given_data(&pts, &y, None, 10, 1).unwrap();
        assert!((g[0].first - 0.314).abs() < 0.03, "{g:?}");
        assert!((g[1].first - 0.442).abs() < 0.03, "{g:?}");
        assert!(g[2].first - g[2].floor < 0.01, "{g:?}");
    }

    #[test]
    fn tornado_orders_bars_by_swing() {
        let bars = tornado(10.0, &[9.0, 2.0, 10.0, 7.0], &[11.0, 12.0, 10.0, 8.0]).unwrap();
        let order: Vec<usize> = bars.iter().map(|b| b.parameter).collect();
        assert_eq!(order, vec![1, 3, 0, 2]);
        assert_eq!(bars[0].swing, 10.0);
        // Both ends below base: the bar still spans from the lowest to the base.
        assert_eq!(bars[1].swing, 3.0);
        assert_eq!(bars[3].swing, 0.0);
        assert!(tornado(0.0, &[1.0], &[]).is_err());
    }
}
