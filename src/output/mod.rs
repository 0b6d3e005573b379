//! Writers: CSV rows for the summaries, comparisons and replications, the manifest, and the
//! atomic results directory. Column meanings: docs/OUTPUTS.md.

mod dir;
mod tables;

pub use dir::{default_out_dir, ResultsDir};
pub use tables::{
    best_rows, comparison_rows, fmt_num, summary_rows, BestRow, ComparisonRow, Manifest,
    PrecisionResult, ReplicationWriter, SummaryRow,
};

use std::path::Path;

use crate::error::{Error, Result};
use crate::stats::RunAccumulator;

/// Write summary.csv, comparison.csv and best.csv into `dir`.
pub fn write_all(dir: &ResultsDir, acc: &RunAccumulator, ids: &[String]) -> Result<()> {
    tables::write_csv(&dir.file("summary.csv"), &summary_rows(acc, ids))?;
    tables::write_csv(&dir.file("comparison.csv"), &comparison_rows(acc, ids))?;
    tables::write_csv(&dir.file("best.csv"), &best_rows(acc, ids))?;
    Ok(())
}

/// Write manifest.json.
pub fn write_manifest(path: &Path, m: &Manifest) -> Result<()> {
    let text = serde_json::to_string_pretty(m).map_err(|e| Error::Json {
        context: format!("cannot encode {}", path.display()),
        source: e,
    })?;
    std::fs::write(path, text + "\n")
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Write the accumulator as state.json, the input of `merge` and `--resume`.
pub fn write_state(path: &Path, acc: &RunAccumulator) -> Result<()> {
    let file = std::fs::File::create(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    let mut w = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut w, acc).map_err(|e| Error::Json {
        context: format!("cannot write {}", path.display()),
        source: e,
    })?;
    std::io::Write::flush(&mut w)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Read a state.json written by [`write_state`].
pub fn read_state(path: &Path) -> Result<RunAccumulator> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    let mut acc: RunAccumulator = serde_json::from_reader(std::io::BufReader::new(file))
        .map_err(|e| Error::Usage(format!("{}: not a valid state file: {e}", path.display())))?;
    acc.restore();
    if !acc.shape_ok() {
        return Err(Error::Usage(format!(
            "{}: the state file is inconsistent (sizes do not match its designs); it was \
             damaged or edited",
            path.display()
        )));
    }
    Ok(acc)
}

/// Read a manifest.json.
pub fn read_manifest(path: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("{}: cannot read the manifest: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: not a valid manifest: {e}", path.display())))
}
