//! Scenario discovery over an explored set of points: where a condition holds, as PRIM boxes
//! (see [`crate::analysis::prim`]) read aloud, and the rows of discovery.csv.

use serde::Serialize;

use super::condition::Condition;
pub use super::table::Source;
use super::table::Table;
use crate::analysis::prim::{self, short, Prim, PrimBox, PrimConfig};
use crate::error::{Error, Result};
use crate::output::fmt_num;

/// What discovery found for one condition.
pub struct Discovery {
    /// Whether the condition held at each point.
    pub holds: Vec<bool>,
    /// PRIM's trajectory, choice and reported box.
    pub prim: Prim,
}

impl Discovery {
    /// Points where the condition held.
    pub fn hits(&self) -> usize {
        self.holds.iter().filter(|&&h| h).count()
    }
}

/// Evaluate `condition` at every point of `table` and run PRIM over the points.
pub fn discover(table: &Table, condition: &Condition, cfg: &PrimConfig) -> Result<Discovery> {
    let holds: Vec<bool> = (0..table.points.len())
        .map(|p| condition.holds(&|d, m| table.value(p, d, m), table.designs.len()))
        .collect();
    if table.names.is_empty() {
        return Err(Error::usage(
            "these results vary no parameter: there is nothing to discover ranges of",
            "run a sweep whose experiment varies parameters, or a run with --per-replication",
        ));
    }
    let prim = prim::prim(&table.points, &holds, cfg).map_err(|e| {
        Error::usage(
            format!("scenario discovery: {e}"),
            "check the results directory",
        )
    })?;
    Ok(Discovery { holds, prim })
}

/// A box as a sentence, with the parameters' display names and list values by their words.
pub fn sentence(table: &Table, b: &PrimBox) -> String {
    let names: Vec<String> = (0..table.names.len())
        .map(|j| table.display_name(j))
        .collect();
    b.describe_with(&names, &|j, lo, hi| {
        let words = table.levels[j].as_ref()?;
        let first = if lo.is_finite() {
            (lo.max(0.0) as usize).min(words.len() - 1)
        } else {
            0
        };
        let last = if hi.is_finite() {
            (hi.max(0.0) as usize).min(words.len() - 1)
        } else {
            words.len() - 1
        };
        let inside: Vec<&str> = words[first..=last.max(first)]
            .iter()
            .map(String::as_str)
            .collect();
        Some(match inside.as_slice() {
            [one] => format!("{} is {one}", names[j]),
            many => format!("{} is {}", names[j], many.join(" or ")),
        })
    })
}

/// discovery.csv's columns.
pub const HEADER: [&str; 13] = [
    "condition",
    "kind",
    "box",
    "coverage",
    "density",
    "mass",
    "points",
    "hits",
    "parameter",
    "lower",
    "upper",
    "qp",
    "sentence",
];

/// One row of discovery.csv: one restricted parameter of one box (a box that restricts
/// nothing has one row with an empty `parameter`).
#[derive(Debug, Serialize)]
pub struct DiscoveryRow {
    /// The condition, as given.
    pub condition: String,
    /// `reported` (the chosen box after pasting, the one printed) or `peel` (a step of the
    /// peeling trajectory).
    pub kind: &'static str,
    /// Index on the peeling trajectory (0: the whole space); for `reported`, the index of the
    /// box that was chosen and pasted.
    #[serde(rename = "box")]
    pub box_index: usize,
    /// Share of the points where the condition holds that are in the box.
    pub coverage: String,
    /// Share of the box's points where the condition holds.
    pub density: String,
    /// Share of all points in the box.
    pub mass: String,
    /// Points in the box.
    pub points: usize,
    /// Points in the box where the condition holds.
    pub hits: usize,
    /// The restricted parameter (as named in points.csv or replications.csv).
    pub parameter: String,
    /// Its lowest value in the box (empty: no lower bound).
    pub lower: String,
    /// Its highest value in the box (empty: no upper bound).
    pub upper: String,
    /// The restriction's quasi-p-value (docs/EXPERIMENTS.md).
    pub qp: String,
    /// The box as a sentence.
    pub sentence: String,
}

/// The rows of discovery.csv for one condition: the reported box, then the trajectory.
pub fn rows(table: &Table, condition: &str, d: &Discovery) -> Vec<DiscoveryRow> {
    let mut out = Vec::new();
    let mut push = |kind: &'static str, index: usize, b: &PrimBox| {
        let sentence = sentence(table, b);
        let restricted = b.restricted();
        let base = |parameter: String, lower: String, upper: String, qp: String| DiscoveryRow {
            condition: condition.to_string(),
            kind,
            box_index: index,
            coverage: fmt_num(b.coverage),
            density: fmt_num(b.density),
            mass: fmt_num(b.mass),
            points: b.points,
            hits: b.hits,
            parameter,
            lower,
            upper,
            qp,
            sentence: sentence.clone(),
        };
        if restricted.is_empty() {
            out.push(base(
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ));
        }
        for j in restricted {
            let bound = |v: f64| {
                if v.is_finite() {
                    table.shown(j, v)
                } else {
                    String::new()
                }
            };
            let qp =
                b.qp.get(j)
                    .copied()
                    .flatten()
                    .map_or(String::new(), |q| format!("{q:.3e}"));
            out.push(base(
                table.names[j].clone(),
                bound(b.lower[j]),
                bound(b.upper[j]),
                qp,
            ));
        }
    };
    push("reported", d.prim.chosen, &d.prim.pasted);
    for (i, b) in d.prim.trajectory.iter().enumerate() {
        push("peel", i, b);
    }
    out
}

/// A one-line summary of a trajectory box for the terminal: coverage, density, how many
/// parameters it restricts.
pub fn trajectory_line(b: &PrimBox) -> String {
    format!(
        "coverage {:.2}, density {:.2}, mass {}, {} parameter{} restricted",
        b.coverage,
        b.density,
        short(b.mass),
        b.restricted().len(),
        if b.restricted().len() == 1 { "" } else { "s" }
    )
}

/// The manifest.json of a discovery: what was read, the conditions and the settings.
#[derive(Serialize)]
struct Manifest<'a> {
    tool: &'static str,
    kind: &'static str,
    version: &'static str,
    tool_commit: &'static str,
    source: String,
    source_kind: &'static str,
    points: usize,
    parameters: &'a [String],
    designs: &'a [String],
    conditions: &'a [String],
    peel_alpha: f64,
    paste_alpha: f64,
    min_mass: f64,
    min_coverage: f64,
    significance: f64,
}

/// Write a discovery's manifest.json into `dir`.
pub fn write_manifest(
    dir: &crate::output::ResultsDir,
    source: &std::path::Path,
    conditions: &[String],
    cfg: &PrimConfig,
    table: &Table,
) -> Result<()> {
    let m = Manifest {
        tool: "dialogue-wargame",
        kind: "discovery",
        version: env!("CARGO_PKG_VERSION"),
        tool_commit: crate::output::TOOL_COMMIT,
        source: source.display().to_string(),
        source_kind: match table.source {
            Source::Sweep => "sweep",
            Source::Replications => "replications",
        },
        points: table.points.len(),
        parameters: &table.names,
        designs: &table.designs,
        conditions,
        peel_alpha: cfg.peel_alpha,
        paste_alpha: cfg.paste_alpha,
        min_mass: cfg.min_mass,
        min_coverage: cfg.min_coverage,
        significance: cfg.significance,
    };
    let path = dir.file("manifest.json");
    let text = serde_json::to_string_pretty(&m).map_err(|e| Error::Json {
        context: format!("cannot encode {}", path.display()),
        source: e,
    })?;
    std::fs::write(&path, text + "\n")
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header written for an empty file is the header serde writes from a row.
    #[test]
    fn headers_match_the_rows() {
        fn header_of<T: Serialize>(row: &T) -> String {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.serialize(row).unwrap();
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            text.lines().next().unwrap().to_string()
        }
        let d = DiscoveryRow {
            condition: String::new(),
            kind: "peel",
            box_index: 0,
            coverage: String::new(),
            density: String::new(),
            mass: String::new(),
            points: 0,
            hits: 0,
            parameter: String::new(),
            lower: String::new(),
            upper: String::new(),
            qp: String::new(),
            sentence: String::new(),
        };
        assert_eq!(header_of(&d), HEADER.join(","));
        let s = crate::studies::sensitivity::SensitivityRow {
            scenario: String::new(),
            method: "sobol",
            parameter: String::new(),
            design: String::new(),
            metric: "composite",
            statistic: "total",
            value: String::new(),
            ci_low: String::new(),
            ci_high: String::new(),
        };
        assert_eq!(header_of(&s), crate::studies::sensitivity::HEADER.join(","));
        let v = crate::studies::voi::VoiRow {
            scenario: String::new(),
            parameter: String::new(),
            metric: "composite",
            choice: String::new(),
            evppi: String::new(),
            evppi_noise_floor: String::new(),
            evpi: String::new(),
            evpi_share: String::new(),
            choice_shift: String::new(),
            choice_shift_noise_floor: String::new(),
            bins: 0,
        };
        assert_eq!(header_of(&v), crate::studies::voi::HEADER.join(","));
    }
}
