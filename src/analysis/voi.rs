//! The value of information, and how much each parameter changes which design is best.
//!
//! Input: for each explored point `θ` (the values of the uncertain parameters) and each
//! design `d`, the design's expected value at that point `U_d(θ)` (say, its mean composite over
//! the replications at that point; higher is better). Choosing now, without knowing `θ`, an
//! analyst takes the design that is best on average, worth `max_d E_θ[U_d(θ)]`.
//!
//! - **EVPI**, the expected value of perfect information: what knowing every parameter before
//!   choosing would add, `E_θ[max_d U_d(θ)] − max_d E_θ[U_d(θ)]`: the mean regret of the
//!   choice made now.
//! - **EVPPI** of parameter `i`, of *partial* perfect information: what knowing `θ_i` alone
//!   would add, `E_{θ_i}[max_d E(U_d | θ_i)] − max_d E_θ[U_d(θ)]`. It is zero when no value of
//!   `θ_i` would change the choice, however much `θ_i` moves the scores, and at most the EVPI.
//! - **choice shift** of parameter `i`: how far knowing `θ_i` moves the odds of which design
//!   is best at a point, `E_{θ_i}[½ Σ_d |P(best = d | θ_i) − P(best = d)|]` (an expected total
//!   variation distance, in [0, 1]): a unit-free companion of the EVPPI that counts changes of
//!   the winner however small the stakes.
//!
//! `E(· | θ_i)` is estimated by partitioning the points on `θ_i` (the partition, or binning,
//! estimator: Strong & Oakley 2013 discuss it as the simplest nonparametric regression for
//! EVPPI; Strong, Oakley & Brennan 2014 replace the bins by a smoother): each distinct value is
//! a bin when the parameter has few of them (a factorial level, a list), otherwise equal-count
//! bins of consecutive values, never splitting ties. Maxima over noisy bin means are biased
//! upward, so each estimate comes with a **noise floor**: the mean of the same estimator after
//! the parameter's values are randomly permuted across points (so that it carries no
//! information). An estimate near its floor is indistinguishable from zero.
//!
//! Strong, M., Oakley, J. E. (2013), "An efficient method for computing single-parameter
//! partial expected value of perfect information", Medical Decision Making 33, 755–766.
//! Strong, M., Oakley, J. E., Brennan, A. (2014), "Estimating multiparameter partial expected
//! value of perfect information from a probabilistic sensitivity analysis sample", Medical
//! Decision Making 34, 311–326.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::sampling::shuffle;
use super::{check_len, default_bins, partition, AnalysisError};

/// The design with the highest value (the lowest index among equals).
pub fn best_design(values: &[f64]) -> usize {
    let mut best = 0;
    for (d, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = d;
        }
    }
    best
}

/// Per point, the regret of always choosing `design`: `max_d U_d(θ) − U_design(θ)`, zero
/// where it is the best. With `design` the design best on average, this is the output whose
/// Sobol indices, Morris effects or tornado say which parameters make the choice wrong (the
/// `choice` rows of sensitivity.csv); its mean is the EVPI.
pub fn regret(values: &[Vec<f64>], design: usize) -> Vec<f64> {
    values
        .iter()
        .map(|u| {
            let max = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            u.get(design).map_or(0.0, |v| max - v)
        })
        .collect()
}

/// Settings of [`value_of_information`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VoiConfig {
    /// Most bins per parameter; `None`: `√n` rounded, between 2 and 50.
    pub max_bins: Option<usize>,
    /// Random permutations for each noise floor (0: floors are 0).
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
}

impl Default for VoiConfig {
    /// Automatic bins, 20 permutations, seed 0.
    fn default() -> Self {
        VoiConfig {
            max_bins: None,
            permutations: 20,
            seed: 0,
        }
    }
}

/// The value of information of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParameterVoi {
    /// EVPPI, in the units of the values (composite points).
    pub evppi: f64,
    /// The EVPPI estimator's noise floor (see the module docs).
    pub evppi_floor: f64,
    /// Choice shift, in [0, 1].
    pub choice_shift: f64,
    /// Its noise floor.
    pub choice_shift_floor: f64,
    /// Bins the parameter's values were partitioned into.
    pub bins: usize,
}

/// What [`value_of_information`] found.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueOfInformation {
    /// EVPI, in the units of the values.
    pub evpi: f64,
    /// The design best on average (the choice made without information).
    pub best_on_average: usize,
    /// Share of points at which each design is best (ties to the lower index).
    pub p_best: Vec<f64>,
    /// Per parameter, in the order of the points' columns.
    pub parameters: Vec<ParameterVoi>,
}

/// EVPI, and per parameter EVPPI and choice shift with their noise floors, from `points`
/// (`n` rows of `k` parameter values) and `values` (`n` rows of one expected value per design).
pub fn value_of_information(
    points: &[Vec<f64>],
    values: &[Vec<f64>],
    cfg: &VoiConfig,
) -> Result<ValueOfInformation, AnalysisError> {
    check_len("values", values.len(), points.len())?;
    let n = points.len();
    if n == 0 {
        return Err(AnalysisError("no points to value information over".into()));
    }
    let k = points[0].len();
    let designs = values[0].len();
    if designs == 0 {
        return Err(AnalysisError("no designs to choose between".into()));
    }
    for (p, u) in points.iter().zip(values) {
        check_len("a point", p.len(), k)?;
        check_len("a point's values", u.len(), designs)?;
        if p.iter().chain(u).any(|v| !v.is_finite()) {
            return Err(AnalysisError("a value that is not a finite number".into()));
        }
    }
    let means: Vec<f64> = (0..designs)
        .map(|d| values.iter().map(|u| u[d]).sum::<f64>() / n as f64)
        .collect();
    let best_on_average = best_design(&means);
    let now = means[best_on_average];
    let evpi = regret(values, best_on_average).iter().sum::<f64>() / n as f64;
    let winners: Vec<usize> = values.iter().map(|u| best_design(u)).collect();
    let mut won = vec![0usize; designs];
    for &w in &winners {
        won[w] += 1;
    }
    let p_best: Vec<f64> = won.iter().map(|&w| w as f64 / n as f64).collect();
    let max_bins = cfg.max_bins.unwrap_or_else(|| default_bins(n)).max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut parameters = Vec::with_capacity(k);
    for j in 0..k {
        let column: Vec<f64> = points.iter().map(|p| p[j]).collect();
        let (mut bin, bins) = partition(&column, max_bins);
        let stats = |bin: &[usize]| -> (f64, f64) {
            let mut count = vec![0usize; bins];
            let mut sum = vec![0.0; bins * designs];
            let mut wins = vec![0usize; bins * designs];
            for i in 0..n {
                let b = bin[i];
                count[b] += 1;
                for d in 0..designs {
                    sum[b * designs + d] += values[i][d];
                }
                wins[b * designs + winners[i]] += 1;
            }
            let (mut known, mut shift) = (0.0, 0.0);
            let mut changes_choice = false;
            for b in 0..bins {
                if count[b] == 0 {
                    continue;
                }
                let w = count[b] as f64 / n as f64;
                let c = count[b] as f64;
                let row = &sum[b * designs..(b + 1) * designs];
                let pick = best_design(row);
                changes_choice |= pick != best_on_average;
                known += w * row[pick] / c;
                // |wins/c − won/n| in integers, so that equal shares give exactly 0.
                shift += w
                    * 0.5
                    * (0..designs)
                        .map(|d| {
                            (wins[b * designs + d] * n).abs_diff(won[d] * count[b]) as f64
                                / (c * n as f64)
                        })
                        .sum::<f64>();
            }
            // Exactly zero when no bin would change the choice (the sums differ from `now`
            // only by rounding then).
            let evppi = if changes_choice {
                (known - now).max(0.0)
            } else {
                0.0
            };
            (evppi, shift)
        };
        let (evppi, choice_shift) = stats(&bin);
        let (mut evppi_floor, mut choice_shift_floor) = (0.0, 0.0);
        for _ in 0..cfg.permutations {
            shuffle(&mut bin, &mut rng);
            let (e, s) = stats(&bin);
            evppi_floor += e / cfg.permutations as f64;
            choice_shift_floor += s / cfg.permutations as f64;
        }
        parameters.push(ParameterVoi {
            evppi,
            evppi_floor,
            choice_shift,
            choice_shift_floor,
            bins,
        });
    }
    Ok(ValueOfInformation {
        evpi,
        best_on_average,
        p_best,
        parameters,
    })
}

#[cfg(test)]
mod tests {
    use super::super::sampling::latin_hypercube;
    use super::*;

    #[test]
    fn analytic_evppi_and_evpi() {
        // Two designs: U_0 = θ0 + θ1 − 0.5, U_1 = 0.5, θ uniform on [0,1)^3, θ2 inert.
        // Now both are worth 0.5. EVPPI(θ0) = E[max(θ0, 0.5)] − 0.5 = 0.125 = EVPPI(θ1);
        // EVPPI(θ2) = 0; EVPI = E[(θ0 + θ1 − 1)⁺] = 1/6. P(U_0 best | θ0) = θ0, so the choice
        // shift of θ0 is E|θ0 − 0.5| = 0.25.
        let pts = latin_hypercube(10_000, 3, 4);
        let values: Vec<Vec<f64>> = pts.iter().map(|t| vec![t[0] + t[1] - 0.5, 0.5]).collect();
        let voi = value_of_information(&pts, &values, &VoiConfig::default()).unwrap();
        assert!((voi.evpi - 1.0 / 6.0).abs() < 0.005, "{voi:?}");
        for j in 0..2 {
            let p = voi.parameters[j];
            assert!((p.evppi - 0.125).abs() < 0.005, "θ{j}: {p:?}");
            assert!((p.choice_shift - 0.25).abs() < 0.01, "θ{j}: {p:?}");
            assert!(p.evppi > 5.0 * p.evppi_floor, "θ{j}: {p:?}");
            assert!(p.choice_shift > 5.0 * p.choice_shift_floor, "θ{j}: {p:?}");
            assert_eq!(p.bins, 50);
        }
        // The inert parameter: a knife-edge case (both designs worth 0.5 in every bin), where
        // the maximum of noisy bin means is biased upward most; the estimate sits on its noise
        // floor, which is what tells the analyst it is zero.
        let inert = voi.parameters[2];
        assert!(inert.evppi < 0.02, "{inert:?}");
        assert!((inert.evppi - inert.evppi_floor).abs() < 0.004, "{inert:?}");
        assert!((inert.choice_shift - inert.choice_shift_floor).abs() < 0.01);
        assert!((voi.p_best[0] - 0.5).abs() < 0.01);
    }

    #[test]
    fn evppi_is_zero_for_a_parameter_that_moves_scores_but_not_the_choice() {
        // θ0 moves both designs' values a lot, but design 1 is always ahead by 0.2: knowing
        // θ0 (or everything) changes nothing.
        let pts = latin_hypercube(500, 2, 9);
        let values: Vec<Vec<f64>> = pts
            .iter()
            .map(|t| vec![5.0 * t[0] + 0.1 * t[1], 5.0 * t[0] + 0.2])
            .collect();
        let voi = value_of_information(&pts, &values, &VoiConfig::default()).unwrap();
        assert_eq!(voi.evpi, 0.0);
        assert_eq!(voi.best_on_average, 1);
        for p in &voi.parameters {
            assert_eq!((p.evppi, p.choice_shift), (0.0, 0.0), "{p:?}");
        }
        assert!(regret(&values, 1).iter().all(|&r| r == 0.0));
    }

    #[test]
    fn discrete_parameters_get_a_bin_per_level() {
        // θ0 has three levels; design 0 wins only at level 2, by 0.3, else loses by 0.1.
        let pts: Vec<Vec<f64>> = (0..300).map(|i| vec![(i % 3) as f64]).collect();
        let values: Vec<Vec<f64>> = pts
            .iter()
            .map(|t| vec![if t[0] == 2.0 { 0.8 } else { 0.4 }, 0.5])
            .collect();
        let voi = value_of_information(&pts, &values, &VoiConfig::default()).unwrap();
        let p = voi.parameters[0];
        assert_eq!(p.bins, 3);
        // Now: design 0 is worth 0.5333, design 1 0.5; knowing θ0: (0.5 + 0.5 + 0.8)/3 = 0.6.
        assert!((p.evppi - (0.6 - 1.6 / 3.0)).abs() < 1e-12, "{p:?}");
        assert!((voi.evpi - p.evppi).abs() < 1e-12);
    }

    #[test]
    fn partition_keeps_ties_together() {
        let col = [0.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let (bin, bins) = partition(&col, 4);
        assert_eq!(bins, 3);
        assert_eq!(bin[1], bin[2]);
        assert_eq!(bin[2], bin[3]);
        assert!(bin.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn bad_inputs_are_errors() {
        let cfg = VoiConfig::default();
        assert!(value_of_information(&[], &[], &cfg).is_err());
        assert!(value_of_information(&[vec![0.0]], &[vec![]], &cfg).is_err());
        assert!(value_of_information(&[vec![0.0]], &[vec![1.0], vec![2.0]], &cfg).is_err());
        assert!(value_of_information(&[vec![0.0]], &[vec![f64::NAN]], &cfg).is_err());
        assert_eq!(best_design(&[1.0, 3.0, 3.0]), 1);
    }
}
