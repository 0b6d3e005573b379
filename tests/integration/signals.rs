//! Promises kept under attack (issue 12): no panic (exit code 101) from closed or full streams
//! or from paths that are not UTF-8.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::util::{bin, Dir};

fn spawn<S: AsRef<OsStr>>(d: &Dir, args: &[S], env: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(d.path())
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("spawn")
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn refs(args: &[OsString]) -> Vec<&OsStr> {
    args.iter().map(OsString::as_os_str).collect()
}

/// Wait until `path` exists; panic if the child exits first or it takes a minute.
fn wait_for(child: &mut Child, path: &Path, what: &str) {
    let start = Instant::now();
    while !path.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            panic!("the command ended ({status}) before {what} appeared\nstderr: {err}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what} did not appear within a minute"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Run the binary with stdout and stderr as given; exit status and stderr (if captured).
fn run_with(
    d: &Dir,
    args: &[&OsStr],
    stdout: Stdio,
    stderr: Stdio,
    close_stdout: bool,
) -> (i32, String) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(d.path())
        .env_remove("RUST_BACKTRACE")
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("spawn");
    if close_stdout {
        // The reader goes away before the program writes: `| head -0`.
        drop(child.stdout.take());
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), err)
}

fn shards(d: &Dir) {
    for k in 1..=2 {
        d.run(&[
            "run",
            "-n",
            "100",
            "--shard",
            &format!("{k}/2"),
            "--out",
            &format!("s{k}"),
            "-q",
        ])
        .ok();
    }
}

#[test]
fn a_closed_stdout_is_a_quiet_success_and_a_full_one_an_error() {
    let d = Dir::new();
    shards(&d);
    let commands: [&[&str]; 7] = [
        &["list"],
        &["explain", "track-2"],
        &["explain", "track-2", "--toml"],
        &["validate", "baseline", "short-warning"],
        &["run", "-n", "50", "--out", "OUT"],
        &["merge", "s1", "s2", "--out", "OUT"],
        &["--help"],
    ];
    for (i, cmd) in commands.iter().enumerate() {
        let out = format!("closed{i}");
        let args: Vec<&str> = cmd
            .iter()
            .map(|a| if *a == "OUT" { out.as_str() } else { a })
            .collect();
        let args = os(&args);
        let (code, err) = run_with(&d, &refs(&args), Stdio::piped(), Stdio::piped(), true);
        assert_eq!(code, 0, "{cmd:?} to a closed pipe: {err}");
        assert!(err.is_empty(), "{cmd:?} to a closed pipe said: {err}");

        let out = format!("full{i}");
        let args: Vec<&str> = cmd
            .iter()
            .map(|a| if *a == "OUT" { out.as_str() } else { a })
            .collect();
        let args = os(&args);
        let full = std::fs::File::create("/dev/full").unwrap();
        let (code, err) = run_with(&d, &refs(&args), full.into(), Stdio::piped(), false);
        if cmd[0] == "--help" {
            // clap's own printing: nothing to report, nothing lost but the text.
            assert_eq!(code, 0, "{cmd:?} > /dev/full: {err}");
            continue;
        }
        assert_eq!(code, 1, "{cmd:?} > /dev/full: {err}");
        assert!(!err.contains("panicked"), "{cmd:?} > /dev/full: {err}");
        assert!(
            err.starts_with("error: cannot write to standard output"),
            "{cmd:?} > /dev/full: {err}"
        );
    }
    // The results came before the report: they are complete.
    assert!(d.join("closed4/summary.csv").exists());
    assert!(d.join("full4/summary.csv").exists());
    assert!(d.join("full5/summary.csv").exists());
    // An invalid file still fails validation when nobody reads stdout.
    let args = os(&["validate", "baseline", "no-such.toml"]);
    let (code, _) = run_with(&d, &refs(&args), Stdio::piped(), Stdio::piped(), true);
    assert_eq!(code, 2);
}

#[test]
fn a_full_stderr_changes_nothing_but_the_text() {
    let d = Dir::new();
    let cases: [(&[&str], i32); 4] = [
        (&["validate", "no-such.toml"], 2),
        (&["run", "-n", "10", "--out", "x", "--bogus"], 2),
        (
            &[
                "run",
                "-n",
                "100",
                "--max-replications",
                "200",
                "--precision",
                "evacuation=0.0001",
                "-q",
                "--out",
                "p",
            ],
            0,
        ),
        (&["run", "-n", "100", "-q", "--out", "p", "--resume"], 2),
    ];
    for (args, expected) in cases {
        let full = std::fs::File::create("/dev/full").unwrap();
        let a = os(args);
        let (code, _) = run_with(&d, &refs(&a), Stdio::null(), full.into(), false);
        assert_eq!(code, expected, "{args:?} 2> /dev/full");
    }
    assert!(d.join("p/summary.csv").exists());
}

fn non_utf8(prefix: &[u8]) -> OsString {
    let mut b = prefix.to_vec();
    b.extend_from_slice(b"-\xff\xfe");
    OsStr::from_bytes(&b).to_os_string()
}

#[test]
fn paths_that_are_not_utf8_work_end_to_end() {
    let d = Dir::new();
    let out = non_utf8(b"r");
    let args = |extra: &[&str], out: &OsStr| {
        let mut v = os(&["run", "-q", "--checkpoint-every", "0"]);
        v.extend(os(extra));
        v.push("--out".into());
        v.push(out.to_os_string());
        v
    };
    let r = run_with(
        &d,
        &refs(&args(&["-n", "300"], &out)),
        Stdio::null(),
        Stdio::piped(),
        false,
    );
    assert_eq!(r.0, 0, "{}", r.1);
    let dir = d.path().join(&out);
    assert!(dir.join("summary.csv").exists());
    // The manifest records the path lossily and stays valid JSON.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let line = manifest["command_line"].to_string();
    assert!(line.contains("r-\u{fffd}\u{fffd}"), "{line}");

    // Killed after a checkpoint, then resumed to the same bytes.
    d.run(&["run", "-q", "-n", "40000", "--out", "full"]).ok();
    let long = ["-n", "40000", "--threads", "1"];
    let out = non_utf8(b"k");
    let mut partial = OsString::from(".");
    partial.push(&out);
    partial.push(".partial");
    let mut child = spawn(&d, &args(&long, &out), &[]);
    wait_for(
        &mut child,
        &d.path().join(&partial).join("checkpoint.json"),
        "a checkpoint in the non-UTF-8 working directory",
    );
    let _ = child.kill();
    child.wait().unwrap();
    if !d.path().join(&out).exists() {
        let mut resume = args(&long, &out);
        resume.push("--resume".into());
        let r = run_with(&d, &refs(&resume), Stdio::null(), Stdio::piped(), false);
        assert_eq!(r.0, 0, "--resume: {}", r.1);
    }
    for f in ["summary.csv", "comparison.csv", "best.csv"] {
        assert!(
            std::fs::read(d.join("full").join(f)).unwrap()
                == std::fs::read(d.path().join(&out).join(f)).unwrap(),
            "{f} differs after resume"
        );
    }

    // Shards and a merge, all under such names, and a scenario file named so.
    let s1 = non_utf8(b"s1");
    let s2 = non_utf8(b"s2");
    for (k, s) in [(1, &s1), (2, &s2)] {
        let mut a = os(&[
            "run",
            "-n",
            "100",
            "-q",
            "--shard",
            &format!("{k}/2"),
            "--out",
        ]);
        a.push(s.clone());
        let r = run_with(&d, &refs(&a), Stdio::null(), Stdio::piped(), false);
        assert_eq!(r.0, 0, "shard {k}: {}", r.1);
    }
    let m = non_utf8(b"m");
    let mut a = os(&["merge", "-q", "--out"]);
    a.extend([m.clone(), s1, s2]);
    let r = run_with(&d, &refs(&a), Stdio::null(), Stdio::piped(), false);
    assert_eq!(r.0, 0, "merge: {}", r.1);
    assert!(d.path().join(&m).join("summary.csv").exists());

    let scenario = non_utf8(b"scenario");
    std::fs::copy(
        super::util::repo().join("scenarios/baseline.toml"),
        d.path().join(&scenario),
    )
    .unwrap();
    for cmd in [&["validate"][..], &["list"], &["run", "-n", "20", "-q"]] {
        let mut a = os(cmd);
        a.push(scenario.clone());
        let r = run_with(&d, &refs(&a), Stdio::null(), Stdio::piped(), false);
        assert_eq!(r.0, 0, "{cmd:?} with a non-UTF-8 scenario path: {}", r.1);
    }
}

#[test]
fn shard_manifests_that_disagree_with_their_states_are_refused_not_crashed_on() {
    let d = Dir::new();
    shards(&d);
    // Both manifests claim a ninth design that their states do not hold.
    for s in ["s1", "s2"] {
        let p = format!("{s}/manifest.json");
        let text =
            d.read(&p)
                .replacen("\"designs\": [", "\"designs\": [\n    \"extra-design\",", 1);
        d.write(&p, &text);
    }
    let r = d.run(&["merge", "s1", "s2", "--out", "m"]).code_is(2);
    assert!(
        r.stderr().contains("does not match its manifest"),
        "{}",
        r.stderr()
    );
    assert!(!d.join("m").exists());
}
