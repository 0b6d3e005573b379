//! Crash safety of the results directory: the process aborts right after each step of claiming,
//! committing and cleaning up (the test hook DIALOGUE_WARGAME_TEST_CRASH_AT, docs/OUTPUTS.md §1),
//! with and without --force; then the next run, a --force run or --resume must find the finished
//! results, lose nothing, and say what it did. Hidden names the tool did not make are never
//! touched. Nothing here waits for time to pass.

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::Command;

use super::util::{bin, Dir, Run};

const HOOK: &str = "DIALOGUE_WARGAME_TEST_CRASH_AT";

/// Run the binary in `d`, with the crash hook set to `crash_at` if given.
fn run_env(d: &Dir, args: &[&str], crash_at: Option<&str>) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(d.path())
        .env_remove("RUST_BACKTRACE")
        .env_remove(HOOK);
    if let Some(step) = crash_at {
        cmd.env(HOOK, step);
    }
    Run {
        cmd: format!(
            "{}dialogue-wargame {}",
            crash_at.map(|s| format!("{HOOK}={s} ")).unwrap_or_default(),
            args.join(" ")
        ),
        out: cmd.output().expect("spawn binary"),
    }
}

/// Run with the hook at `step` and check that the process aborted there.
fn crash(d: &Dir, args: &[&str], step: &str) {
    let r = run_env(d, args, Some(step));
    assert_eq!(
        r.out.status.signal(),
        Some(6),
        "expected an abort after step {step}\ncommand: {}\nstatus: {:?}\nstderr: {}",
        r.cmd,
        r.out.status,
        r.stderr()
    );
    assert!(
        r.stderr().contains(&format!("{HOOK}={step}")),
        "{}",
        r.stderr()
    );
}

/// Assert the exit code, with everything on failure.
fn expect_code(r: &Run, code: i32, context: &str) {
    assert_eq!(
        r.code(),
        code,
        "{context}: expected exit code {code}\ncommand: {}\nstatus: {:?}\nstdout: {}\nstderr: {}",
        r.cmd,
        r.out.status,
        r.stdout(),
        r.stderr()
    );
    assert!(!r.stderr().contains("panicked"), "{}", r.stderr());
}

/// Which results `dir` holds: "absent", "new" (those of `ref`), "earlier" (of `earlier`), or
/// "other".
fn which(d: &Dir, dir: &str) -> &'static str {
    let Ok(summary) = std::fs::read(d.join(&format!("{dir}/summary.csv"))) else {
        return if d.join(dir).exists() {
            "other"
        } else {
            "absent"
        };
    };
    if summary == std::fs::read(d.join("ref/summary.csv")).unwrap() {
        d.assert_same_csvs("ref", dir, false);
        "new"
    } else if summary == std::fs::read(d.join("earlier/summary.csv")).unwrap() {
        d.assert_same_csvs("earlier", dir, false);
        "earlier"
    } else {
        "other"
    }
}

/// The state word of a marker (`working`, `finished`, `finished-force`, `old`), if valid.
fn marker_state(d: &Dir, dir: &str) -> Option<String> {
    let text = std::fs::read_to_string(d.join(&format!("{dir}/owner.pid"))).ok()?;
    let line = text.lines().nth(1)?;
    let mut f = line.split_whitespace();
    (f.next()? == "dialogue-wargame").then(|| f.next().map(str::to_string))?
}

/// The `.r.new-*` or `.r.del-*` directories in `case`.
fn unique_dirs(d: &Dir, case: &str, kind: &str) -> Vec<PathBuf> {
    std::fs::read_dir(d.join(case))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!(".r.{kind}-"))
        })
        .map(|e| e.path())
        .collect()
}

fn files_in(p: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Nothing of the tool's is left beside or inside `case/r`.
fn assert_clean(d: &Dir, case: &str) {
    for hidden in [".r.partial", ".r.old"] {
        assert!(
            !d.join(&format!("{case}/{hidden}")).exists(),
            "{case}/{hidden} is left"
        );
    }
    assert!(
        unique_dirs(d, case, "new").is_empty(),
        "{case}: .r.new-* left"
    );
    assert!(
        unique_dirs(d, case, "del").is_empty(),
        "{case}: .r.del-* left"
    );
    assert!(
        !d.join(&format!("{case}/r/owner.pid")).exists(),
        "{case}/r/owner.pid left"
    );
}

/// What is on disk right after a crash at `step`; `forced`: the crashed run had --force and
/// `case/r` held the earlier results.
fn check_after_crash(d: &Dir, case: &str, step: &str, forced: bool) {
    let r = format!("{case}/r");
    let p = format!("{case}/.r.partial");
    let old = format!("{case}/.r.old");
    let before = if forced { "earlier" } else { "absent" };
    let finished = if forced { "finished-force" } else { "finished" };
    let ctx = format!("after a crash at {step} (force: {forced})");
    match step {
        "staged" => {
            assert!(!d.join(&p).exists(), "{ctx}");
            let staged = unique_dirs(d, case, "new");
            assert_eq!(staged.len(), 1, "{ctx}");
            assert_eq!(files_in(&staged[0]), ["owner.pid"], "{ctx}");
            assert_eq!(which(d, &r), before, "{ctx}");
        }
        "claimed" => {
            assert_eq!(marker_state(d, &p).as_deref(), Some("working"), "{ctx}");
            assert_eq!(files_in(&d.join(&p)), ["owner.pid"], "{ctx}");
            assert_eq!(which(d, &r), before, "{ctx}");
        }
        "synced" => {
            assert_eq!(marker_state(d, &p).as_deref(), Some("working"), "{ctx}");
            assert!(d.join(&format!("{p}/manifest.json")).exists(), "{ctx}");
            assert_eq!(which(d, &r), before, "{ctx}");
        }
        "finished" | "old-staged" | "old-claimed" => {
            assert_eq!(marker_state(d, &p).as_deref(), Some(finished), "{ctx}");
            assert_eq!(which(d, &p), "new", "{ctx}");
            assert_eq!(which(d, &r), before, "{ctx}");
            if step == "old-staged" {
                let staged = unique_dirs(d, case, "new");
                assert_eq!(staged.len(), 1, "{ctx}");
                assert_eq!(files_in(&staged[0]), ["owner.pid"], "{ctx}");
            }
            if step == "old-claimed" {
                assert_eq!(marker_state(d, &old).as_deref(), Some("old"), "{ctx}");
                assert_eq!(files_in(&d.join(&old)), ["owner.pid"], "{ctx}");
            }
        }
        "old-moved" => {
            assert_eq!(which(d, &r), "absent", "{ctx}");
            assert_eq!(which(d, &format!("{old}/results")), "earlier", "{ctx}");
            assert_eq!(marker_state(d, &p).as_deref(), Some(finished), "{ctx}");
            assert_eq!(which(d, &p), "new", "{ctx}");
        }
        "renamed" | "cleaned" => {
            assert!(!d.join(&p).exists(), "{ctx}");
            assert_eq!(which(d, &r), "new", "{ctx}");
            let marker = marker_state(d, &r);
            if step == "renamed" {
                assert_eq!(marker.as_deref(), Some(finished), "{ctx}");
            } else {
                assert!(marker.is_none(), "{ctx}");
            }
            let old_results = if forced { "earlier" } else { "absent" };
            assert_eq!(which(d, &format!("{old}/results")), old_results, "{ctx}");
        }
        "removing" | "emptied" => {
            assert!(!d.join(&old).exists(), "{ctx}");
            assert_eq!(which(d, &r), "new", "{ctx}");
            let del = unique_dirs(d, case, "del");
            assert_eq!(del.len(), 1, "{ctx}");
            if step == "removing" {
                assert_eq!(files_in(&del[0]), ["owner.pid", "results"], "{ctx}");
            } else {
                assert_eq!(files_in(&del[0]), ["owner.pid"], "{ctx}");
            }
        }
        _ => unreachable!("{step}"),
    }
}

/// What the run after the crash is.
#[derive(Clone, Copy, Debug)]
enum Next {
    /// The same command without --force.
    Plain,
    /// The same command with --force.
    Force,
    /// The crashed command (with --force if it had it) and --resume.
    Resume,
}

/// Steps before the results are marked finished: the interrupted run's results are not kept.
const BEFORE_FINISHED: [&str; 3] = ["staged", "claimed", "synced"];

/// What the next run prints on stderr after a crash at `step`.
fn expected_notes(step: &str, forced: bool) -> Vec<&'static str> {
    let committed = "finished results of an interrupted commit";
    let old_removed = "the earlier results that an interrupted --force run";
    let mut notes = match step {
        "staged" => vec!["that stopped while claiming a directory"],
        "claimed" | "synced" => vec!["that stopped before its first checkpoint"],
        "finished" => vec![committed],
        "old-staged" => vec!["that stopped while claiming a directory", committed],
        "old-claimed" => vec!["left empty by an interrupted --force commit", committed],
        "old-moved" => vec![committed, old_removed],
        "renamed" => vec!["is complete; removed the owner.pid that an interrupted commit"],
        "cleaned" => vec![],
        "removing" | "emptied" => vec!["which an interrupted run (process"],
        _ => unreachable!(),
    };
    if forced && matches!(step, "renamed" | "cleaned") {
        notes.push(old_removed);
    }
    if forced && matches!(step, "finished" | "old-staged" | "old-claimed") {
        notes.push("replacing the earlier results there");
    }
    notes
}

/// Exit code and the results in `r` after the next run.
fn expected_outcome(step: &str, forced: bool, next: Next) -> (i32, &'static str) {
    let before_finished = BEFORE_FINISHED.contains(&step);
    match next {
        Next::Force => (0, "new"),
        Next::Plain if before_finished && forced => (2, "earlier"),
        Next::Plain if before_finished => (0, "new"),
        Next::Plain => (2, "new"),
        Next::Resume if before_finished => (2, if forced { "earlier" } else { "absent" }),
        Next::Resume if matches!(step, "cleaned" | "removing" | "emptied") => (2, "new"),
        Next::Resume => (0, "new"),
    }
}

#[test]
fn a_crash_after_any_commit_step_is_recovered_by_the_next_run_with_or_without_force() {
    let d = Dir::new();
    let new = ["run", "-n", "300", "--seed", "7", "-q"];
    let mut a = new.to_vec();
    a.extend(["--out", "ref"]);
    d.run(&a).ok();
    d.run(&["run", "-n", "100", "--seed", "7", "-q", "--out", "earlier"])
        .ok();
    let plain_steps = [
        "staged", "claimed", "synced", "finished", "renamed", "cleaned",
    ];
    let force_steps = [
        "staged",
        "claimed",
        "synced",
        "finished",
        "old-staged",
        "old-claimed",
        "old-moved",
        "renamed",
        "cleaned",
        "removing",
        "emptied",
    ];
    for forced in [false, true] {
        let steps: &[&str] = if forced { &force_steps } else { &plain_steps };
        for &step in steps {
            for next in [Next::Plain, Next::Force, Next::Resume] {
                let case = format!("{step}-{}-{next:?}", if forced { "f" } else { "p" });
                let out = format!("{case}/r");
                std::fs::create_dir(d.join(&case)).unwrap();
                if forced {
                    std::fs::create_dir(d.join(&out)).unwrap();
                    for e in std::fs::read_dir(d.join("earlier")).unwrap().flatten() {
                        std::fs::copy(e.path(), d.join(&out).join(e.file_name())).unwrap();
                    }
                }
                let mut args = new.to_vec();
                args.extend(["--out", &out]);
                if forced {
                    args.push("--force");
                }
                crash(&d, &args, step);
                check_after_crash(&d, &case, step, forced);

                let mut again = new.to_vec();
                again.extend(["--out", &out]);
                match next {
                    Next::Plain => {}
                    Next::Force => again.push("--force"),
                    Next::Resume if forced => again.extend(["--force", "--resume"]),
                    Next::Resume => again.push("--resume"),
                }
                let r = run_env(&d, &again, None);
                let ctx = format!("crash at {step} (force: {forced}), then {}", r.cmd);
                let (code, results) = expected_outcome(step, forced, next);
                expect_code(&r, code, &ctx);
                for n in expected_notes(step, forced) {
                    assert!(r.stderr().contains(n), "{ctx}: no `{n}` in\n{}", r.stderr());
                }
                assert_eq!(which(&d, &out), results, "{ctx}\n{}", r.stderr());
                assert_clean(&d, &case);
                if code == 0 {
                    assert!(
                        r.stdout().contains(&format!("results written to {out}")),
                        "{ctx}: {}",
                        r.stdout()
                    );
                }
                if code == 2 && matches!(next, Next::Plain) {
                    assert!(
                        r.stderr().contains("already exists"),
                        "{ctx}: {}",
                        r.stderr()
                    );
                }
                if code == 2 && matches!(next, Next::Resume) {
                    assert!(
                        r.stderr().contains("nothing to resume"),
                        "{ctx}: {}",
                        r.stderr()
                    );
                }
            }
        }
    }
}

#[test]
fn recovery_is_itself_crash_safe_and_restores_earlier_results_when_the_new_ones_are_gone() {
    let d = Dir::new();
    d.run(&["run", "-n", "300", "--seed", "7", "-q", "--out", "ref"])
        .ok();
    d.run(&["run", "-n", "100", "--seed", "7", "-q", "--out", "earlier"])
        .ok();
    let forced = [
        "run", "-n", "300", "--seed", "7", "-q", "--out", "c/r", "--force",
    ];
    let plain = ["run", "-n", "300", "--seed", "7", "-q", "--out", "c/r"];
    let setup = || {
        let _ = std::fs::remove_dir_all(d.join("c"));
        std::fs::create_dir_all(d.join("c/r")).unwrap();
        for e in std::fs::read_dir(d.join("earlier")).unwrap().flatten() {
            std::fs::copy(e.path(), d.join("c/r").join(e.file_name())).unwrap();
        }
    };

    // The run that recovers a finished commit crashes in the middle of it; the next one finishes.
    setup();
    crash(&d, &forced, "finished");
    crash(&d, &plain, "old-moved");
    check_after_crash(&d, "c", "old-moved", true);
    let mut resume = plain.to_vec();
    resume.push("--resume");
    let r = run_env(&d, &resume, None);
    expect_code(&r, 0, "resume after two crashes");
    assert!(
        r.stderr().contains("committed them to c/r"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stderr().contains("nothing left to resume"),
        "{}",
        r.stderr()
    );
    assert_eq!(which(&d, "c/r"), "new");
    assert_clean(&d, "c");

    // The earlier results were moved aside and the new ones are gone (deleted by hand): the
    // earlier results come back.
    setup();
    crash(&d, &forced, "old-moved");
    std::fs::remove_dir_all(d.join("c/.r.partial")).unwrap();
    let r = run_env(&d, &plain, None);
    expect_code(&r, 2, "after losing the new results");
    assert!(
        r.stderr()
            .contains("earlier results restored from c/.r.old to c/r"),
        "{}",
        r.stderr()
    );
    assert_eq!(which(&d, "c/r"), "earlier");
    assert_clean(&d, "c");
}

#[test]
fn finished_results_with_a_checkpoint_are_committed_not_rerun_and_unfinished_ones_resume() {
    let d = Dir::new();
    let base = [
        "run",
        "-n",
        "20000",
        "--seed",
        "3",
        "-q",
        "--checkpoint-every",
        "0",
    ];
    let with = |out: &'static str, extra: &[&'static str]| {
        let mut v = base.to_vec();
        v.extend(["--out", out]);
        v.extend(extra);
        v
    };
    d.run(&with("full", &[])).ok();

    // Crashed after the files were flushed but before they were marked finished: the
    // checkpoint is kept for --resume, which gives the same bytes.
    crash(&d, &with("a", &[]), "synced");
    assert!(d.join(".a.partial/checkpoint.json").exists());
    let r = run_env(&d, &with("a", &[]), None);
    expect_code(&r, 2, "same command after a crash at synced");
    assert!(r.stderr().contains("--resume"), "{}", r.stderr());
    let r = run_env(&d, &with("a", &["--resume"]), None);
    expect_code(&r, 0, "--resume after a crash at synced");
    // Run again from the checkpoint: the manifest is the resumed run's.
    assert!(d.read("a/manifest.json").contains("\"--resume\""));
    d.assert_same_csvs("full", "a", false);

    // Crashed once marked finished: --resume commits them without running again, and the
    // checkpoint does not end up among the results.
    crash(&d, &with("b", &[]), "finished");
    assert!(d.join(".b.partial/checkpoint.json").exists());
    let r = run_env(&d, &with("b", &["--resume"]), None);
    expect_code(&r, 0, "--resume after a crash at finished");
    // Not run again: the manifest is the one the crashed run wrote.
    assert!(!d.read("b/manifest.json").contains("\"--resume\""));
    assert!(r.stderr().contains("committed them to b"), "{}", r.stderr());
    d.assert_same_csvs("full", "b", false);
    assert!(!d.join("b/checkpoint.json").exists());
    assert!(!d.join(".b.partial").exists());
}

#[test]
fn default_directories_and_merge_recover_an_interrupted_commit() {
    let d = Dir::new();
    let args = ["run", "-n", "300", "--seed", "7", "-q"];
    d.run(&["run", "-n", "300", "--seed", "7", "-q", "--out", "ref"])
        .ok();
    // The default directory: the next default run commits the finished results to their name
    // and takes the next one for itself; --resume without --out finds them too.
    crash(&d, &args, "finished");
    let r = run_env(&d, &args, None);
    expect_code(&r, 0, "default run after a crash");
    assert!(
        r.stderr()
            .contains("committed them to results/baseline-seed7"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stdout().contains("results/baseline-seed7-2"),
        "{}",
        r.stdout()
    );
    d.assert_same_csvs("ref", "results/baseline-seed7", false);
    d.assert_same_csvs("ref", "results/baseline-seed7-2", false);
    crash(&d, &args, "renamed");
    let mut resume = args.to_vec();
    resume.push("--resume");
    let r = run_env(&d, &resume, None);
    expect_code(&r, 0, "--resume of a default run after a crash at renamed");
    assert!(
        r.stdout()
            .contains("results written to results/baseline-seed7-3"),
        "{}",
        r.stdout()
    );
    assert!(!d.join("results/baseline-seed7-3/owner.pid").exists());
    d.assert_same_csvs("ref", "results/baseline-seed7-3", false);

    // merge commits the same way.
    for k in 1..=2 {
        let (shard, out) = (format!("{k}/2"), format!("s{k}"));
        d.run(&["run", "-n", "300", "--shard", &shard, "--out", &out, "-q"])
            .ok();
    }
    d.run(&["merge", "s1", "s2", "--out", "mref", "-q"]).ok();
    crash(&d, &["merge", "s1", "s2", "--out", "m", "-q"], "finished");
    let r = run_env(&d, &["merge", "s1", "s2", "--out", "m", "-q"], None);
    expect_code(&r, 2, "merge after a crash at finished");
    assert!(r.stderr().contains("committed them to m"), "{}", r.stderr());
    d.assert_same_csvs("mref", "m", false);
    assert!(!d.join(".m.partial").exists());
}

#[test]
fn hidden_directories_the_tool_did_not_make_are_never_touched_and_are_reported() {
    let d = Dir::new();
    let mine = |dir: &str| {
        std::fs::create_dir_all(d.join(dir)).unwrap();
        d.write(&format!("{dir}/notes.txt"), "mine");
    };
    let intact = |dir: &str| assert_eq!(d.read(&format!("{dir}/notes.txt")), "mine", "{dir}");

    // A .NAME.partial of the user's blocks every run to NAME, --force and --resume included.
    mine(".r.partial");
    std::fs::create_dir(d.join(".e.partial")).unwrap(); // empty, still not ours
    std::fs::create_dir(d.join(".f.partial")).unwrap(); // an owner.pid that is not the tool's
    d.write(".f.partial/owner.pid", "1\n");
    for out in ["r", "e", "f"] {
        for extra in [&[][..], &["--force"], &["--resume"]] {
            let mut args = vec!["run", "-n", "50", "-q", "--out", out];
            args.extend(extra);
            let r = d.run(&args).code_is(2);
            assert!(
                r.stderr()
                    .contains(&format!("./.{out}.partial is in the way of {out}")),
                "{}",
                r.stderr()
            );
            assert!(
                r.stderr().contains("help: move or delete"),
                "{}",
                r.stderr()
            );
            assert!(!d.join(out).exists());
        }
    }
    intact(".r.partial");
    assert!(d.join(".e.partial").is_dir());
    assert_eq!(d.read(".f.partial/owner.pid"), "1\n");

    // A .NAME.old of the user's is not in the way of a plain run, and blocks --force before
    // anything runs; the earlier results stay as they were.
    mine(".q.old");
    d.run(&["run", "-n", "50", "-q", "--out", "q"]).ok();
    let before = d.read("q/summary.csv");
    let r = d
        .run(&["run", "-n", "60", "-q", "--out", "q", "--force"])
        .code_is(2);
    assert!(
        r.stderr().contains("./.q.old is in the way of q"),
        "{}",
        r.stderr()
    );
    assert_eq!(d.read("q/summary.csv"), before);
    intact(".q.old");

    // Not even finished results of the tool's get past it: they stay in .NAME.partial until the
    // user moves .NAME.old away.
    d.run(&["run", "-n", "50", "-q", "--out", "w"]).ok();
    crash(
        &d,
        &["run", "-n", "60", "-q", "--out", "w", "--force"],
        "finished",
    );
    mine(".w.old");
    let r = d.run(&["run", "-n", "60", "-q", "--out", "w"]).code_is(2);
    assert!(
        r.stderr().contains("./.w.old is in the way of replacing w"),
        "{}",
        r.stderr()
    );
    assert!(r.stderr().contains("they are kept there"), "{}", r.stderr());
    assert_eq!(
        marker_state(&d, ".w.partial").as_deref(),
        Some("finished-force")
    );
    intact(".w.old");
    std::fs::rename(d.join(".w.old"), d.join("w-old-mine")).unwrap();
    let r = run_env(
        &d,
        &["run", "-n", "60", "-q", "--out", "w", "--force", "--resume"],
        None,
    );
    expect_code(&r, 0, "--resume once .w.old is moved");
    assert!(d.read("w/summary.csv").contains(",60,"));
    intact("w-old-mine");

    // A directory the user put where finished results were to go is not replaced by them.
    crash(&d, &["run", "-n", "50", "-q", "--out", "v"], "finished");
    mine("v");
    for extra in [&[][..], &["--force"]] {
        let mut args = vec!["run", "-n", "50", "-q", "--out", "v"];
        args.extend(extra);
        let r = d.run(&args).code_is(2);
        assert!(r.stderr().contains("were not committed"), "{}", r.stderr());
        intact("v");
        assert_eq!(marker_state(&d, ".v.partial").as_deref(), Some("finished"));
    }
    std::fs::rename(d.join("v"), d.join("v-mine")).unwrap();
    d.run(&["run", "-n", "50", "-q", "--out", "v", "--resume"])
        .ok();
    assert!(d.read("v/summary.csv").contains(",50,"));
    intact("v-mine");

    // Something of the user's under a name like the tool's unique ones is left alone, and said.
    mine(".u.new-0123456789abcdef");
    let r = d.run(&["run", "-n", "50", "-q", "--out", "u"]).ok();
    assert!(r.stderr().contains("left ./.u.new-0123456789abcdef alone"));
    intact(".u.new-0123456789abcdef");

    // Default names: a hidden directory of the user's makes the run take the next name.
    mine("results/.baseline-seed7.partial");
    let r = d.run(&["run", "-n", "50", "--seed", "7", "-q"]).ok();
    assert!(
        r.stdout()
            .contains("results written to results/baseline-seed7-2"),
        "{}",
        r.stdout()
    );
    assert!(
        r.stderr()
            .contains("left results/.baseline-seed7.partial alone"),
        "{}",
        r.stderr()
    );
    intact("results/.baseline-seed7.partial");
}

#[test]
fn a_working_directory_is_judged_by_whether_its_owner_lives_not_by_its_age() {
    let d = Dir::new();
    // A marker naming a live process (not a dialogue-wargame run, but alive all the same).
    let mut sleeper = Command::new("sleep").arg("600").spawn().unwrap();
    let pid = sleeper.id();
    std::fs::create_dir(d.join(".r.partial")).unwrap();
    d.write(
        ".r.partial/owner.pid",
        &format!("{pid}\ndialogue-wargame working 0123456789abcdef -\n"),
    );
    let r = d.run(&["run", "-n", "50", "-q", "--out", "r"]).code_is(2);
    assert!(
        r.stderr()
            .contains(&format!("another run (process {pid}) is writing to r")),
        "{}",
        r.stderr()
    );
    // The same pid with another start time is a reused pid, not the run that wrote the marker.
    if std::path::Path::new("/proc/self/stat").exists() {
        d.write(
            ".r.partial/owner.pid",
            &format!("{pid}\ndialogue-wargame working 0123456789abcdef other-boot/1\n"),
        );
        let r = d.run(&["run", "-n", "50", "-q", "--out", "r"]).ok();
        assert!(
            r.stderr().contains("before its first checkpoint"),
            "{}",
            r.stderr()
        );
        std::fs::remove_dir_all(d.join("r")).unwrap();
        std::fs::create_dir(d.join(".r.partial")).unwrap();
        d.write(
            ".r.partial/owner.pid",
            &format!("{pid}\ndialogue-wargame working 0123456789abcdef -\n"),
        );
    }
    // Once the process is gone, the very next run cleans up: no waiting.
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    let r = d.run(&["run", "-n", "50", "-q", "--out", "r"]).ok();
    assert!(
        r.stderr().contains(&format!(
            "removed ./.r.partial, left by a run (process {pid}) that stopped before its first \
             checkpoint"
        )),
        "{}",
        r.stderr()
    );
    assert!(!d.join(".r.partial").exists());
    assert!(d.join("r/summary.csv").exists());
}
