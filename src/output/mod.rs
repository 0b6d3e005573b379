//! Writers: CSV rows for the summaries, comparisons and replications, the manifest, and the
//! atomic results directory. Column meanings: docs/OUTPUTS.md.

mod dir;
mod tables;

pub use dir::{default_out_dir, ResultsDir};
pub use tables::{
    best_rows, comparison_rows, fmt_num, summary_rows, BestRow, ComparisonRow, Manifest,
    ReplicationWriter, SummaryRow,
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
