//! `sweep` through the real binary: its files, common random numbers, identical bytes for any
//! thread count, after sharding and merging, and after an interruption resumed; experiment
//! files that are wrong; `--plan`. Also the world draws of replications.csv and `run`'s
//! default folder names.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::util::{bin, repo, Dir};

/// Four points (2 × 2 factorial), two designs, 200 replications each.
const TINY: &str = r#"
description = "a tiny factorial"
scenario = "baseline"
replications = 200
seed = 7
designs = ["status-quo", "trade-conference"]

[sampling]
method = "factorial"

[[parameter]]
key = "beijing.sensitivity"
values = [1.0, 2.5]

[[parameter]]
key = "crisis.warning_days.mode"
values = [14, 5]
"#;

const TABLES: [&str; 3] = ["points.csv", "results.csv", "robustness.csv"];

fn same_tables(d: &Dir, a: &str, b: &str) {
    for f in TABLES {
        assert_eq!(
            d.read(&format!("{a}/{f}")),
            d.read(&format!("{b}/{f}")),
            "{a}/{f} vs {b}/{f}"
        );
    }
}

/// The mean of `metric` for `design` in a summary.csv or results.csv (`point` filter for the
/// latter).
fn mean(csv: &str, point: Option<&str>, design: &str, metric: &str) -> String {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| {
            r[col("design")] == design
                && r[col("metric")] == metric
                && point.is_none_or(|p| r[col("point")] == p)
        })
        .map(|r| r[col("mean")].to_string())
        .unwrap_or_else(|| panic!("no row for {design} {metric}"))
}

#[test]
fn a_sweep_writes_its_tables_with_common_random_numbers() {
    let d = Dir::new();
    d.write("tiny.toml", TINY);
    let r = d.run(&["sweep", "tiny.toml", "--out", "s"]).ok();
    assert!(
        r.stdout().contains("smallest maximum regret:"),
        "{}",
        r.stdout()
    );
    for f in TABLES.iter().chain(&["manifest.json", "experiment.toml"]) {
        assert!(d.join("s").join(f).exists(), "{f} missing");
    }
    assert!(!d.join("s/points").exists() && !d.join("s/state.json").exists());
    let points = d.read("s/points.csv");
    assert_eq!(
        points.lines().collect::<Vec<_>>(),
        [
            "point,scenario,beijing.sensitivity,crisis.warning_days.mode",
            "0,baseline,1.0,14",
            "1,baseline,1.0,5",
            "2,baseline,2.5,14",
            "3,baseline,2.5,5",
        ]
    );
    let results = d.read("s/results.csv");
    assert_eq!(results.lines().count(), 1 + 4 * 2 * 13);
    assert!(results.starts_with("point,scenario,design,metric,n,mean,sd,se,ci95_low,ci95_high,baseline,diff,diff_ci95_low,diff_ci95_high,better,threshold,p_threshold"));
    // Point 0 is the baseline as it is (sensitivity 1, mode 14): the same numbers as `run`
    // with the same seed and replications, since replication r is the same world in both.
    d.run(&[
        "run",
        "-n",
        "200",
        "--seed",
        "7",
        "--design",
        "trade-conference",
        "--out",
        "r",
        "-q",
    ])
    .ok();
    let summary = d.read("r/summary.csv");
    for (design, metric) in [
        ("trade-conference", "composite"),
        ("status-quo", "evacuation"),
    ] {
        assert_eq!(
            mean(&results, Some("0"), design, metric),
            mean(&summary, None, design, metric),
            "{design} {metric}"
        );
    }
    // A touchier Beijing changes the numbers (the override took effect).
    assert_ne!(
        mean(&results, Some("0"), "trade-conference", "coercion_rate"),
        mean(&results, Some("2"), "trade-conference", "coercion_rate")
    );
    let rob = d.read("s/robustness.csv");
    assert!(rob.starts_with("design,metric,points,mean_regret,max_regret,share_best,minimax"));
    assert_eq!(rob.lines().count(), 3);
    assert_eq!(rob.matches(",yes").count(), 1, "{rob}");
    let manifest = d.read("s/manifest.json");
    assert!(manifest.contains("\"kind\": \"sweep\"") && manifest.contains("\"experiment_sha256\""));
}

#[test]
fn threads_sharding_and_merging_change_no_byte() {
    let d = Dir::new();
    d.write("tiny.toml", TINY);
    d.run(&["sweep", "tiny.toml", "-j", "1", "--out", "j1", "-q"])
        .ok();
    d.run(&["sweep", "tiny.toml", "-j", "2", "--out", "j2", "-q"])
        .ok();
    same_tables(&d, "j1", "j2");
    d.run(&["sweep", "tiny.toml", "--shard", "2/3", "--out", "s2", "-q"])
        .ok();
    d.run(&["sweep", "tiny.toml", "--shard", "1/3", "--out", "s1", "-q"])
        .ok();
    // A missing shard is refused.
    let r = d.run(&["merge", "s1", "s2", "--out", "bad"]).code_is(2);
    assert!(r.stderr().contains("a shard is missing"), "{}", r.stderr());
    d.run(&["sweep", "tiny.toml", "--shard", "3/3", "--out", "s3", "-q"])
        .ok();
    let r = d.run(&["merge", "s3", "s1", "s2", "--out", "m"]).ok();
    assert!(r.stdout().contains("merged 3 shards"), "{}", r.stdout());
    same_tables(&d, "j1", "m");
    // A shard of another sweep is refused by the same check as --resume.
    d.write("other.toml", &TINY.replace("seed = 7", "seed = 8"));
    d.run(&["sweep", "other.toml", "--shard", "3/3", "--out", "o3", "-q"])
        .ok();
    let r = d
        .run(&["merge", "s1", "s2", "o3", "--out", "bad"])
        .code_is(2);
    assert!(r.stderr().contains("differs"), "{}", r.stderr());
    assert!(!d.join("bad").exists());
}

#[test]
fn an_interrupted_sweep_resumes_to_the_same_bytes() {
    let d = Dir::new();
    // Twelve points of 1,500 replications on one thread: long enough to interrupt after the
    // first point.
    let exp = TINY
        .replace("replications = 200", "replications = 1500")
        .replace("values = [14, 5]", "values = [14, 5, 30]")
        .replace("values = [1.0, 2.5]", "values = [1.0, 2.5, 0.5, 3.0]");
    d.write("e.toml", &exp);
    d.run(&["sweep", "e.toml", "--out", "full", "-q"]).ok();
    let args = ["sweep", "e.toml", "-j", "1", "--out", "r"];
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(d.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let checkpoint = d.join(".r.partial/checkpoint.json");
    let start = Instant::now();
    while !checkpoint.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sweep ended before its first point"
        );
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
    }
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if d.join("r").exists() {
        // Finished before the signal landed: it must still be complete.
        same_tables(&d, "full", "r");
        return;
    }
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("--resume"), "{stderr}");
    // A different sweep may not resume it, and leaves it be.
    d.write("other.toml", &exp.replace("seed = 7", "seed = 8"));
    let r = d
        .run(&["sweep", "other.toml", "--out", "r", "--resume"])
        .code_is(2);
    assert!(
        r.stderr().contains("was a different sweep"),
        "{}",
        r.stderr()
    );
    let r = d
        .run(&["sweep", "e.toml", "--out", "r", "--resume", "-j", "1"])
        .ok();
    assert!(r.stderr().contains("resuming:"), "{}", r.stderr());
    same_tables(&d, "full", "r");
    assert!(!d.join(".r.partial").exists());
}

#[test]
fn malformed_experiments_exit_2_with_file_line_and_key() {
    let d = Dir::new();
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "unknown-key.toml",
            "replicatons = 10\n[sampling]\nmethod = \"factorial\"\n[[parameter]]\nkey = \"beijing.sensitivity\"\nvalues = [1]\n",
            &["unknown-key.toml:1:1: replicatons: unknown key", "did you mean `replications`?"],
        ),
        (
            "bad-method.toml",
            "[sampling]\nmethod = \"latin\"\npoints = 4\n[[parameter]]\nkey = \"beijing.sensitivity\"\nlow = 0\nhigh = 1\n",
            &["bad-method.toml:2:10: sampling.method: `latin` is not a method"],
        ),
        (
            "bad-key.toml",
            "[sampling]\nmethod = \"factorial\"\n[[parameter]]\nkey = \"beijing.sensitivty\"\nvalues = [1]\n",
            &["bad-key.toml:4:7", "beijing.sensitivty", "did you mean"],
        ),
        (
            "bad-value.toml",
            "[sampling]\nmethod = \"factorial\"\n[[parameter]]\nkey = \"beijing.sensitivity\"\nlow = 0\nhigh = 500\n",
            &["bad-value.toml:4:7 (beijing.sensitivity=500): beijing.sensitivity: expected a number in [0, 100]", "beijing.sensitivity"],
        ),
        (
            "bad-toml.toml",
            "[sampling\nmethod = 3\n",
            &["bad-toml.toml:1:", "not valid TOML"],
        ),
    ];
    for (name, text, wants) in cases {
        d.write(name, text);
        let r = d.run(&["sweep", name, "--out", "x"]).code_is(2);
        for want in wants {
            assert!(
                r.stderr().contains(want),
                "{name}: want {want:?}\n{}",
                r.stderr()
            );
        }
        assert!(!r.stderr().contains("panicked"));
    }
    let more: [(&str, &str, &str); 2] = [
        (
            "bad-scenario.toml",
            "scenario = \"basline\"\n[sampling]\nmethod = \"factorial\"\n[[parameter]]\nkey = \"beijing.sensitivity\"\nvalues = [1]\n",
            "bad-scenario.toml:1:12: scenario `basline`",
        ),
        (
            "bad-design.toml",
            "designs = [\"trade-conferense\"]\n[sampling]\nmethod = \"factorial\"\n[[parameter]]\nkey = \"beijing.sensitivity\"\nvalues = [1]\n",
            "bad-design.toml:1:11: designs: `trade-conferense` is not a design",
        ),
    ];
    for (name, text, want) in more {
        d.write(name, text);
        let r = d.run(&["sweep", name, "--plan"]).code_is(2);
        assert!(r.stderr().contains(want), "{name}: {}", r.stderr());
        assert!(
            r.stderr().contains("did you mean"),
            "{name}: {}",
            r.stderr()
        );
    }
    let r = d.run(&["sweep", "missing.toml"]).code_is(2);
    assert!(r.stderr().contains("missing.toml"), "{}", r.stderr());
    assert!(!d.join("x").exists() && !d.join("results").exists());
}

#[test]
fn plan_says_the_size_and_cost_and_runs_nothing() {
    let d = Dir::new();
    let exp = repo().join("scenarios/experiments/sobol-drivers.toml");
    let r = d
        .run(&["sweep", exp.to_str().unwrap(), "--plan", "-j", "1"])
        .ok();
    let out = r.stdout();
    assert!(out.contains("sobol over 3 parameters"), "{out}");
    assert!(out.contains("points: 160;"), "{out}"); // 32 × (3 + 2)
    assert!(out.contains("384000 design-replications"), "{out}"); // 160 × 300 × 8
    assert!(out.contains("microseconds per design-replication"), "{out}");
    assert!(out.contains("estimate: about"), "{out}");
    assert!(!d.join("results").exists());
    let r = d
        .run(&["sweep", exp.to_str().unwrap(), "--plan", "--shard", "2/4"])
        .ok();
    assert!(
        r.stdout().contains("shard 2/4: points 40 to 79"),
        "{}",
        r.stdout()
    );
}

#[test]
fn every_shipped_experiment_is_valid() {
    let d = Dir::new();
    for e in std::fs::read_dir(repo().join("scenarios/experiments"))
        .unwrap()
        .flatten()
    {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "toml") {
            // --plan reads and checks the whole experiment and runs a few hundred replications.
            d.run(&["sweep", p.to_str().unwrap(), "--plan"]).ok();
        }
    }
}

#[test]
fn replications_csv_carries_the_world_draws() {
    let d = Dir::new();
    d.run(&["run", "-n", "50", "--per-replication", "--out", "r", "-q"])
        .ok();
    d.run(&[
        "run",
        "-n",
        "50",
        "--per-replication",
        "--out",
        "w",
        "-q",
        "--set",
        "crisis.warning_days=9",
    ])
    .ok();
    let text = d.read("r/replications.csv");
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    for col in [
        "world_warning_days",
        "world_disposition",
        "world_tolerance",
        "world_us_intervenes",
        "world_buildup_months",
    ] {
        assert!(header.contains(&col), "{col} missing: {header:?}");
    }
    // Every design of a replication faces the same world.
    let col = header
        .iter()
        .position(|h| *h == "world_warning_days")
        .unwrap();
    let rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let first: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "0").collect();
    assert!(first.len() > 1 && first.iter().all(|r| r[col] == first[0][col]));
    // The column is the draw: a fixed warning shows as that value.
    let fixed = d.read("w/replications.csv");
    assert!(
        fixed
            .lines()
            .skip(1)
            .all(|l| l.split(',').nth(col) == Some("9")),
        "{}",
        &fixed[..400]
    );
}

#[test]
fn run_names_its_folder_after_scenario_seed_and_overrides() {
    let d = Dir::new();
    let r = d
        .run(&["run", "-n", "50", "-q", "--set", "beijing.sensitivity=0"])
        .ok();
    assert!(
        r.stdout()
            .contains("results/baseline-seed2049-beijing.sensitivity=0"),
        "{}",
        r.stdout()
    );
    let r = d
        .run(&["run", "-n", "50", "-q", "--set", "beijing.sensitivity=0"])
        .ok();
    assert!(
        r.stdout()
            .contains("results/baseline-seed2049-beijing.sensitivity=0-2"),
        "{}",
        r.stdout()
    );
    // Characters a file name cannot hold become `_`; a long series is cut with a checksum.
    let r = d
        .run(&[
            "run",
            "-n",
            "50",
            "-q",
            "--set",
            "crisis.warning_days={ dist = \"uniform\", min = 9, max = 10 }",
            "--set",
            "design.trade-conference.visibility=0.8",
            "--weights",
            "evacuation=2",
        ])
        .ok();
    let line = r.stdout();
    let name = line.trim().rsplit('/').next().unwrap().to_string();
    assert!(
        name.starts_with("baseline-seed2049-crisis.warning_days=dist=uniform,min=9"),
        "{name}"
    );
    assert!(
        !name.contains(' ') && !name.contains('"') && name.len() < 90,
        "{name}"
    );
    assert!(d.join("results").join(&name).join("summary.csv").exists());
}

#[test]
fn sweep_report_and_xlsx_are_those_report_makes_from_the_directory() {
    // issue 11 item 3: --report and --xlsx on sweep write what `report DIR` writes later.
    let d = Dir::new();
    d.write("tiny.toml", TINY);
    d.run(&[
        "sweep",
        "tiny.toml",
        "--out",
        "with",
        "--report",
        "--xlsx",
        "-q",
    ])
    .ok();
    for f in ["report.html", "results.xlsx", "points.csv"] {
        assert!(d.join(&format!("with/{f}")).is_file(), "{f} missing");
    }
    let html = d.read("with/report.html");
    assert!(html.contains("<svg"), "no chart in the sweep's report");
    assert!(html.contains("regret"), "no regret in the sweep's report");
    // Reported again from its files, the directory gives the same page.
    d.run(&["report", "with", "--xlsx", "--force"]).ok();
    assert!(
        html == d.read("with/report.html"),
        "report DIR differs from sweep --report"
    );
    d.run(&["sweep", "tiny.toml", "--out", "without", "-q"])
        .ok();
    assert!(!d.join("without/report.html").exists());
    same_tables(&d, "with", "without");
}
