//! results.xlsx: one sheet per CSV table (typed numbers, frozen header, column widths), a
//! README sheet explaining every column in docs/OUTPUTS.md's words, and a Headline sheet with
//! native Excel charts of the comparisons.

use rust_xlsxwriter::{
    Chart, ChartErrorBars, ChartErrorBarsType, ChartRange, ChartType, DocProperties, ExcelDateTime,
    Format, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use crate::metric::Metric;

use super::data::{Results, Table};

/// docs/OUTPUTS.md, whose column tables the README sheet quotes.
const OUTPUTS_MD: &str = include_str!("../../docs/OUTPUTS.md");

fn xlsx_error(e: XlsxError) -> Error {
    Error::io(
        "cannot write results.xlsx",
        std::io::Error::other(e.to_string()),
    )
}

/// The column descriptions of a CSV file from docs/OUTPUTS.md: (column, meaning, formula) for
/// each row `| \`col\` | meaning | formula |` of the tables under the file's heading.
pub fn documented_columns(file: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    // The file whose section this is: a heading naming a CSV starts its section, any other
    // `## ` heading ends it, and `### ` headings (Columns, ...) stay inside it.
    let mut inside = false;
    for line in OUTPUTS_MD.lines() {
        if line.starts_with('#') {
            let names_csv = super::data::KNOWN_CSVS.iter().any(|f| line.contains(f));
            if names_csv {
                inside = line.contains(file);
            } else if line.starts_with("## ") {
                inside = false;
            }
            continue;
        }
        if !inside || !line.starts_with("| `") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let plain = |s: &str| s.replace('`', "").replace("**", "");
        let meaning = cells.get(1).map(|s| plain(s)).unwrap_or_default();
        let formula = cells.get(2).map(|s| plain(s)).unwrap_or_default();
        for col in cells[0].split(',') {
            let col = col.trim().trim_matches('`').trim();
            if !col.is_empty()
                && !out
                    .iter()
                    .any(|(c, _, _): &(String, String, String)| c == col)
            {
                out.push((col.to_string(), meaning.clone(), formula.clone()));
            }
        }
    }
    out
}

/// A sheet name from a file name: `summary.csv` → `summary`.
fn sheet_name(file: &str) -> String {
    file.trim_end_matches(".csv").chars().take(31).collect()
}

/// Write a table: header in bold, frozen; numbers as numbers; widths to fit (capped).
fn write_table(ws: &mut Worksheet, t: &Table, bold: &Format) -> Result<()> {
    ws.set_name(sheet_name(&t.file)).map_err(xlsx_error)?;
    let mut widths: Vec<usize> = t.headers.iter().map(|h| h.chars().count()).collect();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, bold)
            .map_err(xlsx_error)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(x) if x.is_finite() => ws.write_number(r, c as u16, x).map(|_| ()),
                _ if cell.is_empty() => Ok(()),
                _ => ws.write_string(r, c as u16, cell).map(|_| ()),
            }
            .map_err(xlsx_error)?;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))
            .map_err(xlsx_error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    if !t.rows.is_empty() {
        ws.autofilter(
            0,
            0,
            t.rows.len() as u32,
            t.headers.len().saturating_sub(1) as u16,
        )
        .map_err(xlsx_error)?;
    }
    Ok(())
}

/// The Headline sheet's columns.
const HEADLINE_COLUMNS: [&str; 9] = [
    "design",
    "composite_mean",
    "composite_ci95_half",
    "p_best",
    "p_best_ci95_low",
    "p_best_ci95_high",
    "info_exchange_mean",
    "coercion_rate_mean",
    "pareto_efficient",
];

/// One row per design: the composite with its half-width, P(best), and the trade-off's axes
/// (copied from summary.csv and best.csv), for the charts.
fn headline_rows(r: &Results) -> Vec<Vec<String>> {
    let (Some(s), Some(b)) = (r.table("summary.csv"), r.table("best.csv")) else {
        return Vec::new();
    };
    let find = |t: &'_ Table, d: &str, m: Metric| -> Option<Vec<String>> {
        t.rows
            .iter()
            .find(|row| t.text(row, "design") == d && t.text(row, "metric") == m.name())
            .cloned()
    };
    r.designs()
        .iter()
        .map(|d| {
            let comp = find(s, d, Metric::Composite);
            let pb = find(b, d, Metric::Composite);
            let get = |row: &Option<Vec<String>>, t: &Table, c: &str| {
                row.as_ref()
                    .map(|x| t.text(x, c).to_string())
                    .unwrap_or_default()
            };
            let half = comp
                .as_ref()
                .and_then(|x| Some((s.num(x, "ci95_high")? - s.num(x, "ci95_low")?) / 2.0))
                .map(crate::output::fmt_num)
                .unwrap_or_default();
            vec![
                d.clone(),
                get(&comp, s, "mean"),
                half,
                get(&pb, b, "p_best"),
                get(&pb, b, "ci95_low"),
                get(&pb, b, "ci95_high"),
                get(&find(s, d, Metric::InfoExchange), s, "mean"),
                get(&find(s, d, Metric::CoercionRate), s, "mean"),
                get(&comp, s, "pareto_efficient"),
            ]
        })
        .collect()
}

/// The workbook, as bytes.
pub fn workbook(r: &Results) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    // The workbook's creation time is the run's start, not the moment of writing, so the same
    // directory always gives the same bytes.
    let started = r
        .raw_manifest
        .get("started_at")
        .and_then(|v| v.as_str())
        .and_then(|s| ExcelDateTime::parse_from_str(s).ok())
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    if let Some(t) = started {
        wb.set_properties(
            &DocProperties::new()
                .set_creation_datetime(&t)
                .set_title(format!("dialogue-wargame results: {}", r.about.name)),
        );
    }
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();

    // README first: what each sheet and column is.
    {
        let ws = wb.add_worksheet();
        ws.set_name("README").map_err(xlsx_error)?;
        let m = &r.about;
        let intro = [
            format!(
                "dialogue-wargame results ({}): {}, seed {}, {} replications, baseline {}.",
                m.kind, m.name, m.seed, m.replications, m.baseline
            ),
            "One sheet per CSV file of the results directory, with the same rows and numbers; \
             Headline collects each design's composite and P(best) for the charts. The columns \
             below are explained in docs/OUTPUTS.md."
                .to_string(),
        ];
        for (i, line) in intro.iter().enumerate() {
            ws.write_string(i as u32, 0, line).map_err(xlsx_error)?;
        }
        let mut row = 3u32;
        for (c, h) in ["sheet", "column", "meaning", "formula / rule"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(row, c as u16, *h, &bold)
                .map_err(xlsx_error)?;
        }
        for t in &r.tables {
            let documented = documented_columns(&t.file);
            for h in &t.headers {
                row += 1;
                let (meaning, formula) = documented
                    .iter()
                    .find(|(c, _, _)| c == h)
                    .map(|(_, m, f)| (m.clone(), f.clone()))
                    .unwrap_or_else(|| ("see docs/OUTPUTS.md".into(), String::new()));
                ws.write_string(row, 0, sheet_name(&t.file))
                    .map_err(xlsx_error)?;
                ws.write_string(row, 1, h).map_err(xlsx_error)?;
                ws.write_string_with_format(row, 2, &meaning, &wrap)
                    .map_err(xlsx_error)?;
                ws.write_string_with_format(row, 3, &formula, &wrap)
                    .map_err(xlsx_error)?;
            }
        }
        for (col, headline) in HEADLINE_COLUMNS.iter().enumerate() {
            row += 1;
            let meaning = match col {
                0 => "design id",
                1 => "summary.csv's mean of the composite",
                2 => "half the width of the composite's 95% interval (ci95_high − ci95_low) / 2",
                3..=5 => "best.csv's P(best) on the composite and its Wilson 95% interval",
                6 | 7 => "summary.csv's mean of the metric",
                _ => "summary.csv's pareto_efficient",
            };
            ws.write_string(row, 0, "Headline").map_err(xlsx_error)?;
            ws.write_string(row, 1, *headline).map_err(xlsx_error)?;
            ws.write_string_with_format(row, 2, meaning, &wrap)
                .map_err(xlsx_error)?;
        }
        ws.set_column_width(0, 14).map_err(xlsx_error)?;
        ws.set_column_width(1, 20).map_err(xlsx_error)?;
        ws.set_column_width(2, 70).map_err(xlsx_error)?;
        ws.set_column_width(3, 50).map_err(xlsx_error)?;
        ws.set_freeze_panes(4, 0).map_err(xlsx_error)?;
    }

    // Headline and its charts.
    let rows = headline_rows(r);
    if !rows.is_empty() {
        let headline = Table {
            file: "Headline".into(),
            headers: HEADLINE_COLUMNS.map(String::from).to_vec(),
            rows,
        };
        let n = headline.rows.len() as u32;
        let ws = wb.add_worksheet();
        write_table(ws, &headline, &bold)?;
        let sheet = "Headline";

        let mut composite = Chart::new(ChartType::Bar);
        composite
            .add_series()
            .set_name("mean composite")
            .set_categories((sheet, 1, 0, n, 0))
            .set_values((sheet, 1, 1, n, 1))
            .set_x_error_bars(ChartErrorBars::new().set_type(ChartErrorBarsType::Custom(
                ChartRange::new_from_range(sheet, 1, 2, n, 2),
                ChartRange::new_from_range(sheet, 1, 2, n, 2),
            )));
        composite
            .title()
            .set_name("Mean composite per design, with 95% intervals");
        composite
            .x_axis()
            .set_name("composite (points), higher is better");
        composite.legend().set_hidden();
        ws.insert_chart(1, 11, &composite).map_err(xlsx_error)?;

        let mut best = Chart::new(ChartType::Bar);
        best.add_series()
            .set_name("P(best)")
            .set_categories((sheet, 1, 0, n, 0))
            .set_values((sheet, 1, 3, n, 3));
        best.title()
            .set_name("P(best): share of replications with the highest composite");
        best.x_axis().set_name("share of replications");
        best.legend().set_hidden();
        ws.insert_chart(17, 11, &best).map_err(xlsx_error)?;

        let mut trade = Chart::new(ChartType::Scatter);
        trade
            .add_series()
            .set_name("designs")
            .set_categories((sheet, 1, 7, n, 7))
            .set_values((sheet, 1, 6, n, 6));
        trade.title().set_name("Effectiveness versus backlash");
        trade
            .x_axis()
            .set_name("mean coercion_rate (ECE/year), lower is better");
        trade
            .y_axis()
            .set_name("mean info_exchange (share), higher is better");
        trade.legend().set_hidden();
        ws.insert_chart(33, 11, &trade).map_err(xlsx_error)?;
    }

    for t in &r.tables {
        let ws = wb.add_worksheet();
        write_table(ws, t, &bold)?;
    }
    wb.save_to_buffer().map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_quotes_outputs_md_for_every_summary_column() {
        let cols = documented_columns("summary.csv");
        for c in [
            "design",
            "mean",
            "se",
            "ci95_low",
            "ci95_high",
            "p95",
            "pareto_efficient",
        ] {
            assert!(
                cols.iter().any(|(k, m, _)| k == c && !m.is_empty()),
                "{c}: {cols:?}"
            );
        }
        assert!(documented_columns("comparison.csv")
            .iter()
            .any(|(k, _, _)| k == "mean_diff"));
    }
}
