//! `--set KEY.PATH=VALUE`: change any scenario value from the command line.
//!
//! The path is the TOML path of the value (`beijing.sensitivity`). Designs, which the file
//! writes as an array `[[design]]`, are addressed by id: `design.trade-conference.visibility`.
//! The value is TOML (`0.8`, `true`, `"text"`, `{ dist = "beta", mean = 0.3, sd = 0.1 }`); a
//! bare word that is not TOML is taken as a string, so `pace=japan-led` works unquoted.
//! Overridden values are validated exactly like the file's, and errors name the override.

use super::tree::{Entry, Node, Origin, Value};

/// One parsed `--set` argument.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The text as typed, for messages and the manifest.
    pub raw: String,
    /// The key path before `=`.
    pub path: String,
    /// The value text after `=`.
    pub value: String,
    /// How the override was given, for messages: `--set KEY=VALUE`, or the flag that stands
    /// for it (`--weights evacuation=2`).
    pub shown: String,
}

impl Override {
    /// Parse `KEY.PATH=VALUE`. The error is the text after `error: `, with its `help:` line.
    pub fn parse(raw: &str) -> Result<Override, String> {
        let Some((path, value)) = raw.split_once('=') else {
            return Err(format!(
                "--set {raw}: expected KEY.PATH=VALUE\n  help: e.g. --set beijing.sensitivity=0.5"
            ));
        };
        let path = path.trim();
        if path.is_empty() || path.split('.').any(|s| s.trim().is_empty()) {
            return Err(format!(
                "--set {raw}: the key path `{path}` has an empty part\n  help: write dotted keys \
                 like `tokyo.memory_months`; `dialogue-wargame list --keys` lists them"
            ));
        }
        Ok(Override {
            raw: raw.to_string(),
            path: path.to_string(),
            value: value.trim().to_string(),
            shown: format!("--set {raw}"),
        })
    }

    /// The same override, described in messages as `shown` (the flag the user typed).
    pub fn shown_as(mut self, shown: String) -> Override {
        self.shown = shown;
        self
    }
}

/// Parse the value text of an override into a node that remembers the override as its origin.
fn parse_value(ov: &Override) -> Node {
    let origin = Origin::Override(ov.shown.clone());
    let doc = format!("v = {}", ov.value);
    let value = match super::tree::parse(&doc, 0) {
        Ok(tree) => match tree.get("v") {
            Some(node) => relabel(node.clone(), &origin).value,
            None => Value::Str(ov.value.clone()),
        },
        Err(_) => Value::Str(ov.value.clone()),
    };
    Node { origin, value }
}

fn relabel(mut node: Node, origin: &Origin) -> Node {
    node.origin = origin.clone();
    match &mut node.value {
        Value::Array(items) => {
            for item in items.iter_mut() {
                *item = relabel(item.clone(), origin);
            }
        }
        Value::Table(entries) => {
            for e in entries.iter_mut() {
                e.key_origin = origin.clone();
                e.node = relabel(e.node.clone(), origin);
            }
        }
        _ => {}
    }
    node
}

/// What is wrong with an override that cannot be applied, and how to fix it.
pub type Refusal = (String, Option<String>);

/// Apply one override to the document. Unknown keys are inserted, so that validation reports
/// them with a suggestion, exactly as it would for a typo in the file.
pub fn apply(root: &mut Node, ov: &Override) -> Result<(), Refusal> {
    let value = parse_value(ov);
    let segments: Vec<&str> = ov.path.split('.').map(str::trim).collect();
    if segments[0] == "design" {
        return apply_design(root, &segments[1..], value);
    }
    set_path(root, &segments, value)
}

fn apply_design(root: &mut Node, rest: &[&str], value: Node) -> Result<(), Refusal> {
    let joined = rest.join(".");
    let Some(Value::Array(designs)) = table_get_mut(root, "design").map(|n| &mut n.value) else {
        return Err((
            "the scenario has no [[design]] list to address".to_string(),
            Some("add [[design]] entries to the scenario file".into()),
        ));
    };
    let ids: Vec<String> = designs
        .iter()
        .filter_map(|d| match d.get("id").map(|n| &n.value) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    // Ids may contain dots (`track-1.5`): take the longest id that prefixes the path.
    let best = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| joined.starts_with(&format!("{id}.")))
        .max_by_key(|(_, id)| id.len());
    let Some((index, id)) = best else {
        let guess = rest.first().copied().unwrap_or("");
        let help = match super::suggest(guess, ids.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? ids: {}", ids.join(", ")),
            None => format!("ids: {}", ids.join(", ")),
        };
        return Err((
            "no design has this id; expected design.ID.KEY".to_string(),
            Some(help),
        ));
    };
    let keys: Vec<&str> = joined[id.len() + 1..].split('.').collect();
    set_path(&mut designs[index], &keys, value)
}

fn table_get_mut<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut node.value {
        Value::Table(entries) => entries
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.node),
        _ => None,
    }
}

fn set_path(node: &mut Node, keys: &[&str], value: Node) -> Result<(), Refusal> {
    let Value::Table(entries) = &mut node.value else {
        return Err((
            format!(
                "cannot set `{}` inside {}: only tables have keys",
                keys[0],
                node.value.kind()
            ),
            Some("shorten the key path; e.g. --set beijing.sensitivity=0".into()),
        ));
    };
    let (first, rest) = (keys[0], &keys[1..]);
    let pos = entries.iter().position(|e| e.key == first);
    if rest.is_empty() {
        // A distribution is validated as one value: once the override touches one of its
        // keys, its errors belong to the override, not to the file.
        let origin = value.origin.clone();
        let is_dist = entries.iter().any(|e| e.key == "dist") || first == "dist";
        match pos {
            Some(i) => entries[i].node = value,
            None => entries.push(Entry {
                key: first.to_string(),
                key_origin: value.origin.clone(),
                node: value,
            }),
        }
        if is_dist {
            node.origin = origin;
        }
        return Ok(());
    }
    let i = match pos {
        Some(i) => i,
        None => {
            entries.push(Entry {
                key: first.to_string(),
                key_origin: value.origin.clone(),
                node: Node {
                    origin: value.origin.clone(),
                    value: Value::Table(Vec::new()),
                },
            });
            entries.len() - 1
        }
    };
    set_path(&mut entries[i].node, rest, value)
}
