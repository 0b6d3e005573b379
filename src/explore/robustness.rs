//! Robustness across futures: over a sweep's points (each a possible future: a scenario and
//! a set of parameter values), how far each design falls short of the best design at that
//! point, and how often it meets the thresholds. Which design to pick when nobody knows
//! which future comes: the one with the smallest maximum regret is the minimax choice.

/// One design's regret over the points.
#[derive(Clone, Debug, PartialEq)]
pub struct Regret {
    /// Mean over points of (best design's value − this design's), on the regret metric
    /// (sign turned for a metric where lower is better, so regret is never negative).
    pub mean: f64,
    /// Largest regret at any point.
    pub max: f64,
    /// Share of points at which the design is best (a tie of k designs gives each 1/k).
    pub share_best: f64,
}

/// Each design's regret. `values[p][d]` is design `d`'s mean on the regret metric at point
/// `p`; `higher_is_better` is the metric's direction. Empty when there are no points.
pub fn regret(values: &[Vec<f64>], higher_is_better: bool) -> Vec<Regret> {
    let Some(nd) = values.first().map(Vec::len) else {
        return Vec::new();
    };
    let sign = if higher_is_better { 1.0 } else { -1.0 };
    let mut sum = vec![0.0; nd];
    let mut max = vec![0.0f64; nd];
    let mut best = vec![0.0; nd];
    for row in values {
        let top = row
            .iter()
            .map(|v| sign * v)
            .fold(f64::NEG_INFINITY, f64::max);
        let ties = row.iter().filter(|&&v| sign * v == top).count() as f64;
        for (d, &v) in row.iter().enumerate() {
            let r = top - sign * v;
            sum[d] += r;
            max[d] = max[d].max(r);
            if r == 0.0 {
                best[d] += 1.0 / ties;
            }
        }
    }
    let n = values.len() as f64;
    (0..nd)
        .map(|d| Regret {
            mean: sum[d] / n,
            max: max[d],
            share_best: best[d] / n,
        })
        .collect()
}

/// The design with the smallest maximum regret (ties: the smaller mean regret, then the
/// first), or `None` for no designs.
pub fn minimax(regrets: &[Regret]) -> Option<usize> {
    (0..regrets.len()).min_by(|&a, &b| {
        let (x, y) = (&regrets[a], &regrets[b]);
        x.max
            .total_cmp(&y.max)
            .then(x.mean.total_cmp(&y.mean))
            .then(a.cmp(&b))
    })
}

/// Share of points at which a value meets `threshold` on the better side (inclusive).
pub fn share_meeting(
    values: impl Iterator<Item = f64>,
    threshold: f64,
    higher_is_better: bool,
) -> f64 {
    let (mut n, mut met) = (0u64, 0u64);
    for v in values {
        n += 1;
        if (higher_is_better && v >= threshold) || (!higher_is_better && v <= threshold) {
            met += 1;
        }
    }
    if n == 0 {
        f64::NAN
    } else {
        met as f64 / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regret_is_the_distance_to_the_best_at_each_point() {
        // Design 0 is best in the first future, design 1 in the second; design 2 is never
        // best but never far behind: the minimax choice.
        let v = vec![vec![1.0, 0.0, 0.8], vec![0.0, 1.0, 0.7]];
        let r = regret(&v, true);
        assert_eq!(
            r[0],
            Regret {
                mean: 0.5,
                max: 1.0,
                share_best: 0.5
            }
        );
        assert_eq!(
            r[1],
            Regret {
                mean: 0.5,
                max: 1.0,
                share_best: 0.5
            }
        );
        assert!((r[2].max - 0.3).abs() < 1e-12 && (r[2].mean - 0.25).abs() < 1e-12);
        assert_eq!(r[2].share_best, 0.0);
        assert_eq!(minimax(&r), Some(2));
    }

    #[test]
    fn lower_is_better_turns_the_sign_and_ties_share_the_win() {
        let v = vec![vec![0.1, 0.1, 0.4]];
        let r = regret(&v, false);
        assert_eq!(r[0].share_best, 0.5);
        assert_eq!(r[1].share_best, 0.5);
        assert!((r[2].max - 0.3).abs() < 1e-12);
        assert_eq!(minimax(&r), Some(0));
        assert!(regret(&[], true).is_empty());
    }

    #[test]
    fn thresholds_count_the_better_side_inclusive() {
        assert_eq!(
            share_meeting([0.9, 0.8, 0.95].into_iter(), 0.9, true),
            2.0 / 3.0
        );
        assert_eq!(share_meeting([0.1, 0.2].into_iter(), 0.1, false), 0.5);
        assert!(share_meeting(std::iter::empty(), 0.1, false).is_nan());
    }
}
