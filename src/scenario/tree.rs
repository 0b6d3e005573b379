//! A small spanned document tree: the TOML file as parsed, before any meaning is given to it.
//!
//! Every node remembers where it came from (which source text and which byte range), so that
//! validation can point at the file, line and column of a bad value. Values that came from a
//! `--set` override carry the override as their origin instead of a span.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Where a node came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Byte range `span` of source number `source` (an index into
    /// [`Loaded::sources`](super::Loaded::sources)).
    File {
        /// Index into the list of source texts.
        source: usize,
        /// Byte range of the value or key in that text.
        span: Range<usize>,
    },
    /// An override from the command line, as typed (`--set KEY=VALUE`, `--weights ...`).
    Override(String),
}

/// A value in the document.
#[derive(Clone, Debug)]
pub struct Node {
    /// Where the value was written.
    pub origin: Origin,
    /// The value itself.
    pub value: Value,
}

/// The kinds of value a scenario file can hold.
#[derive(Clone, Debug)]
pub enum Value {
    /// A string.
    Str(String),
    /// An integer (TOML integers fit in i64).
    Int(i64),
    /// A float, including `inf` and `nan` (rejected later, with a location).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// An array, including arrays of tables.
    Array(Vec<Node>),
    /// A table, with its entries in file order where TOML keeps it.
    Table(Vec<Entry>),
    /// A TOML datetime: never valid in a scenario, kept so the error can say what it saw.
    Datetime,
}

/// One `key = value` entry of a table.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key was written.
    pub key_origin: Origin,
    /// The value.
    pub node: Node,
}

impl Value {
    /// The word for this kind of value in error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
            Value::Datetime => "a datetime",
        }
    }
}

impl Node {
    /// The entries if this node is a table.
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Table(e) => Some(e),
            _ => None,
        }
    }

    /// The entries if this node is a table, to change them.
    pub fn entries_mut(&mut self) -> Option<&mut Vec<Entry>> {
        match &mut self.value {
            Value::Table(e) => Some(e),
            _ => None,
        }
    }

    /// Look up a direct child of a table.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.node)
    }
}

/// A problem with the text of a TOML document, located in it.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    /// The parser's message.
    pub message: String,
    /// Byte range, where the parser gave one.
    pub span: Option<Range<usize>>,
}

/// Parse TOML text into a [`Node`] tree. Returns every syntax error the parser found.
pub fn parse(text: &str, source: usize) -> Result<Node, Vec<SyntaxError>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|e| SyntaxError {
                message: e.message().trim().to_string(),
                span: e.span(),
            })
            .collect());
    }
    let span = doc.span();
    Ok(Node {
        origin: Origin::File { source, span },
        value: Value::Table(convert_table(doc.get_ref(), source)),
    })
}

fn convert_table(table: &DeTable<'_>, source: usize) -> Vec<Entry> {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref().to_string(),
            key_origin: Origin::File {
                source,
                span: k.span(),
            },
            node: convert(v, source),
        })
        .collect();
    // The parser's map is ordered by key; file order reads better in messages.
    entries.sort_by_key(|e| match &e.key_origin {
        Origin::File { span, .. } => span.start,
        Origin::Override(_) => usize::MAX,
    });
    entries
}

fn convert(v: &Spanned<DeValue<'_>>, source: usize) -> Node {
    let origin = Origin::File {
        source,
        span: v.span(),
    };
    let value = match v.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Int(n),
            // Out of i64's range: keep it as a float so range checks can report it.
            Err(_) => Value::Float(i.as_str().parse::<f64>().unwrap_or(f64::INFINITY)),
        },
        DeValue::Float(f) => Value::Float(parse_float(f.as_str())),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(_) => Value::Datetime,
        DeValue::Array(a) => Value::Array(a.iter().map(|x| convert(x, source)).collect()),
        DeValue::Table(t) => Value::Table(convert_table(t, source)),
    };
    Node { origin, value }
}

fn parse_float(s: &str) -> f64 {
    match s.trim_start_matches('+') {
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        "nan" | "-nan" => f64::NAN,
        other => other.replace('_', "").parse().unwrap_or(f64::NAN),
    }
}

/// A value written as TOML that parses back to the same value: strings escaped as TOML (not
/// as Rust) escapes them, floats that stay floats (`1.0`, `1e300`), tables inline.
pub fn to_toml(value: &Value) -> String {
    match value {
        Value::Str(s) => toml_string(s),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => toml_float(*f),
        Value::Bool(b) => b.to_string(),
        // Never in a scenario that loads; written as text so that the output still parses.
        Value::Datetime => toml_string("datetime"),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|n| to_toml(&n.value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Table(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|e| format!("{} = {}", toml_key(&e.key), to_toml(&e.node.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A key as TOML writes it: bare when it can be (`visibility`, `rear-area`), quoted otherwise.
pub fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        key.to_string()
    } else {
        toml_string(key)
    }
}

/// A TOML basic string: `"` and `\` escaped, and every control character (which TOML does not
/// allow raw in a string); other characters, combining marks included, as they are.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A float as TOML writes it: Rust's shortest round-trip form, with `.0` on whole numbers so
/// that it stays a float, and TOML's words for the non-finite.
pub fn toml_float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        // `{:?}` gives `1.0`, `0.25`, `1e300`, `1e-7`: all TOML floats.
        format!("{f:?}")
    }
}

/// The dotted key with the most parts in a TOML text (`a.b.c = 1`, `[a.b.c]`), as its byte
/// range and number of parts: the parser reports a key too deep for it (80 parts or more)
/// without saying where, and this finds it. Strings and comments are skipped; a number such as
/// `1.5` counts as a key of two parts, which is harmless when looking for the deepest.
pub fn deepest_key(text: &str) -> Option<(Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let mut best: Option<(Range<usize>, usize)> = None;
    // The run of key parts being read: its start, end, parts, and whether a dot is pending.
    let mut run: Option<(usize, usize, usize)> = None;
    let mut dot = false;
    let mut i = 0;
    let mut part_at =
        |start: usize, end: usize, run: &mut Option<(usize, usize, usize)>, dot: &mut bool| {
            *run = match (*run, *dot) {
                (Some((s, _, n)), true) => Some((s, end, n + 1)),
                _ => Some((start, end, 1)),
            };
            *dot = false;
            if let Some((s, e, n)) = *run {
                if best.as_ref().is_none_or(|b| n > b.1) {
                    best = Some((s..e, n));
                }
            }
        };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                run = None;
                dot = false;
            }
            b'"' | b'\'' => {
                let start = i;
                let triple = bytes.get(i..i + 3) == Some(&[b, b, b][..]);
                i += if triple { 3 } else { 1 };
                while i < bytes.len() {
                    if b == b'"' && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if triple {
                        if bytes.get(i..i + 3) == Some(&[b, b, b][..]) {
                            i += 3;
                            break;
                        }
                    } else if bytes[i] == b || bytes[i] == b'\n' {
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                part_at(start, i.min(bytes.len()), &mut run, &mut dot);
                continue;
            }
            b'.' if run.is_some() => dot = true,
            b' ' | b'\t' => {}
            _ if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
                {
                    i += 1;
                }
                part_at(start, i, &mut run, &mut dot);
                continue;
            }
            _ => {
                run = None;
                dot = false;
            }
        }
        i += 1;
    }
    best
}

/// Lay `over` on top of `base`: tables merge key by key, anything else (arrays included, so a
/// `[[design]]` list replaces the base's list whole) is replaced.
pub fn merge(base: &mut Node, over: Node) {
    let is_dist = |v: &Value| matches!(v, Value::Table(e) if e.iter().any(|x| x.key == "dist"));
    if is_dist(&base.value) || is_dist(&over.value) {
        // A distribution is one value: a triangular over a beta must not inherit `mean`.
        *base = over;
        return;
    }
    match (&mut base.value, over.value) {
        (Value::Table(base_entries), Value::Table(over_entries)) => {
            base.origin = over.origin;
            for e in over_entries {
                match base_entries.iter_mut().find(|b| b.key == e.key) {
                    Some(b) => {
                        b.key_origin = e.key_origin;
                        merge(&mut b.node, e.node);
                    }
                    None => base_entries.push(e),
                }
            }
        }
        (_, value) => {
            base.value = value;
            base.origin = over.origin;
        }
    }
}

/// Line and column (both 1-based) of byte offset `pos` in `text`.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = &text.as_bytes()[..pos];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_written_as_toml_parse_back_to_themselves() {
        let tricky = "a\"b\\c\nd\te\u{7}f\u{7f}g e\u{301} \u{200b}x\r\u{8}\u{c}\u{1b}[31m";
        let doc = format!(
            "{} = {}\n{} = {}\nf = [{}, {}, {}, {}]\n",
            toml_key("plain-key_1"),
            to_toml(&Value::Str(tricky.into())),
            toml_key("needs quoting.é"),
            to_toml(&Value::Table(vec![Entry {
                key: "x y".into(),
                key_origin: Origin::Override(String::new()),
                node: Node {
                    origin: Origin::Override(String::new()),
                    value: Value::Str("\u{0}".into()),
                },
            }])),
            toml_float(1.0),
            toml_float(1e300),
            toml_float(-2.5e-7),
            toml_float(f64::INFINITY),
        );
        let root = parse(&doc, 0).unwrap_or_else(|e| panic!("{doc}\n{e:?}"));
        assert!(matches!(&root.get("plain-key_1").unwrap().value, Value::Str(s) if s == tricky));
        let t = root.get("needs quoting.é").unwrap();
        assert!(matches!(&t.get("x y").unwrap().value, Value::Str(s) if s == "\u{0}"));
        let Value::Array(f) = &root.get("f").unwrap().value else {
            panic!("f")
        };
        let floats: Vec<f64> = f
            .iter()
            .map(|n| match n.value {
                Value::Float(x) => x,
                ref other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(floats, [1.0, 1e300, -2.5e-7, f64::INFINITY]);
    }

    #[test]
    fn the_deepest_key_is_found_outside_strings_and_comments() {
        let text = "a.b = 1\n# x.x.x.x.x.x\ns = \"q.q.q.q.q.q\"\n[t . u.\"v.w\".x]\n";
        let (span, parts) = deepest_key(text).unwrap();
        assert_eq!(parts, 4);
        assert_eq!(&text[span], "t . u.\"v.w\".x");
        let deep = format!("[s]\n{}b = 1\n", "a.".repeat(99));
        let (span, parts) = deepest_key(&deep).unwrap();
        assert_eq!((parts, line_col(&deep, span.start)), (100, (2, 1)));
    }
}
