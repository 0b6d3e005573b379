//! The typed reader: a table being read ([`Tab`]), the readers of one value of each kind
//! (number, whole number, boolean, string, choice, distribution, issue areas), each reporting a
//! wrong value with its location, what was expected and how to fix it, and the reading of a
//! table's keys as the schema declares them ([`Reader::params`]) into [`Values`].

use super::diag::{Diagnostic, Source};
use super::dist::{BETA_SHAPES, LOGNORMAL_MAX_CV};
use super::schema::{self, Kind, Param};
use super::tree::{self, Node, Origin, Value};
use super::*;

/// A table being read: remembers which keys were asked for, to report the others.
pub(super) struct Tab<'a> {
    pub(super) node: Option<&'a Node>,
    pub(super) path: String,
    pub(super) known: Vec<&'static str>,
    /// Required keys that are absent, with what was expected; reported by `finish`, which can
    /// pair each with a likely typo among the unknown keys.
    pub(super) missing: Vec<(&'static str, String)>,
    /// How to refer to this table in a "how to fix" hint.
    label: String,
}

impl<'a> Tab<'a> {
    pub(super) fn new(node: Option<&'a Node>, path: String, label: String) -> Tab<'a> {
        Tab {
            node,
            path,
            known: Vec::new(),
            missing: Vec::new(),
            label,
        }
    }

    pub(super) fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub(super) fn get(&mut self, key: &'static str) -> Option<&'a Node> {
        self.known.push(key);
        self.node?.get(key)
    }
}

/// Every key a distribution table can have.
const DIST_KEYS: [&str; 8] = ["value", "min", "mode", "max", "mean", "sd", "alpha", "beta"];

pub(super) struct Reader<'s> {
    pub(super) diags: Vec<Diagnostic>,
    pub(super) sources: &'s [Source],
}

use schema::range_text as fmt_range;

/// One value read as its declaration's kind. A value that was wrong reads as its kind's
/// fallback (a number's lowest valid value, an empty string, ...), as it always has: the load
/// fails, but the checks that span several keys still see a value.
#[derive(Clone, Debug)]
pub(super) enum Val {
    /// A [`Kind::Number`] or [`Kind::Prob`].
    Num(f64),
    /// A [`Kind::Int`].
    Int(u64),
    /// A [`Kind::Bool`].
    Bool(bool),
    /// A [`Kind::Text`].
    Text(String),
    /// A [`Kind::Choice`]: the chosen string.
    Choice(&'static str),
    /// A [`Kind::Dist`].
    Dist(Dist),
    /// A [`Kind::Areas`].
    Areas(AreaSet),
    /// A [`Kind::Table`].
    Table(Values),
    /// A [`Kind::Rungs`].
    Rungs(Vec<Rung>),
    /// An optional key that was not given.
    Absent,
}

/// The values of one table, by key, as read; the typed structs take them out one by one.
#[derive(Clone, Debug, Default)]
pub(super) struct Values(Vec<(&'static str, Val)>);

/// A Rust type a [`Val`] converts to.
pub(super) trait FromVal: Sized {
    /// The value, if `v` is of this type.
    fn from_val(v: Val) -> Option<Self>;
    /// What a value that was never read stands as.
    fn fallback() -> Self;
}

macro_rules! from_val {
    ($($ty:ty => $variant:ident, $fallback:expr;)*) => {$(
        impl FromVal for $ty {
            fn from_val(v: Val) -> Option<Self> {
                match v {
                    Val::$variant(x) => Some(x),
                    _ => None,
                }
            }
            fn fallback() -> Self {
                $fallback
            }
        }
    )*};
}

from_val! {
    f64 => Num, 0.0;
    u64 => Int, 0;
    bool => Bool, false;
    String => Text, String::new();
    &'static str => Choice, "";
    Dist => Dist, Dist::Fixed(0.0);
    AreaSet => Areas, AreaSet::EMPTY;
    Values => Table, Values::default();
    Vec<Rung> => Rungs, Vec::new();
}

impl Values {
    pub(super) fn push(&mut self, key: &'static str, v: Val) {
        self.0.push((key, v));
    }

    /// Take out the value of `key`: `None` when the key is optional and was not given.
    pub(super) fn take<T: FromVal>(&mut self, key: &str) -> Option<T> {
        let i = self.0.iter().position(|(k, _)| *k == key)?;
        T::from_val(self.0.remove(i).1)
    }

    /// Take out the value of `key` as read, [`Val::Absent`] included.
    pub(super) fn take_val(&mut self, key: &str) -> Option<Val> {
        let i = self.0.iter().position(|(k, _)| *k == key)?;
        Some(self.0.remove(i).1)
    }

    /// Take out the value of a required key.
    pub(super) fn get<T: FromVal>(&mut self, key: &str) -> T {
        self.take(key).unwrap_or_else(T::fallback)
    }
}

/// Fill a typed struct from [`Values`], each field from the key of the same name
/// (`field`), or from an expression (`field: expr`).
macro_rules! fill {
    ($values:ident, $ty:ident { $($field:ident $(: $value:expr)?),* $(,)? }) => {
        $ty { $($field: fill!(@field $values, $field $(, $value)?)),* }
    };
    (@field $values:ident, $field:ident) => {
        $values.get(stringify!($field))
    };
    (@field $values:ident, $field:ident, $value:expr) => {
        $value
    };
}
pub(super) use fill;

impl Reader<'_> {
    pub(super) fn err(
        &mut self,
        origin: Option<&Origin>,
        path: String,
        message: String,
        help: Option<String>,
    ) {
        self.diags.push(Diagnostic {
            origin: origin.cloned(),
            path,
            message,
            help,
        });
    }

    /// Report a problem that involves several values where it was caused: when `primary` (the
    /// value the message is about) came from a file but one of `involved` came from a `--set`,
    /// the `--set` made the file's value wrong, so the problem is reported at the `--set`,
    /// saying where the file sets `primary`.
    pub(super) fn err_involving(
        &mut self,
        primary: Option<&Origin>,
        involved: &[Option<&Origin>],
        path: String,
        message: String,
        help: Option<String>,
    ) {
        let cause = involved
            .iter()
            .flatten()
            .find(|o| matches!(o, Origin::Override(_)));
        match (primary, cause) {
            (Some(Origin::File { source, span }), Some(cause)) => {
                let at = self.sources.get(*source).map_or(String::new(), |s| {
                    format!(
                        " ({path} is set at {}:{})",
                        s.name,
                        tree::line_col(&s.text, span.start).0
                    )
                });
                self.err(Some(cause), path, format!("{message}{at}"), help);
            }
            _ => self.err(primary, path, message, help),
        }
    }

    pub(super) fn missing(&mut self, t: &mut Tab<'_>, key: &'static str, expected: &str) {
        if t.node.is_some() {
            t.missing.push((key, expected.to_string()));
        }
    }

    /// Line of a location, for "first used at line N".
    pub(super) fn line_of(&self, origin: Option<&Origin>) -> Option<usize> {
        match origin {
            Some(Origin::File { source, span }) => self
                .sources
                .get(*source)
                .map(|s| tree::line_col(&s.text, span.start).0),
            _ => None,
        }
    }

    /// Open a sub-table; reports a missing or mistyped table.
    pub(super) fn table<'a>(&mut self, parent: &mut Tab<'a>, key: &'static str) -> Tab<'a> {
        let path = parent.child_path(key);
        let label = format!("[{path}]");
        match parent.get(key) {
            Some(n) if matches!(n.value, Value::Table(_)) => Tab::new(Some(n), path, label),
            Some(n) => {
                self.err(
                    Some(&n.origin),
                    path.clone(),
                    format!("expected a table, found {}", n.value.kind()),
                    Some(format!("write it as a [{path}] section")),
                );
                Tab::new(None, path, label)
            }
            None => {
                self.missing(parent, key, &format!("a [{path}] section"));
                Tab::new(None, path, label)
            }
        }
    }

    /// Report keys of `t` that were never asked for, then required keys that are absent. An
    /// unknown key that looks like a typo of a missing one is reported once, as the typo.
    pub(super) fn finish(&mut self, mut t: Tab<'_>) {
        let Some(node) = t.node else {
            return;
        };
        for e in node.entries().unwrap_or(&[]) {
            if t.known.contains(&e.key.as_str()) {
                continue;
            }
            let missing: Vec<&str> = t.missing.iter().map(|m| m.0).collect();
            let help = match suggest(&e.key, missing.iter().copied()) {
                Some(s) => {
                    t.missing.retain(|m| m.0 != s);
                    format!("did you mean `{s}`? (`{s}` is required here and missing)")
                }
                None => match suggest(&e.key, t.known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("known keys here: {}", t.known.join(", ")),
                },
            };
            self.err(
                Some(&e.key_origin),
                t.child_path(&e.key),
                "unknown key".into(),
                Some(help),
            );
        }
        for (key, expected) in std::mem::take(&mut t.missing) {
            let help = if expected.starts_with("a [") || expected.starts_with("at least one [[") {
                let section = expected
                    .trim_start_matches("at least one ")
                    .trim_start_matches("a ");
                let section = section.split(' ').next().unwrap_or(section);
                format!("add a {section} section (copy it from scenarios/baseline.toml; docs/MODEL.md explains it)")
            } else {
                format!(
                    "add `{key} = ...` to {} (see scenarios/baseline.toml and docs/MODEL.md)",
                    t.label
                )
            };
            self.err(
                Some(&node.origin),
                t.child_path(key),
                format!("missing key `{key}`; expected {expected}"),
                Some(help),
            );
        }
    }

    pub(super) fn number_of(&mut self, n: &Node, path: &str, lo: f64, hi: f64) -> Option<f64> {
        let v = match n.value {
            Value::Int(i) => i as f64,
            Value::Float(f) => f,
            _ => {
                self.err(
                    Some(&n.origin),
                    path.to_string(),
                    format!(
                        "expected a number {}, found {}",
                        fmt_range(lo, hi),
                        n.value.kind()
                    ),
                    Some("write a bare number without quotes, e.g. 0.5".into()),
                );
                return None;
            }
        };
        if !v.is_finite() {
            self.err(
                Some(&n.origin),
                path.to_string(),
                format!("expected a finite number {}, found {v}", fmt_range(lo, hi)),
                Some("nan and inf are not allowed; write an ordinary number".into()),
            );
            return None;
        }
        if v < lo || v > hi {
            self.err(
                Some(&n.origin),
                path.to_string(),
                format!(
                    "expected a number {}, found {}",
                    fmt_range(lo, hi),
                    shown(v)
                ),
                Some(format!("change it to a value {}", fmt_range(lo, hi))),
            );
            return None;
        }
        Some(v)
    }

    /// A required number in `[lo, hi]`.
    pub(super) fn num(&mut self, t: &mut Tab<'_>, key: &'static str, lo: f64, hi: f64) -> f64 {
        match t.get(key) {
            Some(n) => self.number_of(n, &t.child_path(key), lo, hi).unwrap_or(lo),
            None => {
                if t.node.is_some() {
                    self.missing(t, key, &format!("a number {}", fmt_range(lo, hi)));
                }
                lo
            }
        }
    }

    pub(super) fn prob(&mut self, t: &mut Tab<'_>, key: &'static str) -> f64 {
        self.num(t, key, 0.0, 1.0)
    }

    /// A required whole number in `[lo, hi]`.
    pub(super) fn int(&mut self, t: &mut Tab<'_>, key: &'static str, lo: u64, hi: u64) -> u64 {
        let path = t.child_path(key);
        match t.get(key) {
            Some(n) => match n.value {
                Value::Int(i) if i >= 0 && (i as u64) >= lo && (i as u64) <= hi => i as u64,
                Value::Int(i) => {
                    self.err(
                        Some(&n.origin),
                        path,
                        format!("expected a whole number in [{lo}, {hi}], found {i}"),
                        Some(format!("change it to a whole number from {lo} to {hi}")),
                    );
                    lo
                }
                Value::Float(f) if f.fract() == 0.0 && f.abs() >= 9.2e18 => {
                    self.err(
                        Some(&n.origin),
                        path,
                        format!("expected a whole number in [{lo}, {hi}], found {f:e}, which is too large"),
                        Some(format!("change it to a whole number from {lo} to {hi}")),
                    );
                    lo
                }
                _ => {
                    let found = match n.value {
                        Value::Float(f) => format!("the float {f}"),
                        ref v => v.kind().to_string(),
                    };
                    self.err(
                        Some(&n.origin),
                        path,
                        format!("expected a whole number in [{lo}, {hi}], found {found}"),
                        Some("write an integer without a decimal point or quotes".into()),
                    );
                    lo
                }
            },
            None => {
                if t.node.is_some() {
                    self.missing(t, key, &format!("a whole number in [{lo}, {hi}]"));
                }
                lo
            }
        }
    }

    pub(super) fn boolean(&mut self, t: &mut Tab<'_>, key: &'static str) -> bool {
        match t.get(key) {
            Some(Node {
                value: Value::Bool(b),
                ..
            }) => *b,
            Some(n) => {
                self.err(
                    Some(&n.origin),
                    t.child_path(key),
                    format!("expected true or false, found {}", n.value.kind()),
                    Some("write true or false without quotes".into()),
                );
                false
            }
            None => {
                if t.node.is_some() {
                    self.missing(t, key, "true or false");
                }
                false
            }
        }
    }

    pub(super) fn string(&mut self, t: &mut Tab<'_>, key: &'static str, required: bool) -> String {
        match t.get(key) {
            Some(Node {
                value: Value::Str(s),
                ..
            }) => s.clone(),
            Some(n) => {
                self.err(
                    Some(&n.origin),
                    t.child_path(key),
                    format!("expected a string, found {}", n.value.kind()),
                    Some("put the text in double quotes".into()),
                );
                String::new()
            }
            None => {
                if required && t.node.is_some() {
                    self.missing(t, key, "a string");
                }
                String::new()
            }
        }
    }

    /// A string that must be one of `allowed`; returns its index.
    pub(super) fn choice(
        &mut self,
        t: &mut Tab<'_>,
        key: &'static str,
        allowed: &[&'static str],
    ) -> usize {
        let path = t.child_path(key);
        let node = t.get(key);
        match node {
            Some(Node {
                value: Value::Str(s),
                origin,
            }) => match allowed.iter().position(|a| a == s) {
                Some(i) => i,
                None => {
                    let help = match suggest(s, allowed.iter().copied()) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!("use one of: {}", allowed.join(", ")),
                    };
                    self.err(
                        Some(origin),
                        path,
                        format!("expected one of {}, found `{s}`", allowed.join(", ")),
                        Some(help),
                    );
                    0
                }
            },
            Some(n) => {
                self.err(
                    Some(&n.origin),
                    path,
                    format!(
                        "expected one of {} (a string), found {}",
                        allowed.join(", "),
                        n.value.kind()
                    ),
                    Some(format!(
                        "write it in double quotes, e.g. \"{}\"",
                        allowed[0]
                    )),
                );
                0
            }
            None => {
                if t.node.is_some() {
                    self.missing(t, key, &format!("one of {}", allowed.join(", ")));
                }
                0
            }
        }
    }

    /// A distribution (or fixed number) whose values must lie in `[lo, hi]`.
    pub(super) fn dist(&mut self, t: &mut Tab<'_>, key: &'static str, lo: f64, hi: f64) -> Dist {
        let path = t.child_path(key);
        let Some(n) = t.get(key) else {
            if t.node.is_some() {
                self.missing(
                    t,
                    key,
                    &format!(
                        "a number {} or a distribution such as {{ dist = \"triangular\", min = .., mode = .., max = .. }}",
                        fmt_range(lo, hi)
                    ),
                );
            }
            return Dist::Fixed(lo);
        };
        let fallback = Dist::Fixed(if lo.is_finite() { lo } else { 0.0 });
        match &n.value {
            Value::Int(_) | Value::Float(_) => self
                .number_of(n, &path, lo, hi)
                .map_or(fallback, Dist::Fixed),
            Value::Table(_) => self.dist_table(n, path, lo, hi).unwrap_or(fallback),
            other => {
                self.err(
                    Some(&n.origin),
                    path,
                    format!(
                        "expected a number {} or a distribution table, found {}",
                        fmt_range(lo, hi),
                        other.kind()
                    ),
                    Some("e.g. { dist = \"triangular\", min = 3, mode = 14, max = 60 }".into()),
                );
                fallback
            }
        }
    }

    fn dist_table(&mut self, n: &Node, path: String, lo: f64, hi: f64) -> Option<Dist> {
        let mut t = Tab::new(Some(n), path.clone(), format!("the {path} table"));
        let result = self.dist_kind(&mut t, n, path, lo, hi);
        if result.is_none() {
            // After a problem with the kind, its other keys are not worth a second complaint.
            t.known.extend(DIST_KEYS);
        }
        self.finish(t);
        result
    }

    fn dist_kind(
        &mut self,
        t: &mut Tab<'_>,
        n: &Node,
        path: String,
        lo: f64,
        hi: f64,
    ) -> Option<Dist> {
        const KINDS: [&str; 6] = [
            "fixed",
            "uniform",
            "triangular",
            "beta",
            "normal",
            "lognormal",
        ];
        let before = self.diags.len();
        let kind = self.choice(t, "dist", &KINDS);
        if (self.diags.len() > before || !t.missing.is_empty()) || !t.missing.is_empty() {
            return None;
        }
        let result = match KINDS[kind] {
            "fixed" => Some(Dist::Fixed(self.num(t, "value", lo, hi))),
            "uniform" => {
                let min = self.num(t, "min", lo, hi);
                let max = self.num(t, "max", lo, hi);
                if (self.diags.len() == before && t.missing.is_empty()) && min > max {
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!("uniform min {min} is above max {max}"),
                        Some("swap min and max".into()),
                    );
                }
                Some(Dist::Uniform { min, max })
            }
            "triangular" => {
                let min = self.num(t, "min", lo, hi);
                let mode = self.num(t, "mode", lo, hi);
                let max = self.num(t, "max", lo, hi);
                if self.diags.len() > before || !t.missing.is_empty() {
                    None
                } else if min > max {
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!("triangular min {min} is above max {max}"),
                        Some("expected min <= mode <= max; swap min and max".into()),
                    );
                    None
                } else if mode < min || mode > max {
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!("triangular mode {mode} is outside [min, max] = [{min}, {max}]"),
                        Some("expected min <= mode <= max".into()),
                    );
                    None
                } else {
                    Dist::triangular(min, mode, max).or(Some(Dist::Fixed(min)))
                }
            }
            "beta" => {
                if lo > 0.0 || hi < 1.0 {
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!(
                            "a beta distribution lies in [0, 1], but this value must be {}",
                            fmt_range(lo, hi)
                        ),
                        Some("use a triangular or uniform distribution instead".into()),
                    );
                    return None;
                }
                let has_shapes = n.get("alpha").is_some() || n.get("beta").is_some();
                let (lo_shape, hi_shape) = BETA_SHAPES;
                if has_shapes {
                    let a = self.num(t, "alpha", lo_shape, hi_shape);
                    let b = self.num(t, "beta", lo_shape, hi_shape);
                    if self.diags.len() > before || !t.missing.is_empty() {
                        return None;
                    }
                    Dist::beta_shapes(a, b)
                } else {
                    let mean = self.num(t, "mean", 0.0, 1.0);
                    let sd = self.num(t, "sd", 0.0, 1.0);
                    if self.diags.len() > before || !t.missing.is_empty() {
                        return None;
                    }
                    let d = Dist::beta_mean_sd(mean, sd);
                    if d.is_none() {
                        let max_sd = (mean * (1.0 - mean)).sqrt();
                        let k = mean * (1.0 - mean) / (sd * sd) - 1.0;
                        let (message, help) = if mean > 0.0 && mean < 1.0 && sd > 0.0 && sd < max_sd
                        {
                            // It exists, but its shapes are beyond what draws and moments
                            // survive.
                            let var = mean * (1.0 - mean);
                            let sd_min = (var / (1.0 + hi_shape / mean.max(1.0 - mean))).sqrt();
                            let sd_max = (var / (1.0 + lo_shape / mean.min(1.0 - mean))).sqrt();
                            (
                                format!(
                                    "mean {} and sd {} give a beta distribution with shapes \
                                     alpha {:.3e} and beta {:.3e}, outside [{lo_shape}, \
                                     {hi_shape:e}] where its draws and moments are reliable",
                                    shown(mean),
                                    shown(sd),
                                    mean * k,
                                    (1.0 - mean) * k
                                ),
                                format!(
                                    "for this mean choose sd in [{sd_min:.3e}, {sd_max:.4}]; for a \
                                     value this certain write a fixed number"
                                ),
                            )
                        } else {
                            (
                                format!(
                                    "no beta distribution has mean {} and sd {}",
                                    shown(mean),
                                    shown(sd)
                                ),
                                format!(
                                    "expected 0 < mean < 1 and 0 < sd < sqrt(mean*(1-mean)) = \
                                     {max_sd:.4}"
                                ),
                            )
                        };
                        self.err(Some(&n.origin), path.clone(), message, Some(help));
                    }
                    d
                }
            }
            "normal" => {
                // Both within the parameter's range: every draw is finite before it is
                // clamped, and the moments mean something for the parameter.
                let mean = self.num(t, "mean", lo, hi);
                let sd = self.num(t, "sd", 0.0, hi - lo);
                if self.diags.len() > before || !t.missing.is_empty() {
                    return None;
                }
                let d = Dist::normal(mean, sd, lo, hi);
                if d.is_none() {
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!("sd {sd} does not define a normal distribution"),
                        Some(
                            "expected sd > 0; for a value without spread write a fixed number"
                                .into(),
                        ),
                    );
                }
                d
            }
            "lognormal" => {
                if lo > 0.0 {
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!("a lognormal distribution takes values near 0, but this value must be {}", fmt_range(lo, hi)),
                        Some("use a triangular or uniform distribution instead".into()),
                    );
                    return None;
                }
                let mean = self.num(t, "mean", 0.0, hi);
                let sd = self.num(t, "sd", 0.0, hi - lo);
                if self.diags.len() > before || !t.missing.is_empty() {
                    return None;
                }
                let d = Dist::lognormal(mean, sd, hi);
                if d.is_none() {
                    let help = if mean > 0.0 && sd > 0.0 {
                        format!(
                            "expected sd at most {LOGNORMAL_MAX_CV} times the mean: a lognormal \
                             more skewed than that puts nearly all its values near 0 and the rest \
                             beyond any range"
                        )
                    } else {
                        "expected mean > 0 and sd > 0; for a value without spread write a fixed \
                         number"
                            .into()
                    };
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!(
                            "mean {} and sd {} do not define a lognormal distribution",
                            shown(mean),
                            shown(sd)
                        ),
                        Some(help),
                    );
                }
                d
            }
            _ => None,
        };
        result
    }

    /// Read one declared key as its kind. An optional key that is absent is [`Val::Absent`].
    pub(super) fn param(&mut self, t: &mut Tab<'_>, p: &'static Param) -> Val {
        if !p.required && t.node.and_then(|n| n.get(p.key)).is_none() {
            t.known.push(p.key);
            return Val::Absent;
        }
        match p.kind {
            Kind::Number { lo, hi } => Val::Num(self.num(t, p.key, lo, hi)),
            Kind::Prob => Val::Num(self.prob(t, p.key)),
            Kind::Dist { lo, hi } => Val::Dist(self.dist(t, p.key, lo, hi)),
            Kind::Int { lo, hi } => Val::Int(self.int(t, p.key, lo, hi)),
            Kind::Bool => Val::Bool(self.boolean(t, p.key)),
            Kind::Choice(allowed) => {
                let i = self.choice(t, p.key, allowed);
                Val::Choice(allowed.get(i).copied().unwrap_or(""))
            }
            Kind::Text => Val::Text(self.string(t, p.key, p.required)),
            Kind::Areas => Val::Areas(self.issue_areas(t, p.key, p.required)),
            Kind::Table(table) => {
                let mut sub = self.table(t, p.key);
                let values = self.params(&mut sub, table);
                self.finish(sub);
                Val::Table(values)
            }
            Kind::Rungs(table) => Val::Rungs(self.rungs(t, p.key, table)),
        }
    }

    /// Read every key `table` declares, in order; the caller reports unknown and missing keys
    /// with [`Reader::finish`].
    pub(super) fn params(&mut self, t: &mut Tab<'_>, table: &'static schema::Table) -> Values {
        let mut values = Values::default();
        for p in table.params {
            let v = self.param(t, p);
            values.push(p.key, v);
        }
        values
    }

    pub(super) fn issue_areas(
        &mut self,
        t: &mut Tab<'_>,
        key: &'static str,
        required: bool,
    ) -> AreaSet {
        let mut areas = AreaSet::EMPTY;
        let path = t.child_path(key);
        let Some(node) = t.get(key) else {
            if t.node.is_some() && required {
                self.missing(t, key, &format!("a list drawn from {}", area_names()));
            }
            return areas;
        };
        let Value::Array(items) = &node.value else {
            self.err(
                Some(&node.origin),
                path,
                format!(
                    "expected a list of issue areas, found {}",
                    node.value.kind()
                ),
                Some(format!(
                    "e.g. issue_areas = [\"evacuation\", \"maritime\"]; areas: {}",
                    area_names()
                )),
            );
            return areas;
        };
        for item in items {
            match &item.value {
                Value::Str(s) => match Area::from_name(s) {
                    Some(a) if areas.contains(a) => self.err(
                        Some(&item.origin),
                        path.clone(),
                        format!("issue area `{s}` is listed twice"),
                        Some("list each area once".into()),
                    ),
                    Some(a) => {
                        areas.insert(a);
                    }
                    None => {
                        let help = match suggest(s, Area::names()) {
                            Some(g) => format!("did you mean `{g}`?"),
                            None => format!("areas: {}", area_names()),
                        };
                        self.err(
                            Some(&item.origin),
                            path.clone(),
                            format!("unknown issue area `{s}`"),
                            Some(help),
                        );
                    }
                },
                other => self.err(
                    Some(&item.origin),
                    path.clone(),
                    format!(
                        "expected an issue-area name (a string), found {}",
                        other.kind()
                    ),
                    None,
                ),
            }
        }
        areas
    }
}
/// A number as a message shows it: as written for ordinary sizes, in exponent notation when
/// very large or very small (`1e300`, not three hundred digits).
fn shown(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// The issue areas' names, for messages.
fn area_names() -> String {
    Area::names().collect::<Vec<_>>().join(", ")
}
