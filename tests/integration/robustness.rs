//! Output safety: kills at random moments, interrupts, resume, unwritable destinations.

use std::process::Command;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};

use super::util::{kill_after_first_checkpoint, signal, spawn, Dir};

/// A results directory is either absent or complete: every file present and the CSVs end
/// with a full line.
fn assert_complete_or_absent(d: &Dir, out: &str) {
    let p = d.join(out);
    if !p.exists() {
        return;
    }
    for f in [
        "summary.csv",
        "comparison.csv",
        "best.csv",
        "manifest.json",
        "replications.csv",
    ] {
        let text = std::fs::read_to_string(p.join(f)).unwrap_or_else(|e| panic!("{out}/{f}: {e}"));
        assert!(text.ends_with('\n'), "{out}/{f} is truncated");
    }
    let rows = std::fs::read_to_string(p.join("replications.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows, 1 + 20_000 * 8, "{out}/replications.csv is incomplete");
}

#[test]
fn sigkill_at_random_moments_never_leaves_a_partial_results_directory() {
    let d = Dir::new();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
    let args = [
        "run",
        "-n",
        "20000",
        "--per-replication",
        "-q",
        "--out",
        "r",
        "--force",
        "--checkpoint-every",
        "0",
    ];
    let mut completed = 0;
    for _ in 0..12 {
        let mut child = spawn(&d, &args, &[]);
        let wait = Duration::from_millis(rng.random_range(0..400));
        let start = Instant::now();
        while start.elapsed() < wait {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        completed += status.success() as u32;
        assert_complete_or_absent(&d, "r");
    }
    // The loop is only meaningful if most runs were really killed.
    assert!(
        completed < 12,
        "every run finished before the kill; the test proved nothing"
    );
}

#[test]
fn resume_after_sigkill_gives_the_bytes_of_an_uninterrupted_run() {
    let d = Dir::new();
    let base = [
        "run",
        "-n",
        "60000",
        "--per-replication",
        "-q",
        "--checkpoint-every",
        "0",
    ];
    let mut full = base.to_vec();
    full.extend(["--out", "full"]);
    d.run(&full).ok();

    let mut args = base.to_vec();
    args.extend(["--out", "r"]);
    kill_after_first_checkpoint(&d, &args, "r");
    if d.join("r").exists() {
        // Finished before the kill: nothing to resume, but the result must still be complete.
        assert_eq!(d.read("full/summary.csv"), d.read("r/summary.csv"));
        return;
    }
    // Without --resume the leftover work is not silently discarded or reused.
    let r = d.run(&args).code_is(2);
    assert!(r.stderr().contains("--resume"), "{}", r.stderr());
    // A different command may not resume it.
    let mut other = args.clone();
    other.extend(["--seed", "5", "--resume"]);
    let r = d.run(&other).code_is(2);
    assert!(r.stderr().contains("seed differs"), "{}", r.stderr());
    let mut resume = args.clone();
    resume.push("--resume");
    d.run(&resume).ok();
    d.assert_same_csvs("full", "r", true);
    assert!(!d.join(".r.partial").exists());
}

#[test]
fn sigint_stops_the_run_with_exit_130_and_no_results() {
    let d = Dir::new();
    let mut child = spawn(&d, &["run", "-n", "100000000", "-q", "--out", "r"], &[]);
    std::thread::sleep(Duration::from_millis(500));
    signal(&child, "INT");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!d.join("r").exists());
    // No checkpoint was due (default 10 s), so nothing is left behind.
    assert!(!d.join(".r.partial").exists());
    // SIGTERM too.
    let mut child = spawn(&d, &["run", "-n", "100000000", "-q", "--out", "r"], &[]);
    std::thread::sleep(Duration::from_millis(500));
    signal(&child, "TERM");
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(!d.join("r").exists());
}

#[test]
fn unwritable_destinations_give_a_clear_error() {
    let d = Dir::new();
    // A path below a regular file (ENOTDIR), and /proc, which even root cannot write to.
    d.write("afile", "x");
    let r = d.run(&["run", "-n", "10", "-q", "--out", "afile/out"]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    assert!(r.stderr().contains("afile"), "{}", r.stderr());
    let r = d.run(&[
        "run",
        "-n",
        "10",
        "-q",
        "--out",
        "/proc/dialogue-wargame-test",
    ]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    assert!(r.stderr().starts_with("error: cannot"), "{}", r.stderr());
    assert!(!r.stderr().contains("panicked"));
    // A read-only directory, where permissions apply (not as root).
    let ro = d.join("ro");
    std::fs::create_dir(&ro).unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o555);
    std::fs::set_permissions(&ro, perm).unwrap();
    let r = d.run(&["run", "-n", "10", "-q", "--out", "ro/out"]);
    let writable = std::fs::write(ro.join("probe"), "x").is_ok();
    if !writable {
        assert_eq!(r.code(), 1, "{}", r.stderr());
        assert!(r.stderr().contains("writable"), "{}", r.stderr());
    }
}

#[test]
fn a_second_run_to_the_same_directory_is_refused_and_a_dead_runs_leftovers_are_cleaned() {
    let d = Dir::new();
    let mut child = spawn(&d, &["run", "-n", "100000000", "-q", "--out", "r"], &[]);
    let start = Instant::now();
    while !d.join(".r.partial/owner.pid").exists() && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let r = d.run(&["run", "-n", "100", "-q", "--out", "r"]).code_is(2);
    assert!(r.stderr().contains("another run"), "{}", r.stderr());
    // --force must not pull the directory from under a live run either.
    d.run(&["run", "-n", "100", "-q", "--out", "r", "--force"])
        .code_is(2);
    let _ = child.kill();
    child.wait().unwrap();
    // Killed before any checkpoint: the same command simply runs again.
    d.run(&["run", "-n", "100", "-q", "--out", "r"]).ok();
    assert!(d.join("r/summary.csv").exists());
    assert!(!d.join("r/owner.pid").exists());
    assert!(!d.join(".r.partial").exists());
}

#[test]
fn merge_rejects_damaged_shard_files_with_exit_2() {
    let d = Dir::new();
    for k in 1..=2 {
        d.run(&[
            "run",
            "-n",
            "300",
            "--shard",
            &format!("{k}/2"),
            "--out",
            &format!("s{k}"),
            "-q",
        ])
        .ok();
    }
    let copy = |name: &str| {
        let dst = d.join(name);
        std::fs::create_dir(&dst).unwrap();
        for e in std::fs::read_dir(d.join("s2")).unwrap().flatten() {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
        dst
    };
    type Damage = Box<dyn Fn(&std::path::Path)>;
    let cases: Vec<(&str, Damage, &str)> = vec![
        (
            "truncated-state",
            Box::new(|p| std::fs::write(p.join("state.json"), "{\"n_designs\": 8").unwrap()),
            // The checksum in the manifest sees any change before the file is parsed.
            "does not match the checksum its manifest.json records",
        ),
        (
            "missing-state",
            Box::new(|p| std::fs::remove_file(p.join("state.json")).unwrap()),
            "state.json",
        ),
        (
            "empty-manifest",
            Box::new(|p| std::fs::write(p.join("manifest.json"), "").unwrap()),
            "not a valid manifest",
        ),
        (
            "missing-manifest",
            Box::new(|p| std::fs::remove_file(p.join("manifest.json")).unwrap()),
            "cannot read the manifest",
        ),
        (
            "inconsistent-state",
            Box::new(|p| {
                let s = std::fs::read_to_string(p.join("state.json")).unwrap();
                std::fs::write(
                    p.join("state.json"),
                    s.replacen("\"n_designs\":8", "\"n_designs\":3", 1),
                )
                .unwrap()
            }),
            "does not match the checksum its manifest.json records",
        ),
    ];
    for (name, damage, expected) in cases {
        let p = copy(name);
        damage(&p);
        let r = d
            .run(&["merge", "s1", name, "--out", &format!("m-{name}")])
            .code_is(2);
        assert!(r.stderr().contains(expected), "{name}: {}", r.stderr());
        assert!(!d.join(&format!("m-{name}")).exists());
    }
}

#[test]
fn force_replaces_only_earlier_results() {
    let d = Dir::new();
    std::fs::create_dir(d.join("precious")).unwrap();
    d.write("precious/notes.txt", "important");
    d.write("afile", "x");
    for target in ["precious", "afile", "."] {
        let r = d
            .run(&["run", "-n", "20", "-q", "--out", target, "--force"])
            .code_is(2);
        assert!(
            r.stderr().contains("--force only replaces"),
            "{}",
            r.stderr()
        );
    }
    assert_eq!(d.read("precious/notes.txt"), "important");
    assert_eq!(d.read("afile"), "x");
    // Earlier results are replaced.
    d.run(&["run", "-n", "20", "-q", "--out", "old"]).ok();
    d.run(&["run", "-n", "30", "-q", "--out", "old", "--force"])
        .ok();
    assert!(d.read("old/summary.csv").contains(",30,"));
}

#[test]
fn concurrent_runs_without_out_each_get_their_own_directory() {
    let d = Dir::new();
    let children: Vec<_> = (0..6)
        .map(|_| spawn(&d, &["run", "-n", "300", "-q"], &[]))
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let dirs: Vec<_> = std::fs::read_dir(d.join("results"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(dirs.len(), 6, "{dirs:?}");
    for e in dirs {
        assert!(e.path().join("summary.csv").exists(), "{:?}", e.path());
    }
}

#[test]
fn merge_rejects_a_truncated_replications_csv() {
    let d = Dir::new();
    for k in 1..=2 {
        d.run(&[
            "run",
            "-n",
            "500",
            "--shard",
            &format!("{k}/2"),
            "--out",
            &format!("s{k}"),
            "--per-replication",
            "-q",
        ])
        .ok();
    }
    let rows = std::fs::read(d.join("s2/replications.csv")).unwrap();
    std::fs::write(d.join("s2/replications.csv"), &rows[..rows.len() - 100]).unwrap();
    let r = d.run(&["merge", "s1", "s2", "--out", "m"]).code_is(2);
    assert!(
        r.stderr().contains("truncated or damaged"),
        "{}",
        r.stderr()
    );
    assert!(!d.join("m").exists());
}

#[test]
fn resume_refuses_a_damaged_checkpoint() {
    let d = Dir::new();
    let args = [
        "run",
        "-n",
        "100000",
        "-q",
        "--out",
        "r",
        "--checkpoint-every",
        "0",
    ];
    kill_after_first_checkpoint(&d, &args, "r");
    if d.join("r").exists() {
        return; // finished before the kill; nothing to damage
    }
    let cp = d.read(".r.partial/checkpoint.json");
    let done = cp
        .split("\"done\":")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let damaged = cp.replacen(&format!("\"done\":{done}"), "\"done\":10", 1);
    d.write(".r.partial/checkpoint.json", &damaged);
    let mut resume = args.to_vec();
    resume.push("--resume");
    let r = d.run(&resume).code_is(2);
    assert!(r.stderr().contains("damaged"), "{}", r.stderr());
}

#[test]
fn a_pipe_is_not_read_as_a_scenario() {
    let d = Dir::new();
    let fifo = d.join("pipe.toml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    // Would block forever if the file were opened.
    let r = d.run(&["validate", "pipe.toml"]).code_is(2);
    assert!(r.stderr().contains("not a regular file"), "{}", r.stderr());
}
