//! Experiment files: which scenario(s), which parameters vary and over what, the design of
//! the points (factorial, Latin hypercube, Sobol/Saltelli, Morris, one at a time), the
//! replications per point and the seed. docs/EXPERIMENTS.md is the analyst's guide.
//!
//! A parameter is named by its `--set` key path (`beijing.sensitivity`,
//! `design.trade-conference.visibility`, `crisis.warning_days.mode`, `weights.evacuation`):
//! each point is the scenario with one override per parameter, loaded and validated exactly
//! as `run --set` would be, so every key `list --keys` shows works. Problems in the file are
//! reported like a scenario's, `FILE:LINE:COL: key: what was wrong` with a `help:` line, all
//! of them in one pass.

use std::path::{Path, PathBuf};

use crate::analysis::sampling::{self, full_factorial};
use crate::metric::{self, Metric};
use crate::scenario::tree::{self, Node, Origin, Value};
use crate::scenario::{suggest, Diagnostic, LoadError, Source};

/// Largest experiment file read (1 MiB; the examples are about 1 KB).
const MAX_FILE_BYTES: u64 = 1 << 20;
/// Most points an experiment may have (a sweep of them keeps one accumulator per point).
pub const MAX_POINTS: usize = 100_000;
/// Most parameters.
pub const MAX_PARAMETERS: usize = 64;
/// Most replications per point.
pub const MAX_REPLICATIONS_PER_POINT: u64 = 100_000_000;

/// How the points are chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum Sampling {
    /// Every combination of every parameter's levels (a list's values, or `levels` evenly
    /// spaced values of a range).
    Factorial,
    /// `points` points, each parameter's range cut into `points` strata hit once each.
    LatinHypercube {
        /// Number of points.
        points: usize,
    },
    /// Saltelli's scheme for Sobol indices: `base_samples` × (parameters + 2) points.
    Sobol {
        /// N, the base sample size.
        base_samples: usize,
    },
    /// Morris elementary effects: `trajectories` × (parameters + 1) points on a grid of
    /// `levels` levels.
    Morris {
        /// r, the number of trajectories.
        trajectories: usize,
        /// Grid levels per parameter (even, at least 2).
        levels: usize,
    },
    /// The base point, then each parameter alone at its other values (a range's low and
    /// high; a list's other values), the others at base: a tornado's points.
    OneAtATime,
}

impl Sampling {
    /// The method's name as written in the file.
    pub fn name(&self) -> &'static str {
        match self {
            Sampling::Factorial => "factorial",
            Sampling::LatinHypercube { .. } => "latin-hypercube",
            Sampling::Sobol { .. } => "sobol",
            Sampling::Morris { .. } => "morris",
            Sampling::OneAtATime => "one-at-a-time",
        }
    }
}

/// The methods `sampling.method` accepts.
pub const METHODS: [&str; 5] = [
    "factorial",
    "latin-hypercube",
    "sobol",
    "morris",
    "one-at-a-time",
];

/// The values a parameter takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    /// A continuous range (whole numbers when `low` and `high` are written as integers).
    Range {
        /// Lowest value.
        low: f64,
        /// Highest value.
        high: f64,
        /// The value at the base point of a one-at-a-time design (default: the middle).
        base: f64,
        /// Levels in a factorial design (evenly spaced from low to high).
        levels: usize,
        /// Whether values are whole numbers.
        integer: bool,
    },
    /// A list of values, TOML text each (`0.5`, `"japan-led"`, `true`).
    List {
        /// The values as TOML.
        values: Vec<String>,
        /// Index of the base value (default: the first).
        base: usize,
    },
}

/// One parameter that varies.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Its `--set` key path.
    pub key: String,
    /// Its values.
    pub domain: Domain,
    /// Where it is written, `FILE:LINE:COL`, for messages about its values.
    pub at: String,
}

impl Parameter {
    /// The value (TOML text) at unit coordinate `u` in [0, 1]: a range's `low + u(high −
    /// low)`, a list's value in the `u`-th of its equal slices.
    pub fn at_unit(&self, u: f64) -> String {
        let u = u.clamp(0.0, 1.0);
        match &self.domain {
            Domain::Range {
                low, high, integer, ..
            } => number(low + u * (high - low), *integer),
            Domain::List { values, .. } => {
                let i = ((u * values.len() as f64) as usize).min(values.len() - 1);
                values[i].clone()
            }
        }
    }

    /// Every value this parameter can take at a point of `sampling`'s kind that a check
    /// should try: a range's low, high and base, or every listed value.
    pub fn extremes(&self) -> Vec<String> {
        match &self.domain {
            Domain::Range {
                low,
                high,
                base,
                integer,
                ..
            } => {
                let mut v = vec![number(*low, *integer), number(*high, *integer)];
                let b = number(*base, *integer);
                if !v.contains(&b) {
                    v.push(b);
                }
                v
            }
            Domain::List { values, .. } => values.clone(),
        }
    }

    /// A factorial design's levels.
    fn levels(&self) -> Vec<String> {
        match &self.domain {
            Domain::Range {
                low,
                high,
                levels,
                integer,
                ..
            } => {
                let mut v: Vec<String> = (0..*levels)
                    .map(|i| {
                        number(
                            low + (high - low) * i as f64 / (*levels - 1).max(1) as f64,
                            *integer,
                        )
                    })
                    .collect();
                v.dedup();
                v
            }
            Domain::List { values, .. } => values.clone(),
        }
    }

    /// The base value (TOML text).
    fn base(&self) -> String {
        match &self.domain {
            Domain::Range { base, integer, .. } => number(*base, *integer),
            Domain::List { values, base } => values[*base].clone(),
        }
    }

    /// The values other than the base, for a one-at-a-time design: a range's low and high, a
    /// list's other values.
    fn others(&self) -> Vec<String> {
        let base = self.base();
        let all = match &self.domain {
            Domain::Range {
                low, high, integer, ..
            } => vec![number(*low, *integer), number(*high, *integer)],
            Domain::List { values, .. } => values.clone(),
        };
        all.into_iter().filter(|v| *v != base).collect()
    }
}

/// A number as TOML text: a whole number when `integer`, else a float that stays a float.
fn number(x: f64, integer: bool) -> String {
    if integer {
        format!("{}", x.round() as i64)
    } else {
        tree::toml_float(x)
    }
}

/// A value as it appears in a CSV cell: strings without their TOML quotes.
pub fn shown(toml_text: &str) -> String {
    match toml_text.parse::<toml::Value>() {
        Ok(toml::Value::String(s)) => s,
        _ => toml_text.to_string(),
    }
}

/// A read experiment file.
#[derive(Clone, Debug)]
pub struct Experiment {
    /// The file's name without folder or extension: the default results folder's prefix.
    pub name: String,
    /// The path as given.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// SHA-256 of the text, hex.
    pub sha256: String,
    /// What it asks, in a sentence.
    pub description: String,
    /// The scenarios: built-in names or paths (relative to the experiment file).
    pub scenarios: Vec<String>,
    /// Where `scenario`/`scenarios` is written (`FILE:LINE:COL`), for messages.
    pub scenarios_at: String,
    /// Where `designs` (or `baseline`) is written, for messages.
    pub designs_at: String,
    /// Master seed (default: the first scenario's).
    pub seed: Option<u64>,
    /// Replications per point.
    pub replications: u64,
    /// Designs to run (default: all), ids.
    pub designs: Vec<String>,
    /// The design the others are compared against (default: the scenario's).
    pub baseline: Option<String>,
    /// Thresholds per metric, replacing the scenario's metric by metric.
    pub thresholds: Vec<(Metric, f64)>,
    /// The metric regret is measured on (default: the composite).
    pub regret: Metric,
    /// How the points are chosen.
    pub sampling: Sampling,
    /// The parameters that vary, in file order.
    pub parameters: Vec<Parameter>,
}

/// One point of an experiment: a scenario and a value for every parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Index of the scenario in [`Experiment::scenarios`].
    pub scenario: usize,
    /// One value per parameter, TOML text, in [`Experiment::parameters`] order.
    pub values: Vec<String>,
}

/// Points in [0, 1]^k of the designs that are sampled, not enumerated (Latin hypercube,
/// Saltelli's rows A, B, AB_1..AB_k, Morris trajectories), from `crate::analysis::sampling`;
/// none for the enumerated designs.
pub fn unit_points(s: &Sampling, k: usize, seed: u64) -> Vec<Vec<f64>> {
    match *s {
        Sampling::LatinHypercube { points } => sampling::latin_hypercube(points, k, seed),
        Sampling::Sobol { base_samples } => sampling::saltelli(base_samples, k, seed).points,
        Sampling::Morris {
            trajectories,
            levels,
        } => sampling::morris(trajectories, k, levels, seed).points,
        Sampling::Factorial | Sampling::OneAtATime => Vec::new(),
    }
}

impl Experiment {
    /// Where the scenario named `s` is: a path relative to the experiment file's folder, or
    /// a built-in name as it is.
    pub fn scenario_arg(&self, s: &str) -> std::ffi::OsString {
        if crate::scenario::names_a_file(std::ffi::OsStr::new(s)) && Path::new(s).is_relative() {
            let dir = self.path.parent().unwrap_or(Path::new(""));
            dir.join(s).into_os_string()
        } else {
            s.into()
        }
    }

    /// The parameter points (without the scenario), in a fixed order; `seed` seeds the
    /// sampled designs.
    pub fn parameter_points(&self, seed: u64) -> Vec<Vec<String>> {
        let ps = &self.parameters;
        match &self.sampling {
            Sampling::Factorial => {
                let levels: Vec<Vec<String>> = ps.iter().map(Parameter::levels).collect();
                let counts: Vec<usize> = levels.iter().map(Vec::len).collect();
                // The first parameter varies slowest, as a table is read.
                full_factorial(&counts)
                    .iter()
                    .map(|idx| {
                        idx.iter()
                            .zip(&levels)
                            .map(|(&i, l)| l[i].clone())
                            .collect()
                    })
                    .collect()
            }
            Sampling::OneAtATime => {
                let base: Vec<String> = ps.iter().map(Parameter::base).collect();
                let mut points = vec![base.clone()];
                for (i, p) in ps.iter().enumerate() {
                    for v in p.others() {
                        let mut q = base.clone();
                        q[i] = v;
                        points.push(q);
                    }
                }
                points
            }
            s => unit_points(s, ps.len(), seed)
                .iter()
                .map(|u| ps.iter().zip(u).map(|(p, &x)| p.at_unit(x)).collect())
                .collect(),
        }
    }

    /// How many parameter points the design makes, without making them.
    pub fn count_parameter_points(&self) -> usize {
        let k = self.parameters.len();
        match &self.sampling {
            Sampling::Factorial => self
                .parameters
                .iter()
                .map(|p| p.levels().len())
                .fold(1usize, |a, b| a.saturating_mul(b)),
            Sampling::OneAtATime => {
                1 + self
                    .parameters
                    .iter()
                    .map(|p| p.others().len())
                    .sum::<usize>()
            }
            Sampling::LatinHypercube { points } => *points,
            Sampling::Sobol { base_samples } => base_samples.saturating_mul(k + 2),
            Sampling::Morris { trajectories, .. } => trajectories.saturating_mul(k + 1),
        }
    }

    /// Every point: each scenario (outer) × each parameter point.
    pub fn points(&self, seed: u64) -> Vec<Point> {
        let params = self.parameter_points(seed);
        (0..self.scenarios.len())
            .flat_map(|s| {
                params.iter().map(move |v| Point {
                    scenario: s,
                    values: v.clone(),
                })
            })
            .collect()
    }

    /// The experiment as run, as an experiment file with every default filled in: the seed,
    /// the designs and baseline actually run (`ids`, `baseline` an index into them), each
    /// parameter's base and levels. Reading it back gives the same points.
    pub fn resolved_toml(&self, seed: u64, ids: &[String], baseline: usize) -> String {
        use std::fmt::Write;
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| tree::toml_string(s)).collect();
            format!("[{}]", items.join(", "))
        };
        let mut t = String::new();
        let _ = writeln!(
            t,
            "# The experiment as run, every default filled in: from {} (SHA-256 {}).",
            self.path.display(),
            self.sha256
        );
        let _ = writeln!(
            t,
            "# Scenario paths are as that file gave them, relative to its folder."
        );
        let _ = writeln!(t, "description = {}", tree::toml_string(&self.description));
        let _ = writeln!(t, "scenarios = {}", list(&self.scenarios));
        let _ = writeln!(t, "seed = {seed}");
        let _ = writeln!(t, "replications = {}", self.replications);
        let _ = writeln!(t, "designs = {}", list(ids));
        let _ = writeln!(t, "baseline = {}", tree::toml_string(&ids[baseline]));
        let _ = writeln!(
            t,
            "regret_metric = {}",
            tree::toml_string(self.regret.name())
        );
        if !self.thresholds.is_empty() {
            let _ = writeln!(t, "\n[thresholds]");
            for (m, v) in &self.thresholds {
                let _ = writeln!(t, "{} = {}", m.name(), tree::toml_float(*v));
            }
        }
        let _ = writeln!(
            t,
            "\n[sampling]\nmethod = {}",
            tree::toml_string(self.sampling.name())
        );
        match self.sampling {
            Sampling::LatinHypercube { points } => {
                let _ = writeln!(t, "points = {points}");
            }
            Sampling::Sobol { base_samples } => {
                let _ = writeln!(t, "base_samples = {base_samples}");
            }
            Sampling::Morris {
                trajectories,
                levels,
            } => {
                let _ = writeln!(t, "trajectories = {trajectories}\nlevels = {levels}");
            }
            Sampling::Factorial | Sampling::OneAtATime => {}
        }
        for p in &self.parameters {
            let _ = writeln!(t, "\n[[parameter]]\nkey = {}", tree::toml_string(&p.key));
            match &p.domain {
                Domain::Range {
                    low,
                    high,
                    base,
                    levels,
                    integer,
                } => {
                    let _ = writeln!(
                        t,
                        "low = {}\nhigh = {}\nbase = {}\nlevels = {levels}",
                        number(*low, *integer),
                        number(*high, *integer),
                        // A base of a whole-number range may lie between whole numbers; as
                        // a float it stays what was given.
                        tree::toml_float(*base)
                    );
                }
                Domain::List { values, base } => {
                    let _ = writeln!(
                        t,
                        "values = [{}]\nbase = {}",
                        values.join(", "),
                        values[*base]
                    );
                }
            }
        }
        t
    }

    /// The overrides of a point: `KEY=VALUE` for each parameter, shown in messages as the
    /// point and the experiment file's line.
    pub fn overrides(
        &self,
        index: usize,
        point: &Point,
    ) -> Result<Vec<crate::scenario::Override>, String> {
        self.parameters
            .iter()
            .zip(&point.values)
            .map(|(p, v)| {
                let raw = format!("{}={v}", p.key);
                crate::scenario::Override::parse_as(
                    &raw,
                    &format!("{} (point {index}: {raw})", p.at),
                )
            })
            .collect()
    }
}

/// Read and check an experiment file. Every problem found is reported at once, located in
/// the file. The scenarios and key paths are checked when the sweep loads them
/// (`explore::sweep::prepare`).
pub fn read(path: &Path) -> Result<Experiment, LoadError> {
    let name = path.display().to_string();
    let fail = |message: String, help: &str| LoadError::file(&name, message, Some(help.into()));
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(
            format!("cannot read the experiment file: {e}"),
            "name an experiment file (.toml); examples are in scenarios/experiments/",
        )
    })?;
    if !meta.is_file() {
        return Err(fail(
            "is not a regular file; expected an experiment file (.toml)".into(),
            "examples are in scenarios/experiments/",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(
            format!(
                "is {} bytes; an experiment file may be at most {MAX_FILE_BYTES}",
                meta.len()
            ),
            "check that this is the experiment you meant",
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        fail(
            format!("cannot read the experiment file: {e}"),
            "an experiment file is UTF-8 text",
        )
    })?;
    parse(path, text)
}

/// Parse an experiment from its text (`path` names it in messages and anchors relative
/// scenario paths).
pub fn parse(path: &Path, text: String) -> Result<Experiment, LoadError> {
    let name = path.display().to_string();
    let sources = [Source {
        name: name.clone(),
        text: text.clone(),
    }];
    let root = match tree::parse(&text, 0) {
        Ok(root) => root,
        Err(errors) => {
            let diags = errors
                .into_iter()
                .map(|e| Diagnostic {
                    origin: e.span.map(|span| Origin::File { source: 0, span }),
                    path: String::new(),
                    message: format!("not valid TOML: {}", e.message),
                    help: Some(
                        "see docs/EXPERIMENTS.md for the layout of an experiment file".into(),
                    ),
                })
                .collect();
            return Err(LoadError::from_diagnostics(diags, &sources));
        }
    };
    let mut r = Read {
        diags: Vec::new(),
        sources: &sources,
    };
    let exp = r.experiment(path, &root, &text);
    if r.diags.is_empty() {
        if let Some(exp) = exp {
            return Ok(exp);
        }
    }
    Err(LoadError::from_diagnostics(r.diags, &sources))
}

const TOP_KEYS: [&str; 11] = [
    "description",
    "scenario",
    "scenarios",
    "seed",
    "replications",
    "designs",
    "baseline",
    "thresholds",
    "regret_metric",
    "sampling",
    "parameter",
];
const SAMPLING_KEYS: [&str; 5] = ["method", "points", "base_samples", "trajectories", "levels"];
const PARAMETER_KEYS: [&str; 6] = ["key", "low", "high", "base", "levels", "values"];

struct Read<'a> {
    diags: Vec<Diagnostic>,
    sources: &'a [Source],
}

impl Read<'_> {
    fn problem(&mut self, node: &Node, path: &str, message: String, help: Option<String>) {
        self.diags.push(Diagnostic {
            origin: Some(node.origin.clone()),
            path: path.to_string(),
            message,
            help,
        });
    }

    fn at(&self, node: &Node) -> String {
        match &node.origin {
            Origin::File { source, span } => match self.sources.get(*source) {
                Some(s) => {
                    let (line, col) = tree::line_col(&s.text, span.start);
                    format!("{}:{line}:{col}", s.name)
                }
                None => "<experiment>".into(),
            },
            Origin::Override(s) => s.clone(),
        }
    }

    /// Unknown keys of a table, each with a suggestion.
    fn known(&mut self, table: &Node, prefix: &str, keys: &[&str]) {
        for e in table.entries().unwrap_or(&[]) {
            if !keys.contains(&e.key.as_str()) {
                let help = match suggest(&e.key, keys.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("keys here: {}", keys.join(", ")),
                };
                let path = format!("{prefix}{}", e.key);
                let key_node = Node {
                    origin: e.key_origin.clone(),
                    value: Value::Bool(false),
                };
                self.problem(&key_node, &path, "unknown key".into(), Some(help));
            }
        }
    }

    fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) if !s.trim().is_empty() => Some(s.clone()),
            v => {
                self.problem(
                    node,
                    path,
                    format!("expected a non-empty string, found {}", v.kind()),
                    None,
                );
                None
            }
        }
    }

    fn whole(&mut self, node: &Node, path: &str, lo: u64, hi: u64) -> Option<u64> {
        match node.value {
            Value::Int(i) if i >= 0 && (lo..=hi).contains(&(i as u64)) => Some(i as u64),
            ref v => {
                let found = match v {
                    Value::Int(i) => i.to_string(),
                    v => v.kind().to_string(),
                };
                self.problem(
                    node,
                    path,
                    format!("expected a whole number from {lo} to {hi}, found {found}"),
                    None,
                );
                None
            }
        }
    }

    fn float(&mut self, node: &Node, path: &str) -> Option<(f64, bool)> {
        match node.value {
            Value::Int(i) => Some((i as f64, true)),
            Value::Float(f) if f.is_finite() => Some((f, false)),
            ref v => {
                self.problem(
                    node,
                    path,
                    format!("expected a finite number, found {}", v.kind()),
                    None,
                );
                None
            }
        }
    }

    fn strings(&mut self, node: &Node, path: &str) -> Option<Vec<String>> {
        match &node.value {
            Value::Array(items) if !items.is_empty() => {
                items.iter().map(|n| self.string(n, path)).collect()
            }
            v => {
                self.problem(
                    node,
                    path,
                    format!("expected a non-empty array of strings, found {}", v.kind()),
                    None,
                );
                None
            }
        }
    }

    fn experiment(&mut self, path: &Path, root: &Node, text: &str) -> Option<Experiment> {
        self.known(root, "", &TOP_KEYS);
        let get = |k: &str| root.get(k);
        let description = match get("description") {
            Some(n) => self.string(n, "description").unwrap_or_default(),
            None => String::new(),
        };
        let scenarios = match (get("scenario"), get("scenarios")) {
            (Some(a), Some(_)) => {
                self.problem(
                    a,
                    "scenario",
                    "both `scenario` and `scenarios` are given".into(),
                    Some("write one scenario as scenario = \"baseline\", several as scenarios = [\"baseline\", \"short-warning\"]".into()),
                );
                None
            }
            (Some(n), None) => self.string(n, "scenario").map(|s| vec![s]),
            (None, Some(n)) => self.strings(n, "scenarios"),
            (None, None) => Some(vec!["baseline".to_string()]),
        };
        let scenarios_at = get("scenario")
            .or(get("scenarios"))
            .map_or_else(|| self.at(root), |n| self.at(n));
        let designs_at = get("designs")
            .or(get("baseline"))
            .map_or_else(|| self.at(root), |n| self.at(n));
        let seed = get("seed").and_then(|n| self.whole(n, "seed", 0, i64::MAX as u64));
        let replications = match get("replications") {
            Some(n) => self.whole(n, "replications", 1, MAX_REPLICATIONS_PER_POINT),
            None => Some(1000),
        };
        let designs = match get("designs") {
            Some(n) => self.strings(n, "designs").unwrap_or_default(),
            None => Vec::new(),
        };
        let baseline = get("baseline").and_then(|n| self.string(n, "baseline"));
        let mut thresholds = Vec::new();
        if let Some(t) = get("thresholds") {
            match t.entries() {
                Some(entries) => {
                    for e in entries {
                        let p = format!("thresholds.{}", e.key);
                        match Metric::from_name(&e.key) {
                            Some(m) => {
                                if let Some((v, _)) = self.float(&e.node, &p) {
                                    let (lo, hi) = m.valid_range();
                                    if v < lo || v > hi {
                                        self.problem(
                                            &e.node,
                                            &p,
                                            format!("expected a value in [{lo}, {hi}], found {v}"),
                                            None,
                                        );
                                    } else {
                                        thresholds.push((m, v));
                                    }
                                }
                            }
                            None => {
                                let help = suggest(&e.key, metric::names())
                                    .map(|s| format!("did you mean `{s}`?"))
                                    .unwrap_or_else(|| {
                                        format!(
                                            "metrics: {}",
                                            metric::names().collect::<Vec<_>>().join(", ")
                                        )
                                    });
                                self.problem(
                                    &e.node,
                                    &p,
                                    format!("`{}` is not a metric", e.key),
                                    Some(help),
                                );
                            }
                        }
                    }
                }
                None => self.problem(
                    t,
                    "thresholds",
                    format!(
                        "expected a table such as {{ evacuation = 0.9 }}, found {}",
                        t.value.kind()
                    ),
                    None,
                ),
            }
        }
        let regret = match get("regret_metric") {
            Some(n) => self
                .string(n, "regret_metric")
                .and_then(|s| match Metric::from_name(&s) {
                    Some(m) => Some(m),
                    None => {
                        let help = suggest(&s, metric::names())
                            .map(|g| format!("did you mean `{g}`?"))
                            .unwrap_or_else(|| {
                                format!(
                                    "metrics: {}",
                                    metric::names().collect::<Vec<_>>().join(", ")
                                )
                            });
                        self.problem(
                            n,
                            "regret_metric",
                            format!("`{s}` is not a metric"),
                            Some(help),
                        );
                        None
                    }
                }),
            None => Some(Metric::Composite),
        };
        let parameters = self.parameters(root.get("parameter"));
        let sampling = self.sampling(
            root,
            root.get("sampling"),
            parameters.as_ref().map_or(0, Vec::len),
        );
        let (scenarios, replications, regret, sampling, parameters) =
            (scenarios?, replications?, regret?, sampling?, parameters?);
        if parameters.is_empty() && scenarios.len() < 2 {
            self.problem(
                root,
                "parameter",
                "nothing varies: no [[parameter]] and a single scenario".into(),
                Some("add [[parameter]] tables (key = \"beijing.sensitivity\", low = 0.5, high = 2), or list several scenarios".into()),
            );
            return None;
        }
        let exp = Experiment {
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "experiment".into()),
            path: path.to_path_buf(),
            text: text.to_string(),
            sha256: crate::output::checksum::sha256_hex(text.as_bytes()),
            description,
            scenarios,
            scenarios_at,
            designs_at,
            seed,
            replications,
            designs,
            baseline,
            thresholds,
            regret,
            sampling,
            parameters,
        };
        let n = exp
            .count_parameter_points()
            .saturating_mul(exp.scenarios.len());
        if n > MAX_POINTS {
            self.problem(
                root.get("sampling").unwrap_or(root),
                "sampling",
                format!("the design has {n} points; at most {MAX_POINTS} are run in one sweep"),
                Some("use fewer levels or points, or split the experiment".into()),
            );
            return None;
        }
        Some(exp)
    }

    fn sampling(&mut self, root: &Node, node: Option<&Node>, k: usize) -> Option<Sampling> {
        let Some(node) = node else {
            self.problem(
                root,
                "sampling",
                "no [sampling] table: how are the points chosen?".into(),
                Some(format!(
                    "add [sampling] with method = one of {}",
                    METHODS.join(", ")
                )),
            );
            return None;
        };
        if node.entries().is_none() {
            self.problem(
                node,
                "sampling",
                format!("expected a table, found {}", node.value.kind()),
                None,
            );
            return None;
        }
        self.known(node, "sampling.", &SAMPLING_KEYS);
        let Some(m) = node.get("method") else {
            self.problem(
                node,
                "sampling.method",
                "missing".into(),
                Some(format!("one of {}", METHODS.join(", "))),
            );
            return None;
        };
        let method = self.string(m, "sampling.method")?;
        let count = |r: &mut Self, key: &str, lo: u64, hi: u64| -> Option<usize> {
            match node.get(key) {
                Some(n) => r
                    .whole(n, &format!("sampling.{key}"), lo, hi)
                    .map(|x| x as usize),
                None => {
                    r.problem(
                        node,
                        &format!("sampling.{key}"),
                        format!("missing: method {method} needs it"),
                        Some(format!(
                            "e.g. {key} = {}",
                            match key {
                                "points" => 100,
                                "base_samples" => 64,
                                "trajectories" => 10,
                                _ => 4,
                            }
                        )),
                    );
                    None
                }
            }
        };
        let unused = |r: &mut Self, keys: &[&str]| {
            for key in keys {
                if let Some(n) = node.get(key) {
                    r.problem(
                        n,
                        &format!("sampling.{key}"),
                        format!("does not apply to method {method}"),
                        Some("remove it".into()),
                    );
                }
            }
        };
        let max = MAX_POINTS as u64;
        let s = match method.as_str() {
            "factorial" => {
                unused(self, &["points", "base_samples", "trajectories", "levels"]);
                Sampling::Factorial
            }
            "one-at-a-time" => {
                unused(self, &["points", "base_samples", "trajectories", "levels"]);
                Sampling::OneAtATime
            }
            "latin-hypercube" => {
                unused(self, &["base_samples", "trajectories", "levels"]);
                Sampling::LatinHypercube {
                    points: count(self, "points", 2, max)?,
                }
            }
            "sobol" => {
                unused(self, &["points", "trajectories", "levels"]);
                Sampling::Sobol {
                    base_samples: count(self, "base_samples", 2, max)?,
                }
            }
            "morris" => {
                unused(self, &["points", "base_samples"]);
                let trajectories = count(self, "trajectories", 2, max)?;
                let levels = match node.get("levels") {
                    Some(n) => {
                        let l = self.whole(n, "sampling.levels", 2, 100)? as usize;
                        if l % 2 != 0 {
                            self.problem(
                                n,
                                "sampling.levels",
                                format!("expected an even number of levels, found {l}"),
                                Some(
                                    "Morris's grid uses an even number of levels (4 is usual)"
                                        .into(),
                                ),
                            );
                            return None;
                        }
                        l
                    }
                    None => 4,
                };
                Sampling::Morris {
                    trajectories,
                    levels,
                }
            }
            other => {
                let help = match suggest(other, METHODS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("methods: {}", METHODS.join(", ")),
                };
                self.problem(
                    m,
                    "sampling.method",
                    format!("`{other}` is not a method"),
                    Some(help),
                );
                return None;
            }
        };
        if k == 0 && !matches!(s, Sampling::Factorial | Sampling::OneAtATime) {
            self.problem(
                m,
                "sampling.method",
                format!("method {method} needs at least one [[parameter]]"),
                None,
            );
            return None;
        }
        Some(s)
    }

    fn parameters(&mut self, node: Option<&Node>) -> Option<Vec<Parameter>> {
        let Some(node) = node else {
            return Some(Vec::new());
        };
        let Value::Array(items) = &node.value else {
            self.problem(
                node,
                "parameter",
                format!("expected [[parameter]] tables, found {}", node.value.kind()),
                Some("write each parameter as a [[parameter]] table".into()),
            );
            return None;
        };
        if items.len() > MAX_PARAMETERS {
            self.problem(
                node,
                "parameter",
                format!("{} parameters; at most {MAX_PARAMETERS}", items.len()),
                None,
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.parameter(i, item) {
                Some(p) => {
                    if out.iter().any(|q: &Parameter| q.key == p.key) {
                        self.problem(
                            item,
                            &format!("parameter[{i}].key"),
                            format!("`{}` is given twice", p.key),
                            Some("each key varies in one [[parameter]] only".into()),
                        );
                        ok = false;
                    }
                    out.push(p);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn parameter(&mut self, i: usize, item: &Node) -> Option<Parameter> {
        let prefix = format!("parameter[{i}].");
        if item.entries().is_none() {
            self.problem(
                item,
                &format!("parameter[{i}]"),
                format!("expected a table, found {}", item.value.kind()),
                None,
            );
            return None;
        }
        self.known(item, &prefix, &PARAMETER_KEYS);
        let Some(k) = item.get("key") else {
            self.problem(
                item,
                &format!("{prefix}key"),
                "missing: which value varies?".into(),
                Some(
                    "key = \"beijing.sensitivity\": any key `dialogue-wargame list --keys` shows"
                        .into(),
                ),
            );
            return None;
        };
        let key = self.string(k, &format!("{prefix}key"))?;
        let path = format!("parameter {key}");
        let at = self.at(k);
        let (low, high, values) = (item.get("low"), item.get("high"), item.get("values"));
        let domain = match (low, high, values) {
            (None, None, Some(v)) => {
                for extra in ["levels"] {
                    if let Some(n) = item.get(extra) {
                        self.problem(
                            n,
                            &format!("{path}.{extra}"),
                            "does not apply to a list of values (each value is a level)".into(),
                            Some("remove it".into()),
                        );
                    }
                }
                let Value::Array(vals) = &v.value else {
                    self.problem(
                        v,
                        &format!("{path}.values"),
                        format!("expected an array of values, found {}", v.value.kind()),
                        None,
                    );
                    return None;
                };
                if vals.is_empty() {
                    self.problem(
                        v,
                        &format!("{path}.values"),
                        "expected at least one value".into(),
                        None,
                    );
                    return None;
                }
                let values: Vec<String> = vals.iter().map(|n| tree::to_toml(&n.value)).collect();
                let base = match item.get("base") {
                    Some(b) => {
                        let t = tree::to_toml(&b.value);
                        match values.iter().position(|v| *v == t) {
                            Some(i) => i,
                            None => {
                                self.problem(
                                    b,
                                    &format!("{path}.base"),
                                    format!("{t} is not one of the values"),
                                    Some("the base of a list is one of its values".into()),
                                );
                                return None;
                            }
                        }
                    }
                    None => 0,
                };
                Domain::List { values, base }
            }
            (Some(l), Some(h), None) => {
                let (lo, li) = self.float(l, &format!("{path}.low"))?;
                let (hi, hi_int) = self.float(h, &format!("{path}.high"))?;
                if lo >= hi {
                    self.problem(h, &format!("{path}.high"), format!("expected high > low ({lo}), found {hi}"), Some("for one fixed value, use --set or the scenario; a list (values = [...]) takes any values".into()));
                    return None;
                }
                let integer = li && hi_int;
                let base = match item.get("base") {
                    Some(b) => {
                        let (v, _) = self.float(b, &format!("{path}.base"))?;
                        if v < lo || v > hi {
                            self.problem(
                                b,
                                &format!("{path}.base"),
                                format!("expected a value in [{lo}, {hi}], found {v}"),
                                None,
                            );
                            return None;
                        }
                        v
                    }
                    None => (lo + hi) / 2.0,
                };
                let levels = match item.get("levels") {
                    Some(n) => self.whole(n, &format!("{path}.levels"), 2, 1000)? as usize,
                    None => 3,
                };
                Domain::Range {
                    low: lo,
                    high: hi,
                    base,
                    levels,
                    integer,
                }
            }
            _ => {
                self.problem(
                    item,
                    &path,
                    "expected either low and high (a range) or values (a list)".into(),
                    Some("e.g. low = 0.5, high = 2 or values = [0, 1, 2]".into()),
                );
                return None;
            }
        };
        Some(Parameter { key, domain, at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exp(text: &str) -> Result<Experiment, String> {
        parse(Path::new("e.toml"), text.to_string()).map_err(|e| e.to_string())
    }

    #[test]
    fn factorial_crosses_levels_first_parameter_slowest() {
        let e = exp(r#"
            [sampling]
            method = "factorial"
            [[parameter]]
            key = "beijing.sensitivity"
            values = [0, 1]
            [[parameter]]
            key = "crisis.warning_days.mode"
            low = 3
            high = 9
            levels = 3
        "#)
        .unwrap();
        let p = e.parameter_points(1);
        assert_eq!(p.len(), 6);
        assert_eq!(p[0], vec!["0", "3"]);
        assert_eq!(p[1], vec!["0", "6"]);
        assert_eq!(p[5], vec!["1", "9"]);
        assert_eq!(e.count_parameter_points(), 6);
    }

    #[test]
    fn one_at_a_time_moves_one_parameter_from_base() {
        let e = exp(r#"
            scenarios = ["baseline", "short-warning"]
            [sampling]
            method = "one-at-a-time"
            [[parameter]]
            key = "beijing.sensitivity"
            low = 0.5
            high = 2.0
            base = 1.0
            [[parameter]]
            key = "design.track-2.pace"
            values = ["japan-led", "taiwan-led"]
        "#)
        .unwrap();
        let p = e.parameter_points(1);
        assert_eq!(
            p,
            vec![
                vec!["1.0", "\"japan-led\""],
                vec!["0.5", "\"japan-led\""],
                vec!["2.0", "\"japan-led\""],
                vec!["1.0", "\"taiwan-led\""],
            ]
        );
        let all = e.points(1);
        assert_eq!(all.len(), 8);
        assert_eq!((all[4].scenario, &all[4].values), (1, &p[0]));
        assert_eq!(shown("\"japan-led\""), "japan-led");
    }

    #[test]
    fn unit_coordinates_map_onto_ranges_and_lists() {
        let e = exp(r#"
            [sampling]
            method = "latin-hypercube"
            points = 2
            [[parameter]]
            key = "a"
            low = 0
            high = 10
            [[parameter]]
            key = "b"
            values = ["x", "y"]
        "#)
        .unwrap();
        let at = |u: f64| vec![e.parameters[0].at_unit(u), e.parameters[1].at_unit(u)];
        assert_eq!(at(0.26), vec!["3", "\"x\""]);
        assert_eq!(at(0.99), vec!["10", "\"y\""]);
        assert_eq!(at(1.0), vec!["10", "\"y\""]);
        // Each Latin-hypercube point comes from the sampler, mapped parameter by parameter.
        let p = e.parameter_points(7);
        assert_eq!(p.len(), 2);
        let lows = p.iter().filter(|v| v[1] == "\"x\"").count();
        assert_eq!(lows, 1, "one point in each half of the list: {p:?}");
    }

    #[test]
    fn the_resolved_experiment_reads_back_to_the_same_points() {
        let e = exp(r#"
            description = "x"
            thresholds = { evacuation = 0.8 }
            [sampling]
            method = "morris"
            trajectories = 3
            [[parameter]]
            key = "beijing.sensitivity"
            low = 0.5
            high = 2.0
            [[parameter]]
            key = "crisis.warning_days.mode"
            low = 4
            high = 9
            [[parameter]]
            key = "design.track-2.pace"
            values = ["japan-led", "taiwan-led"]
            base = "taiwan-led"
        "#)
        .unwrap();
        let ids = vec!["status-quo".to_string(), "track-2".to_string()];
        let text = e.resolved_toml(11, &ids, 0);
        let back = parse(Path::new("r.toml"), text.clone()).unwrap();
        assert_eq!(back.seed, Some(11), "{text}");
        assert_eq!(back.designs, ids);
        assert_eq!(back.baseline.as_deref(), Some("status-quo"));
        assert_eq!(back.sampling, e.sampling);
        assert_eq!(back.thresholds, e.thresholds);
        let domains = |x: &Experiment| {
            x.parameters
                .iter()
                .map(|p| (p.key.clone(), p.domain.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(domains(&back), domains(&e));
        assert_eq!(back.parameter_points(11), e.parameter_points(11));
    }

    #[test]
    fn problems_are_located_and_suggested() {
        let err = exp("replications = 0\nsedd = 3\n[sampling]\nmethod = \"latin-hypercub\"\n[[parameter]]\nkey = \"x\"\nlow = 2\nhigh = 1\n").unwrap_err();
        assert!(
            err.contains("e.toml:1:16: replications: expected a whole number"),
            "{err}"
        );
        assert!(err.contains("e.toml:2:1: sedd: unknown key"), "{err}");
        assert!(err.contains("did you mean `seed`?"), "{err}");
        assert!(err.contains("did you mean `latin-hypercube`?"), "{err}");
        assert!(
            err.contains("e.toml:8:8: parameter x.high: expected high > low"),
            "{err}"
        );
        let err = exp("[sampling]\nmethod = \"factorial\"\n").unwrap_err();
        assert!(err.contains("nothing varies"), "{err}");
        let err = exp("[sampling]\nmethod = \"morris\"\ntrajectories = 4\nlevels = 3\n[[parameter]]\nkey = \"x\"\nvalues = [1]\n").unwrap_err();
        assert!(
            err.contains("sampling.levels: expected an even number"),
            "{err}"
        );
    }
}
