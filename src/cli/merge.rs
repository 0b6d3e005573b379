//! `dialogue-wargame merge DIR... --out DIR`: combine the shards of one run.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::explore;
use crate::interrupt;
use crate::output::checksum::Hashing;
use crate::output::{self, Manifest, ResultsDir};

/// Arguments of `merge`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Reads each shard's manifest.json and state.json (written by `run \
--shard K/N`), checks that they are the N shards of one run (same tool version, \
resolved scenario, seed, replications, designs, baseline, thresholds and shard count, with \
contiguous ranges that cover every replication), and writes summary.csv, comparison.csv and best.csv byte for byte as one unsharded \
run would (and replications.csv when every shard has one). Costs a few milliseconds per shard.\n\n\
Example:\n  dialogue-wargame run --shard 1/2 --out s1\n  \
dialogue-wargame run --shard 2/2 --out s2\n  dialogue-wargame merge s1 s2 --out all"
)]
pub struct Args {
    /// Shard directories, in any order.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Where to write the merged results.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace --out if it exists.
    #[arg(long)]
    pub force: bool,
    /// Do not print the results table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn parse_shard(m: &Manifest, dir: &std::path::Path) -> Result<(u64, u64)> {
    let spec = m.shard.as_deref().ok_or_else(|| {
        Error::usage(
            format!(
                "{}: not a shard (its manifest has no `shard`)",
                dir.display()
            ),
            "merge takes the directories written by `run --shard K/N`",
        )
    })?;
    let parsed = spec
        .split_once('/')
        .and_then(|(k, n)| Some((k.parse().ok()?, n.parse().ok()?)));
    parsed.ok_or_else(|| {
        Error::usage(
            format!("{}: bad shard `{spec}` in its manifest", dir.display()),
            "the manifest was edited or damaged; rerun that shard",
        )
    })
}

/// Run `merge`.
pub fn run(a: Args) -> Result<()> {
    // Signals are polled between files and per block copied; an interrupted merge removes its
    // working directory (rerunning it costs what it cost, so there is nothing to checkpoint).
    let _cooperative = interrupt::cooperative();
    if a.shards.first().is_some_and(|d| output::sweep::is_sweep(d)) {
        return merge_sweep(a);
    }
    let mut shards = Vec::new();
    for dir in &a.shards {
        interrupt::check()?;
        let m = output::read_manifest(&dir.join("manifest.json"))?;
        let (k, n) = parse_shard(&m, dir)?;
        shards.push((k, n, dir.clone(), m));
    }
    shards.sort_by_key(|s| s.0);
    let Some((_, n, first_dir, first)) = shards.first() else {
        return Err(Error::usage(
            "merge: no shard directories given",
            "name the directories written by `run --shard K/N`",
        ));
    };
    // Every shard must belong to the same run: the check `--resume` makes of a checkpoint.
    let first_identity = explore::manifest_identity(first);
    for (_, _, dir, m) in &shards {
        if let Some(what) = explore::same_run(&explore::manifest_identity(m), &first_identity) {
            return Err(Error::usage(
                format!(
                    "{} does not belong with {}: {what} differs",
                    dir.display(),
                    first_dir.display()
                ),
                "merge only the shards of one run (same scenario, overrides, seed, replications, \
                 designs and version)",
            ));
        }
    }
    let ks: Vec<u64> = shards.iter().map(|s| s.0).collect();
    let expected: Vec<u64> = (1..=*n).collect();
    if ks != expected {
        let missing: Vec<String> = expected
            .iter()
            .filter(|k| !ks.contains(k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        let dupes: Vec<String> = ks
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| format!("{}/{n}", w[0]))
            .collect();
        return Err(Error::usage(
            format!(
                "the shards do not make one whole run: missing [{}], given twice [{}]",
                missing.join(", "),
                dupes.join(", ")
            ),
            "name each shard's directory once",
        ));
    }
    // Contiguous and complete ranges.
    let mut next = 0;
    for (_, _, dir, m) in &shards {
        if m.first_replication != next {
            return Err(Error::usage(
                format!(
                    "{}: starts at replication {}, expected {next}",
                    dir.display(),
                    m.first_replication
                ),
                "its manifest was edited or damaged; rerun that shard",
            ));
        }
        next += m.replications;
    }
    if next != first.total_replications {
        return Err(Error::usage(
            format!(
                "the shards hold {next} replications, expected {}",
                first.total_replications
            ),
            "a manifest was edited or damaged; rerun the shards",
        ));
    }

    interrupt::check()?;
    let dir = ResultsDir::create(&a.out, a.force)?;
    let baseline = first.designs.iter().position(|d| *d == first.baseline);
    let mut acc: Option<crate::stats::RunAccumulator> = None;
    for (_, _, d, m) in &shards {
        interrupt::test_pause("merge")?;
        interrupt::check()?;
        if m.state_sha256.is_none() {
            super::note(format_args!(
                "note: {} records no checksums (it was written by an earlier build); its \
                 state.json and replications.csv cannot be checked",
                d.display()
            ));
        }
        let state = output::read_state(&d.join("state.json"), m.state_sha256.as_deref())?;
        // The writers index the state by the manifest's designs.
        if state.n_designs != first.designs.len() || Some(state.baseline) != baseline {
            return Err(Error::usage(
                format!("{}: state.json does not match its manifest", d.display()),
                "the shard was damaged or edited; rerun it",
            ));
        }
        match acc.as_mut() {
            None => acc = Some(state),
            Some(acc) => acc.merge(&state),
        }
    }
    let Some(acc) = acc else {
        return Err(Error::usage(
            "merge: no shards given",
            "name the directories written by `run --shard K/N`",
        ));
    };
    if acc.replications() != first.total_replications {
        return Err(Error::usage(
            format!(
                "the shards' states hold {} replications, their manifests say {}",
                acc.replications(),
                first.total_replications
            ),
            "a state.json was damaged or swapped; rerun the shards",
        ));
    }
    output::write_all(&dir, &acc, &first.designs, &first.ladder)?;
    let with_rows = shards
        .iter()
        .filter(|s| s.2.join("replications.csv").exists())
        .count();
    if with_rows > 0 && with_rows < shards.len() {
        super::note(format_args!(
            "note: only {with_rows} of {} shards have replications.csv (run with \
             --per-replication); the merged directory will not have one",
            shards.len()
        ));
    }
    let replications_sha256 = if with_rows == shards.len() {
        let parts: Vec<Part> = shards
            .iter()
            .map(|s| Part {
                dir: s.2.clone(),
                replications: s.3.replications,
                sha256: s.3.replications_sha256.clone(),
            })
            .collect();
        Some(concat_replications(
            &parts,
            first.designs.len(),
            &dir.file("replications.csv"),
        )?)
    } else {
        None
    };
    let mut manifest = first.clone();
    // The merged directory's own files: its rows, and no state.json.
    (manifest.replications_sha256, manifest.state_sha256) = (replications_sha256, None);
    manifest.replications = first.total_replications;
    manifest.first_replication = 0;
    manifest.shard = None;
    // The run began when its first shard did (RFC 3339 in UTC sorts as text).
    manifest.started_at = shards.iter().filter_map(|s| s.3.started_at.clone()).min();
    if let Some(o) = manifest.options.as_mut() {
        // The merged directory has replications.csv only if every shard had one.
        o.per_replication = with_rows == shards.len();
    }
    manifest.command_line = super::command_line();
    let wall: f64 = shards.iter().map(|s| s.3.wall_seconds).sum();
    manifest.wall_seconds = (wall * 1000.0).round() / 1000.0;
    output::write_manifest(&dir.file("manifest.json"), &manifest)?;
    let (table, _) =
        crate::report::write_tables(dir.work_dir(), false, crate::report::Documents::default())?;
    interrupt::check()?;
    let out = dir.commit()?;
    let mut stdout = std::io::stdout().lock();
    if !a.quiet {
        stdout
            .write_all(table.unwrap_or_default().as_bytes())
            .map_err(Error::stdout)?;
    }
    writeln!(
        stdout,
        "merged {} shards into {}",
        shards.len(),
        out.display()
    )
    .and_then(|()| stdout.flush())
    .map_err(Error::stdout)
}

/// Merge the shards of a sweep.
fn merge_sweep(a: Args) -> Result<()> {
    let dir = ResultsDir::create(&a.out, a.force)?;
    let (out, robustness) = crate::explore::sweep::merge(&a.shards, dir, super::command_line())?;
    super::to_stdout(|w| {
        if !a.quiet {
            super::sweep::print_robustness(w, &robustness)?;
        }
        writeln!(w, "merged {} shards into {}", a.shards.len(), out.display())
    })
}

/// One shard's replications.csv: where, how many replications, and the checksum its manifest
/// records.
struct Part {
    dir: PathBuf,
    replications: u64,
    sha256: Option<String>,
}

/// Concatenate the shards' replications.csv, checking each: its checksum, the same header, one
/// row per replication and design, and a complete last line. A damaged shard is bad input
/// (exit 2). Returns the merged file's SHA-256.
fn concat_replications(shards: &[Part], designs: usize, out: &std::path::Path) -> Result<String> {
    let mut w = std::io::BufWriter::new(Hashing::new(
        File::create(out).map_err(|e| Error::io(format!("cannot create {}", out.display()), e))?,
    ));
    let mut first_header: Option<Vec<u8>> = None;
    for part in shards {
        let replications = &part.replications;
        let p = part.dir.join("replications.csv");
        let f = File::open(&p).map_err(|e| Error::io(format!("cannot open {}", p.display()), e))?;
        // Everything read is hashed, to compare with the shard's manifest at the end.
        let mut r = BufReader::new(Hashing::new(f));
        let mut header = Vec::new();
        r.read_until(b'\n', &mut header)
            .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?;
        match &first_header {
            None => {
                w.write_all(&header)
                    .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
                first_header = Some(header);
            }
            Some(h) if *h != header => {
                return Err(Error::usage(
                    format!("{}: its header differs from the first shard's", p.display()),
                    "the shards were not made by the same version, or the file was edited; \
                     rerun that shard",
                ))
            }
            Some(_) => {}
        }
        let (mut rows, mut last) = (0u64, b'\n');
        loop {
            // A block is at most BufReader's 8 KiB: polling per block costs nothing.
            interrupt::check()?;
            let buf = r
                .fill_buf()
                .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?;
            if buf.is_empty() {
                break;
            }
            rows += buf.iter().filter(|&&b| b == b'\n').count() as u64;
            last = buf[buf.len() - 1];
            w.write_all(buf)
                .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
            let n = buf.len();
            r.consume(n);
        }
        let expected = replications * designs as u64;
        if rows != expected || last != b'\n' {
            return Err(Error::usage(
                format!(
                    "{}: holds {rows} complete rows, expected {expected} ({replications} \
                     replications × {designs} designs); the file is truncated or damaged",
                    p.display()
                ),
                "rerun that shard",
            ));
        }
        if let Some(want) = &part.sha256 {
            if r.get_ref().sha256() != *want {
                return Err(Error::usage(
                    format!(
                        "{}: does not match the checksum its manifest.json records; the rows \
                         were edited, or swapped with another shard's",
                        p.display()
                    ),
                    "rerun that shard (or put back its own replications.csv)",
                ));
            }
        }
    }
    w.flush()
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
    Ok(w.get_ref().sha256())
}
