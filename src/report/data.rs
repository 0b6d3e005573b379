//! A results directory read back from its files: the manifest and every CSV, by column name.
//!
//! The report, the tables and the workbook are made from the files, not from the run's memory,
//! so that `report DIR` on a directory written long ago and `run --report` give the same pages,
//! and so that any CSV the directory holds (a sweep's too) can be shown by its columns.

use std::path::Path;

use crate::error::{Error, Result};
use crate::output::{self, Manifest};

/// The CSV files a report knows, in the order the workbook's sheets and the report's sections
/// take them: a run's, then a sweep's (written by `sweep` when present).
pub const KNOWN_CSVS: [&str; 9] = [
    "summary.csv",
    "comparison.csv",
    "best.csv",
    "ladder.csv",
    "points.csv",
    "results.csv",
    "robustness.csv",
    "sensitivity.csv",
    "discovery.csv",
];

/// One CSV file: its header and its rows as text, exactly as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// File name, e.g. `summary.csv`.
    pub file: String,
    /// Column names.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Read a CSV file.
    pub fn read(path: &Path) -> Result<Table> {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bad = |e: &dyn std::fmt::Display| {
            Error::usage(
                format!("{}: not a readable CSV file: {e}", path.display()),
                "the results directory was damaged or edited; run again (or `rerun` it)",
            )
        };
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .map_err(|e| bad(&e))?;
        let headers: Vec<String> = r
            .headers()
            .map_err(|e| bad(&e))?
            .iter()
            .map(String::from)
            .collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| bad(&e))?;
            rows.push(rec.iter().map(String::from).collect());
        }
        Ok(Table {
            file,
            headers,
            rows,
        })
    }

    /// The position of a column.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Whether the table has every one of these columns.
    pub fn has(&self, names: &[&str]) -> bool {
        names.iter().all(|n| self.col(n).is_some())
    }

    /// A row's cell in a column, as text (empty when the column is missing).
    pub fn text<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.col(name)
            .and_then(|c| row.get(c))
            .map_or("", String::as_str)
    }

    /// A row's cell in a column as a number (None when empty, missing or not a number).
    pub fn num(&self, row: &[String], name: &str) -> Option<f64> {
        self.text(row, name)
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
    }

    /// The rows whose `column` is `value`.
    pub fn rows_where<'a>(
        &'a self,
        column: &'a str,
        value: &'a str,
    ) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.rows
            .iter()
            .filter(move |r| self.text(r, column) == value)
    }
}

/// What a results directory is of: a run's (or a merge's, a rerun's) or a sweep's, in the
/// words the tables and the page use.
#[derive(Clone, Debug, PartialEq)]
pub struct About {
    /// `run` or `sweep` (a manifest's `kind`).
    pub kind: String,
    /// The scenario's name, or the sweep's experiment.
    pub name: String,
    /// Master seed.
    pub seed: u64,
    /// Replications (per point, for a sweep).
    pub replications: u64,
    /// The design the others are compared against.
    pub baseline: String,
    /// Design ids, in output order.
    pub designs: Vec<String>,
}

/// A results directory: its manifest and the CSV files it holds.
#[derive(Clone, Debug)]
pub struct Results {
    /// manifest.json of a run, merge or rerun (None for a sweep's).
    pub manifest: Option<Manifest>,
    /// manifest.json as written, whatever wrote it.
    pub raw_manifest: serde_json::Value,
    /// What the directory is of.
    pub about: About,
    /// Every known CSV present, in [`KNOWN_CSVS`] order.
    pub tables: Vec<Table>,
}

impl Results {
    /// Read a results directory written by `run`, `merge`, `rerun` or `sweep`.
    pub fn load(dir: &Path) -> Result<Results> {
        let manifest_path = dir.join("manifest.json");
        if !manifest_path.is_file() {
            return Err(Error::usage(
                format!(
                    "{}: not a results directory (it has no manifest.json)",
                    dir.display()
                ),
                "name a directory written by `dialogue-wargame run`, e.g. results/baseline-seed2049",
            ));
        }
        let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
            Error::usage(
                format!("{}: cannot read the manifest: {e}", manifest_path.display()),
                "name a results directory written by `run` or `sweep`",
            )
        })?;
        let raw: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            Error::usage(
                format!("{}: not a valid manifest: {e}", manifest_path.display()),
                "the manifest was damaged or edited; rerun that run",
            )
        })?;
        let kind = raw.get("kind").and_then(|k| k.as_str()).unwrap_or("run");
        let manifest = if kind == "run" {
            Some(output::read_manifest(&manifest_path)?)
        } else {
            None
        };
        let text_of = |k: &str| {
            raw.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let about = match &manifest {
            Some(m) => About {
                kind: "run".into(),
                name: m.scenario.clone(),
                seed: m.seed,
                replications: m.replications,
                baseline: m.baseline.clone(),
                designs: m.designs.clone(),
            },
            None => About {
                kind: kind.to_string(),
                name: text_of("experiment"),
                seed: raw.get("seed").and_then(|v| v.as_u64()).unwrap_or(0),
                replications: raw
                    .get("replications")
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
                baseline: text_of("baseline"),
                designs: raw
                    .get("designs")
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|d| d.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
            },
        };
        if raw.get("tool").and_then(|t| t.as_str()) != Some("dialogue-wargame") {
            return Err(Error::usage(
                format!(
                    "{}: not a manifest of dialogue-wargame",
                    manifest_path.display()
                ),
                "name a results directory written by `run` or `sweep`",
            ));
        }
        let mut tables = Vec::new();
        for f in KNOWN_CSVS {
            let p = dir.join(f);
            if p.is_file() {
                tables.push(Table::read(&p)?);
            }
        }
        Ok(Results {
            manifest,
            raw_manifest: raw,
            about,
            tables,
        })
    }

    /// The table read from this file, if the directory holds it.
    pub fn table(&self, file: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.file == file)
    }

    /// The design ids in output order.
    pub fn designs(&self) -> &[String] {
        &self.about.designs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.csv");
        std::fs::write(&p, "design,mean,note\r\na,0.5,\r\nb,,\"q,r\"\r\n").unwrap();
        let t = Table::read(&p).unwrap();
        assert_eq!(t.file, "x.csv");
        assert_eq!(t.num(&t.rows[0], "mean"), Some(0.5));
        assert_eq!(t.num(&t.rows[1], "mean"), None);
        assert_eq!(t.text(&t.rows[1], "note"), "q,r");
        assert_eq!(t.text(&t.rows[1], "absent"), "");
        assert!(t.has(&["design", "mean"]) && !t.has(&["sd"]));
        assert_eq!(t.rows_where("design", "b").count(), 1);
    }
}
