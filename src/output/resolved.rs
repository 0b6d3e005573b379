//! The resolved scenario as TOML text, for manifest.json's `resolved_scenario`: the document
//! after `extends`, `[[add_design]]` and every `--set`/`--weights`, so that `rerun` can load
//! it after the files it came from were edited or deleted.
//!
//! The text needs no `extends` and holds every value; loading it gives a document with the same
//! canonical form, hence the same `scenario_sha256` (`rerun` checks this). Comments and the
//! order of keys are not kept: plain values come before sub-tables, as TOML requires.

use crate::scenario::tree::{Entry, Node, Value};

/// The document `root` (a table) as TOML text.
pub fn to_toml(root: &Node) -> String {
    let mut out = String::new();
    if let Value::Table(entries) = &root.value {
        table(&mut out, "", entries);
    }
    out
}

/// A `[path]` section: a table, except a distribution (`{ dist = "beta", ... }`), which is one
/// value and reads better on its line.
fn is_section(v: &Value) -> bool {
    matches!(v, Value::Table(e) if !e.iter().any(|x| x.key == "dist"))
}

/// `[[path]]` sections: a non-empty array whose items are all tables.
fn is_table_array(v: &Value) -> bool {
    matches!(v, Value::Array(items)
        if !items.is_empty() && items.iter().all(|n| matches!(n.value, Value::Table(_))))
}

/// A table's entries under the header already written for `path` ("" for the root).
fn table(out: &mut String, path: &str, entries: &[Entry]) {
    for e in entries {
        if !is_section(&e.node.value) && !is_table_array(&e.node.value) {
            out.push_str(&key(&e.key));
            out.push_str(" = ");
            inline(out, &e.node.value);
            out.push('\n');
        }
    }
    let sub = |k: &str| {
        if path.is_empty() {
            key(k)
        } else {
            format!("{path}.{}", key(k))
        }
    };
    for e in entries {
        if let (true, Value::Table(inner)) = (is_section(&e.node.value), &e.node.value) {
            let p = sub(&e.key);
            header(out, &format!("[{p}]"));
            table(out, &p, inner);
        }
    }
    for e in entries {
        if let (true, Value::Array(items)) = (is_table_array(&e.node.value), &e.node.value) {
            let p = sub(&e.key);
            for item in items {
                header(out, &format!("[[{p}]]"));
                table(out, &p, item.entries().unwrap_or(&[]));
            }
        }
    }
}

/// A section header, after a blank line unless it is the first line.
fn header(out: &mut String, h: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(h);
    out.push('\n');
}

/// A value on one line.
fn inline(out: &mut String, v: &Value) {
    match v {
        Value::Str(s) => out.push_str(&string(s)),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float(*f)),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Array(items) => {
            out.push('[');
            for (i, n) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inline(out, &n.value);
            }
            out.push(']');
        }
        Value::Table(entries) => {
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{ ");
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&key(&e.key));
                out.push_str(" = ");
                inline(out, &e.node.value);
            }
            out.push_str(" }");
        }
        // Never in a scenario that loaded (a datetime is refused with its location), and the
        // canonical form does not keep its value: any datetime stands for it.
        Value::Datetime => out.push_str("1979-05-27T00:00:00Z"),
    }
}

/// A float that reads back as the same f64, and as a float (the scenario module's writer).
fn float(f: f64) -> String {
    crate::scenario::tree::toml_float(f)
}

/// A key: bare where TOML allows it, else quoted (the scenario module's writer).
fn key(k: &str) -> String {
    crate::scenario::tree::toml_key(k)
}

/// A TOML basic string with every control character escaped (the scenario module's writer).
fn string(s: &str) -> String {
    crate::scenario::tree::toml_string(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tree::{self, Origin};
    use crate::scenario::{self, Override, BUILTIN};

    /// Same meaning: values equal (floats bit for bit), tables equal as sets of keys.
    fn same(a: &Node, b: &Node) -> bool {
        match (&a.value, &b.value) {
            (Value::Str(x), Value::Str(y)) => x == y,
            (Value::Int(x), Value::Int(y)) => x == y,
            (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::Datetime, Value::Datetime) => true,
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
            }
            (Value::Table(x), Value::Table(y)) => {
                x.len() == y.len()
                    && x.iter().all(|e| {
                        y.iter()
                            .find(|f| f.key == e.key)
                            .is_some_and(|f| same(&e.node, &f.node))
                    })
            }
            _ => false,
        }
    }

    fn node(value: Value) -> Node {
        Node {
            origin: Origin::Override(String::new()),
            value,
        }
    }

    fn entry(k: &str, value: Value) -> Entry {
        Entry {
            key: k.into(),
            key_origin: Origin::Override(String::new()),
            node: node(value),
        }
    }

    #[test]
    fn every_builtin_scenario_reads_back_with_the_same_hash() {
        for (name, text) in BUILTIN {
            let loaded = scenario::load_str(name, text, &[]).unwrap();
            let written = to_toml(&loaded.tree);
            let again = scenario::load_str("resolved", &written, &[])
                .unwrap_or_else(|e| panic!("{name}: the resolved text does not load: {e}"));
            assert_eq!(again.sha256, loaded.sha256, "{name}:\n{written}");
            assert!(!written.contains("extends"), "{name}");
        }
    }

    #[test]
    fn overrides_and_added_designs_are_in_the_text() {
        let variant = "[scenario]\nextends = \"baseline\"\nname = \"v\"\n\n[[add_design]]\n\
            id = \"x\"\nname = \"X\"\ndescription = \"tab\\there, \\\"quoted\\\", \\u0001\"\n\
            authority = 0.5\nofficialness = 0.5\nsecurity_mandate = 0.5\nvisibility = 0.5\n\
            format_consistency = 0.5\ndomestic_exposure = 0.5\nstanding_liaison = false\n\
            exit_clause = true\npace = \"joint\"\n";
        let sets = [
            Override::parse("beijing.sensitivity=0.1234567890123").unwrap(),
            Override::parse("design.x.visibility=1e-7").unwrap(),
        ];
        let loaded = scenario::load_str("v.toml", variant, &sets).unwrap();
        let written = to_toml(&loaded.tree);
        let again = scenario::load_str("resolved", &written, &[]).unwrap();
        assert_eq!(again.sha256, loaded.sha256, "{written}");
        assert_eq!(again.scenario.designs.len(), 9);
        assert_eq!(again.scenario.world.beijing.sensitivity, 0.1234567890123);
    }

    #[test]
    fn awkward_keys_strings_and_numbers_round_trip() {
        let weird = "a \"q\" \\ back\nnew\ttab\r\u{1}\u{7f}\u{1b}[0m é 日本 \u{301}";
        let doc = node(Value::Table(vec![
            entry("plain", Value::Str(weird.into())),
            entry("dotted.key", Value::Int(i64::MIN)),
            entry("", Value::Float(-0.0)),
            entry("spaced key", Value::Float(1.2345678901234567e-300)),
            entry("big", Value::Float(1e300)),
            entry("inf", Value::Float(f64::NEG_INFINITY)),
            entry("t", Value::Bool(true)),
            entry("empty", Value::Array(vec![])),
            entry(
                "mixed",
                Value::Array(vec![
                    node(Value::Int(1)),
                    node(Value::Table(vec![entry("k", Value::Str(weird.into()))])),
                ]),
            ),
            entry(
                "section",
                Value::Table(vec![
                    entry("x", Value::Float(2.0)),
                    entry("empty", Value::Table(vec![])),
                    entry(
                        "deep",
                        Value::Table(vec![entry(
                            "y",
                            Value::Table(vec![entry("z", Value::Int(3))]),
                        )]),
                    ),
                    entry(
                        "list",
                        Value::Array(vec![
                            node(Value::Table(vec![
                                entry("a", Value::Int(1)),
                                entry("sub", Value::Table(vec![entry("b", Value::Int(2))])),
                            ])),
                            node(Value::Table(vec![entry("a", Value::Int(3))])),
                        ]),
                    ),
                ]),
            ),
        ]));
        let text = to_toml(&doc);
        let back = tree::parse(&text, 0).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        assert!(same(&doc, &back), "{text}");
    }
}
