//! Scenario discovery with PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999):
//! the ranges of the parameters in which a condition holds, as a box an analyst can read aloud.
//!
//! Given points (parameter values) and, for each, whether the condition of interest held, PRIM
//! *peels*: from the whole space it repeatedly cuts away a thin slice (a share `alpha` of the
//! points in the box) from the low or high end of one parameter, choosing the cut that leaves
//! the highest share of points where the condition holds, until too few points remain. Each
//! box along the way is a step on the **peeling trajectory**, trading **coverage** (the share
//! of all points where the condition holds that fall inside the box) for **density** (the
//! share of points inside the box where it holds). The analyst, or [`choose`], picks a box on
//! that trade-off; *pasting* then widens the chosen box again where that raises its density,
//! undoing peels that later peels made unnecessary.
//!
//! Friedman, J. H., Fisher, N. I. (1999), "Bump hunting in high-dimensional data", Statistics
//! and Computing 9, 123–143. Bryant, B. P., Lempert, R. J. (2010), "Thinking inside the box",
//! Technological Forecasting & Social Change 77, 34–49 (PRIM for scenario discovery).

use super::{check_len, AnalysisError};

/// Settings of [`prim`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrimConfig {
    /// Share of the box's points each peel removes (Friedman & Fisher suggest 0.05–0.10).
    pub peel_alpha: f64,
    /// Share of the box's points each paste adds.
    pub paste_alpha: f64,
    /// Peeling stops before the box would hold fewer than this share of all points.
    pub min_mass: f64,
    /// [`choose`] takes the densest box with at least this coverage.
    pub min_coverage: f64,
    /// The reported box keeps a restriction only if its quasi-p-value is below this (see
    /// [`PrimBox::qp`]); 1 keeps every restriction.
    pub significance: f64,
}

impl Default for PrimConfig {
    /// `peel_alpha` 0.05, `paste_alpha` 0.05, `min_mass` 0.05, `min_coverage` 0.8,
    /// `significance` 0.05.
    fn default() -> Self {
        PrimConfig {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            min_mass: 0.05,
            min_coverage: 0.8,
            significance: 0.05,
        }
    }
}

/// A box: per parameter, a closed range `lower[j] ≤ x_j ≤ upper[j]` (infinite where the
/// parameter is not restricted), and how it performs on the data it was found in.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBox {
    /// Lower bound per parameter (`-∞`: none).
    pub lower: Vec<f64>,
    /// Upper bound per parameter (`+∞`: none).
    pub upper: Vec<f64>,
    /// Share of the points where the condition holds that lie in the box.
    pub coverage: f64,
    /// Share of the points in the box where the condition holds.
    pub density: f64,
    /// Share of all points that lie in the box.
    pub mass: f64,
    /// Points in the box.
    pub points: usize,
    /// Points in the box where the condition holds.
    pub hits: usize,
    /// Per parameter, the quasi-p-value of its restriction (`None` where unrestricted): the
    /// probability that a box of this many points, drawn where the parameter is left free
    /// (the box with that restriction lifted), would hold at least as many points where the
    /// condition holds, `P(Binomial(points, density without it) ≥ hits)` (Bryant & Lempert
    /// 2010). Large: the restriction adds nothing beyond chance.
    pub qp: Vec<Option<f64>>,
}

impl PrimBox {
    /// Whether `x` lies in the box.
    pub fn contains(&self, x: &[f64]) -> bool {
        x.iter()
            .zip(self.lower.iter().zip(&self.upper))
            .all(|(v, (lo, hi))| *lo <= *v && *v <= *hi)
    }

    /// The parameters the box restricts (a finite bound on either side), in order.
    pub fn restricted(&self) -> Vec<usize> {
        (0..self.lower.len())
            .filter(|&j| self.lower[j].is_finite() || self.upper[j].is_finite())
            .collect()
    }

    /// The box as a sentence: `holds when warning_days ≥ 9 and beijing.sensitivity ≤ 0.6:
    /// coverage 0.81, density 0.92`, naming only the restricted parameters (`names[j]` is
    /// parameter `j`'s name). Bounds are values of points inside the box, to three
    /// significant digits; a box that restricts nothing "holds across the explored ranges".
    pub fn describe(&self, names: &[String]) -> String {
        self.describe_with(names, &|_, _, _| None)
    }

    /// [`PrimBox::describe`], with `custom(j, lower, upper)` giving the text of parameter
    /// `j`'s restriction where it returns `Some` (say, `stance is japan-led or us-led` for a
    /// parameter whose values are a list, numbered in the points).
    pub fn describe_with(
        &self,
        names: &[String],
        custom: &dyn Fn(usize, f64, f64) -> Option<String>,
    ) -> String {
        let terms: Vec<String> = self
            .restricted()
            .into_iter()
            .map(|j| {
                let name = names
                    .get(j)
                    .map_or_else(|| format!("x{}", j + 1), Clone::clone);
                let (lo, hi) = (self.lower[j], self.upper[j]);
                if let Some(text) = custom(j, lo, hi) {
                    return text;
                }
                match (lo.is_finite(), hi.is_finite()) {
                    (true, true) if lo == hi => format!("{name} = {}", short(lo)),
                    (true, true) => format!("{} ≤ {name} ≤ {}", short(lo), short(hi)),
                    (true, false) => format!("{name} ≥ {}", short(lo)),
                    _ => format!("{name} ≤ {}", short(hi)),
                }
            })
            .collect();
        let when = if terms.is_empty() {
            "holds across the explored ranges".to_string()
        } else {
            format!("holds when {}", terms.join(" and "))
        };
        format!(
            "{when}: coverage {:.2}, density {:.2}",
            self.coverage, self.density
        )
    }
}

/// A number to three significant digits (all the integer digits of a larger one), without
/// trailing zeros: `9`, `0.6`, `0.125`, `0.0123`, `123456`; below 0.0001 in scientific
/// notation, `6.66e-16`.
pub fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    if v.abs() < 1e-4 || v.abs() >= 1e15 {
        return format!("{v:.2e}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).max(0) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// What [`prim`] found.
#[derive(Clone, Debug, PartialEq)]
pub struct Prim {
    /// The peeling trajectory: the whole space first, then one box per peel.
    pub trajectory: Vec<PrimBox>,
    /// Index in `trajectory` of the box [`choose`] picked.
    pub chosen: usize,
    /// The chosen box after pasting (equal to it when no paste raised the density).
    pub pasted: PrimBox,
}

/// PRIM over `points` (one row per point, `k` parameters each) and `holds` (whether the
/// condition held at each point): peels, chooses a box on the trajectory with [`choose`] and
/// pastes it. Restrictions that exclude no point are dropped from every box, and from the
/// reported box, one at a time, the least significant bound while its quasi-p-value is at
/// least `significance` (peels on an inert parameter that only skimmed off noise), so a box
/// names only the parameters that matter to it.
///
/// A peel of parameter `j` at the low end removes the points below the `(⌈alpha·n_box⌉ + 1)`-th
/// smallest value of `x_j` in the box (at the high end, above the as-many-th largest); when ties
/// make that remove nothing (a parameter with a few levels), it removes the lowest (highest)
/// level instead. Among all `2k` candidates, the peel with the highest gain in density per
/// point removed wins, `(density_after − density_before) / points removed` (Friedman &
/// Fisher's criterion for peels of unequal size; for peels of equal size, simply the one that
/// leaves the highest density); ties: the one that removes fewer points, then the lower
/// parameter, then the low end.
/// Peeling stops when no peel keeps at least `min_mass` of the points, or the box's density
/// is already 1.
pub fn prim(points: &[Vec<f64>], holds: &[bool], cfg: &PrimConfig) -> Result<Prim, AnalysisError> {
    check_len("holds", holds.len(), points.len())?;
    let k = points.first().map_or(0, Vec::len);
    for p in points {
        check_len("a point", p.len(), k)?;
        if p.iter().any(|v| !v.is_finite()) {
            return Err(AnalysisError(
                "a point has a value that is not a finite number".into(),
            ));
        }
    }
    if points.is_empty() {
        return Err(AnalysisError("no points to discover boxes in".into()));
    }
    let data = Data { points, holds };
    let mut current = data.evaluate(vec![f64::NEG_INFINITY; k], vec![f64::INFINITY; k]);
    let mut trajectory = vec![current.clone()];
    trajectory[0].qp = vec![None; k];
    while current.density < 1.0 {
        let Some(next) = data.best_peel(&current, cfg) else {
            break;
        };
        current = next;
        trajectory.push(data.with_qp(data.prune(&current)));
    }
    let chosen = choose(&trajectory, cfg.min_coverage);
    let pasted = data.drop_insignificant(data.prune(&data.paste(&trajectory[chosen], cfg)), cfg);
    Ok(Prim {
        trajectory,
        chosen,
        pasted,
    })
}

/// The box to report from a trajectory: the densest box whose coverage is at least
/// `min_coverage` (ties: the earlier box, which has the higher coverage); the whole space when
/// none is dense enough to beat it. Reporting a box that covers most of the cases of interest
/// and is as pure as that allows is the usual reading of the trade-off in scenario discovery
/// (Bryant & Lempert 2010); the full trajectory is written out for an analyst who weighs it
/// differently.
pub fn choose(trajectory: &[PrimBox], min_coverage: f64) -> usize {
    let mut best = 0;
    for (i, b) in trajectory.iter().enumerate() {
        if b.coverage >= min_coverage && b.density > trajectory[best].density {
            best = i;
        }
    }
    best
}

struct Data<'a> {
    points: &'a [Vec<f64>],
    holds: &'a [bool],
}

impl Data<'_> {
    fn total_hits(&self) -> usize {
        self.holds.iter().filter(|&&h| h).count()
    }

    fn evaluate(&self, lower: Vec<f64>, upper: Vec<f64>) -> PrimBox {
        let mut b = PrimBox {
            lower,
            upper,
            coverage: 0.0,
            density: 0.0,
            mass: 0.0,
            points: 0,
            hits: 0,
            qp: Vec::new(),
        };
        for (p, &h) in self.points.iter().zip(self.holds) {
            if b.contains(p) {
                b.points += 1;
                b.hits += usize::from(h);
            }
        }
        let total = self.total_hits();
        b.coverage = ratio(b.hits, total);
        b.density = ratio(b.hits, b.points);
        b.mass = ratio(b.points, self.points.len());
        b
    }

    fn inside<'b>(&'b self, b: &'b PrimBox) -> impl Iterator<Item = usize> + 'b {
        (0..self.points.len()).filter(move |&i| b.contains(&self.points[i]))
    }

    /// The best of the `2k` peels of `b` that keeps at least `min_mass`, if any.
    fn best_peel(&self, b: &PrimBox, cfg: &PrimConfig) -> Option<PrimBox> {
        let inside: Vec<usize> = self.inside(b).collect();
        let n_box = inside.len();
        let remove = ((cfg.peel_alpha * n_box as f64).ceil() as usize).max(1);
        let min_points = (cfg.min_mass * self.points.len() as f64).ceil() as usize;
        let mut best: Option<(f64, PrimBox, usize)> = None;
        for j in 0..b.lower.len() {
            let mut vals: Vec<f64> = inside.iter().map(|&i| self.points[i][j]).collect();
            vals.sort_by(f64::total_cmp);
            for low_end in [true, false] {
                let Some(cut) = peel_cut(&vals, remove, low_end) else {
                    continue;
                };
                let (mut lower, mut upper) = (b.lower.clone(), b.upper.clone());
                if low_end {
                    lower[j] = cut;
                } else {
                    upper[j] = cut;
                }
                let cand = self.evaluate(lower, upper);
                if cand.points < min_points.max(1) {
                    continue;
                }
                let removed = n_box - cand.points;
                // Gain in density per point removed: peels of `alpha` compare by the density
                // they leave, and a peel of a whole level (which may remove far more) must
                // earn its size.
                let gain = (cand.density - b.density) / removed as f64;
                let better = match &best {
                    None => true,
                    Some((kept_gain, _, kept_removed)) => {
                        gain > *kept_gain || (gain == *kept_gain && removed < *kept_removed)
                    }
                };
                if better {
                    best = Some((gain, cand, removed));
                }
            }
        }
        best.map(|(_, b, _)| b)
    }

    /// Widens `b` one bound at a time while that does not lower its density.
    fn paste(&self, b: &PrimBox, cfg: &PrimConfig) -> PrimBox {
        let mut current = b.clone();
        loop {
            let add = ((cfg.paste_alpha * current.points as f64).ceil() as usize).max(1);
            let mut best: Option<PrimBox> = None;
            for j in 0..current.lower.len() {
                for low_end in [true, false] {
                    let bound = if low_end {
                        current.lower[j]
                    } else {
                        current.upper[j]
                    };
                    if !bound.is_finite() {
                        continue;
                    }
                    // Points just outside this bound and inside every other one.
                    let mut outside: Vec<f64> = self
                        .points
                        .iter()
                        .filter(|p| {
                            let v = p[j];
                            let beyond = if low_end { v < bound } else { v > bound };
                            beyond
                                && (0..p.len()).all(|d| {
                                    d == j || (current.lower[d] <= p[d] && p[d] <= current.upper[d])
                                })
                        })
                        .map(|p| p[j])
                        .collect();
                    if outside.is_empty() {
                        continue;
                    }
                    // Nearest first.
                    outside.sort_by(f64::total_cmp);
                    if low_end {
                        outside.reverse();
                    }
                    let new_bound = outside[add.min(outside.len()) - 1];
                    let (mut lower, mut upper) = (current.lower.clone(), current.upper.clone());
                    if low_end {
                        lower[j] = new_bound;
                    } else {
                        upper[j] = new_bound;
                    }
                    let cand = self.evaluate(lower, upper);
                    // Not lower (Friedman & Fisher paste while the mean does not fall):
                    // an equally dense paste buys coverage for free. Each paste adds points,
                    // so the loop ends.
                    if cand.density >= current.density
                        && best.as_ref().is_none_or(|b| {
                            cand.density > b.density
                                || (cand.density == b.density && cand.points > b.points)
                        })
                    {
                        best = Some(cand);
                    }
                }
            }
            match best {
                Some(b) => current = b,
                None => return current,
            }
        }
    }

    /// `b` with its restrictions' quasi-p-values.
    fn with_qp(&self, mut b: PrimBox) -> PrimBox {
        b.qp = (0..b.lower.len())
            .map(|j| {
                if !(b.lower[j].is_finite() || b.upper[j].is_finite()) {
                    return None;
                }
                let (mut lower, mut upper) = (b.lower.clone(), b.upper.clone());
                lower[j] = f64::NEG_INFINITY;
                upper[j] = f64::INFINITY;
                let free = self.evaluate(lower, upper);
                Some(binomial_at_least(b.hits, b.points, free.density))
            })
            .collect();
        b
    }

    /// Lifts the least significant bound of `b` (one side of one parameter, judged like a
    /// restriction: the box's hits against the density with that bound lifted) while its
    /// quasi-p-value is at least `cfg.significance`.
    fn drop_insignificant(&self, b: PrimBox, cfg: &PrimConfig) -> PrimBox {
        let mut b = b;
        loop {
            let mut worst: Option<(f64, PrimBox)> = None;
            for j in 0..b.lower.len() {
                for low_end in [true, false] {
                    let (mut lower, mut upper) = (b.lower.clone(), b.upper.clone());
                    let bound = if low_end {
                        &mut lower[j]
                    } else {
                        &mut upper[j]
                    };
                    if !bound.is_finite() {
                        continue;
                    }
                    *bound = if low_end {
                        f64::NEG_INFINITY
                    } else {
                        f64::INFINITY
                    };
                    let lifted = self.evaluate(lower, upper);
                    let q = binomial_at_least(b.hits, b.points, lifted.density);
                    if q >= cfg.significance && worst.as_ref().is_none_or(|(w, _)| q > *w) {
                        worst = Some((q, lifted));
                    }
                }
            }
            match worst {
                Some((_, lifted)) => b = lifted,
                None => return self.with_qp(b),
            }
        }
    }

    /// `b` without the bounds that exclude no point (given the others).
    fn prune(&self, b: &PrimBox) -> PrimBox {
        let mut out = b.clone();
        for j in 0..out.lower.len() {
            for low_end in [true, false] {
                let bound = if low_end { out.lower[j] } else { out.upper[j] };
                if !bound.is_finite() {
                    continue;
                }
                let excludes_some = self.points.iter().any(|p| {
                    let beyond = if low_end { p[j] < bound } else { p[j] > bound };
                    beyond
                        && (0..p.len())
                            .all(|d| d == j || (out.lower[d] <= p[d] && p[d] <= out.upper[d]))
                });
                if !excludes_some {
                    if low_end {
                        out.lower[j] = f64::NEG_INFINITY;
                    } else {
                        out.upper[j] = f64::INFINITY;
                    }
                }
            }
        }
        out
    }
}

/// The new bound of a peel that removes about `remove` of the sorted values `vals` from one
/// end: the first value kept. `None` when every value is the same (nothing can be peeled).
fn peel_cut(vals: &[f64], remove: usize, low_end: bool) -> Option<f64> {
    let n = vals.len();
    if n < 2 || vals[0] == vals[n - 1] || remove >= n {
        return None;
    }
    if low_end {
        let cut = vals[remove];
        if cut > vals[0] {
            Some(cut)
        } else {
            // Ties at the bottom: peel the whole lowest level.
            vals.iter().copied().find(|&v| v > vals[0])
        }
    } else {
        let cut = vals[n - 1 - remove];
        if cut < vals[n - 1] {
            Some(cut)
        } else {
            vals.iter().rev().copied().find(|&v| v < vals[n - 1])
        }
    }
}

/// `P(X ≥ h)` for `X ~ Binomial(m, p)`, summing probabilities outward from `h` (from where
/// they only fall) in log space, so that neither end underflows to a wrong answer.
fn binomial_at_least(h: usize, m: usize, p: f64) -> f64 {
    if h == 0 || p >= 1.0 {
        return 1.0;
    }
    if h > m || p <= 0.0 {
        return 0.0;
    }
    let ln_pmf = |x: usize| {
        let r = x.min(m - x);
        let ln_choose: f64 = (1..=r).map(|i| ((m - r + i) as f64 / i as f64).ln()).sum();
        ln_choose + x as f64 * p.ln() + (m - x) as f64 * (1.0 - p).ln()
    };
    let odds = p / (1.0 - p);
    let tail_from = |start: usize, up: bool| {
        let mut term = ln_pmf(start).exp();
        let mut sum = term;
        let mut x = start;
        loop {
            if up {
                if x == m {
                    break;
                }
                term *= (m - x) as f64 / (x + 1) as f64 * odds;
                x += 1;
            } else {
                if x == 0 {
                    break;
                }
                term *= x as f64 / (m - x + 1) as f64 / odds;
                x -= 1;
            }
            sum += term;
            if term < sum * 1e-17 {
                break;
            }
        }
        sum
    };
    if h as f64 > m as f64 * p {
        tail_from(h, true).min(1.0)
    } else {
        (1.0 - tail_from(h - 1, false)).clamp(0.0, 1.0)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::super::sampling::{latin_hypercube, unit};
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn names(k: usize) -> Vec<String> {
        (0..k).map(|j| format!("p{j}")).collect()
    }

    #[test]
    fn recovers_a_planted_box() {
        // The condition holds inside x0 ≥ 0.6 and x2 ≤ 0.5 (mass 0.2), with 10% label noise
        // everywhere; x1 and x3 are inert.
        let n = 4000;
        let pts = latin_hypercube(n, 4, 11);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let holds: Vec<bool> = pts
            .iter()
            .map(|x| {
                let inside = x[0] >= 0.6 && x[2] <= 0.5;
                if unit(&mut rng) < 0.1 {
                    !inside
                } else {
                    inside
                }
            })
            .collect();
        // Truth: in the planted box, density 0.9; coverage 0.18 / (0.18 + 0.08) ≈ 0.69.
        let truth_density = 0.9;
        let truth_coverage = 0.9 * 0.2 / (0.9 * 0.2 + 0.1 * 0.8);
        let cfg = PrimConfig {
            min_coverage: 0.6,
            ..PrimConfig::default()
        };
        let found = prim(&pts, &holds, &cfg).unwrap();
        let b = &found.pasted;
        assert_eq!(b.restricted(), vec![0, 2], "{b:?}");
        assert!((b.lower[0] - 0.6).abs() < 0.03, "{b:?}");
        assert!((b.upper[2] - 0.5).abs() < 0.03, "{b:?}");
        assert!(
            b.upper[0].is_infinite() && b.lower[2].is_infinite(),
            "{b:?}"
        );
        assert!((b.density - truth_density).abs() < 0.03, "{b:?}");
        assert!((b.coverage - truth_coverage).abs() < 0.05, "{b:?}");
        // The trajectory starts at the whole space and trades coverage for density.
        let first = &found.trajectory[0];
        assert_eq!((first.coverage, first.mass), (1.0, 1.0));
        assert!(found.trajectory.windows(2).all(|w| w[1].mass < w[0].mass));
        assert!(found.trajectory.last().unwrap().mass >= cfg.min_mass);
        // The kept restrictions are significant beyond doubt.
        assert!(
            b.qp[0].unwrap() < 1e-6 && b.qp[2].unwrap() < 1e-6,
            "{:?}",
            b.qp
        );
        assert_eq!((b.qp[1], b.qp[3]), (None, None));
        let text = b.describe(&names(4));
        assert!(text.starts_with("holds when p0 ≥ 0.6"), "{text}");
        assert!(text.contains(" and p2 ≤ 0.5"), "{text}");
        assert!(text.ends_with(&format!(
            ": coverage {:.2}, density {:.2}",
            b.coverage, b.density
        )));
    }

    #[test]
    fn peels_levels_of_a_discrete_parameter() {
        // x0 takes 5 levels; the condition holds exactly at levels 3 and 4.
        let pts: Vec<Vec<f64>> = (0..500)
            .map(|i| vec![(i % 5) as f64, (i / 5) as f64 / 100.0])
            .collect();
        let holds: Vec<bool> = pts.iter().map(|x| x[0] >= 3.0).collect();
        let found = prim(&pts, &holds, &PrimConfig::default()).unwrap();
        let b = &found.pasted;
        assert_eq!((b.density, b.coverage), (1.0, 1.0), "{b:?}");
        assert_eq!(b.restricted(), vec![0]);
        assert_eq!(
            b.describe(&["warning_days".to_string(), "x".to_string()]),
            "holds when warning_days ≥ 3: coverage 1.00, density 1.00"
        );
    }

    #[test]
    fn pasting_widens_an_over_peeled_box() {
        // Hand-made box cut too tight on x0: pasting brings the bound back out.
        let pts: Vec<Vec<f64>> = (0..1000).map(|i| vec![i as f64 / 1000.0]).collect();
        let holds: Vec<bool> = pts.iter().map(|x| x[0] >= 0.5).collect();
        let data = Data {
            points: &pts,
            holds: &holds,
        };
        let tight = data.evaluate(vec![0.8], vec![f64::INFINITY]);
        let pasted = data.prune(&data.paste(&tight, &PrimConfig::default()));
        // Back to the true edge, 0.5, within one paste (5% of the box).
        assert!(
            pasted.lower[0] >= 0.5 && pasted.lower[0] < 0.53,
            "{pasted:?}"
        );
        assert_eq!(pasted.density, 1.0);
        assert!(pasted.coverage > 0.94);
    }

    #[test]
    fn binomial_tail_matches_exact_values() {
        // P(X ≥ 3), X ~ Bin(4, 0.5) = 5/16; P(X ≥ 1), X ~ Bin(10, 0.1) = 1 − 0.9^10.
        assert!((binomial_at_least(3, 4, 0.5) - 5.0 / 16.0).abs() < 1e-15);
        assert!((binomial_at_least(1, 10, 0.1) - (1.0 - 0.9f64.powi(10))).abs() < 1e-15);
        assert_eq!(binomial_at_least(0, 10, 0.3), 1.0);
        assert_eq!(binomial_at_least(11, 10, 0.3), 0.0);
        // Far tails of a large box neither underflow to nonsense nor exceed 1.
        let far = binomial_at_least(900, 1000, 0.5);
        assert!(far > 0.0 && far < 1e-100, "{far}");
        let near_one = binomial_at_least(100, 1000, 0.5);
        assert!(near_one <= 1.0 && near_one > 1.0 - 1e-12, "{near_one}");
        // Symmetric case: P(X ≥ 501) for Bin(1000, 0.5) is (1 − P(X = 500)) / 2.
        let p500 = binomial_at_least(500, 1000, 0.5) - binomial_at_least(501, 1000, 0.5);
        let half = binomial_at_least(501, 1000, 0.5);
        assert!((half - (1.0 - p500) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn choose_takes_the_densest_box_with_enough_coverage() {
        let mk = |coverage, density| PrimBox {
            lower: vec![],
            upper: vec![],
            coverage,
            density,
            mass: 0.0,
            points: 0,
            hits: 0,
            qp: vec![],
        };
        let t = vec![mk(1.0, 0.3), mk(0.9, 0.5), mk(0.85, 0.5), mk(0.7, 0.9)];
        assert_eq!(choose(&t, 0.8), 1);
        assert_eq!(choose(&t, 0.5), 3);
        assert_eq!(choose(&t, 1.1), 0);
    }

    #[test]
    fn sentences_and_numbers() {
        let b = PrimBox {
            lower: vec![9.0, f64::NEG_INFINITY, 0.25, 2.0],
            upper: vec![f64::INFINITY, f64::INFINITY, 0.6, 2.0],
            coverage: 0.8123,
            density: 0.9199,
            mass: 0.1,
            points: 10,
            hits: 9,
            qp: vec![Some(0.01), None, Some(0.001), Some(0.02)],
        };
        let names = vec![
            "warning_days".to_string(),
            "inert".to_string(),
            "beijing.sensitivity".to_string(),
            "level".to_string(),
        ];
        assert_eq!(
            b.describe(&names),
            "holds when warning_days ≥ 9 and 0.25 ≤ beijing.sensitivity ≤ 0.6 and level = 2: \
             coverage 0.81, density 0.92"
        );
        assert_eq!(short(0.6000000001), "0.6");
        assert_eq!(short(123456.0), "123456");
        assert_eq!(short(0.012345), "0.0123");
        assert_eq!(short(-0.0001), "-0.0001");
        assert_eq!(short(6.66e-16), "6.66e-16");
        let everywhere = PrimBox {
            lower: vec![f64::NEG_INFINITY],
            upper: vec![f64::INFINITY],
            ..b
        };
        assert!(everywhere
            .describe(&names)
            .starts_with("holds across the explored ranges: "));
    }

    #[test]
    fn bad_inputs_are_errors() {
        let cfg = PrimConfig::default();
        assert!(prim(&[], &[], &cfg).is_err());
        assert!(prim(&[vec![0.0]], &[true, false], &cfg).is_err());
        assert!(prim(&[vec![0.0], vec![0.0, 1.0]], &[true, false], &cfg).is_err());
        assert!(prim(&[vec![f64::NAN]], &[true], &cfg).is_err());
        // Nothing holds anywhere: the whole space, density 0, no panic.
        let pts = latin_hypercube(50, 2, 1);
        let none = prim(&pts, &[false; 50], &cfg).unwrap();
        assert_eq!(none.pasted.hits, 0);
    }
}
