//! A newcomer's first hour: the guide with no arguments, `init`, completions and the man
//! page, `--json` for scripts, and help that fits an 80-column terminal.

use super::util::Dir;

#[test]
fn init_writes_a_commented_variant_that_validates_and_runs_as_written() {
    let d = Dir::new();
    let r = d.run(&["init", "my-variant"]).ok();
    assert!(
        r.stdout().contains("wrote my-variant.toml"),
        "{}",
        r.stdout()
    );
    let text = d.read("my-variant.toml");
    assert!(text.contains("extends = \"baseline\""), "{text}");
    assert!(text.contains("name = \"my-variant\""), "{text}");
    // Every changed value is explained by a comment just above it.
    for key in ["sensitivity = ", "warning_days = "] {
        let line = text.lines().position(|l| l.starts_with(key)).unwrap();
        let above = text.lines().nth(line - 2).unwrap();
        assert!(above.starts_with('#'), "no comment above {key}: {text}");
    }
    d.run(&["validate", "my-variant.toml"]).ok();
    d.run(&["run", "my-variant.toml", "-n", "300", "--out", "v", "-q"])
        .ok();
    d.run(&["run", "-n", "300", "--out", "b", "-q"]).ok();
    let m: serde_json::Value = serde_json::from_str(&d.read("v/manifest.json")).unwrap();
    assert_eq!(m["scenario"], "my-variant");
    // The changes take effect: not the baseline's numbers.
    assert_ne!(d.read("v/summary.csv"), d.read("b/summary.csv"));
    // The commands its comments suggest work as written.
    let mut suggested = 0;
    for line in text.lines() {
        if let Some(cmd) = line
            .trim_start_matches(['#', ' '])
            .strip_prefix("dialogue-wargame ")
        {
            let cmd = cmd
                .split("  ")
                .next()
                .unwrap()
                .replace("KEY", "beijing.sensitivity");
            let args: Vec<&str> = cmd.split_whitespace().collect();
            d.run(&args).ok();
            suggested += 1;
        }
    }
    assert!(suggested >= 5, "{text}");
}

#[test]
fn init_never_overwrites_and_refuses_unusable_names() {
    let d = Dir::new();
    d.write("taken.toml", "# mine\n");
    let r = d.run(&["init", "taken"]).code_is(2);
    assert!(r.stderr().contains("never overwrites"), "{}", r.stderr());
    assert_eq!(d.read("taken.toml"), "# mine\n");
    d.run(&["init", "taken.toml"]).code_is(2);
    assert_eq!(d.read("taken.toml"), "# mine\n");
    let r = d.run(&["init", "baseline"]).code_is(2);
    assert!(r.stderr().contains("built-in"), "{}", r.stderr());
    assert!(!d.join("baseline.toml").exists());
    let r = d.run(&["init", "two words"]).code_is(2);
    assert!(r.stderr().contains("letters, digits"), "{}", r.stderr());
    d.run(&["init", "missing-dir/x"]).code_is(2);
    // NAME.toml is taken as the file name.
    d.run(&["init", "v2.toml"]).ok();
    assert!(d.read("v2.toml").contains("name = \"v2\""));
}

/// Every command the tool has, as `help` lists them.
const COMMANDS: [&str; 11] = [
    "run",
    "sensitivity",
    "discover",
    "validate",
    "list",
    "explain",
    "merge",
    "init",
    "rerun",
    "completions",
    "man",
];

#[test]
fn completion_scripts_know_every_command_and_flag() {
    let d = Dir::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = d.run(&["completions", shell]).ok().stdout();
        for c in COMMANDS {
            assert!(script.contains(c), "{shell} script lacks {c}");
        }
        assert!(script.contains("per-replication"), "{shell}");
    }
    // The bash script is valid bash, where bash is there to say so.
    let path = d.write("c.bash", &d.run(&["completions", "bash"]).ok().stdout());
    if let Ok(check) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
    {
        assert!(check.status.success(), "{check:?}");
    }
    let r = d.run(&["completions", "powershell"]).code_is(2);
    assert!(r.stderr().contains("bash"), "{}", r.stderr());
}

#[test]
fn the_man_page_is_roff_for_the_tool_and_for_each_command() {
    let d = Dir::new();
    let page = d.run(&["man"]).ok().stdout();
    assert!(page.contains(".TH dialogue-wargame 1"), "{page}");
    for c in COMMANDS {
        assert!(
            page.contains(&format!("dialogue\\-wargame\\-{c}(1)")),
            "the page does not list {c}"
        );
        let sub = d.run(&["man", c]).ok().stdout();
        assert!(
            sub.contains(&format!(".TH dialogue-wargame-{c} 1")),
            "{c}: {sub}"
        );
    }
    assert!(d
        .run(&["man", "run"])
        .ok()
        .stdout()
        .contains("\\-\\-per\\-replication"));
    let r = d.run(&["man", "rn"]).code_is(2);
    assert!(r.stderr().contains("did you mean `run`"), "{}", r.stderr());
}

#[test]
fn no_arguments_print_a_short_guide_whose_commands_work() {
    let d = Dir::new();
    let r = d.run(&[]).ok();
    let guide = r.stdout();
    assert!(r.stderr().is_empty(), "{}", r.stderr());
    assert!(guide.contains("First steps"), "{guide}");
    assert!(guide.contains("TUTORIAL.md"), "{guide}");
    assert!(guide.lines().count() <= 30, "not short: {guide}");
    for line in guide
        .lines()
        .filter(|l| !l.starts_with("Documentation, in "))
    {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    // Every command of the first steps runs as shown, in order.
    let mut ran = 0;
    for line in guide.lines() {
        let shown = line.starts_with("  ") && line.trim_start().starts_with("dialogue-wargame ");
        if let Some(cmd) = line
            .trim_start()
            .strip_prefix("dialogue-wargame ")
            .filter(|_| shown)
        {
            let cmd = cmd.replace("COMMAND", "run");
            let args: Vec<&str> = cmd.split_whitespace().collect();
            d.run(&args).ok();
            ran += 1;
        }
    }
    assert!(ran >= 5, "{guide}");
    // Every command it names exists.
    for c in COMMANDS {
        assert!(guide.contains(c), "the guide does not name {c}");
    }
}

#[test]
fn help_fits_an_80_column_terminal_with_every_example_on_one_line() {
    let d = Dir::new();
    let mut pages = vec![vec!["--help"]];
    for c in COMMANDS {
        pages.push(vec!["help", c]);
        pages.push(vec![c, "-h"]);
    }
    for args in pages {
        // Without a terminal, clap's wrap_help takes the width from COLUMNS.
        let help = d.run_env(&args, &[("COLUMNS", "80")]).ok().stdout();
        let mut in_examples = false;
        for line in help.lines() {
            assert!(
                line.chars().count() <= 80,
                "{args:?}: wider than 80 columns: {line}"
            );
            if line.starts_with("Example") {
                in_examples = true;
            } else if in_examples && !line.is_empty() {
                // An example broken across lines would leave a line that is not a command.
                assert!(
                    line.starts_with("  dialogue-wargame "),
                    "{args:?}: an example broken at 80 columns: {line}\n{help}"
                );
            } else if line.is_empty() {
                in_examples = false;
            }
        }
    }
    // The width is really taken from COLUMNS (so the test above tests 80 columns).
    let at = |w: &str| d.run_env(&["help", "run"], &[("COLUMNS", w)]).ok().stdout();
    assert_ne!(at("60"), at("80"));
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

#[test]
fn run_json_is_a_summary_that_agrees_with_the_csv_files() {
    let d = Dir::new();
    let r = d
        .run(&[
            "run", "-n", "400", "--out", "a", "--json", "--design", "track-2",
        ])
        .ok();
    let v = json(&r.stdout());
    assert_eq!(v["out"], "a");
    assert_eq!(v["replications"], 400);
    assert_eq!(v["baseline"], "status-quo");
    let manifest = json(&d.read("a/manifest.json"));
    assert_eq!(v["scenario_sha256"], manifest["scenario_sha256"]);
    let designs = v["designs"].as_array().unwrap();
    let ids: Vec<&str> = designs.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["status-quo", "track-2"]);
    let p_best: f64 = designs.iter().map(|x| x["p_best"].as_f64().unwrap()).sum();
    assert!((p_best - 1.0).abs() < 1e-9, "P(best) sums to {p_best}");
    // Every metric of summary.csv, with the same mean and interval (the CSV rounds to 6
    // decimals).
    let summary = d.read("a/summary.csv");
    let mut rows = 0;
    for line in summary.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (design, metric) = (f[0], f[1]);
        let m = &designs[ids.iter().position(|i| *i == design).unwrap()]["metrics"][metric];
        for (col, key) in [(3, "mean"), (6, "ci95_low"), (7, "ci95_high")] {
            let csv: f64 = f[col].parse().unwrap();
            let js = m[key]
                .as_f64()
                .unwrap_or_else(|| panic!("{design} {metric} {key}"));
            assert!(
                (csv - js).abs() <= 5e-7,
                "{design} {metric} {key}: {csv} vs {js}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 2 * 13);
    // Intervals that one replication cannot give are null, not a made-up number.
    let one = json(
        &d.run(&["run", "-n", "1", "--out", "b", "--json"])
            .ok()
            .stdout(),
    );
    assert!(one["designs"][0]["metrics"]["evacuation"]["ci95_low"].is_null());
    // --precision results are in it.
    let p = json(
        &d.run(&[
            "run",
            "-n",
            "200",
            "--precision",
            "ranking",
            "--out",
            "c",
            "--json",
            "-q",
        ])
        .ok()
        .stdout(),
    );
    assert_eq!(p["precision"][0]["target"], "ranking");
}

#[test]
fn validate_json_locates_every_problem() {
    let d = Dir::new();
    d.write(
        "bad.toml",
        "[scenario]\nextends = \"baseline\"\nname = \"bad\"\n\n[beijing]\nsensitivity = -1\nsensitivty = 2\n",
    );
    let r = d
        .run(&[
            "validate",
            "baseline",
            "bad.toml",
            "--set",
            "crisis.nationals=x",
            "--json",
        ])
        .code_is(2);
    let v = json(&r.stdout());
    assert_eq!(v["ok"], false);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files[0]["file"], "baseline");
    let bad = &files[1];
    assert_eq!(bad["ok"], false);
    let errors = bad["errors"].as_array().unwrap();
    let find = |key: &str| {
        errors
            .iter()
            .find(|e| e["key"] == key)
            .unwrap_or_else(|| panic!("no error for {key}: {errors:?}"))
    };
    let e = find("beijing.sensitivity");
    assert_eq!(e["file"], "bad.toml");
    assert_eq!(e["line"], 6);
    assert_eq!(e["column"], 15);
    assert!(e["message"].as_str().unwrap().contains("found -1"), "{e}");
    let e = find("beijing.sensitivty");
    assert_eq!(e["line"], 7);
    assert_eq!(e["column"], 1);
    assert!(e["help"].as_str().unwrap().contains("sensitivity"), "{e}");
    let e = find("crisis.nationals");
    assert!(e["file"].is_null() && e["line"].is_null(), "{e}");
    assert_eq!(e["flag"], "--set crisis.nationals=x");

    let ok = d.run(&["validate", "baseline", "--json"]).ok();
    let v = json(&ok.stdout());
    assert_eq!(v["ok"], true);
    assert_eq!(v["files"][0]["designs"], 8);
    assert_eq!(v["files"][0]["sha256"].as_str().unwrap().len(), 64);
    assert!(v["files"][0]["errors"].as_array().unwrap().is_empty());
}

#[test]
fn list_json_lists_scenarios_designs_and_keys() {
    let d = Dir::new();
    let v = json(&d.run(&["list", "--json"]).ok().stdout());
    let names: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"baseline") && names.contains(&"short-warning"),
        "{names:?}"
    );
    assert_eq!(v["scenario"], "baseline");
    assert_eq!(v["designs"].as_array().unwrap().len(), 8);
    assert_eq!(v["designs"][0]["id"], v["baseline"]);

    let v = json(&d.run(&["list", "short-warning", "--json"]).ok().stdout());
    assert_eq!(v["scenario"], "short-warning");

    let keys = json(&d.run(&["list", "--keys", "--json"]).ok().stdout());
    let keys = keys["keys"].as_array().unwrap();
    let plain = d.run(&["list", "--keys"]).ok().stdout();
    assert_eq!(keys.len(), plain.lines().count());
    let k = keys
        .iter()
        .find(|k| k["key"] == "beijing.sensitivity")
        .unwrap();
    assert!(k["kind"].as_str().unwrap().contains("number"), "{k}");
    assert!(!k["meaning"].as_str().unwrap().is_empty(), "{k}");
}
