//! manifest.json records when, with what build and on what resolved scenario a run was made,
//! and `rerun` reproduces a results directory from its manifest alone.

use super::util::{repo, Dir};

fn manifest(d: &Dir, dir: &str) -> serde_json::Value {
    serde_json::from_str(&d.read(&format!("{dir}/manifest.json"))).unwrap()
}

/// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SSZ` (Hinnant's days_from_civil), or None if the
/// text is not exactly that shape.
fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let shape = b.len() == 20
        && [4, 7].iter().all(|&i| b[i] == b'-')
        && b[10] == b'T'
        && [13, 16].iter().all(|&i| b[i] == b':')
        && b[19] == b'Z';
    if !shape {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = (n(11..13)?, n(14..16)?, n(17..19)?);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

#[test]
fn the_manifest_records_the_start_time_and_the_tools_commit() {
    let d = Dir::new();
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    d.run(&["run", "-n", "50", "--out", "a", "-q"]).ok();
    let m = manifest(&d, "a");
    let started = m["started_at"].as_str().expect("started_at");
    let t = parse_rfc3339(started).unwrap_or_else(|| panic!("not RFC 3339 UTC: {started}"));
    assert!(
        (before - 1..=before + 60).contains(&t),
        "started_at {started} is not the time of the run"
    );
    // Built from a git checkout, the commit is HEAD's (build.rs reruns when HEAD moves);
    // built from a copy without .git, it is "unknown".
    let commit = m["tool_commit"].as_str().expect("tool_commit");
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo())
        .output()
        .ok()
        .filter(|o| o.status.success() && repo().join(".git").exists())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(head) => assert_eq!(commit, head),
        None => assert_eq!(commit, "unknown"),
    }
}

/// A variant of the baseline that extends it, adds a design and changes a value: everything
/// `extends`, `[[add_design]]` and the overrides contribute must be in the recorded text.
const VARIANT: &str = r#"[scenario]
extends = "baseline"
name = "variant"

[beijing]
sensitivity = 1.3

[[add_design]]
id = "quiet-forum"
name = "A quiet forum"
description = "Low-key and consistent, with a \"quoted\" word."
authority = 0.3
officialness = 0.2
security_mandate = 0.6
visibility = 0.1
format_consistency = 0.9
domestic_exposure = 0.1
standing_liaison = false
exit_clause = true
pace = "japan-led"
"#;

#[test]
fn the_manifest_records_the_resolved_scenario_which_loads_to_the_same_hash() {
    let d = Dir::new();
    d.write("variant.toml", VARIANT);
    d.run(&[
        "run",
        "variant.toml",
        "-n",
        "50",
        "--set",
        "design.quiet-forum.visibility=0.15",
        "--weights",
        "coercion=0.7",
        "--out",
        "a",
        "-q",
    ])
    .ok();
    let m = manifest(&d, "a");
    let text = m["resolved_scenario"].as_str().expect("resolved_scenario");
    assert!(!text.contains("extends"), "{text}");
    assert!(text.contains("sensitivity = 1.3"), "{text}");
    assert!(text.contains("visibility = 0.15"), "{text}");
    assert!(text.contains("coercion = 0.7"), "{text}");
    d.write("resolved.toml", text);
    let sha = m["scenario_sha256"].as_str().unwrap();
    let v = d.run(&["validate", "resolved.toml"]).ok();
    assert!(
        v.stdout().contains(&format!("sha256 {}", &sha[..16])),
        "{}",
        v.stdout()
    );
}

/// The files `rerun` must reproduce, where the original has them.
fn assert_reproduced(d: &Dir, original: &str, rerun: &str) {
    let mut compared = 0;
    for f in [
        "summary.csv",
        "comparison.csv",
        "best.csv",
        "ladder.csv",
        "replications.csv",
        "state.json",
    ] {
        let a = d.join(&format!("{original}/{f}"));
        if a.exists() {
            let b = d.join(&format!("{rerun}/{f}"));
            assert!(
                std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap_or_default(),
                "{original}/{f} and {rerun}/{f} differ"
            );
            compared += 1;
        }
    }
    assert!(compared >= 4, "only {compared} files compared");
    let (m, r) = (manifest(d, original), manifest(d, rerun));
    for field in [
        "scenario",
        "scenario_sha256",
        "seed",
        "replications",
        "first_replication",
        "total_replications",
        "shard",
        "designs",
        "baseline",
        "thresholds",
        "overrides",
        "scenario_sources",
        "options",
        "resolved_scenario",
    ] {
        assert_eq!(m[field], r[field], "manifest field {field}");
    }
}

/// `run variant.toml` with every kind of option a rerun must reproduce, and `extra`.
fn run_variant(d: &Dir, extra: &[&str]) {
    let mut args = vec![
        "run",
        "variant.toml",
        "-n",
        "400",
        "--seed",
        "11",
        "--set",
        "design.quiet-forum.visibility=0.15",
        "--weights",
        "coercion=0.7,evacuation=1.5",
        // More decimals than manifest.thresholds keeps: the rerun must use the exact value.
        "--threshold",
        "evacuation=0.1234567891",
        "--design",
        "quiet-forum",
        "--design",
        "trade-conference",
        "--baseline",
        "track-2",
        "-q",
    ];
    args.extend_from_slice(extra);
    d.run(&args).ok();
}

#[test]
fn rerun_reproduces_a_run_after_its_scenario_file_was_edited_and_then_deleted() {
    let d = Dir::new();
    d.write("variant.toml", VARIANT);
    run_variant(&d, &["--per-replication", "--out", "orig"]);
    let r = d.run(&["rerun", "orig", "-q"]).ok();
    assert!(
        r.stdout().contains("reproduced orig: summary.csv"),
        "{}",
        r.stdout()
    );
    assert_reproduced(&d, "orig", "orig-rerun");
    assert_eq!(manifest(&d, "orig-rerun")["rerun_of"], "orig");

    // The scenario file edited: the rerun still uses what was run.
    d.write("variant.toml", &VARIANT.replace("1.3", "0.2"));
    d.run(&["rerun", "orig", "-q"]).ok();
    assert_reproduced(&d, "orig", "orig-rerun-2");

    // ... and deleted; a rerun of a rerun works too.
    std::fs::remove_file(d.join("variant.toml")).unwrap();
    d.run(&[
        "rerun",
        "orig-rerun",
        "--out",
        "again",
        "-q",
        "--threads",
        "1",
    ])
    .ok();
    assert_reproduced(&d, "orig", "again");

    // The edited file really gives other numbers: the reproduction is not vacuous.
    d.write("variant.toml", &VARIANT.replace("1.3", "0.2"));
    run_variant(&d, &["--out", "edited"]);
    assert_ne!(d.read("orig/summary.csv"), d.read("edited/summary.csv"));
}

#[test]
fn rerun_reproduces_precision_runs_shards_and_merged_runs() {
    let d = Dir::new();
    d.run(&[
        "run",
        "-n",
        "200",
        "--precision",
        "evacuation=0.02",
        "--max-replications",
        "1000",
        "--out",
        "prec",
        "-q",
    ])
    .ok();
    d.run(&["rerun", "prec", "-q"]).ok();
    assert_reproduced(&d, "prec", "prec-rerun");

    for k in ["1", "2"] {
        d.run(&[
            "run",
            "-n",
            "300",
            "--shard",
            &format!("{k}/2"),
            "--per-replication",
            "--out",
            &format!("s{k}"),
            "-q",
        ])
        .ok();
    }
    d.run(&["rerun", "s2", "-q"]).ok();
    assert_reproduced(&d, "s2", "s2-rerun");
    d.run(&["merge", "s1", "s2", "--out", "merged", "-q"]).ok();
    d.run(&["rerun", "merged", "-q"]).ok();
    assert_reproduced(&d, "merged", "merged-rerun");
}

#[test]
fn rerun_refuses_old_and_tampered_manifests_and_reports_differences() {
    let d = Dir::new();
    d.run(&["run", "-n", "100", "--out", "a", "-q"]).ok();
    let text = d.read("a/manifest.json");

    // A manifest from before `rerun` existed.
    let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
    for field in ["resolved_scenario", "options", "started_at", "tool_commit"] {
        old.as_object_mut().unwrap().remove(field);
    }
    std::fs::create_dir(d.join("old")).unwrap();
    d.write("old/manifest.json", &old.to_string());
    let r = d.run(&["rerun", "old"]).code_is(2);
    assert!(
        r.stderr().contains("no resolved scenario recorded"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stderr().contains("run -n 100 --out a -q"),
        "{}",
        r.stderr()
    );
    assert!(!d.join("old-rerun").exists());

    // A resolved scenario edited after the run no longer matches its hash.
    let mut edited: serde_json::Value = serde_json::from_str(&text).unwrap();
    let scenario = edited["resolved_scenario"]
        .as_str()
        .unwrap()
        .replace("sensitivity = 1.0", "sensitivity = 1.5");
    edited["resolved_scenario"] = scenario.into();
    std::fs::create_dir(d.join("edited")).unwrap();
    d.write("edited/manifest.json", &edited.to_string());
    d.run(&["rerun", "edited"])
        .code_is(2)
        .stderr_has("does not match");

    // Not a results directory.
    let r = d.run(&["rerun", "nowhere"]).code_is(2);
    assert!(r.stderr().contains("manifest"), "{}", r.stderr());

    // Results that do not come out again are named.
    d.write("a/best.csv", "edited\r\n");
    let r = d.run(&["rerun", "a", "-q"]).ok();
    assert!(
        r.stderr().contains("differs from a in best.csv"),
        "{}",
        r.stderr()
    );
    assert!(r.stdout().contains("summary.csv"), "{}", r.stdout());
}
