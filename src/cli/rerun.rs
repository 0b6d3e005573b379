//! `dialogue-wargame rerun DIR`: reproduce a results directory from its manifest alone.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::run::{self, Recorded};
use crate::error::{Error, Result};
use crate::output::{self, Manifest, TOOL_COMMIT};
use crate::scenario;

/// Arguments of `rerun`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Reproduce a results directory from its manifest.json alone: the resolved \
scenario recorded there (after extends, --set and --weights, so the scenario files may since \
have been edited or deleted), with the same seed, replications, designs, baseline, thresholds, \
precision targets, shard and --per-replication, into a new directory. Then compare the new CSV \
files with the old ones, byte for byte, and say which are identical. Costs what the original \
run cost.",
    after_help = "A directory written before manifests recorded the resolved scenario is \
refused (exit code 2); run its recorded command_line again instead. Files that differ (a \
different version or build of the tool, or edited results) are named in a warning on stderr; \
the exit code is still 0.\n\n\
Examples:\n  dialogue-wargame rerun results/baseline-seed2049\n  \
dialogue-wargame rerun results/baseline-seed2049 --out /tmp/check -q"
)]
pub struct Args {
    /// A results directory written by `run`, `merge` or `rerun`.
    pub dir: PathBuf,
    /// Where to write (default: DIR-rerun beside DIR, or DIR-rerun-2, -3, ... if taken).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists (the old results stay until the new ones are complete).
    #[arg(long)]
    pub force: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Continue an interrupted rerun of the same directory to the same --out.
    #[arg(long)]
    pub resume: bool,
    /// Seconds between checkpoints, as for `run`.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub checkpoint_every: f64,
    /// No progress bar and no results table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Run `rerun`.
pub fn run(a: Args) -> Result<()> {
    let manifest_path = a.dir.join("manifest.json");
    let m = output::read_manifest(&manifest_path)?;
    let (Some(text), Some(options)) = (&m.resolved_scenario, &m.options) else {
        return Err(Error::Usage(format!(
            "{}: no resolved scenario recorded (`resolved_scenario` and `options` are \
             missing): it was written by a version of dialogue-wargame before `rerun` existed, \
             or edited. To reproduce it, run its command again with unchanged scenario files: \
             {}",
            manifest_path.display(),
            m.command_line.join(" ")
        )));
    };
    let loaded = scenario::load_str(
        &format!("{} (resolved_scenario)", manifest_path.display()),
        text,
        &[],
    )?;
    if loaded.sha256 != m.scenario_sha256 {
        return Err(Error::Usage(format!(
            "{}: the resolved scenario does not match the manifest's scenario_sha256 (it gives \
             {}); the manifest was edited or damaged, so it cannot say what was run",
            manifest_path.display(),
            loaded.sha256
        )));
    }
    if m.version != env!("CARGO_PKG_VERSION") {
        super::note(format_args!(
            "note: {} was written by version {}, this is {}: the numbers may differ",
            a.dir.display(),
            m.version,
            env!("CARGO_PKG_VERSION")
        ));
    } else if let Some(c) = m
        .tool_commit
        .as_deref()
        .filter(|c| *c != "unknown" && *c != TOOL_COMMIT && TOOL_COMMIT != "unknown")
    {
        super::note(format_args!(
            "note: {} was written by a build of commit {c}, this is {TOOL_COMMIT}: if the model \
             changed in between, the numbers differ",
            a.dir.display()
        ));
    }
    let out = match a.out {
        Some(p) => p,
        None => default_out(&a.dir, a.resume)?,
    };
    let args = run::Args {
        scenario: None,
        replications: Some(options.replications),
        seed: Some(m.seed),
        threads: a.threads,
        out: Some(out),
        force: a.force,
        designs: m.designs.clone(),
        baseline: Some(m.baseline.clone()),
        per_replication: options.per_replication,
        set: Vec::new(),
        thresholds: options.thresholds.clone(),
        weights: None,
        precision: options.precision.clone(),
        max_replications: options.max_replications,
        shard: m.shard.clone(),
        resume: a.resume,
        checkpoint_every: a.checkpoint_every,
        quiet: a.quiet,
        strict: options.strict,
        json: false,
        wide: false,
        // The documents the original directory has.
        report: a.dir.join("report.html").exists(),
        xlsx: a.dir.join("results.xlsx").exists(),
    };
    let recorded = Recorded {
        loaded,
        sources: m.scenario_sources.clone(),
        overrides: m.overrides.clone(),
        rerun_of: a.dir.display().to_string(),
    };
    let written = run::execute(args, Some(recorded))?;
    report(&a.dir, &written, &m)
}

/// `DIR-rerun` beside DIR, or the first of `DIR-rerun-2`, `-3`, ... that is free (no
/// directory, and no interrupted run waiting under that name); with `--resume`, the first
/// whose interrupted run is waiting.
fn default_out(dir: &Path, resume: bool) -> Result<PathBuf> {
    let Some(name) = dir.file_name() else {
        return Err(Error::Usage(format!(
            "rerun {}: cannot name a directory beside it; give one with --out",
            dir.display()
        )));
    };
    let parent = dir.parent().unwrap_or(Path::new(""));
    for k in 1..10_000u32 {
        let mut n: OsString = name.to_os_string();
        n.push(if k == 1 {
            "-rerun".to_string()
        } else {
            format!("-rerun-{k}")
        });
        let p = parent.join(n);
        let waiting = output::partial_dir(&p).exists();
        if (resume && waiting) || (!resume && !waiting && !p.exists()) {
            return Ok(p);
        }
        if resume && !p.exists() {
            // No interrupted rerun of DIR under any name: `run` says there is nothing to resume.
            return Ok(p);
        }
    }
    Err(Error::Usage(format!(
        "rerun {}: every name {}-rerun-K is taken; give one with --out",
        dir.display(),
        dir.display()
    )))
}

/// Compare the rerun's files with the original's and say which are identical.
fn report(original: &Path, rerun: &Path, m: &Manifest) -> Result<()> {
    let mut same = Vec::new();
    let mut differ = Vec::new();
    for (f, verdict) in output::compare_results(original, rerun) {
        match verdict {
            Ok(true) => same.push(f),
            Ok(false) => differ.push(f.to_string()),
            Err(e) => differ.push(format!("{f} ({e})")),
        }
    }
    if !differ.is_empty() {
        super::note(format_args!(
            "warning: the rerun differs from {} in {}; it was made by version {}{}",
            original.display(),
            differ.join(", "),
            m.version,
            m.tool_commit
                .as_deref()
                .map(|c| format!(" (commit {c})"))
                .unwrap_or_default()
        ));
    }
    super::to_stdout(|out| {
        if same.is_empty() {
            writeln!(
                out,
                "reproduced none of the files of {}",
                original.display()
            )
        } else {
            writeln!(
                out,
                "reproduced {}: {} identical{}",
                original.display(),
                same.join(", "),
                if differ.is_empty() {
                    ""
                } else {
                    " (the rest differ)"
                }
            )
        }
    })
}
