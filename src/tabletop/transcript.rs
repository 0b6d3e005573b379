//! The transcript: the turn-by-turn log with each decision, and the after-action skeleton
//! (what happened, the scores, the turning points, hot-wash questions, an improvement plan to
//! fill in; HSEEP, F20), as Markdown. A pure function of the play: the same inputs give the
//! same bytes.

use std::fmt::Write;

use super::story::{date, meaning, three};
use super::{Play, Setup, Standing, TurningPoint};
use crate::model::{Choice, Outcome, Point};
use crate::output::fmt_num;

/// Text for a Markdown table cell: pipes escaped, line breaks as spaces.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// What the transcript holds besides the play.
pub struct Extras<'a> {
    /// The play against the distribution, when it finished and a comparison was asked for.
    pub standing: Option<&'a [Standing]>,
    /// Replications in the comparison.
    pub compared: u64,
    /// The turning points, largest first.
    pub turning: &'a [TurningPoint],
    /// Where the session stopped, when it was interrupted.
    pub stopped: Option<String>,
}

/// The transcript of `play` as Markdown.
pub fn markdown(setup: &Setup<'_>, play: &Play, x: &Extras<'_>) -> String {
    let sc = setup.scenario;
    let d = &sc.designs[setup.design];
    let w = &play.world;
    let mut o = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(o, "# Tabletop exercise: {} (`{}`)\n", cell(&d.name), d.id);
    let _ = writeln!(
        o,
        "Scenario `{}`, seed {}, replication {}; dialogue-wargame {}. Replay it with \
         `dialogue-wargame tabletop SCENARIO --design {} --seed {} --replication {} --decisions \
         FILE`, FILE holding the decisions below as `ID = OPTION` lines.\n",
        sc.name,
        setup.seed,
        setup.replication,
        env!("CARGO_PKG_VERSION"),
        d.id,
        setup.seed,
        setup.replication
    );
    let _ = writeln!(o, "## The world\n\nAs drawn, before any inject:\n");
    let _ = writeln!(
        o,
        "- The crisis comes after {} months of build-up.",
        w.buildup_months
    );
    let _ = writeln!(
        o,
        "- Beijing's disposition {} (0 dovish, 1 hawkish); Tokyo bears {} ECE of recent coercion \
         before suspending; Washington is {} and US forces {}.",
        three(w.disposition),
        three(w.tolerance),
        if w.transactional {
            "transactional"
        } else {
            "reliable"
        },
        if w.us_intervenes { "fight" } else { "stay out" }
    );
    let _ = writeln!(
        o,
        "- {} days of warning; routes close on day {}; {} Japanese nationals and visitors, {} \
         of whom stay.\n",
        three(w.warning_days),
        three(w.window_days),
        w.people.round(),
        format_args!("{:.0}%", 100.0 * w.stay_share)
    );
    let _ = writeln!(o, "## Turn by turn\n");
    let _ = writeln!(o, "| Date | What happened |\n|---|---|");
    for l in &play.lines {
        let _ = writeln!(o, "| {} | {} |", l.date(), cell(&l.text));
    }
    let _ = writeln!(o, "\n## Decisions\n");
    if play.decisions.is_empty() {
        let _ = writeln!(o, "No decision point arose.\n");
    } else {
        let _ = writeln!(
            o,
            "Look-ahead: the mean composite of {} continuations of the state at the decision under \
             each option, with fresh draws from there on (docs/SEMINAR.md).\n",
            setup.lookahead
        );
        let _ = writeln!(
            o,
            "| # | Decision | Date | Options (look-ahead composite) | Chosen | By |\n|---|---|---|---|---|---|"
        );
        for (i, t) in play.decisions.iter().enumerate() {
            let options: Vec<String> = t
                .situation
                .options
                .iter()
                .map(
                    |c| match t.situation.outlook.iter().find(|l| l.choice == *c) {
                        Some(l) => format!("{} {}", c.name(), three(l.mean.composite)),
                        None => c.name().to_string(),
                    },
                )
                .collect();
            let _ = writeln!(
                o,
                "| {} | `{}` | {} | {} | {} | {} |",
                i + 1,
                t.situation.id,
                date(t.situation.at),
                options.join(", "),
                t.choice.name(),
                t.by.name()
            );
        }
        let _ = writeln!(o, "\nAs a decisions file:\n\n```toml");
        for t in &play.decisions {
            let _ = writeln!(o, "{} = \"{}\"", t.situation.id, t.choice.name());
        }
        let _ = writeln!(o, "```\n");
    }
    if let Some(stop) = &x.stopped {
        let _ = writeln!(o, "## Interrupted\n\n{}\n", cell(stop));
        return o;
    }
    let Some(out) = &play.outcome else {
        return o;
    };
    scores(&mut o, out, x);
    let _ = writeln!(
        o,
        "Every score of this run as `run --per-replication` writes its row of replications.csv \
         (with `--auto` and the same scenario, seed and replication, the same row):\n\n```csv"
    );
    let mut header = vec!["replication".to_string(), "design".to_string()];
    header.extend(crate::metric::METRICS.iter().map(|m| m.name.to_string()));
    header.extend(crate::output::world_header().map(str::to_string));
    let _ = writeln!(o, "{}", header.join(","));
    let mut row: Vec<String> = out.scores().iter().map(|&v| fmt_num(v)).collect();
    row.extend(play.world.columns().iter().map(|&(_, x)| fmt_num(x)));
    let _ = writeln!(o, "{},{},{}\n```\n", setup.replication, d.id, row.join(","));
    let _ = writeln!(o, "## After-action report (skeleton)\n");
    let _ = writeln!(o, "### What happened\n");
    for b in summary(setup, play, out) {
        let _ = writeln!(o, "- {b}");
    }
    let _ = writeln!(o, "\n### Turning points\n");
    if x.turning.is_empty() {
        let _ = writeln!(o, "No decision or inject to vary.\n");
    } else {
        let _ = writeln!(
            o,
            "The same world replayed with one move changed (every other option at each decision, \
             each inject removed); the largest changes of the composite first.\n"
        );
        let _ = writeln!(
            o,
            "| Change | Date | Composite | Evacuation | Escalation risk |\n|---|---|---|---|---|"
        );
        for t in x.turning.iter().take(8) {
            let _ = writeln!(
                o,
                "| {} | {} | {:+.3} | {:+.3} | {:+.3} |",
                cell(&t.what),
                date(t.at),
                t.composite_change,
                t.evacuation_change,
                t.escalation_change
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "### Hot-wash questions\n");
    for (i, q) in questions(setup, play, out, x).iter().enumerate() {
        let _ = writeln!(o, "{}. {q}", i + 1);
    }
    let _ = writeln!(o, "\n### Improvement plan\n");
    let _ = writeln!(
        o,
        "| Area for improvement | Corrective action | Responsible | Start | Completion | Status |\n|---|---|---|---|---|---|"
    );
    for _ in 0..3 {
        let _ = writeln!(o, "| | | | | | |");
    }
    o
}

fn scores(o: &mut String, out: &Outcome, x: &Extras<'_>) {
    let _ = writeln!(o, "## Scores\n");
    match x.standing {
        Some(st) => {
            let policy = st.iter().any(|s| s.policy_median.is_some());
            let _ = writeln!(
                o,
                "| Metric | This run | This world, default policy | Percentile of {n} runs | Median of {n} runs (default policy) |{}\n|---|---|---|---|---|{}",
                if policy {
                    format!(" Median of the {} worlds with the group's choices as a policy |", x.compared)
                } else {
                    String::new()
                },
                if policy { "---|" } else { "" },
                n = x.compared,
            );
            for s in st {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {:.0} | {} |{}",
                    s.metric.name(),
                    three(s.played),
                    three(s.default_here),
                    s.percentile,
                    three(s.median),
                    s.policy_median
                        .map_or(String::new(), |m| format!(" {} |", three(m)))
                );
            }
            let _ = writeln!(
                o,
                "\nThe percentile is the share of runs scoring below this run (ties count half); \
                 for crisis_escalation and coercion_rate lower is better."
            );
            if policy {
                let _ = writeln!(
                    o,
                    "\nThe group's choices as a policy: at each step up Beijing's ladder, the answer \
                     the group first gave at that rung; at the warning, its answers there; \
                     every other decision at its default (docs/SEMINAR.md)."
                );
            }
        }
        None => {
            let _ = writeln!(o, "| Metric | This run |\n|---|---|");
            for (name, v) in [
                ("composite", out.composite),
                ("evacuation", out.evacuation),
                ("info_exchange", out.info_exchange),
                ("rear_area", out.rear_area),
                ("crisis_escalation", out.crisis_escalation),
                ("coercion_rate", out.coercion_rate),
            ] {
                let _ = writeln!(o, "| {name} | {} |", three(v));
            }
        }
    }
    let _ = writeln!(o);
}

fn summary(setup: &Setup<'_>, play: &Play, out: &Outcome) -> Vec<String> {
    let sc = setup.scenario;
    let d = &sc.designs[setup.design];
    let mut v = Vec::new();
    v.push(if out.launched > 0.0 || d.id == sc.status_quo {
        format!("The {} was in operation at the crisis.", d.name)
    } else {
        format!(
            "Tokyo did not launch the {} before the crisis; today's channel served.",
            d.name
        )
    });
    v.push(format!(
        "{} MOUs signed; trust {} at the crisis; the channel active {:.0}% of the build-up and {} at onset.",
        out.agreements,
        three(out.trust_at_crisis),
        100.0 * out.active_share,
        if out.channel_survived > 0.0 {
            "active"
        } else {
            "halted"
        }
    ));
    let rung = (out.max_rung as usize)
        .checked_sub(1)
        .and_then(|k| sc.world.beijing.rungs.get(k))
        .map_or("none".to_string(), |r| r.name.clone());
    v.push(format!(
        "Beijing's highest rung: {rung}; coercion {} ECE a year; crisis escalation risk {}.",
        three(out.coercion_rate),
        three(out.crisis_escalation)
    ));
    v.push(format!(
        "Evacuation {}, intelligence {} ({} through the channel), rear-area support {}; composite {}.",
        three(out.evacuation),
        three(out.info_exchange),
        three(out.info_via_channel),
        three(out.rear_area),
        three(out.composite)
    ));
    let fired = play.lines.iter().filter(|l| l.inject.is_some()).count();
    if !sc.world.injects.is_empty() {
        v.push(format!(
            "{fired} of the scenario's {} injects happened.",
            sc.world.injects.len()
        ));
    }
    let changed = play
        .decisions
        .iter()
        .filter(|t| t.choice != t.situation.point.default())
        .count();
    v.push(format!(
        "{} decisions, {changed} of them away from the default policy.",
        play.decisions.len()
    ));
    v
}

fn questions(setup: &Setup<'_>, play: &Play, out: &Outcome, x: &Extras<'_>) -> Vec<String> {
    let sc = setup.scenario;
    let d = &sc.designs[setup.design];
    let mut q = Vec::new();
    for t in &play.decisions {
        let what = match t.situation.point {
            Point::Coercion { rung, .. } => format!(
                "after Beijing stepped up to {}",
                sc.world
                    .beijing
                    .rungs
                    .get(rung)
                    .map_or("a new rung", |r| r.name.as_str())
            ),
            Point::CrisisChannel { .. } => "about the channel at the warning".into(),
            Point::SdfConsent => "about SDF consent".into(),
        };
        let who = match t.by {
            super::Who::Players => "the group chose",
            super::Who::Script => "the script chose",
            super::Who::Auto => "the default policy took",
        };
        q.push(format!(
            "{}: {who} `{}` {what}: {}. What did the group expect to follow, and what did?",
            date(t.situation.at),
            t.choice.name(),
            meaning(t.choice)
        ));
        if t.choice == Choice::Continue && t.situation.options.contains(&Choice::Pause) {
            q.push(format!(
                "{}: the design's exit clause allowed an orderly pause. Why not use it?",
                date(t.situation.at)
            ));
        }
    }
    if out.launched == 0.0 && d.id != sc.status_quo {
        q.push(format!(
            "Tokyo never launched the {}. What would have made it bearable to Tokyo?",
            d.name
        ));
    }
    if out.channel_survived == 0.0 {
        q.push(
            "The channel was halted when the warning came. What did that cost in the crisis, \
                and what could have kept it open?"
                .into(),
        );
    }
    if let Some(st) = x.standing {
        if let Some(e) = st.iter().find(|s| s.metric.name() == "evacuation") {
            if e.played < e.median {
                q.push(format!(
                    "Evacuation {} against a median of {}: where were the days lost (the \
                     decision, coordination, SDF consent, the runway)?",
                    three(e.played),
                    three(e.median)
                ));
            }
        }
    }
    for l in &play.lines {
        let Some(inj) = l.inject.and_then(|i| sc.world.injects.get(i)) else {
            continue;
        };
        if !inj.expected.is_empty() {
            q.push(format!(
                "{}, inject {}: the MSEL expected the players to {}. Did they, and why?",
                l.date(),
                inj.id,
                inj.expected.trim_end_matches('.')
            ));
        }
    }
    if play.lines.iter().any(|l| l.inject.is_some()) {
        q.push("Which inject surprised the group most, and how did it change the plan?".into());
    }
    if let Some(t) = x.turning.first() {
        q.push(format!(
            "The largest turning point: {} ({} {:+.3}). Was it visible at the time?",
            t.what, "composite", t.composite_change
        ));
    }
    q.push(
        "What would the group do differently, and which of those changes could be agreed with \
         Taipei before a crisis?"
            .into(),
    );
    q
}
