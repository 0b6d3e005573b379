//! §10 Watching one replication, and the decisions players may take in it.
//!
//! The batch engine plays every replication with the observer `()`: its [`Observer::ACTIVE`]
//! is false, so no event is built and no decision point is even looked for (the calls are
//! compiled out). The tabletop (`crate::tabletop`) plays one replication with an observer that
//! tells the story and answers the decision points; its default answers ([`Point::default`])
//! change nothing, so a tabletop played with them gives exactly the batch model's scores.

use super::crisis::EvacPlan;
use super::{Buildup, Outcome};
use crate::scenario::{Area, Design, Inject};

/// When something happens: a month of the build-up (0 = the decision point) or a day of the
/// crisis (0 = the strategic warning).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum When {
    /// A build-up month.
    Month(u32),
    /// Days since the warning.
    Day(f64),
}

/// Why an intelligence item did or did not reach Tokyo through the channel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IntelItem {
    /// Its number, from 1.
    pub number: u32,
    /// Its importance (exponential, mean 1).
    pub value: f64,
    /// Whether the channel was open for intelligence at all.
    pub channel_open: bool,
    /// Whether Taipei passed it through the channel.
    pub shared: bool,
    /// Whether it went through a standing liaison or an intelligence point of contact (fast)
    /// rather than ad hoc convening (slow).
    pub via_liaison: bool,
    /// Hours it took through the channel.
    pub channel_hours: f64,
    /// Whether the US relayed it.
    pub relayed: bool,
    /// Hours it took through the US relay.
    pub relay_hours: f64,
    /// Value that reached Tokyo through the channel (decayed with latency).
    pub channel_value: f64,
    /// Value that reached Tokyo through the US.
    pub relay_value: f64,
}

/// Something that happened in the replication.
#[derive(Clone, Copy, Debug)]
pub enum Event<'e> {
    /// At month 0: the month Tokyo will launch the design, or `None` when it never will (§5).
    LaunchPlan {
        /// The design studied.
        design: &'e Design,
        /// The launch month.
        month: Option<u32>,
    },
    /// The design takes over from the status quo.
    Launched {
        /// The design launched.
        design: &'e Design,
    },
    /// An inject of the MSEL happens (§10).
    Inject {
        /// The inject.
        inject: &'e Inject,
    },
    /// A domestic shock halts the channel until this month (C7).
    Shock {
        /// First month it resumes.
        until: f64,
    },
    /// The channel resumes after a suspension or a disruption.
    Resumed,
    /// A meeting is held; `noticed` when Beijing noticed it.
    MeetingHeld {
        /// Whether Beijing noticed it.
        noticed: bool,
    },
    /// An MOU is signed at that meeting.
    Mou {
        /// Its issue area.
        area: Area,
    },
    /// Tokyo postpones a meeting under recent coercion (C8).
    MeetingPostponed,
    /// A meeting falls due while the channel is halted.
    MeetingMissed,
    /// Beijing acts on rung `rung` (0-based) with this severity (ECE); `climbed` when it is a
    /// rung higher than any before.
    BeijingActs {
        /// The rung, 0-based.
        rung: usize,
        /// Its severity in ECE.
        severity: f64,
        /// Whether it is a new highest rung.
        climbed: bool,
    },
    /// Tokyo suspends the channel: an agreed pause, or a collapse.
    Suspended {
        /// Whether exit terms were agreed.
        agreed: bool,
        /// First month it may resume.
        until: f64,
    },
    /// Players (or the default policy) answered a decision point.
    Decided {
        /// The decision point.
        point: Point,
        /// The answer.
        choice: Choice,
    },
    /// The strategic warning: the crisis begins.
    Warning {
        /// Days of warning.
        days: f64,
        /// Days until air and sea routes close.
        window: f64,
        /// Intelligence items to come.
        items: u32,
        /// Whether the channel is active at onset.
        active: bool,
    },
    /// One intelligence item.
    Intel(IntelItem),
    /// The evacuation as planned at the decision (the tabletop tells it day by day).
    Evacuation(EvacPlan),
    /// The scores.
    Scores(&'e Outcome),
}

/// A decision point (§10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Point {
    /// Beijing has just climbed to this rung (0-based) of its ladder and the channel is active.
    Coercion {
        /// The rung reached.
        rung: usize,
        /// Whether the form in operation has agreed exit terms (pausing is open only then).
        exit_clause: bool,
    },
    /// At the warning: whether to use the channel in the crisis.
    CrisisChannel {
        /// Whether the channel is active at onset.
        active: bool,
    },
    /// At the warning: whether to press Taipei for consent to SDF flights.
    SdfConsent,
}

/// An answer to a decision point (§10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Carry on as the model's Tokyo would.
    Continue,
    /// Pause the channel under its exit clause (C13).
    Pause,
    /// Go public: the channel meets in the open from now on (visibility 1).
    GoPublic,
    /// Raise the level: officialness and authority up by [`RAISE_STEP`].
    RaiseLevel,
    /// Use the channel in the crisis (reopen it if it was halted).
    Use,
    /// Keep the channel out of the crisis (stand it down if it was active).
    StandDown,
    /// Let Taipei's consent to SDF flights come as it will.
    Wait,
    /// Press Taipei for consent to SDF flights: certain, but Beijing sees it.
    Press,
}

/// How much raising the level adds to the form's officialness and authority (each capped at
/// 1): a quarter of the scale, about one step from track 1.5 to a parliamentary format.
pub const RAISE_STEP: f64 = 0.25;

impl Choice {
    /// Every choice, in a fixed order.
    pub const ALL: [Choice; 8] = [
        Choice::Continue,
        Choice::Pause,
        Choice::GoPublic,
        Choice::RaiseLevel,
        Choice::Use,
        Choice::StandDown,
        Choice::Wait,
        Choice::Press,
    ];

    /// Its name in decision files and at the prompt.
    pub fn name(self) -> &'static str {
        match self {
            Choice::Continue => "continue",
            Choice::Pause => "pause",
            Choice::GoPublic => "go-public",
            Choice::RaiseLevel => "raise-level",
            Choice::Use => "use",
            Choice::StandDown => "stand-down",
            Choice::Wait => "wait",
            Choice::Press => "press",
        }
    }

    /// The choice with this name.
    pub fn from_name(name: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl Point {
    /// The options open at this point, the default first.
    pub fn options(self) -> Vec<Choice> {
        match self {
            Point::Coercion { exit_clause, .. } => {
                let mut v = vec![Choice::Continue];
                if exit_clause {
                    v.push(Choice::Pause);
                }
                v.extend([Choice::GoPublic, Choice::RaiseLevel]);
                v
            }
            Point::CrisisChannel { active: true } => vec![Choice::Use, Choice::StandDown],
            Point::CrisisChannel { active: false } => vec![Choice::StandDown, Choice::Use],
            Point::SdfConsent => vec![Choice::Wait, Choice::Press],
        }
    }

    /// The default policy: what the batch model does (changes nothing).
    pub fn default(self) -> Choice {
        self.options()[0]
    }
}

/// Watches one replication and answers its decision points. The batch engine uses `()`.
pub trait Observer {
    /// Whether events are built and decision points looked for; false compiles them out.
    const ACTIVE: bool = false;

    /// Something happened.
    fn event(&mut self, _at: When, _e: &Event<'_>) {}

    /// Answer a decision point; `b` is the build-up's state (for look-ahead). Must return one
    /// of `point.options()`; anything else is taken as the default.
    fn decide(&mut self, _at: When, point: Point, _b: &Buildup<'_>) -> Choice {
        point.default()
    }
}

/// The batch path: nothing is watched, every decision takes its default.
impl Observer for () {}

/// A decision answered through `obs`, checked against the options, and told back as an event.
pub(crate) fn ask<O: Observer>(obs: &mut O, at: When, point: Point, b: &Buildup<'_>) -> Choice {
    let c = obs.decide(at, point, b);
    let c = if point.options().contains(&c) {
        c
    } else {
        point.default()
    };
    obs.event(at, &Event::Decided { point, choice: c });
    c
}
