//! Which parameters move each design's scores and the choice of design: the rows of
//! sensitivity.csv from an experiment's points, by the method its design of points allows.
//!
//! | experiment's sampling | method | statistics (ranked by the first) |
//! |---|---|---|
//! | `sobol` | Sobol indices (Saltelli 2010, Jansen) | `total`, `first`, with bootstrap intervals |
//! | `morris` | Morris elementary effects | `mu_star` (with interval), `mu`, `sigma` |
//! | `one-at-a-time` | tornado | `swing`, `low`, `high` (the output at the parameter's low and high value; for a list of more than three values, the lowest and highest output over them) |
//! | `latin-hypercube`, `factorial` | first order from given data | `first`, `noise_floor` |
//!
//! The outputs analysed are every design's every metric (the mean over the point's
//! replications), and the **choice**: at each point, the regret of the design that is best on
//! average by the composite (how much worse it is there than the best design there), whose
//! indices say which parameters can make that choice wrong.

use std::path::Path;

use serde::Serialize;

use super::table::Table;
use crate::analysis::prim::short;
use crate::analysis::sensitivity::{
    first_order_given_data, morris_effects, sobol_indices, tornado,
};
use crate::analysis::voi::{best_design, regret};
use crate::analysis::Bootstrap;
use crate::error::{Error, Result};
use crate::explore::experiment::{unit_points, Experiment, Sampling};
use crate::explore::sweep::Prepared;
use crate::metric::Metric;
use crate::output::fmt_num;
use crate::output::{write_csv, ResultsDir};

/// The method a study uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Sobol indices over a Saltelli design of base size `n`.
    Sobol {
        /// Base sample size.
        n: usize,
    },
    /// Morris elementary effects over trajectories.
    Morris,
    /// A one-at-a-time tornado: point 0 is the base, every other point moves one parameter.
    Tornado,
    /// First-order indices from any sample.
    GivenData,
}

impl Method {
    /// The name in sensitivity.csv's `method` column.
    pub fn name(self) -> &'static str {
        match self {
            Method::Sobol { .. } => "sobol",
            Method::Morris => "morris",
            Method::Tornado => "tornado",
            Method::GivenData => "given-data",
        }
    }

    /// The statistic parameters are ranked by.
    pub fn ranking_statistic(self) -> &'static str {
        match self {
            Method::Sobol { .. } => "total",
            Method::Morris => "mu_star",
            Method::Tornado => "swing",
            Method::GivenData => "first",
        }
    }
}

/// sensitivity.csv's columns.
pub const HEADER: [&str; 9] = [
    "scenario",
    "method",
    "parameter",
    "design",
    "metric",
    "statistic",
    "value",
    "ci_low",
    "ci_high",
];

/// One row of sensitivity.csv.
#[derive(Clone, Debug, Serialize)]
pub struct SensitivityRow {
    /// The scenario the points belong to.
    pub scenario: String,
    /// `sobol`, `morris`, `tornado` or `given-data`.
    pub method: &'static str,
    /// The parameter (its `--set` key).
    pub parameter: String,
    /// The design whose output this is; for `choice`, the design best on average.
    pub design: String,
    /// The metric, or `choice` (the regret of choosing `design`, by the composite).
    pub metric: &'static str,
    /// Which statistic (see the module docs).
    pub statistic: &'static str,
    /// Its value.
    pub value: String,
    /// Lower end of its 95% bootstrap interval (empty when there is none).
    pub ci_low: String,
    /// Upper end.
    pub ci_high: String,
}

/// One output analysed: a design's metric, or the choice.
struct Output {
    design: usize,
    metric: &'static str,
    values: Vec<f64>,
}

fn outputs(table: &Table) -> (Vec<Output>, usize) {
    let n = table.points.len();
    let mut out = Vec::new();
    for d in 0..table.designs.len() {
        for m in Metric::ALL {
            out.push(Output {
                design: d,
                metric: m.name(),
                values: (0..n).map(|p| table.value(p, d, m)).collect(),
            });
        }
    }
    let composite: Vec<Vec<f64>> = (0..n)
        .map(|p| {
            (0..table.designs.len())
                .map(|d| table.value(p, d, Metric::Composite))
                .collect()
        })
        .collect();
    let means: Vec<f64> = (0..table.designs.len())
        .map(|d| composite.iter().map(|u| u[d]).sum::<f64>() / n.max(1) as f64)
        .collect();
    let chosen = best_design(&means);
    out.push(Output {
        design: chosen,
        metric: "choice",
        values: regret(&composite, chosen),
    });
    (out, chosen)
}

/// The rows of sensitivity.csv for the points of one scenario. `unit` holds the design's
/// unit-cube coordinates of each point (needed by Morris, whose effects are per unit of a
/// parameter's range); `seed` seeds bootstraps and permutations.
pub fn analyse(
    scenario: &str,
    table: &Table,
    method: Method,
    unit: &[Vec<f64>],
    seed: u64,
) -> Result<Vec<SensitivityRow>> {
    let k = table.names.len();
    let boot = Bootstrap {
        seed,
        ..Bootstrap::default()
    };
    let fail = |e: crate::analysis::AnalysisError| {
        Error::usage(
            format!("{} sensitivity: {e}", method.name()),
            "the points do not form the experiment's design; rerun the experiment",
        )
    };
    let (outs, _) = outputs(table);
    let mut rows = Vec::new();
    let mut row =
        |o: &Output, j: usize, statistic: &'static str, v: f64, ci: Option<(f64, f64)>| {
            rows.push(SensitivityRow {
                scenario: scenario.to_string(),
                method: method.name(),
                parameter: table.names[j].clone(),
                design: table.designs[o.design].clone(),
                metric: o.metric,
                statistic,
                value: fmt_num(v),
                ci_low: ci.map_or(String::new(), |c| fmt_num(c.0)),
                ci_high: ci.map_or(String::new(), |c| fmt_num(c.1)),
            });
        };
    match method {
        Method::Sobol { n } => {
            for o in &outs {
                let idx = sobol_indices(&o.values, n, k, &boot).map_err(fail)?;
                for (j, s) in idx.iter().enumerate() {
                    row(o, j, "total", s.total, Some(s.total_ci));
                    row(o, j, "first", s.first, Some(s.first_ci));
                }
            }
        }
        Method::Morris => {
            for o in &outs {
                let ee = morris_effects(unit, &o.values, k, &boot).map_err(fail)?;
                for (j, e) in ee.iter().enumerate() {
                    row(o, j, "mu_star", e.mu_star, Some(e.mu_star_ci));
                    row(o, j, "mu", e.mu, None);
                    row(o, j, "sigma", e.sigma, None);
                }
            }
        }
        Method::GivenData => {
            for o in &outs {
                let g = first_order_given_data(&table.points, &o.values, None, 20, seed)
                    .map_err(fail)?;
                for (j, x) in g.iter().enumerate() {
                    row(o, j, "first", x.first, None);
                    row(o, j, "noise_floor", x.floor, None);
                }
            }
        }
        Method::Tornado => {
            let moved = tornado_points(table)?;
            for o in &outs {
                let base = o.values[0];
                let (low, high): (Vec<f64>, Vec<f64>) = moved
                    .iter()
                    .enumerate()
                    .map(|(j, ps)| {
                        // (value, output) at the base and at each value the parameter took.
                        let mut at: Vec<(f64, f64)> = vec![(table.points[0][j], base)];
                        at.extend(ps.iter().map(|&(p, v)| (v, o.values[p])));
                        at.sort_by(|a, b| a.0.total_cmp(&b.0));
                        if at.len() <= 3 {
                            // A range: low, base, high.
                            (at[0].1, at[at.len() - 1].1)
                        } else {
                            // A list of more than three values: the extremes of the output.
                            let ys = at.iter().map(|a| a.1);
                            (
                                ys.clone().fold(f64::INFINITY, f64::min),
                                ys.fold(f64::NEG_INFINITY, f64::max),
                            )
                        }
                    })
                    .unzip();
                let bars = tornado(base, &low, &high).map_err(fail)?;
                let mut by_parameter = bars.clone();
                by_parameter.sort_by_key(|b| b.parameter);
                for b in by_parameter {
                    row(o, b.parameter, "swing", b.swing, None);
                    row(o, b.parameter, "low", b.low, None);
                    row(o, b.parameter, "high", b.high, None);
                }
            }
        }
    }
    Ok(rows)
}

/// For a one-at-a-time design: per parameter, the points (index, value) that move it alone
/// from the base, point 0.
fn tornado_points(table: &Table) -> Result<Vec<Vec<(usize, f64)>>> {
    let k = table.names.len();
    let base = table.points.first().ok_or_else(|| {
        Error::usage(
            "a tornado needs its base point",
            "rerun the one-at-a-time experiment",
        )
    })?;
    let mut moved = vec![Vec::new(); k];
    for (p, x) in table.points.iter().enumerate().skip(1) {
        let changed: Vec<usize> = (0..k).filter(|&j| x[j] != base[j]).collect();
        match changed[..] {
            [j] => moved[j].push((p, x[j])),
            _ => {
                return Err(Error::usage(
                    format!(
                        "tornado: point {p} moves {} parameters from the base; a one-at-a-time \
                         design moves one",
                        changed.len()
                    ),
                    "use `sampling.method = \"one-at-a-time\"` for a tornado",
                ))
            }
        }
    }
    Ok(moved)
}

/// The printed summary: for each design's composite and for the choice, the parameters
/// ranked by the method's ranking statistic (largest first), with intervals where there are.
pub fn summary(rows: &[SensitivityRow], method: Method, designs: &[String]) -> Vec<String> {
    let stat = method.ranking_statistic();
    let mut out = Vec::new();
    let scenarios: Vec<&str> = {
        let mut s: Vec<&str> = rows.iter().map(|r| r.scenario.as_str()).collect();
        s.dedup();
        s
    };
    for sc in &scenarios {
        if scenarios.len() > 1 {
            out.push(format!("scenario {sc}:"));
        }
        let mut targets: Vec<(String, &'static str, String)> = designs
            .iter()
            .map(|d| (d.clone(), "composite", format!("composite of {d}")))
            .collect();
        if let Some(r) = rows
            .iter()
            .find(|r| r.scenario == *sc && r.metric == "choice")
        {
            targets.push((
                r.design.clone(),
                "choice",
                format!("choice (regret of picking {}, best on average)", r.design),
            ));
        }
        for (design, metric, label) in targets {
            let mut ranked: Vec<&SensitivityRow> = rows
                .iter()
                .filter(|r| {
                    r.scenario == *sc
                        && r.design == design
                        && r.metric == metric
                        && r.statistic == stat
                })
                .collect();
            ranked.sort_by(|a, b| {
                let v = |r: &SensitivityRow| r.value.parse::<f64>().unwrap_or(0.0);
                v(b).total_cmp(&v(a)).then(a.parameter.cmp(&b.parameter))
            });
            let num = |t: &str| t.parse::<f64>().map_or_else(|_| t.to_string(), short);
            if metric == "choice" && ranked.iter().all(|r| num(&r.value) == "0") {
                out.push(format!(
                    "  choice: {design} is best at every point; no parameter changes that"
                ));
                continue;
            }
            let items: Vec<String> = ranked
                .iter()
                .map(|r| {
                    if r.ci_low.is_empty() {
                        format!("{} {}", r.parameter, num(&r.value))
                    } else {
                        format!(
                            "{} {} [{}, {}]",
                            r.parameter,
                            num(&r.value),
                            num(&r.ci_low),
                            num(&r.ci_high)
                        )
                    }
                })
                .collect();
            out.push(format!("  {label}, by {stat}: {}", items.join(", ")));
        }
    }
    out
}

/// The method an experiment's sampling allows.
pub fn method_of(s: &Sampling) -> Method {
    match *s {
        Sampling::Sobol { base_samples } => Method::Sobol { n: base_samples },
        Sampling::Morris { .. } => Method::Morris,
        Sampling::OneAtATime => Method::Tornado,
        Sampling::LatinHypercube { .. } | Sampling::Factorial => Method::GivenData,
    }
}

/// What [`execute`] reports.
pub struct Report {
    /// The results directory.
    pub dir: std::path::PathBuf,
    /// The ranked summary, one line each.
    pub summary: Vec<String>,
    /// The value-of-information lines (empty for a tornado alone).
    pub voi: Vec<String>,
    /// Points run (the experiment's, plus the tornado's).
    pub points: usize,
    /// Wall seconds.
    pub wall: f64,
}

/// The points of one scenario, to analyse by one method.
struct Block {
    method: Method,
    scenario: String,
    table: Table,
    /// The design's unit-cube coordinates of each point (Morris reads them).
    unit: Vec<Vec<f64>>,
}

/// One block per scenario of `table`, by the method `exp`'s sampling allows.
fn blocks_of(exp: &Experiment, seed: u64, table: &Table) -> Vec<Block> {
    let method = method_of(&exp.sampling);
    let unit = unit_points(&exp.sampling, exp.parameters.len(), seed);
    table
        .by_scenario()
        .into_iter()
        .map(|(scenario, table)| Block {
            method,
            scenario,
            table,
            unit: unit.clone(),
        })
        .collect()
}

/// Everything a study computed from its blocks.
struct Analysis {
    rows: Vec<SensitivityRow>,
    voi_rows: Vec<super::voi::VoiRow>,
    summary: Vec<String>,
    voi_lines: Vec<String>,
    methods: Vec<&'static str>,
}

impl Analysis {
    /// Write sensitivity.csv and (when there is one) voi.csv into `dir`.
    fn write(&self, dir: &ResultsDir) -> Result<()> {
        write_csv(&dir.file("sensitivity.csv"), &self.rows, &HEADER)?;
        if !self.voi_rows.is_empty() {
            write_csv(&dir.file("voi.csv"), &self.voi_rows, &super::voi::HEADER)?;
        }
        Ok(())
    }
}

fn analyse_blocks(blocks: &[Block], seed: u64) -> Result<Analysis> {
    let mut a = Analysis {
        rows: Vec::new(),
        voi_rows: Vec::new(),
        summary: Vec::new(),
        voi_lines: Vec::new(),
        methods: Vec::new(),
    };
    let scenarios = {
        let mut s: Vec<&str> = blocks.iter().map(|b| b.scenario.as_str()).collect();
        s.sort_unstable();
        s.dedup();
        s.len()
    };
    for b in blocks {
        crate::interrupt::check()?;
        if !a.methods.contains(&b.method.name()) {
            a.methods.push(b.method.name());
        }
        let r = analyse(&b.scenario, &b.table, b.method, &b.unit, seed)?;
        a.summary
            .push(format!("{} ({}):", b.method.name(), b.scenario));
        a.summary.extend(summary(&r, b.method, &b.table.designs));
        a.rows.extend(r);
        // A tornado's points are not a sample of the uncertainty: no value of information.
        if b.method != Method::Tornado {
            let v = super::voi::value_of_information(&b.table, Metric::Composite, seed)?;
            a.voi_rows.extend(super::voi::rows(
                &b.scenario,
                &b.table,
                Metric::Composite,
                &v,
            ));
            if scenarios > 1 {
                a.voi_lines.push(format!("scenario {}:", b.scenario));
            }
            a.voi_lines
                .extend(super::voi::lines(&b.table, Metric::Composite, &v));
        }
    }
    Ok(a)
}

/// The manifest.json of a sensitivity study.
#[derive(Serialize)]
struct Manifest<'a> {
    tool: &'static str,
    kind: &'static str,
    version: &'static str,
    tool_commit: &'static str,
    started_at: &'a str,
    experiment: String,
    experiment_sha256: &'a str,
    identity_sha256: &'a str,
    seed: u64,
    replications: u64,
    sampling: &'static str,
    methods: Vec<&'static str>,
    parameters: Vec<String>,
    designs: &'a [String],
    baseline: &'a str,
    points: usize,
    tornado_points: usize,
    command_line: &'a [String],
    wall_seconds: f64,
}

/// Run an experiment's points (and, with `tornado`, a one-at-a-time design of the same
/// parameters around their base values when the experiment's own design is not one) and write
/// points.csv, results.csv, robustness.csv, sensitivity.csv, voi.csv, experiment.toml and
/// manifest.json into `dir`, then commit it. `None` when interrupted (nothing is written).
pub fn execute(
    prepared: &Prepared,
    tornado: Option<&Prepared>,
    dir: ResultsDir,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
    started_at: &str,
    command_line: &[String],
) -> Result<Option<Report>> {
    let started = std::time::Instant::now();
    let Some(states) = super::run_points(prepared, pool, progress)? else {
        return Ok(None);
    };
    let extra = match tornado {
        Some(t) => match super::run_points(t, pool, progress)? {
            Some(s) => Some(s),
            None => return Ok(None),
        },
        None => None,
    };
    let exp = &prepared.exp;
    let keys: Vec<String> = exp.parameters.iter().map(|p| p.key.clone()).collect();
    let mut blocks = blocks_of(
        exp,
        prepared.seed,
        &Table::from_states(&keys, &states, &prepared.ids),
    );
    if let Some(s) = &extra {
        for (scenario, table) in Table::from_states(&keys, s, &prepared.ids).by_scenario() {
            blocks.push(Block {
                method: Method::Tornado,
                scenario,
                table,
                unit: Vec::new(),
            });
        }
    }
    let a = analyse_blocks(&blocks, prepared.seed)?;
    crate::explore::sweep::write_tables(&dir, &keys, &states, &prepared.ids, exp.regret, true)?;
    a.write(&dir)?;
    std::fs::write(dir.file("experiment.toml"), &exp.text).map_err(|e| {
        Error::io(
            format!("cannot write {}", dir.file("experiment.toml").display()),
            e,
        )
    })?;
    let wall = started.elapsed().as_secs_f64();
    let manifest = Manifest {
        tool: "dialogue-wargame",
        kind: "sensitivity",
        version: env!("CARGO_PKG_VERSION"),
        tool_commit: crate::output::TOOL_COMMIT,
        started_at,
        experiment: exp.path.display().to_string(),
        experiment_sha256: &exp.sha256,
        identity_sha256: &prepared.identity_sha256,
        seed: prepared.seed,
        replications: exp.replications,
        sampling: exp.sampling.name(),
        methods: a.methods.clone(),
        parameters: keys,
        designs: &prepared.ids,
        baseline: &prepared.ids[prepared.baseline],
        points: states.len(),
        tornado_points: extra.as_ref().map_or(0, Vec::len),
        command_line,
        wall_seconds: (wall * 1000.0).round() / 1000.0,
    };
    write_manifest(&dir, &manifest)?;
    let points = states.len() + extra.as_ref().map_or(0, Vec::len);
    let out = dir.commit()?;
    Ok(Some(Report {
        dir: out,
        summary: a.summary,
        voi: a.voi_lines,
        points,
        wall,
    }))
}

/// Analyse a sweep's results directory `source` (its experiment.toml, points.csv,
/// results.csv and manifest.json) without running anything: write sensitivity.csv, voi.csv
/// and manifest.json into `dir` and commit it.
pub fn from_sweep(
    source: &Path,
    dir: ResultsDir,
    started_at: &str,
    command_line: &[String],
) -> Result<Report> {
    let started = std::time::Instant::now();
    let m = crate::output::sweep::read_sweep_manifest(&source.join("manifest.json"))?;
    if m.shard.is_some() {
        return Err(Error::usage(
            format!("{}: is one shard of a sweep", source.display()),
            "merge the shards first (`dialogue-wargame merge`), then analyse the merged directory",
        ));
    }
    if m.parameters.is_empty() {
        return Err(Error::usage(
            format!(
                "{}: the sweep varies no parameter; there is nothing to rank",
                source.display()
            ),
            "sensitivity needs an experiment with [[parameter]] tables (docs/EXPERIMENTS.md)",
        ));
    }
    let exp_path = source.join("experiment.toml");
    let text = std::fs::read_to_string(&exp_path).map_err(|e| {
        Error::usage(
            format!("{}: cannot read it: {e}", exp_path.display()),
            "name a directory written by `sweep`, unedited",
        )
    })?;
    let exp = crate::explore::experiment::parse(Path::new(&m.experiment), text)?;
    let table = Table::read(source)?;
    if table.designs != m.designs {
        return Err(Error::usage(
            format!(
                "{}: results.csv's designs differ from its manifest's",
                source.display()
            ),
            "name a directory written by `sweep`, unedited",
        ));
    }
    let blocks = blocks_of(&exp, m.seed, &table);
    let a = analyse_blocks(&blocks, m.seed)?;
    a.write(&dir)?;
    let wall = started.elapsed().as_secs_f64();
    let manifest = Manifest {
        tool: "dialogue-wargame",
        kind: "sensitivity",
        version: env!("CARGO_PKG_VERSION"),
        tool_commit: crate::output::TOOL_COMMIT,
        started_at,
        experiment: m.experiment.clone(),
        experiment_sha256: &m.experiment_sha256,
        identity_sha256: &m.identity_sha256,
        seed: m.seed,
        replications: m.replications,
        sampling: exp.sampling.name(),
        methods: a.methods.clone(),
        parameters: m.parameters.clone(),
        designs: &m.designs,
        baseline: &m.baseline,
        points: table.points.len(),
        tornado_points: 0,
        command_line,
        wall_seconds: (wall * 1000.0).round() / 1000.0,
    };
    write_manifest(&dir, &manifest)?;
    Ok(Report {
        dir: dir.commit()?,
        summary: a.summary,
        voi: a.voi_lines,
        points: table.points.len(),
        wall,
    })
}

fn write_manifest(dir: &ResultsDir, m: &Manifest<'_>) -> Result<()> {
    let path = dir.file("manifest.json");
    let text = serde_json::to_string_pretty(m).map_err(|e| Error::Json {
        context: format!("cannot encode {}", path.display()),
        source: e,
    })?;
    std::fs::write(&path, text + "\n")
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}
