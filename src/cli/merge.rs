//! `dialogue-wargame merge DIR... --out DIR`: combine the shards of one run.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::output::{self, Manifest, ResultsDir};

/// Arguments of `merge`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Reads each shard's manifest.json and state.json (written by `run \
--shard K/N`), checks that they are the N shards of one run (same tool version, \
resolved scenario, seed, replications, designs, baseline, thresholds and shard count, with \
contiguous ranges that cover every replication), and writes summary.csv, comparison.csv and best.csv byte for byte as one unsharded \
run would (and replications.csv when every shard has one). Costs a few milliseconds per shard.\n\n\
Example:\n  dialogue-wargame run --shard 1/2 --out s1 && dialogue-wargame run --shard 2/2 --out s2\n  \
dialogue-wargame merge s1 s2 --out all"
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
        Error::Usage(format!(
            "{}: not a shard (its manifest has no `shard`); merge takes directories written by \
             `run --shard K/N`",
            dir.display()
        ))
    })?;
    let parsed = spec
        .split_once('/')
        .and_then(|(k, n)| Some((k.parse().ok()?, n.parse().ok()?)));
    parsed.ok_or_else(|| Error::Usage(format!("{}: bad shard `{spec}` in manifest", dir.display())))
}

/// Run `merge`.
pub fn run(a: Args) -> Result<()> {
    let mut shards = Vec::new();
    for dir in &a.shards {
        let m = output::read_manifest(&dir.join("manifest.json"))?;
        let (k, n) = parse_shard(&m, dir)?;
        shards.push((k, n, dir.clone(), m));
    }
    shards.sort_by_key(|s| s.0);
    let (_, n, first_dir, first) = &shards[0];
    // Every shard must belong to the same run.
    for (k, n2, dir, m) in &shards {
        let mismatch = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
            Error::Usage(format!(
                "{} does not belong with {}: {what} differs ({a:?} vs {b:?}); merge only the \
                 shards of one run (same scenario, overrides, seed, replications, designs and version)",
                dir.display(),
                first_dir.display()
            ))
        };
        if m.version != first.version {
            return Err(mismatch("tool version", &m.version, &first.version));
        }
        if m.scenario_sha256 != first.scenario_sha256 {
            return Err(mismatch(
                "scenario (sha256)",
                &m.scenario_sha256,
                &first.scenario_sha256,
            ));
        }
        if m.seed != first.seed {
            return Err(mismatch("seed", &m.seed, &first.seed));
        }
        if m.total_replications != first.total_replications {
            return Err(mismatch(
                "replications",
                &m.total_replications,
                &first.total_replications,
            ));
        }
        if m.designs != first.designs || m.baseline != first.baseline {
            return Err(mismatch("designs or baseline", &m.designs, &first.designs));
        }
        if m.thresholds != first.thresholds {
            return Err(mismatch("thresholds", &m.thresholds, &first.thresholds));
        }
        if n2 != n {
            return Err(mismatch("number of shards", n2, n));
        }
        let _ = k;
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
        return Err(Error::Usage(format!(
            "the shards do not make one whole run: missing [{}], given twice [{}]",
            missing.join(", "),
            dupes.join(", ")
        )));
    }
    // Contiguous and complete ranges.
    let mut next = 0;
    for (_, _, dir, m) in &shards {
        if m.first_replication != next {
            return Err(Error::Usage(format!(
                "{}: starts at replication {}, expected {next}",
                dir.display(),
                m.first_replication
            )));
        }
        next += m.replications;
    }
    if next != first.total_replications {
        return Err(Error::Usage(format!(
            "the shards hold {next} replications, expected {}",
            first.total_replications
        )));
    }

    let dir = ResultsDir::create(&a.out, a.force, false)?;
    let mut acc = output::read_state(&shards[0].2.join("state.json"))?;
    for (_, _, d, _) in &shards[1..] {
        let other = output::read_state(&d.join("state.json"))?;
        if other.n_designs != acc.n_designs || other.baseline != acc.baseline {
            return Err(Error::Usage(format!(
                "{}: state does not match its manifest",
                d.display()
            )));
        }
        acc.merge(&other);
    }
    if acc.replications() != first.total_replications {
        return Err(Error::Usage(format!(
            "the shards' states hold {} replications, their manifests say {}; a state file was \
             damaged or swapped",
            acc.replications(),
            first.total_replications
        )));
    }
    output::write_all(&dir, &acc, &first.designs)?;
    let with_rows = shards
        .iter()
        .filter(|s| s.2.join("replications.csv").exists())
        .count();
    if with_rows > 0 && with_rows < shards.len() {
        eprintln!(
            "note: only {with_rows} of {} shards have replications.csv (run with \
             --per-replication); the merged directory will not have one",
            shards.len()
        );
    }
    if with_rows == shards.len() {
        concat_replications(
            &shards.iter().map(|s| s.2.clone()).collect::<Vec<_>>(),
            &dir.file("replications.csv"),
        )?;
    }
    let mut manifest = first.clone();
    manifest.replications = first.total_replications;
    manifest.first_replication = 0;
    manifest.shard = None;
    manifest.command_line = std::env::args().collect();
    let wall: f64 = shards.iter().map(|s| s.3.wall_seconds).sum();
    manifest.wall_seconds = (wall * 1000.0).round() / 1000.0;
    output::write_manifest(&dir.file("manifest.json"), &manifest)?;
    let out = dir.commit()?;
    if !a.quiet {
        super::run::print_table(
            &acc,
            &first.designs,
            acc.replications(),
            manifest.wall_seconds,
        );
    }
    println!("merged {} shards into {}", shards.len(), out.display());
    Ok(())
}

fn concat_replications(dirs: &[PathBuf], out: &std::path::Path) -> Result<()> {
    let mut w = std::io::BufWriter::new(
        File::create(out).map_err(|e| Error::io(format!("cannot create {}", out.display()), e))?,
    );
    for (i, d) in dirs.iter().enumerate() {
        let p = d.join("replications.csv");
        let f = File::open(&p).map_err(|e| Error::io(format!("cannot open {}", p.display()), e))?;
        let mut r = BufReader::new(f);
        if i > 0 {
            // Keep one header: skip the others' first line, byte for byte.
            let mut header = Vec::new();
            r.read_until(b'\n', &mut header)
                .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?;
        }
        std::io::copy(&mut r, &mut w).map_err(|e| {
            Error::io(
                format!("cannot copy {} into {}", p.display(), out.display()),
                e,
            )
        })?;
    }
    w.flush()
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))
}
