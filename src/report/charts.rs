//! The report's charts, drawn with plotters' SVG backend: each with its title, units, a line
//! on how to read it, and the numbers behind it as a table.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::metric::Metric;

use super::data::{Results, Table};
use super::table::HEADLINE;

/// One chart: the SVG and what the page says around it.
#[derive(Clone, Debug)]
pub struct Chart {
    /// File name stem under charts/, e.g. `distribution-evacuation`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// What the axes measure, with units.
    pub units: String,
    /// One line on how to read it.
    pub how_to_read: String,
    /// The chart as an SVG document.
    pub svg: String,
    /// Column names of the numbers behind the chart.
    pub headers: Vec<String>,
    /// The numbers behind the chart, as written in the CSV files.
    pub rows: Vec<Vec<String>>,
}

/// Chart width in pixels.
const WIDTH: u32 = 860;
const BLUE: RGBColor = RGBColor(31, 119, 180);
const ORANGE: RGBColor = RGBColor(230, 120, 20);
const GREY: RGBColor = RGBColor(120, 120, 120);
const LIGHT: RGBColor = RGBColor(242, 242, 242);
const FONT: &str = "sans-serif";

fn draw_error(e: impl std::fmt::Display) -> Error {
    Error::io("cannot draw a chart", std::io::Error::other(e.to_string()))
}

/// Draw into an SVG string of this size.
fn svg(
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>,
) -> Result<String> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        draw(&root)?;
        root.present().map_err(draw_error)?;
    }
    Ok(buf)
}

/// A range with room around it; a single value gets a small range of its own.
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * 0.06
    } else {
        lo.abs().max(1e-3) * 0.1
    };
    (lo - pad, hi + pad)
}

/// Pixels the design names need beside the plot.
fn label_width(names: &[String]) -> u32 {
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(6) as u32;
    (longest * 7 + 16).clamp(60, 260)
}

/// Designs as rows, first at the top: row `i` is drawn at y = n - 1 - i.
fn row_y(n: usize, i: usize) -> f64 {
    (n - 1 - i) as f64
}

/// A chart with one row per design and a numeric x axis: `draw_row` adds a design's marks.
fn design_rows(
    title: &str,
    x_desc: &str,
    names: &[String],
    (x0, x1): (f64, f64),
    draw_rows: impl FnOnce(
        &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ) -> Result<()>,
) -> Result<String> {
    let n = names.len().max(1);
    let height = 90 + 34 * n as u32;
    svg(height, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, 18))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(label_width(names))
            .build_cartesian_2d(x0..x1, -0.6..(n as f64 - 0.4))
            .map_err(draw_error)?;
        let label = |y: &f64| {
            let k = y.round();
            if (y - k).abs() > 1e-6 || k < 0.0 {
                return String::new();
            }
            names
                .len()
                .checked_sub(1 + k as usize)
                .and_then(|i| names.get(i))
                .cloned()
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(LIGHT)
            .y_labels(n)
            .y_label_formatter(&label)
            .x_desc(x_desc)
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(draw_error)?;
        draw_rows(&mut chart)
    })
}

fn line(points: Vec<(f64, f64)>, style: impl Into<ShapeStyle>) -> PathElement<(f64, f64)> {
    PathElement::new(points, style)
}

/// Each metric's distribution per design, as box plots from summary.csv's percentiles.
pub fn distributions(r: &Results) -> Result<Vec<Chart>> {
    let Some(t) = r.table("summary.csv") else {
        return Ok(Vec::new());
    };
    let names = r.designs().to_vec();
    let mut charts = Vec::new();
    for m in Metric::ALL {
        let info = m.info();
        let cols = ["mean", "p05", "p25", "p50", "p75", "p95", "min", "max"];
        let mut data: Vec<(usize, [f64; 8])> = Vec::new();
        let mut rows = Vec::new();
        for (i, d) in names.iter().enumerate() {
            let Some(row) = t
                .rows
                .iter()
                .find(|row| t.text(row, "design") == d && t.text(row, "metric") == info.name)
            else {
                continue;
            };
            let mut v = [f64::NAN; 8];
            for (k, c) in cols.iter().enumerate() {
                v[k] = t.num(row, c).unwrap_or(f64::NAN);
            }
            data.push((i, v));
            let mut cells = vec![d.clone()];
            cells.extend(cols.iter().map(|c| t.text(row, c).to_string()));
            rows.push(cells);
        }
        if data.is_empty() {
            continue;
        }
        let lo = data
            .iter()
            .map(|(_, v)| v[1].min(v[0]))
            .fold(f64::INFINITY, f64::min);
        let hi = data
            .iter()
            .map(|(_, v)| v[5].max(v[0]))
            .fold(f64::NEG_INFINITY, f64::max);
        let direction = if info.higher_is_better {
            "higher"
        } else {
            "lower"
        };
        let title = format!("Distribution of {} per design", info.name);
        let units = format!("{}: {}, {direction} is better", info.name, info.unit);
        let n = names.len();
        let svg = design_rows(&title, &units, &names, padded(lo, hi), |chart| {
            for &(i, v) in &data {
                let y = row_y(n, i);
                let [mean, p05, p25, p50, p75, p95, _, _] = v;
                let mut marks: Vec<DynElement<'_, _, (f64, f64)>> = Vec::new();
                if p05.is_finite() && p95.is_finite() {
                    marks.push(line(vec![(p05, y), (p95, y)], GREY.stroke_width(1)).into_dyn());
                    for x in [p05, p95] {
                        marks.push(
                            line(vec![(x, y - 0.12), (x, y + 0.12)], GREY.stroke_width(1))
                                .into_dyn(),
                        );
                    }
                }
                if p25.is_finite() && p75.is_finite() {
                    marks.push(
                        Rectangle::new([(p25, y - 0.28), (p75, y + 0.28)], BLUE.mix(0.35).filled())
                            .into_dyn(),
                    );
                    marks.push(
                        Rectangle::new([(p25, y - 0.28), (p75, y + 0.28)], BLUE.stroke_width(1))
                            .into_dyn(),
                    );
                }
                if p50.is_finite() {
                    marks.push(
                        line(vec![(p50, y - 0.28), (p50, y + 0.28)], BLUE.stroke_width(3))
                            .into_dyn(),
                    );
                }
                if mean.is_finite() {
                    marks.push(Circle::new((mean, y), 4, ORANGE.filled()).into_dyn());
                }
                chart.draw_series(marks).map_err(draw_error)?;
            }
            Ok(())
        })?;
        let mut headers = vec!["design".to_string()];
        headers.extend(cols.iter().map(|c| c.to_string()));
        charts.push(Chart {
            slug: format!("distribution-{}", info.name),
            title,
            units,
            how_to_read: "Each row is a design over all replications: the box spans the middle \
                          half (25th to 75th percentile), the dark bar is the median, the \
                          whiskers reach the 5th and 95th percentiles, the orange dot is the \
                          mean."
                .into(),
            svg,
            headers,
            rows,
        });
    }
    Ok(charts)
}

/// A design's mean and interval of a metric from summary.csv.
fn mean_ci(t: &Table, design: &str, m: Metric) -> Option<(f64, f64, f64, bool)> {
    let row = t
        .rows
        .iter()
        .find(|row| t.text(row, "design") == design && t.text(row, "metric") == m.name())?;
    let mean = t.num(row, "mean")?;
    Some((
        mean,
        t.num(row, "ci95_low").unwrap_or(mean),
        t.num(row, "ci95_high").unwrap_or(mean),
        t.text(row, "pareto_efficient") == "yes",
    ))
}

/// Effectiveness against backlash: mean info_exchange against mean coercion_rate, with the
/// Pareto-efficient designs joined.
pub fn tradeoff(r: &Results) -> Result<Option<Chart>> {
    let Some(t) = r.table("summary.csv") else {
        return Ok(None);
    };
    let (fx, fy) = (Metric::CoercionRate, Metric::InfoExchange);
    let mut pts = Vec::new();
    let mut rows = Vec::new();
    for d in r.designs() {
        let (Some(x), Some(y)) = (mean_ci(t, d, fx), mean_ci(t, d, fy)) else {
            continue;
        };
        let evac = mean_ci(t, d, Metric::Evacuation).map(|e| e.0);
        pts.push((d.clone(), x, y));
        rows.push(vec![
            d.clone(),
            crate::output::fmt_num(x.0),
            crate::output::fmt_num(x.1),
            crate::output::fmt_num(x.2),
            crate::output::fmt_num(y.0),
            crate::output::fmt_num(y.1),
            crate::output::fmt_num(y.2),
            evac.map(crate::output::fmt_num).unwrap_or_default(),
            if y.3 { "yes" } else { "no" }.into(),
        ]);
    }
    if pts.is_empty() {
        return Ok(None);
    }
    let (x0, x1) = padded(
        pts.iter().map(|p| p.1 .1).fold(f64::INFINITY, f64::min),
        pts.iter().map(|p| p.1 .2).fold(f64::NEG_INFINITY, f64::max),
    );
    let (y0, y1) = padded(
        pts.iter().map(|p| p.2 .1).fold(f64::INFINITY, f64::min),
        pts.iter().map(|p| p.2 .2).fold(f64::NEG_INFINITY, f64::max),
    );
    // Room on the right for the labels of the rightmost designs.
    let x1 = x1 + (x1 - x0) * 0.25;
    let title = "Effectiveness versus backlash, with the Pareto frontier".to_string();
    let units = format!(
        "x: mean {} ({}, lower is better); y: mean {} ({}, higher is better)",
        fx.name(),
        fx.info().unit,
        fy.name(),
        fy.info().unit
    );
    let svg = svg(560, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 18))
            .margin(14)
            .x_label_area_size(48)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .light_line_style(LIGHT)
            .x_desc(format!(
                "mean {} ({}), lower is better",
                fx.name(),
                fx.info().unit
            ))
            .y_desc(format!(
                "mean {} ({}), higher is better",
                fy.name(),
                fy.info().unit
            ))
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(draw_error)?;
        let mut front: Vec<(f64, f64)> = pts
            .iter()
            .filter(|p| p.2 .3)
            .map(|p| (p.1 .0, p.2 .0))
            .collect();
        front.sort_by(|a, b| a.0.total_cmp(&b.0));
        if front.len() > 1 {
            chart
                .draw_series(std::iter::once(line(front, ORANGE.stroke_width(2))))
                .map_err(draw_error)?
                .label("Pareto frontier (efficient designs joined)")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], ORANGE.stroke_width(2))
                });
        }
        for (k, (name, x, y)) in pts.iter().enumerate() {
            let colour = if y.3 { ORANGE } else { BLUE };
            let marks: Vec<DynElement<'_, _, (f64, f64)>> = vec![
                line(vec![(x.1, y.0), (x.2, y.0)], GREY.stroke_width(1)).into_dyn(),
                line(vec![(x.0, y.1), (x.0, y.2)], GREY.stroke_width(1)).into_dyn(),
                Circle::new((x.0, y.0), 5, colour.filled()).into_dyn(),
            ];
            chart.draw_series(marks).map_err(draw_error)?;
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((x.0, y.0))
                        + Text::new(
                            name.clone(),
                            (8, if k % 2 == 0 { -14 } else { 4 }),
                            (FONT, 12).into_font().color(&BLACK),
                        ),
                ))
                .map_err(draw_error)?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font((FONT, 12))
            .draw()
            .map_err(draw_error)?;
        Ok(())
    })?;
    Ok(Some(Chart {
        slug: "tradeoff".into(),
        title,
        units,
        how_to_read: "Up is more effective, left is less backlash: orange designs are \
                      Pareto-efficient (no other design is as good on info_exchange and \
                      evacuation with less coercion); grey bars are 95% intervals of the means."
            .into(),
        svg,
        headers: [
            "design",
            "coercion_rate mean",
            "coercion_rate ci95_low",
            "coercion_rate ci95_high",
            "info_exchange mean",
            "info_exchange ci95_low",
            "info_exchange ci95_high",
            "evacuation mean",
            "pareto_efficient",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }))
}

/// The paired comparisons against the baseline, one forest plot per headline metric.
pub fn forests(r: &Results) -> Result<Vec<Chart>> {
    let Some(t) = r.table("comparison.csv") else {
        return Ok(Vec::new());
    };
    let mut charts = Vec::new();
    for m in HEADLINE {
        let info = m.info();
        let found: Vec<&Vec<String>> = t.rows_where("metric", info.name).collect();
        if found.is_empty() {
            continue;
        }
        let baseline = t.text(found[0], "baseline").to_string();
        let names: Vec<String> = found
            .iter()
            .map(|row| t.text(row, "design").to_string())
            .collect();
        let vals: Vec<(f64, f64, f64)> = found
            .iter()
            .map(|row| {
                let mean = t.num(row, "mean_diff").unwrap_or(f64::NAN);
                (
                    mean,
                    t.num(row, "ci95_low").unwrap_or(mean),
                    t.num(row, "ci95_high").unwrap_or(mean),
                )
            })
            .collect();
        let lo = vals.iter().map(|v| v.1).fold(0.0, f64::min);
        let hi = vals.iter().map(|v| v.2).fold(0.0, f64::max);
        let direction = if info.higher_is_better {
            "right"
        } else {
            "left"
        };
        let title = format!("{}: each design minus {baseline}", info.name);
        let units = format!(
            "difference in {} ({}), paired over the same replications",
            info.name, info.unit
        );
        let n = names.len();
        let svg = design_rows(&title, &units, &names, padded(lo, hi), |chart| {
            chart
                .draw_series(std::iter::once(line(
                    vec![(0.0, -0.6), (0.0, n as f64 - 0.4)],
                    BLACK.stroke_width(1),
                )))
                .map_err(draw_error)?;
            for (i, &(mean, l, h)) in vals.iter().enumerate() {
                let y = row_y(n, i);
                let significant = l > 0.0 || h < 0.0;
                let colour = if significant { BLUE } else { GREY };
                let marks: Vec<DynElement<'_, _, (f64, f64)>> = vec![
                    line(vec![(l, y), (h, y)], colour.stroke_width(2)).into_dyn(),
                    line(vec![(l, y - 0.15), (l, y + 0.15)], colour.stroke_width(2)).into_dyn(),
                    line(vec![(h, y - 0.15), (h, y + 0.15)], colour.stroke_width(2)).into_dyn(),
                    Circle::new((mean, y), 5, colour.filled()).into_dyn(),
                ];
                chart.draw_series(marks).map_err(draw_error)?;
            }
            Ok(())
        })?;
        let cols = [
            "mean_diff",
            "ci95_low",
            "ci95_high",
            "p_better",
            "p_worse",
            "significant",
        ];
        let rows = found
            .iter()
            .map(|row| {
                let mut cells = vec![t.text(row, "design").to_string()];
                cells.extend(cols.iter().map(|c| t.text(row, c).to_string()));
                cells
            })
            .collect();
        let mut headers = vec!["design".to_string()];
        headers.extend(cols.iter().map(|c| c.to_string()));
        charts.push(Chart {
            slug: format!("comparison-{}", info.name),
            title,
            units,
            how_to_read: format!(
                "A dot is the mean difference from {baseline} with its 95% interval; further \
                 {direction} is better; blue intervals exclude 0 (a real difference), grey ones \
                 do not."
            ),
            svg,
            headers,
            rows,
        });
    }
    Ok(charts)
}

/// How often each design is the best on the composite (best.csv), with Wilson intervals.
pub fn p_best(r: &Results) -> Result<Option<Chart>> {
    let Some(t) = r.table("best.csv") else {
        return Ok(None);
    };
    let found: Vec<&Vec<String>> = t.rows_where("metric", Metric::Composite.name()).collect();
    if found.is_empty() {
        return Ok(None);
    }
    let names: Vec<String> = found
        .iter()
        .map(|row| t.text(row, "design").to_string())
        .collect();
    let vals: Vec<(f64, f64, f64)> = found
        .iter()
        .map(|row| {
            let p = t.num(row, "p_best").unwrap_or(0.0);
            (
                p,
                t.num(row, "ci95_low").unwrap_or(p),
                t.num(row, "ci95_high").unwrap_or(p),
            )
        })
        .collect();
    let title = "P(best): how often each design has the highest composite".to_string();
    let units = "share of replications (0 to 1)".to_string();
    let n = names.len();
    let hi = vals.iter().map(|v| v.2).fold(0.0, f64::max).max(0.05);
    let svg = design_rows(
        &title,
        &units,
        &names,
        (0.0, (hi * 1.08).min(1.0)),
        |chart| {
            for (i, &(p, l, h)) in vals.iter().enumerate() {
                let y = row_y(n, i);
                let marks: Vec<DynElement<'_, _, (f64, f64)>> = vec![
                    Rectangle::new([(0.0, y - 0.3), (p, y + 0.3)], BLUE.mix(0.7).filled())
                        .into_dyn(),
                    line(vec![(l, y), (h, y)], BLACK.stroke_width(1)).into_dyn(),
                    line(vec![(l, y - 0.12), (l, y + 0.12)], BLACK.stroke_width(1)).into_dyn(),
                    line(vec![(h, y - 0.12), (h, y + 0.12)], BLACK.stroke_width(1)).into_dyn(),
                ];
                chart.draw_series(marks).map_err(draw_error)?;
            }
            Ok(())
        },
    )?;
    let rows = found
        .iter()
        .map(|row| {
            ["design", "p_best", "ci95_low", "ci95_high", "n"]
                .iter()
                .map(|c| t.text(row, c).to_string())
                .collect()
        })
        .collect();
    Ok(Some(Chart {
        slug: "p-best".into(),
        title,
        units,
        how_to_read: "A bar is the share of simulated worlds in which the design scored the \
                      highest composite (ties shared); the black line is its Wilson 95% \
                      interval. The bars add up to 1."
            .into(),
        svg,
        headers: ["design", "p_best", "ci95_low", "ci95_high", "n"]
            .map(String::from)
            .to_vec(),
        rows,
    }))
}

/// A sweep's files (written by `sweep`), each with the heading the report gives its table.
pub const SWEEP_TABLES: [(&str, &str); 5] = [
    ("points.csv", "Sweep: the points run"),
    ("results.csv", "Sweep: results per point and design"),
    ("robustness.csv", "Robustness: regret per design"),
    (
        "sensitivity.csv",
        "Sensitivity of the results to each parameter",
    ),
    ("discovery.csv", "Discovered scenarios"),
];

/// The charts of a sweep's files, when the directory holds them.
pub fn sweep(_r: &Results) -> Result<Vec<Chart>> {
    Ok(Vec::new())
}
