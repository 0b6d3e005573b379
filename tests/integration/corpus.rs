//! The corpus of malformed inputs in `tests/corpus/`, each run through the real binary and
//! checked against a golden stderr.
//!
//! # Convention
//!
//! A case is a stem `NN-short-name` with any of these files in `tests/corpus/`:
//!
//! - `NN-short-name.toml`: the scenario. The binary runs with `tests/corpus/` as its current
//!   directory and is given the bare file name, so messages read `NN-short-name.toml:3:5: ...`
//!   on every machine. The `.toml` may be absent (the case tests a nonexistent file), a
//!   directory (tests a directory; it holds a `.gitkeep` so git keeps it) or not UTF-8.
//! - `NN-short-name.args` (optional): extra arguments, one per line (blank lines ignored;
//!   `\n`, `\r`, `\t` and `\\` in a line stand for a line break, a carriage return, a tab and
//!   a backslash, so that an argument can hold them).
//!   - without it the command is `dialogue-wargame validate NN-short-name.toml`;
//!   - with it the command is
//!     `dialogue-wargame run NN-short-name.toml --out OUT --quiet -n 10 ARGS...`, where `OUT`
//!     is a fresh temporary path (written as `OUT` in the golden) and `-n 10` is left out when
//!     ARGS give `-n` or `--replications` themselves (clap rejects the flag twice).
//! - `NN-short-name.expected`: the exact stderr (golden), with the temporary `OUT` path and
//!   the corpus directory's absolute path replaced by `OUT` and `CORPUS`.
//!
//! Every case must exit with code 2 (bad input), must not panic, must print exactly its golden,
//! and must say it in the one style of every diagnostic (`error: WHERE: what was wrong`, then
//! `  help: how to fix it`; a quoted source line `  N | text` may follow an `error:` line). All cases run, and every failure is reported at once with a line diff.
//!
//! # Regenerating the goldens
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test --release --test integration corpus
//! ```
//!
//! rewrites every `.expected` from the binary's current output (exit codes other than 2 and
//! panics still fail the test). Review the change with `git diff tests/corpus` before
//! committing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::util::{bin, repo, Dir, Run};

/// Fewer cases than this means the corpus was lost or mangled.
const MIN_CASES: usize = 45;

fn corpus_dir() -> PathBuf {
    repo().join("tests").join("corpus")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Every case stem in the corpus, sorted.
fn case_stems() -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("read tests/corpus")
        .map(|e| e.expect("read tests/corpus entry").file_name())
        .filter_map(|n| {
            let n = n.to_string_lossy().into_owned();
            [".toml", ".args", ".expected"]
                .iter()
                .find_map(|ext| n.strip_suffix(ext).map(str::to_string))
        })
        .collect();
    stems.sort();
    stems.dedup();
    stems
}

/// One case: its files and the command line it stands for.
struct Case {
    stem: String,
    args: Vec<String>,
    expected: PathBuf,
}

impl Case {
    fn load(stem: &str) -> Case {
        let dir = corpus_dir();
        let file = format!("{stem}.toml");
        let args_path = dir.join(format!("{stem}.args"));
        let args = if args_path.exists() {
            let text = std::fs::read_to_string(&args_path)
                .unwrap_or_else(|e| panic!("read {}: {e}", args_path.display()));
            let extra: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(unescape)
                .collect();
            let mut args: Vec<String> = ["run", &file, "--out", "OUT", "--quiet"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let sets_replications = extra.iter().any(|a| {
                a == "-n"
                    || a == "--replications"
                    || a.starts_with("--replications=")
                    || (a.starts_with("-n") && !a.starts_with("--"))
            });
            if !sets_replications {
                args.extend(["-n".to_string(), "10".to_string()]);
            }
            args.extend(extra);
            args
        } else {
            vec!["validate".to_string(), file]
        };
        Case {
            stem: stem.to_string(),
            args,
            expected: dir.join(format!("{stem}.expected")),
        }
    }

    /// Run the binary in the corpus directory, with `OUT` replaced by a fresh temporary path.
    fn run(&self) -> Run {
        let tmp = Dir::new();
        let out_path = tmp.join("out");
        let out_str = out_path.to_string_lossy().into_owned();
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                if a == "OUT" {
                    out_str.clone()
                } else {
                    a.clone()
                }
            })
            .collect();
        let out = Command::new(bin())
            .args(&args)
            .current_dir(corpus_dir())
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .env("NO_COLOR", "1")
            .output()
            .expect("spawn binary");
        // Normalise the temporary path so the golden is byte-stable.
        let mut run = Run {
            cmd: format!(
                "(cd tests/corpus && dialogue-wargame {})",
                self.args.join(" ")
            ),
            out,
        };
        let stderr = normalise(&run.stderr(), &out_str);
        run.out.stderr = stderr.into_bytes();
        drop(tmp);
        run
    }
}

/// An `.args` line with `\n`, `\r`, `\t` and `\\` replaced by what they stand for.
fn unescape(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some(other) => panic!("unknown escape \\{other} in an .args line: {line}"),
            None => panic!("an .args line ends with a backslash: {line}"),
        }
    }
    out
}

fn normalise(stderr: &str, out: &str) -> String {
    let corpus = corpus_dir().to_string_lossy().into_owned();
    stderr.replace(out, "OUT").replace(&corpus, "CORPUS")
}

/// A line diff of `expected` against `actual` (longest common subsequence), `-` for lines
/// only in the golden and `+` for lines only in the output.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        } else {
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        let _ = writeln!(
            out,
            "(the golden {} with a newline, the output {})",
            if expected.ends_with('\n') {
                "ends"
            } else {
                "does not end"
            },
            if actual.ends_with('\n') {
                "does"
            } else {
                "does not"
            }
        );
    }
    out
}

/// Check one case; `Err` describes every way it failed.
fn check(case: &Case, update: bool) -> Result<(), String> {
    let run = case.run();
    let stderr = run.stderr();
    let mut problems = Vec::new();
    if run.code() != 2 {
        problems.push(format!("exit code {} (expected 2)", run.code()));
    }
    if stderr.contains("panicked") {
        problems.push("the binary panicked".to_string());
    }
    if stderr.trim().is_empty() {
        problems.push("nothing on stderr".to_string());
    }
    if let Some(line) = off_style(&stderr) {
        problems.push(format!(
            "not in the one style of diagnostics (`error: WHERE: what`, `  help: how`, or a \
             quoted source line `  N | text`): {line:?}"
        ));
    }
    if update {
        std::fs::write(&case.expected, &stderr)
            .unwrap_or_else(|e| panic!("write {}: {e}", case.expected.display()));
    } else {
        match std::fs::read(&case.expected) {
            Err(e) => problems.push(format!(
                "no golden {} ({e}); create it with UPDATE_GOLDEN=1",
                rel(&case.expected)
            )),
            Ok(bytes) => {
                let golden = String::from_utf8_lossy(&bytes);
                if golden != stderr {
                    problems.push(format!(
                        "stderr differs from {} (- golden, + actual):\n{}",
                        rel(&case.expected),
                        diff(&golden, &stderr)
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let mut report = format!(
            "=== {}\ncommand: {}\nexit code: {}\n{}\n",
            case.stem,
            run.cmd,
            run.code(),
            problems.join("\n")
        );
        let stdout = run.stdout();
        if !stdout.is_empty() {
            let _ = write!(report, "--- stdout\n{stdout}");
        }
        if !problems.iter().any(|p| p.starts_with("stderr differs")) {
            let _ = write!(report, "--- stderr\n{stderr}");
        }
        Err(report)
    }
}

/// The first line of a diagnostic that is not in the house style: every problem starts a line
/// with `error: `, every fix with `  help: `, and a quoted source line reads `  N | text`.
fn off_style(stderr: &str) -> Option<&str> {
    stderr.lines().find(|line| {
        let quoted = line
            .strip_prefix("  ")
            .and_then(|l| l.split_once(" | ").or_else(|| l.split_once(" |")))
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        !(line.starts_with("error: ") && line.len() > 7 || line.starts_with("  help: ") || quoted)
    })
}

#[test]
fn the_style_check_accepts_the_house_style_only() {
    assert_eq!(
        off_style("error: a.toml:1:2: key: bad\n  3 | x = 1\n  help: fix it\n"),
        None
    );
    assert_eq!(
        off_style("error: x\nb.toml:1:1: y: bad\n"),
        Some("b.toml:1:1: y: bad")
    );
    assert_eq!(
        off_style("error: x\n\nFor more information, try '--help'.\n"),
        Some("")
    );
    assert_eq!(
        off_style("error: unexpected argument\n  tip: use -- -5\n"),
        Some("  tip: use -- -5")
    );
}

fn rel(p: &Path) -> String {
    p.strip_prefix(repo())
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn corpus_of_malformed_inputs() {
    let stems = case_stems();
    assert!(
        stems.len() >= MIN_CASES,
        "only {} cases in tests/corpus, expected at least {MIN_CASES}",
        stems.len()
    );
    let update = updating();
    let failures: Vec<String> = stems
        .iter()
        .map(|s| Case::load(s))
        .filter_map(|c| check(&c, update).err())
        .collect();
    if update {
        eprintln!(
            "UPDATE_GOLDEN: rewrote {} goldens in tests/corpus; review with git diff",
            stems.len()
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed{}:\n\n{}",
        failures.len(),
        stems.len(),
        if update {
            " (goldens were rewritten anyway)"
        } else {
            "; if the new messages are right, regenerate with \
             UPDATE_GOLDEN=1 cargo test --release --test integration corpus"
        },
        failures.join("\n")
    );
}

#[test]
fn corpus_cases_are_complete() {
    // Every case has a golden and either a scenario file or a reason not to (a missing file
    // is a case of its own, named so).
    let dir = corpus_dir();
    for stem in case_stems() {
        assert!(
            dir.join(format!("{stem}.expected")).exists() || updating(),
            "tests/corpus/{stem} has no .expected golden; create it with UPDATE_GOLDEN=1"
        );
        assert!(
            dir.join(format!("{stem}.toml")).exists() || stem.contains("nonexistent"),
            "tests/corpus/{stem} has no .toml (only cases named *nonexistent* may omit it)"
        );
    }
}

/// A file that exists but cannot be read. Not a golden case: permissions do not survive
/// git, and root reads anything, so the test skips itself where the file stays readable.
#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new();
    let p = dir.write("locked.toml", "[scenario]\nextends = \"baseline\"\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&p).is_ok() {
        eprintln!("unreadable_file: skipped, this user can read a mode-000 file (root?)");
        return;
    }
    let run = dir.run(&["validate", "locked.toml"]).code_is(2);
    let err = run.stderr();
    assert!(
        err.contains("locked.toml") && err.contains("cannot read") && err.contains("help:"),
        "expected the file, the reason and a fix:\n{err}"
    );
}
