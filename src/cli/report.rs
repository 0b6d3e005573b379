//! `dialogue-wargame report`: a finished results directory's report page, charts, tables and
//! (with --xlsx) workbook.

use std::path::PathBuf;

use crate::error::Result;
use crate::report::{self, Documents};

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Reads the results directory's manifest.json and CSV files (a sweep's \
too, when present) and writes into it report.html (one self-contained page: inline SVG and CSS, \
no script, no network), the charts as charts/*.svg for slides, table.txt and table.md, and with \
--xlsx results.xlsx. Takes well under a second; nothing is simulated again.\n\n\
Examples:\n  dialogue-wargame report results/baseline-seed2049\n  \
dialogue-wargame report results/baseline-seed2049 --xlsx --force"
)]
pub struct Args {
    /// The results directory (written by run, merge, rerun or sweep).
    pub dir: PathBuf,
    /// Also write results.xlsx, an Excel workbook: one sheet per table, a README sheet, and
    /// charts of the headline comparisons.
    #[arg(long)]
    pub xlsx: bool,
    /// Replace a report.html, charts/ or results.xlsx already in the directory (the new files
    /// are complete before the old ones go).
    #[arg(long)]
    pub force: bool,
}

/// Run `report`.
pub fn run(a: Args) -> Result<()> {
    let written = report::publish(
        &a.dir,
        Documents {
            html: true,
            xlsx: a.xlsx,
        },
        a.force,
    )?;
    super::to_stdout(|out| {
        for f in &written {
            writeln!(out, "wrote {}", a.dir.join(f).display())?;
        }
        Ok(())
    })
}
