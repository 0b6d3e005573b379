//! The conditions scenario discovery looks for: a small grammar over designs and metrics.
//!
//! ```text
//! CONDITION := "best" [METRIC] ("=" | "!=") DESIGN          which design is best
//!            | DESIGN "beats" DESIGN "on" METRIC ["by" NUMBER]
//!            | DESIGN [ "-" DESIGN ] METRIC OP NUMBER       a value or a difference
//! OP        := ">=" | ">" | "<=" | "<"
//! ```
//!
//! - `best = executive-2plus2`: the design with the best composite at the point (or in the
//!   replication) is `executive-2plus2`; `best evacuation = trade-conference` judges by one
//!   metric, the best being the highest or, for a metric where lower is better
//!   (`coercion_rate`, `crisis_escalation`, `max_rung`), the lowest; ties go to the design
//!   listed first.
//! - `trade-conference - status-quo evacuation >= 0.1`: the difference of two designs' values
//!   of a metric (the `-` between designs stands alone, with spaces, since design names contain
//!   hyphens); `trade-conference composite > 0.5`: one design's value.
//! - `trade-conference beats status-quo on crisis_escalation by 0.01`: better by at least 0.01
//!   in the metric's own direction (lower escalation); without `by`, strictly better.
//!
//! Operators may touch their operands (`best=executive-2plus2`). Every mistake is reported
//! with what was expected and, for a misspelt design or metric, the nearest name.

use crate::error::{Error, Result};
use crate::metric::{self, Metric};
use crate::scenario::suggest;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `<`
    Lt,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Ge => a >= b,
            Op::Gt => a > b,
            Op::Le => a <= b,
            Op::Lt => a < b,
        }
    }
}

/// A parsed condition; designs are indices into the list it was parsed against.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// The best design by `metric` is (`is == true`) or is not `design`.
    Best {
        /// The metric judged.
        metric: Metric,
        /// The design.
        design: usize,
        /// `=` (true) or `!=` (false).
        is: bool,
    },
    /// `value(lhs) [− value(rhs)] OP threshold` on `metric`.
    Compare {
        /// The design on the left.
        lhs: usize,
        /// The design subtracted, if any.
        rhs: Option<usize>,
        /// The metric.
        metric: Metric,
        /// The operator.
        op: Op,
        /// The number on the right.
        threshold: f64,
    },
}

impl Condition {
    /// Whether the condition holds where `value(design, metric)` gives each design's value.
    pub fn holds(&self, value: &dyn Fn(usize, Metric) -> f64, designs: usize) -> bool {
        match *self {
            Condition::Best { metric, design, is } => {
                (best(value, designs, metric) == design) == is
            }
            Condition::Compare {
                lhs,
                rhs,
                metric,
                op,
                threshold,
            } => {
                let v = value(lhs, metric) - rhs.map_or(0.0, |r| value(r, metric));
                op.holds(v, threshold)
            }
        }
    }

    /// The metric the condition reads.
    pub fn metric(&self) -> Metric {
        match *self {
            Condition::Best { metric, .. } | Condition::Compare { metric, .. } => metric,
        }
    }
}

/// The best design by `metric` (ties: the first).
pub fn best(value: &dyn Fn(usize, Metric) -> f64, designs: usize, metric: Metric) -> usize {
    let higher = metric.info().higher_is_better;
    let mut best = 0;
    for d in 1..designs {
        let (v, b) = (value(d, metric), value(best, metric));
        if (higher && v > b) || (!higher && v < b) {
            best = d;
        }
    }
    best
}

/// Parse `text` against the design ids `designs`; a mistake is a usage error (exit 2) that
/// quotes the condition, says what was expected and suggests the nearest design or metric.
pub fn parse(text: &str, designs: &[String]) -> Result<Condition> {
    let toks = tokens(text);
    let bad =
        |what: String, help: String| Error::usage(format!("--condition `{text}`: {what}"), help);
    let grammar = "write `best = DESIGN`, `A beats B on METRIC [by X]` or `A [- B] METRIC >= X` \
                   (docs/EXPERIMENTS.md, scenario discovery)";
    let design = |tok: Option<&String>| -> Result<usize> {
        let Some(t) = tok else {
            return Err(bad(
                "ends where a design was expected".into(),
                grammar.into(),
            ));
        };
        designs.iter().position(|d| d == t).ok_or_else(|| {
            let help = match suggest(t, designs.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("designs here: {}", designs.join(", ")),
            };
            bad(format!("`{t}` is not a design here"), help)
        })
    };
    let metric_of = |tok: Option<&String>| -> Result<Metric> {
        let Some(t) = tok else {
            return Err(bad(
                "ends where a metric was expected".into(),
                grammar.into(),
            ));
        };
        Metric::from_name(t).ok_or_else(|| {
            let help = match suggest(t, metric::names()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "metrics: {}",
                    metric::names().collect::<Vec<_>>().join(", ")
                ),
            };
            bad(format!("`{t}` is not a metric"), help)
        })
    };
    let number = |tok: Option<&String>| -> Result<f64> {
        match tok {
            Some(t) => match t.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(bad(
                    format!("`{t}` is not a number"),
                    "the threshold is a finite number such as 0.1 or -0.05".into(),
                )),
            },
            None => Err(bad(
                "ends where a number was expected".into(),
                grammar.into(),
            )),
        }
    };
    let end = |rest: &[String]| -> Result<()> {
        match rest.first() {
            None => Ok(()),
            Some(t) => Err(bad(
                format!("unexpected `{t}` after the condition"),
                grammar.into(),
            )),
        }
    };
    let Some(first) = toks.first() else {
        return Err(bad("is empty".into(), grammar.into()));
    };
    if first == "best" {
        // best [METRIC] (= | !=) DESIGN
        let (metric, at) = match toks.get(1).map(String::as_str) {
            Some("=" | "!=" | "==") | None => (Metric::Composite, 1),
            Some(_) => (metric_of(toks.get(1))?, 2),
        };
        let is = match toks.get(at).map(String::as_str) {
            Some("=" | "==") => true,
            Some("!=") => false,
            other => {
                return Err(bad(
                    match other {
                        Some(t) => format!("expected `=` or `!=` after `best`, found `{t}`"),
                        None => "expected `=` or `!=` after `best`".into(),
                    },
                    "write `best = DESIGN` or `best METRIC = DESIGN`".into(),
                ))
            }
        };
        let d = design(toks.get(at + 1))?;
        end(&toks[(at + 2).min(toks.len())..])?;
        return Ok(Condition::Best {
            metric,
            design: d,
            is,
        });
    }
    let lhs = design(Some(first))?;
    if toks.get(1).map(String::as_str) == Some("beats") {
        let rhs = design(toks.get(2))?;
        if toks.get(3).map(String::as_str) != Some("on") {
            return Err(bad(
                "expected `on METRIC` after `A beats B`".into(),
                "write `A beats B on METRIC` or `A beats B on METRIC by 0.1`".into(),
            ));
        }
        let metric = metric_of(toks.get(4))?;
        let (by, used) = if toks.get(5).map(String::as_str) == Some("by") {
            (Some(number(toks.get(6))?), 7)
        } else {
            (None, 5)
        };
        end(&toks[used.min(toks.len())..])?;
        if by.is_some_and(|b| b < 0.0) {
            return Err(bad(
                "`by` takes a margin of at least 0".into(),
                "to allow a design to trail, write `A - B METRIC >= -0.1`".into(),
            ));
        }
        let margin = by.unwrap_or(0.0);
        let strict = by.is_none();
        // Better in the metric's direction: higher, or lower for a lower-is-better metric.
        let (l, r, op) = if metric.info().higher_is_better {
            (lhs, rhs, if strict { Op::Gt } else { Op::Ge })
        } else {
            (rhs, lhs, if strict { Op::Gt } else { Op::Ge })
        };
        return Ok(Condition::Compare {
            lhs: l,
            rhs: Some(r),
            metric,
            op,
            threshold: margin,
        });
    }
    let (rhs, at) = if toks.get(1).map(String::as_str) == Some("-") {
        (Some(design(toks.get(2))?), 3)
    } else {
        (None, 1)
    };
    let metric = metric_of(toks.get(at))?;
    let op = match toks.get(at + 1).map(String::as_str) {
        Some(">=") => Op::Ge,
        Some(">") => Op::Gt,
        Some("<=") => Op::Le,
        Some("<") => Op::Lt,
        other => {
            return Err(bad(
                match other {
                    Some(t) => format!(
                        "expected a comparison (>=, >, <=, <) after `{}`, found `{t}`",
                        toks[at]
                    ),
                    None => format!("expected a comparison (>=, >, <=, <) after `{}`", toks[at]),
                },
                grammar.into(),
            ))
        }
    };
    let threshold = number(toks.get(at + 2))?;
    end(&toks[(at + 3).min(toks.len())..])?;
    Ok(Condition::Compare {
        lhs,
        rhs,
        metric,
        op,
        threshold,
    })
}

/// Words and operators: operators (`>=`, `<=`, `!=`, `==`, `>`, `<`, `=`) split words even
/// without spaces; anything else up to whitespace is a word (`trade-conference`, `-0.1`, `-`).
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() || matches!(c, '>' | '<' | '=' | '!') {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                let mut op = c.to_string();
                if chars.peek() == Some(&'=') {
                    op.push('=');
                    chars.next();
                }
                out.push(op);
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn designs() -> Vec<String> {
        ["status-quo", "trade-conference", "executive-2plus2"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn err(text: &str) -> String {
        parse(text, &designs()).unwrap_err().to_string()
    }

    #[test]
    fn parses_each_form() {
        let d = designs();
        assert_eq!(
            parse("best = executive-2plus2", &d).unwrap(),
            Condition::Best {
                metric: Metric::Composite,
                design: 2,
                is: true
            }
        );
        assert_eq!(
            parse("best=executive-2plus2", &d).unwrap(),
            parse("best = executive-2plus2", &d).unwrap()
        );
        assert_eq!(
            parse("best evacuation != status-quo", &d).unwrap(),
            Condition::Best {
                metric: Metric::Evacuation,
                design: 0,
                is: false
            }
        );
        assert_eq!(
            parse("trade-conference - status-quo evacuation >= 0.1", &d).unwrap(),
            Condition::Compare {
                lhs: 1,
                rhs: Some(0),
                metric: Metric::Evacuation,
                op: Op::Ge,
                threshold: 0.1
            }
        );
        assert_eq!(
            parse("trade-conference composite<-0.05", &d).unwrap(),
            Condition::Compare {
                lhs: 1,
                rhs: None,
                metric: Metric::Composite,
                op: Op::Lt,
                threshold: -0.05
            }
        );
        // Lower escalation is better: "beats" flips the difference.
        assert_eq!(
            parse(
                "trade-conference beats status-quo on crisis_escalation by 0.01",
                &d
            )
            .unwrap(),
            Condition::Compare {
                lhs: 0,
                rhs: Some(1),
                metric: Metric::CrisisEscalation,
                op: Op::Ge,
                threshold: 0.01
            }
        );
        assert_eq!(
            parse("trade-conference beats status-quo on evacuation", &d).unwrap(),
            Condition::Compare {
                lhs: 1,
                rhs: Some(0),
                metric: Metric::Evacuation,
                op: Op::Gt,
                threshold: 0.0
            }
        );
    }

    #[test]
    fn evaluates_against_values() {
        let d = designs();
        // Composite 0.4, 0.7, 0.6; evacuation 0.2, 0.35, 0.1; escalation 0.02, 0.01, 0.05.
        let table = |design: usize, m: Metric| match m {
            Metric::Composite => [0.4, 0.7, 0.6][design],
            Metric::Evacuation => [0.2, 0.35, 0.1][design],
            Metric::CrisisEscalation => [0.02, 0.01, 0.05][design],
            _ => 0.0,
        };
        let holds = |t: &str| parse(t, &d).unwrap().holds(&table, 3);
        assert!(holds("best = trade-conference"));
        assert!(!holds("best = executive-2plus2"));
        assert!(holds("best evacuation = trade-conference"));
        assert!(holds("best crisis_escalation = trade-conference"));
        assert!(holds("trade-conference - status-quo evacuation >= 0.1"));
        assert!(!holds("trade-conference - status-quo evacuation >= 0.2"));
        assert!(holds(
            "trade-conference beats status-quo on crisis_escalation by 0.01"
        ));
        assert!(!holds(
            "status-quo beats trade-conference on crisis_escalation"
        ));
        assert!(holds("executive-2plus2 composite > 0.5"));
    }

    #[test]
    fn mistakes_say_what_was_expected() {
        let e = err("best = trade-conferenc");
        assert!(e.contains("`trade-conferenc` is not a design here"), "{e}");
        assert!(e.contains("did you mean `trade-conference`?"), "{e}");
        let e = err("trade-conference - status-quo evacuaton >= 0.1");
        assert!(e.contains("did you mean `evacuation`?"), "{e}");
        let e = err("trade-conference evacuation => 0.1");
        assert!(e.contains("expected a comparison"), "{e}");
        let e = err("trade-conference evacuation >= lots");
        assert!(e.contains("`lots` is not a number"), "{e}");
        let e = err("best executive-2plus2");
        assert!(
            e.contains("is not a metric") || e.contains("expected `=`"),
            "{e}"
        );
        assert!(err("").contains("is empty"));
        assert!(err("best = status-quo and more").contains("unexpected `and`"));
        assert!(
            err("trade-conference beats status-quo evacuation").contains("expected `on METRIC`")
        );
        assert!(err("trade-conference beats status-quo on evacuation by -1").contains("at least 0"));
        assert!(err("trade-conference evacuation >= inf").contains("not a number"));
        assert!(
            e.starts_with("--condition `best executive-2plus2`: "),
            "{e}"
        );
    }
}
