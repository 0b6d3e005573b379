//! Writers: CSV rows for the summaries, comparisons and replications, the manifest, and the
//! atomic results directory. Column meanings: docs/OUTPUTS.md.

pub mod checksum;
mod dir;
pub mod report;
pub mod resolved;
pub mod sweep;
mod tables;

pub use dir::{default_name, partial_dir, resumable_out_dir, ResultsDir, CHECKPOINT};
pub use tables::{
    best_rows, comparison_rows, fmt_num, now_rfc3339, summary_rows, world_header, write_csv,
    BestRow, ComparisonRow, Manifest, PrecisionResult, ReplicationWriter, RunOptions, SummaryRow,
    TOOL_COMMIT,
};

use std::path::Path;

use crate::error::{Error, Result};
use crate::stats::RunAccumulator;

/// Write summary.csv, comparison.csv, best.csv and ladder.csv into `dir`; `ladder` names the
/// escalation ladder's rungs, mildest first.
pub fn write_all(
    dir: &ResultsDir,
    acc: &RunAccumulator,
    ids: &[String],
    ladder: &[String],
) -> Result<()> {
    // summary.csv and best.csv always have rows (at least the baseline's).
    tables::write_csv(&dir.file("summary.csv"), &summary_rows(acc, ids), &[])?;
    let comparison = comparison_rows(acc, ids);
    tables::write_csv(
        &dir.file("comparison.csv"),
        &comparison,
        &tables::COMPARISON_HEADER,
    )?;
    tables::write_csv(&dir.file("best.csv"), &best_rows(acc, ids), &[])?;
    tables::write_csv(
        &dir.file("ladder.csv"),
        &tables::ladder_rows(acc, ids, ladder),
        &tables::LADDER_HEADER,
    )?;
    Ok(())
}

/// The files of a results directory that a run with the same manifest reproduces byte for
/// byte, where the directory has them.
pub const REPRODUCIBLE: [&str; 6] = [
    "summary.csv",
    "comparison.csv",
    "best.csv",
    "ladder.csv",
    "replications.csv",
    "state.json",
];

/// For each [`REPRODUCIBLE`] file of the results directory `original`, whether `other` holds
/// the same bytes (a file missing from `other` differs).
pub fn compare_results(
    original: &Path,
    other: &Path,
) -> Vec<(&'static str, std::io::Result<bool>)> {
    REPRODUCIBLE
        .iter()
        .filter(|f| original.join(f).exists())
        .map(|&f| (f, same_bytes(&original.join(f), &other.join(f))))
        .collect()
}

/// Whether two files hold the same bytes (a missing second file differs); streamed, since
/// replications.csv can be gigabytes.
fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (Ok(mb), ma) = (std::fs::metadata(b), std::fs::metadata(a)?) else {
        return Ok(false);
    };
    if ma.len() != mb.len() {
        return Ok(false);
    }
    let (mut fa, mut fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

/// Write one file atomically: to a hidden temporary file beside it, flushed to disk, then
/// renamed over `path`, so a crash or a full disk leaves the old file or the new one, never a
/// part. The caller decides whether an existing file may be replaced.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("cannot write {}", path.display()), e)
    })?;
    // Make the rename durable where the filesystem can.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Write manifest.json.
pub fn write_manifest(path: &Path, m: &Manifest) -> Result<()> {
    write_pretty_json(path, m)
}

/// Write `value` as indented JSON and a final newline (the manifests).
pub fn write_pretty_json<T: serde::Serialize + ?Sized>(path: &Path, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Json {
        context: format!("cannot encode {}", path.display()),
        source: e,
    })?;
    std::fs::write(path, text + "\n")
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Write the accumulator as state.json, the input of `merge`; returns the file's SHA-256, for
/// the manifest.
pub fn write_state(path: &Path, acc: &RunAccumulator) -> Result<String> {
    let bytes = to_json(path, acc)?;
    write_atomically(path, &bytes)?;
    Ok(checksum::sha256_hex(&bytes))
}

fn to_json<T: serde::Serialize + ?Sized>(path: &Path, value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Json {
        context: format!("cannot encode {}", path.display()),
        source: e,
    })
}

/// Write `bytes` to `path` through a temporary file that is flushed to disk and then renamed,
/// so a crash leaves either the old file or the new one.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("json.tmp");
    let mut file = std::fs::File::create(&tmp)
        .map_err(|e| Error::io(format!("cannot create {}", tmp.display()), e))?;
    file.write_all(bytes)
        .map_err(|e| Error::io(format!("cannot write {}", tmp.display()), e))?;
    file.sync_all()
        .map_err(|e| Error::io(format!("cannot flush {}", tmp.display()), e))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Read a state.json written by [`write_state`]; `sha256` is the checksum its manifest
/// records (absent in manifests written before checksums were).
pub fn read_state(path: &Path, sha256: Option<&str>) -> Result<RunAccumulator> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::usage(
            format!("{}: cannot read the state file: {e}", path.display()),
            "merge needs the directories written by `run --shard K/N`, each with its state.json",
        )
    })?;
    if let Some(want) = sha256 {
        if checksum::sha256_hex(&bytes) != want {
            return Err(Error::usage(
                format!(
                    "{}: does not match the checksum its manifest.json records; the file was \
                     edited, damaged, or swapped with another shard's",
                    path.display()
                ),
                "rerun that shard (or put back its own state.json)",
            ));
        }
    }
    let mut acc: RunAccumulator = serde_json::from_slice(&bytes).map_err(|e| {
        Error::usage(
            format!("{}: not a valid state file: {e}", path.display()),
            "the shard was damaged or edited; rerun it",
        )
    })?;
    acc.restore();
    if !acc.shape_ok() {
        return Err(Error::usage(
            format!(
                "{}: the state file is inconsistent (sizes do not match its designs)",
                path.display()
            ),
            "it was damaged or edited; rerun that shard",
        ));
    }
    Ok(acc)
}

/// Read a manifest.json.
pub fn read_manifest(path: &Path) -> Result<Manifest> {
    read_json_manifest(path, "manifest", "run")
}

/// Read a manifest.json written by `command` (`run`, `sweep`); `what` names it in the message
/// when it does not parse ("manifest", "sweep manifest").
pub(crate) fn read_json_manifest<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
    command: &str,
) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::usage(
            format!("{}: cannot read the manifest: {e}", path.display()),
            format!("name a results directory written by `{command}`"),
        )
    })?;
    // A directory of another command (a run's named where a sweep's is wanted, a study's
    // where a run's is) is a mistake of the name, not a damaged manifest: say which it is.
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or("run");
        if kind != command {
            return Err(Error::usage(
                format!(
                    "{}: this is the manifest of a {kind}'s results, not a {command}'s",
                    path.display()
                ),
                format!("name a results directory written by `{command}`"),
            ));
        }
    }
    serde_json::from_str(&text).map_err(|e| {
        Error::usage(
            format!("{}: not a valid {what}: {e}", path.display()),
            format!("the manifest was damaged or edited; rerun that {command}"),
        )
    })
}

/// What makes two runs the same run: `--resume` refuses a checkpoint of a different one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunIdentity {
    /// Crate version.
    pub version: String,
    /// SHA-256 of the resolved scenario.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Design ids in output order.
    pub designs: Vec<String>,
    /// Baseline id.
    pub baseline: String,
    /// Thresholds as METRIC=VALUE.
    pub thresholds: Vec<String>,
    /// --replications (the batch size with --precision).
    pub replications: u64,
    /// --max-replications with --precision.
    pub limit: u64,
    /// --shard, if any.
    pub shard: Option<String>,
    /// --precision targets as typed.
    pub precision: Vec<String>,
    /// Whether replications.csv is written.
    pub per_replication: bool,
}

impl RunIdentity {
    /// The first field in which two identities differ, by name.
    pub fn difference(&self, o: &RunIdentity) -> Option<&'static str> {
        if self.version != o.version {
            Some("tool version")
        } else if self.scenario_sha256 != o.scenario_sha256 {
            Some("scenario or --set overrides")
        } else if self.seed != o.seed {
            Some("seed")
        } else if self.designs != o.designs || self.baseline != o.baseline {
            Some("designs or baseline")
        } else if self.thresholds != o.thresholds {
            Some("thresholds")
        } else if self.precision != o.precision {
            Some("precision targets")
        } else if self.replications != o.replications || self.limit != o.limit {
            Some("replications")
        } else if self.shard != o.shard {
            Some("shard")
        } else if self.per_replication != o.per_replication {
            Some("--per-replication")
        } else {
            None
        }
    }
}

/// A checkpoint of a run in progress: enough to continue it to the same bytes.
#[derive(Debug)]
pub struct Checkpoint {
    /// Which run.
    pub identity: RunIdentity,
    /// Replications [first, done) are in `acc` (and in replications.csv).
    pub done: u64,
    /// The end of the batch being run.
    pub end: u64,
    /// Length of replications.csv at `done`.
    pub rows_bytes: u64,
    /// SHA-256 of those `rows_bytes` bytes of replications.csv (with --per-replication).
    pub rows_sha256: Option<String>,
    /// The accumulator at `done`.
    pub acc: RunAccumulator,
}

/// A checkpoint as written: the accumulator's JSON as it was written, with its SHA-256, so
/// that an edit to it is seen (re-encoding a parsed accumulator need not give its bytes back).
#[derive(serde::Serialize, serde::Deserialize)]
struct CheckpointFile<A> {
    identity: RunIdentity,
    done: u64,
    end: u64,
    rows_bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rows_sha256: Option<String>,
    /// Absent in checkpoints written before checksums were.
    #[serde(default)]
    acc_sha256: Option<String>,
    acc: A,
}

/// Write a checkpoint atomically (temporary file, fsync, rename).
pub fn write_checkpoint(path: &Path, cp: &Checkpoint) -> Result<()> {
    let acc = serde_json::to_string(&cp.acc).map_err(|e| Error::Json {
        context: format!("cannot encode {}", path.display()),
        source: e,
    })?;
    let raw = serde_json::value::RawValue::from_string(acc).map_err(|e| Error::Json {
        context: format!("cannot encode {}", path.display()),
        source: e,
    })?;
    let file = CheckpointFile {
        identity: cp.identity.clone(),
        done: cp.done,
        end: cp.end,
        rows_bytes: cp.rows_bytes,
        rows_sha256: cp.rows_sha256.clone(),
        acc_sha256: Some(checksum::sha256_hex(raw.get().as_bytes())),
        acc: &*raw,
    };
    write_atomically(path, &to_json(path, &file)?)
}

/// Read a checkpoint, checking its accumulator against the checksum it records.
pub fn read_checkpoint(path: &Path) -> Result<Checkpoint> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::usage(
            format!("--resume: cannot read {}: {e}", path.display()),
            "pass --force to start over",
        )
    })?;
    let damaged = |what: String| {
        Error::usage(
            format!("--resume: {} is damaged ({what})", path.display()),
            "pass --force to start over",
        )
    };
    let file: CheckpointFile<Box<serde_json::value::RawValue>> =
        serde_json::from_slice(&bytes).map_err(|e| damaged(e.to_string()))?;
    if let Some(want) = &file.acc_sha256 {
        if checksum::sha256_hex(file.acc.get().as_bytes()) != *want {
            return Err(damaged(
                "its accumulated results do not match the checksum it records; it was edited"
                    .into(),
            ));
        }
    }
    let acc: RunAccumulator =
        serde_json::from_str(file.acc.get()).map_err(|e| damaged(e.to_string()))?;
    let mut cp = Checkpoint {
        identity: file.identity,
        done: file.done,
        end: file.end,
        rows_bytes: file.rows_bytes,
        rows_sha256: file.rows_sha256,
        acc,
    };
    cp.acc.restore();
    if !cp.acc.shape_ok() {
        return Err(Error::usage(
            format!("--resume: {} is inconsistent", path.display()),
            "pass --force to start over",
        ));
    }
    Ok(cp)
}
