//! Reading a scenario: text → tree → `extends` → `[[add_design]]` → overrides → validated
//! [`Scenario`], collecting every problem in one pass so an analyst fixes a file in one go.
//!
//! This module is the pipeline; [`super::diag`] renders its problems, [`super::reader`] and
//! [`super::tables`] give the tree its meaning.

use std::path::{Path, PathBuf};

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
    /// The source texts: along an `extends` chain the deepest base first, the file named
    /// last.
    pub sources: Vec<Source>,
    /// The resolved document after `extends` and overrides.
    pub tree: Node,
    /// SHA-256 of the canonical text of the resolved document, hex.
    pub sha256: String,
}

/// Largest scenario file read (16 MiB; the baseline is about 20 KB).
const MAX_FILE_BYTES: u64 = 16 << 20;

/// Most files in one `extends` chain (a variant of a variant of ...).
const MAX_EXTENDS_DEPTH: usize = 16;

/// Whether a scenario argument or an `extends` value names a file rather than a built-in
/// scenario: it holds a path separator (`./x`, `dir/x`) or ends in `.toml`. A bare word such
/// as `baseline` is always a built-in name, so a folder or file of that name in the current
/// directory never hides the built-in scenario; write `./baseline` for the file.
pub fn names_a_file(arg: &std::ffi::OsStr) -> bool {
    let bytes = arg.as_encoded_bytes();
    bytes.contains(&b'/')
        || bytes.contains(&b'\\')
        || bytes.len() >= 5 && bytes[bytes.len() - 5..].eq_ignore_ascii_case(b".toml")
}

/// Load the scenario an argument names: a file (a path with a `/`, or a name ending in
/// `.toml`) or a built-in name (a bare word: a folder or file of that name in the current
/// directory never hides it). The name is any OS string: a path need not be UTF-8.
pub fn load_named(arg: &std::ffi::OsStr, overrides: &[Override]) -> Result<Loaded, LoadError> {
    if names_a_file(arg) {
        return load_file(Path::new(arg), overrides);
    }
    if let Some((name, text)) = BUILTIN.iter().find(|(n, _)| std::ffi::OsStr::new(n) == arg) {
        return load_str(&format!("<builtin {name}>"), text, overrides);
    }
    let shown = arg.to_string_lossy();
    let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    let help = if Path::new(arg).exists() {
        format!(
            "a bare name is a built-in scenario; to use the file or folder `{shown}` here, write \
             ./{shown}"
        )
    } else {
        match suggest(&shown, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "built-in scenarios: {}; a file is named by a path with a / or a name ending in \
                 .toml",
                names.join(", ")
            ),
        }
    };
    Err(LoadError::file(
        &shown,
        "no built-in scenario by this name".into(),
        Some(help),
    ))
}

/// Load a scenario file from disk and apply overrides.
pub fn load_file(path: &Path, overrides: &[Override]) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let text = read_file(path, &name)?;
    load(&name, &text, Some(path), overrides)
}

/// Read a scenario file's text: a regular file of reasonable size, in UTF-8.
fn read_file(path: &Path, name: &str) -> Result<String, LoadError> {
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_dir() && !meta.is_file() {
            return Err(LoadError::file(
                name,
                "is not a regular file (a pipe or a device?); expected a scenario file (.toml)"
                    .into(),
                Some("save the scenario to a file and name that file".into()),
            ));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(LoadError::file(
                name,
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
            name,
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
            name,
            format!("cannot read the file: {e}"),
            Some(help.into()),
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let good = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let (line, col) = tree::line_col(&good, at);
        LoadError::file(
            &format!("{name}:{line}:{col}"),
            "is not valid UTF-8 here; expected a UTF-8 TOML file".into(),
            Some("save the file as UTF-8 (in most editors: Save with encoding → UTF-8)".into()),
        )
    })
}

/// Load a scenario from text (named `name` in messages) and apply overrides. An `extends`
/// path in it is relative to the current directory.
pub fn load_str(name: &str, text: &str, overrides: &[Override]) -> Result<Loaded, LoadError> {
    load(name, text, None, overrides)
}

fn load(
    name: &str,
    text: &str,
    file: Option<&Path>,
    overrides: &[Override],
) -> Result<Loaded, LoadError> {
    let (mut root, sources) = resolve(name, text, file, &mut Vec::new())?;
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

/// One scenario text with its `extends` chain resolved: the text laid over its base (itself
/// resolved the same way), `[[add_design]]` entries appended at each level, and the source
/// texts, the deepest base first, so that a later file has a higher index. `chain` holds the
/// files being resolved (what tells them apart, and their names in messages), to refuse a
/// cycle.
fn resolve(
    name: &str,
    text: &str,
    file: Option<&Path>,
    chain: &mut Vec<(String, String)>,
) -> Result<(Node, Vec<Source>), LoadError> {
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
    let Some(ext) = root.get("scenario").and_then(|s| s.get("extends")).cloned() else {
        append_designs(&mut root);
        return Ok((root, sources));
    };
    let refuse = |message: String, help: String, sources: &[Source]| {
        let d = Diagnostic {
            origin: Some(ext.origin.clone()),
            path: "scenario.extends".into(),
            message,
            help: Some(help),
        };
        LoadError::new(vec![d], sources)
    };
    let Value::Str(target) = &ext.value else {
        return Err(refuse(
            format!("expected a string, found {}", ext.value.kind()),
            "write extends = \"baseline\", or a file's path such as extends = \"./my-variant.toml\""
                .into(),
            &sources,
        ));
    };
    // Where this file and its base are, to tell a cycle.
    let me = match file {
        Some(p) => {
            std::fs::canonicalize(p).map_or_else(|_| name.to_string(), |c| c.display().to_string())
        }
        None => name.to_string(),
    };
    let (base_name, base_text, base_file, base_key) = if names_a_file(target.as_ref()) {
        // A path is relative to the file that holds it (to the current directory for text
        // that is not a file).
        let path = match file.and_then(Path::parent) {
            Some(dir) => dir.join(target),
            None => PathBuf::from(target),
        };
        let shown = path.display().to_string();
        if !path.exists() {
            let looked = if shown == *target {
                String::new()
            } else {
                format!(" (looked for {shown})")
            };
            return Err(refuse(
                format!("no file `{target}`{looked}"),
                "a path in extends is relative to the file that holds it; a built-in scenario \
                 is named without / or .toml (`dialogue-wargame list` lists them)"
                    .into(),
                &sources,
            ));
        }
        let key = std::fs::canonicalize(&path)
            .map_or_else(|_| shown.clone(), |c| c.display().to_string());
        let text = read_file(&path, &shown)?;
        (shown, text, Some(path), key)
    } else {
        let Some((_, base_text)) = BUILTIN.iter().find(|(n, _)| n == target) else {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            let help = match suggest(target, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "use one of: {}; or a file's path, such as \"./{target}.toml\"",
                    names.join(", ")
                ),
            };
            return Err(refuse(
                format!("no built-in scenario named `{target}`"),
                help,
                &sources,
            ));
        };
        let name = format!("<builtin {target}>");
        (name.clone(), base_text.to_string(), None, name)
    };
    if base_key == me || chain.iter().any(|(k, _)| *k == base_key) {
        let mut cycle: Vec<(&str, &str)> = chain
            .iter()
            .map(|(k, n)| (k.as_str(), n.as_str()))
            .collect();
        cycle.extend([(me.as_str(), name), (base_key.as_str(), base_name.as_str())]);
        let start = cycle.iter().position(|(k, _)| *k == base_key).unwrap_or(0);
        let names: Vec<&str> = cycle[start..].iter().map(|(_, n)| *n).collect();
        return Err(refuse(
            format!(
                "`{target}` closes a cycle of extends: {}",
                names.join(" → ")
            ),
            "a scenario cannot extend itself; extend the scenario this chain starts from".into(),
            &sources,
        ));
    }
    if chain.len() + 1 >= MAX_EXTENDS_DEPTH {
        return Err(refuse(
            format!("more than {MAX_EXTENDS_DEPTH} scenarios extend one another here"),
            "extend a scenario nearer the start of the chain".into(),
            &sources,
        ));
    }
    chain.push((me, name.to_string()));
    let resolved = resolve(&base_name, &base_text, base_file.as_deref(), chain);
    chain.pop();
    let (mut base, mut all) = resolved?;
    let index = all.len();
    shift_sources(&mut root, index);
    remove_key(&mut root, "scenario", "extends");
    // A variant file without a name of its own is named after the file, not after its base:
    // its results must not land in the base's directory under the base's name.
    if let (Some(stem), Some(Value::Table(scenario))) = (
        file.and_then(Path::file_stem),
        root.entries_mut()
            .and_then(|e| e.iter_mut().find(|e| e.key == "scenario"))
            .map(|e| &mut e.node.value),
    ) {
        if !scenario.iter().any(|e| e.key == "name") {
            let origin = match &ext.origin {
                Origin::File { span, .. } => Origin::File {
                    source: index,
                    span: span.clone(),
                },
                other => other.clone(),
            };
            scenario.push(Entry {
                key: "name".into(),
                key_origin: origin.clone(),
                node: Node {
                    origin,
                    value: Value::Str(name_from_stem(&stem.to_string_lossy())),
                },
            });
        }
    }
    tree::merge(&mut base, root);
    append_designs(&mut base);
    all.extend(sources);
    Ok((base, all))
}

/// A scenario name from a file name: the characters a directory name takes (letters, digits,
/// `-`, `_`, `.`), others replaced by `-`.
fn name_from_stem(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.trim_matches(['-', '.']).is_empty() {
        "variant".into()
    } else {
        name
    }
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
