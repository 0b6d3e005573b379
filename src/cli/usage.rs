//! Mistakes on the command line, said the way every diagnostic is said (`error: WHERE: what was
//! wrong`, then `  help: how to fix it`): value parsers for numeric flags whose messages say
//! what was expected, and clap's own errors (unknown flags, missing arguments) re-rendered in
//! that style.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// A clap value parser for a whole number in `[lo, hi]`. Negative numbers reach it (the flags
/// that use it allow them) so that `-n -5` is told what was expected instead of clap's advice
/// to write `-- -5`.
pub(crate) fn whole_number(
    lo: u64,
    hi: u64,
) -> impl Fn(&str) -> Result<u64, String> + Clone + Send + Sync + 'static {
    move |s: &str| {
        let expected = if hi == u64::MAX {
            format!("a whole number >= {lo}")
        } else {
            format!("a whole number from {lo} to {hi}")
        };
        let t = s.trim();
        match t.parse::<u64>() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(n),
            Ok(n) => Err(format!("expected {expected}, found {n}")),
            Err(_) if t.parse::<i128>().is_ok() || t.parse::<f64>().is_ok_and(f64::is_finite) => {
                let whole = t.parse::<f64>().is_ok_and(|f| f.fract() == 0.0);
                if whole {
                    Err(format!("expected {expected}, found {t}"))
                } else {
                    Err(format!(
                        "expected {expected}, found {t}, which is not whole"
                    ))
                }
            }
            Err(_) => Err(format!("expected {expected}, found `{s}`")),
        }
    }
}

/// A clap value parser for a number of seconds >= 0.
pub(crate) fn seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        Ok(x) => Err(format!("expected a number of seconds >= 0, found {x}")),
        Err(_) => Err(format!("expected a number of seconds >= 0, found `{s}`")),
    }
}

/// A clap usage error as the text after `error: `, with `  help:` lines; `None` for what clap
/// prints itself (`--help`, `--version`, the help shown when a command is missing).
pub fn clap_error(e: &clap::Error) -> Option<String> {
    if !e.use_stderr()
        || matches!(
            e.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        return None;
    }
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(s)) => s
            .to_string()
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().trim_start_matches("Usage:").trim().to_string()),
        _ => None,
    };
    // `dialogue-wargame run`: the words of the usage line before its first flag or argument.
    let command = usage.as_deref().map(|u| {
        u.split_whitespace()
            .take_while(|w| !w.starts_with(['[', '<', '-']))
            .collect::<Vec<_>>()
            .join(" ")
    });
    let usage_help = match (&usage, &command) {
        (Some(u), Some(c)) if c.contains(' ') => {
            Some(format!("usage: {u}; `{c} --help` describes every flag"))
        }
        (Some(u), Some(c)) if !c.is_empty() => {
            Some(format!("usage: {u}; `{c} --help` describes every command"))
        }
        _ => None,
    };
    let text = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) if !v.is_empty() => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) if !v.is_empty() => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    };
    // Suggestions, each in backquotes: "`list`" or "`validate` or `list`".
    let suggested = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(format!("`{s}`")),
        Some(ContextValue::Strings(v)) if !v.is_empty() => Some(
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" or "),
        ),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).map(|a| flag_name(&a));
    let mut helps: Vec<String> = Vec::new();
    let what = match e.kind() {
        ErrorKind::ValueValidation => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let why = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_else(|| "invalid value".into());
            format!("{} {value}: {why}", arg.unwrap_or_default())
        }
        ErrorKind::InvalidValue => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            if let Some(s) = suggested(ContextKind::SuggestedValue) {
                helps.push(format!("did you mean {s}?"));
            }
            match text(ContextKind::ValidValue) {
                _ if value.is_empty() => {
                    let arg = arg.unwrap_or_default();
                    helps.push(format!("write {arg} VALUE, or leave the flag out"));
                    format!("{arg}: a value is required")
                }
                Some(valid) => format!(
                    "{} {value}: expected one of {valid}",
                    arg.unwrap_or_default()
                ),
                None => format!("{} {value}: expected a value", arg.unwrap_or_default()),
            }
        }
        ErrorKind::UnknownArgument => {
            if let Some(s) = suggested(ContextKind::SuggestedArg) {
                helps.push(format!("did you mean {s}?"));
            }
            if let Some(s) = suggested(ContextKind::SuggestedSubcommand) {
                helps.push(format!("did you mean the command {s}?"));
            }
            // clap's "to pass `-5` as a value, use `-- -5`" would make it the scenario's name.
            if let Some(s) = text(ContextKind::Suggested).filter(|s| !s.starts_with("to pass")) {
                helps.push(s.replace('\'', "`"));
            }
            let arg = arg.unwrap_or_default();
            if arg.starts_with('-') {
                format!("{arg}: unknown flag")
            } else {
                format!("{arg}: unexpected argument")
            }
        }
        ErrorKind::InvalidSubcommand => {
            let sub = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            match suggested(ContextKind::SuggestedSubcommand) {
                Some(s) => helps.push(format!("did you mean {s}?")),
                None => {
                    let cli = <super::Cli as clap::CommandFactory>::command();
                    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                    helps.push(format!("commands: {}", names.join(", ")));
                }
            }
            format!("{sub}: no such command")
        }
        ErrorKind::MissingRequiredArgument => {
            let which = command.clone().unwrap_or_default();
            format!(
                "{which}: missing {}",
                text(ContextKind::InvalidArg).unwrap_or_else(|| "an argument".into())
            )
        }
        ErrorKind::ArgumentConflict => {
            let prior = text(ContextKind::PriorArg)
                .map(|p| flag_name(&p))
                .unwrap_or_default();
            format!("{}: cannot be used with {prior}", arg.unwrap_or_default())
        }
        _ => {
            // Any other kind: clap's first line, its tips as help.
            let rendered = e.render().to_string();
            let mut lines = rendered.lines();
            let first = lines
                .by_ref()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid command line")
                .trim_start_matches("error:")
                .trim()
                .replace('\'', "`");
            helps.extend(
                lines
                    .filter_map(|l| l.trim().strip_prefix("tip:"))
                    .map(|t| t.trim().replace('\'', "`")),
            );
            first
        }
    };
    helps.extend(usage_help);
    let mut out = what;
    for h in helps {
        out.push_str("\n  help: ");
        out.push_str(&h);
    }
    Some(out)
}

/// `--replications` from clap's `--replications <REPLICATIONS>`, `SCENARIO` from `[SCENARIO]`;
/// an argument as typed stays whole.
fn flag_name(arg: &str) -> String {
    if arg.starts_with('-') {
        arg.split_whitespace().next().unwrap_or(arg).to_string()
    } else if arg.starts_with(['[', '<']) {
        arg.trim_matches(['[', ']', '<', '>', '.']).to_string()
    } else {
        arg.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_say_what_was_expected() {
        let n = whole_number(1, 1000);
        assert_eq!(n("7"), Ok(7));
        assert_eq!(
            n("-5"),
            Err("expected a whole number from 1 to 1000, found -5".into())
        );
        assert_eq!(
            n("0"),
            Err("expected a whole number from 1 to 1000, found 0".into())
        );
        assert_eq!(
            n("2.5"),
            Err("expected a whole number from 1 to 1000, found 2.5, which is not whole".into())
        );
        assert_eq!(
            n("many"),
            Err("expected a whole number from 1 to 1000, found `many`".into())
        );
        let seed = whole_number(0, u64::MAX);
        assert_eq!(
            seed("-1"),
            Err("expected a whole number >= 0, found -1".into())
        );
        assert_eq!(seed("18446744073709551615"), Ok(u64::MAX));
        assert!(seconds("-1").is_err());
        assert_eq!(seconds("2.5"), Ok(2.5));
    }
}
