//! report.html: one self-contained page (inline CSS and SVG, no script, no network) that opens
//! from a USB stick on any browser.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::charts::Chart;
use super::data::{Results, Table};
use super::table;

/// Text for HTML: `<`, `>`, `&` and quotes escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;margin:0 auto;
max-width:1100px;padding:1rem 1.5rem 3rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;
padding-bottom:.2rem}h3{margin:1.4rem 0 .3rem}
p.meta{color:#555;margin-top:0}
div.t{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
caption{text-align:left;font-weight:600;padding:.2rem 0;color:#333}
th,td{border:1px solid #ccc;padding:.15rem .45rem;vertical-align:top}
th{background:#f1f3f6;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}span.pm{white-space:nowrap}
figure{margin:1.2rem 0 2rem;padding:.6rem .8rem;border:1px solid #e3e3e3;border-radius:6px}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-weight:600;font-size:1.05rem}
p.units{margin:.1rem 0;color:#444}p.how{margin:.1rem 0 .5rem;color:#225;font-style:italic}
details{margin:.4rem 0}pre{background:#f7f7f7;padding:.6rem;overflow:auto;font-size:.8rem}
nav ul{columns:2;font-size:.9rem}
";

/// Whether a cell reads as a number, or a number ± a number (right-aligned, unbroken).
fn numeric(s: &str) -> bool {
    !s.is_empty() && s.split(" ± ").all(|part| part.parse::<f64>().is_ok())
}

/// An accessible table: a caption, column headers with scope, the first cell of each row as
/// its row header.
pub fn html_table(caption: &str, headers: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<div class=\"t\"><table>\n");
    let _ = writeln!(out, "<caption>{}</caption>", escape(caption));
    out.push_str("<thead><tr>");
    for h in headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "<th scope=\"row\">{}</th>", escape(c));
            } else if let Some((mean, half)) = c.split_once(" ± ").filter(|_| numeric(c)) {
                // A narrow column breaks before the ±, never inside a number.
                let _ = write!(
                    out,
                    "<td class=\"n\">{} <span class=\"pm\">± {}</span></td>",
                    escape(mean),
                    escape(half)
                );
            } else if numeric(c) {
                let _ = write!(out, "<td class=\"n\">{}</td>", escape(c));
            } else {
                let _ = write!(out, "<td>{}</td>", escape(c));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// A chart as a figure: title, units, how to read it, the SVG (labelled for screen readers by
/// the title), and the numbers behind it.
fn figure(c: &Chart) -> String {
    let id = format!("chart-{}", c.slug);
    // The SVG's own XML declaration is not wanted inline; the role and label tell a screen
    // reader what the picture is, and the table after it gives the numbers.
    let svg = c.svg.trim_start_matches(|ch| ch != '<');
    let svg = match svg.find("<svg") {
        Some(i) => svg[i..].replacen(
            "<svg",
            &format!("<svg role=\"img\" aria-labelledby=\"{id}-title\" focusable=\"false\""),
            1,
        ),
        None => String::new(),
    };
    format!(
        "<figure id=\"{id}\">\n<figcaption id=\"{id}-title\">{}</figcaption>\n\
         <p class=\"units\">Units: {}</p>\n<p class=\"how\">How to read this: {}</p>\n{svg}\n\
         <p class=\"units\">Also in <code>charts/{}.svg</code>.</p>\n{}</figure>\n",
        escape(&c.title),
        escape(&c.units),
        escape(&c.how_to_read),
        escape(&c.slug),
        html_table(&format!("Numbers behind: {}", c.title), &c.headers, &c.rows),
    )
}

/// A TOML value as written in a scenario file.
fn toml_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("\"{s}\""),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => crate::output::fmt_num(*f),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(a) => format!(
            "[{}]",
            a.iter().map(toml_text).collect::<Vec<_>>().join(", ")
        ),
        toml::Value::Table(t) => format!(
            "{{ {} }}",
            t.iter()
                .map(|(k, v)| format!("{k} = {}", toml_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Every leaf of a scenario as `dotted.key` → value text; tables in arrays (designs, rungs)
/// are keyed by their `id` or `name`. Distributions (inline tables with `dist`) are leaves.
fn flatten(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
    match v {
        toml::Value::Table(t) if !t.contains_key("dist") => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::Array(a) if a.iter().all(|x| x.is_table()) && !a.is_empty() => {
            for (i, x) in a.iter().enumerate() {
                let name = x
                    .get("id")
                    .or_else(|| x.get("name"))
                    .and_then(|n| n.as_str())
                    .map_or_else(|| i.to_string(), String::from);
                flatten(&format!("{prefix}.{name}"), x, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), toml_text(other));
        }
    }
}

fn parse_toml(text: &str) -> Option<toml::Value> {
    toml::from_str::<toml::Table>(text)
        .ok()
        .map(toml::Value::Table)
}

/// The values of the resolved scenario that differ from the built-in baseline's: (key,
/// baseline value, this run's value); `None` when a side lacks the key.
/// One value that differs: key, the baseline's value, this run's (`None`: not set).
type Difference = (String, Option<String>, Option<String>);

fn differences(resolved: &str) -> Option<Vec<Difference>> {
    let base = crate::scenario::load_str("<builtin baseline>", crate::scenario::BASELINE_TOML, &[])
        .ok()?;
    let base_text = crate::output::resolved::to_toml(&base.tree);
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten("", &parse_toml(&base_text)?, &mut a);
    flatten("", &parse_toml(resolved)?, &mut b);
    let skip = |k: &str| k.starts_with("scenario.name") || k.starts_with("scenario.description");
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    Some(
        keys.into_iter()
            .filter(|k| !skip(k) && a.get(*k) != b.get(*k))
            .map(|k| (k.clone(), a.get(k).cloned(), b.get(k).cloned()))
            .collect(),
    )
}

/// The scenario section: what was run, the designs' forms and programmes, and every value
/// that differs from the built-in baseline.
fn scenario_section(r: &Results) -> String {
    let Some(m) = &r.manifest else {
        return sweep_section(r);
    };
    let mut out = String::from("<h2 id=\"scenario\">Scenario and designs</h2>\n");
    let facts: Vec<Vec<String>> = vec![
        vec!["scenario".into(), m.scenario.clone()],
        vec!["from".into(), m.scenario_sources.join(", ")],
        vec!["scenario SHA-256".into(), m.scenario_sha256.clone()],
        vec!["seed".into(), m.seed.to_string()],
        vec!["replications".into(), m.replications.to_string()],
        vec!["baseline design".into(), m.baseline.clone()],
        vec!["thresholds".into(), m.thresholds.join(", ")],
        vec![
            "--set overrides".into(),
            if m.overrides.is_empty() {
                "none".into()
            } else {
                m.overrides.join(", ")
            },
        ],
        vec![
            "shard".into(),
            m.shard.clone().unwrap_or_else(|| "none".into()),
        ],
        vec![
            "tool".into(),
            format!(
                "{} {} ({})",
                m.tool,
                m.version,
                m.tool_commit.as_deref().unwrap_or("commit unknown")
            ),
        ],
        vec!["started".into(), m.started_at.clone().unwrap_or_default()],
    ];
    out.push_str(&html_table(
        "The run (manifest.json)",
        &["what".into(), "value".into()],
        &facts,
    ));
    let resolved = m.resolved_scenario.as_deref().and_then(parse_toml);
    let designs: Vec<&toml::Value> = resolved
        .as_ref()
        .and_then(|t| t.get("design"))
        .and_then(|d| d.as_array())
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    // Form: every trait of the designs that were run, one row each.
    let mut traits: Vec<String> = Vec::new();
    for d in &designs {
        if let Some(t) = d.as_table() {
            for (k, v) in t {
                let simple = !matches!(v, toml::Value::Table(_) | toml::Value::Array(_));
                if simple
                    && !["id", "name", "description"].contains(&k.as_str())
                    && !traits.contains(k)
                {
                    traits.push(k.clone());
                }
            }
        }
    }
    // One column per design, one row per trait: the values are short, the designs few.
    let columns: Vec<Vec<String>> = m
        .designs
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let d = designs
                .iter()
                .find(|d| d.get("id").and_then(|x| x.as_str()) == Some(id.as_str()));
            let text = |key: &str| {
                d.and_then(|d| d.get(key))
                    .map(toml_text)
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string()
            };
            let mut column = vec![text("name")];
            column.extend(traits.iter().map(|t| text(t)));
            let programme = m.programmes.get(i).cloned().unwrap_or_default();
            column.push(
                programme
                    .split_once(": ")
                    .map_or(programme.clone(), |(_, p)| p.to_string()),
            );
            column
        })
        .collect();
    let mut headers = vec!["trait".to_string()];
    headers.extend(m.designs.iter().cloned());
    let labels: Vec<String> = std::iter::once("name".to_string())
        .chain(traits.iter().cloned())
        .chain(["programme".to_string()])
        .collect();
    let rows: Vec<Vec<String>> = labels
        .iter()
        .enumerate()
        .map(|(k, label)| {
            std::iter::once(label.clone())
                .chain(columns.iter().map(|c| c[k].clone()))
                .collect()
        })
        .collect();
    out.push_str(&html_table(
        "Designs run: their form (traits, docs/MODEL.md §2) and programme",
        &headers,
        &rows,
    ));
    if let Some(resolved_text) = m.resolved_scenario.as_deref() {
        match differences(resolved_text) {
            Some(diff) if diff.is_empty() => out.push_str(
                "<p>Every value is the built-in baseline scenario's (no overrides).</p>\n",
            ),
            Some(diff) => {
                let rows: Vec<Vec<String>> = diff
                    .into_iter()
                    .map(|(k, a, b)| {
                        vec![
                            k,
                            a.unwrap_or_else(|| "(not set)".into()),
                            b.unwrap_or_else(|| "(not set)".into()),
                        ]
                    })
                    .collect();
                out.push_str(&html_table(
                    "Every value that differs from the built-in baseline scenario (from the \
                     scenario file, extends, --set and --weights)",
                    &["key".into(), "baseline".into(), "this run".into()],
                    &rows,
                ));
            }
            None => {}
        }
        let _ = writeln!(
            out,
            "<details><summary>The resolved scenario (TOML, as recorded in \
             manifest.json)</summary><pre>{}</pre></details>",
            escape(resolved_text)
        );
    }
    out
}

/// What a sweep's manifest says: every field but the command line, as a table.
fn sweep_section(r: &Results) -> String {
    let mut out = String::from("<h2 id=\"scenario\">The sweep</h2>\n");
    let rows: Vec<Vec<String>> = r
        .raw_manifest
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| k.as_str() != "command_line")
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    vec![k.clone(), text]
                })
                .collect()
        })
        .unwrap_or_default();
    out.push_str(&html_table(
        "The sweep (manifest.json)",
        &["what".into(), "value".into()],
        &rows,
    ));
    out
}

/// A CSV shown as a table, as written.
fn csv_table(t: &Table, caption: &str) -> String {
    html_table(caption, &t.headers, &t.rows)
}

/// The page.
pub fn page(r: &Results, charts: &[Chart]) -> String {
    let m = &r.about;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>dialogue-wargame report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>dialogue-wargame report: {}</h1>\n<p class=\"meta\">{} replications, seed {}, \
         baseline design {}. Every number comes from the CSV files beside this page \
         (docs/OUTPUTS.md explains them).</p>\n",
        escape(&m.name),
        escape(&m.name),
        m.replications,
        m.seed,
        escape(&m.baseline)
    );
    let _ = writeln!(
        out,
        "<nav><details><summary>Contents: the results table, {} charts, the scenario and its \
         designs</summary><ul>\n<li><a href=\"#results\">Results table</a></li>",
        charts.len()
    );
    for c in charts {
        let _ = writeln!(
            out,
            "<li><a href=\"#chart-{}\">{}</a></li>",
            escape(&c.slug),
            escape(&c.title)
        );
    }
    out.push_str(
        "<li><a href=\"#scenario\">Scenario and designs</a></li>\n</ul></details></nav>\n",
    );

    let table_md = if r.table("summary.csv").is_some() {
        out.push_str("<h2 id=\"results\">Results</h2>\n");
        table::markdown(r)
    } else {
        String::new()
    };
    let mut lines = table_md.lines().filter(|l| l.starts_with('|'));
    if let Some(head) = lines.next() {
        let cells = |l: &str| -> Vec<String> {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        };
        let headers = cells(head);
        let rows: Vec<Vec<String>> = lines.skip(1).map(cells).collect();
        out.push_str(&html_table(
            "Means with the half-widths of their 95% intervals (↑ higher is better, ↓ lower is \
             better); P(best) on the composite",
            &headers,
            &rows,
        ));
    }
    for c in charts {
        out.push_str(&figure(c));
    }
    if let Some(t) = r.table("ladder.csv") {
        if !t.rows.is_empty() {
            out.push_str("<h2 id=\"ladder\">Escalation ladder</h2>\n");
            out.push_str(&csv_table(
                t,
                "How often Beijing reached each rung in peacetime (ladder.csv)",
            ));
        }
    }
    for (file, title) in super::charts::SWEEP_TABLES {
        if let Some(t) = r.table(file) {
            let _ = writeln!(out, "<h2 id=\"{}\">{}</h2>", escape(file), escape(title));
            out.push_str(&csv_table(t, &format!("{title} ({file})")));
        }
    }
    out.push_str(&scenario_section(r));
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_in_text_and_tables() {
        assert_eq!(
            escape("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
        let t = html_table("c<", &["h&".into()], &[vec!["<r>".into()]]);
        assert!(t.contains("<caption>c&lt;</caption>"));
        assert!(t.contains("<th scope=\"row\">&lt;r&gt;</th>"));
    }

    #[test]
    fn an_override_shows_as_a_difference_from_the_baseline() {
        let base =
            crate::scenario::load_str("<builtin baseline>", crate::scenario::BASELINE_TOML, &[])
                .unwrap();
        assert_eq!(
            differences(&crate::output::resolved::to_toml(&base.tree)),
            Some(vec![])
        );
        let ov = crate::scenario::Override::parse("beijing.sensitivity=1.75").unwrap();
        let changed =
            crate::scenario::load_str("<builtin baseline>", crate::scenario::BASELINE_TOML, &[ov])
                .unwrap();
        let diff = differences(&crate::output::resolved::to_toml(&changed.tree)).unwrap();
        assert_eq!(diff.len(), 1, "{diff:?}");
        assert_eq!(diff[0].0, "beijing.sensitivity");
        assert_eq!(diff[0].2.as_deref(), Some("1.75"));
    }
}
