//! The real binary: determinism, seeds, overrides, output directories, exit codes.

use super::util::{repo, Dir};

#[test]
fn output_is_identical_across_thread_counts_and_runs() {
    let d = Dir::new();
    for (out, threads) in [("t1", "1"), ("t2", "2"), ("t2again", "2"), ("t3", "3")] {
        d.run(&[
            "run",
            "-n",
            "3000",
            "--threads",
            threads,
            "--out",
            out,
            "--per-replication",
            "-q",
        ])
        .ok();
    }
    for other in ["t2", "t2again", "t3"] {
        d.assert_same_csvs("t1", other, true);
    }
}

#[test]
fn a_different_seed_gives_different_numbers() {
    let d = Dir::new();
    d.run(&["run", "-n", "500", "--seed", "1", "--out", "a", "-q"])
        .ok();
    d.run(&["run", "-n", "500", "--seed", "2", "--out", "b", "-q"])
        .ok();
    assert_ne!(d.read("a/summary.csv"), d.read("b/summary.csv"));
}

#[test]
fn subsetting_designs_does_not_change_a_designs_numbers() {
    // Each design reads its own stream keyed by its id.
    let d = Dir::new();
    d.run(&[
        "run",
        "-n",
        "500",
        "--out",
        "all",
        "--per-replication",
        "-q",
    ])
    .ok();
    d.run(&[
        "run",
        "-n",
        "500",
        "--out",
        "one",
        "--design",
        "trade-conference",
        "--per-replication",
        "-q",
    ])
    .ok();
    let pick = |f: &str| -> Vec<String> {
        d.read(f)
            .lines()
            .filter(|l| l.contains(",trade-conference,"))
            .map(String::from)
            .collect()
    };
    assert_eq!(pick("all/replications.csv"), pick("one/replications.csv"));
}

#[test]
fn set_takes_effect_and_is_recorded() {
    let d = Dir::new();
    d.run(&["run", "-n", "300", "--out", "a", "-q"]).ok();
    d.run(&[
        "run",
        "-n",
        "300",
        "--out",
        "b",
        "-q",
        "--set",
        "beijing.sensitivity=0",
    ])
    .ok();
    let coercion = |f: &str| -> Vec<String> {
        d.read(f)
            .lines()
            .filter(|l| l.starts_with("executive-2plus2,coercion_rate,"))
            .map(String::from)
            .collect()
    };
    assert!(coercion("b/summary.csv")[0].starts_with("executive-2plus2,coercion_rate,300,0,0,"));
    assert_ne!(coercion("a/summary.csv"), coercion("b/summary.csv"));
    let manifest = d.read("b/manifest.json");
    assert!(manifest.contains("beijing.sensitivity=0"), "{manifest}");
    // The resolved scenario differs, so its hash does.
    let hash = |f: &str| {
        d.read(f)
            .lines()
            .find(|l| l.contains("scenario_sha256"))
            .unwrap()
            .to_string()
    };
    assert_ne!(hash("a/manifest.json"), hash("b/manifest.json"));
}

#[test]
fn design_override_by_id_with_a_dot() {
    let d = Dir::new();
    d.run(&[
        "run",
        "-n",
        "200",
        "--out",
        "a",
        "-q",
        "--set",
        "design.track-1.5.cadence_per_year=0",
        "--set",
        "design.track-1.5.officialness=0",
    ])
    .ok();
    let row = d
        .read("a/summary.csv")
        .lines()
        .find(|l| l.starts_with("track-1.5,agreements,"))
        .unwrap()
        .to_string();
    assert!(row.starts_with("track-1.5,agreements,200,0,0,"), "{row}");
}

#[test]
fn unknown_key_in_a_file_names_file_line_and_key() {
    let d = Dir::new();
    let text = std::fs::read_to_string(repo().join("scenarios/baseline.toml"))
        .unwrap()
        .replacen("sensitivity = 1.0", "sensitivty = 1.0", 1);
    d.write("typo.toml", &text);
    let line = text
        .lines()
        .position(|l| l.starts_with("sensitivty"))
        .unwrap()
        + 1;
    let r = d
        .run(&["run", "typo.toml", "-n", "10", "--out", "x"])
        .code_is(2);
    let err = r.stderr();
    assert!(
        err.contains(&format!(
            "typo.toml:{line}:1: beijing.sensitivty: unknown key"
        )),
        "{err}"
    );
    // The typo and the key it leaves missing are one problem, reported once.
    assert!(
        err.contains("did you mean `sensitivity`? (`sensitivity` is required here and missing)"),
        "{err}"
    );
    assert!(!err.contains("beijing.sensitivity: missing key"), "{err}");
    assert!(!d.join("x").exists(), "no results for a bad scenario");
}

#[test]
fn out_of_range_value_names_file_line_and_key() {
    let d = Dir::new();
    let text = std::fs::read_to_string(repo().join("scenarios/baseline.toml"))
        .unwrap()
        .replacen(
            "visibility = 0.50             # C14: a known annual event; Assumption on the number",
            "visibility = 1.5",
            1,
        );
    d.write("range.toml", &text);
    let line = text.lines().position(|l| l == "visibility = 1.5").unwrap() + 1;
    let r = d.run(&["validate", "range.toml"]).code_is(2);
    assert!(
        r.stderr().contains(&format!(
            "range.toml:{line}:14: design.trade-conference.visibility: expected a number in [0, 1], found 1.5"
        )),
        "{}",
        r.stderr()
    );
    let r = d
        .run(&[
            "run",
            "-n",
            "10",
            "--set",
            "design.trade-conference.visibility=1.5",
        ])
        .code_is(2);
    assert!(
        r.stderr().contains("--set design.trade-conference.visibility=1.5: design.trade-conference.visibility: expected a number in [0, 1], found 1.5"),
        "{}",
        r.stderr()
    );
}

#[test]
fn default_directory_never_collides_and_existing_out_is_not_clobbered() {
    let d = Dir::new();
    let a = d.run(&["run", "-n", "100", "-q"]).ok();
    assert!(
        a.stdout()
            .contains("results written to results/baseline-seed2049"),
        "{}",
        a.stdout()
    );
    let b = d.run(&["run", "-n", "100", "-q"]).ok();
    assert!(
        b.stdout()
            .contains("results written to results/baseline-seed2049-2"),
        "{}",
        b.stdout()
    );
    assert!(d.join("results/baseline-seed2049/summary.csv").exists());
    assert!(d.join("results/baseline-seed2049-2/summary.csv").exists());

    d.run(&["run", "-n", "100", "-q", "--out", "mine"]).ok();
    let before = d.read("mine/summary.csv");
    let r = d
        .run(&["run", "-n", "200", "-q", "--out", "mine"])
        .code_is(2);
    assert!(r.stderr().contains("already exists"), "{}", r.stderr());
    assert_eq!(d.read("mine/summary.csv"), before);
    d.run(&["run", "-n", "200", "-q", "--out", "mine", "--force"])
        .ok();
    assert_ne!(d.read("mine/summary.csv"), before);
    // No temporary directories are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn results_table_and_files_are_written() {
    let d = Dir::new();
    let r = d.run(&["run", "-n", "200", "--out", "o"]).ok();
    let out = r.stdout();
    assert!(out.contains("trade-conference"), "{out}");
    assert!(out.contains("P(best)"), "{out}");
    for f in ["summary.csv", "comparison.csv", "best.csv", "manifest.json"] {
        assert!(d.join(&format!("o/{f}")).exists(), "{f}");
    }
    assert!(!d.join("o/replications.csv").exists());
    let header = d.read("o/summary.csv").lines().next().unwrap().to_string();
    assert!(header
        .starts_with("design,metric,n,mean,sd,se,ci95_low,ci95_high,p05,p25,p50,p75,p95,min,max"));
    let header = d
        .read("o/comparison.csv")
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(header
        .starts_with("design,baseline,metric,mean_diff,ci95_low,ci95_high,p_better,significant"));
}

#[test]
fn every_shipped_scenario_runs_end_to_end() {
    let d = Dir::new();
    for entry in std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .flatten()
    {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "toml") {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let path = p.to_string_lossy().into_owned();
            d.run(&["validate", &path]).ok();
            d.run(&[
                "run",
                &path,
                "-n",
                "200",
                "--out",
                &format!("out-{name}"),
                "-q",
            ])
            .ok();
            // The built-in copy of the file gives the same numbers.
            d.run(&[
                "run",
                &name,
                "-n",
                "200",
                "--out",
                &format!("out-{name}-builtin"),
                "-q",
            ])
            .ok();
            d.assert_same_csvs(
                &format!("out-{name}"),
                &format!("out-{name}-builtin"),
                false,
            );
        }
    }
}

#[test]
fn bad_flags_exit_2() {
    let d = Dir::new();
    for args in [
        vec!["run", "--replications", "0"],
        vec!["run", "--replications", "1000000000000000"],
        vec!["run", "--threads", "0"],
        vec!["run", "--design", "nope"],
        vec!["run", "--baseline", "nope"],
        vec!["run", "--set", "novalue"],
        vec!["run", "--threshold", "evacuaton=0.9"],
        vec!["run", "--weights", "info_exchange"],
        vec!["run", "--no-such-flag"],
        vec!["explain", "nope"],
        vec!["run", "missing.toml"],
    ] {
        d.run(&args).code_is(2);
    }
}

#[test]
fn list_explain_validate() {
    let d = Dir::new();
    let r = d.run(&["list"]).ok();
    assert!(r.stdout().contains("short-warning") && r.stdout().contains("executive-2plus2"));
    let r = d.run(&["explain", "trade-conference"]).ok();
    assert!(
        r.stdout().contains("format_consistency") && r.stdout().contains("C17"),
        "{}",
        r.stdout()
    );
    let path = repo().join("scenarios/baseline.toml");
    d.run(&["validate", &path.to_string_lossy()]).ok();
}

#[test]
fn comparison_csv_keeps_its_header_when_only_the_baseline_runs() {
    let d = Dir::new();
    d.run(&[
        "run",
        "-n",
        "20",
        "-q",
        "--out",
        "o",
        "--design",
        "status-quo",
    ])
    .ok();
    assert_eq!(
        d.read("o/comparison.csv"),
        "design,baseline,metric,mean_diff,ci95_low,ci95_high,p_better,significant,p_worse,se,n,better\r\n"
    );
}

#[test]
fn add_design_appends_to_the_base_and_explain_toml_round_trips() {
    let d = Dir::new();
    let block = d
        .run(&["explain", "trade-conference", "--toml"])
        .ok()
        .stdout();
    assert!(block.contains("[[add_design]]"), "{block}");
    // The block is a whole scenario file: [scenario] extends, and the copy under a new id.
    let variant = block
        .replace("id = \"trade-conference-variant\"", "id = \"tc-hotline\"")
        .replace("standing_liaison = false", "standing_liaison = true");
    d.write("plus.toml", &variant);
    d.run(&[
        "run",
        "plus.toml",
        "-n",
        "300",
        "--out",
        "plus",
        "-q",
        "--per-replication",
    ])
    .ok();
    d.run(&[
        "run",
        "-n",
        "300",
        "--out",
        "base",
        "-q",
        "--per-replication",
    ])
    .ok();
    let summary = d.read("plus/summary.csv");
    assert!(
        summary.contains("\ntc-hotline,info_exchange,300,"),
        "{summary}"
    );
    // The eight base designs' per-replication scores are untouched by the ninth.
    let rows = |f: &str| -> Vec<String> {
        d.read(f)
            .lines()
            .filter(|l| !l.contains(",tc-hotline,"))
            .map(String::from)
            .collect()
    };
    assert_eq!(rows("plus/replications.csv"), rows("base/replications.csv"));
}
