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
