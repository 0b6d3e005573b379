//! Helpers: run the real binary in a temporary directory and report everything on failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Path of the binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dialogue-wargame"))
}

/// Root of the repository (for scenarios/).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A test's own temporary directory, in which the binary runs.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

/// What a run of the binary produced.
pub struct Run {
    pub cmd: String,
    pub out: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn report(&self) -> String {
        format!(
            "command: {}\nstatus: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.cmd,
            self.out.status,
            self.stdout(),
            self.stderr()
        )
    }
    /// Assert success and return self.
    pub fn ok(self) -> Run {
        assert_eq!(self.code(), 0, "expected success\n{}", self.report());
        self
    }
    /// Assert that stderr contains `needle` and return self.
    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr().contains(needle),
            "expected {needle:?} on stderr\n{}",
            self.report()
        );
        self
    }
    /// Assert this exit code and return self.
    pub fn code_is(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "expected exit code {code}\n{}",
            self.report()
        );
        assert!(
            !self.stderr().contains("panicked"),
            "the binary panicked\n{}",
            self.report()
        );
        self
    }
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("tempdir"),
        }
    }
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }
    pub fn join(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }
    pub fn read(&self, p: &str) -> String {
        std::fs::read_to_string(self.join(p)).unwrap_or_else(|e| panic!("read {p}: {e}"))
    }
    /// Assert that results directories `a` and `b` hold byte-identical CSVs.
    pub fn assert_same_csvs(&self, a: &str, b: &str, with_rows: bool) {
        let mut files = vec!["summary.csv", "comparison.csv", "best.csv"];
        if with_rows {
            files.push("replications.csv");
        }
        for f in files {
            assert!(
                self.read(&format!("{a}/{f}")) == self.read(&format!("{b}/{f}")),
                "{a}/{f} and {b}/{f} differ"
            );
        }
    }

    /// Run the binary with these arguments in this directory.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    /// Run the binary with these arguments and environment variables in this directory.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = Command::new(bin())
            .args(args)
            .current_dir(self.path())
            .env_remove("RUST_BACKTRACE")
            .envs(env.iter().copied())
            .output()
            .expect("spawn binary");
        Run {
            cmd: format!("dialogue-wargame {}", args.join(" ")),
            out,
        }
    }
}

/// Start the binary with these arguments and environment variables in `d`, in the background:
/// stdout discarded, stderr piped (read it with `wait_with_output`).
pub fn spawn<S: AsRef<std::ffi::OsStr>>(d: &Dir, args: &[S], env: &[(&str, &str)]) -> Child {
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

/// Send signal `sig` (`INT`, `TERM`, `KILL`...) to `child` with kill(1).
pub fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([format!("-{sig}"), child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig} failed");
}

/// Run `args` in the background and SIGKILL it once its first checkpoint (of results
/// directory `out`) exists; `false` if it finished first.
pub fn kill_after_first_checkpoint(d: &Dir, args: &[&str], out: &str) -> bool {
    let mut child = spawn(d, args, &[]);
    let checkpoint = dialogue_wargame::output::partial_dir(&d.join(out)).join("checkpoint.json");
    let start = Instant::now();
    while !checkpoint.exists() && start.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    child.wait().unwrap();
    checkpoint.exists() && !d.join(out).exists()
}
