//! An explored set of points read back from a results directory: each point's parameter
//! values and each design's value of each metric there.
//!
//! Two sources: a sweep's `points.csv` and `results.csv` (a point is a point of the
//! experiment, a value the mean over its replications), or a run's `replications.csv` written
//! with `--per-replication` (a point is one replication, its parameters the world draws, the
//! `world_*` columns, and a value that replication's score). The second lets discovery and the
//! value of information run over the uncertainty inside one scenario.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::explore::sweep::PointState;
use crate::metric::{Metric, N_METRICS};
use crate::output::fmt_num;

/// Which file the points came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A sweep: points.csv and results.csv.
    Sweep,
    /// A run's replications.csv.
    Replications,
}

/// Points, their parameters and every design's metrics at each.
#[derive(Clone, Debug)]
pub struct Table {
    /// Where the points came from.
    pub source: Source,
    /// Parameter names as in the file (`beijing.sensitivity`, `world_warning_days`, `scenario`).
    pub names: Vec<String>,
    /// Per parameter, the list of its values when they are words (a list parameter, the
    /// scenario): the points hold the index into it. `None` for numbers.
    pub levels: Vec<Option<Vec<String>>>,
    /// One row of parameter values per point.
    pub points: Vec<Vec<f64>>,
    /// The designs, in the file's order.
    pub designs: Vec<String>,
    /// `values[point][design][metric index]`.
    pub values: Vec<Vec<[f64; N_METRICS]>>,
    /// Each point's scenario (a sweep's; empty for a run's replications).
    pub scenarios: Vec<String>,
}

impl Table {
    /// Read the points of the results directory `dir`: a sweep's (points.csv) or a run's
    /// (replications.csv).
    pub fn read(dir: &Path) -> Result<Table> {
        if dir.join("points.csv").is_file() && dir.join("results.csv").is_file() {
            read_sweep(dir)
        } else if dir.join("replications.csv").is_file() {
            read_replications(dir)
        } else {
            Err(Error::usage(
                format!(
                    "{}: neither a sweep's results (points.csv and results.csv) nor a run's \
                     replications.csv is there",
                    dir.display()
                ),
                "name the directory `sweep` wrote, or one `run --per-replication` wrote",
            ))
        }
    }

    /// The points of a sweep held in memory (`states` in point order, all of one scenario
    /// or not), as [`Table::read`] would read them from its files (means rounded as
    /// results.csv prints them).
    pub fn from_states(keys: &[String], states: &[PointState], ids: &[String]) -> Table {
        let raw: Vec<Vec<String>> = states.iter().map(|s| s.values.clone()).collect();
        let (points, levels) = encode(raw, keys.len());
        let values = states
            .iter()
            .map(|s| {
                (0..ids.len())
                    .map(|d| {
                        let mut ms = [0.0; N_METRICS];
                        for (m, v) in ms.iter_mut().enumerate() {
                            // As results.csv prints it, so that analysing a sweep's directory
                            // and its points in memory give the same bytes.
                            let mean = s.acc.moments(d, m).mean();
                            *v = fmt_num(mean).parse().unwrap_or(mean);
                        }
                        ms
                    })
                    .collect()
            })
            .collect();
        Table {
            source: Source::Sweep,
            names: keys.to_vec(),
            levels,
            points,
            designs: ids.to_vec(),
            values,
            scenarios: states.iter().map(|s| s.scenario.clone()).collect(),
        }
    }

    /// The points of each scenario, in order of first appearance, each without the `scenario`
    /// column.
    pub fn by_scenario(&self) -> Vec<(String, Table)> {
        let mut names: Vec<&String> = Vec::new();
        for s in &self.scenarios {
            if !names.contains(&s) {
                names.push(s);
            }
        }
        let keep: Vec<usize> = (0..self.names.len())
            .filter(|&j| self.names[j] != "scenario")
            .collect();
        names
            .into_iter()
            .map(|sc| {
                let rows: Vec<usize> = (0..self.points.len())
                    .filter(|&p| self.scenarios[p] == *sc)
                    .collect();
                let t = Table {
                    source: self.source,
                    names: keep.iter().map(|&j| self.names[j].clone()).collect(),
                    levels: keep.iter().map(|&j| self.levels[j].clone()).collect(),
                    points: rows
                        .iter()
                        .map(|&p| keep.iter().map(|&j| self.points[p][j]).collect())
                        .collect(),
                    designs: self.designs.clone(),
                    values: rows.iter().map(|&p| self.values[p].clone()).collect(),
                    scenarios: rows.iter().map(|&p| self.scenarios[p].clone()).collect(),
                };
                (sc.clone(), t)
            })
            .collect()
    }

    /// A parameter's name for sentences: without the `world_` prefix of a world draw.
    pub fn display_name(&self, j: usize) -> String {
        let n = &self.names[j];
        n.strip_prefix("world_").unwrap_or(n).to_string()
    }

    /// The value of design `d`'s metric `m` at point `p`.
    pub fn value(&self, p: usize, d: usize, m: Metric) -> f64 {
        self.values[p][d][m.index()]
    }

    /// The text of a parameter's value: its word for a list, else the number.
    pub fn shown(&self, j: usize, v: f64) -> String {
        match &self.levels[j] {
            Some(words) if v.is_finite() => words
                .get(v.max(0.0) as usize)
                .cloned()
                .unwrap_or_else(|| crate::output::fmt_num(v)),
            _ => crate::output::fmt_num(v),
        }
    }
}

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| bad(path, &format!("cannot read it: {e}")))
}

fn bad(path: &Path, what: &str) -> Error {
    Error::usage(
        format!("{}: {what}", path.display()),
        "name a results directory as `sweep` or `run --per-replication` wrote it, unedited",
    )
}

fn headers(r: &mut csv::Reader<std::fs::File>, path: &Path) -> Result<Vec<String>> {
    Ok(r.headers()
        .map_err(|e| bad(path, &format!("cannot read its header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect())
}

fn column(header: &[String], name: &str, path: &Path) -> Result<usize> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| bad(path, &format!("has no `{name}` column")))
}

fn number(cell: &str, path: &Path, line: u64, col: &str) -> Result<f64> {
    cell.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            bad(
                path,
                &format!("line {line}: `{col}` is `{cell}`, expected a finite number"),
            )
        })
}

/// Parameter columns whose cells are words become levels, numbered in sorted order.
fn encode(raw: Vec<Vec<String>>, k: usize) -> (Vec<Vec<f64>>, Vec<Option<Vec<String>>>) {
    let mut levels = Vec::with_capacity(k);
    for j in 0..k {
        let numeric = raw
            .iter()
            .all(|r| r[j].parse::<f64>().is_ok_and(f64::is_finite));
        levels.push(if numeric {
            None
        } else {
            let mut words: Vec<String> = raw.iter().map(|r| r[j].clone()).collect();
            words.sort();
            words.dedup();
            Some(words)
        });
    }
    let points = raw
        .iter()
        .map(|r| {
            (0..k)
                .map(|j| match &levels[j] {
                    None => r[j].parse::<f64>().unwrap_or(f64::NAN),
                    Some(words) => words.binary_search(&r[j]).map_or(f64::NAN, |i| i as f64),
                })
                .collect()
        })
        .collect();
    (points, levels)
}

fn read_sweep(dir: &Path) -> Result<Table> {
    let pp = dir.join("points.csv");
    let mut r = open(&pp)?;
    let header = headers(&mut r, &pp)?;
    if header.len() < 2 || header[0] != "point" || header[1] != "scenario" {
        return Err(bad(&pp, "expected the columns point,scenario,PARAMETER..."));
    }
    let mut ids = Vec::new();
    let mut raw: Vec<Vec<String>> = Vec::new();
    for (i, rec) in r.records().enumerate() {
        crate::interrupt::check()?;
        let rec = rec.map_err(|e| bad(&pp, &format!("line {}: {e}", i + 2)))?;
        ids.push(rec[0].to_string());
        // The scenario is a parameter too (kept below only if it varies).
        raw.push(rec.iter().skip(1).map(str::to_string).collect());
    }
    if raw.is_empty() {
        return Err(bad(&pp, "has no points"));
    }
    let mut names: Vec<String> = header[1..].to_vec();
    let scenarios: Vec<String> = raw.iter().map(|r| r[0].clone()).collect();
    let one_scenario = raw.iter().all(|r| r[0] == raw[0][0]);
    if one_scenario {
        names.remove(0);
        for r in &mut raw {
            r.remove(0);
        }
    }
    let k = names.len();
    let (points, levels) = encode(raw, k);
    let index: BTreeMap<String, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), i))
        .collect();

    let rp = dir.join("results.csv");
    let mut r = open(&rp)?;
    let header = headers(&mut r, &rp)?;
    let (cp, cd, cm, cv) = (
        column(&header, "point", &rp)?,
        column(&header, "design", &rp)?,
        column(&header, "metric", &rp)?,
        column(&header, "mean", &rp)?,
    );
    let mut designs: Vec<String> = Vec::new();
    let mut cells: Vec<(usize, usize, usize, f64)> = Vec::new();
    for (i, rec) in r.records().enumerate() {
        crate::interrupt::check()?;
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad(&rp, &format!("line {line}: {e}")))?;
        let p = *index.get(&rec[cp]).ok_or_else(|| {
            bad(
                &rp,
                &format!("line {line}: point `{}` is not in points.csv", &rec[cp]),
            )
        })?;
        let d = match designs.iter().position(|x| x == &rec[cd]) {
            Some(d) => d,
            None => {
                designs.push(rec[cd].to_string());
                designs.len() - 1
            }
        };
        let m = Metric::from_name(&rec[cm])
            .ok_or_else(|| bad(&rp, &format!("line {line}: `{}` is not a metric", &rec[cm])))?;
        let v = number(&rec[cv], &rp, line, "mean")?;
        cells.push((p, d, m.index(), v));
    }
    let mut values = vec![vec![[f64::NAN; N_METRICS]; designs.len()]; points.len()];
    for (p, d, m, v) in cells {
        values[p][d][m] = v;
    }
    if let Some(p) = values
        .iter()
        .position(|row| row.iter().any(|ms| ms.iter().any(|v| v.is_nan())))
    {
        return Err(bad(
            &rp,
            &format!("point {} lacks a design's metric", ids[p]),
        ));
    }
    Ok(Table {
        source: Source::Sweep,
        names,
        levels,
        points,
        designs,
        values,
        scenarios,
    })
}

fn read_replications(dir: &Path) -> Result<Table> {
    let path = dir.join("replications.csv");
    let mut r = open(&path)?;
    let header = headers(&mut r, &path)?;
    let (crep, cdes) = (
        column(&header, "replication", &path)?,
        column(&header, "design", &path)?,
    );
    let metric_cols: Vec<usize> = Metric::ALL
        .iter()
        .map(|m| column(&header, m.name(), &path))
        .collect::<Result<_>>()?;
    let world: Vec<usize> = (0..header.len())
        .filter(|&c| header[c].starts_with("world_"))
        .collect();
    if world.is_empty() {
        return Err(Error::usage(
            format!(
                "{}: has no world_* columns (the world draws of each replication)",
                path.display()
            ),
            "rerun with this version's `run --per-replication`, which writes them",
        ));
    }
    let names: Vec<String> = world.iter().map(|&c| header[c].clone()).collect();
    let mut designs: Vec<String> = Vec::new();
    let mut points: Vec<Vec<f64>> = Vec::new();
    let mut values: Vec<Vec<[f64; N_METRICS]>> = Vec::new();
    let mut current: Option<String> = None;
    for (i, rec) in r.records().enumerate() {
        if i % 4096 == 0 {
            crate::interrupt::check()?;
        }
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad(&path, &format!("line {line}: {e}")))?;
        if current.as_deref() != Some(&rec[crep]) {
            current = Some(rec[crep].to_string());
            let w = world
                .iter()
                .map(|&c| number(&rec[c], &path, line, &header[c]))
                .collect::<Result<Vec<f64>>>()?;
            points.push(w);
            values.push(Vec::new());
        }
        let p = points.len() - 1;
        let d = values[p].len();
        if p == 0 {
            designs.push(rec[cdes].to_string());
        } else if designs.get(d).map(String::as_str) != Some(&rec[cdes]) {
            return Err(bad(
                &path,
                &format!(
                    "line {line}: replication {} lists design `{}` where the first replication \
                     lists {}",
                    &rec[crep],
                    &rec[cdes],
                    designs
                        .get(d)
                        .map_or("no more designs".to_string(), |x| format!("`{x}`"))
                ),
            ));
        }
        let mut ms = [0.0; N_METRICS];
        for (m, &c) in metric_cols.iter().enumerate() {
            ms[m] = number(&rec[c], &path, line, &header[c])?;
        }
        values[p].push(ms);
    }
    if points.is_empty() {
        return Err(bad(&path, "has no replications"));
    }
    if let Some(p) = values.iter().position(|v| v.len() != designs.len()) {
        return Err(bad(
            &path,
            &format!(
                "replication {} has {} designs where the first has {}",
                p,
                values[p].len(),
                designs.len()
            ),
        ));
    }
    let k = names.len();
    Ok(Table {
        source: Source::Replications,
        names,
        levels: vec![None; k],
        scenarios: vec![String::new(); points.len()],
        points,
        designs,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_sorted_levels() {
        let raw = vec![
            vec!["b".to_string(), "1.5".to_string()],
            vec!["a".to_string(), "2".to_string()],
            vec!["b".to_string(), "0".to_string()],
        ];
        let (points, levels) = encode(raw, 2);
        assert_eq!(levels[0], Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(levels[1], None);
        assert_eq!(points, vec![vec![1.0, 1.5], vec![0.0, 2.0], vec![1.0, 0.0]]);
    }
}
