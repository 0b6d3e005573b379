//! Reading a scenario: text → tree → `extends` → `[[add_design]]` → overrides → validated
//! [`Scenario`], collecting every problem in one pass so an analyst fixes a file in one go.
//!
//! This module is the pipeline; [`super::diag`] renders its problems, [`super::reader`] and
//! [`super::tables`] give the tree its meaning.

use std::path::Path;

use super::diag::{Diagnostic, LoadError, Source};
use super::overrides::{self, Override};
use super::reader::Reader;
use super::tree::{self, Entry, Node, Origin, Value};
use super::*;

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
        if let Err((message, help)) = overrides::apply(&mut root, ov) {
            diags.push(Diagnostic {
                origin: Some(Origin::Override(ov.shown.clone())),
                path: ov.path.clone(),
                message,
                help,
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
                if e.span.is_none() && e.message.contains("recursion") {
                    if let Some(d) = too_deep(text, index) {
                        return d;
                    }
                }
                let msg = e.message.replace('\n', " ");
                let line = e.span.as_ref().map(|s| {
                    let (l, _) = tree::line_col(text, s.start);
                    let line = text.lines().nth(l - 1).unwrap_or("").trim_end();
                    let shown: String = line.chars().take(120).collect();
                    let more = if shown.len() < line.len() { " …" } else { "" };
                    format!("\n  {l} | {shown}{more}")
                });
                let help = if msg.contains("recurs") {
                    "a scenario nests values a few levels deep at most (a distribution is one \
                     inline table); look for a runaway `[` or `{`"
                } else if msg.contains("duplicate") {
                    "each key and each [table] may appear only once in a file; merge or delete \
                     the repeated one"
                } else if msg.contains("quoted") || msg.contains("literal string") {
                    "put text in double quotes, and give every key a value (key = value)"
                } else if msg.contains("float") || msg.contains("integer") {
                    "write numbers like 3, 0.25 or 1e-3"
                } else {
                    "see https://toml.io for the syntax; compare with scenarios/baseline.toml"
                };
                // Values nested too deep: name the key they are given for, where the line
                // starts with one (`x = [[[[...`).
                let path = match &e.span {
                    Some(span) if msg.contains("recurs") => {
                        let before = text.get(..span.start).unwrap_or("");
                        let start = before.rfind('\n').map_or(0, |i| i + 1);
                        let line = text.get(start..).unwrap_or("").lines().next().unwrap_or("");
                        match line.split_once('=') {
                            Some((k, _)) if !k.trim().is_empty() && !k.contains(['[', '{']) => {
                                let k = k.trim();
                                let head: String = k.chars().take(60).collect();
                                if head.len() < k.len() {
                                    format!("{head}…")
                                } else {
                                    head
                                }
                            }
                            _ => String::new(),
                        }
                    }
                    _ => String::new(),
                };
                Diagnostic {
                    origin: e.span.map(|span| Origin::File {
                        source: index,
                        span,
                    }),
                    path,
                    message: format!("invalid TOML: {msg}{}", line.unwrap_or_default()),
                    help: Some(help.into()),
                }
            })
            .collect();
        LoadError::new(diags, sources)
    })
}

/// The parser's "recursion limit", which it gives without a place, located at the dotted key
/// too deep for it: `FILE:LINE:COL: a.b.c.…: ...`.
fn too_deep(text: &str, source: usize) -> Option<Diagnostic> {
    let (span, parts) = tree::deepest_key(text)?;
    let key = text.get(span.clone()).unwrap_or("");
    let head: Vec<&str> = key.split('.').map(str::trim).take(3).collect();
    Some(Diagnostic {
        origin: Some(Origin::File { source, span }),
        path: format!("{}.…", head.join(".")),
        message: format!(
            "invalid TOML: a dotted key of {parts} parts; keys of 80 parts or more are not read"
        ),
        help: Some(
            "scenario keys have a few parts (e.g. crisis.warning_days, or a design's key in \
             its [[design]] table); `dialogue-wargame list --keys` lists them"
                .into(),
        ),
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
