//! `explain NAME` and `list --keys`: parameters with their meaning, value and provenance, and
//! the text of the claims, facts and sources a rationale cites (docs/SOURCES.md).

use dialogue_wargame::scenario::schema;
use dialogue_wargame::sources;

use super::util::{Dir, Run};

/// Whitespace collapsed, so text wrapped to 80 columns compares with the source's.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Assert that the output shows entry `id` of docs/SOURCES.md: its title, its text and where
/// it came from, once.
fn shows_entry(r: &Run, id: &str) {
    let e = sources::lookup(id).unwrap_or_else(|| panic!("{id} is not in docs/SOURCES.md"));
    let out = r.stdout();
    let flat_out = flat(&out);
    for part in [e.title, e.text, e.source] {
        assert!(
            flat_out.contains(&flat(part)),
            "{}: {id}'s text is not shown whole:\n{part}\n--- stdout\n{out}",
            r.cmd
        );
    }
    let headings = out
        .lines()
        .filter(|l| l.starts_with(&format!("{id} ")))
        .count();
    assert_eq!(headings, 1, "{}: {id} shown {headings} times\n{out}", r.cmd);
}

#[test]
fn explain_a_world_parameter_shows_its_meaning_value_and_claim() {
    let d = Dir::new();
    let r = d.run(&["explain", "beijing.sensitivity"]).ok();
    let out = r.stdout();
    for want in [
        "beijing.sensitivity in scenario baseline",
        "multiplier on every provocation",
        "number in [0, 100]",
        "value       1.0",
        "a normalisation (C9)",
        "<builtin baseline>:",
    ] {
        assert!(out.contains(want), "no `{want}`\n{out}");
    }
    shows_entry(&r, "C9");
    // Everything is wrapped to 80 columns (C9 has no wide characters).
    for l in out.lines() {
        assert!(l.chars().count() <= 80, "too wide: {l}");
    }
}

#[test]
fn explain_crisis_nationals_shows_the_sources_of_the_count() {
    let d = Dir::new();
    let r = d.run(&["explain", "crisis.nationals"]).ok();
    assert!(r.stdout().contains("value       21696"), "{}", r.stdout());
    shows_entry(&r, "S3");
    shows_entry(&r, "F1");
}

#[test]
fn explain_says_assumption_plainly() {
    let d = Dir::new();
    let r = d.run(&["explain", "weights.coercion"]).ok();
    assert!(
        r.stdout()
            .contains("provenance  Assumption: no source gives this number"),
        "{}",
        r.stdout()
    );
    // The claim behind the reasoning is still shown.
    shows_entry(&r, "C12");
    // A distribution is shown in TOML syntax, and a variant's value is the variant's.
    let r = d
        .run(&["explain", "crisis.warning_days", "short-warning"])
        .ok();
    let out = r.stdout();
    assert!(
        out.contains("{ dist = \"triangular\", min = 1, mode = 3, max = 7 }")
            && out.contains("<builtin short-warning>:"),
        "{out}"
    );
}

#[test]
fn explain_a_design_prints_the_text_of_its_claims_once_each() {
    let d = Dir::new();
    let r = d.run(&["explain", "trade-conference"]).ok();
    let out = r.stdout();
    assert!(
        out.starts_with("design trade-conference in scenario baseline\n"),
        "{out}"
    );
    // Every id its rationales cite, and only those.
    let table: String = out.split("\nCited").next().unwrap_or("").to_string();
    let ids = sources::cited(&table);
    assert!(ids.len() >= 5, "{ids:?}");
    for id in &ids {
        shows_entry(&r, id);
    }
    let shown = out
        .lines()
        .filter(|l| sources::lookup(l.split(' ').next().unwrap_or("")).is_some())
        .count();
    assert_eq!(shown, ids.len(), "{out}");
}

#[test]
fn explain_one_key_of_a_design_or_of_every_design() {
    let d = Dir::new();
    let r = d.run(&["explain", "design.track-1.5.authority"]).ok();
    let out = r.stdout();
    assert!(
        out.contains("value       0.35") && out.contains("Assumption (C3)"),
        "{out}"
    );
    shows_entry(&r, "C3");
    let r = d.run(&["explain", "design.ID.visibility"]).ok();
    let out = r.stdout();
    assert!(
        out.contains("executive-2plus2      0.9") && out.contains("track-2               0.2"),
        "{out}"
    );
}

#[test]
fn a_design_id_wins_over_a_key_of_the_same_name() {
    let d = Dir::new();
    d.write(
        "odd.toml",
        "[scenario]\nextends = \"baseline\"\n\n[[add_design]]\nid = \"weights.coercion\"\n\
         name = \"A design named like a key\"\nauthority = 0.5\nofficialness = 0.5\n\
         security_mandate = 0.5\nstanding_liaison = false\nvisibility = 0.5\n\
         format_consistency = 0.5\npace = \"joint\"\nexit_clause = false\n\
         domestic_exposure = 0.5\n",
    );
    let r = d.run(&["explain", "weights.coercion", "odd.toml"]).ok();
    assert!(
        r.stdout()
            .starts_with("design weights.coercion in scenario"),
        "{}",
        r.stdout()
    );
}

#[test]
fn unknown_names_exit_2_with_a_suggestion() {
    let d = Dir::new();
    let r = d.run(&["explain", "beijing.sensitivty"]).code_is(2);
    assert!(
        r.stderr()
            .contains("help: did you mean `beijing.sensitivity`?"),
        "{}",
        r.stderr()
    );
    let r = d.run(&["explain", "sensitivity"]).code_is(2);
    assert!(
        r.stderr().contains("`beijing.sensitivity`"),
        "{}",
        r.stderr()
    );
    let r = d.run(&["explain", "trade-conferense"]).code_is(2);
    assert!(r.stderr().contains("`trade-conference`"), "{}", r.stderr());
    for args in [
        vec!["explain", "nope.nope"],
        vec!["explain", ""],
        vec!["explain", "design."],
        vec!["explain", "design.nope.authority"],
        vec!["explain", "beijing.sensitivity", "--toml"],
        vec!["list", "--keys", "baseline"],
    ] {
        d.run(&args).code_is(2);
    }
}

#[test]
fn list_keys_lists_every_key_set_accepts_aligned() {
    let d = Dir::new();
    let out = d.run(&["list", "--keys"]).ok().stdout();
    let lines: Vec<&str> = out.lines().collect();
    let keys = schema::keys();
    assert_eq!(lines.len(), keys.len(), "{out}");
    for (line, key) in lines.iter().zip(&keys) {
        assert_eq!(line.split_whitespace().next(), Some(key.key.as_str()));
    }
    for want in [
        "design.ID.authority",
        "beijing.area_weight.rear-area",
        "weights.coercion",
        "thresholds.evacuation",
        "crisis.warning_days",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.split_whitespace().next() == Some(want)),
            "no {want}\n{out}"
        );
    }
    // The second column starts at the same place on every line.
    let column = |l: &str| {
        let key_end = l.find(' ').unwrap_or(l.len());
        key_end + l[key_end..].chars().take_while(|c| *c == ' ').count()
    };
    let starts: std::collections::HashSet<usize> = lines.iter().map(|l| column(l)).collect();
    assert_eq!(starts.len(), 1, "{out}");
    // Every listed key (design keys on a real design) is one --set accepts.
    let sets: Vec<String> = keys
        .iter()
        .filter(|k| matches!(k.kind, schema::Kind::Number { .. } | schema::Kind::Prob))
        .map(|k| k.key.replace("design.ID.", "design.track-2."))
        .collect();
    let mut args = vec!["validate".to_string(), "baseline".to_string()];
    for k in &sets {
        args.push("--set".into());
        args.push(format!("{k}=0.5"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = d.run(&args);
    // Some values are out of range for 0.5, but every key is found.
    for bad in ["unknown key", "cannot set", "no design matches"] {
        assert!(!r.stderr().contains(bad), "{}", r.stderr());
    }
}

#[test]
fn a_closed_pipe_is_a_clean_exit() {
    use std::process::{Command, Stdio};
    for args in [
        vec!["list", "--keys"],
        vec!["list"],
        vec!["explain", "beijing.sensitivity"],
        vec!["explain", "trade-conference"],
    ] {
        let mut child = Command::new(super::util::bin())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn binary");
        // Close the reading end before the binary writes (it loads a scenario first).
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait for binary");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{args:?}: {:?}\n{stderr}",
            out.status
        );
    }
}

#[test]
fn explain_a_design_says_which_programme_it_runs() {
    // docs/MODEL.md §2: a design runs the scenario's common [programme] unless it sets its own.
    let d = Dir::new();
    let r = d.run(&["explain", "trade-conference"]).ok();
    assert!(
        r.stdout()
            .contains("programme: 2 a year on intelligence+evacuation+rear-area (the scenario's common [programme])"),
        "{}",
        r.stdout()
    );
    // A variant of it with its own programme (the file `explain --toml` prints, two keys added
    // at the end of its [[add_design]] entry).
    let toml = d
        .run(&["explain", "trade-conference", "--toml"])
        .ok()
        .stdout();
    d.write(
        "own.toml",
        &format!("{toml}cadence_per_year = 4\nissue_areas = [\"evacuation\"]\n"),
    );
    let r = d
        .run(&["explain", "trade-conference-variant", "own.toml"])
        .ok();
    assert!(
        r.stdout()
            .contains("programme: 4 a year on evacuation (its own)"),
        "{}",
        r.stdout()
    );
}
