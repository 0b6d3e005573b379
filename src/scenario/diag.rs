//! Diagnostics: one problem found in a scenario, and the error that carries every problem of a
//! load rendered the one way the house style asks for (`FILE:LINE:COL: key: what was wrong`,
//! then `help: how to fix it`), whether it came from a file, a flag or an `--set`.

use std::fmt;

use super::tree::{self, Origin};

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

/// A scenario that could not be loaded: every problem found, rendered with locations. Its text
/// is what follows the first `error: `; each further problem starts a line with `error: `.
#[derive(Clone, Debug)]
pub struct LoadError {
    /// The problems, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    rendered: String,
}

impl LoadError {
    pub(super) fn new(diagnostics: Vec<Diagnostic>, sources: &[Source]) -> LoadError {
        let mut rendered = String::new();
        for (i, d) in diagnostics.iter().enumerate() {
            // The first `error: ` is the caller's (`main` prints every error so); each further
            // problem gets its own, so that every problem reads the same.
            if i > 0 {
                rendered.push_str("\nerror: ");
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
            // Keys and values from a file or an --set may hold control characters (escape
            // sequences, a bell): shown as escapes, never sent to the terminal.
            let (loc, message) = (printable(&loc), printable(&d.message));
            if d.path.is_empty() {
                rendered.push_str(&format!("{loc}: {message}"));
            } else {
                rendered.push_str(&format!("{loc}: {}: {message}", printable(&d.path)));
            }
            if let Some(help) = &d.help {
                rendered.push_str(&format!("\n  help: {}", printable(help)));
            }
        }
        LoadError {
            diagnostics,
            rendered,
        }
    }

    /// Every problem found in a file that is not a scenario but is read the same way (an
    /// experiment file), rendered against its `sources`.
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>, sources: &[Source]) -> LoadError {
        LoadError::new(diagnostics, sources)
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

/// Text for a terminal: control characters other than line breaks and tabs (which messages
/// use for their layout) shown as escapes (`\u{1b}`), so that text from a file or a flag
/// cannot move the cursor, recolour or clear the screen.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

impl std::error::Error for LoadError {}
