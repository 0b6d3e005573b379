//! Reading a scenario: text → tree → overrides → validated [`Scenario`], collecting every
//! problem in one pass so an analyst fixes a file in one go.

use std::fmt;
use std::path::Path;

use super::overrides::{self, Override};
use super::tree::{self, Entry, Node, Origin, Value};
use super::*;
use crate::metric;

/// One source text that spans point into.
#[derive(Clone, Debug)]
pub struct Source {
    /// The name shown in messages: a path, or `<builtin NAME>`.
    pub name: String,
    /// The text.
    pub text: String,
}

/// One problem found in a scenario.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Where: a file span, an override, or nowhere in particular (`None`).
    pub origin: Option<Origin>,
    /// Key path, e.g. `beijing.sensitivity` or `design.track-2.visibility`.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// How to fix it, where there is something specific to say.
    pub help: Option<String>,
}

/// A scenario that could not be loaded: every problem found, rendered with locations.
#[derive(Clone, Debug)]
pub struct LoadError {
    /// The problems, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    rendered: String,
}

impl LoadError {
    fn new(diagnostics: Vec<Diagnostic>, sources: &[Source]) -> LoadError {
        let mut rendered = String::new();
        for (i, d) in diagnostics.iter().enumerate() {
            if i > 0 {
                rendered.push('\n');
            }
            let loc = match &d.origin {
                Some(Origin::File { source, span }) => match sources.get(*source) {
                    Some(src) => {
                        let (line, col) = tree::line_col(&src.text, span.start);
                        format!("{}:{line}:{col}", src.name)
                    }
                    None => "<unknown>".to_string(),
                },
                Some(Origin::Override(shown)) => shown.clone(),
                None => sources
                    .last()
                    .map_or("<scenario>".to_string(), |s| s.name.clone()),
            };
            if d.path.is_empty() {
                rendered.push_str(&format!("{loc}: {}", d.message));
            } else {
                rendered.push_str(&format!("{loc}: {}: {}", d.path, d.message));
            }
            if let Some(help) = &d.help {
                rendered.push_str(&format!("\n  help: {help}"));
            }
        }
        LoadError {
            diagnostics,
            rendered,
        }
    }

    /// A problem with the file itself (missing, unreadable, not UTF-8), before any parsing.
    pub fn file(name: &str, message: String, help: Option<String>) -> LoadError {
        let sources = [Source {
            name: name.to_string(),
            text: String::new(),
        }];
        LoadError::new(
            vec![Diagnostic {
                origin: None,
                path: String::new(),
                message,
                help,
            }],
            &sources,
        )
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

impl std::error::Error for LoadError {}

/// A loaded scenario with what is needed to describe where it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// The source texts (base first when the file `extends` a built-in scenario).
    pub sources: Vec<Source>,
    /// The resolved document after `extends` and overrides.
    pub tree: Node,
    /// SHA-256 of the canonical text of the resolved document, hex.
    pub sha256: String,
}

/// Largest scenario file read (16 MiB; the baseline is about 20 KB).
const MAX_FILE_BYTES: u64 = 16 << 20;

/// Load a scenario file from disk and apply overrides.
pub fn load_file(path: &Path, overrides: &[Override]) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_dir() && !meta.is_file() {
            return Err(LoadError::file(
                &name,
                "is not a regular file (a pipe or a device?); expected a scenario file (.toml)"
                    .into(),
                Some("save the scenario to a file and name that file".into()),
            ));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(LoadError::file(
                &name,
                format!(
                    "is {} bytes; a scenario file may be at most {MAX_FILE_BYTES} bytes",
                    meta.len()
                ),
                Some("check that this is the scenario you meant".into()),
            ));
        }
    }
    if path.is_dir() {
        return Err(LoadError::file(
            &name,
            "is a directory, expected a scenario file (.toml)".into(),
            Some("name a file such as scenarios/baseline.toml".into()),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let help = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; `dialogue-wargame list` shows the built-in scenarios"
            }
            std::io::ErrorKind::PermissionDenied => "make the file readable (chmod +r)",
            _ => "check that the file can be read",
        };
        LoadError::file(
            &name,
            format!("cannot read the file: {e}"),
            Some(help.into()),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let good = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let (line, col) = tree::line_col(&good, at);
        LoadError::file(
            &format!("{name}:{line}:{col}"),
            "is not valid UTF-8 here; expected a UTF-8 TOML file".into(),
            Some("save the file as UTF-8 (in most editors: Save with encoding → UTF-8)".into()),
        )
    })?;
    load_str(&name, &text, overrides)
}

/// Load a scenario from text (named `name` in messages) and apply overrides.
pub fn load_str(name: &str, text: &str, overrides: &[Override]) -> Result<Loaded, LoadError> {
    let mut sources = Vec::new();
    if text.trim().is_empty() {
        return Err(LoadError::file(
            name,
            "the file is empty; expected a scenario with [scenario], the world tables and \
             [[design]] entries"
                .into(),
            Some(
                "start from scenarios/baseline.toml, or write `[scenario]` with \
                 `extends = \"baseline\"` to change only a few values"
                    .into(),
            ),
        ));
    }
    let mut root = parse_source(name, text, &mut sources)?;
    if root.entries().is_some_and(|e| e.is_empty()) {
        return Err(LoadError::file(
            name,
            "the file holds no settings (only comments or blank lines); expected a scenario"
                .into(),
            Some("start from scenarios/baseline.toml, or write `[scenario]` with `extends = \"baseline\"`".into()),
        ));
    }
    // `extends = "NAME"` lays this file over a built-in scenario.
    if let Some(ext) = root.get("scenario").and_then(|s| s.get("extends")).cloned() {
        let Value::Str(base_name) = &ext.value else {
            let d = Diagnostic {
                origin: Some(ext.origin.clone()),
                path: "scenario.extends".into(),
                message: format!("expected a string, found {}", ext.value.kind()),
                help: Some("write extends = \"baseline\"".into()),
            };
            return Err(LoadError::new(vec![d], &sources));
        };
        let Some((_, base_text)) = BUILTIN.iter().find(|(n, _)| n == base_name) else {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            let help = match suggest(base_name, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("use one of: {}", names.join(", ")),
            };
            let d = Diagnostic {
                origin: Some(ext.origin.clone()),
                path: "scenario.extends".into(),
                message: format!("no built-in scenario named `{base_name}`"),
                help: Some(help),
            };
            return Err(LoadError::new(vec![d], &sources));
        };
        // The base goes first in `sources`; shift this file's spans to index 1.
        let mut base_sources = Vec::new();
        let mut base = parse_source(
            &format!("<builtin {base_name}>"),
            base_text,
            &mut base_sources,
        )?;
        if base
            .get("scenario")
            .and_then(|s| s.get("extends"))
            .is_some()
        {
            let d = Diagnostic {
                origin: Some(ext.origin.clone()),
                path: "scenario.extends".into(),
                message: format!(
                    "`{base_name}` itself extends another scenario; only one level is supported"
                ),
                help: Some("extend `baseline` and copy the variant's changes".into()),
            };
            return Err(LoadError::new(vec![d], &sources));
        }
        shift_sources(&mut root, 1);
        sources.insert(0, base_sources.remove(0));
        remove_key(&mut root, "scenario", "extends");
        tree::merge(&mut base, root);
        root = base;
    }
    append_designs(&mut root);
    let mut diags = Vec::new();
    for ov in overrides {
        if let Err(message) = overrides::apply(&mut root, ov) {
            diags.push(Diagnostic {
                origin: Some(Origin::Override(ov.shown.clone())),
                path: ov.path.clone(),
                message,
                help: None,
            });
        }
    }
    let mut reader = Reader {
        diags,
        sources: &sources,
    };
    let scenario = reader.scenario(&root);
    if !reader.diags.is_empty() {
        let mut diags = reader.diags;
        // In file order, so the messages read top to bottom; overrides after the file.
        diags.sort_by_key(|d| match &d.origin {
            Some(Origin::File { source, span }) => (0, *source, span.start),
            _ => (1, 0, 0),
        });
        return Err(LoadError::new(diags, &sources));
    }
    let sha256 = {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(canonical(&root).as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    };
    Ok(Loaded {
        scenario,
        sources,
        tree: root,
        sha256,
    })
}

fn parse_source(name: &str, text: &str, sources: &mut Vec<Source>) -> Result<Node, LoadError> {
    sources.push(Source {
        name: name.to_string(),
        text: text.to_string(),
    });
    let index = sources.len() - 1;
    tree::parse(text, index).map_err(|errors| {
        let diags = errors
            .into_iter()
            .map(|e| {
                let msg = e.message.replace('\n', " ");
                let line = e.span.as_ref().map(|s| {
                    let (l, _) = tree::line_col(text, s.start);
                    let line = text.lines().nth(l - 1).unwrap_or("").trim_end();
                    let shown: String = line.chars().take(120).collect();
                    let more = if shown.len() < line.len() { " …" } else { "" };
                    format!("\n  {l} | {shown}{more}")
                });
                let help = if msg.contains("duplicate") {
                    "each key and each [table] may appear only once in a file; merge or delete \
                     the repeated one"
                } else if msg.contains("quoted") || msg.contains("literal string") {
                    "put text in double quotes, and give every key a value (key = value)"
                } else if msg.contains("float") || msg.contains("integer") {
                    "write numbers like 3, 0.25 or 1e-3"
                } else {
                    "see https://toml.io for the syntax; compare with scenarios/baseline.toml"
                };
                Diagnostic {
                    origin: e.span.map(|span| Origin::File {
                        source: index,
                        span,
                    }),
                    path: String::new(),
                    message: format!("invalid TOML: {msg}{}", line.unwrap_or_default()),
                    help: Some(help.into()),
                }
            })
            .collect();
        LoadError::new(diags, sources)
    })
}

fn shift_sources(node: &mut Node, by: usize) {
    fn shift(o: &mut Origin, by: usize) {
        if let Origin::File { source, .. } = o {
            *source += by;
        }
    }
    shift(&mut node.origin, by);
    match &mut node.value {
        Value::Array(items) => items.iter_mut().for_each(|n| shift_sources(n, by)),
        Value::Table(entries) => {
            for e in entries.iter_mut() {
                shift(&mut e.key_origin, by);
                shift_sources(&mut e.node, by);
            }
        }
        _ => {}
    }
}

/// `[[add_design]]` entries are appended to the `[[design]]` list (the base's, under
/// `extends`), so a variant can add a design without copying the others.
fn append_designs(root: &mut Node) {
    let Value::Table(entries) = &mut root.value else {
        return;
    };
    let Some(pos) = entries
        .iter()
        .position(|e| e.key == "add_design" && matches!(e.node.value, Value::Array(_)))
    else {
        return;
    };
    let added = entries.remove(pos);
    let Value::Array(items) = added.node.value else {
        return;
    };
    match entries.iter_mut().find(|e| e.key == "design") {
        Some(Entry {
            node:
                Node {
                    value: Value::Array(designs),
                    ..
                },
            ..
        }) => designs.extend(items),
        Some(_) => {} // a mistyped `design` is reported by the reader
        None => entries.push(Entry {
            key: "design".into(),
            key_origin: added.key_origin,
            node: Node {
                origin: added.node.origin,
                value: Value::Array(items),
            },
        }),
    }
}

fn remove_key(root: &mut Node, table: &str, key: &str) {
    if let Value::Table(entries) = &mut root.value {
        if let Some(t) = entries.iter_mut().find(|e| e.key == table) {
            if let Value::Table(inner) = &mut t.node.value {
                inner.retain(|e| e.key != key);
            }
        }
    }
}

/// A canonical text of a document: keys sorted, numbers in Rust's shortest round-trip form.
/// Two documents with the same meaning give the same text, whatever their layout or comments.
pub fn canonical(node: &Node) -> String {
    let mut out = String::new();
    write_canonical(node, &mut out);
    out
}

fn write_canonical(node: &Node, out: &mut String) {
    match &node.value {
        Value::Str(s) => out.push_str(&format!("{s:?}")),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&format!("{f:?}")),
        Value::Bool(b) => out.push_str(&b.to_string()),
        Value::Datetime => out.push_str("datetime"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Table(entries) => {
            let mut sorted: Vec<_> = entries.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for (i, e) in sorted.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!("{:?}=", e.key));
                write_canonical(&e.node, out);
            }
            out.push('}');
        }
    }
}

/// A table being read: remembers which keys were asked for, to report the others.
struct Tab<'a> {
    node: Option<&'a Node>,
    path: String,
    known: Vec<&'static str>,
    /// Required keys that are absent, with what was expected; reported by `finish`, which can
    /// pair each with a likely typo among the unknown keys.
    missing: Vec<(&'static str, String)>,
    /// How to refer to this table in a "how to fix" hint.
    label: String,
}

impl<'a> Tab<'a> {
    fn new(node: Option<&'a Node>, path: String, label: String) -> Tab<'a> {
        Tab {
            node,
            path,
            known: Vec::new(),
            missing: Vec::new(),
            label,
        }
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Node> {
        self.known.push(key);
        self.node?.get(key)
    }
}

/// Every key a distribution table can have.
const DIST_KEYS: [&str; 8] = ["value", "min", "mode", "max", "mean", "sd", "alpha", "beta"];

struct Reader<'s> {
    diags: Vec<Diagnostic>,
    sources: &'s [Source],
}

fn fmt_range(lo: f64, hi: f64) -> String {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => format!("in [{lo}, {hi}]"),
        (true, false) => format!(">= {lo}"),
        (false, true) => format!("<= {hi}"),
        (false, false) => "finite".to_string(),
    }
}

impl Reader<'_> {
    fn err(
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

    fn missing(&mut self, t: &mut Tab<'_>, key: &'static str, expected: &str) {
        if t.node.is_some() {
            t.missing.push((key, expected.to_string()));
        }
    }

    /// Line of a location, for "first used at line N".
    fn line_of(&self, origin: Option<&Origin>) -> Option<usize> {
        match origin {
            Some(Origin::File { source, span }) => self
                .sources
                .get(*source)
                .map(|s| tree::line_col(&s.text, span.start).0),
            _ => None,
        }
    }

    /// Open a sub-table; reports a missing or mistyped table.
    fn table<'a>(&mut self, parent: &mut Tab<'a>, key: &'static str) -> Tab<'a> {
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
    fn finish(&mut self, mut t: Tab<'_>) {
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

    fn number_of(&mut self, n: &Node, path: &str, lo: f64, hi: f64) -> Option<f64> {
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
                format!("expected a number {}, found {v}", fmt_range(lo, hi)),
                Some(format!("change it to a value {}", fmt_range(lo, hi))),
            );
            return None;
        }
        Some(v)
    }

    /// A required number in `[lo, hi]`.
    fn num(&mut self, t: &mut Tab<'_>, key: &'static str, lo: f64, hi: f64) -> f64 {
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

    fn prob(&mut self, t: &mut Tab<'_>, key: &'static str) -> f64 {
        self.num(t, key, 0.0, 1.0)
    }

    /// A required whole number in `[lo, hi]`.
    fn int(&mut self, t: &mut Tab<'_>, key: &'static str, lo: u64, hi: u64) -> u64 {
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

    fn boolean(&mut self, t: &mut Tab<'_>, key: &'static str) -> bool {
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

    fn string(&mut self, t: &mut Tab<'_>, key: &'static str, required: bool) -> String {
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
    fn choice(&mut self, t: &mut Tab<'_>, key: &'static str, allowed: &[&'static str]) -> usize {
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
    fn dist(&mut self, t: &mut Tab<'_>, key: &'static str, lo: f64, hi: f64) -> Dist {
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
        let unbounded = (f64::NEG_INFINITY, f64::INFINITY);
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
                if has_shapes {
                    let a = self.num(t, "alpha", 0.0, f64::INFINITY);
                    let b = self.num(t, "beta", 0.0, f64::INFINITY);
                    if self.diags.len() > before || !t.missing.is_empty() {
                        return None;
                    }
                    let d = Dist::beta_shapes(a, b);
                    if d.is_none() {
                        self.err(
                            Some(&n.origin),
                            path.clone(),
                            format!("alpha {a} and beta {b} do not define a beta distribution"),
                            Some("expected alpha > 0 and beta > 0".into()),
                        );
                    }
                    d
                } else {
                    let mean = self.num(t, "mean", 0.0, 1.0);
                    let sd = self.num(t, "sd", 0.0, 1.0);
                    if self.diags.len() > before || !t.missing.is_empty() {
                        return None;
                    }
                    let d = Dist::beta_mean_sd(mean, sd);
                    if d.is_none() {
                        let max_sd = (mean * (1.0 - mean)).sqrt();
                        self.err(
                            Some(&n.origin),
                            path.clone(),
                            format!("no beta distribution has mean {mean} and sd {sd}"),
                            Some(format!(
                                "expected 0 < mean < 1 and 0 < sd < sqrt(mean*(1-mean)) = {max_sd:.4}"
                            )),
                        );
                    }
                    d
                }
            }
            "normal" => {
                let mean = self.num(t, "mean", lo, hi);
                let sd = self.num(t, "sd", 0.0, unbounded.1);
                if self.diags.len() > before || !t.missing.is_empty() {
                    return None;
                }
                let d = Dist::normal(mean, sd, lo, hi);
                if d.is_none() {
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!("sd {sd} does not define a normal distribution"),
                        Some("expected sd > 0".into()),
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
                let mean = self.num(t, "mean", 0.0, unbounded.1);
                let sd = self.num(t, "sd", 0.0, unbounded.1);
                if self.diags.len() > before || !t.missing.is_empty() {
                    return None;
                }
                let d = Dist::lognormal(mean, sd, hi);
                if d.is_none() {
                    self.err(
                        Some(&n.origin),
                        path.clone(),
                        format!("mean {mean} and sd {sd} do not define a lognormal distribution"),
                        Some("expected mean > 0 and sd > 0".into()),
                    );
                }
                d
            }
            _ => None,
        };
        result
    }

    fn scenario(&mut self, root: &Node) -> Scenario {
        let mut top = Tab::new(Some(root), String::new(), "the top level".into());
        let mut s = self.table(&mut top, "scenario");
        let before = self.diags.len();
        let name = self.string(&mut s, "name", true);
        let name_given = s.node.and_then(|n| n.get("name")).is_some() && self.diags.len() == before;
        if name_given
            && (name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        {
            let origin = s.node.and_then(|n| n.get("name")).map(|n| n.origin.clone());
            self.err(
                origin.as_ref(),
                "scenario.name".into(),
                format!("`{name}` is not usable in a directory name"),
                Some("use letters, digits, '-', '_' and '.' only".into()),
            );
        }
        let description = self.string(&mut s, "description", false);
        let replications = self.int(&mut s, "replications", 1, MAX_REPLICATIONS);
        let seed = self.int(&mut s, "seed", 0, u64::MAX >> 1);
        let baseline = self.string(&mut s, "baseline", true);
        let baseline_origin = s
            .node
            .and_then(|n| n.get("baseline"))
            .map(|n| n.origin.clone());
        let status_quo_origin = s
            .node
            .and_then(|n| n.get("status_quo"))
            .map(|n| n.origin.clone());
        let status_quo = if status_quo_origin.is_some() {
            self.string(&mut s, "status_quo", true)
        } else {
            s.known.push("status_quo");
            baseline.clone()
        };
        s.known.push("extends");
        self.finish(s);

        let world = self.world(&mut top);
        let programme = {
            let mut t = self.table(&mut top, "programme");
            let programme = Programme {
                cadence_per_year: self.num(&mut t, "cadence_per_year", 0.0, 52.0),
                issue_areas: self.issue_areas(&mut t, true),
            };
            self.finish(t);
            programme
        };
        let weights = {
            let mut w = self.table(&mut top, "weights");
            let inf = f64::INFINITY;
            let weights = Weights {
                info_exchange: self.num(&mut w, "info_exchange", 0.0, inf),
                evacuation: self.num(&mut w, "evacuation", 0.0, inf),
                rear_area: self.num(&mut w, "rear_area", 0.0, inf),
                coercion: self.num(&mut w, "coercion", 0.0, inf),
                escalation: self.num(&mut w, "escalation", 0.0, inf),
            };
            self.finish(w);
            weights
        };
        let thresholds = self.thresholds(&mut top);
        if let Some(n) = top.get("add_design") {
            // Left in place only when it is not an array of tables.
            self.err(
                Some(&n.origin),
                "add_design".into(),
                format!("expected [[add_design]] tables, found {}", n.value.kind()),
                Some("write each added design as an [[add_design]] section".into()),
            );
        }
        let design_origin = top
            .node
            .and_then(|n| n.get("design"))
            .map(|n| n.origin.clone());
        let designs = self.designs(&mut top, &programme);
        let ids_valid = !designs.is_empty() && designs.iter().all(|d| !d.id.is_empty());
        if !baseline.is_empty() && ids_valid && !designs.iter().any(|d| d.id == baseline) {
            let help = match suggest(&baseline, designs.iter().map(|d| d.id.as_str())) {
                Some(g) => format!("did you mean `{g}`?"),
                None => format!(
                    "use one of: {}",
                    designs
                        .iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let source = |o: &Option<Origin>| match o {
                Some(Origin::File { source, .. }) => Some(*source),
                _ => None,
            };
            // The hint fits when this file's design list replaced the base's while the
            // baseline id still comes from the base.
            let replaced = matches!(
                (source(&design_origin), source(&baseline_origin)),
                (Some(d), Some(b)) if d > b
            );
            let help = if replaced {
                format!(
                    "{help} (this file's [[design]] list replaces the base scenario's designs: \
                     list `{baseline}` in it too, add designs with [[add_design]] instead, or \
                     set [scenario] baseline)"
                )
            } else {
                help
            };
            self.err(
                baseline_origin.as_ref(),
                "scenario.baseline".into(),
                format!("`{baseline}` is not the id of a design in this scenario"),
                Some(help),
            );
        }
        // A status quo named with a design list that a later file replaced falls back to the
        // baseline: the variant's own list is what it names (docs/MODEL.md §5).
        let source = |o: &Option<Origin>| match o {
            Some(Origin::File { source, .. }) => Some(*source),
            _ => None,
        };
        let list_replaced = matches!(
            (source(&design_origin), source(&status_quo_origin)),
            (Some(d), Some(q)) if d > q
        );
        let status_quo = if list_replaced && !designs.iter().any(|d| d.id == status_quo) {
            baseline.clone()
        } else {
            status_quo
        };
        if !status_quo.is_empty()
            && status_quo_origin.is_some()
            && !list_replaced
            && ids_valid
            && !designs.iter().any(|d| d.id == status_quo)
        {
            let help = match suggest(&status_quo, designs.iter().map(|d| d.id.as_str())) {
                Some(g) => format!("did you mean `{g}`?"),
                None => "name the design that stands for today's channel".to_string(),
            };
            self.err(
                status_quo_origin.as_ref(),
                "scenario.status_quo".into(),
                format!("`{status_quo}` is not the id of a design in this scenario"),
                Some(help),
            );
        }
        self.finish(top);
        Scenario {
            name,
            description,
            replications,
            seed,
            baseline,
            status_quo,
            world,
            programme,
            weights,
            thresholds,
            designs,
        }
    }

    fn thresholds(&mut self, top: &mut Tab<'_>) -> Vec<(String, f64)> {
        let Some(node) = top.get("thresholds") else {
            return Vec::new();
        };
        let Some(entries) = node.entries() else {
            self.err(
                Some(&node.origin),
                "thresholds".into(),
                format!(
                    "expected a table of METRIC = VALUE, found {}",
                    node.value.kind()
                ),
                Some("write a [thresholds] section with lines like evacuation = 0.9".into()),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in entries {
            let path = format!("thresholds.{}", e.key);
            match metric::index(&e.key) {
                Some(m) => {
                    let (lo, hi) = metric::valid_range(&metric::METRICS[m]);
                    if let Some(v) = self.number_of(&e.node, &path, lo, hi) {
                        out.push((e.key.clone(), v));
                    }
                }
                None => {
                    let help = match suggest(&e.key, metric::names()) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!(
                            "metrics: {}",
                            metric::names().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    self.err(Some(&e.key_origin), path, "not a metric".into(), Some(help));
                }
            }
        }
        out
    }

    fn world(&mut self, top: &mut Tab<'_>) -> WorldParams {
        let mut t = self.table(top, "timeline");
        let timeline = Timeline {
            buildup_months: self.dist(&mut t, "buildup_months", 1.0, MAX_BUILDUP_MONTHS),
        };
        self.finish(t);

        let mut t = self.table(top, "trust");
        let trust = TrustParams {
            initial: self.dist(&mut t, "initial", 0.0, 1.0),
            gain_per_agreement: self.prob(&mut t, "gain_per_agreement"),
            gain_per_meeting: self.prob(&mut t, "gain_per_meeting"),
            pressure_loss: self.prob(&mut t, "pressure_loss"),
            collapse_loss: self.prob(&mut t, "collapse_loss"),
            disruption_loss: self.prob(&mut t, "disruption_loss"),
        };
        self.finish(t);

        let mut t = self.table(top, "agreements");
        let agreements = AgreementParams {
            base_rate: self.prob(&mut t, "base_rate"),
            focus_reference_areas: self.num(
                &mut t,
                "focus_reference_areas",
                1.0,
                Area::ALL.len() as f64,
            ),
            focus_elasticity: self.num(&mut t, "focus_elasticity", 0.0, 5.0),
            consistency_weight: self.prob(&mut t, "consistency_weight"),
            depth_per_agreement: self.prob(&mut t, "depth_per_agreement"),
            authority_exponent: self.num(&mut t, "authority_exponent", 0.0, 10.0),
            cyber_to_intelligence: self.prob(&mut t, "cyber_to_intelligence"),
            maritime_to_evacuation: self.prob(&mut t, "maritime_to_evacuation"),
            maritime_to_rear_area: self.prob(&mut t, "maritime_to_rear_area"),
        };
        self.finish(t);

        let mut t = self.table(top, "beijing");
        let sensitivity = self.num(&mut t, "sensitivity", 0.0, 100.0);
        let disposition = self.dist(&mut t, "disposition", 0.0, 1.0);
        let notice_intensity = self.num(&mut t, "notice_intensity", 0.0, 100.0);
        let provocation_per_meeting = self.num(&mut t, "provocation_per_meeting", 0.0, 1e6);
        let mandate_weight = self.num(&mut t, "mandate_weight", 0.0, 100.0);
        let officialness_exponent = self.num(&mut t, "officialness_exponent", 0.0, 10.0);
        let agreement_provocation = self.num(&mut t, "agreement_provocation", 0.0, 1e6);
        let tacit_discount = self.prob(&mut t, "tacit_discount");
        let irritation_decay = self.prob(&mut t, "irritation_decay");
        let act_probability = self.prob(&mut t, "act_probability");
        let discharge = self.prob(&mut t, "discharge");
        let area_weight = {
            let mut a = self.table(&mut t, "area_weight");
            let mut w = PerArea::default();
            for area in Area::ALL {
                w[area] = self.num(&mut a, area.name(), 0.0, 100.0);
            }
            self.finish(a);
            w
        };
        let crisis_provocation = self.num(&mut t, "crisis_provocation", 0.0, 1e6);
        let crisis_half_irritation = self.num(&mut t, "crisis_half_irritation", 1e-9, 1e9);
        let crisis_escalation_steepness =
            self.num(&mut t, "crisis_escalation_steepness", 0.0, 20.0);
        let agreed_terms_discount = self.prob(&mut t, "agreed_terms_discount");
        let unit_origin = t
            .node
            .and_then(|n| n.get("coercion_unit"))
            .map(|n| n.origin.clone());
        let unit_name = self.string(&mut t, "coercion_unit", true);
        let before_rungs = self.diags.len();
        let rungs = self.rungs(&mut t);
        let ladder_ok = self.diags.len() == before_rungs;
        let coercion_unit = match rungs.iter().position(|r| r.name == unit_name) {
            Some(i) => i,
            None => {
                if unit_origin.is_some() && !rungs.is_empty() && ladder_ok {
                    let names: Vec<&str> = rungs.iter().map(|r| r.name.as_str()).collect();
                    let help = match suggest(&unit_name, names.iter().copied()) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!(
                            "set [beijing] coercion_unit to the rung that counts as one unit of \
                             coercion; rungs: {}",
                            names.join(", ")
                        ),
                    };
                    self.err(
                        unit_origin.as_ref(),
                        "beijing.coercion_unit".into(),
                        format!("`{unit_name}` is not the name of a rung of the ladder"),
                        Some(help),
                    );
                }
                0
            }
        };
        if let Some(r) = rungs.get(coercion_unit).filter(|r| r.severity <= 0.0) {
            self.err(
                unit_origin.as_ref(),
                "beijing.coercion_unit".into(),
                format!(
                    "the unit rung `{}` has severity 0; it must be positive",
                    r.name
                ),
                Some("choose a rung with a positive severity as the unit".into()),
            );
        }
        self.finish(t);
        let beijing = BeijingParams {
            sensitivity,
            disposition,
            notice_intensity,
            provocation_per_meeting,
            mandate_weight,
            officialness_exponent,
            agreement_provocation,
            tacit_discount,
            irritation_decay,
            act_probability,
            discharge,
            area_weight,
            crisis_provocation,
            crisis_half_irritation,
            crisis_escalation_steepness,
            agreed_terms_discount,
            coercion_unit,
            rungs,
        };

        let mut t = self.table(top, "tokyo");
        let tokyo = TokyoParams {
            tolerance: self.dist(&mut t, "tolerance", 1e-9, 1e6),
            memory_months: self.num(&mut t, "memory_months", 0.1, 1200.0),
            launch_share: self.num(&mut t, "launch_share", 0.0, 100.0),
            launch_lag_months: self.dist(&mut t, "launch_lag_months", 0.0, MAX_BUILDUP_MONTHS),
            postpone_sensitivity: self.prob(&mut t, "postpone_sensitivity"),
            pause_months: self.dist(&mut t, "pause_months", 0.0, MAX_BUILDUP_MONTHS),
            collapse_resume_factor: self.num(&mut t, "collapse_resume_factor", 1.0, 100.0),
            resume_fraction: self.prob(&mut t, "resume_fraction"),
            exit_clause_tolerance_factor: self.num(
                &mut t,
                "exit_clause_tolerance_factor",
                0.01,
                100.0,
            ),
            domestic_shock_rate: self.num(&mut t, "domestic_shock_rate", 0.0, 12.0),
            disruption_months: self.num(&mut t, "disruption_months", 0.0, MAX_BUILDUP_MONTHS),
            transactional_tolerance_factor: self.num(
                &mut t,
                "transactional_tolerance_factor",
                0.01,
                100.0,
            ),
            transactional_need_factor: self.num(&mut t, "transactional_need_factor", 0.0, 100.0),
        };
        self.finish(t);

        let mut t = self.table(top, "taipei");
        let taipei = TaipeiParams {
            pressure: self.prob(&mut t, "pressure"),
            japan_led_restraint: self.prob(&mut t, "japan_led_restraint"),
        };
        self.finish(t);

        let mut t = self.table(top, "us");
        let us = UsParams {
            p_transactional: self.prob(&mut t, "p_transactional"),
            p_intervene_reliable: self.prob(&mut t, "p_intervene_reliable"),
            p_intervene_transactional: self.prob(&mut t, "p_intervene_transactional"),
            relay_share_reliable: self.prob(&mut t, "relay_share_reliable"),
            relay_share_transactional: self.prob(&mut t, "relay_share_transactional"),
            relay_latency_hours: self.dist(&mut t, "relay_latency_hours", 0.0, 1e4),
        };
        self.finish(t);

        let mut t = self.table(top, "crisis");
        let crisis = CrisisParams {
            warning_days: self.dist(&mut t, "warning_days", 0.0, 3650.0),
            post_onset_days: self.dist(&mut t, "post_onset_days", 0.0, 3650.0),
            intel_items_per_day: self.num(&mut t, "intel_items_per_day", 0.0, 1000.0),
            intel_half_life_hours: self.num(&mut t, "intel_half_life_hours", 0.01, 1e5),
            liaison_latency_hours: self.dist(&mut t, "liaison_latency_hours", 0.0, 1e4),
            adhoc_latency_hours: self.dist(&mut t, "adhoc_latency_hours", 0.0, 1e4),
            share_floor: self.prob(&mut t, "share_floor"),
            nationals: self.num(&mut t, "nationals", 1.0, 1e8),
            visitors: self.dist(&mut t, "visitors", 0.0, 1e8),
            stay_share: self.dist(&mut t, "stay_share", 0.0, 1.0),
            early_departure_per_day: self.prob(&mut t, "early_departure_per_day"),
            decision_delay_days: self.dist(&mut t, "decision_delay_days", 0.0, 3650.0),
            warning_speedup: self.prob(&mut t, "warning_speedup"),
            adhoc_coordination_days: self.dist(&mut t, "adhoc_coordination_days", 0.0, 3650.0),
            agreed_coordination_days: self.dist(&mut t, "agreed_coordination_days", 0.0, 3650.0),
            commercial_seats_per_day: self.dist(&mut t, "commercial_seats_per_day", 0.0, 1e8),
            japanese_seat_share: self.dist(&mut t, "japanese_seat_share", 0.0, 1.0),
            organised_lift_per_day: self.dist(&mut t, "organised_lift_per_day", 0.0, 1e8),
            adhoc_lift_share: self.prob(&mut t, "adhoc_lift_share"),
            sdf_lift_per_day: self.dist(&mut t, "sdf_lift_per_day", 0.0, 1e8),
            runway_departures_per_day: self.dist(&mut t, "runway_departures_per_day", 0.0, 1e6),
            seats_per_departure: self.num(&mut t, "seats_per_departure", 0.0, 1e4),
            competing_share: self.dist(&mut t, "competing_share", 0.0, 1.0),
            consent_base: self.prob(&mut t, "consent_base"),
            suspended_agreement_value: self.prob(&mut t, "suspended_agreement_value"),
            rear_area_floor: self.prob(&mut t, "rear_area_floor"),
            rear_area_value_without_us: self.prob(&mut t, "rear_area_value_without_us"),
            trust_exponent: self.num(&mut t, "trust_exponent", 0.0, 10.0),
        };
        self.finish(t);
        WorldParams {
            timeline,
            trust,
            agreements,
            beijing,
            tokyo,
            taipei,
            us,
            crisis,
        }
    }

    fn rungs(&mut self, t: &mut Tab<'_>) -> Vec<Rung> {
        let path = t.child_path("rung");
        let Some(node) = t.get("rung") else {
            if t.node.is_some() {
                self.missing(
                    t,
                    "rung",
                    "an escalation ladder: [[beijing.rung]] entries with name, threshold, severity",
                );
            }
            return Vec::new();
        };
        let Value::Array(items) = &node.value else {
            self.err(
                Some(&node.origin),
                path,
                format!(
                    "expected [[beijing.rung]] tables, found {}",
                    node.value.kind()
                ),
                Some("write each rung as a [[beijing.rung]] section with name, threshold and severity".into()),
            );
            return Vec::new();
        };
        if items.is_empty() {
            self.err(
                Some(&node.origin),
                path,
                "the escalation ladder is empty; expected at least one rung".into(),
                Some(
                    "add [[beijing.rung]] sections, mildest first (see scenarios/baseline.toml)"
                        .into(),
                ),
            );
            return Vec::new();
        }
        let mut rungs: Vec<Rung> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if !matches!(item.value, Value::Table(_)) {
                self.err(
                    Some(&item.origin),
                    format!("{path}[{i}]"),
                    format!("expected a table, found {}", item.value.kind()),
                    Some("write each rung as a [[beijing.rung]] section".into()),
                );
                continue;
            }
            let mut r = Tab::new(
                Some(item),
                format!("{path}[{i}]"),
                format!("[[beijing.rung]] number {}", i + 1),
            );
            let name = self.string(&mut r, "name", true);
            let threshold = self.num(&mut r, "threshold", 1e-9, 1e9);
            let severity = self.num(&mut r, "severity", 0.0, 1e5);
            if let Some(prev) = rungs.last().filter(|_| r.missing.is_empty()) {
                if threshold <= prev.threshold || severity < prev.severity {
                    self.err(
                        Some(&item.origin),
                        r.path.clone(),
                        format!(
                            "rungs must climb: threshold {threshold} must exceed, and severity {severity} be at least, the previous rung's ({} and {})",
                            prev.threshold, prev.severity
                        ),
                        Some("list rungs from the mildest (verbal warning) to the most severe".into()),
                    );
                }
            }
            self.finish(r);
            rungs.push(Rung {
                name,
                threshold,
                severity,
            });
        }
        rungs
    }

    fn designs(&mut self, top: &mut Tab<'_>, common: &Programme) -> Vec<Design> {
        let Some(node) = top.get("design") else {
            self.missing(top, "design", "at least one [[design]] entry");
            return Vec::new();
        };
        let Value::Array(items) = &node.value else {
            self.err(
                Some(&node.origin),
                "design".into(),
                format!("expected [[design]] tables, found {}", node.value.kind()),
                Some("write each design as a [[design]] section".into()),
            );
            return Vec::new();
        };
        if items.is_empty() {
            self.err(
                Some(&node.origin),
                "design".into(),
                "the design list is empty; expected at least one [[design]]".into(),
                Some("add [[design]] sections (copy them from scenarios/baseline.toml)".into()),
            );
            return Vec::new();
        }
        if items.len() > MAX_DESIGNS {
            self.err(
                Some(&node.origin),
                "design".into(),
                format!(
                    "{} designs; at most {MAX_DESIGNS} are supported in one scenario",
                    items.len()
                ),
                Some("split the comparison into several scenarios".into()),
            );
        }
        let mut designs: Vec<Design> = Vec::new();
        let mut id_origins: Vec<Option<Origin>> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if !matches!(item.value, Value::Table(_)) {
                self.err(
                    Some(&item.origin),
                    format!("design[{i}]"),
                    format!("expected a table, found {}", item.value.kind()),
                    Some("write each design as a [[design]] section".into()),
                );
                continue;
            }
            let id_node = item.get("id");
            let id = match id_node.map(|n| &n.value) {
                Some(Value::Str(s)) => s.clone(),
                _ => format!("#{}", i + 1),
            };
            let mut t = Tab::new(
                Some(item),
                format!("design.{id}"),
                format!("the [[design]] entry with id = \"{id}\""),
            );
            let before = self.diags.len();
            let id_read = self.string(&mut t, "id", true);
            if self.diags.len() == before
                && id_node.is_some()
                && (id_read.is_empty()
                    || !id_read.chars().all(|c| {
                        c.is_ascii_lowercase()
                            || c.is_ascii_digit()
                            || c == '-'
                            || c == '.'
                            || c == '_'
                    }))
            {
                self.err(
                    id_node.map(|n| &n.origin),
                    t.child_path("id"),
                    format!("`{id_read}` is not a valid design id"),
                    Some(
                        "use lowercase letters, digits, '-', '_' and '.', e.g. \"track-1.5\""
                            .into(),
                    ),
                );
            }
            if let Some(j) = designs
                .iter()
                .position(|d| d.id == id_read && !id_read.is_empty())
            {
                let first = match self.line_of(id_origins[j].as_ref()) {
                    Some(line) => format!("at line {line}"),
                    None => "earlier".to_string(),
                };
                self.err(
                    id_node.map(|n| &n.origin),
                    t.child_path("id"),
                    format!("duplicate design id `{id_read}` (first used {first})"),
                    Some("give each design a unique id".into()),
                );
            }
            let name = self.string(&mut t, "name", true);
            let description = self.string(&mut t, "description", false);
            let form = Form {
                authority: self.prob(&mut t, "authority"),
                officialness: self.prob(&mut t, "officialness"),
                security_mandate: self.prob(&mut t, "security_mandate"),
                visibility: self.prob(&mut t, "visibility"),
                format_consistency: self.prob(&mut t, "format_consistency"),
                domestic_exposure: self.prob(&mut t, "domestic_exposure"),
                standing_liaison: self.boolean(&mut t, "standing_liaison"),
                exit_clause: self.boolean(&mut t, "exit_clause"),
                pace: match self.choice(&mut t, "pace", &["japan-led", "joint"]) {
                    0 => Pace::JapanLed,
                    _ => Pace::Joint,
                },
            };
            // The programme is the scenario's common one; a design may set its own cadence or
            // agenda, and the outputs say so.
            let mut programme = *common;
            let mut own_programme = false;
            if item.get("cadence_per_year").is_some() {
                programme.cadence_per_year = self.num(&mut t, "cadence_per_year", 0.0, 52.0);
                own_programme = true;
            } else {
                t.known.push("cadence_per_year");
            }
            if item.get("issue_areas").is_some() {
                programme.issue_areas = self.issue_areas(&mut t, true);
                own_programme = true;
            } else {
                t.known.push("issue_areas");
            }
            self.finish(t);
            id_origins.push(id_node.map(|n| n.origin.clone()));
            designs.push(Design {
                id: id_read,
                name,
                description,
                form,
                programme,
                own_programme,
            });
        }
        designs
    }

    fn issue_areas(&mut self, t: &mut Tab<'_>, required: bool) -> AreaSet {
        let mut areas = AreaSet::EMPTY;
        let path = t.child_path("issue_areas");
        let Some(node) = t.get("issue_areas") else {
            if t.node.is_some() && required {
                self.missing(
                    t,
                    "issue_areas",
                    &format!("a list drawn from {}", area_names()),
                );
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

/// The issue areas' names, for messages.
fn area_names() -> String {
    Area::names().collect::<Vec<_>>().join(", ")
}
