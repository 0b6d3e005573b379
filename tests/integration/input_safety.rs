//! Inputs that used to be accepted silently, crash the binary, or be blamed on the wrong
//! place (issue 12 items 4, 5, 7 and 8), where the malformed-input corpus cannot hold them:
//! arguments too long for an `.args` line, several files, results directories to tamper with.

use super::util::{kill_after_first_checkpoint, Dir};

#[test]
fn an_absurdly_deep_set_path_is_refused_without_a_crash() {
    // 50,000 parts once overflowed the stack while the path was walked (exit 134).
    let d = Dir::new();
    let set = format!("{}b=1", "a.".repeat(50_000));
    let r = d.run(&["validate", "baseline", "--set", &set]).code_is(2);
    let err = r.stderr();
    assert!(
        err.starts_with("error: --set a.a.a.…: the key path has 50001 parts"),
        "{}",
        &err[..err.len().min(300)]
    );
    assert!(err.len() < 1000, "the message repeats the whole path");
}

/// `text` with the first number after `marker` increased by one.
fn bump_number_after(text: &str, marker: &str) -> String {
    let at = text.find(marker).expect("marker") + marker.len();
    let digits: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let n: u128 = digits.parse().expect("a number");
    format!("{}{}{}", &text[..at], n + 1, &text[at + digits.len()..])
}

#[test]
fn resume_refuses_a_checkpoint_or_rows_edited_since_the_interruption() {
    let d = Dir::new();
    let args = |out: &'static str| {
        vec![
            "run",
            "-n",
            "2000000",
            "-q",
            "--per-replication",
            "--out",
            out,
            "--checkpoint-every",
            "0",
        ]
    };
    let resume = |out: &'static str| {
        let mut a = args(out);
        a.push("--resume");
        a
    };
    let partial = |out: &str| dialogue_wargame::output::partial_dir(&d.join(out));

    // The accumulated results edited, the file still well-formed and its counts consistent.
    if !kill_after_first_checkpoint(&d, &args("a"), "a") {
        return; // the machine finished two million replications before the kill
    }
    let cp_path = partial("a").join("checkpoint.json");
    let cp = std::fs::read_to_string(&cp_path).unwrap();
    std::fs::write(&cp_path, bump_number_after(&cp, "\"wins\":[")).unwrap();
    let r = d.run(&resume("a")).code_is(2);
    assert!(
        r.stderr()
            .contains("do not match the checksum it records; it was edited"),
        "{}",
        r.stderr()
    );

    // A row of replications.csv edited within what the checkpoint covers.
    assert!(kill_after_first_checkpoint(&d, &args("b"), "b"));
    let rows_path = partial("b").join("replications.csv");
    let rows = std::fs::read_to_string(&rows_path).unwrap();
    let edited = rows.replacen("\r\n0,status-quo,0.", "\r\n0,status-quo,1.", 1);
    assert_ne!(rows, edited);
    std::fs::write(&rows_path, edited).unwrap();
    d.run(&resume("b"))
        .code_is(2)
        .stderr_has("does not match the checkpoint");

    // Untouched, the same checkpoint resumes (the checks see no difference where there is
    // none); stopped again at its next checkpoint, to keep the test short.
    assert!(kill_after_first_checkpoint(&d, &args("c"), "c"));
    let mut child = std::process::Command::new(super::util::bin())
        .args(resume("c"))
        .current_dir(d.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let exited = child.try_wait().unwrap();
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(
        exited.is_none() || exited.is_some_and(|s| s.success()),
        "the resumed run stopped: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn merge_refuses_rows_or_states_swapped_between_shards_or_edited() {
    use dialogue_wargame::output::checksum::sha256_hex;
    let d = Dir::new();
    for k in 1..=2 {
        d.run(&[
            "run",
            "-n",
            "200",
            "--shard",
            &format!("{k}/2"),
            "--out",
            &format!("s{k}"),
            "-q",
            "--per-replication",
        ])
        .ok();
    }
    let copy = |from: &str, to: &str| {
        std::fs::create_dir(d.join(to)).unwrap();
        for e in std::fs::read_dir(d.join(from)).unwrap().flatten() {
            std::fs::copy(e.path(), d.join(to).join(e.file_name())).unwrap();
        }
    };
    // Untouched shards merge, and the merged manifest records its own rows' checksum.
    d.run(&["merge", "s1", "s2", "--out", "m", "-q"]).ok();
    let manifest = d.read("m/manifest.json");
    let rows = std::fs::read(d.join("m/replications.csv")).unwrap();
    assert!(
        manifest.contains(&format!(
            "\"replications_sha256\": \"{}\"",
            sha256_hex(&rows)
        )),
        "{manifest}"
    );
    assert!(!manifest.contains("state_sha256"), "{manifest}");

    // Equal shards swap their files without any count changing.
    for (i, file, expected) in [
        (1, "replications.csv", "the rows were edited, or swapped"),
        (2, "state.json", "edited, damaged, or swapped"),
    ] {
        let (a, b) = (format!("x{i}a"), format!("x{i}b"));
        copy("s1", &a);
        copy("s2", &b);
        std::fs::copy(d.join("s2").join(file), d.join(&a).join(file)).unwrap();
        std::fs::copy(d.join("s1").join(file), d.join(&b).join(file)).unwrap();
        let r = d
            .run(&["merge", &a, &b, "--out", &format!("m{i}")])
            .code_is(2);
        assert!(
            r.stderr()
                .contains(&format!("{a}/{file}: does not match the checksum"))
                && r.stderr().contains(expected),
            "{file}: {}",
            r.stderr()
        );
        assert!(!d.join(&format!("m{i}")).exists());
    }
    // One digit of one row edited: same length, same row count.
    copy("s2", "e2");
    let rows = d.read("e2/replications.csv");
    d.write(
        "e2/replications.csv",
        &rows.replacen("\r\n100,status-quo,0.", "\r\n100,status-quo,1.", 1),
    );
    d.run(&["merge", "s1", "e2", "--out", "m3"])
        .code_is(2)
        .stderr_has("e2/replications.csv: does not match");
}

#[test]
fn extends_takes_a_path_relative_to_the_file_and_chains() {
    let d = Dir::new();
    d.write(
        "base.toml",
        "[scenario]\nextends = \"short-warning\"   # a built-in variant: chains are fine\n\
         name = \"my-base\"\n\n[beijing]\nsensitivity = 1.5\n\n\
         [[add_design]]\nid = \"base-copy\"\nname = \"Added by the base\"\nauthority = 0.5\n\
         officialness = 0.5\nsecurity_mandate = 0.5\nvisibility = 0.5\nformat_consistency = 0.5\n\
         domestic_exposure = 0.5\nstanding_liaison = false\nexit_clause = false\npace = \"joint\"\n",
    );
    std::fs::create_dir(d.join("sub")).unwrap();
    d.write(
        "sub/variant of base.toml",
        "[scenario]\nextends = \"../base.toml\"\n\n[tokyo]\nmemory_months = 7\n\n\
         [[add_design]]\nid = \"leaf-copy\"\nname = \"Added by the leaf\"\nauthority = 0.4\n\
         officialness = 0.4\nsecurity_mandate = 0.4\nvisibility = 0.4\nformat_consistency = 0.4\n\
         domestic_exposure = 0.4\nstanding_liaison = true\nexit_clause = true\npace = \"japan-led\"\n",
    );
    let r = d
        .run(&["run", "sub/variant of base.toml", "-n", "20", "-q"])
        .ok();
    // Named after its file (no `name` of its own), not after the scenario it extends.
    assert!(
        r.stdout().contains("results/variant-of-base-seed"),
        "{}",
        r.stdout()
    );
    let out = std::fs::read_dir(d.join("results"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(v["scenario"], "variant-of-base");
    assert_eq!(
        v["scenario_sources"],
        serde_json::json!([
            "<builtin baseline>",
            "<builtin short-warning>",
            // Relative to the file that names it, as joined (not normalised, which symlinks
            // could make wrong).
            "sub/../base.toml",
            "sub/variant of base.toml"
        ])
    );
    // Both levels' [[add_design]] entries are appended, in order.
    let designs = v["designs"].as_array().unwrap();
    assert_eq!(designs[designs.len() - 2], "base-copy");
    assert_eq!(designs[designs.len() - 1], "leaf-copy");
    // Each level's values hold: the base's sensitivity, the leaf's memory, the built-in
    // variant's warning.
    for (key, value) in [("beijing.sensitivity", "1.5"), ("tokyo.memory_months", "7")] {
        let r = d.run(&["explain", key, "sub/variant of base.toml"]).ok();
        assert!(
            r.stdout().contains(&format!("value       {value}")),
            "{}",
            r.stdout()
        );
    }
    let r = d
        .run(&["explain", "crisis.warning_days", "sub/variant of base.toml"])
        .ok();
    assert!(
        r.stdout().contains("<builtin short-warning>"),
        "{}",
        r.stdout()
    );
}

#[test]
fn a_folder_named_like_a_built_in_scenario_does_not_hide_it() {
    let d = Dir::new();
    // A results folder from an earlier session, named like the scenario.
    std::fs::create_dir_all(d.join("baseline/results")).unwrap();
    d.write("short-warning", "not a scenario");
    d.run(&["run", "baseline", "-n", "10", "-q", "--out", "o"])
        .ok();
    d.run(&["validate", "baseline", "short-warning"]).ok();
    d.run(&["list", "short-warning"]).ok();
    // The folder or file itself is named by a path.
    d.run(&["validate", "./baseline"])
        .code_is(2)
        .stderr_has("is a directory");
    d.run(&["validate", "./short-warning"])
        .code_is(2)
        .stderr_has("invalid TOML");
    // A bare name that is no built-in says how to name a file.
    d.write("mine", "[scenario]\nextends = \"baseline\"\n");
    let r = d.run(&["validate", "mine"]).code_is(2);
    assert!(
        r.stderr()
            .starts_with("error: mine: no built-in scenario by this name\n  help: a bare name is a built-in scenario; to use the file or folder `mine` here, write ./mine"),
        "{}",
        r.stderr()
    );
    d.run(&["validate", "./mine", "mine.toml"]).code_is(2);
    std::fs::rename(d.join("mine"), d.join("mine.toml")).unwrap();
    d.run(&["validate", "mine.toml"]).ok();
}

#[test]
fn list_and_explain_take_the_scenario_the_same_way() {
    let d = Dir::new();
    let list = d.run(&["list", "short-warning"]).ok();
    assert!(
        list.stdout().contains("Designs in short-warning"),
        "{}",
        list.stdout()
    );
    let new = d
        .run(&["explain", "crisis.warning_days", "short-warning"])
        .ok();
    assert!(new
        .stdout()
        .starts_with("crisis.warning_days in scenario short-warning"));
    assert!(new.stderr().is_empty(), "{}", new.stderr());
    // The old flag still works, with a note saying how to write it now.
    let old = d
        .run(&[
            "explain",
            "crisis.warning_days",
            "--scenario",
            "short-warning",
        ])
        .ok();
    assert_eq!(old.stdout(), new.stdout());
    assert!(
        old.stderr()
            .starts_with("note: `explain --scenario` is deprecated")
            && old
                .stderr()
                .contains("dialogue-wargame explain crisis.warning_days SCENARIO"),
        "{}",
        old.stderr()
    );
    d.run(&[
        "explain",
        "crisis.warning_days",
        "baseline",
        "--scenario",
        "short-warning",
    ])
    .code_is(2);
}

/// `explain ID --toml` prints a scenario file that validates as it is, for every design of
/// every built-in scenario, and for a design in a file (in a folder with a space) whose name
/// holds control characters, combining marks, quotes and backslashes, which Rust's `{:?}`
/// once wrote as escapes TOML does not know.
#[test]
fn explain_toml_prints_a_file_that_validates_and_parses_back() {
    let d = Dir::new();
    let tricky = "Trade\u{7} confe\u{301}rence \u{7f}\"quoted\" back\\slash\ttab\nline \u{200b}";
    let tricky_toml: String = {
        // The design's name written in the file with TOML escapes.
        let mut s = String::from("\"");
        for c in tricky.chars() {
            match c {
                '"' => s.push_str("\\\""),
                '\\' => s.push_str("\\\\"),
                c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
                c => s.push(c),
            }
        }
        s.push('"');
        s
    };
    std::fs::create_dir(d.join("my dir")).unwrap();
    d.write(
        "my dir/odd.toml",
        &format!(
            "[scenario]\nextends = \"baseline\"\n\n[[add_design]]\nid = \"odd\"\nname = {tricky_toml}\n\
             description = \"é\u{301}\"\nauthority = 1e-300\nofficialness = 0.5\n\
             security_mandate = 1.0\nstanding_liaison = false\nvisibility = 0.5\n\
             format_consistency = 0.5\npace = \"joint\"\nexit_clause = false\n\
             domestic_exposure = 0.5\ncadence_per_year = 52.0\n"
        ),
    );
    let mut cases: Vec<(String, String)> = vec![("odd".into(), "my dir/odd.toml".into())];
    for (scenario, _) in dialogue_wargame::scenario::BUILTIN {
        let r = d.run(&["list", scenario]).ok();
        for line in r
            .stdout()
            .lines()
            .skip_while(|l| !l.starts_with("Designs in"))
            .skip(1)
        {
            let id = line.split_whitespace().next().unwrap().to_string();
            cases.push((id, scenario.to_string()));
        }
    }
    assert!(cases.len() > 40, "{cases:?}");
    for (i, (id, scenario)) in cases.iter().enumerate() {
        let block = d.run(&["explain", id, scenario, "--toml"]).ok().stdout();
        let saved = format!("variant-{i}.toml");
        d.write(&saved, &block);
        let r = d.run(&["validate", &saved]);
        assert_eq!(r.code(), 0, "{id} of {scenario}:\n{block}\n{}", r.stderr());
        // It parses back, with the design's values as they were.
        let doc: toml::Table = toml::from_str(&block).unwrap();
        let added = &doc["add_design"].as_array().unwrap()[0];
        assert_eq!(added["id"].as_str().unwrap(), format!("{id}-variant"));
        if id == "odd" {
            assert_eq!(
                added["name"].as_str().unwrap(),
                format!("{tricky} (variant)")
            );
            assert_eq!(added["description"].as_str().unwrap(), "é\u{301}");
            assert_eq!(added["authority"].as_float().unwrap(), 1e-300);
            assert_eq!(added["cadence_per_year"].as_float().unwrap(), 52.0);
            let extends = doc["scenario"]["extends"].as_str().unwrap();
            assert!(
                extends.ends_with("my dir/odd.toml") && extends.starts_with('/'),
                "{extends}"
            );
        }
    }
}
