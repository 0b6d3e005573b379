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

/// The plotting area of a chart with numeric axes: caption, mesh and axis titles drawn.
fn xy_chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    title: &str,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    x_desc: &str,
    y_desc: &str,
) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 18))
        .margin(14)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(draw_error)?;
    chart
        .configure_mesh()
        .light_line_style(LIGHT)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 13))
        .draw()
        .map_err(draw_error)?;
    Ok(chart)
}

/// Draw the legend of the series that have labels.
fn legend<'a, 'b: 'a>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    position: SeriesLabelPosition,
) -> Result<()> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(GREY)
        .label_font((FONT, 12))
        .position(position)
        .draw()
        .map_err(draw_error)
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
        let mut chart = xy_chart(
            root,
            &title,
            (x0, x1),
            (y0, y1),
            &format!("mean {} ({}), lower is better", fx.name(), fx.info().unit),
            &format!("mean {} ({}), higher is better", fy.name(), fy.info().unit),
        )?;
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
        legend(&mut chart, SeriesLabelPosition::UpperRight)
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

/// Each row's design, and its `value` column with `ci95_low` and `ci95_high` (the value where
/// an end is empty; NaN where the value is).
fn estimates(t: &Table, rows: &[&Vec<String>], value: &str) -> (Vec<String>, Vec<(f64, f64, f64)>) {
    rows.iter()
        .map(|row| {
            let v = t.num(row, value).unwrap_or(f64::NAN);
            (
                t.text(row, "design").to_string(),
                (
                    v,
                    t.num(row, "ci95_low").unwrap_or(v),
                    t.num(row, "ci95_high").unwrap_or(v),
                ),
            )
        })
        .unzip()
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
        let (names, vals) = estimates(t, &found, "mean_diff");
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
    let (names, vals) = estimates(t, &found, "p_best");
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
            for (i, &(p, l, h)) in vals.iter().enumerate().filter(|(_, v)| v.0.is_finite()) {
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

/// Colours of the designs' lines (a colour-blind-safe qualitative palette).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(120, 120, 120),
    RGBColor(240, 228, 66),
];

/// Most parameters drawn as response curves (the table has them all).
const MAX_CURVES: usize = 12;

/// The charts of a sweep's files, when the directory holds them: response curves
/// (points.csv and results.csv), sensitivity (sensitivity.csv: a tornado, or Sobol, Morris or
/// first-order indices) and regret (robustness.csv). Columns are found by name; a file
/// without the columns a chart needs gives no chart (its table is still shown).
pub fn sweep(r: &Results) -> Result<Vec<Chart>> {
    let mut out = response_curves(r)?;
    out.extend(sensitivity(r)?);
    out.extend(regret(r)?);
    Ok(out)
}

/// Mean composite per design against each swept parameter: the mean over the points at each
/// value of the parameter (its main effect).
fn response_curves(r: &Results) -> Result<Vec<Chart>> {
    let (Some(points), Some(results)) = (r.table("points.csv"), r.table("results.csv")) else {
        return Ok(Vec::new());
    };
    if !points.has(&["point"]) || !results.has(&["point", "design", "metric", "mean"]) {
        return Ok(Vec::new());
    }
    let metric = Metric::Composite;
    let params: Vec<&String> = points
        .headers
        .iter()
        .filter(|h| !["point", "scenario"].contains(&h.as_str()))
        .take(MAX_CURVES)
        .collect();
    let designs: Vec<String> = {
        let mut d: Vec<String> = Vec::new();
        for row in results.rows_where("metric", metric.name()) {
            let id = results.text(row, "design").to_string();
            if !d.contains(&id) {
                d.push(id);
            }
        }
        d
    };
    // The composite of each (point, design).
    let mut value = std::collections::HashMap::new();
    for row in results.rows_where("metric", metric.name()) {
        if let Some(m) = results.num(row, "mean") {
            value.insert(
                (
                    results.text(row, "point").to_string(),
                    results.text(row, "design").to_string(),
                ),
                m,
            );
        }
    }
    let mut charts = Vec::new();
    for param in params {
        let xs: Option<Vec<(String, f64)>> = points
            .rows
            .iter()
            .map(|row| {
                Some((
                    points.text(row, "point").to_string(),
                    points.num(row, param)?,
                ))
            })
            .collect();
        let Some(xs) = xs else {
            continue; // not a number (a list of words, a scenario): no curve
        };
        let mut levels: Vec<f64> = xs.iter().map(|x| x.1).collect();
        levels.sort_by(f64::total_cmp);
        levels.dedup();
        if levels.len() < 2 {
            continue;
        }
        // curves[d][k]: the mean over the points at levels[k].
        let curves: Vec<Vec<Option<f64>>> = designs
            .iter()
            .map(|d| {
                levels
                    .iter()
                    .map(|&lv| {
                        let vals: Vec<f64> = xs
                            .iter()
                            .filter(|(_, x)| *x == lv)
                            .filter_map(|(p, _)| value.get(&(p.clone(), d.clone())).copied())
                            .collect();
                        (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
                    })
                    .collect()
            })
            .collect();
        let all: Vec<f64> = curves.iter().flatten().flatten().copied().collect();
        if all.is_empty() {
            continue;
        }
        let (y0, y1) = padded(
            all.iter().copied().fold(f64::INFINITY, f64::min),
            all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        let (x0, x1) = (levels[0], levels[levels.len() - 1]);
        let title = format!("Response of the composite to {param}");
        let units =
            format!("x: {param} (the value set in the scenario); y: mean composite (points)");
        let svg = svg(480, |root| {
            let mut chart = xy_chart(
                root,
                &title,
                (x0, x1),
                (y0, y1),
                param,
                "mean composite (points), higher is better",
            )?;
            for (d, curve) in curves.iter().enumerate() {
                let colour = PALETTE[d % PALETTE.len()];
                let pts: Vec<(f64, f64)> = levels
                    .iter()
                    .zip(curve)
                    .filter_map(|(&x, y)| y.map(|y| (x, y)))
                    .collect();
                chart
                    .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
                    .map_err(draw_error)?
                    .label(designs[d].as_str())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
                    });
                chart
                    .draw_series(pts.iter().map(|&p| Circle::new(p, 3, colour.filled())))
                    .map_err(draw_error)?;
            }
            legend(&mut chart, SeriesLabelPosition::LowerRight)
        })?;
        let mut headers = vec![param.clone()];
        headers.extend(designs.iter().cloned());
        let rows = levels
            .iter()
            .enumerate()
            .map(|(k, &lv)| {
                let mut row = vec![crate::output::fmt_num(lv)];
                row.extend(
                    curves
                        .iter()
                        .map(|c| c[k].map(crate::output::fmt_num).unwrap_or_default()),
                );
                row
            })
            .collect();
        charts.push(Chart {
            slug: format!("response-{}", slug(param)),
            title,
            units,
            how_to_read: "One line per design: its mean composite at each value of the \
                          parameter, averaged over the sweep's points at that value; where \
                          lines cross, the better design changes."
                .into(),
            svg,
            headers,
            rows,
        });
    }
    Ok(charts)
}

/// A file-name-safe form of a parameter's key.
fn slug(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Sensitivity of one design's composite to each parameter: a tornado (one at a time) or the
/// indices of the method sensitivity.csv holds. The design is the one best on average (the
/// `choice` rows'), else the baseline, else the first with composite rows.
fn sensitivity(r: &Results) -> Result<Vec<Chart>> {
    let Some(t) = r.table("sensitivity.csv") else {
        return Ok(Vec::new());
    };
    if !t.has(&[
        "method",
        "parameter",
        "design",
        "metric",
        "statistic",
        "value",
    ]) {
        return Ok(Vec::new());
    }
    let composite_of = |d: &str| {
        t.rows.iter().any(|row| {
            t.text(row, "design") == d && t.text(row, "metric") == Metric::Composite.name()
        })
    };
    let design = t
        .rows_where("metric", "choice")
        .map(|row| t.text(row, "design").to_string())
        .chain([r.about.baseline.clone()])
        .chain(
            t.rows_where("metric", Metric::Composite.name())
                .map(|row| t.text(row, "design").to_string()),
        )
        .find(|d| composite_of(d))
        .unwrap_or_default();
    let scenario = t
        .rows
        .first()
        .map(|row| t.text(row, "scenario").to_string());
    let rows: Vec<&Vec<String>> = t
        .rows
        .iter()
        .filter(|row| {
            t.text(row, "design") == design
                && t.text(row, "metric") == Metric::Composite.name()
                && scenario
                    .as_deref()
                    .is_none_or(|s| t.text(row, "scenario") == s)
        })
        .collect();
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let method = t.text(first, "method").to_string();
    let mut params: Vec<String> = Vec::new();
    for row in &rows {
        let p = t.text(row, "parameter").to_string();
        if !params.contains(&p) {
            params.push(p);
        }
    }
    let stat = |p: &str, s: &str| -> Option<(f64, Option<f64>, Option<f64>)> {
        let row = rows
            .iter()
            .find(|row| t.text(row, "parameter") == p && t.text(row, "statistic") == s)?;
        Some((
            t.num(row, "value")?,
            t.num(row, "ci_low"),
            t.num(row, "ci_high"),
        ))
    };
    let (title, units, how, statistics): (String, String, String, Vec<&str>) = if method
        == "tornado"
    {
        (
            format!("Tornado: the composite of {design}, one parameter at a time"),
            "mean composite (points) with each parameter at its low and its high value".into(),
            "Each bar spans the composite with the parameter at its low and at its high \
                 value, the others at base; the orange dot is the low value's end. The \
                 longest bars, at the top, matter most."
                .into(),
            vec!["low", "high", "swing"],
        )
    } else {
        let (main, other) = match method.as_str() {
            "sobol" => ("total", Some("first")),
            "morris" => ("mu_star", None),
            _ => ("first", None),
        };
        let mut s = vec![main];
        s.extend(other);
        (
            format!("Sensitivity ({method}): what moves the composite of {design}"),
            format!("{method} index of each parameter ({})", s.join(", ")),
            format!(
                "A longer bar is a parameter that moves the composite more ({main}{}); \
                     black lines are 95% bootstrap intervals where there are any.",
                if method == "sobol" {
                    "; the dark inner bar is the first-order index, what the parameter does alone"
                } else {
                    ""
                }
            ),
            s,
        )
    };
    let rank = statistics[if method == "tornado" { 2 } else { 0 }];
    params.sort_by(|a, b| {
        let va = stat(a, rank).map_or(0.0, |v| v.0.abs());
        let vb = stat(b, rank).map_or(0.0, |v| v.0.abs());
        vb.total_cmp(&va)
    });
    let table_rows: Vec<Vec<String>> = params
        .iter()
        .map(|p| {
            let mut row = vec![p.clone()];
            for s in &statistics {
                match stat(p, s) {
                    Some((v, lo, hi)) => {
                        row.push(crate::output::fmt_num(v));
                        if method != "tornado" {
                            row.push(lo.map(crate::output::fmt_num).unwrap_or_default());
                            row.push(hi.map(crate::output::fmt_num).unwrap_or_default());
                        }
                    }
                    None => {
                        row.push(String::new());
                        if method != "tornado" {
                            row.extend([String::new(), String::new()]);
                        }
                    }
                }
            }
            row
        })
        .collect();
    let mut headers = vec!["parameter".to_string()];
    for s in &statistics {
        headers.push(s.to_string());
        if method != "tornado" {
            headers.push(format!("{s} ci_low"));
            headers.push(format!("{s} ci_high"));
        }
    }
    let n = params.len();
    let svg = if method == "tornado" {
        let spans: Vec<(f64, f64)> = params
            .iter()
            .map(|p| {
                let lo = stat(p, "low").map_or(f64::NAN, |v| v.0);
                let hi = stat(p, "high").map_or(f64::NAN, |v| v.0);
                (lo, hi)
            })
            .collect();
        let finite: Vec<f64> = spans
            .iter()
            .flat_map(|s| [s.0, s.1])
            .filter(|x| x.is_finite())
            .collect();
        let range = padded(
            finite.iter().copied().fold(f64::INFINITY, f64::min),
            finite.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        design_rows(&title, &units, &params, range, |chart| {
            for (i, &(lo, hi)) in spans.iter().enumerate() {
                if !(lo.is_finite() && hi.is_finite()) {
                    continue;
                }
                let y = row_y(n, i);
                let marks: Vec<DynElement<'_, _, (f64, f64)>> = vec![
                    Rectangle::new(
                        [(lo.min(hi), y - 0.3), (lo.max(hi), y + 0.3)],
                        BLUE.mix(0.6).filled(),
                    )
                    .into_dyn(),
                    Circle::new((lo, y), 3, ORANGE.filled()).into_dyn(),
                ];
                chart.draw_series(marks).map_err(draw_error)?;
            }
            Ok(())
        })?
    } else {
        let main: Vec<(f64, Option<f64>, Option<f64>)> = params
            .iter()
            .map(|p| stat(p, statistics[0]).unwrap_or((0.0, None, None)))
            .collect();
        let inner: Vec<Option<f64>> = params
            .iter()
            .map(|p| statistics.get(1).and_then(|s| stat(p, s)).map(|v| v.0))
            .collect();
        let hi = main
            .iter()
            .map(|m| m.2.unwrap_or(m.0))
            .fold(0.0, f64::max)
            .max(1e-6);
        let lo = main.iter().map(|m| m.1.unwrap_or(m.0)).fold(0.0, f64::min);
        design_rows(&title, &units, &params, (lo, hi * 1.08), |chart| {
            for (i, &(v, l, h)) in main.iter().enumerate() {
                let y = row_y(n, i);
                let mut marks: Vec<DynElement<'_, _, (f64, f64)>> =
                    vec![
                        Rectangle::new([(0.0, y - 0.32), (v, y + 0.32)], BLUE.mix(0.35).filled())
                            .into_dyn(),
                    ];
                if let Some(f) = inner[i] {
                    marks.push(
                        Rectangle::new([(0.0, y - 0.16), (f, y + 0.16)], BLUE.filled()).into_dyn(),
                    );
                }
                if let (Some(l), Some(h)) = (l, h) {
                    marks.push(line(vec![(l, y), (h, y)], BLACK.stroke_width(1)).into_dyn());
                }
                chart.draw_series(marks).map_err(draw_error)?;
            }
            Ok(())
        })?
    };
    Ok(vec![Chart {
        slug: if method == "tornado" {
            "tornado".into()
        } else {
            format!("sensitivity-{}", slug(&method))
        },
        title,
        units,
        how_to_read: how,
        svg,
        headers,
        rows: table_rows,
    }])
}

/// Each design's regret across the sweep's points (robustness.csv): how much worse than the
/// best design at each point, on average and at worst.
fn regret(r: &Results) -> Result<Vec<Chart>> {
    let Some(t) = r.table("robustness.csv") else {
        return Ok(Vec::new());
    };
    if !t.has(&["design", "metric", "mean_regret", "max_regret"]) {
        return Ok(Vec::new());
    }
    let metric = if t
        .rows_where("metric", Metric::Composite.name())
        .next()
        .is_some()
    {
        Metric::Composite.name().to_string()
    } else {
        match t.rows.first() {
            Some(row) => t.text(row, "metric").to_string(),
            None => return Ok(Vec::new()),
        }
    };
    let found: Vec<&Vec<String>> = t.rows_where("metric", &metric).collect();
    let names: Vec<String> = found
        .iter()
        .map(|row| t.text(row, "design").to_string())
        .collect();
    let vals: Vec<(f64, f64)> = found
        .iter()
        .map(|row| {
            (
                t.num(row, "mean_regret").unwrap_or(0.0),
                t.num(row, "max_regret").unwrap_or(0.0),
            )
        })
        .collect();
    let hi = vals
        .iter()
        .map(|v| v.1.max(v.0))
        .fold(0.0, f64::max)
        .max(1e-6);
    let title = format!("Regret on {metric} across the sweep's points");
    let units = format!("{metric} below the best design at the same point (points)");
    let n = names.len();
    let svg = design_rows(&title, &units, &names, (0.0, hi * 1.08), |chart| {
        for (i, &(mean, max)) in vals.iter().enumerate() {
            let y = row_y(n, i);
            let marks: Vec<DynElement<'_, _, (f64, f64)>> = vec![
                Rectangle::new([(0.0, y - 0.3), (mean, y + 0.3)], BLUE.mix(0.7).filled())
                    .into_dyn(),
                line(vec![(max, y - 0.3), (max, y + 0.3)], ORANGE.stroke_width(3)).into_dyn(),
            ];
            chart.draw_series(marks).map_err(draw_error)?;
        }
        Ok(())
    })?;
    let cols: Vec<String> = t
        .headers
        .iter()
        .filter(|h| h.as_str() != "metric")
        .cloned()
        .collect();
    let rows = found
        .iter()
        .map(|row| cols.iter().map(|c| t.text(row, c).to_string()).collect())
        .collect();
    Ok(vec![Chart {
        slug: "regret".into(),
        title,
        units,
        how_to_read: "A bar is the design's mean regret over the points (0: best everywhere); \
                      the orange tick is its worst point. Short bars and ticks are robust \
                      choices."
            .into(),
        svg,
        headers: cols,
        rows,
    }])
}
