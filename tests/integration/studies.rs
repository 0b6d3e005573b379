//! sensitivity and discover through the binary: a tornado ranks the parameter the model makes
//! dominant first and an inert one last, outputs identical for any thread count, discovery over
//! a sweep and over a run's replications, bad conditions and flags exit 2.

use super::util::{signal, spawn, Dir};

/// A tornado on trade-conference's peacetime coercion: Beijing's sensitivity scales the
/// coercion its visible contact provokes (docs/MODEL.md, C9), while executive-2plus2's own
/// visibility cannot touch another design's run (each design is simulated on its own, on
/// common random numbers).
const TORNADO: &str = r#"
description = "One dominant parameter and one inert one"
scenario = "baseline"
replications = 200
seed = 7

[sampling]
method = "one-at-a-time"

[[parameter]]
key = "design.executive-2plus2.visibility"
low = 0.1
high = 0.9
base = 0.5

[[parameter]]
key = "beijing.sensitivity"
low = 0.25
high = 4.0
base = 1.0
"#;

const MORRIS: &str = r#"
description = "Morris, tiny"
scenario = "baseline"
replications = 60
seed = 3
designs = ["status-quo", "trade-conference", "gov-think-tank"]

[sampling]
method = "morris"
trajectories = 3
levels = 4

[[parameter]]
key = "beijing.sensitivity"
low = 0.25
high = 3.0

[[parameter]]
key = "crisis.warning_days.mode"
low = 4
high = 50
"#;

const LHS: &str = r#"
description = "Latin hypercube, tiny"
scenario = "baseline"
replications = 40
seed = 11
designs = ["status-quo", "trade-conference", "gov-think-tank"]

[sampling]
method = "latin-hypercube"
points = 60

[[parameter]]
key = "beijing.sensitivity"
low = 0.25
high = 3.0

[[parameter]]
key = "weights.coercion"
low = 0.0
high = 1.0
"#;

/// Rows of a CSV as maps from column to cell.
fn rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn tornado_ranks_the_dominant_parameter_first_and_the_inert_one_at_zero() {
    let d = Dir::new();
    d.write("tornado.toml", TORNADO);
    let run = d.run(&["sensitivity", "tornado.toml", "--out", "t"]).ok();
    assert!(
        run.stdout().contains("tornado (baseline):"),
        "{}",
        run.stdout()
    );
    let rows = rows(&d.read("t/sensitivity.csv"));
    let swing = |design: &str, metric: &str, parameter: &str| -> f64 {
        rows.iter()
            .find(|r| {
                r["design"] == design
                    && r["metric"] == metric
                    && r["parameter"] == parameter
                    && r["statistic"] == "swing"
            })
            .unwrap_or_else(|| panic!("no swing row for {design} {metric} {parameter}"))["value"]
            .parse()
            .unwrap()
    };
    let dominant = swing("trade-conference", "coercion_rate", "beijing.sensitivity");
    let inert = swing(
        "trade-conference",
        "coercion_rate",
        "design.executive-2plus2.visibility",
    );
    assert!(dominant > 0.01, "beijing.sensitivity swing {dominant}");
    assert_eq!(
        inert, 0.0,
        "another design's visibility moved trade-conference"
    );
    // And on every design but executive-2plus2, the inert parameter's swing is exactly 0.
    for r in rows.iter().filter(|r| {
        r["parameter"] == "design.executive-2plus2.visibility"
            && r["statistic"] == "swing"
            && r["design"] != "executive-2plus2"
            && r["metric"] != "choice"
    }) {
        assert_eq!(r["value"], "0", "{r:?}");
    }
    // The printed ranking of trade-conference's composite puts beijing.sensitivity first.
    let line = run
        .stdout()
        .lines()
        .find(|l| l.contains("composite of trade-conference"))
        .unwrap()
        .to_string();
    let b = line.find("beijing.sensitivity").unwrap();
    let v = line.find("design.executive-2plus2.visibility").unwrap();
    assert!(b < v, "{line}");
    // The columns are those docs/OUTPUTS.md documents; a tornado has no voi.csv.
    assert!(d
        .read("t/sensitivity.csv")
        .starts_with("scenario,method,parameter,design,metric,statistic,value,ci_low,ci_high"));
    assert!(!d.join("t/voi.csv").exists());
    assert!(d.join("t/points.csv").exists() && d.join("t/results.csv").exists());
}

#[test]
fn sensitivity_is_identical_for_any_thread_count_and_writes_voi() {
    let d = Dir::new();
    d.write("morris.toml", MORRIS);
    let one = d
        .run(&["sensitivity", "morris.toml", "-j", "1", "--out", "a"])
        .ok();
    d.run(&["sensitivity", "morris.toml", "-j", "2", "--out", "b", "-q"])
        .ok();
    for f in [
        "sensitivity.csv",
        "voi.csv",
        "points.csv",
        "results.csv",
        "robustness.csv",
    ] {
        assert!(
            d.read(&format!("a/{f}")) == d.read(&format!("b/{f}")),
            "{f} differs"
        );
    }
    let s = rows(&d.read("a/sensitivity.csv"));
    // 3 designs × 13 metrics + the choice, × 2 parameters × 3 statistics.
    assert_eq!(s.len(), (3 * 13 + 1) * 2 * 3);
    assert!(s.iter().all(|r| r["method"] == "morris"));
    assert!(one.stdout().contains("by mu_star"), "{}", one.stdout());
    assert!(
        one.stdout().contains("value of information"),
        "{}",
        one.stdout()
    );
    let v = rows(&d.read("a/voi.csv"));
    assert_eq!(v.len(), 2);
    for r in &v {
        let evppi: f64 = r["evppi"].parse().unwrap();
        let evpi: f64 = r["evpi"].parse().unwrap();
        assert!(evppi >= 0.0 && evppi <= evpi + 1e-9, "{r:?}");
    }
}

#[test]
fn a_finished_sweep_analysed_in_place_gives_the_same_bytes() {
    let d = Dir::new();
    d.write("lhs.toml", LHS);
    d.run(&["sensitivity", "lhs.toml", "--out", "direct", "-q"])
        .ok();
    d.run(&["sweep", "lhs.toml", "--out", "s", "-q"]).ok();
    let run = d.run(&["sensitivity", "s", "--out", "later"]).ok();
    assert!(
        run.stdout().contains("analysed without running"),
        "{}",
        run.stdout()
    );
    for f in ["sensitivity.csv", "voi.csv"] {
        assert!(
            d.read(&format!("direct/{f}")) == d.read(&format!("later/{f}")),
            "{f} differs between sensitivity EXPERIMENT and sweep + sensitivity DIR"
        );
    }
    let s = rows(&d.read("later/sensitivity.csv"));
    assert!(s.iter().all(|r| r["method"] == "given-data"));
    // Refused: --tornado on a directory, and a shard.
    d.run(&["sensitivity", "s", "--tornado"]).code_is(2);
    d.run(&["sweep", "lhs.toml", "--shard", "1/2", "--out", "half", "-q"])
        .ok();
    d.run(&["sensitivity", "half"])
        .code_is(2)
        .stderr_has("merge the shards first");
}

#[test]
fn tornado_flag_adds_a_tornado_to_a_global_design() {
    let d = Dir::new();
    d.write("morris.toml", MORRIS);
    let run = d
        .run(&["sensitivity", "morris.toml", "--tornado", "--out", "m"])
        .ok();
    let s = rows(&d.read("m/sensitivity.csv"));
    assert!(s.iter().any(|r| r["method"] == "morris"));
    assert!(s
        .iter()
        .any(|r| r["method"] == "tornado" && r["statistic"] == "swing"));
    assert!(
        run.stdout().contains("tornado (baseline):"),
        "{}",
        run.stdout()
    );
}

#[test]
fn discovery_over_a_sweep_and_over_replications() {
    let d = Dir::new();
    d.write("lhs.toml", LHS);
    d.run(&["sweep", "lhs.toml", "--out", "s", "-q"]).ok();
    // A condition that depends on the parameters: trade-conference's composite falls as the
    // weight on coercion rises.
    let run = d
        .run(&[
            "discover",
            "s",
            "--condition",
            "trade-conference - status-quo composite >= 0.1",
            "--out",
            "ds",
        ])
        .ok();
    let out = run.stdout();
    assert!(out.contains("holds at "), "{out}");
    let disc = rows(&d.read("ds/discovery.csv"));
    let reported: Vec<_> = disc.iter().filter(|r| r["kind"] == "reported").collect();
    assert!(!reported.is_empty());
    assert!(disc.iter().any(|r| r["kind"] == "peel" && r["box"] == "0"));
    assert!(d.read("ds/discovery.csv").starts_with(
        "condition,kind,box,coverage,density,mass,points,hits,parameter,lower,upper,qp,sentence"
    ));
    // Over one run's replications: the world draws are the parameters.
    d.run(&[
        "run",
        "--replications",
        "600",
        "--per-replication",
        "--out",
        "r",
        "-q",
    ])
    .ok();
    let run = d
        .run(&[
            "discover",
            "r",
            "--condition",
            "trade-conference beats status-quo on evacuation by 0.05",
            "--out",
            "dr",
        ])
        .ok();
    assert!(
        run.stdout().contains("of 600 replications"),
        "{}",
        run.stdout()
    );
    let disc = rows(&d.read("dr/discovery.csv"));
    assert!(disc
        .iter()
        .filter(|r| !r["parameter"].is_empty())
        .all(|r| r["parameter"].starts_with("world_")));
}

#[test]
fn bad_conditions_and_flags_exit_2_with_help() {
    let d = Dir::new();
    d.run(&[
        "run",
        "--replications",
        "50",
        "--per-replication",
        "--out",
        "r",
        "-q",
    ])
    .ok();
    d.run(&["discover", "r", "--condition", "best = trade-conferenc"])
        .code_is(2)
        .stderr_has("did you mean `trade-conference`?");
    d.run(&[
        "discover",
        "r",
        "--condition",
        "trade-conference evacuation => 0.1",
    ])
    .code_is(2)
    .stderr_has("expected a comparison");
    d.run(&[
        "discover",
        "r",
        "--condition",
        "best = status-quo",
        "--min-coverage",
        "2",
    ])
    .code_is(2)
    .stderr_has("--min-coverage 2");
    // A directory with nothing to read.
    std::fs::create_dir(d.join("empty")).unwrap();
    let run = d
        .run(&["discover", "empty", "--condition", "best = status-quo"])
        .code_is(2);
    assert!(
        run.stderr().contains("replications.csv"),
        "{}",
        run.stderr()
    );
    // A run without --per-replication.
    d.run(&["run", "--replications", "50", "--out", "plain", "-q"])
        .ok();
    d.run(&["discover", "plain", "--condition", "best = status-quo"])
        .code_is(2);
    // Nothing was written by the refused commands.
    assert!(!d.join("results").exists());
}

#[test]
fn an_interrupted_sensitivity_writes_nothing() {
    use std::time::{Duration, Instant};
    let d = Dir::new();
    d.write("morris.toml", MORRIS);
    // Pauses after its first point (a test hook), where SIGINT finds it.
    let child = spawn(
        &d,
        &["sensitivity", "morris.toml", "--out", "m"],
        &[("DIALOGUE_WARGAME_TEST_PAUSE", "sensitivity-point")],
    );
    let partial = d.join(".m.partial");
    let start = Instant::now();
    while !partial.exists() {
        assert!(start.elapsed() < Duration::from_secs(60), "never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Give it time to finish the first point and reach the pause.
    std::thread::sleep(Duration::from_millis(500));
    signal(&child, "INT");
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "not honoured promptly"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("no results directory was written"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!d.join("m").exists() && !partial.exists());
}

#[test]
fn a_directory_of_another_command_is_named_for_what_it_is() {
    // `sensitivity DIR` on a run's directory: the wrong kind of directory, said as such
    // (exit 2), not "damaged".
    let d = Dir::new();
    d.run(&["run", "-n", "50", "--out", "r", "-q"]).ok();
    let e = d.run(&["sensitivity", "r"]).code_is(2).stderr();
    assert!(
        e.contains("this is the manifest of a run's results, not a sweep's"),
        "{e}"
    );
    assert!(!e.contains("damaged"), "{e}");
}
