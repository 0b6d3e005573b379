//! `dialogue-wargame validate FILE...`: check scenarios without running them.

use std::path::Path;

use crate::error::{Error, Result};
use crate::scenario::tree::Origin;
use crate::scenario::{LoadError, Loaded};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every problem in every file is reported at once, each with its file, \
line, column and key path. Exit code 0 if all files are valid, 2 if any is not.\n\n\
Examples:\n  dialogue-wargame validate scenarios/*.toml\n  \
dialogue-wargame validate my-variant.toml --json"
)]
pub struct Args {
    /// Scenario files (paths or built-in names).
    #[arg(required = true)]
    pub files: Vec<std::ffi::OsString>,
    /// Validate as if these overrides were given: KEY.PATH=VALUE.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Print the verdict as JSON on stdout, for scripts: per file `ok`, and each problem's
    /// file, line, column, key, message and help (docs/OUTPUTS.md). The exit code is the same.
    #[arg(long)]
    pub json: bool,
}

/// Run `validate`.
pub fn run(a: Args) -> Result<()> {
    let overrides = super::parse_overrides(&a.set)?;
    let results: Vec<(String, std::result::Result<Loaded, Error>)> = a
        .files
        .iter()
        .map(|f| {
            (
                Path::new(f).display().to_string(),
                super::load_scenario(Some(f), &overrides),
            )
        })
        .collect();
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    // Every file is checked even if stdout has gone: the exit code is the answer.
    let printed = if a.json {
        let report = Report {
            ok: failed == 0,
            files: results.iter().map(|(f, r)| file_report(f, r)).collect(),
        };
        super::to_stdout(|out| {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)
        })
    } else {
        super::to_stdout(|out| {
            for (f, r) in &results {
                if let Ok(l) = r {
                    writeln!(
                        out,
                        "{f}: ok ({} designs, baseline {}, sha256 {})",
                        l.scenario.designs.len(),
                        l.scenario.baseline,
                        l.sha256.get(..16).unwrap_or(&l.sha256)
                    )?;
                }
            }
            Ok(())
        })
    };
    if failed == 0 {
        return printed;
    }
    if a.json {
        return Err(Error::Usage(format!(
            "{failed} of {} scenario files have problems (listed in the JSON on standard output)",
            results.len()
        )));
    }
    let failures: Vec<String> = results
        .into_iter()
        .filter_map(|(_, r)| r.err().map(|e| e.to_string()))
        .collect();
    Err(Error::Usage(failures.join("\nerror: ")))
}

/// What `validate --json` prints.
#[derive(serde::Serialize)]
struct Report {
    /// Whether every file is valid.
    ok: bool,
    /// One entry per file, in the order given.
    files: Vec<FileReport>,
}

/// One file's verdict.
#[derive(serde::Serialize)]
struct FileReport {
    /// The file as named on the command line.
    file: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    designs: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    /// Empty when the file is valid.
    errors: Vec<Problem>,
}

/// One problem, located.
#[derive(serde::Serialize)]
struct Problem {
    /// The file (or `<builtin NAME>`) the problem is in; null for a problem in a flag.
    file: Option<String>,
    /// 1-based line and column, where the problem has a place in the file.
    line: Option<usize>,
    column: Option<usize>,
    /// The flag the problem is in (`--set KEY=VALUE`), for a problem in a flag.
    flag: Option<String>,
    /// The key path (`beijing.sensitivity`), where the problem is in a key.
    key: Option<String>,
    /// What is wrong and what was expected.
    message: String,
    /// How to fix it, where there is something specific to say.
    help: Option<String>,
}

fn file_report(file: &str, r: &std::result::Result<Loaded, Error>) -> FileReport {
    match r {
        Ok(l) => FileReport {
            file: file.to_string(),
            ok: true,
            scenario: Some(l.scenario.name.clone()),
            designs: Some(l.scenario.designs.len()),
            baseline: Some(l.scenario.baseline.clone()),
            sha256: Some(l.sha256.clone()),
            errors: Vec::new(),
        },
        Err(e) => FileReport {
            file: file.to_string(),
            ok: false,
            scenario: None,
            designs: None,
            baseline: None,
            sha256: None,
            errors: match e {
                Error::Scenario(le) => problems(file, le),
                other => vec![Problem {
                    file: Some(file.to_string()),
                    line: None,
                    column: None,
                    flag: None,
                    key: None,
                    message: other.to_string(),
                    help: None,
                }],
            },
        },
    }
}

/// The problems of a load, located. A [`LoadError`] keeps each problem's key, message and
/// help, and renders its location (`FILE:LINE:COL`, or the flag) into its text, one block per
/// problem in order: `LOCATION: [KEY: ]MESSAGE[\n  help: HELP]`. The location is read back from
/// there; where that fails, the problem is still reported, in `file`.
fn problems(file: &str, e: &LoadError) -> Vec<Problem> {
    let rendered = e.to_string();
    let mut at = 0;
    e.diagnostics
        .iter()
        .map(|d| {
            let mut tail = String::new();
            if !d.path.is_empty() {
                tail.push_str(&d.path);
                tail.push_str(": ");
            }
            tail.push_str(&d.message);
            if let Some(h) = &d.help {
                tail.push_str("\n  help: ");
                tail.push_str(h);
            }
            let block = rendered.get(at..).unwrap_or("");
            let loc = match block.find(&format!(": {tail}")) {
                Some(i) => {
                    at += i + 2 + tail.len() + 1;
                    block.get(..i)
                }
                None => None,
            };
            let mut p = Problem {
                file: Some(file.to_string()),
                line: None,
                column: None,
                flag: None,
                key: (!d.path.is_empty()).then(|| d.path.clone()),
                message: d.message.clone(),
                help: d.help.clone(),
            };
            match (&d.origin, loc) {
                (Some(Origin::Override(shown)), _) => {
                    p.file = None;
                    p.flag = Some(shown.clone());
                }
                (Some(Origin::File { .. }), Some(loc)) => {
                    let mut parts = loc.rsplitn(3, ':');
                    let col = parts.next().and_then(|c| c.parse().ok());
                    let line = parts.next().and_then(|l| l.parse().ok());
                    if let (Some(col), Some(line), Some(name)) = (col, line, parts.next()) {
                        p.file = Some(name.to_string());
                        p.line = Some(line);
                        p.column = Some(col);
                    }
                }
                (None, Some(loc)) => p.file = Some(loc.to_string()),
                _ => {}
            }
            p
        })
        .collect()
}
