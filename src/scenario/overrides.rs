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

/// Most parts a `--set` key path may have: the deepest scenario key has four
/// (`design.ID.KEY` with a dotted id, a distribution's `crisis.warning_days.mode`), and a path
/// is walked recursively, so an absurd one must not reach the walk.
pub const MAX_PATH_PARTS: usize = 32;

impl Override {
    /// Parse `KEY.PATH=VALUE` given as `--set KEY.PATH=VALUE`. The error is the text after
    /// `error: `, with its `help:` line.
    pub fn parse(raw: &str) -> Result<Override, String> {
        Override::parse_as(raw, &format!("--set {raw}"))
    }

    /// Parse `KEY.PATH=VALUE` given on the command line as `shown` (`--set KEY=VALUE`, or the
    /// flag that stands for it, such as `--weights evacuation=2`).
    pub fn parse_as(raw: &str, shown: &str) -> Result<Override, String> {
        // One line, one value: a line break would let a value carry more TOML than the key
        // it is given for, and messages could not show it on one line.
        if let Some((at, c)) = raw
            .char_indices()
            .find(|(_, c)| c.is_control() && *c != '\t')
        {
            let what = match c {
                '\n' => " (a line break)",
                '\r' => " (a carriage return)",
                _ => "",
            };
            return Err(format!(
                "{}: holds the control character U+{:04X}{what} at byte {at} of the argument; a --set value is \
                 one TOML value on one line\n  help: give each key its own --set; in a string \
                 value write it as an escape, e.g. \"a\\nb\"",
                escaped(shown),
                c as u32
            ));
        }
        let Some((path, value)) = raw.split_once('=') else {
            return Err(format!(
                "{shown}: expected KEY.PATH=VALUE\n  help: e.g. --set beijing.sensitivity=0.5"
            ));
        };
        let path = path.trim();
        if path.is_empty() || path.split('.').any(|s| s.trim().is_empty()) {
            return Err(format!(
                "{shown}: the key path `{path}` has an empty part\n  help: write dotted keys \
                 like `tokyo.memory_months`; `dialogue-wargame list --keys` lists them"
            ));
        }
        let parts = path.split('.').count();
        if parts > MAX_PATH_PARTS {
            let head: Vec<&str> = path.split('.').take(3).collect();
            let flag = shown.split(' ').next().unwrap_or("--set");
            return Err(format!(
                "{flag} {}.…: the key path has {parts} parts; scenario keys have a few, and at \
                 most {MAX_PATH_PARTS} are read\n  help: `dialogue-wargame list --keys` lists every \
                 key --set accepts",
                head.join(".")
            ));
        }
        Ok(Override {
            raw: raw.to_string(),
            path: path.to_string(),
            value: value.trim().to_string(),
            shown: shown.to_string(),
        })
    }

    /// The same override, described in messages as `shown` (the flag the user typed).
    pub fn shown_as(mut self, shown: String) -> Override {
        self.shown = shown;
        self
    }
}

/// Text for a message with its control characters escaped (`\n`, `\u{7}`), so that it stays
/// on one line and says what was there.
fn escaped(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Parse the value text of an override into a node that remembers the override as its origin:
/// exactly one TOML value, or (text that is not TOML) a string.
fn parse_value(ov: &Override) -> Result<Node, Refusal> {
    let origin = Origin::Override(ov.shown.clone());
    let doc = format!("v = {}", ov.value);
    let value = match super::tree::parse(&doc, 0) {
        Ok(tree) => match tree.entries() {
            Some([only]) if only.key == "v" => relabel(only.node.clone(), &origin).value,
            // `parse` refuses line breaks, so this cannot happen; were it to, the extra keys
            // would be lost, and that must never be silent.
            _ => {
                return Err((
                    "the value is more than one TOML value".into(),
                    Some("give each key its own --set".into()),
                ))
            }
        },
        Err(_) => Value::Str(ov.value.clone()),
    };
    Ok(Node { origin, value })
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
    let segments: Vec<&str> = ov.path.split('.').map(str::trim).collect();
    // Keys the loader reads before the overrides are applied: set here, they would be ignored.
    if segments == ["scenario", "extends"] {
        return Err((
            "cannot be set with --set: `extends` is read before the overrides are applied".into(),
            Some(
                "name the scenario to run instead (e.g. `dialogue-wargame run short-warning`), \
                 or write `extends` in the [scenario] table of a variant file"
                    .into(),
            ),
        ));
    }
    if segments[0] == "add_design" {
        return Err((
            "cannot be set with --set: [[add_design]] entries are appended before the overrides \
             are applied"
                .into(),
            Some(
                "add the design in a variant file (`dialogue-wargame explain ID --toml` prints \
                 one to start from), or change a design with --set design.ID.KEY=VALUE"
                    .into(),
            ),
        ));
    }
    if segments[0] == "inject" {
        return Err((
            "cannot be set with --set: [[inject]] entries are an exercise's event list".into(),
            Some(
                "write the injects as [[inject]] sections of a variant file (see \
                 scenarios/seminar/ and docs/SEMINAR.md)"
                    .into(),
            ),
        ));
    }
    let value = parse_value(ov)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_one_toml_value_on_one_line() {
        for raw in [
            "beijing.sensitivity=1\n[crisis]\nnationals = 5",
            "beijing.sensitivity=1\r\n",
            "design.track-2.name=\"a\u{7}\"",
            "beijing.sens\nitivity=1",
        ] {
            let e = Override::parse(raw).unwrap_err();
            assert!(e.contains("control character"), "{raw:?}: {e}");
            assert!(!e.lines().next().unwrap_or("").contains('\n'), "{e}");
        }
        // A tab is whitespace, in TOML as on the command line.
        assert!(Override::parse("beijing.sensitivity=\t1").is_ok());
        let deep = format!("{}b=1", "a.".repeat(MAX_PATH_PARTS));
        assert!(Override::parse(&deep)
            .unwrap_err()
            .contains("the key path has 33 parts"));
        let fine = format!("{}b=1", "a.".repeat(MAX_PATH_PARTS - 1));
        assert!(Override::parse(&fine).is_ok());
    }

    #[test]
    fn keys_read_before_the_overrides_are_refused() {
        let mut root = super::super::tree::parse("[scenario]\nname = \"x\"\n", 0).unwrap();
        for raw in [
            "scenario.extends=short-warning",
            "add_design=[]",
            "add_design.x=1",
        ] {
            let ov = Override::parse(raw).unwrap();
            let (message, help) = apply(&mut root, &ov).unwrap_err();
            assert!(message.starts_with("cannot be set with --set"), "{message}");
            assert!(help.is_some());
        }
    }
}
