//! `dialogue-wargame explain NAME`: a design's parameters, or one parameter of the scenario,
//! with their provenance and the text of the claims, facts and sources they cite.

use std::io::{self, Write};

use crate::error::{Error, Result};
use crate::scenario::schema::{self, Kind};
use crate::scenario::tree::{self, Node, Origin, Value};
use crate::scenario::{suggest, Loaded, Source};
use crate::sources;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Explain a design or a parameter of a scenario; it loads the scenario and \
nothing more. For a design id: the design's values, each with the rationale written after it \
in the scenario file, then the text of every claim (C#), fact (F#) or source (S#) they cite. \
For a parameter key (as `list --keys` lists them, e.g. beijing.sensitivity, \
crisis.warning_days, weights.coercion, design.trade-conference.authority): its meaning, unit \
and valid range, its value in the scenario, the rationale, whether the number is an \
assumption, and the text of the sources the rationale cites. A design id that is also a key \
names the design.",
    after_help = "Examples:\n  dialogue-wargame explain trade-conference\n  \
dialogue-wargame explain trade-conference --toml\n  dialogue-wargame explain beijing.sensitivity\n  \
dialogue-wargame explain crisis.warning_days short-warning\n  \
dialogue-wargame explain trade-conference my-variant.toml --toml"
)]
pub struct Args {
    /// A design id, or a parameter key such as beijing.sensitivity (`list --keys` lists them).
    pub name: String,
    /// Scenario, as `run`, `list` and `validate` take it: a file (a path with a /, or a name
    /// ending in .toml) or a built-in name (default: baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<std::ffi::OsString>,
    /// The scenario, the old way (deprecated: name it after NAME instead).
    #[arg(
        long = "scenario",
        value_name = "SCENARIO",
        hide = true,
        conflicts_with = "scenario"
    )]
    pub scenario_flag: Option<std::ffi::OsString>,
    /// Print the design as a scenario file that validates as it is: [scenario] extends the
    /// scenario, and the design under a new id, to start a variant from.
    #[arg(long)]
    pub toml: bool,
}

/// Text wider than this is wrapped.
const WIDTH: usize = 80;

/// What the argument names.
enum Target<'t> {
    /// A design, by its node in the resolved document.
    Design(&'t Node),
    /// One key of a design: `design.ID.KEY`.
    DesignKey {
        design: &'t Node,
        id: String,
        param: &'static schema::Param,
    },
    /// One key of every design (`design.ID.KEY` as `list --keys` writes it), or of every
    /// inject (`inject.ID.KEY`).
    EveryDesign(schema::Key),
    /// A key outside the designs.
    Key(schema::Key),
}

/// Run `explain`.
pub fn run(a: Args) -> Result<()> {
    if a.scenario_flag.is_some() {
        super::note(format_args!(
            "note: `explain --scenario` is deprecated; name the scenario after the design or \
             parameter, as `list` and `run` take it: `dialogue-wargame explain {} SCENARIO`",
            a.name
        ));
    }
    let scenario = a.scenario.as_deref().or(a.scenario_flag.as_deref());
    let loaded = super::load_scenario(scenario, &[])?;
    let designs: &[Node] = match loaded.tree.get("design").map(|n| &n.value) {
        Some(Value::Array(items)) => items,
        _ => &[],
    };
    let target = resolve(&a.name, designs).ok_or_else(|| unknown(&a.name, designs, &loaded))?;
    match target {
        Target::Design(node) if a.toml => {
            super::to_stdout(|out| design_toml(out, &loaded, node, &Extends::of(scenario), designs))
        }
        Target::Design(node) => super::to_stdout(|out| design(out, &loaded, &a.name, node)),
        _ if a.toml => Err(Error::usage(
            format!("--toml: `{}` is a parameter, not a design", a.name),
            "--toml prints a design as a variant scenario file; drop --toml to explain the \
             parameter",
        )),
        Target::DesignKey { design, id, param } => {
            let key = schema::Key {
                key: format!("design.{id}.{}", param.key),
                table: &schema::DESIGN,
                kind: param.kind,
                unit: param.unit,
                meaning: param.meaning,
                required: param.required,
            };
            let node = design.get(param.key);
            let default = match (node, loaded.tree.get("programme")) {
                (None, Some(programme)) => programme
                    .get(param.key)
                    .map(|n| format!("the common programme's, {}", toml_value(&n.value))),
                _ => None,
            };
            super::to_stdout(|out| parameter(out, &loaded, &key, node, default))
        }
        Target::EveryDesign(key) => {
            // `inject.ID.KEY`: the same table of values, one row per inject of the MSEL.
            let items: &[Node] = match loaded.tree.get(key.table.path).map(|n| &n.value) {
                Some(Value::Array(items)) => items,
                _ => &[],
            };
            super::to_stdout(|out| every_design(out, &loaded, &key, items))
        }
        Target::Key(key) => {
            let node = node_at(&loaded.tree, &key.key);
            let default = match (node, key.key.as_str()) {
                (None, "scenario.status_quo") => {
                    Some(format!("the baseline, {:?}", loaded.scenario.baseline))
                }
                _ => None,
            };
            super::to_stdout(|out| parameter(out, &loaded, &key, node, default))
        }
    }
}

fn id_of(n: &Node) -> Option<&str> {
    match n.get("id").map(|v| &v.value) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// A design id first (ids may contain dots: `track-1.5`), then a key.
fn resolve<'t>(name: &str, designs: &'t [Node]) -> Option<Target<'t>> {
    if let Some(node) = designs.iter().find(|n| id_of(n) == Some(name)) {
        return Some(Target::Design(node));
    }
    if !name.contains('.') {
        return None;
    }
    if let Some(rest) = name.strip_prefix("design.") {
        // The longest id that prefixes the rest, as `--set design.ID.KEY` reads it.
        let found = designs
            .iter()
            .filter_map(|n| id_of(n).map(|id| (n, id)))
            .filter_map(|(n, id)| {
                let key = rest.strip_prefix(id)?.strip_prefix('.')?;
                Some((n, id, schema::design_param(key)?))
            })
            .max_by_key(|(_, id, _)| id.len());
        if let Some((design, id, param)) = found {
            return Some(Target::DesignKey {
                design,
                id: id.to_string(),
                param,
            });
        }
    }
    schema::find(name).map(|key| match key.table.shape {
        schema::Shape::Array => Target::EveryDesign(key),
        _ => Target::Key(key),
    })
}

/// Exit 2, with the closest design id or key.
fn unknown(name: &str, designs: &[Node], loaded: &Loaded) -> Error {
    let ids: Vec<&str> = designs.iter().filter_map(id_of).collect();
    let mut candidates: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    for k in schema::keys() {
        match k.key.strip_prefix("design.ID.") {
            Some(field) => candidates.extend(ids.iter().map(|id| format!("design.{id}.{field}"))),
            None => candidates.push(k.key),
        }
    }
    // A bare key (`sensitivity`) is matched by its last part.
    let leaf = format!(".{name}");
    let hint = suggest(name, candidates.iter().map(String::as_str))
        .or_else(|| {
            candidates
                .iter()
                .find(|c| c.ends_with(&leaf))
                .map(String::as_str)
        })
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    Error::usage(
        format!(
            "{name}: no design or parameter by this name in scenario {}",
            loaded.scenario.name
        ),
        format!(
            "{hint}designs: {}; `dialogue-wargame list --keys` lists the parameters",
            ids.join(", ")
        ),
    )
}

/// The node at a dotted key outside the designs (`beijing.area_weight.rear-area`).
fn node_at<'t>(root: &'t Node, key: &str) -> Option<&'t Node> {
    key.split('.').try_fold(root, |node, part| node.get(part))
}

/// A value in TOML syntax, as it would be written in a scenario file.
fn toml_value(value: &Value) -> String {
    tree::to_toml(value)
}

/// The comment after a value on its line, if any.
fn trailing_comment(sources: &[Source], origin: &Origin) -> String {
    let Origin::File { source, span } = origin else {
        return "set on the command line".into();
    };
    let Some(src) = sources.get(*source) else {
        return String::new();
    };
    let rest = src.text.get(span.end.min(src.text.len())..).unwrap_or("");
    let line = rest.lines().next().unwrap_or("");
    match line.find('#') {
        Some(i) => line[i + 1..].trim().to_string(),
        None => String::new(),
    }
}

/// `FILE:LINE` of a value.
fn location(sources: &[Source], origin: &Origin) -> Option<String> {
    let Origin::File { source, span } = origin else {
        return None;
    };
    let src = sources.get(*source)?;
    Some(format!(
        "{}:{}",
        src.name,
        tree::line_col(&src.text, span.start).0
    ))
}

fn show(value: &Value) -> String {
    match value {
        // Control characters shown as escapes: they would act on the terminal.
        Value::Str(s) => s
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|n| show(&n.value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Table(_) => "{..}".into(),
        Value::Datetime => "datetime".into(),
    }
}

/// Whether a rationale marks its number as an assumption.
fn is_assumption(rationale: &str) -> bool {
    rationale.to_lowercase().contains("assumption")
}

/// A design as a scenario file that validates as printed: `[scenario] extends` the scenario it
/// was read from, then the design as an `[[add_design]]` entry under a new id, each value with
/// the rationale written beside it in the scenario.
fn design_toml(
    out: &mut dyn Write,
    loaded: &Loaded,
    node: &Node,
    extends: &Extends,
    designs: &[Node],
) -> io::Result<()> {
    let id = id_of(node).unwrap_or("design");
    let taken: Vec<&str> = designs.iter().filter_map(id_of).collect();
    let new_id = (1..)
        .map(|k| match k {
            1 => format!("{id}-variant"),
            k => format!("{id}-variant-{k}"),
        })
        .find(|c| !taken.contains(&c.as_str()))
        .unwrap_or_else(|| format!("{id}-variant"));
    writeln!(
        out,
        "# Design {id} of scenario {}, as a scenario file that validates as it is.",
        loaded.scenario.name
    )?;
    writeln!(
        out,
        "# Save it (say as my-variant.toml), change what you want to test (write \"Assumption:\""
    )?;
    writeln!(
        out,
        "# where a value is now yours), and check it: dialogue-wargame validate my-variant.toml"
    )?;
    writeln!(out, "[scenario]")?;
    let extends_line = format!("extends = {}", tree::toml_string(&extends.value));
    match &extends.note {
        Some(note) => writeln!(out, "{extends_line:<30} # {note}")?,
        None => writeln!(out, "{extends_line}")?,
    }
    writeln!(out)?;
    writeln!(out, "[[add_design]]")?;
    for e in node.entries().unwrap_or(&[]) {
        let (value, why) = match (e.key.as_str(), &e.node.value) {
            ("id", _) => (
                tree::toml_string(&new_id),
                "a new id: the original stays in the comparison".to_string(),
            ),
            ("name", Value::Str(name)) => (
                tree::toml_string(&format!("{name} (variant)")),
                String::new(),
            ),
            _ => (
                toml_value(&e.node.value),
                trailing_comment(&loaded.sources, &e.node.origin),
            ),
        };
        let line = format!("{} = {value}", tree::toml_key(&e.key));
        if why.is_empty() {
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "{line:<30} # {why}")?;
        }
    }
    Ok(())
}

/// What a printed variant `extends`: the scenario explained, named so that the file works
/// wherever it is saved.
struct Extends {
    /// The value of `extends`.
    value: String,
    /// A comment on it, if it needs one.
    note: Option<String>,
}

impl Extends {
    /// For the scenario named on the command line (None: the baseline).
    fn of(arg: Option<&std::ffi::OsStr>) -> Extends {
        match arg {
            None => Extends {
                value: "baseline".into(),
                note: None,
            },
            Some(a) if !crate::scenario::names_a_file(a) => Extends {
                value: a.to_string_lossy().into_owned(),
                note: None,
            },
            Some(a) => {
                // A relative path would be read from where the variant is saved: write the
                // file's absolute path.
                let abs = std::fs::canonicalize(a).map_or_else(
                    |_| a.to_string_lossy().into_owned(),
                    |p| p.to_string_lossy().into_owned(),
                );
                let note = if abs.contains('\u{FFFD}') {
                    "this path is not UTF-8 and cannot be written here: name the file yourself"
                } else {
                    "by its absolute path; a path relative to where you save this works too"
                };
                Extends {
                    value: abs,
                    note: Some(note.into()),
                }
            }
        }
    }
}

fn design(out: &mut dyn Write, loaded: &Loaded, id: &str, node: &Node) -> io::Result<()> {
    let entries = node.entries().unwrap_or(&[]);
    let width = entries.iter().map(|e| e.key.len()).max().unwrap_or(0);
    let vwidth = entries
        .iter()
        .map(|e| show(&e.node.value).chars().count().min(40))
        .max()
        .unwrap_or(0);
    writeln!(out, "design {id} in scenario {}", loaded.scenario.name)?;
    let mut cited: Vec<&'static str> = Vec::new();
    for e in entries {
        let v = show(&e.node.value);
        let why = trailing_comment(&loaded.sources, &e.node.origin);
        if v.chars().count() > 40 {
            writeln!(out, "  {:<width$}  {v}", e.key)?;
            if !why.is_empty() {
                writeln!(out, "  {:<width$}  {:<vwidth$}  # {why}", "", "")?;
            }
        } else if why.is_empty() {
            writeln!(out, "  {:<width$}  {v}", e.key)?;
        } else {
            writeln!(out, "  {:<width$}  {v:<vwidth$}  # {why}", e.key)?;
        }
        for id in sources::cited(&why) {
            if !cited.contains(&id) {
                cited.push(id);
            }
        }
    }
    // What it meets about (docs/MODEL.md §2): its own keys above, or the scenario's common
    // [programme], which the keys above do not show.
    if let Some(d) = loaded.scenario.designs.iter().find(|d| d.id == id) {
        let whose = if d.own_programme {
            "its own"
        } else {
            "the scenario's common [programme]"
        };
        writeln!(
            out,
            "  programme: {} a year on {} ({whose})",
            crate::output::fmt_num(d.programme.cadence_per_year),
            d.programme.issue_areas
        )?;
    }
    cited_sources(out, &cited)
}

/// One parameter: what it is, its value in the scenario, and where that value comes from.
fn parameter(
    out: &mut dyn Write,
    loaded: &Loaded,
    key: &schema::Key,
    node: Option<&Node>,
    default: Option<String>,
) -> io::Result<()> {
    writeln!(out, "{} in scenario {}", key.key, loaded.scenario.name)?;
    let meaning = match key.table.shape {
        schema::Shape::PerMetric => format!(
            "a threshold on this metric, {}; summary.csv gives the share of replications that \
             meet it",
            key.meaning
        ),
        _ => key.meaning.to_string(),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("meaning".into(), meaning),
        ("unit".into(), key.unit.to_string()),
        ("valid".into(), valid(key)),
    ];
    // The rationale of each value shown: one for a value, one per field of each rung.
    let mut rationales: Vec<String> = Vec::new();
    match (node, &key.kind) {
        (Some(n), Kind::Rungs(rung)) => {
            let items = match &n.value {
                Value::Array(items) => items.as_slice(),
                _ => &[],
            };
            for (i, item) in items.iter().enumerate() {
                rows.push((format!("rung {}", i + 1), toml_value(&item.value)));
                for p in rung.params {
                    let Some(field) = item.get(p.key) else {
                        continue;
                    };
                    let why = trailing_comment(&loaded.sources, &field.origin);
                    if !why.is_empty() {
                        rows.push((String::new(), format!("{}: {why}", p.key)));
                        rationales.push(why);
                    }
                }
            }
        }
        (Some(n), _) => {
            rows.push(("value".into(), toml_value(&n.value)));
            let why = trailing_comment(&loaded.sources, &n.origin);
            rows.push((
                "rationale".into(),
                if why.is_empty() {
                    "none written in the scenario file".to_string()
                } else {
                    why.clone()
                },
            ));
            rationales.push(why);
        }
        (None, _) => {
            let value = match default {
                Some(d) => format!("not set; it is {d}"),
                None => "not set".to_string(),
            };
            rows.push(("value".into(), value));
        }
    }
    if let Some(at) = node.and_then(|n| location(&loaded.sources, &n.origin)) {
        rows.push(("set in".into(), at));
    }
    let mut cited: Vec<&'static str> = Vec::new();
    for why in &rationales {
        for id in sources::cited(why) {
            if !cited.contains(&id) {
                cited.push(id);
            }
        }
    }
    if node.is_some() {
        rows.push(("provenance".into(), provenance(&rationales, &cited)));
    }
    for (label, text) in rows.iter().filter(|(_, text)| !text.is_empty()) {
        let first = format!("  {label:<10}  ");
        let rest = " ".repeat(first.chars().count());
        for line in wrap(text, &first, &rest) {
            writeln!(out, "{line}")?;
        }
    }
    cited_sources(out, &cited)
}

/// One key of every design, side by side, with each rationale.
fn every_design(
    out: &mut dyn Write,
    loaded: &Loaded,
    key: &schema::Key,
    designs: &[Node],
) -> io::Result<()> {
    writeln!(out, "{} in scenario {}", key.key, loaded.scenario.name)?;
    let field = key.key.rsplit('.').next().unwrap_or("");
    for (label, text) in [
        ("meaning", key.meaning.to_string()),
        ("unit", key.unit.to_string()),
        ("valid", valid(key)),
    ] {
        if !text.is_empty() {
            let first = format!("  {label:<10}  ");
            for line in wrap(&text, &first, &" ".repeat(first.chars().count())) {
                writeln!(out, "{line}")?;
            }
        }
    }
    let rows: Vec<(&str, String, String)> = designs
        .iter()
        .map(|d| {
            let id = id_of(d).unwrap_or("");
            match d.get(field) {
                Some(n) => (
                    id,
                    toml_value(&n.value),
                    trailing_comment(&loaded.sources, &n.origin),
                ),
                None => (id, "not set".to_string(), String::new()),
            }
        })
        .collect();
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let vwidth = rows
        .iter()
        .map(|r| r.1.chars().count().min(40))
        .max()
        .unwrap_or(0);
    writeln!(out, "  values")?;
    if rows.is_empty() {
        writeln!(
            out,
            "    none: the scenario has no [[{}]] entries",
            key.table.path
        )?;
    }
    let mut cited: Vec<&'static str> = Vec::new();
    for (id, value, why) in &rows {
        if why.is_empty() {
            writeln!(out, "    {id:<width$}  {value}")?;
        } else {
            writeln!(out, "    {id:<width$}  {value:<vwidth$}  # {why}")?;
        }
        for c in sources::cited(why) {
            if !cited.contains(&c) {
                cited.push(c);
            }
        }
    }
    cited_sources(out, &cited)
}

/// The valid values of a key, as a sentence.
fn valid(key: &schema::Key) -> String {
    let optional = if key.required { "" } else { "; optional" };
    match key.kind {
        Kind::Dist { .. } => format!(
            "{} (a fixed number, or a distribution: fixed, uniform, triangular, beta, \
             normal, lognormal){optional}",
            key.kind
        ),
        Kind::Areas => format!(
            "a list drawn from {}{optional}",
            crate::scenario::Area::names()
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Kind::Rungs(rung) => format!(
            "[[{}]] tables, mildest first, each with {}",
            rung.path,
            rung.params
                .iter()
                .map(|p| format!("{} ({})", p.key, p.kind))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        kind => format!("{kind}{optional}"),
    }
}

/// Whether the number is sourced or assumed, in words.
fn provenance(rationales: &[String], cited: &[&str]) -> String {
    let assumed = rationales.iter().any(|r| is_assumption(r));
    match (assumed, cited.is_empty()) {
        (true, true) => "Assumption: no source gives this number.".into(),
        (true, false) => format!(
            "Assumption: no source gives this number; the rationale rests its reasoning on {} \
             (below).",
            cited.join(", ")
        ),
        (false, false) => format!("cites {} (below).", cited.join(", ")),
        (false, true) if rationales.iter().all(|r| r.is_empty()) => {
            "no rationale is written beside this value.".into()
        }
        (false, true) => "the rationale cites no claim, fact or source.".into(),
    }
}

/// The title and text of each cited entry of docs/SOURCES.md, wrapped.
fn cited_sources(out: &mut dyn Write, ids: &[&str]) -> io::Result<()> {
    let entries: Vec<sources::Entry> = ids.iter().filter_map(|id| sources::lookup(id)).collect();
    if entries.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Cited (docs/SOURCES.md):")?;
    for e in entries {
        writeln!(out)?;
        let head = format!("{:<4}", e.id);
        for line in wrap(e.title, &head, "    ") {
            writeln!(out, "{line}")?;
        }
        let paragraphs = e.text.split("\n\n").map(str::to_string);
        let source = std::iter::once(format!("Source: {}", e.source));
        for (i, paragraph) in paragraphs.chain(source).enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            for line in wrap(&paragraph, "    ", "    ") {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// Columns a text takes on a terminal: two for the wide characters of East Asian scripts
/// (docs/SOURCES.md quotes Japanese titles), one for the others.
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// Lines of at most [`WIDTH`] columns (a longer word stands alone), the first starting with
/// `first`, the others with `rest`.
fn wrap(text: &str, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let len = columns(&line);
        if !empty && len + 1 + columns(word) > WIDTH {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line.trim_end().to_string());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_within_the_width_and_words_whole() {
        let text = "word ".repeat(50) + &"x".repeat(100);
        let lines = wrap(&text, "  head  ", "        ");
        assert!(lines[0].starts_with("  head  word"));
        for l in &lines[..lines.len() - 1] {
            assert!(columns(l) <= WIDTH, "{l}");
        }
        assert_eq!(
            lines.last().map(|l| l.trim()),
            Some("x".repeat(100).as_str())
        );
        assert_eq!(wrap("", "a ", "  "), ["a"]);
        assert_eq!(
            wrap("é ".repeat(60).trim(), "", "")
                .iter()
                .map(|l| columns(l))
                .max(),
            Some(79)
        );
        // Wide characters take two columns.
        assert_eq!(columns("調査 a"), 6);
        let wide = wrap(&"調査統計 ".repeat(30), "", "");
        assert!(wide.iter().all(|l| columns(l) <= WIDTH));
    }

    #[test]
    fn provenance_says_assumption_plainly() {
        let r = |s: &str| vec![s.to_string()];
        assert!(provenance(&r("Assumption: twice a year"), &[]).starts_with("Assumption"));
        assert!(
            provenance(&r("C16: elsewhere; Assumption on the number"), &["C16"])
                .starts_with("Assumption")
        );
        assert_eq!(
            provenance(&r("C9: global multiplier"), &["C9"]),
            "cites C9 (below)."
        );
        assert!(provenance(&r(""), &[]).contains("no rationale"));
    }
}
