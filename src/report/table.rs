//! The results table: on screen (80 columns unless `--wide`), in table.txt and in table.md.
//!
//! Each cell is a mean with the half-width of its 95% interval, both rounded to the half-width's
//! second significant digit, so a non-zero half-width never shows as `±0` and a mean never
//! shows digits its interval does not support. Columns align on the decimal point.

use crate::metric::Metric;

use super::data::Results;

/// Terminal width the default table fits.
pub const WIDTH: usize = 80;

/// Indent of the numbers when the design names stand on lines of their own.
const STACKED_INDENT: usize = 2;

/// The metrics of the default table, in column order.
pub const HEADLINE: [Metric; 6] = [
    Metric::InfoExchange,
    Metric::Evacuation,
    Metric::RearArea,
    Metric::CoercionRate,
    Metric::CrisisEscalation,
    Metric::Composite,
];

/// A metric's column heading in the 80-column table (the legend spells it out).
pub const fn short_name(m: Metric) -> &'static str {
    match m {
        Metric::InfoExchange => "info",
        Metric::InfoViaChannel => "via_ch",
        Metric::Evacuation => "evac",
        Metric::RearArea => "rear",
        Metric::CoercionRate => "coerc",
        Metric::MaxRung => "rung",
        Metric::CrisisEscalation => "escal",
        Metric::Launched => "launch",
        Metric::ChannelSurvived => "surv",
        Metric::Agreements => "MOUs",
        Metric::TrustAtCrisis => "trust",
        Metric::ActiveShare => "active",
        Metric::Composite => "comp",
    }
}

/// A mean and the half-width of its interval, as text rounded to the half-width's second
/// significant digit (the mean to the same decimal place). Without a finite half-width (one
/// replication) the mean has 4 significant digits and the half-width is empty; a zero
/// half-width (every value equal) is `±0`.
pub fn mean_pm(mean: f64, half: Option<f64>) -> (String, String) {
    if !mean.is_finite() {
        return ("n/a".into(), String::new());
    }
    match half.filter(|h| h.is_finite() && *h >= 0.0) {
        Some(h) if h > 0.0 => {
            // Rounding can carry into a new digit (0.000999 → 0.0010): count again from the
            // rounded value.
            let d = decimals_for(h, 2);
            let d = decimals_for(fixed(h, d).parse().unwrap_or(h), 2);
            (fixed(mean, d), format!("±{}", fixed(h, d)))
        }
        Some(_) => (fixed(mean, decimals_for(mean, 4)), "±0".into()),
        None => (fixed(mean, decimals_for(mean, 4)), String::new()),
    }
}

/// Decimals that show `x` to `sig` significant digits (0 for large numbers).
fn decimals_for(x: f64, sig: i32) -> usize {
    if x == 0.0 || !x.is_finite() {
        return 0;
    }
    let magnitude = x.abs().log10().floor() as i32;
    (sig - 1 - magnitude).clamp(0, 17) as usize
}

/// `x` with `d` decimals; never `-0`.
fn fixed(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// Pad the cells of a column so that their decimal points line up, then right-align.
fn align_decimals(cells: &[String]) -> Vec<String> {
    let split = |c: &str| match c.find('.') {
        Some(i) => (c[..i].chars().count(), c[i..].chars().count()),
        None => (c.chars().count(), 0),
    };
    let (int_w, frac_w) = cells.iter().fold((0, 0), |(a, b), c| {
        let (i, f) = split(c);
        (a.max(i), b.max(f))
    });
    cells
        .iter()
        .map(|c| {
            let (i, f) = split(c);
            format!("{}{c}{}", " ".repeat(int_w - i), " ".repeat(frac_w - f))
        })
        .collect()
}

/// One design's row: its mean and ± texts per metric, and its P(best) on the composite.
struct Row {
    design: String,
    cells: Vec<(String, String)>,
    p_best: (String, String),
}

fn rows(r: &Results, metrics: &[Metric]) -> Vec<Row> {
    let summary = r.table("summary.csv");
    let best = r.table("best.csv");
    r.designs()
        .iter()
        .map(|d| {
            let cells = metrics
                .iter()
                .map(|m| {
                    let row = summary.and_then(|t| {
                        t.rows
                            .iter()
                            .find(|row| {
                                t.text(row, "design") == d && t.text(row, "metric") == m.name()
                            })
                            .map(|row| (t, row))
                    });
                    match row {
                        Some((t, row)) => {
                            let half = match (t.num(row, "ci95_low"), t.num(row, "ci95_high")) {
                                (Some(lo), Some(hi)) => Some((hi - lo) / 2.0),
                                _ => None,
                            };
                            mean_pm(t.num(row, "mean").unwrap_or(f64::NAN), half)
                        }
                        None => ("n/a".into(), String::new()),
                    }
                })
                .collect();
            let p_best = best
                .and_then(|t| {
                    t.rows
                        .iter()
                        .find(|row| {
                            t.text(row, "design") == d
                                && t.text(row, "metric") == Metric::Composite.name()
                        })
                        .map(|row| {
                            let half = match (t.num(row, "ci95_low"), t.num(row, "ci95_high")) {
                                (Some(lo), Some(hi)) => Some((hi - lo) / 2.0),
                                _ => None,
                            };
                            mean_pm(t.num(row, "p_best").unwrap_or(f64::NAN), half)
                        })
                })
                .unwrap_or_else(|| ("n/a".into(), String::new()));
            Row {
                design: d.clone(),
                cells,
                p_best,
            }
        })
        .collect()
}

/// The first lines of every table: what was run and what the numbers are.
fn heading(r: &Results) -> String {
    format!(
        "{} replications of {}, seed {}\nMeans ± half-widths of their 95% intervals; P(best) on \
         the composite",
        r.about.replications, r.about.name, r.about.seed
    )
}

/// `higher is better` or `lower is better`.
fn direction(m: Metric) -> &'static str {
    if m.info().higher_is_better {
        "higher is better"
    } else {
        "lower is better"
    }
}

/// The table for a terminal: the headline metrics with each design on two lines (means, then
/// half-widths), fitted to `width` columns by splitting the metrics into blocks if need be;
/// `wide` shows every metric, one line per design, whatever the width. A legend of names,
/// units and directions follows.
pub fn text(r: &Results, wide: bool, width: usize) -> String {
    let metrics: Vec<Metric> = if wide {
        Metric::ALL.to_vec()
    } else {
        HEADLINE.to_vec()
    };
    let rows = rows(r, &metrics);
    let mut out = heading(r);
    out.push('\n');
    let design_w = rows
        .iter()
        .map(|r| r.design.chars().count())
        .max()
        .unwrap_or(0)
        .max("design".len());
    // Columns: each metric, then P(best); each a heading and per design (mean, ±).
    let mut columns: Vec<(String, Vec<String>, Vec<String>)> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let name = if wide { m.name() } else { short_name(*m) };
            let means: Vec<String> = rows.iter().map(|r| r.cells[i].0.clone()).collect();
            let halves: Vec<String> = rows.iter().map(|r| r.cells[i].1.clone()).collect();
            (name.to_string(), means, halves)
        })
        .collect();
    columns.push((
        "P(best)".into(),
        rows.iter().map(|r| r.p_best.0.clone()).collect(),
        rows.iter().map(|r| r.p_best.1.clone()).collect(),
    ));
    if wide {
        // One line per design: `mean ±half` cells, the means aligned on their decimal points.
        let cells: Vec<(String, Vec<String>)> = columns
            .iter()
            .map(|(name, means, halves)| {
                let means = align_decimals(means);
                let halves = align_decimals(halves);
                let joined: Vec<String> = means
                    .iter()
                    .zip(&halves)
                    .map(|(m, h)| format!("{m} {h}").trim_end().to_string())
                    .collect();
                let w = joined
                    .iter()
                    .map(|c| c.chars().count())
                    .chain([name.chars().count()])
                    .max()
                    .unwrap_or(0);
                let joined = joined.into_iter().map(|c| format!("{c:<w$}")).collect();
                (format!("{name:>w$}"), joined)
            })
            .collect();
        out.push_str(&format!("{:<design_w$}", "design"));
        for (h, _) in &cells {
            out.push_str(&format!("  {h}"));
        }
        out.push('\n');
        for (i, row) in rows.iter().enumerate() {
            let mut line = format!("{:<design_w$}", row.design);
            for (_, c) in &cells {
                line.push_str(&format!("  {}", c[i]));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    } else {
        // Each column's means and half-widths aligned together on the decimal point.
        let aligned: Vec<(String, Vec<String>, usize)> = columns
            .iter()
            .map(|(name, means, halves)| {
                let both: Vec<String> = means.iter().chain(halves.iter()).cloned().collect();
                let a = align_decimals(&both);
                let w = a
                    .iter()
                    .map(|c| c.chars().count())
                    .chain([name.chars().count()])
                    .max()
                    .unwrap_or(0);
                (name.clone(), a, w)
            })
            .collect();
        let n = rows.len();
        // Fit: two spaces between columns if they fit, else one, else split into blocks.
        // Fit, in this order of preference: the design names beside the numbers with two
        // spaces between columns, or one; the names on a line of their own above each
        // design's two lines; the metrics split into blocks that fit.
        let total = |label: usize, gap: usize, cols: &[(String, Vec<String>, usize)]| {
            label + cols.iter().map(|c| c.2 + gap).sum::<usize>()
        };
        let (label_w, gap) = [
            (design_w, 2),
            (design_w, 1),
            (STACKED_INDENT, 2),
            (STACKED_INDENT, 1),
        ]
        .into_iter()
        .find(|&(l, g)| total(l, g, &aligned) <= width)
        .unwrap_or((design_w, 1));
        let stacked = label_w < design_w;
        let mut blocks: Vec<&[(String, Vec<String>, usize)]> = Vec::new();
        let mut start = 0;
        while start < aligned.len() {
            let mut end = start + 1;
            while end < aligned.len() && total(label_w, gap, &aligned[start..=end]) <= width {
                end += 1;
            }
            blocks.push(&aligned[start..end]);
            start = end;
        }
        for (b, block) in blocks.iter().enumerate() {
            if b > 0 {
                out.push('\n');
            }
            let mut line = format!("{:<label_w$}", if stacked { "" } else { "design" });
            for (name, _, w) in block.iter() {
                line.push_str(&format!("{}{name:>w$}", " ".repeat(gap)));
            }
            out.push_str(&line);
            out.push('\n');
            for (i, row) in rows.iter().enumerate() {
                if stacked {
                    out.push_str(&row.design);
                    out.push('\n');
                }
                let label = if stacked { "" } else { row.design.as_str() };
                for (k, label) in [(i, label), (n + i, "")] {
                    let mut line = format!("{label:<label_w$}");
                    for (_, cells, w) in block.iter() {
                        line.push_str(&format!("{}{:>w$}", " ".repeat(gap), cells[k]));
                    }
                    if !line.trim().is_empty() {
                        out.push_str(line.trim_end());
                        out.push('\n');
                    }
                }
            }
        }
    }
    out.push_str(&legend(&metrics, wide));
    out
}

/// What the columns are: name, unit and direction of each metric.
fn legend(metrics: &[Metric], wide: bool) -> String {
    let mut out = String::from("\n");
    let name_w = metrics.iter().map(|m| m.name().len()).max().unwrap_or(0);
    for m in metrics {
        let info = m.info();
        if wide {
            out.push_str(&format!(
                "  {:<name_w$}  {:<11}  {}\n",
                info.name,
                info.unit,
                direction(*m)
            ));
        } else {
            out.push_str(&format!(
                "  {:<6} {:<name_w$}  {:<11}  {}\n",
                short_name(*m),
                info.name,
                info.unit,
                direction(*m)
            ));
        }
    }
    out.push_str(
        "  P(best): share of replications in which the design has the highest composite,\n  \
         ± half the width of its Wilson 95% interval.\n",
    );
    if !wide {
        out.push_str(
            "  Under each mean, the half-width of its 95% interval. --wide: every metric.\n",
        );
    }
    out
}

/// The table as Markdown (table.md): full metric names with unit and direction in the
/// heading, `mean ± half` cells, every design one row.
pub fn markdown(r: &Results) -> String {
    let rows = rows(r, &HEADLINE);
    let mut out = format!("{}\n\n| design |", heading(r));
    for m in HEADLINE {
        let arrow = if m.info().higher_is_better {
            "↑"
        } else {
            "↓"
        };
        out.push_str(&format!(" {} ({}, {arrow}) |", m.name(), m.info().unit));
    }
    out.push_str(" P(best) |\n| --- |");
    for _ in 0..=HEADLINE.len() {
        out.push_str(" ---: |");
    }
    out.push('\n');
    let cell = |(m, h): &(String, String)| {
        if h.is_empty() {
            m.clone()
        } else {
            format!("{m} ± {}", h.trim_start_matches('±'))
        }
    };
    for row in &rows {
        out.push_str(&format!("| {} |", row.design));
        for c in &row.cells {
            out.push_str(&format!(" {} |", cell(c)));
        }
        out.push_str(&format!(" {} |\n", cell(&row.p_best)));
    }
    out.push_str(
        "\n↑ higher is better, ↓ lower is better. Cells: mean ± half-width of the 95% interval \
         of the mean; P(best): share of replications in which the design has the highest \
         composite, ± half the width of its Wilson 95% interval. Metrics: docs/OUTPUTS.md §8.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_widths_keep_two_significant_digits_and_the_mean_follows() {
        assert_eq!(
            mean_pm(0.12283, Some(0.00171)),
            ("0.1228".into(), "±0.0017".into())
        );
        assert_eq!(
            mean_pm(0.0001, Some(0.0000042)),
            ("0.0001000".into(), "±0.0000042".into())
        );
        assert_eq!(
            mean_pm(1.1086, Some(0.006)),
            ("1.1086".into(), "±0.0060".into())
        );
        assert_eq!(mean_pm(12.3, Some(2.5)), ("12.3".into(), "±2.5".into()));
        assert_eq!(
            mean_pm(0.00893, Some(0.000999)),
            ("0.0089".into(), "±0.0010".into())
        );
        assert_eq!(mean_pm(0.5, Some(0.0)), ("0.5000".into(), "±0".into()));
        assert_eq!(
            mean_pm(-0.00001, Some(0.001)),
            ("0.0000".into(), "±0.0010".into())
        );
        assert_eq!(mean_pm(0.25, None), ("0.2500".into(), String::new()));
        // Never ±0 for a half-width that is not zero, however small.
        for h in [1e-12, 3e-7, 0.00004, 0.049] {
            let (_, pm) = mean_pm(0.1, Some(h));
            assert!(
                !pm.trim_start_matches(['±', '0', '.']).is_empty(),
                "{h}: {pm}"
            );
        }
    }

    #[test]
    fn decimals_line_up() {
        let a = align_decimals(&["0.1".into(), "12.345".into(), "±0.02".into(), "n/a".into()]);
        let points: Vec<Option<usize>> = a
            .iter()
            .map(|c| c.chars().position(|ch| ch == '.'))
            .collect();
        assert_eq!(points[0], points[1]);
        assert_eq!(points[1], points[2]);
        assert_eq!(points[3], None);
        assert!(a.iter().all(|c| c.chars().count() == a[0].chars().count()));
    }
}
