//! Reports: the results table, report.html rendered by a real browser, charts/, results.xlsx
//! read back, and the CSVs' precision.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::util::{repo, Dir};

/// Chromium, or None (the test is skipped, saying why) when it is not installed; with
/// DW_REQUIRE_EXTERNAL=1 a missing Chromium fails the test instead.
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| {
            std::env::var_os("PATH")
                .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .map(move |dir| dir.join(name))
        })
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("DW_REQUIRE_EXTERNAL").as_deref() != Ok("1"),
            "chromium is not installed and DW_REQUIRE_EXTERNAL=1 requires it (.ci/run installs \
             Debian's chromium package)"
        );
        eprintln!("SKIPPED: chromium is not installed, so report.html is not rendered");
    }
    found
}

/// Run headless Chromium on a page with these extra flags; returns (status ok, stdout, stderr).
/// Killed after two minutes (a guard against a hung browser, not a timing assertion).
fn headless(browser: &Path, profile: &Path, page: &Path, extra: &[&str]) -> (bool, String, String) {
    let url = format!("file://{}", page.display());
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(&url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    // Read both pipes on threads so a chatty browser cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (stdout, stderr) = (t_out.join().unwrap(), t_err.join().unwrap());
    (status.is_some_and(|s| s.success()), stdout, stderr)
}

#[test]
fn report_html_renders_its_charts_in_headless_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let d = Dir::new();
    d.run(&["run", "-n", "400", "--out", "o", "--report", "-q"])
        .ok();
    let page = d.join("o/report.html");
    let charts: Vec<String> = std::fs::read_dir(d.join("o/charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(charts.len() >= 20, "{charts:?}");

    // The page as the browser parsed it: every chart is an inline SVG with its table.
    let (ok, dom, stderr) = headless(&browser, &d.join("profile-dom"), &page, &["--dump-dom"]);
    assert!(ok, "chromium --dump-dom failed:\n{stderr}");
    let svgs = dom.matches("<svg").count();
    assert_eq!(svgs, charts.len(), "inline SVGs in the rendered page");
    assert!(dom.matches("<figure").count() == charts.len());
    assert!(dom.matches("<figcaption").count() == charts.len());
    assert!(dom.matches("How to read this:").count() == charts.len());
    assert!(dom.matches("<caption>Numbers behind:").count() == charts.len());
    assert!(dom.contains("Effectiveness versus backlash") && dom.contains("P(best)"));
    assert!(dom.contains("<th scope=\"col\">"));

    // A screenshot: the expected size and not blank; and nothing said on the console.
    let shot = d.join("shot.png");
    let (ok, _, stderr) = headless(
        &browser,
        &d.join("profile-shot"),
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
            "--enable-logging=stderr",
            "--v=0",
        ],
    );
    assert!(ok, "chromium --screenshot failed:\n{stderr}");
    let console: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("net::ERR_"))
        .collect();
    assert!(
        console.is_empty(),
        "console messages or failed loads:\n{console:#?}"
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 2000));
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let total = pixels.len() / channels;
    let not_white = pixels
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&c| c < 235))
        .count();
    // Text, tables and the first chart: a blank or failed page would be (nearly) all white.
    assert!(
        not_white * 100 > total * 3,
        "only {not_white} of {total} pixels are not white"
    );
    let blue = pixels
        .chunks(channels)
        .filter(|p| p.len() >= 3 && p[2] > 150 && p[0] < 110 && p[1] > 90 && p[1] < 150)
        .count();
    assert!(
        blue > 50,
        "the charts' blue marks are missing ({blue} pixels)"
    );
    // Keep the screenshot for a human to look at when asked.
    if let Some(dir) = std::env::var_os("DW_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, Path::new(&dir).join("report.png")).unwrap();
    }
}

#[test]
fn report_is_self_contained_and_the_same_from_run_and_from_report() {
    let d = Dir::new();
    d.run(&[
        "run",
        "-n",
        "300",
        "--out",
        "o",
        "--report",
        "--set",
        "beijing.sensitivity=1.5",
        "-q",
    ])
    .ok();
    let html = d.read("o/report.html");
    for banned in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(",
    ] {
        assert!(!html.contains(banned), "report.html has {banned}");
    }
    // The scenario, its designs and the overridden value.
    assert!(
        html.contains("beijing.sensitivity"),
        "the override is shown"
    );
    assert!(html.contains("trade-conference") && html.contains("format_consistency"));
    assert!(html.contains("common programme") || html.contains("a year on"));
    let before = html.clone();
    let charts_before = d.read("o/charts/tradeoff.svg");
    // Again, by the report command: refused without --force, identical with it.
    let r = d.run(&["report", "o"]).code_is(2);
    assert!(
        r.stderr().contains("already holds") && r.stderr().contains("--force"),
        "{}",
        r.stderr()
    );
    d.run(&["report", "o", "--force", "--xlsx"]).ok();
    assert_eq!(d.read("o/report.html"), before);
    // The workbook too is the same bytes every time it is made from the same directory.
    let xlsx = std::fs::read(d.join("o/results.xlsx")).unwrap();
    d.run(&["report", "o", "--force", "--xlsx"]).ok();
    assert!(
        std::fs::read(d.join("o/results.xlsx")).unwrap() == xlsx,
        "results.xlsx differs"
    );
    assert_eq!(d.read("o/charts/tradeoff.svg"), charts_before);
    // No staging folder is left behind.
    let hidden: Vec<_> = std::fs::read_dir(d.join("o"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn report_refuses_what_is_not_a_results_directory() {
    let d = Dir::new();
    std::fs::create_dir(d.join("empty")).unwrap();
    let r = d.run(&["report", "empty"]).code_is(2);
    assert!(r.stderr().contains("no manifest.json"), "{}", r.stderr());
    let r = d.run(&["report", "missing"]).code_is(2);
    assert!(r.stderr().contains("missing"), "{}", r.stderr());
    assert!(!d.join("empty/report.html").exists());
}

#[test]
fn the_table_fits_80_columns_with_a_legend_and_is_saved() {
    let d = Dir::new();
    let r = d.run(&["run", "-n", "1000", "--out", "o"]).ok();
    let out = r.stdout();
    for line in out.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    for needle in [
        "coercion_rate",
        "lower is better",
        "higher is better",
        "ECE/year",
        "P(best)",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
    // Every half-width in the baseline is non-zero, so none prints as ±0.
    let zeros: Vec<&str> = out
        .split_whitespace()
        .filter(|w| {
            w.strip_prefix('±')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c == '0' || c == '.'))
        })
        .collect();
    assert!(zeros.is_empty(), "{zeros:?} in\n{out}");
    let halves = out.matches('±').count();
    assert!(halves >= 8 * 7, "{halves} half-widths in\n{out}");
    let saved = d.read("o/table.txt");
    assert!(
        out.starts_with(&saved),
        "stdout begins with table.txt:\n{saved}\n---\n{out}"
    );
    let md = d.read("o/table.md");
    assert!(md.contains("| design |") && md.contains("coercion_rate (ECE/year, ↓)"));
    // The heading row, the alignment row, a row per design.
    assert_eq!(md.lines().filter(|l| l.starts_with("| ")).count(), 2 + 8);

    let wide = d
        .run(&["run", "-n", "1000", "--out", "w", "--wide"])
        .ok()
        .stdout();
    for name in [
        "info_via_channel",
        "max_rung",
        "launched",
        "channel_survived",
        "agreements",
        "trust_at_crisis",
        "active_share",
    ] {
        assert!(wide.contains(name), "--wide lacks {name}");
    }
    // table.txt is the 80-column table whatever --wide says, and the same for the same run.
    assert_eq!(d.read("w/table.txt"), saved);
}

/// The t quantile the intervals use, for the test's own check.
fn t975(df: f64) -> f64 {
    let z: f64 = 1.959_963_984_540_054;
    z + (z.powi(3) + z) / (4.0 * df)
        + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * df * df)
}

#[test]
fn csv_numbers_keep_the_precision_to_recompute_their_intervals() {
    let d = Dir::new();
    d.run(&["run", "-n", "3000", "--out", "o", "-q"]).ok();
    for file in ["summary.csv", "comparison.csv"] {
        let mut rdr = csv::Reader::from_path(d.join(&format!("o/{file}"))).unwrap();
        let headers = rdr.headers().unwrap().clone();
        let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
        let (se, lo, hi, n) = (col("se"), col("ci95_low"), col("ci95_high"), col("n"));
        let mut checked = 0;
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let (Ok(se), Ok(lo), Ok(hi)) = (
                rec[se].parse::<f64>(),
                rec[lo].parse::<f64>(),
                rec[hi].parse::<f64>(),
            ) else {
                continue;
            };
            if se == 0.0 {
                continue;
            }
            let df = rec[n].parse::<f64>().unwrap() - 1.0;
            let ratio = (hi - lo) / se;
            assert!(
                (ratio - 2.0 * t975(df)).abs() < 1e-5,
                "{file}: ci95_high - ci95_low = {ratio} se, not {}: {rec:?}",
                2.0 * t975(df)
            );
            checked += 1;
        }
        assert!(checked > 50, "{file}: {checked} rows checked");
    }
}

#[test]
fn the_workbook_holds_the_csvs_numbers_a_readme_and_charts() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let d = Dir::new();
    d.run(&["run", "-n", "500", "--out", "o", "--xlsx", "-q"])
        .ok();
    let path = d.join("o/results.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let names = wb.sheet_names().to_vec();
    assert_eq!(names[..2], ["README".to_string(), "Headline".to_string()]);
    for file in ["summary", "comparison", "best", "ladder"] {
        assert!(names.contains(&file.to_string()), "{names:?}");
        let sheet = wb.worksheet_range(file).unwrap();
        let mut rdr = csv::Reader::from_path(d.join(&format!("o/{file}.csv"))).unwrap();
        let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = rdr
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(sheet.height(), rows.len() + 1, "{file}: rows");
        for (c, h) in headers.iter().enumerate() {
            assert_eq!(
                sheet.get((0, c)),
                Some(&Data::String(h.clone())),
                "{file} header"
            );
        }
        let mut numbers = 0;
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                let cell = sheet.get((r + 1, c)).cloned().unwrap_or(Data::Empty);
                match text.parse::<f64>() {
                    Ok(x) => {
                        assert_eq!(cell, Data::Float(x), "{file} row {r} column {}", headers[c]);
                        numbers += 1;
                    }
                    Err(_) if text.is_empty() => assert_eq!(cell, Data::Empty),
                    Err(_) => assert_eq!(cell, Data::String(text.clone())),
                }
            }
        }
        assert!(numbers > 0, "{file}: typed numbers");
    }
    // The README explains summary.csv's columns in OUTPUTS.md's words.
    let readme = wb.worksheet_range("README").unwrap();
    let text: Vec<String> = readme
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(text
        .iter()
        .any(|t| t.contains("standard error of the mean")));
    assert!(text.iter().any(|t| t == "p_better"));
    // Native charts: the package holds chart parts (file names are stored uncompressed).
    let bytes = std::fs::read(&path).unwrap();
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(has("xl/charts/chart1.xml") && has("xl/charts/chart3.xml"));
    // The Headline sheet's composite means are summary.csv's.
    let headline = wb.worksheet_range("Headline").unwrap();
    let summary = d.read("o/summary.csv");
    let composite: Vec<f64> = summary
        .lines()
        .filter(|l| l.split(',').nth(1) == Some("composite"))
        .map(|l| l.split(',').nth(3).unwrap().parse().unwrap())
        .collect();
    for (i, want) in composite.iter().enumerate() {
        assert_eq!(headline.get((i + 1, 1)), Some(&Data::Float(*want)));
    }
    let _ = repo();
}

/// A sweep's directory, as the sweep command writes it (columns as in its row types): two
/// parameters one at a time around a base point, three designs.
fn sweep_fixture(d: &Dir) {
    std::fs::create_dir(d.join("sw")).unwrap();
    d.write(
        "sw/manifest.json",
        r#"{"tool":"dialogue-wargame","kind":"sweep","version":"0.1.0","tool_commit":"x",
"started_at":"2026-01-01T00:00:00Z","experiment":"fixture","experiment_sha256":"0",
"identity_sha256":"0","scenarios":[{"name":"baseline","sha256":"0"}],"seed":7,
"replications":100,"method":"one-at-a-time","parameters":["beijing.sensitivity","tokyo.memory_months"],
"total_points":5,"first_point":0,"points":5,"designs":["status-quo","trade-conference","gov-think-tank"],
"baseline":"status-quo","thresholds":[],"regret_metric":"composite","command_line":[],"wall_seconds":1}"#,
    );
    d.write(
        "sw/points.csv",
        "point,scenario,beijing.sensitivity,tokyo.memory_months\r\n0,baseline,1,12\r\n1,baseline,0.5,12\r\n2,baseline,1.5,12\r\n3,baseline,1,6\r\n4,baseline,1,24\r\n",
    );
    let mut results = String::from(
        "point,scenario,design,metric,n,mean,sd,se,ci95_low,ci95_high,baseline,diff,diff_ci95_low,diff_ci95_high,better,threshold,p_threshold\r\n",
    );
    for p in 0..5 {
        for (k, design) in ["status-quo", "trade-conference", "gov-think-tank"]
            .iter()
            .enumerate()
        {
            let mean = 0.9 + 0.05 * k as f64 + 0.01 * p as f64 * if k == 2 { -1.0 } else { 1.0 };
            results.push_str(&format!(
                "{p},baseline,{design},composite,100,{mean},0.2,0.02,{},{},status-quo,0,0,0,higher,,\r\n",
                mean - 0.04,
                mean + 0.04
            ));
        }
    }
    d.write("sw/results.csv", &results);
    d.write(
        "sw/robustness.csv",
        "design,metric,points,mean_regret,max_regret,share_best,minimax\r\nstatus-quo,composite,5,0.1,0.12,0,no\r\ntrade-conference,composite,5,0.004,0.02,0.8,yes\r\ngov-think-tank,composite,5,0.05,0.09,0.2,no\r\n",
    );
    d.write(
        "sw/sensitivity.csv",
        "scenario,method,parameter,design,metric,statistic,value,ci_low,ci_high\r\n\
baseline,tornado,beijing.sensitivity,trade-conference,composite,swing,0.08,,\r\n\
baseline,tornado,beijing.sensitivity,trade-conference,composite,low,1.01,,\r\n\
baseline,tornado,beijing.sensitivity,trade-conference,composite,high,0.93,,\r\n\
baseline,tornado,tokyo.memory_months,trade-conference,composite,swing,0.02,,\r\n\
baseline,tornado,tokyo.memory_months,trade-conference,composite,low,0.96,,\r\n\
baseline,tornado,tokyo.memory_months,trade-conference,composite,high,0.98,,\r\n\
baseline,tornado,beijing.sensitivity,trade-conference,choice,swing,0.01,,\r\n",
    );
    d.write(
        "sw/discovery.csv",
        "condition,kind,box,coverage,density,mass,points,hits,parameter,lower,upper,qp,sentence\r\n\
best!=trade-conference,reported,1,0.8,0.9,0.2,1,1,beijing.sensitivity,1.4,,0.01,beijing.sensitivity is at least 1.4\r\n",
    );
}

#[test]
fn a_sweeps_directory_gets_response_curves_tornado_regret_and_its_tables() {
    let d = Dir::new();
    sweep_fixture(&d);
    d.run(&["report", "sw", "--xlsx"]).ok();
    let html = d.read("sw/report.html");
    for (slug, what) in [
        (
            "response-beijing-sensitivity",
            "Response of the composite to beijing.sensitivity",
        ),
        (
            "response-tokyo-memory_months",
            "Response of the composite to tokyo.memory_months",
        ),
        ("tornado", "Tornado: the composite of trade-conference"),
        ("regret", "Regret on composite"),
    ] {
        assert!(
            d.join(&format!("sw/charts/{slug}.svg")).exists(),
            "{slug}.svg"
        );
        assert!(html.contains(what), "{what}");
    }
    // The response curve's table: each design's mean composite at each value, by column name.
    // status-quo at sensitivity 0.5 is point 1 alone: 0.9 + 0.01.
    assert!(
        html.contains("<th scope=\"row\">0.5</th><td class=\"n\">0.91</td>"),
        "response table"
    );
    // The tornado ranks beijing.sensitivity (swing 0.08) above tokyo.memory_months.
    let t = html.find("Numbers behind: Tornado").unwrap();
    let rest = &html[t..];
    assert!(rest.find("beijing.sensitivity").unwrap() < rest.find("tokyo.memory_months").unwrap());
    // The regret table and the discovered scenario.
    assert!(html.contains("beijing.sensitivity is at least 1.4"));
    assert!(
        html.contains("Discovered scenarios") && html.contains("Robustness: regret per design")
    );
    assert!(html.contains("The sweep (manifest.json)") && html.contains("one-at-a-time"));
    // No run table for a sweep, and the workbook has the sweep's sheets.
    assert!(!d.join("sw/table.txt").exists());
    use calamine::{open_workbook, Reader, Xlsx};
    let wb: Xlsx<_> = open_workbook(d.join("sw/results.xlsx")).unwrap();
    for s in [
        "README",
        "points",
        "results",
        "robustness",
        "sensitivity",
        "discovery",
    ] {
        assert!(
            wb.sheet_names().contains(&s.to_string()),
            "{s}: {:?}",
            wb.sheet_names()
        );
    }
}
