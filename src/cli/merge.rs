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
        if m.designs != first.designs {
            return Err(mismatch("designs", &m.designs, &first.designs));
        }
        if m.baseline != first.baseline {
            return Err(mismatch("baseline", &m.baseline, &first.baseline));
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

    let dir = ResultsDir::create(&a.out, a.force)?;
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
        let parts: Vec<(PathBuf, u64)> = shards
            .iter()
            .map(|s| (s.2.clone(), s.3.replications))
            .collect();
        concat_replications(&parts, first.designs.len(), &dir.file("replications.csv"))?;
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

/// Concatenate the shards' replications.csv, checking each: the same header, one row per
/// replication and design, and a complete last line. A damaged shard is bad input (exit 2).
fn concat_replications(
    shards: &[(PathBuf, u64)],
    designs: usize,
    out: &std::path::Path,
) -> Result<()> {
    let mut w = std::io::BufWriter::new(
        File::create(out).map_err(|e| Error::io(format!("cannot create {}", out.display()), e))?,
    );
    let mut first_header: Option<Vec<u8>> = None;
    for (dir, replications) in shards {
        let p = dir.join("replications.csv");
        let f = File::open(&p).map_err(|e| Error::io(format!("cannot open {}", p.display()), e))?;
        let mut r = BufReader::new(f);
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
                return Err(Error::Usage(format!(
                    "{}: its header differs from the first shard's; the shards were not made \
                     by the same version, or the file was edited",
                    p.display()
                )))
            }
            Some(_) => {}
        }
        let (mut rows, mut last) = (0u64, b'\n');
        loop {
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
            return Err(Error::Usage(format!(
                "{}: holds {rows} complete rows, expected {expected} ({replications} \
                 replications × {designs} designs); the file is truncated or damaged. Rerun that \
                 shard",
                p.display()
            )));
        }
    }
    w.flush()
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))
}
