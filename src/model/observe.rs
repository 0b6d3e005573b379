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
    /// Raise the level: officialness and authority up by `tokyo.raise_step`.
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

#[cfg(test)]
mod tests {
    //! The observer changes nothing by default; every inject and every decision option changes
    //! the state it should, through the model (docs/MODEL.md §10).
    use super::*;
    use crate::engine::{design_stream, replication_key, STREAM_INTEL, STREAM_MONTHLY};
    use crate::model::{draw_world, simulate, simulate_observed, Streams, World};
    use crate::scenario::{load_str, Scenario, BASELINE_TOML};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn scenario(extra: &str) -> Scenario {
        let text = format!("{BASELINE_TOML}\n{extra}");
        load_str("test", &text, &[]).expect("loads").scenario
    }

    fn rng(key: [u8; 32], n: u64) -> ChaCha8Rng {
        let mut r = ChaCha8Rng::from_seed(key);
        r.set_stream(n);
        r
    }

    /// Answers every decision with a fixed choice where it is open, records every event.
    struct Always {
        choice: Option<Choice>,
        events: Vec<String>,
        points: Vec<(When, Point)>,
    }

    impl Observer for Always {
        const ACTIVE: bool = true;
        fn event(&mut self, at: When, e: &Event<'_>) {
            self.events.push(format!("{at:?} {e:?}"));
        }
        fn decide(&mut self, at: When, point: Point, _: &Buildup<'_>) -> Choice {
            self.points.push((at, point));
            match self.choice {
                Some(c) if point.options().contains(&c) => c,
                _ => point.default(),
            }
        }
    }

    fn always(choice: Option<Choice>) -> Always {
        Always {
            choice,
            events: Vec::new(),
            points: Vec::new(),
        }
    }

    fn play<O: Observer>(sc: &Scenario, design: &str, rep: u64, obs: &mut O) -> (Outcome, World) {
        let key = replication_key(7, rep);
        let w = draw_world(&sc.world, key);
        let d = &sc.designs[sc.design_index(design).unwrap()];
        let sq = sc.status_quo_design().unwrap();
        let (mut m, mut i, mut o, mut q) = (
            rng(key, STREAM_MONTHLY),
            rng(key, STREAM_INTEL),
            rng(key, design_stream(&d.id)),
            rng(key, design_stream(&sq.id)),
        );
        let streams = Streams {
            monthly: &mut m,
            intel: &mut i,
            design: &mut o,
            status_quo: &mut q,
        };
        let out = simulate_observed(&sc.world, &sc.weights, d, sq, &w, streams, obs);
        (out, w)
    }

    #[test]
    fn default_answers_give_the_batch_scores_exactly() {
        let sc = scenario("");
        for d in &sc.designs {
            for rep in 0..40 {
                let (batch, _) = play(&sc, &d.id, rep, &mut ());
                let mut obs = always(None);
                let (watched, _) = play(&sc, &d.id, rep, &mut obs);
                assert_eq!(batch.scores(), watched.scores(), "{} {rep}", d.id);
                assert!(obs.events.iter().any(|e| e.contains("Scores")));
            }
        }
        // `simulate` is the same function with `()`.
        let key = replication_key(7, 0);
        let w = draw_world(&sc.world, key);
        let sq = sc.status_quo_design().unwrap();
        let (mut m, mut i, mut o, mut q) = (rng(key, 1), rng(key, 2), rng(key, 3), rng(key, 4));
        let s = simulate(
            &sc.world,
            &sc.weights,
            sq,
            sq,
            &w,
            Streams {
                monthly: &mut m,
                intel: &mut i,
                design: &mut o,
                status_quo: &mut q,
            },
        );
        assert!(s.composite.is_finite());
    }

    /// The first replication of `design` with a coercion decision, and the month it falls.
    fn first_coercion(sc: &Scenario, design: &str, need_exit: bool) -> (u64, u32) {
        for rep in 0..500 {
            let mut obs = always(None);
            play(sc, design, rep, &mut obs);
            for (at, p) in &obs.points {
                if let (When::Month(m), Point::Coercion { exit_clause, .. }) = (at, p) {
                    if *exit_clause || !need_exit {
                        return (rep, *m);
                    }
                }
            }
        }
        panic!("no coercion decision for {design}");
    }

    #[test]
    fn pausing_stops_meetings_and_leaves_the_world_and_the_past_alone() {
        let sc = scenario("");
        let (rep, month) = first_coercion(&sc, "trade-conference", true);
        let mut cont = always(None);
        let (a, wa) = play(&sc, "trade-conference", rep, &mut cont);
        let mut pause = always(Some(Choice::Pause));
        let (b, wb) = play(&sc, "trade-conference", rep, &mut pause);
        // The world draw and everything before the first decision are the same.
        assert_eq!(wa, wb);
        let cut = |ev: &[String]| {
            ev.iter()
                .position(|e| e.contains("Decided"))
                .map(|i| ev[..i].to_vec())
                .unwrap()
        };
        assert_eq!(cut(&cont.events), cut(&pause.events));
        // After it: the pause is taken, and no meeting is held while it lasts.
        let after: Vec<&String> = pause
            .events
            .iter()
            .skip_while(|e| !e.contains("Decided"))
            .collect();
        assert!(after[0].contains("Pause"), "{after:?}");
        assert!(after[1].contains("Suspended { agreed: true"), "{after:?}");
        let next = after.iter().skip(2).find(|e| {
            e.contains("MeetingHeld") || e.contains("MeetingMissed") || e.contains("Resumed")
        });
        assert!(
            next.is_some_and(|e| e.contains("MeetingMissed") || e.contains("Resumed")),
            "month {month}: {next:?}"
        );
        assert!(a.scores() != b.scores());
    }

    #[test]
    fn going_public_and_raising_the_level_change_the_form_in_operation() {
        let sc = scenario("");
        let (rep, month) = first_coercion(&sc, "track-1.5", false);
        let key = replication_key(7, rep);
        let w = draw_world(&sc.world, key);
        let d = &sc.designs[sc.design_index("track-1.5").unwrap()];
        let sq = sc.status_quo_design().unwrap();
        let b = Buildup::new(&sc.world, d, sq, &w);
        let mut public = b.clone();
        public.apply(Choice::GoPublic, month);
        assert_eq!(public.form.visibility, 1.0);
        assert!(public.provocation_weight() >= b.provocation_weight());
        let mut raised = b.clone();
        raised.apply(Choice::RaiseLevel, month);
        let step = sc.world.tokyo.raise_step;
        assert_eq!(step, crate::scenario::DEFAULT_RAISE_STEP);
        assert_eq!(
            raised.form.officialness,
            (b.form.officialness + step).min(1.0)
        );
        assert_eq!(raised.form.authority, (b.form.authority + step).min(1.0));
        assert!(raised.provocation_weight() > b.provocation_weight());
        // In a play, both change the outcome of that world.
        let (base, _) = play(&sc, "track-1.5", rep, &mut always(None));
        let (up, _) = play(&sc, "track-1.5", rep, &mut always(Some(Choice::RaiseLevel)));
        let (open, _) = play(&sc, "track-1.5", rep, &mut always(Some(Choice::GoPublic)));
        assert!(base.scores() != up.scores());
        assert!(base.scores() != open.scores());
    }

    #[test]
    fn crisis_decisions_trade_help_for_provocation() {
        let sc = scenario("");
        for rep in 0..30 {
            let (used, _) = play(&sc, "executive-2plus2", rep, &mut always(None));
            let (down, _) = play(
                &sc,
                "executive-2plus2",
                rep,
                &mut always(Some(Choice::StandDown)),
            );
            // Standing the channel down: nothing through it, and no more risk than using it.
            assert_eq!(down.info_via_channel, 0.0);
            assert!(down.crisis_escalation <= used.crisis_escalation);
            assert_eq!(down.channel_survived, used.channel_survived);
            let (pressed, _) = play(
                &sc,
                "trade-conference",
                rep,
                &mut always(Some(Choice::Press)),
            );
            let (waited, _) = play(
                &sc,
                "trade-conference",
                rep,
                &mut always(Some(Choice::Wait)),
            );
            // Pressing for SDF consent: never fewer people out, never less risk.
            assert!(pressed.evacuation >= waited.evacuation);
            assert!(pressed.crisis_escalation >= waited.crisis_escalation);
        }
        // Reopening a halted channel brings it back into the crisis.
        for rep in 0..300 {
            let mut obs = always(Some(Choice::Use));
            let (reopened, _) = play(&sc, "parliamentary-2plus2", rep, &mut obs);
            let (kept, _) = play(&sc, "parliamentary-2plus2", rep, &mut always(None));
            if kept.channel_survived == 0.0 {
                assert!(reopened.crisis_escalation >= kept.crisis_escalation);
                assert!(reopened.rear_area >= kept.rear_area);
                return;
            }
        }
        panic!("no halted channel at onset in 300 worlds");
    }

    fn buildup_after(sc: &Scenario, months: u32) -> (f64, f64, f64, bool) {
        let key = replication_key(7, 0);
        let w = draw_world(&sc.world, key);
        let sq = sc.status_quo_design().unwrap();
        let (mut m, mut o, mut q) = (rng(key, 1), rng(key, 3), rng(key, 4));
        let mut w = w.clone();
        w.buildup_months = months;
        let mut b = Buildup::new(&sc.world, sq, sq, &w);
        b.run(&mut m, &mut o, &mut q);
        (
            b.irritation,
            b.recent_coercion,
            b.tolerance,
            b.transactional,
        )
    }

    #[test]
    fn every_inject_changes_the_state_it_names() {
        let none = scenario("");
        let with = |inj: &str| scenario(&format!("[[inject]]\nid = \"1\"\n{inj}\n"));
        let (i0, c0, t0, tr0) = buildup_after(&none, 3);
        // A drill: Tokyo's memory and Beijing's irritation, from its month.
        let (i1, c1, _, _) = buildup_after(
            &with("type = \"live-fire-drill\"\nmonth = 2\ncoercion = 2\nirritation = 4"),
            3,
        );
        assert!(c1 > c0 && i1 > i0, "{c1} {c0} {i1} {i0}");
        let (i1b, c1b, _, _) = buildup_after(
            &with("type = \"live-fire-drill\"\nmonth = 5\ncoercion = 2\nirritation = 4"),
            3,
        );
        assert_eq!((i1b, c1b), (i0, c0), "not before its month");
        // A leak: Beijing's irritation.
        let (i2, _, _, _) = buildup_after(&with("type = \"leak\"\nmonth = 1\nmeetings = 3"), 3);
        assert!(i2 > i0);
        // A new government: Tokyo's tolerance.
        let (_, _, t3, _) = buildup_after(
            &with("type = \"government-change\"\nmonth = 1\ntolerance_factor = 0.5"),
            3,
        );
        assert!((t3 - t0 * 0.5).abs() < 1e-12);
        // A US statement: the posture, and Tokyo's cover with it.
        let posture = if tr0 { "reliable" } else { "transactional" };
        let (_, _, t4, tr4) = buildup_after(
            &with(&format!(
                "type = \"us-statement\"\nmonth = 1\nposture = \"{posture}\""
            )),
            3,
        );
        assert_eq!(tr4, !tr0);
        assert!(t4 != t0);
        // A shortened warning: the crisis's days and items.
        let sw = with("type = \"shortened-warning\"\nwarning_share = 0.5");
        let key = replication_key(7, 0);
        let w = draw_world(&sw.world, key);
        let sq = sw.status_quo_design().unwrap();
        let b = Buildup::new(&sw.world, sq, sq, &w);
        let cw = crate::model::crisis_world(&sw.world, &w, &b, &mut ());
        assert!((cw.warning_days - w.warning_days * 0.5).abs() < 1e-9);
        assert!((w.window_days - cw.window_days - w.warning_days * 0.5).abs() < 1e-9);
        assert!(cw.intel_items <= w.intel_items && cw.intel_items >= 1);
    }

    #[test]
    fn an_inject_after_a_rung_waits_for_the_rung() {
        let sc = scenario(
            "[[inject]]\nid = \"d\"\ntype = \"live-fire-drill\"\nafter_rung = \"diplomatic-protest\"\ncoercion = 1\nirritation = 1\n",
        );
        let mut seen = 0;
        for rep in 0..60 {
            let mut obs = always(None);
            play(&sc, "parliamentary-2plus2", rep, &mut obs);
            let climb = obs.events.iter().position(|e| {
                e.contains("BeijingActs { rung: 1") || e.contains("BeijingActs { rung: 2")
            });
            let inject = obs.events.iter().position(|e| e.contains("Inject {"));
            match (climb, inject) {
                (Some(c), Some(i)) => {
                    assert!(i > c, "replication {rep}");
                    seen += 1;
                }
                (None, Some(_)) => panic!("replication {rep}: inject without the rung"),
                _ => {}
            }
        }
        assert!(seen > 0);
    }
}
