//! The model's events in plain language, each line with its game date.

use crate::model::crisis::EvacPlan;
use crate::model::observe::IntelItem;
use crate::model::{Buildup, ChannelStatus, Choice, Event, Point, When, World};
use crate::scenario::{Design, InjectKind, Scenario};

use super::Taken;

/// One line of the story.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its game date.
    pub at: When,
    /// What happened.
    pub text: String,
    /// The index of the inject it tells, if it tells one.
    pub inject: Option<usize>,
}

impl Line {
    /// The game date as the story writes it: `Month 37` or `Day 4.5`.
    pub fn date(&self) -> String {
        date(self.at)
    }
}

/// A game date: `Month 37` in the build-up, `Day 4.5` in the crisis.
pub fn date(at: When) -> String {
    match at {
        When::Month(m) => format!("Month {m}"),
        When::Day(d) => format!("Day {}", one_decimal(d)),
    }
}

fn one_decimal(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// Builds the lines from the events.
pub(super) struct Story<'a> {
    sc: &'a Scenario,
    design: &'a Design,
    world: &'a World,
    pub(super) lines: Vec<Line>,
    /// Lines of the crisis after the warning's decisions: told in date order at the end.
    crisis: Vec<Line>,
    in_crisis: bool,
    /// The line of the last meeting, to add its MOUs to.
    last_meeting: Option<usize>,
}

impl<'a> Story<'a> {
    pub(super) fn new(sc: &'a Scenario, design: &'a Design, world: &'a World) -> Story<'a> {
        Story {
            sc,
            design,
            world,
            lines: Vec::new(),
            crisis: Vec::new(),
            in_crisis: false,
            last_meeting: None,
        }
    }

    fn rung(&self, k: usize) -> &str {
        self.sc
            .world
            .beijing
            .rungs
            .get(k)
            .map_or("an unnamed rung", |r| r.name.as_str())
    }

    fn status_quo(&self) -> &str {
        self.sc
            .design_index(&self.sc.status_quo)
            .map_or("today's channel", |i| self.sc.designs[i].name.as_str())
    }

    /// The lines an event adds, to be told now (the crisis's are held and told in date order
    /// with the scores).
    pub(super) fn event(&mut self, at: When, e: &Event<'_>, last: Option<&Taken>) -> Vec<Line> {
        let mut inject = None;
        let text = match *e {
            Event::LaunchPlan { design, month } => {
                if design.id == self.sc.status_quo {
                    format!("Today's channel, the {}, carries on.", design.name)
                } else {
                    match month {
                        Some(m) => format!(
                            "Tokyo decides to launch the {}: after deliberation it opens in month \
                             {m}; until then {} serves.",
                            design.name,
                            self.status_quo()
                        ),
                        None => format!(
                            "Tokyo judges the {} too provocative (the coercion it expects exceeds \
                             what it will bear) and never launches it; {} serves throughout.",
                            design.name,
                            self.status_quo()
                        ),
                    }
                }
            }
            Event::Launched { design } => format!(
                "The {} opens. Trust, agreements and Beijing's memory carry over.",
                design.name
            ),
            Event::Inject { inject: inj } => {
                inject = self.sc.world.injects.iter().position(|x| x == inj);
                let what = match inj.kind {
                    InjectKind::LiveFireDrill {
                        coercion,
                        irritation,
                    } => format!(
                        "Beijing holds a live-fire drill ({coercion} ECE weigh on Tokyo; Beijing's \
                         irritation +{irritation})"
                    ),
                    InjectKind::Leak { meetings } => format!(
                        "a meeting of the channel leaks (Beijing takes offence as at {meetings} \
                         public meeting(s))"
                    ),
                    InjectKind::GovernmentChange { tolerance_factor } => format!(
                        "a new government in Tokyo (its tolerance of coercion × {tolerance_factor})"
                    ),
                    InjectKind::UsStatement { transactional } => format!(
                        "Washington's statement signals a {} posture",
                        if transactional {
                            "transactional"
                        } else {
                            "reliable"
                        }
                    ),
                    InjectKind::ShortenedWarning { warning_share } => format!(
                        "the warning is shorter than expected ({} of it remains)",
                        pct(warning_share)
                    ),
                };
                let read = if inj.text.is_empty() {
                    String::new()
                } else {
                    format!(" \"{}\"", inj.text)
                };
                format!("INJECT {}: {what}.{read}", inj.id)
            }
            Event::Shock { until } => format!(
                "A domestic political shock in Tokyo halts the channel until month {}.",
                one_decimal(until)
            ),
            Event::Resumed => "The channel resumes.".into(),
            Event::MeetingHeld { noticed } => {
                if noticed {
                    "A meeting is held; Beijing notices it.".to_string()
                } else {
                    "A meeting is held, unnoticed by Beijing.".to_string()
                }
            }
            Event::Mou { area } => {
                if let Some(line) = self.last_meeting.and_then(|i| self.lines.get_mut(i)) {
                    line.text
                        .push_str(&format!(" MOU signed: {}.", area.name()));
                }
                return Vec::new();
            }
            Event::MeetingPostponed => {
                "Tokyo postpones a meeting under the weight of recent coercion.".into()
            }
            Event::MeetingMissed => "A meeting falls due while the channel is halted.".into(),
            Event::BeijingActs {
                rung,
                severity,
                climbed,
            } => format!(
                "Beijing: {} ({} ECE){}.",
                self.rung(rung),
                severity,
                if climbed {
                    ", a step up its ladder"
                } else {
                    ""
                }
            ),
            Event::Suspended { agreed, until } => {
                if agreed {
                    format!(
                        "The channel pauses under its agreed exit terms, until month {} at the \
                         earliest.",
                        one_decimal(until)
                    )
                } else {
                    format!(
                        "Tokyo suspends the channel; without agreed exit terms it collapses \
                         (trust falls), until month {} at the earliest.",
                        one_decimal(until)
                    )
                }
            }
            Event::Decided { choice, .. } => {
                let (id, by) =
                    last.map_or(("?", "auto"), |t| (t.situation.id.as_str(), t.by.name()));
                format!("DECISION {id}: {} (by {by}).", choice.name())
            }
            Event::Warning {
                days,
                window,
                items,
                active,
            } => {
                self.in_crisis = true;
                format!(
                    "STRATEGIC WARNING after {} months: {} days until the invasion; air and sea \
                     routes close on day {}. {} intelligence item(s) will come. The channel is {}.",
                    self.world.buildup_months,
                    one_decimal(days),
                    one_decimal(window),
                    items,
                    if active { "active" } else { "halted" }
                )
            }
            Event::Intel(item) => {
                self.crisis.push(Line {
                    at,
                    text: intel_text(&item),
                    inject: None,
                });
                return Vec::new();
            }
            Event::Evacuation(plan) => {
                self.evacuation(&plan);
                return Vec::new();
            }
            Event::Scores(o) => {
                self.crisis.push(Line {
                    at,
                    text: format!(
                        "Routes close. Scores: evacuation {}, information {}, rear-area {}, \
                         crisis escalation risk {}, coercion {} ECE a year, composite {}.",
                        three(o.evacuation),
                        three(o.info_exchange),
                        three(o.rear_area),
                        three(o.crisis_escalation),
                        three(o.coercion_rate),
                        three(o.composite)
                    ),
                    inject: None,
                });
                let mut held = std::mem::take(&mut self.crisis);
                held.sort_by(|a, b| day(a.at).total_cmp(&day(b.at)));
                self.lines.extend(held.iter().cloned());
                return held;
            }
        };
        let line = Line { at, text, inject };
        let mut out = self.flush();
        self.lines.push(line.clone());
        // A meeting's line waits for its MOUs; it is told with the next event.
        if matches!(e, Event::MeetingHeld { .. }) {
            self.last_meeting = Some(self.lines.len() - 1);
        } else {
            out.push(line);
        }
        out
    }

    /// The line of a meeting still waiting for its MOUs, to tell now.
    pub(super) fn flush(&mut self) -> Vec<Line> {
        self.last_meeting
            .take()
            .and_then(|i| self.lines.get(i).cloned())
            .into_iter()
            .collect()
    }

    fn evacuation(&mut self, plan: &EvacPlan) {
        let lift = if plan.consent {
            "charters and SDF aircraft (Taipei consented)"
        } else {
            "charters only (no consent for SDF flights in time)"
        };
        self.crisis.push(Line {
            at: When::Day(plan.decide),
            text: format!(
                "Tokyo orders the evacuation of {} people wishing to leave; organised lift, \
                 {lift}, flies from day {} at {} a day.",
                plan.wishing.round(),
                one_decimal(plan.decide + plan.coordinate),
                plan.organised.round()
            ),
            inject: None,
        });
        let last = plan.window.ceil().max(1.0) as u32;
        let step = last.div_ceil(12).max(1);
        let mut d = step;
        while d < last {
            let t = d as f64;
            self.crisis.push(Line {
                at: When::Day(t),
                text: format!(
                    "Evacuation: {} out ({} of {}).",
                    pct(plan.share_out(t)),
                    (plan.share_out(t) * plan.wishing).round(),
                    plan.wishing.round()
                ),
                inject: None,
            });
            d += step;
        }
    }

    /// The question and the state of play at a decision point.
    pub(super) fn situation(
        &self,
        at: When,
        point: Point,
        b: &Buildup<'_>,
    ) -> (String, Vec<String>) {
        let question = match point {
            Point::Coercion { rung, exit_clause } => format!(
                "Beijing has stepped up to {}. Continue, {}go public, or raise the level?",
                self.rung(rung),
                if exit_clause {
                    "pause under the exit clause, "
                } else {
                    ""
                }
            ),
            Point::CrisisChannel { active: true } => {
                "The crisis begins. Use the channel (intelligence, coordination), or stand it down \
                 to keep Beijing calm?"
                    .into()
            }
            Point::CrisisChannel { active: false } => {
                "The crisis begins with the channel halted. Reopen it for intelligence and \
                 coordination, or keep it closed?"
                    .into()
            }
            Point::SdfConsent => "Wait for Taipei's consent to SDF evacuation flights, or press \
                                  for it (certain, but Beijing sees it)?"
                .into(),
        };
        let status = match b.status {
            ChannelStatus::Active => "active".to_string(),
            ChannelStatus::Suspended { until, agreed } => format!(
                "{} until month {}",
                if agreed { "paused" } else { "collapsed" },
                one_decimal(until)
            ),
            ChannelStatus::Disrupted { until } => {
                format!("disrupted until month {}", one_decimal(until))
            }
        };
        let mut state =
            vec![
                format!(
                    "{}: the {} is in operation ({status}); officialness {}, authority {}, \
                 visibility {}.",
                    date(at),
                    b.current.name,
                    b.form.officialness,
                    b.form.authority,
                    b.form.visibility
                ),
                format!(
                    "Trust {}; {} MOUs signed; {} meetings held.",
                    three(b.trust),
                    b.agreements(),
                    b.meetings_held
                ),
                format!(
                "Beijing's irritation {} (its ladder's first rung at {}); highest rung so far: {}.",
                three(b.irritation),
                self.sc.world.beijing.rungs.first().map_or(0.0, |r| r.threshold),
                if b.max_rung == 0 {
                    "none".to_string()
                } else {
                    self.rung(b.max_rung - 1).to_string()
                }
            ),
                format!(
                    "Tokyo's strain: recent coercion {} ECE against a tolerance of {}.",
                    three(b.recent_coercion),
                    three(b.tolerance)
                ),
            ];
        if b.launch_month
            .is_some_and(|m| !b.launched() && matches!(at, When::Month(x) if x < m))
        {
            state.push(format!(
                "The {} is to open in month {}.",
                self.design.name,
                b.launch_month.unwrap_or(0)
            ));
        }
        (question, state)
    }

    /// The whole story.
    pub(super) fn finish(mut self) -> Vec<Line> {
        let mut held = std::mem::take(&mut self.crisis);
        held.sort_by(|a, b| day(a.at).total_cmp(&day(b.at)));
        self.lines.extend(held);
        self.lines
    }
}

fn day(at: When) -> f64 {
    match at {
        When::Month(_) => f64::NEG_INFINITY,
        When::Day(d) => d,
    }
}

/// A score to three decimals.
pub fn three(x: f64) -> String {
    format!("{x:.3}")
}

fn intel_text(i: &IntelItem) -> String {
    let channel = if !i.channel_open {
        "the channel was closed".to_string()
    } else if !i.shared {
        "Taipei did not pass it through the channel".to_string()
    } else {
        format!(
            "passed through the channel in {} h ({})",
            one_decimal(i.channel_hours),
            if i.via_liaison {
                "liaison or point of contact"
            } else {
                "convened ad hoc"
            }
        )
    };
    let relay = if i.relayed {
        format!("the US relayed it in {} h", one_decimal(i.relay_hours))
    } else {
        "the US did not relay it".to_string()
    };
    let kept = if i.value > 0.0 {
        i.channel_value.max(i.relay_value) / i.value
    } else {
        0.0
    };
    format!(
        "Intelligence item {} (importance {}): {channel}; {relay}; {} of its value reached Tokyo.",
        i.number,
        format_args!("{:.2}", i.value),
        pct(kept)
    )
}

/// What a choice means, in a phrase, for the prompt and the transcript.
pub fn meaning(c: Choice) -> &'static str {
    match c {
        Choice::Continue => "carry on; Tokyo's usual rules decide postponements and suspension",
        Choice::Pause => "pause under the agreed exit terms until the pause's end and calm",
        Choice::GoPublic => {
            "meet in the open from now on (visibility 1: noticed more, no tacit discount)"
        }
        Choice::RaiseLevel => {
            "officialness and authority up a step (tokyo.raise_step): more MOUs, more provocation"
        }
        Choice::Use => "use the channel in the crisis (it adds crisis provocation)",
        Choice::StandDown => "keep the channel out of the crisis (no provocation, no channel help)",
        Choice::Wait => "let Taipei's consent come as it will",
        Choice::Press => "press Taipei: consent certain, Beijing's irritation rises",
    }
}
