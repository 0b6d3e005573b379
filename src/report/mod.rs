//! Reports people look at: the results table (table.txt, table.md, on screen), a
//! self-contained HTML page with SVG charts (report.html, charts/*.svg) and an Excel workbook
//! (results.xlsx), all made from a results directory's files (docs/OUTPUTS.md §14).
//!
//! `run` writes them into its working directory before the commit, so they appear with the
//! rest of the results; `report DIR` adds them to a finished directory, staging every file
//! beside its target and renaming it into place, and never replaces one without `--force`.

pub mod charts;
pub mod data;
pub mod html;
pub mod table;
pub mod xlsx;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use data::{Results, Table};

use crate::error::{Error, Result};

/// Which documents to write besides the tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Documents {
    /// report.html and charts/*.svg.
    pub html: bool,
    /// results.xlsx.
    pub xlsx: bool,
}

/// Name of the folder of chart files.
pub const CHARTS_DIR: &str = "charts";

/// Write a file and flush it to disk (the commit of a results directory relies on every file
/// being on disk before its rename).
fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = fs::File::create(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    f.write_all(bytes)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    f.sync_all()
        .map_err(|e| Error::io(format!("cannot flush {}", path.display()), e))
}

/// Every chart of the report, in page order.
pub fn all_charts(r: &Results) -> Result<Vec<charts::Chart>> {
    let mut out = Vec::new();
    out.extend(charts::tradeoff(r)?);
    out.extend(charts::p_best(r)?);
    out.extend(charts::forests(r)?);
    out.extend(charts::distributions(r)?);
    out.extend(charts::sweep(r)?);
    Ok(out)
}

/// Write table.txt and table.md, and the documents asked for, into `dir`: a results
/// directory still being filled (the working directory of `run`, which commits them with the
/// rest). Returns the files written, relative to `dir`.
pub fn write_into(dir: &Path, r: &Results, docs: Documents) -> Result<Vec<String>> {
    let mut written = Vec::new();
    if r.table("summary.csv").is_some() {
        write_synced(
            &dir.join("table.txt"),
            table::text(r, false, table::WIDTH).as_bytes(),
        )?;
        write_synced(&dir.join("table.md"), table::markdown(r).as_bytes())?;
        written.extend(["table.txt".to_string(), "table.md".to_string()]);
    }
    if docs.html {
        let charts = all_charts(r)?;
        let folder = dir.join(CHARTS_DIR);
        fs::create_dir_all(&folder)
            .map_err(|e| Error::io(format!("cannot create {}", folder.display()), e))?;
        for c in &charts {
            write_synced(&folder.join(format!("{}.svg", c.slug)), c.svg.as_bytes())?;
        }
        if let Ok(d) = fs::File::open(&folder) {
            let _ = d.sync_all();
        }
        write_synced(&dir.join("report.html"), html::page(r, &charts).as_bytes())?;
        written.extend([format!("{CHARTS_DIR}/"), "report.html".to_string()]);
    }
    if docs.xlsx {
        write_synced(&dir.join("results.xlsx"), &xlsx::workbook(r)?)?;
        written.push("results.xlsx".into());
    }
    Ok(written)
}

/// Read the results directory being filled at `dir` (its CSVs and manifest.json written),
/// write its tables and the documents asked for into it, and return the table for the screen
/// (80 columns, or every metric with `wide`; None for a directory without summary.csv, such
/// as a sweep's) with the files written. This is what `run` and `merge` call before their
/// commit, and what `sweep` calls for `--report`/`--xlsx`, after writing its manifest.json.
pub fn write_tables(
    dir: &Path,
    wide: bool,
    docs: Documents,
) -> Result<(Option<String>, Vec<String>)> {
    let r = Results::load(dir)?;
    let written = write_into(dir, &r, docs)?;
    let table = r
        .table("summary.csv")
        .is_some()
        .then(|| table::text(&r, wide, table::WIDTH));
    Ok((table, written))
}

/// The names `publish` would write for these documents (`tables`: a run's directory, with a
/// summary.csv to make them from).
fn outputs(docs: Documents, tables: bool) -> Vec<&'static str> {
    let mut names = if tables {
        vec!["table.txt", "table.md"]
    } else {
        Vec::new()
    };
    if docs.html {
        names.extend([CHARTS_DIR, "report.html"]);
    }
    if docs.xlsx {
        names.push("results.xlsx");
    }
    names
}

/// A hidden staging folder inside a results directory, removed when dropped.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Add the tables and the documents asked for to a finished results directory (`report DIR`):
/// each is written complete into a hidden `.report-PID` folder inside `dir`, then renamed into
/// place, the report page last. An existing report file is replaced only with `force` (tables
/// are rewritten as the same text). Returns the files written, relative to `dir`.
pub fn publish(dir: &Path, docs: Documents, force: bool) -> Result<Vec<String>> {
    // Read first: a directory that is not one of ours is refused before anything is written.
    let r = Results::load(dir)?;
    let tables = r.table("summary.csv").is_some();
    if !force {
        let taken: Vec<&str> = outputs(docs, tables)
            .into_iter()
            .filter(|n| !n.starts_with("table.") && dir.join(n).exists())
            .collect();
        if !taken.is_empty() {
            return Err(Error::usage(
                format!("{}: already holds {}", dir.display(), taken.join(", ")),
                "pass --force to replace them (the new ones are complete before the old go)",
            ));
        }
    }
    let staging = Staging(dir.join(format!(".report-{}", std::process::id())));
    if staging.0.exists() {
        fs::remove_dir_all(&staging.0)
            .map_err(|e| Error::io(format!("cannot remove {}", staging.0.display()), e))?;
    }
    fs::create_dir(&staging.0)
        .map_err(|e| Error::io(format!("cannot create {}", staging.0.display()), e))?;
    let written = {
        let mut written = Vec::new();
        if tables {
            write_synced(
                &staging.0.join("table.txt"),
                table::text(&r, false, table::WIDTH).as_bytes(),
            )?;
            write_synced(&staging.0.join("table.md"), table::markdown(&r).as_bytes())?;
            written.extend(["table.txt".to_string(), "table.md".to_string()]);
        }
        if docs.html {
            let charts = all_charts(&r)?;
            let folder = staging.0.join(CHARTS_DIR);
            fs::create_dir(&folder)
                .map_err(|e| Error::io(format!("cannot create {}", folder.display()), e))?;
            for c in &charts {
                write_synced(&folder.join(format!("{}.svg", c.slug)), c.svg.as_bytes())?;
            }
            write_synced(
                &staging.0.join("report.html"),
                html::page(&r, &charts).as_bytes(),
            )?;
            written.extend([format!("{CHARTS_DIR}/"), "report.html".to_string()]);
        }
        if docs.xlsx {
            write_synced(&staging.0.join("results.xlsx"), &xlsx::workbook(&r)?)?;
            written.push("results.xlsx".into());
        }
        written
    };
    crate::interrupt::check()?;
    // Into place: the old copy (with --force) is moved into the staging folder, which is
    // deleted at the end; report.html goes last, so a page never points at missing charts.
    let mut names = outputs(docs, tables);
    names.sort_by_key(|n| *n == "report.html");
    for name in names {
        let (new, target) = (staging.0.join(name), dir.join(name));
        if target.exists() {
            let old = staging.0.join(format!("old-{name}"));
            fs::rename(&target, &old)
                .map_err(|e| Error::io(format!("cannot move {} aside", target.display()), e))?;
        }
        fs::rename(&new, &target)
            .map_err(|e| Error::io(format!("cannot write {}", target.display()), e))?;
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(written)
}
